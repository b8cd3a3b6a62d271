//! What a full-text search document is. A leaf module (it imports nothing of this crate):
//! `dialect.rs` writes the SQL for a kind and `search.rs` indexes and queries, and neither has
//! to import the other for it (they did: `bulk.rs → dialect.rs → search.rs → bulk.rs`).

use serde::Serialize;

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    Project,
    Enterprise,
    Problem,
}

impl DocKind {
    pub fn code(self) -> &'static str {
        match self {
            DocKind::Project => "project",
            DocKind::Enterprise => "enterprise",
            DocKind::Problem => "problem",
        }
    }
    pub(crate) fn number(self) -> i64 {
        match self {
            DocKind::Project => 1,
            DocKind::Enterprise => 2,
            DocKind::Problem => 3,
        }
    }
    pub fn from_code(s: &str) -> Option<DocKind> {
        [DocKind::Project, DocKind::Enterprise, DocKind::Problem]
            .into_iter()
            .find(|k| k.code() == s)
    }
}
