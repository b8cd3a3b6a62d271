//! Results after operation (#20 item 3) end to end: a unit editor records two projects'
//! promises at signing and their yearly results; the per-亩 figures, 达产 and the shortfalls are
//! as the README defines them; the year's figures count the unit's and the attraction team's
//! 投产转化率 and list the project below its promise; the form on the page saves the same way;
//! the export reads back; an editor of another unit is refused and sees none of it; both
//! languages. Figures are read for 2023, a year the demo has no results for, and compared as
//! differences from before, so the demo's own projects do not move them.

use crate::helpers::{Session, TestApp, spawn_app};
use serde_json::{Value, json};

const YEAR: &str = "2023";

/// A new project of `unit` with `land` 亩, created through the API by `who`: its id.
async fn project(app: &TestApp, who: &Session, name: &str, unit: i64, land: &str) -> i64 {
    let leader = app.scalar("SELECT MIN(id) FROM people WHERE is_leader = 1").await;
    let body = json!({
        "name": name, "unit_id": unit, "leader_id": leader, "project_type": "工业项目",
        "stage": "谋划", "stage_on": "2019-11-15", "total_investment": "50000",
        "planned_year": 2020, "land_area": land, "investor": "台州某某科技有限公司",
        "foreign": false, "industry_code": "3411", "division_code": "331002001",
    });
    let (status, p) = who.post("/api/v1/projects", body).await;
    assert_eq!(status, 201, "{p}");
    p["id"].as_i64().unwrap()
}

fn unit_row(f: &Value, unit: i64) -> Value {
    f["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit_id"] == unit)
        .cloned()
        .unwrap_or(json!({"due": 0, "reached": 0}))
}

fn team_row(f: &Value, team: i64) -> Value {
    f["by_team"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["team_unit_id"] == team)
        .cloned()
        .unwrap_or(json!({"due": 0, "reached": 0}))
}

fn n(v: &Value, k: &str) -> i64 {
    v[k].as_i64().unwrap_or_else(|| panic!("no {k} in {v}"))
}

