//! A synthetic district of any size for benchmarks: the same organisation, categories and
//! templates as the scenario, and `n` projects whose fates are left to chance (no figure
//! is steered). Everything around the projects grows in proportion.

use crate::activity::{self, TAG_EAGLE, TAG_GAZELLE, TAG_LITTLE_GIANT, TAG_MANAGEMENT};
use crate::assemble::{Extras, assemble, build_projects};
use crate::district::{County, District, Kind, add_days, as_of, ymd};
use crate::names::{self, NameBook};
use crate::project::{Flavour, ProjectSpec, Stall, StartFate, YEAR, draft};
use crate::rng::{Rng, stream};
use chrono::Datelike;
use zhantu_domain::dataset::{Dataset, ProjectBundle};

fn spec(d: &District, rng: &mut Rng, book: &mut NameBook) -> ProjectSpec {
    let kind = Kind::ALL[rng.weighted(&[40, 15, 20, 10, 15])];
    let flavour = match (kind, rng.below(10)) {
        (Kind::Industrial, 0 | 1) => Flavour::Trillion,
        (Kind::Industrial, 2) => Flavour::Digital,
        _ => Flavour::Any,
    };
    let mut s = draft(d, rng, kind, flavour, book);
    s.planned_year = [2015, 2016, 2017, 2018, YEAR][rng.weighted(&[5, 10, 15, 25, 45])];
    s.planned_start = add_days(ymd(s.planned_year, 3, 1), rng.range(0, 900));
    s.start = StartFate::Auto;
    s.stall = match rng.below(100) {
        0..=7 => Stall::Red,
        8..=17 => Stall::Yellow,
        _ => Stall::None,
    };
    // Only a project that cannot have started yet may be withdrawn from the pool.
    s.terminated = s.planned_start > add_days(as_of(), 10) && rng.percent(3);
    let year = s.planned_start.year();
    if s.terminated || year > YEAR + 1 {
        return s;
    }
    let total_wan = s.total.yuan() / 10_000;
    let mut tag = |code: &str| s.categories.push((d.category(code), year));
    match flavour {
        Flavour::Trillion if names::is_trillion_industry(s.industry) => tag("trillion"),
        Flavour::Digital => tag("digital"),
        _ => {}
    }
    if kind.is_business() && total_wan >= 50_000 {
        tag("over_500m");
    }
    if rng.percent(1) {
        tag("prov152");
    }
    if rng.percent(3) {
        tag("mayor");
    }
    if kind == Kind::Industrial && total_wan >= 50_000 && rng.percent(15) {
        tag("prov_major_industry");
    }
    if kind == Kind::Industrial && rng.percent(3) {
        tag("foreign");
        // About a fifth of the investment from abroad, at 7 元 to the dollar, in cents.
        s.foreign_usd_cents = Some(s.total.yuan() / 5 / 7 * 100);
    }
    if !kind.is_business() && total_wan >= 30_000 && rng.percent(8) {
        s.categories.push((d.category("ppp"), YEAR));
    }
    s
}

/// Projects that started within the week after each batch's date (at most 60 each).
fn batch_members(projects: &[ProjectBundle]) -> Vec<Vec<i64>> {
    (0..activity::BATCHES.len())
        .map(|b| {
            let held = activity::batch_date(b);
            projects
                .iter()
                .filter(|p| p.project.started_on.is_some_and(|s| s >= held && s <= add_days(held, 6)))
                .take(60)
                .map(|p| p.project.id)
                .collect()
        })
        .collect()
}

pub(crate) fn build(n: usize, seed: u64) -> Dataset {
    build_district(District::new(seed), n, seed, &mut NameBook::default())
}

/// One district of another county (its six-digit code), organised as a province's districts
/// are: units named after the county, its own streets and towns and division code.
pub(crate) fn build_county(n: usize, seed: u64, code: &str) -> Option<Dataset> {
    let county = County::of_code(code)?;
    Some(build_district(
        District::of_province(seed, 1, &county),
        n,
        seed,
        &mut NameBook::default(),
    ))
}

