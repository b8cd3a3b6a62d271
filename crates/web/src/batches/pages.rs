//! The pages of the groundbreaking batches: the list with its years and the new-batch form
//! (`/batches`), one batch with its admission form (`/batches/{id}`). The forms call the same
//! functions as the JSON API.

use super::api::{self, BatchBody};
use crate::AppState;
use crate::extract::IdPath;
use crate::page::programmes::{FLASH, HeldQuery, nav};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, to_created};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::batches::Admission;
use zhantu_domain::model::BatchLevel;
use zhantu_store::batches::BatchDetail;
use zhantu_store::batches::BatchOverview;

fn level_name(lang: Lang, l: BatchLevel) -> &'static str {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => l.label_en(),
    }
}

#[derive(Template)]
#[template(path = "batches/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    o: BatchOverview,
    total: String,
    total_n: usize,
    levels: &'static [BatchLevel],
    may_manage: bool,
    token: &'a str,
}

impl ListPage<'_> {
    fn level(&self, l: BatchLevel) -> &'static str {
        level_name(self.cx.lang, l)
    }
}

pub(super) async fn batches(
    State(st): State<AppState>,
    cx: Ctx,
    Query(f): Query<Flash>,
    Query(h): Query<HeldQuery>,
) -> Result<Html<String>, PageError> {
    let title = cx.t("pipeline.batches");
    let held = h.period(&cx)?;
    let mut o = st.store.list_batches(None).await?;
    o.batches.retain(|b| held.contains(b.held_on));
    let body = Markup::of(&ListPage {
        cx: &cx,
        title,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        total: held.total_line(&cx, o.batches.len()),
        total_n: o.batches.len(),
        o,
        levels: BatchLevel::ALL,
        may_manage: cx.auth.actor.may(Action::Verify).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Template)]
#[template(path = "batches/detail.html")]
struct DetailPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    d: &'a BatchDetail,
    gates: String,
    gate_hint: String,
    may_manage: bool,
    token: &'a str,
}

impl DetailPage<'_> {
    fn level(&self, l: BatchLevel) -> &'static str {
        level_name(self.cx.lang, l)
    }
}

pub(super) async fn batch(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let d = st.store.batch(id).await.map_err(cx.err())?;
    let gates = d.batch.gate_nodes.join("、");
    let body = Markup::of(&DetailPage {
        cx: &cx,
        title: &d.batch.name,
        nav: nav(&cx),
        flash: f.show(&cx, FLASH),
        d: &d,
        gate_hint: cx.tf("pipeline.gate_hint", &[("gates", &gates)]),
        gates,
        may_manage: cx.auth.actor.may(Action::Verify).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &d.batch.name, body, &[]))
}

#[derive(Deserialize)]
pub(super) struct ProjectForm {
    project_id: String,
    #[serde(default)]
    override_reason: String,
}

pub(super) async fn batch_project_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<ProjectForm>) -> Response {
    let to = format!("/batches/{id}");
    let r = async {
        let pid = st.store.resolve_project_ref(&f.project_id).await?;
        let reason = Some(f.override_reason.trim()).filter(|r| !r.is_empty());
        api::do_add_batch_project(&st, &cx.auth, id, pid, reason).await
    }
    .await;
    back(
        cx.lang,
        &to,
        r.map(|a| match a {
            Admission::Ready => "pipeline.flash_project_added",
            Admission::Overridden { .. } => "pipeline.flash_project_overridden",
        }),
    )
}

#[derive(Deserialize)]
pub(super) struct BatchForm {
    name: String,
    level: String,
    held_on: String,
    #[serde(default)]
    gate_nodes: String,
}

pub(super) async fn batch_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<BatchForm>) -> Response {
    let body = BatchBody {
        version: None,
        name: f.name.clone(),
        level: f.level.clone(),
        held_on: f.held_on.clone(),
        gate_nodes: Value::String(f.gate_nodes.clone()),
    };
    to_created(
        cx.lang,
        "/batches",
        api::do_create_batch(&st, &cx.auth, &body).await,
        "pipeline.flash_batch_created",
    )
}
