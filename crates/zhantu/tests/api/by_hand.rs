//! Projects and nodes entered by hand, and the past recorded as it was (issue 15, items 3 and
//! 5): a project created through the API and the page's form with its nodes from the type's
//! template; its plan shaped freely while a draft and with reasons after the baseline; its
//! stage history with dates and reasons, counted by the landing rate; its categories and
//! annual plan per year, seen by the figures; a past groundbreaking batch's gate judged as of
//! its date, and a coordinator's override with its reason.

use crate::helpers::{Session, TestApp, find_by, spawn_app};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// The 海门街道 editor's unit, another street's unit, a district leader, a person who is no
/// leader, and the 5亿元以上产业项目 category (it counts landing).
struct Ids {
    mine: i64,
    other: i64,
    leader: i64,
    not_leader: i64,
    over_500m: i64,
}

async fn ids(app: &TestApp) -> Ids {
    let me = app.store.user_by_username("haimen").await.unwrap().unwrap();
    Ids {
        mine: me.unit_id,
        other: app.scalar("SELECT id FROM units WHERE name = '白云街道'").await,
        leader: app.scalar("SELECT MIN(id) FROM people WHERE is_leader = 1").await,
        not_leader: app
            .scalar(&format!(
                "SELECT MIN(id) FROM people WHERE is_leader = 0 AND unit_id = {}",
                me.unit_id
            ))
            .await,
        over_500m: app.scalar("SELECT id FROM categories WHERE code = 'over_500m'").await,
    }
}

/// A new industrial project of `unit` in 谋划 since 2019-11-15.
fn new_project(name: &str, unit: i64, leader: i64) -> Value {
    json!({
        "name": name, "unit_id": unit, "leader_id": leader, "project_type": "工业项目",
        "stage": "谋划", "stage_on": "2019-11-15", "total_investment": "125000.5",
        "planned_year": 2020, "planned_start_on": "2020-06-30", "industry_code": "3411",
        "division_code": "331002001", "location": "海门街道东海大道", "land_area": "85.5",
        "investor": "台州某某科技有限公司", "foreign": false, "description": "年产10万台智能装备",
    })
}

/// Creates a project through the API as `who`: its JSON.
async fn create(who: &Session, body: Value) -> Value {
    let (status, p) = who.post("/api/v1/projects", body).await;
    assert_eq!(status, 201, "{p}");
    p
}

async fn project(app: &TestApp, id: &Value) -> Value {
    let (status, p) = app.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(status, 200, "{p}");
    p
}

fn node_ids(p: &Value) -> Vec<i64> {
    arr(&p["nodes"]).iter().map(|n| n["id"].as_i64().unwrap()).collect()
}

