//! Groundbreaking batches (集中开工): the JSON routes under `/api/v1/batches` and the
//! `/batches` pages with their forms.

mod api;
mod pages;

use crate::Mechanism;
use crate::routes::{Routes, get, post};

pub const MECHANISM: Mechanism = Mechanism {
    name: "batches",
    pages: || pages().into_parts().0,
    api: || api::router().into_parts().0,
    write_routes: WRITE_ROUTES,
};

const WRITE_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/batches"),
    ("PATCH", "/api/v1/batches/{id}"),
    ("POST", "/api/v1/batches/{id}/projects"),
    ("DELETE", "/api/v1/batches/{id}/projects/{project_id}"),
    ("POST", "/batches"),
    ("POST", "/batches/{id}/projects"),
];

fn pages() -> Routes {
    Routes::new()
        .route("/batches", get(pages::batches).post(pages::batch_form))
        .route("/batches/{id}", get(pages::batch))
        .route("/batches/{id}/projects", post(pages::batch_project_form))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Temporary: the routes' own write list is the hand-written one.
    #[test]
    fn derived_write_routes_are_the_listed_ones() {
        let mut derived: BTreeSet<(&str, String)> = super::pages().into_parts().1.into_iter().map(|(m, p)| (m, p.to_string())).collect();
        derived.extend(
            super::api::router()
                .into_parts()
                .1
                .into_iter()
                .map(|(m, p)| (m, format!("/api/v1{p}"))),
        );
        let listed: BTreeSet<(&str, String)> = super::WRITE_ROUTES.iter().map(|(m, p)| (*m, p.to_string())).collect();
        assert_eq!(derived, listed);
    }
}
