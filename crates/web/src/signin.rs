//! Signing in and out: the sign-in page and its form, and sign-out. The JSON API's sign-in
//! (`/api/v1/auth/…`) shares `accounts::sign_in`, so both check the same throttle and password.

use crate::auth::{self, Auth, Via};
use crate::error::ApiError;
use crate::guard::PRE_SESSION_CSRF_COOKIE;
use crate::page::{Lang, bare_page, safe_next, t};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

pub const MECHANISM: Mechanism = Mechanism {
    name: "signin",
    pages,
    api: Mechanism::none,
    write_routes: &[("POST", "/login"), ("POST", "/logout")],
};

fn pages() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    error: Option<String>,
    lang: Option<String>,
}

#[derive(Template)]
#[template(path = "signin/login.html")]
struct LoginPage<'a> {
    lang: Lang,
    error: Option<&'a str>,
    /// The browser's pre-session CSRF token.
    pre: &'a str,
    next: &'a str,
    demo: bool,
}

impl LoginPage<'_> {
    fn t(&self, key: &str) -> &'static str {
        t(self.lang, key)
    }
}

async fn login_page(State(st): State<AppState>, headers: HeaderMap, Query(q): Query<LoginQuery>) -> Result<Response, ApiError> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .or_else(|| auth::cookie(&headers, "zhantu_lang").as_deref().and_then(Lang::from_code))
        .unwrap_or(Lang::Zh);
    // Keep the browser's pre-session token when it has one: a second sign-in tab (or the
    // browser fetching the page again in the background) must not void the form already open.
    let pre = auth::cookie(&headers, PRE_SESSION_CSRF_COOKIE)
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(auth::random_token);
    let demo = st.store.setting("demo_seed").await?.is_some();
    let body = crate::page::Markup::of(&LoginPage {
        lang,
        error: q.error.as_deref(),
        pre: &pre,
        next: safe_next(q.next.as_deref()),
        demo,
    });
    let mut resp = bare_page(lang, t(lang, "login.submit"), body).into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        format!("{PRE_SESSION_CSRF_COOKIE}={pre}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600")
            .parse()
            .map_err(ApiError::internal)?,
    );
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_form(State(st): State<AppState>, parts: axum::http::request::Parts, Form(f): Form<LoginForm>) -> Result<Response, ApiError> {
    let address = auth::client_address(&parts);
    let ua = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let next = safe_next(f.next.as_deref()).to_string();
    match crate::accounts::sign_in(&st, f.username.trim(), &f.password, &address, ua).await {
        Ok((_, raw, _)) => {
            let mut resp = Redirect::to(&next).into_response();
            resp.headers_mut().insert(
                header::SET_COOKIE,
                auth::session_cookie(&raw, crate::accounts::cookies_secure())
                    .parse()
                    .map_err(ApiError::internal)?,
            );
            Ok(resp)
        }
        Err(e) if e.status != StatusCode::INTERNAL_SERVER_ERROR => Ok(Redirect::to(&format!(
            "/login?error={}&next={}",
            crate::guard::urlencode(&e.message),
            crate::guard::urlencode(&next)
        ))
        .into_response()),
        Err(e) => Err(e),
    }
}

async fn logout_form(State(st): State<AppState>, a: Auth) -> Result<Response, ApiError> {
    if let Via::Session { id_hash, .. } = &a.via {
        st.store.delete_session(id_hash).await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        auth::clear_session_cookie().parse().map_err(ApiError::internal)?,
    );
    Ok(resp)
}
