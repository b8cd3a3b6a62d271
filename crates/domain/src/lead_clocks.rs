//! Attraction clocks (招商时限, issue #20 item 5): a lead's response, 研判 and feedback
//! deadlines and its progress reports, each a clock with a state, a light per lead with its
//! reasons, and the funnel of leads through 签约 → 落地 → 开工 → 投产 (→ 达产) by year and team.
//!
//! The deadlines (the numbers; the administrator may change them, `LeadClockLimits`):
//! - 响应 (respond): 1 **working** day from receipt;
//! - 研判 (assess, with a conclusion): 3 **working** days from receipt, 7 for a major lead;
//! - 反馈 (feedback to the source/investor): 7 **working** days from the 研判;
//! - 进展报告 (progress report): every 14 **calendar** days from the last report (from receipt
//!   before the first), while the lead is open (洽谈 or 签约); a due date on a day off moves to
//!   the next working day ("期间届满的最后一日是法定休假日的，以休假日结束的次日为期间届满的日期").
//!
//! 重大线索 (major lead): the lead's agreed or intended investment (`signed_amount`) is at least
//! 1亿元 (the limit is a setting).
//!
//! Days are counted with the calendar's convention (`calendar.rs`): from the start (not counted)
//! to the due date (counted); a clock done on its due date is on time, and it is overdue from
//! the day after. The working-day arithmetic is the calendar's, the same the approval clocks
//! (`clocks.rs`) use; the two mechanisms share nothing else.

use crate::calendar::WorkCalendar;
use crate::error::{RuleError, refuse};
use crate::figures::Pct1;
use crate::labelled::code_enum;
use crate::lights::Light;
use crate::model::{DayKind, LeadStage};
use crate::money::Money;
use crate::stage::Stage;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// The settings keys of the limits, as stored (`lead_clock_settings`).
pub const RESPOND_DAYS: &str = "respond_working_days";
pub const ASSESS_DAYS: &str = "assess_working_days";
pub const ASSESS_MAJOR_DAYS: &str = "assess_major_working_days";
pub const FEEDBACK_DAYS: &str = "feedback_working_days";
pub const PROGRESS_DAYS: &str = "progress_calendar_days";
pub const MAJOR_YUAN: &str = "major_lead_yuan";

/// The longest working-day limit an administrator may set (three months of working days).
pub const MAX_WORKING_DAYS: i64 = 60;
/// The longest progress-report interval, in calendar days.
pub const MAX_PROGRESS_DAYS: i64 = 92;

/// The deadlines of the clocks (defaults: issue #20 item 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LeadClockLimits {
    /// 响应: working days from receipt.
    pub respond_working_days: i64,
    /// 研判: working days from receipt.
    pub assess_working_days: i64,
    /// 研判 of a major lead: working days from receipt.
    pub assess_major_working_days: i64,
    /// 反馈: working days from the 研判.
    pub feedback_working_days: i64,
    /// 进展报告: calendar days from the last report.
    pub progress_calendar_days: i64,
    /// A lead of at least this amount is major (重大线索).
    pub major_from: Money,
}

impl Default for LeadClockLimits {
    fn default() -> Self {
        LeadClockLimits {
            respond_working_days: 1,
            assess_working_days: 3,
            assess_major_working_days: 7,
            feedback_working_days: 7,
            progress_calendar_days: 14,
            major_from: Money::from_wan(10_000),
        }
    }
}

