//! Placeholder: the generator is being written.
use zhantu_domain::dataset::Dataset;
pub fn scenario_2019(_seed: u64) -> Dataset { Dataset::default() }
pub fn generate(_projects: usize, _seed: u64) -> Dataset { Dataset::default() }
