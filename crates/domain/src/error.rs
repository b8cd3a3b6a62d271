//! Errors of the domain layer. Every message a user can read is Chinese; `code` is stable
//! for machines.

use std::fmt;

/// A value from outside (a form, the JSON API, a spreadsheet cell) that is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Stable machine code, e.g. `invalid_credit_code`.
    pub code: &'static str,
    /// What kind of value it should have been, in Chinese (e.g. `统一社会信用代码`).
    pub what: &'static str,
    /// The offending input, as given.
    pub value: String,
    /// Why it is invalid, in Chinese.
    pub reason: String,
}

impl ParseError {
    pub fn new(code: &'static str, what: &'static str, value: &str, reason: impl Into<String>) -> Self {
        ParseError {
            code,
            what,
            value: value.chars().take(80).collect(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}“{}”无效：{}", self.what, self.value, self.reason)
    }
}

impl std::error::Error for ParseError {}

/// A refused rule (a lead's stage change, a batch's gate, the land balance, a step of the
/// problem loop, a value a record may not have…): a stable machine code and the reason in
/// Chinese. Every refusal has its own code, e.g. `lead_name_empty`, `batch_gate_not_met`,
/// `land_quota_exceeded`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct RuleError {
    /// Stable machine code, e.g. `land_quota_exceeded`.
    pub code: &'static str,
    /// Why, in Chinese.
    pub message: String,
}

impl RuleError {
    pub fn new(code: &'static str, message: impl Into<String>) -> RuleError {
        RuleError {
            code,
            message: message.into(),
        }
    }
}

pub(crate) fn refuse<T>(code: &'static str, msg: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError::new(code, msg))
}

/// One refused field of a form or request body: which field (its name in the request), a
/// stable code and the reason in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// Every refused field of a form at once: each field is checked, none stops the others, so a
/// person fixes the whole form in one go.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, thiserror::Error)]
#[error("{}", self.summary())]
#[serde(transparent)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn push(&mut self, field: &'static str, code: &'static str, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            code,
            message: message.into(),
        });
    }

    /// A parsed value, or `None` with the parser's refusal noted against `field`.
    pub fn take<T>(&mut self, field: &'static str, parsed: Result<T, ParseError>) -> Option<T> {
        parsed.map_err(|e| self.push(field, e.code, e.to_string())).ok()
    }

    /// A text checked as [`checked_text`] does: trimmed, or empty with the refusal noted
    /// against `field`.
    pub fn text(
        &mut self,
        field: &'static str,
        input: &str,
        max: usize,
        empty: Option<(&'static str, &str)>,
        long: (&'static str, &str),
    ) -> String {
        checked_text(input, max, empty, long).unwrap_or_else(|e| {
            self.push(field, e.code, e.message);
            String::new()
        })
    }

    /// A rule's refusal noted against `field`.
    pub fn rule(&mut self, field: &'static str, checked: Result<(), RuleError>) {
        if let Err(e) = checked {
            self.push(field, e.code, e.message);
        }
    }

    /// The other errors after these.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    /// The refusal of the field named `field`, if any.
    pub fn of(&self, field: &str) -> Option<&FieldError> {
        self.0.iter().find(|e| e.field == field)
    }

    /// Every message, in order, as one sentence.
    pub fn summary(&self) -> String {
        self.0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；")
    }

    /// `value` when nothing was refused, else every refusal.
    pub fn or<T>(self, value: impl FnOnce() -> T) -> Result<T, FieldErrors> {
        if self.is_empty() { Ok(value()) } else { Err(self) }
    }
}

/// A name or text trimmed, otherwise kept as typed (units, people, categories, nodes and clocks
/// are matched by name), refused when empty (where `empty` says so) or longer than `max`
/// characters.
pub(crate) fn checked_text(
    input: &str,
    max: usize,
    empty: Option<(&'static str, &str)>,
    long: (&'static str, &str),
) -> Result<String, RuleError> {
    let s = input.trim().to_string();
    if let Some((code, msg)) = empty
        && s.is_empty()
    {
        return refuse(code, msg);
    }
    if s.chars().count() > max {
        return refuse(long.0, long.1);
    }
    Ok(s)
}

/// Refuses a name or text that is empty or only white space.
pub(crate) fn require_text(text: &str, code: &'static str, msg: &str) -> Result<(), RuleError> {
    if text.trim().is_empty() {
        return refuse(code, msg);
    }
    Ok(())
}

/// Normalises what people paste from Word, WeChat and Excel: full-width digits, letters
/// and punctuation become half-width; surrounding white space (including the ideographic
/// space) is trimmed.
pub fn normalize_input(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_string()
}
