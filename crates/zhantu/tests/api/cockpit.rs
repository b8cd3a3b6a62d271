//! The cockpit's numbers and the lists they open: every count marked `data-count` equals the
//! total (`data-total`) of the list its link opens, for the coordinator, a leader and a unit
//! editor, for the data day's year, a month and a year to come; the registry, problem and
//! node filters those links use; and the period rules (a year not begun shows "—").

use crate::helpers::{Session, demo_base, login};
use serde_json::Value;

async fn sign_in(user: &str) -> Session {
    login(demo_base(), user, "Zhantu2019").await.expect("demo account")
}

/// The value of `attr="…"` in a tag's text.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("{name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// (href, count) of every link the page marks as a count.
fn count_links(html: &str) -> Vec<(String, String)> {
    html.split("<a ")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let n = attr(tag, "data-count")?;
            Some((attr(tag, "href")?.replace("&amp;", "&"), n.to_string()))
        })
        .collect()
}

/// The total a list page states (`data-total`).
fn stated_total(html: &str) -> Option<String> {
    html.split("data-total=\"").nth(1).map(|s| s[..s.find('"').unwrap()].to_string())
}

async fn page(s: &Session, path: &str) -> String {
    let (status, html) = s.page(path).await;
    assert_eq!(status, 200, "{path}");
    html
}

/// The count a card shows: the `data-count` of the link whose href starts with `prefix`.
fn count_of(html: &str, prefix: &str) -> i64 {
    count_links(html)
        .into_iter()
        .find(|(h, _)| h.starts_with(prefix))
        .unwrap_or_else(|| panic!("no count linked to {prefix}"))
        .1
        .parse()
        .unwrap()
}

#[tokio::test]
async fn every_cockpit_count_equals_the_total_of_the_list_it_opens() {
    for user in ["fgj", "lingdao", "haimen"] {
        let s = sign_in(user).await;
        for path in ["/", "/?month=6", "/?year=2019&month=3", "/?year=2020", "/?year=2018"] {
            let html = page(&s, path).await;
            let links = count_links(&html);
            assert!(links.len() >= 20, "{user} {path}: only {} counts", links.len());
            if path == "/" {
                for kind in [
                    "/batches?from=",
                    "/supervision?from=",
                    "/enterprises/visits?from=",
                    "/nodes?campaign=",
                    "/nodes?due_from=",
                ] {
                    assert!(links.iter().any(|(h, _)| h.starts_with(kind)), "{user}: no count opens {kind}");
                }
            }
            for (href, n) in links {
                let list = page(&s, &href).await;
                assert_eq!(stated_total(&list).as_deref(), Some(n.as_str()), "{user} on {path}: {href}");
            }
        }
    }
}

