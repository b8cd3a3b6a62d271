//! 批示 and 督办单 end to end against the demo district: a leader's 批示 round the loop (issue →
//! the unit replies → sent back → replies again → accepted), a 督办单 on a red node (refused on
//! a green one), overdue 督办单 climbing the ladder, stale versions, the unit scope of a 海门街道
//! editor, what awaits each user, and the pages in both languages.

use crate::helpers::{Session, TestApp, id_version, spawn_app};
use crate::security::{Fixture, Fixtures};
use chrono::NaiveDate;
use serde_json::{Value, json};

async fn unit(app: &TestApp, name: &str) -> i64 {
    app.scalar(&format!("SELECT id FROM units WHERE name = '{name}'")).await
}

/// Sends a write as `s`; the status and the answer.
async fn send(s: &Session, path: &str, body: Value) -> (u16, Value) {
    s.send("POST", path, Some(body), true).await
}

/// Issues as `s`, expecting 201; the item.
async fn issue(s: &Session, body: Value) -> Value {
    let (status, r) = send(s, "/api/v1/instructions", body.clone()).await;
    assert_eq!(status, 201, "{body}: {r}");
    r["instruction"].clone()
}

/// A step as `s`, expecting 200; the item after it.
async fn step(s: &Session, item: &Value, step: &str, extra: Value) -> Value {
    let mut body = extra;
    body["version"] = item["version"].clone();
    let (status, r) = send(s, &format!("/api/v1/instructions/{}/{step}", item["id"]), body).await;
    assert_eq!(status, 200, "{step}: {r}");
    r["instruction"].clone()
}

/// The user's inbox items of `kind`.
async fn inbox(s: &Session, kind: &str) -> Vec<Value> {
    let (_, n) = s.get("/api/v1/notifications").await;
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == kind)
        .cloned()
        .collect()
}

/// A project of the 海门街道 editor's own unit.
async fn haimen_project(haimen: &Session) -> i64 {
    let (_, mine) = haimen.get("/api/v1/projects?limit=1").await;
    mine["items"][0]["id"].as_i64().unwrap()
}

/// A project of another unit than 海门街道 (none of its units' scope).
async fn other_project(app: &TestApp) -> i64 {
    let haimen = unit(app, "海门街道").await;
    app.scalar(&format!(
        "SELECT MIN(id) FROM projects WHERE unit_id <> {haimen} AND unit_id NOT IN (SELECT id FROM units WHERE parent_id = {haimen})"
    ))
    .await
}

