//! Importing money by month: a project's completed investment, and the statistics bureau's
//! FAI figures by division. Both tables hold one amount per key and month, written the same way.

use super::refs::Refs;
use super::{Tally, locked_months};
use crate::StoreError;
use crate::bulk::insert_values;
use crate::row::{SqlBuf, Val, i64_, text};
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use std::hash::Hash;
use zhantu_domain::imports::RowError;

/// A table of one amount per key and month.
struct MonthlyTable {
    table: &'static str,
    key: &'static str,
    amount: &'static str,
}

const INVESTMENT: MonthlyTable = MonthlyTable {
    table: "monthly_investment",
    key: "project_id",
    amount: "amount",
};

const FAI: MonthlyTable = MonthlyTable {
    table: "fai_monthly",
    key: "division_code",
    amount: "cumulative",
};

/// One imported row: its month and amount, and its key with the key's label for the tally
/// (none when the key names nothing: `Refs::check` reported it).
struct Monthly<K> {
    line: u32,
    year: i32,
    month: u32,
    amount: i64,
    key: Option<(K, String)>,
}

/// The key column's type: a project id, or a division code.
trait MonthlyKey: Hash + Eq + Clone + Into<Val> {
    fn read(r: &AnyRow, column: &str) -> Result<Self, StoreError>;
}

impl MonthlyKey for i64 {
    fn read(r: &AnyRow, column: &str) -> Result<Self, StoreError> {
        i64_(r, column)
    }
}

impl MonthlyKey for String {
    fn read(r: &AnyRow, column: &str) -> Result<Self, StoreError> {
        text(r, column)
    }
}

pub(super) async fn import_investment(
    c: &mut AnyConnection,
    engine: crate::Engine,
    rows: &[zhantu_domain::imports::InvestmentRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let projects = &refs.projects;
    let rows = rows.iter().map(|r| Monthly {
        line: r.line,
        year: r.year,
        month: r.month,
        amount: r.amount.yuan(),
        key: projects.find(&r.project).map(|pid| (pid, r.project.describe())),
    });
    import_monthly(c, engine, &INVESTMENT, rows.collect(), t).await
}

pub(super) async fn import_fai(
    c: &mut AnyConnection,
    engine: crate::Engine,
    rows: &[zhantu_domain::imports::FaiRow],
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let rows = rows.iter().map(|r| Monthly {
        line: r.line,
        year: r.year,
        month: r.month,
        amount: r.cumulative.yuan(),
        key: Some((r.division.as_str().to_string(), r.division.as_str().to_string())),
    });
    import_monthly(c, engine, &FAI, rows.collect(), t).await
}

/// Writes the amounts of unlocked months: updates the changed ones, inserts the new ones (in
/// bulk, and only when the whole import is free of errors).
async fn import_monthly<K: MonthlyKey>(
    c: &mut AnyConnection,
    engine: crate::Engine,
    m: &MonthlyTable,
    rows: Vec<Monthly<K>>,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let locked = locked_months(c).await?;
    let mut existing: HashMap<(K, i64, i64), i64> = HashMap::new();
    for r in sqlx::query(&format!("SELECT {}, year, month, {} FROM {}", m.key, m.amount, m.table))
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert((K::read(&r, m.key)?, i64_(&r, "year")?, i64_(&r, "month")?), i64_(&r, m.amount)?);
    }
    let mut inserts = Vec::new();
    let total = rows.len();
    for (i, r) in rows.into_iter().enumerate() {
        t.at_row(i, total);
        let month = format!("{}-{:02}", r.year, r.month);
        if locked.contains(&(r.year as i64, r.month as i64)) {
            t.errors.push(RowError::new(r.line, "月份", &month, "该月已锁定，不能再修改"));
            continue;
        }
        let Some((key, label)) = r.key else { continue };
        let tally_key = format!("{label}/{month}");
        match existing.get(&(key.clone(), r.year as i64, r.month as i64)) {
            Some(a) if *a == r.amount => t.unchanged += 1,
            Some(_) => {
                let update = SqlBuf {
                    sql: format!(
                        "UPDATE {} SET {} = $1 WHERE {} = $2 AND year = $3 AND month = $4",
                        m.table, m.amount, m.key
                    ),
                    args: vec![r.amount.into(), key.into(), r.year.into(), r.month.into()],
                };
                update.query().execute(&mut *c).await?;
                t.changed(tally_key);
            }
            None => {
                inserts.push(vec![key.into(), r.year.into(), r.month.into(), r.amount.into()]);
                t.created(tally_key);
            }
        }
    }
    if t.errors.is_empty() {
        insert_values(c, engine, m.table, &[m.key, "year", "month", m.amount], inserts).await?;
    }
    Ok(())
}
