//! The sender: claims the deliveries that are due, posts each one signed, and records the try.
//! `zhantu serve` runs [`keep_sending`]; a delivery is due when it was put in the outbox or
//! when the domain's wait after its last failed try is over.

use chrono::Utc;
use std::time::{Duration, Instant};
use zhantu_domain::webhooks::sign;
use zhantu_store::webhooks::Tried;
use zhantu_store::{Store, StoreError};

/// How many deliveries one pass claims at most.
const BATCH: i64 = 50;
/// How long a claimed delivery is left to its sender before another may take it (longer than
/// a try can take).
const LEASE_SECONDS: i64 = 120;
/// How long the receiver has to answer.
const TIMEOUT: Duration = Duration::from_secs(10);

/// The HTTP client of the sender: a timeout, no redirects (a receiver that moved answers 3xx,
/// which is a failed try the log shows), no cookies.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("zhantu-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .expect("an HTTP client with a timeout")
}

/// One pass: every delivery due now, tried once, each try recorded. Returns how many were
/// tried.
pub async fn deliver_due(store: &Store, client: &reqwest::Client) -> Result<usize, StoreError> {
    let claimed = store.claim_webhook_deliveries(Utc::now(), BATCH, LEASE_SECONDS).await?;
    for (delivery, subscription) in &claimed {
        let body = delivery.body();
        let signature = sign(&subscription.secret, Utc::now().timestamp(), body.as_bytes());
        let started = Instant::now();
        let answer = client
            .post(&subscription.url)
            .header("content-type", "application/json; charset=utf-8")
            .header("Zhantu-Event", &delivery.event)
            .header("Zhantu-Delivery", delivery.id.to_string())
            .header("Zhantu-Signature", signature)
            .body(body)
            .send()
            .await;
        let tried = match answer {
            Ok(resp) => {
                let status = resp.status();
                let error = if status.is_success() {
                    String::new()
                } else {
                    let text = resp.text().await.unwrap_or_default();
                    format!("HTTP {}: {}", status.as_u16(), text.chars().take(200).collect::<String>())
                };
                Tried {
                    status: Some(status.as_u16()),
                    error,
                    ms: started.elapsed().as_millis() as i64,
                }
            }
            Err(e) => Tried {
                status: None,
                error: e.to_string(),
                ms: started.elapsed().as_millis() as i64,
            },
        };
        store.record_webhook_try(delivery, &tried, Utc::now()).await?;
    }
    Ok(claimed.len())
}

/// Runs [`deliver_due`] every `every` until the process ends; a failing pass is logged and
/// the next one tries again.
pub async fn keep_sending(store: Store, every: Duration) {
    let client = client();
    loop {
        match deliver_due(&store, &client).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(tried = n, "webhook deliveries tried"),
            Err(e) => tracing::warn!(error = %e, "webhook deliveries not tried"),
        }
        tokio::time::sleep(every).await;
    }
}
