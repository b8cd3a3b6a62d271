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
use zhantu_domain::Money;
use zhantu_domain::access::Action;
use zhantu_domain::settings::{DistrictSettings, parse_statistics_threshold};
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
    /// 入统门槛: the least total investment in 万元, exact (`"500"`); empty: the default 500万元;
    /// absent: as it is.
    #[serde(default)]
    statistics_min_total: Option<String>,
    /// Must a project have started to be due in statistics; absent: as it is.
    #[serde(default)]
    statistics_requires_start: Option<bool>,
}

/// The stored threshold's amount in 万元 as typed back (empty when not set).
fn stored_min_total_wan(v: &SettingsView) -> String {
    v.statistics_min_total
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .map(|y| Money::from_yuan(y).wan_exact())
        .unwrap_or_default()
}

async fn do_put_settings(st: &AppState, a: &Auth, b: &SettingsBody) -> Result<SettingsView, ApiError> {
    a.actor.may(Action::Administer)?;
    // A client that predates the prefix or the threshold keeps them as they are (the revision
    // check covers it).
    let current = st.store.district_settings().await?;
    let prefix = match &b.oc4ids_prefix {
        Some(p) => p.clone(),
        None => current.oc4ids_prefix.clone().unwrap_or_default(),
    };
    let min_total = b.statistics_min_total.clone().unwrap_or_else(|| stored_min_total_wan(&current));
    let requires_start = match b.statistics_requires_start {
        Some(true) => "1".to_string(),
        Some(false) => "0".to_string(),
        None => current.statistics_requires_start.clone().unwrap_or_default(),
    };
    let threshold = parse_statistics_threshold(&min_total, &requires_start)?;
    let s = DistrictSettings::parse(
        &b.district_name,
        &b.district_division,
        b.province_division.as_deref().unwrap_or(""),
        b.as_of.as_deref().unwrap_or(""),
        &prefix,
    )?
    .with_statistics(threshold);
    Ok(st.store.set_district_settings(&b.revision, &s, &a.audit()).await?)
}

/// `PUT /settings` (administrators): `{"revision": "…", "district_name": "椒江区",
/// "district_division": "331002", "province_division": "330000", "as_of": "2019-12-31",
/// "oc4ids_prefix": "oc4ids-bu3kcz", "statistics_min_total": "500", "statistics_requires_start": true}`.
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
    /// The statistics threshold in 万元 (empty: not set, the default) and whether a start is
    /// required.
    statistics_min_wan: String,
    statistics_requires_start: bool,
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
        statistics_min_wan: stored_min_total_wan(&s),
        statistics_requires_start: s.statistics_requires_start.as_deref() != Some("0"),
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
    #[serde(default)]
    statistics_min_total: Option<String>,
    #[serde(default)]
    statistics_requires_start: Option<String>,
}

async fn settings_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, Form(f): Form<SettingsForm>) -> Response {
    let body = SettingsBody {
        revision: f.revision,
        district_name: f.district_name,
        district_division: f.district_division,
        province_division: Some(f.province_division),
        as_of: Some(f.as_of),
        oc4ids_prefix: Some(f.oc4ids_prefix),
        statistics_min_total: f.statistics_min_total,
        statistics_requires_start: f.statistics_requires_start.map(|v| v.trim() != "0"),
    };
    back(
        lang,
        "/admin/settings",
        do_put_settings(&st, &a, &body).await.map(|_| "settings.flash_saved"),
    )
}
