//! A district's whole record by import (issue #15, item 4): every kind's template and its
//! example, every error of a bad row at once, all or nothing, the demo district moved kind by
//! kind into an empty database with the same figures, and the rules of the kinds that record
//! the past (stage history, batches, problems without deadline or external id).
//!
//! Each kind's export importing again unchanged into the demo is
//! `excel::every_export_imports_again_unchanged_and_reads_back_identically`, which goes
//! through `ImportKind::ALL`.

use crate::excel::{count, csv, download, import, sheet_text};
use crate::helpers::{TestApp, differences, fresh_store, spawn_app, zhantu};
use serde_json::json;
use zhantu_domain::imports::ImportKind;

/// The table each kind writes its records to.
fn table_of(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Units => "units",
        ImportKind::People => "people",
        ImportKind::Categories => "categories",
        ImportKind::Projects => "projects",
        ImportKind::ProjectYears => "annual_plans",
        ImportKind::StageHistory => "stage_changes",
        ImportKind::Nodes => "nodes",
        ImportKind::Investment => "monthly_investment",
        ImportKind::Reports => "progress_reports",
        ImportKind::Fai => "fai_monthly",
        ImportKind::Enterprises => "enterprises",
        ImportKind::Visits => "enterprise_visits",
        ImportKind::Problems => "problems",
        ImportKind::Batches => "batch_projects",
        ImportKind::Campaigns => "campaign_nodes",
        ImportKind::Supervision => "supervision_targets",
        ImportKind::Land => "land_ledger",
        ImportKind::Results => "results_years",
        ImportKind::StatisticsCounted => "statistics_counted",
    }
}

/// Several bad cells of one row of each kind: (header, bad value), each an error of its own.
fn bad_cells(kind: ImportKind) -> Vec<(&'static str, &'static str)> {
    match kind {
        ImportKind::Units => vec![("上级单位", "没有的上级"), ("单位类型", "衙门"), ("排序", "第一")],
        ImportKind::People => vec![("所在单位", "没有的单位"), ("是否领导", "也许")],
        ImportKind::Categories => vec![("统计落地率", "也许"), ("目标年度", "明年"), ("落地率目标（%）", "很高")],
        ImportKind::Projects => vec![
            ("责任单位", "没有的单位"),
            ("项目类型", "没有的类型"),
            ("计划开工日期", "2019-02-30"),
            ("联系领导", "没有的人"),
        ],
        ImportKind::ProjectYears => vec![
            ("项目代码", "2019-331002-34-03-999999"),
            ("项目类别", "没有的类别"),
            ("年度计划投资（万元）", "很多"),
        ],
        ImportKind::StageHistory => vec![
            ("原阶段", "飞升"),
            ("变更日期", "2019-13-01"),
            ("项目代码", "2019-331002-34-03-999999"),
        ],
        ImportKind::Nodes => vec![("责任单位", "没有的单位"), ("计划完成日期", "明天"), ("节点状态", "差不多")],
        ImportKind::Investment => vec![("项目代码", "2019-331002-34-03-999999"), ("完成投资（万元）", "一千")],
        ImportKind::Reports => vec![
            ("填报周期", "年报"),
            ("本期完成投资（万元）", "一千"),
            ("项目代码", "2019-331002-34-03-999999"),
        ],
        ImportKind::Fai => vec![("行政区划代码", "12"), ("累计完成投资（万元）", "很多")],
        ImportKind::Enterprises => vec![("统一社会信用代码", "123"), ("所在街道代码", "abc")],
        ImportKind::Visits => vec![
            ("统一社会信用代码", "91331002MA2AB12340"),
            ("走访日期", "昨天"),
            ("走访单位", "没有的单位"),
        ],
        ImportKind::Problems => vec![("责任单位", "没有的单位"), ("提出日期", "2019-02-30"), ("办理状态", "没办")],
        ImportKind::Batches => vec![
            ("级别", "国家级"),
            ("集中开工日期", "某天"),
            ("项目代码", "2019-331002-34-03-999999"),
        ],
        ImportKind::Campaigns => vec![("开始日期", "某天"), ("参赛单位", "没有的单位"), ("节点序号", "第一")],
        ImportKind::Supervision => vec![
            ("带队领导", "没有的人"),
            ("督查日期", "某天"),
            ("项目代码", "2019-331002-34-03-999999"),
        ],
        ImportKind::Land => vec![("类型", "卖地"), ("面积（亩）", "很大"), ("项目代码", "2019-331002-34-03-999999")],
        ImportKind::Results => vec![
            ("效益年度", "明年"),
            ("年产值（万元）", "很多"),
            ("就业人数", "-5"),
            ("项目代码", "2019-331002-34-03-999999"),
        ],
        ImportKind::StatisticsCounted => vec![
            ("列统月份", "某月"),
            ("累计列统投资（万元）", "很多"),
            ("项目代码", "2019-331002-34-03-999999"),
        ],
    }
}

