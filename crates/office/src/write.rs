//! Tables to `.xlsx`.

use crate::OfficeError;
use crate::fonts::{SONG, font_runs, needs_other_fonts};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula, Workbook, Worksheet, XlsxError,
};
use zhantu_domain::table::{Cell, Table, display_width};

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Rows looked at when sizing a column (enough to be representative, cheap at 100,000 rows).
const WIDTH_SAMPLE_ROWS: usize = 2_000;
const MIN_WIDTH: f64 = 6.0;
const MAX_WIDTH: f64 = 60.0;

fn err(e: XlsxError) -> OfficeError {
    OfficeError::Write(e.to_string())
}

struct Formats {
    title: Format,
    header: Format,
    text: Format,
    /// The text format in another font, for the runs of a cell that 宋体 lacks (`fonts.rs`).
    text_in: Vec<(&'static str, Format)>,
    int: Format,
    money: Format,
    date: Format,
    pct: Format,
    area: Format,
}

impl Formats {
    fn new() -> Formats {
        let font = |f: Format| f.set_font_name(SONG).set_font_size(11);
        Formats {
            title: font(Format::new()).set_bold().set_font_size(14).set_align(FormatAlign::Center),
            header: font(Format::new())
                .set_bold()
                .set_background_color("#DDE6F2")
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap(),
            text: font(Format::new()),
            text_in: vec![(
                crate::fonts::SONG_EXT_B,
                font(Format::new()).set_font_name(crate::fonts::SONG_EXT_B),
            )],
            int: font(Format::new()).set_num_format("0"),
            money: font(Format::new()).set_num_format("#,##0.00"),
            date: font(Format::new()).set_num_format("yyyy-mm-dd"),
            pct: font(Format::new()).set_num_format("0.0%"),
            area: font(Format::new()).set_num_format("#,##0.00"),
        }
    }
}

/// The workbook's bytes: one sheet per table, in order.
pub fn write_xlsx(tables: &[Table]) -> Result<Vec<u8>, OfficeError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    let mut names: Vec<String> = Vec::new();
    for table in tables {
        let name = unique_sheet_name(&table.sheet, &names);
        names.push(name.clone());
        let sheet = book.add_worksheet_with_constant_memory().map_err(err)?;
        sheet.set_name(&name).map_err(err)?;
        write_sheet(sheet, table, &formats)?;
    }
    if tables.is_empty() {
        book.add_worksheet().set_name("空").map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

/// Rows of a template that get the drop-down lists.
const TEMPLATE_ROWS: u32 = 10_000;

/// An import template: `table` (title, headers, example rows) with a drop-down list of
/// choices on each column named in `lists` (column index, choices). The choices live on a
/// hidden sheet 选项, so long lists (every unit's name) fit.
pub fn write_template(table: &Table, lists: &[(usize, Vec<String>)]) -> Result<Vec<u8>, OfficeError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    let name = unique_sheet_name(&table.sheet, &[]);
    let options_name = if name == "选项" { "选项(2)" } else { "选项" };
    {
        let sheet = book.add_worksheet();
        sheet.set_name(&name).map_err(err)?;
        write_sheet(sheet, table, &formats)?;
        let header_row = table.title.is_some() as u32;
        for (list_no, (col, choices)) in lists.iter().enumerate() {
            if choices.is_empty() {
                continue;
            }
            let letter = column_letter(list_no as u16);
            let range = format!("='{options_name}'!${letter}$2:${letter}${}", choices.len() + 1);
            let header = table.columns.get(*col).map(|c| c.header.as_str()).unwrap_or("");
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(range))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("不在可选范围内")
                .map_err(err)?
                .set_error_message(format!("“{header}”请从下拉列表中选择"))
                .map_err(err)?;
            sheet
                .add_data_validation(header_row + 1, *col as u16, header_row + TEMPLATE_ROWS, *col as u16, &dv)
                .map_err(err)?;
        }
    }
    let options = book.add_worksheet();
    options.set_name(options_name).map_err(err)?;
    for (list_no, (col, choices)) in lists.iter().enumerate() {
        let c = list_no as u16;
        let header = table.columns.get(*col).map(|c| c.header.as_str()).unwrap_or("");
        options.write_string_with_format(0, c, header, &formats.header).map_err(err)?;
        for (r, v) in choices.iter().enumerate() {
            options.write_string(r as u32 + 1, c, v).map_err(err)?;
        }
        options.set_column_width(c, 24).map_err(err)?;
    }
    options.set_hidden(true);
    book.save_to_buffer().map_err(err)
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
fn column_letter(col: u16) -> String {
    let mut n = col as u32 + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

fn write_sheet(sheet: &mut Worksheet, table: &Table, f: &Formats) -> Result<(), OfficeError> {
    let ncols = table.columns.len() as u16;
    // Sizes first: in constant-memory mode rows go out as they are written.
    for (c, col) in table.columns.iter().enumerate() {
        let mut w = display_width(&col.header) as f64 + 2.0;
        for row in table.rows.iter().take(WIDTH_SAMPLE_ROWS) {
            if let Some(cell) = row.get(c) {
                w = w.max(cell_width(cell) as f64 + 2.0);
            }
        }
        sheet.set_column_width(c as u16, w.clamp(MIN_WIDTH, MAX_WIDTH)).map_err(err)?;
    }
    let mut r: u32 = 0;
    if let Some(title) = &table.title {
        if ncols > 1 {
            sheet.merge_range(0, 0, 0, ncols - 1, title, &f.title).map_err(err)?;
        } else {
            sheet.write_string_with_format(0, 0, title, &f.title).map_err(err)?;
        }
        sheet.set_row_height(0, 24).map_err(err)?;
        r = 1;
    }
    let header_row = r;
    for (c, col) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(r, c as u16, &col.header, &f.header).map_err(err)?;
    }
    sheet.set_freeze_panes(header_row + 1, 0).map_err(err)?;
    let last_row = header_row + table.rows.len() as u32;
    if ncols > 0 {
        sheet.autofilter(header_row, 0, last_row, ncols - 1).map_err(err)?;
    }
    for row in &table.rows {
        r += 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) if needs_other_fonts(s, SONG) => {
                    let runs = font_runs(s, SONG);
                    let segments: Vec<(&Format, &str)> = runs
                        .iter()
                        .map(|(font, text)| {
                            let format = f.text_in.iter().find(|(name, _)| Some(*name) == *font).map_or(&f.text, |x| &x.1);
                            (format, text.as_str())
                        })
                        .collect();
                    sheet.write_rich_string_with_format(r, c, &segments, &f.text).map_err(err)?;
                }
                Cell::Text(s) => {
                    sheet.write_string_with_format(r, c, s, &f.text).map_err(err)?;
                }
                Cell::Int(v) => {
                    sheet.write_number_with_format(r, c, *v as f64, &f.int).map_err(err)?;
                }
                Cell::Money(m) => {
                    sheet
                        .write_number_with_format(r, c, m.yuan() as f64 / 10_000.0, &f.money)
                        .map_err(err)?;
                }
                Cell::Date(d) => {
                    sheet.write_datetime_with_format(r, c, d, &f.date).map_err(err)?;
                }
                Cell::Pct(p) => {
                    sheet
                        .write_number_with_format(r, c, p.tenths() as f64 / 1000.0, &f.pct)
                        .map_err(err)?;
                }
                Cell::Area(a) => {
                    sheet
                        .write_number_with_format(r, c, a.centi_mu() as f64 / 100.0, &f.area)
                        .map_err(err)?;
                }
            }
        }
    }
    Ok(())
}

