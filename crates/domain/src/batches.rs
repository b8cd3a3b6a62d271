//! Groundbreaking batches (集中开工): their readiness gates and the batches of a year (pure
//! rules and figures).

use crate::error::{RuleError, refuse, require_text};
use crate::figures::{BatchAggregate, batch_aggregate, sum_batches};
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// The nodes a project must have closed before it may join a batch, unless the batch names others.
pub const DEFAULT_GATE_NODES: &[&str] = &["施工许可"];

/// Gate node names from text (`施工许可、土地摘牌`, commas or 顿号); empty text is the default.
pub fn parse_gate_nodes(s: &str) -> Vec<String> {
    let names: Vec<String> = s
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        DEFAULT_GATE_NODES.iter().map(|s| s.to_string()).collect()
    } else {
        names
    }
}

/// A node of a project as the readiness gate sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateNode {
    pub name: String,
    /// Closed out (销号).
    pub closed: bool,
    /// When it was done, as reported and verified.
    pub actual_on: Option<NaiveDate>,
}

impl GateNode {
    /// Was it done by `on`? A node closed without a date counts as done: nothing says otherwise.
    pub fn done_by(&self, on: NaiveDate) -> bool {
        self.closed && self.actual_on.is_none_or(|a| a <= on)
    }
}

/// The gate nodes the project had not done by the batch's date (`held_on`): a gate node the
/// project lacks counts as not done.
pub fn open_gates<'a>(gates: &'a [String], held_on: NaiveDate, nodes: &[GateNode]) -> Vec<&'a str> {
    gates
        .iter()
        .filter(|g| !nodes.iter().any(|n| n.name == **g && n.done_by(held_on)))
        .map(String::as_str)
        .collect()
}

/// How a project joins a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Admission {
    /// Through the readiness gate.
    Ready,
    /// Over the gate, by a coordinator's written reason: the gates still open then.
    Overridden { reason: String, open: Vec<String> },
}

/// The readiness gate (准入条件) of a batch held on `held_on`: every gate node must have been
/// closed out (销号) by then, judged as of that date, so a batch held in the past is recorded
/// as it was. A coordinator may admit a project over the gate with a written reason
/// (`override_reason`); without one the error names every gate still open.
pub fn check_batch_gate(
    project: &str,
    gates: &[String],
    held_on: NaiveDate,
    nodes: &[GateNode],
    override_reason: Option<&str>,
) -> Result<Admission, RuleError> {
    let open = open_gates(gates, held_on, nodes);
    if open.is_empty() {
        return Ok(Admission::Ready);
    }
    match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(reason) => Ok(Admission::Overridden {
            reason: reason.to_string(),
            open: open.iter().map(|s| s.to_string()).collect(),
        }),
        None => refuse(
            "batch_gate_not_met",
            format!(
                "项目“{project}”截至{held_on}尚未完成准入节点销号（{}），不能列入本批集中开工；发改局可填写理由破格列入",
                open.join("、")
            ),
        ),
    }
}

/// A year's batches: how many, and their projects, total and annual investment added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchYear {
    pub year: i32,
    pub batches: u32,
    pub aggregate: BatchAggregate,
}

/// Each item is a batch's date and members (total investment, the batch year's planned
/// investment); the result is one row per year, oldest first.
pub fn batches_per_year(batches: &[(NaiveDate, Vec<(Money, Money)>)]) -> Vec<BatchYear> {
    let mut years: BTreeMap<i32, Vec<BatchAggregate>> = BTreeMap::new();
    for (on, members) in batches {
        years.entry(on.year()).or_default().push(batch_aggregate(members));
    }
    years
        .into_iter()
        .map(|(year, aggs)| BatchYear {
            year,
            batches: aggs.len() as u32,
            aggregate: sum_batches(&aggs),
        })
        .collect()
}

/// A batch's name: not empty (the store keeps it trimmed).
pub fn check_batch_name(name: &str) -> Result<(), RuleError> {
    require_text(name, "batch_name_empty", "批次名称不能为空")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn batch_gates_are_judged_as_of_the_batch_date() {
        let gates = parse_gate_nodes("施工许可、土地摘牌");
        assert_eq!(gates, vec!["施工许可", "土地摘牌"]);
        assert_eq!(parse_gate_nodes(" "), vec!["施工许可"]);
        let node = |name: &str, closed, actual_on| GateNode {
            name: name.into(),
            closed,
            actual_on,
        };
        let held_on = d(2019, 6, 18);
        let nodes = vec![node("施工许可", false, None), node("土地摘牌", true, Some(d(2019, 5, 1)))];
        let e = check_batch_gate("甲", &gates, held_on, &nodes, None).unwrap_err();
        assert!(e.message.contains("施工许可") && !e.message.contains("土地摘牌"), "{e}");
        assert!(e.message.contains("2019-06-18"), "{e}");
        assert_eq!(e.code, "batch_gate_not_met");
        let done = vec![
            node("施工许可", true, Some(d(2019, 6, 18))),
            node("土地摘牌", true, Some(d(2019, 5, 1))),
        ];
        assert_eq!(check_batch_gate("甲", &gates, held_on, &done, None), Ok(Admission::Ready));
        // Closed today, but done after the ceremony: the gate was not met then.
        let late = vec![node("施工许可", true, Some(d(2019, 6, 19))), node("土地摘牌", true, None)];
        assert_eq!(open_gates(&gates, held_on, &late), vec!["施工许可"]);
        assert!(
            check_batch_gate("乙", &["竣工验收".into()], held_on, &nodes, None)
                .unwrap_err()
                .message
                .contains("竣工验收")
        );
        // A coordinator's written reason admits it over the gate; blank is no reason.
        assert_eq!(
            check_batch_gate("甲", &gates, held_on, &late, Some("市里统一安排开工")),
            Ok(Admission::Overridden {
                reason: "市里统一安排开工".into(),
                open: vec!["施工许可".into()],
            })
        );
        assert!(check_batch_gate("甲", &gates, held_on, &late, Some("  ")).is_err());
    }

    #[test]
    fn batches_add_up_per_year() {
        let m = |w: i64| Money::from_wan(w);
        let years = batches_per_year(&[
            (d(2019, 2, 19), vec![(m(100), m(40)), (m(50), m(10))]),
            (d(2019, 6, 18), vec![(m(30), m(30))]),
            (d(2020, 3, 1), vec![(m(7), m(7))]),
        ]);
        assert_eq!(years.len(), 2);
        assert_eq!((years[0].year, years[0].batches, years[0].aggregate.projects), (2019, 2, 3));
        assert_eq!(years[0].aggregate.total_investment_wan.0, m(180));
        assert_eq!(years[0].aggregate.annual_investment_wan.0, m(80));
        assert_eq!(years[1].aggregate.projects, 1);
    }
}
