//! Starting the app for tests, and the steps the tests share.
//!
//! `demo_base()` is one server per test binary over a fresh demo database, for tests that only
//! read. `spawn_app()` gives a test its own fresh database and server (for tests that write).
//! Both bind port 0 on loopback. A `TestApp` reads as the administrator (API token), signs
//! users in, downloads files, runs the CLI and queries its database; a `Session` is a signed-in
//! browser (cookie and CSRF token) that reads, writes JSON, posts forms and reports nodes.

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
    _dir: TestDb,
}

impl TestApp {
    /// GET as the administrator (API token).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        get_json(&reqwest::Client::new(), &format!("{}{}", self.base, path)).await
    }
    pub async fn login(&self, username: &str) -> Session {
        login(&self.base, username, zhantu_web::users::DEMO_PASSWORD).await.expect("login")
    }
    /// Signs in with a password of the test's own (a new user's, say).
    pub async fn sign_in_as(&self, username: &str, password: &str) -> Session {
        login(&self.base, username, password).await.expect("sign in")
    }
    /// A new unit editor of `unit_id`, created by the administrator with a temporary password
    /// that the editor replaces with its own before working (as it must), signed in.
    pub async fn create_editor(&self, username: &str, unit_id: &Value) -> Session {
        let admin = self.login("admin").await;
        let body = serde_json::json!({"username": username, "display_name": "单位填报员", "role": "unit_editor", "unit_id": unit_id, "password": "Jiaojiang2019x"});
        admin.post_json_expect("/api/v1/users", body, 201).await;
        let temporary = self.sign_in_as(username, "Jiaojiang2019x").await;
        assert_eq!(temporary.change_password("Jiaojiang2019x", "Jiaojiang2020y").await, 204);
        self.sign_in_as(username, "Jiaojiang2020y").await
    }
    /// The first project of `list` (a page of the registry) whose detail `pick` takes: what it
    /// took from it.
    pub async fn first_project_where<T>(&self, list: &Value, pick: impl Fn(&Value) -> Option<T>) -> Option<T> {
        for p in list["items"].as_array().expect("a page of projects") {
            let (_, detail) = self.get(&format!("/api/v1/projects/{}", p["id"])).await;
            if let Some(found) = pick(&detail) {
                return Some(found);
            }
        }
        None
    }
    /// The id and version of the first project a registry query (`stage=construction`, say,
    /// or none) lists.
    pub async fn first_project(&self, query: &str) -> (i64, i64) {
        let path = match query {
            "" => "/api/v1/projects?limit=1".to_string(),
            q => format!("/api/v1/projects?{q}&limit=1"),
        };
        let (status, page) = self.get(&path).await;
        assert_eq!(status, 200, "{page}");
        id_version(&page["items"][0])
    }
    /// A file or page as the administrator downloads it (API token).
    pub async fn download(&self, path: &str) -> Download {
        download(&self.base, path).await
    }
    /// Runs the `zhantu` binary on this app's database (`--database` appended).
    pub fn zhantu(&self, args: &[&str]) -> std::process::Output {
        zhantu(&[args, &["--database", &self.url]].concat())
    }
    pub async fn audit_count(&self) -> i64 {
        self.scalar("SELECT COUNT(*) FROM audit_log").await
    }
    /// The one whole number a query of the database answers (a count, an id).
    pub async fn scalar(&self, sql: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(self.store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
    /// Changes the database behind the app's back (what a test sets up, or tampers with).
    pub async fn execute(&self, sql: &str) {
        sqlx::query(sql)
            .execute(self.store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

/// GET with the administrator's API token; the body must be JSON.
pub async fn get_json(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let resp = client.get(url).bearer_auth(ADMIN_TOKEN).send().await.expect("request");
    let status = status_of(&resp);
    let body = resp.text().await.expect("body");
    let json = serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON from {url}: {body}"));
    (status, json)
}

/// A file or page fetched with the administrator's API token: its status, headers and bytes.
pub struct Download {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Download {
    pub fn content_type(&self) -> &str {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("")
    }
    pub fn text(&self) -> String {
        String::from_utf8(self.body.clone()).expect("UTF-8 text")
    }
}

/// A client that shows a redirect instead of following it, as the tests of where a page
/// leads need.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A response's status and JSON body (null where the body is not JSON).
pub async fn answer(resp: reqwest::Response) -> (u16, Value) {
    let status = status_of(&resp);
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The element of a JSON array whose `field` equals `value`.
pub fn find_by<'a, V>(list: &'a Value, field: &str, value: V) -> &'a Value
where
    Value: PartialEq<V>,
{
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .find(|x| x[field] == value)
        .unwrap_or_else(|| panic!("no element with this {field} in {list}"))
}

/// The sum of a whole-number `field` over a JSON array.
pub fn sum_of(list: &Value, field: &str) -> i64 {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|x| x[field].as_i64().unwrap_or_else(|| panic!("no whole {field} in {x}")))
        .sum()
}

/// GET with the administrator's API token, following no redirect; the body as bytes.
pub async fn download(base: &str, path: &str) -> Download {
    let resp = no_redirects()
        .get(format!("{base}{path}"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .expect("request");
    Download {
        status: status_of(&resp),
        headers: resp.headers().clone(),
        body: resp.bytes().await.expect("body").to_vec(),
    }
}

/// The importer's upload form: the file, and the form's other fields.
pub fn import_form(bytes: Vec<u8>, name: &str, fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    let file = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let mut f = reqwest::multipart::Form::new().part("file", file);
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    f
}

/// Uploads a file to the importer as the administrator (API token).
pub async fn upload_import(base: &str, bytes: Vec<u8>, name: &str, fields: &[(&str, &str)]) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/api/v1/imports"))
        .bearer_auth(ADMIN_TOKEN)
        .multipart(import_form(bytes, name, fields))
        .send()
        .await
        .expect("the server answers");
    answer(resp).await
}

/// Runs the `zhantu` binary with these arguments and waits for it.
pub fn zhantu(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zhantu"))
        .args(args)
        .output()
        .expect("run zhantu")
}

/// The status of a GET of one project page with an API token (200 while the token is valid).
pub async fn token_status(base: &str, token: &str) -> u16 {
    let resp = reqwest::Client::new()
        .get(format!("{base}/api/v1/projects?limit=1"))
        .bearer_auth(token)
        .send()
        .await
        .expect("request");
    status_of(&resp)
}

/// The first item of a list (`{"items": [...]}`) that belongs to a unit other than 海门街道,
/// the unit of the demo's unit editor `haimen` and viewer `chakan`.
pub fn of_another_unit(list: &Value) -> Value {
    list["items"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|x| x["unit"]["name"] != "海门街道")
        .unwrap_or_else(|| panic!("an item of another unit than 海门街道 in {list}"))
        .clone()
}

/// A record's id and version.
pub fn id_version(v: &Value) -> (i64, i64) {
    (v["id"].as_i64().expect("id"), v["version"].as_i64().expect("version"))
}

/// A tiny but real PNG (1×1, red), for a node's evidence.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

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
    let status = status_of(&resp);
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
        let status = status_of(&resp);
        let text = resp.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.send("GET", path, None, false).await
    }
    /// POSTs JSON with the CSRF header, as the pages' scripts do.
    pub async fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("POST", path, Some(body), true).await
    }
    pub async fn patch(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("PATCH", path, Some(body), true).await
    }
    pub async fn put(&self, path: &str, body: Value) -> (u16, Value) {
        self.send("PUT", path, Some(body), true).await
    }
    /// DELETE (no body) with the CSRF header.
    pub async fn delete(&self, path: &str) -> (u16, Value) {
        self.send("DELETE", path, None, true).await
    }
    /// POSTs JSON and asserts the status; the answer.
    pub async fn post_json_expect(&self, path: &str, body: Value, status: u16) -> Value {
        let (got, r) = self.post(path, body.clone()).await;
        assert_eq!(got, status, "POST {path} {body}: {r}");
        r
    }
    /// Creates an API token for itself and sees it open the API: the token and the answer
    /// (`token`, `info`).
    pub async fn create_token(&self, name: &str) -> (String, Value) {
        let t = self
            .post_json_expect("/api/v1/tokens", serde_json::json!({ "name": name }), 201)
            .await;
        let token = t["token"].as_str().expect("the token, shown once").to_string();
        assert_eq!(token_status(&self.base, &token).await, 200, "a new token works");
        (token, t)
    }
    /// Posts an HTML form with its CSRF token and asserts the status; the body.
    pub async fn post_form_expect(&self, path: &str, fields: &Value, status: u16) -> String {
        let (got, body) = self.post_form(path, fields, true).await;
        assert_eq!(got, status, "POST {path} {fields}: {body}");
        body
    }
    /// Posts a form the page accepts: it answers 303, back to a page.
    pub async fn post_form_accepted(&self, path: &str, fields: &Value) -> String {
        self.post_form_expect(path, fields, 303).await
    }
    /// Changes its own password: the status.
    pub async fn change_password(&self, current: &str, new: &str) -> u16 {
        let body = serde_json::json!({ "current_password": current, "new_password": new });
        self.post("/api/v1/auth/password", body).await.0
    }
    /// Reports a node done with one file of evidence (multipart, as the project page does).
    pub async fn report_node(&self, node: i64, version: i64, date: &str, note: &str, file: (&str, &[u8])) -> (u16, Value) {
        self.report_node_with(node, version, date, note, &[file]).await
    }
    /// Reports a node done with these files of evidence, (file name, bytes) each, in order.
    pub async fn report_node_with(&self, node: i64, version: i64, date: &str, note: &str, files: &[(&str, &[u8])]) -> (u16, Value) {
        let mut form = reqwest::multipart::Form::new()
            .text("version", version.to_string())
            .text("actual_on", date.to_string())
            .text("note", note.to_string());
        for (name, bytes) in files {
            form = form.part(
                "evidence",
                reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        }
        let resp = reqwest::Client::new()
            .post(format!("{}/api/v1/nodes/{node}/report", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .multipart(form)
            .send()
            .await
            .expect("request");
        answer(resp).await
    }
    /// GETs a path as the browser does, but showing a redirect instead of following it.
    pub async fn response(&self, path: &str) -> reqwest::Response {
        no_redirects()
            .get(format!("{}{}", self.base, path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("request")
    }
    /// GETs a page: its status and HTML.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let resp = reqwest::Client::new()
            .get(format!("{}{}", self.base, path))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("request");
        let status = status_of(&resp);
        (status, resp.text().await.expect("body"))
    }
    /// Posts an HTML form (the JSON object's fields as form fields), with or without the
    /// session's CSRF token among them. Returns the status and the body text.
    pub async fn post_form(&self, path: &str, fields: &Value, csrf: bool) -> (u16, String) {
        let resp = self.post_form_response(path, fields, csrf).await;
        (status_of(&resp), resp.text().await.unwrap_or_default())
    }
    /// Posts an HTML form as [`Session::post_form`] does: the answer itself (its headers).
    pub async fn post_form_response(&self, path: &str, fields: &Value, csrf: bool) -> reqwest::Response {
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
        no_redirects()
            .post(format!("{}{}", self.base, path))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .expect("request")
    }
}

/// The engine the suite runs on: PostgreSQL when `ZHANTU_TEST_POSTGRES` names a server
/// (an admin URL such as `postgres://zhantu:zhantu@127.0.0.1/zhantu`; each test gets a new
/// database on it), else SQLite files in temporary directories.
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("ZHANTU_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

/// Where a test's database lives, for as long as the test holds it: a temporary directory
/// (the SQLite file) and, on PostgreSQL, the test's own database, dropped when this is dropped.
/// Every test makes a database of ~25 MB on PostgreSQL; kept, a run of the suite filled the
/// disk and every later test failed to start.
pub struct TestDb {
    dir: TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    #[allow(dead_code)]
    pub fn path(&self) -> &std::path::Path {
        self.dir.path()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else { return };
        let label = name.clone();
        // Drop runs inside the test's runtime: the DROP gets a thread and a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async move {
                let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await?;
                <sqlx::AnyConnection as sqlx::Connection>::close(conn).await
            })
        })
        .join();
        if let Ok(Err(e)) = dropped {
            eprintln!("the test database {label} was not dropped: {e}");
        }
    }
}

/// A fresh, empty, migrated database, with its URL.
pub async fn fresh_store() -> (Store, TestDb, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut postgres = None;
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
            let _ = <sqlx::AnyConnection as sqlx::Connection>::close(conn).await;
            let (base, _) = admin.rsplit_once('/').expect("admin URL names a database");
            postgres = Some((admin.clone(), name.clone()));
            format!("{base}/{name}")
        }
        None => dir.path().join("zhantu.db").to_string_lossy().into_owned(),
    };
    let db = TestDb { dir, postgres };
    let store = Store::open(&url, OpenMode::CreateOrMigrate).await.expect("open");
    (store, db, url)
}

/// A fresh database with the demo district, its accounts, and the tests' admin token.
pub async fn fresh_demo_store() -> (Store, TestDb, String) {
    let (store, dir, url) = fresh_store().await;
    store.load_dataset(&zhantu_demo::scenario_2019(2019)).await.expect("load demo");
    store.backfill_light_history().await.expect("the demo's light history");
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

/// Serves the app on 127.0.0.1:0 and returns its base URL. Every answer passes
/// [`no_server_errors`] on its way out, so a 5xx fails the test that caused it even where the
/// test never reads the status.
pub async fn serve(store: Store) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = zhantu_web::router(zhantu_web::AppState { store }).layer(axum::middleware::from_fn(no_server_errors));
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
            .await
            .expect("serve")
    });
    format!("http://{addr}")
}

