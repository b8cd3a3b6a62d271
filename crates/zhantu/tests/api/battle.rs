//! The battle map (挂图作战): a whole district on one page, groups in the official order of
//! units, an axis whose labels keep apart at every zoom, and an export whose marks all lie
//! inside the plot. (Measured in a browser too: `e2e/tests/battle.test.mjs`.)

use crate::helpers::{demo_base, download, fresh_store, login, serve};

async fn page(path: &str) -> String {
    let d = download(demo_base(), path).await;
    assert_eq!(d.status, 200, "{path}");
    d.text()
}

/// The values of an attribute on the tags of a kind, in order (`<text x="…">`).
fn attrs<'a>(svg: &'a str, tag: &str, attr: &str) -> Vec<&'a str> {
    svg.split(&format!("<{tag} "))
        .skip(1)
        .filter_map(|s| {
            let head = &s[..s.find('>')?];
            let at = head
                .find(&format!(" {attr}=\""))
                .map(|i| i + 1)
                .or_else(|| head.starts_with(&format!("{attr}=\"")).then_some(0))?;
            let v = &head[at + attr.len() + 2..];
            Some(&v[..v.find('"')?])
        })
        .collect()
}

/// The axis's labels: (x, baseline, font size, text).
fn axis_labels(html: &str) -> Vec<(f64, f64, f64, String)> {
    let axis = &html[html.find("class=\"bm-axis\"").expect("the axis")..];
    let axis = &axis[..axis.find("</svg>").unwrap()];
    axis.split("<text ")
        .skip(1)
        .map(|t| {
            let num = |a: &str| -> f64 {
                let v = &t[t.find(&format!("{a}=\"")).unwrap() + a.len() + 2..];
                v[..v.find('"').unwrap()].parse().unwrap()
            };
            let text = &t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()];
            (num(" x"), num(" y"), num("font-size"), text.to_string())
        })
        .collect()
}

/// A label's width at its size, estimated as a browser draws a sans-serif font (digits and
/// Latin about 0.6 em, CJK a full em).
fn width((_, _, size, text): &(f64, f64, f64, String)) -> f64 {
    text.chars().map(|c| if c.is_ascii() { 0.6 } else { 1.0 }).sum::<f64>() * size
}

#[tokio::test]
async fn axis_labels_keep_apart_at_every_zoom() {
    for lang in ["zh", "en"] {
        for zoom in ["week", "month", "quarter", "year"] {
            let html = page(&format!("/battle-map?zoom={zoom}&lang={lang}")).await;
            let labels = axis_labels(&html);
            assert!(labels.len() >= 3, "{zoom} {lang}: {labels:?}");
            for (i, a) in labels.iter().enumerate() {
                for b in &labels[i + 1..] {
                    let apart_x = a.0 + width(a) <= b.0 || b.0 + width(b) <= a.0;
                    let apart_y = a.1 <= b.1 - b.2 || b.1 <= a.1 - a.2;
                    assert!(apart_x || apart_y, "{zoom} {lang}: {:?} and {:?} overlap", a.3, b.3);
                }
            }
            let today = if lang == "zh" {
                "数据日 2019-12-31"
            } else {
                "Data date 2019-12-31"
            };
            assert!(labels.iter().any(|l| l.3 == today), "{zoom} {lang}: the data date's label");
        }
    }
    // The axis starts in the middle of a year at year zoom: that year's label gave way to the
    // next one's ("2016年7年" no more).
    let labels = axis_labels(&page("/battle-map?zoom=year").await);
    let years: Vec<&str> = labels.iter().filter(|l| l.2 == 12.0).map(|l| l.3.as_str()).collect();
    assert!(years.windows(2).all(|w| w[0] < w[1]), "{years:?}");
}

