//! The synthetic district: any size, same structure, deterministic.

mod common;

use common::{check_integrity, setting, year_inputs};
use std::time::Instant;
use zhantu_demo::generate;
use zhantu_domain::figures::year_figures;

#[test]
fn a_thousand_projects_with_about_ten_nodes_each() {
    let ds = generate(1000, 1);
    assert_eq!(ds.projects.len(), 1000);
    assert!(ds.projects.iter().all(|b| b.nodes.len() == 10));
    assert!(
        ds.projects
            .iter()
            .all(|b| b.light.is_some() || b.project.stage == zhantu_domain::Stage::Terminated)
    );
    assert!(ds.projects.iter().filter(|b| !b.monthly_investment.is_empty()).count() > 200);
    assert!(ds.enterprises.len() >= 100 && ds.visits.len() >= 500 && ds.problems.len() >= 100);
    assert_eq!(setting(&ds, "as_of"), Some("2019-12-31"));
    assert_eq!(setting(&ds, "district_name"), Some("椒江区"));
    assert_eq!(
        ds.units.len(),
        zhantu_demo::scenario_2019(1).units.len(),
        "the same district structure"
    );
    check_integrity(&ds);
    let f = year_figures(&year_inputs(&ds, 2019));
    assert!(f.fai_growth_pct.is_some() && f.node_on_time.due > 0 && f.supervision_rounds == 6);
}

#[test]
fn deterministic() {
    let a = format!("{:?}", generate(300, 9));
    assert!(a == format!("{:?}", generate(300, 9)), "generate is not deterministic");
    assert_ne!(a, format!("{:?}", generate(300, 10)));
}

#[test]
fn tiny_districts_work() {
    for n in [0, 1, 7] {
        let ds = generate(n, 3);
        assert_eq!(ds.projects.len(), n);
        check_integrity(&ds);
    }
}

/// `cargo test --release -p zhantu-demo -- --ignored --nocapture`
#[test]
#[ignore]
fn a_hundred_thousand_projects_in_a_few_seconds() {
    let t = Instant::now();
    let ds = generate(100_000, 1);
    let elapsed = t.elapsed();
    let nodes: usize = ds.projects.iter().map(|b| b.nodes.len()).sum();
    let reports: usize = ds.projects.iter().map(|b| b.reports.len()).sum();
    println!(
        "generate(100000, 1): {elapsed:?}; {} projects, {nodes} nodes, {reports} reports, {} enterprises, {} visits, {} problems",
        ds.projects.len(),
        ds.enterprises.len(),
        ds.visits.len(),
        ds.problems.len()
    );
    assert_eq!(ds.projects.len(), 100_000);
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
}
