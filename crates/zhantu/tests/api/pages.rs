//! The pages, end to end: what a signed-in user sees in the HTML, the unit scope of readers,
//! the order and paging of the registry, the language switch, and the content security
//! policy (no inline script or style anywhere).

use crate::helpers::{Session, demo_base, download, fresh_demo_store, login};
use std::collections::BTreeSet;
use zhantu_store::{ProjectFilter, ProjectSort};

/// GET as the administrator: status, content type and body.
async fn admin_page(path: &str) -> (u16, String, String) {
    let d = download(demo_base(), path).await;
    (d.status, d.content_type().to_string(), d.text())
}

/// Ids of the projects linked from a page (`href="/projects/123"`).
fn project_links(html: &str) -> BTreeSet<i64> {
    html.split("href=\"/projects/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect()
}

fn assert_no_inline_code(path: &str, html: &str) {
    assert!(!html.contains(" style=\""), "{path}: inline style attribute");
    assert!(!html.contains("<style"), "{path}: <style> element");
    for part in html.split("<script").skip(1) {
        let tag = part.split('>').next().unwrap();
        assert!(tag.contains("src=\"/assets/"), "{path}: inline script <script{tag}>");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "{path}: a link off the machine"
    );
}

#[tokio::test]
async fn every_page_renders_without_inline_code() {
    let (_, _, registry) = admin_page("/projects?q=星星冷链").await;
    let id = *project_links(&registry).iter().next().expect("a project");
    let (_, project) = crate::helpers::demo_get(&format!("/api/v1/projects/{id}")).await;
    let node = project["nodes"][0]["id"].as_i64().expect("a node");
    for path in [
        format!("/nodes/{node}"),
        format!("/nodes/{node}?lang=en"),
        "/".to_string(),
        "/?year=2019&month=6".into(),
        "/?year=2020&lang=en".into(),
        "/?lang=en".into(),
        "/nodes?due_from=2019-01-01&due_to=2019-12-31&late=1".into(),
        "/nodes?due_from=2019-01-01&due_to=2019-06-30&lang=en".into(),
        "/problems?raised_from=2019-01-01&raised_to=2019-06-30&lang=en".into(),
        "/lights?light=red&light_month=2019-06".into(),
        "/projects?category=prov152&year=2019&started_from=2019-01-01&started_to=2019-12-31&lang=en".into(),
        "/projects".into(),
        "/projects?light=red&sort=investment&limit=20".into(),
        "/lights".into(),
        "/lights?light=yellow&lang=en".into(),
        format!("/projects/{id}"),
        format!("/projects/{id}?lang=en"),
        "/projects/new".into(),
        "/projects/new?lang=en".into(),
        "/battle-map".into(),
        "/battle-map?group=leader&zoom=month&light=red".into(),
        "/battle-map?group=category&zoom=week&lang=en".into(),
        "/map".into(),
        "/map?category=prov152".into(),
        "/admin/units".into(),
        "/admin/people?lang=en".into(),
        "/admin/project-types/industrial".into(),
        "/admin/categories?lang=en".into(),
        "/admin/settings".into(),
        "/instructions".into(),
        "/instructions?state=open&kind=order&overdue=1&lang=en".into(),
        "/todo".into(),
        "/todo?lang=en".into(),
        "/notifications".into(),
        "/notifications?lang=en".into(),
    ] {
        let (status, ct, html) = admin_page(&path).await;
        assert_eq!(status, 200, "{path}: {html}");
        assert!(ct.starts_with("text/html"), "{path}: {ct}");
        assert!(html.starts_with("<!doctype html>"), "{path}");
        assert_no_inline_code(&path, &html);
    }
    for (path, ct) in [
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
        ("/assets/vendor/echarts.min.js", "text/javascript"),
    ] {
        // Assets are public: the sign-in page needs its stylesheet.
        let resp = reqwest::get(format!("{}{path}", demo_base())).await.unwrap();
        assert_eq!(crate::helpers::status_of(&resp), 200, "{path}");
        assert!(resp.headers()["content-type"].to_str().unwrap().starts_with(ct), "{path}");
    }
    let (status, ct, svg) = admin_page("/battle-map.svg?group=unit").await;
    assert_eq!(status, 200);
    assert!(ct.starts_with("image/svg+xml"), "{ct}");
    assert!(svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.ends_with("</svg>"));
}

#[tokio::test]
async fn the_cockpit_shows_the_year_and_links_each_count_to_its_list() {
    let (_, _, html) = admin_page("/").await;
    for s in [
        "椒江区",
        "80.0%",
        "50.0%",
        "363.50亿元",
        "94.10亿元",
        "33.1%",
        "数据截至 2019年12月31日",
    ] {
        assert!(html.contains(s), "{s} missing");
    }
    for href in [
        "/lights?light=red",
        "/projects?category=prov152",
        "/projects?stage=construction",
        "/projects?unit=",
    ] {
        assert!(html.contains(&format!("href=\"{href}")), "no link to {href}");
    }
    // Up to June: fewer batches than the year's five.
    let (_, _, june) = admin_page("/?year=2019&month=6").await;
    assert!(june.contains("2019年1—6月"));
    assert!(!june.contains("共5批"), "June counts only the batches held by then");
    let (_, _, en) = admin_page("/?lang=en").await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Landing rate by category") && en.contains("36.35 bn yuan"));
}

#[tokio::test]
async fn the_registry_filters_and_escapes() {
    let (_, _, red) = admin_page("/projects?light=red&limit=500").await;
    let rows = red.matches("<tr><td><span class=\"light").count();
    assert!(rows > 0);
    assert_eq!(
        red.matches("<tr><td><span class=\"light light-red\"").count(),
        rows,
        "only red rows"
    );
    let (status, _, bad) = admin_page("/projects?stage=nonsense").await;
    assert_eq!(status, 400);
    assert!(bad.contains("项目阶段") && bad.starts_with("<!doctype html>"), "{bad}");
    let (_, _, evil) = admin_page("/projects?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E").await;
    assert!(!evil.contains("<script>alert") && evil.contains("&lt;script&gt;alert(1)"));
    let (status, _, missing) = admin_page("/projects/99999999").await;
    assert_eq!(status, 404, "{missing}");
}

#[tokio::test]
async fn sorted_pages_cover_every_project_once_in_order() {
    let (store, _dir, _) = fresh_demo_store().await;
    let total = store
        .list_projects(&ProjectFilter {
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap()
        .total;
    for sort in ProjectSort::ALL {
        let mut seen = BTreeSet::new();
        let mut keys = Vec::new();
        let mut f = ProjectFilter {
            limit: 37,
            ..Default::default()
        };
        loop {
            let page = store.list_projects_sorted(&f, sort).await.unwrap();
            assert_eq!(page.total, total);
            for p in &page.items {
                assert!(seen.insert(p.id), "{sort:?}: project {} twice", p.id);
                keys.push(match sort {
                    ProjectSort::Id => format!("{:012}", p.id),
                    ProjectSort::Name => p.name.clone(),
                    ProjectSort::InvestmentDesc => format!("{:020}", i64::MAX - p.total_investment_wan.0.yuan()),
                    ProjectSort::PlannedStart => p.planned_start_on.map(|d| d.to_string()).unwrap_or("9999-12-31".into()),
                    ProjectSort::LightFirst => {
                        let rank = match p.light.map(|l| l.code()) {
                            Some("red") => 0,
                            Some("yellow") => 1,
                            Some("green") => 2,
                            _ => 3,
                        };
                        rank.to_string()
                    }
                });
            }
            match page.next_cursor {
                Some(c) => f.after = Some(c),
                None => break,
            }
        }
        assert_eq!(seen.len() as i64, total, "{sort:?}");
        if sort != ProjectSort::Name {
            // Names compare by the database's collation; the rest by these keys.
            assert!(keys.windows(2).all(|w| w[0] <= w[1]), "{sort:?} out of order");
        }
    }
}

#[tokio::test]
async fn readers_of_one_unit_see_only_its_projects_on_every_page() {
    let viewer = login(demo_base(), "chakan", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (_, _, everything) = admin_page("/battle-map").await;
    let all_ids = project_links(&everything);
    let (status, mine) = viewer.page("/battle-map").await;
    assert_eq!(status, 200);
    let my_ids = project_links(&mine);
    assert!(
        !my_ids.is_empty() && my_ids.len() < all_ids.len(),
        "{} of {}",
        my_ids.len(),
        all_ids.len()
    );
    let (_, registry) = viewer.page("/projects?limit=500").await;
    assert_eq!(project_links(&registry), my_ids, "the registry and the battle map agree");
    let other = all_ids.difference(&my_ids).next().unwrap();
    let (status, _) = viewer.page(&format!("/projects/{other}")).await;
    assert_eq!(status, 403);
    let mine_one = my_ids.iter().next().unwrap();
    let (status, page) = viewer.page(&format!("/projects/{mine_one}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("海门街道"));
    let (_, cockpit) = viewer.page("/").await;
    assert!(cockpit.contains("仅显示您所在单位及下属单位"));
}

#[tokio::test]
async fn the_language_switch_remembers_the_choice() {
    let viewer = login(demo_base(), "lingdao", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let resp = viewer.response("/lang?to=en&back=/projects%3Flight%3Dred").await;
    assert_eq!(crate::helpers::status_of(&resp), 303);
    assert_eq!(resp.headers()["location"], "/projects?light=red");
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.starts_with("zhantu_lang=en;"), "{set}");
    let english = Session {
        cookie: format!("{}; zhantu_lang=en", viewer.cookie),
        ..viewer.clone()
    };
    let (_, html) = english.page("/projects").await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Project registry"));
    // Off-site "back" targets are refused.
    let resp = viewer.response("/lang?to=zh-CN&back=//evil.example").await;
    assert_eq!(resp.headers()["location"], "/");
}
