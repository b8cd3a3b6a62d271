//! (being moved here from the old layout)

use crate::Mechanism;

pub const MECHANISM: Mechanism = Mechanism {
    name: "problems",
    pages: Mechanism::none,
    api: Mechanism::none,
    write_routes: &[],
};
