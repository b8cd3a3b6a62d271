//! Notifications (通知): the signed-in user's inbox as a page (`/notifications`) and as JSON,
//! marking one or all read, and the group robot (企业微信/钉钉 webhook) the daily digest is
//! pushed to.

use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::IdPath;
use crate::page::{Ctx, Markup, PageError, csrf_field, layout};
use crate::routes::{Routes, get, post};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Html;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;

pub const MECHANISM: Mechanism = Mechanism {
    name: "notifications",
    pages,
    api,
};

fn pages() -> Routes {
    Routes::new().route("/notifications", get(inbox_page))
}

fn api() -> Routes {
    Routes::new()
        .route("/notifications", get(notifications))
        .route("/settings/webhook", get(webhook).put(set_webhook))
        .route("/notifications/{id}/read", post(mark_read))
        .route("/notifications/read-all", post(mark_all_read))
}

#[derive(Template)]
#[template(path = "notifications/page.html")]
struct InboxPage<'a> {
    cx: &'a Ctx,
    csrf: Markup,
    items: Vec<zhantu_store::Notification>,
    unread_only: bool,
    unread: usize,
}

/// The inbox, newest first (`?unread=1`: unread only), each with its link and a button to
/// mark it read; one to mark all read. The buttons post to the JSON API (`app.js`).
async fn inbox_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<InboxQuery>) -> Result<Html<String>, PageError> {
    let unread_only = q.unread.as_deref().is_some_and(|v| v == "1" || v == "true");
    let items = st.store.notifications(cx.auth.user.id, unread_only).await.map_err(cx.err())?;
    let unread = if unread_only {
        items.len()
    } else {
        items.iter().filter(|n| n.read_at.is_none()).count()
    };
    let body = Markup::of(&InboxPage {
        cx: &cx,
        csrf: csrf_field(&cx.auth),
        items,
        unread_only,
        unread,
    });
    Ok(layout(&cx, cx.t("inbox.title"), body, &[]))
}

#[derive(schemars::JsonSchema, Deserialize)]
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

/// Marks every unread notification of the signed-in user read: `{ "marked": n }`.
async fn mark_all_read(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "marked": st.store.mark_all_read(a.user.id).await? })))
}

async fn webhook(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    Ok(Json(
        json!({ "url": st.store.setting("webhook_url").await?, "kind": st.store.setting("webhook_kind").await?.unwrap_or_else(|| "wecom".into()) }),
    ))
}

#[derive(schemars::JsonSchema, Deserialize)]
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