#[tokio::test]
async fn a_leaders_directive_goes_round_the_loop_and_into_the_projects_history() {
    let app = spawn_app().await;
    let lingdao = app.login("lingdao").await;
    let haimen = app.login("haimen").await;
    let pid = haimen_project(&haimen).await;
    let before = inbox(&haimen, "instruction").await.len();
    let d = issue(
        &lingdao,
        json!({"kind": "directive", "project_id": pid, "text": "请倒排工期，月底前完成施工图审查"}),
    )
    .await;
    assert_eq!(
        (d["kind"].as_str(), d["state"].as_str()),
        (Some("directive"), Some("awaiting_reply"))
    );
    assert_eq!(d["unit"]["name"], "海门街道", "the project's unit answers");
    // Default: 5 working days after the data day (Tuesday 2019-12-31; 2020-01-01 is a holiday).
    assert_eq!(d["deadline"], "2020-01-08");
    assert_eq!(inbox(&haimen, "instruction").await.len(), before + 1, "the unit is told");
    let (_, waiting) = haimen.get("/api/v1/instructions/awaiting").await;
    assert!(waiting["items"].as_array().unwrap().iter().any(|i| i["id"] == d["id"]), "{waiting}");

    // The issuer cannot accept before a reply; the unit cannot reply without text.
    let (status, e) = send(
        &lingdao,
        &format!("/api/v1/instructions/{}/accept", d["id"]),
        json!({"version": d["version"]}),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("instruction_step_not_allowed")),
        "{e}"
    );
    let (status, e) = send(
        &haimen,
        &format!("/api/v1/instructions/{}/reply", d["id"]),
        json!({"version": d["version"], "note": " "}),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("instruction_reply_empty")), "{e}");

    let d = step(&haimen, &d, "reply", json!({"note": "已召集设计单位，施工图12月25日送审"})).await;
    assert_eq!(d["state"], "replied");
    assert!(
        inbox(&lingdao, "instruction")
            .await
            .iter()
            .any(|n| n["title"].as_str().unwrap().contains("已回复"))
    );
    let (_, waiting) = lingdao.get("/api/v1/instructions/awaiting").await;
    assert!(
        waiting["items"].as_array().unwrap().iter().any(|i| i["id"] == d["id"]),
        "the issuer decides"
    );

    // A stale version is refused and names who changed the item.
    let (status, e) = send(
        &lingdao,
        &format!("/api/v1/instructions/{}/accept", d["id"]),
        json!({"version": d["version"].as_i64().unwrap() - 1}),
    )
    .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("stale_version")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("haimen"), "{e}");

    // Sent back with a reason (required), then answered again, then accepted.
    let (status, e) = send(
        &lingdao,
        &format!("/api/v1/instructions/{}/return", d["id"]),
        json!({"version": d["version"]}),
    )
    .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("instruction_return_reason_missing")),
        "{e}"
    );
    let d = step(&lingdao, &d, "return", json!({"note": "请明确审查完成时间"})).await;
    assert_eq!(d["state"], "returned");
    let d = step(&haimen, &d, "reply", json!({"note": "审查1月5日完成"})).await;
    // A further reply while the issuer has not decided.
    let d = step(&haimen, &d, "reply", json!({"note": "补充：消防审查同步进行"})).await;
    // Through the page's form, as the leader would.
    let html = lingdao
        .post_form_accepted(
            &format!("/instructions/{}/act", d["id"]),
            &json!({"step": "accept", "version": d["version"].to_string(), "note": "同意"}),
        )
        .await;
    assert!(!html.contains("无权"), "{html}");
    let (_, d) = lingdao.get(&format!("/api/v1/instructions/{}", d["id"])).await;
    let d = &d["instruction"];
    assert_eq!(d["state"], "closed");
    let kinds: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["issue", "reply", "return", "reply", "reply", "accept"]);
    assert!(
        inbox(&haimen, "instruction")
            .await
            .iter()
            .any(|n| n["title"].as_str().unwrap().contains("已办结"))
    );

    // On the project page (both sides), with its replies, and in the project's history.
    for s in [&lingdao, &haimen] {
        let (status, html) = s.page(&format!("/projects/{pid}")).await;
        assert_eq!(status, 200);
        for text in [
            "请倒排工期，月底前完成施工图审查",
            "审查1月5日完成",
            "补充：消防审查同步进行",
            "请明确审查完成时间",
        ] {
            assert!(html.contains(text), "{text}");
        }
        for action in ["instruction.issue", "instruction.reply", "instruction.return", "instruction.accept"] {
            assert!(
                html.contains(&format!("data-code=\"{action}\"")),
                "{action} in the project's history"
            );
        }
        assert!(html.contains("办结批示或督办单"), "the history says it in words");
    }
    // Nothing left waiting.
    for s in [&lingdao, &haimen] {
        let (_, waiting) = s.get("/api/v1/instructions/awaiting").await;
        assert!(!waiting["items"].as_array().unwrap().iter().any(|i| i["id"] == d["id"]));
    }
}

