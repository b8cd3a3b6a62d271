//! The JSON routes of the units (nested under `/api/v1`): the tree, one unit, a new unit, a
//! change (rename, kind, codes, move, display order), retiring and merging. Every write is
//! `Action::ManageMasterData`: administrators and the coordinating bureau.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created, present, query_flag};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::DivisionCode;
use zhantu_domain::access::Action;
use zhantu_domain::units::{unit_code, unit_kind, unit_name};
use zhantu_store::units::{NewUnit, UnitChange, UnitMerge, UnitRecord};

pub fn router() -> Routes {
    Routes::new()
        .route("/units", get(list_units).post(create_unit))
        .route("/units/{id}", get(get_unit).patch(update_unit))
        .route("/units/{id}/retire", post(retire_unit))
        .route("/units/{id}/merge", post(merge_unit))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct UnitsQuery {
    /// `1`: the retired units too.
    all: Option<String>,
}

/// `GET /units`: the active units depth first in display order (`?all=1`: retired too).
async fn list_units(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<UnitsQuery>) -> Result<Json<Value>, ApiError> {
    let items = st.store.units(query_flag(&q.all)).await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

async fn get_unit(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<UnitRecord>, ApiError> {
    Ok(Json(st.store.unit(id).await.or_not_found(format!("单位 {id} 不存在"))?))
}

fn division(v: Option<&str>) -> Result<Option<DivisionCode>, ApiError> {
    Ok(v.map(str::trim).filter(|s| !s.is_empty()).map(DivisionCode::parse).transpose()?)
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct NewUnitBody {
    pub name: String,
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub kind: String,
    #[serde(default)]
    pub division_code: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

pub(super) async fn do_create_unit(st: &AppState, a: &Auth, b: &NewUnitBody) -> Result<UnitRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let n = NewUnit {
        name: unit_name(&b.name)?,
        parent_id: b.parent_id,
        kind: unit_kind(&b.kind)?,
        division_code: division(b.division_code.as_deref())?,
        code: unit_code(b.code.as_deref().unwrap_or(""))?,
        sort_order: b.sort_order,
    };
    Ok(st.store.create_unit(&n, &a.audit()).await?)
}

async fn create_unit(State(st): State<AppState>, a: Auth, Json(b): Json<NewUnitBody>) -> Result<Created<UnitRecord>, ApiError> {
    Ok(created(do_create_unit(&st, &a, &b).await?))
}

/// A change; an absent field is kept, `parent_id: null` moves the unit to the top, an empty
/// or `null` division code or unit code clears it.
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct UnitPatch {
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub parent_id: Option<Option<i64>>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub division_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    pub code: Option<Option<String>>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

pub(super) async fn do_update_unit(st: &AppState, a: &Auth, id: i64, b: &UnitPatch) -> Result<UnitRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let change = UnitChange {
        name: b.name.as_deref().map(unit_name).transpose()?,
        parent_id: b.parent_id,
        kind: b.kind.as_deref().map(unit_kind).transpose()?,
        division_code: b.division_code.as_ref().map(|d| division(d.as_deref())).transpose()?,
        code: b.code.as_ref().map(|c| unit_code(c.as_deref().unwrap_or(""))).transpose()?,
        sort_order: b.sort_order,
    };
    st.store
        .update_unit(id, b.version, &change, &a.audit())
        .await
        .or_not_found(format!("单位 {id} 不存在"))
}

async fn update_unit(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<UnitPatch>,
) -> Result<Json<UnitRecord>, ApiError> {
    Ok(Json(do_update_unit(&st, &a, id, &b).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct RetireBody {
    pub version: i64,
}

pub(super) async fn do_retire_unit(st: &AppState, a: &Auth, id: i64, b: &RetireBody) -> Result<UnitRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    st.store
        .retire_unit(id, b.version, &a.audit())
        .await
        .or_not_found(format!("单位 {id} 不存在"))
}

/// `POST /units/{id}/retire` `{"version": …}`: 停用 (refused while active accounts or
/// sub-units depend on it: `unit_in_use`).
async fn retire_unit(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<RetireBody>,
) -> Result<Json<UnitRecord>, ApiError> {
    Ok(Json(do_retire_unit(&st, &a, id, &b).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct MergeBody {
    pub into_id: i64,
    pub version: i64,
}

pub(super) async fn do_merge_unit(st: &AppState, a: &Auth, id: i64, b: &MergeBody) -> Result<UnitMerge, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    st.store
        .merge_unit(id, b.version, b.into_id, &a.audit())
        .await
        .or_not_found(format!("单位 {id} 不存在"))
}

/// `POST /units/{id}/merge` `{"into_id": …, "version": …}`: every record of the unit moves to
/// `into_id`; the unit is retired. The answer lists what moved, by kind.
async fn merge_unit(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<MergeBody>) -> Result<Json<Value>, ApiError> {
    let m = do_merge_unit(&st, &a, id, &b).await?;
    let counts: serde_json::Map<String, Value> = m.moved.iter().map(|(k, v)| (k.to_string(), json!(v.len()))).collect();
    Ok(Json(
        json!({ "unit": m.unit, "into": m.into, "moved": counts, "moved_ids": m.moved }),
    ))
}
