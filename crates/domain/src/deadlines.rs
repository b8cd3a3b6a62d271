//! Reporting deadlines and late-submission tracking: when each weekly and monthly progress
//! report is due, whether it came on time, and each unit's record over a span of periods.
//!
//! A deadline is the grace the rule set's 填报 (missing report) rule gives after a period ends,
//! so the lights and the late list agree. Without such a rule, the defaults of PRACTICE.md §4.3:
//! a weekly report the next working day (Tonglu compiles on Friday and sends on Monday), a
//! monthly report within five working days after the month (Guangxi).

use crate::calendar::WorkCalendar;
use crate::figures::Pct1;
use crate::model::{DayKind, ReportPeriod};
use crate::rules::{Check, RuleSet};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};

/// When a report of one kind is due: `days` calendar or working days after its period ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRule {
    pub days: u32,
    pub day_kind: DayKind,
}

impl DeadlineRule {
    pub fn due(&self, period_end: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        calendar.add_days(period_end, self.days as i64, self.day_kind)
    }

    /// In Chinese, for pages and reports: `期末后5个工作日内`.
    pub fn describe_zh(&self) -> String {
        let unit = match self.day_kind {
            DayKind::Working => "个工作日",
            DayKind::Calendar => "天",
        };
        format!("期末后{}{unit}内", self.days)
    }

    /// In English, for pages: `within 5 working days after the period ends`.
    pub fn describe_en(&self) -> String {
        let unit = match self.day_kind {
            DayKind::Working => "working days",
            DayKind::Calendar => "days",
        };
        format!("within {} {unit} after the period ends", self.days)
    }
}

/// The deadlines of both kinds of progress report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingDeadlines {
    pub weekly: DeadlineRule,
    pub monthly: DeadlineRule,
}

impl Default for ReportingDeadlines {
    fn default() -> Self {
        ReportingDeadlines {
            weekly: DeadlineRule {
                days: 1,
                day_kind: DayKind::Working,
            },
            monthly: DeadlineRule {
                days: 5,
                day_kind: DayKind::Working,
            },
        }
    }
}

impl ReportingDeadlines {
    /// The deadlines the rule set's 填报 rules use (their grace after the period end), so the
    /// lights and the late-submission list never disagree; the defaults for a kind no enabled
    /// rule covers.
    pub fn from_rules(rules: &RuleSet) -> ReportingDeadlines {
        let mut d = ReportingDeadlines::default();
        for rule in rules.rules.iter().filter(|r| r.enabled) {
            if let Check::ReportMissing(m) = &rule.check {
                let rule = DeadlineRule {
                    days: m.grace_days,
                    day_kind: m.grace_day_kind,
                };
                match m.period {
                    ReportPeriod::Week => d.weekly = rule,
                    ReportPeriod::Month => d.monthly = rule,
                }
            }
        }
        d
    }
    pub fn rule(&self, kind: ReportPeriod) -> DeadlineRule {
        match kind {
            ReportPeriod::Week => self.weekly,
            ReportPeriod::Month => self.monthly,
        }
    }
    pub fn due(&self, kind: ReportPeriod, period_end: NaiveDate, calendar: &WorkCalendar) -> NaiveDate {
        self.rule(kind).due(period_end, calendar)
    }
}

/// How one expected report stands on `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Submission {
    OnTime,
    /// Came in after the deadline, by this many calendar days.
    Late {
        days: i64,
    },
    /// Not in, and the deadline has passed.
    Missing {
        overdue_days: i64,
    },
    /// Not in yet, but still within its deadline.
    Pending,
}

pub fn classify(due: NaiveDate, submitted_on: Option<NaiveDate>, as_of: NaiveDate) -> Submission {
    match submitted_on {
        Some(d) if d <= due => Submission::OnTime,
        Some(d) => Submission::Late {
            days: (d - due).num_days(),
        },
        None if as_of > due => Submission::Missing {
            overdue_days: (as_of - due).num_days(),
        },
        None => Submission::Pending,
    }
}

