//! reports (pure).
