//! The JSON routes of the supervision rounds (督查, nested under `/api/v1`): the rounds, one
//! round and its report (通报), the suggested targets, create, add targets, record findings
//! with their follow-up problems, close with the report, and the workbook export. Every
//! signed-in user reads them; leaders and coordinators lead them (`Action::Comment`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Created, IdPath, created, opt_id};
use crate::fields::{clip, opt_date};
use crate::page::{Lang, t};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::supervision::FollowUp;
use zhantu_store::supervision::NewRound;
use zhantu_store::supervision::RoundSummary;

pub fn router() -> Routes {
    Routes::new()
        .route("/supervision", get(list_rounds).post(create_round))
        .route("/supervision/suggestions", get(suggestions))
        .route("/supervision/export.xlsx", get(export_rounds))
        .route("/supervision/{id}", get(get_round))
        .route("/supervision/{id}/report", get(round_report))
        .route("/supervision/{id}/targets", post(add_round_targets))
        .route("/supervision/{id}/findings", post(record_finding))
        .route("/supervision/{id}/close", post(close_round))
}

async fn list_rounds(State(st): State<AppState>, _a: Auth) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": st.store.list_rounds().await? })))
}

async fn get_round(
    State(st): State<AppState>,
    _a: Auth,
    IdPath(id): IdPath,
) -> Result<Json<zhantu_store::supervision::RoundDetail>, ApiError> {
    Ok(Json(st.store.round(id).await?))
}

async fn round_report(
    State(st): State<AppState>,
    _a: Auth,
    IdPath(id): IdPath,
) -> Result<Json<zhantu_store::supervision::RoundReport>, ApiError> {
    Ok(Json(st.store.round_report(id).await?))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct SuggestQuery {
    round: Option<String>,
    limit: Option<String>,
}

async fn suggestions(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<SuggestQuery>) -> Result<Json<Value>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区红灯项目"));
    }
    let limit = opt_id(&q.limit, "条数")?.unwrap_or(10).clamp(1, 100) as usize;
    Ok(Json(
        json!({ "items": st.store.suggested_targets(opt_id(&q.round, "督查轮次")?, limit).await? }),
    ))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct RoundBody {
    pub name: String,
    /// The leading leader (a person); the first district leader when absent.
    #[serde(default)]
    pub leader_id: Option<i64>,
    #[serde(default)]
    pub held_on: Option<String>,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub project_ids: Vec<i64>,
    /// Take this many of the suggested red projects as targets (besides `project_ids`).
    #[serde(default)]
    pub suggested: Option<usize>,
}

async fn create_round(State(st): State<AppState>, a: Auth, Json(b): Json<RoundBody>) -> Result<Created, ApiError> {
    let id = do_create_round(&st, &a, &b).await?;
    Ok(created(json!({ "id": id })))
}

pub(super) async fn do_create_round(st: &AppState, a: &Auth, b: &RoundBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Comment)?;
    let leader_id = match b.leader_id {
        Some(l) => l,
        None => {
            st.store
                .programme_choices()
                .await?
                .1
                .first()
                .ok_or_else(|| ApiError::bad_request("invalid_field", "请指定带队领导"))?
                .id
        }
    };
    let mut project_ids = b.project_ids.clone();
    if let Some(n) = b.suggested.filter(|n| *n > 0) {
        project_ids.extend(st.store.suggested_targets(None, n.min(50)).await?.iter().map(|c| c.project_id));
    }
    let held_on = match opt_date(&b.held_on)? {
        Some(d) => d,
        None => st.store.as_of().await?,
    };
    let n = NewRound {
        name: clip(&b.name, 200),
        leader_id,
        held_on,
        summary: clip(&b.summary, 4000),
        project_ids,
    };
    Ok(st.store.create_round(&n, &a.audit()).await?)
}

#[derive(schemars::JsonSchema, Deserialize)]
struct ProjectsBody {
    project_ids: Vec<i64>,
}

async fn add_round_targets(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<ProjectsBody>,
) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Comment)?;
    let added = st.store.add_round_targets(id, &b.project_ids, &a.audit()).await?;
    Ok(Json(json!({ "added": added })))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct FindingBody {
    pub project_id: i64,
    pub finding: String,
    /// With a deadline, the finding becomes a follow-up problem (督办) for the unit.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
}

pub(super) async fn do_record_finding(
    st: &AppState,
    a: &Auth,
    id: i64,
    b: &FindingBody,
) -> Result<zhantu_store::supervision::RoundTarget, ApiError> {
    a.actor.may(Action::Comment)?;
    let follow = opt_date(&b.deadline)?.map(|deadline| FollowUp {
        deadline,
        unit_id: b.unit_id,
    });
    let finding = clip(&b.finding, 4000);
    Ok(st
        .store
        .record_finding(id, b.project_id, &finding, follow.as_ref(), &a.audit())
        .await?)
}

async fn record_finding(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<FindingBody>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(do_record_finding(&st, &a, id, &b).await?)))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct RoundCloseBody {
    version: i64,
    #[serde(default)]
    report: String,
}

pub(super) async fn do_close_round(st: &AppState, a: &Auth, id: i64, version: i64, report: &str) -> Result<i64, ApiError> {
    a.actor.may(Action::Comment)?;
    Ok(st.store.close_round(id, version, &clip(report, 20000), &a.audit()).await?)
}

async fn close_round(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<RoundCloseBody>,
) -> Result<Json<Value>, ApiError> {
    let v = do_close_round(&st, &a, id, b.version, &b.report).await?;
    Ok(Json(json!({ "id": id, "status": "closed", "version": v })))
}

/// The supervision rounds in `lang` (for the reports, too): states and headers in the
/// reader's language, names as typed.
pub fn rounds_table(lang: Lang, items: &[RoundSummary]) -> Table {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.supervision.{key}")), kind);
    let mut list = Table::new(
        t(lang, "exports.supervision.sheet"),
        vec![
            col("round", ColKind::Text),
            col("leader", ColKind::Text),
            col("held_on", ColKind::Date),
            col("status", ColKind::Text),
            col("targets", ColKind::Int),
            col("findings", ColKind::Int),
            col("follow_ups", ColKind::Int),
        ],
    )
    .with_title(t(lang, "exports.supervision.title"));
    for r in items {
        let status = if r.status == "closed" {
            "exports.supervision.status_closed"
        } else {
            "exports.supervision.status_open"
        };
        list.push(vec![
            Cell::Text(r.name.clone()),
            Cell::Text(r.leader_name.clone()),
            Cell::Date(r.held_on),
            Cell::Text(t(lang, status).into()),
            Cell::Int(r.targets),
            Cell::Int(r.findings),
            Cell::Int(r.follow_ups),
        ]);
    }
    list
}

async fn export_rounds(State(st): State<AppState>, _a: Auth, lang: Lang) -> Result<Response, ApiError> {
    let file = format!("{}.xlsx", t(lang, "exports.supervision.file"));
    let table = rounds_table(lang, &st.store.list_rounds().await?);
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![table]).await
}
