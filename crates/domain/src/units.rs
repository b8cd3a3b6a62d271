//! 责任单位 as the administrators keep them: a unit's name, kind, codes and place in the tree,
//! and the rules of moving, retiring and merging units (pure: the store brings the tree and
//! the counts, these functions decide).

use crate::error::{ParseError, RuleError, checked_text, normalize_input, refuse};
use crate::model::UnitKind;
use std::collections::BTreeMap;

/// A unit's name: trimmed (kept as typed otherwise: names are matched exactly), not empty, at
/// most 60 characters. Imports find units by their name,
/// so the store also keeps it unique among the active units.
pub fn unit_name(input: &str) -> Result<String, RuleError> {
    checked_text(
        input,
        60,
        Some(("unit_name_empty", "单位名称不能为空")),
        ("unit_name_too_long", "单位名称不能超过60个字"),
    )
}

/// A unit's own code (机构代码, 统一社会信用代码 or the district's numbering): optional;
/// letters, digits and `-`, at most 32 characters, kept upper-case.
pub fn unit_code(input: &str) -> Result<Option<String>, ParseError> {
    let code = normalize_input(input).to_ascii_uppercase();
    if code.is_empty() {
        return Ok(None);
    }
    if code.len() > 32 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(ParseError::new(
            "invalid_unit_code",
            "单位代码",
            input,
            "只能是字母、数字或连字符，最多32位",
        ));
    }
    Ok(Some(code))
}

/// A unit kind written as its code (`street`) or its Chinese label (`街道`).
pub fn unit_kind(input: &str) -> Result<UnitKind, ParseError> {
    let s = normalize_input(input);
    UnitKind::from_code_or_label(&s).ok_or_else(|| {
        let all: Vec<String> = UnitKind::ALL.iter().map(|k| format!("{}（{}）", k.code(), k.label_zh())).collect();
        ParseError::new("invalid_unit_kind", "单位类型", input, format!("应为 {}", all.join("、")))
    })
}

/// The unit tree as the rules see it: each unit's parent.
#[derive(Debug, Clone, Default)]
pub struct UnitTree {
    parent: BTreeMap<i64, Option<i64>>,
}

impl UnitTree {
    pub fn new(links: impl IntoIterator<Item = (i64, Option<i64>)>) -> UnitTree {
        UnitTree {
            parent: links.into_iter().collect(),
        }
    }

    /// Is `unit` `ancestor` itself or below it? (A broken tree, with a loop, ends the walk.)
    pub fn is_within(&self, unit: i64, ancestor: i64) -> bool {
        let mut at = Some(unit);
        for _ in 0..=self.parent.len() {
            match at {
                Some(u) if u == ancestor => return true,
                Some(u) => at = self.parent.get(&u).copied().flatten(),
                None => return false,
            }
        }
        false
    }
}

/// A unit may move under `new_parent` (or to the top) unless that is the unit itself or a
/// unit below it: the tree would become a loop.
pub fn check_unit_move(tree: &UnitTree, unit: i64, new_parent: Option<i64>) -> Result<(), RuleError> {
    match new_parent {
        Some(p) if tree.is_within(p, unit) => refuse("unit_cycle", "不能把单位移到它自己或它的下级单位之下"),
        _ => Ok(()),
    }
}

/// What still works under a unit that is to be retired.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitUse {
    /// Active user accounts of the unit.
    pub users: i64,
    /// Active units directly below it.
    pub children: i64,
}

/// 停用: a retired unit stays on every record that names it (history), and is gone from the
/// choices. It is refused while active accounts sign in as the unit or active units hang
/// below it: those must be moved (or the unit merged into another) first.
pub fn check_unit_retire(active: bool, in_use: UnitUse) -> Result<(), RuleError> {
    if !active {
        return refuse("unit_inactive", "该单位已停用");
    }
    if in_use.users > 0 || in_use.children > 0 {
        let mut what = Vec::new();
        if in_use.users > 0 {
            what.push(format!("{}个启用的用户账号", in_use.users));
        }
        if in_use.children > 0 {
            what.push(format!("{}个启用的下级单位", in_use.children));
        }
        return refuse(
            "unit_in_use",
            format!(
                "该单位还有{}，不能停用：请先调整这些账号和下级单位，或将本单位合并到其他单位",
                what.join("和")
            ),
        );
    }
    Ok(())
}

/// 合并 `from` into `into`: two different active units, `into` not below `from` (its
/// records and sub-units move to `into`, which would then hang below itself).
pub fn check_unit_merge(tree: &UnitTree, from: (i64, bool), into: (i64, bool)) -> Result<(), RuleError> {
    if from.0 == into.0 {
        return refuse("unit_merge_self", "不能把单位合并到它自己");
    }
    if !from.1 {
        return refuse("unit_inactive", "该单位已停用，不能再合并");
    }
    if !into.1 {
        return refuse("unit_merge_into_inactive", "不能合并到已停用的单位");
    }
    if tree.is_within(into.0, from.0) {
        return refuse("unit_merge_into_descendant", "不能合并到本单位的下级单位：请先把该下级单位移出");
    }
    Ok(())
}

