//! Fast on a slow network (issue #18): text answers compressed as the browser accepts (brotli,
//! gzip), files that are compressed already sent as they are; static files at versioned URLs
//! cached a year, the plain URLs still answering; pages revalidated by ETag; the chart library
//! named only by the pages that draw charts.

use crate::helpers::{Session, demo_base, login, spawn_app, status_of};
use std::io::Read as _;

const SITE_PHOTO: &[u8] = include_bytes!("../fixtures/site-gps.jpg");

/// A GET as the session's browser, with these extra headers.
async fn fetch(s: &Session, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut rb = crate::helpers::no_redirects()
        .get(format!("{}{}", s.base, path))
        .header("cookie", &s.cookie);
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let resp = rb.send().await.expect("request");
    status_of(&resp);
    resp
}

fn header<'a>(resp: &'a reqwest::Response, name: &str) -> &'a str {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The body as sent, decoded by its `Content-Encoding`.
async fn decoded(resp: reqwest::Response) -> (String, Vec<u8>) {
    let encoding = header(&resp, "content-encoding").to_string();
    let raw = resp.bytes().await.expect("body").to_vec();
    let mut out = Vec::new();
    match encoding.as_str() {
        "br" => {
            brotli::Decompressor::new(&raw[..], 4096)
                .read_to_end(&mut out)
                .expect("valid brotli");
        }
        "gzip" => {
            flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut out).expect("valid gzip");
        }
        "" => out = raw,
        other => panic!("unexpected encoding {other}"),
    }
    (encoding, out)
}

/// The quoted URL right after the first `marker` (`<script src="`, say) in `html`.
fn url_after<'a>(html: &'a str, marker: &str) -> &'a str {
    let start = html.find(marker).unwrap_or_else(|| panic!("no {marker} in the page")) + marker.len();
    let rest = &html[start..];
    &rest[..rest.find('"').expect("a quoted URL")]
}

const STYLESHEET: &str = "<link rel=\"stylesheet\" href=\"";
const SCRIPT: &str = "<script src=\"";

async fn admin() -> Session {
    login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.expect("login")
}

#[tokio::test]
async fn pages_json_styles_and_scripts_are_compressed_as_the_browser_accepts() {
    let s = admin().await;
    let (_, page) = s.page("/").await;
    let css = url_after(&page, STYLESHEET).to_string();
    let js = url_after(&page, SCRIPT).to_string();
    for path in ["/", "/projects", "/battle-map", "/api/v1/projects", css.as_str(), js.as_str()] {
        for (accept, want) in [
            ("gzip, deflate, br, zstd", "br"),
            ("gzip", "gzip"),
            ("br;q=0, gzip", "gzip"),
            ("identity", ""),
        ] {
            let resp = fetch(&s, path, &[("accept-encoding", accept)]).await;
            assert_eq!(resp.status(), 200, "{path}");
            assert!(
                header(&resp, "vary").to_ascii_lowercase().contains("accept-encoding"),
                "{path}: Vary"
            );
            let (got, body) = decoded(resp).await;
            assert_eq!(got, want, "{path} with Accept-Encoding: {accept}");
            assert!(body.len() > 1000, "{path}: {} bytes", body.len());
            if path.starts_with("/api/") {
                serde_json::from_slice::<serde_json::Value>(&body).expect("JSON after decoding");
            }
        }
    }
    // The versioned and the plain URL serve the same file.
    let plain = decoded(fetch(&s, "/assets/app.css", &[("accept-encoding", "br")]).await).await.1;
    let versioned = decoded(fetch(&s, &css, &[("accept-encoding", "gzip")]).await).await.1;
    assert_eq!(plain, versioned);
    assert!(String::from_utf8(plain).unwrap().contains("body"));
}

