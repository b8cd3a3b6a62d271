//! Properties of the rule engine: it agrees with the older `lights` functions, and lights never
//! get better when only time passes; and the benchmark of the daily recompute
//! (`cargo test --release -p zhantu-domain -- --ignored`).

use super::engine_tests::{ctx, d, node, project};
use super::*;
use crate::calendar::WorkCalendar;
use crate::clocks::{ClockFacts, ExcludedSpan};
use crate::lights::{self, Light, LightRules};
use crate::model::NodeStatus;
use crate::money::Money;
use chrono::NaiveDate;
use proptest::prelude::*;

// ---- the older API agrees ----

proptest! {
    #[test]
    fn the_engine_agrees_with_the_older_light_functions(
        planned in 0i64..3000, asof in 0i64..3000, due_soon in 0i64..30, red_after in 0i64..40, start_red in 0i32..12,
    ) {
        let old = LightRules { node_due_soon_days: due_soon, node_red_after_days_overdue: red_after, start_red_after_months: start_red };
        let rules = RuleSet::from(&old);
        let base = d(2018, 1, 1);
        let (planned, as_of) = (base + chrono::Duration::days(planned), base + chrono::Duration::days(asof));
        let old_node = lights::node_light(&old, "施工许可", planned, false, as_of).unwrap();
        let new_node = evaluate_node(&rules, Stage::Preparation, &node("施工许可", planned, NodeStatus::Open), &ctx(as_of));
        prop_assert_eq!(new_node.light, old_node.light);
        if old_node.light > Light::Green {
            prop_assert_eq!(new_node.reasons[0].detail(), old_node.reason.as_str());
        }
        let old_start = lights::start_light(&old, Stage::Preparation, Some(planned), as_of);
        let mut p = project();
        p.planned_start_on = Some(planned);
        let v = evaluate_project(&rules, &p, &ctx(as_of));
        let new_start = v.reasons.iter().find(|r| r.dimension == Dimension::Start).unwrap();
        match old_start {
            Some(o) => {
                prop_assert_eq!(new_start.light, o.light);
                prop_assert_eq!(new_start.detail(), o.reason.as_str());
            }
            None => prop_assert_eq!(new_start.light, Light::Green),
        }
    }
}

// ---- lights never get better when only time passes ----

/// A small deterministic generator (splitmix64): random but reproducible facts.
pub(crate) struct Gen(u64);

impl Gen {
    pub(crate) fn new(seed: u64) -> Gen {
        Gen(seed)
    }
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    pub(crate) fn day(&mut self, from: NaiveDate, span: i64) -> NaiveDate {
        from + chrono::Duration::days(self.below(span as u64) as i64)
    }
}

const NODE_NAMES: [&str; 10] = [
    "签约",
    "赋码备案",
    "用地预审",
    "土地摘牌",
    "规划许可",
    "施工许可",
    "开工",
    "主体结顶",
    "竣工验收",
    "投产",
];

