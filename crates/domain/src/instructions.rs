//! 批示 and 督办单: a district leader's (or the coordinating bureau's) written instruction on a
//! project, and a supervision order on a red node or project, both tracked items for the
//! responsible unit with a reply deadline. One loop for both kinds, as a pure state machine
//! (待回复 → 已回复 → 已办结, or 退回 to the unit), who may take each step, and which items
//! escalate when overdue (督办单 climb the ladder of [`crate::escalation`]). No IO.

use crate::access::{Action, Actor, Denied, Role};
use crate::calendar::WorkCalendar;
use crate::error::{RuleError, refuse};
use crate::lights::Light;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The two kinds of tracked instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 批示: a leader's instruction on a project, on the project page.
    Directive,
    /// 督办单: a supervision order on a red node or a red project; escalates when overdue.
    Order,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Directive, Kind::Order];
    pub fn code(self) -> &'static str {
        match self {
            Kind::Directive => "directive",
            Kind::Order => "order",
        }
    }
    pub fn from_code(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Kind::Directive => "批示",
            Kind::Order => "督办单",
        }
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// 待回复: issued, waiting for the unit's reply.
    AwaitingReply,
    /// 已回复: the unit replied; waiting for the issuer to accept or send it back.
    Replied,
    /// 退回: the issuer sent the reply back with a reason; waiting for a new reply.
    Returned,
    /// 已办结: accepted by the issuer.
    Closed,
}

impl State {
    pub const ALL: [State; 4] = [State::AwaitingReply, State::Replied, State::Returned, State::Closed];
    pub fn code(self) -> &'static str {
        match self {
            State::AwaitingReply => "awaiting_reply",
            State::Replied => "replied",
            State::Returned => "returned",
            State::Closed => "closed",
        }
    }
    pub fn from_code(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            State::AwaitingReply => "待回复",
            State::Replied => "已回复",
            State::Returned => "退回",
            State::Closed => "已办结",
        }
    }
    /// The unit owes a reply.
    pub fn awaits_reply(self) -> bool {
        matches!(self, State::AwaitingReply | State::Returned)
    }
}

/// A step of the loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 回复: the unit says what it did (also a further reply while the issuer has not decided).
    Reply,
    /// 办结: the issuer accepts the reply.
    Accept,
    /// 退回: the issuer sends the reply back, with a reason.
    Return,
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Reply, Step::Accept, Step::Return];
    pub fn code(self) -> &'static str {
        match self {
            Step::Reply => "reply",
            Step::Accept => "accept",
            Step::Return => "return",
        }
    }
    pub fn from_code(s: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|x| x.code() == s)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Step::Reply => "回复",
            Step::Accept => "办结",
            Step::Return => "退回",
        }
    }
}

/// The next state, or why the step cannot be taken now (`instruction_closed`,
/// `instruction_step_not_allowed`).
pub fn transition(state: State, step: Step) -> Result<State, RuleError> {
    use State::*;
    match (state, step) {
        (Closed, _) => refuse("instruction_closed", "该事项已办结，不能再办理"),
        (AwaitingReply | Returned | Replied, Step::Reply) => Ok(Replied),
        (Replied, Step::Accept) => Ok(Closed),
        (Replied, Step::Return) => Ok(Returned),
        (s, step) => refuse(
            "instruction_step_not_allowed",
            format!("该事项当前为“{}”，不能{}：须先由责任单位回复", s.label_zh(), step.label_zh()),
        ),
    }
}

/// The text of an instruction: 1 to 2,000 characters once trimmed.
pub fn check_text(text: &str) -> Result<(), RuleError> {
    let n = text.trim().chars().count();
    if n == 0 {
        return refuse("instruction_text_empty", "批示（督办）内容不能为空");
    }
    if n > 2000 {
        return refuse("instruction_text_too_long", "批示（督办）内容不能超过2000个字");
    }
    Ok(())
}