/// A period of one kind: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// The periods of `kind` that end within `[from, to]` (weeks Monday to Sunday, whole months).
pub fn periods_ending_within(kind: ReportPeriod, from: NaiveDate, to: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    match kind {
        ReportPeriod::Week => {
            let mut start = from - chrono::Duration::days(from.weekday().num_days_from_monday() as i64);
            loop {
                let end = start + chrono::Duration::days(6);
                if end > to {
                    break;
                }
                if end >= from {
                    out.push(Period { start, end });
                }
                start += chrono::Duration::days(7);
            }
        }
        ReportPeriod::Month => {
            let mut y = from.year();
            let mut m = from.month();
            loop {
                let Some(start) = NaiveDate::from_ymd_opt(y, m, 1) else { break };
                let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
                let Some(end) = NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt()) else {
                    break;
                };
                if end > to {
                    break;
                }
                if end >= from {
                    out.push(Period { start, end });
                }
                (y, m) = (ny, nm);
            }
        }
    }
    out
}

/// A project that owes reports, and from which day on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporter {
    pub project_id: i64,
    pub unit_id: i64,
    pub required_from: NaiveDate,
}

/// One unit's record over the periods asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitTimeliness {
    pub unit_id: i64,
    pub expected: u32,
    pub on_time: u32,
    pub late: u32,
    pub missing: u32,
    pub pending: u32,
    /// On time over expected reports whose deadline has passed; none when nothing was due.
    pub on_time_rate: Option<Pct1>,
    /// The projects with missing reports (for the reminder list).
    pub missing_projects: Vec<i64>,
}

