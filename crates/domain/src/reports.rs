//! The four reports of the cadence (周例会简报 / 月度分析 / 两月督查清单 / 季度督评), as pure
//! models built from plain inputs. A model is a document: title, period, headline paragraphs,
//! sections with paragraphs, tables and charts, and the key figures a later issue is compared
//! on. The store gathers the inputs; `crates/report` renders a model as PDF and .docx; the
//! web shows it as HTML. A model serialises to JSON and back, so an issued (frozen) report is
//! re-rendered exactly from what was stored.

use crate::figures::{
    CategoryLanding, InvestmentCompletion, NodeOnTime, Pct1, ProblemResolution, YearFigures, investment_completion, node_on_time,
    problem_resolution,
};
use crate::money::Money;
use crate::table::{Cell, ColKind, Column, Table};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a report request is refused (the web turns it into a 400 with this message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("报告类型无效：{0}（可选 weekly、monthly、supervision、quarterly）")]
    Kind(String),
    #[error("报告期无效：{0}（{1}）")]
    Period(String, &'static str),
    #[error("考核权重无效：{0}")]
    Weights(String),
}

/// The four reports of the cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// 周例会简报: new reds, nodes due, problems to coordinate.
    Weekly,
    /// 月度分析: investment vs plan and 序时进度, landing rates, FAI growth, by unit and category.
    Monthly,
    /// 两月督查清单: lagging projects with causes and owners.
    Supervision,
    /// 季度督评: unit scores from the published weights, and the ranking.
    Quarterly,
}

impl ReportKind {
    pub const ALL: [ReportKind; 4] = [
        ReportKind::Weekly,
        ReportKind::Monthly,
        ReportKind::Supervision,
        ReportKind::Quarterly,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Weekly => "weekly",
            ReportKind::Monthly => "monthly",
            ReportKind::Supervision => "supervision",
            ReportKind::Quarterly => "quarterly",
        }
    }
    pub fn parse(s: &str) -> Result<ReportKind, ReportError> {
        ReportKind::ALL
            .into_iter()
            .find(|k| k.code() == s)
            .ok_or_else(|| ReportError::Kind(s.to_string()))
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportKind::Weekly => "重大项目周例会简报",
            ReportKind::Monthly => "重大项目建设月度分析",
            ReportKind::Supervision => "重大项目两月督查清单",
            ReportKind::Quarterly => "重大项目季度督评通报",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            ReportKind::Weekly => "Weekly meeting brief",
            ReportKind::Monthly => "Monthly analysis",
            ReportKind::Supervision => "Bimonthly supervision list",
            ReportKind::Quarterly => "Quarterly evaluation",
        }
    }
    /// The text reports, which also come as .docx.
    pub fn has_docx(self) -> bool {
        !matches!(self, ReportKind::Quarterly)
    }
    /// How a period of this kind is written, e.g. for a form's placeholder.
    pub fn period_example(self) -> &'static str {
        match self {
            ReportKind::Weekly => "2019-W50",
            ReportKind::Monthly => "2019-12",
            ReportKind::Supervision => "2019-B6",
            ReportKind::Quarterly => "2019-Q4",
        }
    }
}

/// A report's period: an ISO week, a month, a two-month span (B1 = Jan–Feb … B6 = Nov–Dec) or
/// a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub kind: ReportKind,
    pub year: i32,
    /// Week 1–53, month 1–12, bimonth 1–6 or quarter 1–4.
    pub number: u32,
}

impl ReportPeriod {
    pub fn parse(kind: ReportKind, s: &str) -> Result<ReportPeriod, ReportError> {
        let hint = match kind {
            ReportKind::Weekly => "周报期应写作 2019-W50",
            ReportKind::Monthly => "月报期应写作 2019-12",
            ReportKind::Supervision => "两月期应写作 2019-B6（11—12月）",
            ReportKind::Quarterly => "季度应写作 2019-Q4",
        };
        let bad = || ReportError::Period(s.to_string(), hint);
        let (y, rest) = s.trim().split_once('-').ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        if !(2000..=2100).contains(&year) || y.len() != 4 {
            return Err(bad());
        }
        let (prefix, max) = match kind {
            ReportKind::Weekly => ("W", 53),
            ReportKind::Monthly => ("", 12),
            ReportKind::Supervision => ("B", 6),
            ReportKind::Quarterly => ("Q", 4),
        };
        let digits = rest.strip_prefix(prefix).ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u32 = digits.parse().map_err(|_| bad())?;
        if number == 0 || number > max {
            return Err(bad());
        }
        if kind == ReportKind::Weekly && NaiveDate::from_isoywd_opt(year, number, chrono::Weekday::Mon).is_none() {
            return Err(bad());
        }
        Ok(ReportPeriod { kind, year, number })
    }

    pub fn code(&self) -> String {
        match self.kind {
            ReportKind::Weekly => format!("{}-W{:02}", self.year, self.number),
            ReportKind::Monthly => format!("{}-{:02}", self.year, self.number),
            ReportKind::Supervision => format!("{}-B{}", self.year, self.number),
            ReportKind::Quarterly => format!("{}-Q{}", self.year, self.number),
        }
    }

    /// The first and last day covered.
    pub fn bounds(&self) -> (NaiveDate, NaiveDate) {
        let ymd = |m: u32| NaiveDate::from_ymd_opt(self.year, m, 1).expect("valid month");
        let month_end = |m: u32| crate::figures::Period::year_to_month(self.year, m).end;
        match self.kind {
            ReportKind::Weekly => {
                let mon = NaiveDate::from_isoywd_opt(self.year, self.number, chrono::Weekday::Mon).expect("checked at parse");
                (mon, mon + chrono::Duration::days(6))
            }
            ReportKind::Monthly => (ymd(self.number), month_end(self.number)),
            ReportKind::Supervision => (ymd(self.number * 2 - 1), month_end(self.number * 2)),
            ReportKind::Quarterly => (ymd(self.number * 3 - 2), month_end(self.number * 3)),
        }
    }

    /// The calendar year whose plan the period is measured against (a week's Sunday decides).
    pub fn plan_year(&self) -> i32 {
        self.bounds().1.year()
    }

    pub fn label_zh(&self) -> String {
        let (s, e) = self.bounds();
        match self.kind {
            ReportKind::Weekly => format!(
                "{}年第{}周（{}月{}日—{}月{}日）",
                self.year,
                self.number,
                s.month(),
                s.day(),
                e.month(),
                e.day()
            ),
            ReportKind::Monthly => format!("{}年{}月", self.year, self.number),
            ReportKind::Supervision => format!("{}年{}—{}月", self.year, s.month(), e.month()),
            ReportKind::Quarterly => format!("{}年第{}季度", self.year, ["一", "二", "三", "四"][self.number as usize - 1]),
        }
    }

    /// The period of the same kind just before this one.
    pub fn previous(&self) -> ReportPeriod {
        match self.kind {
            ReportKind::Weekly => {
                let (s, _) = self.bounds();
                let p = (s - chrono::Duration::days(7)).iso_week();
                ReportPeriod {
                    kind: self.kind,
                    year: p.year(),
                    number: p.week(),
                }
            }
            _ => {
                let max = match self.kind {
                    ReportKind::Monthly => 12,
                    ReportKind::Supervision => 6,
                    _ => 4,
                };
                if self.number == 1 {
                    ReportPeriod {
                        kind: self.kind,
                        year: self.year - 1,
                        number: max,
                    }
                } else {
                    ReportPeriod {
                        number: self.number - 1,
                        ..*self
                    }
                }
            }
        }
    }

    /// The period of this kind that contains `d` (the default a page offers).
    pub fn containing(kind: ReportKind, d: NaiveDate) -> ReportPeriod {
        let (year, number) = match kind {
            ReportKind::Weekly => (d.iso_week().year(), d.iso_week().week()),
            ReportKind::Monthly => (d.year(), d.month()),
            ReportKind::Supervision => (d.year(), d.month().div_ceil(2)),
            ReportKind::Quarterly => (d.year(), d.month().div_ceil(3)),
        };
        ReportPeriod { kind, year, number }
    }
}

