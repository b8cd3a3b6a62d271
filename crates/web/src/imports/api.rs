//! Imports' JSON API (issue #6): import templates, imports with a dry run first and progress.
//!
//! An import is uploaded as `multipart/form-data` (`file`, optional `kind`, `sheet`,
//! `dry_run`). The file is read and parsed before the answer (a file that cannot be read is a
//! 400 with the reason); the rows are then applied in a background task whose progress
//! `GET /api/v1/imports/{id}` reports. A dry run that found no bad row can be committed with
//! `POST /api/v1/imports/{id}/commit`, which imports the same file for real.

use super::jobs::{MAX_ERRORS_PAGE, job, job_page, spawn_job};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Upload};
use crate::openapi::{UploadField, UploadKind};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use std::sync::Arc;
use zhantu_domain::access::Action;
use zhantu_domain::imports::{ImportKind, Parsed, choices, template};

/// Largest import file accepted (the rest of the app keeps the global 1 MiB limit).
const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> Routes {
    Routes::new()
        .route("/import/templates/{file}", get(template_file))
        .route(
            "/imports",
            post(start).body_limit(MAX_IMPORT_BYTES + 64 * 1024).upload(START_UPLOAD),
        )
        .route("/imports/{id}", get(status))
        .route("/imports/{id}/commit", post(commit))
}

fn kind_of(s: &str) -> Result<ImportKind, ApiError> {
    ImportKind::from_code(s.trim())
        .ok_or_else(|| ApiError::bad_request("invalid_kind", format!("导入类型“{s}”无效：应为 {} 之一", ImportKind::codes())))
}

/// Reads and parses an uploaded file: every reason a file cannot be read is a 400.
fn parse_upload(bytes: &[u8], file_name: &str, kind: Option<ImportKind>, sheet: Option<&str>) -> Result<Parsed, ApiError> {
    zhantu_office::read_import(bytes, file_name, kind, sheet).map_err(|e| ApiError::bad_request("invalid_file", e.to_string()))
}

fn accepted(id: u64) -> Response {
    (
        StatusCode::ACCEPTED,
        Json(json!({ "id": id, "status_url": format!("/api/v1/imports/{id}") })),
    )
        .into_response()
}

const START_UPLOAD: &[UploadField] = &[
    UploadField {
        name: "file",
        kind: UploadKind::File,
        required: true,
        description: "工作簿（.xlsx）或 .csv / the workbook or CSV",
    },
    UploadField {
        name: "kind",
        kind: UploadKind::Text,
        required: false,
        description: "导入类型，缺省时按表头判断 / what it holds (guessed from the header if absent)",
    },
    UploadField {
        name: "sheet",
        kind: UploadKind::Text,
        required: false,
        description: "工作表名 / the sheet's name",
    },
    UploadField {
        name: "dry_run",
        kind: UploadKind::Boolean,
        required: false,
        description: "只校验不导入 / check only",
    },
];

/// `POST /imports` (multipart): `file`, and optionally `kind`, `sheet`, `dry_run` (`1`/`true`).
async fn start(State(st): State<AppState>, a: Auth, req: axum::extract::Request) -> Result<Response, ApiError> {
    a.actor.may(Action::Import)?;
    let mut upload = Upload::open(req, "file（.xlsx 或 .csv）、kind、dry_run").await?;
    let (mut file, mut kind, mut sheet, mut dry_run) = (None, None, None, false);
    while let Some(field) = upload.next_field().await? {
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

/// Which bad rows a status answer lists: `errors_offset` (default 0) and `errors_limit`
/// (default and at most `MAX_ERRORS_PAGE`).
#[derive(schemars::JsonSchema, serde::Deserialize)]
struct StatusQuery {
    errors_offset: Option<usize>,
    errors_limit: Option<usize>,
}

/// `GET /imports/{id}`: the run's progress and, when done, its outcome with one page of its
/// bad rows (`errors_total` counts them all).
async fn status(a: Auth, Path(id): Path<String>, ApiQuery(q): ApiQuery<StatusQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    let id: u64 = id.parse().map_err(|_| ApiError::not_found(format!("导入任务 {id} 不存在")))?;
    let limit = q.errors_limit.unwrap_or(MAX_ERRORS_PAGE);
    Ok(Json(job_page(id, &a, q.errors_offset.unwrap_or(0), limit)?))
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

/// The drop-down lists of a kind's template: fixed choices, and the district's own units,
/// leaders, project types and categories in Chinese.
async fn template_bytes(st: &AppState, kind: ImportKind) -> Result<Vec<u8>, ApiError> {
    let t = template(kind);
    let mut lists = Vec::new();
    for (i, f) in kind.fields().iter().enumerate() {
        if let Some(c) = choices(f.ty) {
            lists.push((i, c));
        } else if let Some(r) = f.refers {
            lists.push((i, st.store.import_choices(r).await?));
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
