//! Campaigns (攻坚行动, with their 擂台榜 leaderboards): the JSON routes under
//! `/api/v1/campaigns` and the `/campaigns` pages with their forms.

mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "campaigns",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/campaigns", get(pages::campaigns).post(pages::campaign_form))
        .route("/campaigns/{id}", get(pages::campaign))
        .route("/campaigns/{id}/close", post(pages::campaign_close_form))
        .route("/campaigns/{id}/measures", post(pages::measure_form))
        .route("/campaign-measures/{id}/progress", post(pages::measure_progress_form))
}
