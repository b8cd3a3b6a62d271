//! The 招商引资 page (`/attraction`): the funnel by team and by leader, the add form and the
//! leads with their stage forms. The forms call the same functions as the JSON API.

use super::api::{self, LeadsQuery, NewLeadBody, StageBody};
use crate::AppState;
use crate::extract::IdPath;
use crate::fields::{form_number, form_opt_number, form_version};
use crate::page::programmes::FLASH;
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, qv};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::leads::FunnelRow;
use zhantu_domain::model::LeadStage;
use zhantu_store::Named;
use zhantu_store::leads::Lead;
use zhantu_store::leads::LeadFunnel;

/// The page's query: the flash message and the stage shown.
#[derive(Deserialize, Default)]
pub(super) struct AttractionQuery {
    ok: Option<String>,
    error: Option<String>,
    stage: Option<String>,
    /// The leads of this light (the attraction clocks): green, yellow, red.
    light: Option<String>,
}

fn stage_name(lang: Lang, s: LeadStage) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

const STAGES: &[LeadStage] = &[LeadStage::Talks, LeadStage::Signed, LeadStage::Landed, LeadStage::Dropped];

/// A funnel table's head and rows (by team with the total, or by leader).
#[derive(Template)]
#[template(path = "leads/funnel.html")]
struct FunnelTable<'a> {
    cx: &'a Ctx,
    who: &'a str,
    stages: &'static [LeadStage],
    rows: Vec<&'a FunnelRow>,
}

impl FunnelTable<'_> {
    fn stage(&self, s: LeadStage) -> &'static str {
        stage_name(self.cx.lang, s)
    }
}

#[derive(Template)]
#[template(path = "leads/attraction.html")]
struct AttractionPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    flash: Markup,
    stage_q: String,
    funnel: &'a LeadFunnel,
    stage_counts: Vec<(LeadStage, u32)>,
    by_team: Markup,
    by_leader: Markup,
    /// The add form's teams: any for coordinators, a unit editor's own; `None` without the right.
    team_choices: Option<Vec<(i64, String)>>,
    leaders: Vec<Named>,
    /// Project types (code, name in the page's language), for a lead that lands.
    types: Vec<(String, String)>,
    leads: Vec<Lead>,
    /// Each lead's clock light (code, word, reasons), by lead id.
    lights: std::collections::BTreeMap<i64, (&'static str, &'static str, String)>,
    light_q: String,
    token: &'a str,
}

impl AttractionPage<'_> {
    fn stage(&self, s: LeadStage) -> &'static str {
        stage_name(self.cx.lang, s)
    }
    fn light(&self, l: &Lead) -> (&'static str, &'static str, String) {
        self.lights.get(&l.id).cloned().unwrap_or(("none", "—", String::new()))
    }
    fn signed_or_landed(&self, l: &Lead) -> String {
        crate::page::opt_date(l.signed_on.or(l.landed_on))
    }
    fn may_move(&self, l: &Lead) -> bool {
        self.cx.auth.actor.may(Action::Edit { unit_id: l.team_unit_id }).is_ok() && l.stage != LeadStage::Landed
    }
    /// The stages a lead may be moved to: the next one forward first (the usual move), then the others.
    fn moves(&self, current: LeadStage) -> Vec<LeadStage> {
        let next = match current {
            LeadStage::Talks | LeadStage::Dropped => LeadStage::Signed,
            _ => LeadStage::Landed,
        };
        std::iter::once(next)
            .chain(LeadStage::ALL.iter().copied().filter(|s| *s != current && *s != next))
            .collect()
    }
}

