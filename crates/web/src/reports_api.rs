//! The JSON API of the reports area (nested under `/api/v1`): the four reports of the cadence
//! as models, issuing (freezing) a report, the issued reports and their comparison with the
//! previous issue, and the published weights of the quarterly evaluation.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::cadence::{EvaluationWeights, Report, ReportKind, ReportPeriod, compare};
use zhantu_store::StoreError;
use zhantu_store::cadence::IssuedReport;

/// The state-changing routes of this module (full paths), for the access tests.
pub const WRITE_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/reports/{kind}/{period}/issue"),
    ("PUT", "/api/v1/reports/weights"),
    ("POST", "/reports/{kind}/{period}/issue"),
    ("POST", "/reports/weights"),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports/weights", get(weights).put(save_weights))
        .route("/reports/issued", get(issued_list))
        .route("/reports/issued/{id}", get(issued_one))
        .route("/reports/issued/{id}/compare", get(issued_compare))
        .route("/reports/{kind}/{period}", get(model))
        .route("/reports/{kind}/{period}/issue", post(issue))
}

/// The formats a report downloads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Xlsx,
    Docx,
}

impl Format {
    pub fn parse(ext: &str) -> Option<Format> {
        match ext {
            "pdf" => Some(Format::Pdf),
            "xlsx" => Some(Format::Xlsx),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }
}

/// `monthly` + `2019-12` → the period, or a Chinese 400 (an unknown kind is a 404).
pub fn parse_period(kind: &str, period: &str) -> Result<ReportPeriod, ApiError> {
    let kind = ReportKind::parse(kind).map_err(|e| ApiError::not_found(e.to_string()))?;
    ReportPeriod::parse(kind, period).map_err(|e| ApiError::bad_request("invalid_period", e.to_string()))
}

/// Reports are district bulletins: every signed-in user reads them.
pub async fn build(st: &AppState, period: ReportPeriod) -> Result<Report, ApiError> {
    Ok(st.store.build_report(period).await?)
}

/// The report as a file download; rendering runs off the async threads.
pub async fn download(report: Report, format: Format) -> Result<Response, ApiError> {
    if format == Format::Docx && !report.kind.has_docx() {
        return Err(ApiError::not_found("季度督评只提供 PDF 和 Excel 格式"));
    }
    let name = report.file_name(format.ext());
    let (bytes, mime) = tokio::task::spawn_blocking(move || match format {
        Format::Pdf => zhantu_report::pdf(&report).map(|b| (b, zhantu_report::PDF_MIME)),
        Format::Xlsx => zhantu_report::xlsx(&report).map(|b| (b, zhantu_report::XLSX_MIME)),
        Format::Docx => zhantu_report::docx(&report).map(|b| (b, zhantu_report::DOCX_MIME)),
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    Ok(crate::download::file(&name, mime, bytes))
}

pub async fn load_issued(st: &AppState, id: i64) -> Result<IssuedReport, ApiError> {
    match st.store.issued_report(id).await {
        Err(StoreError::NotFound) => Err(ApiError::not_found(format!("签发的报告 {id} 不存在"))),
        other => Ok(other?),
    }
}

async fn model(State(st): State<AppState>, _a: Auth, Path((kind, period)): Path<(String, String)>) -> Result<Json<Report>, ApiError> {
    let period = parse_period(&kind, &period)?;
    Ok(Json(build(&st, period).await?))
}

pub async fn issue_period(st: &AppState, a: &Auth, kind: &str, period: &str) -> Result<IssuedReport, ApiError> {
    a.actor.may(Action::IssueReport)?;
    let period = parse_period(kind, period)?;
    Ok(st.store.issue_report(period, &a.audit()).await?)
}

async fn issue(
    State(st): State<AppState>,
    a: Auth,
    Path((kind, period)): Path<(String, String)>,
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
    let issued = issue_period(&st, &a, &kind, &period).await?;
    Ok((axum::http::StatusCode::CREATED, Json(json!(issued))))
}

#[derive(Deserialize)]
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
