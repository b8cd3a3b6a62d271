//! `/api/v1/auth`, `/api/v1/users`, `/api/v1/tokens`, `/api/v1/audit`: signing in and out,
//! user administration, API tokens, and the audit log.

use crate::AppState;
use crate::auth::{self, Auth, Via};
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath, non_empty, opt_id};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Role};
use zhantu_store::{AuditFilter, NewUser, User, UserChange};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login_json))
        .route("/auth/logout", post(logout))
        .route("/auth/me", get(me))
        .route("/auth/password", post(change_password))
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", patch(update_user))
        .route("/users/{id}/reset-password", post(reset_password))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", axum::routing::delete(revoke_token))
        .route("/audit", get(audit))
        .route("/audit/export.csv", get(audit_csv))
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
    let (by_user, by_address) = st.store.recent_failures(username, address, &since).await?;
    if by_user >= auth::MAX_FAILURES_PER_ACCOUNT || by_address >= auth::MAX_FAILURES_PER_ADDRESS {
        return Err(ApiError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "too_many_attempts",
            message: format!("登录失败次数过多，请{}分钟后再试", auth::THROTTLE_WINDOW_MINUTES),
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
            st.store.record_login_attempt(username, address, false).await?;
            return Err(ApiError {
                status: StatusCode::UNAUTHORIZED,
                code: "bad_credentials",
                message: "用户名或密码错误".into(),
            });
        }
    };
    if !user.active {
        st.store.record_login_attempt(username, address, false).await?;
        return Err(ApiError::forbidden("该账户已停用，请联系系统管理员").with_code("account_disabled"));
    }
    st.store.record_login_attempt(username, address, true).await?;
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

pub fn user_json(u: &User) -> Value {
    json!({
        "id": u.id, "username": u.username, "display_name": u.display_name,
        "role": u.role.code(), "role_label": u.role.label_zh(),
        "unit": { "id": u.unit_id, "name": u.unit_name },
        "active": u.active, "must_change_password": u.must_change_password, "version": u.version,
    })
}

#[derive(Deserialize)]
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
    Ok(resp)
}

async fn me(a: Auth) -> Json<Value> {
    let csrf = match &a.via {
        Via::Session { csrf, .. } => Some(csrf.clone()),
        Via::Token => None,
    };
    Json(json!({ "user": user_json(&a.user), "csrf_token": csrf }))
}

#[derive(Deserialize)]
pub struct PasswordBody {
    pub current_password: String,
    pub new_password: String,
}

async fn change_password(State(st): State<AppState>, a: Auth, Json(b): Json<PasswordBody>) -> Result<StatusCode, ApiError> {
    do_change_password(&st, &a, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn do_change_password(st: &AppState, a: &Auth, b: &PasswordBody) -> Result<(), ApiError> {
    if !auth::verify_password(&b.current_password, &a.user.password_hash) {
        return Err(ApiError::bad_request("bad_credentials", "当前密码不正确"));
    }
    auth::check_password_policy(&b.new_password, &a.user.username)?;
    let hash = auth::hash_password(&b.new_password)?;
    let keep = match &a.via {
        Via::Session { id_hash, .. } => Some(id_hash.as_str()),
        Via::Token => None,
    };
    st.store.set_password(a.user.id, &hash, false, keep, &a.audit()).await?;
    Ok(())
}

async fn list_users(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    Ok(Json(
        json!({ "items": st.store.users().await?.iter().map(user_json).collect::<Vec<_>>() }),
    ))
}

fn parse_role(s: &str) -> Result<Role, ApiError> {
    Role::from_code(s.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_role",
            format!("角色“{s}”无效：应为 admin、coordinator、unit_editor、leader 或 viewer"),
        )
    })
}

fn check_username(s: &str) -> Result<String, ApiError> {
    let s = s.trim();
    if s.is_empty() || s.len() > 40 || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.') {
        return Err(ApiError::bad_request(
            "invalid_username",
            "用户名应为1到40位字母、数字、下划线、连字符或点",
        ));
    }
    Ok(s.to_lowercase())
}

