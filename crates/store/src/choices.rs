//! The choices forms and filters offer. A leaf module: it imports no mechanism.

use serde::Serialize;

/// A record named by id, for lists of choices.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}
