//! Unit scope through the ids a write request names (finding 1 of the probe): a 海门街道 editor
//! names another unit's project, node, unit, person, lead, problem… in a body, a form or a
//! path, and is refused with nothing written. `every_id_field_of_every_write_route_is_scoped`
//! walks `zhantu_web::write_routes()` (through the security fixtures, which must cover it) and
//! tries every id field the app knows on every one of them.

use crate::helpers::{Session, TestApp, spawn_app};
use serde_json::{Value, json};
use std::collections::HashMap;
use zhantu_domain::access::{REF_FIELDS, RefKind};

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The 海门街道 editor's scope: its unit and the units below it.
const HAIMEN_SCOPE: &str = "(WITH RECURSIVE s(id) AS (SELECT id FROM units WHERE name = '海门街道' \
     UNION ALL SELECT u.id FROM units u JOIN s ON u.parent_id = s.id) SELECT id FROM s)";

/// One record of each unit-owned kind that lies outside the 海门街道 editor's scope.
async fn other_units_records(app: &TestApp) -> HashMap<RefKind, i64> {
    let out = HAIMEN_SCOPE;
    let mut m = HashMap::new();
    m.insert(
        RefKind::Unit,
        scalar(app, &format!("SELECT COALESCE(MIN(id), 0) FROM units WHERE id NOT IN {out}")).await,
    );
    m.insert(
        RefKind::Project,
        scalar(
            app,
            &format!("SELECT COALESCE(MIN(id), 0) FROM projects WHERE unit_id NOT IN {out}"),
        )
        .await,
    );
    m.insert(
        RefKind::Node,
        scalar(
            app,
            &format!(
                "SELECT COALESCE(MIN(n.id), 0) FROM nodes n JOIN projects p ON p.id = n.project_id \
                 WHERE p.unit_id NOT IN {out} AND n.responsible_unit_id NOT IN {out}"
            ),
        )
        .await,
    );
    let person = scalar(
        app,
        &format!("SELECT COALESCE(MIN(id), 0) FROM people WHERE is_leader = 0 AND unit_id NOT IN {out}"),
    )
    .await;
    m.insert(RefKind::Person, person);
    // Not a district leader: a person of another unit named as 包干领导 is that unit's staff.
    m.insert(RefKind::Leader, person);
    m.insert(
        RefKind::Visit,
        scalar(
            app,
            &format!("SELECT COALESCE(MIN(id), 0) FROM enterprise_visits WHERE unit_id NOT IN {out}"),
        )
        .await,
    );
    m.insert(
        RefKind::Lead,
        scalar(
            app,
            &format!("SELECT COALESCE(MIN(id), 0) FROM attraction_leads WHERE team_unit_id NOT IN {out}"),
        )
        .await,
    );
    m.insert(
        RefKind::Problem,
        scalar(
            app,
            &format!("SELECT COALESCE(MIN(id), 0) FROM problems WHERE unit_id NOT IN {out}"),
        )
        .await,
    );
    m.insert(
        RefKind::Report,
        scalar(
            app,
            &format!(
                "SELECT COALESCE(MIN(r.id), 0) FROM progress_reports r JOIN projects p ON p.id = r.project_id WHERE p.unit_id NOT IN {out}"
            ),
        )
        .await,
    );
    m.insert(
        RefKind::User,
        scalar(app, &format!("SELECT COALESCE(MIN(id), 0) FROM users WHERE unit_id NOT IN {out}")).await,
    );
    m
}

/// Sends `body` to the route as the editor, with its CSRF token; `(status, the error code or
/// the page's text)`.
async fn send(editor: &Session, method: &str, path: &str, body: &Value, form: bool) -> (u16, String) {
    if form {
        editor.post_form(path, body, true).await
    } else {
        let (status, e) = editor.send(method, path, Some(body.clone()), true).await;
        (
            status,
            e["error"]["code"].as_str().unwrap_or_default().to_string() + " " + &e.to_string(),
        )
    }
}

#[tokio::test]
async fn every_id_field_of_every_write_route_is_scoped() {
    let app = spawn_app().await;
    let fixtures = crate::security::fixtures(&app).await;
    for route in zhantu_web::write_routes() {
        assert!(fixtures.iter().any(|(r, _)| *r == route), "write route {route:?} has no fixture");
    }
    let others = other_units_records(&app).await;
    let editor = app.login("haimen").await;
    let mut tried = 0;
    for ((method, template), fx) in &fixtures {
        if fx.public {
            continue;
        }
        for (field, kind) in REF_FIELDS {
            let Some(id) = others.get(kind) else {
                continue; // a record of the district (an enterprise, a batch…): no unit owns it
            };
            if zhantu_web::ADDRESSEES.contains(&(*method, *template, *field)) {
                continue; // a unit the request hands a problem to: any unit (tested below)
            }
            let mut body = if fx.body.is_object() { fx.body.clone() } else { json!({}) };
            body[*field] = if fx.form { json!(id.to_string()) } else { json!(id) };
            let before = app.audit_count().await;
            let (status, said) = send(&editor, method, &fx.path, &body, fx.form).await;
            assert_eq!(status, 403, "{method} {template} with {field} = {id} (another unit's): {said}");
            if fx.form {
                assert!(said.contains("无权操作"), "{method} {template} {field}: {said}");
            } else {
                assert!(said.starts_with("out_of_scope "), "{method} {template} {field}: {said}");
            }
            assert_eq!(app.audit_count().await, before, "{method} {template} {field}: nothing written");
            tried += 1;
        }
    }
    assert!(tried > 500, "{tried} requests tried");
}

