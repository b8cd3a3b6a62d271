//! Delivery confidence (#20 item 1) end to end: a leader rates a red project 绿 (flagged as
//! optimistic), re-rates the month (one rating, replaced, both in the audit log), a unit editor
//! may read but not rate, and the by-unit disagreement figure counts it; the pages show it in
//! both languages.

use crate::helpers::{demo_base, login, spawn_app};
use serde_json::{Value, json};

#[tokio::test]
async fn a_leaders_rating_stands_beside_the_light_and_disagreement_is_counted_by_unit() {
    let app = spawn_app().await;
    let leader = app.login("lingdao").await;
    // The demo's leaders rated their projects in October to December; this test rates June.
    let (_, list) = app.get("/api/v1/projects?light=red&limit=1").await;
    let p = &list["items"][0];
    let id = p["id"].as_i64().unwrap();
    let unit_id = p["unit"]["id"].clone();
    assert!(unit_id.is_i64(), "{p}");
    let path = format!("/api/v1/projects/{id}/confidence");

    // Refused: an unknown level, no reason, a bad month — every field at once.
    let (status, e) = leader.post(&path, json!({"month": "2019-13", "level": "橙", "reason": " "})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    let said = e["error"]["message"].as_str().unwrap();
    assert!(
        said.contains("月份") && said.contains("“橙”") && said.contains("评级理由"),
        "every field at once: {said}"
    );

    // 绿 on a red light: optimistic.
    let (status, r) = leader
        .post(
            &path,
            json!({"month": "2019-06", "level": "绿", "reason": "要素已落实，下月可开工"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(
        (r["level"].as_str(), r["light"].as_str(), r["disagreement"].as_str()),
        (Some("green"), Some("red"), Some("optimistic"))
    );
    // Re-rated the same month: replaced, not added.
    let (status, r) = leader
        .post(&path, json!({"month": "2019年6月", "level": "amber_red", "reason": "征迁仍未完成"}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["level"].as_str(), r["disagreement"].as_str(), r["version"].as_i64()),
        (Some("amber_red"), None, Some(2))
    );
    let (_, h) = leader.get(&path).await;
    let june: Vec<&Value> = h["items"].as_array().unwrap().iter().filter(|r| r["month"] == "2019-06").collect();
    assert_eq!(june.len(), 1, "{h}");
    assert_eq!(june[0]["reason"], "征迁仍未完成");
    // The latest month first: June unless the demo rated the project in the autumn.
    let latest = (h["latest"]["level"].clone(), h["latest"]["month"].as_str().unwrap().to_string());
    let months: Vec<&str> = h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["month"].as_str().unwrap())
        .collect();
    assert!(months.windows(2).all(|w| w[0] > w[1]) && months[0] == latest.1, "{months:?}");
    // The registry and the project's JSON carry the latest rating beside the light.
    let (_, reg) = leader.get(&format!("/api/v1/projects?unit={unit_id}&limit=500")).await;
    let listed = reg["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"].as_i64() == Some(id))
        .expect("listed");
    assert_eq!(
        (&listed["confidence"]["level"], listed["confidence"]["month"].as_str()),
        (&latest.0, Some(latest.1.as_str())),
        "{listed}"
    );
    let audited = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'confidence.rate' AND entity_id = {id}"
        ))
        .await;
    assert_eq!(audited, 2);

    // A unit editor of the project's unit reads the history but may not rate.
    let editor = app.create_editor("conf_editor", &unit_id).await;
    assert_eq!(editor.get(&path).await.0, 200);
    let (status, e) = editor.post(&path, json!({"month": "2019-07", "level": "红", "reason": "x"})).await;
    assert_eq!(status, 403, "{e}");

    // Another project rated 绿 on its red light: the unit's figure counts one optimistic of two.
    let (_, more) = app.get(&format!("/api/v1/projects?light=red&unit={}&limit=500", unit_id)).await;
    let other = more["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"].as_i64() != Some(id))
        .map(|x| x["id"].as_i64().unwrap());
    let (rated, optimistic) = match other {
        Some(o) => {
            let (status, r) = leader
                .post(
                    &format!("/api/v1/projects/{o}/confidence"),
                    json!({"month": "2019-06", "level": "green", "reason": "已协调"}),
                )
                .await;
            assert_eq!(status, 201, "{r}");
            (2, 1)
        }
        None => (1, 0),
    };
    let (_, f) = leader.get("/api/v1/confidence?month=2019-06").await;
    let unit = f["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit_id)
        .expect("the unit is listed");
    assert_eq!(
        (unit["rated"].as_i64(), unit["optimistic"].as_i64(), unit["pessimistic"].as_i64()),
        (Some(rated), Some(optimistic), Some(0)),
        "{f}"
    );

    // The pages, in Chinese and in English.
    let (status, html) = leader.page(&format!("/projects/{id}/confidence")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("征迁仍未完成") && html.contains("黄红") && html.contains("提交评级"),
        "the history and the form"
    );
    let (status, html) = leader.page(&format!("/projects/{id}")).await;
    assert_eq!(status, 200);
    let label = match latest.0.as_str().unwrap() {
        "green" => "绿",
        "amber_green" => "绿黄",
        "amber" => "黄",
        "amber_red" => "黄红",
        _ => "红",
    };
    assert!(
        html.contains(&format!(r#"id="confidence" data-level="{}""#, latest.0.as_str().unwrap()))
            && html.contains(&format!("履约信心评级 {label} · {}", latest.1)),
        "the project page's head"
    );
    let (status, html) = editor.page(&format!("/projects/{id}/confidence")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("提交评级"), "no form for those who may not rate");
    let (status, html) = leader.page("/confidence?month=2019-06").await;
    assert_eq!(status, 200);
    assert!(html.contains("不一致率"));
    for path in [
        format!("/projects/{id}/confidence?lang=en"),
        "/confidence?month=2019-06&lang=en".to_string(),
    ] {
        let (status, html) = leader.page(&path).await;
        assert_eq!(status, 200, "{path}");
        let chinese = crate::english::chinese_outside_data(&html);
        assert!(chinese.is_empty(), "{path} in English has Chinese outside data: {chinese:?}");
    }
    let (_, html) = leader.page(&format!("/projects/{id}/confidence?lang=en")).await;
    assert!(html.contains("Amber/Red") && html.contains("Save the rating"), "the English page");
}

/// Every project of a registry query (all pages).
async fn all(s: &crate::helpers::Session, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut after = String::new();
    loop {
        let (status, page) = s.get(&format!("/api/v1/projects?{query}&limit=500{after}")).await;
        assert_eq!(status, 200, "{page}");
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_i64() {
            Some(n) => after = format!("&after={n}"),
            None => return out,
        }
    }
}

/// `data-count="N"` of the link to `href` on a page.
fn count_of(html: &str, href: &str) -> Option<i64> {
    let at = html.find(&format!(r#"href="{href}" data-count=""#))?;
    let rest = &html[at + href.len() + 20..];
    rest[..rest.find('"')?].parse().ok()
}

#[tokio::test]
async fn the_demo_ratings_stand_on_the_registry_the_cockpit_the_export_and_the_monthly_report() {
    let admin = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    // The demo's leaders rated their projects in October to December, each with the month's
    // light filled in from the light history.
    let (_, f) = admin.get("/api/v1/confidence?month=2019-12").await;
    let rated: i64 = f["units"].as_array().unwrap().iter().map(|u| u["rated"].as_i64().unwrap()).sum();
    assert!(rated > 20, "the demo's December ratings: {f}");

    // The registry's filter: exactly the projects whose latest rating disagrees, each way.
    let any = all(&admin, "disagree=1").await;
    let optimistic = all(&admin, "disagree=optimistic").await;
    let pessimistic = all(&admin, "disagree=pessimistic").await;
    assert!(!optimistic.is_empty() && !pessimistic.is_empty(), "the demo has both kinds");
    assert_eq!(any.len(), optimistic.len() + pessimistic.len());
    for (list, want) in [(&optimistic, "optimistic"), (&pessimistic, "pessimistic")] {
        for p in list {
            assert_eq!(p["confidence"]["disagreement"].as_str(), Some(want), "{p}");
            assert_eq!(p["confidence"]["month"].as_str(), Some("2019-12"), "{p}");
        }
    }
    let amber_red = all(&admin, "confidence=黄红").await;
    assert!(amber_red.iter().all(|p| p["confidence"]["level"] == "amber_red"));
    let (status, e) = admin.get("/api/v1/projects?disagree=maybe").await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_parameter")), "{e}");

    // The cockpit counts the same, and its links open those lists.
    let (_, html) = admin.page("/").await;
    assert_eq!(
        count_of(&html, "/projects?disagree=1"),
        Some(any.len() as i64),
        "the cockpit's card"
    );
    assert_eq!(count_of(&html, "/projects?disagree=optimistic"), Some(optimistic.len() as i64));
    assert_eq!(count_of(&html, "/projects?disagree=pessimistic"), Some(pessimistic.len() as i64));
    let (_, html) = admin.page("/projects?disagree=1").await;
    assert!(html.contains(&format!(r#"data-total="{}""#, any.len())), "the registry's total");
    assert!(
        html.contains("履约信心") && html.contains("评级与亮灯不一致"),
        "the column and the note"
    );
    assert!(html.contains(r#"<strong class="flag">评级比灯"#), "the flag beside the rating");
    let (_, html) = admin.page("/projects?disagree=1&lang=en").await;
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the registry in English: {chinese:?}");

    // A unit's staff: their units' projects on the cockpit and the registry alike.
    let haimen = login(demo_base(), "haimen", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let theirs = all(&haimen, "disagree=1").await;
    assert!(theirs.len() < any.len());
    let (_, html) = haimen.page("/").await;
    let shown = count_of(&html, "/projects?disagree=1");
    assert!(
        shown == Some(theirs.len() as i64) || (theirs.is_empty() && shown == Some(0)),
        "the unit's card counts its own: {shown:?} vs {}",
        theirs.len()
    );

    // The registry's export carries the rating and the disagreement.
    let resp = admin.response("/api/v1/export/registry.xlsx?disagree=pessimistic&lang=zh").await;
    assert_eq!(crate::helpers::status_of(&resp), 200);
    let rows = crate::excel::sheet_text(&resp.bytes().await.unwrap());
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap_or_else(|| panic!("column {name}"));
    let (level, flag) = (col("履约信心评级"), col("评级与亮灯"));
    assert_eq!(rows.len() - 1, pessimistic.len());
    assert!(
        rows[1..].iter().all(|r| r[flag] == "评级比灯悲观" && !r[level].is_empty()),
        "{rows:?}"
    );

    // The monthly analysis has its section, in both languages.
    let (status, html) = admin.page("/reports/monthly/2019-12").await;
    assert_eq!(status, 200);
    assert!(html.contains("八、履约信心评级") && html.contains("履约信心评级与亮灯不一致情况（分单位）"));
    let (_, html) = admin.page("/reports/monthly/2019-12?lang=en").await;
    assert!(html.contains("8. Delivery confidence"));
}

pub(crate) async fn write_fixtures(app: &crate::helpers::TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let (id, _) = app.first_project("").await;
    let body = json!({"month": "2019-06", "level": "amber", "reason": "测试评级"});
    vec![
        (
            ("POST", "/api/v1/projects/{id}/confidence"),
            Fixture::json(format!("/api/v1/projects/{id}/confidence"), body.clone(), true, None),
        ),
        (
            ("POST", "/projects/{id}/confidence"),
            Fixture::form(format!("/projects/{id}/confidence"), body, true, None),
        ),
    ]
}
