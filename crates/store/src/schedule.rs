//! The versions of a project's schedule, read from its nodes' baselines and approved date
//! changes (the rules are in `zhantu_domain::schedule`).

use crate::row::{date, i64_, rows_for, text};
use crate::{Store, StoreError};
use zhantu_domain::schedule::{ApprovedChange, BaselineNode, ScheduleVersion, versions};

impl Store {
    /// The baseline nodes and every version of the project's schedule.
    pub async fn schedule_versions(&self, project_id: i64) -> Result<(Vec<BaselineNode>, Vec<ScheduleVersion>), StoreError> {
        let nodes = rows_for(
            &self.pool,
            "SELECT id, seq, name, baseline_on FROM nodes WHERE project_id = $1 ORDER BY seq, id",
            project_id,
            |r| {
                Ok(BaselineNode {
                    node_id: i64_(r, "id")?,
                    seq: i64_(r, "seq")?,
                    name: text(r, "name")?,
                    baseline_on: date(r, "baseline_on")?,
                })
            },
        )
        .await?;
        let changes = rows_for(&self.pool, "SELECT c.node_id, c.old_planned_on, c.new_planned_on, c.reason_code, c.reason_text, c.requested_by, c.decided_by, c.decided_at \
             FROM node_date_changes c JOIN nodes n ON n.id = c.node_id \
             WHERE n.project_id = $1 AND c.status = 'approved' ORDER BY c.decided_at, c.id", project_id, |r| {
            let code = text(r, "reason_code")?;
            let label = crate::DATE_CHANGE_REASONS
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, zh)| zh.to_string())
                .unwrap_or(code);
            let detail = text(r, "reason_text")?;
            Ok(ApprovedChange {
                node_id: i64_(r, "node_id")?,
                from: date(r, "old_planned_on")?,
                to: date(r, "new_planned_on")?,
                reason: if detail.is_empty() { label } else { format!("{label}：{detail}") },
                requested_by: text(r, "requested_by")?,
                approved_by: crate::row::opt_text(r, "decided_by")?.unwrap_or_default(),
                approved_at: crate::row::opt_text(r, "decided_at")?.unwrap_or_default(),
            })
        }).await?;
        let all = versions(&nodes, &changes);
        Ok((nodes, all))
    }
}
