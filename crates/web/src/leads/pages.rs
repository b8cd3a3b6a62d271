//! The 招商引资 page (`/attraction`): the funnel by team and by leader, the add form and the
//! leads with their stage forms. The forms call the same functions as the JSON API.

use super::api::{self, LeadsQuery, NewLeadBody, StageBody};
use crate::AppState;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::programmes::{card, opt_text, page};
use crate::page::{Ctx, Flash, Lang, PageError, back, csrf_field, esc, money, opt_date, pct, qv};
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::model::LeadStage;
use zhantu_domain::pipeline::FunnelRow;

/// The page's query: the flash message and the stage shown.
#[derive(Deserialize, Default)]
pub(super) struct AttractionQuery {
    ok: Option<String>,
    error: Option<String>,
    stage: Option<String>,
}

fn stage_name(lang: Lang, s: LeadStage) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

fn funnel_rows(cx: &Ctx, rows: &[FunnelRow], total: Option<&FunnelRow>) -> String {
    rows.iter()
        .chain(total)
        .map(|r| {
            format!(
                r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                esc(if r.group == "合计" { cx.t("pipeline.total") } else { &r.group }),
                r.total,
                r.talks,
                r.signed,
                r.landed,
                r.dropped,
                money(cx.lang, r.signed_amount, false),
                pct(r.signing_rate),
                pct(r.landing_rate)
            )
        })
        .collect()
}

fn funnel_head(cx: &Ctx, who: &str) -> String {
    let t = |k: &str| cx.t(k);
    format!(
        r#"<thead><tr><th scope="col">{who}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>"#,
        t("pipeline.leads_count"),
        stage_name(cx.lang, LeadStage::Talks),
        stage_name(cx.lang, LeadStage::Signed),
        stage_name(cx.lang, LeadStage::Landed),
        stage_name(cx.lang, LeadStage::Dropped),
        t("pipeline.signed_amount"),
        t("pipeline.signing_rate"),
        t("pipeline.landing_rate"),
    )
}