/// What a step carries: a reply says what was done, a return says why (1 to 4,000 characters);
/// an acceptance may add a note.
pub fn check_note(step: Step, note: &str) -> Result<(), RuleError> {
    let n = note.trim().chars().count();
    if n > 4000 {
        return refuse("instruction_note_too_long", "说明不能超过4000个字");
    }
    match step {
        Step::Reply if n == 0 => refuse("instruction_reply_empty", "请填写回复内容（采取了哪些措施、结果如何）"),
        Step::Return if n == 0 => refuse("instruction_return_reason_missing", "退回须说明理由，事项将退回责任单位重新回复"),
        _ => Ok(()),
    }
}

/// A reply deadline is not before the day it is set.
pub fn check_deadline(deadline: NaiveDate, today: NaiveDate) -> Result<(), RuleError> {
    if deadline < today {
        return refuse("instruction_deadline_past", "回复时限不能早于今天");
    }
    Ok(())
}

/// The default reply deadline: 5 working days (the common handling limit of PRACTICE.md §5.2).
pub fn default_deadline(cal: &WorkCalendar, issued: NaiveDate) -> NaiveDate {
    cal.add_working_days(issued, 5)
}

/// The deadline after a return: the one given, else the old one while it has not passed,
/// else the default from today.
pub fn deadline_after_return(cal: &WorkCalendar, given: Option<NaiveDate>, old: NaiveDate, today: NaiveDate) -> NaiveDate {
    given.unwrap_or(if old >= today { old } else { default_deadline(cal, today) })
}

/// A 督办单 is issued only on what is red now: the node's light when it names a node, else the
/// project's.
pub fn check_order_target(node: Option<Option<Light>>, project: Option<Light>) -> Result<(), RuleError> {
    match node {
        Some(Some(Light::Red)) => Ok(()),
        Some(_) => refuse("order_target_not_red", "只能对红灯节点下达督办单：该节点当前不是红灯"),
        None if project == Some(Light::Red) => Ok(()),
        None => refuse("order_target_not_red", "只能对红灯项目下达督办单：该项目当前不是红灯"),
    }
}

/// Only a 督办单 that waits for the unit's reply climbs the escalation ladder (a 批示 past its
/// deadline shows as overdue but does not escalate; one that was replied waits for its issuer).
pub fn escalates(kind: Kind, state: State) -> bool {
    kind == Kind::Order && state.awaits_reply()
}

/// Is an item overdue on `today`: the unit owes a reply and the deadline has passed.
pub fn is_overdue(state: State, deadline: NaiveDate, today: NaiveDate) -> bool {
    state.awaits_reply() && today > deadline
}

/// The parties of an item as the rules see them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    /// The responsible unit, which replies.
    pub unit_id: i64,
    /// The project's unit.
    pub project_unit_id: i64,
    /// The user who issued it.
    pub issued_by: i64,
}

/// May `actor` issue a 批示 or a 督办单? Whoever may comment and lead supervision
/// (`Action::Comment` in `access.rs`: district leaders, the coordinating bureau and
/// administrators); a unit's staff never.
pub fn may_issue(actor: &Actor, _kind: Kind) -> Result<(), Denied> {
    actor.may(Action::Comment)
}

/// May `actor` read an item? Those who read the district; a unit's staff when the item is for
/// their unit or on their unit's project.
pub fn may_read(actor: &Actor, p: &Parties) -> Result<(), Denied> {
    if actor.reads_all() || actor.in_scope(p.unit_id) || actor.in_scope(p.project_unit_id) {
        Ok(())
    } else {
        Err(Denied("无权查看：该批示（督办）事项不属于您所在单位"))
    }
}

