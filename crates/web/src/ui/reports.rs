//! The pages of the reports area: `/reports` (the four reports, a period picker, the issued
//! list and the evaluation weights), a report of a period as a page and its downloads
//! (`/reports/{kind}/{period}` and `….pdf|.xlsx|.docx`), issuing it, an issued (frozen)
//! report and its comparison with the previous issue. The report's own text is the Chinese
//! official document; the page around it follows the reader's language.

use super::{Ctx, PageError, layout_legacy};
use crate::AppState;
use crate::auth::Via;
use crate::error::ApiError;
use crate::page::esc;
use crate::reports_api::{Format, build, download, issue_period, load_issued, parse_period};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use serde_json::json;
use zhantu_domain::access::Action;
use zhantu_domain::cadence::{Chart, DocTable, EvaluationWeights, Report, ReportKind, ReportPeriod, compare};
use zhantu_store::cadence::IssuedSummary;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(index))
        .route("/reports/open", get(open))
        .route("/reports/issued/{file}", get(issued_page))
        .route("/reports/issued/{id}/compare", get(compare_page))
        .route("/reports/{kind}/{file}", get(report_page))
        .route("/reports/{kind}/{period}/issue", post(issue_form))
        .route("/reports/weights", post(weights_form))
}

const SCRIPTS: &[&str] = &["/assets/vendor/echarts.min.js", "/assets/app.js"];

fn kind_label(cx: &Ctx, k: ReportKind) -> &'static str {
    cx.t(&format!("reports.kind.{}", k.code()))
}

fn csrf(cx: &Ctx) -> &str {
    match &cx.auth.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    }
}

/// `2019-12.pdf` → ("2019-12", Some(pdf)); an unknown extension is a 404.
fn split_file(file: &str) -> Result<(&str, Option<Format>), ApiError> {
    match file.rsplit_once('.') {
        Some((stem, ext)) => Format::parse(ext)
            .map(|f| (stem, Some(f)))
            .ok_or_else(|| ApiError::not_found("不支持的下载格式")),
        None => Ok((file, None)),
    }
}

async fn index(State(st): State<AppState>, cx: Ctx) -> Result<Html<String>, PageError> {
    let as_of = st.store.as_of().await?;
    let cards: String = ReportKind::ALL
        .iter()
        .map(|k| {
            let p = ReportPeriod::containing(*k, as_of);
            format!(
                r#"<div class="card report-kind"><div class="k">{label}</div><form method="get" action="/reports/open"><input type="hidden" name="kind" value="{code}"><label>{period_l} <input name="period" value="{p}" size="9" pattern="[0-9]{{4}}-[WBQ]?[0-9]{{1,2}}" title="{example}"></label> <button type="submit">{open}</button></form><p class="n">{hint}</p></div>"#,
                label = kind_label(&cx, *k),
                code = k.code(),
                period_l = cx.t("reports.period"),
                p = p.code(),
                example = k.period_example(),
                open = cx.t("reports.open"),
                hint = esc(&format!("{} {}", cx.t("reports.example"), k.period_example())),
            )
        })
        .collect();
    let issued = st.store.issued_reports(None).await?;
    let weights = st.store.evaluation_weights().await?;
    let w = &weights.weights;
    let may_edit = cx.auth.actor.may(Action::IssueReport).is_ok();
    let weight_rows: String = [
        ("reports.w.on_time", w.on_time),
        ("reports.w.investment", w.investment),
        ("reports.w.landing", w.landing),
        ("reports.w.problems", w.problems),
        ("reports.w.timeliness", w.timeliness),
    ]
    .iter()
    .map(|(k, v)| {
        let field = k.trim_start_matches("reports.w.");
        if may_edit {
            format!(
                r#"<tr><td><label for="w-{field}">{}</label></td><td class="num"><input id="w-{field}" name="{field}" type="number" min="0" max="100" value="{v}" form="weights-form" required></td></tr>"#,
                cx.t(k)
            )
        } else {
            format!("<tr><td>{}</td><td class=\"num\">{v}</td></tr>", cx.t(k))
        }
    })
    .collect();
    let deadline = format!(
        r#"<p class="n">{} {}</p>"#,
        esc(cx.t("reports.deadline_days")),
        esc(
            &zhantu_domain::deadlines::ReportingDeadlines::from_rules(&st.store.rule_set().await?)
                .monthly
                .describe_zh()
        )
    );
    let form = if may_edit {
        format!(
            r#"{deadline}<form id="weights-form" method="post" action="/reports/weights"><input type="hidden" name="csrf_token" value="{}"><input type="hidden" name="version" value="{}"><button type="submit">{}</button></form>"#,
            esc(csrf(&cx)),
            weights.version,
            cx.t("reports.save_weights")
        )
    } else {
        deadline
    };
    let body = format!(
        r#"<h1>{title}</h1>
<section class="cards" aria-label="{title}">{cards}</section>
<section class="panel"><h2>{issued_h}</h2>{issued}</section>
<section class="panel"><h2>{weights_h}</h2><p>{weights_note}</p><table class="report-weights"><thead><tr><th>{measure}</th><th>{weight}</th></tr></thead><tbody>{weight_rows}</tbody></table>{form}</section>"#,
        title = cx.t("reports.title"),
        issued_h = cx.t("reports.issued"),
        issued = issued_table(&cx, &issued),
        weights_h = cx.t("reports.weights"),
        weights_note = esc(&format!(
            "{} {} · {}",
            cx.t("reports.weights_version"),
            weights.version,
            weights.created_by
        )),
        measure = cx.t("reports.measure"),
        weight = cx.t("reports.weight"),
    );
    Ok(layout_legacy(&cx, cx.t("reports.title"), &body, &[]))
}

