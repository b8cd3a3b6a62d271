//! service: see the module's functions on `Store`.