/// A template as rows of text: title, header, example.
async fn template_rows(app: &TestApp, kind: ImportKind) -> Vec<Vec<String>> {
    let (status, bytes) = download(app, &format!("/api/v1/import/templates/{}.xlsx", kind.code())).await;
    assert_eq!(status, 200, "{kind:?}");
    sheet_text(&bytes)
}

#[tokio::test]
async fn every_template_lists_the_districts_values_and_its_example_imports_in_order() {
    let app = spawn_app().await;
    for kind in ImportKind::ALL {
        let (_, bytes) = download(&app, &format!("/api/v1/import/templates/{}.xlsx", kind.code())).await;
        let sheets = zhantu_office::read_sheets(&bytes, "t.xlsx").unwrap();
        assert_eq!(sheets[0].name, kind.label_zh(), "{kind:?}");
        let options: Vec<String> = sheets[1].rows.iter().flatten().map(|c| c.as_text()).collect();
        let expect: &[&str] = match kind {
            ImportKind::Units | ImportKind::People | ImportKind::Nodes | ImportKind::Visits => &["海门街道", "区发改局"],
            ImportKind::Projects => &["海门街道", "工业项目", "商贸文旅项目", "叶海峰", "前期"],
            ImportKind::ProjectYears => &["市县长项目", "省\"152\"项目"],
            ImportKind::Supervision => &["叶海峰"],
            ImportKind::Batches => &["区级", "省级"],
            ImportKind::Land => &["上级下达", "分配项目"],
            ImportKind::Reports => &["月报", "周报"],
            _ => &[],
        };
        for v in expect {
            assert!(options.iter().any(|o| o == v), "{kind:?}: {v} in {options:?}");
        }
        // The examples name one another: in this order they import into the demo cleanly.
        let run = import(&app, bytes, "template.xlsx", &[("kind", kind.code())]).await;
        let o = &run["outcome"];
        assert_eq!(o["errors"], json!([]), "{kind:?}: {o}");
        assert_eq!(o["written"], true, "{kind:?}: {o}");
        assert_eq!(o["rows"], 1, "{kind:?}");
    }
    let (_, p) = app.get("/api/v1/projects?q=台州湾新区科创园").await;
    assert_eq!(p["items"][0]["code"], "2019-331002-34-03-012345", "{p}");
}

