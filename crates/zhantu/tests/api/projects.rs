//! The project registry and project pages of the JSON API.

use crate::helpers::{demo_get, find_by, spawn_app};
use serde_json::Value;
use std::collections::BTreeSet;

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn keyset_paging_visits_every_project_once() {
    let (status, first) = demo_get("/api/v1/projects?limit=40").await;
    assert_eq!(status, 200, "{first}");
    let total = first["total"].as_i64().unwrap();
    assert!(total > 188, "the demo has the reserve pool and continuing projects: {total}");
    let mut seen = BTreeSet::new();
    let mut page = first;
    loop {
        let batch = ids(&page);
        assert!(batch.len() <= 40);
        assert!(batch.windows(2).all(|w| w[0] < w[1]), "ordered by id");
        for id in batch {
            assert!(seen.insert(id), "project {id} seen twice");
        }
        match page["next_cursor"].as_i64() {
            Some(c) => page = demo_get(&format!("/api/v1/projects?limit=40&after={c}")).await.1,
            None => break,
        }
    }
    assert_eq!(seen.len() as i64, total);
}

#[tokio::test]
async fn filters_combine_and_are_honoured() {
    let (_, red) = demo_get("/api/v1/projects?light=red&limit=500").await;
    assert!(red["total"].as_i64().unwrap() > 0, "the demo has lagging projects");
    for p in red["items"].as_array().unwrap() {
        assert_eq!(p["light"], "red");
        assert!(!p["light_reason"].as_str().unwrap().is_empty(), "every light explains itself");
    }

    let (_, started) = demo_get("/api/v1/projects?stage=开工/落地&limit=500").await;
    let (_, started_code) = demo_get("/api/v1/projects?stage=started&limit=500").await;
    assert_eq!(started["total"], started_code["total"]);
    for p in started["items"].as_array().unwrap() {
        assert_eq!(p["stage"], "started");
    }

    // The category filter spans every year a project was on the list (5 of them in 2019).
    let (_, p152) = demo_get("/api/v1/projects?category=prov152").await;
    assert!(p152["total"].as_i64().unwrap() >= 5, "{p152}");
    for p in p152["items"].as_array().unwrap() {
        assert!(p["categories"].as_array().unwrap().iter().any(|c| c == "省\"152\"项目"));
    }

    let (_, found) = demo_get("/api/v1/projects?q=海正博锐").await;
    assert_eq!(found["total"], 1, "{found}");
    let leader = found["items"][0]["leader"]["id"].as_i64().unwrap();
    let (_, by_leader) = demo_get(&format!("/api/v1/projects?leader={leader}&limit=500")).await;
    assert!(by_leader["items"].as_array().unwrap().iter().all(|p| p["leader"]["id"] == leader));

    // The district is the root unit: filtering by it includes every unit below.
    let (_, all) = demo_get("/api/v1/projects").await;
    let (_, root) = demo_get("/api/v1/projects?unit=1").await;
    assert_eq!(all["total"], root["total"]);
    let unit = all["items"][0]["unit"]["id"].as_i64().unwrap();
    let (_, one_unit) = demo_get(&format!("/api/v1/projects?unit={unit}&limit=500")).await;
    assert!(one_unit["total"].as_i64().unwrap() < all["total"].as_i64().unwrap());

    let (_, both) = demo_get("/api/v1/projects?light=red&category=prov152").await;
    assert!(
        both["total"].as_i64().unwrap() >= 1,
        "the prov152 project that did not start is red"
    );
}

#[tokio::test]
async fn bad_filters_are_chinese_400s() {
    for (q, code, word) in [
        ("stage=flying", "invalid_stage", "项目阶段"),
        ("light=blue", "invalid_light", "亮灯"),
        ("limit=0", "invalid_parameter", "每页条数"),
        ("unit=abc", "invalid_parameter", "单位"),
    ] {
        let (status, e) = demo_get(&format!("/api/v1/projects?{q}")).await;
        assert_eq!(status, 400, "{q}: {e}");
        assert_eq!(e["error"]["code"], code, "{q}");
        assert!(e["error"]["message"].as_str().unwrap().contains(word), "{q}: {e}");
    }
}