impl fmt::Display for ReportPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

// ---------------------------------------------------------------------------------------------
// The document model.

/// A table cell of a report: typed, so the spreadsheet keeps numbers as numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum DocCell {
    Empty,
    Text(String),
    Int(i64),
    /// Integer 元, shown in 万元 with two decimals.
    Money(i64),
    /// Tenths of a percent.
    Pct(i64),
    /// A number with one decimal and no unit (tenths): points, percentage points.
    Tenths(i64),
    Date(NaiveDate),
}

impl DocCell {
    /// The cell as a reader sees it in a document.
    pub fn display(&self) -> String {
        match self {
            DocCell::Empty => "—".into(),
            DocCell::Text(s) => s.clone(),
            DocCell::Int(i) => i.to_string(),
            DocCell::Money(y) => wan2(Money::from_yuan(*y)),
            DocCell::Pct(t) => format!("{}%", Pct1(*t)),
            DocCell::Tenths(t) => Pct1(*t).to_string(),
            DocCell::Date(d) => d.to_string(),
        }
    }
    /// Numbers are right-aligned in every rendering.
    pub fn is_number(&self) -> bool {
        matches!(self, DocCell::Int(_) | DocCell::Money(_) | DocCell::Pct(_) | DocCell::Tenths(_))
    }
}

impl From<&str> for DocCell {
    fn from(s: &str) -> DocCell {
        DocCell::Text(s.into())
    }
}
impl From<String> for DocCell {
    fn from(s: String) -> DocCell {
        DocCell::Text(s)
    }
}
impl From<u32> for DocCell {
    fn from(v: u32) -> DocCell {
        DocCell::Int(v as i64)
    }
}
impl From<i64> for DocCell {
    fn from(v: i64) -> DocCell {
        DocCell::Int(v)
    }
}
impl From<Money> for DocCell {
    fn from(v: Money) -> DocCell {
        DocCell::Money(v.yuan())
    }
}
impl From<Pct1> for DocCell {
    fn from(v: Pct1) -> DocCell {
        DocCell::Pct(v.tenths())
    }
}
impl From<NaiveDate> for DocCell {
    fn from(v: NaiveDate) -> DocCell {
        DocCell::Date(v)
    }
}
impl<T: Into<DocCell>> From<Option<T>> for DocCell {
    fn from(v: Option<T>) -> DocCell {
        v.map(Into::into).unwrap_or(DocCell::Empty)
    }
}

/// A table of a report section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocTable {
    /// The sheet name in the spreadsheet (≤ 31 characters).
    pub sheet: String,
    pub caption: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<DocCell>>,
    /// Rows left out of the document for length (the spreadsheet has them all).
    #[serde(default)]
    pub omitted: u32,
}

impl DocTable {
    pub fn new(sheet: &str, caption: &str, columns: &[&str]) -> DocTable {
        DocTable {
            sheet: sheet.into(),
            caption: caption.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
            omitted: 0,
        }
    }
    pub fn row(&mut self, cells: Vec<DocCell>) {
        debug_assert_eq!(cells.len(), self.columns.len());
        self.rows.push(cells);
    }

    /// The neutral table for the spreadsheet writer; a column's kind comes from its cells.
    pub fn to_table(&self) -> Table {
        let kinds: Vec<ColKind> = (0..self.columns.len())
            .map(|i| {
                self.rows
                    .iter()
                    .map(|r| &r[i])
                    .find(|c| !matches!(c, DocCell::Empty))
                    .map(|c| match c {
                        DocCell::Int(_) => ColKind::Int,
                        DocCell::Money(_) => ColKind::Money,
                        DocCell::Pct(_) => ColKind::Pct,
                        DocCell::Date(_) => ColKind::Date,
                        _ => ColKind::Text,
                    })
                    .unwrap_or(ColKind::Text)
            })
            .collect();
        let mut t = Table::new(
            self.sheet.clone(),
            self.columns.iter().zip(&kinds).map(|(h, k)| Column::new(h.clone(), *k)).collect(),
        );
        t.title = Some(self.caption.clone());
        t.rows = self
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&kinds)
                    .map(|(c, k)| match (c, k) {
                        (DocCell::Empty, _) => Cell::Empty,
                        (DocCell::Int(i), ColKind::Int) => Cell::Int(*i),
                        (DocCell::Money(y), ColKind::Money) => Cell::Money(Money::from_yuan(*y)),
                        (DocCell::Pct(p), ColKind::Pct) => Cell::Pct(Pct1(*p)),
                        (DocCell::Date(d), ColKind::Date) => Cell::Date(*d),
                        (other, _) => Cell::Text(other.display()),
                    })
                    .collect()
            })
            .collect();
        t
    }
}

/// A bar chart: one bar per label and series. Values are tenths (of a percent, or of the unit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chart {
    pub title: String,
    /// What the values are, e.g. "%" or "亿元".
    pub unit: String,
    pub labels: Vec<String>,
    pub series: Vec<Series>,
    /// A reference line (e.g. 序时进度), in tenths.
    pub reference: Option<(String, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub charts: Vec<Chart>,
    pub tables: Vec<DocTable>,
}

impl Section {
    fn new(heading: &str) -> Section {
        Section {
            heading: heading.into(),
            paragraphs: Vec::new(),
            charts: Vec::new(),
            tables: Vec::new(),
        }
    }
}

/// A figure that a later issue of the same kind is compared on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFigure {
    pub key: String,
    pub label: String,
    pub value: String,
}

/// One report, ready to render.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ReportKind,
    pub period: ReportPeriod,
    pub period_code: String,
    pub period_label: String,
    pub title: String,
    /// The issuing office, e.g. 椒江区重大项目建设工作领导小组办公室.
    pub office: String,
    pub district: String,
    /// The issue number (第X期) once issued; drafts have none.
    pub issue_no: Option<u32>,
    /// The date the figures are as of.
    pub as_of: NaiveDate,
    pub summary: Vec<String>,
    pub sections: Vec<Section>,
    pub key_figures: Vec<KeyFigure>,
}

impl Report {
    /// The document-number-like line under the title.
    pub fn doc_number(&self) -> String {
        match self.issue_no {
            Some(n) => format!("{} · {}年第{}期", self.office, self.period.plan_year(), n),
            None => format!("{} · {}（草稿，未签发）", self.office, self.period.plan_year()),
        }
    }
    /// Every table, for the spreadsheet.
    pub fn tables(&self) -> Vec<Table> {
        let mut key = DocTable::new(
            "主要指标",
            &format!("{} {}主要指标", self.title, self.period_label),
            &["指标", "数值"],
        );
        for k in &self.key_figures {
            key.row(vec![k.label.clone().into(), k.value.clone().into()]);
        }
        std::iter::once(key.to_table())
            .chain(self.sections.iter().flat_map(|s| s.tables.iter().map(DocTable::to_table)))
            .collect()
    }
    /// A file name for a download, e.g. `重大项目建设月度分析-2019-12.pdf`.
    pub fn file_name(&self, ext: &str) -> String {
        format!("{}-{}.{ext}", self.kind.label_zh(), self.period_code)
    }
}

/// Key figures of two issues side by side (the later issue first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FigureChange {
    pub key: String,
    pub label: String,
    pub current: Option<String>,
    pub previous: Option<String>,
    pub changed: bool,
}

pub fn compare(current: &Report, previous: Option<&Report>) -> Vec<FigureChange> {
    let mut out: Vec<FigureChange> = current
        .key_figures
        .iter()
        .map(|k| {
            let prev = previous
                .and_then(|p| p.key_figures.iter().find(|q| q.key == k.key))
                .map(|q| q.value.clone());
            FigureChange {
                key: k.key.clone(),
                label: k.label.clone(),
                changed: prev.as_deref() != Some(k.value.as_str()),
                current: Some(k.value.clone()),
                previous: prev,
            }
        })
        .collect();
    if let Some(p) = previous {
        for q in &p.key_figures {
            if !current.key_figures.iter().any(|k| k.key == q.key) {
                out.push(FigureChange {
                    key: q.key.clone(),
                    label: q.label.clone(),
                    current: None,
                    previous: Some(q.value.clone()),
                    changed: true,
                });
            }
        }
    }
    out
}

