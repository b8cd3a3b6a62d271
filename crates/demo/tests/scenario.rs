//! The demo district must reproduce the seed article's figures through the domain's own
//! computations (SCENARIO-2019.md), for any seed.

mod common;

use chrono::Datelike;
use common::{as_of, check_integrity, nodes, project_by_id, setting, year_inputs, ymd};
use std::collections::BTreeSet;
use std::sync::OnceLock;
use zhantu_demo::scenario_2019;
use zhantu_domain::dataset::{Dataset, ProjectBundle};
use zhantu_domain::figures::{Pct1, Wan, YearFigures, year_figures};
use zhantu_domain::lights::Light;
use zhantu_domain::model::{LeadStage, NodeStatus, ProblemStatus, UnitKind};
use zhantu_domain::{LandArea, Money, Stage, reference};

const SEEDS: [u64; 3] = [1, 2019, 0xDEAD_BEEF];

fn datasets() -> &'static Vec<(Dataset, YearFigures)> {
    static DS: OnceLock<Vec<(Dataset, YearFigures)>> = OnceLock::new();
    DS.get_or_init(|| {
        SEEDS
            .iter()
            .map(|s| {
                let ds = scenario_2019(*s);
                let f = year_figures(&year_inputs(&ds, 2019));
                (ds, f)
            })
            .collect()
    })
}

fn landing<'a>(f: &'a YearFigures, code: &str) -> &'a zhantu_domain::figures::Landing {
    &f.landing
        .iter()
        .find(|l| l.code == code)
        .unwrap_or_else(|| panic!("no landing figure for {code}"))
        .landing
}

fn project<'a>(ds: &'a Dataset, prefix: &str) -> &'a zhantu_domain::dataset::ProjectBundle {
    ds.projects
        .iter()
        .find(|b| b.project.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no project {prefix}"))
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let a = format!("{:?}", scenario_2019(42));
    let b = format!("{:?}", scenario_2019(42));
    assert!(a == b, "scenario_2019 is not deterministic");
    assert_ne!(a, format!("{:?}", scenario_2019(43)));
}

#[test]
fn records_hang_together() {
    for (ds, _) in datasets() {
        check_integrity(ds);
    }
}

#[test]
fn settings_name_the_district() {
    let (ds, _) = &datasets()[0];
    assert_eq!(setting(ds, "district_name"), Some("椒江区"));
    assert_eq!(setting(ds, "district_division"), Some("331002"));
    assert_eq!(setting(ds, "province_division"), Some("330000"));
    assert_eq!(setting(ds, "as_of"), Some("2019-12-31"));
    assert_eq!(setting(ds, "demo_seed"), Some("1"));
    assert_eq!(ds.light_rules, zhantu_domain::lights::LightRules::default());
}

#[test]
fn landing_rates_of_the_article() {
    for (_, f) in datasets() {
        let p = landing(f, "prov152");
        assert_eq!(
            (p.targeted, p.landed, p.rate_pct, p.target_met),
            (5, 4, Some(Pct1::whole(80)), Some(true))
        );
        let m = landing(f, "mayor");
        assert_eq!(
            (m.targeted, m.landed, m.rate_pct, m.target_met),
            (12, 6, Some(Pct1::whole(50)), Some(true))
        );
        assert_eq!(m.target_pct, Some(Pct1::whole(30)));
        let t = landing(f, "trillion");
        assert_eq!((t.targeted, t.landed), (14, 14));
        let d = landing(f, "digital");
        assert_eq!((d.targeted, d.landed), (10, 10));
        let ppp = f.categories.iter().find(|c| c.code == "ppp").unwrap();
        assert_eq!(ppp.projects, 9);
        assert!(
            !f.landing
                .iter()
                .any(|l| l.code == "ppp" || l.code == "prov_major_industry" || l.code == "foreign")
        );
    }
}

