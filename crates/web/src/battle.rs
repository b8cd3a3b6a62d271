//! `/battle-map`: 挂图作战, the wall chart. Every project of the selection is a row with its
//! nodes on a time axis, a line at the data date, node state and lights in colour, grouped
//! by unit, leader or category. Drawn on the server as SVG (no script): three pieces in a
//! scrolling grid whose axis and names stay in view (CSS sticky), or one SVG file to download
//! (`/battle-map.svg`) for printing on the meeting room's wall.

use crate::page::i18n::tf;
use crate::page::project_filter::{ListQuery, filter_form};
use crate::page::{Ctx, Lang, PageError, esc, layout_legacy, light_label, long_date, query_string};
use crate::{AppState, Mechanism};
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Deserialize;
use std::fmt::Write;
use zhantu_domain::lights::Light;
use zhantu_store::MapRow;

pub const MECHANISM: Mechanism = Mechanism {
    name: "battle",
    pages,
    api: Mechanism::none,
    write_routes: &[],
};

fn pages() -> Router<AppState> {
    Router::new()
        .route("/battle-map", get(page))
        .route("/battle-map.svg", get(export))
}

/// Most projects in the exported SVG; narrower filters show the rest.
const MAX_ROWS: u32 = 3000;
/// Projects per page of the battle map (a district's hundreds fit on one; a province pages).
const PAGE_ROWS: u32 = 300;
const ROW_H: f64 = 22.0;
const AXIS_H: f64 = 44.0;
const NAME_W: f64 = 280.0;
/// Up to this many rows each node gets its own hover title.
const TIP_ROWS: usize = 400;

#[derive(Debug, Deserialize, Default)]
struct BattleQuery {
    #[serde(flatten)]
    list: ListQuery,
    group: Option<String>,
    zoom: Option<String>,
    /// 1-based page of `PAGE_ROWS` projects.
    page: Option<String>,
}

impl BattleQuery {
    fn page(&self) -> u32 {
        self.page.as_deref().and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1).max(1)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Zoom {
    Week,
    Month,
    Quarter,
    Year,
}

impl Zoom {
    const ALL: [Zoom; 4] = [Zoom::Week, Zoom::Month, Zoom::Quarter, Zoom::Year];
    fn code(self) -> &'static str {
        match self {
            Zoom::Week => "week",
            Zoom::Month => "month",
            Zoom::Quarter => "quarter",
            Zoom::Year => "year",
        }
    }
    fn px_per_day(self) -> f64 {
        match self {
            Zoom::Week => 14.0,
            Zoom::Month => 4.0,
            Zoom::Quarter => 1.5,
            Zoom::Year => 0.5,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    None,
    Unit,
    Leader,
    Category,
}

impl Group {
    const ALL: [Group; 4] = [Group::Unit, Group::Leader, Group::Category, Group::None];
    fn code(self) -> &'static str {
        match self {
            Group::None => "none",
            Group::Unit => "unit",
            Group::Leader => "leader",
            Group::Category => "category",
        }
    }
}

/// A row of the chart: a group's heading or a project.
enum Line<'a> {
    Heading(String, usize),
    Project(&'a MapRow),
}

struct Chart<'a> {
    lines: Vec<Line<'a>>,
    start: NaiveDate,
    end: NaiveDate,
    as_of: NaiveDate,
    zoom: Zoom,
}

fn color(light: Option<Light>, done: bool) -> &'static str {
    match (light, done) {
        (Some(Light::Red), _) => "#c0392b",
        (Some(Light::Yellow), _) => "#c98e00",
        (_, true) => "#2e8b57",
        (Some(Light::Green), false) => "#2e8b57",
        (None, false) => "#7b8794",
    }
}

fn month_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

