//! Dependencies that move dates, and the critical path (关键路径, issue #20 item 2).
//!
//! A project's nodes are milestones, each with a date; a dependency says a node finishes no
//! earlier than `lag_days` after the node it waits for (finish-to-start with a lag, 前置节点 +
//! 间隔). Lags count working days of the district's calendar (审批 steps run on 工作日); the
//! caller passes the calendar and the kind of day, so a test may count calendar days.
//!
//! Definitions (README, "Figures beyond the glossary"):
//! - **预计完成 (forecast)** of a node done (closed, or reported with its date) is its actual
//!   date. Of an open node: the latest of its own forecast (the unit's `forecast_on`, else its
//!   planned date), today when that has passed (an open node cannot finish in the past), and
//!   each predecessor's forecast plus the lag. So a slip pushes every open node after it, never
//!   earlier than its own plan.
//! - **最迟完成 (late date)**: the target, the project's last planned date (the latest
//!   `planned_on` of its nodes), for a node nothing waits for; otherwise the earliest of each
//!   successor's late date minus the lag.
//! - **总时差 (total float)**: days (of the same kind as the lags) from the forecast to the late
//!   date; negative when the node already pushes the project's end past its plan. None for a
//!   node done.
//! - **关键路径 (critical path)**: the open nodes whose float is at most the least float of
//!   any open node raised to 0: `float ≤ max(min float, 0)`. When the
//!   project runs late these are the nodes with float ≤ 0; when it runs ahead, the chain with
//!   the least float (the one that sets the end), as a textbook critical path.
//!
//! A dependency cycle has no schedule: it is refused (`dependency_cycle`).

use crate::calendar::WorkCalendar;
use crate::error::{RuleError, refuse};
use crate::lights::Light;
use crate::model::DayKind;
use crate::rules::ProjectVerdict;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The longest lag, in days.
pub const MAX_LAG_DAYS: i64 = 365;

/// A node as the schedule needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleNode {
    pub id: i64,
    pub name: String,
    pub planned_on: NaiveDate,
    /// The unit's own forecast (预计完成日期), if it gave one.
    pub forecast_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    /// Closed, or reported done: its actual date is its finish.
    pub done: bool,
}

/// A dependency: `node_id` finishes at least `lag_days` after `depends_on_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Link {
    pub node_id: i64,
    pub depends_on_id: i64,
    pub lag_days: i64,
}

/// A node's place in the schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scheduled {
    pub id: i64,
    /// 预计完成: the actual date of a node done.
    pub forecast_on: NaiveDate,
    /// The predecessor whose forecast plus lag sets this forecast, when it is later than the
    /// node's own date (the node was pushed).
    pub pushed_by: Option<i64>,
    /// 最迟完成: the latest finish that keeps the project's last planned date.
    pub late_on: NaiveDate,
    /// 总时差 in days of the lags' kind; none for a node done.
    pub float_days: Option<i64>,
    pub critical: bool,
}

/// A project's computed schedule, nodes in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    pub nodes: Vec<Scheduled>,
    /// The project's last planned date: the target the floats are measured against.
    pub target_on: Option<NaiveDate>,
    /// The latest forecast of any node: when the project is now expected to end.
    pub forecast_end_on: Option<NaiveDate>,
    /// The critical nodes, earliest forecast first.
    pub critical_path: Vec<i64>,
}

impl Schedule {
    pub fn node(&self, id: i64) -> Option<&Scheduled> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

fn shift(cal: &WorkCalendar, kind: DayKind, d: NaiveDate, days: i64) -> NaiveDate {
    cal.add_days(d, days, kind)
}

/// The nodes in an order where each comes after every node it waits for; a cycle refused with
/// the names of the nodes in it. Links naming a node not in `nodes` are ignored.
fn topological(nodes: &[ScheduleNode], links: &[Link]) -> Result<Vec<usize>, RuleError> {
    let at: HashMap<i64, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut waits = vec![0usize; nodes.len()];
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for l in links {
        if let (Some(&n), Some(&d)) = (at.get(&l.node_id), at.get(&l.depends_on_id)) {
            waits[n] += 1;
            next[d].push(n);
        }
    }
    let mut ready: BTreeSet<usize> = (0..nodes.len()).filter(|i| waits[*i] == 0).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &s in &next[i] {
            waits[s] -= 1;
            if waits[s] == 0 {
                ready.insert(s);
            }
        }
    }
    if order.len() < nodes.len() {
        let names: Vec<&str> = (0..nodes.len()).filter(|i| waits[*i] > 0).map(|i| nodes[i].name.as_str()).collect();
        return refuse(
            "dependency_cycle",
            format!("前置节点形成循环（{}）：节点不能直接或间接等待自己", names.join("、")),
        );
    }
    Ok(order)
}

