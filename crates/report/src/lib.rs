//! The reports of the cadence as documents: PDF through typst (an official-looking A4
//! document set in the CJK fonts shipped in `fonts/`), .docx through docx-rs for the text
//! reports, .xlsx through `zhantu-office`. Kept in its own crate because typst is heavy: it
//! compiles once and nothing else waits for it.

mod docx;
mod fonts;
mod html;
mod pdf;

use zhantu_domain::cadence::{DocTable, MissingGlyph, Report, missing_glyphs};

pub use docx::docx;
pub use fonts::{FONTS_ENV, find_fonts_dir, fonts_dir, has_glyph, pdf_missing_glyphs};
pub use html::html;
pub use pdf::pdf;

/// The characters of a report that a format cannot be sure to draw (缺字), checked before
/// rendering: the PDF against the shipped fonts, Word and Excel against the fonts they name
/// (the reader's 宋体 / SimSun-ExtB, see `zhantu_office::fonts`).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct GlyphCheck {
    pub pdf: Vec<MissingGlyph>,
    pub office: Vec<MissingGlyph>,
}

impl GlyphCheck {
    pub fn of(report: &Report) -> GlyphCheck {
        GlyphCheck {
            pdf: pdf_missing_glyphs(report),
            office: missing_glyphs(report, |c| {
                zhantu_office::fonts::declared_font(c, zhantu_office::fonts::SONG).is_some()
            }),
        }
    }
    /// The PDF's warning in Chinese, if it lacks glyphs.
    pub fn pdf_warning_zh(&self) -> Option<String> {
        (!self.pdf.is_empty()).then(|| {
            format!(
                "PDF 字体缺少{}个字符的字形，文件中以“〓”代替并在文末注明：{}",
                self.pdf.len(),
                list_zh(&self.pdf)
            )
        })
    }
    /// The Word and Excel files' warning in Chinese, if their fonts lack characters.
    pub fn office_warning_zh(&self) -> Option<String> {
        (!self.office.is_empty()).then(|| {
            format!(
                "Word/Excel 所用字体（宋体、SimSun-ExtB）不含{}个字符，读者电脑上可能显示为方框：{}",
                self.office.len(),
                list_zh(&self.office)
            )
        })
    }
}

fn list_zh(m: &[MissingGlyph]) -> String {
    m.iter().map(MissingGlyph::describe_zh).collect::<Vec<_>>().join("；")
}

pub const PDF_MIME: &str = "application/pdf";
pub const DOCX_MIME: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX_MIME: &str = zhantu_office::XLSX_MIME;

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("生成 PDF 失败：{0}")]
    Pdf(String),
    /// The installation lacks its fonts folder: nothing the reader can fix, the installer can.
    #[error("{0}")]
    FontsMissing(String),
    #[error("生成 Word 文档失败：{0}")]
    Docx(String),
    #[error("生成 Excel 失败：{0}")]
    Xlsx(String),
}

/// Every table of the report, one sheet each, the key figures first.
pub fn xlsx(report: &Report) -> Result<Vec<u8>, RenderError> {
    zhantu_office::write_xlsx(&report.tables()).map_err(|e| RenderError::Xlsx(e.to_string()))
}

