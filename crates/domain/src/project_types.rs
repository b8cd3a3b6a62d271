//! 项目类型 with its 节点模板: the steps a new project of the type is broken into (分解节点),
//! each with its default offset in days and the earlier steps it waits for, and the approval
//! clocks (审批时限) that run between two of its steps. The whole type is checked here before
//! the store saves it, and a new plan's dates are computed here.
//!
//! A template is only the plan of projects still to be planned: changing it leaves the nodes
//! of existing projects as they are.

use crate::error::{RuleError, checked_text, refuse};
use crate::model::DayKind;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The most steps a template may have.
pub const MAX_STEPS: usize = 60;
/// The longest default offset of a step, in days (ten years).
pub const MAX_OFFSET_DAYS: i32 = 3650;

/// One step of a node template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateStep {
    /// The step's order (1, 2, …): unique within the type.
    pub seq: i32,
    pub name: String,
    /// 默认工期: days after the latest step it depends on (after the plan's first date for a
    /// step that depends on none).
    pub offset_days: i32,
    /// The `seq` of the earlier steps it waits for.
    #[serde(default)]
    pub depends_on: Vec<i32>,
    /// Which kind of unit usually owns the step (`department:自然资源`, `owner`, …).
    #[serde(default)]
    pub owner_hint: String,
    /// 并联 (true): an approval run in parallel with the main line (主线, false); a marker shown
    /// with the step, which changes neither its dates nor what it waits for.
    #[serde(default)]
    pub parallel: bool,
}

/// An approval clock of the type: from the completion of `start_node` to that of
/// `stop_node`, at most `limit_days` days of `day_kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TypeClock {
    pub name: String,
    pub start_node: String,
    pub stop_node: String,
    pub limit_days: u32,
    pub day_kind: DayKind,
}

/// A project type as the administrator edits it (its code is its key, set once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectTypeSpec {
    /// Chinese name (accepted wherever a person types a type).
    pub name: String,
    /// English name (the Chinese one when left empty).
    #[serde(default)]
    pub name_en: String,
    pub steps: Vec<TemplateStep>,
    #[serde(default)]
    pub clocks: Vec<TypeClock>,
}

impl ProjectTypeSpec {
    /// The type with its texts trimmed, its steps in order and their dependencies sorted, or
    /// the first rule it breaks.
    pub fn checked(self) -> Result<ProjectTypeSpec, RuleError> {
        let name = checked_text(
            &self.name,
            40,
            Some(("project_type_name_empty", "项目类型名称不能为空")),
            ("project_type_name_too_long", "项目类型名称不能超过40个字"),
        )?;
        let name_en = match checked_text(&self.name_en, 60, None, ("project_type_name_too_long", "英文名称不能超过60个字符"))? {
            s if s.is_empty() => name.clone(),
            s => s,
        };
        let steps = check_steps(self.steps)?;
        let clocks = check_clocks(self.clocks, &steps)?;
        Ok(ProjectTypeSpec {
            name,
            name_en,
            steps,
            clocks,
        })
    }

    /// For each step (by `seq`), the clocks that run over it: from their start step to their
    /// stop step, both included (审批环节).
    pub fn clocked_steps(&self) -> BTreeMap<i32, Vec<&str>> {
        let seq_of: BTreeMap<&str, i32> = self.steps.iter().map(|s| (s.name.as_str(), s.seq)).collect();
        let mut out: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
        for c in &self.clocks {
            if let (Some(a), Some(b)) = (seq_of.get(c.start_node.as_str()), seq_of.get(c.stop_node.as_str())) {
                for s in self.steps.iter().filter(|s| (*a..=*b).contains(&s.seq)) {
                    out.entry(s.seq).or_default().push(c.name.as_str());
                }
            }
        }
        out
    }
}

