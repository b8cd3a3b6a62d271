//! `/api/v1/`: the JSON API.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::access::{check_project, edit, read};
use crate::extract::{ApiQuery, IdPath};
use crate::query::ProjectsQuery;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use zhantu_store::ProjectPage;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list_projects))
        .route("/projects/{id}", get(project).patch(update_project))
        .route("/projects/{id}/history", get(project_history))
}

async fn list_projects(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ProjectsQuery>) -> Result<Json<ProjectPage>, ApiError> {
    let mut filter = q.to_filter()?;
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    Ok(Json(st.store.list_projects(&filter).await?))
}

async fn project_history(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
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
async fn update_project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, body: String) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let v: Value = serde_json::from_str(&body).map_err(|_| ApiError::bad_request("invalid_body", "请求内容不是有效的 JSON"))?;
    let change = crate::forms::project_change(&v)?;
    let version = v["version"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号），请先读取记录再修改"))?;
    let new_version = st.store.update_project(id, version, &change, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": new_version })))
}

async fn project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    match st.store.project_detail(id).await {
        Ok(p) => Ok(Json(
            serde_json::to_value(p).map_err(|e| ApiError::bad_request("internal", e.to_string()))?,
        )),
        Err(zhantu_store::StoreError::NotFound) => Err(ApiError::not_found(format!("项目 {id} 不存在"))),
        Err(e) => Err(e.into()),
    }
}

