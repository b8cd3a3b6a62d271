//! Importing people (人员): matched by name and unit.

use super::export::text_cell;
use super::refs::Refs;
use super::{Tally, keyed, upsert};
use crate::row::{i64_, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use zhantu_domain::imports::{ImportKind, PersonRow, export_columns};
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("name", false),
    ("title", false),
    ("unit_id", true),
    ("is_leader", true),
    ("phone", false),
];

pub(super) async fn import_people(c: &mut AnyConnection, rows: &[PersonRow], refs: &Refs, t: &mut Tally<'_>) -> Result<(), StoreError> {
    let existing = keyed(
        c,
        "SELECT id, name, title, unit_id, is_leader, phone FROM people WHERE active = 1 ORDER BY id DESC",
        COLS,
        |r| Ok((text(r, "name")?, i64_(r, "unit_id")?)),
    )
    .await?;
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // An unknown unit was reported by `Refs::check`.
        let Some(unit) = refs.unit(&r.unit) else { continue };
        let v = vec![
            (&r.name).into(),
            (&r.title).into(),
            unit.into(),
            r.is_leader.into(),
            (&r.phone).into(),
        ];
        let (_, outcome) = upsert(c, "people", COLS, existing.get(&(r.name.clone(), unit)), &v, true).await?;
        t.row(outcome, format!("{}（{}）", r.name, r.unit));
    }
    Ok(())
}

impl Store {
    /// The people in use, with their units.
    pub async fn export_people(&self) -> Result<Table, StoreError> {
        let mut t = Table::new(ImportKind::People.label_zh(), export_columns(ImportKind::People));
        for r in sqlx::query(
            "SELECT p.name, p.title, u.name AS unit_name, p.is_leader, p.phone FROM people p JOIN units u ON u.id = p.unit_id \
             WHERE p.active = 1 ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            t.push(vec![
                text(&r, "name")?.into(),
                text_cell(text(&r, "title")?),
                text(&r, "unit_name")?.into(),
                if i64_(&r, "is_leader")? != 0 { "是" } else { "否" }.into(),
                text_cell(text(&r, "phone")?),
            ]);
        }
        Ok(t)
    }
}
