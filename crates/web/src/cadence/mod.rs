//! The cadence (工作节奏) of the district's reports: the weekly brief, the monthly analysis, the
//! bimonthly supervision list and the quarterly evaluation. Each as JSON (`api`), as a page
//! with its downloads (`pages`, the document itself drawn by `document`), issued (frozen) and
//! compared with the previous issue; and the published weights of the quarterly evaluation.

mod api;
mod document;
mod pages;

use crate::AppState;
use crate::Mechanism;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use axum::response::Response;
use zhantu_domain::access::Action;
use zhantu_domain::cadence::Lang;
use zhantu_domain::cadence::Report;
use zhantu_domain::cadence::ReportKind;
use zhantu_domain::cadence::ReportPeriod;
use zhantu_store::cadence::IssuedReport;

pub const MECHANISM: Mechanism = Mechanism {
    name: "cadence",
    pages: pages::router,
    api: api::router,
};

/// The state-changing routes (full paths), for the access tests.
/// The formats a report downloads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Pdf,
    Xlsx,
    Docx,
}

impl Format {
    pub fn parse(ext: &str) -> Option<Format> {
        match ext {
            "pdf" => Some(Format::Pdf),
            "xlsx" => Some(Format::Xlsx),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }
    pub fn ext(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
        }
    }
}

/// `monthly` + `2019-12` → the period, or a 400 (an unknown kind is a 404) said in `lang`: the
/// JSON API's messages are Chinese, a page says them in the reader's language.
fn parse_period(lang: Lang, kind: &str, period: &str) -> Result<ReportPeriod, ApiError> {
    let kind = ReportKind::parse(kind).map_err(|e| ApiError::not_found(e.message(lang)))?;
    ReportPeriod::parse(kind, period).map_err(|e| ApiError::bad_request("invalid_period", e.message(lang)))
}

/// Reports are district bulletins: every signed-in user reads them, in their language.
async fn build(st: &AppState, period: ReportPeriod, lang: Lang) -> Result<Report, ApiError> {
    Ok(st.store.build_report(period, lang).await?)
}

/// The report as a file download; rendering runs off the async threads.
async fn download(report: Report, format: Format) -> Result<Response, ApiError> {
    if format == Format::Docx && !report.kind.has_docx() {
        return Err(ApiError::not_found("季度督评只提供 PDF 和 Excel 格式"));
    }
    let name = report.file_name(format.ext());
    let (bytes, mime) = tokio::task::spawn_blocking(move || match format {
        Format::Pdf => zhantu_report::pdf(&report).map(|b| (b, zhantu_report::PDF_MIME)),
        Format::Xlsx => zhantu_report::xlsx(&report).map(|b| (b, zhantu_report::XLSX_MIME)),
        Format::Docx => zhantu_report::docx(&report).map(|b| (b, zhantu_report::DOCX_MIME)),
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(|e| match e {
        // Said plainly, so the administrator knows what to install.
        zhantu_report::RenderError::FontsMissing(why) => ApiError {
            status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
            code: "fonts_missing",
            message: why,
            fields: Default::default(),
        },
        e => ApiError::internal(e),
    })?;
    Ok(crate::download::file(&name, mime, bytes))
}

async fn load_issued(st: &AppState, id: i64) -> Result<IssuedReport, ApiError> {
    st.store.issued_report(id).await.or_not_found(format!("签发的报告 {id} 不存在"))
}

/// Issues the report of a period. One whose PDF would print 〓 for a character no font has is
/// issued only when `confirmed` (the issuer saw the warning): 400 `missing_glyphs` otherwise.
async fn issue_period(st: &AppState, a: &Auth, lang: Lang, kind: &str, period: &str, confirmed: bool) -> Result<IssuedReport, ApiError> {
    a.actor.may(Action::IssueReport)?;
    let period = parse_period(lang, kind, period)?;
    let check = glyph_check(build(st, period, Lang::Zh).await?).await?;
    zhantu_domain::cadence::check_issue(&check.pdf, confirmed)?;
    Ok(st.store.issue_report(period, &a.audit()).await?)
}

/// The characters of a report its formats cannot draw (reading the fonts runs off the async
/// threads the first time).
async fn glyph_check(report: Report) -> Result<zhantu_report::GlyphCheck, ApiError> {
    tokio::task::spawn_blocking(move || zhantu_report::GlyphCheck::of(&report))
        .await
        .map_err(ApiError::internal)
}
