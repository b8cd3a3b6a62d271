//! Other writes of the weekly work: the administrator's rule sets (versioned), pausing and
//! resuming a project, and progress reports with the month's investment.

use crate::audit::{AuditCtx, append, lock};
use crate::row::{date, i64_, text};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use zhantu_domain::Money;
use zhantu_domain::model::ReportPeriod;
use zhantu_domain::rules::RuleSet;

#[derive(Debug, Clone, Serialize)]
pub struct RuleSetVersion {
    pub id: i64,
    pub version: u32,
    pub created_at: String,
    pub created_by: String,
}

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

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The period a report covers: a week from Monday, or a calendar month.
pub fn period_bounds(kind: ReportPeriod, start: NaiveDate) -> Result<(NaiveDate, NaiveDate), StoreError> {
    match kind {
        ReportPeriod::Week => {
            if start.weekday() != chrono::Weekday::Mon {
                return Err(StoreError::Invalid("周报的周期应从星期一开始".into()));
            }
            Ok((start, start + chrono::Duration::days(6)))
        }
        ReportPeriod::Month => {
            if start.day() != 1 {
                return Err(StoreError::Invalid("月报的周期应从每月1日开始".into()));
            }
            let next = if start.month() == 12 {
                NaiveDate::from_ymd_opt(start.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(start.year(), start.month() + 1, 1)
            };
            Ok((start, next.expect("valid").pred_opt().expect("valid")))
        }
    }
}

impl Store {
    /// Saves a new version of the rule set (its version must be the next one) and recomputes
    /// every light with it.
    pub async fn save_rule_set(&self, rules: &RuleSet, ctx: &AuditCtx) -> Result<RuleSetVersion, StoreError> {
        let current = self.rule_set().await?;
        if rules.version != current.version + 1 {
            return Err(StoreError::Conflict {
                by: "其他管理员".into(),
                at: format!("第{}版（请基于最新版修改，新版本号应为{}）", current.version, current.version + 1),
            });
        }
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let json = serde_json::to_string(rules).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO light_rule_sets (rules_json, created_at, created_by) VALUES ($1, $2, $3) RETURNING id")
                .bind(&json)
                .bind(now())
                .bind(&ctx.actor)
                .fetch_one(&mut *tx)
                .await?;
        append(
            &mut tx,
            ctx,
            "rules.save",
            "rule_set",
            Some(id),
            Some(&json!({ "version": current.version })),
            Some(&serde_json::to_value(rules).unwrap_or_default()),
        )
        .await?;
        tx.commit().await?;
        self.recompute_lights("rules").await?;
        Ok(RuleSetVersion {
            id,
            version: rules.version,
            created_at: now(),
            created_by: ctx.actor.clone(),
        })
    }

    pub async fn rule_set_versions(&self) -> Result<Vec<RuleSetVersion>, StoreError> {
        sqlx::query("SELECT id, rules_json, created_at, created_by FROM light_rule_sets ORDER BY id DESC")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let version = serde_json::from_str::<serde_json::Value>(&text(r, "rules_json")?)
                    .ok()
                    .and_then(|v| v["version"].as_u64())
                    .unwrap_or(1) as u32;
                Ok(RuleSetVersion {
                    id: i64_(r, "id")?,
                    version,
                    created_at: text(r, "created_at")?,
                    created_by: text(r, "created_by")?,
                })
            })
            .collect()
    }

    /// Pauses (with a reason) or resumes a project; a paused project keeps its data and its
    /// place in the lists, and the pause is on its record and in the audit trail. A pause
    /// stops every approval clock of the project from the as-of date (a span `暂停：…`);
    /// resuming closes that span on the as-of date; the lights follow in the same transaction.
    pub async fn set_paused(&self, id: i64, version: i64, paused: bool, reason: &str, ctx: &AuditCtx) -> Result<i64, StoreError> {
        if paused && reason.trim().is_empty() {
            return Err(StoreError::Invalid("暂停须说明原因".into()));
        }
        let as_of = self.as_of().await?;
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let row = sqlx::query("SELECT paused, version FROM projects WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if i64_(&row, "version")? != version {
            drop(tx);
            return Err(self.conflict("project", id).await?);
        }
        let was = i64_(&row, "paused")? != 0;
        if was == paused {
            return Err(StoreError::Invalid(if paused {
                "项目已处于暂停状态".into()
            } else {
                "项目未暂停".into()
            }));
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

    /// Submits (or, before the month is locked, replaces) a progress report. A monthly report
    /// also records the month's completed investment; a locked month refuses both.
    pub async fn submit_report(&self, project_id: i64, r: &NewReport, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let (start, end) = period_bounds(r.period, r.period_start)?;
        if r.body.trim().is_empty() {
            return Err(StoreError::Invalid("请填写本期进展情况".into()));
        }
        if r.investment.yuan() < 0 {
            return Err(StoreError::Invalid("完成投资不能为负数".into()));
        }
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
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
            return Err(StoreError::Invalid(format!("{}年{}月已关账，本月数据不能再修改", year, month)));
        }
        let before: Option<String> =
            sqlx::query_scalar("SELECT body FROM progress_reports WHERE project_id = $1 AND period_kind = $2 AND period_start = $3")
                .bind(project_id)
                .bind(r.period.code())
                .bind(start.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM progress_reports WHERE project_id = $1 AND period_kind = $2 AND period_start = $3")
            .bind(project_id)
            .bind(r.period.code())
            .bind(start.to_string())
            .execute(&mut *tx)
            .await?;
        let id: i64 = sqlx::query_scalar(
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
        .await?;
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
            before.map(|b| json!({ "body": b })).as_ref(),
            Some(&json!({ "period": r.period.code(), "period_start": start, "investment_yuan": r.investment.yuan(), "report_id": id })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Closes a month (关账): its investment figures can no longer change.
    pub async fn lock_month(&self, year: i32, month: u32, ctx: &AuditCtx) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
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

/// One year of the working calendar as the administrator edits it.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarYear {
    pub year: i32,
    /// A fingerprint of the year's rows: a change must name the one it was made from.
    pub revision: String,
    /// The years the stored calendar covers.
    pub covers: Option<(i32, i32)>,
    pub working_days: i64,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// `off` (放假) or `work` (调休上班).
    pub kind: String,
    pub name: String,
}

fn calendar_revision(days: &[CalendarDay]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for d in days {
        h.update(format!("{}|{}|{}\n", d.day, d.kind, d.name));
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl Store {
    async fn calendar_rows(&self, conn: &mut sqlx::AnyConnection, year: i32) -> Result<Vec<CalendarDay>, StoreError> {
        sqlx::query("SELECT day, kind, name FROM holidays WHERE day >= $1 AND day <= $2 ORDER BY day")
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{year:04}-12-31"))
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                let day = text(r, "day")?;
                Ok(CalendarDay {
                    day: day.parse().map_err(|_| StoreError::Corrupt(format!("holidays.day = {day}")))?,
                    kind: text(r, "kind")?,
                    name: text(r, "name")?,
                })
            })
            .collect()
    }

    /// The holidays and make-up working days of `year`, with the count of working days.
    pub async fn calendar_year(&self, year: i32) -> Result<CalendarYear, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let days = self.calendar_rows(&mut conn, year).await?;
        let cal = self.calendar().await?;
        let (first, last) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
        let working_days = match (first, last) {
            (Some(f), Some(l)) => cal.working_days_between(f.pred_opt().unwrap_or(f), l),
            _ => 0,
        };
        Ok(CalendarYear {
            year,
            revision: calendar_revision(&days),
            covers: cal.coverage(),
            working_days,
            days,
        })
    }

    /// Replaces `year`'s holidays and make-up working days (a new State Council notice, a
    /// correction), checked as a whole calendar first; audited; the lights are recomputed after.
    /// `revision` must be the one the administrator read (else 409).
    pub async fn set_calendar_year(
        &self,
        year: i32,
        revision: &str,
        days: &[CalendarDay],
        ctx: &AuditCtx,
    ) -> Result<CalendarYear, StoreError> {
        use zhantu_domain::calendar::{DayType, WorkCalendar};
        let mut rows = Vec::new();
        for d in days {
            if d.day.year() != year {
                return Err(StoreError::Invalid(format!("{} 不属于 {year} 年", d.day)));
            }
            let kind = DayType::from_code(&d.kind)
                .ok_or_else(|| StoreError::Invalid(format!("{}：类型“{}”无效，应为 off（放假）或 work（调休上班）", d.day, d.kind)))?;
            if d.name.trim().is_empty() {
                return Err(StoreError::Invalid(format!("{}：缺少节日名称", d.day)));
            }
            rows.push(CalendarDay {
                day: d.day,
                kind: kind.code().to_string(),
                name: d.name.trim().to_string(),
            });
        }
        rows.sort_by_key(|d| d.day);
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let before = self.calendar_rows(&mut tx, year).await?;
        if calendar_revision(&before) != revision {
            drop(tx);
            return Err(self.conflict("calendar", year as i64).await?);
        }
        // The whole calendar, other years as stored plus this one, must still be valid.
        let others = sqlx::query("SELECT day, kind, name FROM holidays WHERE day < $1 OR day > $2")
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{year:04}-12-31"))
            .fetch_all(&mut *tx)
            .await?;
        let mut all = Vec::new();
        for r in &others {
            let day = text(r, "day")?;
            let kind = text(r, "kind")?;
            all.push((
                day.parse().map_err(|_| StoreError::Corrupt(format!("holidays.day = {day}")))?,
                DayType::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("holidays.kind = {kind}")))?,
                text(r, "name")?,
            ));
        }
        for d in &rows {
            all.push((d.day, DayType::from_code(&d.kind).expect("checked"), d.name.clone()));
        }
        if !all.is_empty() {
            WorkCalendar::from_rows(all).map_err(|e| StoreError::Invalid(e.to_string()))?;
        }
        sqlx::query("DELETE FROM holidays WHERE day >= $1 AND day <= $2")
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{year:04}-12-31"))
            .execute(&mut *tx)
            .await?;
        for d in &rows {
            sqlx::query("INSERT INTO holidays (day, kind, name) VALUES ($1, $2, $3)")
                .bind(d.day.to_string())
                .bind(&d.kind)
                .bind(&d.name)
                .execute(&mut *tx)
                .await?;
        }
        append(
            &mut tx,
            ctx,
            "calendar.set_year",
            "calendar",
            Some(year as i64),
            Some(&json!({ "days": before })),
            Some(&json!({ "days": rows })),
        )
        .await?;
        tx.commit().await?;
        self.recompute_lights("calendar").await?;
        self.calendar_year(year).await
    }
}
