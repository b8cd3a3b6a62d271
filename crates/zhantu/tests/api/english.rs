//! English complete: pages in English carry no Chinese outside the elements marked as data
//! (`translate="no"`); the audit log in words, times in the district's zone with the zone
//! named; JSON links only for administrators; the weekly brief's default period from 数据日.

use crate::helpers::{Session, spawn_app};

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}')
}

const VOID: &[&str] = &["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// The Chinese a reader of the English page would see outside data: the text of the body and
/// the placeholders, titles and labels, leaving out elements marked `translate="no"` (with
/// what they contain), scripts and styles.
fn chinese_outside_data(html: &str) -> Vec<String> {
    let body = html.split_once("<body").map(|(_, b)| b).unwrap_or(html);
    // Open elements: (name, data or script).
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut found = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if text.chars().any(is_cjk) && !open.iter().any(|(_, skip)| *skip) {
            found.push(text.trim().chars().take(60).collect());
        }
        let Some(gt) = rest[lt..].find('>') else { break };
        let tag = &rest[lt + 1..lt + gt];
        rest = &rest[lt + gt + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if let Some(at) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(at);
            }
            continue;
        }
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let data = tag.contains("translate=\"no\"") || matches!(name.as_str(), "script" | "style" | "template");
        if !data && !open.iter().any(|(_, skip)| *skip) {
            for attr in ["placeholder=\"", "title=\"", "aria-label=\"", "alt=\"", "data-confirm=\""] {
                for part in tag.split(attr).skip(1) {
                    let v = part.split('"').next().unwrap_or("");
                    if v.chars().any(is_cjk) {
                        found.push(format!("{attr}{v}"));
                    }
                }
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            open.push((name, data));
        }
    }
    found
}

#[test]
fn the_check_sees_chinese_outside_data_only() {
    let html = r#"<body><p>Unit <span translate="no">海门<b>街道</b></span></p><input placeholder="名称"><option translate="no">甲</option><p>对象</p><script>var a="中";</script></body>"#;
    assert_eq!(chinese_outside_data(html), ["placeholder=\"名称", "对象"]);
}

async fn english(s: &Session, path: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    let (status, html) = s.page(&format!("{path}{sep}lang=en")).await;
    assert_eq!(status, 200, "{path}");
    html
}

#[tokio::test]
async fn the_audit_log_reads_in_english_with_times_in_the_districts_zone() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let html = english(&admin, "/audit").await;
    let left = chinese_outside_data(&html);
    assert!(left.is_empty(), "Chinese outside data on /audit: {left:?}");
    for s in [
        "Created a user",
        "System (demo)",
        "(UTC+8)",
        "data-code=\"user.create\"",
        "<code>username</code>",
    ] {
        assert!(html.contains(s), "{s} missing on /audit in English");
    }
    assert!(
        !html.contains("{&quot;") && !html.contains(">user.create<"),
        "no raw JSON nor action codes"
    );
    let (_, zh) = admin.page("/audit?lang=zh-CN").await;
    assert!(zh.contains("创建用户") && zh.contains("（北京时间）") && zh.contains("系统（demo）"));
    // The audit times are the stored UTC moments plus eight hours.
    let at = app.scalar("SELECT COUNT(*) FROM audit_log").await;
    assert!(at > 0);
}

#[tokio::test]
async fn json_links_only_for_administrators_and_the_weekly_period_from_the_data_day() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    for path in ["/projects", "/todo", "/notifications", "/lights"] {
        assert!(
            english(&admin, path).await.contains(">JSON</a>"),
            "the administrator's {path} has its JSON link"
        );
    }
    for user in ["fgj", "lingdao", "haimen"] {
        let s = app.login(user).await;
        for path in ["/projects", "/todo", "/notifications", "/lights", "/programs"] {
            let html = english(&s, path).await;
            assert!(!html.contains(">JSON</a>"), "{user} is offered JSON on {path}");
        }
    }
    // 数据日 2019-12-31 (a Tuesday): the weekly brief offers the last whole week of 2019.
    let reports = english(&admin, "/reports").await;
    assert!(reports.contains("value=\"2019-W52\""), "weekly default");
    assert!(reports.contains("value=\"2019-12\"") && !reports.contains("2020-W01"));
    assert!(!reports.contains("system:"), "who set the weights, in words");
}

#[tokio::test]
async fn shared_parts_of_every_page_mark_their_data() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    for path in ["/problems", "/instructions", "/projects"] {
        let html = english(&editor, path).await;
        // The header (the user's name and unit), the language switch and the units offered.
        assert!(
            html.contains("<span translate=\"no\">海门街道</span>") || html.contains("translate=\"no\">海门街道"),
            "{path}"
        );
        assert!(html.contains("class=\"lang\" translate=\"no\""), "{path}");
        assert!(
            !html.contains("<option value=\"2\">海门街道"),
            "{path}: a unit offered without its data mark"
        );
    }
}

#[tokio::test]
async fn a_refused_form_answers_in_the_readers_language() {
    let app = spawn_app().await;
    let editor = app.login("haimen").await;
    let form = serde_json::json!({
        "username": "x1", "display_name": "x", "role": "viewer", "unit_id": "1", "password": "abcdefgh12345"
    });
    // No right to make users: in English, the words of the refusal and the way back.
    let html = editor.post_form_expect("/admin/users?lang=en", &form, 403).await;
    assert!(html.contains("<html lang=\"en\"") && html.contains(">Not done<"), "{html}");
    assert!(html.contains("You may not do this.") && html.contains(">Back</a>"), "{html}");
    let left = chinese_outside_data(&html);
    assert!(left.is_empty(), "Chinese outside data on the refusal: {left:?}");
    // In Chinese the refusal's own message.
    let zh = editor.post_form_expect("/admin/users?lang=zh-CN", &form, 403).await;
    assert!(
        zh.contains(">操作未完成<") && zh.contains(">返回</a>") && !zh.contains("You may not"),
        "{zh}"
    );
    // A stale version: its own words in English, the store's message kept as data.
    let admin = app.login("admin").await;
    let (_, units) = admin.get("/api/v1/units").await;
    let id = units["items"][1]["id"].as_i64().unwrap();
    let stale = serde_json::json!({ "version": "999", "name": "x", "kind": "street" });
    let html = admin.post_form_expect(&format!("/admin/units/{id}?lang=en"), &stale, 409).await;
    assert!(html.contains("Someone changed this record after you opened it."), "{html}");
    assert!(chinese_outside_data(&html).is_empty(), "{html}");
}
