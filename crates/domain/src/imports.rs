//! Importing spreadsheets (导入), the pure part: which columns each kind of import has, how a
//! header row is recognised among title rows and header variants, and how each row's cells
//! become typed rows through the same parsers the forms and the API use.
//!
//! A cell arrives as a [`Raw`] value (from `.xlsx` or `.csv`, read in `crates/office`). Every
//! bad value becomes a [`RowError`] that names the row as Excel shows it (1-based, counting
//! title and header rows), the column header, the value and the reason in Chinese.

use crate::codes::{CreditCode, DivisionCode, ProjectCode};
use crate::date::{date_from_excel_serial, parse_date, parse_month};
use crate::error::normalize_input;
use crate::model::{NodeStatus, ProblemStatus};
use crate::money::{LandArea, Money, MoneyUnit};
use crate::stage::Stage;
use crate::table::{Cell, ColKind, Column, Table};
use chrono::NaiveDate;
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

/// What an import loads.
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
    pub fn code(self) -> &'static str {
        match self {
            ImportKind::Projects => "projects",
            ImportKind::Nodes => "nodes",
            ImportKind::Investment => "investment",
            ImportKind::Fai => "fai",
            ImportKind::Enterprises => "enterprises",
            ImportKind::Problems => "problems",
        }
    }
    pub fn from_code(s: &str) -> Option<ImportKind> {
        ImportKind::ALL.into_iter().find(|k| k.code() == s)
    }
    /// 项目, 节点, … : also the name of the template's sheet.
    pub fn label_zh(self) -> &'static str {
        match self {
            ImportKind::Projects => "项目",
            ImportKind::Nodes => "节点",
            ImportKind::Investment => "月度投资",
            ImportKind::Fai => "固定资产投资",
            ImportKind::Enterprises => "企业",
            ImportKind::Problems => "问题",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            ImportKind::Projects => "Projects",
            ImportKind::Nodes => "Nodes",
            ImportKind::Investment => "Monthly investment",
            ImportKind::Fai => "Official FAI figures",
            ImportKind::Enterprises => "Enterprises",
            ImportKind::Problems => "Problems",
        }
    }
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

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// Money; the unit comes from the header (`（元）`, `（万元）`, `（亿元）`), else 万元.
    Money,
    Date,
    Int,
    /// A month, `2019-03` or `2019年3月` (a date cell counts as its month).
    Month,
    /// 是/否.
    Bool,
    Area,
    Stage,
    ProjectCode,
    CreditCode,
    Division,
    NodeStatus,
    ProblemStatus,
}

impl FieldType {
    fn col_kind(self) -> ColKind {
        match self {
            FieldType::Money => ColKind::Money,
            FieldType::Date => ColKind::Date,
            FieldType::Int => ColKind::Int,
            FieldType::Area => ColKind::Area,
            _ => ColKind::Text,
        }
    }
}

/// One column of an import.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    /// The header the template and the export write.
    pub header: &'static str,
    /// Other names people give the column (compared without units, spaces and brackets).
    pub aliases: &'static [&'static str],
    pub ty: FieldType,
    pub required: bool,
    /// The template's example value.
    pub example: &'static str,
}

const fn f(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    ty: FieldType,
    required: bool,
    example: &'static str,
) -> Field {
    Field {
        key,
        header,
        aliases,
        ty,
        required,
        example,
    }
}

use FieldType as T;

