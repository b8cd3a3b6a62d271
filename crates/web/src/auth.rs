//! Sign-in: argon2id password hashes, session cookies, API tokens, login throttling, and the
//! extractor that turns a request into the acting user (`Actor`).

use crate::AppState;
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use sha2::{Digest, Sha256};
use zhantu_domain::access::Actor;
use zhantu_store::{AuditCtx, User};

pub const SESSION_COOKIE: &str = "zhantu_session";
/// Sessions expire after this long without use.
pub const SESSION_IDLE_HOURS: i64 = 8;
/// Failed sign-ins allowed per account, and per address, within the window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
pub const MAX_FAILURES_PER_ADDRESS: i64 = 20;
pub const THROTTLE_WINDOW_MINUTES: i64 = 15;
pub const TOKEN_PREFIX: &str = "zt_";

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::internal(format!("password hash: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// The password rules, with the reason in Chinese.
pub fn check_password_policy(password: &str, username: &str) -> Result<(), ApiError> {
    let reason = if password.chars().count() < 10 {
        Some("密码至少10位")
    } else if !password.chars().any(|c| c.is_ascii_digit()) || !password.chars().any(|c| c.is_alphabetic()) {
        Some("密码须同时包含字母和数字")
    } else if password.to_lowercase().contains(&username.to_lowercase()) && !username.is_empty() {
        Some("密码不能包含用户名")
    } else {
        None
    };
    match reason {
        Some(r) => Err(ApiError::bad_request("weak_password", r)),
        None => Ok(()),
    }
}

/// 32 random bytes as hex: session ids, CSRF tokens, API tokens.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    OsRng.fill_bytes(&mut b);
    hex(&b)
}

pub fn sha256_hex(s: &str) -> String {
    hex(&Sha256::digest(s.as_bytes()))
}

pub fn sha256_bytes(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A cookie's value from the request.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| v.to_string())
        })
}

/// The `Set-Cookie` value of a session cookie: HttpOnly, SameSite=Lax, expiring with the session.
pub fn session_cookie(value: &str, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        SESSION_IDLE_HOURS * 3600,
        if secure { "; Secure" } else { "" }
    )
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

pub fn session_expiry() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(SESSION_IDLE_HOURS)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The client's address as the audit log records it: the socket peer, or the first
/// `X-Forwarded-For` hop when the operator says a proxy sits in front (ZHANTU_TRUST_PROXY=1).
pub fn client_address(parts: &Parts) -> String {
    if std::env::var("ZHANTU_TRUST_PROXY").is_ok_and(|v| v == "1") {
        if let Some(f) = parts.headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            return f.split(',').next().unwrap_or("").trim().to_string();
        }
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// How the request was authenticated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// A browser session; `csrf` must accompany every state-changing request.
    Session { id_hash: String, csrf: String },
    /// An API token (`Authorization: Bearer zt_…`): no ambient credential, so no CSRF check.
    Token,
}

/// The signed-in user of a request. Extracting it from an anonymous request is a 401.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: User,
    pub actor: Actor,
    pub via: Via,
    pub address: String,
}

impl Auth {
    pub fn audit(&self) -> AuditCtx {
        AuditCtx {
            actor: self.user.username.clone(),
            address: self.address.clone(),
        }
    }

    /// The user as 我的待办 and the header's count read them.
    pub fn todo_reader(&self) -> zhantu_store::TodoReader {
        zhantu_store::TodoReader {
            user_id: self.user.id,
            username: self.actor.username.clone(),
            role: self.actor.role,
            unit_scope: self.actor.unit_scope.clone(),
            display_name: self.user.display_name.clone(),
        }
    }
}

async fn resolve(parts: &mut Parts, st: &AppState) -> Result<Option<Auth>, ApiError> {
    if let Some(a) = parts.extensions.get::<Auth>() {
        return Ok(Some(a.clone()));
    }
    let address = client_address(parts);
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let (user, via) = if let Some(token) = bearer {
        match st.store.user_by_token(&sha256_hex(token)).await? {
            Some(u) => (u, Via::Token),
            None => {
                return Err(ApiError {
                    status: StatusCode::UNAUTHORIZED,
                    code: "invalid_token",
                    message: "API令牌无效或已被吊销".into(),
                    fields: Default::default(),
                });
            }
        }
    } else if let Some(raw) = cookie(&parts.headers, SESSION_COOKIE) {
        let id_hash = sha256_hex(&raw);
        match st.store.session(&id_hash).await? {
            Some(s) => {
                st.store.touch_session(&id_hash, &session_expiry()).await?;
                (
                    s.user,
                    Via::Session {
                        id_hash,
                        csrf: s.csrf_token,
                    },
                )
            }
            None => return Ok(None),
        }
    } else {
        return Ok(None);
    };
    let unit_scope = st.store.unit_and_descendants(user.unit_id).await?;
    let actor = Actor {
        user_id: user.id,
        username: user.username.clone(),
        role: user.role,
        unit_scope,
    };
    let auth = Auth { user, actor, via, address };
    parts.extensions.insert(auth.clone());
    Ok(Some(auth))
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, ApiError> {
        resolve(parts, st).await?.ok_or_else(ApiError::unauthorized)
    }
}

impl OptionalFromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Option<Self>, ApiError> {
        resolve(parts, st).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("correct horse 42").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse 42", &h));
        assert!(!verify_password("wrong horse 42", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn password_policy() {
        assert!(check_password_policy("short1", "u").is_err());
        assert!(check_password_policy("onlyletterslong", "u").is_err());
        assert!(check_password_policy("haimen2019abc", "haimen").is_err());
        assert!(check_password_policy("Jiaojiang2019", "haimen").is_ok());
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, "a=1; zhantu_session=abc; b=2".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(cookie(&h, "zz"), None);
    }
}

/// A user as the JSON API shows it (sign-in, `/auth/me`, user administration).
pub fn user_json(u: &User) -> serde_json::Value {
    serde_json::json!({
        "id": u.id, "username": u.username, "display_name": u.display_name,
        "role": u.role.code(), "role_label": u.role.label_zh(),
        "unit": { "id": u.unit_id, "name": u.unit_name },
        "active": u.active, "must_change_password": u.must_change_password, "version": u.version,
    })
}
