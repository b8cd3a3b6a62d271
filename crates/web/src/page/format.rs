//! Formatting for people: money in 万元/亿元 (million/billion yuan in English), dates,
//! percentages, lights and stages in the page's language, and query strings.

use super::{Lang, Markup, i18n};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use zhantu_domain::Money;
use zhantu_domain::figures::Pct1;
use zhantu_domain::lights::Light;

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

/// The link to an offset-paged list's next page, while there is one: `path` with the list's
/// query (`pairs`) and the next offset.
pub fn next_page(path: &str, pairs: &[(&str, &str)], offset: i64, limit: i64, total: i64) -> Option<String> {
    (offset + limit < total).then(|| {
        let next = (offset + limit).to_string();
        let mut with = pairs.to_vec();
        with.push(("offset", &next));
        format!("{path}{}", query_string(&with))
    })
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

/// A moment as the store keeps it (RFC 3339, UTC) for people: in the district's time zone,
/// Asia/Shanghai (UTC+8 all year, no daylight saving), with the zone named, so that no page
/// shows a bare UTC time: `2019-12-31 14:05 (UTC+8)`, `2019-12-31 14:05（北京时间）`. Text that is
/// not a moment is shown as it is. Every page shows times through this function.
pub fn local_time(lang: Lang, rfc3339: &str) -> String {
    if chrono::DateTime::parse_from_rfc3339(rfc3339).is_err() {
        return rfc3339.to_string();
    }
    zoned(lang, &zhantu_store::beijing_time(rfc3339))
}

/// A time already in the district's zone (`2019-12-31 14:05`) with the zone named.
pub fn zoned(lang: Lang, local: &str) -> String {
    if local.is_empty() {
        return String::new();
    }
    match lang {
        Lang::Zh => format!("{local}（{}）", i18n::t(lang, "time.zone")),
        Lang::En => format!("{local} ({})", i18n::t(lang, "time.zone")),
    }
}

pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}')
}

#[derive(Template)]
#[template(path = "partials/runs.html")]
struct Runs {
    runs: Vec<(String, bool)>,
}

/// A sentence made in English from translated words and names kept in Chinese (a light's
/// reason: "Red: 施工许可 overdue by 113 days"): the English words carry no Chinese, so each
/// run of Chinese in it is a name, and is marked as data.
pub fn names_marked(text: &str) -> Markup {
    let mut runs: Vec<(String, bool)> = Vec::new();
    for c in text.chars() {
        let data = is_cjk(c) || (c == ' ' && runs.last().is_some_and(|r| r.1));
        match runs.last_mut() {
            Some((s, d)) if *d == data => s.push(c),
            _ => runs.push((c.to_string(), data)),
        }
    }
    Markup::of(&Runs { runs })
}

#[derive(Template)]
#[template(source = "<span translate=\"no\">{{ text }}</span>", ext = "html")]
struct RecordedText<'a> {
    text: &'a str,
}

/// Text kept as it was recorded (a reason computed before English ones were kept), marked as
/// data as a whole (`data_text` marks only the Chinese runs of a generated English text).
pub fn recorded_text(text: &str) -> Markup {
    Markup::of(&RecordedText { text })
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
}

pub fn light_label(lang: Lang, l: Light) -> &'static str {
    i18n::t(lang, &format!("light.{}", l.code()))
}

#[derive(Template)]
#[template(path = "partials/light.html")]
struct LightBadge<'a> {
    light: Option<Light>,
    label: &'a str,
    reason: &'a str,
}

/// A coloured dot with the light's name (the colour is never the only signal), the reason as
/// its tooltip when the reason is in the page's language (lists carry the Chinese reason only:
/// an English page then shows the light's name alone).
pub fn light_badge(lang: Lang, l: Option<Light>, reason: Option<&str>) -> Markup {
    let reason = reason.unwrap_or("");
    Markup::of(&LightBadge {
        light: l,
        label: l.map(|l| light_label(lang, l)).unwrap_or("—"),
        reason: if lang == Lang::En && reason.chars().any(is_cjk) {
            ""
        } else {
            reason
        },
    })
}

#[derive(Template)]
#[template(path = "partials/light_reason.html")]
struct LightWithReason {
    badge: Markup,
    /// The English reason with its names marked as data.
    en: Option<Markup>,
    /// The Chinese reason where no English was kept (lit before 0025), marked as data.
    zh: Option<String>,
}

/// A node's or project's light with its reason in the reader's language: in Chinese the badge
/// with the reason as its tooltip; in English the badge with the English reason beside it, its
/// names (kept as recorded) marked as data, which a tooltip could not do. A reason lit before
/// English reasons were kept (`en` is `None`) shows in Chinese, marked as such.
pub fn light_with_reason(lang: Lang, l: Option<Light>, zh: Option<&str>, en: Option<&str>) -> Markup {
    match lang {
        Lang::Zh => light_badge(lang, l, zh),
        Lang::En => Markup::of(&LightWithReason {
            badge: light_badge(lang, l, None),
            en: en.filter(|_| l.is_some()).map(names_marked),
            zh: zh.filter(|_| l.is_some() && en.is_none()).map(str::to_string),
        }),
    }
}

/// A reason in the reader's language as plain text (an SVG tooltip): the English one when it
/// was kept, else the Chinese one.
pub fn reason_text<'a>(lang: Lang, zh: Option<&'a str>, en: Option<&'a str>) -> Option<&'a str> {
    match lang {
        Lang::Zh => zh,
        Lang::En => en.or(zh),
    }
}

/// A category's name in the page's language: a district's category that still has the name it
/// was shipped with (`prov152`, 省"152"项目) has an English name; one the district named itself
/// is shown as named.
pub fn category_name(lang: Lang, code: &str, name: &str) -> String {
    let shipped = zhantu_domain::defaults::CATEGORIES.iter().any(|c| c.code == code && c.name == name);
    match lang {
        Lang::En if shipped => i18n::lookup(lang, &format!("category.name.{code}")).unwrap_or(name).to_string(),
        _ => name.to_string(),
    }
}

pub fn stage_label(lang: Lang, s: zhantu_domain::Stage) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

/// Only same-site relative paths may be redirected to after sign-in. Browsers drop tabs and
/// newlines and read `\` as `/`, so `/\t/evil.example` would leave the site: such paths are
/// refused whole.
pub fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.chars().any(|c| c == '\\' || c.is_control()) => n,
        _ => "/",
    }
}
