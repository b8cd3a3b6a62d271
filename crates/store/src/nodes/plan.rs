//! A project's plan (分解节点): its nodes from the type's template, then by hand (added,
//! edited, removed, reordered) freely while the plan is a draft; once a coordinator approves
//! it as the baseline (基准), a node is added or removed only with a reason, kept in
//! `node_plan_changes` as a version of the schedule (read by `schedule.rs`), and a planned
//! date moves only through a date change request (`mod.rs`). The rules are the domain's
//! (`zhantu_domain::nodes`); the plan's structure is versioned by the project's version, and
//! every write is one transaction with its audit entry.

use super::{NodeState, baseline, node_state_in};
use crate::audit::{AuditCtx, append};
use crate::row::{found, i64_, read_all, text};
use crate::writes::{Tx, must_read, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde_json::{Value, json};
use sqlx::AnyConnection;
use zhantu_domain::nodes::{self as rules, Baseline, Dependency, NodeRemoval};

/// A change to a node: its name, responsible unit or person, forecast, or (while the plan is
/// a draft) its planned date. `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct NodeChange {
    pub name: Option<String>,
    pub responsible_unit_id: Option<i64>,
    pub responsible_person_id: Option<Option<i64>>,
    pub forecast_on: Option<Option<NaiveDate>>,
    pub planned_on: Option<NaiveDate>,
}

/// A node to add to a project's plan.
#[derive(Debug, Clone)]
pub struct NewNode {
    pub name: String,
    pub planned_on: NaiveDate,
    /// The responsible unit (责任单位); the project's own when `None`.
    pub responsible_unit_id: Option<i64>,
    pub responsible_person_id: Option<i64>,
    /// The node of the project it follows; the plan's end when `None`.
    pub after_node_id: Option<i64>,
    /// Why, once the baseline is approved.
    pub reason: String,
}

/// What a write to a project's plan needs of the project.
struct PlanHead {
    unit_id: i64,
    baseline: Baseline,
}

/// A project's nodes in their order, and every dependency that touches them.
struct Plan {
    order: Vec<i64>,
    deps: Vec<Dependency>,
    /// Each dependency's lag in working days (0029): kept where the dependency stays.
    lags: std::collections::HashMap<Dependency, i64>,
}

async fn plan_of(conn: &mut AnyConnection, project_id: i64) -> Result<Plan, StoreError> {
    let order: Vec<i64> = sqlx::query_scalar("SELECT id FROM nodes WHERE project_id = $1 ORDER BY seq, id")
        .bind(project_id)
        .fetch_all(&mut *conn)
        .await?;
    let rows = read_all(
        sqlx::query(
            "SELECT node_id, depends_on_id, lag_days FROM node_dependencies WHERE node_id IN (SELECT id FROM nodes WHERE project_id = $1) \
             OR depends_on_id IN (SELECT id FROM nodes WHERE project_id = $1)",
        )
        .bind(project_id),
        &mut *conn,
        |r| Ok(((i64_(r, "node_id")?, i64_(r, "depends_on_id")?), i64_(r, "lag_days")?)),
    )
    .await?;
    let lags: std::collections::HashMap<Dependency, i64> = rows.iter().copied().collect();
    let mut deps: Vec<Dependency> = rows.into_iter().map(|(d, _)| d).collect();
    deps.sort();
    Ok(Plan { order, deps, lags })
}

