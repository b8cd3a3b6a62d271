//! Spreadsheets in and out. `write_xlsx` turns neutral tables (`zhantu_domain::table`) into an
//! `.xlsx` workbook that Excel, WPS and LibreOffice open: a bold header row, frozen, with an
//! autofilter; money in 万元 with two decimals; dates as dates; column widths that fit Chinese
//! text. The heavy spreadsheet dependencies live in this crate only.

mod write;

pub use write::{XLSX_MIME, write_xlsx};

/// What went wrong with a spreadsheet, in Chinese for the person who sent or asked for it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OfficeError {
    #[error("无法生成 Excel 文件：{0}")]
    Write(String),
}