impl<'a> Chart<'a> {
    fn new(rows: &'a [MapRow], group: Group, zoom: Zoom, as_of: NaiveDate, lang: Lang) -> Chart<'a> {
        let dates = rows
            .iter()
            .flat_map(|r| r.nodes.iter().flat_map(|n| [Some(n.planned_on), n.actual_on]).flatten());
        let (mut min, mut max) = (as_of, as_of);
        for d in dates {
            min = min.min(d);
            max = max.max(d);
        }
        // At most three years either side of the data date.
        let lo = as_of.checked_sub_months(Months::new(36)).unwrap_or(min);
        let hi = as_of.checked_add_months(Months::new(36)).unwrap_or(max);
        let start = month_start(min.max(lo));
        let end = month_start(max.min(hi)).checked_add_months(Months::new(1)).unwrap_or(max);
        let key = |r: &MapRow| -> String {
            match group {
                Group::None => String::new(),
                Group::Unit => r.project.unit.name.clone(),
                Group::Leader => r
                    .project
                    .leader
                    .as_ref()
                    .map(|l| l.name.clone())
                    .unwrap_or_else(|| crate::page::i18n::t(lang, "battle.no_leader").into()),
                Group::Category => r
                    .project
                    .categories
                    .first()
                    .cloned()
                    .unwrap_or_else(|| crate::page::i18n::t(lang, "battle.no_category").into()),
            }
        };
        let mut sorted: Vec<&MapRow> = rows.iter().collect();
        sorted.sort_by(|a, b| {
            key(a)
                .cmp(&key(b))
                .then(a.nodes.first().map(|n| n.planned_on).cmp(&b.nodes.first().map(|n| n.planned_on)))
                .then(a.project.id.cmp(&b.project.id))
        });
        let mut lines = Vec::new();
        let mut i = 0;
        while i < sorted.len() {
            let k = key(sorted[i]);
            let j = sorted[i..].iter().position(|r| key(r) != k).map(|p| i + p).unwrap_or(sorted.len());
            if group != Group::None {
                lines.push(Line::Heading(k, j - i));
            }
            lines.extend(sorted[i..j].iter().map(|r| Line::Project(r)));
            i = j;
        }
        Chart {
            lines,
            start,
            end,
            as_of,
            zoom,
        }
    }

    fn x(&self, d: NaiveDate) -> f64 {
        (d - self.start).num_days() as f64 * self.zoom.px_per_day()
    }
    fn width(&self) -> f64 {
        self.x(self.end).max(200.0)
    }
    fn height(&self) -> f64 {
        (self.lines.len().max(1) as f64) * ROW_H
    }

    /// Tick dates of the axis: weeks, months, quarters or years.
    fn ticks(&self) -> Vec<(NaiveDate, bool)> {
        let mut out = Vec::new();
        let mut d = self.start;
        match self.zoom {
            Zoom::Week => {
                // Mondays; months are the major ticks.
                while d <= self.end {
                    if d.day() == 1 {
                        out.push((d, true));
                    }
                    if d.weekday() == chrono::Weekday::Mon {
                        out.push((d, false));
                    }
                    d = d + Days::new(1);
                }
            }
            _ => {
                while d <= self.end {
                    let major = match self.zoom {
                        Zoom::Month => true,
                        Zoom::Quarter => d.month() % 3 == 1,
                        _ => d.month() == 1,
                    };
                    out.push((d, major));
                    d = d.checked_add_months(Months::new(1)).unwrap_or(self.end + Days::new(1));
                }
            }
        }
        out
    }

    fn axis(&self, cx: &Ctx, s: &mut String) {
        let w = self.width();
        let _ = write!(s, r##"<rect width="{w:.0}" height="{AXIS_H}" fill="#f5f7fa"/>"##);
        // Years on the top line.
        let mut y = self.start.year();
        while let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
            if d > self.end {
                break;
            }
            let x = self.x(d.max(self.start));
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="15" font-size="12" font-weight="bold" fill="#1f2933">{}</text>"##,
                x + 3.0,
                tf(cx.lang, "battle.year_n", &[("y", &y.to_string())])
            );
            y += 1;
        }
        for (d, major) in self.ticks() {
            let x = self.x(d);
            let (y1, stroke) = if major { (18.0, "#9aa5b1") } else { (32.0, "#cbd2d9") };
            let _ = write!(s, r##"<line x1="{x:.1}" x2="{x:.1}" y1="{y1}" y2="{AXIS_H}" stroke="{stroke}"/>"##);
            let label = match self.zoom {
                Zoom::Week if !major => Some(d.day().to_string()),
                Zoom::Week | Zoom::Month => Some(tf(cx.lang, "battle.month_n", &[("m", &d.month().to_string())])),
                Zoom::Quarter if major => Some(format!("Q{}", (d.month() - 1) / 3 + 1)),
                _ => None,
            };
            if let Some(l) = label {
                let _ = write!(
                    s,
                    r##"<text x="{:.1}" y="{}" font-size="10" fill="#52606d">{}</text>"##,
                    x + 2.0,
                    if major { 30 } else { 41 },
                    esc(&l)
                );
            }
        }
        let tx = self.x(self.as_of);
        let _ = write!(
            s,
            r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="0" y2="{AXIS_H}" stroke="#c0392b" stroke-width="2"/><text x="{:.1}" y="42" font-size="10" fill="#c0392b">{} {}</text>"##,
            tx + 3.0,
            esc(cx.t("battle.today")),
            self.as_of
        );
    }

    fn names(&self, cx: &Ctx, s: &mut String) {
        for (i, line) in self.lines.iter().enumerate() {
            let y = i as f64 * ROW_H;
            match line {
                Line::Heading(name, n) => {
                    let _ = write!(
                        s,
                        r##"<rect y="{y}" width="{NAME_W}" height="{ROW_H}" fill="#dde7f0"/><text x="6" y="{:.1}" font-size="12" font-weight="bold" fill="#102a43">{} ({n})</text>"##,
                        y + 15.0,
                        esc(name)
                    );
                }
                Line::Project(r) => {
                    let p = &r.project;
                    let name: String = if p.name.chars().count() > 18 {
                        p.name.chars().take(17).chain(std::iter::once('…')).collect()
                    } else {
                        p.name.clone()
                    };
                    let _ = write!(
                        s,
                        r##"<a href="/projects/{}"><title>{} · {} · {}</title><circle cx="10" cy="{:.1}" r="4" fill="{}"/><text x="20" y="{:.1}" font-size="12" fill="#1f2933">{}</text></a>"##,
                        p.id,
                        esc(&p.name),
                        esc(&p.unit.name),
                        esc(p.light_reason.as_deref().unwrap_or(cx.t("battle.no_light"))),
                        y + ROW_H / 2.0,
                        color(p.light, false),
                        y + 15.0,
                        esc(&name)
                    );
                }
            }
        }
    }

    /// The rows. Marks of one kind and colour are drawn as one `<path>` for the whole chart,
    /// so 2,000 projects × 10 nodes stay a few dozen SVG elements (fast to parse and paint);
    /// small selections also get a hover title per node.
    fn body(&self, cx: &Ctx, s: &mut String) {
        let (w, h) = (self.width(), self.height());
        // Alternate months shaded, ticks as grid lines.
        let mut d = self.start;
        let mut odd = false;
        while d < self.end {
            let next = d.checked_add_months(Months::new(1)).unwrap_or(self.end);
            if odd {
                let _ = write!(
                    s,
                    r##"<rect x="{:.0}" width="{:.0}" height="{h}" fill="#f7f9fb"/>"##,
                    self.x(d),
                    self.x(next) - self.x(d)
                );
            }
            odd = !odd;
            d = next;
        }
        let mut grid = String::new();
        for (d, major) in self.ticks() {
            if major {
                let _ = write!(grid, "M{:.0} 0v{h}", self.x(d));
            }
        }
        let _ = write!(s, r##"<path d="{grid}" stroke="#e4e7eb"/>"##);
        // (kind, colour) → path data.
        let mut marks: std::collections::BTreeMap<(u8, &'static str), String> = std::collections::BTreeMap::new();
        const SEPARATOR: u8 = 0;
        const SPAN: u8 = 1;
        const DELAY: u8 = 2;
        const OVERDUE: u8 = 3;
        const PLANNED_DONE: u8 = 4;
        const OPEN: u8 = 5;
        const ACTUAL: u8 = 6;
        let mut tips = String::new();
        let with_tips = self.lines.len() <= TIP_ROWS;
        let (planned, actual) = (cx.t("project.planned"), cx.t("project.actual"));
        for (i, line) in self.lines.iter().enumerate() {
            let y0 = i as f64 * ROW_H;
            let y = y0 + ROW_H / 2.0;
            match line {
                Line::Heading(..) => {
                    let _ = write!(
                        s,
                        r##"<rect y="{y0}" width="{w:.0}" height="{ROW_H}" fill="#dde7f0" opacity="0.6"/>"##
                    );
                }
                Line::Project(r) => {
                    let _ = write!(marks.entry((SEPARATOR, "#eef1f4")).or_default(), "M0 {:.0}h{w:.0}", y0 + ROW_H);
                    if let (Some(a), Some(b)) = (r.nodes.first(), r.nodes.last()) {
                        let x1 = self.x(a.actual_on.unwrap_or(a.planned_on).min(a.planned_on));
                        let x2 = self.x(b.actual_on.unwrap_or(b.planned_on).max(b.planned_on));
                        let _ = write!(marks.entry((SPAN, "#cbd2d9")).or_default(), "M{x1:.0} {y}H{x2:.0}");
                    }
                    for n in &r.nodes {
                        let done = n.actual_on.is_some() || n.status == "closed";
                        let c = color(n.light, done);
                        let px = self.x(n.planned_on);
                        match n.actual_on {
                            Some(a) => {
                                let ax = self.x(a);
                                if (ax - px).abs() > 1.0 {
                                    let _ = write!(marks.entry((DELAY, c)).or_default(), "M{px:.0} {y}H{ax:.0}");
                                }
                                let _ = write!(marks.entry((PLANNED_DONE, c)).or_default(), "M{px:.0} {}l4 4-4 4-4-4z", y - 4.0);
                                // A dot: a zero-length line with round caps.
                                let _ = write!(marks.entry((ACTUAL, c)).or_default(), "M{ax:.0} {y}h0");
                            }
                            None => {
                                if self.as_of > n.planned_on {
                                    let _ = write!(marks.entry((OVERDUE, c)).or_default(), "M{px:.0} {y}H{:.0}", self.x(self.as_of));
                                }
                                let _ = write!(marks.entry((OPEN, c)).or_default(), "M{px:.0} {}l5.5 5.5-5.5 5.5-5.5-5.5z", y - 5.5);
                            }
                        }
                        if with_tips {
                            let tip = format!(
                                "{} · {} · {planned} {} · {actual} {}",
                                r.project.name,
                                n.name,
                                n.planned_on,
                                n.actual_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
                            );
                            let _ = write!(
                                tips,
                                r#"<circle cx="{:.0}" cy="{y}" r="6" fill-opacity="0"><title>{}</title></circle>"#,
                                self.x(n.actual_on.unwrap_or(n.planned_on)),
                                esc(&tip)
                            );
                        }
                    }
                }
            }
        }
        for ((kind, c), d) in &marks {
            let style = match *kind {
                SEPARATOR => format!(r#"stroke="{c}""#),
                SPAN => format!(r#"stroke="{c}" stroke-width="2""#),
                DELAY => format!(r#"stroke="{c}" stroke-width="2""#),
                OVERDUE => format!(r#"stroke="{c}" stroke-width="2" stroke-dasharray="3 2""#),
                PLANNED_DONE => format!(r##"fill="#fff" stroke="{c}""##),
                OPEN => format!(r#"fill="{c}" fill-opacity="0.25" stroke="{c}" stroke-width="1.5""#),
                _ => format!(r#"stroke="{c}" stroke-width="9" stroke-linecap="round""#),
            };
            let _ = write!(s, r#"<path d="{d}" {style}/>"#);
        }
        s.push_str(&tips);
        let tx = self.x(self.as_of);
        let _ = write!(
            s,
            r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="0" y2="{h}" stroke="#c0392b" stroke-width="2" stroke-dasharray="6 3"/>"##
        );
    }
}

/// The projects drawn: a page of them (`max`, from `offset`), and how many match in all.
async fn selection(st: &AppState, cx: &Ctx, q: &BattleQuery, max: u32, offset: u32) -> Result<(Vec<MapRow>, i64, Group, Zoom), PageError> {
    let mut filter = q.list.filter(cx)?;
    filter.after = None;
    let (rows, total) = st.store.map_rows(&filter, max, offset).await?;
    let group = Group::ALL
        .into_iter()
        .find(|g| Some(g.code()) == q.group.as_deref())
        .unwrap_or(Group::Unit);
    let zoom = Zoom::ALL
        .into_iter()
        .find(|z| Some(z.code()) == q.zoom.as_deref())
        .unwrap_or(Zoom::Quarter);
    Ok((rows, total, group, zoom))
}

async fn page(State(st): State<AppState>, cx: Ctx, Query(q): Query<BattleQuery>) -> Result<Html<String>, PageError> {
    let page_no = q.page();
    let offset = (page_no - 1).saturating_mul(PAGE_ROWS);
    let (mut rows, total, group, zoom) = selection(&st, &cx, &q, PAGE_ROWS, offset).await?;
    // Past the last page (the filter narrowed since): the last page.
    let (page_no, offset) = if rows.is_empty() && total > 0 && page_no > 1 {
        let last = (total as u32).div_ceil(PAGE_ROWS);
        rows = selection(&st, &cx, &q, PAGE_ROWS, (last - 1) * PAGE_ROWS).await?.0;
        (last, (last - 1) * PAGE_ROWS)
    } else {
        (page_no, offset)
    };
    let as_of = st.store.as_of().await?;
    let choices = st.store.filter_choices().await?;
    let lang = cx.lang;
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };
    let chart = Chart::new(&rows, group, zoom, as_of, lang);

    let opts = |items: &[(&str, &str)], sel: &str| -> String {
        items
            .iter()
            .map(|(v, l)| format!(r#"<option value="{v}"{}>{l}</option>"#, if *v == sel { " selected" } else { "" }))
            .collect()
    };
    let groups: Vec<(&str, &str)> = Group::ALL
        .iter()
        .map(|g| (g.code(), t(&format!("battle.group_{}", g.code()))))
        .collect();
    let zooms: Vec<(&str, &str)> = Zoom::ALL
        .iter()
        .map(|z| (z.code(), t(&format!("battle.zoom_{}", z.code()))))
        .collect();
    let extra = format!(
        r#"<div class="f"><label for="f-group">{}</label><select id="f-group" name="group">{}</select></div><div class="f"><label for="f-zoom">{}</label><select id="f-zoom" name="zoom">{}</select></div>"#,
        t("battle.group"),
        opts(&groups, group.code()),
        t("battle.zoom"),
        opts(&zooms, zoom.code())
    );
    let form = filter_form(&cx, "/battle-map", &q.list, &choices, &extra);
    let mut keep = q.list.pairs();
    keep.push(("group", group.code()));
    let zoom_links: String = Zoom::ALL
        .iter()
        .map(|z| {
            let mut k = keep.clone();
            k.push(("zoom", z.code()));
            let cur = if *z == zoom { r#" aria-current="true""# } else { "" };
            format!(
                r#"<a href="/battle-map{}"{cur}>{}</a>"#,
                esc(&query_string(&k)),
                t(&format!("battle.zoom_{}", z.code()))
            )
        })
        .collect();
    let mut with_zoom = keep.clone();
    with_zoom.push(("zoom", zoom.code()));
    let export = format!("/battle-map.svg{}", query_string(&with_zoom));

    let (w, h) = (chart.width(), chart.height());
    let mut axis = String::new();
    chart.axis(&cx, &mut axis);
    let mut names = String::new();
    chart.names(&cx, &mut names);
    let mut body_svg = String::new();
    chart.body(&cx, &mut body_svg);
    // More than a page: which ones are drawn, and links to the pages before and after.
    let truncated = if total > rows.len() as i64 || page_no > 1 {
        let link = |n: u32, label: &str| {
            let n = n.to_string();
            let mut k = with_zoom.clone();
            k.push(("page", n.as_str()));
            format!(r#" <a href="/battle-map{}">{label}</a>"#, esc(&query_string(&k)))
        };
        let prev = if page_no > 1 {
            link(page_no - 1, t("battle.prev_page"))
        } else {
            String::new()
        };
        let next = if (offset as i64 + rows.len() as i64) < total {
            link(page_no + 1, t("battle.next_page"))
        } else {
            String::new()
        };
        format!(
            r#"<p class="hint pager" role="status">{}{prev}{next}</p>"#,
            tf(
                lang,
                "battle.paged",
                &[
                    ("from", &(offset as i64 + 1).min(total).to_string()),
                    ("to", &(offset as i64 + rows.len() as i64).to_string()),
                    ("total", &total.to_string())
                ]
            )
        )
    } else {
        String::new()
    };
    let body = format!(
        r##"<div class="page-head"><div><h1>{h1}</h1><p class="sub">{count} · {as_of_label} {as_of}</p></div><p class="links zoom" aria-label="{zoom_label}">{zoom_links}</p></div>
{form}{truncated}
<p class="legend no-print"><span class="sym-open">◆</span> {l_open} <span class="sym-planned">◇</span>—<span class="sym-actual">●</span> {l_done} <span class="l-red">■</span> {red} <span class="l-yellow">■</span> {yellow} <span class="l-green">■</span> {green} <span class="sym-today">┆</span> {today} · <a href="{export}" download="battle-map.svg">{l_export}</a> · <button type="button" class="quiet print-btn" id="png-map" data-svg="{export}" hidden>{l_png}</button> <button type="button" class="quiet print-btn" id="print-map">{l_print}</button></p>
<div class="bm-scroll" id="battle-map" tabindex="0" role="region" aria-label="{h1}" data-today="{today_x:.0}" data-names="{NAME_W}">
<div class="bm-grid">
<div class="bm-corner"><svg width="{NAME_W}" height="{AXIS_H}" aria-hidden="true"><rect width="{NAME_W}" height="{AXIS_H}" fill="#f5f7fa"/><text x="8" y="28" font-size="12" font-weight="bold" fill="#1f2933">{c_project}</text></svg></div>
<div class="bm-axis"><svg width="{w:.0}" height="{AXIS_H}" aria-hidden="true">{axis}</svg></div>
<div class="bm-names"><svg width="{NAME_W}" height="{h:.0}" role="group" aria-label="{c_project}">{names}</svg></div>
<div class="bm-body"><svg width="{w:.0}" height="{h:.0}" aria-hidden="true">{body_svg}</svg></div>
</div></div>"##,
        h1 = t("battle.title"),
        count = tf(lang, "battle.count", &[("n", &rows.len().to_string())]),
        as_of_label = t("cockpit.as_of"),
        as_of = long_date(lang, as_of),
        zoom_label = t("battle.zoom"),
        l_open = t("battle.legend_open"),
        l_done = t("battle.legend_done"),
        red = light_label(lang, Light::Red),
        yellow = light_label(lang, Light::Yellow),
        green = light_label(lang, Light::Green),
        today = t("battle.today"),
        export = esc(&export),
        l_export = t("battle.export"),
        l_print = t("battle.print"),
        l_png = t("battle.export_png"),
        c_project = t("common.project"),
        today_x = chart.x(as_of),
    );
    Ok(layout_legacy(&cx, t("battle.title"), &body, &["/assets/app.js"]))
}

/// `/battle-map.svg`: the same chart as one standalone SVG file (names, axis and rows).
async fn export(State(st): State<AppState>, cx: Ctx, Query(q): Query<BattleQuery>) -> Result<Response, PageError> {
    let (rows, _, group, zoom) = selection(&st, &cx, &q, MAX_ROWS, 0).await?;
    let as_of = st.store.as_of().await?;
    let chart = Chart::new(&rows, group, zoom, as_of, cx.lang);
    let (w, h) = (chart.width(), chart.height());
    let title_h = 36.0;
    let (tw, th) = (NAME_W + w, title_h + AXIS_H + h);
    let district = st.store.setting("district_name").await?.unwrap_or_default();
    let mut s = format!(
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{tw:.0}" height="{th:.0}" viewBox="0 0 {tw:.0} {th:.0}" font-family="Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"><rect width="100%" height="100%" fill="#fff"/><text x="8" y="24" font-size="18" font-weight="bold" fill="#102a43">{} {} · {} {}</text>"##,
        esc(&district),
        esc(cx.t("battle.title")),
        esc(cx.t("cockpit.as_of")),
        long_date(cx.lang, as_of)
    );
    let _ = write!(s, r#"<g transform="translate({NAME_W},{title_h})">"#);
    chart.axis(&cx, &mut s);
    let _ = write!(s, r#"</g><g transform="translate(0,{})">"#, title_h + AXIS_H);
    chart.names(&cx, &mut s);
    let _ = write!(s, r#"</g><g transform="translate({NAME_W},{})">"#, title_h + AXIS_H);
    chart.body(&cx, &mut s);
    s.push_str("</g></svg>");
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"battle-map.svg\""),
        ],
        s,
    )
        .into_response())
}
