//! `/battle-map`: 挂图作战, the wall chart. Every project of the selection is a row with its
//! nodes on a time axis, a line at the data date, node state and lights in colour, grouped
//! by unit, leader or category. Drawn on the server as SVG (no script): three pieces in a
//! scrolling grid whose axis and names stay in view (CSS sticky), or one SVG file to download
//! (`/battle-map.svg`) for printing on the meeting room's wall.

use crate::page::i18n::tf;
use crate::page::project_filter::{ListQuery, filter_form};
use crate::page::select::{SelectOption, options};
use crate::page::{Ctx, Lang, Markup, PageError, layout, long_date, query_string};
use askama::Template;
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
/// The exported SVG's title line.
const TITLE_H: f64 = 36.0;
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

    /// The axis: years on top, ticks with their labels, and the data date.
    fn axis(&self, cx: &Ctx) -> Markup {
        let mut years = Vec::new();
        let mut y = self.start.year();
        while let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
            if d > self.end {
                break;
            }
            years.push(YearLabel {
                x: format!("{:.1}", self.x(d.max(self.start)) + 3.0),
                label: tf(cx.lang, "battle.year_n", &[("y", &y.to_string())]),
            });
            y += 1;
        }
        let ticks = self
            .ticks()
            .into_iter()
            .map(|(d, major)| {
                let x = self.x(d);
                let label = match self.zoom {
                    Zoom::Week if !major => Some(d.day().to_string()),
                    Zoom::Week | Zoom::Month => Some(tf(cx.lang, "battle.month_n", &[("m", &d.month().to_string())])),
                    Zoom::Quarter if major => Some(format!("Q{}", (d.month() - 1) / 3 + 1)),
                    _ => None,
                };
                Tick {
                    x: format!("{x:.1}"),
                    y1: if major { 18 } else { 32 },
                    stroke: if major { "#9aa5b1" } else { "#cbd2d9" },
                    label,
                    label_x: format!("{:.1}", x + 2.0),
                    label_y: if major { 30 } else { 41 },
                }
            })
            .collect();
        let tx = self.x(self.as_of);
        Markup::of(&Axis {
            cx,
            w: format!("{:.0}", self.width()),
            years,
            ticks,
            today_x: format!("{tx:.1}"),
            today_label_x: format!("{:.1}", tx + 3.0),
            as_of: self.as_of,
        })
    }

    /// The names column: group headings and projects (linked, with their light).
    fn names(&self, cx: &Ctx) -> Markup {
        let rows = self
            .lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let y = i as f64 * ROW_H;
                match line {
                    Line::Heading(name, n) => NameRow {
                        y: y.to_string(),
                        mid_y: String::new(),
                        text_y: format!("{:.1}", y + 15.0),
                        heading: Some((name.as_str(), *n)),
                        id: 0,
                        title: String::new(),
                        name: String::new(),
                        color: "",
                    },
                    Line::Project(r) => {
                        let p = &r.project;
                        NameRow {
                            y: y.to_string(),
                            mid_y: format!("{:.1}", y + ROW_H / 2.0),
                            text_y: format!("{:.1}", y + 15.0),
                            heading: None,
                            id: p.id,
                            title: format!(
                                "{} · {} · {}",
                                p.name,
                                p.unit.name,
                                p.light_reason.as_deref().unwrap_or(cx.t("battle.no_light"))
                            ),
                            name: if p.name.chars().count() > 18 {
                                p.name.chars().take(17).chain(std::iter::once('…')).collect()
                            } else {
                                p.name.clone()
                            },
                            color: color(p.light, false),
                        }
                    }
                }
            })
            .collect();
        Markup::of(&Names { rows })
    }

    /// The rows. Marks of one kind and colour are drawn as one `<path>` for the whole chart,
    /// so 2,000 projects × 10 nodes stay a few dozen SVG elements (fast to parse and paint);
    /// small selections also get a hover title per node.
    fn body(&self, cx: &Ctx) -> Markup {
        let (w, h) = (self.width(), self.height());
        // Alternate months shaded, ticks as grid lines.
        let mut shaded = Vec::new();
        let mut d = self.start;
        let mut odd = false;
        while d < self.end {
            let next = d.checked_add_months(Months::new(1)).unwrap_or(self.end);
            if odd {
                shaded.push(Shade {
                    x: format!("{:.0}", self.x(d)),
                    w: format!("{:.0}", self.x(next) - self.x(d)),
                });
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
        // (kind, colour) → path data.
        let mut marks: std::collections::BTreeMap<(u8, &'static str), String> = std::collections::BTreeMap::new();
        let mut headings = Vec::new();
        let mut tips = Vec::new();
        let with_tips = self.lines.len() <= TIP_ROWS;
        let (planned, actual) = (cx.t("project.planned"), cx.t("project.actual"));
        for (i, line) in self.lines.iter().enumerate() {
            let y0 = i as f64 * ROW_H;
            let y = y0 + ROW_H / 2.0;
            match line {
                Line::Heading(..) => headings.push(y0.to_string()),
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
                            tips.push(NodeTip {
                                x: format!("{:.0}", self.x(n.actual_on.unwrap_or(n.planned_on))),
                                y: y.to_string(),
                                text: format!(
                                    "{} · {} · {planned} {} · {actual} {}",
                                    r.project.name,
                                    n.name,
                                    n.planned_on,
                                    n.actual_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
                                ),
                            });
                        }
                    }
                }
            }
        }
        Markup::of(&Body {
            w: format!("{w:.0}"),
            h: h.to_string(),
            shaded,
            grid,
            headings,
            marks: marks
                .into_iter()
                .map(|((kind, color), d)| Mark { kind, color, d })
                .collect(),
            tips,
            today_x: format!("{:.1}", self.x(self.as_of)),
        })
    }
}

