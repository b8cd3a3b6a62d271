//! Importing nodes: matched by project and external id or name.

use super::refs::Refs;
use super::{Tally, dbg, update_by_id, vals};
use crate::StoreError;
use crate::row::{Val, i64_, opt_text, text};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::model::NodeStatus;

pub(super) async fn import_nodes(
    c: &mut AnyConnection,
    rows: &[zhantu_domain::imports::NodeRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    const COLS: &[(&str, bool)] = &[
        ("seq", true),
        ("name", false),
        ("external_id", false),
        ("planned_on", false),
        ("forecast_on", false),
        ("actual_on", false),
        ("responsible_unit_id", true),
        ("status", false),
    ];
    // A node without a responsible unit of its own is its project's.
    let mut project_unit: HashMap<i64, i64> = HashMap::new();
    for r in sqlx::query("SELECT id, unit_id FROM projects").fetch_all(&mut *c).await? {
        project_unit.insert(i64_(&r, "id")?, i64_(&r, "unit_id")?);
    }
    let mut existing: HashMap<i64, Vec<Val>> = HashMap::new();
    let mut by_ext: HashMap<(i64, String), i64> = HashMap::new();
    let mut by_name: HashMap<(i64, String), i64> = HashMap::new();
    let mut max_seq: HashMap<i64, i64> = HashMap::new();
    for r in sqlx::query(
        "SELECT id, project_id, seq, name, external_id, planned_on, forecast_on, actual_on, responsible_unit_id, status FROM nodes",
    )
    .fetch_all(&mut *c)
    .await?
    {
        let (id, pid) = (i64_(&r, "id")?, i64_(&r, "project_id")?);
        if let Some(e) = opt_text(&r, "external_id")? {
            by_ext.insert((pid, e), id);
        }
        by_name.entry((pid, text(&r, "name")?)).or_insert(id);
        let seq = i64_(&r, "seq")?;
        let m = max_seq.entry(pid).or_insert(0);
        *m = (*m).max(seq);
        existing.insert(id, vals(&r, COLS)?);
    }
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // Names the district does not have were reported by `Refs::check`.
        let Some(pid) = refs.project(&r.project) else { continue };
        let unit = match &r.unit {
            Some(u) => refs.unit(u),
            None => project_unit.get(&pid).copied(),
        };
        let Some(unit) = unit else { continue };
        let found = r
            .external_id
            .as_ref()
            .and_then(|e| by_ext.get(&(pid, e.clone())))
            .or_else(|| by_name.get(&(pid, r.name.clone())))
            .copied();
        let status = r.status.unwrap_or(if r.actual_on.is_some() {
            NodeStatus::Closed
        } else {
            NodeStatus::Open
        });
        let key = format!("{}/{}", r.project.describe(), r.name);
        match found {
            Some(id) => {
                let old = &existing[&id];
                let seq = r.seq.map(Val::I).unwrap_or_else(|| old[0].clone());
                let ext = r.external_id.clone().map(Val::T).unwrap_or_else(|| old[2].clone());
                let v: Vec<Val> = vec![
                    seq,
                    (&r.name).into(),
                    ext,
                    r.planned_on.into(),
                    r.forecast_on.into(),
                    r.actual_on.into(),
                    unit.into(),
                    status.code().into(),
                ];
                if dbg(old) == dbg(&v) {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "nodes", COLS, &v, ", version = version + 1", id).await?;
                t.changed(key);
            }
            None => {
                let m = max_seq.entry(pid).or_insert(0);
                let seq = r.seq.unwrap_or(*m + 1);
                *m = (*m).max(seq);
                let new_id: i64 = sqlx::query_scalar(
                    "INSERT INTO nodes (project_id, seq, name, external_id, planned_on, baseline_on, forecast_on, actual_on, responsible_unit_id, status) \
                     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(pid)
                .bind(seq)
                .bind(&r.name)
                .bind(r.external_id.as_deref())
                .bind(r.planned_on.to_string())
                .bind(r.forecast_on.map(|d| d.to_string()))
                .bind(r.actual_on.map(|d| d.to_string()))
                .bind(unit)
                .bind(status.code())
                .fetch_one(&mut *c)
                .await?;
                by_name.insert((pid, r.name.clone()), new_id);
                t.created(key);
            }
        }
    }
    Ok(())
}
