//! End-to-end tests of the pipeline area: attraction leads, groundbreaking batches, campaigns,
//! supervision rounds and the land quota, each through the API with the roles it involves.

use crate::helpers::{TestApp, demo_base, demo_get, download, find_by, spawn_app, sum_of};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};
use zhantu_store::AuditCtx;

fn arr(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not an array: {v}"))
}

/// An attraction team's id (the team of the first demo lead).
async fn a_team(app: &TestApp) -> i64 {
    let (_, leads) = app.get("/api/v1/leads").await;
    arr(&leads["items"])[0]["team_unit_id"].as_i64().unwrap()
}

/// A project whose first open node (the next one to close) is named `name`: (project, node, node version).
async fn project_with_next_node(app: &TestApp, name: &str) -> (i64, i64, i64) {
    let next_is_open_and_named = |d: &Value| {
        let mut nodes: Vec<&Value> = arr(&d["nodes"]).iter().filter(|n| n["status"] != "closed").collect();
        nodes.sort_by_key(|n| n["seq"].as_i64().unwrap());
        let n = nodes.first().filter(|n| n["name"] == name && n["status"] == "open")?;
        Some((d["id"].as_i64().unwrap(), n["id"].as_i64().unwrap(), n["version"].as_i64().unwrap()))
    };
    for stage in ["preparation", "signed", "reserve", "planning"] {
        let (_, page) = app.get(&format!("/api/v1/projects?stage={stage}&limit=500")).await;
        if let Some(found) = app.first_project_where(&page, next_is_open_and_named).await {
            return found;
        }
    }
    panic!("no project whose next node is {name}");
}

/// Closes a node through the store's two steps (report, verify) on the demo's as-of day.
async fn close_node(app: &TestApp, node: i64, version: i64) {
    let ctx = AuditCtx::system("tests");
    let day = app.store.as_of().await.unwrap();
    let n = app
        .store
        .report_node_done(node, version, day, "测试完成", &[], &ctx)
        .await
        .expect("report");
    app.store.verify_node(node, n.version, true, "", &ctx).await.expect("verify");
}

