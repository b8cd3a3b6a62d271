//! The cadence's JSON API (nested under `/api/v1`): the four reports as models, issuing
//! (freezing) a report, the issued reports and their comparison with the previous issue, and
//! the published weights of the quarterly evaluation.

use super::{build, issue_period, load_issued, parse_period};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Created, IdPath, created};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::cadence::{EvaluationWeights, Lang, Report, ReportKind, compare};

pub fn router() -> Routes {
    Routes::new()
        .route("/reports/weights", get(weights).put(save_weights))
        .route("/reports/issued", get(issued_list))
        .route("/reports/issued/{id}", get(issued_one))
        .route("/reports/issued/{id}/compare", get(issued_compare))
        .route("/reports/{kind}/{period}", get(model))
        .route("/reports/{kind}/{period}/issue", post(issue))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct ModelQuery {
    /// `en` for the English report (Chinese otherwise).
    lang: Option<String>,
}

async fn model(
    State(st): State<AppState>,
    _a: Auth,
    Path((kind, period)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<ModelQuery>,
) -> Result<Json<Report>, ApiError> {
    let period = parse_period(Lang::Zh, &kind, &period)?;
    let lang = match q.lang.as_deref() {
        None | Some("") | Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        Some(other) => return Err(ApiError::bad_request("invalid_lang", format!("语言无效：{other}（可选 zh、en）"))),
    };
    Ok(Json(build(&st, period, lang).await?))
}

/// Body (optional): `{ "confirm_missing_glyphs": true }` to issue a report whose PDF lacks
/// glyphs (refused with 400 `missing_glyphs`, naming them, without it).
async fn issue(
    State(st): State<AppState>,
    a: Auth,
    Path((kind, period)): Path<(String, String)>,
    body: Option<Json<Value>>,
) -> Result<Created, ApiError> {
    let confirmed = body.is_some_and(|Json(b)| b["confirm_missing_glyphs"].as_bool() == Some(true));
    let issued = issue_period(&st, &a, Lang::Zh, &kind, &period, confirmed).await?;
    Ok(created(json!(issued)))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct IssuedQuery {
    kind: Option<String>,
}

async fn issued_list(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<IssuedQuery>) -> Result<Json<Value>, ApiError> {
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => Some(ReportKind::parse(k).map_err(|e| ApiError::bad_request("invalid_kind", e.to_string()))?),
        None => None,
    };
    Ok(Json(json!({ "items": st.store.issued_reports(kind).await? })))
}

async fn issued_one(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let issued = load_issued(&st, id).await?;
    let now = st.store.data_version().await?;
    let changed = now.seq != issued.summary.data_version.seq;
    let mut v = json!(issued);
    v["current_data_version"] = json!(now);
    v["data_changed_since"] = json!(changed);
    Ok(Json(v))
}

async fn issued_compare(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let issued = load_issued(&st, id).await?;
    let previous = st.store.previous_issue(&issued.summary).await?;
    Ok(Json(json!({
        "issue": issued.summary,
        "previous": previous.as_ref().map(|p| &p.summary),
        "changes": compare(&issued.report, previous.as_ref().map(|p| &p.report)),
    })))
}

async fn weights(State(st): State<AppState>, _a: Auth) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({
        "current": st.store.evaluation_weights().await?,
        "history": st.store.evaluation_weight_history().await?,
    })))
}

/// `{ "version": <the version in force>, "on_time": 25, "investment": 30, "landing": 20,
/// "problems": 15, "timeliness": 10 }`.
async fn save_weights(State(st): State<AppState>, a: Auth, body: Option<Json<Value>>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::IssueReport)?;
    let Some(Json(body)) = body else {
        return Err(ApiError::bad_request("invalid_body", "请求体应为 JSON"));
    };
    let version = body["version"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("invalid_body", "缺少当前权重版本 version"))?;
    let w: EvaluationWeights = serde_json::from_value(body.clone()).map_err(|_| {
        ApiError::bad_request(
            "invalid_body",
            "权重应为非负整数：on_time、investment、landing、problems、timeliness",
        )
    })?;
    w.validate().map_err(|e| ApiError::bad_request("invalid_weights", e.to_string()))?;
    let saved = st.store.save_evaluation_weights(version, &w, &a.audit()).await?;
    Ok(Json(json!(saved)))
}
