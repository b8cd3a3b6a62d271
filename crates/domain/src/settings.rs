//! The district's own settings (区县设置): its name, its division code (the figures read the
//! statistics bureau's FAI series by it), its province's code, and the data date (数据日) the
//! figures and lights are computed at (none: today). The place is checked as `zhantu init`
//! checks it (`setup::DistrictPlace`), so the settings page and the API accept what init does.

use crate::codes::DivisionCode;
use crate::error::{RuleError, normalize_input, refuse};
use crate::setup::DistrictPlace;
use chrono::NaiveDate;
use serde::Serialize;

/// The settings keys, as stored.
pub const DISTRICT_NAME: &str = "district_name";
pub const DISTRICT_DIVISION: &str = "district_division";
pub const PROVINCE_DIVISION: &str = "province_division";
pub const AS_OF: &str = "as_of";

/// The district settings, valid together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DistrictSettings {
    pub district_name: String,
    pub district_division: DivisionCode,
    pub province_division: DivisionCode,
    pub as_of: Option<NaiveDate>,
}

fn parse_error(e: crate::ParseError) -> RuleError {
    RuleError::new(e.code, e.to_string())
}

impl DistrictSettings {
    /// The settings from what a person typed. The place is checked as `zhantu init` checks it
    /// ([`DistrictPlace::parse`]: a Zhejiang code from the shipped list, any valid county code
    /// elsewhere; an empty name is the official one); the province is the code's own, and a
    /// province given must be it. `as_of` may be empty (today).
    pub fn parse(name: &str, division: &str, province: &str, as_of: &str) -> Result<DistrictSettings, RuleError> {
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
        Ok(DistrictSettings {
            district_name: place.name,
            district_division: place.division,
            province_division: place.province,
            as_of,
        })
    }

    /// (key, value) of each setting; `None` for one to remove (an empty data date: today).
    pub fn entries(&self) -> [(&'static str, Option<String>); 4] {
        [
            (DISTRICT_NAME, Some(self.district_name.clone())),
            (DISTRICT_DIVISION, Some(self.district_division.to_string())),
            (PROVINCE_DIVISION, Some(self.province_division.to_string())),
            (AS_OF, self.as_of.map(|d| d.to_string())),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(name: &str, division: &str, province: &str, as_of: &str) -> &'static str {
        DistrictSettings::parse(name, division, province, as_of).unwrap_err().code
    }

    #[test]
    fn the_districts_of_zhejiang_and_elsewhere() {
        let s = DistrictSettings::parse(" 椒江区 ", "331002", "330000", "2019-12-31").unwrap();
        assert_eq!(s.district_name, "椒江区");
        assert_eq!(s.as_of, NaiveDate::from_ymd_opt(2019, 12, 31));
        assert_eq!(s.entries()[3], (AS_OF, Some("2019-12-31".into())));
        // The official name where none is given; the province from the code.
        let official = DistrictSettings::parse("", "331003", "", "").unwrap();
        assert_eq!(
            (official.district_name.as_str(), official.province_division.as_str()),
            ("黄岩区", "330000")
        );
        assert_eq!(official.entries()[3], (AS_OF, None));
        // Another province's county: any well-formed code, with its name.
        let other = DistrictSettings::parse("某县", "410101", "", "").unwrap();
        assert_eq!(other.province_division.as_str(), "410000");
        assert_eq!(code("", "410101", "", ""), "district_name_required");
        assert_eq!(code("椒江区", "33100", "", ""), "invalid_division_code");
        assert_eq!(code("椒江区", "331099", "", ""), "invalid_division_code");
        assert_eq!(code("椒江区", "331002", "320000", ""), "district_outside_province");
        assert_eq!(code("椒江区", "331002", "", "2019-13-01"), "invalid_date");
    }
}