fn cell_width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) => s.lines().map(display_width).max().unwrap_or(0),
        Cell::Int(v) => v.to_string().len(),
        Cell::Money(m) => m.wan_exact().len() + 4,
        Cell::Date(_) => 10,
        Cell::Pct(_) => 7,
        Cell::Area(a) => a.mu_exact().len() + 3,
    }
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters, unique in the book.
fn unique_sheet_name(wanted: &str, taken: &[String]) -> String {
    let clean: String = wanted.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).collect();
    let clean = clean.trim_matches('\'').trim();
    let base: String = if clean.is_empty() {
        "Sheet".into()
    } else {
        clean.chars().take(31).collect()
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!("({n})");
        name = base.chars().take(31 - suffix.chars().count()).collect::<String>() + &suffix;
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhantu_domain::money::Money;
    use zhantu_domain::table::{ColKind, Column};

    #[test]
    fn writes_a_zip_workbook() {
        let mut t = Table::new(
            "项目清单",
            vec![
                Column::new("项目名称", ColKind::Text),
                Column::new("总投资（万元）", ColKind::Money),
            ],
        )
        .with_title("椒江区重大项目清单");
        t.push(vec![Cell::from("台州湾新区科创园"), Cell::from(Money::from_wan(125_000))]);
        let bytes = write_xlsx(&[t.clone(), t]).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }

    #[test]
    fn templates_carry_drop_down_lists() {
        let mut t = Table::new(
            "项目",
            vec![Column::new("项目名称", ColKind::Text), Column::new("项目阶段", ColKind::Text)],
        )
        .with_title("模板");
        t.push(vec![Cell::from("甲"), Cell::from("前期")]);
        let bytes = write_template(&t, &[(1, vec!["谋划".into(), "前期".into()])]).unwrap();
        let sheets = crate::read_sheets(&bytes, "t.xlsx").unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[1].name, "选项");
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn sheet_names_are_legal_and_unique() {
        assert_eq!(unique_sheet_name("a/b", &[]), "a_b");
        assert_eq!(unique_sheet_name("清单", &["清单".into()]), "清单(2)");
        assert_eq!(unique_sheet_name(&"长".repeat(40), &[]).chars().count(), 31);
    }
}
