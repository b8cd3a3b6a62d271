//! Approval clocks' excluded spans (审批时限的不计时段), end to end: recorded through the API,
//! taken off the clock to the day by the working calendar, lit, audited, refused when they
//! overlap or are stale or come from unit staff, and opened and closed by pause and resume.

use crate::helpers::{TestApp, find_by, id_version, of_another_unit, spawn_app};
use crate::security::{Fixture, Fixtures};
use chrono::NaiveDate;
use serde_json::{Value, json};
use zhantu_domain::model::DayKind;

fn day(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

fn day_kind(v: &Value) -> DayKind {
    DayKind::from_code(v.as_str().unwrap()).unwrap()
}

/// A project with a running "最多90…" clock and no spans yet: the project, the clock and the
/// clocks' data date. Prefers a clock already over its limit (so a span can bring it back).
async fn running_clock(app: &TestApp) -> (i64, Value, NaiveDate) {
    let (_, page) = app.get("/api/v1/projects?limit=500").await;
    let mut found: Option<(i64, Value, NaiveDate)> = None;
    for p in page["items"].as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        let (status, clocks) = app.get(&format!("/api/v1/projects/{id}/clocks")).await;
        assert_eq!(status, 200, "{clocks}");
        let paused = app.scalar(&format!("SELECT paused FROM projects WHERE id = {id}")).await;
        if paused != 0 || !clocks["exclusions"].as_array().unwrap().is_empty() {
            continue;
        }
        for c in clocks["clocks"].as_array().unwrap() {
            if c["name"].as_str().unwrap().contains("最多90") && c["reading"]["state"] == "running" {
                let breached = c["reading"]["breached"] == true;
                if breached {
                    return (id, c.clone(), day(&clocks["as_of"]));
                }
                found.get_or_insert((id, c.clone(), day(&clocks["as_of"])));
            }
        }
    }
    found.expect("a project with a running 最多90天 clock")
}

fn clock_named<'a>(clocks: &'a Value, name: &Value) -> &'a Value {
    find_by(&clocks["clocks"], "name", name.clone())
}

