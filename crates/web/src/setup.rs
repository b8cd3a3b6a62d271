//! The first-run page: while the database holds no district, every page leads here (the guard
//! sends it), and a form sets the district up — its name and division code, the first
//! administrator — as `zhantu init` does; `POST /api/v1/setup` does the same from a script.
//! Anonymous by nature, so the form carries the pre-session CSRF token (as the sign-in form
//! does) and JSON needs its content type; once a district is set up the page is gone (404) and
//! every setup is refused (409 `already_initialised`).
//!
//! A server reachable from the network must not let whoever finds it first claim the district:
//! `zhantu serve` makes a one-time setup code when it starts on an empty database
//! ([`issue_setup_code`]) and prints the page's address with it; the form and the API refuse
//! any other code (403 `setup_code_wrong`).

use crate::auth;
use crate::error::ApiError;
use crate::guard::{pre_session_token, urlencode};
use crate::page::{Lang, PageError, anonymous_lang, bare_page, t};
use crate::routes::{Routes, get, post};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhantu_domain::access::parse_username;
use zhantu_domain::setup::{DistrictPlace, DistrictSetup};
use zhantu_store::{AuditCtx, SetupReport, StoreError};

pub const MECHANISM: Mechanism = Mechanism { name: "setup", pages, api };

fn pages() -> Routes {
    Routes::new().route("/setup", get(setup_page).post(setup_form))
}

fn api() -> Routes {
    Routes::new().route("/setup", post(setup_json))
}

/// What the form and the JSON API send. Missing fields are empty, and refused as such.
#[derive(schemars::JsonSchema, Deserialize, Default)]
#[serde(default)]
pub struct SetupBody {
    /// Empty: the official name of a Zhejiang code.
    pub district_name: String,
    pub division: String,
    pub admin_username: String,
    /// Empty: 系统管理员.
    pub admin_display_name: String,
    pub password: String,
    /// The form's confirmation; the JSON API may leave it out.
    pub password_confirm: Option<String>,
    /// The code `zhantu serve` printed when it started.
    pub setup_code: String,
}

/// Makes a new one-time setup code for the first-run page and keeps its digest (any earlier
/// code stops working): what `zhantu serve` prints when the database holds no district.
pub async fn issue_setup_code(store: &zhantu_store::Store) -> Result<String, StoreError> {
    let code = auth::random_token()[..32].to_string();
    store.set_setup_code_digest(&auth::sha256_hex(&code)).await?;
    Ok(code)
}

/// Refuses a setup without the code the server printed.
async fn check_setup_code(st: &AppState, code: &str) -> Result<(), ApiError> {
    let wrong =
        || ApiError::forbidden("设置码不正确：请使用 zhantu serve 启动时打印的设置码（或打开它打印的地址）").with_code("setup_code_wrong");
    let Some(kept) = st.store.setup_code_digest().await? else {
        return Err(wrong());
    };
    let given = auth::sha256_hex(code.trim());
    // Digests of equal length, compared without an early exit.
    let differ = kept
        .bytes()
        .zip(given.bytes())
        .fold(kept.len() ^ given.len(), |d, (a, b)| d | usize::from(a ^ b));
    if differ == 0 { Ok(()) } else { Err(wrong()) }
}

fn already_initialised() -> ApiError {
    ApiError::conflict("already_initialised", "本系统已经初始化，不能再次初始化；请登录")
}

/// Sets the district up from a body, as `who` from `address`: what the form and the JSON API
/// share. The password the clerk chose here need not be changed at first sign-in.
async fn set_up(st: &AppState, b: &SetupBody, address: String) -> Result<SetupReport, ApiError> {
    if !st.store.needs_setup().await? {
        return Err(already_initialised());
    }
    if let Err(e) = check_setup_code(st, &b.setup_code).await {
        // A setup that finished meanwhile clears the code: say so rather than "wrong code".
        return Err(if st.store.needs_setup().await? { e } else { already_initialised() });
    }
    let place = DistrictPlace::parse(&b.division, Some(&b.district_name))?;
    let username = parse_username(&b.admin_username)?;
    let display_name = match b.admin_display_name.trim() {
        "" => "系统管理员".to_string(),
        n => n.chars().take(40).collect(),
    };
    if b.password_confirm.as_ref().is_some_and(|c| *c != b.password) {
        return Err(ApiError::bad_request("password_mismatch", "两次输入的密码不一致"));
    }
    auth::check_password_policy(&b.password, &username)?;
    let setup = DistrictSetup {
        place,
        admin_password_hash: auth::hash_password(&b.password)?,
        admin_username: username.clone(),
        admin_display_name: display_name,
        must_change_password: false,
    };
    let ctx = AuditCtx {
        actor: format!("setup:{username}"),
        address,
    };
    st.store.init_district(&setup, &ctx).await.map_err(|e| match e {
        // Another setup got there first.
        StoreError::Rule(r) if r.code == "already_initialised" => already_initialised(),
        e => e.into(),
    })
}

