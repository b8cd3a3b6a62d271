//! The programmes around the projects: investment-attraction leads (招商引资), groundbreaking
//! batches (集中开工), campaigns (攻坚行动/擂台赛), supervision rounds (督查) and the land
//! quota ledger (用地指标). The rules and figures are the domain's (`zhantu_domain::{leads, batches, campaigns, supervision, land}`);
//! every write here is one transaction with its audit entry, versioned where people edit.

use crate::audit::{AuditCtx, append, lock};
use crate::row::{date, i64_, opt_date, opt_i64, opt_text, text};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::batches::{BatchYear, batches_per_year, check_batch_gate, parse_gate_nodes};
use zhantu_domain::campaigns::{CampaignReport, CampaignTarget, LeaderboardRow, campaign_report, leaderboard};
use zhantu_domain::error::RuleError;
use zhantu_domain::figures::{BatchAggregate, CampaignCompletion, batch_aggregate, campaign_completion};
use zhantu_domain::land::{
    LandBalance, LandEntry, LandNeed, LandWarning, LandYear, check_allocation, land_balance, land_by_year, land_warnings,
};
use zhantu_domain::leads::{FunnelRow, LeadFact, check_lead_move, funnel_by_group, funnel_total};
use zhantu_domain::model::{BatchLevel, LandEntryKind, LeadStage};
use zhantu_domain::supervision::{RedCandidate, suggest_targets};
use zhantu_domain::{LandArea, Money};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn rule(e: RuleError) -> StoreError {
    StoreError::Invalid(e.0)
}

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} = {v}"))
}

/// A record named by id, for lists of choices.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

