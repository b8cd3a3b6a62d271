//! The API's contract (`/api/v1/openapi.json`, `/docs/api`) as a client meets it, and the one
//! class of input the fuzzer run against it found answering 500 on PostgreSQL: a NUL character.

use crate::helpers::{PNG, spawn_app};
use serde_json::{Value, json};

#[tokio::test]
async fn the_contract_is_public_and_lists_what_the_server_answers() {
    let app = spawn_app().await;
    // Public: a client reads the contract before it has a token.
    let (status, doc) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    let operations: usize = paths.values().map(|i| i.as_object().unwrap().len()).sum();
    assert!(operations > 150, "{operations} operations");
    // Each documented GET without path parameters answers as documented (never 404 or 405,
    // which would mean a path in the document that the server does not route).
    let admin = app.login("admin").await;
    for (path, item) in paths {
        if path.contains('{') || item.get("get").is_none() {
            continue;
        }
        let (status, body) = admin.get(path).await;
        assert!(
            status != 404 && status != 405 && status < 500,
            "GET {path} answered {status}: {body}"
        );
    }
    // A typed body: creating a unit names its fields, and the server refuses what lacks one.
    let body = &doc["paths"]["/api/v1/units"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    let name = body["$ref"].as_str().unwrap().rsplit('/').next().unwrap();
    let schema = &doc["components"]["schemas"][name];
    assert!(schema["properties"]["name"].is_object(), "{schema}");
    // The readable page shows every operation.
    let (status, html) = admin.page("/docs/api").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&format!("data-total=\"{operations}\"")),
        "the page counts {operations} operations"
    );
    assert!(html.contains("/api/v1/projects/{id}/nodes"));
}

#[tokio::test]
async fn a_nul_character_is_refused_wherever_text_arrives() {
    let app = spawn_app().await;
    let refused = |what: &str, (status, e): (u16, Value)| {
        assert_eq!((status, e["error"]["code"].as_str()), (400, Some("nul_in_text")), "{what}: {e}");
    };
    // Signed out, in a JSON body.
    let client = reqwest::Client::new();
    let resp = client
        .post(format!("{}/api/v1/auth/login", app.base))
        .header("content-type", "application/json")
        .body(r#"{"username": "a\u0000b", "password": "x"}"#)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    refused("login", (status, resp.json().await.unwrap_or(Value::Null)));
    let coordinator = app.login("fgj").await;
    let me = app.store.user_by_username("fgj").await.unwrap().unwrap();
    refused(
        "a problem",
        coordinator
            .post(
                "/api/v1/problems",
                json!({"category": "要素保障", "description": "供电\u{0}接入", "unit_id": me.unit_id}),
            )
            .await,
    );
    // In a query and in a path.
    refused("a query", coordinator.get("/api/v1/projects?q=%00").await);
    refused("a path", coordinator.get("/api/v1/project-types/a%00b").await);
    // In an upload's text field.
    let (project, _) = app.first_project("").await;
    let (_, detail) = app.get(&format!("/api/v1/projects/{project}")).await;
    let node = &detail["nodes"][0];
    let (id, version) = (node["id"].as_i64().unwrap(), node["version"].as_i64().unwrap());
    refused(
        "a node's report",
        coordinator
            .report_node(id, version, "2019-06-01", "完成\u{0}", ("a.png", PNG))
            .await,
    );
    // An escaped backslash before "u0000" is ordinary text.
    let (status, e) = coordinator
        .post(
            "/api/v1/problems",
            json!({"category": "要素保障", "description": "路径 C:\\u0000", "unit_id": me.unit_id}),
        )
        .await;
    assert_eq!(status, 201, "{e}");
}
