//! Dependencies that move dates, and the critical path (关键路径, issue #20 item 2).
//!
//! JSON (under `/api/v1`): `GET /projects/{id}/critical-path` (each node's forecast pushed by
//! its predecessors, late date, total float, critical flag and predecessors with their lags;
//! `/projects/{id}/schedule` already answers the schedule's versions), `GET/PUT
//! /nodes/{id}/dependencies` (a node's predecessors, set whole). Page: `/nodes/{id}/dependencies`
//! (the predecessors and lags, with the form). The project page's panel is
//! `panels::critical_path`. Reading follows the project's read access; setting predecessors
//! shapes the plan, so it is the project unit's edit (`Action::Edit`).

use crate::access::{check_project, edit, read};
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::IdPath;
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_store::NodeState;
use zhantu_store::critical_path::{Predecessor, ProjectSchedule};

pub const MECHANISM: Mechanism = Mechanism {
    name: "critical_path",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/projects/{id}/critical-path", get(project_schedule))
        .route("/nodes/{id}/dependencies", get(node_dependencies).put(set_dependencies))
}

fn pages() -> Routes {
    Routes::new().route("/nodes/{id}/dependencies", get(dependencies_page).post(dependencies_form))
}

/// A predecessor as sent.
#[derive(schemars::JsonSchema, Deserialize, Clone)]
pub struct PredecessorBody {
    /// The node of the same project it waits for.
    pub node_id: i64,
    /// 间隔: working days after that node's finish (0 to 365; 0 when absent).
    #[serde(default)]
    pub lag_days: i64,
}

/// A node's predecessors, set whole (an empty list: it waits for none).
#[derive(schemars::JsonSchema, Deserialize)]
pub struct DependenciesBody {
    pub predecessors: Vec<PredecessorBody>,
}

async fn node_of(st: &AppState, id: i64) -> Result<NodeState, ApiError> {
    st.store.node_state(id).await.or_not_found(format!("节点 {id} 不存在"))
}

async fn schedule_of(st: &AppState, a: &Auth, project_id: i64) -> Result<ProjectSchedule, ApiError> {
    check_project(st, &a.actor, project_id, read).await?;
    Ok(st.store.project_schedule(project_id).await?)
}

async fn project_schedule(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<ProjectSchedule>, ApiError> {
    Ok(Json(schedule_of(&st, &a, id).await?))
}

async fn node_dependencies(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let n = node_of(&st, id).await?;
    let s = schedule_of(&st, &a, n.project_id).await?;
    let node = s.nodes.iter().find(|x| x.id == id);
    Ok(Json(
        json!({ "node_id": id, "project_id": n.project_id, "predecessors": node.map(|x| &x.predecessors), "schedule": node }),
    ))
}

async fn do_set(st: &AppState, a: &Auth, id: i64, preds: &[PredecessorBody]) -> Result<Vec<Predecessor>, ApiError> {
    let n = node_of(st, id).await?;
    check_project(st, &a.actor, n.project_id, edit).await?;
    let list: Vec<(i64, i64)> = preds.iter().map(|p| (p.node_id, p.lag_days)).collect();
    Ok(st.store.set_node_predecessors(id, &list, &a.audit()).await?)
}

async fn set_dependencies(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<DependenciesBody>,
) -> Result<Json<Value>, ApiError> {
    let preds = do_set(&st, &a, id, &b.predecessors).await?;
    Ok(Json(json!({ "node_id": id, "predecessors": preds })))
}

// ------------------------------------------------------------------ pages

struct Choice {
    id: i64,
    name: String,
    checked: bool,
    lag: i64,
}

#[derive(Template)]
#[template(path = "critical_path/node.html")]
struct NodePage<'a> {
    cx: &'a Ctx,
    title: String,
    id: i64,
    project_id: i64,
    flash: Markup,
    forecast: String,
    late: String,
    float: String,
    critical: bool,
    pushed_by: String,
    choices: Vec<Choice>,
    may_edit: bool,
    token: &'a str,
}

async fn dependencies_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let n = node_of(&st, id).await.map_err(cx.err())?;
    let s = schedule_of(&st, &cx.auth, n.project_id).await.map_err(cx.err())?;
    let me = s.nodes.iter().find(|x| x.id == id);
    let name_of = |nid: i64| s.nodes.iter().find(|x| x.id == nid).map(|x| x.name.clone()).unwrap_or_default();
    let choices = s
        .nodes
        .iter()
        .filter(|x| x.id != id)
        .map(|x| {
            let p = me.and_then(|m| m.predecessors.iter().find(|p| p.id == x.id));
            Choice {
                id: x.id,
                name: format!("{}. {}", x.seq, x.name),
                checked: p.is_some(),
                lag: p.map_or(0, |p| p.lag_days),
            }
        })
        .collect();
    let title = format!("{} · {}", cx.t("critical_path.predecessors"), n.name);
    let body = Markup::of(&NodePage {
        cx: &cx,
        title: title.clone(),
        id,
        project_id: n.project_id,
        flash: flash.show(&cx, &["critical_path.flash_"]),
        forecast: me.map(|m| m.forecast_on.to_string()).unwrap_or_default(),
        late: me.map(|m| m.late_on.to_string()).unwrap_or_default(),
        float: me.and_then(|m| m.float_days).map(|f| f.to_string()).unwrap_or_else(|| "—".into()),
        critical: me.is_some_and(|m| m.critical),
        pushed_by: me.and_then(|m| m.pushed_by).map(name_of).unwrap_or_default(),
        choices,
        may_edit: cx.auth.actor.may(edit(n.project_unit_id)).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

/// The form: a checkbox `pred` per node waited for (its id), and `lag_<id>` its lag.
async fn dependencies_form(
    lang: Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let lag = |nid: &str| -> Result<i64, ApiError> {
        match pairs.iter().find(|(k, _)| *k == format!("lag_{nid}")).map(|(_, v)| v.trim()) {
            None | Some("") => Ok(0),
            Some(v) => v
                .parse::<i64>()
                .map_err(|_| ApiError::bad_request("dependency_lag_invalid", format!("间隔天数“{v}”无效"))),
        }
    };
    let preds: Result<Vec<PredecessorBody>, ApiError> = pairs
        .iter()
        .filter(|(k, _)| k == "pred")
        .map(|(_, v)| {
            Ok(PredecessorBody {
                node_id: v.parse().map_err(|_| ApiError::bad_request("invalid_body", "前置节点无效"))?,
                lag_days: lag(v)?,
            })
        })
        .collect();
    let done = match preds {
        Ok(p) => do_set(&st, &a, id, &p).await.map(|_| "critical_path.flash_saved"),
        Err(e) => Err(e),
    };
    back(lang, &format!("/nodes/{id}/dependencies"), done)
}
