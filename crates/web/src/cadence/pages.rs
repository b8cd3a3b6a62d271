//! The cadence's pages: `/reports` (the four reports, a period picker, the issued
//! list and the evaluation weights), a report of a period as a page and its downloads
//! (`/reports/{kind}/{period}` and `….pdf|.xlsx|.docx`), issuing it, an issued (frozen)
//! report and its comparison with the previous issue. The report and its downloads follow the
//! reader's language (`?lang=` or the cookie, as every page): Chinese is the official document,
//! English its translation, frozen beside it when issued.

use super::document::document_html;
use super::{Format, build, download, glyph_check, issue_period, load_issued, parse_period};
use crate::AppState;
use crate::error::ApiError;
use crate::page::{Ctx, Markup, PageError, csrf_field, data_text, layout};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::cadence::EvaluationWeights;
use zhantu_domain::cadence::FigureChange;
use zhantu_domain::cadence::Report;
use zhantu_domain::cadence::ReportKind;
use zhantu_domain::cadence::ReportPeriod;
use zhantu_domain::cadence::compare;
use zhantu_store::cadence::IssuedSummary;

pub fn router() -> Routes {
    Routes::new()
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

/// `2019-12.pdf` → ("2019-12", Some(pdf)); an unknown extension is a 404.
fn split_file(file: &str) -> Result<(&str, Option<Format>), ApiError> {
    match file.rsplit_once('.') {
        Some((stem, ext)) => Format::parse(ext)
            .map(|f| (stem, Some(f)))
            .ok_or_else(|| ApiError::not_found("不支持的下载格式")),
        None => Ok((file, None)),
    }
}

#[derive(Template)]
#[template(path = "cadence/index.html")]
struct Index<'a> {
    cx: &'a Ctx,
    cards: Vec<KindCard>,
    issued: Vec<IssuedRow<'a>>,
    weights: Vec<WeightRow>,
    version: i64,
    created_by: String,
    may_edit: bool,
    /// When the monthly figures are due, in words.
    deadline: String,
    csrf: Markup,
}

/// A report kind with a picker of its period (the current one filled in).
struct KindCard {
    label: &'static str,
    code: &'static str,
    period: String,
    example: &'static str,
}

struct IssuedRow<'a> {
    id: i64,
    /// In the reader's language, the district's name in it marked as data.
    title: Markup,
    period: &'a str,
    no: i64,
    at: String,
    by: &'a str,
    seq: i64,
}

struct WeightRow {
    field: &'static str,
    label: &'static str,
    value: u32,
}

async fn index(State(st): State<AppState>, cx: Ctx) -> Result<Html<String>, PageError> {
    let as_of = st.store.as_of().await?;
    let cards = ReportKind::ALL
        .iter()
        .map(|k| KindCard {
            label: kind_label(&cx, *k),
            code: k.code(),
            period: ReportPeriod::default_for(*k, as_of).code(),
            example: k.period_example(),
        })
        .collect();
    let issued = st.store.issued_reports(None).await?;
    let weights = st.store.evaluation_weights().await?;
    let w = &weights.weights;
    let weight_rows = [
        ("on_time", w.on_time),
        ("investment", w.investment),
        ("landing", w.landing),
        ("problems", w.problems),
        ("timeliness", w.timeliness),
    ]
    .into_iter()
    .map(|(field, value)| WeightRow {
        field,
        label: cx.t(&format!("reports.w.{field}")),
        value,
    })
    .collect();
    let monthly = zhantu_domain::deadlines::ReportingDeadlines::from_rules(&st.store.rule_set().await?).monthly;
    let deadline = match cx.lang {
        crate::page::Lang::Zh => monthly.describe_zh(),
        crate::page::Lang::En => monthly.describe_en(),
    };
    let body = Markup::of(&Index {
        cx: &cx,
        cards,
        issued: issued
            .iter()
            .map(|i| IssuedRow {
                id: i.id,
                title: data_text(
                    cx.lang.into(),
                    match cx.lang {
                        crate::page::Lang::Zh => &i.title,
                        crate::page::Lang::En => &i.title_en,
                    },
                ),
                period: &i.period,
                no: i.issue_no,
                at: cx.time(&i.issued_at),
                by: &i.issued_by,
                seq: i.data_version.seq,
            })
            .collect(),
        weights: weight_rows,
        version: weights.version,
        created_by: crate::page::audit::actor_label(cx.lang, &weights.created_by),
        may_edit: cx.auth.actor.may(Action::IssueReport).is_ok(),
        deadline,
        csrf: csrf_field(&cx.auth),
    });
    Ok(layout(&cx, cx.t("reports.title"), body, &[]))
}

