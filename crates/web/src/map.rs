//! `/map`: projects by street and town on a tile cartogram of the district (MAP-LAYOUT.md,
//! shipped as `reference::JIAOJIANG_MAP`): no tiles, no boundaries, no network. Each tile
//! links to the registry of its street; the table below says the same for screen readers.

use crate::page::filters::{ListQuery, filter_form};
use crate::page::i18n::tf;
use crate::page::{Ctx, Markup, PageError, layout, money, query_string};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use zhantu_domain::lights::Light;
use zhantu_domain::reference::JIAOJIANG_MAP;
use zhantu_store::DivisionCount;

pub const MECHANISM: Mechanism = Mechanism {
    name: "map",
    pages,
    api: Mechanism::none,
};

fn pages() -> Routes {
    Routes::new().route("/map", get(page))
}

const TILE_W: f64 = 170.0;
const TILE_H: f64 = 120.0;
const GAP: f64 = 10.0;

async fn page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let mut filter = q.filter(&cx)?;
    filter.after = None;
    filter.division = None;
    let counts = st.store.division_counts(&filter).await?;
    let choices = st.store.filter_choices().await?;
    let lang = cx.lang;
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };
    let of = |code: &str| counts.iter().find(|c| c.code.as_deref() == Some(code));
    let max = counts.iter().map(|c| c.projects).max().unwrap_or(1).max(1);
    let keep = q.pairs();
    let link = |code: &str, light: Option<&str>| {
        let mut k: Vec<(&str, &str)> = keep.iter().filter(|(n, _)| *n != "division" && *n != "light").cloned().collect();
        k.push(("division", code));
        if let Some(l) = light {
            k.push(("light", l));
        } else if let Some((_, l)) = keep.iter().find(|(n, _)| *n == "light") {
            k.push(("light", l));
        }
        format!("/projects{}", query_string(&k))
    };
    let cols = JIAOJIANG_MAP.iter().map(|c| c.col).max().unwrap_or(0) as f64 + 1.0;
    let rows = JIAOJIANG_MAP.iter().map(|c| c.row).max().unwrap_or(0) as f64 + 1.0;
    let (w, h) = (cols * (TILE_W + GAP) + GAP, rows * (TILE_H + GAP) + GAP + 30.0);
    // The 椒江 river between the north-bank row and the south bank, flowing out to sea.
    let ry = TILE_H + GAP * 1.5;
    let river = River {
        d: format!(
            "M0 {ry:.0} C{:.0} {:.0},{:.0} {:.0},{w:.0} {ry:.0}",
            w * 0.3,
            ry - 8.0,
            w * 0.6,
            ry + 8.0
        ),
        river_x: format!("{GAP:.0}"),
        river_y: format!("{:.0}", ry - 6.0),
        sea_x: format!("{:.0}", w - 90.0),
        sea_y: format!("{:.0}", h - 12.0),
    };
    let tiles = JIAOJIANG_MAP
        .iter()
        .map(|cell| {
            let x = GAP + cell.col as f64 * (TILE_W + GAP);
            let y = GAP + cell.row as f64 * (TILE_H + GAP) + if cell.row > 0 { 20.0 } else { 0.0 };
            let c = of(cell.code);
            let n = c.map(|c| c.projects).unwrap_or(0);
            // Tile shade by number of projects; its border by the share of red lights.
            let shade = 0.08 + 0.45 * n as f64 / max as f64;
            let red_share = c.map(|c| c.red as f64 / c.projects.max(1) as f64).unwrap_or(0.0);
            let border = if red_share > 0.2 {
                "#c0392b"
            } else if red_share > 0.0 {
                "#c98e00"
            } else {
                "#2e8b57"
            };
            let lights = match c {
                None => Vec::new(),
                Some(c) => [
                    ("red", c.red, "#c0392b"),
                    ("yellow", c.yellow, "#c98e00"),
                    ("green", c.green, "#2e8b57"),
                ]
                .iter()
                .enumerate()
                .map(|(i, (light, v, color))| {
                    let bx = x + 10.0 + i as f64 * 52.0;
                    LightBox {
                        href: link(cell.code, Some(light)),
                        label: crate::page::i18n::t(lang, &format!("light.{light}")),
                        x: format!("{bx:.0}"),
                        y: format!("{:.0}", y + 84.0),
                        color,
                        text_x: format!("{:.0}", bx + 23.0),
                        text_y: format!("{:.0}", y + 101.0),
                        n: *v,
                    }
                })
                .collect(),
            };
            Tile {
                href: link(cell.code, None),
                tip: tf(lang, "map.tile_tip", &[("name", cell.name), ("n", &n.to_string())]),
                x: format!("{x:.0}"),
                y: format!("{y:.0}"),
                shade: format!("{shade:.2}"),
                border,
                text_x: format!("{:.0}", x + 10.0),
                name_y: format!("{:.0}", y + 22.0),
                n_y: format!("{:.0}", y + 56.0),
                money_y: format!("{:.0}", y + 74.0),
                name: cell.name,
                n,
                investment: c.map(|c| money(lang, c.investment, true)).unwrap_or_default(),
                lights,
            }
        })
        .collect();

    let row = |name: &str, c: Option<&DivisionCount>, href: Option<String>| {
        let (n, red, yellow, green, investment) = c
            .map(|c| (c.projects, c.red, c.yellow, c.green, money(lang, c.investment, true)))
            .unwrap_or((0, 0, 0, 0, "—".into()));
        DivisionRow {
            name: name.to_string(),
            href,
            n,
            red,
            yellow,
            green,
            investment,
        }
    };
    let mut table: Vec<DivisionRow> = JIAOJIANG_MAP
        .iter()
        .map(|cell| row(cell.name, of(cell.code), Some(link(cell.code, None))))
        .collect();
    let known: Vec<&str> = JIAOJIANG_MAP.iter().map(|c| c.code).collect();
    for c in counts.iter().filter(|c| c.code.as_deref().is_none_or(|k| !known.contains(&k))) {
        let name = c
            .code
            .as_deref()
            .and_then(zhantu_domain::reference::division_name)
            .unwrap_or(t("map.unplaced"));
        table.push(row(name, Some(c), None));
    }
    let body = Markup::of(&MapPage {
        cx: &cx,
        form: filter_form(&cx, "/map", &q, &choices, Markup::default()),
        w: format!("{w:.0}"),
        h: format!("{h:.0}"),
        river,
        tile_w: TILE_W.to_string(),
        tile_h: TILE_H.to_string(),
        tiles,
        rows: table,
    });
    Ok(layout(&cx, t("map.title"), body, &[]))
}

