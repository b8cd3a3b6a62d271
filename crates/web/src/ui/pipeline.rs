//! The pages of the pipeline area: 招商引资 (`/attraction`), the programmes hub (`/programs`)
//! and its four programmes — groundbreaking batches (`/batches`), campaigns (`/campaigns`),
//! supervision rounds (`/supervision`) and the land quota ledger (`/land`). Forms post to page
//! routes that call the same functions as the JSON API, so both paths check the same rules.

use super::{Ctx, Lang, PageError, layout_legacy, money};
use crate::AppState;
use crate::auth::Via;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::esc;
use crate::pipeline_api::{self as api, BatchBody, CampaignBody, FindingBody, LandBody, LeadsQuery, NewLeadBody, RoundBody, StageBody};
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Router, extract::Path};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::LandArea;
use zhantu_domain::access::Action;
use zhantu_domain::figures::Pct1;
use zhantu_domain::model::{BatchLevel, LandEntryKind, LeadStage, NodeStatus};
use zhantu_domain::leads::FunnelRow;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/attraction", get(attraction))
        .route("/attraction/leads", post(lead_form))
        .route("/attraction/leads/{id}/stage", post(stage_form))
        .route("/programs", get(programs))
        .route("/batches", get(batches).post(batch_form))
        .route("/batches/{id}", get(batch))
        .route("/batches/{id}/projects", post(batch_project_form))
        .route("/campaigns", get(campaigns).post(campaign_form))
        .route("/campaigns/{id}", get(campaign))
        .route("/campaigns/{id}/close", post(campaign_close_form))
        .route("/supervision", get(supervision).post(round_form))
        .route("/supervision/{id}", get(round))
        .route("/supervision/{id}/close", post(round_close_form))
        .route("/supervision/{id}/findings", post(finding_form))
        .route("/land", get(land))
        .route("/land/allocations", post(allocation_form))
        .route("/land/grants", post(grant_form))
}

// ------------------------------------------------------------------ helpers

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    error: Option<String>,
    stage: Option<String>,
}

fn flash(cx: &Ctx, f: &Flash) -> String {
    match (&f.ok, &f.error) {
        (_, Some(e)) => format!(r#"<p class="error" role="alert">{}</p>"#, esc(e)),
        // `ok` carries a translation key, never text from the URL.
        (Some(k), _) if k.starts_with("pipeline.flash_") => format!(r#"<p class="ok" role="status">{}</p>"#, esc(cx.t(k))),
        _ => String::new(),
    }
}

fn hidden_csrf(cx: &Ctx) -> String {
    let c = match &cx.auth.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    };
    format!(r#"<input type="hidden" name="csrf_token" value="{}">"#, esc(c))
}

/// After a form: back to the page with a message. A refusal other than bad input (no right,
/// a stale version) answers with its own status and a page saying why.
fn back(to: &str, result: Result<&str, ApiError>) -> Response {
    let q = match result {
        Ok(m) => format!("ok={}", crate::guard::urlencode(m)),
        Err(e) if e.status == StatusCode::BAD_REQUEST => format!("error={}", crate::guard::urlencode(&e.message)),
        Err(e) => {
            let page = format!(
                r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>操作未完成 · 战图</title><link rel="stylesheet" href="/assets/app.css"></head><body><main><h1>操作未完成</h1><p class="error" role="alert">{}</p><p><a href="{}">返回</a></p></main></body></html>"#,
                esc(&e.message),
                esc(to)
            );
            return (e.status, Html(page)).into_response();
        }
    };
    Redirect::to(&format!("{to}?{q}")).into_response()
}

fn pct(p: Option<Pct1>) -> String {
    super::pct(p)
}

fn area(lang: Lang, a: LandArea) -> String {
    match lang {
        Lang::Zh => a.to_string(),
        Lang::En => format!("{} mu", a.mu_exact()),
    }
}

fn stage_name(lang: Lang, s: LeadStage) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

fn level_name(lang: Lang, l: BatchLevel) -> &'static str {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => l.label_en(),
    }
}

/// A campaign's state as read on `as_of`: closed with its report, ended awaiting the report, or running.
fn campaign_status(cx: &Ctx, c: &zhantu_store::campaigns::CampaignSummary, as_of: chrono::NaiveDate) -> &'static str {
    if c.status == "closed" {
        cx.t("pipeline.status_closed")
    } else if as_of > c.ends_on {
        cx.t("pipeline.campaign_ended")
    } else {
        cx.t("pipeline.status_open")
    }
}

/// A round's state: its report issued, or findings still being recorded.
fn round_status(cx: &Ctx, status: &str) -> &'static str {
    if status == "closed" {
        cx.t("pipeline.round_closed")
    } else {
        cx.t("pipeline.round_open")
    }
}

fn node_status(lang: Lang, s: &str) -> &'static str {
    match NodeStatus::from_code(s) {
        Some(n) if lang == Lang::Zh => n.label_zh(),
        Some(n) => n.label_en(),
        None => "—",
    }
}

fn opt_text(s: Option<&str>) -> String {
    esc(s.filter(|s| !s.is_empty()).unwrap_or("—"))
}

