//! 我的待办: what waits for each signed-in user, by role, as a list of sections. Each section
//! is one function here, from the rows one store query reads (plain values), deciding what
//! counts as an item, its date and the place where it is done; [`sections`] says which roles
//! see which. A new kind of work (督办 replies, say) is a new [`SectionKind`], its function
//! here and its query in the store.
//!
//! Also the reminders' window (临期提醒): a node's planned date or a report's deadline within
//! [`REMIND_WORKING_DAYS`] working days of the data date, on the shipped holiday calendar.

use crate::access::Role;
use crate::calendar::WorkCalendar;
use crate::deadlines::{Period, ReportingDeadlines, periods_ending_within};
use crate::labelled::code_enum;
use crate::lights::Light;
use crate::model::ReportPeriod;
use crate::problems::LoopState;
use crate::rules::{Check, RuleSet};
use crate::stage::Stage;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// Working days ahead of a node's planned date or a report's deadline that its people are
/// reminded, and that a node counts as "due soon" on the to-do.
pub const REMIND_WORKING_DAYS: i64 = 3;

code_enum!(
    /// A section of 我的待办.
    SectionKind {
        CloseOuts = "close_outs", "待核验销号", "Close-outs to verify";
        DateChanges = "date_changes", "待审批改期", "Date changes to decide";
        LateReports = "late_reports", "逾期未报的进度填报（按单位）", "Late progress reports, by unit";
        ProblemsToAssign = "problems_to_assign", "待交办的问题", "Problems to assign";
        ProblemsToClose = "problems_to_close", "待回访、销号的问题", "Problems to call back or close";
        DueSoon = "due_soon", "3个工作日内到期的节点", "Nodes due within 3 working days";
        Overdue = "overdue", "逾期节点", "Overdue nodes";
        ReportsDue = "reports_due", "本期待报的进度填报", "Progress reports due this period";
        ProblemsAssigned = "problems_assigned", "交办本单位的问题", "Problems assigned to the unit";
        SentBack = "sent_back", "被退回的事项", "Sent back";
        Reds = "reds", "红灯项目", "Red projects";
        Yellows = "yellows", "黄灯项目", "Yellow projects";
        Escalated = "escalated", "升级到区领导的问题", "Problems escalated to leaders";
        Instructions = "instructions", "待回复、待验收的批示督办", "Directives and orders awaiting you";
    }
);

/// The sections a role sees, in the order the page shows them. A viewer acts on nothing, so
/// has none (their badge counts the inbox only).
pub fn sections(role: Role) -> &'static [SectionKind] {
    use SectionKind::*;
    match role {
        Role::Admin | Role::Coordinator => &[CloseOuts, DateChanges, LateReports, ProblemsToAssign, ProblemsToClose, Instructions],
        Role::UnitEditor => &[DueSoon, Overdue, ReportsDue, ProblemsAssigned, SentBack, Instructions],
        Role::Leader => &[Reds, Yellows, Escalated, Instructions],
        Role::Viewer => &[],
    }
}

/// One thing to do: what, where it is done, and when it is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// What: a node's, problem's or project's name.
    pub title: String,
    /// Of what: the project (for a node or a report), the unit (for a problem).
    pub context: String,
    /// The place where it is done (a page of the app, with an anchor).
    pub link: String,
    /// The date that matters: planned, deadline, reported on.
    pub date: Option<NaiveDate>,
    /// Working days from the data date to `date` (negative: past it).
    pub working_days: Option<i64>,
    /// A heading the item is listed under within its section (the unit, for late reports).
    pub group: Option<String>,
    /// Why, as its people wrote it (a return reason, a light's reason, who reported), with
    /// what the system adds to it in Chinese.
    pub note: String,
    /// The same in English: what people wrote stays as written (data), what the system adds
    /// is English (a problem's state, a refused date change, a light's English reason).
    pub note_en: String,
    /// A photo sent as evidence (a close-out's first), shown small beside the item.
    pub thumb: Option<String>,
    /// For a progress report owed: its kind and period (the context then says it in words; a
    /// page writes it in its own language from these).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_period: Option<(ReportPeriod, NaiveDate, NaiveDate)>,
}