/// The projects on the list of category `code` in any of `years`.
fn on_list<'a>(ds: &'a Dataset, code: &str, years: std::ops::RangeInclusive<i32>) -> Vec<&'a ProjectBundle> {
    let list = ds.categories.iter().find(|c| c.category.code == code).expect(code).category.id;
    ds.projects
        .iter()
        .filter(|b| b.categories.iter().any(|c| c.0 == list && years.contains(&c.1)))
        .collect()
}

#[test]
fn the_fifth_provincial_project_is_red_on_its_start() {
    for (ds, _) in datasets() {
        let unlanded: Vec<_> = on_list(ds, "prov152", 2019..=2019)
            .into_iter()
            .filter(|b| b.project.started_on.is_none())
            .collect();
        assert_eq!(unlanded.len(), 1);
        let b = unlanded[0];
        let start = b.nodes.iter().find(|n| n.name == "开工").unwrap();
        assert_eq!(start.status, NodeStatus::Open);
        assert!(start.planned_on < ymd(2019, 12, 1));
        assert_eq!(start.light, Some(Light::Red));
        assert_eq!(b.light.as_ref().map(|l| l.0), Some(Light::Red));
    }
}

#[test]
fn provincial_major_industry_projects_over_three_years() {
    for (ds, _) in datasets() {
        let tagged = on_list(ds, "prov_major_industry", 2017..=2019);
        assert_eq!(tagged.len(), 4);
        assert!(tagged.iter().all(|b| b.project.project_type == "industrial"));
    }
}

#[test]
fn groundbreaking_batches() {
    for (ds, f) in datasets() {
        assert_eq!(f.batches.count, 5);
        assert_eq!(f.batches.total.projects, 38);
        assert_eq!(f.batches.total.total_investment_wan, Wan(Money::from_wan(3_635_000)));
        assert_eq!(f.batches.total.annual_investment_wan, Wan(Money::from_wan(941_000)));
        assert_eq!(Money::from_wan(3_635_000).display_yi(), "363.50亿元");
        let levels: BTreeSet<&str> = ds.batches.iter().map(|b| b.level.code()).collect();
        assert_eq!(levels.len(), 3, "province, city and district batches");
        let mut members = BTreeSet::new();
        for b in &ds.batches {
            for id in &b.project_ids {
                assert!(members.insert(*id), "project {id} in two batches");
                let p = project_by_id(ds, *id);
                let started = p.project.started_on.expect("batch members started");
                assert!(
                    (started - b.held_on).num_days().abs() <= 5,
                    "{} started {started}, batch {}",
                    p.project.name,
                    b.held_on
                );
                let plan = p.annual_plans.iter().find(|a| a.0 == 2019).unwrap().1;
                assert!(plan <= p.project.total_investment);
            }
        }
        assert_eq!(members.len(), 38);
        assert!(ds.batches.iter().any(|b| b.name == "2019年第一批省重大项目集中开工（椒江分会场）"));
    }
}

#[test]
fn the_sixty_day_campaign_closed_every_node() {
    for (ds, f) in datasets() {
        let c = f
            .campaigns
            .iter()
            .find(|c| c.name == "“奋战60天、突破60难”项目攻坚擂台赛")
            .expect("the campaign");
        assert_eq!((c.ends_on - c.starts_on).num_days() + 1, 60);
        assert_eq!(
            (c.completion.target_nodes, c.completion.closed_nodes, c.completion.closed_in_time),
            (60, 60, 60)
        );
        assert_eq!(c.completion.rate_pct, Some(Pct1::whole(100)));
        let row = ds.campaigns.iter().find(|r| r.id == c.id).unwrap();
        for id in &row.node_ids {
            let n = nodes(ds).find(|n| n.id == *id).unwrap();
            assert!(n.actual_on.is_some_and(|a| a >= row.starts_on && a <= row.ends_on));
        }
        let kinds: BTreeSet<UnitKind> = row
            .unit_ids
            .iter()
            .map(|u| ds.units.iter().find(|x| x.id == *u).unwrap().kind)
            .collect();
        assert!(kinds.contains(&UnitKind::Street) && kinds.contains(&UnitKind::Town) && kinds.contains(&UnitKind::Department));
    }
}

