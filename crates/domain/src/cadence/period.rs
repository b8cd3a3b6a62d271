//! The period a report covers (报告期): an ISO week, a month, a two-month span or a quarter.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::{ReportError, ReportKind};
use crate::date::Year;
use crate::lang::Lang;

/// A report's period: an ISO week, a month, a two-month span (B1 = Jan–Feb … B6 = Nov–Dec) or
/// a quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPeriod {
    pub kind: ReportKind,
    pub year: i32,
    /// Week 1–53, month 1–12, bimonth 1–6 or quarter 1–4.
    pub number: u32,
}

impl ReportPeriod {
    pub fn parse(kind: ReportKind, s: &str) -> Result<ReportPeriod, ReportError> {
        let bad = || ReportError::Period(s.to_string(), kind);
        let (y, rest) = s.trim().split_once('-').ok_or_else(bad)?;
        let year = Year::parse(y).map_err(|_| bad())?.get();
        let (prefix, max) = match kind {
            ReportKind::Weekly => ("W", 53),
            ReportKind::Monthly => ("", 12),
            ReportKind::Supervision => ("B", 6),
            ReportKind::Quarterly => ("Q", 4),
        };
        let digits = rest.strip_prefix(prefix).ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let number: u32 = digits.parse().map_err(|_| bad())?;
        if number == 0 || number > max {
            return Err(bad());
        }
        if kind == ReportKind::Weekly && NaiveDate::from_isoywd_opt(year, number, chrono::Weekday::Mon).is_none() {
            return Err(bad());
        }
        Ok(ReportPeriod { kind, year, number })
    }

    pub fn code(&self) -> String {
        match self.kind {
            ReportKind::Weekly => format!("{}-W{:02}", self.year, self.number),
            ReportKind::Monthly => format!("{}-{:02}", self.year, self.number),
            ReportKind::Supervision => format!("{}-B{}", self.year, self.number),
            ReportKind::Quarterly => format!("{}-Q{}", self.year, self.number),
        }
    }

    /// The first and last day covered.
    pub fn bounds(&self) -> (NaiveDate, NaiveDate) {
        let ymd = |m: u32| NaiveDate::from_ymd_opt(self.year, m, 1).expect("valid month");
        let month_end = |m: u32| crate::figures::Period::year_to_month(self.year, m).end;
        match self.kind {
            ReportKind::Weekly => {
                let mon = NaiveDate::from_isoywd_opt(self.year, self.number, chrono::Weekday::Mon).expect("checked at parse");
                (mon, mon + chrono::Duration::days(6))
            }
            ReportKind::Monthly => (ymd(self.number), month_end(self.number)),
            ReportKind::Supervision => (ymd(self.number * 2 - 1), month_end(self.number * 2)),
            ReportKind::Quarterly => (ymd(self.number * 3 - 2), month_end(self.number * 3)),
        }
    }

    /// The calendar year whose plan the period is measured against (a week's Sunday decides).
    pub fn plan_year(&self) -> i32 {
        self.bounds().1.year()
    }

    pub fn label_zh(&self) -> String {
        let (s, e) = self.bounds();
        match self.kind {
            ReportKind::Weekly => format!(
                "{}年第{}周（{}月{}日—{}月{}日）",
                self.year,
                self.number,
                s.month(),
                s.day(),
                e.month(),
                e.day()
            ),
            ReportKind::Monthly => format!("{}年{}月", self.year, self.number),
            ReportKind::Supervision => format!("{}年{}—{}月", self.year, s.month(), e.month()),
            ReportKind::Quarterly => format!("{}年第{}季度", self.year, ["一", "二", "三", "四"][self.number as usize - 1]),
        }
    }

    /// The period in English: `Week 50, 2019 (9–15 Dec)`, `December 2019`, `Nov–Dec 2019`, `Q4 2019`.
    pub fn label_en(&self) -> String {
        let (s, e) = self.bounds();
        match self.kind {
            ReportKind::Weekly if s.month() == e.month() => format!(
                "Week {}, {} ({}–{} {})",
                self.number,
                self.year,
                s.day(),
                e.day(),
                month_abbr(e.month())
            ),
            ReportKind::Weekly => format!(
                "Week {}, {} ({} {}–{} {})",
                self.number,
                self.year,
                s.day(),
                month_abbr(s.month()),
                e.day(),
                month_abbr(e.month())
            ),
            ReportKind::Monthly => format!("{} {}", month_name(self.number), self.year),
            ReportKind::Supervision => format!("{}–{} {}", month_abbr(s.month()), month_abbr(e.month()), self.year),
            ReportKind::Quarterly => format!("Q{} {}", self.number, self.year),
        }
    }

