//! Campaigns (攻坚行动/擂台赛): their target nodes and units, the leaderboard and the closing
//! report. The figures are the domain's (`zhantu_domain::campaigns`); every write here is one
//! transaction with its audit entry, versioned where people edit.

use crate::audit::{AuditCtx, append};
use crate::choices::Named;
use crate::row::{date, found, i64_, opt_date, rows_for, text};
use crate::writes::{Closing, Tx, link, must_read, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::campaigns::{
    CampaignReport, CampaignTarget, LeaderboardRow, MeasureInput, campaign_report, check_achieved, check_campaign, leaderboard,
    measure_rate, measures_sentence,
};
use zhantu_domain::figures::{CampaignCompletion, campaign_completion};

/// 攻坚行动 with its completion.
#[derive(Debug, Clone, Serialize)]
pub struct CampaignSummary {
    pub id: i64,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: String,
    /// `open` or `closed` (closing report written).
    pub status: String,
    pub closing_note: String,
    pub version: i64,
    pub completion: CampaignCompletion,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignTargetView {
    pub node_id: i64,
    pub node_name: String,
    pub project_id: i64,
    pub project_name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub planned_on: NaiveDate,
    pub status: String,
    pub actual_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignDetail {
    #[serde(flatten)]
    pub campaign: CampaignSummary,
    pub units: Vec<Named>,
    pub targets: Vec<CampaignTargetView>,
    pub leaderboard: Vec<LeaderboardRow>,
    /// Its quantitative targets besides the nodes, in the order they were set.
    pub measures: Vec<Measure>,
    pub report: CampaignReport,
}

/// A campaign's quantitative target (量化指标) and what has been achieved of it.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: i64,
    pub campaign_id: i64,
    pub name: String,
    pub unit: String,
    pub target: i64,
    pub achieved: i64,
    /// achieved ÷ target, one decimal.
    pub rate: Option<zhantu_domain::figures::Pct1>,
    pub updated_by: String,
    pub updated_at: String,
    pub version: i64,
}

fn measure(r: &AnyRow) -> Result<Measure, StoreError> {
    let (target, achieved) = (i64_(r, "target")?, i64_(r, "achieved")?);
    Ok(Measure {
        id: i64_(r, "id")?,
        campaign_id: i64_(r, "campaign_id")?,
        name: text(r, "name")?,
        unit: text(r, "unit")?,
        target,
        achieved,
        rate: measure_rate(achieved, target),
        updated_by: text(r, "updated_by")?,
        updated_at: text(r, "updated_at")?,
        version: i64_(r, "version")?,
    })
}

fn measure_snapshot(m: &Measure) -> serde_json::Value {
    json!({ "campaign_id": m.campaign_id, "name": m.name, "unit": m.unit, "target": m.target, "achieved": m.achieved, "version": m.version })
}

#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: String,
    pub unit_ids: Vec<i64>,
    /// Target nodes; their responsible units join too.
    pub node_ids: Vec<i64>,
    /// Also target every open node with one of these names planned within the window
    /// (e.g. 政策处理、土地摘牌: the hard nodes of the campaign).
    pub node_names: Vec<String>,
}

const CLOSING: Closing = Closing {
    table: "campaigns",
    entity: "campaign",
    text_column: "closing_note",
    action: "campaign.close",
};

fn campaign_head(r: &AnyRow) -> Result<CampaignSummary, StoreError> {
    Ok(CampaignSummary {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        starts_on: date(r, "starts_on")?,
        ends_on: date(r, "ends_on")?,
        description: text(r, "description")?,
        status: text(r, "status")?,
        closing_note: text(r, "closing_note")?,
        version: i64_(r, "version")?,
        completion: campaign_completion(date(r, "ends_on")?, date(r, "ends_on")?, &[]),
    })
}

impl Store {
    async fn campaign_targets(&self, id: i64) -> Result<Vec<CampaignTargetView>, StoreError> {
        rows_for(&self.pool, "SELECT n.id, n.name, n.project_id, p.name AS project_name, n.responsible_unit_id, u.name AS unit_name, n.planned_on, n.status, n.actual_on \
             FROM campaign_nodes cn JOIN nodes n ON n.id = cn.node_id JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = n.responsible_unit_id \
             WHERE cn.campaign_id = $1 ORDER BY n.planned_on, n.id", id, |r| {
            Ok(CampaignTargetView {
                node_id: i64_(r, "id")?,
                node_name: text(r, "name")?,
                project_id: i64_(r, "project_id")?,
                project_name: text(r, "project_name")?,
                unit_id: i64_(r, "responsible_unit_id")?,
                unit_name: text(r, "unit_name")?,
                planned_on: date(r, "planned_on")?,
                status: text(r, "status")?,
                actual_on: opt_date(r, "actual_on")?,
            })
        }).await
    }

    fn closed_on(t: &CampaignTargetView, as_of: NaiveDate) -> Option<NaiveDate> {
        (t.status == "closed")
            .then_some(t.actual_on.unwrap_or(as_of))
            .filter(|d| *d <= as_of)
    }

    pub async fn list_campaigns(&self) -> Result<Vec<CampaignSummary>, StoreError> {
        let as_of = self.as_of().await?;
        let rows = sqlx::query("SELECT * FROM campaigns ORDER BY starts_on DESC, id DESC")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            let mut c = campaign_head(r)?;
            let closed: Vec<Option<NaiveDate>> = self
                .campaign_targets(c.id)
                .await?
                .iter()
                .map(|t| Self::closed_on(t, as_of))
                .collect();
            c.completion = campaign_completion(c.ends_on, as_of, &closed);
            out.push(c);
        }
        Ok(out)
    }

    /// A campaign with its targets and the leaderboard computed now from the nodes' states.
    pub async fn campaign(&self, id: i64) -> Result<CampaignDetail, StoreError> {
        let as_of = self.as_of().await?;
        let r = found(sqlx::query("SELECT * FROM campaigns WHERE id = $1").bind(id), &self.pool).await?;
        let mut c = campaign_head(&r)?;
        let targets = self.campaign_targets(id).await?;
        let closed: Vec<Option<NaiveDate>> = targets.iter().map(|t| Self::closed_on(t, as_of)).collect();
        c.completion = campaign_completion(c.ends_on, as_of, &closed);
        let units: Vec<Named> = rows_for(&self.pool, "SELECT u.id, u.name FROM campaign_units cu JOIN units u ON u.id = cu.unit_id WHERE cu.campaign_id = $1 ORDER BY u.sort_order, u.id", id, |r| {
                Ok(Named {
                    id: i64_(r, "id")?,
                    name: text(r, "name")?,
                })
            }).await?;
        let board_targets: Vec<CampaignTarget> = targets
            .iter()
            .map(|t| CampaignTarget {
                unit_id: t.unit_id,
                unit_name: t.unit_name.clone(),
                closed_on: Self::closed_on(t, as_of),
            })
            .collect();
        let unit_pairs: Vec<(i64, String)> = units.iter().map(|u| (u.id, u.name.clone())).collect();
        let board = leaderboard(c.ends_on, as_of, &unit_pairs, &board_targets);
        let mut report = campaign_report(&c.name, c.starts_on, c.ends_on, &board);
        let measures = self.campaign_measures(id).await?;
        if !measures.is_empty() {
            let parts: Vec<(String, String, i64, i64)> = measures
                .iter()
                .map(|m| (m.name.clone(), m.unit.clone(), m.target, m.achieved))
                .collect();
            report.summary.push_str(&format!("量化指标：{}。", measures_sentence(&parts)));
        }
        Ok(CampaignDetail {
            campaign: c,
            units,
            targets,
            leaderboard: board,
            measures,
            report,
        })
    }

    pub async fn create_campaign(&self, n: &NewCampaign, ctx: &AuditCtx) -> Result<i64, StoreError> {
        check_campaign(&n.name, n.starts_on, n.ends_on)?;
        let mut tx = self.begin_locked().await?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO campaigns (name, starts_on, ends_on, description) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(n.name.trim())
                .bind(n.starts_on.to_string())
                .bind(n.ends_on.to_string())
                .bind(n.description.trim())
                .fetch_one(&mut *tx)
                .await?;
        let mut units = n.unit_ids.clone();
        units.sort();
        units.dedup();
        for u in &units {
            Self::unit_name_in(&mut tx, *u).await?;
            link(&mut tx, "campaign_units", ("campaign_id", id), ("unit_id", *u)).await?;
        }
        let mut node_ids = n.node_ids.clone();
        if !n.node_names.is_empty() {
            let mut q = crate::row::SqlBuf::new(
                "SELECT n.id FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.status <> 'closed' AND p.stage <> 'terminated' AND n.planned_on >= ",
            );
            q.arg(n.starts_on)
                .push(" AND n.planned_on <= ")
                .arg(n.ends_on)
                .push(" AND n.name IN (");
            for (i, name) in n.node_names.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.arg(name.as_str());
            }
            q.push(") ORDER BY n.planned_on, n.id");
            for r in q.query().fetch_all(&mut *tx).await? {
                node_ids.push(i64_(&r, "id")?);
            }
        }
        let nodes = Self::add_campaign_targets_in(&mut tx, id, &node_ids).await?;
        append(
            &mut tx,
            ctx,
            "campaign.create",
            "campaign",
            Some(id),
            None,
            Some(&json!({ "name": n.name.trim(), "starts_on": n.starts_on, "ends_on": n.ends_on, "unit_ids": units, "node_ids": nodes })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn add_campaign_targets_in(tx: &mut Tx, id: i64, node_ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        let mut added = Vec::new();
        for n in node_ids {
            let unit: i64 = must_read(
                &mut **tx,
                "SELECT responsible_unit_id FROM nodes WHERE id = $1",
                *n,
                "node_missing",
                "节点",
            )
            .await?;
            if link(tx, "campaign_nodes", ("campaign_id", id), ("node_id", *n)).await? {
                link(tx, "campaign_units", ("campaign_id", id), ("unit_id", unit)).await?;
                added.push(*n);
            }
        }
        Ok(added)
    }

    /// Adds target nodes (their responsible units join the campaign). Returns how many were new.
    pub async fn add_campaign_targets(&self, id: i64, node_ids: &[i64], ctx: &AuditCtx) -> Result<usize, StoreError> {
        let mut tx = self.begin_locked().await?;
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        if status.ok_or(StoreError::NotFound)? != "open" {
            return Err(StoreError::rule("campaign_closed", "攻坚行动已总结关闭，不能再加节点"));
        }
        let added = Self::add_campaign_targets_in(&mut tx, id, node_ids).await?;
        append(
            &mut tx,
            ctx,
            "campaign.add_targets",
            "campaign",
            Some(id),
            None,
            Some(&json!({ "node_ids": added })),
        )
        .await?;
        tx.commit().await?;
        Ok(added.len())
    }

    /// A campaign's quantitative targets, in the order they were set.
    pub async fn campaign_measures(&self, campaign_id: i64) -> Result<Vec<Measure>, StoreError> {
        let rows = sqlx::query("SELECT * FROM campaign_measures WHERE campaign_id = $1 ORDER BY seq, id")
            .bind(campaign_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(measure).collect()
    }

    /// The campaign a measure belongs to.
    pub async fn measure_campaign(&self, measure_id: i64) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT campaign_id FROM campaign_measures WHERE id = $1")
            .bind(measure_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// A campaign closed with its report takes no more targets or progress: the report stands.
    async fn must_be_open(tx: &mut Tx, campaign_id: i64) -> Result<(), StoreError> {
        let status: Option<String> = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1")
            .bind(campaign_id)
            .fetch_optional(&mut **tx)
            .await?;
        if status.ok_or(StoreError::NotFound)? != "open" {
            return Err(StoreError::rule("campaign_closed", "攻坚行动已总结关闭，量化指标不能再改"));
        }
        Ok(())
    }

    /// Sets a quantitative target on a campaign (a name taken twice is a duplicate).
    pub async fn add_campaign_measure(&self, campaign_id: i64, m: &MeasureInput, ctx: &AuditCtx) -> Result<Measure, StoreError> {
        let mut tx = self.begin_locked().await?;
        Self::must_be_open(&mut tx, campaign_id).await?;
        let seq: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(seq), 0) + 1 AS BIGINT) FROM campaign_measures WHERE campaign_id = $1")
            .bind(campaign_id)
            .fetch_one(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaign_measures (campaign_id, seq, name, unit, target, achieved, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(campaign_id)
        .bind(seq)
        .bind(&m.name)
        .bind(&m.unit)
        .bind(m.target)
        .bind(m.achieved)
        .bind(&ctx.actor)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let after = measure(
            &sqlx::query("SELECT * FROM campaign_measures WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        append(
            &mut tx,
            ctx,
            "campaign.measure",
            "campaign",
            Some(campaign_id),
            None,
            Some(&measure_snapshot(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records what has been achieved of a measure, refusing a stale version.
    pub async fn update_campaign_measure(
        &self,
        measure_id: i64,
        achieved: i64,
        version: i64,
        ctx: &AuditCtx,
    ) -> Result<Measure, StoreError> {
        check_achieved(achieved)?;
        let mut tx = self
            .begin_versioned("campaign_measures", "campaign_measure", measure_id, version)
            .await?;
        let before = measure(
            &sqlx::query("SELECT * FROM campaign_measures WHERE id = $1")
                .bind(measure_id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        Self::must_be_open(&mut tx, before.campaign_id).await?;
        sqlx::query("UPDATE campaign_measures SET achieved = $1, updated_by = $2, updated_at = $3, version = version + 1 WHERE id = $4")
            .bind(achieved)
            .bind(&ctx.actor)
            .bind(now())
            .bind(measure_id)
            .execute(&mut *tx)
            .await?;
        let after = measure(
            &sqlx::query("SELECT * FROM campaign_measures WHERE id = $1")
                .bind(measure_id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        append(
            &mut tx,
            ctx,
            "campaign.measure_progress",
            "campaign",
            Some(before.campaign_id),
            Some(&measure_snapshot(&before)),
            Some(&measure_snapshot(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Closes a campaign with its closing report (the generated summary when `note` is empty).
    pub async fn close_campaign(&self, id: i64, version: i64, note: &str, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let detail = self.campaign(id).await?;
        if detail.campaign.status == "closed" {
            return Err(StoreError::rule("campaign_already_closed", "该攻坚行动已总结关闭"));
        }
        let note = if note.trim().is_empty() {
            detail.report.summary.clone()
        } else {
            note.trim().to_string()
        };
        let after = json!({ "status": "closed", "closing_note": note, "report": detail.report });
        self.close_versioned(&CLOSING, id, version, &note, after, ctx).await
    }
}
