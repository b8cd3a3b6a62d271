//! Helpers shared by the demo crate's tests: the year's figure inputs gathered from a
//! `Dataset` by the same rules the store applies to its tables, and a referential
//! integrity and consistency check of a whole data set.
#![allow(dead_code)]

use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use zhantu_domain::dataset::{Dataset, ProjectBundle};
use zhantu_domain::figures::{BatchInput, CampaignInput, CategoryInput, FaiInput, Pct1, YearInputs};
use zhantu_domain::model::{LandEntryKind, Node, NodeStatus, UnitKind};
use zhantu_domain::{CreditCode, LandArea, Money, ProjectCode, Stage, reference};

pub fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn setting<'a>(ds: &'a Dataset, key: &str) -> Option<&'a str> {
    ds.settings.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

pub fn as_of(ds: &Dataset) -> NaiveDate {
    setting(ds, "as_of").expect("as_of setting").parse().expect("as_of is a date")
}

/// The project with this id.
pub fn project_by_id(ds: &Dataset, id: i64) -> &ProjectBundle {
    ds.projects
        .iter()
        .find(|b| b.project.id == id)
        .unwrap_or_else(|| panic!("no project {id}"))
}

/// Every node of every project.
pub fn nodes(ds: &Dataset) -> impl Iterator<Item = &Node> {
    ds.projects.iter().flat_map(|b| b.nodes.iter())
}

fn fai_value(ds: &Dataset, division: &str, year: i32, month: u32) -> Option<Money> {
    ds.fai
        .iter()
        .find(|r| r.division_code == division && r.year == year && r.month == month)
        .map(|r| r.cumulative)
}

