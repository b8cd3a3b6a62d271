//! Supervision rounds (督查): the red projects a round should visit (pure rules).

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
