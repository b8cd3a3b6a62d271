//! Escalation of overdue work (提级督办), shared by the mechanisms whose items carry a
//! deadline and climb a ladder when it passes: the problem list (问题清单) and the 督办单 of
//! `instructions`. The ladder, its levels' names and who is told at each level. No IO.

use crate::access::Role;
use crate::calendar::WorkCalendar;
use crate::error::RuleError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The escalation ladder (提级督办): an overdue item (a problem not resolved, a 督办单 not
/// answered) not settled `thresholds[i]` working days after
/// its deadline rises to level `i + 1`: ① 责任单位主要负责人 → ② 分管区领导 → ③ 区级督办.
/// Defaults (PRACTICE.md §5.2): steps of 5 working days, the common handling limit
/// (Quanzhou 7, Yueqing 5, Xuchang 15 工作日) with the ladder rising every step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    /// Working days overdue for levels 1, 2, 3 (ascending).
    pub thresholds: [i64; 3],
}

impl Default for Ladder {
    fn default() -> Ladder {
        Ladder::every(5)
    }
}

impl Ladder {
    /// The ladder as the `problem_escalation_days` setting writes it: `5,10,15` (three
    /// ascending numbers of working days), or one number N for N, 2N, 3N.
    pub fn parse(s: &str) -> Result<Ladder, RuleError> {
        let bad = || {
            RuleError::new(
                "escalation_ladder_invalid",
                format!("升级督办阈值“{s}”无效：应为三个递增的工作日数，如 5,10,15"),
            )
        };
        let nums: Vec<i64> = s
            .split([',', '，', ' '])
            .filter(|x| !x.trim().is_empty())
            .map(|x| x.trim().parse::<i64>().map_err(|_| bad()))
            .collect::<Result<_, _>>()?;
        match nums[..] {
            [n] if (1..=60).contains(&n) => Ok(Ladder::every(n)),
            [a, b, c] if 1 <= a && a < b && b < c && c <= 180 => Ok(Ladder { thresholds: [a, b, c] }),
            _ => Err(bad()),
        }
    }

    /// N, 2N, 3N working days.
    pub fn every(n: i64) -> Ladder {
        let n = n.max(1);
        Ladder {
            thresholds: [n, 2 * n, 3 * n],
        }
    }

    /// Working days past the deadline on `today` (0 when not yet due).
    pub fn overdue_days(cal: &WorkCalendar, deadline: NaiveDate, today: NaiveDate) -> i64 {
        if today <= deadline {
            0
        } else {
            cal.working_days_between(deadline, today)
        }
    }

    /// The level a problem due on `deadline` has reached on `today`.
    pub fn level(&self, cal: &WorkCalendar, deadline: NaiveDate, today: NaiveDate) -> u8 {
        let late = Ladder::overdue_days(cal, deadline, today);
        self.thresholds.iter().filter(|t| late >= **t).count() as u8
    }
}

/// Who is told at each level.
pub fn level_label_zh(level: u8) -> &'static str {
    match level {
        0 => "未升级",
        1 => "一级：责任单位主要负责人督办",
        2 => "二级：分管区领导督办",
        _ => "三级：区级督办",
    }
}

/// Who is told when an overdue item of a unit rises to `level`: from level 1 the unit's own
/// editors (the unit head's desk); from level 2 the project's responsible leader
/// (`the_leader`: this leader is the project's, or the project names none, so every district
/// leader is told); at level 3 the district (coordinators and administrators). Viewers never.
pub fn is_told(role: Role, level: u8, of_the_unit: bool, the_leader: bool) -> bool {
    match role {
        Role::UnitEditor => level >= 1 && of_the_unit,
        Role::Leader => level >= 2 && the_leader,
        Role::Coordinator | Role::Admin => level >= 3,
        Role::Viewer => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_is_told_rises_with_the_level() {
        assert!(is_told(Role::UnitEditor, 1, true, false) && !is_told(Role::UnitEditor, 3, false, true));
        assert!(!is_told(Role::Leader, 1, false, true) && is_told(Role::Leader, 2, false, true));
        assert!(!is_told(Role::Leader, 3, false, false));
        assert!(!is_told(Role::Coordinator, 2, true, true) && is_told(Role::Admin, 3, false, false));
        assert!(!is_told(Role::Viewer, 3, true, true));
    }
}