/// The server side of "every 5xx is a failure of the suite": an answer of 500 or above is
/// printed with its request and never delivered (the task serving it panics, so the client's
/// request fails with the message in the test's output).
async fn no_server_errors(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let (method, uri) = (req.method().clone(), req.uri().clone());
    let resp = next.run(req).await;
    if resp.status().is_server_error() {
        let status = resp.status();
        let body = axum::body::to_bytes(resp.into_body(), 64 * 1024).await.unwrap_or_default();
        panic!("the app answered {status} to {method} {uri}: {}", String::from_utf8_lossy(&body));
    }
    resp
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

/// The status of an answer of the app. Every request the tests make reads its status here, and
/// a 5xx is a failure of the suite wherever it happens: the app must answer every input,
/// however hostile, with a clear 4xx or a success.
pub fn status_of(resp: &reqwest::Response) -> u16 {
    let status = resp.status().as_u16();
    assert!(
        status < 500,
        "the app answered {status} to {} {}",
        resp.url().path(),
        resp.url().query().unwrap_or("")
    );
    status
}

/// Where two JSON values differ, as `path: want ≠ got` lines.
pub fn differences(path: &str, want: &Value, got: &Value) -> Vec<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .flat_map(|k| {
                    differences(
                        &format!("{path}.{k}"),
                        &a.get(k).cloned().unwrap_or(Value::Null),
                        &b.get(k).cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .flat_map(|(i, (x, y))| differences(&format!("{path}[{i}]"), x, y))
            .collect(),
        _ if want == got => Vec::new(),
        _ => vec![format!("{path}: {want} ≠ {got}")],
    }
}