#[derive(Template)]
#[template(path = "map/page.html")]
struct MapPage<'a> {
    cx: &'a Ctx,
    form: Markup,
    /// The cartogram's size and positions, in SVG units (drawn from numbers).
    w: String,
    h: String,
    river: River,
    tile_w: String,
    tile_h: String,
    tiles: Vec<Tile>,
    /// The same counts as a table, for screen readers (and divisions off the map).
    rows: Vec<DivisionRow>,
}

struct River {
    d: String,
    river_x: String,
    river_y: String,
    sea_x: String,
    sea_y: String,
}

/// A street or town: its projects, investment, and a box per light.
struct Tile {
    href: String,
    tip: String,
    x: String,
    y: String,
    shade: String,
    border: &'static str,
    text_x: String,
    name_y: String,
    n_y: String,
    money_y: String,
    name: &'static str,
    n: i64,
    investment: String,
    lights: Vec<LightBox>,
}

struct LightBox {
    href: String,
    label: &'static str,
    x: String,
    y: String,
    color: &'static str,
    text_x: String,
    text_y: String,
    n: i64,
}

struct DivisionRow {
    name: String,
    /// The registry of the division; none for divisions off the map.
    href: Option<String>,
    n: i64,
    red: i64,
    yellow: i64,
    green: i64,
    investment: String,
}
