//! Investment-attraction leads (招商引资): the register, a lead's stage changes (洽谈 → 签约 →
//! 落地, with the project it lands as) and the funnel. The rules and figures are the domain's
//! (`zhantu_domain::leads`); every write here is one transaction with its audit entry,
//! versioned where people edit.

use crate::audit::{AuditCtx, append};
use crate::row::{date, found, i64_, opt_date, opt_i64, opt_text, read_all, text};
use crate::writes::{Tx, corrupt, must_read, now};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::Money;
use zhantu_domain::leads::{FunnelRow, LeadFact, check_lead_move, check_lead_name, funnel_by_group, funnel_total};
use zhantu_domain::model::LeadStage;

/// 招商线索.
#[derive(Debug, Clone, Serialize)]
pub struct Lead {
    pub id: i64,
    pub name: String,
    pub investor: String,
    pub team_unit_id: i64,
    pub team_name: String,
    pub leader_id: Option<i64>,
    pub leader_name: Option<String>,
    pub stage: LeadStage,
    /// 协议投资额 (元).
    pub signed_amount: Money,
    pub foreign_usd_cents: Option<i64>,
    pub source_region: String,
    pub first_contact_on: NaiveDate,
    pub signed_on: Option<NaiveDate>,
    pub landed_on: Option<NaiveDate>,
    pub project_id: Option<i64>,
    pub project_name: Option<String>,
    pub note: String,
    pub stage_reason: String,
    pub version: i64,
}

const LEAD_SELECT: &str = "SELECT l.id, l.name, l.investor, l.team_unit_id, u.name AS team_name, l.leader_id, pe.name AS leader_name, l.stage, \
     l.signed_amount, l.foreign_usd_cents, l.source_region, l.first_contact_on, l.signed_on, l.landed_on, l.project_id, p.name AS project_name, \
     l.note, l.stage_reason, l.version FROM attraction_leads l JOIN units u ON u.id = l.team_unit_id LEFT JOIN people pe ON pe.id = l.leader_id \
     LEFT JOIN projects p ON p.id = l.project_id";

fn lead(r: &AnyRow) -> Result<Lead, StoreError> {
    let stage = text(r, "stage")?;
    Ok(Lead {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        investor: text(r, "investor")?,
        team_unit_id: i64_(r, "team_unit_id")?,
        team_name: text(r, "team_name")?,
        leader_id: opt_i64(r, "leader_id")?,
        leader_name: opt_text(r, "leader_name")?,
        stage: LeadStage::from_code(&stage).ok_or_else(|| corrupt("attraction_leads.stage", &stage))?,
        signed_amount: Money::from_yuan(i64_(r, "signed_amount")?),
        foreign_usd_cents: opt_i64(r, "foreign_usd_cents")?,
        source_region: text(r, "source_region")?,
        first_contact_on: date(r, "first_contact_on")?,
        signed_on: opt_date(r, "signed_on")?,
        landed_on: opt_date(r, "landed_on")?,
        project_id: opt_i64(r, "project_id")?,
        project_name: opt_text(r, "project_name")?,
        note: text(r, "note")?,
        stage_reason: text(r, "stage_reason")?,
        version: i64_(r, "version")?,
    })
}

/// One lead read on `conn` (inside a write's transaction, or on its own).
async fn lead_in(conn: &mut sqlx::AnyConnection, id: i64) -> Result<Lead, StoreError> {
    let r = found(sqlx::query(&format!("{LEAD_SELECT} WHERE l.id = $1")).bind(id), &mut *conn).await?;
    lead(&r)
}

fn lead_snapshot(l: &Lead) -> serde_json::Value {
    json!({ "name": l.name, "stage": l.stage.code(), "team_unit_id": l.team_unit_id, "leader_id": l.leader_id, "signed_amount": l.signed_amount,
            "signed_on": l.signed_on, "landed_on": l.landed_on, "project_id": l.project_id, "version": l.version })
}

#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub stage: Option<LeadStage>,
    pub team: Option<i64>,
    pub leader: Option<i64>,
    /// Only the leads of these teams (a unit editor's scope); `None` for all.
    pub scope: Option<Vec<i64>>,
}

/// A new lead, in talks (洽谈).
#[derive(Debug, Clone)]
pub struct NewLead {
    pub name: String,
    pub investor: String,
    pub team_unit_id: i64,
    pub leader_id: Option<i64>,
    pub signed_amount: Money,
    pub foreign_usd_cents: Option<i64>,
    pub source_region: String,
    pub first_contact_on: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Default)]
pub struct LeadChange {
    pub name: Option<String>,
    pub investor: Option<String>,
    pub leader_id: Option<Option<i64>>,
    pub signed_amount: Option<Money>,
    pub foreign_usd_cents: Option<Option<i64>>,
    pub source_region: Option<String>,
    pub note: Option<String>,
}

