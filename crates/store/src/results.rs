//! Results after operation (`results_promises`, `results_years`): a project's promise at signing
//! and its reported years, read and written together (one audited, versioned write), and the
//! rows the figures of `zhantu_domain::results` take: every project with a promise or results,
//! its unit, land, stage and the attraction team of the signed lead linked to it.

use crate::Store;
use crate::audit::AuditCtx;
use crate::error::StoreError;
use crate::row::{SqlBuf, i64_, opt_i64, text};
use crate::writes::{commit_audited, now};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;
use zhantu_domain::results::{Promise, ResultsInput, YearResult};
use zhantu_domain::{LandArea, Money, Stage};

/// A project's promise and reported years as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectResults {
    pub project_id: i64,
    pub name: String,
    pub unit_id: i64,
    /// The project's land (用地面积), which the per-亩 figures divide by.
    pub land: Option<LandArea>,
    pub promise: Option<Promise>,
    /// The promise's version (0 when there is none): a write names it to be sure it saw the
    /// latest.
    pub version: i64,
    pub updated_by: Option<String>,
    pub updated_at: Option<String>,
    /// Earliest first.
    pub years: Vec<YearResult>,
}

/// One project as the figures read it.
#[derive(Debug, Clone, Serialize)]
pub struct ResultsRow {
    pub project_id: i64,
    pub code: Option<String>,
    pub name: String,
    pub unit_id: i64,
    pub stage: Stage,
    pub land: Option<LandArea>,
    /// The attraction team (招商组) of the first signed or landed lead linked to the project.
    pub team_unit_id: Option<i64>,
    pub promise: Option<Promise>,
    pub years: Vec<YearResult>,
}

fn promise_of(row: &AnyRow) -> Result<Promise, StoreError> {
    Ok(Promise {
        output: Money::from_yuan(i64_(row, "output")?),
        tax: Money::from_yuan(i64_(row, "tax")?),
        jobs: i64_(row, "jobs")?,
        energy_tce: i64_(row, "energy_tce")?,
        full_production_year: i64_(row, "full_production_year")? as i32,
        investment_per_mu: opt_i64(row, "investment_per_mu")?.map(Money::from_yuan),
    })
}

fn year_of(row: &AnyRow) -> Result<YearResult, StoreError> {
    Ok(YearResult {
        year: i64_(row, "year")? as i32,
        output: Money::from_yuan(i64_(row, "output")?),
        tax: Money::from_yuan(i64_(row, "tax")?),
        jobs: i64_(row, "jobs")?,
        energy_tce: i64_(row, "energy_tce")?,
    })
}

fn snapshot(r: &ProjectResults) -> serde_json::Value {
    json!({ "promise": r.promise, "years": r.years, "version": r.version })
}

const PROMISE_COLUMNS: &str = "output, tax, jobs, energy_tce, full_production_year, investment_per_mu";

