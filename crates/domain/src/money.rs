//! Exact money and land area. Money is stored as whole 元 in an `i64` (never a float) and
//! shown in 万元 or 亿元; land is stored in hundredths of a 亩.

use crate::error::{ParseError, normalize_input};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The unit a bare number is in, when the input does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoneyUnit {
    /// 元
    Yuan,
    /// 万元 — the unit of almost every project table.
    Wan,
    /// 亿元
    Yi,
}

impl MoneyUnit {
    /// Number of decimal places that turns this unit into 元.
    fn scale(self) -> u32 {
        match self {
            MoneyUnit::Yuan => 0,
            MoneyUnit::Wan => 4,
            MoneyUnit::Yi => 8,
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::Wan => "万元",
            MoneyUnit::Yi => "亿元",
        }
    }
}

/// An exact amount of money in 元 (人民币). 金额.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(i64);

const WHAT_MONEY: &str = "金额";

impl Money {
    pub const ZERO: Money = Money(0);
    /// The largest amount one value may hold: 10万亿元 (1,000,000,000万元), above any project,
    /// month or a province's cumulative fixed-asset investment, and small enough that sums of
    /// over 900,000 such values still fit in an `i64` (and sums saturate beyond).
    pub const MAX: Money = Money(10_000_000_000_000);

    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan)
    }
    pub const fn from_wan(wan: i64) -> Money {
        Money(wan * 10_000)
    }
    pub const fn yuan(self) -> i64 {
        self.0
    }
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Parses an amount such as `1,234.56万元`, `3.5亿`, `12345元`, `１２３４` (full-width) or
    /// `-20`. A bare number is read in `default_unit`. The result must be a whole number of
    /// 元: `0.00001万元` is refused, not rounded.
    pub fn parse(input: &str, default_unit: MoneyUnit) -> Result<Money, ParseError> {
        let s = normalize_input(input);
        let err = |reason: &str| ParseError::new("invalid_money", WHAT_MONEY, input, reason);
        if s.is_empty() {
            return Err(err("不能为空"));
        }
        let s: String = s.chars().filter(|c| *c != ',' && *c != ' ' && *c != '，').collect();
        let (number, unit) = if let Some(n) = s.strip_suffix("亿元").or_else(|| s.strip_suffix('亿')) {
            (n, MoneyUnit::Yi)
        } else if let Some(n) = s.strip_suffix("万元").or_else(|| s.strip_suffix('万')) {
            (n, MoneyUnit::Wan)
        } else if let Some(n) = s.strip_suffix('元') {
            (n, MoneyUnit::Yuan)
        } else {
            (s.as_str(), default_unit)
        };
        let yuan = parse_scaled(number, unit.scale()).map_err(|r| err(&r))?;
        if yuan.unsigned_abs() > Money::MAX.0.unsigned_abs() {
            return Err(err("超出上限：金额的绝对值不能超过10万亿元（1000000000万元）"));
        }
        Ok(Money(yuan))
    }

    /// The exact amount in 万元 as decimal text with no trailing zeros: `3635000`, `12.5`,
    /// `-0.0001`. Used where a machine reads the number (JSON, spreadsheets).
    pub fn wan_exact(self) -> String {
        format_scaled(self.0, 4, false)
    }

    /// For people: `1,234.56万元` (rounded half away from zero to two decimals).
    pub fn display_wan(self) -> String {
        format!("{}万元", group_thousands(&format_rounded(self.0, 4, 2)))
    }

    /// For people: `363.50亿元`.
    pub fn display_yi(self) -> String {
        format!("{}亿元", group_thousands(&format_rounded(self.0, 8, 2)))
    }

    /// 万元 below one 亿, 亿元 from there on: what a report headline uses.
    pub fn display_auto(self) -> String {
        if self.0.unsigned_abs() >= 100_000_000 {
            self.display_yi()
        } else {
            self.display_wan()
        }
    }
}

/// Sums saturate instead of overflowing: a stored amount from before the upper bound can
/// make a total wrong, never take a page down.
impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.fold(0i64, |a, m| a.saturating_add(m.0)))
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.saturating_add(rhs.0))
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.saturating_sub(rhs.0))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_wan())
    }
}

/// A land area in hundredths of a 亩 (mu). 用地面积.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LandArea(i64);

