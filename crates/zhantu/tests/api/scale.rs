//! What keeps the province fast stays correct: the figures' in-memory roll-ups follow every
//! kind of write (and a second process's), figures per division, the overdue-node list, and
//! the lights job's node packs.

use crate::helpers::{TestApp, spawn_app, sum_of};
use serde_json::Value;
use zhantu_store::{OpenMode, Store};

/// The figures a process that has just started (and so built its roll-ups afresh) computes.
async fn fresh_figures(app: &TestApp, division: Option<&str>) -> Value {
    let other = Store::open(&app.url, OpenMode::ExistingOnly).await.unwrap();
    let f = match division {
        None => other.year_figures(2019).await.unwrap(),
        Some(d) => other.division_figures(2019, Some(d)).await.unwrap(),
    };
    other.close().await;
    serde_json::to_value(f).unwrap()
}

/// After each write, the served figures equal a fresh build's, and the kept roll-ups equal a
/// rebuild's.
async fn check(app: &TestApp, what: &str) -> Value {
    let (status, served) = app.get("/api/v1/figures?year=2019").await;
    assert_eq!(status, 200, "{served}");
    assert_eq!(
        served,
        fresh_figures(app, None).await,
        "after {what}: the served figures differ from a fresh build's"
    );
    assert!(
        app.store.rollup_matches_rebuild().await.unwrap(),
        "after {what}: the roll-ups differ from a rebuild"
    );
    served
}

#[tokio::test]
async fn the_figures_roll_ups_follow_every_kind_of_write() {
    let app = spawn_app().await;
    let before = check(&app, "nothing").await;

    // A node closed on time: one more on time, one fewer open.
    let node: i64 = app
        .scalar(
            "SELECT id FROM nodes WHERE status = 'open' AND planned_on >= '2019-01-01' AND planned_on <= '2019-12-31' ORDER BY id LIMIT 1",
        )
        .await;
    app.execute(&format!(
        "UPDATE nodes SET status = 'closed', actual_on = planned_on WHERE id = {node}"
    ))
    .await;
    let after = check(&app, "a node closed").await;
    let on_time = |f: &Value| f["node_on_time"]["on_time"].as_i64().unwrap();
    assert_eq!(on_time(&after), on_time(&before) + 1);

    // A problem raised, then closed.
    let raised = |f: &Value| f["problems"]["raised"].as_i64().unwrap();
    app.execute(
        "INSERT INTO problems (category, description, unit_id, raised_on, deadline, status) \
         SELECT '要素保障', '用地指标不足', id, '2019-11-01', '2019-11-30', 'open' FROM units ORDER BY id LIMIT 1",
    )
    .await;
    let f = check(&app, "a problem raised").await;
    assert_eq!(raised(&f), raised(&before) + 1);
    app.execute("UPDATE problems SET status = 'closed', closed_on = '2019-11-20' WHERE description = '用地指标不足'")
        .await;
    check(&app, "a problem closed").await;

    // Investment reported, a plan changed, a stage moved, a category dropped, a node added
    // and one deleted, a project deleted with its rows.
    let project: i64 = app
        .scalar("SELECT project_id FROM annual_plans WHERE year = 2019 ORDER BY project_id LIMIT 1")
        .await;
    app.execute(&format!(
        "DELETE FROM monthly_investment WHERE project_id = {project} AND year = 2019 AND month = 11"
    ))
    .await;
    app.execute(&format!(
        "INSERT INTO monthly_investment (project_id, year, month, amount) VALUES ({project}, 2019, 11, 12345600)"
    ))
    .await;
    let f = check(&app, "investment reported").await;
    assert_ne!(f["investment"], before["investment"]);
    app.execute(&format!(
        "UPDATE annual_plans SET planned_investment = planned_investment + 100000000 WHERE project_id = {project} AND year = 2019"
    ))
    .await;
    check(&app, "a plan changed").await;
    app.execute(&format!("UPDATE projects SET stage = 'completed' WHERE id = {project}"))
        .await;
    check(&app, "a stage moved").await;
    app.execute("DELETE FROM project_categories WHERE project_id = (SELECT MIN(project_id) FROM project_categories WHERE year = 2019)")
        .await;
    check(&app, "a category dropped").await;
    app.execute(&format!(
        "INSERT INTO nodes (project_id, seq, name, planned_on, baseline_on, responsible_unit_id, status) \
             SELECT {project}, 99, '补充节点', '2019-06-30', '2019-06-30', unit_id, 'open' FROM projects WHERE id = {project}"
    ))
    .await;
    check(&app, "a node added").await;
    app.execute("DELETE FROM nodes WHERE name = '补充节点'").await;
    check(&app, "a node deleted").await;

    // A unit moving to another division: everything is reloaded.
    app.execute("UPDATE units SET division_code = '331003' WHERE id = (SELECT MIN(unit_id) FROM projects)")
        .await;
    check(&app, "a unit moved").await;

    // The lights job rewrites lights and packs; the roll-ups follow.
    app.store.recompute_lights("manual").await.unwrap();
    check(&app, "a lights run").await;
}