#[tokio::test]
async fn spreadsheets_pdfs_and_photos_are_sent_as_they_are() {
    let app = spawn_app().await;
    let s = app.login("admin").await;
    let br = [("accept-encoding", "gzip, deflate, br")];
    for path in [
        "/api/v1/export/registry.xlsx",
        "/api/v1/export/projects.xlsx",
        "/api/v1/problems.xlsx",
    ] {
        let resp = fetch(&s, path, &br).await;
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(header(&resp, "content-encoding"), "", "{path} is a zip already");
        assert!(header(&resp, "content-type").contains("spreadsheetml"), "{path}");
        assert!(resp.bytes().await.unwrap().starts_with(b"PK"), "{path}");
    }
    // A node's evidence: a photo and a PDF (padded well above the size worth compressing).
    let (_, list) = app.get("/api/v1/projects?stage=construction&limit=50").await;
    let mut node = None;
    for p in list["items"].as_array().unwrap() {
        let (_, detail) = app.get(&format!("/api/v1/projects/{}", p["id"])).await;
        node = detail["nodes"].as_array().unwrap().iter().find(|n| n["status"] == "open").cloned();
        if node.is_some() {
            break;
        }
    }
    let node = node.expect("an open node under construction");
    let mut pdf = b"%PDF-1.4\n".to_vec();
    for i in 0..200 {
        pdf.extend_from_slice(format!("% line {i} of a test document\n").as_bytes());
    }
    pdf.extend_from_slice(b"trailer <<>>\n%%EOF\n");
    let (status, r) = s
        .report_node_with(
            node["id"].as_i64().unwrap(),
            node["version"].as_i64().unwrap(),
            "2019-12-20",
            "现场照片与许可证",
            &[("IMG_0001.jpg", SITE_PHOTO), ("许可证.pdf", &pdf)],
        )
        .await;
    assert!(status == 200 || status == 201, "{status} {r}");
    let nid = node["id"].as_i64().unwrap();
    let evidence = |kind: &str| format!("SELECT id FROM evidence WHERE node_id = {nid} AND content_type = '{kind}'");
    let ids = [
        app.scalar(&evidence("image/jpeg")).await,
        app.scalar(&evidence("application/pdf")).await,
    ];
    for (id, (kind, bytes)) in ids.iter().zip([("image/jpeg", SITE_PHOTO), ("application/pdf", pdf.as_slice())]) {
        let resp = fetch(&s, &format!("/evidence/{id}"), &br).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(header(&resp, "content-type"), kind);
        assert_eq!(header(&resp, "content-encoding"), "", "{kind} is sent as it is");
        assert_eq!(resp.bytes().await.unwrap().as_ref(), bytes);
    }
}

#[tokio::test]
async fn versioned_assets_are_cached_a_year_and_plain_urls_still_answer() {
    let s = admin().await;
    for page in ["/", "/projects", "/battle-map", "/todo", "/problems"] {
        let (_, html) = s.page(page).await;
        let css = url_after(&html, STYLESHEET);
        assert!(
            css.starts_with("/assets/app.") && css.len() == "/assets/app..css".len() + 10,
            "{page}: {css}"
        );
        assert!(
            !html.contains("\"/assets/app.js\"") && !html.contains("\"/assets/app.css\""),
            "{page} names a plain URL"
        );
    }
    let (_, html) = s.page("/").await;
    let script = url_after(&html, SCRIPT).to_string();
    let css = url_after(&html, STYLESHEET).to_string();
    let charts = url_after(&html, "data-charts=\"").to_string();
    for url in [&script, &css, &charts] {
        let resp = fetch(&s, url, &[]).await;
        assert_eq!(resp.status(), 200, "{url}");
        assert_eq!(header(&resp, "cache-control"), "public, max-age=31536000, immutable", "{url}");
    }
    // Anonymous browsers (the sign-in page) get them too.
    let resp = reqwest::get(format!("{}{css}", demo_base())).await.unwrap();
    assert_eq!(status_of(&resp), 200);
    // The plain URLs of before, and a version that is no longer current, still answer, to be
    // revalidated: 304 for the ETag the browser holds.
    for url in [
        "/assets/app.css",
        "/assets/app.js",
        "/assets/vendor/echarts.min.js",
        "/assets/app.0123456789.css",
        "/favicon.ico",
    ] {
        let resp = fetch(&s, url, &[]).await;
        assert_eq!(resp.status(), 200, "{url}");
        assert_eq!(header(&resp, "cache-control"), "public, no-cache", "{url}");
        let etag = header(&resp, "etag").to_string();
        assert!(!etag.is_empty(), "{url}");
        let again = fetch(&s, url, &[("if-none-match", &etag)]).await;
        assert_eq!(again.status(), 304, "{url}");
    }
    assert_eq!(fetch(&s, "/assets/nothing.js", &[]).await.status(), 404);
    assert_eq!(fetch(&s, "/assets/app.0123456789.exe", &[]).await.status(), 404);
}

