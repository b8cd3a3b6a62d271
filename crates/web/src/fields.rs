//! Optional fields that the request bodies, queries and forms of several mechanisms share,
//! read with the domain's parsers: a date (today's as-of date when absent is the caller's
//! choice), a year, free text cut to a length, a form's numbers and its version number.
//! Imports no mechanism.

use crate::error::ApiError;
use crate::extract::non_empty;
use zhantu_domain::parse_date;

/// A date field; empty or absent is `None`.
pub fn opt_date(v: &Option<String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    Ok(non_empty(v).map(parse_date).transpose()?)
}

/// A `year` query parameter (`Year`: 1949–2100); empty or absent is `None`.
pub fn opt_year(v: &Option<String>) -> Result<Option<i32>, ApiError> {
    match non_empty(v) {
        None => Ok(None),
        Some(s) => Ok(Some(zhantu_domain::Year::parse(s)?.get())),
    }
}

/// Free text cut to at most `max` characters (not bytes): longer text is shortened, not refused.
pub fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The version a form carries back (the record's optimistic lock).
pub fn form_version(v: &str) -> Result<i64, ApiError> {
    form_number(v, "版本号无效")
}

/// A number a form field must carry (an id, a count); `refusal` says what is wrong with
/// anything else, an empty field included.
pub fn form_number<T: std::str::FromStr>(v: &str, refusal: &str) -> Result<T, ApiError> {
    v.trim().parse::<T>().map_err(|_| ApiError::bad_request("invalid_field", refusal))
}

/// A number a form field may carry: empty is `None`; `refusal` says what is wrong with
/// anything else.
pub fn form_opt_number<T: std::str::FromStr>(v: &str, refusal: &str) -> Result<Option<T>, ApiError> {
    match v.trim() {
        "" => Ok(None),
        s => form_number(s, refusal).map(Some),
    }
}
