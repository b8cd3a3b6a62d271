//! 一线办公 (the leaders' field-work log, issue #20 item 6): the district's leaders record the
//! half-days they spend on site — at a project, a street, a works — and what they handled there.
//! The seed article's rule (区级领导包干制): "区主要领导一周至少两次一线办公，责任区领导及分管联系街道
//! (镇)区领导每周至少三分之一时间深入一线办公". Each leader is assigned one of the two rules.
//!
//! **Definitions** (README, "Figures beyond the glossary"):
//! - Time is counted in half-days: 上午 and 下午 are one half-day each, 全天 two. A leader records
//!   a given half-day once (the same date and part twice, or 全天 beside 上午/下午, is refused).
//! - A week runs Monday to Sunday and is named by its Monday.
//! - **Times on site (一线办公次数)**: the distinct dates of the week with an entry — a morning and
//!   an afternoon of one day are one time, as the issue reads the rule ("days on site per week").
//!   A visit on a weekend or holiday counts as a time too.
//! - **Working half-days (应工作半天数)**: twice the week's working days in the `WorkCalendar`
//!   (a holiday week has fewer, a make-up Saturday counts).
//! - **Half-days on site (在一线半天数)**: the distinct half-days on site that fall on working days
//!   (the share rule is a share of working time).
//! - **Met (达标)** under "at least N times a week": times ≥ min(N, working days of the week);
//!   under "at least num/den of the week's time": half-days on site × den ≥ working half-days ×
//!   num (exact integers; 1/3 of a normal week's 10 half-days asks for 4). A week without a
//!   working day is neither met nor missed and is not counted.
//! - **Compliance rate (达标率)**: weeks met ÷ weeks counted, one decimal, per leader and for all
//!   leaders together (leader-weeks); only weeks that have ended (Sunday on or before today) count.

use crate::calendar::WorkCalendar;
use crate::error::{FieldErrors, RuleError};
use crate::figures::Pct1;
use crate::labelled::code_enum;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeSet;

code_enum!(
    /// The part of a day an entry covers.
    DayPart {
        Morning = "am", "上午", "Morning";
        Afternoon = "pm", "下午", "Afternoon";
        FullDay = "full", "全天", "Full day";
    }
);

impl DayPart {
    /// The half-days it covers: 0 the morning, 1 the afternoon.
    pub fn halves(self) -> &'static [u8] {
        match self {
            DayPart::Morning => &[0],
            DayPart::Afternoon => &[1],
            DayPart::FullDay => &[0, 1],
        }
    }
    pub fn half_days(self) -> i64 {
        self.halves().len() as i64
    }
}

/// The rule a leader's field work is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldWorkRule {
    /// 主要领导: at least `per_week` times (days on site) a week.
    Times { per_week: i64 },
    /// 责任区/分管联系领导: at least `num`/`den` of the week's working time.
    Share { num: i64, den: i64 },
}

impl Default for FieldWorkRule {
    /// A leader without an assignment is held to the share rule (most district leaders are
    /// 分管 or 责任区 leaders); the principal leaders are assigned the times rule.
    fn default() -> Self {
        FieldWorkRule::SHARE_DEFAULT
    }
}

impl FieldWorkRule {
    pub const TIMES_DEFAULT: FieldWorkRule = FieldWorkRule::Times { per_week: 2 };
    pub const SHARE_DEFAULT: FieldWorkRule = FieldWorkRule::Share { num: 1, den: 3 };

