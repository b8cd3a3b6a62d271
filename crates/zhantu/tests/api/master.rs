//! Master data kept by hand (issue #15, item 2): units as a tree (create, rename, move,
//! reorder, retire, merge), people and leaders, project types with their node templates and
//! clocks, categories with their yearly targets, and the district settings; written by
//! administrators and the coordinating bureau, read by everyone signed in; every write
//! versioned and audited. And a district built from an empty database through the API alone.

use crate::helpers::{Session, TestApp, find_by, fresh_store, id_version, serve, spawn_app};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};

async fn unit_id(app: &TestApp, name: &str) -> i64 {
    app.store
        .unit_by_name(name)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no unit {name}"))
}

/// The error code of a refusal.
fn code(e: &Value) -> &str {
    e["error"]["code"].as_str().unwrap_or_else(|| panic!("not an error: {e}"))
}

/// The actions of the audit entries of one record, oldest first.
async fn audit_actions(app: &TestApp, entity: &str, id: i64) -> Vec<String> {
    let (_, log) = app.get(&format!("/api/v1/audit?entity={entity}&entity_id={id}")).await;
    let mut actions: Vec<String> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    actions.reverse();
    actions
}

/// The names of the active units in the tree's order.
/// A new unit of `kind` under `parent`, made through the API: the answer.
async fn new_unit(s: &Session, name: &str, parent: i64, kind: &str) -> Value {
    s.post_json_expect("/api/v1/units", json!({"name": name, "parent_id": parent, "kind": kind}), 201)
        .await
}

async fn tree_names(s: &Session) -> Vec<String> {
    let (status, list) = s.get("/api/v1/units").await;
    assert_eq!(status, 200, "{list}");
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn units_are_created_renamed_moved_and_reordered_with_every_change_audited() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let root = unit_id(&app, "椒江区人民政府").await;
    let new = |name: &str, parent: i64, order: i64| json!({"name": name, "parent_id": parent, "kind": "department", "sort_order": order});
    let a = coordinator.post_json_expect("/api/v1/units", new("区数据局", root, 900), 201).await;
    let b = coordinator.post_json_expect("/api/v1/units", new("区档案馆", root, 901), 201).await;
    assert_eq!(
        (a["kind"].as_str(), a["active"].as_bool(), a["depth"].as_i64()),
        (Some("department"), Some(true), Some(0))
    );
    let (a_id, a_v) = id_version(&a);
    let (b_id, b_v) = id_version(&b);
    let names = tree_names(&coordinator).await;
    let pos = |names: &[String], n: &str| names.iter().position(|x| x == n).unwrap();
    assert!(pos(&names, "区数据局") < pos(&names, "区档案馆"));

    // A unit of a kind written in Chinese, with its codes, under another unit.
    let child = coordinator
        .post_json_expect(
            "/api/v1/units",
            json!({"name": "数据局信息中心", "parent_id": a_id, "kind": "国企", "division_code": "331002", "code": "c-01"}),
            201,
        )
        .await;
    assert_eq!((child["kind"].as_str(), child["code"].as_str()), (Some("soe"), Some("C-01")));
    let (child_id, child_v) = id_version(&child);
    let (_, tree) = coordinator.get("/api/v1/units").await;
    assert_eq!(
        find_by(&tree["items"], "id", child_id)["depth"],
        2,
        "the tree gives each unit its depth"
    );

    // Reorder: the archive before the data bureau.
    let (status, moved) = coordinator
        .patch(&format!("/api/v1/units/{b_id}"), json!({"version": b_v, "sort_order": 1}))
        .await;
    assert_eq!(status, 200, "{moved}");
    let names = tree_names(&coordinator).await;
    assert!(pos(&names, "区档案馆") < pos(&names, "区数据局"), "{names:?}");

    // Rename; a stale version is refused and names who changed it.
    let path = format!("/api/v1/units/{a_id}");
    let (status, renamed) = coordinator.patch(&path, json!({"version": a_v, "name": " 区大数据发展局 "})).await;
    assert_eq!((status, renamed["name"].as_str()), (200, Some("区大数据发展局")), "{renamed}");
    let admin = app.login("admin").await;
    let (status, e) = admin.patch(&path, json!({"version": a_v, "name": "别的名字"})).await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("fgj"), "{e}");

    // Names are unique among the active units: imports find units by name.
    for body in [new("区发改局", root, 0), new(" 区发改局", a_id, 0)] {
        let (status, e) = coordinator.post("/api/v1/units", body).await;
        assert_eq!((status, code(&e)), (400, "duplicate_unit_name"), "{e}");
    }
    let (status, e) = coordinator.patch(&path, json!({"version": a_v + 1, "name": "区发改局"})).await;
    assert_eq!((status, code(&e)), (400, "duplicate_unit_name"), "{e}");
    let (status, e) = coordinator
        .post(
            "/api/v1/units",
            json!({"name": "另一中心", "parent_id": a_id, "kind": "soe", "code": "C-01"}),
        )
        .await;
    assert_eq!((status, code(&e)), (400, "duplicate_unit_code"), "{e}");

    // Moves: never below itself; the district is the one top-level unit.
    let (status, e) = coordinator.patch(&path, json!({"version": a_v + 1, "parent_id": child_id})).await;
    assert_eq!((status, code(&e)), (400, "unit_cycle"), "{e}");
    let (status, e) = coordinator.patch(&path, json!({"version": a_v + 1, "parent_id": null})).await;
    assert_eq!((status, code(&e)), (400, "unit_parent_required"), "{e}");
    let (status, e) = coordinator
        .post("/api/v1/units", json!({"name": "第二个区", "kind": "district"}))
        .await;
    assert_eq!((status, code(&e)), (400, "unit_parent_required"), "{e}");
    let (status, moved) = coordinator
        .patch(
            &format!("/api/v1/units/{child_id}"),
            json!({"version": child_v, "parent_id": b_id, "division_code": "", "code": null}),
        )
        .await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!((moved["parent_id"].as_i64(), moved["depth"].as_i64()), (Some(b_id), Some(0)));
    assert!(moved["division_code"].is_null() && moved["code"].is_null(), "{moved}");
    let (_, one) = coordinator.get(&format!("/api/v1/units/{child_id}")).await;
    assert_eq!(one["parent_id"], b_id);
    for (body, expected) in [
        (json!({"name": " ", "parent_id": root, "kind": "department"}), "unit_name_empty"),
        (json!({"name": "x", "parent_id": root, "kind": "委员会"}), "invalid_unit_kind"),
        (
            json!({"name": "x", "parent_id": root, "kind": "department", "division_code": "12"}),
            "invalid_division_code",
        ),
    ] {
        let (status, e) = coordinator.post("/api/v1/units", body).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }

    // Every write is in the log, with the values before and after.
    assert_eq!(audit_actions(&app, "unit", a_id).await, ["unit.create", "unit.update"]);
    let (_, log) = app.get(&format!("/api/v1/audit?entity=unit&entity_id={a_id}")).await;
    let last = &log["items"][0];
    assert_eq!(
        (last["before"]["name"].as_str(), last["after"]["name"].as_str()),
        (Some("区数据局"), Some("区大数据发展局"))
    );
    assert_eq!(last["actor"], "fgj");
    assert_eq!(audit_actions(&app, "unit", child_id).await, ["unit.create", "unit.update"]);
}

