//! `.xlsx` exports of the lists and the figures: `/api/v1/export/{file}`, and the figures as
//! sheets (`figure_tables`), which the CLI's `export` command shares. `registry.xlsx` is the
//! registry page as a sheet: its columns, filters and order, in the reader's language. Every
//! file's name, sheet names and data-version sheet are in the reader's language (`?lang=`,
//! else the remembered choice); an import kind's columns and values stay the importer's.

use crate::auth::Auth;
use crate::download::stamped_xlsx;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::page::{Lang, t, tf};
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
    let lang = crate::page::anonymous_lang(q.lang.as_deref(), &headers);
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
        let mut table = st.store.export_kind(kind, &filter).await?;
        // The columns and values are the importer's (the file imports again unchanged); only
        // the sheet and the file are named in the reader's language.
        let label = match lang {
            Lang::Zh => kind.label_zh(),
            Lang::En => kind.label_en(),
        };
        if lang == Lang::En {
            table.sheet = label.to_string();
        }
        return stamped_xlsx(&st.store, lang, &format!("{label}.xlsx"), vec![table]).await;
    }
    match name {
        "registry" => {
            let sort = ProjectSort::from_code(q.sort.as_deref().unwrap_or("").trim()).unwrap_or_default();
            let table = registry_table(&st, filter, sort, lang).await?;
            stamped_xlsx(&st.store, lang, &format!("{}.xlsx", t(lang, "exports.registry.file")), vec![table]).await
        }
        "figures" => {
            whole_district()?;
            let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => chrono::Datelike::year(&st.store.as_of().await?),
                Some(s) => zhantu_domain::Year::parse(s)?.get(),
            };
            let f = st.store.year_figures(year).await?;
            let v = serde_json::to_value(&f).map_err(ApiError::internal)?;
            let file = tf(lang, "exports.figures.file", &[("year", &year.to_string())]);
            stamped_xlsx(&st.store, lang, &format!("{file}.xlsx"), figure_tables_in(lang, year, &v)).await
        }
        other => Err(ApiError::not_found(format!("没有“{other}”这项导出"))),
    }
}

#[derive(schemars::JsonSchema, Debug, serde::Deserialize, Default)]
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
            col("exports.registry.confidence", ColKind::Text),
            col("exports.registry.confidence_month", ColKind::Text),
            col("exports.registry.disagreement", ColKind::Text),
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
                p.confidence
                    .as_ref()
                    .map(|c| if lang == Lang::Zh { c.level.label_zh() } else { c.level.label_en() })
                    .into(),
                p.confidence.as_ref().map(|c| c.month.clone()).into(),
                p.confidence
                    .as_ref()
                    .and_then(|c| c.disagreement)
                    .map(|d| if lang == Lang::Zh { d.label_zh() } else { d.label_en() })
                    .into(),
            ]);
        }
        match page.next_cursor {
            Some(after) => filter.after = Some(after),
            None => return Ok(table),
        }
    }
}

/// The name of a figures' field in `lang` (`exports.figure.<key>`); a field without one keeps
/// its key.
fn figure_label(lang: Lang, key: &str) -> &str {
    crate::page::i18n::lookup(lang, &format!("exports.figure.{key}")).unwrap_or(key)
}

/// A code among the figures' values in `lang`: stages, lights, batch levels.
fn figure_value(lang: Lang, key: &str, s: &str) -> Option<&'static str> {
    match key {
        "stage" => zhantu_domain::Stage::from_code(s).map(|v| crate::page::stage_label(lang, v)),
        "light" => zhantu_domain::lights::Light::from_code(s).map(|v| crate::page::light_label(lang, v)),
        "level" => zhantu_domain::model::BatchLevel::from_code(s).map(|v| match lang {
            Lang::Zh => v.label_zh(),
            Lang::En => v.label_en(),
        }),
        _ => None,
    }
}

/// A scalar of the figures' JSON as a cell: `_wan` fields are money in 万元.
fn figure_cell(lang: Lang, key: &str, v: &Value) -> Cell {
    match v {
        Value::Null => Cell::Empty,
        Value::Bool(b) => Cell::Text(t(lang, if *b { "exports.figures.yes" } else { "exports.figures.no" }).into()),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Cell::Int(i),
            None => Cell::Text(n.to_string()),
        },
        Value::String(s) if key.ends_with("_wan") => zhantu_domain::Money::parse(s, zhantu_domain::MoneyUnit::Wan)
            .map(Cell::Money)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
        Value::String(s) => match figure_value(lang, key, s) {
            Some(label) => Cell::Text(label.into()),
            None => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Cell::Date)
                .unwrap_or_else(|_| Cell::Text(s.clone())),
        },
        other => Cell::Text(other.to_string()),
    }
}

/// A record's cell: a shipped category's name in `lang` (as the cockpit shows it), any other
/// field as [`figure_cell`] makes it.
fn record_cell(lang: Lang, item: &Value, key: &str) -> Cell {
    match (key, item["code"].as_str(), item[key].as_str()) {
        ("category", Some(code), Some(name)) => Cell::Text(crate::page::category_name(lang, code, name)),
        _ => figure_cell(lang, key, &item[key]),
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
fn list_table(lang: Lang, label: &str, items: &[Value]) -> Option<Table> {
    if items.is_empty() || !items.iter().all(Value::is_object) {
        return None;
    }
    let keys: Vec<String> = items[0].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
    let rows: Vec<Vec<Cell>> = items
        .iter()
        .map(|it| keys.iter().map(|key| record_cell(lang, it, key)).collect())
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
            Column::new(figure_label(lang, key), kind)
        })
        .collect();
    let mut t = Table::new(label, cols);
    for r in rows {
        t.push(r);
    }
    Some(t)
}

/// The figures as sheets, in Chinese (the CLI's `export figures`).
pub fn figure_tables(year: i32, v: &Value) -> Vec<Table> {
    figure_tables_in(Lang::Zh, year, v)
}

/// The figures as sheets in `lang`: an overview of every scalar (flattened one level), then one
/// sheet per list of records.
fn figure_tables_in(lang: Lang, year: i32, v: &Value) -> Vec<Table> {
    let mut overview = Table::new(
        t(lang, "exports.figures.overview"),
        vec![
            Column::new(t(lang, "exports.figures.item"), ColKind::Text),
            Column::new(t(lang, "exports.figures.value"), ColKind::Text),
        ],
    )
    .with_title(tf(lang, "exports.figures.title", &[("year", &year.to_string())]));
    let mut lists = Vec::new();
    let Some(obj) = v.as_object() else { return vec![overview] };
    for (k, val) in obj {
        match val {
            Value::Array(items) => lists.extend(list_table(lang, figure_label(lang, k), items)),
            Value::Object(inner) => {
                for (k2, v2) in inner {
                    match v2 {
                        // A list inside a figure (the batches' items) is a sheet named after the figure.
                        Value::Array(items) => lists.extend(list_table(lang, figure_label(lang, k), items)),
                        Value::Object(_) => {}
                        _ => overview.push(vec![
                            Cell::Text(format!(
                                "{}{}{}",
                                figure_label(lang, k),
                                t(lang, "common.colon"),
                                figure_label(lang, k2)
                            )),
                            figure_cell(lang, k2, v2),
                        ]),
                    }
                }
            }
            scalar => overview.push(vec![Cell::Text(figure_label(lang, k).to_string()), figure_cell(lang, k, scalar)]),
        }
    }
    let mut out = vec![overview];
    out.extend(lists);
    out
}