#[tokio::test]
async fn a_lead_moves_from_talks_to_signed_to_landed_creating_its_project() {
    let app = spawn_app().await;
    let team = a_team(&app).await;
    let fgj = app.login("fgj").await;
    let (status, lead) = fgj
        .post("/api/v1/leads", json!({"name": "测试新材料产业化", "investor": "测试新材料有限公司", "team_unit_id": team, "signed_amount": "52000万元", "foreign_usd": 1200, "source_region": "上海"}))
        .await;
    assert_eq!(status, 201, "{lead}");
    assert_eq!(lead["stage"], "talks");
    assert_eq!(lead["signed_amount"], 520_000_000i64);
    assert_eq!(lead["foreign_usd_cents"], 1_200_000_000i64);
    let id = lead["id"].as_i64().unwrap();
    let stage = |v: &Value, to: &str, extra: Value| {
        let mut b = json!({"version": v["version"], "to": to});
        for (k, x) in extra.as_object().unwrap() {
            b[k] = x.clone();
        }
        b
    };
    let path = format!("/api/v1/leads/{id}/stage");

    // Skipping 签约 is refused; so is a viewer, a leader and a unit editor of another unit.
    let (status, e) = fgj
        .post(&path, stage(&lead, "landed", json!({"create_project_type": "industrial"})))
        .await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("跳过签约"), "{e}");
    for who in ["chakan", "lingdao", "haimen"] {
        let s = app.login(who).await;
        let (status, e) = s.post(&path, stage(&lead, "signed", json!({}))).await;
        assert_eq!(status, 403, "{who}: {e}");
    }

    let (status, signed) = fgj.post(&path, stage(&lead, "签约", json!({"on": "2019-12-20"}))).await;
    assert_eq!(status, 200, "{signed}");
    assert_eq!(
        (signed["stage"].as_str(), signed["signed_on"].as_str()),
        (Some("signed"), Some("2019-12-20"))
    );
    // A stale version is a conflict; going back needs a reason; 落地 needs a project.
    let (status, e) = fgj
        .post(&path, stage(&lead, "landed", json!({"create_project_type": "industrial"})))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("stale_version")), "{e}");
    let (status, e) = fgj.post(&path, stage(&signed, "talks", json!({}))).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("理由"), "{e}");
    let (status, e) = fgj.post(&path, stage(&signed, "landed", json!({}))).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("关联"), "{e}");

    let (status, landed) = fgj
        .post(
            &path,
            stage(&signed, "landed", json!({"create_project_type": "industrial", "on": "2019-12-28"})),
        )
        .await;
    assert_eq!(status, 200, "{landed}");
    assert_eq!(landed["stage"], "landed");
    assert_eq!(landed["landed_on"], "2019-12-28");
    let project = landed["project_id"].as_i64().expect("a project was created");
    let (status, p) = app.get(&format!("/api/v1/projects/{project}")).await;
    assert_eq!(status, 200, "{p}");
    assert_eq!(p["name"], "测试新材料产业化项目");
    assert_eq!(p["stage"], "started");
    assert_eq!(p["started_on"], "2019-12-28");
    // The registry finds it by name (the search index knows it).
    let (_, found) = app.get(&format!("/api/v1/projects?q={}", "测试新材料")).await;
    assert!(arr(&found["items"]).iter().any(|x| x["id"] == project), "{found}");
    // A landed lead cannot be dropped.
    let (status, _) = fgj.post(&path, stage(&landed, "dropped", json!({"reason": "x"}))).await;
    assert_eq!(status, 400);

    // A second lead lands on an existing project, which cannot be linked twice.
    let (_, other) = fgj.post("/api/v1/leads", json!({"name": "第二条线索", "team_unit_id": team})).await;
    let opath = format!("/api/v1/leads/{}/stage", other["id"]);
    let (_, other) = fgj.post(&opath, stage(&other, "signed", json!({}))).await;
    let (status, e) = fgj.post(&opath, stage(&other, "landed", json!({"project_id": project}))).await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("duplicate")), "{e}");

    // The funnel counts it: one more landed for the team.
    let (_, funnel) = fgj.get("/api/v1/leads/funnel").await;
    let row = find_by(&funnel["by_team"], "group", lead["team_name"].clone()).clone();
    assert!(
        row["landed"].as_i64().unwrap() >= 1 && row["signed"].as_i64().unwrap() >= 1,
        "{row}"
    );
    assert!(funnel["total"]["landing_rate"].is_number(), "{funnel}");
    assert!(!arr(&funnel["by_leader"]).is_empty());

    // A unit editor manages the leads of its own unit only, and sees only those.
    let haimen = app.login("haimen").await;
    let (status, e) = haimen
        .post("/api/v1/leads", json!({"name": "越权线索", "team_unit_id": team}))
        .await;
    assert_eq!(status, 403, "{e}");
    let own = app.store.user_by_username("haimen").await.unwrap().unwrap().unit_id;
    let (status, mine) = haimen
        .post("/api/v1/leads", json!({"name": "街道自主招商线索", "team_unit_id": own}))
        .await;
    assert_eq!(status, 201, "{mine}");
    let (status, patched) = haimen
        .patch(
            &format!("/api/v1/leads/{}", mine["id"]),
            json!({"version": mine["version"], "note": "已二次对接"}),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["note"], "已二次对接");
    let (_, seen) = haimen.get("/api/v1/leads").await;
    assert!(arr(&seen["items"]).iter().all(|l| l["team_unit_id"] == own), "{seen}");
    assert_eq!(haimen.get(&format!("/api/v1/leads/{id}")).await.0, 403);

    // Every accepted write is in the audit log.
    let n = app
        .scalar("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'lead.%' OR action = 'project.create_from_lead'")
        .await;
    assert_eq!(n, 8, "2 creates + 3 moves + 1 project + haimen's create and patch");
}