/// Money in 万元 with two decimals and thousands separators, without the unit.
pub fn wan2(m: Money) -> String {
    m.display_wan().trim_end_matches("万元").to_string()
}

fn pct_text(p: Option<Pct1>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// "超过/低于序时进度X个百分点".
fn vs_time_progress(points: Option<Pct1>) -> String {
    match points {
        Some(p) if p.0 >= 0 => format!("超过序时进度{}个百分点", p),
        Some(p) => format!("低于序时进度{}个百分点", Pct1(-p.0)),
        None => "暂无年度计划".into(),
    }
}

fn key(k: &str, label: &str, value: String) -> KeyFigure {
    KeyFigure {
        key: k.into(),
        label: label.into(),
        value,
    }
}

/// Long lists are cut in the document (the spreadsheet keeps every row).
pub const MAX_DOC_ROWS: usize = 40;

fn cap_rows(t: &mut DocTable, all: Vec<Vec<DocCell>>) {
    let n = all.len();
    t.rows = all.into_iter().take(MAX_DOC_ROWS).collect();
    t.omitted = n.saturating_sub(MAX_DOC_ROWS) as u32;
}

/// What every report states about where it comes from.
#[derive(Debug, Clone)]
pub struct Header {
    pub district: String,
    pub office: String,
    pub as_of: NaiveDate,
}

fn report(kind: ReportKind, period: ReportPeriod, h: &Header) -> Report {
    Report {
        kind,
        period,
        period_code: period.code(),
        period_label: period.label_zh(),
        title: format!("{}{}", h.district, kind.label_zh()),
        office: h.office.clone(),
        district: h.district.clone(),
        issue_no: None,
        as_of: h.as_of,
        summary: Vec::new(),
        sections: Vec::new(),
        key_figures: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// 周例会简报

/// A project with a red light.
#[derive(Debug, Clone)]
pub struct RedProject {
    pub project: String,
    pub unit: String,
    pub leader: String,
    /// The reasons behind the light, worst first.
    pub reasons: Vec<String>,
    /// Turned red this week (a node fell overdue in the week).
    pub new_this_week: bool,
}

/// A node of the week's agenda.
#[derive(Debug, Clone)]
pub struct NodeDue {
    pub project: String,
    pub node: String,
    pub unit: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    /// `closed`, `reported` (awaiting verification) or `open`.
    pub status: String,
}

/// An open problem to coordinate.
#[derive(Debug, Clone)]
pub struct OpenProblem {
    pub category: String,
    pub description: String,
    pub project: String,
    pub unit: String,
    pub raised_on: NaiveDate,
    pub deadline: NaiveDate,
    pub escalation_level: i64,
}

#[derive(Debug, Clone)]
pub struct WeeklyInputs {
    pub reds: Vec<RedProject>,
    /// Nodes planned in the week.
    pub due_this_week: Vec<NodeDue>,
    /// Nodes planned in the next seven days.
    pub due_next_week: Vec<NodeDue>,
    pub open_problems: Vec<OpenProblem>,
    pub problems_raised_in_week: u32,
    pub problems_closed_in_week: u32,
    pub progress_reports_in_week: u32,
    /// Supervision rounds and batches held in the week: (date, name).
    pub events: Vec<(NaiveDate, String)>,
}

fn node_status_zh(s: &str) -> &'static str {
    match s {
        "closed" => "已销号",
        "reported" => "待核验",
        _ => "未完成",
    }
}

pub fn weekly(period: ReportPeriod, h: &Header, i: &WeeklyInputs) -> Report {
    let mut r = report(ReportKind::Weekly, period, h);
    let (_, end) = period.bounds();
    let new_reds = i.reds.iter().filter(|x| x.new_this_week).count();
    let closed = i.due_this_week.iter().filter(|n| n.status == "closed").count();
    let overdue_problems = i.open_problems.iter().filter(|p| p.deadline < end).count();
    r.summary.push(format!(
        "本周（{}）全区重大项目亮红灯{}个，其中本周新增{}个；本周计划节点{}个，已销号{}个，下周到期节点{}个；\
         待协调问题{}个（其中超期{}个），本周新提出问题{}个、销号{}个；本周收到项目进展填报{}份。",
        r.period_label,
        i.reds.len(),
        new_reds,
        i.due_this_week.len(),
        closed,
        i.due_next_week.len(),
        i.open_problems.len(),
        overdue_problems,
        i.problems_raised_in_week,
        i.problems_closed_in_week,
        i.progress_reports_in_week
    ));
    r.key_figures = vec![
        key("reds", "红灯项目（个）", i.reds.len().to_string()),
        key("new_reds", "本周新增红灯（个）", new_reds.to_string()),
        key("nodes_due", "本周计划节点（个）", i.due_this_week.len().to_string()),
        key("nodes_closed", "本周已销号节点（个）", closed.to_string()),
        key("nodes_next", "下周到期节点（个）", i.due_next_week.len().to_string()),
        key("open_problems", "待协调问题（个）", i.open_problems.len().to_string()),
        key("overdue_problems", "超期未解决问题（个）", overdue_problems.to_string()),
    ];

    let mut s = Section::new("一、红灯项目");
    let mut reds: Vec<&RedProject> = i.reds.iter().collect();
    reds.sort_by_key(|x| !x.new_this_week);
    if reds.is_empty() {
        s.paragraphs.push("本周无亮红灯项目。".into());
    } else {
        s.paragraphs.push(format!(
            "亮红灯项目{}个，其中本周新增{}个（标“新增”），请责任单位和包干领导逐项明确破难措施和完成时限。",
            reds.len(),
            new_reds
        ));
    }
    let mut t = DocTable::new(
        "红灯项目",
        "红灯项目清单",
        &["序号", "项目名称", "责任单位", "包干领导", "亮灯原因", "状态"],
    );
    let rows = reds
        .iter()
        .enumerate()
        .map(|(n, x)| {
            vec![
                ((n + 1) as i64).into(),
                x.project.clone().into(),
                x.unit.clone().into(),
                x.leader.clone().into(),
                x.reasons.first().cloned().unwrap_or_default().into(),
                if x.new_this_week { "新增" } else { "持续" }.into(),
            ]
        })
        .collect();
    cap_rows(&mut t, rows);
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new("二、节点推进");
    s.paragraphs.push(format!(
        "本周计划完成节点{}个，已销号{}个、待核验{}个、未完成{}个；下周（{}起）到期节点{}个，请责任单位提前准备佐证材料。",
        i.due_this_week.len(),
        closed,
        i.due_this_week.iter().filter(|n| n.status == "reported").count(),
        i.due_this_week
            .iter()
            .filter(|n| n.status != "closed" && n.status != "reported")
            .count(),
        (end + chrono::Duration::days(1)).format("%-m月%-d日"),
        i.due_next_week.len()
    ));
    for (sheet, caption, list) in [
        ("本周节点", "本周计划节点", &i.due_this_week),
        ("下周节点", "下周到期节点", &i.due_next_week),
    ] {
        let mut t = DocTable::new(
            sheet,
            caption,
            &["序号", "项目名称", "节点", "责任单位", "计划日期", "完成日期", "状态"],
        );
        let rows = list
            .iter()
            .enumerate()
            .map(|(n, x)| {
                vec![
                    ((n + 1) as i64).into(),
                    x.project.clone().into(),
                    x.node.clone().into(),
                    x.unit.clone().into(),
                    x.planned_on.into(),
                    x.actual_on.into(),
                    node_status_zh(&x.status).into(),
                ]
            })
            .collect();
        cap_rows(&mut t, rows);
        s.tables.push(t);
    }
    r.sections.push(s);

    let mut s = Section::new("三、需协调解决的问题");
    s.paragraphs.push(format!(
        "问题清单中尚未销号的问题{}个，其中已过办结时限{}个、已提级协调{}个。按问题清单“提出—交办—办结—销号”闭环推进，超期问题提请本次例会协调。",
        i.open_problems.len(),
        overdue_problems,
        i.open_problems.iter().filter(|p| p.escalation_level > 0).count()
    ));
    let mut probs: Vec<&OpenProblem> = i.open_problems.iter().collect();
    probs.sort_by(|a, b| b.escalation_level.cmp(&a.escalation_level).then(a.deadline.cmp(&b.deadline)));
    let mut t = DocTable::new(
        "待协调问题",
        "待协调问题清单",
        &[
            "序号",
            "类别",
            "问题描述",
            "所属项目",
            "责任单位",
            "提出日期",
            "办结时限",
            "超期天数",
        ],
    );
    let rows = probs
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let late = (end - p.deadline).num_days();
            vec![
                ((n + 1) as i64).into(),
                p.category.clone().into(),
                p.description.clone().into(),
                p.project.clone().into(),
                p.unit.clone().into(),
                p.raised_on.into(),
                p.deadline.into(),
                if late > 0 { DocCell::Int(late) } else { DocCell::Empty },
            ]
        })
        .collect();
    cap_rows(&mut t, rows);
    s.tables.push(t);
    r.sections.push(s);

    if !i.events.is_empty() {
        let mut s = Section::new("四、本周重要活动");
        for (d, name) in &i.events {
            s.paragraphs.push(format!("{}：{}。", d.format("%-m月%-d日"), name));
        }
        r.sections.push(s);
    }
    r
}

