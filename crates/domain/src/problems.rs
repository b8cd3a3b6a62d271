//! 三服务 and the problem list (问题清单): the problem loop as a pure state machine
//! (提出 → 交办 → 办结 → 回访 → 销号), who may take each step, the escalation ladder for overdue
//! problems, the monthly three lists (三张清单) and the figures by unit. No IO: the store feeds
//! these functions plain values.

use crate::access::{Action, Actor, Denied, Role};
use crate::calendar::WorkCalendar;
use crate::date::Year;
use crate::error::{RuleError, refuse};
use crate::figures::{Pct1, Period, problem_resolution};
use crate::model::ProblemStatus;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where the loop stands. `ProblemStatus` is what the table stores; a satisfied callback (回访满意)
/// is kept beside it, so "resolved and called back satisfied" is its own state here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoopState {
    /// 已提出: waiting to be assigned.
    Raised,
    /// 已交办: with a unit and a deadline.
    Assigned,
    /// 已办结: the unit reports what it did; waiting for the callback.
    Resolved,
    /// 回访满意: waiting for the coordinator's close-out.
    Satisfied,
    /// 已销号.
    Closed,
}

impl LoopState {
    pub fn from_stored(status: ProblemStatus, callback_satisfied: Option<bool>) -> LoopState {
        match status {
            ProblemStatus::Raised => LoopState::Raised,
            ProblemStatus::Assigned => LoopState::Assigned,
            ProblemStatus::Resolved if callback_satisfied == Some(true) => LoopState::Satisfied,
            ProblemStatus::Resolved => LoopState::Resolved,
            ProblemStatus::Closed => LoopState::Closed,
        }
    }
    /// The stored status and callback result of this state.
    pub fn to_stored(self) -> (ProblemStatus, Option<bool>) {
        match self {
            LoopState::Raised => (ProblemStatus::Raised, None),
            LoopState::Assigned => (ProblemStatus::Assigned, None),
            LoopState::Resolved => (ProblemStatus::Resolved, None),
            LoopState::Satisfied => (ProblemStatus::Resolved, Some(true)),
            LoopState::Closed => (ProblemStatus::Closed, Some(true)),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            LoopState::Raised => "raised",
            LoopState::Assigned => "assigned",
            LoopState::Resolved => "resolved",
            LoopState::Satisfied => "satisfied",
            LoopState::Closed => "closed",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            LoopState::Raised => "已提出",
            LoopState::Assigned => "已交办",
            LoopState::Resolved => "已办结待回访",
            LoopState::Satisfied => "回访满意待销号",
            LoopState::Closed => "已销号",
        }
    }
    /// As the problem pages say it in English (`service.state.*`).
    pub fn label_en(self) -> &'static str {
        match self {
            LoopState::Raised => "Raised",
            LoopState::Assigned => "Assigned",
            LoopState::Resolved => "Resolved, awaiting callback",
            LoopState::Satisfied => "Satisfied, awaiting close-out",
            LoopState::Closed => "Closed",
        }
    }
    pub fn is_open(self) -> bool {
        self != LoopState::Closed
    }
}

/// A step of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 交办: to a unit with a deadline (again after an unsatisfied callback).
    Assign,
    /// 办结: the unit says what was done.
    Resolve,
    /// 回访: satisfied or not.
    Callback,
    /// 销号.
    Close,
    /// 批示/评论: changes nothing in the loop.
    Comment,
}

impl Step {
    pub const ALL: [Step; 5] = [Step::Assign, Step::Resolve, Step::Callback, Step::Close, Step::Comment];
    pub fn code(self) -> &'static str {
        match self {
            Step::Assign => "assign",
            Step::Resolve => "resolve",
            Step::Callback => "callback",
            Step::Close => "close",
            Step::Comment => "comment",
        }
    }
    pub fn from_code(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Step::Assign => "交办",
            Step::Resolve => "办结",
            Step::Callback => "回访",
            Step::Close => "销号",
            Step::Comment => "批示",
        }
    }
}

