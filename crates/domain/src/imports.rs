//! imports (pure).