/// The schedule of a project's nodes on `today`, lags counted in `kind` days of `cal`.
pub fn schedule(
    nodes: &[ScheduleNode],
    links: &[Link],
    today: NaiveDate,
    cal: &WorkCalendar,
    kind: DayKind,
) -> Result<Schedule, RuleError> {
    let order = topological(nodes, links)?;
    let at: HashMap<i64, usize> = nodes.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut preds: Vec<Vec<(usize, i64)>> = vec![Vec::new(); nodes.len()];
    let mut succs: Vec<Vec<(usize, i64)>> = vec![Vec::new(); nodes.len()];
    for l in links {
        if let (Some(&n), Some(&d)) = (at.get(&l.node_id), at.get(&l.depends_on_id)) {
            preds[n].push((d, l.lag_days));
            succs[d].push((n, l.lag_days));
        }
    }
    // Forward: forecasts.
    let mut forecast = vec![today; nodes.len()];
    let mut pushed_by = vec![None; nodes.len()];
    for &i in &order {
        let n = &nodes[i];
        if n.done {
            forecast[i] = n.actual_on.unwrap_or(n.planned_on);
            continue;
        }
        let own = n.forecast_on.unwrap_or(n.planned_on).max(today);
        let mut f = own;
        for &(p, lag) in &preds[i] {
            let push = shift(cal, kind, forecast[p], lag);
            if push > f {
                f = push;
                pushed_by[i] = Some(nodes[p].id);
            }
        }
        forecast[i] = f;
    }
    // Backward: late dates against the last planned date.
    let target = nodes.iter().map(|n| n.planned_on).max();
    let mut late = forecast.clone();
    if let Some(t) = target {
        for &i in order.iter().rev() {
            late[i] = succs[i].iter().map(|&(s, lag)| shift(cal, kind, late[s], -lag)).min().unwrap_or(t);
        }
    }
    let float: Vec<Option<i64>> = (0..nodes.len())
        .map(|i| (!nodes[i].done).then(|| cal.days_between(forecast[i], late[i], kind)))
        .collect();
    let least = float.iter().flatten().copied().min();
    let bound = least.map(|m| m.max(0));
    let critical: Vec<bool> = float.iter().map(|f| matches!((f, bound), (Some(f), Some(b)) if *f <= b)).collect();
    let mut path: Vec<usize> = (0..nodes.len()).filter(|i| critical[*i]).collect();
    let rank: HashMap<usize, usize> = order.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    path.sort_by_key(|i| (forecast[*i], rank[i]));
    Ok(Schedule {
        nodes: (0..nodes.len())
            .map(|i| Scheduled {
                id: nodes[i].id,
                forecast_on: forecast[i],
                pushed_by: pushed_by[i],
                late_on: late[i],
                float_days: float[i],
                critical: critical[i],
            })
            .collect(),
        target_on: target,
        forecast_end_on: forecast.iter().max().copied(),
        critical_path: path.into_iter().map(|i| nodes[i].id).collect(),
    })
}

/// A node's float and whether it is critical, as lists of many projects show them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeFloat {
    /// 总时差 in days of the lags' kind; none for a node done.
    pub float_days: Option<i64>,
    pub critical: bool,
}