/// May `actor` take `step`?
///
/// - 回复: the editors of the responsible unit (and the units above it); an administrator may
///   record one. The coordinating bureau does not answer for a unit, and no one answers an
///   item they issued.
/// - 办结 and 退回: the issuer; also the coordinating bureau and administrators, who keep the
///   district's 督办 desk (a leader's 批示 is followed up by 发改局 on the leader's behalf).
///   Another leader cannot decide on an item they did not issue.
pub fn may_step(actor: &Actor, step: Step, p: &Parties) -> Result<(), Denied> {
    match step {
        Step::Reply => match actor.role {
            _ if actor.user_id == p.issued_by => Err(Denied("无权回复：不能回复自己签发的事项")),
            Role::Admin => Ok(()),
            Role::UnitEditor if actor.in_scope(p.unit_id) => Ok(()),
            Role::UnitEditor => Err(Denied("无权回复：该事项交由其他单位办理")),
            _ => Err(Denied("无权回复：只有责任单位的填报员可以回复")),
        },
        Step::Accept | Step::Return => match actor.role {
            Role::Admin | Role::Coordinator => Ok(()),
            _ if actor.user_id == p.issued_by => Ok(()),
            _ => Err(Denied("无权操作：只有签发人（或发改局统筹人员）可以办结或退回")),
        },
    }
}

