//! The project filter shared by the pages that draw a selection of projects (the registry,
//! the battle map, the map): its query in the URL and its form.
//! (A copy of `ui/registry.rs`'s, for the mechanisms moved out of `ui`.)

use super::select::SelectOption;
use super::{Ctx, Markup, PageError, light_label, stage_label};
use askama::Template;
use crate::query::ProjectsQuery;
use serde::Deserialize;
use zhantu_domain::Stage;
use zhantu_domain::lights::Light;
use zhantu_store::{FilterChoices, ProjectFilter};

/// The query of a selection of projects: the API's filters (the registry adds its order).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    pub unit: Option<String>,
    pub category: Option<String>,
    pub stage: Option<String>,
    pub leader: Option<String>,
    pub light: Option<String>,
    pub industry: Option<String>,
    pub division: Option<String>,
    pub batch: Option<String>,
    pub campaign: Option<String>,
    pub q: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

fn val(o: &Option<String>) -> &str {
    o.as_deref().map(str::trim).unwrap_or("")
}

impl ListQuery {
    /// The filter, parsed by the API's rules, limited to the reader's units.
    pub fn filter(&self, cx: &Ctx) -> Result<ProjectFilter, PageError> {
        let q = ProjectsQuery {
            unit: self.unit.clone(),
            category: self.category.clone(),
            stage: self.stage.clone(),
            leader: self.leader.clone(),
            light: self.light.clone(),
            industry: self.industry.clone(),
            division: self.division.clone(),
            batch: self.batch.clone(),
            campaign: self.campaign.clone(),
            q: self.q.clone(),
            after: self.after.clone(),
            limit: self.limit.clone(),
        };
        let mut f = q.to_filter().map_err(|e| PageError(e, cx.lang))?;
        f.within_units = cx.scope();
        Ok(f)
    }
    /// The filter's parameters (without paging), for links that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("q", val(&self.q)),
            ("unit", val(&self.unit)),
            ("category", val(&self.category)),
            ("stage", val(&self.stage)),
            ("leader", val(&self.leader)),
            ("light", val(&self.light)),
            ("industry", val(&self.industry)),
            ("division", val(&self.division)),
            ("batch", val(&self.batch)),
            ("campaign", val(&self.campaign)),
        ]
    }
}

/// The choices of a select, after "any".
fn options(choices: Vec<(String, String)>, selected: &str, any: &str) -> Markup {
    let all: Vec<SelectOption> = std::iter::once(SelectOption::new("", any, false))
        .chain(choices.into_iter().map(|(v, label)| {
            let selected = v == selected;
            SelectOption::new(v, label, selected)
        }))
        .collect();
    super::select::options(&all)
}

#[derive(Template)]
#[template(path = "partials/project_filter.html")]
struct FilterForm<'a> {
    cx: &'a Ctx,
    action: &'a str,
    text: &'a str,
    units: Markup,
    categories: Markup,
    stages: Markup,
    leaders: Markup,
    lights: Markup,
    industry: &'a str,
    division: &'a str,
    extra: Markup,
}

/// The filter form shared by the registry, the battle map and the map. `extra` adds fields.
pub fn filter_form(cx: &Ctx, action: &str, q: &ListQuery, c: &FilterChoices, extra: Markup) -> Markup {
    let lang = cx.lang;
    let units = c
        .units
        .iter()
        .map(|u| (u.id.to_string(), format!("{}{}", "　".repeat(u.depth as usize), u.name)))
        .collect();
    let leaders = c.leaders.iter().map(|l| (l.id.to_string(), l.name.clone())).collect();
    let cats = c.categories.iter().map(|(code, n)| (code.clone(), n.clone())).collect();
    let stages = Stage::ALL
        .iter()
        .map(|s| (s.code().to_string(), stage_label(lang, *s).to_string()))
        .collect();
    let lights = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .map(|l| (l.code().to_string(), light_label(lang, *l).to_string()))
        .collect();
    let stage_sel = val(&q.stage);
    let stage_sel = Stage::parse(stage_sel).map(|s| s.code()).unwrap_or(stage_sel);
    let any = cx.t("filter.any");
    Markup::of(&FilterForm {
        cx,
        action,
        text: val(&q.q),
        units: options(units, val(&q.unit), any),
        categories: options(cats, val(&q.category), any),
        stages: options(stages, stage_sel, any),
        leaders: options(leaders, val(&q.leader), any),
        lights: options(lights, val(&q.light), any),
        industry: val(&q.industry),
        division: val(&q.division),
        extra,
    })
}
