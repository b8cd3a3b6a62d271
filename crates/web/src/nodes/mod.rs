//! Nodes (节点): the nodes of a project and their plan (from the type's template, then added,
//! edited, removed and reordered by hand; freely while the plan is a draft, with reasons once
//! a coordinator has approved its baseline), close-out in two steps (the unit reports done
//! with evidence, the coordinator verifies or sends back), date changes under a coordinator's
//! approval, the schedule's versions and the evidence files. The node forms of the project
//! page are drawn by `panels::nodes` (templates/nodes/); the node's own page, where a
//! close-out is verified in view of its evidence, is `pages.rs`.

mod pages;

use crate::access::{check_project, edit};
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, Upload, created, non_empty};
use crate::forms::version_of;
use crate::openapi::{UploadField, UploadKind};
use crate::query::ProjectsQuery;
use crate::routes::{Routes, get, post};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::exif;
use zhantu_domain::files::{FileKind, require};
use zhantu_store::{EvidenceFile, NewNode, NodeState};

/// Evidence files: at most this many per report, each at most this large.
pub const MAX_EVIDENCE_FILES: usize = 5;
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

pub const MECHANISM: Mechanism = Mechanism {
    name: "nodes",
    pages: pages::router,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/nodes", get(list_nodes))
        .route("/nodes/{id}", get(node).patch(update_node).delete(remove_node))
        .route("/projects/{id}/plan", post(plan))
        .route("/projects/{id}/nodes", post(add_node))
        .route("/projects/{id}/nodes/order", post(reorder))
        .route("/projects/{id}/baseline", post(approve_baseline))
        .route("/projects/{id}/schedule", get(schedule))
        .route(
            "/nodes/{id}/report",
            post(report)
                .body_limit(MAX_EVIDENCE_FILES * MAX_EVIDENCE_BYTES + 64 * 1024)
                .upload(REPORT_UPLOAD),
        )
        .route("/nodes/{id}/verify", post(verify))
        .route("/nodes/{id}/date-change", post(request_date_change))
        .route("/date-changes/{id}/decide", post(decide))
        .route("/date-change-reasons", get(reasons))
        .route("/evidence/{id}", get(evidence))
}

/// `GET /nodes?overdue=1`: the overdue-node list, most overdue first, with the registry's
/// filters (`division`, `unit`, `stage`, `light`, …), `limit` and `offset`; a unit's staff see
/// their units' projects only.
#[derive(schemars::JsonSchema, Debug, Deserialize)]
struct NodesQuery {
    overdue: Option<String>,
    offset: Option<String>,
    #[serde(flatten)]
    projects: ProjectsQuery,
}

async fn list_nodes(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<NodesQuery>) -> Result<Json<Value>, ApiError> {
    if !matches!(non_empty(&q.overdue), Some("1" | "true" | "yes")) {
        return Err(ApiError::bad_request(
            "overdue_required",
            "节点清单目前只列逾期节点：请加参数 overdue=1（可与 division、unit、stage 等项目筛选条件合用）",
        ));
    }
    let offset = match non_empty(&q.offset) {
        None => 0,
        Some(s) => s
            .parse::<u32>()
            .map_err(|_| ApiError::bad_request("invalid_offset", format!("偏移量“{s}”无效：应为非负整数")))? as i64,
    };
    let mut filter = q.projects.to_filter()?;
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    let page = st.store.overdue_nodes(&filter, offset).await?;
    Ok(Json(
        serde_json::to_value(page).map_err(|e| ApiError::bad_request("internal", e.to_string()))?,
    ))
}

async fn load(st: &AppState, id: i64) -> Result<NodeState, ApiError> {
    st.store.node_state(id).await.or_not_found(format!("节点 {id} 不存在"))
}

/// A unit may act on a node of its projects, or on a node it is responsible for.
fn may(a: &Auth, n: &NodeState, edit: bool) -> Result<(), ApiError> {
    let action = |unit_id| if edit { Action::Edit { unit_id } } else { Action::Read { unit_id } };
    a.actor
        .may(action(n.project_unit_id))
        .or_else(|e| a.actor.may(action(n.responsible_unit_id)).map_err(|_| e))?;
    Ok(())
}

async fn node(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let n = load(&st, id).await?;
    may(&a, &n, false)?;
    Ok(Json(
        json!({ "node": n, "evidence": st.store.evidence_of(id).await?, "date_changes": st.store.date_changes_of(id).await? }),
    ))
}

fn field_err(what: &str) -> ApiError {
    ApiError::bad_request("invalid_body", format!("{what}无效"))
}