#[tokio::test]
async fn a_batch_admits_a_project_only_once_its_gate_node_is_closed_and_a_campaign_board_follows() {
    let app = spawn_app().await;
    let (project, node, version) = project_with_next_node(&app, "施工许可").await;
    let fgj = app.login("fgj").await;
    let haimen = app.login("haimen").await;
    // Held on the data day: the gate node closed that day counts (the gate is judged as of
    // the batch's date).
    let body = json!({"name": "2019年12月测试集中开工", "level": "区级", "held_on": "2019-12-31"});
    assert_eq!(haimen.post("/api/v1/batches", body.clone()).await.0, 403);
    let (status, b) = fgj.post("/api/v1/batches", body).await;
    assert_eq!(status, 201, "{b}");
    let batch = b["id"].as_i64().unwrap();
    let (_, detail) = app.get(&format!("/api/v1/batches/{batch}")).await;
    assert_eq!(detail["gate_nodes"], json!(["施工许可"]));

    // A campaign targets the same node: the unit's row shows it open.
    let (status, c) = fgj
        .post(
            "/api/v1/campaigns",
            json!({"name": "测试攻坚擂台赛", "starts_on": "2019-12-01", "ends_on": "2020-01-31", "node_ids": [node]}),
        )
        .await;
    assert_eq!(status, 201, "{c}");
    let campaign = c["id"].as_i64().unwrap();
    let (_, before) = app.get(&format!("/api/v1/campaigns/{campaign}")).await;
    assert_eq!(arr(&before["leaderboard"]).len(), 1, "{before}");
    assert_eq!(
        (
            before["leaderboard"][0]["open"].as_i64(),
            before["leaderboard"][0]["closed_on_time"].as_i64()
        ),
        (Some(1), Some(0))
    );

    let add = format!("/api/v1/batches/{batch}/projects");
    let (status, e) = fgj.post(&add, json!({"project_id": project})).await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("施工许可"), "{e}");
    assert_eq!(haimen.post(&add, json!({"project_id": project})).await.0, 403);

    close_node(&app, node, version).await;
    let (status, e) = fgj.post(&add, json!({"project_id": project})).await;
    assert_eq!(status, 200, "{e}");
    let (status, e) = fgj.post(&add, json!({"project_id": project})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("duplicate")));
    let (_, detail) = app.get(&format!("/api/v1/batches/{batch}")).await;
    assert_eq!(detail["aggregate"]["projects"], 1);
    assert_eq!(arr(&detail["members"])[0]["project_id"], project);
    let (_, p) = app.get(&format!("/api/v1/projects/{project}")).await;
    assert_eq!(detail["aggregate"]["total_investment_wan"], p["total_investment_wan"]);
    let (_, listed) = app.get(&format!("/api/v1/projects?batch={batch}")).await;
    assert_eq!(listed["total"], 1);

    // The leaderboard changed with the node's state.
    let (_, after) = app.get(&format!("/api/v1/campaigns/{campaign}")).await;
    let row = &after["leaderboard"][0];
    assert_eq!(
        (row["open"].as_i64(), row["closed_on_time"].as_i64(), row["rank"].as_i64()),
        (Some(0), Some(1), Some(1)),
        "{after}"
    );
    assert_eq!(after["completion"]["closed_nodes"], 1);
    // Closing the campaign: stale refused, then the report is kept.
    let close = format!("/api/v1/campaigns/{campaign}/close");
    let (status, _) = fgj.post(&close, json!({"version": 0})).await;
    assert_eq!(status, 409);
    assert_eq!(haimen.post(&close, json!({"version": 1})).await.0, 403);
    let (status, closed) = fgj.post(&close, json!({"version": 1})).await;
    assert_eq!(status, 200, "{closed}");
    assert!(closed["report"]["summary"].as_str().unwrap().contains("按期销号1个"), "{closed}");
    let (_, after) = app.get(&format!("/api/v1/campaigns/{campaign}")).await;
    assert_eq!(after["status"], "closed");
    let (status, _) = fgj
        .post(&format!("/api/v1/campaigns/{campaign}/targets"), json!({"node_ids": [node]}))
        .await;
    assert_eq!(status, 400, "a closed campaign takes no more targets");

    // Remove from the batch.
    assert_eq!(fgj.delete(&format!("{add}/{project}")).await.0, 204);
    assert_eq!(fgj.delete(&format!("{add}/{project}")).await.0, 404);
}