    pub fn code(self) -> &'static str {
        match self {
            FieldWorkRule::Times { .. } => "times",
            FieldWorkRule::Share { .. } => "share",
        }
    }
    pub fn label_zh(self) -> String {
        match self {
            FieldWorkRule::Times { per_week } => format!("主要领导：每周至少{per_week}次"),
            FieldWorkRule::Share { num, den } => format!("责任/分管领导：每周至少{num}/{den}工作时间"),
        }
    }
    pub fn label_en(self) -> String {
        match self {
            FieldWorkRule::Times { per_week } => format!("Principal leader: at least {per_week} times a week"),
            FieldWorkRule::Share { num, den } => format!("Responsible leader: at least {num}/{den} of working time a week"),
        }
    }

    /// A rule as an administrator sets it: `times` with how many a week (1–7, 2 by default), or
    /// `share` with a fraction `1/3` (0 < num ≤ den ≤ 10; 1/3 by default).
    pub fn parse(kind: &str, per_week: Option<i64>, share: Option<&str>) -> Result<FieldWorkRule, RuleError> {
        match kind.trim() {
            "times" | "主要领导" => {
                let n = per_week.unwrap_or(2);
                if !(1..=7).contains(&n) {
                    return Err(RuleError::new("field_work_rule_times_invalid", "每周次数应为1到7之间的整数"));
                }
                Ok(FieldWorkRule::Times { per_week: n })
            }
            "share" | "责任/分管领导" => {
                let s = crate::error::normalize_input(share.unwrap_or("1/3"));
                let s = if s.is_empty() { "1/3".to_string() } else { s };
                let parsed = s
                    .split_once('/')
                    .and_then(|(a, b)| Some((a.trim().parse::<i64>().ok()?, b.trim().parse::<i64>().ok()?)));
                match parsed {
                    Some((num, den)) if num > 0 && num <= den && den <= 10 => Ok(FieldWorkRule::Share { num, den }),
                    _ => Err(RuleError::new(
                        "field_work_rule_share_invalid",
                        format!("时间占比“{s}”无效：应为分数，如 1/3（分母不超过10）"),
                    )),
                }
            }
            other => Err(RuleError::new(
                "field_work_rule_unknown",
                format!("规则“{other}”无效：应为 times（每周次数）或 share（时间占比）"),
            )),
        }
    }

    /// What a week with `working_days` working days asks for: times (times rule) or half-days on
    /// site (share rule, rounded up: the least whole number of half-days that meets the share).
    pub fn required(self, working_days: i64) -> i64 {
        match self {
            FieldWorkRule::Times { per_week } => per_week.min(working_days),
            FieldWorkRule::Share { num, den } => (2 * working_days * num + den - 1) / den,
        }
    }
}

/// The earliest date an entry may carry.
pub fn earliest_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid")
}
pub const MAX_MATTERS_CHARS: usize = 1000;
pub const MAX_PLACE_CHARS: usize = 100;
pub const MAX_PROBLEMS_CHARS: usize = 1000;

/// A field-work entry as recorded, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInput {
    pub date: NaiveDate,
    pub part: DayPart,
    /// The place, when not (only) a project: 海门街道, 椒江大桥工地…
    pub place: String,
    /// 现场办理事项.
    pub matters: String,
    /// 解决的问题 (optional).
    pub problems_solved: String,
}

impl EntryInput {
    /// Every field checked at once: the date (from 2000, not after `today`), the part of day
    /// (`am`/`pm`/`full` or 上午/下午/全天), the matters handled (required, at most 1000
    /// characters), the place and the problems solved (optional).
    pub fn parse(
        date: &str,
        part: &str,
        place: &str,
        matters: &str,
        problems_solved: &str,
        today: NaiveDate,
    ) -> Result<EntryInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let date = errors.take("date", crate::parse_date(date));
        if let Some(d) = date {
            if d < earliest_date() {
                errors.push("date", "field_work_date_out_of_range", "一线办公日期不能早于2000年1月1日");
            } else if d > today {
                errors.push(
                    "date",
                    "field_work_date_future",
                    format!("一线办公日期{d}晚于今天（{today}）：只能登记已经发生的一线办公"),
                );
            }
        }
        let typed = part.trim();
        let part = DayPart::from_code_or_label(typed);
        if part.is_none() {
            errors.push(
                "part",
                "field_work_part_unknown",
                format!("时段“{typed}”无效：应为 上午、下午 或 全天"),
            );
        }
        let place = errors.text(
            "place",
            place,
            MAX_PLACE_CHARS,
            None,
            ("field_work_place_long", "地点不能超过100个字"),
        );
        let matters = errors.text(
            "matters",
            matters,
            MAX_MATTERS_CHARS,
            Some(("field_work_matters_empty", "请写明现场办理的事项")),
            ("field_work_matters_long", "办理事项不能超过1000个字"),
        );
        let problems_solved = errors.text(
            "problems_solved",
            problems_solved,
            MAX_PROBLEMS_CHARS,
            None,
            ("field_work_problems_long", "解决的问题不能超过1000个字"),
        );
        errors.or(|| EntryInput {
            date: date.unwrap_or_default(),
            part: part.unwrap_or(DayPart::FullDay),
            place,
            matters,
            problems_solved,
        })
    }
}