pub const PROJECT_FIELDS: &[Field] = &[
    f(
        "code",
        "项目代码",
        &["项目编码", "项目编号", "赋码", "备案代码"],
        T::ProjectCode,
        false,
        "2019-331002-34-03-012345",
    ),
    f(
        "external_id",
        "外部编号",
        &["外部ID", "外部id", "原系统编号"],
        T::Text,
        false,
        "XM-0001",
    ),
    f("name", "项目名称", &["名称", "项目"], T::Text, true, "台州湾新区科创园"),
    f("unit", "责任单位", &["牵头单位", "主体单位", "单位"], T::Text, true, "海门街道"),
    f("leader", "联系领导", &["分管领导", "领导", "挂联领导"], T::Text, false, ""),
    f("project_type", "项目类型", &["类型"], T::Text, true, "industrial"),
    f("stage", "项目阶段", &["阶段", "项目状态"], T::Stage, true, "前期"),
    f("industry_code", "行业代码", &["国民经济行业代码", "行业"], T::Text, false, "3411"),
    f(
        "division",
        "所在街道代码",
        &["街道代码", "行政区划代码", "区划代码", "所在街道"],
        T::Division,
        false,
        "331002001",
    ),
    f("location", "建设地点", &["地点", "项目地址"], T::Text, false, "海门街道东海大道"),
    f("land_area", "用地面积（亩）", &["用地面积", "用地"], T::Area, false, "85.5"),
    f(
        "total_investment",
        "总投资（万元）",
        &["总投资", "计划总投资", "投资总额"],
        T::Money,
        true,
        "125000",
    ),
    f(
        "investor",
        "投资主体",
        &["业主单位", "建设单位", "投资方"],
        T::Text,
        false,
        "台州某某科技有限公司",
    ),
    f("foreign", "是否外资", &["外资项目", "外资"], T::Bool, false, "否"),
    f("planned_year", "谋划年度", &["谋划年份", "年度"], T::Int, true, "2019"),
    f(
        "planned_start_on",
        "计划开工日期",
        &["计划开工", "计划开工时间"],
        T::Date,
        false,
        "2019-06-30",
    ),
    f(
        "started_on",
        "实际开工日期",
        &["开工日期", "实际开工", "落地日期"],
        T::Date,
        false,
        "",
    ),
    f("completed_on", "竣工日期", &["竣工", "实际竣工日期"], T::Date, false, ""),
    f("in_statistics_on", "入统日期", &["入库日期", "入统时间"], T::Date, false, ""),
    f(
        "description",
        "建设内容",
        &["项目简介", "简介", "主要建设内容"],
        T::Text,
        false,
        "新建厂房及配套设施",
    ),
];

pub const NODE_FIELDS: &[Field] = &[
    f(
        "project_code",
        "项目代码",
        &["项目编码", "项目编号"],
        T::ProjectCode,
        false,
        "2019-331002-34-03-012345",
    ),
    f("project_external_id", "项目外部编号", &[], T::Text, false, ""),
    f("external_id", "节点外部编号", &["外部编号"], T::Text, false, ""),
    f("seq", "序号", &["节点序号"], T::Int, false, "1"),
    f("name", "节点名称", &["节点", "名称"], T::Text, true, "完成项目备案"),
    f(
        "planned_on",
        "计划完成日期",
        &["计划日期", "计划完成时间", "计划完成"],
        T::Date,
        true,
        "2019-03-31",
    ),
    f("forecast_on", "预计完成日期", &["预计日期"], T::Date, false, ""),
    f("actual_on", "实际完成日期", &["实际日期", "完成日期"], T::Date, false, ""),
    f("unit", "责任单位", &["牵头单位", "单位"], T::Text, true, "区发改局"),
    f("status", "节点状态", &["状态"], T::NodeStatus, false, "未完成"),
];

pub const INVESTMENT_FIELDS: &[Field] = &[
    f(
        "project_code",
        "项目代码",
        &["项目编码", "项目编号"],
        T::ProjectCode,
        false,
        "2019-331002-34-03-012345",
    ),
    f("project_external_id", "项目外部编号", &["外部编号"], T::Text, false, ""),
    f("month", "月份", &["年月", "统计月份"], T::Month, true, "2019-03"),
    f(
        "amount",
        "完成投资（万元）",
        &["完成投资", "当月完成投资", "月度投资"],
        T::Money,
        true,
        "1200",
    ),
];

pub const FAI_FIELDS: &[Field] = &[
    f(
        "division",
        "行政区划代码",
        &["区划代码", "街道代码"],
        T::Division,
        true,
        "331002001",
    ),
    f("month", "月份", &["年月", "统计月份"], T::Month, true, "2019-03"),
    f(
        "cumulative",
        "累计完成投资（万元）",
        &["累计完成投资", "1至本月累计", "累计完成", "固定资产投资"],
        T::Money,
        true,
        "35600",
    ),
];