#[tokio::test]
async fn every_bad_cell_and_unknown_name_of_a_row_is_listed_and_nothing_is_written() {
    let app = spawn_app().await;
    // The examples' project, its first node and the enterprise, which the others name.
    for kind in [ImportKind::Projects, ImportKind::Nodes, ImportKind::Enterprises] {
        let (_, bytes) = download(&app, &format!("/api/v1/import/templates/{}.xlsx", kind.code())).await;
        assert_eq!(
            import(&app, bytes, "t.xlsx", &[("kind", kind.code())]).await["outcome"]["written"],
            true
        );
    }
    for kind in ImportKind::ALL {
        let mut rows = template_rows(&app, kind).await;
        rows.remove(0);
        let header = rows[0].clone();
        let good = rows[1].clone();
        let mut bad = good.clone();
        for (column, value) in bad_cells(kind) {
            let i = header
                .iter()
                .position(|h| h == column)
                .unwrap_or_else(|| panic!("{kind:?}: {column}"));
            bad[i] = value.to_string();
        }
        rows.push(bad);
        let (before, audit) = (count(&app, table_of(kind)).await, app.audit_count().await);
        let run = import(&app, csv(&rows), "bad.csv", &[("kind", kind.code())]).await;
        let o = &run["outcome"];
        let errors: Vec<(u64, String, String)> = o["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["row"].as_u64().unwrap(),
                    e["column"].as_str().unwrap().to_string(),
                    e["value"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        for (column, value) in bad_cells(kind) {
            assert!(
                errors.iter().any(|(row, c, v)| *row == 3 && c == column && v == value),
                "{kind:?}: {column} “{value}” is listed in {errors:?}"
            );
        }
        assert!(errors.iter().all(|(row, _, _)| *row == 3), "{kind:?}: only the bad row: {errors:?}");
        assert_eq!(o["written"], false, "{kind:?}");
        assert_eq!(count(&app, table_of(kind)).await, before, "{kind:?}: all or nothing");
        assert_eq!(app.audit_count().await, audit, "{kind:?}");
    }
}

#[tokio::test]
async fn the_demo_district_moves_kind_by_kind_into_a_new_district_with_the_same_figures() {
    let app = spawn_app().await;
    let (store, dir, url) = fresh_store().await;
    let o = zhantu(&["init", "--database", &url, "--division", "331002", "--admin", "admin"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // A new district's templates already list its own streets and the default types in Chinese.
    use zhantu_domain::imports::RefKind;
    assert!(store.import_choices(RefKind::Unit).await.unwrap().contains(&"海门街道".to_string()));
    assert!(
        store
            .import_choices(RefKind::ProjectType)
            .await
            .unwrap()
            .contains(&"商贸文旅项目".to_string())
    );
    // The demo lives at the end of 2019: the settings page's 数据日 (figures and lights are
    // computed as of it).
    let now = store.district_settings().await.unwrap();
    let settings = zhantu_domain::settings::DistrictSettings {
        district_name: now.district_name.clone().unwrap(),
        district_division: zhantu_domain::DivisionCode::parse(now.district_division.as_deref().unwrap()).unwrap(),
        province_division: zhantu_domain::DivisionCode::parse(now.province_division.as_deref().unwrap()).unwrap(),
        as_of: chrono::NaiveDate::from_ymd_opt(2019, 12, 31),
        oc4ids_prefix: now.oc4ids_prefix.clone(),
        statistics: None,
    };
    store
        .set_district_settings(&now.revision, &settings, &zhantu_store::AuditCtx::system("tests"))
        .await
        .unwrap();
    for kind in ImportKind::ALL {
        let (status, bytes) = download(&app, &format!("/api/v1/export/{}.xlsx", kind.code())).await;
        assert_eq!(status, 200, "{kind:?}");
        let file = dir.path().join(format!("{}.xlsx", kind.code()));
        std::fs::write(&file, &bytes).unwrap();
        let o = zhantu(&["import", file.to_str().unwrap(), "--database", &url, "--kind", kind.code()]);
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{kind:?}: {out}\n{}", String::from_utf8_lossy(&o.stderr));
        assert!(out.contains("导入完成"), "{kind:?}: {out}");
    }
    // The same record, row for row, through every kind's export (the new district also has
    // the units `zhantu init` made).
    let all = zhantu_store::ProjectFilter::default();
    for kind in ImportKind::ALL {
        let a = app.store.export_kind(kind, &all).await.unwrap();
        let b = store.export_kind(kind, &all).await.unwrap();
        if kind == ImportKind::Units {
            assert!(a.rows.iter().all(|r| b.rows.contains(r)), "every unit of the demo");
            continue;
        }
        assert_eq!(a.rows.len(), b.rows.len(), "{kind:?}");
        // The columns the import reads: the node export's 总浮动 and 关键路径 after them come
        // from the dependencies, which no Excel import carries (the demo's lags stay behind).
        let n = zhantu_domain::imports::export_columns(kind).len();
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!(x[..n.min(x.len())], y[..n.min(y.len())], "{kind:?}");
        }
    }
    // And the same figures, field for field: the district's, a street's, the city's.
    for (year, division) in [(2018, None), (2019, None), (2019, Some("331002001")), (2019, Some("3310"))] {
        let want = serde_json::to_value(app.store.division_figures(year, division).await.unwrap()).unwrap();
        let got = serde_json::to_value(store.division_figures(year, division).await.unwrap()).unwrap();
        assert_eq!(differences("", &want, &got), Vec::<String>::new(), "{year} {division:?}");
    }
}

/// The rows of an export with its header, and a column's index by header.
async fn export_rows(app: &TestApp, kind: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let (_, bytes) = download(app, &format!("/api/v1/export/{kind}.xlsx")).await;
    let mut rows = sheet_text(&bytes);
    let header = rows.remove(0);
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("{name} in {header:?}"))
}

fn with_header(header: &[String], rows: Vec<Vec<String>>) -> Vec<u8> {
    csv(&[vec![header.to_vec()], rows].concat())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[tokio::test]
async fn a_stage_history_sheet_is_the_projects_history_and_leaves_its_stage_and_dates_alone() {
    let app = spawn_app().await;
    let (ph, projects) = export_rows(&app, "projects").await;
    let row = projects
        .iter()
        .find(|r| r[col(&ph, "项目阶段")] == "前期" && !r[col(&ph, "项目代码")].is_empty())
        .expect("a project in 前期")
        .clone();
    let code = row[col(&ph, "项目代码")].clone();
    let pid = app.scalar(&format!("SELECT id FROM projects WHERE code = '{code}'")).await;
    let moves = |note: &str| format!("SELECT COUNT(*) FROM stage_changes WHERE project_id = {pid} AND note = '{note}'");
    // The project row moves it to 开工: its history gets a line dated by its start.
    let mut started = row.clone();
    started[col(&ph, "项目阶段")] = "开工/落地".into();
    started[col(&ph, "实际开工日期")] = "2019-12-20".into();
    let run = import(&app, with_header(&ph, vec![started]), "p.csv", &[("kind", "projects")]).await;
    assert_eq!(run["outcome"]["changed"], 1, "{run}");
    let dated = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM stage_changes WHERE project_id = {pid} AND to_stage = 'started' AND changed_on = '2019-12-20' AND note = '导入'"
        ))
        .await;
    assert_eq!(dated, 1, "dated by the row's start, not today");

    // The history sheet of that project: its own moves and the real start, a day earlier.
    let (hh, history) = export_rows(&app, "stage_history").await;
    let mut mine: Vec<Vec<String>> = history
        .into_iter()
        .filter(|r| r[col(&hh, "项目代码")] == code && r[col(&hh, "说明")] != "导入")
        .collect();
    let kept = mine.len();
    mine.push(strings(&[&code, "", "前期", "开工/落地", "2019-12-18", "开工仪式"]));
    let run = import(&app, with_header(&hh, mine.clone()), "h.csv", &[("kind", "stage_history")]).await;
    let o = &run["outcome"];
    assert_eq!(o["errors"], json!([]), "{o}");
    assert_eq!(
        (o["created"].as_u64(), o["unchanged"].as_u64(), o["removed"].as_u64()),
        (Some(1), Some(kept as u64), Some(1)),
        "the dated-today line is replaced by the sheet's: {o}"
    );
    assert_eq!(app.scalar(&moves("导入")).await, 0);
    assert_eq!(app.scalar(&moves("开工仪式")).await, 1);
    let (_, p) = app.get(&format!("/api/v1/projects?q={code}")).await;
    assert_eq!(p["items"][0]["stage"], "started", "{p}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT COUNT(*) FROM projects WHERE id = {pid} AND started_on = '2019-12-20'"
        ))
        .await,
        1,
        "the start stays the project row's"
    );
    // The project row again: the history has the move, so nothing is added.
    let mut again = row.clone();
    again[col(&ph, "项目阶段")] = "在建".into();
    again[col(&ph, "实际开工日期")] = "2019-12-20".into();
    import(&app, with_header(&ph, vec![again.clone()]), "p.csv", &[("kind", "projects")]).await;
    mine.push(strings(&[&code, "", "开工/落地", "在建", "2019-12-25", ""]));
    import(&app, with_header(&hh, mine.clone()), "h.csv", &[("kind", "stage_history")]).await;
    let run = import(&app, with_header(&ph, vec![again]), "p.csv", &[("kind", "projects")]).await;
    assert_eq!(run["outcome"]["unchanged"], 1);
    let run = import(&app, with_header(&hh, mine), "h.csv", &[("kind", "stage_history")]).await;
    assert_eq!(run["outcome"]["removed"], 0, "{run}");
}

