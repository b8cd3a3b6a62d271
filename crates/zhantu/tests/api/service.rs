//! End-to-end tests of 三服务 and the problem list: the loop through the API with the roles
//! it involves (and their refusals), a visit's finding becoming a problem in one step, the
//! credit code's check character, escalation on a fixed day, a blocking problem holding up
//! a node's close-out, the Excel exports, and the demo district's figures.

use crate::helpers::{PNG, Session, TestApp, demo_get, id_version, of_another_unit, spawn_app, sum_of};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};

async fn unit(app: &TestApp, name: &str) -> i64 {
    app.store.unit_by_name(name).await.unwrap().expect(name)
}

/// A unit other than 海门街道 (a department).
async fn other_unit(app: &TestApp) -> i64 {
    let (_, page) = app.get("/api/v1/problems?limit=500").await;
    of_another_unit(&page)["unit"]["id"].as_i64().unwrap()
}

async fn raise(s: &Session, unit_id: i64, what: &str) -> Value {
    let body = json!({ "category": "审批", "description": what, "unit_id": unit_id, "deadline": "2020-01-02" });
    s.post_json_expect("/api/v1/problems", body, 201).await["problem"].clone()
}

/// A step that must succeed: the problem after it.
async fn advance(s: &Session, id: i64, step: &str, body: Value) -> Value {
    let (status, r) = act(s, id, step, body).await;
    assert_eq!(status, 200, "{step}: {r}");
    r["problem"].clone()
}

async fn act(s: &Session, id: i64, step: &str, body: Value) -> (u16, Value) {
    s.post(&format!("/api/v1/problems/{id}/{step}"), body).await
}

fn version(p: &Value) -> i64 {
    p["version"].as_i64().unwrap()
}

/// A valid credit code of the district (GB 32100: the 18th character checks the first 17).
fn credit_code(serial: u32) -> String {
    let first17 = format!("91331002MA{serial:07}");
    let check = zhantu_domain::CreditCode::check_char(&first17).unwrap();
    format!("{first17}{check}")
}