async fn read_in(conn: &mut sqlx::AnyConnection, project_id: i64) -> Result<ProjectResults, StoreError> {
    let project = sqlx::query("SELECT name, unit_id, land_area_centi_mu FROM projects WHERE id = $1")
        .bind(project_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let promise = sqlx::query(&format!(
        "SELECT {PROMISE_COLUMNS}, updated_by, updated_at, version FROM results_promises WHERE project_id = $1"
    ))
    .bind(project_id)
    .fetch_optional(&mut *conn)
    .await?;
    let years = sqlx::query("SELECT year, output, tax, jobs, energy_tce FROM results_years WHERE project_id = $1 ORDER BY year")
        .bind(project_id)
        .fetch_all(&mut *conn)
        .await?;
    Ok(ProjectResults {
        project_id,
        name: text(&project, "name")?,
        unit_id: i64_(&project, "unit_id")?,
        land: opt_i64(&project, "land_area_centi_mu")?.map(LandArea::from_centi_mu),
        promise: promise.as_ref().map(promise_of).transpose()?,
        version: promise.as_ref().map(|r| i64_(r, "version")).transpose()?.unwrap_or(0),
        updated_by: promise.as_ref().map(|r| text(r, "updated_by")).transpose()?,
        updated_at: promise.as_ref().map(|r| text(r, "updated_at")).transpose()?,
        years: years.iter().map(year_of).collect::<Result<_, _>>()?,
    })
}

impl Store {
    /// A project's promise and years (404 when there is no such project).
    pub async fn project_results(&self, project_id: i64) -> Result<ProjectResults, StoreError> {
        let mut conn = self.pool.acquire().await?;
        read_in(&mut conn, project_id).await
    }

    /// Replaces a project's promise (removed when `None`) and its years with `input`, refusing a
    /// stale `version` (the promise's as read, 0 when there was none); audited before → after.
    pub async fn save_results(
        &self,
        project_id: i64,
        version: Option<i64>,
        input: &ResultsInput,
        ctx: &AuditCtx,
    ) -> Result<ProjectResults, StoreError> {
        let mut tx = self.begin_locked().await?;
        let before = read_in(&mut tx, project_id).await?;
        if version.is_some_and(|v| v != before.version) {
            drop(tx);
            // Named by the audit entries' entity, whose last writer the refusal names.
            let entity = "project";
            return Err(self.conflict(entity, project_id).await?);
        }
        sqlx::query("DELETE FROM results_promises WHERE project_id = $1")
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        if let Some(p) = &input.promise {
            sqlx::query(&format!(
                "INSERT INTO results_promises (project_id, {PROMISE_COLUMNS}, updated_by, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ))
            .bind(project_id)
            .bind(p.output.yuan())
            .bind(p.tax.yuan())
            .bind(p.jobs)
            .bind(p.energy_tce)
            .bind(p.full_production_year as i64)
            .bind(p.investment_per_mu.map(Money::yuan))
            .bind(&ctx.actor)
            .bind(now())
            .bind(before.version + 1)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("DELETE FROM results_years WHERE project_id = $1")
            .bind(project_id)
            .execute(&mut *tx)
            .await?;
        for y in &input.years {
            sqlx::query("INSERT INTO results_years (project_id, year, output, tax, jobs, energy_tce) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(project_id)
                .bind(y.year as i64)
                .bind(y.output.yuan())
                .bind(y.tax.yuan())
                .bind(y.jobs)
                .bind(y.energy_tce)
                .execute(&mut *tx)
                .await?;
        }
        let after = read_in(&mut tx, project_id).await?;
        commit_audited(
            tx,
            ctx,
            ("results.save", "project", Some(project_id)),
            Some(&snapshot(&before)),
            Some(&snapshot(&after)),
        )
        .await?;
        Ok(after)
    }

    /// Every project with a promise or reported results, with what the figures need; only the
    /// projects of `scope` (unit ids) when given. Ordered by unit, then project.
    pub async fn results_rows(&self, scope: Option<&[i64]>) -> Result<Vec<ResultsRow>, StoreError> {
        let mut q = SqlBuf::new(&format!(
            "SELECT p.id, p.code, p.name, p.unit_id, p.stage, p.land_area_centi_mu, \
             r.{}, r.version FROM projects p LEFT JOIN results_promises r ON r.project_id = p.id \
             WHERE (r.project_id IS NOT NULL OR EXISTS (SELECT 1 FROM results_years y WHERE y.project_id = p.id))",
            PROMISE_COLUMNS.replace(", ", ", r.")
        ));
        if let Some(units) = scope {
            q.push(" AND p.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" ORDER BY p.unit_id, p.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let stage_code = text(row, "stage")?;
            let stage = Stage::from_code(&stage_code).ok_or_else(|| crate::writes::corrupt("projects.stage", &stage_code))?;
            let has_promise = opt_i64(row, "version")?.is_some();
            out.push(ResultsRow {
                project_id: i64_(row, "id")?,
                code: crate::row::opt_text(row, "code")?,
                name: text(row, "name")?,
                unit_id: i64_(row, "unit_id")?,
                stage,
                land: opt_i64(row, "land_area_centi_mu")?.map(LandArea::from_centi_mu),
                team_unit_id: None,
                promise: if has_promise { Some(promise_of(row)?) } else { None },
                years: Vec::new(),
            });
        }
        if out.is_empty() {
            return Ok(out);
        }
        let index: BTreeMap<i64, usize> = out.iter().enumerate().map(|(i, r)| (r.project_id, i)).collect();
        let mut q = SqlBuf::new("SELECT project_id, year, output, tax, jobs, energy_tce FROM results_years WHERE project_id IN ");
        q.in_list(index.keys().copied()).push(" ORDER BY project_id, year");
        for row in q.query().fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&i64_(&row, "project_id")?) {
                out[i].years.push(year_of(&row)?);
            }
        }
        let mut q =
            SqlBuf::new("SELECT project_id, team_unit_id FROM attraction_leads WHERE stage IN ('signed', 'landed') AND project_id IN ");
        q.in_list(index.keys().copied()).push(" ORDER BY project_id, id");
        for row in q.query().fetch_all(&self.pool).await? {
            if let Some(&i) = index.get(&i64_(&row, "project_id")?)
                && out[i].team_unit_id.is_none()
            {
                out[i].team_unit_id = Some(i64_(&row, "team_unit_id")?);
            }
        }
        Ok(out)
    }
}
