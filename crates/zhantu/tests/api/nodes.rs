//! The weekly work of a unit: a node reported done with a photo, verified by the coordinator,
//! the light turning green, both steps in the audit trail; a date change waiting for approval.

use crate::helpers::{PNG, Session, TestApp, find_by, id_version, spawn_app};
use serde_json::{Value, json};

pub(crate) async fn report(s: &Session, node: i64, version: i64, date: &str, file: (&str, &[u8])) -> (u16, Value) {
    s.report_node(node, version, date, "现场已完成，附照片", file).await
}

/// A project lit by one thing only: its next open node (every later node on track). Returns
/// the project, that node, and a unit editor of the project's unit, created for the test.
pub(crate) async fn lit_by_its_next_node(app: &TestApp) -> (Value, Value, Session) {
    let (_, page) = app.get("/api/v1/projects?limit=500").await;
    for p in page["items"].as_array().unwrap() {
        if !matches!(p["light"].as_str(), Some("yellow" | "red")) {
            continue;
        }
        let (_, detail) = app.get(&format!("/api/v1/projects/{}", p["id"])).await;
        let open: Vec<&Value> = detail["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["status"] == "open")
            .collect();
        let lit: Vec<&str> = detail["light_reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .filter(|r| !r.starts_with("绿灯"))
            .collect();
        if open.len() >= 2
            && lit.len() == 1
            && lit[0].contains(open[0]["name"].as_str().unwrap())
            && open[1..].iter().all(|n| n["light"] == "green")
        {
            let username = format!("unit{}", detail["unit"]["id"]);
            let editor = app.create_editor(&username, &detail["unit"]["id"]).await;
            return (detail.clone(), open[0].clone(), editor);
        }
    }
    panic!("the demo has a project lit only by its next node");
}

#[tokio::test]
async fn a_node_is_closed_out_in_two_steps_and_the_light_turns_green() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (project, node, editor) = lit_by_its_next_node(&app).await;
    let pid = project["id"].as_i64().unwrap();
    let (nid, v) = id_version(&node);
    assert_ne!(project["light"], "green");

    // Content, not the name, decides what a file is.
    let (status, e) = report(&editor, nid, v, "2019-12-30", ("照片.png", b"MZ\x90\0 this is a program")).await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_file")), "{e}");
    let (status, e) = report(&editor, nid, v - 1, "2019-12-30", ("现场.png", PNG)).await;
    assert_eq!(status, 409, "{e}");
    // A later node cannot be reported before this one.
    let later = project["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["status"] == "open")
        .nth(1)
        .unwrap();
    let (later, later_version) = id_version(later);
    let (status, e) = report(&editor, later, later_version, "2019-12-30", ("现场.png", PNG)).await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("前置节点"), "{e}");

    let (status, r) = report(&editor, nid, v, "2019-12-30", ("现场.png", PNG)).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["node"]["status"], "reported");
    let (_, n) = editor.get(&format!("/api/v1/nodes/{nid}")).await;
    let evidence = &n["evidence"][0];
    assert_eq!(evidence["content_type"], "image/png");
    let file = editor.response(&format!("/api/v1/evidence/{}", evidence["id"])).await;
    assert_eq!(file.bytes().await.unwrap().as_ref(), PNG, "the evidence comes back byte for byte");

    // The unit cannot verify its own report; the coordinator can.
    let verify = format!("/api/v1/nodes/{nid}/verify");
    let body = json!({"version": v + 1, "approve": true});
    assert_eq!(editor.post(&verify, body.clone()).await.0, 403);
    let (status, r) = coordinator.post(&verify, body).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["node"]["status"], "closed");

    let (_, after) = app.get(&format!("/api/v1/projects/{pid}")).await;
    assert_eq!(after["light"], "green", "{}", after["light_reason"]);
    let (_, history) = app.get(&format!("/api/v1/audit?entity=node&entity_id={nid}")).await;
    let actions: Vec<(&str, &str)> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    let unit_editor = format!("unit{}", project["unit"]["id"]);
    assert_eq!(actions, [("node.verify", "fgj"), ("node.report_done", unit_editor.as_str())]);
}

