//! User administration: `/api/v1/users` and the `/admin/users` page, for administrators; and
//! the demo district's accounts.

mod api;
mod demo;
mod pages;

pub use demo::{DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts};

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "users",
    pages: pages::router,
    api: api::router,
};
