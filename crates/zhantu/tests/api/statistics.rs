//! Statistics entry and reconciliation (#20 item 4) end to end, on the demo district: a started
//! project of 6000万元 not in statistics is listed as due with what it lacks and its red light;
//! the counts are the lengths of the lists they open; entering it (code and date, after its start)
//! takes it off; a month of 2031 built by hand reconciles exactly (reported − counted = not in
//! statistics + below the threshold + timing + unexplained, and official − counted outside the
//! map); the pages in both languages; both exports read back; a unit editor sees only its unit
//! and may not enter another unit's project.

use crate::helpers::{Download, spawn_app};
use serde_json::{Value, json};

fn item<'a>(list: &'a Value, id: i64) -> Option<&'a Value> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["project_id"].as_i64() == Some(id))
}

fn rows_of(d: &Download) -> Vec<Vec<String>> {
    assert_eq!(d.status, 200);
    let sheets = zhantu_office::read_sheets(&d.body, "x.xlsx").unwrap();
    sheets[0]
        .rows
        .iter()
        .map(|r| r.iter().map(zhantu_domain::imports::Raw::as_text).collect())
        .collect()
}

#[tokio::test]
async fn a_started_project_not_in_statistics_is_listed_until_entered_and_the_month_reconciles() {
    let app = spawn_app().await;
    let (_, list) = app.get("/api/v1/projects?limit=50").await;
    let p = &list["items"][0];
    let id = p["id"].as_i64().unwrap();
    let unit_id = p["unit"]["id"].as_i64().unwrap();
    // Started on 1 October 2019, 6000万元, not in statistics, nothing reported.
    app.execute(&format!(
        "UPDATE projects SET started_on = '2019-10-01', in_statistics_on = NULL, statistics_code = NULL, \
         total_investment = 60000000 WHERE id = {id}"
    ))
    .await;
    app.execute(&format!("DELETE FROM monthly_investment WHERE project_id = {id}"))
        .await;

    let (status, r) = app.get("/api/v1/statistics/readiness?year=2019&month=12").await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["as_of"], "2019-12-31");
    assert_eq!(r["threshold"]["min_total"], 5_000_000);
    let it = item(&r, id).expect("listed");
    assert_eq!(it["due"], true);
    assert_eq!(it["lacks"], json!(["no_code", "no_reported_investment"]));
    assert_eq!((it["light"].as_str(), it["days_since_start"].as_i64()), (Some("red"), Some(91)));
    // In October it was not yet a month out: green, 30 days.
    let (_, oct) = app.get("/api/v1/statistics/readiness?year=2019&month=10").await;
    let it = item(&oct, id).expect("listed in October");
    assert_eq!((it["light"].as_str(), it["days_since_start"].as_i64()), (Some("green"), Some(30)));
    // Every count is the length of the list it opens.
    for (count, query) in [
        ("listed", ""),
        ("due", "&due=1"),
        ("red", "&light=red"),
        ("yellow", "&light=yellow"),
        ("no_code", "&lack=no_code"),
        ("not_started", "&lack=not_started"),
    ] {
        let (_, f) = app.get(&format!("/api/v1/statistics/readiness?year=2019&month=12{query}")).await;
        assert_eq!(r["counts"][count], f["total"], "{count}: {f}");
    }
    let (status, e) = app.get("/api/v1/statistics/readiness?light=purple").await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_filter")));

    // A unit editor of another unit: not in its list, may not enter it.
    let other = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["unit"]["id"].as_i64().unwrap())
        .find(|u| *u != unit_id)
        .expect("a project of another unit");
    let outsider = app.create_editor("stat_other", &json!(other)).await;
    let (_, theirs) = outsider.get("/api/v1/statistics/readiness?year=2019&month=12").await;
    assert!(item(&theirs, id).is_none());
    let path = format!("/api/v1/projects/{id}/statistics");
    let (status, _) = outsider.post(&path, json!({"code": "X1", "on": "2019-11-05"})).await;
    assert_eq!(status, 403);
    // The project's own unit editor sees it.
    let editor = app.create_editor("stat_own", &json!(unit_id)).await;
    let (_, mine) = editor.get("/api/v1/statistics/readiness?year=2019&month=12").await;
    assert!(item(&mine, id).is_some());

    // Refused: a bad code and date at once; an entry before the start.
    let (status, e) = editor.post(&path, json!({"code": "统计 1", "on": "2019-02-30"})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    let (status, e) = editor.post(&path, json!({"code": "A1", "on": "2019-09-30"})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("statistics_before_start")), "{e}");
    // Entered: off the list, on the project, audited.
    let (status, entry) = editor.post(&path, json!({"code": "6402-2019-0099", "on": "2019-11-05"})).await;
    assert_eq!(status, 200, "{entry}");
    assert_eq!(
        (entry["statistics_code"].as_str(), entry["in_statistics_on"].as_str()),
        (Some("6402-2019-0099"), Some("2019-11-05"))
    );
    let (_, after) = app.get("/api/v1/statistics/readiness?year=2019&month=12").await;
    assert!(item(&after, id).is_none());
    assert_eq!(
        after["counts"]["listed"].as_i64().unwrap(),
        r["counts"]["listed"].as_i64().unwrap() - 1
    );
    // October's list still has it (entered in November).
    let (_, oct) = app.get("/api/v1/statistics/readiness?year=2019&month=10").await;
    assert!(item(&oct, id).is_some());
    let (_, project) = app.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(project["in_statistics_on"], "2019-11-05", "{project}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'statistics.enter' AND entity_id = {id}"
        ))
        .await,
        1
    );

    // A month built by hand (2031-03, nothing else reported that year): three projects of the unit.
    let (_, same) = app.get(&format!("/api/v1/projects?unit={unit_id}&limit=10")).await;
    let others: Vec<i64> = same["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_i64().unwrap())
        .filter(|x| *x != id)
        .take(2)
        .collect();
    let (p2, p3) = (others[0], others[1]);
    app.execute(&format!(
        "UPDATE projects SET in_statistics_on = NULL, total_investment = 80000000 WHERE id = {p2}"
    ))
    .await;
    app.execute(&format!(
        "UPDATE projects SET in_statistics_on = NULL, total_investment = 1000000 WHERE id = {p3}"
    ))
    .await;
    for (project, month, amount) in [
        (id, 1, 1_000_000),
        (id, 2, 2_000_000),
        (id, 3, 3_000_000),
        (p2, 2, 500_000),
        (p3, 3, 100_000),
    ] {
        app.execute(&format!(
            "INSERT INTO monthly_investment (project_id, year, month, amount) VALUES ({project}, 2031, {month}, {amount})"
        ))
        .await;
    }
    app.execute(&format!("UPDATE units SET division_code = '331002001' WHERE id = {unit_id}"))
        .await;
    app.execute("INSERT INTO fai_monthly (division_code, year, month, cumulative) VALUES ('331002001', 2031, 3, 50000000)")
        .await;
    // The bureau counted 280万元 of the project, year to March; the coordinators record it.
    let counted = json!({"project_id": id, "year": 2031, "month": 3, "cumulative": 2_800_000});
    let (status, _) = editor.post("/api/v1/statistics/counted", counted.clone()).await;
    assert_eq!(status, 403, "a unit's editor does not record the bureau's figures");
    let fgj = app.login("fgj").await;
    let (status, c) = fgj.post("/api/v1/statistics/counted", counted).await;
    assert_eq!(status, 200, "{c}");

    let (status, rec) = app.get("/api/v1/statistics/reconciliation?year=2031&month=3").await;
    assert_eq!(status, 200, "{rec}");
    let units = rec["units"].as_array().unwrap();
    assert_eq!(units.len(), 1, "{rec}");
    let u = &units[0];
    assert_eq!(
        (u["unit_id"].as_i64(), u["projects"].as_i64(), u["in_statistics"].as_i64()),
        (Some(unit_id), Some(3), Some(1))
    );
    // Reported 600 + 50 + 10 = 660万元, counted 280万元: a gap of 380万元 = 50 not in statistics
    // + 10 below the threshold + 300 timing (March's report) + 20 unexplained.
    assert_eq!(
        (u["reported"].as_i64(), u["counted"].as_i64(), u["gap"].as_i64()),
        (Some(6_600_000), Some(2_800_000), Some(3_800_000))
    );
    assert_eq!(
        u["parts"],
        json!({"not_in_statistics": 500_000, "under_threshold": 100_000, "timing": 3_000_000, "unexplained": 200_000})
    );
    assert_eq!(
        (u["official"].as_i64(), u["outside_the_map"].as_i64()),
        (Some(50_000_000), Some(47_200_000))
    );
    assert_eq!(rec["total"]["gap"], 3_800_000);
    // A unit editor of another unit sees none of it; the unit's own sees its line, no district figure.
    let (_, theirs) = outsider.get("/api/v1/statistics/reconciliation?year=2031&month=3").await;
    assert!(theirs["units"].as_array().unwrap().is_empty(), "{theirs}");
    let (_, mine) = editor.get("/api/v1/statistics/reconciliation?year=2031&month=3").await;
    assert_eq!(
        (mine["units"].as_array().unwrap().len(), mine["total"]["official"].clone()),
        (1, Value::Null)
    );

    // The pages, in Chinese and in English.
    let (status, html) = fgj.page("/statistics?year=2019&month=10").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("入库准备") && html.contains(&format!(r#"data-project="{id}""#)),
        "the list"
    );
    assert!(
        html.contains(r#"id="count-due" href="/statistics?year=2019&amp;month=10&amp;due=1""#),
        "the due count opens the due list"
    );
    assert!(html.contains(r#"href="/statistics""#), "linked from the navigation");
    let due_n = app.get("/api/v1/statistics/readiness?year=2019&month=10&due=1").await.1["total"].clone();
    let (_, due_page) = fgj.page("/statistics?year=2019&month=10&due=1").await;
    assert!(
        due_page.contains(&format!(r#"id="readiness" data-total="{due_n}""#)),
        "the count is what it opens"
    );
    let (status, html) = fgj
        .page(&format!("/statistics/reconciliation?year=2031&month=3&unit={unit_id}"))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("差额 380.00万元 = 未入库 50.00万元 + 未达起点 10.00万元 + 时间差 300.00万元 + 未解释 20.00万元"),
        "the gap explained"
    );
    assert!(html.contains(r#"id="reconciliation-projects" data-total="3""#));
    for path in [
        "/statistics?year=2019&month=10&lang=en".to_string(),
        format!("/statistics/reconciliation?year=2031&month=3&unit={unit_id}&lang=en"),
    ] {
        let (status, html) = fgj.page(&path).await;
        assert_eq!(status, 200, "{path}");
        let chinese = crate::english::chinese_outside_data(&html);
        assert!(chinese.is_empty(), "{path} in English has Chinese outside data: {chinese:?}");
    }
    // The entry form of the page.
    let (_, oct) = app.get("/api/v1/statistics/readiness?year=2019&month=12&due=1").await;
    if let Some(next) = oct["items"].as_array().unwrap().first() {
        let pid = next["project_id"].as_i64().unwrap();
        let started = next["started_on"].as_str().unwrap().to_string();
        let answer = fgj
            .post_form_response(&format!("/projects/{pid}/statistics"), &json!({"code": "F-1", "on": started}), true)
            .await;
        assert_eq!(answer.status().as_u16(), 303);
        let to = answer.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(to, "/statistics?ok=entered");
        assert!(fgj.page(&to).await.1.contains("已登记入库"), "the flash");
        let (_, later) = app.get("/api/v1/statistics/readiness?year=2019&month=12").await;
        assert!(item(&later, pid).is_none());
    }

    // The exports read back, in Chinese and in English.
    let rows = rows_of(&app.download("/api/v1/statistics/readiness.xlsx?year=2019&month=10").await);
    let head = rows
        .iter()
        .position(|r| r.contains(&"项目名称".to_string()))
        .expect("the header row");
    assert!(rows[head].contains(&"所缺事项".to_string()), "{:?}", rows[head]);
    // Out in October (entered in November): its code, its light and what it lacked.
    let row = rows[head + 1..]
        .iter()
        .find(|r| r.contains(&"6402-2019-0099".to_string()))
        .expect("the project's row");
    assert!(
        row.contains(&"绿灯".to_string()) && row.contains(&"未报完成投资".to_string()),
        "{row:?}"
    );
    let rows = rows_of(
        &app.download("/api/v1/statistics/reconciliation.xlsx?year=2031&month=3&lang=en")
            .await,
    );
    let head = rows
        .iter()
        .position(|r| r.contains(&"Responsible unit".to_string()))
        .expect("the header row");
    let gap = rows[head].iter().position(|c| c == "Gap (10k yuan)").unwrap();
    let total = rows.last().unwrap();
    assert_eq!((total[0].as_str(), total[gap].as_str()), ("District total", "380"), "{rows:?}");
}

/// The threshold is a district setting (#20 item 4): an administrator raises it to 8000万元
/// without requiring a start, through the API with the revision read, and a 6000万元 project
/// started is no longer due while a 9000万元 one not started is; the settings page shows it in
/// 万元 in both languages and saves it by its form; a bad amount is refused with its code and
/// a stale revision with 409; a unit editor may not change it.
#[tokio::test]
async fn the_statistics_threshold_is_set_in_the_district_settings_and_moves_readiness() {
    let app = spawn_app().await;
    let (_, list) = app.get("/api/v1/projects?limit=50").await;
    let (a, b) = (list["items"][0]["id"].as_i64().unwrap(), list["items"][1]["id"].as_i64().unwrap());
    app.execute(&format!(
        "UPDATE projects SET started_on = '2019-10-01', in_statistics_on = NULL, statistics_code = NULL, \
         total_investment = 60000000 WHERE id = {a}"
    ))
    .await;
    app.execute(&format!(
        "UPDATE projects SET started_on = NULL, in_statistics_on = NULL, statistics_code = NULL, \
         total_investment = 90000000 WHERE id = {b}"
    ))
    .await;
    let readiness = || app.get("/api/v1/statistics/readiness?year=2019&month=12");
    let (_, r) = readiness().await;
    assert_eq!(r["threshold"]["min_total"], 5_000_000);
    assert_eq!(item(&r, a).map(|x| x["due"].clone()), Some(json!(true)), "{r}");
    assert_ne!(item(&r, b).map(|x| x["due"].clone()), Some(json!(true)), "not started: not due");

    let admin = app.login("admin").await;
    let (_, s) = admin.get("/api/v1/settings").await;
    assert_eq!(s["statistics_min_total"], Value::Null);
    let body = |revision: &Value, min: &str| {
        json!({
            "revision": revision, "district_name": s["district_name"], "district_division": s["district_division"],
            "province_division": s["province_division"], "as_of": s["as_of"],
            "statistics_min_total": min, "statistics_requires_start": false,
        })
    };
    let (status, e) = admin.put("/api/v1/settings", body(&s["revision"], "0")).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("statistics_min_total_invalid")),
        "{e}"
    );
    let (status, e) = admin.put("/api/v1/settings", body(&s["revision"], "8000.00001")).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("statistics_min_total_invalid")),
        "{e}"
    );
    let editor = app.login("haimen").await;
    let (status, _) = editor.put("/api/v1/settings", body(&s["revision"], "8000")).await;
    assert_eq!(status, 403);
    let before = app.audit_count().await;
    let (status, saved) = admin.put("/api/v1/settings", body(&s["revision"], "8000")).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        (saved["statistics_min_total"].as_str(), saved["statistics_requires_start"].as_str()),
        (Some("80000000"), Some("0"))
    );
    assert_eq!(app.audit_count().await, before + 1);
    let (status, _) = admin.put("/api/v1/settings", body(&s["revision"], "9000")).await;
    assert_eq!(status, 409, "the revision read is stale");

    let (_, r) = readiness().await;
    assert_eq!(
        (r["threshold"]["min_total"].as_i64(), r["threshold"]["requires_start"].as_bool()),
        (Some(80_000_000), Some(false))
    );
    assert_ne!(
        item(&r, a).map(|x| x["due"].clone()),
        Some(json!(true)),
        "6000万元 is below 8000万元: {r}"
    );
    assert_eq!(
        item(&r, b).map(|x| x["due"].clone()),
        Some(json!(true)),
        "9000万元, no start needed: {r}"
    );

    // The page shows it in 万元 and its form saves it back to the default.
    let (status, html) = admin.page("/admin/settings").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="statistics_min_total" value="8000""#) && html.contains(r#"<option value="0" selected>否</option>"#));
    let (_, html_en) = admin.page("/admin/settings?lang=en").await;
    assert!(html_en.contains("Statistics threshold"));
    let chinese = crate::english::chinese_outside_data(&html_en);
    assert!(
        chinese.is_empty(),
        "the settings page in English has Chinese outside data: {chinese:?}"
    );
    let (_, s) = admin.get("/api/v1/settings").await;
    let (status, _) = admin
        .post_form(
            "/admin/settings",
            &json!({
                "revision": s["revision"], "district_name": s["district_name"], "district_division": s["district_division"],
                "province_division": s["province_division"], "as_of": s["as_of"], "oc4ids_prefix": "",
                "statistics_min_total": "500", "statistics_requires_start": "1",
            }),
            true,
        )
        .await;
    assert!(status == 200 || status == 303, "{status}");
    let (_, r) = readiness().await;
    assert_eq!(
        (r["threshold"]["min_total"].as_i64(), r["threshold"]["requires_start"].as_bool()),
        (Some(5_000_000), Some(true))
    );
    assert_eq!(item(&r, a).map(|x| x["due"].clone()), Some(json!(true)));
}

pub(crate) async fn write_fixtures(app: &crate::helpers::TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let (_, list) = app.get("/api/v1/projects?limit=50").await;
    let id = crate::helpers::of_another_unit(&list)["id"].as_i64().unwrap();
    let entry = json!({"code": "6402-T", "on": "2019-12-30"});
    vec![
        (
            ("POST", "/api/v1/projects/{id}/statistics"),
            Fixture::json(format!("/api/v1/projects/{id}/statistics"), entry.clone(), true, None),
        ),
        (
            ("POST", "/projects/{id}/statistics"),
            Fixture::form(format!("/projects/{id}/statistics"), entry, true, None),
        ),
        (
            ("POST", "/api/v1/statistics/counted"),
            Fixture::json(
                "/api/v1/statistics/counted".to_string(),
                json!({"project_id": id, "year": 2019, "month": 12, "cumulative": 1000}),
                true,
                None,
            ),
        ),
    ]
}
