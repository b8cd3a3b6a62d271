//! Users, sessions, API tokens and login attempts. Secrets are never stored: sessions and
//! tokens by their SHA-256, passwords by the argon2id hash the web layer computes.

use crate::audit::{AuditCtx, append};
use crate::row::{SqlBuf, Val, i64_, opt_text, read_all, text};
use crate::writes::{Tx, now, touched};
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use zhantu_domain::access::Role;

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub unit_name: String,
    pub active: bool,
    pub must_change_password: bool,
    pub version: i64,
    #[serde(skip)]
    pub password_hash: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub password_hash: String,
    pub must_change_password: bool,
}

/// A live session: the user and the CSRF token bound to the session.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub prefix: String,
    pub created_at: String,
    pub created_by: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

const USER_COLUMNS: &str = "SELECT us.id, us.username, us.display_name, us.password_hash, us.role, us.unit_id, un.name AS unit_name, \
     us.active, us.must_change_password, us.version FROM users us JOIN units un ON un.id = us.unit_id";

fn user(r: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role = text(r, "role")?;
    Ok(User {
        id: i64_(r, "id")?,
        username: text(r, "username")?,
        display_name: text(r, "display_name")?,
        role: Role::from_code(&role).ok_or_else(|| StoreError::Corrupt(format!("role = {role}")))?,
        unit_id: i64_(r, "unit_id")?,
        unit_name: text(r, "unit_name")?,
        active: i64_(r, "active")? != 0,
        must_change_password: i64_(r, "must_change_password")? != 0,
        version: i64_(r, "version")?,
        password_hash: text(r, "password_hash")?,
    })
}

/// The user whose `column` (of `users us`) is `key`, read through `e`: the pool or a transaction.
async fn user_where<'e>(
    e: impl sqlx::Executor<'e, Database = sqlx::Any>,
    column: &str,
    key: impl Into<Val>,
) -> Result<Option<User>, StoreError> {
    let mut q = SqlBuf::new(&format!("{USER_COLUMNS} WHERE us.{column} = "));
    q.arg(key);
    q.query().fetch_optional(e).await?.as_ref().map(user).transpose()
}

/// Creates a user inside the caller's transaction, audited: refused when its unit does not
/// exist or its name is taken.
pub(crate) async fn insert_user(tx: &mut Tx, u: &NewUser, ctx: &AuditCtx) -> Result<User, StoreError> {
    let unit_exists: Option<i64> = sqlx::query_scalar("SELECT id FROM units WHERE id = $1")
        .bind(u.unit_id)
        .fetch_optional(&mut **tx)
        .await?;
    if unit_exists.is_none() {
        return Err(StoreError::rule("unit_missing", format!("单位 {} 不存在", u.unit_id)));
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(&u.username)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Duplicate(format!("用户名“{}”已被使用", u.username)));
    }
    let t = now();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, display_name, password_hash, role, unit_id, must_change_password, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(&u.username)
    .bind(&u.display_name)
    .bind(&u.password_hash)
    .bind(u.role.code())
    .bind(u.unit_id)
    .bind(u.must_change_password as i64)
    .bind(&t)
    .bind(&t)
    .fetch_one(&mut **tx)
    .await?;
    let created = user_where(&mut **tx, "id", id).await?.ok_or(StoreError::NotFound)?;
    append(tx, ctx, "user.create", "user", Some(id), None, Some(&user_json(&created))).await?;
    Ok(created)
}

fn user_json(u: &User) -> serde_json::Value {
    json!({ "username": u.username, "display_name": u.display_name, "role": u.role.code(), "unit_id": u.unit_id, "active": u.active })
}

