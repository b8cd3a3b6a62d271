//! The options of a `<select>`, as a partial template (`partials/options.html`).

use super::Markup;
use askama::Template;

/// One option of a select.
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl SelectOption {
    pub fn new(value: impl Into<String>, label: impl Into<String>, selected: bool) -> SelectOption {
        SelectOption {
            value: value.into(),
            label: label.into(),
            selected,
        }
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
