//! Evaluating a [`RuleSet`] over plain facts: per node and per project, the light and every
//! reason as a Chinese sentence (`红灯：施工许可逾期23天`).
//!
//! Facts are what the store knows today. A recorded event counts as happened whatever its
//! date (a node closed is closed, a project with a start date has started), so with the same
//! facts a later as-of date never gives a better light: only time passes, lights only worsen.
//! The one exception is chosen by the administrator: a late-closed clock red "for N days after
//! closing" (`LateClosed::ForDays`) turns green when the days are over. For a past period,
//! `ProjectFacts::as_known_on` first undoes what was recorded after it.

use super::*;
use crate::calendar::WorkCalendar;
use crate::clocks::{ClockFacts, ClockReading, ClockState, day_unit_en, day_unit_zh, read_clock_now};
use crate::figures::{Pct1, investment_completion};
use crate::lights::{Light, LitReason};
use crate::model::NodeStatus;
use crate::money::Money;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use std::fmt::Write;

/// One node of a project, as far as lights need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFacts {
    pub id: i64,
    pub name: String,
    /// The current planned date (not the baseline).
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub status: NodeStatus,
}

impl From<&crate::model::Node> for NodeFacts {
    fn from(n: &crate::model::Node) -> Self {
        NodeFacts {
            id: n.id,
            name: n.name.clone(),
            planned_on: n.planned_on,
            actual_on: n.actual_on,
            status: n.status,
        }
    }
}

/// Year-to-date investment of one project (万元 figures of the monthly report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestmentFacts {
    pub year: i32,
    /// The last closed month the figures run to (1–12): 1–M月. 序时进度 is M ÷ 12.
    pub through_month: u32,
    /// Investment completed in months 1..=M of `year` (months without a report count 0).
    pub completed_ytd: Money,
    /// The year's planned investment (年度计划投资).
    pub annual_plan: Money,
}

/// A project's progress reporting (进展填报).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportingFacts {
    /// From when the project must report (its entry into the list); the period containing
    /// this date is the first one due.
    pub required_from: NaiveDate,
    /// The end of the latest week covered by a submitted weekly report.
    pub last_weekly_through: Option<NaiveDate>,
    /// The end of the latest month covered by a submitted monthly report.
    pub last_monthly_through: Option<NaiveDate>,
}

/// Everything the rules look at for one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub id: i64,
    /// The responsible unit, for the roll-up.
    pub unit_id: i64,
    /// The responsible leader (包干领导), for the roll-up.
    pub leader_id: Option<i64>,
    pub stage: Stage,
    pub planned_start_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    /// Date it entered the statistics library (入库/入统).
    pub in_statistics_on: Option<NaiveDate>,
    pub investment: Option<InvestmentFacts>,
    pub reporting: Option<ReportingFacts>,
    pub nodes: Vec<NodeFacts>,
    /// The approval clocks that apply to it (see `ApprovalClock::facts`).
    pub clocks: Vec<ClockFacts>,
}

impl ProjectFacts {
    /// The facts as they stood at the end of `on`, for lights of a past period: what was
    /// recorded after it is undone (a node done later is open, a start or a clock's stop
    /// after it has not happened, a report covering a later period not yet sent). The stage
    /// is rewound only across the start: a project that started after `on` was 前期.
    pub fn as_known_on(&self, on: NaiveDate) -> ProjectFacts {
        let by = |d: Option<NaiveDate>| d.filter(|d| *d <= on);
        let mut p = self.clone();
        for n in &mut p.nodes {
            if n.status != NodeStatus::Open && n.actual_on.is_none_or(|a| a > on) {
                n.status = NodeStatus::Open;
                n.actual_on = None;
            }
        }
        if self.started_on.is_some_and(|s| s > on) {
            p.started_on = None;
            if p.stage.has_landed() {
                p.stage = Stage::Preparation;
            }
        }
        p.in_statistics_on = by(self.in_statistics_on);
        if let Some(r) = &mut p.reporting {
            r.last_weekly_through = r.last_weekly_through.map(|l| l.min(on));
            r.last_monthly_through = r.last_monthly_through.map(|l| l.min(on));
        }
        if p.reporting.as_ref().is_some_and(|r| r.required_from > on) {
            p.reporting = None;
        }
        for c in &mut p.clocks {
            c.started_on = by(c.started_on);
            c.stopped_on = by(c.stopped_on);
            c.excluded.retain(|s| s.from <= on);
            for s in &mut c.excluded {
                s.until = by(s.until);
            }
        }
        p
    }
}