#[tokio::test]
async fn promises_and_yearly_results_give_per_mu_figures_full_production_conversion_and_the_below_promise_list() {
    let app = spawn_app().await;
    let mine = app.store.user_by_username("haimen").await.unwrap().unwrap().unit_id;
    let other = app.scalar("SELECT id FROM units WHERE name = '白云街道'").await;
    let team = app.scalar("SELECT MIN(id) FROM units WHERE name LIKE '%招商组'").await;
    let editor = app.login("haimen").await;
    let admin = app.login("admin").await;
    let figures = format!("/api/v1/results?year={YEAR}");
    let (status, before) = admin.get(&figures).await;
    assert_eq!(status, 200, "{before}");

    // Two projects of the editor's unit: A on 50亩, signed through the team's lead; B on 20亩.
    let a = project(&app, &editor, "台州湾新材料产业园", mine, "50").await;
    let b = project(&app, &editor, "海门精密部件厂", mine, "20").await;
    app.execute(&format!(
        "INSERT INTO attraction_leads (name, investor, team_unit_id, stage, first_contact_on, signed_on, landed_on, project_id) \
         VALUES ('新材料产业园', '台州某某科技有限公司', {team}, 'landed', '2019-01-05', '2019-03-01', '2019-06-01', {a})"
    ))
    .await;

    // Refused: every bad field at once, each with its code.
    let path_a = format!("/api/v1/projects/{a}/results");
    let (status, e) = editor
        .put(
            &path_a,
            json!({"promise": {"output": "-5", "tax": "x", "jobs": -1, "energy_tce": 10, "full_production_year": 19},
                   "years": [{"year": 2022, "output": "1", "tax": "1", "jobs": 1, "energy_tce": 1},
                             {"year": 2022, "output": "1", "tax": "1", "jobs": 1, "energy_tce": 1}]}),
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    let codes: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("fields: {e}"))
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "results_amount_negative",
            "invalid_money",
            "results_count_invalid",
            "invalid_year",
            "results_year_duplicate"
        ],
        "{e}"
    );

    // A: promised 2.5亿 output, 1500万 tax, 200 jobs, 3000 tce from 2022. Short in 2022, 达产 in 2023.
    let (status, r) = editor
        .put(
            &path_a,
            json!({"version": 0,
                   "promise": {"output": "2.5亿", "tax": "1500", "jobs": 200, "energy_tce": 3000,
                               "full_production_year": 2022, "investment_per_mu": "400"},
                   "years": [{"year": 2023, "output": "26000", "tax": "1600", "jobs": 210, "energy_tce": 2900},
                             {"year": 2022, "output": "20000", "tax": "1200", "jobs": 180, "energy_tce": 3100}]}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!((r["version"].as_i64(), r["land_mu"].as_str()), (Some(1), Some("50")), "{r}");
    assert_eq!(r["promise"]["output_wan"], 25000);
    // 1500万元 ÷ 50亩 = 30万元/亩.
    assert_eq!(r["promise"]["tax_per_mu_wan"], 30);
    assert_eq!(r["reached_full_production_in"], 2023);
    let y2022 = &r["years"][0];
    assert_eq!(
        (y2022["year"].as_i64(), y2022["full_production"].as_bool()),
        (Some(2022), Some(false))
    );
    let short: Vec<&str> = y2022["shortfalls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["indicator"].as_str().unwrap())
        .collect();
    assert_eq!(short, ["output", "tax", "jobs", "energy"], "{y2022}");
    // Output 5000万 short of 2.5亿: 20.0 %; energy 100 tce over 3000: 3.3 %.
    assert_eq!(y2022["shortfalls"][0]["gap"], 5000);
    assert_eq!(y2022["shortfalls"][0]["gap_pct"].to_string(), "20.0");
    assert_eq!(y2022["shortfalls"][3]["gap_pct"].to_string(), "3.3");
    let y2023 = &r["years"][1];
    assert_eq!(y2023["full_production"], true);
    assert_eq!(
        (y2023["output_per_mu_wan"].as_i64(), y2023["tax_per_mu_wan"].as_i64()),
        (Some(520), Some(32))
    );
    assert!(y2023["shortfalls"].as_array().unwrap().is_empty());

    // A stale version is refused.
    let (status, e) = editor.put(&path_a, json!({"version": 0, "years": []})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("stale_version")), "{e}");

    // B: promised 1亿 output and 600万 tax for 2023; its 2023 output falls 1000万 short (10.0 %).
    let path_b = format!("/api/v1/projects/{b}/results");
    let (status, r) = editor
        .put(
            &path_b,
            json!({"promise": {"output": "10000", "tax": "600", "jobs": 80, "energy_tce": 1000, "full_production_year": 2023},
                   "years": [{"year": 2023, "output": "9000", "tax": "700", "jobs": 80, "energy_tce": 900}]}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["reached_full_production_in"], Value::Null);

    // The year's figures: the unit's 亩均 over 70亩, its rate and the team's, B below promise.
    let (_, after) = admin.get(&figures).await;
    let (u0, u1) = (unit_row(&before, mine), unit_row(&after, mine));
    assert_eq!(
        (n(&u1, "due") - n(&u0, "due"), n(&u1, "reached") - n(&u0, "reached")),
        (2, 1),
        "{after}"
    );
    assert_eq!(n(&u1, "projects_reported"), 2, "only this test's projects report 2023: {u1}");
    // (26000 + 9000)万元 ÷ 70亩 = 500万元/亩; (1600 + 700)万元 ÷ 70亩 = 328,571.43元 → 328,571元.
    assert_eq!(u1["output_per_mu_wan"].as_i64(), Some(500), "{u1}");
    assert_eq!(u1["tax_per_mu_wan"].to_string(), "32.8571", "{u1}");
    let (t0, t1) = (team_row(&before, team), team_row(&after, team));
    assert_eq!(
        (n(&t1, "due") - n(&t0, "due"), n(&t1, "reached") - n(&t0, "reached")),
        (1, 1),
        "{after}"
    );
    let conv = (&before["conversion"], &after["conversion"]);
    assert_eq!(n(conv.1, "due") - n(conv.0, "due"), 2);
    assert_eq!(n(&after, "below_promise_count") - n(&before, "below_promise_count"), 1);
    let listed = after["below_promise"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["project_id"] == b)
        .expect("B is below promise");
    assert_eq!(listed["shortfalls"][0]["indicator"], "output");
    assert_eq!(listed["shortfalls"][0]["gap"], 1000);
    assert_eq!(listed["shortfalls"][0]["gap_pct"].to_string(), "10.0");
    assert!(!after["below_promise"].as_array().unwrap().iter().any(|p| p["project_id"] == a));
    let audited = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'results.save' AND entity_id IN ({a}, {b})"
        ))
        .await;
    assert_eq!(audited, 2);

    // An editor of another unit reads and writes none of it, and its figures leave it out.
    let stranger = app.create_editor("results_other", &json!(other)).await;
    assert_eq!(stranger.get(&path_a).await.0, 403);
    let (status, e) = stranger.put(&path_b, json!({"years": []})).await;
    assert_eq!(status, 403, "{e}");
    assert_eq!(stranger.page(&format!("/projects/{a}/results")).await.0, 403);
    let (status, theirs) = stranger.get(&figures).await;
    assert_eq!(status, 200);
    assert!(
        theirs["by_unit"].as_array().unwrap().iter().all(|u| u["unit_id"] != mine),
        "{theirs}"
    );
    assert!(!theirs["below_promise"].as_array().unwrap().iter().any(|p| p["project_id"] == b));
    let (_, html) = stranger.page(&format!("/results?year={YEAR}")).await;
    assert!(!html.contains("海门精密部件厂"));

    // The page's form: the editor raises B's 2023 output to the promise, so B reaches 达产.
    let form = json!({"version": "1", "p_output": "10000", "p_tax": "600", "p_jobs": "80", "p_energy_tce": "1000",
                      "p_full_production_year": "2023", "p_investment_per_mu": "",
                      "y0_year": "2023", "y0_output": "10000", "y0_tax": "700", "y0_jobs": "80", "y0_energy_tce": "900",
                      "y1_year": "", "y1_output": "", "y1_tax": "", "y1_jobs": "", "y1_energy_tce": ""});
    editor.post_form_accepted(&format!("/projects/{b}/results"), &form).await;
    let (_, r) = editor.get(&path_b).await;
    assert_eq!(
        (r["version"].as_i64(), r["reached_full_production_in"].as_i64()),
        (Some(2), Some(2023)),
        "{r}"
    );
    // The same form again carries the version it was read at: stale now.
    let (status, body) = editor.post_form(&format!("/projects/{b}/results"), &form, true).await;
    assert_eq!(status, 409);
    assert!(body.contains("请刷新后对比再提交"), "a stale form is refused: {body}");
    // Back below promise for the pages and the export.
    let (status, _) = editor
        .put(
            &path_b,
            json!({"promise": {"output": "10000", "tax": "600", "jobs": 80, "energy_tce": 1000, "full_production_year": 2023},
                   "years": [{"year": 2023, "output": "9000", "tax": "700", "jobs": 80, "energy_tce": 900}]}),
        )
        .await;
    assert_eq!(status, 200);

    // The pages, in Chinese and in English.
    let (status, html) = editor.page(&format!("/projects/{a}/results")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("30.00万元/亩") && html.contains("首次达产年份") && html.contains(r#"name="y2_year""#),
        "the promise per 亩, 达产 and the form with a blank row"
    );
    let (status, html) = admin.page(&format!("/results?year={YEAR}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("投产转化率")
            && html.contains(&format!(r#"href="/projects/{b}/results""#))
            && html.contains("产值低于承诺1,000.00万元 (10.0%)"),
        "the figures and the below-promise list with its link"
    );
    let (_, html) = admin.page(&format!("/projects/{a}")).await;
    assert!(
        html.contains(&format!(r#"href="/projects/{a}/results""#)),
        "the project page links its results"
    );
    for path in [format!("/projects/{a}/results?lang=en"), format!("/results?year={YEAR}&lang=en")] {
        let (status, html) = admin.page(&path).await;
        assert_eq!(status, 200, "{path}");
        let chinese = crate::english::chinese_outside_data(&html);
        assert!(chinese.is_empty(), "{path} in English has Chinese outside data: {chinese:?}");
    }
    let (_, html) = admin.page(&format!("/results?year={YEAR}&lang=en")).await;
    assert!(
        html.contains("Conversion to full production") && html.contains("output value 10.00 m yuan (10.0%) below"),
        "the English page"
    );

    // The export of the below-promise list, in both languages, read back.
    let d = app.download(&format!("/api/v1/results/below-promise.xlsx?year={YEAR}")).await;
    assert_eq!(d.status, 200);
    let rows = crate::excel::sheet_text(&d.body);
    assert_eq!(
        rows[0][..6],
        ["项目代码", "项目名称", "责任单位", "阶段", "年份", "指标"],
        "{:?}",
        rows[0]
    );
    let row = rows.iter().find(|r| r[1] == "海门精密部件厂").expect("B in the export");
    assert_eq!(
        (row[4].as_str(), row[6].as_str(), row[7].as_str(), row[8].as_str()),
        ("2023", "10000", "9000", "1000"),
        "{row:?}"
    );
    let d = app
        .download(&format!("/api/v1/results/below-promise.xlsx?year={YEAR}&lang=en"))
        .await;
    let rows = crate::excel::sheet_text(&d.body);
    assert_eq!(rows[0][0], "Project code");
    let row = rows
        .iter()
        .find(|r| r.get(1).map(String::as_str) == Some("海门精密部件厂"))
        .expect("B in the English export");
    assert!(row[5].starts_with("output value"), "{rows:?}");
}

pub(crate) async fn write_fixtures(app: &TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let (_, page) = app.get("/api/v1/projects?limit=500").await;
    let id = crate::helpers::of_another_unit(&page)["id"].as_i64().unwrap();
    let (_, r) = app.get(&format!("/api/v1/projects/{id}/results")).await;
    let version = r["version"].as_i64().unwrap();
    let years = json!([{"year": 2019, "output": "100", "tax": "10", "jobs": 5, "energy_tce": 10}]);
    vec![
        (
            ("PUT", "/api/v1/projects/{id}/results"),
            Fixture::versioned(
                format!("/api/v1/projects/{id}/results"),
                json!({"version": version, "years": years}),
                true,
            ),
        ),
        (
            ("POST", "/projects/{id}/results"),
            Fixture::versioned_form(
                format!("/projects/{id}/results"),
                json!({"version": version.to_string(), "y0_year": "2019", "y0_output": "100", "y0_tax": "10",
                       "y0_jobs": "5", "y0_energy_tce": "10"}),
                true,
            ),
        ),
    ]
}