#[tokio::test]
async fn unknown_and_missing_ids_are_refused_before_any_handler() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let (_, mine) = editor.get("/api/v1/projects?limit=1").await;
    let project = mine["items"][0]["id"].as_i64().unwrap();
    let before = app.audit_count().await;
    // A field that looks like an id but is none the app knows: refused, not passed through.
    let (status, e) = editor
        .send(
            "POST",
            "/api/v1/problems",
            Some(json!({"owner_unit_id": 1, "project_id": project})),
            true,
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (400, Some("unknown_reference")), "{e}");
    // An id of no record.
    let (status, e) = editor
        .send("POST", "/api/v1/problems", Some(json!({"project_id": 99_999_999})), true)
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (404, Some("unknown_record")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("项目"), "{e}");
    // Ids nested in arrays and objects, and in the query string, are found too.
    let other = other_units_records(&app).await[&RefKind::Project];
    let (status, e) = editor
        .send(
            "POST",
            "/api/v1/problems",
            Some(json!({"items": [{"project_ids": [project, other]}]})),
            true,
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("out_of_scope")), "{e}");
    let (status, e) = editor
        .send("POST", &format!("/api/v1/problems?project_id={other}"), Some(json!({})), true)
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("out_of_scope")), "{e}");
    // Every content type the JSON extractor accepts is read by the check too (the problem is
    // for the editor's own unit, so only the project is out of scope).
    let me = app.store.user_by_username("haimen").await.unwrap().unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/api/v1/problems", app.base))
        .header("cookie", &editor.cookie)
        .header("x-csrf-token", &editor.csrf)
        .header("content-type", "application/problem+json; charset=utf-8")
        .body(json!({"category": "要素保障", "description": "x", "unit_id": me.unit_id, "project_id": other}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 403);
    assert_eq!(app.audit_count().await, before);
}

/// The probe's own examples: a blocking problem on another unit's node, a problem for another
/// unit or on its project, a lead landed into another unit or onto its project.
#[tokio::test]
async fn the_probes_escapes_are_closed() {
    let app = spawn_app().await;
    let others = other_units_records(&app).await;
    let editor = app.login("haimen").await;
    let me = app.store.user_by_username("haimen").await.unwrap().unwrap();
    let (_, mine) = editor.get("/api/v1/projects?limit=1").await;
    let project = mine["items"][0]["id"].as_i64().unwrap();
    let raise = |extra: Value| {
        let mut b = json!({"category": "要素保障", "description": "用地指标未落实", "unit_id": me.unit_id, "deadline": "2019-12-31"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let before = app.audit_count().await;
    for extra in [
        json!({"unit_id": others[&RefKind::Unit], "node_id": others[&RefKind::Node], "blocks_node": true}),
        json!({"node_id": others[&RefKind::Node], "blocks_node": true}),
        json!({"project_id": others[&RefKind::Project]}),
        json!({"unit_id": others[&RefKind::Unit], "project_id": others[&RefKind::Project]}),
    ] {
        let (status, e) = editor.send("POST", "/api/v1/problems", Some(raise(extra.clone())), true).await;
        assert_eq!((status, e["error"]["code"].as_str()), (403, Some("out_of_scope")), "{extra}: {e}");
    }
    // Addressed to another unit with nothing of the editor's behind it: the raising rule refuses.
    let (status, e) = editor
        .send(
            "POST",
            "/api/v1/problems",
            Some(raise(json!({"unit_id": others[&RefKind::Unit]}))),
            true,
        )
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("forbidden")), "{e}");
    assert_eq!(app.audit_count().await, before, "nothing written");
    // Within the editor's scope it is accepted: from its own project, for itself or handed to
    // the unit that must solve it (交办), which may be any unit.
    for unit in [me.unit_id, others[&RefKind::Unit]] {
        let (status, e) = editor
            .send(
                "POST",
                "/api/v1/problems",
                Some(raise(json!({"project_id": project, "unit_id": unit}))),
                true,
            )
            .await;
        assert_eq!(status, 201, "{e}");
        assert_eq!(e["problem"]["unit"]["id"], unit, "{e}");
    }

    // A lead of the editor's own team, landed into another unit or onto its project.
    let (status, lead) = editor
        .send(
            "POST",
            "/api/v1/leads",
            Some(json!({"name": "海门新材料项目", "team_unit_id": me.unit_id})),
            true,
        )
        .await;
    assert_eq!(status, 201, "{lead}");
    let lead = lead["id"].as_i64().unwrap();
    let before = app.audit_count().await;
    for extra in [
        json!({"project_unit_id": others[&RefKind::Unit]}),
        json!({"project_id": others[&RefKind::Project]}),
    ] {
        let mut b = json!({"version": 1, "to": "landed", "on": "2019-12-01", "create_project_type": "industrial"});
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        let (status, e) = editor.send("POST", &format!("/api/v1/leads/{lead}/stage"), Some(b), true).await;
        assert_eq!((status, e["error"]["code"].as_str()), (403, Some("out_of_scope")), "{extra}: {e}");
    }
    assert_eq!(app.audit_count().await, before, "nothing written");
    let (status, e) = editor
        .send(
            "POST",
            &format!("/api/v1/leads/{}/stage", others[&RefKind::Lead]),
            Some(json!({"version": 1, "to": "signed"})),
            true,
        )
        .await;
    assert_eq!(status, 403, "another team's lead: {e}");
}