#[derive(Deserialize)]
struct OpenQuery {
    kind: Option<String>,
    period: Option<String>,
}

async fn open(cx: Ctx, Query(q): Query<OpenQuery>) -> Result<Redirect, PageError> {
    let (kind, period) = (q.kind.unwrap_or_default(), q.period.unwrap_or_default());
    let p = parse_period(cx.lang.into(), &kind, period.trim()).map_err(cx.err())?;
    Ok(Redirect::to(&format!("/reports/{}/{}", p.kind.code(), p.code())))
}

async fn report_page(State(st): State<AppState>, cx: Ctx, Path((kind, file)): Path<(String, String)>) -> Result<Response, PageError> {
    let (period, format) = split_file(&file).map_err(cx.err())?;
    let period = parse_period(cx.lang.into(), &kind, period).map_err(cx.err())?;
    let report = build(&st, period, cx.lang.into()).await.map_err(cx.err())?;
    if let Some(f) = format {
        return Ok(download(report, f).await.map_err(cx.err())?);
    }
    let base = format!("/reports/{}/{}", period.kind.code(), period.code());
    let glyphs = glyph_check(report.clone()).await.map_err(cx.err())?;
    let body = Markup::of(&ReportPage {
        cx: &cx,
        kind: period.kind.code(),
        previous: period.previous().code(),
        downloads: downloads(&cx, &base, &report),
        may_issue: cx.auth.actor.may(Action::IssueReport).is_ok(),
        csrf: csrf_field(&cx.auth),
        document: document_html(&report),
        base,
        glyph_warnings: glyph_warnings(&cx, &glyphs),
        confirm_glyphs: !glyphs.pdf.is_empty(),
    });
    Ok(layout(&cx, &format!("{} {}", report.title, report.period_label), body, SCRIPTS).into_response())
}

#[derive(Template)]
#[template(path = "cadence/report.html")]
struct ReportPage<'a> {
    cx: &'a Ctx,
    kind: &'static str,
    previous: String,
    base: String,
    downloads: Markup,
    may_issue: bool,
    csrf: Markup,
    document: Markup,
    glyph_warnings: Vec<Markup>,
    /// The issue form asks to confirm the PDF's missing glyphs.
    confirm_glyphs: bool,
}

/// The missing-glyph warnings of a report in the reader's language: the characters (and the
/// report's own headings and captions where they stand) are data, marked as such in English.
fn glyph_warnings(cx: &Ctx, g: &zhantu_report::GlyphCheck) -> Vec<Markup> {
    let list = |m: &[zhantu_domain::cadence::MissingGlyph]| {
        m.iter()
            .map(|m| m.describe(cx.lang.into()))
            .collect::<Vec<_>>()
            .join(cx.t("common.semicolon"))
    };
    [("reports.glyphs.pdf", &g.pdf), ("reports.glyphs.office", &g.office)]
        .into_iter()
        .filter(|(_, m)| !m.is_empty())
        .map(|(key, m)| {
            let text = cx
                .t(key)
                .replace("{n}", &m.len().to_string())
                .replace("{mark}", &zhantu_domain::cadence::SUBSTITUTE.to_string())
                .replace("{list}", &list(m));
            data_text(cx.lang.into(), &text)
        })
        .collect()
}

#[derive(Template)]
#[template(path = "cadence/downloads.html")]
struct Downloads<'a> {
    cx: &'a Ctx,
    base: &'a str,
    docx: bool,
}

fn downloads(cx: &Ctx, base: &str, r: &Report) -> Markup {
    Markup::of(&Downloads {
        cx,
        base,
        docx: r.kind.has_docx(),
    })
}

#[derive(Deserialize)]
struct IssueForm {
    #[allow(dead_code)]
    csrf_token: Option<String>,
    /// The checkbox shown when the PDF lacks glyphs.
    confirm_missing_glyphs: Option<String>,
}

