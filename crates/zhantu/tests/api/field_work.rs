//! The leaders' field-work log (#20 item 6, 一线办公) end to end: two leaders made by hand, one
//! held to "at least twice a week" (主要领导), one to the default "a third of the week's working
//! time", record half-days across the 2019 National Day weeks (a week with a make-up Sunday, the
//! golden week with one working day, a week with a make-up Saturday) → the tallies and met / not
//! met as the README defines them; a half-day recorded twice is refused with its code; the page
//! in both languages, the workbook read back; a unit editor records on their unit's projects
//! only and reads only those entries; a leader's account records for that leader only.

use crate::helpers::{Session, TestApp, demo_get, spawn_app};
use serde_json::{Value, json};

async fn leader(admin: &Session, unit_id: i64, name: &str, title: &str) -> i64 {
    let (status, p) = admin
        .post(
            "/api/v1/people",
            json!({"name": name, "title": title, "unit_id": unit_id, "is_leader": true}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    p["id"].as_i64().unwrap()
}

async fn record(s: &Session, leader: i64, date: &str, part: &str, project: Option<i64>) -> (u16, Value) {
    s.post(
        "/api/v1/field-work",
        json!({"leader_id": leader, "date": date, "part": part, "project_id": project, "matters": "现场协调征迁和施工组织"}),
    )
    .await
}

async fn recorded(s: &Session, leader: i64, date: &str, part: &str, project: Option<i64>) {
    let (status, e) = record(s, leader, date, part, project).await;
    assert_eq!(status, 201, "{leader} {date} {part}: {e}");
}

/// A project of 海门街道 (`same`) or of another unit: the first the registry lists.
async fn project_of(app: &TestApp, same: bool) -> i64 {
    let (_, list) = app.get("/api/v1/projects?limit=500").await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| (p["unit"]["name"] == "海门街道") == same)
        .map(|p| p["id"].as_i64().unwrap())
        .expect("a project")
}

fn weeks_of(t: &Value, person: i64) -> Value {
    t["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["person_id"].as_i64() == Some(person))
        .cloned()
        .unwrap_or_else(|| panic!("leader {person} in the tally: {t}"))
}

#[tokio::test]
async fn two_leaders_rules_across_the_national_day_weeks() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let root = app.store.root_unit().await.unwrap().unwrap();
    let principal = leader(&admin, root, "测试主要领导", "区长").await;
    let deputy = leader(&admin, root, "测试分管领导", "副区长").await;
    let (status, r) = admin
        .put(&format!("/api/v1/field-work/rules/{principal}"), json!({"kind": "times"}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["rule"]["kind"].as_str(), r["rule"]["per_week"].as_i64()),
        (Some("times"), Some(2))
    );
    let own = project_of(&app, true).await;
    let other = project_of(&app, false).await;

    // Week of 09-23: six working days (Sunday 09-29 worked) = 12 half-days.
    recorded(&admin, principal, "2019-09-24", "am", Some(own)).await;
    recorded(&admin, principal, "2019-09-24", "pm", Some(own)).await; // one time, not two
    recorded(&admin, deputy, "2019-09-23", "full", Some(other)).await;
    recorded(&admin, deputy, "2019-09-29", "全天", None).await; // the make-up Sunday
    // The golden week: Monday 09-30 is its only working day = 2 half-days.
    recorded(&admin, principal, "2019-10-02", "full", Some(other)).await; // a holiday: a time
    recorded(&admin, deputy, "2019-10-03", "am", None).await; // not working time
    // Week of 10-07: 10-08…10-12 (Saturday worked) = 10 half-days.
    recorded(&admin, principal, "2019-10-08", "am", Some(own)).await;
    recorded(&admin, principal, "2019-10-12", "上午", None).await;
    recorded(&admin, deputy, "2019-10-08", "full", Some(other)).await;
    recorded(&admin, deputy, "2019-10-12", "pm", None).await;

    // The same half-day twice, or a full day over a morning: refused with its code.
    for part in ["am", "full"] {
        let (status, e) = record(&admin, principal, "2019-10-08", part, None).await;
        assert_eq!((status, e["error"]["code"].as_str()), (400, Some("field_work_duplicate")), "{e}");
    }
    let tomorrow = app.store.as_of().await.unwrap().succ_opt().unwrap().to_string();
    let (status, e) = record(&admin, principal, &tomorrow, "am", None).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_fields")), "{e}");
    assert!(
        e["error"]["message"].as_str().unwrap().contains("晚于今天"),
        "field_work_date_future: {e}"
    );

    let (status, t) = admin.get("/api/v1/field-work/weeks?from=2019-09-23&to=2019-10-07").await;
    assert_eq!(status, 200, "{t}");
    let p = weeks_of(&t, principal);
    let cells = |l: &Value, key: &str| -> Vec<Value> { l["weeks"].as_array().unwrap().iter().map(|w| w[key].clone()).collect() };
    assert_eq!(cells(&p, "working_half_days"), [json!(12), json!(2), json!(10)]);
    assert_eq!(cells(&p, "times"), [json!(1), json!(1), json!(2)]);
    assert_eq!(cells(&p, "required"), [json!(2), json!(1), json!(2)]);
    assert_eq!(cells(&p, "met"), [json!(false), json!(true), json!(true)]);
    assert_eq!(
        (p["compliance"]["weeks_met"].as_i64(), p["compliance"]["weeks_counted"].as_i64()),
        (Some(2), Some(3))
    );
    assert_eq!(p["compliance"]["rate"], json!(66.7));
    let d = weeks_of(&t, deputy);
    assert_eq!(d["rule"], json!({"kind": "share", "num": 1, "den": 3}));
    assert_eq!(cells(&d, "half_days"), [json!(4), json!(0), json!(3)]);
    assert_eq!(cells(&d, "required"), [json!(4), json!(1), json!(4)]);
    assert_eq!(cells(&d, "met"), [json!(true), json!(false), json!(false)]);
    assert_eq!(d["compliance"]["rate"], json!(33.3));

    // The page, in both languages; the week not met in red.
    let (status, html) = admin.page("/field-work?from=2019-09-23&to=2019-10-07").await;
    assert_eq!(status, 200);
    assert!(html.contains("领导一线办公") && html.contains("测试主要领导") && html.contains("data-state=\"missed\""));
    let (_, html) = admin.page("/field-work?from=2019-09-23&to=2019-10-07&lang=en").await;
    assert!(
        html.contains("Weeks met") && html.contains("Field-work entries"),
        "the English page"
    );
    let chinese = crate::english::chinese_outside_data(&html);
    assert!(chinese.is_empty(), "the field-work page in English: {chinese:?}");
    let (_, html) = admin.page(&format!("/projects/{own}")).await;
    assert!(
        html.contains("id=\"field-work-panel\"") && html.contains("现场协调征迁"),
        "the project's panel"
    );

    // The workbook opens and says what the tally says.
    let resp = admin
        .response("/api/v1/field-work/weeks.xlsx?from=2019-09-23&to=2019-10-07&lang=zh")
        .await;
    assert_eq!(crate::helpers::status_of(&resp), 200);
    let rows = crate::excel::sheet_text(&resp.bytes().await.unwrap());
    let line = rows
        .iter()
        .find(|r| r.iter().any(|c| c == "测试分管领导") && r.iter().any(|c| c == "2019-10-07"))
        .expect("the deputy's week not met");
    assert!(line.iter().any(|c| c == "10") && line.iter().any(|c| c == "未达标"), "{line:?}");
    let resp = admin
        .response("/api/v1/field-work/weeks.xlsx?from=2019-09-23&to=2019-10-07&lang=en")
        .await;
    let rows = crate::excel::sheet_text(&resp.bytes().await.unwrap());
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "Times on site")), "English headers");

    // A unit editor: on their unit's projects only, for reading and writing.
    let editor = app.login("haimen").await;
    let (status, e) = record(&editor, deputy, "2019-10-09", "am", Some(other)).await;
    assert_eq!(status, 403, "another unit's project: {e}");
    let (status, e) = record(&editor, deputy, "2019-10-09", "am", None).await;
    assert_eq!(status, 403, "no project: {e}");
    recorded(&editor, deputy, "2019-10-09", "am", Some(own)).await;
    let (status, l) = editor.get("/api/v1/field-work?from=2019-09-23&to=2019-10-13").await;
    assert_eq!(status, 200, "{l}");
    let items = l["items"].as_array().unwrap();
    let ours = |i: &&Value| [principal, deputy].contains(&i["person_id"].as_i64().unwrap());
    assert_eq!(
        items.iter().filter(ours).count(),
        4,
        "the four entries on the editor's project: {l}"
    );
    let own_unit = items.iter().find(|i| i["project_id"].as_i64() == Some(own)).unwrap()["unit_id"].clone();
    assert!(items.iter().all(|i| i["unit_id"] == own_unit), "the editor's unit only: {l}");
    assert!(
        !items.iter().any(|i| i["project_id"].as_i64() == Some(other)),
        "another unit's entries: {l}"
    );
    let (_, mine) = admin
        .get(&format!("/api/v1/field-work?from=2019-09-23&to=2019-10-13&leader={principal}"))
        .await;
    assert_eq!(mine["total"], 5);
    let (_, all) = admin
        .get(&format!("/api/v1/field-work?from=2019-09-23&to=2019-10-13&leader={deputy}"))
        .await;
    assert_eq!(all["total"], 6);
    let (_, week) = admin.get(&format!("/api/v1/field-work?week=2019-10-10&leader={deputy}")).await;
    assert_eq!(week["total"], 3);
    let theirs = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["project_id"].as_i64() == Some(other))
        .unwrap()["id"]
        .clone();
    let (status, _) = editor.delete(&format!("/api/v1/field-work/{theirs}")).await;
    assert_eq!(status, 403, "another unit's entry");
    let (status, e) = editor.get("/api/v1/field-work/weeks").await;
    assert_eq!(status, 403, "the district-wide tally: {e}");
    let (status, _) = editor
        .put(&format!("/api/v1/field-work/rules/{deputy}"), json!({"kind": "times"}))
        .await;
    assert_eq!(status, 403);
    let (status, _) = admin.delete(&format!("/api/v1/field-work/{theirs}")).await;
    assert_eq!(status, 204);

    // The rule form: the deputy held to half the week's time.
    admin
        .post_form_accepted(
            "/field-work/rules",
            &json!({"person_id": deputy.to_string(), "kind": "share", "share": "1/2"}),
        )
        .await;
    let (_, t) = admin.get("/api/v1/field-work/weeks?from=2019-10-07&to=2019-10-07").await;
    assert_eq!(weeks_of(&t, deputy)["rule"], json!({"kind": "share", "num": 1, "den": 2}));

    // A leader's account records for its own leader only.
    let body =
        json!({"username": "zhuyao", "display_name": "测试主要领导", "role": "leader", "unit_id": root, "password": "Jiaojiang2019x"});
    admin.post_json_expect("/api/v1/users", body, 201).await;
    let first = app.sign_in_as("zhuyao", "Jiaojiang2019x").await;
    assert_eq!(first.change_password("Jiaojiang2019x", "Jiaojiang2020y").await, 204);
    let me = app.sign_in_as("zhuyao", "Jiaojiang2020y").await;
    recorded(&me, principal, "2019-10-10", "pm", Some(other)).await;
    let (status, _) = record(&me, deputy, "2019-10-10", "pm", None).await;
    assert_eq!(status, 403, "another leader's log");
}