fn check_steps(steps: Vec<TemplateStep>) -> Result<Vec<TemplateStep>, RuleError> {
    if steps.is_empty() {
        return refuse("template_empty", "节点模板至少要有一个节点");
    }
    if steps.len() > MAX_STEPS {
        return refuse("template_too_long", format!("节点模板最多{MAX_STEPS}个节点"));
    }
    let mut out: Vec<TemplateStep> = Vec::with_capacity(steps.len());
    let mut names = BTreeSet::new();
    let mut seqs = BTreeSet::new();
    for s in steps {
        let name = checked_text(
            &s.name,
            40,
            Some(("template_step_name_empty", "节点名称不能为空")),
            ("template_step_name_too_long", "节点名称不能超过40个字"),
        )?;
        if s.seq < 1 || s.seq > 999 {
            return refuse("template_seq_invalid", format!("节点“{name}”的序号应为1到999"));
        }
        if !seqs.insert(s.seq) {
            return refuse("template_seq_duplicate", format!("序号{}用了不止一次", s.seq));
        }
        if !names.insert(name.clone()) {
            return refuse("template_step_name_duplicate", format!("节点“{name}”出现了不止一次"));
        }
        if !(0..=MAX_OFFSET_DAYS).contains(&s.offset_days) {
            return refuse(
                "template_offset_invalid",
                format!("节点“{name}”的默认工期应为0到{MAX_OFFSET_DAYS}天"),
            );
        }
        let owner_hint = checked_text(
            &s.owner_hint,
            60,
            None,
            ("template_owner_hint_too_long", "责任单位提示不能超过60个字"),
        )?;
        let depends_on: BTreeSet<i32> = s.depends_on.into_iter().collect();
        out.push(TemplateStep {
            seq: s.seq,
            name,
            offset_days: s.offset_days,
            depends_on: depends_on.into_iter().collect(),
            owner_hint,
            parallel: s.parallel,
        });
    }
    out.sort_by_key(|s| s.seq);
    let by_seq: BTreeMap<i32, &TemplateStep> = out.iter().map(|s| (s.seq, s)).collect();
    for s in &out {
        if let Some(d) = s.depends_on.iter().find(|d| !by_seq.contains_key(d)) {
            return refuse(
                "template_dependency_unknown",
                format!("节点“{}”依赖的序号{d}不是本模板的节点", s.name),
            );
        }
    }
    if let Some(cycle) = find_cycle(&out) {
        let names: Vec<&str> = cycle.iter().map(|seq| by_seq[seq].name.as_str()).collect();
        return refuse("template_cycle", format!("节点之间的依赖成环：{}", names.join(" → ")));
    }
    for s in &out {
        if let Some(d) = s.depends_on.iter().find(|d| **d >= s.seq) {
            return refuse(
                "template_dependency_later",
                format!("节点“{}”只能依赖排在它前面的节点，不能依赖“{}”", s.name, by_seq[d].name),
            );
        }
    }
    Ok(out)
}

