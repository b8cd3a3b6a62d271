//! The choices of a page's `<select>`s: the units as an indented tree, the problem categories,
//! and a query parameter's value as the selected one.

use super::{Markup, PageError};
use crate::AppState;
use askama::Template;

/// A query parameter's value, trimmed ("" when absent).
pub fn val(o: &Option<String>) -> &str {
    o.as_deref().map(str::trim).unwrap_or("")
}

#[derive(Template)]
#[template(path = "partials/select_options.html")]
struct Options<'a> {
    any: Option<&'a str>,
    /// (value, label, selected)
    items: Vec<(&'a str, &'a str, bool)>,
}

/// The `<option>`s of a select: `choices` as (value, label), the one whose value is `selected`
/// marked so, after an empty "any" option when `any` names it.
pub fn options(choices: &[(String, String)], selected: &str, any: Option<&str>) -> Markup {
    Markup::of(&Options {
        any,
        items: choices.iter().map(|(v, l)| (v.as_str(), l.as_str(), v == selected)).collect(),
    })
}

/// The units as (id, name) choices, indented by their depth in the tree (full-width spaces).
pub async fn unit_choices(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    Ok(st
        .store
        .filter_choices()
        .await?
        .units
        .iter()
        .map(|u| (u.id.to_string(), format!("{}{}", "　".repeat(u.depth as usize), u.name)))
        .collect())
}

/// Problem categories offered on the visit and problem forms (PRACTICE.md §5.1).
pub const PROBLEM_CATEGORIES: &[&str] = &[
    "用地",
    "资金",
    "审批",
    "政策处理",
    "水电气",
    "人才/用工",
    "规划",
    "环保能耗",
    "施工条件",
    "其他",
];
