//! One's own account: the account page (password, API tokens) and its forms, and the JSON
//! API's `/api/v1/auth/password` and `/api/v1/tokens`. Forms post back with the session's CSRF
//! token; the work is done by the same functions as the JSON API, so both check the same rules.

use crate::auth::{self, Auth, Via};
use crate::error::ApiError;
use crate::extract::{Created, IdPath, created};
use crate::page::{Ctx, Flash, Lang, Markup, back, csrf_field, layout};
use crate::routes::{Routes, delete, get, post};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;

pub const MECHANISM: Mechanism = Mechanism {
    name: "account",
    pages,
    api,
};

fn pages() -> Routes {
    Routes::new()
        .route("/account", get(account_page))
        .route("/account/password", post(password_form))
        .route("/account/tokens", post(token_form))
        .route("/account/tokens/{id}/revoke", post(revoke_form))
}

fn api() -> Routes {
    Routes::new()
        .route("/auth/password", post(change_password))
        .route("/tokens", get(list_tokens).post(create_token))
        .route("/tokens/{id}", delete(revoke_token))
}

// ---------------------------------------------------------------- JSON

#[derive(schemars::JsonSchema, Deserialize)]
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

async fn list_tokens(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    let mine = if a.actor.may(Action::Administer).is_ok() {
        None
    } else {
        Some(a.user.id)
    };
    Ok(Json(json!({ "items": st.store.api_tokens(mine).await? })))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub struct NewTokenBody {
    pub name: String,
    /// An administrator may create a token for another user.
    pub user_id: Option<i64>,
}

async fn create_token(State(st): State<AppState>, a: Auth, Json(b): Json<NewTokenBody>) -> Result<Created, ApiError> {
    let (token, info) = do_create_token(&st, &a, &b).await?;
    Ok(created(
        json!({ "token": token, "info": info, "note": "令牌只显示这一次，请妥善保存" }),
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

// ---------------------------------------------------------------- pages

/// One API token of the reader's, as the page lists it.
struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template)]
#[template(path = "account/page.html")]
struct AccountPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    flash: Markup,
    csrf: Markup,
    role: &'a str,
    tokens: Vec<TokenRow>,
    /// A token just created, shown this once.
    new_token: Option<&'a str>,
}

async fn account_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, ApiError> {
    account_html(&st, &cx, &flash, None).await
}

async fn account_html(st: &AppState, cx: &Ctx, flash: &Flash, new_token: Option<&str>) -> Result<Html<String>, ApiError> {
    let a = &cx.auth;
    let tokens = st
        .store
        .api_tokens(Some(a.user.id))
        .await?
        .into_iter()
        .map(|tok| TokenRow {
            id: tok.id,
            created: cx.time(&tok.created_at),
            last_used: tok
                .last_used_at
                .map(|t| cx.time(&t))
                .unwrap_or_else(|| cx.t("admin.never_used").to_string()),
            revoked: tok.revoked_at.is_some(),
            name: tok.name,
            prefix: tok.prefix,
        })
        .collect();
    let title = cx.t("nav.account");
    let body = Markup::of(&AccountPage {
        cx,
        title,
        flash: flash.show(cx, &["admin.flash_"]),
        csrf: csrf_field(a),
        role: if cx.lang == Lang::En {
            a.user.role.label_en()
        } else {
            a.user.role.label_zh()
        },
        tokens,
        new_token,
    });
    Ok(layout(cx, title, body, &[]))
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn password_form(lang: Lang, State(st): State<AppState>, a: Auth, Form(f): Form<PasswordForm>) -> Response {
    let r = do_change_password(
        &st,
        &a,
        &PasswordBody {
            current_password: f.current_password,
            new_password: f.new_password,
        },
    )
    .await;
    back(lang, "/account", r.map(|_| "admin.flash_password_changed"))
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn token_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<TokenForm>) -> Result<Response, ApiError> {
    match do_create_token(
        &st,
        &cx.auth,
        &NewTokenBody {
            name: f.name,
            user_id: None,
        },
    )
    .await
    {
        Ok((token, _)) => Ok(account_html(&st, &cx, &Flash::default(), Some(&token)).await?.into_response()),
        Err(e) => Ok(back(cx.lang, "/account", Err(e))),
    }
}

async fn revoke_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Response {
    back(
        lang,
        "/account",
        do_revoke_token(&st, &a, id).await.map(|_| "admin.flash_token_revoked"),
    )
}
