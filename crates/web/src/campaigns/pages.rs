//! The pages of the campaigns: the list with the new-campaign form (`/campaigns`), one
//! campaign with its leaderboard, report and target nodes (`/campaigns/{id}`). The forms call
//! the same functions as the JSON API.

use super::api::{self, CampaignBody};
use crate::extract::IdPath;
use crate::page::programmes::{page, subnav};
use crate::page::{Ctx, Flash, Lang, PageError, back, csrf_field, esc, opt_date, pct};
use crate::{AppState, fields};
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::model::NodeStatus;

/// A campaign's state as read on `as_of`: closed with its report, ended awaiting the report, or running.
fn campaign_status(cx: &Ctx, c: &zhantu_store::pipeline::CampaignSummary, as_of: chrono::NaiveDate) -> &'static str {
    if c.status == "closed" {
        cx.t("pipeline.status_closed")
    } else if as_of > c.ends_on {
        cx.t("pipeline.campaign_ended")
    } else {
        cx.t("pipeline.status_open")
    }
}


fn node_status(lang: Lang, s: &str) -> &'static str {
    match NodeStatus::from_code(s) {
        Some(n) if lang == Lang::Zh => n.label_zh(),
        Some(n) => n.label_en(),
        None => "—",
    }
}

pub(super) async fn campaigns(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
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
            csrf = csrf_field(&cx.auth),
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
        flash = f.show(&cx, &["pipeline.flash_"]),
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

pub(super) async fn campaign(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
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
                opt_date(x.actual_on)
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
            csrf = csrf_field(&cx.auth),
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
        flash = f.show(&cx, &["pipeline.flash_"]),
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

#[derive(Deserialize)]
pub(super) struct CloseForm {
    version: String,
    #[serde(default)]
    note: String,
}


pub(super) async fn campaign_close_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<CloseForm>) -> Response {
    let r = async { api::do_close_campaign(&st, &cx.auth, id, fields::form_version(&f.version)?, &f.note).await }.await;
    back(&format!("/campaigns/{id}"), r.map(|_| "pipeline.flash_campaign_closed"))
}


#[derive(Deserialize)]
pub(super) struct CampaignForm {
    name: String,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    node_names: String,
}

pub(super) async fn campaign_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<CampaignForm>) -> Response {
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
