//! End-to-end tests of the reports area: the four reports of the cadence on the demo
//! district (the December 2019 monthly analysis shows SCENARIO-2019.md's figures), every
//! format, issuing (frozen with its data version, compared with the previous issue), the
//! evaluation weights and who may do what.

use crate::helpers::{TestApp, demo_base, demo_get, download, find_by, spawn_app};
use crate::security::{Fixture, Fixtures};
use serde_json::{Value, json};
use std::io::Read;

/// How the access test exercises this area's write routes (one entry per route in
/// `zhantu_web::write_routes()`).
pub(crate) async fn write_fixtures(_app: &TestApp) -> Fixtures {
    let weights =
        |version: i64| json!({"version": version, "on_time": 20, "investment": 35, "landing": 20, "problems": 15, "timeliness": 10});
    vec![
        (
            ("POST", "/api/v1/reports/{kind}/{period}/issue"),
            Fixture::json("/api/v1/reports/monthly/2019-12/issue", json!({}), true, None),
        ),
        (
            ("PUT", "/api/v1/reports/weights"),
            Fixture::json("/api/v1/reports/weights", weights(1), true, Some(weights(0))),
        ),
        (
            ("POST", "/reports/{kind}/{period}/issue"),
            Fixture::form("/reports/weekly/2019-W50/issue", json!({}), true, None),
        ),
        (
            ("POST", "/reports/weights"),
            Fixture::form("/reports/weights", weights(1), true, Some(weights(0))),
        ),
    ]
}

fn key_figure<'a>(report: &'a Value, key: &str) -> &'a str {
    find_by(&report["key_figures"], "key", key)["value"].as_str().unwrap()
}

fn table<'a>(report: &'a Value, sheet: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tables"].as_array().unwrap())
        .find(|t| t["sheet"] == sheet)
        .unwrap_or_else(|| panic!("no table {sheet}"))
}

