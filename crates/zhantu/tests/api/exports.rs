//! The registry's Excel export is the page as a sheet (issue #18): the page's columns with the
//! light, its reason, the categories and Chinese labels (English for an English reader), every
//! project the page's filters match (all pages of it), in the page's order, within the
//! reader's units. The programme exports (leads, batches, campaigns, supervision, land,
//! problems, enterprises, visits), the figures and the import kinds follow the reader's
//! language the same way: the same rows, English but for the data.

use crate::excel::sheet_text;
use crate::helpers::{Session, demo_base, demo_get, login};
use serde_json::Value;

const HEADERS_ZH: [&str; 15] = [
    "亮灯",
    "亮灯原因",
    "项目名称",
    "项目代码",
    "责任单位",
    "包干领导",
    "阶段",
    "总投资（万元）",
    "开工（计划）",
    "项目类别",
    "街道/镇",
    "项目类型",
    "履约信心评级",
    "评级月份",
    "评级与亮灯",
];

async fn sheet(s: &Session, path: &str) -> Vec<Vec<String>> {
    let resp = s.response(path).await;
    assert_eq!(crate::helpers::status_of(&resp), 200, "{path}");
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    sheet_text(&resp.bytes().await.unwrap())
}

/// Every project of a registry query (the JSON API, all pages).
async fn all_projects(query: &str) -> Vec<Value> {
    let mut items = Vec::new();
    let mut after = String::new();
    loop {
        let (status, page) = demo_get(&format!("/api/v1/projects?{query}&limit=500{after}")).await;
        assert_eq!(status, 200, "{page}");
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_i64() {
            Some(n) => after = format!("&after={n}"),
            None => return items,
        }
    }
}

fn column(rows: &[Vec<String>], header: &str) -> Vec<String> {
    let i = rows[0]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", rows[0]));
    rows[1..].iter().map(|r| r.get(i).cloned().unwrap_or_default()).collect()
}