#[tokio::test]
async fn an_imported_batch_records_its_members_as_given_whatever_todays_gate_says() {
    let app = spawn_app().await;
    let (ph, projects) = export_rows(&app, "projects").await;
    // A project in 谋划 has no code yet: the sheet names it by its external id.
    let external = projects
        .iter()
        .find(|r| r[col(&ph, "项目阶段")] == "谋划")
        .expect("a project in 谋划")[col(&ph, "外部编号")]
    .clone();
    let (bh, _) = export_rows(&app, "batches").await;
    let file = with_header(
        &bh,
        vec![strings(&["2019年补录集中开工", "区级", "2019-05-01", "施工许可", "", &external])],
    );
    let run = import(&app, file.clone(), "b.csv", &[("kind", "batches")]).await;
    let o = &run["outcome"];
    assert_eq!((o["created"].as_u64(), o["errors"].clone()), (Some(1), json!([])), "{o}");
    let id = app.scalar("SELECT id FROM batches WHERE name = '2019年补录集中开工'").await;
    let (_, b) = app.get(&format!("/api/v1/batches/{id}")).await;
    assert_eq!(b["members"][0]["imported"], true, "{b}");
    let (_, html) = app.login("admin").await.page(&format!("/batches/{id}")).await;
    assert!(html.contains("导入记录"), "the page marks the imported member");
    let run = import(&app, file, "b.csv", &[("kind", "batches")]).await;
    assert_eq!(run["outcome"]["unchanged"], 1, "{run}");
}