/// What happens to a problem; `Callback(false)` sends it back to the unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Assign,
    Resolve,
    Callback { satisfied: bool },
    Close,
    Comment,
}

impl Event {
    pub fn step(self) -> Step {
        match self {
            Event::Assign => Step::Assign,
            Event::Resolve => Step::Resolve,
            Event::Callback { .. } => Step::Callback,
            Event::Close => Step::Close,
            Event::Comment => Step::Comment,
        }
    }
}

/// The next state, or why the step cannot be taken now.
/// A step the loop does not allow from where the problem stands is refused with the reason.
pub fn transition(state: LoopState, event: Event) -> Result<LoopState, RuleError> {
    use LoopState::*;
    let next = match (state, event) {
        // 批示 at any time, also on a closed problem; it changes nothing.
        (_, Event::Comment) => state,
        (Closed, _) => return refuse("problem_closed", "问题已销号，不能再办理"),
        // 交办 from raised; 重新交办 while assigned (another unit or a new deadline).
        (Raised | Assigned, Event::Assign) => Assigned,
        (Assigned, Event::Resolve) => Resolved,
        (Resolved, Event::Callback { satisfied: true }) => Satisfied,
        (Resolved, Event::Callback { satisfied: false }) => Assigned,
        (Satisfied, Event::Close) => Closed,
        (s, e) => {
            return refuse(
                "problem_step_not_allowed",
                format!(
                    "问题当前为“{}”，不能{}{}",
                    s.label_zh(),
                    e.step().label_zh(),
                    match e {
                        Event::Resolve => "：须先交办",
                        Event::Callback { .. } => "：须先由责任单位办结",
                        Event::Close => "：须经回访且企业（项目）满意后才能销号",
                        _ => "",
                    }
                ),
            );
        }
    };
    Ok(next)
}

/// A problem as raised: a category of 1 to 20 characters (如 用地、资金、审批、水电气) and a
/// description of 1 to 2,000, once trimmed.
pub fn check_problem_text(category: &str, description: &str) -> Result<(), RuleError> {
    let (category, description) = (category.trim(), description.trim());
    if category.is_empty() || category.chars().count() > 20 {
        return refuse("problem_category_length", "问题类别应为1到20个字（如 用地、资金、审批、水电气）");
    }
    if description.is_empty() || description.chars().count() > 2000 {
        return refuse("problem_description_length", "问题描述应为1到2000个字");
    }
    Ok(())
}

/// A problem's deadline is not before the day it was raised.
pub fn check_problem_deadline(raised: NaiveDate, deadline: NaiveDate) -> Result<(), RuleError> {
    if deadline < raised {
        return refuse("problem_deadline_before_raised", "办理时限不能早于提出日期");
    }
    Ok(())
}

/// The note of a step (办理情况, 回访意见, 批示): at most 4,000 characters once trimmed.
pub fn check_step_note(note: &str) -> Result<(), RuleError> {
    if note.trim().chars().count() > 4000 {
        return refuse("problem_note_too_long", "说明不能超过4000个字");
    }
    Ok(())
}

/// A new deadline given when assigning is not in the past.
pub fn check_assign_deadline(deadline: Option<NaiveDate>, today: NaiveDate) -> Result<(), RuleError> {
    if deadline.is_some_and(|d| d < today) {
        return refuse("problem_deadline_past", "办理时限不能早于今天");
    }
    Ok(())
}

/// What a step must carry besides the loop's rule: 办结 says what was done, an unsatisfied
/// 回访 says why (the problem goes back to the unit), a satisfied one is not scored below 3,
/// and a 批示 is not empty.
pub fn check_step(event: Event, note: &str, satisfaction: Option<i32>) -> Result<(), RuleError> {
    let empty = note.trim().is_empty();
    match event {
        Event::Resolve if empty => refuse("problem_resolution_missing", "请说明办理情况（采取了哪些措施、结果如何）"),
        Event::Callback { satisfied: false } if empty => refuse(
            "problem_callback_reason_missing",
            "回访不满意须说明理由，问题将退回责任单位重新办理",
        ),
        Event::Callback { satisfied: true } if satisfaction.is_some_and(|s| s < 3) => {
            refuse("problem_satisfaction_too_low", "满意度低于3分应按不满意退回")
        }
        Event::Comment if empty => refuse("problem_instruction_empty", "批示内容不能为空"),
        _ => Ok(()),
    }
}

