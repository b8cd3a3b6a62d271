//! The projects' JSON: the registry (`/api/v1/projects`, the same filters as the page), one
//! project whole, its changes (PATCH, with the record's version), its audit history, and
//! pausing and resuming it (coordinators).

use crate::AppState;
use crate::access::{check_project, edit, read};
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, IdPath};
use crate::query::ProjectsQuery;
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_store::ProjectPage;

pub(super) async fn list_projects(
    State(st): State<AppState>,
    a: Auth,
    ApiQuery(q): ApiQuery<ProjectsQuery>,
) -> Result<Json<ProjectPage>, ApiError> {
    let mut filter = q.to_filter()?;
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    Ok(Json(st.store.list_projects(&filter).await?))
}

pub(super) async fn project_history(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    let f = zhantu_store::AuditFilter {
        entity: Some("project".into()),
        entity_id: Some(id),
        limit: 500,
        ..Default::default()
    };
    Ok(Json(json!({ "items": st.store.audit_entries(&f).await? })))
}

/// `PATCH /projects/{id}`: `{"version": n, "name": …, "total_investment": "1234.5万元", …}`.
pub(super) async fn update_project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, body: String) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let v: Value = serde_json::from_str(&body).map_err(|_| ApiError::bad_request("invalid_body", "请求内容不是有效的 JSON"))?;
    let change = crate::forms::project_change(&v)?;
    let version = v["version"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号），请先读取记录再修改"))?;
    let new_version = st.store.update_project(id, version, &change, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": new_version })))
}

pub(super) async fn project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    let p = st.store.project_detail(id).await.or_not_found(format!("项目 {id} 不存在"))?;
    Ok(Json(
        serde_json::to_value(p).map_err(|e| ApiError::bad_request("internal", e.to_string()))?,
    ))
}

#[derive(Deserialize)]
pub(super) struct PauseBody {
    version: i64,
    #[serde(default)]
    reason: String,
}

fn verify(_unit_id: i64) -> Action {
    Action::Verify
}

/// Pauses or resumes a project (coordinators only).
async fn set_paused(st: &AppState, a: &Auth, id: i64, b: &PauseBody, paused: bool) -> Result<Json<Value>, ApiError> {
    check_project(st, &a.actor, id, verify).await?;
    let v = st.store.set_paused(id, b.version, paused, &b.reason, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "paused": paused, "version": v })))
}

pub(super) async fn pause(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<PauseBody>,
) -> Result<Json<Value>, ApiError> {
    set_paused(&st, &a, id, &b, true).await
}

pub(super) async fn resume(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<PauseBody>,
) -> Result<Json<Value>, ApiError> {
    set_paused(&st, &a, id, &b, false).await
}
