//! Excel in and out (issue #6). Import templates, imports with a dry run first and progress,
//! and `.xlsx` exports of the lists and the figures.
//!
//! An import is uploaded as `multipart/form-data` (`file`, optional `kind`, `sheet`,
//! `dry_run`). The file is read and parsed before the answer (a file that cannot be read is a
//! 400 with the reason); the rows are then applied in a background task whose progress
//! `GET /api/v1/imports/{id}` reports. A dry run that found no bad row can be committed with
//! `POST /api/v1/imports/{id}/commit`, which imports the same file for real.

use crate::AppState;
use crate::query::ProjectsQuery;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};
use zhantu_domain::access::Action;
use zhantu_domain::imports::{ImportKind, Parsed, choices, template};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::imports::ImportOutcome;

/// Largest import file accepted (the rest of the app keeps the global 1 MiB limit).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// The state-changing routes of this module (full paths), for the access tests.
pub const WRITE_ROUTES: &[(&str, &str)] = &[("POST", "/api/v1/imports"), ("POST", "/api/v1/imports/{id}/commit")];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/import/templates/{file}", get(template_file))
        .route("/imports", post(start).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES + 64 * 1024)))
        .route("/imports/{id}", get(status))
        .route("/imports/{id}/commit", post(commit))
        .route("/export/{file}", get(export))
}

/// One import run, kept in memory while the server runs (the newest `MAX_JOBS`).
#[derive(Debug, Clone, Serialize)]
pub struct Job {
    pub id: u64,
    pub kind: ImportKind,
    pub kind_label: &'static str,
    pub file_name: String,
    pub sheet: String,
    pub dry_run: bool,
    /// `running`, `done` or `failed`.
    pub state: &'static str,
    pub done: usize,
    pub total: usize,
    pub outcome: Option<ImportOutcome>,
    pub error: Option<String>,
    #[serde(skip)]
    user_id: i64,
    /// The parsed rows of a dry run, kept for its commit.
    #[serde(skip)]
    parsed: Option<Arc<Parsed>>,
}

const MAX_JOBS: usize = 32;

struct Jobs {
    next: u64,
    jobs: BTreeMap<u64, Job>,
}

static JOBS: LazyLock<Mutex<Jobs>> = LazyLock::new(|| {
    Mutex::new(Jobs {
        next: 1,
        jobs: BTreeMap::new(),
    })
});

fn jobs() -> std::sync::MutexGuard<'static, Jobs> {
    JOBS.lock().unwrap_or_else(|p| p.into_inner())
}

/// A copy of a job, for the page and the API (only its owner or an admin may see it).
pub(crate) fn job(id: u64, a: &Auth) -> Result<Job, ApiError> {
    let j = jobs()
        .jobs
        .get(&id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("导入任务 {id} 不存在或已过期")))?;
    if j.user_id != a.user.id && a.actor.may(Action::Administer).is_err() {
        return Err(ApiError::not_found(format!("导入任务 {id} 不存在或已过期")));
    }
    Ok(j)
}

fn kind_of(s: &str) -> Result<ImportKind, ApiError> {
    ImportKind::from_code(s.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_kind",
            format!("导入类型“{s}”无效：应为 projects、nodes、investment、fai、enterprises 或 problems"),
        )
    })
}

/// Reads and parses an uploaded file: every reason a file cannot be read is a 400.
pub fn parse_upload(bytes: &[u8], file_name: &str, kind: Option<ImportKind>, sheet: Option<&str>) -> Result<Parsed, ApiError> {
    zhantu_office::read_import(bytes, file_name, kind, sheet).map_err(|e| ApiError::bad_request("invalid_file", e.to_string()))
}

/// Starts applying `parsed` in the background; returns the job's id.
fn spawn_job(st: &AppState, a: &Auth, parsed: Arc<Parsed>, file_name: String, dry_run: bool) -> u64 {
    let id = {
        let mut js = jobs();
        let id = js.next;
        js.next += 1;
        // Forget the oldest finished runs (a running one is never dropped).
        while js.jobs.len() >= MAX_JOBS {
            let Some(oldest) = js.jobs.values().find(|j| j.state != "running").map(|j| j.id) else {
                break;
            };
            js.jobs.remove(&oldest);
        }
        js.jobs.insert(
            id,
            Job {
                id,
                kind: parsed.kind,
                kind_label: parsed.kind.label_zh(),
                file_name,
                sheet: parsed.sheet.clone(),
                dry_run,
                state: "running",
                done: 0,
                total: parsed.rows.len(),
                outcome: None,
                error: None,
                user_id: a.user.id,
                parsed: None,
            },
        );
        id
    };
    let store = st.store.clone();
    let ctx = a.audit();
    tokio::spawn(async move {
        let progress = move |done: usize, total: usize| {
            if let Some(j) = jobs().jobs.get_mut(&id) {
                j.done = done;
                j.total = total;
            }
        };
        let result = store.apply_import(&parsed, dry_run, &ctx, &progress).await;
        let mut js = jobs();
        if let Some(j) = js.jobs.get_mut(&id) {
            match result {
                Ok(o) => {
                    j.state = "done";
                    if dry_run && o.errors.is_empty() {
                        j.parsed = Some(parsed.clone());
                    }
                    j.outcome = Some(o);
                }
                Err(e) => {
                    tracing::error!(error = %e, "import failed");
                    j.state = "failed";
                    j.error = Some(format!("导入失败，未写入任何数据：{e}"));
                }
            }
        }
    });
    id
}