/// The hub's sub-navigation.
fn subnav(cx: &Ctx) -> String {
    let items = [
        ("/programs", "pipeline.programs"),
        ("/batches", "pipeline.batches"),
        ("/campaigns", "pipeline.campaigns"),
        ("/supervision", "pipeline.supervision"),
        ("/land", "pipeline.land"),
    ];
    let links: Vec<String> = items
        .iter()
        .map(|(href, key)| {
            let cur = if cx.path == *href { r#" aria-current="page""# } else { "" };
            format!(r#"<a href="{href}"{cur}>{}</a>"#, cx.t(key))
        })
        .collect();
    format!(r#"<p class="links pipeline-nav">{}</p>"#, links.join(" · "))
}

fn page(cx: &Ctx, title: &str, links: &str, body: &str) -> Html<String> {
    layout_legacy(
        cx,
        title,
        &format!(
            r#"<div class="pipeline"><div class="page-head"><div><h1>{}</h1></div><p class="links">{links}</p></div>{body}</div>"#,
            esc(title)
        ),
        &[],
    )
}

fn card(k: &str, v: &str, n: &str) -> String {
    format!(r#"<div class="card"><div class="k">{k}</div><div class="v">{v}</div><div class="n">{n}</div></div>"#)
}

fn page_err(cx: &Ctx) -> impl Fn(ApiError) -> PageError + '_ {
    move |e| PageError(e, cx.lang)
}

// ------------------------------------------------------------------ attraction

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

async fn attraction(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let q = LeadsQuery {
        stage: f.stage.clone(),
        ..Default::default()
    };
    let filter = q.filter(&cx.auth.actor).map_err(page_err(&cx))?;
    let leads = st.store.list_leads(&filter).await?;
    let funnel = st.store.lead_funnel(api::lead_scope(&cx.auth.actor)).await?;
    let (teams, leaders) = st.store.programme_choices().await?;
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
    let csrf = hidden_csrf(&cx);

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
                super::opt_date(l.signed_on.or(l.landed_on)),
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
    let stage_q = f.stage.as_deref().map(|s| format!("?stage={}", super::qv(s))).unwrap_or_default();
    let body = format!(
        r#"{flash}<div class="cards">{stage_cards}{rate_card}</div>
<div class="grid2"><section class="panel"><h2>{h_team}</h2><div class="table-wrap"><table>{head_team}<tbody>{by_team}</tbody></table></div></section>
<section class="panel"><h2>{h_leader}</h2><div class="table-wrap"><table>{head_leader}<tbody>{by_leader}</tbody></table></div></section></div>
{add_form}
<section class="panel"><h2>{h_list} <small>{n}</small></h2><div class="table-wrap"><table id="leads"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_team}</th><th scope="col">{c_leader}</th><th scope="col">{c_stage}</th><th scope="col">{c_amount}</th><th scope="col">{c_region}</th><th scope="col">{c_first}</th><th scope="col">{c_signed}</th><th scope="col">{c_project}</th><th scope="col"></th></tr></thead><tbody>{rows}</tbody></table></div></section>"#,
        flash = flash(&cx, &f),
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
struct LeadForm {
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

async fn lead_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<LeadForm>) -> Response {
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
struct StageForm {
    version: String,
    to: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    create_project_type: String,
    #[serde(default)]
    project_id: String,
}

async fn stage_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<StageForm>) -> Response {
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

// ------------------------------------------------------------------ programmes hub

async fn programs(State(st): State<AppState>, cx: Ctx) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let year = chrono::Datelike::year(&st.store.as_of().await?);
    let sum = st.store.programmes_summary(year).await?;
    let (nb, agg) = sum.batches.as_ref().map(|b| (b.batches, b.aggregate.clone())).unwrap_or_default();
    let cards = [
        card(
            &format!("{year} {}", t("pipeline.batches")),
            &format!(r#"<a href="/batches">{nb}</a>"#),
            &format!(
                "{} {} · {} {} · {} {}",
                agg.projects,
                t("pipeline.projects_unit"),
                t("pipeline.total_investment"),
                money(lang, agg.total_investment_wan.0, true),
                t("pipeline.annual_investment"),
                money(lang, agg.annual_investment_wan.0, true)
            ),
        ),
        card(
            &format!("{year} {}", t("pipeline.campaigns")),
            &format!(r#"<a href="/campaigns">{}</a>"#, sum.campaigns.len()),
            &sum.campaigns
                .iter()
                .map(|c| format!("{}：{}/{}", esc(&c.name), c.completion.closed_nodes, c.completion.target_nodes))
                .collect::<Vec<_>>()
                .join("<br>"),
        ),
        card(
            &format!("{year} {}", t("pipeline.supervision")),
            &format!(r#"<a href="/supervision">{}</a>"#, sum.rounds),
            &format!(
                "{} {} · {} {} · {} {}",
                t("pipeline.targets"),
                sum.round_targets,
                t("pipeline.findings"),
                sum.findings,
                t("pipeline.follow_ups"),
                sum.follow_ups
            ),
        ),
        card(
            t("pipeline.land_granted"),
            &format!(r#"<a href="/land">{}</a>"#, area(lang, sum.land.granted)),
            &format!(
                "{} {} · {} {}",
                t("pipeline.land_balance"),
                area(lang, sum.land.balance),
                t("pipeline.warnings"),
                sum.land_warnings
            ),
        ),
        card(t("pipeline.ppp"), &sum.ppp_projects.to_string(), t("pipeline.ppp_note")),
    ]
    .concat();
    let body = format!(
        r#"{}<div class="cards" id="programs">{cards}</div><p class="hint">{}</p>"#,
        subnav(&cx),
        t("pipeline.programs_hint")
    );
    let links = r#"<a href="/api/v1/programs/summary">JSON</a>"#;
    Ok(page(
        &cx,
        t("pipeline.programs"),
        if cx.auth.actor.reads_all() { links } else { "" },
        &body,
    ))
}

// ------------------------------------------------------------------ batches

async fn batches(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let o = st.store.list_batches(None).await?;
    let rows: String = o
        .batches
        .iter()
        .map(|b| {
            format!(
                r#"<tr><th scope="row"><a href="/batches/{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                b.id,
                esc(&b.name),
                level_name(lang, b.level),
                b.held_on,
                esc(&b.gate_nodes.join("、")),
                b.aggregate.projects,
                money(lang, b.aggregate.total_investment_wan.0, false),
                money(lang, b.aggregate.annual_investment_wan.0, false)
            )
        })
        .collect();
    let years: String = o
        .years
        .iter()
        .map(|y| {
            format!(
                r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                y.year,
                y.batches,
                y.aggregate.projects,
                money(lang, y.aggregate.total_investment_wan.0, true),
                money(lang, y.aggregate.annual_investment_wan.0, true)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        let levels: String = BatchLevel::ALL
            .iter()
            .map(|l| format!(r#"<option value="{}">{}</option>"#, l.code(), level_name(lang, *l)))
            .collect();
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/batches" class="filters">{csrf}<div class="f"><label for="n-name">{l_name}</label><input id="n-name" name="name" required maxlength="200"></div><div class="f"><label for="n-level">{l_level}</label><select id="n-level" name="level">{levels}</select></div><div class="f"><label for="n-date">{l_date}</label><input id="n-date" name="held_on" type="date" required></div><div class="f"><label for="n-gates">{l_gates}</label><input id="n-gates" name="gate_nodes" value="施工许可" maxlength="200"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.new_batch"),
            csrf = hidden_csrf(&cx),
            l_name = t("pipeline.batch"),
            l_level = t("pipeline.level"),
            l_date = t("pipeline.held_on"),
            l_gates = t("pipeline.gate_nodes"),
            b = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"{nav}{flash}<section class="panel"><div class="table-wrap"><table id="batches"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_level}</th><th scope="col">{c_date}</th><th scope="col">{c_gate}</th><th scope="col">{c_n}</th><th scope="col">{c_total}</th><th scope="col">{c_annual}</th></tr></thead><tbody>{rows}</tbody></table></div></section>
<section class="panel"><h2>{h_years}</h2><div class="table-wrap"><table id="batch-years"><thead><tr><th scope="col">{c_year}</th><th scope="col">{c_batches}</th><th scope="col">{c_n}</th><th scope="col">{c_total}</th><th scope="col">{c_annual}</th></tr></thead><tbody>{years}</tbody></table></div></section>{form}"#,
        nav = subnav(&cx),
        flash = flash(&cx, &f),
        c_name = t("pipeline.batch"),
        c_level = t("pipeline.level"),
        c_date = t("pipeline.held_on"),
        c_gate = t("pipeline.gate_nodes"),
        c_n = t("pipeline.project_count"),
        c_total = t("pipeline.total_investment"),
        c_annual = t("pipeline.annual_investment"),
        h_years = t("pipeline.per_year"),
        c_year = t("pipeline.year"),
        c_batches = t("pipeline.batch_count"),
    );
    let links = format!(
        r#"<a href="/api/v1/batches/export.xlsx">{}</a> · <a href="/api/v1/batches">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.batches"), &links, &body))
}

async fn batch(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let d = st.store.batch(id).await.map_err(|e| PageError(e.into(), cx.lang))?;
    let rows: String = d
        .members
        .iter()
        .map(|m| {
            format!(
                r#"<tr><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                m.project_id,
                esc(&m.name),
                esc(&m.unit_name),
                money(lang, m.total_investment, false),
                money(lang, m.annual_investment, false)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><p class="hint">{hint}</p><form method="post" action="/batches/{id}/projects" class="filters">{csrf}<div class="f"><label for="b-project">{l}</label><input id="b-project" name="project_id" required></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.add_to_batch"),
            hint = esc(&crate::page::i18n::tf(
                lang,
                "pipeline.gate_hint",
                &[("gates", &d.batch.gate_nodes.join("、"))]
            )),
            csrf = hidden_csrf(&cx),
            l = t("pipeline.project_id"),
            b = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let a = &d.batch.aggregate;
    let body = format!(
        r#"{nav}{flash}<dl class="facts"><div><dt>{l_level}</dt><dd>{level}</dd></div><div><dt>{l_date}</dt><dd>{date}</dd></div><div><dt>{l_gate}</dt><dd>{gates}</dd></div><div><dt>{l_n}</dt><dd id="batch-count">{n}</dd></div><div><dt>{l_total}</dt><dd>{total}</dd></div><div><dt>{l_annual}</dt><dd>{annual}</dd></div></dl>
<section class="panel"><div class="table-wrap"><table id="batch-members"><thead><tr><th scope="col">{c_p}</th><th scope="col">{c_u}</th><th scope="col">{l_total}</th><th scope="col">{l_annual}</th></tr></thead><tbody>{rows}</tbody></table></div></section>{form}"#,
        nav = subnav(&cx),
        flash = flash(&cx, &f),
        l_level = t("pipeline.level"),
        level = level_name(lang, d.batch.level),
        l_date = t("pipeline.held_on"),
        date = d.batch.held_on,
        l_gate = t("pipeline.gate_nodes"),
        gates = esc(&d.batch.gate_nodes.join("、")),
        l_n = t("pipeline.project_count"),
        n = a.projects,
        l_total = t("pipeline.total_investment"),
        total = money(lang, a.total_investment_wan.0, false),
        l_annual = t("pipeline.annual_investment"),
        annual = money(lang, a.annual_investment_wan.0, false),
        c_p = t("pipeline.project"),
        c_u = t("pipeline.unit"),
    );
    let links = format!(
        r#"<a href="/projects?batch={id}">{}</a> · <a href="/api/v1/batches/{id}">JSON</a>"#,
        t("pipeline.in_registry")
    );
    Ok(page(&cx, &d.batch.name, &links, &body))
}

#[derive(Deserialize)]
struct ProjectForm {
    project_id: String,
}

async fn batch_project_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<ProjectForm>) -> Response {
    let to = format!("/batches/{id}");
    let r = async {
        let pid = st.store.resolve_project_ref(&f.project_id).await?;
        api::do_add_batch_project(&st, &cx.auth, id, pid).await
    }
    .await;
    back(&to, r.map(|_| "pipeline.flash_project_added"))
}

// ------------------------------------------------------------------ campaigns

async fn campaigns(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let items = st.store.list_campaigns().await?;
    let as_of = st.store.as_of().await?;
    let rows: String = items
        .iter()
        .map(|c| {
            format!(
                r#"<tr><th scope="row"><a href="/campaigns/{}">{}</a></th><td>{} – {}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                c.id,
                esc(&c.name),
                c.starts_on,
                c.ends_on,
                campaign_status(&cx, c, as_of),
                c.completion.target_nodes,
                c.completion.closed_nodes,
                c.completion.closed_in_time,
                c.completion.overdue,
                pct(c.completion.rate_pct)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><p class="hint">{hint}</p><form method="post" action="/campaigns" class="filters">{csrf}<div class="f"><label for="c-name">{l_name}</label><input id="c-name" name="name" required maxlength="200"></div><div class="f"><label for="c-start">{l_start}</label><input id="c-start" name="starts_on" type="date" required></div><div class="f"><label for="c-end">{l_end}</label><input id="c-end" name="ends_on" type="date" required></div><div class="f"><label for="c-nodes">{l_nodes}</label><input id="c-nodes" name="node_names" value="政策处理、土地摘牌、用地报批、施工许可" maxlength="200"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.new_campaign"),
            hint = t("pipeline.new_campaign_hint"),
            csrf = hidden_csrf(&cx),
            l_name = t("pipeline.campaign"),
            l_start = t("pipeline.starts_on"),
            l_end = t("pipeline.ends_on"),
            l_nodes = t("pipeline.node_names"),
            b = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"{nav}{flash}<section class="panel"><div class="table-wrap"><table id="campaigns"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_window}</th><th scope="col">{c_status}</th><th scope="col">{c_targets}</th><th scope="col">{c_closed}</th><th scope="col">{c_on_time}</th><th scope="col">{c_overdue}</th><th scope="col">{c_rate}</th></tr></thead><tbody>{rows}</tbody></table></div></section>{form}"#,
        flash = flash(&cx, &f),
        nav = subnav(&cx),
        c_name = t("pipeline.campaign"),
        c_window = t("pipeline.window"),
        c_status = t("pipeline.status"),
        c_targets = t("pipeline.target_nodes"),
        c_closed = t("pipeline.closed"),
        c_on_time = t("pipeline.closed_on_time"),
        c_overdue = t("pipeline.open_overdue"),
        c_rate = t("pipeline.close_rate"),
    );
    let links = format!(
        r#"<a href="/api/v1/campaigns/export.xlsx">{}</a> · <a href="/api/v1/campaigns">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.campaigns"), &links, &body))
}

async fn campaign(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let c = st.store.campaign(id).await.map_err(|e| PageError(e.into(), cx.lang))?;
    let as_of = st.store.as_of().await?;
    let board: String = c
        .leaderboard
        .iter()
        .map(|r| {
            format!(
                r#"<tr><td class="num">{}</td><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num{}">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                if r.rank == 0 { "—".to_string() } else { r.rank.to_string() },
                esc(&r.unit_name),
                r.targets,
                r.closed_on_time,
                r.closed_late,
                if r.open_overdue > 0 { " l-red" } else { "" },
                r.open_overdue,
                r.open,
                pct(r.on_time_rate)
            )
        })
        .collect();
    let targets: String = c
        .targets
        .iter()
        .map(|x| {
            format!(
                r#"<tr><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                x.project_id,
                esc(&x.project_name),
                esc(&x.node_name),
                esc(&x.unit_name),
                x.planned_on,
                node_status(lang, &x.status),
                super::opt_date(x.actual_on)
            )
        })
        .collect();
    let report = if c.campaign.status == "closed" && !c.campaign.closing_note.is_empty() {
        c.campaign.closing_note.clone()
    } else {
        c.report.summary.clone()
    };
    let close = if cx.auth.actor.may(Action::Verify).is_ok() && c.campaign.status == "open" {
        format!(
            r#"<form method="post" action="/campaigns/{id}/close" class="stack">{csrf}<input type="hidden" name="version" value="{v}"><label for="c-note">{l}</label><textarea id="c-note" name="note" rows="3" maxlength="8000">{text}</textarea><button type="submit">{b}</button></form>"#,
            csrf = hidden_csrf(&cx),
            v = c.campaign.version,
            l = t("pipeline.closing_report"),
            text = esc(&c.report.summary),
            b = t("pipeline.close_campaign"),
        )
    } else {
        String::new()
    };
    let k = &c.campaign.completion;
    let window = format!("{} – {}", c.campaign.starts_on, c.campaign.ends_on);
    let body = format!(
        r#"{nav}{flash}<p>{desc}</p><div class="cards"><div class="card"><div class="k">{l_targets}</div><div class="v" id="campaign-targets">{targets_n}</div><div class="n">{window}</div></div><div class="card"><div class="k">{l_closed}</div><div class="v" id="campaign-closed">{closed}</div><div class="n">{l_rate} {rate}</div></div><div class="card"><div class="k">{l_on_time}</div><div class="v">{on_time}</div><div class="n">{l_status}: {status}</div></div><div class="card accent"><div class="k">{l_overdue}</div><div class="v">{overdue}</div></div></div>
<section class="panel"><h2>{h_board}</h2><p class="hint">{rule}</p><div class="table-wrap"><table id="leaderboard"><thead><tr><th scope="col">{c_rank}</th><th scope="col">{c_unit}</th><th scope="col">{l_targets}</th><th scope="col">{l_on_time}</th><th scope="col">{c_late}</th><th scope="col">{l_overdue}</th><th scope="col">{c_open}</th><th scope="col">{c_rate}</th></tr></thead><tbody>{board}</tbody></table></div></section>
<section class="panel"><h2>{h_report}</h2><p id="campaign-report">{report}</p>{close}</section>
<section class="panel"><h2>{h_targets}</h2><div class="table-wrap"><table id="campaign-nodes"><thead><tr><th scope="col">{c_project}</th><th scope="col">{c_node}</th><th scope="col">{c_unit}</th><th scope="col">{c_planned}</th><th scope="col">{l_status}</th><th scope="col">{c_actual}</th></tr></thead><tbody>{targets}</tbody></table></div></section>"#,
        nav = subnav(&cx),
        flash = flash(&cx, &f),
        desc = esc(&c.campaign.description),
        l_targets = t("pipeline.target_nodes"),
        targets_n = k.target_nodes,
        window = window,
        l_closed = t("pipeline.closed"),
        closed = k.closed_nodes,
        l_rate = t("pipeline.close_rate"),
        rate = pct(k.rate_pct),
        l_on_time = t("pipeline.closed_on_time"),
        on_time = k.closed_in_time,
        l_status = t("pipeline.status"),
        status = campaign_status(&cx, &c.campaign, as_of),
        l_overdue = t("pipeline.open_overdue"),
        overdue = k.overdue,
        h_board = t("pipeline.leaderboard"),
        rule = t("pipeline.ranking_rule"),
        c_rank = t("pipeline.rank"),
        c_unit = t("pipeline.unit"),
        c_late = t("pipeline.closed_late"),
        c_open = t("pipeline.open"),
        c_rate = t("pipeline.on_time_rate"),
        h_report = t("pipeline.closing_report"),
        report = esc(&report),
        h_targets = t("pipeline.target_nodes"),
        c_project = t("pipeline.project"),
        c_node = t("pipeline.node"),
        c_planned = t("pipeline.planned_on"),
        c_actual = t("pipeline.actual_on"),
    );
    let links = format!(
        r#"<a href="/api/v1/campaigns/{id}/leaderboard.xlsx">{}</a> · <a href="/projects?campaign={id}">{}</a> · <a href="/api/v1/campaigns/{id}">JSON</a>"#,
        t("pipeline.export_leaderboard"),
        t("pipeline.in_registry")
    );
    Ok(page(&cx, &c.campaign.name, &links, &body))
}

// ------------------------------------------------------------------ supervision

async fn supervision(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let rounds = st.store.list_rounds().await?;
    let rows: String = rounds
        .iter()
        .map(|r| {
            format!(
                r#"<tr><th scope="row"><a href="/supervision/{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                r.id,
                esc(&r.name),
                esc(&r.leader_name),
                r.held_on,
                round_status(&cx, &r.status),
                r.targets,
                r.findings,
                r.follow_ups
            )
        })
        .collect();
    let suggestions = if cx.auth.actor.reads_all() {
        let s = st.store.suggested_targets(None, 10).await?;
        let rows: String = s
            .iter()
            .map(|c| {
                format!(
                    r#"<tr><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td><td>{}</td></tr>"#,
                    c.project_id,
                    esc(&c.project_name),
                    esc(&c.unit_name),
                    c.reasons.len(),
                    c.days_overdue,
                    if c.visited_this_year { t("pipeline.yes") } else { t("pipeline.no") },
                    esc(&c.reasons.first().cloned().unwrap_or_default())
                )
            })
            .collect();
        format!(
            r#"<section class="panel"><h2>{h}</h2><p class="hint">{hint}</p><div class="table-wrap"><table id="suggested"><thead><tr><th scope="col">{c_p}</th><th scope="col">{c_u}</th><th scope="col">{c_r}</th><th scope="col">{c_d}</th><th scope="col">{c_v}</th><th scope="col">{c_w}</th></tr></thead><tbody>{rows}</tbody></table></div></section>"#,
            h = t("pipeline.suggested"),
            hint = t("pipeline.suggested_hint"),
            c_p = t("pipeline.project"),
            c_u = t("pipeline.unit"),
            c_r = t("pipeline.reasons"),
            c_d = t("pipeline.days_overdue"),
            c_v = t("pipeline.visited"),
            c_w = t("pipeline.worst_reason"),
        )
    } else {
        String::new()
    };
    let form = if cx.auth.actor.may(Action::Comment).is_ok() {
        let leaders: String = st
            .store
            .programme_choices()
            .await?
            .1
            .iter()
            .map(|p| format!(r#"<option value="{}">{}</option>"#, p.id, esc(&p.name)))
            .collect();
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/supervision" class="filters">{csrf}<div class="f"><label for="r-name">{l_name}</label><input id="r-name" name="name" required maxlength="200"></div><div class="f"><label for="r-leader">{l_leader}</label><select id="r-leader" name="leader_id">{leaders}</select></div><div class="f"><label for="r-date">{l_date}</label><input id="r-date" name="held_on" type="date"></div><div class="f"><label for="r-n">{l_n}</label><input id="r-n" name="suggested" type="number" min="0" max="50" value="5"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.new_round"),
            csrf = hidden_csrf(&cx),
            l_name = t("pipeline.round"),
            l_leader = t("pipeline.round_leader"),
            l_date = t("pipeline.held_on"),
            l_n = t("pipeline.take_suggested"),
            b = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"{nav}{flash}<section class="panel"><div class="table-wrap"><table id="rounds"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_leader}</th><th scope="col">{c_date}</th><th scope="col">{c_status}</th><th scope="col">{c_targets}</th><th scope="col">{c_findings}</th><th scope="col">{c_follow}</th></tr></thead><tbody>{rows}</tbody></table></div></section>{form}{suggestions}"#,
        nav = subnav(&cx),
        flash = flash(&cx, &f),
        c_name = t("pipeline.round"),
        c_leader = t("pipeline.round_leader"),
        c_date = t("pipeline.held_on"),
        c_status = t("pipeline.status"),
        c_targets = t("pipeline.targets"),
        c_findings = t("pipeline.findings"),
        c_follow = t("pipeline.follow_ups"),
    );
    let links = format!(
        r#"<a href="/api/v1/supervision/export.xlsx">{}</a> · <a href="/api/v1/supervision">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.supervision"), &links, &body))
}

async fn round(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let rep = st.store.round_report(id).await.map_err(|e| PageError(e.into(), cx.lang))?;
    let d = &rep.detail;
    let may = cx.auth.actor.may(Action::Comment).is_ok() && d.round.status == "open";
    let csrf = hidden_csrf(&cx);
    let rows: String = d
        .targets
        .iter()
        .map(|x| {
            let follow = match x.problem_id {
                Some(p) => format!("#{p} · {} · {}", esc(x.problem_status.as_deref().unwrap_or("")), super::opt_date(x.problem_deadline)),
                None => "—".into(),
            };
            let form = if may {
                format!(
                    r#"<form method="post" action="/supervision/{id}/findings" class="inline">{csrf}<input type="hidden" name="project_id" value="{pid}"><label class="sr-only" for="f-{pid}">{l_f}</label><input id="f-{pid}" name="finding" required maxlength="2000" placeholder="{l_f}"> <label class="sr-only" for="d-{pid}">{l_d}</label><input id="d-{pid}" name="deadline" type="date" title="{l_d}"> <button type="submit">{l_s}</button></form>"#,
                    pid = x.project_id,
                    l_f = t("pipeline.finding"),
                    l_d = t("pipeline.follow_up_deadline"),
                    l_s = t("pipeline.record"),
                )
            } else {
                String::new()
            };
            format!(
                r#"<tr><td>{}</td><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td>{}</td><td>{follow}</td><td>{form}</td></tr>"#,
                super::light_badge(lang, x.light.as_deref().and_then(zhantu_domain::lights::Light::from_code), None),
                x.project_id,
                esc(&x.project_name),
                esc(&x.unit_name),
                opt_text(Some(&x.finding)),
            )
        })
        .collect();
    let paragraphs: String = if d.round.status == "closed" && !d.round.report.is_empty() {
        d.round.report.lines().map(|p| format!("<p>{}</p>", esc(p))).collect()
    } else {
        rep.paragraphs.iter().map(|p| format!("<p>{}</p>", esc(p))).collect()
    };
    let close = if may {
        format!(
            r#"<form method="post" action="/supervision/{id}/close">{csrf}<input type="hidden" name="version" value="{v}"><button type="submit">{b}</button></form>"#,
            v = d.round.version,
            b = t("pipeline.close_round"),
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"{nav}{flash}<dl class="facts"><div><dt>{l_leader}</dt><dd>{leader}</dd></div><div><dt>{l_date}</dt><dd>{date}</dd></div><div><dt>{l_status}</dt><dd>{status}</dd></div><div><dt>{l_targets}</dt><dd>{n}</dd></div></dl><p>{summary}</p>
<section class="panel"><h2>{h_targets}</h2><div class="table-wrap"><table id="round-targets"><thead><tr><th scope="col">{c_light}</th><th scope="col">{c_p}</th><th scope="col">{c_u}</th><th scope="col">{c_f}</th><th scope="col">{c_follow}</th><th scope="col"></th></tr></thead><tbody>{rows}</tbody></table></div><p class="hint">{hint}</p></section>
<section class="panel" id="round-report"><h2>{h_report}</h2>{paragraphs}{close}</section>"#,
        nav = subnav(&cx),
        flash = flash(&cx, &f),
        l_leader = t("pipeline.round_leader"),
        leader = esc(&d.round.leader_name),
        l_date = t("pipeline.held_on"),
        date = d.round.held_on,
        l_status = t("pipeline.status"),
        status = round_status(&cx, &d.round.status),
        l_targets = t("pipeline.targets"),
        n = d.round.targets,
        summary = esc(&d.round.summary),
        h_targets = t("pipeline.targets"),
        c_light = t("pipeline.light"),
        c_p = t("pipeline.project"),
        c_u = t("pipeline.unit"),
        c_f = t("pipeline.finding"),
        c_follow = t("pipeline.follow_up"),
        hint = t("pipeline.finding_hint"),
        h_report = t("pipeline.round_report"),
    );
    let links = format!(r#"<a href="/api/v1/supervision/{id}/report">JSON</a>"#);
    Ok(page(&cx, &d.round.name, &links, &body))
}

#[derive(Deserialize)]
struct FindingForm {
    project_id: String,
    finding: String,
    #[serde(default)]
    deadline: String,
}

async fn finding_form(State(st): State<AppState>, cx: Ctx, Path(id): Path<String>, Form(f): Form<FindingForm>) -> Response {
    let to = format!("/supervision/{}", super::qv(&id));
    let r = async {
        let id = id.parse::<i64>().map_err(|_| ApiError::not_found("记录不存在"))?;
        let project_id = f
            .project_id
            .trim()
            .parse::<i64>()
            .map_err(|_| ApiError::bad_request("invalid_field", "项目编号应为数字"))?;
        let body = FindingBody {
            project_id,
            finding: f.finding.clone(),
            deadline: Some(f.deadline.clone()),
            unit_id: None,
        };
        api::do_record_finding(&st, &cx.auth, id, &body).await
    }
    .await;
    back(&to, r.map(|_| "pipeline.flash_finding_recorded"))
}

// ------------------------------------------------------------------ land

async fn land(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let l = st.store.land_ledger().await?;
    let kind = |k: LandEntryKind| if lang == Lang::Zh { k.label_zh() } else { k.label_en() };
    let entries: String = l
        .entries
        .iter()
        .map(|e| {
            let project = match (e.project_id, &e.project_name) {
                (Some(id), Some(n)) => format!(r#"<a href="/projects/{id}">{}</a>"#, esc(n)),
                _ => "—".into(),
            };
            format!(
                r#"<tr><td>{}</td><td>{}</td><td class="num">{}</td><td>{project}</td><td>{}</td></tr>"#,
                e.entry_on,
                kind(e.kind),
                area(lang, e.area),
                esc(&e.document)
            )
        })
        .collect();
    let years: String = l
        .years
        .iter()
        .map(|y| {
            format!(
                r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                y.year,
                area(lang, y.granted),
                area(lang, y.allocated),
                area(lang, y.released),
                area(lang, y.closing_balance)
            )
        })
        .collect();
    let warnings: String = l
        .warnings
        .iter()
        .map(|w| {
            format!(
                r#"<tr><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td>{}</td><td class="num{}">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                w.need.project_id,
                esc(&w.need.project_name),
                esc(&w.need.node_name),
                w.need.planned_on,
                if w.days_left < 0 { " l-red" } else { "" },
                w.days_left,
                area(lang, w.need.land_area),
                area(lang, w.shortfall)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/land/allocations" class="filters">{csrf}<div class="f"><label for="a-project">{l_p}</label><input id="a-project" name="project_id" list="land-projects" required><datalist id="land-projects">{options}</datalist></div><div class="f"><label for="a-area">{l_a}</label><input id="a-area" name="area" inputmode="decimal" required></div><div class="f"><label for="a-doc">{l_d}</label><input id="a-doc" name="document" maxlength="300"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.allocate"),
            options = l
                .warnings
                .iter()
                .map(|w| format!(r#"<option value="{}">{}</option>"#, w.need.project_id, esc(&w.need.project_name)))
                .collect::<String>(),
            csrf = hidden_csrf(&cx),
            l_p = t("pipeline.project_id"),
            l_a = t("pipeline.area_mu"),
            l_d = t("pipeline.document"),
            b = t("pipeline.allocate"),
        )
    } else {
        String::new()
    };
    let grant = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/land/grants" class="filters">{csrf}<div class="f"><label for="g-area">{l_a}</label><input id="g-area" name="area" inputmode="decimal" required></div><div class="f"><label for="g-date">{l_date}</label><input id="g-date" name="entry_on" type="date"></div><div class="f"><label for="g-doc">{l_d}</label><input id="g-doc" name="document" maxlength="300"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.grant"),
            csrf = hidden_csrf(&cx),
            l_a = t("pipeline.area_mu"),
            l_date = t("pipeline.date"),
            l_d = t("pipeline.document"),
            b = t("pipeline.grant"),
        )
    } else {
        String::new()
    };
    let b = &l.balance;
    let body = format!(
        r#"{nav}{flash}<div class="cards"><div class="card"><div class="k">{l_granted}</div><div class="v" id="land-granted">{granted}</div></div><div class="card"><div class="k">{l_alloc}</div><div class="v">{alloc}</div></div><div class="card"><div class="k">{l_bal}</div><div class="v" id="land-balance">{bal}</div></div><div class="card accent"><div class="k">{l_warn}</div><div class="v">{nw}</div></div></div>
<section class="panel"><h2>{l_warn}</h2><p class="hint">{warn_hint}</p><div class="table-wrap"><table id="land-warnings"><thead><tr><th scope="col">{c_p}</th><th scope="col">{c_n}</th><th scope="col">{c_planned}</th><th scope="col">{c_days}</th><th scope="col">{c_need}</th><th scope="col">{c_short}</th></tr></thead><tbody>{warnings}</tbody></table></div></section>
{form}{grant}
<section class="panel"><h2>{h_years}</h2><div class="table-wrap"><table id="land-years"><thead><tr><th scope="col">{c_year}</th><th scope="col">{l_granted}</th><th scope="col">{l_alloc}</th><th scope="col">{c_rel}</th><th scope="col">{c_closing}</th></tr></thead><tbody>{years}</tbody></table></div></section>
<section class="panel"><h2>{h_ledger}</h2><div class="table-wrap"><table id="land-ledger"><thead><tr><th scope="col">{c_date}</th><th scope="col">{c_kind}</th><th scope="col">{c_area}</th><th scope="col">{c_p}</th><th scope="col">{c_doc}</th></tr></thead><tbody>{entries}</tbody></table></div></section>"#,
        nav = subnav(&cx),
        flash = flash(&cx, &f),
        l_granted = t("pipeline.land_granted"),
        granted = area(lang, b.granted),
        l_alloc = t("pipeline.land_allocated"),
        alloc = area(lang, b.allocated),
        l_bal = t("pipeline.land_balance"),
        bal = area(lang, b.balance),
        l_warn = t("pipeline.warnings"),
        nw = l.warnings.len(),
        warn_hint = t("pipeline.warn_hint"),
        c_p = t("pipeline.project"),
        c_n = t("pipeline.node"),
        c_planned = t("pipeline.planned_on"),
        c_days = t("pipeline.days_left"),
        c_need = t("pipeline.land_need"),
        c_short = t("pipeline.shortfall"),
        h_years = t("pipeline.per_year"),
        c_year = t("pipeline.year"),
        c_rel = t("pipeline.land_released"),
        c_closing = t("pipeline.closing_balance"),
        h_ledger = t("pipeline.ledger"),
        c_date = t("pipeline.date"),
        c_kind = t("pipeline.kind"),
        c_area = t("pipeline.area_mu"),
        c_doc = t("pipeline.document"),
    );
    let links = format!(
        r#"<a href="/api/v1/land/export.xlsx">{}</a> · <a href="/api/v1/land">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.land"), &links, &body))
}

#[derive(Deserialize)]
struct AllocationForm {
    project_id: String,
    area: String,
    #[serde(default)]
    document: String,
}

async fn allocation_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<AllocationForm>) -> Response {
    let r = async {
        let project_id = st.store.resolve_project_ref(&f.project_id).await?;
        let body = LandBody {
            entry_on: None,
            area: Value::String(f.area.clone()),
            project_id: Some(project_id),
            document: f.document.clone(),
            note: String::new(),
        };
        api::do_allocate_land(&st, &cx.auth, &body).await
    }
    .await;
    back("/land", r.map(|_| "pipeline.flash_land_allocated"))
}

#[derive(Deserialize)]
struct GrantForm {
    area: String,
    #[serde(default)]
    entry_on: String,
    #[serde(default)]
    document: String,
}

async fn grant_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<GrantForm>) -> Response {
    let body = LandBody {
        entry_on: Some(f.entry_on.clone()),
        area: Value::String(f.area.clone()),
        project_id: None,
        document: f.document.clone(),
        note: String::new(),
    };
    let r = api::do_grant_land(&st, &cx.auth, &body).await;
    back("/land", r.map(|_| "pipeline.flash_land_granted"))
}

#[derive(Deserialize)]
struct BatchForm {
    name: String,
    level: String,
    held_on: String,
    #[serde(default)]
    gate_nodes: String,
}

async fn batch_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<BatchForm>) -> Response {
    let body = BatchBody {
        version: None,
        name: f.name.clone(),
        level: f.level.clone(),
        held_on: f.held_on.clone(),
        gate_nodes: Value::String(f.gate_nodes.clone()),
    };
    match api::do_create_batch(&st, &cx.auth, &body).await {
        Ok(id) => Redirect::to(&format!("/batches/{id}?ok=pipeline.flash_batch_created")).into_response(),
        Err(e) => back("/batches", Err(e)),
    }
}

#[derive(Deserialize)]
struct CloseForm {
    version: String,
    #[serde(default)]
    note: String,
}

fn form_version(v: &str) -> Result<i64, ApiError> {
    v.trim()
        .parse::<i64>()
        .map_err(|_| ApiError::bad_request("invalid_field", "版本号无效"))
}

async fn campaign_close_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<CloseForm>) -> Response {
    let r = async { api::do_close_campaign(&st, &cx.auth, id, form_version(&f.version)?, &f.note).await }.await;
    back(&format!("/campaigns/{id}"), r.map(|_| "pipeline.flash_campaign_closed"))
}

#[derive(Deserialize)]
struct RoundForm {
    name: String,
    #[serde(default)]
    leader_id: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    suggested: String,
}

async fn round_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<RoundForm>) -> Response {
    let r = async {
        let leader_id = match f.leader_id.trim() {
            "" => None,
            s => Some(
                s.parse::<i64>()
                    .map_err(|_| ApiError::bad_request("invalid_field", "带队领导无效"))?,
            ),
        };
        let suggested = match f.suggested.trim() {
            "" => None,
            s => Some(
                s.parse::<usize>()
                    .map_err(|_| ApiError::bad_request("invalid_field", "建议对象数量应为数字"))?,
            ),
        };
        let body = RoundBody {
            name: f.name.clone(),
            leader_id,
            held_on: Some(f.held_on.clone()),
            summary: String::new(),
            project_ids: Vec::new(),
            suggested,
        };
        api::do_create_round(&st, &cx.auth, &body).await
    }
    .await;
    match r {
        Ok(id) => Redirect::to(&format!("/supervision/{id}?ok=pipeline.flash_round_created")).into_response(),
        Err(e) => back("/supervision", Err(e)),
    }
}

#[derive(Deserialize)]
struct RoundCloseForm {
    version: String,
    #[serde(default)]
    report: String,
}

async fn round_close_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<RoundCloseForm>) -> Response {
    let r = async { api::do_close_round(&st, &cx.auth, id, form_version(&f.version)?, &f.report).await }.await;
    back(&format!("/supervision/{id}"), r.map(|_| "pipeline.flash_round_closed"))
}

#[derive(Deserialize)]
struct CampaignForm {
    name: String,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    node_names: String,
}

async fn campaign_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<CampaignForm>) -> Response {
    let body = CampaignBody {
        name: f.name.clone(),
        starts_on: f.starts_on.clone(),
        ends_on: f.ends_on.clone(),
        description: String::new(),
        unit_ids: Vec::new(),
        node_ids: Vec::new(),
        node_names: Value::String(f.node_names.clone()),
    };
    match api::do_create_campaign(&st, &cx.auth, &body).await {
        Ok(id) => Redirect::to(&format!("/campaigns/{id}?ok=pipeline.flash_campaign_created")).into_response(),
        Err(e) => back("/campaigns", Err(e)),
    }
}
