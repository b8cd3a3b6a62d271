//! The projects' filter form and its query, shared by the registry, the battle map and the
//! map: the API's filters (`ProjectsQuery`) plus the registry's order, all in the URL of a
//! plain GET form.

use super::{Ctx, Markup, PageError, light_label, stage_label};
use crate::query::ProjectsQuery;
use askama::Template;
use serde::Deserialize;
use zhantu_domain::Stage;
use zhantu_domain::lights::Light;
use zhantu_store::{FilterChoices, ProjectFilter, ProjectSort};

/// The registry's query: the API's filters plus the order.
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
    pub sort: Option<String>,
}

pub fn val(o: &Option<String>) -> &str {
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
    pub fn sort(&self) -> ProjectSort {
        ProjectSort::from_code(val(&self.sort)).unwrap_or_default()
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

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// The options of a select, `selected` marked.
    pub fn list(choices: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
        choices
            .into_iter()
            .map(|(value, label)| Choice {
                selected: value == selected,
                value,
                label,
            })
            .collect()
    }
}

/// One select of the filter form: `f-{name}` is its id.
struct Select {
    name: &'static str,
    label: &'static str,
    options: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "partials/filters.html")]
struct FilterForm<'a> {
    cx: &'a Ctx,
    action: &'a str,
    q: &'a str,
    industry: &'a str,
    division: &'a str,
    selects: Vec<Select>,
    extra: Markup,
}

/// The filter form shared by the registry, the battle map and the map. `extra` adds fields.
pub fn filter_form(cx: &Ctx, action: &str, q: &ListQuery, c: &FilterChoices, extra: Markup) -> Markup {
    let lang = cx.lang;
    let units = c
        .units
        .iter()
        .map(|u| (u.id.to_string(), format!("{}{}", "　".repeat(u.depth as usize), u.name)));
    let leaders = c.leaders.iter().map(|l| (l.id.to_string(), l.name.clone()));
    let cats = c.categories.iter().map(|(code, n)| (code.clone(), n.clone()));
    let stages = Stage::ALL.iter().map(|s| (s.code().to_string(), stage_label(lang, *s).to_string()));
    let lights = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .map(|l| (l.code().to_string(), light_label(lang, *l).to_string()));
    let stage_sel = val(&q.stage);
    let stage_sel = Stage::parse(stage_sel).map(|s| s.code()).unwrap_or(stage_sel);
    let select = |name, key, options| Select {
        name,
        label: cx.t(key),
        options,
    };
    Markup::of(&FilterForm {
        cx,
        action,
        q: val(&q.q),
        industry: val(&q.industry),
        division: val(&q.division),
        selects: vec![
            select("unit", "common.unit", Choice::list(units, val(&q.unit))),
            select("category", "common.category", Choice::list(cats, val(&q.category))),
            select("stage", "common.stage", Choice::list(stages, stage_sel)),
            select("leader", "common.leader", Choice::list(leaders, val(&q.leader))),
            select("light", "common.light", Choice::list(lights, val(&q.light))),
        ],
        extra,
    })
}
