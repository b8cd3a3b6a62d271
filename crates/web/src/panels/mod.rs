//! The project page's panels that belong to other mechanisms than `projects`: each is drawn
//! from its own mechanism's templates (`templates/nodes/`, `templates/clocks/`,
//! `templates/lights/`, `templates/reports/`, `templates/instructions/`, the problems' table in
//! `templates/partials/`) by a function here, so
//! the project page (in `projects`) shows them without importing those mechanisms. A leaf: it
//! imports no mechanism.

pub mod clocks;
pub mod critical_path;
pub mod field_work;
pub mod instructions;
pub mod lights;
pub mod nodes;
pub mod problems;
pub mod reports;
