//! 项目类型 with their node templates and approval clocks, kept by hand:
//! `/api/v1/project-types` (read by everyone signed in; written by administrators and the
//! coordinating bureau) and the `/admin/project-types` pages with their forms. A template is
//! only the plan of projects still to be planned: saving one changes no existing node.

mod api;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "project_types",
    pages: pages::router,
    api: api::router,
};
