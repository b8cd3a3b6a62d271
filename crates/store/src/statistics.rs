//! Statistics entry and reconciliation (`projects.statistics_code`, `projects.in_statistics_on`,
//! `statistics_counted`, `fai_monthly`): the facts the figures of `zhantu_domain::statistics`
//! take, the entry of a project (入库, audited and versioned) and the bureau's counted investment
//! of a project and month (累计列统投资).

use crate::Store;
use crate::audit::AuditCtx;
use crate::error::StoreError;
use crate::row::{SqlBuf, i64_, opt_date, opt_text, text};
use crate::writes::commit_audited;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;
use zhantu_domain::money::Money;
use zhantu_domain::statistics::{Candidate, EntryInput, MonthSummary, ProjectMonth, Threshold, month_summary, readiness_list, reconcile};

/// What a list shows of a project beside its figures.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectLabel {
    pub id: i64,
    pub code: Option<String>,
    pub name: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub stage: String,
    pub total_investment: Money,
    pub started_on: Option<NaiveDate>,
    pub statistics_code: Option<String>,
}

/// A project's statistics entry as it stands.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub project_id: i64,
    pub statistics_code: Option<String>,
    pub in_statistics_on: Option<NaiveDate>,
    pub version: i64,
}

/// The bureau's counted investment of a project and month.
#[derive(Debug, Clone, Serialize)]
pub struct Counted {
    pub project_id: i64,
    pub year: i32,
    pub month: u32,
    pub cumulative: Money,
}

/// The last day of a month.
pub fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt())
}

fn within(scope: Option<&[i64]>, unit_id: i64) -> bool {
    scope.is_none_or(|s| s.contains(&unit_id))
}

const PROJECTS: &str = "SELECT p.id, p.code, p.name, p.unit_id, u.name AS unit_name, p.stage, p.total_investment, \
     p.started_on, p.in_statistics_on, p.statistics_code FROM projects p JOIN units u ON u.id = p.unit_id \
     WHERE p.stage <> 'terminated'";

fn label(r: &sqlx::any::AnyRow) -> Result<ProjectLabel, StoreError> {
    Ok(ProjectLabel {
        id: i64_(r, "id")?,
        code: opt_text(r, "code")?,
        name: text(r, "name")?,
        unit_id: i64_(r, "unit_id")?,
        unit_name: text(r, "unit_name")?,
        stage: text(r, "stage")?,
        total_investment: Money::from_yuan(i64_(r, "total_investment")?),
        started_on: opt_date(r, "started_on")?,
        statistics_code: opt_text(r, "statistics_code")?,
    })
}

impl Store {
    /// The threshold: the settings `statistics_min_total` (元) and `statistics_requires_start`
    /// (`0`/`1`), else the domain's defaults (500万元, started).
    pub async fn statistics_threshold(&self) -> Result<Threshold, StoreError> {
        let mut t = Threshold::default();
        if let Some(v) = self.setting("statistics_min_total").await? {
            let yuan: i64 = v
                .trim()
                .parse()
                .map_err(|_| crate::writes::corrupt("settings.statistics_min_total", &v))?;
            t.min_total = Money::from_yuan(yuan);
        }
        if let Some(v) = self.setting("statistics_requires_start").await? {
            t.requires_start = v.trim() != "0";
        }
        Ok(t)
    }

    /// Every project (but the terminated) with its facts for readiness on `as_of`: the
    /// investment it reported up to `as_of`'s month. Only `scope`'s units when given.
    pub async fn statistics_candidates(
        &self,
        as_of: NaiveDate,
        scope: Option<&[i64]>,
    ) -> Result<Vec<(Candidate, ProjectLabel)>, StoreError> {
        let (year, month) = (as_of.year(), as_of.month());
        let mut reported: HashMap<i64, i64> = HashMap::new();
        for r in sqlx::query(
            "SELECT project_id, CAST(SUM(amount) AS BIGINT) AS amount FROM monthly_investment \
             WHERE year < $1 OR (year = $2 AND month <= $3) GROUP BY project_id",
        )
        .bind(year as i64)
        .bind(year as i64)
        .bind(month as i64)
        .fetch_all(&self.pool)
        .await?
        {
            reported.insert(i64_(&r, "project_id")?, i64_(&r, "amount")?);
        }
        let mut out = Vec::new();
        for r in sqlx::query(&format!("{PROJECTS} ORDER BY p.unit_id, p.id"))
            .fetch_all(&self.pool)
            .await?
        {
            let l = label(&r)?;
            if !within(scope, l.unit_id) {
                continue;
            }
            out.push((
                Candidate {
                    project_id: l.id,
                    unit_id: l.unit_id,
                    total_investment: l.total_investment,
                    started_on: l.started_on,
                    in_statistics_on: opt_date(&r, "in_statistics_on")?,
                    statistics_code: l.statistics_code.clone(),
                    reported: Money::from_yuan(reported.get(&l.id).copied().unwrap_or(0)),
                },
                l,
            ));
        }
        Ok(out)
    }

