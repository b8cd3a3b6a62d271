//! The reads behind the OC4IDS export: the projects of a registry filter (the reader's scope
//! included, as `project_where` applies it to the registry), each with its stage history and
//! its nodes, as the domain's [`ProjectFacts`]; and the district around them. And the import's
//! write: the projects a package reads as, all or none.

use crate::audit::{AuditCtx, append};
use crate::row::{SqlBuf, date, i64_, opt_date, opt_i64, opt_text, read_all, text};
use crate::writes::now;
use crate::{ProjectFilter, Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use std::collections::HashMap;
use zhantu_domain::model::{NodeStatus, UnitKind};
use zhantu_domain::nodes::Baseline;
use zhantu_domain::oc4ids::import::{ImportedProject, ProjectRefusal};
use zhantu_domain::oc4ids::{DEFAULT_PREFIX, District, NodeFacts, ProjectFacts};
use zhantu_domain::{Money, Stage};

const PROJECTS: &str = "SELECT p.id, p.code, p.external_id, p.name, p.description, p.stage, p.project_type, pt.name AS type_name, \
     p.industry_code, p.division_code, p.location, p.lat_e6, p.lng_e6, p.total_investment, p.investor, p.unit_id, \
     u.name AS unit_name, p.planned_start_on, p.started_on, p.completed_on, p.updated_at \
     FROM projects p JOIN units u ON u.id = p.unit_id LEFT JOIN project_types pt ON pt.code = p.project_type";

fn stage(code: &str) -> Result<Stage, StoreError> {
    Stage::from_code(code).ok_or_else(|| StoreError::Corrupt(format!("stage = {code}")))
}

impl Store {
    /// Every project the filter selects (all of them, not a page), ordered by id, with its
    /// stage history and nodes.
    pub async fn oc4ids_projects(&self, f: &ProjectFilter) -> Result<Vec<ProjectFacts>, StoreError> {
        let mut q = SqlBuf::new(PROJECTS);
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id");
        let mut projects = read_all(q.query(), &self.pool, |r| {
            let division_code = opt_text(r, "division_code")?;
            Ok(ProjectFacts {
                id: i64_(r, "id")?,
                code: opt_text(r, "code")?,
                external_id: opt_text(r, "external_id")?,
                name: text(r, "name")?,
                description: text(r, "description")?,
                stage: stage(&text(r, "stage")?)?,
                project_type: text(r, "project_type")?,
                project_type_name: opt_text(r, "type_name")?.unwrap_or_default(),
                industry_code: opt_text(r, "industry_code")?,
                division_name: division_code
                    .as_deref()
                    .and_then(zhantu_domain::reference::division_name)
                    .map(str::to_string),
                division_code,
                location: text(r, "location")?,
                lat_e6: opt_i64(r, "lat_e6")?,
                lng_e6: opt_i64(r, "lng_e6")?,
                total_investment: Money::from_yuan(i64_(r, "total_investment")?),
                investor: text(r, "investor")?,
                unit_id: i64_(r, "unit_id")?,
                unit_name: text(r, "unit_name")?,
                planned_start_on: opt_date(r, "planned_start_on")?,
                started_on: opt_date(r, "started_on")?,
                completed_on: opt_date(r, "completed_on")?,
                updated_at: opt_text(r, "updated_at")?,
                stage_moves: Vec::new(),
                nodes: Vec::new(),
            })
        })
        .await?;
        let at: HashMap<i64, usize> = projects.iter().enumerate().map(|(i, p)| (p.id, i)).collect();

        // The same filter again, as the set of projects whose rows to read.
        let mut q = SqlBuf::new(
            "SELECT s.project_id, s.to_stage, s.changed_on FROM stage_changes s WHERE s.project_id IN (SELECT p.id FROM projects p",
        );
        self.project_where(f, &mut q).await?;
        q.push(") ORDER BY s.project_id, s.changed_on, s.id");
        let moves = read_all(q.query(), &self.pool, |r| {
            Ok((i64_(r, "project_id")?, stage(&text(r, "to_stage")?)?, date(r, "changed_on")?))
        })
        .await?;
        for (project, to, on) in moves {
            if let Some(&i) = at.get(&project) {
                projects[i].stage_moves.push((to, on));
            }
        }

        let mut q = SqlBuf::new(
            "SELECT n.project_id, n.id, n.name, n.planned_on, n.actual_on, n.status FROM nodes n WHERE n.project_id IN (SELECT p.id FROM projects p",
        );
        self.project_where(f, &mut q).await?;
        q.push(") ORDER BY n.project_id, n.seq, n.id");
        let nodes = read_all(q.query(), &self.pool, |r| {
            let status = text(r, "status")?;
            Ok((
                i64_(r, "project_id")?,
                NodeFacts {
                    id: i64_(r, "id")?,
                    name: text(r, "name")?,
                    planned_on: date(r, "planned_on")?,
                    actual_on: opt_date(r, "actual_on")?,
                    status: NodeStatus::from_code(&status).ok_or_else(|| StoreError::Corrupt(format!("nodes.status = {status}")))?,
                },
            ))
        })
        .await?;
        for (project, node) in nodes {
            if let Some(&i) = at.get(&project) {
                projects[i].nodes.push(node);
            }
        }
        Ok(projects)
    }

    /// The district as the package names it: its name (zhantu's own until one is set) and its
    /// registered prefix (the default until one is set).
    pub async fn oc4ids_district(&self) -> Result<District, StoreError> {
        let s = self.district_settings().await?;
        Ok(District {
            name: s.district_name.unwrap_or_else(|| "zhantu".to_string()),
            prefix: s.oc4ids_prefix.unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
        })
    }
}

/// What an import wrote: the new projects' ids and the units it had to create (by name).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Oc4idsImported {
    pub project_ids: Vec<i64>,
    pub units_created: Vec<String>,
}