pub(super) async fn attraction(State(st): State<AppState>, cx: Ctx, Query(f): Query<AttractionQuery>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let q = LeadsQuery {
        stage: f.stage.clone(),
        ..Default::default()
    };
    let filter = q.filter(&cx.auth.actor).map_err(cx.err())?;
    let leads = st.store.list_leads(&filter).await?;
    let funnel = st.store.lead_funnel(api::lead_scope(&cx.auth.actor)).await?;
    let (teams, leaders) = st.store.pipeline_choices().await?;
    let type_opts: String = st
        .store
        .project_types()
        .await?
        .iter()
        .map(|(code, zh, en)| {
            format!(
                r#"<option value="{}">{}</option>"#,
                esc(code),
                esc(if lang == Lang::Zh { zh } else { en })
            )
        })
        .collect();
    let csrf = csrf_field(&cx.auth);

    let stage_cards: String = [LeadStage::Talks, LeadStage::Signed, LeadStage::Landed, LeadStage::Dropped]
        .iter()
        .map(|s| {
            let n = match s {
                LeadStage::Talks => funnel.total.talks,
                LeadStage::Signed => funnel.total.signed,
                LeadStage::Landed => funnel.total.landed,
                LeadStage::Dropped => funnel.total.dropped,
            };
            card(
                stage_name(lang, *s),
                &format!(r#"<a href="/attraction?stage={}">{n}</a>"#, s.code()),
                "",
            )
        })
        .collect();
    let rate_card = card(
        t("pipeline.landing_rate"),
        &pct(funnel.total.landing_rate),
        &format!("{} {}", t("pipeline.signing_rate"), pct(funnel.total.signing_rate)),
    );

    let stage_options = |current: LeadStage| -> String {
        // The next stage forward first (the usual move), then the others.
        let next = match current {
            LeadStage::Talks | LeadStage::Dropped => LeadStage::Signed,
            _ => LeadStage::Landed,
        };
        std::iter::once(next)
            .chain(LeadStage::ALL.iter().copied().filter(|s| *s != current && *s != next))
            .map(|s| format!(r#"<option value="{}">{}</option>"#, s.code(), stage_name(lang, s)))
            .collect()
    };
    let rows: String = leads
        .iter()
        .map(|l| {
            let may_edit = cx.auth.actor.may(Action::Edit { unit_id: l.team_unit_id }).is_ok();
            let action = if may_edit && l.stage != LeadStage::Landed {
                format!(
                    r#"<form method="post" action="/attraction/leads/{id}/stage" class="inline">{csrf}<input type="hidden" name="version" value="{v}"><label class="sr-only" for="to-{id}">{l_to}</label><select id="to-{id}" name="to">{opts}</select> <label class="sr-only" for="pt-{id}">{l_pt}</label><select id="pt-{id}" name="create_project_type"><option value="">{l_pt}</option>{type_opts}</select> <label class="sr-only" for="r-{id}">{l_reason}</label><input id="r-{id}" name="reason" placeholder="{l_reason}" maxlength="200"> <button type="submit">{l_go}</button></form>"#,
                    id = l.id,
                    v = l.version,
                    opts = stage_options(l.stage),
                    l_to = t("pipeline.move_to"),
                    l_pt = t("pipeline.create_project"),
                    l_reason = t("pipeline.reason"),
                    l_go = t("pipeline.move"),
                )
            } else {
                String::new()
            };
            let project = match (l.project_id, &l.project_name) {
                (Some(id), Some(n)) => format!(r#"<a href="/projects/{id}">{}</a>"#, esc(n)),
                _ => "—".into(),
            };
            format!(
                r#"<tr><th scope="row">{}<small>{}</small></th><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{project}</td><td>{action}</td></tr>"#,
                esc(&l.name),
                esc(&l.investor),
                esc(&l.team_name),
                opt_text(l.leader_name.as_deref()),
                stage_name(lang, l.stage),
                money(lang, l.signed_amount, false),
                opt_text(Some(&l.source_region)),
                l.first_contact_on,
                opt_date(l.signed_on.or(l.landed_on)),
            )
        })
        .collect();

    // The add form: coordinators pick any team; a unit editor adds leads of its own unit.
    let team_choices: Vec<(i64, String)> = if cx.auth.actor.reads_all() {
        teams.iter().map(|u| (u.id, u.name.clone())).collect()
    } else {
        vec![(cx.auth.user.unit_id, cx.auth.user.unit_name.clone())]
    };
    let add_form = if team_choices
        .iter()
        .any(|(id, _)| cx.auth.actor.may(Action::Edit { unit_id: *id }).is_ok())
    {
        let team_opts: String = team_choices
            .iter()
            .map(|(id, n)| format!(r#"<option value="{id}">{}</option>"#, esc(n)))
            .collect();
        let leader_opts: String = leaders
            .iter()
            .map(|p| format!(r#"<option value="{}">{}</option>"#, p.id, esc(&p.name)))
            .collect();
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/attraction/leads" class="filters">{csrf}
<div class="f"><label for="l-name">{l_name}</label><input id="l-name" name="name" required maxlength="200"></div>
<div class="f"><label for="l-inv">{l_inv}</label><input id="l-inv" name="investor" maxlength="200"></div>
<div class="f"><label for="l-team">{l_team}</label><select id="l-team" name="team_unit_id">{team_opts}</select></div>
<div class="f"><label for="l-leader">{l_leader}</label><select id="l-leader" name="leader_id"><option value=""></option>{leader_opts}</select></div>
<div class="f"><label for="l-amount">{l_amount}</label><input id="l-amount" name="signed_amount" inputmode="decimal"></div>
<div class="f"><label for="l-region">{l_region}</label><input id="l-region" name="source_region" maxlength="100"></div>
<div class="f"><button type="submit">{l_add}</button></div></form></section>"#,
            h = t("pipeline.add_lead"),
            l_name = t("pipeline.lead_name"),
            l_inv = t("pipeline.investor"),
            l_team = t("pipeline.team"),
            l_leader = t("pipeline.leader"),
            l_amount = t("pipeline.signed_amount_wan"),
            l_region = t("pipeline.source_region"),
            l_add = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let stage_q = f.stage.as_deref().map(|s| format!("?stage={}", qv(s))).unwrap_or_default();
    let body = format!(
        r#"{flash}<div class="cards">{stage_cards}{rate_card}</div>
<div class="grid2"><section class="panel"><h2>{h_team}</h2><div class="table-wrap"><table>{head_team}<tbody>{by_team}</tbody></table></div></section>
<section class="panel"><h2>{h_leader}</h2><div class="table-wrap"><table>{head_leader}<tbody>{by_leader}</tbody></table></div></section></div>
{add_form}
<section class="panel"><h2>{h_list} <small>{n}</small></h2><div class="table-wrap"><table id="leads"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_team}</th><th scope="col">{c_leader}</th><th scope="col">{c_stage}</th><th scope="col">{c_amount}</th><th scope="col">{c_region}</th><th scope="col">{c_first}</th><th scope="col">{c_signed}</th><th scope="col">{c_project}</th><th scope="col"></th></tr></thead><tbody>{rows}</tbody></table></div></section>"#,
        flash = Flash { ok: f.ok.clone(), error: f.error.clone() }.show(&cx, &["pipeline.flash_"]),
        h_team = t("pipeline.by_team"),
        h_leader = t("pipeline.by_leader"),
        head_team = funnel_head(&cx, t("pipeline.team")),
        head_leader = funnel_head(&cx, t("pipeline.leader")),
        by_team = funnel_rows(&cx, &funnel.by_team, Some(&funnel.total)),
        by_leader = funnel_rows(&cx, &funnel.by_leader, None),
        h_list = t("pipeline.leads"),
        n = leads.len(),
        c_name = t("pipeline.lead_name"),
        c_team = t("pipeline.team"),
        c_leader = t("pipeline.leader"),
        c_stage = t("pipeline.stage"),
        c_amount = t("pipeline.signed_amount"),
        c_region = t("pipeline.source_region"),
        c_first = t("pipeline.first_contact"),
        c_signed = t("pipeline.signed_or_landed"),
        c_project = t("pipeline.project"),
    );
    let links = format!(
        r#"<a href="/api/v1/leads/export.xlsx{stage_q}">{}</a> · <a href="/api/v1/leads{stage_q}">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.attraction"), &links, &body))
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
        let team_unit_id = f
            .team_unit_id
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request("invalid_field", "请选择招商组"))?;
        let leader_id = match f.leader_id.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| ApiError::bad_request("invalid_field", "包干领导无效"))?,
            ),
        };
        let body = NewLeadBody {
            name: f.name.clone(),
            investor: f.investor.clone(),
            team_unit_id,
            leader_id,
            signed_amount: Value::String(f.signed_amount.clone()),
            foreign_usd: Value::Null,
            source_region: f.source_region.clone(),
            first_contact_on: None,
            note: String::new(),
        };
        api::do_create_lead(&st, &cx.auth, &body).await
    }
    .await;
    back("/attraction", r.map(|_| "pipeline.flash_lead_added"))
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
        let version = f
            .version
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request("invalid_field", "版本号无效"))?;
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
    back("/attraction", r.map(|_| "pipeline.flash_stage_moved"))
}

