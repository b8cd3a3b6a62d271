//! What every page shares, and nothing else: the request's context (`Ctx`: the signed-in user,
//! the language, the path), the page error, the layout around every page, the flash message,
//! the CSRF field, the answer after a form, and the formatting of money, dates and lights.
//! Pages are askama templates (`templates/`), which escape every value by default; a piece of
//! HTML is passed between templates only as [`Markup`], which only a template can make.
//! This module imports no mechanism.

pub mod admin;
pub mod audit;
pub mod filters;
mod format;
pub mod i18n;
pub mod problem_table;
pub mod programmes;
pub mod refusal;
pub mod select;

pub use format::*;
pub use i18n::{Lang, t, tf};

use crate::AppState;
use crate::auth::{Auth, Via, cookie};
use crate::error::ApiError;
use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::fmt;

pub const LANG_COOKIE: &str = "zhantu_lang";

/// HTML made by a template: the one way a piece of a page reaches another template without
/// being escaped again. Nothing but [`Markup::of`] (a rendered template) makes one.
#[derive(Clone, Default)]
pub struct Markup(String);

impl Markup {
    /// Renders a template (askama escapes every value in it).
    pub fn of(t: &impl Template) -> Markup {
        Markup(named_entities(t.render().unwrap_or_else(|e| {
            tracing::error!(error = %e, "a template failed to render");
            String::new()
        })))
    }
    pub fn into_string(self) -> String {
        self.0
    }
}

/// askama escapes `<`, `>`, `&` and `"` as numeric entities (`&#60;`); the pages have always
/// spelled them by name (`&lt;`), as `esc` does, and clients and tests read them so. Same
/// meaning, same bytes as before. Sound because only askama's escaping writes these four
/// sequences: a `&#60;` typed by a user is escaped to `&#38;#60;`, which becomes `&amp;#60;`.
fn named_entities(html: String) -> String {
    if !html.contains("&#") {
        return html;
    }
    html.replace("&#60;", "&lt;")
        .replace("&#62;", "&gt;")
        .replace("&#34;", "&quot;")
        .replace("&#38;", "&amp;")
}

impl fmt::Display for Markup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Askama writes a `Markup` as it is: it was escaped when its template rendered.
impl askama::filters::HtmlSafe for Markup {}

/// A generated English text with data values in it (names, free text): its Chinese runs —
/// in an English text only ever data — are marked `translate="no"`, as data is everywhere.
#[derive(Template)]
#[template(
    source = r#"{% for (data, t) in parts %}{% if *data %}<span translate="no">{{ t }}</span>{% else %}{{ t }}{% endif %}{% endfor %}"#,
    ext = "html"
)]
struct DataText<'a> {
    parts: Vec<(bool, &'a str)>,
}

/// `text` escaped, with its Chinese runs marked as data when `lang` is English (a Chinese
/// text is only escaped).
pub fn data_text(lang: zhantu_domain::lang::Lang, text: &str) -> Markup {
    use zhantu_domain::lang::{Lang, is_cjk};
    let mut parts: Vec<(bool, &str)> = Vec::new();
    if lang == Lang::Zh {
        parts.push((false, text));
    } else {
        let mut start = 0;
        let mut current: Option<bool> = None;
        for (i, c) in text.char_indices() {
            let cjk = is_cjk(c);
            match current {
                Some(k) if k != cjk => {
                    parts.push((k, &text[start..i]));
                    start = i;
                }
                _ => {}
            }
            current = Some(cjk);
        }
        if let Some(k) = current {
            parts.push((k, &text[start..]));
        }
    }
    Markup::of(&DataText { parts })
}

/// A template as the page's answer.
pub fn html(t: &impl Template) -> Html<String> {
    Html(Markup::of(t).0)
}

