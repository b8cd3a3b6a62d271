//! Importing groundbreaking batches (集中开工) with their members: a batch is known by its
//! name and day; its rows are its whole member list. Members are recorded as the file gives
//! them, marked imported: the readiness gate judges admissions made in the app, not history.

use super::export::{date_cell, project_key};
use super::refs::Refs;
use super::{Outcome, Tally, by_name_and_day, groups, sync_list, upsert};
use crate::row::{Val, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::BTreeSet;
use zhantu_domain::imports::{BatchRow, ImportKind, export_columns};
use zhantu_domain::model::BatchLevel;
use zhantu_domain::table::{Cell, Table};

const COLS: &[(&str, bool)] = &[("name", false), ("level", false), ("held_on", false), ("gate_nodes", false)];

pub(super) async fn import_batches(c: &mut AnyConnection, rows: &[BatchRow], refs: &Refs, t: &mut Tally<'_>) -> Result<(), StoreError> {
    let existing = by_name_and_day(c, "batches", COLS, "held_on").await?;
    let mut done = 0;
    for group in groups(rows, |r| (r.name.clone(), r.held_on)) {
        let head = group[0];
        // Unknown projects were reported by `Refs::check`.
        let members: Option<Vec<Option<i64>>> = group.iter().map(|r| refs.project_if_named(r.project.as_ref())).collect();
        let Some(members) = members else { continue };
        let v: Vec<Val> = vec![
            (&head.name).into(),
            head.level.code().into(),
            head.held_on.into(),
            head.gate_nodes.join("、").into(),
        ];
        let (id, batch) = upsert(
            c,
            "batches",
            COLS,
            existing.get(&(head.name.clone(), head.held_on.to_string())),
            &v,
            true,
        )
        .await?;
        let wanted: BTreeSet<i64> = members.iter().flatten().copied().collect();
        let (added, removed) = sync_list(
            c,
            "batch_projects",
            ("batch_id", id),
            None,
            "project_id",
            &wanted,
            &[("imported", 1)],
        )
        .await?;
        t.removed += removed;
        for (i, (r, member)) in group.iter().zip(&members).enumerate() {
            let this = match member {
                Some(p) if added.contains(p) => Outcome::Created,
                _ => Outcome::Unchanged,
            };
            let key = format!("{} {}", r.name, r.project.as_ref().map(|p| p.describe()).unwrap_or_default());
            t.group_row(&mut done, rows.len(), (i, batch), this, key);
        }
    }
    Ok(())
}

impl Store {
    /// Every batch with its members, one row each (a batch without members: one row).
    pub async fn export_batches(&self) -> Result<Table, StoreError> {
        let mut t = Table::new(ImportKind::Batches.label_zh(), export_columns(ImportKind::Batches));
        for r in sqlx::query(
            "SELECT b.id, b.name, b.level, b.held_on, b.gate_nodes, p.id AS pid, p.code, p.external_id AS pext FROM batches b \
             LEFT JOIN batch_projects bp ON bp.batch_id = b.id LEFT JOIN projects p ON p.id = bp.project_id ORDER BY b.id, p.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let level = text(&r, "level")?;
            let (code, pext) = project_key(&r)?;
            t.push(vec![
                text(&r, "name")?.into(),
                BatchLevel::from_code(&level)
                    .map_or(level.clone(), |l| l.label_zh().to_string())
                    .into(),
                date_cell(Some(text(&r, "held_on")?)),
                Cell::from(text(&r, "gate_nodes")?),
                code.into(),
                pext.into(),
            ]);
        }
        Ok(t)
    }
}
