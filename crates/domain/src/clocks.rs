//! Approval clocks (审批时限): the days a project's approvals take, from a start node to a
//! stop node, against a limit in calendar or working days, e.g. Zhejiang's "一般企业投资
//! 项目审批最多90天" from 赋码备案 to 竣工验收 (PRACTICE.md §2.1).
//!
//! Such clocks count only government time: the owner's own preparation and the
//! intermediaries the owner commissions are excluded ("不含业主自主准备时间和业主委托中介服务
//! 时间", PRACTICE.md §0.5). Those are [`ExcludedSpan`]s: the days inside them do not count.
//!
//! Days are counted with the calendar's convention (`calendar.rs`): from the start date
//! (not counted) to the stop date or the as-of date (counted).

use crate::calendar::WorkCalendar;
use crate::model::{DayKind, NodeStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The configuration of one clock (the administrator's table of 审批时限).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalClock {
    /// e.g. `一般企业投资项目审批最多90天`.
    pub name: String,
    /// The project type it applies to (`None`: every type).
    #[serde(default)]
    pub project_type: Option<String>,
    /// Node whose completion starts the clock, e.g. `赋码备案`.
    pub start_node: String,
    /// Node whose completion stops it, e.g. `竣工验收`.
    pub stop_node: String,
    /// The limit, in `day_kind` days.
    pub limit_days: u32,
    pub day_kind: DayKind,
}

impl From<&crate::dataset::ApprovalClockRow> for ApprovalClock {
    fn from(r: &crate::dataset::ApprovalClockRow) -> Self {
        ApprovalClock {
            name: r.name.clone(),
            project_type: r.project_type.clone(),
            start_node: r.start_node.clone(),
            stop_node: r.stop_node.clone(),
            limit_days: r.limit_days.max(0) as u32,
            day_kind: r.day_kind,
        }
    }
}

/// A closed span of dates whose days do not count (业主自主时间, 暂停). `until = None`: the
/// span is still open and runs to the as-of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExcludedSpan {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    /// Why, e.g. `业主自主准备时间（补充材料）`.
    #[serde(default)]
    pub reason: String,
}

/// A node as far as clocks need it: its name and, once done, when.
pub trait NodeDate {
    fn node_name(&self) -> &str;
    /// The completion date, if the node has been reported or closed.
    fn done_on(&self) -> Option<NaiveDate>;
}

impl NodeDate for crate::model::Node {
    fn node_name(&self) -> &str {
        &self.name
    }
    fn done_on(&self) -> Option<NaiveDate> {
        if self.status == NodeStatus::Open { None } else { self.actual_on }
    }
}

impl NodeDate for crate::rules::NodeFacts {
    fn node_name(&self) -> &str {
        &self.name
    }
    fn done_on(&self) -> Option<NaiveDate> {
        if self.status == NodeStatus::Open { None } else { self.actual_on }
    }
}

/// One project's clock, ready to read: what the rule engine gets in `ProjectFacts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockFacts {
    pub name: String,
    pub limit_days: u32,
    pub day_kind: DayKind,
    /// Completion of the start node; `None`: not started.
    pub started_on: Option<NaiveDate>,
    /// Completion of the stop node; `None`: still running.
    pub stopped_on: Option<NaiveDate>,
    #[serde(default)]
    pub excluded: Vec<ExcludedSpan>,
}

impl ApprovalClock {
    /// Does this clock apply to a project of this type?
    pub fn applies_to(&self, project_type: &str) -> bool {
        self.project_type.as_deref().is_none_or(|t| t == project_type)
    }

    /// The clock of one project, its start and stop found among the project's nodes by name.
    pub fn facts<N: NodeDate>(&self, nodes: &[N], excluded: Vec<ExcludedSpan>) -> ClockFacts {
        let done = |name: &str| nodes.iter().find(|n| n.node_name() == name).and_then(|n| n.done_on());
        ClockFacts {
            name: self.name.clone(),
            limit_days: self.limit_days,
            day_kind: self.day_kind,
            started_on: done(&self.start_node),
            stopped_on: done(&self.stop_node),
            excluded,
        }
    }
}

/// Where a clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    /// 未开始: the start node is not done (or done after the as-of date).
    NotStarted,
    /// 计时中.
    Running,
    /// 暂停计时: the as-of date lies in an excluded span.
    Paused,
    /// 已办结: the stop node is done.
    Stopped,
}

