//! The project page's light history (亮灯历史), owned by the `lights` mechanism
//! (templates/lights/history.html): the project's light per month and per week as a strip of
//! colours, each period marked 转绿 where it turned green after a red one.

use crate::page::{Ctx, Markup};
use askama::Template;
use chrono::Datelike;
use zhantu_store::{LightHistory, Snapshot};

struct Cell {
    /// `light-red` …
    class: &'static str,
    /// The colour in words (the colour is never the only signal).
    light: &'static str,
    /// `3月`, `W12`.
    label: String,
    /// The period, its light and its reason, for the tooltip.
    title: String,
    recovered: bool,
}

#[derive(Template)]
#[template(path = "lights/history.html")]
struct HistoryPanel<'a> {
    cx: &'a Ctx,
    /// (heading key, cells): by month, then by week.
    strips: Vec<(&'static str, Vec<Cell>)>,
    /// How many months turned green, and the clocks that closed late, in words.
    note: String,
    /// Each month's label and the reason that explained its light, in the reader's language:
    /// a tooltip cannot mark the names an English reason holds as data, a list can.
    reasons: Vec<(String, Markup)>,
}

fn cell(cx: &Ctx, s: &Snapshot, label: String) -> Cell {
    let light = cx.light(s.light);
    let mut title = format!("{} – {}{}{light}", s.period_start, s.period_end, cx.t("common.colon"));
    if s.recovered {
        title.push_str(&format!(
            "{}{}{}",
            cx.t("common.open_paren"),
            cx.t("lights.recovered"),
            cx.t("common.close_paren")
        ));
    }
    // The reason as a tooltip in Chinese; an English page lists the reasons under the strip.
    if let Some(r) = s.reason.as_ref().filter(|_| cx.lang == crate::page::Lang::Zh) {
        title.push_str(&format!(" · {r}"));
    }
    Cell {
        class: match s.light {
            zhantu_domain::lights::Light::Red => "light-red",
            zhantu_domain::lights::Light::Yellow => "light-yellow",
            zhantu_domain::lights::Light::Green => "light-green",
        },
        light,
        label,
        title,
        recovered: s.recovered,
    }
}

pub fn history(cx: &Ctx, h: &LightHistory) -> Markup {
    let months = h
        .months
        .iter()
        .map(|s| cell(cx, s, cx.tf("lights.month_n", &[("m", &s.period_start.month().to_string())])))
        .collect();
    let weeks = h
        .weeks
        .iter()
        .map(|s| cell(cx, s, format!("W{}", s.period_start.iso_week().week())))
        .collect();
    let mut note = String::new();
    let recovered = h.months.iter().filter(|s| s.recovered).count();
    if recovered > 0 {
        note.push_str(&cx.tf("lights.recovered_n", &[("n", &recovered.to_string())]));
    }
    if let Some(late) = h.months.last().map(|s| s.late_clocks).filter(|n| *n > 0) {
        note.push(' ');
        note.push_str(&cx.tf("lights.late_clocks_n", &[("n", &late.to_string())]));
    }
    let reasons = h
        .months
        .iter()
        .filter_map(|s| {
            let label = cx.tf("lights.month_n", &[("m", &s.period_start.month().to_string())]);
            let reason = match (cx.lang, &s.reason_en, &s.reason) {
                (crate::page::Lang::En, Some(en), _) => crate::page::names_marked(en),
                (_, _, Some(zh)) => crate::page::recorded_text(zh),
                _ => return None,
            };
            Some((label, reason))
        })
        .collect();
    let strips = if h.months.is_empty() && h.weeks.is_empty() {
        Vec::new()
    } else {
        vec![("lights.by_month", months), ("lights.by_week", weeks)]
    };
    Markup::of(&HistoryPanel { cx, strips, note, reasons })
}
