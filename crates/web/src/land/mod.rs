//! The land quota ledger (用地指标台账): the JSON routes under `/api/v1/land` and the `/land`
//! page with its forms.

mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "land",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/land", get(pages::land))
        .route("/land/allocations", post(pages::allocation_form))
        .route("/land/grants", post(pages::grant_form))
}