/// Writes the plan's new order (`seq` 1, 2, …) and dependencies over the old ones.
async fn write_plan(conn: &mut AnyConnection, project_id: i64, old: &Plan, order: &[i64], deps: &[Dependency]) -> Result<(), StoreError> {
    for (i, id) in order.iter().enumerate() {
        sqlx::query("UPDATE nodes SET seq = $1 WHERE id = $2 AND seq <> $1")
            .bind(i as i64 + 1)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let mut new = deps.to_vec();
    new.sort();
    if new != old.deps {
        sqlx::query(
            "DELETE FROM node_dependencies WHERE node_id IN (SELECT id FROM nodes WHERE project_id = $1) \
             OR depends_on_id IN (SELECT id FROM nodes WHERE project_id = $1)",
        )
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
        for (node, on) in new {
            sqlx::query("INSERT INTO node_dependencies (node_id, depends_on_id, lag_days) VALUES ($1, $2, $3)")
                .bind(node)
                .bind(on)
                .bind(old.lags.get(&(node, on)).copied().unwrap_or(0))
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

/// The project's next version, its plan having changed.
async fn bump_project(conn: &mut AnyConnection, project_id: i64) -> Result<i64, StoreError> {
    sqlx::query("UPDATE projects SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now())
        .bind(project_id)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_one(&mut *conn)
        .await?)
}

/// Records a node added to or removed from an approved schedule, with its reason.
struct PlanChange<'a> {
    kind: &'static str,
    node: &'a NodeState,
    in_baseline: bool,
    date_changes: Value,
    reason: &'a str,
}

async fn record_plan_change(conn: &mut AnyConnection, c: &PlanChange<'_>, ctx: &AuditCtx) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO node_plan_changes (project_id, node_id, kind, name, seq, planned_on, baseline_on, in_baseline, date_changes, reason, actor, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c.node.project_id)
    .bind(c.node.id)
    .bind(c.kind)
    .bind(&c.node.name)
    .bind(c.node.seq)
    .bind(c.node.planned_on.to_string())
    .bind(c.node.baseline_on.to_string())
    .bind(c.in_baseline as i64)
    .bind(c.date_changes.to_string())
    .bind(c.reason.trim())
    .bind(&ctx.actor)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Store {
    /// Starts a write of a project's plan: the audit lock, the project as it is, and a stale
    /// version refused.
    async fn begin_plan_write(&self, project_id: i64, version: i64) -> Result<(Tx, PlanHead), StoreError> {
        let mut tx = self.begin_locked().await?;
        let r = found(
            sqlx::query("SELECT unit_id, baseline, version FROM projects WHERE id = $1").bind(project_id),
            &mut *tx,
        )
        .await?;
        if i64_(&r, "version")? != version {
            return Err(self.stale(tx, "project", project_id).await?);
        }
        let head = PlanHead {
            unit_id: i64_(&r, "unit_id")?,
            baseline: baseline(&r)?,
        };
        Ok((tx, head))
    }

    /// Inserts the nodes of `project_type`'s template as it stands now into a project: each
    /// node its template offset after the latest of the steps it depends on (a step that
    /// depends on none, after `first_on`), with those dependencies, the baseline date the
    /// planned one (`zhantu_domain::project_types::plan_dates`). A step's owner hint
    /// (`department:自然资源`) names the active unit responsible; otherwise the project's unit
    /// is (`unit_id`). The planned nodes, for the audit entry (none when the type has no
    /// template).
    pub(crate) async fn insert_template_nodes(
        conn: &mut AnyConnection,
        project_id: i64,
        unit_id: i64,
        project_type: &str,
        first_on: NaiveDate,
    ) -> Result<Vec<Value>, StoreError> {
        let steps = crate::project_types::template_steps(&mut *conn, project_type).await?;
        let units = sqlx::query("SELECT id, name FROM units WHERE active = 1 ORDER BY sort_order, id")
            .fetch_all(&mut *conn)
            .await?;
        let dates = zhantu_domain::project_types::plan_dates(&steps, first_on);
        let mut node_of_step: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
        let mut planned = Vec::new();
        for (s, date) in steps.iter().zip(dates) {
            let responsible = s
                .owner_hint
                .strip_prefix("department:")
                .and_then(|d| units.iter().find(|u| text(u, "name").is_ok_and(|n| n.contains(d))))
                .map(|u| i64_(u, "id"))
                .transpose()?
                .unwrap_or(unit_id);
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO nodes (project_id, seq, name, planned_on, baseline_on, responsible_unit_id, status) VALUES ($1, $2, $3, $4, $4, $5, 'open') RETURNING id",
            )
            .bind(project_id)
            .bind(s.seq as i64)
            .bind(&s.name)
            .bind(date.to_string())
            .bind(responsible)
            .fetch_one(&mut *conn)
            .await?;
            for dep in s.depends_on.iter().filter_map(|d| node_of_step.get(d)) {
                sqlx::query("INSERT INTO node_dependencies (node_id, depends_on_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*dep)
                    .execute(&mut *conn)
                    .await?;
            }
            node_of_step.insert(s.seq, id);
            planned.push(json!({ "name": s.name, "planned_on": date }));
        }
        Ok(planned)
    }

    /// Breaks a project into nodes (分解节点) from its type's template (`insert_template_nodes`);
    /// the plan keeps the project's baseline state (an approved project's first plan is its
    /// baseline). Only for a project without nodes.
    pub async fn plan_from_template(
        &self,
        project_id: i64,
        project_type: Option<&str>,
        first_on: NaiveDate,
        ctx: &AuditCtx,
    ) -> Result<usize, StoreError> {
        let mut tx = self.begin_locked().await?;
        let p = found(
            sqlx::query("SELECT unit_id, project_type FROM projects WHERE id = $1").bind(project_id),
            &mut *tx,
        )
        .await?;
        let unit_id = i64_(&p, "unit_id")?;
        let ptype = project_type.map(str::to_string).unwrap_or(text(&p, "project_type")?);
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM nodes WHERE project_id = $1")
            .bind(project_id)
            .fetch_one(&mut *tx)
            .await?;
        if existing > 0 {
            return Err(StoreError::Duplicate(format!(
                "该项目已有{existing}个节点，不能再套用模板；请逐个调整"
            )));
        }
        let planned = Self::insert_template_nodes(&mut tx, project_id, unit_id, &ptype, first_on).await?;
        if planned.is_empty() {
            return Err(StoreError::rule(
                "project_type_without_template",
                format!("项目类型“{ptype}”没有节点模板"),
            ));
        }
        self.refresh_project_lights(&mut tx, project_id).await?;
        append(
            &mut tx,
            ctx,
            "project.plan",
            "project",
            Some(project_id),
            None,
            Some(&json!({ "template": ptype, "nodes": planned })),
        )
        .await?;
        tx.commit().await?;
        Ok(planned.len())
    }

    /// Adjusts a node's name, responsible unit or person, forecast, or (while the plan is a
    /// draft) its planned date, which is then its baseline date too.
    pub async fn update_node(&self, id: i64, version: i64, change: &NodeChange, ctx: &AuditCtx) -> Result<NodeState, StoreError> {
        let (mut tx, before) = self.begin_node_write(id, version).await?;
        if let Some(name) = &change.name {
            rules::check_node_name(name)?;
        }
        if change.planned_on.is_some() {
            rules::check_direct_date(before.baseline)?;
        }
        let mut q = crate::row::SqlBuf::new("UPDATE nodes SET version = version + 1");
        q.push_some(", name = ", change.name.as_deref().map(str::trim));
        if let Some(u) = change.responsible_unit_id {
            must_read::<i64>(&mut tx, "SELECT id FROM units WHERE id = $1", u, "unit_missing", "单位").await?;
            q.push(", responsible_unit_id = ").arg(u);
        }
        if let Some(p) = change.responsible_person_id {
            Self::check_person(&mut tx, p, false).await?;
        }
        q.push_some(", responsible_person_id = ", change.responsible_person_id);
        q.push_some(", forecast_on = ", change.forecast_on);
        q.push_some(", planned_on = ", change.planned_on);
        q.push_some(", baseline_on = ", change.planned_on);
        q.push(" WHERE id = ").arg(id);
        q.query().execute(&mut *tx).await?;
        let after = node_state_in(&mut *tx, id).await?;
        self.refresh_project_lights(&mut tx, after.project_id).await?;
        append(
            &mut tx,
            ctx,
            "node.update",
            "node",
            Some(id),
            Some(&json!({ "name": before.name, "responsible_unit_id": before.responsible_unit_id, "planned_on": before.planned_on })),
            Some(&json!({ "name": after.name, "responsible_unit_id": after.responsible_unit_id, "forecast_on": change.forecast_on, "planned_on": after.planned_on })),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Adds a node to a project's plan at the project's `version`: after `after_node_id`, or
    /// at the end; its responsible unit the project's unless named. After the baseline it
    /// needs its reason and becomes a version of the schedule. The node as added.
    pub async fn add_node(&self, project_id: i64, version: i64, n: &NewNode, ctx: &AuditCtx) -> Result<NodeState, StoreError> {
        rules::check_node_name(&n.name)?;
        let (mut tx, head) = self.begin_plan_write(project_id, version).await?;
        rules::check_plan_change(head.baseline, &n.reason)?;
        let unit = n.responsible_unit_id.unwrap_or(head.unit_id);
        must_read::<i64>(&mut tx, "SELECT id FROM units WHERE id = $1", unit, "unit_missing", "单位").await?;
        Self::check_person(&mut tx, n.responsible_person_id, false).await?;
        let plan = plan_of(&mut tx, project_id).await?;
        let position = match n.after_node_id {
            None => plan.order.len(),
            Some(a) => match plan.order.iter().position(|id| *id == a) {
                Some(i) => i + 1,
                None => return Err(StoreError::rule("node_not_in_project", format!("节点 {a} 不属于本项目"))),
            },
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO nodes (project_id, seq, name, planned_on, baseline_on, responsible_unit_id, responsible_person_id, status) \
             VALUES ($1, $2, $3, $4, $4, $5, $6, 'open') RETURNING id",
        )
        .bind(project_id)
        .bind(position as i64 + 1)
        .bind(n.name.trim())
        .bind(n.planned_on.to_string())
        .bind(unit)
        .bind(n.responsible_person_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut order = plan.order.clone();
        order.insert(position, id);
        let deps = rules::insert(&plan.order, &plan.deps, id, position);
        write_plan(&mut tx, project_id, &plan, &order, &deps).await?;
        let node = node_state_in(&mut *tx, id).await?;
        if head.baseline == Baseline::Approved {
            let added = PlanChange {
                kind: "added",
                node: &node,
                in_baseline: false,
                date_changes: json!([]),
                reason: &n.reason,
            };
            record_plan_change(&mut tx, &added, ctx).await?;
        }
        let after = json!({
            "node_id": id, "name": node.name, "planned_on": node.planned_on, "seq": node.seq,
            "responsible_unit_id": unit, "reason": n.reason.trim(),
        });
        self.finish_plan_write(tx, project_id, ctx, "node.add", None, after).await?;
        self.node_state(id).await
    }

    /// Removes a node at its `version`, unless work or records hold it (the domain's
    /// `check_node_removal`); what waited for it waits for what it waited for. After the
    /// baseline it needs its reason, and the schedule keeps the node as a version (with the
    /// date changes it had). The project's new version.
    pub async fn remove_node(&self, id: i64, version: i64, reason: &str, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let (mut tx, node) = self.begin_node_write(id, version).await?;
        let count = |sql: &'static str| sqlx::query_scalar::<_, i64>(sql).bind(id);
        let facts = NodeRemoval {
            name: node.name.clone(),
            status: node.status.clone(),
            evidence: count("SELECT COUNT(*) FROM evidence WHERE node_id = $1")
                .fetch_one(&mut *tx)
                .await?,
            problems: count("SELECT COUNT(*) FROM problems WHERE node_id = $1 OR blocking_node_id = $1")
                .fetch_one(&mut *tx)
                .await?,
            campaigns: count("SELECT COUNT(*) FROM campaign_nodes WHERE node_id = $1")
                .fetch_one(&mut *tx)
                .await?,
            instructions: count("SELECT COUNT(*) FROM instructions WHERE node_id = $1")
                .fetch_one(&mut *tx)
                .await?,
            pending_date_changes: count("SELECT COUNT(*) FROM node_date_changes WHERE node_id = $1 AND status = 'pending'")
                .fetch_one(&mut *tx)
                .await?,
        };
        rules::check_node_removal(&facts)?;
        rules::check_plan_change(node.baseline, reason)?;
        let project_id = node.project_id;
        let plan = plan_of(&mut tx, project_id).await?;
        let order: Vec<i64> = plan.order.iter().copied().filter(|n| *n != id).collect();
        let deps = rules::remove(&plan.deps, id);
        write_plan(&mut tx, project_id, &plan, &order, &deps).await?;
        if node.baseline == Baseline::Approved {
            let added: i64 = count("SELECT COUNT(*) FROM node_plan_changes WHERE node_id = $1 AND kind = 'added'")
                .fetch_one(&mut *tx)
                .await?;
            let date_changes = crate::schedule::approved_changes_of(&mut tx, id).await?;
            let removed = PlanChange {
                kind: "removed",
                node: &node,
                in_baseline: added == 0,
                date_changes: serde_json::to_value(date_changes).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                reason,
            };
            record_plan_change(&mut tx, &removed, ctx).await?;
        }
        sqlx::query("DELETE FROM node_date_changes WHERE node_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM nodes WHERE id = $1").bind(id).execute(&mut *tx).await?;
        let before = json!({ "node_id": id, "name": node.name, "planned_on": node.planned_on, "seq": node.seq, "version": node.version });
        let after = json!({ "reason": reason.trim() });
        self.finish_plan_write(tx, project_id, ctx, "node.remove", Some(&before), after)
            .await
    }

    /// Puts a project's nodes in the order `node_ids` (every node of the project, once) at the
    /// project's `version`; a chain of dependencies follows the order. After the baseline it
    /// needs its reason (kept in the audit trail). The project's new version.
    pub async fn reorder_nodes(
        &self,
        project_id: i64,
        version: i64,
        node_ids: &[i64],
        reason: &str,
        ctx: &AuditCtx,
    ) -> Result<i64, StoreError> {
        let (mut tx, head) = self.begin_plan_write(project_id, version).await?;
        rules::check_plan_change(head.baseline, reason)?;
        let plan = plan_of(&mut tx, project_id).await?;
        let deps = rules::reorder(&plan.order, &plan.deps, node_ids)?;
        write_plan(&mut tx, project_id, &plan, node_ids, &deps).await?;
        let before = json!({ "order": plan.order, "version": version });
        let after = json!({ "order": node_ids, "reason": reason.trim() });
        self.finish_plan_write(tx, project_id, ctx, "node.reorder", Some(&before), after)
            .await
    }

    /// Ends a change to a project's plan: the project's version moves on, its lights follow the
    /// new plan, and the audit entry records `after` with that new `version`. The new version.
    async fn finish_plan_write(
        &self,
        mut tx: Tx,
        project_id: i64,
        ctx: &AuditCtx,
        action: &str,
        before: Option<&Value>,
        mut after: Value,
    ) -> Result<i64, StoreError> {
        let project_version = bump_project(&mut tx, project_id).await?;
        self.refresh_project_lights(&mut tx, project_id).await?;
        after["version"] = json!(project_version);
        append(&mut tx, ctx, action, "project", Some(project_id), before, Some(&after)).await?;
        tx.commit().await?;
        Ok(project_version)
    }

    /// A coordinator approves a draft plan as the baseline (基准): every node's baseline date
    /// becomes its planned date, and from now on the schedule changes only with reasons. The
    /// project's new version.
    pub async fn approve_baseline(&self, project_id: i64, version: i64, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let (mut tx, head) = self.begin_plan_write(project_id, version).await?;
        if head.baseline == Baseline::Approved {
            return Err(StoreError::rule("baseline_already_approved", "该项目的计划基准已确定"));
        }
        let nodes = read_all(
            sqlx::query("SELECT name, planned_on FROM nodes WHERE project_id = $1 ORDER BY seq, id").bind(project_id),
            &mut *tx,
            |r| Ok(json!({ "name": text(r, "name")?, "planned_on": text(r, "planned_on")? })),
        )
        .await?;
        if nodes.is_empty() {
            return Err(StoreError::rule("baseline_without_nodes", "项目还没有节点，不能确定计划基准"));
        }
        sqlx::query("UPDATE nodes SET baseline_on = planned_on WHERE project_id = $1 AND baseline_on <> planned_on")
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE projects SET baseline = 'approved', baseline_approved_by = $1, baseline_approved_at = $2 WHERE id = $3")
            .bind(&ctx.actor)
            .bind(now())
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        let project_version = bump_project(&mut tx, project_id).await?;
        append(
            &mut tx,
            ctx,
            "project.approve_baseline",
            "project",
            Some(project_id),
            Some(&json!({ "baseline": Baseline::Draft.code(), "version": version })),
            Some(&json!({ "baseline": Baseline::Approved.code(), "nodes": nodes, "version": project_version })),
        )
        .await?;
        tx.commit().await?;
        Ok(project_version)
    }
}