fn error_code(e: &Value) -> &str {
    e["error"]["code"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_project_is_created_by_api_with_its_nodes_from_the_template() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let editor = app.login("haimen").await;
    let before = app.audit_count().await;
    let p = create(&editor, new_project("台州湾智能装备产业园", ids.mine, ids.leader)).await;
    assert_eq!(app.audit_count().await, before + 1, "one write, one audit entry");
    assert_eq!(p["name"], "台州湾智能装备产业园");
    assert_eq!(p["project_type"], "industrial", "the type's Chinese name is accepted");
    assert_eq!(p["total_investment_wan"].to_string(), "125000.5", "money is exact");
    assert_eq!(
        (p["unit"]["id"].as_i64(), p["leader"]["id"].as_i64()),
        (Some(ids.mine), Some(ids.leader))
    );
    assert_eq!((p["stage"].as_str(), p["baseline"].as_str()), (Some("planning"), Some("draft")));
    assert_eq!(p["land_area_mu"], "85.5");
    let nodes = arr(&p["nodes"]);
    let (_, template) = (
        0,
        app.scalar("SELECT COUNT(*) FROM node_templates WHERE project_type = 'industrial'")
            .await,
    );
    assert_eq!(nodes.len() as i64, template, "the template's nodes");
    assert_eq!(nodes[0]["planned_on"], "2019-11-15", "the first on the stage's date");
    assert!(nodes.iter().all(|n| n["planned_on"] == n["baseline_on"]));
    let own = nodes
        .iter()
        .filter(|n| n["responsible_unit"]["id"].as_i64() == Some(ids.mine))
        .count();
    assert!(
        own >= 2 && own < nodes.len(),
        "the project's unit by default, departments where the template says"
    );
    assert_eq!(arr(&p["stage_history"]).len(), 1);
    assert_eq!(p["stage_history"][0]["on"], "2019-11-15");
    let (_, history) = app.get(&format!("/api/v1/projects/{}/history", p["id"])).await;
    assert_eq!(history["items"][0]["action"], "project.create");
    assert_eq!(history["items"][0]["actor"], "haimen");
    // Found by the registry's search.
    let (_, found) = app.get("/api/v1/projects?q=智能装备产业园").await;
    assert_eq!(found["total"], 1);

    // Every bad field at once, the store's (a type, a leader) with the domain's.
    let bad = json!({
        "name": " ", "unit_id": ids.mine, "leader_id": ids.not_leader, "project_type": "不存在的类型",
        "stage": "开工", "stage_on": "2020-03-01", "total_investment": "-1", "planned_year": "19",
        "industry_code": "9999", "code": "2019-3310", "land_area": "很多",
    });
    let before = app.audit_count().await;
    let (status, e) = editor.post("/api/v1/projects", bad).await;
    assert_eq!((status, error_code(&e)), (400, "invalid_fields"), "{e}");
    let fields: Vec<&str> = arr(&e["error"]["fields"]).iter().map(|f| f["field"].as_str().unwrap()).collect();
    for f in [
        "name",
        "leader_id",
        "project_type",
        "stage_on",
        "total_investment",
        "planned_year",
        "industry_code",
        "code",
        "land_area",
    ] {
        assert!(fields.contains(&f), "{f} not reported: {e}");
    }
    assert_eq!(find_by(&e["error"]["fields"], "field", "stage_on")["code"], "stage_date_future");
    assert_eq!(find_by(&e["error"]["fields"], "field", "leader_id")["code"], "person_not_leader");
    assert!(e["error"]["message"].as_str().unwrap().contains("项目名称"), "{e}");
    // A code or external id already taken.
    let mut again = new_project("另一个项目", ids.mine, ids.leader);
    again["external_id"] = json!("XM-0001");
    create(&editor, again.clone()).await;
    let (status, e) = editor.post("/api/v1/projects", again).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["error"]["fields"][0]["code"], "external_id_taken", "{e}");
    assert_eq!(app.audit_count().await, before + 1, "refused requests write nothing");

    // A unit's editor creates projects for its own units only; a viewer none.
    let (status, e) = editor
        .post("/api/v1/projects", new_project("别的街道的项目", ids.other, ids.leader))
        .await;
    assert_eq!((status, error_code(&e)), (403, "out_of_scope"), "{e}");
    let viewer = app.login("chakan").await;
    let (status, e) = viewer
        .post("/api/v1/projects", new_project("查看人员的项目", ids.mine, ids.leader))
        .await;
    assert_eq!(status, 403, "{e}");
    let (status, e) = viewer.post("/api/v1/projects", json!({"name": "没有单位"})).await;
    assert_eq!(status, 403, "{e}");
    // The coordinators create for any unit.
    let fgj = app.login("fgj").await;
    let theirs = create(&fgj, new_project("白云街道新项目", ids.other, ids.leader)).await;
    assert_eq!(theirs["unit"]["id"].as_i64(), Some(ids.other));
}

