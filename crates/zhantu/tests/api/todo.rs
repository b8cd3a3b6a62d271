//! 我的待办 by role against the demo: every section's count is the length of the list it
//! opens, every item a link to where it is done; a unit editor sees only their unit's items
//! (on the page and in the API); the header's badge; the notifications page; and the daily
//! reminders, sent once, three working days ahead across a weekend and a holiday.

use crate::helpers::{PNG, Session, TestApp, spawn_app};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};
use std::time::Instant;

pub(crate) async fn write_fixtures(_app: &TestApp) -> Fixtures {
    vec![(
        ("POST", "/api/v1/notifications/read-all"),
        Fixture::json("/api/v1/notifications/read-all", json!({}), false, None),
    )]
}

/// The sections of a to-do (JSON), by kind: (count, items).
fn sections(todo: &Value) -> Vec<(String, i64, Vec<Value>)> {
    todo["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["kind"].as_str().unwrap().to_string(),
                s["count"].as_i64().unwrap(),
                s["items"].as_array().unwrap().clone(),
            )
        })
        .collect()
}

fn section<'a>(todo: &'a Value, kind: &str) -> &'a Value {
    todo["sections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == kind)
        .unwrap_or_else(|| panic!("no section {kind} in {todo}"))
}

fn links(todo: &Value, kind: &str) -> Vec<String> {
    section(todo, kind)["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["link"].as_str().unwrap().to_string())
        .collect()
}

/// Every section's count equals its items, in the API and on the page (zh and en), and the
/// total is their sum; returns the to-do.
async fn consistent_todo(s: &Session) -> Value {
    let (status, todo) = s.get("/api/v1/todo").await;
    assert_eq!(status, 200, "{todo}");
    let mut total = 0;
    let (_, html) = s.page("/todo").await;
    let (_, english) = s.page("/todo?lang=en").await;
    assert!(html.contains("我的待办") && english.contains("My to-do"));
    for (kind, count, items) in sections(&todo) {
        assert_eq!(count as usize, items.len(), "{kind}: the count is the list");
        total += count;
        // The page's section: its count, and as many items as it says.
        let part = html
            .split(&format!("id=\"s-{kind}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("{kind} on the page"))
            .split("</section>")
            .next()
            .unwrap();
        assert!(part.contains(&format!("data-count=\"{count}\"")), "{kind}: {part}");
        assert_eq!(part.matches("<li class=\"todo-item\">").count() as i64, count, "{kind}: {part}");
        for item in &items {
            let link = item["link"].as_str().unwrap();
            assert!(link.starts_with('/'), "{link}");
            assert!(part.contains(&format!("href=\"{}\"", link.replace('&', "&amp;"))), "{kind}: {link}");
        }
        assert!(english.contains(&format!("id=\"s-{kind}\"")), "{kind} in English");
    }
    assert_eq!(todo["total"].as_i64().unwrap(), total, "{todo}");
    todo
}

/// The first open node of the 海门街道's projects that may be reported done now (its
/// predecessors closed), with its version; then another open node of theirs.
async fn haimen_nodes(app: &TestApp) -> ((i64, i64), i64) {
    let reportable = app
        .scalar(
            "SELECT n.id FROM nodes n JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = p.unit_id \
             WHERE u.name = '海门街道' AND n.status = 'open' \
             AND NOT EXISTS (SELECT 1 FROM nodes o WHERE o.project_id = n.project_id AND o.seq < n.seq AND o.status <> 'closed') \
             AND NOT EXISTS (SELECT 1 FROM node_dependencies d JOIN nodes o ON o.id = d.depends_on_id WHERE d.node_id = n.id AND o.status <> 'closed') \
             ORDER BY n.id LIMIT 1",
        )
        .await;
    let version = app.scalar(&format!("SELECT version FROM nodes WHERE id = {reportable}")).await;
    let other = app
        .scalar(&format!(
            "SELECT n.id FROM nodes n JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = p.unit_id \
             WHERE u.name = '海门街道' AND n.status = 'open' AND n.id <> {reportable} ORDER BY n.planned_on DESC, n.id LIMIT 1"
        ))
        .await;
    ((reportable, version), other)
}

#[tokio::test]
async fn each_role_sees_its_work_and_the_counts_are_the_lists() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let coordinator = app.login("fgj").await;
    let ((node, version), other) = haimen_nodes(&app).await;
    // The unit reports a node done and asks to move another.
    let (status, r) = editor.report_node(node, version, "2019-12-30", "已完成", ("现场.png", PNG)).await;
    assert_eq!(status, 200, "{r}");
    let (status, change) = editor
        .post(
            &format!("/api/v1/nodes/{other}/date-change"),
            json!({"new_planned_on": "2020-06-30", "reason_code": "land", "reason_text": "征迁未完成"}),
        )
        .await;
    assert_eq!(status, 201, "{change}");

    // The coordinator's queue: the close-out and the date change, each opening the node.
    let todo = consistent_todo(&coordinator).await;
    let project = app.scalar(&format!("SELECT project_id FROM nodes WHERE id = {node}")).await;
    // The close-out opens the node's page where it is decided, with its photo beside it.
    assert!(links(&todo, "close_outs").contains(&format!("/nodes/{node}#decide")), "{todo}");
    let photo = app.scalar(&format!("SELECT MIN(id) FROM evidence WHERE node_id = {node}")).await;
    let item = &section(&todo, "close_outs")["items"][0];
    assert_eq!(item["thumb"], format!("/evidence/{photo}"), "{item}");
    let (_, page) = coordinator.page("/todo").await;
    assert!(
        page.contains(&format!("<img src=\"/evidence/{photo}\"")),
        "the thumbnail on the page"
    );
    let (status, decide) = coordinator.page(&format!("/nodes/{node}")).await;
    assert!(status == 200 && decide.contains("id=\"decide\""), "the place where it is decided");
    let other_project = app.scalar(&format!("SELECT project_id FROM nodes WHERE id = {other}")).await;
    assert!(links(&todo, "date_changes").contains(&format!("/projects/{other_project}#node-{other}")));
    assert_eq!(
        section(&todo, "problems_to_assign")["count"].as_i64().unwrap(),
        app.scalar("SELECT COUNT(*) FROM problems WHERE status = 'raised'").await
    );
    assert_eq!(
        section(&todo, "problems_to_close")["count"].as_i64().unwrap(),
        app.scalar("SELECT COUNT(*) FROM problems WHERE status = 'resolved'").await
    );
    // November's monthly reports are past their deadline (6 December) on 31 December.
    let late = section(&todo, "late_reports");
    assert!(late["count"].as_i64().unwrap() > 0, "{late}");
    assert!(late["items"].as_array().unwrap().iter().all(|i| i["group"].is_string()));
    // The place where it is done exists: the anchors are on the project page.
    let (_, page) = coordinator.page(&format!("/projects/{project}")).await;
    assert!(page.contains(&format!("id=\"node-{node}\"")) && page.contains("id=\"report-form\""));

    // Sent back: the close-out returned, the date change refused; both on the unit's list.
    let v = app.scalar(&format!("SELECT version FROM nodes WHERE id = {node}")).await;
    let (status, r) = coordinator
        .post(
            &format!("/api/v1/nodes/{node}/verify"),
            json!({"version": v, "approve": false, "reason": "照片看不清"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let (status, r) = coordinator
        .post(
            &format!("/api/v1/date-changes/{}/decide", change["date_change"]["id"]),
            json!({"approve": false, "note": "理由不足"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let todo = consistent_todo(&editor).await;
    let back = section(&todo, "sent_back");
    assert_eq!(back["count"], 2, "{back}");
    let notes: Vec<&str> = back["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["note"].as_str().unwrap())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("照片看不清")) && notes.iter().any(|n| n.contains("理由不足")),
        "{notes:?}"
    );
    assert_eq!(
        section(&todo, "overdue")["count"].as_i64().unwrap(),
        app.scalar(
            "SELECT COUNT(*) FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.status = 'open' AND n.planned_on < '2019-12-31' \
             AND (p.unit_id IN (SELECT id FROM units WHERE name = '海门街道') OR n.responsible_unit_id IN (SELECT id FROM units WHERE name = '海门街道'))"
        )
        .await
    );
    assert_eq!(
        section(&todo, "problems_assigned")["count"].as_i64().unwrap(),
        app.scalar("SELECT COUNT(*) FROM problems WHERE status = 'assigned' AND unit_id IN (SELECT id FROM units WHERE name = '海门街道')")
            .await
    );
    let coordinator_todo = consistent_todo(&coordinator).await;
    assert_eq!(
        section(&coordinator_todo, "close_outs")["count"],
        0,
        "returned, no longer to verify"
    );

    // The leader (an account naming no 包干领导: the district's) sees the reds and yellows and
    // the problems escalated to the leaders (the daily escalation run, on the data date).
    let as_of = app.store.as_of().await.unwrap();
    app.store
        .escalate_problems(as_of, &app.store.escalation_ladder().await.unwrap())
        .await
        .unwrap();
    let leader = app.login("lingdao").await;
    let todo = consistent_todo(&leader).await;
    assert_eq!(
        section(&todo, "reds")["count"].as_i64().unwrap(),
        app.scalar("SELECT COUNT(*) FROM projects WHERE light = 'red'").await
    );
    assert_eq!(
        section(&todo, "yellows")["count"].as_i64().unwrap(),
        app.scalar("SELECT COUNT(*) FROM projects WHERE light = 'yellow'").await
    );
    let escalated = app
        .scalar("SELECT COUNT(*) FROM problems WHERE status <> 'closed' AND escalation_level >= 2")
        .await;
    assert!(escalated > 0);
    assert_eq!(section(&todo, "escalated")["count"].as_i64().unwrap(), escalated);
    // A leader's 批示: the unit's move first (to reply), then the leader's (to accept).
    let lingdao = app.login("lingdao").await;
    let (status, d) = lingdao
        .post(
            "/api/v1/instructions",
            json!({"kind": "directive", "project_id": project, "text": "请倒排工期"}),
        )
        .await;
    assert_eq!(status, 201, "{d}");
    let d = d["instruction"].clone();
    let link = format!("/instructions/{}", d["id"]);
    assert!(links(&consistent_todo(&editor).await, "instructions").contains(&link));
    assert!(
        !links(&consistent_todo(&lingdao).await, "instructions").contains(&link),
        "not the leader's move yet"
    );
    let (status, r) = editor
        .post(
            &format!("/api/v1/instructions/{}/reply", d["id"]),
            json!({"version": d["version"], "note": "已倒排，月底前完成"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert!(!links(&consistent_todo(&editor).await, "instructions").contains(&link), "replied");
    let theirs = consistent_todo(&lingdao).await;
    assert!(links(&theirs, "instructions").contains(&link), "{theirs}");
    // A viewer acts on nothing: no sections, and the page says so.
    let viewer = app.login("chakan").await;
    assert!(consistent_todo(&viewer).await["sections"].as_array().unwrap().is_empty());
    assert!(viewer.page("/todo").await.1.contains("您的角色没有需要办理的事项"));
}

#[tokio::test]
async fn a_unit_editor_never_sees_another_units_items() {
    let app = spawn_app().await;
    let haimen = app.login("haimen").await;
    let ((node, version), _) = haimen_nodes(&app).await;
    assert_eq!(
        haimen.report_node(node, version, "2019-12-30", "已完成", ("现场.png", PNG)).await.0,
        200
    );
    let v = app.scalar(&format!("SELECT version FROM nodes WHERE id = {node}")).await;
    let coordinator = app.login("fgj").await;
    let (status, _) = coordinator
        .post(
            &format!("/api/v1/nodes/{node}/verify"),
            json!({"version": v, "approve": false, "reason": "补充材料"}),
        )
        .await;
    assert_eq!(status, 200);
    // Another unit's editor, with its own work: none of 海门's.
    let other_unit = app
        .scalar("SELECT p.unit_id FROM projects p JOIN units u ON u.id = p.unit_id WHERE u.name <> '海门街道' AND u.parent_id IS NOT NULL GROUP BY p.unit_id ORDER BY COUNT(*) DESC LIMIT 1")
        .await;
    let attacker = app.create_editor("qita", &json!(other_unit)).await;
    let todo = consistent_todo(&attacker).await;
    let (_, html) = attacker.page("/todo").await;
    assert!(
        !html.contains(&format!("#node-{node}\"")),
        "海门's returned node is not on another unit's page"
    );
    assert!(!todo.to_string().contains(&format!("#node-{node}\"")), "nor in its JSON");
    // Every item the editors see is theirs: the API lets them read each one.
    for (who, s) in [("haimen", &haimen), ("qita", &attacker)] {
        let todo = consistent_todo(s).await;
        let mut checked = 0;
        for (kind, _, items) in sections(&todo) {
            for item in items {
                let link = item["link"].as_str().unwrap();
                let path = if let Some(n) = link.split("#node-").nth(1) {
                    format!("/api/v1/nodes/{n}")
                } else if let Some(p) = link.strip_prefix("/problems/") {
                    format!("/api/v1/problems/{p}")
                } else {
                    let p = link.trim_start_matches("/projects/").split('#').next().unwrap();
                    format!("/api/v1/projects/{p}")
                };
                let (status, body) = s.get(&path).await;
                assert_eq!(status, 200, "{who} {kind}: {path}: {body}");
                checked += 1;
            }
        }
        assert!(checked > 0, "{who} has work to check");
    }
    assert!(
        links(&consistent_todo(&haimen).await, "sent_back")
            .iter()
            .any(|l| l.ends_with(&format!("#node-{node}")))
    );
}

/// The badge's number on a page (`id="waiting"`).
fn badge(html: &str) -> i64 {
    html.split("id=\"waiting\"")
        .nth(1)
        .expect("the header's count")
        .split("class=\"badge")
        .nth(1)
        .unwrap()
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn the_badge_counts_what_waits_and_the_inbox_has_its_page() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    // A lights run with a stricter rule fills the inbox (one digest each).
    let admin = app.login("admin").await;
    let (_, rules) = admin.get("/api/v1/rules").await;
    let mut next = rules["current"].clone();
    next["version"] = json!(next["version"].as_u64().unwrap() + 1);
    for r in next["rules"].as_array_mut().unwrap() {
        if r["id"] == "node_due" {
            r["red_after_days_overdue"] = json!(0);
        }
    }
    assert_eq!(admin.put("/api/v1/rules", next).await.0, 200);
    let (_, todo) = coordinator.get("/api/v1/todo").await;
    let (_, w) = coordinator.get("/api/v1/todo/waiting").await;
    assert_eq!(w["todo"], todo["total"]);
    assert_eq!(w["unread"], 1, "{w}");
    let total = w["total"].as_i64().unwrap();
    assert_eq!(total, todo["total"].as_i64().unwrap() + 1);
    for path in ["/", "/projects", "/todo", "/problems?lang=en"] {
        let (_, html) = coordinator.page(path).await;
        assert_eq!(badge(&html), total, "{path}");
        assert!(html.contains("href=\"/todo\""), "{path}: 我的待办 in the navigation");
    }
    // Cheap: once counted, a page asks one query until something changes.
    let t = Instant::now();
    for _ in 0..20 {
        assert_eq!(coordinator.get("/api/v1/todo/waiting").await.0, 200);
    }
    let cached = t.elapsed() / 20;
    let t = Instant::now();
    coordinator.get("/api/v1/todo").await;
    let full = t.elapsed();
    eprintln!("badge: {cached:?} per request when counted, {full:?} for the whole to-do of the coordinator");

    // The notifications page: unread, marked one by one or all at once.
    let (status, html) = coordinator.page("/notifications").await;
    assert_eq!(status, 200);
    assert!(html.contains("亮灯日报") && html.contains("class=\"unread\"") && html.contains("id=\"read-all\""));
    let (_, english) = coordinator.page("/notifications?lang=en").await;
    assert!(english.contains("Mark all read"));
    let (_, inbox) = coordinator.get("/api/v1/notifications").await;
    let id = inbox["items"][0]["id"].as_i64().unwrap();
    assert!(html.contains(&format!("/api/v1/notifications/{id}/read")));
    assert_eq!(
        coordinator
            .send("POST", &format!("/api/v1/notifications/{id}/read"), None, true)
            .await
            .0,
        204
    );
    let (_, html) = coordinator.page("/notifications").await;
    assert!(html.contains(&format!("<li class=\"read\" id=\"n-{id}\"")), "{html}");
    assert_eq!(badge(&html), total - 1, "read: one less waiting");
    // Mark all: for one's own inbox only.
    let editor = app.login("haimen").await;
    let editor_unread = editor.get("/api/v1/notifications?unread=1").await.1["items"]
        .as_array()
        .unwrap()
        .len();
    app.execute(&format!(
        "UPDATE notifications SET read_at = NULL WHERE user_id = (SELECT id FROM users WHERE username = 'fgj')"
    ))
    .await;
    let (status, r) = coordinator
        .send("POST", "/api/v1/notifications/read-all", Some(json!({})), true)
        .await;
    assert_eq!((status, r["marked"].as_i64()), (200, Some(1)), "{r}");
    assert!(
        coordinator.get("/api/v1/notifications?unread=1").await.1["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        editor.get("/api/v1/notifications?unread=1").await.1["items"]
            .as_array()
            .unwrap()
            .len(),
        editor_unread,
        "another's inbox untouched"
    );
    let (_, html) = coordinator.page("/notifications?unread=1").await;
    assert!(html.contains("没有通知") && !html.contains("id=\"read-all\""));

    // A change through the app moves the count at once: a close-out to verify.
    let before = coordinator.get("/api/v1/todo/waiting").await.1["total"].as_i64().unwrap();
    let ((node, version), _) = haimen_nodes(&app).await;
    assert_eq!(
        editor.report_node(node, version, "2019-12-30", "已完成", ("现场.png", PNG)).await.0,
        200
    );
    let (_, html) = coordinator.page("/").await;
    assert_eq!(badge(&html), before + 1);
}

/// `zhantu job run reminders`, awaited (the test's robot stub answers meanwhile).
async fn reminders_job(app: &TestApp) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_zhantu"))
        .args(["job", "run", "reminders", "--database", &app.url])
        .output()
        .await
        .unwrap()
}

/// The reminder line of a node planned on `on`.
async fn node_line(app: &TestApp, id: i64, on: &str) -> String {
    let (name, project): (String, String) = sqlx::query_as(&format!(
        "SELECT n.name, p.name FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.id = {id}"
    ))
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    format!("节点“{name}”（{project}）计划{on}完成")
}

/// The reminder lines of a user's inbox.
async fn reminder_lines(s: &Session) -> Vec<String> {
    let (_, inbox) = s.get("/api/v1/notifications").await;
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "reminder")
        .flat_map(|n| n["body"].as_str().unwrap().lines().map(str::to_string).collect::<Vec<_>>())
        .collect()
}

#[tokio::test]
async fn reminders_go_out_once_three_working_days_ahead() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    // Two of 海门's open nodes, planned for Thursday 2 and Friday 3 January 2020.
    let ((first, _), second) = haimen_nodes(&app).await;
    app.execute(&format!("UPDATE nodes SET planned_on = '2020-01-02' WHERE id = {first}"))
        .await;
    app.execute(&format!("UPDATE nodes SET planned_on = '2020-01-03' WHERE id = {second}"))
        .await;
    let (first_line, second_line) = (
        node_line(&app, first, "2020-01-02").await,
        node_line(&app, second, "2020-01-03").await,
    );

    // Another unit's editor (neither 海门 nor responsible for those nodes) is not told of them.
    let other_unit = app
        .scalar(&format!(
            "SELECT id FROM units WHERE name <> '海门街道' AND parent_id IS NOT NULL \
             AND id NOT IN (SELECT responsible_unit_id FROM nodes WHERE id IN ({first}, {second})) ORDER BY id LIMIT 1"
        ))
        .await;
    let stranger = app.create_editor("qita", &json!(other_unit)).await;
    // Friday 27 December 2019: Monday 30, Tuesday 31 and (1 January a holiday) Thursday 2.
    app.execute("UPDATE settings SET value = '2019-12-27' WHERE key = 'as_of'").await;
    let (url, got) = crate::nodes::robot_stub().await;
    let admin = app.login("admin").await;
    assert_eq!(
        admin.put("/api/v1/settings/webhook", json!({"url": url, "kind": "wecom"})).await.0,
        200
    );
    let out = reminders_job(&app).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("临期提醒已执行") && stdout.contains("已推送"), "{stdout}");
    let lines = reminder_lines(&editor).await;
    assert!(lines.contains(&first_line), "{lines:?}");
    assert!(!lines.contains(&second_line), "four working days ahead: not yet: {lines:?}");
    let sent = got.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]["markdown"]["content"].as_str().unwrap().contains(&first_line),
        "{}",
        sent[0]
    );

    // Running again the same day sends nothing twice (inbox, robot).
    let inbox_before = app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'reminder'").await;
    let again = app.store.send_reminders().await.unwrap();
    assert_eq!((again.nodes, again.reports, again.notifications), (0, 0, 0), "{again:?}");
    let out = reminders_job(&app).await;
    assert!(out.status.success());
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM notifications WHERE kind = 'reminder'").await,
        inbox_before
    );
    assert_eq!(got.lock().unwrap().len(), 1, "nothing new, no robot message");

    // Monday 30 December: the Friday node is three working days ahead now; reminded once.
    app.execute("UPDATE settings SET value = '2019-12-30' WHERE key = 'as_of'").await;
    let run = app.store.send_reminders().await.unwrap();
    assert!(run.nodes >= 1, "{run:?}");
    let lines = reminder_lines(&editor).await;
    assert!(lines.contains(&second_line), "{lines:?}");
    assert_eq!(
        lines.iter().filter(|l| **l == first_line).count(),
        1,
        "the Thursday node once: {lines:?}"
    );
    let strangers = reminder_lines(&stranger).await;
    assert!(
        !strangers.contains(&first_line) && !strangers.contains(&second_line),
        "no reminder of another unit's work: {strangers:?}"
    );

    // A report's deadline: December's monthly report is due 8 January 2020; three working days
    // ahead is Friday 3 January, not Thursday 2. (The demo's units filed December already:
    // 海门's reports are taken back.)
    app.execute(
        "DELETE FROM progress_reports WHERE period_kind = 'month' AND period_start = '2019-12-01' \
         AND project_id IN (SELECT p.id FROM projects p JOIN units u ON u.id = p.unit_id WHERE u.name = '海门街道') \
         AND id NOT IN (SELECT report_id FROM problems WHERE report_id IS NOT NULL)",
    )
    .await;
    app.execute("UPDATE settings SET value = '2020-01-02' WHERE key = 'as_of'").await;
    assert_eq!(app.store.send_reminders().await.unwrap().reports, 0);
    app.execute("UPDATE settings SET value = '2020-01-03' WHERE key = 'as_of'").await;
    let run = app.store.send_reminders().await.unwrap();
    assert!(run.reports > 0, "{run:?}");
    assert!(
        reminder_lines(&editor)
            .await
            .iter()
            .any(|l| l.contains("月报") && l.contains("2020-01-08"))
    );
    assert_eq!(app.store.send_reminders().await.unwrap().reports, 0, "once");
}
