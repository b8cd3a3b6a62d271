//! Dates as people write them in Chinese offices.

use crate::error::{ParseError, normalize_input};
use chrono::NaiveDate;
use std::fmt;

/// A calendar year as the district's records use it: a date's, a plan's (谋划年度), a
/// report's, a month's. Four digits, 1949–2100: the one check of a year for every form,
/// route, spreadsheet and report period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Year(i32);

impl Year {
    pub const FIRST: i32 = 1949;
    pub const LAST: i32 = 2100;

    /// Exactly four ASCII digits (`2019`), 1949–2100. Callers that accept full-width digits
    /// normalise first (`normalize_input`).
    pub fn parse(input: &str) -> Result<Year, ParseError> {
        if input.len() != 4 || !input.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Year::error(input));
        }
        input.parse::<i64>().map_err(|_| Year::error(input)).and_then(Year::new)
    }

    /// A year given as a number (a spreadsheet cell, a JSON number), 1949–2100.
    pub fn new(year: i64) -> Result<Year, ParseError> {
        if (Year::FIRST as i64..=Year::LAST as i64).contains(&year) {
            Ok(Year(year as i32))
        } else {
            Err(Year::error(&year.to_string()))
        }
    }

    pub fn get(self) -> i32 {
        self.0
    }

    fn error(input: &str) -> ParseError {
        ParseError::new("invalid_year", "年份", input, "应为1949至2100之间的四位年份，如 2019")
    }
}

impl fmt::Display for Year {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Parses `2019-12-31`, `2019/12/31`, `2019.12.31`, `2019年12月31日`, `20191231`, with
/// full-width digits allowed and one-digit months and days (`2019-3-5`).
pub fn parse_date(input: &str) -> Result<NaiveDate, ParseError> {
    let s = normalize_input(input);
    let err = |r: &str| ParseError::new("invalid_date", "日期", input, r);
    if s.is_empty() {
        return Err(err("不能为空"));
    }
    let parts: Vec<&str> = if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        s.trim_end_matches('日').split(['-', '/', '.', '年', '月']).collect()
    };
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return Err(err("格式应为 2019-12-31 或 2019年12月31日"));
    }
    let (m, d): (u32, u32) = match (parts[0].parse::<i32>(), parts[1].parse(), parts[2].parse()) {
        (Ok(_), Ok(m), Ok(d)) => (m, d),
        _ => return Err(err("格式应为 2019-12-31 或 2019年12月31日")),
    };
    let y = Year::parse(parts[0]).map_err(|_| err("年份应在1949至2100之间"))?.get();
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| err("不存在这一天"))
}

/// A date from an Excel serial number (1900 date system, with Excel's phantom 1900-02-29).
pub fn date_from_excel_serial(serial: i64) -> Result<NaiveDate, ParseError> {
    let err = || ParseError::new("invalid_date", "日期", &serial.to_string(), "不是有效的Excel日期序号");
    if !(1..=2_958_465).contains(&serial) {
        return Err(err());
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid");
    let serial = if serial < 60 { serial + 1 } else { serial };
    base.checked_add_days(chrono::Days::new(serial as u64)).ok_or_else(err)
}

/// A month as `YYYY-MM`, the key of monthly figures.
pub fn parse_month(input: &str) -> Result<(i32, u32), ParseError> {
    let s = normalize_input(input);
    let err = || ParseError::new("invalid_month", "月份", input, "格式应为 2019-12 或 2019年12月");
    let parts: Vec<&str> = s.trim_end_matches('月').split(['-', '/', '.', '年']).collect();
    if parts.len() != 2 {
        return Err(err());
    }
    let y = Year::parse(parts[0]).map_err(|_| err())?.get();
    let m: u32 = parts[1].parse().map_err(|_| err())?;
    if !(1..=12).contains(&m) {
        return Err(err());
    }
    Ok((y, m))
}

/// A date for tests: `d(2019, 12, 31)`.
#[cfg(test)]
pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;
    use proptest::prelude::*;

    #[test]
    fn forms() {
        let d = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
        for s in [
            "2019-12-31",
            "2019/12/31",
            "2019.12.31",
            "2019年12月31日",
            "20191231",
            "２０１９－１２－３１",
        ] {
            assert_eq!(parse_date(s).unwrap(), d, "{s}");
        }
        assert_eq!(parse_date("2019-3-5").unwrap(), NaiveDate::from_ymd_opt(2019, 3, 5).unwrap());
        assert!(parse_date("2019-02-29").unwrap_err().reason.contains("不存在"));
        assert!(parse_date("明天").is_err());
        assert_eq!(parse_month("2019年12月").unwrap(), (2019, 12));
    }

    #[test]
    fn one_year_check_for_every_year() {
        assert_eq!(Year::parse("2019").unwrap().get(), 2019);
        assert_eq!(Year::parse("1949").unwrap().get(), 1949);
        assert_eq!(Year::parse("2100").unwrap().get(), 2100);
        for bad in ["1948", "2101", "19", "02019", "+201", " 2019", "二〇一九", "２０１９", ""] {
            let e = Year::parse(bad).unwrap_err();
            assert_eq!((e.code, e.what), ("invalid_year", "年份"), "{bad}");
        }
        assert_eq!(Year::new(2019).unwrap().to_string(), "2019");
        assert!(Year::new(0).is_err() && Year::new(i64::MAX).is_err());
        // Dates and months use it: the same range everywhere.
        assert!(parse_date("1948-12-31").unwrap_err().reason.contains("1949至2100"));
        assert_eq!(parse_date("1949-10-01").unwrap(), NaiveDate::from_ymd_opt(1949, 10, 1).unwrap());
        assert!(parse_month("2101-01").is_err() && parse_month("1949-10").is_ok());
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            date_from_excel_serial(43830).unwrap(),
            NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()
        );
        assert_eq!(date_from_excel_serial(1).unwrap(), NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
        assert_eq!(date_from_excel_serial(61).unwrap(), NaiveDate::from_ymd_opt(1900, 3, 1).unwrap());
    }

    proptest! {
        #[test]
        fn every_real_date_round_trips(days in 0i64..50_000) {
            let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Duration::days(days);
            prop_assert_eq!(parse_date(&d.to_string()).unwrap(), d);
            let zh = format!("{}年{}月{}日", d.year(), d.month(), d.day());
            prop_assert_eq!(parse_date(&zh).unwrap(), d);
        }

        #[test]
        fn never_panics(s in "\\PC{0,20}") {
            let _ = parse_date(&s);
            let _ = parse_month(&s);
        }
    }
}
