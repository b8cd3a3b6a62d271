//! What the administration pages share (users, and the master data: units, people, project
//! types, categories, district settings): their sub-navigation, and the reading of the record a
//! record's page shows.

use super::{Ctx, Markup, NavLink, PageError};
use crate::error::ApiError;
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
    if cx.auth.actor.may(Action::Subscribe).is_ok() {
        items.push(("/admin/webhooks", "nav.webhooks"));
    }
    if cx.auth.actor.may(Action::ReadUplink).is_ok() {
        items.push(("/uplink", "nav.uplink"));
    }
    Markup::of(&SubNav {
        label: cx.t("nav.master_data"),
        links: NavLink::list(cx, items, |href| cx.path == href || cx.path.starts_with(&format!("{href}/"))),
    })
}

/// The record a master-data page shows (a unit, a person), for those who manage master data;
/// when it cannot be read the page answers 404, naming it by `missing` (an i18n key) and `id`.
pub async fn record<T, E>(cx: &Ctx, id: i64, missing: &str, read: impl Future<Output = Result<T, E>>) -> Result<T, PageError> {
    cx.auth.actor.may(Action::ManageMasterData).map_err(cx.err())?;
    read.await
        .map_err(|_| PageError(ApiError::not_found(format!("{} {id}", cx.t(missing))), cx.lang))
}