async fn setup_json(
    State(st): State<AppState>,
    parts: Parts,
    body: Result<Json<SetupBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) = body.map_err(|_| {
        ApiError::bad_request(
            "invalid_body",
            "请提交 JSON：{\"division\":…, \"district_name\":…, \"admin_username\":…, \"password\":…}",
        )
    })?;
    let report = set_up(&st, &b, auth::client_address(&parts)).await?;
    Ok(crate::extract::created(serde_json::json!({
        "units": report.units,
        "streets": report.streets,
        "project_types": report.project_types,
        "categories": report.categories,
        "approval_clocks": report.approval_clocks,
        "holidays": report.holidays,
        "admin": auth::user_json(&report.admin),
    }))
    .into_response())
}

/// The form's values shown again after a refusal (never the passwords).
#[derive(Deserialize, Default)]
#[serde(default)]
struct SetupQuery {
    error: Option<String>,
    lang: Option<String>,
    district_name: String,
    division: String,
    admin_username: String,
    admin_display_name: String,
    /// The setup code, from the address `zhantu serve` printed.
    code: String,
}

#[derive(Template)]
#[template(path = "setup/page.html")]
struct SetupPage<'a> {
    lang: Lang,
    q: &'a SetupQuery,
    /// The browser's pre-session CSRF token.
    pre: &'a str,
}

impl SetupPage<'_> {
    fn t(&self, key: &str) -> &'static str {
        t(self.lang, key)
    }
}

async fn setup_page(State(st): State<AppState>, headers: HeaderMap, Query(q): Query<SetupQuery>) -> Result<Response, PageError> {
    let lang = anonymous_lang(q.lang.as_deref(), &headers);
    if !st.store.needs_setup().await? {
        return Err(PageError(ApiError::not_found(t(lang, "setup.gone")), lang));
    }
    let (pre, pre_cookie) = pre_session_token(&headers, "/setup");
    let body = crate::page::Markup::of(&SetupPage { lang, q: &q, pre: &pre });
    let mut resp = bare_page(lang, t(lang, "setup.title"), body).into_response();
    let pre_cookie = pre_cookie.parse().map_err(|e| PageError(ApiError::internal(e), lang))?;
    resp.headers_mut().insert(header::SET_COOKIE, pre_cookie);
    Ok(resp)
}

async fn setup_form(State(st): State<AppState>, parts: Parts, Form(b): Form<SetupBody>) -> Response {
    // A form always confirms its password.
    let b = SetupBody {
        password_confirm: Some(b.password_confirm.unwrap_or_default()),
        ..b
    };
    match set_up(&st, &b, auth::client_address(&parts)).await {
        Ok(_) => Redirect::to("/login").into_response(),
        Err(e) if matches!(e.status, axum::http::StatusCode::BAD_REQUEST | axum::http::StatusCode::FORBIDDEN) => {
            // Said in the reader's language, as the page that shows it.
            let said = crate::page::refusal::refusal_message(crate::page::request_lang(&parts), &e);
            let again: String = [
                ("error", said.as_str()),
                ("district_name", b.district_name.as_str()),
                ("division", b.division.as_str()),
                ("admin_username", b.admin_username.as_str()),
                ("admin_display_name", b.admin_display_name.as_str()),
                ("code", b.setup_code.as_str()),
            ]
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
            Redirect::to(&format!("/setup?{again}")).into_response()
        }
        // Set up already (409), or worse: a page that says so, with the way to sign in.
        Err(e) => crate::page::back(crate::page::request_lang(&parts), "/login", Err(e)),
    }
}
