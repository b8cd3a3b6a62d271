//! The synthetic province: several real districts of Zhejiang, each with its own
//! organisation, deterministic, with a year of monthly reports and its share of problems.

use std::collections::{BTreeMap, BTreeSet};
use zhantu_demo::generate_province;
use zhantu_domain::Stage;
use zhantu_domain::dataset::Dataset;
use zhantu_domain::model::ReportPeriod;
use zhantu_domain::reference;

fn setting<'a>(ds: &'a Dataset, key: &str) -> Option<&'a str> {
    ds.settings.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The county code of each unit: the division code of the root above it.
fn unit_counties(ds: &Dataset) -> BTreeMap<i64, String> {
    let parent: BTreeMap<i64, Option<i64>> = ds.units.iter().map(|u| (u.id, u.parent_id)).collect();
    let code: BTreeMap<i64, Option<String>> = ds
        .units
        .iter()
        .map(|u| (u.id, u.division_code.as_ref().map(|d| d.as_str().to_string())))
        .collect();
    ds.units
        .iter()
        .map(|u| {
            let mut id = u.id;
            while let Some(Some(p)) = parent.get(&id) {
                id = *p;
            }
            let root = code[&id].clone().expect("a district's root has its division code");
            (u.id, root)
        })
        .collect()
}

#[test]
fn three_districts_each_with_its_own_units_streets_reports_and_problems() {
    let n = 3000;
    let ds = generate_province(n, 3, 7).expect("Zhejiang has three counties");
    assert_eq!(ds.projects.len(), n);
    assert_eq!(setting(&ds, "province_division"), Some("330000"));
    assert_eq!(setting(&ds, "district_division"), Some("331002"), "the first district");

    // Three roots, three real counties; every unit's code is its county's or one of the
    // county's streets and towns.
    let roots: Vec<&str> = ds
        .units
        .iter()
        .filter(|u| u.parent_id.is_none())
        .map(|u| u.division_code.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(roots.len(), 3, "{roots:?}");
    let townships: BTreeMap<&str, &str> = reference::townships().map(|t| (t.code, t.parent)).collect();
    let counties = unit_counties(&ds);
    for u in &ds.units {
        let county = &counties[&u.id];
        if let Some(code) = &u.division_code {
            let c = code.as_str();
            assert!(
                c == county || townships.get(c) == Some(&county.as_str()),
                "unit {} ({}) has {c}, not in {county}",
                u.id,
                u.name
            );
        }
    }
    for county in roots.iter() {
        let of_county = |kind: &str| {
            ds.units
                .iter()
                .filter(|u| counties[&u.id] == *county && u.kind.code() == kind)
                .count()
        };
        assert!(of_county("department") >= 10, "{county} has its departments");
        assert!(of_county("street") + of_county("town") >= 3, "{county} has its streets and towns");
        assert!(
            ds.units
                .iter()
                .any(|u| counties[&u.id] == *county && u.name.ends_with("发改局") && u.division_code.is_some()),
            "{county} has its own 发改局"
        );
        let leaders = ds.people.iter().filter(|p| p.is_leader && counties[&p.unit_id] == *county).count();
        assert!(leaders >= 10, "{county} has its own leaders");
    }

    // Every project sits in a real street or town of its own unit's district, and the
    // projects spread over exactly the three six-digit prefixes.
    let mut prefixes: BTreeMap<String, usize> = BTreeMap::new();
    for b in &ds.projects {
        let code = b.project.division_code.as_ref().expect("every project has a street").as_str();
        assert_eq!(code.len(), 9);
        let county = &counties[&b.project.unit_id];
        assert_eq!(
            townships.get(code),
            Some(&county.as_str()),
            "project {}: {code} not in {county}",
            b.project.id
        );
        for node in &b.nodes {
            assert_eq!(&counties[&node.responsible_unit_id], county, "node {}", node.id);
        }
        *prefixes.entry(code[..6].to_string()).or_default() += 1;
    }
    assert_eq!(prefixes.len(), 3, "{prefixes:?}");
    assert!(prefixes.values().all(|&c| c == n / 3), "{prefixes:?}");

    // Ids unique across districts.
    let unique = |ids: Vec<i64>| ids.len() == ids.iter().collect::<BTreeSet<_>>().len();
    assert!(unique(ds.units.iter().map(|u| u.id).collect()));
    assert!(unique(ds.projects.iter().flat_map(|b| b.nodes.iter().map(|x| x.id)).collect()));
    assert!(unique(ds.projects.iter().flat_map(|b| b.reports.iter().map(|x| x.id)).collect()));
    assert!(unique(ds.problems.iter().map(|x| x.id).collect()));
    let codes: Vec<&str> = ds
        .projects
        .iter()
        .filter_map(|b| b.project.code.as_ref().map(|c| c.as_str()))
        .collect();
    assert_eq!(codes.len(), codes.iter().collect::<BTreeSet<_>>().len(), "project codes are unique");
    let credit: Vec<&str> = ds.enterprises.iter().map(|e| e.credit_code.as_str()).collect();
    assert_eq!(
        credit.len(),
        credit.iter().collect::<BTreeSet<_>>().len(),
        "credit codes are unique"
    );
    let node_ids: BTreeSet<i64> = ds.projects.iter().flat_map(|b| b.nodes.iter().map(|x| x.id)).collect();
    for p in &ds.problems {
        assert!(counties.contains_key(&p.unit_id));
        assert!(p.node_id.is_none_or(|id| node_ids.contains(&id)));
    }

    // About half as many problems as projects.
    let problems = ds.problems.len();
    assert!(
        problems * 100 >= n * 45 && problems * 100 <= n * 55,
        "{problems} problems for {n} projects"
    );

    // A monthly report for every month of 2019 a project was at work, so twelve for one at
    // work all year.
    let busy = |s: Stage| matches!(s, Stage::Signed | Stage::Preparation | Stage::Started | Stage::Construction);
    let mut all_year = 0;
    for b in &ds.projects {
        assert!(
            b.reports
                .iter()
                .all(|r| r.period == ReportPeriod::Month && r.body.chars().count() < 200)
        );
        let before = b
            .stage_changes
            .iter()
            .take_while(|c| c.on < chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap());
        let in_2019 = b.stage_changes.iter().filter(|c| c.on.format("%Y").to_string() == "2019");
        if before.last().is_some_and(|c| busy(c.to)) && in_2019.clone().all(|c| busy(c.to)) {
            all_year += 1;
            assert_eq!(b.reports.len(), 12, "project {} at work all year", b.project.id);
        }
    }
    assert!(all_year > n / 20, "{all_year} projects at work all year");
    let reports: usize = ds.projects.iter().map(|b| b.reports.len()).sum();
    println!(
        "{n} projects over {prefixes:?}: {} units, {reports} reports ({all_year} projects with twelve), {problems} problems",
        ds.units.len()
    );
}

#[test]
fn the_same_seed_gives_the_same_province() {
    let a = format!("{:?}", generate_province(300, 3, 9));
    assert!(
        a == format!("{:?}", generate_province(300, 3, 9)),
        "generate_province is not deterministic"
    );
    assert_ne!(a, format!("{:?}", generate_province(300, 3, 10)));
}

#[test]
fn one_district_is_the_synthetic_district() {
    assert_eq!(
        format!("{:?}", generate_province(200, 1, 4)),
        format!("{:?}", Some(zhantu_demo::generate(200, 4)))
    );
    assert!(generate_province(10, 1000, 1).is_none(), "Zhejiang has fewer than 1000 counties");
}