fn cell(c: &Value) -> String {
    match &c["v"] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

/// `"1,234.56"` (万元) → 1234.56.
fn wan(s: &str) -> f64 {
    s.replace(',', "").parse().unwrap()
}

#[tokio::test]
async fn the_december_2019_monthly_analysis_shows_the_scenario_figures() {
    let (status, r) = demo_get("/api/v1/reports/monthly/2019-12").await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["title"], "椒江区重大项目建设月度分析");
    assert_eq!(r["period_label"], "2019年12月");
    assert_eq!(r["as_of"], "2019-12-31");
    assert_eq!(r["issue_no"], Value::Null, "a draft has no issue number");
    // The land quota of the seed (485 亩 granted) and the attraction funnel have their section.
    let text = r.to_string();
    assert!(text.contains("用地指标：年内上级下达485亩"), "land quota in the monthly analysis");
    assert!(
        text.contains("招商引资：在谈、签约、落地项目共"),
        "attraction in the monthly analysis"
    );

    // FAI growth 33.1 % against the province's 10.1 %: 23 points higher.
    assert_eq!(key_figure(&r, "fai_growth"), "33.1%");
    assert_eq!(key_figure(&r, "fai_province"), "10.1%");
    let summary = r["summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect::<String>();
    assert!(
        summary.contains("同比增长33.1%，高于全省平均增速（10.1%）23.0个百分点"),
        "{summary}"
    );

    // Landing rates: 省"152" 5 / 4 → 80 % (target 50 %), 市县长 12 / 6 → 50 % (target 30 %).
    let landing = table(&r, "落地率");
    let row = |name: &str| {
        landing["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|row| cell(&row[0]) == name)
            .unwrap_or_else(|| panic!("no landing row {name}: {landing}"))
            .as_array()
            .unwrap()
            .iter()
            .map(cell)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("省\"152\"项目")[1..6], ["5", "4", "800", "500", "达标"]);
    assert_eq!(row("市县长项目")[1..6], ["12", "6", "500", "300", "达标"]);
    assert_eq!(row("千亿产业培育工程")[1..3], ["14", "14"]);
    assert_eq!(row("产业数字化项目")[1..3], ["10", "10"]);

    // Groundbreaking batches: 5 batches, 38 projects, 363.5 亿元 total, 94.1 亿元 annual.
    assert_eq!(key_figure(&r, "batches"), "5");
    assert_eq!(key_figure(&r, "batch_projects"), "38");
    assert!(
        r.to_string()
            .contains("集中开工5批次，开工项目38个，总投资363.50亿元，年度计划投资94.10亿元")
    );
    // The 60-day campaign, all 60 target nodes closed out; six supervision rounds.
    let text = r.to_string();
    assert!(text.contains("目标节点60个、已销号60个，完成率100.0%"), "campaign line");
    assert!(text.contains("开展督查6轮"), "supervision rounds");

    // Investment: the same figures as the year's figures API, and 100 % time progress.
    let (_, f) = demo_get("/api/v1/figures?year=2019").await;
    let done: f64 = f["investment"]["completed_wan"].to_string().parse().unwrap();
    let plan: f64 = f["investment"]["planned_wan"].to_string().parse().unwrap();
    assert!(
        (wan(key_figure(&r, "completed")) - done).abs() < 0.01,
        "{} vs {done}",
        key_figure(&r, "completed")
    );
    assert!((wan(key_figure(&r, "planned")) - plan).abs() < 0.01);
    assert_eq!(key_figure(&r, "completion_rate"), format!("{}%", f["investment"]["rate_pct"]));
    assert_eq!(key_figure(&r, "time_progress"), "100.0%");
    assert_eq!(key_figure(&r, "problem_resolution"), format!("{}%", f["problems"]["rate_pct"]));
    // By unit and by category, each with its completion rate, and a chart of each.
    let by_unit = table(&r, "分单位");
    assert!(
        by_unit["rows"].as_array().unwrap().iter().any(|row| cell(&row[0]) == "海门街道"),
        "{by_unit}"
    );
    assert!(!table(&r, "分类别")["rows"].as_array().unwrap().is_empty());
    let charts: usize = r["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["charts"].as_array().unwrap().len())
        .sum();
    assert!(charts >= 4, "{charts} charts");

    // The page shows the same figures.
    let page = page_text("/reports/monthly/2019-12").await;
    assert!(
        page.contains("33.1%") && page.contains("80.0%") && page.contains("data-chart"),
        "page"
    );
}

/// A file of the demo's, as the administrator downloads it: status, content type, bytes.
async fn fetch(path: &str) -> (u16, String, Vec<u8>) {
    let d = download(demo_base(), path).await;
    (d.status, d.content_type().to_string(), d.body)
}

async fn page_text(path: &str) -> String {
    let (status, _, body) = fetch(path).await;
    assert_eq!(status, 200, "{path}");
    String::from_utf8(body).unwrap()
}

fn zip_entry(bytes: &[u8], name: &str) -> Option<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut f = z.by_name(name).ok()?;
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    Some(s)
}

#[tokio::test]
async fn every_report_renders_in_every_format() {
    for (kind, period, title) in [
        ("weekly", "2019-W50", "椒江区重大项目周例会简报"),
        ("monthly", "2019-12", "椒江区重大项目建设月度分析"),
        ("supervision", "2019-B6", "椒江区重大项目两月督查清单"),
        ("quarterly", "2019-Q4", "椒江区重大项目季度督评通报"),
    ] {
        let base = format!("/reports/{kind}/{period}");
        let html = page_text(&base).await;
        assert!(html.contains(title), "{kind}: html title");

        let (status, ctype, pdf) = fetch(&format!("{base}.pdf")).await;
        assert_eq!((status, ctype.as_str()), (200, "application/pdf"), "{kind}");
        assert!(pdf.starts_with(b"%PDF"), "{kind}: a PDF");
        let pages = pdf.windows(10).filter(|w| w == b"/Type /Pag" || w == b"/Type/Page").count();
        assert!(pages >= 1, "{kind}: has pages");

        let (status, _, xlsx) = fetch(&format!("{base}.xlsx")).await;
        assert_eq!(status, 200, "{kind}");
        let workbook = zip_entry(&xlsx, "xl/workbook.xml").expect("workbook.xml");
        assert!(workbook.contains("主要指标"), "{kind}: key figures sheet");
        assert!(zip_entry(&xlsx, "xl/worksheets/sheet2.xml").is_some(), "{kind}: the tables' sheets");

        let (status, _, docx) = fetch(&format!("{base}.docx")).await;
        if kind == "quarterly" {
            assert_eq!(status, 404, "the evaluation is a score sheet: no .docx");
        } else {
            assert_eq!(status, 200, "{kind}");
            let doc = zip_entry(&docx, "word/document.xml").expect("word/document.xml");
            assert!(doc.contains(title), "{kind}: title in the Word document");
        }
    }
    // The weekly brief lists the problems to coordinate; the supervision list its lagging
    // projects with causes and owners; the evaluation its ranking.
    let (_, w) = demo_get("/api/v1/reports/weekly/2019-W50").await;
    assert!(!table(&w, "待协调问题")["rows"].as_array().unwrap().is_empty(), "open problems");
    let (_, s) = demo_get("/api/v1/reports/supervision/2019-B6").await;
    let lag = table(&s, "滞后项目");
    assert_eq!(lag["columns"][7], "滞后原因");
    assert!(!lag["rows"].as_array().unwrap().is_empty());
    let (_, q) = demo_get("/api/v1/reports/quarterly/2019-Q4").await;
    let ranking = table(&q, "督评排名");
    let ranks: Vec<i64> = ranking["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0]["v"].as_i64().unwrap())
        .collect();
    assert!(
        ranks.len() > 3 && ranks[0] == 1 && ranks.windows(2).all(|w| w[0] <= w[1]),
        "{ranks:?}"
    );
}

#[tokio::test]
async fn bad_periods_and_kinds_are_refused_in_chinese() {
    let (status, e) = demo_get("/api/v1/reports/monthly/2019-13").await;
    assert_eq!(status, 400);
    assert_eq!(e["error"]["code"], "invalid_period");
    assert!(e["error"]["message"].as_str().unwrap().contains("报告期无效"), "{e}");
    let (status, _) = demo_get("/api/v1/reports/yearly/2019").await;
    assert_eq!(status, 404);
    let (status, _, _) = fetch("/reports/monthly/2019-12.exe").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn issuing_freezes_the_report_with_its_data_version() {
    let app = spawn_app().await;
    let fgj = app.login("fgj").await;
    let (status, first) = fgj.send("POST", "/api/v1/reports/monthly/2019-12/issue", None, true).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["issue_no"], 1);
    assert_eq!(first["report"]["issue_no"], 1);
    assert_eq!(first["issued_by"], "fgj");
    let id1 = first["id"].as_i64().unwrap();
    let seq1 = first["data_version"]["seq"].as_i64().unwrap();
    let completed1 = key_figure(&first["report"], "completed").to_string();

    // Nothing changed yet: the issue says so.
    let (_, got) = app.get(&format!("/api/v1/reports/issued/{id1}")).await;
    assert_eq!(got["data_changed_since"], false, "{got}");

    // Change the data: a project reports 50,000 万元 more in December.
    let (_, list) = app.get("/api/v1/projects?stage=construction&limit=5").await;
    let project = list["items"][0]["id"].as_i64().unwrap();
    let admin = app.login("admin").await;
    let (status, e) = admin
        .post(
            &format!("/api/v1/projects/{project}/reports"),
            json!({"period_kind": "month", "period_start": "2019-12-01", "body": "加快推进", "investment": 50000}),
        )
        .await;
    assert!(status == 200 || status == 201, "{status}: {e}");

    // The issued report still shows the old figures and knows the data changed since.
    let (_, got) = app.get(&format!("/api/v1/reports/issued/{id1}")).await;
    assert_eq!(key_figure(&got["report"], "completed"), completed1);
    assert_eq!(got["data_changed_since"], true);
    assert!(got["current_data_version"]["seq"].as_i64().unwrap() > seq1);
    assert_eq!(got["data_version"]["seq"].as_i64().unwrap(), seq1);
    // The live report has moved on.
    let (_, live) = app.get("/api/v1/reports/monthly/2019-12").await;
    let completed_now = key_figure(&live, "completed").to_string();
    assert_ne!(completed_now, completed1);

    // Its files are rendered from the frozen model.
    let pdf = app.download(&format!("/reports/issued/{id1}.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert!(pdf.body.starts_with(b"%PDF"));
    let page = app.download(&format!("/reports/issued/{id1}")).await.text();
    assert!(page.contains("2019年第1期") && page.contains(&completed1), "issued page");
    // The issued document carries the audit chain's head it was issued at (#16: anchors on
    // every issued report), the same entry as the issue's data version.
    let (seq_no, hash) = (
        first["data_version"]["seq"].as_i64().unwrap(),
        first["data_version"]["hash"].as_str().unwrap().to_string(),
    );
    let head = format!("审计链第{seq_no}条 {}", &hash[..12]);
    assert_eq!(first["report"]["audit_head"], json!([seq_no, hash]));
    assert!(page.contains(&head), "the issued page prints {head}");
    let docx = app.download(&format!("/reports/issued/{id1}.docx")).await;
    assert_eq!(docx.status, 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx.body)).expect("a docx is a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").expect("document.xml"), &mut xml).unwrap();
    assert!(xml.contains(&head), "the issued .docx prints {head}");
    assert!(page.contains("签发后数据已有变化"), "the page says the data changed");

    // The next issue is number 2, and the comparison shows what changed.
    let (status, second) = fgj.send("POST", "/api/v1/reports/monthly/2019-12/issue", None, true).await;
    assert_eq!(status, 201, "{second}");
    assert_eq!(second["issue_no"], 2);
    let id2 = second["id"].as_i64().unwrap();
    let (_, cmp) = app.get(&format!("/api/v1/reports/issued/{id2}/compare")).await;
    assert_eq!(cmp["previous"]["id"], id1, "{cmp}");
    let c = find_by(&cmp["changes"], "key", "completed");
    assert_eq!(
        (c["current"].as_str(), c["previous"].as_str(), c["changed"].as_bool()),
        (Some(completed_now.as_str()), Some(completed1.as_str()), Some(true))
    );
    let same = find_by(&cmp["changes"], "key", "fai_growth");
    assert_eq!(same["changed"], false);
    let (_, listed) = app.get("/api/v1/reports/issued?kind=monthly").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    // Issuing is audited; the issue number is per kind.
    let issued = app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'cadence.issue'").await;
    assert_eq!(issued, 2);
    let (status, weekly) = admin.send("POST", "/api/v1/reports/weekly/2019-W52/issue", None, true).await;
    assert_eq!((status, weekly["issue_no"].as_i64()), (201, Some(1)));

    // The page form issues too, and lands on the issued report.
    admin.post_form_expect("/reports/supervision/2019-B6/issue", &json!({}), 303).await;
}

#[tokio::test]
async fn only_coordinators_and_admins_issue_reports() {
    let app = spawn_app().await;
    for user in ["haimen", "lingdao", "chakan"] {
        let s = app.login(user).await;
        let (status, e) = s.send("POST", "/api/v1/reports/quarterly/2019-Q4/issue", None, true).await;
        assert_eq!(status, 403, "{user}: {e}");
        assert!(e["error"]["message"].as_str().unwrap().contains("签发"), "{e}");
        // Everyone signed in reads the reports.
        let (status, _) = s.get("/api/v1/reports/quarterly/2019-Q4").await;
        assert_eq!(status, 200, "{user} reads");
    }
    let (_, listed) = app.get("/api/v1/reports/issued").await;
    assert!(listed["items"].as_array().unwrap().is_empty());
    let page = app.download("/reports").await.text();
    assert!(
        page.contains("周例会简报") && page.contains("2019-W01") || page.contains("季度督评"),
        "index page"
    );
}

#[tokio::test]
async fn evaluation_weights_are_validated_versioned_and_published() {
    let app = spawn_app().await;
    let (status, w) = app.get("/api/v1/reports/weights").await;
    assert_eq!(status, 200, "{w}");
    assert_eq!(w["current"]["version"], 1);
    assert_eq!(
        w["current"]["weights"],
        json!({"on_time": 25, "investment": 30, "landing": 20, "problems": 15, "timeliness": 10})
    );

    let fgj = app.login("fgj").await;
    let body = |version: i64, on_time: u32| json!({"version": version, "on_time": on_time, "investment": 30, "landing": 20, "problems": 15, "timeliness": 10});
    let (status, e) = fgj.put("/api/v1/reports/weights", body(1, 30)).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["error"]["code"], "invalid_weights");
    assert!(e["error"]["message"].as_str().unwrap().contains("之和应为100，现为105"), "{e}");
    let (status, e) = fgj.put("/api/v1/reports/weights", json!({"version": 1, "on_time": -5})).await;
    assert_eq!(status, 400, "{e}");

    let (status, saved) = fgj.put("/api/v1/reports/weights", body(1, 25)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["version"], 2);
    // A second edit based on version 1 is stale.
    let (status, e) = fgj.put("/api/v1/reports/weights", body(1, 25)).await;
    assert_eq!(status, 409, "{e}");
    assert_eq!(e["error"]["code"], "stale_version");

    let haimen = app.login("haimen").await;
    let (status, _) = haimen.put("/api/v1/reports/weights", body(2, 25)).await;
    assert_eq!(status, 403);

    // The quarterly evaluation states and uses the version in force.
    let (_, q) = app.get("/api/v1/reports/quarterly/2019-Q4").await;
    assert_eq!(key_figure(&q, "weights_version"), "2");
    assert!(q["summary"][0].as_str().unwrap().contains("第2版考核权重"), "{}", q["summary"][0]);
    assert!(
        q.to_string().contains("期末后5个工作日内"),
        "the deadline of the rule set's 填报 rule"
    );
    let (_, w) = app.get("/api/v1/reports/weights").await;
    assert_eq!(w["history"].as_array().unwrap().len(), 2);

    // The page's form publishes version 3; a form based on version 2 is then stale.
    let form = json!({"version": "2", "on_time": "20", "investment": "35", "landing": "20", "problems": "15", "timeliness": "10"});
    fgj.post_form_expect("/reports/weights", &form, 303).await;
    fgj.post_form_expect("/reports/weights", &form, 409).await;
    let bad = json!({"version": "3", "on_time": "90", "investment": "35", "landing": "20", "problems": "15", "timeliness": "10"});
    let body = fgj.post_form_expect("/reports/weights", &bad, 400).await;
    assert!(body.contains("之和应为100"), "{body}");
    let (_, w) = app.get("/api/v1/reports/weights").await;
    assert_eq!(w["current"]["version"], 3);
    assert_eq!(w["current"]["weights"]["investment"], 35);
}

#[tokio::test]
async fn the_cli_writes_each_format() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    for (kind, period, format, magic) in [
        ("monthly", "2019-12", "pdf", &b"%PDF"[..]),
        ("supervision", "2019-B6", "docx", &b"PK"[..]),
        ("quarterly", "2019-Q4", "xlsx", &b"PK"[..]),
        ("weekly", "2019-W50", "html", &b"<!doctype html>"[..]),
    ] {
        let out = dir.path().join(format!("{kind}.{format}"));
        let o = app.zhantu(&[
            "report",
            kind,
            "--period",
            period,
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
        assert!(String::from_utf8_lossy(&o.stdout).contains("已生成"), "{kind}");
        assert!(std::fs::read(&out).unwrap().starts_with(magic), "{kind}.{format}");
    }
    let o = app.zhantu(&["report", "monthly", "--period", "2019-13"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("报告期无效"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The names of the done-when of issue #21: characters of level 1 outside GB2312 (犇 堃 喆 镕),
/// Extension A (䶮) and Extension B (𠮷 𡈼).
const RARE_NAMES: [&str; 2] = ["浙江犇鑫堃喆䶮镕项目", "𠮷野家𡈼项目"];

/// Renames the first projects the weekly brief 2019-W50 names to `names`.
async fn rename_projects_of_the_weekly_brief(app: &TestApp, names: &[&str]) {
    let admin = app.login("admin").await;
    let (_, w) = admin.get("/api/v1/reports/weekly/2019-W50").await;
    let mut named: Vec<String> = Vec::new();
    for t in w["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["tables"].as_array().unwrap())
    {
        let Some(col) = t["columns"].as_array().unwrap().iter().position(|c| c == "项目名称") else {
            continue;
        };
        for row in t["rows"].as_array().unwrap() {
            let name = cell(&row[col]);
            if !named.contains(&name) {
                named.push(name);
            }
        }
    }
    assert!(named.len() >= names.len(), "the brief names projects: {named:?}");
    for (old, new) in named.iter().zip(names) {
        let (_, found) = admin.get(&format!("/api/v1/projects?q={old}&limit=50")).await;
        let p = find_by(&found["items"], "name", old.as_str());
        let (status, body) = admin
            .patch(
                &format!("/api/v1/projects/{}", p["id"]),
                json!({"version": p["version"], "name": new}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
}

/// The text a PDF's ToUnicode maps give each glyph it draws (glyph 0, .notdef, left out):
/// every FlateDecode stream inflated, its `bfchar` and `bfrange` entries read.
fn pdf_drawn_text(pdf: &[u8]) -> String {
    let mut out = String::new();
    let mut rest = pdf;
    while let Some(start) = rest.windows(6).position(|w| w == b"stream") {
        let body = &rest[start + 6..];
        let body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
        let Some(end) = body.windows(9).position(|w| w == b"endstream") else {
            break;
        };
        let mut text = String::new();
        if flate2::read::ZlibDecoder::new(&body[..end]).read_to_string(&mut text).is_ok() && text.contains("begincmap") {
            let hex = |s: &str| u32::from_str_radix(s.trim_matches(|c| c == '<' || c == '>'), 16).ok();
            let utf16 = |s: &str| {
                let s = s.trim_matches(|c| c == '<' || c == '>');
                let units: Vec<u16> = (0..s.len() / 4)
                    .filter_map(|i| u16::from_str_radix(&s[i * 4..i * 4 + 4], 16).ok())
                    .collect();
                String::from_utf16_lossy(&units)
            };
            let mut mode = "";
            for line in text.lines() {
                let parts: Vec<&str> = line.split_whitespace().collect();
                if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
                    mode = if line.ends_with("beginbfchar") { "char" } else { "range" };
                } else if line.starts_with("endbf") {
                    mode = "";
                } else if mode == "char" && parts.len() == 2 && hex(parts[0]) != Some(0) {
                    out.push_str(&utf16(parts[1]));
                } else if mode == "range" && parts.len() == 3 && hex(parts[0]) != Some(0) {
                    let (a, b) = (hex(parts[0]).unwrap_or(0), hex(parts[1]).unwrap_or(0));
                    let first = utf16(parts[2]).chars().next();
                    for k in 0..=b.saturating_sub(a) {
                        out.extend(first.and_then(|c| char::from_u32(c as u32 + k)));
                    }
                }
            }
        }
        rest = &body[end + 9..];
    }
    out
}

#[tokio::test]
async fn rare_names_print_whole_in_every_format() {
    let app = spawn_app().await;
    rename_projects_of_the_weekly_brief(&app, &RARE_NAMES).await;
    let base = "/reports/weekly/2019-W50";
    let admin = app.login("admin").await;

    // HTML: the page shows both names and warns of nothing.
    let (status, html) = admin.page(base).await;
    assert_eq!(status, 200);
    for name in RARE_NAMES {
        assert!(html.contains(name), "{name} on the page");
    }
    assert!(!html.contains("report-glyphs"), "no missing-glyph warning");

    // PDF: every character of both names is drawn with a real glyph of an embedded font.
    let pdf = app.download(&format!("{base}.pdf")).await;
    assert_eq!(pdf.status, 200);
    let drawn = pdf_drawn_text(&pdf.body);
    for c in RARE_NAMES.concat().chars() {
        assert!(drawn.contains(c), "{c} (U+{:04X}) drawn in the PDF", c as u32);
    }
    assert!(!drawn.contains('〓'), "nothing substituted");

    // Word: the names whole, Extension B in a run that names SimSun-ExtB.
    let docx = app.download(&format!("{base}.docx")).await;
    let doc = zip_entry(&docx.body, "word/document.xml").expect("document.xml");
    for part in ["浙江犇鑫堃喆䶮镕项目", "𠮷", "野家", "𡈼", "项目"] {
        assert!(doc.contains(part), "{part} in the Word document");
    }
    assert!(doc.contains("w:eastAsia=\"SimSun-ExtB\""), "Extension B declared in SimSun-ExtB");

    // Excel: the names whole in the shared strings (Extension B in a SimSun-ExtB run).
    let xlsx = app.download(&format!("{base}.xlsx")).await;
    // (Written in constant-memory mode: the strings are inline in the sheets.)
    let strings: String = (1..=9)
        .filter_map(|n| zip_entry(&xlsx.body, &format!("xl/worksheets/sheet{n}.xml")))
        .collect();
    let plain: String = strings.split('<').filter_map(|t| t.split_once('>').map(|(_, s)| s)).collect();
    for name in RARE_NAMES {
        assert!(plain.contains(name), "{name} in the workbook");
    }
    assert!(strings.contains("SimSun-ExtB"), "Extension B declared in SimSun-ExtB");

    // The CLI's standalone HTML and PDF, with no warning.
    let dir = tempfile::tempdir().unwrap();
    for format in ["html", "pdf"] {
        let out = dir.path().join(format!("weekly.{format}"));
        let o = app.zhantu(&[
            "report",
            "weekly",
            "--period",
            "2019-W50",
            "--format",
            format,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(
            !String::from_utf8_lossy(&o.stderr).contains("警告"),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        if format == "html" {
            let text = std::fs::read_to_string(&out).unwrap();
            assert!(RARE_NAMES.iter().all(|n| text.contains(n)), "both names in the HTML file");
        }
    }
}

#[tokio::test]
async fn a_character_no_font_has_is_named_and_issuing_asks_for_confirmation() {
    let app = spawn_app().await;
    rename_projects_of_the_weekly_brief(&app, &["浙江\u{E000}鑫项目"]).await;
    let base = "/reports/weekly/2019-W50";
    let fgj = app.login("fgj").await;

    let (_, html) = fgj.page(base).await;
    assert!(html.contains("report-glyphs"), "the page warns");
    assert!(html.contains("U+E000"), "and names the character");
    assert!(html.contains("confirm_missing_glyphs"), "the issue form asks to confirm");
    let (_, en) = fgj.page(&format!("{base}?lang=en")).await;
    assert!(en.contains("Missing glyphs") && en.contains("U+E000"), "in English too");

    // The PDF prints 〓 in its place and says so.
    let pdf = app.download(&format!("{base}.pdf")).await;
    let drawn = pdf_drawn_text(&pdf.body);
    // (ToUnicode maps each glyph once: the note's text is checked in the report crate.)
    assert!(drawn.contains('〓') && !drawn.contains('\u{E000}'), "substituted");

    // The CLI names it.
    let o = app.zhantu(&["report", "weekly", "--period", "2019-W50", "--out", "/dev/null"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("警告") && err.contains("U+E000"), "{err}");

    // Issuing: refused with a stable code until confirmed, by the API and by the form.
    let path = "/api/v1/reports/weekly/2019-W50/issue";
    let (status, e) = fgj.send("POST", path, None, true).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["error"]["code"], "missing_glyphs");
    assert!(e["error"]["message"].as_str().unwrap().contains("U+E000"), "{e}");
    let (status, _) = fgj.post_form(&format!("{base}/issue"), &json!({}), true).await;
    assert_eq!(status, 400, "the form without the checkbox is refused too");
    let (status, issued) = fgj.send("POST", path, Some(json!({"confirm_missing_glyphs": true})), true).await;
    assert_eq!(status, 201, "{issued}");
    let (status, _) = fgj
        .post_form(&format!("{base}/issue"), &json!({"confirm_missing_glyphs": "1"}), true)
        .await;
    assert_eq!(status, 303, "the confirmed form issues");
}

/// The quarterly evaluation's section on results after operation and statistics entry (#20
/// items 3 and 4): the demo's figures, in the page, the workbook and the PDF, in both languages.
#[tokio::test]
async fn the_quarterly_evaluation_reports_results_after_operation_and_statistics_entry() {
    let (_, q) = demo_get("/api/v1/reports/quarterly/2019-Q4").await;
    let t = table(&q, "投产效益与入库");
    let rows = t["rows"].as_array().unwrap();
    let value = |i: usize| rows[i][1]["v"].clone();
    assert!(value(0).as_i64().unwrap() > 0, "signed projects due by 2019: {t}");
    assert!(value(1).as_i64().unwrap() > 0, "some reached 达产: {t}");
    assert!(value(3).as_i64().unwrap() > 0, "some below their promise: {t}");
    let (_, results) = demo_get("/api/v1/results?year=2019").await;
    assert_eq!(value(0), results["conversion"]["due"], "the same 投产转化率 as the results page");
    assert_eq!(value(1), results["conversion"]["reached"]);
    assert_eq!(value(3), results["below_promise_count"]);
    for (lang, heading, sheet) in [
        ("zh", "三、投产效益与纳统入库", "投产效益与入库"),
        ("en", "3. Results after operation and statistics entry", "Results and entry"),
    ] {
        let base = "/reports/quarterly/2019-Q4";
        let html = page_text(&format!("{base}?lang={lang}")).await;
        assert!(html.contains(heading), "{lang}: the page's section");
        let (status, _, xlsx) = fetch(&format!("{base}.xlsx?lang={lang}")).await;
        assert_eq!(status, 200);
        let workbook = zip_entry(&xlsx, "xl/workbook.xml").expect("workbook.xml");
        assert!(workbook.contains(sheet), "{lang}: the workbook's sheet {sheet}");
        let (status, ctype, pdf) = fetch(&format!("{base}.pdf?lang={lang}")).await;
        assert_eq!((status, ctype.as_str()), (200, "application/pdf"), "{lang}");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
