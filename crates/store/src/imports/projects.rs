//! Importing projects: matched by code or external id, references resolved by name.

use super::refs::Refs;
use super::{Tally, dbg, effective_external, now, update_by_id, vals};
use crate::bulk::insert_values;
use crate::row::{Val, i64_, opt_text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::HashMap;

pub(super) const PROJECT_COLS: &[(&str, bool)] = &[
    ("code", false),
    ("external_id", false),
    ("name", false),
    ("unit_id", true),
    ("leader_id", true),
    ("industry_code", false),
    ("project_type", false),
    ("stage", false),
    ("division_code", false),
    ("location", false),
    ("land_area_centi_mu", true),
    ("total_investment", true),
    ("investor", false),
    ("foreign_investment", true),
    ("planned_year", true),
    ("planned_start_on", false),
    ("started_on", false),
    ("completed_on", false),
    ("in_statistics_on", false),
    ("description", false),
];

impl Store {
    pub(super) async fn import_projects(
        &self,
        c: &mut AnyConnection,
        rows: &[zhantu_domain::imports::ProjectRow],
        refs: &Refs,
        t: &mut Tally<'_>,
    ) -> Result<(), StoreError> {
        let sel: Vec<&str> = PROJECT_COLS.iter().map(|(c, _)| *c).collect();
        let mut existing: HashMap<i64, Vec<Val>> = HashMap::new();
        let (mut by_code, mut by_external) = (HashMap::new(), HashMap::new());
        for r in sqlx::query(&format!("SELECT id, {} FROM projects", sel.join(", ")))
            .fetch_all(&mut *c)
            .await?
        {
            let id = i64_(&r, "id")?;
            let mut v = vals(&r, PROJECT_COLS)?;
            let code = opt_text(&r, "code")?;
            let ext = effective_external(id, &code, opt_text(&r, "external_id")?);
            if let Some(e) = &ext {
                by_external.insert(e.clone(), id);
                v[1] = Val::T(e.clone());
            }
            if let Some(code) = code {
                by_code.insert(code, id);
            }
            existing.insert(id, v);
        }
        let now = now();
        let mut inserts: Vec<Vec<Val>> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            t.at_row(i, rows.len());
            // A name the district does not have was reported by `Refs::check`.
            let (Some(unit), Some(ptype)) = (refs.unit(&r.unit), refs.project_type(&r.project_type)) else {
                continue;
            };
            let leader = match &r.leader {
                Some(l) => match refs.person(l) {
                    Some(id) => Some(id),
                    None => continue,
                },
                None => None,
            };
            let key = r
                .code
                .as_ref()
                .map(|c| c.as_str().to_string())
                .or_else(|| r.external_id.clone())
                .unwrap_or_else(|| format!("第{}行", r.line));
            let v: Vec<Val> = vec![
                r.code.as_ref().map(|c| c.as_str()).into(),
                r.external_id.clone().into(),
                (&r.name).into(),
                unit.into(),
                leader.into(),
                r.industry_code.clone().into(),
                ptype.into(),
                r.stage.code().into(),
                r.division.as_ref().map(|d| d.as_str()).into(),
                (&r.location).into(),
                r.land_area.map(|a| a.centi_mu()).into(),
                r.total_investment.yuan().into(),
                (&r.investor).into(),
                r.foreign.into(),
                r.planned_year.into(),
                r.planned_start_on.into(),
                r.started_on.into(),
                r.completed_on.into(),
                r.in_statistics_on.into(),
                (&r.description).into(),
            ];
            let found = r
                .code
                .as_ref()
                .and_then(|c| by_code.get(c.as_str()))
                .or_else(|| r.external_id.as_ref().and_then(|e| by_external.get(e)))
                .copied();
            match found {
                Some(id) => {
                    let old = &existing[&id];
                    // An export writes no external id for a coded project: keep what is there.
                    let mut v = v;
                    if r.external_id.is_none() {
                        v[1] = old[1].clone();
                    }
                    if dbg(old) == dbg(&v) {
                        t.unchanged += 1;
                        continue;
                    }
                    if let (Val::T(a), Val::T(b)) = (&old[7], &v[7])
                        && a != b
                    {
                        record_stage_move(c, id, a, r).await?;
                    }
                    update_by_id(c, "projects", PROJECT_COLS, &v, ", version = version + 1", id).await?;
                    sqlx::query("UPDATE projects SET updated_at = $1 WHERE id = $2")
                        .bind(&now)
                        .bind(id)
                        .execute(&mut *c)
                        .await?;
                    t.changed(key);
                }
                None => {
                    let mut v = v;
                    v.push(now.clone().into());
                    v.push(now.clone().into());
                    inserts.push(v);
                    t.created(key);
                }
            }
        }
        if !t.errors.is_empty() {
            return Ok(());
        }
        let mut cols: Vec<&str> = sel.clone();
        cols.push("created_at");
        cols.push("updated_at");
        insert_values(c, self.engine, "projects", &cols, inserts)
            .await
            .map_err(|e| match e {
                StoreError::Duplicate(_) => StoreError::rule("import_project_duplicate", "项目代码或外部编号与系统中已有项目重复"),
                other => other,
            })?;
        Ok(())
    }
}

/// A project row that moves the project's stage leaves a line in its stage history, dated
/// by the row where it says when (开工 by its start, 竣工 by its completion), else today —
/// unless the history already has the move (imported before, from a stage history sheet,
/// which is where a district's dated history belongs).
async fn record_stage_move(c: &mut AnyConnection, id: i64, from: &str, r: &zhantu_domain::imports::ProjectRow) -> Result<(), StoreError> {
    use zhantu_domain::Stage;
    let known: Option<i64> = sqlx::query_scalar("SELECT id FROM stage_changes WHERE project_id = $1 AND to_stage = $2")
        .bind(id)
        .bind(r.stage.code())
        .fetch_optional(&mut *c)
        .await?;
    if known.is_some() {
        return Ok(());
    }
    let on = match r.stage {
        Stage::Started | Stage::Construction => r.started_on,
        Stage::Completed | Stage::Operating => r.completed_on,
        _ => None,
    }
    .unwrap_or_else(crate::today_in_china);
    sqlx::query(
        "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, $2, $3, $4, '导入', 'import')",
    )
    .bind(id)
    .bind(from)
    .bind(r.stage.code())
    .bind(on.to_string())
    .execute(&mut *c)
    .await?;
    Ok(())
}