/// The signed-in user, the page's language, the request's path with its query, and the count
/// of what waits for the user (the header's badge: to-do items and unread notifications).
pub struct Ctx {
    pub auth: Auth,
    pub lang: Lang,
    pub uri: String,
    pub path: String,
    pub waiting: Option<i64>,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, PageError> {
        let auth = Auth::from_request_parts(parts, st).await.map_err(|e| PageError(e, Lang::Zh))?;
        let lang = request_lang(parts);
        // The badge never stops a page: a count that fails is left out (and logged).
        let waiting = match st.store.waiting(&auth.todo_reader()).await {
            Ok(w) => Some(w.total()),
            Err(e) => {
                tracing::warn!(error = %e, "the header's count of what is waiting failed");
                None
            }
        };
        Ok(Ctx {
            waiting,
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

/// The language of a request: `?lang=`, else the remembered choice, else Chinese.
pub fn request_lang(parts: &Parts) -> Lang {
    let query_lang = parts.uri.query().unwrap_or("").split('&').find_map(|kv| kv.strip_prefix("lang="));
    anonymous_lang(query_lang, &parts.headers)
}

/// The reader's language, for a handler that answers with a page but needs no `Ctx` (a
/// form's answer: [`back`]).
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(request_lang(parts))
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
    /// The session's CSRF token for the forms of the page ("" for an API token, which needs none).
    pub fn csrf(&self) -> &str {
        csrf_of(&self.auth)
    }
    /// Wraps an error (the API's, or the store's) in the page's language.
    pub fn err<E: Into<ApiError>>(&self) -> impl Fn(E) -> PageError + '_ {
        move |e| PageError(e.into(), self.lang)
    }
    pub fn money(&self, m: zhantu_domain::Money) -> String {
        money(self.lang, m, false)
    }
    pub fn money_big(&self, m: zhantu_domain::Money) -> String {
        money(self.lang, m, true)
    }
    pub fn long_date(&self, d: chrono::NaiveDate) -> String {
        long_date(self.lang, d)
    }
    pub fn light(&self, l: zhantu_domain::lights::Light) -> &'static str {
        light_label(self.lang, l)
    }
    pub fn tf(&self, key: &str, args: &[(&str, &str)]) -> String {
        tf(self.lang, key, args)
    }
    /// Whether the reader administers the system: only administrators are offered the pages'
    /// raw JSON ("JSON" links); everyone else reads the page.
    pub fn is_admin(&self) -> bool {
        self.auth.actor.may(zhantu_domain::access::Action::Administer).is_ok()
    }
    /// A stored moment in the district's time zone, the zone named ([`local_time`]).
    pub fn time(&self, rfc3339: &str) -> String {
        local_time(self.lang, rfc3339)
    }
}

/// The CSRF token of a session ("" for an API token).
pub fn csrf_of(a: &Auth) -> &str {
    match &a.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    }
}

#[derive(Template)]
#[template(path = "partials/csrf.html")]
struct CsrfField<'a> {
    token: &'a str,
}

/// The hidden CSRF field every form of a page carries.
pub fn csrf_field(a: &Auth) -> Markup {
    Markup::of(&CsrfField { token: csrf_of(a) })
}

/// The message a form leaves on the page it returns to: `ok` is a word (`raised`, `created`:
/// what [`flash_word`] makes of a message's key, so the URL carries no translation key and no
/// text; the page finds the message under its own flash prefixes), `error` the refusal.
#[derive(Deserialize, Default)]
pub struct Flash {
    pub ok: Option<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "partials/flash.html")]
struct FlashMessage<'a> {
    error: Option<Markup>,
    ok: Option<&'a str>,
}

impl Flash {
    /// The message as HTML: `ok` is looked up as `prefix + word` under each of the page's flash
    /// prefixes (`service.flash.`, `units.flash_`); a word none of them has is not shown.
    /// `error` was said in the reader's language when the form was refused ([`back`]); in an
    /// English page its Chinese runs are the values it quotes, marked as data.
    pub fn show(&self, cx: &Ctx, prefixes: &[&str]) -> Markup {
        let ok = self
            .ok
            .as_deref()
            .filter(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
            .and_then(|w| prefixes.iter().find_map(|p| i18n::lookup(cx.lang, &format!("{p}{w}"))));
        Markup::of(&FlashMessage {
            error: self.error.as_deref().map(|e| data_text(cx.lang.into(), e)),
            ok,
        })
    }
}

#[derive(Template)]
#[template(path = "refused.html")]
struct Refused<'a> {
    lang: Lang,
    /// Why, in the reader's language (the values it quotes marked as data).
    message: Markup,
    /// The refusal's own words when they are not in the reader's language (the store's and
    /// the rules' messages are Chinese), shown as data beneath.
    detail: Option<&'a str>,
    back: &'a str,
}

