//! 我的待办 as JSON: `GET /api/v1/todo` (the sections with their items) and
//! `GET /api/v1/todo/waiting` (the header's count).

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::routes::{Routes, get};
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

pub fn router() -> Routes {
    Routes::new().route("/todo", get(todo)).route("/todo/waiting", get(waiting))
}

/// `{ "as_of", "total", "sections": [{ "kind", "label", "count", "items": [...] }] }`.
async fn todo(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    let todo = st.store.todo(&a.todo_reader()).await?;
    let sections: Vec<Value> = todo
        .sections
        .iter()
        .map(|s| json!({ "kind": s.kind, "label": s.kind.label_zh(), "count": s.count, "items": s.items }))
        .collect();
    Ok(Json(json!({ "as_of": todo.as_of, "total": todo.total, "sections": sections })))
}

/// `{ "todo": n, "unread": m, "total": n + m }`.
async fn waiting(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    let w = st.store.waiting(&a.todo_reader()).await?;
    Ok(Json(json!({ "todo": w.todo, "unread": w.unread, "total": w.total() })))
}