    /// Each project's month for reconciliation: those that reported or were counted anything in
    /// the year to `month`. Only `scope`'s units when given.
    pub async fn statistics_months(
        &self,
        year: i32,
        month: u32,
        scope: Option<&[i64]>,
    ) -> Result<Vec<(ProjectMonth, ProjectLabel)>, StoreError> {
        let end = month_end(year, month).ok_or(StoreError::NotFound)?;
        let mut ytd: HashMap<i64, (i64, i64)> = HashMap::new();
        for r in sqlx::query("SELECT project_id, month, amount FROM monthly_investment WHERE year = $1 AND month <= $2")
            .bind(year as i64)
            .bind(month as i64)
            .fetch_all(&self.pool)
            .await?
        {
            let e = ytd.entry(i64_(&r, "project_id")?).or_default();
            let amount = i64_(&r, "amount")?;
            e.0 = e.0.saturating_add(amount);
            if i64_(&r, "month")? == month as i64 {
                e.1 = e.1.saturating_add(amount);
            }
        }
        let mut counted: HashMap<i64, i64> = HashMap::new();
        for r in sqlx::query("SELECT project_id, cumulative FROM statistics_counted WHERE year = $1 AND month = $2")
            .bind(year as i64)
            .bind(month as i64)
            .fetch_all(&self.pool)
            .await?
        {
            counted.insert(i64_(&r, "project_id")?, i64_(&r, "cumulative")?);
        }
        let mut out = Vec::new();
        for r in sqlx::query(&format!("{PROJECTS} ORDER BY p.unit_id, p.id"))
            .fetch_all(&self.pool)
            .await?
        {
            let l = label(&r)?;
            if !within(scope, l.unit_id) {
                continue;
            }
            let (reported_ytd, reported_month) = ytd.get(&l.id).copied().unwrap_or((0, 0));
            let counted_ytd = counted.get(&l.id).copied();
            if reported_ytd == 0 && counted_ytd.is_none() {
                continue;
            }
            out.push((
                ProjectMonth {
                    project_id: l.id,
                    unit_id: l.unit_id,
                    total_investment: l.total_investment,
                    in_statistics: opt_date(&r, "in_statistics_on")?.is_some_and(|on| on <= end),
                    reported_ytd: Money::from_yuan(reported_ytd),
                    reported_month: Money::from_yuan(reported_month),
                    counted_ytd: counted_ytd.map(Money::from_yuan),
                },
                l,
            ));
        }
        Ok(out)
    }

    /// The official FAI series (cumulative, year to month) of every division that has it.
    pub async fn statistics_official(&self, year: i32, month: u32) -> Result<HashMap<String, Money>, StoreError> {
        let mut out = HashMap::new();
        for r in sqlx::query("SELECT division_code, cumulative FROM fai_monthly WHERE year = $1 AND month = $2")
            .bind(year as i64)
            .bind(month as i64)
            .fetch_all(&self.pool)
            .await?
        {
            out.insert(text(&r, "division_code")?, Money::from_yuan(i64_(&r, "cumulative")?));
        }
        Ok(out)
    }

