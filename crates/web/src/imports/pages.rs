//! `/import`: batch import (批量导入) for coordinators and admins. Choose the kind, download its
//! template, upload; the dry run lists every bad row (row, column, value, reason); a clean dry
//! run can be confirmed, and the real import reports what it created and changed. The upload
//! and the progress bar are driven by `app.js` (the API needs the CSRF header); each run's
//! result is a server-rendered page, `/import/runs/{id}`.

use super::jobs::{Job, job_paged};
use crate::page::{Ctx, Lang, Markup, PageError, layout};
use crate::routes::{Routes, get};
use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Html;
use zhantu_domain::access::Action;
use zhantu_domain::imports::ImportKind;
use zhantu_store::imports::ImportOutcome;

pub fn router() -> Routes {
    Routes::new().route("/import", get(page)).route("/import/runs/{id}", get(run_page))
}

fn kind_label(cx: &Ctx, k: ImportKind) -> &'static str {
    match cx.lang {
        Lang::Zh => k.label_zh(),
        Lang::En => k.label_en(),
    }
}

#[derive(Template)]
#[template(path = "imports/index.html")]
struct ImportPage<'a> {
    cx: &'a Ctx,
    kinds: Vec<KindLink>,
}

struct KindLink {
    code: &'static str,
    label: &'static str,
}

async fn page(cx: Ctx) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::Import).map_err(cx.err())?;
    let kinds = ImportKind::ALL
        .iter()
        .map(|k| KindLink {
            code: k.code(),
            label: kind_label(&cx, *k),
        })
        .collect();
    let body = Markup::of(&ImportPage { cx: &cx, kinds });
    Ok(layout(&cx, cx.t("excel.title"), body, &["/assets/app.js"]))
}

#[derive(Template)]
#[template(path = "imports/run.html")]
struct RunPage<'a> {
    cx: &'a Ctx,
    j: &'a Job,
    kind: &'static str,
    /// What the run did (none while it runs or when it failed), with one page of its bad rows.
    outcome: Option<&'a ImportOutcome>,
    /// "共N处错误，显示第x–y处" when the bad rows take more than one page.
    errors_range: Option<String>,
    /// Links to the pages before and after this one.
    prev: Option<String>,
    next: Option<String>,
}

/// Bad rows on one run page.
const ERRORS_PER_PAGE: usize = 500;

#[derive(serde::Deserialize)]
struct RunQuery {
    errors_offset: Option<usize>,
}

async fn run_page(cx: Ctx, Path(id): Path<String>, Query(q): Query<RunQuery>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::Import).map_err(cx.err())?;
    let id: u64 = id
        .parse()
        .map_err(|_| PageError(crate::ApiError::not_found(format!("导入任务 {id} 不存在")), cx.lang))?;
    let (j, total, from) = job_paged(id, &cx.auth, q.errors_offset.unwrap_or(0), ERRORS_PER_PAGE).map_err(cx.err())?;
    let shown = j.outcome.as_ref().map_or(0, |o| o.errors.len());
    let link = |offset: usize| format!("/import/runs/{id}?errors_offset={offset}");
    let body = Markup::of(&RunPage {
        cx: &cx,
        j: &j,
        kind: kind_label(&cx, j.kind),
        outcome: j.outcome.as_ref().filter(|_| j.state != "failed"),
        errors_range: (total > ERRORS_PER_PAGE).then(|| {
            cx.t("excel.errors_range")
                .replace("{total}", &total.to_string())
                .replace("{from}", &(from + 1).to_string())
                .replace("{to}", &(from + shown).to_string())
        }),
        prev: (from > 0).then(|| link(from.saturating_sub(ERRORS_PER_PAGE))),
        next: (from + shown < total).then(|| link(from + shown)),
    });
    Ok(layout(&cx, cx.t("excel.run_title"), body, &["/assets/app.js"]))
}