/// One unit as the tree is drawn: its id, parent and display order (`sort_order`, then id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreeEntry {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub sort_order: i64,
}

/// The units depth first in their official display order, each with its depth. A unit whose
/// parent is missing is drawn at the top level, so no unit is ever left out.
pub fn tree_order(units: &[TreeEntry]) -> Vec<(i64, u32)> {
    let known: std::collections::BTreeSet<i64> = units.iter().map(|u| u.id).collect();
    let mut children: BTreeMap<Option<i64>, Vec<&TreeEntry>> = BTreeMap::new();
    for u in units {
        let parent = u.parent_id.filter(|p| known.contains(p) && *p != u.id);
        children.entry(parent).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by_key(|u| (u.sort_order, u.id));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut seen = std::collections::BTreeSet::new();
    let mut stack: Vec<(i64, u32)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|u| (u.id, 0)).collect())
        .unwrap_or_default();
    loop {
        while let Some((id, depth)) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            out.push((id, depth));
            if let Some(c) = children.get(&Some(id)) {
                stack.extend(c.iter().rev().map(|u| (u.id, depth + 1)));
            }
        }
        // Units on a loop of parents (which the rules refuse, but a database may hold).
        match units.iter().find(|u| !seen.contains(&u.id)) {
            Some(u) => stack.push((u.id, 0)),
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> UnitTree {
        // 1 区 ─ 2 街道 ─ 4 社区; 1 ─ 3 部门
        UnitTree::new([(1, None), (2, Some(1)), (3, Some(1)), (4, Some(2))])
    }

    #[test]
    fn names_codes_and_kinds() {
        assert_eq!(unit_name(" 海门街道\u{3000}").unwrap(), "海门街道");
        assert_eq!(unit_name(" ").unwrap_err().code, "unit_name_empty");
        assert_eq!(unit_name(&"长".repeat(61)).unwrap_err().code, "unit_name_too_long");
        assert_eq!(unit_code(" 11331002ma2abc ").unwrap().as_deref(), Some("11331002MA2ABC"));
        assert_eq!(unit_code("").unwrap(), None);
        assert_eq!(unit_code("A B").unwrap_err().code, "invalid_unit_code");
        assert_eq!(unit_kind("街道").unwrap(), UnitKind::Street);
        assert_eq!(unit_kind("soe").unwrap(), UnitKind::StateEnterprise);
        let e = unit_kind("委员会").unwrap_err();
        assert!(e.to_string().contains("department（部门）"), "{e}");
    }

    #[test]
    fn moves_never_make_a_loop() {
        let t = tree();
        assert!(check_unit_move(&t, 2, Some(3)).is_ok());
        assert!(check_unit_move(&t, 2, None).is_ok());
        assert_eq!(check_unit_move(&t, 2, Some(2)).unwrap_err().code, "unit_cycle");
        assert_eq!(check_unit_move(&t, 1, Some(4)).unwrap_err().code, "unit_cycle");
    }

    #[test]
    fn retiring_needs_the_unit_empty_of_accounts_and_sub_units() {
        assert!(check_unit_retire(true, UnitUse::default()).is_ok());
        let e = check_unit_retire(true, UnitUse { users: 2, children: 1 }).unwrap_err();
        assert_eq!(e.code, "unit_in_use");
        assert!(e.message.contains("2个启用的用户账号和1个启用的下级单位"), "{e}");
        assert_eq!(check_unit_retire(false, UnitUse::default()).unwrap_err().code, "unit_inactive");
    }

    #[test]
    fn merges_go_to_another_active_unit_outside_the_merged_one() {
        let t = tree();
        assert!(check_unit_merge(&t, (2, true), (3, true)).is_ok());
        assert!(check_unit_merge(&t, (4, true), (1, true)).is_ok(), "into an ancestor");
        let code = |from, into| check_unit_merge(&t, from, into).unwrap_err().code;
        assert_eq!(code((2, true), (2, true)), "unit_merge_self");
        assert_eq!(code((2, false), (3, true)), "unit_inactive");
        assert_eq!(code((2, true), (3, false)), "unit_merge_into_inactive");
        assert_eq!(code((2, true), (4, true)), "unit_merge_into_descendant");
    }

    #[test]
    fn the_tree_is_drawn_in_display_order_with_every_unit() {
        let e = |id, parent_id, sort_order| TreeEntry { id, parent_id, sort_order };
        let units = [
            e(1, None, 0),
            e(2, Some(1), 5),
            e(3, Some(1), 1),
            e(4, Some(2), 0),
            e(9, Some(99), 0),
        ];
        assert_eq!(tree_order(&units), vec![(1, 0), (3, 1), (2, 1), (4, 2), (9, 0)]);
        // A loop of parents still shows each unit once.
        let looped = [e(1, Some(2), 0), e(2, Some(1), 0)];
        assert_eq!(tree_order(&looped).len(), 2);
    }
}