#[test]
fn fai_growth_and_the_province() {
    for (ds, f) in datasets() {
        assert_eq!(f.fai_month, Some(12));
        assert_eq!(f.fai_growth_pct, Some(Pct1::from_tenths(331)));
        assert_eq!(f.fai_province_growth_pct, Some(Pct1::from_tenths(101)));
        assert_eq!(f.fai_points_vs_province, Some(Pct1::from_tenths(230)));
        for division in ["331002", "330000"] {
            for year in [2018, 2019] {
                let rows: Vec<_> = ds.fai.iter().filter(|r| r.division_code == division && r.year == year).collect();
                assert_eq!(rows.iter().map(|r| r.month).collect::<Vec<_>>(), (1..=12).collect::<Vec<_>>());
                assert!(rows.windows(2).all(|w| w[0].cumulative < w[1].cumulative), "monotonic");
            }
        }
    }
}

#[test]
fn the_reserve_pool_and_the_cadence() {
    for (ds, f) in datasets() {
        assert_eq!(f.projects_planned, 188);
        let continuing = ds
            .projects
            .iter()
            .filter(|b| (2016..=2018).contains(&b.project.planned_year))
            .count();
        assert!((60..=100).contains(&continuing), "{continuing} continuing projects");
        let pool_2020: usize = ds
            .projects
            .iter()
            .filter(|b| b.project.planned_year == 2019 && matches!(b.project.stage, Stage::Planning | Stage::Reserve))
            .count();
        assert!(pool_2020 > 10, "planned projects still in the pool for next year: {pool_2020}");
        assert_eq!(f.supervision_rounds, 6);
        for r in &ds.supervision_rounds {
            assert!(!r.targets.is_empty(), "{} has no target", r.name);
            assert!(ds.people.iter().any(|p| p.id == r.leader_id && p.is_leader));
        }
        assert!(ds.supervision_rounds.iter().any(|r| r.name.contains("区委书记督查重点建设项目")));
        assert!(ds.supervision_rounds.iter().any(|r| r.name.contains("分管区长督查滞后项目")));
    }
}

#[test]
fn services_to_enterprises() {
    for (ds, f) in datasets() {
        assert!((2101..2200).contains(&f.enterprise_visits), "2100多家次: {}", f.enterprise_visits);
        assert!(f.problems.closed > 500 && f.problems.closed < 600, "500多个: {}", f.problems.closed);
        assert!(f.problems.open > 0 && f.problems.open < 40, "a few still open: {}", f.problems.open);
        let categories: BTreeSet<&str> = ds.problems.iter().map(|p| p.category.as_str()).collect();
        for c in ["用地", "资金", "审批", "政策处理", "水电气", "人才/用工"] {
            assert!(categories.contains(c), "problem category {c}");
        }
        assert!(ds.problems.iter().any(|p| p.node_id.is_some()), "problems from nodes too");
        assert!(
            ds.problems
                .iter()
                .any(|p| p.status == ProblemStatus::Closed && p.satisfaction.is_some())
        );
        assert!(ds.enterprises.len() >= 300);
        let tagged = |tag: &str| ds.enterprises.iter().filter(|e| e.tags.iter().any(|t| t.contains(tag))).count();
        assert_eq!(tagged("2019年市瞪羚企业"), 8);
        assert_eq!(tagged("2019年省雄鹰培育企业"), 5);
        assert_eq!(tagged("2019年专精特新"), 6);
        let has = |name: &str, tag: &str| {
            ds.enterprises
                .iter()
                .any(|e| e.name.contains(name) && e.tags.iter().any(|t| t.contains(tag)))
        };
        assert!(has("杰克", "雄鹰") && has("海正药业", "雄鹰") && has("泰田机械", "专精特新"));
        assert!(ds.enterprises.iter().all(|e| e.credit_code.as_str().starts_with("9133100")));
    }
}