impl ClockState {
    pub fn label_zh(self) -> &'static str {
        match self {
            ClockState::NotStarted => "未开始",
            ClockState::Running => "计时中",
            ClockState::Paused => "暂停计时",
            ClockState::Stopped => "已办结",
        }
    }
}

/// A clock read on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClockReading {
    pub state: ClockState,
    pub limit_days: u32,
    pub day_kind: DayKind,
    /// Counted days used: the days from start to stop (or as-of), minus the excluded ones.
    pub elapsed: i64,
    /// Days inside excluded spans (not counted).
    pub excluded: i64,
    /// `limit − elapsed`; negative once breached.
    pub remaining: i64,
    /// Has the clock used more than its limit?
    pub breached: bool,
    /// While running: the date the limit runs out if nothing is excluded from now on.
    pub due_on: Option<NaiveDate>,
}

impl ClockReading {
    /// Days over the limit (0 while within it).
    pub fn overrun(&self) -> i64 {
        (-self.remaining).max(0)
    }
}

/// Merges excluded spans (sorted, overlaps joined), each closed at `as_of` when open.
fn merged_spans(spans: &[ExcludedSpan], as_of: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut v: Vec<(NaiveDate, NaiveDate)> = spans
        .iter()
        .map(|s| (s.from, s.until.unwrap_or(as_of).min(as_of)))
        .filter(|(a, b)| a <= b)
        .collect();
    v.sort();
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// Reads a clock as of a date.
pub fn read_clock(clock: &ClockFacts, as_of: NaiveDate, calendar: &WorkCalendar) -> ClockReading {
    let kind = clock.day_kind;
    let limit = clock.limit_days as i64;
    let not_started = ClockReading {
        state: ClockState::NotStarted,
        limit_days: clock.limit_days,
        day_kind: kind,
        elapsed: 0,
        excluded: 0,
        remaining: limit,
        breached: false,
        due_on: None,
    };
    let Some(start) = clock.started_on.filter(|s| *s <= as_of) else {
        return not_started;
    };
    let stopped = clock.stopped_on.filter(|s| *s <= as_of && *s >= start);
    let end = stopped.unwrap_or(as_of);
    let total = calendar.days_between(start, end, kind);
    let mut excluded = 0;
    let mut paused_now = false;
    for (from, until) in merged_spans(&clock.excluded, as_of) {
        // Counted days are (start, end]; a span covers [from, until].
        let lo = start.max(from.pred_opt().unwrap_or(from));
        let hi = end.min(until);
        if hi > lo {
            excluded += calendar.days_between(lo, hi, kind);
        }
        if stopped.is_none() && from <= as_of && as_of <= until {
            paused_now = true;
        }
    }
    let elapsed = total - excluded;
    let remaining = limit - elapsed;
    let state = if stopped.is_some() {
        ClockState::Stopped
    } else if paused_now {
        ClockState::Paused
    } else {
        ClockState::Running
    };
    ClockReading {
        state,
        limit_days: clock.limit_days,
        day_kind: kind,
        elapsed,
        excluded,
        remaining,
        breached: elapsed > limit,
        due_on: (state == ClockState::Running && remaining >= 0).then(|| calendar.add_days(as_of, remaining, kind)),
    }
}

/// Reads a clock as the lights job judges it: a clock whose stop node is done is read on its
/// final count (facts are today's, even when the stop date lies after the as-of date).
pub fn read_clock_now(clock: &ClockFacts, as_of: NaiveDate, calendar: &WorkCalendar) -> ClockReading {
    let at = match (clock.started_on, clock.stopped_on) {
        (Some(start), Some(stop)) if start <= as_of && stop >= start => stop.max(as_of),
        _ => as_of,
    };
    read_clock(clock, at, calendar)
}

/// The longest reason an excluded span may carry, in characters.
pub const SPAN_REASON_MAX_CHARS: usize = 200;

/// Why an excluded span cannot be recorded (the API answers 422 with the message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("不计时段的结束日期 {until} 早于开始日期 {from}")]
    EndsBeforeStart { from: NaiveDate, until: NaiveDate },
    #[error("请填写不计时的原因（如“业主自主准备时间（补充材料）”）")]
    NoReason,
    #[error("不计时的原因不能超过{max}个字（现有{len}个字）")]
    ReasonTooLong { max: usize, len: usize },
    #[error("不计时段与已登记的“{reason}”（{from}至{until}）重叠：请先结束或删除那一段")]
    Overlaps { from: NaiveDate, until: String, reason: String },
    #[error("不计时段的{what} {date} 晚于数据日期 {as_of}：只能登记已经发生的时段")]
    AfterAsOf {
        what: &'static str,
        date: NaiveDate,
        as_of: NaiveDate,
    },
    #[error("该不计时段已于 {0} 结束")]
    AlreadyClosed(NaiveDate),
}