#[tokio::test]
async fn a_project_is_created_by_the_page_form() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let editor = app.login("haimen").await;
    let (_, registry) = editor.page("/projects").await;
    assert!(registry.contains("href=\"/projects/new\""), "the registry links the form");
    let (_, registry) = app.login("chakan").await.page("/projects").await;
    assert!(!registry.contains("href=\"/projects/new\""), "not for a viewer");
    assert_eq!(app.login("chakan").await.page("/projects/new").await.0, 403);

    for lang in ["", "?lang=en"] {
        let (status, html) = editor.page(&format!("/projects/new{lang}")).await;
        assert_eq!(status, 200, "{html}");
        assert!(html.contains("name=\"unit_id\"") && html.contains("name=\"stage_on\""));
        assert!(
            html.contains("海门街道") && !html.contains("白云街道"),
            "units in the editor's scope only"
        );
        assert!(
            html.contains(if lang.is_empty() { "工业项目" } else { "Industrial" }),
            "types by name"
        );
        assert!(html.contains(if lang.is_empty() { "新建项目" } else { "New project" }));
    }
    let form = |name: &str, total: &str| {
        json!({
            "name": name, "unit_id": ids.mine.to_string(), "leader_id": ids.leader.to_string(),
            "project_type": "industrial", "stage": "signed", "stage_on": "2019-10-08",
            "total_investment": total, "planned_year": "2019", "foreign": "否",
        })
    };
    // Refused: the form comes back with what was typed and every reason.
    let mut bad = form("表单新建项目", "很多钱");
    bad["planned_year"] = json!("明年");
    let (status, html) = editor.post_form("/projects/new", &bad, true).await;
    assert_eq!(status, 400, "{html}");
    assert!(
        html.contains("new-project-errors") && html.contains("金额") && html.contains("年份"),
        "{html}"
    );
    assert!(html.contains("value=\"表单新建项目\""), "what was typed is kept");
    assert!(html.contains("aria-invalid=\"true\""));
    // Made: on to its page.
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/projects/new", app.base))
        .header("cookie", &editor.cookie)
        .form(&{
            let mut f: Vec<(String, String)> = form("表单新建项目", "8800")
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            f.push(("csrf_token".into(), editor.csrf.clone()));
            f
        })
        .send()
        .await
        .unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 303);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/projects/") && to.contains("ok=created"), "{to}");
    let id = to.trim_start_matches("/projects/").split('?').next().unwrap().to_string();
    let p = project(&app, &json!(id.parse::<i64>().unwrap())).await;
    assert_eq!((p["stage"].as_str(), p["unit"]["id"].as_i64()), (Some("signed"), Some(ids.mine)));
    assert!(!arr(&p["nodes"]).is_empty());
    for lang in ["", "&lang=en"] {
        let (status, html) = editor.page(&format!("{to}{lang}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"plan-state\"") && html.contains("id=\"stage-form\"") && html.contains("id=\"year-form\""));
        assert!(
            html.contains(if lang.is_empty() { "项目已创建" } else { "Project created" }),
            "the flash"
        );
        assert!(html.contains("data-method=\"DELETE\""), "nodes of a draft can be removed");
        assert!(!html.contains("name=\"category_ids\""), "categories are the coordinators'");
    }
    let fgj = app.login("fgj").await;
    let (_, html) = fgj.page(&to).await;
    assert!(html.contains("name=\"category_ids\"") && html.contains("/baseline\""), "{html}");
    assert!(html.contains(&format!("/api/v1/projects/{id}/years/2019\"")), "the data day's year");
    // Another year's form ticks that year's categories, so saving never copies one year onto another.
    let category = app.scalar("SELECT MIN(id) FROM categories").await;
    let (status, r) = fgj
        .put(
            &format!("/api/v1/projects/{id}/years/2020"),
            json!({"version": p["version"], "category_ids": [category]}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let checked = format!("value=\"{category}\" data-type=\"ids\" checked");
    let (_, html) = fgj.page(&format!("/projects/{id}?year=2020")).await;
    assert!(html.contains("/years/2020\"") && html.contains(&checked), "{html}");
    let (_, html) = fgj.page(&format!("/projects/{id}")).await;
    assert!(!html.contains(&checked), "not in 2019");
}

#[tokio::test]
async fn nodes_are_shaped_freely_before_the_baseline_and_with_reasons_after() {
    let app = spawn_app().await;
    let ids = ids(&app).await;
    let editor = app.login("haimen").await;
    let fgj = app.login("fgj").await;
    let p = create(&editor, new_project("节点调整项目", ids.mine, ids.leader)).await;
    let pid = p["id"].as_i64().unwrap();
    let first = node_ids(&p);
    let nodes = format!("/api/v1/projects/{pid}/nodes");
    let version = |p: &Value| p["version"].as_i64().unwrap();

    // A draft: add at the end (the project's unit by default) and after the first node.
    let (status, r) = editor
        .post(
            &nodes,
            json!({"version": version(&p), "name": "环评批复", "planned_on": "2020-01-20"}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    assert_eq!(r["node"]["responsible_unit_id"].as_i64(), Some(ids.mine));
    let last = r["node"]["id"].as_i64().unwrap();
    let (status, e) = editor
        .post(
            &nodes,
            json!({"version": version(&p), "name": "又一个", "planned_on": "2020-01-20"}),
        )
        .await;
    assert_eq!((status, error_code(&e)), (409, "stale_version"), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("haimen"), "{e}");
    let p = project(&app, &json!(pid)).await;
    let (status, r) = editor
        .post(
            &nodes,
            json!({"version": version(&p), "name": "能评批复", "planned_on": "2019-11-20", "after_node_id": first[0], "responsible_unit_id": ids.mine}),
        )
        .await;
    assert_eq!(status, 201, "{r}");
    let second = r["node"]["id"].as_i64().unwrap();
    let p = project(&app, &json!(pid)).await;
    let order = node_ids(&p);
    assert_eq!((order[0], order[1], *order.last().unwrap()), (first[0], second, last));
    assert_eq!(
        arr(&p["nodes"]).iter().map(|n| n["seq"].as_i64().unwrap()).collect::<Vec<_>>(),
        (1..=order.len() as i64).collect::<Vec<_>>()
    );
    // The chain of dependencies follows: the new second node waits for the first.
    let waits = app
        .scalar(&format!("SELECT depends_on_id FROM node_dependencies WHERE node_id = {second}"))
        .await;
    assert_eq!(waits, first[0]);
    // Edit the name and the planned date directly (a draft), then remove it.
    let n = find_by(&p["nodes"], "id", second);
    let (status, r) = editor
        .patch(
            &format!("/api/v1/nodes/{second}"),
            json!({"version": n["version"], "name": "节能审查", "planned_on": "2019-11-25"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["node"]["planned_on"].as_str(), r["node"]["baseline_on"].as_str()),
        (Some("2019-11-25"), Some("2019-11-25"))
    );
    let nv = r["node"]["version"].as_i64().unwrap();
    let (status, e) = editor
        .send("DELETE", &format!("/api/v1/nodes/{second}"), Some(json!({"version": nv - 1})), true)
        .await;
    assert_eq!((status, error_code(&e)), (409, "stale_version"), "{e}");
    let (status, r) = editor
        .send("DELETE", &format!("/api/v1/nodes/{second}"), Some(json!({"version": nv})), true)
        .await;
    assert_eq!(status, 200, "{r}");
    let p = project(&app, &json!(pid)).await;
    assert_eq!(node_ids(&p).len(), first.len() + 1);
    let waits = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM node_dependencies WHERE node_id = {} AND depends_on_id = {}",
            first[1], first[0]
        ))
        .await;
    assert_eq!(waits, 1, "what waited for the removed node waits for what it waited for");
    // Reorder: the last node first.
    let mut order = node_ids(&p);
    order.rotate_right(1);
    let (status, r) = editor
        .post(&format!("{nodes}/order"), json!({"version": version(&p), "node_ids": order}))
        .await;
    assert_eq!(status, 200, "{r}");
    let p = project(&app, &json!(pid)).await;
    assert_eq!(node_ids(&p), order);
    // A node of another unit's project: refused by the scope check; one of another project
    // of the editor's own: refused by the rule.
    let foreign = app
        .scalar(&format!(
            "SELECT MIN(n.id) FROM nodes n JOIN projects p ON p.id = n.project_id WHERE p.unit_id = {} AND n.responsible_unit_id = {}",
            ids.other, ids.other
        ))
        .await;
    let mut with_foreign = order.clone();
    with_foreign[0] = foreign;
    let (status, e) = editor
        .post(&format!("{nodes}/order"), json!({"version": version(&p), "node_ids": with_foreign}))
        .await;
    assert_eq!((status, error_code(&e)), (403, "out_of_scope"), "{e}");
    let mine_elsewhere = app
        .scalar(&format!(
            "SELECT MIN(n.id) FROM nodes n JOIN projects p ON p.id = n.project_id WHERE p.unit_id = {} AND p.id <> {pid}",
            ids.mine
        ))
        .await;
    with_foreign[0] = mine_elsewhere;
    let (status, e) = editor
        .post(&format!("{nodes}/order"), json!({"version": version(&p), "node_ids": with_foreign}))
        .await;
    assert_eq!((status, error_code(&e)), (400, "node_order_mismatch"), "{e}");
    // Another unit's project takes no node from this editor.
    let theirs = app
        .scalar(&format!("SELECT MIN(id) FROM projects WHERE unit_id = {}", ids.other))
        .await;
    let (status, e) = editor
        .post(
            &format!("/api/v1/projects/{theirs}/nodes"),
            json!({"version": 1, "name": "x", "planned_on": "2020-01-01"}),
        )
        .await;
    assert_eq!(status, 403, "{e}");
    // No date change request on a draft: its dates are set directly.
    let n = &p["nodes"][1];
    let (status, e) = editor
        .post(
            &format!("/api/v1/nodes/{}/date-change", n["id"]),
            json!({"new_planned_on": "2020-05-01", "reason_code": "other", "reason_text": "x"}),
        )
        .await;
    assert_eq!((status, error_code(&e)), (400, "baseline_not_approved"), "{e}");

    // The coordinator approves the baseline (not the unit).
    let baseline = format!("/api/v1/projects/{pid}/baseline");
    assert_eq!(editor.post(&baseline, json!({"version": version(&p)})).await.0, 403);
    let (status, r) = fgj.post(&baseline, json!({"version": version(&p)})).await;
    assert_eq!(status, 200, "{r}");
    let (status, e) = fgj.post(&baseline, json!({"version": r["version"]})).await;
    assert_eq!((status, error_code(&e)), (400, "baseline_already_approved"));
    let p = project(&app, &json!(pid)).await;
    assert_eq!(
        (p["baseline"].as_str(), p["baseline_approved_by"].as_str()),
        (Some("approved"), Some("fgj"))
    );

    // After the baseline: dates by request, nodes added and removed with their reasons, each
    // a version of the schedule.
    let n = &p["nodes"][2];
    let (status, e) = editor
        .patch(
            &format!("/api/v1/nodes/{}", n["id"]),
            json!({"version": n["version"], "planned_on": "2020-12-31"}),
        )
        .await;
    assert_eq!((status, error_code(&e)), (400, "use_date_change"), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("改期申请"));
    let add = json!({"version": version(&p), "name": "水土保持方案", "planned_on": "2020-03-01"});
    let (status, e) = editor.post(&nodes, add.clone()).await;
    assert_eq!((status, error_code(&e)), (400, "node_change_reason_missing"), "{e}");
    let mut add = add;
    add["reason"] = json!("规划调整，新增水保审批");
    let (status, r) = editor.post(&nodes, add).await;
    assert_eq!(status, 201, "{r}");
    let added = r["node"]["id"].as_i64().unwrap();
    let p = project(&app, &json!(pid)).await;
    let gone = find_by(&p["nodes"], "id", last);
    let path = format!("/api/v1/nodes/{last}");
    let (status, e) = editor.send("DELETE", &path, Some(json!({"version": gone["version"]})), true).await;
    assert_eq!((status, error_code(&e)), (400, "node_change_reason_missing"), "{e}");
    let (status, r) = editor
        .send(
            "DELETE",
            &path,
            Some(json!({"version": gone["version"], "reason": "环评与能评合并审批"})),
            true,
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, schedule) = app.get(&format!("/api/v1/projects/{pid}/schedule")).await;
    let versions = arr(&schedule["versions"]);
    assert_eq!(versions.len(), 3, "{schedule}");
    assert_eq!(versions[1]["change"]["kind"], "added");
    assert_eq!(versions[1]["change"]["node_id"], added);
    assert_eq!(versions[1]["change"]["reason"], "规划调整，新增水保审批");
    assert_eq!(versions[2]["change"]["kind"], "removed");
    assert_eq!(versions[2]["change"]["from"], "2020-01-20");
    assert_eq!(versions[2]["change"]["approved_by"], "haimen");
    // Reordering after the baseline needs its reason too.
    let p = project(&app, &json!(pid)).await;
    let mut order = node_ids(&p);
    order.swap(0, 1);
    let (status, e) = editor
        .post(&format!("{nodes}/order"), json!({"version": version(&p), "node_ids": order}))
        .await;
    assert_eq!((status, error_code(&e)), (400, "node_change_reason_missing"), "{e}");
    let (status, r) = editor
        .post(
            &format!("{nodes}/order"),
            json!({"version": version(&p), "node_ids": order, "reason": "先做能评"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, html) = editor.page(&format!("/projects/{pid}")).await;
    assert!(html.contains("增加节点") && html.contains("删除节点") && html.contains("环评与能评合并审批"));

    // What work or records hold stays: a closed node, a node of a problem, of a campaign.
    let refused = |sql: String, code: &'static str| {
        let (app, fgj) = (&app, &fgj);
        async move {
            let node = app.scalar(&sql).await;
            let (_, n) = app.get(&format!("/api/v1/nodes/{node}")).await;
            let (status, e) = fgj
                .send(
                    "DELETE",
                    &format!("/api/v1/nodes/{node}"),
                    Some(json!({"version": n["node"]["version"], "reason": "测试"})),
                    true,
                )
                .await;
            assert_eq!((status, error_code(&e)), (400, code), "{e}");
        }
    };
    refused("SELECT MIN(id) FROM nodes WHERE status = 'closed'".into(), "node_closed").await;
    refused(
        "SELECT MIN(n.id) FROM nodes n JOIN problems p ON p.node_id = n.id WHERE n.status = 'open' \
         AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.node_id = n.id)"
            .into(),
        "node_has_problems",
    )
    .await;
    let target = node_ids(&project(&app, &json!(pid)).await)[3];
    let (status, c) = fgj
        .post(
            "/api/v1/campaigns",
            json!({"name": "节点攻坚", "starts_on": "2019-12-01", "ends_on": "2020-03-31", "node_ids": [target]}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    refused(format!("SELECT {target}"), "node_in_campaign").await;
}

/// The `landing` figure of a category for a year: (targeted, landed).
async fn landing(app: &TestApp, year: i32, code: &str) -> (i64, i64) {
    let (status, f) = app.get(&format!("/api/v1/figures?year={year}")).await;
    assert_eq!(status, 200, "{f}");
    let l = find_by(&f["landing"], "code", code);
    (l["targeted"].as_i64().unwrap(), l["landed"].as_i64().unwrap())
}

async fn planned_wan(app: &TestApp, year: i32) -> f64 {
    let (_, f) = app.get(&format!("/api/v1/figures?year={year}")).await;
    f["investment"]["planned_wan"].to_string().parse().unwrap()
}

#[tokio::test]
async fn the_stage_history_is_recorded_and_counted_by_the_landing_rate() {
    let app = spawn_app().await;
    app.execute("UPDATE settings SET value = '2020-12-31' WHERE key = 'as_of'").await;
    let ids = ids(&app).await;
    let editor = app.login("haimen").await;
    let fgj = app.login("fgj").await;
    let p = create(&editor, new_project("落地率测试项目", ids.mine, ids.leader)).await;
    let pid = p["id"].as_i64().unwrap();
    let (targeted, landed) = landing(&app, 2020, "over_500m").await;
    let planned = planned_wan(&app, 2020).await;

    // The year: its categories (the coordinators') and its plan (the unit's too).
    let year = format!("/api/v1/projects/{pid}/years/2020");
    let (status, e) = editor
        .put(&year, json!({"version": p["version"], "category_ids": [ids.over_500m]}))
        .await;
    assert_eq!(status, 403, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("项目类别"), "{e}");
    let (status, r) = editor
        .put(&year, json!({"version": p["version"], "planned_investment": "1200"}))
        .await;
    assert_eq!(status, 200, "{r}");
    let (status, e) = fgj
        .put(&year, json!({"version": p["version"], "category_ids": [ids.over_500m]}))
        .await;
    assert_eq!((status, error_code(&e)), (409, "stale_version"), "{e}");
    let (status, r) = fgj
        .put(&year, json!({"version": r["version"], "category_ids": [ids.over_500m]}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(landing(&app, 2020, "over_500m").await, (targeted + 1, landed));
    assert!((planned_wan(&app, 2020).await - planned - 1200.0).abs() < 1e-6);
    let (status, e) = fgj
        .put(
            &year,
            json!({"version": r["version"], "planned_investment": "-5", "category_ids": [ids.over_500m, ids.over_500m]}),
        )
        .await;
    assert_eq!((status, error_code(&e)), (400, "invalid_fields"), "{e}");
    assert_eq!(arr(&e["error"]["fields"]).len(), 2, "{e}");

    // 谋划 2019-11-15 → 签约 2020-02-20 → 开工 2020-07-05.
    let stage = format!("/api/v1/projects/{pid}/stage");
    let mut v = project(&app, &json!(pid)).await["version"].as_i64().unwrap();
    let (status, r) = editor.post(&stage, json!({"version": v, "to": "签约", "on": "2020-02-20"})).await;
    assert_eq!(status, 200, "{r}");
    v = r["version"].as_i64().unwrap();
    for (body, code) in [
        (json!({"to": "started", "on": "2021-01-01"}), "stage_date_future"),
        (json!({"to": "started", "on": "2020-02-19"}), "stage_date_before_previous"),
        (json!({"to": "signed", "on": "2020-03-01"}), "stage_unchanged"),
        (json!({"to": "reserve", "on": "2020-03-01"}), "stage_backward_reason_missing"),
        (json!({"to": "terminated", "on": "2020-03-01"}), "stage_terminate_reason_missing"),
    ] {
        let mut body = body;
        body["version"] = json!(v);
        let (status, e) = editor.post(&stage, body.clone()).await;
        assert_eq!((status, error_code(&e)), (400, code), "{body}: {e}");
    }
    let (status, r) = editor.post(&stage, json!({"version": v, "to": "开工", "on": "2020-07-05"})).await;
    assert_eq!(status, 200, "{r}");
    v = r["version"].as_i64().unwrap();
    let (_, history) = app.get(&format!("/api/v1/projects/{pid}/stages")).await;
    let steps: Vec<(&str, &str)> = arr(&history["items"])
        .iter()
        .map(|c| (c["to"].as_str().unwrap(), c["on"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        vec![("planning", "2019-11-15"), ("signed", "2020-02-20"), ("started", "2020-07-05")]
    );
    assert_eq!(history["items"][2]["actor"], "haimen");
    let p = project(&app, &json!(pid)).await;
    assert_eq!(p["started_on"], "2020-07-05");
    assert_eq!(landing(&app, 2020, "over_500m").await, (targeted + 1, landed + 1), "landed in 2020");
    // 在建 keeps the 开工 date; a correction back clears it, with its reason.
    let (status, r) = editor
        .post(&stage, json!({"version": v, "to": "construction", "on": "2020-08-01"}))
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(project(&app, &json!(pid)).await["started_on"], "2020-07-05");
    let (status, r) = editor
        .post(
            &stage,
            json!({"version": r["version"], "to": "签约", "on": "2020-08-02", "reason": "开工登记有误，尚未开工"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(project(&app, &json!(pid)).await["started_on"], Value::Null);
    assert_eq!(landing(&app, 2020, "over_500m").await, (targeted + 1, landed));
    // Terminated with its reason, shown in the history on the page.
    let (status, r) = editor
        .post(
            &stage,
            json!({"version": r["version"], "to": "terminated", "on": "2020-09-30", "reason": "投资方撤资，项目退库"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, html) = editor.page(&format!("/projects/{pid}")).await;
    assert!(
        html.contains("投资方撤资，项目退库") && html.contains("开工登记有误"),
        "the history on the page"
    );
    let (_, audit) = app.get(&format!("/api/v1/projects/{pid}/history")).await;
    let last = &audit["items"][0];
    assert_eq!(
        (last["action"].as_str(), last["after"]["stage"].as_str()),
        (Some("project.stage"), Some("terminated"))
    );
    assert_eq!(last["before"]["stage"], "signed");
    assert!(
        app.store.rollup_matches_rebuild().await.unwrap(),
        "the roll-ups followed every write"
    );
}

#[tokio::test]
async fn a_past_batch_is_recorded_as_of_its_date_with_a_coordinators_override() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let (status, b) = fgj
        .post(
            "/api/v1/batches",
            json!({"name": "2019年6月补录集中开工", "level": "区级", "held_on": "2019-06-18"}),
        )
        .await;
    assert_eq!(status, 201, "{b}");
    let batch = b["id"].as_i64().unwrap();
    let add = format!("/api/v1/batches/{batch}/projects");
    let gate = |cond: &str| {
        format!(
            "SELECT MIN(p.id) FROM projects p JOIN nodes n ON n.project_id = p.id AND n.name = '施工许可' \
             WHERE {cond} AND NOT EXISTS (SELECT 1 FROM batch_projects bp WHERE bp.project_id = p.id AND bp.batch_id = {batch})"
        )
    };
    // Closed before the ceremony: admitted. Closed after it (closed today all the same), or
    // still open: refused, the date named.
    let ready = app.scalar(&gate("n.status = 'closed' AND n.actual_on <= '2019-06-18'")).await;
    let late = app.scalar(&gate("n.status = 'closed' AND n.actual_on > '2019-06-18'")).await;
    let open = app.scalar(&gate("n.status <> 'closed'")).await;
    let (status, r) = fgj.post(&add, json!({"project_id": ready})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["overridden"], false);
    for p in [late, open] {
        let (status, e) = fgj.post(&add, json!({"project_id": p})).await;
        assert_eq!((status, error_code(&e)), (400, "batch_gate_not_met"), "{e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("2019-06-18"), "{e}");
    }
    // The coordinator admits over the gate with a written reason; a unit's editor cannot.
    let editor = app.login("haimen").await;
    let reason = "市里统一安排列入，施工许可于仪式后三日核发";
    let (status, _) = editor.post(&add, json!({"project_id": late, "override_reason": reason})).await;
    assert_eq!(status, 403);
    let (status, r) = fgj.post(&add, json!({"project_id": late, "override_reason": "  "})).await;
    assert_eq!((status, error_code(&r)), (400, "batch_gate_not_met"), "a blank reason is none");
    let (status, r) = fgj.post(&add, json!({"project_id": late, "override_reason": reason})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(
        (r["overridden"].as_bool(), r["open_gates"][0].as_str()),
        (Some(true), Some("施工许可"))
    );
    // Through the page's form too.
    let (status, _) = fgj
        .post_form(
            &format!("/batches/{batch}/projects"),
            &json!({"project_id": open.to_string(), "override_reason": "补录：按当时会议纪要列入"}),
            true,
        )
        .await;
    assert_eq!(status, 303);
    let (_, detail) = app.get(&format!("/api/v1/batches/{batch}")).await;
    assert_eq!(detail["aggregate"]["projects"], 3);
    let m = find_by(&detail["members"], "project_id", late);
    assert_eq!(
        (m["override_reason"].as_str(), m["override_by"].as_str()),
        (Some(reason), Some("fgj"))
    );
    assert!(m["override_at"].as_str().is_some());
    assert_eq!(find_by(&detail["members"], "project_id", ready)["override_reason"], Value::Null);
    let (_, audit) = app.get(&format!("/api/v1/audit?entity=batch&entity_id={batch}")).await;
    assert!(audit.to_string().contains(reason), "audited: {audit}");
    for lang in ["", "?lang=en"] {
        let (status, html) = fgj.page(&format!("/batches/{batch}{lang}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(reason) && html.contains("补录：按当时会议纪要列入"));
        assert!(html.contains("name=\"override_reason\""));
    }
}

/// The write routes of projects and nodes by hand, each on another unit's record, for the
/// access walks (`security.rs`, `scope.rs`).
pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let ids = ids(app).await;
    let theirs = app
        .scalar(&format!(
            "SELECT MIN(p.id) FROM projects p WHERE p.unit_id = {} AND EXISTS (SELECT 1 FROM nodes n WHERE n.project_id = p.id \
             AND n.status = 'open' AND n.responsible_unit_id = p.unit_id)",
            ids.other
        ))
        .await;
    let (_, p) = app.get(&format!("/api/v1/projects/{theirs}")).await;
    let v = p["version"].as_i64().unwrap();
    let open = arr(&p["nodes"])
        .iter()
        .find(|n| n["status"] == "open" && n["responsible_unit"]["id"].as_i64() == Some(ids.other))
        .expect("an open node of theirs");
    let all = node_ids(&p);
    let f = |path: String, body: Value| Fixture::json(path, body, true, None);
    vec![
        (
            ("POST", "/api/v1/projects"),
            f("/api/v1/projects".into(), new_project("别人的项目", ids.other, ids.leader)),
        ),
        (
            ("POST", "/projects/new"),
            Fixture::form(
                "/projects/new",
                json!({"name": "别人的项目", "unit_id": ids.other.to_string(), "project_type": "industrial", "stage": "planning",
                       "stage_on": "2019-11-01", "total_investment": "100", "planned_year": "2019"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/stage"),
            Fixture::versioned(
                format!("/api/v1/projects/{theirs}/stage"),
                json!({"version": v, "to": "terminated", "on": "2019-12-01", "reason": "测试"}),
                true,
            ),
        ),
        (
            ("PUT", "/api/v1/projects/{id}/years/{year}"),
            Fixture::versioned(
                format!("/api/v1/projects/{theirs}/years/2019"),
                json!({"version": v, "planned_investment": "10"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/nodes"),
            Fixture::versioned(
                format!("/api/v1/projects/{theirs}/nodes"),
                json!({"version": v, "name": "新节点", "planned_on": "2020-01-01", "reason": "测试"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/nodes/order"),
            Fixture::versioned(
                format!("/api/v1/projects/{theirs}/nodes/order"),
                json!({"version": v, "node_ids": all, "reason": "测试"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/baseline"),
            Fixture::versioned(format!("/api/v1/projects/{theirs}/baseline"), json!({"version": v}), true),
        ),
        (
            ("DELETE", "/api/v1/nodes/{id}"),
            Fixture::versioned(
                format!("/api/v1/nodes/{}", open["id"]),
                json!({"version": open["version"], "reason": "测试"}),
                true,
            ),
        ),
    ]
}