/// A project to create for a lead that lands.
#[derive(Debug, Clone)]
pub struct LandingProject {
    /// Project type key (its node template): industrial, commercial, …
    pub project_type: String,
    /// The responsible unit; the lead's team when absent.
    pub unit_id: Option<i64>,
}

/// A stage change of a lead.
#[derive(Debug, Clone)]
pub struct LeadMove {
    pub to: LeadStage,
    pub on: NaiveDate,
    pub reason: String,
    /// Link this existing project on 落地.
    pub project_id: Option<i64>,
    /// Or create one.
    pub new_project: Option<LandingProject>,
}

/// The funnel of the leads: the whole, by team and by leader.
#[derive(Debug, Clone, Serialize)]
pub struct LeadFunnel {
    pub total: FunnelRow,
    pub by_team: Vec<FunnelRow>,
    pub by_leader: Vec<FunnelRow>,
}

impl Store {
    pub async fn list_leads(&self, f: &LeadFilter) -> Result<Vec<Lead>, StoreError> {
        let mut q = crate::row::SqlBuf::new(LEAD_SELECT);
        q.push(" WHERE 1 = 1");
        q.push_some(" AND l.stage = ", f.stage.map(|s| s.code()));
        q.push_some(" AND l.team_unit_id = ", f.team);
        q.push_some(" AND l.leader_id = ", f.leader);
        if let Some(scope) = &f.scope {
            q.push(" AND l.team_unit_id IN ").in_list(scope.iter().copied());
        }
        q.push(" ORDER BY l.first_contact_on DESC, l.id DESC");
        read_all(q.query(), &self.pool, lead).await
    }

    pub async fn lead(&self, id: i64) -> Result<Lead, StoreError> {
        lead_in(&mut *self.pool.acquire().await?, id).await
    }

    /// 漏斗: leads per stage, with signing and landing rates, by team and by leader.
    pub async fn lead_funnel(&self, scope: Option<Vec<i64>>) -> Result<LeadFunnel, StoreError> {
        let leads = self
            .list_leads(&LeadFilter {
                scope,
                ..Default::default()
            })
            .await?;
        let facts = |by_leader: bool| -> Vec<LeadFact> {
            leads
                .iter()
                .map(|l| LeadFact {
                    group: if by_leader {
                        l.leader_name.clone().unwrap_or_else(|| "未定包干领导".into())
                    } else {
                        l.team_name.clone()
                    },
                    stage: l.stage,
                    signed_amount: l.signed_amount,
                })
                .collect()
        };
        Ok(LeadFunnel {
            total: funnel_total(&facts(false)),
            by_team: funnel_by_group(&facts(false)),
            by_leader: funnel_by_group(&facts(true)),
        })
    }

