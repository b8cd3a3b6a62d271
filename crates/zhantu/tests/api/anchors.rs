//! The audit chain anchored outside the database: whoever can write the database can rewrite
//! an entry and recompute every later hash, or drop the newest entries and lower the count,
//! and the chain alone still verifies; the anchors do not.

use crate::helpers::{TestApp, spawn_app};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::ffi::OsStr;
use std::path::Path;

/// The chain's hash as `crates/store/src/audit.rs` documents it: what an attacker who read the
/// source would recompute.
fn entry_hash(prev: &str, row: &[String]) -> String {
    let mut h = Sha256::new();
    for part in std::iter::once(prev).chain(row.iter().map(String::as_str)) {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Rewrites entry `id`'s after-values and recomputes the chain from there on.
async fn rewrite_and_rehash(pool: &sqlx::AnyPool, id: i64) {
    sqlx::query("UPDATE audit_log SET after_json = REPLACE(after_json, '三', '四') WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
    let rows = sqlx::query_as::<
        _,
        (
            i64,
            String,
            String,
            String,
            String,
            String,
            Option<i64>,
            Option<String>,
            Option<String>,
        ),
    >(
        "SELECT id, at, actor, address, action, entity, entity_id, before_json, after_json FROM audit_log WHERE id >= $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap();
    let mut prev: String = sqlx::query_scalar("SELECT prev_hash FROM audit_log WHERE id = $1")
        .bind(id)
        .fetch_one(pool)
        .await
        .unwrap();
    for (id, at, actor, address, action, entity, entity_id, before, after) in rows {
        let parts = [
            id.to_string(),
            at,
            actor,
            address,
            action,
            entity,
            entity_id.map(|i| i.to_string()).unwrap_or_default(),
            before.unwrap_or_default(),
            after.unwrap_or_default(),
        ];
        let hash = entry_hash(&prev, &parts);
        sqlx::query("UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE id = $3")
            .bind(&prev)
            .bind(&hash)
            .bind(id)
            .execute(pool)
            .await
            .unwrap();
        prev = hash;
    }
}

/// Runs `zhantu` on `app`'s database with these anchors and key.
fn with_anchors(app: &TestApp, anchors: &Path, key: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.extend([OsStr::new("--database"), OsStr::new(&app.url), OsStr::new("--audit-anchors")]);
    all.extend([anchors.as_os_str(), OsStr::new("--audit-key"), key.as_os_str()]);
    std::process::Command::new(env!("CARGO_BIN_EXE_zhantu")).args(all).output().unwrap()
}

/// Edits a project's location once per name, as the administrator.
async fn move_project(app: &TestApp, names: &[&str]) {
    let admin = app.login("admin").await;
    let (id, v) = app.first_project("").await;
    for (i, loc) in names.iter().enumerate() {
        let (s, e) = admin
            .patch(&format!("/api/v1/projects/{id}"), json!({"version": v + i as i64, "location": loc}))
            .await;
        assert_eq!(s, 200, "{e}");
    }
}

#[tokio::test]
async fn anchors_catch_a_recomputed_chain_and_a_shortened_log() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let anchors = dir.path().join("anchors.log");
    let key = dir.path().join("anchors.key");
    let zhantu = |args: &[&str]| {
        let out = with_anchors(&app, &anchors, &key, args);
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    };
    move_project(&app, &["一", "二", "三", "五", "六"]).await;
    let (ok, out) = zhantu(&["audit", "anchor"]);
    assert!(ok, "{out}");
    let (ok, out) = zhantu(&["audit", "verify"]);
    assert!(ok && out.contains("1 个审计锚点"), "{out}");

    // Rewritten and recomputed: the chain alone verifies, the anchor does not.
    let target = app
        .scalar("SELECT MAX(id) FROM audit_log WHERE action = 'project.update' AND after_json LIKE '%三%'")
        .await;
    rewrite_and_rehash(app.store.pool(), target).await;
    let alone = std::process::Command::new(env!("CARGO_BIN_EXE_zhantu"))
        .args(["audit", "verify", "--database", &app.url])
        .env("ZHANTU_AUDIT_ANCHORS", dir.path().join("elsewhere.log"))
        .output()
        .unwrap();
    assert!(
        !alone.status.success(),
        "anchors named but absent are an error, not a pass: {}",
        String::from_utf8_lossy(&alone.stderr)
    );
    let (ok, out) = zhantu(&["audit", "verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains("与锚点不符"), "{out}");

    // The newest entries dropped and the count lowered: caught as well.
    let app2 = spawn_app().await;
    move_project(&app2, &["一", "二"]).await;
    let anchors2 = dir.path().join("anchors2.log");
    let run = |args: &[&str]| {
        let out = with_anchors(&app2, &anchors2, &key, args);
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    assert!(run(&["audit", "anchor"]).0);
    let last = app2.scalar("SELECT MAX(id) FROM audit_log").await;
    app2.execute(&format!("DELETE FROM audit_log WHERE id > {}", last - 2)).await;
    app2.execute("UPDATE audit_head SET entries = entries - 2 WHERE id = 1").await;
    let (ok, err) = run(&["audit", "verify"]);
    assert!(!ok);
    assert!(err.contains("截短"), "{err}");

    // An anchor line forged without the key is refused.
    let text = std::fs::read_to_string(&anchors2).unwrap();
    let (n, rest) = text.split_once(' ').unwrap();
    std::fs::write(&anchors2, format!("{} {rest}", n.parse::<i64>().unwrap() - 2)).unwrap();
    let (ok, err) = run(&["audit", "verify"]);
    assert!(!ok && err.contains("第1行"), "{err}");
}