    pub fn label(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.label_en(),
        }
    }

    /// The period of the same kind just before this one.
    pub fn previous(&self) -> ReportPeriod {
        match self.kind {
            ReportKind::Weekly => {
                let (s, _) = self.bounds();
                let p = (s - chrono::Duration::days(7)).iso_week();
                ReportPeriod {
                    kind: self.kind,
                    year: p.year(),
                    number: p.week(),
                }
            }
            _ => {
                let max = match self.kind {
                    ReportKind::Monthly => 12,
                    ReportKind::Supervision => 6,
                    _ => 4,
                };
                if self.number == 1 {
                    ReportPeriod {
                        kind: self.kind,
                        year: self.year - 1,
                        number: max,
                    }
                } else {
                    ReportPeriod {
                        number: self.number - 1,
                        ..*self
                    }
                }
            }
        }
    }

    /// The period of this kind that contains `d` (the default a page offers).
    pub fn containing(kind: ReportKind, d: NaiveDate) -> ReportPeriod {
        let (year, number) = match kind {
            ReportKind::Weekly => (d.iso_week().year(), d.iso_week().week()),
            ReportKind::Monthly => (d.year(), d.month()),
            ReportKind::Supervision => (d.year(), d.month().div_ceil(2)),
            ReportKind::Quarterly => (d.year(), d.month().div_ceil(3)),
        };
        ReportPeriod { kind, year, number }
    }

    /// The period a page offers by default for figures as of `as_of` (数据日): the month,
    /// two months or quarter containing it, and for the weekly brief the last week that has
    /// ended by then (a brief reports a week gone by): 2019-12-31, a Tuesday, offers 2019-W52,
    /// not the ISO week 2020-W01 that has barely begun and would date 2019's data in 2020.
    pub fn default_for(kind: ReportKind, as_of: NaiveDate) -> ReportPeriod {
        match kind {
            ReportKind::Weekly => {
                let days_since_sunday = (as_of.weekday().num_days_from_monday() + 1) % 7;
                ReportPeriod::containing(kind, as_of - chrono::Duration::days(days_since_sunday.into()))
            }
            _ => ReportPeriod::containing(kind, as_of),
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `December`.
pub fn month_name(m: u32) -> &'static str {
    MONTHS[(m as usize).clamp(1, 12) - 1]
}

/// `Dec` (September is `Sep`).
pub fn month_abbr(m: u32) -> &'static str {
    &month_name(m)[..3]
}

/// A day in an English sentence: `12 Dec`.
pub fn day_month_en(d: NaiveDate) -> String {
    format!("{} {}", d.day(), month_abbr(d.month()))
}

impl fmt::Display for ReportPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn periods_parse_and_bound() {
        let w = ReportPeriod::parse(ReportKind::Weekly, "2019-W50").unwrap();
        assert_eq!(w.bounds(), (d(2019, 12, 9), d(2019, 12, 15)));
        assert_eq!(w.label_zh(), "2019年第50周（12月9日—12月15日）");
        assert_eq!(w.code(), "2019-W50");
        let m = ReportPeriod::parse(ReportKind::Monthly, "2019-12").unwrap();
        assert_eq!(m.bounds(), (d(2019, 12, 1), d(2019, 12, 31)));
        let b = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
        assert_eq!(b.bounds(), (d(2019, 11, 1), d(2019, 12, 31)));
        assert_eq!(b.label_zh(), "2019年11—12月");
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        assert_eq!(q.bounds(), (d(2019, 10, 1), d(2019, 12, 31)));
        assert_eq!(q.label_zh(), "2019年第四季度");
        assert_eq!(w.label_en(), "Week 50, 2019 (9–15 Dec)");
        assert_eq!(m.label_en(), "December 2019");
        assert_eq!(b.label_en(), "Nov–Dec 2019");
        assert_eq!(q.label_en(), "Q4 2019");
        let w1 = ReportPeriod::parse(ReportKind::Weekly, "2020-W01").unwrap();
        assert_eq!(w1.label_en(), "Week 1, 2020 (30 Dec–5 Jan)");
        assert_eq!(ReportPeriod::parse(ReportKind::Monthly, "2019-2").unwrap().code(), "2019-02");
        for (k, bad) in [
            (ReportKind::Monthly, "2019-13"),
            (ReportKind::Monthly, "2019-W5"),
            (ReportKind::Weekly, "2019-W54"),
            (ReportKind::Weekly, "2019-W53"),
            (ReportKind::Supervision, "2019-B7"),
            (ReportKind::Quarterly, "2019-Q0"),
            (ReportKind::Quarterly, "19-Q1"),
            (ReportKind::Quarterly, "abc"),
        ] {
            let e = ReportPeriod::parse(k, bad).unwrap_err();
            assert!(e.to_string().contains("报告期无效"), "{bad}: {e}");
        }
        assert!(ReportPeriod::parse(ReportKind::Weekly, "2020-W53").is_ok());
        // The year is checked by `Year`, as every year is: 1949–2100.
        assert!(ReportPeriod::parse(ReportKind::Monthly, "1949-10").is_ok());
        assert!(ReportPeriod::parse(ReportKind::Monthly, "2101-01").is_err());
        assert!(matches!(ReportKind::parse("yearly"), Err(ReportError::Kind(_))));
    }

    #[test]
    fn previous_and_containing_periods() {
        let p = |k, s| ReportPeriod::parse(k, s).unwrap();
        assert_eq!(p(ReportKind::Monthly, "2019-01").previous().code(), "2018-12");
        assert_eq!(p(ReportKind::Quarterly, "2019-Q1").previous().code(), "2018-Q4");
        assert_eq!(p(ReportKind::Supervision, "2019-B3").previous().code(), "2019-B2");
        assert_eq!(p(ReportKind::Weekly, "2019-W01").previous().code(), "2018-W52");
        assert_eq!(ReportPeriod::containing(ReportKind::Weekly, d(2019, 12, 31)).code(), "2020-W01");
        assert_eq!(ReportPeriod::default_for(ReportKind::Weekly, d(2019, 12, 31)).code(), "2019-W52");
        assert_eq!(ReportPeriod::default_for(ReportKind::Weekly, d(2019, 12, 29)).code(), "2019-W52");
        assert_eq!(ReportPeriod::default_for(ReportKind::Weekly, d(2019, 12, 30)).code(), "2019-W52");
        assert_eq!(ReportPeriod::default_for(ReportKind::Monthly, d(2019, 12, 31)).code(), "2019-12");
        assert_eq!(ReportPeriod::containing(ReportKind::Supervision, d(2019, 12, 31)).code(), "2019-B6");
        assert_eq!(ReportPeriod::containing(ReportKind::Quarterly, d(2019, 8, 1)).code(), "2019-Q3");
    }
}
