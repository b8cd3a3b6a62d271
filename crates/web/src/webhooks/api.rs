//! The JSON routes of the webhooks (nested under `/api/v1`): the subscriptions, a new one (its
//! secret answered once here and on its own page), a change, a new secret, a test delivery,
//! removal; each subscription's deliveries with their tries, and trying a given-up one again.
//! Every route is `Action::Subscribe`: administrators and the coordinating bureau.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, FormError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::webhooks::{Event, SubscriptionInput};
use zhantu_store::webhooks::Subscription;

pub fn router() -> Routes {
    Routes::new()
        .route("/webhooks", get(list).post(create))
        .route("/webhooks/{id}", get(one).put(update).delete(remove))
        .route("/webhooks/{id}/secret", post(rotate))
        .route("/webhooks/{id}/ping", post(ping))
        .route("/webhooks/{id}/deliveries/{delivery}", get(attempts))
        .route("/webhooks/{id}/deliveries/{delivery}/retry", post(retry))
}

/// The events a subscription may choose, with their names.
pub(super) fn events_json() -> Value {
    Event::subscribable()
        .map(|e| json!({ "code": e.code(), "label": e.label_zh(), "label_en": e.label_en() }))
        .collect()
}

fn with_secret(s: &Subscription) -> Value {
    let mut v = json!(s);
    v["secret"] = json!(s.secret);
    v
}

async fn list(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Subscribe)?;
    let items = st.store.webhook_subscriptions().await?;
    Ok(Json(json!({ "total": items.len(), "items": items, "events": events_json() })))
}

/// A subscription as sent: a name, the receiver's address, the event codes; active unless said.
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct SubscriptionBody {
    #[serde(default)]
    pub version: Option<i64>,
    pub name: String,
    pub url: String,
    #[serde(default)]
    pub events: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl SubscriptionBody {
    fn input(&self) -> Result<SubscriptionInput, FormError> {
        Ok(SubscriptionInput::parse(&self.name, &self.url, &self.events, self.active)?)
    }
}

pub(super) async fn do_create(st: &AppState, a: &Auth, b: &SubscriptionBody) -> Result<Subscription, FormError> {
    a.actor.may(Action::Subscribe)?;
    let input = b.input()?;
    Ok(st.store.create_webhook(&input, &super::new_secret(), &a.audit()).await?)
}

async fn create(State(st): State<AppState>, a: Auth, Json(b): Json<SubscriptionBody>) -> Result<Created, FormError> {
    Ok(created(with_secret(&do_create(&st, &a, &b).await?)))
}

async fn one(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Subscribe)?;
    let s = st.store.webhook_subscription(id).await.or_not_found(format!("订阅 {id} 不存在"))?;
    let mut v = with_secret(&s);
    v["deliveries"] = json!(st.store.webhook_deliveries(id, 100).await?);
    Ok(Json(v))
}

pub(super) async fn do_update(st: &AppState, a: &Auth, id: i64, b: &SubscriptionBody) -> Result<Subscription, FormError> {
    a.actor.may(Action::Subscribe)?;
    let version = b
        .version
        .ok_or_else(|| ApiError::bad_request("version_required", "请带上读取时的版本号（version）"))?;
    let input = b.input()?;
    Ok(st
        .store
        .update_webhook(id, version, &input, &a.audit())
        .await
        .or_not_found(format!("订阅 {id} 不存在"))?)
}

async fn update(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<SubscriptionBody>,
) -> Result<Json<Subscription>, FormError> {
    Ok(Json(do_update(&st, &a, id, &b).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct VersionBody {
    pub version: i64,
}

pub(super) async fn do_remove(st: &AppState, a: &Auth, id: i64, version: i64) -> Result<(), ApiError> {
    a.actor.may(Action::Subscribe)?;
    st.store
        .delete_webhook(id, version, &a.audit())
        .await
        .or_not_found(format!("订阅 {id} 不存在"))
}

/// `DELETE /webhooks/{id}?version=N`.
async fn remove(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    ApiQuery(q): ApiQuery<VersionBody>,
) -> Result<StatusCode, ApiError> {
    do_remove(&st, &a, id, q.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn do_rotate(st: &AppState, a: &Auth, id: i64, version: i64) -> Result<Subscription, ApiError> {
    a.actor.may(Action::Subscribe)?;
    st.store
        .rotate_webhook_secret(id, version, &super::new_secret(), &a.audit())
        .await
        .or_not_found(format!("订阅 {id} 不存在"))
}

/// `POST /webhooks/{id}/secret {version}`: a new secret, answered with the subscription.
async fn rotate(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<VersionBody>) -> Result<Json<Value>, ApiError> {
    Ok(Json(with_secret(&do_rotate(&st, &a, id, b.version).await?)))
}

pub(super) async fn do_ping(st: &AppState, a: &Auth, id: i64) -> Result<i64, ApiError> {
    a.actor.may(Action::Subscribe)?;
    st.store
        .ping_webhook(id, &a.audit())
        .await
        .or_not_found(format!("订阅 {id} 不存在"))
}

/// `POST /webhooks/{id}/ping`: queues a test delivery (`ping`); 202 with its id.
async fn ping(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<(StatusCode, Json<Value>), ApiError> {
    let delivery = do_ping(&st, &a, id).await?;
    Ok((StatusCode::ACCEPTED, Json(json!({ "delivery": delivery }))))
}

fn ids(id: &str, delivery: &str) -> Result<(i64, i64), ApiError> {
    match (id.parse(), delivery.parse()) {
        (Ok(i), Ok(d)) => Ok((i, d)),
        _ => Err(ApiError::not_found("记录不存在")),
    }
}

/// `GET /webhooks/{id}/deliveries/{delivery}`: the delivery's body and every try.
async fn attempts(State(st): State<AppState>, a: Auth, Path((id, delivery)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Subscribe)?;
    let (id, delivery) = ids(&id, &delivery)?;
    let d = st
        .store
        .webhook_delivery(id, delivery)
        .await
        .or_not_found(format!("投递 {delivery} 不存在"))?;
    let tries = st.store.webhook_attempts(id, delivery).await?;
    let mut v = json!(d);
    v["body"] = serde_json::from_str(&d.body()).unwrap_or(Value::Null);
    v["attempts"] = json!(tries);
    Ok(Json(v))
}

pub(super) async fn do_retry(st: &AppState, a: &Auth, id: i64, delivery: i64) -> Result<(), ApiError> {
    a.actor.may(Action::Subscribe)?;
    Ok(st.store.retry_webhook_delivery(id, delivery, &a.audit()).await?)
}

/// `POST /webhooks/{id}/deliveries/{delivery}/retry`: a given-up delivery tried again.
async fn retry(State(st): State<AppState>, a: Auth, Path((id, delivery)): Path<(String, String)>) -> Result<StatusCode, ApiError> {
    let (id, delivery) = ids(&id, &delivery)?;
    do_retry(&st, &a, id, delivery).await?;
    Ok(StatusCode::ACCEPTED)
}