/// Refuses an entry whose half-days a leader has already recorded (`recorded`: that leader's
/// entries of the same date): the same part twice, or 全天 beside 上午/下午.
pub fn check_not_recorded(recorded: &[DayPart], part: DayPart) -> Result<(), RuleError> {
    if recorded.iter().any(|r| r.halves().iter().any(|h| part.halves().contains(h))) {
        let taken: Vec<&str> = recorded.iter().map(|r| r.label_zh()).collect();
        return Err(RuleError::new(
            "field_work_duplicate",
            format!("该领导当天已登记{}的一线办公，同一时段不能重复登记", taken.join("、")),
        ));
    }
    Ok(())
}

/// One entry as the tally takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub leader_id: i64,
    pub date: NaiveDate,
    pub part: DayPart,
}

/// The Monday of `d`'s week.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Days::new(d.weekday().num_days_from_monday() as u64)
}

/// The working days of the week starting `monday`.
pub fn working_days(cal: &WorkCalendar, monday: NaiveDate) -> i64 {
    (0..7).filter(|i| cal.is_working_day(monday + Days::new(*i))).count() as i64
}

/// One leader's week.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WeekTally {
    pub leader_id: i64,
    /// The week's Monday.
    pub week: NaiveDate,
    pub rule: FieldWorkRule,
    /// Distinct dates on site (一线办公次数).
    pub times: i64,
    /// Distinct half-days on site on working days.
    pub half_days: i64,
    /// Twice the week's working days.
    pub working_half_days: i64,
    /// What the rule asks of this week: times, or half-days on site.
    pub required: i64,
    /// Met or not; `None` for a week without a working day.
    pub met: Option<bool>,
    /// The week has ended (its Sunday is on or before today): only these count in a rate.
    pub complete: bool,
}

/// The week starting `monday` of one leader, from that leader's `visits` (others are ignored).
pub fn tally_week(
    cal: &WorkCalendar,
    leader_id: i64,
    rule: FieldWorkRule,
    monday: NaiveDate,
    visits: &[Visit],
    today: NaiveDate,
) -> WeekTally {
    let sunday = monday + Days::new(6);
    let mine = visits
        .iter()
        .filter(|v| v.leader_id == leader_id && v.date >= monday && v.date <= sunday);
    let mut dates = BTreeSet::new();
    let mut halves = BTreeSet::new();
    for v in mine {
        dates.insert(v.date);
        if cal.is_working_day(v.date) {
            for h in v.part.halves() {
                halves.insert((v.date, *h));
            }
        }
    }
    let days = working_days(cal, monday);
    let working_half_days = 2 * days;
    let required = rule.required(days);
    let (times, half_days) = (dates.len() as i64, halves.len() as i64);
    let met = (days > 0).then(|| match rule {
        FieldWorkRule::Times { .. } => times >= required,
        FieldWorkRule::Share { num, den } => half_days * den >= working_half_days * num,
    });
    WeekTally {
        leader_id,
        week: monday,
        rule,
        times,
        half_days,
        working_half_days,
        required,
        met,
        complete: sunday <= today,
    }
}

/// Every leader's weeks from the week of `from` to the week of `to`, leader by leader in the
/// order given, each week in order.
pub fn weekly_tallies(
    cal: &WorkCalendar,
    leaders: &[(i64, FieldWorkRule)],
    visits: &[Visit],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Vec<WeekTally> {
    let mut out = Vec::new();
    for &(leader_id, rule) in leaders {
        let mut monday = week_start(from);
        while monday <= to {
            out.push(tally_week(cal, leader_id, rule, monday, visits, today));
            monday = monday + Days::new(7);
        }
    }
    out
}

/// Weeks met against weeks counted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Compliance {
    /// The leader, or none for all leaders together.
    pub leader_id: Option<i64>,
    pub weeks_counted: i64,
    pub weeks_met: i64,
    /// weeks met ÷ weeks counted, one decimal.
    pub rate: Option<Pct1>,
}

