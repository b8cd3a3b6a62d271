//! `/admin/webhooks`: the subscriptions with the new-subscription form, and
//! `/admin/webhooks/{id}`: one subscription — its settings, its secret and how a receiver checks
//! a signature, a test delivery, and the log of deliveries with their last try. The forms call
//! the same functions as the JSON API.

use super::api::{SubscriptionBody, do_create, do_ping, do_remove, do_retry, do_rotate, do_update};
use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, FormError, OrNotFound};
use crate::extract::IdPath;
use crate::fields::form_version;
use crate::page::{Ctx, Flash, Lang, Markup, PageError, admin, back, layout, to_created};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, Response};
use zhantu_domain::access::Action;
use zhantu_domain::webhooks::Event;
use zhantu_store::webhooks::{Delivery, Subscription};

pub fn router() -> Routes {
    Routes::new()
        .route("/admin/webhooks", get(list_page).post(create_form))
        .route("/admin/webhooks/{id}", get(one_page).post(update_form))
        .route("/admin/webhooks/{id}/secret", post(rotate_form))
        .route("/admin/webhooks/{id}/ping", post(ping_form))
        .route("/admin/webhooks/{id}/delete", post(delete_form))
        .route("/admin/webhooks/{id}/deliveries/{delivery}/retry", post(retry_form))
}

const FLASH: &[&str] = &["webhooks.flash_"];
const LIST: &str = "/admin/webhooks";

fn event_name(lang: Lang, code: &str) -> String {
    match Event::from_code(code) {
        Some(e) => match lang {
            Lang::Zh => e.label_zh().to_string(),
            Lang::En => e.label_en().to_string(),
        },
        None => code.to_string(),
    }
}

/// A choice of event in a form: its code, its name, whether it is ticked.
struct EventChoice {
    code: &'static str,
    name: String,
    on: bool,
}

fn event_choices(lang: Lang, chosen: &[Event]) -> Vec<EventChoice> {
    Event::subscribable()
        .map(|e| EventChoice {
            code: e.code(),
            name: event_name(lang, e.code()),
            on: chosen.contains(&e),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "webhooks/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    subscriptions: Vec<Subscription>,
    events: Vec<EventChoice>,
    token: &'a str,
}

impl ListPage<'_> {
    fn events_of(&self, s: &Subscription) -> String {
        let sep = match self.cx.lang {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        s.events
            .iter()
            .map(|e| event_name(self.cx.lang, e.code()))
            .collect::<Vec<_>>()
            .join(sep)
    }
}

async fn list_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::Subscribe).map_err(cx.err())?;
    let title = cx.t("nav.webhooks");
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        subscriptions: st.store.webhook_subscriptions().await.map_err(cx.err())?,
        events: event_choices(cx.lang, &[]),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Template)]
#[template(path = "webhooks/one.html")]
struct OnePage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    s: &'a Subscription,
    events: Vec<EventChoice>,
    deliveries: Vec<Delivery>,
    token: &'a str,
}

impl OnePage<'_> {
    fn event(&self, code: &str) -> String {
        event_name(self.cx.lang, code)
    }
    fn state(&self, d: &Delivery) -> &'static str {
        self.cx.t(if d.delivered_at.is_some() {
            "webhooks.state.delivered"
        } else if d.failed_at.is_some() {
            "webhooks.state.failed"
        } else if d.attempts > 0 {
            "webhooks.state.retrying"
        } else {
            "webhooks.state.pending"
        })
    }
    fn status(&self, d: &Delivery) -> String {
        d.last_status.map(|s| s.to_string()).unwrap_or_else(|| "—".into())
    }
    fn when(&self, t: &Option<String>) -> String {
        t.as_deref().map(|t| self.cx.time(t)).unwrap_or_else(|| "—".into())
    }
}

async fn one_page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::Subscribe).map_err(cx.err())?;
    let s = st
        .store
        .webhook_subscription(id)
        .await
        .or_not_found(format!("{} {id}", cx.t("webhooks.missing")))
        .map_err(cx.err())?;
    let deliveries = st.store.webhook_deliveries(id, 100).await.map_err(cx.err())?;
    let title = s.name.clone();
    let body = Markup::of(&OnePage {
        cx: &cx,
        title: &title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        s: &s,
        events: event_choices(cx.lang, &s.events),
        deliveries,
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

/// The form of a subscription, as its fields arrive (the events are repeated `events=` fields,
/// `active` a ticked box).
fn body_of(fields: &[(String, String)]) -> Result<SubscriptionBody, ApiError> {
    let one = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let version = match one("version").as_str() {
        "" => None,
        v => Some(form_version(v)?),
    };
    Ok(SubscriptionBody {
        version,
        name: one("name"),
        url: one("url"),
        events: fields.iter().filter(|(k, _)| k == "events").map(|(_, v)| v.clone()).collect(),
        active: fields.iter().any(|(k, v)| k == "active" && v == "1"),
    })
}

fn refusal(e: FormError) -> ApiError {
    match e {
        FormError::Api(e) => e,
        FormError::Fields(f) => ApiError::bad_request(crate::error::INVALID_FIELDS, f.summary()),
    }
}

async fn create_form(lang: Lang, State(st): State<AppState>, a: Auth, Form(f): Form<Vec<(String, String)>>) -> Response {
    let made = async {
        let body = body_of(&f)?;
        do_create(&st, &a, &body).await.map(|s| s.id).map_err(refusal)
    }
    .await;
    to_created(lang, LIST, made, "webhooks.flash_created")
}

async fn update_form(
    lang: Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(f): Form<Vec<(String, String)>>,
) -> Response {
    let r = async {
        let body = body_of(&f)?;
        do_update(&st, &a, id, &body).await.map_err(refusal)
    }
    .await;
    back(lang, &format!("{LIST}/{id}"), r.map(|_| "webhooks.flash_saved"))
}

#[derive(serde::Deserialize)]
struct VersionForm {
    #[serde(default)]
    version: String,
}

async fn rotate_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<VersionForm>) -> Response {
    let r = async { do_rotate(&st, &a, id, form_version(&f.version)?).await }.await;
    back(lang, &format!("{LIST}/{id}"), r.map(|_| "webhooks.flash_rotated"))
}

async fn ping_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Response {
    let r = do_ping(&st, &a, id).await;
    back(lang, &format!("{LIST}/{id}"), r.map(|_| "webhooks.flash_pinged"))
}

async fn delete_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<VersionForm>) -> Response {
    let r = async { do_remove(&st, &a, id, form_version(&f.version)?).await }.await;
    match r {
        Ok(()) => back(lang, LIST, Ok("webhooks.flash_deleted")),
        Err(e) => back(lang, &format!("{LIST}/{id}"), Err(e)),
    }
}

async fn retry_form(lang: Lang, State(st): State<AppState>, a: Auth, Path((id, delivery)): Path<(String, String)>) -> Response {
    let (Ok(id), Ok(delivery)) = (id.parse::<i64>(), delivery.parse::<i64>()) else {
        return back(lang, LIST, Err(ApiError::not_found("记录不存在")));
    };
    let r = do_retry(&st, &a, id, delivery).await;
    back(lang, &format!("{LIST}/{id}"), r.map(|_| "webhooks.flash_retried"))
}
