//! The choices of a page's `<select>`s: the units as an indented tree, the problem categories,
//! and a query parameter's value as the selected one.

use super::{PageError, esc};
use crate::AppState;

/// A query parameter's value, trimmed ("" when absent).
pub fn val(o: &Option<String>) -> &str {
    o.as_deref().map(str::trim).unwrap_or("")
}

pub fn options(choices: &[(String, String)], selected: &str, any: Option<&str>) -> String {
    any.map(|a| format!(r#"<option value="">{a}</option>"#))
        .into_iter()
        .chain(choices.iter().map(|(v, label)| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                esc(v),
                if v == selected { " selected" } else { "" },
                esc(label)
            )
        }))
        .collect()
}

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
