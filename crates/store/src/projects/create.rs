//! Creating a project by hand (新建项目): the form parsed by the domain and checked against
//! what is recorded (its unit, leader, type, code and external id), every refusal at once;
//! then the project, the first entry of its stage history and its nodes from the type's
//! template, as a draft plan its unit may shape until the baseline is approved. One
//! transaction with its audit entry.

use crate::audit::{AuditCtx, append};
use crate::writes::{Tx, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use zhantu_domain::FieldErrors;
use zhantu_domain::nodes::Baseline;
use zhantu_domain::projects::{NewProject, ProjectForm};

/// What the form names, checked against the database: the type's code when it was found.
async fn check_refs(tx: &mut Tx, form: &ProjectForm, p: Option<&NewProject>, e: &mut FieldErrors) -> Result<Option<String>, StoreError> {
    if let Some(u) = form.unit() {
        let active: Option<i64> = sqlx::query_scalar("SELECT active FROM units WHERE id = $1")
            .bind(u)
            .fetch_optional(&mut **tx)
            .await?;
        match active {
            None => e.push("unit_id", "unit_missing", format!("单位 {u} 不存在")),
            Some(0) => e.push("unit_id", "unit_inactive", format!("单位 {u} 已停用")),
            Some(_) => {}
        }
    }
    if let Some(l) = form.leader() {
        let is_leader: Option<i64> = sqlx::query_scalar("SELECT is_leader FROM people WHERE id = $1 AND active = 1")
            .bind(l)
            .fetch_optional(&mut **tx)
            .await?;
        match is_leader {
            None => e.push("leader_id", "leader_missing", format!("人员 {l} 不存在")),
            Some(0) => e.push("leader_id", "person_not_leader", format!("人员 {l} 不是区领导，不能作为包干领导")),
            Some(_) => {}
        }
    }
    let typed = form.project_type.trim();
    let mut code = None;
    if !typed.is_empty() {
        code = sqlx::query_scalar("SELECT code FROM project_types WHERE code = $1 OR name = $1 ORDER BY code LIMIT 1")
            .bind(typed)
            .fetch_optional(&mut **tx)
            .await?;
        if code.is_none() {
            e.push("project_type", "project_type_missing", format!("项目类型“{typed}”不存在"));
        }
    }
    if let Some(p) = p {
        let taken = |column: &str| format!("SELECT id FROM projects WHERE {column} = $1");
        if let Some(c) = &p.code {
            let other: Option<i64> = sqlx::query_scalar(&taken("code"))
                .bind(c.as_str())
                .fetch_optional(&mut **tx)
                .await?;
            if let Some(o) = other {
                e.push("code", "project_code_taken", format!("项目代码 {} 已由项目 {o} 使用", c.as_str()));
            }
        }
        if let Some(x) = &p.external_id {
            let other: Option<i64> = sqlx::query_scalar(&taken("external_id")).bind(x).fetch_optional(&mut **tx).await?;
            if let Some(o) = other {
                e.push("external_id", "external_id_taken", format!("外部编号 {x} 已由项目 {o} 使用"));
            }
        }
    }
    Ok(code)
}

impl Store {
    /// Creates a project from a person's form: every field parsed by the domain and every
    /// reference checked, all refusals at once (`StoreError::Invalid`); its stage history
    /// starts with its stage on its date; its nodes come from the type's template, each the
    /// responsibility of the project's unit unless the template names a department, as a
    /// draft plan. The new project's id.
    pub async fn create_project(&self, form: &ProjectForm, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let as_of = self.as_of().await?;
        let parsed = form.parse(as_of);
        let mut tx = self.begin_locked().await?;
        let mut errors = parsed.as_ref().err().cloned().unwrap_or_default();
        let ptype = check_refs(&mut tx, form, parsed.as_ref().ok(), &mut errors).await?;
        let (p, ptype) = match (parsed, ptype) {
            (Ok(p), Some(t)) if errors.is_empty() => (p, t),
            _ => return Err(StoreError::Invalid(errors)),
        };
        let dates = p.dates();
        let t = now();
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO projects (code, external_id, name, unit_id, leader_id, industry_code, project_type, stage, division_code, location, \
             land_area_centi_mu, total_investment, investor, foreign_investment, planned_year, planned_start_on, started_on, completed_on, \
             description, baseline, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21) RETURNING id",
        )
        .bind(p.code.as_ref().map(|c| c.as_str().to_string()))
        .bind(p.external_id.clone())
        .bind(&p.name)
        .bind(p.unit_id)
        .bind(p.leader_id)
        .bind(p.industry_code.clone())
        .bind(&ptype)
        .bind(p.stage.code())
        .bind(p.division.as_ref().map(|d| d.as_str().to_string()))
        .bind(&p.location)
        .bind(p.land_area.map(|a| a.centi_mu()))
        .bind(p.total_investment.yuan())
        .bind(&p.investor)
        .bind(p.foreign as i64)
        .bind(p.planned_year.get() as i64)
        .bind(day(p.planned_start_on))
        .bind(day(dates.started_on))
        .bind(day(dates.completed_on))
        .bind(&p.description)
        .bind(Baseline::Draft.code())
        .bind(&t)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, NULL, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(p.stage.code())
        .bind(p.stage_on.to_string())
        .bind("新建项目")
        .bind(&ctx.actor)
        .execute(&mut *tx)
        .await?;
        let nodes = Self::insert_template_nodes(&mut tx, id, p.unit_id, &ptype, p.nodes_from).await?;
        self.refresh_project_lights(&mut tx, id).await?;
        self.reindex_project(&mut tx, id).await?;
        let version: i64 = sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "project.create",
            "project",
            Some(id),
            None,
            Some(&json!({
                "name": p.name, "unit_id": p.unit_id, "leader_id": p.leader_id, "project_type": ptype,
                "stage": p.stage.code(), "stage_on": p.stage_on, "total_investment_yuan": p.total_investment.yuan(),
                "planned_year": p.planned_year.get(), "planned_start_on": p.planned_start_on,
                "code": p.code.as_ref().map(|c| c.as_str()), "external_id": p.external_id,
                "started_on": dates.started_on, "completed_on": dates.completed_on,
                "baseline": Baseline::Draft.code(), "nodes": nodes, "version": version,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
