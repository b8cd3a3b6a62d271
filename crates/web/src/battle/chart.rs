//! The battle map's chart: projects in rows, grouped, their nodes on a time axis at a zoom,
//! drawn from numbers computed here into SVG templates (`templates/battle/{axis,names,body}.svg`),
//! which escape its only text (names, dates, labels).

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
    pub fn new(rows: &'a [MapRow], group: Group, zoom: Zoom, as_of: NaiveDate, lang: Lang) -> Chart<'a> {
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

    pub fn x(&self, d: NaiveDate) -> f64 {
        (d - self.start).num_days() as f64 * self.zoom.px_per_day()
    }
    pub fn width(&self) -> f64 {
        self.x(self.end).max(200.0)
    }
    pub fn height(&self) -> f64 {
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
    pub fn axis(&self, cx: &Ctx) -> Markup {
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
    pub fn names(&self, cx: &Ctx) -> Markup {
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
    pub fn body(&self, cx: &Ctx) -> Markup {
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
            marks: marks.into_iter().map(|((kind, color), d)| Mark { kind, color, d }).collect(),
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
