//! 项目类别 with their landing targets per year, kept by hand: `/api/v1/categories` (read by
//! everyone signed in; written by administrators and the coordinating bureau) and the
//! `/admin/categories` page with its forms.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "categories",
    pages: pages::router,
    api: api::router,
};
