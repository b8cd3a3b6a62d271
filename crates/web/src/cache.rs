//! How responses travel: compressed (brotli or gzip, as the browser accepts) when they are
//! text, and pages revalidated by ETag. A page is the reader's own (names, scope, the session's
//! CSRF token), so it is `private, no-cache`: the browser may keep it but asks each time, and
//! the answer is an empty 304 when the page is the same as the copy it holds. Static files set
//! their own policy (`assets`), downloads theirs (`no-store`).

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{Extensions, HeaderMap, HeaderValue, Method, StatusCode, Version, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// Content types worth compressing: pages, JSON, stylesheets, scripts, SVG, CSV and plain
/// text. Spreadsheets, PDFs, Word files, images and archives are compressed already.
pub fn compressible(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    matches!(
        essence.as_str(),
        "text/html"
            | "application/json"
            | "text/css"
            | "text/javascript"
            | "application/javascript"
            | "image/svg+xml"
            | "text/csv"
            | "text/plain"
    )
}

/// The compression of every response: brotli (level 4, as web servers use on the fly) or
/// gzip, for the [`compressible`] types above 256 bytes.
pub fn compression() -> CompressionLayer<impl Predicate> {
    let by_type = |_: StatusCode, _: Version, h: &HeaderMap, _: &Extensions| {
        h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(compressible)
    };
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(SizeAbove::new(256).and(by_type))
}

/// Does the request's `If-None-Match` name this ETag (weakly compared, or `*`)?
pub fn matches(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |t: &str| t.trim().trim_start_matches("W/").to_string();
    let want = bare(etag);
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim() == "*" || bare(t) == want))
}

/// Pages (a successful `GET` answering HTML without a cache policy of its own) get a weak ETag
/// of their content and `private, no-cache`; a request naming that ETag gets 304.
pub async fn pages(req: Request, next: Next) -> Response {
    let is_get = matches!(*req.method(), Method::GET | Method::HEAD);
    let conditional = req.headers().clone();
    let resp = next.run(req).await;
    let is_page = resp.status() == StatusCode::OK
        && !resp.headers().contains_key(header::CACHE_CONTROL)
        && resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !is_get || !is_page {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let digest = Sha256::digest(&bytes);
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let etag = format!("W/\"{hex}\"");
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        parts.headers.insert(header::ETAG, v);
    }
    if matches(&conditional, &etag) {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_compressed_and_files_are_not() {
        for t in [
            "text/html; charset=utf-8",
            "application/json",
            "text/css; charset=utf-8",
            "text/javascript; charset=utf-8",
            "image/svg+xml",
        ] {
            assert!(compressible(t), "{t}");
        }
        for t in [
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/pdf",
            "image/png",
            "image/jpeg",
            "application/zip",
            "application/octet-stream",
        ] {
            assert!(!compressible(t), "{t}");
        }
    }

    #[test]
    fn etags_match_weakly_and_by_star() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"x\", W/\"abc\""));
        assert!(matches(&h, "W/\"abc\"") && matches(&h, "\"abc\"") && !matches(&h, "W/\"abd\""));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(matches(&h, "W/\"q\""));
        assert!(!matches(&HeaderMap::new(), "W/\"q\""));
    }
}
