//! Attraction clocks (招商时限, issue #20 item 5): a lead's response, 研判, feedback and
//! progress-report clocks with their lights, and the funnel to 投产.
//!
//! JSON (under `/api/v1`): `GET /leads/clocks` (every lead's clocks and light; `?team=`,
//! `?light=`), `GET /leads/clocks/export.xlsx`, `GET /leads/{id}/clocks` (one lead's clocks and
//! progress reports), `POST /leads/{id}/respond`, `/assess`, `/feedback`, `/progress`. The
//! funnel to 投产 is the `chain` of `GET /leads/funnel?year=` (the leads' own route).
//! Pages: `/attraction/leads/{id}` (the lead's clocks, forms and reports), `/attraction/clocks`
//! (the clock list, the funnel's numbers open it) and `/attraction/funnel`.
//!
//! Scopes as the leads': read with `Action::Read` on the lead's team, written with
//! `Action::Edit` on it (a unit editor only its own team's leads).

pub(crate) mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "lead_clocks",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/attraction/clocks", get(pages::clocks_page))
        .route("/attraction/clock-settings", post(pages::limits_form))
        .route("/attraction/funnel", get(pages::funnel_page))
        .route("/attraction/leads/{id}", get(pages::lead_page))
        .route("/attraction/leads/{id}/respond", post(pages::respond_form))
        .route("/attraction/leads/{id}/assess", post(pages::assess_form))
        .route("/attraction/leads/{id}/feedback", post(pages::feedback_form))
        .route("/attraction/leads/{id}/progress", post(pages::progress_form))
}
