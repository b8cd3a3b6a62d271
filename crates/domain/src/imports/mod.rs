//! Importing spreadsheets (导入), the pure part: which columns each kind of import has, how a
//! header row is recognised among title rows and header variants, and how each row's cells
//! become typed rows through the same parsers the forms and the API use.
//!
//! A cell arrives as a [`Raw`] value (from `.xlsx` or `.csv`, read in `crates/office`). Every
//! bad value becomes a [`RowError`] that names the row as Excel shows it (1-based, counting
//! title and header rows), the column header, the value and the reason in Chinese.
//!
//! `fields.rs` holds the columns of the project-level kinds, `headers.rs` finds the header row
//! and guesses the kind, `cells.rs` reads one cell, `rows.rs` turns a sheet into typed rows
//! and `templates.rs` writes the downloadable templates and the export's columns. The kinds
//! that carry the rest of a district's record have their columns and rows in their own files:
//! `master.rs` (units, people, categories), `history.rs` (a project's years, stage history,
//! progress reports), `activity.rs` (visits, batches, campaigns, supervision, land),
//! `results.rs` (results after operation) and `statistics.rs` (counted investment); rows
//! that together describe one record (a batch's members) must agree (`groups.rs`).
//!
//! `ImportKind::ALL` lists the kinds in the order a whole district is imported in: each kind
//! names only records of the kinds before it.

mod activity;
mod cells;
mod fields;
mod groups;
mod headers;
mod history;
mod master;
mod results;
mod rows;
mod statistics;
mod templates;

pub use activity::{BatchRow, CampaignRow, LandRow, NodeKey, SupervisionRow, VisitRow};
pub use fields::{
    ENTERPRISE_FIELDS, FAI_FIELDS, Field, FieldType, INVESTMENT_FIELDS, NODE_FIELDS, PROBLEM_FIELDS, PROJECT_FIELDS, RefKind,
};
pub use headers::{HeaderMap, guess_kind, match_headers};
pub use history::{ProjectYearRow, ReportRow, StageChangeRow};
pub use master::{CategoryRow, PersonRow, UnitRow};
pub use results::{RESULTS_FIELDS, ResultsYearRow};
pub use rows::{
    EnterpriseRow, FaiRow, InvestmentRow, NodeRow, Parsed, ProblemRow, ProjectKey, ProjectRow, Reference, Rows, parse_sheet, split_tags,
};
pub use statistics::{COUNTED_FIELDS, CountedRow};
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
    Units,
    People,
    Categories,
    Projects,
    ProjectYears,
    StageHistory,
    Nodes,
    Investment,
    Reports,
    Fai,
    Enterprises,
    Visits,
    Problems,
    Batches,
    Campaigns,
    Supervision,
    Land,
    Results,
    StatisticsCounted,
}

impl ImportKind {
    /// Every kind, in the order a whole district is imported in (each names only records of
    /// the kinds before it; project types and settings come from `zhantu init`).
    pub const ALL: [ImportKind; 19] = [
        ImportKind::Units,
        ImportKind::People,
        ImportKind::Categories,
        ImportKind::Projects,
        ImportKind::ProjectYears,
        ImportKind::StageHistory,
        ImportKind::Nodes,
        ImportKind::Investment,
        ImportKind::Reports,
        ImportKind::Fai,
        ImportKind::Enterprises,
        ImportKind::Visits,
        ImportKind::Problems,
        ImportKind::Batches,
        ImportKind::Campaigns,
        ImportKind::Supervision,
        ImportKind::Land,
        ImportKind::Results,
        ImportKind::StatisticsCounted,
    ];
    /// Every kind's code, in import order, for messages (`units、people、…`).
    pub fn codes() -> String {
        ImportKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>().join("、")
    }
    /// Does each row hang off a project (so an export of it takes the registry's filters and
    /// a unit's reader sees its own projects' rows)?
    pub fn per_project(self) -> bool {
        matches!(
            self,
            ImportKind::Projects
                | ImportKind::ProjectYears
                | ImportKind::StageHistory
                | ImportKind::Nodes
                | ImportKind::Investment
                | ImportKind::Reports
                | ImportKind::Results
                | ImportKind::StatisticsCounted
        )
    }
    /// The columns of this kind's sheet, in template order.
    pub fn fields(self) -> &'static [Field] {
        match self {
            ImportKind::Units => master::UNIT_FIELDS,
            ImportKind::People => master::PERSON_FIELDS,
            ImportKind::Categories => master::CATEGORY_FIELDS,
            ImportKind::Projects => PROJECT_FIELDS,
            ImportKind::ProjectYears => history::PROJECT_YEAR_FIELDS,
            ImportKind::StageHistory => history::STAGE_CHANGE_FIELDS,
            ImportKind::Nodes => NODE_FIELDS,
            ImportKind::Investment => INVESTMENT_FIELDS,
            ImportKind::Reports => history::REPORT_FIELDS,
            ImportKind::Fai => FAI_FIELDS,
            ImportKind::Enterprises => ENTERPRISE_FIELDS,
            ImportKind::Visits => activity::VISIT_FIELDS,
            ImportKind::Problems => PROBLEM_FIELDS,
            ImportKind::Batches => activity::BATCH_FIELDS,
            ImportKind::Campaigns => activity::CAMPAIGN_FIELDS,
            ImportKind::Supervision => activity::SUPERVISION_FIELDS,
            ImportKind::Land => activity::LAND_FIELDS,
            ImportKind::Results => RESULTS_FIELDS,
            ImportKind::StatisticsCounted => COUNTED_FIELDS,
        }
    }
}

code_labels!(ImportKind {
    Units = "units", "单位", "Units";
    People = "people", "人员", "People";
    Categories = "categories", "项目类别", "Project categories";
    Projects = "projects", "项目", "Projects";
    ProjectYears = "project_years", "项目年度", "Project years";
    StageHistory = "stage_history", "阶段变更", "Stage history";
    Nodes = "nodes", "节点", "Nodes";
    Investment = "investment", "月度投资", "Monthly investment";
    Reports = "reports", "进展填报", "Progress reports";
    Fai = "fai", "固定资产投资", "Official FAI figures";
    Enterprises = "enterprises", "企业", "Enterprises";
    Visits = "visits", "三服务走访", "Enterprise visits";
    Problems = "problems", "问题", "Problems";
    Batches = "batches", "集中开工", "Groundbreaking batches";
    Campaigns = "campaigns", "攻坚擂台赛", "Campaigns";
    Supervision = "supervision", "督查", "Supervision rounds";
    Land = "land", "用地指标台账", "Land quota ledger";
    Results = "results", "投产项目效益", "Results after operation";
    StatisticsCounted = "statistics_counted", "列统投资", "Counted investment (statistics)";
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
