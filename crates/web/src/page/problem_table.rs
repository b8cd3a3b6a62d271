//! The table of problems, shown by the problem list, the monthly lists and an enterprise's
//! page, and the state badges of a problem (state, overdue, escalation: words, not colour
//! alone).

use super::{Ctx, Markup, tf};
use askama::Template;
use zhantu_domain::problems::LoopState;
use zhantu_store::problems::ProblemItem;

pub fn state_label(cx: &Ctx, s: LoopState) -> &'static str {
    cx.t(&format!("service.state.{}", s.code()))
}

/// The label of where a problem comes from (visit, project, node…).
pub fn source_label(cx: &Ctx, p: &ProblemItem) -> &'static str {
    cx.t(&format!("service.source.{}", p.source.code()))
}

#[derive(Template)]
#[template(path = "partials/problem_badges.html")]
struct Badges<'a> {
    code: &'a str,
    label: &'a str,
    overdue: Option<String>,
    level: Option<String>,
}

/// The state, with overdue and escalation badges (words, not colour alone).
pub fn badges(cx: &Ctx, p: &ProblemItem) -> Markup {
    Markup::of(&Badges {
        code: p.state.code(),
        label: state_label(cx, p.state),
        overdue: p
            .overdue
            .then(|| tf(cx.lang, "service.overdue_days", &[("n", &p.overdue_days.to_string())])),
        level: (p.escalation_level > 0).then(|| tf(cx.lang, "service.level_n", &[("n", &p.escalation_level.to_string())])),
    })
}

struct Row<'a> {
    p: &'a ProblemItem,
    /// The description's first 60 characters.
    description: String,
    source: &'a str,
    badges: Markup,
}

#[derive(Template)]
#[template(path = "partials/problem_table.html")]
struct ProblemTable<'a> {
    cx: &'a Ctx,
    rows: Vec<Row<'a>>,
}

/// The problems as a table, or a line saying there are none.
pub fn problem_table(cx: &Ctx, items: &[ProblemItem]) -> Markup {
    let rows = items
        .iter()
        .map(|p| Row {
            p,
            description: p.description.chars().take(60).collect(),
            source: source_label(cx, p),
            badges: badges(cx, p),
        })
        .collect();
    Markup::of(&ProblemTable { cx, rows })
}
