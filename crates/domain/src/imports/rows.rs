//! The typed rows of each kind, and parsing a sheet into them with every bad cell listed.

use super::cells::{
    Cells, area, ccode, date, division, flag, int, money, month, node_status, parse_cell, pcode, problem_status, stage, text,
};
use super::fields::FieldType;
use super::headers::{HeaderMap, header_of, match_headers};
use super::{ImportKind, Raw, RawSheet, RowError, SheetError};
use crate::codes::{CreditCode, DivisionCode, ProjectCode};
use crate::date::Year;
use crate::model::{NodeStatus, ProblemStatus};
use crate::money::{LandArea, Money};
use crate::stage::Stage;
use chrono::NaiveDate;
use serde::Serialize;

/// How a row refers to a project: by its code, else by its external id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum ProjectKey {
    Code(ProjectCode),
    External(String),
}

impl ProjectKey {
    /// The row's project, from its `project_code` column, else its `project_external_id`.
    fn of_row(c: &Cells, k: ImportKind) -> Option<ProjectKey> {
        match (pcode(c, k, "project_code"), text(c, k, "project_external_id")) {
            (Some(code), _) => Some(ProjectKey::Code(code)),
            (None, Some(e)) if !e.is_empty() => Some(ProjectKey::External(e)),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ProjectKey::Code(c) => c.as_str().to_string(),
            ProjectKey::External(e) => e.clone(),
        }
    }
}

/// 项目 row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub line: u32,
    pub code: Option<ProjectCode>,
    pub external_id: Option<String>,
    pub name: String,
    pub unit: String,
    pub leader: Option<String>,
    pub project_type: String,
    pub stage: Stage,
    pub industry_code: Option<String>,
    pub division: Option<DivisionCode>,
    pub location: String,
    pub land_area: Option<LandArea>,
    pub total_investment: Money,
    pub investor: String,
    pub foreign: bool,
    pub planned_year: i32,
    pub planned_start_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub in_statistics_on: Option<NaiveDate>,
    pub description: String,
}

/// 节点 row.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeRow {
    pub line: u32,
    pub project: ProjectKey,
    pub external_id: Option<String>,
    pub seq: Option<i64>,
    pub name: String,
    pub planned_on: NaiveDate,
    pub forecast_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub unit: String,
    pub status: Option<NodeStatus>,
}

/// 月度投资 row: a project's completed investment in one month.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentRow {
    pub line: u32,
    pub project: ProjectKey,
    pub year: i32,
    pub month: u32,
    pub amount: Money,
}

/// 固定资产投资 row: the statistics bureau's cumulative figure for a division, year to month.
#[derive(Debug, Clone, PartialEq)]
pub struct FaiRow {
    pub line: u32,
    pub division: DivisionCode,
    pub year: i32,
    pub month: u32,
    pub cumulative: Money,
}

/// 企业 row.
#[derive(Debug, Clone, PartialEq)]
pub struct EnterpriseRow {
    pub line: u32,
    pub credit_code: CreditCode,
    pub name: String,
    pub industry_code: Option<String>,
    pub division: Option<DivisionCode>,
    pub tags: Vec<String>,
}

