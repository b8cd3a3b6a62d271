//! A whole district as plain records: what the demo generator produces, the store's bulk
//! loader writes and (later) the spreadsheet importer fills. Ids are assigned by whoever
//! builds the set, so references between records need no database round trip.

use crate::lights::LightRules;
use crate::model::*;
use crate::money::{LandArea, Money};
use chrono::NaiveDate;

#[derive(Debug, Clone, Default)]
pub struct Dataset {
    /// Free settings, e.g. `district_name`, `as_of` (the date the demo district "lives" at).
    pub settings: Vec<(String, String)>,
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub categories: Vec<CategoryRow>,
    pub project_types: Vec<ProjectTypeRow>,
    pub node_templates: Vec<NodeTemplateRow>,
    pub projects: Vec<ProjectBundle>,
    pub fai: Vec<FaiRow>,
    pub enterprises: Vec<Enterprise>,
    pub visits: Vec<VisitRow>,
    pub problems: Vec<ProblemRow>,
    pub leads: Vec<LeadRow>,
    pub batches: Vec<BatchRow>,
    pub campaigns: Vec<CampaignRow>,
    pub supervision_rounds: Vec<SupervisionRoundRow>,
    pub approval_clocks: Vec<ApprovalClockRow>,
    pub land_ledger: Vec<LandEntryRow>,
    pub light_rules: LightRules,
    /// Delivery-confidence ratings, loaded without their light: the light history fills it
    /// from the month's light (`Store::backfill_light_history`).
    pub confidence: Vec<ConfidenceRow>,
    /// 惠企政策兑现台账: the year's lines.
    pub support: Vec<SupportLineRow>,
    /// Statistics codes and the bureau's counted investment (列统), by project.
    pub statistics: Vec<StatisticsRow>,
    /// Promises at signing and yearly results after operation (亩均效益、达产).
    pub results: Vec<ResultsRow>,
    /// The leaders' half-days on site (一线办公).
    pub field_work: Vec<FieldWorkRow>,
    /// The rule each leader is held to (一线办公), by person id.
    pub field_work_rules: Vec<(i64, crate::field_work::FieldWorkRule)>,
    /// Node dependencies with their lags in working days (前置节点 + 间隔, 0029).
    pub dependencies: Vec<crate::critical_path::Link>,
}

/// A leader's half-day (or day) on site.
#[derive(Debug, Clone)]
pub struct FieldWorkRow {
    pub person_id: i64,
    pub date: NaiveDate,
    pub part: crate::field_work::DayPart,
    pub project_id: Option<i64>,
    pub place: String,
    pub matters: String,
}

/// A line of the enterprise-support ledger.
#[derive(Debug, Clone)]
pub struct SupportLineRow {
    pub kind: crate::support::SupportKind,
    pub policy: String,
    pub unit_id: i64,
    pub firms: i64,
    pub amount: Money,
    pub granted_on: NaiveDate,
    pub document: String,
}

/// A responsible leader's delivery-confidence rating of a project for a month.
#[derive(Debug, Clone)]
pub struct ConfidenceRow {
    pub project_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub level: crate::confidence::Confidence,
    pub reason: String,
    /// Who rated it (the leader's name).
    pub rated_by: String,
    pub rated_on: NaiveDate,
}

/// A project's statistics code (统计代码) and the bureau's counted investment of the year to
/// each month (累计列统投资: year, month, cumulative).
#[derive(Debug, Clone)]
pub struct StatisticsRow {
    pub project_id: i64,
    pub code: Option<String>,
    pub counted: Vec<(i32, u32, Money)>,
}

/// A project's promise at signing and its reported years (`crate::results`).
#[derive(Debug, Clone)]
pub struct ResultsRow {
    pub project_id: i64,
    pub promise: crate::results::Promise,
    pub years: Vec<crate::results::YearResult>,
}

/// A category with its landing targets per year (tenths of a percent).
#[derive(Debug, Clone)]
pub struct CategoryRow {
    pub category: Category,
    /// Is 落地率 reported for it?
    pub tracks_landing: bool,
    pub targets: Vec<(i32, i64)>,
}

#[derive(Debug, Clone)]
pub struct ProjectTypeRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

/// One step of a node template: the plan of a new project of this type.
#[derive(Debug, Clone)]
pub struct NodeTemplateRow {
    pub project_type: String,
    pub seq: i32,
    pub name: String,
    /// Days after the previous step, for a first plan.
    pub offset_days: i32,
    /// Which kind of unit usually owns the step (`department:自然资源`, `owner`, …).
    pub owner_hint: String,
    /// 并联 (parallel with the main line, 主线), a marker (0029).
    pub parallel: bool,
}

