//! A project's record over time by import: its years (项目年度: categories and annual plan),
//! its stage history (阶段变更) and its progress reports (进展填报).

use super::fields::{Field, FieldType as T, PROJECT_CODE, PROJECT_EXTERNAL_ID, RefKind as R, f};
use super::rows::{Keyed, ProjectKey, RowIn};
use crate::model::ReportPeriod;
use crate::money::Money;
use crate::reports::{check_report, period_bounds};
use crate::stage::Stage;
use chrono::NaiveDate;

pub const PROJECT_YEAR_FIELDS: &[Field] = &[
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("year", "年度", &["计划年度", "年份"], T::Int, true, "2019"),
    f("categories", "项目类别", &["类别", "所属类别"], T::List, false, "市县长项目").refers(R::Category),
    f(
        "planned",
        "年度计划投资（万元）",
        &["年度计划投资", "计划投资", "年度计划"],
        T::Money,
        false,
        "30000",
    ),
];

pub const STAGE_CHANGE_FIELDS: &[Field] = &[
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("from", "原阶段", &["变更前阶段"], T::Stage, false, "谋划"),
    f("to", "新阶段", &["变更后阶段", "阶段"], T::Stage, true, "前期"),
    f("on", "变更日期", &["日期", "变更时间"], T::Date, true, "2019-02-20"),
    f("note", "说明", &["备注", "原因", "变更原因"], T::Text, false, "完成赋码备案"),
];

pub const REPORT_FIELDS: &[Field] = &[
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("period", "填报周期", &["周期", "报告类型"], T::ReportPeriod, true, "月报"),
    f(
        "period_start",
        "周期开始日期",
        &["周期开始", "开始日期"],
        T::Date,
        true,
        "2019-03-01",
    ),
    f("submitted_on", "填报日期", &["提交日期"], T::Date, true, "2019-03-28"),
    f(
        "investment",
        "本期完成投资（万元）",
        &["本期完成投资", "本期投资"],
        T::Money,
        false,
        "1200",
    ),
    f("body", "进展情况", &["进展", "填报内容"], T::Text, true, "主体结构施工中"),
];

/// 项目年度 row: the project's categories that year (replacing the year's list) and its
/// annual planned investment (none: no plan that year).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectYearRow {
    pub line: u32,
    pub project: ProjectKey,
    pub year: i32,
    /// Category names or codes.
    pub categories: Vec<String>,
    pub planned: Option<Money>,
}

/// 阶段变更 row. The rows of a project are its whole stage history: they replace what the
/// project had.
#[derive(Debug, Clone, PartialEq)]
pub struct StageChangeRow {
    pub line: u32,
    pub project: ProjectKey,
    pub from: Option<Stage>,
    pub to: Stage,
    pub on: NaiveDate,
    pub note: String,
}

/// 进展填报 row: matched by project, period and the period's first day.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub line: u32,
    pub project: ProjectKey,
    pub period: ReportPeriod,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub submitted_on: NaiveDate,
    pub investment: Money,
    pub body: String,
}

pub(super) fn project_year_row(r: &mut RowIn) -> Option<ProjectYearRow> {
    let project = r.project();
    let year = r.year("year");
    let planned = r.money("planned");
    if let Some(p) = planned.filter(|p| p.yuan() < 0) {
        r.err("planned", p.wan_exact(), "年度计划投资不能为负数");
    }
    let row = ProjectYearRow {
        line: r.line,
        project: project?,
        year: year?,
        categories: r.list("categories").unwrap_or_default(),
        planned,
    };
    r.finish(row)
}

pub(super) fn stage_change_row(r: &mut RowIn) -> Option<StageChangeRow> {
    let project = r.project();
    let row = StageChangeRow {
        line: r.line,
        project: project?,
        from: r.stage("from"),
        to: r.stage("to")?,
        on: r.date("on")?,
        note: r.text_or_empty("note"),
    };
    r.finish(row)
}

pub(super) fn report_row(r: &mut RowIn) -> Option<ReportRow> {
    let project = r.project();
    let period = r.report_period("period")?;
    let start = r.date("period_start")?;
    let investment = r.money("investment").unwrap_or_default();
    let body = r.text_or_empty("body");
    let bounds = match period_bounds(period, start) {
        Ok(b) => Some(b),
        Err(e) => {
            r.err("period_start", start.to_string(), e.message);
            None
        }
    };
    if let Err(e) = check_report(&body, investment) {
        r.err("investment", investment.wan_exact(), e.message);
    }
    let row = ReportRow {
        line: r.line,
        project: project?,
        period,
        period_start: start,
        period_end: bounds?.1,
        submitted_on: r.date("submitted_on")?,
        investment,
        body,
    };
    r.finish(row)
}

impl Keyed for ProjectYearRow {
    const KEY_FIELD: &'static str = "year";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!("{} {}", self.project.describe(), self.year))
    }
}

impl Keyed for StageChangeRow {
    const KEY_FIELD: &'static str = "on";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!("{} {} {}", self.project.describe(), self.on, self.to.label_zh()))
    }
}

impl Keyed for ReportRow {
    const KEY_FIELD: &'static str = "period_start";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!(
            "{} {} {}",
            self.project.describe(),
            self.period.label_zh(),
            self.period_start
        ))
    }
}