async fn reasons(app: &TestApp, pid: i64, clock: &Value) -> String {
    let (_, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    p["light_reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_str())
        .filter(|r| r.contains(clock["name"].as_str().unwrap()))
        .collect::<Vec<_>>()
        .join("|")
}

async fn span_count(app: &TestApp) -> i64 {
    app.scalar("SELECT COUNT(*) FROM clock_exclusions").await
}

#[tokio::test]
async fn clock_an_excluded_span_takes_its_days_off_exactly() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (pid, clock, as_of) = running_clock(&app).await;
    let start = day(&clock["started_on"]);
    let kind = day_kind(&clock["day_kind"]);
    let (elapsed, limit) = (clock["reading"]["elapsed"].as_i64().unwrap(), clock["limit_days"].as_i64().unwrap());
    let before_reason = reasons(&app, pid, &clock).await;
    let (_, detail) = app.get(&format!("/api/v1/projects/{pid}")).await;
    assert!(
        before_reason.contains(&format!("{elapsed}")),
        "{before_reason} / {clock} / {}",
        detail["light_reasons"]
    );

    // A span inside the running time: long enough to bring a breached clock back within its limit.
    let calendar = app.store.calendar().await.unwrap();
    let from = start.succ_opt().unwrap();
    let mut until = from;
    let wanted = if elapsed > limit { elapsed - limit + 5 } else { 10 };
    while calendar.days_between(from.pred_opt().unwrap(), until, kind) < wanted && until < as_of {
        until = until.succ_opt().unwrap();
    }
    let excluded = calendar.days_between(from.pred_opt().unwrap(), until, kind);
    assert!(excluded > 0);

    let audit_before = app.audit_count().await;
    let body = json!({"clock_name": clock["name"], "from": from.to_string(), "until": until.to_string(), "reason": " 业主自主准备时间（补充材料） "});
    let exclusions = format!("/api/v1/projects/{pid}/clock-exclusions");
    let (status, added) = coordinator.post(&exclusions, body.clone()).await;
    assert_eq!(status, 201, "{added}");
    let span = &added["exclusion"];
    assert_eq!(span["reason"], "业主自主准备时间（补充材料）", "the reason is trimmed");
    assert_eq!(span["created_by"], "fgj");
    assert_eq!(app.audit_count().await, audit_before + 1);

    let (_, after) = coordinator.get(&format!("/api/v1/projects/{pid}/clocks")).await;
    let read = &clock_named(&after, &clock["name"])["reading"];
    assert_eq!(read["elapsed"].as_i64().unwrap(), elapsed - excluded, "{read}");
    assert_eq!(read["excluded"].as_i64().unwrap(), excluded);
    assert_eq!(read["remaining"].as_i64().unwrap(), limit - (elapsed - excluded));
    assert_eq!(clock_named(&after, &clock["name"])["exclusions"][0]["id"], span["id"]);

    // The light's reason follows: the new count, and no longer over the limit if it was.
    let after_reason = reasons(&app, pid, &clock).await;
    assert_ne!(before_reason, after_reason);
    assert!(after_reason.contains(&format!("已用{}", elapsed - excluded)), "{after_reason}");
    if elapsed > limit {
        assert!(
            before_reason.contains("已超时") && !after_reason.contains("已超时"),
            "{before_reason} → {after_reason}"
        );
        assert!(after_reason.contains("剩余5"), "{after_reason}");
    }

    // The project's history has the entry, with who and what.
    let (_, history) = app.get(&format!("/api/v1/projects/{pid}/history")).await;
    let entry = &history["items"][0];
    assert_eq!(entry["action"], "clock_exclusion.add");
    assert_eq!(entry["actor"], "fgj");
    assert_eq!(entry["after"]["from"], from.to_string());
    assert_eq!(entry["after"]["until"], until.to_string());

    // The same days again overlap: 422 with the Chinese reason, and nothing written.
    let (audit, spans) = (app.audit_count().await, span_count(&app).await);
    let (status, e) = coordinator.post(&exclusions, body).await;
    assert_eq!((status, e["error"]["code"].as_str()), (422, Some("span_overlaps")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("重叠"), "{e}");
    // A span for every clock meets this clock's span too.
    let every = json!({"from": until.to_string(), "reason": "暂停"});
    let (status, _) = coordinator.post(&exclusions, every).await;
    assert_eq!(status, 422);
    assert_eq!((app.audit_count().await, span_count(&app).await), (audit, spans));

    // Deleting it gives the days back.
    let (status, e) = coordinator.delete(&format!("/api/v1/clock-exclusions/{}", span["id"])).await;
    assert_eq!(status, 204, "{e}");
    let (_, back) = coordinator.get(&format!("/api/v1/projects/{pid}/clocks")).await;
    assert_eq!(clock_named(&back, &clock["name"])["reading"]["elapsed"].as_i64().unwrap(), elapsed);
    assert_eq!(reasons(&app, pid, &clock).await, before_reason);
}

#[tokio::test]
async fn clock_spans_refuse_bad_dates_stale_versions_and_unit_staff() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (pid, clock, as_of) = running_clock(&app).await;
    let path = format!("/api/v1/projects/{pid}/clock-exclusions");
    // Bad input: no reason, ends before it starts, starts after the data date, not a date.
    let cases = [
        (json!({"from": as_of.to_string(), "reason": "  "}), 422, "span_reason_missing"),
        (
            json!({"from": as_of.to_string(), "until": as_of.pred_opt().unwrap().to_string(), "reason": "x"}),
            422,
            "span_ends_before_start",
        ),
        (
            json!({"from": as_of.succ_opt().unwrap().to_string(), "reason": "x"}),
            422,
            "span_after_as_of",
        ),
        (json!({"from": "去年", "reason": "x"}), 400, "invalid_date"),
        (
            json!({"from": as_of.to_string(), "reason": "x", "clock_name": "没有这个时限"}),
            400,
            "clock_unknown",
        ),
    ];
    for (body, status, code) in cases {
        let (s, e) = coordinator.post(&path, body.clone()).await;
        assert_eq!((s, e["error"]["code"].as_str()), (status, Some(code)), "{body}: {e}");
    }
    assert_eq!(span_count(&app).await, 0);

    // An open span, closed with a stale version: 409; with the right one it ends.
    let from = as_of - chrono::Duration::days(3);
    let (status, added) = coordinator
        .post(
            &path,
            json!({"clock_name": clock["name"], "from": from.to_string(), "reason": "业主自主准备时间"}),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    let (sid, v) = id_version(&added["exclusion"]);
    let (_, paused) = coordinator.get(&format!("/api/v1/projects/{pid}/clocks")).await;
    assert_eq!(clock_named(&paused, &clock["name"])["reading"]["state"], "paused");
    let close = format!("/api/v1/clock-exclusions/{sid}/close");
    let audit = app.audit_count().await;
    let (status, e) = coordinator
        .post(&close, json!({"version": v + 1, "until": as_of.to_string()}))
        .await;
    assert_eq!((status, e["error"]["code"].as_str()), (409, Some("stale_version")), "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("fgj"), "names who changed it: {e}");
    assert_eq!(app.audit_count().await, audit);
    let (status, closed) = coordinator.post(&close, json!({"version": v, "until": as_of.to_string()})).await;
    assert_eq!(status, 200, "{closed}");
    assert_eq!(closed["exclusion"]["until"], as_of.to_string());
    assert_eq!(closed["exclusion"]["version"], v + 1);
    let (status, _) = coordinator.post(&close, json!({"version": v})).await;
    assert_eq!(status, 409, "the old version is stale now");
    let (status, e) = coordinator.post(&close, json!({"version": v + 1})).await;
    assert_eq!((status, e["error"]["code"].as_str()), (422, Some("span_already_closed")), "{e}");
    let (status, _) = coordinator
        .send(
            "DELETE",
            &format!("/api/v1/clock-exclusions/{sid}"),
            Some(json!({"version": v})),
            true,
        )
        .await;
    assert_eq!(status, 409, "a delete naming a stale version is refused");

    // Unit staff read their own projects' clocks but record nothing, even on their own.
    let editor = app.login("haimen").await;
    let (_, mine) = editor.get("/api/v1/projects?limit=1").await;
    let own = mine["items"][0]["id"].as_i64().unwrap();
    let (status, read) = editor.get(&format!("/api/v1/projects/{own}/clocks")).await;
    assert_eq!(status, 200, "{read}");
    let (status, e) = editor
        .post(
            &format!("/api/v1/projects/{own}/clock-exclusions"),
            json!({"from": as_of.to_string(), "reason": "业主自主准备时间"}),
        )
        .await;
    assert_eq!(status, 403, "{e}");
    assert!(e["error"]["message"].as_str().unwrap().contains("不计时段"), "{e}");
    let (status, _) = editor.delete(&format!("/api/v1/clock-exclusions/{sid}")).await;
    assert_eq!(status, 403);
    let (_, other) = app.get("/api/v1/projects?limit=500").await;
    let foreign = of_another_unit(&other)["id"].as_i64().unwrap();
    assert_eq!(editor.get(&format!("/api/v1/projects/{foreign}/clocks")).await.0, 403);

    // The project page shows the section, with the coordinator's forms.
    let page = coordinator.page(&format!("/projects/{pid}")).await.1;
    assert!(page.contains("审批时限") && page.contains(clock["name"].as_str().unwrap()));
    assert!(page.contains(&format!(r#"data-api="/api/v1/clock-exclusions/{sid}" data-method="DELETE""#)));
    assert!(page.contains("登记不计时段"));
    let page = editor.page(&format!("/projects/{own}")).await.1;
    assert!(
        page.contains("审批时限") && !page.contains("登记不计时段"),
        "no forms for unit staff"
    );
}

#[tokio::test]
async fn clock_pause_opens_a_span_and_resume_closes_it() {
    let app = spawn_app().await;
    let coordinator = app.login("fgj").await;
    let (pid, clock, as_of) = running_clock(&app).await;
    let (_, p) = app.get(&format!("/api/v1/projects/{pid}")).await;
    let v = p["version"].as_i64().unwrap();
    let (status, r) = coordinator
        .post(
            &format!("/api/v1/projects/{pid}/pause"),
            json!({"version": v, "reason": "投资方调整产品方案"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, paused) = coordinator.get(&format!("/api/v1/projects/{pid}/clocks")).await;
    let span = &paused["exclusions"][0];
    assert_eq!(span["reason"], "暂停：投资方调整产品方案");
    assert_eq!((span["clock_name"].is_null(), span["until"].is_null()), (true, true), "{span}");
    assert_eq!(span["from"], as_of.to_string());
    assert_eq!(clock_named(&paused, &clock["name"])["reading"]["state"], "paused");
    let (_, history) = app.get(&format!("/api/v1/projects/{pid}/history")).await;
    assert_eq!(history["items"][0]["action"], "project.pause");
    assert_eq!(history["items"][0]["after"]["clock_exclusion"]["id"], span["id"]);

    let (status, r) = coordinator
        .post(&format!("/api/v1/projects/{pid}/resume"), json!({"version": v + 1}))
        .await;
    assert_eq!(status, 200, "{r}");
    let (_, resumed) = coordinator.get(&format!("/api/v1/projects/{pid}/clocks")).await;
    assert_eq!(resumed["exclusions"].as_array().unwrap().len(), 1);
    assert_eq!(resumed["exclusions"][0]["until"], as_of.to_string());
    // The pause's day is not counted (if it is a day the clock counts at all).
    let read = &clock_named(&resumed, &clock["name"])["reading"];
    let pause_days = app
        .store
        .calendar()
        .await
        .unwrap()
        .days_between(as_of.pred_opt().unwrap(), as_of, day_kind(&clock["day_kind"]));
    assert_eq!(read["excluded"].as_i64().unwrap(), pause_days, "{read}");
    assert_eq!(
        read["elapsed"].as_i64().unwrap(),
        clock["reading"]["elapsed"].as_i64().unwrap() - pause_days
    );

    // Paused again the same day: a new span beside the closed one, not refused.
    let (status, r) = coordinator
        .post(
            &format!("/api/v1/projects/{pid}/pause"),
            json!({"version": v + 2, "reason": "再次暂停"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
}

/// The fixtures of this module's write routes for the access walk (`security.rs`).
pub(crate) async fn write_fixtures(app: &TestApp) -> Fixtures {
    let (_, page) = app.get("/api/v1/projects?limit=500").await;
    let other = of_another_unit(&page)["id"].as_i64().unwrap();
    let as_of = app.store.as_of().await.unwrap();
    let span = app
        .store
        .add_clock_exclusion(
            other,
            &zhantu_store::NewExclusion {
                clock_name: None,
                from: as_of - chrono::Duration::days(10),
                until: None,
                reason: "测试用不计时段".into(),
            },
            &zhantu_store::AuditCtx::system("tests"),
        )
        .await
        .unwrap();
    let (id, v) = (span.id, span.version);
    vec![
        (
            ("POST", "/api/v1/projects/{id}/clock-exclusions"),
            Fixture::json(
                format!("/api/v1/projects/{other}/clock-exclusions"),
                json!({"from": as_of.to_string(), "until": as_of.to_string(), "reason": "业主自主准备时间"}),
                true,
                None,
            ),
        ),
        (
            ("POST", "/api/v1/clock-exclusions/{id}/close"),
            Fixture::versioned(format!("/api/v1/clock-exclusions/{id}/close"), json!({"version": v}), true),
        ),
        (
            ("DELETE", "/api/v1/clock-exclusions/{id}"),
            Fixture::versioned(format!("/api/v1/clock-exclusions/{id}"), json!({"version": v}), true),
        ),
    ]
}