/// 问题 row.
#[derive(Debug, Clone, PartialEq)]
pub struct ProblemRow {
    pub line: u32,
    pub external_id: String,
    /// The project it concerns, if any.
    pub project: Option<ProjectKey>,
    pub category: String,
    pub description: String,
    pub unit: String,
    pub raised_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: ProblemStatus,
    pub resolved_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

/// The typed rows of one import.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    Projects(Vec<ProjectRow>),
    Nodes(Vec<NodeRow>),
    Investment(Vec<InvestmentRow>),
    Fai(Vec<FaiRow>),
    Enterprises(Vec<EnterpriseRow>),
    Problems(Vec<ProblemRow>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Projects(v) => v.len(),
            Rows::Nodes(v) => v.len(),
            Rows::Investment(v) => v.len(),
            Rows::Fai(v) => v.len(),
            Rows::Enterprises(v) => v.len(),
            Rows::Problems(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A sheet parsed for an import: the good rows, and every bad one.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub kind: ImportKind,
    pub sheet: String,
    /// Data rows seen (not counting empty rows).
    pub data_rows: usize,
    pub rows: Rows,
    pub errors: Vec<RowError>,
}

/// Parses every data row of `sheet` as `kind`. Bad cells are collected, never fatal.
pub fn parse_sheet(kind: ImportKind, sheet: &RawSheet) -> Result<Parsed, SheetError> {
    let h = match_headers(kind, sheet)?;
    let fields = kind.fields();
    let mut errors = Vec::new();
    let mut data_rows = 0;
    let mut rows = match kind {
        ImportKind::Projects => Rows::Projects(Vec::new()),
        ImportKind::Nodes => Rows::Nodes(Vec::new()),
        ImportKind::Investment => Rows::Investment(Vec::new()),
        ImportKind::Fai => Rows::Fai(Vec::new()),
        ImportKind::Enterprises => Rows::Enterprises(Vec::new()),
        ImportKind::Problems => Rows::Problems(Vec::new()),
    };
    for (i, raw_row) in sheet.rows.iter().enumerate().skip(h.header_index + 1) {
        if raw_row.iter().all(Raw::is_blank) {
            continue;
        }
        data_rows += 1;
        let line = sheet.first_row + i as u32 + 1;
        let mut values = Vec::with_capacity(fields.len());
        let mut bad = false;
        for (field, col) in fields.iter().zip(&h.columns) {
            let Some((c, header, unit)) = col else {
                values.push(None);
                continue;
            };
            let raw = raw_row.get(*c).unwrap_or(&Raw::Empty);
            if raw.is_blank() && field.ty != FieldType::Bool {
                if field.required {
                    errors.push(RowError::new(line, header.clone(), "", "不能为空"));
                    bad = true;
                }
                values.push(None);
                continue;
            }
            match parse_cell(field.ty, raw, *unit) {
                Ok(v) => values.push(Some(v)),
                Err(reason) => {
                    errors.push(RowError::new(line, header.clone(), raw.as_text(), reason));
                    bad = true;
                    values.push(None);
                }
            }
        }
        if bad {
            continue;
        }
        let c = Cells { values };
        let k = kind;
        let mut row_err = |key: &str, value: String, reason: &str| errors.push(RowError::new(line, header_of(&h, k, key), value, reason));
        let project_key = |c: &Cells, row_err: &mut dyn FnMut(&str, String, &str)| -> Option<ProjectKey> {
            let key = ProjectKey::of_row(c, k);
            if key.is_none() {
                row_err("project_code", String::new(), "须填写项目代码或项目外部编号");
            }
            key
        };
        match &mut rows {
            Rows::Projects(v) => {
                let planned_year = int(&c, k, "planned_year").unwrap_or(0);
                if Year::new(planned_year).is_err() {
                    row_err("planned_year", planned_year.to_string(), "年份应在1949至2100之间");
                    continue;
                }
                let total = money(&c, k, "total_investment").unwrap_or_default();
                if total.yuan() < 0 {
                    row_err("total_investment", total.wan_exact(), "总投资不能为负数");
                    continue;
                }
                let industry_code = text(&c, k, "industry_code").filter(|s| !s.is_empty());
                if let Some(ind) = industry_code.as_ref().filter(|i| !known_industry(i)) {
                    row_err("industry_code", ind.clone(), "不是国民经济行业分类（GB/T 4754-2017）中的代码");
                    continue;
                }
                v.push(ProjectRow {
                    line,
                    code: pcode(&c, k, "code"),
                    external_id: text(&c, k, "external_id").filter(|s| !s.is_empty()),
                    name: text(&c, k, "name").unwrap_or_default(),
                    unit: text(&c, k, "unit").unwrap_or_default(),
                    leader: text(&c, k, "leader").filter(|s| !s.is_empty()),
                    project_type: text(&c, k, "project_type").unwrap_or_default(),
                    stage: stage(&c, k, "stage").unwrap_or(Stage::Planning),
                    industry_code,
                    division: division(&c, k, "division"),
                    location: text(&c, k, "location").unwrap_or_default(),
                    land_area: area(&c, k, "land_area"),
                    total_investment: total,
                    investor: text(&c, k, "investor").unwrap_or_default(),
                    foreign: flag(&c, k, "foreign"),
                    planned_year: planned_year as i32,
                    planned_start_on: date(&c, k, "planned_start_on"),
                    started_on: date(&c, k, "started_on"),
                    completed_on: date(&c, k, "completed_on"),
                    in_statistics_on: date(&c, k, "in_statistics_on"),
                    description: text(&c, k, "description").unwrap_or_default(),
                })
            }
            Rows::Nodes(v) => {
                let Some(project) = project_key(&c, &mut row_err) else { continue };
                v.push(NodeRow {
                    line,
                    project,
                    external_id: text(&c, k, "external_id").filter(|s| !s.is_empty()),
                    seq: int(&c, k, "seq"),
                    name: text(&c, k, "name").unwrap_or_default(),
                    planned_on: date(&c, k, "planned_on").expect("required"),
                    forecast_on: date(&c, k, "forecast_on"),
                    actual_on: date(&c, k, "actual_on"),
                    unit: text(&c, k, "unit").unwrap_or_default(),
                    status: node_status(&c, k, "status"),
                })
            }
            Rows::Investment(v) => {
                let Some(project) = project_key(&c, &mut row_err) else { continue };
                let (year, m) = month(&c, k, "month").expect("required");
                v.push(InvestmentRow {
                    line,
                    project,
                    year,
                    month: m,
                    amount: money(&c, k, "amount").expect("required"),
                })
            }
            Rows::Fai(v) => {
                let (year, m) = month(&c, k, "month").expect("required");
                let cumulative = money(&c, k, "cumulative").expect("required");
                if cumulative.yuan() < 0 {
                    row_err("cumulative", cumulative.wan_exact(), "累计完成投资不能为负数");
                    continue;
                }
                v.push(FaiRow {
                    line,
                    division: division(&c, k, "division").expect("required"),
                    year,
                    month: m,
                    cumulative,
                })
            }
            Rows::Enterprises(v) => v.push(EnterpriseRow {
                line,
                credit_code: ccode(&c, k, "credit_code").expect("required"),
                name: text(&c, k, "name").unwrap_or_default(),
                industry_code: text(&c, k, "industry_code").filter(|s| !s.is_empty()),
                division: division(&c, k, "division"),
                tags: split_tags(&text(&c, k, "tags").unwrap_or_default()),
            }),
            Rows::Problems(v) => {
                let raised_on = date(&c, k, "raised_on").expect("required");
                let deadline = date(&c, k, "deadline").expect("required");
                if deadline < raised_on {
                    row_err("deadline", deadline.to_string(), "办结时限不能早于提出日期");
                    continue;
                }
                v.push(ProblemRow {
                    line,
                    external_id: text(&c, k, "external_id").unwrap_or_default(),
                    project: ProjectKey::of_row(&c, k),
                    category: text(&c, k, "category").unwrap_or_default(),
                    description: text(&c, k, "description").unwrap_or_default(),
                    unit: text(&c, k, "unit").unwrap_or_default(),
                    raised_on,
                    deadline,
                    status: problem_status(&c, k, "status").unwrap_or(ProblemStatus::Raised),
                    resolved_on: date(&c, k, "resolved_on"),
                    closed_on: date(&c, k, "closed_on"),
                })
            }
        }
    }
    if data_rows == 0 {
        return Err(SheetError::NoRows);
    }
    duplicate_keys(kind, &rows, &h, &mut errors);
    errors.sort_by_key(|e| e.row);
    Ok(Parsed {
        kind,
        sheet: sheet.name.clone(),
        data_rows,
        rows,
        errors,
    })
}

/// Is `code` a GB/T 4754-2017 code (looked up in a set built once: imports check every row)?
fn known_industry(code: &str) -> bool {
    static CODES: std::sync::OnceLock<std::collections::HashSet<&'static str>> = std::sync::OnceLock::new();
    CODES
        .get_or_init(|| crate::reference::industries().map(|r| r.code).collect())
        .contains(code)
}

/// Tags written as `专精特新、瞪羚企业` (or with commas / semicolons), trimmed, deduplicated.
pub fn split_tags(s: &str) -> Vec<String> {
    let mut tags: Vec<String> = s
        .split(['、', ',', '，', ';', '；', '/'])
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// The same record twice in one file is refused: which of the two should win is a guess.
fn duplicate_keys(kind: ImportKind, rows: &Rows, h: &HeaderMap, errors: &mut Vec<RowError>) {
    use std::collections::HashMap;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut check = |key: Option<String>, line: u32, field: &str| {
        if let Some((key, first)) = key.and_then(|k| seen.insert(k.clone(), line).map(|first| (k, first))) {
            errors.push(RowError::new(line, header_of(h, kind, field), key, format!("与第{first}行重复")));
        }
    };
    match rows {
        Rows::Projects(v) => {
            for r in v {
                check(r.code.as_ref().map(|c| format!("c:{}", c.as_str())), r.line, "code");
                check(r.external_id.as_ref().map(|e| format!("e:{e}")), r.line, "external_id");
            }
        }
        Rows::Nodes(v) => {
            for r in v {
                let key = r
                    .external_id
                    .clone()
                    .unwrap_or_else(|| format!("{}|{}", r.project.describe(), r.name));
                check(Some(key), r.line, "name");
            }
        }
        Rows::Investment(v) => {
            for r in v {
                check(Some(format!("{}|{}-{}", r.project.describe(), r.year, r.month)), r.line, "month");
            }
        }
        Rows::Fai(v) => {
            for r in v {
                check(Some(format!("{}|{}-{}", r.division.as_str(), r.year, r.month)), r.line, "month");
            }
        }
        Rows::Enterprises(v) => {
            for r in v {
                check(Some(r.credit_code.as_str().to_string()), r.line, "credit_code");
            }
        }
        Rows::Problems(v) => {
            for r in v {
                check(Some(r.external_id.clone()), r.line, "external_id");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::tests::sheet;
    #[test]
    fn default_unit_is_wan_and_full_width_is_read() {
        let s = sheet(vec![
            vec!["项目名称", "总投资", "责任单位", "项目类型", "项目阶段", "谋划年度", "计划开工日期"],
            vec!["科创园", "１２.５", "海门街道", "industrial", "前期", "２０１９", "43555"],
        ]);
        let p = parse_sheet(ImportKind::Projects, &s).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let Rows::Projects(rows) = p.rows else { panic!() };
        assert_eq!(rows[0].total_investment, Money::from_yuan(125_000));
        assert_eq!(rows[0].planned_start_on, NaiveDate::from_ymd_opt(2019, 3, 31));
    }

    #[test]
    fn every_bad_cell_is_listed_with_row_column_value_and_reason() {
        let s = sheet(vec![
            vec![
                "项目名称",
                "总投资（万元）",
                "责任单位",
                "项目类型",
                "项目阶段",
                "谋划年度",
                "计划开工日期",
            ],
            vec!["甲", "abc", "海门街道", "industrial", "前期", "2019", "2019-02-30"],
            vec!["", "", "", "", "", "", ""],
            vec!["", "10", "海门街道", "industrial", "飞升", "2019", ""],
        ]);
        let p = parse_sheet(ImportKind::Projects, &s).unwrap();
        let got: Vec<(u32, &str, &str)> = p.errors.iter().map(|e| (e.row, e.column.as_str(), e.value.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (2, "总投资（万元）", "abc"),
                (2, "计划开工日期", "2019-02-30"),
                (4, "项目名称", ""),
                (4, "项目阶段", "飞升")
            ]
        );
        assert!(p.errors.iter().all(|e| !e.reason.is_empty()));
        assert_eq!(p.data_rows, 2);
        assert!(p.rows.is_empty());
    }

    #[test]
    fn duplicates_in_one_file_are_refused() {
        let s = sheet(vec![
            vec!["行政区划代码", "月份", "累计完成投资（万元）"],
            vec!["331002001", "2019-03", "100"],
            vec!["331002001", "2019年3月", "120"],
        ]);
        let p = parse_sheet(ImportKind::Fai, &s).unwrap();
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.errors[0].row, 3);
        assert!(p.errors[0].reason.contains("第2行"));
    }
}