#[tokio::test]
async fn a_second_process_sees_the_first_ones_changes_in_its_figures() {
    let app = spawn_app().await;
    let other = Store::open(&app.url, OpenMode::ExistingOnly).await.unwrap();
    let raised = |f: &zhantu_domain::figures::YearFigures| f.problems.raised;
    let before = other.year_figures(2019).await.unwrap();
    // A problem raised through the served app (the first process).
    let admin = app.login("fgj").await;
    let unit: i64 = app.scalar("SELECT unit_id FROM projects ORDER BY id LIMIT 1").await;
    let (status, body) = admin
        .post(
            "/api/v1/problems",
            serde_json::json!({"unit_id": unit, "category": "要素保障", "description": "施工用电未接入", "raised_on": "2019-12-02"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let after = other.year_figures(2019).await.unwrap();
    assert_eq!(
        raised(&after),
        raised(&before) + 1,
        "the second process's figures count the new problem"
    );
    assert!(other.rollup_matches_rebuild().await.unwrap());
    other.close().await;
}

#[tokio::test]
async fn figures_per_division() {
    let app = spawn_app().await;
    let (_, all) = app.get("/api/v1/figures?year=2019").await;
    // Every project of the demo is in 椒江区 (by its street, or its unit's, or the district).
    let (status, district) = app.get("/api/v1/figures?year=2019&division=331002").await;
    assert_eq!(status, 200, "{district}");
    for key in [
        "landing",
        "node_on_time",
        "problems",
        "stages",
        "lights",
        "investment",
        "fai_growth_pct",
    ] {
        assert_eq!(district[key], all[key], "{key}");
    }
    assert_eq!(district, fresh_figures(&app, Some("331002")).await);
    // One street: fewer projects, a part of the whole.
    let (_, street) = app.get("/api/v1/figures?year=2019&division=331002001").await;
    let count = |f: &Value| sum_of(&f["stages"], "projects");
    let in_street = app
        .scalar("SELECT COUNT(*) FROM projects WHERE division_code LIKE '331002001%'")
        .await;
    assert_eq!(count(&street), in_street);
    assert!(count(&street) > 0 && count(&street) < count(&all));
    // Another district has none.
    let (_, other) = app.get("/api/v1/figures?year=2019&division=330102").await;
    assert_eq!(count(&other), 0);
    assert_eq!(other["node_on_time"]["due"], 0);
    assert!(other["fai_growth_pct"].is_null());
    let (status, e) = app.get("/api/v1/figures?year=2019&division=椒江").await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_division")));
    assert!(e["error"]["message"].as_str().unwrap().contains("区划代码"));
}

#[tokio::test]
async fn the_overdue_node_list() {
    let app = spawn_app().await;
    let (status, page) = app.get("/api/v1/nodes?overdue=1&limit=20").await;
    assert_eq!(status, 200, "{page}");
    let expected = app
        .scalar("SELECT COUNT(*) FROM nodes WHERE status <> 'closed' AND planned_on < '2019-12-31'")
        .await;
    assert!(expected > 20, "the demo has overdue nodes");
    assert_eq!(page["total"].as_i64().unwrap(), expected);
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    let days: Vec<i64> = items.iter().map(|n| n["days_overdue"].as_i64().unwrap()).collect();
    assert!(days.windows(2).all(|w| w[0] >= w[1]), "most overdue first: {days:?}");
    assert!(days.iter().all(|d| *d > 0));
    assert!(
        items
            .iter()
            .all(|n| n["status"] != "closed" && n["project"].is_string() && n["responsible_unit"].is_string())
    );
    // The next page continues where this one stopped.
    let (_, next) = app.get("/api/v1/nodes?overdue=1&limit=20&offset=20").await;
    assert_ne!(next["items"][0]["node_id"], items[0]["node_id"]);
    assert!(next["items"][0]["days_overdue"].as_i64().unwrap() <= *days.last().unwrap());
    // With the registry's filters.
    let (_, street) = app.get("/api/v1/nodes?overdue=1&division=331002001&limit=500").await;
    let in_street = app.scalar("SELECT COUNT(*) FROM nodes n JOIN projects p ON p.id = n.project_id WHERE n.status <> 'closed' AND n.planned_on < '2019-12-31' \
         AND p.division_code LIKE '331002001%'",
    )
    .await;
    assert_eq!(street["total"].as_i64().unwrap(), in_street);
    let (_, none) = app.get("/api/v1/nodes?overdue=1&division=330102").await;
    assert_eq!(none["total"], 0);
    // A unit's staff see their units' projects only.
    let editor = app.login("haimen").await;
    let (_, mine) = editor.get("/api/v1/nodes?overdue=1&limit=500").await;
    assert!(mine["total"].as_i64().unwrap() < expected);
    let (status, e) = app.get("/api/v1/nodes").await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("overdue_required")));
}

#[tokio::test]
async fn the_lights_job_reads_node_packs_that_are_never_stale() {
    let app = spawn_app().await;
    // The load ran the lights: every project with nodes has its pack.
    let unpacked = app
        .scalar("SELECT COUNT(*) FROM projects p WHERE node_pack IS NULL AND EXISTS (SELECT 1 FROM nodes n WHERE n.project_id = p.id)")
        .await;
    assert_eq!(unpacked, 0);
    // A node change voids its project's pack only.
    let (node, project): (i64, i64) = sqlx::query_as("SELECT id, project_id FROM nodes WHERE status = 'open' ORDER BY id LIMIT 1")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.execute(&format!("UPDATE nodes SET planned_on = '2019-01-02' WHERE id = {node}"))
        .await;
    assert_eq!(app.scalar("SELECT COUNT(*) FROM projects WHERE node_pack IS NULL").await, 1);
    assert_eq!(
        app.scalar(&format!("SELECT COUNT(*) FROM projects WHERE node_pack IS NULL AND id = {project}"))
            .await,
        1
    );
    let run = app.store.recompute_lights("manual").await.unwrap();
    assert!(run.changed > 0, "the moved node is now overdue");
    let (light, reason): (Option<String>, Option<String>) =
        sqlx::query_as(&format!("SELECT light, light_reason FROM nodes WHERE id = {node}"))
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(light.as_deref(), Some("red"), "{reason:?}");
    // Packs read and packs rebuilt from the node rows give the same lights: a run over voided
    // packs changes nothing but the packs, and writes the same packs again.
    let packs: Vec<(i64, Option<String>)> = sqlx::query_as("SELECT id, node_pack FROM projects ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    let again = app.store.recompute_lights("manual").await.unwrap();
    assert_eq!(again.changed, 0);
    app.execute("UPDATE projects SET node_pack = NULL").await;
    let rebuilt = app.store.recompute_lights("manual").await.unwrap();
    assert_eq!((rebuilt.red, rebuilt.yellow, rebuilt.green), (again.red, again.yellow, again.green));
    let repacked: Vec<(i64, Option<String>)> = sqlx::query_as("SELECT id, node_pack FROM projects ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert_eq!(repacked, packs);
}

/// Every project's and node's light, reason and pack, in id order.
async fn all_lights(
    app: &TestApp,
) -> (
    Vec<(i64, Option<String>, Option<String>, Option<String>)>,
    Vec<(i64, Option<String>, Option<String>)>,
) {
    let projects = sqlx::query_as("SELECT id, light, light_reasons, node_pack FROM projects ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    let nodes = sqlx::query_as("SELECT id, light, light_reason FROM nodes ORDER BY id")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    (projects, nodes)
}

#[tokio::test]
async fn a_lights_run_in_chunks_writes_what_one_pass_writes() {
    let app = spawn_app().await;
    let total = app.scalar("SELECT COUNT(*) FROM projects").await;
    let before = all_lights(&app).await;
    // Chunks of 7 ids, so the demo district's projects span many chunk boundaries.
    let chunked = app.store.clone().with_lights_chunk(7);
    let run = chunked.recompute_lights("manual").await.unwrap();
    assert_eq!(
        (run.projects as i64, run.changed),
        (total, 0),
        "the same lights as the load's single chunk"
    );
    // From nothing: every light and pack written again, chunk by chunk, comes out the same.
    app.execute("UPDATE nodes SET light = NULL, light_reason = NULL").await;
    app.execute("UPDATE projects SET light = NULL, light_reason = NULL, light_reasons = NULL, node_pack = NULL")
        .await;
    let rebuilt = chunked.recompute_lights("manual").await.unwrap();
    assert!(rebuilt.changed > 0);
    assert_eq!((rebuilt.red, rebuilt.yellow, rebuilt.green), (run.red, run.yellow, run.green));
    assert_eq!(all_lights(&app).await, before);
}
