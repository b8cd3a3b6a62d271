//! The life of a project: 谋划 → 储备 → 签约 → 前期 → 开工/落地 → 在建 → 竣工 → 投产, or 终止.

use crate::error::{RuleError, refuse};
use crate::labelled::code_labels;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 谋划: an idea being worked up.
    Planning,
    /// 储备: in the reserve pool.
    Reserve,
    /// 签约: investment agreement signed.
    Signed,
    /// 前期: pre-construction approvals under way.
    Preparation,
    /// 开工/落地: construction started — the project has "landed".
    Started,
    /// 在建: under construction.
    Construction,
    /// 竣工: completed and accepted.
    Completed,
    /// 投产: in operation.
    Operating,
    /// 终止: withdrawn from the pool (退库) or stopped.
    Terminated,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Planning,
        Stage::Reserve,
        Stage::Signed,
        Stage::Preparation,
        Stage::Started,
        Stage::Construction,
        Stage::Completed,
        Stage::Operating,
        Stage::Terminated,
    ];

    /// Accepts the code or the Chinese name (as spreadsheets write it).
    pub fn parse(input: &str) -> Result<Stage, crate::ParseError> {
        let s = crate::error::normalize_input(input);
        Stage::from_code_or_label(&s)
            .or_else(|| (s == "开工" || s == "落地").then_some(Stage::Started))
            .ok_or_else(|| {
                crate::ParseError::new(
                    "invalid_stage",
                    "项目阶段",
                    input,
                    "应为谋划、储备、签约、前期、开工/落地、在建、竣工、投产或终止",
                )
            })
    }

    /// Has the project reached 开工/落地 (or gone beyond it)?
    pub fn has_landed(self) -> bool {
        matches!(self, Stage::Started | Stage::Construction | Stage::Completed | Stage::Operating)
    }

    /// Has the project reached 竣工 (or gone beyond it)?
    pub fn has_completed(self) -> bool {
        matches!(self, Stage::Completed | Stage::Operating)
    }

    /// A move back: to an earlier stage (a correction of the record), or out of 终止.
    pub fn is_backward(self, next: Stage) -> bool {
        self == Stage::Terminated || (next != Stage::Terminated && next < self)
    }

    /// A project moves forward, possibly skipping stages (a signed project may start at
    /// once), or is terminated; it never moves back, and a terminated project can only
    /// return to the reserve pool.
    pub fn can_move_to(self, next: Stage) -> bool {
        match (self, next) {
            (a, b) if a == b => false,
            (Stage::Terminated, Stage::Reserve) => true,
            (Stage::Terminated, _) => false,
            (_, Stage::Terminated) => true,
            (a, b) => b > a,
        }
    }
}

/// The dates of a project that its stage history sets and the figures read: 开工/落地
/// (`started_on`, what the landing rate counts) and 竣工 (`completed_on`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StageDates {
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
}

impl StageDates {
    /// The dates after the project moves to `to` on `on`. Reaching 开工/落地 or beyond sets
    /// `started_on` unless it is known already (an 在建 project that started earlier keeps its
    /// date); reaching 竣工 or beyond sets `completed_on` likewise. A move back before a stage
    /// (a correction) clears its date; 终止 keeps both, since what happened stays true.
    pub fn after_move(self, to: Stage, on: NaiveDate) -> StageDates {
        let date = |reached: bool, known: Option<NaiveDate>| match (reached, to) {
            (true, _) => known.or(Some(on)),
            (false, Stage::Terminated) => known,
            (false, _) => None,
        };
        StageDates {
            started_on: date(to.has_landed(), self.started_on),
            completed_on: date(to.has_completed(), self.completed_on),
        }
    }
}

/// A move of a project's stage on `on`, recorded in its history: not to the stage it is in,
/// not after the data day (`as_of`), not before the previous move (`previous_on`); a move
/// back (a correction) and a termination (终止/退库) each need a reason.
pub fn check_stage_move(
    from: Stage,
    to: Stage,
    on: NaiveDate,
    previous_on: Option<NaiveDate>,
    as_of: NaiveDate,
    reason: &str,
) -> Result<(), RuleError> {
    if from == to {
        return refuse("stage_unchanged", format!("项目已处于“{}”阶段", to.label_zh()));
    }
    if on > as_of {
        return refuse("stage_date_future", format!("阶段变更日期 {on} 晚于数据日 {as_of}"));
    }
    if let Some(p) = previous_on.filter(|p| on < *p) {
        return refuse("stage_date_before_previous", format!("阶段变更日期 {on} 早于上一次变更（{p}）"));
    }
    let no_reason = reason.trim().is_empty();
    if to == Stage::Terminated && no_reason {
        return refuse("stage_terminate_reason_missing", "终止项目须说明原因");
    }
    if from.is_backward(to) && no_reason {
        return refuse(
            "stage_backward_reason_missing",
            format!("从“{}”退回“{}”须说明原因", from.label_zh(), to.label_zh()),
        );
    }
    Ok(())
}

