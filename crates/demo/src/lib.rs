//! The demo data of zhantu: a seeded, deterministic generator of a district's year.
//!
//! [`scenario_2019`] builds 椒江区 as of 2019-12-31 so that the figures of the seed
//! article (`SCENARIO-2019.md`) come out of the system's own computations; [`generate`]
//! builds a district of any size for benchmarks. Both share the district (units, people,
//! categories, node templates) and the project builder, which derives every date, stage,
//! plan, report and light of a project from a short description of its fate.
//!
//! Same seed, same data: all randomness comes from a small SplitMix64 generator, nothing
//! reads the clock, and no hash map decides an order.

mod activity;
mod assemble;
mod district;
mod field_work;
mod names;
mod project;
mod rng;
mod scenario;
mod statistics;
mod synthetic;

use zhantu_domain::dataset::Dataset;

/// The demo district 椒江区 (331002) living at 2019-12-31: the seed article's year, with
/// its landing rates, batches, campaign, supervision rounds, visits, land quota and FAI
/// growth all derivable from the records.
pub fn scenario_2019(seed: u64) -> Dataset {
    scenario::build(seed)
}

/// A synthetic district with exactly `projects` projects (about ten nodes each) and
/// proportionate enterprises, visits and problems, as of 2019-12-31. For benchmarks.
pub fn generate(projects: usize, seed: u64) -> Dataset {
    synthetic::build(projects, seed)
}

/// A synthetic province: `projects` projects spread over `districts` county-level districts
/// of Zhejiang (the same ones for every seed, 椒江区 first), each with its own units,
/// people and activity, every project in a real street or town of its district. One
/// district is exactly [`generate`]. `None` when Zhejiang has fewer counties than asked.
pub fn generate_province(projects: usize, districts: usize, seed: u64) -> Option<Dataset> {
    synthetic::build_province(projects, districts, seed)
}

/// A synthetic district of another county of Zhejiang, by its six-digit division code
/// (e.g. `330381` 瑞安市): `projects` projects and everything around them, as of 2019-12-31,
/// with the county's own units, streets and towns, division code and FAI series. For
/// proving that a district other than the demo can be set up and fed through the app.
/// `None` when the code is not a county with at least three streets and towns.
pub fn generate_county(projects: usize, seed: u64, code: &str) -> Option<Dataset> {
    synthetic::build_county(projects, seed, code)
}