impl LandArea {
    pub const fn from_centi_mu(v: i64) -> LandArea {
        LandArea(v)
    }
    pub const fn from_mu(v: i64) -> LandArea {
        LandArea(v * 100)
    }
    pub const fn centi_mu(self) -> i64 {
        self.0
    }
    /// Parses `485`, `12.35亩`, `１２亩`. At most two decimals.
    pub fn parse(input: &str) -> Result<LandArea, ParseError> {
        let s = normalize_input(input);
        let s = s.strip_suffix('亩').unwrap_or(&s).trim();
        if s.is_empty() {
            return Err(ParseError::new("invalid_land_area", "用地面积", input, "不能为空"));
        }
        parse_scaled(s, 2)
            .map(LandArea)
            .map_err(|r| ParseError::new("invalid_land_area", "用地面积", input, r))
    }
    /// Exact decimal 亩 for machines: `485`, `12.35`.
    pub fn mu_exact(self) -> String {
        format_scaled(self.0, 2, false)
    }
}

impl fmt::Display for LandArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}亩", self.mu_exact())
    }
}

impl std::iter::Sum for LandArea {
    fn sum<I: Iterator<Item = LandArea>>(iter: I) -> LandArea {
        LandArea(iter.fold(0i64, |a, m| a.saturating_add(m.0)))
    }
}

/// Parses a decimal number and multiplies it by 10^scale exactly. Errors are Chinese reasons.
fn parse_scaled(s: &str, scale: u32) -> Result<i64, String> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int_part.is_empty() && frac_part.is_empty() {
        return Err("不是数字".into());
    }
    if !int_part.chars().all(|c| c.is_ascii_digit()) || !frac_part.chars().all(|c| c.is_ascii_digit()) {
        return Err("不是数字".into());
    }
    let frac_trimmed = frac_part.trim_end_matches('0');
    if frac_trimmed.len() as u32 > scale {
        return Err(if scale == 0 {
            "金额最小单位为元，不能有小数".into()
        } else {
            format!("小数位数过多（最多{}位）", scale)
        });
    }
    let mut value: i64 = 0;
    let too_big = || "数值过大".to_string();
    for c in int_part.chars() {
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(c as i64 - '0' as i64))
            .ok_or_else(too_big)?;
    }
    for i in 0..scale {
        let d = frac_trimmed.as_bytes().get(i as usize).map(|b| (b - b'0') as i64).unwrap_or(0);
        value = value.checked_mul(10).and_then(|v| v.checked_add(d)).ok_or_else(too_big)?;
    }
    Ok(if negative { -value } else { value })
}

/// `value / 10^scale` as exact decimal text; trailing zeros dropped unless `keep`.
fn format_scaled(value: i64, scale: u32, keep: bool) -> String {
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let div = 10u64.pow(scale);
    let int = abs / div;
    let frac = abs % div;
    if scale == 0 || (frac == 0 && !keep) {
        return format!("{sign}{int}");
    }
    let mut frac_s = format!("{:0width$}", frac, width = scale as usize);
    if !keep {
        while frac_s.ends_with('0') {
            frac_s.pop();
        }
    }
    format!("{sign}{int}.{frac_s}")
}

/// `value / 10^scale` rounded half away from zero to `places` decimals.
fn format_rounded(value: i64, scale: u32, places: u32) -> String {
    let drop = scale - places;
    let div = 10i128.pow(drop);
    let v = value as i128;
    let half = div / 2;
    let rounded = if v >= 0 { (v + half) / div } else { (v - half) / div };
    format_scaled(rounded as i64, places, true)
}