#[tokio::test]
async fn a_project_comes_with_its_nodes_and_history() {
    let (_, found) = demo_get("/api/v1/projects?q=葭沚水城").await;
    let id = found["items"][0]["id"].as_i64().unwrap();
    let (status, p) = demo_get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(status, 200, "{p}");
    assert!(p["name"].as_str().unwrap().contains("葭沚水城"));
    let nodes = p["nodes"].as_array().unwrap();
    assert!(nodes.len() >= 8, "{}", nodes.len());
    assert!(
        nodes.iter().any(|n| n["name"] == "开工" && n["status"] == "closed"),
        "started in 2019"
    );
    assert!(p["started_on"].as_str().unwrap().starts_with("2019"));
    assert!(!p["stage_history"].as_array().unwrap().is_empty());
    assert!(!p["annual_plans"].as_array().unwrap().is_empty());
    assert!(!p["monthly_investment"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn unknown_things_are_json_404s() {
    for path in ["/api/v1/projects/999999", "/api/v1/projects/abc", "/api/v1/nothing-here"] {
        let (status, e) = demo_get(path).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(e["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn health_check_names_the_engine() {
    let app = spawn_app().await;
    let (status, h) = app.get("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(h["status"], "ok");
    assert_eq!(h["engine"], app.store.engine().name());
}

#[tokio::test]
async fn chinese_full_text_search_with_highlights() {
    let (status, r) = demo_get("/api/v1/search?q=冷链&kind=project").await;
    assert_eq!(status, 200, "{r}");
    let hit = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["title"].as_str().unwrap().contains("星星冷链"))
        .expect("星星冷链智能工厂");
    assert!(
        hit["highlight"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["text"] == "冷链" && s["hit"] == true),
        "{hit}"
    );

    // Two characters, through the registry filter (full-text index), and one character (scan).
    let (_, two) = demo_get("/api/v1/projects?q=工厂&limit=500").await;
    assert!(two["total"].as_i64().unwrap() >= 2);
    assert!(
        two["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"].as_str().unwrap().contains("星星冷链智能工厂"))
    );
    // Text alone is counted from the index, text with another filter through the projects:
    // the two ways agree, stage by stage, with the items listed.
    let listed = two["items"].as_array().unwrap().len() as i64;
    assert_eq!(two["total"].as_i64().unwrap(), listed);
    let mut by_stage = 0;
    for stage in zhantu_domain::Stage::ALL {
        let (_, page) = demo_get(&format!("/api/v1/projects?q=工厂&limit=500&stage={}", stage.code())).await;
        by_stage += page["total"].as_i64().unwrap();
    }
    assert_eq!(by_stage, listed);
    let (_, one) = demo_get("/api/v1/projects?q=厂&limit=500").await;
    assert!(
        one["total"].as_i64().unwrap()
            >= two["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["name"].as_str().unwrap().contains("工厂"))
                .count() as i64
    );
    // A word that occurs in no project finds nothing; punctuation alone is an empty search.
    let (_, none) = demo_get("/api/v1/projects?q=火星基地").await;
    assert_eq!(none["total"], 0);

    // Enterprises and problems are searched too; an enterprise by its credit code.
    let (_, e) = demo_get("/api/v1/search?q=机械&kind=enterprise").await;
    assert!(!e["items"].as_array().unwrap().is_empty(), "{e}");
    let (_, p) = demo_get("/api/v1/search?q=用地&kind=problem").await;
    assert!(!p["items"].as_array().unwrap().is_empty(), "{p}");
    let (status, e) = demo_get("/api/v1/search?q=x&kind=planet").await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("invalid_kind")));
}

#[tokio::test]
async fn search_follows_edits_and_read_scope() {
    let app = spawn_app().await;
    let viewer = app.login("chakan").await;
    let (_, r) = viewer.get("/api/v1/search?q=工厂&kind=project").await;
    let (_, all) = app.get("/api/v1/search?q=工厂&kind=project").await;
    assert!(
        r["items"].as_array().unwrap().len() < all["items"].as_array().unwrap().len(),
        "a viewer finds only its unit's projects"
    );

    let admin = app.login("admin").await;
    let (id, v) = app.first_project("").await;
    let (status, _) = admin
        .patch(
            &format!("/api/v1/projects/{id}"),
            serde_json::json!({"version": v, "name": "台州湾新区氢能示范站"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, found) = app.get("/api/v1/projects?q=氢能").await;
    assert_eq!(found["items"][0]["id"], id, "the index follows the edit in the same transaction");
}

#[tokio::test]
async fn batches_and_campaigns_list_their_projects() {
    let (_, f) = demo_get("/api/v1/figures?year=2019").await;
    for b in f["batches"]["items"].as_array().unwrap() {
        let (_, page) = demo_get(&format!("/api/v1/projects?batch={}&limit=500", b["id"])).await;
        assert_eq!(page["total"], b["projects"], "batch {}", b["name"]);
    }
    let c = find_by(&f["campaigns"], "target_nodes", 60);
    let (_, page) = demo_get(&format!("/api/v1/projects?campaign={}&limit=500", c["id"])).await;
    let n = page["total"].as_i64().unwrap();
    assert!((1..=60).contains(&n), "{n} projects hold the campaign's 60 target nodes");
    let (status, _) = demo_get("/api/v1/projects?batch=x").await;
    assert_eq!(status, 400);
}