/// May `actor` take `step` on a problem assigned to `unit_id`? Coordinators assign, call back
/// and close; the unit editors of the assigned unit (and the coordinators) resolve; leaders,
/// coordinators and administrators comment.
pub fn may_step(actor: &Actor, step: Step, unit_id: i64) -> Result<(), Denied> {
    match step {
        Step::Assign | Step::Callback | Step::Close => actor
            .may(Action::Verify)
            .map_err(|_| Denied("无权操作：只有发改局统筹人员可以交办、回访和销号问题")),
        Step::Resolve => match actor.role {
            Role::Admin | Role::Coordinator => Ok(()),
            Role::UnitEditor if actor.in_scope(unit_id) => Ok(()),
            Role::UnitEditor => Err(Denied("无权办结：该问题交办给其他单位")),
            _ => Err(Denied("无权办结：只有责任单位的填报员可以办结问题")),
        },
        Step::Comment => actor.may(Action::Comment),
    }
}

/// May `actor` add to or correct the enterprise register? Coordinators and unit editors
/// (the streets keep their firms); leaders and viewers read.
pub fn may_edit_register(actor: &Actor) -> Result<(), Denied> {
    match actor.role {
        Role::Admin | Role::Coordinator | Role::UnitEditor => Ok(()),
        _ => Err(Denied("无权修改：您的角色只能查看企业名录和走访记录")),
    }
}

/// May `actor` raise a problem? Whoever may edit one of `units`: the unit of the visit, the
/// project or node it comes from, or the unit it is for.
pub fn may_raise(actor: &Actor, units: &[i64]) -> Result<(), Denied> {
    let mut last = Denied("无权提出问题：您的角色只能查看");
    for u in units {
        match actor.may(Action::Edit { unit_id: *u }) {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// The steps `actor` may take now (for the page's action forms).
pub fn available_steps(actor: &Actor, state: LoopState, unit_id: i64) -> Vec<Step> {
    let probe = |s: Step| match s {
        Step::Assign => Event::Assign,
        Step::Resolve => Event::Resolve,
        Step::Callback => Event::Callback { satisfied: true },
        Step::Close => Event::Close,
        Step::Comment => Event::Comment,
    };
    Step::ALL
        .into_iter()
        .filter(|s| transition(state, probe(*s)).is_ok() && may_step(actor, *s, unit_id).is_ok())
        .collect()
}

/// 企业回访满意度: 1 (very unsatisfied) to 5 (very satisfied).
pub fn parse_satisfaction(n: i64) -> Result<i32, RuleError> {
    if (1..=5).contains(&n) {
        Ok(n as i32)
    } else {
        refuse("satisfaction_invalid", format!("满意度“{n}”无效：应为1到5的整数（5为非常满意）"))
    }
}

/// Where a problem came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Project,
    Node,
    Report,
    Visit,
    Other,
}

impl Source {
    pub const ALL: [Source; 5] = [Source::Visit, Source::Project, Source::Node, Source::Report, Source::Other];
    pub fn code(self) -> &'static str {
        match self {
            Source::Project => "project",
            Source::Node => "node",
            Source::Report => "report",
            Source::Visit => "visit",
            Source::Other => "other",
        }
    }
    pub fn from_code(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Source::Project => "项目",
            Source::Node => "节点",
            Source::Report => "进度报送",
            Source::Visit => "走访企业",
            Source::Other => "其他",
        }
    }
}

// ---------------------------------------------------------------- escalation

pub use crate::escalation::{Ladder, level_label_zh};