#[tokio::test]
async fn a_unit_is_retired_only_when_no_active_account_or_sub_unit_depends_on_it() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let haimen = unit_id(&app, "海门街道").await;
    let (_, h) = admin.get(&format!("/api/v1/units/{haimen}")).await;
    let (status, e) = admin
        .post(&format!("/api/v1/units/{haimen}/retire"), json!({"version": h["version"]}))
        .await;
    assert_eq!((status, code(&e)), (400, "unit_in_use"), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("用户账号"), "{e}");

    let root = unit_id(&app, "椒江区人民政府").await;
    let old = new_unit(&admin, "区老干部局", root, "department").await;
    let (old_id, v) = id_version(&old);
    let below = new_unit(&admin, "老干部活动中心", old_id, "department").await;
    let (status, e) = admin.post(&format!("/api/v1/units/{old_id}/retire"), json!({"version": v})).await;
    assert_eq!((status, code(&e)), (400, "unit_in_use"), "an active sub-unit: {e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("下级单位"), "{e}");
    let (below_id, below_v) = id_version(&below);
    let (status, retired) = admin
        .post(&format!("/api/v1/units/{below_id}/retire"), json!({"version": below_v}))
        .await;
    assert_eq!((status, retired["active"].as_bool()), (200, Some(false)), "{retired}");
    let (status, e) = admin
        .post(&format!("/api/v1/units/{old_id}/retire"), json!({"version": v - 1}))
        .await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    let (status, retired) = admin.post(&format!("/api/v1/units/{old_id}/retire"), json!({"version": v})).await;
    assert_eq!(status, 200, "{retired}");
    let (status, e) = admin
        .post(&format!("/api/v1/units/{old_id}/retire"), json!({"version": retired["version"]}))
        .await;
    assert_eq!((status, code(&e)), (400, "unit_inactive"), "{e}");

    // Gone from the choices, kept for history; its name is free again.
    assert!(!tree_names(&admin).await.contains(&"区老干部局".to_string()));
    for page in ["/admin/users", "/admin/units", "/projects"] {
        let (_, html) = admin.page(page).await;
        assert!(!html.contains("区老干部局"), "{page} still offers the retired unit");
    }
    let (_, all) = admin.get("/api/v1/units?all=1").await;
    assert_eq!(find_by(&all["items"], "id", old_id)["active"], false);
    let (status, e) = admin.post("/api/v1/people", json!({"name": "张三", "unit_id": old_id})).await;
    assert_eq!((status, code(&e)), (400, "unit_missing_or_inactive"), "{e}");
    let again = new_unit(&admin, "区老干部局", root, "department").await;
    assert_eq!(
        app.store.unit_by_name("区老干部局").await.unwrap(),
        again["id"].as_i64(),
        "the active one first"
    );
    assert_eq!(audit_actions(&app, "unit", old_id).await, ["unit.create", "unit.retire"]);
}

/// Rows naming a unit, as a merge moves them: (table, column).
const UNIT_COLUMNS: &[(&str, &str)] = &[
    ("projects", "unit_id"),
    ("nodes", "responsible_unit_id"),
    ("problems", "unit_id"),
    ("people", "unit_id"),
    ("users", "unit_id"),
    ("enterprise_visits", "unit_id"),
    ("attraction_leads", "team_unit_id"),
    ("campaign_units", "unit_id"),
    ("units", "parent_id"),
];

async fn rows_of(app: &TestApp, unit: i64) -> Vec<i64> {
    let mut counts = Vec::new();
    for (table, column) in UNIT_COLUMNS {
        counts.push(app.scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} = {unit}")).await);
    }
    counts
}

#[tokio::test]
async fn merging_a_unit_moves_all_its_records_and_keeps_what_moved_in_the_log() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (from, into) = (unit_id(&app, "海门街道").await, unit_id(&app, "白云街道").await);
    // A community below the street moves with it.
    let community = new_unit(&admin, "东山社区", from, "street").await;
    app.execute(&format!(
        "INSERT INTO campaign_units (campaign_id, unit_id) SELECT id, {from} FROM campaigns \
         WHERE id NOT IN (SELECT campaign_id FROM campaign_units WHERE unit_id = {from})"
    ))
    .await;
    let before_from = rows_of(&app, from).await;
    let before_into = rows_of(&app, into).await;
    for (i, (table, _)) in UNIT_COLUMNS.iter().enumerate() {
        if *table != "attraction_leads" {
            assert!(before_from[i] > 0, "the demo's 海门街道 has {table} to move");
        }
    }
    let (_, f) = admin.get(&format!("/api/v1/units/{from}")).await;
    let v = f["version"].as_i64().unwrap();
    for (body, status, expected) in [
        (json!({"into_id": from, "version": v}), 400, "unit_merge_self"),
        (json!({"into_id": community["id"], "version": v}), 400, "unit_merge_into_descendant"),
        (json!({"into_id": into, "version": v - 1}), 409, "stale_version"),
        (json!({"into_id": 99_999_999, "version": v}), 404, "unknown_record"),
    ] {
        let (got, e) = admin.post(&format!("/api/v1/units/{from}/merge"), body).await;
        assert_eq!((got, code(&e)), (status, expected), "{e}");
    }
    let audit_before = app.audit_count().await;
    let (status, m) = admin
        .post(&format!("/api/v1/units/{from}/merge"), json!({"into_id": into, "version": v}))
        .await;
    assert_eq!(status, 200, "{m}");
    assert_eq!(
        (m["unit"]["active"].as_bool(), m["unit"]["merged_into"].as_i64()),
        (Some(false), Some(into))
    );
    assert_eq!(m["moved"]["projects"].as_i64(), Some(before_from[0]));
    assert_eq!(m["moved"]["units"], 1);
    assert_eq!(app.audit_count().await, audit_before + 2, "one entry for each unit");

    // Nothing names the merged unit any more (campaign places included, without doubling).
    assert!(rows_of(&app, from).await.iter().all(|n| *n == 0), "{:?}", rows_of(&app, from).await);
    let after_into = rows_of(&app, into).await;
    for i in 0..UNIT_COLUMNS.len() - 2 {
        assert_eq!(after_into[i], before_into[i] + before_from[i], "{}", UNIT_COLUMNS[i].0);
    }
    let campaigns = app.scalar("SELECT COUNT(*) FROM campaigns").await;
    assert_eq!(after_into[7], campaigns, "each campaign ranks 白云街道 once");

    // The log keeps what moved, id by id, and both units' histories say so.
    let (_, log) = app.get(&format!("/api/v1/audit?entity=unit&entity_id={from}")).await;
    let entry = &log["items"][0];
    assert_eq!(entry["action"], "unit.merge");
    assert_eq!(entry["after"]["into_id"], into);
    assert_eq!(
        entry["after"]["moved"]["projects"].as_array().unwrap().len() as i64,
        before_from[0],
        "{entry}"
    );
    assert_eq!(entry["before"]["active"], true);
    assert_eq!(
        audit_actions(&app, "unit", into).await.last().map(String::as_str),
        Some("unit.absorb")
    );

    // The street's editor now works for 白云街道; the old name is gone from the choices.
    let editor = app.login("haimen").await;
    let (_, me) = editor.get("/api/v1/auth/me").await;
    assert_eq!(me["user"]["unit"]["id"], into, "{me}");
    assert!(!tree_names(&editor).await.contains(&"海门街道".to_string()));
    let (status, e) = admin
        .post(&format!("/api/v1/units/{from}/merge"), json!({"into_id": into, "version": v + 1}))
        .await;
    assert_eq!((status, code(&e)), (400, "unit_inactive"), "{e}");
}