/// A province of `k` districts (see [`County::province`]) sharing `n` projects: each
/// district is a whole synthetic district with its own units, people, enterprises,
/// visits, problems and leads; their records are numbered on after the previous
/// district's. One district is [`build`] itself. `None` when the province has fewer
/// than `k` counties to offer.
pub(crate) fn build_province(n: usize, k: usize, seed: u64) -> Option<Dataset> {
    if k <= 1 {
        return Some(build(n, seed));
    }
    let counties = County::province(k)?;
    let mut book = NameBook::default();
    let mut province: Option<Dataset> = None;
    for (i, county) in counties.iter().enumerate() {
        let share = n / k + usize::from(i < n % k);
        // Each district draws from its own seed; the first one from the province's.
        let own_seed = if i == 0 {
            seed
        } else {
            seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407)
        };
        let mut ds = build_district(District::of_province(seed, i, county), share, own_seed, &mut book);
        match province.as_mut() {
            None => {
                for (key, value) in &mut ds.settings {
                    match key.as_str() {
                        "demo_kind" => *value = "province".into(),
                        "demo_seed" => *value = seed.to_string(),
                        _ => {}
                    }
                }
                province = Some(ds);
            }
            Some(p) => {
                let short = county.name.trim_end_matches(['区', '县', '市']);
                for b in &mut ds.batches {
                    b.name = b.name.replace("椒江", short);
                }
                merge(p, ds);
            }
        }
    }
    province
}

/// Appends a district's records to the province's, moving its ids past the ones taken.
/// Categories, project types, templates, approval clocks, rules and settings are the
/// first district's; so is the province's FAI series.
fn merge(p: &mut Dataset, mut d: Dataset) {
    fn next<T>(rows: &[T], id: impl Fn(&T) -> i64) -> i64 {
        rows.iter().map(id).max().unwrap_or(0)
    }
    let unit = next(&p.units, |u| u.id);
    let person = next(&p.people, |x| x.id);
    let project = next(&p.projects, |b| b.project.id);
    let node = p.projects.iter().flat_map(|b| b.nodes.iter().map(|n| n.id)).max().unwrap_or(0);
    let report = p.projects.iter().flat_map(|b| b.reports.iter().map(|r| r.id)).max().unwrap_or(0);
    let enterprise = next(&p.enterprises, |e| e.id);
    let visit = next(&p.visits, |v| v.id);
    let problem = next(&p.problems, |x| x.id);
    let lead = next(&p.leads, |l| l.id);
    let batch = next(&p.batches, |b| b.id);
    let campaign = next(&p.campaigns, |c| c.id);
    let round = next(&p.supervision_rounds, |r| r.id);
    let land = next(&p.land_ledger, |e| e.id);

    for u in &mut d.units {
        u.id += unit;
        u.parent_id = u.parent_id.map(|x| x + unit);
    }
    for x in &mut d.people {
        x.id += person;
        x.unit_id += unit;
    }
    for b in &mut d.projects {
        b.project.id += project;
        b.project.unit_id += unit;
        b.project.leader_id = b.project.leader_id.map(|x| x + person);
        for n in &mut b.nodes {
            n.id += node;
            n.project_id += project;
            n.responsible_unit_id += unit;
            n.responsible_person_id = n.responsible_person_id.map(|x| x + person);
        }
        for r in &mut b.reports {
            r.id += report;
        }
    }
    for e in &mut d.enterprises {
        e.id += enterprise;
    }
    for v in &mut d.visits {
        v.id += visit;
        v.enterprise_id += enterprise;
        v.visitor_id += person;
        v.unit_id += unit;
    }
    for x in &mut d.problems {
        x.id += problem;
        x.project_id = x.project_id.map(|v| v + project);
        x.node_id = x.node_id.map(|v| v + node);
        x.visit_id = x.visit_id.map(|v| v + visit);
        x.enterprise_id = x.enterprise_id.map(|v| v + enterprise);
        x.unit_id += unit;
    }
    for l in &mut d.leads {
        l.id += lead;
        l.team_unit_id += unit;
        l.leader_id = l.leader_id.map(|x| x + person);
        l.project_id = l.project_id.map(|x| x + project);
    }
    for b in &mut d.batches {
        b.id += batch;
        b.project_ids.iter_mut().for_each(|x| *x += project);
    }
    for c in &mut d.campaigns {
        c.id += campaign;
        c.node_ids.iter_mut().for_each(|x| *x += node);
        c.unit_ids.iter_mut().for_each(|x| *x += unit);
    }
    for r in &mut d.supervision_rounds {
        r.id += round;
        r.leader_id += person;
        r.targets.iter_mut().for_each(|t| t.0 += project);
    }
    for e in &mut d.land_ledger {
        e.id += land;
        e.project_id = e.project_id.map(|x| x + project);
    }
    for c in &mut d.confidence {
        c.project_id += project;
    }
    for l in &mut d.support {
        l.unit_id += unit;
    }
    for r in &mut d.statistics {
        r.project_id += project;
    }
    for r in &mut d.results {
        r.project_id += project;
    }
    for l in &mut d.dependencies {
        l.node_id += node;
        l.depends_on_id += node;
    }
    let province_code = p.settings.iter().find(|s| s.0 == "province_division").map(|s| s.1.clone());
    d.fai.retain(|f| Some(&f.division_code) != province_code.as_ref());

    p.units.append(&mut d.units);
    p.people.append(&mut d.people);
    p.projects.append(&mut d.projects);
    p.fai.append(&mut d.fai);
    p.enterprises.append(&mut d.enterprises);
    p.visits.append(&mut d.visits);
    p.problems.append(&mut d.problems);
    p.leads.append(&mut d.leads);
    p.batches.append(&mut d.batches);
    p.campaigns.append(&mut d.campaigns);
    p.supervision_rounds.append(&mut d.supervision_rounds);
    p.land_ledger.append(&mut d.land_ledger);
    p.confidence.append(&mut d.confidence);
    p.support.append(&mut d.support);
    p.statistics.append(&mut d.statistics);
    p.results.append(&mut d.results);
    for f in &mut d.field_work {
        f.person_id += person;
        f.project_id = f.project_id.map(|x| x + project);
    }
    for r in &mut d.field_work_rules {
        r.0 += person;
    }
    p.field_work.append(&mut d.field_work);
    p.field_work_rules.append(&mut d.field_work_rules);
    p.dependencies.append(&mut d.dependencies);
}