pub const ENTERPRISE_FIELDS: &[Field] = &[
    f(
        "credit_code",
        "统一社会信用代码",
        &["信用代码", "社会信用代码"],
        T::CreditCode,
        true,
        "9133100206527844XJ",
    ),
    f("name", "企业名称", &["名称", "企业"], T::Text, true, "台州某某科技有限公司"),
    f("industry_code", "行业代码", &["行业"], T::Text, false, "3411"),
    f(
        "division",
        "所在街道代码",
        &["行政区划代码", "区划代码", "街道代码"],
        T::Division,
        false,
        "331002001",
    ),
    f("tags", "培育标签", &["标签", "企业标签"], T::Text, false, "专精特新、瞪羚企业"),
];

pub const PROBLEM_FIELDS: &[Field] = &[
    f("external_id", "外部编号", &["问题编号", "编号"], T::Text, true, "WT-2019-001"),
    f("project_code", "项目代码", &["项目编码", "项目编号"], T::ProjectCode, false, ""),
    f("project_external_id", "项目外部编号", &[], T::Text, false, ""),
    f("category", "问题类别", &["类别", "问题类型"], T::Text, true, "要素保障"),
    f(
        "description",
        "问题描述",
        &["问题", "描述", "问题内容"],
        T::Text,
        true,
        "用地指标尚未落实",
    ),
    f("unit", "责任单位", &["交办单位", "承办单位", "单位"], T::Text, true, "区自然资源局"),
    f("raised_on", "提出日期", &["提出时间", "发现日期"], T::Date, true, "2019-05-10"),
    f("deadline", "办结时限", &["办结期限", "时限"], T::Date, true, "2019-06-10"),
    f("status", "办理状态", &["状态"], T::ProblemStatus, false, "已交办"),
    f("resolved_on", "办结日期", &["办结时间"], T::Date, false, ""),
    f("closed_on", "销号日期", &["销号时间"], T::Date, false, ""),
];

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

/// Rows a header may be preceded by (title rows, notes).
const HEADER_SEARCH_ROWS: usize = 10;

/// A header cell reduced for comparison: half-width, no white space, no brackets or units.
fn header_key(s: &str) -> (String, Option<MoneyUnit>) {
    let s: String = normalize_input(s).chars().filter(|c| !c.is_whitespace() && *c != '*').collect();
    let unit = if s.contains("亿元") {
        Some(MoneyUnit::Yi)
    } else if s.contains("万元") {
        Some(MoneyUnit::Wan)
    } else if s.contains('元') && (s.contains('(') || s.contains('[') || s.contains('（') || s.ends_with("元")) {
        Some(MoneyUnit::Yuan)
    } else {
        None
    };
    // Drop a bracketed suffix: "总投资(万元)" → "总投资", "用地面积(亩)" → "用地面积".
    let base = match s.find(['(', '[', '（', '【']) {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s,
    };
    let base = base
        .trim_end_matches("万元")
        .trim_end_matches("亿元")
        .trim_end_matches("/元")
        .trim_end_matches("/亩")
        .to_string();
    (base, unit)
}

fn field_matches(field: &Field, key: &str) -> bool {
    header_key(field.header).0 == key || field.aliases.iter().any(|a| header_key(a).0 == key)
}

/// Where each field is in the sheet, and the unit its header gives money in.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// 0-based index of the header row in `RawSheet::rows`.
    pub header_index: usize,
    /// Per field of the kind: the column index and the header as written.
    pub columns: Vec<ColumnMatch>,
}

/// Per field: the column index, the header as written, the money unit it names.
type ColumnMatch = Option<(usize, String, MoneyUnit)>;

fn match_row(kind: ImportKind, row: &[Raw]) -> Result<Vec<ColumnMatch>, SheetError> {
    let fields = kind.fields();
    let mut out: Vec<ColumnMatch> = vec![None; fields.len()];
    for (c, cell) in row.iter().enumerate() {
        let text = cell.as_text();
        let (key, unit) = header_key(&text);
        if key.is_empty() {
            continue;
        }
        // Exact header first, then aliases: "外部编号" is its own column in 节点 (节点外部编号's alias).
        let found = fields
            .iter()
            .position(|f| header_key(f.header).0 == key)
            .or_else(|| fields.iter().position(|f| field_matches(f, &key)));
        if let Some(i) = found {
            if out[i].is_some() {
                return Err(SheetError::DuplicateColumn(text.trim().to_string()));
            }
            out[i] = Some((c, text.trim().to_string(), unit.unwrap_or(MoneyUnit::Wan)));
        }
    }
    Ok(out)
}

