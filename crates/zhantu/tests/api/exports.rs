//! The registry's Excel export is the page as a sheet (issue #18): the page's columns with the
//! light, its reason, the categories and Chinese labels (English for an English reader), every
//! project the page's filters match (all pages of it), in the page's order, within the
//! reader's units.

use crate::excel::sheet_text;
use crate::helpers::{Session, demo_base, demo_get, login};
use serde_json::Value;

const HEADERS_ZH: [&str; 12] = [
    "亮灯",
    "亮灯原因",
    "项目名称",
    "项目代码",
    "责任单位",
    "包干领导",
    "阶段",
    "总投资（万元）",
    "开工（计划）",
    "项目类别",
    "街道/镇",
    "项目类型",
];

async fn sheet(s: &Session, path: &str) -> Vec<Vec<String>> {
    let resp = s.response(path).await;
    assert_eq!(crate::helpers::status_of(&resp), 200, "{path}");
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    sheet_text(&resp.bytes().await.unwrap())
}

/// Every project of a registry query (the JSON API, all pages).
async fn all_projects(query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = String::new();
    loop {
        let (status, page) = demo_get(&format!("/api/v1/projects?{query}&limit=500{after}")).await;
        assert_eq!(status, 200, "{page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_i64() {
            Some(n) => after = format!("&after={n}"),
            None => return items,
        }
    }
}

fn column(rows: &[Vec<String>], header: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r.get(i).cloned().unwrap_or_default()).collect()
}

