//! The JSON API of 批示 and 督办单 (nested under `/api/v1`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created, non_empty, opt_id, page_limit, page_offset, query_flag};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Actor;
use zhantu_domain::instructions::{self as rules, Kind, Step};
use zhantu_domain::parse_date;
use zhantu_store::instructions::{InstructionDetail, InstructionFilter, InstructionStep, NewInstruction};

pub fn router() -> Routes {
    Routes::new()
        .route("/instructions", get(list).post(issue))
        .route("/instructions/awaiting", get(awaiting))
        .route("/instructions/{id}", get(one))
        .route("/instructions/{id}/reply", post(reply))
        .route("/instructions/{id}/accept", post(accept))
        .route("/instructions/{id}/return", post(send_back))
}

#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
pub struct ListQuery {
    /// A state's code, or `open`.
    pub state: Option<String>,
    pub kind: Option<String>,
    pub unit: Option<String>,
    pub project: Option<String>,
    pub overdue: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

impl ListQuery {
    pub fn filter(&self, actor: &Actor, default_limit: i64) -> Result<InstructionFilter, ApiError> {
        let (state, open) = match non_empty(&self.state) {
            None => (None, false),
            Some("open") => (None, true),
            Some(s) => (
                Some(rules::State::from_code(s).ok_or_else(|| {
                    ApiError::bad_request(
                        "invalid_parameter",
                        format!("状态“{s}”无效：应为 open、awaiting_reply、replied、returned 或 closed"),
                    )
                })?),
                false,
            ),
        };
        let kind = match non_empty(&self.kind) {
            None => None,
            Some(k) => Some(Kind::from_code(k).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_parameter",
                    format!("类型“{k}”无效：应为 directive（批示）或 order（督办单）"),
                )
            })?),
        };
        Ok(InstructionFilter {
            kind,
            state,
            open,
            unit_id: opt_id(&self.unit, "单位")?,
            project_id: opt_id(&self.project, "项目")?,
            overdue: query_flag(&self.overdue),
            within_units: crate::access::scope(actor),
            limit: page_limit(&self.limit, default_limit)?,
            offset: page_offset(&self.offset)?,
        })
    }
}

async fn list(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ListQuery>) -> Result<Json<Value>, ApiError> {
    let today = st.store.as_of().await?;
    let page = st.store.list_instructions(&q.filter(&a.actor, 50)?, today).await?;
    Ok(Json(json!({ "total": page.total, "as_of": today, "items": page.items })))
}

/// What awaits the caller: replies their unit owes, replies waiting for their decision.
async fn awaiting(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    let today = st.store.as_of().await?;
    let items = st.store.instructions_awaiting(&a.actor, today).await?;
    Ok(Json(json!({ "as_of": today, "items": items })))
}

/// One item the reader may see (404 when there is none, 403 outside their scope).
pub async fn load(st: &AppState, a: &Auth, id: i64) -> Result<InstructionDetail, ApiError> {
    let today = st.store.as_of().await?;
    let d = st
        .store
        .instruction(id, today)
        .await
        .or_not_found(format!("批示（督办）事项 {id} 不存在"))?;
    rules::may_read(&a.actor, &d.item.parties())?;
    Ok(d)
}

async fn one(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let d = load(&st, &a, id).await?;
    let steps: Vec<&str> = rules::available_steps(&a.actor, d.item.state, &d.item.parties())
        .into_iter()
        .map(Step::code)
        .collect();
    Ok(Json(json!({ "instruction": d, "allowed_steps": steps })))
}

#[derive(schemars::JsonSchema, Debug, Deserialize, Clone, Default)]
pub struct IssueBody {
    pub kind: String,
    pub project_id: i64,
    pub node_id: Option<i64>,
    pub unit_id: Option<i64>,
    #[serde(default)]
    pub text: String,
    pub deadline: Option<String>,
}

/// Issues a 批示 or a 督办单 (the API and the page's form).
pub async fn do_issue(st: &AppState, a: &Auth, b: IssueBody) -> Result<InstructionDetail, ApiError> {
    let kind = Kind::from_code(b.kind.trim())
        .ok_or_else(|| ApiError::bad_request("invalid_field", "请选择类型：directive（批示）或 order（督办单）"))?;
    rules::may_issue(&a.actor, kind)?;
    crate::access::check_project(st, &a.actor, b.project_id, crate::access::read).await?;
    let today = st.store.as_of().await?;
    let n = NewInstruction {
        kind,
        project_id: b.project_id,
        node_id: b.node_id,
        unit_id: b.unit_id,
        text: b.text,
        deadline: non_empty(&b.deadline).map(parse_date).transpose()?,
        issued_by: a.user.id,
    };
    Ok(st.store.issue_instruction(&n, today, &a.audit()).await?)
}

async fn issue(State(st): State<AppState>, a: Auth, Json(b): Json<IssueBody>) -> Result<Created, ApiError> {
    let d = do_issue(&st, &a, b).await?;
    Ok(created(json!({ "instruction": d })))
}

/// The body of a step.
#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
pub struct StepBody {
    pub version: Option<i64>,
    #[serde(default)]
    pub note: String,
    pub deadline: Option<String>,
}

/// One step of the loop (the API and the page's forms): who may, then the store's version
/// check and the loop's rule.
pub async fn do_step(st: &AppState, a: &Auth, id: i64, step: Step, b: &StepBody) -> Result<InstructionDetail, ApiError> {
    let d = load(st, a, id).await?;
    rules::may_step(&a.actor, step, &d.item.parties())?;
    let input = InstructionStep {
        version: b
            .version
            .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号）"))?,
        note: b.note.clone(),
        deadline: non_empty(&b.deadline).map(parse_date).transpose()?,
    };
    let today = st.store.as_of().await?;
    Ok(st.store.instruction_step(id, step, &input, today, &a.audit()).await?)
}

async fn step(st: AppState, a: Auth, id: i64, s: Step, b: StepBody) -> Result<Json<Value>, ApiError> {
    let d = do_step(&st, &a, id, s, &b).await?;
    Ok(Json(json!({ "instruction": d })))
}

async fn reply(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Reply, b).await
}
async fn accept(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Accept, b).await
}
async fn send_back(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Return, b).await
}