async fn issue_form(
    State(st): State<AppState>,
    cx: Ctx,
    Path((kind, period)): Path<(String, String)>,
    Form(f): Form<IssueForm>,
) -> Result<Redirect, PageError> {
    let confirmed = f.confirm_missing_glyphs.is_some();
    let issued = issue_period(&st, &cx.auth, cx.lang.into(), &kind, &period, confirmed)
        .await
        .map_err(cx.err())?;
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
        .map_err(|e| PageError(ApiError::bad_request("invalid_weights", e.message(lang.into())), lang))?;
    st.store
        .save_evaluation_weights(version, &w, &cx.auth.audit())
        .await
        .map_err(|e| PageError(e.into(), lang))?;
    Ok(Redirect::to("/reports"))
}

async fn issued_page(State(st): State<AppState>, cx: Ctx, Path(file): Path<String>) -> Result<Response, PageError> {
    let (id, format) = split_file(&file).map_err(cx.err())?;
    let id: i64 = id.parse().map_err(|_| PageError(ApiError::not_found("记录不存在"), cx.lang))?;
    let issued = load_issued(&st, id).await.map_err(cx.err())?;
    let (report, frozen_in_lang) = issued.in_lang(cx.lang.into());
    if let Some(f) = format {
        return Ok(download(report.clone(), f).await.map_err(cx.err())?);
    }
    let now = st.store.data_version().await?;
    let glyphs = glyph_check(report.clone()).await.map_err(cx.err())?;
    let s = &issued.summary;
    let body = Markup::of(&IssuedPage {
        cx: &cx,
        s,
        at: cx.time(&s.issued_at),
        hash: s.data_version.hash.get(..12).unwrap_or(&s.data_version.hash),
        downloads: downloads(&cx, &format!("/reports/issued/{}", s.id), report),
        changed: (now.seq != s.data_version.seq).then(|| cx.t("reports.data_changed").replace("{seq}", &now.seq.to_string())),
        no_english: !frozen_in_lang,
        document: document_html(report),
        glyph_warnings: glyph_warnings(&cx, &glyphs),
    });
    Ok(layout(&cx, &report.title, body, SCRIPTS).into_response())
}

#[derive(Template)]
#[template(path = "cadence/issued.html")]
struct IssuedPage<'a> {
    cx: &'a Ctx,
    s: &'a IssuedSummary,
    at: String,
    hash: &'a str,
    downloads: Markup,
    /// Says the data changed since the issue (with the data version now), if it did.
    changed: Option<String>,
    /// Issued before reports had an English form: the Chinese frozen text is shown.
    no_english: bool,
    document: Markup,
    glyph_warnings: Vec<Markup>,
}

async fn compare_page(State(st): State<AppState>, cx: Ctx, Path(id): Path<String>) -> Result<Html<String>, PageError> {
    let id: i64 = id.parse().map_err(|_| PageError(ApiError::not_found("记录不存在"), cx.lang))?;
    let issued = load_issued(&st, id).await.map_err(cx.err())?;
    let previous = st.store.previous_issue(&issued.summary).await?;
    let lang = cx.lang.into();
    let (report, _) = issued.in_lang(lang);
    // Key figures are compared by key: an issue frozen only in Chinese compares with an English one.
    let changes = compare(report, previous.as_ref().map(|p| p.in_lang(lang).0))
        .into_iter()
        .map(|c| ChangeRow {
            label: data_text(lang, &c.label),
            c,
        })
        .collect();
    let body = Markup::of(&ComparePage {
        cx: &cx,
        title: data_text(lang, &report.title),
        current: &issued.summary,
        previous: previous.as_ref().map(|p| &p.summary),
        changes,
    });
    Ok(layout(&cx, cx.t("reports.compare"), body, &[]))
}

#[derive(Template)]
#[template(path = "cadence/compare.html")]
struct ComparePage<'a> {
    cx: &'a Ctx,
    title: Markup,
    current: &'a IssuedSummary,
    previous: Option<&'a IssuedSummary>,
    changes: Vec<ChangeRow>,
}

/// A key figure of two issues, its label with data (a unit's name) marked in English.
struct ChangeRow {
    c: FigureChange,
    label: Markup,
}
