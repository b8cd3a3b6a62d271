//! `/admin/users`: the user administration page and its forms. The work is done by the same
//! functions as the JSON API (`api::do_*`), so both paths check the same rules.

use super::api::{NewUserBody, ResetBody, UserPatch, do_create_user, do_reset_password, do_update_user};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::esc;
use crate::page::{self as ui, Ctx, Flash, back, i18n};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zhantu_domain::access::{Action, Role};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users_page).post(create_user_form))
        .route("/admin/users/{id}", post(update_user_form))
        .route("/admin/users/{id}/reset-password", post(reset_form))
}

/// The frame of an account page: the app's layout, a title, the flash message, the body.
fn layout(cx: &Ctx, title: &str, flash: &Flash, body: &str) -> Html<String> {
    ui::layout_legacy(
        cx,
        title,
        &format!(r#"<div class="admin"><h1>{}</h1>{}{body}</div>"#, esc(title), flash.show(cx, &["admin."])),
        &[],
    )
}

fn hidden_csrf(a: &Auth) -> String {
    ui::csrf_field(a).into_string()
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
        do_create_user(&st, &a, &body).await
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
        do_update_user(&st, &a, id, patch).await
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
        do_reset_password(&st, &a, id, &ResetBody { password: f.password })
            .await
            .map(|_| "admin.flash_password_reset"),
    )
}
