//! Importing supervision rounds (督查): a round is known by its name and day; its rows are its
//! whole list of projects visited, each with what was found. A round with a report is closed.

use super::export::{date_cell, project_key, text_cell};
use super::refs::Refs;
use super::{Outcome, Tally, by_name_and_day, groups, upsert};
use crate::row::{Val, i64_, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::imports::{ImportKind, SupervisionRow, export_columns};
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("name", false),
    ("leader_id", true),
    ("held_on", false),
    ("summary", false),
    ("status", false),
    ("report", false),
];

pub(super) async fn import_supervision(
    c: &mut AnyConnection,
    rows: &[SupervisionRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let existing = by_name_and_day(c, "supervision_rounds", COLS, "held_on").await?;
    let mut done = 0;
    for group in groups(rows, |r| (r.name.clone(), r.held_on)) {
        let head = group[0];
        // Unknown leaders and projects were reported by `Refs::check`.
        let Some(leader) = refs.person(&head.leader) else { continue };
        let targets: Option<Vec<Option<(i64, &str)>>> = group
            .iter()
            .map(|r| {
                let pid = refs.project_if_named(r.target.as_ref().map(|(p, _)| p))?;
                Some(pid.zip(r.target.as_ref().map(|(_, f)| f.as_str())))
            })
            .collect();
        let Some(targets) = targets else { continue };
        let status = if head.report.is_empty() { "open" } else { "closed" };
        let v: Vec<Val> = vec![
            (&head.name).into(),
            leader.into(),
            head.held_on.into(),
            (&head.summary).into(),
            status.into(),
            (&head.report).into(),
        ];
        let (id, round) = upsert(
            c,
            "supervision_rounds",
            COLS,
            existing.get(&(head.name.clone(), head.held_on.to_string())),
            &v,
            true,
        )
        .await?;
        let mut have: HashMap<i64, String> = HashMap::new();
        for r in sqlx::query("SELECT project_id, finding FROM supervision_targets WHERE round_id = $1")
            .bind(id)
            .fetch_all(&mut *c)
            .await?
        {
            have.insert(i64_(&r, "project_id")?, text(&r, "finding")?);
        }
        for (i, (r, target)) in group.iter().zip(&targets).enumerate() {
            let this = match target {
                None => Outcome::Unchanged,
                Some((pid, finding)) => match have.remove(pid) {
                    Some(old) if old == *finding => Outcome::Unchanged,
                    Some(_) => {
                        sqlx::query("UPDATE supervision_targets SET finding = $1 WHERE round_id = $2 AND project_id = $3")
                            .bind(*finding)
                            .bind(id)
                            .bind(*pid)
                            .execute(&mut *c)
                            .await?;
                        Outcome::Changed
                    }
                    None => {
                        sqlx::query(
                            "INSERT INTO supervision_targets (round_id, project_id, finding, found_by) VALUES ($1, $2, $3, 'import')",
                        )
                        .bind(id)
                        .bind(*pid)
                        .bind(*finding)
                        .execute(&mut *c)
                        .await?;
                        Outcome::Created
                    }
                },
            };
            t.group_row(&mut done, rows.len(), (i, round), this, format!("{} {}", r.name, r.line));
        }
        // The projects the round had that the file no longer names.
        for pid in have.keys() {
            sqlx::query("DELETE FROM supervision_targets WHERE round_id = $1 AND project_id = $2")
                .bind(id)
                .bind(*pid)
                .execute(&mut *c)
                .await?;
            t.removed += 1;
        }
    }
    Ok(())
}

impl Store {
    /// Every supervision round with the projects it visited, one row each.
    pub async fn export_supervision(&self) -> Result<Table, StoreError> {
        let mut t = Table::new(ImportKind::Supervision.label_zh(), export_columns(ImportKind::Supervision));
        for r in sqlx::query(
            "SELECT s.name, pe.name AS leader_name, s.held_on, s.summary, s.report, p.id AS pid, p.code, p.external_id AS pext, st.finding \
             FROM supervision_rounds s JOIN people pe ON pe.id = s.leader_id LEFT JOIN supervision_targets st ON st.round_id = s.id \
             LEFT JOIN projects p ON p.id = st.project_id ORDER BY s.id, p.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let (code, pext) = project_key(&r)?;
            t.push(vec![
                text(&r, "name")?.into(),
                text(&r, "leader_name")?.into(),
                date_cell(Some(text(&r, "held_on")?)),
                text_cell(text(&r, "summary")?),
                text_cell(text(&r, "report")?),
                code.into(),
                pext.into(),
                text_cell(crate::row::opt_text(&r, "finding")?.unwrap_or_default()),
            ]);
        }
        Ok(t)
    }
}
