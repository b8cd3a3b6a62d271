//! .docx through docx-rs, for the text reports: the same document as the PDF (title,
//! document-number line, headings, paragraphs, bordered tables), charts left to the PDF and
//! the page. Fonts are named, not embedded: Word uses the reader's 宋体/黑体, and a run of
//! characters those lack (Extension B: 𠮷) names the font that has them (`zhantu_office::fonts`).

use crate::{RenderError, date_label, numeric_columns};
use docx_rs::{
    AlignmentType, BorderType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Run, RunFonts, Table, TableBorder,
    TableBorderPosition, TableBorders, TableCell, TableRow, WidthType,
};
use zhantu_domain::cadence::Report;
use zhantu_office::fonts;

const SERIF: &str = fonts::SONG;
const SANS: &str = fonts::HEI;

/// The runs of a text, each naming a font that has its characters.
fn text_runs(p: Paragraph, text: &str, base: &'static str, half_points: usize, bold: bool) -> Paragraph {
    fonts::font_runs(text, base).into_iter().fold(p, |p, (font, part)| {
        let font = font.unwrap_or(base);
        let r = Run::new()
            .add_text(part)
            .size(half_points)
            .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font).cs(font).hint("eastAsia"));
        p.add_run(if bold { r.bold() } else { r })
    })
}

fn run(text: &str, font: &str, half_points: usize, bold: bool) -> Run {
    let r = Run::new()
        .add_text(text)
        .size(half_points)
        .fonts(RunFonts::new().east_asia(font).ascii(font).hi_ansi(font));
    if bold { r.bold() } else { r }
}

fn body(text: &str) -> Paragraph {
    text_runs(Paragraph::new(), text, SERIF, 24, false)
        .indent(None, Some(docx_rs::SpecialIndentType::FirstLine(480)), None, None)
        .line_spacing(LineSpacing::new().line(360))
}

fn centred(text: &str, font: &'static str, half_points: usize, bold: bool) -> Paragraph {
    text_runs(Paragraph::new(), text, font, half_points, bold).align(AlignmentType::Center)
}

fn borders() -> TableBorders {
    let mut b = TableBorders::new();
    for p in [
        TableBorderPosition::Top,
        TableBorderPosition::Bottom,
        TableBorderPosition::Left,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        b = b.set(TableBorder::new(p).border_type(BorderType::Single).size(4).color("000000"));
    }
    b
}

/// Renders the report as a Word document.
pub fn docx(report: &Report) -> Result<Vec<u8>, RenderError> {
    let mut d = Docx::new()
        .page_size(11906, 16838)
        .page_margin(PageMargin::new().top(1701).bottom(1588).left(1474).right(1361))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .add_run(run("— ", SERIF, 21, false))
                    .add_page_num(PageNum::new())
                    .add_run(run(" —", SERIF, 21, false))
                    .align(AlignmentType::Center),
            ),
        )
        .add_paragraph(centred(&report.title, SERIF, 44, true))
        .add_paragraph(centred(&report.doc_number(), SERIF, 22, false))
        .add_paragraph(centred(&report.bracketed(&report.period_label), SANS, 24, true));
    for p in &report.summary {
        d = d.add_paragraph(body(p));
    }
    for s in &report.sections {
        d = d
            .add_paragraph(text_runs(Paragraph::new(), &s.heading, SANS, 28, true).line_spacing(LineSpacing::new().before(240).after(120)));
        for p in &s.paragraphs {
            d = d.add_paragraph(body(p));
        }
        for t in &s.tables {
            d = d.add_paragraph(centred(&t.caption, SANS, 21, true));
            let numeric = numeric_columns(t);
            let cell = |text: &str, bold: bool, right: bool| {
                let p = text_runs(Paragraph::new(), text, if bold { SANS } else { SERIF }, 18, bold).align(if right {
                    AlignmentType::Right
                } else if bold {
                    AlignmentType::Center
                } else {
                    AlignmentType::Left
                });
                TableCell::new().add_paragraph(p)
            };
            let mut rows = vec![TableRow::new(t.columns.iter().map(|h| cell(h, true, false)).collect())];
            for r in &t.rows {
                rows.push(TableRow::new(
                    r.iter().enumerate().map(|(i, c)| cell(&c.display(), false, numeric[i])).collect(),
                ));
            }
            d = d.add_table(Table::new(rows).set_borders(borders()).width(5000, WidthType::Pct));
            if t.omitted > 0 {
                d = d.add_paragraph(
                    Paragraph::new()
                        .add_run(run(&report.omitted_note(t.omitted), SERIF, 18, false))
                        .align(AlignmentType::Right),
                );
            }
        }
    }
    d = d
        .add_paragraph(Paragraph::new())
        .add_paragraph(text_runs(Paragraph::new(), &report.office, SERIF, 24, false).align(AlignmentType::Right))
        .add_paragraph(
            Paragraph::new()
                .add_run(run(&date_label(report), SERIF, 24, false))
                .align(AlignmentType::Right),
        );
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