/// The date lights are computed for, and the calendar to count working days with.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub as_of: NaiveDate,
    pub calendar: &'a WorkCalendar,
}

impl Context<'_> {
    /// Said once per run when the as-of date lies outside the holiday data (working days are
    /// then counted with weekends only), e.g. `2027年无节假日安排数据（现有2018—2026年），按周末双休计算工作日`.
    pub fn calendar_note(&self) -> Option<String> {
        self.calendar.coverage_note(self.as_of, self.as_of)
    }
}

/// What a reason is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Node,
    Start,
    Investment,
    Report,
    Statistics,
    ApprovalClock,
}

impl Dimension {
    pub fn label_zh(self) -> &'static str {
        match self {
            Dimension::Node => "节点",
            Dimension::Start => "开工",
            Dimension::Investment => "投资进度",
            Dimension::Report => "进展填报",
            Dimension::Statistics => "入库",
            Dimension::ApprovalClock => "审批时限",
        }
    }
}

/// One reason for a light: `红灯：施工许可逾期23天`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub light: Light,
    pub dimension: Dimension,
    /// The whole sentence, colour first.
    pub sentence: String,
    /// The same in English (`Red: 施工许可 overdue by 23 days`); names stay as recorded.
    pub en: String,
}

impl Reason {
    fn new(light: Light, dimension: Dimension, detail: &str, en: &str) -> Reason {
        let label = light.label_zh();
        let mut sentence = String::with_capacity(label.len() + 3 + detail.len());
        sentence.push_str(label);
        sentence.push('：');
        sentence.push_str(detail);
        Reason {
            light,
            dimension,
            sentence,
            en: format!("{}: {en}", light_en(light)),
        }
    }

    /// The sentence without its colour: `施工许可逾期23天`.
    pub fn detail(&self) -> &str {
        &self.sentence[self.light.label_zh().len() + '：'.len_utf8()..]
    }

    /// The English sentence without its colour: `施工许可 overdue by 23 days`.
    pub fn detail_en(&self) -> &str {
        let colour = light_en(self.light);
        self.en.strip_prefix(colour).and_then(|s| s.strip_prefix(": ")).unwrap_or(&self.en)
    }

    /// In the older shape (`lights::LitReason`), for code that stores one light and reason.
    pub fn to_lit_reason(&self) -> LitReason {
        LitReason {
            light: self.light,
            reason: self.detail().to_string(),
        }
    }
}

/// A node's light with its reasons, worst first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeVerdict {
    pub node_id: i64,
    pub light: Light,
    pub reasons: Vec<Reason>,
}

/// A project's light: the worst of its dimensions and its nodes. `light` is `None` for a
/// terminated project (终止: not watched). `reasons` hold every dimension's reason and the
/// yellow and red reasons of its nodes, worst first; the first one is the headline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectVerdict {
    pub project_id: i64,
    pub light: Option<Light>,
    pub reasons: Vec<Reason>,
    pub nodes: Vec<NodeVerdict>,
    /// Nodes per colour.
    pub node_counts: LightCounts,
}

impl ProjectVerdict {
    /// The reason that explains the light.
    pub fn headline(&self) -> Option<&Reason> {
        self.reasons.first()
    }
}