impl LeadClockLimits {
    /// The limits from stored (key, value) pairs; a key missing or not a positive number keeps
    /// its default.
    pub fn from_settings<'a>(pairs: impl IntoIterator<Item = (&'a str, i64)>) -> LeadClockLimits {
        let mut l = LeadClockLimits::default();
        for (k, v) in pairs {
            if v <= 0 {
                continue;
            }
            match k {
                RESPOND_DAYS => l.respond_working_days = v,
                ASSESS_DAYS => l.assess_working_days = v,
                ASSESS_MAJOR_DAYS => l.assess_major_working_days = v,
                FEEDBACK_DAYS => l.feedback_working_days = v,
                PROGRESS_DAYS => l.progress_calendar_days = v,
                MAJOR_YUAN => l.major_from = Money::from_yuan(v),
                _ => {}
            }
        }
        l
    }

    /// The limits an administrator set, checked: each working-day limit 1 to
    /// [`MAX_WORKING_DAYS`], the progress interval 1 to [`MAX_PROGRESS_DAYS`] calendar days
    /// (`lead_clock_limit_invalid`, naming the limit), and the major-lead amount more than 0
    /// (`lead_major_amount_invalid`).
    pub fn checked(self) -> Result<LeadClockLimits, RuleError> {
        for (name, v, max) in [
            ("响应时限", self.respond_working_days, MAX_WORKING_DAYS),
            ("研判时限", self.assess_working_days, MAX_WORKING_DAYS),
            ("重大线索研判时限", self.assess_major_working_days, MAX_WORKING_DAYS),
            ("反馈时限", self.feedback_working_days, MAX_WORKING_DAYS),
            ("进展报告间隔", self.progress_calendar_days, MAX_PROGRESS_DAYS),
        ] {
            if !(1..=max).contains(&v) {
                return refuse("lead_clock_limit_invalid", format!("{name}应为1到{max}天：{v}"));
            }
        }
        if self.major_from.yuan() <= 0 {
            return refuse("lead_major_amount_invalid", "重大线索金额应大于0");
        }
        Ok(self)
    }

    /// The major-lead amount as typed, in 万元 by default (`10000`, `1亿`), exact and more
    /// than 0 (`lead_major_amount_invalid`).
    pub fn parse_major_amount(input: &str) -> Result<Money, RuleError> {
        match Money::parse(input, crate::money::MoneyUnit::Wan) {
            Ok(m) if m.yuan() > 0 => Ok(m),
            _ => refuse(
                "lead_major_amount_invalid",
                format!("重大线索金额应为大于0的金额（万元）：{}", input.trim()),
            ),
        }
    }

    /// (key, value) of each limit, as stored.
    pub fn entries(&self) -> [(&'static str, i64); 6] {
        [
            (RESPOND_DAYS, self.respond_working_days),
            (ASSESS_DAYS, self.assess_working_days),
            (ASSESS_MAJOR_DAYS, self.assess_major_working_days),
            (FEEDBACK_DAYS, self.feedback_working_days),
            (PROGRESS_DAYS, self.progress_calendar_days),
            (MAJOR_YUAN, self.major_from.yuan()),
        ]
    }

    /// 重大线索: agreed or intended investment ≥ the limit (1亿元 by default).
    pub fn is_major(&self, amount: Money) -> bool {
        amount.yuan() >= self.major_from.yuan()
    }
}

code_enum!(
    /// The clocks of a lead.
    LeadClockKind {
        Respond = "respond", "响应", "Response";
        Assess = "assess", "研判", "Assessment";
        Feedback = "feedback", "反馈", "Feedback";
        Progress = "progress", "进展报告", "Progress report";
    }
);

code_enum!(
    /// Where a lead's clock stands on the as-of date.
    LeadClockState {
        OnTime = "on_time", "按时完成", "Done on time";
        Late = "late", "逾期完成", "Done late";
        Running = "running", "计时中", "Running";
        Overdue = "overdue", "已逾期", "Overdue";
        /// Its start has not happened (反馈 before the 研判).
        Waiting = "waiting", "未开始", "Not started";
        /// The lead is closed (落地 or 终止) before the clock was done.
        Stopped = "stopped", "已停止", "Stopped";
    }
);

code_enum!(
    /// The 研判 conclusion.
    Assessment {
        Pursue = "pursue", "重点跟进", "Pursue";
        Watch = "watch", "保持联系", "Keep in touch";
        Decline = "decline", "不予跟进", "Decline";
    }
);

/// A lead as its clocks need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadClockFacts {
    pub stage: LeadStage,
    /// Agreed or intended investment (decides a major lead).
    pub amount: Money,
    /// 收到线索: the received date (the first contact unless recorded apart).
    pub received_on: NaiveDate,
    pub responded_on: Option<NaiveDate>,
    pub assessed_on: Option<NaiveDate>,
    pub feedback_on: Option<NaiveDate>,
    /// The latest progress report.
    pub last_progress_on: Option<NaiveDate>,
}

/// One clock read on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadClock {
    pub kind: LeadClockKind,
    pub state: LeadClockState,
    /// The limit and the kind of its days.
    pub limit: i64,
    pub day_kind: DayKind,
    /// The date it counts from (none while waiting).
    pub starts_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    /// When it was done (for the progress clock, the latest report).
    pub done_on: Option<NaiveDate>,
    /// Days past the due date (done late, or overdue as of the date), in its kind of days; 0 otherwise.
    pub days_late: i64,
}

