//! 我的待办's queries: one per section, read as the domain's rows and shaped by the domain's
//! function of that section (`zhantu_domain::todo`); the header's count of what is waiting,
//! kept per user until the next audited write or lights run; and the daily reminders
//! (临期提醒), each sent once per person.

use crate::row::{SqlBuf, date, i64_, opt_date, opt_text, read_all, text};
use crate::writes::{insert_notification, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use zhantu_domain::Stage;
use zhantu_domain::access::Role;
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::lights::Light;
use zhantu_domain::model::{ProblemStatus, ReportPeriod};
use zhantu_domain::problems::LoopState;
use zhantu_domain::todo::{
    self as rules, DateChangeRow, InstructionRow, NodeRow, OwedReport, ProblemRow, ProjectRow, Reporter, Section, SectionKind, Todo,
};

/// Whose to-do: the signed-in user as the sections need them.
#[derive(Debug, Clone)]
pub struct TodoReader {
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// The user's unit and every unit below it.
    pub unit_scope: Vec<i64>,
    /// A leader's name, to find the projects they are 包干领导 of.
    pub display_name: String,
}

impl TodoReader {
    /// The units whose records the to-do reads; `None`: the whole district.
    fn scope(&self) -> Option<&[i64]> {
        matches!(self.role, Role::UnitEditor | Role::Viewer).then_some(self.unit_scope.as_slice())
    }
}

/// What the header's badge counts: to-do items and unread notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Waiting {
    pub todo: usize,
    pub unread: i64,
}

impl Waiting {
    pub fn total(&self) -> i64 {
        self.todo as i64 + self.unread
    }
}

/// What a user's cached to-do count was computed from: the audit log's length (every change
/// made through the app), the last lights run (which moves lights unaudited), and the data
/// date. Any of them moving makes the count stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WaitingKey {
    audited: i64,
    light_runs: i64,
    as_of: NaiveDate,
}

/// Per user: the key and the to-do count computed under it.
pub(crate) type WaitingCache = std::sync::Arc<std::sync::Mutex<HashMap<i64, (WaitingKey, usize)>>>;

/// A run of the daily reminders.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RemindersRun {
    pub as_of: Option<NaiveDate>,
    /// Nodes and reports reminded for the first time in this run.
    pub nodes: usize,
    pub reports: usize,
    /// Inbox items written (one per person with something new).
    pub notifications: usize,
    /// One line per reminder, for the group robot.
    pub lines: Vec<String>,
}

const NODE_COLUMNS: &str = "SELECT n.id, n.project_id, p.name AS project_name, p.unit_id AS project_unit_id, n.responsible_unit_id, \
     n.name, n.planned_on, n.actual_on, u.name AS unit_name, n.reported_by, n.return_reason, \
     (SELECT MIN(e.id) FROM evidence e WHERE e.node_id = n.id AND e.content_type LIKE 'image/%') AS photo_id \
     FROM nodes n JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = n.responsible_unit_id WHERE ";

fn node_row(r: &sqlx::any::AnyRow) -> Result<NodeRow, StoreError> {
    Ok(NodeRow {
        id: i64_(r, "id")?,
        project_id: i64_(r, "project_id")?,
        project_name: text(r, "project_name")?,
        project_unit_id: i64_(r, "project_unit_id")?,
        responsible_unit_id: i64_(r, "responsible_unit_id")?,
        name: text(r, "name")?,
        planned_on: date(r, "planned_on")?,
        actual_on: opt_date(r, "actual_on")?,
        responsible_unit: text(r, "unit_name")?,
        reported_by: opt_text(r, "reported_by")?,
        return_reason: opt_text(r, "return_reason")?,
        photo_id: crate::row::opt_i64(r, "photo_id")?,
    })
}

/// ` AND (the project's unit or the node's responsible unit is in scope)`: the nodes a unit
/// may act on (as the nodes API allows).
fn node_scope(q: &mut SqlBuf, scope: Option<&[i64]>) {
    if let Some(units) = scope {
        q.push(" AND (p.unit_id IN ").in_list(units.iter().copied());
        q.push(" OR n.responsible_unit_id IN ").in_list(units.iter().copied()).push(")");
    }
}

