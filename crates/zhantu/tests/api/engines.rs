//! Moving a district between databases, and what must hold on either engine.

use crate::helpers::{fresh_store, postgres_admin_url, spawn_app};
use serde_json::json;

fn zhantu(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_zhantu")).args(args).output().unwrap()
}

#[tokio::test]
async fn backup_while_serving_and_restore_give_identical_data() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (_, page) = app.get("/api/v1/projects?limit=1").await;
    let (id, v) = (page["items"][0]["id"].as_i64().unwrap(), page["items"][0]["version"].as_i64().unwrap());
    let (status, _) = admin.send("PATCH", &format!("/api/v1/projects/{id}"), Some(json!({"version": v, "location": "备份前的修改"})), true).await;
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
    let copy = zhantu_store::Store::open(&restored.to_string_lossy(), zhantu_store::OpenMode::ExistingOnly).await.unwrap();
    assert_eq!(stable(copy.checksums().await.unwrap()), original);
    assert!(copy.verify_audit_chain().await.unwrap().is_ok(), "the audit chain survives the copy");
    let p = copy.project_detail(id).await.unwrap();
    assert_eq!(p.location, "备份前的修改");

    let out = zhantu(&["copy", "--from", &backup.to_string_lossy(), "--to", &restored.to_string_lossy()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("已有数据"), "never into a database that holds a district");
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
    let back = zhantu_store::Store::open(&back_url, zhantu_store::OpenMode::ExistingOnly).await.unwrap();
    assert_eq!(back.checksums().await.unwrap(), app.store.checksums().await.unwrap());
    assert_eq!(back.year_figures(2019).await.unwrap().batches.total.projects, 38);
}
