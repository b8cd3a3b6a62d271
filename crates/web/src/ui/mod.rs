//! The signed-in pages: the cockpit (驾驶舱), the
//! battle map (挂图作战) and the map of streets and towns. Drawn on the server as HTML and SVG;
//! the only script draws the cockpit's ECharts charts. Every string comes from `i18n/`.

mod pipeline;

use crate::AppState;
use axum::Router;
pub use crate::page::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pipeline::router())
}

