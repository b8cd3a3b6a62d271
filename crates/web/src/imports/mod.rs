//! Batch import (批量导入) from Excel or CSV: the templates to fill in, an upload checked by a
//! dry run first, then imported for real with its progress (`api`, the runs kept by `jobs`),
//! and the pages `/import` and `/import/runs/{id}` (`pages`).

mod api;
mod jobs;
mod pages;

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "imports",
    pages: pages::router,
    api: api::router,
};
