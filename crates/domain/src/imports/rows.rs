//! The typed rows of each kind, and parsing a sheet into them with every bad cell listed.

use super::activity::{BatchRow, CampaignRow, LandRow, SupervisionRow, VisitRow};
use super::cells::{Cells, Value, flag, month, parse_cell, pcode, text};
use super::fields::{FieldType, RefKind};
use super::headers::{HeaderMap, header_of, match_headers};
use super::history::{ProjectYearRow, ReportRow, StageChangeRow};
use super::master::{CategoryRow, PersonRow, UnitRow};
use super::results::ResultsYearRow;
use super::statistics::CountedRow;
use super::{ImportKind, Raw, RawSheet, RowError, SheetError};
use crate::codes::{CreditCode, DivisionCode, ProjectCode};
use crate::date::Year;
use crate::model::{BatchLevel, LandEntryKind, NodeStatus, ProblemStatus, ReportPeriod, UnitKind};
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
    /// The responsible unit; none: the project's own.
    pub unit: Option<String>,
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
    /// Its number in another system; without one a problem is known by its project (or
    /// enterprise), the day it was raised and its description (`ProblemRow::natural_key`).
    pub external_id: Option<String>,
    /// The project it concerns, if any.
    pub project: Option<ProjectKey>,
    /// The enterprise it concerns (a 三服务 visit's), if any.
    pub enterprise: Option<CreditCode>,
    pub category: String,
    pub description: String,
    pub unit: String,
    pub raised_on: NaiveDate,
    /// None: the default limit from the day it was raised (`problems::default_deadline`).
    pub deadline: Option<NaiveDate>,
    pub status: ProblemStatus,
    pub resolved_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

impl ProblemRow {
    /// How a problem without an external id is matched: its project (or enterprise, or
    /// none), the day it was raised and its description.
    pub fn natural_key(&self) -> String {
        let on = match (&self.project, &self.enterprise) {
            (Some(p), _) => format!("p:{}", p.describe()),
            (None, Some(e)) => format!("e:{}", e.as_str()),
            (None, None) => String::new(),
        };
        format!("{on}|{}|{}", self.raised_on, self.description)
    }
}

/// The typed rows of one import.
#[derive(Debug, Clone, PartialEq)]
pub enum Rows {
    Units(Vec<UnitRow>),
    People(Vec<PersonRow>),
    Categories(Vec<CategoryRow>),
    Projects(Vec<ProjectRow>),
    ProjectYears(Vec<ProjectYearRow>),
    StageHistory(Vec<StageChangeRow>),
    Nodes(Vec<NodeRow>),
    Investment(Vec<InvestmentRow>),
    Reports(Vec<ReportRow>),
    Fai(Vec<FaiRow>),
    Enterprises(Vec<EnterpriseRow>),
    Visits(Vec<VisitRow>),
    Problems(Vec<ProblemRow>),
    Batches(Vec<BatchRow>),
    Campaigns(Vec<CampaignRow>),
    Supervision(Vec<SupervisionRow>),
    Land(Vec<LandRow>),
    Results(Vec<ResultsYearRow>),
    StatisticsCounted(Vec<CountedRow>),
}

