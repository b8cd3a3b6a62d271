//! Importing units (单位): matched by name among the units in use. A unit's parent may be
//! another row of the same sheet, above or below it: the sheet's new units are created first,
//! then every row's parent is set.

use super::{Outcome, Tally, insert_returning, keyed, upsert};
use crate::row::{Val, opt_i64, opt_text, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::imports::{ImportKind, RowError, UnitRow, export_columns};
use zhantu_domain::model::UnitKind;
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("name", false),
    ("code", false),
    ("parent_id", true),
    ("kind", false),
    ("division_code", false),
    ("sort_order", true),
];

pub(super) async fn import_units(c: &mut AnyConnection, rows: &[UnitRow], t: &mut Tally<'_>) -> Result<(), StoreError> {
    let existing = keyed(
        c,
        "SELECT id, name, code, parent_id, kind, division_code, sort_order FROM units WHERE active = 1 ORDER BY id DESC",
        COLS,
        |r| text(r, "name"),
    )
    .await?;
    let mut ids: HashMap<String, i64> = existing.iter().map(|(n, (id, _))| (n.clone(), *id)).collect();
    let mut parents: HashMap<i64, Option<i64>> = HashMap::new();
    for (id, v) in existing.values() {
        parents.insert(*id, if let Val::I(p) = v[2] { Some(p) } else { None });
    }
    let values = |r: &UnitRow, parent: Option<i64>, old: Option<&Vec<Val>>| -> Vec<Val> {
        let sort = match (r.sort_order, old) {
            (Some(s), _) => Val::I(s),
            (None, Some(old)) => old[5].clone(),
            (None, None) => Val::I(0),
        };
        vec![
            (&r.name).into(),
            r.code.clone().into(),
            parent.into(),
            r.kind.code().into(),
            r.division.as_ref().map(|d| d.as_str()).into(),
            sort,
        ]
    };
    // The sheet's new units first, without a parent, so that any row may name them.
    let mut created: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    for r in rows {
        if ids.contains_key(&r.name) {
            continue;
        }
        let v = values(r, None, None);
        let id = insert_returning(c, "units", COLS, &v).await?;
        ids.insert(r.name.clone(), id);
        created.insert(r.name.clone(), (id, v));
    }
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        let parent = match &r.parent {
            Some(p) => match ids.get(p) {
                Some(id) => Some(*id),
                // A parent that is neither in use nor in the sheet: reported by `Refs::check`.
                None => continue,
            },
            None => None,
        };
        let id = ids[&r.name];
        parents.insert(id, parent);
        let (before, new) = match created.get(&r.name) {
            Some(c) => (Some(c), true),
            None => (existing.get(&r.name), false),
        };
        let v = values(r, parent, before.map(|b| &b.1));
        let (_, outcome) = upsert(c, "units", COLS, before, &v, !new).await?;
        t.row(if new { Outcome::Created } else { outcome }, r.name.clone());
    }
    // A unit may not end up under itself.
    for r in rows {
        let (start, mut at, mut steps) = (ids[&r.name], ids[&r.name], 0);
        while let Some(Some(p)) = parents.get(&at) {
            at = *p;
            steps += 1;
            if at == start || steps > parents.len() {
                t.errors.push(RowError::new(
                    r.line,
                    "上级单位",
                    r.parent.clone().unwrap_or_default(),
                    "上级单位形成了循环（单位成了自己的下级）",
                ));
                break;
            }
        }
    }
    Ok(())
}

impl Store {
    /// The units in use, parents named, in their display order.
    pub async fn export_units(&self) -> Result<Table, StoreError> {
        let mut t = Table::new(ImportKind::Units.label_zh(), export_columns(ImportKind::Units));
        for r in sqlx::query(
            "SELECT u.name, u.code, p.name AS parent_name, u.kind, u.division_code, u.sort_order FROM units u \
             LEFT JOIN units p ON p.id = u.parent_id WHERE u.active = 1 ORDER BY u.sort_order, u.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let kind = text(&r, "kind")?;
            t.push(vec![
                text(&r, "name")?.into(),
                opt_text(&r, "code")?.into(),
                opt_text(&r, "parent_name")?.into(),
                UnitKind::from_code(&kind).map_or(kind.clone(), |k| k.label_zh().to_string()).into(),
                opt_text(&r, "division_code")?.into(),
                opt_i64(&r, "sort_order")?.into(),
            ]);
        }
        Ok(t)
    }
}