/// The float of every node of many projects in one pass (the battle map, the node export):
/// `nodes` as `(project id, node)`, `links` of any of them. Each project is scheduled on its
/// own, exactly as [`schedule`] does; a project whose links form a cycle (only possible in data
/// written around the checks) gets no floats rather than failing the whole list.
pub fn floats_by_node(
    nodes: &[(i64, ScheduleNode)],
    links: &[Link],
    today: NaiveDate,
    cal: &WorkCalendar,
    kind: DayKind,
) -> HashMap<i64, NodeFloat> {
    let mut by_project: BTreeMap<i64, Vec<ScheduleNode>> = BTreeMap::new();
    let mut project_of: HashMap<i64, i64> = HashMap::with_capacity(nodes.len());
    for (p, n) in nodes {
        project_of.insert(n.id, *p);
        by_project.entry(*p).or_default().push(n.clone());
    }
    let mut links_of: HashMap<i64, Vec<Link>> = HashMap::new();
    for l in links {
        if let Some(p) = project_of.get(&l.node_id) {
            links_of.entry(*p).or_default().push(*l);
        }
    }
    let mut out = HashMap::with_capacity(nodes.len());
    for (p, ns) in &by_project {
        let ls = links_of.get(p).map(Vec::as_slice).unwrap_or(&[]);
        if let Ok(s) = schedule(ns, ls, today, cal, kind) {
            for n in s.nodes {
                out.insert(
                    n.id,
                    NodeFloat {
                        float_days: n.float_days,
                        critical: n.critical,
                    },
                );
            }
        }
    }
    out
}

/// Checks a node's new predecessors `(node waited for, lag)` against the project's nodes and
/// its other links: each a node of the project other than itself, named once, the lag 0 to
/// [`MAX_LAG_DAYS`], and no cycle. The project's links with the node's replaced, sorted.
pub fn set_predecessors(nodes: &[ScheduleNode], links: &[Link], node_id: i64, preds: &[(i64, i64)]) -> Result<Vec<Link>, RuleError> {
    let ids: BTreeSet<i64> = nodes.iter().map(|n| n.id).collect();
    let mut seen = BTreeSet::new();
    for &(on, lag) in preds {
        if on == node_id {
            return refuse("dependency_self", "节点不能以自己为前置节点");
        }
        if !ids.contains(&on) {
            return refuse("dependency_other_project", format!("前置节点 {on} 不是本项目的节点"));
        }
        if !seen.insert(on) {
            return refuse("dependency_repeated", format!("前置节点 {on} 重复"));
        }
        if !(0..=MAX_LAG_DAYS).contains(&lag) {
            return refuse("dependency_lag_invalid", format!("间隔天数应为0到{MAX_LAG_DAYS}个工作日"));
        }
    }
    let mut out: Vec<Link> = links.iter().copied().filter(|l| l.node_id != node_id).collect();
    out.extend(preds.iter().map(|&(on, lag)| Link {
        node_id,
        depends_on_id: on,
        lag_days: lag,
    }));
    out.sort();
    topological(nodes, &out)?;
    Ok(out)
}

/// The first predecessor (in the order given) of a node that is overdue on `today`: open with
/// its planned date passed. Its name goes into the node's light reason.
pub fn overdue_predecessor<'a>(preds: impl IntoIterator<Item = &'a ScheduleNode>, today: NaiveDate) -> Option<&'a ScheduleNode> {
    preds.into_iter().find(|p| !p.done && p.planned_on < today)
}

/// The reason a red or yellow node gives when a predecessor is overdue, in Chinese and English.
pub fn predecessor_reason(name: &str) -> (String, String) {
    (format!("因前置节点「{name}」逾期"), format!("predecessor \"{name}\" overdue"))
}

/// Names the overdue predecessor in the reason of each red or yellow node of `late` (node id →
/// the predecessor's name, from [`overdue_predecessor`]): `施工许可逾期20天，因前置节点「环评批复」逾期`,
/// in the node's verdict and in the project's reasons alike. Colours, counts and the order of
/// the reasons stay as they were; a green node's reason is left alone.
pub fn name_late_predecessors(v: &mut ProjectVerdict, late: &HashMap<i64, String>) {
    if late.is_empty() {
        return;
    }
    for n in v.nodes.iter_mut().filter(|n| n.light > Light::Green) {
        let (Some(name), Some(r)) = (late.get(&n.node_id), n.reasons.first_mut()) else {
            continue;
        };
        if r.light != n.light {
            continue;
        }
        let old = r.clone();
        let (zh, en) = predecessor_reason(name);
        r.sentence.push('，');
        r.sentence.push_str(&zh);
        r.en.push_str("; ");
        r.en.push_str(&en);
        if let Some(p) = v.reasons.iter_mut().find(|p| **p == old) {
            *p = r.clone();
        }
    }
}