const CHANGE_COLUMNS: &str = "SELECT c.id, c.node_id, n.project_id, p.name AS project_name, n.name AS node_name, c.old_planned_on, \
     c.new_planned_on, c.reason_text, c.requested_by, c.decision_note \
     FROM node_date_changes c JOIN nodes n ON n.id = c.node_id JOIN projects p ON p.id = n.project_id WHERE ";

fn change_row(r: &sqlx::any::AnyRow) -> Result<DateChangeRow, StoreError> {
    Ok(DateChangeRow {
        id: i64_(r, "id")?,
        node_id: i64_(r, "node_id")?,
        project_id: i64_(r, "project_id")?,
        project_name: text(r, "project_name")?,
        node_name: text(r, "node_name")?,
        old_planned_on: date(r, "old_planned_on")?,
        new_planned_on: date(r, "new_planned_on")?,
        reason_text: text(r, "reason_text")?,
        requested_by: text(r, "requested_by")?,
        decision_note: opt_text(r, "decision_note")?,
    })
}

impl Store {
    /// The to-do of `who` on the data date: the sections of their role, in order.
    pub async fn todo(&self, who: &TodoReader) -> Result<Todo, StoreError> {
        let as_of = self.as_of().await?;
        let cal = self.calendar().await?;
        let mut sections = Vec::new();
        for kind in rules::sections(who.role) {
            sections.push(self.todo_section(*kind, who, as_of, &cal).await?);
        }
        Ok(Todo::new(as_of, sections))
    }

    /// One section: its query, then its domain function. A new section is one arm here.
    async fn todo_section(&self, kind: SectionKind, who: &TodoReader, as_of: NaiveDate, cal: &WorkCalendar) -> Result<Section, StoreError> {
        use SectionKind::*;
        let scope = who.scope();
        Ok(match kind {
            CloseOuts => rules::close_outs(self.todo_reported_nodes(scope).await?, as_of, cal),
            DateChanges => rules::date_changes(self.todo_pending_changes(scope).await?, as_of, cal),
            LateReports => rules::late_reports(&self.todo_owed_reports(scope, as_of, cal).await?, as_of, cal),
            ProblemsToAssign => rules::problems_to_assign(&self.todo_open_problems(scope, None).await?, as_of, cal),
            ProblemsToClose => rules::problems_to_close(&self.todo_open_problems(scope, None).await?, as_of, cal),
            DueSoon => rules::due_soon(&self.todo_open_nodes(scope, None, as_of).await?, as_of, cal),
            Overdue => rules::overdue(&self.todo_open_nodes(scope, None, as_of).await?, as_of, cal),
            ReportsDue => rules::reports_due(&self.todo_owed_reports(scope, as_of, cal).await?, as_of, cal),
            ProblemsAssigned => rules::problems_assigned(&self.todo_open_problems(scope, None).await?, as_of, cal),
            SentBack => {
                let (returned, refused) = self.todo_sent_back(scope).await?;
                rules::sent_back(returned, refused, as_of, cal)
            }
            Reds => rules::lights(&self.todo_lit_projects(who).await?, Light::Red),
            Yellows => rules::lights(&self.todo_lit_projects(who).await?, Light::Yellow),
            Escalated => {
                let leader = self.todo_leader_people(who).await?;
                rules::escalated(&self.todo_open_problems(scope, leader.as_deref()).await?, as_of, cal)
            }
            Instructions => rules::instructions(self.todo_instructions(who, as_of).await?, as_of, cal),
        })
    }

    /// 批示 and 督办单 whose next move is the reader's: replies their unit owes, acceptances of
    /// replies to what they issued.
    async fn todo_instructions(&self, who: &TodoReader, as_of: NaiveDate) -> Result<Vec<InstructionRow>, StoreError> {
        let actor = zhantu_domain::access::Actor {
            user_id: who.user_id,
            username: who.username.clone(),
            role: who.role,
            unit_scope: who.unit_scope.clone(),
        };
        Ok(self
            .instructions_awaiting(&actor, as_of)
            .await?
            .into_iter()
            .map(|i| InstructionRow {
                id: i.id,
                kind_label: i.kind.label_zh().to_string(),
                project_name: i.project.name,
                unit_name: i.unit.name,
                text: i.text,
                deadline: i.deadline,
                replied: i.state == zhantu_domain::instructions::State::Replied,
            })
            .collect())
    }