/// Only the loop's unfinished work escalates: raised or assigned (a resolved problem waits for
/// the coordinators, not the unit).
pub fn escalates(state: LoopState) -> bool {
    matches!(state, LoopState::Raised | LoopState::Assigned)
}

/// Is a problem overdue on `today`?
pub fn is_overdue(state: LoopState, deadline: NaiveDate, today: NaiveDate) -> bool {
    escalates(state) && today > deadline
}

// ---------------------------------------------------------------- the three lists

/// 三张清单 of a month (PRACTICE.md §5.2, "每月定期梳理三张问题清单"): 新增问题清单 (raised
/// in the month), 推进落实问题清单 (open at the month's end, whenever raised) and 已办结销号问题清单
/// (closed out in the month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MonthlyList {
    New,
    InProgress,
    ClosedOut,
}

impl MonthlyList {
    pub const ALL: [MonthlyList; 3] = [MonthlyList::New, MonthlyList::InProgress, MonthlyList::ClosedOut];
    pub fn code(self) -> &'static str {
        match self {
            MonthlyList::New => "new",
            MonthlyList::InProgress => "in_progress",
            MonthlyList::ClosedOut => "closed_out",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            MonthlyList::New => "新增问题清单",
            MonthlyList::InProgress => "推进落实问题清单",
            MonthlyList::ClosedOut => "已办结销号问题清单",
        }
    }
}

/// The first and last day of a month.
pub fn month_period(year: i32, month: u32) -> Option<Period> {
    let start = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some(Period {
        start,
        end: next.pred_opt()?,
    })
}

/// `2019-12` → (2019, 12), with a Chinese reason when it is not a month.
pub fn parse_month(s: &str) -> Result<(i32, u32), RuleError> {
    let bad = || RuleError::new("invalid_month", format!("月份“{s}”无效：应为 年-月，如 2019-12"));
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let y = Year::parse(y).map_err(|_| bad())?.get();
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) {
        return Err(bad());
    }
    Ok((y, m))
}

/// The lists a problem raised on `raised` and closed on `closed` belongs to in `month`.
pub fn lists_of(month: Period, raised: NaiveDate, closed: Option<NaiveDate>) -> Vec<MonthlyList> {
    let mut out = Vec::new();
    if month.contains(raised) {
        out.push(MonthlyList::New);
    }
    let open_at_end = raised <= month.end && closed.is_none_or(|c| c > month.end);
    if open_at_end {
        out.push(MonthlyList::InProgress);
    }
    if closed.is_some_and(|c| month.contains(c)) {
        out.push(MonthlyList::ClosedOut);
    }
    out
}

/// The three lists of a month: indexes into `problems` ((raised, closed) each), per list.
pub fn three_lists(month: Period, problems: &[(NaiveDate, Option<NaiveDate>)]) -> [(MonthlyList, Vec<usize>); 3] {
    let mut lists = MonthlyList::ALL.map(|l| (l, Vec::new()));
    for (i, (r, c)) in problems.iter().enumerate() {
        for l in lists_of(month, *r, *c) {
            lists.iter_mut().find(|x| x.0 == l).expect("every list").1.push(i);
        }
    }
    lists
}

// ---------------------------------------------------------------- figures by unit

/// One problem as the figures see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemFact {
    pub unit_id: i64,
    pub raised_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
    pub deadline: NaiveDate,
    pub state: LoopState,
}

/// 问题解决率 and 平均办结天数 of one unit, with its overdue count on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitStats {
    pub unit_id: i64,
    pub raised: u32,
    pub closed: u32,
    pub open: u32,
    pub overdue: u32,
    pub rate_pct: Option<Pct1>,
    pub mean_days_to_close: Option<Pct1>,
}

