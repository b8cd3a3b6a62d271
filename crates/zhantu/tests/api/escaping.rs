//! Markup stored in every free-text field reaches every page that shows it as text: the pages
//! come from templates that escape by default, and this walks what a user can type.

use crate::helpers::{Session, TestApp, spawn_app};
use serde_json::{Value, json};

/// The markup stored in field `f`: a tag a browser would run if it reached the page raw.
fn mark(f: &str) -> String {
    format!("<i class=xss-{f}>")
}

/// The same as it must appear on a page: escaped.
fn escaped(f: &str) -> String {
    format!("&lt;i class=xss-{f}&gt;")
}

fn credit_code(serial: u32) -> String {
    let first17 = format!("91331002MA{serial:07}");
    let check = zhantu_domain::CreditCode::check_char(&first17).unwrap();
    format!("{first17}{check}")
}

async fn ok(s: &Session, method: &str, path: &str, body: Value) -> Value {
    let (status, r) = s.send(method, path, Some(body.clone()), true).await;
    assert!((200..300).contains(&status), "{method} {path} {body}: {status} {r}");
    r
}

/// Everything `field` must be shown on, escaped.
struct Shown {
    field: &'static str,
    pages: Vec<String>,
}

fn shown(field: &'static str, pages: &[&str]) -> Shown {
    Shown {
        field,
        pages: pages.iter().map(|p| p.to_string()).collect(),
    }
}

