//! The projects' JSON: the registry (`/api/v1/projects`, the same filters as the page), one
//! project whole, a project created by hand, its changes (PATCH, with the record's version),
//! its stage with date and reason and the stage history, its categories and annual plan per
//! year, its audit history, and pausing and resuming it (coordinators).

use crate::AppState;
use crate::access::{check_project, edit, read};
use crate::auth::Auth;
use crate::error::{ApiError, FormError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created};
use crate::forms::{form_texts, version_of};
use crate::query::ProjectsQuery;
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::projects::{ProjectForm, ProjectYear};
use zhantu_domain::{Stage, parse_date};
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
    let version = version_of(&v)?;
    let new_version = st.store.update_project(id, version, &change, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": new_version })))
}

async fn project_json(st: &AppState, id: i64) -> Result<Value, ApiError> {
    let p = st.store.project_detail(id).await.or_not_found(format!("项目 {id} 不存在"))?;
    serde_json::to_value(p).map_err(ApiError::internal)
}

pub(super) async fn project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    Ok(Json(project_json(&st, id).await?))
}

/// Creates a project from a person's form, for a unit the actor may edit (the guard has
/// checked every id the form names against the actor's scope). The new project's id.
pub(super) async fn do_create_project(st: &AppState, a: &Auth, form: &ProjectForm) -> Result<i64, FormError> {
    match form.unit() {
        Some(unit_id) => a.actor.may(Action::Edit { unit_id })?,
        None => a.actor.may_edit_some_unit()?,
    }
    Ok(st.store.create_project(form, &a.audit()).await?)
}

/// `POST /projects`: `{"name", "unit_id", "leader_id", "project_type" (code or Chinese name),
/// "stage", "stage_on", "total_investment" (万元), "planned_year", "planned_start_on",
/// "industry_code", "division_code", "location", "land_area", "investor", "foreign",
/// "description", "code", "external_id", "nodes_from"}` → 201 with the project, its nodes
/// from the type's template as a draft plan. Every bad field is named at once (400
/// `invalid_fields`, `fields`).
pub(super) async fn create_project(State(st): State<AppState>, a: Auth, Json(v): Json<Value>) -> Result<Created, FormError> {
    let form: ProjectForm = form_texts(&v)?;
    let id = do_create_project(&st, &a, &form).await?;
    Ok(created(project_json(&st, id).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct StageBody {
    version: i64,
    /// The stage's code or Chinese name.
    to: String,
    on: String,
    #[serde(default)]
    reason: String,
}

/// `POST /projects/{id}/stage`: `{"to": "construction", "on": "2020-07-05", "reason", "version"}`;
/// the move joins the stage history and the dates the figures read follow it.
pub(super) async fn move_stage(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<StageBody>,
) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let (to, on) = (Stage::parse(&b.to)?, parse_date(&b.on)?);
    let version = st.store.move_stage(id, b.version, to, on, &b.reason, &a.audit()).await?;
    Ok(Json(
        json!({ "id": id, "version": version, "stage": to, "items": st.store.stage_history(id).await? }),
    ))
}

/// `GET /projects/{id}/stages`: the stage history, oldest first.
pub(super) async fn stages(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    Ok(Json(json!({ "items": st.store.stage_history(id).await? })))
}

/// `PUT /projects/{id}/years/{year}`: `{"version", "category_ids": [..], "planned_investment": "1200"}`;
/// an absent field stays, a null plan is removed. A unit's editor sets the plan of its
/// projects; the categories (district lists) are the coordinators'.
pub(super) async fn set_year(
    State(st): State<AppState>,
    a: Auth,
    Path((id, year)): Path<(String, String)>,
    Json(v): Json<Value>,
) -> Result<Json<Value>, FormError> {
    let id = id.parse::<i64>().map_err(|_| ApiError::not_found("记录不存在"))?;
    check_project(&st, &a.actor, id, edit).await?;
    let version = version_of(&v)?;
    let category_ids = match v.get("category_ids") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|i| {
                    i.as_i64()
                        .ok_or_else(|| ApiError::bad_request("invalid_field", "category_ids 应为项目类别编号的列表"))
                })
                .collect::<Result<Vec<i64>, ApiError>>()?,
        ),
        Some(_) => return Err(ApiError::bad_request("invalid_field", "category_ids 应为项目类别编号的列表").into()),
    };
    if category_ids.is_some() {
        a.actor.may(Action::SetCategories)?;
    }
    let planned_text = match v.get("planned_investment") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(Value::Number(n)) => Some(Some(n.to_string())),
        Some(_) => return Err(ApiError::bad_request("invalid_money", "年度计划投资应为数字（万元）或带单位的文字").into()),
    };
    let y = ProjectYear::parse(&year, category_ids, planned_text.as_ref().map(|p| p.as_deref()))?;
    let version = st.store.set_project_year(id, version, &y, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "year": y.year.get(), "version": version })))
}

#[derive(schemars::JsonSchema, Deserialize)]
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