// The kinds of marks, in the order they are drawn.
const SEPARATOR: u8 = 0;
const SPAN: u8 = 1;
const DELAY: u8 = 2;
const OVERDUE: u8 = 3;
const PLANNED_DONE: u8 = 4;
const OPEN: u8 = 5;
const ACTUAL: u8 = 6;

// The chart's SVG pieces are templates (`templates/battle/*.svg`) drawn from numbers computed
// here; their only text (names, dates, labels) is escaped by the templates.

#[derive(Template)]
#[template(path = "battle/axis.svg")]
struct Axis<'a> {
    cx: &'a Ctx,
    w: String,
    years: Vec<YearLabel>,
    ticks: Vec<Tick>,
    today_x: String,
    today_label_x: String,
    as_of: NaiveDate,
}

struct YearLabel {
    x: String,
    label: String,
}

struct Tick {
    x: String,
    y1: u32,
    stroke: &'static str,
    label: Option<String>,
    label_x: String,
    label_y: u32,
}

#[derive(Template)]
#[template(path = "battle/names.svg")]
struct Names<'a> {
    rows: Vec<NameRow<'a>>,
}

/// A group's heading (name, number of projects), or a project.
struct NameRow<'a> {
    y: String,
    mid_y: String,
    text_y: String,
    heading: Option<(&'a str, usize)>,
    id: i64,
    title: String,
    name: String,
    color: &'static str,
}

#[derive(Template)]
#[template(path = "battle/body.svg")]
struct Body {
    w: String,
    h: String,
    shaded: Vec<Shade>,
    grid: String,
    headings: Vec<String>,
    marks: Vec<Mark>,
    tips: Vec<NodeTip>,
    today_x: String,
}

struct Shade {
    x: String,
    w: String,
}

/// The path of every mark of one kind and colour.
struct Mark {
    kind: u8,
    color: &'static str,
    d: String,
}

struct NodeTip {
    x: String,
    y: String,
    text: String,
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

    let opts = |items: Vec<(&str, &str)>, sel: &str| {
        let items: Vec<SelectOption> = items
            .into_iter()
            .map(|(v, l)| SelectOption::new(v, l, v == sel))
            .collect();
        options(&items)
    };
    let groups: Vec<(&str, &str)> = Group::ALL
        .iter()
        .map(|g| (g.code(), t(&format!("battle.group_{}", g.code()))))
        .collect();
    let zooms: Vec<(&str, &str)> = Zoom::ALL
        .iter()
        .map(|z| (z.code(), t(&format!("battle.zoom_{}", z.code()))))
        .collect();
    let extra = Markup::of(&ExtraFilters {
        cx: &cx,
        groups: opts(groups, group.code()),
        zooms: opts(zooms, zoom.code()),
    });
    let form = filter_form(&cx, "/battle-map", &q.list, &choices, extra);
    let mut keep = q.list.pairs();
    keep.push(("group", group.code()));
    let zoom_links = Zoom::ALL
        .iter()
        .map(|z| {
            let mut k = keep.clone();
            k.push(("zoom", z.code()));
            ZoomLink {
                query: query_string(&k),
                current: *z == zoom,
                label: t(&format!("battle.zoom_{}", z.code())),
            }
        })
        .collect();
    let mut with_zoom = keep.clone();
    with_zoom.push(("zoom", zoom.code()));
    let export = format!("/battle-map.svg{}", query_string(&with_zoom));

