//! The problem list (问题清单): problems and their loop (提出 → 交办 → 办结 → 回访 → 销号), the
//! daily escalation run, the monthly three lists and the figures by unit. Every write is one
//! transaction with its audit entry; the loop's rules are `zhantu_domain::problems`'s.
//!
//! This module reads problems; `steps.rs` raises them and takes the loop's steps,
//! `escalation.rs` is the daily run, `figures.rs` the figures by unit and the three lists.

mod escalation;
mod figures;
mod steps;

pub use escalation::{Escalation, EscalationRun};
pub use figures::{MonthlyLists, UnitStatsRow};
pub(crate) use steps::insert_problem;

use crate::choices::NamedRef;
use crate::row::{SqlBuf, date, found, i64_, named, opt_date, opt_i64, opt_named, opt_text, rows_for, text};
use crate::writes::now;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::model::ProblemStatus;
use zhantu_domain::problems::{Ladder, LoopState, Source, is_overdue, level_label_zh};

/// A problem to raise. Links: a project, a node (of that project), a progress report, a visit
/// (with its enterprise).
#[derive(Debug, Clone, Default)]
pub struct NewProblem {
    pub category: String,
    pub description: String,
    pub unit_id: i64,
    pub deadline: Option<NaiveDate>,
    pub raised_on: Option<NaiveDate>,
    pub project_id: Option<i64>,
    pub node_id: Option<i64>,
    pub report_id: Option<i64>,
    pub visit_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    /// Holds up the node (`node_id`) until closed.
    pub blocks_node: bool,
    pub external_id: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    pub unit_id: Option<i64>,
    pub within_units: Option<Vec<i64>>,
    /// A `LoopState` code, or `open`.
    pub state: Option<String>,
    pub overdue: bool,
    pub source: Option<Source>,
    pub project_id: Option<i64>,
    pub node_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub visit_id: Option<i64>,
    /// Only problems escalated at least this far.
    pub min_level: Option<i64>,
    pub q: Option<String>,
    /// Raised on or after this day.
    pub raised_from: Option<NaiveDate>,
    /// Raised on or before this day.
    pub raised_to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemItem {
    pub id: i64,
    pub category: String,
    pub description: String,
    pub unit: NamedRef,
    pub source: Source,
    pub project: Option<NamedRef>,
    pub node: Option<NamedRef>,
    pub enterprise: Option<NamedRef>,
    pub visit_id: Option<i64>,
    pub report_id: Option<i64>,
    pub raised_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: String,
    pub state: LoopState,
    pub resolved_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub satisfaction: Option<i64>,
    pub escalation_level: i64,
    pub overdue: bool,
    /// Working days past the deadline (0 when not overdue).
    pub overdue_days: i64,
    pub blocking_node_id: Option<i64>,
    pub external_id: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemPage {
    pub total: i64,
    pub items: Vec<ProblemItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: String,
    pub unit: Option<NamedRef>,
    pub deadline: Option<NaiveDate>,
    pub level: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemDetail {
    #[serde(flatten)]
    pub item: ProblemItem,
    pub raised_by: Option<String>,
    pub assigned_by: Option<String>,
    pub assigned_at: Option<String>,
    pub assign_count: i64,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub callback_result: Option<String>,
    pub callback_note: Option<String>,
    pub closed_by: Option<String>,
    pub escalated_on: Option<NaiveDate>,
    pub escalation_label: &'static str,
    pub events: Vec<ProblemEvent>,
}

/// What a step carries besides the event.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub version: i64,
    /// 交办: the unit (default: the current one).
    pub unit_id: Option<i64>,
    /// 交办 and an unsatisfied 回访: the new deadline.
    pub deadline: Option<NaiveDate>,
    /// 办结: what was done; 回访: the note (required when not satisfied); 销号/批示: the note.
    pub text: String,
    /// 回访: 1–5.
    pub satisfaction: Option<i32>,
}

const PROBLEM_COLUMNS: &str = "SELECT pr.id, pr.category, pr.description, pr.unit_id, u.name AS unit_name, pr.project_id, p.name AS project_name, \
     pr.node_id, n.name AS node_name, pr.enterprise_id, e.name AS enterprise_name, pr.visit_id, pr.report_id, pr.raised_on, pr.deadline, \
     pr.status, pr.callback_result, pr.resolved_on, pr.closed_on, pr.satisfaction, pr.escalation_level, pr.blocking_node_id, pr.external_id, \
     pr.version, pr.raised_by, pr.assigned_by, pr.assigned_at, pr.assign_count, pr.resolution, pr.resolved_by, pr.callback_note, pr.closed_by, \
     pr.escalated_on \
     FROM problems pr JOIN units u ON u.id = pr.unit_id LEFT JOIN projects p ON p.id = pr.project_id LEFT JOIN nodes n ON n.id = pr.node_id \
     LEFT JOIN enterprises e ON e.id = pr.enterprise_id";

fn state_of(r: &AnyRow) -> Result<LoopState, StoreError> {
    let s = text(r, "status")?;
    let status = ProblemStatus::from_code(&s).ok_or_else(|| StoreError::Corrupt(format!("problems.status = {s}")))?;
    let cb = opt_text(r, "callback_result")?;
    Ok(LoopState::from_stored(status, cb.as_deref().map(|c| c == "satisfied")))
}

fn source_of(visit: Option<i64>, report: Option<i64>, node: Option<i64>, project: Option<i64>) -> Source {
    match (visit, report, node, project) {
        (Some(_), ..) => Source::Visit,
        (None, Some(_), ..) => Source::Report,
        (None, None, Some(_), _) => Source::Node,
        (None, None, None, Some(_)) => Source::Project,
        _ => Source::Other,
    }
}

fn problem_item(r: &AnyRow, cal: &WorkCalendar, today: NaiveDate) -> Result<ProblemItem, StoreError> {
    let state = state_of(r)?;
    let deadline = date(r, "deadline")?;
    let overdue = is_overdue(state, deadline, today);
    let (visit_id, report_id) = (opt_i64(r, "visit_id")?, opt_i64(r, "report_id")?);
    Ok(ProblemItem {
        id: i64_(r, "id")?,
        category: text(r, "category")?,
        description: text(r, "description")?,
        unit: named(r, "unit_id", "unit_name")?,
        source: source_of(visit_id, report_id, opt_i64(r, "node_id")?, opt_i64(r, "project_id")?),
        project: opt_named(r, "project_id", "project_name")?,
        node: opt_named(r, "node_id", "node_name")?,
        enterprise: opt_named(r, "enterprise_id", "enterprise_name")?,
        visit_id,
        report_id,
        raised_on: date(r, "raised_on")?,
        deadline,
        status: text(r, "status")?,
        state,
        resolved_on: opt_date(r, "resolved_on")?,
        closed_on: opt_date(r, "closed_on")?,
        satisfaction: opt_i64(r, "satisfaction")?,
        escalation_level: i64_(r, "escalation_level")?,
        overdue,
        overdue_days: if overdue { Ladder::overdue_days(cal, deadline, today) } else { 0 },
        blocking_node_id: opt_i64(r, "blocking_node_id")?,
        external_id: opt_text(r, "external_id")?,
        version: i64_(r, "version")?,
    })
}

fn snapshot(p: &ProblemItem) -> serde_json::Value {
    json!({
        "status": p.status, "state": p.state.code(), "unit_id": p.unit.id, "deadline": p.deadline,
        "escalation_level": p.escalation_level, "version": p.version,
    })
}

fn problem_where(f: &ProblemFilter, today: NaiveDate, q: &mut SqlBuf) {
    q.push(" WHERE 1 = 1");
    q.push_some(" AND pr.unit_id = ", f.unit_id);
    if let Some(units) = &f.within_units {
        q.push(" AND pr.unit_id IN ").in_list(units.iter().copied());
    }
    match f.state.as_deref() {
        Some("open") => {
            q.push(" AND pr.status <> 'closed'");
        }
        Some("satisfied") => {
            q.push(" AND pr.status = 'resolved' AND pr.callback_result = 'satisfied'");
        }
        Some("resolved") => {
            q.push(" AND pr.status = 'resolved' AND (pr.callback_result IS NULL OR pr.callback_result <> 'satisfied')");
        }
        Some(s) => {
            q.push(" AND pr.status = ").arg(s);
        }
        None => {}
    }
    if f.overdue {
        q.push(" AND pr.status IN ('raised', 'assigned') AND pr.deadline < ").arg(today);
    }
    match f.source {
        Some(Source::Visit) => q.push(" AND pr.visit_id IS NOT NULL"),
        Some(Source::Report) => q.push(" AND pr.visit_id IS NULL AND pr.report_id IS NOT NULL"),
        Some(Source::Node) => q.push(" AND pr.visit_id IS NULL AND pr.report_id IS NULL AND pr.node_id IS NOT NULL"),
        Some(Source::Project) => {
            q.push(" AND pr.visit_id IS NULL AND pr.report_id IS NULL AND pr.node_id IS NULL AND pr.project_id IS NOT NULL")
        }
        Some(Source::Other) => q.push(" AND pr.visit_id IS NULL AND pr.report_id IS NULL AND pr.node_id IS NULL AND pr.project_id IS NULL"),
        None => q,
    };
    q.push_some(" AND pr.project_id = ", f.project_id);
    if let Some(id) = f.node_id {
        q.push(" AND (pr.node_id = ")
            .arg(id)
            .push(" OR pr.blocking_node_id = ")
            .arg(id)
            .push(")");
    }
    q.push_some(" AND pr.enterprise_id = ", f.enterprise_id);
    q.push_some(" AND pr.visit_id = ", f.visit_id);
    q.push_some(" AND pr.escalation_level >= ", f.min_level);
    q.push_some(" AND pr.raised_on >= ", f.raised_from.map(|d| d.to_string()));
    q.push_some(" AND pr.raised_on <= ", f.raised_to.map(|d| d.to_string()));
    if let Some(text) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = format!("%{text}%");
        q.push(" AND (pr.description LIKE ")
            .arg(like.clone())
            .push(" OR pr.category LIKE ")
            .arg(like)
            .push(")");
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    conn: &mut AnyConnection,
    problem_id: i64,
    actor: &str,
    kind: &str,
    from: Option<&str>,
    to: Option<&str>,
    note: &str,
    unit_id: Option<i64>,
    deadline: Option<NaiveDate>,
    level: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO problem_events (problem_id, at, actor, kind, from_status, to_status, note, unit_id, deadline, level) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(problem_id)
    .bind(now())
    .bind(actor)
    .bind(kind)
    .bind(from.map(str::to_string))
    .bind(to.map(str::to_string))
    .bind(note)
    .bind(unit_id)
    .bind(deadline.map(|d| d.to_string()))
    .bind(level)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    pub async fn list_problems(&self, f: &ProblemFilter, today: NaiveDate) -> Result<ProblemPage, StoreError> {
        let cal = self.calendar().await?;
        let mut w = SqlBuf::new("");
        problem_where(f, today, &mut w);
        let order = "pr.escalation_level DESC, pr.raised_on DESC, pr.id DESC";
        let (total, rows) = w
            .count_and_page(&self.pool, "problems pr", PROBLEM_COLUMNS, order, f.limit, f.offset)
            .await?;
        let items = rows.iter().map(|r| problem_item(r, &cal, today)).collect::<Result<Vec<_>, _>>()?;
        Ok(ProblemPage { total, items })
    }

    pub async fn problem(&self, id: i64, today: NaiveDate) -> Result<ProblemDetail, StoreError> {
        let cal = self.calendar().await?;
        let r = found(sqlx::query(&format!("{PROBLEM_COLUMNS} WHERE pr.id = $1")).bind(id), &self.pool).await?;
        let item = problem_item(&r, &cal, today)?;
        let events = rows_for(&self.pool, "SELECT ev.*, u.name AS unit_name FROM problem_events ev LEFT JOIN units u ON u.id = ev.unit_id WHERE ev.problem_id = $1 ORDER BY ev.id", id, |e| {
            Ok(ProblemEvent {
                id: i64_(e, "id")?,
                at: text(e, "at")?,
                actor: text(e, "actor")?,
                kind: text(e, "kind")?,
                from_status: opt_text(e, "from_status")?,
                to_status: opt_text(e, "to_status")?,
                note: text(e, "note")?,
                unit: opt_named(e, "unit_id", "unit_name")?,
                deadline: opt_date(e, "deadline")?,
                level: opt_i64(e, "level")?,
            })
        }).await?;
        let level = item.escalation_level;
        Ok(ProblemDetail {
            item,
            raised_by: opt_text(&r, "raised_by")?,
            assigned_by: opt_text(&r, "assigned_by")?,
            assigned_at: opt_text(&r, "assigned_at")?,
            assign_count: i64_(&r, "assign_count")?,
            resolution: opt_text(&r, "resolution")?,
            resolved_by: opt_text(&r, "resolved_by")?,
            callback_result: opt_text(&r, "callback_result")?,
            callback_note: opt_text(&r, "callback_note")?,
            closed_by: opt_text(&r, "closed_by")?,
            escalated_on: opt_date(&r, "escalated_on")?,
            escalation_label: level_label_zh(level.clamp(0, 3) as u8),
            events,
        })
    }

    /// The open problems that hold up a node.
    pub async fn blocking_problems(&self, node_id: i64, today: NaiveDate) -> Result<Vec<ProblemItem>, StoreError> {
        let cal = self.calendar().await?;
        rows_for(
            &self.pool,
            &format!("{PROBLEM_COLUMNS} WHERE pr.blocking_node_id = $1 AND pr.status <> 'closed' ORDER BY pr.id"),
            node_id,
            |r| problem_item(r, &cal, today),
        )
        .await
    }
}
