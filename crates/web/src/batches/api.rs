//! The JSON routes of the groundbreaking batches (集中开工, nested under `/api/v1`): the
//! batches of a year with their aggregates, one batch, create and edit, admit and remove a
//! project, and the workbook export. Every signed-in user reads them (a district-wide
//! notice); coordinators manage them (`Action::Verify`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Created, IdPath, created};
use crate::fields::opt_year;
use crate::forms::node_names;
use crate::page::{Lang, t};
use crate::routes::{Routes, delete, get, post};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::batches::{Admission, parse_gate_nodes};
use zhantu_domain::model::BatchLevel;
use zhantu_domain::parse_date;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::batches::BatchOverview;
use zhantu_store::batches::NewBatch;

pub fn router() -> Routes {
    Routes::new()
        .route("/batches", get(list_batches).post(create_batch))
        .route("/batches/export.xlsx", get(export_batches))
        .route("/batches/{id}", get(get_batch).patch(update_batch))
        .route("/batches/{id}/projects", post(add_batch_project))
        .route("/batches/{id}/projects/{project_id}", delete(remove_batch_project))
}

fn batch_level(s: &str) -> Result<BatchLevel, ApiError> {
    let s = s.trim();
    BatchLevel::ALL
        .iter()
        .copied()
        .find(|x| x.code() == s || x.label_zh() == s)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_level",
                format!("批次级别“{s}”无效：应为 province（省级）、city（市级）或 district（区级）"),
            )
        })
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