fn light_en(l: Light) -> &'static str {
    match l {
        Light::Green => "Green",
        Light::Yellow => "Yellow",
        Light::Red => "Red",
    }
}

/// `2019年12月8日`.
pub fn zh_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn worst_of(reasons: &[Reason]) -> Option<Light> {
    reasons.iter().map(|r| r.light).max()
}

/// Sorts reasons worst first, keeping the order within a colour.
fn sort_reasons(reasons: &mut [Reason]) {
    reasons.sort_by_key(|r| std::cmp::Reverse(r.light));
}

fn node_is_done(node: &NodeFacts, rule: &NodeDue) -> bool {
    match node.status {
        NodeStatus::Closed => true,
        NodeStatus::Reported => rule.reported_counts_as_done,
        NodeStatus::Open => false,
    }
}

/// One node-due rule on one node.
fn node_due(rule: &NodeDue, node: &NodeFacts, ctx: &Context, buf: &mut String) -> Reason {
    buf.clear();
    let name = node.name.as_str();
    if node_is_done(node, rule) {
        let (_, en) = match (node.status, node.actual_on) {
            (NodeStatus::Closed, Some(a)) => (
                write!(buf, "{name}已于{}完成并销号", zh_date(a)),
                format!("{name} done on {a} and closed out"),
            ),
            (NodeStatus::Closed, None) => (write!(buf, "{name}已销号"), format!("{name} closed out")),
            _ => (
                write!(buf, "{name}已报完成，待核验"),
                format!("{name} reported done, awaiting verification"),
            ),
        };
        return Reason::new(Light::Green, Dimension::Node, buf, &en);
    }
    let kind = rule.day_kind;
    let unit = day_unit_zh(kind);
    let unit_en = day_unit_en(kind);
    let cal = ctx.calendar;
    let as_of = ctx.as_of;
    let due = match kind {
        DayKind::Calendar => node.planned_on,
        DayKind::Working => cal.next_working_day_from(node.planned_on),
    };
    let (light, mut en) = if as_of > due {
        let late = cal.days_between(due, as_of, kind);
        if late == 0 {
            // Working days: the due day has passed but no working day since (a weekend).
            let _ = write!(buf, "{name}已于{}到期", zh_date(due));
            (Light::Yellow, format!("{name} was due on {due}"))
        } else {
            let _ = write!(buf, "{name}逾期{late}{unit}");
            let en = format!("{name} overdue by {late} {unit_en}");
            if late > rule.red_after_days_overdue as i64 {
                (Light::Red, en)
            } else {
                (Light::Yellow, en)
            }
        }
    } else if as_of == due {
        let _ = write!(buf, "{name}今日到期");
        (Light::Yellow, format!("{name} due today"))
    } else {
        let ahead = cal.days_between(as_of, due, kind);
        if ahead <= rule.due_soon_days as i64 {
            let _ = write!(buf, "{name}{ahead}{unit}内到期");
            (Light::Yellow, format!("{name} due within {ahead} {unit_en}"))
        } else {
            // The due date, not a count of days: a green node's reason then reads the same
            // from one day to the next, so the daily run rewrites only the nodes whose light
            // or count moved (a province's 400,000 green nodes would otherwise all change).
            let _ = write!(buf, "{name}按计划推进（{}到期）", zh_date(due));
            (Light::Green, format!("{name} on schedule (due {due})"))
        }
    };
    if node.status == NodeStatus::Reported {
        buf.push_str("（已报完成，待核验）");
        en.push_str(" (reported done, awaiting verification)");
    }
    Reason::new(light, Dimension::Node, buf, &en)
}

