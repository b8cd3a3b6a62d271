//! The project page's field-work panel (the `field_work` mechanism, templates/field_work/): the
//! district leaders' days on site at the project, the latest first.

use crate::page::{Ctx, Lang, Markup};
use askama::Template;
use zhantu_store::field_work::FieldWorkEntry;

#[derive(Template)]
#[template(path = "field_work/panel.html")]
struct Panel<'a> {
    cx: &'a Ctx,
    /// Date, part of day, leader, matters, problems solved.
    rows: Vec<(String, &'static str, String, String, String)>,
}

/// The panel of a project's `entries`.
pub fn panel(cx: &Ctx, entries: &[FieldWorkEntry]) -> Markup {
    let rows = entries
        .iter()
        .map(|e| {
            let part = match cx.lang {
                Lang::Zh => e.part.label_zh(),
                Lang::En => e.part.label_en(),
            };
            (
                e.date.to_string(),
                part,
                e.leader.clone(),
                e.matters.clone(),
                e.problems_solved.clone(),
            )
        })
        .collect();
    Markup::of(&Panel { cx, rows })
}