/// Finds the header row (skipping title rows, merged or not) and maps each field to a column.
pub fn match_headers(kind: ImportKind, sheet: &RawSheet) -> Result<HeaderMap, SheetError> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let n = match_row(kind, row).map(|m| m.iter().filter(|c| c.is_some()).count()).unwrap_or(0);
        if n >= 2 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    let (header_index, _) = best.ok_or(SheetError::NoHeader(HEADER_SEARCH_ROWS))?;
    let columns = match_row(kind, &sheet.rows[header_index])?;
    let missing: Vec<String> = kind
        .fields()
        .iter()
        .zip(&columns)
        .filter(|(f, c)| f.required && c.is_none())
        .map(|(f, _)| f.header.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::MissingColumns(missing));
    }
    Ok(HeaderMap { header_index, columns })
}

/// The kind whose headers a sheet matches best (for `zhantu import FILE` without `--kind`):
/// every required column present, most columns recognised; ties go to the sheet's name.
pub fn guess_kind(sheet: &RawSheet) -> Option<ImportKind> {
    let mut best: Option<(ImportKind, usize)> = None;
    for kind in ImportKind::ALL {
        if let Ok(h) = match_headers(kind, sheet) {
            let n = h.columns.iter().filter(|c| c.is_some()).count();
            let named = sheet.name.contains(kind.label_zh());
            let score = n * 2 + named as usize;
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((kind, score));
            }
        }
    }
    best.map(|(k, _)| k)
}

/// A typed cell value.
#[derive(Debug, Clone, PartialEq)]
enum Value {
    Text(String),
    Money(Money),
    Date(NaiveDate),
    Int(i64),
    Month(i32, u32),
    Bool(bool),
    Area(LandArea),
    Stage(Stage),
    ProjectCode(ProjectCode),
    CreditCode(CreditCode),
    Division(DivisionCode),
    NodeStatus(NodeStatus),
    ProblemStatus(ProblemStatus),
}

fn parse_cell(ty: FieldType, raw: &Raw, unit: MoneyUnit) -> Result<Value, String> {
    let text = raw.as_text();
    let norm = normalize_input(&text);
    let reason = |e: crate::ParseError| e.reason;
    Ok(match ty {
        FieldType::Text => Value::Text(text.trim().replace('\u{3000}', " ").trim().to_string()),
        FieldType::Money => Value::Money(Money::parse(&text, unit).map_err(reason)?),
        FieldType::Date => Value::Date(match raw {
            Raw::Date(f) | Raw::Number(f) => {
                if f.fract() != 0.0 && matches!(raw, Raw::Number(_)) {
                    return Err("不是有效的日期".into());
                }
                date_from_excel_serial(f.floor() as i64).map_err(reason)?
            }
            _ if norm.chars().all(|c| c.is_ascii_digit()) && (1..=6).contains(&norm.len()) => {
                // A serial pasted as text ("43555").
                date_from_excel_serial(norm.parse().map_err(|_| "不是有效的日期".to_string())?).map_err(reason)?
            }
            _ => parse_date(norm.split([' ', 'T']).next().unwrap_or("")).map_err(reason)?,
        }),
        FieldType::Int => {
            let v: f64 = match raw {
                Raw::Number(f) => *f,
                _ => norm.parse().map_err(|_| "应为整数".to_string())?,
            };
            if v.fract() != 0.0 || v.abs() > 9e15 {
                return Err("应为整数".into());
            }
            Value::Int(v as i64)
        }
        FieldType::Month => match raw {
            Raw::Date(f) => {
                use chrono::Datelike;
                let d = date_from_excel_serial(f.floor() as i64).map_err(reason)?;
                Value::Month(d.year(), d.month())
            }
            _ => {
                let (y, m) = parse_month(&norm)
                    .or_else(|e| {
                        // A whole date (2019-03-01) names its month too.
                        use chrono::Datelike;
                        parse_date(&norm).map(|d| (d.year(), d.month())).map_err(|_| e)
                    })
                    .map_err(reason)?;
                Value::Month(y, m)
            }
        },
        FieldType::Bool => Value::Bool(match norm.to_lowercase().as_str() {
            "是" | "y" | "yes" | "true" | "1" | "√" => true,
            "否" | "n" | "no" | "false" | "0" | "" => false,
            _ => return Err("应为“是”或“否”".into()),
        }),
        FieldType::Area => Value::Area(LandArea::parse(&text).map_err(reason)?),
        FieldType::Stage => Value::Stage(Stage::parse(&text).map_err(reason)?),
        FieldType::ProjectCode => Value::ProjectCode(ProjectCode::parse(&text).map_err(reason)?),
        FieldType::CreditCode => Value::CreditCode(CreditCode::parse(&text).map_err(reason)?),
        FieldType::Division => Value::Division(DivisionCode::parse(&text).map_err(reason)?),
        FieldType::NodeStatus => Value::NodeStatus(
            NodeStatus::ALL
                .iter()
                .copied()
                .find(|s| s.code() == norm || s.label_zh() == norm)
                .ok_or_else(|| "应为未完成、待核验或已销号".to_string())?,
        ),
        FieldType::ProblemStatus => Value::ProblemStatus(
            ProblemStatus::ALL
                .iter()
                .copied()
                .find(|s| s.code() == norm || s.label_zh() == norm)
                .ok_or_else(|| "应为已提出、已交办、已办结或已销号".to_string())?,
        ),
    })
}