#[derive(Deserialize)]
pub struct NewUserBody {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: i64,
    pub password: String,
}

async fn create_user(State(st): State<AppState>, a: Auth, Json(b): Json<NewUserBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let u = do_create_user(&st, &a, &b).await?;
    Ok((StatusCode::CREATED, Json(user_json(&u))))
}

pub async fn do_create_user(st: &AppState, a: &Auth, b: &NewUserBody) -> Result<User, ApiError> {
    a.actor.may(Action::Administer)?;
    let username = check_username(&b.username)?;
    auth::check_password_policy(&b.password, &username)?;
    let display_name = b.display_name.trim().to_string();
    if display_name.is_empty() {
        return Err(ApiError::bad_request("invalid_display_name", "姓名不能为空"));
    }
    let u = st
        .store
        .create_user(
            &NewUser {
                username,
                display_name,
                role: parse_role(&b.role)?,
                unit_id: b.unit_id,
                password_hash: auth::hash_password(&b.password)?,
                must_change_password: true,
            },
            &a.audit(),
        )
        .await?;
    Ok(u)
}

#[derive(Deserialize)]
pub struct UserPatch {
    pub version: i64,
    pub display_name: Option<String>,
    pub role: Option<String>,
    pub unit_id: Option<i64>,
    pub active: Option<bool>,
}

async fn update_user(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<UserPatch>) -> Result<Json<Value>, ApiError> {
    Ok(Json(user_json(&do_update_user(&st, &a, id, b).await?)))
}

pub async fn do_update_user(st: &AppState, a: &Auth, id: i64, b: UserPatch) -> Result<User, ApiError> {
    a.actor.may(Action::Administer)?;
    if id == a.user.id && (b.active == Some(false) || b.role.as_deref().is_some_and(|r| r != "admin")) {
        return Err(ApiError::bad_request("self_lockout", "不能停用自己或取消自己的管理员角色"));
    }
    let change = UserChange {
        display_name: b.display_name.map(|s| s.trim().to_string()),
        role: b.role.as_deref().map(parse_role).transpose()?,
        unit_id: b.unit_id,
        active: b.active,
    };
    Ok(st.store.update_user(id, b.version, &change, &a.audit()).await?)
}

#[derive(Deserialize)]
pub struct ResetBody {
    pub password: String,
}

async fn reset_password(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<ResetBody>) -> Result<StatusCode, ApiError> {
    do_reset_password(&st, &a, id, &b).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn do_reset_password(st: &AppState, a: &Auth, id: i64, b: &ResetBody) -> Result<(), ApiError> {
    a.actor.may(Action::Administer)?;
    let u = st.store.user_by_id(id).await?.ok_or_else(|| ApiError::not_found("用户不存在"))?;
    auth::check_password_policy(&b.password, &u.username)?;
    st.store
        .set_password(id, &auth::hash_password(&b.password)?, true, None, &a.audit())
        .await?;
    Ok(())
}

async fn list_tokens(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    let mine = if a.actor.may(Action::Administer).is_ok() {
        None
    } else {
        Some(a.user.id)
    };
    Ok(Json(json!({ "items": st.store.api_tokens(mine).await? })))
}

#[derive(Deserialize)]
pub struct NewTokenBody {
    pub name: String,
    /// An administrator may create a token for another user.
    pub user_id: Option<i64>,
}

async fn create_token(State(st): State<AppState>, a: Auth, Json(b): Json<NewTokenBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (token, info) = do_create_token(&st, &a, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "token": token, "info": info, "note": "令牌只显示这一次，请妥善保存" })),
    ))
}