impl Store {
    /// Starts a versioned write: the audit lock, the record's existence and version.
    async fn begin_versioned(&self, table: &str, entity: &str, id: i64, version: i64) -> Result<Tx, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let v: Option<i64> = sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match v {
            None => Err(StoreError::NotFound),
            Some(v) if v != version => {
                drop(tx);
                Err(self.conflict(entity, id).await?)
            }
            Some(_) => Ok(tx),
        }
    }

    async fn begin_locked(&self) -> Result<Tx, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        Ok(tx)
    }

    /// The attraction teams (招商组) and the district leaders, for forms.
    pub async fn pipeline_choices(&self) -> Result<(Vec<Named>, Vec<Named>), StoreError> {
        let named = |rows: Vec<AnyRow>| -> Result<Vec<Named>, StoreError> {
            rows.iter()
                .map(|r| {
                    Ok(Named {
                        id: i64_(r, "id")?,
                        name: text(r, "name")?,
                    })
                })
                .collect()
        };
        let teams = sqlx::query("SELECT id, name FROM units WHERE kind = 'attraction_team' AND active = 1 ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?;
        let leaders = sqlx::query("SELECT id, name FROM people WHERE is_leader = 1 AND active = 1 ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok((named(teams)?, named(leaders)?))
    }
}

// ================================================================== leads

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
    let r = sqlx::query(&format!("{LEAD_SELECT} WHERE l.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
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
        if let Some(s) = f.stage {
            q.push(" AND l.stage = ").arg(s.code());
        }
        if let Some(t) = f.team {
            q.push(" AND l.team_unit_id = ").arg(t);
        }
        if let Some(p) = f.leader {
            q.push(" AND l.leader_id = ").arg(p);
        }
        if let Some(scope) = &f.scope {
            q.push(" AND l.team_unit_id IN ").in_list(scope.iter().copied());
        }
        q.push(" ORDER BY l.first_contact_on DESC, l.id DESC");
        q.query().fetch_all(&self.pool).await?.iter().map(lead).collect()
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

    async fn check_person(tx: &mut Tx, id: Option<i64>, leader: bool) -> Result<(), StoreError> {
        if let Some(id) = id {
            let is_leader: Option<i64> = sqlx::query_scalar("SELECT is_leader FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
            match is_leader {
                None => return Err(StoreError::Invalid(format!("人员 {id} 不存在"))),
                Some(0) if leader => return Err(StoreError::Invalid(format!("人员 {id} 不是区领导"))),
                _ => {}
            }
        }
        Ok(())
    }

    async fn unit_name_in(tx: &mut Tx, id: i64) -> Result<String, StoreError> {
        let n: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        n.ok_or_else(|| StoreError::Invalid(format!("单位 {id} 不存在")))
    }

    pub async fn create_lead(&self, n: &NewLead, ctx: &AuditCtx) -> Result<Lead, StoreError> {
        if n.name.trim().is_empty() {
            return Err(StoreError::Invalid("线索名称不能为空".into()));
        }
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
            if v.trim().is_empty() {
                return Err(StoreError::Invalid("线索名称不能为空".into()));
            }
            q.push(", name = ").arg(v.trim());
        }
        if let Some(v) = &c.investor {
            q.push(", investor = ").arg(v.trim());
        }
        if let Some(v) = c.leader_id {
            Self::check_person(&mut tx, v, false).await?;
            q.push(", leader_id = ").arg(v);
        }
        if let Some(v) = c.signed_amount {
            q.push(", signed_amount = ").arg(v.yuan());
        }
        if let Some(v) = c.foreign_usd_cents {
            q.push(", foreign_usd_cents = ").arg(v);
        }
        if let Some(v) = &c.source_region {
            q.push(", source_region = ").arg(v.trim());
        }
        if let Some(v) = &c.note {
            q.push(", note = ").arg(v.trim());
        }
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
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            exists.ok_or_else(|| StoreError::Invalid(format!("项目 {p} 不存在")))?;
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
        check_lead_move(before.stage, mv.to, project_id.is_some() || mv.new_project.is_some(), &mv.reason).map_err(rule)?;
        if mv.to == LeadStage::Landed && project_id.is_none() {
            let np = mv
                .new_project
                .as_ref()
                .ok_or_else(|| StoreError::Invalid("落地须关联一个项目（选择已有项目或由线索新建项目）".into()))?;
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
        let ptype = ptype.ok_or_else(|| StoreError::Invalid(format!("项目类型“{}”不存在", np.project_type)))?;
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

// ================================================================== batches

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
        sqlx::query(
            "SELECT p.id, p.name, u.name AS unit_name, p.stage, p.light, p.total_investment, COALESCE(ap.planned_investment, 0) AS annual \
             FROM batch_projects bp JOIN projects p ON p.id = bp.project_id JOIN units u ON u.id = p.unit_id \
             LEFT JOIN annual_plans ap ON ap.project_id = p.id AND ap.year = $2 WHERE bp.batch_id = $1 ORDER BY p.total_investment DESC, p.id",
        )
        .bind(id)
        .bind(year as i64)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(BatchMember {
                project_id: i64_(r, "id")?,
                name: text(r, "name")?,
                unit_name: text(r, "unit_name")?,
                stage: text(r, "stage")?,
                light: opt_text(r, "light")?,
                total_investment: Money::from_yuan(i64_(r, "total_investment")?),
                annual_investment: Money::from_yuan(i64_(r, "annual")?),
            })
        })
        .collect()
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
        let r = sqlx::query("SELECT * FROM batches WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
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
        if n.name.trim().is_empty() {
            return Err(StoreError::Invalid("批次名称不能为空".into()));
        }
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

    /// Adds a project to a batch, once its gate nodes are closed (the error names the open ones).
    pub async fn add_to_batch(&self, id: i64, project_id: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let b = batch_head(
            &sqlx::query("SELECT * FROM batches WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?,
        )?;
        let pname: Option<String> = sqlx::query_scalar("SELECT name FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?;
        let pname = pname.ok_or_else(|| StoreError::Invalid(format!("项目 {project_id} 不存在")))?;
        let already: Option<i64> = sqlx::query_scalar("SELECT project_id FROM batch_projects WHERE batch_id = $1 AND project_id = $2")
            .bind(id)
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?;
        if already.is_some() {
            return Err(StoreError::Duplicate(format!("项目“{pname}”已在本批次中")));
        }
        let nodes: Vec<(String, bool)> = sqlx::query("SELECT name, status FROM nodes WHERE project_id = $1")
            .bind(project_id)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((text(r, "name")?, text(r, "status")? == "closed")))
            .collect::<Result<_, StoreError>>()?;
        check_batch_gate(&pname, &b.gate_nodes, &nodes).map_err(rule)?;
        sqlx::query("INSERT INTO batch_projects (batch_id, project_id) VALUES ($1, $2)")
            .bind(id)
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "batch.add_project",
            "batch",
            Some(id),
            None,
            Some(&json!({ "project_id": project_id, "project": pname })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn remove_from_batch(&self, id: i64, project_id: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let n = sqlx::query("DELETE FROM batch_projects WHERE batch_id = $1 AND project_id = $2")
            .bind(id)
            .bind(project_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
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

// ================================================================== campaigns

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
    pub report: CampaignReport,
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
        sqlx::query(
            "SELECT n.id, n.name, n.project_id, p.name AS project_name, n.responsible_unit_id, u.name AS unit_name, n.planned_on, n.status, n.actual_on \
             FROM campaign_nodes cn JOIN nodes n ON n.id = cn.node_id JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = n.responsible_unit_id \
             WHERE cn.campaign_id = $1 ORDER BY n.planned_on, n.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
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
        })
        .collect()
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
        let r = sqlx::query("SELECT * FROM campaigns WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut c = campaign_head(&r)?;
        let targets = self.campaign_targets(id).await?;
        let closed: Vec<Option<NaiveDate>> = targets.iter().map(|t| Self::closed_on(t, as_of)).collect();
        c.completion = campaign_completion(c.ends_on, as_of, &closed);
        let units: Vec<Named> = sqlx::query("SELECT u.id, u.name FROM campaign_units cu JOIN units u ON u.id = cu.unit_id WHERE cu.campaign_id = $1 ORDER BY u.sort_order, u.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(Named {
                    id: i64_(r, "id")?,
                    name: text(r, "name")?,
                })
            })
            .collect::<Result<_, StoreError>>()?;
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
        let report = campaign_report(&c.name, c.starts_on, c.ends_on, &board);
        Ok(CampaignDetail {
            campaign: c,
            units,
            targets,
            leaderboard: board,
            report,
        })
    }

    pub async fn create_campaign(&self, n: &NewCampaign, ctx: &AuditCtx) -> Result<i64, StoreError> {
        if n.name.trim().is_empty() {
            return Err(StoreError::Invalid("攻坚行动名称不能为空".into()));
        }
        if n.ends_on < n.starts_on {
            return Err(StoreError::Invalid("结束日期不能早于开始日期".into()));
        }
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
            sqlx::query("INSERT INTO campaign_units (campaign_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*u)
                .execute(&mut *tx)
                .await?;
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
            let unit: Option<i64> = sqlx::query_scalar("SELECT responsible_unit_id FROM nodes WHERE id = $1")
                .bind(*n)
                .fetch_optional(&mut **tx)
                .await?;
            let unit = unit.ok_or_else(|| StoreError::Invalid(format!("节点 {n} 不存在")))?;
            let has: Option<i64> = sqlx::query_scalar("SELECT node_id FROM campaign_nodes WHERE campaign_id = $1 AND node_id = $2")
                .bind(id)
                .bind(*n)
                .fetch_optional(&mut **tx)
                .await?;
            if has.is_some() {
                continue;
            }
            sqlx::query("INSERT INTO campaign_nodes (campaign_id, node_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*n)
                .execute(&mut **tx)
                .await?;
            let joined: Option<i64> = sqlx::query_scalar("SELECT unit_id FROM campaign_units WHERE campaign_id = $1 AND unit_id = $2")
                .bind(id)
                .bind(unit)
                .fetch_optional(&mut **tx)
                .await?;
            if joined.is_none() {
                sqlx::query("INSERT INTO campaign_units (campaign_id, unit_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(unit)
                    .execute(&mut **tx)
                    .await?;
            }
            added.push(*n);
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
            return Err(StoreError::Invalid("攻坚行动已总结关闭，不能再加节点".into()));
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

    /// Closes a campaign with its closing report (the generated summary when `note` is empty).
    pub async fn close_campaign(&self, id: i64, version: i64, note: &str, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let detail = self.campaign(id).await?;
        if detail.campaign.status == "closed" {
            return Err(StoreError::Invalid("该攻坚行动已总结关闭".into()));
        }
        let note = if note.trim().is_empty() {
            detail.report.summary.clone()
        } else {
            note.trim().to_string()
        };
        let mut tx = self.begin_versioned("campaigns", "campaign", id, version).await?;
        sqlx::query("UPDATE campaigns SET status = 'closed', closing_note = $1, version = version + 1 WHERE id = $2")
            .bind(&note)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "campaign.close",
            "campaign",
            Some(id),
            Some(&json!({ "status": "open" })),
            Some(&json!({ "status": "closed", "closing_note": note, "report": detail.report })),
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}

// ================================================================== supervision

/// 督查轮次.
#[derive(Debug, Clone, Serialize)]
pub struct RoundSummary {
    pub id: i64,
    pub name: String,
    pub leader_id: i64,
    pub leader_name: String,
    pub held_on: NaiveDate,
    pub summary: String,
    /// `open` (findings being recorded) or `closed` (report written).
    pub status: String,
    pub report: String,
    pub version: i64,
    pub targets: i64,
    pub findings: i64,
    pub follow_ups: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundTarget {
    pub project_id: i64,
    pub project_name: String,
    pub unit_name: String,
    pub light: Option<String>,
    pub finding: String,
    pub found_by: String,
    /// The follow-up problem (督办问题) raised from the finding.
    pub problem_id: Option<i64>,
    pub problem_status: Option<String>,
    pub problem_deadline: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoundDetail {
    #[serde(flatten)]
    pub round: RoundSummary,
    pub targets: Vec<RoundTarget>,
}

/// The round's report (督查通报) data.
#[derive(Debug, Clone, Serialize)]
pub struct RoundReport {
    #[serde(flatten)]
    pub detail: RoundDetail,
    pub follow_ups_resolved: i64,
    /// The report's paragraphs, in Chinese.
    pub paragraphs: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct NewRound {
    pub name: String,
    pub leader_id: i64,
    pub held_on: NaiveDate,
    pub summary: String,
    pub project_ids: Vec<i64>,
}

/// A problem to raise from a finding, assigned to a unit with a deadline.
#[derive(Debug, Clone)]
pub struct FollowUp {
    pub deadline: NaiveDate,
    /// The project's unit when absent.
    pub unit_id: Option<i64>,
}

const ROUND_SELECT: &str = "SELECT r.id, r.name, r.leader_id, pe.name AS leader_name, r.held_on, r.summary, r.status, r.report, r.version, \
     (SELECT COUNT(*) FROM supervision_targets t WHERE t.round_id = r.id) AS targets, \
     (SELECT COUNT(*) FROM supervision_targets t WHERE t.round_id = r.id AND t.finding <> '') AS findings, \
     (SELECT COUNT(*) FROM supervision_targets t WHERE t.round_id = r.id AND t.problem_id IS NOT NULL) AS follow_ups \
     FROM supervision_rounds r JOIN people pe ON pe.id = r.leader_id";

fn round_head(r: &AnyRow) -> Result<RoundSummary, StoreError> {
    Ok(RoundSummary {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        leader_id: i64_(r, "leader_id")?,
        leader_name: text(r, "leader_name")?,
        held_on: date(r, "held_on")?,
        summary: text(r, "summary")?,
        status: text(r, "status")?,
        report: text(r, "report")?,
        version: i64_(r, "version")?,
        targets: i64_(r, "targets")?,
        findings: i64_(r, "findings")?,
        follow_ups: i64_(r, "follow_ups")?,
    })
}

impl Store {
    pub async fn list_rounds(&self) -> Result<Vec<RoundSummary>, StoreError> {
        sqlx::query(&format!("{ROUND_SELECT} ORDER BY r.held_on DESC, r.id DESC"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(round_head)
            .collect()
    }

    pub async fn round(&self, id: i64) -> Result<RoundDetail, StoreError> {
        let r = sqlx::query(&format!("{ROUND_SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let targets = sqlx::query(
            "SELECT t.project_id, p.name AS project_name, u.name AS unit_name, p.light, t.finding, t.found_by, t.problem_id, pr.status AS problem_status, \
             pr.deadline AS problem_deadline FROM supervision_targets t JOIN projects p ON p.id = t.project_id JOIN units u ON u.id = p.unit_id \
             LEFT JOIN problems pr ON pr.id = t.problem_id WHERE t.round_id = $1 ORDER BY p.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(RoundTarget {
                project_id: i64_(r, "project_id")?,
                project_name: text(r, "project_name")?,
                unit_name: text(r, "unit_name")?,
                light: opt_text(r, "light")?,
                finding: text(r, "finding")?,
                found_by: text(r, "found_by")?,
                problem_id: opt_i64(r, "problem_id")?,
                problem_status: opt_text(r, "problem_status")?,
                problem_deadline: opt_date(r, "problem_deadline")?,
            })
        })
        .collect::<Result<_, StoreError>>()?;
        Ok(RoundDetail {
            round: round_head(&r)?,
            targets,
        })
    }

    /// The red projects a round should visit (from the current lights), best first; a
    /// round's own targets are left out when `round` is given.
    pub async fn suggested_targets(&self, round: Option<i64>, limit: usize) -> Result<Vec<RedCandidate>, StoreError> {
        let as_of = self.as_of().await?;
        let (start, end) = (format!("{}-01-01", as_of.year()), format!("{}-12-31", as_of.year()));
        let visited: std::collections::HashSet<i64> = sqlx::query_scalar(
            "SELECT DISTINCT t.project_id FROM supervision_targets t JOIN supervision_rounds r ON r.id = t.round_id WHERE r.held_on >= $1 AND r.held_on <= $2",
        )
        .bind(&start)
        .bind(&end)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .collect();
        let own: std::collections::HashSet<i64> = sqlx::query_scalar("SELECT project_id FROM supervision_targets WHERE round_id = $1")
            .bind(round.unwrap_or(-1))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .collect();
        let oldest: std::collections::HashMap<i64, NaiveDate> = sqlx::query(
            "SELECT n.project_id, MIN(n.planned_on) AS oldest FROM nodes n JOIN projects p ON p.id = n.project_id \
             WHERE p.light = 'red' AND n.status <> 'closed' AND n.planned_on < $1 GROUP BY n.project_id",
        )
        .bind(as_of.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| Ok((i64_(r, "project_id")?, date(r, "oldest")?)))
        .collect::<Result<_, StoreError>>()?;
        let mut out = Vec::new();
        for r in sqlx::query(
            "SELECT p.id, p.name, u.name AS unit_name, p.light_reason, p.light_reasons FROM projects p JOIN units u ON u.id = p.unit_id \
             WHERE p.light = 'red' ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let id = i64_(&r, "id")?;
            if own.contains(&id) {
                continue;
            }
            let reasons: Vec<String> = match opt_text(&r, "light_reasons")? {
                Some(j) => serde_json::from_str(&j).unwrap_or_default(),
                None => opt_text(&r, "light_reason")?.into_iter().collect(),
            };
            out.push(RedCandidate {
                project_id: id,
                project_name: text(&r, "name")?,
                unit_name: text(&r, "unit_name")?,
                reasons,
                days_overdue: oldest.get(&id).map(|d| (as_of - *d).num_days()).unwrap_or(0),
                visited_this_year: visited.contains(&id),
            });
        }
        Ok(suggest_targets(out, limit))
    }

    async fn add_targets_in(tx: &mut Tx, id: i64, project_ids: &[i64]) -> Result<Vec<i64>, StoreError> {
        let mut added = Vec::new();
        for p in project_ids {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
                .bind(*p)
                .fetch_optional(&mut **tx)
                .await?;
            exists.ok_or_else(|| StoreError::Invalid(format!("项目 {p} 不存在")))?;
            let has: Option<i64> = sqlx::query_scalar("SELECT project_id FROM supervision_targets WHERE round_id = $1 AND project_id = $2")
                .bind(id)
                .bind(*p)
                .fetch_optional(&mut **tx)
                .await?;
            if has.is_none() {
                sqlx::query("INSERT INTO supervision_targets (round_id, project_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(*p)
                    .execute(&mut **tx)
                    .await?;
                added.push(*p);
            }
        }
        Ok(added)
    }

    pub async fn create_round(&self, n: &NewRound, ctx: &AuditCtx) -> Result<i64, StoreError> {
        if n.name.trim().is_empty() {
            return Err(StoreError::Invalid("督查名称不能为空".into()));
        }
        let mut tx = self.begin_locked().await?;
        Self::check_person(&mut tx, Some(n.leader_id), true).await?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO supervision_rounds (name, leader_id, held_on, summary) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(n.name.trim())
                .bind(n.leader_id)
                .bind(n.held_on.to_string())
                .bind(n.summary.trim())
                .fetch_one(&mut *tx)
                .await?;
        let added = Self::add_targets_in(&mut tx, id, &n.project_ids).await?;
        append(
            &mut tx,
            ctx,
            "supervision.create",
            "supervision_round",
            Some(id),
            None,
            Some(&json!({ "name": n.name.trim(), "leader_id": n.leader_id, "held_on": n.held_on, "project_ids": added })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn open_round_in(tx: &mut Tx, id: i64) -> Result<(String, NaiveDate), StoreError> {
        let r = sqlx::query("SELECT name, status, held_on FROM supervision_rounds WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if text(&r, "status")? != "open" {
            return Err(StoreError::Invalid("本轮督查已出具报告，不能再修改".into()));
        }
        Ok((text(&r, "name")?, date(&r, "held_on")?))
    }

    pub async fn add_round_targets(&self, id: i64, project_ids: &[i64], ctx: &AuditCtx) -> Result<usize, StoreError> {
        let mut tx = self.begin_locked().await?;
        Self::open_round_in(&mut tx, id).await?;
        let added = Self::add_targets_in(&mut tx, id, project_ids).await?;
        append(
            &mut tx,
            ctx,
            "supervision.add_targets",
            "supervision_round",
            Some(id),
            None,
            Some(&json!({ "project_ids": added })),
        )
        .await?;
        tx.commit().await?;
        Ok(added.len())
    }

    /// Records an on-site finding on a target project; with a follow-up, raises a problem
    /// (督办) for the responsible unit, linked to the round through the target.
    pub async fn record_finding(
        &self,
        id: i64,
        project_id: i64,
        finding: &str,
        follow_up: Option<&FollowUp>,
        ctx: &AuditCtx,
    ) -> Result<RoundTarget, StoreError> {
        let finding = finding.trim();
        if finding.is_empty() {
            return Err(StoreError::Invalid("督查发现不能为空".into()));
        }
        let as_of = self.as_of().await?;
        let mut tx = self.begin_locked().await?;
        let (round_name, _) = Self::open_round_in(&mut tx, id).await?;
        let t = sqlx::query("SELECT t.problem_id, t.finding, p.unit_id FROM supervision_targets t JOIN projects p ON p.id = t.project_id WHERE t.round_id = $1 AND t.project_id = $2")
            .bind(id)
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("项目 {project_id} 不是本轮督查对象，请先加入督查对象")))?;
        let mut problem_id = opt_i64(&t, "problem_id")?;
        if let Some(f) = follow_up {
            if problem_id.is_some() {
                return Err(StoreError::Duplicate("该项目本轮已交办督办问题".into()));
            }
            if f.deadline < as_of {
                return Err(StoreError::Invalid(format!("办结时限不能早于今天（{as_of}）")));
            }
            let unit = f.unit_id.unwrap_or(i64_(&t, "unit_id")?);
            Self::unit_name_in(&mut tx, unit).await?;
            let pid: i64 = sqlx::query_scalar(
                "INSERT INTO problems (project_id, category, description, unit_id, raised_on, deadline, status) VALUES ($1, '督查', $2, $3, $4, $5, 'assigned') RETURNING id",
            )
            .bind(project_id)
            .bind(format!("【{round_name}】{finding}"))
            .bind(unit)
            .bind(as_of.to_string())
            .bind(f.deadline.to_string())
            .fetch_one(&mut *tx)
            .await?;
            problem_id = Some(pid);
        }
        sqlx::query("UPDATE supervision_targets SET finding = $1, found_by = $2, problem_id = $3 WHERE round_id = $4 AND project_id = $5")
            .bind(finding)
            .bind(&ctx.actor)
            .bind(problem_id)
            .bind(id)
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "supervision.finding",
            "supervision_round",
            Some(id),
            Some(&json!({ "project_id": project_id, "finding": text(&t, "finding")? })),
            Some(&json!({ "project_id": project_id, "finding": finding, "problem_id": problem_id })),
        )
        .await?;
        tx.commit().await?;
        self.round(id)
            .await?
            .targets
            .into_iter()
            .find(|t| t.project_id == project_id)
            .ok_or(StoreError::NotFound)
    }

    /// The report data of a round (督查通报).
    pub async fn round_report(&self, id: i64) -> Result<RoundReport, StoreError> {
        let detail = self.round(id).await?;
        let r = &detail.round;
        let resolved = detail
            .targets
            .iter()
            .filter(|t| matches!(t.problem_status.as_deref(), Some("resolved" | "closed")))
            .count() as i64;
        let mut paragraphs = vec![format!(
            "{}于{}带队开展“{}”，实地督查项目{}个，现场发现问题{}个，交办督办问题{}个，已办结{}个。",
            r.leader_name, r.held_on, r.name, r.targets, r.findings, r.follow_ups, resolved
        )];
        for (i, t) in detail.targets.iter().enumerate() {
            let follow = match (t.problem_id, &t.problem_status, t.problem_deadline) {
                (Some(p), s, d) => format!(
                    "（督办问题#{p}，{}，时限{}）",
                    s.as_deref().unwrap_or(""),
                    d.map(|d| d.to_string()).unwrap_or_default()
                ),
                _ => String::new(),
            };
            let finding = if t.finding.is_empty() {
                "现场未发现问题"
            } else {
                t.finding.as_str()
            };
            paragraphs.push(format!("{}. {}（{}）：{finding}{follow}", i + 1, t.project_name, t.unit_name));
        }
        Ok(RoundReport {
            detail,
            follow_ups_resolved: resolved,
            paragraphs,
        })
    }

    /// Closes a round with its report (the generated one when `report` is empty).
    pub async fn close_round(&self, id: i64, version: i64, report: &str, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let generated = self.round_report(id).await?;
        if generated.detail.round.status != "open" {
            return Err(StoreError::Invalid("本轮督查已出具报告".into()));
        }
        let text_ = if report.trim().is_empty() {
            generated.paragraphs.join("\n")
        } else {
            report.trim().to_string()
        };
        let mut tx = self.begin_versioned("supervision_rounds", "supervision_round", id, version).await?;
        sqlx::query("UPDATE supervision_rounds SET status = 'closed', report = $1, version = version + 1 WHERE id = $2")
            .bind(&text_)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "supervision.close",
            "supervision_round",
            Some(id),
            Some(&json!({ "status": "open" })),
            Some(&json!({ "status": "closed", "report": text_ })),
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}

// ================================================================== land

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
        let needs: Vec<LandNeed> = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
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
            .collect::<Result<_, StoreError>>()?;
        Ok(land_warnings(&needs, as_of, within_days))
    }

    /// Records a grant of quota from the province (上级下达).
    pub async fn grant_land(&self, n: &NewLandEntry, ctx: &AuditCtx) -> Result<i64, StoreError> {
        if n.area.centi_mu() <= 0 {
            return Err(StoreError::Invalid("下达面积须大于0亩".into()));
        }
        self.land_entry(LandEntryKind::Grant, n, None, ctx).await
    }

    /// Allocates quota to a project; refused beyond the balance.
    pub async fn allocate_land(&self, n: &NewLandEntry, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let project = n.project_id.ok_or_else(|| StoreError::Invalid("分配指标须选择项目".into()))?;
        self.land_entry(LandEntryKind::Allocation, n, Some(project), ctx).await
    }

    async fn land_entry(&self, kind: LandEntryKind, n: &NewLandEntry, project: Option<i64>, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let mut tx = self.begin_locked().await?;
        if let Some(p) = project {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
                .bind(p)
                .fetch_optional(&mut *tx)
                .await?;
            exists.ok_or_else(|| StoreError::Invalid(format!("项目 {p} 不存在")))?;
        }
        let entries = land_entries(&sqlx::query(LAND_SELECT).fetch_all(&mut *tx).await?)?;
        let before = land_balance(&balance_of(&entries));
        if kind == LandEntryKind::Allocation {
            check_allocation(before.balance, n.area).map_err(rule)?;
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

impl Store {
    /// How many projects carry a category in a year (e.g. `ppp`: PPP项目入国家库).
    pub async fn category_project_count(&self, code: &str, year: i32) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT pc.project_id) FROM project_categories pc JOIN categories c ON c.id = pc.category_id WHERE c.code = $1 AND pc.year = $2",
        )
        .bind(code)
        .bind(year as i64)
        .fetch_one(&self.pool)
        .await?)
    }
}

/// One year of the programmes at a glance: what the hub page and the reports show.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammesSummary {
    pub year: i32,
    /// The year's groundbreaking batches added up (`None` without batches).
    pub batches: Option<BatchYear>,
    /// The campaigns that started in the year.
    pub campaigns: Vec<CampaignSummary>,
    pub rounds: i64,
    pub round_targets: i64,
    pub findings: i64,
    pub follow_ups: i64,
    /// The ledger's balance (all years) and the year's movements.
    pub land: LandBalance,
    pub land_year: Option<LandYear>,
    pub land_warnings: usize,
    /// The funnel of all leads.
    pub leads: FunnelRow,
    /// PPP projects in the national library (category `ppp`) in the year.
    pub ppp_projects: i64,
}

impl Store {
    pub async fn programmes_summary(&self, year: i32) -> Result<ProgrammesSummary, StoreError> {
        let batches = self.list_batches(Some(year)).await?.years.into_iter().find(|y| y.year == year);
        let campaigns: Vec<CampaignSummary> = self
            .list_campaigns()
            .await?
            .into_iter()
            .filter(|c| c.starts_on.year() == year)
            .collect();
        let rounds: Vec<RoundSummary> = self.list_rounds().await?.into_iter().filter(|r| r.held_on.year() == year).collect();
        let land = self.land_ledger().await?;
        Ok(ProgrammesSummary {
            year,
            batches,
            campaigns,
            rounds: rounds.len() as i64,
            round_targets: rounds.iter().map(|r| r.targets).sum(),
            findings: rounds.iter().map(|r| r.findings).sum(),
            follow_ups: rounds.iter().map(|r| r.follow_ups).sum(),
            land: land.balance,
            land_year: land.years.into_iter().find(|y| y.year == year),
            land_warnings: land.warnings.len(),
            leads: self.lead_funnel(None).await?.total,
            ppp_projects: self.category_project_count("ppp", year).await?,
        })
    }
}
