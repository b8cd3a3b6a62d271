//! Groundbreaking batches (集中开工): the JSON routes under `/api/v1/batches` and the
//! `/batches` pages with their forms.

mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "batches",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/batches", get(pages::batches).post(pages::batch_form))
        .route("/batches/{id}", get(pages::batch))
        .route("/batches/{id}/projects", post(pages::batch_project_form))
}
