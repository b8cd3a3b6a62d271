//! What the administration pages share (users, and the master data: units, people, project
//! types, categories, district settings): their sub-navigation.

use super::{Ctx, Markup, NavLink};
use askama::Template;
use zhantu_domain::access::Action;

#[derive(Template)]
#[template(path = "partials/admin_nav.html")]
struct SubNav<'a> {
    label: &'a str,
    links: Vec<NavLink>,
}

/// The area's sub-navigation, the current page marked (a record's page marks its list).
pub fn nav(cx: &Ctx) -> Markup {
    let mut items = Vec::new();
    if cx.auth.actor.may(Action::Administer).is_ok() {
        items.push(("/admin/users", "nav.users"));
    }
    items.extend([
        ("/admin/units", "nav.units"),
        ("/admin/people", "nav.people"),
        ("/admin/project-types", "nav.project_types"),
        ("/admin/categories", "nav.categories"),
        ("/admin/settings", "nav.settings"),
    ]);
    let links = items
        .into_iter()
        .map(|(href, key)| NavLink {
            href,
            label: cx.t(key),
            current: cx.path == href || cx.path.starts_with(&format!("{href}/")),
        })
        .collect();
    Markup::of(&SubNav {
        label: cx.t("nav.master_data"),
        links,
    })
}
