//! What the programme pages share (招商引资, the programmes hub, batches, campaigns,
//! supervision, the land ledger): the frame of each page with its title and links, the hub's
//! sub-navigation, a figure card, and land areas and empty texts in the page's language.

use super::{Ctx, Lang, Markup, NavLink, esc, layout_legacy};
use askama::Template;
use axum::response::Html;
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
    let links = items
        .into_iter()
        .map(|(href, key)| NavLink {
            href,
            label: cx.t(key),
            current: cx.path == href,
        })
        .collect();
    Markup::of(&SubNav { links })
}

/// A land area: 12.5亩 / 12.5 mu.
pub fn area(lang: Lang, a: LandArea) -> String {
    match lang {
        Lang::Zh => a.to_string(),
        Lang::En => format!("{} mu", a.mu_exact()),
    }
}

pub fn opt_text(s: Option<&str>) -> String {
    esc(s.filter(|s| !s.is_empty()).unwrap_or("—"))
}

pub fn page(cx: &Ctx, title: &str, links: &str, body: &str) -> Html<String> {
    layout_legacy(
        cx,
        title,
        &format!(
            r#"<div class="pipeline"><div class="page-head"><div><h1>{}</h1></div><p class="links">{links}</p></div>{body}</div>"#,
            esc(title)
        ),
        &[],
    )
}

pub fn card(k: &str, v: &str, n: &str) -> String {
    format!(r#"<div class="card"><div class="k">{k}</div><div class="v">{v}</div><div class="n">{n}</div></div>"#)
}