/// `1234567.89` → `1,234,567.89` (the grouping Chinese reports use).
fn group_thousands(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_common_forms() {
        assert_eq!(Money::parse("1,234.56万元", MoneyUnit::Yuan).unwrap().yuan(), 12_345_600);
        assert_eq!(Money::parse("3.5亿", MoneyUnit::Yuan).unwrap().yuan(), 350_000_000);
        assert_eq!(Money::parse("12345元", MoneyUnit::Wan).unwrap().yuan(), 12_345);
        assert_eq!(Money::parse("１２３４", MoneyUnit::Wan).unwrap().yuan(), 12_340_000);
        assert_eq!(Money::parse(" 363.5 亿元 ", MoneyUnit::Wan).unwrap(), Money::from_wan(3_635_000));
        assert_eq!(Money::parse("-20", MoneyUnit::Wan).unwrap().yuan(), -200_000);
    }

    #[test]
    fn amounts_past_the_upper_bound_are_refused_and_sums_never_overflow() {
        let e = Money::parse("922337203685477.5807", MoneyUnit::Wan).unwrap_err();
        assert_eq!(e.code, "invalid_money");
        assert!(e.reason.contains("10万亿元"), "{e}");
        assert!(Money::parse("1000000001万元", MoneyUnit::Wan).is_err());
        assert!(Money::parse("-100000.0001亿", MoneyUnit::Wan).is_err());
        assert_eq!(Money::parse("100000亿元", MoneyUnit::Wan).unwrap(), Money::MAX);
        let huge = Money::from_yuan(i64::MAX);
        assert_eq!([huge, huge, Money::from_yuan(1)].into_iter().sum::<Money>(), huge);
        assert_eq!(huge + huge, huge);
        assert_eq!(Money::from_yuan(i64::MIN) - huge, Money::from_yuan(i64::MIN));
        assert_eq!(
            [LandArea::from_centi_mu(i64::MAX); 2].into_iter().sum::<LandArea>(),
            LandArea::from_centi_mu(i64::MAX)
        );
    }

    #[test]
    fn refuses_what_is_not_exact() {
        let e = Money::parse("0.00001万元", MoneyUnit::Yuan).unwrap_err();
        assert_eq!(e.code, "invalid_money");
        assert!(e.reason.contains("小数位数过多"), "{e}");
        assert!(Money::parse("12.5元", MoneyUnit::Yuan).unwrap_err().reason.contains("元"));
        assert!(Money::parse("abc", MoneyUnit::Wan).is_err());
        assert!(Money::parse("", MoneyUnit::Wan).is_err());
        assert!(Money::parse("99999999999999999999", MoneyUnit::Wan).is_err());
    }

    #[test]
    fn displays_in_chinese_units() {
        assert_eq!(Money::from_wan(3_635_000).display_yi(), "363.50亿元");
        assert_eq!(Money::from_yuan(12_345_678).display_wan(), "1,234.57万元");
        assert_eq!(Money::from_yuan(-5_000).display_wan(), "-0.50万元");
        assert_eq!(Money::from_wan(941_000).wan_exact(), "941000");
        assert_eq!(Money::from_yuan(12_345).wan_exact(), "1.2345");
        assert_eq!(Money::from_wan(2_000).display_auto(), "2,000.00万元");
        assert_eq!(Money::from_wan(20_000).display_auto(), "2.00亿元");
    }

    #[test]
    fn land_area() {
        assert_eq!(LandArea::parse("485亩").unwrap(), LandArea::from_mu(485));
        assert_eq!(LandArea::parse("12.35").unwrap().centi_mu(), 1235);
        assert_eq!(LandArea::from_centi_mu(1230).to_string(), "12.3亩");
        assert!(LandArea::parse("1.234").is_err());
    }

    proptest! {
        #[test]
        fn wan_text_round_trips(yuan in -1_000_000_000_000i64..=1_000_000_000_000i64) {
            let m = Money::from_yuan(yuan);
            prop_assert_eq!(Money::parse(&m.wan_exact(), MoneyUnit::Wan).unwrap(), m);
            prop_assert_eq!(Money::parse(&format!("{}万元", m.wan_exact()), MoneyUnit::Yuan).unwrap(), m);
            prop_assert_eq!(Money::parse(&yuan.to_string(), MoneyUnit::Yuan).unwrap(), m);
        }

        #[test]
        fn display_wan_is_within_half_a_cent_of_a_wan(yuan in -1_000_000_000_000i64..=1_000_000_000_000i64) {
            let shown = Money::from_yuan(yuan).display_wan();
            let back = Money::parse(&shown, MoneyUnit::Yuan).unwrap();
            prop_assert!((back.yuan() - yuan).abs() <= 50, "{} -> {}", yuan, shown);
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = Money::parse(&s, MoneyUnit::Wan);
            let _ = LandArea::parse(&s);
        }
    }
}
