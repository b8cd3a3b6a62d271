//! The cockpit (驾驶舱): the year's figures as a page (`/`) and as JSON (`/api/v1/figures`).

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "cockpit",
    pages: pages::router,
    api: api::router,
};
