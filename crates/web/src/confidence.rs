//! Delivery confidence (履约信心评级, issue #20 item 1): a project's monthly rating by its
//! responsible leader beside the rule-computed light, and how often the two disagree by unit.
//!
//! JSON (under `/api/v1`): `GET/POST /projects/{id}/confidence` (the history; a month's rating)
//! and `GET /confidence?month=YYYY-MM` (the disagreement by unit). Pages:
//! `/projects/{id}/confidence` (history and the rating form) and `/confidence` (by unit).
//! Reading follows the project's read access; rating is `Action::RateConfidence` (district
//! leaders, coordinators, administrators).

use crate::access::{check_project, read};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath, created};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::confidence::{Confidence, RatingInput, UnitDisagreement, disagreement_by_unit};
use zhantu_store::confidence::Rating;

pub const MECHANISM: Mechanism = Mechanism {
    name: "confidence",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/projects/{id}/confidence", get(history).post(rate))
        .route("/confidence", get(by_unit))
}

fn pages() -> Routes {
    Routes::new()
        .route("/projects/{id}/confidence", get(project_page).post(rate_form))
        .route("/confidence", get(units_page))
}

/// A month's rating as sent.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct RateBody {
    /// `YYYY-MM` (or `2019年6月`).
    pub month: String,
    /// `green`, `amber_green`, `amber`, `amber_red`, `red` (or 绿, 绿黄, 黄, 黄红, 红).
    pub level: String,
    /// Why: required.
    pub reason: String,
}

async fn do_rate(st: &AppState, a: &Auth, id: i64, b: &RateBody) -> Result<Rating, ApiError> {
    check_project(st, &a.actor, id, read).await?;
    a.actor.may(Action::RateConfidence)?;
    let input = RatingInput::parse(&b.month, &b.level, &b.reason)?;
    Ok(st.store.rate_confidence(id, &input, &a.audit()).await?)
}

async fn rate(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<RateBody>) -> Result<Response, ApiError> {
    let r = do_rate(&st, &a, id, &b).await?;
    Ok(if r.version == 1 {
        created(json!(r)).into_response()
    } else {
        (StatusCode::OK, Json(json!(r))).into_response()
    })
}

async fn history(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    let items = st.store.confidence_ratings(id).await?;
    Ok(Json(json!({ "project_id": id, "latest": items.first(), "items": items })))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct MonthQuery {
    /// `YYYY-MM`; the current month when absent.
    pub month: Option<String>,
}

fn month_of(q: &MonthQuery) -> Result<String, ApiError> {
    match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => {
            let (y, mo) = zhantu_domain::date::parse_month(m)?;
            Ok(format!("{y:04}-{mo:02}"))
        }
        None => Ok(chrono::Local::now().format("%Y-%m").to_string()),
    }
}

fn scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

/// The disagreement figures of a month, each unit named.
async fn figures(st: &AppState, actor: &Actor, month: &str) -> Result<Vec<(String, UnitDisagreement)>, ApiError> {
    let rated = st.store.confidence_of_month(month, scope(actor).as_deref()).await?;
    let units = st.store.units(true).await?;
    Ok(disagreement_by_unit(&rated)
        .into_iter()
        .map(|u| {
            let name = units.iter().find(|x| x.id == u.unit_id).map(|x| x.name.clone()).unwrap_or_default();
            (name, u)
        })
        .collect())
}

async fn by_unit(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<MonthQuery>) -> Result<Json<Value>, ApiError> {
    let month = month_of(&q)?;
    let units: Vec<Value> = figures(&st, &a.actor, &month)
        .await?
        .into_iter()
        .map(|(name, u)| {
            json!({ "unit": name, "unit_id": u.unit_id, "rated": u.rated, "optimistic": u.optimistic,
                                 "pessimistic": u.pessimistic, "disagreement_pct": u.disagreement_pct })
        })
        .collect();
    Ok(Json(json!({ "month": month, "units": units })))
}

// ------------------------------------------------------------------ pages

fn level_name(lang: Lang, l: Confidence) -> &'static str {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => l.label_en(),
    }
}

struct RatingRow {
    month: String,
    level_code: &'static str,
    level: &'static str,
    light: String,
    disagreement: String,
    reason: String,
    rated_by: String,
    rated_at: String,
}

#[derive(Template)]
#[template(path = "confidence/project.html")]
struct ProjectPage<'a> {
    cx: &'a Ctx,
    title: String,
    id: i64,
    flash: Markup,
    rows: Vec<RatingRow>,
    levels: Vec<(&'static str, &'static str)>,
    may_rate: bool,
    month: String,
    token: &'a str,
}

async fn project_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    check_project(&st, &cx.auth.actor, id, read).await.map_err(cx.err())?;
    let ratings = st.store.confidence_ratings(id).await.map_err(cx.err())?;
    let rows = ratings
        .iter()
        .map(|r| RatingRow {
            month: r.month.clone(),
            level_code: r.level.code(),
            level: level_name(cx.lang, r.level),
            light: r
                .light
                .map(|l| cx.t(&format!("confidence.light.{}", l.code())).to_string())
                .unwrap_or_else(|| "—".into()),
            disagreement: r
                .disagreement
                .map(|d| match cx.lang {
                    Lang::Zh => d.label_zh(),
                    Lang::En => d.label_en(),
                })
                .unwrap_or("")
                .to_string(),
            reason: r.reason.clone(),
            rated_by: r.rated_by.clone(),
            rated_at: cx.time(&r.rated_at),
        })
        .collect();
    let title = format!("{} · {} {id}", cx.t("confidence.title"), cx.t("confidence.project"));
    let body = Markup::of(&ProjectPage {
        cx: &cx,
        title: title.clone(),
        id,
        flash: flash.show(&cx, &["confidence.flash_"]),
        rows,
        levels: Confidence::ALL.iter().map(|l| (l.code(), level_name(cx.lang, *l))).collect(),
        may_rate: cx.auth.actor.may(Action::RateConfidence).is_ok(),
        month: chrono::Local::now().format("%Y-%m").to_string(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

#[derive(Deserialize)]
struct RateForm {
    month: String,
    level: String,
    reason: String,
}

async fn rate_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<RateForm>) -> Response {
    let body = RateBody {
        month: f.month,
        level: f.level,
        reason: f.reason,
    };
    let done = do_rate(&st, &a, id, &body).await.map(|_| "confidence.flash_rated");
    back(lang, &format!("/projects/{id}/confidence"), done)
}

struct UnitRow {
    unit: String,
    rated: usize,
    optimistic: usize,
    pessimistic: usize,
    pct: String,
}

#[derive(Template)]
#[template(path = "confidence/units.html")]
struct UnitsPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    month: String,
    rows: Vec<UnitRow>,
}

async fn units_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<MonthQuery>) -> Result<Html<String>, PageError> {
    let month = month_of(&q).map_err(cx.err())?;
    let rows = figures(&st, &cx.auth.actor, &month)
        .await
        .map_err(cx.err())?
        .into_iter()
        .map(|(unit, u)| UnitRow {
            unit,
            rated: u.rated,
            optimistic: u.optimistic,
            pessimistic: u.pessimistic,
            pct: u.disagreement_pct.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into()),
        })
        .collect();
    let title = cx.t("confidence.by_unit");
    let body = Markup::of(&UnitsPage {
        cx: &cx,
        title,
        month,
        rows,
    });
    Ok(layout(&cx, title, body, &[]))
}
