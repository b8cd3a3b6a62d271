//! Starting the app for tests.
//!
//! `demo_app()` is one server per test binary over a fresh demo database, for tests that only
//! read. `spawn_app()` gives a test its own fresh database and server (for tests that write).
//! Both bind port 0 on loopback.

use serde_json::Value;
use std::sync::OnceLock;
use tempfile::TempDir;
use zhantu_store::{OpenMode, Store};

/// The API token of the demo's administrator in tests (stored hashed like any other).
pub const ADMIN_TOKEN: &str = "zt_tests_admin_0123456789abcdef0123456789abcdef";

pub struct TestApp {
    pub base: String,
    /// The database URL (a SQLite path or a PostgreSQL URL), for the CLI.
    pub url: String,
    pub store: Store,
    _dir: TempDir,
}

impl TestApp {
    /// GET as the administrator (API token).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        get_json(&reqwest::Client::new(), &format!("{}{}", self.base, path)).await
    }
    pub async fn login(&self, username: &str) -> Session {
        login(&self.base, username, zhantu_web::users::DEMO_PASSWORD).await.expect("login")
    }
    pub async fn audit_count(&self) -> i64 {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log")
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }
}

/// GET with the administrator's API token; the body must be JSON.
pub async fn get_json(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let resp = client.get(url).bearer_auth(ADMIN_TOKEN).send().await.expect("request");
    let status = resp.status().as_u16();
    let body = resp.text().await.expect("body");
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON from {url}: {body}"));
    (status, json)
}

/// A browser-like session: the session cookie and its CSRF token.
#[derive(Clone)]
pub struct Session {
    pub base: String,
    pub cookie: String,
    pub csrf: String,
}

/// Signs in through the JSON API.
pub async fn login(base: &str, username: &str, password: &str) -> Result<Session, (u16, Value)> {
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login request");
    let status = resp.status().as_u16();
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .map(|c| c.split(';').next().unwrap().to_string());
    let body: Value = resp.json().await.expect("login JSON");
    match (status, cookie) {
        (200, Some(cookie)) => Ok(Session {
            base: base.to_string(),
            cookie,
            csrf: body["csrf_token"].as_str().unwrap().to_string(),
        }),
        _ => Err((status, body)),
    }
}

impl Session {
    /// Sends a request with the session cookie, with or without the CSRF header.
    pub async fn send(&self, method: &str, path: &str, body: Option<Value>, csrf: bool) -> (u16, Value) {
        let m = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = reqwest::Client::new()
            .request(m, format!("{}{}", self.base, path))
            .header("cookie", &self.cookie);
        if csrf {
            rb = rb.header("x-csrf-token", &self.csrf);
        }
        if let Some(b) = body {
            rb = rb.json(&b);
        }
        let resp = rb.send().await.expect("request");
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None, false).await
    }
    /// GETs a page: its status and HTML.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let resp = reqwest::Client::new()
            .get(format!("{}{}", self.base, path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    }
    /// Posts an HTML form (the JSON object's fields as form fields), with or without the
    /// session's CSRF token among them. Returns the status and the body text.
    pub async fn post_form(&self, path: &str, fields: &Value, csrf: bool) -> (u16, String) {
        let mut form: Vec<(String, String)> = fields
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        if csrf {
            form.push(("csrf_token".into(), self.csrf.clone()));
        }
        let resp = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .post(format!("{}{}", self.base, path))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .expect("request");
        (resp.status().as_u16(), resp.text().await.unwrap_or_default())
    }
}

/// The engine the suite runs on: PostgreSQL when `ZHANTU_TEST_POSTGRES` names a server
/// (an admin URL such as `postgres://zhantu:zhantu@127.0.0.1/zhantu`; each test gets a new
/// database on it), else SQLite files in temporary directories.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("ZHANTU_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

/// A fresh, empty, migrated database, with its URL.
pub async fn fresh_store() -> (Store, TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = match postgres_admin_url() {
        Some(admin) => {
            static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
            let name = format!(
                "zt_{}_{}_{}",
                std::process::id(),
                N.fetch_add(1, std::sync::atomic::Ordering::SeqCst),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .subsec_nanos()
            );
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin)
                .await
                .expect("connect to the PostgreSQL admin URL");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut conn)
                .await
                .expect("create test database");
            let (base, _) = admin.rsplit_once('/').expect("admin URL names a database");
            format!("{base}/{name}")
        }
        None => dir.path().join("zhantu.db").to_string_lossy().into_owned(),
    };
    let store = Store::open(&url, OpenMode::CreateOrMigrate).await.expect("open");
    (store, dir, url)
}

/// A fresh database with the demo district, its accounts, and the tests' admin token.
pub async fn fresh_demo_store() -> (Store, TempDir, String) {
    let (store, dir, url) = fresh_store().await;
    store.load_dataset(&zhantu_demo::scenario_2019(2019)).await.expect("load demo");
    zhantu_web::users::create_demo_accounts(&store).await.expect("demo accounts");
    let admin = store.user_by_username("admin").await.unwrap().unwrap();
    store
        .create_api_token(
            admin.id,
            "tests",
            &zhantu_web::auth::sha256_hex(ADMIN_TOKEN),
            &ADMIN_TOKEN[..10],
            &zhantu_store::AuditCtx::system("tests"),
        )
        .await
        .expect("token");
    (store, dir, url)
}

/// Serves the app on 127.0.0.1:0 and returns its base URL.
pub async fn serve(store: Store) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { zhantu_web::serve(listener, store, std::future::pending()).await.expect("serve") });
    format!("http://{addr}")
}

/// Its own fresh demo database and server.
#[allow(dead_code)]
pub async fn spawn_app() -> TestApp {
    let (store, dir, url) = fresh_demo_store().await;
    let base = serve(store.clone()).await;
    TestApp {
        base,
        url,
        store,
        _dir: dir,
    }
}

/// The shared read-only demo server: started once, on a thread with its own runtime, so it
/// outlives each test's runtime.
pub fn demo_base() -> &'static str {
    static BASE: OnceLock<String> = OnceLock::new();
    BASE.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let (store, dir, _) = fresh_demo_store().await;
                let base = serve(store).await;
                tx.send(base).expect("send");
                let _keep = dir;
                std::future::pending::<()>().await;
            });
        });
        rx.recv().expect("demo server started")
    })
}

pub async fn demo_get(path: &str) -> (u16, Value) {
    get_json(&reqwest::Client::new(), &format!("{}{}", demo_base(), path)).await
}
