//! The static files (stylesheet, script, chart library, icon) and the language switch.
//!
//! Each file answers at its plain name (`/assets/app.css`) and at a versioned one carrying a
//! hash of its content (`/assets/app.1a2b3c4d5e.css`, from [`url`]), which the pages name: the
//! versioned name never changes meaning, so the browser keeps it a year without asking again
//! (`immutable`); the plain name is revalidated by its ETag. Each file is sent brotli- or
//! gzip-compressed at the best ratio (compressed once, on first demand) when the browser
//! accepts it.

use crate::Mechanism;
use crate::page::{LANG_COOKIE, Lang, safe_next, strip_param};
use crate::routes::{Routes, get};
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::io::Write as _;
use std::sync::OnceLock;

pub const MECHANISM: Mechanism = Mechanism {
    name: "assets",
    pages,
    api: Mechanism::none,
};

fn pages() -> Routes {
    Routes::new()
        .route("/assets/{*file}", get(serve_asset))
        .route("/lang", get(switch_lang))
        .route(
            "/favicon.ico",
            get(|h: HeaderMap| async move { send(index_of("favicon.svg").unwrap_or_default(), &h, false) }),
        )
}

/// One static file under `/assets/`.
struct Asset {
    /// Its plain name under `/assets/`.
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

/// The stylesheet, the script, the chart library and the icon.
const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../assets/app.css"),
    },
    Asset {
        name: "app.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/app.js"),
    },
    Asset {
        name: "vendor/echarts.min.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../assets/vendor/echarts/echarts.min.js"),
    },
    Asset {
        name: "favicon.svg",
        content_type: "image/svg+xml",
        body: include_str!("../assets/favicon.svg"),
    },
];

/// The stylesheet every page links.
pub const APP_CSS: &str = "app.css";
/// The chart library, loaded by `app.js` only where a chart is on the page (see [`url`]).
pub const ECHARTS: &str = "vendor/echarts.min.js";
/// Its plain path, as a page names it among its scripts (`page::layout`).
pub const ECHARTS_PATH: &str = "/assets/vendor/echarts.min.js";

/// What is computed once per file: its hash, versioned path and compressed forms.
struct Prepared {
    /// The first 10 hex digits of the SHA-256 of the content.
    hash: String,
    /// `/assets/<name with the hash before its extension>`.
    url: String,
    br: OnceLock<Vec<u8>>,
    gzip: OnceLock<Vec<u8>>,
}

fn prepared(i: usize) -> &'static Prepared {
    static ALL: OnceLock<Vec<Prepared>> = OnceLock::new();
    &ALL.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let digest = Sha256::digest(a.body.as_bytes());
                let hash: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
                let (stem, ext) = a.name.rsplit_once('.').unwrap_or((a.name, ""));
                Prepared {
                    url: format!("/assets/{stem}.{hash}.{ext}"),
                    hash,
                    br: OnceLock::new(),
                    gzip: OnceLock::new(),
                }
            })
            .collect()
    })[i]
}

fn index_of(name: &str) -> Option<usize> {
    ASSETS.iter().position(|a| a.name == name)
}

/// The versioned URL of a static file named by its plain name ([`APP_CSS`], [`APP_JS`],
/// [`ECHARTS`]), for pages to reference; the plain `/assets/` URL if the name is unknown.
pub fn url(name: &str) -> &'static str {
    match index_of(name) {
        Some(i) => prepared(i).url.as_str(),
        None => {
            static UNKNOWN: &str = "/assets/";
            UNKNOWN
        }
    }
}

/// A page's reference to a static file by its plain path (`/assets/app.js`), made versioned;
/// any other path as it is.
pub fn versioned(path: &str) -> &str {
    match path.strip_prefix("/assets/").and_then(index_of) {
        Some(i) => prepared(i).url.as_str(),
        None => path,
    }
}