/// The x extent of a path drawn with the commands the chart writes (M, H, h, v, l, z).
fn x_extent(d: &str) -> (f64, f64) {
    let (mut x, mut lo, mut hi) = (0.0_f64, f64::MAX, f64::MIN);
    let mut tokens = Vec::new();
    let mut cur = String::new();
    for c in d.chars() {
        if c.is_ascii_alphabetic() || c == ' ' || (c == '-' && !cur.is_empty()) {
            if !cur.is_empty() {
                tokens.push(std::mem::take(&mut cur));
            }
            if c.is_ascii_alphabetic() {
                tokens.push(c.to_string());
            } else if c == '-' {
                cur.push(c);
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let mut i = 0;
    let num = |i: usize| -> f64 { tokens[i].parse().unwrap_or_else(|_| panic!("{d}: {}", tokens[i])) };
    let mut cmd = "M".to_string();
    while i < tokens.len() {
        if tokens[i].chars().all(|c| c.is_ascii_alphabetic()) {
            cmd = tokens[i].clone();
            i += 1;
            continue;
        }
        match cmd.as_str() {
            "M" => {
                x = num(i);
                i += 2;
            }
            "H" => {
                x = num(i);
                i += 1;
            }
            "h" => {
                x += num(i);
                i += 1;
            }
            "v" => i += 1,
            "l" => {
                x += num(i);
                i += 2;
            }
            other => panic!("{other} in {d}"),
        }
        lo = lo.min(x);
        hi = hi.max(x);
    }
    (lo, hi)
}

#[tokio::test]
async fn the_export_draws_every_mark_inside_the_plot() {
    for zoom in ["week", "month", "quarter", "year"] {
        let d = download(demo_base(), &format!("/battle-map.svg?zoom={zoom}")).await;
        assert_eq!(d.status, 200);
        let svg = d.text();
        let plot = &svg[svg.find("<clipPath id=\"plot\">").expect("the plot's clip")..];
        let w: f64 = attrs(plot, "rect", "width")[0].parse().unwrap();
        let plot = &plot[plot.find("class=\"bm-plot\"").unwrap()..];
        let mut marks = 0;
        for d in attrs(plot, "path class=\"bm-mark\"", "d") {
            let (lo, hi) = x_extent(d);
            // Symbols reach 5.5 px either side of their day; the plot keeps 8 px blank.
            assert!(lo >= 0.0 && hi <= w, "{zoom}: a mark from {lo} to {hi} outside 0–{w}");
            marks += 1;
        }
        assert!(marks > 10, "{zoom}: {marks} marks");
        // Some of the demo's rows start before the axis: they say they go on.
        assert!(plot.contains("data-goes-on"), "{zoom}: no row marked as going on");
    }
}

#[tokio::test]
async fn groups_come_in_the_official_order_of_units() {
    let html = page("/battle-map?group=unit").await;
    let names = &html[html.find("class=\"bm-names\"").unwrap()..];
    // Headings: bold text with the group's count.
    let groups: Vec<String> = names
        .split("font-weight=\"bold\" fill=\"#102a43\">")
        .skip(1)
        .map(|s| s[..s.find(" (").unwrap()].to_string())
        .collect();
    let filters = &html[html.find("id=\"f-unit\"").expect("the unit filter")..];
    let filters = &filters[..filters.find("</select>").unwrap()];
    let official: Vec<String> = filters
        .split("\">")
        .skip(2)
        .map(|s| {
            s[..s.find("</option>").unwrap_or(0)]
                .trim_start_matches(['\u{3000}', ' ', '·', '—'])
                .to_string()
        })
        .collect();
    let at: Vec<usize> = groups
        .iter()
        .map(|g| {
            official
                .iter()
                .position(|o| o == g)
                .unwrap_or_else(|| panic!("{g} not in {official:?}"))
        })
        .collect();
    assert!(groups.len() > 3);
    assert!(at.windows(2).all(|w| w[0] < w[1]), "groups out of order: {groups:?}");
    assert_ne!(groups[0], "三甲街道");
}

#[tokio::test]
async fn a_whole_district_is_drawn_on_one_page() {
    let (store, _dir, _url) = fresh_store().await;
    store.load_dataset(&zhantu_demo::generate(1100, 7)).await.unwrap();
    zhantu_web::users::create_demo_accounts(&store).await.unwrap();
    let base = serve(store.clone()).await;
    let admin = login(&base, "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let rows = |html: &str| html.matches("<a href=\"/projects/").count();
    for path in ["/battle-map", "/battle-map?zoom=week&group=leader", "/battle-map?page=2"] {
        let (status, html) = admin.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(rows(&html), 1100, "{path}: every project");
        assert!(!html.contains("class=\"hint pager\""), "{path}: no pages");
        // One table: the axis in its head (repeated on every printed page), the rows in
        // blocks of 25 lines below it.
        let (head, body) = html.split_once("<tbody>").unwrap();
        assert!(head.contains("<thead>") && head.contains("class=\"bm-axis\""));
        let blocks = body.matches("<td class=\"bm-names\">").count();
        assert!(
            (1100_usize.div_ceil(25)..=(1100 + 30_usize).div_ceil(25)).contains(&blocks),
            "{blocks} blocks"
        );
    }
    let (status, svg) = admin.page("/battle-map.svg").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&svg), 1100, "the export too");
}
