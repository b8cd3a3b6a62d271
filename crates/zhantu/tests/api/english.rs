//! English complete: pages in English carry no Chinese outside the elements marked as data
//! (`translate="no"`); the audit log in words, times in the district's zone with the zone
//! named; JSON links only for administrators; the weekly brief's default period from 数据日.

use crate::helpers::{Session, spawn_app, status_of};

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}')
}

const VOID: &[&str] = &["area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"];

/// The Chinese a reader of the English page would see outside data: the text of the body and
/// the placeholders, titles and labels, leaving out elements marked `translate="no"` (with
/// what they contain), scripts and styles.
pub(crate) fn chinese_outside_data(html: &str) -> Vec<String> {
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
    // A project changed: its fields (`location`, `planned_start_on`) named in words.
    let (id, v) = app.first_project("").await;
    let change = serde_json::json!({"version": v, "location": "新地址", "planned_start_on": "2020-03-01"});
    let (status, _) = admin.patch(&format!("/api/v1/projects/{id}"), change).await;
    assert_eq!(status, 200);
    let html = english(&admin, &format!("/audit?entity=project&entity_id={id}")).await;
    for s in [
        "data-field=\"location\">Location</span>",
        "data-field=\"planned_start_on\">Planned start</span>",
    ] {
        assert!(html.contains(s), "{s} missing on /audit in English");
    }
    assert!(!html.contains("<code>location</code>") && !html.contains("<code>version</code>"));
    let html = english(&admin, "/audit").await;
    let left = chinese_outside_data(&html);
    assert!(left.is_empty(), "Chinese outside data on /audit: {left:?}");
    for s in [
        "Created a user",
        "System (demo)",
        "(UTC+8)",
        "data-code=\"user.create\"",
        // Changed fields in words, the key kept for tools.
        "data-field=\"username\">Username</span>",
    ] {
        assert!(html.contains(s), "{s} missing on /audit in English");
    }
    assert!(
        !html.contains("{&quot;") && !html.contains(">user.create<"),
        "no raw JSON nor action codes"
    );
    assert!(!html.contains("<code>username</code>"), "a known field is not shown as its key");
    let (_, zh) = admin.page("/audit?lang=zh-CN").await;
    assert!(zh.contains("创建用户") && zh.contains("（北京时间）") && zh.contains("系统（demo）"));
    assert!(zh.contains("data-field=\"username\">用户名</span>"));
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
    // The unit named is outside the editor's scope: the refusal's own code has its sentence.
    assert!(html.contains("outside your unit") && html.contains(">Back</a>"), "{html}");
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

/// The flash of a refused form (`<p class="error" role="alert">…</p>`), as HTML.
fn refusal_flash(html: &str) -> String {
    let from = html
        .find("<p class=\"error\" role=\"alert\">")
        .unwrap_or_else(|| panic!("no refusal flash: {html}"));
    let to = from + html[from..].find("</p>").expect("the flash ends");
    html[from..to + 4].to_string()
}

/// Posts a form as an English reader and follows the answer back to the page: the refusal
/// flash it shows, which must be English outside the values it quotes (marked as data).
async fn refused_in_english(s: &Session, path: &str, form: &serde_json::Value) -> String {
    let resp = s.post_form_response(&format!("{path}?lang=en"), form, true).await;
    assert_eq!(status_of(&resp), 303, "{path}");
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.contains("error="), "{path} answered {to}");
    let flash = refusal_flash(&english(s, &to).await);
    let left = chinese_outside_data(&format!("<body>{flash}</body>"));
    assert!(left.is_empty(), "{path}: Chinese outside data in the flash {flash}: {left:?}");
    flash
}