/// A lead's clocks, its light and the light's reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadClocks {
    pub major: bool,
    pub clocks: Vec<LeadClock>,
    pub light: Light,
    pub reasons_zh: Vec<String>,
    pub reasons_en: Vec<String>,
}

/// Yellow: a running working-day clock due within this many working days.
pub const YELLOW_WORKING_DAYS: i64 = 1;
/// Yellow: a progress report due within this many calendar days.
pub const YELLOW_PROGRESS_DAYS: i64 = 3;

fn read_clock(
    cal: &WorkCalendar,
    as_of: NaiveDate,
    open: bool,
    kind: LeadClockKind,
    (limit, day_kind): (i64, DayKind),
    starts_on: Option<NaiveDate>,
    done_on: Option<NaiveDate>,
) -> LeadClock {
    // Read on a past date, what was done later is not done yet.
    let done_on = done_on.filter(|d| *d <= as_of);
    let Some(start) = starts_on else {
        let state = if open { LeadClockState::Waiting } else { LeadClockState::Stopped };
        return LeadClock {
            kind,
            state,
            limit,
            day_kind,
            starts_on,
            due_on: None,
            done_on,
            days_late: 0,
        };
    };
    let due = match day_kind {
        DayKind::Working => cal.add_working_days(start, limit),
        DayKind::Calendar => cal.next_working_day_from(cal.add_days(start, limit, DayKind::Calendar)),
    };
    let late = |on: NaiveDate| cal.days_between(due, on, day_kind).max(0);
    let (state, days_late) = match (done_on, kind) {
        // The progress clock is never done: it counts from the latest report.
        (_, LeadClockKind::Progress) if !open => (LeadClockState::Stopped, 0),
        (Some(d), k) if k != LeadClockKind::Progress => {
            if d <= due {
                (LeadClockState::OnTime, 0)
            } else {
                (LeadClockState::Late, late(d))
            }
        }
        _ if !open => (LeadClockState::Stopped, 0),
        _ if as_of > due => (LeadClockState::Overdue, late(as_of)),
        _ => (LeadClockState::Running, 0),
    };
    LeadClock {
        kind,
        state,
        limit,
        day_kind,
        starts_on: Some(start),
        due_on: Some(due),
        done_on,
        days_late,
    }
}

/// Overdue clocks and the leads that have any (the weekly brief's line).
pub fn overdue_counts<'a>(leads: impl IntoIterator<Item = &'a LeadClocks>) -> (usize, usize) {
    let (mut clocks, mut leads_n) = (0, 0);
    for l in leads {
        let n = l.clocks.iter().filter(|c| c.state == LeadClockState::Overdue).count();
        clocks += n;
        leads_n += (n > 0) as usize;
    }
    (clocks, leads_n)
}

