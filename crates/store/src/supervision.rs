//! Supervision rounds (督查): the targets a round visits (suggested from the red lights), the
//! findings recorded on site with their follow-up problems (督办), and the round's report.
//! The suggestion rule is the domain's (`zhantu_domain::supervision`); every write here is
//! one transaction with its audit entry, versioned where people edit.

use crate::audit::{AuditCtx, append};
use crate::row::{date, found, i64_, opt_date, opt_i64, opt_text, read_all, rows_for, text};
use crate::writes::{Closing, Tx, link, must_read};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::lang::Lang;
use zhantu_domain::supervision::{
    RedCandidate, RoundFacts, RoundItem, check_finding, check_follow_up_deadline, check_round_name, round_summary, suggest_targets,
};

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

/// What the round's generated summary is written from (`supervision::round_summary`).
pub fn round_facts(detail: &RoundDetail, resolved: i64) -> RoundFacts {
    let r = &detail.round;
    RoundFacts {
        name: r.name.clone(),
        leader: r.leader_name.clone(),
        held_on: r.held_on,
        targets: r.targets,
        findings: r.findings,
        follow_ups: r.follow_ups,
        resolved,
        items: detail
            .targets
            .iter()
            .map(|t| RoundItem {
                project: t.project_name.clone(),
                unit: t.unit_name.clone(),
                finding: t.finding.clone(),
                follow_up: t.problem_id.map(|p| (p, t.problem_status.clone(), t.problem_deadline)),
            })
            .collect(),
    }
}

/// The round's report (督查通报) data.
#[derive(Debug, Clone, Serialize)]
pub struct RoundReport {
    #[serde(flatten)]
    pub detail: RoundDetail,
    pub follow_ups_resolved: i64,
    /// The report's paragraphs, in Chinese (`round_facts` and `round_summary` write them in
    /// another language).
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

const CLOSING: Closing = Closing {
    table: "supervision_rounds",
    entity: "supervision_round",
    text_column: "report",
    action: "supervision.close",
};

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
        read_all(
            sqlx::query(&format!("{ROUND_SELECT} ORDER BY r.held_on DESC, r.id DESC")),
            &self.pool,
            round_head,
        )
        .await
    }

    pub async fn round(&self, id: i64) -> Result<RoundDetail, StoreError> {
        let r = found(sqlx::query(&format!("{ROUND_SELECT} WHERE r.id = $1")).bind(id), &self.pool).await?;
        let targets = rows_for(&self.pool, "SELECT t.project_id, p.name AS project_name, u.name AS unit_name, p.light, t.finding, t.found_by, t.problem_id, pr.status AS problem_status, \
             pr.deadline AS problem_deadline FROM supervision_targets t JOIN projects p ON p.id = t.project_id JOIN units u ON u.id = p.unit_id \
             LEFT JOIN problems pr ON pr.id = t.problem_id WHERE t.round_id = $1 ORDER BY p.id", id, |r| {
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
        }).await?;
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
        let oldest: std::collections::HashMap<i64, NaiveDate> = rows_for(
            &self.pool,
            "SELECT n.project_id, MIN(n.planned_on) AS oldest FROM nodes n JOIN projects p ON p.id = n.project_id \
             WHERE p.light = 'red' AND n.status <> 'closed' AND n.planned_on < $1 GROUP BY n.project_id",
            as_of.to_string(),
            |r| Ok((i64_(r, "project_id")?, date(r, "oldest")?)),
        )
        .await?
        .into_iter()
        .collect();
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
            must_read::<i64>(&mut **tx, "SELECT id FROM projects WHERE id = $1", *p, "project_missing", "项目").await?;
            if link(tx, "supervision_targets", ("round_id", id), ("project_id", *p)).await? {
                added.push(*p);
            }
        }
        Ok(added)
    }

    pub async fn create_round(&self, n: &NewRound, ctx: &AuditCtx) -> Result<i64, StoreError> {
        check_round_name(&n.name)?;
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
        let r = found(
            sqlx::query("SELECT name, status, held_on FROM supervision_rounds WHERE id = $1").bind(id),
            &mut **tx,
        )
        .await?;
        if text(&r, "status")? != "open" {
            return Err(StoreError::rule("round_closed", "本轮督查已出具报告，不能再修改"));
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
        check_finding(finding)?;
        let as_of = self.as_of().await?;
        let mut tx = self.begin_locked().await?;
        let (round_name, _) = Self::open_round_in(&mut tx, id).await?;
        let t = sqlx::query("SELECT t.problem_id, t.finding, p.unit_id FROM supervision_targets t JOIN projects p ON p.id = t.project_id WHERE t.round_id = $1 AND t.project_id = $2")
            .bind(id)
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::rule("round_target_missing", format!("项目 {project_id} 不是本轮督查对象，请先加入督查对象")))?;
        let mut problem_id = opt_i64(&t, "problem_id")?;
        if let Some(f) = follow_up {
            if problem_id.is_some() {
                return Err(StoreError::Duplicate("该项目本轮已交办督办问题".into()));
            }
            check_follow_up_deadline(f.deadline, as_of)?;
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
        let resolved = detail
            .targets
            .iter()
            .filter(|t| matches!(t.problem_status.as_deref(), Some("resolved" | "closed")))
            .count() as i64;
        let paragraphs = round_summary(Lang::Zh, &round_facts(&detail, resolved));
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
            return Err(StoreError::rule("round_already_closed", "本轮督查已出具报告"));
        }
        let text_ = if report.trim().is_empty() {
            generated.paragraphs.join("\n")
        } else {
            report.trim().to_string()
        };
        let after = json!({ "status": "closed", "report": text_ });
        self.close_versioned(&CLOSING, id, version, &text_, after, ctx).await
    }
}
