//! The signed-in pages: the cockpit (驾驶舱), the project registry, the project page, the
//! battle map (挂图作战) and the map of streets and towns. Drawn on the server as HTML and SVG;
//! the only script draws the cockpit's ECharts charts. Every string comes from `i18n/`.

mod actions;
mod battle;
mod cockpit;
mod excel;
pub mod i18n;
mod map;
mod pipeline;
mod project;
mod registry;
mod reports;
mod service;

use crate::AppState;
use crate::auth::{Auth, Via, cookie};
use crate::error::ApiError;
use crate::pages::esc;
use axum::Router;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
pub use i18n::Lang;
use serde::Deserialize;
use zhantu_domain::Money;
use zhantu_domain::figures::Pct1;
use zhantu_domain::lights::Light;

const LANG_COOKIE: &str = "zhantu_lang";

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
        .merge(pipeline::router())
        .route("/lang", get(switch_lang))
        .route(
            "/favicon.ico",
            get(|| asset("image/svg+xml", include_str!("../../assets/favicon.svg"))),
        )
        .route(
            "/assets/app.js",
            get(|| asset("text/javascript; charset=utf-8", include_str!("../../assets/app.js"))),
        )
        .route(
            "/assets/vendor/echarts.min.js",
            get(|| {
                asset(
                    "text/javascript; charset=utf-8",
                    include_str!("../../assets/vendor/echarts/echarts.min.js"),
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

/// The signed-in user, the page's language and the request's path with its query.
pub struct Ctx {
    pub auth: Auth,
    pub lang: Lang,
    pub uri: String,
    pub path: String,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, PageError> {
        let auth = Auth::from_request_parts(parts, st).await.map_err(|e| PageError(e, Lang::Zh))?;
        let query_lang = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|kv| kv.strip_prefix("lang="))
            .and_then(Lang::from_code);
        let lang = query_lang
            .or_else(|| cookie(&parts.headers, LANG_COOKIE).as_deref().and_then(Lang::from_code))
            .unwrap_or(Lang::Zh);
        Ok(Ctx {
            auth,
            lang,
            uri: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            path: parts.uri.path().to_string(),
        })
    }
}

impl Ctx {
    pub fn t(&self, key: &str) -> &'static str {
        i18n::t(self.lang, key)
    }
    /// The projects the reader may see: `None` for readers of the whole district.
    pub fn scope(&self) -> Option<Vec<i64>> {
        (!self.auth.actor.reads_all()).then(|| self.auth.actor.unit_scope.clone())
    }
}

/// A page's error: the status and a short message in the page's language, as HTML.
pub struct PageError(pub ApiError, pub Lang);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e, Lang::Zh)
    }
}

impl From<zhantu_store::StoreError> for PageError {
    fn from(e: zhantu_store::StoreError) -> PageError {
        PageError(e.into(), Lang::Zh)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(e, lang) = self;
        if e.status == StatusCode::UNAUTHORIZED {
            return e.into_response();
        }
        let t = |k| i18n::t(lang, k);
        let body = format!(
            r#"<main id="main" class="narrow"><h1>{}</h1><p class="error" role="alert">{}</p><p><a href="/">{}</a></p></main>"#,
            e.status.as_u16(),
            esc(&e.message),
            t("nav.cockpit")
        );
        (e.status, Html(bare_page(lang, t("error.title"), &body))).into_response()
    }
}

#[derive(Deserialize)]
struct LangQuery {
    to: Option<String>,
    back: Option<String>,
}

/// `GET /lang?to=en&back=/projects`: remembers the language in a cookie and goes back.
async fn switch_lang(Query(q): Query<LangQuery>) -> Response {
    let lang = q.to.as_deref().and_then(Lang::from_code).unwrap_or(Lang::Zh);
    let back = crate::pages::safe_next(q.back.as_deref());
    let back = strip_param(back, "lang");
    let mut resp = Redirect::to(&back).into_response();
    if let Ok(v) = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000", lang.code()).parse() {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// The URL without one query parameter.
pub fn strip_param(uri: &str, name: &str) -> String {
    let Some((path, query)) = uri.split_once('?') else {
        return uri.to_string();
    };
    let rest: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.is_empty() && kv.split('=').next() != Some(name))
        .collect();
    if rest.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", rest.join("&"))
    }
}

/// Percent-encodes a query value.
pub fn qv(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A query string from (name, value) pairs, leaving out empty values.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", qv(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

fn bare_page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{} · {}</title><link rel="stylesheet" href="/assets/app.css"></head><body>{body}</body></html>"#,
        lang.html_code(),
        esc(title),
        i18n::t(lang, "app.name")
    )
}

