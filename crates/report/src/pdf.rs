//! PDF through typst: a minimal `World` that knows one source (`report.typ`), one data file
//! (`/report.json`, the model with every cell formatted) and the fonts shipped with the app
//! (`fonts.rs`). A character no font draws is printed as 〓 and named in a note at the end.

use crate::fonts::{loaded, pdf_missing_glyphs};
use crate::{RenderError, column_widths, date_label, numeric_columns};
use serde_json::{Value, json};
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use zhantu_domain::cadence::{Lang, Report};
use zhantu_domain::cadence::{MissingGlyph, substitute, substitution_note};
use zhantu_domain::figures::Pct1;

const TEMPLATE: &str = include_str!("report.typ");

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| Shared {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(loaded().book.clone()),
    })
}

fn file_id(path: &str) -> FileId {
    RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).expect("valid virtual path")).intern()
}

struct ReportWorld {
    main: Source,
    data: Bytes,
    data_id: FileId,
    today: chrono::NaiveDate,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }
    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }
    fn main(&self) -> FileId {
        self.main.id()
    }
    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotFound(format!("{id:?}").into()))
        }
    }
    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.data_id {
            Ok(self.data.clone())
        } else {
            Err(FileError::NotFound(format!("{id:?}").into()))
        }
    }
    fn font(&self, index: usize) -> Option<Font> {
        loaded().fonts.get(index).cloned()
    }
    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        use chrono::Datelike;
        Datetime::from_ymd(self.today.year(), self.today.month() as u8, self.today.day() as u8)
    }
}

/// Every string of the JSON with the missing characters replaced.
fn substitute_all(v: &mut Value, missing: &[MissingGlyph]) {
    match v {
        Value::String(s) => *s = substitute(s, missing),
        Value::Array(a) => a.iter_mut().for_each(|x| substitute_all(x, missing)),
        Value::Object(o) => o.values_mut().for_each(|x| substitute_all(x, missing)),
        _ => {}
    }
}

/// The model as the template reads it: text only, every number already formatted, each
/// character no font draws replaced by 〓 and named in `glyph_note`.
fn template_data(r: &Report, missing: &[MissingGlyph]) -> Value {
    let mut data = model_data(r);
    if !missing.is_empty() {
        substitute_all(&mut data, missing);
        data["glyph_note"] = json!(substitution_note(missing));
    }
    data
}

fn model_data(r: &Report) -> Value {
    json!({
        "title": r.title,
        "doc_number": r.doc_number(),
        "period_label": r.period_label,
        "period_line": r.bracketed(&r.period_label),
        "text_lang": if r.lang == Lang::En { "en" } else { "zh" },
        "text_region": if r.lang == Lang::En { "gb" } else { "cn" },
        "office": r.office,
        "date_label": date_label(r),
        "glyph_note": null,
        "summary": r.summary,
        "sections": r.sections.iter().map(|s| json!({
            "heading": s.heading,
            "paragraphs": s.paragraphs,
            "charts": s.charts.iter().map(|c| json!({
                "title": c.title,
                "unit": c.unit,
                "caption": format!("{}{}", c.title, r.bracketed(&c.unit)),
                "labels": c.labels,
                "series": c.series.iter().map(|x| json!({ "name": x.name, "values": x.values })).collect::<Vec<_>>(),
                "value_labels": (0..c.labels.len()).map(|i| c.series.iter().map(|x| Pct1(x.values.get(i).copied().unwrap_or(0)).to_string()).collect::<Vec<_>>().join(" / ")).collect::<Vec<_>>(),
                "reference_label": c.reference.as_ref().map(|(n, v)| format!("{n} {}{}", Pct1(*v), c.unit)),
                "reference": c.reference.as_ref().map(|(n, v)| json!([n, v])),
            })).collect::<Vec<_>>(),
            "tables": s.tables.iter().map(|t| json!({
                "caption": t.caption,
                "columns": t.columns,
                "widths": column_widths(t),
                "numeric": numeric_columns(t),
                "rows": t.rows.iter().map(|row| row.iter().map(|c| c.display()).collect::<Vec<_>>()).collect::<Vec<_>>(),
                "omitted": t.omitted,
                "omitted_note": r.omitted_note(t.omitted),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// Renders the report as an A4 PDF.
pub fn pdf(report: &Report) -> Result<Vec<u8>, RenderError> {
    let doc = layout(report)?;
    let bytes = typst_pdf::pdf(&doc, &typst_pdf::PdfOptions::default())
        .map_err(|errs| RenderError::Pdf(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))?;
    // typst memoises across compilations; keep the cache from growing without bound.
    comemo::evict(10);
    Ok(bytes)
}

/// The report laid out in pages (what the PDF is written from).
pub(crate) fn layout(report: &Report) -> Result<PagedDocument, RenderError> {
    crate::fonts::fonts_dir().map_err(RenderError::FontsMissing)?;
    let missing = pdf_missing_glyphs(report);
    let world = ReportWorld {
        main: Source::new(file_id("/report.typ"), TEMPLATE.to_string()),
        data: Bytes::new(template_data(report, &missing).to_string().into_bytes()),
        data_id: file_id("/report.json"),
        today: report.as_of,
    };
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errs| RenderError::Pdf(errs.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; ")))
}