#[tokio::test]
async fn a_supervision_round_visits_red_projects_and_its_findings_become_problems() {
    let app = spawn_app().await;
    let lingdao = app.login("lingdao").await;
    let haimen = app.login("haimen").await;
    let (status, s) = lingdao.get("/api/v1/supervision/suggestions?limit=5").await;
    assert_eq!(status, 200, "{s}");
    let suggested = arr(&s["items"]).clone();
    assert!(!suggested.is_empty(), "the demo has red projects");
    for c in &suggested {
        let (_, p) = app.get(&format!("/api/v1/projects/{}", c["project_id"])).await;
        assert_eq!(p["light"], "red", "{c}");
        assert!(!arr(&c["reasons"]).is_empty());
    }
    // Not yet visited this year first.
    let visited: Vec<bool> = suggested.iter().map(|c| c["visited_this_year"].as_bool().unwrap()).collect();
    assert!(visited.windows(2).all(|w| !w[0] || w[1]), "{visited:?}");
    assert_eq!(haimen.get("/api/v1/supervision/suggestions").await.0, 403);

    let body = json!({"name": "2019年12月专项督查", "held_on": "2019-12-30", "suggested": 3});
    assert_eq!(haimen.post("/api/v1/supervision", body.clone()).await.0, 403);
    let (status, r) = lingdao.post("/api/v1/supervision", body).await;
    assert_eq!(status, 201, "{r}");
    let round = r["id"].as_i64().unwrap();
    let (_, d) = app.get(&format!("/api/v1/supervision/{round}")).await;
    let targets: Vec<i64> = arr(&d["targets"]).iter().map(|t| t["project_id"].as_i64().unwrap()).collect();
    assert_eq!(targets.len(), 3, "{d}");
    assert!(targets.iter().all(|t| suggested.iter().any(|c| c["project_id"] == *t)));
    assert!(arr(&d["targets"]).iter().all(|t| t["light"] == "red"));
    // The round's own targets are no longer suggested for it.
    let (_, again) = lingdao.get(&format!("/api/v1/supervision/suggestions?round={round}")).await;
    assert!(
        arr(&again["items"])
            .iter()
            .all(|c| !targets.contains(&c["project_id"].as_i64().unwrap()))
    );

    let findings = format!("/api/v1/supervision/{round}/findings");
    let finding = json!({"project_id": targets[0], "finding": "政策处理进度滞后，要求责任单位倒排工期", "deadline": "2020-01-31"});
    assert_eq!(haimen.post(&findings, finding.clone()).await.0, 403);
    let (status, t) = lingdao.post(&findings, finding.clone()).await;
    assert_eq!(status, 200, "{t}");
    let problem = t["problem_id"].as_i64().expect("a follow-up problem");
    assert_eq!(t["problem_status"], "assigned");
    let (status, e) = lingdao.post(&findings, finding).await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (409, Some("duplicate")),
        "one follow-up per target"
    );
    let (status, _) = lingdao
        .post(&findings, json!({"project_id": targets[1], "finding": "现场推进正常"}))
        .await;
    assert_eq!(status, 200);
    let (status, e) = lingdao.post(&findings, json!({"project_id": 999_999, "finding": "x"})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (404, Some("unknown_record")), "{e}");
    // The problem is on the project's problem list, with the round's name.
    let (_, p) = app.get(&format!("/api/v1/projects/{}", targets[0])).await;
    let pr = find_by(&p["problems"], "id", problem).clone();
    assert_eq!(pr["category"], "督查");
    assert!(pr["description"].as_str().unwrap().starts_with("【2019年12月专项督查】"), "{pr}");

    let (_, report) = app.get(&format!("/api/v1/supervision/{round}/report")).await;
    assert_eq!(
        (report["findings"].as_i64(), report["follow_ups"].as_i64()),
        (Some(2), Some(1)),
        "{report}"
    );
    let text = arr(&report["paragraphs"])
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("实地督查项目3个") && text.contains("政策处理进度滞后"), "{text}");

    let close = format!("/api/v1/supervision/{round}/close");
    assert_eq!(lingdao.post(&close, json!({"version": 0})).await.0, 409);
    let (status, c) = lingdao.post(&close, json!({"version": 1})).await;
    assert_eq!(status, 200, "{c}");
    let (_, d) = app.get(&format!("/api/v1/supervision/{round}")).await;
    assert_eq!(d["status"], "closed");
    assert!(d["report"].as_str().unwrap().contains("政策处理进度滞后"));
    let (status, _) = lingdao.post(&findings, json!({"project_id": targets[2], "finding": "补充"})).await;
    assert_eq!(status, 400, "a closed round takes no more findings");
}

#[tokio::test]
async fn land_allocations_stay_within_the_balance_and_uncovered_land_nodes_warn() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let (_, land) = fgj.get("/api/v1/land").await;
    let balance = land["balance"]["balance"].as_i64().unwrap();
    assert_eq!(land["balance"]["granted"], 48_500);
    // Every project with an open land node but no quota, whenever it falls due.
    let (_, wide) = fgj.get("/api/v1/land/warnings?days=3650").await;
    let w = arr(&wide["items"]).first().expect("an uncovered land node in the demo").clone();
    let project = w["project_id"].as_i64().unwrap();
    let shortfall = w["shortfall"].as_i64().unwrap();
    assert!(w["message"].as_str().unwrap().contains("缺口"), "{w}");

    let too_much = format!("{}.{:02}", (balance + 100) / 100, (balance + 100) % 100);
    let (status, e) = fgj
        .post("/api/v1/land/allocations", json!({"project_id": project, "area": too_much}))
        .await;
    assert_eq!(status, 400, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("余额不足"), "{e}");
    let haimen = app.login("haimen").await;
    assert_eq!(
        haimen
            .post("/api/v1/land/allocations", json!({"project_id": project, "area": 1}))
            .await
            .0,
        403
    );
    assert_eq!(haimen.post("/api/v1/land/grants", json!({"area": 100})).await.0, 403);

    // A grant raises the balance enough to cover the shortfall; the allocation clears the warning.
    let (status, g) = fgj
        .post(
            "/api/v1/land/grants",
            json!({"area": "200亩", "entry_on": "2019-12-30", "document": "测试下达"}),
        )
        .await;
    assert_eq!(status, 201, "{g}");
    assert_eq!(g["balance"]["balance"], balance + 20_000);
    let area = format!("{}.{:02}", shortfall / 100, shortfall % 100);
    let (status, a) = fgj
        .post(
            "/api/v1/land/allocations",
            json!({"project_id": project, "area": area, "document": "测试分配"}),
        )
        .await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["balance"]["balance"], balance + 20_000 - shortfall);
    let (_, wide) = fgj.get("/api/v1/land/warnings?days=3650").await;
    assert!(arr(&wide["items"]).iter().all(|x| x["project_id"] != project), "covered now");
    let (_, land) = fgj.get("/api/v1/land").await;
    assert!(
        arr(&land["entries"])
            .iter()
            .any(|e| e["project_id"] == project && e["kind"] == "allocation")
    );
    assert_eq!(arr(&land["years"]).last().unwrap()["closing_balance"], land["balance"]["balance"]);
}

