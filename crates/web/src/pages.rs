//! Sign-in and sign-out, the stylesheet, and the HTML escaping every page uses. The signed-in
//! pages (cockpit, registry, project, battle map, map) are in `ui/`.

use crate::AppState;
use crate::auth::{self, Auth, Via};
use crate::error::ApiError;
use crate::guard::PRE_SESSION_CSRF_COOKIE;
use crate::ui::i18n::{Lang, t};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;

const APP_CSS: &str = include_str!("../assets/app.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
        .route(
            "/assets/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    APP_CSS,
                )
            }),
        )
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · {}</title><link rel="stylesheet" href="/assets/app.css"></head><body>{body}</body></html>"#,
        lang.html_code(),
        esc(title),
        t(lang, "app.name")
    )
}

/// Only same-site relative paths may be redirected to after sign-in. Browsers drop tabs and
/// newlines and read `\` as `/`, so `/\t/evil.example` would leave the site: such paths are
/// refused whole.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.chars().any(|c| c == '\\' || c.is_control()) => n,
        _ => "/",
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    error: Option<String>,
    lang: Option<String>,
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
    let error = q
        .error
        .as_deref()
        .map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, esc(e)))
        .unwrap_or_default();
    let hint = if demo {
        format!(r#"<p class="hint">{} <code>Zhantu2019</code></p>"#, t(lang, "login.demo_hint"))
    } else {
        String::new()
    };
    let other = lang.other();
    let body = format!(
        r#"<main class="login"><h1>{heading}</h1>{error}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{pre}"><input type="hidden" name="next" value="{next}">
<label for="username">{user}</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">{password}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{submit}</button></form>{hint}
<p><a href="/login?lang={other_code}" lang="{other_code}" hreflang="{other_code}">{other_name}</a></p></main>"#,
        heading = t(lang, "login.title"),
        user = t(lang, "login.username"),
        password = t(lang, "login.password"),
        submit = t(lang, "login.submit"),
        other_code = other.code(),
        other_name = t(other, "lang.self"),
        next = esc(safe_next(q.next.as_deref())),
    );
    let mut resp = Html(page(lang, t(lang, "login.submit"), &body)).into_response();
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
