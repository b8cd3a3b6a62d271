//! 三服务 and the problem list: the enterprise register, visits, problems and their loop
//! (提出 → 交办 → 办结 → 回访 → 销号), the daily escalation run, the monthly three lists and
//! the figures by unit. Every write is one transaction with its audit entry; the loop's rules
//! are `zhantu_domain::problems`'s.

use crate::audit::{AuditCtx, append, lock};
use crate::projects::NamedRef;
use crate::row::{SqlBuf, date, i64_, opt_date, opt_i64, opt_text, text};
use crate::{DocKind, Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, HashMap};
use zhantu_domain::CreditCode;
use zhantu_domain::access::Role;
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::figures::Period;
use zhantu_domain::model::ProblemStatus;
use zhantu_domain::problems::{
    Event, Ladder, LoopState, MonthlyList, ProblemFact, Source, UnitStats, default_deadline, is_overdue, level_label_zh, month_period,
    stats_by_unit, three_lists, transition,
};

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

// ---------------------------------------------------------------- enterprises

#[derive(Debug, Clone, Default)]
pub struct EnterpriseFilter {
    pub tag: Option<String>,
    /// An industry code or its prefix (GB/T 4754).
    pub industry: Option<String>,
    /// Part of the name or the credit code.
    pub q: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnterpriseItem {
    pub id: i64,
    pub credit_code: String,
    pub name: String,
    pub industry_code: Option<String>,
    pub division_code: Option<String>,
    pub tags: Vec<String>,
    pub visits: i64,
    pub problems: i64,
    pub open_problems: i64,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnterprisePage {
    pub total: i64,
    pub items: Vec<EnterpriseItem>,
}

#[derive(Debug, Clone)]
pub struct NewEnterprise {
    pub credit_code: CreditCode,
    pub name: String,
    pub industry_code: Option<String>,
    pub division_code: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct EnterpriseChange {
    pub name: Option<String>,
    pub industry_code: Option<Option<String>>,
    pub tags: Option<Vec<String>>,
}

const ENTERPRISE_COLUMNS: &str = "SELECT e.id, e.credit_code, e.name, e.industry_code, e.division_code, e.version, \
     (SELECT COUNT(*) FROM enterprise_visits v WHERE v.enterprise_id = e.id) AS visits, \
     (SELECT COUNT(*) FROM problems pr WHERE pr.enterprise_id = e.id) AS problems, \
     (SELECT COUNT(*) FROM problems pr WHERE pr.enterprise_id = e.id AND pr.status <> 'closed') AS open_problems FROM enterprises e";

fn enterprise(r: &AnyRow) -> Result<EnterpriseItem, StoreError> {
    Ok(EnterpriseItem {
        id: i64_(r, "id")?,
        credit_code: text(r, "credit_code")?,
        name: text(r, "name")?,
        industry_code: opt_text(r, "industry_code")?,
        division_code: opt_text(r, "division_code")?,
        tags: Vec::new(),
        visits: i64_(r, "visits")?,
        problems: i64_(r, "problems")?,
        open_problems: i64_(r, "open_problems")?,
        version: i64_(r, "version")?,
    })
}

fn clean_tags(tags: &[String]) -> Result<Vec<String>, StoreError> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 20 {
            return Err(StoreError::Invalid(format!("培育名单标签“{t}”过长：不能超过20个字")));
        }
        if !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- visits

#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub enterprise_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Only visits by these units (a unit-scoped reader); `None`: all.
    pub within_units: Option<Vec<i64>>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitItem {
    pub id: i64,
    pub enterprise: NamedRef,
    pub visited_on: NaiveDate,
    pub visitor: String,
    pub unit: NamedRef,
    pub findings: String,
    pub problems: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitPage {
    pub total: i64,
    pub items: Vec<VisitItem>,
}

#[derive(Debug, Clone)]
pub struct NewVisit {
    pub enterprise_id: i64,
    pub visited_on: NaiveDate,
    pub visitor_id: Option<i64>,
    pub visitor_name: String,
    pub unit_id: i64,
    pub findings: String,
    /// Findings turned into problems in the same transaction.
    pub problems: Vec<NewProblem>,
}

const VISIT_COLUMNS: &str = "SELECT v.id, v.enterprise_id, e.name AS enterprise_name, v.visited_on, COALESCE(pe.name, v.visitor_name) AS visitor, \
     v.unit_id, u.name AS unit_name, v.findings, (SELECT COUNT(*) FROM problems pr WHERE pr.visit_id = v.id) AS problems \
     FROM enterprise_visits v JOIN enterprises e ON e.id = v.enterprise_id JOIN units u ON u.id = v.unit_id LEFT JOIN people pe ON pe.id = v.visitor_id";

fn visit(r: &AnyRow) -> Result<VisitItem, StoreError> {
    Ok(VisitItem {
        id: i64_(r, "id")?,
        enterprise: NamedRef {
            id: i64_(r, "enterprise_id")?,
            name: text(r, "enterprise_name")?,
        },
        visited_on: date(r, "visited_on")?,
        visitor: opt_text(r, "visitor")?.unwrap_or_default(),
        unit: NamedRef {
            id: i64_(r, "unit_id")?,
            name: text(r, "unit_name")?,
        },
        findings: text(r, "findings")?,
        problems: i64_(r, "problems")?,
    })
}

// ---------------------------------------------------------------- problems

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

fn named(r: &AnyRow, id: &str, name: &str) -> Result<Option<NamedRef>, StoreError> {
    Ok(match opt_i64(r, id)? {
        Some(id) => Some(NamedRef {
            id,
            name: opt_text(r, name)?.unwrap_or_default(),
        }),
        None => None,
    })
}

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
        unit: NamedRef {
            id: i64_(r, "unit_id")?,
            name: text(r, "unit_name")?,
        },
        source: source_of(visit_id, report_id, opt_i64(r, "node_id")?, opt_i64(r, "project_id")?),
        project: named(r, "project_id", "project_name")?,
        node: named(r, "node_id", "node_name")?,
        enterprise: named(r, "enterprise_id", "enterprise_name")?,
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
    if let Some(u) = f.unit_id {
        q.push(" AND pr.unit_id = ").arg(u);
    }
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
    if let Some(id) = f.project_id {
        q.push(" AND pr.project_id = ").arg(id);
    }
    if let Some(id) = f.node_id {
        q.push(" AND (pr.node_id = ")
            .arg(id)
            .push(" OR pr.blocking_node_id = ")
            .arg(id)
            .push(")");
    }
    if let Some(id) = f.enterprise_id {
        q.push(" AND pr.enterprise_id = ").arg(id);
    }
    if let Some(id) = f.visit_id {
        q.push(" AND pr.visit_id = ").arg(id);
    }
    if let Some(l) = f.min_level {
        q.push(" AND pr.escalation_level >= ").arg(l);
    }
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

/// One escalation the daily run made.
#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    pub problem_id: i64,
    pub unit_id: i64,
    pub from_level: i64,
    pub to_level: i64,
    pub overdue_days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EscalationRun {
    pub today: NaiveDate,
    /// Open problems past their deadline.
    pub overdue: usize,
    pub escalated: Vec<Escalation>,
    pub notifications: usize,
}

/// The figures by unit, with the units' names.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatsRow {
    pub unit: NamedRef,
    #[serde(flatten)]
    pub stats: UnitStats,
}

/// Visits of one unit (三服务 by unit).
#[derive(Debug, Clone, Serialize)]
pub struct VisitUnitRow {
    pub unit: NamedRef,
    pub visits: i64,
    pub problems: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthlyLists {
    pub year: i32,
    pub month: u32,
    pub lists: Vec<(MonthlyList, Vec<ProblemItem>)>,
}

impl Store {
    // ------------------------------------------------------------ enterprises

    pub async fn list_enterprises(&self, f: &EnterpriseFilter) -> Result<EnterprisePage, StoreError> {
        let mut w = SqlBuf::new("");
        w.push(" WHERE 1 = 1");
        if let Some(tag) = f.tag.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND e.id IN (SELECT enterprise_id FROM enterprise_tags WHERE tag = ")
                .arg(tag)
                .push(")");
        }
        if let Some(ind) = f.industry.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND e.industry_code LIKE ").arg(format!("{ind}%"));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            let like = format!("%{q}%");
            w.push(" AND (e.name LIKE ")
                .arg(like.clone())
                .push(" OR e.credit_code LIKE ")
                .arg(like)
                .push(")");
        }
        let (total, rows) = w
            .count_and_page(&self.pool, "enterprises e", ENTERPRISE_COLUMNS, "e.id", f.limit, f.offset)
            .await?;
        let mut items = rows.iter().map(enterprise).collect::<Result<Vec<_>, _>>()?;
        self.attach_tags(&mut items).await?;
        Ok(EnterprisePage { total, items })
    }

    async fn attach_tags(&self, items: &mut [EnterpriseItem]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut q = SqlBuf::new("SELECT enterprise_id, tag FROM enterprise_tags WHERE enterprise_id IN ");
        q.in_list(items.iter().map(|e| e.id)).push(" ORDER BY enterprise_id, tag");
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        for r in q.query().fetch_all(&self.pool).await? {
            tags.entry(i64_(&r, "enterprise_id")?).or_default().push(text(&r, "tag")?);
        }
        for e in items.iter_mut() {
            e.tags = tags.remove(&e.id).unwrap_or_default();
        }
        Ok(())
    }

    /// The cultivation tags in use, with how many enterprises carry each.
    pub async fn enterprise_tags(&self) -> Result<Vec<(String, i64)>, StoreError> {
        sqlx::query("SELECT tag, COUNT(*) AS n FROM enterprise_tags GROUP BY tag ORDER BY COUNT(*) DESC, tag")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((text(r, "tag")?, i64_(r, "n")?)))
            .collect()
    }

    pub async fn enterprise(&self, id: i64) -> Result<EnterpriseItem, StoreError> {
        let r = sqlx::query(&format!("{ENTERPRISE_COLUMNS} WHERE e.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut items = vec![enterprise(&r)?];
        self.attach_tags(&mut items).await?;
        Ok(items.remove(0))
    }

    pub async fn enterprise_by_credit_code(&self, code: &CreditCode) -> Result<Option<EnterpriseItem>, StoreError> {
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM enterprises WHERE credit_code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match id {
            Some(id) => Ok(Some(self.enterprise(id).await?)),
            None => Ok(None),
        }
    }

    pub async fn create_enterprise(&self, e: &NewEnterprise, ctx: &AuditCtx) -> Result<EnterpriseItem, StoreError> {
        let name = e.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Invalid("企业名称应为1到100个字".into()));
        }
        let tags = clean_tags(&e.tags)?;
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT name FROM enterprises WHERE credit_code = $1")
            .bind(e.credit_code.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(other) = taken {
            return Err(StoreError::Duplicate(format!(
                "统一社会信用代码 {} 已登记为“{other}”",
                e.credit_code.as_str()
            )));
        }
        let division = e.division_code.clone().or_else(|| Some(e.credit_code.division().to_string()));
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprises (credit_code, name, industry_code, division_code, version) VALUES ($1, $2, $3, $4, 1) RETURNING id",
        )
        .bind(e.credit_code.as_str())
        .bind(name)
        .bind(e.industry_code.clone())
        .bind(division)
        .fetch_one(&mut *tx)
        .await?;
        for t in &tags {
            sqlx::query("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)")
                .bind(id)
                .bind(t)
                .execute(&mut *tx)
                .await?;
        }
        self.reindex_doc(&mut tx, DocKind::Enterprise, id).await?;
        append(
            &mut tx,
            ctx,
            "enterprise.create",
            "enterprise",
            Some(id),
            None,
            Some(&json!({ "credit_code": e.credit_code.as_str(), "name": name, "industry_code": e.industry_code, "tags": tags })),
        )
        .await?;
        tx.commit().await?;
        self.enterprise(id).await
    }

    pub async fn update_enterprise(
        &self,
        id: i64,
        version: i64,
        c: &EnterpriseChange,
        ctx: &AuditCtx,
    ) -> Result<EnterpriseItem, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let r = sqlx::query("SELECT name, industry_code, version FROM enterprises WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if i64_(&r, "version")? != version {
            drop(tx);
            return Err(self.conflict("enterprise", id).await?);
        }
        let old_tags: Vec<String> = sqlx::query_scalar("SELECT tag FROM enterprise_tags WHERE enterprise_id = $1 ORDER BY tag")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        let before =
            json!({ "name": text(&r, "name")?, "industry_code": opt_text(&r, "industry_code")?, "tags": old_tags, "version": version });
        let name = match &c.name {
            Some(n) if n.trim().is_empty() || n.trim().chars().count() > 100 => {
                return Err(StoreError::Invalid("企业名称应为1到100个字".into()));
            }
            Some(n) => n.trim().to_string(),
            None => text(&r, "name")?,
        };
        let industry = match &c.industry_code {
            Some(v) => v.clone(),
            None => opt_text(&r, "industry_code")?,
        };
        sqlx::query("UPDATE enterprises SET name = $1, industry_code = $2, version = version + 1 WHERE id = $3")
            .bind(&name)
            .bind(industry.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let tags = match &c.tags {
            Some(t) => {
                let t = clean_tags(t)?;
                sqlx::query("DELETE FROM enterprise_tags WHERE enterprise_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for tag in &t {
                    sqlx::query("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)")
                        .bind(id)
                        .bind(tag)
                        .execute(&mut *tx)
                        .await?;
                }
                t
            }
            None => old_tags,
        };
        self.reindex_doc(&mut tx, DocKind::Enterprise, id).await?;
        append(
            &mut tx,
            ctx,
            "enterprise.update",
            "enterprise",
            Some(id),
            Some(&before),
            Some(&json!({ "name": name, "industry_code": industry, "tags": tags, "version": version + 1 })),
        )
        .await?;
        tx.commit().await?;
        self.enterprise(id).await
    }

    // ------------------------------------------------------------ visits

    pub async fn list_visits(&self, f: &VisitFilter) -> Result<VisitPage, StoreError> {
        let mut w = SqlBuf::new(" WHERE 1 = 1");
        if let Some(id) = f.enterprise_id {
            w.push(" AND v.enterprise_id = ").arg(id);
        }
        if let Some(id) = f.unit_id {
            w.push(" AND v.unit_id = ").arg(id);
        }
        if let Some(units) = &f.within_units {
            w.push(" AND v.unit_id IN ").in_list(units.iter().copied());
        }
        if let Some(d) = f.from {
            w.push(" AND v.visited_on >= ").arg(d);
        }
        if let Some(d) = f.to {
            w.push(" AND v.visited_on <= ").arg(d);
        }
        let (total, rows) = w
            .count_and_page(
                &self.pool,
                "enterprise_visits v",
                VISIT_COLUMNS,
                "v.visited_on DESC, v.id DESC",
                f.limit,
                f.offset,
            )
            .await?;
        let items = rows.iter().map(visit).collect::<Result<Vec<_>, _>>()?;
        Ok(VisitPage { total, items })
    }

    pub async fn visit(&self, id: i64) -> Result<VisitItem, StoreError> {
        let r = sqlx::query(&format!("{VISIT_COLUMNS} WHERE v.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        visit(&r)
    }

    /// Records a visit and turns its findings into problems, all in one transaction.
    pub async fn record_visit(&self, v: &NewVisit, ctx: &AuditCtx) -> Result<(VisitItem, Vec<i64>), StoreError> {
        let findings = v.findings.trim();
        if findings.is_empty() {
            return Err(StoreError::Invalid("请填写走访发现（企业经营情况、诉求）".into()));
        }
        if findings.chars().count() > 4000 {
            return Err(StoreError::Invalid("走访发现不能超过4000个字".into()));
        }
        let cal = self.calendar().await?;
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let ent: Option<i64> = sqlx::query_scalar("SELECT id FROM enterprises WHERE id = $1")
            .bind(v.enterprise_id)
            .fetch_optional(&mut *tx)
            .await?;
        if ent.is_none() {
            return Err(StoreError::Invalid(format!("企业 {} 不存在", v.enterprise_id)));
        }
        ensure_unit(&mut tx, v.unit_id).await?;
        if let Some(p) = v.visitor_id {
            let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            if ok.is_none() {
                return Err(StoreError::Invalid(format!("走访人 {p} 不在人员名册中")));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO enterprise_visits (enterprise_id, visited_on, visitor_id, unit_id, findings, visitor_name, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(v.enterprise_id)
        .bind(v.visited_on.to_string())
        .bind(v.visitor_id)
        .bind(v.unit_id)
        .bind(findings)
        .bind(v.visitor_name.trim())
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            ctx,
            "visit.create",
            "visit",
            Some(id),
            None,
            Some(&json!({ "enterprise_id": v.enterprise_id, "visited_on": v.visited_on, "unit_id": v.unit_id, "findings": findings, "problems": v.problems.len() })),
        )
        .await?;
        let mut ids = Vec::new();
        for p in &v.problems {
            let mut p = p.clone();
            p.visit_id = Some(id);
            p.enterprise_id = Some(v.enterprise_id);
            p.raised_on = Some(p.raised_on.unwrap_or(v.visited_on));
            ids.push(insert_problem(self, &mut tx, &cal, &p, ctx).await?);
        }
        tx.commit().await?;
        Ok((self.visit(id).await?, ids))
    }

    // ------------------------------------------------------------ problems

    /// Raises a problem (from a project, node, report, visit, or on its own).
    pub async fn raise_problem(&self, p: &NewProblem, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let cal = self.calendar().await?;
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let id = insert_problem(self, &mut tx, &cal, p, ctx).await?;
        tx.commit().await?;
        Ok(id)
    }

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
        let r = sqlx::query(&format!("{PROBLEM_COLUMNS} WHERE pr.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let item = problem_item(&r, &cal, today)?;
        let events = sqlx::query(
            "SELECT ev.*, u.name AS unit_name FROM problem_events ev LEFT JOIN units u ON u.id = ev.unit_id WHERE ev.problem_id = $1 ORDER BY ev.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|e| {
            Ok(ProblemEvent {
                id: i64_(e, "id")?,
                at: text(e, "at")?,
                actor: text(e, "actor")?,
                kind: text(e, "kind")?,
                from_status: opt_text(e, "from_status")?,
                to_status: opt_text(e, "to_status")?,
                note: text(e, "note")?,
                unit: named(e, "unit_id", "unit_name")?,
                deadline: opt_date(e, "deadline")?,
                level: opt_i64(e, "level")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
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

    /// Takes one step of the loop on `today`: version check (409), the loop's rule, the change,
    /// the history entry and the audit entry, in one transaction. Access is the caller's check.
    pub async fn problem_step(
        &self,
        id: i64,
        event: Event,
        input: &StepInput,
        today: NaiveDate,
        ctx: &AuditCtx,
    ) -> Result<ProblemDetail, StoreError> {
        let cal = self.calendar().await?;
        let note = input.text.trim();
        if note.chars().count() > 4000 {
            return Err(StoreError::Invalid("说明不能超过4000个字".into()));
        }
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let r = sqlx::query(&format!("{PROBLEM_COLUMNS} WHERE pr.id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = problem_item(&r, &cal, today)?;
        if event != Event::Comment && before.version != input.version {
            drop(tx);
            return Err(self.conflict("problem", id).await?);
        }
        let next = transition(before.state, event).map_err(|e| StoreError::Invalid(e.0))?;
        let (status, callback) = next.to_stored();
        let t = now();
        let mut unit_id = before.unit.id;
        let mut deadline = before.deadline;
        match event {
            Event::Assign => {
                if let Some(u) = input.unit_id {
                    ensure_unit(&mut tx, u).await?;
                    unit_id = u;
                }
                deadline = input.deadline.unwrap_or(before.deadline);
                if deadline < today && input.deadline.is_some() {
                    return Err(StoreError::Invalid("办理时限不能早于今天".into()));
                }
                sqlx::query(
                    "UPDATE problems SET status = $1, callback_result = NULL, unit_id = $2, deadline = $3, assigned_by = $4, assigned_at = $5, \
                     assign_count = assign_count + 1, version = version + 1 WHERE id = $6",
                )
                .bind(status.code())
                .bind(unit_id)
                .bind(deadline.to_string())
                .bind(&ctx.actor)
                .bind(&t)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Event::Resolve => {
                if note.is_empty() {
                    return Err(StoreError::Invalid("请说明办理情况（采取了哪些措施、结果如何）".into()));
                }
                sqlx::query(
                    "UPDATE problems SET status = $1, callback_result = NULL, resolution = $2, resolved_by = $3, resolved_on = $4, version = version + 1 WHERE id = $5",
                )
                .bind(status.code())
                .bind(note)
                .bind(&ctx.actor)
                .bind(today.to_string())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Event::Callback { satisfied } => {
                if !satisfied && note.is_empty() {
                    return Err(StoreError::Invalid("回访不满意须说明理由，问题将退回责任单位重新办理".into()));
                }
                if satisfied && input.satisfaction.is_some_and(|s| s < 3) {
                    return Err(StoreError::Invalid("满意度低于3分应按不满意退回".into()));
                }
                if !satisfied {
                    // Back to the unit: a new deadline (given, or the default from today).
                    deadline = input.deadline.unwrap_or_else(|| {
                        if before.deadline >= today {
                            before.deadline
                        } else {
                            default_deadline(&cal, today)
                        }
                    });
                }
                sqlx::query(
                    "UPDATE problems SET status = $1, callback_result = $2, callback_note = $3, satisfaction = $4, deadline = $5, \
                     resolved_on = CASE WHEN $6 = 1 THEN resolved_on ELSE NULL END, version = version + 1 WHERE id = $7",
                )
                .bind(status.code())
                .bind(if satisfied { "satisfied" } else { "unsatisfied" })
                .bind(note)
                .bind(input.satisfaction.map(i64::from))
                .bind(deadline.to_string())
                .bind(satisfied as i64)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                debug_assert_eq!(callback.is_some(), satisfied);
            }
            Event::Close => {
                sqlx::query("UPDATE problems SET status = $1, closed_on = $2, closed_by = $3, version = version + 1 WHERE id = $4")
                    .bind(status.code())
                    .bind(today.to_string())
                    .bind(&ctx.actor)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Event::Comment => {
                if note.is_empty() {
                    return Err(StoreError::Invalid("批示内容不能为空".into()));
                }
            }
        }
        let step = event.step();
        let kind = match event {
            Event::Callback { satisfied: false } => "callback_unsatisfied",
            Event::Callback { satisfied: true } => "callback_satisfied",
            _ => step.code(),
        };
        let assigned = matches!(event, Event::Assign | Event::Callback { satisfied: false });
        insert_event(
            &mut tx,
            id,
            &ctx.actor,
            kind,
            Some(before.state.code()),
            Some(next.code()),
            note,
            assigned.then_some(unit_id),
            assigned.then_some(deadline),
            None,
        )
        .await?;
        let after = problem_item(
            &sqlx::query(&format!("{PROBLEM_COLUMNS} WHERE pr.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
            &cal,
            today,
        )?;
        let mut after_json = snapshot(&after);
        after_json["note"] = json!(note);
        if let Some(s) = input.satisfaction {
            after_json["satisfaction"] = json!(s);
        }
        append(
            &mut tx,
            ctx,
            &format!("problem.{kind}"),
            "problem",
            Some(id),
            Some(&snapshot(&before)),
            Some(&after_json),
        )
        .await?;
        tx.commit().await?;
        self.problem(id, today).await
    }

    /// The open problems that hold up a node.
    pub async fn blocking_problems(&self, node_id: i64, today: NaiveDate) -> Result<Vec<ProblemItem>, StoreError> {
        let cal = self.calendar().await?;
        sqlx::query(&format!(
            "{PROBLEM_COLUMNS} WHERE pr.blocking_node_id = $1 AND pr.status <> 'closed' ORDER BY pr.id"
        ))
        .bind(node_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| problem_item(r, &cal, today))
        .collect()
    }

    // ------------------------------------------------------------ escalation

    /// The escalation ladder: the `problem_escalation_days` setting (`5,10,15`), else the
    /// default of PRACTICE.md §5.2.
    pub async fn escalation_ladder(&self) -> Result<Ladder, StoreError> {
        match self.setting("problem_escalation_days").await? {
            Some(s) => Ladder::parse(&s).map_err(|e| StoreError::Corrupt(e.0)),
            None => Ok(Ladder::default()),
        }
    }

    /// The daily escalation run on `today`: each open (raised or assigned) problem past its
    /// deadline rises to the ladder's level; each rise is written to the problem's history and
    /// the people of that level get a notification. Levels never go down, so a second run on
    /// the same day changes nothing.
    pub async fn escalate_problems(&self, today: NaiveDate, ladder: &Ladder) -> Result<EscalationRun, StoreError> {
        let cal = self.calendar().await?;
        let rows = sqlx::query(&format!(
            "{PROBLEM_COLUMNS} WHERE pr.status IN ('raised', 'assigned') AND pr.deadline < $1 ORDER BY pr.id"
        ))
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut overdue = 0;
        let mut ups: Vec<(ProblemItem, i64)> = Vec::new();
        for r in &rows {
            let p = problem_item(r, &cal, today)?;
            overdue += 1;
            let level = ladder.level(&cal, p.deadline, today) as i64;
            if level > p.escalation_level {
                ups.push((p, level));
            }
        }
        let mut run = EscalationRun {
            today,
            overdue,
            escalated: Vec::new(),
            notifications: 0,
        };
        if ups.is_empty() {
            return Ok(run);
        }
        let users = self.users().await?;
        let leader_names: HashMap<i64, String> = {
            let mut q = SqlBuf::new(
                "SELECT pr.id, pe.name FROM problems pr JOIN projects p ON p.id = pr.project_id JOIN people pe ON pe.id = p.leader_id WHERE pr.id IN ",
            );
            q.in_list(ups.iter().map(|(p, _)| p.id));
            q.query()
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| Ok((i64_(r, "id")?, text(r, "name")?)))
                .collect::<Result<_, StoreError>>()?
        };
        let ctx = AuditCtx::system("escalate");
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let t = now();
        // (user id) → the problems to tell them about, by level.
        let mut inbox: BTreeMap<i64, Vec<(i64, i64, String)>> = BTreeMap::new();
        for (p, level) in &ups {
            sqlx::query("UPDATE problems SET escalation_level = $1, escalated_on = $2 WHERE id = $3")
                .bind(*level)
                .bind(today.to_string())
                .bind(p.id)
                .execute(&mut *tx)
                .await?;
            let note = format!("逾期{}个工作日，升级为{}", p.overdue_days, level_label_zh(*level as u8));
            insert_event(
                &mut tx,
                p.id,
                &ctx.actor,
                "escalate",
                Some(p.state.code()),
                Some(p.state.code()),
                &note,
                None,
                None,
                Some(*level),
            )
            .await?;
            let leaders_named: Vec<i64> = leader_names
                .get(&p.id)
                .map(|n| {
                    users
                        .iter()
                        .filter(|u| u.active && u.role == Role::Leader && &u.display_name == n)
                        .map(|u| u.id)
                        .collect()
                })
                .unwrap_or_default();
            for u in users.iter().filter(|u| u.active) {
                let tell = match u.role {
                    // Level 1 and up: the unit's own editors (the unit head's desk).
                    Role::UnitEditor => u.unit_id == p.unit.id,
                    // Level 2: the project's responsible leader, else every district leader.
                    Role::Leader => *level >= 2 && (leaders_named.is_empty() || leaders_named.contains(&u.id)),
                    // Level 3: the district (coordinators and administrators).
                    Role::Coordinator | Role::Admin => *level >= 3,
                    Role::Viewer => false,
                };
                if tell {
                    inbox
                        .entry(u.id)
                        .or_default()
                        .push((p.id, *level, p.description.chars().take(40).collect()));
                }
            }
            run.escalated.push(Escalation {
                problem_id: p.id,
                unit_id: p.unit.id,
                from_level: p.escalation_level,
                to_level: *level,
                overdue_days: p.overdue_days,
            });
        }
        for (user_id, items) in &inbox {
            let top = items.iter().map(|i| i.1).max().unwrap_or(1);
            let title = format!("{today}问题督办：{}个逾期问题升级（最高{}级）", items.len(), top);
            let body = items
                .iter()
                .take(30)
                .map(|(id, level, d)| format!("#{id}（{}级）{d}", level))
                .collect::<Vec<_>>()
                .join("\n");
            let link = if items.len() == 1 {
                format!("/problems/{}", items[0].0)
            } else {
                "/problems?overdue=1".to_string()
            };
            sqlx::query(
                "INSERT INTO notifications (user_id, created_at, kind, title, body, link) VALUES ($1, $2, 'escalation', $3, $4, $5)",
            )
            .bind(*user_id)
            .bind(&t)
            .bind(title)
            .bind(body)
            .bind(link)
            .execute(&mut *tx)
            .await?;
            run.notifications += 1;
        }
        append(
            &mut tx,
            &ctx,
            "problem.escalate",
            "problem",
            None,
            None,
            Some(&json!({ "today": today, "ladder": ladder.thresholds, "escalated": run.escalated })),
        )
        .await?;
        tx.commit().await?;
        Ok(run)
    }

    // ------------------------------------------------------------ figures and lists

    /// 问题解决率 and mean days to close by unit, for problems raised in `period`, overdue as
    /// of `today`; the last row is the district (unit id 0).
    pub async fn problem_stats(
        &self,
        period: Period,
        today: NaiveDate,
        within_units: Option<&[i64]>,
    ) -> Result<Vec<UnitStatsRow>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT pr.unit_id, u.name AS unit_name, pr.raised_on, pr.closed_on, pr.deadline, pr.status, pr.callback_result \
             FROM problems pr JOIN units u ON u.id = pr.unit_id WHERE pr.raised_on >= ",
        );
        q.arg(period.start).push(" AND pr.raised_on <= ").arg(period.end);
        if let Some(units) = within_units {
            q.push(" AND pr.unit_id IN ").in_list(units.iter().copied());
        }
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut facts = Vec::with_capacity(rows.len());
        for r in &rows {
            let unit_id = i64_(r, "unit_id")?;
            names.entry(unit_id).or_insert(text(r, "unit_name")?);
            facts.push(ProblemFact {
                unit_id,
                raised_on: date(r, "raised_on")?,
                closed_on: opt_date(r, "closed_on")?,
                deadline: date(r, "deadline")?,
                state: state_of(r)?,
            });
        }
        Ok(stats_by_unit(period, today, &facts)
            .into_iter()
            .map(|s| UnitStatsRow {
                unit: NamedRef {
                    id: s.unit_id,
                    name: names.get(&s.unit_id).cloned().unwrap_or_else(|| "全区".into()),
                },
                stats: s,
            })
            .collect())
    }

    /// 三服务 by visiting unit in `period`: visits made and problems raised from them, most
    /// visits first.
    pub async fn visits_by_unit(&self, period: Period, within_units: Option<&[i64]>) -> Result<Vec<VisitUnitRow>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT v.unit_id, u.name AS unit_name, COUNT(*) AS visits, CAST(COALESCE(SUM(pc.n), 0) AS BIGINT) AS problems \
             FROM enterprise_visits v JOIN units u ON u.id = v.unit_id \
             LEFT JOIN (SELECT visit_id, COUNT(*) AS n FROM problems WHERE visit_id IS NOT NULL GROUP BY visit_id) pc ON pc.visit_id = v.id WHERE v.visited_on >= ",
        );
        q.arg(period.start).push(" AND v.visited_on <= ").arg(period.end);
        if let Some(units) = within_units {
            q.push(" AND v.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" GROUP BY v.unit_id, u.name ORDER BY COUNT(*) DESC, v.unit_id");
        q.query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(VisitUnitRow {
                    unit: NamedRef {
                        id: i64_(r, "unit_id")?,
                        name: text(r, "unit_name")?,
                    },
                    visits: i64_(r, "visits")?,
                    problems: opt_i64(r, "problems")?.unwrap_or(0),
                })
            })
            .collect()
    }

    /// The three lists of a month (新增 / 推进落实 / 已办结销号), compiled from the problems.
    pub async fn monthly_lists(
        &self,
        year: i32,
        month: u32,
        within_units: Option<&[i64]>,
        today: NaiveDate,
    ) -> Result<MonthlyLists, StoreError> {
        let period = month_period(year, month).ok_or_else(|| StoreError::Invalid(format!("月份 {year}-{month} 无效")))?;
        let cal = self.calendar().await?;
        let mut q = SqlBuf::new(PROBLEM_COLUMNS);
        q.push(" WHERE pr.raised_on <= ")
            .arg(period.end)
            .push(" AND (pr.closed_on IS NULL OR pr.closed_on >= ")
            .arg(period.start)
            .push(")");
        if let Some(units) = within_units {
            q.push(" AND pr.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" ORDER BY pr.unit_id, pr.raised_on, pr.id");
        // Overdue as the month's end saw it (or today, for the running month).
        let seen = period.end.min(today);
        let items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| problem_item(r, &cal, seen))
            .collect::<Result<Vec<_>, _>>()?;
        let pairs: Vec<(NaiveDate, Option<NaiveDate>)> = items.iter().map(|p| (p.raised_on, p.closed_on)).collect();
        let lists = three_lists(period, &pairs)
            .into_iter()
            .map(|(l, idx)| (l, idx.into_iter().map(|i| items[i].clone()).collect()))
            .collect();
        Ok(MonthlyLists { year, month, lists })
    }
}

async fn ensure_unit(conn: &mut AnyConnection, unit_id: i64) -> Result<(), StoreError> {
    let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1 AND active = 1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    ok.map(|_| ())
        .ok_or_else(|| StoreError::Invalid(format!("单位 {unit_id} 不存在或已停用")))
}

/// Inserts a raised problem with its links checked, its history entry and its audit entry.
pub(crate) async fn insert_problem(
    store: &Store,
    conn: &mut AnyConnection,
    cal: &WorkCalendar,
    p: &NewProblem,
    ctx: &AuditCtx,
) -> Result<i64, StoreError> {
    let category = p.category.trim();
    let description = p.description.trim();
    if category.is_empty() || category.chars().count() > 20 {
        return Err(StoreError::Invalid("问题类别应为1到20个字（如 用地、资金、审批、水电气）".into()));
    }
    if description.is_empty() || description.chars().count() > 2000 {
        return Err(StoreError::Invalid("问题描述应为1到2000个字".into()));
    }
    ensure_unit(conn, p.unit_id).await?;
    let mut project_id = p.project_id;
    if let Some(node) = p.node_id {
        let owner: Option<i64> = sqlx::query_scalar("SELECT project_id FROM nodes WHERE id = $1")
            .bind(node)
            .fetch_optional(&mut *conn)
            .await?;
        let owner = owner.ok_or_else(|| StoreError::Invalid(format!("节点 {node} 不存在")))?;
        if project_id.is_some_and(|pid| pid != owner) {
            return Err(StoreError::Invalid(format!("节点 {node} 不属于项目 {}", project_id.unwrap_or(0))));
        }
        project_id = Some(owner);
    }
    if let Some(report) = p.report_id {
        let owner: Option<i64> = sqlx::query_scalar("SELECT project_id FROM progress_reports WHERE id = $1")
            .bind(report)
            .fetch_optional(&mut *conn)
            .await?;
        let owner = owner.ok_or_else(|| StoreError::Invalid(format!("进度报送 {report} 不存在")))?;
        project_id = Some(project_id.unwrap_or(owner));
    }
    if let Some(pid) = project_id {
        let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
            .bind(pid)
            .fetch_optional(&mut *conn)
            .await?;
        ok.ok_or_else(|| StoreError::Invalid(format!("项目 {pid} 不存在")))?;
    }
    if p.blocks_node && p.node_id.is_none() {
        return Err(StoreError::Invalid("只有针对节点提出的问题才能设为阻塞该节点".into()));
    }
    let raised = p.raised_on.ok_or_else(|| StoreError::Invalid("缺少提出日期".into()))?;
    let deadline = p.deadline.unwrap_or_else(|| default_deadline(cal, raised));
    if deadline < raised {
        return Err(StoreError::Invalid("办理时限不能早于提出日期".into()));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO problems (project_id, node_id, visit_id, enterprise_id, category, description, unit_id, raised_on, deadline, status, \
         escalation_level, version, report_id, raised_by, blocking_node_id, external_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'raised', 0, 1, $10, $11, $12, $13) RETURNING id",
    )
    .bind(project_id)
    .bind(p.node_id)
    .bind(p.visit_id)
    .bind(p.enterprise_id)
    .bind(category)
    .bind(description)
    .bind(p.unit_id)
    .bind(raised.to_string())
    .bind(deadline.to_string())
    .bind(p.report_id)
    .bind(&ctx.actor)
    .bind(if p.blocks_node { p.node_id } else { None })
    .bind(p.external_id.clone())
    .fetch_one(&mut *conn)
    .await?;
    insert_event(
        conn,
        id,
        &ctx.actor,
        "raise",
        None,
        Some("raised"),
        description,
        Some(p.unit_id),
        Some(deadline),
        None,
    )
    .await?;
    store.reindex_doc(conn, DocKind::Problem, id).await?;
    append(
        conn,
        ctx,
        "problem.raise",
        "problem",
        Some(id),
        None,
        Some(&json!({
            "category": category, "description": description, "unit_id": p.unit_id, "deadline": deadline, "project_id": project_id,
            "node_id": p.node_id, "visit_id": p.visit_id, "enterprise_id": p.enterprise_id, "report_id": p.report_id,
            "blocking_node_id": if p.blocks_node { p.node_id } else { None },
        })),
    )
    .await?;
    Ok(id)
}