#[tokio::test]
async fn a_refused_forms_flash_is_english_for_an_english_reader() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let fgj = app.login("fgj").await;
    // An empty lead name.
    let (_, leads) = admin.get("/api/v1/leads").await;
    let team = leads["items"][0]["team_unit_id"].as_i64().unwrap();
    let flash = refused_in_english(&admin, "/attraction/leads", &serde_json::json!({"name": " ", "team_unit_id": team})).await;
    assert!(
        flash.contains("The lead&#39;s name must be 1 to 200 characters.")
            || flash.contains("The lead's name must be 1 to 200 characters."),
        "{flash}"
    );
    // A bad date: the date as typed, quoted.
    let flash = refused_in_english(&fgj, "/land/grants", &serde_json::json!({"area": "10", "entry_on": "2019-13-45"})).await;
    assert!(flash.contains("Date “2019-13-45” is not valid"), "{flash}");
    // A land quota over the balance.
    let (_, land) = fgj.get("/api/v1/land").await;
    let balance = land["balance"]["balance"].as_i64().unwrap();
    let (project, _) = app.first_project("").await;
    let too_much = format!("{}.{:02}", (balance + 100) / 100, (balance + 100) % 100);
    let flash = refused_in_english(
        &fgj,
        "/land/allocations",
        &serde_json::json!({"project_id": project.to_string(), "area": too_much}),
    )
    .await;
    assert!(
        flash.contains("The land quota&#39;s balance is not enough") || flash.contains("The land quota's balance is not enough"),
        "{flash}"
    );
    // A duplicate unit: its name, typed in Chinese, quoted and marked as data.
    let (_, units) = admin.get("/api/v1/units").await;
    let (top, taken) = (
        units["items"][0]["id"].as_i64().unwrap(),
        units["items"][1]["name"].as_str().unwrap().to_string(),
    );
    let form = serde_json::json!({"name": taken, "kind": "street", "parent_id": top.to_string()});
    let flash = refused_in_english(&admin, "/admin/units", &form).await;
    assert!(
        flash.contains(&format!("An active unit is already called “<span translate=\"no\">{taken}</span>”")),
        "{flash}"
    );
    // The same refusal to a Chinese reader: the store's own words.
    let resp = admin.post_form_response("/admin/units?lang=zh-CN", &form, true).await;
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    let (_, zh) = admin.page(&format!("{to}&lang=zh-CN")).await;
    assert!(refusal_flash(&zh).contains(&format!("已有启用的单位叫“{taken}”")), "{zh}");
    // A new project's refused fields, each named in words beside its sentence.
    let (status, html) = fgj
        .post_form(
            "/projects/new?lang=en",
            &serde_json::json!({"name": "试验项目", "stage_on": "2019-13-45", "planned_year": "2019"}),
            true,
        )
        .await;
    assert_eq!(status, 400, "{html}");
    let from = html.find("id=\"new-project-errors\"").expect("the list of refused fields");
    let list = &html[from..from + html[from..].find("</div>").unwrap()];
    assert!(
        list.contains("This must be filled in.") && list.contains("Date “2019-13-45” is not valid"),
        "{list}"
    );
    let left = chinese_outside_data(&format!("<body><div {list}</div></body>"));
    assert!(left.is_empty(), "Chinese outside data among the refused fields: {left:?}");
}

