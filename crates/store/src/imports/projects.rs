//! Importing projects: matched by code or external id, references resolved by name.

use super::{Tally, dbg, effective_external, now, refs, update_by_id, vals};
use crate::bulk::insert_values;
use crate::row::{Val, i64_, opt_text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::imports::RowError;

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
        t: &mut Tally<'_>,
    ) -> Result<(), StoreError> {
        let refs = refs(c).await?;
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
            let mut bad = |col: &str, value: &str, reason: &str| t.errors.push(RowError::new(r.line, col, value, reason));
            let unit = refs.units.get(&r.unit).copied();
            if unit.is_none() {
                bad("责任单位", &r.unit, "系统中没有这个单位");
            }
            let leader = match &r.leader {
                Some(l) => match refs.people.get(l) {
                    Some(id) => Some(*id),
                    None => {
                        bad("联系领导", l, "系统中没有这个人员");
                        continue;
                    }
                },
                None => None,
            };
            let Some(ptype) = refs.types.get(&r.project_type).cloned() else {
                bad("项目类型", &r.project_type, "系统中没有这个项目类型");
                continue;
            };
            let Some(unit) = unit else { continue };
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
                        sqlx::query("INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, $2, $3, $4, '导入', 'import')")
                            .bind(id)
                            .bind(a.as_str())
                            .bind(b.as_str())
                            .bind(crate::today_in_china().to_string())
                            .execute(&mut *c)
                            .await?;
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