    // More than a page: which ones are drawn, and links to the pages before and after.
    let pager = (total > rows.len() as i64 || page_no > 1).then(|| {
        let link = |n: u32| {
            let n = n.to_string();
            let mut k = with_zoom.clone();
            k.push(("page", n.as_str()));
            query_string(&k)
        };
        Pager {
            text: tf(
                lang,
                "battle.paged",
                &[
                    ("from", &(offset as i64 + 1).min(total).to_string()),
                    ("to", &(offset as i64 + rows.len() as i64).to_string()),
                    ("total", &total.to_string()),
                ],
            ),
            prev: (page_no > 1).then(|| link(page_no - 1)),
            next: ((offset as i64 + rows.len() as i64) < total).then(|| link(page_no + 1)),
        }
    });
    let body = Markup::of(&BattlePage {
        cx: &cx,
        count: tf(lang, "battle.count", &[("n", &rows.len().to_string())]),
        as_of: long_date(lang, as_of),
        zooms: zoom_links,
        form,
        pager,
        export,
        today_x: format!("{:.0}", chart.x(as_of)),
        w: format!("{:.0}", chart.width()),
        h: format!("{:.0}", chart.height()),
        axis: chart.axis(&cx),
        names: chart.names(&cx),
        body: chart.body(&cx),
    });
    Ok(layout(&cx, t("battle.title"), body, &["/assets/app.js"]))
}

#[derive(Template)]
#[template(path = "battle/filters.html")]
struct ExtraFilters<'a> {
    cx: &'a Ctx,
    groups: Markup,
    zooms: Markup,
}

#[derive(Template)]
#[template(path = "battle/page.html")]
struct BattlePage<'a> {
    cx: &'a Ctx,
    count: String,
    as_of: String,
    zooms: Vec<ZoomLink>,
    form: Markup,
    pager: Option<Pager>,
    /// The SVG file of the same selection.
    export: String,
    today_x: String,
    w: String,
    h: String,
    axis: Markup,
    names: Markup,
    body: Markup,
}

struct ZoomLink {
    query: String,
    current: bool,
    label: &'static str,
}

/// Which projects the page shows, with the query strings of the pages before and after.
struct Pager {
    text: String,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Template)]
#[template(path = "battle/export.svg")]
struct Export<'a> {
    cx: &'a Ctx,
    tw: String,
    th: String,
    district: &'a str,
    as_of: String,
    /// Where the names and the rows start, below the title and the axis.
    rows_at: f64,
    axis: Markup,
    names: Markup,
    body: Markup,
}

/// `/battle-map.svg`: the same chart as one standalone SVG file (names, axis and rows).
async fn export(State(st): State<AppState>, cx: Ctx, Query(q): Query<BattleQuery>) -> Result<Response, PageError> {
    let (rows, _, group, zoom) = selection(&st, &cx, &q, MAX_ROWS, 0).await?;
    let as_of = st.store.as_of().await?;
    let chart = Chart::new(&rows, group, zoom, as_of, cx.lang);
    let (w, h) = (chart.width(), chart.height());
    let (tw, th) = (NAME_W + w, TITLE_H + AXIS_H + h);
    let district = st.store.setting("district_name").await?.unwrap_or_default();
    let svg = Markup::of(&Export {
        cx: &cx,
        tw: format!("{tw:.0}"),
        th: format!("{th:.0}"),
        district: &district,
        as_of: long_date(cx.lang, as_of),
        rows_at: TITLE_H + AXIS_H,
        axis: chart.axis(&cx),
        names: chart.names(&cx),
        body: chart.body(&cx),
    });
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"battle-map.svg\""),
        ],
        svg.into_string(),
    )
        .into_response())
}