fn issued_table(cx: &Ctx, items: &[IssuedSummary]) -> String {
    if items.is_empty() {
        return format!("<p>{}</p>", cx.t("reports.none_issued"));
    }
    let rows: String = items
        .iter()
        .map(|i| {
            format!(
                r#"<tr><td><a href="/reports/issued/{id}">{title}</a></td><td>{period}</td><td class="num">{no}</td><td>{at}</td><td>{by}</td><td class="num">{seq}</td><td><a href="/reports/issued/{id}.pdf">PDF</a> · <a href="/reports/issued/{id}.xlsx">Excel</a> · <a href="/reports/issued/{id}/compare">{cmp}</a></td></tr>"#,
                id = i.id,
                title = esc(&i.title),
                period = esc(&i.period),
                no = i.issue_no,
                at = esc(&zhantu_store::beijing_time(&i.issued_at)),
                by = esc(&i.issued_by),
                seq = i.data_version.seq,
                cmp = cx.t("reports.compare"),
            )
        })
        .collect();
    format!(
        r#"<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{rows}</tbody></table>"#,
        cx.t("reports.col.title"),
        cx.t("reports.period"),
        cx.t("reports.col.no"),
        cx.t("reports.col.issued_at"),
        cx.t("reports.col.issued_by"),
        cx.t("reports.col.data_version"),
        cx.t("reports.col.files"),
    )
}

#[derive(Deserialize)]
struct OpenQuery {
    kind: Option<String>,
    period: Option<String>,
}

async fn open(cx: Ctx, Query(q): Query<OpenQuery>) -> Result<Redirect, PageError> {
    let (kind, period) = (q.kind.unwrap_or_default(), q.period.unwrap_or_default());
    let p = parse_period(&kind, period.trim()).map_err(|e| PageError(e, cx.lang))?;
    Ok(Redirect::to(&format!("/reports/{}/{}", p.kind.code(), p.code())))
}