/// The light of one node under every enabled node rule that watches it. A node no rule
/// watches is green, and says so.
pub fn evaluate_node(rules: &RuleSet, stage: Stage, node: &NodeFacts, ctx: &Context) -> NodeVerdict {
    let mut buf = String::with_capacity(48);
    let mut reasons = Vec::with_capacity(1);
    for rule in rules.enabled().filter(|r| r.applies_to(stage)) {
        if let Check::NodeDue(nd) = &rule.check
            && (nd.nodes.is_empty() || nd.nodes.iter().any(|n| n == &node.name))
        {
            reasons.push(node_due(nd, node, ctx, &mut buf));
        }
    }
    if reasons.is_empty() {
        reasons.push(Reason::new(
            Light::Green,
            Dimension::Node,
            &format!("{}不在亮灯范围内", node.name),
            &format!("{} is not watched by any rule", node.name),
        ));
    }
    sort_reasons(&mut reasons);
    NodeVerdict {
        node_id: node.id,
        light: worst_of(&reasons).unwrap_or(Light::Green),
        reasons,
    }
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

fn start_delay(rule: &StartDelay, p: &ProjectFacts, ctx: &Context) -> Option<Reason> {
    let planned = p.planned_start_on?;
    if p.stage.has_landed() || p.started_on.is_some() {
        return None;
    }
    let months = months_between(planned, ctx.as_of);
    let (y, m) = (planned.year(), planned.month());
    Some(if months > rule.red_after_months {
        Reason::new(
            Light::Red,
            Dimension::Start,
            &format!("计划{y}年{m}月开工，已滞后{months}个月"),
            &format!("planned to start in {y}-{m:02}, {months} months late"),
        )
    } else if months > rule.yellow_after_months {
        Reason::new(
            Light::Yellow,
            Dimension::Start,
            &format!("计划{y}年{m}月开工，尚未开工"),
            &format!("planned to start in {y}-{m:02}, not started yet"),
        )
    } else {
        Reason::new(
            Light::Green,
            Dimension::Start,
            &format!("计划{y}年{m}月开工"),
            &format!("planned to start in {y}-{m:02}"),
        )
    })
}

fn investment_pace(rule: &InvestmentPace, p: &ProjectFacts) -> Option<Reason> {
    let inv = p.investment.as_ref()?;
    let plan = inv.annual_plan;
    if plan.yuan() <= 0 || plan < Money::from_wan(rule.min_annual_plan_wan) {
        return None;
    }
    let month = inv.through_month.clamp(1, 12);
    let ytd = inv.completed_ytd;
    let d = Dimension::Investment;
    match &rule.form {
        PaceForm::PointsBelow {
            yellow_from_points,
            red_above_points,
        } => {
            let c = investment_completion(ytd, plan, month);
            let rate = c.rate_pct?;
            let tp = c.time_progress_pct;
            let below = Pct1::from_tenths(tp.tenths() - rate.tenths());
            let light = if below > *red_above_points {
                Light::Red
            } else if below >= *yellow_from_points {
                Light::Yellow
            } else {
                Light::Green
            };
            let (text, en) = if below.tenths() > 0 {
                (
                    format!("投资完成率低于序时进度{below}个百分点（1-{month}月完成年度计划的{rate}%，序时进度{tp}%）"),
                    format!(
                        "investment {below} points behind time progress ({rate}% of the annual plan in months 1-{month}, time progress {tp}%)"
                    ),
                )
            } else {
                (
                    format!("投资完成率达到序时进度（1-{month}月完成年度计划的{rate}%，序时进度{tp}%）"),
                    format!(
                        "investment keeps pace with time progress ({rate}% of the annual plan in months 1-{month}, time progress {tp}%)"
                    ),
                )
            };
            Some(Reason::new(light, d, &text, &en))
        }
        PaceForm::ShortfallOfTarget {
            yellow_above_pct,
            red_above_pct,
        } => {
            // 序时 amount = plan × M ÷ 12, compared exactly as plan × M against ytd × 12.
            let target12 = plan.yuan() as i128 * month as i128;
            let got12 = ytd.yuan() as i128 * 12;
            let target = Money::from_yuan(((target12 + 6) / 12) as i64);
            if got12 >= target12 {
                return Some(Reason::new(
                    Light::Green,
                    d,
                    &format!("1-{month}月完成投资{}，达到序时目标{}", ytd.display_wan(), target.display_wan()),
                    &format!(
                        "{} invested in months 1-{month}, meeting the time target of {}",
                        ytd.display_wan(),
                        target.display_wan()
                    ),
                ));
            }
            let short = Pct1::ratio(target12 - got12, target12)?;
            let light = if short > *red_above_pct {
                Light::Red
            } else if short > *yellow_above_pct {
                Light::Yellow
            } else {
                Light::Green
            };
            Some(Reason::new(
                light,
                d,
                &format!(
                    "1-{month}月完成投资低于序时目标{short}%（完成{}，序时目标{}）",
                    ytd.display_wan(),
                    target.display_wan()
                ),
                &format!(
                    "investment in months 1-{month} {short}% short of the time target ({} of {})",
                    ytd.display_wan(),
                    target.display_wan()
                ),
            ))
        }
        PaceForm::ShareOfPlan { checkpoints } => {
            let cp = checkpoints.iter().rev().find(|c| c.month <= month)?;
            let share = Pct1::ratio(ytd.yuan() as i128, plan.yuan() as i128)?;
            let (light, text, en) = if share >= cp.green_from_pct {
                (
                    Light::Green,
                    format!("达到{}%", cp.green_from_pct),
                    format!("at least {}%", cp.green_from_pct),
                )
            } else if share < cp.red_below_pct {
                (
                    Light::Red,
                    format!("低于{}%", cp.red_below_pct),
                    format!("below {}%", cp.red_below_pct),
                )
            } else {
                (
                    Light::Yellow,
                    format!("未达到{}%", cp.green_from_pct),
                    format!("short of {}%", cp.green_from_pct),
                )
            };
            Some(Reason::new(
                light,
                d,
                &format!("1-{month}月完成年度计划投资的{share}%，{text}（{}月底考核线）", cp.month),
                &format!(
                    "{share}% of the annual plan invested in months 1-{month}, {en} (the line at the end of month {})",
                    cp.month
                ),
            ))
        }
    }
}

/// Reporting periods, numbered: months as `year × 12 + month − 1`, weeks (Monday to Sunday)
/// counted from 0001-01-01 (a Monday).
fn period_index(period: ReportPeriod, d: NaiveDate) -> i64 {
    match period {
        ReportPeriod::Month => d.year() as i64 * 12 + d.month0() as i64,
        ReportPeriod::Week => (d.num_days_from_ce() as i64 - 1).div_euclid(7),
    }
}

fn period_end(period: ReportPeriod, k: i64) -> NaiveDate {
    match period {
        ReportPeriod::Month => {
            let next = k + 1;
            NaiveDate::from_ymd_opt(next.div_euclid(12) as i32, next.rem_euclid(12) as u32 + 1, 1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(NaiveDate::MAX)
        }
        ReportPeriod::Week => NaiveDate::from_num_days_from_ce_opt((k * 7 + 7) as i32).unwrap_or(NaiveDate::MAX),
    }
}

fn period_label(period: ReportPeriod, k: i64) -> String {
    let end = period_end(period, k);
    match period {
        ReportPeriod::Month => format!("{}年{}月", end.year(), end.month()),
        ReportPeriod::Week => {
            let start = end - chrono::Duration::days(6);
            format!("{}年{}月{}日当周", start.year(), start.month(), start.day())
        }
    }
}

/// Periods since the last report whose deadline has passed by `as_of`, and the first of them.
pub fn missed_reports(rule: &ReportMissing, r: &ReportingFacts, cal: &WorkCalendar, as_of: NaiveDate) -> (i64, i64) {
    let period = rule.period;
    let last = match period {
        ReportPeriod::Week => r.last_weekly_through,
        ReportPeriod::Month => r.last_monthly_through,
    };
    let first_required = period_index(period, r.required_from);
    let first = last.map_or(first_required, |l| (period_index(period, l) + 1).max(first_required));
    // The latest period whose deadline (end + grace) is before as_of.
    let mut k = period_index(period, as_of);
    while k >= first && cal.add_days(period_end(period, k), rule.grace_days as i64, rule.grace_day_kind) >= as_of {
        k -= 1;
    }
    ((k - first + 1).max(0), first)
}

fn report_missing(rule: &ReportMissing, p: &ProjectFacts, ctx: &Context) -> Option<Reason> {
    let r = p.reporting.as_ref()?;
    let (missed, first) = missed_reports(rule, r, ctx.calendar, ctx.as_of);
    let what = rule.period.label_zh();
    let last = match rule.period {
        ReportPeriod::Week => r.last_weekly_through,
        ReportPeriod::Month => r.last_monthly_through,
    };
    let light = if missed >= rule.red_from_missed as i64 {
        Light::Red
    } else if missed >= rule.yellow_from_missed as i64 {
        Light::Yellow
    } else {
        Light::Green
    };
    let what_en = rule.period.label_en().to_lowercase();
    let en = if missed == 0 {
        match last {
            Some(l) => format!("{what_en} reports on time (reported up to {l})"),
            None => format!("no {what_en} report due yet"),
        }
    } else {
        format!(
            "{missed} {what_en} reports in a row missed since {} ({})",
            period_end(rule.period, first),
            match last {
                Some(l) => format!("reported up to {l}"),
                None => "never reported".to_string(),
            }
        )
    };
    let text = if missed == 0 {
        match last {
            Some(l) => format!("{what}按期报送（已报至{}）", zh_date(l)),
            None => format!("{what}尚未到报送期限"),
        }
    } else {
        format!(
            "自{}起连续{missed}期未按期报送{what}（{}）",
            period_label(rule.period, first),
            match last {
                Some(l) => format!("已报至{}", zh_date(l)),
                None => "从未报送".to_string(),
            }
        )
    };
    Some(Reason::new(light, Dimension::Report, &text, &en))
}

fn statistics_entry(rule: &StatisticsEntry, p: &ProjectFacts, ctx: &Context) -> Option<Reason> {
    let started = p.started_on?;
    let d = Dimension::Statistics;
    if let Some(on) = p.in_statistics_on {
        return Some(Reason::new(
            Light::Green,
            d,
            &format!("已于{}入库", zh_date(on)),
            &format!("in the statistics library since {on}"),
        ));
    }
    let after = |m: u32| started.checked_add_months(Months::new(m)).unwrap_or(NaiveDate::MAX);
    let as_of = ctx.as_of;
    let s = zh_date(started);
    let late = |m: u32| format!("started more than {m} months ago ({started}) and not in the statistics library");
    Some(if as_of > after(rule.red_after_months) {
        Reason::new(
            Light::Red,
            d,
            &format!("开工已超过{}个月仍未入库（{s}开工）", rule.red_after_months),
            &late(rule.red_after_months),
        )
    } else if as_of > after(rule.yellow_after_months) {
        Reason::new(
            Light::Yellow,
            d,
            &format!("开工已超过{}个月仍未入库（{s}开工）", rule.yellow_after_months),
            &late(rule.yellow_after_months),
        )
    } else {
        Reason::new(
            Light::Green,
            d,
            &format!("{s}开工，尚未入库"),
            &format!("started on {started}, not yet in the statistics library"),
        )
    })
}

impl ApprovalClockCheck {
    /// The light of a clock's reading: red once over its limit, yellow while running (or
    /// paused) with at most the threshold left, green otherwise; none before it starts.
    pub fn light(&self, r: &ClockReading) -> Option<Light> {
        Some(match r.state {
            ClockState::NotStarted => return None,
            _ if r.breached => Light::Red,
            ClockState::Stopped => Light::Green,
            ClockState::Running | ClockState::Paused if r.remaining <= self.yellow_when_remaining_at_most as i64 => Light::Yellow,
            ClockState::Running | ClockState::Paused => Light::Green,
        })
    }

    /// The light of one clock of a project as the project's light counts it: a clock that
    /// closed late is green once `late_closed` makes it history.
    pub fn clock_light(&self, r: &ClockReading, stopped_on: Option<NaiveDate>, started: bool, as_of: NaiveDate) -> Option<Light> {
        let light = self.light(r)?;
        Some(match stopped_on {
            Some(s) if r.state == ClockState::Stopped && !self.late_closed.still_red(s, started, as_of) => Light::Green,
            _ => light,
        })
    }
}

impl LateClosed {
    /// Is a clock that closed late on `stopped_on` still a risk on `as_of`, for a project that
    /// has (`started`) or has not started?
    pub fn still_red(self, stopped_on: NaiveDate, started: bool, as_of: NaiveDate) -> bool {
        match self {
            LateClosed::UntilStart => !started,
            LateClosed::ForDays { days } => as_of <= stopped_on + chrono::Duration::days(days as i64),
            LateClosed::Always => true,
        }
    }

    /// Why a late-closed clock is no longer lit: `项目已开工`.
    fn history_zh(self, days: u32) -> String {
        match self {
            LateClosed::ForDays { .. } => format!("办结已超过{days}天"),
            _ => "项目已开工".to_string(),
        }
    }

    fn history_en(self, days: u32) -> String {
        match self {
            LateClosed::ForDays { .. } => format!("closed more than {days} days ago"),
            _ => "the project has started".to_string(),
        }
    }
}

/// Has the project started (开工), as the late-closed option reads it?
pub fn has_started(p: &ProjectFacts) -> bool {
    p.started_on.is_some() || p.stage.has_landed()
}

/// A clock that closed over its limit, as history: its overrun in its own days
/// (`超时3个工作日办结`), `None` for any other clock. The mark stays whatever the rule set.
pub fn late_closed_overrun(c: &ClockFacts, ctx: &Context) -> Option<i64> {
    let start = c.started_on.filter(|s| *s <= ctx.as_of)?;
    c.stopped_on.filter(|s| *s >= start)?;
    let r = read_clock_now(c, ctx.as_of, ctx.calendar);
    (r.state == ClockState::Stopped && r.breached).then(|| r.overrun())
}

fn approval_clock(rule: &ApprovalClockCheck, c: &ClockFacts, started: bool, ctx: &Context) -> Option<Reason> {
    let start = c.started_on?;
    if start > ctx.as_of {
        return None;
    }
    // A clock whose stop node is done is judged on its final count (facts are today's).
    let r = read_clock_now(c, ctx.as_of, ctx.calendar);
    let unit = day_unit_zh(c.day_kind);
    let unit_en = day_unit_en(c.day_kind);
    let (name, limit, used) = (&c.name, c.limit_days, r.elapsed);
    let stopped = r.state == ClockState::Stopped;
    let d = Dimension::ApprovalClock;
    Some(if r.breached {
        let over = r.overrun();
        if stopped {
            let zh = format!("{name}超时{over}{unit}办结（时限{limit}{unit}，用时{used}{unit}");
            let en = format!("{name} closed {over} {unit_en} late (limit {limit} {unit_en}, took {used}");
            let late = rule.late_closed;
            let lit = c.stopped_on.is_none_or(|s| late.still_red(s, started, ctx.as_of));
            if lit {
                Reason::new(Light::Red, d, &format!("{zh}）"), &format!("{en})"))
            } else {
                let days = match late {
                    LateClosed::ForDays { days } => days,
                    _ => 0,
                };
                Reason::new(
                    Light::Green,
                    d,
                    &format!("{zh}；{}，记为历史）", late.history_zh(days)),
                    &format!("{en}; {}: kept as history)", late.history_en(days)),
                )
            }
        } else {
            Reason::new(
                Light::Red,
                d,
                &format!("{name}已超时{over}{unit}（时限{limit}{unit}，已用{used}{unit}）"),
                &format!("{name} {over} {unit_en} over its limit (limit {limit} {unit_en}, used {used})"),
            )
        }
    } else if stopped {
        Reason::new(
            Light::Green,
            d,
            &format!("{name}用时{used}{unit}，在时限{limit}{unit}内办结"),
            &format!("{name} closed within its limit ({used} of {limit} {unit_en})"),
        )
    } else {
        let left = r.remaining;
        let paused = if r.state == ClockState::Paused { "，暂停计时中" } else { "" };
        let paused_en = if r.state == ClockState::Paused { ", paused" } else { "" };
        let light = rule.light(&r).unwrap_or(Light::Green);
        Reason::new(
            light,
            d,
            &format!("{name}剩余{left}{unit}（时限{limit}{unit}，已用{used}{unit}{paused}）"),
            &format!("{name}: {left} {unit_en} left (limit {limit} {unit_en}, used {used}{paused_en})"),
        )
    })
}

/// A project's light, its reasons and its nodes' lights.
pub fn evaluate_project(rules: &RuleSet, p: &ProjectFacts, ctx: &Context) -> ProjectVerdict {
    if p.stage == Stage::Terminated {
        return ProjectVerdict {
            project_id: p.id,
            light: None,
            reasons: Vec::new(),
            nodes: Vec::new(),
            node_counts: LightCounts::default(),
        };
    }
    let mut reasons = Vec::new();
    for rule in rules.enabled().filter(|r| r.applies_to(p.stage)) {
        match &rule.check {
            Check::NodeDue(_) => {}
            Check::StartDelay(s) => reasons.extend(start_delay(s, p, ctx)),
            Check::InvestmentPace(i) => reasons.extend(investment_pace(i, p)),
            Check::ReportMissing(m) => reasons.extend(report_missing(m, p, ctx)),
            Check::StatisticsEntry(s) => reasons.extend(statistics_entry(s, p, ctx)),
            Check::ApprovalClock(a) => {
                let started = has_started(p);
                reasons.extend(p.clocks.iter().filter_map(|c| approval_clock(a, c, started, ctx)))
            }
        }
    }
    let mut node_counts = LightCounts::default();
    let nodes: Vec<NodeVerdict> = p
        .nodes
        .iter()
        .map(|n| {
            let v = evaluate_node(rules, p.stage, n, ctx);
            node_counts.add(v.light);
            reasons.extend(v.reasons.iter().filter(|r| r.light > Light::Green).cloned());
            v
        })
        .collect();
    if reasons.iter().all(|r| r.light == Light::Green) {
        reasons.insert(0, Reason::new(Light::Green, Dimension::Node, "按计划推进", "on schedule"));
    }
    sort_reasons(&mut reasons);
    ProjectVerdict {
        project_id: p.id,
        light: worst_of(&reasons),
        reasons,
        nodes,
        node_counts,
    }
}

/// Every project's verdict, in order.
pub fn evaluate_all(rules: &RuleSet, projects: &[ProjectFacts], ctx: &Context) -> Vec<ProjectVerdict> {
    projects.iter().map(|p| evaluate_project(rules, p, ctx)).collect()
}

/// The same, split over `threads` threads (the daily job on a multi-core server).
pub fn evaluate_all_parallel(rules: &RuleSet, projects: &[ProjectFacts], ctx: &Context, threads: usize) -> Vec<ProjectVerdict> {
    let threads = threads.max(1);
    if threads == 1 || projects.len() < 1024 {
        return evaluate_all(rules, projects, ctx);
    }
    let chunk = projects.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = projects
            .chunks(chunk)
            .map(|part| s.spawn(move || evaluate_all(rules, part, ctx)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("evaluation does not panic"))
            .collect()
    })
}