#[tokio::test]
async fn the_registry_export_is_the_page_with_its_lights_reasons_and_categories() {
    let s = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    // The page's link carries its filters, order and language.
    let (_, html) = s.page("/projects?light=red&sort=investment").await;
    assert!(
        html.contains(r#"href="/api/v1/export/registry.xlsx?light=red&amp;sort=investment&amp;lang=zh-CN""#),
        "the registry's export link keeps its filters"
    );
    let rows = sheet(&s, "/api/v1/export/registry.xlsx?light=red&sort=investment&lang=zh").await;
    assert_eq!(rows[0], HEADERS_ZH);
    let red = all_projects("light=red&sort=investment").await;
    assert!(red.len() > 10, "the demo has red projects");
    assert_eq!(rows.len() - 1, red.len(), "one row per red project, all pages of it");
    assert!(column(&rows, "亮灯").iter().all(|l| l == "红灯"));
    // The page's order: investment, largest first.
    let invested: Vec<f64> = column(&rows, "总投资（万元）")
        .iter()
        .map(|v| v.replace(',', "").parse().unwrap())
        .collect();
    assert!(invested.windows(2).all(|w| w[0] >= w[1]), "{invested:?}");
    let (_, html) = s.page("/projects?light=red&sort=investment").await;
    let first = column(&rows, "项目名称")[0].clone();
    let shown_first = html.split("<th scope=\"row\"><a href=\"/projects/").nth(1).expect("a row");
    assert!(
        shown_first.contains(&format!(">{first}</a>")),
        "the page's first row is the sheet's: {first}"
    );
    // The same projects as the registry's query, each with its own reason and categories.
    let mut by_name: Vec<(String, String, String)> = column(&rows, "项目名称")
        .into_iter()
        .zip(column(&rows, "亮灯原因"))
        .zip(column(&rows, "项目类别"))
        .map(|((n, r), c)| (n, r, c))
        .collect();
    by_name.sort();
    let mut want: Vec<(String, String, String)> = red
        .iter()
        .map(|p| {
            let cats: Vec<&str> = p["categories"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
            (
                p["name"].as_str().unwrap().to_string(),
                p["light_reason"].as_str().unwrap_or("").to_string(),
                cats.join("、"),
            )
        })
        .collect();
    want.sort();
    assert_eq!(by_name, want);
    assert!(column(&rows, "亮灯原因").iter().all(|r| !r.is_empty()), "every red light says why");
    assert!(
        column(&rows, "项目类别").iter().any(|c| !c.is_empty()),
        "some red projects are in categories"
    );
    // Labels, not codes.
    let stages = column(&rows, "阶段");
    assert!(stages.iter().all(|s| !s.is_empty() && !s.is_ascii()), "{stages:?}");
    let types = column(&rows, "项目类型");
    assert!(types.iter().all(|t| !t.is_empty() && !t.is_ascii()), "types in Chinese: {types:?}");
    assert!(column(&rows, "责任单位").iter().all(|u| !u.is_empty()));

    // Another filter, the default order: the same rows as the page's query.
    let rows = sheet(&s, "/api/v1/export/registry.xlsx?stage=construction&light=yellow").await;
    let yellow = all_projects("stage=construction&light=yellow").await;
    assert_eq!(
        column(&rows, "项目名称"),
        yellow.iter().map(|p| p["name"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    );
    assert!(column(&rows, "亮灯").iter().all(|l| l == "黄灯"));
    assert!(column(&rows, "阶段").iter().all(|l| l == "在建"));
}

#[tokio::test]
async fn an_english_reader_gets_english_headers_and_labels_and_a_unit_only_its_projects() {
    let s = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let (_, html) = s.page("/projects?light=green&lang=en").await;
    assert!(html.contains(r#"href="/api/v1/export/registry.xlsx?light=green&amp;sort=id&amp;lang=en""#));
    let rows = sheet(&s, "/api/v1/export/registry.xlsx?light=green&lang=en").await;
    assert_eq!(rows[0][0], "Light");
    assert!(rows[0].contains(&"Light reason".to_string()) && rows[0].contains(&"Categories".to_string()));
    assert!(column(&rows, "Light").iter().all(|l| l == "Green"));
    assert!(
        column(&rows, "Stage").iter().all(|s| s.is_ascii() && !s.is_empty()),
        "stages in English"
    );
    // Every sheet's name and header, and the data-version sheet's labels, are English.
    let resp = s.response("/api/v1/export/registry.xlsx?light=green&lang=en").await;
    let sheets = zhantu_office::read_sheets(&resp.bytes().await.unwrap(), "x.xlsx").unwrap();
    assert_eq!(sheets.len(), 2, "the projects and the data version");
    for sh in &sheets {
        assert!(sh.name.is_ascii(), "sheet name {}", sh.name);
        let first: Vec<String> = sh.rows[0].iter().map(zhantu_domain::imports::Raw::as_text).collect();
        assert!(first.iter().all(|c| c.is_ascii()), "{}: {first:?}", sh.name);
    }
    let stamp: Vec<String> = sheets[1].rows.iter().map(|r| r[0].as_text()).collect();
    assert!(stamp.iter().all(|c| c.is_ascii()), "{stamp:?}");
    // The headline reason as the lights job wrote it in English (names as recorded).
    let red = sheet(&s, "/api/v1/export/registry.xlsx?light=red&lang=en").await;
    let reasons = column(&red, "Light reason");
    assert!(!reasons.is_empty() && reasons.iter().all(|r| r.starts_with("Red: ")), "{reasons:?}");
    // The language remembered by the browser (the switch's cookie) is the sheet's too.
    let resp = crate::helpers::no_redirects()
        .get(format!("{}/api/v1/export/registry.xlsx?light=green", s.base))
        .header("cookie", format!("{}; zhantu_lang=en", s.cookie))
        .send()
        .await
        .unwrap();
    assert_eq!(sheet_text(&resp.bytes().await.unwrap())[0][0], "Light");

    // A unit editor's export holds its unit's projects only, as its registry does.
    let editor = login(demo_base(), "haimen", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    let rows = sheet(&editor, "/api/v1/export/registry.xlsx").await;
    let (_, mine) = editor.get("/api/v1/projects?limit=500").await;
    assert_eq!(rows.len() - 1, mine["total"].as_i64().unwrap() as usize);
    let (_, all) = demo_get("/api/v1/projects?limit=1").await;
    assert!(((rows.len() - 1) as i64) < all["total"].as_i64().unwrap());
    let units: std::collections::BTreeSet<String> = column(&rows, "责任单位").into_iter().collect();
    let theirs: std::collections::BTreeSet<String> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["unit"]["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(units, theirs);
}

/// A workbook's sheets as (name, rows of text).
async fn workbook(s: &Session, path: &str) -> Vec<(String, Vec<Vec<String>>)> {
    let resp = s.response(path).await;
    assert_eq!(crate::helpers::status_of(&resp), 200, "{path}");
    let bytes = resp.bytes().await.unwrap();
    zhantu_office::read_sheets(&bytes, "x.xlsx")
        .unwrap()
        .into_iter()
        .map(|sh| {
            let rows = sh
                .rows
                .iter()
                .map(|r| r.iter().map(zhantu_domain::imports::Raw::as_text).collect())
                .collect();
            (sh.name, rows)
        })
        .collect()
}

/// The file name a download offers (the UTF-8 one of `Content-Disposition`, decoded).
async fn offered_name(s: &Session, path: &str) -> String {
    let resp = s.response(path).await;
    let d = resp.headers()["content-disposition"].to_str().unwrap().to_string();
    let encoded = d.split("filename*=UTF-8''").nth(1).expect("a UTF-8 file name");
    let bytes: Vec<u8> = {
        let b = encoded.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                out.push(u8::from_str_radix(&encoded[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        out
    };
    String::from_utf8(bytes).unwrap()
}

fn has_cjk(s: &str) -> bool {
    s.chars().any(zhantu_domain::lang::is_cjk)
}

/// The runs of Chinese characters in a text.
fn cjk_runs(s: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in s.chars() {
        if zhantu_domain::lang::is_cjk(c) {
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

/// The header row of a sheet: the first, or the second below a title (a row of one cell).
fn header_index(rows: &[Vec<String>]) -> usize {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.is_empty()).count();
    usize::from(rows.len() > 1 && filled(&rows[0]) == 1 && filled(&rows[1]) > 1)
}

/// One programme export: its path (without the language), the Chinese name and header of its
/// first sheet as they have always been, and the English headers of its enumerated columns
/// (in any sheet), which must be English in an English export.
struct ProgrammeExport {
    path: &'static str,
    sheet_zh: &'static str,
    headers_zh: &'static [&'static str],
    enumerated: &'static [&'static str],
}

const PROGRAMME_EXPORTS: &[ProgrammeExport] = &[
    ProgrammeExport {
        path: "/api/v1/leads/export.xlsx",
        sheet_zh: "招商线索",
        headers_zh: &[
            "线索名称",
            "投资方",
            "招商组",
            "包干领导",
            "阶段",
            "协议投资额（万元）",
            "外资（万美元）",
            "来源地",
            "首次接洽",
            "签约日期",
            "落地日期",
            "落地项目",
        ],
        enumerated: &["Stage"],
    },
    ProgrammeExport {
        path: "/api/v1/batches/export.xlsx",
        sheet_zh: "集中开工批次",
        headers_zh: &[
            "批次",
            "级别",
            "开工日期",
            "准入节点",
            "项目数",
            "总投资（万元）",
            "年度计划投资（万元）",
        ],
        enumerated: &["Level"],
    },
    ProgrammeExport {
        path: "/api/v1/campaigns/export.xlsx",
        sheet_zh: "攻坚行动",
        headers_zh: &[
            "攻坚行动",
            "开始",
            "结束",
            "状态",
            "攻坚节点",
            "已销号",
            "按期销号",
            "逾期未销号",
            "销号率",
        ],
        enumerated: &["Status"],
    },
    ProgrammeExport {
        path: "/api/v1/campaigns/1/leaderboard.xlsx",
        sheet_zh: "擂台榜",
        headers_zh: &[
            "排名",
            "单位",
            "攻坚节点",
            "按期销号",
            "逾期销号",
            "逾期未销号",
            "未到期",
            "按期销号率",
        ],
        enumerated: &["Status"],
    },
    ProgrammeExport {
        path: "/api/v1/supervision/export.xlsx",
        sheet_zh: "督查",
        headers_zh: &["督查", "带队领导", "日期", "状态", "督查项目", "发现问题", "交办督办"],
        enumerated: &["Status"],
    },
    ProgrammeExport {
        path: "/api/v1/land/export.xlsx",
        sheet_zh: "用地指标台账",
        headers_zh: &["日期", "类型", "面积（亩）", "项目", "文号/依据", "备注"],
        enumerated: &["Kind"],
    },
    ProgrammeExport {
        path: "/api/v1/problems.xlsx",
        sheet_zh: "问题清单",
        headers_zh: &[
            "编号",
            "问题类别",
            "问题描述",
            "来源",
            "项目/企业",
            "责任单位",
            "提出时间",
            "办理时限",
            "状态",
            "逾期工作日",
            "督办级别",
            "办结时间",
            "销号时间",
            "满意度",
        ],
        enumerated: &["Category", "Source", "State"],
    },
    ProgrammeExport {
        path: "/api/v1/problems/lists.xlsx?month=2019-12",
        sheet_zh: "新增问题清单",
        headers_zh: &[
            "编号",
            "问题类别",
            "问题描述",
            "来源",
            "项目/企业",
            "责任单位",
            "提出时间",
            "办理时限",
            "状态",
            "逾期工作日",
            "督办级别",
            "办结时间",
            "销号时间",
            "满意度",
        ],
        enumerated: &["Category", "Source", "State"],
    },
    ProgrammeExport {
        path: "/api/v1/enterprises.xlsx",
        sheet_zh: "企业名录",
        headers_zh: &[
            "统一社会信用代码",
            "企业名称",
            "行业代码",
            "培育名单",
            "走访次数",
            "问题数",
            "未销号问题",
        ],
        enumerated: &[],
    },
    ProgrammeExport {
        path: "/api/v1/visits.xlsx",
        sheet_zh: "走访记录",
        headers_zh: &["走访日期", "企业名称", "走访人", "走访单位", "走访发现", "形成问题数"],
        enumerated: &[],
    },
];

fn with_lang(path: &str, lang: &str) -> String {
    format!("{path}{}lang={lang}", if path.contains('?') { '&' } else { '?' })
}

/// The Chinese and the English workbook of one export hold the same sheets and rows; the
/// English one has no Chinese but the data (every Chinese run of an English cell is in the
/// Chinese export's same cell: names, descriptions as typed); its sheet names, headers and
/// data-version sheet are English, and so is every cell of the enumerated columns.
fn assert_same_rows_in_english(what: &str, zh: &[(String, Vec<Vec<String>>)], en: &[(String, Vec<Vec<String>>)], enumerated: &[&str]) {
    assert_eq!(zh.len(), en.len(), "{what}: the same sheets");
    assert_eq!(zh.last().unwrap().0, "数据版本", "{what}: the Chinese data-version sheet");
    assert_eq!(en.last().unwrap().0, "Data version", "{what}: the English data-version sheet");
    let mut seen_enumerated = std::collections::BTreeSet::new();
    for ((zh_name, zh_rows), (en_name, en_rows)) in zh.iter().zip(en) {
        assert!(!has_cjk(en_name), "{what}: sheet {en_name}");
        assert_eq!(zh_rows.len(), en_rows.len(), "{what} {en_name}: the same rows as {zh_name}");
        let h = header_index(en_rows);
        let header = &en_rows[h];
        assert!(header.iter().all(|c| !has_cjk(c)), "{what} {en_name}: {header:?}");
        for (r, (zr, er)) in zh_rows.iter().zip(en_rows).enumerate() {
            for (c, e) in er.iter().enumerate() {
                let z = zr.get(c).map(String::as_str).unwrap_or("");
                for run in cjk_runs(e) {
                    assert!(
                        z.contains(&run),
                        "{what} {en_name} row {r}: “{e}” has Chinese not in the data (“{z}”)"
                    );
                }
            }
        }
        for col in enumerated {
            let Some(i) = header.iter().position(|c| c == col) else { continue };
            seen_enumerated.insert(*col);
            for (zr, er) in zh_rows[h + 1..].iter().zip(&en_rows[h + 1..]) {
                let (z, e) = (zr.get(i).cloned().unwrap_or_default(), er.get(i).cloned().unwrap_or_default());
                assert!(!has_cjk(&e), "{what} {en_name}: {col} “{e}”");
                // The Chinese export still writes the Chinese label.
                assert!(z.is_empty() || has_cjk(&z), "{what} {zh_name}: {col} “{z}”");
            }
        }
    }
    for col in enumerated {
        assert!(seen_enumerated.contains(col), "{what}: no column {col}");
    }
}

#[tokio::test]
async fn every_programme_export_is_in_the_readers_language_with_the_same_rows() {
    let s = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    for x in PROGRAMME_EXPORTS {
        let zh = workbook(&s, &with_lang(x.path, "zh")).await;
        let en = workbook(&s, &with_lang(x.path, "en")).await;
        // The Chinese export as it has always been, with the data version last.
        assert_eq!(zh[0].0, x.sheet_zh, "{}", x.path);
        let zh_header = &zh[0].1[header_index(&zh[0].1)];
        assert_eq!(zh_header, x.headers_zh, "{}", x.path);
        assert!(zh[0].1.len() > header_index(&zh[0].1) + 1, "{}: the demo has rows", x.path);
        assert_same_rows_in_english(x.path, &zh, &en, x.enumerated);
        let (zh_file, en_file) = (
            offered_name(&s, &with_lang(x.path, "zh")).await,
            offered_name(&s, &with_lang(x.path, "en")).await,
        );
        assert!(has_cjk(&zh_file) && zh_file.ends_with(".xlsx"), "{}: {zh_file}", x.path);
        assert!(en_file.is_ascii() && en_file.ends_with(".xlsx"), "{}: {en_file}", x.path);
    }
    // The language remembered by the browser is the export's too, and the pages link their
    // exports in the page's language.
    let resp = crate::helpers::no_redirects()
        .get(format!("{}/api/v1/leads/export.xlsx", s.base))
        .header("cookie", format!("{}; zhantu_lang=en", s.cookie))
        .send()
        .await
        .unwrap();
    let sheets = zhantu_office::read_sheets(&resp.bytes().await.unwrap(), "x.xlsx").unwrap();
    assert_eq!(sheets[0].name, "Leads");
    let (_, html) = s.page("/problems?status=closed&lang=en").await;
    assert!(
        html.contains(r#"href="/api/v1/problems.xlsx?status=closed&amp;lang=en""#),
        "the problems' export link"
    );
    let (_, html) = s.page("/land?lang=en").await;
    assert!(
        html.contains(r#"href="/api/v1/land/export.xlsx?lang=en""#),
        "the ledger's export link"
    );
}

#[tokio::test]
async fn the_figures_and_the_import_kinds_export_in_the_readers_language() {
    let s = login(demo_base(), "admin", zhantu_web::users::DEMO_PASSWORD).await.unwrap();
    // The figures: every sheet, label and enumerated value (stages, lights, levels, shipped
    // categories) in English; the same sheets and rows as the Chinese workbook.
    let zh = workbook(&s, "/api/v1/export/figures.xlsx?year=2019&lang=zh").await;
    let en = workbook(&s, "/api/v1/export/figures.xlsx?year=2019&lang=en").await;
    assert_eq!(zh[0].0, "总览");
    assert_eq!(en[0].0, "Overview");
    assert_same_rows_in_english("figures", &zh, &en, &["Stage", "Light", "Level"]);
    let overview: Vec<&String> = en[0].1.iter().map(|r| &r[0]).collect();
    assert!(overview.iter().all(|c| !has_cjk(c)), "{overview:?}");
    assert!(en.iter().any(|(name, _)| name == "Stages") && en.iter().any(|(name, _)| name == "Lights"));
    assert_eq!(
        offered_name(&s, "/api/v1/export/figures.xlsx?year=2019&lang=en").await,
        "figures-2019.xlsx"
    );
    assert_eq!(
        offered_name(&s, "/api/v1/export/figures.xlsx?year=2019&lang=zh").await,
        "2019年指标.xlsx"
    );
    // An import kind: its columns and values stay the importer's (it imports again
    // unchanged); its file, sheet and data version are named in English.
    let zh = workbook(&s, "/api/v1/export/problems.xlsx?lang=zh").await;
    let en = workbook(&s, "/api/v1/export/problems.xlsx?lang=en").await;
    assert_eq!((zh[0].0.as_str(), en[0].0.as_str()), ("问题", "Problems"));
    assert_eq!(zh[0].1, en[0].1, "the same columns and rows");
    assert_eq!(en.last().unwrap().0, "Data version");
    assert!(en.last().unwrap().1.iter().all(|r| !has_cjk(&r[0])));
    assert_eq!(offered_name(&s, "/api/v1/export/problems.xlsx?lang=en").await, "Problems.xlsx");
    assert_eq!(offered_name(&s, "/api/v1/export/problems.xlsx?lang=zh").await, "问题.xlsx");
    let resp = s.response("/api/v1/export/problems.xlsx?lang=en").await;
    let parsed = zhantu_office::read_import(
        &resp.bytes().await.unwrap(),
        "x.xlsx",
        Some(zhantu_domain::imports::ImportKind::Problems),
        None,
    )
    .unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", &parsed.errors[..parsed.errors.len().min(3)]);
}