/// The typed values of one row, by field; `None` where the cell is empty.
struct Cells {
    values: Vec<Option<Value>>,
}

impl Cells {
    fn get(&self, kind: ImportKind, key: &str) -> Option<&Value> {
        let i = kind.fields().iter().position(|f| f.key == key).expect("known field");
        self.values[i].as_ref()
    }
}

macro_rules! getter {
    ($name:ident, $variant:ident, $t:ty) => {
        fn $name(c: &Cells, k: ImportKind, key: &str) -> Option<$t> {
            match c.get(k, key) {
                Some(Value::$variant(v)) => Some(v.clone()),
                _ => None,
            }
        }
    };
}
getter!(text, Text, String);
getter!(money, Money, Money);
getter!(date, Date, NaiveDate);
getter!(int, Int, i64);
getter!(area, Area, LandArea);
getter!(stage, Stage, Stage);
getter!(pcode, ProjectCode, ProjectCode);
getter!(ccode, CreditCode, CreditCode);
getter!(division, Division, DivisionCode);
getter!(node_status, NodeStatus, NodeStatus);
getter!(problem_status, ProblemStatus, ProblemStatus);
fn month(c: &Cells, k: ImportKind, key: &str) -> Option<(i32, u32)> {
    match c.get(k, key) {
        Some(Value::Month(y, m)) => Some((*y, *m)),
        _ => None,
    }
}
fn flag(c: &Cells, k: ImportKind, key: &str) -> bool {
    matches!(c.get(k, key), Some(Value::Bool(true)))
}

/// How a row refers to a project: by its code, else by its external id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum ProjectKey {
    Code(ProjectCode),
    External(String),
}