    /// Nodes reported done and waiting for verification, oldest report first.
    async fn todo_reported_nodes(&self, scope: Option<&[i64]>) -> Result<Vec<NodeRow>, StoreError> {
        let mut q = SqlBuf::new(NODE_COLUMNS);
        q.push("n.status = 'reported'");
        node_scope(&mut q, scope);
        q.push(" ORDER BY n.reported_at, n.id");
        read_all(q.query(), &self.pool, node_row).await
    }

    /// Open nodes planned up to the end of the reminder window (every overdue one too; from
    /// `from` on when given, for the reminders).
    async fn todo_open_nodes(&self, scope: Option<&[i64]>, from: Option<NaiveDate>, as_of: NaiveDate) -> Result<Vec<NodeRow>, StoreError> {
        // Three working days are at most twelve calendar days, even over the Spring Festival.
        let until = as_of + chrono::Duration::days(14);
        let mut q = SqlBuf::new(NODE_COLUMNS);
        q.push("n.status = 'open' AND n.planned_on <= ").arg(until.to_string());
        q.push_some(" AND n.planned_on >= ", from.map(|d| d.to_string()));
        node_scope(&mut q, scope);
        q.push(" ORDER BY n.planned_on, n.id");
        read_all(q.query(), &self.pool, node_row).await
    }

    async fn todo_pending_changes(&self, scope: Option<&[i64]>) -> Result<Vec<DateChangeRow>, StoreError> {
        let mut q = SqlBuf::new(CHANGE_COLUMNS);
        q.push("c.status = 'pending'");
        node_scope(&mut q, scope);
        q.push(" ORDER BY c.id");
        read_all(q.query(), &self.pool, change_row).await
    }

    /// Close-outs sent back (open again, with the reason), and refused date changes whose node
    /// is still open with no later request.
    async fn todo_sent_back(&self, scope: Option<&[i64]>) -> Result<(Vec<NodeRow>, Vec<DateChangeRow>), StoreError> {
        let mut q = SqlBuf::new(NODE_COLUMNS);
        q.push("n.status = 'open' AND n.return_reason IS NOT NULL");
        node_scope(&mut q, scope);
        q.push(" ORDER BY n.planned_on, n.id");
        let returned = read_all(q.query(), &self.pool, node_row).await?;
        let mut q = SqlBuf::new(CHANGE_COLUMNS);
        q.push(
            "c.status = 'rejected' AND n.status = 'open' \
             AND NOT EXISTS (SELECT 1 FROM node_date_changes l WHERE l.node_id = c.node_id AND l.id > c.id)",
        );
        node_scope(&mut q, scope);
        q.push(" ORDER BY c.id");
        let refused = read_all(q.query(), &self.pool, change_row).await?;
        Ok((returned, refused))
    }

