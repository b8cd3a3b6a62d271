//! The web side of zhantu: routes, the JSON API under `/api/v1/`, and the pages. Handlers
//! are thin: they parse the request with the domain's parsers, check access with the
//! domain's rules, ask the store, and shape the answer.

pub mod accounts;
mod admin;
mod api;
pub mod auth;
mod clocks_api;
pub mod download;
mod error;
mod excel_api;
mod extract;
mod forms;
mod guard;
mod nodes_api;
mod pages;
mod pipeline_api;
mod reports_api;
mod search_api;
mod service_api;
mod ui;
pub mod webhook;
mod work_api;

pub use error::ApiError;
pub use excel_api::figure_tables;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use std::net::SocketAddr;
use zhantu_store::Store;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// The whole application, with sign-in, CSRF, size limits and security headers on every route.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(ui::router())
        .merge(admin::router())
        .nest("/api/v1", api::router())
        .route("/healthz", axum::routing::get(api::healthz))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(axum::middleware::from_fn(guard::headers))
        .layer(DefaultBodyLimit::max(guard::MAX_BODY_BYTES))
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
pub fn write_routes() -> Vec<(&'static str, &'static str)> {
    [
        CORE_WRITE_ROUTES,
        clocks_api::WRITE_ROUTES,
        excel_api::WRITE_ROUTES,
        reports_api::WRITE_ROUTES,
        service_api::WRITE_ROUTES,
        pipeline_api::WRITE_ROUTES,
    ]
    .concat()
}

const CORE_WRITE_ROUTES: &[(&str, &str)] = &[
    ("POST", "/login"),
    ("POST", "/logout"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/users"),
    ("PATCH", "/api/v1/users/{id}"),
    ("POST", "/api/v1/users/{id}/reset-password"),
    ("POST", "/api/v1/tokens"),
    ("DELETE", "/api/v1/tokens/{id}"),
    ("PATCH", "/api/v1/projects/{id}"),
    ("POST", "/account/password"),
    ("POST", "/account/tokens"),
    ("POST", "/account/tokens/{id}/revoke"),
    ("POST", "/admin/users"),
    ("POST", "/admin/users/{id}"),
    ("POST", "/admin/users/{id}/reset-password"),
    ("POST", "/api/v1/nodes/{id}/report"),
    ("POST", "/api/v1/nodes/{id}/verify"),
    ("POST", "/api/v1/nodes/{id}/date-change"),
    ("POST", "/api/v1/date-changes/{id}/decide"),
    ("PUT", "/api/v1/rules"),
    ("POST", "/api/v1/projects/{id}/plan"),
    ("PATCH", "/api/v1/nodes/{id}"),
    ("POST", "/api/v1/projects/{id}/pause"),
    ("POST", "/api/v1/projects/{id}/resume"),
    ("POST", "/api/v1/projects/{id}/reports"),
    ("POST", "/api/v1/periods/{year}/{month}/lock"),
    ("POST", "/api/v1/notifications/{id}/read"),
    ("PUT", "/api/v1/settings/webhook"),
    ("PUT", "/api/v1/calendar/{year}"),
];
