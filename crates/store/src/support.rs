//! 惠企政策兑现台账 (`support_ledger`): the lines of a year, read in a unit scope, and a line
//! entered with its audit entry. The figures are the domain's (`zhantu_domain::support`).

use crate::audit::{AuditCtx, append};
use crate::row::{date, i64_, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::Money;
use zhantu_domain::support::{SupportInput, SupportKind, SupportLine};

/// One line of the ledger, with its unit's name.
#[derive(Debug, Clone, Serialize)]
pub struct SupportRow {
    pub id: i64,
    pub kind: SupportKind,
    pub policy: String,
    pub year: i64,
    pub unit_id: i64,
    pub unit: String,
    pub firms: i64,
    pub amount: Money,
    pub granted_on: NaiveDate,
    pub document: String,
    pub note: String,
    pub created_by: String,
    pub version: i64,
}

impl SupportRow {
    pub fn line(&self) -> SupportLine {
        SupportLine {
            kind: self.kind,
            policy: self.policy.clone(),
            firms: self.firms,
            amount: self.amount,
        }
    }
}

const SELECT: &str = "SELECT s.*, u.name AS unit_name FROM support_ledger s JOIN units u ON u.id = s.unit_id";

fn support_row(r: &AnyRow) -> Result<SupportRow, StoreError> {
    let code = text(r, "kind")?;
    Ok(SupportRow {
        id: i64_(r, "id")?,
        kind: SupportKind::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("惠企台账类别“{code}”无效")))?,
        policy: text(r, "policy")?,
        year: i64_(r, "year")?,
        unit_id: i64_(r, "unit_id")?,
        unit: text(r, "unit_name")?,
        firms: i64_(r, "firms")?,
        amount: Money::from_yuan(i64_(r, "amount")?),
        granted_on: date(r, "granted_on")?,
        document: text(r, "document")?,
        note: text(r, "note")?,
        created_by: text(r, "created_by")?,
        version: i64_(r, "version")?,
    })
}

impl Store {
    /// The lines of `year` (of the units in `scope` when given), by date of grant.
    pub async fn support_lines(&self, year: i32, scope: Option<&[i64]>) -> Result<Vec<SupportRow>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} WHERE s.year = $1 ORDER BY s.granted_on, s.id"))
            .bind(year as i64)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let row = support_row(r)?;
            if scope.is_none_or(|s| s.contains(&row.unit_id)) {
                out.push(row);
            }
        }
        Ok(out)
    }

    /// Enters a line for `unit_id`.
    pub async fn add_support(&self, unit_id: i64, s: &SupportInput, ctx: &AuditCtx) -> Result<SupportRow, StoreError> {
        let mut tx = self.begin_locked().await?;
        crate::writes::must_read::<i64>(&mut *tx, "SELECT id FROM units WHERE id = $1", unit_id, "unit_missing", "单位").await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO support_ledger (kind, policy, year, unit_id, firms, amount, granted_on, document, note, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(s.kind.code())
        .bind(&s.policy)
        .bind(s.year as i64)
        .bind(unit_id)
        .bind(s.firms)
        .bind(s.amount.yuan())
        .bind(s.granted_on.to_string())
        .bind(&s.document)
        .bind(&s.note)
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        let row = support_row(
            &sqlx::query(&format!("{SELECT} WHERE s.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        let after = json!({ "kind": row.kind.code(), "policy": row.policy, "unit_id": unit_id, "firms": row.firms,
                            "amount": row.amount, "granted_on": row.granted_on, "document": row.document });
        append(&mut tx, ctx, "support.add", "support", Some(id), None, Some(&after)).await?;
        tx.commit().await?;
        Ok(row)
    }
}