/// Returns the token itself (shown once) and its stored description.
pub async fn do_create_token(st: &AppState, a: &Auth, b: &NewTokenBody) -> Result<(String, zhantu_store::ApiTokenInfo), ApiError> {
    let owner = b.user_id.unwrap_or(a.user.id);
    if owner != a.user.id {
        a.actor.may(Action::Administer)?;
        st.store.user_by_id(owner).await?.ok_or_else(|| ApiError::not_found("用户不存在"))?;
    }
    let name = b.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ApiError::bad_request("invalid_name", "令牌名称应为1到60个字"));
    }
    let token = format!("{}{}", auth::TOKEN_PREFIX, auth::random_token());
    let info = st
        .store
        .create_api_token(owner, name, &auth::sha256_hex(&token), &token[..10], &a.audit())
        .await?;
    Ok((token, info))
}

async fn revoke_token(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<StatusCode, ApiError> {
    do_revoke_token(&st, &a, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn do_revoke_token(st: &AppState, a: &Auth, id: i64) -> Result<(), ApiError> {
    let info = st
        .store
        .api_token_info(id)
        .await?
        .ok_or_else(|| ApiError::not_found("令牌不存在"))?;
    if info.user_id != a.user.id {
        a.actor.may(Action::Administer)?;
    }
    st.store.revoke_api_token(id, &a.audit()).await?;
    Ok(())
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub before: Option<String>,
    pub limit: Option<String>,
}

pub async fn audit_filter(a: &Auth, q: &AuditQuery) -> Result<AuditFilter, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看审计日志"));
    }
    Ok(AuditFilter {
        entity: non_empty(&q.entity).map(str::to_string),
        entity_id: opt_id(&q.entity_id, "记录编号")?,
        actor: non_empty(&q.actor).map(str::to_string),
        before_id: opt_id(&q.before, "分页游标")?,
        limit: opt_id(&q.limit, "条数")?.unwrap_or(100).clamp(1, 10_000) as u32,
    })
}

async fn audit(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<Value>, ApiError> {
    let f = audit_filter(&a, &q).await?;
    let items = st.store.audit_entries(&f).await?;
    let next = if items.len() as u32 == f.limit {
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(json!({ "items": items, "next_before": next })))
}

fn csv_cell(s: &str) -> String {
    // Quote always; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

async fn audit_csv(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Response, ApiError> {
    let mut f = audit_filter(&a, &q).await?;
    if q.limit.is_none() {
        f.limit = 10_000;
    }
    let mut out = String::from("\u{feff}编号,时间,操作人,地址,操作,对象,对象编号,修改前,修改后\r\n");
    for e in st.store.audit_entries(&f).await? {
        let cells = [
            e.id.to_string(),
            e.at,
            e.actor,
            e.address,
            e.action,
            e.entity,
            e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            e.before.map(|v| v.to_string()).unwrap_or_default(),
            e.after.map(|v| v.to_string()).unwrap_or_default(),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        out,
    )
        .into_response())
}

/// The demo's accounts, one per role (README lists them). All use `DEMO_PASSWORD`.
pub const DEMO_PASSWORD: &str = "Zhantu2019";
pub const DEMO_ACCOUNTS: &[(&str, &str, Role, &str)] = &[
    ("admin", "系统管理员", Role::Admin, ""),
    ("fgj", "发改局统筹员", Role::Coordinator, "区发改局"),
    ("haimen", "海门街道填报员", Role::UnitEditor, "海门街道"),
    ("lingdao", "区领导", Role::Leader, ""),
    ("chakan", "海门街道查看员", Role::Viewer, "海门街道"),
];

/// Creates the demo accounts in a freshly loaded demo database.
pub async fn create_demo_accounts(st: &zhantu_store::Store) -> Result<(), ApiError> {
    let root = st.root_unit().await?.ok_or_else(|| ApiError::internal("no units"))?;
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    let ctx = zhantu_store::AuditCtx::system("demo");
    for (username, name, role, unit) in DEMO_ACCOUNTS {
        let unit_id = if unit.is_empty() {
            root
        } else {
            st.unit_by_name(unit).await?.unwrap_or(root)
        };
        st.create_user(
            &NewUser {
                username: username.to_string(),
                display_name: name.to_string(),
                role: *role,
                unit_id,
                password_hash: hash.clone(),
                must_change_password: false,
            },
            &ctx,
        )
        .await?;
    }
    Ok(())
}
