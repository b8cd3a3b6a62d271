//! A project's nodes as a plan (分解节点): a draft its unit shapes freely (add, rename, date,
//! remove, reorder) until a coordinator approves it as the baseline (基准). After that a node
//! added or removed needs its reason and becomes a version of the schedule
//! (`crate::schedule`), and a planned date moves only through an approved date change.
//! Here too: the order of the nodes and the dependencies that follow it, and when a node may
//! be removed.

use crate::error::{RuleError, refuse};
use crate::labelled::code_enum;
use std::collections::{BTreeSet, HashMap};

code_enum!(
    /// 基准: whether a project's plan is still a draft or its baseline is approved.
    Baseline {
        Draft = "draft", "草拟中", "Draft";
        Approved = "approved", "基准已确定", "Baseline approved";
    }
);

/// A node's name: 1 to 60 characters.
pub fn check_node_name(name: &str) -> Result<(), RuleError> {
    let n = name.trim().chars().count();
    if n == 0 || n > 60 {
        return refuse("node_name_invalid", "节点名称应为1到60个字");
    }
    Ok(())
}

/// Adding or removing a node after the baseline is a change of the approved schedule: it
/// needs its reason, kept as a version of the schedule. Before, none is asked.
pub fn check_plan_change(baseline: Baseline, reason: &str) -> Result<(), RuleError> {
    if baseline == Baseline::Approved && reason.trim().is_empty() {
        return refuse("node_change_reason_missing", "基准已确定：增加或删除节点须说明原因");
    }
    Ok(())
}

/// A planned date is set directly only while the plan is a draft; after the baseline it moves
/// through a date change request a coordinator approves.
pub fn check_direct_date(baseline: Baseline) -> Result<(), RuleError> {
    if baseline == Baseline::Approved {
        return refuse(
            "use_date_change",
            "计划日期须通过改期申请修改（POST /api/v1/nodes/{id}/date-change），经发改局审批后生效",
        );
    }
    Ok(())
}

/// A date change request is for an approved schedule; a draft's dates are set directly.
pub fn check_date_change_allowed(baseline: Baseline) -> Result<(), RuleError> {
    if baseline == Baseline::Draft {
        return refuse(
            "baseline_not_approved",
            "计划尚未确定基准：计划日期可直接修改（PATCH /api/v1/nodes/{id} 的 planned_on），无需改期申请",
        );
    }
    Ok(())
}

/// The close-out's second step (核验): approving needs the coordinator's explicit confirmation
/// that the evidence was looked at (a ticked box, not one click from a list); sending back
/// needs the reason the unit will read.
pub fn check_verification(approve: bool, confirmed: bool, reason: &str) -> Result<(), RuleError> {
    if approve && !confirmed {
        return refuse("node_verify_unconfirmed", "核验销号须先确认已查看佐证材料");
    }
    if !approve && reason.trim().is_empty() {
        return refuse("node_return_reason_missing", "退回须说明理由");
    }
    Ok(())
}

/// The setting (区县设置 key) naming how far, in kilometres, a photo may have been taken from
/// its project before the coordinator is warned; [`DEFAULT_PHOTO_RADIUS_KM`] when absent.
pub const PHOTO_RADIUS_SETTING: &str = "evidence_photo_radius_km";
pub const DEFAULT_PHOTO_RADIUS_KM: f64 = 2.0;

/// The radius from the setting's text: a positive number of kilometres, else the default.
pub fn photo_radius_km(setting: Option<&str>) -> f64 {
    setting
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(DEFAULT_PHOTO_RADIUS_KM)
}

/// How far a photo was taken from its project, in kilometres, when that is more than `radius_km`
/// (the coordinator's warning: "照片拍摄位置距项目约12.3公里"); `None` when near, or when
/// the photo or the project has no position.
pub fn photo_far_from_project(photo: Option<crate::exif::GeoPoint>, project: Option<crate::exif::GeoPoint>, radius_km: f64) -> Option<f64> {
    let d = photo?.distance_km(project?);
    (d > radius_km).then_some(d)
}

/// What a node carries that forbids removing it: the record of work done or of things that
/// point at it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeRemoval {
    pub name: String,
    /// `open`, `reported` or `closed`.
    pub status: String,
    pub evidence: i64,
    pub problems: i64,
    pub campaigns: i64,
    pub pending_date_changes: i64,
    /// 督办单 issued on the node (they keep its history).
    pub instructions: i64,
}