/// A section with its items; `count` is the number of items, the figure the page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub kind: SectionKind,
    pub count: usize,
    pub items: Vec<Item>,
}

impl Section {
    pub fn new(kind: SectionKind, items: Vec<Item>) -> Section {
        Section {
            kind,
            count: items.len(),
            items,
        }
    }
}

/// A user's to-do on the data date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Todo {
    pub as_of: NaiveDate,
    pub sections: Vec<Section>,
    /// Items in all sections.
    pub total: usize,
}

impl Todo {
    pub fn new(as_of: NaiveDate, sections: Vec<Section>) -> Todo {
        let total = sections.iter().map(|s| s.count).sum();
        Todo { as_of, sections, total }
    }
}

/// The place a node is worked on: its row on the project page.
pub fn node_link(project_id: i64, node_id: i64) -> String {
    format!("/projects/{project_id}#node-{node_id}")
}

/// The place a project's progress report is filed: the form on the project page.
pub fn report_link(project_id: i64) -> String {
    format!("/projects/{project_id}#report-form")
}

/// The place a close-out is decided: the node's page, in view of its evidence.
pub fn decide_link(node_id: i64) -> String {
    format!("/nodes/{node_id}#decide")
}

/// A photo of the evidence, as the node's page shows it.
pub fn evidence_link(evidence_id: i64) -> String {
    format!("/evidence/{evidence_id}")
}

pub fn instruction_link(instruction_id: i64) -> String {
    format!("/instructions/{instruction_id}")
}

pub fn problem_link(problem_id: i64) -> String {
    format!("/problems/{problem_id}")
}

pub fn project_link(project_id: i64) -> String {
    format!("/projects/{project_id}")
}

/// Is `date` within the reminder window on `as_of`: not past, and at most
/// [`REMIND_WORKING_DAYS`] working days ahead (a weekend or a holiday in between does not count).
pub fn in_reminder_window(as_of: NaiveDate, date: NaiveDate, cal: &WorkCalendar) -> bool {
    date >= as_of && cal.working_days_between(as_of, date) <= REMIND_WORKING_DAYS
}

/// A node as the to-do reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeRow {
    pub id: i64,
    pub project_id: i64,
    pub project_name: String,
    /// The project's unit and the node's responsible unit: who is reminded.
    pub project_unit_id: i64,
    pub responsible_unit_id: i64,
    pub name: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub responsible_unit: String,
    pub reported_by: Option<String>,
    pub return_reason: Option<String>,
    /// The first photo among the node's evidence.
    pub photo_id: Option<i64>,
}

fn node_item(n: NodeRow, date: NaiveDate, as_of: NaiveDate, cal: &WorkCalendar, note: String) -> Item {
    Item {
        link: node_link(n.project_id, n.id),
        title: n.name,
        context: n.project_name,
        date: Some(date),
        working_days: Some(cal.working_days_between(as_of, date)),
        group: None,
        note_en: note.clone(),
        note,
        thumb: None,
        report_period: None,
    }
}

/// 待核验销号: nodes a unit reported done, oldest report first (the store gives them so).
pub fn close_outs(reported: Vec<NodeRow>, as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = reported
        .into_iter()
        .map(|n| {
            let on = n.actual_on.unwrap_or(n.planned_on);
            let note = n.reported_by.clone().unwrap_or_default();
            let (node_id, photo) = (n.id, n.photo_id);
            Item {
                link: decide_link(node_id),
                thumb: photo.map(evidence_link),
                report_period: None,
                ..node_item(n, on, as_of, cal, note)
            }
        })
        .collect();
    Section::new(SectionKind::CloseOuts, items)
}

/// Open nodes planned within the reminder window (today included), soonest first.
pub fn due_soon(open: &[NodeRow], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let mut rows: Vec<&NodeRow> = open.iter().filter(|n| in_reminder_window(as_of, n.planned_on, cal)).collect();
    rows.sort_by_key(|n| (n.planned_on, n.id));
    let items = rows
        .into_iter()
        .map(|n| node_item(n.clone(), n.planned_on, as_of, cal, n.responsible_unit.clone()))
        .collect();
    Section::new(SectionKind::DueSoon, items)
}

