//! Webhooks: the subscriptions, the outbox and the log of tries.
//!
//! An event is put in the outbox of every active subscription that listens to it **in the
//! transaction of the change it tells of** (the audit log's `append` does it for audited
//! writes, the lights run for light changes), so what was committed is sent even when the
//! process dies right after; nothing is sent of a change that was rolled back. The sender
//! (`web::webhooks::deliver_due`) claims due rows, posts them, and records each try here;
//! a row is delivered once (`delivered_at`), or given up after `MAX_ATTEMPTS` (`failed_at`).

use crate::audit::AuditCtx;
use crate::row::{found, i64_, opt_i64, opt_text, read_all, text};
use crate::writes::{KeptRecord, Tx, commit_kept, now};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::AnyConnection;
use zhantu_domain::webhooks::{Event, MAX_ATTEMPTS, SubscriptionInput, events_of, retry_after};

/// A subscription as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Subscription {
    pub id: i64,
    pub name: String,
    pub url: String,
    /// The key of its signatures: shown to coordinators, never written to the audit log.
    #[serde(skip)]
    pub secret: String,
    pub events: Vec<Event>,
    pub active: bool,
    pub created_at: String,
    pub created_by: String,
    pub version: i64,
    /// Deliveries waiting (not yet delivered nor given up), delivered, given up.
    pub pending: i64,
    pub delivered: i64,
    pub failed: i64,
}

const SUBSCRIPTION_SELECT: &str = "SELECT s.*, \
     (SELECT COUNT(*) FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.delivered_at IS NULL AND o.failed_at IS NULL) AS pending, \
     (SELECT COUNT(*) FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.delivered_at IS NOT NULL) AS delivered, \
     (SELECT COUNT(*) FROM webhook_outbox o WHERE o.subscription_id = s.id AND o.failed_at IS NOT NULL) AS failed \
     FROM webhook_subscriptions s";

fn subscription(r: &sqlx::any::AnyRow) -> Result<Subscription, StoreError> {
    Ok(Subscription {
        id: i64_(r, "id")?,
        name: text(r, "name")?,
        url: text(r, "url")?,
        secret: text(r, "secret")?,
        events: events_of(&text(r, "events")?),
        active: i64_(r, "active")? != 0,
        created_at: text(r, "created_at")?,
        created_by: text(r, "created_by")?,
        version: i64_(r, "version")?,
        pending: i64_(r, "pending")?,
        delivered: i64_(r, "delivered")?,
        failed: i64_(r, "failed")?,
    })
}

impl KeptRecord for Subscription {
    const TABLE: &'static str = "webhook_subscriptions";
    const ENTITY: &'static str = "webhook";

    async fn read_in(conn: &mut AnyConnection, id: i64) -> Result<Self, StoreError> {
        subscription(&found(sqlx::query(&format!("{SUBSCRIPTION_SELECT} WHERE s.id = $1")).bind(id), &mut *conn).await?)
    }

    /// The secret is left out: the audit log is read by more people than the subscription.
    fn snapshot(&self) -> Value {
        json!({ "name": self.name, "url": self.url, "events": zhantu_domain::webhooks::events_text(&self.events),
                "active": self.active, "version": self.version })
    }
}

/// One event waiting in (or gone through) the outbox of a subscription.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub subscription_id: i64,
    pub event: String,
    pub occurred_at: String,
    #[serde(skip)]
    pub data: String,
    pub attempts: i64,
    pub next_at: Option<String>,
    pub delivered_at: Option<String>,
    pub failed_at: Option<String>,
    /// The last try's HTTP status (none: no answer) and error.
    pub last_status: Option<i64>,
    pub last_error: String,
}

impl Delivery {
    /// The body as sent, the same on every try (its signature's timestamp is what changes):
    /// `{"id", "event", "occurred_at", "data"}`.
    pub fn body(&self) -> String {
        let data: Value = serde_json::from_str(&self.data).unwrap_or(Value::Null);
        json!({ "id": self.id.to_string(), "event": self.event, "occurred_at": self.occurred_at, "data": data }).to_string()
    }
}

