//! pipeline (pure).