#[tokio::test]
async fn a_problem_without_deadline_or_external_id_gets_the_default_limit_and_is_found_again() {
    let app = spawn_app().await;
    let (ph, projects) = export_rows(&app, "projects").await;
    let code = projects.iter().find(|r| !r[col(&ph, "项目代码")].is_empty()).unwrap()[col(&ph, "项目代码")].clone();
    let header = strings(&["项目代码", "问题类别", "问题描述", "责任单位", "提出日期"]);
    let row = |category: &str| strings(&[&code, category, "导入测试：无编号无时限的问题", "海门街道", "2019-10-08"]);
    let run = import(&app, csv(&[header.clone(), row("要素保障")]), "q.csv", &[("kind", "problems")]).await;
    assert_created(&run, 1);
    let raised = chrono::NaiveDate::from_ymd_opt(2019, 10, 8).unwrap();
    let want = zhantu_domain::problems::default_deadline(&app.store.calendar().await.unwrap(), raised);
    let got: String = sqlx::query_scalar("SELECT deadline FROM problems WHERE description = '导入测试：无编号无时限的问题'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(got, want.to_string(), "15 working days from the day it was raised");
    let run = import(&app, csv(&[header.clone(), row("要素保障")]), "q.csv", &[("kind", "problems")]).await;
    assert_eq!(run["outcome"]["unchanged"], 1, "found by project, day and description: {run}");
    let run = import(&app, csv(&[header.clone(), row("审批")]), "q.csv", &[("kind", "problems")]).await;
    assert_eq!(run["outcome"]["changed"], 1, "{run}");
    // The district's list gets numbers: the same problem takes its number.
    let numbered = [vec!["外部编号".to_string()], header].concat();
    let file = csv(&[numbered, [vec!["WT-2019-900".to_string()], row("审批")].concat()]);
    let run = import(&app, file.clone(), "q.csv", &[("kind", "problems")]).await;
    assert_eq!(run["outcome"]["changed"], 1, "{run}");
    let run = import(&app, file, "q.csv", &[("kind", "problems")]).await;
    assert_eq!(run["outcome"]["unchanged"], 1, "{run}");
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM problems WHERE description = '导入测试：无编号无时限的问题'")
            .await,
        1
    );
}

#[tokio::test]
async fn types_by_chinese_name_short_name_or_code_and_units_by_a_parent_further_down() {
    let app = spawn_app().await;
    let header = strings(&["项目名称", "责任单位", "项目类型", "项目阶段", "总投资（万元）", "谋划年度"]);
    let rows: Vec<Vec<String>> = ["商贸文旅项目", "商贸文旅", "commercial"]
        .iter()
        .enumerate()
        .map(|(i, t)| strings(&[&format!("类型测试{i}"), "海门街道", t, "谋划", "100", "2019"]))
        .collect();
    let run = import(&app, csv(&[vec![header], rows].concat()), "p.csv", &[("kind", "projects")]).await;
    assert_created(&run, 3);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM projects WHERE name LIKE '类型测试%' AND project_type = 'commercial'")
            .await,
        3
    );

    let header = strings(&["单位名称", "单位代码", "上级单位", "单位类型", "行政区划代码", "排序"]);
    let units = vec![
        strings(&["新区综合办", "", "新区管委会", "部门", "", "61"]),
        strings(&["新区管委会", "xq-01", "椒江区人民政府", "园区", "", "60"]),
    ];
    let run = import(&app, csv(&[vec![header.clone()], units].concat()), "u.csv", &[("kind", "units")]).await;
    assert_created(&run, 2);
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM units c JOIN units p ON p.id = c.parent_id WHERE c.name = '新区综合办' AND p.name = '新区管委会' AND p.kind = 'zone' AND p.code = 'XQ-01'")
            .await,
        1
    );
    // A unit under its own child is refused, and nothing changes.
    let cycle = csv(&[header, strings(&["新区管委会", "XQ-01", "新区综合办", "园区", "", "60"])]);
    let run = import(&app, cycle, "u.csv", &[("kind", "units")]).await;
    assert!(run["outcome"]["errors"][0]["reason"].as_str().unwrap().contains("循环"), "{run}");
    assert_eq!(run["outcome"]["written"], false);
}

