//! Spreadsheets in and out. `write_xlsx` turns neutral tables (`zhantu_domain::table`) into an
//! `.xlsx` workbook that Excel, WPS and LibreOffice open: a bold header row, frozen, with an
//! autofilter; money in 万元 with two decimals; dates as dates; column widths that fit Chinese
//! text. `write_template` adds drop-down lists for an import template. `read_sheets` reads
//! `.xlsx` and `.csv` (UTF-8 with or without BOM, GB18030/GBK) into raw sheets for the
//! importer. The heavy spreadsheet dependencies live in this crate only.

pub mod fonts;
mod read;
mod write;

pub use read::{FileFormat, MAX_COLUMNS, MAX_ROWS, MAX_UNPACKED_BYTES, decode_text, detect, pick_sheet, read_csv, read_sheets, read_xlsx};
pub use write::{XLSX_MIME, write_template, write_xlsx};

/// What went wrong with a spreadsheet, in Chinese for the person who sent or asked for it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OfficeError {
    #[error("无法生成 Excel 文件：{0}")]
    Write(String),
    #[error("文件是空的")]
    Empty,
    #[error("文件已损坏，无法读取：{0}")]
    Corrupt(String),
    #[error("文件不完整（可能上传或复制时被截断），请重新保存后再导入")]
    Truncated,
    #[error("文件已加密（设置了打开密码），请在 Excel 中取消密码后再导入")]
    Encrypted,
    #[error("这是旧版 Excel 97-2003（.xls）文件，请在 Excel 中另存为 .xlsx 后再导入")]
    LegacyXls,
    #[error("找不到工作表“{wanted}”，文件中的工作表有：{}", .found.join("、"))]
    NoSuchSheet { wanted: String, found: Vec<String> },
    /// A file whose own declarations (cells, rows, strings, sizes) go past what an import
    /// can hold: refused before anything is allocated from them.
    #[error("文件超出可导入的范围：{0}")]
    TooLarge(String),
    /// The sheet was read but is not an import of the kind asked for.
    #[error("{0}")]
    Sheet(String),
}

/// Reads an import file (`.xlsx` or `.csv`) and parses it as `kind` (guessed from the headers
/// when `None`), from the sheet named `sheet`, else the sheet named after the kind, else the
/// first. Bad rows are in the result; a file that cannot be used at all is an error.
pub fn read_import(
    bytes: &[u8],
    file_name: &str,
    kind: Option<zhantu_domain::imports::ImportKind>,
    sheet: Option<&str>,
) -> Result<zhantu_domain::imports::Parsed, OfficeError> {
    use zhantu_domain::imports::{SheetError, guess_kind, parse_sheet};
    let sheets = read_sheets(bytes, file_name)?;
    let wanted = sheet
        .map(str::to_string)
        .or_else(|| kind.and_then(|k| sheets.iter().find(|s| s.name == k.label_zh()).map(|s| s.name.clone())));
    let found: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    let raw = pick_sheet(sheets, wanted.as_deref())?;
    let kind = match kind {
        Some(k) => k,
        None => guess_kind(&raw).ok_or_else(|| OfficeError::Sheet(SheetError::UnknownKind.to_string()))?,
    };
    parse_sheet(kind, &raw).map_err(|e| {
        let mut msg = format!("工作表“{}”不能作为{}导入：{e}", raw.name, kind.label_zh());
        if found.len() > 1 {
            msg.push_str(&format!("（文件中的工作表有：{}）", found.join("、")));
        }
        OfficeError::Sheet(msg)
    })
}