/// A random project of the kind the store holds: `nodes` nodes, dates around 2019–2020.
pub(crate) fn random_project(g: &mut Gen, id: i64, nodes: usize) -> ProjectFacts {
    let base = d(2019, 1, 1);
    let stage = Stage::ALL[g.below(Stage::ALL.len() as u64) as usize];
    let started_on = (stage.has_landed() || g.chance(5)).then(|| g.day(base, 500));
    let mut planned = g.day(d(2018, 6, 1), 300);
    let node_list = (0..nodes)
        .map(|i| {
            planned += chrono::Duration::days(g.below(90) as i64);
            let status = match g.below(10) {
                0..=4 => NodeStatus::Open,
                5 => NodeStatus::Reported,
                _ => NodeStatus::Closed,
            };
            NodeFacts {
                id: id * 100 + i as i64,
                name: NODE_NAMES[i % NODE_NAMES.len()].to_string(),
                planned_on: planned,
                actual_on: (status != NodeStatus::Open).then(|| planned + chrono::Duration::days(g.below(40) as i64 - 20)),
                status,
            }
        })
        .collect();
    let clocks = if g.chance(50) {
        let start = g.day(base, 400);
        vec![ClockFacts {
            name: "一般企业投资项目审批最多90天".into(),
            limit_days: [60, 90, 100][g.below(3) as usize],
            day_kind: if g.chance(50) { DayKind::Working } else { DayKind::Calendar },
            started_on: Some(start),
            stopped_on: g.chance(40).then(|| start + chrono::Duration::days(g.below(150) as i64)),
            excluded: if g.chance(30) {
                let from = start + chrono::Duration::days(g.below(60) as i64);
                vec![ExcludedSpan {
                    from,
                    until: g.chance(70).then(|| from + chrono::Duration::days(g.below(30) as i64)),
                    reason: "业主自主准备时间".into(),
                }]
            } else {
                vec![]
            },
        }]
    } else {
        vec![]
    };
    let plan = g.below(50_000) as i64;
    ProjectFacts {
        id,
        unit_id: 1 + g.below(40) as i64,
        leader_id: g.chance(90).then(|| 1000 + g.below(12) as i64),
        stage,
        planned_start_on: g.chance(80).then(|| g.day(base, 540)),
        started_on,
        in_statistics_on: started_on
            .filter(|_| g.chance(60))
            .map(|s| s + chrono::Duration::days(g.below(120) as i64)),
        investment: g.chance(85).then(|| InvestmentFacts {
            year: 2019,
            through_month: 1 + g.below(12) as u32,
            completed_ytd: Money::from_wan(g.below(plan as u64 + 1) as i64),
            annual_plan: Money::from_wan(plan),
        }),
        reporting: g.chance(90).then(|| ReportingFacts {
            required_from: g.day(d(2018, 6, 1), 400),
            last_weekly_through: g.chance(50).then(|| g.day(base, 500)),
            last_monthly_through: g.chance(70).then(|| g.day(base, 500)),
        }),
        nodes: node_list,
        clocks,
    }
}

/// The rule sets the property runs over: the default, each investment form, working-day
/// node rules, weekly reports.
fn rule_variants() -> Vec<RuleSet> {
    let mut out = vec![RuleSet::default()];
    for rule in [examples::sanya_investment(), examples::jinhua_investment()] {
        let mut s = RuleSet::default();
        s.rules.retain(|r| r.id != "investment_pace");
        s.rules.push(rule);
        out.push(s);
    }
    let mut s = RuleSet::default();
    for r in &mut s.rules {
        match &mut r.check {
            Check::NodeDue(nd) => {
                nd.day_kind = DayKind::Working;
                nd.reported_counts_as_done = true;
            }
            Check::ReportMissing(m) => {
                m.period = ReportPeriod::Week;
                m.grace_day_kind = DayKind::Calendar;
                m.grace_days = 2;
            }
            _ => {}
        }
    }
    out.push(s);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn lights_never_get_better_when_only_time_passes(seed in any::<u64>(), t1 in 0i64..1200, dt in 0i64..400, variant in 0usize..4) {
        let rules = &rule_variants()[variant];
        let mut g = Gen::new(seed);
        let projects: Vec<ProjectFacts> = (0..6).map(|i| random_project(&mut g, i, 1 + (i as usize % 10))).collect();
        let early = d(2018, 6, 1) + chrono::Duration::days(t1);
        let late = early + chrono::Duration::days(dt);
        let a = evaluate_all(rules, &projects, &ctx(early));
        let b = evaluate_all(rules, &projects, &ctx(late));
        for (va, vb) in a.iter().zip(&b) {
            prop_assert!(vb.light >= va.light, "project {}: {:?} then {:?}\n{:#?}\n{:#?}", va.project_id, va.light, vb.light, va.reasons, vb.reasons);
            for (na, nb) in va.nodes.iter().zip(&vb.nodes) {
                prop_assert!(nb.light >= na.light, "node {}: {:?} then {:?}", na.node_id, na.reasons, nb.reasons);
            }
        }
        let (ba, bb) = (board(&projects, &a), board(&projects, &b));
        let not_better = |x: &Rollup, y: &Rollup| {
            y.light >= x.light && y.counts.red >= x.counts.red && y.counts.red + y.counts.yellow >= x.counts.red + x.counts.yellow
        };
        prop_assert!(not_better(&ba.district, &bb.district));
        prop_assert!(not_better(&ba.nodes, &bb.nodes));
        for (k, r) in &ba.by_unit {
            prop_assert!(not_better(r, &bb.by_unit[k]), "unit {}", k);
        }
        for (k, r) in &ba.by_leader {
            prop_assert!(not_better(r, &bb.by_leader[k]), "leader {}", k);
        }
    }
}