async fn list_batches(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<BatchOverview>, ApiError> {
    Ok(Json(st.store.list_batches(opt_year(&q.year)?).await?))
}

async fn get_batch(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<zhantu_store::batches::BatchDetail>, ApiError> {
    Ok(Json(st.store.batch(id).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct BatchBody {
    #[serde(default)]
    pub version: Option<i64>,
    pub name: String,
    pub level: String,
    pub held_on: String,
    /// Text (`施工许可、土地摘牌`) or a list of names; 施工许可 when absent.
    #[serde(default)]
    pub gate_nodes: Value,
}

fn new_batch(b: &BatchBody) -> Result<NewBatch, ApiError> {
    let gate_nodes = node_names(&b.gate_nodes, parse_gate_nodes, "准入节点应为文字或文字列表")?;
    if b.name.trim().is_empty() || b.name.chars().count() > 200 {
        return Err(ApiError::bad_request("batch_name_length", "批次名称不能为空，且不超过200个字"));
    }
    Ok(NewBatch {
        name: b.name.clone(),
        level: batch_level(&b.level)?,
        held_on: parse_date(&b.held_on)?,
        gate_nodes,
    })
}

pub(super) async fn do_create_batch(st: &AppState, a: &Auth, b: &BatchBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.create_batch(&new_batch(b)?, &a.audit()).await?)
}

async fn create_batch(State(st): State<AppState>, a: Auth, Json(b): Json<BatchBody>) -> Result<Created, ApiError> {
    let id = do_create_batch(&st, &a, &b).await?;
    Ok(created(json!({ "id": id })))
}

async fn update_batch(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<BatchBody>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Verify)?;
    let version = b
        .version
        .ok_or_else(|| ApiError::bad_request("invalid_field", "缺少版本号 version"))?;
    let v = st.store.update_batch(id, version, &new_batch(&b)?, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": v })))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct ProjectBody {
    pub project_id: i64,
    /// A coordinator's written reason to admit the project over the readiness gate.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// Admits a project to a batch (coordinators): through the gate as of the batch's date, or
/// over it with a written reason.
pub(super) async fn do_add_batch_project(
    st: &AppState,
    a: &Auth,
    id: i64,
    project_id: i64,
    override_reason: Option<&str>,
) -> Result<Admission, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.add_to_batch(id, project_id, override_reason, &a.audit()).await?)
}

/// `POST /batches/{id}/projects`: `{"project_id", "override_reason"}`.
async fn add_batch_project(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<ProjectBody>,
) -> Result<Json<Value>, ApiError> {
    let admission = do_add_batch_project(&st, &a, id, b.project_id, b.override_reason.as_deref()).await?;
    let (overridden, reason, open) = match admission {
        Admission::Ready => (false, None, Vec::new()),
        Admission::Overridden { reason, open } => (true, Some(reason), open),
    };
    Ok(Json(
        json!({ "batch_id": id, "project_id": b.project_id, "overridden": overridden, "override_reason": reason, "open_gates": open }),
    ))
}

async fn remove_batch_project(
    State(st): State<AppState>,
    a: Auth,
    Path((id, project_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    a.actor.may(Action::Verify)?;
    let (id, project_id) = match (id.parse::<i64>(), project_id.parse::<i64>()) {
        (Ok(a), Ok(b)) => (a, b),
        _ => return Err(ApiError::not_found("记录不存在")),
    };
    st.store.remove_from_batch(id, project_id, &a.audit()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The batches with their aggregates, the years, and every member, in `lang` (for the
/// reports, too): levels and headers in the reader's language, names as typed.
pub fn batches_tables(lang: Lang, o: &BatchOverview, members: &[(String, zhantu_store::batches::BatchMember)]) -> Vec<Table> {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.batches.{key}")), kind);
    let mut list = Table::new(
        t(lang, "exports.batches.sheet"),
        vec![
            col("batch", ColKind::Text),
            col("level", ColKind::Text),
            col("held_on", ColKind::Date),
            col("gate_nodes", ColKind::Text),
            col("projects", ColKind::Int),
            col("total_investment", ColKind::Money),
            col("annual_investment", ColKind::Money),
        ],
    )
    .with_title(t(lang, "exports.batches.title"));
    for b in &o.batches {
        list.push(vec![
            Cell::Text(b.name.clone()),
            Cell::Text(
                match lang {
                    Lang::Zh => b.level.label_zh(),
                    Lang::En => b.level.label_en(),
                }
                .into(),
            ),
            Cell::Date(b.held_on),
            Cell::Text(b.gate_nodes.join(t(lang, "exports.list_sep"))),
            Cell::Int(b.aggregate.projects as i64),
            Cell::Money(b.aggregate.total_investment_wan.0),
            Cell::Money(b.aggregate.annual_investment_wan.0),
        ]);
    }
    let mut y = Table::new(
        t(lang, "exports.batches.years"),
        vec![
            col("year", ColKind::Int),
            col("batches", ColKind::Int),
            col("projects", ColKind::Int),
            col("total_investment", ColKind::Money),
            col("annual_investment", ColKind::Money),
        ],
    );
    for r in &o.years {
        y.push(vec![
            Cell::Int(r.year as i64),
            Cell::Int(r.batches as i64),
            Cell::Int(r.aggregate.projects as i64),
            Cell::Money(r.aggregate.total_investment_wan.0),
            Cell::Money(r.aggregate.annual_investment_wan.0),
        ]);
    }
    let mut m = Table::new(
        t(lang, "exports.batches.members"),
        vec![
            col("batch", ColKind::Text),
            col("project", ColKind::Text),
            col("unit", ColKind::Text),
            col("total_investment", ColKind::Money),
            col("annual_investment", ColKind::Money),
        ],
    );
    for (batch, p) in members {
        m.push(vec![
            Cell::Text(batch.clone()),
            Cell::Text(p.name.clone()),
            Cell::Text(p.unit_name.clone()),
            Cell::Money(p.total_investment),
            Cell::Money(p.annual_investment),
        ]);
    }
    vec![list, y, m]
}

async fn export_batches(State(st): State<AppState>, _a: Auth, lang: Lang, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Response, ApiError> {
    let o = st.store.list_batches(opt_year(&q.year)?).await?;
    let mut members = Vec::new();
    for b in &o.batches {
        for m in st.store.batch(b.id).await?.members {
            members.push((b.name.clone(), m));
        }
    }
    let file = format!("{}.xlsx", t(lang, "exports.batches.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, batches_tables(lang, &o, &members)).await
}
