//! The project filter shared by the pages that draw a selection of projects (the registry,
//! the battle map, the map): its query in the URL and its form.
//! (A copy of `ui/registry.rs`'s, for the mechanisms moved out of `ui`.)

use super::{Ctx, PageError, esc, light_label, stage_label};
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

fn options(choices: &[(String, String)], selected: &str, any: &str) -> String {
    std::iter::once(format!(r#"<option value="">{any}</option>"#))
        .chain(choices.iter().map(|(v, label)| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                esc(v),
                if v == selected { " selected" } else { "" },
                label
            )
        }))
        .collect()
}

/// The filter form shared by the registry, the battle map and the map. `extra` adds fields.
pub fn filter_form(cx: &Ctx, action: &str, q: &ListQuery, c: &FilterChoices, extra: &str) -> String {
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };
    let lang = cx.lang;
    let units: Vec<(String, String)> = c
        .units
        .iter()
        .map(|u| (u.id.to_string(), format!("{}{}", "　".repeat(u.depth as usize), esc(&u.name))))
        .collect();
    let leaders: Vec<(String, String)> = c.leaders.iter().map(|l| (l.id.to_string(), esc(&l.name))).collect();
    let cats: Vec<(String, String)> = c.categories.iter().map(|(code, n)| (code.clone(), esc(n))).collect();
    let stages: Vec<(String, String)> = Stage::ALL
        .iter()
        .map(|s| (s.code().to_string(), stage_label(lang, *s).to_string()))
        .collect();
    let lights: Vec<(String, String)> = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .map(|l| (l.code().to_string(), light_label(lang, *l).to_string()))
        .collect();
    let stage_sel = val(&q.stage);
    let stage_sel = Stage::parse(stage_sel).map(|s| s.code()).unwrap_or(stage_sel);
    let any = t("filter.any");
    format!(
        r#"<form class="filters" method="get" action="{action}" role="search" aria-label="{label}">
<div class="f"><label for="f-q">{l_q}</label><input id="f-q" name="q" type="search" value="{v_q}" placeholder="{ph_q}"></div>
<div class="f"><label for="f-unit">{l_unit}</label><select id="f-unit" name="unit">{o_unit}</select></div>
<div class="f"><label for="f-category">{l_cat}</label><select id="f-category" name="category">{o_cat}</select></div>
<div class="f"><label for="f-stage">{l_stage}</label><select id="f-stage" name="stage">{o_stage}</select></div>
<div class="f"><label for="f-leader">{l_leader}</label><select id="f-leader" name="leader">{o_leader}</select></div>
<div class="f"><label for="f-light">{l_light}</label><select id="f-light" name="light">{o_light}</select></div>
<div class="f"><label for="f-industry">{l_ind}</label><input id="f-industry" name="industry" value="{v_ind}" placeholder="{ph_ind}" size="6"></div>
{division}{extra}
<div class="f actions"><button type="submit">{apply}</button><a href="{action}">{reset}</a></div></form>"#,
        label = t("filter.label"),
        l_q = t("filter.text"),
        v_q = esc(val(&q.q)),
        ph_q = t("filter.text_hint"),
        l_unit = t("common.unit"),
        o_unit = options(&units, val(&q.unit), any),
        l_cat = t("common.category"),
        o_cat = options(&cats, val(&q.category), any),
        l_stage = t("common.stage"),
        o_stage = options(&stages, stage_sel, any),
        l_leader = t("common.leader"),
        o_leader = options(&leaders, val(&q.leader), any),
        l_light = t("common.light"),
        o_light = options(&lights, val(&q.light), any),
        l_ind = t("filter.industry"),
        v_ind = esc(val(&q.industry)),
        ph_ind = t("filter.industry_hint"),
        division = if val(&q.division).is_empty() {
            String::new()
        } else {
            format!(r#"<input type="hidden" name="division" value="{}">"#, esc(val(&q.division)))
        },
        apply = t("filter.apply"),
        reset = t("filter.reset"),
    )
}

