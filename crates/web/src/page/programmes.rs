//! What the programme pages share (招商引资, the programmes hub, batches, campaigns,
//! supervision, the land ledger): the hub's sub-navigation, the flash keys they show, and land
//! areas in the page's language. Each page's template extends `partials/programmes_frame.html`
//! (title, links, body).

use super::{Ctx, Lang, Markup, NavLink};
use askama::Template;
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
        ("/land", "pipeline.land"),
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
