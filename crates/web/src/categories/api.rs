//! The JSON routes of the project categories (nested under `/api/v1`): the list with their
//! targets, a new category, a change, and a year's landing target set (`{"target_pct":
//! "85.5"}`) or cleared (DELETE). Every write is `Action::ManageMasterData`.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{Created, IdPath, created};
use crate::routes::{Routes, get, patch, put};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::Year;
use zhantu_domain::access::Action;
use zhantu_domain::categories::{category_code, category_name, landing_target};
use zhantu_store::categories::{CategoryChange, CategoryRecord, NewCategory};

pub fn router() -> Routes {
    Routes::new()
        .route("/categories", get(list_categories).post(create_category))
        .route("/categories/{id}", patch(update_category).get(get_category))
        .route("/categories/{id}/targets/{year}", put(set_target).delete(clear_target))
}

/// What counts as landed (the page says it in its language: `categories.landed_means`).
const LANDED_MEANS: &str = "开工/落地日期（started_on）在该年度内的项目计为落地";

async fn list_categories(State(st): State<AppState>, _a: Auth) -> Result<Json<Value>, ApiError> {
    let items = st.store.list_categories().await?;
    Ok(Json(json!({ "total": items.len(), "items": items, "landed_means": LANDED_MEANS })))
}

async fn get_category(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<CategoryRecord>, ApiError> {
    Ok(Json(st.store.category(id).await.or_not_found(format!("项目类别 {id} 不存在"))?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct NewCategoryBody {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub tracks_landing: bool,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

pub(super) async fn do_create_category(st: &AppState, a: &Auth, b: &NewCategoryBody) -> Result<CategoryRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let n = NewCategory {
        code: category_code(&b.code)?,
        name: category_name(&b.name)?,
        tracks_landing: b.tracks_landing,
        sort_order: b.sort_order,
    };
    Ok(st.store.create_category(&n, &a.audit()).await?)
}

async fn create_category(State(st): State<AppState>, a: Auth, Json(b): Json<NewCategoryBody>) -> Result<Created<CategoryRecord>, ApiError> {
    Ok(created(do_create_category(&st, &a, &b).await?))
}

/// A change; an absent field is kept.
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct CategoryPatch {
    pub version: i64,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub tracks_landing: Option<bool>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

pub(super) async fn do_update_category(st: &AppState, a: &Auth, id: i64, b: &CategoryPatch) -> Result<CategoryRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let change = CategoryChange {
        code: b.code.as_deref().map(category_code).transpose()?,
        name: b.name.as_deref().map(category_name).transpose()?,
        tracks_landing: b.tracks_landing,
        sort_order: b.sort_order,
    };
    st.store
        .update_category(id, b.version, &change, &a.audit())
        .await
        .or_not_found(format!("项目类别 {id} 不存在"))
}

async fn update_category(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<CategoryPatch>,
) -> Result<Json<CategoryRecord>, ApiError> {
    Ok(Json(do_update_category(&st, &a, id, &b).await?))
}

/// A year's target: `target_pct` as text or a number (`"85"`, `85.5`); `version` (the
/// category's) is checked when given.
#[derive(schemars::JsonSchema, Deserialize, Default)]
pub(super) struct TargetBody {
    #[serde(default)]
    pub target_pct: Value,
    #[serde(default)]
    pub version: Option<i64>,
}

fn target_path(id: &str, year: &str) -> Result<(i64, i32), ApiError> {
    let id = id.parse().map_err(|_| ApiError::not_found("记录不存在"))?;
    Ok((id, Year::parse(year)?.get()))
}

/// Sets (`Some`) or clears (`None`) a year's target.
pub(super) async fn do_set_target(
    st: &AppState,
    a: &Auth,
    id: i64,
    year: i32,
    b: &TargetBody,
    set: bool,
) -> Result<CategoryRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let target = if set {
        let text = match &b.target_pct {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_target_pct",
                    "请填写落地率目标，如 \"85\" 或 \"85.5\"",
                ));
            }
        };
        Some(landing_target(&text)?)
    } else {
        None
    };
    st.store
        .set_category_target(id, b.version, year, target, &a.audit())
        .await
        .or_not_found(format!("项目类别 {id} 不存在"))
}

/// `PUT /categories/{id}/targets/{year}` `{"target_pct": "90"}`.
async fn set_target(
    State(st): State<AppState>,
    a: Auth,
    Path((id, year)): Path<(String, String)>,
    Json(b): Json<TargetBody>,
) -> Result<Json<CategoryRecord>, ApiError> {
    let (id, year) = target_path(&id, &year)?;
    Ok(Json(do_set_target(&st, &a, id, year, &b, true).await?))
}

/// `DELETE /categories/{id}/targets/{year}`: the year has no target any more.
async fn clear_target(
    State(st): State<AppState>,
    a: Auth,
    Path((id, year)): Path<(String, String)>,
    body: Option<Json<TargetBody>>,
) -> Result<Json<CategoryRecord>, ApiError> {
    let (id, year) = target_path(&id, &year)?;
    let b = body.map(|Json(b)| b).unwrap_or_default();
    Ok(Json(do_set_target(&st, &a, id, year, &b, false).await?))
}
