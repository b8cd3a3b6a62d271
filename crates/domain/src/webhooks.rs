//! Webhooks: what other systems are told when something happens in the district, how each
//! delivery is signed, and how often a failed one is tried again.
//!
//! A delivery is an HTTP POST of a JSON body `{"id", "event", "occurred_at", "data"}` with the
//! headers `Zhantu-Event`, `Zhantu-Delivery` (the id) and `Zhantu-Signature: t=<unix seconds>,
//! v1=<hex>`, where `v1` is HMAC-SHA256 over `"<t>.<body>"` keyed with the subscription's
//! secret. A receiver recomputes it with [`verify`] (or the same few lines in its own
//! language), and refuses a body whose signature does not match or whose `t` is more than
//! [`TOLERANCE_SECONDS`] away from its clock (a replay).
//!
//! The group robot of the daily digest (企业微信/钉钉, `web::webhook`) is a different thing: a
//! chat message to people, unsigned, in the robot's own format.

use crate::error::{FieldErrors, RuleError};
use crate::labelled::code_enum;
use hmac::{Hmac, Mac};
use sha2::Sha256;

code_enum!(
    /// What a subscription can be told of.
    Event {
        NodeReported = "node.reported", "节点报完成", "Node reported done";
        NodeVerified = "node.verified", "节点核验销号", "Node verified (closed out)";
        NodeSentBack = "node.sent_back", "节点退回", "Node sent back";
        LightChanged = "light.changed", "项目亮灯变化", "Project light changed";
        ProblemRaised = "problem.raised", "问题提出", "Problem raised";
        ProblemClosed = "problem.closed", "问题办结", "Problem closed";
        DateChangeDecided = "date_change.decided", "调整节点日期获批或驳回", "Date change approved or rejected";
        ReportIssued = "report.issued", "报告印发", "Report issued";
        Ping = "ping", "测试投递", "Test delivery";
    }
);

impl Event {
    /// The event an audited action is, if any: the audit log's action codes (`node.verify`)
    /// are the writes; these names are what a receiver reads.
    pub fn of_action(action: &str) -> Option<Event> {
        Some(match action {
            "node.report_done" => Event::NodeReported,
            "node.verify" => Event::NodeVerified,
            "node.return" => Event::NodeSentBack,
            "node.approve_date_change" | "node.reject_date_change" => Event::DateChangeDecided,
            "problem.raise" => Event::ProblemRaised,
            "problem.close" => Event::ProblemClosed,
            "cadence.issue" => Event::ReportIssued,
            _ => return None,
        })
    }

    /// The events a subscription may choose (not the test delivery, which is sent on request).
    pub fn subscribable() -> impl Iterator<Item = Event> {
        Event::ALL.iter().copied().filter(|e| *e != Event::Ping)
    }
}

/// How far (seconds) a signature's timestamp may be from the receiver's clock.
pub const TOLERANCE_SECONDS: i64 = 300;

/// How many times a delivery is tried before it is given up (and shown as failed).
pub const MAX_ATTEMPTS: u32 = 8;

/// Seconds to wait after the `attempt`-th failed try (1-based) before the next, or `None`
/// when that was the last: 10 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h — about 21 hours in
/// all, so a receiver down overnight still gets everything.
pub fn retry_after(attempt: u32) -> Option<i64> {
    const WAITS: [i64; (MAX_ATTEMPTS - 1) as usize] = [10, 60, 300, 1_800, 7_200, 21_600, 43_200];
    WAITS.get(attempt.checked_sub(1)? as usize).copied()
}

/// The `Zhantu-Signature` header of `body` sent at `timestamp` (unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", hex(&mac(secret, timestamp, body).finalize().into_bytes()))
}

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(body);
    m
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why a receiver refuses a delivery.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("签名头格式不对（应为 t=<秒>,v1=<十六进制>）")]
    Malformed,
    #[error("签名时间与本机时钟相差超过 {TOLERANCE_SECONDS} 秒（可能是重放）")]
    Stale,
    #[error("签名不符：内容被改动，或密钥不对")]
    Mismatch,
}

/// Checks a delivery as its receiver does: the header's `v1` must be the HMAC of `"<t>.<body>"`
/// (compared in constant time) and `t` within [`TOLERANCE_SECONDS`] of `now` (unix seconds).
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64) -> Result<(), Refused> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = decode_hex(v),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(Refused::Malformed);
    };
    if (now - t).abs() > TOLERANCE_SECONDS {
        return Err(Refused::Stale);
    }
    mac(secret, t, body).verify_slice(&v1).map_err(|_| Refused::Mismatch)
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// A subscription as a coordinator writes it: a name, where to send, and which events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubscriptionInput {
    pub name: String,
    pub url: String,
    pub events: Vec<Event>,
    pub active: bool,
}

impl SubscriptionInput {
    /// Parses a subscription: a name (1–60 characters), an `http://` or `https://` URL
    /// (at most 500 characters, no credentials in it), at least one event.
    pub fn parse(name: &str, url: &str, events: &[String], active: bool) -> Result<SubscriptionInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = name.trim();
        if name.is_empty() {
            errors.push("name", "webhook_name_empty", "订阅名称不能为空");
        } else if name.chars().count() > 60 {
            errors.push("name", "webhook_name_long", "订阅名称不能超过60个字");
        }
        let url = url.trim();
        errors.rule("url", check_url(url));
        let mut chosen = Vec::new();
        for e in events {
            match Event::from_code(e.trim()) {
                Some(Event::Ping) | None => errors.push("events", "webhook_event_unknown", format!("没有“{}”这种事件", e.trim())),
                Some(ev) if !chosen.contains(&ev) => chosen.push(ev),
                Some(_) => {}
            }
        }
        if events.is_empty() {
            errors.push("events", "webhook_events_empty", "请至少选择一种事件");
        }
        chosen.sort();
        errors.or(|| SubscriptionInput {
            name: name.to_string(),
            url: url.to_string(),
            events: chosen,
            active,
        })
    }

    /// The events as stored: codes joined by commas.
    pub fn events_text(&self) -> String {
        events_text(&self.events)
    }
}