const REPORT_UPLOAD: &[UploadField] = &[
    UploadField {
        name: "version",
        kind: UploadKind::Integer,
        required: true,
        description: "节点的版本号 / the node's version",
    },
    UploadField {
        name: "actual_on",
        kind: UploadKind::Text,
        required: true,
        description: "实际完成日期 YYYY-MM-DD / the date it was done",
    },
    UploadField {
        name: "note",
        kind: UploadKind::Text,
        required: false,
        description: "说明 / a note",
    },
    UploadField {
        name: "evidence",
        kind: UploadKind::Files,
        required: true,
        description: "佐证材料（PNG、JPEG 或 PDF）/ evidence files",
    },
];

/// `multipart/form-data`: `version`, `actual_on`, `note`, and one or more `evidence` files
/// (PNG, JPEG or PDF, judged by content).
async fn report(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, req: axum::extract::Request) -> Result<Json<Value>, ApiError> {
    let n = load(&st, id).await?;
    // Access is checked before a byte of the upload is read.
    may(&a, &n, true)?;
    let mut upload = Upload::open(req, "version、actual_on、note 和佐证材料 evidence").await?;
    let (mut version, mut actual_on, mut note, mut files) = (None, None, String::new(), Vec::new());
    while let Some(field) = upload.next_field().await? {
        match field.name().unwrap_or("") {
            "version" => {
                version = Some(
                    field
                        .text()
                        .await
                        .map_err(|_| field_err("version"))?
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| field_err("version"))?,
                )
            }
            "actual_on" => {
                actual_on = Some(zhantu_domain::parse_date(
                    &field.text().await.map_err(|_| field_err("实际完成日期"))?,
                )?)
            }
            "note" => {
                let text = field.text().await.map_err(|_| field_err("说明"))?;
                if text.contains('\0') {
                    return Err(ApiError::nul_in_text());
                }
                note = text.trim().chars().take(2000).collect()
            }
            "evidence" => {
                if files.len() == MAX_EVIDENCE_FILES {
                    return Err(ApiError::bad_request(
                        "too_many_files",
                        format!("佐证材料最多{MAX_EVIDENCE_FILES}个文件"),
                    ));
                }
                let name = field
                    .file_name()
                    .unwrap_or("佐证材料")
                    .chars()
                    .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
                    .take(120)
                    .collect::<String>();
                let bytes = field.bytes().await.map_err(|_| ApiError::too_large())?;
                // A file box left empty (the phone's form has the camera's and the files'):
                // the browser still sends the part, with no bytes. It is no file.
                if bytes.is_empty() {
                    continue;
                }
                if bytes.len() > MAX_EVIDENCE_BYTES {
                    return Err(ApiError::too_large().with_code("file_too_large"));
                }
                // The moment the whole file is here, before anything else is read or saved.
                let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                let kind = require(&bytes, &[FileKind::Png, FileKind::Jpeg, FileKind::Pdf])?;
                files.push(EvidenceFile {
                    file_name: name,
                    content_type: kind.mime().to_string(),
                    sha256: crate::auth::sha256_bytes(&bytes),
                    received_at,
                    photo: if kind == FileKind::Jpeg {
                        exif::read(&bytes)
                    } else {
                        Default::default()
                    },
                    bytes: bytes.to_vec(),
                });
            }
            _ => {}
        }
    }
    let version = version.ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号）"))?;
    let actual_on = actual_on.ok_or_else(|| ApiError::bad_request("missing_date", "请填写实际完成日期"))?;
    if files.is_empty() {
        return Err(ApiError::bad_request("missing_evidence", "请上传至少一份佐证材料（照片或PDF）"));
    }
    if actual_on > st.store.as_of().await? {
        return Err(ApiError::bad_request("future_date", "实际完成日期不能晚于今天"));
    }
    let after = st.store.report_node_done(id, version, actual_on, &note, &files, &a.audit()).await?;
    Ok(Json(json!({ "node": after })))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct VerifyBody {
    version: i64,
    approve: bool,
    #[serde(default)]
    reason: String,
}

