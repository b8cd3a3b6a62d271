//! A synthetic district of any size for benchmarks: the same organisation, categories and
//! templates as the scenario, and `n` projects whose fates are left to chance (no figure
//! is steered). Everything around the projects grows in proportion.

use crate::activity::{self, TAG_EAGLE, TAG_GAZELLE, TAG_LITTLE_GIANT, TAG_MANAGEMENT};
use crate::assemble::{Extras, assemble, build_projects};
use crate::district::{District, Kind, add_days, as_of, ymd};
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
    let d = District::new(seed);
    let mut book = NameBook::default();
    let specs: Vec<ProjectSpec> = (0..n)
        .map(|i| {
            let mut rng = Rng::derive(seed, stream::SPEC, i as u64);
            spec(&d, &mut rng, &mut book)
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
        node_problems: n / 20,
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
