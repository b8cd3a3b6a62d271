//! The builder: a spec becomes a full bundle with dated nodes, stage history, annual plans,
//! monthly investment, reports and lights.

use crate::district::{District, add_days, ymd};
use crate::rng::Rng;
use chrono::{Datelike, NaiveDate};
use zhantu_domain::dataset::{ProjectBundle, ReportRow, StageChangeRow};
use zhantu_domain::defaults::{StepKind, StepOwner};
use zhantu_domain::lights::{self, LightRules, LitReason};
use zhantu_domain::model::{Node, NodeStatus, Project, ReportPeriod};
use zhantu_domain::{Money, ProjectCode, Stage};

use super::*;

/// Days a done node finishes after (positive) or before its plan.
fn slip(rng: &mut Rng) -> i64 {
    match rng.below(100) {
        0..=54 => -rng.range(1, 12),
        55..=85 => 0,
        86..=93 => rng.range(1, 10),
        _ => rng.range(15, 45),
    }
}

/// Days 开工 happens after its plan, when left to chance.
fn start_slip(rng: &mut Rng) -> i64 {
    match rng.below(100) {
        0..=59 => rng.range(-5, 0),
        60..=84 => rng.range(1, 30),
        _ => rng.range(31, 150),
    }
}

fn month_start(y: i32, m: u32) -> NaiveDate {
    ymd(y, m, 1)
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    if m == 12 { ymd(y, 12, 31) } else { add_days(ymd(y, m + 1, 1), -1) }
}

fn md(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// Builds bundles, handing out node and report ids.
pub(crate) struct Builder<'a> {
    pub district: &'a District,
    pub as_of: NaiveDate,
    pub rules: LightRules,
    pub next_node_id: i64,
    pub next_report_id: i64,
}