impl ProjectKey {
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

/// The column header a field has in this sheet (as written), for error messages.
fn header_of(h: &HeaderMap, kind: ImportKind, key: &str) -> String {
    let i = kind.fields().iter().position(|f| f.key == key).expect("known field");
    h.columns[i]
        .as_ref()
        .map(|c| c.1.clone())
        .unwrap_or_else(|| kind.fields()[i].header.to_string())
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
            match (pcode(c, k, "project_code"), text(c, k, "project_external_id")) {
                (Some(code), _) => Some(ProjectKey::Code(code)),
                (None, Some(e)) if !e.is_empty() => Some(ProjectKey::External(e)),
                _ => {
                    row_err("project_code", String::new(), "须填写项目代码或项目外部编号");
                    None
                }
            }
        };
        match &mut rows {
            Rows::Projects(v) => {
                let planned_year = int(&c, k, "planned_year").unwrap_or(0);
                if !(1949..=2100).contains(&planned_year) {
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
                    project: match (pcode(&c, k, "project_code"), text(&c, k, "project_external_id")) {
                        (Some(code), _) => Some(ProjectKey::Code(code)),
                        (None, Some(e)) if !e.is_empty() => Some(ProjectKey::External(e)),
                        _ => None,
                    },
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

/// The empty sheet of a kind with its headers (required ones marked in the title row) and one
/// example row: the downloadable template.
pub fn template(kind: ImportKind) -> Table {
    let fields = kind.fields();
    let columns = fields.iter().map(|f| Column::new(f.header, f.ty.col_kind())).collect();
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.header).collect();
    let mut t = Table::new(kind.label_zh(), columns).with_title(format!(
        "{}导入模板（第三行为示例，可删除；必填：{}）",
        kind.label_zh(),
        required.join("、")
    ));
    let example = fields
        .iter()
        .map(|f| {
            if f.example.is_empty() {
                return Cell::Empty;
            }
            match f.ty {
                FieldType::Money => Money::parse(f.example, MoneyUnit::Wan).map(Cell::Money).unwrap_or(Cell::Empty),
                FieldType::Date => parse_date(f.example).map(Cell::Date).unwrap_or(Cell::Empty),
                FieldType::Int => f.example.parse::<i64>().map(Cell::Int).unwrap_or(Cell::Empty),
                FieldType::Area => LandArea::parse(f.example).map(Cell::Area).unwrap_or(Cell::Empty),
                _ => Cell::Text(f.example.to_string()),
            }
        })
        .collect();
    t.push(example);
    t
}

/// The fixed choices of a column, for the template's drop-down lists.
pub fn choices(ty: FieldType) -> Option<Vec<String>> {
    let v: Vec<String> = match ty {
        FieldType::Stage => Stage::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::Bool => vec!["是".into(), "否".into()],
        FieldType::NodeStatus => NodeStatus::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::ProblemStatus => ProblemStatus::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        _ => return None,
    };
    Some(v)
}

/// The columns an export of this kind writes: the template's, so an export imports again.
pub fn export_columns(kind: ImportKind) -> Vec<Column> {
    kind.fields().iter().map(|f| Column::new(f.header, f.ty.col_kind())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sheet(rows: Vec<Vec<&str>>) -> RawSheet {
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

    #[test]
    fn headers_match_variants_and_units() {
        let s = sheet(vec![
            vec!["椒江区重大项目表", "", ""],
            vec!["名称", "总投资(元)", "单位", "类型", "阶段", "年度"],
            vec!["科创园", "1,250,000", "海门街道", "industrial", "前期", "2019"],
        ]);
        let p = parse_sheet(ImportKind::Projects, &s).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let Rows::Projects(rows) = p.rows else { panic!() };
        assert_eq!(rows[0].total_investment, Money::from_yuan(1_250_000));
        assert_eq!(rows[0].line, 3);
        assert_eq!(header_key("总投资（万元）"), ("总投资".into(), Some(MoneyUnit::Wan)));
        assert_eq!(header_key("ＣＯＤＥ 总投资"), ("CODE总投资".into(), None));
    }

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
    fn missing_required_columns_are_named() {
        let s = sheet(vec![vec!["项目名称", "责任单位"], vec!["甲", "乙"]]);
        assert_eq!(
            parse_sheet(ImportKind::Projects, &s).unwrap_err(),
            SheetError::MissingColumns(vec![
                "项目类型".into(),
                "项目阶段".into(),
                "总投资（万元）".into(),
                "谋划年度".into()
            ])
        );
        assert_eq!(
            parse_sheet(ImportKind::Fai, &sheet(vec![vec!["甲"]])).unwrap_err(),
            SheetError::NoHeader(10)
        );
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

    #[test]
    fn kind_is_guessed_from_headers() {
        let s = sheet(vec![vec!["统一社会信用代码", "企业名称"]]);
        assert_eq!(guess_kind(&s), Some(ImportKind::Enterprises));
        let s = sheet(vec![vec!["项目代码", "月份", "完成投资（万元）"]]);
        assert_eq!(guess_kind(&s), Some(ImportKind::Investment));
        for kind in ImportKind::ALL {
            let t = template(kind);
            let header: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
            assert_eq!(guess_kind(&sheet(vec![header])), Some(kind), "{kind:?}");
        }
    }

    #[test]
    fn excel_cells_dates_and_numbers() {
        let s = RawSheet {
            name: "节点".into(),
            first_row: 4,
            rows: vec![
                ["项目代码", "节点名称", "计划完成日期", "责任单位"]
                    .map(|h| Raw::Text(h.into()))
                    .to_vec(),
                vec![
                    Raw::Text("2019-331002-34-03-012345".into()),
                    Raw::Text("开工".into()),
                    Raw::Date(43555.0),
                    Raw::Text("区发改局".into()),
                ],
            ],
        };
        let p = parse_sheet(ImportKind::Nodes, &s).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let Rows::Nodes(rows) = p.rows else { panic!() };
        assert_eq!(rows[0].line, 6);
        assert_eq!(rows[0].planned_on, NaiveDate::from_ymd_opt(2019, 3, 31).unwrap());
    }

    #[test]
    fn every_template_example_row_parses() {
        for kind in ImportKind::ALL {
            let t = template(kind);
            let mut rows = vec![vec![Raw::Text(t.title.clone().unwrap())]];
            rows.push(t.columns.iter().map(|c| Raw::Text(c.header.clone())).collect());
            rows.push(
                kind.fields()
                    .iter()
                    .map(|f| {
                        if f.example.is_empty() {
                            Raw::Empty
                        } else {
                            Raw::Text(f.example.into())
                        }
                    })
                    .collect(),
            );
            let p = parse_sheet(
                kind,
                &RawSheet {
                    name: t.sheet.clone(),
                    first_row: 0,
                    rows,
                },
            )
            .unwrap();
            assert!(p.errors.is_empty(), "{kind:?}: {:?}", p.errors);
            assert_eq!(p.rows.len(), 1);
        }
    }

    proptest! {
        /// Any amount in 元 written as an Excel number in 万元 (as the export writes it) reads
        /// back exactly.
        #[test]
        fn money_survives_the_float_cell(yuan in -999_999_999_999i64..999_999_999_999i64) {
            let raw = Raw::Number(yuan as f64 / 10_000.0);
            prop_assert_eq!(parse_cell(FieldType::Money, &raw, MoneyUnit::Wan), Ok(Value::Money(Money::from_yuan(yuan))));
        }

        /// Any date survives both as a date cell and as text.
        #[test]
        fn dates_survive_cells_and_text(days in 0i64..55_000) {
            let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let serial = (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
            prop_assert_eq!(parse_cell(FieldType::Date, &Raw::Date(serial), MoneyUnit::Wan), Ok(Value::Date(d)));
            prop_assert_eq!(parse_cell(FieldType::Date, &Raw::Text(d.to_string()), MoneyUnit::Wan), Ok(Value::Date(d)));
            prop_assert_eq!(parse_cell(FieldType::Date, &Raw::Text(d.format("%Y年%m月%d日").to_string()), MoneyUnit::Wan), Ok(Value::Date(d)));
        }

        /// Whatever a cell holds, parsing never panics, and text fields keep what was written.
        #[test]
        fn arbitrary_cells_never_panic(s in "\\PC{0,40}", f in proptest::num::f64::ANY) {
            for ty in [T::Text, T::Money, T::Date, T::Int, T::Month, T::Bool, T::Area, T::Stage, T::ProjectCode, T::CreditCode, T::Division, T::NodeStatus, T::ProblemStatus] {
                let _ = parse_cell(ty, &Raw::Text(s.clone()), MoneyUnit::Wan);
                let _ = parse_cell(ty, &Raw::Number(f), MoneyUnit::Yuan);
                let _ = parse_cell(ty, &Raw::Date(f), MoneyUnit::Yi);
            }
            if let Ok(Value::Text(t)) = parse_cell(T::Text, &Raw::Text(s.clone()), MoneyUnit::Wan) {
                prop_assert_eq!(t, s.trim().replace('\u{3000}', " ").trim().to_string());
            }
        }
    }
}