#[tokio::test]
async fn people_and_leaders_are_kept_filtered_and_audited() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let haimen = unit_id(&app, "海门街道").await;
    let p = coordinator
        .post_json_expect(
            "/api/v1/people",
            json!({"name": " 林晓 ", "title": "副主任", "unit_id": haimen, "phone": "０５７６-８８１２３４５６"}),
            201,
        )
        .await;
    assert_eq!(
        (p["name"].as_str(), p["phone"].as_str(), p["unit_name"].as_str()),
        (Some("林晓"), Some("0576-88123456"), Some("海门街道"))
    );
    let (id, v) = id_version(&p);
    let (_, mine) = coordinator.get(&format!("/api/v1/people?unit={haimen}")).await;
    assert!(mine["items"].as_array().unwrap().iter().all(|x| x["unit_id"] == haimen));
    find_by(&mine["items"], "id", id);
    let (_, leaders) = coordinator.get("/api/v1/people?leaders=1").await;
    assert!(leaders["total"].as_i64().unwrap() > 0);
    assert!(leaders["items"].as_array().unwrap().iter().all(|x| x["is_leader"] == true));

    // Made a leader, then retired: off the lists and the project form's choices, kept in the log.
    let path = format!("/api/v1/people/{id}");
    let (status, led) = coordinator
        .patch(&path, json!({"version": v, "is_leader": true, "title": "副区长"}))
        .await;
    assert_eq!((status, led["is_leader"].as_bool()), (200, Some(true)), "{led}");
    let (_, leaders) = coordinator.get("/api/v1/people?leaders=1").await;
    find_by(&leaders["items"], "id", id);
    let (status, e) = coordinator.patch(&path, json!({"version": v, "active": false})).await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    let (status, off) = coordinator.patch(&path, json!({"version": v + 1, "active": false})).await;
    assert_eq!((status, off["active"].as_bool()), (200, Some(false)), "{off}");
    let (_, leaders) = coordinator.get("/api/v1/people?leaders=1").await;
    assert!(leaders["items"].as_array().unwrap().iter().all(|x| x["id"] != id));
    let (_, all) = coordinator.get("/api/v1/people?leaders=1&all=1").await;
    find_by(&all["items"], "id", id);
    assert!(!app.store.filter_choices().await.unwrap().leaders.iter().any(|l| l.id == id));
    for (body, expected) in [
        (json!({"name": "", "unit_id": haimen}), "person_name_empty"),
        (json!({"name": "x", "unit_id": haimen, "phone": "电话"}), "invalid_phone"),
    ] {
        let (status, e) = coordinator.post("/api/v1/people", body).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }
    let (status, e) = coordinator
        .post("/api/v1/people", json!({"name": "x", "unit_id": 99_999_999}))
        .await;
    assert_eq!((status, code(&e)), (404, "unknown_record"), "{e}");
    assert_eq!(
        audit_actions(&app, "person", id).await,
        ["person.create", "person.update", "person.update"]
    );
    let (_, log) = app.get(&format!("/api/v1/audit?entity=person&entity_id={id}")).await;
    assert_eq!(
        (
            log["items"][0]["before"]["active"].as_bool(),
            log["items"][0]["after"]["active"].as_bool()
        ),
        (Some(true), Some(false))
    );
}

/// A type of three steps (the second and third waiting for those before) with one clock.
fn park_type(code: &str, name: &str) -> Value {
    json!({
        "code": code, "name": name, "name_en": "Park project",
        "steps": [
            {"seq": 1, "name": "签约", "offset_days": 0},
            {"seq": 2, "name": "赋码备案", "offset_days": 30, "depends_on": [1], "owner_hint": "department:发改"},
            {"seq": 3, "name": "开工", "offset_days": 60, "depends_on": [1, 2]}
        ],
        "clocks": [{"name": "赋码至开工90个工作日", "start_node": "赋码备案", "stop_node": "开工", "limit_days": 90, "day_kind": "working"}]
    })
}

/// Lands a new lead of `team` as a project of `project_type` and plans it from the type's
/// template from `first_on`: the project's id.
async fn planned_project(s: &Session, team: i64, project_type: &str, first_on: &str) -> i64 {
    let lead = s
        .post_json_expect(
            "/api/v1/leads",
            json!({"name": format!("{project_type}试点项目"), "team_unit_id": team}),
            201,
        )
        .await;
    let (id, v) = id_version(&lead);
    let path = format!("/api/v1/leads/{id}/stage");
    let (status, signed) = s.post(&path, json!({"version": v, "to": "signed", "on": first_on})).await;
    assert_eq!(status, 200, "{signed}");
    let (status, landed) = s
        .post(
            &path,
            json!({"version": v + 1, "to": "landed", "on": first_on, "create_project_type": project_type}),
        )
        .await;
    assert_eq!(status, 200, "{landed}");
    let project = landed["project_id"].as_i64().expect("a project");
    s.post_json_expect(&format!("/api/v1/projects/{project}/plan"), json!({"first_on": first_on}), 201)
        .await;
    project
}

/// (name, planned date, responsible unit) of a project's nodes in order.
async fn plan_of(app: &TestApp, project: i64) -> Vec<(String, String, i64)> {
    let (_, p) = app.get(&format!("/api/v1/projects/{project}")).await;
    p["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap().to_string(),
                n["planned_on"].as_str().unwrap().to_string(),
                n["responsible_unit_id"]
                    .as_i64()
                    .or_else(|| n["responsible_unit"]["id"].as_i64())
                    .unwrap_or(0),
            )
        })
        .collect()
}