    async fn statistics_entry(&self, c: &mut sqlx::AnyConnection, project_id: i64) -> Result<(Entry, Option<NaiveDate>), StoreError> {
        let r = sqlx::query("SELECT statistics_code, in_statistics_on, started_on, version FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(&mut *c)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((
            Entry {
                project_id,
                statistics_code: opt_text(&r, "statistics_code")?,
                in_statistics_on: opt_date(&r, "in_statistics_on")?,
                version: i64_(&r, "version")?,
            },
            opt_date(&r, "started_on")?,
        ))
    }

    /// Enters a project into statistics (入库): its code and date, checked against its start
    /// and the threshold; with `version`, only if the project is still at it.
    pub async fn enter_statistics(
        &self,
        project_id: i64,
        input: &EntryInput,
        version: Option<i64>,
        ctx: &AuditCtx,
    ) -> Result<Entry, StoreError> {
        let threshold = self.statistics_threshold().await?;
        let mut tx = match version {
            Some(v) => self.begin_versioned("projects", "project", project_id, v).await?,
            None => self.begin_locked().await?,
        };
        let (before, started_on) = self.statistics_entry(&mut tx, project_id).await?;
        input.check(started_on, &threshold)?;
        sqlx::query(
            "UPDATE projects SET statistics_code = $1, in_statistics_on = $2, version = version + 1, updated_at = $3 WHERE id = $4",
        )
        .bind(&input.code)
        .bind(input.on.to_string())
        .bind(crate::writes::now())
        .bind(project_id)
        .execute(&mut *tx)
        .await?;
        let (after, _) = self.statistics_entry(&mut tx, project_id).await?;
        commit_audited(
            tx,
            ctx,
            ("statistics.enter", "project", Some(project_id)),
            Some(&json!(before)),
            Some(&json!(after)),
        )
        .await?;
        Ok(after)
    }

    /// Records the bureau's counted investment of a project, year to month (累计列统投资),
    /// replacing the month's earlier figure.
    pub async fn set_statistics_counted(&self, c: &Counted, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
            .bind(c.project_id)
            .fetch_optional(&mut *tx)
            .await?;
        exists.ok_or(StoreError::NotFound)?;
        let key = |q: &mut SqlBuf| {
            q.arg(c.project_id)
                .push(" AND year = ")
                .arg(c.year as i64)
                .push(" AND month = ")
                .arg(c.month as i64);
        };
        let mut q = SqlBuf::new("SELECT cumulative FROM statistics_counted WHERE project_id = ");
        key(&mut q);
        let before: Option<i64> = match q.query().fetch_optional(&mut *tx).await? {
            Some(r) => Some(i64_(&r, "cumulative")?),
            None => None,
        };
        let mut del = SqlBuf::new("DELETE FROM statistics_counted WHERE project_id = ");
        key(&mut del);
        del.query().execute(&mut *tx).await?;
        sqlx::query("INSERT INTO statistics_counted (project_id, year, month, cumulative) VALUES ($1, $2, $3, $4)")
            .bind(c.project_id)
            .bind(c.year as i64)
            .bind(c.month as i64)
            .bind(c.cumulative.yuan())
            .execute(&mut *tx)
            .await?;
        let snap = |v: i64| json!({"year": c.year, "month": c.month, "cumulative": v});
        commit_audited(
            tx,
            ctx,
            ("statistics.count", "project", Some(c.project_id)),
            before.map(snap).as_ref(),
            Some(&snap(c.cumulative.yuan())),
        )
        .await?;
        Ok(())
    }
}

impl Store {
    /// The whole district's statistics summary of a month, for the monthly analysis: readiness on
    /// `as_of`, the reconciliation of the year to `month` with the district's official series.
    pub async fn statistics_summary(&self, year: i32, month: u32, as_of: NaiveDate) -> Result<MonthSummary, StoreError> {
        let threshold = self.statistics_threshold().await?;
        let facts: Vec<Candidate> = self.statistics_candidates(as_of, None).await?.into_iter().map(|(c, _)| c).collect();
        let list = readiness_list(&facts, &threshold, as_of);
        let months: Vec<ProjectMonth> = self
            .statistics_months(year, month, None)
            .await?
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        let by_unit = reconcile(&months, &threshold, |_| None);
        let official = match self.setting("district_division").await? {
            Some(d) => self.statistics_official(year, month).await?.remove(&d),
            None => None,
        };
        Ok(month_summary(&list, &by_unit, official))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn month_ends() {
        assert_eq!(super::month_end(2019, 2).unwrap().to_string(), "2019-02-28");
        assert_eq!(super::month_end(2020, 2).unwrap().to_string(), "2020-02-29");
        assert_eq!(super::month_end(2019, 12).unwrap().to_string(), "2019-12-31");
        assert_eq!(super::month_end(2019, 13), None);
    }
}