code_labels!(Stage {
    Planning = "planning", "谋划", "Planning";
    Reserve = "reserve", "储备", "Reserve";
    Signed = "signed", "签约", "Signed";
    Preparation = "preparation", "前期", "Pre-construction";
    Started = "started", "开工/落地", "Started";
    Construction = "construction", "在建", "Under construction";
    Completed = "completed", "竣工", "Completed";
    Operating = "operating", "投产", "In operation";
    Terminated = "terminated", "终止", "Terminated";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_chinese_parses() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(s));
            assert_eq!(Stage::parse(s.label_zh()).unwrap(), s);
        }
        assert_eq!(Stage::parse("落地").unwrap(), Stage::Started);
        assert!(Stage::parse("完工了").is_err());
    }

    #[test]
    fn moves() {
        assert!(Stage::Signed.can_move_to(Stage::Started));
        assert!(!Stage::Construction.can_move_to(Stage::Preparation));
        assert!(Stage::Preparation.can_move_to(Stage::Terminated));
        assert!(Stage::Terminated.can_move_to(Stage::Reserve));
        assert!(!Stage::Terminated.can_move_to(Stage::Started));
        assert!(Stage::Operating.has_landed() && !Stage::Preparation.has_landed());
        assert!(Stage::Construction.is_backward(Stage::Signed) && Stage::Terminated.is_backward(Stage::Construction));
        assert!(!Stage::Signed.is_backward(Stage::Terminated) && !Stage::Signed.is_backward(Stage::Started));
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, m, day).unwrap()
    }

    #[test]
    fn stage_moves_are_checked_against_dates_and_reasons() {
        let as_of = d(12, 31);
        let ok = |from, to, on, prev, reason| check_stage_move(from, to, on, prev, as_of, reason);
        assert!(ok(Stage::Signed, Stage::Started, d(7, 5), Some(d(2, 20)), "").is_ok());
        let code = |r: Result<(), RuleError>| r.unwrap_err().code;
        assert_eq!(code(ok(Stage::Signed, Stage::Signed, d(7, 5), None, "")), "stage_unchanged");
        let future = check_stage_move(Stage::Signed, Stage::Started, d(7, 5), None, d(7, 4), "");
        assert_eq!(code(future), "stage_date_future");
        assert_eq!(
            code(ok(Stage::Signed, Stage::Started, d(2, 19), Some(d(2, 20)), "")),
            "stage_date_before_previous"
        );
        assert_eq!(
            code(ok(Stage::Started, Stage::Signed, d(7, 6), None, " ")),
            "stage_backward_reason_missing"
        );
        assert!(ok(Stage::Started, Stage::Signed, d(7, 6), None, "开工日期录错").is_ok());
        assert_eq!(
            code(ok(Stage::Preparation, Stage::Terminated, d(7, 6), None, "")),
            "stage_terminate_reason_missing"
        );
        assert!(ok(Stage::Preparation, Stage::Terminated, d(7, 6), None, "投资方撤资").is_ok());
    }

    #[test]
    fn the_history_sets_the_dates_the_figures_read() {
        let none = StageDates::default();
        let signed = none.after_move(Stage::Signed, d(2, 20));
        assert_eq!(signed, none);
        let started = signed.after_move(Stage::Started, d(7, 5));
        assert_eq!(started.started_on, Some(d(7, 5)));
        let building = started.after_move(Stage::Construction, d(8, 1));
        assert_eq!(building.started_on, Some(d(7, 5)), "在建 keeps the 开工 date");
        let done = building.after_move(Stage::Completed, d(11, 30));
        assert_eq!((done.started_on, done.completed_on), (Some(d(7, 5)), Some(d(11, 30))));
        let stopped = done.after_move(Stage::Terminated, d(12, 1));
        assert_eq!(stopped, done, "终止 keeps what happened");
        let corrected = building.after_move(Stage::Signed, d(8, 2));
        assert_eq!(corrected, none, "a move back clears the date it undoes");
        let straight = none.after_move(Stage::Construction, d(3, 3));
        assert_eq!(straight.started_on, Some(d(3, 3)), "a signed project may go straight to 在建");
    }
}
