//! Investment-attraction leads (招商引资线索): the JSON routes under `/api/v1/leads` and the
//! `/attraction` page with its forms.

mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "leads",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/attraction", get(pages::attraction))
        .route("/attraction/leads", post(pages::lead_form))
        .route("/attraction/leads/{id}/stage", post(pages::stage_form))
}
