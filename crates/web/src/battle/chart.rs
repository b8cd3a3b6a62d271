//! The battle map's chart: projects in rows, grouped, their nodes on a time axis at a zoom,
//! drawn from numbers computed here into SVG templates (`templates/battle/{axis,names,body}.svg`),
//! which escape its only text (names, dates, labels). The rows come in blocks of `BLOCK` lines
//! (the page draws each block as a table row the browser renders only near the screen, and
//! pages break between); every mark lies inside the plot: what starts before its first day or
//! ends after its last is cut at the edge, with a chevron saying the row goes on.

use crate::page::i18n::tf;
use crate::page::{Ctx, Lang, Markup};
use askama::Template;
use chrono::{Datelike, Days, Months, NaiveDate};
use std::fmt::Write;
use zhantu_domain::lights::Light;
use zhantu_store::MapRow;

pub const ROW_H: f64 = 22.0;
pub const AXIS_H: f64 = 44.0;
pub const NAME_W: f64 = 280.0;
/// The exported SVG's title line.
pub const TITLE_H: f64 = 36.0;
/// Up to this many rows each node gets its own hover title.
const TIP_ROWS: usize = 400;
/// Lines (headings and projects) in a block of the page.
pub const BLOCK: usize = 25;
/// Blank space at either end of the plot: where marks cut at the edge show that they go on,
/// and where a node on the first or last day draws its whole symbol.
const PAD: f64 = 8.0;
/// The axis's rows of text: (font size, baseline).
const YEAR_TEXT: (f64, f64) = (12.0, 15.0);
const MAJOR_TEXT: (f64, f64) = (10.0, 30.0);
const MINOR_TEXT: (f64, f64) = (10.0, 41.0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zoom {
    Week,
    Month,
    Quarter,
    Year,
}

impl Zoom {
    pub const ALL: [Zoom; 4] = [Zoom::Week, Zoom::Month, Zoom::Quarter, Zoom::Year];
    pub fn code(self) -> &'static str {
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
pub enum Group {
    None,
    Unit,
    Leader,
    Category,
}

impl Group {
    pub const ALL: [Group; 4] = [Group::Unit, Group::Leader, Group::Category, Group::None];
    pub fn code(self) -> &'static str {
        match self {
            Group::None => "none",
            Group::Unit => "unit",
            Group::Leader => "leader",
            Group::Category => "category",
        }
    }
}

/// The official order of the groups: units depth first as the master data lists them,
/// leaders and categories as the filters offer them. Names not listed come after, by name.
#[derive(Debug, Default)]
pub struct GroupOrder {
    pub units: Vec<i64>,
    pub leaders: Vec<i64>,
    pub categories: Vec<String>,
}

/// A row of the chart: a group's heading or a project.
enum Line<'a> {
    Heading(String, usize),
    Project(&'a MapRow),
}

pub struct Chart<'a> {
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
    pub fn new(rows: &'a [MapRow], group: Group, order: &GroupOrder, zoom: Zoom, as_of: NaiveDate, lang: Lang) -> Chart<'a> {
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
        let rank = |list: Option<usize>| list.unwrap_or(usize::MAX);
        let key = |r: &MapRow| -> (usize, String) {
            let p = &r.project;
            match group {
                Group::None => (0, String::new()),
                Group::Unit => (rank(order.units.iter().position(|&u| u == p.unit.id)), p.unit.name.clone()),
                Group::Leader => match &p.leader {
                    Some(l) => (rank(order.leaders.iter().position(|&id| id == l.id)), l.name.clone()),
                    None => (usize::MAX, crate::page::i18n::t(lang, "battle.no_leader").into()),
                },
                Group::Category => match p.categories.first() {
                    Some(c) => (rank(order.categories.iter().position(|n| n == c)), c.clone()),
                    None => (usize::MAX, crate::page::i18n::t(lang, "battle.no_category").into()),
                },
            }
        };
        let mut sorted: Vec<((usize, String), &MapRow)> = rows.iter().map(|r| (key(r), r)).collect();
        sorted.sort_by(|(ka, a), (kb, b)| {
            ka.cmp(kb)
                .then(a.nodes.first().map(|n| n.planned_on).cmp(&b.nodes.first().map(|n| n.planned_on)))
                .then(a.project.id.cmp(&b.project.id))
        });
        let mut lines = Vec::new();
        for (i, (k, r)) in sorted.iter().enumerate() {
            if group != Group::None && (i == 0 || sorted[i - 1].0 != *k) {
                let n = sorted[i..].iter().take_while(|(k2, _)| k2 == k).count();
                lines.push(Line::Heading(k.1.clone(), n));
            }
            lines.push(Line::Project(r));
        }
        Chart {
            lines,
            start,
            end,
            as_of,
            zoom,
        }
    }

    /// Where a day is drawn (it may lie outside the plot: see `clamp`).
    pub fn x(&self, d: NaiveDate) -> f64 {
        PAD + (d - self.start).num_days() as f64 * self.zoom.px_per_day()
    }
    /// A day's x kept inside the plot, and on which side it was cut (-1 before, 1 after).
    fn clamp(&self, d: NaiveDate) -> (f64, i8) {
        let (x, last) = (self.x(d), self.x(self.end));
        if x < PAD {
            (PAD, -1)
        } else if x > last {
            (last, 1)
        } else {
            (x, 0)
        }
    }
    pub fn width(&self) -> f64 {
        (self.x(self.end) + PAD).max(200.0)
    }
    pub fn height(&self) -> f64 {
        (self.lines.len().max(1) as f64) * ROW_H
    }
    /// How many lines (headings and projects).
    pub fn lines(&self) -> usize {
        self.lines.len()
    }
    /// The lines of each block of the page.
    pub fn blocks(&self) -> Vec<std::ops::Range<usize>> {
        (0..self.lines.len().max(1))
            .step_by(BLOCK)
            .map(|a| a..(a + BLOCK).min(self.lines.len()))
            .collect()
    }
    pub fn block_height(range: &std::ops::Range<usize>) -> f64 {
        (range.len().max(1) as f64) * ROW_H
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

    /// The axis: years on top, ticks with their labels, and the data date. No two labels
    /// overlap: each is measured (generously, see `text_width`) and one that would touch a
    /// label already placed is left out, the data date first, then whole years, months, weeks.
    pub fn axis(&self, cx: &Ctx) -> Markup {
        let w = self.width();
        let mut placed = Placed::default();
        let tx = self.x(self.as_of);
        let today = format!("{} {}", cx.t("battle.today"), self.as_of);
        let today_w = text_width(&today, MINOR_TEXT.0);
        // Right of its line, or left of it when it would leave the axis.
        let today_label_x = if tx + 3.0 + today_w <= w {
            tx + 3.0
        } else {
            (tx - 3.0 - today_w).max(0.0)
        };
        placed.take(today_label_x, today_w, MINOR_TEXT, w);
        // Whole years first; the partial year the axis starts in only where it fits.
        let mut years = Vec::new();
        let mut y = self.start.year();
        let mut year_labels = Vec::new();
        while let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1) {
            if d > self.end {
                break;
            }
            year_labels.push((
                d < self.start,
                self.x(d.max(self.start)) + 3.0,
                tf(cx.lang, "battle.year_n", &[("y", &y.to_string())]),
            ));
            y += 1;
        }
        year_labels.sort_by_key(|(partial, ..)| *partial);
        for (_, x, label) in year_labels {
            if placed.take(x, text_width(&label, YEAR_TEXT.0), YEAR_TEXT, w) {
                years.push(AxisLabel {
                    x: format!("{x:.1}"),
                    label,
                });
            }
        }
        let ticks = self.ticks();
        let mut labels = Vec::new();
        for want_major in [true, false] {
            for (d, major) in ticks.iter().copied().filter(|(_, m)| *m == want_major) {
                let label = match self.zoom {
                    Zoom::Week if !major => Some(d.day().to_string()),
                    Zoom::Week | Zoom::Month => Some(tf(cx.lang, "battle.month_n", &[("m", &d.month().to_string())])),
                    Zoom::Quarter if major => Some(format!("Q{}", (d.month() - 1) / 3 + 1)),
                    _ => None,
                };
                let text = if major { MAJOR_TEXT } else { MINOR_TEXT };
                let x = self.x(d) + 2.0;
                if let Some(label) = label.filter(|l| placed.take(x, text_width(l, text.0), text, w)) {
                    labels.push(TickLabel {
                        x: format!("{x:.1}"),
                        y: text.1,
                        label,
                    });
                }
            }
        }
        let ticks = ticks
            .into_iter()
            .map(|(d, major)| Tick {
                x: format!("{:.1}", self.x(d)),
                y1: if major { 18 } else { 32 },
                stroke: if major { "#9aa5b1" } else { "#cbd2d9" },
            })
            .collect();
        Markup::of(&Axis {
            w: format!("{w:.0}"),
            years,
            ticks,
            labels,
            today_x: format!("{tx:.1}"),
            today_label_x: format!("{today_label_x:.1}"),
            today,
        })
    }

    /// The names column of some lines: group headings and projects (linked, with their light).
    pub fn names(&self, cx: &Ctx, range: std::ops::Range<usize>) -> Markup {
        let rows = self.lines[range]
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
                            // The headline reason in the reader's language (its names as
                            // recorded); a light computed before English reasons were kept
                            // is named alone on an English page.
                            title: format!(
                                "{} · {} · {}{}",
                                p.name,
                                p.unit.name,
                                match (cx.lang, p.light, p.light_reason.as_deref(), p.light_reason_en.as_deref()) {
                                    (Lang::Zh, _, Some(reason), _) => reason,
                                    (Lang::En, Some(_), _, Some(reason)) => reason,
                                    (_, Some(l), _, _) => crate::page::light_label(cx.lang, l),
                                    _ => cx.t("battle.no_light"),
                                },
                                critical_names(cx, r),
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

    /// The rows of some lines. Marks of one kind and colour are drawn as one `<path>` for the
    /// whole range, so 2,000 projects × 10 nodes stay a few hundred SVG elements (fast to parse
    /// and paint); small selections also get a hover title per node.
    pub fn body(&self, cx: &Ctx, range: std::ops::Range<usize>) -> Markup {
        let w = self.width();
        let h = Self::block_height(&range);
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
        let last = self.x(self.end);
        for (i, line) in self.lines[range].iter().enumerate() {
            let y0 = i as f64 * ROW_H;
            let y = y0 + ROW_H / 2.0;
            match line {
                Line::Heading(..) => headings.push(y0.to_string()),
                Line::Project(r) => {
                    let _ = write!(marks.entry((SEPARATOR, "#eef1f4")).or_default(), "M0 {:.0}h{w:.0}", y0 + ROW_H);
                    // Whether some mark of the row was cut at the left or the right edge.
                    let (mut before, mut after) = (false, false);
                    let mut cut = |side: i8| {
                        before |= side < 0;
                        after |= side > 0;
                    };
                    if let (Some(a), Some(b)) = (r.nodes.first(), r.nodes.last()) {
                        let (x1, s1) = self.clamp(a.actual_on.unwrap_or(a.planned_on).min(a.planned_on));
                        let (x2, s2) = self.clamp(b.actual_on.unwrap_or(b.planned_on).max(b.planned_on));
                        cut(s1);
                        cut(s2);
                        let _ = write!(marks.entry((SPAN, "#cbd2d9")).or_default(), "M{x1:.0} {y}H{x2:.0}");
                    }
                    for n in &r.nodes {
                        let done = n.actual_on.is_some() || n.status == "closed";
                        let c = color(n.light, done);
                        let (px, ps) = self.clamp(n.planned_on);
                        cut(ps);
                        match n.actual_on {
                            Some(a) => {
                                let (ax, s) = self.clamp(a);
                                cut(s);
                                if (ax - px).abs() > 1.0 {
                                    let _ = write!(marks.entry((DELAY, c)).or_default(), "M{px:.0} {y}H{ax:.0}");
                                }
                                if ps == 0 {
                                    let _ = write!(marks.entry((PLANNED_DONE, c)).or_default(), "M{px:.0} {}l4 4-4 4-4-4z", y - 4.0);
                                }
                                if s == 0 {
                                    // A dot: a zero-length line with round caps.
                                    let _ = write!(marks.entry((ACTUAL, c)).or_default(), "M{ax:.0} {y}h0");
                                }
                            }
                            None => {
                                if self.as_of > n.planned_on {
                                    let _ = write!(marks.entry((OVERDUE, c)).or_default(), "M{px:.0} {y}H{:.0}", self.x(self.as_of));
                                }
                                if ps == 0 {
                                    let _ = write!(marks.entry((OPEN, c)).or_default(), "M{px:.0} {}l5.5 5.5-5.5 5.5-5.5-5.5z", y - 5.5);
                                }
                            }
                        }
                        if n.critical {
                            let (cx_, s) = self.clamp(n.actual_on.unwrap_or(n.planned_on));
                            if s == 0 {
                                let _ = write!(
                                    marks.entry((CRITICAL, CRITICAL_COLOR)).or_default(),
                                    "M{cx_:.0} {}l8 8-8 8-8-8z",
                                    y - 8.0
                                );
                            }
                        }
                        if with_tips {
                            tips.push(NodeTip {
                                x: format!("{:.0}", self.clamp(n.actual_on.unwrap_or(n.planned_on)).0),
                                y: y.to_string(),
                                text: format!(
                                    "{} · {} · {planned} {} · {actual} {}{}{}",
                                    r.project.name,
                                    n.name,
                                    n.planned_on,
                                    n.actual_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                                    float_text(cx, n),
                                    // The node's reason in the reader's language; where
                                    // only the Chinese was kept, the light's name.
                                    match (cx.lang, n.light, n.light_reason.as_deref(), n.light_reason_en.as_deref()) {
                                        (_, None, _, _) => String::new(),
                                        (Lang::Zh, _, Some(r), _) | (Lang::En, _, _, Some(r)) => format!(" · {r}"),
                                        (_, Some(l), _, _) => format!(" · {}", crate::page::light_label(cx.lang, l)),
                                    }
                                ),
                            });
                        }
                    }
                    // The row goes on beyond the plot: a chevron in the blank edge.
                    if before {
                        let _ = write!(marks.entry((GOES_ON, "#52606d")).or_default(), "M6 {}l-4 4 4 4", y - 4.0);
                    }
                    if after {
                        let _ = write!(
                            marks.entry((GOES_ON, "#52606d")).or_default(),
                            "M{:.0} {}l4 4-4 4",
                            last + 2.0,
                            y - 4.0
                        );
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
            marks: marks.into_iter().map(|((kind, color), d)| Mark { kind, color, d }).collect(),
            tips,
            today_x: format!("{:.1}", self.x(self.as_of)),
        })
    }
}

/// How wide a label is drawn, over-estimated so that labels measured apart never touch in a
/// browser: a CJK character a full em, wide Latin letters 0.95 em, other ASCII 0.7 em.
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'M' | 'W' | 'm' | 'w' => 0.95,
            c if c.is_ascii() => 0.7,
            _ => 1.0,
        })
        .sum::<f64>()
        * size
}

/// The boxes of the axis labels placed so far.
#[derive(Default)]
struct Placed(Vec<(f64, f64, f64, f64)>);

impl Placed {
    /// Places a label (left x, width, its text row) if it stays on the axis and keeps 4 px
    /// from every label placed: true if placed.
    fn take(&mut self, x: f64, w: f64, (size, baseline): (f64, f64), axis_w: f64) -> bool {
        let (x1, x2, y1, y2) = (x, x + w, baseline - size, baseline + 2.0);
        if x1 < 0.0 || x2 > axis_w {
            return false;
        }
        let clear = self
            .0
            .iter()
            .all(|&(a1, a2, b1, b2)| x2 + 4.0 <= a1 || a2 + 4.0 <= x1 || y2 <= b1 || b2 <= y1);
        if clear {
            self.0.push((x1, x2, y1, y2));
        }
        clear
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
const GOES_ON: u8 = 7;
/// A ring around a node on its project's critical path (关键路径).
const CRITICAL: u8 = 8;
/// The critical ring's colour: apart from the lights' red, yellow and green (`.sym-critical` in
/// `app.css` is the same).
const CRITICAL_COLOR: &str = "#6b21a8";

/// The critical nodes of a project for its name's title (the text a screen reader reads, the
/// plot being hidden from it): ` · 关键路径: 环评批复 (总时差 -3 个工作日), 开工`.
fn critical_names(cx: &Ctx, r: &MapRow) -> String {
    let names: Vec<String> = r
        .nodes
        .iter()
        .filter(|n| n.critical)
        .map(|n| match n.float_days {
            Some(f) => format!("{} ({})", n.name, tf(cx.lang, "battle.float_n", &[("n", &f.to_string())])),
            None => n.name.clone(),
        })
        .collect();
    if names.is_empty() {
        String::new()
    } else {
        format!(" · {}: {}", cx.t("battle.critical"), names.join(", "))
    }
}

/// A node's float for its hover title: ` · 总时差 3 个工作日 · 关键路径`; nothing for a node done.
fn float_text(cx: &Ctx, n: &zhantu_store::MapNode) -> String {
    let mut out = String::new();
    if let Some(f) = n.float_days {
        out.push_str(" · ");
        out.push_str(&tf(cx.lang, "battle.float_n", &[("n", &f.to_string())]));
    }
    if n.critical {
        out.push_str(" · ");
        out.push_str(cx.t("battle.critical"));
    }
    out
}

#[derive(Template)]
#[template(path = "battle/axis.svg")]
struct Axis {
    w: String,
    years: Vec<AxisLabel>,
    ticks: Vec<Tick>,
    labels: Vec<TickLabel>,
    today_x: String,
    today_label_x: String,
    /// "数据日 2019-12-31".
    today: String,
}

struct AxisLabel {
    x: String,
    label: String,
}

struct Tick {
    x: String,
    y1: u32,
    stroke: &'static str,
}

struct TickLabel {
    x: String,
    y: f64,
    label: String,
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