const DELIVERY_SELECT: &str = "SELECT o.*, \
     (SELECT a.status FROM webhook_attempts a WHERE a.outbox_id = o.id ORDER BY a.id DESC LIMIT 1) AS last_status, \
     (SELECT a.error FROM webhook_attempts a WHERE a.outbox_id = o.id ORDER BY a.id DESC LIMIT 1) AS last_error \
     FROM webhook_outbox o";

fn delivery(r: &sqlx::any::AnyRow) -> Result<Delivery, StoreError> {
    Ok(Delivery {
        id: i64_(r, "id")?,
        subscription_id: i64_(r, "subscription_id")?,
        event: text(r, "event")?,
        occurred_at: text(r, "occurred_at")?,
        data: text(r, "data")?,
        attempts: i64_(r, "attempts")?,
        next_at: opt_text(r, "next_at")?,
        delivered_at: opt_text(r, "delivered_at")?,
        failed_at: opt_text(r, "failed_at")?,
        last_status: opt_i64(r, "last_status")?,
        last_error: opt_text(r, "last_error")?.unwrap_or_default(),
    })
}

/// One try of a delivery, as the sender saw it.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    pub at: String,
    pub status: Option<i64>,
    pub error: String,
    pub ms: i64,
}

/// What the sender learnt from one try.
#[derive(Debug, Clone)]
pub struct Tried {
    /// The receiver's HTTP status; none when it could not be reached.
    pub status: Option<u16>,
    pub error: String,
    pub ms: i64,
}

