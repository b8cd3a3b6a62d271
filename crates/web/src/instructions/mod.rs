//! 批示 and 督办单 (`zhantu_domain::instructions`): the JSON API (issue, reply, accept, send
//! back, the lists and what awaits the caller) and the pages (the list `/instructions`, one
//! item `/instructions/{id}`, and the forms, which the project page's panel posts to).

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "instructions",
    pages: pages::router,
    api: api::router,
};