#[test]
fn land_quota() {
    for (_, f) in datasets() {
        assert_eq!(f.land_quota.granted_mu, "485");
        let allocated = LandArea::parse(&f.land_quota.allocated_mu).unwrap();
        assert!(
            allocated > LandArea::from_mu(100) && allocated < LandArea::from_mu(485),
            "allocated {allocated}"
        );
    }
}

#[test]
fn attraction_teams_and_the_articles_projects() {
    for (ds, _) in datasets() {
        let teams: Vec<&str> = ds
            .units
            .iter()
            .filter(|u| u.kind == UnitKind::AttractionTeam)
            .map(|u| u.name.as_str())
            .collect();
        assert_eq!(teams.len(), 9);
        assert_eq!(teams[0], "第一招商组");
        assert_eq!(teams[8], "第九招商组");
        for name in [
            "上海沪仁医院",
            "星星冷链智能工厂",
            "心海文旅综合体",
            "绿心生态养生园",
            "晶特光学AR元器件",
            "海正博锐",
            "智能远程无人零售终端设备智能工厂",
            "力鑫真空泵业",
        ] {
            let b = project(ds, name);
            assert_eq!(b.project.started_on.map(|d| d.year()), Some(2019), "{name} landed in 2019");
            let lead = ds
                .leads
                .iter()
                .find(|l| l.project_id == Some(b.project.id))
                .unwrap_or_else(|| panic!("lead of {name}"));
            assert_eq!(lead.stage, LeadStage::Landed);
            assert!(lead.signed_on.is_some_and(|s| s.year() >= 2018));
        }
        let stages: BTreeSet<LeadStage> = ds.leads.iter().map(|l| l.stage).collect();
        assert!(stages.contains(&LeadStage::Talks) && stages.contains(&LeadStage::Signed) && stages.contains(&LeadStage::Landed));
        let haizheng = project(ds, "海正博锐");
        assert!(haizheng.project.foreign_investment);
        let largest = ds.projects.iter().filter_map(|b| b.project.foreign_investment_usd_cents).max();
        assert_eq!(largest, haizheng.project.foreign_investment_usd_cents);
        assert!(ds.projects.iter().filter(|b| b.project.foreign_investment).count() >= 2);

        let tower = project(ds, "城西金融大厦");
        let sale = tower.nodes.iter().find(|n| n.name == "土地摘牌").unwrap();
        assert!(sale.status == NodeStatus::Closed && sale.actual_on.is_some_and(|d| d.year() == 2019));
        assert!(tower.project.started_on.is_none());
        assert_eq!(project(ds, "葭沚水城商业文化街区").project.started_on.map(|d| d.year()), Some(2019));
        let school = project(ds, "华东师大台州附属中学");
        let acceptance = school.nodes.iter().find(|n| n.name == "竣工验收").unwrap();
        assert_eq!(acceptance.status, NodeStatus::Open);
        assert!(acceptance.planned_on > as_of(ds) && acceptance.planned_on < ymd(2020, 4, 1));
        assert!(school.nodes.iter().find(|n| n.name == "主体完工").unwrap().status == NodeStatus::Closed);
        assert_eq!(school.project.stage, Stage::Construction);
        assert!(
            ds.supervision_rounds
                .iter()
                .any(|r| r.targets.iter().any(|t| t.0 == school.project.id))
        );
    }
}

