//! 我的待办 (`/todo`, `/api/v1/todo`): each signed-in user's work by role, every item a link to
//! the place where it is done, every section with its count. What counts as an item is
//! `zhantu_domain::todo`; the queries are `zhantu_store::todo`.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "todo",
    pages: pages::router,
    api: api::router,
};