#[tokio::test]
async fn the_registry_export_is_the_page_with_its_lights_reasons_and_categories() {
    let s = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    // The page's link carries its filters, order and language.
    let (_, html) = s.page("/projects?light=red&sort=investment").await;
    assert!(
        html.contains(r#"href="/api/v1/export/registry.xlsx?light=red&amp;sort=investment&amp;lang=zh-CN""#),
        "the registry's export link keeps its filters"
    );
    let rows = sheet(&s, "/api/v1/export/registry.xlsx?light=red&sort=investment&lang=zh").await;
    assert_eq!(rows[0], HEADERS_ZH);
    let red = all_projects("light=red&sort=investment").await;
    assert!(red.len() > 10, "the demo has red projects");
    assert_eq!(rows.len() - 1, red.len(), "one row per red project, all pages of it");
    assert!(column(&rows, "亮灯").iter().all(|l| l == "红灯"));
    // The page's order: investment, largest first.
    let invested: Vec<f64> = column(&rows, "总投资（万元）")
        .iter()
        .map(|v| v.replace(',', "").parse().unwrap())
        .collect();
    assert!(invested.windows(2).all(|w| w[0] >= w[1]), "{invested:?}");
    let (_, html) = s.page("/projects?light=red&sort=investment").await;
    let first = column(&rows, "项目名称")[0].clone();
    let shown_first = html.split("<th scope=\"row\"><a href=\"/projects/").nth(1).expect("a row");
    assert!(
        shown_first.contains(&format!(">{first}</a>")),
        "the page's first row is the sheet's: {first}"
    );
    // The same projects as the registry's query, each with its own reason and categories.
    let mut by_name: Vec<(String, String, String)> = column(&rows, "项目名称")
        .into_iter()
        .zip(column(&rows, "亮灯原因"))
        .zip(column(&rows, "项目类别"))
        .map(|((n, r), c)| (n, r, c))
        .collect();
    by_name.sort();
    let mut want: Vec<(String, String, String)> = red
        .iter()
        .map(|p| {
            let cats: Vec<&str> = p["categories"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            (
                p["name"].as_str().unwrap().to_string(),
                p["light_reason"].as_str().unwrap_or("").to_string(),
                cats.join("、"),
            )
        })
        .collect();
    want.sort();
    assert_eq!(by_name, want);
    assert!(column(&rows, "亮灯原因").iter().all(|r| !r.is_empty()), "every red light says why");
    assert!(
        column(&rows, "项目类别").iter().any(|c| !c.is_empty()),
        "some red projects are in categories"
    );
    // Labels, not codes.
    let stages = column(&rows, "阶段");
    assert!(stages.iter().all(|s| !s.is_empty() && !s.is_ascii()), "{stages:?}");
    let types = column(&rows, "项目类型");
    assert!(types.iter().all(|t| !t.is_empty() && !t.is_ascii()), "types in Chinese: {types:?}");
    assert!(column(&rows, "责任单位").iter().all(|u| !u.is_empty()));

    // Another filter, the default order: the same rows as the page's query.
    let rows = sheet(&s, "/api/v1/export/registry.xlsx?stage=construction&light=yellow").await;
    let yellow = all_projects("stage=construction&light=yellow").await;
    assert_eq!(
        column(&rows, "项目名称"),
        yellow.iter().map(|p| p["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    );
    assert!(column(&rows, "亮灯").iter().all(|l| l == "黄灯"));
    assert!(column(&rows, "阶段").iter().all(|l| l == "在建"));
}

#[tokio::test]
async fn an_english_reader_gets_english_headers_and_labels_and_a_unit_only_its_projects() {
    let s = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (_, html) = s.page("/projects?light=green&lang=en").await;
    assert!(html.contains(r#"href="/api/v1/export/registry.xlsx?light=green&amp;sort=id&amp;lang=en""#));
    let rows = sheet(&s, "/api/v1/export/registry.xlsx?light=green&lang=en").await;
    assert_eq!(rows[0][0], "Light");
    assert!(rows[0].contains(&"Light reason".to_string()) && rows[0].contains(&"Categories".to_string()));
    assert!(column(&rows, "Light").iter().all(|l| l == "Green"));
    assert!(
        column(&rows, "Stage").iter().all(|s| s.is_ascii() && !s.is_empty()),
        "stages in English"
    );
    // Every sheet's name and header, and the data-version sheet's labels, are English.
    let resp = s.response("/api/v1/export/registry.xlsx?light=green&lang=en").await;
    let sheets = zhantu_office::read_sheets(&resp.bytes().await.unwrap(), "x.xlsx").unwrap();
    assert_eq!(sheets.len(), 2, "the projects and the data version");
    for sh in &sheets {
        assert!(sh.name.is_ascii(), "sheet name {}", sh.name);
        let first: Vec<String> = sh.rows[0].iter().map(zhantu_domain::imports::Raw::as_text).collect();
        assert!(first.iter().all(|c| c.is_ascii()), "{}: {first:?}", sh.name);
    }
    let stamp: Vec<String> = sheets[1].rows.iter().map(|r| r[0].as_text()).collect();
    assert!(stamp.iter().all(|c| c.is_ascii()), "{stamp:?}");
    // The headline reason as the lights job wrote it in English (names as recorded).
    let red = sheet(&s, "/api/v1/export/registry.xlsx?light=red&lang=en").await;
    let reasons = column(&red, "Light reason");
    assert!(!reasons.is_empty() && reasons.iter().all(|r| r.starts_with("Red: ")), "{reasons:?}");
    // The language remembered by the browser (the switch's cookie) is the sheet's too.
    let resp = crate::helpers::no_redirects()
        .get(format!("{}/api/v1/export/registry.xlsx?light=green", s.base))
        .header("cookie", format!("{}; zhantu_lang=en", s.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(sheet_text(&resp.bytes().await.unwrap())[0][0], "Light");

    // A unit editor's export holds its unit's projects only, as its registry does.
    let editor = login(demo_base(), "haimen", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let rows = sheet(&editor, "/api/v1/export/registry.xlsx").await;
    let (_, mine) = editor.get("/api/v1/projects?limit=500").await;
    assert_eq!(rows.len() - 1, mine["total"].as_i64().unwrap() as usize);
    let (_, all) = demo_get("/api/v1/projects?limit=1").await;
    assert!(((rows.len() - 1) as i64) < all["total"].as_i64().unwrap());
    let units: std::collections::BTreeSet<String> = column(&rows, "责任单位").into_iter().collect();
    let theirs: std::collections::BTreeSet<String> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["unit"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(units, theirs);
}
