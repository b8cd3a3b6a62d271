//! A district's whole record by import (issue #15, item 4): every kind's template and its
//! example, every error of a bad row at once, all or nothing, the demo district moved kind by
//! kind into an empty database with the same figures, and the rules of the kinds that record
//! the past (stage history, batches, problems without deadline or external id).
//!
//! Each kind's export importing again unchanged into the demo is
//! `excel::every_export_imports_again_unchanged_and_reads_back_identically`, which goes
//! through `ImportKind::ALL`.

use crate::excel::{count, csv, download, import, sheet_text};
use crate::helpers::{TestApp, fresh_store, spawn_app, zhantu};
use serde_json::{Value, json};
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

/// What `zhantu init` will give an empty database (the project types and their templates,
/// approval clocks, rules, calendar and settings), taken here from the demo's own set.
async fn empty_district() -> (zhantu_store::Store, tempfile::TempDir, String) {
    let (store, dir, url) = fresh_store().await;
    let demo = zhantu_demo::scenario_2019(2019);
    let base = zhantu_domain::dataset::Dataset {
        settings: demo.settings.iter().filter(|(k, _)| !k.starts_with("demo_")).cloned().collect(),
        project_types: demo.project_types.clone(),
        node_templates: demo.node_templates.clone(),
        approval_clocks: demo.approval_clocks.clone(),
        light_rules: demo.light_rules.clone(),
        ..Default::default()
    };
    store.load_dataset(&base).await.expect("load the district's settings");
    (store, dir, url)
}

#[tokio::test]
async fn the_demo_district_moves_kind_by_kind_into_an_empty_database_with_the_same_figures() {
    let app = spawn_app().await;
    let (store, dir, url) = empty_district().await;
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM units")
            .fetch_one(store.pool())
            .await
            .unwrap(),
        0
    );
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
    // The same record, row for row, through every kind's export.
    let all = zhantu_store::ProjectFilter::default();
    for kind in ImportKind::ALL {
        let a = app.store.export_kind(kind, &all).await.unwrap();
        let b = store.export_kind(kind, &all).await.unwrap();
        assert_eq!(a.rows.len(), b.rows.len(), "{kind:?}");
        for (x, y) in a.rows.iter().zip(&b.rows) {
            assert_eq!(x, y, "{kind:?}");
        }
    }
    // And the same figures, field for field.
    store.recompute_lights("test").await.unwrap();
    for year in [2018, 2019] {
        let want = serde_json::to_value(app.store.year_figures(year).await.unwrap()).unwrap();
        let got = serde_json::to_value(store.year_figures(year).await.unwrap()).unwrap();
        assert_eq!(differences("", &want, &got), Vec::<String>::new(), "{year}");
    }
}

/// Where two JSON values differ, as `path: want ≠ got` lines.
fn differences(path: &str, want: &Value, got: &Value) -> Vec<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .flat_map(|k| {
                    differences(
                        &format!("{path}.{k}"),
                        &a.get(k).cloned().unwrap_or(Value::Null),
                        &b.get(k).cloned().unwrap_or(Value::Null),
                    )
                })
                .collect()
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
            .iter()
            .zip(b)
            .enumerate()
            .flat_map(|(i, (x, y))| differences(&format!("{path}[{i}]"), x, y))
            .collect(),
        _ if want == got => Vec::new(),
        _ => vec![format!("{path}: {want} ≠ {got}")],
    }
}
