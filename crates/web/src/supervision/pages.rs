//! The pages of the supervision rounds: the rounds with the new-round form and the suggested
//! targets (`/supervision`), one round with its finding forms and its report
//! (`/supervision/{id}`). The forms call the same functions as the JSON API.

use super::api::{self, FindingBody, RoundBody};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::programmes::{FLASH, HeldQuery, nav};
use crate::page::{Ctx, Flash, Markup, PageError, back, data_text, layout, light_badge, qv, to_created};
use crate::{AppState, fields};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::lang::Lang;
use zhantu_domain::lights::Light;
use zhantu_domain::supervision::{RedCandidate, round_summary};
use zhantu_store::Named;
use zhantu_store::supervision::RoundDetail;
use zhantu_store::supervision::RoundSummary;
use zhantu_store::supervision::RoundTarget;
use zhantu_store::supervision::round_facts;

/// A round's state: its report issued, or findings still being recorded.
fn round_status(cx: &Ctx, status: &str) -> &'static str {
    if status == "closed" {
        cx.t("pipeline.round_closed")
    } else {
        cx.t("pipeline.round_open")
    }
}

#[derive(Template)]
#[template(path = "supervision/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    rounds: Vec<RoundSummary>,
    total: String,
    total_n: usize,
    /// The district leaders, for those who may lead a round.
    leaders: Option<Vec<Named>>,
    /// The suggested targets, for district-wide readers.
    suggested: Option<Vec<RedCandidate>>,
    token: &'a str,
}

impl ListPage<'_> {
    fn status(&self, s: &str) -> &'static str {
        round_status(self.cx, s)
    }
}

pub(super) async fn supervision(
    State(st): State<AppState>,
    cx: Ctx,
    Query(f): Query<Flash>,
    Query(h): Query<HeldQuery>,
) -> Result<Html<String>, PageError> {
    let title = cx.t("pipeline.supervision");
    let held = h.period(&cx)?;
    let mut rounds = st.store.list_rounds().await?;
    rounds.retain(|r| held.contains(r.held_on));
    let suggested = if cx.auth.actor.reads_all() {
        Some(st.store.suggested_targets(None, 10).await?)
    } else {
        None
    };
    let leaders = if cx.auth.actor.may(Action::Comment).is_ok() {
        Some(st.store.programme_choices().await?.1)
    } else {
        None
    };
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        total: held.total_line(&cx, rounds.len()),
        total_n: rounds.len(),
        rounds,
        leaders,
        suggested,
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Template)]
#[template(path = "supervision/detail.html")]
struct DetailPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    d: &'a RoundDetail,
    status: &'static str,
    /// The issued report's lines once closed, else the report drawn from the findings (in
    /// the reader's language, data marked).
    paragraphs: Vec<Markup>,
    /// Closed: the report as issued, text of record (Chinese, or as its author wrote it).
    issued: bool,
    may: bool,
    token: &'a str,
}

impl DetailPage<'_> {
    fn light(&self, x: &RoundTarget) -> Markup {
        light_badge(self.cx.lang, x.light.as_deref().and_then(Light::from_code), None)
    }
}

pub(super) async fn round(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let rep = st.store.round_report(id).await.map_err(cx.err())?;
    let d = &rep.detail;
    let issued = d.round.status == "closed" && !d.round.report.is_empty();
    let paragraphs: Vec<Markup> = if issued {
        d.round.report.lines().map(|l| data_text(Lang::Zh, l)).collect()
    } else {
        let lang = cx.lang.into();
        round_summary(lang, &round_facts(d, rep.follow_ups_resolved))
            .iter()
            .map(|p| data_text(lang, p))
            .collect()
    };
    let body = Markup::of(&DetailPage {
        cx: &cx,
        title: &d.round.name,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        d,
        status: round_status(&cx, &d.round.status),
        paragraphs,
        issued,
        may: cx.auth.actor.may(Action::Comment).is_ok() && d.round.status == "open",
        token: cx.csrf(),
    });
    Ok(layout(&cx, &d.round.name, body, &[]))
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
        let body = FindingBody {
            project_id: fields::form_number(&f.project_id, "项目编号应为数字")?,
            finding: f.finding.clone(),
            deadline: Some(f.deadline.clone()),
            unit_id: None,
        };
        api::do_record_finding(&st, &cx.auth, id, &body).await
    }
    .await;
    back(cx.lang, &to, r.map(|_| "pipeline.flash_finding_recorded"))
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
        let body = RoundBody {
            name: f.name.clone(),
            leader_id: fields::form_opt_number(&f.leader_id, "带队领导无效")?,
            held_on: Some(f.held_on.clone()),
            summary: String::new(),
            project_ids: Vec::new(),
            suggested: fields::form_opt_number(&f.suggested, "建议对象数量应为数字")?,
        };
        api::do_create_round(&st, &cx.auth, &body).await
    }
    .await;
    to_created(cx.lang, "/supervision", r, "pipeline.flash_round_created")
}

#[derive(Deserialize)]
pub(super) struct RoundCloseForm {
    version: String,
    #[serde(default)]
    report: String,
}

pub(super) async fn round_close_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<RoundCloseForm>) -> Response {
    let r = async { api::do_close_round(&st, &cx.auth, id, fields::form_version(&f.version)?, &f.report).await }.await;
    back(cx.lang, &format!("/supervision/{id}"), r.map(|_| "pipeline.flash_round_closed"))
}