#[tokio::test]
async fn project_types_are_saved_whole_and_only_new_plans_follow_them() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (_, list) = coordinator.get("/api/v1/project-types").await;
    assert_eq!(list["total"], 5, "{list}");
    let (status, industrial) = coordinator.get("/api/v1/project-types/industrial").await;
    assert_eq!(status, 200, "{industrial}");
    // A template from before dependencies were kept: each step waits for the one before.
    assert_eq!(industrial["steps"][0]["depends_on"], json!([]));
    assert_eq!(industrial["steps"][4]["depends_on"], json!([4]));
    assert_eq!(industrial["clocks"].as_array().unwrap().len(), 2, "{industrial}");
    assert!(
        industrial["clocked_steps"]["6"].as_array().is_some_and(|c| !c.is_empty()),
        "施工许可 is an approval step"
    );

    let created = coordinator
        .post_json_expect("/api/v1/project-types", park_type("park", "园区项目"), 201)
        .await;
    assert_eq!(
        (created["version"].as_i64(), created["steps"].as_array().unwrap().len()),
        (Some(1), 3)
    );
    assert_eq!(
        created["clocked_steps"],
        json!({"2": ["赋码至开工90个工作日"], "3": ["赋码至开工90个工作日"]})
    );
    for (body, expected) in [
        (park_type("park", "另一园区"), "duplicate_project_type"),
        (park_type("park2", "工业项目"), "duplicate_project_type_name"),
        (park_type("Park!", "园区"), "invalid_project_type_code"),
    ] {
        let (status, e) = coordinator.post("/api/v1/project-types", body).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut t = park_type("park", "园区项目");
        t["version"] = json!(1);
        f(&mut t);
        t
    };
    for (body, expected) in [
        (broken(&|t| t["steps"][0]["depends_on"] = json!([3])), "template_cycle"),
        (
            broken(&|t| {
                t["steps"][1]["depends_on"] = json!([3]);
                t["steps"][2]["depends_on"] = json!([1]);
            }),
            "template_dependency_later",
        ),
        (broken(&|t| t["steps"][2]["name"] = json!("签约")), "template_step_name_duplicate"),
        (broken(&|t| t["clocks"][0]["stop_node"] = json!("竣工")), "clock_node_unknown"),
        (broken(&|t| t["steps"] = json!([])), "template_empty"),
    ] {
        let (status, e) = coordinator.put("/api/v1/project-types/park", body).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }

    // A project planned now follows the template: offsets after the latest dependency, the
    // dependencies themselves, the owner hint's unit.
    let team = unit_id(&app, "第一招商组").await;
    let fagai = unit_id(&app, "区发改局").await;
    let first = planned_project(&coordinator, team, "park", "2020-03-01").await;
    let planned = plan_of(&app, first).await;
    let dates: Vec<(&str, &str)> = planned.iter().map(|(n, d, _)| (n.as_str(), d.as_str())).collect();
    assert_eq!(dates, [("签约", "2020-03-01"), ("赋码备案", "2020-03-31"), ("开工", "2020-05-30")]);
    assert_eq!(planned[1].2, fagai, "{planned:?}");
    let deps = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM node_dependencies WHERE node_id IN (SELECT id FROM nodes WHERE project_id = {first})"
        ))
        .await;
    assert_eq!(deps, 3, "赋码备案 on 签约, 开工 on both");

    // The type saved whole: a new step, new durations, the clock moved. The project planned
    // before keeps its nodes; the next one follows the new template.
    let mut saved = park_type("park", "园区项目（新）");
    saved["version"] = json!(1);
    saved["steps"][2]["offset_days"] = json!(45);
    saved["steps"]
        .as_array_mut()
        .unwrap()
        .push(json!({"seq": 4, "name": "竣工验收", "offset_days": 300, "depends_on": [3]}));
    saved["clocks"][0]["stop_node"] = json!("竣工验收");
    let (status, t) = coordinator.put("/api/v1/project-types/park", saved.clone()).await;
    assert_eq!(
        (status, t["version"].as_i64(), t["name"].as_str()),
        (200, Some(2), Some("园区项目（新）")),
        "{t}"
    );
    let admin = app.login("admin").await;
    let (status, e) = admin.put("/api/v1/project-types/park", saved).await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("fgj"), "{e}");
    assert_eq!(plan_of(&app, first).await, planned, "existing nodes are untouched");
    let second = planned_project(&coordinator, team, "park", "2020-03-01").await;
    let dates: Vec<String> = plan_of(&app, second).await.into_iter().map(|(_, d, _)| d).collect();
    assert_eq!(dates, ["2020-03-01", "2020-03-31", "2020-05-15", "2021-03-11"]);
    let (status, e) = coordinator.put("/api/v1/project-types/nothing", park_type("x", "无")).await;
    assert_eq!(status, 400, "no version: {e}");
    let mut nothing = park_type("x", "无");
    nothing["version"] = json!(1);
    assert_eq!(coordinator.put("/api/v1/project-types/nothing", nothing).await.0, 404);

    let (_, log) = app.get("/api/v1/audit?entity=project_type").await;
    let actions: Vec<&str> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["project_type.update", "project_type.create"]);
    assert_eq!(log["items"][0]["before"]["steps"].as_array().unwrap().len(), 3);
    assert_eq!(log["items"][0]["after"]["steps"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn categories_keep_their_yearly_landing_targets_which_the_figures_read() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (_, list) = coordinator.get("/api/v1/categories").await;
    let prov = find_by(&list["items"], "code", "prov152").clone();
    assert_eq!(prov["targets"], json!([{"year": 2019, "target_pct": 50.0}]));
    assert!(list["landed_means"].as_str().unwrap().contains("started_on"));
    let (id, v) = id_version(&prov);

    let path = format!("/api/v1/categories/{id}/targets/2019");
    let (status, c) = coordinator.put(&path, json!({"target_pct": "８５．５%"})).await;
    assert_eq!((status, c["version"].as_i64()), (200, Some(v + 1)), "{c}");
    assert_eq!(c["targets"][0]["target_pct"].to_string(), "85.5");
    let (_, figures) = app.get("/api/v1/figures?year=2019").await;
    let landing = find_by(&figures["landing"], "code", "prov152");
    assert_eq!(landing["target_pct"].to_string(), "85.5", "{landing}");
    let (status, c) = coordinator
        .put(&format!("/api/v1/categories/{id}/targets/2020"), json!({"target_pct": 90}))
        .await;
    assert_eq!(status, 200, "{c}");
    assert_eq!(c["targets"].as_array().unwrap().len(), 2);
    for (body, expected) in [
        (json!({"target_pct": "101"}), "invalid_target_pct"),
        (json!({"target_pct": "85.55"}), "invalid_target_pct"),
        (json!({}), "invalid_target_pct"),
    ] {
        let (status, e) = coordinator.put(&path, body).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }
    let (status, e) = coordinator.put(&path, json!({"target_pct": "80", "version": v})).await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    let (status, e) = coordinator
        .put(&format!("/api/v1/categories/{id}/targets/19"), json!({"target_pct": "80"}))
        .await;
    assert_eq!((status, code(&e)), (400, "invalid_year"), "{e}");
    let (status, c) = coordinator.delete(&path).await;
    assert_eq!((status, c["targets"][0]["year"].as_i64()), (200, Some(2020)), "{c}");
    let (_, figures) = app.get("/api/v1/figures?year=2019").await;
    assert!(find_by(&figures["landing"], "code", "prov152")["target_pct"].is_null());

    // A new category, then renamed, reordered and counted for 落地率.
    let made = coordinator
        .post_json_expect("/api/v1/categories", json!({"code": "zone_key", "name": "园区重点项目"}), 201)
        .await;
    let (new_id, new_v) = id_version(&made);
    assert_eq!(made["tracks_landing"], false);
    for (body, expected) in [
        (json!({"code": "zone_key", "name": "别的"}), "duplicate_category_code"),
        (json!({"code": "other", "name": "市县长项目"}), "duplicate_category_name"),
        (json!({"code": "省级", "name": "省级"}), "invalid_category_code"),
        (json!({"code": "empty", "name": " "}), "category_name_empty"),
    ] {
        let (status, e) = coordinator.post("/api/v1/categories", body).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }
    let (status, c) = coordinator
        .patch(
            &format!("/api/v1/categories/{new_id}"),
            json!({"version": new_v, "name": "园区重点", "tracks_landing": true, "sort_order": -1}),
        )
        .await;
    assert_eq!(status, 200, "{c}");
    let (_, list) = coordinator.get("/api/v1/categories").await;
    assert_eq!(list["items"][0]["code"], "zone_key", "sort order −1 comes first");
    let (status, e) = coordinator
        .patch(&format!("/api/v1/categories/{new_id}"), json!({"version": new_v, "name": "x"}))
        .await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    assert_eq!(
        audit_actions(&app, "category", id).await,
        ["category.set_target", "category.set_target", "category.clear_target"]
    );
    assert_eq!(
        audit_actions(&app, "category", new_id).await,
        ["category.create", "category.update"]
    );
    let (_, log) = app.get(&format!("/api/v1/audit?entity=category&entity_id={id}")).await;
    let first = log["items"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (first["before"]["target_tenths"].as_i64(), first["after"]["target_tenths"].as_i64()),
        (Some(500), Some(855))
    );
}

#[tokio::test]
async fn district_settings_are_checked_versioned_and_for_administrators() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (status, s) = admin.get("/api/v1/settings").await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            s["district_name"].as_str(),
            s["district_division"].as_str(),
            s["province_division"].as_str(),
            s["as_of"].as_str()
        ),
        (Some("椒江区"), Some("331002"), Some("330000"), Some("2019-12-31"))
    );
    let revision = s["revision"].as_str().unwrap().to_string();
    let body = |division: &str, as_of: &str| json!({"revision": revision, "district_name": "椒江区", "district_division": division, "province_division": "330000", "as_of": as_of});
    for (b, expected) in [
        (body("331099", "2019-12-31"), "invalid_division_code"),
        (body("330000", "2019-12-31"), "invalid_division_code"),
        (body("410101", "2019-12-31"), "district_outside_province"),
        (body("331002", "2019-02-30"), "invalid_date"),
    ] {
        let (status, e) = admin.put("/api/v1/settings", b).await;
        assert_eq!((status, code(&e)), (400, expected), "{e}");
    }
    let coordinator = app.login("fgj").await;
    let (status, e) = coordinator.put("/api/v1/settings", body("331002", "")).await;
    assert_eq!(status, 403, "settings are the administrators': {e}");
    let (status, saved) = admin
        .put(
            "/api/v1/settings",
            json!({"revision": revision, "district_name": " 黄岩区 ", "district_division": "331003", "province_division": "330000", "as_of": ""}),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!((saved["district_name"].as_str(), saved["as_of"].as_str()), (Some("黄岩区"), None));
    assert_ne!(saved["revision"].as_str(), Some(revision.as_str()));
    assert_eq!(app.store.setting("as_of").await.unwrap(), None, "an empty data date is today");
    let (status, e) = admin.put("/api/v1/settings", body("331002", "2019-12-31")).await;
    assert_eq!((status, code(&e)), (409, "stale_version"), "{e}");
    // The figures follow: the cockpit's district name, and the data date back to the demo's.
    let (_, html) = admin.page("/").await;
    assert!(html.contains("黄岩区"));
    let again = json!({"revision": saved["revision"], "district_name": "椒江区", "district_division": "331002", "province_division": "", "as_of": "2019-12-31"});
    let (status, s) = admin.put("/api/v1/settings", again).await;
    assert_eq!(
        (status, s["province_division"].as_str()),
        (200, Some("330000")),
        "the code's own province: {s}"
    );
    let (_, log) = app.get("/api/v1/audit?entity=settings").await;
    let entry = &log["items"][1];
    assert_eq!(entry["action"], "settings.update");
    assert_eq!(
        (
            entry["before"]["district_division"].as_str(),
            entry["after"]["district_division"].as_str()
        ),
        (Some("331002"), Some("331003"))
    );
    assert_eq!(log["items"].as_array().unwrap().len(), 2);
}