/// A lead's clocks on `as_of`, with its light: **red** when any clock is overdue; **yellow**
/// when a running working-day clock is due within [`YELLOW_WORKING_DAYS`] working day or the
/// next progress report within [`YELLOW_PROGRESS_DAYS`] days; **green** otherwise (clocks done
/// late count in the history, not in the light). A closed lead (落地, 终止) stops its clocks.
pub fn lead_clocks(f: &LeadClockFacts, limits: &LeadClockLimits, cal: &WorkCalendar, as_of: NaiveDate) -> LeadClocks {
    let open = matches!(f.stage, LeadStage::Talks | LeadStage::Signed);
    let major = limits.is_major(f.amount);
    let assess_days = if major {
        limits.assess_major_working_days
    } else {
        limits.assess_working_days
    };
    let w = DayKind::Working;
    let clocks = vec![
        read_clock(
            cal,
            as_of,
            open,
            LeadClockKind::Respond,
            (limits.respond_working_days, w),
            Some(f.received_on),
            f.responded_on,
        ),
        read_clock(
            cal,
            as_of,
            open,
            LeadClockKind::Assess,
            (assess_days, w),
            Some(f.received_on),
            f.assessed_on,
        ),
        read_clock(
            cal,
            as_of,
            open,
            LeadClockKind::Feedback,
            (limits.feedback_working_days, w),
            f.assessed_on.filter(|d| *d <= as_of),
            f.feedback_on,
        ),
        read_clock(
            cal,
            as_of,
            open,
            LeadClockKind::Progress,
            (limits.progress_calendar_days, DayKind::Calendar),
            Some(
                f.last_progress_on
                    .filter(|d| *d <= as_of)
                    .map_or(f.received_on, |p| p.max(f.received_on)),
            ),
            f.last_progress_on,
        ),
    ];
    let (mut reasons_zh, mut reasons_en) = (Vec::new(), Vec::new());
    let days_en = |k: DayKind, n: i64| match (k, n) {
        (DayKind::Working, 1) => "1 working day".to_string(),
        (DayKind::Working, n) => format!("{n} working days"),
        (DayKind::Calendar, 1) => "1 day".to_string(),
        (DayKind::Calendar, n) => format!("{n} days"),
    };
    let days_zh = |k: DayKind, n: i64| match k {
        DayKind::Working => format!("{n}个工作日"),
        DayKind::Calendar => format!("{n}天"),
    };
    for c in clocks.iter().filter(|c| c.state == LeadClockState::Overdue) {
        let due = c.due_on.expect("an overdue clock has its due date");
        reasons_zh.push(format!(
            "{}逾期{}（应于{due}前）",
            c.kind.label_zh(),
            days_zh(c.day_kind, c.days_late)
        ));
        reasons_en.push(format!(
            "{} overdue by {} (due {due})",
            c.kind.label_en(),
            days_en(c.day_kind, c.days_late)
        ));
    }
    let light = if !reasons_zh.is_empty() {
        Light::Red
    } else {
        for c in clocks.iter().filter(|c| c.state == LeadClockState::Running) {
            let due = c.due_on.expect("a running clock has its due date");
            let soon = match c.day_kind {
                DayKind::Working => cal.working_days_between(as_of, due) <= YELLOW_WORKING_DAYS,
                DayKind::Calendar => (due - as_of).num_days() <= YELLOW_PROGRESS_DAYS,
            };
            if soon {
                reasons_zh.push(format!("{}将于{due}到期", c.kind.label_zh()));
                reasons_en.push(format!("{} due on {due}", c.kind.label_en()));
            }
        }
        if reasons_zh.is_empty() { Light::Green } else { Light::Yellow }
    };
    LeadClocks {
        major,
        clocks,
        light,
        reasons_zh,
        reasons_en,
    }
}

// ------------------------------------------------------------------ recording the milestones

/// A milestone as recorded (its date, and for 研判 the conclusion).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Milestone {
    /// 响应, with the received date when it differs from the first contact.
    Respond {
        on: NaiveDate,
        received_on: Option<NaiveDate>,
    },
    Assess {
        on: NaiveDate,
        conclusion: Assessment,
        note: String,
    },
    Feedback {
        on: NaiveDate,
        note: String,
    },
}

impl Milestone {
    pub fn kind(&self) -> LeadClockKind {
        match self {
            Milestone::Respond { .. } => LeadClockKind::Respond,
            Milestone::Assess { .. } => LeadClockKind::Assess,
            Milestone::Feedback { .. } => LeadClockKind::Feedback,
        }
    }
    pub fn on(&self) -> NaiveDate {
        match self {
            Milestone::Respond { on, .. } | Milestone::Assess { on, .. } | Milestone::Feedback { on, .. } => *on,
        }
    }
}

/// Checks a milestone against the lead: not before the lead was received, not after the data
/// date, and feedback only after the 研判 it reports.
pub fn check_milestone(m: &Milestone, received_on: NaiveDate, assessed_on: Option<NaiveDate>, as_of: NaiveDate) -> Result<(), RuleError> {
    let received = match m {
        Milestone::Respond { received_on: Some(r), .. } => *r,
        _ => received_on,
    };
    check_clock_date(m.on(), received, as_of)?;
    if let Milestone::Feedback { on, .. } = m {
        match assessed_on {
            None => return refuse("lead_feedback_before_assessment", "须先登记研判，再登记反馈"),
            Some(a) if *on < a => {
                return refuse("lead_feedback_before_assessment", format!("反馈日期不能早于研判日期（{a}）"));
            }
            _ => {}
        }
    }
    Ok(())
}