/// A refusal in the reader's language ([`refusal::refusal_message`]), with a Chinese message
/// kept as detail in English.
fn refusal_text(lang: Lang, e: &ApiError) -> (String, Option<&str>) {
    let chinese = e.message.chars().any(is_cjk);
    let detail = (lang == Lang::En && chinese).then_some(e.message.as_str());
    (refusal::refusal_message(lang, e), detail)
}

/// The word a message's key travels as in the URL (`service.flash.raised` → `raised`,
/// `units.flash_created` → `created`): the key after its mechanism's flash prefix.
pub fn flash_word(key: &str) -> &str {
    key.rsplit_once("flash.")
        .or_else(|| key.rsplit_once("flash_"))
        .map(|(_, w)| w)
        .unwrap_or(key)
}

/// After a form: back to the page with a message (`ok` a translation key, sent as its
/// [`flash_word`]; `error` a refusal of bad input, said in the reader's language `lang` here,
/// as the page shows it: the URL carries no Chinese to an English reader but the values the
/// refusal quotes). A refusal other than bad input (no right, a stale version) answers with
/// its own status and a page saying why, in the reader's language.
pub fn back(lang: Lang, to: &str, result: Result<&str, ApiError>) -> Response {
    let q = match result {
        Ok(k) => format!("ok={}", crate::guard::urlencode(flash_word(k))),
        Err(e) if e.status == StatusCode::BAD_REQUEST => {
            format!("error={}", crate::guard::urlencode(&refusal::refusal_message(lang, &e)))
        }
        Err(e) => {
            let (message, detail) = refusal_text(lang, &e);
            return (
                e.status,
                html(&Refused {
                    lang,
                    message: data_text(lang.into(), &message),
                    detail,
                    back: to,
                }),
            )
                .into_response();
        }
    };
    Redirect::to(&format!("{to}?{q}")).into_response()
}

/// After a form that made a record: on to the record's page (`{list}/{id}`) with the message
/// `ok`; a refusal goes back to the list, as with [`back`].
pub fn to_created(lang: Lang, list: &str, made: Result<i64, ApiError>, ok: &str) -> Response {
    match made {
        Ok(id) => back(lang, &format!("{list}/{id}"), Ok(ok)),
        Err(e) => back(lang, list, Err(e)),
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

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    lang: Lang,
    status: u16,
    /// In the page's language, the values it quotes marked as data.
    message: Markup,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let PageError(e, lang) = self;
        if e.status == StatusCode::UNAUTHORIZED {
            return e.into_response();
        }
        (
            e.status,
            html(&ErrorPage {
                lang,
                status: e.status.as_u16(),
                message: data_text(lang.into(), &refusal::refusal_message(lang, &e)),
            }),
        )
            .into_response()
    }
}

/// One link of the main navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

impl NavLink {
    /// The links of a navigation from its (href, label key) pairs, in the page's language, each
    /// marked current when `current(href)` says so.
    pub fn list(cx: &Ctx, items: impl IntoIterator<Item = (&'static str, &'static str)>, current: impl Fn(&str) -> bool) -> Vec<NavLink> {
        items
            .into_iter()
            .map(|(href, key)| NavLink {
                href,
                label: cx.t(key),
                current: current(href),
            })
            .collect()
    }
}

#[derive(Template)]
#[template(path = "layout.html")]
struct Layout<'a> {
    cx: &'a Ctx,
    title: &'a str,
    body: Markup,
    /// The page's scripts at their versioned URLs.
    scripts: Vec<&'a str>,
    /// The chart library's URL, when the page named it: `app.js` loads it when a chart
    /// comes into view rather than the page waiting for it.
    charts: Option<&'static str>,
    nav: Vec<NavLink>,
    role: &'a str,
    other: Lang,
    back: String,
}

