//! National identifiers: the investment project code (投资项目统一代码), the unified social
//! credit code (统一社会信用代码, GB 32100-2015) and the administrative division code
//! (行政区划代码, GB/T 2260 and the statistics bureau's 9/12-digit extension).

use crate::error::{ParseError, normalize_input};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The conversions every code shares: its text (`as_str`, `Display`, into `String`), and
/// serde's way in, which goes through `parse` like every other.
macro_rules! text_code {
    ($name:ident) => {
        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(s: String) -> Result<Self, ParseError> {
                $name::parse(&s)
            }
        }
        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

/// Which generation of the national project code a value belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectCodeGeneration {
    /// Codes issued by the online approval platform before the 2020 rules:
    /// `YYYY-AAAAAA-II-TT-NNNNNN`, often with a `-NNN` sub-project suffix
    /// (e.g. `2018-331121-48-01-079437-000`).
    Pre2020,
    /// GB/T 40058-2021: 24 characters, `YYMM-AAAAAA-BB-TT-NNNNNN` (month of issue, division,
    /// central business department, project type, serial ending in a check character).
    /// The check algorithm is not public, so only the shape is checked.
    Gb40058,
}

/// 投资项目统一代码. Optional on a project until it is registered (赋码); when given, its
/// shape is checked here and nowhere else.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ProjectCode(String);

const WHAT_PROJECT_CODE: &str = "项目代码";

impl ProjectCode {
    pub fn parse(input: &str) -> Result<ProjectCode, ParseError> {
        let s = normalize_input(input).to_ascii_uppercase().replace(['—', '–', '－'], "-");
        let err = |r: &str| ParseError::new("invalid_project_code", WHAT_PROJECT_CODE, input, r);
        let parts: Vec<&str> = s.split('-').collect();
        let shape = "格式应为“年份-区划代码-行业/部门-类型-流水号”，如 2019-331002-04-01-123456";
        if parts.len() != 5 && parts.len() != 6 {
            return Err(err(shape));
        }
        let widths = [4usize, 6, 2, 2, 6, 3];
        for (p, w) in parts.iter().zip(widths) {
            if p.len() != w {
                return Err(err(shape));
            }
        }
        if !parts[..4].iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
            return Err(err("前四段只能是数字"));
        }
        if !parts[4].chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(err("流水号只能是数字或大写字母"));
        }
        if parts.len() == 6 && !parts[5].chars().all(|c| c.is_ascii_digit()) {
            return Err(err("子项目号只能是数字"));
        }
        if !parts[1].starts_with(|c: char| ('1'..='9').contains(&c)) {
            return Err(err("区划代码无效"));
        }
        let code = ProjectCode(s.clone());
        if code.generation().is_none() {
            return Err(err("年份或年月无效"));
        }
        if parts.len() == 6 && code.generation() != Some(ProjectCodeGeneration::Pre2020) {
            return Err(err("2020年后的代码没有子项目号段"));
        }
        Ok(code)
    }

    /// Tells the generation from the leading time segment: a year up to 2020 is the old
    /// code; a YYMM from 2020-09 on is GB/T 40058.
    pub fn generation(&self) -> Option<ProjectCodeGeneration> {
        let head: u32 = self.0.get(..4)?.parse().ok()?;
        if (1990..=2020).contains(&head) {
            return Some(ProjectCodeGeneration::Pre2020);
        }
        let (yy, mm) = (head / 100, head % 100);
        if (20..=99).contains(&yy) && (1..=12).contains(&mm) && head >= 2009 {
            return Some(ProjectCodeGeneration::Gb40058);
        }
        None
    }

    /// The division code segment (the county where the project was registered).
    pub fn division(&self) -> &str {
        &self.0[5..11]
    }
}

text_code!(ProjectCode);

/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-letter alphabet, the last one a
/// check character over the first 17.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// The code's alphabet: digits and capitals without I, O, S, V, Z.
const CREDIT_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

