//! `/api/v1/users`: user administration, for administrators.

use crate::AppState;
use crate::auth::{self, Auth, user_json};
use crate::error::ApiError;
use crate::extract::{Created, IdPath, created};
use crate::routes::{Routes, get, patch, post};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Role};
use zhantu_store::{NewUser, User, UserChange};

pub fn router() -> Routes {
    Routes::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/{id}", patch(update_user))
        .route("/users/{id}/reset-password", post(reset_password))
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

#[derive(schemars::JsonSchema, Deserialize)]
pub struct NewUserBody {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_id: i64,
    pub password: String,
}

async fn create_user(State(st): State<AppState>, a: Auth, Json(b): Json<NewUserBody>) -> Result<Created, ApiError> {
    let u = do_create_user(&st, &a, &b).await?;
    Ok(created(user_json(&u)))
}

pub async fn do_create_user(st: &AppState, a: &Auth, b: &NewUserBody) -> Result<User, ApiError> {
    a.actor.may(Action::Administer)?;
    let username = zhantu_domain::access::parse_username(&b.username)?;
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

#[derive(schemars::JsonSchema, Deserialize)]
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

#[derive(schemars::JsonSchema, Deserialize)]
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
