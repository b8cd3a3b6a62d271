//! 责任单位 kept by hand: `/api/v1/units` (read by everyone signed in, for the drop-downs;
//! written by administrators and the coordinating bureau) and the `/admin/units` pages with
//! their forms.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "units",
    pages: pages::router,
    api: api::router,
};