/// Figures by unit for the problems raised in `period`, overdue as of `today`; units ordered
/// by most problems raised, then id. The last row (unit id 0) is the district total.
pub fn stats_by_unit(period: Period, today: NaiveDate, facts: &[ProblemFact]) -> Vec<UnitStats> {
    let mut units: Vec<i64> = facts.iter().filter(|f| period.contains(f.raised_on)).map(|f| f.unit_id).collect();
    units.sort();
    units.dedup();
    let stats = |filter: &dyn Fn(&ProblemFact) -> bool, unit_id: i64| {
        let mine: Vec<&ProblemFact> = facts.iter().filter(|f| filter(f)).collect();
        let pairs: Vec<(NaiveDate, Option<NaiveDate>)> = mine.iter().map(|f| (f.raised_on, f.closed_on)).collect();
        let r = problem_resolution(period, &pairs);
        UnitStats {
            unit_id,
            raised: r.raised,
            closed: r.closed,
            open: r.open,
            overdue: mine
                .iter()
                .filter(|f| period.contains(f.raised_on) && is_overdue(f.state, f.deadline, today))
                .count() as u32,
            rate_pct: r.rate_pct,
            mean_days_to_close: r.mean_days_to_close,
        }
    };
    let mut rows: Vec<UnitStats> = units.iter().map(|u| stats(&|f: &ProblemFact| f.unit_id == *u, *u)).collect();
    rows.sort_by(|a, b| b.raised.cmp(&a.raised).then(a.unit_id.cmp(&b.unit_id)));
    rows.push(stats(&|_| true, 0));
    rows
}

/// The default deadline of a new problem: 15 working days (Xuchang's general limit, §5.2).
pub fn default_deadline(cal: &WorkCalendar, raised: NaiveDate) -> NaiveDate {
    cal.add_working_days(raised, 15)
}