pub(super) async fn attraction(State(st): State<AppState>, cx: Ctx, Query(f): Query<AttractionQuery>) -> Result<Html<String>, PageError> {
    let title = cx.t("pipeline.attraction");
    let q = LeadsQuery {
        stage: f.stage.clone(),
        ..Default::default()
    };
    let filter = q.filter(&cx.auth.actor).map_err(cx.err())?;
    let mut leads = st.store.list_leads(&filter).await?;
    let clocks = st.store.lead_clock_items(api::lead_scope(&cx.auth.actor).as_deref(), None).await?;
    let lights: std::collections::BTreeMap<i64, (&'static str, &'static str, String)> = clocks
        .iter()
        .map(|c| {
            let reasons = match cx.lang {
                Lang::Zh => c.clocks.reasons_zh.join("；"),
                Lang::En => c.clocks.reasons_en.join("; "),
            };
            (c.lead_id, (c.clocks.light.code(), cx.light(c.clocks.light), reasons))
        })
        .collect();
    let light_q = f.light.clone().unwrap_or_default();
    if !light_q.is_empty() {
        leads.retain(|l| lights.get(&l.id).is_some_and(|x| x.0 == light_q));
    }
    let funnel = st.store.lead_funnel(api::lead_scope(&cx.auth.actor)).await?;
    let (teams, leaders) = st.store.programme_choices().await?;
    let types = st
        .store
        .project_types()
        .await?
        .into_iter()
        .map(|(code, zh, en)| (code, if cx.lang == Lang::Zh { zh } else { en }))
        .collect();
    let t = &funnel.total;
    let stage_counts = vec![
        (LeadStage::Talks, t.talks),
        (LeadStage::Signed, t.signed),
        (LeadStage::Landed, t.landed),
        (LeadStage::Dropped, t.dropped),
    ];
    let table = |who: &str, rows: Vec<&FunnelRow>| {
        Markup::of(&FunnelTable {
            cx: &cx,
            who: cx.t(who),
            stages: STAGES,
            rows,
        })
    };
    let by_team = table("pipeline.team", funnel.by_team.iter().chain(Some(&funnel.total)).collect());
    let by_leader = table("pipeline.leader", funnel.by_leader.iter().collect());
    // The add form: coordinators pick any team; a unit editor adds leads of its own unit.
    let team_choices: Vec<(i64, String)> = if cx.auth.actor.reads_all() {
        teams.iter().map(|u| (u.id, u.name.clone())).collect()
    } else {
        vec![(cx.auth.user.unit_id, cx.auth.user.unit_name.clone())]
    };
    let may_add = team_choices
        .iter()
        .any(|(id, _)| cx.auth.actor.may(Action::Edit { unit_id: *id }).is_ok());
    let body = Markup::of(&AttractionPage {
        cx: &cx,
        title,
        flash: Flash {
            ok: f.ok.clone(),
            error: f.error.clone(),
        }
        .show(&cx, FLASH),
        stage_q: f.stage.as_deref().map(|s| format!("?stage={}", qv(s))).unwrap_or_default(),
        funnel: &funnel,
        stage_counts,
        by_team,
        by_leader,
        team_choices: may_add.then_some(team_choices),
        leaders,
        types,
        leads,
        lights,
        light_q,
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Deserialize)]
pub(super) struct LeadForm {
    name: String,
    #[serde(default)]
    investor: String,
    team_unit_id: String,
    #[serde(default)]
    leader_id: String,
    #[serde(default)]
    signed_amount: String,
    #[serde(default)]
    source_region: String,
}

pub(super) async fn lead_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<LeadForm>) -> Response {
    let r = async {
        let body = NewLeadBody {
            name: f.name.clone(),
            investor: f.investor.clone(),
            team_unit_id: form_number(&f.team_unit_id, "请选择招商组")?,
            leader_id: form_opt_number(&f.leader_id, "包干领导无效")?,
            signed_amount: Value::String(f.signed_amount.clone()),
            foreign_usd: Value::Null,
            source_region: f.source_region.clone(),
            first_contact_on: None,
            note: String::new(),
        };
        api::do_create_lead(&st, &cx.auth, &body).await
    }
    .await;
    back(cx.lang, "/attraction", r.map(|_| "pipeline.flash_lead_added"))
}

#[derive(Deserialize)]
pub(super) struct StageForm {
    version: String,
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    create_project_type: String,
    #[serde(default)]
    project_id: String,
}

pub(super) async fn stage_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<StageForm>) -> Response {
    let r = async {
        let version = form_version(&f.version)?;
        let project_id = match f.project_id.trim() {
            "" => None,
            s => Some(st.store.resolve_project_ref(s).await?),
        };
        let body = StageBody {
            version,
            to: f.to.clone(),
            on: None,
            reason: f.reason.clone(),
            project_id,
            create_project_type: Some(f.create_project_type.clone()),
            project_unit_id: None,
        };
        api::do_move_lead(&st, &cx.auth, id, &body).await
    }
    .await;
    back(cx.lang, "/attraction", r.map(|_| "pipeline.flash_stage_moved"))
}
