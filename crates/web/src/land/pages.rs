//! The land quota ledger's page (`/land`): balance, warnings, the allocation and grant forms,
//! the years and the ledger. The forms call the same functions as the JSON API.

use super::api::{self, LandBody};
use crate::AppState;
use crate::page::programmes::{FLASH, area, nav};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::LandArea;
use zhantu_domain::access::Action;
use zhantu_domain::model::LandEntryKind;
use zhantu_store::land::LandLedger;

#[derive(Template)]
#[template(path = "land/ledger.html")]
struct LedgerPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    l: LandLedger,
    may_manage: bool,
    token: &'a str,
}

impl LedgerPage<'_> {
    fn area(&self, a: LandArea) -> String {
        area(self.cx.lang, a)
    }
    fn kind(&self, k: LandEntryKind) -> &'static str {
        if self.cx.lang == Lang::Zh { k.label_zh() } else { k.label_en() }
    }
}

pub(super) async fn land(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let title = cx.t("pipeline.land");
    let body = Markup::of(&LedgerPage {
        cx: &cx,
        title,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        l: st.store.land_ledger().await?,
        may_manage: cx.auth.actor.may(Action::Verify).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Deserialize)]
pub(super) struct AllocationForm {
    project_id: String,
    area: String,
    #[serde(default)]
    document: String,
}

pub(super) async fn allocation_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<AllocationForm>) -> Response {
    let r = async {
        let project_id = st.store.resolve_project_ref(&f.project_id).await?;
        let body = LandBody {
            entry_on: None,
            area: Value::String(f.area.clone()),
            project_id: Some(project_id),
            document: f.document.clone(),
            note: String::new(),
        };
        api::do_allocate_land(&st, &cx.auth, &body).await
    }
    .await;
    back(cx.lang, "/land", r.map(|_| "pipeline.flash_land_allocated"))
}

#[derive(Deserialize)]
pub(super) struct GrantForm {
    area: String,
    #[serde(default)]
    entry_on: String,
    #[serde(default)]
    document: String,
}

pub(super) async fn grant_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<GrantForm>) -> Response {
    let body = LandBody {
        entry_on: Some(f.entry_on.clone()),
        area: Value::String(f.area.clone()),
        project_id: None,
        document: f.document.clone(),
        note: String::new(),
    };
    let r = api::do_grant_land(&st, &cx.auth, &body).await;
    back(cx.lang, "/land", r.map(|_| "pipeline.flash_land_granted"))
}
