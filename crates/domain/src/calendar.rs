//! The Chinese working calendar (工作日历): Saturdays and Sundays off, except the make-up
//! working days (调休上班) the State Council sets each year, and the statutory holidays
//! (法定节假日) off. The arrangement is data: the shipped table (`reference::holidays()`, the
//! State Council notices 2018–2026, see `data/cn-holidays.SOURCES.md`) or rows the
//! administrator supplies for a new year.
//!
//! Counting convention, used everywhere in zhantu (rules, approval clocks, deadlines):
//! **a span of days `from → to` counts the days `d` with `from < d ≤ to`** — the first day
//! is not counted, the last is ("期间开始的当日不计算在内"). So 2019-10-08 is 1 calendar day
//! after 2019-10-07, and `add_days(from, n)` followed by `days_between(from, ·)` gives `n`
//! back, in calendar and in working days alike.
//!
//! Outside the years the data covers, only weekends are off (a later year's notice is not
//! known yet); [`WorkCalendar::coverage_note`] says so in a sentence a report can show.

use crate::model::DayKind;
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// What a notice says about a date: 放假 (off) or 上班 (a make-up working day on a weekend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayType {
    /// 放假: a statutory holiday, or a day joined to it.
    Off,
    /// 调休上班: a Saturday or Sunday worked to make up for a holiday.
    Work,
}

impl DayType {
    /// The code the holiday table uses: `off`, `work`.
    pub fn code(self) -> &'static str {
        match self {
            DayType::Off => "off",
            DayType::Work => "work",
        }
    }
    pub fn from_code(code: &str) -> Option<DayType> {
        match code.trim() {
            "off" | "放假" | "休" => Some(DayType::Off),
            "work" | "上班" | "班" => Some(DayType::Work),
            _ => None,
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            DayType::Off => "放假",
            DayType::Work => "调休上班",
        }
    }
}

/// How a date stands in the calendar, with the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayClass {
    /// 工作日: Monday to Friday, no holiday.
    Weekday,
    /// 周末: an ordinary Saturday or Sunday.
    Weekend,
    /// 节假日: off by the notice.
    Holiday,
    /// 调休上班: a weekend day worked by the notice.
    MakeUpWorkday,
}

impl DayClass {
    pub fn is_working(self) -> bool {
        matches!(self, DayClass::Weekday | DayClass::MakeUpWorkday)
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            DayClass::Weekday => "工作日",
            DayClass::Weekend => "周末",
            DayClass::Holiday => "节假日",
            DayClass::MakeUpWorkday => "调休上班日",
        }
    }
}

/// A holiday table row that cannot be used. The message is for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("节假日安排为空：至少需要一行")]
    Empty,
    #[error("{date}是工作日（{weekday}），不能设为调休上班日；调休上班日应为周六或周日")]
    WorkOnWeekday { date: NaiveDate, weekday: &'static str },
    #[error("{date}出现两次且安排不同（放假/上班）")]
    Conflict { date: NaiveDate },
    #[error("第{line}行无法识别：“{text}”（应为 日期,off|work,名称）")]
    BadRow { line: usize, text: String },
    #[error("节假日安排跨度过大（{from}年至{to}年），最多100年")]
    TooWide { from: i32, to: i32 },
}

/// A working calendar: which dates are working days. Cheap to query (one bit per covered
/// day, prefix counts per 64 days), so lights for a million nodes can count working days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCalendar {
    /// First and last calendar year the holiday arrangement covers.
    first_year: i32,
    last_year: i32,
    /// `num_days_from_ce` of 1 January of `first_year`.
    start: i32,
    /// Number of covered days.
    len: i32,
    /// Bit `i` set ⇔ day `start + i` is a working day.
    bits: Vec<u64>,
    /// Working days before word `w` (within the covered range).
    prefix: Vec<u32>,
    /// The rows, sorted by date: names for display.
    rows: Vec<(NaiveDate, DayType, String)>,
}

