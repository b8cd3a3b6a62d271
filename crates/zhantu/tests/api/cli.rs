//! The `zhantu` binary itself: the README's first command, and its errors.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use zhantu_store::{OpenMode, Store};

fn zhantu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zhantu"))
}

/// Kills the child when the test ends, pass or fail.
pub(crate) struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a `zhantu` command that serves (`demo`, `serve`) and returns its URL from the banner.
pub(crate) fn serving(cmd: &mut Command) -> (Running, String) {
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("spawn zhantu");
    let stdout = child.stdout.take().unwrap();
    let running = Running(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("banner line").expect("utf-8");
        if let Some(i) = line.find("http://") {
            break line[i..].trim().trim_end_matches('/').to_string();
        }
    };
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (running, url)
}

/// Starts `zhantu demo` on port 0 and returns its URL from the banner.
fn start_demo(data: &std::path::Path) -> (Running, String) {
    serving(zhantu().args(["demo", "--listen", "127.0.0.1:0", "--data"]).arg(data))
}

#[tokio::test]
async fn demo_command_serves_the_figures_and_keeps_its_database() {
    let dir = tempfile::tempdir().unwrap();
    let (server, url) = start_demo(dir.path());
    // The banner says how to sign in; the demo accounts work.
    let admin = crate::helpers::login(&url, "admin", zhantu_web::users::DEMO_PASSWORD)
        .await
        .expect("demo admin signs in");
    let (status, f) = admin.get("/api/v1/figures?year=2019").await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["landing"][0]["rate_pct"].to_string(), "80.0");
    for (username, ..) in zhantu_web::users::DEMO_ACCOUNTS {
        assert!(
            crate::helpers::login(&url, username, zhantu_web::users::DEMO_PASSWORD)
                .await
                .is_ok(),
            "{username} signs in"
        );
    }
    drop(server);
    assert!(dir.path().join("zhantu.db").exists());

    // A second start reuses the database instead of generating again.
    let (_server, url) = start_demo(dir.path());
    let h: serde_json::Value = reqwest::get(format!("{url}/healthz")).await.unwrap().json().await.unwrap();
    assert_eq!(h["status"], "ok");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    let out = zhantu()
        .args(["generate", "--projects", "20", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = zhantu().args(["serve", "--listen", &addr, "--database"]).arg(&db).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已被占用"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_flags_and_missing_files_do_not_panic() {
    let out = zhantu().args(["serve", "--no-such-flag"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));

    let out = zhantu().args(["serve", "--database", "/nonexistent/dir/x.db"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("数据库文件不存在"));

    let out = zhantu().args(["serve", "--database", "mysql://x/y"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("数据库地址无效"));

    let dir = tempfile::tempdir().unwrap();
    let not_a_db = dir.path().join("notes.db");
    std::fs::write(&not_a_db, "这不是数据库文件，只是一段文字。".repeat(100)).unwrap();
    let out = zhantu().args(["serve", "--database"]).arg(&not_a_db).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("不是 zhantu 的数据库文件"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[tokio::test]
async fn a_database_from_a_newer_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newer.db");
    let store = zhantu_store::Store::open(&db.to_string_lossy(), zhantu_store::OpenMode::CreateOrMigrate)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', '2099-01-01 00:00:00', 1, x'00', 0)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    store.close().await;
    let out = zhantu()
        .args(["serve", "--listen", "127.0.0.1:0", "--database"])
        .arg(&db)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("更新版本"), "{err}");
}

/// `zhantu bench` on a small province: generates it into the empty database, serves it
/// from a child process, and prints a measured row for every item with the data size.
#[tokio::test]
async fn bench_generates_a_small_province_and_measures_every_item() {
    let (store, _dir, url) = crate::helpers::fresh_store().await;
    store.close().await;
    let bench_url = url.clone();
    let out = tokio::task::spawn_blocking(move || {
        zhantu()
            .args([
                "bench",
                "--projects",
                "300",
                "--districts",
                "3",
                "--runs",
                "2",
                "--database",
                &bench_url,
            ])
            .env("ZHANTU_LOG", "error")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    let data = text
        .lines()
        .find(|l| l.starts_with("Data:"))
        .unwrap_or_else(|| panic!("no data line:\n{text}"));
    assert!(data.contains(" 300 projects") && data.contains(" 3 districts"), "{data}");
    assert!(data.contains(" 150 problems"), "half as many problems as projects: {data}");
    assert!(text.contains("| what | request | median ms | p90 ms | target | ok |"), "{text}");
    for what in [
        "figures API, province",
        "figures API, one district",
        "registry with filters",
        "registry, middle page",
        "overdue nodes",
        "overdue nodes, one district",
        "text search",
        "registry text search",
        "battle map, one district",
        "daily lights job, same day",
        "daily lights job, next day",
        "lights job peak RSS (VmHWM)",
        "server peak RSS (VmHWM)",
    ] {
        let row = text
            .lines()
            .find(|l| l.starts_with(&format!("| {what} |")))
            .unwrap_or_else(|| panic!("no row “{what}”:\n{text}"));
        let median = row.split('|').nth(3).unwrap().trim();
        let value: f64 = median
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("“{what}” has no numeric median: {row}"));
        assert!(value > 0.0, "{row}");
    }
    assert!(text.lines().any(|l| l.starts_with("Verdict:")), "{text}");
    // The next-day runs moved the as-of date and put it back, with the lights of that day.
    let store = Store::open(&url, OpenMode::ExistingOnly).await.unwrap();
    let as_of = store.setting("as_of").await.unwrap();
    let run: (String,) = sqlx::query_as("SELECT as_of FROM light_runs ORDER BY id DESC LIMIT 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(as_of.as_deref(), Some("2019-12-31"));
    assert_eq!(run.0, "2019-12-31", "the last lights run is the database's own day's");
}
