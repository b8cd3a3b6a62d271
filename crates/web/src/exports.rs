//! `.xlsx` exports of the lists and the figures: `/api/v1/export/{file}`, and the figures as
//! sheets (`figure_tables`), which the CLI's `export` command shares. `registry.xlsx` is the
//! registry page as a sheet: its columns, filters and order, in the reader's language.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::page::{Lang, t};
use crate::query::ProjectsQuery;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde_json::Value;
use zhantu_domain::imports::ImportKind;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::{ProjectFilter, ProjectSort};

pub const MECHANISM: Mechanism = Mechanism {
    name: "exports",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new().route("/export/{file}", get(export))
}

/// `GET /export/{kind}.xlsx`: every import kind in the columns its import reads; those that
/// hang off projects with the registry's filters (and the reader's unit scope), the others and
/// the figures for readers of everything.
async fn export(
    State(st): State<AppState>,
    a: Auth,
    Path(file): Path<String>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let name = file.strip_suffix(".xlsx").unwrap_or(&file);
    let mut filter = q.projects.to_filter()?;
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    let whole_district = || {
        if a.actor.reads_all() {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "无权导出：只能导出本单位项目的数据（项目、项目年度、阶段变更、节点、月度投资、进展填报）",
            ))
        }
    };
    if let Some(kind) = ImportKind::from_code(name) {
        if !kind.per_project() {
            whole_district()?;
        }
        let table = st.store.export_kind(kind, &filter).await?;
        return xlsx_download(&format!("{}.xlsx", kind.label_zh()), stamped(&st, vec![table], Lang::Zh).await?).await;
    }
    match name {
        "registry" => {
            let lang = crate::page::anonymous_lang(q.lang.as_deref(), &headers);
            let sort = ProjectSort::from_code(q.sort.as_deref().unwrap_or("").trim()).unwrap_or_default();
            let table = registry_table(&st, filter, sort, lang).await?;
            xlsx_download(
                &format!("{}.xlsx", t(lang, "exports.registry.file")),
                stamped(&st, vec![table], lang).await?,
            )
            .await
        }
        "figures" => {
            whole_district()?;
            let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => chrono::Datelike::year(&st.store.as_of().await?),
                Some(s) => zhantu_domain::Year::parse(s)?.get(),
            };
            let f = st.store.year_figures(year).await?;
            let v = serde_json::to_value(&f).map_err(ApiError::internal)?;
            xlsx_download(
                &format!("{year}年指标.xlsx"),
                stamped(&st, figure_tables(year, &v), Lang::Zh).await?,
            )
            .await
        }
        other => Err(ApiError::not_found(format!("没有“{other}”这项导出"))),
    }
}

/// The tables with a last sheet, 数据版本, naming the audit chain's head the data was exported
/// at (the entry's number and hash) and when: a copy kept outside the system witnesses the log
/// as it stood, as an issued report does (`zhantu audit verify` finds a rewrite before it). The
/// importer reads the first sheet, so an export still imports again unchanged.
async fn stamped(st: &AppState, mut tables: Vec<Table>, lang: Lang) -> Result<Vec<Table>, ApiError> {
    let v = st.store.data_version().await?;
    let mut t = Table::new(
        t(lang, "exports.stamp.sheet"),
        vec![
            Column::new(t(lang, "exports.stamp.item"), ColKind::Text),
            Column::new(t(lang, "exports.stamp.value"), ColKind::Text),
        ],
    );
    let at = zhantu_store::beijing_time(&chrono::Utc::now().to_rfc3339());
    for (k, value) in [
        ("exports.stamp.at", at),
        ("exports.stamp.seq", v.seq.to_string()),
        ("exports.stamp.hash", v.hash),
    ] {
        t.push(vec![Cell::Text(crate::page::i18n::t(lang, k).into()), Cell::Text(value)]);
    }
    tables.push(t);
    Ok(tables)
}

/// The tables as a workbook to download (written off the async threads).
async fn xlsx_download(file_name: &str, tables: Vec<Table>) -> Result<Response, ApiError> {
    let bytes = tokio::task::spawn_blocking(move || zhantu_office::write_xlsx(&tables))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(crate::download::file(file_name, zhantu_office::XLSX_MIME, bytes))
}

#[derive(Debug, serde::Deserialize, Default)]
struct ExportQuery {
    #[serde(flatten)]
    projects: ProjectsQuery,
    year: Option<String>,
    /// The registry's order (`sort` of `/projects`).
    sort: Option<String>,
    /// The sheet's language (`zh`, `en`); else the reader's remembered choice.
    lang: Option<String>,
}