// ---------------------------------------------------------------------------------------------
// 月度分析

/// Investment of a group of projects (a unit, a category): the year's plan and the year to date.
#[derive(Debug, Clone)]
pub struct GroupInvestment {
    pub name: String,
    pub projects: u32,
    pub planned: Money,
    pub completed: Money,
}

#[derive(Debug, Clone)]
pub struct MonthlyInputs {
    /// The headline figures of the year as of the month's end.
    pub year: YearFigures,
    pub by_unit: Vec<GroupInvestment>,
    pub by_category: Vec<GroupInvestment>,
    /// Investment completed in each month 1..=M (the whole district).
    pub monthly_completed: Vec<Money>,
    /// (planned, actual) starts of projects planned to start in the year.
    pub starts_planned: u32,
    pub starts_done: u32,
    /// 招商引资: the whole funnel and each attraction team's (as of the report date).
    pub attraction: crate::leads::FunnelRow,
    pub attraction_by_team: Vec<crate::leads::FunnelRow>,
}

fn group_completion(g: &GroupInvestment, month: u32) -> InvestmentCompletion {
    investment_completion(g.completed, g.planned, month)
}

pub fn monthly(period: ReportPeriod, h: &Header, i: &MonthlyInputs) -> Report {
    let mut r = report(ReportKind::Monthly, period, h);
    let month = period.number;
    let y = &i.year;
    let inv = &y.investment;
    let start_rate = Pct1::ratio(i.starts_done as i128, i.starts_planned as i128);
    r.summary.push(format!(
        "1—{}月，全区重大项目累计完成投资{}，占年度投资计划{}的{}，{}。本年度计划开工项目{}个，实际已开工{}个，开工率{}。",
        month,
        inv.completed_wan.0.display_auto(),
        inv.planned_wan.0.display_auto(),
        pct_text(inv.rate_pct),
        vs_time_progress(inv.points_vs_time_progress),
        i.starts_planned,
        i.starts_done,
        pct_text(start_rate),
    ));
    if let (Some(g), Some(m)) = (y.fai_growth_pct, y.fai_month) {
        let prov = match (y.fai_province_growth_pct, y.fai_points_vs_province) {
            (Some(p), Some(d)) if d.0 >= 0 => format!("，高于全省平均增速（{}%）{}个百分点", p, d),
            (Some(p), Some(d)) => format!("，低于全省平均增速（{}%）{}个百分点", p, Pct1(-d.0)),
            _ => String::new(),
        };
        r.summary
            .push(format!("据统计部门快报，1—{}月全区固定资产投资同比增长{}%{}。", m, g, prov));
    }
    r.key_figures = vec![
        key("completed", "累计完成投资（万元）", wan2(inv.completed_wan.0)),
        key("planned", "年度计划投资（万元）", wan2(inv.planned_wan.0)),
        key("completion_rate", "年度投资完成率", pct_text(inv.rate_pct)),
        key("time_progress", "序时进度", format!("{}%", inv.time_progress_pct)),
        key("start_rate", "开工率", pct_text(start_rate)),
        key("fai_growth", "固定资产投资增速", pct_text(y.fai_growth_pct)),
        key("fai_province", "全省平均增速", pct_text(y.fai_province_growth_pct)),
    ];
    for l in y.landing.iter() {
        r.key_figures.push(key(
            &format!("landing:{}", l.code),
            &format!("{}落地率", l.category),
            pct_text(l.landing.rate_pct),
        ));
    }
    r.key_figures
        .push(key("node_on_time", "节点按时完成率", pct_text(y.node_on_time_rate_pct)));
    r.key_figures
        .push(key("problem_resolution", "问题解决率", pct_text(y.problems.rate_pct)));

    // 一、投资完成
    let mut s = Section::new("一、投资完成情况");
    s.paragraphs.push(format!(
        "年度计划投资{}，1—{}月累计完成{}，完成率{}，序时进度{}%，{}。",
        inv.planned_wan.0.display_auto(),
        month,
        inv.completed_wan.0.display_auto(),
        pct_text(inv.rate_pct),
        inv.time_progress_pct,
        vs_time_progress(inv.points_vs_time_progress)
    ));
    let mut cum = Money::ZERO;
    let mut t = DocTable::new(
        "逐月投资",
        "逐月完成投资",
        &["月份", "当月完成（万元）", "累计完成（万元）", "累计完成率"],
    );
    let mut cum_series = Vec::new();
    for (n, m) in i.monthly_completed.iter().enumerate() {
        cum = cum + *m;
        let rate = Pct1::ratio(cum.yuan() as i128, inv.planned_wan.0.yuan() as i128);
        cum_series.push(rate.map(|p| p.0).unwrap_or(0));
        t.row(vec![format!("{}月", n + 1).into(), (*m).into(), cum.into(), rate.into()]);
    }
    s.charts.push(Chart {
        title: "累计投资完成率与序时进度".into(),
        unit: "%".into(),
        labels: (1..=i.monthly_completed.len()).map(|m| format!("{m}月")).collect(),
        series: vec![
            Series {
                name: "累计完成率".into(),
                values: cum_series,
            },
            Series {
                name: "序时进度".into(),
                values: (1..=i.monthly_completed.len() as u32)
                    .map(|m| crate::figures::time_progress(m).0)
                    .collect(),
            },
        ],
        reference: None,
    });
    s.tables.push(t);
    r.sections.push(s);

    // 二、分单位 / 三、分类别
    for (heading, sheet, first, caption, groups) in [
        ("二、分责任单位推进情况", "分单位", "责任单位", "分责任单位投资完成情况", &i.by_unit),
        ("三、分类别推进情况", "分类别", "项目类别", "分类别投资完成情况", &i.by_category),
    ] {
        let mut s = Section::new(heading);
        let total_rate = inv.rate_pct;
        let mut behind: Vec<String> = Vec::new();
        let mut t = DocTable::new(
            sheet,
            caption,
            &[
                first,
                "项目数",
                "年度计划（万元）",
                "累计完成（万元）",
                "完成率",
                "与序时进度比（百分点）",
                "与全区比（百分点）",
            ],
        );
        let mut chart = Chart {
            title: format!("{}年度投资完成率", sheet.trim_start_matches('分')),
            unit: "%".into(),
            labels: Vec::new(),
            series: vec![Series {
                name: "完成率".into(),
                values: Vec::new(),
            }],
            reference: Some(("序时进度".into(), inv.time_progress_pct.0)),
        };
        for g in groups.iter() {
            let c = group_completion(g, month);
            let vs_all = c.rate_pct.zip(total_rate).map(|(a, b)| Pct1(a.0 - b.0));
            if c.points_vs_time_progress.is_some_and(|p| p.0 < 0) {
                behind.push(format!("{}（{}）", g.name, pct_text(c.rate_pct)));
            }
            if let Some(rate) = c.rate_pct {
                chart.labels.push(g.name.clone());
                chart.series[0].values.push(rate.0);
            }
            t.row(vec![
                g.name.clone().into(),
                g.projects.into(),
                g.planned.into(),
                g.completed.into(),
                c.rate_pct.into(),
                c.points_vs_time_progress.map(|p| DocCell::Tenths(p.0)).into(),
                vs_all.map(|p| DocCell::Tenths(p.0)).into(),
            ]);
        }
        s.paragraphs.push(if behind.is_empty() {
            format!("各{}年度投资完成率均达到序时进度。", first)
        } else {
            format!("低于序时进度的{}{}个：{}。", first, behind.len(), behind.join("、"))
        });
        if !chart.labels.is_empty() {
            s.charts.push(chart);
        }
        s.tables.push(t);
        r.sections.push(s);
    }

    // 四、落地率
    let mut s = Section::new("四、重点类别项目落地情况");
    let tracked: Vec<&CategoryLanding> = y.landing.iter().collect();
    let sentences: Vec<String> = tracked
        .iter()
        .map(|l| {
            let met = match l.landing.target_met {
                Some(true) => "，达到目标",
                Some(false) => "，未达目标",
                None => "",
            };
            format!(
                "{}谋划盯引{}个、已落地{}个，落地率{}（目标{}）{}",
                l.category,
                l.landing.targeted,
                l.landing.landed,
                pct_text(l.landing.rate_pct),
                pct_text(l.landing.target_pct),
                met
            )
        })
        .collect();
    s.paragraphs.push(if sentences.is_empty() {
        "本年度无盯引落地类别。".into()
    } else {
        format!("{}。", sentences.join("；"))
    });
    let mut t = DocTable::new(
        "落地率",
        "重点类别项目落地率",
        &["类别", "谋划盯引（个）", "已落地（个）", "落地率", "目标落地率", "是否达标"],
    );
    for l in &tracked {
        t.row(vec![
            l.category.clone().into(),
            l.landing.targeted.into(),
            l.landing.landed.into(),
            l.landing.rate_pct.into(),
            l.landing.target_pct.into(),
            match l.landing.target_met {
                Some(true) => "达标",
                Some(false) => "未达标",
                None => "—",
            }
            .into(),
        ]);
    }
    s.charts.push(Chart {
        title: "重点类别落地率".into(),
        unit: "%".into(),
        labels: tracked.iter().map(|l| l.category.clone()).collect(),
        series: vec![
            Series {
                name: "落地率".into(),
                values: tracked.iter().map(|l| l.landing.rate_pct.map(|p| p.0).unwrap_or(0)).collect(),
            },
            Series {
                name: "目标".into(),
                values: tracked.iter().map(|l| l.landing.target_pct.map(|p| p.0).unwrap_or(0)).collect(),
            },
        ],
        reference: None,
    });
    s.tables.push(t);
    r.sections.push(s);

    // 五、固定资产投资
    let mut s = Section::new("五、固定资产投资增长");
    s.paragraphs.push(match (y.fai_growth_pct, y.fai_month) {
        (Some(g), Some(m)) => format!(
            "1—{}月全区固定资产投资累计{}，同比增长{}%；全省平均增长{}，全区{}。",
            m,
            y.fai_cumulative_wan.map(|w| w.0.display_auto()).unwrap_or_else(|| "—".into()),
            g,
            pct_text(y.fai_province_growth_pct),
            match y.fai_points_vs_province {
                Some(d) if d.0 >= 0 => format!("高于全省{}个百分点", d),
                Some(d) => format!("低于全省{}个百分点", Pct1(-d.0)),
                None => "暂无全省对比".into(),
            }
        ),
        _ => "统计部门本期固定资产投资数据尚未发布。".into(),
    });
    if let (Some(g), Some(p)) = (y.fai_growth_pct, y.fai_province_growth_pct) {
        s.charts.push(Chart {
            title: "固定资产投资增速".into(),
            unit: "%".into(),
            labels: vec![format!("{}全区", h.district), "全省平均".into()],
            series: vec![Series {
                name: "同比增速".into(),
                values: vec![g.0, p.0],
            }],
            reference: None,
        });
    }
    r.sections.push(s);

    // 六、节点、问题、集中开工、攻坚行动
    let mut s = Section::new("六、节点推进、问题解决与专项行动");
    let n: &NodeOnTime = &y.node_on_time;
    let p: &ProblemResolution = &y.problems;
    s.paragraphs.push(format!(
        "节点：年内到期节点{}个，按时完成{}个、逾期完成{}个、逾期未完成{}个，节点按时完成率{}。",
        n.due,
        n.on_time,
        n.late_done,
        n.overdue_open,
        pct_text(n.rate_pct)
    ));
    s.paragraphs.push(format!(
        "问题清单：年内提出问题{}个，已销号{}个，问题解决率{}，平均办结{}天；走访企业{}家次，开展督查{}轮。",
        p.raised,
        p.closed,
        pct_text(p.rate_pct),
        p.mean_days_to_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        y.enterprise_visits,
        y.supervision_rounds
    ));
    let b = &y.batches;
    s.paragraphs.push(format!(
        "集中开工：年内组织集中开工{}批次，开工项目{}个，总投资{}，年度计划投资{}。",
        b.count,
        b.total.projects,
        b.total.total_investment_wan.0.display_auto(),
        b.total.annual_investment_wan.0.display_auto()
    ));
    let mut t = DocTable::new(
        "集中开工",
        "集中开工批次",
        &["批次", "层级", "日期", "项目数", "总投资（万元）", "年度计划投资（万元）"],
    );
    for it in &b.items {
        t.row(vec![
            it.name.clone().into(),
            level_zh(&it.level).into(),
            it.held_on.into(),
            it.aggregate.projects.into(),
            it.aggregate.total_investment_wan.0.into(),
            it.aggregate.annual_investment_wan.0.into(),
        ]);
    }
    s.tables.push(t);
    if !y.campaigns.is_empty() {
        s.paragraphs.push(format!(
            "攻坚行动：{}。",
            y.campaigns
                .iter()
                .map(|c| format!(
                    "“{}”目标节点{}个、已销号{}个，完成率{}",
                    c.name,
                    c.completion.target_nodes,
                    c.completion.closed_nodes,
                    pct_text(c.completion.rate_pct)
                ))
                .collect::<Vec<_>>()
                .join("；")
        ));
        let mut t = DocTable::new(
            "攻坚行动",
            "攻坚行动进展",
            &["行动", "起始日期", "截止日期", "目标节点", "已销号", "按期销号", "完成率"],
        );
        for c in &y.campaigns {
            t.row(vec![
                c.name.clone().into(),
                c.starts_on.into(),
                c.ends_on.into(),
                c.completion.target_nodes.into(),
                c.completion.closed_nodes.into(),
                c.completion.closed_in_time.into(),
                c.completion.rate_pct.into(),
            ]);
        }
        s.tables.push(t);
    }
    r.key_figures.push(key("batches", "集中开工批次", b.count.to_string()));
    r.key_figures
        .push(key("batch_projects", "集中开工项目（个）", b.total.projects.to_string()));
    r.sections.push(s);

    let mut s = Section::new("七、招商引资与用地保障");
    let a = &i.attraction;
    s.paragraphs.push(format!(
        "招商引资：在谈、签约、落地项目共{}个，其中洽谈{}个、签约{}个、落地{}个，签约金额{}，签约率{}，签约项目落地率{}。",
        a.total,
        a.talks,
        a.signed,
        a.landed,
        a.signed_amount.display_auto(),
        pct_text(a.signing_rate),
        pct_text(a.landing_rate)
    ));
    let mut t = DocTable::new(
        "招商引资",
        "招商团队推进情况",
        &["招商团队", "项目数", "洽谈", "签约", "落地", "签约金额（万元）", "落地率"],
    );
    for row in &i.attraction_by_team {
        t.row(vec![
            row.group.clone().into(),
            row.total.into(),
            row.talks.into(),
            row.signed.into(),
            row.landed.into(),
            row.signed_amount.into(),
            pct_text(row.landing_rate).into(),
        ]);
    }
    s.tables.push(t);
    let q = &y.land_quota;
    s.paragraphs.push(format!(
        "用地指标：年内上级下达{}亩，已分配至项目{}亩，结余{}亩。",
        q.granted_mu, q.allocated_mu, q.balance_mu
    ));
    r.sections.push(s);
    r
}

