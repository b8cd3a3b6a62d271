//! The district's own settings (区县设置): its name, its division code (the figures read the
//! statistics bureau's FAI series by it), its province's code, and the data date (数据日) the
//! figures and lights are computed at (none: today), and the prefix of its projects' ids in
//! the OC4IDS export (none: [`crate::oc4ids::DEFAULT_PREFIX`]). The place is checked as `zhantu init`
//! checks it (`setup::DistrictPlace`), so the settings page and the API accept what init does.

use crate::codes::DivisionCode;
use crate::error::{RuleError, normalize_input, refuse};
use crate::money::{Money, MoneyUnit};
use crate::setup::DistrictPlace;
use crate::statistics::Threshold;
use chrono::NaiveDate;
use serde::Serialize;

/// The settings keys, as stored.
pub const DISTRICT_NAME: &str = "district_name";
pub const DISTRICT_DIVISION: &str = "district_division";
pub const PROVINCE_DIVISION: &str = "province_division";
pub const AS_OF: &str = "as_of";
pub use crate::oc4ids::PREFIX_SETTING as OC4IDS_PREFIX;
/// The statistics threshold (入统门槛, `statistics::Threshold`): least total investment in 元,
/// and whether the project must have started (`1`/`0`).
pub const STATISTICS_MIN_TOTAL: &str = "statistics_min_total";
pub const STATISTICS_REQUIRES_START: &str = "statistics_requires_start";
/// The highest threshold accepted: 10亿元 (the bureau's own is 500万元; a larger one is a typo).
pub const MAX_STATISTICS_MIN_TOTAL: Money = Money::from_wan(100_000);

/// The district settings, valid together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictSettings {
    pub district_name: String,
    pub district_division: DivisionCode,
    pub province_division: DivisionCode,
    pub as_of: Option<NaiveDate>,
    /// The OC4IDS project-id prefix the district registered (`oc4ids-xxxxxx`); none: the default.
    pub oc4ids_prefix: Option<String>,
    /// The statistics threshold; none: the domain's default (500万元, started).
    pub statistics: Option<Threshold>,
}

fn parse_error(e: crate::ParseError) -> RuleError {
    RuleError::new(e.code, e.to_string())
}

impl DistrictSettings {
    /// The settings from what a person typed. The place is checked as `zhantu init` checks it
    /// ([`DistrictPlace::parse`]: a Zhejiang code from the shipped list, any valid county code
    /// elsewhere; an empty name is the official one); the province is the code's own, and a
    /// province given must be it. `as_of` may be empty (today), and so may the OC4IDS prefix
    /// (the default), else it is one as registered ([`crate::oc4ids::parse_prefix`]).
    pub fn parse(name: &str, division: &str, province: &str, as_of: &str, prefix: &str) -> Result<DistrictSettings, RuleError> {
        let place = DistrictPlace::parse(division, Some(name)).map_err(parse_error)?;
        match normalize_input(province).as_str() {
            "" => {}
            p if p == place.province.as_str() => {}
            p => {
                return refuse(
                    "district_outside_province",
                    format!("区县代码 {} 不属于省级代码 {p}（应为 {}）", place.division, place.province),
                );
            }
        }
        let as_of = match normalize_input(as_of).as_str() {
            "" => None,
            d => Some(crate::parse_date(d).map_err(parse_error)?),
        };
        let oc4ids_prefix = match normalize_input(prefix).as_str() {
            "" => None,
            p => Some(crate::oc4ids::parse_prefix(p).map_err(parse_error)?),
        };
        Ok(DistrictSettings {
            district_name: place.name,
            district_division: place.division,
            province_division: place.province,
            as_of,
            oc4ids_prefix,
            statistics: None,
        })
    }

    /// The same settings with the statistics threshold given (none: the default).
    pub fn with_statistics(self, statistics: Option<Threshold>) -> DistrictSettings {
        DistrictSettings { statistics, ..self }
    }

