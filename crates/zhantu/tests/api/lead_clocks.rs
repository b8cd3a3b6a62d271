//! Attraction clocks (#20 item 5) end to end: a lead received the day before 国庆 gets due
//! dates that skip the holiday, a late response is done late, a major lead gets 7 working days
//! for 研判, a progress report overdue after 14 days turns the lead red with its reason, the
//! funnel counts to 投产 with its numbers opening exactly the leads they count, the pages in
//! both languages, the export read back, and a unit editor of another team refused.

use crate::helpers::{TestApp, spawn_app};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

fn clock<'a>(lead: &'a Value, kind: &str) -> &'a Value {
    arr(&lead["clocks"])
        .iter()
        .find(|c| c["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} clock: {lead}"))
}

/// An attraction team's id (the team of the first demo lead).
async fn a_team(app: &TestApp) -> i64 {
    let (_, leads) = app.get("/api/v1/leads").await;
    arr(&leads["items"])[0]["team_unit_id"].as_i64().unwrap()
}

#[tokio::test]
async fn lead_clocks_count_working_days_turn_red_with_reasons_and_stay_in_the_teams_scope() {
    let app = spawn_app().await;
    let team = a_team(&app).await;
    let fgj = app.login("fgj").await;
    // Received Monday 2019-09-30, the day before 国庆 (10-01 … 10-07 off; Saturday 10-12 worked).
    let (status, lead) = fgj
        .post(
            "/api/v1/leads",
            json!({"name": "测试时限线索", "team_unit_id": team, "signed_amount": "500万元", "first_contact_on": "2019-09-30"}),
        )
        .await;
    assert_eq!(status, 201, "{lead}");
    let id = lead["id"].as_i64().unwrap();
    let (status, c) = fgj.get(&format!("/api/v1/leads/{id}/clocks")).await;
    assert_eq!(status, 200, "{c}");
    let l = &c["lead"];
    assert_eq!(clock(l, "respond")["due_on"], "2019-10-08", "the holiday is skipped");
    assert_eq!(clock(l, "assess")["due_on"], "2019-10-10");
    assert_eq!(clock(l, "feedback")["state"], "waiting");
    assert_eq!(l["major"], false);
    // On the data date (2019-12-31) nothing is done: red, each overdue clock a reason.
    assert_eq!(l["light"], "red");
    assert!(
        arr(&l["reasons_zh"]).iter().any(|r| {
            let r = r.as_str().unwrap();
            r.starts_with("响应逾期") && r.ends_with("个工作日（应于2019-10-08前）")
        }),
        "{l}"
    );

    // Responded a day late: done late, by one working day.
    let (status, r) = fgj
        .post(
            &format!("/api/v1/leads/{id}/respond"),
            json!({"version": l["version"], "on": "2019-10-09"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let respond = clock(&r, "respond");
    assert_eq!((respond["state"].as_str(), respond["days_late"].as_i64()), (Some("late"), Some(1)));
    // A stale version is refused; feedback before the 研判 is refused.
    let (status, e) = fgj
        .post(
            &format!("/api/v1/leads/{id}/assess"),
            json!({"version": l["version"], "on": "2019-10-10", "conclusion": "pursue"}),
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("stale_version")), "{e}");
    let (status, e) = fgj
        .post(
            &format!("/api/v1/leads/{id}/feedback"),
            json!({"version": r["version"], "on": "2019-10-10"}),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("lead_feedback_before_assessment")),
        "{e}"
    );
    let (status, e) = fgj
        .post(
            &format!("/api/v1/leads/{id}/assess"),
            json!({"version": r["version"], "conclusion": "橙"}),
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_assessment")), "{e}");
    let (status, r) = fgj
        .post(
            &format!("/api/v1/leads/{id}/assess"),
            json!({"version": r["version"], "on": "2019-10-10", "conclusion": "重点跟进", "note": "产业链匹配"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (clock(&r, "assess")["state"].as_str(), r["assessment"].as_str()),
        (Some("on_time"), Some("pursue"))
    );
    let (status, r) = fgj
        .post(
            &format!("/api/v1/leads/{id}/feedback"),
            json!({"version": r["version"], "on": "2019-10-15", "note": "已书面反馈投资方"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        clock(&r, "feedback")["due_on"],
        "2019-10-18",
        "7 working days after the 研判, the make-up Saturday counted"
    );
    assert_eq!(clock(&r, "feedback")["state"], "on_time");

    // A progress report on 12-01: the next is due 14 days later, 12-15, a Sunday → Monday
    // 12-16; on 12-31 it is 15 days overdue: red, with its reason in both languages.
    let (status, p) = fgj
        .post(
            &format!("/api/v1/leads/{id}/progress"),
            json!({"on": "2019-12-01", "text": "完成首轮实地考察"}),
        )
        .await;
    assert_eq!(status, 201, "{p}");
    let (_, c) = fgj.get(&format!("/api/v1/leads/{id}/clocks")).await;
    let l = &c["lead"];
    assert_eq!(clock(l, "progress")["due_on"], "2019-12-16");
    assert_eq!(l["light"], "red");
    assert_eq!(l["reasons_zh"], json!(["进展报告逾期15天（应于2019-12-16前）"]));
    assert_eq!(l["reasons_en"], json!(["Progress report overdue by 15 days (due 2019-12-16)"]));
    assert_eq!(arr(&c["progress_reports"]).len(), 1);
    let (_, red) = fgj.get("/api/v1/leads/clocks?light=red").await;
    assert!(arr(&red["items"]).iter().any(|x| x["lead_id"] == id), "{red}");
    let (status, e) = fgj
        .post(&format!("/api/v1/leads/{id}/progress"), json!({"on": "2019-12-30", "text": " "}))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("lead_progress_empty")), "{e}");
    let (status, _) = fgj
        .post(
            &format!("/api/v1/leads/{id}/progress"),
            json!({"on": "2019-12-30", "text": "签约条款谈判中"}),
        )
        .await;
    assert_eq!(status, 201);
    let (_, c) = fgj.get(&format!("/api/v1/leads/{id}/clocks")).await;
    assert_eq!(c["lead"]["light"], "green", "{c}");
    let (_, green) = fgj.get("/api/v1/leads/clocks?light=green").await;
    assert!(arr(&green["items"]).iter().any(|x| x["lead_id"] == id));

    // A major lead (≥ 1亿元) gets 7 working days for 研判, counting the make-up Saturday.
    let (_, major) = fgj
        .post(
            "/api/v1/leads",
            json!({"name": "测试重大线索", "team_unit_id": team, "signed_amount": "2亿元", "first_contact_on": "2019-09-30"}),
        )
        .await;
    let (_, c) = fgj.get(&format!("/api/v1/leads/{}/clocks", major["id"])).await;
    assert_eq!(c["lead"]["major"], true);
    assert_eq!(clock(&c["lead"], "assess")["due_on"], "2019-10-15");
    assert_eq!(clock(&c["lead"], "assess")["limit"], 7);

    // Every accepted write is audited.
    let n = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action IN ('lead.milestone', 'lead.progress')")
        .await;
    assert_eq!(n, 5, "respond, assess, feedback and two reports");

    // A unit editor of another team neither reads nor writes the lead.
    let haimen = app.login("haimen").await;
    assert_eq!(haimen.get(&format!("/api/v1/leads/{id}/clocks")).await.0, 403);
    let (status, e) = haimen.post(&format!("/api/v1/leads/{id}/progress"), json!({"text": "越权"})).await;
    assert_eq!(status, 403, "{e}");
    let (status, _) = haimen.post(&format!("/api/v1/leads/{id}/respond"), json!({"version": 1})).await;
    assert_eq!(status, 403);
    let (_, seen) = haimen.get("/api/v1/leads/clocks").await;
    let own = app.store.user_by_username("haimen").await.unwrap().unwrap().unit_id;
    assert!(arr(&seen["items"]).iter().all(|x| x["team_unit_id"] == own), "{seen}");
    assert_eq!(haimen.page(&format!("/attraction/leads/{id}")).await.0, 403);

    // The pages: the lead's clocks and reports, the list with its light column and filter.
    let (status, html) = fgj.page(&format!("/attraction/leads/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("签约条款谈判中") && html.contains(r#"id="lead-light" data-light="green""#) && html.contains("提交进展报告"),
        "the lead page"
    );
    let (_, html) = fgj.page("/attraction?light=green").await;
    assert!(
        html.contains(&format!(r#"href="/attraction/leads/{id}""#)),
        "the green filter lists it"
    );
    let (_, html) = fgj.page("/attraction?light=red").await;
    assert!(
        !html.contains(&format!(r#"href="/attraction/leads/{id}""#)),
        "the red filter does not"
    );
    let (_, html) = fgj.page(&format!("/attraction/leads/{}", major["id"])).await;
    assert!(html.contains("重大线索") && html.contains("7个工作日"), "the major lead's page");

    // The export, read back.
    let resp = fgj.response("/api/v1/leads/clocks/export.xlsx?light=green&lang=zh").await;
    assert_eq!(crate::helpers::status_of(&resp), 200);
    let sheets = zhantu_office::read_sheets(&resp.bytes().await.unwrap(), "x.xlsx").unwrap();
    let text: Vec<Vec<String>> = sheets[0].rows.iter().map(|r| r.iter().map(|c| c.as_text()).collect()).collect();
    assert_eq!(sheets[0].name, "线索时限");
    let row = text
        .iter()
        .find(|r| r.first().map(String::as_str) == Some("测试时限线索"))
        .expect("the lead's row");
    assert!(
        row.contains(&"逾期完成".to_string()) && row.contains(&"绿灯".to_string()),
        "{row:?}"
    );
    let resp = fgj.response("/api/v1/leads/clocks/export.xlsx?lang=en").await;
    let sheets = zhantu_office::read_sheets(&resp.bytes().await.unwrap(), "x.xlsx").unwrap();
    assert_eq!(sheets[0].name, "Lead clocks");
}

#[tokio::test]
async fn the_funnel_counts_leads_to_operation_by_year_and_team_and_its_numbers_open_those_leads() {
    let app = spawn_app().await;
    let team = a_team(&app).await;
    let fgj = app.login("fgj").await;
    let step = |row: &Value, s: &str| -> Option<i64> { arr(&row["steps"]).iter().find(|x| x["step"] == s).unwrap()["count"].as_i64() };
    let team_row = |f: &Value| -> Value {
        arr(&f["chain"]["by_team"])
            .iter()
            .find(|r| r["team_id"] == team)
            .cloned()
            .unwrap_or(json!({"steps": [
                {"step": "talks", "count": 0}, {"step": "signed", "count": 0}, {"step": "landed", "count": 0},
                {"step": "started", "count": 0}, {"step": "operating", "count": 0}, {"step": "full_output", "count": null}]}))
    };
    let (status, before) = fgj.get("/api/v1/leads/funnel?year=2019").await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["chain"]["year"], 2019);
    let b = team_row(&before);
    // The demo's funnel reaches 达产: its landed leads' operating projects report results.
    let (_, all) = fgj.get("/api/v1/leads/funnel").await;
    let (operating, full) = (
        step(&all["chain"]["total"], "operating"),
        step(&all["chain"]["total"], "full_output"),
    );
    assert!(
        full.is_some_and(|n| n > 0 && Some(n) <= operating),
        "the demo's leads reach 达产: {}",
        all["chain"]["total"]
    );

    // A new 2019 lead that lands (its project created, 开工), and one still in talks.
    let (_, lead) = fgj
        .post(
            "/api/v1/leads",
            json!({"name": "测试漏斗线索", "team_unit_id": team, "signed_amount": "800万元", "first_contact_on": "2019-05-06"}),
        )
        .await;
    let path = format!("/api/v1/leads/{}/stage", lead["id"]);
    let (_, lead) = fgj
        .post(&path, json!({"version": lead["version"], "to": "signed", "on": "2019-08-01"}))
        .await;
    let (status, lead) = fgj
        .post(
            &path,
            json!({"version": lead["version"], "to": "landed", "on": "2019-11-01", "create_project_type": "industrial"}),
        )
        .await;
    assert_eq!(status, 200, "{lead}");
    let (_, _talks) = fgj
        .post(
            "/api/v1/leads",
            json!({"name": "测试洽谈线索", "team_unit_id": team, "first_contact_on": "2019-06-03"}),
        )
        .await;
    // A 2018 lead does not count in 2019.
    let (_, _old) = fgj
        .post(
            "/api/v1/leads",
            json!({"name": "测试往年线索", "team_unit_id": team, "first_contact_on": "2018-06-04"}),
        )
        .await;

    let (_, after) = fgj.get("/api/v1/leads/funnel?year=2019").await;
    let a = team_row(&after);
    for (s, more) in [("talks", 2), ("signed", 1), ("landed", 1), ("started", 1), ("operating", 0)] {
        assert_eq!(step(&a, s), step(&b, s).map(|n| n + more), "{s}: {a}");
    }
    assert_eq!(
        step(&a, "full_output"),
        step(&b, "full_output"),
        "a project at 开工 has not reached 达产: {a}"
    );
    assert!(
        after["by_team"].is_array() && after["total"]["total"].is_number(),
        "the leads' own funnel stays"
    );

    // Each number opens exactly the leads it counts.
    for s in ["talks", "signed", "landed", "started"] {
        let (_, list) = fgj.get(&format!("/api/v1/leads/clocks?team={team}&year=2019&reached={s}")).await;
        assert_eq!(list["total"].as_i64(), step(&a, s), "{s}");
    }
    let (status, html) = fgj.page("/attraction/funnel?year=2019").await;
    assert_eq!(status, 200);
    let link = format!("/attraction/clocks?reached=started&amp;team={team}&amp;year=2019");
    assert!(html.contains(&link), "the funnel links its numbers: {link}");
    let (status, html) = fgj.page(&link.replace("&amp;", "&")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("测试漏斗线索") && !html.contains("测试洽谈线索"),
        "the started leads only"
    );

    // 达产 from the results after operation: the project operates, its promise is recorded
    // and its 2019 results meet it: the lead counts in the funnel's last step, its number
    // opens it, the page shows it.
    let project = lead["project_id"].as_i64().expect("the landed lead's project");
    app.execute(&format!(
        "UPDATE projects SET stage = 'operating', land_area_centi_mu = 2000 WHERE id = {project}"
    ))
    .await;
    let (_, mid) = fgj.get("/api/v1/leads/funnel?year=2019").await;
    let m = team_row(&mid);
    assert_eq!(step(&m, "operating"), step(&a, "operating").map(|n| n + 1), "{m}");
    assert_eq!(step(&m, "full_output"), None, "operating without a recorded promise: not known");
    let (status, saved) = fgj
        .put(
            &format!("/api/v1/projects/{project}/results"),
            json!({"promise": {"output": "10000", "tax": "600", "jobs": 80, "energy_tce": 900, "full_production_year": 2019},
                   "years": [{"year": 2019, "output": "10500", "tax": "620", "jobs": 85, "energy_tce": 880}]}),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    let (_, full) = fgj.get("/api/v1/leads/funnel?year=2019").await;
    let f = team_row(&full);
    let known_before = step(&a, "full_output").expect("达产 known for the team's other leads");
    assert_eq!(step(&f, "full_output"), Some(known_before + 1), "{f}");
    let (_, list) = fgj
        .get(&format!("/api/v1/leads/clocks?team={team}&year=2019&reached=full_output"))
        .await;
    assert_eq!(list["total"].as_i64(), step(&f, "full_output"), "{list}");
    assert!(arr(&list["items"]).iter().any(|x| x["lead_id"] == lead["id"]), "{list}");
    let (_, html) = fgj.page("/attraction/funnel?year=2019").await;
    let link = format!("/attraction/clocks?reached=full_output&amp;team={team}&amp;year=2019");
    assert!(html.contains(&link), "the funnel links its 达产 number: {link}");
    // Results that fall short of the promise: not 达产.
    let (status, _) = fgj
        .put(
            &format!("/api/v1/projects/{project}/results"),
            json!({"promise": {"output": "10000", "tax": "600", "jobs": 80, "energy_tce": 900, "full_production_year": 2019},
                   "years": [{"year": 2019, "output": "9000", "tax": "620", "jobs": 85, "energy_tce": 880}]}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, short) = fgj.get("/api/v1/leads/funnel?year=2019").await;
    assert_eq!(
        step(&team_row(&short), "full_output"),
        Some(known_before),
        "below the promised output"
    );

    // The pages in English carry no Chinese outside data.
    let id = lead["id"].as_i64().unwrap();
    for path in [
        format!("/attraction/leads/{id}?lang=en"),
        "/attraction/clocks?lang=en".to_string(),
        "/attraction/funnel?year=2019&lang=en".to_string(),
        "/attraction?lang=en".to_string(),
    ] {
        let (status, html) = fgj.page(&path).await;
        assert_eq!(status, 200, "{path}");
        let chinese = crate::english::chinese_outside_data(&html);
        assert!(chinese.is_empty(), "{path} in English has Chinese outside data: {chinese:?}");
    }
    let (_, html) = fgj.page("/attraction/funnel?lang=en").await;
    assert!(html.contains("In operation") && html.contains("Full output"), "the English funnel");
}

/// The limits are the administrator's (#20 item 5): `GET/PUT /api/v1/leads/clock-settings`;
/// a lead received Thursday 2019-12-26 and answered the same day is due to be assessed in 3
/// working days (2019-12-31, the data date); with a 1-day 研判 limit it is overdue and red, with
/// 5 days it falls due after New Year's Day and is green. Bad limits are refused with their
/// codes; an editor may not change them; each change is audited.
#[tokio::test]
async fn the_administrator_sets_the_clock_limits_and_a_leads_deadline_and_light_follow() {
    let app = spawn_app().await;
    let team = a_team(&app).await;
    let fgj = app.login("fgj").await;
    let (status, lead) = fgj
        .post(
            "/api/v1/leads",
            json!({"name": "时限设置测试线索", "team_unit_id": team, "signed_amount": "500万元", "first_contact_on": "2019-12-26"}),
        )
        .await;
    assert_eq!(status, 201, "{lead}");
    let id = lead["id"].as_i64().unwrap();
    let (_, c) = fgj.get(&format!("/api/v1/leads/{id}/clocks")).await;
    let (status, r) = fgj
        .post(
            &format!("/api/v1/leads/{id}/respond"),
            json!({"version": c["lead"]["version"], "on": "2019-12-26"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let lead_now = || async {
        let (_, c) = fgj.get(&format!("/api/v1/leads/{id}/clocks")).await;
        c["lead"].clone()
    };
    let l = lead_now().await;
    assert_eq!(clock(&l, "assess")["due_on"], "2019-12-31", "{l}");
    assert_ne!(l["light"], "red", "{l}");

    let (status, limits) = fgj.get("/api/v1/leads/clock-settings").await;
    assert_eq!((status, limits["assess_working_days"].as_i64()), (200, Some(3)), "{limits}");
    let admin = app.login("admin").await;
    for (body, code) in [
        (json!({"assess_working_days": 0}), "lead_clock_limit_invalid"),
        (json!({"respond_working_days": 61}), "lead_clock_limit_invalid"),
        (json!({"major_from": "0"}), "lead_major_amount_invalid"),
    ] {
        let (status, e) = admin.put("/api/v1/leads/clock-settings", body).await;
        assert_eq!((status, e["error"]["code"].as_str()), (400, Some(code)), "{e}");
    }
    let editor = app.login("haimen").await;
    let (status, _) = editor.put("/api/v1/leads/clock-settings", json!({"assess_working_days": 1})).await;
    assert_eq!(status, 403);
    let before = app.audit_count().await;
    let (status, limits) = admin.put("/api/v1/leads/clock-settings", json!({"assess_working_days": 1})).await;
    assert_eq!(status, 200, "{limits}");
    assert_eq!(
        (limits["assess_working_days"].as_i64(), limits["respond_working_days"].as_i64()),
        (Some(1), Some(1))
    );
    assert_eq!(app.audit_count().await, before + 1);
    let l = lead_now().await;
    assert_eq!(clock(&l, "assess")["due_on"], "2019-12-27", "{l}");
    assert_eq!(l["light"], "red", "{l}");
    let (status, _) = admin.put("/api/v1/leads/clock-settings", json!({"assess_working_days": 5})).await;
    assert_eq!(status, 200);
    let l = lead_now().await;
    assert_eq!(clock(&l, "assess")["due_on"], "2020-01-03", "{l}");
    assert_eq!(l["light"], "green", "{l}");
    let (_, log) = app.get("/api/v1/audit?entity=settings&limit=10").await;
    assert!(log.to_string().contains("lead_clocks.settings"), "{log}");
    // The form on /attraction/clocks (administrators): back to 3 days; others see the limits.
    let (status, html) = admin.page("/attraction/clocks").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"name="assess_working_days" value="5""#) && html.contains(r#"name="major_from" value="10000""#));
    let fields = json!({
        "respond_working_days": "1", "assess_working_days": "3", "assess_major_working_days": "7",
        "feedback_working_days": "7", "progress_calendar_days": "14", "major_from": "10000",
    });
    let (status, _) = admin.post_form("/attraction/clock-settings", &fields, true).await;
    assert!(status == 200 || status == 303, "{status}");
    assert_eq!(clock(&lead_now().await, "assess")["due_on"], "2019-12-31");
    let (_, html) = fgj.page("/attraction/clocks").await;
    assert!(html.contains("研判（工作日） 3") && !html.contains(r#"action="/attraction/clock-settings""#));
    let (_, html) = admin.page("/attraction/clocks?lang=en").await;
    let section = html
        .split(r#"id="clock-limits""#)
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap();
    let chinese = crate::english::chinese_outside_data(section);
    assert!(chinese.is_empty() && section.contains("Assessment (working days)"), "{chinese:?}");
}

pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let (_, leads) = app.get("/api/v1/leads").await;
    let lead = arr(&leads["items"])[0].clone();
    let (id, v) = (lead["id"].as_i64().unwrap(), lead["version"].as_i64().unwrap());
    let on = app.store.as_of().await.unwrap().to_string();
    let vs = v.to_string();
    vec![
        (
            ("POST", "/api/v1/leads/{id}/respond"),
            Fixture::versioned(format!("/api/v1/leads/{id}/respond"), json!({"version": v, "on": on}), true),
        ),
        (
            ("POST", "/api/v1/leads/{id}/assess"),
            Fixture::versioned(
                format!("/api/v1/leads/{id}/assess"),
                json!({"version": v, "on": on, "conclusion": "watch"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/leads/{id}/feedback"),
            Fixture::json(format!("/api/v1/leads/{id}/feedback"), json!({"version": v, "on": on}), true, None),
        ),
        (
            ("POST", "/api/v1/leads/{id}/progress"),
            Fixture::json(format!("/api/v1/leads/{id}/progress"), json!({"on": on, "text": "x"}), true, None),
        ),
        (
            ("POST", "/attraction/leads/{id}/respond"),
            Fixture::versioned_form(format!("/attraction/leads/{id}/respond"), json!({"version": vs, "on": on}), true),
        ),
        (
            ("POST", "/attraction/leads/{id}/assess"),
            Fixture::versioned_form(
                format!("/attraction/leads/{id}/assess"),
                json!({"version": vs, "on": on, "conclusion": "watch"}),
                true,
            ),
        ),
        (
            ("POST", "/attraction/leads/{id}/feedback"),
            Fixture::form(
                format!("/attraction/leads/{id}/feedback"),
                json!({"version": vs, "on": on}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/attraction/leads/{id}/progress"),
            Fixture::form(
                format!("/attraction/leads/{id}/progress"),
                json!({"on": on, "text": "x"}),
                true,
                None,
            ),
        ),
        (
            ("PUT", "/api/v1/leads/clock-settings"),
            Fixture::json("/api/v1/leads/clock-settings", json!({}), true, None),
        ),
        (
            ("POST", "/attraction/clock-settings"),
            Fixture::form(
                "/attraction/clock-settings",
                json!({"respond_working_days": "1", "assess_working_days": "3", "assess_major_working_days": "7",
                       "feedback_working_days": "7", "progress_calendar_days": "14", "major_from": "10000"}),
                true,
                None,
            ),
        ),
    ]
}
