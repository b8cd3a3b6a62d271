//! Attraction clocks (`lead_milestones`, `lead_progress_reports`, `lead_clock_settings`): a
//! lead's response, 研判 and feedback dates and its progress reports, written with their audit
//! entries (a milestone is a change of the lead, so it takes and bumps the lead's version); the
//! reads that give every lead its clocks and light, and the funnel to 投产 (the rules and
//! figures are `zhantu_domain::lead_clocks`).

use crate::Store;
use crate::audit::AuditCtx;
use crate::error::StoreError;
use crate::row::{SqlBuf, date, i64_, opt_date, opt_i64, opt_text, read_all, text};
use crate::writes::{commit_audited, corrupt, now};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use zhantu_domain::Money;
use zhantu_domain::lead_clocks::{
    Assessment, ChainRow, FunnelFact, LeadClockFacts, LeadClockLimits, LeadClocks, Milestone, check_clock_date, check_milestone,
    lead_clocks,
};
use zhantu_domain::model::LeadStage;
use zhantu_domain::results::{Promise, YearResult, funnel_full_output};
use zhantu_domain::stage::Stage;

/// A lead with its milestones and its clocks read on the data date.
#[derive(Debug, Clone, Serialize)]
pub struct LeadClockItem {
    pub lead_id: i64,
    pub name: String,
    pub team_unit_id: i64,
    pub team_name: String,
    pub stage: LeadStage,
    pub amount: Money,
    pub first_contact_on: NaiveDate,
    /// 收到线索: recorded apart, else the first contact.
    pub received_on: NaiveDate,
    pub responded_on: Option<NaiveDate>,
    pub assessed_on: Option<NaiveDate>,
    pub assessment: Option<Assessment>,
    pub assessment_note: String,
    pub feedback_on: Option<NaiveDate>,
    pub feedback_note: String,
    pub last_progress_on: Option<NaiveDate>,
    pub signed_on: Option<NaiveDate>,
    pub project_id: Option<i64>,
    pub project_stage: Option<Stage>,
    /// The lead's version (a milestone write sends it back).
    pub version: i64,
    #[serde(flatten)]
    pub clocks: LeadClocks,
}

/// One progress report of a lead.
#[derive(Debug, Clone, Serialize)]
pub struct LeadProgressReport {
    pub id: i64,
    pub lead_id: i64,
    pub reported_on: NaiveDate,
    pub body: String,
    pub author: String,
    pub created_at: String,
}

/// The leads with their milestones, up to the last progress report on or before a date (bound
/// between `SELECT_HEAD` and `SELECT_TAIL`).
const SELECT_HEAD: &str = "SELECT l.id, l.name, l.team_unit_id, u.name AS team_name, l.stage, l.signed_amount, l.first_contact_on, l.signed_on, \
     l.project_id, p.stage AS project_stage, l.version, m.received_on, m.responded_on, m.assessed_on, m.assessment, m.assessment_note, \
     m.feedback_on, m.feedback_note, (SELECT MAX(r.reported_on) FROM lead_progress_reports r WHERE r.lead_id = l.id AND r.reported_on <= ";
const SELECT_TAIL: &str = ") AS last_progress_on FROM attraction_leads l JOIN units u ON u.id = l.team_unit_id \
     LEFT JOIN lead_milestones m ON m.lead_id = l.id LEFT JOIN projects p ON p.id = l.project_id";

/// The row before its clocks are read.
fn item(r: &AnyRow) -> Result<LeadClockItem, StoreError> {
    let stage = text(r, "stage")?;
    let first_contact_on = date(r, "first_contact_on")?;
    let project_stage = match opt_text(r, "project_stage")? {
        Some(s) => Some(Stage::from_code(&s).ok_or_else(|| corrupt("projects.stage", &s))?),
        None => None,
    };
    let assessment = match opt_text(r, "assessment")? {
        Some(s) => Some(Assessment::from_code(&s).ok_or_else(|| corrupt("lead_milestones.assessment", &s))?),
        None => None,
    };
    Ok(LeadClockItem {
        lead_id: i64_(r, "id")?,
        name: text(r, "name")?,
        team_unit_id: i64_(r, "team_unit_id")?,
        team_name: text(r, "team_name")?,
        stage: LeadStage::from_code(&stage).ok_or_else(|| corrupt("attraction_leads.stage", &stage))?,
        amount: Money::from_yuan(i64_(r, "signed_amount")?),
        first_contact_on,
        received_on: opt_date(r, "received_on")?.unwrap_or(first_contact_on),
        responded_on: opt_date(r, "responded_on")?,
        assessed_on: opt_date(r, "assessed_on")?,
        assessment,
        assessment_note: opt_text(r, "assessment_note")?.unwrap_or_default(),
        feedback_on: opt_date(r, "feedback_on")?,
        feedback_note: opt_text(r, "feedback_note")?.unwrap_or_default(),
        last_progress_on: opt_date(r, "last_progress_on")?,
        signed_on: opt_date(r, "signed_on")?,
        project_id: opt_i64(r, "project_id")?,
        project_stage,
        version: i64_(r, "version")?,
        clocks: LeadClocks {
            major: false,
            clocks: Vec::new(),
            light: zhantu_domain::lights::Light::Green,
            reasons_zh: Vec::new(),
            reasons_en: Vec::new(),
        },
    })
}

