//! OC4IDS (issue #19): `GET /api/v1/export/oc4ids.json`, the reader's projects as an OC4IDS
//! 0.9 project package, and `POST /api/v1/import/oc4ids`, a package's projects into the
//! district, all or none. The exported projects are the registry's for the same filters and
//! the same scope (a unit's staff get their units' projects); the mapping both ways is the
//! domain's (`zhantu_domain::oc4ids`), the reads and writes the store's.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::query::ProjectsQuery;
use crate::routes::post;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::oc4ids;
use zhantu_domain::oc4ids::import::ProjectRefusal;

/// The largest package accepted: as large as a spreadsheet import (a district's package runs
/// past the app's default body limit of 1 MiB).
const MAX_PACKAGE_BYTES: usize = 64 * 1024 * 1024;

pub const MECHANISM: Mechanism = Mechanism {
    name: "oc4ids",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/export/oc4ids.json", get(export))
        .route("/import/oc4ids", post(import).body_limit(MAX_PACKAGE_BYTES))
}

/// `GET /export/oc4ids.json` with the registry's filters (`unit`, `stage`, `division`, …).
async fn export(
    State(st): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ProjectsQuery>,
) -> Result<Json<Value>, ApiError> {
    let mut filter = q.to_filter()?;
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    let facts = st.store.oc4ids_projects(&filter).await?;
    if facts.is_empty() {
        // A package holds at least one project (the standard's `minItems`).
        return Err(ApiError::not_found("没有可导出的项目：所选范围内没有项目"));
    }
    let district = st.store.oc4ids_district().await?;
    let as_of = st.store.as_of().await?;
    let projects = facts.iter().map(|p| oc4ids::project(&district, p, as_of)).collect();
    // The package's address is this request's, as the reader reached the server.
    let host = headers.get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = match headers.get("x-forwarded-proto").and_then(|h| h.to_str().ok()) {
        Some("https") => "https",
        _ => "http",
    };
    let uri = format!("{scheme}://{host}/api/v1/export/oc4ids.json");
    let published = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(Json(oc4ids::package(&uri, &published, &district, projects)))
}

/// `POST /import/oc4ids` (those who may import): a project package as the body. Every project
/// is read and checked first; when any cannot be written, none is, and the answer (400
/// `invalid_projects`) lists each such project (its place, its id) with all its reasons.
async fn import(State(st): State<AppState>, a: Auth, Json(package): Json<Value>) -> Result<Response, ApiError> {
    a.actor.may(Action::Import)?;
    let as_of = st.store.as_of().await?;
    let read = match oc4ids::import::read_package(&package, as_of) {
        Ok(read) => read,
        Err(refused) => return Ok(refusal(refused)),
    };
    match st.store.import_oc4ids(&read, &a.audit()).await? {
        Ok(done) => Ok((
            StatusCode::CREATED,
            Json(json!({ "created": done.project_ids.len(), "project_ids": done.project_ids, "units_created": done.units_created })),
        )
            .into_response()),
        Err(refused) => Ok(refusal(refused)),
    }
}

fn refusal(projects: Vec<ProjectRefusal>) -> Response {
    let message = format!("{}个项目无法导入，全部未导入：请按各项目的原因修改后重新提交", projects.len());
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": { "code": "invalid_projects", "message": message, "projects": projects } })),
    )
        .into_response()
}
