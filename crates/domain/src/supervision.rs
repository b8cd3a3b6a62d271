//! Supervision rounds (督查): the red projects a round should visit (pure rules).

use crate::error::{RuleError, refuse, require_text};
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

#[cfg(test)]
mod tests {
    use super::*;

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