    pub async fn create_lead(&self, n: &NewLead, ctx: &AuditCtx) -> Result<Lead, StoreError> {
        check_lead_name(&n.name)?;
        let mut tx = self.begin_locked().await?;
        Self::unit_name_in(&mut tx, n.team_unit_id).await?;
        Self::check_person(&mut tx, n.leader_id, false).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attraction_leads (name, investor, team_unit_id, leader_id, stage, signed_amount, foreign_usd_cents, source_region, first_contact_on, note) \
             VALUES ($1, $2, $3, $4, 'talks', $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(n.name.trim())
        .bind(n.investor.trim())
        .bind(n.team_unit_id)
        .bind(n.leader_id)
        .bind(n.signed_amount.yuan())
        .bind(n.foreign_usd_cents)
        .bind(n.source_region.trim())
        .bind(n.first_contact_on.to_string())
        .bind(n.note.trim())
        .fetch_one(&mut *tx)
        .await?;
        let after = lead_in(&mut tx, id).await?;
        append(&mut tx, ctx, "lead.create", "lead", Some(id), None, Some(&lead_snapshot(&after))).await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn update_lead(&self, id: i64, version: i64, c: &LeadChange, ctx: &AuditCtx) -> Result<Lead, StoreError> {
        let mut tx = self.begin_versioned("attraction_leads", "lead", id, version).await?;
        let before = lead_in(&mut tx, id).await?;
        let mut q = crate::row::SqlBuf::new("UPDATE attraction_leads SET version = version + 1");
        if let Some(v) = &c.name {
            check_lead_name(v)?;
            q.push(", name = ").arg(v.trim());
        }
        q.push_some(", investor = ", c.investor.as_deref().map(str::trim));
        if let Some(v) = c.leader_id {
            Self::check_person(&mut tx, v, false).await?;
            q.push(", leader_id = ").arg(v);
        }
        q.push_some(", signed_amount = ", c.signed_amount.map(|v| v.yuan()));
        q.push_some(", foreign_usd_cents = ", c.foreign_usd_cents);
        q.push_some(", source_region = ", c.source_region.as_deref().map(str::trim));
        q.push_some(", note = ", c.note.as_deref().map(str::trim));
        q.push(" WHERE id = ").arg(id);
        q.query().execute(&mut *tx).await?;
        let after = lead_in(&mut tx, id).await?;
        append(
            &mut tx,
            ctx,
            "lead.update",
            "lead",
            Some(id),
            Some(&lead_snapshot(&before)),
            Some(&lead_snapshot(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Moves a lead along 洽谈 → 签约 → 落地 (or back, or to 终止, with a reason). On 落地 the
    /// lead links an existing project or creates one (stage 开工/落地, dated the landing day).
    pub async fn move_lead(&self, id: i64, version: i64, mv: &LeadMove, ctx: &AuditCtx) -> Result<Lead, StoreError> {
        let mut tx = self.begin_versioned("attraction_leads", "lead", id, version).await?;
        let before = lead_in(&mut tx, id).await?;
        let mut project_id = before.project_id;
        if mv.to == LeadStage::Landed
            && let Some(p) = mv.project_id
        {
            must_read::<i64>(&mut tx, "SELECT id FROM projects WHERE id = $1", p, "project_missing", "项目").await?;
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM attraction_leads WHERE project_id = $1 AND id <> $2")
                .bind(p)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(other) = taken {
                return Err(StoreError::Duplicate(format!("项目 {p} 已关联招商线索 {other}")));
            }
            project_id = Some(p);
        }
        check_lead_move(before.stage, mv.to, project_id.is_some() || mv.new_project.is_some(), &mv.reason)?;
        if mv.to == LeadStage::Landed && project_id.is_none() {
            let np = mv
                .new_project
                .as_ref()
                .ok_or_else(|| StoreError::rule("lead_landing_needs_project", "落地须关联一个项目（选择已有项目或由线索新建项目）"))?;
            project_id = Some(self.project_from_lead(&mut tx, &before, np, mv.on, ctx).await?);
        }
        let (signed_on, landed_on) = match mv.to {
            LeadStage::Talks => (None, None),
            LeadStage::Signed => (Some(before.signed_on.unwrap_or(mv.on)), None),
            LeadStage::Landed => (before.signed_on.or(Some(mv.on)), Some(mv.on)),
            LeadStage::Dropped => (before.signed_on, None),
        };
        sqlx::query(
            "UPDATE attraction_leads SET stage = $1, signed_on = $2, landed_on = $3, project_id = $4, stage_reason = $5, version = version + 1 WHERE id = $6",
        )
        .bind(mv.to.code())
        .bind(signed_on.map(|d| d.to_string()))
        .bind(landed_on.map(|d| d.to_string()))
        .bind(project_id)
        .bind(mv.reason.trim())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = lead_in(&mut tx, id).await?;
        let mut after_json = lead_snapshot(&after);
        after_json["reason"] = json!(mv.reason);
        append(
            &mut tx,
            ctx,
            "lead.stage",
            "lead",
            Some(id),
            Some(&lead_snapshot(&before)),
            Some(&after_json),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    async fn project_from_lead(
        &self,
        tx: &mut Tx,
        l: &Lead,
        np: &LandingProject,
        on: NaiveDate,
        ctx: &AuditCtx,
    ) -> Result<i64, StoreError> {
        let ptype: Option<String> = sqlx::query_scalar("SELECT code FROM project_types WHERE code = $1")
            .bind(&np.project_type)
            .fetch_optional(&mut **tx)
            .await?;
        let ptype = ptype.ok_or_else(|| StoreError::rule("project_type_missing", format!("项目类型“{}”不存在", np.project_type)))?;
        let unit = np.unit_id.unwrap_or(l.team_unit_id);
        Self::unit_name_in(tx, unit).await?;
        let name = if l.name.ends_with("项目") {
            l.name.clone()
        } else {
            format!("{}项目", l.name)
        };
        let t = now();
        let pid: i64 = sqlx::query_scalar(
            "INSERT INTO projects (name, unit_id, leader_id, project_type, stage, total_investment, investor, foreign_investment, foreign_usd_cents, \
             planned_year, started_on, description, created_at, updated_at) VALUES ($1, $2, $3, $4, 'started', $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(&name)
        .bind(unit)
        .bind(l.leader_id)
        .bind(&ptype)
        .bind(l.signed_amount.yuan())
        .bind(&l.investor)
        .bind(l.foreign_usd_cents.is_some() as i64)
        .bind(l.foreign_usd_cents)
        .bind(on.year() as i64)
        .bind(on.to_string())
        .bind(format!("由招商线索“{}”落地生成", l.name))
        .bind(&t)
        .fetch_one(&mut **tx)
        .await?;
        sqlx::query("INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, NULL, 'started', $2, $3, $4)")
            .bind(pid)
            .bind(on.to_string())
            .bind("招商线索落地")
            .bind(&ctx.actor)
            .execute(&mut **tx)
            .await?;
        self.reindex_project(tx, pid).await?;
        append(
            tx,
            ctx,
            "project.create_from_lead",
            "project",
            Some(pid),
            None,
            Some(&json!({ "name": name, "lead_id": l.id, "unit_id": unit, "project_type": ptype, "started_on": on })),
        )
        .await?;
        Ok(pid)
    }
}