/// Open nodes whose planned date has passed, longest overdue first.
pub fn overdue(open: &[NodeRow], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let mut rows: Vec<&NodeRow> = open.iter().filter(|n| n.planned_on < as_of).collect();
    rows.sort_by_key(|n| (n.planned_on, n.id));
    let items = rows
        .into_iter()
        .map(|n| node_item(n.clone(), n.planned_on, as_of, cal, n.responsible_unit.clone()))
        .collect();
    Section::new(SectionKind::Overdue, items)
}

/// A date change as the to-do reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateChangeRow {
    pub id: i64,
    pub node_id: i64,
    pub project_id: i64,
    pub project_name: String,
    pub node_name: String,
    pub old_planned_on: NaiveDate,
    pub new_planned_on: NaiveDate,
    pub reason_text: String,
    pub requested_by: String,
    /// The coordinator's note on a refusal.
    pub decision_note: Option<String>,
}

/// 待审批改期: pending requests, oldest first; the item's date is the date asked for.
pub fn date_changes(pending: Vec<DateChangeRow>, as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = pending
        .into_iter()
        .map(|c| Item {
            link: node_link(c.project_id, c.node_id),
            title: c.node_name,
            context: c.project_name,
            date: Some(c.new_planned_on),
            working_days: Some(cal.working_days_between(as_of, c.new_planned_on)),
            group: None,
            thumb: None,
            report_period: None,
            note: format!(
                "{} → {}：{}（{}）",
                c.old_planned_on, c.new_planned_on, c.reason_text, c.requested_by
            ),
            note_en: format!(
                "{} → {}: {} ({})",
                c.old_planned_on, c.new_planned_on, c.reason_text, c.requested_by
            ),
        })
        .collect();
    Section::new(SectionKind::DateChanges, items)
}

/// 被退回: close-outs the coordinator sent back (the node is open again with the reason), and
/// refused date changes the unit has not answered yet (the store gives only those whose node
/// is still open and has no later request).
pub fn sent_back(returned: Vec<NodeRow>, refused: Vec<DateChangeRow>, as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let mut items: Vec<Item> = returned
        .into_iter()
        .filter(|n| n.return_reason.is_some())
        .map(|n| {
            let note = n.return_reason.clone().unwrap_or_default();
            let planned = n.planned_on;
            node_item(n, planned, as_of, cal, note)
        })
        .collect();
    items.extend(refused.into_iter().map(|c| Item {
        link: node_link(c.project_id, c.node_id),
        title: c.node_name,
        context: c.project_name,
        date: Some(c.old_planned_on),
        working_days: Some(cal.working_days_between(as_of, c.old_planned_on)),
        group: None,
        thumb: None,
        report_period: None,
        note: format!(
            "改期至{}未获批准：{}",
            c.new_planned_on,
            c.decision_note.as_deref().unwrap_or_default()
        ),
        note_en: format!(
            "The move to {} was not approved: {}",
            c.new_planned_on,
            c.decision_note.as_deref().unwrap_or_default()
        ),
    }));
    Section::new(SectionKind::SentBack, items)
}

/// A problem as the to-do reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemRow {
    pub id: i64,
    pub description: String,
    pub unit_name: String,
    pub project_name: Option<String>,
    pub deadline: NaiveDate,
    pub state: LoopState,
    pub escalation_level: i64,
}

fn problem_items<'a>(rows: impl Iterator<Item = &'a ProblemRow>, as_of: NaiveDate, cal: &WorkCalendar) -> Vec<Item> {
    rows.map(|p| Item {
        title: p.description.chars().take(60).collect(),
        context: match &p.project_name {
            Some(project) => format!("{}（{}）", p.unit_name, project),
            None => p.unit_name.clone(),
        },
        link: problem_link(p.id),
        date: Some(p.deadline),
        working_days: Some(cal.working_days_between(as_of, p.deadline)),
        group: None,
        thumb: None,
        report_period: None,
        note: p.state.label_zh().to_string(),
        note_en: p.state.label_en().to_string(),
    })
    .collect()
}