/// The compliance of the `tallies` taken together (`leader_id` only labels the result):
/// complete weeks with a working day count.
pub fn compliance(tallies: &[WeekTally], leader_id: Option<i64>) -> Compliance {
    let counted: Vec<&WeekTally> = tallies.iter().filter(|t| t.complete && t.met.is_some()).collect();
    let met = counted.iter().filter(|t| t.met == Some(true)).count() as i64;
    Compliance {
        leader_id,
        weeks_counted: counted.len() as i64,
        weeks_met: met,
        rate: Pct1::ratio(met as i128, counted.len() as i128),
    }
}

/// Each leader's compliance, in the order leaders first appear in `tallies`.
pub fn compliance_by_leader(tallies: &[WeekTally]) -> Vec<Compliance> {
    let mut ids: Vec<i64> = Vec::new();
    for t in tallies {
        if !ids.contains(&t.leader_id) {
            ids.push(t.leader_id);
        }
    }
    ids.into_iter()
        .map(|id| {
            let mine: Vec<WeekTally> = tallies.iter().filter(|t| t.leader_id == id).cloned().collect();
            compliance(&mine, Some(id))
        })
        .collect()
}

/// A week across leaders, as the weekly brief says it: "本周N位领导M次，达标K位".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct WeekSummary {
    /// Leaders tallied.
    pub leaders: i64,
    /// Leaders with at least one time on site.
    pub leaders_on_site: i64,
    /// Times on site, all leaders.
    pub times: i64,
    /// Leaders who met their rule.
    pub met: i64,
}