#[test]
fn lights_and_nodes_look_like_a_real_year() {
    for (ds, f) in datasets() {
        let count = |l: &str| f.lights.iter().find(|x| x.light == l).map(|x| x.projects).unwrap_or(0);
        let (red, yellow, green) = (count("red"), count("yellow"), count("green"));
        let lit = red + yellow + green;
        assert!(red * 100 >= lit * 5 && red * 100 <= lit * 30, "red {red} of {lit}");
        assert!(yellow * 100 >= lit * 3 && yellow * 100 <= lit * 35, "yellow {yellow} of {lit}");
        assert!(green * 2 > lit, "green {green} of {lit}");
        let rate = f.node_on_time.rate_pct.unwrap();
        assert!(rate >= Pct1::whole(60) && rate <= Pct1::whole(95), "on time {rate}");
        assert!(f.node_on_time.late_done > 0 && f.node_on_time.overdue_open > 0);
        // Each project about ten nodes, a leader, a street.
        assert!(ds.projects.iter().all(|b| b.nodes.len() == 10));
        let stages: BTreeSet<Stage> = ds.projects.iter().map(|b| b.project.stage).collect();
        for s in [
            Stage::Planning,
            Stage::Reserve,
            Stage::Preparation,
            Stage::Construction,
            Stage::Completed,
            Stage::Operating,
            Stage::Terminated,
        ] {
            assert!(stages.contains(&s), "some project is {s:?}");
        }
        // The year's investment: close to plan, never exactly it.
        let done = f.investment.rate_pct.unwrap();
        assert!(done > Pct1::whole(80) && done < Pct1::whole(105), "investment completion {done}");
        for b in &ds.projects {
            if let Some(plan) = b.annual_plans.iter().find(|a| a.0 == 2019).map(|a| a.1) {
                let month_sum: Money = b.monthly_investment.iter().filter(|m| m.0 == 2019).map(|m| m.2).sum();
                assert_ne!(month_sum, plan, "{}", b.project.name);
            }
        }
        let reports: usize = ds.projects.iter().map(|b| b.reports.len()).sum();
        assert!(reports > 800, "{reports} monthly reports");
    }
}

#[test]
fn codes_parse_and_reference_data_exists() {
    for (ds, _) in datasets() {
        assert!(ds.projects.iter().filter(|b| b.project.code.is_some()).count() > 100);
        for b in &ds.projects {
            if let Some(c) = &b.project.code {
                assert_eq!(c.division(), "331002");
                let year: i32 = c.as_str()[..4].parse().unwrap();
                assert!((2014..=2019).contains(&year), "{c}");
            }
            assert!(reference::industry(b.project.industry_code.as_deref().unwrap()).is_some());
        }
        for u in ds.units.iter().filter(|u| matches!(u.kind, UnitKind::Street | UnitKind::Town)) {
            let code = u.division_code.as_ref().unwrap();
            assert_eq!(reference::division_name(code.as_str()), Some(u.name.as_str()));
        }
        assert_eq!(ds.units[0].name, "椒江区人民政府");
        assert_eq!(ds.people.iter().filter(|p| p.is_leader).count(), 12);
    }
}

/// The steered figures do not depend on luck: they hold for every seed.
#[test]
fn the_articles_figures_hold_for_other_seeds() {
    for seed in 100..110 {
        let ds = scenario_2019(seed);
        let f = year_figures(&year_inputs(&ds, 2019));
        let l = |code: &str| {
            let x = landing(&f, code);
            (x.targeted, x.landed)
        };
        assert_eq!(
            (l("prov152"), l("mayor"), l("trillion"), l("digital")),
            ((5, 4), (12, 6), (14, 14), (10, 10)),
            "seed {seed}"
        );
        assert_eq!(
            (f.batches.count, f.batches.total.projects, f.projects_planned, f.supervision_rounds),
            (5, 38, 188, 6)
        );
        assert_eq!(f.batches.total.total_investment_wan, Wan(Money::from_wan(3_635_000)));
        assert_eq!(f.batches.total.annual_investment_wan, Wan(Money::from_wan(941_000)));
        let c = &f.campaigns.iter().find(|c| c.name.contains("奋战60天")).unwrap().completion;
        assert_eq!((c.target_nodes, c.closed_in_time), (60, 60), "seed {seed}");
        assert_eq!((f.fai_growth_pct, f.fai_province_growth_pct), (Some(Pct1(331)), Some(Pct1(101))));
        assert!(f.enterprise_visits > 2100 && f.problems.closed > 500 && f.land_quota.granted_mu == "485");
        assert_eq!(f.categories.iter().find(|c| c.code == "ppp").unwrap().projects, 9);
        assert!(ds.supervision_rounds.iter().all(|r| !r.targets.is_empty()), "seed {seed}");
        check_integrity(&ds);
    }
}
