//! `/battle-map`: 挂图作战, the wall chart. Every project of the selection is a row with its
//! nodes on a time axis, a line at the data date, node state and lights in colour, grouped
//! by unit (in the units' official order), leader or category. Drawn on the server as SVG (no
//! script needed): a whole district on one page, as a table whose head is the axis (it stays
//! in view on screen, CSS sticky, and is repeated on every printed page) and whose rows are
//! blocks of `chart::BLOCK` lines the browser lays out and paints only near the screen
//! (`content-visibility`), so 2,000 projects paint as fast as 300; or one SVG file to download
//! (`/battle-map.svg`) for printing on the meeting room's wall.

mod chart;

use crate::page::filters::{ListQuery, filter_form};
use crate::page::i18n::tf;
use crate::page::select::{SelectOption, options};
use crate::page::{Ctx, Markup, PageError, layout, long_date, query_string};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use chart::{AXIS_H, Chart, Group, GroupOrder, NAME_W, TITLE_H, Zoom};
use serde::Deserialize;
use zhantu_domain::lights::Light;
use zhantu_store::MapRow;

pub const MECHANISM: Mechanism = Mechanism {
    name: "battle",
    pages,
    api: Mechanism::none,
};

fn pages() -> Routes {
    Routes::new().route("/battle-map", get(page)).route("/battle-map.svg", get(export))
}

/// Most projects in the exported SVG; narrower filters show the rest.
const MAX_ROWS: u32 = 3000;
/// Projects per page of the battle map: a whole district's (2,000 and more) fit on one; a
/// province's tens of thousands page.
const PAGE_ROWS: u32 = 3000;

#[derive(Debug, Deserialize, Default)]
struct BattleQuery {
    #[serde(flatten)]
    list: ListQuery,
    group: Option<String>,
    zoom: Option<String>,
    /// 1-based page of `PAGE_ROWS` projects.
    page: Option<String>,
    /// `1`: 只看关键路径, only the nodes on their project's critical path.
    critical: Option<String>,
}

impl BattleQuery {
    fn critical_only(&self) -> bool {
        self.critical.as_deref() == Some("1")
    }
    fn page(&self) -> u32 {
        self.page.as_deref().and_then(|p| p.trim().parse::<u32>().ok()).unwrap_or(1).max(1)
    }
}

/// The groups' official order: units depth first as in the master data, leaders and
/// categories as the filters list them.
async fn group_order(st: &AppState, choices: &zhantu_store::FilterChoices) -> Result<GroupOrder, PageError> {
    Ok(GroupOrder {
        units: st.store.units(true).await?.into_iter().map(|u| u.id).collect(),
        leaders: choices.leaders.iter().map(|l| l.id).collect(),
        categories: choices.categories.iter().map(|(_, name)| name.clone()).collect(),
    })
}

/// The projects drawn: a page of them (`max`, from `offset`), and how many match in all.
async fn selection(st: &AppState, cx: &Ctx, q: &BattleQuery, max: u32, offset: u32) -> Result<(Vec<MapRow>, i64, Group, Zoom), PageError> {
    let mut filter = q.list.filter(cx)?;
    filter.after = None;
    let (mut rows, total) = st.store.map_rows(&filter, max, offset).await?;
    if q.critical_only() {
        // The page's projects each with its critical nodes; a project all done has none and
        // is left out (the count above the chart says how many are drawn).
        for r in &mut rows {
            r.nodes.retain(|n| n.critical);
        }
        rows.retain(|r| !r.nodes.is_empty());
    }
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
    let order = group_order(&st, &choices).await?;
    let chart = Chart::new(&rows, group, &order, zoom, as_of, lang);

    let opts = |items: Vec<(&str, &str)>, sel: &str| {
        let items: Vec<SelectOption> = items.into_iter().map(|(v, l)| SelectOption::new(v, l, v == sel)).collect();
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
        critical: q.critical_only(),
    });
    let form = filter_form(&cx, "/battle-map", &q.list, &choices, extra);
    let mut keep = q.list.pairs();
    keep.push(("group", group.code()));
    if q.critical_only() {
        keep.push(("critical", "1"));
    }
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
        axis: chart.axis(&cx),
        blocks: chart
            .blocks()
            .into_iter()
            .map(|lines| Block {
                h: format!("{:.0}", Chart::block_height(&lines)),
                names: chart.names(&cx, lines.clone()),
                body: chart.body(&cx, lines),
            })
            .collect(),
    });
    Ok(layout(&cx, t("battle.title"), body, &["/assets/app.js"]))
}

#[derive(Template)]
#[template(path = "battle/filters.html")]
struct ExtraFilters<'a> {
    cx: &'a Ctx,
    groups: Markup,
    zooms: Markup,
    critical: bool,
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
    axis: Markup,
    blocks: Vec<Block>,
}

/// A block of lines: a row of the page's table.
struct Block {
    h: String,
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
    /// The plot's size: the rows are clipped to it.
    w: String,
    h: String,
}

/// `/battle-map.svg`: the same chart as one standalone SVG file (names, axis and rows).
async fn export(State(st): State<AppState>, cx: Ctx, Query(q): Query<BattleQuery>) -> Result<Response, PageError> {
    let (rows, _, group, zoom) = selection(&st, &cx, &q, MAX_ROWS, 0).await?;
    let as_of = st.store.as_of().await?;
    let order = group_order(&st, &st.store.filter_choices().await?).await?;
    let chart = Chart::new(&rows, group, &order, zoom, as_of, cx.lang);
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
        names: chart.names(&cx, 0..chart.lines()),
        body: chart.body(&cx, 0..chart.lines()),
        w: format!("{w:.0}"),
        h: format!("{h:.0}"),
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