/// The whole page: skip link, navigation, user bar with language switch and sign-out, the
/// body, and the scripts it names.
pub fn layout(cx: &Ctx, title: &str, body: &str, scripts: &[&str]) -> Html<String> {
    let t = |k: &str| -> &'static str { i18n::t(cx.lang, k) };
    let mut links = vec![
        ("/", "nav.cockpit"),
        ("/projects", "nav.registry"),
        ("/battle-map", "nav.battle_map"),
        ("/map", "nav.map"),
        ("/problems", "nav.problems"),
        ("/enterprises", "nav.enterprises"),
        ("/attraction", "nav.attraction"),
        ("/programs", "nav.programs"),
        ("/reports", "nav.reports"),
    ];
    if cx.auth.actor.may(zhantu_domain::access::Action::Import).is_ok() {
        links.push(("/import", "nav.import"));
    }
    if cx.auth.actor.reads_all() {
        links.push(("/audit", "nav.audit"));
    }
    if cx.auth.actor.may(zhantu_domain::access::Action::Administer).is_ok() {
        links.push(("/admin/users", "nav.users"));
    }
    links.push(("/account", "nav.account"));
    let nav: String = links
        .iter()
        .map(|(href, key)| {
            let current = if cx.path == *href || (*href == "/projects" && cx.path.starts_with("/projects/")) {
                r#" aria-current="page""#
            } else {
                ""
            };
            format!(r#"<a href="{href}"{current}>{}</a>"#, t(key))
        })
        .collect();
    let csrf = match &cx.auth.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    };
    let other = cx.lang.other();
    let back = strip_param(&cx.uri, "lang");
    let role = match cx.lang {
        Lang::Zh => cx.auth.user.role.label_zh(),
        Lang::En => cx.auth.user.role.label_en(),
    };
    let scripts: String = scripts.iter().map(|s| format!(r#"<script src="{s}" defer></script>"#)).collect();
    Html(format!(
        r##"<!doctype html><html lang="{html_lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · {app}</title><link rel="stylesheet" href="/assets/app.css">{scripts}</head><body>
<a class="skip" href="#main">{skip}</a>
<header class="top"><a class="brand" href="/">{app}</a><nav class="nav" aria-label="{nav_label}">{nav}</nav>
<div class="user"><span class="who">{name}<small>{role} · {unit}</small></span><a class="lang" href="/lang?to={other_code}&amp;back={back}" lang="{other_html}" hreflang="{other_html}">{other_name}</a><form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{csrf}"><button type="submit" class="quiet">{logout}</button></form></div></header>
<main id="main">{body}</main></body></html>"##,
        html_lang = cx.lang.html_code(),
        title = esc(title),
        app = t("app.name"),
        skip = t("nav.skip"),
        nav_label = t("nav.label"),
        name = esc(&cx.auth.user.display_name),
        role = esc(role),
        unit = esc(&cx.auth.user.unit_name),
        other_code = other.code(),
        other_html = other.html_code(),
        other_name = i18n::t(other, "lang.self"),
        back = esc(&qv(&back)),
        csrf = esc(csrf),
        logout = t("nav.logout"),
    ))
}

pub fn pct(p: Option<Pct1>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// Money for people: 万元/亿元 in Chinese, million/billion yuan in English.
pub fn money(lang: Lang, m: Money, big: bool) -> String {
    match lang {
        Lang::Zh if big => m.display_yi(),
        Lang::Zh => m.display_wan(),
        Lang::En => {
            let (div, unit) = if big { (1_000_000_000i128, "bn") } else { (1_000_000i128, "m") };
            // Hundredths of the unit, rounded half away from zero.
            let y = m.yuan() as i128 * 100;
            let h = if y >= 0 { (y + div / 2) / div } else { (y - div / 2) / div };
            let (sign, h) = if h < 0 { ("-", -h) } else { ("", h) };
            let whole = group(&(h / 100).to_string());
            format!("{sign}{whole}.{:02} {unit} yuan", h % 100)
        }
    }
}

fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A date in the page's language: 2019年12月31日 / 31 Dec 2019.
pub fn long_date(lang: Lang, d: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

pub fn light_label(lang: Lang, l: Light) -> &'static str {
    i18n::t(lang, &format!("light.{}", l.code()))
}

/// A coloured dot with the light's name (the colour is never the only signal).
pub fn light_badge(lang: Lang, l: Option<Light>, reason: Option<&str>) -> String {
    match l {
        Some(l) => format!(
            r#"<span class="light light-{}" title="{}">{}</span>"#,
            l.code(),
            esc(reason.unwrap_or("")),
            light_label(lang, l)
        ),
        None => r#"<span class="light light-none">—</span>"#.into(),
    }
}

pub fn stage_label(lang: Lang, s: zhantu_domain::Stage) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

/// The reader may see this project (same rule as the API): 404 when absent, 403 outside scope.
pub async fn check_read(st: &AppState, cx: &Ctx, id: i64) -> Result<(), PageError> {
    crate::api::check_project(st, &cx.auth.actor, id, crate::api::read)
        .await
        .map_err(|e| {
            // The page says it in the reader's language; the API's message is Chinese.
            let e = if e.code == "not_found" {
                ApiError::not_found(format!("{} {id}", cx.t("error.no_project")))
            } else {
                e
            };
            PageError(e, cx.lang)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_and_money() {
        assert_eq!(strip_param("/projects?lang=en&light=red", "lang"), "/projects?light=red");
        assert_eq!(strip_param("/?lang=en", "lang"), "/");
        assert_eq!(
            query_string(&[("light", "red"), ("q", "海 门"), ("x", "")]),
            "?light=red&q=%E6%B5%B7%20%E9%97%A8"
        );
        let m = Money::from_wan(3_635_000);
        assert_eq!(money(Lang::Zh, m, true), "363.50亿元");
        assert_eq!(money(Lang::En, m, true), "36.35 bn yuan");
        assert_eq!(money(Lang::En, Money::from_wan(12_345), false), "123.45 m yuan");
        assert_eq!(
            long_date(Lang::Zh, NaiveDate::from_ymd_opt(2019, 12, 31).unwrap()),
            "2019年12月31日"
        );
    }
}
