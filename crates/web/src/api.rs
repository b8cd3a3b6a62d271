//! `/api/v1/`: the JSON API.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath, non_empty, opt_id};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::Stage;
use zhantu_domain::lights::Light;
use zhantu_store::{ProjectFilter, ProjectPage};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list_projects))
        .route("/projects/{id}", get(project).patch(update_project))
        .route("/projects/{id}/history", get(project_history))
        .route("/figures", get(figures))
        .merge(crate::accounts::router())
        .merge(crate::search_api::router())
        .merge(crate::nodes_api::router())
        .merge(crate::work_api::router())
        .merge(crate::excel_api::router())
        .merge(crate::reports_api::router())
        .merge(crate::service_api::router())
        .merge(crate::pipeline_api::router())
        .merge(crate::clocks_api::router())
        .fallback(crate::error::not_found)
}

pub async fn healthz(State(st): State<AppState>) -> Result<Json<Value>, ApiError> {
    st.store.is_empty().await?;
    Ok(Json(
        json!({ "status": "ok", "engine": st.store.engine().name(), "version": env!("CARGO_PKG_VERSION") }),
    ))
}

#[derive(Debug, Deserialize, Default)]
pub struct ProjectsQuery {
    pub unit: Option<String>,
    pub category: Option<String>,
    pub stage: Option<String>,
    pub leader: Option<String>,
    pub light: Option<String>,
    pub industry: Option<String>,
    pub division: Option<String>,
    pub batch: Option<String>,
    pub campaign: Option<String>,
    pub q: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

impl ProjectsQuery {
    /// Turns the raw query into a filter, with a Chinese error for each bad value.
    pub fn to_filter(&self) -> Result<ProjectFilter, ApiError> {
        let stage = non_empty(&self.stage).map(Stage::parse).transpose()?;
        let light = match non_empty(&self.light) {
            None => None,
            Some(s) => Some(
                Light::from_code(s)
                    .ok_or_else(|| ApiError::bad_request("invalid_light", format!("亮灯状态“{s}”无效：应为 red、yellow 或 green")))?,
            ),
        };
        let limit = match non_empty(&self.limit) {
            None => 50,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_parameter",
                        format!("每页条数“{s}”无效：应为1到500之间的整数"),
                    ));
                }
            },
        };
        Ok(ProjectFilter {
            unit: opt_id(&self.unit, "单位")?,
            category: non_empty(&self.category).map(str::to_string),
            stage,
            leader: opt_id(&self.leader, "领导")?,
            light,
            industry: non_empty(&self.industry).map(str::to_string),
            division: non_empty(&self.division).map(str::to_string),
            text: non_empty(&self.q).map(str::to_string),
            after: opt_id(&self.after, "分页游标")?,
            within_units: None,
            batch: opt_id(&self.batch, "集中开工批次")?,
            campaign: opt_id(&self.campaign, "攻坚行动")?,
            limit,
        })
    }
}

async fn list_projects(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ProjectsQuery>) -> Result<Json<ProjectPage>, ApiError> {
    let mut filter = q.to_filter()?;
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    Ok(Json(st.store.list_projects(&filter).await?))
}

/// Refuses (403) a reader outside the project's unit scope; 404 when there is no project.
/// The one check of access to a project, for every route and page: 404 when there is no
/// such project, 403 when `action` (given the project's unit) is not the actor's to take.
pub(crate) async fn check_project(
    st: &AppState,
    actor: &zhantu_domain::access::Actor,
    id: i64,
    action: fn(i64) -> zhantu_domain::access::Action,
) -> Result<(), ApiError> {
    let unit_id = match st.store.project_unit(id).await {
        Ok(u) => u,
        Err(zhantu_store::StoreError::NotFound) => return Err(ApiError::not_found(format!("项目 {id} 不存在"))),
        Err(e) => return Err(e.into()),
    };
    Ok(actor.may(action(unit_id))?)
}

pub(crate) fn read(unit_id: i64) -> zhantu_domain::access::Action {
    zhantu_domain::access::Action::Read { unit_id }
}

pub(crate) fn edit(unit_id: i64) -> zhantu_domain::access::Action {
    zhantu_domain::access::Action::Edit { unit_id }
}

async fn project_history(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    let f = zhantu_store::AuditFilter {
        entity: Some("project".into()),
        entity_id: Some(id),
        limit: 500,
        ..Default::default()
    };
    Ok(Json(json!({ "items": st.store.audit_entries(&f).await? })))
}

/// `PATCH /projects/{id}`: `{"version": n, "name": …, "total_investment": "1234.5万元", …}`.
async fn update_project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, body: String) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, edit).await?;
    let v: Value = serde_json::from_str(&body).map_err(|_| ApiError::bad_request("invalid_body", "请求内容不是有效的 JSON"))?;
    let change = crate::forms::project_change(&v)?;
    let version = v["version"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号），请先读取记录再修改"))?;
    let new_version = st.store.update_project(id, version, &change, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": new_version })))
}

async fn project(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    match st.store.project_detail(id).await {
        Ok(p) => Ok(Json(
            serde_json::to_value(p).map_err(|e| ApiError::bad_request("internal", e.to_string()))?,
        )),
        Err(zhantu_store::StoreError::NotFound) => Err(ApiError::not_found(format!("项目 {id} 不存在"))),
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct FiguresQuery {
    year: Option<String>,
    /// A division code or its prefix: 331002 one district, 3310 a city; none: everything.
    division: Option<String>,
}

async fn figures(State(st): State<AppState>, ApiQuery(q): ApiQuery<FiguresQuery>) -> Result<Json<Value>, ApiError> {
    let year = match non_empty(&q.year) {
        None => st.store.as_of().await?.year(),
        Some(s) => match s.parse::<i32>() {
            Ok(y) if (1949..=2100).contains(&y) => y,
            _ => {
                return Err(ApiError::bad_request(
                    "invalid_year",
                    format!("年份“{s}”无效：应为四位年份，如 2019"),
                ));
            }
        },
    };
    let division = match non_empty(&q.division) {
        None => None,
        Some(d) if (2..=12).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) => Some(d),
        Some(d) => {
            return Err(ApiError::bad_request(
                "invalid_division",
                format!("区划代码“{d}”无效：应为2到12位数字，如 331002（椒江区）或 3310（台州市）"),
            ));
        }
    };
    let f = match division {
        None => st.store.year_figures(year).await?,
        Some(d) => st.store.division_figures(year, Some(d)).await?,
    };
    Ok(Json(
        serde_json::to_value(f).map_err(|e| ApiError::bad_request("internal", e.to_string()))?,
    ))
}
