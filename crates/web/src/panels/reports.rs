//! The project page's progress reports panel (进度填报), owned by the `reports` mechanism
//! (templates/reports/): the form to file a weekly report (from a Monday) or a monthly one
//! (with the month's investment), posted to the JSON API through app.js, and the reports filed.

use crate::page::{Ctx, Markup};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use zhantu_store::ProjectDetail;

struct ReportRow<'a> {
    start: NaiveDate,
    end: NaiveDate,
    kind: &'static str,
    body: &'a str,
    amount: String,
    submitted_on: NaiveDate,
}

#[derive(Template)]
#[template(path = "reports/panel.html")]
struct ReportsPanel<'a> {
    cx: &'a Ctx,
    project_id: i64,
    may_file: bool,
    month_start: String,
    /// The Monday of the data date's week: a weekly report's default start.
    week_start: String,
    rows: Vec<ReportRow<'a>>,
}

/// The panel of project `p`; `may_file`: the form too.
pub fn panel(cx: &Ctx, p: &ProjectDetail, may_file: bool, as_of: NaiveDate) -> Markup {
    let rows = p
        .reports
        .iter()
        .map(|r| ReportRow {
            start: r.period_start,
            end: r.period_end,
            kind: cx.t(&format!("period.{}", r.period_kind)),
            body: &r.body,
            // A weekly report carries no investment (it is filed monthly): nothing to show,
            // not a zero that reads as "nothing invested".
            amount: if r.period_kind == "week" {
                "—".to_string()
            } else {
                cx.money(r.investment_wan.0)
            },
            submitted_on: r.submitted_on,
        })
        .collect();
    Markup::of(&ReportsPanel {
        cx,
        project_id: p.summary.id,
        may_file,
        month_start: as_of.format("%Y-%m-01").to_string(),
        week_start: (as_of - chrono::Days::new(as_of.weekday().num_days_from_monday() as u64)).to_string(),
        rows,
    })
}
