//! The JSON API of the pipeline area (nested under `/api/v1`).

use crate::AppState;
use axum::Router;

/// The state-changing routes of this module (full paths), for the access tests.
pub const WRITE_ROUTES: &[(&str, &str)] = &[];

pub fn router() -> Router<AppState> {
    Router::new()
}