impl Rows {
    pub fn len(&self) -> usize {
        match self {
            Rows::Units(v) => v.len(),
            Rows::People(v) => v.len(),
            Rows::Categories(v) => v.len(),
            Rows::Projects(v) => v.len(),
            Rows::ProjectYears(v) => v.len(),
            Rows::StageHistory(v) => v.len(),
            Rows::Nodes(v) => v.len(),
            Rows::Investment(v) => v.len(),
            Rows::Reports(v) => v.len(),
            Rows::Fai(v) => v.len(),
            Rows::Enterprises(v) => v.len(),
            Rows::Visits(v) => v.len(),
            Rows::Problems(v) => v.len(),
            Rows::Batches(v) => v.len(),
            Rows::Campaigns(v) => v.len(),
            Rows::Supervision(v) => v.len(),
            Rows::Land(v) => v.len(),
            Rows::Results(v) => v.len(),
            Rows::StatisticsCounted(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A value a row names in the district's records (a unit, a project…), to be checked by the
/// store before anything is written, for every row, a bad one's too: so a row's unknown unit
/// is reported together with its bad date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub line: u32,
    /// The column's header as written.
    pub column: String,
    pub value: String,
    pub kind: RefKind,
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
    /// Every value of every row that names a record, to be checked by the store.
    pub references: Vec<Reference>,
    /// What the sheet itself defines (a units sheet's unit names), which its rows may name.
    pub defines: Vec<(RefKind, String)>,
}

/// One data row being turned into a typed row: its cells, and its errors as they are found.
/// A row with any error is left out; every error is still reported.
pub(super) struct RowIn<'a> {
    c: Cells,
    k: ImportKind,
    pub(super) line: u32,
    h: &'a HeaderMap,
    errors: &'a mut Vec<RowError>,
    bad: bool,
    /// The fields whose cells were bad or missing: already reported, not again.
    failed: Vec<&'static str>,
}

macro_rules! row_getters {
    ($($name:ident: $t:ty),*) => {$(
        pub(super) fn $name(&self, key: &str) -> Option<$t> {
            super::cells::$name(&self.c, self.k, key)
        }
    )*};
}

impl RowIn<'_> {
    /// Records a bad value of column `key`.
    pub(super) fn err(&mut self, key: &str, value: impl Into<String>, reason: impl Into<String>) {
        self.bad = true;
        if self.failed.contains(&key) {
            return;
        }
        self.errors
            .push(RowError::new(self.line, header_of(self.h, self.k, key), value, reason));
        self.bad = true;
    }
    /// The row, unless an error was found in it.
    pub(super) fn finish<T>(&self, row: T) -> Option<T> {
        (!self.bad).then_some(row)
    }
    /// A text cell, `None` when empty.
    pub(super) fn text(&self, key: &str) -> Option<String> {
        text(&self.c, self.k, key).filter(|s| !s.is_empty())
    }
    /// A text cell through the domain's rule for it (a name's length…), empty when absent or
    /// refused (the refusal is the row's error).
    pub(super) fn checked(&mut self, key: &str, rule: fn(&str) -> Result<String, crate::RuleError>) -> String {
        match rule(&self.text_or_empty(key)) {
            Ok(v) => v,
            Err(e) => {
                let value = self.text_or_empty(key);
                self.err(key, value, e.message);
                String::new()
            }
        }
    }
    /// A text cell, empty when absent.
    pub(super) fn text_or_empty(&self, key: &str) -> String {
        self.text(key).unwrap_or_default()
    }
    pub(super) fn flag(&self, key: &str) -> bool {
        flag(&self.c, self.k, key)
    }
    pub(super) fn month(&self, key: &str) -> Option<(i32, u32)> {
        month(&self.c, self.k, key)
    }
    /// A year column: within 1949–2100.
    pub(super) fn year(&mut self, key: &str) -> Option<i32> {
        let y = self.int(key)?;
        if Year::new(y).is_err() {
            self.err(key, y.to_string(), "年份应在1949至2100之间");
            return None;
        }
        Some(y as i32)
    }
    /// The row's project, from its `project_code` column, else its `project_external_id`;
    /// an error when it names none.
    pub(super) fn project(&mut self) -> Option<ProjectKey> {
        let key = ProjectKey::of_row(&self.c, self.k);
        if key.is_none() {
            self.err("project_code", String::new(), "须填写项目代码或项目外部编号");
        }
        key
    }
    /// The row's project if it names one.
    pub(super) fn project_opt(&self) -> Option<ProjectKey> {
        ProjectKey::of_row(&self.c, self.k)
    }
    row_getters!(money: Money, date: NaiveDate, int: i64, area: LandArea, stage: Stage, pcode: ProjectCode, ccode: CreditCode,
        division: DivisionCode, node_status: NodeStatus, problem_status: ProblemStatus, unit_kind: UnitKind,
        batch_level: BatchLevel, land_kind: LandEntryKind, report_period: ReportPeriod, percent: i64, list: Vec<String>);
}

/// The values of a row's cells that name records (references), and those its kind defines.
fn references_of(kind: ImportKind, h: &HeaderMap, line: u32, values: &[Option<Value>], p: &mut Parsed) {
    for ((field, col), v) in kind.fields().iter().zip(&h.columns).zip(values) {
        let (Some((_, header, _)), Some(v)) = (col, v) else { continue };
        let names: Vec<String> = match v {
            Value::Text(s) if !s.is_empty() => vec![s.clone()],
            Value::List(items) => items.clone(),
            Value::ProjectCode(c) => vec![c.as_str().to_string()],
            Value::CreditCode(c) => vec![c.as_str().to_string()],
            _ => continue,
        };
        if let Some(kind) = field.refers {
            p.references.extend(names.iter().map(|value| Reference {
                line,
                column: header.clone(),
                value: value.clone(),
                kind,
            }));
        }
        if let Some(kind) = field.defines {
            p.defines.extend(names.into_iter().map(|n| (kind, n)));
        }
    }
}

/// Parses every data row of `sheet` as `kind`. Bad cells are collected, never fatal: every
/// bad cell of a row is listed, with the references the row names (the store checks them).
pub fn parse_sheet(kind: ImportKind, sheet: &RawSheet) -> Result<Parsed, SheetError> {
    let h = match_headers(kind, sheet)?;
    let fields = kind.fields();
    let mut p = Parsed {
        kind,
        sheet: sheet.name.clone(),
        data_rows: 0,
        rows: Rows::empty(kind),
        errors: Vec::new(),
        references: Vec::new(),
        defines: Vec::new(),
    };
    for (i, raw_row) in sheet.rows.iter().enumerate().skip(h.header_index + 1) {
        if raw_row.iter().all(Raw::is_blank) {
            continue;
        }
        p.data_rows += 1;
        let line = sheet.first_row + i as u32 + 1;
        let mut values = Vec::with_capacity(fields.len());
        let mut failed = Vec::new();
        for (field, col) in fields.iter().zip(&h.columns) {
            let Some((c, header, unit)) = col else {
                values.push(None);
                continue;
            };
            let raw = raw_row.get(*c).unwrap_or(&Raw::Empty);
            if raw.is_blank() && field.ty != FieldType::Bool {
                if field.required {
                    p.errors.push(RowError::new(line, header.clone(), "", "不能为空"));
                    failed.push(field.key);
                }
                values.push(None);
                continue;
            }
            match parse_cell(field.ty, raw, *unit) {
                Ok(v) => values.push(Some(v)),
                Err(reason) => {
                    p.errors.push(RowError::new(line, header.clone(), raw.as_text(), reason));
                    failed.push(field.key);
                    values.push(None);
                }
            }
        }
        references_of(kind, &h, line, &values, &mut p);
        let mut r = RowIn {
            c: Cells { values },
            k: kind,
            line,
            h: &h,
            errors: &mut p.errors,
            bad: !failed.is_empty(),
            failed,
        };
        p.rows.push_row(&mut r);
    }
    if p.data_rows == 0 {
        return Err(SheetError::NoRows);
    }
    duplicate_keys(kind, &p.rows, &h, &mut p.errors);
    p.errors.sort_by_key(|e| e.row);
    Ok(p)
}

impl Rows {
    fn empty(kind: ImportKind) -> Rows {
        match kind {
            ImportKind::Units => Rows::Units(Vec::new()),
            ImportKind::People => Rows::People(Vec::new()),
            ImportKind::Categories => Rows::Categories(Vec::new()),
            ImportKind::Projects => Rows::Projects(Vec::new()),
            ImportKind::ProjectYears => Rows::ProjectYears(Vec::new()),
            ImportKind::StageHistory => Rows::StageHistory(Vec::new()),
            ImportKind::Nodes => Rows::Nodes(Vec::new()),
            ImportKind::Investment => Rows::Investment(Vec::new()),
            ImportKind::Reports => Rows::Reports(Vec::new()),
            ImportKind::Fai => Rows::Fai(Vec::new()),
            ImportKind::Enterprises => Rows::Enterprises(Vec::new()),
            ImportKind::Visits => Rows::Visits(Vec::new()),
            ImportKind::Problems => Rows::Problems(Vec::new()),
            ImportKind::Batches => Rows::Batches(Vec::new()),
            ImportKind::Campaigns => Rows::Campaigns(Vec::new()),
            ImportKind::Supervision => Rows::Supervision(Vec::new()),
            ImportKind::Land => Rows::Land(Vec::new()),
            ImportKind::Results => Rows::Results(Vec::new()),
            ImportKind::StatisticsCounted => Rows::StatisticsCounted(Vec::new()),
        }
    }

