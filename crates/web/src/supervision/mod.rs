//! Supervision rounds (督查): the JSON routes under `/api/v1/supervision` and the
//! `/supervision` pages with their forms.

mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "supervision",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/supervision", get(pages::supervision).post(pages::round_form))
        .route("/supervision/{id}", get(pages::round))
        .route("/supervision/{id}/close", post(pages::round_close_form))
        .route("/supervision/{id}/findings", post(pages::finding_form))
}
