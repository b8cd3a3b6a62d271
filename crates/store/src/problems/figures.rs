//! The figures by unit (问题解决率, mean days to close) and the monthly three lists (三张清单).

use super::{PROBLEM_COLUMNS, ProblemItem, problem_item, state_of};
use crate::choices::NamedRef;
use crate::row::{SqlBuf, date, i64_, opt_date, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;
use zhantu_domain::figures::Period;
use zhantu_domain::problems::{MonthlyList, ProblemFact, UnitStats, month_period, stats_by_unit, three_lists};

/// The figures by unit, with the units' names.
#[derive(Debug, Clone, Serialize)]
pub struct UnitStatsRow {
    pub unit: NamedRef,
    #[serde(flatten)]
    pub stats: UnitStats,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthlyLists {
    pub year: i32,
    pub month: u32,
    pub lists: Vec<(MonthlyList, Vec<ProblemItem>)>,
}

impl Store {
    /// 问题解决率 and mean days to close by unit, for problems raised in `period`, overdue as
    /// of `today`; the last row is the district (unit id 0).
    pub async fn problem_stats(
        &self,
        period: Period,
        today: NaiveDate,
        within_units: Option<&[i64]>,
    ) -> Result<Vec<UnitStatsRow>, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT pr.unit_id, u.name AS unit_name, pr.raised_on, pr.closed_on, pr.deadline, pr.status, pr.callback_result \
             FROM problems pr JOIN units u ON u.id = pr.unit_id WHERE pr.raised_on >= ",
        );
        q.arg(period.start).push(" AND pr.raised_on <= ").arg(period.end);
        if let Some(units) = within_units {
            q.push(" AND pr.unit_id IN ").in_list(units.iter().copied());
        }
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut facts = Vec::with_capacity(rows.len());
        for r in &rows {
            let unit_id = i64_(r, "unit_id")?;
            names.entry(unit_id).or_insert(text(r, "unit_name")?);
            facts.push(ProblemFact {
                unit_id,
                raised_on: date(r, "raised_on")?,
                closed_on: opt_date(r, "closed_on")?,
                deadline: date(r, "deadline")?,
                state: state_of(r)?,
            });
        }
        Ok(stats_by_unit(period, today, &facts)
            .into_iter()
            .map(|s| UnitStatsRow {
                unit: NamedRef {
                    id: s.unit_id,
                    name: names.get(&s.unit_id).cloned().unwrap_or_else(|| "全区".into()),
                },
                stats: s,
            })
            .collect())
    }

    /// The three lists of a month (新增 / 推进落实 / 已办结销号), compiled from the problems.
    pub async fn monthly_lists(
        &self,
        year: i32,
        month: u32,
        within_units: Option<&[i64]>,
        today: NaiveDate,
    ) -> Result<MonthlyLists, StoreError> {
        let period = month_period(year, month).ok_or_else(|| StoreError::rule("invalid_month", format!("月份 {year}-{month} 无效")))?;
        let cal = self.calendar().await?;
        let mut q = SqlBuf::new(PROBLEM_COLUMNS);
        q.push(" WHERE pr.raised_on <= ")
            .arg(period.end)
            .push(" AND (pr.closed_on IS NULL OR pr.closed_on >= ")
            .arg(period.start)
            .push(")");
        if let Some(units) = within_units {
            q.push(" AND pr.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" ORDER BY pr.unit_id, pr.raised_on, pr.id");
        // Overdue as the month's end saw it (or today, for the running month).
        let seen = period.end.min(today);
        let items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| problem_item(r, &cal, seen))
            .collect::<Result<Vec<_>, _>>()?;
        let pairs: Vec<(NaiveDate, Option<NaiveDate>)> = items.iter().map(|p| (p.raised_on, p.closed_on)).collect();
        let lists = three_lists(period, &pairs)
            .into_iter()
            .map(|(l, idx)| (l, idx.into_iter().map(|i| items[i].clone()).collect()))
            .collect();
        Ok(MonthlyLists { year, month, lists })
    }
}
