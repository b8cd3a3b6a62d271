//! The pages of the groundbreaking batches: the list with its years and the new-batch form
//! (`/batches`), one batch with its admission form (`/batches/{id}`). The forms call the same
//! functions as the JSON API.

use super::api::{self, BatchBody};
use crate::AppState;
use crate::extract::IdPath;
use crate::page::programmes::{page, subnav};
use crate::page::{Ctx, Flash, Lang, PageError, back, csrf_field, esc, money};
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::Value;
use zhantu_domain::access::Action;
use zhantu_domain::model::BatchLevel;

fn level_name(lang: Lang, l: BatchLevel) -> &'static str {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => l.label_en(),
    }
}

pub(super) async fn batches(State(st): State<AppState>, cx: Ctx, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let o = st.store.list_batches(None).await?;
    let rows: String = o
        .batches
        .iter()
        .map(|b| {
            format!(
                r#"<tr><th scope="row"><a href="/batches/{}">{}</a></th><td>{}</td><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                b.id,
                esc(&b.name),
                level_name(lang, b.level),
                b.held_on,
                esc(&b.gate_nodes.join("、")),
                b.aggregate.projects,
                money(lang, b.aggregate.total_investment_wan.0, false),
                money(lang, b.aggregate.annual_investment_wan.0, false)
            )
        })
        .collect();
    let years: String = o
        .years
        .iter()
        .map(|y| {
            format!(
                r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                y.year,
                y.batches,
                y.aggregate.projects,
                money(lang, y.aggregate.total_investment_wan.0, true),
                money(lang, y.aggregate.annual_investment_wan.0, true)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        let levels: String = BatchLevel::ALL
            .iter()
            .map(|l| format!(r#"<option value="{}">{}</option>"#, l.code(), level_name(lang, *l)))
            .collect();
        format!(
            r#"<section class="panel"><h2>{h}</h2><form method="post" action="/batches" class="filters">{csrf}<div class="f"><label for="n-name">{l_name}</label><input id="n-name" name="name" required maxlength="200"></div><div class="f"><label for="n-level">{l_level}</label><select id="n-level" name="level">{levels}</select></div><div class="f"><label for="n-date">{l_date}</label><input id="n-date" name="held_on" type="date" required></div><div class="f"><label for="n-gates">{l_gates}</label><input id="n-gates" name="gate_nodes" value="施工许可" maxlength="200"></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.new_batch"),
            csrf = csrf_field(&cx.auth),
            l_name = t("pipeline.batch"),
            l_level = t("pipeline.level"),
            l_date = t("pipeline.held_on"),
            l_gates = t("pipeline.gate_nodes"),
            b = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"{nav}{flash}<section class="panel"><div class="table-wrap"><table id="batches"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_level}</th><th scope="col">{c_date}</th><th scope="col">{c_gate}</th><th scope="col">{c_n}</th><th scope="col">{c_total}</th><th scope="col">{c_annual}</th></tr></thead><tbody>{rows}</tbody></table></div></section>
<section class="panel"><h2>{h_years}</h2><div class="table-wrap"><table id="batch-years"><thead><tr><th scope="col">{c_year}</th><th scope="col">{c_batches}</th><th scope="col">{c_n}</th><th scope="col">{c_total}</th><th scope="col">{c_annual}</th></tr></thead><tbody>{years}</tbody></table></div></section>{form}"#,
        nav = subnav(&cx),
        flash = f.show(&cx, &["pipeline.flash_"]),
        c_name = t("pipeline.batch"),
        c_level = t("pipeline.level"),
        c_date = t("pipeline.held_on"),
        c_gate = t("pipeline.gate_nodes"),
        c_n = t("pipeline.project_count"),
        c_total = t("pipeline.total_investment"),
        c_annual = t("pipeline.annual_investment"),
        h_years = t("pipeline.per_year"),
        c_year = t("pipeline.year"),
        c_batches = t("pipeline.batch_count"),
    );
    let links = format!(
        r#"<a href="/api/v1/batches/export.xlsx">{}</a> · <a href="/api/v1/batches">JSON</a>"#,
        t("pipeline.export")
    );
    Ok(page(&cx, t("pipeline.batches"), &links, &body))
}

pub(super) async fn batch(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let d = st.store.batch(id).await.map_err(|e| PageError(e.into(), cx.lang))?;
    let rows: String = d
        .members
        .iter()
        .map(|m| {
            format!(
                r#"<tr><th scope="row"><a href="/projects/{}">{}</a></th><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                m.project_id,
                esc(&m.name),
                esc(&m.unit_name),
                money(lang, m.total_investment, false),
                money(lang, m.annual_investment, false)
            )
        })
        .collect();
    let form = if cx.auth.actor.may(Action::Verify).is_ok() {
        format!(
            r#"<section class="panel"><h2>{h}</h2><p class="hint">{hint}</p><form method="post" action="/batches/{id}/projects" class="filters">{csrf}<div class="f"><label for="b-project">{l}</label><input id="b-project" name="project_id" required></div><div class="f"><button type="submit">{b}</button></div></form></section>"#,
            h = t("pipeline.add_to_batch"),
            hint = esc(&crate::page::i18n::tf(
                lang,
                "pipeline.gate_hint",
                &[("gates", &d.batch.gate_nodes.join("、"))]
            )),
            csrf = csrf_field(&cx.auth),
            l = t("pipeline.project_id"),
            b = t("pipeline.add"),
        )
    } else {
        String::new()
    };
    let a = &d.batch.aggregate;
    let body = format!(
        r#"{nav}{flash}<dl class="facts"><div><dt>{l_level}</dt><dd>{level}</dd></div><div><dt>{l_date}</dt><dd>{date}</dd></div><div><dt>{l_gate}</dt><dd>{gates}</dd></div><div><dt>{l_n}</dt><dd id="batch-count">{n}</dd></div><div><dt>{l_total}</dt><dd>{total}</dd></div><div><dt>{l_annual}</dt><dd>{annual}</dd></div></dl>
<section class="panel"><div class="table-wrap"><table id="batch-members"><thead><tr><th scope="col">{c_p}</th><th scope="col">{c_u}</th><th scope="col">{l_total}</th><th scope="col">{l_annual}</th></tr></thead><tbody>{rows}</tbody></table></div></section>{form}"#,
        nav = subnav(&cx),
        flash = f.show(&cx, &["pipeline.flash_"]),
        l_level = t("pipeline.level"),
        level = level_name(lang, d.batch.level),
        l_date = t("pipeline.held_on"),
        date = d.batch.held_on,
        l_gate = t("pipeline.gate_nodes"),
        gates = esc(&d.batch.gate_nodes.join("、")),
        l_n = t("pipeline.project_count"),
        n = a.projects,
        l_total = t("pipeline.total_investment"),
        total = money(lang, a.total_investment_wan.0, false),
        l_annual = t("pipeline.annual_investment"),
        annual = money(lang, a.annual_investment_wan.0, false),
        c_p = t("pipeline.project"),
        c_u = t("pipeline.unit"),
    );
    let links = format!(
        r#"<a href="/projects?batch={id}">{}</a> · <a href="/api/v1/batches/{id}">JSON</a>"#,
        t("pipeline.in_registry")
    );
    Ok(page(&cx, &d.batch.name, &links, &body))
}

#[derive(Deserialize)]
pub(super) struct ProjectForm {
    project_id: String,
}

pub(super) async fn batch_project_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<ProjectForm>) -> Response {
    let to = format!("/batches/{id}");
    let r = async {
        let pid = st.store.resolve_project_ref(&f.project_id).await?;
        api::do_add_batch_project(&st, &cx.auth, id, pid).await
    }
    .await;
    back(&to, r.map(|_| "pipeline.flash_project_added"))
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
    match api::do_create_batch(&st, &cx.auth, &body).await {
        Ok(id) => Redirect::to(&format!("/batches/{id}?ok=pipeline.flash_batch_created")).into_response(),
        Err(e) => back("/batches", Err(e)),
    }
}
