//! Supervision rounds (督查): the red projects a round should visit (pure rules).

use crate::error::{RuleError, refuse, require_text};
use crate::lang::Lang;
use crate::model::ProblemStatus;
use chrono::NaiveDate;
use serde::Serialize;

/// A red project that a supervision round could visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedCandidate {
    pub project_id: i64,
    pub project_name: String,
    pub unit_name: String,
    /// The reasons behind its red light (worst first).
    pub reasons: Vec<String>,
    /// Days its most overdue open node is late (0 when none is past due).
    pub days_overdue: i64,
    /// Already visited by a round this year.
    pub visited_this_year: bool,
}

/// The targets a new round should visit, best first: projects not yet visited this year
/// first; then the more reasons behind the red light (severity); then the older the worst
/// overdue node (age); then the project id. At most `limit`.
pub fn suggest_targets(mut candidates: Vec<RedCandidate>, limit: usize) -> Vec<RedCandidate> {
    candidates.sort_by(|a, b| {
        a.visited_this_year
            .cmp(&b.visited_this_year)
            .then(b.reasons.len().cmp(&a.reasons.len()))
            .then(b.days_overdue.cmp(&a.days_overdue))
            .then(a.project_id.cmp(&b.project_id))
    });
    candidates.truncate(limit);
    candidates
}

/// A round's name: not empty.
pub fn check_round_name(name: &str) -> Result<(), RuleError> {
    require_text(name, "round_name_empty", "督查名称不能为空")
}

/// What a round found on site: not empty.
pub fn check_finding(finding: &str) -> Result<(), RuleError> {
    require_text(finding, "finding_empty", "督查发现不能为空")
}

/// A follow-up problem's deadline: not before the day it is set (`as_of`).
pub fn check_follow_up_deadline(deadline: NaiveDate, as_of: NaiveDate) -> Result<(), RuleError> {
    if deadline < as_of {
        return refuse("follow_up_deadline_past", format!("办结时限不能早于今天（{as_of}）"));
    }
    Ok(())
}

/// What a round's summary (督查通报) is written from.
#[derive(Debug, Clone)]
pub struct RoundFacts {
    pub name: String,
    pub leader: String,
    pub held_on: NaiveDate,
    pub targets: i64,
    pub findings: i64,
    pub follow_ups: i64,
    /// Follow-up problems resolved or closed.
    pub resolved: i64,
    pub items: Vec<RoundItem>,
}

/// A project the round visited, with what was found and the follow-up problem raised.
#[derive(Debug, Clone)]
pub struct RoundItem {
    pub project: String,
    pub unit: String,
    /// Empty when nothing was found.
    pub finding: String,
    /// (problem id, status code, deadline) of the follow-up problem.
    pub follow_up: Option<(i64, Option<String>, Option<NaiveDate>)>,
}

/// The round's generated summary: a paragraph on the round, then one per project visited.
/// Names and findings are data and stay as recorded.
pub fn round_summary(lang: Lang, f: &RoundFacts) -> Vec<String> {
    let mut out = vec![match lang {
        Lang::Zh => format!(
            "{}于{}带队开展“{}”，实地督查项目{}个，现场发现问题{}个，交办督办问题{}个，已办结{}个。",
            f.leader, f.held_on, f.name, f.targets, f.findings, f.follow_ups, f.resolved
        ),
        Lang::En => format!(
            "{} led \"{}\" on {}: {} projects visited on site, {} problems found, {} follow-up problems assigned, {} of them resolved.",
            f.leader, f.name, f.held_on, f.targets, f.findings, f.follow_ups, f.resolved
        ),
    }];
    for (i, t) in f.items.iter().enumerate() {
        let deadline = |d: &Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let follow = match (lang, &t.follow_up) {
            (_, None) => String::new(),
            (Lang::Zh, Some((p, s, d))) => format!("（督办问题#{p}，{}，时限{}）", s.as_deref().unwrap_or(""), deadline(d)),
            (Lang::En, Some((p, s, d))) => {
                let status = s
                    .as_deref()
                    .map(|c| {
                        ProblemStatus::from_code(c)
                            .map(|s| s.label_en().to_lowercase())
                            .unwrap_or_else(|| c.to_string())
                    })
                    .unwrap_or_default();
                format!(" (follow-up problem #{p}, {status}, deadline {})", deadline(d))
            }
        };
        out.push(match lang {
            Lang::Zh => {
                let finding = if t.finding.is_empty() {
                    "现场未发现问题"
                } else {
                    t.finding.as_str()
                };
                format!("{}. {}（{}）：{finding}{follow}", i + 1, t.project, t.unit)
            }
            Lang::En => {
                let finding = if t.finding.is_empty() {
                    "no problem found on site"
                } else {
                    t.finding.as_str()
                };
                format!("{}. {} ({}): {finding}{follow}", i + 1, t.project, t.unit)
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rounds_summary_in_both_languages() {
        let f = RoundFacts {
            name: "第三批督查".into(),
            leader: "王区长".into(),
            held_on: crate::date::d(2019, 11, 20),
            targets: 2,
            findings: 1,
            follow_ups: 1,
            resolved: 0,
            items: vec![
                RoundItem {
                    project: "甲".into(),
                    unit: "海门街道".into(),
                    finding: "现场未开工".into(),
                    follow_up: Some((7, Some("assigned".into()), Some(crate::date::d(2019, 12, 20)))),
                },
                RoundItem {
                    project: "乙".into(),
                    unit: "白云街道".into(),
                    finding: String::new(),
                    follow_up: None,
                },
            ],
        };
        let zh = round_summary(Lang::Zh, &f);
        assert_eq!(
            zh,
            vec![
                "王区长于2019-11-20带队开展“第三批督查”，实地督查项目2个，现场发现问题1个，交办督办问题1个，已办结0个。",
                "1. 甲（海门街道）：现场未开工（督办问题#7，assigned，时限2019-12-20）",
                "2. 乙（白云街道）：现场未发现问题",
            ]
        );
        let en = round_summary(Lang::En, &f);
        assert_eq!(
            en[1],
            "1. 甲 (海门街道): 现场未开工 (follow-up problem #7, assigned, deadline 2019-12-20)"
        );
        let data = ["第三批督查", "王区长", "甲", "乙", "海门街道", "白云街道", "现场未开工"];
        for p in &en {
            assert_eq!(crate::lang::cjk_outside(p, &data), "", "{p}");
        }
        assert_eq!(en.len(), zh.len());
    }

    #[test]
    fn suggestions_prefer_unvisited_severe_and_old() {
        let c = |id: i64, reasons: usize, days: i64, visited: bool| RedCandidate {
            project_id: id,
            project_name: format!("项目{id}"),
            unit_name: String::new(),
            reasons: vec!["x".into(); reasons],
            days_overdue: days,
            visited_this_year: visited,
        };
        let s = suggest_targets(
            vec![c(1, 3, 90, true), c(2, 1, 10, false), c(3, 2, 5, false), c(4, 2, 50, false)],
            3,
        );
        assert_eq!(s.iter().map(|x| x.project_id).collect::<Vec<_>>(), vec![4, 3, 2]);
    }
}
