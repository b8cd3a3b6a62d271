//! The lights' rule set (亮灯规则, `/api/v1/rules`): read by readers of the whole district,
//! replaced (as a new version) by administrators; every light is recomputed on saving.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::rules::RuleSet;

pub const MECHANISM: Mechanism = Mechanism {
    name: "rules",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new().route("/rules", get(rules).put(save_rules))
}

async fn rules(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看亮灯规则"));
    }
    Ok(Json(
        json!({ "current": st.store.rule_set().await?, "versions": st.store.rule_set_versions().await? }),
    ))
}

/// `PUT /rules`: the whole rule set as JSON, with `version` one above the current.
async fn save_rules(State(st): State<AppState>, a: Auth, body: String) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    let set = RuleSet::from_json(&body).map_err(|e| ApiError::bad_request("invalid_rules", e.to_string()))?;
    let saved = st.store.save_rule_set(&set, &a.audit()).await?;
    Ok(Json(json!({ "saved": saved, "note": "新规则已生效，全部项目已按新规则重新亮灯" })))
}
