//! What the programme pages share (招商引资, the programmes hub, batches, campaigns,
//! supervision, the land ledger): the hub's sub-navigation, the flash keys they show, and land
//! areas in the page's language. Each page's template extends `partials/programmes_frame.html`
//! (title, links, body).

use super::{Ctx, Lang, Markup, NavLink, PageError};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;
use zhantu_domain::LandArea;

/// The prefix of the flash keys these pages show after a form.
pub const FLASH: &[&str] = &["pipeline.flash_"];

#[derive(Template)]
#[template(path = "partials/programmes_nav.html")]
struct SubNav {
    links: Vec<NavLink>,
}

/// The hub's sub-navigation: the hub and its four programmes, the current one marked.
pub fn nav(cx: &Ctx) -> Markup {
    let items = [
        ("/programs", "pipeline.programs"),
        ("/batches", "pipeline.batches"),
        ("/campaigns", "pipeline.campaigns"),
        ("/supervision", "pipeline.supervision"),
        ("/field-work", "field_work.nav"),
        ("/land", "pipeline.land"),
        ("/planning", "planning.nav"),
    ];
    Markup::of(&SubNav {
        links: NavLink::list(cx, items, |href| cx.path == href),
    })
}

/// A land area: 12.5亩 / 12.5 mu.
pub fn area(lang: Lang, a: LandArea) -> String {
    match lang {
        Lang::Zh => a.to_string(),
        Lang::En => format!("{} mu", a.mu_exact()),
    }
}

/// `?from=2019-01-01&to=2019-06-30`: the batches or supervision rounds held in a period (the
/// cockpit's counts open their lists so).
#[derive(Debug, Deserialize, Default)]
pub struct HeldQuery {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The period asked for, with its line for the list's head (`2019-01-01 至 2019-06-30 举行 3 次`),
/// or none: the whole list.
pub struct Held {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl HeldQuery {
    pub fn period(&self, cx: &Ctx) -> Result<Held, PageError> {
        Ok(Held {
            from: crate::extract::opt_date(&self.from).map_err(cx.err())?,
            to: crate::extract::opt_date(&self.to).map_err(cx.err())?,
        })
    }
}

impl Held {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|f| d >= f) && self.to.is_none_or(|t| d <= t)
    }
    /// The line stating what the list counts: the period when one was asked for, else all.
    pub fn total_line(&self, cx: &Ctx, n: usize) -> String {
        let n = n.to_string();
        match (self.from, self.to) {
            (None, None) => cx.tf("pipeline.held_total_all", &[("n", &n)]),
            (f, t) => cx.tf(
                "pipeline.held_total",
                &[
                    ("from", &f.map(|d| d.to_string()).unwrap_or_else(|| "…".into())),
                    ("to", &t.map(|d| d.to_string()).unwrap_or_else(|| "…".into())),
                    ("n", &n),
                ],
            ),
        }
    }
}