#[tokio::test]
async fn the_figures_export_speaks_chinese() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.xlsx");
    let o = zhantu(&[
        "export",
        "figures",
        "--year",
        "2019",
        "--database",
        &app.url,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let sheets = zhantu_office::read_sheets(&std::fs::read(&out).unwrap(), "f.xlsx").unwrap();
    assert!(sheets.iter().any(|s| s.name == "集中开工"), "the batches' list has its sheet");
    let untranslated = |s: &str| s.chars().any(|c| c.is_ascii_lowercase() || c == '_');
    for s in &sheets {
        assert!(!untranslated(&s.name), "{}", s.name);
        let header_row = if s.name == "总览" { 1 } else { 0 };
        for cell in &s.rows[header_row] {
            assert!(!untranslated(&cell.as_text()), "{}: {:?}", s.name, cell);
        }
        if s.name == "总览" {
            for r in &s.rows[2..] {
                assert!(!untranslated(&r[0].as_text()), "{:?}", r[0]);
            }
        }
    }
    let overview: Vec<String> = sheets[0].rows.iter().map(|r| r[0].as_text()).collect();
    assert!(overview.contains(&"集中开工：年度计划投资（万元）".to_string()), "{overview:?}");
}

#[tokio::test]
async fn a_node_without_a_unit_is_its_projects_and_keeps_its_actual_date() {
    let app = spawn_app().await;
    let (ph, projects) = export_rows(&app, "projects").await;
    let row = projects.iter().find(|r| !r[col(&ph, "项目代码")].is_empty()).unwrap();
    let (code, unit) = (row[col(&ph, "项目代码")].clone(), row[col(&ph, "责任单位")].clone());
    let header = strings(&["项目代码", "节点名称", "计划完成日期", "实际完成日期"]);
    let file = csv(&[header, strings(&[&code, "导入测试节点", "2019-09-30", "2019-09-25"])]);
    let run = import(&app, file, "n.csv", &[("kind", "nodes")]).await;
    assert_created(&run, 1);
    let n = app
        .scalar(&format!(
            "SELECT COUNT(*) FROM nodes n JOIN units u ON u.id = n.responsible_unit_id WHERE n.name = '导入测试节点' \
             AND u.name = '{unit}' AND n.actual_on = '2019-09-25' AND n.status = 'closed'"
        ))
        .await;
    assert_eq!(n, 1);
}

/// The import created `n` records and found no bad row.
#[track_caller]
fn assert_created(run: &serde_json::Value, n: u64) {
    assert_eq!(
        (run["outcome"]["created"].as_u64(), run["outcome"]["errors"].clone()),
        (Some(n), json!([])),
        "{run}"
    );
}

/// A text value read by SQL.
async fn text_of(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sql).fetch_one(app.store.pool()).await.unwrap()
}