/// 待交办: problems raised and not yet assigned to a unit.
pub fn problems_to_assign(open: &[ProblemRow], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = problem_items(open.iter().filter(|p| p.state == LoopState::Raised), as_of, cal);
    Section::new(SectionKind::ProblemsToAssign, items)
}

/// 待回访、销号: problems the unit resolved (to call back) or the callback found satisfied (to close).
pub fn problems_to_close(open: &[ProblemRow], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = problem_items(
        open.iter()
            .filter(|p| matches!(p.state, LoopState::Resolved | LoopState::Satisfied)),
        as_of,
        cal,
    );
    Section::new(SectionKind::ProblemsToClose, items)
}

/// 交办本单位: problems assigned to the unit (the store reads the unit's own), to resolve.
pub fn problems_assigned(open: &[ProblemRow], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = problem_items(open.iter().filter(|p| p.state == LoopState::Assigned), as_of, cal);
    Section::new(SectionKind::ProblemsAssigned, items)
}

/// Problems escalated to the district leaders (二级督办 and up) and not closed.
pub fn escalated(open: &[ProblemRow], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = problem_items(
        open.iter().filter(|p| p.escalation_level >= 2 && p.state != LoopState::Closed),
        as_of,
        cal,
    );
    Section::new(SectionKind::Escalated, items)
}

/// A project with its light, as the to-do reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectRow {
    pub id: i64,
    pub name: String,
    pub unit_name: String,
    pub light: Option<Light>,
    pub light_reason: Option<String>,
    /// The light's first reason in English, where it was kept.
    pub light_reason_en: Option<String>,
}

/// The projects of one light (reds, or yellows) with the reason the lights gave.
pub fn lights(projects: &[ProjectRow], light: Light) -> Section {
    let kind = if light == Light::Red {
        SectionKind::Reds
    } else {
        SectionKind::Yellows
    };
    let items = projects
        .iter()
        .filter(|p| p.light == Some(light))
        .map(|p| Item {
            title: p.name.clone(),
            context: p.unit_name.clone(),
            link: project_link(p.id),
            date: None,
            working_days: None,
            group: None,
            thumb: None,
            report_period: None,
            note: p.light_reason.clone().unwrap_or_default(),
            // A reason computed before English ones were kept has only its Chinese.
            note_en: p.light_reason_en.clone().or_else(|| p.light_reason.clone()).unwrap_or_default(),
        })
        .collect();
    Section::new(kind, items)
}

/// A 批示 or 督办单 as the to-do reads it: one the reader's unit owes a reply to, or one the
/// reader issued whose reply waits for acceptance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionRow {
    pub id: i64,
    /// 批示 or 督办单.
    pub kind_label: String,
    pub project_name: String,
    pub unit_name: String,
    pub text: String,
    pub deadline: NaiveDate,
    /// Replied: the issuer's acceptance waits; otherwise the unit's reply does.
    pub replied: bool,
}

/// 待回复、待验收的批示督办, nearest deadline first (the store gives them so).
pub fn instructions(rows: Vec<InstructionRow>, as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = rows
        .into_iter()
        .map(|i| Item {
            title: format!("{}：{}", i.kind_label, i.text.chars().take(60).collect::<String>()),
            context: format!("{}（{}）", i.project_name, i.unit_name),
            link: instruction_link(i.id),
            date: Some(i.deadline),
            working_days: Some(cal.working_days_between(as_of, i.deadline)),
            group: None,
            thumb: None,
            report_period: None,
            note: if i.replied { "已回复，待验收" } else { "待回复" }.to_string(),
            note_en: if i.replied {
                "Replied, awaiting acceptance"
            } else {
                "Awaiting reply"
            }
            .to_string(),
        })
        .collect();
    Section::new(SectionKind::Instructions, items)
}

/// A project that may owe progress reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub project_id: i64,
    pub project_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub stage: Stage,
    pub planned_year: i32,
}