/// `YearInputs` as the store gathers them (crates/store/src/figures.rs), from records.
pub fn year_inputs(ds: &Dataset, year: i32) -> YearInputs {
    let start = ymd(year, 1, 1);
    let as_of = as_of(ds).min(ymd(year, 12, 31));
    let in_period = |d: NaiveDate| d >= start && d <= as_of;
    let last_month = if as_of < start { 0 } else { as_of.month() };

    let district = setting(ds, "district_division").unwrap_or_default();
    let fai = ds
        .fai
        .iter()
        .filter(|r| r.division_code == district && r.year == year && r.month <= last_month)
        .map(|r| r.month)
        .max()
        .and_then(|month| {
            let this_year = fai_value(ds, district, year, month)?;
            let last_year = fai_value(ds, district, year - 1, month)?;
            let province =
                setting(ds, "province_division").and_then(|p| fai_value(ds, p, year, month).zip(fai_value(ds, p, year - 1, month)));
            Some(FaiInput {
                month,
                this_year,
                last_year,
                province,
            })
        });

    let categories = ds
        .categories
        .iter()
        .map(|c| CategoryInput {
            code: c.category.code.clone(),
            name: c.category.name.clone(),
            tracks_landing: c.tracks_landing,
            target: c.targets.iter().find(|t| t.0 == year).map(|t| Pct1::from_tenths(t.1)),
            landed_on: ds
                .projects
                .iter()
                .filter(|b| b.categories.contains(&(c.category.id, year)))
                .map(|b| b.project.started_on.filter(|d| *d <= as_of))
                .collect(),
        })
        .collect();

    let batches = ds
        .batches
        .iter()
        .filter(|b| in_period(b.held_on))
        .map(|b| BatchInput {
            id: b.id,
            name: b.name.clone(),
            level: b.level.code().into(),
            held_on: b.held_on,
            members: b
                .project_ids
                .iter()
                .map(|id| {
                    let p = project_by_id(ds, *id);
                    let plan = p.annual_plans.iter().find(|a| a.0 == year).map(|a| a.1).unwrap_or(Money::ZERO);
                    (p.project.total_investment, plan)
                })
                .collect(),
        })
        .collect();

    let nodes_by_id: BTreeMap<i64, _> = nodes(ds).map(|n| (n.id, n)).collect();
    let campaigns = ds
        .campaigns
        .iter()
        .filter(|c| in_period(c.starts_on))
        .map(|c| CampaignInput {
            id: c.id,
            name: c.name.clone(),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            closed_on: c
                .node_ids
                .iter()
                .map(|id| {
                    let n = nodes_by_id[id];
                    if n.status == NodeStatus::Closed {
                        n.actual_on.filter(|d| *d <= as_of)
                    } else {
                        None
                    }
                })
                .collect(),
        })
        .collect();

    let node_dates = nodes(ds)
        .filter(|n| in_period(n.planned_on))
        .map(|n| (n.planned_on, if n.status == NodeStatus::Closed { n.actual_on } else { None }))
        .collect();
    let problems = ds
        .problems
        .iter()
        .filter(|p| in_period(p.raised_on))
        .map(|p| (p.raised_on, p.closed_on))
        .collect();

    let mut stages: BTreeMap<String, u32> = BTreeMap::new();
    let mut lights: BTreeMap<String, u32> = BTreeMap::new();
    for b in &ds.projects {
        *stages.entry(b.project.stage.code().into()).or_default() += 1;
        if let Some((l, _)) = &b.light
            && b.project.stage != Stage::Terminated
        {
            *lights.entry(l.code().into()).or_default() += 1;
        }
    }
    let land = |kind: LandEntryKind| -> i64 {
        ds.land_ledger
            .iter()
            .filter(|e| e.kind == kind && e.entry_on <= as_of)
            .map(|e| e.area.centi_mu())
            .sum()
    };

    YearInputs {
        year,
        as_of,
        fai,
        categories,
        batches,
        campaigns,
        nodes: node_dates,
        problems,
        enterprise_visits: ds.visits.iter().filter(|v| in_period(v.visited_on)).count() as u32,
        supervision_rounds: ds.supervision_rounds.iter().filter(|r| in_period(r.held_on)).count() as u32,
        projects_planned: ds.projects.iter().filter(|b| b.project.planned_year == year).count() as u32,
        investment_planned: ds
            .projects
            .iter()
            .flat_map(|b| b.annual_plans.iter())
            .filter(|a| a.0 == year)
            .map(|a| a.1)
            .sum(),
        investment_completed: ds
            .projects
            .iter()
            .flat_map(|b| b.monthly_investment.iter())
            .filter(|m| m.0 == year && m.1 <= last_month)
            .map(|m| m.2)
            .sum(),
        stages: stages.into_iter().collect(),
        lights: lights.into_iter().collect(),
        land_granted: LandArea::from_centi_mu(land(LandEntryKind::Grant)),
        land_allocated: LandArea::from_centi_mu(land(LandEntryKind::Allocation) - land(LandEntryKind::Release)),
    }
}

fn ids_ok(table: &str, ids: impl IntoIterator<Item = i64>, errors: &mut Vec<String>) -> BTreeSet<i64> {
    let mut set = BTreeSet::new();
    for id in ids {
        if !set.insert(id) {
            errors.push(format!("{table}: duplicate id {id}"));
        }
    }
    if let Some(min) = set.first()
        && *min != 1
    {
        errors.push(format!("{table}: ids start at {min}, not 1"));
    }
    set
}