#[tokio::test]
async fn the_demo_leaders_meet_the_seeds_rules_most_weeks_and_the_weekly_brief_says_so() {
    let (status, t) = demo_get("/api/v1/field-work/weeks?from=2019-09-02&to=2019-12-23").await;
    assert_eq!(status, 200, "{t}");
    let leaders = t["leaders"].as_array().unwrap();
    let times = leaders.iter().filter(|l| l["rule"]["kind"] == "times").count();
    assert_eq!(
        (leaders.len() >= 10, times),
        (true, 2),
        "the principal leaders twice a week, the others a third"
    );
    let (counted, met) = (
        t["compliance"]["weeks_counted"].as_i64().unwrap(),
        t["compliance"]["weeks_met"].as_i64().unwrap(),
    );
    assert!(
        met < counted && (counted - met) * 5 < counted,
        "most weeks met, a few not: {met}/{counted}"
    );
    let (_, list) = demo_get("/api/v1/field-work?week=2019-10-16").await;
    assert!(
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| ["am", "pm", "full"].contains(&e["part"].as_str().unwrap()))
    );
    let (_, w) = demo_get("/api/v1/reports/weekly/2019-W42").await;
    let text = w.to_string();
    assert!(
        text.contains("领导一线办公：本周") && text.contains("次，达标"),
        "the weekly brief's line"
    );
    let (_, m) = demo_get("/api/v1/reports/monthly/2019-10").await;
    assert!(m.to_string().contains("九、领导一线办公"), "the monthly analysis's paragraph");
}

