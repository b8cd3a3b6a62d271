//! Importing stage history (阶段变更): the rows of a project are its whole history, matched
//! by day and new stage; the moves a project had that the file does not name are taken off
//! (an earlier project import's dated-today line among them). The project's own stage and
//! its start and completion dates are the project row's: this import writes only the history.

use super::export::{date_cell, project_key, text_cell};
use super::refs::Refs;
use super::{Outcome, Tally};
use crate::row::{SqlBuf, i64_, opt_text, text};
use crate::{ProjectFilter, Store, StoreError};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, HashMap, HashSet};
use zhantu_domain::Stage;
use zhantu_domain::imports::{ImportKind, StageChangeRow, export_columns};
use zhantu_domain::table::Table;

/// A move as stored: (id, from stage code, note).
type Move = (i64, Option<String>, String);

pub(super) async fn import_stage_history(
    c: &mut AnyConnection,
    rows: &[StageChangeRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let total = rows.len();
    // Each project's rows, in file order.
    let mut projects: BTreeMap<i64, Vec<&StageChangeRow>> = BTreeMap::new();
    for r in rows {
        // An unknown project was reported by `Refs::check`.
        if let Some(pid) = refs.project(&r.project) {
            projects.entry(pid).or_default().push(r);
        }
    }
    let mut done = 0;
    for (pid, rows) in projects {
        let mut have: HashMap<(String, String), Move> = HashMap::new();
        for r in sqlx::query("SELECT id, from_stage, to_stage, changed_on, note FROM stage_changes WHERE project_id = $1")
            .bind(pid)
            .fetch_all(&mut *c)
            .await?
        {
            have.insert(
                (text(&r, "changed_on")?, text(&r, "to_stage")?),
                (i64_(&r, "id")?, opt_text(&r, "from_stage")?, text(&r, "note")?),
            );
        }
        let mut kept = HashSet::new();
        for r in rows {
            t.at_row(done, total);
            done += 1;
            let key = (r.on.to_string(), r.to.code().to_string());
            let from = r.from.map(|s| s.code().to_string());
            let outcome = match have.get(&key) {
                Some((id, old_from, old_note)) => {
                    kept.insert(*id);
                    if *old_from == from && *old_note == r.note {
                        Outcome::Unchanged
                    } else {
                        sqlx::query("UPDATE stage_changes SET from_stage = $1, note = $2 WHERE id = $3")
                            .bind(from.as_deref())
                            .bind(&r.note)
                            .bind(*id)
                            .execute(&mut *c)
                            .await?;
                        Outcome::Changed
                    }
                }
                None => {
                    sqlx::query(
                        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, $2, $3, $4, $5, 'import')",
                    )
                    .bind(pid)
                    .bind(from.as_deref())
                    .bind(r.to.code())
                    .bind(r.on.to_string())
                    .bind(&r.note)
                    .execute(&mut *c)
                    .await?;
                    Outcome::Created
                }
            };
            t.row(outcome, format!("{} {} {}", r.project.describe(), r.on, r.to.label_zh()));
        }
        for (id, _, _) in have.values().filter(|(id, _, _)| !kept.contains(id)) {
            sqlx::query("DELETE FROM stage_changes WHERE id = $1")
                .bind(*id)
                .execute(&mut *c)
                .await?;
            t.removed += 1;
        }
    }
    Ok(())
}

impl Store {
    /// The stage history of every project matching `f`, oldest move first.
    pub async fn export_stage_history(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT p.id AS pid, p.code, p.external_id AS pext, s.from_stage, s.to_stage, s.changed_on, s.note \
             FROM stage_changes s JOIN projects p ON p.id = s.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, s.changed_on, s.id");
        let label = |code: Option<String>| code.and_then(|c| Stage::from_code(&c)).map(|s| s.label_zh());
        let mut t = Table::new(ImportKind::StageHistory.label_zh(), export_columns(ImportKind::StageHistory));
        for r in &q.query().fetch_all(&self.pool).await? {
            let (code, pext) = project_key(r)?;
            t.push(vec![
                code.into(),
                pext.into(),
                label(opt_text(r, "from_stage")?).into(),
                label(Some(text(r, "to_stage")?)).into(),
                date_cell(Some(text(r, "changed_on")?)),
                text_cell(text(r, "note")?),
            ]);
        }
        Ok(t)
    }
}
