//! Edits of projects and nodes: optimistic locking on `version`, the audit entry in the same
//! transaction; pausing and resuming a project.

use crate::audit::{AuditCtx, append};
use crate::row::{SqlBuf, found, i64_};
use crate::writes::now;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde_json::{Value, json};
use zhantu_domain::Money;
use zhantu_domain::exif::GeoPoint;

/// A change to a project; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct ProjectChange {
    pub name: Option<String>,
    pub total_investment: Option<Money>,
    pub planned_start_on: Option<Option<NaiveDate>>,
    pub location: Option<String>,
    pub investor: Option<String>,
    pub description: Option<String>,
    pub leader_id: Option<Option<i64>>,
    pub industry_code: Option<Option<String>>,
    /// Where the project is (a point on the site), or none.
    pub position: Option<Option<GeoPoint>>,
}

const EDITABLE: &str = "SELECT id, unit_id, name, total_investment, planned_start_on, location, investor, description, leader_id, industry_code, lat_e6, lng_e6, version FROM projects WHERE id = $1";

fn snapshot(r: &sqlx::any::AnyRow) -> Result<Value, StoreError> {
    use crate::row::{i64_, opt_i64, opt_text, text};
    Ok(json!({
        "name": text(r, "name")?,
        "total_investment_yuan": i64_(r, "total_investment")?,
        "planned_start_on": opt_text(r, "planned_start_on")?,
        "location": text(r, "location")?,
        "investor": text(r, "investor")?,
        "description": text(r, "description")?,
        "leader_id": opt_i64(r, "leader_id")?,
        "industry_code": opt_text(r, "industry_code")?,
        "position": crate::nodes::position(r)?.map(|p| json!({ "lat": p.lat, "lng": p.lng })),
        "version": i64_(r, "version")?,
    }))
}

impl Store {
    /// The owning unit of a project (for access checks before a write).
    pub async fn project_unit(&self, id: i64) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT unit_id FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// Where a project is, when known.
    pub async fn project_position(&self, id: i64) -> Result<Option<GeoPoint>, StoreError> {
        crate::nodes::position(
            &found(
                sqlx::query("SELECT lat_e6, lng_e6 FROM projects WHERE id = $1").bind(id),
                &self.pool,
            )
            .await?,
        )
    }

    /// Applies `change` if the project is still at `version`; returns the new version.
    pub async fn update_project(&self, id: i64, version: i64, change: &ProjectChange, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let mut tx = self.begin_locked().await?;
        let row = found(sqlx::query(EDITABLE).bind(id), &mut *tx).await?;
        let before = snapshot(&row)?;
        if before["version"].as_i64() != Some(version) {
            return Err(self.stale(tx, "project", id).await?);
        }
        if let Some(Some(l)) = change.leader_id {
            let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1 AND is_leader = 1")
                .bind(l)
                .fetch_optional(&mut *tx)
                .await?;
            if ok.is_none() {
                return Err(StoreError::rule("leader_missing", format!("领导 {l} 不存在")));
            }
        }
        let mut q = SqlBuf::new("UPDATE projects SET version = version + 1, updated_at = ");
        q.arg(chrono::Utc::now().to_rfc3339());
        q.push_some(", name = ", change.name.as_deref());
        q.push_some(", total_investment = ", change.total_investment.map(|v| v.yuan()));
        q.push_some(", planned_start_on = ", change.planned_start_on);
        q.push_some(", location = ", change.location.as_deref());
        q.push_some(", investor = ", change.investor.as_deref());
        q.push_some(", description = ", change.description.as_deref());
        q.push_some(", leader_id = ", change.leader_id);
        q.push_some(", industry_code = ", change.industry_code.clone());
        if let Some(p) = change.position {
            q.push(", lat_e6 = ").arg(p.map(|p| crate::nodes::e6(p.lat)));
            q.push(", lng_e6 = ").arg(p.map(|p| crate::nodes::e6(p.lng)));
        }
        q.push(" WHERE id = ").arg(id).push(" AND version = ").arg(version);
        q.query().execute(&mut *tx).await?;
        let after = snapshot(&sqlx::query(EDITABLE).bind(id).fetch_one(&mut *tx).await?)?;
        self.reindex_project(&mut tx, id).await?;
        append(&mut tx, ctx, "project.update", "project", Some(id), Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(after["version"].as_i64().unwrap_or(version + 1))
    }

    /// Pauses (with a reason) or resumes a project; a paused project keeps its data and its
    /// place in the lists, and the pause is on its record and in the audit trail. A pause
    /// stops every approval clock of the project from the as-of date (a span `暂停：…`);
    /// resuming closes that span on the as-of date; the lights follow in the same transaction.
    pub async fn set_paused(&self, id: i64, version: i64, paused: bool, reason: &str, ctx: &AuditCtx) -> Result<i64, StoreError> {
        if paused && reason.trim().is_empty() {
            return Err(StoreError::rule("project_pause_reason_missing", "暂停须说明原因"));
        }
        let as_of = self.as_of().await?;
        let mut tx = self.begin_locked().await?;
        let row = found(sqlx::query("SELECT paused, version FROM projects WHERE id = $1").bind(id), &mut *tx).await?;
        if i64_(&row, "version")? != version {
            return Err(self.stale(tx, "project", id).await?);
        }
        let was = i64_(&row, "paused")? != 0;
        if was == paused {
            return Err(if paused {
                StoreError::rule("project_already_paused", "项目已处于暂停状态")
            } else {
                StoreError::rule("project_not_paused", "项目未暂停")
            });
        }
        sqlx::query("UPDATE projects SET paused = $1, version = version + 1, updated_at = $2 WHERE id = $3")
            .bind(paused as i64)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) SELECT id, stage, stage, $1, $2, $3 FROM projects WHERE id = $4")
            .bind(crate::today_in_china().to_string())
            .bind(if paused { format!("暂停：{}", reason.trim()) } else { format!("恢复推进{}", if reason.trim().is_empty() { String::new() } else { format!("：{}", reason.trim()) }) })
            .bind(&ctx.actor)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let span = if paused {
            Some(self.open_pause_span(&mut tx, id, reason, as_of, ctx).await?)
        } else {
            self.close_pause_span(&mut tx, id, as_of).await?
        };
        append(
            &mut tx,
            ctx,
            if paused { "project.pause" } else { "project.resume" },
            "project",
            Some(id),
            Some(&json!({ "paused": was })),
            Some(&json!({ "paused": paused, "reason": reason, "clock_exclusion": span })),
        )
        .await?;
        self.refresh_project_lights(&mut tx, id).await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}