impl Store {
    /// Writes the projects read from a package, all or none, in one transaction: each with its
    /// stage history and its nodes (a met milestone closed out on its day, the others open, the
    /// plan approved as read), its unit found by name (created under the district when it has
    /// none of that name), its street found by name among the district's. Refused, with every
    /// project's reasons, when a project's type is unknown or its code or package id is taken.
    pub async fn import_oc4ids(
        &self,
        projects: &[ImportedProject],
        ctx: &AuditCtx,
    ) -> Result<Result<Oc4idsImported, Vec<ProjectRefusal>>, StoreError> {
        let settings = self.district_settings().await?;
        let streets = settings
            .district_division
            .as_deref()
            .map(zhantu_domain::reference::streets_and_towns)
            .unwrap_or_default();
        let mut tx = self.begin_locked().await?;
        let types: Vec<String> = sqlx::query_scalar("SELECT code FROM project_types").fetch_all(&mut *tx).await?;
        let root: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
            .fetch_optional(&mut *tx)
            .await?;
        let mut refused = Vec::new();
        for (i, p) in projects.iter().enumerate() {
            let mut reasons = Vec::new();
            if !types.contains(&p.project_type) {
                reasons.push(format!("项目类型“{}”不存在", p.project_type));
            }
            if let Some(c) = &p.code {
                let other: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE code = $1")
                    .bind(c.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if let Some(o) = other {
                    reasons.push(format!("项目代码 {} 已由项目 {o} 使用", c.as_str()));
                }
            }
            let other: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE external_id = $1")
                .bind(&p.oc4ids_id)
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(o) = other {
                reasons.push(format!("项目 {} 已导入（项目 {o}）", p.oc4ids_id));
            }
            if !reasons.is_empty() {
                refused.push(ProjectRefusal {
                    number: i + 1,
                    id: p.oc4ids_id.clone(),
                    reasons,
                });
            }
        }
        if !refused.is_empty() {
            return Ok(Err(refused));
        }

        let t = now();
        let mut units: HashMap<String, i64> = HashMap::new();
        let mut units_created = Vec::new();
        let mut project_ids = Vec::new();
        for p in projects {
            let unit_id = match units.get(&p.unit_name) {
                Some(&id) => id,
                None => {
                    let found: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE name = $1 AND active = 1 ORDER BY id LIMIT 1")
                        .bind(&p.unit_name)
                        .fetch_optional(&mut *tx)
                        .await?;
                    let id = match found {
                        Some(id) => id,
                        None => {
                            let street = streets.iter().find(|s| s.name == p.unit_name);
                            let kind = match street {
                                Some(s) if s.name.ends_with('镇') => UnitKind::Town,
                                Some(_) => UnitKind::Street,
                                None => UnitKind::Department,
                            };
                            let id: i64 = sqlx::query_scalar(
                                "INSERT INTO units (parent_id, name, kind, division_code, sort_order) VALUES ($1, $2, $3, $4, \
                                 (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM units)) RETURNING id",
                            )
                            .bind(root)
                            .bind(&p.unit_name)
                            .bind(kind.code())
                            .bind(street.map(|s| s.code.to_string()))
                            .fetch_one(&mut *tx)
                            .await?;
                            append(
                                &mut tx,
                                ctx,
                                "unit.create",
                                "unit",
                                Some(id),
                                None,
                                Some(&json!({"name": p.unit_name, "kind": kind.code(), "parent_id": root, "from": "oc4ids"})),
                            )
                            .await?;
                            units_created.push(p.unit_name.clone());
                            id
                        }
                    };
                    units.insert(p.unit_name.clone(), id);
                    id
                }
            };
            let division = p
                .locality
                .as_deref()
                .and_then(|l| streets.iter().find(|s| s.name == l))
                .map(|s| s.code.to_string());
            let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO projects (code, external_id, name, unit_id, industry_code, project_type, stage, division_code, location, \
                 total_investment, investor, planned_year, planned_start_on, started_on, completed_on, description, lat_e6, lng_e6, \
                 baseline, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20) RETURNING id",
            )
            .bind(p.code.as_ref().map(|c| c.as_str().to_string()))
            .bind(&p.oc4ids_id)
            .bind(&p.name)
            .bind(unit_id)
            .bind(p.industry_code.clone())
            .bind(&p.project_type)
            .bind(p.stage.code())
            .bind(division)
            .bind(&p.location)
            .bind(p.total_investment.yuan())
            .bind(&p.investor)
            .bind(i64::from(p.planned_year))
            .bind(day(p.planned_start_on))
            .bind(day(p.started_on))
            .bind(day(p.completed_on))
            .bind(&p.description)
            .bind(p.lat_e6)
            .bind(p.lng_e6)
            .bind(Baseline::Approved.code())
            .bind(&t)
            .fetch_one(&mut *tx)
            .await?;
            let mut from: Option<Stage> = None;
            for (to, on) in &p.stage_moves {
                sqlx::query(
                    "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(from.map(|s| s.code().to_string()))
                .bind(to.code())
                .bind(on.to_string())
                .bind("OC4IDS导入")
                .bind(&ctx.actor)
                .execute(&mut *tx)
                .await?;
                from = Some(*to);
            }
            for (seq, n) in p.nodes.iter().enumerate() {
                let status = if n.met { NodeStatus::Closed } else { NodeStatus::Open };
                sqlx::query(
                    "INSERT INTO nodes (project_id, seq, name, planned_on, baseline_on, actual_on, responsible_unit_id, status) \
                     VALUES ($1, $2, $3, $4, $4, $5, $6, $7)",
                )
                .bind(id)
                .bind(seq as i64 + 1)
                .bind(&n.name)
                .bind(n.planned_on.to_string())
                .bind(day(n.met_on))
                .bind(unit_id)
                .bind(status.code())
                .execute(&mut *tx)
                .await?;
            }
            self.refresh_project_lights(&mut tx, id).await?;
            self.reindex_project(&mut tx, id).await?;
            append(
                &mut tx,
                ctx,
                "project.import_oc4ids",
                "project",
                Some(id),
                None,
                Some(&json!({
                    "oc4ids_id": p.oc4ids_id, "name": p.name, "unit_id": unit_id, "project_type": p.project_type,
                    "stage": p.stage.code(), "total_investment_yuan": p.total_investment.yuan(),
                    "code": p.code.as_ref().map(|c| c.as_str()), "nodes": p.nodes.len(),
                })),
            )
            .await?;
            project_ids.push(id);
        }
        tx.commit().await?;
        Ok(Ok(Oc4idsImported {
            project_ids,
            units_created,
        }))
    }
}