/// `GET /assets/{file}`: the file at its plain or its versioned name.
async fn serve_asset(Path(file): Path<String>, headers: HeaderMap) -> Response {
    if let Some(i) = index_of(&file) {
        return send_blocking(i, headers, false).await;
    }
    // `stem.<hash>.ext`: the hash names a version; an old one still gets today's file, but
    // only to revalidate (a stale page after an upgrade keeps working).
    let versioned = file.rsplit_once('.').and_then(|(rest, ext)| {
        let (stem, hash) = rest.rsplit_once('.')?;
        let i = index_of(&format!("{stem}.{ext}"))?;
        Some((i, hash == prepared(i).hash))
    });
    match versioned {
        Some((i, current)) => send_blocking(i, headers, current).await,
        None => crate::error::not_found().await.into_response(),
    }
}

/// [`send`] off the async threads: the first request for a file compresses it.
async fn send_blocking(i: usize, headers: HeaderMap, immutable: bool) -> Response {
    tokio::task::spawn_blocking(move || send(i, &headers, immutable))
        .await
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// The encodings the browser accepts, best first: brotli, gzip, else none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// The encoding to send given an `Accept-Encoding` header (`q=0` refuses one).
pub fn negotiate(headers: &HeaderMap) -> Encoding {
    let accepted = |name: &str| {
        headers
            .get_all(header::ACCEPT_ENCODING)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| {
                v.split(',').any(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    let coding = parts.next().unwrap_or("");
                    let refused = parts.any(|p| {
                        p.strip_prefix("q=")
                            .is_some_and(|q| q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0))
                    });
                    coding.eq_ignore_ascii_case(name) && !refused
                })
            })
    };
    if accepted("br") {
        Encoding::Br
    } else if accepted("gzip") {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

fn brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() / 3);
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        w.write_all(body).expect("writing to a Vec cannot fail");
    }
    out
}

fn gzip(body: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 3), flate2::Compression::best());
    w.write_all(body).expect("writing to a Vec cannot fail");
    w.finish().expect("writing to a Vec cannot fail")
}

/// The file, compressed as the browser accepts, with its cache policy: a year for the
/// current version's URL, revalidation by ETag otherwise (304 when the browser has it).
fn send(i: usize, headers: &HeaderMap, immutable: bool) -> Response {
    let (a, p) = (&ASSETS[i], prepared(i));
    let etag = format!("\"{}\"", p.hash);
    let cache = if immutable {
        "public, max-age=31536000, immutable"
    } else {
        "public, no-cache"
    };
    let mut resp = if crate::cache::matches(headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match negotiate(headers) {
            Encoding::Br => (
                [(header::CONTENT_ENCODING, "br")],
                p.br.get_or_init(|| brotli(a.body.as_bytes())).clone(),
            )
                .into_response(),
            Encoding::Gzip => (
                [(header::CONTENT_ENCODING, "gzip")],
                p.gzip.get_or_init(|| gzip(a.body.as_bytes())).clone(),
            )
                .into_response(),
            Encoding::Identity => a.body.into_response(),
        }
    };
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    resp
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

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_ENCODING, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn negotiation_prefers_brotli_and_honours_refusals() {
        assert_eq!(negotiate(&accept("gzip, deflate, br, zstd")), Encoding::Br);
        assert_eq!(negotiate(&accept("gzip")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("br;q=0, gzip;q=0.5")), Encoding::Gzip);
        assert_eq!(negotiate(&accept("identity")), Encoding::Identity);
        assert_eq!(negotiate(&HeaderMap::new()), Encoding::Identity);
    }

    #[test]
    fn versioned_urls_carry_the_content_hash() {
        let u = url(APP_CSS);
        assert!(
            u.starts_with("/assets/app.") && u.ends_with(".css") && u.len() == "/assets/app..css".len() + 10,
            "{u}"
        );
        assert!(url(ECHARTS).starts_with("/assets/vendor/echarts.min."));
        assert_ne!(url(APP_CSS), url("app.js"));
        assert_eq!(versioned("/assets/app.js"), url("app.js"));
        assert_eq!(versioned("/elsewhere.js"), "/elsewhere.js");
    }
}
