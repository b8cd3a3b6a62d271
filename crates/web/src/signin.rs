//! Signing in and out: the sign-in page and its form, sign-out, and the JSON API's
//! `/api/v1/auth/login`, `/auth/logout` and `/auth/me`. The page and the API share [`sign_in`],
//! so both check the same throttle and password.

use crate::auth::{self, Auth, Via, user_json};
use crate::error::ApiError;
use crate::guard::pre_session_token;
use crate::page::{Lang, anonymous_lang, bare_page, safe_next, t};
use crate::routes::{Routes, get, post};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_store::User;

pub const MECHANISM: Mechanism = Mechanism {
    name: "signin",
    pages,
    api,
};

fn pages() -> Routes {
    Routes::new()
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
}

fn api() -> Routes {
    Routes::new()
        .route("/auth/login", post(login_json))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
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
    let lang = anonymous_lang(q.lang.as_deref(), &headers);
    // Keep the browser's pre-session token when it has one: a second sign-in tab (or the
    // browser fetching the page again in the background) must not void the form already open.
    let (pre, pre_cookie) = pre_session_token(&headers, "/login");
    let demo = st.store.setting("demo_seed").await?.is_some();
    let body = crate::page::Markup::of(&LoginPage {
        lang,
        error: q.error.as_deref(),
        pre: &pre,
        next: safe_next(q.next.as_deref()),
        demo,
    });
    let mut resp = bare_page(lang, t(lang, "login.submit"), body).into_response();
    resp.headers_mut()
        .insert(header::SET_COOKIE, pre_cookie.parse().map_err(ApiError::internal)?);
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
    // 我的待办 is where a day's work starts: signing in from the home page lands there.
    let next = match safe_next(f.next.as_deref()) {
        "/" => "/todo".to_string(),
        other => other.to_string(),
    };
    match sign_in(&st, f.username.trim(), &f.password, &address, ua).await {
        Ok((_, raw, _)) => {
            let mut resp = Redirect::to(&next).into_response();
            resp.headers_mut().insert(
                header::SET_COOKIE,
                auth::session_cookie(&raw, cookies_secure()).parse().map_err(ApiError::internal)?,
            );
            Ok(resp)
        }
        Err(e) if e.status != StatusCode::INTERNAL_SERVER_ERROR => Ok(Redirect::to(&format!(
            "/login?error={}&next={}",
            crate::guard::urlencode(&crate::page::refusal::refusal_message(crate::page::request_lang(&parts), &e)),
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
    forget_pages(&mut resp);
    Ok(resp)
}

/// Signing out empties the browser's cache of this site: pages are kept (`private, no-cache`,
/// see `cache`) and Back would otherwise still show them to the next person at the desk.
fn forget_pages(resp: &mut Response) {
    resp.headers_mut()
        .insert("clear-site-data", axum::http::HeaderValue::from_static("\"cache\""));
}

/// Sessions are `Secure` when the operator says zhantu is served over HTTPS.
pub fn cookies_secure() -> bool {
    std::env::var("ZHANTU_SECURE_COOKIES").is_ok_and(|v| v == "1")
}

/// Checks throttling and the password, then opens a session. Returns the user, the cookie
/// value and the session's CSRF token.
pub async fn sign_in(
    st: &AppState,
    username: &str,
    password: &str,
    address: &str,
    user_agent: &str,
) -> Result<(User, String, String), ApiError> {
    let since = (chrono::Utc::now() - chrono::Duration::minutes(auth::THROTTLE_WINDOW_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    // The attempt is written (as a failure) before it is counted and before the password is
    // checked, so simultaneous attempts see each other: no more than the allowance reach the
    // password check, on any number of instances.
    let (attempt, by_user, by_address) = st.store.claim_login_attempt(username, address, &since).await?;
    if by_user >= auth::MAX_FAILURES_PER_ACCOUNT || by_address >= auth::MAX_FAILURES_PER_ADDRESS {
        st.store.forget_login_attempt(attempt).await?;
        return Err(ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "too_many_attempts",
            message: format!("登录失败次数过多，请{}分钟后再试", auth::THROTTLE_WINDOW_MINUTES),
            fields: Default::default(),
        });
    }
    let user = st.store.user_by_username(username).await?;
    // Verify against a dummy hash for unknown users too, so timing does not reveal which exist.
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$dGhpc2lzbm90YXJlYWxoYXNoYXRhbGwxMjM0NTY");
    let ok = auth::verify_password(password, hash);
    let user = match (user, ok) {
        (Some(u), true) => u,
        _ => {
            return Err(ApiError {
                status: StatusCode::UNAUTHORIZED,
                code: "bad_credentials",
                message: "用户名或密码错误".into(),
                fields: Default::default(),
            });
        }
    };
    if !user.active {
        return Err(ApiError::forbidden("该账户已停用，请联系系统管理员").with_code("account_disabled"));
    }
    st.store.login_attempt_succeeded(attempt).await?;
    let raw = auth::random_token();
    let csrf = auth::random_token();
    st.store
        .create_session(
            &auth::sha256_hex(&raw),
            user.id,
            &csrf,
            &auth::session_expiry(),
            address,
            user_agent,
        )
        .await?;
    Ok((user, raw, csrf))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct LoginBody {
    username: String,
    password: String,
}

async fn login_json(
    State(st): State<AppState>,
    parts: axum::http::request::Parts,
    body: Result<Json<LoginBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(b) = body.map_err(|_| ApiError::bad_request("invalid_body", "请提交 JSON：{\"username\":…, \"password\":…}"))?;
    let address = auth::client_address(&parts);
    let ua = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (user, raw, csrf) = sign_in(&st, b.username.trim(), &b.password, &address, ua).await?;
    let mut resp = Json(json!({ "user": user_json(&user), "csrf_token": csrf })).into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        auth::session_cookie(&raw, cookies_secure()).parse().map_err(ApiError::internal)?,
    );
    Ok(resp)
}

async fn logout(State(st): State<AppState>, a: Auth) -> Result<Response, ApiError> {
    if let Via::Session { id_hash, .. } = &a.via {
        st.store.delete_session(id_hash).await?;
    }
    let mut resp = StatusCode::NO_CONTENT.into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        auth::clear_session_cookie().parse().map_err(ApiError::internal)?,
    );
    forget_pages(&mut resp);
    Ok(resp)
}

async fn me(a: Auth) -> Json<Value> {
    let csrf = match &a.via {
        Via::Session { csrf, .. } => Some(csrf.clone()),
        Via::Token => None,
    };
    Json(json!({ "user": user_json(&a.user), "csrf_token": csrf }))
}
