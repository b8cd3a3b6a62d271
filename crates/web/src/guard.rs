//! What every request passes through: sign-in required except on the few public paths, CSRF
//! checks on every state-changing request made with a session cookie, size limits, and the
//! security headers of every response.

use crate::AppState;
use crate::auth::{Auth, Via, cookie};
use crate::error::ApiError;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Cookie for the CSRF check of the sign-in form, before there is a session.
pub const PRE_SESSION_CSRF_COOKIE: &str = "zhantu_pre";
/// The browser's pre-session token for an anonymous form on `path` (sign-in, setup): the one
/// it has, so that a second tab does not void the form already open, else a new one; and the
/// cookie that keeps it.
pub fn pre_session_token(headers: &axum::http::HeaderMap, path: &str) -> (String, String) {
    let token = cookie(headers, PRE_SESSION_CSRF_COOKIE)
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(crate::auth::random_token);
    let set = format!("{PRE_SESSION_CSRF_COOKIE}={token}; Path={path}; HttpOnly; SameSite=Strict; Max-Age=3600");
    (token, set)
}

/// Largest request body accepted (JSON, forms); uploads get their own limit where they exist.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Largest uplink package a city takes (`POST /api/v1/uplink/received`): every project of a
/// district with its nodes, about 1 KB a project, so a district of 20,000 projects fits.
pub const MAX_UPLINK_BYTES: usize = 32 * 1024 * 1024;

/// The routes whose JSON bodies may be larger than [`MAX_BODY_BYTES`], with their limit (the
/// route says the same with `body_limit`).
const LARGE_JSON_BODIES: &[(&str, usize)] = &[("/api/v1/uplink/received", MAX_UPLINK_BYTES)];

/// The largest JSON or form body a request to `path` may carry.
pub(crate) fn body_limit(path: &str) -> usize {
    LARGE_JSON_BODIES
        .iter()
        .find(|(p, _)| *p == path)
        .map_or(MAX_BODY_BYTES, |(_, n)| *n)
}

pub(crate) fn is_public(path: &str) -> bool {
    matches!(
        path,
        "/healthz" | "/login" | "/api/v1/auth/login" | "/favicon.ico" | "/setup" | "/api/v1/setup" | crate::openapi::DOCUMENT_PATH
    ) || path.starts_with("/assets/")
}

/// What still answers while no district is set up: the first-run page and what it needs.
fn serves_before_setup(path: &str) -> bool {
    matches!(path, "/healthz" | "/favicon.ico" | "/setup" | "/api/v1/setup") || path.starts_with("/assets/")
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path == "/healthz"
}

fn changes_state(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn csrf_failed() -> ApiError {
    ApiError::forbidden("请求缺少有效的安全令牌（CSRF），请刷新页面后重试").with_code("csrf_failed")
}

/// The `csrf_token` field of an urlencoded form (our tokens are hex: no decoding needed).
fn form_field<'a>(body: &'a [u8], name: &str) -> Option<&'a str> {
    std::str::from_utf8(body).ok()?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == name).then_some(v)
    })
}

/// Buffers an urlencoded body (bounded) to read its CSRF field, then puts it back.
async fn form_token(req: Request) -> Result<(Request, Option<String>), ApiError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| ApiError::too_large())?;
    let token = form_field(&bytes, "csrf_token").map(str::to_string);
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// Whether a JSON text holds the escape `\u0000` (a NUL character; a raw one is not valid JSON).
fn json_has_nul(body: &[u8]) -> bool {
    let mut backslashes = 0usize;
    for (i, &b) in body.iter().enumerate() {
        if b == b'\\' {
            backslashes += 1;
            continue;
        }
        if b == b'u' && backslashes % 2 == 1 && body.get(i + 1..i + 5) == Some(b"0000") {
            return true;
        }
        backslashes = 0;
    }
    false
}

