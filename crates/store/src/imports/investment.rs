//! Importing money by month: a project's completed investment, and the statistics bureau's
//! FAI figures by division.

use super::{Progress, ProjectIndex, Tally, locked_months};
use crate::StoreError;
use crate::bulk::insert_values;
use crate::row::{i64_, text};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::imports::RowError;

pub(super) async fn import_investment(
    c: &mut AnyConnection,
    engine: crate::Engine,
    rows: &[zhantu_domain::imports::InvestmentRow],
    errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    let projects = ProjectIndex::load(c).await?;
    let locked = locked_months(c).await?;
    let mut existing: HashMap<(i64, i64, i64), i64> = HashMap::new();
    for r in sqlx::query("SELECT project_id, year, month, amount FROM monthly_investment")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(
            (i64_(&r, "project_id")?, i64_(&r, "year")?, i64_(&r, "month")?),
            i64_(&r, "amount")?,
        );
    }
    let mut inserts = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let month = format!("{}-{:02}", r.year, r.month);
        if locked.contains(&(r.year as i64, r.month as i64)) {
            errors.push(RowError::new(r.line, "月份", &month, "该月已锁定，不能再修改"));
            continue;
        }
        let Some(pid) = projects.find(&r.project) else {
            errors.push(RowError::new(r.line, "项目代码", r.project.describe(), "系统中没有这个项目"));
            continue;
        };
        let key = format!("{}/{month}", r.project.describe());
        match existing.get(&(pid, r.year as i64, r.month as i64)) {
            Some(a) if *a == r.amount.yuan() => t.unchanged += 1,
            Some(_) => {
                sqlx::query("UPDATE monthly_investment SET amount = $1 WHERE project_id = $2 AND year = $3 AND month = $4")
                    .bind(r.amount.yuan())
                    .bind(pid)
                    .bind(r.year as i64)
                    .bind(r.month as i64)
                    .execute(&mut *c)
                    .await?;
                t.changed(key);
            }
            None => {
                inserts.push(vec![pid.into(), r.year.into(), r.month.into(), r.amount.yuan().into()]);
                t.created(key);
            }
        }
    }
    if errors.is_empty() {
        insert_values(c, engine, "monthly_investment", &["project_id", "year", "month", "amount"], inserts).await?;
    }
    Ok(())
}

pub(super) async fn import_fai(
    c: &mut AnyConnection,
    engine: crate::Engine,
    rows: &[zhantu_domain::imports::FaiRow],
    errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    let locked = locked_months(c).await?;
    let mut existing: HashMap<(String, i64, i64), i64> = HashMap::new();
    for r in sqlx::query("SELECT division_code, year, month, cumulative FROM fai_monthly")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(
            (text(&r, "division_code")?, i64_(&r, "year")?, i64_(&r, "month")?),
            i64_(&r, "cumulative")?,
        );
    }
    let mut inserts = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let month = format!("{}-{:02}", r.year, r.month);
        if locked.contains(&(r.year as i64, r.month as i64)) {
            errors.push(RowError::new(r.line, "月份", &month, "该月已锁定，不能再修改"));
            continue;
        }
        let key = format!("{}/{month}", r.division.as_str());
        match existing.get(&(r.division.as_str().to_string(), r.year as i64, r.month as i64)) {
            Some(a) if *a == r.cumulative.yuan() => t.unchanged += 1,
            Some(_) => {
                sqlx::query("UPDATE fai_monthly SET cumulative = $1 WHERE division_code = $2 AND year = $3 AND month = $4")
                    .bind(r.cumulative.yuan())
                    .bind(r.division.as_str())
                    .bind(r.year as i64)
                    .bind(r.month as i64)
                    .execute(&mut *c)
                    .await?;
                t.changed(key);
            }
            None => {
                inserts.push(vec![
                    r.division.as_str().into(),
                    r.year.into(),
                    r.month.into(),
                    r.cumulative.yuan().into(),
                ]);
                t.created(key);
            }
        }
    }
    if errors.is_empty() {
        insert_values(c, engine, "fai_monthly", &["division_code", "year", "month", "cumulative"], inserts).await?;
    }
    Ok(())
}
