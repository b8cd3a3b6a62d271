//! Groundbreaking batches (集中开工): the batches, their members admitted through the readiness
//! gate, and the totals per year. The rules and figures are the domain's
//! (`zhantu_domain::batches`); every write here is one transaction with its audit entry,
//! versioned where people edit.

use crate::audit::{AuditCtx, append};
use crate::row::{date, found, i64_, opt_text, read_all, text};
use crate::writes::{corrupt, linked, must_read, now, touched};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::Money;
use zhantu_domain::batches::{Admission, BatchYear, GateNode, batches_per_year, check_batch_gate, check_batch_name, parse_gate_nodes};
use zhantu_domain::figures::{BatchAggregate, batch_aggregate};
use zhantu_domain::model::BatchLevel;

/// 集中开工批次 with its aggregate.
#[derive(Debug, Clone, Serialize)]
pub struct BatchSummary {
    pub id: i64,
    pub name: String,
    pub level: BatchLevel,
    pub held_on: NaiveDate,
    pub gate_nodes: Vec<String>,
    pub version: i64,
    pub aggregate: BatchAggregate,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchMember {
    pub project_id: i64,
    pub name: String,
    pub unit_name: String,
    pub stage: String,
    pub light: Option<String>,
    pub total_investment: Money,
    /// The batch year's planned investment (年度计划投资).
    pub annual_investment: Money,
    /// Admitted over the readiness gate: the coordinator's written reason, who and when.
    pub override_reason: Option<String>,
    pub override_by: Option<String>,
    pub override_at: Option<String>,
    /// Recorded from an import (the batch's history as given), not admitted through the gate.
    pub imported: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchDetail {
    #[serde(flatten)]
    pub batch: BatchSummary,
    pub members: Vec<BatchMember>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchOverview {
    pub batches: Vec<BatchSummary>,
    pub years: Vec<BatchYear>,
}

#[derive(Debug, Clone)]
pub struct NewBatch {
    pub name: String,
    pub level: BatchLevel,
    pub held_on: NaiveDate,
    pub gate_nodes: Vec<String>,
}

fn batch_head(r: &AnyRow) -> Result<BatchSummary, StoreError> {
    let level = text(r, "level")?;
    Ok(BatchSummary {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        level: BatchLevel::from_code(&level).ok_or_else(|| corrupt("batches.level", &level))?,
        held_on: date(r, "held_on")?,
        gate_nodes: parse_gate_nodes(&text(r, "gate_nodes")?),
        version: i64_(r, "version")?,
        aggregate: BatchAggregate::default(),
    })
}

impl Store {
    async fn batch_members(&self, id: i64, year: i32) -> Result<Vec<BatchMember>, StoreError> {
        let q = sqlx::query(
            "SELECT p.id, p.name, u.name AS unit_name, p.stage, p.light, p.total_investment, COALESCE(ap.planned_investment, 0) AS annual, \
             bp.override_reason, bp.override_by, bp.override_at, bp.imported \
             FROM batch_projects bp JOIN projects p ON p.id = bp.project_id JOIN units u ON u.id = p.unit_id \
             LEFT JOIN annual_plans ap ON ap.project_id = p.id AND ap.year = $2 WHERE bp.batch_id = $1 ORDER BY p.total_investment DESC, p.id",
        )
        .bind(id)
        .bind(year as i64);
        read_all(q, &self.pool, |r| {
            Ok(BatchMember {
                project_id: i64_(r, "id")?,
                name: text(r, "name")?,
                unit_name: text(r, "unit_name")?,
                stage: text(r, "stage")?,
                light: opt_text(r, "light")?,
                total_investment: Money::from_yuan(i64_(r, "total_investment")?),
                annual_investment: Money::from_yuan(i64_(r, "annual")?),
                override_reason: opt_text(r, "override_reason")?,
                override_by: opt_text(r, "override_by")?,
                override_at: opt_text(r, "override_at")?,
                imported: i64_(r, "imported")? != 0,
            })
        })
        .await
    }

    /// Every batch (of `year`, when given) with its aggregate, and the totals per year.
    pub async fn list_batches(&self, year: Option<i32>) -> Result<BatchOverview, StoreError> {
        let rows = sqlx::query("SELECT * FROM batches ORDER BY held_on, id")
            .fetch_all(&self.pool)
            .await?;
        let mut batches = Vec::new();
        let mut per_year = Vec::new();
        for r in &rows {
            let mut b = batch_head(r)?;
            if year.is_some_and(|y| y != b.held_on.year()) {
                continue;
            }
            let members: Vec<(Money, Money)> = self
                .batch_members(b.id, b.held_on.year())
                .await?
                .iter()
                .map(|m| (m.total_investment, m.annual_investment))
                .collect();
            b.aggregate = batch_aggregate(&members);
            per_year.push((b.held_on, members));
            batches.push(b);
        }
        Ok(BatchOverview {
            batches,
            years: batches_per_year(&per_year),
        })
    }

    pub async fn batch(&self, id: i64) -> Result<BatchDetail, StoreError> {
        let r = found(sqlx::query("SELECT * FROM batches WHERE id = $1").bind(id), &self.pool).await?;
        let mut b = batch_head(&r)?;
        let members = self.batch_members(id, b.held_on.year()).await?;
        b.aggregate = batch_aggregate(
            &members
                .iter()
                .map(|m| (m.total_investment, m.annual_investment))
                .collect::<Vec<_>>(),
        );
        Ok(BatchDetail { batch: b, members })
    }

    pub async fn create_batch(&self, n: &NewBatch, ctx: &AuditCtx) -> Result<i64, StoreError> {
        check_batch_name(&n.name)?;
        let gates = if n.gate_nodes.is_empty() {
            parse_gate_nodes("")
        } else {
            n.gate_nodes.clone()
        };
        let mut tx = self.begin_locked().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO batches (name, level, held_on, gate_nodes) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(n.name.trim())
            .bind(n.level.code())
            .bind(n.held_on.to_string())
            .bind(gates.join("、"))
            .fetch_one(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "batch.create",
            "batch",
            Some(id),
            None,
            Some(&json!({ "name": n.name.trim(), "level": n.level.code(), "held_on": n.held_on, "gate_nodes": gates })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a batch's name, date, level or gate nodes.
    pub async fn update_batch(&self, id: i64, version: i64, n: &NewBatch, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let mut tx = self.begin_versioned("batches", "batch", id, version).await?;
        let before = batch_head(
            &sqlx::query("SELECT * FROM batches WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        let gates = if n.gate_nodes.is_empty() {
            parse_gate_nodes("")
        } else {
            n.gate_nodes.clone()
        };
        sqlx::query("UPDATE batches SET name = $1, level = $2, held_on = $3, gate_nodes = $4, version = version + 1 WHERE id = $5")
            .bind(n.name.trim())
            .bind(n.level.code())
            .bind(n.held_on.to_string())
            .bind(gates.join("、"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "batch.update",
            "batch",
            Some(id),
            Some(&json!({ "name": before.name, "level": before.level.code(), "held_on": before.held_on, "gate_nodes": before.gate_nodes })),
            Some(&json!({ "name": n.name.trim(), "level": n.level.code(), "held_on": n.held_on, "gate_nodes": gates })),
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Adds a project to a batch once its gate nodes were closed by the batch's date (so a
    /// batch held in the past is recorded as it was), or, with a coordinator's written reason
    /// (`override_reason`), over the gate: the reason, who and when are kept with the member.
    /// How it was admitted; the error names the gates still open.
    pub async fn add_to_batch(
        &self,
        id: i64,
        project_id: i64,
        override_reason: Option<&str>,
        ctx: &AuditCtx,
    ) -> Result<Admission, StoreError> {
        let mut tx = self.begin_locked().await?;
        let b = batch_head(&found(sqlx::query("SELECT * FROM batches WHERE id = $1").bind(id), &mut *tx).await?)?;
        let pname: String = must_read(
            &mut tx,
            "SELECT name FROM projects WHERE id = $1",
            project_id,
            "project_missing",
            "项目",
        )
        .await?;
        if linked(&mut tx, "batch_projects", ("batch_id", id), ("project_id", project_id)).await? {
            return Err(StoreError::Duplicate(format!("项目“{pname}”已在本批次中")));
        }
        let nodes: Vec<GateNode> = read_all(
            sqlx::query("SELECT name, status, actual_on FROM nodes WHERE project_id = $1").bind(project_id),
            &mut *tx,
            |r| {
                Ok(GateNode {
                    name: text(r, "name")?,
                    closed: text(r, "status")? == "closed",
                    actual_on: crate::row::opt_date(r, "actual_on")?,
                })
            },
        )
        .await?;
        let admission = check_batch_gate(&pname, &b.gate_nodes, b.held_on, &nodes, override_reason)?;
        let (reason, by, at, open) = match &admission {
            Admission::Ready => (None, None, None, Vec::new()),
            Admission::Overridden { reason, open } => (Some(reason.as_str()), Some(ctx.actor.as_str()), Some(now()), open.clone()),
        };
        sqlx::query(
            "INSERT INTO batch_projects (batch_id, project_id, override_reason, override_by, override_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(project_id)
        .bind(reason)
        .bind(by)
        .bind(at.as_deref())
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            ctx,
            "batch.add_project",
            "batch",
            Some(id),
            None,
            Some(&json!({ "project_id": project_id, "project": pname, "override_reason": reason, "open_gates": open })),
        )
        .await?;
        tx.commit().await?;
        Ok(admission)
    }

    pub async fn remove_from_batch(&self, id: i64, project_id: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        touched(
            sqlx::query("DELETE FROM batch_projects WHERE batch_id = $1 AND project_id = $2")
                .bind(id)
                .bind(project_id)
                .execute(&mut *tx)
                .await?,
        )?;
        append(
            &mut tx,
            ctx,
            "batch.remove_project",
            "batch",
            Some(id),
            Some(&json!({ "project_id": project_id })),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
