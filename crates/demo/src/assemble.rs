//! Putting a data set together: build the projects from their specs, then everything
//! around them, the same way for the scenario and the synthetic district.

use crate::activity::{self, NamedEnterprise};
use crate::district::{District, PROVINCE_DIVISION, as_of, ymd};
use crate::project::{Builder, ProjectSpec};
use crate::rng::{Rng, stream};
use chrono::NaiveDate;
use zhantu_domain::dataset::{Dataset, ProjectBundle};
use zhantu_domain::defaults;
use zhantu_domain::lights::LightRules;

/// Land granted by the province: 150 + 160 + 175 = 485 亩 over three years.
const LAND_GRANTS: [((i32, u32, u32), i64); 3] = [((2017, 6, 20), 150), ((2018, 7, 16), 160), ((2019, 5, 28), 175)];

/// The province's December cumulative FAI of the year before (万元) and its growth.
const PROVINCE_FAI_LAST_DECEMBER_WAN: i64 = 342_000_000;
const PROVINCE_FAI_GROWTH_TENTHS: i64 = 101;

/// How much of everything around the projects to make.
pub(crate) struct Extras {
    pub kind: &'static str,
    pub enterprises: usize,
    pub named_enterprises: &'static [NamedEnterprise],
    pub tag_quotas: Vec<(&'static str, usize)>,
    pub visits: usize,
    pub visit_problems: usize,
    pub open_visit_problems: usize,
    pub node_problems: usize,
    /// When set, visit problems make up the rest of this many problems in all (the
    /// synthetic district's share of problems, however many lagging nodes it has).
    pub problems_total: Option<usize>,
    pub leads_signed_since: NaiveDate,
    pub talks: usize,
    pub dropped: usize,
    /// Project ids of each of the year's batches.
    pub batch_members: Vec<Vec<i64>>,
    /// (round index, project id) a supervision round must visit.
    pub must_supervise: Vec<(usize, i64)>,
    /// Projects served first from the land quota.
    pub land_prefer: Vec<i64>,
    pub land_share_permille: i64,
    pub fai_last_december_wan: i64,
    pub fai_growth_tenths: i64,
}

pub(crate) fn build_projects(d: &District, seed: u64, specs: &[ProjectSpec]) -> Vec<ProjectBundle> {
    let mut builder = Builder::new(d, as_of());
    specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let mut rng = Rng::derive(seed, stream::PROJECT, i as u64);
            builder.build(spec, i as i64 + 1, &mut rng)
        })
        .collect()
}

pub(crate) fn assemble(d: District, seed: u64, specs: &[ProjectSpec], mut projects: Vec<ProjectBundle>, x: Extras) -> Dataset {
    let as_of = as_of();
    let enterprises = activity::enterprises(&d, seed, x.enterprises, x.named_enterprises, &x.tag_quotas);
    let mut visits = activity::visits(&d, seed, &enterprises, x.visits, as_of);
    let node_problems = activity::node_problems(seed, &projects, &d, x.node_problems, as_of);
    let visit_problems = match x.problems_total {
        Some(total) => total.saturating_sub(node_problems.len()),
        None => x.visit_problems,
    };
    let mut problems = activity::visit_problems(&d, seed, &mut visits, &enterprises, visit_problems, x.open_visit_problems, as_of);
    problems.extend(node_problems);
    problems.sort_by_key(|p| (p.raised_on, p.visit_id, p.node_id));
    for (i, p) in problems.iter_mut().enumerate() {
        p.id = i as i64 + 1;
    }
    let mut leads = activity::leads(&d, seed, &projects, specs, x.leads_signed_since, x.talks, x.dropped);
    activity::lead_clocks(&mut leads, as_of);
    let campaigns = activity::campaigns(&d, seed, &projects);
    let supervision_rounds = activity::supervision_rounds(&d, seed, &projects, crate::project::YEAR, &x.must_supervise);
    let grants: Vec<(NaiveDate, i64)> = LAND_GRANTS.iter().map(|((y, m, day), mu)| (ymd(*y, *m, *day), *mu)).collect();
    let land_ledger = activity::land_ledger(seed, &projects, &grants, &x.land_prefer, x.land_share_permille);
    let mut fai = activity::fai_rows(seed, 1, d.code, x.fai_last_december_wan, x.fai_growth_tenths);
    fai.extend(activity::fai_rows(
        seed,
        2,
        PROVINCE_DIVISION,
        PROVINCE_FAI_LAST_DECEMBER_WAN,
        PROVINCE_FAI_GROWTH_TENTHS,
    ));
    let statistics = crate::statistics::rows(&mut projects, d.code, as_of);

    let confidence = activity::confidence(&d, seed, &projects, as_of);
    let support = activity::support(&d, seed);
    let results = activity::results(seed, &projects, &leads);
    let (field_work, field_work_rules) = crate::field_work::entries(&d, &projects, as_of);
    let dependencies = activity::dependencies(&projects, as_of);
    Dataset {
        settings: d.settings(seed, x.kind),
        categories: d.categories.clone(),
        project_types: defaults::project_types(),
        node_templates: defaults::node_templates(),
        approval_clocks: defaults::approval_clocks(),
        projects,
        fai,
        enterprises,
        visits,
        problems,
        leads,
        batches: activity::batch_rows(x.batch_members),
        campaigns,
        supervision_rounds,
        land_ledger,
        light_rules: LightRules::default(),
        results,
        units: d.units,
        people: d.people,
        confidence,
        support,
        statistics,
        field_work,
        field_work_rules,
        dependencies,
    }
}
