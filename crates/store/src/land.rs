//! The land quota ledger (用地指标): grants from above, allocations to projects, the balance and
//! the warnings for land-needing nodes not covered. The rules and figures are the domain's
//! (`zhantu_domain::land`); every write here is one transaction with its audit entry.

use crate::audit::{AuditCtx, append};
use crate::row::{date, i64_, opt_i64, opt_text, read_all, text};
use crate::writes::{corrupt, must_read};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::LandArea;
use zhantu_domain::land::{
    LandBalance, LandEntry, LandNeed, LandWarning, LandYear, check_allocation, check_grant, land_balance, land_by_year, land_warnings,
};
use zhantu_domain::model::LandEntryKind;

#[derive(Debug, Clone, Serialize)]
pub struct LandEntryView {
    pub id: i64,
    pub entry_on: NaiveDate,
    pub kind: LandEntryKind,
    pub area: LandArea,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub document: String,
    pub note: String,
}

/// The land quota ledger (用地指标台账): entries, balance, years and warnings.
#[derive(Debug, Clone, Serialize)]
pub struct LandLedger {
    pub entries: Vec<LandEntryView>,
    pub balance: LandBalance,
    pub years: Vec<LandYear>,
    pub warnings: Vec<LandWarning>,
}

#[derive(Debug, Clone)]
pub struct NewLandEntry {
    pub entry_on: NaiveDate,
    pub area: LandArea,
    /// The project, for an allocation.
    pub project_id: Option<i64>,
    pub document: String,
    pub note: String,
}

/// How many days ahead a land-needing node without land quota raises a warning.
pub const LAND_WARNING_DAYS: i64 = 30;

fn land_entries(rows: &[AnyRow]) -> Result<Vec<LandEntryView>, StoreError> {
    rows.iter()
        .map(|r| {
            let kind = text(r, "kind")?;
            Ok(LandEntryView {
                id: i64_(r, "id")?,
                entry_on: date(r, "entry_on")?,
                kind: LandEntryKind::from_code(&kind).ok_or_else(|| corrupt("land_ledger.kind", &kind))?,
                area: LandArea::from_centi_mu(i64_(r, "area_centi_mu")?),
                project_id: opt_i64(r, "project_id")?,
                project_name: opt_text(r, "project_name")?,
                document: text(r, "document")?,
                note: text(r, "note")?,
            })
        })
        .collect()
}

const LAND_SELECT: &str = "SELECT l.id, l.entry_on, l.kind, l.area_centi_mu, l.project_id, p.name AS project_name, l.document, l.note \
     FROM land_ledger l LEFT JOIN projects p ON p.id = l.project_id ORDER BY l.entry_on, l.id";

fn balance_of(entries: &[LandEntryView]) -> Vec<LandEntry> {
    entries
        .iter()
        .map(|e| LandEntry {
            entry_on: e.entry_on,
            kind: e.kind,
            area: e.area,
        })
        .collect()
}

impl Store {
    pub async fn land_ledger(&self) -> Result<LandLedger, StoreError> {
        let entries = land_entries(&sqlx::query(LAND_SELECT).fetch_all(&self.pool).await?)?;
        let plain = balance_of(&entries);
        Ok(LandLedger {
            balance: land_balance(&plain),
            years: land_by_year(&plain),
            warnings: self.land_warnings(LAND_WARNING_DAYS).await?,
            entries,
        })
    }

    /// Open land-needing nodes due within `within_days` (or overdue) whose project's land is
    /// not covered by allocations.
    pub async fn land_warnings(&self, within_days: i64) -> Result<Vec<LandWarning>, StoreError> {
        let as_of = self.as_of().await?;
        let names = zhantu_domain::land::LAND_NODES;
        let mut q = crate::row::SqlBuf::new(
            "SELECT n.id, n.name, n.planned_on, p.id AS project_id, p.name AS project_name, p.land_area_centi_mu, \
             CAST(COALESCE((SELECT SUM(CASE WHEN l.kind = 'allocation' THEN l.area_centi_mu WHEN l.kind = 'release' THEN -l.area_centi_mu ELSE 0 END) \
             FROM land_ledger l WHERE l.project_id = p.id), 0) AS BIGINT) AS allocated \
             FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.status <> 'closed' AND p.stage <> 'terminated' AND p.land_area_centi_mu > 0 AND n.name IN (",
        );
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.arg(*n);
        }
        q.push(") ORDER BY n.planned_on, n.id");
        let needs: Vec<LandNeed> = read_all(q.query(), &self.pool, |r| {
            Ok(LandNeed {
                project_id: i64_(r, "project_id")?,
                project_name: text(r, "project_name")?,
                node_id: i64_(r, "id")?,
                node_name: text(r, "name")?,
                planned_on: date(r, "planned_on")?,
                land_area: LandArea::from_centi_mu(i64_(r, "land_area_centi_mu")?),
                allocated: LandArea::from_centi_mu(i64_(r, "allocated")?),
            })
        })
        .await?;
        Ok(land_warnings(&needs, as_of, within_days))
    }

    /// Records a grant of quota from the province (上级下达).
    pub async fn grant_land(&self, n: &NewLandEntry, ctx: &AuditCtx) -> Result<i64, StoreError> {
        check_grant(n.area)?;
        self.land_entry(LandEntryKind::Grant, n, None, ctx).await
    }

    /// Allocates quota to a project; refused beyond the balance.
    pub async fn allocate_land(&self, n: &NewLandEntry, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let project = n
            .project_id
            .ok_or_else(|| StoreError::rule("land_allocation_needs_project", "分配指标须选择项目"))?;
        self.land_entry(LandEntryKind::Allocation, n, Some(project), ctx).await
    }

    async fn land_entry(&self, kind: LandEntryKind, n: &NewLandEntry, project: Option<i64>, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let mut tx = self.begin_locked().await?;
        if let Some(p) = project {
            must_read::<i64>(&mut tx, "SELECT id FROM projects WHERE id = $1", p, "project_missing", "项目").await?;
        }
        let entries = land_entries(&sqlx::query(LAND_SELECT).fetch_all(&mut *tx).await?)?;
        let before = land_balance(&balance_of(&entries));
        if kind == LandEntryKind::Allocation {
            check_allocation(before.balance, n.area)?;
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO land_ledger (entry_on, kind, area_centi_mu, project_id, document, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(n.entry_on.to_string())
        .bind(kind.code())
        .bind(n.area.centi_mu())
        .bind(project)
        .bind(n.document.trim())
        .bind(n.note.trim())
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            ctx,
            &format!("land.{}", kind.code()),
            "land_ledger",
            Some(id),
            Some(&json!({ "balance": before.balance.mu_exact() })),
            Some(&json!({ "kind": kind.code(), "entry_on": n.entry_on, "area": n.area.mu_exact(), "project_id": project, "document": n.document.trim() })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