fn accepted(id: u64) -> Response {
    (
        StatusCode::ACCEPTED,
        Json(json!({ "id": id, "status_url": format!("/api/v1/imports/{id}") })),
    )
        .into_response()
}

/// `POST /imports` (multipart): `file`, and optionally `kind`, `sheet`, `dry_run` (`1`/`true`).
async fn start(State(st): State<AppState>, a: Auth, req: axum::extract::Request) -> Result<Response, ApiError> {
    a.actor.may(Action::Import)?;
    let mut mp = <Multipart as axum::extract::FromRequest<AppState>>::from_request(req, &st)
        .await
        .map_err(|_| {
            ApiError::bad_request(
                "invalid_body",
                "请以 multipart/form-data 上传：file（.xlsx 或 .csv）、kind、dry_run",
            )
        })?;
    let (mut file, mut kind, mut sheet, mut dry_run) = (None, None, None, false);
    while let Some(field) = mp
        .next_field()
        .await
        .map_err(|e| ApiError::bad_request("invalid_body", format!("上传内容无效：{e}")))?
    {
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                let fname = field
                    .file_name()
                    .unwrap_or("")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(120)
                    .collect::<String>();
                let bytes = field.bytes().await.map_err(|_| ApiError::too_large())?;
                file = Some((fname, bytes));
            }
            "kind" | "sheet" | "dry_run" => {
                let v = field
                    .text()
                    .await
                    .map_err(|_| ApiError::bad_request("invalid_body", format!("{name}无效")))?;
                let v = v.trim().to_string();
                match name.as_str() {
                    "kind" if !v.is_empty() => kind = Some(kind_of(&v)?),
                    "sheet" if !v.is_empty() => sheet = Some(v),
                    "dry_run" => dry_run = matches!(v.as_str(), "1" | "true" | "on" | "yes"),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    let (file_name, bytes) = file.ok_or_else(|| ApiError::bad_request("missing_file", "请选择要导入的文件（.xlsx 或 .csv）"))?;
    let fname = file_name.clone();
    let parsed = tokio::task::spawn_blocking(move || parse_upload(&bytes, &fname, kind, sheet.as_deref()))
        .await
        .map_err(ApiError::internal)??;
    Ok(accepted(spawn_job(&st, &a, Arc::new(parsed), file_name, dry_run)))
}

async fn status(a: Auth, Path(id): Path<String>) -> Result<Json<Job>, ApiError> {
    let id: u64 = id.parse().map_err(|_| ApiError::not_found(format!("导入任务 {id} 不存在")))?;
    Ok(Json(job(id, &a)?))
}

/// `POST /imports/{id}/commit`: imports for real what dry run `id` checked.
async fn commit(State(st): State<AppState>, a: Auth, Path(id): Path<String>) -> Result<Response, ApiError> {
    a.actor.may(Action::Import)?;
    let id: u64 = id.parse().map_err(|_| ApiError::not_found(format!("导入任务 {id} 不存在")))?;
    let j = job(id, &a)?;
    let parsed = match (&j.state, j.dry_run, &j.parsed) {
        (&"done", true, Some(p)) => p.clone(),
        (&"running", _, _) => return Err(ApiError::conflict("import_running", "试导入尚未完成，请稍候")),
        (_, false, _) => return Err(ApiError::bad_request("not_a_dry_run", "只能确认试导入的任务")),
        _ => return Err(ApiError::bad_request("dry_run_failed", "试导入发现错误，请修正文件后重新上传")),
    };
    Ok(accepted(spawn_job(&st, &a, parsed, j.file_name, false)))
}

/// The drop-down lists of a kind's template: fixed choices, units, project types.
pub(crate) async fn template_bytes(st: &AppState, kind: ImportKind) -> Result<Vec<u8>, ApiError> {
    let t = template(kind);
    let units = st.store.import_unit_names().await?;
    let types = st.store.project_type_codes().await?;
    let mut lists = Vec::new();
    for (i, f) in kind.fields().iter().enumerate() {
        if let Some(c) = choices(f.ty) {
            lists.push((i, c));
        } else if f.key == "unit" {
            lists.push((i, units.clone()));
        } else if f.key == "project_type" {
            lists.push((i, types.clone()));
        }
    }
    zhantu_office::write_template(&t, &lists).map_err(ApiError::internal)
}

/// `GET /import/templates/{kind}.xlsx`.
async fn template_file(State(st): State<AppState>, a: Auth, Path(file): Path<String>) -> Result<Response, ApiError> {
    a.actor.may(Action::Import)?;
    let kind = kind_of(file.strip_suffix(".xlsx").unwrap_or(&file))?;
    let bytes = template_bytes(&st, kind).await?;
    Ok(crate::download::file(
        &format!("{}导入模板.xlsx", kind.label_zh()),
        zhantu_office::XLSX_MIME,
        bytes,
    ))
}

/// `GET /export/{list}.xlsx`: projects, nodes and investment with the registry's filters (and
/// the reader's unit scope); fai, enterprises, problems and figures for readers of everything.
async fn export(
    State(st): State<AppState>,
    a: Auth,
    Path(file): Path<String>,
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
            Err(ApiError::forbidden("无权导出：只能导出本单位的项目、节点和月度投资"))
        }
    };
    let (label, table) = match name {
        "projects" => ("项目清单", st.store.export_projects(&filter).await?),
        "nodes" => ("节点清单", st.store.export_nodes(&filter).await?),
        "investment" => ("月度投资", st.store.export_investment(&filter).await?),
        "fai" => {
            whole_district()?;
            ("固定资产投资", st.store.export_fai().await?)
        }
        "enterprises" => {
            whole_district()?;
            ("企业清单", st.store.export_enterprises().await?)
        }
        "problems" => {
            whole_district()?;
            ("问题清单", st.store.export_problems().await?)
        }
        "figures" => {
            whole_district()?;
            let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => chrono::Datelike::year(&st.store.as_of().await?),
                Some(s) => s
                    .parse::<i32>()
                    .ok()
                    .filter(|y| (1949..=2100).contains(y))
                    .ok_or_else(|| ApiError::bad_request("invalid_year", format!("年份“{s}”无效：应为四位年份，如 2019")))?,
            };
            let f = st.store.year_figures(year).await?;
            let v = serde_json::to_value(&f).map_err(ApiError::internal)?;
            let tables = figure_tables(year, &v);
            let bytes = tokio::task::spawn_blocking(move || zhantu_office::write_xlsx(&tables))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?;
            return Ok(crate::download::file(
                &format!("{year}年指标.xlsx"),
                zhantu_office::XLSX_MIME,
                bytes,
            ));
        }
        other => return Err(ApiError::not_found(format!("没有“{other}”这项导出"))),
    };
    let bytes = tokio::task::spawn_blocking(move || zhantu_office::write_xlsx(&[table]))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(crate::download::file(&format!("{label}.xlsx"), zhantu_office::XLSX_MIME, bytes))
}

