//! Importing problems: matched by external id; a row without one by its project (or
//! enterprise, or neither), the day it was raised and its description, among the problems
//! that have no external id. A new problem without a deadline gets the default limit from the
//! day it was raised (`zhantu_domain::problems::default_deadline`); an existing one keeps its
//! own.

use super::refs::Refs;
use super::{Tally, bind_all, dbg, update_by_id, vals};
use crate::StoreError;
use crate::row::{Val, i64_, opt_i64, opt_text, text};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::problems::default_deadline;

const COLS: &[(&str, bool)] = &[
    ("external_id", false),
    ("project_id", true),
    ("enterprise_id", true),
    ("category", false),
    ("description", false),
    ("unit_id", true),
    ("raised_on", false),
    ("deadline", false),
    ("status", false),
    ("resolved_on", false),
    ("closed_on", false),
];

/// What a problem without an external id is known by: its project (or its enterprise, or
/// neither), the day it was raised and its description.
fn natural_key(project: Option<i64>, enterprise: Option<i64>, raised_on: &str, description: &str) -> String {
    let on = match (project, enterprise) {
        (Some(p), _) => format!("p{p}"),
        (None, Some(e)) => format!("e{e}"),
        (None, None) => String::new(),
    };
    format!("{on}|{raised_on}|{description}")
}

pub(super) async fn import_problems(
    c: &mut AnyConnection,
    cal: &WorkCalendar,
    rows: &[zhantu_domain::imports::ProblemRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let cols: Vec<&str> = COLS.iter().map(|(c, _)| *c).collect();
    let mut by_external: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    let mut by_natural: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    for r in sqlx::query(&format!("SELECT id, {} FROM problems ORDER BY id", cols.join(", ")))
        .fetch_all(&mut *c)
        .await?
    {
        let id = i64_(&r, "id")?;
        let v = vals(&r, COLS)?;
        match opt_text(&r, "external_id")? {
            Some(ext) => {
                by_external.insert(ext, (id, v));
            }
            None => {
                let key = natural_key(
                    opt_i64(&r, "project_id")?,
                    opt_i64(&r, "enterprise_id")?,
                    &text(&r, "raised_on")?,
                    &text(&r, "description")?,
                );
                by_natural.entry(key).or_insert((id, v));
            }
        }
    }
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // Names the district does not have were reported by `Refs::check`.
        let Some(project) = refs.project_if_named(r.project.as_ref()) else {
            continue;
        };
        let enterprise = match &r.enterprise {
            Some(code) => match refs.enterprise(code.as_str()) {
                Some(id) => Some(id),
                None => continue,
            },
            None => None,
        };
        let Some(unit) = refs.unit(&r.unit) else { continue };
        let natural = natural_key(project, enterprise, &r.raised_on.to_string(), &r.description);
        let found = r
            .external_id
            .as_ref()
            .and_then(|e| by_external.get(e))
            .or_else(|| by_natural.get(&natural));
        let mut v: Vec<Val> = vec![
            r.external_id.clone().into(),
            project.into(),
            enterprise.into(),
            (&r.category).into(),
            (&r.description).into(),
            unit.into(),
            r.raised_on.into(),
            r.deadline.unwrap_or_else(|| default_deadline(cal, r.raised_on)).into(),
            r.status.code().into(),
            r.resolved_on.into(),
            r.closed_on.into(),
        ];
        let key = r.external_id.clone().unwrap_or_else(|| natural.clone());
        match found {
            Some((id, old)) => {
                // What the row leaves out (external id, enterprise, deadline), the problem keeps.
                if r.external_id.is_none() {
                    v[0] = old[0].clone();
                }
                if r.enterprise.is_none() {
                    v[2] = old[2].clone();
                }
                if r.deadline.is_none() {
                    v[7] = old[7].clone();
                }
                if dbg(old) == dbg(&v) {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "problems", COLS, &v, ", version = version + 1", *id).await?;
                t.changed(key);
            }
            None => {
                let ph: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
                bind_all(
                    sqlx::query(&format!("INSERT INTO problems ({}) VALUES ({})", cols.join(", "), ph.join(", "))),
                    &v,
                )
                .execute(&mut *c)
                .await?;
                t.created(key);
            }
        }
    }
    Ok(())
}
