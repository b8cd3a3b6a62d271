//! Webhooks: other systems subscribe to the district's events (a node reported, verified or
//! sent back, a light changed, a problem raised or closed, a date change decided, a report
//! issued) and get each one as a signed HTTP POST. `/api/v1/webhooks` and the
//! `/admin/webhooks` pages (administrators and the coordinating bureau) keep the
//! subscriptions and show every delivery with its tries; [`sender`] posts what the outbox
//! holds. The domain says what an event is, how a body is signed and when a failed try is
//! repeated (`zhantu_domain::webhooks`); the store keeps the outbox (`zhantu_store::webhooks`).
//!
//! Not the group robot of the daily digest ([`crate::webhook`]): that one talks to people.

mod api;
mod pages;
pub mod sender;

use crate::Mechanism;

pub use sender::{deliver_due, keep_sending};

pub const MECHANISM: Mechanism = Mechanism {
    name: "webhooks",
    pages: pages::router,
    api: api::router,
};

/// A new signing secret: 32 random bytes from the operating system, as hex, prefixed so that
/// it is recognised where it turns up (a log, a config file).
pub fn new_secret() -> String {
    format!("whsec_{}", crate::auth::random_token())
}
