//! Accounts, roles, CSRF, versions and the audit chain, end to end.
//!
//! `every_write_route_is_guarded` walks `zhantu_web::write_routes()`, the list the app declares
//! for its state-changing routes: a route without a fixture here fails the test.

use crate::helpers::{Session, TestApp, answer, id_version, login, no_redirects, of_another_unit, spawn_app, token_status};
use serde_json::{Value, json};

/// How to exercise one write route. Each area's test module declares the fixtures of its own
/// routes (`write_fixtures`), collected by `fixtures` below.
pub(crate) struct Fixture {
    pub path: String,
    pub body: Value,
    /// Public sign-in routes take anonymous requests (their own CSRF rules apply).
    pub public: bool,
    /// Must the 海门街道 unit editor be refused (403) here?
    pub editor_forbidden: bool,
    /// A body with a stale version, where the route is versioned.
    pub stale_body: Option<Value>,
    /// An HTML form route (posted urlencoded) rather than JSON.
    pub form: bool,
}

impl Fixture {
    /// A JSON route for signed-in users.
    pub fn json(path: impl Into<String>, body: Value, editor_forbidden: bool, stale_body: Option<Value>) -> Fixture {
        Fixture {
            path: path.into(),
            body,
            public: false,
            editor_forbidden,
            stale_body,
            form: false,
        }
    }

    /// A versioned JSON route: the stale body is `body` with the version before its own.
    pub fn versioned(path: impl Into<String>, body: Value, editor_forbidden: bool) -> Fixture {
        let stale = stale_version(&body);
        Fixture::json(path, body, editor_forbidden, Some(stale))
    }

    /// A versioned HTML form route (the version a form field, so a string).
    pub fn versioned_form(path: impl Into<String>, body: Value, editor_forbidden: bool) -> Fixture {
        let stale = stale_version(&body);
        Fixture::form(path, body, editor_forbidden, Some(stale))
    }

    /// An HTML form route for signed-in users (posted urlencoded).
    pub fn form(path: impl Into<String>, body: Value, editor_forbidden: bool, stale_body: Option<Value>) -> Fixture {
        Fixture {
            form: true,
            ..Fixture::json(path, body, editor_forbidden, stale_body)
        }
    }

    /// A public sign-in route, which takes anonymous requests (a form or JSON).
    pub fn public(path: impl Into<String>, form: bool) -> Fixture {
        Fixture {
            public: true,
            form,
            ..Fixture::json(path, json!({}), false, None)
        }
    }
}

/// `body` with the version before its own (a number, or a form's string).
fn stale_version(body: &Value) -> Value {
    let mut stale = body.clone();
    stale["version"] = match &body["version"] {
        Value::String(v) => json!((v.parse::<i64>().expect("a version") - 1).to_string()),
        v => json!(v.as_i64().expect("a version") - 1),
    };
    stale
}

/// The fixtures of a module's write routes.
pub(crate) type Fixtures = Vec<((&'static str, &'static str), Fixture)>;

async fn other_units_project(app: &TestApp) -> (i64, i64) {
    let (_, page) = app.get("/api/v1/projects?limit=500").await;
    id_version(&of_another_unit(&page))
}

pub(crate) async fn fixtures(app: &TestApp) -> Fixtures {
    let mut all = core_fixtures(app).await;
    all.extend(crate::excel::write_fixtures(app).await);
    all.extend(crate::reports::write_fixtures(app).await);
    all.extend(crate::service::write_fixtures(app).await);
    all.extend(crate::pipeline::write_fixtures(app).await);
    all.extend(crate::clocks::write_fixtures(app).await);
    all.extend(crate::setup::write_fixtures(app).await);
    all.extend(crate::by_hand::write_fixtures(app).await);
    all.extend(crate::master::write_fixtures(app).await);
    all.extend(crate::instructions::write_fixtures(app).await);
    all.extend(crate::closeout::write_fixtures(app).await);
    all.extend(crate::todo::write_fixtures(app).await);
    all.extend(crate::webhooks::write_fixtures(app).await);
    all.extend(crate::oc4ids::write_fixtures(app).await);
    all.extend(crate::confidence::write_fixtures(app).await);
    all.extend(crate::uplink::write_fixtures(app).await);
    all.extend(crate::campaigns::write_fixtures(app).await);
    all.extend(crate::support::write_fixtures(app).await);
    all.extend(crate::statistics::write_fixtures(app).await);
    all.extend(crate::lead_clocks::write_fixtures(app).await);
    all.extend(crate::critical_path::write_fixtures(app).await);
    all.extend(crate::results::write_fixtures(app).await);
    all.extend(crate::field_work::write_fixtures(app).await);
    all
}