/// The report's date line: 2019年12月31日 (31 December 2019 in English).
pub(crate) fn date_label(r: &Report) -> String {
    r.date_line()
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
            zhantu_domain::cadence::Lang::Zh,
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

    /// Every character of the text items laid out, with the glyph drawn for it and its font.
    fn drawn_glyphs(report: &Report) -> Vec<(char, u16, String)> {
        use typst::layout::{Frame, FrameItem};
        fn walk(frame: &Frame, out: &mut Vec<(char, u16, String)>) {
            for (_, item) in frame.items() {
                match item {
                    FrameItem::Group(g) => walk(&g.frame, out),
                    FrameItem::Text(t) => {
                        for g in &t.glyphs {
                            for c in t.text[g.range()].chars() {
                                out.push((c, g.id, t.font.font().info().family.clone()));
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        let doc = pdf::layout(report).expect("laid out");
        let mut out = Vec::new();
        for page in doc.pages() {
            walk(&page.frame, &mut out);
        }
        out
    }

    fn with_project_names(names: &[&str]) -> Report {
        let mut r = sample();
        let lagging = &mut r.sections[1].tables[0];
        let row = lagging.rows[0].clone();
        lagging.rows = names
            .iter()
            .map(|n| {
                let mut row = row.clone();
                row[1] = zhantu_domain::cadence::DocCell::Text(n.to_string());
                row
            })
            .collect();
        r
    }

    #[test]
    fn names_from_gb2312_level_1_extension_a_and_extension_b_are_drawn_with_real_glyphs() {
        let r = with_project_names(&["中犇堃喆镕", "浙江犇鑫堃喆䶮镕项目", "𠮷野家𡈼项目", "刘\u{9FEB}\u{20001}"]);
        assert!(pdf_missing_glyphs(&r).is_empty(), "{:?}", pdf_missing_glyphs(&r));
        let drawn = drawn_glyphs(&r);
        for c in "中犇堃喆镕䶮𠮷𡈼\u{9FEB}\u{20001}".chars() {
            let glyphs: Vec<_> = drawn.iter().filter(|(d, _, _)| *d == c).collect();
            assert!(!glyphs.is_empty(), "{c} is laid out");
            for (_, id, family) in glyphs {
                assert_ne!(*id, 0, "{c} (U+{:04X}) drawn with .notdef in {family}", c as u32);
            }
        }
        let family = |c: char| drawn.iter().find(|(d, _, _)| *d == c).unwrap().2.clone();
        assert_eq!(family('䶮'), "Noto Serif CJK SC");
        // (𠮷 and 𡈼 are in this file, so the script puts them in the Noto subset too.)
        assert_eq!(family('\u{20001}'), "HanaMinB");
        assert_eq!(family('\u{9FEB}'), "BabelStone Han");
        let notdef: Vec<_> = drawn.iter().filter(|(_, id, _)| *id == 0).collect();
        assert!(notdef.is_empty(), "drawn as .notdef: {notdef:?}");
        let pdf = pdf(&r).expect("pdf");
        if let Ok(dir) = std::env::var("ZHANTU_REPORT_SAMPLE_DIR") {
            std::fs::write(format!("{dir}/glyphs.pdf"), &pdf).unwrap();
        }
    }

    #[test]
    fn a_character_no_font_has_is_named_printed_as_geta_and_noted() {
        let r = with_project_names(&["浙江\u{E000}鑫项目"]);
        let check = GlyphCheck::of(&r);
        assert_eq!(check.pdf.len(), 1, "{check:?}");
        assert_eq!(check.pdf[0].code_point, "U+E000");
        assert!(check.pdf_warning_zh().unwrap().contains("U+E000"));
        let drawn = drawn_glyphs(&r);
        assert!(!drawn.iter().any(|(c, _, _)| *c == '\u{E000}'), "substituted before layout");
        let text: String = drawn.iter().map(|(c, _, _)| *c).collect();
        assert!(text.contains("浙江〓鑫项目"), "{text}");
        assert!(text.contains("文中以“〓”代替"), "the note says where");
        let notdef: Vec<_> = drawn.iter().filter(|(_, id, _)| *id == 0).collect();
        assert!(notdef.is_empty(), "drawn as .notdef: {notdef:?}");
        // Word and Excel: Extension B is declared in SimSun-ExtB, Extension C has no known font.
        let office = GlyphCheck::of(&with_project_names(&["𠮷野家𡈼项目", "\u{2A700}"])).office;
        assert_eq!(office.iter().map(|m| m.ch).collect::<Vec<_>>(), vec!['\u{2A700}']);
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