#[derive(Debug, serde::Deserialize, Default)]
struct ExportQuery {
    #[serde(flatten)]
    projects: ProjectsQuery,
    year: Option<String>,
}

/// Chinese names of the figures' fields (the rest keep their key).
fn figure_label(key: &str) -> &str {
    match key {
        "year" => "年度",
        "as_of" => "截至日期",
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
        _ => key,
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
        Value::String(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Cell::Date)
            .unwrap_or_else(|_| Cell::Text(s.clone())),
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

/// The figures as sheets: an overview of every scalar (flattened one level), then one sheet
/// per list of records.
pub fn figure_tables(year: i32, v: &Value) -> Vec<Table> {
    let mut overview = Table::new("总览", vec![Column::new("指标", ColKind::Text), Column::new("数值", ColKind::Text)])
        .with_title(format!("{year}年主要指标"));
    let mut lists = Vec::new();
    let Some(obj) = v.as_object() else { return vec![overview] };
    for (k, val) in obj {
        match val {
            Value::Array(items) if items.iter().all(Value::is_object) && !items.is_empty() => {
                let keys: Vec<String> = items[0].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
                let rows: Vec<Vec<Cell>> = items
                    .iter()
                    .map(|it| keys.iter().map(|key| figure_cell(key, &it[key])).collect())
                    .collect();
                let cols = keys
                    .iter()
                    .enumerate()
                    .map(|(i, key)| {
                        Column::new(
                            figure_label(key),
                            rows.iter()
                                .map(|r| col_kind(&r[i]))
                                .find(|k| *k != ColKind::Text)
                                .unwrap_or(ColKind::Text),
                        )
                    })
                    .collect();
                let mut t = Table::new(figure_label(k), cols);
                for r in rows {
                    // A column typed by its first non-text cell keeps text where others differ.
                    t.push(r);
                }
                lists.push(t);
            }
            Value::Object(inner) => {
                for (k2, v2) in inner {
                    if !v2.is_array() && !v2.is_object() {
                        overview.push(vec![
                            Cell::Text(format!("{}.{}", figure_label(k), figure_label(k2))),
                            figure_cell(k2, v2),
                        ]);
                    }
                }
            }
            Value::Array(_) => {}
            scalar => overview.push(vec![Cell::Text(figure_label(k).to_string()), figure_cell(k, scalar)]),
        }
    }
    let mut out = vec![overview];
    out.extend(lists);
    out
}
