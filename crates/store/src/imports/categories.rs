//! Importing categories (项目类别) with their landing targets: matched by code; the rows of a
//! category are its whole list of yearly targets (a year it no longer names loses its target).

use super::{Outcome, Tally, keyed, set_yearly, upsert, yearly_values};
use crate::row::{Val, i64_, opt_i64, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap};
use zhantu_domain::imports::{CategoryRow, ImportKind, export_columns};
use zhantu_domain::table::{Cell, Table};

const COLS: &[(&str, bool)] = &[("code", false), ("name", false), ("tracks_landing", true), ("sort_order", true)];
/// A category's landing target of a year: (table, category column, value column).
const TARGETS: (&str, &str, &str) = ("category_targets", "category_id", "target_tenths");

pub(super) async fn import_categories(c: &mut AnyConnection, rows: &[CategoryRow], t: &mut Tally<'_>) -> Result<(), StoreError> {
    let existing = keyed(c, "SELECT id, code, name, tracks_landing, sort_order FROM categories", COLS, |r| {
        text(r, "code")
    })
    .await?;
    let targets = yearly_values(c, TARGETS.0, TARGETS.1, TARGETS.2).await?;
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
                for (key, old) in targets.iter().filter(|((cat, y), _)| *cat == id && !named.contains(y)) {
                    set_yearly(c, TARGETS, *key, Some(*old), None).await?;
                    t.removed += 1;
                }
                id
            }
        };
        if let (Some(year), Some(target)) = (r.year.map(i64::from), r.target_tenths) {
            let target_outcome = set_yearly(c, TARGETS, (id, year), targets.get(&(id, year)).copied(), Some(target)).await?;
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