impl Tried {
    fn delivered(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Puts `event` with `data` in the outbox of every active subscription listening to it, in the
/// caller's transaction. A single statement; nothing is written when nobody listens.
pub(crate) async fn enqueue(conn: &mut AnyConnection, event: Event, data: &Value, at: &str) -> Result<u64, StoreError> {
    let r = sqlx::query(
        "INSERT INTO webhook_outbox (subscription_id, event, occurred_at, data, next_at) \
         SELECT id, $1, $2, $3, $2 FROM webhook_subscriptions \
         WHERE active = 1 AND (',' || events || ',') LIKE $4",
    )
    .bind(event.code())
    .bind(at)
    .bind(data.to_string())
    .bind(format!("%,{},%", event.code()))
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// Whether any active subscription listens to `event` (the lights run asks before it builds
/// the events of a whole district).
pub(crate) async fn listened(conn: &mut AnyConnection, event: Event) -> Result<bool, StoreError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM webhook_subscriptions WHERE active = 1 AND (',' || events || ',') LIKE $1")
        .bind(format!("%,{},%", event.code()))
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Store {
    pub async fn webhook_subscriptions(&self) -> Result<Vec<Subscription>, StoreError> {
        read_all(
            sqlx::query(&format!("{SUBSCRIPTION_SELECT} ORDER BY s.id")),
            &self.pool,
            subscription,
        )
        .await
    }

    pub async fn webhook_subscription(&self, id: i64) -> Result<Subscription, StoreError> {
        let mut c = self.pool.acquire().await?;
        Subscription::read_in(&mut c, id).await
    }

    /// A new subscription with its signing `secret` (made by the caller from a good random
    /// source).
    pub async fn create_webhook(&self, input: &SubscriptionInput, secret: &str, ctx: &AuditCtx) -> Result<Subscription, StoreError> {
        let mut tx = self.begin_locked().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_subscriptions (name, url, secret, events, active, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&input.name)
        .bind(&input.url)
        .bind(secret)
        .bind(input.events_text())
        .bind(input.active as i64)
        .bind(now())
        .bind(&ctx.actor)
        .fetch_one(&mut *tx)
        .await?;
        commit_kept::<Subscription>(tx, ctx, "webhook.create", id, None).await
    }

    /// Changes a subscription's name, address, events or whether it is active; refuses a
    /// stale version. Deliveries already in its outbox stay (and go to the new address).
    pub async fn update_webhook(
        &self,
        id: i64,
        version: i64,
        input: &SubscriptionInput,
        ctx: &AuditCtx,
    ) -> Result<Subscription, StoreError> {
        let (mut tx, before) = self.begin_change::<Subscription>(id, version).await?;
        sqlx::query("UPDATE webhook_subscriptions SET name = $1, url = $2, events = $3, active = $4, version = version + 1 WHERE id = $5")
            .bind(&input.name)
            .bind(&input.url)
            .bind(input.events_text())
            .bind(input.active as i64)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_kept(tx, ctx, "webhook.update", id, Some(&before)).await
    }

    /// Gives a subscription a new secret (the old one stops verifying at once).
    pub async fn rotate_webhook_secret(&self, id: i64, version: i64, secret: &str, ctx: &AuditCtx) -> Result<Subscription, StoreError> {
        let (mut tx, before) = self.begin_change::<Subscription>(id, version).await?;
        sqlx::query("UPDATE webhook_subscriptions SET secret = $1, version = version + 1 WHERE id = $2")
            .bind(secret)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_kept(tx, ctx, "webhook.rotate_secret", id, Some(&before)).await
    }

    /// Removes a subscription with its outbox and log.
    pub async fn delete_webhook(&self, id: i64, version: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let (mut tx, before) = self.begin_change::<Subscription>(id, version).await?;
        sqlx::query("DELETE FROM webhook_attempts WHERE outbox_id IN (SELECT id FROM webhook_outbox WHERE subscription_id = $1)")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM webhook_outbox WHERE subscription_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        crate::writes::commit_audited(tx, ctx, ("webhook.delete", "webhook", Some(id)), Some(&before.snapshot()), None).await
    }

    /// Queues a test delivery (`ping`) to one subscription, active or not.
    pub async fn ping_webhook(&self, id: i64, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let mut tx: Tx = self.begin_locked().await?;
        let at = now();
        let sub = Subscription::read_in(&mut tx, id).await?;
        let outbox: i64 = sqlx::query_scalar(
            "INSERT INTO webhook_outbox (subscription_id, event, occurred_at, data, next_at) VALUES ($1, $2, $3, $4, $3) RETURNING id",
        )
        .bind(sub.id)
        .bind(Event::Ping.code())
        .bind(&at)
        .bind(json!({ "subscription": sub.name, "by": ctx.actor }).to_string())
        .fetch_one(&mut *tx)
        .await?;
        crate::writes::commit_audited(
            tx,
            ctx,
            ("webhook.ping", "webhook", Some(id)),
            None,
            Some(&json!({ "delivery": outbox })),
        )
        .await?;
        Ok(outbox)
    }

    /// A subscription's deliveries, newest first (at most `limit`).
    pub async fn webhook_deliveries(&self, subscription: i64, limit: i64) -> Result<Vec<Delivery>, StoreError> {
        read_all(
            sqlx::query(&format!(
                "{DELIVERY_SELECT} WHERE o.subscription_id = $1 ORDER BY o.id DESC LIMIT $2"
            ))
            .bind(subscription)
            .bind(limit),
            &self.pool,
            delivery,
        )
        .await
    }

    /// One delivery of `subscription`.
    pub async fn webhook_delivery(&self, subscription: i64, id: i64) -> Result<Delivery, StoreError> {
        delivery(
            &found(
                sqlx::query(&format!("{DELIVERY_SELECT} WHERE o.subscription_id = $1 AND o.id = $2"))
                    .bind(subscription)
                    .bind(id),
                &self.pool,
            )
            .await?,
        )
    }

    /// Every try of one delivery of `subscription`, in order.
    pub async fn webhook_attempts(&self, subscription: i64, delivery: i64) -> Result<Vec<Attempt>, StoreError> {
        read_all(
            sqlx::query(
                "SELECT a.at, a.status, a.error, a.ms FROM webhook_attempts a JOIN webhook_outbox o ON o.id = a.outbox_id \
                 WHERE o.subscription_id = $1 AND a.outbox_id = $2 ORDER BY a.id",
            )
            .bind(subscription)
            .bind(delivery),
            &self.pool,
            |r| {
                Ok(Attempt {
                    at: text(r, "at")?,
                    status: opt_i64(r, "status")?,
                    error: text(r, "error")?,
                    ms: i64_(r, "ms")?,
                })
            },
        )
        .await
    }

    /// Claims up to `limit` deliveries due at `now`, oldest first, with the subscription each
    /// goes to (a paused subscription's wait until it is active again; a test delivery goes
    /// anyway): each claimed row's `next_at` moves `lease_seconds` on, so another sender (a
    /// second instance on PostgreSQL) does not take it meanwhile, and a sender that dies
    /// mid-try leaves it to be tried again after the lease.
    pub async fn claim_webhook_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
        lease_seconds: i64,
    ) -> Result<Vec<(Delivery, Subscription)>, StoreError> {
        let due = read_all(
            sqlx::query(&format!(
                "{DELIVERY_SELECT} WHERE o.delivered_at IS NULL AND o.failed_at IS NULL AND o.next_at <= $1 \
                 AND (o.event = 'ping' OR o.subscription_id IN (SELECT id FROM webhook_subscriptions WHERE active = 1)) \
                 ORDER BY o.id LIMIT $2"
            ))
            .bind(rfc3339(now))
            .bind(limit),
            &self.pool,
            delivery,
        )
        .await?;
        let lease = rfc3339(now + chrono::Duration::seconds(lease_seconds));
        let mut claimed = Vec::with_capacity(due.len());
        for d in due {
            let took = sqlx::query("UPDATE webhook_outbox SET next_at = $1 WHERE id = $2 AND next_at = $3 AND delivered_at IS NULL")
                .bind(&lease)
                .bind(d.id)
                .bind(&d.next_at)
                .execute(&self.pool)
                .await?;
            if took.rows_affected() == 1 {
                let sub = self.webhook_subscription(d.subscription_id).await?;
                claimed.push((d, sub));
            }
        }
        Ok(claimed)
    }

    /// Records one try of a claimed delivery: delivered on a 2xx; otherwise tried again after
    /// the domain's wait, or given up after the last try.
    pub async fn record_webhook_try(&self, d: &Delivery, tried: &Tried, at: DateTime<Utc>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let stamp = rfc3339(at);
        sqlx::query("INSERT INTO webhook_attempts (outbox_id, at, status, error, ms) VALUES ($1, $2, $3, $4, $5)")
            .bind(d.id)
            .bind(&stamp)
            .bind(tried.status.map(i64::from))
            .bind(tried.error.chars().take(500).collect::<String>())
            .bind(tried.ms)
            .execute(&mut *tx)
            .await?;
        let attempts = d.attempts + 1;
        let (next_at, delivered_at, failed_at) = if tried.delivered() {
            (None, Some(stamp.clone()), None)
        } else {
            match retry_after(attempts as u32) {
                Some(wait) => (Some(rfc3339(at + chrono::Duration::seconds(wait))), None, None),
                None => (None, None, Some(stamp.clone())),
            }
        };
        debug_assert!(attempts as u32 <= MAX_ATTEMPTS);
        sqlx::query("UPDATE webhook_outbox SET attempts = $1, next_at = $2, delivered_at = $3, failed_at = $4 WHERE id = $5")
            .bind(attempts)
            .bind(next_at)
            .bind(delivered_at)
            .bind(failed_at)
            .bind(d.id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Tries a given-up delivery again (from now, with a fresh count of tries).
    pub async fn retry_webhook_delivery(&self, subscription: i64, delivery: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let r = sqlx::query(
            "UPDATE webhook_outbox SET attempts = 0, failed_at = NULL, next_at = $1 \
             WHERE id = $2 AND subscription_id = $3 AND failed_at IS NOT NULL",
        )
        .bind(now())
        .bind(delivery)
        .bind(subscription)
        .execute(&mut *tx)
        .await?;
        if r.rows_affected() == 0 {
            return Err(StoreError::rule("webhook_delivery_not_failed", "只能重发已放弃的投递"));
        }
        crate::writes::commit_audited(
            tx,
            ctx,
            ("webhook.retry", "webhook", Some(subscription)),
            None,
            Some(&json!({ "delivery": delivery })),
        )
        .await
    }
}
