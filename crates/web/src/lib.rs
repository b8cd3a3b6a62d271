//! The web side of zhantu: routes, the JSON API under `/api/v1/`, and the pages. Handlers
//! are thin: they parse the request with the domain's parsers, check access with the
//! domain's rules, ask the store, and shape the answer.

// What every mechanism shares (each imports no mechanism).
mod access;
pub mod auth;
mod cache;
pub mod download;
mod error;
mod extract;
mod fields;
mod forms;
mod guard;
mod page;
mod panels;
mod query;
mod routes;
mod scope;
pub mod webhook;

pub use setup::issue_setup_code;

// The mechanisms: each registered once, in `MECHANISMS`.
mod account;
mod assets;
mod audit;
mod batches;
mod battle;
mod cadence;
mod calendar;
mod campaigns;
mod categories;
mod clocks;
mod cockpit;
mod confidence;
mod critical_path;
mod enterprises;
mod exports;
mod field_work;
mod health;
mod imports;
mod instructions;
mod land;
mod lead_clocks;
mod leads;
mod lights;
mod map;
mod nodes;
mod notifications;
mod oc4ids;
mod openapi;
mod people;
mod planning;
mod problems;
mod programmes;
mod project_types;
mod projects;
mod reports;
mod results;
mod rules;
mod search;
mod settings;
mod setup;
mod signin;
mod statistics;
mod supervision;
mod support;
mod todo;
mod units;
mod uplink;
pub mod users; // public for its demo accounts, which `zhantu demo` and the tests create
pub mod webhooks; // public for its sender, which `zhantu serve` runs

pub use error::ApiError;
pub use exports::figure_tables;
pub use routes::Routes;
pub use scope::ADDRESSEES;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::net::SocketAddr;
use std::sync::OnceLock;
use zhantu_store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// A mechanism of the app (batches, problems, the cockpit…): its pages and its JSON routes
/// (mounted under `/api/v1/`), each built with [`Routes`], which records every route that
/// changes state for the access tests. Registering a mechanism is one line in [`MECHANISMS`].
pub struct Mechanism {
    pub name: &'static str,
    pub pages: fn() -> Routes,
    pub api: fn() -> Routes,
}

impl Mechanism {
    /// For a mechanism without pages, or without JSON routes.
    pub fn none() -> Routes {
        Routes::new()
    }
}

/// Every mechanism of the app, in the order their routes are merged.
pub const MECHANISMS: &[Mechanism] = &[
    setup::MECHANISM,
    signin::MECHANISM,
    account::MECHANISM,
    users::MECHANISM,
    units::MECHANISM,
    people::MECHANISM,
    project_types::MECHANISM,
    categories::MECHANISM,
    settings::MECHANISM,
    webhooks::MECHANISM,
    uplink::MECHANISM,
    audit::MECHANISM,
    assets::MECHANISM,
    health::MECHANISM,
    cockpit::MECHANISM,
    projects::MECHANISM,
    nodes::MECHANISM,
    clocks::MECHANISM,
    confidence::MECHANISM,
    reports::MECHANISM,
    rules::MECHANISM,
    lights::MECHANISM,
    calendar::MECHANISM,
    notifications::MECHANISM,
    cadence::MECHANISM,
    imports::MECHANISM,
    exports::MECHANISM,
    oc4ids::MECHANISM,
    battle::MECHANISM,
    map::MECHANISM,
    search::MECHANISM,
    enterprises::MECHANISM,
    support::MECHANISM,
    problems::MECHANISM,
    instructions::MECHANISM,
    leads::MECHANISM,
    batches::MECHANISM,
    campaigns::MECHANISM,
    supervision::MECHANISM,
    land::MECHANISM,
    programmes::MECHANISM,
    planning::MECHANISM,
    todo::MECHANISM,
    openapi::MECHANISM,
    statistics::MECHANISM,
    lead_clocks::MECHANISM,
    critical_path::MECHANISM,
    results::MECHANISM,
    field_work::MECHANISM,
];

/// The whole application, with sign-in, CSRF, size limits, security headers, page ETags and
/// compression on every route.
pub fn router(state: AppState) -> Router {
    let mut pages = Router::new();
    let mut api = Router::new();
    for m in MECHANISMS {
        pages = pages.merge((m.pages)().into_parts().0);
        api = api.merge((m.api)().into_parts().0);
    }
    pages
        .nest("/api/v1", api.fallback(error::not_found))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(axum::middleware::from_fn(cache::pages))
        .layer(axum::middleware::from_fn(guard::headers))
        .layer(DefaultBodyLimit::max(guard::MAX_BODY_BYTES))
        .layer(cache::compression())
        .with_state(state)
}

/// Serves the app on a bound listener until `shutdown` resolves. Peer addresses reach the
/// handlers (for the audit log and login throttling).
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Store,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(AppState { store });
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}

/// The methods and paths of every route that changes state, for the access tests: a test
/// walks this list, so a new write route cannot escape them.
/// Pages' paths are as given, JSON routes' under `/api/v1`.
pub fn write_routes() -> Vec<(&'static str, &'static str)> {
    static ROUTES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let routes = ROUTES.get_or_init(|| {
        let mut routes = Vec::new();
        for m in MECHANISMS {
            let pages = (m.pages)().into_parts().1.into_iter().map(|r| (r, r.path.to_string()));
            let api = (m.api)().into_parts().1.into_iter().map(|r| (r, format!("/api/v1{}", r.path)));
            routes.extend(pages.chain(api).filter(|(r, _)| r.writes()).map(|(r, path)| (r.method, path)));
        }
        routes
    });
    routes.iter().map(|(method, path)| (*method, path.as_str())).collect()
}
