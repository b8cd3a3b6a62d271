//! Importing results after operation (投产项目效益): a project's results of a year
//! (`results_years`), known by project and year; a row replaces that year's figures. The promise
//! at signing (`results_promises`) is the form's and stays as it is.

use super::export::project_key;
use super::refs::Refs;
use super::{Outcome, Tally};
use crate::row::{SqlBuf, i64_};
use crate::{ProjectFilter, Store, StoreError};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::Money;
use zhantu_domain::imports::{ImportKind, ResultsYearRow, export_columns};
use zhantu_domain::table::Table;

pub(super) async fn import_results(
    c: &mut AnyConnection,
    rows: &[ResultsYearRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let mut existing: HashMap<(i64, i64), [i64; 4]> = HashMap::new();
    for r in sqlx::query("SELECT project_id, year, output, tax, jobs, energy_tce FROM results_years")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(
            (i64_(&r, "project_id")?, i64_(&r, "year")?),
            [i64_(&r, "output")?, i64_(&r, "tax")?, i64_(&r, "jobs")?, i64_(&r, "energy_tce")?],
        );
    }
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // An unknown project was reported by `Refs::check`.
        let Some(pid) = refs.project(&r.project) else { continue };
        let year = i64::from(r.year);
        let new = [r.output.yuan(), r.tax.yuan(), r.jobs, r.energy_tce];
        let outcome = match existing.get(&(pid, year)) {
            Some(old) if *old == new => Outcome::Unchanged,
            Some(_) => {
                sqlx::query(
                    "UPDATE results_years SET output = $1, tax = $2, jobs = $3, energy_tce = $4 WHERE project_id = $5 AND year = $6",
                )
                .bind(new[0])
                .bind(new[1])
                .bind(new[2])
                .bind(new[3])
                .bind(pid)
                .bind(year)
                .execute(&mut *c)
                .await?;
                Outcome::Changed
            }
            None => {
                sqlx::query("INSERT INTO results_years (project_id, year, output, tax, jobs, energy_tce) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(pid)
                    .bind(year)
                    .bind(new[0])
                    .bind(new[1])
                    .bind(new[2])
                    .bind(new[3])
                    .execute(&mut *c)
                    .await?;
                Outcome::Created
            }
        };
        t.row(outcome, format!("{} {}", r.project.describe(), r.year));
    }
    Ok(())
}

impl Store {
    /// Every reported year of the projects matching `f`, by project and year.
    pub async fn export_results(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT y.year, y.output, y.tax, y.jobs, y.energy_tce, p.id AS pid, p.code, p.external_id AS pext \
             FROM results_years y JOIN projects p ON p.id = y.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, y.year");
        let mut t = Table::new(ImportKind::Results.label_zh(), export_columns(ImportKind::Results));
        for r in &q.query().fetch_all(&self.pool).await? {
            let (code, pext) = project_key(r)?;
            t.push(vec![
                code.into(),
                pext.into(),
                i64_(r, "year")?.into(),
                Money::from_yuan(i64_(r, "output")?).into(),
                Money::from_yuan(i64_(r, "tax")?).into(),
                i64_(r, "jobs")?.into(),
                i64_(r, "energy_tce")?.into(),
            ]);
        }
        Ok(t)
    }
}