/// Refuses a NUL character anywhere a request carries text (its path, its query, a JSON or
/// urlencoded body): PostgreSQL cannot store one in text, SQLite would keep it invisibly, and
/// no person types one. Uploads are judged by their handlers (their files hold any byte).
async fn refuse_nul(req: Request) -> Result<Request, ApiError> {
    let encoded = |s: &str| s.contains("%00");
    if encoded(req.uri().path()) || req.uri().query().is_some_and(encoded) {
        return Err(ApiError::nul_in_text());
    }
    let kind = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = kind.split(';').next().unwrap_or("").trim();
    let json = essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"));
    let form = kind.starts_with("application/x-www-form-urlencoded");
    if !json && !form {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, body_limit(parts.uri.path()))
        .await
        .map_err(|_| ApiError::too_large())?;
    let nul = if json {
        json_has_nul(&bytes)
    } else {
        bytes.windows(3).any(|w| w == b"%00") || bytes.contains(&0)
    };
    if nul {
        return Err(ApiError::nul_in_text());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

pub async fn guard(State(st): State<AppState>, req: Request, next: Next) -> Response {
    match check(st, req).await {
        Ok(req) => next.run(req).await,
        Err(resp) => resp,
    }
}

async fn check(st: AppState, req: Request) -> Result<Request, Response> {
    let req = refuse_nul(req).await.map_err(IntoResponse::into_response)?;
    let path = req.uri().path().to_string();
    let (mut parts, body) = req.into_parts();
    let lang = crate::page::request_lang(&parts);
    let auth = <Auth as axum::extract::OptionalFromRequestParts<AppState>>::from_request_parts(&mut parts, &st)
        .await
        .map_err(IntoResponse::into_response)?;
    let req = Request::from_parts(parts, body);
    let method = req.method().clone();

    // A database without a district has no account to sign in with: every page leads to the
    // first-run page, every other request is told why it cannot be served yet. (Signed-in
    // requests skip the question: a session means a district.)
    if auth.is_none() && !serves_before_setup(&path) && st.store.needs_setup().await.map_err(|e| ApiError::from(e).into_response())? {
        return Err(if is_api(&path) || changes_state(&method) {
            ApiError::conflict("setup_required", "系统尚未初始化：请打开 /setup 页面，或在服务器上运行 zhantu init").into_response()
        } else {
            Redirect::to("/setup").into_response()
        });
    }
    match &auth {
        None if !is_public(&path) => {
            return Err(if is_api(&path) || changes_state(&method) {
                ApiError::unauthorized().into_response()
            } else {
                let q = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                Redirect::to(&format!("/login?next={}", urlencode(q))).into_response()
            });
        }
        // A temporary password (set by an administrator or the CLI) opens only the way to
        // change it: the account page and its form, the API's password change, who-am-I,
        // sign-out, the language switch and the static files.
        Some(a) if a.user.must_change_password && !reaches_password_change(&path) => {
            return Err(if is_api(&path) || changes_state(&method) {
                ApiError::forbidden("请先修改临时密码（我的账户 → 修改密码，或 POST /api/v1/auth/password）")
                    .with_code("password_change_required")
                    .into_response()
            } else {
                Redirect::to("/account").into_response()
            });
        }
        _ => {}
    }
    if !changes_state(&method) {
        return Ok(req);
    }
    let req = csrf_checked(auth.as_ref().map(|a| &a.via), req).await?;
    match &auth {
        Some(a) => crate::scope::check(&st, &a.actor, req).await.map_err(|e| refused(lang, &path, e)),
        None => Ok(req),
    }
}

/// A refusal of a write: JSON for the API, the refusal page (with a way back) for a form.
fn refused(lang: crate::page::Lang, path: &str, e: ApiError) -> Response {
    if is_api(path) {
        return e.into_response();
    }
    let back = match path.rsplit_once('/') {
        Some((parent, _)) if !parent.is_empty() => parent,
        _ => path,
    };
    crate::page::back(lang, back, Err(e))
}

/// The CSRF check of a state-changing request, by how its sender signed in.
async fn csrf_checked(via: Option<&Via>, req: Request) -> Result<Request, Response> {
    match via {
        Some(Via::Token) => Ok(req),
        Some(Via::Session { csrf, .. }) => {
            let header_token = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).map(str::to_string);
            let (req, form_token) = form_token(req).await.map_err(IntoResponse::into_response)?;
            match header_token.or(form_token) {
                Some(t) if constant_time_eq(t.as_bytes(), csrf.as_bytes()) => Ok(req),
                _ => Err(csrf_failed().into_response()),
            }
        }
        None => {
            // Anonymous writes reach only the sign-in endpoints. A form needs the pre-session
            // cookie echoed in its field; JSON needs its content type (browsers cannot send
            // cross-site JSON without a CORS preflight, which zhantu never grants).
            let is_json = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            if is_json {
                return Ok(req);
            }
            let pre = cookie(req.headers(), PRE_SESSION_CSRF_COOKIE);
            let (req, form_token) = form_token(req).await.map_err(IntoResponse::into_response)?;
            match (pre, form_token) {
                (Some(a), Some(b)) if !a.is_empty() && constant_time_eq(a.as_bytes(), b.as_bytes()) => Ok(req),
                _ => Err(csrf_failed().into_response()),
            }
        }
    }
}

/// What a user with a temporary password may still reach.
fn reaches_password_change(path: &str) -> bool {
    matches!(
        path,
        "/account" | "/account/password" | "/logout" | "/lang" | "/api/v1/auth/me" | "/api/v1/auth/password" | "/api/v1/auth/logout"
    ) || path.starts_with("/assets/")
        || path == "/favicon.ico"
}

#[cfg(test)]
mod nul_tests {
    use super::json_has_nul;

    #[test]
    fn a_nul_escape_is_found_and_an_escaped_backslash_is_not_one() {
        assert!(json_has_nul(br#"{"name": "a\u0000b"}"#));
        assert!(json_has_nul(br#"{"\u0000": 1}"#));
        assert!(json_has_nul(br#"["\\\u0000"]"#));
        assert!(!json_has_nul(br#"{"name": "C:\\u0000"}"#));
        assert!(json_has_nul(br#"{"name": "\u00001"}"#));
        assert!(!json_has_nul(br#"{"name": "\u0001"}"#));
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Security headers on every response. The policy allows no inline script.
pub async fn headers(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &'static str| {
        h.insert(k, HeaderValue::from_static(v));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=()");
    set(h, "cross-origin-opener-policy", "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, "cache-control", "no-store");
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_and_encoding() {
        assert_eq!(form_field(b"a=1&csrf_token=abc&b=2", "csrf_token"), Some("abc"));
        assert_eq!(form_field(b"a=1", "csrf_token"), None);
        assert_eq!(urlencode("/projects?x=海"), "/projects%3Fx%3D%E6%B5%B7");
        assert!(constant_time_eq(b"ab", b"ab") && !constant_time_eq(b"ab", b"ac") && !constant_time_eq(b"a", b"ab"));
    }
}
