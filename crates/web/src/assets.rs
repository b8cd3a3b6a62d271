//! The static files (stylesheet, script, chart library, icon) and the language switch.

use crate::Mechanism;
use crate::page::{LANG_COOKIE, Lang, safe_next, strip_param};
use crate::routes::{Routes, get};
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

pub const MECHANISM: Mechanism = Mechanism {
    name: "assets",
    pages,
    api: Mechanism::none,
};

fn pages() -> Routes {
    Routes::new()
        .route(
            "/assets/app.css",
            get(|| asset("text/css; charset=utf-8", include_str!("../assets/app.css"))),
        )
        .route("/lang", get(switch_lang))
        .route(
            "/favicon.ico",
            get(|| asset("image/svg+xml", include_str!("../assets/favicon.svg"))),
        )
        .route(
            "/assets/app.js",
            get(|| asset("text/javascript; charset=utf-8", include_str!("../assets/app.js"))),
        )
        .route(
            "/assets/vendor/echarts.min.js",
            get(|| {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../assets/vendor/echarts/echarts.min.js"),
                )
            }),
        )
}

async fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize)]
struct LangQuery {
    to: Option<String>,
    back: Option<String>,
}

/// `GET /lang?to=en&back=/projects`: remembers the language in a cookie and goes back.
async fn switch_lang(Query(q): Query<LangQuery>) -> Response {
    let lang = q.to.as_deref().and_then(Lang::from_code).unwrap_or(Lang::Zh);
    let back = safe_next(q.back.as_deref());
    let back = strip_param(back, "lang");
    let mut resp = Redirect::to(&back).into_response();
    if let Ok(v) = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code()).parse() {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}