/// Every project the registry page lists for this filter and order (all its pages), in the
/// page's columns and the reader's language, with the project's type.
async fn registry_table(st: &AppState, mut filter: ProjectFilter, sort: ProjectSort, lang: Lang) -> Result<Table, ApiError> {
    let types: std::collections::HashMap<String, String> = st
        .store
        .project_types()
        .await?
        .into_iter()
        .map(|(code, zh, en)| (code, if lang == Lang::En && !en.is_empty() { en } else { zh }))
        .collect();
    let col = |key: &str, kind: ColKind| Column::new(t(lang, key), kind);
    let mut table = Table::new(
        t(lang, "exports.registry.sheet"),
        vec![
            col("exports.registry.light", ColKind::Text),
            col("exports.registry.reason", ColKind::Text),
            col("exports.registry.name", ColKind::Text),
            col("exports.registry.code", ColKind::Text),
            col("exports.registry.unit", ColKind::Text),
            col("exports.registry.leader", ColKind::Text),
            col("exports.registry.stage", ColKind::Text),
            col("exports.registry.investment", ColKind::Money),
            col("exports.registry.start", ColKind::Date),
            col("exports.registry.categories", ColKind::Text),
            col("exports.registry.division", ColKind::Text),
            col("exports.registry.type", ColKind::Text),
        ],
    );
    filter.limit = 500;
    loop {
        let page = st.store.list_projects_sorted(&filter, sort).await?;
        for p in &page.items {
            table.push(vec![
                p.light.map(|l| crate::page::light_label(lang, l)).into(),
                // In English the headline as the lights job wrote it in English (names as
                // recorded); a light computed before that was kept, in Chinese.
                crate::page::reason_text(lang, p.light_reason.as_deref(), p.light_reason_en.as_deref())
                    .map(str::to_string)
                    .into(),
                p.name.clone().into(),
                p.code.clone().into(),
                p.unit.name.clone().into(),
                p.leader.as_ref().map(|l| l.name.clone()).into(),
                crate::page::stage_label(lang, p.stage).into(),
                p.total_investment_wan.0.into(),
                p.started_on.or(p.planned_start_on).into(),
                p.categories.join("、").into(),
                p.division_name.into(),
                types.get(&p.project_type).cloned().unwrap_or_else(|| p.project_type.clone()).into(),
            ]);
        }
        match page.next_cursor {
            Some(after) => filter.after = Some(after),
            None => return Ok(table),
        }
    }
}

/// Chinese names of the figures' fields (the rest keep their key).
fn figure_label(key: &str) -> &str {
    match key {
        "year" => "年度",
        "as_of" => "截至日期",
        "period_started" => "期间已开始",
        "fai_month" => "固投统计月份",
        "fai_growth_pct" => "固定资产投资增速（%）",
        "fai_province_growth_pct" => "全省增速（%）",
        "fai_points_vs_province" => "高于全省（百分点）",
        "fai_cumulative_wan" => "固投累计（万元）",
        "node_on_time_rate_pct" => "节点按期完成率（%）",
        "enterprise_visits" => "走访企业次数",
        "supervision_rounds" => "督查轮次",
        "projects_planned" => "谋划项目数",
        "landing" => "落地率",
        "categories" => "项目类别",
        "campaigns" => "攻坚行动",
        "stages" => "阶段分布",
        "lights" => "亮灯分布",
        "batches" => "集中开工",
        "node_on_time" => "节点按期",
        "problems" => "问题办结",
        "investment" => "投资完成",
        "land_quota" => "用地指标",
        "code" => "代码",
        "category" => "类别",
        "name" => "名称",
        "count" => "数量",
        "stage" => "阶段",
        "light" => "亮灯",
        "target_pct" => "目标（%）",
        "rate_pct" => "比率（%）",
        "landed" => "已落地",
        "total" => "总数",
        "targeted" => "纳入统计项目数",
        "target_met" => "达到目标",
        "projects" => "项目数",
        "total_investment_wan" => "总投资（万元）",
        "annual_investment_wan" => "年度计划投资（万元）",
        "items" => "批次",
        "id" => "编号",
        "level" => "级别",
        "held_on" => "日期",
        "starts_on" => "开始日期",
        "ends_on" => "结束日期",
        "target_nodes" => "攻坚节点数",
        "closed_nodes" => "已销号节点数",
        "closed_in_time" => "按期销号节点数",
        "overdue" => "逾期节点数",
        "due" => "应完成节点数",
        "on_time" => "按期完成",
        "late_done" => "逾期完成",
        "overdue_open" => "逾期未完成",
        "raised" => "提出",
        "closed" => "已销号",
        "open" => "未销号",
        "mean_days_to_close" => "平均办结天数",
        "planned_wan" => "年度计划投资（万元）",
        "completed_wan" => "完成投资（万元）",
        "time_progress_pct" => "序时进度（%）",
        "points_vs_time_progress" => "超序时进度（百分点）",
        "granted_mu" => "上级下达（亩）",
        "allocated_mu" => "已分配（亩）",
        "balance_mu" => "结余（亩）",
        _ => key,
    }
}

