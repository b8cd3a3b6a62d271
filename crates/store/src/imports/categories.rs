//! Importing categories (项目类别) with their landing targets: matched by code; the rows of a
//! category are its whole list of yearly targets (a year it no longer names loses its target).

use super::{Outcome, Tally, keyed, upsert};
use crate::row::{Val, i64_, opt_i64, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};
use zhantu_domain::imports::{CategoryRow, ImportKind, export_columns};
use zhantu_domain::table::{Cell, Table};

const COLS: &[(&str, bool)] = &[("code", false), ("name", false), ("tracks_landing", true), ("sort_order", true)];

pub(super) async fn import_categories(c: &mut AnyConnection, rows: &[CategoryRow], t: &mut Tally<'_>) -> Result<(), StoreError> {
    let existing = keyed(c, "SELECT id, code, name, tracks_landing, sort_order FROM categories", COLS, |r| {
        text(r, "code")
    })
    .await?;
    let mut targets: HashMap<(i64, i64), i64> = HashMap::new();
    for r in sqlx::query("SELECT category_id, year, target_tenths FROM category_targets")
        .fetch_all(&mut *c)
        .await?
    {
        targets.insert((i64_(&r, "category_id")?, i64_(&r, "year")?), i64_(&r, "target_tenths")?);
    }
    // The category of each code, written with its first row.
    let mut done: HashMap<String, i64> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        let mut outcome = Outcome::Unchanged;
        let id = match done.get(&r.code) {
            Some(id) => *id,
            None => {
                let before = existing.get(&r.code);
                let sort = match (r.sort_order, before) {
                    (Some(s), _) => Val::I(s),
                    (None, Some((_, old))) => old[3].clone(),
                    (None, None) => Val::I(0),
                };
                let v = vec![(&r.code).into(), (&r.name).into(), r.tracks_landing.into(), sort];
                let (id, o) = upsert(c, "categories", COLS, before, &v, true).await?;
                outcome = o;
                done.insert(r.code.clone(), id);
                // The years this file does not give a target for lose theirs.
                let named: Vec<i64> = rows
                    .iter()
                    .filter(|x| x.code == r.code && x.target_tenths.is_some())
                    .filter_map(|x| x.year.map(i64::from))
                    .collect();
                for ((cat, year), _) in targets.iter().filter(|((cat, y), _)| *cat == id && !named.contains(y)) {
                    sqlx::query("DELETE FROM category_targets WHERE category_id = $1 AND year = $2")
                        .bind(*cat)
                        .bind(*year)
                        .execute(&mut *c)
                        .await?;
                    t.removed += 1;
                }
                id
            }
        };
        if let (Some(year), Some(target)) = (r.year.map(i64::from), r.target_tenths) {
            let target_outcome = match targets.get(&(id, year)) {
                Some(old) if *old == target => Outcome::Unchanged,
                Some(_) => {
                    sqlx::query("UPDATE category_targets SET target_tenths = $1 WHERE category_id = $2 AND year = $3")
                        .bind(target)
                        .bind(id)
                        .bind(year)
                        .execute(&mut *c)
                        .await?;
                    Outcome::Changed
                }
                None => {
                    sqlx::query("INSERT INTO category_targets (category_id, year, target_tenths) VALUES ($1, $2, $3)")
                        .bind(id)
                        .bind(year)
                        .bind(target)
                        .execute(&mut *c)
                        .await?;
                    Outcome::Created
                }
            };
            outcome = outcome.and(target_outcome);
        }
        t.row(outcome, format!("{} {}", r.code, r.year.map(|y| y.to_string()).unwrap_or_default()));
    }
    Ok(())
}

/// A target in tenths of a percent as the sheet writes it: `50`, `52.5`.
fn percent_text(tenths: i64) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, (tenths % 10).abs())
    }
}

impl Store {
    /// Every category, one row per year it has a target for (one row without a year when it
    /// has none).
    pub async fn export_categories(&self) -> Result<Table, StoreError> {
        let mut targets: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
        for r in sqlx::query("SELECT category_id, year, target_tenths FROM category_targets ORDER BY year")
            .fetch_all(&self.pool)
            .await?
        {
            targets
                .entry(i64_(&r, "category_id")?)
                .or_default()
                .push((i64_(&r, "year")?, i64_(&r, "target_tenths")?));
        }
        let mut t = Table::new(ImportKind::Categories.label_zh(), export_columns(ImportKind::Categories));
        for r in sqlx::query("SELECT id, code, name, tracks_landing, sort_order FROM categories ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?
        {
            let head = |year: Option<i64>, target: Option<i64>| -> Result<Vec<Cell>, StoreError> {
                Ok(vec![
                    text(&r, "code")?.into(),
                    text(&r, "name")?.into(),
                    if i64_(&r, "tracks_landing")? != 0 { "是" } else { "否" }.into(),
                    opt_i64(&r, "sort_order")?.into(),
                    year.into(),
                    target.map(percent_text).into(),
                ])
            };
            match targets.get(&i64_(&r, "id")?) {
                Some(years) => {
                    for (year, target) in years {
                        t.push(head(Some(*year), Some(*target))?);
                    }
                }
                None => t.push(head(None, None)?),
            }
        }
        Ok(t)
    }
}
