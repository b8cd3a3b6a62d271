//! The versions of a project's schedule, read from its nodes' baselines, their approved date
//! changes, and the nodes added to or removed from the approved schedule
//! (`node_plan_changes`); the rules are in `zhantu_domain::schedule`.

use crate::row::{date, i64_, opt_text, read_all, rows_for, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use zhantu_domain::schedule::{ApprovedChange, BaselineNode, ChangeKind, ScheduleVersion, versions};

const APPROVED: &str = "SELECT c.node_id, c.old_planned_on, c.new_planned_on, c.reason_code, c.reason_text, c.requested_by, c.decided_by, c.decided_at \
     FROM node_date_changes c JOIN nodes n ON n.id = c.node_id";

/// An approved date change as a version of the schedule.
fn approved(r: &AnyRow) -> Result<ApprovedChange, StoreError> {
    let code = text(r, "reason_code")?;
    let code_kept = code.clone();
    let label = crate::DATE_CHANGE_REASONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, zh)| zh.to_string())
        .unwrap_or(code);
    let detail = text(r, "reason_text")?;
    Ok(ApprovedChange {
        node_id: i64_(r, "node_id")?,
        kind: ChangeKind::Date,
        from: Some(date(r, "old_planned_on")?),
        to: Some(date(r, "new_planned_on")?),
        reason: if detail.is_empty() { label } else { format!("{label}：{detail}") },
        reason_text: (!detail.is_empty()).then(|| detail.clone()),
        reason_code: Some(code_kept),
        requested_by: text(r, "requested_by")?,
        approved_by: opt_text(r, "decided_by")?.unwrap_or_default(),
        approved_at: opt_text(r, "decided_at")?.unwrap_or_default(),
    })
}

/// A node's approved date changes, oldest first (what a removed node's record keeps).
pub(crate) async fn approved_changes_of(conn: &mut AnyConnection, node_id: i64) -> Result<Vec<ApprovedChange>, StoreError> {
    read_all(
        sqlx::query(&format!(
            "{APPROVED} WHERE c.node_id = $1 AND c.status = 'approved' ORDER BY c.decided_at, c.id"
        ))
        .bind(node_id),
        conn,
        approved,
    )
    .await
}

impl Store {
    /// Every node the schedule has had (the baseline's, those added after it, those removed)
    /// and every version of the schedule, oldest first.
    pub async fn schedule_versions(&self, project_id: i64) -> Result<(Vec<BaselineNode>, Vec<ScheduleVersion>), StoreError> {
        let mut nodes = rows_for(
            &self.pool,
            "SELECT n.id, n.seq, n.name, n.baseline_on, \
             CASE WHEN EXISTS (SELECT 1 FROM node_plan_changes a WHERE a.node_id = n.id AND a.kind = 'added') THEN 0 ELSE 1 END AS in_baseline \
             FROM nodes n WHERE n.project_id = $1 ORDER BY n.seq, n.id",
            project_id,
            |r| {
                Ok(BaselineNode {
                    node_id: i64_(r, "id")?,
                    seq: i64_(r, "seq")?,
                    name: text(r, "name")?,
                    baseline_on: date(r, "baseline_on")?,
                    in_baseline: i64_(r, "in_baseline")? != 0,
                })
            },
        )
        .await?;
        let mut changes = rows_for(
            &self.pool,
            &format!("{APPROVED} WHERE n.project_id = $1 AND c.status = 'approved' ORDER BY c.decided_at, c.id"),
            project_id,
            approved,
        )
        .await?;
        let plan_changes = sqlx::query("SELECT * FROM node_plan_changes WHERE project_id = $1 ORDER BY id")
            .bind(project_id)
            .fetch_all(&self.pool)
            .await?;
        for r in &plan_changes {
            let node_id = i64_(r, "node_id")?;
            let planned_on = date(r, "planned_on")?;
            let removed = text(r, "kind")? == "removed";
            if removed {
                nodes.push(BaselineNode {
                    node_id,
                    seq: i64_(r, "seq")?,
                    name: text(r, "name")?,
                    baseline_on: date(r, "baseline_on")?,
                    in_baseline: i64_(r, "in_baseline")? != 0,
                });
                let kept: Vec<ApprovedChange> = serde_json::from_str(&text(r, "date_changes")?)
                    .map_err(|e| StoreError::Corrupt(format!("node_plan_changes.date_changes: {e}")))?;
                changes.extend(kept);
            }
            let actor = text(r, "actor")?;
            changes.push(ApprovedChange {
                node_id,
                kind: if removed { ChangeKind::Removed } else { ChangeKind::Added },
                from: removed.then_some(planned_on),
                to: (!removed).then_some(planned_on),
                reason: text(r, "reason")?,
                reason_code: None,
                reason_text: None,
                requested_by: actor.clone(),
                approved_by: actor,
                approved_at: text(r, "at")?,
            });
        }
        // In the order they took effect (time stamps in one format: RFC 3339, UTC, ms).
        changes.sort_by(|a, b| a.approved_at.cmp(&b.approved_at));
        let all = versions(&nodes, &changes);
        Ok((nodes, all))
    }
}