#[tokio::test]
async fn results_and_counted_investment_import_by_project_or_statistics_code_and_only_coordinators_import() {
    let app = spawn_app().await;
    let mine = app.store.user_by_username("haimen").await.unwrap().unwrap().unit_id;
    // 投产项目效益: a year the demo has no results for, of one of the editor's unit's projects.
    let code = text_of(
        &app,
        &format!("SELECT MIN(code) FROM projects WHERE unit_id = {mine} AND code IS NOT NULL"),
    )
    .await;
    let pid = app.scalar(&format!("SELECT id FROM projects WHERE code = '{code}'")).await;
    let header = strings(&[
        "项目代码",
        "效益年度",
        "年产值（万元）",
        "年税收（万元）",
        "就业人数",
        "年综合能耗（吨标准煤）",
    ]);
    let row = |output: &str| strings(&[&code, "2023", output, "610", "85", "880"]);
    let run = import(&app, csv(&[header.clone(), row("10500")]), "r.csv", &[("kind", "results")]).await;
    assert_created(&run, 1);
    let (_, r) = app.get(&format!("/api/v1/projects/{pid}/results")).await;
    let year = r["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2023)
        .cloned()
        .expect("the imported year");
    assert_eq!((year["jobs"].as_i64(), year["energy_tce"].as_i64()), (Some(85), Some(880)), "{r}");
    assert_eq!(
        app.scalar(&format!(
            "SELECT output FROM results_years WHERE project_id = {pid} AND year = 2023"
        ))
        .await,
        105_000_000,
        "万元 to 元"
    );
    let run = import(&app, csv(&[header.clone(), row("10500")]), "r.csv", &[("kind", "results")]).await;
    assert_eq!(run["outcome"]["unchanged"], 1, "{run}");
    let run = import(&app, csv(&[header.clone(), row("9800")]), "r.csv", &[("kind", "results")]).await;
    assert_eq!(run["outcome"]["changed"], 1, "{run}");

    // 列统投资: by statistics code alone, by project code, and refused where the two disagree
    // or the statistics code is no project's.
    let entered = app
        .scalar("SELECT MIN(id) FROM projects WHERE statistics_code IS NOT NULL AND code IS NOT NULL")
        .await;
    let stats = text_of(&app, &format!("SELECT statistics_code FROM projects WHERE id = {entered}")).await;
    let other = text_of(
        &app,
        &format!("SELECT MIN(code) FROM projects WHERE code IS NOT NULL AND id <> {entered}"),
    )
    .await;
    let header = strings(&["项目代码", "统计代码", "列统月份", "累计列统投资（万元）"]);
    let run = import(
        &app,
        csv(&[header.clone(), strings(&["", &stats, "2020-01", "1234"])]),
        "s.csv",
        &[("kind", "statistics_counted")],
    )
    .await;
    assert_created(&run, 1);
    assert_eq!(
        app.scalar(&format!(
            "SELECT cumulative FROM statistics_counted WHERE project_id = {entered} AND year = 2020 AND month = 1"
        ))
        .await,
        12_340_000
    );
    let (before, audit) = (count(&app, "statistics_counted").await, app.audit_count().await);
    let bad = vec![
        header.clone(),
        strings(&[&other, &stats, "2020-02", "10"]),
        strings(&["", "NO-SUCH-CODE", "2020-02", "10"]),
        strings(&["", &stats, "2020-02", "10"]),
    ];
    let run = import(&app, csv(&bad), "s.csv", &[("kind", "statistics_counted")]).await;
    let errors: Vec<(u64, String)> = run["outcome"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_u64().unwrap(), e["column"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(errors, vec![(2, "统计代码".to_string()), (3, "统计代码".to_string())], "{run}");
    assert_eq!(run["outcome"]["written"], false);
    assert_eq!(
        (count(&app, "statistics_counted").await, app.audit_count().await),
        (before, audit),
        "all or nothing"
    );

    // A unit editor imports nothing (imports are the coordinators' and administrators'); its
    // export of the kinds lists its unit's projects only.
    let editor = app.login("haimen").await;
    let resp = editor.response("/api/v1/import/templates/results.xlsx").await;
    assert_eq!(crate::helpers::status_of(&resp), 403);
    let (status, _) = editor.post("/api/v1/imports", json!({})).await;
    assert_eq!(status, 403);
    for kind in ["results", "statistics_counted"] {
        let resp = editor.response(&format!("/api/v1/export/{kind}.xlsx")).await;
        assert_eq!(crate::helpers::status_of(&resp), 200, "{kind}");
        let rows = sheet_text(&resp.bytes().await.unwrap());
        for r in rows.iter().skip(1).filter(|r| !r[0].is_empty()) {
            let unit = app.scalar(&format!("SELECT unit_id FROM projects WHERE code = '{}'", r[0])).await;
            assert_eq!(unit, mine, "{kind}: {r:?}");
        }
        if kind == "results" {
            assert!(
                rows.iter().any(|r| r[0] == code && r[1..].contains(&"2023".to_string())),
                "{rows:?}"
            );
        }
    }
    let resp = editor.response("/api/v1/export/results.xlsx?lang=en").await;
    let sheets = zhantu_office::read_sheets(&resp.bytes().await.unwrap(), "x.xlsx").unwrap();
    assert_eq!(sheets[0].name, "Results after operation");
}