/// A milestone's or a progress report's date: between the lead's receipt and the data date.
pub fn check_clock_date(on: NaiveDate, received_on: NaiveDate, as_of: NaiveDate) -> Result<(), RuleError> {
    if on < received_on {
        return refuse("lead_date_before_receipt", format!("日期{on}早于收到线索的日期（{received_on}）"));
    }
    if on > as_of {
        return refuse("lead_date_in_future", format!("日期{on}晚于数据日（{as_of}）"));
    }
    Ok(())
}

// ------------------------------------------------------------------ the funnel

code_enum!(
    /// The steps of the attraction funnel: the lead's own stages, then its project's.
    FunnelStep {
        Talks = "talks", "洽谈", "In talks";
        Signed = "signed", "签约", "Signed";
        Landed = "landed", "落地", "Landed";
        Started = "started", "开工", "Started";
        Operating = "operating", "投产", "In operation";
        FullOutput = "full_output", "达产", "Full output";
    }
);

/// A lead as the funnel counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelFact {
    pub lead_id: i64,
    pub team_id: i64,
    pub team: String,
    /// Its year: the year it was received (the funnel follows the leads of a year).
    pub received_on: NaiveDate,
    pub stage: LeadStage,
    pub signed_on: Option<NaiveDate>,
    /// The linked project's stage, once landed.
    pub project_stage: Option<Stage>,
    /// Whether the project reached 达产; `None`: not known.
    pub full_output: Option<bool>,
}

/// Whether a lead reached a step: 洽谈 every lead; 签约 a lead signed (or landed, or dropped
/// after signing); 落地 a landed lead; 开工 a landed lead whose project is started, under
/// construction, completed or operating; 投产 one whose project is operating; 达产 as the
/// results say (`None`: not known).
pub fn reached(f: &FunnelFact, step: FunnelStep) -> Option<bool> {
    let landed = f.stage == LeadStage::Landed;
    Some(match step {
        FunnelStep::Talks => true,
        FunnelStep::Signed => matches!(f.stage, LeadStage::Signed | LeadStage::Landed) || f.signed_on.is_some(),
        FunnelStep::Landed => landed,
        FunnelStep::Started => landed && f.project_stage.is_some_and(Stage::has_landed),
        FunnelStep::Operating => landed && f.project_stage == Some(Stage::Operating),
        FunnelStep::FullOutput => return if landed { f.full_output } else { Some(false) },
    })
}

/// One step of a funnel row: how many leads reached it (`None`: not known) and the rate from
/// the step before (转化率 = this step ÷ the previous step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunnelCount {
    pub step: FunnelStep,
    pub count: Option<u32>,
    pub rate: Option<Pct1>,
}

/// A funnel row: one team (or all, `team_id` none) and one year (or all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainRow {
    pub team_id: Option<i64>,
    pub team: String,
    pub steps: Vec<FunnelCount>,
}

fn chain_row(team_id: Option<i64>, team: String, facts: &[&FunnelFact]) -> ChainRow {
    let mut steps: Vec<FunnelCount> = Vec::new();
    for &step in FunnelStep::ALL {
        let count = facts
            .iter()
            .map(|f| reached(f, step))
            .try_fold(0u32, |n, r| r.map(|yes| n + yes as u32));
        let previous = steps.last().and_then(|p| p.count);
        let rate = match (count, previous) {
            (Some(c), Some(p)) => Pct1::ratio(c as i128, p as i128),
            _ => None,
        };
        steps.push(FunnelCount { step, count, rate });
    }
    ChainRow { team_id, team, steps }
}

/// The leads counted by a funnel: those received in `year` (all years when none).
pub fn in_year(f: &FunnelFact, year: Option<i32>) -> bool {
    year.is_none_or(|y| f.received_on.year() == y)
}