fn level_zh(level: &str) -> &str {
    match level {
        "province" => "省级",
        "city" => "市级",
        "district" => "区级",
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// 两月督查清单

#[derive(Debug, Clone)]
pub struct LaggingProject {
    pub project: String,
    pub unit: String,
    pub leader: String,
    pub light: Option<String>,
    pub reasons: Vec<String>,
    pub planned: Money,
    pub completed: Money,
    /// What the period's supervision rounds found on site.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SupervisionRoundInput {
    pub name: String,
    pub leader: String,
    pub held_on: NaiveDate,
    pub targets: u32,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct SupervisionInputs {
    /// Active projects with a red light or investment behind 序时进度.
    pub lagging: Vec<LaggingProject>,
    /// Active projects considered.
    pub active_projects: u32,
    pub rounds: Vec<SupervisionRoundInput>,
}

/// A project belongs on the supervision list when its light is red or its year's investment
/// is behind 序时进度 at `month`'s end.
pub fn is_lagging(light: Option<&str>, planned: Money, completed: Money, month: u32) -> bool {
    light == Some("red")
        || investment_completion(completed, planned, month)
            .points_vs_time_progress
            .is_some_and(|p| p.0 < 0)
}

pub fn supervision(period: ReportPeriod, h: &Header, i: &SupervisionInputs) -> Report {
    let mut r = report(ReportKind::Supervision, period, h);
    let month = period.bounds().1.month();
    let tp = crate::figures::time_progress(month);
    let reds = i.lagging.iter().filter(|l| l.light.as_deref() == Some("red")).count();
    let slow = i
        .lagging
        .iter()
        .filter(|l| {
            investment_completion(l.completed, l.planned, month)
                .points_vs_time_progress
                .is_some_and(|p| p.0 < 0)
        })
        .count();
    r.summary.push(format!(
        "{}，全区{}个在建及前期重大项目中，列入督查清单的滞后项目{}个：亮红灯{}个，年度投资低于序时进度（{}%）{}个。\
         本期开展督查{}轮。请各责任单位和包干领导对照清单逐项销号。",
        r.period_label,
        i.active_projects,
        i.lagging.len(),
        reds,
        tp,
        slow,
        i.rounds.len()
    ));
    r.key_figures = vec![
        key("lagging", "滞后项目（个）", i.lagging.len().to_string()),
        key("red", "亮红灯（个）", reds.to_string()),
        key("slow", "低于序时进度（个）", slow.to_string()),
        key("rounds", "督查轮次", i.rounds.len().to_string()),
    ];

    let mut s = Section::new("一、督查开展情况");
    if i.rounds.is_empty() {
        s.paragraphs.push("本期未开展督查。".into());
    }
    for rd in &i.rounds {
        s.paragraphs.push(format!(
            "{}，{}带队开展“{}”，督查项目{}个。{}",
            rd.held_on.format("%-m月%-d日"),
            rd.leader,
            rd.name,
            rd.targets,
            rd.summary
        ));
    }
    r.sections.push(s);

    let mut s = Section::new("二、滞后项目清单");
    s.paragraphs
        .push("以下项目亮红灯或年度投资完成率低于序时进度，列明滞后原因、责任单位和包干领导，逐项督办。".into());
    let mut t = DocTable::new(
        "滞后项目",
        "滞后项目督查清单",
        &[
            "序号",
            "项目名称",
            "责任单位",
            "包干领导",
            "亮灯",
            "年度计划（万元）",
            "完成率",
            "滞后原因",
            "督查发现",
        ],
    );
    let rows = i
        .lagging
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let c = investment_completion(l.completed, l.planned, month);
            vec![
                ((n + 1) as i64).into(),
                l.project.clone().into(),
                l.unit.clone().into(),
                l.leader.clone().into(),
                match l.light.as_deref() {
                    Some("red") => "红",
                    Some("yellow") => "黄",
                    Some("green") => "绿",
                    _ => "—",
                }
                .into(),
                l.planned.into(),
                c.rate_pct.into(),
                l.reasons
                    .iter()
                    .filter(|r| !r.starts_with("绿灯"))
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("；")
                    .into(),
                l.findings.join("；").into(),
            ]
        })
        .collect();
    cap_rows(&mut t, rows);
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new("三、下步工作要求");
    s.paragraphs.push(
        "各责任单位要对照清单逐项分析原因、明确措施和时限，包干领导牵头协调解决要素保障和审批难题；\
         区重大项目办将在下一轮督查中逐项复核，未按期整改的纳入季度督评扣分。"
            .into(),
    );
    r.sections.push(s);
    r
}

// ---------------------------------------------------------------------------------------------
// 季度督评

/// The published weights of the quarterly evaluation, in points out of 100. Defaults follow
/// PRACTICE.md §4.5: the 2020 city key-project score sheet gives 计划完成 40 and 项目开工 25 of
/// 100 with 管理服务 15, and the NDRC incentive weighs starts and execution 60 %; here
/// investment completion 30, node on-time rate 25, landing rate 20, problem resolution 15,
/// reporting timeliness 10. When a monthly progress report is due is not a weight: it is the
/// grace of the rule set's 填报 rule (`deadlines::ReportingDeadlines`), so the lights, the
/// late-submission list and the evaluation agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationWeights {
    pub on_time: u32,
    pub investment: u32,
    pub landing: u32,
    pub problems: u32,
    pub timeliness: u32,
}

