//! The district settings (区县设置): `GET/PUT /api/v1/settings` and the `/admin/settings`
//! page. Read by everyone signed in (the page by those who keep master data), changed by
//! administrators only, versioned by the revision of the values read.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::page::{Ctx, Flash, Markup, PageError, admin, back, layout};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::settings::DistrictSettings;
use zhantu_store::settings::SettingsView;

pub const MECHANISM: Mechanism = Mechanism {
    name: "settings",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new().route("/settings", get(get_settings).put(put_settings))
}

fn pages() -> Routes {
    Routes::new().route("/admin/settings", get(settings_page).post(settings_form))
}

async fn get_settings(State(st): State<AppState>, _a: Auth) -> Result<Json<SettingsView>, ApiError> {
    Ok(Json(st.store.district_settings().await?))
}

/// The settings as sent: the place and data date (an empty province code or data date clears
/// it), the OC4IDS prefix (empty: the default; absent: as it is), and the revision read.
#[derive(schemars::JsonSchema, Deserialize)]
struct SettingsBody {
    revision: String,
    district_name: String,
    district_division: String,
    #[serde(default)]
    province_division: Option<String>,
    #[serde(default)]
    as_of: Option<String>,
    #[serde(default)]
    oc4ids_prefix: Option<String>,
}

async fn do_put_settings(st: &AppState, a: &Auth, b: &SettingsBody) -> Result<SettingsView, ApiError> {
    a.actor.may(Action::Administer)?;
    // A client that predates the prefix keeps it as it is (the revision check covers it).
    let prefix = match &b.oc4ids_prefix {
        Some(p) => p.clone(),
        None => st.store.district_settings().await?.oc4ids_prefix.unwrap_or_default(),
    };
    let s = DistrictSettings::parse(
        &b.district_name,
        &b.district_division,
        b.province_division.as_deref().unwrap_or(""),
        b.as_of.as_deref().unwrap_or(""),
        &prefix,
    )?;
    Ok(st.store.set_district_settings(&b.revision, &s, &a.audit()).await?)
}

/// `PUT /settings` (administrators): `{"revision": "…", "district_name": "椒江区",
/// "district_division": "331002", "province_division": "330000", "as_of": "2019-12-31",
/// "oc4ids_prefix": "oc4ids-bu3kcz"}`.
async fn put_settings(State(st): State<AppState>, a: Auth, Json(b): Json<SettingsBody>) -> Result<Json<SettingsView>, ApiError> {
    Ok(Json(do_put_settings(&st, &a, &b).await?))
}

#[derive(Template)]
#[template(path = "settings/page.html")]
struct SettingsPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    s: SettingsView,
    /// The division's name from the shipped codes, where it is one of them.
    division_name: &'static str,
    may_change: bool,
    token: &'a str,
}

async fn settings_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    let s = st.store.district_settings().await?;
    let division_name = s
        .district_division
        .as_deref()
        .and_then(zhantu_domain::reference::division_name)
        .unwrap_or("");
    let title = cx.t("nav.settings");
    let body = Markup::of(&SettingsPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, &["settings.flash_"]),
        s,
        division_name,
        may_change: cx.auth.actor.may(Action::Administer).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Deserialize)]
struct SettingsForm {
    revision: String,
    district_name: String,
    district_division: String,
    #[serde(default)]
    province_division: String,
    #[serde(default)]
    as_of: String,
    #[serde(default)]
    oc4ids_prefix: String,
}

async fn settings_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, Form(f): Form<SettingsForm>) -> Response {
    let body = SettingsBody {
        revision: f.revision,
        district_name: f.district_name,
        district_division: f.district_division,
        province_division: Some(f.province_division),
        as_of: Some(f.as_of),
        oc4ids_prefix: Some(f.oc4ids_prefix),
    };
    back(
        lang,
        "/admin/settings",
        do_put_settings(&st, &a, &body).await.map(|_| "settings.flash_saved"),
    )
}
