//! 逐级上报: the rows a district's package for a month is built from, and the packages a city
//! (or province) has received, one per (division, period) in `uplink_received` (0028).
//!
//! Receiving is idempotent by digest: the same package again changes nothing and answers the
//! receipt already given; a new digest for a (division, period) held replaces the package
//! (a revision), audited like the first receipt.

use crate::audit::AuditCtx;
use crate::row::{i64_, opt_text, read_all, text};
use crate::writes::{commit_audited, now};
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use zhantu_domain::uplink::{LIGHT_AT_MONTH_END, LIGHT_CURRENT, Package, PackageNode, PackageProject, Totals, project_key};

/// What the receiver says of a package: `accepted` (first time), `revised` (replaced an
/// earlier one), `unchanged` (the same digest again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub division: String,
    pub district_name: String,
    pub period: String,
    pub digest: String,
    pub projects: i64,
    pub received_at: String,
    pub status: &'static str,
}

/// A package held, with its totals.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    #[serde(flatten)]
    pub receipt: Receipt,
    pub totals: Totals,
}

const COLUMNS: &str = "division, period, district_name, digest, projects, totals, received_at, status";

fn received(r: &sqlx::any::AnyRow) -> Result<Received, StoreError> {
    let status = match text(r, "status")?.as_str() {
        "revised" => "revised",
        _ => "accepted",
    };
    let totals: Totals = serde_json::from_str(&text(r, "totals")?).map_err(|e| StoreError::Corrupt(format!("uplink totals: {e}")))?;
    Ok(Received {
        receipt: Receipt {
            division: text(r, "division")?,
            district_name: text(r, "district_name")?,
            period: text(r, "period")?,
            digest: text(r, "digest")?,
            projects: i64_(r, "projects")?,
            received_at: text(r, "received_at")?,
            status,
        },
        totals,
    })
}