#[tokio::test]
async fn the_problem_loop_runs_through_the_roles() {
    let app = spawn_app().await;
    let haimen_unit = unit(&app, "海门街道").await;
    let (fgj, haimen, chakan, lingdao) = (
        app.login("fgj").await,
        app.login("haimen").await,
        app.login("chakan").await,
        app.login("lingdao").await,
    );
    // The street raises a problem for itself; a viewer cannot.
    let (status, e) = chakan
        .post(
            "/api/v1/problems",
            json!({ "category": "审批", "description": "x", "unit_id": haimen_unit }),
        )
        .await;
    assert_eq!(status, 403, "{e}");
    let p = raise(&haimen, haimen_unit, "厂房扩建规划许可办理进度较慢，请求协调").await;
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["state"], "raised");
    assert_eq!(p["source"], "other");

    // 交办: the coordinator's step, not the street's.
    let (status, e) = act(&haimen, id, "assign", json!({ "version": version(&p), "unit_id": haimen_unit })).await;
    assert_eq!(status, 403, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("无权"));
    let p = advance(
        &fgj,
        id,
        "assign",
        json!({ "version": version(&p), "unit_id": haimen_unit, "deadline": "2020-01-15", "note": "请海门街道牵头" }),
    )
    .await;
    assert_eq!(
        (p["state"].as_str(), p["deadline"].as_str()),
        (Some("assigned"), Some("2020-01-15"))
    );

    // 办结: the viewer cannot write, a stale version is refused, the unit resolves.
    let (status, _) = act(&chakan, id, "resolve", json!({ "version": version(&p), "resolution": "x" })).await;
    assert_eq!(status, 403);
    let (status, e) = act(
        &haimen,
        id,
        "resolve",
        json!({ "version": version(&p) - 1, "resolution": "已协调" }),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("stale_version")), "{e}");
    let p = advance(
        &haimen,
        id,
        "resolve",
        json!({ "version": version(&p), "resolution": "已协调自然资源分局加快审批" }),
    )
    .await;
    assert_eq!(p["state"], "resolved");

    // No close-out before the callback; the street can never close.
    let (status, e) = act(&fgj, id, "close", json!({ "version": version(&p) })).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("回访"), "{e}");
    let (status, _) = act(&haimen, id, "close", json!({ "version": version(&p) })).await;
    assert_eq!(status, 403);

    // 回访 not satisfied → back to the unit; resolved again; satisfied → 销号.
    let (status, e) = act(&fgj, id, "callback", json!({ "version": version(&p), "satisfied": false })).await;
    assert_eq!(status, 400, "a reason is required: {e}");
    let p = advance(
        &fgj,
        id,
        "callback",
        json!({ "version": version(&p), "satisfied": false, "note": "企业反映许可证仍未办出" }),
    )
    .await;
    assert_eq!(p["state"], "assigned");
    let p = advance(
        &haimen,
        id,
        "resolve",
        json!({ "version": version(&p), "resolution": "许可证已于12月31日核发" }),
    )
    .await;
    let p = advance(
        &fgj,
        id,
        "callback",
        json!({ "version": version(&p), "satisfied": true, "satisfaction": 5 }),
    )
    .await;
    assert_eq!(p["state"], "satisfied");
    let (status, _) = act(&haimen, id, "close", json!({ "version": version(&p) })).await;
    assert_eq!(status, 403);
    let p = advance(&fgj, id, "close", json!({ "version": version(&p), "note": "销号" })).await;
    assert_eq!(p["state"], "closed");
    assert_eq!(p["closed_on"], "2019-12-31");
    assert_eq!(p["satisfaction"], 5);

    // Leaders comment; the street does not.
    assert_eq!(act(&lingdao, id, "comment", json!({ "text": "办得好" })).await.0, 200);
    assert_eq!(act(&haimen, id, "comment", json!({ "text": "x" })).await.0, 403);

    let (_, detail) = app.get(&format!("/api/v1/problems/{id}")).await;
    let kinds: Vec<&str> = detail["problem"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "raise",
            "assign",
            "resolve",
            "callback_unsatisfied",
            "resolve",
            "callback_satisfied",
            "close",
            "comment"
        ]
    );
    let audited = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'problem' AND entity_id = {id}"
        ))
        .await;
    assert_eq!(audited, 8, "every step is audited");

    // The street cannot resolve another unit's problem, and sees only its own.
    let other = other_unit(&app).await;
    let theirs = raise(&fgj, other, "其他单位的问题").await;
    let theirs = advance(
        &fgj,
        theirs["id"].as_i64().unwrap(),
        "assign",
        json!({ "version": version(&theirs) }),
    )
    .await;
    let (status, e) = act(
        &haimen,
        theirs["id"].as_i64().unwrap(),
        "resolve",
        json!({ "version": version(&theirs), "resolution": "x" }),
    )
    .await;
    assert_eq!(status, 403, "{e}");
    let (_, mine) = haimen.get("/api/v1/problems?limit=500").await;
    assert!(mine["items"].as_array().unwrap().iter().all(|p| p["unit"]["name"] == "海门街道"));
    // Nor open its page.
    let (status, page) = haimen.page(&format!("/problems/{}", theirs["id"])).await;
    assert_eq!(status, 403, "{page}");

    // The pages' forms: the street raises a problem, the coordinator assigns it.
    haimen
        .post_form_expect(
            "/problems",
            &json!({ "category": "水电气", "description": "用电增容申请未落实", "unit_id": haimen_unit.to_string(), "deadline": "" }),
            303,
        )
        .await;
    let (_, mine) = haimen.get("/api/v1/problems?q=用电增容申请未落实").await;
    let p = mine["items"][0].clone();
    let pid = p["id"].as_i64().unwrap();
    let (_, html) = fgj.page(&format!("/problems/{pid}")).await;
    assert!(html.contains(r#"name="step" value="assign""#) && html.contains(r#"name="step" value="comment""#));
    let (_, html) = haimen.page(&format!("/problems/{pid}")).await;
    assert!(!html.contains(r#"name="step" value="assign""#), "the street gets no assign form");
    haimen
        .post_form_expect(
            &format!("/problems/{pid}/act"),
            &json!({ "step": "assign", "version": version(&p).to_string() }),
            403,
        )
        .await;
    fgj.post_form_expect(
        &format!("/problems/{pid}/act"),
        &json!({ "step": "assign", "version": version(&p).to_string(), "unit_id": haimen_unit.to_string(), "deadline": "2020-01-10" }),
        303,
    )
    .await;
    let (_, d) = app.get(&format!("/api/v1/problems/{pid}")).await;
    assert_eq!(
        (d["problem"]["state"].as_str(), d["problem"]["deadline"].as_str()),
        (Some("assigned"), Some("2020-01-10"))
    );

    // Raised from a progress report: linked to the report and its project.
    let (_, page) = app.get("/api/v1/projects?stage=construction&limit=50").await;
    let with_a_report = |p: &Value| {
        let r = p["reports"].as_array()?.first()?;
        Some((
            p["id"].as_i64().unwrap(),
            p["unit"]["id"].as_i64().unwrap(),
            r["id"].as_i64().unwrap(),
        ))
    };
    let (project, unit_id, report) = app
        .first_project_where(&page, with_a_report)
        .await
        .expect("a project with a progress report");
    let r = fgj
        .post_json_expect(
            "/api/v1/problems",
            json!({ "category": "资金", "description": "月报反映资本金未到位", "unit_id": unit_id, "report_id": report }),
            201,
        )
        .await;
    assert_eq!(
        (r["problem"]["source"].as_str(), r["problem"]["project"]["id"].as_i64()),
        (Some("report"), Some(project))
    );
    let (_, list) = app.get(&format!("/api/v1/problems?source=report&project={project}")).await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn a_visit_finding_becomes_a_problem_in_one_step() {
    let app = spawn_app().await;
    let haimen = app.login("haimen").await;
    let fgj = app.login("fgj").await;
    let dept = other_unit(&app).await;

    // The register: an invalid check character is refused with the reason, in Chinese.
    let good = credit_code(1234567);
    let mut bad = good.clone();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let (status, e) = fgj
        .post("/api/v1/enterprises", json!({ "credit_code": bad, "name": "测试企业" }))
        .await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("校验位"), "{e}");
    let r = fgj
        .post_json_expect(
            "/api/v1/enterprises",
            json!({ "credit_code": good, "name": "台州测试科技有限公司", "industry_code": "3311", "tags": ["专精特新", "瞪羚企业"] }),
            201,
        )
        .await;
    let ent = r["enterprise"].clone();
    let eid = ent["id"].as_i64().unwrap();
    assert_eq!(ent["tags"], json!(["专精特新", "瞪羚企业"]));
    let (status, _) = fgj
        .post("/api/v1/enterprises", json!({ "credit_code": good, "name": "重复" }))
        .await;
    assert_eq!(status, 409);
    let (_, hits) = app.get("/api/v1/search?q=台州测试科技&kind=enterprise").await;
    assert!(
        hits["items"].as_array().unwrap().iter().any(|h| h["id"] == eid),
        "a new enterprise is searchable: {hits}"
    );
    let (_, by_code) = app.get(&format!("/api/v1/enterprises?credit_code={}", good.to_lowercase())).await;
    assert_eq!(
        (by_code["total"].as_i64(), by_code["items"][0]["id"].as_i64()),
        (Some(1), Some(eid))
    );
    let (status, e) = app.get(&format!("/api/v1/enterprises?credit_code={bad}")).await;
    assert_eq!(status, 400, "{e}");
    let (_, found) = app.get("/api/v1/enterprises?tag=专精特新&limit=500").await;
    assert!(found["items"].as_array().unwrap().iter().any(|e| e["id"] == eid));
    // Version check on edits.
    let enterprise = format!("/api/v1/enterprises/{eid}");
    let (status, _) = fgj.patch(&enterprise, json!({ "version": 0, "tags": ["雄鹰培育"] })).await;
    assert_eq!(status, 409);
    let (status, r) = fgj.patch(&enterprise, json!({ "version": 1, "tags": ["雄鹰培育"] })).await;
    assert_eq!((status, r["enterprise"]["tags"].clone()), (200, json!(["雄鹰培育"])));
    let chakan = app.login("chakan").await;
    let (status, _) = chakan
        .post("/api/v1/enterprises", json!({ "credit_code": credit_code(7654321), "name": "x" }))
        .await;
    assert_eq!(status, 403, "a viewer cannot write");

    // A visit with a finding: the visit and the problem in one request.
    let visit = json!({
        "enterprise_id": eid, "visited_on": "2019-12-20", "findings": "企业订单饱满，计划扩产",
        "problems": [{ "category": "用地", "description": "扩产需新增工业用地约20亩", "unit_id": dept }]
    });
    let r = haimen.post_json_expect("/api/v1/visits", visit, 201).await;
    let pid = r["problem_ids"][0].as_i64().unwrap();
    let vid = r["visit"]["id"].as_i64().unwrap();
    assert_eq!(r["visit"]["problems"], 1);
    let (_, hits) = app.get("/api/v1/search?q=新增工业用地约20亩&kind=problem").await;
    assert!(
        hits["items"].as_array().unwrap().iter().any(|h| h["id"] == pid),
        "a new problem is searchable: {hits}"
    );
    let (_, p) = app.get(&format!("/api/v1/problems/{pid}")).await;
    let p = &p["problem"];
    assert_eq!((p["source"].as_str(), p["visit_id"].as_i64()), (Some("visit"), Some(vid)));
    assert_eq!(p["enterprise"]["id"], eid);
    assert_eq!(p["unit"]["id"], dept);
    assert_eq!(p["raised_on"], "2019-12-20");
    // A bad finding rolls the whole visit back.
    let before = app.audit_count().await;
    let (status, _) = haimen
        .post(
            "/api/v1/visits",
            json!({ "enterprise_id": eid, "visited_on": "2019-12-21", "findings": "回访", "problems": [{ "category": "", "description": "x", "unit_id": dept }] }),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(app.audit_count().await, before);
    let (_, e) = app.get(&format!("/api/v1/enterprises/{eid}")).await;
    assert_eq!(e["visits"].as_array().unwrap().len(), 1);
    assert_eq!(e["problems"].as_array().unwrap().len(), 1);
    // The same through the page's form.
    haimen.post_form_expect(&format!("/enterprises/{eid}/visits"),
            &json!({ "visited_on": "2019-12-27", "findings": "二次走访", "category": "资金", "description": "技改资金缺口", "unit_id": dept.to_string() }), 303).await;
    let (_, e) = app.get(&format!("/api/v1/enterprises/{eid}")).await;
    assert_eq!(
        (e["enterprise"]["visits"].as_i64(), e["enterprise"]["problems"].as_i64()),
        (Some(2), Some(2))
    );
    let (status, html) = fgj.page(&format!("/enterprises/{eid}")).await;
    assert!(status == 200 && html.contains(&good) && html.contains("技改资金缺口"), "{status}");
}

#[tokio::test]
async fn overdue_problems_escalate_on_a_fixed_day() {
    let app = spawn_app().await;
    let haimen_unit = unit(&app, "海门街道").await;
    let fgj = app.login("fgj").await;
    let haimen = app.login("haimen").await;
    let lingdao = app.login("lingdao").await;
    let p = raise(&fgj, haimen_unit, "政策处理未完成，影响用地交付").await;
    let id = p["id"].as_i64().unwrap();
    act(&fgj, id, "assign", json!({ "version": version(&p), "deadline": "2020-01-02" })).await;
    let ladder = zhantu_domain::problems::Ladder::default();
    let cal = app.store.calendar().await.unwrap();
    let due = chrono::NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
    let inbox = |s: Session| async move {
        let (_, n) = s.get("/api/v1/notifications").await;
        n["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "escalation").count()
    };
    assert_eq!(inbox(haimen.clone()).await, 0);
    let mut seen = Vec::new();
    for day in [(1, 3), (1, 9), (1, 16), (1, 23)] {
        let today = chrono::NaiveDate::from_ymd_opt(2020, day.0, day.1).unwrap();
        let run = app.store.escalate_problems(today, &ladder).await.unwrap();
        let again = app.store.escalate_problems(today, &ladder).await.unwrap();
        assert!(again.escalated.is_empty() && again.notifications == 0, "idempotent on the day");
        let (_, d) = app.get(&format!("/api/v1/problems/{id}")).await;
        let level = d["problem"]["escalation_level"].as_i64().unwrap();
        assert_eq!(level, ladder.level(&cal, due, today) as i64);
        if level > 0 {
            assert!(run.escalated.iter().any(|e| e.problem_id == id && e.to_level == level) || seen.contains(&level));
        }
        seen.push(level);
    }
    assert_eq!(seen, [0, 1, 2, 3], "5, 10, 15 working days late (the Spring Festival counted off)");
    assert!(inbox(haimen).await >= 1, "the unit is told from level 1");
    assert!(inbox(lingdao).await >= 1, "the leader from level 2");
    assert!(inbox(fgj).await >= 1, "the district from level 3");
    let (_, d) = app.get(&format!("/api/v1/problems/{id}")).await;
    let escalations = d["problem"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "escalate")
        .count();
    assert_eq!(escalations, 3);
    let (_, list) = app.get("/api/v1/problems?level=3&limit=500").await;
    assert!(list["items"].as_array().unwrap().iter().any(|p| p["id"] == id));

    // The same run from the command line, on a given day.
    let out = app.zhantu(&["job", "run", "escalate", "--today", "2020-03-02"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text} {}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("问题升级督办已执行（日期 2020-03-02）"), "{text}");
}

#[tokio::test]
async fn a_blocking_problem_holds_up_the_node_close_out() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let fgj = app.login("fgj").await;
    // A node that may be reported now: open, every earlier node of its project closed.
    let (_, page) = app.get("/api/v1/projects?stage=construction&limit=500").await;
    let ready = |p: &Value| {
        let nodes = p["nodes"].as_array().unwrap();
        let i = nodes.iter().position(|n| n["status"] == "open")?;
        (i > 0 && nodes[..i].iter().all(|m| m["status"] == "closed")).then(|| (p["id"].as_i64().unwrap(), nodes[i].clone()))
    };
    let (project, node) = app.first_project_where(&page, ready).await.expect("a node ready to report");
    let nid = node["id"].as_i64().unwrap();
    let unit_id = node["responsible_unit"]["id"].as_i64().unwrap();
    let r = admin
        .post_json_expect(
            "/api/v1/problems",
            json!({ "category": "施工条件", "description": "土方消纳场地未落实", "unit_id": unit_id, "node_id": nid, "blocks_node": true }),
            201,
        )
        .await;
    let p = r["problem"].clone();
    let pid = p["id"].as_i64().unwrap();
    assert_eq!(
        (p["blocking_node_id"].as_i64(), p["project"]["id"].as_i64()),
        (Some(nid), Some(project))
    );

    // Report the node done, then try to verify it.
    let (status, reported) = admin
        .report_node(nid, version(&node), "2019-12-30", "已完成", ("现场.png", PNG))
        .await;
    assert_eq!(status, 200, "{reported}");
    let verify = format!("/api/v1/nodes/{nid}/verify");
    let approve = json!({ "version": version(&reported["node"]), "approve": true });
    let (status, e) = fgj.post(&verify, approve.clone()).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("阻塞问题"), "{e}");
    // The project page shows it on the node.
    let (_, html) = fgj.page(&format!("/projects/{project}")).await;
    assert!(html.contains(&format!("/problems/{pid}")));

    // Close the problem out; now the node verifies.
    let mut p = p;
    for (step, body) in [
        ("assign", json!({})),
        ("resolve", json!({ "resolution": "已落实消纳场地" })),
        ("callback", json!({ "satisfied": true, "satisfaction": 4 })),
        ("close", json!({})),
    ] {
        let mut body = body;
        body["version"] = json!(version(&p));
        p = advance(&fgj, pid, step, body).await;
    }
    let (status, e) = fgj.post(&verify, approve).await;
    assert_eq!(status, 200, "{e}");
}

#[tokio::test]
async fn lists_export_as_workbooks_and_the_demo_shows_the_seed_figures() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/problems.xlsx?status=closed",
        "/api/v1/enterprises.xlsx?tag=专精特新",
        "/api/v1/visits.xlsx",
        "/api/v1/problems/lists.xlsx?month=2019-12",
    ] {
        let d = app.download(path).await;
        assert_eq!(d.status, 200, "{path}");
        assert!(d.content_type().contains("spreadsheetml"), "{path}");
        assert!(d.body.starts_with(b"PK\x03\x04") && d.body.len() > 2000, "{path} is a zip");
    }
    // The seed article: 2,100+ visits, 500+ problems solved.
    let (_, visits) = demo_get("/api/v1/visits?limit=1").await;
    assert!(visits["total"].as_i64().unwrap() >= 2100, "{}", visits["total"]);
    let (_, closed) = demo_get("/api/v1/problems?status=closed&limit=1").await;
    assert!(closed["total"].as_i64().unwrap() >= 500, "{}", closed["total"]);
    let (_, stats) = demo_get("/api/v1/problems/stats?year=2019").await;
    let total = stats["units"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(total["unit"]["id"], 0);
    assert!(total["closed"].as_i64().unwrap() >= 500, "{total}");
    assert!(total["rate_pct"].as_f64().unwrap() > 80.0, "{total}");
    let visits = sum_of(&stats["visits_by_unit"], "visits");
    assert!(visits >= 2100, "{visits}");
    let (_, lists) = demo_get("/api/v1/problems/lists?month=2019-12").await;
    let names: Vec<&str> = lists["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["新增问题清单", "推进落实问题清单", "已办结销号问题清单"]);
    assert!(
        lists["lists"].as_array().unwrap().iter().all(|l| l["count"].as_i64().unwrap() > 0),
        "{lists}"
    );
    let (status, e) = demo_get("/api/v1/problems/lists?month=2019-13").await;
    assert_eq!(status, 400, "{e}");
    // The pages render for a unit editor and for the coordinator.
    let fgj = app.login("fgj").await;
    for path in [
        "/enterprises",
        "/enterprises?tag=专精特新",
        "/problems",
        "/problems?overdue=1",
        "/problems/lists?month=2019-12",
    ] {
        let (status, html) = fgj.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains("<table"), "{path}");
    }
    let (_, list) = app.get("/api/v1/problems?status=resolved&limit=1").await;
    let id = list["items"][0]["id"].as_i64().unwrap();
    let (status, html) = fgj.page(&format!("/problems/{id}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"name="step" value="callback""#),
        "the coordinator gets the callback form"
    );
}

/// How the access test exercises this area's write routes (one entry per route in
/// the write routes of the `enterprises` and `problems` mechanisms in `zhantu_web`).
pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    // A problem assigned to another unit, and a visit by another unit.
    let (_, list) = app.get("/api/v1/problems?status=assigned&limit=500").await;
    let p = of_another_unit(&list);
    let other = p["unit"]["id"].as_i64().unwrap();
    let (pid, pv) = id_version(&p);
    let (_, visits) = app.get("/api/v1/visits?limit=200").await;
    let visit = of_another_unit(&visits)["id"].as_i64().unwrap();
    let (_, ents) = app.get("/api/v1/enterprises?limit=1").await;
    let (eid, ev) = id_version(&ents["items"][0]);
    let f = |path: String, body: Value, editor_forbidden: bool, stale: Option<Value>| Fixture::json(path, body, editor_forbidden, stale);
    let step = |s: &str, extra: Value, forbidden: bool| {
        let mut body = extra;
        body["version"] = json!(pv);
        Fixture::versioned(format!("/api/v1/problems/{pid}/{s}"), body, forbidden)
    };
    vec![
        (
            ("POST", "/api/v1/enterprises"),
            f(
                "/api/v1/enterprises".into(),
                json!({ "credit_code": credit_code(1), "name": "新企业" }),
                false,
                None,
            ),
        ),
        (
            ("PATCH", "/api/v1/enterprises/{id}"),
            Fixture::versioned(
                format!("/api/v1/enterprises/{eid}"),
                json!({ "version": ev, "name": "改名" }),
                false,
            ),
        ),
        (
            ("POST", "/api/v1/visits"),
            f(
                "/api/v1/visits".into(),
                json!({ "enterprise_id": eid, "visited_on": "2019-12-20", "findings": "走访", "unit_id": other }),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/visits/{id}/problems"),
            f(
                format!("/api/v1/visits/{visit}/problems"),
                json!({ "category": "用地", "description": "x", "unit_id": other }),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/problems"),
            f(
                "/api/v1/problems".into(),
                json!({ "category": "用地", "description": "x", "unit_id": other }),
                true,
                None,
            ),
        ),
        (("POST", "/api/v1/problems/{id}/assign"), step("assign", json!({}), true)),
        (
            ("POST", "/api/v1/problems/{id}/resolve"),
            step("resolve", json!({ "resolution": "已办" }), true),
        ),
        (
            ("POST", "/api/v1/problems/{id}/callback"),
            step("callback", json!({ "satisfied": true }), true),
        ),
        (("POST", "/api/v1/problems/{id}/close"), step("close", json!({}), true)),
        (
            ("POST", "/api/v1/problems/{id}/comment"),
            f(format!("/api/v1/problems/{pid}/comment"), json!({ "text": "批示" }), true, None),
        ),
        (
            ("POST", "/enterprises/{id}/visits"),
            Fixture::form(
                format!("/enterprises/{eid}/visits"),
                json!({ "visited_on": "2019-12-20", "findings": "走访" }),
                false,
                None,
            ),
        ),
        (
            ("POST", "/problems"),
            Fixture::form(
                "/problems",
                json!({ "category": "用地", "description": "x", "unit_id": other.to_string() }),
                true,
                None,
            ),
        ),
        (
            ("POST", "/problems/{id}/act"),
            Fixture::versioned_form(
                format!("/problems/{pid}/act"),
                json!({ "step": "assign", "version": pv.to_string() }),
                true,
            ),
        ),
    ]
}