/// Every write of the master data, as one JSON request each, for the access test.
async fn writes(app: &TestApp) -> Vec<(&'static str, String, Value)> {
    let haimen = unit_id(app, "海门街道").await;
    let baiyun = unit_id(app, "白云街道").await;
    let (_, u) = app.get(&format!("/api/v1/units/{haimen}")).await;
    let (_, people) = app.get(&format!("/api/v1/people?unit={haimen}")).await;
    let person = people["items"][0].clone();
    let (_, t) = app.get("/api/v1/project-types/industrial").await;
    let mut t = t.clone();
    t["name"] = json!("工业项目");
    let (_, cats) = app.get("/api/v1/categories").await;
    let cat = cats["items"][0].clone();
    let (_, s) = app.get("/api/v1/settings").await;
    vec![
        (
            "POST",
            "/api/v1/units".into(),
            json!({"name": "海门街道某社区", "parent_id": haimen, "kind": "street"}),
        ),
        (
            "PATCH",
            format!("/api/v1/units/{haimen}"),
            json!({"version": u["version"], "name": "海门"}),
        ),
        ("POST", format!("/api/v1/units/{haimen}/retire"), json!({"version": u["version"]})),
        (
            "POST",
            format!("/api/v1/units/{baiyun}/merge"),
            json!({"version": u["version"], "into_id": haimen}),
        ),
        ("POST", "/api/v1/people".into(), json!({"name": "张三", "unit_id": haimen})),
        (
            "PATCH",
            format!("/api/v1/people/{}", person["id"]),
            json!({"version": person["version"], "phone": "110"}),
        ),
        ("POST", "/api/v1/project-types".into(), park_type("park", "园区项目")),
        ("PUT", "/api/v1/project-types/industrial".into(), t),
        ("POST", "/api/v1/categories".into(), json!({"code": "x1", "name": "某类"})),
        (
            "PATCH",
            format!("/api/v1/categories/{}", cat["id"]),
            json!({"version": cat["version"], "name": "某类"}),
        ),
        (
            "PUT",
            format!("/api/v1/categories/{}/targets/2020", cat["id"]),
            json!({"target_pct": "50"}),
        ),
        ("DELETE", format!("/api/v1/categories/{}/targets/2019", cat["id"]), json!({})),
        (
            "PUT",
            "/api/v1/settings".into(),
            json!({"revision": s["revision"], "district_name": "x", "district_division": "331002"}),
        ),
    ]
}

#[tokio::test]
async fn unit_editors_leaders_and_viewers_read_master_data_but_may_not_change_it() {
    let app = spawn_app().await;
    let before = app.audit_count().await;
    for username in ["haimen", "chakan", "lingdao"] {
        let s = app.login(username).await;
        for path in [
            "/api/v1/units",
            "/api/v1/people?leaders=1",
            "/api/v1/project-types",
            "/api/v1/project-types/industrial",
            "/api/v1/categories",
            "/api/v1/settings",
        ] {
            let (status, v) = s.get(path).await;
            assert_eq!(status, 200, "{username} reads {path}: {v}");
        }
        for (method, path, body) in writes(&app).await {
            let (status, e) = s.send(method, &path, Some(body), true).await;
            assert_eq!(status, 403, "{username} {method} {path}: {e}");
            assert!(e["error"]["message"].as_str().unwrap().contains("无权"), "{e}");
        }
        for page in [
            "/admin/units",
            "/admin/people",
            "/admin/project-types",
            "/admin/categories",
            "/admin/settings",
        ] {
            assert_eq!(s.page(page).await.0, 403, "{username} {page}");
        }
        let (_, html) = s.page("/").await;
        assert!(!html.contains("href=\"/admin/units\""), "no master-data link for {username}");
    }
    assert_eq!(app.audit_count().await, before, "nothing was written");
}