fn weekday_zh(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Monday to Friday days in `[0001-01-01, d)`; 0001-01-01 (day 1 from CE) is a Monday.
fn weekdays_before(day_ce: i32) -> i64 {
    let n = day_ce as i64 - 1;
    let weeks = n.div_euclid(7);
    let rest = n.rem_euclid(7);
    weeks * 5 + rest.min(5)
}

fn from_ce(day_ce: i64) -> NaiveDate {
    let clamped = day_ce.clamp(NaiveDate::MIN.num_days_from_ce() as i64, NaiveDate::MAX.num_days_from_ce() as i64);
    NaiveDate::from_num_days_from_ce_opt(clamped as i32).expect("clamped into chrono's range")
}

static SHIPPED: OnceLock<WorkCalendar> = OnceLock::new();

impl WorkCalendar {
    /// A calendar with no holiday data at all: weekends off, every other day worked.
    pub fn weekends_only() -> WorkCalendar {
        WorkCalendar {
            first_year: 0,
            last_year: -1,
            start: 0,
            len: 0,
            bits: Vec::new(),
            prefix: vec![0],
            rows: Vec::new(),
        }
    }

    /// The calendar of the State Council notices shipped with zhantu (2018–2026), built once.
    pub fn shipped() -> &'static WorkCalendar {
        SHIPPED.get_or_init(|| {
            let rows = crate::reference::holidays().map(|h| {
                let date = NaiveDate::parse_from_str(h.date, "%Y-%m-%d").expect("shipped holiday table has ISO dates");
                let kind = DayType::from_code(h.kind).expect("shipped holiday table has off/work");
                (date, kind, h.name.to_string())
            });
            WorkCalendar::from_rows(rows).expect("shipped holiday table is consistent")
        })
    }

    /// Parses a table in the shipped format (`date,kind,name` with a header line), as an
    /// administrator uploads it. Dates are ISO (`2027-01-01`).
    pub fn parse_csv(text: &str) -> Result<WorkCalendar, CalendarError> {
        let mut rows = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || (i == 0 && line.starts_with("date")) {
                continue;
            }
            let bad = || CalendarError::BadRow {
                line: i + 1,
                text: line.chars().take(60).collect(),
            };
            let mut f = line.split(',');
            let date = f
                .next()
                .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
                .ok_or_else(bad)?;
            let kind = f.next().and_then(DayType::from_code).ok_or_else(bad)?;
            let name = f.next().unwrap_or("").trim().to_string();
            rows.push((date, kind, name));
        }
        WorkCalendar::from_rows(rows)
    }

    /// Builds a calendar from holiday rows: `(date, off|work, festival name)`. The covered
    /// years are those from the earliest to the latest row. Weekends inside a holiday block
    /// may be listed as `off` or left out (both mean off); a `work` row must be a weekend
    /// day; the same date listed twice must agree.
    pub fn from_rows(rows: impl IntoIterator<Item = (NaiveDate, DayType, String)>) -> Result<WorkCalendar, CalendarError> {
        let mut rows: Vec<(NaiveDate, DayType, String)> = rows.into_iter().collect();
        if rows.is_empty() {
            return Err(CalendarError::Empty);
        }
        rows.sort_by_key(|r| r.0);
        rows.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1);
        for pair in rows.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(CalendarError::Conflict { date: pair[0].0 });
            }
        }
        for (date, kind, _) in &rows {
            if *kind == DayType::Work && !is_weekend(*date) {
                return Err(CalendarError::WorkOnWeekday {
                    date: *date,
                    weekday: weekday_zh(date.weekday()),
                });
            }
        }
        let first_year = rows[0].0.year();
        let last_year = rows[rows.len() - 1].0.year();
        if last_year - first_year >= 100 {
            return Err(CalendarError::TooWide {
                from: first_year,
                to: last_year,
            });
        }
        let start = NaiveDate::from_ymd_opt(first_year, 1, 1).expect("valid").num_days_from_ce();
        let end = NaiveDate::from_ymd_opt(last_year, 12, 31).expect("valid").num_days_from_ce();
        let len = end - start + 1;
        let words = (len as usize).div_ceil(64);
        let mut bits = vec![0u64; words];
        for i in 0..len {
            let d = NaiveDate::from_num_days_from_ce_opt(start + i).expect("valid");
            if !is_weekend(d) {
                bits[i as usize / 64] |= 1 << (i % 64);
            }
        }
        for (date, kind, _) in &rows {
            let i = (date.num_days_from_ce() - start) as usize;
            match kind {
                DayType::Off => bits[i / 64] &= !(1 << (i % 64)),
                DayType::Work => bits[i / 64] |= 1 << (i % 64),
            }
        }
        let mut prefix = Vec::with_capacity(words + 1);
        let mut acc = 0u32;
        prefix.push(0);
        for w in &bits {
            acc += w.count_ones();
            prefix.push(acc);
        }
        Ok(WorkCalendar {
            first_year,
            last_year,
            start,
            len,
            bits,
            prefix,
            rows,
        })
    }

    /// The years the holiday data covers, if any.
    pub fn coverage(&self) -> Option<(i32, i32)> {
        (self.len > 0).then_some((self.first_year, self.last_year))
    }

    /// Does the holiday data cover this date? Outside it, only weekends are off.
    pub fn covers(&self, d: NaiveDate) -> bool {
        let i = d.num_days_from_ce() - self.start;
        self.len > 0 && (0..self.len).contains(&i)
    }

    /// A sentence for reports when a span of dates reaches outside the holiday data, e.g.
    /// `2030年无节假日安排数据（现有2018—2026年），按周末双休计算工作日`. `None` when covered.
    pub fn coverage_note(&self, from: NaiveDate, to: NaiveDate) -> Option<String> {
        let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
        let missing: Vec<i32> = (lo.year()..=hi.year())
            .filter(|y| self.len == 0 || *y < self.first_year || *y > self.last_year)
            .collect();
        if missing.is_empty() {
            return None;
        }
        let years = match (missing.first(), missing.last()) {
            (Some(a), Some(b)) if a == b => format!("{a}年"),
            (Some(a), Some(b)) => format!("{a}—{b}年"),
            _ => unreachable!("not empty"),
        };
        let have = match self.coverage() {
            Some((a, b)) => format!("现有{a}—{b}年"),
            None => "未导入任何年份".to_string(),
        };
        Some(format!("{years}无节假日安排数据（{have}），按周末双休计算工作日"))
    }

    fn bit(&self, i: i32) -> bool {
        self.bits[i as usize / 64] >> (i % 64) & 1 == 1
    }

    /// Is `d` a working day (工作日)?
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        let i = d.num_days_from_ce() - self.start;
        if self.len > 0 && (0..self.len).contains(&i) {
            self.bit(i)
        } else {
            !is_weekend(d)
        }
    }

    /// How `d` stands, with the festival's name where the notice names one.
    pub fn classify(&self, d: NaiveDate) -> (DayClass, Option<&str>) {
        if let Ok(k) = self.rows.binary_search_by_key(&d, |r| r.0) {
            let (_, kind, name) = &self.rows[k];
            let name = (!name.is_empty()).then_some(name.as_str());
            return match kind {
                DayType::Off => (DayClass::Holiday, name),
                DayType::Work => (DayClass::MakeUpWorkday, name),
            };
        }
        (if is_weekend(d) { DayClass::Weekend } else { DayClass::Weekday }, None)
    }

    /// Working days in `[0001-01-01, day)` (may be negative before it): the running count
    /// every other question is answered from in constant time.
    fn working_before(&self, day_ce: i32) -> i64 {
        if self.len == 0 || day_ce <= self.start {
            return weekdays_before(day_ce);
        }
        let base = weekdays_before(self.start);
        let i = day_ce - self.start;
        if i <= self.len {
            let w = i as usize / 64;
            let r = i % 64;
            let partial = if r == 0 {
                0
            } else {
                (self.bits[w] & ((1u64 << r) - 1)).count_ones()
            };
            base + (self.prefix[w] + partial) as i64
        } else {
            let end = self.start + self.len;
            base + *self.prefix.last().expect("non-empty") as i64 + weekdays_before(day_ce) - weekdays_before(end)
        }
    }

    /// Working days `d` with `from < d ≤ to`; negative (minus the working days with
    /// `to < d ≤ from`) when `to` is before `from`. Constant time.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        self.working_before(to.num_days_from_ce() + 1) - self.working_before(from.num_days_from_ce() + 1)
    }

    /// The `n`-th working day after `from` (n > 0): the working day `d` with exactly `n`
    /// working days in `(from, d]`; so the result is always a working day and
    /// `working_days_between(from, result) == n`. For n < 0, the `|n|`-th working day before
    /// `from`: the working day `d` with `|n|` working days in `[d, from)`. For n = 0, `from`
    /// itself (which may be a holiday). Saturates at the ends of chrono's date range.
    pub fn add_working_days(&self, from: NaiveDate, n: i64) -> NaiveDate {
        let f = from.num_days_from_ce() as i64;
        let count = |d: i64| -> i64 { self.working_before((d + 1) as i32) - self.working_before((f + 1) as i32) };
        let max_ce = NaiveDate::MAX.num_days_from_ce() as i64 - 1;
        let min_ce = NaiveDate::MIN.num_days_from_ce() as i64 + 1;
        match n.cmp(&0) {
            std::cmp::Ordering::Equal => from,
            std::cmp::Ordering::Greater => {
                // Smallest d > from with count(d) ≥ n; count is non-decreasing in d and steps
                // by one on working days only, so that d is the n-th working day.
                let mut step = n + 16;
                let mut hi = f + step;
                while hi < max_ce && count(hi) < n {
                    step *= 2;
                    hi = (f + step).min(max_ce);
                }
                let mut lo = f; // count(lo) = 0 < n
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if count(mid) >= n { hi = mid } else { lo = mid }
                }
                from_ce(hi)
            }
            std::cmp::Ordering::Less => {
                // Largest d < from with (working days in [d, from)) ≥ |n|.
                let want = -n;
                let back = |d: i64| -> i64 { self.working_before(f as i32) - self.working_before(d as i32) };
                let mut step = want + 16;
                let mut lo = f - step;
                while lo > min_ce && back(lo) < want {
                    step *= 2;
                    lo = (f - step).max(min_ce);
                }
                let mut hi = f; // back(hi) = 0 < want
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if back(mid) >= want { lo = mid } else { hi = mid }
                }
                from_ce(lo)
            }
        }
    }

    /// `n` calendar or working days after `from` (see [`WorkCalendar::add_working_days`]).
    pub fn add_days(&self, from: NaiveDate, n: i64, kind: DayKind) -> NaiveDate {
        match kind {
            DayKind::Calendar => from_ce(from.num_days_from_ce() as i64 + n),
            DayKind::Working => self.add_working_days(from, n),
        }
    }

    /// Days `d` with `from < d ≤ to`, calendar or working (negative when `to < from`).
    pub fn days_between(&self, from: NaiveDate, to: NaiveDate, kind: DayKind) -> i64 {
        match kind {
            DayKind::Calendar => (to - from).num_days(),
            DayKind::Working => self.working_days_between(from, to),
        }
    }

    /// The first working day on or after `d` (a deadline on a holiday moves to the next
    /// working day: "期间届满的最后一日是法定休假日的，以法定休假日结束的次日为期间届满的日期").
    pub fn next_working_day_from(&self, d: NaiveDate) -> NaiveDate {
        if self.is_working_day(d) { d } else { self.add_working_days(d, 1) }
    }

    /// The rows the calendar was built from, sorted by date.
    pub fn rows(&self) -> impl Iterator<Item = (NaiveDate, DayType, &str)> {
        self.rows.iter().map(|(d, k, n)| (*d, *k, n.as_str()))
    }
}

