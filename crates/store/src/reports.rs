//! reports: see the module's functions on `Store`.
