//! `/admin/units`: the unit tree with the new-unit form, and `/admin/units/{id}`: one unit
//! with its forms (change, retire, merge). The forms call the same functions as the JSON API.

use super::api::{MergeBody, NewUnitBody, RetireBody, UnitPatch, do_create_unit, do_merge_unit, do_retire_unit, do_update_unit};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::fields::{form_number, form_opt_number, form_version};
use crate::page::select::{choice_options, unit_choices};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, admin, back, layout, to_created};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::model::UnitKind;
use zhantu_store::units::UnitRecord;

pub fn router() -> Routes {
    Routes::new()
        .route("/admin/units", get(units_page).post(create_form))
        .route("/admin/units/{id}", get(unit_page).post(update_form))
        .route("/admin/units/{id}/retire", post(retire_form))
        .route("/admin/units/{id}/merge", post(merge_form))
}

const FLASH: &[&str] = &["units.flash_"];

fn kind_name(lang: Lang, k: UnitKind) -> &'static str {
    match lang {
        Lang::Zh => k.label_zh(),
        Lang::En => k.label_en(),
    }
}

fn kind_choices(lang: Lang) -> Vec<(String, String)> {
    UnitKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), kind_name(lang, *k).to_string()))
        .collect()
}

#[derive(Template)]
#[template(path = "units/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    units: Vec<UnitRecord>,
    /// The new unit's choices of parent and kind.
    parents: Markup,
    kinds: Markup,
    token: &'a str,
    show_all: bool,
}

impl ListPage<'_> {
    fn kind(&self, k: UnitKind) -> &'static str {
        kind_name(self.cx.lang, k)
    }
    fn indent(&self, u: &UnitRecord) -> String {
        "　".repeat(u.depth as usize)
    }
    fn name_of(&self, id: i64) -> &str {
        self.units.iter().find(|u| u.id == id).map(|u| u.name.as_str()).unwrap_or("")
    }
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct ListQuery {
    ok: Option<String>,
    error: Option<String>,
    all: Option<String>,
}

async fn units_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    let show_all = q.all.as_deref().is_some_and(|v| !v.is_empty() && v != "0");
    let units = st.store.units(true).await?;
    let units = if show_all {
        units
    } else {
        units.into_iter().filter(|u| u.active).collect()
    };
    let choices = unit_choices(&st).await?;
    let root = choices.first().map(|c| c.0.clone()).unwrap_or_default();
    let title = cx.t("nav.units");
    let flash = Flash { ok: q.ok, error: q.error };
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        units,
        parents: choice_options(&choices, &root, Some(cx.t("units.top_level"))),
        kinds: choice_options(&kind_choices(cx.lang), UnitKind::Department.code(), None),
        token: cx.csrf(),
        show_all,
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Template)]
#[template(path = "units/unit.html")]
struct UnitPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    u: &'a UnitRecord,
    parent: String,
    merged_into: String,
    parents: Markup,
    kinds: Markup,
    targets: Markup,
    token: &'a str,
}

impl UnitPage<'_> {
    fn kind(&self, k: UnitKind) -> &'static str {
        kind_name(self.cx.lang, k)
    }
}

async fn unit_page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    let u = admin::record(&cx, id, "units.missing", st.store.unit(id)).await?;
    let parent = name_of(&st, u.parent_id).await;
    let merged_into = name_of(&st, u.merged_into).await;
    let choices: Vec<(String, String)> = unit_choices(&st).await?;
    let others: Vec<(String, String)> = choices.iter().filter(|c| c.0 != id.to_string()).cloned().collect();
    let selected_parent = u.parent_id.map(|p| p.to_string()).unwrap_or_default();
    let body = Markup::of(&UnitPage {
        cx: &cx,
        title: &u.name,
        nav: admin::nav(&cx),
        flash: flash.show(&cx, FLASH),
        u: &u,
        parent,
        merged_into,
        parents: choice_options(&others, &selected_parent, Some(cx.t("units.top_level"))),
        kinds: choice_options(&kind_choices(cx.lang), u.kind.code(), None),
        targets: choice_options(&others, "", None),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &u.name, body, &[]))
}

/// The name of a unit, or nothing.
async fn name_of(st: &AppState, id: Option<i64>) -> String {
    match id {
        Some(id) => st.store.unit(id).await.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    }
}

#[derive(Deserialize)]
struct UnitForm {
    #[serde(default)]
    version: String,
    name: String,
    #[serde(default)]
    parent_id: String,
    kind: String,
    #[serde(default)]
    division_code: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    sort_order: String,
}

fn sort_order(v: &str) -> Result<Option<i64>, ApiError> {
    form_opt_number(v, "排序号应为整数")
}

async fn create_form(lang: Lang, State(st): State<AppState>, a: Auth, Form(f): Form<UnitForm>) -> Response {
    let made = async {
        let body = NewUnitBody {
            name: f.name,
            parent_id: form_opt_number(&f.parent_id, "上级单位无效")?,
            kind: f.kind,
            division_code: Some(f.division_code),
            code: Some(f.code),
            sort_order: sort_order(&f.sort_order)?,
        };
        do_create_unit(&st, &a, &body).await.map(|u| u.id)
    }
    .await;
    to_created(lang, "/admin/units", made, "units.flash_created")
}

async fn update_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<UnitForm>) -> Response {
    let r = async {
        let patch = UnitPatch {
            version: form_version(&f.version)?,
            name: Some(f.name),
            parent_id: Some(form_opt_number(&f.parent_id, "上级单位无效")?),
            kind: Some(f.kind),
            division_code: Some(Some(f.division_code)),
            code: Some(Some(f.code)),
            sort_order: sort_order(&f.sort_order)?,
        };
        do_update_unit(&st, &a, id, &patch).await
    }
    .await;
    back(lang, &format!("/admin/units/{id}"), r.map(|_| "units.flash_saved"))
}

#[derive(Deserialize)]
struct VersionForm {
    version: String,
    #[serde(default)]
    into_id: String,
}

async fn retire_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<VersionForm>) -> Response {
    let r = async {
        let body = RetireBody {
            version: form_version(&f.version)?,
        };
        do_retire_unit(&st, &a, id, &body).await
    }
    .await;
    back(lang, &format!("/admin/units/{id}"), r.map(|_| "units.flash_retired"))
}

async fn merge_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<VersionForm>) -> Response {
    let r = async {
        let body = MergeBody {
            into_id: form_number(&f.into_id, "请选择合并到的单位")?,
            version: form_version(&f.version)?,
        };
        do_merge_unit(&st, &a, id, &body).await
    }
    .await;
    back(lang, &format!("/admin/units/{id}"), r.map(|_| "units.flash_merged"))
}