async fn report_page(State(st): State<AppState>, cx: Ctx, Path((kind, file)): Path<(String, String)>) -> Result<Response, PageError> {
    let (period, format) = split_file(&file).map_err(|e| PageError(e, cx.lang))?;
    let period = parse_period(&kind, period).map_err(|e| PageError(e, cx.lang))?;
    let report = build(&st, period).await.map_err(|e| PageError(e, cx.lang))?;
    if let Some(f) = format {
        return Ok(download(report, f).await.map_err(|e| PageError(e, cx.lang))?);
    }
    let base = format!("/reports/{}/{}", period.kind.code(), period.code());
    let issue = if cx.auth.actor.may(Action::IssueReport).is_ok() {
        format!(
            r#"<form method="post" action="{base}/issue" class="report-issue"><input type="hidden" name="csrf_token" value="{}"><button type="submit">{}</button></form>"#,
            esc(csrf(&cx)),
            cx.t("reports.issue")
        )
    } else {
        String::new()
    };
    let nav = format!(
        r#"<p class="report-nav"><a href="/reports/{k}/{prev}">← {prev_l}</a> · <a href="/reports">{all}</a></p>"#,
        k = period.kind.code(),
        prev = period.previous().code(),
        prev_l = cx.t("reports.previous_period"),
        all = cx.t("reports.title"),
    );
    let body = format!(
        r#"{nav}<div class="report-bar"><span class="report-draft">{draft}</span>{links}{issue}</div>{doc}"#,
        draft = cx.t("reports.draft"),
        links = download_links(&cx, &base, &report),
        doc = document_html(&report),
    );
    Ok(layout_legacy(&cx, &format!("{} {}", report.title, report.period_label), &body, SCRIPTS).into_response())
}