/// A code among the figures' values in Chinese: stages, lights, batch levels.
fn figure_value(key: &str, s: &str) -> Option<&'static str> {
    match key {
        "stage" => zhantu_domain::Stage::from_code(s).map(|v| v.label_zh()),
        "light" => zhantu_domain::lights::Light::from_code(s).map(|v| v.label_zh()),
        "level" => zhantu_domain::model::BatchLevel::from_code(s).map(|v| v.label_zh()),
        _ => None,
    }
}

/// A scalar of the figures' JSON as a cell: `_wan` fields are money in 万元.
fn figure_cell(key: &str, v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Text(if *b { "是" } else { "否" }.into()),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Cell::Int(i),
            None => Cell::Text(n.to_string()),
        },
        Value::String(s) if key.ends_with("_wan") => zhantu_domain::Money::parse(s, zhantu_domain::MoneyUnit::Wan)
            .map(Cell::Money)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Value::String(s) => match figure_value(key, s) {
            Some(label) => Cell::Text(label.into()),
            None => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Cell::Date)
                .unwrap_or_else(|_| Cell::Text(s.clone())),
        },
        other => Cell::Text(other.to_string()),
    }
}

fn col_kind(c: &Cell) -> ColKind {
    match c {
        Cell::Money(_) => ColKind::Money,
        Cell::Date(_) => ColKind::Date,
        Cell::Int(_) => ColKind::Int,
        _ => ColKind::Text,
    }
}

/// A list of records as a sheet (none for an empty list or one of plain values).
fn list_table(label: &str, items: &[Value]) -> Option<Table> {
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return None;
    }
    let keys: Vec<String> = items[0].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let rows: Vec<Vec<Cell>> = items
        .iter()
        .map(|it| keys.iter().map(|key| figure_cell(key, &it[key])).collect())
        .collect();
    let cols = keys
        .iter()
        .enumerate()
        .map(|(i, key)| {
            // A column is typed by its first non-text cell; it keeps text where others differ.
            let kind = rows
                .iter()
                .map(|r| col_kind(&r[i]))
                .find(|k| *k != ColKind::Text)
                .unwrap_or(ColKind::Text);
            Column::new(figure_label(key), kind)
        })
        .collect();
    let mut t = Table::new(label, cols);
    for r in rows {
        t.push(r);
    }
    Some(t)
}

/// The figures as sheets: an overview of every scalar (flattened one level), then one sheet
/// per list of records.
pub fn figure_tables(year: i32, v: &Value) -> Vec<Table> {
    let mut overview = Table::new("总览", vec![Column::new("指标", ColKind::Text), Column::new("数值", ColKind::Text)])
        .with_title(format!("{year}年主要指标"));
    let mut lists = Vec::new();
    let Some(obj) = v.as_object() else { return vec![overview] };
    for (k, val) in obj {
        match val {
            Value::Array(items) => lists.extend(list_table(figure_label(k), items)),
            Value::Object(inner) => {
                for (k2, v2) in inner {
                    match v2 {
                        // A list inside a figure (the batches' items) is a sheet named after the figure.
                        Value::Array(items) => lists.extend(list_table(figure_label(k), items)),
                        Value::Object(_) => {}
                        _ => overview.push(vec![
                            Cell::Text(format!("{}：{}", figure_label(k), figure_label(k2))),
                            figure_cell(k2, v2),
                        ]),
                    }
                }
            }
            scalar => overview.push(vec![Cell::Text(figure_label(k).to_string()), figure_cell(k, scalar)]),
        }
    }
    let mut out = vec![overview];
    out.extend(lists);
    out
}
