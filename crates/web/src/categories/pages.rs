//! `/admin/categories`: the categories with their targets per year, each with its change
//! and target forms, and the new-category form. The forms call the same functions as the
//! JSON API.

use super::api::{CategoryPatch, NewCategoryBody, TargetBody, do_create_category, do_set_target, do_update_category};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::fields::{form_opt_number, form_version};
use crate::page::{Ctx, Flash, Markup, PageError, admin, back, layout};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_store::categories::CategoryRecord;

pub fn router() -> Routes {
    Routes::new()
        .route("/admin/categories", get(categories_page).post(create_form))
        .route("/admin/categories/{id}", post(update_form))
        .route("/admin/categories/{id}/targets", post(target_form))
}

const FLASH: &[&str] = &["categories.flash_"];
const PAGE: &str = "/admin/categories";

#[derive(Template)]
#[template(path = "categories/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    categories: Vec<CategoryRecord>,
    /// The year the target forms propose: the data date's.
    year: i32,
    landed_means: &'a str,
    token: &'a str,
}

async fn categories_page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    let title = cx.t("nav.categories");
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        categories: st.store.list_categories().await?,
        year: chrono::Datelike::year(&st.store.as_of().await?),
        landed_means: cx.t("categories.landed_means"),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Deserialize)]
struct CategoryForm {
    #[serde(default)]
    version: String,
    code: String,
    name: String,
    #[serde(default)]
    tracks_landing: Option<String>,
    #[serde(default)]
    sort_order: String,
}

async fn create_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, Form(f): Form<CategoryForm>) -> Response {
    let r = async {
        let body = NewCategoryBody {
            code: f.code,
            name: f.name,
            tracks_landing: f.tracks_landing.is_some(),
            sort_order: form_opt_number(&f.sort_order, "排序号应为整数")?,
        };
        do_create_category(&st, &a, &body).await
    }
    .await;
    back(lang, PAGE, r.map(|_| "categories.flash_created"))
}

async fn update_form(
    lang: crate::page::Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(f): Form<CategoryForm>,
) -> Response {
    let r: Result<CategoryRecord, ApiError> = async {
        let patch = CategoryPatch {
            version: form_version(&f.version)?,
            code: Some(f.code),
            name: Some(f.name),
            tracks_landing: Some(f.tracks_landing.is_some()),
            sort_order: form_opt_number(&f.sort_order, "排序号应为整数")?,
        };
        do_update_category(&st, &a, id, &patch).await
    }
    .await;
    back(lang, PAGE, r.map(|_| "categories.flash_saved"))
}

#[derive(Deserialize)]
struct TargetForm {
    version: String,
    year: String,
    #[serde(default)]
    target_pct: String,
}

/// A year's target from the page: an empty target clears the year's.
async fn target_form(
    lang: crate::page::Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(f): Form<TargetForm>,
) -> Response {
    let r = async {
        let year = zhantu_domain::Year::parse(f.year.trim())?.get();
        let set = !f.target_pct.trim().is_empty();
        let body = TargetBody {
            target_pct: Value::String(f.target_pct),
            version: Some(form_version(&f.version)?),
        };
        do_set_target(&st, &a, id, year, &body, set).await.map(|_| {
            if set {
                "categories.flash_target_set"
            } else {
                "categories.flash_target_cleared"
            }
        })
    }
    .await;
    back(lang, PAGE, r)
}
