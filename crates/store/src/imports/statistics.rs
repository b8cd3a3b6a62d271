//! Importing the statistics bureau's counted investment (列统投资): a project's cumulative
//! counted investment, year to month (`statistics_counted`), known by project and month; a row
//! replaces that month's figure. A row names its project by code or external id, or by the
//! statistics code given at entry (`projects.statistics_code`); naming both, the project's code
//! decides and the statistics code must not be another project's (a project without one
//! recorded takes it).

use super::export::{project_key, text_cell};
use super::refs::Refs;
use super::{Outcome, Tally};
use crate::row::{SqlBuf, i64_, opt_text};
use crate::{ProjectFilter, Store, StoreError};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::Money;
use zhantu_domain::imports::{CountedRow, ImportKind, RowError, export_columns};
use zhantu_domain::table::Table;

pub(super) async fn import_counted(c: &mut AnyConnection, rows: &[CountedRow], refs: &Refs, t: &mut Tally<'_>) -> Result<(), StoreError> {
    let (mut by_code, mut code_of): (HashMap<String, i64>, HashMap<i64, String>) = (HashMap::new(), HashMap::new());
    for r in sqlx::query("SELECT id, statistics_code FROM projects WHERE statistics_code IS NOT NULL")
        .fetch_all(&mut *c)
        .await?
    {
        if let Some(code) = opt_text(&r, "statistics_code")? {
            let id = i64_(&r, "id")?;
            by_code.insert(code.to_ascii_uppercase(), id);
            code_of.insert(id, code);
        }
    }
    let mut existing: HashMap<(i64, i64, i64), i64> = HashMap::new();
    for r in sqlx::query("SELECT project_id, year, month, cumulative FROM statistics_counted")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(
            (i64_(&r, "project_id")?, i64_(&r, "year")?, i64_(&r, "month")?),
            i64_(&r, "cumulative")?,
        );
    }
    // The same project and month named twice (once by code, once by statistics code).
    let mut seen: HashMap<(i64, i64, i64), u32> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // An unknown project code or external id was reported by `Refs::check`.
        let Some(named) = refs.project_if_named(r.project.as_ref()) else {
            continue;
        };
        let by_statistics = r.statistics_code.as_ref().and_then(|code| by_code.get(code).copied());
        let pid = match (named, by_statistics) {
            (Some(a), Some(b)) if a != b => {
                let code = r.statistics_code.clone().unwrap_or_default();
                t.errors
                    .push(RowError::new(r.line, "统计代码", code, "统计代码属于另一个项目，与项目代码不符"));
                continue;
            }
            // The project's code decides; its statistics code may not be recorded yet.
            (Some(id), _) | (None, Some(id)) => id,
            (None, None) => {
                let code = r.statistics_code.clone().unwrap_or_default();
                t.errors.push(RowError::new(r.line, "统计代码", code, "没有统计代码为此的入库项目"));
                continue;
            }
        };
        // A project named by its code whose statistics code is not recorded yet (a district
        // moved in by import: the projects sheet does not carry it) takes the row's.
        let mut code_recorded = false;
        if let (Some(code), Some(have)) = (r.statistics_code.as_ref().filter(|_| by_statistics.is_none()), code_of.get(&pid)) {
            let reason = format!("项目已记录的统计代码为“{have}”，与本行不符");
            t.errors.push(RowError::new(r.line, "统计代码", code.clone(), reason));
            continue;
        }
        if let Some(code) = r
            .statistics_code
            .as_ref()
            .filter(|_| !code_of.contains_key(&pid) && by_statistics.is_none())
        {
            sqlx::query("UPDATE projects SET statistics_code = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(code)
                .bind(super::now())
                .bind(pid)
                .execute(&mut *c)
                .await?;
            by_code.insert(code.clone(), pid);
            code_of.insert(pid, code.clone());
            code_recorded = true;
        }
        let key = (pid, i64::from(r.year), i64::from(r.month));
        if let Some(first) = seen.insert(key, r.line) {
            t.errors.push(RowError::new(
                r.line,
                "列统月份",
                format!("{}-{:02}", r.year, r.month),
                format!("与第{first}行是同一项目同一月份"),
            ));
            continue;
        }
        let value = r.cumulative.yuan();
        let outcome = match existing.get(&key) {
            Some(old) if *old == value && !code_recorded => Outcome::Unchanged,
            Some(old) if *old == value => Outcome::Changed,
            Some(_) => {
                sqlx::query("UPDATE statistics_counted SET cumulative = $1 WHERE project_id = $2 AND year = $3 AND month = $4")
                    .bind(value)
                    .bind(key.0)
                    .bind(key.1)
                    .bind(key.2)
                    .execute(&mut *c)
                    .await?;
                Outcome::Changed
            }
            None => {
                sqlx::query("INSERT INTO statistics_counted (project_id, year, month, cumulative) VALUES ($1, $2, $3, $4)")
                    .bind(key.0)
                    .bind(key.1)
                    .bind(key.2)
                    .bind(value)
                    .execute(&mut *c)
                    .await?;
                Outcome::Created
            }
        };
        t.row(outcome, format!("{} {}-{:02}", r.describe(), r.year, r.month));
    }
    Ok(())
}

impl Store {
    /// The counted investment of the projects matching `f`, by project and month, with each
    /// project's statistics code.
    pub async fn export_statistics_counted(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT s.year, s.month, s.cumulative, p.statistics_code, p.id AS pid, p.code, p.external_id AS pext \
             FROM statistics_counted s JOIN projects p ON p.id = s.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, s.year, s.month");
        let mut t = Table::new(
            ImportKind::StatisticsCounted.label_zh(),
            export_columns(ImportKind::StatisticsCounted),
        );
        for r in &q.query().fetch_all(&self.pool).await? {
            let (code, pext) = project_key(r)?;
            t.push(vec![
                code.into(),
                pext.into(),
                text_cell(opt_text(r, "statistics_code")?.unwrap_or_default()),
                format!("{}-{:02}", i64_(r, "year")?, i64_(r, "month")?).into(),
                Money::from_yuan(i64_(r, "cumulative")?).into(),
            ]);
        }
        Ok(t)
    }
}
