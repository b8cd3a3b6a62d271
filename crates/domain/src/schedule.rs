//! The versions of a project's schedule. Version 0 is the approved baseline; every approved
//! date change makes the next version. Any two versions can be compared node by node, so the
//! weekly meeting can ask "what moved since the baseline, and since last month".

use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// A node as the baseline set it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineNode {
    pub node_id: i64,
    pub seq: i64,
    pub name: String,
    pub baseline_on: NaiveDate,
}

/// An approved date change, in the order it was approved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovedChange {
    pub node_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reason: String,
    pub requested_by: String,
    pub approved_by: String,
    pub approved_at: String,
}

/// One version: what made it, and every node's planned date in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleVersion {
    pub version: usize,
    /// None for the baseline.
    pub change: Option<ApprovedChange>,
    pub planned: Vec<(i64, NaiveDate)>,
}

/// Every version from the baseline on.
pub fn versions(nodes: &[BaselineNode], changes: &[ApprovedChange]) -> Vec<ScheduleVersion> {
    let mut nodes = nodes.to_vec();
    nodes.sort_by_key(|n| (n.seq, n.node_id));
    let mut current: Vec<(i64, NaiveDate)> = nodes.iter().map(|n| (n.node_id, n.baseline_on)).collect();
    let mut out = vec![ScheduleVersion {
        version: 0,
        change: None,
        planned: current.clone(),
    }];
    for c in changes {
        if let Some(slot) = current.iter_mut().find(|(id, _)| *id == c.node_id) {
            slot.1 = c.to;
        }
        out.push(ScheduleVersion {
            version: out.len(),
            change: Some(c.clone()),
            planned: current.clone(),
        });
    }
    out
}

/// One node's dates in two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeShift {
    pub node_id: i64,
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Days later (positive) or earlier (negative) in the second version.
    pub days: i64,
}

/// Node by node, version `a` against version `b` (None when a version does not exist).
pub fn compare(nodes: &[BaselineNode], all: &[ScheduleVersion], a: usize, b: usize) -> Option<Vec<NodeShift>> {
    let (va, vb) = (all.get(a)?, all.get(b)?);
    let names: HashMap<i64, &str> = nodes.iter().map(|n| (n.node_id, n.name.as_str())).collect();
    let in_b: HashMap<i64, NaiveDate> = vb.planned.iter().copied().collect();
    Some(
        va.planned
            .iter()
            .filter_map(|(id, from)| {
                let to = *in_b.get(id)?;
                Some(NodeShift {
                    node_id: *id,
                    name: names.get(id).copied().unwrap_or_default().to_string(),
                    from: *from,
                    to,
                    days: (to - *from).num_days(),
                })
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, m, day).unwrap()
    }

    fn change(node_id: i64, from: NaiveDate, to: NaiveDate) -> ApprovedChange {
        ApprovedChange {
            node_id,
            from,
            to,
            reason: "土地征迁/政策处理未完成".into(),
            requested_by: "haimen".into(),
            approved_by: "fgj".into(),
            approved_at: "2020-01-05T02:00:00Z".into(),
        }
    }

    #[test]
    fn each_approved_change_is_a_version_and_versions_compare() {
        let nodes = vec![
            BaselineNode {
                node_id: 2,
                seq: 2,
                name: "施工许可".into(),
                baseline_on: d(3, 1),
            },
            BaselineNode {
                node_id: 1,
                seq: 1,
                name: "土地摘牌".into(),
                baseline_on: d(1, 15),
            },
        ];
        let changes = vec![
            change(1, d(1, 15), d(2, 20)),
            change(2, d(3, 1), d(4, 10)),
            change(1, d(2, 20), d(2, 10)),
        ];
        let v = versions(&nodes, &changes);
        assert_eq!(v.len(), 4);
        assert_eq!(v[0].planned, vec![(1, d(1, 15)), (2, d(3, 1))]);
        assert_eq!(v[3].planned, vec![(1, d(2, 10)), (2, d(4, 10))]);
        let since_baseline = compare(&nodes, &v, 0, 3).unwrap();
        assert_eq!(since_baseline[0].days, 26);
        assert_eq!(since_baseline[1].days, 40);
        assert_eq!(since_baseline[1].name, "施工许可");
        let last = compare(&nodes, &v, 2, 3).unwrap();
        assert_eq!(last.iter().map(|s| s.days).collect::<Vec<_>>(), vec![-10, 0]);
        assert!(compare(&nodes, &v, 0, 9).is_none());
    }
}