/// May the node be removed? Not once reported or closed, nor while evidence, a problem, a
/// campaign (攻坚擂台赛) or a pending date change names it.
pub fn check_node_removal(n: &NodeRemoval) -> Result<(), RuleError> {
    let name = &n.name;
    match n.status.as_str() {
        "closed" => return refuse("node_closed", format!("节点“{name}”已销号，不能删除")),
        "reported" => return refuse("node_reported", format!("节点“{name}”已报送完成、待核验，不能删除")),
        _ => {}
    }
    if n.evidence > 0 {
        return refuse("node_has_evidence", format!("节点“{name}”有{}份佐证材料，不能删除", n.evidence));
    }
    if n.problems > 0 {
        return refuse(
            "node_has_problems",
            format!("节点“{name}”关联{}个问题，请先在问题清单中处理后再删除", n.problems),
        );
    }
    if n.instructions > 0 {
        return refuse(
            "node_has_instructions",
            format!("节点“{name}”有{}份督办单，不能删除", n.instructions),
        );
    }
    if n.campaigns > 0 {
        return refuse("node_in_campaign", format!("节点“{name}”是攻坚擂台赛的目标节点，不能删除"));
    }
    if n.pending_date_changes > 0 {
        return refuse(
            "node_date_change_pending",
            format!("节点“{name}”有待审批的改期申请，请先审批后再删除"),
        );
    }
    Ok(())
}

/// A dependency: `(node, the node it waits for)`.
pub type Dependency = (i64, i64);

/// Do the dependencies chain the nodes in this order, each waiting for the one before (as a
/// plan from a template does)? No dependencies at all counts too: the order is the rule.
fn is_chain(order: &[i64], deps: &[Dependency]) -> bool {
    let chain: BTreeSet<Dependency> = order.windows(2).map(|w| (w[1], w[0])).collect();
    deps.is_empty() || deps.iter().copied().collect::<BTreeSet<_>>() == chain
}

fn chain(order: &[i64], deps: &[Dependency]) -> Vec<Dependency> {
    if deps.is_empty() {
        return Vec::new();
    }
    order.windows(2).map(|w| (w[1], w[0])).collect()
}

/// The dependencies after the nodes take `new_order` (which must name every node of `order`
/// once). A chain becomes the chain of the new order; other dependencies stay, and the order
/// may not put a node before one it waits for.
pub fn reorder(order: &[i64], deps: &[Dependency], new_order: &[i64]) -> Result<Vec<Dependency>, RuleError> {
    let old: BTreeSet<i64> = order.iter().copied().collect();
    let new: BTreeSet<i64> = new_order.iter().copied().collect();
    if new.len() != new_order.len() || old != new {
        return refuse(
            "node_order_mismatch",
            format!("新的顺序应列出本项目的全部{}个节点，每个一次", order.len()),
        );
    }
    if is_chain(order, deps) {
        return Ok(chain(new_order, deps));
    }
    let at: HashMap<i64, usize> = new_order.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    if deps.iter().any(|(n, d)| at[n] < at[d]) {
        return refuse("node_order_breaks_dependency", "新的顺序把节点排在了它所依赖的节点之前");
    }
    Ok(deps.to_vec())
}

/// The dependencies after node `id` joins the plan at `position` (0 first): a chain takes it
/// in its place; otherwise it waits for nothing but the order.
pub fn insert(order: &[i64], deps: &[Dependency], id: i64, position: usize) -> Vec<Dependency> {
    if !is_chain(order, deps) || deps.is_empty() && order.len() > 1 {
        return deps.to_vec();
    }
    let mut new_order = order.to_vec();
    new_order.insert(position.min(order.len()), id);
    new_order.windows(2).map(|w| (w[1], w[0])).collect()
}