impl CreditCode {
    pub fn parse(input: &str) -> Result<CreditCode, ParseError> {
        let s = normalize_input(input).to_ascii_uppercase();
        let err = |r: String| ParseError::new("invalid_credit_code", "统一社会信用代码", input, r);
        if s.chars().count() != 18 {
            return Err(err(format!("应为18位，实际为{}位", s.chars().count())));
        }
        for (i, c) in s.chars().enumerate() {
            if !CREDIT_ALPHABET.contains(&(c as u32 as u8)) || !c.is_ascii() {
                return Err(err(format!("第{}位“{}”不是允许的字符（不含I、O、S、V、Z）", i + 1, c)));
            }
        }
        let expected = Self::check_char(&s[..17]).expect("alphabet checked above");
        let actual = s.as_bytes()[17] as char;
        if expected != actual {
            return Err(err(format!("校验位应为“{expected}”，实际为“{actual}”")));
        }
        Ok(CreditCode(s))
    }

    /// The check character for the first 17 characters, or `None` if one is outside the
    /// alphabet. Public so that test data and the demo generator can make valid codes.
    pub fn check_char(first17: &str) -> Option<char> {
        if first17.len() != 17 {
            return None;
        }
        let mut sum = 0u32;
        for (b, w) in first17.bytes().zip(CREDIT_WEIGHTS) {
            let v = CREDIT_ALPHABET.iter().position(|a| *a == b)? as u32;
            sum += v * w;
        }
        let check = (31 - sum % 31) % 31;
        Some(CREDIT_ALPHABET[check as usize] as char)
    }

    /// The registering county's division code (characters 3–8).
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }
}

text_code!(CreditCode);

/// 行政区划代码: 6 digits (province/prefecture/county, GB/T 2260), 9 digits (township,
/// statistics bureau) or 12 digits (village).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DivisionCode(String);

impl DivisionCode {
    pub fn parse(input: &str) -> Result<DivisionCode, ParseError> {
        let s = normalize_input(input);
        let err = |r: &str| ParseError::new("invalid_division_code", "行政区划代码", input, r);
        if !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(err("只能是数字"));
        }
        if ![6, 9, 12].contains(&s.len()) {
            return Err(err("应为6位（县级及以上）、9位（乡镇街道）或12位（村社区）"));
        }
        let province: u32 = s[..2].parse().expect("digits");
        if !(11..=82).contains(&province) {
            return Err(err("前两位不是有效的省级代码"));
        }
        Ok(DivisionCode(s))
    }
    /// The county-level code (first six digits).
    pub fn county(&self) -> &str {
        &self.0[..6]
    }
    /// True when `self` lies inside `other` (or is it).
    pub fn is_within(&self, other: &DivisionCode) -> bool {
        let trimmed = other.0.trim_end_matches("00");
        self.0.starts_with(trimmed)
    }
}

text_code!(DivisionCode);

