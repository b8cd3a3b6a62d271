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

/// The four reports in English: the page has no Chinese outside data, and neither has the
/// document of the .docx download (the data's Chinese is only in the table cells and names).
#[tokio::test]
async fn the_four_reports_read_in_english() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    for (kind, period, heading) in [
        ("weekly", "2019-W52", "1. Red projects"),
        ("monthly", "2019-12", "1. Investment completed"),
        ("supervision", "2019-B6", "2. Lagging projects"),
        ("quarterly", "2019-Q4", "2. Results"),
    ] {
        let html = english(&admin, &format!("/reports/{kind}/{period}")).await;
        assert!(html.contains(heading), "{kind}: {heading}");
        let chinese = chinese_outside_data(&html);
        assert!(chinese.is_empty(), "{kind}: Chinese outside data: {chinese:?}");
        // The same report in Chinese is unchanged.
        let (_, zh) = admin.page(&format!("/reports/{kind}/{period}")).await;
        assert!(zh.contains("<h1 translate=\"no\">椒江区"), "{kind}: the Chinese title");
        let (status, model) = app.get(&format!("/api/v1/reports/{kind}/{period}?lang=en")).await;
        assert_eq!(status, 200, "{model}");
        assert_eq!(model["lang"], "en");
        let (_, zh_model) = app.get(&format!("/api/v1/reports/{kind}/{period}")).await;
        assert!(zh_model.get("lang").is_none(), "the Chinese model's JSON is as before");
        assert_eq!(
            model["key_figures"].as_array().unwrap().len(),
            zh_model["key_figures"].as_array().unwrap().len()
        );
    }
}

/// Issuing freezes both languages; the issued page and its downloads follow the reader's
/// language; an issue frozen before there was English shows its Chinese text with a note.
#[tokio::test]
async fn issuing_freezes_the_report_in_both_languages() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let (status, issued) = fgj.send("POST", "/api/v1/reports/supervision/2019-B6/issue", None, true).await;
    assert_eq!(status, 201, "{issued}");
    let id = issued["id"].as_i64().unwrap();
    let (zh, en) = (&issued["report"], &issued["report_en"]);
    assert_eq!(en["lang"], "en");
    assert_eq!(en["issue_no"], zh["issue_no"]);
    assert_eq!(en["audit_head"], zh["audit_head"]);
    let figures = |r: &serde_json::Value| {
        r["key_figures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| (k["key"].clone(), k["value"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(figures(zh), figures(en), "the same key figures in both languages");
    let stored: String = sqlx::query_scalar("SELECT content_json FROM issued_reports WHERE id = $1")
        .bind(id)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["en"]["lang"], "en", "both frozen");
    assert_eq!(&stored["zh"], zh);

    let page = english(&fgj, &format!("/reports/issued/{id}")).await;
    assert!(page.contains("2019 No. 1"), "the English document number");
    assert!(!page.contains("no English text was frozen"));
    let chinese = chinese_outside_data(&page);
    assert!(chinese.is_empty(), "issued, in English: {chinese:?}");
    let (_, zh_page) = fgj.page(&format!("/reports/issued/{id}")).await;
    assert!(zh_page.contains("2019年第1期"), "the Chinese issue");
    let docx = app.download(&format!("/reports/issued/{id}.docx?lang=en")).await;
    assert_eq!(docx.status, 200);
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx.body)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("Lagging projects"), "the English .docx");
    let cmp = english(&fgj, &format!("/reports/issued/{id}/compare")).await;
    assert!(chinese_outside_data(&cmp).is_empty(), "compare, in English");

    // An issue frozen before there was English (the Chinese model alone) still loads.
    let zh_only = zh.to_string().replace('\'', "''");
    app.execute(&format!("UPDATE issued_reports SET content_json = '{zh_only}' WHERE id = {id}"))
        .await;
    let (status, got) = app.get(&format!("/api/v1/reports/issued/{id}")).await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["report_en"], serde_json::Value::Null);
    let page = english(&fgj, &format!("/reports/issued/{id}")).await;
    assert!(page.contains("no English text was frozen"), "the note");
    assert!(page.contains("2019年第1期"), "the Chinese frozen text");
    let chinese = chinese_outside_data(&page);
    assert!(chinese.is_empty(), "the Chinese text is marked as of record: {chinese:?}");
}

/// A supervision round's generated summary reads in English; a closed round's report of
/// record is shown as written, marked as such.
#[tokio::test]
async fn a_rounds_summary_reads_in_english() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let (status, created) = fgj
        .send(
            "POST",
            "/api/v1/supervision",
            Some(serde_json::json!({ "name": "英文督查", "summary": "", "suggested": 2 })),
            true,
        )
        .await;
    assert!(status == 200 || status == 201, "{created}");
    let id = created["id"].as_i64().unwrap_or_else(|| created.as_i64().expect("the round's id"));
    let (_, detail) = app.get(&format!("/api/v1/supervision/{id}")).await;
    let project = detail["targets"][0]["project_id"].as_i64().expect("a target");
    let (status, _) = fgj
        .send(
            "POST",
            &format!("/api/v1/supervision/{id}/findings"),
            Some(serde_json::json!({ "project_id": project, "finding": "现场未开工", "deadline": "2020-01-31" })),
            true,
        )
        .await;
    assert_eq!(status, 200);
    let html = english(&fgj, &format!("/supervision/{id}")).await;
    assert!(html.contains("projects visited on site"), "the English summary");
    assert!(html.contains("(follow-up problem #"), "the follow-up in English");
    let chinese = chinese_outside_data(&html);
    assert!(chinese.is_empty(), "round {id}: {chinese:?}");
    let (_, zh) = fgj.page(&format!("/supervision/{id}")).await;
    assert!(zh.contains("带队开展“英文督查”"), "the Chinese summary as before");
    // Every round of the demo, open or closed, reads in English outside data.
    let (_, rounds) = app.get("/api/v1/supervision").await;
    let items = rounds["items"].as_array().or(rounds.as_array()).expect("rounds").clone();
    assert!(items.len() > 1);
    for r in &items {
        let id = r["id"].as_i64().unwrap();
        let html = english(&fgj, &format!("/supervision/{id}")).await;
        let chinese = chinese_outside_data(&html);
        assert!(chinese.is_empty(), "round {id}: {chinese:?}");
    }
}