async fn verify(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<VerifyBody>) -> Result<Json<Value>, ApiError> {
    load(&st, id).await?;
    a.actor.may(Action::Verify)?;
    // A JSON call names its decision explicitly: it is its own confirmation. The page asks
    // for a ticked box (`pages::verify_form`).
    zhantu_domain::nodes::check_verification(b.approve, true, &b.reason)?;
    let after = st.store.verify_node(id, b.version, b.approve, b.reason.trim(), &a.audit()).await?;
    Ok(Json(json!({ "node": after })))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct DateChangeBody {
    new_planned_on: String,
    reason_code: String,
    reason_text: String,
}

async fn request_date_change(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<DateChangeBody>,
) -> Result<Created, ApiError> {
    let n = load(&st, id).await?;
    may(&a, &n, true)?;
    let new_date = zhantu_domain::parse_date(&b.new_planned_on)?;
    let change = st
        .store
        .request_date_change(id, new_date, b.reason_code.trim(), &b.reason_text, &a.audit())
        .await?;
    Ok(created(
        json!({ "date_change": change, "note": "改期申请已提交，待发改局审批；审批前计划日期不变" }),
    ))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct DecideBody {
    approve: bool,
    #[serde(default)]
    note: String,
}

async fn decide(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<DecideBody>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Verify)?;
    let change = st
        .store
        .decide_date_change(id, b.approve, b.note.trim(), &a.audit())
        .await
        .or_not_found("改期申请不存在")?;
    Ok(Json(json!({ "date_change": change })))
}

async fn reasons() -> Json<Value> {
    Json(json!({ "items": zhantu_store::DATE_CHANGE_REASONS.iter().map(|(c, n)| json!({ "code": c, "name": n })).collect::<Vec<_>>() }))
}

async fn evidence(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Response, ApiError> {
    evidence_file(&st, &a, id, false).await
}

/// An evidence file, to a reader of its node: as a download, or `inline` (the verification
/// page's thumbnails and full views). Its type is the one sniffed from its bytes at upload
/// (PNG, JPEG or PDF only), and the browser may not guess another.
async fn evidence_file(st: &AppState, a: &Auth, id: i64, inline: bool) -> Result<Response, ApiError> {
    let (info, bytes) = st.store.evidence_content(id).await.or_not_found("佐证材料不存在")?;
    let n = load(st, info.node_id).await?;
    may(a, &n, false)?;
    let disposition = format!(
        "{}; filename=\"evidence-{}\"; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        info.id,
        crate::guard::urlencode(&info.file_name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
        ],
        bytes,
    )
        .into_response())
}

#[derive(schemars::JsonSchema, Deserialize)]
struct PlanBody {
    /// The first node's date.
    first_on: String,
    /// Another type's template (default: the project's own type).
    project_type: Option<String>,
}

/// `POST /projects/{id}/plan`: break a project without nodes into the template's nodes.
async fn plan(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<PlanBody>) -> Result<Created, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let first_on = zhantu_domain::parse_date(&b.first_on)?;
    let n = st
        .store
        .plan_from_template(id, b.project_type.as_deref().map(str::trim), first_on, &a.audit())
        .await?;
    Ok(created(json!({ "project_id": id, "nodes": n })))
}

/// An optional id field of a body: absent (`None`), null (`Some(None)`) or a number.
fn id_field(v: &Value, k: &str) -> Result<Option<Option<i64>>, ApiError> {
    match v.get(k) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::Number(n)) => Ok(Some(n.as_i64())),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map(|id| Some(Some(id)))
            .map_err(|_| ApiError::bad_request("invalid_field", format!("{k} 应为数字编号"))),
        Some(_) => Err(ApiError::bad_request("invalid_field", format!("{k} 应为数字编号"))),
    }
}

/// A text field of a body ("" when absent).
fn text_field<'a>(v: &'a Value, k: &str) -> Result<&'a str, ApiError> {
    match v.get(k) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(ApiError::bad_request("invalid_field", format!("{k} 应为文字"))),
    }
}

/// `PATCH /nodes/{id}`: `{"version", "name", "responsible_unit_id", "responsible_person_id",
/// "forecast_on", "planned_on"}`; the planned date only while the plan is a draft (after the
/// baseline: a date change request), and only by the project's unit.
async fn update_node(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(v): Json<Value>) -> Result<Json<Value>, ApiError> {
    let n = load(&st, id).await?;
    may(&a, &n, true)?;
    let version = version_of(&v)?;
    let name = match v.get("name") {
        None => None,
        Some(Value::String(s)) => Some(s.trim().to_string()),
        Some(_) => return Err(ApiError::bad_request("invalid_field", "节点名称应为文字")),
    };
    let date_field = |k: &str| -> Result<Option<Option<chrono::NaiveDate>>, ApiError> {
        match v.get(k) {
            None => Ok(None),
            Some(Value::Null) => Ok(Some(None)),
            Some(Value::String(s)) => Ok(Some(Some(zhantu_domain::parse_date(s)?))),
            Some(_) => Err(ApiError::bad_request("invalid_date", "日期应为文字，如 2020-03-31")),
        }
    };
    let planned_on = match date_field("planned_on")? {
        None => None,
        Some(None) => return Err(ApiError::bad_request("invalid_date", "计划日期不能为空")),
        Some(Some(d)) => {
            a.actor.may(Action::Edit {
                unit_id: n.project_unit_id,
            })?;
            Some(d)
        }
    };
    let change = zhantu_store::NodeChange {
        name,
        responsible_unit_id: id_field(&v, "responsible_unit_id")?.flatten(),
        responsible_person_id: id_field(&v, "responsible_person_id")?,
        forecast_on: date_field("forecast_on")?,
        planned_on,
    };
    Ok(Json(
        json!({ "node": st.store.update_node(id, version, &change, &a.audit()).await? }),
    ))
}

