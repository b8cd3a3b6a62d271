//! The project page's problems (问题清单) panel, owned by the `problems` mechanism: a table
//! drawn from `templates/partials/project_problems.html`, each problem linked to its page,
//! and the way to raise one about the project (the problem form, the project filled in).

use crate::page::{Ctx, Markup};
use askama::Template;
use chrono::NaiveDate;
use zhantu_store::ProjectDetail;

struct ProblemRow<'a> {
    id: i64,
    category: &'a str,
    description: &'a str,
    unit: &'a str,
    raised_on: NaiveDate,
    deadline: NaiveDate,
    status: &'static str,
    closed_on: Option<NaiveDate>,
}

#[derive(Template)]
#[template(path = "partials/project_problems.html")]
struct ProblemsPanel<'a> {
    cx: &'a Ctx,
    project_id: i64,
    rows: Vec<ProblemRow<'a>>,
}

/// The problems of project `p`.
pub fn panel(cx: &Ctx, p: &ProjectDetail) -> Markup {
    let rows = p
        .problems
        .iter()
        .map(|r| ProblemRow {
            id: r.id,
            category: &r.category,
            description: &r.description,
            unit: &r.unit.name,
            raised_on: r.raised_on,
            deadline: r.deadline,
            status: cx.t(&format!("status.{}", r.status)),
            closed_on: r.closed_on,
        })
        .collect();
    Markup::of(&ProblemsPanel {
        cx,
        project_id: p.summary.id,
        rows,
    })
}
