//! Notifications (通知): the signed-in user's inbox, marking one read, and the group robot
//! (企业微信/钉钉 webhook) the daily digest is pushed to.

use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::IdPath;
use crate::routes::{Routes, get, post};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;

pub const MECHANISM: Mechanism = Mechanism {
    name: "notifications",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/notifications", get(notifications))
        .route("/settings/webhook", get(webhook).put(set_webhook))
        .route("/notifications/{id}/read", post(mark_read))
}

#[derive(Deserialize)]
struct InboxQuery {
    unread: Option<String>,
}

/// The signed-in user's inbox (`?unread=1` for unread only), newest first.
async fn notifications(
    State(st): State<AppState>,
    a: Auth,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<InboxQuery>,
) -> Result<Json<Value>, ApiError> {
    let unread = q.unread.as_deref().is_some_and(|v| v == "1" || v == "true");
    Ok(Json(json!({ "items": st.store.notifications(a.user.id, unread).await? })))
}

async fn mark_read(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<StatusCode, ApiError> {
    st.store.mark_read(a.user.id, id).await.or_not_found("通知不存在")?;
    Ok(StatusCode::NO_CONTENT)
}

async fn webhook(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    Ok(Json(
        json!({ "url": st.store.setting("webhook_url").await?, "kind": st.store.setting("webhook_kind").await?.unwrap_or_else(|| "wecom".into()) }),
    ))
}

#[derive(Deserialize)]
struct WebhookBody {
    /// The group robot's URL; empty to stop pushing.
    url: String,
    /// `wecom` (企业微信) or `dingtalk` (钉钉).
    kind: String,
}

async fn set_webhook(State(st): State<AppState>, a: Auth, Json(b): Json<WebhookBody>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    let url = b.url.trim();
    if !url.is_empty() && !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(ApiError::bad_request("invalid_url", "机器人地址应以 https:// 开头"));
    }
    if !matches!(b.kind.as_str(), "wecom" | "dingtalk") {
        return Err(ApiError::bad_request(
            "invalid_kind",
            "机器人类型应为 wecom（企业微信）或 dingtalk（钉钉）",
        ));
    }
    st.store.set_setting("webhook_url", url, &a.audit()).await?;
    st.store.set_setting("webhook_kind", &b.kind, &a.audit()).await?;
    Ok(Json(json!({ "url": url, "kind": b.kind })))
}
