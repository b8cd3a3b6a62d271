//! The problem list and its loop (问题清单: 交办 → 办结 → 回访 → 销号, 批示): the JSON API,
//! the figures by unit, the monthly three lists, the Excel exports and the pages.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "problems",
    pages: pages::router,
    api: api::router,
};