impl SpanError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            SpanError::EndsBeforeStart { .. } => "span_ends_before_start",
            SpanError::NoReason => "span_reason_missing",
            SpanError::ReasonTooLong { .. } => "span_reason_too_long",
            SpanError::Overlaps { .. } => "span_overlaps",
            SpanError::AfterAsOf { .. } => "span_after_as_of",
            SpanError::AlreadyClosed(_) => "span_already_closed",
        }
    }
}

/// An excluded span as recorded for a project: which clock it stops (`None`: every clock of
/// the project), and the span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSpan {
    pub clock_name: Option<String>,
    pub span: ExcludedSpan,
}

impl ProjectSpan {
    /// Does this span stop the clock named `clock`?
    pub fn applies_to(&self, clock: &str) -> bool {
        self.clock_name.as_deref().is_none_or(|c| c == clock)
    }

    /// Do the two spans stop a common clock on a common day? An open span runs on without end.
    fn overlaps(&self, other: &ProjectSpan) -> bool {
        let same_clock = match (&self.clock_name, &other.clock_name) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        let before = |a: &ExcludedSpan, b: &ExcludedSpan| a.until.is_some_and(|u| u < b.from);
        same_clock && !before(&self.span, &other.span) && !before(&other.span, &self.span)
    }

    /// Parses a span to record on `as_of`: the reason trimmed and required, the dates in order
    /// and not after `as_of`, no overlap with the project's `existing` spans of the same clock.
    pub fn parse(
        clock_name: Option<&str>,
        from: NaiveDate,
        until: Option<NaiveDate>,
        reason: &str,
        existing: &[ProjectSpan],
        as_of: NaiveDate,
    ) -> Result<ProjectSpan, SpanError> {
        // Trimmed only (the ideographic space too): the reason is Chinese prose, whose
        // full-width punctuation stays as written.
        let reason = reason.trim().to_string();
        if reason.is_empty() {
            return Err(SpanError::NoReason);
        }
        let len = reason.chars().count();
        if len > SPAN_REASON_MAX_CHARS {
            return Err(SpanError::ReasonTooLong {
                max: SPAN_REASON_MAX_CHARS,
                len,
            });
        }
        if from > as_of {
            return Err(SpanError::AfterAsOf {
                what: "开始日期",
                date: from,
                as_of,
            });
        }
        if let Some(until) = until {
            check_end(from, until, as_of)?;
        }
        let new = ProjectSpan {
            clock_name: clock_name.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string),
            span: ExcludedSpan { from, until, reason },
        };
        if let Some(old) = existing.iter().find(|old| old.overlaps(&new)) {
            return Err(SpanError::Overlaps {
                from: old.span.from,
                until: old.span.until.map_or_else(|| "今".to_string(), |u| u.to_string()),
                reason: old.span.reason.clone(),
            });
        }
        Ok(new)
    }

    /// Closes an open span on `until`.
    pub fn close(&self, until: NaiveDate, as_of: NaiveDate) -> Result<ProjectSpan, SpanError> {
        if let Some(u) = self.span.until {
            return Err(SpanError::AlreadyClosed(u));
        }
        check_end(self.span.from, until, as_of)?;
        let mut closed = self.clone();
        closed.span.until = Some(until);
        Ok(closed)
    }
}

fn check_end(from: NaiveDate, until: NaiveDate, as_of: NaiveDate) -> Result<(), SpanError> {
    if until < from {
        return Err(SpanError::EndsBeforeStart { from, until });
    }
    if until > as_of {
        return Err(SpanError::AfterAsOf {
            what: "结束日期",
            date: until,
            as_of,
        });
    }
    Ok(())
}

/// "天" or "个工作日", for sentences.
pub fn day_unit_zh(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Calendar => "天",
        DayKind::Working => "个工作日",
    }
}

