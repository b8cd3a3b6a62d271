//! `GET /api/v1/search?q=…&kind=project|enterprise|problem`: Chinese full-text search with
//! highlighting, limited to what the reader may see.

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
    Routes::new().route("/search", get(search))
}

#[derive(Deserialize)]
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