impl Default for EvaluationWeights {
    fn default() -> Self {
        EvaluationWeights {
            on_time: 25,
            investment: 30,
            landing: 20,
            problems: 15,
            timeliness: 10,
        }
    }
}

impl EvaluationWeights {
    pub fn validate(&self) -> Result<(), ReportError> {
        let sum = self.on_time + self.investment + self.landing + self.problems + self.timeliness;
        if sum != 100 {
            return Err(ReportError::Weights(format!("五项权重之和应为100，现为{sum}")));
        }
        Ok(())
    }
    fn pairs(&self) -> [(u32, &'static str); 5] {
        [
            (self.on_time, "节点按时完成率"),
            (self.investment, "投资完成度"),
            (self.landing, "项目落地率"),
            (self.problems, "问题解决率"),
            (self.timeliness, "填报及时率"),
        ]
    }
}

/// One unit's raw measures for the quarter.
#[derive(Debug, Clone)]
pub struct UnitMeasures {
    pub unit: String,
    /// (planned date, actual completion) of the unit's nodes.
    pub nodes: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub planned: Money,
    pub completed: Money,
    pub landing_targeted: u32,
    pub landing_landed: u32,
    /// (raised, closed) of the unit's problems.
    pub problems: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub reports_expected: u32,
    pub reports_on_time: u32,
}

/// One unit's row of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitScore {
    pub unit: String,
    /// The five normalised measures (0–100, tenths), in the weights' order; `None` = not
    /// applicable (its weight is shared out over the others).
    pub measures: [Option<i64>; 5],
    /// Score out of 100, tenths.
    pub score: i64,
    pub rank: u32,
}

