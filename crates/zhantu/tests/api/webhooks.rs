//! Webhooks end to end: a coordinator subscribes a receiver; the district's work (a node
//! reported, verified, sent back; a light changing; a date change decided; a problem raised and
//! closed; a report issued) fills the outbox in the same transactions; the real `zhantu serve`
//! posts it, is killed while the receiver is down, and the next `zhantu serve` delivers every
//! event exactly once, each signature checked by the receiver, which refuses a forged one.
//! Unit editors can neither see nor change subscriptions.

use crate::helpers::{PNG, TestApp, id_version, spawn_app};
use crate::nodes::{lit_by_its_next_node, report};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// What the receiver accepted: delivery id → (event header, body).
type Accepted = Arc<Mutex<Vec<(String, String, Value)>>>;

/// A receiver on loopback that checks every signature with the subscription's secret (as
/// `zhantu_domain::webhooks::verify` documents it): 401 for a bad one, 503 while `down`, else
/// 200 and the delivery recorded.
struct Receiver {
    url: String,
    accepted: Accepted,
    refused: Arc<Mutex<Vec<String>>>,
    down: Arc<AtomicBool>,
    secret: Arc<Mutex<String>>,
}

async fn receiver() -> Receiver {
    let accepted: Accepted = Arc::default();
    let refused: Arc<Mutex<Vec<String>>> = Arc::default();
    let down = Arc::new(AtomicBool::new(true));
    let secret = Arc::new(Mutex::new(String::new()));
    let (a, r, d, s) = (accepted.clone(), refused.clone(), down.clone(), secret.clone());
    let app = axum::Router::new().route(
        "/hooks/zhantu",
        axum::routing::post(move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
            let (a, r, d, s) = (a.clone(), r.clone(), d.clone(), s.clone());
            async move {
                let header = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let key = s.lock().unwrap().clone();
                let now = chrono::Utc::now().timestamp();
                if let Err(why) = zhantu_domain::webhooks::verify(&key, &header("Zhantu-Signature"), &body, now) {
                    r.lock().unwrap().push(why.to_string());
                    return axum::http::StatusCode::UNAUTHORIZED;
                }
                if d.load(Ordering::SeqCst) {
                    return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                }
                let v: Value = serde_json::from_slice(&body).expect("a JSON body");
                a.lock().unwrap().push((header("Zhantu-Delivery"), header("Zhantu-Event"), v));
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/zhantu", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver {
        url,
        accepted,
        refused,
        down,
        secret,
    }
}

/// `zhantu serve` on the app's database, as a process of its own (its sender running).
struct Server(std::process::Child);

impl Server {
    fn start(app: &TestApp, log: &std::path::Path) -> Server {
        let out = std::fs::File::create(log).unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_zhantu"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &app.url])
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start zhantu serve");
        Server(child)
    }
    /// SIGKILL: no shutdown, nothing flushed that was not already committed.
    fn kill(mut self) {
        self.0.kill().unwrap();
        self.0.wait().unwrap();
    }
}

/// Waits until `sql` (a count) answers `want`, or fails after `secs` with the server's log.
async fn until(app: &TestApp, sql: &str, want: i64, secs: u64, log: &std::path::Path) {
    let start = Instant::now();
    loop {
        let got = app.scalar(sql).await;
        if got == want {
            return;
        }
        if start.elapsed() > Duration::from_secs(secs) {
            panic!(
                "{sql} = {got}, not {want} after {secs} s; the server said:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Runs the district's work that makes one of each event, as the people who do it.
async fn the_weeks_work(app: &TestApp) -> i64 {
    let fgj = app.login("fgj").await;
    // A node reported done and verified (its project's light turns green), another sent back.
    let (_, node, editor) = lit_by_its_next_node(app).await;
    let (nid, v) = id_version(&node);
    assert_eq!(report(&editor, nid, v, "2019-12-30", ("现场.png", PNG)).await.0, 200);
    let (status, r) = fgj
        .post(&format!("/api/v1/nodes/{nid}/verify"), json!({"version": v + 1, "approve": true}))
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, node, editor) = lit_by_its_next_node(app).await;
    let (back, v) = id_version(&node);
    assert_eq!(report(&editor, back, v, "2019-12-30", ("现场.png", PNG)).await.0, 200);
    let body = json!({"version": v + 1, "approve": false, "reason": "照片看不出主体结顶"});
    assert_eq!(fgj.post(&format!("/api/v1/nodes/{back}/verify"), body).await.0, 200);
    // A date change of the node sent back, asked for and approved.
    let moved = back;
    let asked = editor
        .post_json_expect(
            &format!("/api/v1/nodes/{moved}/date-change"),
            json!({"new_planned_on": "2020-03-31", "reason_code": "land", "reason_text": "征迁协议尚未签订"}),
            201,
        )
        .await;
    let decide = format!("/api/v1/date-changes/{}/decide", asked["date_change"]["id"]);
    assert_eq!(fgj.post(&decide, json!({"approve": true, "note": "同意"})).await.0, 200);
    // A problem raised and taken round its loop to 销号.
    let unit = app.store.unit_by_name("海门街道").await.unwrap().unwrap();
    let raised = fgj
        .post_json_expect(
            "/api/v1/problems",
            json!({"category": "审批", "description": "施工许可证未办出", "unit_id": unit, "deadline": "2020-01-02"}),
            201,
        )
        .await;
    let id = raised["problem"]["id"].as_i64().unwrap();
    let mut p = raised["problem"].clone();
    for (step, body) in [
        ("assign", json!({"unit_id": unit, "deadline": "2020-01-15"})),
        ("resolve", json!({"resolution": "许可证已核发"})),
        ("callback", json!({"satisfied": true, "satisfaction": 5})),
        ("close", json!({"note": "销号"})),
    ] {
        let mut body = body;
        body["version"] = p["version"].clone();
        let (status, r) = fgj.post(&format!("/api/v1/problems/{id}/{step}"), body).await;
        assert_eq!(status, 200, "{step}: {r}");
        p = r["problem"].clone();
    }
    // The month's analysis issued.
    let (status, r) = fgj.send("POST", "/api/v1/reports/monthly/2019-12/issue", None, true).await;
    assert!(status == 200 || status == 201, "{status} {r}");
    nid
}

#[tokio::test]
async fn every_event_reaches_the_receiver_once_across_a_killed_server_and_forgeries_are_refused() {
    let app = spawn_app().await;
    let rx = receiver().await;
    let fgj = app.login("fgj").await;
    let events: Vec<&str> = zhantu_domain::webhooks::Event::subscribable().map(|e| e.code()).collect();
    let made = fgj
        .post_json_expect(
            "/api/v1/webhooks",
            json!({"name": "市大数据局", "url": rx.url, "events": events}),
            201,
        )
        .await;
    let secret = made["secret"].as_str().expect("the secret, once, to the coordinator").to_string();
    assert!(secret.starts_with("whsec_") && secret.len() == 6 + 64, "{secret}");
    *rx.secret.lock().unwrap() = secret.clone();
    let sub = made["id"].as_i64().unwrap();

    let verified = the_weeks_work(&app).await;
    let (status, _) = fgj.post(&format!("/api/v1/webhooks/{sub}/ping"), json!({})).await;
    assert_eq!(status, 202);
    // Every event is in the outbox, written with the change it tells of.
    let queued: BTreeSet<String> = sqlx::query_scalar::<_, String>("SELECT DISTINCT event FROM webhook_outbox")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    let all: BTreeSet<String> = zhantu_domain::webhooks::Event::ALL.iter().map(|e| e.code().to_string()).collect();
    assert_eq!(queued, all, "one of each event");
    let total = app.scalar("SELECT COUNT(*) FROM webhook_outbox").await;

    // The first server tries each once against a receiver that is down, and is killed.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("serve.log");
    let first = Server::start(&app, &log);
    let tried = "SELECT COUNT(*) FROM webhook_outbox WHERE attempts = 0";
    until(&app, tried, 0, 60, &log).await;
    first.kill();
    assert!(rx.accepted.lock().unwrap().is_empty());
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NOT NULL")
            .await,
        0
    );

    // The receiver is back; a new server delivers what the killed one left, after the wait.
    rx.down.store(false, Ordering::SeqCst);
    let second = Server::start(&app, &log);
    let undelivered = "SELECT COUNT(*) FROM webhook_outbox WHERE delivered_at IS NULL";
    until(&app, undelivered, 0, 90, &log).await;
    second.kill();

    let accepted = rx.accepted.lock().unwrap().clone();
    let total_now = app.scalar("SELECT COUNT(*) FROM webhook_outbox").await;
    assert!(total_now >= total);
    assert_eq!(accepted.len() as i64, total_now, "each delivery once, none twice");
    let ids: BTreeSet<&str> = accepted.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids.len(), accepted.len(), "no delivery id twice");
    let by_event: BTreeMap<&str, &Value> = accepted.iter().map(|(_, e, v)| (e.as_str(), v)).collect();
    assert_eq!(by_event.keys().map(|e| e.to_string()).collect::<BTreeSet<_>>(), all);
    for (id, event, body) in &accepted {
        assert_eq!(
            (body["id"].as_str(), body["event"].as_str()),
            (Some(id.as_str()), Some(event.as_str()))
        );
    }
    let v = by_event["node.verified"];
    assert_eq!(
        (v["data"]["entity"].as_str(), v["data"]["entity_id"].as_i64()),
        (Some("node"), Some(verified))
    );
    assert_eq!(v["data"]["actor"], "fgj");
    let light = by_event["light.changed"];
    assert!(light["data"]["from"].is_string() && light["data"]["to"].is_string(), "{light}");
    assert!(
        rx.refused.lock().unwrap().is_empty(),
        "every real delivery verified: {:?}",
        rx.refused.lock().unwrap()
    );

    // The log: each delivery tried twice (503, then 200), shown per subscription.
    let (_, one) = app.get(&format!("/api/v1/webhooks/{sub}")).await;
    let deliveries = one["deliveries"].as_array().unwrap();
    assert!(
        deliveries.iter().all(|d| d["delivered_at"].is_string() && d["last_status"] == 200),
        "{one}"
    );
    let d = &deliveries[deliveries.len() - 1];
    let (_, tries) = app.get(&format!("/api/v1/webhooks/{sub}/deliveries/{}", d["id"])).await;
    let statuses: Vec<i64> = tries["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["status"].as_i64().unwrap())
        .collect();
    assert_eq!(statuses, [503, 200], "{tries}");
    assert_eq!(tries["body"]["id"], d["id"].to_string().trim_matches('"'));

    // Forgeries: a body signed with another secret, a real signature over a changed body, a
    // replay from an hour ago — each refused by the receiver's check.
    let client = reqwest::Client::new();
    let body = br#"{"id":"999","event":"node.verified","occurred_at":"2019-12-31T00:00:00Z","data":{}}"#;
    let now = chrono::Utc::now().timestamp();
    let (_, event, real) = &accepted[0];
    let real_body = real.to_string();
    let real_sig = zhantu_domain::webhooks::sign(&secret, now, real_body.as_bytes());
    for (sig, body) in [
        (zhantu_domain::webhooks::sign("whsec_guessed", now, body), body.to_vec()),
        (real_sig.clone(), real_body.replace(event.as_str(), "node.sent_back").into_bytes()),
        (zhantu_domain::webhooks::sign(&secret, now - 3600, body), body.to_vec()),
    ] {
        let r = client
            .post(&rx.url)
            .header("Zhantu-Signature", sig)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    assert_eq!(rx.refused.lock().unwrap().len(), 3);
    assert_eq!(rx.accepted.lock().unwrap().len(), accepted.len(), "nothing forged got in");
}

#[tokio::test]
async fn only_coordinators_and_administrators_keep_subscriptions() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let haimen = app.login("haimen").await;
    let lingdao = app.login("lingdao").await;
    let body = json!({"name": "市大数据局", "url": "https://hooks.example.cn/zhantu", "events": ["node.verified"]});
    for s in [&haimen, &lingdao] {
        assert_eq!(s.get("/api/v1/webhooks").await.0, 403);
        assert_eq!(s.post("/api/v1/webhooks", body.clone()).await.0, 403);
        assert_eq!(s.page("/admin/webhooks").await.0, 403);
    }
    // Every bad field at once, with its code.
    let (status, e) = fgj
        .post("/api/v1/webhooks", json!({"name": "", "url": "ftp://x", "events": ["nope"]}))
        .await;
    assert_eq!(status, 400, "{e}");
    let codes: Vec<&str> = e["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["webhook_name_empty", "webhook_url_scheme", "webhook_event_unknown"]);
    let made = fgj.post_json_expect("/api/v1/webhooks", body, 201).await;
    let id = made["id"].as_i64().unwrap();
    for s in [&haimen, &lingdao] {
        assert_eq!(s.get(&format!("/api/v1/webhooks/{id}")).await.0, 403);
        assert_eq!(s.post(&format!("/api/v1/webhooks/{id}/ping"), json!({})).await.0, 403);
        assert_eq!(s.delete(&format!("/api/v1/webhooks/{id}?version=1")).await.0, 403);
    }
    // The list never shows the secret; the audit log neither.
    let (_, list) = fgj.get("/api/v1/webhooks").await;
    assert_eq!(list["total"], 1);
    assert!(list["items"][0].get("secret").is_none(), "{list}");
    let secret = made["secret"].as_str().unwrap();
    let leaked = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%{secret}%' OR before_json LIKE '%{secret}%'"
        ))
        .await;
    assert_eq!(leaked, 0);
    // Changes are versioned; a new secret replaces the old one.
    let change = json!({"version": 1, "name": "市大数据局", "url": "https://hooks.example.cn/v2", "events": ["node.verified", "light.changed"], "active": false});
    let (status, changed) = fgj.put(&format!("/api/v1/webhooks/{id}"), change.clone()).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!((changed["active"].as_bool(), changed["version"].as_i64()), (Some(false), Some(2)));
    assert_eq!(fgj.put(&format!("/api/v1/webhooks/{id}"), change).await.0, 409);
    let (_, rotated) = fgj.post(&format!("/api/v1/webhooks/{id}/secret"), json!({"version": 2})).await;
    assert_ne!(rotated["secret"].as_str().unwrap(), secret);
    // The page, in both languages.
    let (status, page) = fgj.page(&format!("/admin/webhooks/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("webhook-secret") && page.contains(rotated["secret"].as_str().unwrap()));
    let (status, page) = fgj.page("/admin/webhooks?lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("Receiver URL"), "{page}");
    assert_eq!(fgj.delete(&format!("/api/v1/webhooks/{id}?version=3")).await.0, 204);
    assert_eq!(fgj.get(&format!("/api/v1/webhooks/{id}")).await.0, 404);
}

/// The webhooks' write routes for the walk in `security.rs`: a subscription and a delivery of
/// its own to name.
pub(crate) async fn write_fixtures(app: &TestApp) -> crate::security::Fixtures {
    use crate::security::Fixture;
    let input = zhantu_domain::webhooks::SubscriptionInput::parse(
        "测试订阅",
        "https://hooks.example.cn/zhantu",
        &["node.verified".to_string()],
        true,
    )
    .unwrap();
    let ctx = zhantu_store::AuditCtx::system("tests");
    let sub = app.store.create_webhook(&input, "whsec_tests", &ctx).await.unwrap();
    let delivery = app.store.ping_webhook(sub.id, &ctx).await.unwrap();
    let (id, v) = (sub.id, sub.version);
    let body = json!({"version": v, "name": "测试订阅", "url": "https://hooks.example.cn/v2", "events": ["node.verified"]});
    let form = json!({"version": v.to_string(), "name": "测试订阅", "url": "https://hooks.example.cn/v2", "events": "node.verified", "active": "1"});
    vec![
        (
            ("POST", "/api/v1/webhooks"),
            Fixture::json(
                "/api/v1/webhooks",
                json!({"name": "x", "url": "https://h.cn/", "events": ["ping"]}),
                true,
                None,
            ),
        ),
        (
            ("PUT", "/api/v1/webhooks/{id}"),
            Fixture::versioned(format!("/api/v1/webhooks/{id}"), body, true),
        ),
        (
            ("DELETE", "/api/v1/webhooks/{id}"),
            Fixture::json(format!("/api/v1/webhooks/{id}?version={v}"), json!({}), true, None),
        ),
        (
            ("POST", "/api/v1/webhooks/{id}/secret"),
            Fixture::versioned(format!("/api/v1/webhooks/{id}/secret"), json!({"version": v}), true),
        ),
        (
            ("POST", "/api/v1/webhooks/{id}/ping"),
            Fixture::json(format!("/api/v1/webhooks/{id}/ping"), json!({}), true, None),
        ),
        (
            ("POST", "/api/v1/webhooks/{id}/deliveries/{delivery}/retry"),
            Fixture::json(format!("/api/v1/webhooks/{id}/deliveries/{delivery}/retry"), json!({}), true, None),
        ),
        (
            ("POST", "/admin/webhooks"),
            Fixture::form(
                "/admin/webhooks",
                json!({"name": "x", "url": "https://h.cn/", "events": "node.verified"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/admin/webhooks/{id}"),
            Fixture::versioned_form(format!("/admin/webhooks/{id}"), form, true),
        ),
        (
            ("POST", "/admin/webhooks/{id}/secret"),
            Fixture::versioned_form(format!("/admin/webhooks/{id}/secret"), json!({"version": v.to_string()}), true),
        ),
        (
            ("POST", "/admin/webhooks/{id}/ping"),
            Fixture::form(format!("/admin/webhooks/{id}/ping"), json!({}), true, None),
        ),
        (
            ("POST", "/admin/webhooks/{id}/delete"),
            Fixture::versioned_form(format!("/admin/webhooks/{id}/delete"), json!({"version": v.to_string()}), true),
        ),
        (
            ("POST", "/admin/webhooks/{id}/deliveries/{delivery}/retry"),
            Fixture::form(format!("/admin/webhooks/{id}/deliveries/{delivery}/retry"), json!({}), true, None),
        ),
    ]
}
