//! Importing problems: matched by external id.

use super::{ProjectIndex, Tally, bind_all, dbg, refs, update_by_id, vals};
use crate::StoreError;
use crate::row::{Val, i64_, opt_text};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::imports::RowError;

pub(super) async fn import_problems(
    c: &mut AnyConnection,
    rows: &[zhantu_domain::imports::ProblemRow],
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    const COLS: &[(&str, bool)] = &[
        ("external_id", false),
        ("project_id", true),
        ("category", false),
        ("description", false),
        ("unit_id", true),
        ("raised_on", false),
        ("deadline", false),
        ("status", false),
        ("resolved_on", false),
        ("closed_on", false),
    ];
    let refs = refs(c).await?;
    let projects = ProjectIndex::load(c).await?;
    let mut existing: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    for r in sqlx::query("SELECT id, external_id, project_id, category, description, unit_id, raised_on, deadline, status, resolved_on, closed_on FROM problems")
        .fetch_all(&mut *c)
        .await?
    {
        let id = i64_(&r, "id")?;
        let mut v = vals(&r, COLS)?;
        let ext = opt_text(&r, "external_id")?.unwrap_or_else(|| format!("WT{id}"));
        v[0] = Val::T(ext.clone());
        existing.insert(ext, (id, v));
    }
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        let project = match &r.project {
            Some(key) => match projects.find(key) {
                Some(id) => Some(id),
                None => {
                    t.errors
                        .push(RowError::new(r.line, "项目代码", key.describe(), "系统中没有这个项目"));
                    continue;
                }
            },
            None => None,
        };
        let Some(unit) = refs.units.get(&r.unit).copied() else {
            t.errors.push(RowError::new(r.line, "责任单位", &r.unit, "系统中没有这个单位"));
            continue;
        };
        let v: Vec<Val> = vec![
            (&r.external_id).into(),
            project.into(),
            (&r.category).into(),
            (&r.description).into(),
            unit.into(),
            r.raised_on.into(),
            r.deadline.into(),
            r.status.code().into(),
            r.resolved_on.into(),
            r.closed_on.into(),
        ];
        match existing.get(&r.external_id) {
            Some((id, old)) => {
                if dbg(old) == dbg(&v) {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "problems", COLS, &v, ", version = version + 1", *id).await?;
                t.changed(r.external_id.clone());
            }
            None => {
                let cols: Vec<&str> = COLS.iter().map(|(c, _)| *c).collect();
                let ph: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
                bind_all(
                    sqlx::query(&format!("INSERT INTO problems ({}) VALUES ({})", cols.join(", "), ph.join(", "))),
                    &v,
                )
                .execute(&mut *c)
                .await?;
                t.created(r.external_id.clone());
            }
        }
    }
    Ok(())
}
