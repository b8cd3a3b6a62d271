//! Projects (项目): the registry page (`/projects`) and its JSON, the project page
//! (`/projects/{id}`) and a project's JSON, changes, history, pause and resume. The project
//! page shows panels of other mechanisms (nodes, clocks, progress reports), drawn from their
//! templates by the leaf `panels`, so this module imports none of them.

mod api;
mod pages;

use crate::{AppState, Mechanism};
use axum::Router;
use axum::routing::{get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "projects",
    pages,
    api,
    write_routes: WRITE_ROUTES,
};

const WRITE_ROUTES: &[(&str, &str)] = &[
    ("PATCH", "/api/v1/projects/{id}"),
    ("POST", "/api/v1/projects/{id}/pause"),
    ("POST", "/api/v1/projects/{id}/resume"),
];

fn pages() -> Router<AppState> {
    Router::new()
        .route("/projects", get(pages::registry))
        .route("/projects/{id}", get(pages::project))
}

fn api() -> Router<AppState> {
    Router::new()
        .route("/projects", get(api::list_projects))
        .route("/projects/{id}", get(api::project).patch(api::update_project))
        .route("/projects/{id}/history", get(api::project_history))
        .route("/projects/{id}/pause", post(api::pause))
        .route("/projects/{id}/resume", post(api::resume))
}