/// Each run of Chinese in `text`.
fn cjk_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// The text of each element that starts with `open` (`<span class="light-why"`), to its
/// matching end tag, with the markup inside (names marked as data) left out.
fn texts_of(html: &str, open: &str) -> Vec<String> {
    let name: String = open[1..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
    let mut out = Vec::new();
    for part in html.split(open).skip(1) {
        let Some((_, mut rest)) = part.split_once('>') else { continue };
        let (mut depth, mut text) = (1, String::new());
        while let Some(lt) = rest.find('<') {
            text.push_str(&rest[..lt]);
            let Some(gt) = rest[lt..].find('>') else { break };
            let tag = &rest[lt + 1..lt + gt];
            rest = &rest[lt + gt + 1..];
            let tag_name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if tag_name == name {
                depth += if tag.starts_with('/') { -1 } else { 1 };
                if depth == 0 {
                    break;
                }
            }
        }
        out.push(text.replace("&#39;", "'").replace("&amp;", "&"));
    }
    out
}

/// The page without its drawings: an SVG's tooltips repeat the page's data (names) around
/// English words, which the reasons' own checks look at (as the browser test allows them).
fn without_svg(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<svg") {
        out.push_str(&rest[..at]);
        rest = rest[at..].split_once("</svg>").map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

/// Every reason is English but for the names it holds (node, project and unit names).
fn english_but_names(reasons: &[String], names: &std::collections::HashSet<String>, what: &str) {
    assert!(!reasons.is_empty(), "{what}: no reasons");
    for r in reasons {
        for run in cjk_runs(r) {
            assert!(names.iter().any(|n| n.contains(&run)), "{what}: Chinese outside names in {r:?}");
        }
    }
}

#[tokio::test]
async fn node_and_project_reasons_read_in_english_with_names_as_recorded() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let names: std::collections::HashSet<String> = sqlx::query_scalar::<_, String>(
        "SELECT name FROM nodes UNION SELECT name FROM projects UNION SELECT name FROM units UNION SELECT name FROM approval_clocks",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap()
    .into_iter()
    .collect();
    let missing = app
        .scalar("SELECT COUNT(*) FROM nodes WHERE light IS NOT NULL AND (light_reason_en IS NULL OR light_reason_en = '')")
        .await;
    assert_eq!(missing, 0, "the lights run keeps every node's reason in English");

    // The project page's node list: each light with its English reason beside it.
    let project = app
        .scalar("SELECT MIN(project_id) FROM nodes WHERE light = 'red' AND status <> 'closed'")
        .await;
    let html = english(&admin, &format!("/projects/{project}")).await;
    let left = chinese_outside_data(&without_svg(&html));
    assert!(left.is_empty(), "Chinese outside data on the project page: {left:?}");
    let reasons = texts_of(&html, "<span class=\"light-why\"");
    english_but_names(&reasons, &names, "project page");
    assert!(reasons.iter().any(|r| r.contains("overdue by")), "{reasons:?}");
    // The timeline's tooltips too.
    let tips: Vec<String> = texts_of(&html, "<title").into_iter().filter(|t| t.contains(" · ")).collect();
    assert!(tips.iter().any(|t| t.contains("overdue by")), "{tips:?}");
    // The light history: each month's reason, in English.
    assert!(html.contains("Why each month had its light"), "the history lists its reasons");
    let history = html.split("id=\"light-history\"").nth(1).unwrap_or("");
    let months: Vec<String> = texts_of(history, "<li").into_iter().filter(|t| t.contains(": ")).collect();
    english_but_names(&months, &names, "light history");
    assert!(months.iter().any(|m| m.contains("Red: ")), "{months:?}");
    // In Chinese, the reason is the badge's tooltip, as before.
    let (_, zh) = admin.page(&format!("/projects/{project}?lang=zh-CN")).await;
    assert!(!zh.contains("light-why") && zh.contains("逾期"));

    // The nodes due in the year and not closed: each with its light and English reason.
    let html = english(&admin, "/nodes?due_from=2019-01-01&due_to=2019-12-31&late=1").await;
    assert!(chinese_outside_data(&html).is_empty(), "{:?}", chinese_outside_data(&html));
    let reasons = texts_of(&html, "<span class=\"light-why\"");
    english_but_names(&reasons, &names, "/nodes");
    assert!(reasons.iter().all(|r| r.contains("overdue by") || r.contains("due")), "{reasons:?}");

    // The registry: the headline reason in English.
    let html = english(&admin, "/projects?light=red").await;
    assert!(chinese_outside_data(&html).is_empty(), "{:?}", chinese_outside_data(&html));
    let reasons = texts_of(&html, "<span class=\"light-why\"");
    english_but_names(&reasons, &names, "/projects");
    assert!(reasons.iter().all(|r| r.starts_with("Red: ")), "{reasons:?}");
    let (_, list) = admin.get("/api/v1/projects?light=red&limit=5").await;
    for p in list["items"].as_array().unwrap() {
        assert!(p["light_reason_en"].as_str().unwrap().starts_with("Red: "), "{p}");
    }

    // The battle map: each project's and node's tooltip.
    let html = english(&admin, "/battle-map?light=red").await;
    let tips = texts_of(&html, "<title");
    english_but_names(&tips, &names, "/battle-map");
    assert!(tips.iter().any(|t| t.contains("· Red: ")), "a project's headline");
    assert!(tips.iter().any(|t| t.contains("overdue by")), "a node's reason");

    // The list of a past month's lit projects: the reason it had then, in English.
    let html = english(&admin, "/lights?light=red&light_month=2019-12").await;
    assert!(chinese_outside_data(&html).is_empty(), "{:?}", chinese_outside_data(&html));
    let reasons = texts_of(&html, "<ul class=\"reasons\"><li");
    english_but_names(&reasons, &names, "/lights for December");
}

#[tokio::test]
async fn rows_lit_before_english_reasons_were_kept_get_them_from_the_next_run() {
    let app = spawn_app().await;
    // As 0025 leaves a database: no English reason, no node pack.
    app.execute("UPDATE nodes SET light_reason_en = NULL").await;
    app.execute("UPDATE projects SET node_pack = NULL").await;
    let admin = app.login("admin").await;
    let project = app
        .scalar("SELECT MIN(project_id) FROM nodes WHERE light = 'red' AND status <> 'closed'")
        .await;
    // Until then, the Chinese reason, marked as data.
    let html = english(&admin, &format!("/projects/{project}")).await;
    assert!(html.contains("<span class=\"light-why\" translate=\"no\" lang=\"zh-CN\">"));
    let left = chinese_outside_data(&without_svg(&html));
    assert!(left.is_empty(), "{left:?}");
    app.store.recompute_lights("test").await.unwrap();
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM nodes WHERE light IS NOT NULL AND light_reason_en IS NULL")
            .await,
        0
    );
    let html = english(&admin, &format!("/projects/{project}")).await;
    assert!(!html.contains("<span class=\"light-why\" translate=\"no\"") && html.contains("overdue by"));
}