#[tokio::test]
async fn pages_are_private_and_answer_304_when_unchanged() {
    let s = admin().await;
    for page in ["/battle-map", "/", "/projects?light=red"] {
        let resp = fetch(&s, page, &[]).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(header(&resp, "cache-control"), "private, no-cache", "{page}");
        let etag = header(&resp, "etag").to_string();
        assert!(etag.starts_with("W/\""), "{page}: {etag}");
        let again = fetch(&s, page, &[("if-none-match", &etag), ("accept-encoding", "br")]).await;
        assert_eq!(again.status(), 304, "{page}");
        assert!(again.bytes().await.unwrap().is_empty());
        let other = fetch(&s, page, &[("if-none-match", "W/\"0000\"")]).await;
        assert_eq!(other.status(), 200, "{page}");
    }
    // Another reader's page is another page (names, CSRF token): never their 304.
    let other = login(demo_base(), "fgj", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let etag = header(&fetch(&s, "/battle-map", &[]).await, "etag").to_string();
    assert_eq!(fetch(&other, "/battle-map", &[("if-none-match", &etag)]).await.status(), 200);
    // JSON and downloads keep `no-store`; signing out clears the browser's copies.
    assert_eq!(header(&fetch(&s, "/api/v1/projects", &[]).await, "cache-control"), "no-store");
    let out = crate::helpers::no_redirects()
        .post(format!("{}/api/v1/auth/logout", other.base))
        .header("cookie", &other.cookie)
        .header("x-csrf-token", &other.csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(status_of(&out), 204);
    assert_eq!(header(&out, "clear-site-data"), "\"cache\"");
}

#[tokio::test]
async fn only_pages_with_charts_name_the_chart_library_and_none_waits_for_it() {
    let s = admin().await;
    let (_, list) = crate::helpers::demo_get("/api/v1/projects?stage=construction&limit=1").await;
    let project = format!("/projects/{}", list["items"][0]["id"]);
    for page in ["/", project.as_str(), "/reports/monthly/2019-12"] {
        let (status, html) = s.page(page).await;
        assert_eq!(status, 200, "{page}");
        assert!(
            html.contains("data-charts=\"/assets/vendor/echarts.min."),
            "{page} names the chart library"
        );
        assert!(
            !html.contains("<script src=\"/assets/vendor/echarts"),
            "{page} loads it lazily, not before showing"
        );
    }
    for page in [
        "/projects",
        "/battle-map",
        "/todo",
        "/problems",
        "/map",
        "/attraction",
        "/audit",
        "/import",
    ] {
        let (status, html) = s.page(page).await;
        assert_eq!(status, 200, "{page}");
        assert!(!html.contains("echarts"), "{page} has no chart but names the chart library");
    }
    // The library is the small build, still ECharts 5.
    let resp = fetch(&s, "/assets/vendor/echarts.min.js", &[("accept-encoding", "br")]).await;
    let (_, js) = decoded(resp).await;
    assert!(js.len() < 700_000, "{} bytes", js.len());
    assert!(String::from_utf8_lossy(&js[..200]).contains("Apache ECharts 5."));
}