async fn core_fixtures(app: &TestApp) -> Fixtures {
    let (project, version) = other_units_project(app).await;
    let viewer = app.store.user_by_username("chakan").await.unwrap().unwrap();
    let admin = app.store.user_by_username("admin").await.unwrap().unwrap();
    let token = app.store.api_tokens(Some(admin.id)).await.unwrap()[0].id;
    let (_, building) = app.get("/api/v1/projects?stage=construction&limit=500").await;
    let building = of_another_unit(&building)["id"].clone();
    let (_, other) = app.get(&format!("/api/v1/projects/{building}")).await;
    let open_node = other["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["status"] != "closed")
        .expect("an open node");
    let (node, node_version) = id_version(open_node);
    let change = app
        .store
        .request_date_change(
            node,
            chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap(),
            "other",
            "测试用改期申请",
            &zhantu_store::AuditCtx::system("tests"),
        )
        .await
        .unwrap()
        .id;
    let f = |path: String, body: Value, editor_forbidden: bool, stale: Option<Value>| Fixture::json(path, body, editor_forbidden, stale);
    let form = |path: String, body: Value, editor_forbidden: bool, stale: Option<Value>| Fixture::form(path, body, editor_forbidden, stale);
    let (_, rules) = app.get("/api/v1/rules").await;
    let mut next_rules = rules["current"].clone();
    next_rules["version"] = json!(rules["current"]["version"].as_u64().unwrap() + 1);
    let building_version = other["version"].as_i64().unwrap();
    let (_, cal) = app.get("/api/v1/calendar/2019").await;
    vec![
        (
            ("PUT", "/api/v1/calendar/{year}"),
            f(
                "/api/v1/calendar/2019".into(),
                json!({"revision": cal["revision"], "days": cal["days"]}),
                true,
                Some(json!({"revision": "0000", "days": cal["days"]})),
            ),
        ),
        (("PUT", "/api/v1/rules"), Fixture::versioned("/api/v1/rules", next_rules, true)),
        (
            ("PUT", "/api/v1/settings/webhook"),
            f(
                "/api/v1/settings/webhook".into(),
                json!({"url": "https://example.invalid/robot", "kind": "wecom"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/notifications/{id}/read"),
            f("/api/v1/notifications/1/read".into(), json!({}), false, None),
        ),
        (
            ("POST", "/api/v1/projects/{id}/plan"),
            f(
                format!("/api/v1/projects/{building}/plan"),
                json!({"first_on": "2020-01-01"}),
                true,
                None,
            ),
        ),
        (
            ("PATCH", "/api/v1/nodes/{id}"),
            Fixture::versioned(
                format!("/api/v1/nodes/{node}"),
                json!({"version": node_version, "name": "改名"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/pause"),
            Fixture::versioned(
                format!("/api/v1/projects/{building}/pause"),
                json!({"version": building_version, "reason": "测试"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/resume"),
            f(
                format!("/api/v1/projects/{building}/resume"),
                json!({"version": building_version}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/projects/{id}/reports"),
            f(
                format!("/api/v1/projects/{building}/reports"),
                json!({"period_kind": "month", "period_start": "2019-12-01", "body": "进展", "investment": 1}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/periods/{year}/{month}/lock"),
            f("/api/v1/periods/2019/11/lock".into(), json!({}), true, None),
        ),
        (
            ("POST", "/api/v1/nodes/{id}/report"),
            f(format!("/api/v1/nodes/{node}/report"), json!({}), true, None),
        ),
        (
            ("POST", "/api/v1/nodes/{id}/verify"),
            Fixture::versioned(
                format!("/api/v1/nodes/{node}/verify"),
                json!({"version": node_version, "approve": true}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/nodes/{id}/date-change"),
            f(
                format!("/api/v1/nodes/{node}/date-change"),
                json!({"new_planned_on": "2022-01-01", "reason_code": "other", "reason_text": "x"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/date-changes/{id}/decide"),
            f(
                format!("/api/v1/date-changes/{change}/decide"),
                json!({"approve": true}),
                true,
                None,
            ),
        ),
        (("POST", "/login"), Fixture::public("/login", true)),
        (("POST", "/logout"), form("/logout".into(), json!({}), false, None)),
        (
            ("POST", "/account/password"),
            form(
                "/account/password".into(),
                json!({"current_password": "x", "new_password": "y"}),
                false,
                None,
            ),
        ),
        (
            ("POST", "/account/tokens"),
            form("/account/tokens".into(), json!({"name": "表单令牌"}), false, None),
        ),
        (
            ("POST", "/account/tokens/{id}/revoke"),
            form(format!("/account/tokens/{token}/revoke"), json!({}), true, None),
        ),
        (
            ("POST", "/admin/users"),
            form(
                "/admin/users".into(),
                json!({"username": "new2", "display_name": "新人", "role": "viewer", "unit_id": "1", "password": "Jiaojiang2019x"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/admin/users/{id}"),
            form(
                format!("/admin/users/{}", viewer.id),
                json!({"version": viewer.version.to_string(), "role": "viewer", "unit_id": viewer.unit_id.to_string(), "active": "1"}),
                true,
                Some(
                    json!({"version": (viewer.version - 1).to_string(), "role": "viewer", "unit_id": viewer.unit_id.to_string(), "active": "1"}),
                ),
            ),
        ),
        (
            ("POST", "/admin/users/{id}/reset-password"),
            form(
                format!("/admin/users/{}/reset-password", viewer.id),
                json!({"password": "Jiaojiang2019x"}),
                true,
                None,
            ),
        ),
        (("POST", "/api/v1/auth/login"), Fixture::public("/api/v1/auth/login", false)),
        (
            ("POST", "/api/v1/auth/logout"),
            f("/api/v1/auth/logout".into(), json!({}), false, None),
        ),
        (
            ("POST", "/api/v1/auth/password"),
            f(
                "/api/v1/auth/password".into(),
                json!({"current_password": "x", "new_password": "y"}),
                false,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/users"),
            f(
                "/api/v1/users".into(),
                json!({"username": "new1", "display_name": "新人", "role": "viewer", "unit_id": 1, "password": "Jiaojiang2019x"}),
                true,
                None,
            ),
        ),
        (
            ("PATCH", "/api/v1/users/{id}"),
            Fixture::versioned(
                format!("/api/v1/users/{}", viewer.id),
                json!({"version": viewer.version, "display_name": "改名"}),
                true,
            ),
        ),
        (
            ("POST", "/api/v1/users/{id}/reset-password"),
            f(
                format!("/api/v1/users/{}/reset-password", viewer.id),
                json!({"password": "Jiaojiang2019x"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/tokens"),
            f("/api/v1/tokens".into(), json!({"name": "脚本", "user_id": admin.id}), true, None),
        ),
        (
            ("DELETE", "/api/v1/tokens/{id}"),
            f(format!("/api/v1/tokens/{token}"), json!({}), true, None),
        ),
        (
            ("PATCH", "/api/v1/projects/{id}"),
            Fixture::versioned(
                format!("/api/v1/projects/{project}"),
                json!({"version": version, "location": "改到别处"}),
                true,
            ),
        ),
    ]
}

async fn anonymous(app: &TestApp, method: &str, path: &str, body: &Value) -> (u16, Value) {
    let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let resp = reqwest::Client::new()
        .request(m, format!("{}{path}", app.base))
        .json(body)
        .send()
        .await
        .unwrap();
    answer(resp).await
}

#[tokio::test]
async fn every_write_route_is_guarded() {
    let app = spawn_app().await;
    let fixtures = fixtures(&app).await;
    for route in zhantu_web::write_routes() {
        assert!(
            fixtures.iter().any(|(r, _)| *r == route),
            "write route {route:?} has no fixture in tests/api/security.rs"
        );
    }
    let editor = app.login("haimen").await;
    let admin = app.login("admin").await;
    for ((method, template), fx) in &fixtures {
        let route = format!("{method} {template}");
        let before = app.audit_count().await;
        if fx.public {
            // A form post without the pre-session cookie is refused.
            let resp = reqwest::Client::new()
                .request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{}{}", app.base, fx.path),
                )
                .form(&[("username", "admin"), ("password", "x")])
                .send()
                .await
                .unwrap();
            assert_eq!(crate::helpers::status_of(&resp), 403, "{route}: form without CSRF");
            continue;
        }
        let (status, e) = anonymous(&app, method, &fx.path, &fx.body).await;
        assert_eq!(status, 401, "{route}: anonymous: {e}");
        assert_eq!(e["error"]["code"], "unauthorized", "{route}");

        if fx.form {
            let (status, body) = editor.post_form(&fx.path, &fx.body, false).await;
            assert_eq!(status, 403, "{route}: no CSRF token: {body}");
            assert!(body.contains("csrf_failed"), "{route}: {body}");
            if fx.editor_forbidden {
                let (status, body) = editor.post_form(&fx.path, &fx.body, true).await;
                assert_eq!(status, 403, "{route}: unit editor: {body}");
                assert!(body.contains("无权"), "{route}: {body}");
            }
            if let Some(stale) = &fx.stale_body {
                let (status, body) = admin.post_form(&fx.path, stale, true).await;
                assert_eq!(status, 409, "{route}: stale version: {body}");
                assert!(body.contains("请刷新后对比再提交"), "{route}: {body}");
            }
        } else {
            let (status, e) = editor.send(method, &fx.path, Some(fx.body.clone()), false).await;
            assert_eq!(
                (status, e["error"]["code"].as_str()),
                (403, Some("csrf_failed")),
                "{route}: no CSRF token"
            );
            if fx.editor_forbidden {
                let (status, e) = editor.send(method, &fx.path, Some(fx.body.clone()), true).await;
                assert_eq!(status, 403, "{route}: unit editor of another unit: {e}");
                assert!(e["error"]["message"].as_str().unwrap().contains("无权"), "{route}: {e}");
            }
            if let Some(stale) = &fx.stale_body {
                let (status, e) = admin.send(method, &fx.path, Some(stale.clone()), true).await;
                assert_eq!(
                    (status, e["error"]["code"].as_str()),
                    (409, Some("stale_version")),
                    "{route}: stale version: {e}"
                );
            }
        }
        assert_eq!(app.audit_count().await, before, "{route}: a refused request changed nothing");
    }
}

#[tokio::test]
async fn reading_needs_sign_in_and_respects_unit_scope() {
    let app = spawn_app().await;
    let resp = reqwest::get(format!("{}/api/v1/projects", app.base)).await.unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 401);
    let resp = no_redirects().get(format!("{}/", app.base)).send().await.unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 303);
    assert!(resp.headers()["location"].to_str().unwrap().starts_with("/login"));

    let viewer = app.login("chakan").await;
    let (_, mine) = viewer.get("/api/v1/projects?limit=500").await;
    let (_, all) = app.get("/api/v1/projects?limit=500").await;
    assert!(mine["total"].as_i64().unwrap() > 0 && mine["total"].as_i64().unwrap() < all["total"].as_i64().unwrap());
    assert!(mine["items"].as_array().unwrap().iter().all(|p| p["unit"]["name"] == "海门街道"));
    let (other, _) = other_units_project(&app).await;
    let (status, e) = viewer.get(&format!("/api/v1/projects/{other}")).await;
    assert_eq!(status, 403, "{e}");
    let leader = app.login("lingdao").await;
    assert_eq!(leader.get(&format!("/api/v1/projects/{other}")).await.0, 200);
}

#[tokio::test]
async fn an_edit_is_audited_and_a_stale_one_names_who_changed_it() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let (_, mine) = editor.get("/api/v1/projects?limit=1").await;
    let (id, v) = id_version(&mine["items"][0]);
    let path = format!("/api/v1/projects/{id}");

    let (status, r) = editor
        .patch(
            &path,
            json!({"version": v, "total_investment": "12345.67万元", "name": "<script>alert(1)</script>"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["version"], v + 1);
    let (_, detail) = app.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(detail["total_investment_wan"].to_string(), "12345.67");
    assert_eq!(detail["name"], "<script>alert(1)</script>", "stored as text, escaped where shown");

    // A second person still holding the old version is refused and told who changed it.
    let coordinator = app.login("fgj").await;
    let (status, e) = coordinator.patch(&path, json!({"version": v, "location": "别处"})).await;
    assert_eq!(status, 409);
    assert!(e["error"]["message"].as_str().unwrap().contains("haimen"), "{e}");

    let (_, history) = app.get(&format!("/api/v1/projects/{id}/history")).await;
    let entry = &history["items"][0];
    assert_eq!(entry["actor"], "haimen");
    assert_eq!(entry["action"], "project.update");
    assert_eq!(entry["after"]["total_investment_yuan"], 123_456_700);
    assert!(entry["before"]["total_investment_yuan"].as_i64().unwrap() != 123_456_700);
    assert_eq!(entry["address"], "127.0.0.1");

    let (status, e) = editor
        .patch(&path, json!({"version": v + 1, "total_investment": "12.345678万元"}))
        .await;
    assert_eq!(status, 400);
    assert!(e["error"]["message"].as_str().unwrap().contains("金额"), "{e}");
}

#[tokio::test]
async fn concurrent_edits_never_lose_an_update() {
    let app = spawn_app().await;
    let (a, b) = (app.login("fgj").await, app.login("admin").await);
    let (id, v) = other_units_project(&app).await;
    let path = format!("/api/v1/projects/{id}");
    let (ra, rb) = tokio::join!(
        a.patch(&path, json!({"version": v, "location": "甲"})),
        b.patch(&path, json!({"version": v, "location": "乙"}))
    );
    let mut statuses = [ra.0, rb.0];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "{ra:?} {rb:?}");
}

#[tokio::test]
async fn the_audit_chain_detects_tampering() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (id, v) = other_units_project(&app).await;
    for (i, loc) in ["一", "二", "三"].iter().enumerate() {
        let (s, e) = admin
            .patch(&format!("/api/v1/projects/{id}"), json!({"version": v + i as i64, "location": loc}))
            .await;
        assert_eq!(s, 200, "{e}");
    }
    let verify = || app.zhantu(&["audit", "verify"]);
    let out = verify();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("完整"));

    let target = app.scalar("SELECT MAX(id) FROM audit_log WHERE action = 'project.update'").await;
    app.execute(&format!(
        "UPDATE audit_log SET after_json = REPLACE(after_json, '三', '四') WHERE id = {target}"
    ))
    .await;
    let out = verify();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("第 {target} 条")), "{err}");

    // Deleting the newest entry is caught too.
    app.execute(&format!(
        "UPDATE audit_log SET after_json = REPLACE(after_json, '四', '三') WHERE id = {target}"
    ))
    .await;
    assert!(verify().status.success());
    app.execute(&format!("DELETE FROM audit_log WHERE id = {target}")).await;
    let out = verify();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
}

#[tokio::test]
async fn login_is_throttled_per_account_and_per_address() {
    let app = spawn_app().await;
    for _ in 0..zhantu_web::auth::MAX_FAILURES_PER_ACCOUNT {
        let (status, e) = login(&app.base, "fgj", "wrong-password-1").await.err().unwrap();
        assert_eq!((status, e["error"]["code"].as_str()), (401, Some("bad_credentials")));
        assert_eq!(e["error"]["message"], "用户名或密码错误");
    }
    let (status, e) = login(&app.base, "fgj", zhantu_web::users::DEMO_PASSWORD)
        .await
        .err()
        .expect("locked even with the right password");
    assert_eq!(status, 429);
    assert!(e["error"]["message"].as_str().unwrap().contains("分钟后再试"));
    // Another account is unaffected until the address itself has failed too often.
    assert!(app.login("lingdao").await.csrf.len() == 64);
    for i in 0..zhantu_web::auth::MAX_FAILURES_PER_ADDRESS {
        let _ = login(&app.base, &format!("nobody{i}"), "x").await;
    }
    assert_eq!(
        login(&app.base, "lingdao", zhantu_web::users::DEMO_PASSWORD).await.err().unwrap().0,
        429
    );
}

#[tokio::test]
async fn tokens_can_be_revoked_and_sessions_expire() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let (token, t) = editor.create_token("周报脚本").await;
    let token = token.as_str();
    let stored = app
        .scalar(&format!("SELECT COUNT(*) FROM api_tokens WHERE token_hash = '{token}'"))
        .await;
    assert_eq!(stored, 0, "tokens are stored hashed");
    let id = t["info"]["id"].as_i64().unwrap();
    assert_eq!(editor.delete(&format!("/api/v1/tokens/{id}")).await.0, 204);
    assert_eq!(token_status(&app.base, token).await, 401);

    assert_eq!(editor.get("/api/v1/auth/me").await.0, 200);
    app.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000Z'").await;
    assert_eq!(editor.get("/api/v1/auth/me").await.0, 401, "an expired session is refused");
}

#[tokio::test]
async fn passwords_change_and_admins_manage_users() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let xiachen = |password: &str| json!({"username": "Xiachen", "display_name": "下陈街道填报员", "role": "unit_editor", "unit_id": 1, "password": password});
    let (status, u) = admin.post("/api/v1/users", xiachen("short")).await;
    assert_eq!(status, 400, "{u}");
    assert!(u["error"]["message"].as_str().unwrap().contains("密码"));
    let u = admin.post_json_expect("/api/v1/users", xiachen("Jiaojiang2019x"), 201).await;
    assert_eq!(u["username"], "xiachen");
    let again = json!({"username": "xiachen", "display_name": "重复", "role": "viewer", "unit_id": 1, "password": "Jiaojiang2019x"});
    let (status, _) = admin.post("/api/v1/users", again).await;
    assert_eq!(status, 409);

    let new = app.sign_in_as("xiachen", "Jiaojiang2019x").await;
    assert_eq!(
        new.change_password("Jiaojiang2019x", "Xiachen2020abc").await,
        400,
        "the password may not contain the user name"
    );
    assert_eq!(new.change_password("Jiaojiang2019x", "Jiaojiang2020y").await, 204);
    assert!(login(&app.base, "xiachen", "Jiaojiang2020y").await.is_ok());

    let (status, u2) = admin
        .patch(
            &format!("/api/v1/users/{}", u["id"]),
            json!({"version": u["version"].as_i64().unwrap() + 1, "active": false}),
        )
        .await;
    assert_eq!(status, 200, "{u2}");
    assert_eq!(new.get("/api/v1/auth/me").await.0, 401, "a disabled user's sessions end");
    let (status, e) = login(&app.base, "xiachen", "Jiaojiang2020y").await.err().unwrap();
    assert_eq!((status, e["error"]["code"].as_str()), (403, Some("account_disabled")));
}

#[tokio::test]
async fn the_cli_manages_users() {
    let app = spawn_app().await;
    let run = |args: &[&str]| app.zhantu(args);
    let out = run(&[
        "user",
        "add",
        "--username",
        "sanjia",
        "--name",
        "三甲街道填报员",
        "--role",
        "unit_editor",
        "--unit",
        "三甲街道",
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.strip_prefix("临时密码："))
        .unwrap()
        .split('（')
        .next()
        .unwrap()
        .to_string();
    let s = login(&app.base, "sanjia", &password).await.expect("temporary password works");
    let (_, me) = s.get("/api/v1/auth/me").await;
    assert_eq!(me["user"]["must_change_password"], true);
    assert_eq!(me["user"]["unit"]["name"], "三甲街道");

    let out = run(&["user", "reset-password", "--username", "sanjia", "--password", "Sanjia2019ok"]);
    assert!(!out.status.success(), "the policy applies on the CLI too");
    let out = run(&["user", "reset-password", "--username", "sanjia", "--password", "Jiaojiang2019z"]);
    assert!(out.status.success());
    assert_eq!(s.get("/api/v1/auth/me").await.0, 401, "a reset ends the user's sessions");
    let out = run(&["user", "disable", "--username", "sanjia"]);
    assert!(out.status.success());
    assert!(login(&app.base, "sanjia", "Jiaojiang2019z").await.is_err());
    let out = run(&["user", "add", "--username", "x", "--name", "x", "--role", "boss"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("角色"));
}

#[tokio::test]
async fn responses_carry_security_headers_and_limits() {
    let app = spawn_app().await;
    let resp = reqwest::get(format!("{}/login?error=%3Cscript%3Ealert(1)%3C/script%3E", app.base))
        .await
        .unwrap();
    let csp = resp.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(resp.headers()["x-frame-options"], "DENY");
    assert_eq!(resp.headers()["x-content-type-options"], "nosniff");
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !body.contains("<script>alert"),
        "escaped"
    );
    assert!(!body.contains("<script"), "no inline script on the page");

    let admin = app.login("admin").await;
    let huge = "字".repeat(600_000);
    let (id, v) = other_units_project(&app).await;
    let (status, _) = admin
        .patch(&format!("/api/v1/projects/{id}"), json!({"version": v, "description": huge}))
        .await;
    assert_eq!(status, 413, "request size limit");
}

#[tokio::test]
async fn the_sign_in_form_works_in_a_browser_flow() {
    let app = spawn_app().await;
    let client = no_redirects();
    let page = client.get(format!("{}/login?next=/", app.base)).send().await.unwrap();
    let pre = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    let token = html
        .split("name=\"csrf_token\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    assert!(pre.ends_with(&token));
    let resp = client
        .post(format!("{}/login", app.base))
        .header("cookie", &pre)
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "haimen"),
            ("password", zhantu_web::users::DEMO_PASSWORD),
            ("next", "//evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 303);
    assert_eq!(
        resp.headers()["location"],
        "/todo",
        "no open redirect: to 我的待办, the landing page"
    );
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Max-Age="),
        "{set}"
    );
    let session = Session {
        base: app.base.clone(),
        cookie: set.split(';').next().unwrap().to_string(),
        csrf: String::new(),
    };
    let (status, me) = session.get("/api/v1/auth/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["user"]["username"], "haimen");
    let (_, html) = session.page("/").await;
    assert!(html.contains("海门街道填报员") && html.contains("单位填报员"));
}

#[tokio::test]
async fn account_pages_work_through_forms() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let editor = app.login("haimen").await;
    let (status, html) = admin.page("/admin/users").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("用户管理") && html.contains("haimen") && html.contains("海门街道"),
        "{html}"
    );
    assert_eq!(editor.page("/admin/users").await.0, 403);

    admin
        .post_form_expect("/admin/users", &json!({"username": "jiaozhi", "display_name": "葭沚街道填报员", "role": "unit_editor", "unit_id": "1", "password": "Jiaojiang2019x"}), 303)
        .await;
    assert!(app.store.user_by_username("jiaozhi").await.unwrap().is_some());
    let weak = json!({"username": "weak", "display_name": "x", "role": "viewer", "unit_id": "1", "password": "123"});
    let (status, _) = admin.post_form("/admin/users", &weak, true).await;
    assert_eq!(status, 303, "bad input goes back to the form with its message");

    let html = editor.post_form_expect("/account/tokens", &json!({"name": "表单令牌"}), 200).await;
    let token = html
        .split("<code class=\"token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_string();
    assert!(token.starts_with("zt_"));
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/auth/me", app.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(crate::helpers::status_of(&resp), 200);
    let (_, html) = editor.page("/account").await;
    assert!(html.contains("表单令牌") && !html.contains(&token), "the token is shown only once");

    let (status, html) = admin.page("/audit?entity=user").await;
    assert_eq!(status, 200);
    assert!(html.contains("创建用户") && html.contains("jiaozhi"), "{html}");
    assert_eq!(editor.page("/audit").await.0, 403);
    let (status, csv) = admin.page("/api/v1/audit/export.csv?entity=user").await;
    assert_eq!(status, 200);
    assert!(csv.starts_with("\u{feff}编号,时间,操作人") && csv.contains("user.create"));
}
