//! Importing problems: matched by external id; a row without one by its project (or
//! enterprise, or neither), the day it was raised and its description (a row with an
//! external id the district does not know yet matches so a problem that has none). A new problem without a deadline gets the default limit from the
//! day it was raised (`zhantu_domain::problems::default_deadline`); an existing one keeps its
//! own.

use super::refs::Refs;
use super::{Tally, upsert, vals};
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
    // By natural key: (id, columns, has an external id).
    let mut by_natural: HashMap<String, (i64, Vec<Val>, bool)> = HashMap::new();
    for r in sqlx::query(&format!("SELECT id, {} FROM problems ORDER BY id", cols.join(", ")))
        .fetch_all(&mut *c)
        .await?
    {
        let id = i64_(&r, "id")?;
        let v = vals(&r, COLS)?;
        let key = natural_key(
            opt_i64(&r, "project_id")?,
            opt_i64(&r, "enterprise_id")?,
            &text(&r, "raised_on")?,
            &text(&r, "description")?,
        );
        let external = opt_text(&r, "external_id")?;
        by_natural.entry(key).or_insert((id, v.clone(), external.is_some()));
        if let Some(ext) = external {
            by_external.insert(ext, (id, v));
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
        // A row with an external id is that problem, or one without an external id yet; a row
        // without one is any problem of its project, day and description.
        let natural_match = by_natural
            .get(&natural)
            .filter(|(_, _, has_external)| r.external_id.is_none() || !has_external)
            .map(|(id, v, _)| (*id, v.clone()));
        let found = r.external_id.as_ref().and_then(|e| by_external.get(e)).cloned().or(natural_match);
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
        // What the row leaves out (external id, enterprise, deadline), the problem keeps.
        if let Some((_, old)) = &found {
            for (i, left_out) in [(0, r.external_id.is_none()), (2, r.enterprise.is_none()), (7, r.deadline.is_none())] {
                if left_out {
                    v[i] = old[i].clone();
                }
            }
        }
        let (_, outcome) = upsert(c, "problems", COLS, found.as_ref(), &v, true).await?;
        t.row(outcome, key);
    }
    Ok(())
}