impl Default for WorkCalendar {
    /// The shipped calendar.
    fn default() -> Self {
        WorkCalendar::shipped().clone()
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

    #[test]
    fn shipped_data_covers_2018_to_2026() {
        assert_eq!(cal().coverage(), Some((2018, 2026)));
        assert_eq!(cal().rows().count(), 314);
        assert!(cal().covers(d(2018, 1, 1)) && cal().covers(d(2026, 12, 31)));
        assert!(!cal().covers(d(2017, 12, 31)) && !cal().covers(d(2027, 1, 1)));
    }

    #[test]
    fn national_day_2019_and_its_make_up_sunday() {
        let c = cal();
        // 2019-09-29 is a Sunday, worked to make up for 国庆.
        assert_eq!(d(2019, 9, 29).weekday(), Weekday::Sun);
        assert!(c.is_working_day(d(2019, 9, 29)));
        assert_eq!(c.classify(d(2019, 9, 29)), (DayClass::MakeUpWorkday, Some("国庆节")));
        // 10-01..10-07 off, including the weekdays 10-01..10-04 and 10-07.
        for day in 1..=7 {
            assert!(!c.is_working_day(d(2019, 10, day)), "2019-10-{day:02}");
            assert_eq!(c.classify(d(2019, 10, day)).0, DayClass::Holiday);
        }
        assert!(c.is_working_day(d(2019, 10, 8)));
        // 2019-10-12 is a Saturday worked.
        assert!(c.is_working_day(d(2019, 10, 12)));
        // Working days from 9-27 (Fri) to 10-08 (Tue): 9-29, 9-30, 10-08.
        assert_eq!(c.working_days_between(d(2019, 9, 27), d(2019, 10, 8)), 3);
        assert_eq!(c.add_working_days(d(2019, 9, 30), 1), d(2019, 10, 8));
        assert_eq!(c.add_working_days(d(2019, 9, 27), 1), d(2019, 9, 29));
    }

    #[test]
    fn an_ordinary_weekend_is_off_and_not_a_holiday() {
        let c = cal();
        assert_eq!(c.classify(d(2019, 11, 16)), (DayClass::Weekend, None));
        assert!(!c.is_working_day(d(2019, 11, 16)) && !c.is_working_day(d(2019, 11, 17)));
        assert_eq!(c.classify(d(2019, 11, 18)), (DayClass::Weekday, None));
        assert_eq!(c.add_working_days(d(2019, 11, 15), 1), d(2019, 11, 18));
        assert_eq!(c.working_days_between(d(2019, 11, 15), d(2019, 11, 17)), 0);
        // "与周末连休": 2019 端午 lists only 6-07 (Fri); the weekend after it is plain weekend.
        assert!(!c.is_working_day(d(2019, 6, 7)));
        assert_eq!(c.classify(d(2019, 6, 8)), (DayClass::Weekend, None));
    }

    #[test]
    fn year_boundaries() {
        let c = cal();
        // The 2019 notice: 2018-12-29 (Sat) worked, 12-30/31 and 2019-01-01 off.
        assert!(c.is_working_day(d(2018, 12, 29)));
        assert!(!c.is_working_day(d(2018, 12, 31)));
        assert!(!c.is_working_day(d(2019, 1, 1)));
        assert_eq!(c.add_working_days(d(2018, 12, 28), 1), d(2018, 12, 29));
        assert_eq!(c.add_working_days(d(2018, 12, 29), 1), d(2019, 1, 2));
        assert_eq!(c.working_days_between(d(2018, 12, 28), d(2019, 1, 2)), 2);
        // 2020 春节 extended by the COVID notice: 1-24..2-02 off, 2-01 no longer worked.
        assert!(!c.is_working_day(d(2020, 1, 31)) && !c.is_working_day(d(2020, 2, 1)));
        assert!(c.is_working_day(d(2020, 1, 19)));
        assert_eq!(c.add_working_days(d(2020, 1, 23), 1), d(2020, 2, 3));
        // Backwards: one working day before 2020-02-03 is 2020-01-23.
        assert_eq!(c.add_working_days(d(2020, 2, 3), -1), d(2020, 1, 23));
        // Whole years: 2019 had 250 working days, 2020 had 249 (after the extension).
        assert_eq!(c.working_days_between(d(2018, 12, 31), d(2019, 12, 31)), 250);
        assert_eq!(c.working_days_between(d(2019, 12, 31), d(2020, 12, 31)), 249);
    }

    #[test]
    fn outside_the_data_only_weekends_are_off_and_it_says_so() {
        let c = cal();
        // 2030-10-01 is a Tuesday: without a notice it counts as a working day.
        assert!(c.is_working_day(d(2030, 10, 1)));
        assert!(!c.is_working_day(d(2030, 10, 5)));
        assert!(c.is_working_day(d(2017, 10, 2)));
        assert_eq!(c.coverage_note(d(2019, 1, 1), d(2026, 12, 31)), None);
        assert_eq!(
            c.coverage_note(d(2026, 6, 1), d(2030, 1, 1)).unwrap(),
            "2027—2030年无节假日安排数据（现有2018—2026年），按周末双休计算工作日"
        );
        assert_eq!(
            c.coverage_note(d(2017, 6, 1), d(2017, 7, 1)).unwrap(),
            "2017年无节假日安排数据（现有2018—2026年），按周末双休计算工作日"
        );
        // Counting across the end of the data: 2026-12-31 (Thu) → 2027-01-04 (Mon).
        assert_eq!(c.working_days_between(d(2026, 12, 30), d(2027, 1, 4)), 3);
        let w = WorkCalendar::weekends_only();
        assert!(w.coverage_note(d(2019, 1, 1), d(2019, 1, 1)).unwrap().contains("未导入"));
        assert!(w.is_working_day(d(2019, 10, 1)));
        assert_eq!(w.working_days_between(d(2019, 9, 27), d(2019, 10, 8)), 7);
    }

    #[test]
    fn administrator_rows() {
        let c = WorkCalendar::parse_csv("date,kind,name\n2027-01-01,off,元旦\n2027-02-20,work,春节\n").unwrap();
        assert_eq!(c.coverage(), Some((2027, 2027)));
        assert!(!c.is_working_day(d(2027, 1, 1)));
        assert!(c.is_working_day(d(2027, 2, 20)));
        let e = WorkCalendar::parse_csv("2027-01-04,work,元旦\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "2027-01-04是工作日（星期一），不能设为调休上班日；调休上班日应为周六或周日"
        );
        let e = WorkCalendar::from_rows([
            (d(2027, 1, 2), DayType::Off, "元旦".to_string()),
            (d(2027, 1, 2), DayType::Work, "元旦".to_string()),
        ])
        .unwrap_err();
        assert_eq!(e, CalendarError::Conflict { date: d(2027, 1, 2) });
        assert!(matches!(WorkCalendar::parse_csv("x\n"), Err(CalendarError::BadRow { line: 1, .. })));
        assert_eq!(WorkCalendar::parse_csv("date,kind,name\n"), Err(CalendarError::Empty));
    }

    #[test]
    fn calendar_and_working_days_share_one_convention() {
        let c = cal();
        let a = d(2019, 9, 27);
        assert_eq!(c.add_days(a, 10, DayKind::Calendar), d(2019, 10, 7));
        assert_eq!(c.days_between(a, d(2019, 10, 7), DayKind::Calendar), 10);
        assert_eq!(c.add_days(a, 3, DayKind::Working), d(2019, 10, 8));
        assert_eq!(c.days_between(a, d(2019, 10, 8), DayKind::Working), 3);
        assert_eq!(c.days_between(d(2019, 10, 8), a, DayKind::Working), -3);
        assert_eq!(c.next_working_day_from(d(2019, 10, 3)), d(2019, 10, 8));
        assert_eq!(c.next_working_day_from(d(2019, 10, 8)), d(2019, 10, 8));
    }

    /// The slow, obvious count the fast one must equal.
    fn naive_between(c: &WorkCalendar, a: NaiveDate, b: NaiveDate) -> i64 {
        let (lo, hi, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut n = 0;
        let mut x = lo;
        while x < hi {
            x = x.succ_opt().unwrap();
            if c.is_working_day(x) {
                n += 1;
            }
        }
        n * sign
    }

    proptest! {
        #[test]
        fn add_then_count_round_trips(start in 0i64..5000, n in 0i64..400) {
            let c = cal();
            let a = d(2016, 1, 1) + chrono::Duration::days(start);
            let b = c.add_working_days(a, n);
            prop_assert_eq!(c.working_days_between(a, b), n);
            if n > 0 {
                prop_assert!(c.is_working_day(b), "{} + {} = {} is not a working day", a, n, b);
                prop_assert!(b > a);
            }
        }

        #[test]
        fn backwards_lands_on_working_days(start in 0i64..5000, n in 1i64..400) {
            let c = cal();
            let a = d(2016, 1, 1) + chrono::Duration::days(start);
            let b = c.add_working_days(a, -n);
            prop_assert!(c.is_working_day(b) && b < a);
            // |n| working days in [b, a): the days (b - 1, a - 1].
            prop_assert_eq!(c.working_days_between(b.pred_opt().unwrap(), a.pred_opt().unwrap()), n);
        }

        #[test]
        fn fast_count_equals_day_by_day(start in 0i64..5000, len in -120i64..400) {
            let c = cal();
            let a = d(2016, 1, 1) + chrono::Duration::days(start);
            let b = a + chrono::Duration::days(len);
            prop_assert_eq!(c.working_days_between(a, b), naive_between(c, a, b));
        }
    }
}
