//! Delivery confidence (#20 item 1) end to end: a leader rates a red project 绿 (flagged as
//! optimistic), re-rates the month (one rating, replaced, both in the audit log), a unit editor
//! may read but not rate, and the by-unit disagreement figure counts it; the pages show it in
//! both languages.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn a_leaders_rating_stands_beside_the_light_and_disagreement_is_counted_by_unit() {
    let app = spawn_app().await;
    let leader = app.login("lingdao").await;
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
    assert_eq!(h["items"].as_array().unwrap().len(), 1, "{h}");
    assert_eq!(h["latest"]["reason"], "征迁仍未完成");
    // The registry and the project's JSON carry the latest rating beside the light.
    let (_, reg) = leader.get(&format!("/api/v1/projects?unit={unit_id}&limit=500")).await;
    let listed = reg["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"].as_i64() == Some(id))
        .expect("listed");
    assert_eq!(
        (listed["confidence"]["level"].as_str(), listed["confidence"]["month"].as_str()),
        (Some("amber_red"), Some("2019-06")),
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
    let (_, more) = app.get(&format!("/api/v1/projects?light=red&unit={}&limit=5", unit_id)).await;
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
    assert!(
        html.contains(r#"id="confidence" data-level="amber_red""#) && html.contains("履约信心评级 黄红 · 2019-06"),
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
