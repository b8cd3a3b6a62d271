//! zhantu's domain: the values a district works with, parsed once at the edge, and the
//! figures computed from them. Nothing here knows about HTTP, SQL or files.

pub mod access;
pub mod batches;
pub mod cadence;
pub mod calendar;
pub mod campaigns;
pub mod categories;
pub mod clocks;
pub mod codes;
pub mod dataset;
pub mod date;
pub mod deadlines;
pub mod defaults;
pub mod enterprises;
pub mod error;
pub mod figures;
pub mod files;
pub mod imports;
mod labelled;
pub mod land;
pub mod leads;
pub mod lights;
pub mod model;
pub mod money;
pub mod nodes;
pub mod people;
pub mod problems;
pub mod project_types;
pub mod projects;
pub mod reference;
pub mod reports;
pub mod rules;
pub mod schedule;
pub mod search;
pub mod settings;
pub mod setup;
pub mod stage;
pub mod supervision;
pub mod table;
pub mod units;

pub use codes::{CreditCode, DivisionCode, ProjectCode, ProjectCodeGeneration};
pub use date::{Year, parse_date};
pub use error::{FieldError, FieldErrors, ParseError, RuleError};
pub use money::{LandArea, Money, MoneyUnit};
pub use stage::Stage;