/// The key of a record of the district's own configuration (a project type `industrial`, a
/// category `prov152`): a lower-case letter, then lower-case letters, digits or `_`, at most
/// 32 in all. Keys appear in links and files, so they stay plain ASCII; people read the name.
pub fn record_key(input: &str, code: &'static str, what: &'static str) -> Result<String, ParseError> {
    let s = normalize_input(input);
    let ok = s.len() <= 32
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(ParseError::new(
            code,
            what,
            input,
            "应以小写字母开头，只含小写字母、数字和下划线，最多32位，如 industrial",
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn project_codes_of_both_generations() {
        let old = ProjectCode::parse("2018-331121-48-01-079437-000").unwrap();
        assert_eq!(old.generation(), Some(ProjectCodeGeneration::Pre2020));
        assert_eq!(old.division(), "331121");
        let old = ProjectCode::parse("2019-331002-04-01-123456").unwrap();
        assert_eq!(old.generation(), Some(ProjectCodeGeneration::Pre2020));
        let new = ProjectCode::parse("2106-331002-04-01-45186X").unwrap();
        assert_eq!(new.generation(), Some(ProjectCodeGeneration::Gb40058));
        assert_eq!(new.as_str().len(), 24);
        // Full-width digits and dashes pasted from a Word document.
        assert!(ProjectCode::parse("２０１９－３３１００２－０４－０１－１２３４５６").is_ok());
    }

    #[test]
    fn project_code_errors_are_chinese() {
        let e = ProjectCode::parse("2019-331002-04-01").unwrap_err();
        assert!(e.to_string().contains("项目代码"), "{e}");
        assert!(ProjectCode::parse("2113-331002-04-01-123456").is_err(), "month 13");
        assert!(ProjectCode::parse("2106-331002-04-01-123456-000").is_err());
        assert!(ProjectCode::parse("2019-031002-04-01-123456").is_err());
    }

    #[test]
    fn credit_code_check_character() {
        // Check characters computed by hand from GB 32100-2015's weights.
        let first17 = "91331002MA2ABCDE1";
        let c = CreditCode::check_char(first17).unwrap();
        let full = format!("{first17}{c}");
        assert_eq!(CreditCode::parse(&full).unwrap().division(), "331002");
        let wrong = if c == '0' { '1' } else { '0' };
        let e = CreditCode::parse(&format!("{first17}{wrong}")).unwrap_err();
        assert!(e.reason.contains("校验位"), "{e}");
        assert!(
            CreditCode::parse("91331002MA2ABCDEI0")
                .unwrap_err()
                .reason
                .contains("不是允许的字符")
        );
        assert!(CreditCode::parse("123").unwrap_err().reason.contains("18位"));
    }

    #[test]
    fn division_codes() {
        let d = DivisionCode::parse("331002001").unwrap();
        assert_eq!(d.county(), "331002");
        assert!(d.is_within(&DivisionCode::parse("331002").unwrap()));
        assert!(d.is_within(&DivisionCode::parse("331000").unwrap()));
        assert!(!d.is_within(&DivisionCode::parse("331003").unwrap()));
        assert!(DivisionCode::parse("3310").is_err());
        assert!(DivisionCode::parse("991002").is_err());
    }

    fn credit_body() -> impl Strategy<Value = String> {
        proptest::collection::vec(0usize..31, 17).prop_map(|v| v.into_iter().map(|i| CREDIT_ALPHABET[i] as char).collect())
    }

    proptest! {
        #[test]
        fn every_body_with_its_check_char_parses(body in credit_body()) {
            let c = CreditCode::check_char(&body).unwrap();
            let code = format!("{body}{c}");
            let parsed = CreditCode::parse(&code.to_lowercase()).unwrap();
            prop_assert_eq!(parsed.as_str(), code.as_str());
        }

        #[test]
        fn one_changed_character_is_caught(body in credit_body(), pos in 0usize..17, delta in 1usize..31) {
            let c = CreditCode::check_char(&body).unwrap();
            let mut chars: Vec<u8> = format!("{body}{c}").into_bytes();
            let i = CREDIT_ALPHABET.iter().position(|a| *a == chars[pos]).unwrap();
            chars[pos] = CREDIT_ALPHABET[(i + delta) % 31];
            // Weights are coprime with 31, so a single substitution always changes the check.
            prop_assert!(CreditCode::parse(std::str::from_utf8(&chars).unwrap()).is_err());
        }

        #[test]
        fn generated_project_codes_parse(year in 1995u32..=2020, div in 110000u32..820000, ind in 0u32..100, ty in 0u32..100, serial in 0u32..1_000_000) {
            let s = format!("{year}-{div:06}-{ind:02}-{ty:02}-{serial:06}");
            let code = ProjectCode::parse(&s).unwrap();
            prop_assert_eq!(code.generation(), Some(ProjectCodeGeneration::Pre2020));
            prop_assert_eq!(code.as_str(), s.as_str());
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,30}") {
            let _ = ProjectCode::parse(&s);
            let _ = CreditCode::parse(&s);
            let _ = DivisionCode::parse(&s);
        }
    }
}