/// The whole page: skip link, navigation, user bar with language switch and sign-out, the
/// body, and the scripts it names (plain `/assets/` paths, sent as their versioned URLs; the
/// chart library, `/assets/vendor/echarts.min.js`, is named for `app.js` to load lazily).
pub fn layout(cx: &Ctx, title: &str, body: Markup, scripts: &[&str]) -> Html<String> {
    use zhantu_domain::access::Action;
    let mut links = vec![
        ("/todo", "nav.todo"),
        ("/", "nav.cockpit"),
        ("/projects", "nav.registry"),
        ("/battle-map", "nav.battle_map"),
        ("/map", "nav.map"),
        ("/problems", "nav.problems"),
        ("/instructions", "nav.instructions"),
        ("/enterprises", "nav.enterprises"),
        ("/attraction", "nav.attraction"),
        ("/results", "nav.results"),
        ("/programs", "nav.programs"),
        ("/reports", "nav.reports"),
        ("/statistics", "nav.statistics"),
    ];
    if cx.auth.actor.may(Action::Import).is_ok() {
        links.push(("/import", "nav.import"));
    }
    if cx.auth.actor.reads_all() {
        links.push(("/audit", "nav.audit"));
    }
    if cx.auth.actor.may(Action::Administer).is_ok() {
        links.push(("/admin/users", "nav.users"));
    }
    if cx.auth.actor.may(Action::ManageMasterData).is_ok() {
        links.push(("/admin/units", "nav.master_data"));
    }
    links.push(("/account", "nav.account"));
    let master_data = cx.path.starts_with("/admin/") && !cx.path.starts_with("/admin/users");
    let nav = NavLink::list(cx, links, |href| {
        cx.path == href || (href == "/projects" && cx.path.starts_with("/projects/")) || (href == "/admin/units" && master_data)
    });
    let role = match cx.lang {
        Lang::Zh => cx.auth.user.role.label_zh(),
        Lang::En => cx.auth.user.role.label_en(),
    };
    let charts = scripts
        .iter()
        .any(|s| *s == crate::assets::ECHARTS_PATH)
        .then(|| crate::assets::url(crate::assets::ECHARTS));
    html(&Layout {
        cx,
        title,
        body,
        scripts: scripts
            .iter()
            .filter(|s| **s != crate::assets::ECHARTS_PATH)
            .map(|s| crate::assets::versioned(s))
            .collect(),
        charts,
        nav,
        role,
        other: cx.lang.other(),
        // A refusal's message was said in this language: the other one goes without it.
        back: qv(&strip_param(&strip_param(&cx.uri, "lang"), "error")),
    })
}

#[derive(Template)]
#[template(path = "bare.html")]
struct Bare<'a> {
    lang: Lang,
    title: &'a str,
    body: Markup,
}

/// The language of a page without a signed-in reader (sign-in, setup): `?lang=`, else the
/// remembered choice, else Chinese.
pub fn anonymous_lang(query_lang: Option<&str>, headers: &axum::http::HeaderMap) -> Lang {
    query_lang
        .and_then(Lang::from_code)
        .or_else(|| cookie(headers, LANG_COOKIE).as_deref().and_then(Lang::from_code))
        .unwrap_or(Lang::Zh)
}

/// A page without navigation (sign-in, errors).
pub fn bare_page(lang: Lang, title: &str, body: Markup) -> Html<String> {
    html(&Bare { lang, title, body })
}

/// The reader may see this project (same rule as the API): 404 when absent, 403 outside scope.
pub async fn check_read(st: &AppState, cx: &Ctx, id: i64) -> Result<(), PageError> {
    crate::access::check_project(st, &cx.auth.actor, id, crate::access::read)
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
    use chrono::NaiveDate;
    use zhantu_domain::Money;

    #[test]
    fn entities_spelled_by_name() {
        assert_eq!(
            named_entities("&#60;b&#62; &#38; &#34;x&#34; &#39;".into()),
            "&lt;b&gt; &amp; &quot;x&quot; &#39;"
        );
        // A user's literal "&#60;" stays text.
        assert_eq!(named_entities("&#38;#60;".into()), "&amp;#60;");
    }

    #[test]
    fn flash_words_carry_no_key() {
        assert_eq!(flash_word("service.flash.raised"), "raised");
        assert_eq!(flash_word("units.flash_created"), "created");
        assert_eq!(flash_word("pipeline.flash_batch_created"), "batch_created");
    }

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
