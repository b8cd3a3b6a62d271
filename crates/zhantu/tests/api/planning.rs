//! The units' project-planning contest (#20 item 6, 一把手项目谋划擂台赛): the demo reproduces the
//! seed article's "共谋划重大项目188个" from its projects, every unit's count opens exactly its
//! projects in the registry, ranks follow the rule, the sheet carries the same, and a unit's staff
//! see the contest but open only their own projects.

use crate::helpers::{demo_base, login};
use serde_json::Value;

#[tokio::test]
async fn the_demo_planned_188_projects_and_units_rank_within_their_tier() {
    let admin = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (status, c) = admin.get("/api/v1/planning/contest?year=2019").await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["projects"], 188, "the seed article's 188 projects planned");
    let units = c["units"].as_array().unwrap();
    let sum: i64 = units.iter().map(|u| u["projects"].as_i64().unwrap()).sum();
    assert_eq!(sum, 188);
    // The same count as the registry's planned_year filter, unit by unit.
    for u in units.iter().filter(|u| u["projects"].as_i64() > Some(0)) {
        let (_, page) = admin
            .get(&format!(
                "/api/v1/projects?planned_year=2019&unit={}&unit_exact=1&limit=1",
                u["unit_id"]
            ))
            .await;
        assert_eq!(page["total"], u["projects"], "{u}");
    }
    // Ranks: within a tier, by projects then investment; ties share a place.
    for tier in ["towns", "departments"] {
        let ranked: Vec<&Value> = units.iter().filter(|u| u["tier"] == tier && !u["rank"].is_null()).collect();
        assert!(!ranked.is_empty(), "{tier}");
        assert_eq!(ranked[0]["rank"], 1);
        for w in ranked.windows(2) {
            let key = |u: &Value| (u["projects"].as_i64().unwrap(), u["investment"].as_i64().unwrap());
            assert!(key(w[0]) >= key(w[1]), "{tier}: {} before {}", w[0], w[1]);
            let (r0, r1) = (w[0]["rank"].as_i64().unwrap(), w[1]["rank"].as_i64().unwrap());
            if key(w[0]) == key(w[1]) {
                assert_eq!(r0, r1);
            } else {
                assert!(r1 > r0);
            }
        }
    }
    assert!(units.iter().filter(|u| u["tier"] == "district").all(|u| u["rank"].is_null()));
    let (status, e) = admin.get("/api/v1/planning/contest?year=20x9").await;
    assert_eq!(status, 400, "{e}");

    // The page: the total opens the year's planned projects; each count opens the unit's.
    let (status, html) = admin.page("/planning?year=2019").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"href="/projects?planned_year=2019" data-count="188""#),
        "the total's link"
    );
    assert!(html.contains("2019年一把手项目谋划擂台赛") && html.contains("街道（镇）") && html.contains("部门"));
    let (_, reg) = admin.page("/projects?planned_year=2019").await;
    assert!(reg.contains(r#"data-total="188""#));
    let (_, html) = admin.page("/planning?year=2019&lang=en").await;
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the contest in English: {chinese:?}");
    assert!(html.contains("Project-planning contest 2019"));

    // The sheet: one row per unit, the same counts and places.
    let resp = admin.response("/api/v1/planning/contest.xlsx?year=2019&lang=zh").await;
    assert_eq!(crate::helpers::status_of(&resp), 200);
    let rows = crate::excel::sheet_text(&resp.bytes().await.unwrap());
    let head = rows
        .iter()
        .position(|r| r.iter().any(|c| c == "谋划项目（个）"))
        .expect("the header row");
    let col = |name: &str| rows[head].iter().position(|h| h == name).unwrap();
    let (n, unit) = (col("谋划项目（个）"), col("单位"));
    let body = &rows[head + 1..];
    assert_eq!(body.len(), units.len());
    let total: i64 = body.iter().map(|r| r[n].parse::<i64>().unwrap()).sum();
    assert_eq!(total, 188);
    assert_eq!(body[0][unit], units[0]["unit"].as_str().unwrap());

    // A unit's staff see the contest, and open only their own unit's projects from it.
    let haimen = login(demo_base(), "haimen", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (status, html) = haimen.page("/planning?year=2019").await;
    assert_eq!(status, 200);
    assert!(
        !html.contains(r#"href="/projects?planned_year=2019" data-count"#),
        "no district total link for a unit"
    );
    let links = html.matches("/projects?planned_year=2019&amp;unit=").count();
    let theirs = units
        .iter()
        .filter(|u| u["unit"] == "海门街道" && u["projects"].as_i64() > Some(0))
        .count();
    assert!(links <= 1 && links == theirs, "only their own unit's count is a link ({links})");
}
