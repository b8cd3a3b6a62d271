//! The reads behind the OC4IDS export: the projects of a registry filter (the reader's scope
//! included, as `project_where` applies it to the registry), each with its stage history and
//! its nodes, as the domain's [`ProjectFacts`]; and the district around them.

use crate::row::{SqlBuf, date, i64_, opt_date, opt_i64, opt_text, read_all, text};
use crate::{ProjectFilter, Store, StoreError};
use std::collections::HashMap;
use zhantu_domain::model::NodeStatus;
use zhantu_domain::oc4ids::{DEFAULT_PREFIX, District, NodeFacts, ProjectFacts};
use zhantu_domain::{Money, Stage};

const PROJECTS: &str = "SELECT p.id, p.code, p.name, p.description, p.stage, p.project_type, pt.name AS type_name, \
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

    /// The district as the package names it: its name (zhantu's own until one is set), its
    /// division code and its registered prefix (the default until one is set).
    pub async fn oc4ids_district(&self) -> Result<District, StoreError> {
        let s = self.district_settings().await?;
        Ok(District {
            name: s.district_name.unwrap_or_else(|| "zhantu".to_string()),
            division_code: s.district_division,
            prefix: s.oc4ids_prefix.unwrap_or_else(|| DEFAULT_PREFIX.to_string()),
        })
    }
}