async fn store_markup_everywhere(app: &TestApp) -> (Vec<Shown>, Vec<String>) {
    let admin = app.login("admin").await;
    let mut out = Vec::new();

    // A project under construction with an open node, and its unit.
    let (_, page) = app.get("/api/v1/projects?stage=construction&limit=500").await;
    let p = page["items"].as_array().unwrap()[0].clone();
    let (pid, unit) = (p["id"].as_i64().unwrap(), p["unit"]["id"].as_i64().unwrap());
    let project_page = format!("/projects/{pid}");
    let unit_registry = format!("/projects?unit={unit}");
    let unit_battle = format!("/battle-map?unit={unit}");
    let (_, detail) = app.get(&format!("/api/v1/projects/{pid}")).await;
    ok(
        &admin,
        "PATCH",
        &format!("/api/v1/projects/{pid}"),
        json!({
            "version": detail["version"],
            "name": mark("project_name"),
            "location": mark("location"),
            "investor": mark("investor"),
            "description": mark("description"),
        }),
    )
    .await;
    // The list of the project's light (with its reasons) names it too.
    let (_, now) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let unit_lights = format!("/lights?unit={unit}&light={}", now["light"].as_str().unwrap());
    out.push(shown("project_name", &[&project_page, &unit_registry, &unit_battle, &unit_lights]));
    out.push(shown("location", &[&project_page]));
    out.push(shown("investor", &[&project_page]));
    out.push(shown("description", &[&project_page]));

    let node = detail["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["status"] != "closed")
        .expect("an open node")
        .clone();
    let nid = node["id"].as_i64().unwrap();
    ok(
        &admin,
        "PATCH",
        &format!("/api/v1/nodes/{nid}"),
        json!({"version": node["version"], "name": mark("node_name")}),
    )
    .await;
    out.push(shown("node_name", &[&project_page, &unit_battle]));
    ok(
        &admin,
        "POST",
        &format!("/api/v1/nodes/{nid}/date-change"),
        json!({"new_planned_on": "2022-01-01", "reason_code": "other", "reason_text": mark("date_change_reason")}),
    )
    .await;
    out.push(shown("date_change_reason", &[&project_page]));
    ok(
        &admin,
        "POST",
        &format!("/api/v1/projects/{pid}/reports"),
        json!({"period_kind": "month", "period_start": "2019-12-01", "body": mark("report_body"), "investment": 1}),
    )
    .await;
    out.push(shown("report_body", &[&project_page]));

    // The problem loop.
    let r = ok(
        &admin,
        "POST",
        "/api/v1/problems",
        json!({"category": mark("cat"), "description": mark("problem_description"),
               "unit_id": unit, "project_id": pid, "deadline": "2020-01-02"}),
    )
    .await;
    let problem = r["problem"]["id"].as_i64().unwrap();
    let problem_page = format!("/problems/{problem}");
    ok(
        &admin,
        "POST",
        &format!("/api/v1/problems/{problem}/comment"),
        json!({"text": mark("comment")}),
    )
    .await;
    out.push(shown("problem_description", &[&problem_page, "/problems", &project_page]));
    out.push(shown("cat", &[&problem_page]));
    out.push(shown("comment", &[&problem_page]));

    // A 批示 and the unit's reply (an administrator may record one for the unit).
    let lingdao = app.login("lingdao").await;
    let r = ok(
        &lingdao,
        "POST",
        "/api/v1/instructions",
        json!({"kind": "directive", "project_id": pid, "text": mark("instruction_text")}),
    )
    .await;
    let instruction = r["instruction"]["id"].as_i64().unwrap();
    ok(
        &admin,
        "POST",
        &format!("/api/v1/instructions/{instruction}/reply"),
        json!({"version": r["instruction"]["version"], "note": mark("instruction_reply")}),
    )
    .await;
    let instruction_page = format!("/instructions/{instruction}");
    out.push(shown("instruction_text", &[&instruction_page, "/instructions", &project_page]));
    out.push(shown("instruction_reply", &[&instruction_page, &project_page]));

    // An enterprise and a visit.
    let r = ok(
        &admin,
        "POST",
        "/api/v1/enterprises",
        json!({"credit_code": credit_code(4242), "name": mark("enterprise_name"), "tags": [mark("tag")]}),
    )
    .await;
    let eid = r["id"].as_i64().or_else(|| r["enterprise"]["id"].as_i64()).expect("enterprise id");
    let enterprise_page = format!("/enterprises/{eid}");
    ok(
        &admin,
        "POST",
        "/api/v1/visits",
        json!({"enterprise_id": eid, "visited_on": "2019-12-20", "findings": mark("findings")}),
    )
    .await;
    let listed = "/enterprises?q=xss-enterprise_name".to_string();
    out.push(shown("enterprise_name", &[&enterprise_page, &listed]));
    out.push(shown("tag", &[&enterprise_page]));
    out.push(shown("findings", &[&enterprise_page]));

    // The programmes.
    let (_, leads) = app.get("/api/v1/leads").await;
    let team = leads["items"][0]["team_unit_id"].as_i64().unwrap();
    ok(
        &admin,
        "POST",
        "/api/v1/leads",
        json!({"name": mark("lead_name"), "investor": mark("lead_investor"), "team_unit_id": team, "source_region": mark("source_region")}),
    )
    .await;
    out.push(shown("lead_name", &["/attraction"]));
    out.push(shown("lead_investor", &["/attraction"]));
    let r = ok(
        &admin,
        "POST",
        "/api/v1/batches",
        json!({"name": mark("batch_name"), "level": "district", "held_on": "2019-12-30", "gate_nodes": mark("gate")}),
    )
    .await;
    let batch = r["id"].as_i64().expect("batch id");
    let batch_page = format!("/batches/{batch}");
    out.push(shown("batch_name", &["/batches", &batch_page]));
    out.push(shown("gate", &["/batches", &batch_page]));
    let r = ok(
        &admin,
        "POST",
        "/api/v1/campaigns",
        json!({"name": mark("campaign_name"), "starts_on": "2019-12-01", "ends_on": "2020-01-31", "node_ids": [nid]}),
    )
    .await;
    let campaign = r["id"].as_i64().expect("campaign id");
    out.push(shown("campaign_name", &["/campaigns", &format!("/campaigns/{campaign}")]));
    let r = ok(
        &admin,
        "POST",
        "/api/v1/supervision",
        json!({"name": mark("round_name"), "held_on": "2019-12-30", "summary": mark("round_summary"), "suggested": 1}),
    )
    .await;
    let round = r["id"].as_i64().expect("round id");
    let round_page = format!("/supervision/{round}");
    let (_, d) = app.get(&format!("/api/v1/supervision/{round}")).await;
    let target = d["targets"][0]["project_id"].as_i64().expect("a target");
    ok(
        &admin,
        "POST",
        &format!("/api/v1/supervision/{round}/findings"),
        json!({"project_id": target, "finding": mark("finding")}),
    )
    .await;
    out.push(shown("round_name", &["/supervision", &round_page]));
    out.push(shown("finding", &[&round_page]));
    ok(
        &admin,
        "POST",
        "/api/v1/land/grants",
        json!({"area": "10亩", "entry_on": "2019-12-30", "document": mark("land_document"), "note": mark("land_note")}),
    )
    .await;
    out.push(shown("land_document", &["/land"]));

    // People.
    ok(
        &admin,
        "POST",
        "/api/v1/users",
        json!({"username": "xss", "display_name": mark("display_name"), "role": "viewer", "unit_id": unit, "password": "Jiaojiang2019x"}),
    )
    .await;
    out.push(shown("display_name", &["/admin/users"]));
    ok(&admin, "POST", "/api/v1/tokens", json!({"name": mark("token_name")})).await;
    out.push(shown("token_name", &["/account"]));

    // Master data.
    let root = app.store.root_unit().await.unwrap().expect("the district");
    let u = ok(
        &admin,
        "POST",
        "/api/v1/units",
        json!({"name": mark("unit_name"), "parent_id": root, "kind": "department", "code": ""}),
    )
    .await;
    out.push(shown("unit_name", &["/admin/units", &format!("/admin/units/{}", u["id"])]));
    let p = ok(
        &admin,
        "POST",
        "/api/v1/people",
        json!({"name": mark("person_name"), "title": mark("person_title"), "unit_id": root}),
    )
    .await;
    out.push(shown("person_name", &["/admin/people", &format!("/admin/people/{}", p["id"])]));
    out.push(shown("person_title", &["/admin/people"]));
    ok(
        &admin,
        "POST",
        "/api/v1/project-types",
        json!({"code": "xss", "name": mark("type_name"), "steps": [{"name": mark("step_name")}]}),
    )
    .await;
    out.push(shown("type_name", &["/admin/project-types", "/admin/project-types/xss"]));
    out.push(shown("step_name", &["/admin/project-types/xss"]));
    ok(
        &admin,
        "POST",
        "/api/v1/categories",
        json!({"code": "xss", "name": mark("category_name")}),
    )
    .await;
    out.push(shown("category_name", &["/admin/categories"]));

    // Every page a reader may open, for raw markup anywhere.
    let mut all: Vec<String> = [
        "/",
        "/projects",
        "/battle-map",
        "/map",
        "/problems",
        "/problems/lists",
        "/enterprises",
        "/attraction",
        "/programs",
        "/batches",
        "/campaigns",
        "/supervision",
        "/land",
        "/reports",
        "/reports/weekly/2019-W52.html",
        "/reports/monthly/2019-12.html",
        "/reports/quarterly/2019-Q4.html",
        "/import",
        "/account",
        "/admin/users",
        "/admin/units",
        "/admin/people",
        "/admin/project-types",
        "/admin/categories",
        "/admin/settings",
        "/audit",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    for s in &out {
        all.extend(s.pages.iter().cloned());
    }
    all.extend(
        all.iter()
            .map(|p| format!("{p}{}lang=en", if p.contains('?') { '&' } else { '?' }))
            .collect::<Vec<_>>(),
    );
    all.sort();
    all.dedup();
    (out, all)
}

#[tokio::test]
async fn markup_in_every_free_text_field_is_shown_as_text_on_every_page() {
    let app = spawn_app().await;
    let (shown, all) = store_markup_everywhere(&app).await;
    let admin = app.login("admin").await;
    let mut pages = std::collections::HashMap::new();
    for p in &all {
        let (status, html) = admin.page(p).await;
        assert!(status < 500, "{p}: {status}");
        assert!(
            !html.contains("<i class=xss-"),
            "raw markup on {p}: …{}…",
            html.split("<i class=xss-")
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(80)
                .collect::<String>()
        );
        pages.insert(p.clone(), html);
    }
    for s in &shown {
        for p in &s.pages {
            assert!(
                pages[p].contains(&escaped(s.field)),
                "{p} should show the field {} as text: {}",
                s.field,
                pages[p].split("<main").nth(1).unwrap_or("").chars().take(3000).collect::<String>()
            );
        }
    }
    // The user whose display name is markup sees it escaped in the header of every page.
    let xss = crate::helpers::login(&app.base, "xss", "Jiaojiang2019x").await.expect("login");
    let (_, html) = xss.page("/account").await;
    assert!(!html.contains("<i class=xss-"));
    assert!(html.contains(&escaped("display_name")));
}