impl<'a> Builder<'a> {
    pub fn new(district: &'a District, as_of: NaiveDate) -> Builder<'a> {
        Builder {
            district,
            as_of,
            rules: LightRules::default(),
            next_node_id: 1,
            next_report_id: 1,
        }
    }

    fn entry_date(&self, spec: &ProjectSpec, rng: &mut Rng) -> NaiveDate {
        let lo = ymd(spec.planned_year, 1, 4);
        let mut hi = ymd(spec.planned_year, 12, 20)
            .min(add_days(spec.planned_start, -150))
            .min(add_days(self.as_of, -7));
        if let StartFate::On(d) = spec.start {
            hi = hi.min(add_days(d, -100));
        }
        for pin in &spec.pins {
            if let PinActual::On(d) = pin.actual {
                hi = hi.min(add_days(d, -60));
            }
        }
        if hi <= lo {
            lo
        } else {
            add_days(lo, rng.range(0, (hi - lo).num_days()))
        }
    }

    pub fn build(&mut self, spec: &ProjectSpec, id: i64, rng: &mut Rng) -> ProjectBundle {
        let d = self.district;
        let as_of = self.as_of;
        let steps = spec.kind.steps();
        let n = steps.len();
        let k = spec.kind.start_index();
        let pin = |i: usize| spec.pins.iter().find(|p| p.step == steps[i].name);
        let entry = self.entry_date(spec, rng);

        // Plan: 开工 on the planned start, approvals before it (squeezed when the project
        // entered the pool late), construction after it at the project's pace.
        let mut planned = vec![spec.planned_start; n];
        let pre_span: i64 = steps[1..=k].iter().map(|s| s.offset_days as i64).sum();
        let room = (spec.planned_start - entry).num_days() - 3;
        for i in (0..k).rev() {
            let off = steps[i + 1].offset_days as i64;
            let off = if room < pre_span {
                (off * room.max(0) / pre_span.max(1)).max(1)
            } else {
                off
            };
            planned[i] = add_days(planned[i + 1], -off);
            if let Some(p) = pin(i).and_then(|p| p.planned) {
                planned[i] = p;
            }
        }
        for i in k + 1..n {
            planned[i] = add_days(planned[i - 1], steps[i].offset_days as i64 * spec.pace / 100);
            if let Some(p) = pin(i).and_then(|p| p.planned) {
                planned[i] = p;
            }
        }

        // Fixed facts: the start date, pinned dates; earlier nodes must finish before them.
        let mut fixed: Vec<Option<NaiveDate>> = vec![None; n];
        let mut forced_open = vec![false; n];
        match spec.start {
            StartFate::On(date) => fixed[k] = Some(date),
            StartFate::NotYet => forced_open[k] = true,
            StartFate::Auto => {}
        }
        for (i, s) in steps.iter().enumerate() {
            if let Some(p) = spec.pins.iter().find(|p| p.step == s.name) {
                match p.actual {
                    PinActual::On(date) => fixed[i] = Some(date),
                    PinActual::Open => forced_open[i] = true,
                }
            }
        }
        let mut upper: Vec<Option<NaiveDate>> = vec![None; n];
        let mut next_fixed: Option<(usize, NaiveDate)> = None;
        for i in (0..n).rev() {
            if let Some((j, date)) = next_fixed {
                upper[i] = Some(add_days(date, -2 * (j - i) as i64));
            }
            if let Some(date) = fixed[i] {
                next_fixed = Some((i, date));
            }
        }
        let last_fixed = fixed.iter().rposition(|f| f.is_some());

        // A stalled node stays open so the project shows a light: for red, the latest node
        // that fell due two weeks to four months ago; for yellow, the next node (due within
        // three months), its plan brought into the week around the as-of date.
        let may_stall = |i: usize| {
            let allowed = match spec.start {
                StartFate::On(_) => i > k,
                StartFate::NotYet => i <= k,
                StartFate::Auto => true,
            };
            allowed && last_fixed.is_none_or(|j| i > j) && !forced_open[i]
        };
        let stall_at = match spec.stall {
            Stall::None => None,
            Stall::Red => {
                let (lo, hi) = (add_days(as_of, -120), add_days(as_of, -15));
                (0..n).rev().find(|&i| may_stall(i) && lo <= planned[i] && planned[i] <= hi)
            }
            Stall::Yellow => {
                let (lo, hi) = (add_days(as_of, -12), add_days(as_of, 6));
                let next = (0..n).find(|&i| may_stall(i) && planned[i] >= lo && planned[i] <= add_days(as_of, 90));
                if let Some(i) = next
                    && planned[i] > hi
                {
                    // Not on the as-of day itself: due soon or a few days late.
                    let offset = if rng.percent(50) { rng.range(-10, -1) } else { rng.range(1, 6) };
                    planned[i] = add_days(as_of, offset).max(if i > 0 { planned[i - 1] } else { lo });
                }
                next
            }
        };
        let mut actual: Vec<Option<NaiveDate>> = vec![None; n];
        let mut prev = entry;
        for i in 0..n {
            if stall_at == Some(i) || forced_open[i] {
                break;
            }
            let a = match fixed[i] {
                Some(date) => date,
                None => {
                    let s = if i == k { start_slip(rng) } else { slip(rng) };
                    let mut a = add_days(planned[i], s);
                    if let Some(u) = upper[i] {
                        a = a.min(u);
                    }
                    a.max(prev)
                }
            };
            if a > as_of {
                break;
            }
            actual[i] = Some(a);
            prev = a;
        }
        let terminated_on = spec.terminated.then(|| {
            add_days(prev.max(entry), rng.range(40, 200))
                .min(add_days(as_of, -3))
                .max(add_days(entry, 1))
        });

        // The stage history the dates imply.
        let mut events: Vec<(Stage, NaiveDate, String)> = vec![(Stage::Planning, entry, "纳入重大项目谋划清单".into())];
        let first_done = actual.iter().flatten().next().copied();
        let mut reserve_on = add_days(entry, rng.range(15, 60));
        if let Some(f) = first_done {
            reserve_on = reserve_on.min(f);
        }
        if let Some(t) = terminated_on {
            reserve_on = reserve_on.min(t);
        }
        if reserve_on <= as_of {
            events.push((Stage::Reserve, reserve_on, "列入区重大项目储备库".into()));
        }
        let mut preparing = false;
        let mut started_at = None;
        for (i, s) in steps.iter().enumerate() {
            let Some(a) = actual[i] else { continue };
            match s.kind {
                StepKind::Sign => events.push((Stage::Signed, a, "签订投资协议".into())),
                StepKind::Register | StepKind::Approval if i < k && !preparing => {
                    preparing = true;
                    events.push((Stage::Preparation, a, format!("进入前期：完成{}", s.name)));
                }
                StepKind::Start => {
                    events.push((Stage::Started, a, "开工建设".into()));
                    started_at = Some(events.len());
                }
                StepKind::Complete => events.push((Stage::Completed, a, "竣工验收".into())),
                StepKind::Operate => events.push((Stage::Operating, a, s.name.to_string())),
                _ => {}
            }
        }
        if let Some(pos) = started_at {
            let start = events[pos - 1].1;
            let limit = events.get(pos).map(|e| e.1).unwrap_or(as_of);
            let c = add_days(start, rng.range(20, 40));
            if c < limit || (c == limit && pos == events.len()) {
                events.insert(pos, (Stage::Construction, c, "转入在建".into()));
            }
        }
        if let Some(t) = terminated_on {
            let reason = *rng.pick(&["投资方投资意愿消退", "项目选址调整", "资金未落实", "规划调整"]);
            events.push((
                Stage::Terminated,
                t.max(events.last().map(|e| e.1).unwrap_or(entry)),
                format!("退库：{reason}"),
            ));
        }
        let mut stage_changes = Vec::with_capacity(events.len());
        let mut from = None;
        for (to, on, note) in events {
            stage_changes.push(StageChangeRow { from, to, on, note });
            from = Some(to);
        }
        let stage = from.expect("at least the entry");

        let step_index = |kind: StepKind| steps.iter().position(|s| s.kind == kind);
        let started_on = actual[k];
        let complete_i = step_index(StepKind::Complete).expect("every template has 竣工验收");
        let completed_on = actual[complete_i];
        let code = step_index(StepKind::Register)
            .and_then(|i| actual[i])
            .and_then(|reg| project_code(d.code, spec, id, reg));

        // Nodes with their owners and lights.
        let mut nodes = Vec::with_capacity(n);
        let mut lits: Vec<LitReason> = Vec::new();
        for i in 0..n {
            let unit = match steps[i].owner {
                StepOwner::Team => spec.team.unwrap_or_else(|| d.dept("投促")),
                StepOwner::Department(key) => d.dept(key),
                StepOwner::Street => d.streets[spec.street].unit_id,
                StepOwner::ProjectUnit => spec.unit_id,
            };
            let done = actual[i].is_some();
            let lit = if done || spec.terminated {
                None
            } else {
                lights::node_light(&self.rules, steps[i].name, planned[i], false, as_of)
            };
            let forecast_on = (!done && !spec.terminated && planned[i] < as_of).then(|| add_days(as_of, rng.range(10, 60)));
            nodes.push(Node {
                id: self.next_node_id,
                project_id: id,
                seq: i as i32 + 1,
                name: steps[i].name.to_string(),
                planned_on: planned[i],
                baseline_on: planned[i],
                forecast_on,
                actual_on: actual[i],
                responsible_unit_id: unit,
                responsible_person_id: d.staff_of(unit, id as u64 + i as u64),
                status: if done { NodeStatus::Closed } else { NodeStatus::Open },
                light: lit.as_ref().map(|l| l.light),
                light_reason: lit.as_ref().map(|l| l.reason.clone()),
                version: 1,
            });
            self.next_node_id += 1;
            if let Some(l) = lit {
                lits.push(l);
            }
        }
        let light = (!spec.terminated).then(|| {
            if let Some(l) = lights::start_light(&self.rules, stage, Some(planned[k]), as_of) {
                lits.push(l);
            }
            let w = lights::worst(lits);
            (w.light, w.reason)
        });

        // Money: plans over the construction years, the year's monthly investment.
        let annual_plans = if spec.terminated {
            Vec::new()
        } else {
            let from = started_on.unwrap_or(planned[k]);
            let to = match (started_on, completed_on) {
                (_, Some(c)) => c,
                (Some(_), None) => planned[complete_i].max(add_days(as_of, 120)),
                (None, None) => planned[complete_i],
            };
            annual_plans(spec, from, to, rng)
        };
        let plan_this_year = annual_plans.iter().find(|p| p.0 == YEAR).map(|p| p.1);
        let monthly_investment = match (started_on, plan_this_year) {
            (Some(start), Some(plan)) => monthly_investment(spec, start, completed_on, plan, as_of, rng),
            _ => Vec::new(),
        };

        let project = Project {
            id,
            code,
            name: spec.name.clone(),
            unit_id: spec.unit_id,
            leader_id: Some(spec.leader_id),
            industry_code: Some(spec.industry.to_string()),
            project_type: spec.kind.key().to_string(),
            stage,
            division_code: Some(d.street_code(spec.street).clone()),
            location: spec.location.clone(),
            land_area: spec.land,
            total_investment: spec.total,
            investor: spec.investor.clone(),
            foreign_investment: spec.foreign_usd_cents.is_some(),
            foreign_investment_usd_cents: spec.foreign_usd_cents,
            planned_year: spec.planned_year,
            planned_start_on: Some(planned[k]),
            started_on,
            completed_on,
            in_statistics_on: started_on.map(|s| add_days(s, rng.range(0, 20)).min(as_of)),
            description: spec.description.clone(),
            version: 1,
        };
        let mut bundle = ProjectBundle {
            project,
            categories: spec.categories.clone(),
            annual_plans,
            monthly_investment,
            stage_changes,
            nodes,
            reports: Vec::new(),
            light,
        };
        bundle.reports = self.reports(&bundle, rng);
        bundle
    }

    /// 月报: one per month the project was being worked on (signed, in approvals, under
    /// construction, or completed that month), with the month's investment.
    fn reports(&mut self, b: &ProjectBundle, rng: &mut Rng) -> Vec<ReportRow> {
        let mut out = Vec::new();
        for m in 1..=12u32 {
            let (ms, me) = (month_start(YEAR, m), month_end(YEAR, m));
            if ms > self.as_of {
                break;
            }
            let stage_at = |date: NaiveDate| b.stage_changes.iter().take_while(|c| c.on <= date).last().map(|c| c.to);
            let Some(stage) = stage_at(me) else { continue };
            let changed_this_month = b.stage_changes.iter().any(|c| c.on >= ms && c.on <= me);
            let active = match stage {
                Stage::Signed | Stage::Preparation | Stage::Started | Stage::Construction => true,
                Stage::Completed | Stage::Operating => changed_this_month,
                Stage::Planning | Stage::Reserve | Stage::Terminated => false,
            };
            if !active {
                continue;
            }
            let investment = b.monthly_investment.iter().find(|x| x.1 == m).map(|x| x.2).unwrap_or(Money::ZERO);
            let mut body = format!("{m}月进展：");
            let done: Vec<&str> = b
                .nodes
                .iter()
                .filter(|x| x.actual_on.is_some_and(|a| a >= ms && a <= me))
                .map(|x| x.name.as_str())
                .collect();
            if !done.is_empty() {
                body.push_str(&format!("完成{}节点。", done.join("、")));
            }
            if let Some(next) = b.nodes.iter().find(|x| x.actual_on.is_none_or(|a| a > me)) {
                let late = (me - next.planned_on).num_days();
                let verb = if b.project.started_on.is_some_and(|s| s <= me) {
                    "施工有序推进，下一节点"
                } else {
                    "正在办理"
                };
                if late > 0 {
                    body.push_str(&format!(
                        "{verb}{}（计划{}完成，已滞后{}天），正在协调推进。",
                        next.name,
                        md(next.planned_on),
                        late
                    ));
                } else {
                    body.push_str(&format!("{verb}{}，计划{}完成。", next.name, md(next.planned_on)));
                }
            } else if stage == Stage::Completed || stage == Stage::Operating {
                body.push_str("项目已全部完成。");
            }
            if investment > Money::ZERO {
                body.push_str(&format!("本月完成投资{}。", investment.display_wan()));
            }
            out.push(ReportRow {
                id: self.next_report_id,
                period: ReportPeriod::Month,
                period_start: ms,
                period_end: me,
                body,
                investment,
                submitted_on: ymd(YEAR, m, 24 + rng.range(0, 3) as u32).min(self.as_of),
            });
            self.next_report_id += 1;
        }
        out
    }
}

/// 投资项目统一代码 (pre-2020 shape): year of registration, the district, the industry's
/// two-digit division, 01 审批 / 03 备案, a serial unique per project id.
fn project_code(district: &str, spec: &ProjectSpec, id: i64, registered: NaiveDate) -> Option<ProjectCode> {
    if !(1..1_000_000).contains(&id) {
        return None;
    }
    let kind_code = if spec.kind.is_business() { "03" } else { "01" };
    let serial = (id * 7_919 + 104_729) % 1_000_000;
    let s = format!("{}-{district}-{}-{kind_code}-{serial:06}", registered.year(), &spec.industry[..2]);
    Some(ProjectCode::parse(&s).expect("generated project codes have the national shape"))
}

/// Plans for each year of the construction period (up to the year after the demo
/// year), in whole 万元, summing to less than the total.
fn annual_plans(spec: &ProjectSpec, from: NaiveDate, to: NaiveDate, rng: &mut Rng) -> Vec<(i32, Money)> {
    let total_wan = spec.total.yuan() / 10_000;
    let last_year = to.year().min(YEAR + 1);
    let mut plans: Vec<(i32, i64)> = Vec::new();
    if from.year() <= last_year {
        let weights: Vec<(i32, i64)> = (from.year()..=last_year)
            .map(|y| {
                let (ys, ye) = (ymd(y, 1, 1).max(from), ymd(y, 12, 31).min(to.max(from)));
                let days = (ye - ys).num_days().max(0) + 30;
                // The first year is a ramp-up: half the pace of a full year.
                (y, if y == from.year() { days / 2 } else { days })
            })
            .collect();
        let span: i64 = weights.iter().map(|w| w.1).sum::<i64>() + (to.year() - last_year).max(0) as i64 * 365;
        let budget = total_wan * rng.range(850, 950) / 1000;
        for (y, w) in weights {
            plans.push((y, (budget * w / span).max(1)));
        }
    }
    if let Some(fixed) = spec.plan_year {
        let fixed_wan = fixed.yuan() / 10_000;
        match plans.iter_mut().find(|p| p.0 == YEAR) {
            Some(p) => p.1 = fixed_wan,
            None => plans.push((YEAR, fixed_wan)),
        }
        let others: i64 = plans.iter().filter(|p| p.0 != YEAR).map(|p| p.1).sum();
        let room = total_wan - fixed_wan;
        if others > room {
            for p in plans.iter_mut().filter(|p| p.0 != YEAR) {
                p.1 = p.1 * room.max(0) / others.max(1);
            }
        }
        plans.retain(|p| p.1 > 0);
        plans.sort();
    }
    plans.into_iter().map(|(y, w)| (y, Money::from_wan(w))).collect()
}

/// The demo year's monthly investment: close to the plan (below it for lagging
/// projects), never exactly the plan, spread over the months the project was building.
fn monthly_investment(
    spec: &ProjectSpec,
    start: NaiveDate,
    completed: Option<NaiveDate>,
    plan: Money,
    as_of: NaiveDate,
    rng: &mut Rng,
) -> Vec<(i32, u32, Money)> {
    let months: Vec<u32> = (1..=12u32)
        .filter(|&m| {
            let (ms, me) = (month_start(YEAR, m), month_end(YEAR, m));
            ms <= as_of && start <= me && completed.is_none_or(|c| c >= ms)
        })
        .collect();
    if months.is_empty() {
        return Vec::new();
    }
    let permille = match spec.stall {
        Stall::Red => rng.range(650, 900),
        Stall::Yellow => rng.range(850, 1_000),
        Stall::None => rng.range(930, 1_120),
    };
    // In hundredths of a 万元 (100 元).
    let plan_c = plan.yuan() / 100;
    let mut target = (plan_c * permille / 1000).max(months.len() as i64);
    if target == plan_c {
        target -= 1;
    }
    let weights: Vec<i64> = months.iter().map(|&m| 100 + 6 * m as i64 + rng.range(0, 50)).collect();
    let wsum: i64 = weights.iter().sum();
    let mut out = Vec::with_capacity(months.len());
    let mut given = 0;
    for (i, (&m, &w)) in months.iter().zip(&weights).enumerate() {
        let amount = if i + 1 == months.len() {
            target - given
        } else {
            (target * w / wsum).max(1)
        };
        given += amount;
        out.push((YEAR, m, Money::from_yuan(amount * 100)));
    }
    out
}