/// Event codes joined by commas, as a subscription stores them.
pub fn events_text(events: &[Event]) -> String {
    events.iter().map(|e| e.code()).collect::<Vec<_>>().join(",")
}

/// The events of a stored subscription (codes it no longer knows are left out).
pub fn events_of(text: &str) -> Vec<Event> {
    text.split(',').filter_map(|c| Event::from_code(c.trim())).collect()
}

fn check_url(url: &str) -> Result<(), RuleError> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest else {
        return Err(RuleError::new("webhook_url_scheme", "接收地址须以 http:// 或 https:// 开头"));
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || url.chars().any(char::is_whitespace) {
        return Err(RuleError::new("webhook_url_invalid", "接收地址无效"));
    }
    if host.contains('@') {
        return Err(RuleError::new(
            "webhook_url_credentials",
            "接收地址中不能带用户名和密码，请用签名密钥校验",
        ));
    }
    if url.len() > 500 {
        return Err(RuleError::new("webhook_url_long", "接收地址不能超过500个字符"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_body_verifies_and_any_change_is_refused() {
        let body = br#"{"id":"1","event":"node.verified"}"#;
        let header = sign("whsec_abc", 1_700_000_000, body);
        assert!(header.starts_with("t=1700000000,v1="));
        assert_eq!(header.len(), "t=1700000000,v1=".len() + 64);
        assert_eq!(verify("whsec_abc", &header, body, 1_700_000_100), Ok(()));
        assert_eq!(verify("whsec_abd", &header, body, 1_700_000_100), Err(Refused::Mismatch));
        assert_eq!(
            verify("whsec_abc", &header, br#"{"id":"1","event":"node.sent_back"}"#, 1_700_000_100),
            Err(Refused::Mismatch)
        );
        // The timestamp is signed too: moving it breaks the signature.
        let moved = header.replace("t=1700000000", "t=1700000050");
        assert_eq!(verify("whsec_abc", &moved, body, 1_700_000_100), Err(Refused::Mismatch));
        assert_eq!(verify("whsec_abc", &header, body, 1_700_000_000 + 301), Err(Refused::Stale));
        assert_eq!(verify("whsec_abc", "v1=00", body, 1_700_000_000), Err(Refused::Malformed));
        assert_eq!(
            verify("whsec_abc", "t=1700000000,v1=zz", body, 1_700_000_000),
            Err(Refused::Malformed)
        );
    }

    #[test]
    fn the_signature_is_hmac_sha256_of_timestamp_dot_body() {
        // Computed independently: printf '%s' '1.{}' | openssl dgst -sha256 -hmac key
        assert_eq!(
            sign("key", 1, b"{}"),
            "t=1,v1=1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
        );
    }

    #[test]
    fn retries_wait_longer_each_time_and_stop() {
        let waits: Vec<i64> = (1..=MAX_ATTEMPTS).filter_map(retry_after).collect();
        assert_eq!(waits.len() as u32, MAX_ATTEMPTS - 1);
        assert!(waits.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(retry_after(MAX_ATTEMPTS), None);
        assert_eq!(retry_after(0), None);
        assert!(
            waits.iter().sum::<i64>() > 18 * 3600,
            "a receiver down overnight still gets its deliveries"
        );
    }

    #[test]
    fn audited_actions_name_their_events() {
        assert_eq!(Event::of_action("node.verify"), Some(Event::NodeVerified));
        assert_eq!(Event::of_action("node.reject_date_change"), Some(Event::DateChangeDecided));
        assert_eq!(Event::of_action("project.update"), None);
        for e in Event::ALL {
            assert_eq!(Event::from_code(e.code()), Some(*e));
        }
        assert!(!Event::subscribable().any(|e| e == Event::Ping));
    }

    #[test]
    fn a_subscription_is_parsed_with_every_bad_field_named() {
        let ok = SubscriptionInput::parse(
            " 市大数据局 ",
            "https://hooks.example.cn/zhantu",
            &["node.verified".into(), "light.changed".into(), "node.verified".into()],
            true,
        )
        .unwrap();
        assert_eq!(ok.name, "市大数据局");
        assert_eq!(ok.events_text(), "node.verified,light.changed");
        assert_eq!(events_of(&ok.events_text()), ok.events);
        let bad = SubscriptionInput::parse("", "ftp://x", &["nope".into()], true).unwrap_err();
        let codes: Vec<_> = bad.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["webhook_name_empty", "webhook_url_scheme", "webhook_event_unknown"]);
        let creds = SubscriptionInput::parse("a", "https://u:p@h.cn/", &["ping".into()], true).unwrap_err();
        let codes: Vec<_> = creds.0.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["webhook_url_credentials", "webhook_event_unknown"]);
        assert_eq!(
            SubscriptionInput::parse("a", "https://h.cn", &[], true).unwrap_err().0[0].code,
            "webhook_events_empty"
        );
    }
}