/// "days" or "working days", for English sentences.
pub fn day_unit_en(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Calendar => "days",
        DayKind::Working => "working days",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    use crate::date::d;

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::shipped()
    }

    fn clock(kind: DayKind, limit: u32, start: Option<NaiveDate>, stop: Option<NaiveDate>, excluded: Vec<ExcludedSpan>) -> ClockFacts {
        ClockFacts {
            name: "一般企业投资项目审批最多90天".into(),
            limit_days: limit,
            day_kind: kind,
            started_on: start,
            stopped_on: stop,
            excluded,
        }
    }

    struct N(&'static str, Option<NaiveDate>);
    impl NodeDate for N {
        fn node_name(&self) -> &str {
            self.0
        }
        fn done_on(&self) -> Option<NaiveDate> {
            self.1
        }
    }

    #[test]
    fn start_and_stop_come_from_the_nodes() {
        let def = ApprovalClock {
            name: "一般企业投资项目审批最多90天".into(),
            project_type: Some("industrial".into()),
            start_node: "赋码备案".into(),
            stop_node: "竣工验收".into(),
            limit_days: 90,
            day_kind: DayKind::Calendar,
        };
        assert!(def.applies_to("industrial") && !def.applies_to("government"));
        let f = def.facts(
            &[
                N("签约", Some(d(2019, 1, 5))),
                N("赋码备案", Some(d(2019, 3, 1))),
                N("竣工验收", None),
            ],
            vec![],
        );
        assert_eq!((f.started_on, f.stopped_on), (Some(d(2019, 3, 1)), None));
        let json = serde_json::to_string(&def).unwrap();
        assert_eq!(serde_json::from_str::<ApprovalClock>(&json).unwrap(), def);
    }

    #[test]
    fn calendar_clock_runs_breaches_and_stops() {
        let c = clock(DayKind::Calendar, 90, Some(d(2019, 3, 1)), None, vec![]);
        let r = read_clock(&c, d(2019, 2, 28), cal());
        assert_eq!((r.state, r.elapsed, r.remaining), (ClockState::NotStarted, 0, 90));
        let r = read_clock(&c, d(2019, 3, 1), cal());
        assert_eq!((r.state, r.elapsed), (ClockState::Running, 0));
        let r = read_clock(&c, d(2019, 5, 30), cal());
        assert_eq!((r.elapsed, r.remaining, r.breached), (90, 0, false));
        assert_eq!(r.due_on, Some(d(2019, 5, 30)));
        let r = read_clock(&c, d(2019, 6, 4), cal());
        assert_eq!((r.elapsed, r.remaining, r.breached, r.overrun()), (95, -5, true, 5));
        let stopped = ClockFacts {
            stopped_on: Some(d(2019, 4, 30)),
            ..c.clone()
        };
        let r = read_clock(&stopped, d(2019, 12, 31), cal());
        assert_eq!((r.state, r.elapsed, r.remaining, r.due_on), (ClockState::Stopped, 60, 30, None));
    }

    #[test]
    fn working_day_clock_skips_the_national_day_week() {
        // Started Friday 2019-09-27; 9-29 (Sun) and 9-30 are worked, 10-01..07 are off.
        let c = clock(DayKind::Working, 20, Some(d(2019, 9, 27)), None, vec![]);
        let r = read_clock(&c, d(2019, 10, 8), cal());
        assert_eq!((r.elapsed, r.remaining), (3, 17));
        assert!(cal().is_working_day(r.due_on.unwrap()));
        assert_eq!(r.due_on, Some(d(2019, 10, 30)));
    }

    #[test]
    fn the_owners_own_time_is_excluded() {
        let owner = |from, until| ExcludedSpan {
            from,
            until,
            reason: "业主自主准备时间".into(),
        };
        // 90 calendar days from 3-01; the owner took 4-01..4-10 (10 days) to supplement papers.
        let c = clock(
            DayKind::Calendar,
            90,
            Some(d(2019, 3, 1)),
            None,
            vec![owner(d(2019, 4, 1), Some(d(2019, 4, 10)))],
        );
        let r = read_clock(&c, d(2019, 6, 4), cal());
        assert_eq!((r.elapsed, r.excluded, r.remaining, r.breached), (85, 10, 5, false));
        // While a span is open the clock is paused and does not move.
        let c2 = clock(DayKind::Calendar, 90, Some(d(2019, 3, 1)), None, vec![owner(d(2019, 4, 1), None)]);
        let a = read_clock(&c2, d(2019, 4, 20), cal());
        let b = read_clock(&c2, d(2019, 5, 20), cal());
        assert_eq!(a.state, ClockState::Paused);
        assert_eq!((a.elapsed, b.elapsed), (30, 30));
        assert_eq!(a.due_on, None);
        // Overlapping spans count once; a span before the start counts nothing.
        let c3 = clock(
            DayKind::Calendar,
            90,
            Some(d(2019, 3, 1)),
            Some(d(2019, 3, 31)),
            vec![
                owner(d(2019, 2, 1), Some(d(2019, 3, 5))),
                owner(d(2019, 3, 10), Some(d(2019, 3, 15))),
                owner(d(2019, 3, 12), Some(d(2019, 3, 20))),
                owner(d(2019, 3, 21), Some(d(2019, 3, 21))),
            ],
        );
        let r = read_clock(&c3, d(2019, 12, 1), cal());
        // 3-02..3-05 (4) + 3-10..3-21 (12) excluded of 30 days.
        assert_eq!((r.excluded, r.elapsed), (16, 14));
        // Working-day exclusions count working days only (10-01..10-07 are off anyway).
        let c4 = clock(
            DayKind::Working,
            20,
            Some(d(2019, 9, 27)),
            None,
            vec![owner(d(2019, 9, 30), Some(d(2019, 10, 9)))],
        );
        let r = read_clock(&c4, d(2019, 10, 10), cal());
        assert_eq!((r.elapsed, r.excluded), (2, 3));
    }

    fn span(clock: Option<&str>, from: NaiveDate, until: Option<NaiveDate>) -> ProjectSpan {
        ProjectSpan {
            clock_name: clock.map(str::to_string),
            span: ExcludedSpan {
                from,
                until,
                reason: "业主自主准备时间".into(),
            },
        }
    }

    #[test]
    fn a_span_ends_on_or_after_its_start() {
        let as_of = d(2019, 12, 31);
        let e = ProjectSpan::parse(None, d(2019, 5, 10), Some(d(2019, 5, 9)), "补充材料", &[], as_of).unwrap_err();
        assert_eq!(e.code(), "span_ends_before_start");
        assert!(e.to_string().contains("早于开始日期"), "{e}");
        let one_day = ProjectSpan::parse(None, d(2019, 5, 10), Some(d(2019, 5, 10)), "补充材料", &[], as_of).unwrap();
        assert_eq!(one_day.span.until, Some(d(2019, 5, 10)));
        let open = span(None, d(2019, 5, 10), None);
        assert_eq!(open.close(d(2019, 5, 9), as_of).unwrap_err().code(), "span_ends_before_start");
        assert_eq!(open.close(d(2019, 5, 20), as_of).unwrap().span.until, Some(d(2019, 5, 20)));
        let closed = span(None, d(2019, 5, 10), Some(d(2019, 5, 20)));
        assert!(matches!(closed.close(d(2019, 6, 1), as_of), Err(SpanError::AlreadyClosed(_))));
    }

    #[test]
    fn a_span_needs_a_reason_of_bounded_length() {
        let as_of = d(2019, 12, 31);
        for blank in ["", "   ", "\u{3000}"] {
            let e = ProjectSpan::parse(None, d(2019, 5, 10), None, blank, &[], as_of).unwrap_err();
            assert_eq!(e, SpanError::NoReason);
            assert!(e.to_string().contains("原因"));
        }
        let trimmed = ProjectSpan::parse(None, d(2019, 5, 10), None, "\u{3000} 补充材料 ", &[], as_of).unwrap();
        assert_eq!(trimmed.span.reason, "补充材料");
        let long = "补".repeat(SPAN_REASON_MAX_CHARS + 1);
        let e = ProjectSpan::parse(None, d(2019, 5, 10), None, &long, &[], as_of).unwrap_err();
        assert_eq!(e.code(), "span_reason_too_long");
        assert!(ProjectSpan::parse(None, d(2019, 5, 10), None, &long[..SPAN_REASON_MAX_CHARS * 3], &[], as_of).is_ok());
    }

    #[test]
    fn spans_of_the_same_clock_do_not_overlap() {
        let as_of = d(2019, 12, 31);
        let a = "赋码至施工许可60天";
        let existing = vec![
            span(Some(a), d(2019, 4, 1), Some(d(2019, 4, 10))),
            span(Some("其他时限"), d(2019, 6, 1), Some(d(2019, 6, 30))),
        ];
        let new = |clock: Option<&str>, from, until| ProjectSpan::parse(clock, from, until, "补充材料", &existing, as_of);
        // Touching the last day, or inside, overlaps; the day after does not.
        let e = new(Some(a), d(2019, 4, 10), Some(d(2019, 4, 12))).unwrap_err();
        assert_eq!(e.code(), "span_overlaps");
        assert!(e.to_string().contains("2019-04-01至2019-04-10"), "{e}");
        assert!(new(Some(a), d(2019, 3, 1), Some(d(2019, 5, 1))).is_err());
        assert!(new(Some(a), d(2019, 4, 11), Some(d(2019, 4, 12))).is_ok());
        // Another clock's span is no obstacle; a span for every clock meets them all.
        assert!(new(Some(a), d(2019, 6, 10), Some(d(2019, 6, 12))).is_ok());
        assert!(new(None, d(2019, 6, 10), Some(d(2019, 6, 12))).is_err());
        // An open span runs on: nothing may start after it until it is closed.
        let open = vec![span(None, d(2019, 7, 1), None)];
        let e = ProjectSpan::parse(Some(a), d(2019, 9, 1), None, "补充材料", &open, as_of).unwrap_err();
        assert!(e.to_string().contains("至今"), "{e}");
        assert!(ProjectSpan::parse(Some(a), d(2019, 6, 1), Some(d(2019, 6, 30)), "补充材料", &open, as_of).is_ok());
        assert!(ProjectSpan::parse(Some(a), d(2019, 6, 1), None, "补充材料", &open, as_of).is_err());
    }

    #[test]
    fn a_span_starts_and_ends_by_the_as_of_date() {
        let as_of = d(2019, 12, 31);
        let e = ProjectSpan::parse(None, d(2020, 1, 1), None, "补充材料", &[], as_of).unwrap_err();
        assert_eq!(e.code(), "span_after_as_of");
        assert!(e.to_string().contains("开始日期"), "{e}");
        assert!(ProjectSpan::parse(None, as_of, None, "补充材料", &[], as_of).is_ok());
        let e = ProjectSpan::parse(None, d(2019, 12, 1), Some(d(2020, 1, 1)), "补充材料", &[], as_of).unwrap_err();
        assert!(e.to_string().contains("结束日期"), "{e}");
        assert!(span(None, d(2019, 12, 1), None).close(d(2020, 1, 1), as_of).is_err());
    }

    #[test]
    fn a_span_names_the_clocks_it_stops() {
        assert!(span(None, d(2019, 1, 1), None).applies_to("任何时限"));
        let one = span(Some("甲"), d(2019, 1, 1), None);
        assert!(one.applies_to("甲") && !one.applies_to("乙"));
        let blank = ProjectSpan::parse(Some("  "), d(2019, 1, 1), None, "x", &[], d(2019, 2, 1)).unwrap();
        assert_eq!(blank.clock_name, None, "a blank clock name means every clock");
    }

    #[test]
    fn a_stopped_clock_is_read_on_its_final_count() {
        let c = clock(DayKind::Calendar, 90, Some(d(2019, 3, 1)), Some(d(2020, 3, 1)), vec![]);
        let r = read_clock_now(&c, d(2019, 12, 31), cal());
        assert_eq!(r.state, ClockState::Stopped);
        assert_eq!(r.elapsed, 366);
        let running = clock(DayKind::Calendar, 90, Some(d(2019, 3, 1)), None, vec![]);
        assert_eq!(
            read_clock_now(&running, d(2019, 3, 31), cal()),
            read_clock(&running, d(2019, 3, 31), cal())
        );
    }

    proptest! {
        #[test]
        fn a_clock_never_runs_backwards(
            start in 0i64..400, stop in proptest::option::of(0i64..600), span_from in 0i64..600, span_len in 0i64..60,
            open in any::<bool>(), t1 in 0i64..800, dt in 0i64..200, working in any::<bool>(),
        ) {
            let base = d(2019, 1, 1);
            let day = |n: i64| base + chrono::Duration::days(n);
            let kind = if working { DayKind::Working } else { DayKind::Calendar };
            let span = ExcludedSpan { from: day(span_from), until: (!open).then(|| day(span_from + span_len)), reason: String::new() };
            let c = clock(kind, 60, Some(day(start)), stop.map(day), vec![span]);
            let a = read_clock(&c, day(t1), cal());
            let b = read_clock(&c, day(t1 + dt), cal());
            prop_assert!(b.elapsed >= a.elapsed);
            prop_assert!(b.remaining <= a.remaining);
            prop_assert!(a.elapsed >= 0 && a.excluded >= 0);
            prop_assert!(!a.breached || b.breached);
        }
    }
}