impl Store {
    /// Every project of the district as it goes into the package of `year`-`month`, by id:
    /// its light kept for that month when the lights run kept one (else today's), the year's
    /// plan, the month's and the year-to-date investment, and its nodes in order.
    pub async fn uplink_projects(&self, year: i32, month: u32) -> Result<Vec<PackageProject>, StoreError> {
        let mut nodes: HashMap<i64, Vec<PackageNode>> = HashMap::new();
        for (project, node) in read_all(
            sqlx::query("SELECT project_id, name, planned_on, actual_on, status FROM nodes ORDER BY project_id, seq, id"),
            &self.pool,
            |r| {
                Ok((
                    i64_(r, "project_id")?,
                    PackageNode {
                        name: text(r, "name")?,
                        planned_on: text(r, "planned_on")?,
                        actual_on: opt_text(r, "actual_on")?,
                        status: text(r, "status")?,
                    },
                ))
            },
        )
        .await?
        {
            nodes.entry(project).or_default().push(node);
        }
        let month_start = format!("{year:04}-{month:02}-01");
        let rows = read_all(
            sqlx::query(
                "SELECT p.id, p.code, p.name, u.name AS unit_name, p.stage, p.light, ls.light AS month_light, p.total_investment, \
                 CAST(COALESCE((SELECT a.planned_investment FROM annual_plans a WHERE a.project_id = p.id AND a.year = $2), 0) AS BIGINT) AS year_plan, \
                 CAST(COALESCE((SELECT m.amount FROM monthly_investment m WHERE m.project_id = p.id AND m.year = $2 AND m.month = $3), 0) AS BIGINT) AS in_month, \
                 CAST(COALESCE((SELECT SUM(m.amount) FROM monthly_investment m WHERE m.project_id = p.id AND m.year = $2 AND m.month <= $3), 0) AS BIGINT) AS ytd \
                 FROM projects p JOIN units u ON u.id = p.unit_id \
                 LEFT JOIN light_snapshots ls ON ls.project_id = p.id AND ls.period_kind = 'month' AND ls.period_start = $1 \
                 ORDER BY p.id",
            )
            .bind(month_start)
            .bind(year as i64)
            .bind(month as i64),
            &self.pool,
            |r| {
                let id = i64_(r, "id")?;
                let (light, source) = match opt_text(r, "month_light")? {
                    Some(l) => (Some(l), LIGHT_AT_MONTH_END),
                    None => (opt_text(r, "light")?, LIGHT_CURRENT),
                };
                Ok(PackageProject {
                    code: project_key(opt_text(r, "code")?.as_deref(), id),
                    name: text(r, "name")?,
                    unit: text(r, "unit_name")?,
                    stage: text(r, "stage")?,
                    light,
                    light_source: source.to_string(),
                    total_investment: i64_(r, "total_investment")?,
                    year_plan: i64_(r, "year_plan")?,
                    investment_month: i64_(r, "in_month")?,
                    investment_ytd: i64_(r, "ytd")?,
                    nodes: vec![],
                })
                .map(|p| (id, p))
            },
        )
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, mut p)| {
                p.nodes = nodes.remove(&id).unwrap_or_default();
                p
            })
            .collect())
    }

    /// Keeps a validated package: `accepted` the first time for its (division, period),
    /// `unchanged` (nothing written, the receipt already given) for the same digest again,
    /// `revised` for a new digest, which replaces the one held. Audited.
    pub async fn receive_uplink(&self, p: &Package, ctx: &AuditCtx) -> Result<Receipt, StoreError> {
        let mut tx = self.begin_locked().await?;
        let held = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM uplink_received WHERE division = $1 AND period = $2"
        ))
        .bind(&p.division)
        .bind(&p.period)
        .fetch_optional(&mut *tx)
        .await?;
        let before = match &held {
            Some(r) => {
                let r = received(r)?;
                if r.receipt.digest == p.digest {
                    tx.rollback().await?;
                    return Ok(Receipt {
                        status: "unchanged",
                        ..r.receipt
                    });
                }
                Some(r.receipt)
            }
            None => None,
        };
        let totals = serde_json::to_string(&p.totals).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let package = serde_json::to_string(p).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let at = now();
        sqlx::query(
            "INSERT INTO uplink_received (division, period, district_name, digest, projects, totals, package, received_at, received_by, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (division, period) DO UPDATE SET district_name = excluded.district_name, digest = excluded.digest, \
             projects = excluded.projects, totals = excluded.totals, package = excluded.package, \
             received_at = excluded.received_at, received_by = excluded.received_by, status = excluded.status",
        )
        .bind(&p.division)
        .bind(&p.period)
        .bind(&p.district_name)
        .bind(&p.digest)
        .bind(p.totals.projects)
        .bind(&totals)
        .bind(&package)
        .bind(&at)
        .bind(&ctx.actor)
        .bind(if before.is_some() { "revised" } else { "accepted" })
        .execute(&mut *tx)
        .await?;
        let receipt = Receipt {
            division: p.division.clone(),
            district_name: p.district_name.clone(),
            period: p.period.clone(),
            digest: p.digest.clone(),
            projects: p.totals.projects,
            received_at: at,
            status: if before.is_some() { "revised" } else { "accepted" },
        };
        let summary = |r: &Receipt| json!({ "division": r.division, "district_name": r.district_name, "period": r.period, "digest": r.digest, "projects": r.projects });
        let action = if before.is_some() { "uplink.revise" } else { "uplink.receive" };
        commit_audited(
            tx,
            ctx,
            (action, "uplink", None),
            before.as_ref().map(summary).as_ref(),
            Some(&summary(&receipt)),
        )
        .await?;
        Ok(receipt)
    }

    /// The packages held for `period`, by division; each receipt as last given (`accepted` or
    /// `revised`).
    pub async fn uplinks_received(&self, period: &str) -> Result<Vec<Received>, StoreError> {
        read_all(
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM uplink_received WHERE period = $1 ORDER BY division"
            ))
            .bind(period),
            &self.pool,
            received,
        )
        .await
    }

    /// The periods with at least one package held, latest first.
    pub async fn uplink_periods(&self) -> Result<Vec<String>, StoreError> {
        read_all(
            sqlx::query("SELECT DISTINCT period FROM uplink_received ORDER BY period DESC"),
            &self.pool,
            |r| text(r, "period"),
        )
        .await
    }
}