/// Every expected report of `kind` in `periods`, classified, rolled up per unit (ordered by
/// on-time rate, worst first, then unit id). `submitted` maps (project, period start) to the
/// day the report came in.
pub fn timeliness(
    kind: ReportPeriod,
    periods: &[Period],
    reporters: &[Reporter],
    submitted: &HashMap<(i64, NaiveDate), NaiveDate>,
    deadlines: &ReportingDeadlines,
    calendar: &WorkCalendar,
    as_of: NaiveDate,
) -> Vec<UnitTimeliness> {
    let mut by_unit: BTreeMap<i64, UnitTimeliness> = BTreeMap::new();
    let mut missing_seen: HashSet<(i64, i64)> = HashSet::new();
    for p in periods {
        let due = deadlines.due(kind, p.end, calendar);
        for r in reporters.iter().filter(|r| r.required_from <= p.end) {
            let u = by_unit.entry(r.unit_id).or_insert_with(|| UnitTimeliness {
                unit_id: r.unit_id,
                ..Default::default()
            });
            u.expected += 1;
            match classify(due, submitted.get(&(r.project_id, p.start)).copied(), as_of) {
                Submission::OnTime => u.on_time += 1,
                Submission::Late { .. } => u.late += 1,
                Submission::Missing { .. } => {
                    u.missing += 1;
                    if missing_seen.insert((r.unit_id, r.project_id)) {
                        u.missing_projects.push(r.project_id);
                    }
                }
                Submission::Pending => u.pending += 1,
            }
        }
    }
    let mut out: Vec<UnitTimeliness> = by_unit
        .into_values()
        .map(|mut u| {
            u.on_time_rate = Pct1::ratio(u.on_time as i128, (u.expected - u.pending) as i128);
            u
        })
        .collect();
    out.sort_by_key(|u| (u.on_time_rate.map(|p| p.tenths()).unwrap_or(i64::MAX), u.unit_id));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn monthly_deadline_skips_the_national_day_holiday() {
        // September 2019 ends on Monday the 30th; 1–7 October are holidays, so the fifth
        // working day after is Saturday 12 October (a make-up working day) — not 7 October.
        let cal = WorkCalendar::shipped();
        let due = ReportingDeadlines::default().due(ReportPeriod::Month, d(2019, 9, 30), cal);
        assert_eq!(due, d(2019, 10, 12));
    }

    #[test]
    fn weekly_deadline_is_the_next_working_day() {
        let cal = WorkCalendar::shipped();
        // The week of 23–29 December 2019 is due Monday the 30th.
        assert_eq!(
            ReportingDeadlines::default().due(ReportPeriod::Week, d(2019, 12, 29), cal),
            d(2019, 12, 30)
        );
    }

    #[test]
    fn deadlines_come_from_the_rule_set() {
        let rules = RuleSet::default();
        let defaults = ReportingDeadlines::from_rules(&rules);
        assert_eq!(defaults.monthly.describe_zh(), "期末后5个工作日内");
        assert_eq!(defaults.monthly.describe_en(), "within 5 working days after the period ends");
        let mut rules = rules;
        for r in rules.rules.iter_mut() {
            if let Check::ReportMissing(m) = &mut r.check {
                m.grace_days = 10;
                m.grace_day_kind = DayKind::Calendar;
            }
        }
        let d2 = ReportingDeadlines::from_rules(&rules);
        assert_eq!(
            d2.due(ReportPeriod::Month, d(2019, 11, 30), WorkCalendar::shipped()),
            d(2019, 12, 10)
        );
    }

    #[test]
    fn classification() {
        let due = d(2019, 12, 6);
        assert_eq!(classify(due, Some(d(2019, 12, 6)), d(2020, 1, 1)), Submission::OnTime);
        assert_eq!(classify(due, Some(d(2019, 12, 9)), d(2020, 1, 1)), Submission::Late { days: 3 });
        assert_eq!(classify(due, None, d(2019, 12, 10)), Submission::Missing { overdue_days: 4 });
        assert_eq!(classify(due, None, d(2019, 12, 6)), Submission::Pending);
    }

    #[test]
    fn periods_in_a_span() {
        let weeks = periods_ending_within(ReportPeriod::Week, d(2019, 12, 1), d(2019, 12, 31));
        assert_eq!(weeks.first().unwrap().end, d(2019, 12, 1));
        assert_eq!(weeks.last().unwrap().end, d(2019, 12, 29));
        assert_eq!(weeks.len(), 5);
        let months = periods_ending_within(ReportPeriod::Month, d(2019, 1, 1), d(2019, 12, 31));
        assert_eq!(months.len(), 12);
        assert_eq!(
            months[1],
            Period {
                start: d(2019, 2, 1),
                end: d(2019, 2, 28)
            }
        );
    }

    #[test]
    fn units_ranked_worst_first() {
        let cal = WorkCalendar::shipped();
        let periods = periods_ending_within(ReportPeriod::Month, d(2019, 10, 1), d(2019, 11, 30));
        let reporters = vec![
            Reporter {
                project_id: 1,
                unit_id: 10,
                required_from: d(2019, 1, 1),
            },
            Reporter {
                project_id: 2,
                unit_id: 20,
                required_from: d(2019, 1, 1),
            },
            // Owes nothing for October: required only from November.
            Reporter {
                project_id: 3,
                unit_id: 20,
                required_from: d(2019, 11, 1),
            },
        ];
        let mut submitted = HashMap::new();
        submitted.insert((1, d(2019, 10, 1)), d(2019, 11, 1));
        submitted.insert((1, d(2019, 11, 1)), d(2019, 12, 20));
        submitted.insert((2, d(2019, 10, 1)), d(2019, 11, 5));
        submitted.insert((2, d(2019, 11, 1)), d(2019, 12, 2));
        let t = timeliness(
            ReportPeriod::Month,
            &periods,
            &reporters,
            &submitted,
            &ReportingDeadlines::default(),
            cal,
            d(2019, 12, 31),
        );
        assert_eq!(t.len(), 2);
        // Unit 20: 3 expected, 2 on time, project 3 missing → 66.7 %; unit 10: 1 of 2 → 50.0 %.
        assert_eq!(t[0].unit_id, 10);
        assert_eq!((t[0].expected, t[0].on_time, t[0].late, t[0].missing), (2, 1, 1, 0));
        assert_eq!(t[0].on_time_rate, Some(Pct1::from_tenths(500)));
        assert_eq!((t[1].expected, t[1].on_time, t[1].missing), (3, 2, 1));
        assert_eq!(t[1].missing_projects, vec![3]);
        assert_eq!(t[1].on_time_rate, Some(Pct1::from_tenths(667)));
    }
}
