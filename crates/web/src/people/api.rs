//! The JSON routes of the people register (nested under `/api/v1`): the list (by unit and its
//! sub-units, leaders only, inactive too), one person, a new person and a change. Every write
//! is `Action::ManageMasterData`: administrators and the coordinating bureau.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created, opt_id, query_flag};
use crate::routes::{Routes, get};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::people::{person_name, person_title, phone};
use zhantu_store::people::{NewPerson, PeopleFilter, PersonChange, PersonRecord};

pub fn router() -> Routes {
    Routes::new()
        .route("/people", get(list_people).post(create_person))
        .route("/people/{id}", get(get_person).patch(update_person))
}

/// `?unit=ID` (with the units below it), `?leaders=1`, `?all=1` (the inactive too).
#[derive(schemars::JsonSchema, Deserialize, Default)]
pub(super) struct PeopleQuery {
    pub unit: Option<String>,
    pub leaders: Option<String>,
    pub all: Option<String>,
}

impl PeopleQuery {
    pub(super) fn filter(&self) -> Result<PeopleFilter, ApiError> {
        Ok(PeopleFilter {
            unit: opt_id(&self.unit, "单位")?,
            leaders_only: query_flag(&self.leaders),
            include_inactive: query_flag(&self.all),
        })
    }
}

async fn list_people(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<PeopleQuery>) -> Result<Json<Value>, ApiError> {
    let items = st.store.people(&q.filter()?).await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

async fn get_person(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<PersonRecord>, ApiError> {
    Ok(Json(st.store.person(id).await.or_not_found(format!("人员 {id} 不存在"))?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct NewPersonBody {
    pub name: String,
    #[serde(default)]
    pub title: String,
    pub unit_id: i64,
    #[serde(default)]
    pub is_leader: bool,
    #[serde(default)]
    pub phone: String,
}

pub(super) async fn do_create_person(st: &AppState, a: &Auth, b: &NewPersonBody) -> Result<PersonRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let n = NewPerson {
        name: person_name(&b.name)?,
        title: person_title(&b.title)?,
        unit_id: b.unit_id,
        is_leader: b.is_leader,
        phone: phone(&b.phone)?,
    };
    Ok(st.store.create_person(&n, &a.audit()).await?)
}

async fn create_person(State(st): State<AppState>, a: Auth, Json(b): Json<NewPersonBody>) -> Result<Created<PersonRecord>, ApiError> {
    Ok(created(do_create_person(&st, &a, &b).await?))
}

/// A change; an absent field is kept.
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct PersonPatch {
    pub version: i64,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub is_leader: Option<bool>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

pub(super) async fn do_update_person(st: &AppState, a: &Auth, id: i64, b: &PersonPatch) -> Result<PersonRecord, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let change = PersonChange {
        name: b.name.as_deref().map(person_name).transpose()?,
        title: b.title.as_deref().map(person_title).transpose()?,
        unit_id: b.unit_id,
        is_leader: b.is_leader,
        phone: b.phone.as_deref().map(phone).transpose()?,
        active: b.active,
    };
    st.store
        .update_person(id, b.version, &change, &a.audit())
        .await
        .or_not_found(format!("人员 {id} 不存在"))
}

async fn update_person(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<PersonPatch>,
) -> Result<Json<PersonRecord>, ApiError> {
    Ok(Json(do_update_person(&st, &a, id, &b).await?))
}
