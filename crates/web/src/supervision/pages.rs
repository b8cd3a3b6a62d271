//! The pages of the supervision rounds: the rounds with the new-round form and the suggested
//! targets (`/supervision`), one round with its finding forms and its report
//! (`/supervision/{id}`). The forms call the same functions as the JSON API.

use super::api::{self, FindingBody, RoundBody};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::programmes::{opt_text, page, subnav};
use crate::page::{Ctx, Flash, PageError, back, csrf_field, esc, light_badge, opt_date, qv};
use crate::{AppState, fields};
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;

/// A round's state: its report issued, or findings still being recorded.
fn round_status(cx: &Ctx, status: &str) -> &'static str {
    if status == "closed" {
        cx.t("pipeline.round_closed")
    } else {
        cx.t("pipeline.round_open")
    }
}

pub(super) async fn supervision(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
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
            .pipeline_choices()
            .await?
            .1
            .iter()
            .map(|p| format!(r#"<option value="{}">{}</option>"#, p.id, esc(&p.name)))
            .collect();
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/supervision" class="filters">{csrf}<div class="f"><label for="r-name">{l_name}</label><input id="r-name" name="name" required maxlength="200"></div><div class="f"><label for="r-leader">{l_leader}</label><select id="r-leader" name="leader_id">{leaders}</select></div><div class="f"><label for="r-date">{l_date}</label><input id="r-date" name="held_on" type="date"></div><div class="f"><label for="r-n">{l_n}</label><input id="r-n" name="suggested" type="number" min="0" max="50" value="5"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.new_round"),
            csrf = csrf_field(&cx.auth),
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
        flash = f.show(&cx, &["pipeline.flash_"]),
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

pub(super) async fn round(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let rep = st.store.round_report(id).await.map_err(|e| PageError(e.into(), cx.lang))?;
    let d = &rep.detail;
    let may = cx.auth.actor.may(Action::Comment).is_ok() && d.round.status == "open";
    let csrf = csrf_field(&cx.auth);
    let rows: String = d
        .targets
        .iter()
        .map(|x| {
            let follow = match x.problem_id {
                Some(p) => format!("#{p} · {} · {}", esc(x.problem_status.as_deref().unwrap_or("")), opt_date(x.problem_deadline)),
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
                light_badge(lang, x.light.as_deref().and_then(zhantu_domain::lights::Light::from_code), None),
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
        flash = f.show(&cx, &["pipeline.flash_"]),
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
pub(super) struct FindingForm {
    project_id: String,
    finding: String,
    #[serde(default)]
    deadline: String,
}

pub(super) async fn finding_form(State(st): State<AppState>, cx: Ctx, Path(id): Path<String>, Form(f): Form<FindingForm>) -> Response {
    let to = format!("/supervision/{}", qv(&id));
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

#[derive(Deserialize)]
pub(super) struct RoundForm {
    name: String,
    #[serde(default)]
    leader_id: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    suggested: String,
}

pub(super) async fn round_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<RoundForm>) -> Response {
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
pub(super) struct RoundCloseForm {
    version: String,
    #[serde(default)]
    report: String,
}

pub(super) async fn round_close_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<RoundCloseForm>) -> Response {
    let r = async { api::do_close_round(&st, &cx.auth, id, fields::form_version(&f.version)?, &f.report).await }.await;
    back(&format!("/supervision/{id}"), r.map(|_| "pipeline.flash_round_closed"))
}