/// A progress report a project owes for a period, due on `due`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwedReport {
    pub project_id: i64,
    pub project_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub kind: ReportPeriod,
    pub period: Period,
    pub due: NaiveDate,
}

/// The periods of `kind` whose report is in play on `as_of`, with their deadlines: the latest
/// period ended by `as_of` and, while its deadline has not passed, the one before it. An older
/// missing report is the lights' business (连续漏报), not a to-do.
pub fn periods_in_play(
    kind: ReportPeriod,
    as_of: NaiveDate,
    deadlines: &ReportingDeadlines,
    cal: &WorkCalendar,
) -> Vec<(Period, NaiveDate)> {
    let ended = periods_ending_within(kind, as_of - chrono::Duration::days(70), as_of);
    let mut out = Vec::new();
    for p in ended.iter().rev().take(2) {
        let due = deadlines.due(kind, p.end, cal);
        let passed = as_of > due;
        out.push((*p, due));
        if passed {
            break;
        }
    }
    out.reverse();
    out
}

/// The reports owed on `as_of` and not filed: for each kind an enabled 填报 rule of the rule set
/// asks for, each project at a stage the rule covers, from 1 January of its planned year, in
/// each period in play. `filed` holds (project, kind, period start) of the reports in.
pub fn owed_reports(
    reporters: &[Reporter],
    rules: &RuleSet,
    filed: &HashSet<(i64, ReportPeriod, NaiveDate)>,
    as_of: NaiveDate,
    cal: &WorkCalendar,
) -> Vec<OwedReport> {
    let deadlines = ReportingDeadlines::from_rules(rules);
    let mut out = Vec::new();
    for rule in rules.rules.iter().filter(|r| r.enabled) {
        let Check::ReportMissing(m) = &rule.check else { continue };
        for (period, due) in periods_in_play(m.period, as_of, &deadlines, cal) {
            for r in reporters.iter().filter(|r| rule.applies_to(r.stage)) {
                let required_from = NaiveDate::from_ymd_opt(r.planned_year, 1, 1).unwrap_or(period.start);
                if required_from > period.end || filed.contains(&(r.project_id, m.period, period.start)) {
                    continue;
                }
                out.push(OwedReport {
                    project_id: r.project_id,
                    project_name: r.project_name.clone(),
                    unit_id: r.unit_id,
                    unit_name: r.unit_name.clone(),
                    kind: m.period,
                    period,
                    due,
                });
            }
        }
    }
    out.sort_by(|a, b| (a.due, &a.unit_name, a.project_id).cmp(&(b.due, &b.unit_name, b.project_id)));
    out
}

fn report_item(r: &OwedReport, as_of: NaiveDate, cal: &WorkCalendar, group: Option<String>) -> Item {
    Item {
        title: r.project_name.clone(),
        context: format!("{}（{}～{}）", r.kind.label_zh(), r.period.start, r.period.end),
        link: report_link(r.project_id),
        date: Some(r.due),
        working_days: Some(cal.working_days_between(as_of, r.due)),
        group,
        note: String::new(),
        note_en: String::new(),
        thumb: None,
        report_period: Some((r.kind, r.period.start, r.period.end)),
    }
}

/// 本期待报: the unit's reports owed, due or past due, soonest deadline first.
pub fn reports_due(owed: &[OwedReport], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let items = owed.iter().map(|r| report_item(r, as_of, cal, None)).collect();
    Section::new(SectionKind::ReportsDue, items)
}

/// 逾期未报（按单位）: the reports owed whose deadline has passed, listed under their unit.
pub fn late_reports(owed: &[OwedReport], as_of: NaiveDate, cal: &WorkCalendar) -> Section {
    let mut by_unit: BTreeMap<(&str, i64), Vec<&OwedReport>> = BTreeMap::new();
    for r in owed.iter().filter(|r| as_of > r.due) {
        by_unit.entry((&r.unit_name, r.unit_id)).or_default().push(r);
    }
    let items = by_unit
        .into_iter()
        .flat_map(|((unit, _), rs)| rs.into_iter().map(move |r| report_item(r, as_of, cal, Some(unit.to_string()))))
        .collect();
    Section::new(SectionKind::LateReports, items)
}

