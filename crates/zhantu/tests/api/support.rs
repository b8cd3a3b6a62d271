//! The enterprise-support ledger (#20 item 6, 惠企政策兑现台账): the demo reproduces the seed's
//! "返还2053家工业企业…社保费约1.38亿元" and "减轻企业负担28亿元以上" from its lines; a unit editor enters
//! a line for its own unit only; every bad field is named.

use crate::helpers::{demo_base, login, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_demo_ledger_gives_the_seeds_refund_and_burden_reduction() {
    let admin = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (status, l) = admin.get("/api/v1/support?year=2019").await;
    assert_eq!(status, 200, "{l}");
    let sums = l["summary"].as_array().unwrap();
    let total = |kind: &str| sums.iter().find(|s| s["kind"] == kind && s["policy"] == "").unwrap().clone();
    let refund = total("refund");
    assert_eq!(refund["firms"], 2053);
    let yuan = refund["amount"].as_i64().unwrap();
    assert!((137_500_000..138_500_000).contains(&yuan), "约1.38亿元: {yuan}");
    assert!(total("reduction")["amount"].as_i64().unwrap() >= 2_800_000_000, "28亿元以上");
    let (_, html) = admin.page("/support?year=2019").await;
    assert!(html.contains("2019年惠企政策兑现台账") && html.contains("2053"));
    let (_, html) = admin.page("/support?year=2019&lang=en").await;
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the ledger in English: {chinese:?}");
    let resp = admin.response("/api/v1/support.xlsx?year=2019&lang=zh").await;
    assert_eq!(crate::helpers::status_of(&resp), 200);
    let rows = crate::excel::sheet_text(&resp.bytes().await.unwrap());
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "2053")), "the sheet's refund line");
}

#[tokio::test]
async fn a_unit_editor_enters_a_line_for_its_own_unit_only() {
    let app = spawn_app().await;
    let haimen = app.login("haimen").await;
    let (_, units) = app.get("/api/v1/units").await;
    let id_of = |name: &str| {
        units["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == name)
            .map(|u| u["id"].as_i64().unwrap())
            .unwrap()
    };
    let (own, other) = (id_of("海门街道"), id_of("白云街道"));
    let body = |unit: i64| json!({"kind": "refund", "policy": "稳岗返还", "unit_id": unit, "firms": 12, "amount": "36.5", "granted_on": "2019-11-05"});
    let (status, line) = haimen.post("/api/v1/support", body(own)).await;
    assert_eq!(status, 201, "{line}");
    assert_eq!(line["amount"], 365_000);
    let (status, _) = haimen.post("/api/v1/support", body(other)).await;
    assert_eq!(status, 403, "another unit's line");
    let (status, e) = haimen
        .post(
            "/api/v1/support",
            json!({"kind": "gift", "policy": " ", "unit_id": own, "firms": -1, "amount": "0", "granted_on": "x"}),
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    let said = e["error"]["message"].as_str().unwrap();
    assert!(
        said.contains("政策名称") && said.contains("企业数") && said.contains("金额"),
        "{said}"
    );
    let (_, l) = haimen.get("/api/v1/support?year=2019").await;
    assert!(
        l["lines"].as_array().unwrap().iter().all(|x| x["unit_id"] == own),
        "a unit reads its own lines"
    );
}

pub(crate) async fn write_fixtures(app: &crate::helpers::TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let (_, units) = app.get("/api/v1/units").await;
    let other = units["items"].as_array().unwrap().iter().find(|u| u["name"] == "白云街道").unwrap()["id"]
        .as_i64()
        .unwrap();
    let body = json!({"kind": "refund", "policy": "测试", "unit_id": other, "firms": 1, "amount": "1", "granted_on": "2019-11-05"});
    let mut form = body.clone();
    form["unit_id"] = json!(other.to_string());
    form["firms"] = json!("1");
    vec![
        (("POST", "/api/v1/support"), Fixture::json("/api/v1/support", body, true, None)),
        (("POST", "/support"), Fixture::form("/support", form, true, None)),
    ]
}
