//! `/admin/users`: the user administration page and its forms. The work is done by the same
//! functions as the JSON API (`api::do_*`), so both paths check the same rules.

use super::api::{NewUserBody, ResetBody, UserPatch, do_create_user, do_reset_password, do_update_user};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::select::{choice_options, unit_choices};
use crate::page::{Ctx, Flash, Lang, Markup, admin, back, csrf_field, layout};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::{Action, Role};

pub fn router() -> Routes {
    Routes::new()
        .route("/admin/users", get(users_page).post(create_user_form))
        .route("/admin/users/{id}", post(update_user_form))
        .route("/admin/users/{id}/reset-password", post(reset_form))
}

/// One user, with the choices of the forms that change them.
struct UserRow {
    id: i64,
    display_name: String,
    username: String,
    version: i64,
    active: bool,
    roles: Markup,
    units: Markup,
}

#[derive(Template)]
#[template(path = "users/page.html")]
struct UsersPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    csrf: Markup,
    users: Vec<UserRow>,
    new_roles: Markup,
    new_units: Markup,
}

async fn users_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, ApiError> {
    cx.auth.actor.may(Action::Administer)?;
    let roles: Vec<(String, String)> = Role::ALL
        .iter()
        .map(|r| {
            (
                r.code().to_string(),
                if cx.lang == Lang::En { r.label_en() } else { r.label_zh() }.to_string(),
            )
        })
        .collect();
    // The active units, as a tree; a user of a retired unit keeps it on their row.
    let units: Vec<(String, String)> = unit_choices(&st).await.map_err(|e| e.0)?;
    let users = st
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| {
            let own = u.unit_id.to_string();
            let choices = if units.iter().any(|c| c.0 == own) {
                choice_options(&units, &own, None)
            } else {
                let retired = std::iter::once((own.clone(), format!("{}（{}）", u.unit_name, cx.t("units.retired"))));
                choice_options(&retired.chain(units.iter().cloned()).collect::<Vec<_>>(), &own, None)
            };
            (u, choices)
        })
        .map(|(u, units)| UserRow {
            id: u.id,
            roles: choice_options(&roles, u.role.code(), None),
            units,
            display_name: u.display_name,
            username: u.username,
            version: u.version,
            active: u.active,
        })
        .collect();
    let title = cx.t("nav.users");
    let body = Markup::of(&UsersPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, &["admin.flash_"]),
        csrf: csrf_field(&cx.auth),
        users,
        new_roles: choice_options(&roles, Role::Viewer.code(), None),
        new_units: choice_options(&units, units.first().map(|u| u.0.as_str()).unwrap_or("0"), None),
    });
    Ok(layout(&cx, title, body, &[]))
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

async fn create_user_form(lang: Lang, State(st): State<AppState>, a: Auth, Form(f): Form<NewUserForm>) -> Response {
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
    back(lang, "/admin/users", r.map(|_| "admin.flash_user_created"))
}

#[derive(Deserialize)]
struct UserForm {
    version: String,
    role: String,
    unit_id: String,
    active: Option<String>,
}

async fn update_user_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<UserForm>) -> Response {
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
    back(lang, "/admin/users", r.map(|_| "admin.flash_saved"))
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
}

async fn reset_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<ResetForm>) -> Response {
    back(
        lang,
        "/admin/users",
        do_reset_password(&st, &a, id, &ResetBody { password: f.password })
            .await
            .map(|_| "admin.flash_password_reset"),
    )
}