/// Every id unique per table and starting at 1, every reference valid, and each project's
/// stage, dates, nodes and lights consistent. Panics with all the problems found.
pub fn check_integrity(ds: &Dataset) {
    let mut e: Vec<String> = Vec::new();
    let as_of = as_of(ds);
    let units = ids_ok("units", ds.units.iter().map(|u| u.id), &mut e);
    let people = ids_ok("people", ds.people.iter().map(|p| p.id), &mut e);
    let leaders: BTreeSet<i64> = ds.people.iter().filter(|p| p.is_leader).map(|p| p.id).collect();
    let categories = ids_ok("categories", ds.categories.iter().map(|c| c.category.id), &mut e);
    let projects = ids_ok("projects", ds.projects.iter().map(|b| b.project.id), &mut e);
    let node_ids = ids_ok("nodes", nodes(ds).map(|n| n.id), &mut e);
    ids_ok("reports", ds.projects.iter().flat_map(|b| b.reports.iter().map(|r| r.id)), &mut e);
    let enterprises = ids_ok("enterprises", ds.enterprises.iter().map(|x| x.id), &mut e);
    let visits = ids_ok("visits", ds.visits.iter().map(|x| x.id), &mut e);
    ids_ok("problems", ds.problems.iter().map(|x| x.id), &mut e);
    ids_ok("leads", ds.leads.iter().map(|x| x.id), &mut e);
    ids_ok("batches", ds.batches.iter().map(|x| x.id), &mut e);
    ids_ok("campaigns", ds.campaigns.iter().map(|x| x.id), &mut e);
    ids_ok("supervision_rounds", ds.supervision_rounds.iter().map(|x| x.id), &mut e);
    ids_ok("approval_clocks", ds.approval_clocks.iter().map(|x| x.id), &mut e);
    ids_ok("land_ledger", ds.land_ledger.iter().map(|x| x.id), &mut e);

    for u in &ds.units {
        if let Some(p) = u.parent_id
            && !units.contains(&p)
        {
            e.push(format!("unit {} has a missing parent {p}", u.id));
        }
        if let Some(code) = &u.division_code
            && reference::division_name(code.as_str()).is_none()
        {
            e.push(format!("unit {} has an unknown division {code}", u.id));
        }
    }
    for p in &ds.people {
        if !units.contains(&p.unit_id) {
            e.push(format!("person {} in missing unit {}", p.id, p.unit_id));
        }
    }
    let types: BTreeSet<&str> = ds.project_types.iter().map(|t| t.code.as_str()).collect();
    let mut template_keys = BTreeSet::new();
    for t in &ds.node_templates {
        if !types.contains(t.project_type.as_str()) || !template_keys.insert((t.project_type.clone(), t.seq)) {
            e.push(format!("node template {}#{} invalid or repeated", t.project_type, t.seq));
        }
    }
    for c in &ds.approval_clocks {
        let ty = c.project_type.as_deref().unwrap_or("");
        let has = |name: &str| ds.node_templates.iter().any(|t| t.project_type == ty && t.name == name);
        if !types.contains(ty) || !has(&c.start_node) || !has(&c.stop_node) {
            e.push(format!("approval clock {} refers to a missing type or node", c.id));
        }
    }
    let industries: BTreeSet<&str> = reference::industries().map(|r| r.code).collect();
    let mut codes = BTreeSet::new();
    for b in &ds.projects {
        let p = &b.project;
        let pid = p.id;
        if !units.contains(&p.unit_id) {
            e.push(format!("project {pid}: missing unit"));
        }
        if !p.leader_id.is_some_and(|l| leaders.contains(&l)) {
            e.push(format!("project {pid}: leader is not a leader"));
        }
        if !p.industry_code.as_deref().is_some_and(|c| industries.contains(c)) {
            e.push(format!("project {pid}: industry {:?} not in GB/T 4754", p.industry_code));
        }
        if !types.contains(p.project_type.as_str()) {
            e.push(format!("project {pid}: unknown type"));
        }
        match &p.division_code {
            Some(d) if d.as_str().len() == 9 && d.county() == "331002" && reference::division_name(d.as_str()).is_some() => {}
            other => e.push(format!("project {pid}: division {other:?} is not a street or town of 331002")),
        }
        if let Some(code) = &p.code {
            if ProjectCode::parse(code.as_str()).as_ref() != Ok(code) {
                e.push(format!("project {pid}: code {code} does not parse to itself"));
            }
            if !codes.insert(code.clone()) {
                e.push(format!("project {pid}: code {code} repeated"));
            }
        }
        let mut tags = BTreeSet::new();
        for c in &b.categories {
            if !categories.contains(&c.0) || !tags.insert(*c) {
                e.push(format!("project {pid}: category {c:?} missing or repeated"));
            }
        }
        let plan_sum: Money = b.annual_plans.iter().map(|a| a.1).sum();
        if plan_sum > p.total_investment || b.annual_plans.iter().any(|a| a.1 <= Money::ZERO) {
            e.push(format!("project {pid}: plans exceed the total or are not positive"));
        }
        let years: BTreeSet<i32> = b.annual_plans.iter().map(|a| a.0).collect();
        if years.len() != b.annual_plans.len() {
            e.push(format!("project {pid}: a year planned twice"));
        }
        let months: BTreeSet<(i32, u32)> = b.monthly_investment.iter().map(|m| (m.0, m.1)).collect();
        if months.len() != b.monthly_investment.len() || b.monthly_investment.iter().any(|m| m.2 <= Money::ZERO) {
            e.push(format!("project {pid}: monthly investment repeated or not positive"));
        }
        // Nodes: in order, closed ones a prefix with non-decreasing dates, not in the future.
        let mut open_seen = false;
        let mut last_actual = None;
        for (i, n) in b.nodes.iter().enumerate() {
            if n.project_id != pid || n.seq != i as i32 + 1 {
                e.push(format!("node {}: wrong project or sequence", n.id));
            }
            if !units.contains(&n.responsible_unit_id) || n.responsible_person_id.is_some_and(|x| !people.contains(&x)) {
                e.push(format!("node {}: missing responsible unit or person", n.id));
            }
            if n.baseline_on != n.planned_on {
                e.push(format!("node {}: baseline differs from plan", n.id));
            }
            match (n.status, n.actual_on) {
                (NodeStatus::Closed, Some(a)) => {
                    if open_seen || a > as_of || last_actual.is_some_and(|l| a < l) {
                        e.push(format!("node {}: closed out of order or in the future", n.id));
                    }
                    last_actual = Some(a);
                    if n.light.is_some() {
                        e.push(format!("node {}: closed but lit", n.id));
                    }
                }
                (NodeStatus::Open, None) => {
                    open_seen = true;
                    if n.light.is_some() == (p.stage == Stage::Terminated) || n.light.is_some() != n.light_reason.is_some() {
                        e.push(format!("node {}: light does not fit", n.id));
                    }
                }
                _ => e.push(format!("node {}: status and actual date disagree", n.id)),
            }
        }
        let actual_of = |name: &str| b.nodes.iter().find(|n| n.name == name).and_then(|n| n.actual_on);
        if p.started_on != actual_of("开工") {
            e.push(format!("project {pid}: started_on is not the 开工 node's date"));
        }
        if p.completed_on != actual_of("竣工验收") {
            e.push(format!("project {pid}: completed_on is not the 竣工验收 node's date"));
        }
        if p.stage.has_landed() != p.started_on.is_some() {
            e.push(format!("project {pid}: stage {:?} but started_on {:?}", p.stage, p.started_on));
        }
        if matches!(p.stage, Stage::Completed | Stage::Operating) != p.completed_on.is_some() {
            e.push(format!("project {pid}: stage {:?} but completed_on {:?}", p.stage, p.completed_on));
        }
        if p.started_on.is_some() && p.planned_start_on.is_none() {
            e.push(format!("project {pid}: started without a planned start"));
        }
        if b.light.is_some() == (p.stage == Stage::Terminated) {
            e.push(format!("project {pid}: project light does not fit its stage"));
        }
        // Stage history: a chain, in date order, moving forward, ending at the stage.
        let mut prev: Option<(Stage, NaiveDate)> = None;
        for c in &b.stage_changes {
            if c.from != prev.map(|x| x.0) || prev.is_some_and(|(s, d)| !s.can_move_to(c.to) || c.on < d) || c.on > as_of {
                e.push(format!("project {pid}: stage history broken at {:?}", c.to));
            }
            prev = Some((c.to, c.on));
        }
        if prev.map(|x| x.0) != Some(p.stage) {
            e.push(format!("project {pid}: last stage change is not the stage"));
        }
        if b.stage_changes.first().is_some_and(|c| c.on.year() != p.planned_year) {
            e.push(format!("project {pid}: entered the pool outside its planned year"));
        }
        for r in &b.reports {
            let inv = b
                .monthly_investment
                .iter()
                .find(|m| m.0 == r.period_start.year() && m.1 == r.period_start.month());
            if r.investment != inv.map(|m| m.2).unwrap_or(Money::ZERO) || r.submitted_on > as_of || r.body.is_empty() {
                e.push(format!("report {}: investment, date or body wrong", r.id));
            }
        }
    }
    let mut credit = BTreeSet::new();
    for x in &ds.enterprises {
        if CreditCode::parse(x.credit_code.as_str()).as_ref() != Ok(&x.credit_code) || !credit.insert(x.credit_code.clone()) {
            e.push(format!("enterprise {}: credit code invalid or repeated", x.id));
        }
        let tags: BTreeSet<&String> = x.tags.iter().collect();
        if tags.len() != x.tags.len() || !x.industry_code.as_deref().is_some_and(|c| industries.contains(c)) {
            e.push(format!("enterprise {}: repeated tag or unknown industry", x.id));
        }
    }
    for v in &ds.visits {
        if !enterprises.contains(&v.enterprise_id) || !people.contains(&v.visitor_id) || !units.contains(&v.unit_id) {
            e.push(format!("visit {}: broken reference", v.id));
        }
    }
    for p in &ds.problems {
        let ok = p.project_id.is_none_or(|x| projects.contains(&x))
            && p.node_id.is_none_or(|x| node_ids.contains(&x))
            && p.visit_id.is_none_or(|x| visits.contains(&x))
            && p.enterprise_id.is_none_or(|x| enterprises.contains(&x))
            && units.contains(&p.unit_id);
        let closed_ok = p.closed_on.is_none_or(|c| c >= p.raised_on && c <= as_of);
        if !ok || !closed_ok || (p.closed_on.is_some() != (p.status == zhantu_domain::model::ProblemStatus::Closed)) {
            e.push(format!("problem {}: broken reference or status", p.id));
        }
    }
    for l in &ds.leads {
        let team_ok = ds
            .units
            .iter()
            .any(|u| u.id == l.team_unit_id && u.kind == UnitKind::AttractionTeam);
        if !team_ok || l.leader_id.is_some_and(|x| !leaders.contains(&x)) || l.project_id.is_some_and(|x| !projects.contains(&x)) {
            e.push(format!("lead {}: broken reference", l.id));
        }
    }
    for b in &ds.batches {
        let set: BTreeSet<i64> = b.project_ids.iter().copied().collect();
        if set.len() != b.project_ids.len() || !set.is_subset(&projects) {
            e.push(format!("batch {}: repeated or missing project", b.id));
        }
    }
    for c in &ds.campaigns {
        let set: BTreeSet<i64> = c.node_ids.iter().copied().collect();
        if set.len() != c.node_ids.len() || !set.is_subset(&node_ids) || !c.unit_ids.iter().all(|u| units.contains(u)) {
            e.push(format!("campaign {}: repeated or missing node or unit", c.id));
        }
    }
    for r in &ds.supervision_rounds {
        if !leaders.contains(&r.leader_id) || !r.targets.iter().all(|t| projects.contains(&t.0)) {
            e.push(format!("supervision round {}: broken reference", r.id));
        }
    }
    for l in &ds.land_ledger {
        if l.project_id.is_some_and(|x| !projects.contains(&x)) {
            e.push(format!("land entry {}: missing project", l.id));
        }
    }
    assert!(
        e.is_empty(),
        "{} integrity problems, e.g.:\n{}",
        e.len(),
        e.iter().take(30).cloned().collect::<Vec<_>>().join("\n")
    );
}
