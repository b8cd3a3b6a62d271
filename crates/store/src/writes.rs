//! What the writes of several mechanisms (the programmes, enterprises and visits, problems) share:
//! the transaction that takes the audit lock (checking a versioned record's version first), the
//! time stamp, and the checks that a person or a unit exists. A leaf module: it imports no
//! mechanism, only the audit log's lock.

use crate::audit::lock;
use crate::{Store, StoreError};
use sqlx::AnyConnection;

pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

pub(crate) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
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
            Some(v) if v != version => {
                drop(tx);
                Err(self.conflict(entity, id).await?)
            }
            Some(_) => Ok(tx),
        }
    }

    pub(crate) async fn begin_locked(&self) -> Result<Tx, StoreError> {
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        Ok(tx)
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
        let n: Option<String> = sqlx::query_scalar("SELECT name FROM units WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        n.ok_or_else(|| StoreError::rule("unit_missing", format!("单位 {id} 不存在")))
    }
}

pub(crate) async fn ensure_unit(conn: &mut AnyConnection, unit_id: i64) -> Result<(), StoreError> {
    let ok: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1 AND active = 1")
        .bind(unit_id)
        .fetch_optional(&mut *conn)
        .await?;
    ok.map(|_| ())
        .ok_or_else(|| StoreError::rule("unit_missing_or_inactive", format!("单位 {unit_id} 不存在或已停用")))
}
