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
    let old = admin
        .post_json_expect(
            "/api/v1/units",
            json!({"name": "区老干部局", "parent_id": root, "kind": "department"}),
            201,
        )
        .await;
    let (old_id, v) = id_version(&old);
    let below = admin
        .post_json_expect(
            "/api/v1/units",
            json!({"name": "老干部活动中心", "parent_id": old_id, "kind": "department"}),
            201,
        )
        .await;
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
    let (_, all) = admin.get("/api/v1/units?all=1").await;
    assert_eq!(find_by(&all["items"], "id", old_id)["active"], false);
    let (status, e) = admin.post("/api/v1/people", json!({"name": "张三", "unit_id": old_id})).await;
    assert_eq!((status, code(&e)), (400, "unit_missing_or_inactive"), "{e}");
    let again = admin
        .post_json_expect(
            "/api/v1/units",
            json!({"name": "区老干部局", "parent_id": root, "kind": "department"}),
            201,
        )
        .await;
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
    let community = admin
        .post_json_expect(
            "/api/v1/units",
            json!({"name": "东山社区", "parent_id": from, "kind": "street"}),
            201,
        )
        .await;
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
