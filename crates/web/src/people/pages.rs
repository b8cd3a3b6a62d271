//! `/admin/people`: the register with its filters (unit, leaders only, inactive too) and the
//! new-person form, and `/admin/people/{id}`: one person's form. The forms call the same
//! functions as the JSON API.

use super::api::{NewPersonBody, PeopleQuery, PersonPatch, do_create_person, do_update_person};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::fields::{form_number, form_version};
use crate::page::select::{choice_options, unit_choices, val};
use crate::page::{Ctx, Flash, Markup, PageError, admin, back, layout, to_created};
use crate::routes::{Routes, get};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_store::people::PersonRecord;

pub fn router() -> Routes {
    Routes::new()
        .route("/admin/people", get(people_page).post(create_form))
        .route("/admin/people/{id}", get(person_page).post(update_form))
}

const FLASH: &[&str] = &["people.flash_"];

#[derive(Template)]
#[template(path = "people/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    people: Vec<PersonRecord>,
    /// The filter's units (any first), and the new person's.
    filter_units: Markup,
    new_units: Markup,
    leaders: bool,
    all: bool,
    token: &'a str,
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct ListQuery {
    ok: Option<String>,
    error: Option<String>,
    unit: Option<String>,
    leaders: Option<String>,
    all: Option<String>,
}

async fn people_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    let pq = PeopleQuery {
        unit: q.unit.clone(),
        leaders: q.leaders.clone(),
        all: q.all.clone(),
    };
    let filter = pq.filter().map_err(cx.err())?;
    let people = st.store.people(&filter).await?;
    let units = unit_choices(&st).await?;
    let unit = val(&q.unit);
    let title = cx.t("nav.people");
    let flash = Flash { ok: q.ok, error: q.error };
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        people,
        filter_units: choice_options(&units, unit, Some(cx.t("people.any_unit"))),
        new_units: choice_options(&units, unit, None),
        leaders: filter.leaders_only,
        all: filter.include_inactive,
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Template)]
#[template(path = "people/person.html")]
struct PersonPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    p: &'a PersonRecord,
    units: Markup,
    token: &'a str,
}

async fn person_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let p = admin::record(&cx, id, "people.missing", st.store.person(id)).await?;
    let units = unit_choices(&st).await?;
    let body = Markup::of(&PersonPage {
        cx: &cx,
        title: &p.name,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        p: &p,
        units: choice_options(&units, &p.unit_id.to_string(), None),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &p.name, body, &[]))
}

#[derive(Deserialize)]
struct PersonForm {
    #[serde(default)]
    version: String,
    name: String,
    #[serde(default)]
    title: String,
    unit_id: String,
    #[serde(default)]
    is_leader: Option<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    active: Option<String>,
}

async fn create_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, Form(f): Form<PersonForm>) -> Response {
    let made = async {
        let body = NewPersonBody {
            name: f.name,
            title: f.title,
            unit_id: form_number(&f.unit_id, "请选择单位")?,
            is_leader: f.is_leader.is_some(),
            phone: f.phone,
        };
        do_create_person(&st, &a, &body).await.map(|p| p.id)
    }
    .await;
    to_created(lang, "/admin/people", made, "people.flash_created")
}

async fn update_form(
    lang: crate::page::Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(f): Form<PersonForm>,
) -> Response {
    let r: Result<PersonRecord, ApiError> = async {
        let patch = PersonPatch {
            version: form_version(&f.version)?,
            name: Some(f.name),
            title: Some(f.title),
            unit_id: Some(form_number(&f.unit_id, "请选择单位")?),
            is_leader: Some(f.is_leader.is_some()),
            phone: Some(f.phone),
            active: Some(f.active.is_some()),
        };
        do_update_person(&st, &a, id, &patch).await
    }
    .await;
    back(lang, &format!("/admin/people/{id}"), r.map(|_| "people.flash_saved"))
}