    /// Turns one row into this kind's typed row (kept only when it has no error). Rows whose
    /// cells were bad are still checked here, so their other errors are listed too.
    fn push_row(&mut self, r: &mut RowIn) {
        match self {
            Rows::Units(v) => v.extend(super::master::unit_row(r)),
            Rows::People(v) => v.extend(super::master::person_row(r)),
            Rows::Categories(v) => v.extend(super::master::category_row(r)),
            Rows::Projects(v) => v.extend(project_row(r)),
            Rows::ProjectYears(v) => v.extend(super::history::project_year_row(r)),
            Rows::StageHistory(v) => v.extend(super::history::stage_change_row(r)),
            Rows::Nodes(v) => v.extend(node_row(r)),
            Rows::Investment(v) => v.extend(investment_row(r)),
            Rows::Reports(v) => v.extend(super::history::report_row(r)),
            Rows::Fai(v) => v.extend(fai_row(r)),
            Rows::Enterprises(v) => v.extend(enterprise_row(r)),
            Rows::Visits(v) => v.extend(super::activity::visit_row(r)),
            Rows::Problems(v) => v.extend(problem_row(r)),
            Rows::Batches(v) => v.extend(super::activity::batch_row(r)),
            Rows::Campaigns(v) => v.extend(super::activity::campaign_row(r)),
            Rows::Supervision(v) => v.extend(super::activity::supervision_row(r)),
            Rows::Land(v) => v.extend(super::activity::land_row(r)),
            Rows::Results(v) => v.extend(super::results::results_year_row(r)),
            Rows::StatisticsCounted(v) => v.extend(super::statistics::counted_row(r)),
        }
    }
}

fn project_row(r: &mut RowIn) -> Option<ProjectRow> {
    let planned_year = r.year("planned_year");
    let total = r.money("total_investment").unwrap_or_default();
    if total.yuan() < 0 {
        r.err("total_investment", total.wan_exact(), "总投资不能为负数");
    }
    let industry_code = r.text("industry_code");
    if let Some(ind) = industry_code.as_ref().filter(|i| !known_industry(i)) {
        r.err("industry_code", ind.clone(), "不是国民经济行业分类（GB/T 4754-2017）中的代码");
    }
    let row = ProjectRow {
        line: r.line,
        code: r.pcode("code"),
        external_id: r.text("external_id"),
        name: r.text_or_empty("name"),
        unit: r.text_or_empty("unit"),
        leader: r.text("leader"),
        project_type: r.text_or_empty("project_type"),
        stage: r.stage("stage").unwrap_or(Stage::Planning),
        industry_code,
        division: r.division("division"),
        location: r.text_or_empty("location"),
        land_area: r.area("land_area"),
        total_investment: total,
        investor: r.text_or_empty("investor"),
        foreign: r.flag("foreign"),
        planned_year: planned_year.unwrap_or(0),
        planned_start_on: r.date("planned_start_on"),
        started_on: r.date("started_on"),
        completed_on: r.date("completed_on"),
        in_statistics_on: r.date("in_statistics_on"),
        description: r.text_or_empty("description"),
    };
    r.finish(row)
}

fn node_row(r: &mut RowIn) -> Option<NodeRow> {
    let project = r.project();
    let row = NodeRow {
        line: r.line,
        project: project?,
        external_id: r.text("external_id"),
        seq: r.int("seq"),
        name: r.text_or_empty("name"),
        planned_on: r.date("planned_on")?,
        forecast_on: r.date("forecast_on"),
        actual_on: r.date("actual_on"),
        unit: r.text("unit"),
        status: r.node_status("status"),
    };
    r.finish(row)
}

fn investment_row(r: &mut RowIn) -> Option<InvestmentRow> {
    let project = r.project();
    let (year, month) = r.month("month")?;
    let row = InvestmentRow {
        line: r.line,
        project: project?,
        year,
        month,
        amount: r.money("amount")?,
    };
    r.finish(row)
}

fn fai_row(r: &mut RowIn) -> Option<FaiRow> {
    let (year, month) = r.month("month")?;
    let cumulative = r.money("cumulative")?;
    if cumulative.yuan() < 0 {
        r.err("cumulative", cumulative.wan_exact(), "累计完成投资不能为负数");
    }
    let row = FaiRow {
        line: r.line,
        division: r.division("division")?,
        year,
        month,
        cumulative,
    };
    r.finish(row)
}

fn enterprise_row(r: &mut RowIn) -> Option<EnterpriseRow> {
    let row = EnterpriseRow {
        line: r.line,
        credit_code: r.ccode("credit_code")?,
        name: r.text_or_empty("name"),
        industry_code: r.text("industry_code"),
        division: r.division("division"),
        tags: split_tags(&r.text_or_empty("tags")),
    };
    r.finish(row)
}

fn problem_row(r: &mut RowIn) -> Option<ProblemRow> {
    let raised_on = r.date("raised_on")?;
    let deadline = r.date("deadline");
    if let Some(d) = deadline.filter(|d| *d < raised_on) {
        r.err("deadline", d.to_string(), "办结时限不能早于提出日期");
    }
    let row = ProblemRow {
        line: r.line,
        external_id: r.text("external_id"),
        project: r.project_opt(),
        enterprise: r.ccode("enterprise"),
        category: r.text_or_empty("category"),
        description: r.text_or_empty("description"),
        unit: r.text_or_empty("unit"),
        raised_on,
        deadline,
        status: r.problem_status("status").unwrap_or(ProblemStatus::Raised),
        resolved_on: r.date("resolved_on"),
        closed_on: r.date("closed_on"),
    };
    r.finish(row)
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

/// A typed row of a kind whose rows each hold one record, known by a key: the same key twice
/// in one file is refused (which of the two should win is a guess).
pub(super) trait Keyed {
    /// The field the duplicate is reported on.
    const KEY_FIELD: &'static str;
    fn line(&self) -> u32;
    /// None: the row has no key (it is always a new record).
    fn key(&self) -> Option<String>;
}

/// The same record twice in one file is refused: which of the two should win is a guess.
fn duplicate_keys(kind: ImportKind, rows: &Rows, h: &HeaderMap, errors: &mut Vec<RowError>) {
    use std::collections::HashMap;
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut check = |key: Option<String>, line: u32, field: &str| {
        if let Some((key, first)) = key.and_then(|k| seen.insert(k.clone(), line).map(|first| (k, first))) {
            let shown = key.split_once(':').map_or(key.as_str(), |(_, k)| k).to_string();
            errors.push(RowError::new(line, header_of(h, kind, field), shown, format!("与第{first}行重复")));
        }
    };
    fn each<T: Keyed>(v: &[T], check: &mut dyn FnMut(Option<String>, u32, &str)) {
        for r in v {
            check(r.key().map(|k| format!("k:{k}")), r.line(), T::KEY_FIELD);
        }
    }
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
                check(Some(format!("n:{key}")), r.line, "name");
            }
        }
        Rows::Investment(v) => {
            for r in v {
                check(Some(format!("m:{}|{}-{}", r.project.describe(), r.year, r.month)), r.line, "month");
            }
        }
        Rows::Fai(v) => {
            for r in v {
                check(Some(format!("m:{}|{}-{}", r.division.as_str(), r.year, r.month)), r.line, "month");
            }
        }
        Rows::Enterprises(v) => {
            for r in v {
                check(Some(format!("c:{}", r.credit_code.as_str())), r.line, "credit_code");
            }
        }
        Rows::Problems(v) => {
            for r in v {
                match &r.external_id {
                    Some(e) => check(Some(format!("e:{e}")), r.line, "external_id"),
                    None => check(Some(format!("n:{}", r.natural_key())), r.line, "description"),
                }
            }
        }
        Rows::Units(v) => each(v, &mut check),
        Rows::People(v) => each(v, &mut check),
        Rows::Categories(v) => each(v, &mut check),
        Rows::ProjectYears(v) => each(v, &mut check),
        Rows::StageHistory(v) => each(v, &mut check),
        Rows::Reports(v) => each(v, &mut check),
        Rows::Visits(v) => each(v, &mut check),
        Rows::Batches(v) => each(v, &mut check),
        Rows::Campaigns(v) => each(v, &mut check),
        Rows::Supervision(v) => each(v, &mut check),
        Rows::Land(v) => each(v, &mut check),
        Rows::Results(v) => each(v, &mut check),
        Rows::StatisticsCounted(v) => each(v, &mut check),
    }
    super::groups::consistent(kind, rows, h, errors);
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

    #[test]
    fn a_bad_row_still_names_what_it_refers_to() {
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
            vec!["甲", "10", "某街道", "商贸文旅", "前期", "2019", "2019-02-30"],
        ]);
        let p = parse_sheet(ImportKind::Projects, &s).unwrap();
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert!(p.rows.is_empty());
        let named: Vec<(u32, &str, RefKind)> = p.references.iter().map(|r| (r.line, r.value.as_str(), r.kind)).collect();
        assert_eq!(named, vec![(2, "某街道", RefKind::Unit), (2, "商贸文旅", RefKind::ProjectType)]);
    }

    #[test]
    fn rows_of_one_record_must_agree_and_a_sheet_defines_its_units() {
        let s = sheet(vec![
            vec!["批次名称", "级别", "集中开工日期", "项目代码"],
            vec!["一批", "区级", "2019-06-18", "2019-331002-34-03-012345"],
            vec!["一批", "市级", "2019-06-18", "2019-331002-34-03-012346"],
        ]);
        let p = parse_sheet(ImportKind::Batches, &s).unwrap();
        assert_eq!(p.errors.len(), 1, "{:?}", p.errors);
        assert_eq!((p.errors[0].row, p.errors[0].column.as_str()), (3, "级别"));
        assert!(p.errors[0].reason.contains("第2行"), "{}", p.errors[0].reason);

        let s = sheet(vec![
            vec!["单位名称", "上级单位", "单位类型"],
            vec!["新区综合办", "新区管委会", "部门"],
            vec!["新区管委会", "", "园区"],
        ]);
        let p = parse_sheet(ImportKind::Units, &s).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert!(p.defines.contains(&(RefKind::Unit, "新区管委会".to_string())));
    }
}
