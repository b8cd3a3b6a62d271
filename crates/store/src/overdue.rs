//! The overdue-node list: every node not yet closed whose planned date has passed, most
//! overdue first, within the same filters as the registry (unit, division, stage, …) and the
//! reader's unit scope. The weekly meeting's worklist (逾期节点清单).

use crate::projects::ProjectFilter;
use crate::row::{SqlBuf, date, i64_, opt_text, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use zhantu_domain::lights::Light;
use zhantu_domain::model::NodeStatus;

#[derive(Debug, Clone, Serialize)]
pub struct OverdueNode {
    pub node_id: i64,
    pub node: String,
    pub planned_on: NaiveDate,
    pub days_overdue: i64,
    pub status: NodeStatus,
    pub light: Option<Light>,
    pub light_reason: Option<String>,
    /// The reason in English (`None` until the first lights run after 0025).
    pub light_reason_en: Option<String>,
    pub project_id: i64,
    pub project_code: Option<String>,
    pub project: String,
    pub division_code: Option<String>,
    pub responsible_unit: String,
}

/// The nodes due in a period (`from`..=`to`), or only those not closed by `to`.
#[derive(Debug, Clone, Copy)]
pub struct DueNodes {
    /// Planned on or after this day (none: from the first).
    pub from: Option<NaiveDate>,
    /// Planned on or before this day (none: to the last).
    pub to: Option<NaiveDate>,
    /// Only those not closed by `to` (or by the data day without `to`).
    pub late_only: bool,
    /// Only the target nodes of this campaign.
    pub campaign: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OverduePage {
    pub as_of: NaiveDate,
    pub total: i64,
    pub offset: i64,
    pub items: Vec<OverdueNode>,
}

impl Store {
    /// One page of the overdue nodes of the projects `f` selects (its `limit`, and `offset`).
    pub async fn overdue_nodes(&self, f: &ProjectFilter, offset: i64) -> Result<OverduePage, StoreError> {
        self.node_list(f, None, offset).await
    }

    /// One page of the nodes of the projects `f` selects that fell due in a period (planned
    /// within it), or with `late_only` those of them not closed by its end: what the cockpit's
    /// 节点按时完成率 counts (`figures::node_on_time`).
    pub async fn due_nodes(&self, f: &ProjectFilter, due: DueNodes, offset: i64) -> Result<OverduePage, StoreError> {
        self.node_list(f, Some(due), offset).await
    }

    async fn node_list(&self, f: &ProjectFilter, due: Option<DueNodes>, offset: i64) -> Result<OverduePage, StoreError> {
        let as_of = self.as_of().await?;
        // The nodes past their date, from the (status, planned_on, project_id) index alone;
        // with a project filter, their project must be among the filter's, whose ids come
        // from the filter's own indexes (a district: 10,000 ids from the division index),
        // rather than each node's project row being read to test it.
        let mut w = SqlBuf::new(" WHERE 1 = 1");
        if !f.selects_all() {
            w.push(" AND n.project_id IN (SELECT p.id FROM projects p");
            self.project_where(f, &mut w).await?;
            w.push(")");
        }
        match due {
            // `IN` rather than `<> 'closed'`: the index answers it.
            None => {
                w.push(" AND n.status IN ('open', 'reported') AND n.planned_on < ")
                    .arg(as_of.to_string());
            }
            Some(d) => {
                if let Some(from) = d.from {
                    w.push(" AND n.planned_on >= ").arg(from.to_string());
                }
                if let Some(to) = d.to {
                    w.push(" AND n.planned_on <= ").arg(to.to_string());
                }
                if let Some(c) = d.campaign {
                    w.push(" AND n.id IN (SELECT cn.node_id FROM campaign_nodes cn WHERE cn.campaign_id = ")
                        .arg(c)
                        .push(")");
                }
                if d.late_only {
                    w.push(" AND (n.status <> 'closed' OR n.actual_on IS NULL OR n.actual_on > ")
                        .arg(d.to.unwrap_or(as_of).to_string())
                        .push(")");
                }
            }
        }
        let mut count = SqlBuf::new("SELECT COUNT(*) AS n FROM nodes n");
        count.push(&w.sql);
        count.args = w.args.clone();
        let total = i64_(&count.query().fetch_one(&self.pool).await?, "n")?;
        // The page's ids first, then only those fifty joined for their names.
        let mut q = SqlBuf::new(
            "SELECT n.id, n.name, n.planned_on, n.status, n.light, n.light_reason, n.light_reason_en, p.id AS project_id, p.code, p.name AS project, \
             p.division_code, ru.name AS unit FROM (SELECT n.id FROM nodes n",
        );
        q.push(&w.sql);
        q.args = w.args;
        q.push(" ORDER BY n.planned_on, n.id LIMIT ")
            .arg(f.limit.clamp(1, 500) as i64)
            .push(" OFFSET ")
            .arg(offset.max(0));
        q.push(
            ") pick JOIN nodes n ON n.id = pick.id JOIN projects p ON p.id = n.project_id JOIN units ru ON ru.id = n.responsible_unit_id \
             ORDER BY n.planned_on, n.id",
        );
        let rows = q.query().fetch_all(&self.pool).await?;
        let items = rows
            .iter()
            .map(|r| {
                let planned_on = date(r, "planned_on")?;
                let status = text(r, "status")?;
                Ok(OverdueNode {
                    node_id: i64_(r, "id")?,
                    node: text(r, "name")?,
                    planned_on,
                    days_overdue: (as_of - planned_on).num_days(),
                    status: NodeStatus::from_code(&status).ok_or_else(|| StoreError::Corrupt(format!("node status = {status}")))?,
                    light: opt_text(r, "light")?.as_deref().and_then(Light::from_code),
                    light_reason: opt_text(r, "light_reason")?,
                    light_reason_en: opt_text(r, "light_reason_en")?,
                    project_id: i64_(r, "project_id")?,
                    project_code: opt_text(r, "code")?,
                    project: text(r, "project")?,
                    division_code: opt_text(r, "division_code")?,
                    responsible_unit: text(r, "unit")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(OverduePage {
            as_of,
            total,
            offset: offset.max(0),
            items,
        })
    }
}