/// The predecessors of each node, by node id (for lists and forms).
pub fn predecessors_of(links: &[Link]) -> BTreeMap<i64, Vec<(i64, i64)>> {
    let mut out: BTreeMap<i64, Vec<(i64, i64)>> = BTreeMap::new();
    for l in links {
        out.entry(l.node_id).or_default().push((l.depends_on_id, l.lag_days));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn node(id: i64, name: &str, planned: &str) -> ScheduleNode {
        ScheduleNode {
            id,
            name: name.into(),
            planned_on: d(planned),
            forecast_on: None,
            actual_on: None,
            done: false,
        }
    }

    fn link(node_id: i64, depends_on_id: i64, lag_days: i64) -> Link {
        Link {
            node_id,
            depends_on_id,
            lag_days,
        }
    }

    fn cal() -> WorkCalendar {
        WorkCalendar::weekends_only()
    }

    /// The textbook activity-on-node network: A (3 days), B (4) and C (2) after A, D (5) after
    /// B and C, E (3) after C. As milestones: each finish is its predecessors' finish plus its
    /// duration (the lag), planned as early as possible from day 0 = 2026-03-01.
    /// Early finishes A 3, B 7, C 5, D 12, E 8; the end 12; late finishes A 3, B 7, C 7, D 12,
    /// E 12; total floats A 0, B 0, C 2, D 0, E 4; critical path A–B–D.
    #[test]
    fn a_textbook_network_with_several_predecessors_and_lags() {
        let day = |n: i64| d("2026-03-01") + chrono::Duration::days(n);
        let mk = |id, name: &str, finish| ScheduleNode {
            planned_on: day(finish),
            ..node(id, name, "2026-03-01")
        };
        let nodes = vec![mk(1, "A", 3), mk(2, "B", 7), mk(3, "C", 5), mk(4, "D", 12), mk(5, "E", 8)];
        let links = vec![link(2, 1, 4), link(3, 1, 2), link(4, 2, 5), link(4, 3, 5), link(5, 3, 3)];
        let s = schedule(&nodes, &links, day(0), &cal(), DayKind::Calendar).unwrap();
        let f = |id| s.node(id).unwrap().clone();
        assert_eq!([1, 2, 3, 4, 5].map(|i| f(i).forecast_on), [day(3), day(7), day(5), day(12), day(8)]);
        assert_eq!([1, 2, 3, 4, 5].map(|i| f(i).late_on), [day(3), day(7), day(7), day(12), day(12)]);
        assert_eq!(
            [1, 2, 3, 4, 5].map(|i| f(i).float_days),
            [Some(0), Some(0), Some(2), Some(0), Some(4)]
        );
        assert_eq!(s.critical_path, vec![1, 2, 4]);
        assert_eq!(s.target_on, Some(day(12)));
        assert_eq!(s.forecast_end_on, Some(day(12)));
        assert!(
            [1, 2, 3, 4, 5].iter().all(|i| f(*i).pushed_by.is_none()),
            "on plan, nothing is pushed"
        );
    }

    /// A slips: it is open past its plan, so its forecast is today; B and C, and through them
    /// D, are pushed to predecessor + lag, and the floats go negative along the chain.
    #[test]
    fn a_slip_propagates_through_the_lags() {
        let nodes = vec![
            node(1, "A", "2026-03-02"),
            node(2, "B", "2026-03-06"),
            node(3, "C", "2026-03-04"),
            node(4, "D", "2026-03-10"),
        ];
        let links = vec![link(2, 1, 4), link(3, 1, 2), link(4, 2, 2), link(4, 3, 1)];
        let today = d("2026-03-05");
        let s = schedule(&nodes, &links, today, &cal(), DayKind::Calendar).unwrap();
        let f = |id| s.node(id).unwrap().clone();
        assert_eq!(f(1).forecast_on, today, "an open node past its plan finishes today at the earliest");
        assert_eq!(f(2).forecast_on, d("2026-03-09"));
        assert_eq!(f(2).pushed_by, Some(1));
        assert_eq!(f(3).forecast_on, d("2026-03-07"));
        assert_eq!(f(4).forecast_on, d("2026-03-11"), "the later of B + 2 and C + 1");
        assert_eq!(f(4).pushed_by, Some(2));
        assert_eq!(f(4).float_days, Some(-1));
        assert_eq!(f(2).float_days, Some(-1));
        assert_eq!(f(1).float_days, Some(-1));
        assert_eq!(f(3).float_days, Some(2), "C: D may wait for it until 03-09");
        assert_eq!(s.critical_path, vec![1, 2, 4]);
        // Never earlier than the node's own plan or forecast.
        let mut later = nodes.clone();
        later[3].forecast_on = Some(d("2026-03-20"));
        let s = schedule(&later, &links, today, &cal(), DayKind::Calendar).unwrap();
        assert_eq!(s.node(4).unwrap().forecast_on, d("2026-03-20"));
        assert_eq!(s.node(4).unwrap().pushed_by, None);
    }

    /// Lags count working days when asked: 2026-03-06 is a Friday; two working days later is
    /// Tuesday 03-10.
    #[test]
    fn working_day_lags_skip_the_weekend() {
        let nodes = vec![node(1, "环评", "2026-03-06"), node(2, "施工许可", "2026-03-06")];
        let s = schedule(&nodes, &[link(2, 1, 2)], d("2026-03-01"), &cal(), DayKind::Working).unwrap();
        assert_eq!(s.node(2).unwrap().forecast_on, d("2026-03-10"));
        assert_eq!(s.node(2).unwrap().float_days, Some(-2));
    }

    /// Closed nodes finish on their actual date, early or late, and carry no float; what
    /// follows them is pushed from that date.
    #[test]
    fn closed_nodes_use_their_actual_dates() {
        let mut a = node(1, "A", "2026-03-02");
        a.done = true;
        a.actual_on = Some(d("2026-03-04"));
        let nodes = vec![a, node(2, "B", "2026-03-05")];
        let s = schedule(&nodes, &[link(2, 1, 3)], d("2026-03-01"), &cal(), DayKind::Calendar).unwrap();
        assert_eq!(s.node(1).unwrap().forecast_on, d("2026-03-04"));
        assert_eq!(s.node(1).unwrap().float_days, None);
        assert!(!s.node(1).unwrap().critical);
        assert_eq!(s.node(2).unwrap().forecast_on, d("2026-03-07"));
        assert_eq!(s.critical_path, vec![2]);
        // Done early: B keeps its plan.
        let mut early = nodes.clone();
        early[0].actual_on = Some(d("2026-03-01"));
        let s = schedule(&early, &[link(2, 1, 3)], d("2026-03-01"), &cal(), DayKind::Calendar).unwrap();
        assert_eq!(s.node(2).unwrap().forecast_on, d("2026-03-05"));
    }

    #[test]
    fn cycles_and_bad_predecessors_are_refused() {
        let nodes = vec![node(1, "A", "2026-03-02"), node(2, "B", "2026-03-06"), node(3, "C", "2026-03-08")];
        let links = vec![link(2, 1, 0), link(3, 2, 0)];
        let e = set_predecessors(&nodes, &links, 1, &[(3, 0)]).unwrap_err();
        assert_eq!(e.code, "dependency_cycle");
        assert!(e.message.contains('A') && e.message.contains('C'), "{}", e.message);
        let e = schedule(&nodes, &[link(1, 2, 0), link(2, 1, 0)], d("2026-03-01"), &cal(), DayKind::Calendar).unwrap_err();
        assert_eq!(e.code, "dependency_cycle");
        let code = |preds: &[(i64, i64)]| set_predecessors(&nodes, &links, 3, preds).unwrap_err().code;
        assert_eq!(code(&[(3, 0)]), "dependency_self");
        assert_eq!(code(&[(9, 0)]), "dependency_other_project");
        assert_eq!(code(&[(1, 0), (1, 2)]), "dependency_repeated");
        assert_eq!(code(&[(1, -1)]), "dependency_lag_invalid");
        assert_eq!(code(&[(1, MAX_LAG_DAYS + 1)]), "dependency_lag_invalid");
        let ok = set_predecessors(&nodes, &links, 3, &[(1, 5), (2, 0)]).unwrap();
        assert_eq!(ok, vec![link(2, 1, 0), link(3, 1, 5), link(3, 2, 0)]);
        assert_eq!(predecessors_of(&ok)[&3], vec![(1, 5), (2, 0)]);
    }

    #[test]
    fn a_red_nodes_reason_names_its_late_predecessor() {
        use crate::rules::{Context, NodeFacts, ProjectFacts, RuleSet, evaluate_project};
        let facts = ProjectFacts {
            id: 1,
            unit_id: 10,
            leader_id: None,
            stage: crate::Stage::Preparation,
            planned_start_on: None,
            started_on: None,
            in_statistics_on: None,
            investment: None,
            reporting: None,
            clocks: vec![],
            nodes: vec![
                NodeFacts {
                    id: 1,
                    name: "环评批复".into(),
                    planned_on: d("2026-01-05"),
                    actual_on: None,
                    status: crate::model::NodeStatus::Open,
                },
                NodeFacts {
                    id: 2,
                    name: "施工许可".into(),
                    planned_on: d("2026-01-10"),
                    actual_on: None,
                    status: crate::model::NodeStatus::Open,
                },
            ],
        };
        let cal = cal();
        let ctx = Context {
            as_of: d("2026-03-02"),
            calendar: &cal,
        };
        let rules = RuleSet::default();
        let plain = evaluate_project(&rules, &facts, &ctx);
        let mut v = plain.clone();
        name_late_predecessors(&mut v, &HashMap::from([(2, "环评批复".to_string())]));
        assert_eq!(v.light, plain.light);
        assert_eq!(v.node_counts, plain.node_counts);
        assert_eq!(v.reasons.len(), plain.reasons.len());
        let node = &v.nodes[1];
        assert_eq!(node.light, Light::Red);
        assert!(
            node.reasons[0].detail().ends_with("，因前置节点「环评批复」逾期"),
            "{}",
            node.reasons[0].sentence
        );
        assert!(
            node.reasons[0].detail_en().ends_with("; predecessor \"环评批复\" overdue"),
            "{}",
            node.reasons[0].en
        );
        assert!(
            v.reasons.iter().any(|r| r.sentence == node.reasons[0].sentence),
            "the project's reasons too"
        );
        assert_eq!(v.nodes[0], plain.nodes[0], "the node without a late predecessor is unchanged");
    }

    #[test]
    fn an_overdue_predecessor_is_named() {
        let mut a = node(1, "环评批复", "2026-03-02");
        let b = node(2, "用地预审", "2026-03-09");
        let today = d("2026-03-05");
        assert_eq!(overdue_predecessor([&b, &a], today).map(|n| n.id), Some(1));
        a.done = true;
        assert_eq!(overdue_predecessor([&b, &a], today), None);
        assert_eq!(
            predecessor_reason("环评批复"),
            (
                "因前置节点「环评批复」逾期".to_string(),
                "predecessor \"环评批复\" overdue".to_string()
            )
        );
    }

    /// Many projects at once give each node the float its own project's schedule gives it,
    /// and a project with a cycle gives none while the others keep theirs.
    #[test]
    fn floats_of_many_projects_in_one_pass_match_each_schedule() {
        let today = d("2026-03-02");
        let a = vec![
            node(1, "立项", "2026-03-10"),
            node(2, "开工", "2026-04-10"),
            node(3, "环评", "2026-03-20"),
        ];
        let a_links = vec![link(2, 1, 5)];
        let b = [node(10, "甲", "2026-05-01"), node(11, "乙", "2026-05-02")];
        let b_links = vec![link(10, 11, 0), link(11, 10, 0)];
        let mut all: Vec<(i64, ScheduleNode)> = a.iter().map(|n| (7, n.clone())).collect();
        all.extend(b.iter().map(|n| (8, n.clone())));
        let links: Vec<Link> = a_links.iter().chain(&b_links).copied().collect();
        let f = floats_by_node(&all, &links, today, &cal(), DayKind::Working);
        let s = schedule(&a, &a_links, today, &cal(), DayKind::Working).unwrap();
        for n in &s.nodes {
            assert_eq!(
                f[&n.id],
                NodeFloat {
                    float_days: n.float_days,
                    critical: n.critical
                }
            );
        }
        assert!(f[&2].critical && !f[&3].critical);
        assert!(!f.contains_key(&10) && !f.contains_key(&11));
    }
}
