//! 批示 and 督办单 (`zhantu_domain::instructions`): issuing one on a project or a red node, the
//! loop's steps (回复 → 办结, or 退回), the lists, what awaits a user, and the daily escalation
//! of overdue 督办单. Every write is one transaction with its history entry, its inbox messages
//! and its audit entry, audited on the item's project (where the project's history shows it).

use crate::audit::{AuditCtx, append};
use crate::choices::NamedRef;
use crate::escalation::{raise, told};
use crate::row::{SqlBuf, date, found, i64_, opt_date, opt_i64, opt_text, read_all, rows_for, text};
use crate::writes::{Tx, conflict_by, ensure_unit, insert_notification, must_read, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use zhantu_domain::access::{Actor, Role};
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::escalation::Ladder;
use zhantu_domain::instructions::{
    Kind, Parties, State, Step, check_deadline, check_note, check_order_target, check_text, deadline_after_return, default_deadline,
    escalates, is_overdue, transition,
};
use zhantu_domain::lights::Light;

/// A 批示 or 督办单 to issue. The unit is the node's responsible unit (a node named), else the
/// project's, unless one is given.
#[derive(Debug, Clone)]
pub struct NewInstruction {
    pub kind: Kind,
    pub project_id: i64,
    pub node_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub text: String,
    /// Default: 5 working days from `today`.
    pub deadline: Option<NaiveDate>,
    /// The issuing user.
    pub issued_by: i64,
}

#[derive(Debug, Clone, Default)]
pub struct InstructionFilter {
    pub kind: Option<Kind>,
    pub state: Option<State>,
    /// Not yet closed.
    pub open: bool,
    pub unit_id: Option<i64>,
    pub project_id: Option<i64>,
    pub overdue: bool,
    /// A unit's staff: the items for their units or on their units' projects.
    pub within_units: Option<Vec<i64>>,
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstructionItem {
    pub id: i64,
    pub kind: Kind,
    pub project: NamedRef,
    pub project_unit_id: i64,
    pub node: Option<NamedRef>,
    pub unit: NamedRef,
    pub text: String,
    pub issued_by: NamedRef,
    pub issued_on: NaiveDate,
    pub deadline: NaiveDate,
    pub state: State,
    pub replied_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    pub escalation_level: i64,
    pub overdue: bool,
    /// Working days past the deadline (0 when not overdue).
    pub overdue_days: i64,
    pub version: i64,
}

impl InstructionItem {
    pub fn parties(&self) -> Parties {
        Parties {
            unit_id: self.unit.id,
            project_unit_id: self.project_unit_id,
            issued_by: self.issued_by.id,
        }
    }
}

/// One entry of an item's history: issued, a reply, accepted, returned, escalated.
#[derive(Debug, Clone, Serialize)]
pub struct InstructionEvent {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// `issue`, `reply`, `accept`, `return`, `escalate`.
    pub kind: String,
    pub note: String,
    pub deadline: Option<NaiveDate>,
    pub level: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstructionDetail {
    #[serde(flatten)]
    pub item: InstructionItem,
    pub events: Vec<InstructionEvent>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstructionPage {
    pub total: i64,
    pub items: Vec<InstructionItem>,
}

/// What a step carries.
#[derive(Debug, Clone, Default)]
pub struct InstructionStep {
    pub version: i64,
    /// 回复: the reply; 退回: the reason; 办结: an optional note.
    pub note: String,
    /// 退回: the new reply deadline (default: the old one while it holds, else 5 working days).
    pub deadline: Option<NaiveDate>,
}

/// One 督办单 the daily run moved up the ladder.
#[derive(Debug, Clone, Serialize)]
pub struct InstructionEscalation {
    pub instruction_id: i64,
    pub unit_id: i64,
    pub from_level: i64,
    pub to_level: i64,
    pub overdue_days: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct InstructionEscalationRun {
    pub today: NaiveDate,
    /// 督办单 past their deadline, waiting for the unit's reply.
    pub overdue: usize,
    pub escalated: Vec<InstructionEscalation>,
    pub notifications: usize,
}

const COLUMNS: &str = "SELECT i.id, i.kind, i.project_id, p.name AS project_name, p.unit_id AS project_unit_id, p.leader_id, \
     i.node_id, n.name AS node_name, i.unit_id, u.name AS unit_name, i.body, i.issued_by, us.display_name AS issuer_name, \
     i.issued_on, i.deadline, i.status, i.replied_on, i.closed_on, i.escalation_level, i.version \
     FROM instructions i JOIN projects p ON p.id = i.project_id JOIN units u ON u.id = i.unit_id \
     JOIN users us ON us.id = i.issued_by LEFT JOIN nodes n ON n.id = i.node_id";

fn item(r: &AnyRow, cal: &WorkCalendar, today: NaiveDate) -> Result<InstructionItem, StoreError> {
    let kind_code = text(r, "kind")?;
    let kind = Kind::from_code(&kind_code).ok_or_else(|| crate::writes::corrupt("instructions.kind", &kind_code))?;
    let status = text(r, "status")?;
    let state = State::from_code(&status).ok_or_else(|| crate::writes::corrupt("instructions.status", &status))?;
    let deadline = date(r, "deadline")?;
    let overdue = is_overdue(state, deadline, today);
    Ok(InstructionItem {
        id: i64_(r, "id")?,
        kind,
        project: NamedRef {
            id: i64_(r, "project_id")?,
            name: text(r, "project_name")?,
        },
        project_unit_id: i64_(r, "project_unit_id")?,
        node: match opt_i64(r, "node_id")? {
            Some(id) => Some(NamedRef {
                id,
                name: opt_text(r, "node_name")?.unwrap_or_default(),
            }),
            None => None,
        },
        unit: NamedRef {
            id: i64_(r, "unit_id")?,
            name: text(r, "unit_name")?,
        },
        text: text(r, "body")?,
        issued_by: NamedRef {
            id: i64_(r, "issued_by")?,
            name: text(r, "issuer_name")?,
        },
        issued_on: date(r, "issued_on")?,
        deadline,
        state,
        replied_on: opt_date(r, "replied_on")?,
        closed_on: opt_date(r, "closed_on")?,
        escalation_level: i64_(r, "escalation_level")?,
        overdue,
        overdue_days: if overdue { Ladder::overdue_days(cal, deadline, today) } else { 0 },
        version: i64_(r, "version")?,
    })
}

fn snapshot(i: &InstructionItem) -> serde_json::Value {
    json!({
        "instruction_id": i.id, "kind": i.kind.code(), "node_id": i.node.as_ref().map(|n| n.id), "unit_id": i.unit.id,
        "status": i.state.code(), "deadline": i.deadline, "escalation_level": i.escalation_level, "version": i.version,
    })
}

fn filter_where(f: &InstructionFilter, today: NaiveDate, q: &mut SqlBuf) {
    q.push(" WHERE 1 = 1");
    q.push_some(" AND i.kind = ", f.kind.map(Kind::code));
    q.push_some(" AND i.status = ", f.state.map(State::code));
    if f.open {
        q.push(" AND i.status <> 'closed'");
    }
    q.push_some(" AND i.unit_id = ", f.unit_id);
    q.push_some(" AND i.project_id = ", f.project_id);
    if f.overdue {
        q.push(" AND i.status IN ('awaiting_reply', 'returned') AND i.deadline < ")
            .arg(today);
    }
    if let Some(units) = &f.within_units {
        q.push(" AND (i.unit_id IN ").in_list(units.iter().copied());
        q.push(" OR p.unit_id IN ").in_list(units.iter().copied()).push(")");
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    conn: &mut AnyConnection,
    id: i64,
    actor: &str,
    kind: &str,
    from: Option<State>,
    to: State,
    note: &str,
    deadline: Option<NaiveDate>,
    level: Option<i64>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO instruction_events (instruction_id, at, actor, kind, from_status, to_status, note, deadline, level) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(now())
    .bind(actor)
    .bind(kind)
    .bind(from.map(|s| s.code().to_string()))
    .bind(to.code())
    .bind(note)
    .bind(deadline.map(|d| d.to_string()))
    .bind(level)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Tells the active users of `unit_id` (its editors and viewers), or one user.
async fn tell(conn: &mut AnyConnection, to: Recipients, title: &str, body: &str, link: &str) -> Result<(), StoreError> {
    let users: Vec<i64> = match to {
        Recipients::Unit(unit_id) => {
            sqlx::query_scalar("SELECT id FROM users WHERE unit_id = $1 AND active = 1 AND role IN ('unit_editor', 'viewer') ORDER BY id")
                .bind(unit_id)
                .fetch_all(&mut *conn)
                .await?
        }
        Recipients::User(id) => vec![id],
    };
    let t = now();
    for u in users {
        insert_notification(conn, u, &t, "instruction", title, body, link).await?;
    }
    Ok(())
}

enum Recipients {
    Unit(i64),
    User(i64),
}

fn link(id: i64) -> String {
    format!("/instructions/{id}")
}

fn clipped(s: &str) -> String {
    let mut c: String = s.trim().chars().take(60).collect();
    if s.trim().chars().count() > 60 {
        c.push('…');
    }
    c
}

async fn read_in(conn: &mut AnyConnection, id: i64, cal: &WorkCalendar, today: NaiveDate) -> Result<InstructionItem, StoreError> {
    item(
        &found(sqlx::query(&format!("{COLUMNS} WHERE i.id = $1")).bind(id), &mut *conn).await?,
        cal,
        today,
    )
}

impl Store {
    /// Issues a 批示 or a 督办单 (a 督办单 only on a red node, or a red project when it names no
    /// node); the unit's users are told.
    pub async fn issue_instruction(&self, n: &NewInstruction, today: NaiveDate, ctx: &AuditCtx) -> Result<InstructionDetail, StoreError> {
        check_text(&n.text)?;
        let cal = self.calendar().await?;
        let mut tx = self.begin_locked().await?;
        let (project_unit, project_light): (i64, Option<String>) = {
            let r = sqlx::query("SELECT unit_id, light FROM projects WHERE id = $1")
                .bind(n.project_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::rule("project_missing", format!("项目 {} 不存在", n.project_id)))?;
            (i64_(&r, "unit_id")?, opt_text(&r, "light")?)
        };
        let node = match n.node_id {
            Some(node_id) => {
                let r = sqlx::query("SELECT project_id, responsible_unit_id, light FROM nodes WHERE id = $1")
                    .bind(node_id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or_else(|| StoreError::rule("node_missing", format!("节点 {node_id} 不存在")))?;
                if i64_(&r, "project_id")? != n.project_id {
                    return Err(StoreError::rule(
                        "node_not_in_project",
                        format!("节点 {node_id} 不属于项目 {}", n.project_id),
                    ));
                }
                Some((i64_(&r, "responsible_unit_id")?, opt_text(&r, "light")?))
            }
            None => None,
        };
        let light = |c: &Option<String>| c.as_deref().and_then(Light::from_code);
        if n.kind == Kind::Order {
            check_order_target(node.as_ref().map(|(_, l)| light(l)), light(&project_light))?;
        }
        let unit_id = n.unit_id.or(node.as_ref().map(|(u, _)| *u)).unwrap_or(project_unit);
        ensure_unit(&mut tx, unit_id).await?;
        let deadline = n.deadline.unwrap_or_else(|| default_deadline(&cal, today));
        check_deadline(deadline, today)?;
        let body = n.text.trim();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO instructions (kind, project_id, node_id, unit_id, body, issued_by, issued_on, deadline, status, escalation_level, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'awaiting_reply', 0, 1) RETURNING id",
        )
        .bind(n.kind.code())
        .bind(n.project_id)
        .bind(n.node_id)
        .bind(unit_id)
        .bind(body)
        .bind(n.issued_by)
        .bind(today.to_string())
        .bind(deadline.to_string())
        .fetch_one(&mut *tx)
        .await?;
        insert_event(
            &mut tx,
            id,
            &ctx.actor,
            "issue",
            None,
            State::AwaitingReply,
            body,
            Some(deadline),
            None,
        )
        .await?;
        let after = read_in(&mut tx, id, &cal, today).await?;
        let about = match &after.node {
            Some(node) => format!("{}·{}", after.project.name, node.name),
            None => after.project.name.clone(),
        };
        tell(
            &mut tx,
            Recipients::Unit(unit_id),
            &format!("{}：{about}（{deadline}前回复）", n.kind.label_zh()),
            &clipped(body),
            &link(id),
        )
        .await?;
        let mut audit = snapshot(&after);
        audit["text"] = json!(body);
        append(&mut tx, ctx, "instruction.issue", "project", Some(n.project_id), None, Some(&audit)).await?;
        tx.commit().await?;
        self.instruction(id, today).await
    }

    /// Takes a step of the loop at the item's `version` (stale: 409): the reply tells the
    /// issuer, a return or an acceptance tells the unit.
    pub async fn instruction_step(
        &self,
        id: i64,
        step: Step,
        input: &InstructionStep,
        today: NaiveDate,
        ctx: &AuditCtx,
    ) -> Result<InstructionDetail, StoreError> {
        let cal = self.calendar().await?;
        let mut tx = self.begin_locked().await?;
        let before = read_in(&mut tx, id, &cal, today).await?;
        if before.version != input.version {
            return Err(self.stale_instruction(tx, id).await?);
        }
        let next = transition(before.state, step)?;
        check_note(step, &input.note)?;
        let note = input.note.trim();
        let mut deadline = None;
        match step {
            Step::Reply => {
                sqlx::query("UPDATE instructions SET status = $1, replied_on = $2, version = version + 1 WHERE id = $3")
                    .bind(next.code())
                    .bind(today.to_string())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Step::Accept => {
                sqlx::query("UPDATE instructions SET status = $1, closed_on = $2, version = version + 1 WHERE id = $3")
                    .bind(next.code())
                    .bind(today.to_string())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Step::Return => {
                if let Some(d) = input.deadline {
                    check_deadline(d, today)?;
                }
                let d = deadline_after_return(&cal, input.deadline, before.deadline, today);
                deadline = Some(d);
                sqlx::query("UPDATE instructions SET status = $1, deadline = $2, version = version + 1 WHERE id = $3")
                    .bind(next.code())
                    .bind(d.to_string())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        insert_event(&mut tx, id, &ctx.actor, step.code(), Some(before.state), next, note, deadline, None).await?;
        let after = read_in(&mut tx, id, &cal, today).await?;
        let what = before.kind.label_zh();
        let (to, title) = match step {
            Step::Reply => (
                Recipients::User(before.issued_by.id),
                format!("{}已回复{what}：{}", before.unit.name, before.project.name),
            ),
            Step::Accept => (Recipients::Unit(before.unit.id), format!("{what}已办结：{}", before.project.name)),
            Step::Return => (
                Recipients::Unit(before.unit.id),
                format!("{what}被退回：{}（{}前重新回复）", before.project.name, after.deadline),
            ),
        };
        tell(&mut tx, to, &title, &clipped(note), &link(id)).await?;
        let mut audit = snapshot(&after);
        audit["note"] = json!(note);
        append(
            &mut tx,
            ctx,
            &format!("instruction.{}", step.code()),
            "project",
            Some(before.project.id),
            Some(&snapshot(&before)),
            Some(&audit),
        )
        .await?;
        tx.commit().await?;
        self.instruction(id, today).await
    }

    /// The conflict of a stale step: who last took a step on the item, from its history.
    async fn stale_instruction(&self, tx: Tx, id: i64) -> Result<StoreError, StoreError> {
        drop(tx);
        let last = sqlx::query("SELECT actor, at FROM instruction_events WHERE instruction_id = $1 ORDER BY id DESC LIMIT 1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        conflict_by(last)
    }

    /// One item with its history.
    pub async fn instruction(&self, id: i64, today: NaiveDate) -> Result<InstructionDetail, StoreError> {
        let cal = self.calendar().await?;
        let r = found(sqlx::query(&format!("{COLUMNS} WHERE i.id = $1")).bind(id), &self.pool).await?;
        let item = item(&r, &cal, today)?;
        let events = rows_for(
            &self.pool,
            "SELECT * FROM instruction_events WHERE instruction_id = $1 ORDER BY id",
            id,
            |e| {
                Ok(InstructionEvent {
                    id: i64_(e, "id")?,
                    at: text(e, "at")?,
                    actor: text(e, "actor")?,
                    kind: text(e, "kind")?,
                    note: text(e, "note")?,
                    deadline: opt_date(e, "deadline")?,
                    level: opt_i64(e, "level")?,
                })
            },
        )
        .await?;
        Ok(InstructionDetail { item, events })
    }

    /// The items of a project with their histories, newest first (the project page's list).
    pub async fn project_instructions(&self, project_id: i64, today: NaiveDate) -> Result<Vec<InstructionDetail>, StoreError> {
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM instructions WHERE project_id = $1 ORDER BY id DESC LIMIT 100")
            .bind(project_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.instruction(id, today).await?);
        }
        Ok(out)
    }

    /// A page of items: overdue first, then the newest.
    pub async fn list_instructions(&self, f: &InstructionFilter, today: NaiveDate) -> Result<InstructionPage, StoreError> {
        let cal = self.calendar().await?;
        let mut w = SqlBuf::new("");
        filter_where(f, today, &mut w);
        let order = "i.escalation_level DESC, i.deadline, i.id DESC";
        let (total, rows) = w
            .count_and_page(
                &self.pool,
                "instructions i JOIN projects p ON p.id = i.project_id",
                COLUMNS,
                order,
                f.limit,
                f.offset,
            )
            .await?;
        let items = rows.iter().map(|r| item(r, &cal, today)).collect::<Result<Vec<_>, _>>()?;
        Ok(InstructionPage { total, items })
    }

    /// What awaits `actor` (for 我的待办): the replies their unit owes (a unit editor's: the
    /// items for the units of their scope waiting for a reply or sent back), and the replies
    /// waiting for their decision on the items they issued. Nearest deadline first.
    pub async fn instructions_awaiting(&self, actor: &Actor, today: NaiveDate) -> Result<Vec<InstructionItem>, StoreError> {
        let cal = self.calendar().await?;
        let mut q = SqlBuf::new(COLUMNS);
        q.push(" WHERE (i.status = 'replied' AND i.issued_by = ")
            .arg(actor.user_id)
            .push(")");
        if actor.role == Role::UnitEditor && !actor.unit_scope.is_empty() {
            q.push(" OR (i.status IN ('awaiting_reply', 'returned') AND i.unit_id IN ")
                .in_list(actor.unit_scope.iter().copied())
                .push(")");
        }
        q.push(" ORDER BY i.deadline, i.id LIMIT 500");
        read_all(q.query(), &self.pool, |r| item(r, &cal, today)).await
    }

    /// The daily escalation of 督办单 on `today`: each one waiting for its unit's reply past its
    /// deadline rises to the ladder's level (the problems' ladder and setting), with a history
    /// entry, and the people of that level are told (as for problems). Levels never go down,
    /// so a second run on the same day changes nothing.
    pub async fn escalate_instructions(&self, today: NaiveDate, ladder: &Ladder) -> Result<InstructionEscalationRun, StoreError> {
        let cal = self.calendar().await?;
        let rows = sqlx::query(&format!(
            "{COLUMNS} WHERE i.status IN ('awaiting_reply', 'returned') AND i.deadline < $1 ORDER BY i.id"
        ))
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut run = InstructionEscalationRun {
            today,
            overdue: 0,
            escalated: Vec::new(),
            notifications: 0,
        };
        let mut ups = Vec::new();
        for r in &rows {
            let i = item(r, &cal, today)?;
            if !escalates(i.kind, i.state) {
                continue;
            }
            run.overdue += 1;
            let level = ladder.level(&cal, i.deadline, today) as i64;
            if level > i.escalation_level {
                ups.push((i, opt_i64(r, "leader_id")?, level));
            }
        }
        if ups.is_empty() {
            return Ok(run);
        }
        let users = self.users().await?;
        let ctx = AuditCtx::system("escalate");
        let mut tx = self.begin_locked().await?;
        let t = now();
        for (i, leader_id, level) in &ups {
            let note = raise(&mut tx, "instructions", i.id, (*level, i.overdue_days), today).await?;
            insert_event(
                &mut tx,
                i.id,
                &ctx.actor,
                "escalate",
                Some(i.state),
                i.state,
                &note,
                None,
                Some(*level),
            )
            .await?;
            let leader: Option<String> = match leader_id {
                Some(l) => Some(must_read(&mut tx, "SELECT name FROM people WHERE id = $1", *l, "person_missing", "人员").await?),
                None => None,
            };
            let title = format!("{today}督办单逾期升级（{}级）：{}", level, i.project.name);
            for user in told(&users, i.unit.id, leader.as_deref(), *level) {
                insert_notification(&mut tx, user, &t, "escalation", &title, &note, &link(i.id)).await?;
                run.notifications += 1;
            }
            run.escalated.push(InstructionEscalation {
                instruction_id: i.id,
                unit_id: i.unit.id,
                from_level: i.escalation_level,
                to_level: *level,
                overdue_days: i.overdue_days,
            });
        }
        append(
            &mut tx,
            &ctx,
            "instruction.escalate",
            "instruction",
            None,
            None,
            Some(&json!({ "today": today, "ladder": ladder.thresholds, "escalated": run.escalated })),
        )
        .await?;
        tx.commit().await?;
        Ok(run)
    }
}
