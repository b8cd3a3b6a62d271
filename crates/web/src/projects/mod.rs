//! Projects (项目): the registry page (`/projects`) and its JSON, a project created by hand
//! (`/projects/new` and `POST /api/v1/projects`), the project page (`/projects/{id}`) and a
//! project's JSON, changes, stage history, years (categories and annual plan), audit history,
//! pause and resume. The project page shows panels of other mechanisms (nodes, clocks,
//! progress reports), drawn from their templates by the leaf `panels`, so this module imports
//! none of them.

mod api;
mod new;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post, put};

pub const MECHANISM: Mechanism = Mechanism {
    name: "projects",
    pages,
    api,
};

fn pages() -> Routes {
    Routes::new()
        .route("/projects", get(pages::registry))
        .route("/projects/new", get(new::page).post(new::form))
        .route("/projects/{id}", get(pages::project))
}

fn api() -> Routes {
    Routes::new()
        .route("/projects", get(api::list_projects).post(api::create_project))
        .route("/projects/{id}", get(api::project).patch(api::update_project))
        .route("/projects/{id}/history", get(api::project_history))
        .route("/projects/{id}/pause", post(api::pause))
        .route("/projects/{id}/resume", post(api::resume))
        .route("/projects/{id}/stage", post(api::move_stage))
        .route("/projects/{id}/stages", get(api::stages))
        .route("/projects/{id}/years/{year}", put(api::set_year))
}