/// A project with everything that hangs off it.
#[derive(Debug, Clone)]
pub struct ProjectBundle {
    pub project: Project,
    /// (category id, the year the project is on that list).
    pub categories: Vec<(i64, i32)>,
    /// (year, planned investment that year).
    pub annual_plans: Vec<(i32, Money)>,
    /// (year, month, investment completed in that month).
    pub monthly_investment: Vec<(i32, u32, Money)>,
    pub stage_changes: Vec<StageChangeRow>,
    pub nodes: Vec<Node>,
    pub reports: Vec<ReportRow>,
    /// Cached light of the project and its reason.
    pub light: Option<(crate::lights::Light, String)>,
}

#[derive(Debug, Clone)]
pub struct StageChangeRow {
    pub from: Option<crate::stage::Stage>,
    pub to: crate::stage::Stage,
    pub on: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i64,
    pub period: ReportPeriod,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub body: String,
    pub investment: Money,
    pub submitted_on: NaiveDate,
}

/// The statistics bureau's cumulative fixed-asset investment of a division, year to month.
#[derive(Debug, Clone)]
pub struct FaiRow {
    pub division_code: String,
    pub year: i32,
    pub month: u32,
    pub cumulative: Money,
}

#[derive(Debug, Clone)]
pub struct VisitRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub visited_on: NaiveDate,
    pub visitor_id: i64,
    pub unit_id: i64,
    pub findings: String,
}

#[derive(Debug, Clone)]
pub struct ProblemRow {
    pub id: i64,
    pub project_id: Option<i64>,
    pub node_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub category: String,
    pub description: String,
    pub unit_id: i64,
    pub raised_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: ProblemStatus,
    pub resolved_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub satisfaction: Option<i32>,
}

#[derive(Debug, Clone)]
pub struct LeadRow {
    pub id: i64,
    pub name: String,
    pub investor: String,
    pub team_unit_id: i64,
    pub leader_id: Option<i64>,
    pub stage: LeadStage,
    pub signed_amount: Money,
    pub foreign_usd_cents: Option<i64>,
    pub source_region: String,
    pub first_contact_on: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub landed_on: Option<NaiveDate>,
    pub project_id: Option<i64>,
    /// Its attraction clocks' milestones and progress reports.
    pub clocks: LeadClockRow,
}

/// A lead's attraction-clock record (`lead_clocks`): its milestones and progress reports.
#[derive(Debug, Clone, Default)]
pub struct LeadClockRow {
    pub responded_on: Option<NaiveDate>,
    pub assessed_on: Option<NaiveDate>,
    pub assessment: Option<crate::lead_clocks::Assessment>,
    pub feedback_on: Option<NaiveDate>,
    /// (date, text, author).
    pub progress: Vec<(NaiveDate, String, String)>,
}

#[derive(Debug, Clone)]
pub struct BatchRow {
    pub id: i64,
    pub name: String,
    pub level: BatchLevel,
    pub held_on: NaiveDate,
    pub project_ids: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct CampaignRow {
    pub id: i64,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: String,
    pub node_ids: Vec<i64>,
    pub unit_ids: Vec<i64>,
    /// Over, with its closing note (None while it runs).
    pub closing_note: Option<String>,
    /// Quantitative targets besides the nodes: (name, unit word, target, achieved).
    pub measures: Vec<(String, String, i64, i64)>,
}

#[derive(Debug, Clone)]
pub struct SupervisionRoundRow {
    pub id: i64,
    pub name: String,
    pub leader_id: i64,
    pub held_on: NaiveDate,
    pub summary: String,
    /// (project id, finding).
    pub targets: Vec<(i64, String)>,
    /// The round's report once it is closed (None while open).
    pub report: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ApprovalClockRow {
    pub id: i64,
    pub name: String,
    pub project_type: Option<String>,
    pub start_node: String,
    pub stop_node: String,
    pub limit_days: i32,
    pub day_kind: DayKind,
}

#[derive(Debug, Clone)]
pub struct LandEntryRow {
    pub id: i64,
    pub entry_on: NaiveDate,
    pub kind: LandEntryKind,
    pub area: LandArea,
    pub project_id: Option<i64>,
    pub document: String,
    pub note: String,
}
