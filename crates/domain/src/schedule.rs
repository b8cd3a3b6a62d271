//! The versions of a project's schedule. Version 0 is the approved baseline; every approved
//! date change, and every node added or removed after the baseline (with its reason), makes
//! the next version. Any two versions can be compared node by node, so the weekly meeting can
//! ask "what moved since the baseline, and since last month".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A node of the schedule: one of the baseline's, or one added after it (then not in
/// version 0). A node removed after the baseline is still here, as it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaselineNode {
    pub node_id: i64,
    pub seq: i64,
    pub name: String,
    pub baseline_on: NaiveDate,
    /// In the approved baseline (version 0); false for a node added after it.
    pub in_baseline: bool,
}

/// What a change of the approved schedule did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A planned date moved (an approved date change).
    Date,
    /// A node was added.
    Added,
    /// A node was removed.
    Removed,
}

/// A change of the approved schedule, in the order it took effect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovedChange {
    pub node_id: i64,
    pub kind: ChangeKind,
    /// The planned date before; none for an added node.
    pub from: Option<NaiveDate>,
    /// The planned date after; none for a removed node.
    pub to: Option<NaiveDate>,
    pub reason: String,
    /// A date change's kind of reason (`land`), which `reason` names in Chinese before its
    /// details: a page in another language names it in its own words. `None` for a node added
    /// or removed (its reason is free text) and for changes kept before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// The details typed with a date change's reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_text: Option<String>,
    pub requested_by: String,
    /// Who approved a date change, or who added or removed the node.
    pub approved_by: String,
    pub approved_at: String,
}

impl ApprovedChange {
    /// Days later (positive) or earlier: for a date change only.
    pub fn days(&self) -> Option<i64> {
        Some((self.to? - self.from?).num_days())
    }
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
    let place: HashMap<i64, (i64, i64)> = nodes.iter().map(|n| (n.node_id, (n.seq, n.node_id))).collect();
    let mut current: Vec<(i64, NaiveDate)> = nodes.iter().filter(|n| n.in_baseline).map(|n| (n.node_id, n.baseline_on)).collect();
    let mut out = vec![ScheduleVersion {
        version: 0,
        change: None,
        planned: current.clone(),
    }];
    for c in changes {
        current.retain(|(id, _)| *id != c.node_id || c.kind != ChangeKind::Removed);
        match (c.kind, c.to) {
            (ChangeKind::Removed, _) | (_, None) => {}
            (ChangeKind::Date, Some(to)) => {
                if let Some(slot) = current.iter_mut().find(|(id, _)| *id == c.node_id) {
                    slot.1 = to;
                }
            }
            (ChangeKind::Added, Some(to)) => {
                current.push((c.node_id, to));
                current.sort_by_key(|(id, _)| place.get(id).copied().unwrap_or((i64::MAX, *id)));
            }
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
            kind: ChangeKind::Date,
            from: Some(from),
            to: Some(to),
            reason: "土地征迁/政策处理未完成".into(),
            reason_code: Some("land".into()),
            reason_text: None,
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
                in_baseline: true,
            },
            BaselineNode {
                node_id: 1,
                seq: 1,
                name: "土地摘牌".into(),
                baseline_on: d(1, 15),
                in_baseline: true,
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

    #[test]
    fn nodes_added_and_removed_after_the_baseline_are_versions() {
        let node = |id: i64, seq: i64, on: NaiveDate, in_baseline: bool| BaselineNode {
            node_id: id,
            seq,
            name: format!("节点{id}"),
            baseline_on: on,
            in_baseline,
        };
        let nodes = vec![node(1, 1, d(1, 15), true), node(2, 2, d(3, 1), true), node(3, 2, d(2, 1), false)];
        let added = ApprovedChange {
            kind: ChangeKind::Added,
            from: None,
            ..change(3, d(2, 1), d(2, 1))
        };
        let removed = ApprovedChange {
            kind: ChangeKind::Removed,
            to: None,
            ..change(2, d(3, 1), d(3, 1))
        };
        let v = versions(&nodes, &[added, removed, change(1, d(1, 15), d(1, 20))]);
        assert_eq!(
            v[0].planned,
            vec![(1, d(1, 15)), (2, d(3, 1))],
            "an added node is not in the baseline"
        );
        assert_eq!(v[1].planned, vec![(1, d(1, 15)), (2, d(3, 1)), (3, d(2, 1))]);
        assert_eq!(v[2].planned, vec![(1, d(1, 15)), (3, d(2, 1))]);
        assert_eq!(v[3].planned, vec![(1, d(1, 20)), (3, d(2, 1))]);
        let since = compare(&nodes, &v, 0, 3).unwrap();
        assert_eq!(since.len(), 1, "only nodes in both versions compare: {since:?}");
        assert_eq!(since[0].days, 5);
        assert_eq!(v[2].change.as_ref().unwrap().days(), None);
    }
}