/// Scores every unit: each measure is a rate capped at 100 % (investment as completion ÷
/// 序时进度), the score the weighted mean of the applicable measures; ranks share ties
/// (1, 2, 2, 4).
pub fn score_units(period: ReportPeriod, w: &EvaluationWeights, units: &[UnitMeasures]) -> Vec<UnitScore> {
    let (start, end) = period.bounds();
    let ytd = crate::figures::Period {
        start: NaiveDate::from_ymd_opt(end.year(), 1, 1).expect("valid"),
        end,
    };
    let quarter = crate::figures::Period { start, end };
    let cap = |p: Option<Pct1>| p.map(|p| p.0.clamp(0, 1000));
    let mut out: Vec<UnitScore> = units
        .iter()
        .map(|u| {
            let on_time = node_on_time(quarter, &u.nodes).rate_pct;
            let inv = investment_completion(u.completed, u.planned, end.month());
            let inv_norm = inv.rate_pct.and_then(|r| Pct1::ratio(r.0 as i128, inv.time_progress_pct.0 as i128));
            let landing = Pct1::ratio(u.landing_landed as i128, u.landing_targeted as i128);
            let problems = problem_resolution(ytd, &u.problems).rate_pct;
            let timely = Pct1::ratio(u.reports_on_time as i128, u.reports_expected as i128);
            let measures = [cap(on_time), cap(inv_norm), cap(landing), cap(problems), cap(timely)];
            let (mut num, mut den) = (0i128, 0i128);
            for (m, (weight, _)) in measures.iter().zip(w.pairs()) {
                if let Some(m) = m {
                    num += *m as i128 * weight as i128;
                    den += weight as i128;
                }
            }
            let score = if den == 0 {
                0
            } else {
                Pct1::ratio(num, den * 1000).map(|p| p.0).unwrap_or(0)
            };
            UnitScore {
                unit: u.unit.clone(),
                measures,
                score,
                rank: 0,
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.unit.cmp(&b.unit)));
    for i in 0..out.len() {
        out[i].rank = if i > 0 && out[i].score == out[i - 1].score {
            out[i - 1].rank
        } else {
            i as u32 + 1
        };
    }
    out
}

#[derive(Debug, Clone)]
pub struct QuarterlyInputs {
    pub weights: EvaluationWeights,
    /// The published version of the weights.
    pub weights_version: u32,
    /// The monthly report deadline in words, e.g. `期末后5个工作日内`.
    pub report_deadline: String,
    pub units: Vec<UnitMeasures>,
}

pub fn quarterly(period: ReportPeriod, h: &Header, i: &QuarterlyInputs) -> Report {
    let mut r = report(ReportKind::Quarterly, period, h);
    let scores = score_units(period, &i.weights, &i.units);
    let w = &i.weights;
    let top: Vec<String> = scores
        .iter()
        .filter(|s| s.rank <= 3)
        .map(|s| format!("{}（{}分）", s.unit, Pct1(s.score)))
        .collect();
    let bottom: Vec<String> = scores
        .iter()
        .rev()
        .take(2)
        .map(|s| format!("{}（{}分）", s.unit, Pct1(s.score)))
        .collect();
    r.summary.push(format!(
        "按第{}版考核权重（节点按时完成率{}分、投资完成度{}分、项目落地率{}分、问题解决率{}分、填报及时率{}分），对{}个责任单位{}重大项目推进情况进行督评。\
         排名前列的是：{}；排名靠后的是：{}。",
        i.weights_version,
        w.on_time,
        w.investment,
        w.landing,
        w.problems,
        w.timeliness,
        scores.len(),
        r.period_label,
        if top.is_empty() { "—".into() } else { top.join("、") },
        if bottom.is_empty() { "—".into() } else { bottom.join("、") },
    ));
    r.key_figures = vec![
        key("units", "参评单位（个）", scores.len().to_string()),
        key("weights_version", "权重版本", i.weights_version.to_string()),
    ];
    for s in &scores {
        r.key_figures.push(key(
            &format!("score:{}", s.unit),
            &format!("{}得分（第{}名）", s.unit, s.rank),
            Pct1(s.score).to_string(),
        ));
    }

    let mut s = Section::new("一、考核办法");
    s.paragraphs.push(format!(
        "五项指标均折算为百分制：节点按时完成率为本季度到期节点中按时销号的比例；投资完成度为年度投资完成率除以序时进度（最高100%）；\
         项目落地率为本年度盯引项目中已落地的比例；问题解决率为年内提出问题的销号比例；填报及时率为按时（{}）提交的项目月度进展填报比例。\
         单位无某项考核对象的，该项权重按比例分摊至其余各项。得分相同的并列同一名次。",
        i.report_deadline
    ));
    let mut t = DocTable::new("考核权重", "考核指标与权重", &["指标", "权重（分）"]);
    for (weight, name) in w.pairs() {
        t.row(vec![name.into(), weight.into()]);
    }
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new("二、督评结果");
    let mut t = DocTable::new(
        "督评排名",
        "责任单位督评得分及排名",
        &[
            "名次",
            "责任单位",
            "节点按时完成率",
            "投资完成度",
            "项目落地率",
            "问题解决率",
            "填报及时率",
            "综合得分",
        ],
    );
    for sc in &scores {
        let mut row: Vec<DocCell> = vec![sc.rank.into(), sc.unit.clone().into()];
        row.extend(sc.measures.iter().map(|m| DocCell::from(m.map(Pct1))));
        row.push(DocCell::Tenths(sc.score));
        t.row(row);
    }
    s.charts.push(Chart {
        title: "责任单位综合得分".into(),
        unit: "分".into(),
        labels: scores.iter().map(|s| s.unit.clone()).collect(),
        series: vec![Series {
            name: "综合得分".into(),
            values: scores.iter().map(|s| s.score).collect(),
        }],
        reference: None,
    });
    s.tables.push(t);
    r.sections.push(s);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn periods_parse_and_bound() {
        let w = ReportPeriod::parse(ReportKind::Weekly, "2019-W50").unwrap();
        assert_eq!(w.bounds(), (d(2019, 12, 9), d(2019, 12, 15)));
        assert_eq!(w.label_zh(), "2019年第50周（12月9日—12月15日）");
        assert_eq!(w.code(), "2019-W50");
        let m = ReportPeriod::parse(ReportKind::Monthly, "2019-12").unwrap();
        assert_eq!(m.bounds(), (d(2019, 12, 1), d(2019, 12, 31)));
        let b = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
        assert_eq!(b.bounds(), (d(2019, 11, 1), d(2019, 12, 31)));
        assert_eq!(b.label_zh(), "2019年11—12月");
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        assert_eq!(q.bounds(), (d(2019, 10, 1), d(2019, 12, 31)));
        assert_eq!(q.label_zh(), "2019年第四季度");
        assert_eq!(ReportPeriod::parse(ReportKind::Monthly, "2019-2").unwrap().code(), "2019-02");
        for (k, bad) in [
            (ReportKind::Monthly, "2019-13"),
            (ReportKind::Monthly, "2019-W5"),
            (ReportKind::Weekly, "2019-W54"),
            (ReportKind::Weekly, "2019-W53"),
            (ReportKind::Supervision, "2019-B7"),
            (ReportKind::Quarterly, "2019-Q0"),
            (ReportKind::Quarterly, "19-Q1"),
            (ReportKind::Quarterly, "abc"),
        ] {
            let e = ReportPeriod::parse(k, bad).unwrap_err();
            assert!(e.to_string().contains("报告期无效"), "{bad}: {e}");
        }
        assert!(ReportPeriod::parse(ReportKind::Weekly, "2020-W53").is_ok());
        assert!(matches!(ReportKind::parse("yearly"), Err(ReportError::Kind(_))));
    }

    #[test]
    fn previous_and_containing_periods() {
        let p = |k, s| ReportPeriod::parse(k, s).unwrap();
        assert_eq!(p(ReportKind::Monthly, "2019-01").previous().code(), "2018-12");
        assert_eq!(p(ReportKind::Quarterly, "2019-Q1").previous().code(), "2018-Q4");
        assert_eq!(p(ReportKind::Supervision, "2019-B3").previous().code(), "2019-B2");
        assert_eq!(p(ReportKind::Weekly, "2019-W01").previous().code(), "2018-W52");
        assert_eq!(ReportPeriod::containing(ReportKind::Weekly, d(2019, 12, 31)).code(), "2020-W01");
        assert_eq!(ReportPeriod::containing(ReportKind::Supervision, d(2019, 12, 31)).code(), "2019-B6");
        assert_eq!(ReportPeriod::containing(ReportKind::Quarterly, d(2019, 8, 1)).code(), "2019-Q3");
    }

    #[test]
    fn weights_must_sum_to_100() {
        assert!(EvaluationWeights::default().validate().is_ok());
        let w = EvaluationWeights {
            on_time: 50,
            ..Default::default()
        };
        let e = w.validate().unwrap_err();
        assert!(e.to_string().contains("之和应为100，现为125"), "{e}");
    }

    fn unit(name: &str, on_time: u32, due: u32, done_pct: i64) -> UnitMeasures {
        let nodes = (0..due)
            .map(|i| (d(2019, 11, 1), if i < on_time { Some(d(2019, 10, 30)) } else { None }))
            .collect();
        UnitMeasures {
            unit: name.into(),
            nodes,
            planned: Money::from_wan(100),
            completed: Money::from_wan(done_pct),
            landing_targeted: 0,
            landing_landed: 0,
            problems: vec![(d(2019, 3, 1), Some(d(2019, 3, 5))), (d(2019, 4, 1), None)],
            reports_expected: 4,
            reports_on_time: 3,
        }
    }

    #[test]
    fn scores_are_weighted_and_ties_share_a_rank() {
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        let w = EvaluationWeights::default();
        let units = [
            unit("甲", 4, 4, 100),
            unit("乙", 2, 4, 120),
            unit("丙", 4, 4, 100),
            unit("丁", 0, 0, 50),
        ];
        let s = score_units(q, &w, &units);
        // 甲: on-time 100, investment 100, landing n/a, problems 50, timeliness 75;
        // weights without landing: 25+30+15+10 = 80 → (2500+3000+750+750)/80 = 87.5.
        let jia = s.iter().find(|x| x.unit == "甲").unwrap();
        assert_eq!(jia.measures, [Some(1000), Some(1000), None, Some(500), Some(750)]);
        assert_eq!(jia.score, 875);
        // 乙: on-time 50, investment 120 % capped at 100 → (1250+3000+750+750)/80 = 71.9.
        assert_eq!(s.iter().find(|x| x.unit == "乙").unwrap().score, 719);
        // 丁: no nodes due: on-time n/a; investment 50 → (1500+750+750)/55 = 54.5.
        assert_eq!(s.iter().find(|x| x.unit == "丁").unwrap().score, 545);
        let ranks: Vec<(String, u32)> = s.iter().map(|x| (x.unit.clone(), x.rank)).collect();
        assert_eq!(
            ranks,
            vec![("丙".into(), 1), ("甲".into(), 1), ("乙".into(), 3), ("丁".into(), 4)],
            "equal scores share a rank, the next rank skips"
        );
    }

    #[test]
    fn the_quarterly_report_states_weights_and_ranking() {
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        let h = Header {
            district: "椒江区".into(),
            office: "椒江区重大项目建设工作领导小组办公室".into(),
            as_of: d(2019, 12, 31),
        };
        let r = quarterly(
            q,
            &h,
            &QuarterlyInputs {
                weights: EvaluationWeights::default(),
                weights_version: 2,
                report_deadline: "期末后5个工作日内".into(),
                units: vec![unit("甲", 4, 4, 100), unit("乙", 2, 4, 120)],
            },
        );
        assert_eq!(r.title, "椒江区重大项目季度督评通报");
        assert!(r.summary[0].contains("第2版考核权重"), "{}", r.summary[0]);
        let table = &r.sections[1].tables[0];
        assert_eq!(table.rows[0][1], DocCell::Text("甲".into()));
        assert_eq!(table.rows[0][7], DocCell::Tenths(875));
        // The model survives the round trip through the frozen JSON.
        let back: Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        assert_eq!(r.tables().len(), 3);
    }

    #[test]
    fn compare_marks_changed_figures() {
        let h = Header {
            district: "椒江区".into(),
            office: "办".into(),
            as_of: d(2019, 12, 31),
        };
        let p = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
        let lag = |n: &str| LaggingProject {
            project: n.into(),
            unit: "海门街道".into(),
            leader: "张三".into(),
            light: Some("red".into()),
            reasons: vec!["节点逾期".into()],
            planned: Money::from_wan(100),
            completed: Money::from_wan(10),
            findings: vec![],
        };
        let a = supervision(
            p,
            &h,
            &SupervisionInputs {
                lagging: vec![lag("甲"), lag("乙")],
                active_projects: 10,
                rounds: vec![],
            },
        );
        let b = supervision(
            p,
            &h,
            &SupervisionInputs {
                lagging: vec![lag("甲")],
                active_projects: 10,
                rounds: vec![],
            },
        );
        let c = compare(&b, Some(&a));
        let lagging = c.iter().find(|x| x.key == "lagging").unwrap();
        assert_eq!(
            (lagging.current.as_deref(), lagging.previous.as_deref(), lagging.changed),
            (Some("1"), Some("2"), true)
        );
        assert!(!c.iter().find(|x| x.key == "rounds").unwrap().changed);
        assert!(compare(&b, None).iter().all(|x| x.changed && x.previous.is_none()));
        assert!(a.summary[0].contains("滞后项目2个"), "{}", a.summary[0]);
    }

    #[test]
    fn the_weekly_brief_puts_new_reds_first_and_counts_overdue_problems() {
        let w = ReportPeriod::parse(ReportKind::Weekly, "2019-W50").unwrap();
        let h = Header {
            district: "椒江区".into(),
            office: "椒江区重大项目建设工作领导小组办公室".into(),
            as_of: d(2019, 12, 31),
        };
        let red = |name: &str, new: bool| RedProject {
            project: name.into(),
            unit: "海门街道".into(),
            leader: "张三".into(),
            reasons: vec!["红灯：施工许可逾期".into()],
            new_this_week: new,
        };
        let problem = |deadline: NaiveDate, level: i64| OpenProblem {
            category: "用地".into(),
            description: "用地指标未落实".into(),
            project: "甲".into(),
            unit: "海门街道".into(),
            raised_on: d(2019, 11, 1),
            deadline,
            escalation_level: level,
        };
        let r = weekly(
            w,
            &h,
            &WeeklyInputs {
                reds: vec![red("老项目", false), red("新项目", true)],
                due_this_week: vec![NodeDue {
                    project: "甲".into(),
                    node: "施工许可".into(),
                    unit: "区住建局".into(),
                    planned_on: d(2019, 12, 10),
                    actual_on: Some(d(2019, 12, 9)),
                    status: "closed".into(),
                }],
                due_next_week: vec![],
                open_problems: vec![problem(d(2019, 12, 20), 0), problem(d(2019, 12, 1), 1)],
                problems_raised_in_week: 2,
                problems_closed_in_week: 1,
                progress_reports_in_week: 3,
                events: vec![(d(2019, 12, 12), "督查：第三批".into())],
            },
        );
        assert!(r.summary[0].contains("亮红灯2个，其中本周新增1个"), "{}", r.summary[0]);
        assert!(r.summary[0].contains("待协调问题2个（其中超期1个）"), "{}", r.summary[0]);
        let reds = &r.sections[0].tables[0];
        assert_eq!(reds.rows[0][1], DocCell::Text("新项目".into()));
        assert_eq!(reds.rows[0][5], DocCell::Text("新增".into()));
        // The escalated, overdue problem comes first, with its days overdue at the week's end.
        let probs = &r.sections[2].tables[0];
        assert_eq!(probs.rows[0][6], DocCell::Date(d(2019, 12, 1)));
        assert_eq!(probs.rows[0][7], DocCell::Int(14));
        assert_eq!(probs.rows[1][7], DocCell::Empty);
        assert_eq!(r.sections[3].paragraphs[0], "12月12日：督查：第三批。");
    }

    #[test]
    fn doc_table_keeps_types_for_the_spreadsheet() {
        let mut t = DocTable::new("表", "标题", &["名称", "金额", "比率"]);
        t.row(vec!["甲".into(), Money::from_wan(12).into(), Pct1(805).into()]);
        let table = t.to_table();
        assert_eq!(table.columns[1].kind, ColKind::Money);
        assert_eq!(table.rows[0][2], Cell::Pct(Pct1(805)));
        assert_eq!(DocCell::Money(Money::from_wan(12345).yuan()).display(), "12,345.00");
        assert_eq!(DocCell::Pct(805).display(), "80.5%");
    }
}
