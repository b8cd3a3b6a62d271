//! The projects' filter form and its query, shared by the registry, the battle map and the
//! map: the API's filters (`ProjectsQuery`) plus the registry's order, all in the URL of a
//! plain GET form.

use super::select::SelectOption;
use super::{Ctx, Markup, PageError, light_label, stage_label};
use crate::query::ProjectsQuery;
use askama::Template;
use serde::Deserialize;
use zhantu_domain::Stage;
use zhantu_domain::confidence::Confidence;
use zhantu_domain::lights::Light;
use zhantu_store::{FilterChoices, ProjectFilter, ProjectSort};

/// The registry's query: the API's filters (`ProjectsQuery`, the one list of them) plus the order.
#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(flatten)]
    pub filter: ProjectsQuery,
    pub sort: Option<String>,
}

pub fn val(o: &Option<String>) -> &str {
    o.as_deref().map(str::trim).unwrap_or("")
}

impl ListQuery {
    /// The filter, parsed by the API's rules, limited to the reader's units.
    pub fn filter(&self, cx: &Ctx) -> Result<ProjectFilter, PageError> {
        let mut f = self.filter.to_filter().map_err(cx.err())?;
        f.within_units = cx.scope();
        Ok(f)
    }
    pub fn sort(&self) -> ProjectSort {
        ProjectSort::from_code(val(&self.sort)).unwrap_or_default()
    }
    /// The filter's parameters (without paging), for links that keep them.
    pub fn pairs(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("q", val(&self.filter.q)),
            ("unit", val(&self.filter.unit)),
            ("category", val(&self.filter.category)),
            ("stage", val(&self.filter.stage)),
            ("leader", val(&self.filter.leader)),
            ("light", val(&self.filter.light)),
            ("industry", val(&self.filter.industry)),
            ("division", val(&self.filter.division)),
            ("batch", val(&self.filter.batch)),
            ("campaign", val(&self.filter.campaign)),
            ("year", val(&self.filter.year)),
            ("planned_year", val(&self.filter.planned_year)),
            ("started_from", val(&self.filter.started_from)),
            ("started_to", val(&self.filter.started_to)),
            ("light_month", val(&self.filter.light_month)),
            ("confidence", val(&self.filter.confidence)),
            ("disagree", val(&self.filter.disagree)),
            ("active", val(&self.filter.active)),
            ("unit_exact", val(&self.filter.unit_exact)),
        ]
    }
}

/// One select of the filter form: `f-{name}` is its id.
struct Select {
    name: &'static str,
    label: &'static str,
    options: Vec<SelectOption>,
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
    let cats = c
        .categories
        .iter()
        .map(|(code, n)| (code.clone(), super::category_name(cx.lang, code, n)));
    let stages = Stage::ALL.iter().map(|s| (s.code().to_string(), stage_label(lang, *s).to_string()));
    let lights = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .map(|l| (l.code().to_string(), light_label(lang, *l).to_string()));
    let levels = Confidence::ALL.iter().map(|c| {
        let name = if lang == super::Lang::Zh { c.label_zh() } else { c.label_en() };
        (c.code().to_string(), name.to_string())
    });
    let disagree = ["1", "optimistic", "pessimistic"]
        .iter()
        .map(|d| (d.to_string(), cx.t(&format!("registry.note.disagree.{d}")).to_string()));
    let stage_sel = val(&q.filter.stage);
    let stage_sel = Stage::parse(stage_sel).map(|s| s.code()).unwrap_or(stage_sel);
    let select = |name, key, options| Select {
        name,
        label: cx.t(key),
        options,
    };
    Markup::of(&FilterForm {
        cx,
        action,
        q: val(&q.filter.q),
        industry: val(&q.filter.industry),
        division: val(&q.filter.division),
        selects: vec![
            select("unit", "common.unit", SelectOption::list(units, val(&q.filter.unit))),
            select("category", "common.category", SelectOption::list(cats, val(&q.filter.category))),
            select("stage", "common.stage", SelectOption::list(stages, stage_sel)),
            select("leader", "common.leader", SelectOption::list(leaders, val(&q.filter.leader))),
            select("light", "common.light", SelectOption::list(lights, val(&q.filter.light))),
            select(
                "confidence",
                "registry.confidence",
                SelectOption::list(levels, val(&q.filter.confidence)),
            ),
            select(
                "disagree",
                "registry.disagree",
                SelectOption::list(disagree, val(&q.filter.disagree)),
            ),
        ],
        extra,
    })
}
