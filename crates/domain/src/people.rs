//! 人员 and 包干领导 as the administrators keep them: a person's name, title and phone, parsed
//! once here for the pages, the API and imports alike.

use crate::error::{ParseError, RuleError, checked_text, normalize_input};

/// A person's name: trimmed, not empty, at most 40 characters.
pub fn person_name(input: &str) -> Result<String, RuleError> {
    checked_text(
        input,
        40,
        Some(("person_name_empty", "姓名不能为空")),
        ("person_name_too_long", "姓名不能超过40个字"),
    )
}

/// A title (职务): optional, at most 60 characters.
pub fn person_title(input: &str) -> Result<String, RuleError> {
    checked_text(input, 60, None, ("person_title_too_long", "职务不能超过60个字"))
}

/// A phone number: optional; digits with `+`, `-`, spaces or brackets, 3 to 20 digits
/// (a landline extension, a mobile, `0576-88888888`).
pub fn phone(input: &str) -> Result<String, ParseError> {
    let s = normalize_input(input);
    if s.is_empty() {
        return Ok(s);
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let allowed = s.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')'));
    if !allowed || !(3..=20).contains(&digits) || s.len() > 30 {
        return Err(ParseError::new(
            "invalid_phone",
            "联系电话",
            input,
            "应为3到20位数字，可含 +、-、空格和括号，如 0576-88888888 或 13800000000",
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_titles_and_phones() {
        assert_eq!(person_name(" 王伟 ").unwrap(), "王伟");
        assert_eq!(person_name("").unwrap_err().code, "person_name_empty");
        assert_eq!(person_title(&"职".repeat(61)).unwrap_err().code, "person_title_too_long");
        assert_eq!(phone("０５７６-８８８８８８８８").unwrap(), "0576-88888888");
        assert_eq!(phone("").unwrap(), "");
        assert_eq!(phone("12").unwrap_err().code, "invalid_phone");
        assert_eq!(phone("138abc").unwrap_err().code, "invalid_phone");
    }
}