#[tokio::test]
async fn the_master_data_pages_work_in_both_languages_and_their_forms_write() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (_, cockpit) = coordinator.page("/").await;
    assert!(
        cockpit.contains("href=\"/admin/units\""),
        "the coordinator's navigation links the master data"
    );
    let haimen = unit_id(&app, "海门街道").await;
    let person = app.scalar(&format!("SELECT MIN(id) FROM people WHERE unit_id = {haimen}")).await;
    let pages = [
        "/admin/units".to_string(),
        "/admin/units?all=1".into(),
        format!("/admin/units/{haimen}"),
        "/admin/people".into(),
        format!("/admin/people?unit={haimen}&leaders=1&all=1"),
        format!("/admin/people/{person}"),
        "/admin/project-types".into(),
        "/admin/project-types/industrial".into(),
        "/admin/categories".into(),
        "/admin/settings".into(),
    ];
    for page in &pages {
        for lang in ["zh-CN", "en"] {
            let path = format!("{page}{}lang={lang}", if page.contains('?') { '&' } else { '?' });
            let (status, html) = coordinator.page(&path).await;
            assert_eq!(status, 200, "{path}: {html}");
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
            assert!(!html.contains(" style=\"") && !html.contains("<script>"), "{path}: inline code");
            assert_eq!(
                html.matches("<table").count(),
                html.matches("<div class=\"table-wrap\"><table").count(),
                "{path}: every table scrolls inside its frame on a phone"
            );
        }
    }
    let (_, html) = coordinator.page("/admin/project-types/industrial?lang=en").await;
    assert!(
        html.contains("only affects projects planned from now on"),
        "the page says what a template change does"
    );
    let (_, html) = coordinator.page("/admin/categories").await;
    assert!(html.contains("started_on"), "the page says what counts as landed");
    let (_, html) = coordinator.page("/admin/settings").await;
    assert!(
        html.contains("只有系统管理员可以修改") && !html.contains("name=\"revision\""),
        "read only for the coordinator"
    );
    assert_eq!(coordinator.page("/admin/units/99999999").await.0, 404);
    assert_eq!(coordinator.page("/admin/project-types/nothing").await.0, 404);

    // Units: create, change, retire, merge through the forms.
    let root = unit_id(&app, "椒江区人民政府").await;
    let body = coordinator
        .post_form_accepted(
            "/admin/units",
            &json!({"name": "区表单局", "parent_id": root.to_string(), "kind": "department", "division_code": "", "code": "", "sort_order": ""}),
        )
        .await;
    assert!(body.is_empty() || !body.contains("error"), "{body}");
    let made = unit_id(&app, "区表单局").await;
    let (_, u) = app.get(&format!("/api/v1/units/{made}")).await;
    let (status, refused) = coordinator
        .post_form(
            "/admin/units",
            &json!({"name": "区表单局", "parent_id": root.to_string(), "kind": "department"}),
            true,
        )
        .await;
    assert_eq!(status, 303, "a refusal goes back with its reason: {refused}");
    coordinator
        .post_form_accepted(
            &format!("/admin/units/{made}"),
            &json!({"version": u["version"].to_string(), "name": "区表单局二", "parent_id": root.to_string(), "kind": "soe", "division_code": "331002", "code": "F-1", "sort_order": "5"}),
        )
        .await;
    let (_, u) = app.get(&format!("/api/v1/units/{made}")).await;
    assert_eq!(
        (u["name"].as_str(), u["kind"].as_str(), u["sort_order"].as_i64()),
        (Some("区表单局二"), Some("soe"), Some(5))
    );
    let (status, stale) = coordinator
        .post_form(&format!("/admin/units/{made}/retire"), &json!({"version": "1"}), true)
        .await;
    assert_eq!(status, 409, "{stale}");
    assert!(stale.contains("请刷新后对比再提交"));
    coordinator
        .post_form_accepted(
            &format!("/admin/units/{made}/merge"),
            &json!({"version": u["version"].to_string(), "into_id": root.to_string()}),
        )
        .await;
    let (_, u) = app.get(&format!("/api/v1/units/{made}")).await;
    assert_eq!(u["merged_into"], root);
    let other = new_unit(&coordinator, "区待停用局", root, "department").await;
    coordinator
        .post_form_accepted(
            &format!("/admin/units/{}/retire", other["id"]),
            &json!({"version": other["version"].to_string()}),
        )
        .await;
    assert_eq!(app.get(&format!("/api/v1/units/{}", other["id"])).await.1["active"], false);

    // People.
    coordinator
        .post_form_accepted(
            "/admin/people",
            &json!({"name": "表单人员", "title": "科员", "unit_id": haimen.to_string(), "phone": "13800000000", "is_leader": "1"}),
        )
        .await;
    let (_, people) = app.get("/api/v1/people?leaders=1").await;
    let p = find_by(&people["items"], "name", "表单人员").clone();
    coordinator
        .post_form_accepted(
            &format!("/admin/people/{}", p["id"]),
            &json!({"version": p["version"].to_string(), "name": "表单人员", "title": "科长", "unit_id": haimen.to_string(), "phone": ""}),
        )
        .await;
    let (_, p) = app.get(&format!("/api/v1/people/{}", p["id"])).await;
    assert_eq!(
        (p["title"].as_str(), p["is_leader"].as_bool(), p["active"].as_bool()),
        (Some("科长"), Some(false), Some(false))
    );

    // A project type from lines, then its editor's rows.
    coordinator
        .post_form_accepted(
            "/admin/project-types",
            &json!({"code": "form_type", "name": "表单类型", "name_en": "", "steps": "签约\n赋码备案 30\n开工，60"}),
        )
        .await;
    let (_, t) = app.get("/api/v1/project-types/form_type").await;
    assert_eq!(t["steps"][2]["depends_on"], json!([2]), "{t}");
    assert_eq!(t["name_en"], "表单类型", "the Chinese name stands in for an English one");
    let (_, editor) = coordinator.page("/admin/project-types/form_type").await;
    assert!(editor.contains("name=\"s5_name\""), "three empty rows for new steps");
    coordinator
        .post_form_expect(
            "/admin/project-types/form_type",
            &json!({"version": "1", "name": "表单类型", "name_en": "Form type",
                    "s0_seq": "1", "s0_name": "签约", "s0_offset": "0", "s0_depends": "", "s0_owner": "",
                    "s1_seq": "2", "s1_name": "赋码备案", "s1_offset": "20", "s1_depends": "1", "s1_owner": "department:发改",
                    "s2_seq": "3", "s2_name": "", "s2_offset": "60", "s2_depends": "2", "s2_owner": "",
                    "s3_seq": "4", "s3_name": "开工", "s3_offset": "10", "s3_depends": "1、2", "s3_owner": "",
                    "c0_name": "赋码至开工", "c0_start": "赋码备案", "c0_stop": "开工", "c0_limit": "30", "c0_kind": "calendar"}),
            303,
        )
        .await;
    let (_, t) = app.get("/api/v1/project-types/form_type").await;
    let names: Vec<&str> = t["steps"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["签约", "赋码备案", "开工"]);
    assert_eq!(
        (t["steps"][2]["depends_on"].clone(), t["clocks"][0]["limit_days"].as_i64()),
        (json!([1, 2]), Some(30))
    );
    let (status, stale) = coordinator
        .post_form(
            "/admin/project-types/form_type",
            &json!({"version": "1", "name": "表单类型", "s0_seq": "1", "s0_name": "签约"}),
            true,
        )
        .await;
    assert_eq!(status, 409, "{stale}");

    // Categories and a year's target; then cleared.
    coordinator
        .post_form_accepted(
            "/admin/categories",
            &json!({"code": "form_cat", "name": "表单类别", "tracks_landing": "1", "sort_order": ""}),
        )
        .await;
    let (_, cats) = app.get("/api/v1/categories").await;
    let c = find_by(&cats["items"], "code", "form_cat").clone();
    coordinator
        .post_form_accepted(
            &format!("/admin/categories/{}/targets", c["id"]),
            &json!({"version": c["version"].to_string(), "year": "2020", "target_pct": "75.5"}),
        )
        .await;
    let (_, c2) = app.get(&format!("/api/v1/categories/{}", c["id"])).await;
    assert_eq!(c2["targets"], json!([{"year": 2020, "target_pct": 75.5}]));
    coordinator
        .post_form_accepted(
            &format!("/admin/categories/{}", c["id"]),
            &json!({"version": c2["version"].to_string(), "code": "form_cat", "name": "表单类别二", "sort_order": "3"}),
        )
        .await;
    let (_, c3) = app.get(&format!("/api/v1/categories/{}", c["id"])).await;
    assert_eq!(
        (c3["name"].as_str(), c3["tracks_landing"].as_bool()),
        (Some("表单类别二"), Some(false))
    );
    coordinator
        .post_form_accepted(
            &format!("/admin/categories/{}/targets", c["id"]),
            &json!({"version": c3["version"].to_string(), "year": "2020", "target_pct": ""}),
        )
        .await;
    assert_eq!(app.get(&format!("/api/v1/categories/{}", c["id"])).await.1["targets"], json!([]));

    // Settings, by the administrator.
    let admin = app.login("admin").await;
    let (_, html) = admin.page("/admin/settings?lang=en").await;
    assert!(
        html.contains("name=\"revision\"") && html.contains("椒江区"),
        "the administrator's form"
    );
    let (_, s) = app.get("/api/v1/settings").await;
    admin
        .post_form_accepted(
            "/admin/settings",
            &json!({"revision": s["revision"], "district_name": "椒江区", "district_division": "331002", "province_division": "330000", "as_of": "2019-12-30"}),
        )
        .await;
    assert_eq!(app.store.setting("as_of").await.unwrap().as_deref(), Some("2019-12-30"));
    let (status, stale) = admin
        .post_form(
            "/admin/settings",
            &json!({"revision": s["revision"], "district_name": "椒江区", "district_division": "331002"}),
            true,
        )
        .await;
    assert_eq!(status, 409, "{stale}");
}