fn download_links(cx: &Ctx, base: &str, r: &Report) -> String {
    let mut links = vec![
        format!(r#"<a href="{base}.pdf">{}</a>"#, cx.t("reports.pdf")),
        format!(r#"<a href="{base}.xlsx">{}</a>"#, cx.t("reports.xlsx")),
    ];
    if r.kind.has_docx() {
        links.push(format!(r#"<a href="{base}.docx">{}</a>"#, cx.t("reports.docx")));
    }
    format!(r#"<span class="report-files">{}</span>"#, links.join(" · "))
}

#[derive(Deserialize)]
struct IssueForm {
    #[allow(dead_code)]
    csrf_token: Option<String>,
}

async fn issue_form(
    State(st): State<AppState>,
    cx: Ctx,
    Path((kind, period)): Path<(String, String)>,
    Form(_f): Form<IssueForm>,
) -> Result<Redirect, PageError> {
    let issued = issue_period(&st, &cx.auth, &kind, &period)
        .await
        .map_err(|e| PageError(e, cx.lang))?;
    Ok(Redirect::to(&format!("/reports/issued/{}", issued.summary.id)))
}

#[derive(Deserialize)]
struct WeightsForm {
    version: String,
    on_time: String,
    investment: String,
    landing: String,
    problems: String,
    timeliness: String,
}

/// The weights form: a new published version, refused when based on a stale one.
async fn weights_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<WeightsForm>) -> Result<Redirect, PageError> {
    let lang = cx.lang;
    cx.auth.actor.may(Action::IssueReport).map_err(|e| PageError(e.into(), lang))?;
    let num = |v: &str, what: &str| -> Result<u32, PageError> {
        v.trim()
            .parse::<u32>()
            .map_err(|_| PageError(ApiError::bad_request("invalid_weights", format!("{what}应为非负整数")), lang))
    };
    let version: i64 = f
        .version
        .trim()
        .parse()
        .map_err(|_| PageError(ApiError::bad_request("invalid_body", "缺少当前权重版本"), lang))?;
    let w = EvaluationWeights {
        on_time: num(&f.on_time, "节点按时完成率权重")?,
        investment: num(&f.investment, "投资完成度权重")?,
        landing: num(&f.landing, "项目落地率权重")?,
        problems: num(&f.problems, "问题解决率权重")?,
        timeliness: num(&f.timeliness, "填报及时率权重")?,
    };
    w.validate()
        .map_err(|e| PageError(ApiError::bad_request("invalid_weights", e.to_string()), lang))?;
    st.store
        .save_evaluation_weights(version, &w, &cx.auth.audit())
        .await
        .map_err(|e| PageError(e.into(), lang))?;
    Ok(Redirect::to("/reports"))
}

async fn issued_page(State(st): State<AppState>, cx: Ctx, Path(file): Path<String>) -> Result<Response, PageError> {
    let (id, format) = split_file(&file).map_err(|e| PageError(e, cx.lang))?;
    let id: i64 = id.parse().map_err(|_| PageError(ApiError::not_found("记录不存在"), cx.lang))?;
    let issued = load_issued(&st, id).await.map_err(|e| PageError(e, cx.lang))?;
    if let Some(f) = format {
        return Ok(download(issued.report, f).await.map_err(|e| PageError(e, cx.lang))?);
    }
    let now = st.store.data_version().await?;
    let s = &issued.summary;
    let changed = if now.seq != s.data_version.seq {
        format!(
            r#"<p class="report-changed" role="status">{}</p>"#,
            esc(&cx.t("reports.data_changed").replace("{seq}", &now.seq.to_string()))
        )
    } else {
        format!(r#"<p class="report-same">{}</p>"#, cx.t("reports.data_same"))
    };
    let body = format!(
        r#"<p class="report-nav"><a href="/reports">{all}</a> · <a href="/reports/{k}/{p}">{live}</a> · <a href="/reports/issued/{id}/compare">{cmp}</a></p>
<div class="report-bar"><span class="report-issued">{issued_l} {no} · {at} · {by} · {dv} {seq} ({hash})</span>{links}</div>{changed}{doc}"#,
        all = cx.t("reports.title"),
        k = s.kind.code(),
        p = esc(&s.period),
        live = cx.t("reports.live"),
        id = s.id,
        cmp = cx.t("reports.compare"),
        issued_l = cx.t("reports.issued_no"),
        no = s.issue_no,
        at = esc(&zhantu_store::beijing_time(&s.issued_at)),
        by = esc(&s.issued_by),
        dv = cx.t("reports.col.data_version"),
        seq = s.data_version.seq,
        hash = esc(s.data_version.hash.get(..12).unwrap_or(&s.data_version.hash)),
        links = download_links(&cx, &format!("/reports/issued/{}", s.id), &issued.report),
        doc = document_html(&issued.report),
    );
    Ok(layout_legacy(&cx, &issued.report.title, &body, SCRIPTS).into_response())
}

async fn compare_page(State(st): State<AppState>, cx: Ctx, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError(ApiError::not_found("记录不存在"), cx.lang))?;
    let issued = load_issued(&st, id).await.map_err(|e| PageError(e, cx.lang))?;
    let previous = st.store.previous_issue(&issued.summary).await?;
    let changes = compare(&issued.report, previous.as_ref().map(|p| &p.report));
    let head = |s: Option<&IssuedSummary>| match s {
        Some(s) => format!(
            r#"<a href="/reports/issued/{}">{} {} · {}</a>"#,
            s.id,
            cx.t("reports.issued_no"),
            s.issue_no,
            esc(&s.period)
        ),
        None => cx.t("reports.no_previous").to_string(),
    };
    let rows: String = changes
        .iter()
        .map(|c| {
            format!(
                r#"<tr{cls}><td>{}</td><td class="num">{}</td><td class="num">{}</td></tr>"#,
                esc(&c.label),
                esc(c.current.as_deref().unwrap_or("—")),
                esc(c.previous.as_deref().unwrap_or("—")),
                cls = if c.changed { r#" class="report-diff""# } else { "" },
            )
        })
        .collect();
    let body = format!(
        r#"<p class="report-nav"><a href="/reports">{all}</a></p><h1>{title}</h1><section class="panel"><table class="report-compare"><thead><tr><th>{fig}</th><th>{cur}</th><th>{prev}</th></tr></thead><tbody>{rows}</tbody></table></section>"#,
        all = cx.t("reports.title"),
        title = esc(&format!("{} · {}", issued.report.title, cx.t("reports.compare"))),
        fig = cx.t("reports.figure"),
        cur = head(Some(&issued.summary)),
        prev = head(previous.as_ref().map(|p| &p.summary)),
    );
    Ok(layout_legacy(&cx, cx.t("reports.compare"), &body, &[]))
}

/// The report as an HTML document: the same text and tables as the PDF, charts drawn by
/// ECharts from the server's option.
pub fn document_html(r: &Report) -> String {
    let mut out = format!(
        r#"<article class="report-doc"><h1>{}</h1><p class="report-docno">{}</p><p class="report-period">（{}）</p>"#,
        esc(&r.title),
        esc(&r.doc_number()),
        esc(&r.period_label)
    );
    for p in &r.summary {
        out.push_str(&format!("<p>{}</p>", esc(p)));
    }
    let mut chart_no = 0;
    for s in &r.sections {
        out.push_str(&format!("<h2>{}</h2>", esc(&s.heading)));
        for p in &s.paragraphs {
            out.push_str(&format!("<p>{}</p>", esc(p)));
        }
        for c in &s.charts {
            chart_no += 1;
            out.push_str(&chart_html(chart_no, c));
        }
        for t in &s.tables {
            out.push_str(&table_html(t));
        }
    }
    out.push_str(&format!(
        r#"<p class="report-sign">{}<br>{}</p></article>"#,
        esc(&r.office),
        r.as_of.format("%Y年%-m月%-d日")
    ));
    out
}

fn chart_html(n: usize, c: &Chart) -> String {
    let colours = ["#2f5597", "#a5a5a5", "#c55a11"];
    let mut series: Vec<serde_json::Value> = c
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "name": s.name, "type": "bar",
                "data": s.values.iter().map(|v| *v as f64 / 10.0).collect::<Vec<_>>(),
                "itemStyle": {"color": colours[i % 3]},
                "label": {"show": c.labels.len() <= 12, "position": "right"}
            })
        })
        .collect();
    if let (Some((name, v)), Some(first)) = (&c.reference, series.first_mut()) {
        first["markLine"] = json!({"symbol": "none", "data": [{"xAxis": *v as f64 / 10.0, "name": name}], "lineStyle": {"color": "#c00000"}, "label": {"formatter": format!("{name} {}", *v as f64 / 10.0)}});
    }
    let option = json!({
        "tooltip": {"trigger": "axis"},
        "legend": {"data": c.series.iter().map(|s| &s.name).collect::<Vec<_>>()},
        "grid": {"left": 10, "right": 40, "bottom": 10, "top": 30},
        "xAxis": {"type": "value", "name": c.unit},
        "yAxis": {"type": "category", "inverse": true, "data": c.labels, "axisLabel": {"interval": 0}},
        "series": series,
    });
    let height = 60 + 28 * c.labels.len().max(2) * c.series.len().clamp(1, 2);
    format!(
        r#"<figure class="report-chart"><figcaption>{title}（{unit}）</figcaption><div class="chart report-chart-{h}" id="report-chart-{n}" role="img" aria-label="{title}" data-chart="{opt}"></div></figure>"#,
        title = esc(&c.title),
        unit = esc(&c.unit),
        h = (height / 100).clamp(2, 9),
        opt = esc(&option.to_string()),
    )
}

fn table_html(t: &DocTable) -> String {
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|i| {
            t.rows
                .iter()
                .map(|r| &r[i])
                .all(|c| c.is_number() || matches!(c, zhantu_domain::cadence::DocCell::Empty))
        })
        .collect();
    let head: String = t.columns.iter().map(|c| format!("<th>{}</th>", esc(c))).collect();
    let rows: String = t
        .rows
        .iter()
        .map(|r| {
            let cells: String = r
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if numeric[i] {
                        format!(r#"<td class="num">{}</td>"#, esc(&c.display()))
                    } else {
                        format!("<td>{}</td>", esc(&c.display()))
                    }
                })
                .collect();
            format!("<tr>{cells}</tr>")
        })
        .collect();
    let more = if t.omitted > 0 {
        format!(r#"<p class="n">（另有{}项，详见 Excel 附表）</p>"#, t.omitted)
    } else {
        String::new()
    };
    format!(
        r#"<div class="report-table"><table><caption>{}</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>{more}</div>"#,
        esc(&t.caption)
    )
}