    /// Problems not closed: of the units in scope, or (`leader_people`) of the projects those
    /// leaders are in charge of, escalated to the leaders.
    async fn todo_open_problems(&self, scope: Option<&[i64]>, leader_people: Option<&[i64]>) -> Result<Vec<ProblemRow>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT pr.id, pr.description, u.name AS unit_name, p.name AS project_name, pr.deadline, pr.status, pr.callback_result, \
             pr.escalation_level FROM problems pr JOIN units u ON u.id = pr.unit_id LEFT JOIN projects p ON p.id = pr.project_id \
             WHERE pr.status <> 'closed'",
        );
        if let Some(units) = scope {
            q.push(" AND pr.unit_id IN ").in_list(units.iter().copied());
        }
        if let Some(people) = leader_people {
            q.push(" AND pr.escalation_level >= 2 AND p.leader_id IN ")
                .in_list(people.iter().copied());
        }
        q.push(" ORDER BY pr.deadline, pr.id");
        read_all(q.query(), &self.pool, |r| {
            let s = text(r, "status")?;
            let status = ProblemStatus::from_code(&s).ok_or_else(|| crate::writes::corrupt("problems.status", &s))?;
            let satisfied = opt_text(r, "callback_result")?.map(|c| c == "satisfied");
            Ok(ProblemRow {
                id: i64_(r, "id")?,
                description: text(r, "description")?,
                unit_name: text(r, "unit_name")?,
                project_name: opt_text(r, "project_name")?,
                deadline: date(r, "deadline")?,
                state: LoopState::from_stored(status, satisfied),
                escalation_level: i64_(r, "escalation_level")?,
            })
        })
        .await
    }

    /// The people (包干领导) a leader's account stands for, by name; `None` when it names no
    /// leader in the register: such an account (the demo's 区领导) follows the whole district.
    async fn todo_leader_people(&self, who: &TodoReader) -> Result<Option<Vec<i64>>, StoreError> {
        if who.role != Role::Leader {
            return Ok(None);
        }
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM people WHERE is_leader = 1 AND name = $1 ORDER BY id")
            .bind(&who.display_name)
            .fetch_all(&self.pool)
            .await?;
        Ok((!ids.is_empty()).then_some(ids))
    }

    /// Red and yellow projects: a leader's own (包干), or the district's.
    async fn todo_lit_projects(&self, who: &TodoReader) -> Result<Vec<ProjectRow>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT p.id, p.name, u.name AS unit_name, p.light, p.light_reason, p.light_reasons_en FROM projects p JOIN units u ON u.id = p.unit_id \
             WHERE p.light IN ('red', 'yellow')",
        );
        if let Some(people) = self.todo_leader_people(who).await? {
            q.push(" AND p.leader_id IN ").in_list(people);
        }
        if let Some(units) = who.scope() {
            q.push(" AND p.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" ORDER BY p.id");
        read_all(q.query(), &self.pool, |r| {
            Ok(ProjectRow {
                id: i64_(r, "id")?,
                name: text(r, "name")?,
                unit_name: text(r, "unit_name")?,
                light: opt_text(r, "light")?.as_deref().and_then(Light::from_code),
                light_reason: opt_text(r, "light_reason")?,
                light_reason_en: opt_text(r, "light_reasons_en")?
                    .and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok())
                    .and_then(|all| all.into_iter().next()),
            })
        })
        .await
    }

    /// The progress reports owed on `as_of` and not filed, by the rule set's 填报 rules.
    async fn todo_owed_reports(&self, scope: Option<&[i64]>, as_of: NaiveDate, cal: &WorkCalendar) -> Result<Vec<OwedReport>, StoreError> {
        let rules = self.rule_set().await?;
        let mut q = SqlBuf::new(
            "SELECT p.id, p.name, p.unit_id, u.name AS unit_name, p.stage, p.planned_year FROM projects p JOIN units u ON u.id = p.unit_id \
             WHERE p.paused = 0 AND p.stage <> 'terminated'",
        );
        if let Some(units) = scope {
            q.push(" AND p.unit_id IN ").in_list(units.iter().copied());
        }
        let reporters = read_all(q.query(), &self.pool, |r| {
            let stage = text(r, "stage")?;
            Ok(Reporter {
                project_id: i64_(r, "id")?,
                project_name: text(r, "name")?,
                unit_id: i64_(r, "unit_id")?,
                unit_name: text(r, "unit_name")?,
                stage: Stage::from_code(&stage).ok_or_else(|| crate::writes::corrupt("projects.stage", &stage))?,
                planned_year: i64_(r, "planned_year")? as i32,
            })
        })
        .await?;
        // Periods in play end within the last two months and a week.
        let since = as_of - chrono::Duration::days(100);
        let mut filed = HashSet::new();
        for r in sqlx::query("SELECT project_id, period_kind, period_start FROM progress_reports WHERE period_start >= $1")
            .bind(since.to_string())
            .fetch_all(&self.pool)
            .await?
        {
            if let Some(kind) = ReportPeriod::from_code(&text(&r, "period_kind")?) {
                filed.insert((i64_(&r, "project_id")?, kind, date(&r, "period_start")?));
            }
        }
        Ok(rules::owed_reports(&reporters, &rules, &filed, as_of, cal))
    }

    /// The header's count for `who`: to-do items and unread notifications. One query when
    /// nothing changed since the count was last made (the to-do is recomputed otherwise).
    pub async fn waiting(&self, who: &TodoReader) -> Result<Waiting, StoreError> {
        let r = sqlx::query(
            "SELECT CAST((SELECT entries FROM audit_head WHERE id = 1) AS BIGINT) AS audited, \
             CAST((SELECT COALESCE(MAX(id), 0) FROM light_runs) AS BIGINT) AS light_runs, \
             (SELECT value FROM settings WHERE key = 'as_of') AS as_of, \
             CAST((SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL) AS BIGINT) AS unread",
        )
        .bind(who.user_id)
        .fetch_one(&self.pool)
        .await?;
        let as_of = match opt_text(&r, "as_of")? {
            Some(s) => s.parse().map_err(|_| crate::writes::corrupt("settings.as_of", &s))?,
            None => crate::today_in_china(),
        };
        let key = WaitingKey {
            audited: i64_(&r, "audited")?,
            light_runs: i64_(&r, "light_runs")?,
            as_of,
        };
        let unread = i64_(&r, "unread")?;
        let cached = self
            .waiting
            .lock()
            .ok()
            .and_then(|c| c.get(&who.user_id).filter(|(k, _)| *k == key).map(|(_, n)| *n));
        let todo = match cached {
            Some(n) => n,
            None => {
                let n = self.todo(who).await?.total;
                if let Ok(mut c) = self.waiting.lock() {
                    c.insert(who.user_id, (key, n));
                }
                n
            }
        };
        Ok(Waiting { todo, unread })
    }

    /// The daily reminders (临期提醒) on the data date: every open node planned within three
    /// working days, and every progress report owed with its deadline that close, to the unit
    /// editors of the units concerned (the project's and the node's responsible unit). Each
    /// person gets each reminder once (`reminders_sent`), in one inbox item per run.
    pub async fn send_reminders(&self) -> Result<RemindersRun, StoreError> {
        let as_of = self.as_of().await?;
        let cal = self.calendar().await?;
        let open = self.todo_open_nodes(None, Some(as_of), as_of).await?;
        let owed = self.todo_owed_reports(None, as_of, &cal).await?;
        // (key, the units concerned, the line said about it)
        let mut reminders: Vec<(String, Vec<i64>, String)> = Vec::new();
        for n in rules::nodes_to_remind(&open, as_of, &cal) {
            reminders.push((
                rules::node_reminder_key(n),
                vec![n.project_unit_id, n.responsible_unit_id],
                format!("节点“{}”（{}）计划{}完成", n.name, n.project_name, n.planned_on),
            ));
        }
        for r in rules::reports_to_remind(&owed, as_of, &cal) {
            reminders.push((
                rules::report_reminder_key(r),
                vec![r.unit_id],
                format!(
                    "“{}”{}（{}～{}）应于{}前报送",
                    r.project_name,
                    r.kind.label_zh(),
                    r.period.start,
                    r.period.end,
                    r.due
                ),
            ));
        }
        let mut run = RemindersRun {
            as_of: Some(as_of),
            ..Default::default()
        };
        if reminders.is_empty() {
            return Ok(run);
        }
        let mut scopes: HashMap<i64, Vec<i64>> = HashMap::new();
        let editors: Vec<_> = self
            .users()
            .await?
            .into_iter()
            .filter(|u| u.active && u.role == Role::UnitEditor)
            .collect();
        for u in &editors {
            if let std::collections::hash_map::Entry::Vacant(e) = scopes.entry(u.unit_id) {
                e.insert(self.unit_and_descendants(u.unit_id).await?);
            }
        }
        let mut tx = self.pool.begin().await?;
        let t = now();
        let mut sent: BTreeMap<String, String> = BTreeMap::new();
        for u in &editors {
            let scope = &scopes[&u.unit_id];
            let mut lines = Vec::new();
            for (key, _, line) in reminders.iter().filter(|(_, units, _)| units.iter().any(|x| scope.contains(x))) {
                let fresh = sqlx::query(
                    "INSERT INTO reminders_sent (user_id, subject, sent_on) VALUES ($1, $2, $3) ON CONFLICT (user_id, subject) DO NOTHING",
                )
                .bind(u.id)
                .bind(key)
                .bind(as_of.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if fresh {
                    lines.push(line.clone());
                    sent.insert(key.clone(), line.clone());
                }
            }
            if lines.is_empty() {
                continue;
            }
            let title = format!("临期提醒：{}项将在{}个工作日内到期", lines.len(), rules::REMIND_WORKING_DAYS);
            insert_notification(&mut tx, u.id, &t, "reminder", &title, &lines.join("\n"), "/todo").await?;
            run.notifications += 1;
        }
        tx.commit().await?;
        run.nodes = sent.keys().filter(|k| k.starts_with("node:")).count();
        run.reports = sent.len() - run.nodes;
        run.lines = sent.into_values().collect();
        Ok(run)
    }
}
