//! Approval clocks (审批时限): a project's clocks read on the as-of date with their excluded
//! spans (JSON, nested under `/api/v1`), and recording, closing and deleting spans (业主自主时间,
//! 暂停). Reading follows the project's read access; writing is the coordinators'
//! (`Action::ExcludeClockTime`). The project page's clocks panel is drawn by `panels::clocks`
//! (templates/clocks/).

use crate::access::{check_project, read};
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{Created, IdPath, created};
use crate::routes::{Routes, delete, get, post};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::parse_date;
use zhantu_store::{NewExclusion, ProjectClocks};

pub const MECHANISM: Mechanism = Mechanism {
    name: "clocks",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/projects/{id}/clocks", get(project_clocks))
        .route("/projects/{id}/clock-exclusions", post(add).body::<AddBody>())
        .route("/clock-exclusions/{id}/close", post(close).body::<CloseBody>())
        .route("/clock-exclusions/{id}", delete(remove).body::<DeleteBody>())
}

fn exclude(_unit_id: i64) -> Action {
    Action::ExcludeClockTime
}

fn body<T: DeserializeOwned>(raw: &str, shape: &str) -> Result<T, ApiError> {
    serde_json::from_str(if raw.trim().is_empty() { "{}" } else { raw })
        .map_err(|e| ApiError::bad_request("invalid_body", format!("请求内容无效：{e}（应为 {shape}）")))
}

/// `GET /projects/{id}/clocks`: each applicable clock (elapsed, remaining, state, light) with
/// its spans, and every span of the project.
async fn project_clocks(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<ProjectClocks>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    Ok(Json(st.store.project_clocks(id).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct AddBody {
    /// The clock it stops; absent or empty: every clock of the project.
    #[serde(default)]
    clock_name: Option<String>,
    from: String,
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    reason: String,
}

/// `POST /projects/{id}/clock-exclusions`: `{"clock_name": "…"?, "from": "2019-04-01",
/// "until": "2019-04-10"?, "reason": "业主自主准备时间（补充材料）"}`.
async fn add(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, raw: String) -> Result<Created, ApiError> {
    check_project(&st, &a.actor, id, exclude).await?;
    let b: AddBody = body(&raw, r#"{"from": "2019-04-01", "until": "2019-04-10", "reason": "…"}"#)?;
    let until = b
        .until
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(parse_date)
        .transpose()?;
    let new = NewExclusion {
        clock_name: b.clock_name,
        from: parse_date(&b.from)?,
        until,
        reason: b.reason,
    };
    let added = st.store.add_clock_exclusion(id, &new, &a.audit()).await?;
    Ok(created(json!({ "exclusion": added })))
}

/// Checks the writer may touch the span's project; 404 when there is no such span.
async fn check_span(st: &AppState, a: &Auth, id: i64) -> Result<(), ApiError> {
    let span = st.store.clock_exclusion(id).await.or_not_found(format!("不计时段 {id} 不存在"))?;
    check_project(st, &a.actor, span.project_id, exclude).await
}

#[derive(schemars::JsonSchema, Deserialize)]
struct CloseBody {
    version: Option<i64>,
    /// The last day not counted; absent: the as-of date.
    #[serde(default)]
    until: Option<String>,
}

/// `POST /clock-exclusions/{id}/close`: `{"version": n, "until": "2019-04-10"?}`.
async fn close(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, raw: String) -> Result<Json<Value>, ApiError> {
    check_span(&st, &a, id).await?;
    let b: CloseBody = body(&raw, r#"{"version": 1, "until": "2019-04-10"}"#)?;
    let version = b
        .version
        .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号），请先读取记录再修改"))?;
    let until = match b.until.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_date(s)?,
        None => st.store.as_of().await?,
    };
    let closed = st.store.close_clock_exclusion(id, version, until, &a.audit()).await?;
    Ok(Json(json!({ "exclusion": closed })))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct DeleteBody {
    version: Option<i64>,
}

/// `DELETE /clock-exclusions/{id}`, optionally with `{"version": n}` (then 409 when stale).
async fn remove(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, raw: String) -> Result<StatusCode, ApiError> {
    check_span(&st, &a, id).await?;
    let b: DeleteBody = body(&raw, r#"{"version": 1}"#)?;
    st.store.delete_clock_exclusion(id, b.version, &a.audit()).await?;
    Ok(StatusCode::NO_CONTENT)
}