#[tokio::test]
async fn a_new_district_is_built_from_an_empty_database_through_the_api_alone() {
    let (store, _dir, _url) = fresh_store().await;
    assert!(store.is_empty().await.unwrap());
    // What `zhantu init` will do: the top unit and the first administrator.
    let ctx = zhantu_store::AuditCtx::system("tests");
    let top = store
        .create_unit(
            &zhantu_store::units::NewUnit {
                name: "临海市".into(),
                parent_id: None,
                kind: zhantu_domain::model::UnitKind::District,
                division_code: None,
                code: None,
                sort_order: None,
            },
            &ctx,
        )
        .await
        .unwrap();
    store
        .create_user(
            &zhantu_store::NewUser {
                username: "admin".into(),
                display_name: "管理员".into(),
                role: zhantu_domain::access::Role::Admin,
                unit_id: top.id,
                password_hash: zhantu_web::auth::hash_password("Linhai2020admin").unwrap(),
                must_change_password: false,
            },
            &ctx,
        )
        .await
        .unwrap();
    let base = serve(store.clone()).await;
    let admin = crate::helpers::login(&base, "admin", "Linhai2020admin").await.expect("sign in");

    // The district's settings.
    let (_, s) = admin.get("/api/v1/settings").await;
    assert!(s["district_name"].is_null());
    let (status, s) = admin
        .put(
            "/api/v1/settings",
            json!({"revision": s["revision"], "district_name": "临海市", "district_division": "331082", "province_division": "330000", "as_of": "2020-12-31"}),
        )
        .await;
    assert_eq!(status, 200, "{s}");

    // The units: the top renamed and coded, streets, departments, a team below a department.
    let (status, t) = admin
        .patch(
            &format!("/api/v1/units/{}", top.id),
            json!({"version": top.version, "name": "临海市人民政府", "division_code": "331082"}),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    let unit =
        |name: &str, parent: i64, kind: &str, order: i64| json!({"name": name, "parent_id": parent, "kind": kind, "sort_order": order});
    let mut ids = std::collections::BTreeMap::new();
    for (name, kind, order) in [
        ("大洋街道", "street", 2),
        ("古城街道", "street", 1),
        ("市发改局", "department", 10),
        ("市自然资源和规划局", "department", 11),
        ("市投资促进中心", "department", 12),
    ] {
        let u = admin.post_json_expect("/api/v1/units", unit(name, top.id, kind, order), 201).await;
        ids.insert(name, u["id"].as_i64().unwrap());
    }
    let team = admin
        .post_json_expect("/api/v1/units", unit("第一招商组", ids["市投资促进中心"], "招商组", 0), 201)
        .await;
    let team = team["id"].as_i64().unwrap();
    let (_, tree) = admin.get("/api/v1/units").await;
    let tree: Vec<(String, i64)> = tree["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["name"].as_str().unwrap().to_string(), u["depth"].as_i64().unwrap()))
        .collect();
    let expected: Vec<(String, i64)> = [
        ("临海市人民政府", 0),
        ("古城街道", 1),
        ("大洋街道", 1),
        ("市发改局", 1),
        ("市自然资源和规划局", 1),
        ("市投资促进中心", 1),
        ("第一招商组", 2),
    ]
    .iter()
    .map(|(n, d)| (n.to_string(), *d))
    .collect();
    assert_eq!(tree, expected);

    // People: a district leader and the streets' staff.
    admin
        .post_json_expect(
            "/api/v1/people",
            json!({"name": "王副市长", "title": "副市长", "unit_id": top.id, "is_leader": true}),
            201,
        )
        .await;
    for (name, street) in [("李明", "古城街道"), ("陈静", "大洋街道")] {
        admin
            .post_json_expect(
                "/api/v1/people",
                json!({"name": name, "title": "项目办主任", "unit_id": ids[street], "phone": "0576-85123456"}),
                201,
            )
            .await;
    }
    let (_, leaders) = admin.get("/api/v1/people?leaders=1").await;
    assert_eq!(
        (leaders["total"].as_i64(), leaders["items"][0]["name"].as_str()),
        (Some(1), Some("王副市长"))
    );
    let (_, staff) = admin.get(&format!("/api/v1/people?unit={}", ids["古城街道"])).await;
    assert_eq!(staff["items"][0]["name"], "李明");

    // One project type of three steps, and two categories with their 2020 targets.
    admin
        .post_json_expect("/api/v1/project-types", park_type("industrial", "工业项目"), 201)
        .await;
    for (code, name, target) in [("prov_key", "省重点项目", "85"), ("mayor", "市长项目", "60.5")] {
        let c = admin
            .post_json_expect(
                "/api/v1/categories",
                json!({"code": code, "name": name, "tracks_landing": true}),
                201,
            )
            .await;
        let (status, c) = admin
            .put(
                &format!("/api/v1/categories/{}/targets/2020", c["id"]),
                json!({"target_pct": target}),
            )
            .await;
        assert_eq!(status, 200, "{c}");
    }

    // Read back: the type, the categories, the settings, and the figures that use them.
    let (_, t) = admin.get("/api/v1/project-types").await;
    assert_eq!(
        (
            t["total"].as_i64(),
            t["items"][0]["steps"].as_i64(),
            t["items"][0]["clocks"].as_i64()
        ),
        (Some(1), Some(3), Some(1))
    );
    let (_, cats) = admin.get("/api/v1/categories").await;
    let got: Vec<(&str, String)> = cats["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["targets"][0]["target_pct"].to_string()))
        .collect();
    assert_eq!(got, [("prov_key", "85.0".to_string()), ("mayor", "60.5".to_string())]);
    let (_, s) = admin.get("/api/v1/settings").await;
    assert_eq!(
        (s["district_name"].as_str(), s["district_division"].as_str(), s["as_of"].as_str()),
        (Some("临海市"), Some("331082"), Some("2020-12-31"))
    );
    let (status, figures) = admin.get("/api/v1/figures?year=2020").await;
    assert_eq!(status, 200, "{figures}");
    let targets: Vec<String> = figures["landing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["target_pct"].to_string())
        .collect();
    assert_eq!(targets, ["85.0", "60.5"]);

    // A project planned from the new template, its 赋码备案 with the 发改局 by the owner hint.
    let project = planned_project(&admin, team, "industrial", "2020-03-01").await;
    let (_, p) = admin.get(&format!("/api/v1/projects/{project}")).await;
    let nodes: Vec<(&str, &str)> = p["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["name"].as_str().unwrap(), n["planned_on"].as_str().unwrap()))
        .collect();
    assert_eq!(nodes, [("签约", "2020-03-01"), ("赋码备案", "2020-03-31"), ("开工", "2020-05-30")]);
    let fagai = ids["市发改局"];
    assert_eq!(
        sqlx::query_scalar::<_, i64>(&format!(
            "SELECT responsible_unit_id FROM nodes WHERE project_id = {project} AND name = '赋码备案'"
        ))
        .fetch_one(store.pool())
        .await
        .unwrap(),
        fagai
    );
    let verified = store.verify_audit_chain().await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
    let (_, log) = admin.get("/api/v1/audit?limit=200").await;
    assert!(log["items"].as_array().unwrap().len() > 15, "every step of the way is in the log");
}

/// How the access test exercises the master data's write routes (one entry per route of the
/// web crate's `units`, `people`, `project_types`, `categories` and `settings`).
pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let haimen = unit_id(app, "海门街道").await;
    let (_, u) = app.get(&format!("/api/v1/units/{haimen}")).await;
    let uv = u["version"].as_i64().unwrap();
    let (_, people) = app.get(&format!("/api/v1/people?unit={haimen}")).await;
    let (person, pv) = id_version(&people["items"][0]);
    let (_, t) = app.get("/api/v1/project-types/industrial").await;
    let tv = t["version"].as_i64().unwrap();
    let mut type_body = json!({"version": tv, "name": t["name"], "name_en": t["name_en"], "steps": t["steps"], "clocks": t["clocks"]});
    let (_, cats) = app.get("/api/v1/categories").await;
    let (cat, cv) = id_version(&cats["items"][0]);
    let (_, s) = app.get("/api/v1/settings").await;
    let settings = |revision: &Value| json!({"revision": revision, "district_name": "椒江区", "district_division": "331002", "province_division": "330000", "as_of": "2019-12-31"});
    let mut form_type = json!({"version": tv.to_string(), "name": t["name"], "s0_seq": "1", "s0_name": "签约"});
    let f = |path: String, body: Value| Fixture::json(path, body, true, None);
    let form = |path: String, body: Value| Fixture::form(path, body, true, None);
    let stale_type = {
        type_body["version"] = json!(tv - 1);
        let stale = type_body.clone();
        type_body["version"] = json!(tv);
        stale
    };
    let stale_form_type = {
        form_type["version"] = json!((tv - 1).to_string());
        let stale = form_type.clone();
        form_type["version"] = json!(tv.to_string());
        stale
    };
    vec![
        (
            ("POST", "/api/v1/units"),
            f(
                "/api/v1/units".into(),
                json!({"name": "某社区", "parent_id": haimen, "kind": "street"}),
            ),
        ),
        (
            ("PATCH", "/api/v1/units/{id}"),
            Fixture::versioned(format!("/api/v1/units/{haimen}"), json!({"version": uv, "name": "海门"}), true),
        ),
        (
            ("POST", "/api/v1/units/{id}/retire"),
            Fixture::versioned(format!("/api/v1/units/{haimen}/retire"), json!({"version": uv}), true),
        ),
        (
            ("POST", "/api/v1/units/{id}/merge"),
            Fixture::versioned(format!("/api/v1/units/{haimen}/merge"), json!({"version": uv, "into_id": 1}), true),
        ),
        (
            ("POST", "/admin/units"),
            form(
                "/admin/units".into(),
                json!({"name": "某社区", "parent_id": haimen.to_string(), "kind": "street"}),
            ),
        ),
        (
            ("POST", "/admin/units/{id}"),
            Fixture::versioned_form(
                format!("/admin/units/{haimen}"),
                json!({"version": uv.to_string(), "name": "海门街道", "parent_id": "1", "kind": "street"}),
                true,
            ),
        ),
        (
            ("POST", "/admin/units/{id}/retire"),
            Fixture::versioned_form(format!("/admin/units/{haimen}/retire"), json!({"version": uv.to_string()}), true),
        ),
        (
            ("POST", "/admin/units/{id}/merge"),
            Fixture::versioned_form(
                format!("/admin/units/{haimen}/merge"),
                json!({"version": uv.to_string(), "into_id": "1"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/people"),
            f("/api/v1/people".into(), json!({"name": "张三", "unit_id": haimen})),
        ),
        (
            ("PATCH", "/api/v1/people/{id}"),
            Fixture::versioned(format!("/api/v1/people/{person}"), json!({"version": pv, "phone": "110"}), true),
        ),
        (
            ("POST", "/admin/people"),
            form("/admin/people".into(), json!({"name": "张三", "unit_id": haimen.to_string()})),
        ),
        (
            ("POST", "/admin/people/{id}"),
            Fixture::versioned_form(
                format!("/admin/people/{person}"),
                json!({"version": pv.to_string(), "name": "张三", "unit_id": haimen.to_string()}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/project-types"),
            f("/api/v1/project-types".into(), park_type("park", "园区项目")),
        ),
        (
            ("PUT", "/api/v1/project-types/{code}"),
            Fixture::json("/api/v1/project-types/industrial", type_body, true, Some(stale_type)),
        ),
        (
            ("POST", "/admin/project-types"),
            form(
                "/admin/project-types".into(),
                json!({"code": "park", "name": "园区项目", "steps": "签约\n开工 30"}),
            ),
        ),
        (
            ("POST", "/admin/project-types/{code}"),
            Fixture::form("/admin/project-types/industrial", form_type, true, Some(stale_form_type)),
        ),
        (
            ("POST", "/api/v1/categories"),
            f("/api/v1/categories".into(), json!({"code": "x1", "name": "某类"})),
        ),
        (
            ("PATCH", "/api/v1/categories/{id}"),
            Fixture::versioned(format!("/api/v1/categories/{cat}"), json!({"version": cv, "name": "某类"}), true),
        ),
        (
            ("PUT", "/api/v1/categories/{id}/targets/{year}"),
            Fixture::versioned(
                format!("/api/v1/categories/{cat}/targets/2020"),
                json!({"version": cv, "target_pct": "50"}),
                true,
            ),
        ),
        (
            ("DELETE", "/api/v1/categories/{id}/targets/{year}"),
            Fixture::versioned(format!("/api/v1/categories/{cat}/targets/2019"), json!({"version": cv}), true),
        ),
        (
            ("POST", "/admin/categories"),
            form("/admin/categories".into(), json!({"code": "x1", "name": "某类"})),
        ),
        (
            ("POST", "/admin/categories/{id}"),
            Fixture::versioned_form(
                format!("/admin/categories/{cat}"),
                json!({"version": cv.to_string(), "code": "x1", "name": "某类"}),
                true,
            ),
        ),
        (
            ("POST", "/admin/categories/{id}/targets"),
            Fixture::versioned_form(
                format!("/admin/categories/{cat}/targets"),
                json!({"version": cv.to_string(), "year": "2020", "target_pct": "50"}),
                true,
            ),
        ),
        (
            ("PUT", "/api/v1/settings"),
            Fixture::json("/api/v1/settings", settings(&s["revision"]), true, Some(settings(&json!("0000")))),
        ),
        (
            ("POST", "/admin/settings"),
            Fixture::form("/admin/settings", settings(&s["revision"]), true, Some(settings(&json!("0000")))),
        ),
    ]
}