#[tokio::test]
async fn the_visits_count_opens_the_visits_of_the_period_in_the_readers_units() {
    let fgj = sign_in("fgj").await;
    let haimen = sign_in("haimen").await;
    let district = page(&fgj, "/?year=2019&month=6").await;
    let unit = page(&haimen, "/?year=2019&month=6").await;
    let href = "/enterprises/visits?from=2019-01-01&to=2019-06-30";
    let (all, theirs) = (count_of(&district, href), count_of(&unit, href));
    assert!(all > 0 && theirs < all, "haimen's visits {theirs} vs the district's {all}");
    // The note says whose visits they are, and the list what it counts.
    assert!(district.contains("全区走访企业 <a href=\"/enterprises/visits?from=2019-01-01&amp;to=2019-06-30\""));
    assert!(unit.contains("本单位走访企业 <a href="));
    let list = page(&fgj, href).await;
    assert!(
        list.contains(&format!("2019-01-01 至 2019-06-30 期间走访 {all} 家次")),
        "the list states its period"
    );
    let (_, api) = fgj.get("/api/v1/visits?limit=1&from=2019-01-01&to=2019-06-30").await;
    assert_eq!(api["total"].as_i64(), Some(all), "the page counts as the API does");
    let (_, mine) = haimen.get("/api/v1/visits?limit=1&from=2019-01-01&to=2019-06-30").await;
    assert_eq!(mine["total"].as_i64(), Some(theirs), "a unit's staff count their units' visits");
    let en = page(&fgj, &format!("{href}&lang=en")).await;
    assert!(
        en.contains(&format!("{all} visits from 2019-01-01 to 2019-06-30")),
        "in English too"
    );
    let (status, _) = fgj.page("/enterprises/visits?from=soon").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_unit_editor_counts_their_units_projects() {
    let district = page(&sign_in("fgj").await, "/").await;
    let unit = page(&sign_in("haimen").await, "/").await;
    let red_district = count_of(&district, "/lights?light=red");
    let red_unit = count_of(&unit, "/lights?light=red");
    assert!(red_unit < red_district, "haimen's red {red_unit} vs the district's {red_district}");
    assert!(count_of(&unit, "/problems?") < count_of(&district, "/problems?"));
}

#[tokio::test]
async fn the_figures_api_counts_the_readers_scope_as_the_cockpit_does() {
    let fgj = sign_in("fgj").await;
    let haimen = sign_in("haimen").await;
    let (_, district) = fgj.get("/api/v1/figures?year=2019").await;
    let (status, unit) = haimen.get("/api/v1/figures?year=2019").await;
    assert_eq!(status, 200, "{unit}");
    let planned = |f: &Value| f["projects_planned"].as_i64().unwrap();
    let raised = |f: &Value| f["problems"]["raised"].as_i64().unwrap();
    assert!(
        planned(&unit) > 0 && planned(&unit) < planned(&district),
        "{} vs {}",
        planned(&unit),
        planned(&district)
    );
    assert!(raised(&unit) < raised(&district));
    // The same numbers as the unit's own cockpit and registry.
    let (_, list) = haimen
        .get("/api/v1/problems?limit=1&raised_from=2019-01-01&raised_to=2019-12-31")
        .await;
    assert_eq!(list["total"].as_i64(), Some(raised(&unit)));
    let red = |f: &Value| {
        f["lights"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["light"] == "red")
            .map(|l| l["projects"].as_i64().unwrap())
            .unwrap_or(0)
    };
    assert_eq!(red(&unit), count_of(&page(&haimen, "/").await, "/lights?light=red"));
    // A division asked for does not widen the scope either.
    let (_, by_division) = haimen.get("/api/v1/figures?year=2019&division=331002").await;
    assert_eq!(planned(&by_division), planned(&unit));
}

#[tokio::test]
async fn the_registry_filters_of_the_counts() {
    let s = sign_in("fgj").await;
    let total = |v: Value| v["total"].as_i64().unwrap_or(-1);
    let get = |q: &'static str| {
        let s = &s;
        async move {
            let (status, v) = s.get(&format!("/api/v1/projects?limit=1&{q}")).await;
            assert_eq!(status, 200, "{q}: {v}");
            total(v)
        }
    };
    // The seed article: 5 provincial "152" projects targeted in 2019, 4 of them landed.
    assert_eq!(get("category=prov152&year=2019").await, 5);
    assert!(get("category=prov152").await > 5, "other years' lists are not 2019's");
    assert_eq!(
        get("category=prov152&year=2019&started_from=2019-01-01&started_to=2019-12-31").await,
        4
    );
    assert_eq!(get("category=mayor&year=2019").await, 12);
    assert_eq!(get("planned_year=2019").await, 188);
    let all = get("").await;
    assert_eq!(get("active=1").await + get("stage=terminated").await, all);
    // A unit with units below it: alone, and with them.
    assert!(get("unit=1&unit_exact=1").await < get("unit=1").await);
    // June's red projects from the light history, not today's.
    let june = get("light=red&light_month=2019-06").await;
    assert_eq!(june, 69, "the demo's June reds");
    assert_ne!(june, get("light=red").await);
    for bad in [
        "year=19",
        "planned_year=abc",
        "started_from=2019-13-01",
        "light_month=2019-13",
        "light_month=june",
    ] {
        let (status, v) = s.get(&format!("/api/v1/projects?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {v}");
        assert!(v["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    }
}

#[tokio::test]
async fn problems_count_the_period_they_were_raised_in() {
    let s = sign_in("fgj").await;
    let (_, all) = s.get("/api/v1/problems?limit=1").await;
    let (_, year) = s.get("/api/v1/problems?limit=1&raised_from=2019-01-01&raised_to=2019-12-31").await;
    let (_, figures) = s.get("/api/v1/figures?year=2019").await;
    assert_eq!(year["total"], figures["problems"]["raised"], "the cockpit and the list count alike");
    assert!(all["total"].as_i64() > year["total"].as_i64(), "{all} vs {year}");
    let (status, _) = s.get("/api/v1/problems?raised_from=tomorrow").await;
    assert_eq!(status, 400);
    // Each list says what it counts.
    assert!(page(&s, "/problems").await.contains("全部问题（各年度）"));
    assert!(
        page(&s, "/problems?raised_from=2019-01-01&raised_to=2019-12-31")
            .await
            .contains("2019-01-01 至 2019-12-31 提出的问题")
    );
    assert!(page(&s, "/problems?lang=en").await.contains("all years"));
}

#[tokio::test]
async fn nodes_due_in_a_period_and_those_still_open() {
    let s = sign_in("fgj").await;
    let (_, f) = s.get("/api/v1/figures?year=2019").await;
    let due = page(&s, "/nodes?due_from=2019-01-01&due_to=2019-12-31").await;
    let late = page(&s, "/nodes?due_from=2019-01-01&due_to=2019-12-31&late=1").await;
    assert_eq!(stated_total(&due), Some(f["node_on_time"]["due"].to_string()));
    assert_eq!(stated_total(&late), Some(f["node_on_time"]["overdue_open"].to_string()));
    let en = page(&s, "/nodes?due_from=2019-01-01&due_to=2019-06-30&late=1&lang=en").await;
    assert!(en.contains("not closed by 2019-06-30"), "{en}");
    let (status, _) = s.page("/nodes?due_from=soon").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_year_not_begun_shows_dashes_not_a_negative_gap() {
    let s = sign_in("fgj").await;
    let html = page(&s, "/?year=2020").await;
    assert!(!html.contains("-100.0"), "no −100 points for a year to come");
    assert!(!html.contains("（1——月）"), "no empty month range");
    assert!(html.contains("本期无统计数据"));
    assert!(html.contains("序时进度 —"));
    let (_, f) = s.get("/api/v1/figures?year=2020").await;
    assert_eq!(f["period_started"], false);
    assert_eq!(f["investment"]["points_vs_time_progress"], Value::Null);
    // A past month: its gap is against its own time progress.
    let june = page(&s, "/?month=6").await;
    assert!(june.contains("序时进度 50.0%"), "June is half the year");
    assert!(june.contains("2019-06 月末灯色"), "June's lights come from the light history");
}

#[tokio::test]
async fn the_ranking_shows_every_unit_with_its_change_of_place() {
    let s = sign_in("fgj").await;
    let html = page(&s, "/?month=6").await;
    let rows = html.matches("class=\"rank-").count();
    assert_eq!(rows, 21, "every unit with projects");
    assert!(html.contains("data-rows=\"21\""), "the chart has a row per unit");
    assert!(html.contains("rank-up") && html.contains("rank-down"), "places changed since May");
    // The targets are markers, not a line joining categories.
    assert!(html.contains("&quot;type&quot;:&quot;scatter&quot;"));
    assert!(!html.contains("&quot;type&quot;:&quot;line&quot;"));
    let en = page(&s, "/?month=6&lang=en").await;
    assert!(en.contains("Change of place against the ranking of Jan–month 5"));
}
