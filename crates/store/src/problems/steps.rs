//! Raising a problem and taking the steps of its loop: each one transaction with the loop's
//! rule, the history entry and the audit entry.

use super::{NewProblem, PROBLEM_COLUMNS, ProblemDetail, StepInput, insert_event, problem_item, snapshot};
use crate::audit::{AuditCtx, append};
use crate::row::found;
use crate::writes::{ensure_unit, must_read, now};
use crate::{DocKind, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use sqlx::AnyConnection;
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::problems::{
    Event, check_assign_deadline, check_problem_deadline, check_problem_text, check_step, check_step_note, default_deadline, transition,
};

impl Store {
    /// Raises a problem (from a project, node, report, visit, or on its own).
    pub async fn raise_problem(&self, p: &NewProblem, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let cal = self.calendar().await?;
        let mut tx = self.begin_locked().await?;
        let id = insert_problem(self, &mut tx, &cal, p, ctx).await?;
        tx.commit().await?;
        Ok(id)
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
        check_step_note(note)?;
        let mut tx = self.begin_locked().await?;
        let r = found(sqlx::query(&format!("{PROBLEM_COLUMNS} WHERE pr.id = $1")).bind(id), &mut *tx).await?;
        let before = problem_item(&r, &cal, today)?;
        if event != Event::Comment && before.version != input.version {
            return Err(self.stale(tx, "problem", id).await?);
        }
        let next = transition(before.state, event)?;
        check_step(event, note, input.satisfaction)?;
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
                check_assign_deadline(input.deadline, today)?;
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
            Event::Comment => {}
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
    check_problem_text(category, description)?;
    ensure_unit(conn, p.unit_id).await?;
    let mut project_id = p.project_id;
    if let Some(node) = p.node_id {
        let owner: i64 = must_read(
            &mut *conn,
            "SELECT project_id FROM nodes WHERE id = $1",
            node,
            "node_missing",
            "节点",
        )
        .await?;
        if project_id.is_some_and(|pid| pid != owner) {
            return Err(StoreError::rule(
                "node_not_in_project",
                format!("节点 {node} 不属于项目 {}", project_id.unwrap_or(0)),
            ));
        }
        project_id = Some(owner);
    }
    if let Some(report) = p.report_id {
        let owner: i64 = must_read(
            &mut *conn,
            "SELECT project_id FROM progress_reports WHERE id = $1",
            report,
            "report_missing",
            "进度报送",
        )
        .await?;
        project_id = Some(project_id.unwrap_or(owner));
    }
    if let Some(pid) = project_id {
        must_read::<i64>(&mut *conn, "SELECT id FROM projects WHERE id = $1", pid, "project_missing", "项目").await?;
    }
    if p.blocks_node && p.node_id.is_none() {
        return Err(StoreError::rule(
            "problem_block_needs_node",
            "只有针对节点提出的问题才能设为阻塞该节点",
        ));
    }
    if let Some(ext) = p.external_id.as_deref() {
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM problems WHERE external_id = $1")
            .bind(ext)
            .fetch_optional(&mut *conn)
            .await?;
        if let Some(other) = taken {
            return Err(StoreError::Duplicate(format!("外部编号“{ext}”已用于问题 {other}，未保存")));
        }
    }
    let raised = p
        .raised_on
        .ok_or_else(|| StoreError::rule("problem_raised_on_missing", "缺少提出日期"))?;
    let deadline = p.deadline.unwrap_or_else(|| default_deadline(cal, raised));
    check_problem_deadline(raised, deadline)?;
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
