//! What the writes of several mechanisms (the programmes, enterprises and visits, problems) share:
//! the transaction that takes the audit lock (checking a versioned record's version first), the
//! conflict of a stale write, the closing of a record with its closing text, the membership
//! links, the notifications, the time stamp, and the checks that a record exists. A leaf module:
//! it imports no mechanism, only the audit log (its lock and `append`).

use crate::audit::{AuditCtx, append, lock};
use crate::{Store, StoreError};
use sqlx::AnyConnection;

pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `NotFound` when a write touched no row.
pub(crate) fn touched(r: sqlx::any::AnyQueryResult) -> Result<(), StoreError> {
    match r.rows_affected() {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}

/// The conflict of a stale write, naming who changed the record last and when from their row
/// (`actor`, `at`), if one is found.
pub(crate) fn conflict_by(last: Option<sqlx::any::AnyRow>) -> Result<StoreError, StoreError> {
    Ok(match last {
        Some(r) => StoreError::Conflict {
            by: crate::row::text(&r, "actor")?,
            at: crate::beijing_time(&crate::row::text(&r, "at")?),
        },
        None => StoreError::Conflict {
            by: "他人".into(),
            at: "刚才".into(),
        },
    })
}

pub(crate) fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} = {v}"))
}

impl Store {
    /// Starts a versioned write: the audit lock, the record's existence and version.
    pub(crate) async fn begin_versioned(&self, table: &str, entity: &str, id: i64, version: i64) -> Result<Tx, StoreError> {
        let mut tx = self.begin_locked().await?;
        let v: Option<i64> = sqlx::query_scalar(&format!("SELECT version FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        match v {
            None => Err(StoreError::NotFound),
            Some(v) if v != version => Err(self.stale(tx, entity, id).await?),
            Some(_) => Ok(tx),
        }
    }

    /// The conflict error for a write whose record has moved on: ends the transaction first (it
    /// holds the writer's lock), then names who changed the record last.
    pub(crate) async fn stale(&self, tx: Tx, entity: &str, id: i64) -> Result<StoreError, StoreError> {
        drop(tx);
        self.conflict(entity, id).await
    }

    pub(crate) async fn begin_locked(&self) -> Result<Tx, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        Ok(tx)
    }

