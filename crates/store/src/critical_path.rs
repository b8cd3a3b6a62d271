//! Dependencies that move dates (`node_dependencies` with `lag_days`, 0029): a node's
//! predecessors read and set (one audited transaction, a cycle refused), and a project's
//! schedule computed on read by `zhantu_domain::critical_path` from its nodes, their links, the
//! district's working calendar and the store's date. The pushed forecast is not stored:
//! `nodes.forecast_on` stays the unit's own forecast, and the schedule is always the one the
//! plan gives today.

use crate::Store;
use crate::audit::AuditCtx;
use crate::error::StoreError;
use crate::row::{SqlBuf, date, i64_, opt_date, read_all, text};
use crate::writes::commit_audited;
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use zhantu_domain::critical_path::{Link, NodeFloat, Schedule, ScheduleNode, floats_by_node, schedule, set_predecessors};
use zhantu_domain::model::DayKind;

/// A node of a project's schedule, as lists, pages and the API show it.
#[derive(Debug, Clone, Serialize)]
pub struct ScheduledNode {
    pub id: i64,
    pub seq: i64,
    pub name: String,
    pub status: String,
    pub planned_on: chrono::NaiveDate,
    pub actual_on: Option<chrono::NaiveDate>,
    /// 预计完成 (the unit's own forecast, pushed by late predecessors).
    pub forecast_on: chrono::NaiveDate,
    /// The predecessor that pushed the forecast, if one did.
    pub pushed_by: Option<i64>,
    /// 最迟完成.
    pub late_on: chrono::NaiveDate,
    /// 总时差 in working days; none for a node done.
    pub float_days: Option<i64>,
    /// On the critical path (关键路径).
    pub critical: bool,
    /// 前置节点: each with its name and lag in working days.
    pub predecessors: Vec<Predecessor>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Predecessor {
    pub id: i64,
    pub name: String,
    pub lag_days: i64,
}

/// A project's computed schedule.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectSchedule {
    pub project_id: i64,
    pub as_of: chrono::NaiveDate,
    /// Lags and floats count working days of the district's calendar.
    pub day_kind: DayKind,
    pub target_on: Option<chrono::NaiveDate>,
    pub forecast_end_on: Option<chrono::NaiveDate>,
    pub critical_path: Vec<i64>,
    pub nodes: Vec<ScheduledNode>,
}

/// The kind of day lags and floats count.
pub const LAG_DAY_KIND: DayKind = DayKind::Working;

struct Loaded {
    nodes: Vec<ScheduleNode>,
    /// (seq, status) of each node, in the nodes' order.
    extra: Vec<(i64, String)>,
    links: Vec<Link>,
}

async fn load(conn: &mut AnyConnection, project_id: i64) -> Result<Loaded, StoreError> {
    let rows =
        sqlx::query("SELECT id, seq, name, planned_on, forecast_on, actual_on, status FROM nodes WHERE project_id = $1 ORDER BY seq, id")
            .bind(project_id)
            .fetch_all(&mut *conn)
            .await?;
    let mut nodes = Vec::with_capacity(rows.len());
    let mut extra = Vec::with_capacity(rows.len());
    for r in &rows {
        let status = text(r, "status")?;
        nodes.push(schedule_node(r, "id", &status)?);
        extra.push((i64_(r, "seq")?, status));
    }
    let mut links = read_all(
        sqlx::query(
            "SELECT d.node_id, d.depends_on_id, d.lag_days FROM node_dependencies d JOIN nodes n ON n.id = d.node_id \
             WHERE n.project_id = $1",
        )
        .bind(project_id),
        &mut *conn,
        |r| {
            Ok(Link {
                node_id: i64_(r, "node_id")?,
                depends_on_id: i64_(r, "depends_on_id")?,
                lag_days: i64_(r, "lag_days")?,
            })
        },
    )
    .await?;
    links.sort();
    Ok(Loaded { nodes, extra, links })
}

/// A node of a row holding `name`, `planned_on`, `forecast_on`, `actual_on` and its id in
/// column `id`, with its `status`: done when closed, or reported with its date.
pub(crate) fn schedule_node(r: &sqlx::any::AnyRow, id: &str, status: &str) -> Result<ScheduleNode, StoreError> {
    let actual_on = opt_date(r, "actual_on")?;
    Ok(ScheduleNode {
        id: i64_(r, id)?,
        name: text(r, "name")?,
        planned_on: date(r, "planned_on")?,
        forecast_on: opt_date(r, "forecast_on")?,
        actual_on,
        done: status == "closed" || (status == "reported" && actual_on.is_some()),
    })
}

/// The float of every node given as `(project id, node)` (all the nodes of each project named):
/// the projects' links read 500 projects a query, each project scheduled once, on `as_of` with
/// `cal`. For lists of many projects (the battle map, the node export), where one schedule
/// query per project would cost a district 2,000 round trips.
pub(crate) async fn node_floats(
    pool: &sqlx::AnyPool,
    nodes: &[(i64, ScheduleNode)],
    as_of: chrono::NaiveDate,
    cal: &zhantu_domain::calendar::WorkCalendar,
) -> Result<std::collections::HashMap<i64, NodeFloat>, StoreError> {
    let mut projects: Vec<i64> = nodes.iter().map(|(p, _)| *p).collect();
    projects.sort_unstable();
    projects.dedup();
    let mut links = Vec::new();
    for chunk in projects.chunks(500) {
        let mut q = SqlBuf::new(
            "SELECT d.node_id, d.depends_on_id, d.lag_days FROM node_dependencies d JOIN nodes n ON n.id = d.node_id WHERE n.project_id IN ",
        );
        q.in_list(chunk.iter().copied());
        for r in q.query().fetch_all(pool).await? {
            links.push(Link {
                node_id: i64_(&r, "node_id")?,
                depends_on_id: i64_(&r, "depends_on_id")?,
                lag_days: i64_(&r, "lag_days")?,
            });
        }
    }
    links.sort();
    Ok(floats_by_node(nodes, &links, as_of, cal, LAG_DAY_KIND))
}

