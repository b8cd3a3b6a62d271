//! `GET /healthz`: the database answers; the engine and the version, for monitoring.

use crate::error::ApiError;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub const MECHANISM: Mechanism = Mechanism {
    name: "health",
    pages: router,
    api: Mechanism::none,
};

fn router() -> Routes {
    Routes::new().route("/healthz", get(healthz))
}

async fn healthz(State(st): State<AppState>) -> Result<Json<Value>, ApiError> {
    st.store.is_empty().await?;
    Ok(Json(
        json!({ "status": "ok", "engine": st.store.engine().name(), "version": env!("CARGO_PKG_VERSION") }),
    ))
}
