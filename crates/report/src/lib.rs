//! The reports of the cadence as documents: PDF through typst (an official-looking A4
//! document set in the CJK fonts shipped in `fonts/`), .docx through docx-rs for the text
//! reports, .xlsx through `zhantu-office`. Kept in its own crate because typst is heavy: it
//! compiles once and nothing else waits for it.

mod docx;
mod html;
mod pdf;

use zhantu_domain::cadence::{DocTable, Report};

pub use docx::docx;
pub use html::html;
pub use pdf::pdf;

pub const PDF_MIME: &str = "application/pdf";
pub const DOCX_MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX_MIME: &str = zhantu_office::XLSX_MIME;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("生成 PDF 失败：{0}")]
    Pdf(String),
    #[error("生成 Word 文档失败：{0}")]
    Docx(String),
    #[error("生成 Excel 失败：{0}")]
    Xlsx(String),
}

/// Every table of the report, one sheet each, the key figures first.
pub fn xlsx(report: &Report) -> Result<Vec<u8>, RenderError> {
    zhantu_office::write_xlsx(&report.tables()).map_err(|e| RenderError::Xlsx(e.to_string()))
}

/// The report's date line: 2019年12月31日.
pub(crate) fn date_label(r: &Report) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", r.as_of.year(), r.as_of.month(), r.as_of.day())
}

/// Relative column widths from the longest text in each column (CJK counted double), so
/// descriptions get room and numbers stay narrow.
pub(crate) fn column_widths(t: &DocTable) -> Vec<u32> {
    let width = |s: &str| s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>() as u32;
    let numeric = numeric_columns(t);
    (0..t.columns.len())
        .map(|i| {
            // Digits are wider than half a hanzi in these fonts: numbers get room to stay on one line.
            let extra = if numeric[i] { 3 } else { 1 };
            let longest = t.rows.iter().map(|r| width(&r[i].display())).max().unwrap_or(0);
            // A header wraps onto two or three lines before a column widens for it; long
            // text wraps within at most 24 units.
            longest.max(width(&t.columns[i]).div_ceil(3)).clamp(3, 24) + extra
        })
        .collect()
}

/// Which columns hold numbers (right-aligned).
pub(crate) fn numeric_columns(t: &DocTable) -> Vec<bool> {
    (0..t.columns.len())
        .map(|i| {
            let cells: Vec<_> = t
                .rows
                .iter()
                .map(|r| &r[i])
                .filter(|c| !matches!(c, zhantu_domain::cadence::DocCell::Empty))
                .collect();
            !cells.is_empty() && cells.iter().all(|c| c.is_number())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use zhantu_domain::Money;
    use zhantu_domain::cadence::{Header, LaggingProject, ReportKind, ReportPeriod, SupervisionInputs, supervision};

    pub(crate) fn sample() -> Report {
        let p = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
        let h = Header {
            district: "椒江区".into(),
            office: "椒江区重大项目建设工作领导小组办公室".into(),
            as_of: NaiveDate::from_ymd_opt(2019, 12, 31).unwrap(),
        };
        let lag = LaggingProject {
            project: "星星冷链智能工厂".into(),
            unit: "海门街道".into(),
            leader: "王区长".into(),
            light: Some("red".into()),
            reasons: vec!["施工许可逾期15天未完成".into()],
            planned: Money::from_wan(20_000),
            completed: Money::from_wan(5_000),
            findings: vec!["现场未开工，政策处理未完成".into()],
        };
        supervision(
            p,
            &h,
            &SupervisionInputs {
                lagging: vec![lag],
                active_projects: 120,
                rounds: vec![],
            },
        )
    }

    #[test]
    fn pdf_docx_and_xlsx_come_out() {
        let r = sample();
        let pdf = pdf(&r).expect("pdf");
        if let Ok(dir) = std::env::var("ZHANTU_REPORT_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/sample.pdf"), &pdf).unwrap();
        }
        assert!(pdf.starts_with(b"%PDF"), "a PDF");
        let docx = docx(&r).expect("docx");
        assert!(docx.starts_with(b"PK"), "a zip");
        let xlsx = xlsx(&r).expect("xlsx");
        assert!(xlsx.starts_with(b"PK"));
    }

    #[test]
    fn widths_favour_long_text() {
        let r = sample();
        let t = &r.sections[1].tables[0];
        let w = column_widths(t);
        assert!(w[7] > w[0], "{w:?}");
        assert_eq!(numeric_columns(t)[0], true);
        assert_eq!(numeric_columns(t)[1], false);
    }
}