fn predecessors(l: &Loaded, node_id: i64) -> Vec<Predecessor> {
    l.links
        .iter()
        .filter(|k| k.node_id == node_id)
        .map(|k| Predecessor {
            id: k.depends_on_id,
            name: l
                .nodes
                .iter()
                .find(|n| n.id == k.depends_on_id)
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            lag_days: k.lag_days,
        })
        .collect()
}

/// For the lights run over the projects with ids in `ids`: each open or reported node with an
/// overdue predecessor (open, planned before `as_of`), and that predecessor's name (the first
/// in the plan's order). Only nodes planned within 60 days of `as_of` are looked at: a node
/// further out is green whatever its predecessors do, and the index on (status, planned_on)
/// keeps the question small on a province's million nodes.
pub(crate) async fn late_predecessors(
    conn: &mut AnyConnection,
    ids: std::ops::Range<i64>,
    as_of: chrono::NaiveDate,
) -> Result<std::collections::HashMap<i64, String>, StoreError> {
    let rows = sqlx::query(
        "SELECT d.node_id, o.name FROM nodes n JOIN node_dependencies d ON d.node_id = n.id JOIN nodes o ON o.id = d.depends_on_id \
         WHERE n.project_id >= $1 AND n.project_id < $2 AND n.status <> 'closed' AND n.planned_on <= $3 \
         AND o.status = 'open' AND o.planned_on < $4 ORDER BY d.node_id, o.seq, o.id",
    )
    .bind(ids.start)
    .bind(ids.end)
    .bind((as_of + chrono::Duration::days(60)).to_string())
    .bind(as_of.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut out = std::collections::HashMap::new();
    for r in &rows {
        out.entry(i64_(r, "node_id")?).or_insert(text(r, "name")?);
    }
    Ok(out)
}

impl Store {
    /// A project's schedule as the plan gives it on the store's date (`NotFound` when there is
    /// no such project); a cycle (only possible in data written around the checks) is the
    /// domain's refusal.
    pub async fn project_schedule(&self, project_id: i64) -> Result<ProjectSchedule, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(&mut *conn)
            .await?;
        exists.ok_or(StoreError::NotFound)?;
        let l = load(&mut conn, project_id).await?;
        drop(conn);
        let as_of = self.as_of().await?;
        let cal = self.calendar().await?;
        let s: Schedule = schedule(&l.nodes, &l.links, as_of, &cal, LAG_DAY_KIND)?;
        let nodes = l
            .nodes
            .iter()
            .zip(&l.extra)
            .zip(&s.nodes)
            .map(|((n, (seq, status)), c)| ScheduledNode {
                id: n.id,
                seq: *seq,
                name: n.name.clone(),
                status: status.clone(),
                planned_on: n.planned_on,
                actual_on: n.actual_on,
                forecast_on: c.forecast_on,
                pushed_by: c.pushed_by,
                late_on: c.late_on,
                float_days: c.float_days,
                critical: c.critical,
                predecessors: predecessors(&l, n.id),
            })
            .collect();
        Ok(ProjectSchedule {
            project_id,
            as_of,
            day_kind: LAG_DAY_KIND,
            target_on: s.target_on,
            forecast_end_on: s.forecast_end_on,
            critical_path: s.critical_path,
            nodes,
        })
    }

    /// Sets node `node_id`'s predecessors `(node waited for, lag in working days)` in place of
    /// the ones it had: each a node of its project, no cycle (`dependency_cycle`). One
    /// transaction with its audit entry (`dependencies.set`); the project's lights are
    /// recomputed, since a reason may name a predecessor. Returns the predecessors as stored.
    pub async fn set_node_predecessors(&self, node_id: i64, preds: &[(i64, i64)], ctx: &AuditCtx) -> Result<Vec<Predecessor>, StoreError> {
        let mut tx = self.begin_locked().await?;
        let project_id: i64 = sqlx::query_scalar("SELECT project_id FROM nodes WHERE id = $1")
            .bind(node_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = load(&mut tx, project_id).await?;
        let links = set_predecessors(&before.nodes, &before.links, node_id, preds)?;
        sqlx::query("DELETE FROM node_dependencies WHERE node_id = $1")
            .bind(node_id)
            .execute(&mut *tx)
            .await?;
        for l in links.iter().filter(|l| l.node_id == node_id) {
            sqlx::query("INSERT INTO node_dependencies (node_id, depends_on_id, lag_days) VALUES ($1, $2, $3)")
                .bind(node_id)
                .bind(l.depends_on_id)
                .bind(l.lag_days)
                .execute(&mut *tx)
                .await?;
        }
        self.refresh_project_lights(&mut tx, project_id).await?;
        let after = Loaded {
            nodes: before.nodes.clone(),
            extra: Vec::new(),
            links,
        };
        let was = predecessors(&before, node_id);
        let now = predecessors(&after, node_id);
        let snap = |p: &[Predecessor]| json!({ "project_id": project_id, "predecessors": p });
        commit_audited(
            tx,
            ctx,
            ("dependencies.set", "node", Some(node_id)),
            Some(&snap(&was)),
            Some(&snap(&now)),
        )
        .await?;
        Ok(now)
    }
}