pub(crate) async fn write_fixtures(app: &TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let (_, list) = app.get("/api/v1/projects?limit=500").await;
    let theirs = crate::helpers::of_another_unit(&list)["id"].as_i64().unwrap();
    let leader = app.scalar("SELECT MIN(id) FROM people WHERE is_leader = 1").await;
    let input = zhantu_domain::field_work::EntryInput::parse(
        "2015-01-05",
        "am",
        "",
        "测试",
        "",
        chrono::NaiveDate::from_ymd_opt(2015, 1, 5).unwrap(),
    )
    .unwrap();
    let entry = app
        .store
        .record_field_work(leader, Some(theirs), None, &input, &zhantu_store::AuditCtx::system("tests"))
        .await
        .unwrap()
        .id;
    let body = json!({"leader_id": leader, "date": "2015-01-06", "part": "am", "project_id": theirs, "matters": "测试"});
    let form =
        json!({"leader_id": leader.to_string(), "date": "2015-01-06", "part": "am", "project_id": theirs.to_string(), "matters": "测试"});
    vec![
        (
            ("POST", "/api/v1/field-work"),
            Fixture::json("/api/v1/field-work", body, true, None),
        ),
        (
            ("DELETE", "/api/v1/field-work/{id}"),
            Fixture::json(format!("/api/v1/field-work/{entry}"), json!({}), true, None),
        ),
        (
            ("PUT", "/api/v1/field-work/rules/{person_id}"),
            Fixture::json(format!("/api/v1/field-work/rules/{leader}"), json!({"kind": "times"}), true, None),
        ),
        (("POST", "/field-work"), Fixture::form("/field-work", form, true, None)),
        (
            ("POST", "/field-work/rules"),
            Fixture::form(
                "/field-work/rules",
                json!({"person_id": leader.to_string(), "kind": "times"}),
                true,
                None,
            ),
        ),
    ]
}
