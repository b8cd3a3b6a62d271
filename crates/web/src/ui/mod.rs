//! The signed-in pages: the cockpit (驾驶舱), the project registry, the project page, the
//! battle map (挂图作战) and the map of streets and towns. Drawn on the server as HTML and SVG;
//! the only script draws the cockpit's ECharts charts. Every string comes from `i18n/`.

mod actions;
mod battle;
mod cockpit;
mod excel;
mod map;
mod project;
mod registry;
mod reports;
mod service;

use crate::AppState;
use axum::Router;
use axum::routing::get;
pub use crate::page::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(cockpit::page))
        .route("/projects", get(registry::page))
        .route("/projects/{id}", get(project::page))
        .route("/battle-map", get(battle::page))
        .route("/battle-map.svg", get(battle::export))
        .route("/map", get(map::page))
        .merge(excel::router())
        .merge(reports::router())
        .merge(service::router())
}

