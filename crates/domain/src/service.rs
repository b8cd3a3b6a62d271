//! service (pure).