/// `POST /projects/{id}/nodes`: `{"version" (the project's), "name", "planned_on",
/// "responsible_unit_id" (default: the project's unit), "responsible_person_id",
/// "after_node_id" (default: at the end), "reason" (needed once the baseline is approved)}`.
async fn add_node(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(v): Json<Value>) -> Result<Created, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let version = version_of(&v)?;
    let planned_on = match v.get("planned_on") {
        Some(Value::String(s)) => zhantu_domain::parse_date(s)?,
        _ => return Err(ApiError::bad_request("missing_date", "请填写节点的计划日期（planned_on）")),
    };
    let n = NewNode {
        name: text_field(&v, "name")?.to_string(),
        planned_on,
        responsible_unit_id: id_field(&v, "responsible_unit_id")?.flatten(),
        responsible_person_id: id_field(&v, "responsible_person_id")?.flatten(),
        after_node_id: id_field(&v, "after_node_id")?.flatten(),
        reason: text_field(&v, "reason")?.to_string(),
    };
    let node = st.store.add_node(id, version, &n, &a.audit()).await?;
    Ok(created(json!({ "node": node })))
}

/// `DELETE /nodes/{id}`: `{"version" (the node's), "reason" (needed once the baseline is
/// approved)}`, by the project's unit; refused for a node reported or closed, or named by
/// evidence, a problem, a campaign or a pending date change.
async fn remove_node(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(v): Json<Value>) -> Result<Json<Value>, ApiError> {
    let n = load(&st, id).await?;
    a.actor.may(Action::Edit {
        unit_id: n.project_unit_id,
    })?;
    let version = version_of(&v)?;
    let project_version = st.store.remove_node(id, version, text_field(&v, "reason")?, &a.audit()).await?;
    Ok(Json(
        json!({ "id": id, "project_id": n.project_id, "project_version": project_version }),
    ))
}

/// `POST /projects/{id}/nodes/order`: `{"node_ids": [every node, in order], "version" (the
/// project's), "reason" (needed once the baseline is approved)}`.
async fn reorder(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(v): Json<Value>) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let version = version_of(&v)?;
    let ids = v["node_ids"]
        .as_array()
        .and_then(|items| items.iter().map(Value::as_i64).collect::<Option<Vec<i64>>>())
        .ok_or_else(|| ApiError::bad_request("invalid_field", "node_ids 应为节点编号的列表"))?;
    let version = st
        .store
        .reorder_nodes(id, version, &ids, text_field(&v, "reason")?, &a.audit())
        .await?;
    Ok(Json(json!({ "id": id, "version": version, "node_ids": ids })))
}

/// `POST /projects/{id}/baseline`: `{"version"}`: a coordinator approves the draft plan as
/// the baseline (基准).
async fn approve_baseline(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(v): Json<Value>) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, crate::access::read).await?;
    a.actor.may(Action::Verify)?;
    let version = st.store.approve_baseline(id, version_of(&v)?, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": version, "baseline": "approved" })))
}

#[derive(Deserialize, Default)]
struct ScheduleQuery {
    from: Option<String>,
    to: Option<String>,
}

/// `GET /projects/{id}/schedule?from=0&to=3`: every version of the schedule (0 is the baseline,
/// each approved date change the next) and the node-by-node comparison of two of them
/// (default: the baseline against the latest).
async fn schedule(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    axum::extract::Query(q): axum::extract::Query<ScheduleQuery>,
) -> Result<Json<Value>, ApiError> {
    crate::access::check_project(&st, &a.actor, id, crate::access::read).await?;
    let (nodes, all) = st.store.schedule_versions(id).await?;
    let latest = all.len().saturating_sub(1);
    let pick = |v: &Option<String>, default: usize| -> Result<usize, ApiError> {
        match v.as_deref().filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some("latest") => Ok(latest),
            Some(s) => s
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= latest)
                .ok_or_else(|| ApiError::bad_request("invalid_version", format!("计划版本“{s}”不存在：应为 0 到 {latest}"))),
        }
    };
    let (from, to) = (pick(&q.from, 0)?, pick(&q.to, latest)?);
    let shifts = zhantu_domain::schedule::compare(&nodes, &all, from, to).unwrap_or_default();
    let versions: Vec<Value> = all.iter().map(|v| json!({ "version": v.version, "change": v.change })).collect();
    Ok(Json(
        json!({ "versions": versions, "compare": { "from": from, "to": to, "nodes": shifts } }),
    ))
}