/// The month (year, month) of a date.
pub fn month_of(d: NaiveDate) -> (i32, u32) {
    (d.year(), d.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::date::d;

    fn actor(role: Role) -> Actor {
        crate::access::tests::actor_over(role, &[10])
    }

    #[test]
    fn the_loop_in_order_with_a_callback_back() {
        let s = transition(LoopState::Raised, Event::Assign).unwrap();
        assert_eq!(s, LoopState::Assigned);
        let s = transition(s, Event::Resolve).unwrap();
        let s = transition(s, Event::Callback { satisfied: false }).unwrap();
        assert_eq!(s, LoopState::Assigned, "unsatisfied goes back to the unit");
        let s = transition(s, Event::Resolve).unwrap();
        let s = transition(s, Event::Callback { satisfied: true }).unwrap();
        assert_eq!(s, LoopState::Satisfied);
        assert_eq!(transition(s, Event::Close).unwrap(), LoopState::Closed);
        assert_eq!(transition(LoopState::Closed, Event::Comment), Ok(LoopState::Closed));
        assert!(transition(LoopState::Closed, Event::Assign).is_err());
        let e = transition(LoopState::Resolved, Event::Close).unwrap_err();
        assert!(e.message.contains("回访"), "{}", e.message);
        assert_eq!(e.code, "problem_step_not_allowed");
        assert!(transition(LoopState::Raised, Event::Resolve).unwrap_err().message.contains("交办"));
        for s in [
            LoopState::Raised,
            LoopState::Assigned,
            LoopState::Resolved,
            LoopState::Satisfied,
            LoopState::Closed,
        ] {
            let (st, cb) = s.to_stored();
            assert_eq!(LoopState::from_stored(st, cb), s);
        }
    }

    #[test]
    fn roles_per_step() {
        let coord = actor(Role::Coordinator);
        let editor = actor(Role::UnitEditor);
        let leader = actor(Role::Leader);
        let viewer = actor(Role::Viewer);
        assert!(may_step(&coord, Step::Assign, 99).is_ok() && may_step(&coord, Step::Close, 99).is_ok());
        assert!(may_step(&editor, Step::Resolve, 10).is_ok());
        assert!(may_step(&editor, Step::Resolve, 99).unwrap_err().0.contains("其他单位"));
        assert!(may_step(&editor, Step::Assign, 10).unwrap_err().0.starts_with("无权"));
        assert!(may_step(&editor, Step::Close, 10).is_err() && may_step(&editor, Step::Comment, 10).is_err());
        assert!(may_step(&leader, Step::Comment, 99).is_ok() && may_step(&leader, Step::Resolve, 99).is_err());
        assert!(Step::ALL.iter().all(|s| may_step(&viewer, *s, 10).is_err()));
        assert_eq!(available_steps(&editor, LoopState::Assigned, 10), vec![Step::Resolve]);
        assert!(may_edit_register(&editor).is_ok() && may_edit_register(&leader).is_err() && may_edit_register(&viewer).is_err());
        assert!(may_raise(&editor, &[99, 10]).is_ok() && may_raise(&editor, &[99]).is_err() && may_raise(&viewer, &[10]).is_err());
        assert_eq!(
            available_steps(&coord, LoopState::Resolved, 10),
            vec![Step::Callback, Step::Comment]
        );
    }

    #[test]
    fn the_ladder_counts_working_days() {
        let cal = WorkCalendar::weekends_only();
        let ladder = Ladder::default();
        // Due Friday 2019-11-01.
        let due = d(2019, 11, 1);
        assert_eq!(ladder.level(&cal, due, due), 0);
        assert_eq!(ladder.level(&cal, due, d(2019, 11, 7)), 0, "4 working days late");
        assert_eq!(ladder.level(&cal, due, d(2019, 11, 8)), 1, "5 working days late");
        assert_eq!(ladder.level(&cal, due, d(2019, 11, 15)), 2);
        assert_eq!(ladder.level(&cal, due, d(2019, 11, 22)), 3);
        assert_eq!(ladder.level(&cal, due, d(2020, 6, 1)), 3);
        assert_eq!(Ladder::every(2).thresholds, [2, 4, 6]);
        assert_eq!(Ladder::parse("3, 7，15").unwrap().thresholds, [3, 7, 15]);
        assert_eq!(Ladder::parse("4").unwrap().thresholds, [4, 8, 12]);
        assert!(Ladder::parse("5,5,10").unwrap_err().message.contains("递增"));
        assert!(Ladder::parse("x").is_err() && Ladder::parse("").is_err());
        assert!(is_overdue(LoopState::Assigned, due, d(2019, 11, 2)));
        assert!(!is_overdue(LoopState::Resolved, due, d(2019, 11, 20)));
    }

    #[test]
    fn three_lists_of_a_month() {
        let dec = month_period(2019, 12).unwrap();
        assert_eq!(dec.end, d(2019, 12, 31));
        let probs = [
            (d(2019, 12, 3), None),                  // new and in progress
            (d(2019, 12, 5), Some(d(2019, 12, 20))), // new and closed out
            (d(2019, 10, 1), None),                  // in progress
            (d(2019, 10, 1), Some(d(2019, 12, 2))),  // closed out
            (d(2019, 10, 1), Some(d(2019, 11, 2))),  // none
            (d(2020, 1, 2), None),                   // none
        ];
        let lists = three_lists(dec, &probs);
        assert_eq!(lists[0], (MonthlyList::New, vec![0, 1]));
        assert_eq!(lists[1], (MonthlyList::InProgress, vec![0, 2]));
        assert_eq!(lists[2], (MonthlyList::ClosedOut, vec![1, 3]));
        assert_eq!(parse_month("2019-12").unwrap(), (2019, 12));
        assert!(parse_month("2019-13").unwrap_err().message.contains("月份"));
    }

    #[test]
    fn figures_by_unit_with_a_total() {
        let f = |unit_id, r, c: Option<NaiveDate>, state| ProblemFact {
            unit_id,
            raised_on: r,
            closed_on: c,
            deadline: d(2019, 6, 30),
            state,
        };
        let facts = [
            f(1, d(2019, 1, 1), Some(d(2019, 1, 11)), LoopState::Closed),
            f(1, d(2019, 2, 1), None, LoopState::Assigned),
            f(2, d(2019, 3, 1), Some(d(2019, 3, 6)), LoopState::Closed),
        ];
        let rows = stats_by_unit(Period::year(2019), d(2019, 12, 31), &facts);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].unit_id, rows[0].raised, rows[0].closed, rows[0].overdue), (1, 2, 1, 1));
        assert_eq!(rows[0].rate_pct, Some(Pct1(500)));
        assert_eq!(rows[1].mean_days_to_close, Some(Pct1(50)));
        let total = rows.last().unwrap();
        assert_eq!((total.unit_id, total.raised, total.closed), (0, 3, 2));
    }

    fn any_event() -> impl Strategy<Value = Event> {
        prop_oneof![
            Just(Event::Assign),
            Just(Event::Resolve),
            any::<bool>().prop_map(|satisfied| Event::Callback { satisfied }),
            Just(Event::Close),
            Just(Event::Comment),
        ]
    }

    proptest! {
        /// No sequence of steps reaches 销号 without 交办, then 办结, then a satisfied 回访 —
        /// in that order, and with no unsatisfied callback or new assignment after it.
        #[test]
        fn closed_only_after_assign_resolve_and_satisfied_callback(events in proptest::collection::vec(any_event(), 0..40)) {
            let mut s = LoopState::Raised;
            let mut applied: Vec<Event> = Vec::new();
            for e in events {
                let was = s;
                if let Ok(next) = transition(s, e) {
                    applied.push(e);
                    s = next;
                }
                if was == LoopState::Closed {
                    prop_assert_eq!(s, LoopState::Closed, "nothing reopens a closed problem");
                }
                if s == LoopState::Closed && was != LoopState::Closed {
                    let n = applied.len();
                    prop_assert_eq!(applied[n - 1], Event::Close);
                    let real: Vec<Event> = applied.iter().copied().filter(|e| *e != Event::Comment).collect();
                    let m = real.len();
                    prop_assert!(m >= 4);
                    prop_assert_eq!(real[m - 2], Event::Callback { satisfied: true });
                    prop_assert_eq!(real[m - 3], Event::Resolve);
                    prop_assert!(real[..m - 3].contains(&Event::Assign));
                    let before_resolve = matches!(real[m - 4], Event::Assign | Event::Callback { satisfied: false });
                    prop_assert!(before_resolve);
                }
            }
        }

        /// Nothing but a comment touches a closed problem, and the ladder never goes down as days pass.
        #[test]
        fn closed_is_final_and_the_ladder_rises(days in 0i64..200, more in 0i64..50) {
            for e in [Event::Assign, Event::Resolve, Event::Callback { satisfied: true }, Event::Callback { satisfied: false }, Event::Close] {
                prop_assert!(transition(LoopState::Closed, e).is_err());
            }
            let cal = WorkCalendar::weekends_only();
            let due = d(2019, 3, 1);
            let a = due + chrono::Duration::days(days);
            let b = a + chrono::Duration::days(more);
            prop_assert!(Ladder::default().level(&cal, due, a) <= Ladder::default().level(&cal, due, b));
        }
    }
}

/// Problems typed as lines of text (a progress report's "problems met"): one per line,
/// `类别：描述` (full- or half-width colon); a line without a category is filed under 其他.
pub fn parse_problem_lines(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(['：', ':']) {
            Some((cat, desc)) if !cat.trim().is_empty() && cat.trim().chars().count() <= 20 && !desc.trim().is_empty() => {
                (cat.trim().to_string(), desc.trim().to_string())
            }
            _ => ("其他".to_string(), l.to_string()),
        })
        .collect()
}

#[cfg(test)]
mod problem_line_tests {
    use super::parse_problem_lines;

    #[test]
    fn lines_become_category_and_description() {
        let p = parse_problem_lines("用地：红线外征迁未完成\n\n  资金:配套资金未到位\n施工用电接入慢");
        assert_eq!(
            p,
            vec![
                ("用地".to_string(), "红线外征迁未完成".to_string()),
                ("资金".to_string(), "配套资金未到位".to_string()),
                ("其他".to_string(), "施工用电接入慢".to_string()),
            ]
        );
    }
}