#[tokio::test]
async fn the_demo_district_shows_the_seed_figures() {
    let (_, rounds) = demo_get("/api/v1/supervision").await;
    assert_eq!(arr(&rounds["items"]).len(), 6);
    assert!(arr(&rounds["items"]).iter().all(|r| r["targets"].as_i64().unwrap() >= 4));
    let (_, land) = demo_get("/api/v1/land").await;
    assert_eq!(land["balance"]["granted"], 48_500, "485 亩 granted");
    let (_, b) = demo_get("/api/v1/batches?year=2019").await;
    assert_eq!(arr(&b["batches"]).len(), 5);
    let y = &b["years"][0];
    assert_eq!(
        (y["year"].as_i64(), y["batches"].as_i64(), y["aggregate"]["projects"].as_i64()),
        (Some(2019), Some(5), Some(38))
    );
    assert_eq!(y["aggregate"]["total_investment_wan"], json!(3_635_000));
    assert_eq!(y["aggregate"]["annual_investment_wan"], json!(941_000));
    let (_, cs) = demo_get("/api/v1/campaigns").await;
    let c60 = arr(&cs["items"])
        .iter()
        .find(|c| c["name"].as_str().unwrap().contains("60"))
        .unwrap()
        .clone();
    assert_eq!(
        (
            c60["completion"]["target_nodes"].as_i64(),
            c60["completion"]["closed_nodes"].as_i64()
        ),
        (Some(60), Some(60))
    );
    let (_, detail) = demo_get(&format!("/api/v1/campaigns/{}", c60["id"])).await;
    let board = &detail["leaderboard"];
    assert_eq!(sum_of(board, "targets"), 60);
    assert_eq!(sum_of(board, "open_overdue"), 0);
    assert_eq!(detail["report"]["targets"], 60);
    let (_, leads) = demo_get("/api/v1/leads/funnel").await;
    assert!(
        leads["total"]["landed"].as_i64().unwrap() > 0 && leads["total"]["talks"].as_i64().unwrap() > 0,
        "{leads}"
    );

    // The year at a glance, for the hub and the reports.
    let (_, sum) = demo_get("/api/v1/programs/summary?year=2019").await;
    assert_eq!(
        (
            sum["batches"]["batches"].as_i64(),
            sum["batches"]["aggregate"]["projects"].as_i64(),
            sum["rounds"].as_i64(),
            sum["ppp_projects"].as_i64(),
            sum["land"]["granted"].as_i64()
        ),
        (Some(5), Some(38), Some(6), Some(9), Some(48_500)),
        "{sum}"
    );
    assert!(arr(&sum["campaigns"]).iter().any(|c| c["completion"]["closed_nodes"] == 60));

    // The pages show them.
    let html = |path: &'static str| async move {
        let d = download(demo_base(), path).await;
        assert_eq!(d.status, 200, "{path}");
        assert!(d.content_type().starts_with("text/html"), "{path}: {}", d.content_type());
        d.text()
    };
    let programs = html("/programs").await;
    assert!(
        programs.contains("PPP项目（入国家库）</div><div class=\"v\">9</div>"),
        "9 PPP projects"
    );
    assert!(programs.contains("485亩"), "485 亩 on the hub");
    let batches = html("/batches").await;
    assert!(
        batches.contains("363.50亿元") && batches.contains("94.10亿元"),
        "5 batches: 363.5 / 94.1 亿元"
    );
    assert!(html("/land").await.contains(r#"<div class="v" id="land-granted">485亩</div>"#));
    let campaign_page = html("/campaigns/1").await;
    assert!(
        campaign_page.contains(r#"id="campaign-targets" data-total="60">60<"#) && campaign_page.contains(r#"id="campaign-closed">60<"#)
    );
    assert!(
        html("/supervision")
            .await
            .matches("<tr><th scope=\"row\"><a href=\"/supervision/")
            .count()
            == 6
    );
    assert!(html("/supervision/1").await.contains("round-report"));
    assert!(html("/attraction").await.contains("id=\"leads\""));
    assert!(html("/batches/1").await.contains("batch-members"));
    assert!(html("/campaigns").await.contains("id=\"campaigns\""));
}

#[tokio::test]
async fn every_list_exports_as_a_workbook() {
    for path in [
        "/api/v1/leads/export.xlsx",
        "/api/v1/batches/export.xlsx",
        "/api/v1/campaigns/export.xlsx",
        "/api/v1/campaigns/1/leaderboard.xlsx",
        "/api/v1/supervision/export.xlsx",
        "/api/v1/land/export.xlsx",
    ] {
        let d = download(demo_base(), path).await;
        assert_eq!(d.status, 200, "{path}");
        assert!(d.content_type().contains("spreadsheetml"), "{path}: {}", d.content_type());
        assert!(d.body.starts_with(b"PK\x03\x04") && d.body.len() > 2000, "{path}: a zip");
    }
}

#[tokio::test]
async fn the_pages_forms_work_for_the_roles_they_serve() {
    let app = spawn_app().await;
    let team = a_team(&app).await;
    let fgj = app.login("fgj").await;
    fgj.post_form_expect(
        "/attraction/leads",
        &json!({"name": "表单线索", "team_unit_id": team.to_string(), "signed_amount": "3000"}),
        303,
    )
    .await;
    let (_, leads) = app.get("/api/v1/leads").await;
    let lead = find_by(&leads["items"], "name", "表单线索").clone();
    assert_eq!(lead["signed_amount"], 30_000_000i64);
    fgj.post_form_expect(
        &format!("/attraction/leads/{}/stage", lead["id"]),
        &json!({"version": lead["version"].to_string(), "to": "signed", "reason": ""}),
        303,
    )
    .await;
    assert_eq!(app.get(&format!("/api/v1/leads/{}", lead["id"])).await.1["stage"], "signed");
    // Bad input comes back to the page with the reason.
    fgj.post_form_expect("/land/allocations", &json!({"project_id": "1", "area": "999999"}), 303)
        .await;
    let lingdao = app.login("lingdao").await;
    // The demo's six rounds of 2019 are closed: no more findings there.
    let (_, d) = app.get("/api/v1/supervision/1").await;
    assert_eq!(d["status"], "closed");
    let target = d["targets"][0]["project_id"].as_i64().unwrap();
    lingdao
        .post_form_expect(
            "/supervision/1/findings",
            &json!({"project_id": target.to_string(), "finding": "关闭后的发现", "deadline": ""}),
            303,
        )
        .await;
    let (_, d) = app.get("/api/v1/supervision/1").await;
    assert!(!arr(&d["targets"]).iter().any(|t| t["finding"] == "关闭后的发现"));
    // A leader opens a round from the suggestions and closes it with its report.
    lingdao
        .post_form_expect(
            "/supervision",
            &json!({"name": "表单督查", "held_on": "2019-12-31", "suggested": "2"}),
            303,
        )
        .await;
    let (_, rounds) = app.get("/api/v1/supervision").await;
    let r = find_by(&rounds["items"], "name", "表单督查").clone();
    assert_eq!(r["targets"], 2);
    let (_, d) = app.get(&format!("/api/v1/supervision/{}", r["id"])).await;
    let target = d["targets"][0]["project_id"].as_i64().unwrap();
    lingdao
        .post_form_expect(
            &format!("/supervision/{}/findings", r["id"]),
            &json!({"project_id": target.to_string(), "finding": "表单记录的发现", "deadline": ""}),
            303,
        )
        .await;
    let (_, d) = app.get(&format!("/api/v1/supervision/{}", r["id"])).await;
    assert!(arr(&d["targets"]).iter().any(|t| t["finding"] == "表单记录的发现"));
    lingdao
        .post_form_expect(
            &format!("/supervision/{}/close", r["id"]),
            &json!({"version": r["version"].to_string()}),
            303,
        )
        .await;
    assert_eq!(app.get(&format!("/api/v1/supervision/{}", r["id"])).await.1["status"], "closed");
    // A coordinator opens a batch and records a grant; a leader may not.
    fgj.post_form_expect(
        "/batches",
        &json!({"name": "表单批次", "level": "district", "held_on": "2019-12-31", "gate_nodes": "施工许可、开工"}),
        303,
    )
    .await;
    let (_, b) = app.get("/api/v1/batches").await;
    let nb = find_by(&b["batches"], "name", "表单批次");
    assert_eq!(nb["gate_nodes"], json!(["施工许可", "开工"]));
    assert_eq!(lingdao.post_form("/land/grants", &json!({"area": "10"}), true).await.0, 403);
    fgj.post_form_expect("/land/grants", &json!({"area": "10", "entry_on": "2019-12-31"}), 303)
        .await;
    assert_eq!(app.get("/api/v1/land").await.1["balance"]["granted"], 49_500);
    // A coordinator starts a campaign over the open 施工许可 nodes of the next quarter.
    fgj.post_form_expect(
        "/campaigns",
        &json!({"name": "一季度施工许可攻坚", "starts_on": "2020-01-01", "ends_on": "2020-03-31", "node_names": "施工许可"}),
        303,
    )
    .await;
    let (_, cs) = app.get("/api/v1/campaigns").await;
    let c = find_by(&cs["items"], "name", "一季度施工许可攻坚")["id"].clone();
    let (_, c) = app.get(&format!("/api/v1/campaigns/{c}")).await;
    let targets = arr(&c["targets"]);
    assert!(!targets.is_empty(), "{c}");
    assert!(targets.iter().all(|t| t["node_name"] == "施工许可" && t["status"] != "closed"));
    assert!(targets.iter().all(|t| t["planned_on"].as_str().unwrap() >= "2020-01-01"));
    assert_eq!(
        sum_of(&c["leaderboard"], "open"),
        targets.len() as i64,
        "all open, none overdue while it runs"
    );
    // The English pages render too.
    let d = app.download("/attraction?lang=en").await;
    assert_eq!(d.status, 200);
    assert!(d.text().contains("Landing rate"));
}

/// How the access test exercises this area's write routes (one entry per route in
/// the `WRITE_ROUTES` of the web crate's `leads`, `batches`, `campaigns`, `supervision` and `land`).
pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let (_, leads) = app.get("/api/v1/leads").await;
    let lead = arr(&leads["items"])[0].clone();
    let (lid, lv, team) = (
        lead["id"].as_i64().unwrap(),
        lead["version"].as_i64().unwrap(),
        lead["team_unit_id"].as_i64().unwrap(),
    );
    let (_, batch) = app.get("/api/v1/batches/1").await;
    let bv = batch["version"].as_i64().unwrap();
    let member = batch["members"][0]["project_id"].as_i64().unwrap();
    // The demo's 2019 campaign and rounds are closed; the walk needs an open one of each.
    for table in ["campaigns", "supervision_rounds"] {
        app.execute(&format!("UPDATE {table} SET status = 'open' WHERE id = 1")).await;
    }
    let (_, campaign) = app.get("/api/v1/campaigns/1").await;
    let cv = campaign["version"].as_i64().unwrap();
    let node = campaign["targets"][0]["node_id"].as_i64().unwrap();
    let (_, round) = app.get("/api/v1/supervision/1").await;
    let rv = round["version"].as_i64().unwrap();
    let target = round["targets"][0]["project_id"].as_i64().unwrap();
    let f = |path: String, body: Value| Fixture::json(path, body, true, None);
    let form = |path: String, body: Value| Fixture::form(path, body, true, None);
    let batch = json!({"version": bv, "name": "改名批次", "level": "district", "held_on": "2019-12-30"});
    vec![
        (
            ("POST", "/api/v1/leads"),
            f("/api/v1/leads".into(), json!({"name": "x", "team_unit_id": team})),
        ),
        (
            ("PATCH", "/api/v1/leads/{id}"),
            Fixture::versioned(format!("/api/v1/leads/{lid}"), json!({"version": lv, "note": "x"}), true),
        ),
        (
            ("POST", "/api/v1/leads/{id}/stage"),
            Fixture::versioned(
                format!("/api/v1/leads/{lid}/stage"),
                json!({"version": lv, "to": "dropped", "reason": "x"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/batches"),
            f(
                "/api/v1/batches".into(),
                json!({"name": "x", "level": "city", "held_on": "2019-12-30"}),
            ),
        ),
        (
            ("PATCH", "/api/v1/batches/{id}"),
            Fixture::versioned("/api/v1/batches/1", batch, true),
        ),
        (
            ("POST", "/api/v1/batches/{id}/projects"),
            f("/api/v1/batches/1/projects".into(), json!({"project_id": member})),
        ),
        (
            ("DELETE", "/api/v1/batches/{id}/projects/{project_id}"),
            f(format!("/api/v1/batches/1/projects/{member}"), json!({})),
        ),
        (
            ("POST", "/api/v1/campaigns"),
            f(
                "/api/v1/campaigns".into(),
                json!({"name": "x", "starts_on": "2019-12-01", "ends_on": "2019-12-31"}),
            ),
        ),
        (
            ("POST", "/api/v1/campaigns/{id}/targets"),
            f("/api/v1/campaigns/1/targets".into(), json!({"node_ids": [node]})),
        ),
        (
            ("POST", "/api/v1/campaigns/{id}/close"),
            Fixture::versioned("/api/v1/campaigns/1/close", json!({"version": cv}), true),
        ),
        (
            ("POST", "/api/v1/supervision"),
            f("/api/v1/supervision".into(), json!({"name": "x"})),
        ),
        (
            ("POST", "/api/v1/supervision/{id}/targets"),
            f("/api/v1/supervision/1/targets".into(), json!({"project_ids": [target]})),
        ),
        (
            ("POST", "/api/v1/supervision/{id}/findings"),
            f(
                "/api/v1/supervision/1/findings".into(),
                json!({"project_id": target, "finding": "x"}),
            ),
        ),
        (
            ("POST", "/api/v1/supervision/{id}/close"),
            Fixture::versioned("/api/v1/supervision/1/close", json!({"version": rv}), true),
        ),
        (
            ("POST", "/api/v1/land/grants"),
            f("/api/v1/land/grants".into(), json!({"area": 10})),
        ),
        (
            ("POST", "/api/v1/land/allocations"),
            f("/api/v1/land/allocations".into(), json!({"area": 1, "project_id": member})),
        ),
        (
            ("POST", "/attraction/leads"),
            form("/attraction/leads".into(), json!({"name": "x", "team_unit_id": team.to_string()})),
        ),
        (
            ("POST", "/attraction/leads/{id}/stage"),
            Fixture::versioned_form(
                format!("/attraction/leads/{lid}/stage"),
                json!({"version": lv.to_string(), "to": "dropped", "reason": "x"}),
                true,
            ),
        ),
        (
            ("POST", "/batches/{id}/projects"),
            form("/batches/1/projects".into(), json!({"project_id": member.to_string()})),
        ),
        (
            ("POST", "/supervision/{id}/findings"),
            form(
                "/supervision/1/findings".into(),
                json!({"project_id": target.to_string(), "finding": "x"}),
            ),
        ),
        (
            ("POST", "/land/allocations"),
            form("/land/allocations".into(), json!({"project_id": member.to_string(), "area": "1"})),
        ),
        (("POST", "/land/grants"), form("/land/grants".into(), json!({"area": "1"}))),
        (
            ("POST", "/batches"),
            form("/batches".into(), json!({"name": "x", "level": "city", "held_on": "2019-12-30"})),
        ),
        (
            ("POST", "/campaigns/{id}/close"),
            Fixture::versioned_form("/campaigns/1/close", json!({"version": cv.to_string(), "note": "x"}), true),
        ),
        (
            ("POST", "/supervision"),
            form("/supervision".into(), json!({"name": "x", "suggested": "1"})),
        ),
        (
            ("POST", "/supervision/{id}/close"),
            Fixture::versioned_form("/supervision/1/close", json!({"version": rv.to_string()}), true),
        ),
        (
            ("POST", "/campaigns"),
            form(
                "/campaigns".into(),
                json!({"name": "x", "starts_on": "2020-01-01", "ends_on": "2020-03-31", "node_names": "施工许可"}),
            ),
        ),
    ]
}

#[tokio::test]
async fn forms_take_a_project_by_code_or_name() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let (_, p) = app.get("/api/v1/projects/1").await;
    let (code, name) = (p["code"].as_str().unwrap().to_string(), p["name"].as_str().unwrap().to_string());
    let allocations = |ledger: &Value| {
        arr(&ledger["entries"])
            .iter()
            .filter(|e| e["project_id"] == 1 && e["kind"] == "allocation")
            .count()
    };
    let before = allocations(&app.get("/api/v1/land").await.1);
    for typed in [code.as_str(), name.as_str()] {
        fgj.post_form_expect("/land/allocations", &json!({"project_id": typed, "area": "0.5"}), 303)
            .await;
    }
    assert_eq!(allocations(&app.get("/api/v1/land").await.1), before + 2);
    // An unknown name changes nothing.
    fgj.post_form_expect("/land/allocations", &json!({"project_id": "不存在的项目", "area": "0.5"}), 303)
        .await;
    assert_eq!(allocations(&app.get("/api/v1/land").await.1), before + 2);
}