impl LeadClockItem {
    fn facts(&self) -> LeadClockFacts {
        LeadClockFacts {
            stage: self.stage,
            amount: self.amount,
            received_on: self.received_on,
            responded_on: self.responded_on,
            assessed_on: self.assessed_on,
            feedback_on: self.feedback_on,
            last_progress_on: self.last_progress_on,
        }
    }

    /// The lead as the funnel counts it, with whether its project reached 达产.
    pub fn funnel_fact(&self, full_output: Option<bool>) -> FunnelFact {
        FunnelFact {
            lead_id: self.lead_id,
            team_id: self.team_unit_id,
            team: self.team_name.clone(),
            received_on: self.received_on,
            stage: self.stage,
            signed_on: self.signed_on,
            project_stage: self.project_stage,
            full_output,
        }
    }
}

/// The funnel of a year (or all years) with the leads it counts.
#[derive(Debug, Clone, Serialize)]
pub struct LeadChainFunnel {
    pub year: Option<i32>,
    pub total: ChainRow,
    pub by_team: Vec<ChainRow>,
    #[serde(skip)]
    pub facts: Vec<FunnelFact>,
}

impl Store {
    /// The clocks' limits (`lead_clock_settings`; defaults for a key not stored).
    pub async fn lead_clock_limits(&self) -> Result<LeadClockLimits, StoreError> {
        let rows = sqlx::query("SELECT key, value FROM lead_clock_settings")
            .fetch_all(&self.pool)
            .await?;
        let pairs = rows
            .iter()
            .map(|r| Ok((text(r, "key")?, i64_(r, "value")?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(LeadClockLimits::from_settings(pairs.iter().map(|(k, v)| (k.as_str(), *v))))
    }

    /// Sets the clocks' limits (checked by the caller, `LeadClockLimits::checked`), in one
    /// transaction with its audit entry (`lead_clocks.settings`, before and after). Every
    /// clock is computed on read, so the next read follows the new limits.
    pub async fn set_lead_clock_limits(&self, limits: &LeadClockLimits, ctx: &AuditCtx) -> Result<LeadClockLimits, StoreError> {
        let before = self.lead_clock_limits().await?;
        let mut tx = self.begin_locked().await?;
        for (key, value) in limits.entries() {
            sqlx::query(
                "INSERT INTO lead_clock_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        }
        commit_audited(
            tx,
            ctx,
            ("lead_clocks.settings", "settings", Some(0)),
            Some(&serde_json::to_value(before).map_err(|e| corrupt("lead_clock_settings", &e.to_string()))?),
            Some(&serde_json::to_value(limits).map_err(|e| corrupt("lead_clock_settings", &e.to_string()))?),
        )
        .await?;
        self.lead_clock_limits().await
    }

    /// Every lead of `scope` (team unit ids; all when none) — or the one lead `only` — with its
    /// clocks and light on the data date, the leads received last first.
    pub async fn lead_clock_items(&self, scope: Option<&[i64]>, only: Option<i64>) -> Result<Vec<LeadClockItem>, StoreError> {
        let as_of = self.as_of().await?;
        self.lead_clock_items_at(scope, only, as_of).await
    }

    /// The clocks as they stood on `at` (a past week's brief): the leads received by then, the
    /// milestones and progress reports dated by then.
    pub async fn lead_clock_items_at(
        &self,
        scope: Option<&[i64]>,
        only: Option<i64>,
        at: NaiveDate,
    ) -> Result<Vec<LeadClockItem>, StoreError> {
        let mut q = SqlBuf::new(SELECT_HEAD);
        q.arg(at.to_string()).push(SELECT_TAIL);
        q.push(" WHERE 1 = 1");
        q.push_some(" AND l.id = ", only);
        if let Some(scope) = scope {
            q.push(" AND l.team_unit_id IN ").in_list(scope.iter().copied());
        }
        q.push(" ORDER BY l.first_contact_on DESC, l.id DESC");
        let mut items = read_all(q.query(), &self.pool, item).await?;
        items.retain(|it| it.received_on <= at);
        let (limits, cal) = (self.lead_clock_limits().await?, self.calendar().await?);
        for it in &mut items {
            it.clocks = lead_clocks(&it.facts(), &limits, &cal, at);
        }
        items.sort_by(|a, b| b.received_on.cmp(&a.received_on).then(b.lead_id.cmp(&a.lead_id)));
        Ok(items)
    }

    /// One lead's clocks.
    pub async fn lead_clock_item(&self, lead_id: i64) -> Result<LeadClockItem, StoreError> {
        self.lead_clock_items(None, Some(lead_id)).await?.pop().ok_or(StoreError::NotFound)
    }

    /// 达产 of the leads' projects, as of the data date's year, from the results after operation
    /// (`zhantu_domain::results::funnel_full_output`): reached when the project operates and a
    /// reported year up to then met its promise; not when it does not operate (or never met
    /// it); not known (`None`) for an operating project without a recorded promise.
    pub async fn lead_projects_full_output(&self, project_ids: &[i64]) -> Result<BTreeMap<i64, Option<bool>>, StoreError> {
        let mut out = BTreeMap::new();
        if project_ids.is_empty() {
            return Ok(out);
        }
        let by_year = self.as_of().await?.year();
        let ids = || project_ids.iter().copied();
        let mut q = SqlBuf::new(
            "SELECT p.id, p.stage, r.output, r.tax, r.jobs, r.energy_tce, r.full_production_year \
             FROM projects p LEFT JOIN results_promises r ON r.project_id = p.id WHERE p.id IN ",
        );
        q.in_list(ids());
        let mut facts: BTreeMap<i64, (bool, Option<Promise>)> = BTreeMap::new();
        for r in q.query().fetch_all(&self.pool).await? {
            let promise = match opt_i64(&r, "output")? {
                Some(output) => Some(Promise {
                    output: Money::from_yuan(output),
                    tax: Money::from_yuan(i64_(&r, "tax")?),
                    jobs: i64_(&r, "jobs")?,
                    energy_tce: i64_(&r, "energy_tce")?,
                    full_production_year: i64_(&r, "full_production_year")? as i32,
                    investment_per_mu: None,
                }),
                None => None,
            };
            facts.insert(i64_(&r, "id")?, (text(&r, "stage")? == Stage::Operating.code(), promise));
        }
        let mut years: BTreeMap<i64, Vec<YearResult>> = BTreeMap::new();
        let mut q = SqlBuf::new("SELECT project_id, year, output, tax, jobs, energy_tce FROM results_years WHERE project_id IN ");
        q.in_list(ids());
        for r in q.query().fetch_all(&self.pool).await? {
            years.entry(i64_(&r, "project_id")?).or_default().push(YearResult {
                year: i64_(&r, "year")? as i32,
                output: Money::from_yuan(i64_(&r, "output")?),
                tax: Money::from_yuan(i64_(&r, "tax")?),
                jobs: i64_(&r, "jobs")?,
                energy_tce: i64_(&r, "energy_tce")?,
            });
        }
        for id in ids() {
            let full = facts.get(&id).and_then(|(operating, promise)| {
                let reported = years.get(&id).map(Vec::as_slice).unwrap_or(&[]);
                funnel_full_output(*operating, promise.as_ref(), reported, by_year)
            });
            out.insert(id, full);
        }
        Ok(out)
    }

    /// The funnel 洽谈 → 签约 → 落地 → 开工 → 投产 (→ 达产) of the leads received in `year` (all
    /// when none), of `scope` (team unit ids; all when none), whole and by team.
    pub async fn lead_chain_funnel(&self, scope: Option<&[i64]>, year: Option<i32>) -> Result<LeadChainFunnel, StoreError> {
        let items = self.lead_clock_items(scope, None).await?;
        let projects: Vec<i64> = items.iter().filter_map(|i| i.project_id).collect();
        let full = self.lead_projects_full_output(&projects).await?;
        let facts: Vec<FunnelFact> = items
            .iter()
            .map(|i| i.funnel_fact(i.project_id.and_then(|p| full.get(&p).copied().flatten())))
            .collect();
        let (total, by_team) = zhantu_domain::lead_clocks::chain_funnel(&facts, year);
        Ok(LeadChainFunnel {
            year,
            total,
            by_team,
            facts,
        })
    }

    /// Records a milestone of lead `lead_id` at its `version` (the lead's version moves on), audited
    /// as `lead.milestone`.
    pub async fn record_lead_milestone(
        &self,
        lead_id: i64,
        version: i64,
        m: &Milestone,
        ctx: &AuditCtx,
    ) -> Result<LeadClockItem, StoreError> {
        let before = self.lead_clock_item(lead_id).await?;
        let as_of = self.as_of().await?;
        check_milestone(m, before.first_contact_on.min(before.received_on), before.assessed_on, as_of)?;
        let mut tx = self.begin_versioned("attraction_leads", "lead", lead_id, version).await?;
        sqlx::query("INSERT INTO lead_milestones (lead_id) VALUES ($1) ON CONFLICT (lead_id) DO NOTHING")
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        let q = match m {
            Milestone::Respond { on, received_on } => sqlx::query(
                "UPDATE lead_milestones SET responded_on = $1, received_on = COALESCE(CAST($2 AS TEXT), received_on) WHERE lead_id = $3",
            )
            .bind(on.to_string())
            .bind(received_on.map(|d| d.to_string())),
            Milestone::Assess { on, conclusion, note } => {
                sqlx::query("UPDATE lead_milestones SET assessed_on = $1, assessment = $2, assessment_note = $3 WHERE lead_id = $4")
                    .bind(on.to_string())
                    .bind(conclusion.code())
                    .bind(note.trim().to_string())
            }
            Milestone::Feedback { on, note } => {
                sqlx::query("UPDATE lead_milestones SET feedback_on = $1, feedback_note = $2 WHERE lead_id = $3")
                    .bind(on.to_string())
                    .bind(note.trim().to_string())
            }
        };
        q.bind(lead_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE attraction_leads SET version = version + 1 WHERE id = $1")
            .bind(lead_id)
            .execute(&mut *tx)
            .await?;
        let snapshot = |i: &LeadClockItem| {
            json!({ "received_on": i.received_on, "responded_on": i.responded_on, "assessed_on": i.assessed_on,
                    "assessment": i.assessment.map(|a| a.code()), "feedback_on": i.feedback_on, "version": i.version })
        };
        let mut after = snapshot(&before);
        let key = m.kind().code();
        after["milestone"] = json!(key);
        after["on"] = json!(m.on());
        after["version"] = json!(version + 1);
        if let Milestone::Assess { conclusion, .. } = m {
            after["assessment"] = json!(conclusion.code());
        }
        commit_audited(
            tx,
            ctx,
            ("lead.milestone", "lead", Some(lead_id)),
            Some(&snapshot(&before)),
            Some(&after),
        )
        .await?;
        self.lead_clock_item(lead_id).await
    }

    /// Adds a progress report to lead `lead_id`, audited as `lead.progress`.
    pub async fn add_lead_progress(
        &self,
        lead_id: i64,
        on: NaiveDate,
        body: &str,
        ctx: &AuditCtx,
    ) -> Result<LeadProgressReport, StoreError> {
        let lead = self.lead_clock_item(lead_id).await?;
        check_clock_date(on, lead.received_on.min(lead.first_contact_on), self.as_of().await?)?;
        let body = body.trim();
        if body.is_empty() {
            return Err(StoreError::rule("lead_progress_empty", "进展报告内容不能为空"));
        }
        let mut tx = self.begin_locked().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO lead_progress_reports (lead_id, reported_on, body, author, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(lead_id)
        .bind(on.to_string())
        .bind(body)
        .bind(&ctx.actor)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let r = report(
            &sqlx::query(&format!("{REPORT_SELECT} WHERE id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        commit_audited(
            tx,
            ctx,
            ("lead.progress", "lead", Some(lead_id)),
            None,
            Some(&json!({ "report_id": id, "reported_on": on, "body": body })),
        )
        .await?;
        Ok(r)
    }

    /// A lead's progress reports, the latest first.
    pub async fn lead_progress_reports(&self, lead_id: i64) -> Result<Vec<LeadProgressReport>, StoreError> {
        read_all(
            sqlx::query(&format!("{REPORT_SELECT} WHERE lead_id = $1 ORDER BY reported_on DESC, id DESC")).bind(lead_id),
            &self.pool,
            report,
        )
        .await
    }
}

const REPORT_SELECT: &str = "SELECT id, lead_id, reported_on, body, author, created_at FROM lead_progress_reports";

fn report(r: &AnyRow) -> Result<LeadProgressReport, StoreError> {
    Ok(LeadProgressReport {
        id: i64_(r, "id")?,
        lead_id: i64_(r, "lead_id")?,
        reported_on: date(r, "reported_on")?,
        body: text(r, "body")?,
        author: text(r, "author")?,
        created_at: text(r, "created_at")?,
    })
}
