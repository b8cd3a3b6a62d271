//! The district's own settings (区县设置): its name, its division code (the figures read the
//! statistics bureau's FAI series by it), its province's code, and the data date (数据日) the
//! figures and lights are computed at (none: today). Checked here, once, for the settings
//! page, the API and `zhantu init`.

use crate::codes::DivisionCode;
use crate::error::{RuleError, normalize_input, refuse};
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
    pub province_division: Option<DivisionCode>,
    pub as_of: Option<NaiveDate>,
}

fn parse_error(e: crate::ParseError) -> RuleError {
    RuleError::new(e.code, e.to_string())
}

/// A district's division code: six digits of a county-level division. A Zhejiang code
/// (33…) must be one of the shipped county codes (`reference::divisions`); a code of another
/// province need only be well formed.
pub fn district_division(input: &str) -> Result<DivisionCode, RuleError> {
    let code = DivisionCode::parse(input).map_err(parse_error)?;
    if code.as_str().len() != 6 {
        return refuse("district_division_not_county", "区县的行政区划代码应为6位，如 331002");
    }
    if code.as_str().ends_with("00") {
        return refuse("district_division_not_county", format!("{code} 是省或地市的代码，不是区县的代码"));
    }
    if code.as_str().starts_with("33") && !crate::reference::divisions().any(|r| r.code == code.as_str() && r.level == "county") {
        return refuse("district_division_unknown", format!("{code} 不在浙江省的区县代码表中，请核对"));
    }
    Ok(code)
}

impl DistrictSettings {
    /// The settings from what a person typed: `province` and `as_of` may be empty.
    pub fn parse(name: &str, division: &str, province: &str, as_of: &str) -> Result<DistrictSettings, RuleError> {
        let district_name = name.trim().to_string();
        if district_name.is_empty() {
            return refuse("district_name_empty", "区县名称不能为空");
        }
        if district_name.chars().count() > 40 {
            return refuse("district_name_too_long", "区县名称不能超过40个字");
        }
        let district_division = district_division(division)?;
        let province_division = match normalize_input(province).as_str() {
            "" => None,
            p => {
                let code = DivisionCode::parse(p).map_err(parse_error)?;
                if code.as_str().len() != 6 || !code.as_str().ends_with("0000") {
                    return refuse("province_division_invalid", "省级行政区划代码应为6位且以0000结尾，如 330000");
                }
                if !district_division.is_within(&code) {
                    return refuse(
                        "district_outside_province",
                        format!("区县代码 {district_division} 不属于省级代码 {code}"),
                    );
                }
                Some(code)
            }
        };
        let as_of = match normalize_input(as_of).as_str() {
            "" => None,
            d => Some(crate::parse_date(d).map_err(parse_error)?),
        };
        Ok(DistrictSettings {
            district_name,
            district_division,
            province_division,
            as_of,
        })
    }

    /// (key, value) of each setting; `None` for one to remove (an empty data date: today).
    pub fn entries(&self) -> [(&'static str, Option<String>); 4] {
        [
            (DISTRICT_NAME, Some(self.district_name.clone())),
            (DISTRICT_DIVISION, Some(self.district_division.to_string())),
            (PROVINCE_DIVISION, self.province_division.as_ref().map(|c| c.to_string())),
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
        // Another province's county: any well-formed code.
        let other = DistrictSettings::parse("某县", "410101", "", "").unwrap();
        assert_eq!((&other.province_division, other.as_of), (&None, None));
        assert_eq!(other.entries()[3], (AS_OF, None));
        assert_eq!(code("", "331002", "", ""), "district_name_empty");
        assert_eq!(code("椒江区", "33100", "", ""), "invalid_division_code");
        assert_eq!(code("椒江区", "331000", "", ""), "district_division_not_county");
        assert_eq!(code("椒江区", "331002001", "", ""), "district_division_not_county");
        assert_eq!(code("椒江区", "331099", "", ""), "district_division_unknown");
        assert_eq!(code("椒江区", "331002", "331000", ""), "province_division_invalid");
        assert_eq!(code("椒江区", "331002", "320000", ""), "district_outside_province");
        assert_eq!(code("椒江区", "331002", "", "2019-13-01"), "invalid_date");
    }
}
