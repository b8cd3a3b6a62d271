//! Importing spreadsheets (导入), the pure part: which columns each kind of import has, how a
//! header row is recognised among title rows and header variants, and how each row's cells
//! become typed rows through the same parsers the forms and the API use.
//!
//! A cell arrives as a [`Raw`] value (from `.xlsx` or `.csv`, read in `crates/office`). Every
//! bad value becomes a [`RowError`] that names the row as Excel shows it (1-based, counting
//! title and header rows), the column header, the value and the reason in Chinese.
//!
//! `fields.rs` holds the columns of each kind, `headers.rs` finds the header row and guesses
//! the kind, `cells.rs` reads one cell, `rows.rs` turns a sheet into typed rows and
//! `templates.rs` writes the downloadable templates and the export's columns.

mod cells;
mod fields;
mod headers;
mod rows;
mod templates;

pub use fields::{ENTERPRISE_FIELDS, FAI_FIELDS, Field, FieldType, INVESTMENT_FIELDS, NODE_FIELDS, PROBLEM_FIELDS, PROJECT_FIELDS};
pub use headers::{HeaderMap, guess_kind, match_headers};
pub use rows::{EnterpriseRow, FaiRow, InvestmentRow, NodeRow, Parsed, ProblemRow, ProjectKey, ProjectRow, Rows, parse_sheet, split_tags};
pub use templates::{choices, export_columns, template};

use crate::date::date_from_excel_serial;
use crate::error::normalize_input;
use crate::labelled::code_labels;
use serde::Serialize;

/// One cell as read from a file, before it means anything.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// An Excel date-time serial (1900 system), from a cell formatted as a date.
    Date(f64),
}

impl Raw {
    /// The value as a person would read it in the cell (for error messages and text fields).
    pub fn as_text(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Text(s) => s.clone(),
            Raw::Number(f) => number_text(*f),
            Raw::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            Raw::Date(f) => date_from_excel_serial(f.floor() as i64)
                .map(|d| d.to_string())
                .unwrap_or_else(|_| number_text(*f)),
        }
    }
    fn is_blank(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(s) => normalize_input(s).is_empty(),
            _ => false,
        }
    }
}

/// The shortest decimal text that reads back as the same `f64` (`1234.5`, not `1234.500000001`).
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A sheet as read: its name, the 0-based row number of its first row in the file, the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct RawSheet {
    pub name: String,
    pub first_row: u32,
    pub rows: Vec<Vec<Raw>>,
}

/// What an import loads. Its Chinese label is also the name of the template's sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    Projects,
    Nodes,
    Investment,
    Fai,
    Enterprises,
    Problems,
}

impl ImportKind {
    pub const ALL: [ImportKind; 6] = [
        ImportKind::Projects,
        ImportKind::Nodes,
        ImportKind::Investment,
        ImportKind::Fai,
        ImportKind::Enterprises,
        ImportKind::Problems,
    ];
    /// The columns of this kind's sheet, in template order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            ImportKind::Projects => PROJECT_FIELDS,
            ImportKind::Nodes => NODE_FIELDS,
            ImportKind::Investment => INVESTMENT_FIELDS,
            ImportKind::Fai => FAI_FIELDS,
            ImportKind::Enterprises => ENTERPRISE_FIELDS,
            ImportKind::Problems => PROBLEM_FIELDS,
        }
    }
}

code_labels!(ImportKind {
    Projects = "projects", "项目", "Projects";
    Nodes = "nodes", "节点", "Nodes";
    Investment = "investment", "月度投资", "Monthly investment";
    Fai = "fai", "固定资产投资", "Official FAI figures";
    Enterprises = "enterprises", "企业", "Enterprises";
    Problems = "problems", "问题", "Problems";
});

/// One bad cell (or row), as the person who fixes the file needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row number Excel shows (1-based, counting title and header rows); 0 for the file.
    pub row: u32,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl RowError {
    pub fn new(row: u32, column: impl Into<String>, value: impl Into<String>, reason: impl Into<String>) -> RowError {
        RowError {
            row,
            column: column.into(),
            value: value.into().chars().take(80).collect(),
            reason: reason.into(),
        }
    }
}

/// Why a sheet cannot be read as an import at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("找不到表头行：前{0}行中没有可识别的列名（如“项目名称”“总投资（万元）”）")]
    NoHeader(usize),
    #[error("缺少必需的列：{}", .0.join("、"))]
    MissingColumns(Vec<String>),
    #[error("列“{0}”出现了两次")]
    DuplicateColumn(String),
    #[error("无法判断导入类型：请选择要导入的数据类型，或使用系统提供的模板")]
    UnknownKind,
    #[error("表格中没有数据行")]
    NoRows,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A sheet of text cells (an empty string is an empty cell).
    pub(crate) fn sheet(rows: Vec<Vec<&str>>) -> RawSheet {
        RawSheet {
            name: "Sheet1".into(),
            first_row: 0,
            rows: rows
                .into_iter()
                .map(|r| {
                    r.into_iter()
                        .map(|c| if c.is_empty() { Raw::Empty } else { Raw::Text(c.into()) })
                        .collect()
                })
                .collect(),
        }
    }
}