#[tokio::test]
async fn a_report_can_be_sent_back_with_a_reason() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (_, node, editor) = lit_by_its_next_node(&app).await;
    let (nid, v) = id_version(&node);
    assert_eq!(report(&editor, nid, v, "2019-12-30", ("现场.png", PNG)).await.0, 200);
    let verify = format!("/api/v1/nodes/{nid}/verify");
    let (status, _) = coordinator.post(&verify, json!({"version": v + 1, "approve": false})).await;
    assert_eq!(status, 400, "sending back needs a reason");
    let (status, r) = coordinator
        .post(&verify, json!({"version": v + 1, "approve": false, "reason": "照片看不出主体结顶"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (r["node"]["status"].as_str(), r["node"]["return_reason"].as_str()),
        (Some("open"), Some("照片看不出主体结顶"))
    );
}

#[tokio::test]
async fn a_date_change_waits_for_approval_and_the_baseline_stays() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let coordinator = app.login("fgj").await;
    let (_, page) = editor.get("/api/v1/projects?limit=500").await;
    let overdue = |p: &Value| {
        let n = p["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["light"] == "red" && n["status"] == "open")?;
        Some((p["id"].as_i64().unwrap(), n.clone()))
    };
    let (pid, node) = app.first_project_where(&page, overdue).await.expect("an overdue node in 海门街道");
    let nid = node["id"].as_i64().unwrap();
    let path = format!("/api/v1/nodes/{nid}/date-change");

    let change = |on: &str, code: &str, text: &str| json!({"new_planned_on": on, "reason_code": code, "reason_text": text});
    let (status, e) = editor.post(&path, change("2020-03-31", "whim", "想改")).await;
    assert_eq!(status, 400, "the reason comes from the list: {e}");
    let r = editor
        .post_json_expect(&path, change("2020-03-31", "land", "征迁协议尚未签订"), 201)
        .await;
    let (_, n) = editor.get(&format!("/api/v1/nodes/{nid}")).await;
    assert_eq!(n["node"]["planned_on"], node["planned_on"], "nothing moves before approval");
    assert_eq!(editor.post(&path, change("2020-04-30", "land", "再改")).await.0, 409);
    let decide = format!("/api/v1/date-changes/{}/decide", r["date_change"]["id"]);
    assert_eq!(editor.post(&decide, json!({"approve": true})).await.0, 403);

    let (status, r) = coordinator.post(&decide, json!({"approve": true, "note": "同意"})).await;
    assert_eq!(status, 200, "{r}");
    let (_, n) = editor.get(&format!("/api/v1/nodes/{nid}")).await;
    assert_eq!(n["node"]["planned_on"], "2020-03-31");
    assert_eq!(n["node"]["baseline_on"], node["baseline_on"], "the approved baseline stays");
    let versions = n["date_changes"].as_array().unwrap();
    assert_eq!((versions.len(), versions[0]["status"].as_str()), (1, Some("approved")));
    let (_, p2) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let moved = find_by(&p2["nodes"], "id", nid);
    assert_ne!(moved["light"], "red", "the light follows the new plan: {moved}");

    // The schedule now has two versions: the baseline and the approved change, comparable.
    let (status, sched) = editor.get(&format!("/api/v1/projects/{pid}/schedule")).await;
    assert_eq!(status, 200, "{sched}");
    let versions = sched["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{sched}");
    assert!(versions[0]["change"].is_null());
    assert_eq!(versions[1]["change"]["approved_by"], "fgj");
    assert!(versions[1]["change"]["reason"].as_str().unwrap().contains("征迁协议尚未签订"));
    let shift = find_by(&sched["compare"]["nodes"], "node_id", nid).clone();
    assert_eq!(
        (shift["from"].clone(), shift["to"].as_str()),
        (node["baseline_on"].clone(), Some("2020-03-31"))
    );
    let baseline = chrono::NaiveDate::parse_from_str(node["baseline_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let expected = (chrono::NaiveDate::from_ymd_opt(2020, 3, 31).unwrap() - baseline).num_days();
    assert_eq!(shift["days"].as_i64().unwrap(), expected);
    let (status, e) = editor.get(&format!("/api/v1/projects/{pid}/schedule?from=0&to=7")).await;
    assert_eq!(status, 400, "{e}");
    let (_, html) = editor.page(&format!("/projects/{pid}")).await;
    assert!(
        html.contains("计划版本") && html.contains("土地征迁/政策处理未完成：<span translate=\"no\">征迁协议尚未签订</span>"),
        "the project page shows the versions"
    );
    // In English the kind of reason in words, the details typed as data.
    let (_, html) = editor.page(&format!("/projects/{pid}?lang=en")).await;
    assert!(
        html.contains("<td>Land acquisition or policy work not finished: <span translate=\"no\">征迁协议尚未签订</span></td>"),
        "the schedule's reason in English"
    );
}

#[tokio::test]
async fn the_lights_job_runs_on_demand_and_records_its_run() {
    let app = spawn_app().await;
    let out = app.zhantu(&["job", "run", "lights"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("亮灯已重算") && text.contains("变化 0 处"),
        "nothing changed since the load: {text}"
    );
    let runs = app.scalar("SELECT COUNT(*) FROM light_runs").await;
    assert_eq!(runs, 2, "the load and the manual run");
    // Every lit project explains itself; the figures count the same lights the registry shows.
    let (_, red) = app.get("/api/v1/projects?light=red&limit=500").await;
    for p in red["items"].as_array().unwrap() {
        assert!(p["light_reason"].as_str().unwrap().starts_with("红灯："), "{p}");
    }
    let (_, f) = app.get("/api/v1/figures?year=2019").await;
    let red_count = find_by(&f["lights"], "light", "red")["projects"].as_i64().unwrap();
    assert_eq!(red_count, red["total"].as_i64().unwrap());
    let out = app.zhantu(&["job", "run", "nothing"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("可用的任务为 lights"));
}

#[tokio::test]
async fn reports_feed_the_month_and_a_closed_month_is_locked() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let coordinator = app.login("fgj").await;
    let (_, mine) = editor.get("/api/v1/projects?stage=construction&limit=1").await;
    let pid = mine["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/projects/{pid}/reports");
    let (status, e) = editor
        .post(&path, json!({"period_kind": "week", "period_start": "2019-12-25", "body": "周报"}))
        .await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("星期一"), "{e}");
    let (status, r) = editor
        .post(
            &path,
            json!({"period_kind": "month", "period_start": "2019-12-01", "body": "主体结构施工，完成三层", "investment": "123.45万元"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let (_, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let dec = p["monthly_investment"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["year"] == 2019 && m["month"] == 12)
        .unwrap();
    assert_eq!(dec["amount_wan"].to_string(), "123.45");
    assert!(
        p["reports"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["body"] == "主体结构施工，完成三层")
    );

    // Problems met in the period become problems of the project's unit, linked to the report.
    let (status, r) = editor
        .post(&path, json!({"period_kind": "week", "period_start": "2019-12-23", "body": "桩基施工", "problems": "用地：红线外征迁未完成\n施工用电接入慢"}))
        .await;
    assert_eq!(status, 201, "{r}");
    let (_, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let problems = p["problems"].as_array().unwrap();
    assert!(
        problems
            .iter()
            .any(|x| x["category"] == "用地" && x["description"] == "红线外征迁未完成"),
        "{p}"
    );
    assert!(
        problems
            .iter()
            .any(|x| x["category"] == "其他" && x["description"] == "施工用电接入慢")
    );
    let (status, e) = editor
        .post(
            &path,
            json!({"period_kind": "week", "period_start": "2019-12-16", "body": "x", "problems": [{"category": "用地"}]}),
        )
        .await;
    assert_eq!(status, 400, "{e}");

    let (status, _) = coordinator.post("/api/v1/periods/2019/12/lock", json!({})).await;
    assert_eq!(status, 200);
    let (status, e) = editor
        .post(
            &path,
            json!({"period_kind": "month", "period_start": "2019-12-01", "body": "改数", "investment": 999}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("已关账"), "{e}");
}

#[tokio::test]
async fn projects_pause_and_resume_with_a_reason() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (pid, v) = app.first_project("stage=preparation").await;
    let path = format!("/api/v1/projects/{pid}/pause");
    assert_eq!(
        coordinator.post(&path, json!({"version": v})).await.0,
        400,
        "a pause needs a reason"
    );
    let (status, r) = coordinator.post(&path, json!({"version": v, "reason": "投资方调整产品方案"})).await;
    assert_eq!(status, 200, "{r}");
    let (status, r) = coordinator
        .post(&format!("/api/v1/projects/{pid}/resume"), json!({"version": v + 1}))
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let notes: Vec<&str> = p["stage_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["note"].as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("暂停：投资方调整产品方案")) && notes.iter().any(|n| n.starts_with("恢复推进")),
        "{notes:?}"
    );
}

#[tokio::test]
async fn the_administrator_edits_the_rules_as_data() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (_, rules) = admin.get("/api/v1/rules").await;
    let mut next = rules["current"].clone();
    let version = next["version"].as_u64().unwrap();
    next["version"] = json!(version + 1);
    // Switch every rule off: nothing can be lit any more but green.
    for r in next["rules"].as_array_mut().unwrap() {
        r["enabled"] = json!(false);
    }
    let (status, r) = admin.put("/api/v1/rules", next.clone()).await;
    assert_eq!(status, 200, "{r}");
    let (_, red) = app.get("/api/v1/projects?light=red").await;
    assert_eq!(red["total"], 0, "lights were recomputed with the new rules");
    let (status, _) = admin.put("/api/v1/rules", next).await;
    assert_eq!(status, 409, "the same version twice is a stale edit");
    let (status, e) = admin.put("/api/v1/rules", json!({"version": version + 2, "rules": "nope"})).await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("亮灯规则"), "{e}");
    let (_, rules) = admin.get("/api/v1/rules").await;
    assert_eq!(rules["versions"].as_array().unwrap().len(), 2, "every version is kept");
}

#[tokio::test]
async fn lights_roll_up_to_units_and_leaders() {
    let app = spawn_app().await;
    let (status, b) = app.get("/api/v1/lights/board").await;
    assert_eq!(status, 200, "{b}");
    let (_, red) = app.get("/api/v1/projects?light=red&limit=1").await;
    assert_eq!(b["district"]["red"], red["total"]);
    assert_eq!(b["district"]["light"], "red");
    // The district root rolls up every unit below it: its counts equal the district's.
    let root = &b["units"][0];
    assert_eq!(
        (root["red"].clone(), root["yellow"].clone(), root["green"].clone()),
        (
            b["district"]["red"].clone(),
            b["district"]["yellow"].clone(),
            b["district"]["green"].clone()
        )
    );
    let leaders: u64 = b["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["red"].as_u64().unwrap() + l["yellow"].as_u64().unwrap() + l["green"].as_u64().unwrap())
        .sum();
    assert!(leaders > 0);
    let viewer = app.login("chakan").await;
    assert_eq!(viewer.get("/api/v1/lights/board").await.0, 403);
}

#[tokio::test]
async fn a_new_project_is_broken_into_nodes_from_its_template() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    // A project without nodes: a new entry in the reserve pool, made by an import in real
    // life; here its nodes are removed directly.
    let (_, mine) = editor.get("/api/v1/projects?stage=reserve&limit=1").await;
    let pid = mine["items"][0]["id"].as_i64().unwrap();
    app.execute(&format!(
        "DELETE FROM node_dependencies WHERE node_id IN (SELECT id FROM nodes WHERE project_id = {pid})"
    ))
    .await;
    app.execute(&format!("DELETE FROM nodes WHERE project_id = {pid}")).await;
    let (status, r) = editor
        .post(&format!("/api/v1/projects/{pid}/plan"), json!({"first_on": "2020-02-03"}))
        .await;
    assert_eq!(status, 201, "{r}");
    assert!(r["nodes"].as_i64().unwrap() >= 8);
    let (_, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let nodes = p["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["planned_on"], "2020-02-03");
    assert!(
        nodes.windows(2).all(|w| w[0]["planned_on"].as_str() <= w[1]["planned_on"].as_str()),
        "in template order"
    );
    assert!(
        nodes.iter().all(|n| n["planned_on"] == n["baseline_on"]),
        "the first plan is the baseline"
    );
    assert!(
        nodes.iter().any(|n| n["responsible_unit"]["name"] != p["unit"]["name"]),
        "approval steps go to the departments"
    );
    let (status, _) = editor
        .post(&format!("/api/v1/projects/{pid}/plan"), json!({"first_on": "2020-02-03"}))
        .await;
    assert_eq!(status, 409, "a plan is made once, then adjusted");

    // Adjusting: a node's name and forecast; its planned date only through a request.
    let n = &nodes[1];
    let path = format!("/api/v1/nodes/{}", n["id"]);
    let (status, e) = editor
        .patch(&path, json!({"version": n["version"], "planned_on": "2020-12-31"}))
        .await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("改期申请"), "{e}");
    let (status, r) = editor
        .patch(
            &path,
            json!({"version": n["version"], "forecast_on": "2020-03-20", "name": "项目赋码备案"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["node"]["name"], "项目赋码备案");
}

#[tokio::test]
async fn a_lights_run_fills_the_inboxes() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let coordinator = app.login("fgj").await;
    assert!(
        coordinator.get("/api/v1/notifications").await.1["items"]
            .as_array()
            .unwrap()
            .is_empty(),
        "loading the demo notifies nobody"
    );
    // Stricter node rule: red from the first day overdue. New reds appear.
    let (_, rules) = admin.get("/api/v1/rules").await;
    let mut next = rules["current"].clone();
    next["version"] = json!(next["version"].as_u64().unwrap() + 1);
    let node_due = next["rules"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["id"] == "node_due")
        .expect("node_due rule");
    assert!(node_due["red_after_days_overdue"].is_number(), "{node_due}");
    node_due["red_after_days_overdue"] = json!(0);
    let (status, r) = admin.put("/api/v1/rules", next).await;
    assert_eq!(status, 200, "{r}");
    let (_, inbox) = coordinator.get("/api/v1/notifications?unread=1").await;
    let items = inbox["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{inbox}");
    assert!(items[0]["title"].as_str().unwrap().contains("亮灯日报"), "{inbox}");
    let id = items[0]["id"].as_i64().unwrap();
    assert_eq!(
        coordinator
            .send("POST", &format!("/api/v1/notifications/{id}/read"), None, true)
            .await
            .0,
        204
    );
    assert!(
        coordinator.get("/api/v1/notifications?unread=1").await.1["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let editor = app.login("haimen").await;
    assert_eq!(
        editor.send("POST", &format!("/api/v1/notifications/{id}/read"), None, true).await.0,
        404,
        "another user's notification"
    );
}

/// A stand-in for a WeCom/DingTalk group robot on loopback: records what it is sent.
pub(crate) async fn robot_stub() -> (String, std::sync::Arc<std::sync::Mutex<Vec<Value>>>) {
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = got.clone();
    let app = axum::Router::new().route(
        "/robot/send",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(v);
                axum::Json(json!({"errcode": 0, "errmsg": "ok"}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/robot/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, got)
}

#[tokio::test]
async fn the_daily_digest_goes_to_the_group_robot() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (url, got) = robot_stub().await;
    let (status, e) = admin
        .put("/api/v1/settings/webhook", json!({"url": "ftp://x", "kind": "wecom"}))
        .await;
    assert_eq!(status, 400, "{e}");
    let (status, _) = admin.put("/api/v1/settings/webhook", json!({"url": url, "kind": "dingtalk"})).await;
    assert_eq!(status, 200);
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_zhantu"))
        .args(["job", "run", "lights", "--database", &app.url])
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("已推送"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let sent = got.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["msgtype"], "markdown");
    assert!(sent[0]["markdown"]["title"].as_str().unwrap().contains("亮灯日报"), "{}", sent[0]);
    assert!(sent[0]["markdown"]["text"].as_str().unwrap().contains("红灯"));
}

#[tokio::test]
async fn late_submissions_are_listed_per_unit_and_scoped() {
    let app = spawn_app().await;
    let (status, t) = app
        .get("/api/v1/reporting/timeliness?kind=month&from=2019-01-01&to=2019-11-30")
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["deadline"], "期末后5个工作日内");
    assert_eq!(t["periods"], 11);
    let units = t["units"].as_array().unwrap();
    assert!(units.len() > 3, "{t}");
    for u in units {
        let n = |k: &str| u[k].as_i64().unwrap();
        assert_eq!(n("expected"), n("on_time") + n("late") + n("missing") + n("pending"), "{u}");
        assert!(!u["unit_name"].as_str().unwrap().is_empty());
    }
    // Worst first.
    let rates: Vec<f64> = units.iter().filter_map(|u| u["on_time_rate"].as_f64()).collect();
    assert!(rates.windows(2).all(|w| w[0] <= w[1]), "{rates:?}");

    // A unit editor sees only the units in scope.
    let editor = app.login("haimen").await;
    let (status, mine) = editor
        .get("/api/v1/reporting/timeliness?kind=week&from=2019-12-01&to=2019-12-31")
        .await;
    assert_eq!(status, 200, "{mine}");
    assert!(
        mine["units"].as_array().unwrap().iter().all(|u| u["unit_name"] == "海门街道"),
        "{mine}"
    );

    let (status, e) = app.get("/api/v1/reporting/timeliness?kind=year").await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("week 或 month"));

    let resp = reqwest::Client::new()
        .get(format!(
            "{}/api/v1/reporting/timeliness.xlsx?from=2019-01-01&to=2019-11-30",
            app.base
        ))
        .bearer_auth(crate::helpers::ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 200);
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("filename*=UTF-8''")
    );
    assert_eq!(&resp.bytes().await.unwrap()[..2], b"PK");
}

#[tokio::test]
async fn the_administrator_updates_a_years_holidays_and_the_lights_follow() {
    let app = spawn_app().await;
    let (status, y) = app.get("/api/v1/calendar/2019").await;
    assert_eq!(status, 200, "{y}");
    // 2019 had 250 working days under the State Council's notice (365 − 104 weekend days − 16
    // holiday weekdays + 5 make-up Saturdays and Sundays).
    let before = y["working_days"].as_i64().unwrap();
    assert_eq!(before, 250, "{y}");
    assert!(
        y["days"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["day"] == "2019-10-01" && d["kind"] == "off")
    );

    // A district-level day off (e.g. a typhoon day) on Tuesday 10 December 2019.
    let mut days = y["days"].as_array().unwrap().clone();
    days.push(json!({"day": "2019-12-10", "kind": "off", "name": "台风停工"}));
    let admin = app.login("admin").await;
    let (status, r) = admin
        .put("/api/v1/calendar/2019", json!({"revision": y["revision"], "days": days}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["saved"]["working_days"].as_i64().unwrap(), before - 1);

    // The old revision is now stale; a make-up day on a weekday is refused with the reason.
    let (status, e) = admin
        .put("/api/v1/calendar/2019", json!({"revision": y["revision"], "days": days}))
        .await;
    assert_eq!(status, 409, "{e}");
    let mut bad = days.clone();
    bad.push(json!({"day": "2019-12-11", "kind": "work", "name": "错"}));
    let (status, e) = admin
        .put("/api/v1/calendar/2019", json!({"revision": r["saved"]["revision"], "days": bad}))
        .await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("2019-12-11"), "{e}");
    let (status, _) = admin
        .put(
            "/api/v1/calendar/2019",
            json!({"revision": r["saved"]["revision"], "days": [{"day": "2020-01-01", "kind": "off", "name": "元旦"}]}),
        )
        .await;
    assert_eq!(status, 400);

    // Coordinators may read but not change it.
    let fgj = app.login("fgj").await;
    let (status, _) = fgj
        .put("/api/v1/calendar/2019", json!({"revision": r["saved"]["revision"], "days": days}))
        .await;
    assert_eq!(status, 403);
    let recomputed = app.scalar("SELECT COUNT(*) FROM light_runs WHERE trigger_kind = 'calendar'").await;
    assert_eq!(recomputed, 1);
}