/// Owed reports whose deadline is within the reminder window: the reminders to send.
pub fn reports_to_remind<'a>(owed: &'a [OwedReport], as_of: NaiveDate, cal: &'a WorkCalendar) -> impl Iterator<Item = &'a OwedReport> {
    owed.iter().filter(move |r| in_reminder_window(as_of, r.due, cal))
}

/// Open nodes whose planned date is within the reminder window: the reminders to send.
pub fn nodes_to_remind<'a>(open: &'a [NodeRow], as_of: NaiveDate, cal: &'a WorkCalendar) -> impl Iterator<Item = &'a NodeRow> {
    open.iter().filter(move |n| in_reminder_window(as_of, n.planned_on, cal))
}

/// The key a reminder is sent once under, per person: the node and the date it is planned
/// for (a date moved by an approved change is reminded again), or the report's project,
/// kind and period.
pub fn node_reminder_key(n: &NodeRow) -> String {
    format!("node:{}:{}", n.id, n.planned_on)
}

pub fn report_reminder_key(r: &OwedReport) -> String {
    format!("report:{}:{}:{}", r.project_id, r.kind.code(), r.period.start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::d;

    fn node(id: i64, planned: NaiveDate) -> NodeRow {
        NodeRow {
            id,
            project_id: 7,
            project_name: "港区道路".into(),
            project_unit_id: 2,
            responsible_unit_id: 2,
            name: format!("节点{id}"),
            planned_on: planned,
            actual_on: None,
            responsible_unit: "海门街道".into(),
            reported_by: None,
            return_reason: None,
            photo_id: None,
        }
    }

    #[test]
    fn a_close_out_opens_where_it_is_decided_with_its_photo() {
        let cal = WorkCalendar::shipped();
        let reported = NodeRow {
            actual_on: Some(d(2019, 12, 20)),
            reported_by: Some("haimen".into()),
            photo_id: Some(31),
            ..node(4, d(2019, 12, 25))
        };
        let s = close_outs(vec![reported, node(5, d(2019, 12, 26))], d(2019, 12, 31), &cal);
        assert_eq!(s.count, 2);
        assert_eq!(s.items[0].link, "/nodes/4#decide");
        assert_eq!(s.items[0].thumb.as_deref(), Some("/evidence/31"));
        assert_eq!((s.items[0].date, s.items[0].note.as_str()), (Some(d(2019, 12, 20)), "haimen"));
        assert_eq!(s.items[1].thumb, None, "no photo, no thumbnail");
    }

    #[test]
    fn directives_say_whose_move_it_is() {
        let cal = WorkCalendar::shipped();
        let row = |id, replied| InstructionRow {
            id,
            kind_label: "督办单".into(),
            project_name: "港区道路".into(),
            unit_name: "海门街道".into(),
            text: "加快征迁".into(),
            deadline: d(2019, 12, 27),
            replied,
        };
        let s = instructions(vec![row(8, false), row(9, true)], d(2019, 12, 31), &cal);
        assert_eq!(s.kind, SectionKind::Instructions);
        assert_eq!(s.items[0].link, "/instructions/8");
        assert_eq!((s.items[0].note.as_str(), s.items[1].note.as_str()), ("待回复", "已回复，待验收"));
        assert_eq!(s.items[0].title, "督办单：加快征迁");
        assert_eq!(s.items[0].working_days, Some(-2), "two working days past the deadline");
    }

    #[test]
    fn reminder_window_counts_working_days_across_a_weekend_and_a_holiday() {
        let cal = WorkCalendar::shipped();
        // Friday 2019-12-27: Mon 30, Tue 31 are working, 1 January a holiday, Thu 2 the third.
        let fri = d(2019, 12, 27);
        assert!(in_reminder_window(fri, d(2020, 1, 2), cal));
        assert!(!in_reminder_window(fri, d(2020, 1, 3), cal));
        assert!(in_reminder_window(fri, fri, cal));
        assert!(!in_reminder_window(fri, d(2019, 12, 26), cal));
        // Monday 2019-09-30 before the National Day week: 8, 9, 10 October are the three.
        assert!(in_reminder_window(d(2019, 9, 30), d(2019, 10, 10), cal));
        assert!(!in_reminder_window(d(2019, 9, 30), d(2019, 10, 11), cal));
    }

    #[test]
    fn due_soon_and_overdue_split_the_open_nodes() {
        let cal = WorkCalendar::shipped();
        let as_of = d(2019, 12, 27);
        let open = vec![
            node(1, d(2019, 12, 20)),
            node(2, d(2020, 1, 2)),
            node(3, d(2020, 1, 3)),
            node(4, as_of),
        ];
        let soon = due_soon(&open, as_of, cal);
        assert_eq!(soon.count, 2);
        assert_eq!(soon.items[0].link, "/projects/7#node-4");
        assert_eq!(soon.items[1].working_days, Some(3));
        let late = overdue(&open, as_of, cal);
        assert_eq!(late.count, 1);
        assert_eq!(late.items[0].title, "节点1");
        assert_eq!(late.items[0].working_days, Some(-5));
    }

    #[test]
    fn each_role_its_sections() {
        assert_eq!(sections(Role::Coordinator)[0], SectionKind::CloseOuts);
        assert_eq!(sections(Role::Admin), sections(Role::Coordinator));
        assert!(sections(Role::UnitEditor).contains(&SectionKind::SentBack));
        assert!(sections(Role::Leader).contains(&SectionKind::Escalated));
        assert!(sections(Role::Viewer).is_empty());
    }

    #[test]
    fn reports_in_play_are_the_last_period_and_the_late_one_before() {
        let cal = WorkCalendar::shipped();
        let dl = ReportingDeadlines::default();
        // 31 December: December ended today (due 8 January), November's deadline passed.
        let months = periods_in_play(ReportPeriod::Month, d(2019, 12, 31), &dl, cal);
        assert_eq!(months.len(), 2);
        assert_eq!(months[0].0.start, d(2019, 11, 1));
        assert_eq!(months[1].1, d(2020, 1, 8));
        // 20 December: November's deadline (6 December) passed; nothing else has ended.
        let months = periods_in_play(ReportPeriod::Month, d(2019, 12, 20), &dl, cal);
        assert_eq!(months.len(), 1);
        assert_eq!(months[0].0.start, d(2019, 11, 1));
    }

    #[test]
    fn owed_reports_follow_the_rule_set() {
        let cal = WorkCalendar::shipped();
        let rules = RuleSet::default();
        let reporter = |id, stage| Reporter {
            project_id: id,
            project_name: format!("项目{id}"),
            unit_id: 2,
            unit_name: "海门街道".into(),
            stage,
            planned_year: 2019,
        };
        let reporters = vec![
            reporter(1, Stage::Construction),
            reporter(2, Stage::Reserve),
            reporter(3, Stage::Construction),
        ];
        let mut filed = HashSet::new();
        filed.insert((3, ReportPeriod::Month, d(2019, 11, 1)));
        let as_of = d(2019, 12, 31);
        let owed = owed_reports(&reporters, &rules, &filed, as_of, cal);
        // Project 1 owes November (late) and December (due); 2 is in reserve, 3 owes December.
        assert_eq!(
            owed.iter().map(|o| (o.project_id, o.period.start.month0())).collect::<Vec<_>>(),
            vec![(1, 10), (1, 11), (3, 11)]
        );
        let late = late_reports(&owed, as_of, cal);
        assert_eq!(late.count, 1);
        assert_eq!(late.items[0].group.as_deref(), Some("海门街道"));
        assert_eq!(reports_due(&owed, as_of, cal).count, 3);
        // 3 January 2020 is three working days before the 8th: the December reports are reminded.
        let owed = owed_reports(&reporters, &rules, &filed, d(2020, 1, 3), cal);
        assert_eq!(reports_to_remind(&owed, d(2020, 1, 3), cal).count(), 2);
        assert_eq!(reports_to_remind(&owed, d(2020, 1, 2), cal).count(), 0);
    }

    use chrono::Datelike;
}
