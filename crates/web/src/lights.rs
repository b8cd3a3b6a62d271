//! Lights (亮灯) rolled up for the whole district (`/api/v1/lights/board`).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;

pub const MECHANISM: Mechanism = Mechanism {
    name: "lights",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new().route("/lights/board", get(board))
}

/// Lights rolled up node → project → unit (with the units below) → leader, for readers who
/// see the whole district.
async fn board(State(st): State<AppState>, a: Auth) -> Result<Json<zhantu_store::LightBoard>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区亮灯汇总"));
    }
    Ok(Json(st.store.light_board().await?))
}
