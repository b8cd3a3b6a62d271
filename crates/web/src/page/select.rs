//! The choices of a page's `<select>`s, as a partial template (`partials/options.html`): the
//! options themselves, the units as an indented tree, the problem categories, and a query
//! parameter's value as the selected one.

use super::{Markup, PageError};
use crate::AppState;
use askama::Template;

/// One option of a select.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
    /// The label quotes a record's name though the value is not its id ("不变（海门街道）").
    pub quotes_data: bool,
}

/// An option names data (marked `translate="no"`, shown as it is in every language) when its
/// value is a record's id (a unit, a person, an enterprise: its label is the record's name) or
/// is itself text that is not a code (a tag): the choices the interface makes have ASCII codes
/// and translated labels.
fn names_data(value: &str) -> bool {
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())) || !value.is_ascii()
}

impl SelectOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> SelectOption {
        SelectOption {
            value: value.into(),
            label: label.into(),
            selected,
            quotes_data: false,
        }
    }
    /// An option whose label quotes a record's name, marked as data as a whole.
    pub fn quoting(value: impl Into<String>, label: impl Into<String>, selected: bool) -> SelectOption {
        SelectOption {
            quotes_data: true,
            ..SelectOption::new(value, label, selected)
        }
    }
    pub fn is_data(&self) -> bool {
        self.quotes_data || names_data(&self.value)
    }
    /// The options of a select from (value, label) pairs, `selected` marked.
    pub fn list(choices: impl IntoIterator<Item = (String, String)>, selected: &str) -> Vec<SelectOption> {
        choices
            .into_iter()
            .map(|(value, label)| SelectOption {
                selected: value == selected,
                value,
                label,
                quotes_data: false,
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "partials/options.html")]
struct Options<'a> {
    options: &'a [SelectOption],
}

/// The options, for a template's `<select>`.
pub fn options(options: &[SelectOption]) -> Markup {
    Markup::of(&Options { options })
}

/// The options of `choices` as (value, label), the one whose value is `selected` marked so,
/// after an empty "any" option when `any` names it.
pub fn choice_options(choices: &[(String, String)], selected: &str, any: Option<&str>) -> Markup {
    let all: Vec<SelectOption> = any
        .map(|a| SelectOption::new("", a, false))
        .into_iter()
        .chain(
            choices
                .iter()
                .map(|(v, l)| SelectOption::new(v.as_str(), l.as_str(), v == selected)),
        )
        .collect();
    options(&all)
}

/// A query parameter's value, trimmed ("" when absent).
pub fn val(o: &Option<String>) -> &str {
    o.as_deref().map(str::trim).unwrap_or("")
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

/// The problem categories as a select's options, none selected, after an empty option when
/// `none` names it.
pub fn category_options(lang: super::Lang, none: Option<&str>) -> Markup {
    let categories: Vec<(String, String)> = PROBLEM_CATEGORIES
        .iter()
        .map(|c| (c.to_string(), problem_category(lang, c)))
        .collect();
    choice_options(&categories, "", none)
}

/// A problem category (stored as its Chinese name) in the page's language; a category not in
/// the list is shown as stored.
pub fn problem_category(lang: super::Lang, stored: &str) -> String {
    PROBLEM_CATEGORY_CODES
        .iter()
        .zip(PROBLEM_CATEGORIES)
        .find(|(_, zh)| **zh == stored)
        .and_then(|(code, _)| super::i18n::lookup(lang, &format!("problem_category.{code}")))
        .unwrap_or(stored)
        .to_string()
}

/// The codes of [`PROBLEM_CATEGORIES`], in the same order: their translations' keys.
const PROBLEM_CATEGORY_CODES: &[&str] = &[
    "land",
    "funds",
    "approvals",
    "clearance",
    "utilities",
    "labour",
    "planning",
    "environment",
    "site",
    "other",
];

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