#[tokio::test]
async fn a_supervision_order_only_on_what_is_red_and_overdue_ones_escalate() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let haimen_unit = unit(&app, "海门街道").await;
    let red_node = app
        .scalar(&format!(
            "SELECT COALESCE(MIN(id), (SELECT MIN(id) FROM nodes WHERE light = 'red')) FROM nodes WHERE light = 'red' AND responsible_unit_id = {haimen_unit}"
        ))
        .await;
    let green_node = app.scalar("SELECT MIN(id) FROM nodes WHERE light = 'green'").await;
    let project_of = |n: i64| format!("SELECT project_id FROM nodes WHERE id = {n}");
    let (red_project, green_project) = (app.scalar(&project_of(red_node)).await, app.scalar(&project_of(green_node)).await);
    let not_red_project = app.scalar("SELECT MIN(id) FROM projects WHERE light <> 'red'").await;
    let before = app.audit_count().await;
    for (body, what) in [
        (
            json!({"kind": "order", "project_id": green_project, "node_id": green_node, "text": "督办"}),
            "节点",
        ),
        (json!({"kind": "order", "project_id": not_red_project, "text": "督办"}), "项目"),
    ] {
        let (status, e) = send(&fgj, "/api/v1/instructions", body).await;
        assert_eq!((status, e["error"]["code"].as_str()), (400, Some("order_target_not_red")), "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains(what), "{e}");
    }
    // A node of another project is refused too.
    if red_project != green_project {
        let (status, e) = send(
            &fgj,
            "/api/v1/instructions",
            json!({"kind": "order", "project_id": green_project, "node_id": red_node, "text": "督办"}),
        )
        .await;
        assert_eq!((status, e["error"]["code"].as_str()), (400, Some("node_not_in_project")), "{e}");
    }
    assert_eq!(app.audit_count().await, before, "nothing written");

    let order = issue(
        &fgj,
        json!({"kind": "order", "project_id": red_project, "node_id": red_node, "text": "限期整改，逾期提级督办", "deadline": "2020-01-02"}),
    )
    .await;
    let responsible = app
        .scalar(&format!("SELECT responsible_unit_id FROM nodes WHERE id = {red_node}"))
        .await;
    assert_eq!(
        order["unit"]["id"].as_i64(),
        Some(responsible),
        "the node's responsible unit answers"
    );
    assert_eq!(order["node"]["id"].as_i64(), Some(red_node));
    // A 批示 with the same deadline does not climb the ladder.
    let directive = issue(
        &fgj,
        json!({"kind": "directive", "project_id": red_project, "text": "请加快推进", "deadline": "2020-01-02"}),
    )
    .await;
    let (_, overdue) = app.get("/api/v1/instructions?overdue=1&state=open").await;
    assert_eq!(overdue["total"], 0, "not yet due on the data day");

    let ladder = app.store.escalation_ladder().await.unwrap();
    let cal = app.store.calendar().await.unwrap();
    let due = NaiveDate::from_ymd_opt(2020, 1, 2).unwrap();
    let mut seen = Vec::new();
    for (m, d) in [(1, 3), (1, 9), (1, 16), (1, 23)] {
        let today = NaiveDate::from_ymd_opt(2020, m, d).unwrap();
        let run = app.store.escalate_instructions(today, &ladder).await.unwrap();
        let again = app.store.escalate_instructions(today, &ladder).await.unwrap();
        assert!(again.escalated.is_empty() && again.notifications == 0, "idempotent on the day");
        assert_eq!(run.overdue, 1, "the order only");
        let level = app
            .scalar(&format!("SELECT escalation_level FROM instructions WHERE id = {}", order["id"]))
            .await;
        assert_eq!(level, ladder.level(&cal, due, today) as i64);
        seen.push(level);
    }
    assert_eq!(seen, [0, 1, 2, 3], "5, 10, 15 working days late, like problems");
    let directive_level = app
        .scalar(&format!("SELECT escalation_level FROM instructions WHERE id = {}", directive["id"]))
        .await;
    assert_eq!(directive_level, 0);
    let (_, d) = app.get(&format!("/api/v1/instructions/{}", order["id"])).await;
    let escalations = d["instruction"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "escalate")
        .count();
    assert_eq!(escalations, 3);
    assert!(!inbox(&fgj, "escalation").await.is_empty(), "the district is told at level 3");
    if responsible == haimen_unit {
        let haimen = app.login("haimen").await;
        assert!(
            inbox(&haimen, "escalation")
                .await
                .iter()
                .any(|n| n["title"].as_str().unwrap().contains("督办单"))
        );
    }
    // The job run from the command line runs the orders too.
    let out = app.zhantu(&["job", "run", "escalate", "--today", "2020-03-02"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text} {}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("督办单升级已执行（日期 2020-03-02）"), "{text}");
    // The list filters by kind and unit.
    let (_, orders) = app.get(&format!("/api/v1/instructions?kind=order&unit={responsible}")).await;
    assert_eq!(orders["total"], 1);
    let (status, _) = app.get("/api/v1/instructions?kind=memo").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_unit_editor_answers_only_for_its_unit_and_issues_nothing() {
    let app = spawn_app().await;
    let lingdao = app.login("lingdao").await;
    let haimen = app.login("haimen").await;
    let chakan = app.login("chakan").await;
    let fgj = app.login("fgj").await;
    let other = other_project(&app).await;
    let theirs = issue(
        &lingdao,
        json!({"kind": "directive", "project_id": other, "text": "其他单位的批示事项"}),
    )
    .await;
    let id = theirs["id"].as_i64().unwrap();
    let before = app.audit_count().await;
    // Not readable: API, page, list.
    let (status, _) = haimen.get(&format!("/api/v1/instructions/{id}")).await;
    assert_eq!(status, 403);
    let (status, html) = haimen.page(&format!("/instructions/{id}")).await;
    assert_eq!(status, 403, "{html}");
    let (_, list) = haimen.get("/api/v1/instructions?limit=500").await;
    assert!(!list["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    let (_, html) = haimen.page("/instructions").await;
    assert!(!html.contains("其他单位的批示事项"));
    let (_, waiting) = haimen.get("/api/v1/instructions/awaiting").await;
    assert!(!waiting["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    // Not answerable, not decidable.
    for (path, body) in [
        ("reply", json!({"version": theirs["version"], "note": "越权回复"})),
        ("accept", json!({"version": theirs["version"]})),
        ("return", json!({"version": theirs["version"], "note": "x"})),
    ] {
        let (status, e) = send(&haimen, &format!("/api/v1/instructions/{id}/{path}"), body).await;
        assert_eq!(status, 403, "{path}: {e}");
    }
    let (status, html) = haimen
        .post_form(
            &format!("/instructions/{id}/act"),
            &json!({"step": "reply", "version": theirs["version"].to_string(), "note": "x"}),
            true,
        )
        .await;
    assert_eq!(status, 403, "{html}");
    // No issuing, not even on its own project; the viewer neither.
    let mine = haimen_project(&haimen).await;
    for s in [&haimen, &chakan] {
        for kind in ["directive", "order"] {
            let (status, e) = send(
                s,
                "/api/v1/instructions",
                json!({"kind": kind, "project_id": mine, "text": "自己批示"}),
            )
            .await;
            assert_eq!(status, 403, "{kind}: {e}");
            assert!(e["error"]["message"].as_str().unwrap().contains("无权"), "{e}");
        }
    }
    let (status, _) = haimen
        .post_form(
            "/instructions",
            &json!({"kind": "directive", "project_id": mine.to_string(), "text": "自己批示"}),
            true,
        )
        .await;
    assert_eq!(status, 403);
    assert_eq!(app.audit_count().await, before, "nothing written");

    // Its own unit's item: the editor answers; the viewer reads but cannot; the coordinator
    // does not answer for the unit but may decide on the leader's behalf.
    let ours = issue(
        &lingdao,
        json!({"kind": "directive", "project_id": mine, "text": "本单位的批示事项"}),
    )
    .await;
    let (status, _) = chakan.get(&format!("/api/v1/instructions/{}", ours["id"])).await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &chakan,
        &format!("/api/v1/instructions/{}/reply", ours["id"]),
        json!({"version": ours["version"], "note": "x"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(
        &fgj,
        &format!("/api/v1/instructions/{}/reply", ours["id"]),
        json!({"version": ours["version"], "note": "x"}),
    )
    .await;
    assert_eq!(status, 403);
    let ours = step(&haimen, &ours, "reply", json!({"note": "已落实"})).await;
    let (status, _) = send(
        &haimen,
        &format!("/api/v1/instructions/{}/accept", ours["id"]),
        json!({"version": ours["version"]}),
    )
    .await;
    assert_eq!(status, 403, "the unit does not close its own item");
    let ours = step(&fgj, &ours, "accept", json!({})).await;
    assert_eq!(ours["state"], "closed");
    let (_, html) = haimen.page("/instructions").await;
    assert!(html.contains("本单位的批示事项") && !html.contains("其他单位的批示事项"));
}

/// Posts the issuing form as `s`; where the answer sends the browser.
async fn form_location(s: &Session, fields: &[(&str, &str)]) -> String {
    let mut form = fields.to_vec();
    form.push(("csrf_token", &s.csrf));
    let resp = crate::helpers::no_redirects()
        .post(format!("{}/instructions", s.base))
        .header("cookie", &s.cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 303);
    resp.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn the_pages_in_both_languages_and_on_a_phone() {
    let app = spawn_app().await;
    let lingdao = app.login("lingdao").await;
    let haimen = app.login("haimen").await;
    let pid = haimen_project(&haimen).await;
    // Issued through the project page's form: on to the new item.
    let pid_text = pid.to_string();
    let to = form_location(
        &lingdao,
        &[
            ("kind", "directive"),
            ("project_id", &pid_text),
            ("text", "表单签发的批示"),
            ("deadline", ""),
        ],
    )
    .await;
    assert!(to.starts_with("/instructions/") && to.contains("ok=issued"), "{to}");
    let item = to.split('?').next().unwrap().to_string();
    // A refusal goes back to the project with its reason.
    let to = form_location(&lingdao, &[("kind", "directive"), ("project_id", &pid_text), ("text", " ")]).await;
    assert!(to.starts_with(&format!("/projects/{pid}?error=")), "{to}");
    for (s, pages) in [
        (
            &lingdao,
            vec![
                "/instructions".to_string(),
                item.clone(),
                format!("/projects/{pid}"),
                "/instructions?state=open&kind=directive&overdue=1".into(),
            ],
        ),
        (&haimen, vec!["/instructions".to_string(), item.clone(), format!("/projects/{pid}")]),
    ] {
        for p in &pages {
            for lang in ["zh-CN", "en"] {
                let path = format!("{p}{}lang={lang}", if p.contains('?') { '&' } else { '?' });
                let (status, html) = s.page(&path).await;
                assert_eq!(status, 200, "{path}: {html}");
                assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
                assert!(!html.contains("instructions."), "{path}: a key without its text");
                assert!(!html.contains(" style=\"") && !html.contains("<script>"), "{path}: inline code");
                // On a phone the items are cards: no table of theirs to scroll sideways.
                let section = html.split("id=\"instructions\"").nth(1).unwrap_or(&html);
                if p.starts_with("/instructions/") {
                    assert!(!section.contains("<table"), "{path}: a card, not a table");
                }
                assert_eq!(
                    html.matches("<table").count(),
                    html.matches("<div class=\"table-wrap\"><table").count(),
                    "{path}: every table scrolls inside its frame on a phone"
                );
            }
        }
    }
    let (_, html) = lingdao.page(&format!("/projects/{pid}")).await;
    assert!(
        html.contains("表单签发的批示") && html.contains("action=\"/instructions\""),
        "the issuing form"
    );
    let (_, html) = haimen.page(&format!("{item}?lang=en")).await;
    assert!(html.contains("Send reply") && html.contains("name=\"note\""), "the reply form");
    let (_, html) = haimen.page(&format!("/projects/{pid}")).await;
    assert!(!html.contains("action=\"/instructions\""), "no issuing form for a unit editor");
}

/// The write routes of 批示 and 督办单, for the access walk: items of another unit than 海门街道.
pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let lingdao = app.login("lingdao").await;
    let other = other_project(app).await;
    let item = issue(&lingdao, json!({"kind": "directive", "project_id": other, "text": "夹具批示"})).await;
    let (id, version) = id_version(&item);
    let replied = issue(
        &lingdao,
        json!({"kind": "directive", "project_id": other, "text": "夹具批示（已回复）"}),
    )
    .await;
    let admin = app.login("admin").await;
    let replied = step(&admin, &replied, "reply", json!({"note": "夹具回复"})).await;
    let (rid, rversion) = id_version(&replied);
    vec![
        (
            ("POST", "/api/v1/instructions"),
            Fixture::json(
                "/api/v1/instructions",
                json!({"kind": "directive", "project_id": other, "text": "越权批示"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/instructions/{id}/reply"),
            Fixture::versioned(
                format!("/api/v1/instructions/{id}/reply"),
                json!({"version": version, "note": "越权回复"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/instructions/{id}/accept"),
            Fixture::versioned(format!("/api/v1/instructions/{rid}/accept"), json!({"version": rversion}), true),
        ),
        (
            ("POST", "/api/v1/instructions/{id}/return"),
            Fixture::versioned(
                format!("/api/v1/instructions/{rid}/return"),
                json!({"version": rversion, "note": "退回"}),
                true,
            ),
        ),
        (
            ("POST", "/instructions"),
            Fixture::form(
                "/instructions",
                json!({"kind": "directive", "project_id": other.to_string(), "text": "越权批示"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/instructions/{id}/act"),
            Fixture::versioned_form(
                format!("/instructions/{id}/act"),
                json!({"step": "reply", "version": version.to_string(), "note": "越权回复"}),
                true,
            ),
        ),
    ]
}