/// The summary of the tallies of one week (tallies of other weeks are ignored).
pub fn week_summary(tallies: &[WeekTally], monday: NaiveDate) -> WeekSummary {
    let mut s = WeekSummary::default();
    for t in tallies.iter().filter(|t| t.week == monday) {
        s.leaders += 1;
        s.leaders_on_site += i64::from(t.times > 0);
        s.times += t.times;
        s.met += i64::from(t.met == Some(true));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn v(leader_id: i64, date: &str, part: DayPart) -> Visit {
        Visit {
            leader_id,
            date: d(date),
            part,
        }
    }
    const TODAY: &str = "2019-12-31";

    #[test]
    fn an_entry_needs_a_past_date_a_part_and_its_matters() {
        let today = d("2019-10-15");
        let e = EntryInput::parse("2019年10月8日", "上午", " 椒江大桥工地 ", "协调征迁", "", today).unwrap();
        assert_eq!(
            (e.date, e.part, e.place.as_str()),
            (d("2019-10-08"), DayPart::Morning, "椒江大桥工地")
        );
        assert_eq!(
            EntryInput::parse("2019-10-15", "full", "", "x", "", today).unwrap().part,
            DayPart::FullDay
        );
        let codes = |r: Result<EntryInput, FieldErrors>| r.unwrap_err().0.iter().map(|f| f.code).collect::<Vec<_>>();
        assert_eq!(
            codes(EntryInput::parse("2019-10-16", "晚上", "", " ", "", today)),
            ["field_work_date_future", "field_work_part_unknown", "field_work_matters_empty"]
        );
        assert_eq!(
            codes(EntryInput::parse("1999-12-31", "am", "", "x", "", today)),
            ["field_work_date_out_of_range"]
        );
        assert_eq!(codes(EntryInput::parse("x", "am", "", "x", "", today)), ["invalid_date"]);
        let long = "字".repeat(MAX_MATTERS_CHARS + 1);
        assert_eq!(
            codes(EntryInput::parse("2019-10-08", "am", "", &long, "", today)),
            ["field_work_matters_long"]
        );
        let place = "地".repeat(MAX_PLACE_CHARS + 1);
        assert_eq!(
            codes(EntryInput::parse("2019-10-08", "am", &place, "x", "", today)),
            ["field_work_place_long"]
        );
    }

    #[test]
    fn a_half_day_is_recorded_once() {
        use DayPart::*;
        assert!(check_not_recorded(&[], FullDay).is_ok());
        assert!(check_not_recorded(&[Morning], Afternoon).is_ok());
        assert_eq!(check_not_recorded(&[Morning], Morning).unwrap_err().code, "field_work_duplicate");
        assert_eq!(check_not_recorded(&[Afternoon], FullDay).unwrap_err().code, "field_work_duplicate");
        assert_eq!(check_not_recorded(&[FullDay], Morning).unwrap_err().code, "field_work_duplicate");
    }

    #[test]
    fn rules_parse_with_the_seeds_defaults() {
        assert_eq!(
            FieldWorkRule::parse("times", None, None).unwrap(),
            FieldWorkRule::Times { per_week: 2 }
        );
        assert_eq!(
            FieldWorkRule::parse("share", None, None).unwrap(),
            FieldWorkRule::Share { num: 1, den: 3 }
        );
        assert_eq!(
            FieldWorkRule::parse("share", None, Some("１/２")).unwrap(),
            FieldWorkRule::Share { num: 1, den: 2 }
        );
        assert_eq!(
            FieldWorkRule::parse("times", Some(8), None).unwrap_err().code,
            "field_work_rule_times_invalid"
        );
        assert_eq!(
            FieldWorkRule::parse("share", None, Some("4/3")).unwrap_err().code,
            "field_work_rule_share_invalid"
        );
        assert_eq!(FieldWorkRule::parse("x", None, None).unwrap_err().code, "field_work_rule_unknown");
        assert_eq!(FieldWorkRule::default(), FieldWorkRule::SHARE_DEFAULT);
    }

    #[test]
    fn a_third_of_the_week_is_exact_integer_arithmetic() {
        let third = FieldWorkRule::SHARE_DEFAULT;
        // 5 working days = 10 half-days: 10/3 = 3.33…, so 4 half-days; 3 days = 6 → 2; 6 → 12 → 4; 1 → 2 → 1.
        assert_eq!(
            (third.required(5), third.required(3), third.required(6), third.required(1)),
            (4, 2, 4, 1)
        );
        assert_eq!(FieldWorkRule::Share { num: 1, den: 2 }.required(5), 5);
        // The times rule asks no more than the week's working days.
        assert_eq!(
            (FieldWorkRule::TIMES_DEFAULT.required(5), FieldWorkRule::TIMES_DEFAULT.required(1)),
            (2, 1)
        );
    }

    #[test]
    fn a_normal_week_times_are_days_and_the_share_counts_working_half_days() {
        let cal = WorkCalendar::shipped();
        let monday = d("2019-11-04");
        let today = d(TODAY);
        // Leader 1 (times ≥ 2): a morning and an afternoon of one day are one time.
        let visits = [
            v(1, "2019-11-04", DayPart::Morning),
            v(1, "2019-11-04", DayPart::Afternoon),
            v(2, "2019-11-05", DayPart::FullDay),
            v(2, "2019-11-07", DayPart::Morning),
            v(2, "2019-11-09", DayPart::FullDay), // a Saturday: a time, not working time
        ];
        let t1 = tally_week(cal, 1, FieldWorkRule::TIMES_DEFAULT, monday, &visits, today);
        assert_eq!(
            (t1.times, t1.half_days, t1.working_half_days, t1.required, t1.met),
            (1, 2, 10, 2, Some(false))
        );
        let t2 = tally_week(cal, 2, FieldWorkRule::SHARE_DEFAULT, monday, &visits, today);
        // 3 working half-days of 10: 9 < 10, not met; one more half-day would meet it.
        assert_eq!((t2.times, t2.half_days, t2.required, t2.met), (3, 3, 4, Some(false)));
        let more = [visits.as_slice(), &[v(2, "2019-11-08", DayPart::Afternoon)]].concat();
        assert_eq!(
            tally_week(cal, 2, FieldWorkRule::SHARE_DEFAULT, monday, &more, today).met,
            Some(true)
        );
        let t2_times = tally_week(cal, 2, FieldWorkRule::TIMES_DEFAULT, monday, &visits, today);
        assert_eq!(t2_times.met, Some(true));
        assert!(t1.complete);
        assert!(!tally_week(cal, 1, FieldWorkRule::TIMES_DEFAULT, monday, &visits, d("2019-11-09")).complete);
    }

    #[test]
    fn a_holiday_week_has_fewer_working_half_days_and_a_make_up_saturday_counts() {
        let cal = WorkCalendar::shipped();
        // 2019 National Day: 10-01…10-07 off; Sunday 09-29 and Saturday 10-12 worked.
        assert_eq!(working_days(cal, d("2019-09-30")), 1); // only Monday 09-30
        assert_eq!(working_days(cal, d("2019-09-23")), 6); // Mon–Fri and Sunday 09-29
        assert_eq!(working_days(cal, d("2019-10-07")), 5); // 10-08…10-12 (Saturday worked)
        let third = FieldWorkRule::SHARE_DEFAULT;
        // The golden week: 2 working half-days, one is a third (1×3 ≥ 2×1).
        let golden = [v(1, "2019-09-30", DayPart::Afternoon), v(1, "2019-10-03", DayPart::FullDay)];
        let t = tally_week(cal, 1, third, d("2019-09-30"), &golden, d(TODAY));
        assert_eq!(
            (t.times, t.half_days, t.working_half_days, t.required, t.met),
            (2, 1, 2, 1, Some(true))
        );
        // Times rule in the golden week asks one time (one working day).
        let t = tally_week(cal, 1, FieldWorkRule::TIMES_DEFAULT, d("2019-09-30"), &golden[..1], d(TODAY));
        assert_eq!((t.required, t.met), (1, Some(true)));
        // The make-up Saturday 10-12 is working time.
        let after = [v(1, "2019-10-12", DayPart::FullDay), v(1, "2019-10-08", DayPart::FullDay)];
        let t = tally_week(cal, 1, third, d("2019-10-07"), &after, d(TODAY));
        assert_eq!((t.half_days, t.working_half_days, t.required, t.met), (4, 10, 4, Some(true)));
        // A week with no working day is neither met nor missed: the Spring Festival 2019-02-04…10.
        let t = tally_week(cal, 1, third, d("2019-02-04"), &[], d(TODAY));
        assert_eq!((t.working_half_days, t.met), (0, None));
    }

    #[test]
    fn compliance_is_complete_weeks_met_over_weeks_counted() {
        let cal = WorkCalendar::shipped();
        let leaders = [(1, FieldWorkRule::TIMES_DEFAULT), (2, FieldWorkRule::SHARE_DEFAULT)];
        let visits = [
            v(1, "2019-11-04", DayPart::Morning),
            v(1, "2019-11-06", DayPart::Morning),
            v(1, "2019-11-12", DayPart::Morning),
            v(2, "2019-11-04", DayPart::FullDay),
            v(2, "2019-11-05", DayPart::FullDay),
            v(2, "2019-11-18", DayPart::FullDay),
        ];
        // Three weeks; the third (11-18…11-24) not over on 11-20.
        let tallies = weekly_tallies(cal, &leaders, &visits, d("2019-11-06"), d("2019-11-20"), d("2019-11-20"));
        assert_eq!(tallies.len(), 6);
        assert_eq!(tallies[0].week, d("2019-11-04"));
        let by = compliance_by_leader(&tallies);
        assert_eq!(
            (by[0].leader_id, by[0].weeks_counted, by[0].weeks_met, by[0].rate),
            (Some(1), 2, 1, Some(Pct1(500)))
        );
        assert_eq!((by[1].weeks_counted, by[1].weeks_met, by[1].rate), (2, 1, Some(Pct1(500))));
        let all = compliance(&tallies, None);
        assert_eq!((all.weeks_counted, all.weeks_met, all.rate), (4, 2, Some(Pct1(500))));
        assert_eq!(compliance(&[], None).rate, None);
        let s = week_summary(&tallies, d("2019-11-04"));
        assert_eq!(
            s,
            WeekSummary {
                leaders: 2,
                leaders_on_site: 2,
                times: 4,
                met: 2
            }
        );
        let s = week_summary(&tallies, d("2019-11-11"));
        assert_eq!(
            s,
            WeekSummary {
                leaders: 2,
                leaders_on_site: 1,
                times: 1,
                met: 0
            }
        );
    }
}
