//! The cockpit's figures as JSON: `/api/v1/figures`.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, non_empty};
use crate::routes::{Routes, get};
use axum::Json;
use axum::extract::State;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::Value;

pub fn router() -> Routes {
    Routes::new().route("/figures", get(figures))
}

#[derive(schemars::JsonSchema, Debug, Deserialize)]
struct FiguresQuery {
    year: Option<String>,
    /// A division code or its prefix: 331002 one district, 3310 a city; none: everything.
    division: Option<String>,
}

/// The figures of the year, within a division when asked; a unit-scoped reader gets those of
/// the projects and problems of its own units, as on its cockpit.
async fn figures(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<FiguresQuery>) -> Result<Json<Value>, ApiError> {
    let year = match non_empty(&q.year) {
        None => st.store.as_of().await?.year(),
        Some(s) => zhantu_domain::Year::parse(s)?.get(),
    };
    let division = match non_empty(&q.division) {
        None => None,
        Some(d) if (2..=12).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => Some(d),
        Some(d) => {
            return Err(ApiError::bad_request(
                "invalid_division",
                format!("区划代码“{d}”无效：应为2到12位数字，如 331002（椒江区）或 3310（台州市）"),
            ));
        }
    };
    let scope = crate::access::scope(&a.actor);
    let f = match (division, scope.as_deref()) {
        (None, None) => st.store.year_figures(year).await?,
        (d, units) => st.store.division_figures_within(year, d, units).await?,
    };
    Ok(Json(
        serde_json::to_value(f).map_err(|e| ApiError::bad_request("internal", e.to_string()))?,
    ))
}