/// A loop of dependencies, as the `seq`s along it (the first repeated at the end), if any.
fn find_cycle(steps: &[TemplateStep]) -> Option<Vec<i32>> {
    let deps: BTreeMap<i32, &[i32]> = steps.iter().map(|s| (s.seq, s.depends_on.as_slice())).collect();
    // 0 = not visited, 1 = on the current path, 2 = done.
    let mut state: BTreeMap<i32, u8> = BTreeMap::new();
    fn visit(at: i32, deps: &BTreeMap<i32, &[i32]>, state: &mut BTreeMap<i32, u8>, path: &mut Vec<i32>) -> Option<Vec<i32>> {
        match state.get(&at).copied().unwrap_or(0) {
            2 => return None,
            1 => {
                let from = path.iter().position(|s| *s == at).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(at);
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(at, 1);
        path.push(at);
        for d in deps.get(&at).copied().unwrap_or_default() {
            if let Some(c) = visit(*d, deps, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(at, 2);
        None
    }
    for s in steps {
        if let Some(c) = visit(s.seq, &deps, &mut state, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

fn check_clocks(clocks: Vec<TypeClock>, steps: &[TemplateStep]) -> Result<Vec<TypeClock>, RuleError> {
    let seq_of: BTreeMap<&str, i32> = steps.iter().map(|s| (s.name.as_str(), s.seq)).collect();
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(clocks.len());
    for c in clocks {
        let name = checked_text(
            &c.name,
            80,
            Some(("clock_name_empty", "审批时限的名称不能为空")),
            ("clock_name_too_long", "审批时限的名称不能超过80个字"),
        )?;
        if !names.insert(name.clone()) {
            return refuse("clock_name_duplicate", format!("审批时限“{name}”出现了不止一次"));
        }
        let (start_node, stop_node) = (c.start_node.trim().to_string(), c.stop_node.trim().to_string());
        let (Some(start), Some(stop)) = (seq_of.get(start_node.as_str()), seq_of.get(stop_node.as_str())) else {
            return refuse("clock_node_unknown", format!("审批时限“{name}”的起止节点须是本类型模板中的节点"));
        };
        if start >= stop {
            return refuse("clock_order", format!("审批时限“{name}”的起始节点须排在截止节点之前"));
        }
        if !(1..=MAX_OFFSET_DAYS as u32).contains(&c.limit_days) {
            return refuse("clock_limit_invalid", format!("审批时限“{name}”的时限应为1到{MAX_OFFSET_DAYS}天"));
        }
        out.push(TypeClock {
            name,
            start_node,
            stop_node,
            limit_days: c.limit_days,
            day_kind: c.day_kind,
        });
    }
    Ok(out)
}

/// The planned dates of a new plan (分解节点) from `steps` in `seq` order: each step its offset
/// after the latest of the steps it depends on, a step that depends on none its offset after
/// `first_on`. Dependencies on steps not in the list are ignored.
pub fn plan_dates(steps: &[TemplateStep], first_on: NaiveDate) -> Vec<NaiveDate> {
    let mut dates: BTreeMap<i32, NaiveDate> = BTreeMap::new();
    let mut out = Vec::with_capacity(steps.len());
    for s in steps {
        let base = s.depends_on.iter().filter_map(|d| dates.get(d)).max().copied().unwrap_or(first_on);
        let on = base + chrono::Duration::days(s.offset_days.into());
        dates.insert(s.seq, on);
        out.push(on);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(seq: i32, name: &str, offset_days: i32, depends_on: &[i32]) -> TemplateStep {
        TemplateStep {
            seq,
            name: name.into(),
            offset_days,
            depends_on: depends_on.to_vec(),
            owner_hint: String::new(),
            parallel: false,
        }
    }

    fn clock(name: &str, start: &str, stop: &str, limit_days: u32) -> TypeClock {
        TypeClock {
            name: name.into(),
            start_node: start.into(),
            stop_node: stop.into(),
            limit_days,
            day_kind: DayKind::Calendar,
        }
    }

    fn spec(steps: Vec<TemplateStep>, clocks: Vec<TypeClock>) -> ProjectTypeSpec {
        ProjectTypeSpec {
            name: " 产业项目 ".into(),
            name_en: String::new(),
            steps,
            clocks,
        }
    }

    fn refusal(steps: Vec<TemplateStep>, clocks: Vec<TypeClock>) -> &'static str {
        spec(steps, clocks).checked().unwrap_err().code
    }

    #[test]
    fn a_good_type_comes_back_in_order() {
        let t = spec(
            vec![
                step(3, "开工", 12, &[2, 1, 2]),
                step(1, " 赋码备案 ", 0, &[]),
                step(2, "施工许可", 30, &[1]),
            ],
            vec![clock("赋码至施工许可60天", "赋码备案", "施工许可", 60)],
        )
        .checked()
        .unwrap();
        assert_eq!((t.name.as_str(), t.name_en.as_str()), ("产业项目", "产业项目"));
        let names: Vec<&str> = t.steps.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["赋码备案", "施工许可", "开工"]);
        assert_eq!(t.steps[2].depends_on, [1, 2]);
        let clocked = t.clocked_steps();
        assert_eq!(clocked.keys().copied().collect::<Vec<_>>(), [1, 2]);
    }

    #[test]
    fn every_broken_rule_has_its_code() {
        assert_eq!(refusal(vec![], vec![]), "template_empty");
        assert_eq!(refusal(vec![step(1, " ", 0, &[])], vec![]), "template_step_name_empty");
        assert_eq!(refusal(vec![step(0, "a", 0, &[])], vec![]), "template_seq_invalid");
        assert_eq!(
            refusal(vec![step(1, "a", 0, &[]), step(1, "b", 0, &[])], vec![]),
            "template_seq_duplicate"
        );
        assert_eq!(
            refusal(vec![step(1, "a", 0, &[]), step(2, "a", 0, &[])], vec![]),
            "template_step_name_duplicate"
        );
        assert_eq!(refusal(vec![step(1, "a", -1, &[])], vec![]), "template_offset_invalid");
        assert_eq!(refusal(vec![step(1, "a", 0, &[7])], vec![]), "template_dependency_unknown");
        assert_eq!(refusal(vec![step(1, "a", 0, &[1])], vec![]), "template_cycle");
        assert_eq!(
            refusal(vec![step(1, "a", 0, &[2]), step(2, "b", 0, &[1])], vec![]),
            "template_cycle"
        );
        assert_eq!(
            refusal(vec![step(1, "a", 0, &[2]), step(2, "b", 0, &[])], vec![]),
            "template_dependency_later"
        );
        let two = || vec![step(1, "a", 0, &[]), step(2, "b", 5, &[1])];
        assert_eq!(refusal(two(), vec![clock(" ", "a", "b", 5)]), "clock_name_empty");
        assert_eq!(refusal(two(), vec![clock("x", "a", "c", 5)]), "clock_node_unknown");
        assert_eq!(refusal(two(), vec![clock("x", "b", "a", 5)]), "clock_order");
        assert_eq!(refusal(two(), vec![clock("x", "a", "b", 0)]), "clock_limit_invalid");
        assert_eq!(
            refusal(two(), vec![clock("x", "a", "b", 5), clock("x", "a", "b", 6)]),
            "clock_name_duplicate"
        );
        let mut nameless = spec(two(), vec![]);
        nameless.name = String::new();
        assert_eq!(nameless.checked().unwrap_err().code, "project_type_name_empty");
    }

    #[test]
    fn the_cycle_is_named_step_by_step() {
        let e = spec(vec![step(1, "甲", 0, &[3]), step(2, "乙", 0, &[1]), step(3, "丙", 0, &[2])], vec![])
            .checked()
            .unwrap_err();
        assert_eq!(e.code, "template_cycle");
        assert!(e.message.contains("甲 → 丙 → 乙 → 甲"), "{}", e.message);
    }

    #[test]
    fn a_plan_waits_for_the_latest_dependency() {
        let d = |m, day| NaiveDate::from_ymd_opt(2020, m, day).unwrap();
        let steps = [
            step(1, "签约", 0, &[]),
            step(2, "赋码备案", 30, &[1]),
            step(3, "用地预审", 10, &[1]),
            step(4, "施工许可", 5, &[2, 3]),
            step(5, "图审", 3, &[]),
        ];
        assert_eq!(plan_dates(&steps, d(1, 1)), [d(1, 1), d(1, 31), d(1, 11), d(2, 5), d(1, 4)]);
    }
}
