//! Importing the land quota ledger (用地指标台账): an entry is known by its day, kind, project
//! and document. Entries are recorded as they were made: the balance check of an allocation
//! made in the app does not judge the ledger's past.

use super::export::{date_cell, project_key, text_cell};
use super::refs::Refs;
use super::{Tally, keyed, upsert};
use crate::row::{Val, i64_, opt_i64, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use zhantu_domain::LandArea;
use zhantu_domain::imports::{ImportKind, LandRow, export_columns};
use zhantu_domain::model::LandEntryKind;
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("entry_on", false),
    ("kind", false),
    ("area_centi_mu", true),
    ("project_id", true),
    ("document", false),
    ("note", false),
];

pub(super) async fn import_land(c: &mut AnyConnection, rows: &[LandRow], refs: &Refs, t: &mut Tally<'_>) -> Result<(), StoreError> {
    let existing = keyed(
        c,
        "SELECT id, entry_on, kind, area_centi_mu, project_id, document, note FROM land_ledger ORDER BY id DESC",
        COLS,
        |r| {
            Ok((
                text(r, "entry_on")?,
                text(r, "kind")?,
                opt_i64(r, "project_id")?,
                text(r, "document")?,
            ))
        },
    )
    .await?;
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // An unknown project was reported by `Refs::check`.
        let Some(project) = refs.project_if_named(r.project.as_ref()) else {
            continue;
        };
        let v: Vec<Val> = vec![
            r.entry_on.into(),
            r.kind.code().into(),
            r.area.centi_mu().into(),
            project.into(),
            (&r.document).into(),
            (&r.note).into(),
        ];
        let before = existing.get(&(r.entry_on.to_string(), r.kind.code().to_string(), project, r.document.clone()));
        let (_, outcome) = upsert(c, "land_ledger", COLS, before, &v, false).await?;
        t.row(outcome, format!("{} {} {}", r.entry_on, r.kind.label_zh(), r.area.mu_exact()));
    }
    Ok(())
}

impl Store {
    /// The land quota ledger, in the order it was kept.
    pub async fn export_land(&self) -> Result<Table, StoreError> {
        let mut t = Table::new(ImportKind::Land.label_zh(), export_columns(ImportKind::Land));
        for r in sqlx::query(
            "SELECT l.entry_on, l.kind, l.area_centi_mu, l.document, l.note, p.id AS pid, p.code, p.external_id AS pext \
             FROM land_ledger l LEFT JOIN projects p ON p.id = l.project_id ORDER BY l.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let kind = text(&r, "kind")?;
            let (code, pext) = project_key(&r)?;
            t.push(vec![
                date_cell(Some(text(&r, "entry_on")?)),
                LandEntryKind::from_code(&kind)
                    .map_or(kind.clone(), |k| k.label_zh().to_string())
                    .into(),
                LandArea::from_centi_mu(i64_(&r, "area_centi_mu")?).into(),
                code.into(),
                pext.into(),
                text_cell(text(&r, "document")?),
                text_cell(text(&r, "note")?),
            ]);
        }
        Ok(t)
    }
}