    /// Closes an open record with its closing text, refusing a stale version, and audits the
    /// change from `{"status": "open"}` to `after`. Returns the new version.
    pub(crate) async fn close_versioned(
        &self,
        c: &Closing,
        id: i64,
        version: i64,
        text: &str,
        after: serde_json::Value,
        ctx: &AuditCtx,
    ) -> Result<i64, StoreError> {
        let mut tx = self.begin_versioned(c.table, c.entity, id, version).await?;
        sqlx::query(&format!(
            "UPDATE {} SET status = 'closed', {} = $1, version = version + 1 WHERE id = $2",
            c.table, c.text_column
        ))
        .bind(text)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let before = serde_json::json!({ "status": "open" });
        append(&mut tx, ctx, c.action, c.entity, Some(id), Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    pub(crate) async fn check_person(tx: &mut Tx, id: Option<i64>, leader: bool) -> Result<(), StoreError> {
        if let Some(id) = id {
            let is_leader: Option<i64> = sqlx::query_scalar("SELECT is_leader FROM people WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
            match is_leader {
                None => return Err(StoreError::rule("person_missing", format!("人员 {id} 不存在"))),
                Some(0) if leader => return Err(StoreError::rule("person_not_leader", format!("人员 {id} 不是区领导"))),
                _ => {}
            }
        }
        Ok(())
    }

    pub(crate) async fn unit_name_in(tx: &mut Tx, id: i64) -> Result<String, StoreError> {
        must_read(tx, "SELECT name FROM units WHERE id = $1", id, "unit_missing", "单位").await
    }
}

/// Ends a write: appends its audit entry (`before` → `after` of the record `entity` `id`) and
/// commits, the two together.
pub(crate) async fn commit_audited(
    mut tx: Tx,
    ctx: &AuditCtx,
    (action, entity, id): (&str, &str, Option<i64>),
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Result<(), StoreError> {
    append(&mut tx, ctx, action, entity, id, before, after).await?;
    tx.commit().await?;
    Ok(())
}

/// A record of master data kept by hand (a unit, a person, a category): where it lives, how a
/// write reads it back and how its audit entries show it. Its writes take the same steps:
/// `Store::begin_change` (version checked, the record as it was), the change itself, then
/// `commit_kept` (the record as the write left it, audited before → after).
pub(crate) trait KeptRecord: Sized {
    /// Its table, which carries `id` and `version`.
    const TABLE: &'static str;
    /// The entity its audit entries and conflicts name.
    const ENTITY: &'static str;
    async fn read_in(conn: &mut AnyConnection, id: i64) -> Result<Self, StoreError>;
    /// What its audit entries keep of it.
    fn snapshot(&self) -> serde_json::Value;
}

impl Store {
    /// Starts a change of a kept record: the audit lock, its version checked (stale: 409), and
    /// the record as it is before the change.
    pub(crate) async fn begin_change<R: KeptRecord>(&self, id: i64, version: i64) -> Result<(Tx, R), StoreError> {
        let mut tx = self.begin_versioned(R::TABLE, R::ENTITY, id, version).await?;
        let before = R::read_in(&mut tx, id).await?;
        Ok((tx, before))
    }
}

/// Ends a write of a kept record: reads it as the write left it, audits `before` (none for a
/// new record) → after as `action`, commits, and returns it.
pub(crate) async fn commit_kept<R: KeptRecord>(
    mut tx: Tx,
    ctx: &AuditCtx,
    action: &str,
    id: i64,
    before: Option<&R>,
) -> Result<R, StoreError> {
    let after = R::read_in(&mut tx, id).await?;
    commit_audited(
        tx,
        ctx,
        (action, R::ENTITY, Some(id)),
        before.map(R::snapshot).as_ref(),
        Some(&after.snapshot()),
    )
    .await?;
    Ok(after)
}

/// The place after the last in `table`'s display order (`sort_order`), for a new row given none.
pub(crate) async fn next_sort_order(tx: &mut Tx, table: &str) -> Result<i64, StoreError> {
    Ok(
        sqlx::query_scalar::<_, i64>(&format!("SELECT CAST(COALESCE(MAX(sort_order), -1) + 1 AS BIGINT) FROM {table}"))
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// How a record that is open until its closing text is written gets closed (`close_versioned`).
pub(crate) struct Closing {
    pub table: &'static str,
    pub entity: &'static str,
    /// Where the closing text goes.
    pub text_column: &'static str,
    /// The audit action.
    pub action: &'static str,
}

/// Whether `table` links `a` to `b` (`a_column = a AND b_column = b`).
pub(crate) async fn linked(tx: &mut Tx, table: &str, (a_column, a): (&str, i64), (b_column, b): (&str, i64)) -> Result<bool, StoreError> {
    let found: Option<i64> = sqlx::query_scalar(&format!("SELECT {b_column} FROM {table} WHERE {a_column} = $1 AND {b_column} = $2"))
        .bind(a)
        .bind(b)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(found.is_some())
}

/// Links `a` to `b` in `table` unless they are linked already; true when the link is new.
pub(crate) async fn link(tx: &mut Tx, table: &str, a: (&str, i64), b: (&str, i64)) -> Result<bool, StoreError> {
    if linked(tx, table, a, b).await? {
        return Ok(false);
    }
    sqlx::query(&format!("INSERT INTO {table} ({}, {}) VALUES ($1, $2)", a.0, b.0))
        .bind(a.1)
        .bind(b.1)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// A message in a user's inbox (`kind`: `lights`, `escalation`), written at `created_at`.
pub(crate) async fn insert_notification(
    conn: &mut AnyConnection,
    user_id: i64,
    created_at: &str,
    kind: &str,
    title: &str,
    body: &str,
    link: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO notifications (user_id, created_at, kind, title, body, link) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(user_id)
        .bind(created_at)
        .bind(kind)
        .bind(title)
        .bind(body)
        .bind(link)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// What `sql` reads of the record `id` (its one parameter), or the rule error `code` saying
/// that the `what` does not exist (`项目 7 不存在`).
pub(crate) async fn must_read<T>(conn: &mut AnyConnection, sql: &str, id: i64, code: &'static str, what: &str) -> Result<T, StoreError>
where
    (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    T: Send + Unpin,
{
    let v: Option<T> = sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *conn).await?;
    v.ok_or_else(|| StoreError::rule(code, format!("{what} {id} 不存在")))
}

pub(crate) async fn ensure_unit(conn: &mut AnyConnection, unit_id: i64) -> Result<(), StoreError> {
    let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1 AND active = 1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    ok.map(|_| ())
        .ok_or_else(|| StoreError::rule("unit_missing_or_inactive", format!("单位 {unit_id} 不存在或已停用")))
}
