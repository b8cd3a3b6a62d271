//! `/import`: batch import (批量导入) for coordinators and admins. Choose the kind, download its
//! template, upload; the dry run lists every bad row (row, column, value, reason); a clean dry
//! run can be confirmed, and the real import reports what it created and changed. The upload
//! and the progress bar are driven by `app.js` (the API needs the CSRF header); each run's
//! result is a server-rendered page, `/import/runs/{id}`.

use super::jobs::{Job, job};
use crate::AppState;
use crate::auth::Via;
use crate::page::{Ctx, Lang, PageError, esc, layout_legacy};
use axum::Router;
use axum::extract::Path;
use axum::response::Html;
use axum::routing::get;
use zhantu_domain::access::Action;
use zhantu_domain::imports::ImportKind;

pub fn router() -> Router<AppState> {
    Router::new().route("/import", get(page)).route("/import/runs/{id}", get(run_page))
}

fn kind_label(cx: &Ctx, k: ImportKind) -> &'static str {
    match cx.lang {
        Lang::Zh => k.label_zh(),
        Lang::En => k.label_en(),
    }
}

fn csrf(cx: &Ctx) -> &str {
    match &cx.auth.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    }
}

async fn page(cx: Ctx) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::Import).map_err(|e| PageError(e.into(), cx.lang))?;
    let options: String = ImportKind::ALL
        .iter()
        .map(|k| format!(r#"<option value="{}">{}</option>"#, k.code(), esc(kind_label(&cx, *k))))
        .collect();
    let templates: String = ImportKind::ALL
        .iter()
        .map(|k| {
            format!(
                r#"<li><a href="/api/v1/import/templates/{}.xlsx" download>{}</a></li>"#,
                k.code(),
                esc(kind_label(&cx, *k))
            )
        })
        .collect();
    let exports: String = [
        ("projects", "excel.export.projects"),
        ("nodes", "excel.export.nodes"),
        ("investment", "excel.export.investment"),
        ("fai", "excel.export.fai"),
        ("enterprises", "excel.export.enterprises"),
        ("problems", "excel.export.problems"),
        ("figures", "excel.export.figures"),
    ]
    .iter()
    .map(|(f, key)| format!(r#"<li><a href="/api/v1/export/{f}.xlsx" download>{}</a></li>"#, cx.t(key)))
    .collect();
    let body = format!(
        r#"<h1>{title}</h1>
<p class="lede">{lede}</p>
<section class="excel-import" aria-labelledby="import-upload">
<h2 id="import-upload">{upload}</h2>
<form id="import-form" class="excel-form" data-csrf="{csrf}" enctype="multipart/form-data">
<label>{kind} <select name="kind" id="import-kind"><option value="">{auto}</option>{options}</select></label>
<label>{file} <input type="file" name="file" id="import-file" accept=".xlsx,.csv" required></label>
<label>{sheet} <input type="text" name="sheet" placeholder="{sheet_hint}"></label>
<input type="hidden" name="dry_run" value="1">
<button type="submit">{dry}</button>
</form>
<p class="excel-status" id="import-status" role="status" aria-live="polite"></p>
<progress id="import-progress" max="100" value="0" hidden></progress>
<noscript><p>{noscript}</p></noscript>
</section>
<section aria-labelledby="import-templates"><h2 id="import-templates">{tpl}</h2><p>{tpl_hint}</p><ul class="excel-links">{templates}</ul></section>
<section aria-labelledby="excel-exports"><h2 id="excel-exports">{exp}</h2><ul class="excel-links">{exports}</ul></section>"#,
        title = cx.t("excel.title"),
        lede = cx.t("excel.lede"),
        upload = cx.t("excel.upload"),
        csrf = esc(csrf(&cx)),
        kind = cx.t("excel.kind"),
        auto = cx.t("excel.kind_auto"),
        file = cx.t("excel.file"),
        sheet = cx.t("excel.sheet"),
        sheet_hint = cx.t("excel.sheet_hint"),
        dry = cx.t("excel.dry_run"),
        noscript = cx.t("excel.noscript"),
        tpl = cx.t("excel.templates"),
        tpl_hint = cx.t("excel.templates_hint"),
        exp = cx.t("excel.exports"),
    );
    Ok(layout_legacy(&cx, cx.t("excel.title"), &body, &["/assets/app.js"]))
}

async fn run_page(cx: Ctx, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::Import).map_err(|e| PageError(e.into(), cx.lang))?;
    let id: u64 = id
        .parse()
        .map_err(|_| PageError(crate::ApiError::not_found(format!("导入任务 {id} 不存在")), cx.lang))?;
    let j = job(id, &cx.auth).map_err(|e| PageError(e, cx.lang))?;
    let body = run_body(&cx, &j);
    Ok(layout_legacy(&cx, cx.t("excel.run_title"), &body, &["/assets/app.js"]))
}

fn run_body(cx: &Ctx, j: &Job) -> String {
    let mode = if j.dry_run {
        cx.t("excel.mode_dry")
    } else {
        cx.t("excel.mode_real")
    };
    let head = format!(
        r#"<h1>{title}</h1><p class="lede">{mode} · {kind} · {file} · {sheet_l} {sheet}</p>"#,
        title = cx.t("excel.run_title"),
        kind = esc(kind_label(cx, j.kind)),
        file = esc(&j.file_name),
        sheet_l = cx.t("excel.sheet"),
        sheet = esc(&j.sheet),
    );
    let back = format!(r#"<p><a href="/import">{}</a></p>"#, cx.t("excel.again"));
    match (j.state, &j.outcome) {
        ("running", _) => format!(
            r#"{head}<div id="import-run" data-id="{id}"><progress id="import-progress" max="{total}" value="{done}"></progress> <span id="import-status" role="status" aria-live="polite">{running}</span></div>"#,
            id = j.id,
            total = j.total.max(1),
            done = j.done,
            running = cx.t("excel.running"),
        ),
        ("failed", _) | (_, None) => format!(
            r#"{head}<p class="excel-error" role="alert">{}</p>{back}"#,
            esc(j.error.as_deref().unwrap_or(""))
        ),
        (_, Some(o)) => {
            let counts = format!(
                r#"<dl class="excel-counts"><div><dt>{rows_l}</dt><dd>{rows}</dd></div><div><dt>{created_l}</dt><dd id="count-created">{created}</dd></div><div><dt>{changed_l}</dt><dd id="count-changed">{changed}</dd></div><div><dt>{unchanged_l}</dt><dd>{unchanged}</dd></div><div><dt>{errors_l}</dt><dd id="count-errors">{errors}</dd></div></dl>"#,
                rows_l = cx.t("excel.rows"),
                rows = o.rows,
                created_l = cx.t("excel.created"),
                created = o.created,
                changed_l = cx.t("excel.changed"),
                changed = o.changed,
                unchanged_l = cx.t("excel.unchanged"),
                unchanged = o.unchanged,
                errors_l = cx.t("excel.errors"),
                errors = o.errors.len(),
            );
            if !o.errors.is_empty() {
                let rows: String = o
                    .errors
                    .iter()
                    .take(2000)
                    .map(|e| {
                        format!(
                            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            e.row,
                            esc(&e.column),
                            esc(&e.value),
                            esc(&e.reason)
                        )
                    })
                    .collect();
                let more = if o.errors.len() > 2000 {
                    format!("<p>{}</p>", cx.t("excel.more_errors"))
                } else {
                    String::new()
                };
                format!(
                    r#"{head}<p class="excel-error" role="alert">{none}</p>{counts}<table class="excel-errors"><caption>{cap}</caption><thead><tr><th scope="col">{r}</th><th scope="col">{c}</th><th scope="col">{v}</th><th scope="col">{why}</th></tr></thead><tbody>{rows}</tbody></table>{more}{back}"#,
                    none = cx.t("excel.nothing_written"),
                    cap = cx.t("excel.errors"),
                    r = cx.t("excel.col_row"),
                    c = cx.t("excel.col_column"),
                    v = cx.t("excel.col_value"),
                    why = cx.t("excel.col_reason"),
                )
            } else if j.dry_run {
                format!(
                    r#"{head}<p class="excel-ok">{ok}</p>{counts}<div id="import-confirm" data-id="{id}" data-csrf="{csrf}"><button type="button" id="import-commit">{confirm}</button> <progress id="import-progress" max="100" value="0" hidden></progress> <span id="import-status" role="status" aria-live="polite"></span></div>{back}"#,
                    ok = cx.t("excel.dry_ok"),
                    id = j.id,
                    csrf = esc(csrf(cx)),
                    confirm = cx.t("excel.confirm"),
                )
            } else {
                format!(r#"{head}<p class="excel-ok">{}</p>{counts}{back}"#, cx.t("excel.done"))
            }
        }
    }
}
