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

/// The readiness gate (准入条件) of a batch: every gate node must be closed (销号) on the
/// project. `nodes` are the project's (name, closed?) pairs; a gate node the project lacks
/// counts as not closed. The error names every gate still open.
pub fn check_batch_gate(project: &str, gates: &[String], nodes: &[(String, bool)]) -> Result<(), RuleError> {
    let open: Vec<&str> = gates
        .iter()
        .filter(|g| !nodes.iter().any(|(n, closed)| n == *g && *closed))
        .map(String::as_str)
        .collect();
    if open.is_empty() {
        Ok(())
    } else {
        refuse(
            "batch_gate_not_met",
            format!("项目“{project}”尚未完成准入节点销号（{}），不能列入本批集中开工", open.join("、")),
        )
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
    fn batch_gates_name_every_open_node() {
        let gates = parse_gate_nodes("施工许可、土地摘牌");
        assert_eq!(gates, vec!["施工许可", "土地摘牌"]);
        assert_eq!(parse_gate_nodes(" "), vec!["施工许可"]);
        let nodes = vec![("施工许可".to_string(), false), ("土地摘牌".to_string(), true)];
        let e = check_batch_gate("甲", &gates, &nodes).unwrap_err();
        assert!(e.message.contains("施工许可") && !e.message.contains("土地摘牌"), "{e}");
        assert_eq!(e.code, "batch_gate_not_met");
        assert!(check_batch_gate("甲", &gates, &[("施工许可".into(), true), ("土地摘牌".into(), true)]).is_ok());
        assert!(
            check_batch_gate("乙", &["竣工验收".into()], &nodes)
                .unwrap_err()
                .message
                .contains("竣工验收"),
            "a missing node is not closed"
        );
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
