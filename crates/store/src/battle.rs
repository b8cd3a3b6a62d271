//! The battle map (挂图作战): the filter's projects, each with its nodes in order.

use crate::critical_path::{node_floats, schedule_node};
use crate::projects::{LIST_COLUMNS, LIST_FROM, list_item};
use crate::row::{SqlBuf, date, i64_, opt_date, opt_text, text};
use crate::{ProjectFilter, ProjectListItem, Store, StoreError};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use zhantu_domain::critical_path::ScheduleNode;
use zhantu_domain::lights::Light;

/// A node as the battle map draws it.
#[derive(Debug, Clone)]
pub struct MapNode {
    pub name: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub status: String,
    pub light: Option<Light>,
    /// Why, in Chinese and in English (`None` in English until the first lights run after 0025).
    pub light_reason: Option<String>,
    pub light_reason_en: Option<String>,
    /// 总时差 in working days (none for a node done), as the project's schedule gives it.
    pub float_days: Option<i64>,
    /// On its project's critical path (关键路径).
    pub critical: bool,
    pub id: i64,
}

/// A project of the battle map, with its nodes in order.
#[derive(Debug, Clone)]
pub struct MapRow {
    pub project: ProjectListItem,
    pub nodes: Vec<MapNode>,
}

impl Store {
    /// The battle map's selection: at most `max` projects of the filter in id order, each with
    /// its nodes; and the number of matching projects.
    pub async fn map_rows(&self, f: &ProjectFilter, max: u32, offset: u32) -> Result<(Vec<MapRow>, i64), StoreError> {
        // The page's ids first, then only those joined for their columns: a district's
        // 10,000 ids come from the division index alone, not 10,000 project rows sorted.
        let mut q = SqlBuf::new(LIST_COLUMNS);
        q.push(LIST_FROM).push(" WHERE p.id IN (SELECT p.id FROM projects p");
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id LIMIT ")
            .arg(max as i64)
            .push(" OFFSET ")
            .arg(offset as i64)
            .push(") ORDER BY p.id");
        let mut items = q
            .query()
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(list_item)
            .collect::<Result<Vec<_>, _>>()?;
        for chunk in items.chunks_mut(500) {
            self.attach_categories(chunk).await?;
        }
        let mut nodes: BTreeMap<i64, Vec<MapNode>> = BTreeMap::new();
        // Each node also as its project's schedule needs it: floats come from one pass over
        // the loaded nodes and their links, not a schedule query per project.
        let mut sched: Vec<(i64, ScheduleNode)> = Vec::new();
        for chunk in items.chunks(500) {
            let mut nq = SqlBuf::new(
                "SELECT project_id, id, name, planned_on, forecast_on, actual_on, status, light, light_reason, light_reason_en FROM nodes WHERE project_id IN ",
            );
            nq.in_list(chunk.iter().map(|it| it.id)).push(" ORDER BY project_id, seq, id");
            for r in nq.query().fetch_all(&self.pool).await? {
                let project_id = i64_(&r, "project_id")?;
                let status = text(&r, "status")?;
                sched.push((project_id, schedule_node(&r, "id", &status)?));
                nodes.entry(project_id).or_default().push(MapNode {
                    name: text(&r, "name")?,
                    planned_on: date(&r, "planned_on")?,
                    actual_on: opt_date(&r, "actual_on")?,
                    status,
                    light: opt_text(&r, "light")?.as_deref().and_then(Light::from_code),
                    light_reason: opt_text(&r, "light_reason")?,
                    light_reason_en: opt_text(&r, "light_reason_en")?,
                    float_days: None,
                    critical: false,
                    id: i64_(&r, "id")?,
                });
            }
        }
        let floats = node_floats(&self.pool, &sched, self.as_of().await?, &self.calendar().await?).await?;
        for n in nodes.values_mut().flatten() {
            if let Some(f) = floats.get(&n.id) {
                n.float_days = f.float_days;
                n.critical = f.critical;
            }
        }
        let rows = items
            .into_iter()
            .map(|p| MapRow {
                nodes: nodes.remove(&p.id).unwrap_or_default(),
                project: p,
            })
            .collect();
        let mut count = SqlBuf::new("SELECT COUNT(*) AS n FROM projects p");
        self.project_where(f, &mut count).await?;
        let total = i64_(&count.query().fetch_one(&self.pool).await?, "n")?;
        Ok((rows, total))
    }
}
