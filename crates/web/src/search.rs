//! `GET /api/v1/search?q=…&kind=project|enterprise|problem`: Chinese full-text search with
//! highlighting, limited to what the reader may see. And the pickers' search-as-you-type
//! (`/search/projects?q=`, `/search/nodes?project=`): names only, never an id, for forms where
//! people choose a project or a node by name (the form sends the name; the page resolves it).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, non_empty};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_store::DocKind;

pub const MECHANISM: Mechanism = Mechanism {
    name: "search",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/search", get(search))
        .route("/search/projects", get(pick_projects))
        .route("/search/nodes", get(pick_nodes))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct SearchQuery {
    q: Option<String>,
    kind: Option<String>,
    limit: Option<String>,
}

async fn search(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<SearchQuery>) -> Result<Json<Value>, ApiError> {
    let text = non_empty(&q.q).ok_or_else(|| ApiError::bad_request("missing_query", "请输入要搜索的文字"))?;
    if text.chars().count() > 100 {
        return Err(ApiError::bad_request("invalid_query", "搜索文字不能超过100个字"));
    }
    let kinds: Vec<DocKind> = match non_empty(&q.kind) {
        None => vec![DocKind::Project, DocKind::Enterprise, DocKind::Problem],
        Some(k) => vec![
            DocKind::from_code(k)
                .ok_or_else(|| ApiError::bad_request("invalid_kind", format!("类型“{k}”无效：应为 project、enterprise 或 problem")))?,
        ],
    };
    let limit = non_empty(&q.limit).and_then(|l| l.parse::<i64>().ok()).unwrap_or(50);
    let scope = if a.actor.reads_all() {
        None
    } else {
        Some(a.actor.unit_scope.as_slice())
    };
    let mut items = Vec::new();
    for kind in kinds {
        for hit in st.store.search(kind, text, scope, limit).await? {
            let highlight: Vec<Value> = zhantu_domain::search::highlight(&hit.title, text)
                .into_iter()
                .map(|(t, h)| json!({ "text": t, "hit": h }))
                .collect();
            items.push(json!({ "kind": hit.kind, "id": hit.id, "title": hit.title, "highlight": highlight }));
        }
    }
    Ok(Json(json!({ "query": text, "items": items })))
}

/// The reader's scope: `None` for readers who see every unit.
fn scope(a: &Auth) -> Option<&[i64]> {
    if a.actor.reads_all() {
        None
    } else {
        Some(a.actor.unit_scope.as_slice())
    }
}

#[derive(schemars::JsonSchema, Deserialize)]
struct PickQuery {
    q: Option<String>,
    project: Option<String>,
}

/// `GET /search/projects?q=冷链`: up to 20 projects the reader may see whose text matches, as
/// `{"items": [{"name", "unit"}]}`.
async fn pick_projects(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<PickQuery>) -> Result<Json<Value>, ApiError> {
    let Some(text) = non_empty(&q.q).filter(|t| t.chars().count() <= 100) else {
        return Ok(Json(json!({ "items": [] })));
    };
    let units: std::collections::HashMap<i64, String> = st.store.unit_names().await?.into_iter().map(|(id, name, _)| (id, name)).collect();
    let items: Vec<Value> = st
        .store
        .search(DocKind::Project, text, scope(&a), 20)
        .await?
        .into_iter()
        .map(|hit| {
            let unit = hit.unit_id.and_then(|u| units.get(&u)).cloned().unwrap_or_default();
            json!({ "name": hit.title, "unit": unit })
        })
        .collect();
    Ok(Json(json!({ "items": items })))
}

/// `GET /search/nodes?project=星星冷链项目`: the nodes of the project of that name the reader
/// may see, in plan order, as `{"items": [{"name", "planned_on", "status"}]}` (none when the
/// name is not exactly one such project).
async fn pick_nodes(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<PickQuery>) -> Result<Json<Value>, ApiError> {
    let Some(name) = non_empty(&q.project) else {
        return Ok(Json(json!({ "items": [] })));
    };
    let items = match st.store.projects_named(name, scope(&a)).await?.as_slice() {
        [id] => st.store.node_choices(*id).await?,
        _ => Vec::new(),
    };
    Ok(Json(json!({ "items": items })))
}