// ---- benchmark ----

/// What a list of reasons takes in memory, with its sentences.
fn reasons_bytes(reasons: &[Reason]) -> usize {
    reasons.iter().map(|r| std::mem::size_of::<Reason>() + r.sentence.capacity()).sum()
}

/// The daily recompute: 100,000 projects × 10 nodes with the default rules. Run with
/// `cargo test --release -p zhantu-domain -- --ignored --nocapture`.
#[test]
#[ignore]
fn bench_recompute_100k_projects() {
    let n_projects = 100_000;
    let mut g = Gen::new(2019);
    let t = std::time::Instant::now();
    let projects: Vec<ProjectFacts> = (0..n_projects).map(|i| random_project(&mut g, i, 10)).collect();
    let built = t.elapsed();
    let facts_bytes: usize = projects
        .iter()
        .map(|p| {
            std::mem::size_of::<ProjectFacts>()
                + p.nodes
                    .iter()
                    .map(|n| std::mem::size_of::<NodeFacts>() + n.name.capacity())
                    .sum::<usize>()
                + p.clocks
                    .iter()
                    .map(|c| std::mem::size_of::<ClockFacts>() + c.name.capacity() + c.excluded.len() * std::mem::size_of::<ExcludedSpan>())
                    .sum::<usize>()
        })
        .sum();
    let rules = RuleSet::default();
    let calendar = WorkCalendar::shipped();
    let c = Context {
        as_of: d(2019, 12, 31),
        calendar,
    };
    let t = std::time::Instant::now();
    let verdicts = evaluate_all(&rules, &projects, &c);
    let b = board(&projects, &verdicts);
    let single = t.elapsed();
    let t = std::time::Instant::now();
    let verdicts2 = evaluate_all_parallel(&rules, &projects, &c, 2);
    let b2 = board(&projects, &verdicts2);
    let parallel = t.elapsed();
    assert_eq!(b, b2);
    let verdict_bytes: usize = verdicts
        .iter()
        .map(|v| {
            std::mem::size_of::<ProjectVerdict>()
                + reasons_bytes(&v.reasons)
                + v.nodes
                    .iter()
                    .map(|n| std::mem::size_of::<NodeVerdict>() + reasons_bytes(&n.reasons))
                    .sum::<usize>()
        })
        .sum();
    let nodes: usize = projects.iter().map(|p| p.nodes.len()).sum();
    let reasons: usize = verdicts
        .iter()
        .map(|v| v.reasons.len() + v.nodes.iter().map(|n| n.reasons.len()).sum::<usize>())
        .sum();
    println!("亮灯重算基准：{n_projects}个项目，{nodes}个节点，{reasons}条理由");
    println!(
        "  输入数据约{:.1} MB（生成用时{:.2}秒），结果约{:.1} MB",
        facts_bytes as f64 / 1e6,
        built.as_secs_f64(),
        verdict_bytes as f64 / 1e6
    );
    println!(
        "  单线程：{:.3}秒；双线程：{:.3}秒（含汇总）",
        single.as_secs_f64(),
        parallel.as_secs_f64()
    );
    println!(
        "  全区：红{} 黄{} 绿{}；节点：红{} 黄{} 绿{}",
        b.district.counts.red,
        b.district.counts.yellow,
        b.district.counts.green,
        b.nodes.counts.red,
        b.nodes.counts.yellow,
        b.nodes.counts.green
    );
    assert!(single.as_secs_f64() < 5.0, "the daily recompute must stay well under 5 s");
}