impl Store {
    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        read_all(sqlx::query(&format!("{USER_COLUMNS} ORDER BY us.id")), &self.pool, user).await
    }

    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        user_where(&self.pool, "username", username).await
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<User>, StoreError> {
        user_where(&self.pool, "id", id).await
    }

    pub async fn create_user(&self, u: &NewUser, ctx: &AuditCtx) -> Result<User, StoreError> {
        let mut tx = self.pool.begin().await?;
        let created = insert_user(&mut tx, u, ctx).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Changes role, unit, name or active flag, refusing a stale version.
    pub async fn update_user(&self, id: i64, version: i64, change: &UserChange, ctx: &AuditCtx) -> Result<User, StoreError> {
        let mut tx = self.begin_locked().await?;
        let before = user_where(&mut *tx, "id", id).await?.ok_or(StoreError::NotFound)?;
        if before.version != version {
            return Err(self.stale(tx, "user", id).await?);
        }
        sqlx::query(
            "UPDATE users SET display_name = $1, role = $2, unit_id = $3, active = $4, updated_at = $5, version = version + 1 WHERE id = $6",
        )
        .bind(change.display_name.as_deref().unwrap_or(&before.display_name))
        .bind(change.role.unwrap_or(before.role).code())
        .bind(change.unit_id.unwrap_or(before.unit_id))
        .bind(change.active.unwrap_or(before.active) as i64)
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if change.active == Some(false) {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            // Disabling ends the user's API tokens for good: enabling the account again must
            // not bring back a token that may have leaked meanwhile.
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let after = user_where(&mut *tx, "id", id).await?.ok_or(StoreError::NotFound)?;
        append(
            &mut tx,
            ctx,
            "user.update",
            "user",
            Some(id),
            Some(&user_json(&before)),
            Some(&user_json(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets a new password hash (a reset by an administrator, or the user's own change), and
    /// ends the user's other sessions.
    pub async fn set_password(
        &self,
        id: i64,
        hash: &str,
        must_change: bool,
        keep_session: Option<&str>,
        ctx: &AuditCtx,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        append(
            &mut tx,
            ctx,
            if must_change {
                "user.reset_password"
            } else {
                "user.change_password"
            },
            "user",
            Some(id),
            None,
            None,
        )
        .await?;
        touched(
            sqlx::query(
                "UPDATE users SET password_hash = $1, must_change_password = $2, updated_at = $3, version = version + 1 WHERE id = $4",
            )
            .bind(hash)
            .bind(must_change as i64)
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?,
        )?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
            .bind(id)
            .bind(keep_session.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf: &str,
        expires_at: &str,
        address: &str,
        user_agent: &str,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO sessions (id, user_id, csrf_token, created_at, expires_at, address, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(now())
            .bind(expires_at)
            .bind(address)
            .bind(user_agent.chars().take(200).collect::<String>())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The session's user, if the session exists, has not expired and the user is active.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionUser>, StoreError> {
        let Some(r) = sqlx::query("SELECT user_id, csrf_token, expires_at FROM sessions WHERE id = $1")
            .bind(id_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let expires_at = text(&r, "expires_at")?;
        if expires_at <= now() {
            sqlx::query("DELETE FROM sessions WHERE id = $1")
                .bind(id_hash)
                .execute(&self.pool)
                .await?;
            return Ok(None);
        }
        let Some(u) = self.user_by_id(i64_(&r, "user_id")?).await? else {
            return Ok(None);
        };
        if !u.active {
            return Ok(None);
        }
        Ok(Some(SessionUser {
            user: u,
            csrf_token: text(&r, "csrf_token")?,
            expires_at,
        }))
    }

    /// Moves a session's expiry (sliding expiry on use).
    pub async fn touch_session(&self, id_hash: &str, expires_at: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id = $2")
            .bind(expires_at)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Claims a sign-in attempt before its password is checked: the attempt is written as a
    /// failure first, then the failures before it are counted, so simultaneous attempts on one
    /// account or from one address see each other and at most the allowance gets through to
    /// the password check, on any number of instances. Returns the attempt's id and the
    /// failures (other than this attempt) for the account and for the address, as
    /// [`Store::recent_failures`] counts them.
    pub async fn claim_login_attempt(&self, username: &str, address: &str, since: &str) -> Result<(i64, i64, i64), StoreError> {
        let id: i64 = sqlx::query_scalar("INSERT INTO login_attempts (username, address, at, success) VALUES ($1, $2, $3, 0) RETURNING id")
            .bind(username)
            .bind(address)
            .bind(now())
            .fetch_one(&self.pool)
            .await?;
        let (by_user, by_address) = self.recent_failures(username, address, since).await?;
        // This attempt is among the failures counted: the others are what came before it
        // or alongside it.
        Ok((id, (by_user - 1).max(0), (by_address - 1).max(0)))
    }

    /// A claimed attempt that was refused before its password was checked (throttled): it
    /// does not count as a failure of its own.
    pub async fn forget_login_attempt(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_attempts WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A claimed attempt whose password was right.
    pub async fn login_attempt_succeeded(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE login_attempts SET success = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Failed attempts since `since` (RFC 3339) for the account and for the address, counting
    /// only failures after the account's last success.
    pub async fn recent_failures(&self, username: &str, address: &str, since: &str) -> Result<(i64, i64), StoreError> {
        let last_ok: Option<String> = sqlx::query_scalar("SELECT MAX(at) FROM login_attempts WHERE username = $1 AND success = 1")
            .bind(username)
            .fetch_one(&self.pool)
            .await?;
        let from = match last_ok {
            Some(ok) if ok.as_str() > since => ok,
            _ => since.to_string(),
        };
        let by_user: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE username = $1 AND success = 0 AND at > $2")
            .bind(username)
            .bind(&from)
            .fetch_one(&self.pool)
            .await?;
        let by_address: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE address = $1 AND success = 0 AND at > $2")
            .bind(address)
            .bind(since)
            .fetch_one(&self.pool)
            .await?;
        Ok((by_user, by_address))
    }

    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
        prefix: &str,
        ctx: &AuditCtx,
    ) -> Result<ApiTokenInfo, StoreError> {
        let mut tx = self.pool.begin().await?;
        let t = now();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(&t)
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        append(
            &mut tx,
            ctx,
            "token.create",
            "api_token",
            Some(id),
            None,
            Some(&json!({ "user_id": user_id, "name": name, "prefix": prefix })),
        )
        .await?;
        tx.commit().await?;
        self.api_token_info(id).await?.ok_or(StoreError::NotFound)
    }

    pub async fn api_token_info(&self, id: i64) -> Result<Option<ApiTokenInfo>, StoreError> {
        sqlx::query("SELECT * FROM api_tokens WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .as_ref()
            .map(token_info)
            .transpose()
    }

    pub async fn api_tokens(&self, user_id: Option<i64>) -> Result<Vec<ApiTokenInfo>, StoreError> {
        let mut q = SqlBuf::new("SELECT * FROM api_tokens");
        q.push_some(" WHERE user_id = ", user_id);
        q.push(" ORDER BY id");
        read_all(q.query(), &self.pool, token_info).await
    }

    /// The user behind a live (not revoked) token, noting its use.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let Some(r) = sqlx::query("SELECT id, user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
            .bind(token_hash)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now())
            .bind(i64_(&r, "id")?)
            .execute(&self.pool)
            .await?;
        Ok(self.user_by_id(i64_(&r, "user_id")?).await?.filter(|u| u.active))
    }

    pub async fn revoke_api_token(&self, id: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        append(&mut tx, ctx, "token.revoke", "api_token", Some(id), None, None).await?;
        touched(
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?,
        )?;
        tx.commit().await?;
        Ok(())
    }
}

fn token_info(r: &sqlx::any::AnyRow) -> Result<ApiTokenInfo, StoreError> {
    Ok(ApiTokenInfo {
        id: i64_(r, "id")?,
        user_id: i64_(r, "user_id")?,
        name: text(r, "name")?,
        prefix: text(r, "prefix")?,
        created_at: text(r, "created_at")?,
        created_by: text(r, "created_by")?,
        last_used_at: opt_text(r, "last_used_at")?,
        revoked_at: opt_text(r, "revoked_at")?,
    })
}

/// A change to a user; `None` keeps the field.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    pub unit_id: Option<i64>,
    pub active: Option<bool>,
}

impl Store {
    /// A unit's id by its exact name: the active unit of that name before a retired one.
    pub async fn unit_by_name(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM units WHERE name = $1 ORDER BY active DESC, id LIMIT 1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The root of the unit tree (the district).
    pub async fn root_unit(&self) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1")
                .fetch_optional(&self.pool)
                .await?,
        )
    }
}

impl Store {
    /// All units, in tree order as loaded: (id, name, kind code).
    pub async fn unit_names(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        read_all(
            sqlx::query("SELECT id, name, kind FROM units ORDER BY sort_order, id"),
            &self.pool,
            |r| Ok((i64_(r, "id")?, text(r, "name")?, text(r, "kind")?)),
        )
        .await
    }
}

impl Store {
    /// Claims `job` for `day` (YYYY-MM-DD) on behalf of `instance`. Exactly one claim per job
    /// and day succeeds, however many zhantu processes share the database: the primary key
    /// of `job_runs` decides.
    pub async fn claim_job(&self, job: &str, day: &str, instance: &str) -> Result<bool, StoreError> {
        let n = sqlx::query(
            "INSERT INTO job_runs (job, run_on, started_at, instance) VALUES ($1, $2, $3, $4) ON CONFLICT (job, run_on) DO NOTHING",
        )
        .bind(job)
        .bind(day)
        .bind(now())
        .bind(instance)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(n == 1)
    }
}

impl Store {
    /// Sets (or with an empty value clears) a free setting, audited.
    pub async fn set_setting(&self, key: &str, value: &str, ctx: &crate::AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let before: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&mut *tx)
            .await?;
        crate::audit::append(
            &mut tx,
            ctx,
            "setting.set",
            "setting",
            None,
            Some(&json!({ key: before })),
            Some(&json!({ key: value })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
