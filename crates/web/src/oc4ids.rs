//! The OC4IDS export (issue #19): `GET /api/v1/export/oc4ids.json`, the reader's projects as
//! an OC4IDS 0.9 project package. The projects are the registry's for the same filters and the
//! same scope (a unit's staff get their units' projects); the mapping is the domain's
//! (`zhantu_domain::oc4ids`), the reads the store's.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::query::ProjectsQuery;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use serde_json::Value;
use zhantu_domain::oc4ids;

pub const MECHANISM: Mechanism = Mechanism {
    name: "oc4ids",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new().route("/export/oc4ids.json", get(export))
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
