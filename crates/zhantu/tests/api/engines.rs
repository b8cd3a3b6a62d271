//! Moving a district between databases, and what must hold on either engine.

use crate::helpers::{fresh_store, id_version, login, postgres_admin_url, spawn_app, zhantu};
use serde_json::json;

#[tokio::test]
async fn backup_while_serving_and_restore_give_identical_data() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (id, v) = app.first_project("").await;
    let (status, _) = admin
        .patch(&format!("/api/v1/projects/{id}"), json!({"version": v, "location": "备份前的修改"}))
        .await;
    assert_eq!(status, 200);

    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    let out = zhantu(&["backup", "--database", &app.url, "--to", &backup.to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("校验和逐表一致"));
    assert_eq!(app.get("/healthz").await.0, 200, "still serving");
    let out = zhantu(&["backup", "--database", &app.url, "--to", &backup.to_string_lossy()]);
    assert!(!out.status.success(), "an existing backup file is never overwritten");

    let restored = dir.path().join("restored.db");
    let out = zhantu(&["copy", "--from", &backup.to_string_lossy(), "--to", &restored.to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // Sign-in bookkeeping moves with every request (token last use); the district does not.
    let volatile = ["api_tokens", "sessions", "login_attempts"];
    let stable = |sums: Vec<zhantu_store::TableSum>| sums.into_iter().filter(|s| !volatile.contains(&s.table)).collect::<Vec<_>>();
    let original = stable(app.store.checksums().await.unwrap());
    let copy = zhantu_store::Store::open(&restored.to_string_lossy(), zhantu_store::OpenMode::ExistingOnly)
        .await
        .unwrap();
    assert_eq!(stable(copy.checksums().await.unwrap()), original);
    assert!(
        copy.verify_audit_chain().await.unwrap().is_ok(),
        "the audit chain survives the copy"
    );
    let p = copy.project_detail(id).await.unwrap();
    assert_eq!(p.location, "备份前的修改");

    let out = zhantu(&["copy", "--from", &backup.to_string_lossy(), "--to", &restored.to_string_lossy()]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("已有数据"),
        "never into a database that holds a district"
    );
}

#[tokio::test]
async fn sqlite_to_postgres_and_back() {
    let Some(_) = postgres_admin_url() else {
        eprintln!("PostgreSQL run skipped: set ZHANTU_TEST_POSTGRES to copy between engines");
        return;
    };
    // spawn_app is on PostgreSQL in this run; its data goes to SQLite and back to a new PostgreSQL database.
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("from-pg.db");
    let out = zhantu(&["copy", "--from", &app.url, "--to", &file.to_string_lossy()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (back, _dir, back_url) = fresh_store().await;
    back.close().await;
    let out = zhantu(&["copy", "--from", &file.to_string_lossy(), "--to", &back_url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let back = zhantu_store::Store::open(&back_url, zhantu_store::OpenMode::ExistingOnly)
        .await
        .unwrap();
    assert_eq!(back.checksums().await.unwrap(), app.store.checksums().await.unwrap());
    assert_eq!(back.year_figures(2019).await.unwrap().batches.total.projects, 38);
}

/// Writes straight to the terminal: libtest captures `eprintln!` of passing tests, and this line
/// is meant to be seen in every run that skips PostgreSQL.
#[test]
fn says_whether_postgres_was_tested() {
    use std::io::Write;
    let line = match postgres_admin_url() {
        Some(_) => "zhantu: end-to-end tests ran on PostgreSQL (ZHANTU_TEST_POSTGRES)\n",
        None => {
            "zhantu: PostgreSQL run skipped — end-to-end tests ran on SQLite; set ZHANTU_TEST_POSTGRES=postgres://… to run them on PostgreSQL\n"
        }
    };
    let _ = std::io::stderr().write_all(line.as_bytes());
}

#[tokio::test]
async fn a_daily_job_is_claimed_once_across_instances() {
    let (a, _dir, url) = fresh_store().await;
    let b = zhantu_store::Store::open(&url, zhantu_store::OpenMode::ExistingOnly).await.unwrap();
    let (ra, rb) = tokio::join!(a.claim_job("lights", "2019-12-31", "a"), b.claim_job("lights", "2019-12-31", "b"));
    assert!(ra.unwrap() ^ rb.unwrap(), "exactly one instance runs the job");
    assert!(
        a.claim_job("lights", "2020-01-01", "a").await.unwrap(),
        "the next day is free again"
    );
}

/// Two zhantu processes over one database: what one writes the other serves, and concurrent
/// edits through both never lose an update.
#[tokio::test]
async fn two_instances_share_one_database() {
    let app = spawn_app().await;
    let start = || {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_zhantu"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &app.url])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = std::io::BufRead::lines(std::io::BufReader::new(stdout));
        let url = loop {
            let l = lines.next().expect("banner").unwrap();
            if let Some(i) = l.find("http://") {
                break l[i..].trim().trim_end_matches('/').to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        (Kill(child), url)
    };
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let ((_one, url1), (_two, url2)) = (start(), start());
    // A session opened through one instance is valid on the other: sessions live in the database.
    let s1 = login(&url1, "fgj", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let s2 = crate::helpers::Session {
        base: url2.clone(),
        ..s1.clone()
    };
    let (_, page) = s1.get("/api/v1/projects?limit=1").await;
    let (id, v) = id_version(&page["items"][0]);
    let (status, _) = s1
        .patch(
            &format!("/api/v1/projects/{id}"),
            json!({"version": v, "location": "经一号实例修改"}),
        )
        .await;
    assert_eq!(status, 200);
    let (_, seen) = s2.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(seen["location"], "经一号实例修改", "the other instance sees the change at once");

    let a = login(&url1, "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let b = login(&url2, "fgj", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    for round in 0..5 {
        let (_, cur) = a.get(&format!("/api/v1/projects/{id}")).await;
        let v = cur["version"].as_i64().unwrap();
        let path = format!("/api/v1/projects/{id}");
        let (ra, rb) = tokio::join!(
            a.patch(&path, json!({"version": v, "investor": format!("甲{round}")})),
            b.patch(&path, json!({"version": v, "investor": format!("乙{round}")}))
        );
        let mut statuses = [ra.0, rb.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "round {round}: {ra:?} {rb:?}");
    }
    let (_, end) = a.get(&format!("/api/v1/projects/{id}")).await;
    assert_eq!(end["version"].as_i64().unwrap(), v + 6, "one change per round, none lost");
    assert!(
        app.store.verify_audit_chain().await.unwrap().is_ok(),
        "the audit chain did not fork"
    );
}