/// The steps `actor` may take now (for the page's forms).
pub fn available_steps(actor: &Actor, state: State, p: &Parties) -> Vec<Step> {
    Step::ALL
        .into_iter()
        .filter(|s| transition(state, *s).is_ok() && may_step(actor, *s, p).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::tests::actor_over;
    use crate::date::d;
    use proptest::prelude::*;

    const P: Parties = Parties {
        unit_id: 10,
        project_unit_id: 20,
        issued_by: 7,
    };

    fn with_id(role: Role, units: &[i64], id: i64) -> Actor {
        Actor {
            user_id: id,
            ..actor_over(role, units)
        }
    }

    #[test]
    fn the_loop_with_a_return() {
        let s = transition(State::AwaitingReply, Step::Reply).unwrap();
        assert_eq!(s, State::Replied);
        assert_eq!(transition(s, Step::Reply), Ok(State::Replied), "a further reply");
        let s = transition(s, Step::Return).unwrap();
        assert_eq!(s, State::Returned);
        assert!(transition(s, Step::Accept).unwrap_err().message.contains("须先由责任单位回复"));
        let s = transition(s, Step::Reply).unwrap();
        assert_eq!(transition(s, Step::Accept), Ok(State::Closed));
        for step in Step::ALL {
            assert_eq!(transition(State::Closed, step).unwrap_err().code, "instruction_closed");
        }
        assert_eq!(
            transition(State::AwaitingReply, Step::Accept).unwrap_err().code,
            "instruction_step_not_allowed"
        );
        for s in State::ALL {
            assert_eq!(State::from_code(s.code()), Some(s));
        }
        for k in Kind::ALL {
            assert_eq!(Kind::from_code(k.code()), Some(k));
        }
    }

    #[test]
    fn texts_deadlines_and_targets() {
        assert_eq!(check_text("  ").unwrap_err().code, "instruction_text_empty");
        assert_eq!(check_text(&"字".repeat(2001)).unwrap_err().code, "instruction_text_too_long");
        assert!(check_text("请加快推进").is_ok());
        assert_eq!(check_note(Step::Reply, " ").unwrap_err().code, "instruction_reply_empty");
        assert_eq!(check_note(Step::Return, "").unwrap_err().code, "instruction_return_reason_missing");
        assert!(check_note(Step::Accept, "").is_ok());
        assert_eq!(
            check_deadline(d(2019, 12, 30), d(2019, 12, 31)).unwrap_err().code,
            "instruction_deadline_past"
        );
        let cal = WorkCalendar::weekends_only();
        // Tuesday 2019-12-31 + 5 working days = Tuesday 2020-01-07 (weekends only).
        assert_eq!(default_deadline(&cal, d(2019, 12, 31)), d(2020, 1, 7));
        assert_eq!(deadline_after_return(&cal, None, d(2020, 1, 7), d(2020, 1, 2)), d(2020, 1, 7));
        assert_eq!(deadline_after_return(&cal, None, d(2020, 1, 7), d(2020, 1, 8)), d(2020, 1, 15));
        assert_eq!(check_order_target(Some(Some(Light::Red)), Some(Light::Green)), Ok(()));
        assert!(
            check_order_target(Some(Some(Light::Green)), Some(Light::Red))
                .unwrap_err()
                .message
                .contains("节点")
        );
        assert!(check_order_target(Some(None), Some(Light::Red)).is_err());
        assert_eq!(check_order_target(None, Some(Light::Red)), Ok(()));
        assert!(check_order_target(None, Some(Light::Yellow)).unwrap_err().message.contains("项目"));
        assert!(escalates(Kind::Order, State::Returned) && !escalates(Kind::Directive, State::AwaitingReply));
        assert!(!escalates(Kind::Order, State::Replied));
        assert!(
            is_overdue(State::AwaitingReply, d(2020, 1, 7), d(2020, 1, 8)) && !is_overdue(State::Replied, d(2020, 1, 7), d(2020, 1, 8))
        );
    }

    #[test]
    fn who_may_do_what() {
        let leader = with_id(Role::Leader, &[], 7);
        let other_leader = with_id(Role::Leader, &[], 8);
        let coord = with_id(Role::Coordinator, &[1], 9);
        let editor = with_id(Role::UnitEditor, &[10], 11);
        let other_editor = with_id(Role::UnitEditor, &[30], 12);
        let project_editor = with_id(Role::UnitEditor, &[20], 13);
        let viewer = with_id(Role::Viewer, &[10], 14);
        for k in Kind::ALL {
            assert!(may_issue(&leader, k).is_ok() && may_issue(&coord, k).is_ok());
            assert!(may_issue(&editor, k).unwrap_err().0.starts_with("无权") && may_issue(&viewer, k).is_err());
        }
        assert!(may_read(&editor, &P).is_ok() && may_read(&project_editor, &P).is_ok() && may_read(&viewer, &P).is_ok());
        assert!(may_read(&other_editor, &P).is_err() && may_read(&other_leader, &P).is_ok());
        assert!(may_step(&editor, Step::Reply, &P).is_ok());
        assert!(may_step(&other_editor, Step::Reply, &P).unwrap_err().0.contains("其他单位"));
        assert!(
            may_step(&project_editor, Step::Reply, &P).is_err(),
            "the project's unit is not the responsible one"
        );
        assert!(may_step(&coord, Step::Reply, &P).is_err() && may_step(&leader, Step::Reply, &P).is_err());
        assert!(may_step(&leader, Step::Accept, &P).is_ok() && may_step(&coord, Step::Return, &P).is_ok());
        assert!(may_step(&other_leader, Step::Accept, &P).unwrap_err().0.contains("签发人"));
        assert!(may_step(&editor, Step::Accept, &P).is_err());
        let self_issued = Parties { issued_by: 9, ..P };
        assert!(may_step(&coord, Step::Reply, &self_issued).unwrap_err().0.contains("自己"));
        assert_eq!(available_steps(&editor, State::Returned, &P), vec![Step::Reply]);
        assert_eq!(available_steps(&leader, State::Replied, &P), vec![Step::Accept, Step::Return]);
        assert!(available_steps(&viewer, State::AwaitingReply, &P).is_empty());
    }

    fn any_step() -> impl Strategy<Value = Step> {
        prop_oneof![Just(Step::Reply), Just(Step::Accept), Just(Step::Return)]
    }

    proptest! {
        /// Nothing reaches 已办结 but an acceptance right after a reply, and nothing leaves it.
        #[test]
        fn closed_only_by_accepting_a_reply(steps in proptest::collection::vec(any_step(), 0..30)) {
            let mut s = State::AwaitingReply;
            let mut applied: Vec<Step> = Vec::new();
            for step in steps {
                let was = s;
                if let Ok(next) = transition(s, step) {
                    applied.push(step);
                    s = next;
                }
                if was == State::Closed {
                    prop_assert_eq!(s, State::Closed);
                }
                if s == State::Closed && was != State::Closed {
                    let n = applied.len();
                    prop_assert_eq!(applied[n - 1], Step::Accept);
                    prop_assert_eq!(applied[n - 2], Step::Reply);
                }
            }
        }
    }
}
