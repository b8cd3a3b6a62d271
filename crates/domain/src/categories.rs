//! 项目类别 as the administrators keep them: a category's key and name, whether its 落地率 is
//! counted, and its landing target per year (a percentage with one decimal, `Pct1`).
//!
//! What counts as landed is, for now, a project of the category's list for the year whose
//! 开工/落地 date (`started_on`) falls within that year (`figures::landing_rate`).

use crate::codes::record_key;
use crate::error::{ParseError, RuleError, checked_text, normalize_input};
use crate::figures::Pct1;

/// A category's key (`prov152`): see [`record_key`].
pub fn category_code(input: &str) -> Result<String, ParseError> {
    record_key(input, "invalid_category_code", "类别代码")
}

/// A category's name: trimmed, not empty, at most 40 characters; unique (imports find
/// categories by name), which the store checks.
pub fn category_name(input: &str) -> Result<String, RuleError> {
    checked_text(
        input,
        40,
        Some(("category_name_empty", "类别名称不能为空")),
        ("category_name_too_long", "类别名称不能超过40个字"),
    )
}

/// A landing target as people write it: `85`, `85.5`, `85%`, `８５．５％`: 0 to 100 with at
/// most one decimal.
pub fn landing_target(input: &str) -> Result<Pct1, ParseError> {
    let s = normalize_input(input).replace('。', ".");
    let s = s.trim_end_matches('%').trim();
    let err = |why: &str| ParseError::new("invalid_target_pct", "落地率目标", input, why);
    let (whole, tenth) = match s.split_once('.') {
        Some((w, t)) => (w, t),
        None => (s, ""),
    };
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !(tenth.is_empty() || digits(tenth)) || whole.len() > 3 {
        return Err(err("应为0到100之间的百分数，最多一位小数，如 85 或 85.5"));
    }
    if tenth.len() > 1 {
        return Err(err("最多一位小数"));
    }
    let tenths = whole.parse::<i64>().unwrap_or(i64::MAX) * 10 + tenth.parse::<i64>().unwrap_or(0);
    if tenths > 1000 {
        return Err(err("不能超过100%"));
    }
    Ok(Pct1::from_tenths(tenths))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_targets() {
        assert_eq!(category_code(" prov152 ").unwrap(), "prov152");
        assert_eq!(category_code("省152").unwrap_err().code, "invalid_category_code");
        assert_eq!(category_name(" 市县长项目 ").unwrap(), "市县长项目");
        assert_eq!(category_name("").unwrap_err().code, "category_name_empty");
        for (text, tenths) in [("85", 850), ("85.5", 855), ("８５．５％", 855), ("100", 1000), ("0", 0), ("7%", 70)] {
            assert_eq!(landing_target(text).unwrap(), Pct1::from_tenths(tenths), "{text}");
        }
        for bad in ["", "abc", "85.55", "100.1", "-5", "1e2", ".5", "1000"] {
            assert_eq!(landing_target(bad).unwrap_err().code, "invalid_target_pct", "{bad}");
        }
    }
}
