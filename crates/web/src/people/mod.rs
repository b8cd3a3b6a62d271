//! 人员 and 包干领导 kept by hand: `/api/v1/people` (read by everyone signed in, for the
//! drop-downs; written by administrators and the coordinating bureau) and the
//! `/admin/people` pages with their forms.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "people",
    pages: pages::router,
    api: api::router,
};