    /// (key, value) of each setting; `None` for one to remove (an empty data date: today).
    pub fn entries(&self) -> [(&'static str, Option<String>); 7] {
        [
            (DISTRICT_NAME, Some(self.district_name.clone())),
            (DISTRICT_DIVISION, Some(self.district_division.to_string())),
            (PROVINCE_DIVISION, Some(self.province_division.to_string())),
            (AS_OF, self.as_of.map(|d| d.to_string())),
            (OC4IDS_PREFIX, self.oc4ids_prefix.clone()),
            (STATISTICS_MIN_TOTAL, self.statistics.map(|t| t.min_total.yuan().to_string())),
            (
                STATISTICS_REQUIRES_START,
                self.statistics.map(|t| if t.requires_start { "1" } else { "0" }.to_string()),
            ),
        ]
    }
}

/// The statistics threshold from what a person typed: the least total investment in 万元
/// (exact, `500` or `500万元`; more than 0 and at most [`MAX_STATISTICS_MIN_TOTAL`]), and
/// whether the project must have started (`1`/`0`, `true`/`false`, `是`/`否`; empty: yes).
/// Both empty: none, the default.
pub fn parse_statistics_threshold(min_total: &str, requires_start: &str) -> Result<Option<Threshold>, RuleError> {
    let (min_total, requires_start) = (normalize_input(min_total), normalize_input(requires_start));
    if min_total.is_empty() && requires_start.is_empty() {
        return Ok(None);
    }
    let min_total = if min_total.is_empty() {
        Threshold::default().min_total
    } else {
        match Money::parse(&min_total, MoneyUnit::Wan) {
            Ok(m) if m.yuan() > 0 && m <= MAX_STATISTICS_MIN_TOTAL => m,
            _ => {
                return refuse(
                    "statistics_min_total_invalid",
                    format!(
                        "入统门槛应为大于0、不超过{}的金额（万元）：{min_total}",
                        MAX_STATISTICS_MIN_TOTAL.display_wan()
                    ),
                );
            }
        }
    };
    let requires_start = match requires_start.as_str() {
        "" | "1" | "true" | "是" => true,
        "0" | "false" | "否" => false,
        other => return refuse("statistics_requires_start_invalid", format!("是否须已开工应为“是”或“否”：{other}")),
    };
    Ok(Some(Threshold { min_total, requires_start }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(name: &str, division: &str, province: &str, as_of: &str) -> &'static str {
        DistrictSettings::parse(name, division, province, as_of, "").unwrap_err().code
    }

    #[test]
    fn the_districts_of_zhejiang_and_elsewhere() {
        let s = DistrictSettings::parse(" 椒江区 ", "331002", "330000", "2019-12-31", "").unwrap();
        assert_eq!(s.district_name, "椒江区");
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2019, 12, 31));
        assert_eq!(s.entries()[3], (AS_OF, Some("2019-12-31".into())));
        // The official name where none is given; the province from the code.
        let official = DistrictSettings::parse("", "331003", "", "", "").unwrap();
        assert_eq!(
            (official.district_name.as_str(), official.province_division.as_str()),
            ("黄岩区", "330000")
        );
        assert_eq!(official.entries()[3], (AS_OF, None));
        // Another province's county: any well-formed code, with its name.
        let other = DistrictSettings::parse("某县", "410101", "", "", "").unwrap();
        assert_eq!(other.province_division.as_str(), "410000");
        assert_eq!(code("", "410101", "", ""), "district_name_required");
        assert_eq!(code("椒江区", "33100", "", ""), "invalid_division_code");
        assert_eq!(code("椒江区", "331099", "", ""), "invalid_division_code");
        assert_eq!(code("椒江区", "331002", "320000", ""), "district_outside_province");
        assert_eq!(code("椒江区", "331002", "", "2019-13-01"), "invalid_date");
    }

    #[test]
    fn the_oc4ids_prefix_is_optional_and_as_registered() {
        let s = DistrictSettings::parse("椒江区", "331002", "", "", " OC4IDS-JJ2019 ").unwrap();
        assert_eq!(s.oc4ids_prefix.as_deref(), Some("oc4ids-jj2019"));
        assert_eq!(s.entries()[4], (OC4IDS_PREFIX, Some("oc4ids-jj2019".into())));
        let none = DistrictSettings::parse("椒江区", "331002", "", "", "").unwrap();
        assert_eq!(none.entries()[4], (OC4IDS_PREFIX, None));
        let e = DistrictSettings::parse("椒江区", "331002", "", "", "ocds-abc").unwrap_err();
        assert_eq!(e.code, "invalid_oc4ids_prefix");
    }

    #[test]
    fn the_statistics_threshold_is_typed_in_wan_exactly() {
        let t = parse_statistics_threshold("1000", "否").unwrap().unwrap();
        assert_eq!((t.min_total, t.requires_start), (Money::from_wan(1000), false));
        assert_eq!(
            parse_statistics_threshold(" 500.5万元 ", "").unwrap().unwrap().min_total.yuan(),
            5_005_000
        );
        assert_eq!(parse_statistics_threshold("", "").unwrap(), None);
        assert_eq!(
            parse_statistics_threshold("", "0").unwrap().unwrap().min_total,
            Money::from_wan(500)
        );
        let code = |m: &str, r: &str| parse_statistics_threshold(m, r).unwrap_err().code;
        assert_eq!(code("0", ""), "statistics_min_total_invalid");
        assert_eq!(code("-5", ""), "statistics_min_total_invalid");
        assert_eq!(code("100001", ""), "statistics_min_total_invalid");
        assert_eq!(code("0.00001", ""), "statistics_min_total_invalid");
        assert_eq!(code("五百", ""), "statistics_min_total_invalid");
        assert_eq!(code("500", "maybe"), "statistics_requires_start_invalid");
        let s = DistrictSettings::parse("椒江区", "331002", "", "", "")
            .unwrap()
            .with_statistics(Some(t));
        assert_eq!(s.entries()[5], (STATISTICS_MIN_TOTAL, Some("10000000".into())));
        assert_eq!(s.entries()[6], (STATISTICS_REQUIRES_START, Some("0".into())));
    }
}
