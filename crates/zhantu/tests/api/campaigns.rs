//! A campaign's quantitative targets besides its nodes (#20 item 6, 量化指标): the demo's
//! 双60 campaign reproduces the seed article's "2200余间房屋政策处理“清零”,11条“断头路”打通" from
//! data; a coordinator sets a target and records progress (versioned, audited), every bad field
//! is listed, a unit editor is refused, and the page and its closing report show them.

use crate::helpers::{demo_base, login, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_demo_campaign_cleared_2200_houses_and_opened_11_roads() {
    let admin = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (status, c) = admin.get("/api/v1/campaigns/1").await;
    assert_eq!(status, 200, "{c}");
    let m = c["measures"].as_array().unwrap();
    let got: Vec<(&str, i64, i64)> = m
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap(),
                x["target"].as_i64().unwrap(),
                x["achieved"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("房屋政策处理", 2200, 2216), ("打通断头路", 11, 11)]);
    assert!(got[0].2 >= 2200 && got[0].2 < 2300, "“2200余间”");
    assert_eq!(m[0]["rate"], 100.7);
    let summary = c["report"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("量化指标：房屋政策处理2216间（目标2200间，完成100.7%）；打通断头路11条（目标11条，完成100.0%）。"),
        "{summary}"
    );
    let (_, html) = admin.page("/campaigns/1").await;
    assert!(html.contains(r#"id="campaign-measures""#) && html.contains(r#"data-achieved="2216""#));
    let (_, html) = admin.page("/campaigns/1?lang=en").await;
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the campaign in English: {chinese:?}");
    assert!(html.contains("Quantitative targets"));
}

#[tokio::test]
async fn a_coordinator_sets_a_target_and_records_progress_and_a_unit_editor_may_not() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let haimen = app.login("haimen").await;
    // A closed campaign's report stands: no new targets.
    let (status, e) = fgj
        .post("/api/v1/campaigns/1/measures", json!({"name": "新指标", "target": 5}))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("campaign_closed")), "{e}");
    let (status, c) = fgj
        .post(
            "/api/v1/campaigns",
            json!({"name": "百日攻坚", "starts_on": "2019-11-01", "ends_on": "2020-02-08", "unit_ids": [], "node_ids": []}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    let id = c["id"].as_i64().unwrap();
    let path = format!("/api/v1/campaigns/{id}/measures");

    // Every bad field at once.
    let (status, e) = fgj
        .post(&path, json!({"name": " ", "unit": "条", "target": 0, "achieved": -3}))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    let said = e["error"]["message"].as_str().unwrap();
    assert!(
        said.contains("名称不能为空") && said.contains("目标值“0”无效") && said.contains("完成值“-3”无效"),
        "every field at once: {said}"
    );
    // A unit's editor may not set the district's campaign targets.
    let (status, _) = haimen.post(&path, json!({"name": "打通断头路", "unit": "条", "target": 5})).await;
    assert_eq!(status, 403);

    let (status, m) = fgj.post(&path, json!({"name": "打通断头路", "unit": "条", "target": 5})).await;
    assert_eq!(status, 201, "{m}");
    assert_eq!((m["achieved"].as_i64(), m["version"].as_i64()), (Some(0), Some(1)));
    let (status, e) = fgj.post(&path, json!({"name": "打通断头路", "unit": "条", "target": 6})).await;
    assert_eq!(status, 409, "the same name twice: {e}");
    let mid = m["id"].as_i64().unwrap();
    let progress = format!("/api/v1/campaign-measures/{mid}/progress");
    let (status, m) = fgj.post(&progress, json!({"achieved": 3, "version": 1})).await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(
        (m["achieved"].as_i64(), m["rate"].as_f64(), m["version"].as_i64()),
        (Some(3), Some(60.0), Some(2))
    );
    // Two people saving at once: the second, on the old version, is told.
    let (status, e) = fgj.post(&progress, json!({"achieved": 4, "version": 1})).await;
    assert_eq!(status, 409, "{e}");
    let (status, _) = haimen.post(&progress, json!({"achieved": 5, "version": 2})).await;
    assert_eq!(status, 403);
    let (status, e) = fgj.post(&progress, json!({"achieved": -1, "version": 2})).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("measure_achieved_invalid")),
        "{e}"
    );
    let audited = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'campaign' AND entity_id = {id} AND action LIKE 'campaign.measure%'"
        ))
        .await;
    assert_eq!(audited, 2);

    // The page: the table and forms for the coordinator, the table alone for the editor; the
    // closing report counts it.
    let (_, html) = fgj.page(&format!("/campaigns/{id}")).await;
    assert!(html.contains(r#"id="measure-form""#) && html.contains(&format!(r#"action="/campaign-measures/{mid}/progress""#)));
    assert!(html.contains("打通断头路") && html.contains("60.0%"));
    let (_, html) = haimen.page(&format!("/campaigns/{id}")).await;
    assert!(html.contains("打通断头路") && !html.contains(r#"id="measure-form""#));
    let (_, c) = app.get(&format!("/api/v1/campaigns/{id}")).await;
    assert!(
        c["report"]["summary"]
            .as_str()
            .unwrap()
            .contains("打通断头路3条（目标5条，完成60.0%）"),
        "{c}"
    );
}

pub(crate) async fn write_fixtures(app: &crate::helpers::TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let open = app
        .store
        .create_campaign(
            &zhantu_store::campaigns::NewCampaign {
                name: "安全测试攻坚".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2019, 12, 1).unwrap(),
                ends_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 31).unwrap(),
                description: String::new(),
                unit_ids: Vec::new(),
                node_ids: Vec::new(),
                node_names: Vec::new(),
            },
            &zhantu_store::AuditCtx::system("test"),
        )
        .await
        .unwrap();
    let measure = |name: &'static str| async move {
        app.store
            .add_campaign_measure(
                open,
                &zhantu_domain::campaigns::MeasureInput::parse(name, "个", 10, 0).unwrap(),
                &zhantu_store::AuditCtx::system("test"),
            )
            .await
            .unwrap()
    };
    let (m, n) = (measure("安全测试指标").await, measure("安全测试指标二").await);
    vec![
        (
            ("POST", "/api/v1/campaigns/{id}/measures"),
            Fixture::json(
                format!("/api/v1/campaigns/{open}/measures"),
                json!({"name": "测试指标", "unit": "个", "target": 3}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/campaigns/{id}/measures"),
            Fixture::form(
                format!("/campaigns/{open}/measures"),
                json!({"name": "测试指标二", "unit": "个", "target": "3"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/campaign-measures/{id}/progress"),
            Fixture::versioned(
                format!("/api/v1/campaign-measures/{}/progress", m.id),
                json!({"achieved": 1, "version": 1}),
                true,
            ),
        ),
        (
            ("POST", "/campaign-measures/{id}/progress"),
            Fixture::form(
                format!("/campaign-measures/{}/progress", n.id),
                json!({"campaign_id": open.to_string(), "achieved": "2", "version": "1"}),
                true,
                None,
            ),
        ),
    ]
}
