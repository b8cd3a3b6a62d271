//! Account pages: one's own account (password, API tokens), user administration, and the
//! audit log. Forms post back with the session's CSRF token; the work is done by the same
//! functions as the JSON API (`accounts::do_*`), so both paths check the same rules.

use crate::AppState;
use crate::accounts::{self, AuditQuery, NewTokenBody, NewUserBody, PasswordBody, ResetBody, UserPatch};
use crate::auth::{Auth, Via};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::esc;
use crate::page::{self as ui, Ctx, i18n};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zhantu_domain::access::{Action, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(account_page))
        .route("/account/password", post(password_form))
        .route("/account/tokens", post(token_form))
        .route("/account/tokens/{id}/revoke", post(revoke_form))
        .route("/admin/users", get(users_page).post(create_user_form))
        .route("/admin/users/{id}", post(update_user_form))
        .route("/admin/users/{id}/reset-password", post(reset_form))
        .route("/audit", get(audit_page))
}

fn csrf(a: &Auth) -> String {
    match &a.via {
        Via::Session { csrf, .. } => esc(csrf),
        Via::Token => String::new(),
    }
}

fn hidden_csrf(a: &Auth) -> String {
    format!(r#"<input type="hidden" name="csrf_token" value="{}">"#, csrf(a))
}

/// The frame of an account page: the app's layout, a title, the flash message, the body.
fn layout(cx: &Ctx, title: &str, flash: &Flash, body: &str) -> Html<String> {
    let msg = match (&flash.ok, &flash.error) {
        (_, Some(e)) => format!(r#"<p class="error" role="alert">{}</p>"#, esc(e)),
        // `ok` carries a translation key, never text from the URL.
        (Some(k), _) if k.starts_with("admin.") => format!(r#"<p class="ok" role="status">{}</p>"#, esc(i18n::t(cx.lang, k))),
        _ => String::new(),
    };
    ui::layout_legacy(
        cx,
        title,
        &format!(r#"<div class="admin"><h1>{}</h1>{msg}{body}</div>"#, esc(title)),
        &[],
    )
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    error: Option<String>,
}

/// After a form: back to the page with a message. A refusal other than bad input (no right,
/// a stale version, too many attempts) answers with its own status and a page saying why.
fn back(to: &str, result: Result<&str, ApiError>) -> Response {
    let q = match result {
        Ok(m) => format!("ok={}", crate::guard::urlencode(m)),
        Err(e) if e.status == axum::http::StatusCode::BAD_REQUEST => format!("error={}", crate::guard::urlencode(&e.message)),
        Err(e) => {
            let page = format!(
                r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>操作未完成 · 战图</title><link rel="stylesheet" href="/assets/app.css"></head><body><main><h1>操作未完成</h1><p class="error" role="alert">{}</p><p><a href="{}">返回</a></p></main></body></html>"#,
                esc(&e.message),
                esc(to)
            );
            return (e.status, Html(page)).into_response();
        }
    };
    Redirect::to(&format!("{to}?{q}")).into_response()
}

async fn account_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, ApiError> {
    account_html(&st, &cx, &flash, None).await
}

async fn account_html(st: &AppState, cx: &Ctx, flash: &Flash, new_token: Option<&str>) -> Result<Html<String>, ApiError> {
    let a = &cx.auth;
    let t = |k: &str| i18n::t(cx.lang, k);
    let tokens = st.store.api_tokens(Some(a.user.id)).await?;
    let rows: String = tokens
        .iter()
        .map(|tok| {
            let action = if tok.revoked_at.is_some() {
                t("admin.token_revoked").to_string()
            } else {
                format!(
                    r#"<form method="post" action="/account/tokens/{}/revoke">{}<button type="submit">{}</button></form>"#,
                    tok.id,
                    hidden_csrf(a),
                    t("admin.revoke")
                )
            };
            format!(
                "<tr><td>{}</td><td><code>{}…</code></td><td>{}</td><td>{}</td><td>{action}</td></tr>",
                esc(&tok.name),
                esc(&tok.prefix),
                esc(&tok.created_at[..10.min(tok.created_at.len())]),
                esc(tok.last_used_at.as_deref().unwrap_or(t("admin.never_used"))),
            )
        })
        .collect();
    let shown = new_token
        .map(|t| {
            format!(
                r#"<p class="ok" role="status">新令牌（只显示这一次，请立即保存）：<code class="token">{}</code></p>"#,
                esc(t)
            )
        })
        .unwrap_or_default();
    let must = if a.user.must_change_password {
        r#"<p class="error" role="alert">您正在使用临时密码，请先修改密码。</p>"#
    } else {
        ""
    };
    let body = format!(
        r#"<p>{name}，{role}，{unit}</p>{must}
<h2>{h_pw}</h2>
<form method="post" action="/account/password" class="stack">{c}
<label for="current_password">{l_cur}</label><input id="current_password" name="current_password" type="password" autocomplete="current-password" required>
<label for="new_password">{l_new}</label><input id="new_password" name="new_password" type="password" autocomplete="new-password" required>
<button type="submit">{b_pw}</button></form>
<h2>{h_tok}</h2><p class="hint">{tok_hint} <code>Authorization: Bearer …</code></p>{shown}
<table><thead><tr><th>{c_name}</th><th>{c_prefix}</th><th>{c_created}</th><th>{c_used}</th><th></th></tr></thead><tbody>{rows}</tbody></table>
<form method="post" action="/account/tokens" class="stack">{c}<label for="token_name">{l_tok}</label><input id="token_name" name="name" required maxlength="60"><button type="submit">{b_tok}</button></form>"#,
        h_pw = t("admin.change_password"),
        l_cur = t("admin.current_password"),
        l_new = t("admin.new_password"),
        b_pw = t("admin.change_password"),
        h_tok = t("admin.api_tokens"),
        tok_hint = t("admin.token_hint"),
        c_name = t("admin.col_name"),
        c_prefix = t("admin.col_prefix"),
        c_created = t("admin.col_created"),
        c_used = t("admin.col_last_used"),
        l_tok = t("admin.new_token_name"),
        b_tok = t("admin.create_token"),
        name = esc(&a.user.display_name),
        role = esc(if cx.lang == ui::Lang::En {
            a.user.role.label_en()
        } else {
            a.user.role.label_zh()
        }),
        unit = esc(&a.user.unit_name),
        c = hidden_csrf(a),
    );
    Ok(layout(cx, t("nav.account"), flash, &body))
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn password_form(State(st): State<AppState>, a: Auth, Form(f): Form<PasswordForm>) -> Response {
    let r = accounts::do_change_password(
        &st,
        &a,
        &PasswordBody {
            current_password: f.current_password,
            new_password: f.new_password,
        },
    )
    .await;
    back("/account", r.map(|_| "admin.flash_password_changed"))
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn token_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<TokenForm>) -> Result<Response, ApiError> {
    match accounts::do_create_token(
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
        Err(e) => Ok(back("/account", Err(e))),
    }
}

async fn revoke_form(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Response {
    back(
        "/account",
        accounts::do_revoke_token(&st, &a, id).await.map(|_| "admin.flash_token_revoked"),
    )
}

fn role_options(lang: ui::Lang, selected: Role) -> String {
    Role::ALL
        .iter()
        .map(|r| {
            let label = if lang == ui::Lang::En { r.label_en() } else { r.label_zh() };
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                r.code(),
                if *r == selected { " selected" } else { "" },
                label
            )
        })
        .collect()
}

fn unit_options(units: &[(i64, String, String)], selected: i64) -> String {
    units
        .iter()
        .map(|(id, name, _)| {
            format!(
                r#"<option value="{id}"{}>{}</option>"#,
                if *id == selected { " selected" } else { "" },
                esc(name)
            )
        })
        .collect()
}

async fn users_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, ApiError> {
    let a = &cx.auth;
    let t = |k: &str| i18n::t(cx.lang, k);
    a.actor.may(Action::Administer)?;
    let units = st.store.unit_names().await?;
    let rows: String = st
        .store
        .users()
        .await?
        .iter()
        .map(|u| {
            format!(
                r#"<tr><td>{name}<br><small>{username}</small></td>
<td><form method="post" action="/admin/users/{id}" class="inline">{c}<input type="hidden" name="version" value="{version}">
<label class="sr" for="role{id}">{l_role}</label><select id="role{id}" name="role">{roles}</select>
<label class="sr" for="unit{id}">{l_unit}</label><select id="unit{id}" name="unit_id">{units}</select>
<label><input type="checkbox" name="active" value="1"{checked}> {l_active}</label><button type="submit">{b_save}</button></form></td>
<td><form method="post" action="/admin/users/{id}/reset-password" class="inline">{c}<label class="sr" for="pw{id}">{l_pw}</label><input id="pw{id}" name="password" type="password" placeholder="{l_pw}" autocomplete="new-password" required><button type="submit">{b_reset}</button></form></td></tr>"#,
                l_role = t("admin.role"),
                l_unit = t("admin.unit"),
                l_active = t("admin.active"),
                b_save = t("admin.save"),
                l_pw = t("admin.temporary_password"),
                b_reset = t("admin.reset_password"),
                id = u.id,
                name = esc(&u.display_name),
                username = esc(&u.username),
                version = u.version,
                roles = role_options(cx.lang, u.role),
                units = unit_options(&units, u.unit_id),
                checked = if u.active { " checked" } else { "" },
                c = hidden_csrf(a),
            )
        })
        .collect();
    let body = format!(
        r#"<table class="users"><thead><tr><th>{c_user}</th><th>{c_access}</th><th>{c_pw}</th></tr></thead><tbody>{rows}</tbody></table>
<h2>{h_new}</h2><form method="post" action="/admin/users" class="stack">{c}
<label for="nu">{l_username}</label><input id="nu" name="username" required maxlength="40">
<label for="nd">{l_name}</label><input id="nd" name="display_name" required>
<label for="nr">{l_role}</label><select id="nr" name="role">{roles}</select>
<label for="nun">{l_unit}</label><select id="nun" name="unit_id">{units}</select>
<label for="np">{l_pw}</label><input id="np" name="password" type="password" autocomplete="new-password" required>
<button type="submit">{b_create}</button></form>"#,
        c_user = t("admin.col_user"),
        c_access = t("admin.col_access"),
        c_pw = t("admin.col_password"),
        h_new = t("admin.new_user"),
        l_username = t("admin.username"),
        l_name = t("admin.display_name"),
        l_role = t("admin.role"),
        l_unit = t("admin.unit"),
        l_pw = t("admin.temporary_password_hint"),
        b_create = t("admin.create"),
        c = hidden_csrf(a),
        roles = role_options(cx.lang, Role::Viewer),
        units = unit_options(&units, units.first().map(|u| u.0).unwrap_or(0)),
    );
    Ok(layout(&cx, t("nav.users"), &flash, &body))
}

fn form_id(s: &str, what: &str) -> Result<i64, ApiError> {
    s.trim()
        .parse()
        .map_err(|_| ApiError::bad_request("invalid_parameter", format!("{what}无效")))
}

#[derive(Deserialize)]
struct NewUserForm {
    username: String,
    display_name: String,
    role: String,
    unit_id: String,
    password: String,
}

async fn create_user_form(State(st): State<AppState>, a: Auth, Form(f): Form<NewUserForm>) -> Response {
    let r = async {
        let body = NewUserBody {
            username: f.username,
            display_name: f.display_name,
            role: f.role,
            unit_id: form_id(&f.unit_id, "单位")?,
            password: f.password,
        };
        accounts::do_create_user(&st, &a, &body).await
    }
    .await;
    back("/admin/users", r.map(|_| "admin.flash_user_created"))
}

#[derive(Deserialize)]
struct UserForm {
    version: String,
    role: String,
    unit_id: String,
    active: Option<String>,
}

async fn update_user_form(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<UserForm>) -> Response {
    let r = async {
        let patch = UserPatch {
            version: form_id(&f.version, "版本号")?,
            display_name: None,
            role: Some(f.role),
            unit_id: Some(form_id(&f.unit_id, "单位")?),
            active: Some(f.active.is_some()),
        };
        accounts::do_update_user(&st, &a, id, patch).await
    }
    .await;
    back("/admin/users", r.map(|_| "admin.flash_saved"))
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
}

async fn reset_form(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<ResetForm>) -> Response {
    back(
        "/admin/users",
        accounts::do_reset_password(&st, &a, id, &ResetBody { password: f.password })
            .await
            .map(|_| "admin.flash_password_reset"),
    )
}

async fn audit_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<AuditQuery>) -> Result<Html<String>, ApiError> {
    let t = |k: &str| i18n::t(cx.lang, k);
    let f = accounts::audit_filter(&cx.auth, &q).await?;
    let entries = st.store.audit_entries(&f).await?;
    let rows: String = entries
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                e.id,
                esc(&e.at.replace('T', " ")[..19.min(e.at.len())]),
                esc(&e.actor),
                esc(&e.address),
                esc(&e.action),
                esc(&e.entity),
                e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                esc(&e.before.as_ref().map(|v| v.to_string()).unwrap_or_default()),
                esc(&e.after.as_ref().map(|v| v.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let v = |o: &Option<String>| esc(o.as_deref().unwrap_or(""));
    let export = format!(
        "/api/v1/audit/export.csv?entity={}&entity_id={}&actor={}",
        crate::guard::urlencode(q.entity.as_deref().unwrap_or("")),
        crate::guard::urlencode(q.entity_id.as_deref().unwrap_or("")),
        crate::guard::urlencode(q.actor.as_deref().unwrap_or(""))
    );
    let more = if entries.len() as u32 == f.limit {
        entries
            .last()
            .map(|e| {
                format!(
                    r#"<p><a href="/audit?entity={}&amp;entity_id={}&amp;actor={}&amp;before={}">更早的记录</a></p>"#,
                    v(&q.entity),
                    v(&q.entity_id),
                    v(&q.actor),
                    e.id
                )
            })
            .unwrap_or_default()
    } else {
        String::new()
    };
    let body = format!(
        r#"<form method="get" action="/audit" class="inline">
<label for="ae">对象</label><select id="ae" name="entity"><option value="">全部</option>{entities}</select>
<label for="aid">编号</label><input id="aid" name="entity_id" value="{eid}" size="8">
<label for="aa">操作人</label><input id="aa" name="actor" value="{actor}" size="12">
<button type="submit">筛选</button> <a href="{export}">导出CSV</a></form>
<table class="audit"><thead><tr><th>#</th><th>时间（UTC）</th><th>操作人</th><th>地址</th><th>操作</th><th>对象</th><th>修改前</th><th>修改后</th></tr></thead><tbody>{rows}</tbody></table>{more}"#,
        entities = [("project", "项目"), ("node", "节点"), ("user", "用户"), ("api_token", "API令牌")]
            .iter()
            .map(|(c, n)| format!(
                r#"<option value="{c}"{}>{n}</option>"#,
                if q.entity.as_deref() == Some(c) { " selected" } else { "" }
            ))
            .collect::<String>(),
        eid = v(&q.entity_id),
        actor = v(&q.actor),
        export = esc(&export),
    );
    Ok(layout(&cx, t("nav.audit"), &Flash::default(), &body))
}