/// The funnel of the leads received in `year` (all when none): the whole ("合计") and per team
/// (by team name).
pub fn chain_funnel(facts: &[FunnelFact], year: Option<i32>) -> (ChainRow, Vec<ChainRow>) {
    let of_year: Vec<&FunnelFact> = facts.iter().filter(|f| in_year(f, year)).collect();
    let mut teams: BTreeMap<(&str, i64), Vec<&FunnelFact>> = BTreeMap::new();
    for f in &of_year {
        teams.entry((f.team.as_str(), f.team_id)).or_default().push(f);
    }
    let by_team = teams
        .into_iter()
        .map(|((name, id), fs)| chain_row(Some(id), name.to_string(), &fs))
        .collect();
    (chain_row(None, "合计".into(), &of_year), by_team)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> &'static WorkCalendar {
        WorkCalendar::shipped()
    }

    fn facts(received: NaiveDate, wan: i64) -> LeadClockFacts {
        LeadClockFacts {
            stage: LeadStage::Talks,
            amount: Money::from_wan(wan),
            received_on: received,
            responded_on: None,
            assessed_on: None,
            feedback_on: None,
            last_progress_on: None,
        }
    }

    fn clock(c: &LeadClocks, k: LeadClockKind) -> &LeadClock {
        c.clocks.iter().find(|x| x.kind == k).unwrap()
    }

    #[test]
    fn due_dates_skip_the_national_day_and_count_its_make_up_saturday() {
        // Received Monday 2019-09-30, the day before 国庆 (10-01 … 10-07 off, Saturday 10-12 worked).
        let l = LeadClockLimits::default();
        let c = lead_clocks(&facts(d(2019, 9, 30), 500), &l, cal(), d(2019, 9, 30));
        assert!(!c.major);
        assert_eq!(clock(&c, LeadClockKind::Respond).due_on, Some(d(2019, 10, 8)));
        assert_eq!(clock(&c, LeadClockKind::Assess).due_on, Some(d(2019, 10, 10)));
        // Feedback waits for the 研判.
        assert_eq!(clock(&c, LeadClockKind::Feedback).state, LeadClockState::Waiting);
        // Progress: 14 calendar days → 2019-10-14, a Monday (a working day).
        assert_eq!(clock(&c, LeadClockKind::Progress).due_on, Some(d(2019, 10, 14)));
        // A major lead (≥ 1亿元) gets 7 working days: 10-08 … 10-11, 10-12 (make-up), 10-14, 10-15.
        let m = lead_clocks(&facts(d(2019, 9, 30), 10_000), &l, cal(), d(2019, 9, 30));
        assert!(m.major);
        assert_eq!(clock(&m, LeadClockKind::Assess).due_on, Some(d(2019, 10, 15)));
        assert!(!l.is_major(Money::from_wan(9_999)));
    }

    #[test]
    fn a_progress_due_date_on_a_day_off_moves_to_the_next_working_day() {
        // Last report 2019-09-20 + 14 days = 2019-10-04 (国庆) → 2019-10-08.
        let mut f = facts(d(2019, 9, 1), 100);
        f.last_progress_on = Some(d(2019, 9, 20));
        let c = lead_clocks(&f, &LeadClockLimits::default(), cal(), d(2019, 9, 21));
        assert_eq!(clock(&c, LeadClockKind::Progress).due_on, Some(d(2019, 10, 8)));
    }

    #[test]
    fn states_on_time_late_running_overdue_and_stopped() {
        let l = LeadClockLimits::default();
        let mut f = facts(d(2019, 9, 30), 500);
        f.responded_on = Some(d(2019, 10, 8)); // the due date itself: on time
        f.assessed_on = Some(d(2019, 10, 11)); // due 10-10: one working day late
        f.last_progress_on = Some(d(2019, 10, 8)); // next due 10-22
        let c = lead_clocks(&f, &l, cal(), d(2019, 10, 11));
        assert_eq!(clock(&c, LeadClockKind::Respond).state, LeadClockState::OnTime);
        let a = clock(&c, LeadClockKind::Assess);
        assert_eq!((a.state, a.days_late), (LeadClockState::Late, 1));
        // Feedback from the 研判: 7 working days after 10-11 → 10-12 (Sat, worked), 14 … 18, 21.
        let fb = clock(&c, LeadClockKind::Feedback);
        assert_eq!((fb.state, fb.due_on), (LeadClockState::Running, Some(d(2019, 10, 21))));
        assert_eq!(c.light, Light::Green, "done late is history, not a light: {c:?}");
        // Overdue the day after the due date, counted in working days.
        let c = lead_clocks(&f, &l, cal(), d(2019, 10, 23));
        let fb = clock(&c, LeadClockKind::Feedback);
        assert_eq!((fb.state, fb.days_late), (LeadClockState::Overdue, 2));
        assert_eq!(c.light, Light::Red);
        assert!(c.reasons_zh.iter().any(|r| r == "反馈逾期2个工作日（应于2019-10-21前）"), "{c:?}");
        assert!(
            c.reasons_en
                .iter()
                .any(|r| r == "Feedback overdue by 2 working days (due 2019-10-21)")
        );
        // Read on a past date, what was done later is not done yet.
        let past = lead_clocks(&f, &l, cal(), d(2019, 10, 9));
        assert_eq!(clock(&past, LeadClockKind::Assess).state, LeadClockState::Running);
        assert_eq!(clock(&past, LeadClockKind::Feedback).state, LeadClockState::Waiting);
        assert_eq!(overdue_counts([&c, &past, &c]), (4, 2), "feedback and progress, twice");
        // A dropped lead stops its clocks that are not done.
        f.stage = LeadStage::Dropped;
        let c = lead_clocks(&f, &l, cal(), d(2019, 10, 23));
        assert_eq!(clock(&c, LeadClockKind::Feedback).state, LeadClockState::Stopped);
        assert_eq!(clock(&c, LeadClockKind::Progress).state, LeadClockState::Stopped);
        assert_eq!(clock(&c, LeadClockKind::Assess).state, LeadClockState::Late);
        assert_eq!(c.light, Light::Green);
    }

    #[test]
    fn a_progress_report_overdue_after_fourteen_days_is_red_with_its_reason() {
        let l = LeadClockLimits::default();
        let mut f = facts(d(2019, 5, 6), 500);
        f.responded_on = Some(d(2019, 5, 6));
        f.assessed_on = Some(d(2019, 5, 8));
        f.feedback_on = Some(d(2019, 5, 10));
        f.last_progress_on = Some(d(2019, 6, 3)); // Monday; due 06-17 (Monday)
        let on = |day| lead_clocks(&f, &l, cal(), day);
        assert_eq!(on(d(2019, 6, 13)).light, Light::Green, "4 days before");
        let y = on(d(2019, 6, 14));
        assert_eq!(y.light, Light::Yellow, "3 days before");
        assert_eq!(y.reasons_zh, vec!["进展报告将于2019-06-17到期".to_string()]);
        assert_eq!(on(d(2019, 6, 17)).light, Light::Yellow, "the due date itself");
        let r = on(d(2019, 6, 19));
        assert_eq!(r.light, Light::Red);
        assert_eq!(r.reasons_zh, vec!["进展报告逾期2天（应于2019-06-17前）".to_string()]);
        assert_eq!(r.reasons_en, vec!["Progress report overdue by 2 days (due 2019-06-17)".to_string()]);
    }

    #[test]
    fn yellow_when_a_working_day_clock_is_due_within_one_working_day() {
        // Received Friday 2019-06-14; respond due Monday 06-17 (06-15/16 weekend).
        let c = lead_clocks(&facts(d(2019, 6, 14), 1), &LeadClockLimits::default(), cal(), d(2019, 6, 14));
        assert_eq!(clock(&c, LeadClockKind::Respond).due_on, Some(d(2019, 6, 17)));
        assert_eq!(c.light, Light::Yellow);
        assert_eq!(c.reasons_en, vec!["Response due on 2019-06-17".to_string()]);
    }

    #[test]
    fn milestones_are_dated_between_receipt_and_the_data_date_and_feedback_follows_the_assessment() {
        let (rec, as_of) = (d(2019, 6, 3), d(2019, 6, 30));
        let fb = |on| Milestone::Feedback { on, note: String::new() };
        let code = |r: Result<(), RuleError>| r.unwrap_err().code;
        assert_eq!(
            code(check_milestone(&fb(d(2019, 6, 10)), rec, None, as_of)),
            "lead_feedback_before_assessment"
        );
        assert_eq!(
            code(check_milestone(&fb(d(2019, 6, 4)), rec, Some(d(2019, 6, 5)), as_of)),
            "lead_feedback_before_assessment"
        );
        assert!(check_milestone(&fb(d(2019, 6, 5)), rec, Some(d(2019, 6, 5)), as_of).is_ok());
        let respond = |on, received_on| Milestone::Respond { on, received_on };
        assert_eq!(
            code(check_milestone(&respond(d(2019, 6, 2), None), rec, None, as_of)),
            "lead_date_before_receipt"
        );
        assert!(check_milestone(&respond(d(2019, 6, 2), Some(d(2019, 6, 1))), rec, None, as_of).is_ok());
        assert_eq!(
            code(check_milestone(&respond(d(2019, 7, 1), None), rec, None, as_of)),
            "lead_date_in_future"
        );
    }

    #[test]
    fn limits_from_settings_keep_defaults_for_missing_or_bad_values() {
        let l = LeadClockLimits::from_settings([(ASSESS_DAYS, 5), (FEEDBACK_DAYS, 0), (MAJOR_YUAN, 50_000_000)]);
        assert_eq!(l.assess_working_days, 5);
        assert_eq!(l.feedback_working_days, 7);
        assert!(l.is_major(Money::from_wan(5_000)));
    }

    fn fact(id: i64, team: i64, stage: LeadStage, project: Option<Stage>, year: i32) -> FunnelFact {
        FunnelFact {
            lead_id: id,
            team_id: team,
            team: format!("{team}组"),
            received_on: d(year, 3, 1),
            stage,
            signed_on: None,
            project_stage: project,
            full_output: None,
        }
    }

    #[test]
    fn the_funnel_counts_each_step_reached_with_conversion_rates() {
        use LeadStage::*;
        let mut dropped_after_signing = fact(5, 2, Dropped, None, 2019);
        dropped_after_signing.signed_on = Some(d(2019, 4, 1));
        let facts = vec![
            fact(1, 1, Talks, None, 2019),
            fact(2, 1, Signed, None, 2019),
            fact(3, 1, Landed, Some(Stage::Operating), 2019),
            fact(4, 2, Landed, Some(Stage::Preparation), 2019),
            dropped_after_signing,
            fact(6, 2, Landed, Some(Stage::Construction), 2019),
            fact(7, 1, Landed, Some(Stage::Operating), 2018),
        ];
        let (total, by_team) = chain_funnel(&facts, Some(2019));
        let counts: Vec<Option<u32>> = total.steps.iter().map(|s| s.count).collect();
        // 洽谈 6, 签约 5 (incl. the dropped one), 落地 3, 开工 2 (前期 not yet), 投产 1, 达产 unknown.
        assert_eq!(counts, vec![Some(6), Some(5), Some(3), Some(2), Some(1), None]);
        let rates: Vec<Option<i64>> = total.steps.iter().map(|s| s.rate.map(|p| p.tenths())).collect();
        assert_eq!(rates, vec![None, Some(833), Some(600), Some(667), Some(500), None]);
        assert_eq!(by_team.len(), 2);
        assert_eq!(by_team[0].team, "1组");
        assert_eq!(by_team[0].steps[0].count, Some(3));
        // All years: the 2018 lead counts too.
        let (all, _) = chain_funnel(&facts, None);
        assert_eq!(all.steps[4].count, Some(2));
        // 达产 known for every landed lead: counted; a lead not landed has not reached it.
        let mut known = facts.clone();
        for f in &mut known {
            f.full_output = Some(f.lead_id == 3);
        }
        let (total, _) = chain_funnel(&known, Some(2019));
        assert_eq!(total.steps[5].count, Some(1));
        assert_eq!(total.steps[5].rate, Some(Pct1::from_tenths(1000)));
    }

    #[test]
    fn limits_set_by_an_administrator_are_checked() {
        let ok = LeadClockLimits {
            assess_working_days: 5,
            ..LeadClockLimits::default()
        };
        assert_eq!(ok.checked().unwrap().entries()[1], (ASSESS_DAYS, 5));
        assert_eq!(LeadClockLimits::from_settings(ok.entries()), ok);
        let code = |l: LeadClockLimits| l.checked().unwrap_err().code;
        let d = LeadClockLimits::default();
        assert_eq!(
            code(LeadClockLimits {
                assess_working_days: 0,
                ..d
            }),
            "lead_clock_limit_invalid"
        );
        assert_eq!(
            code(LeadClockLimits {
                respond_working_days: 61,
                ..d
            }),
            "lead_clock_limit_invalid"
        );
        assert_eq!(
            code(LeadClockLimits {
                progress_calendar_days: 93,
                ..d
            }),
            "lead_clock_limit_invalid"
        );
        assert_eq!(
            code(LeadClockLimits {
                major_from: Money::from_yuan(0),
                ..d
            }),
            "lead_major_amount_invalid"
        );
        assert_eq!(LeadClockLimits::parse_major_amount("2亿").unwrap(), Money::from_wan(20_000));
        assert_eq!(
            LeadClockLimits::parse_major_amount("-1").unwrap_err().code,
            "lead_major_amount_invalid"
        );
    }
}