fn build_district(d: District, n: usize, seed: u64, book: &mut NameBook) -> Dataset {
    let specs: Vec<ProjectSpec> = (0..n)
        .map(|i| {
            let mut rng = Rng::derive(seed, stream::SPEC, i as u64);
            spec(&d, &mut rng, book)
        })
        .collect();
    let projects = build_projects(&d, seed, &specs);
    let mut rng = Rng::derive(seed, stream::ACTIVITY, 0);
    let enterprises = (n / 10).max(20);
    let visits = (n / 2).max(50);
    let extras = Extras {
        kind: "synthetic",
        enterprises,
        named_enterprises: &[],
        tag_quotas: vec![
            (TAG_GAZELLE, enterprises / 50),
            (TAG_EAGLE, enterprises / 80),
            (TAG_LITTLE_GIANT, enterprises / 70),
            (TAG_MANAGEMENT, enterprises / 80),
        ],
        visits,
        visit_problems: visits / 4,
        open_visit_problems: visits / 100,
        // Half as many problems as projects (issue #8: 50,000 for 100,000 projects): up
        // to half of them on lagging nodes, the rest raised on visits.
        node_problems: n / 4,
        problems_total: Some((n / 2).max(visits / 4)),
        leads_signed_since: ymd(2018, 1, 1),
        talks: n / 40,
        dropped: n / 200,
        batch_members: batch_members(&projects),
        must_supervise: Vec::new(),
        land_prefer: Vec::new(),
        land_share_permille: 900,
        fai_last_december_wan: (n.max(1) as i64 * rng.range(8_000, 11_000) / 1_000 + 1) * 1_000,
        fai_growth_tenths: rng.range(50, 150),
    };
    assemble(d, seed, &specs, projects, extras)
}
