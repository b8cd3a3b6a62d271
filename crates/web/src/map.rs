//! `/map`: projects by street and town on a tile cartogram of the district (MAP-LAYOUT.md,
//! shipped as `reference::JIAOJIANG_MAP`): no tiles, no boundaries, no network. Each tile
//! links to the registry of its street; the table below says the same for screen readers.

use crate::page::i18n::tf;
use crate::page::project_filter::{ListQuery, filter_form};
use crate::page::{Ctx, PageError, esc, layout_legacy, light_label, money, query_string};
use crate::{AppState, Mechanism};
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::response::Html;
use zhantu_domain::reference::JIAOJIANG_MAP;
use zhantu_store::DivisionCount;

pub const MECHANISM: Mechanism = Mechanism {
    name: "map",
    pages,
    api: Mechanism::none,
    write_routes: &[],
};

fn pages() -> Router<AppState> {
    Router::new().route("/map", get(page))
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
    let mut svg = format!(
        r##"<svg class="geo" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-labelledby="geo-title"><title id="geo-title">{}</title><rect width="{w:.0}" height="{h:.0}" fill="#eaf2f8"/>"##,
        esc(t("map.title"))
    );
    // The 椒江 river between the north-bank row and the south bank, flowing out to sea.
    let ry = TILE_H + GAP * 1.5;
    let _ = std::fmt::Write::write_fmt(
        &mut svg,
        format_args!(
            r##"<path d="M0 {ry:.0} C{:.0} {:.0},{:.0} {:.0},{w:.0} {ry:.0}" stroke="#9cc3e0" stroke-width="9" fill="none"/><text x="{:.0}" y="{:.0}" font-size="12" fill="#2c6e9b">{}</text><text x="{:.0}" y="{:.0}" font-size="12" fill="#2c6e9b">{}</text>"##,
            w * 0.3,
            ry - 8.0,
            w * 0.6,
            ry + 8.0,
            GAP,
            ry - 6.0,
            esc(t("map.river")),
            w - 90.0,
            h - 12.0,
            esc(t("map.sea"))
        ),
    );
    for cell in JIAOJIANG_MAP {
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
        let mut tile = format!(
            r##"<a class="tile" href="{}"><title>{}</title><rect x="{x:.0}" y="{y:.0}" width="{TILE_W}" height="{TILE_H}" rx="8" fill="#2c6e9b" fill-opacity="{shade:.2}" stroke="{border}" stroke-width="3"/><text x="{:.0}" y="{:.0}" font-size="15" font-weight="bold" fill="#102a43">{}</text><text x="{:.0}" y="{:.0}" font-size="26" font-weight="bold" fill="#102a43">{n}</text><text x="{:.0}" y="{:.0}" font-size="11" fill="#102a43">{}</text></a>"##,
            esc(&link(cell.code, None)),
            esc(&tf(lang, "map.tile_tip", &[("name", cell.name), ("n", &n.to_string())])),
            x + 10.0,
            y + 22.0,
            esc(cell.name),
            x + 10.0,
            y + 56.0,
            x + 10.0,
            y + 74.0,
            esc(&c.map(|c| money(lang, c.investment, true)).unwrap_or_default())
        );
        if let Some(c) = c {
            for (i, (light, v, color)) in [
                ("red", c.red, "#c0392b"),
                ("yellow", c.yellow, "#c98e00"),
                ("green", c.green, "#2e8b57"),
            ]
            .iter()
            .enumerate()
            {
                let bx = x + 10.0 + i as f64 * 52.0;
                tile.push_str(&format!(
                    r##"<a href="{}"><title>{}</title><rect x="{bx:.0}" y="{:.0}" width="46" height="24" rx="4" fill="{color}"/><text x="{:.0}" y="{:.0}" font-size="13" fill="#fff" text-anchor="middle">{v}</text></a>"##,
                    esc(&link(cell.code, Some(light))),
                    esc(crate::page::i18n::t(lang, &format!("light.{light}"))),
                    y + 84.0,
                    bx + 23.0,
                    y + 101.0
                ));
            }
        }
        svg.push_str(&tile);
    }
    svg.push_str("</svg>");

    let row = |name: &str, c: Option<&DivisionCount>, href: Option<String>| {
        let cell = |v: i64, l: &str| match &href {
            Some(h) => format!(r#"<a href="{}&amp;light={l}">{v}</a>"#, esc(h)),
            None => v.to_string(),
        };
        let (n, r, y, g, inv) = c
            .map(|c| (c.projects, c.red, c.yellow, c.green, money(lang, c.investment, true)))
            .unwrap_or((0, 0, 0, 0, "—".into()));
        format!(
            r#"<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="num">{inv}</td></tr>"#,
            match &href {
                Some(h) => format!(r#"<a href="{}">{}</a>"#, esc(h), esc(name)),
                None => esc(name),
            },
            match &href {
                Some(h) => format!(r#"<a href="{}">{n}</a>"#, esc(h)),
                None => n.to_string(),
            },
            cell(r, "red"),
            cell(y, "yellow"),
            cell(g, "green"),
        )
    };
    let mut rows_html: String = JIAOJIANG_MAP
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
        rows_html.push_str(&row(name, Some(c), None));
    }
    let form = filter_form(&cx, "/map", &q, &choices, "");
    let body = format!(
        r#"<div class="page-head"><div><h1>{h1}</h1><p class="sub">{sub}</p></div></div>
{form}
<div class="grid2 geo-wrap"><section class="panel">{svg}<p class="hint">{note}</p></section>
<section class="panel"><div class="table-wrap"><table><thead><tr><th scope="col">{c_div}</th><th scope="col">{c_n}</th><th scope="col">{red}</th><th scope="col">{yellow}</th><th scope="col">{green}</th><th scope="col">{c_inv}</th></tr></thead><tbody>{rows_html}</tbody></table></div></section></div>"#,
        h1 = t("map.title"),
        sub = t("map.sub"),
        note = t("map.note"),
        c_div = t("common.division"),
        c_n = t("common.projects"),
        red = light_label(lang, zhantu_domain::lights::Light::Red),
        yellow = light_label(lang, zhantu_domain::lights::Light::Yellow),
        green = light_label(lang, zhantu_domain::lights::Light::Green),
        c_inv = t("common.total_investment"),
    );
    Ok(layout_legacy(&cx, t("map.title"), &body, &[]))
}
