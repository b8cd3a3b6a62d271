//! Progress reports (填报): submitting a project's report (a monthly one with the month's
//! investment, and the problems it names), closing a month (关账), and which reports came on
//! time, late or not at all.

use crate::audit::{AuditCtx, append};
use crate::row::{date, i64_, text};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use zhantu_domain::Money;
use zhantu_domain::model::ReportPeriod;

/// A submitted progress report.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub period: ReportPeriod,
    pub period_start: NaiveDate,
    pub body: String,
    /// For monthly reports: investment completed in the month.
    pub investment: Money,
    /// Problems met in the period: (category, description); each becomes a problem of the
    /// project's unit, linked to the report, in the same transaction.
    pub problems: Vec<(String, String)>,
}

/// The period a report covers: a week from Monday, or a calendar month (the domain's rule,
/// `zhantu_domain::reports::period_bounds`).
pub fn period_bounds(kind: ReportPeriod, start: NaiveDate) -> Result<(NaiveDate, NaiveDate), StoreError> {
    Ok(zhantu_domain::reports::period_bounds(kind, start)?)
}

impl Store {
    /// Submits (or, before the month is locked, replaces) a progress report. A monthly report
    /// also records the month's completed investment; a locked month refuses both.
    pub async fn submit_report(&self, project_id: i64, r: &NewReport, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let (start, end) = period_bounds(r.period, r.period_start)?;
        zhantu_domain::reports::check_report(&r.body, r.investment)?;
        let mut tx = self.begin_locked().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?;
        exists.ok_or(StoreError::NotFound)?;
        let (year, month) = (start.year() as i64, start.month() as i64);
        let locked: Option<i64> =
            sqlx::query_scalar("SELECT locked FROM monthly_investment WHERE project_id = $1 AND year = $2 AND month = $3")
                .bind(project_id)
                .bind(year)
                .bind(month)
                .fetch_optional(&mut *tx)
                .await?;
        if locked == Some(1) {
            return Err(StoreError::rule(
                "month_locked",
                format!("{}年{}月已关账，本月数据不能再修改", year, month),
            ));
        }
        let before: Option<(i64, String)> =
            sqlx::query_as("SELECT id, body FROM progress_reports WHERE project_id = $1 AND period_kind = $2 AND period_start = $3")
                .bind(project_id)
                .bind(r.period.code())
                .bind(start.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        // A report filed again for its period replaces the earlier one in place: the problems
        // that filing raised keep pointing at it.
        let id: i64 = match &before {
            Some((id, _)) => {
                sqlx::query(
                    "UPDATE progress_reports SET period_end = $1, body = $2, investment = $3, submitted_on = $4, submitted_by = $5 \
                     WHERE id = $6",
                )
                .bind(end.to_string())
                .bind(r.body.trim())
                .bind(r.investment.yuan())
                .bind(crate::today_in_china().to_string())
                .bind(&ctx.actor)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                *id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO progress_reports (project_id, period_kind, period_start, period_end, body, investment, submitted_on, submitted_by) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                )
                .bind(project_id)
                .bind(r.period.code())
                .bind(start.to_string())
                .bind(end.to_string())
                .bind(r.body.trim())
                .bind(r.investment.yuan())
                .bind(crate::today_in_china().to_string())
                .bind(&ctx.actor)
                .fetch_one(&mut *tx)
                .await?
            }
        };
        if !r.problems.is_empty() {
            let cal = self.calendar().await?;
            let as_of = self.as_of().await?;
            let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM projects WHERE id = $1")
                .bind(project_id)
                .fetch_one(&mut *tx)
                .await?;
            for (category, description) in &r.problems {
                let problem = crate::problems::NewProblem {
                    category: category.clone(),
                    description: description.clone(),
                    unit_id,
                    deadline: None,
                    raised_on: Some(as_of),
                    project_id: Some(project_id),
                    node_id: None,
                    report_id: Some(id),
                    visit_id: None,
                    enterprise_id: None,
                    blocks_node: false,
                    external_id: None,
                };
                crate::problems::insert_problem(self, &mut tx, &cal, &problem, ctx).await?;
            }
        }
        if r.period == ReportPeriod::Month {
            sqlx::query(
                "INSERT INTO monthly_investment (project_id, year, month, amount) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (project_id, year, month) DO UPDATE SET amount = excluded.amount",
            )
            .bind(project_id)
            .bind(year)
            .bind(month)
            .bind(r.investment.yuan())
            .execute(&mut *tx)
            .await?;
        }
        self.refresh_project_lights(&mut tx, project_id).await?;
        append(
            &mut tx,
            ctx,
            "report.submit",
            "project",
            Some(project_id),
            before.map(|(_, b)| json!({ "body": b })).as_ref(),
            Some(&json!({ "period": r.period.code(), "period_start": start, "investment_yuan": r.investment.yuan(), "report_id": id })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Closes a month (关账): its investment figures can no longer change.
    pub async fn lock_month(&self, year: i32, month: u32, ctx: &AuditCtx) -> Result<u64, StoreError> {
        let mut tx = self.begin_locked().await?;
        let n = sqlx::query("UPDATE monthly_investment SET locked = 1 WHERE year = $1 AND month = $2 AND locked = 0")
            .bind(year as i64)
            .bind(month as i64)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        append(
            &mut tx,
            ctx,
            "period.lock",
            "period",
            None,
            None,
            Some(&json!({ "year": year, "month": month, "rows": n })),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }
}

/// One unit's reporting record, with its name, for the late-submission list.
#[derive(Debug, Clone, Serialize)]
pub struct UnitReporting {
    pub unit_name: String,
    #[serde(flatten)]
    pub record: zhantu_domain::deadlines::UnitTimeliness,
}

/// Late-submission tracking over a span: the deadline used and each unit's record.
#[derive(Debug, Clone, Serialize)]
pub struct ReportingTimeliness {
    pub period_kind: ReportPeriod,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub as_of: NaiveDate,
    pub deadline: String,
    pub periods: usize,
    pub units: Vec<UnitReporting>,
}

impl Store {
    /// Which expected progress reports of `kind` for periods ending in `[from, to]` came on time,
    /// late, or not at all, per unit (worst first). A project owes reports from 1 January of its
    /// planned year while the rule set's 填报 rule applies to its stage and it is not paused.
    pub async fn reporting_timeliness(
        &self,
        kind: ReportPeriod,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<ReportingTimeliness, StoreError> {
        use zhantu_domain::deadlines::{Reporter, ReportingDeadlines, periods_ending_within, timeliness};
        use zhantu_domain::rules::Check;
        let rules = self.rule_set().await?;
        let calendar = self.calendar().await?;
        let as_of = self.as_of().await?;
        let deadlines = ReportingDeadlines::from_rules(&rules);
        let rule = rules
            .rules
            .iter()
            .find(|r| r.enabled && matches!(&r.check, Check::ReportMissing(m) if m.period == kind));
        let periods = periods_ending_within(kind, from, to);
        let mut reporters = Vec::new();
        for r in sqlx::query("SELECT id, unit_id, stage, planned_year FROM projects WHERE paused = 0 AND stage <> 'terminated'")
            .fetch_all(&self.pool)
            .await?
        {
            let stage = text(&r, "stage")?;
            let stage = zhantu_domain::Stage::from_code(&stage).ok_or_else(|| StoreError::Corrupt(format!("stage = {stage}")))?;
            if rule.is_some_and(|rule| !rule.applies_to(stage)) {
                continue;
            }
            let year = i64_(&r, "planned_year")? as i32;
            reporters.push(Reporter {
                project_id: i64_(&r, "id")?,
                unit_id: i64_(&r, "unit_id")?,
                required_from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(from),
            });
        }
        let mut submitted = std::collections::HashMap::new();
        if let (Some(first), Some(last)) = (periods.first(), periods.last()) {
            for r in sqlx::query(
                "SELECT project_id, period_start, submitted_on FROM progress_reports WHERE period_kind = $1 AND period_start >= $2 AND period_start <= $3",
            )
            .bind(kind.code())
            .bind(first.start.to_string())
            .bind(last.start.to_string())
            .fetch_all(&self.pool)
            .await?
            {
                submitted.insert((i64_(&r, "project_id")?, date(&r, "period_start")?), date(&r, "submitted_on")?);
            }
        }
        let names: std::collections::HashMap<i64, String> = self.unit_names().await?.into_iter().map(|(id, name, _)| (id, name)).collect();
        let units = timeliness(kind, &periods, &reporters, &submitted, &deadlines, &calendar, as_of)
            .into_iter()
            .map(|record| UnitReporting {
                unit_name: names.get(&record.unit_id).cloned().unwrap_or_default(),
                record,
            })
            .collect();
        Ok(ReportingTimeliness {
            period_kind: kind,
            from,
            to,
            as_of,
            deadline: deadlines.rule(kind).describe_zh(),
            periods: periods.len(),
            units,
        })
    }
}
