//! The audit trail: every change records who, when, from where, which record, and the values
//! before and after, in the same transaction as the change. Entries are hash-chained:
//! `hash = SHA-256(previous hash | id | at | actor | address | action | entity | entity id |
//! before | after)`, so editing or deleting an old entry breaks every hash after it.

use crate::row::{i64_, opt_i64, opt_text, read_all, text};
use crate::{Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

/// Who is acting, and from where: carried into every audited write.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    pub actor: String,
    pub address: String,
}

impl AuditCtx {
    pub fn system(what: &str) -> AuditCtx {
        AuditCtx {
            actor: format!("system:{what}"),
            address: String::new(),
        }
    }
}

/// One entry of the log as the app shows it.
#[derive(Debug, Clone, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub address: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i64>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// The first entry whose hash does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenChain {
    pub id: i64,
    pub reason: String,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    id: i64,
    at: &str,
    actor: &str,
    address: &str,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut h = Sha256::new();
    for part in [
        prev,
        &id.to_string(),
        at,
        actor,
        address,
        action,
        entity,
        &entity_id.map(|i| i.to_string()).unwrap_or_default(),
        before.unwrap_or(""),
        after.unwrap_or(""),
    ] {
        // Length-prefixed, so that moving text between fields changes the hash.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Takes the audit lock at the start of a write transaction, before reading the record it
/// will change: on SQLite the first write takes the database's writer lock, on PostgreSQL the
/// row lock on `audit_head` queues concurrent writers. Reads after it are not stale.
pub async fn lock(conn: &mut AnyConnection) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET entries = entries WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Appends an entry inside the caller's transaction. Call it before the transaction's other
/// reads of audited data: its first statement takes the writer's lock on both engines.
pub async fn append(
    conn: &mut AnyConnection,
    ctx: &AuditCtx,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<i64, StoreError> {
    sqlx::query("UPDATE audit_head SET entries = entries + 1 WHERE id = 1")
        .execute(&mut *conn)
        .await?;
    let last = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    let (prev_id, prev_hash) = match last {
        Some(r) => (i64_(&r, "id")?, text(&r, "hash")?),
        None => (0, GENESIS.to_string()),
    };
    let id = prev_id + 1;
    let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let event = zhantu_domain::webhooks::Event::of_action(action).map(|e| (e, before.cloned(), after.cloned()));
    let before = before.map(|v| v.to_string());
    let after = after.map(|v| v.to_string());
    let hash = entry_hash(
        &prev_hash,
        id,
        &at,
        &ctx.actor,
        &ctx.address,
        action,
        entity,
        entity_id,
        before.as_deref(),
        after.as_deref(),
    );
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, address, action, entity, entity_id, before_json, after_json, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(&at)
    .bind(&ctx.actor)
    .bind(&ctx.address)
    .bind(action)
    .bind(entity)
    .bind(entity_id)
    .bind(before)
    .bind(after)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    // An audited write that is an event other systems subscribe to goes into their outbox
    // in this same transaction: committed together, or not at all.
    if let Some((event, event_before, event_after)) = event {
        let data = serde_json::json!({
            "audit_id": id, "action": action, "entity": entity, "entity_id": entity_id, "actor": ctx.actor,
            "before": event_before, "after": event_after,
        });
        crate::webhooks::enqueue(conn, event, &data, &at).await?;
    }
    Ok(id)
}

fn entry(r: &sqlx::any::AnyRow) -> Result<AuditEntry, StoreError> {
    let json =
        |c: &str| -> Result<Option<serde_json::Value>, StoreError> { Ok(opt_text(r, c)?.and_then(|s| serde_json::from_str(&s).ok())) };
    Ok(AuditEntry {
        id: i64_(r, "id")?,
        at: text(r, "at")?,
        actor: text(r, "actor")?,
        address: text(r, "address")?,
        action: text(r, "action")?,
        entity: text(r, "entity")?,
        entity_id: opt_i64(r, "entity_id")?,
        before: json("before_json")?,
        after: json("after_json")?,
    })
}

/// Filters of the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub actor: Option<String>,
    /// Entries with an id below this (paging backwards from the newest).
    pub before_id: Option<i64>,
    pub limit: u32,
}

impl Store {
    /// Newest first.
    pub async fn audit_entries(&self, f: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut q = crate::row::SqlBuf::new("SELECT * FROM audit_log WHERE 1 = 1");
        q.push_some(" AND entity = ", f.entity.as_deref());
        q.push_some(" AND entity_id = ", f.entity_id);
        q.push_some(" AND actor = ", f.actor.as_deref());
        q.push_some(" AND id < ", f.before_id);
        q.push(" ORDER BY id DESC LIMIT ").arg(f.limit.clamp(1, 10_000) as i64);
        read_all(q.query(), &self.pool, entry).await
    }

    /// The chain's head: how many entries there are and the hash of the last one (the
    /// genesis hash when there are none). Written outside the database as an anchor, it
    /// pins every entry up to it: see [`Store::verify_audit_anchor`].
    pub async fn audit_head(&self) -> Result<(u64, String), StoreError> {
        let row = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            Some(r) => (i64_(&r, "id")? as u64, text(&r, "hash")?),
            None => (0, GENESIS.to_string()),
        })
    }

    /// Checks one anchor (an entry count and the head hash at that count, kept outside the
    /// database) against the log: the entry must still be there with that hash. Whoever can
    /// write the database can recompute every hash after an entry they rewrote, or drop the
    /// last entries and lower the count, but cannot make the anchored entry match again.
    pub async fn verify_audit_anchor(&self, entries: u64, hash: &str) -> Result<Result<(), BrokenChain>, StoreError> {
        if entries == 0 {
            return Ok(Ok(()));
        }
        let stored: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = $1")
            .bind(entries as i64)
            .fetch_optional(&self.pool)
            .await?;
        Ok(match stored {
            None => Err(BrokenChain {
                id: entries as i64,
                reason: format!("锚点记录日志曾有{entries}条记录，现在第{entries}条已不存在（记录被删除）"),
            }),
            Some(h) if h != hash => Err(BrokenChain {
                id: entries as i64,
                reason: format!("第{entries}条记录的哈希与锚点不符（此前的记录被改写后重算了哈希）"),
            }),
            Some(_) => Ok(()),
        })
    }

    /// Walks the whole chain; `Ok(n)` with the number of entries when it is intact.
    pub async fn verify_audit_chain(&self) -> Result<Result<u64, BrokenChain>, StoreError> {
        let mut prev_hash = GENESIS.to_string();
        let mut expected_id = 1;
        let mut after_id = 0i64;
        let mut n = 0u64;
        loop {
            let rows = sqlx::query("SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000")
                .bind(after_id)
                .fetch_all(&self.pool)
                .await?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let id = i64_(r, "id")?;
                if id != expected_id {
                    return Ok(Err(BrokenChain {
                        id: expected_id,
                        reason: format!("第{expected_id}条记录缺失（下一条是第{id}条）"),
                    }));
                }
                if text(r, "prev_hash")? != prev_hash {
                    return Ok(Err(BrokenChain {
                        id,
                        reason: format!("第{id}条记录的前序哈希与第{}条不符", id - 1),
                    }));
                }
                let before = opt_text(r, "before_json")?;
                let after = opt_text(r, "after_json")?;
                let hash = entry_hash(
                    &prev_hash,
                    id,
                    &text(r, "at")?,
                    &text(r, "actor")?,
                    &text(r, "address")?,
                    &text(r, "action")?,
                    &text(r, "entity")?,
                    opt_i64(r, "entity_id")?,
                    before.as_deref(),
                    after.as_deref(),
                );
                if hash != text(r, "hash")? {
                    return Ok(Err(BrokenChain {
                        id,
                        reason: format!("第{id}条记录的内容被改动（哈希不符）"),
                    }));
                }
                prev_hash = hash;
                expected_id += 1;
                after_id = id;
                n += 1;
            }
        }
        let head: i64 = sqlx::query_scalar("SELECT entries FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        if head as u64 != n {
            return Ok(Err(BrokenChain {
                id: n as i64 + 1,
                reason: format!("日志应有{head}条记录，实际只有{n}条（末尾记录被删除）"),
            }));
        }
        Ok(Ok(n))
    }
}