/// The dependencies after node `id` leaves the plan: what waited for it waits for what it
/// waited for.
pub fn remove(deps: &[Dependency], id: i64) -> Vec<Dependency> {
    let before: Vec<i64> = deps.iter().filter(|(n, _)| *n == id).map(|(_, d)| *d).collect();
    let mut out: BTreeSet<Dependency> = deps.iter().copied().filter(|(n, d)| *n != id && *d != id).collect();
    for (n, _) in deps.iter().filter(|(_, d)| *d == id) {
        for d in &before {
            out.insert((*n, *d));
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_reasons_and_dates_follow_the_baseline() {
        assert!(check_node_name("土地摘牌").is_ok());
        assert_eq!(check_node_name(" ").unwrap_err().code, "node_name_invalid");
        assert_eq!(check_node_name(&"长".repeat(61)).unwrap_err().code, "node_name_invalid");
        assert!(check_plan_change(Baseline::Draft, "").is_ok());
        assert_eq!(
            check_plan_change(Baseline::Approved, " ").unwrap_err().code,
            "node_change_reason_missing"
        );
        assert!(check_plan_change(Baseline::Approved, "规划调整，增加环评").is_ok());
        assert!(check_direct_date(Baseline::Draft).is_ok());
        assert_eq!(check_direct_date(Baseline::Approved).unwrap_err().code, "use_date_change");
        assert!(check_date_change_allowed(Baseline::Approved).is_ok());
        assert_eq!(
            check_date_change_allowed(Baseline::Draft).unwrap_err().code,
            "baseline_not_approved"
        );
        assert_eq!(Baseline::from_code("draft"), Some(Baseline::Draft));
    }

    #[test]
    fn verification_needs_a_confirmation_or_a_reason() {
        assert!(check_verification(true, true, "").is_ok());
        assert_eq!(check_verification(true, false, "").unwrap_err().code, "node_verify_unconfirmed");
        assert_eq!(
            check_verification(false, false, " ").unwrap_err().code,
            "node_return_reason_missing"
        );
        assert!(check_verification(false, false, "照片看不清许可证编号").is_ok());
    }

    #[test]
    fn a_photo_far_from_its_project_is_flagged() {
        use crate::exif::GeoPoint;
        let site = GeoPoint::new(28.68, 121.44);
        let near = GeoPoint::new(28.69, 121.44); // about 1.1 km north
        let far = GeoPoint::new(28.80, 121.44); // about 13 km north
        assert_eq!(photo_far_from_project(near, site, 2.0), None);
        let d = photo_far_from_project(far, site, 2.0).unwrap();
        assert!((d - 13.3).abs() < 0.1, "{d}");
        assert_eq!(photo_far_from_project(far, site, 20.0), None, "the radius is the district's");
        assert_eq!(photo_far_from_project(None, site, 2.0), None);
        assert_eq!(photo_far_from_project(far, None, 2.0), None);
        assert_eq!(photo_radius_km(None), 2.0);
        assert_eq!(photo_radius_km(Some(" 5 ")), 5.0);
        assert_eq!(photo_radius_km(Some("-1")), 2.0);
        assert_eq!(photo_radius_km(Some("远")), 2.0);
    }

    #[test]
    fn removal_is_refused_with_its_reason() {
        let open = NodeRemoval {
            name: "施工许可".into(),
            status: "open".into(),
            ..NodeRemoval::default()
        };
        assert!(check_node_removal(&open).is_ok());
        let code = |n: NodeRemoval| check_node_removal(&n).unwrap_err().code;
        assert_eq!(
            code(NodeRemoval {
                status: "closed".into(),
                ..open.clone()
            }),
            "node_closed"
        );
        assert_eq!(
            code(NodeRemoval {
                status: "reported".into(),
                ..open.clone()
            }),
            "node_reported"
        );
        assert_eq!(
            code(NodeRemoval {
                problems: 1,
                ..open.clone()
            }),
            "node_has_problems"
        );
        assert_eq!(
            code(NodeRemoval {
                instructions: 1,
                ..open.clone()
            }),
            "node_has_instructions"
        );
        assert_eq!(
            code(NodeRemoval {
                campaigns: 1,
                ..open.clone()
            }),
            "node_in_campaign"
        );
        assert_eq!(
            code(NodeRemoval {
                evidence: 2,
                ..open.clone()
            }),
            "node_has_evidence"
        );
        assert_eq!(
            code(NodeRemoval {
                pending_date_changes: 1,
                ..open
            }),
            "node_date_change_pending"
        );
    }

    #[test]
    fn a_chain_follows_the_order() {
        let order = [1, 2, 3];
        let deps = vec![(2, 1), (3, 2)];
        let mut r = reorder(&order, &deps, &[3, 1, 2]).unwrap();
        r.sort();
        assert_eq!(r, vec![(1, 3), (2, 1)]);
        assert_eq!(reorder(&order, &deps, &[1, 2]).unwrap_err().code, "node_order_mismatch");
        assert_eq!(reorder(&order, &deps, &[1, 1, 2]).unwrap_err().code, "node_order_mismatch");
        assert_eq!(
            reorder(&order, &[], &[3, 2, 1]).unwrap(),
            vec![],
            "no dependencies: the order rules"
        );
        // Dependencies of their own: kept, and the order must respect them.
        let own = vec![(3, 1)];
        assert_eq!(reorder(&order, &own, &[2, 1, 3]).unwrap(), own);
        assert_eq!(reorder(&order, &own, &[3, 1, 2]).unwrap_err().code, "node_order_breaks_dependency");
        let mut ins = insert(&order, &deps, 9, 1);
        ins.sort();
        assert_eq!(ins, vec![(2, 9), (3, 2), (9, 1)]);
        assert_eq!(insert(&[], &[], 9, 0), vec![]);
        assert_eq!(insert(&[1], &[], 9, 1), vec![(9, 1)], "a plan of one node starts a chain");
        assert_eq!(insert(&order, &own, 9, 0), own, "other dependencies stay");
        assert_eq!(remove(&deps, 2), vec![(3, 1)], "what waited for it waits for what it waited for");
        assert_eq!(remove(&deps, 3), vec![(2, 1)]);
    }
}
