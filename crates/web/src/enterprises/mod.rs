//! The enterprise register and its visits (三服务, 服务企业): the JSON API, the Excel
//! exports and the pages. `POST /api/v1/visits/{id}/problems` (a finding of a recorded visit
//! becomes a problem) stays here: it is checked against the visit's unit and builds the
//! problem with the same finding rules as recording a visit does.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "enterprises",
    pages: pages::router,
    api: api::router,
};
