//! The JSON API of the pipeline area (nested under `/api/v1`): investment-attraction leads,
//! groundbreaking batches, campaigns, supervision rounds and the land quota ledger, each with
//! its spreadsheet export.
//!
//! Who may do what (decided here, on the domain's `Action`s):
//! - every signed-in user reads the programmes (batches, campaigns, supervision, land): they
//!   are district-wide notices; leads are read by the district-wide roles, and by unit roles
//!   for the teams in their scope;
//! - leads are written with `Action::Edit` on the lead's team unit: coordinators everywhere,
//!   unit editors for the leads of their own unit and the units below (a street's own
//!   招商 work), viewers and leaders never;
//! - batches, campaigns and the land ledger are managed by coordinators (`Action::Verify`);
//! - supervision rounds are led by leaders and coordinators (`Action::Comment`): creating a
//!   round, adding targets, recording findings with their follow-up problems, the report.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath, non_empty, opt_id};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::batches::parse_gate_nodes;
use zhantu_domain::model::{BatchLevel, LeadStage};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_domain::{LandArea, Money, MoneyUnit, parse_date};
use zhantu_store::batches::{BatchOverview, NewBatch};
use zhantu_store::campaigns::{CampaignDetail, CampaignSummary, NewCampaign};
use zhantu_store::land::{LandLedger, NewLandEntry};
use zhantu_store::leads::{LandingProject, Lead, LeadChange, LeadFilter, LeadFunnel, LeadMove, NewLead};
use zhantu_store::supervision::{FollowUp, NewRound, RoundSummary};

/// The state-changing routes of this module (full paths), for the access tests.
pub const WRITE_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/leads"),
    ("PATCH", "/api/v1/leads/{id}"),
    ("POST", "/api/v1/leads/{id}/stage"),
    ("POST", "/api/v1/batches"),
    ("PATCH", "/api/v1/batches/{id}"),
    ("POST", "/api/v1/batches/{id}/projects"),
    ("DELETE", "/api/v1/batches/{id}/projects/{project_id}"),
    ("POST", "/api/v1/campaigns"),
    ("POST", "/api/v1/campaigns/{id}/targets"),
    ("POST", "/api/v1/campaigns/{id}/close"),
    ("POST", "/api/v1/supervision"),
    ("POST", "/api/v1/supervision/{id}/targets"),
    ("POST", "/api/v1/supervision/{id}/findings"),
    ("POST", "/api/v1/supervision/{id}/close"),
    ("POST", "/api/v1/land/grants"),
    ("POST", "/api/v1/land/allocations"),
    // The pages' forms.
    ("POST", "/attraction/leads"),
    ("POST", "/attraction/leads/{id}/stage"),
    ("POST", "/batches/{id}/projects"),
    ("POST", "/supervision/{id}/findings"),
    ("POST", "/land/allocations"),
    ("POST", "/land/grants"),
    ("POST", "/batches"),
    ("POST", "/campaigns/{id}/close"),
    ("POST", "/supervision"),
    ("POST", "/supervision/{id}/close"),
    ("POST", "/campaigns"),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/leads", get(list_leads).post(create_lead))
        .route("/leads/funnel", get(funnel))
        .route("/leads/export.xlsx", get(export_leads))
        .route("/leads/{id}", get(get_lead).patch(update_lead))
        .route("/leads/{id}/stage", post(move_lead))
        .route("/batches", get(list_batches).post(create_batch))
        .route("/batches/export.xlsx", get(export_batches))
        .route("/batches/{id}", get(get_batch).patch(update_batch))
        .route("/batches/{id}/projects", post(add_batch_project))
        .route("/batches/{id}/projects/{project_id}", delete(remove_batch_project))
        .route("/campaigns", get(list_campaigns).post(create_campaign))
        .route("/campaigns/export.xlsx", get(export_campaigns))
        .route("/campaigns/{id}", get(get_campaign))
        .route("/campaigns/{id}/leaderboard.xlsx", get(export_leaderboard))
        .route("/campaigns/{id}/targets", post(add_campaign_targets))
        .route("/campaigns/{id}/close", post(close_campaign))
        .route("/supervision", get(list_rounds).post(create_round))
        .route("/supervision/suggestions", get(suggestions))
        .route("/supervision/export.xlsx", get(export_rounds))
        .route("/supervision/{id}", get(get_round))
        .route("/supervision/{id}/report", get(round_report))
        .route("/supervision/{id}/targets", post(add_round_targets))
        .route("/supervision/{id}/findings", post(record_finding))
        .route("/supervision/{id}/close", post(close_round))
        .route("/programs/summary", get(programmes_summary))
        .route("/land", get(land))
        .route("/land/warnings", get(land_warnings))
        .route("/land/export.xlsx", get(export_land))
        .route("/land/grants", post(grant_land))
        .route("/land/allocations", post(allocate_land))
}

// ------------------------------------------------------------------ parsing helpers

/// Money as a number of 万元 or text with its unit.
pub(crate) fn money_value(v: &Value, what: &str) -> Result<Money, ApiError> {
    let m = match v {
        Value::Null => return Ok(Money::ZERO),
        Value::Number(n) => Money::parse(&n.to_string(), MoneyUnit::Wan)?,
        Value::String(s) if s.trim().is_empty() => return Ok(Money::ZERO),
        Value::String(s) => Money::parse(s, MoneyUnit::Wan)?,
        _ => {
            return Err(ApiError::bad_request(
                "invalid_money",
                format!("{what}应为数字（万元）或带单位的文字"),
            ));
        }
    };
    if m.yuan() < 0 {
        return Err(ApiError::bad_request("invalid_money", format!("{what}不能为负数")));
    }
    Ok(m)
}

/// Land as a number of 亩 or text (`12.5亩`).
pub(crate) fn area_value(v: &Value) -> Result<LandArea, ApiError> {
    match v {
        Value::Number(n) => Ok(LandArea::parse(&n.to_string())?),
        Value::String(s) => Ok(LandArea::parse(s)?),
        _ => Err(ApiError::bad_request("invalid_land_area", "用地面积应为数字（亩）")),
    }
}

/// Foreign investment in 万美元 → US cents.
fn usd_cents(v: &Value) -> Result<Option<i64>, ApiError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        other => {
            let m = money_value(other, "外资金额（万美元）")?;
            m.yuan()
                .checked_mul(100)
                .map(Some)
                .ok_or_else(|| ApiError::bad_request("invalid_money", "外资金额过大"))
        }
    }
}

fn opt_date_field(v: &Option<String>) -> Result<Option<chrono::NaiveDate>, ApiError> {
    Ok(non_empty(v).map(parse_date).transpose()?)
}

pub(crate) fn lead_stage(s: &str) -> Result<LeadStage, ApiError> {
    let s = s.trim();
    LeadStage::ALL
        .iter()
        .copied()
        .find(|x| x.code() == s || x.label_zh() == s)
        .ok_or_else(|| {
            ApiError::bad_request(
                "invalid_stage",
                format!("招商阶段“{s}”无效：应为 talks（洽谈）、signed（签约）、landed（落地）或 dropped（终止）"),
            )
        })
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

/// The leads a reader sees: all for district-wide roles, else the teams in scope.
pub(crate) fn lead_scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

async fn lead_for(st: &AppState, actor: &Actor, id: i64, write: bool) -> Result<Lead, ApiError> {
    let l = match st.store.lead(id).await {
        Err(zhantu_store::StoreError::NotFound) => return Err(ApiError::not_found(format!("招商线索 {id} 不存在"))),
        other => other?,
    };
    let unit_id = l.team_unit_id;
    actor.may(if write {
        Action::Edit { unit_id }
    } else {
        Action::Read { unit_id }
    })?;
    Ok(l)
}

// ------------------------------------------------------------------ leads

#[derive(Deserialize, Default)]
pub(crate) struct LeadsQuery {
    pub stage: Option<String>,
    pub team: Option<String>,
    pub leader: Option<String>,
}

impl LeadsQuery {
    pub(crate) fn filter(&self, actor: &Actor) -> Result<LeadFilter, ApiError> {
        Ok(LeadFilter {
            stage: non_empty(&self.stage).map(lead_stage).transpose()?,
            team: opt_id(&self.team, "招商组")?,
            leader: opt_id(&self.leader, "包干领导")?,
            scope: lead_scope(actor),
        })
    }
}

async fn list_leads(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<LeadsQuery>) -> Result<Json<Value>, ApiError> {
    let items = st.store.list_leads(&q.filter(&a.actor)?).await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

async fn funnel(State(st): State<AppState>, a: Auth) -> Result<Json<LeadFunnel>, ApiError> {
    Ok(Json(st.store.lead_funnel(lead_scope(&a.actor)).await?))
}

async fn get_lead(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Lead>, ApiError> {
    Ok(Json(lead_for(&st, &a.actor, id, false).await?))
}

#[derive(Deserialize)]
pub(crate) struct NewLeadBody {
    pub name: String,
    #[serde(default)]
    pub investor: String,
    pub team_unit_id: i64,
    #[serde(default)]
    pub leader_id: Option<i64>,
    #[serde(default)]
    pub signed_amount: Value,
    /// 万美元.
    #[serde(default)]
    pub foreign_usd: Value,
    #[serde(default)]
    pub source_region: String,
    #[serde(default)]
    pub first_contact_on: Option<String>,
    #[serde(default)]
    pub note: String,
}

pub(crate) async fn do_create_lead(st: &AppState, a: &Auth, b: &NewLeadBody) -> Result<Lead, ApiError> {
    a.actor.may(Action::Edit { unit_id: b.team_unit_id })?;
    if b.name.trim().is_empty() || b.name.chars().count() > 200 {
        return Err(ApiError::bad_request("invalid_field", "线索名称不能为空，且不超过200个字"));
    }
    let first = match opt_date_field(&b.first_contact_on)? {
        Some(d) => d,
        None => st.store.as_of().await?,
    };
    let n = NewLead {
        name: b.name.clone(),
        investor: b.investor.clone(),
        team_unit_id: b.team_unit_id,
        leader_id: b.leader_id,
        signed_amount: money_value(&b.signed_amount, "协议投资额")?,
        foreign_usd_cents: usd_cents(&b.foreign_usd)?,
        source_region: b.source_region.chars().take(100).collect(),
        first_contact_on: first,
        note: b.note.chars().take(2000).collect(),
    };
    Ok(st.store.create_lead(&n, &a.audit()).await?)
}

async fn create_lead(State(st): State<AppState>, a: Auth, Json(b): Json<NewLeadBody>) -> Result<(StatusCode, Json<Lead>), ApiError> {
    Ok((StatusCode::CREATED, Json(do_create_lead(&st, &a, &b).await?)))
}

#[derive(Deserialize)]
struct LeadPatch {
    version: i64,
    name: Option<String>,
    investor: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    leader_id: Option<Option<i64>>,
    signed_amount: Option<Value>,
    foreign_usd: Option<Value>,
    source_region: Option<String>,
    note: Option<String>,
}

fn double_option<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Ok(Some(Option::<i64>::deserialize(d)?))
}

async fn update_lead(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<LeadPatch>) -> Result<Json<Lead>, ApiError> {
    lead_for(&st, &a.actor, id, true).await?;
    let c = LeadChange {
        name: b.name,
        investor: b.investor,
        leader_id: b.leader_id,
        signed_amount: b.signed_amount.as_ref().map(|v| money_value(v, "协议投资额")).transpose()?,
        foreign_usd_cents: b.foreign_usd.as_ref().map(usd_cents).transpose()?,
        source_region: b.source_region,
        note: b.note,
    };
    Ok(Json(st.store.update_lead(id, b.version, &c, &a.audit()).await?))
}

#[derive(Deserialize)]
pub(crate) struct StageBody {
    pub version: i64,
    /// talks / signed / landed / dropped, or 洽谈 / 签约 / 落地 / 终止.
    pub to: String,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub reason: String,
    /// 落地: link this project…
    #[serde(default)]
    pub project_id: Option<i64>,
    /// …or create one of this type (industrial, commercial, …).
    #[serde(default)]
    pub create_project_type: Option<String>,
    /// The new project's unit (the lead's team when absent).
    #[serde(default)]
    pub project_unit_id: Option<i64>,
}

pub(crate) async fn do_move_lead(st: &AppState, a: &Auth, id: i64, b: &StageBody) -> Result<Lead, ApiError> {
    lead_for(st, &a.actor, id, true).await?;
    let on = match opt_date_field(&b.on)? {
        Some(d) => d,
        None => st.store.as_of().await?,
    };
    let mv = LeadMove {
        to: lead_stage(&b.to)?,
        on,
        reason: b.reason.chars().take(500).collect(),
        project_id: b.project_id,
        new_project: b
            .create_project_type
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|t| LandingProject {
                project_type: t.to_string(),
                unit_id: b.project_unit_id,
            }),
    };
    Ok(st.store.move_lead(id, b.version, &mv, &a.audit()).await?)
}

async fn move_lead(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StageBody>) -> Result<Json<Lead>, ApiError> {
    Ok(Json(do_move_lead(&st, &a, id, &b).await?))
}

/// The leads list and the funnels as a workbook (for the reports, too).
pub fn leads_tables(leads: &[Lead], funnel: &LeadFunnel) -> Vec<Table> {
    let mut t = Table::new(
        "招商线索",
        vec![
            Column::new("线索名称", ColKind::Text),
            Column::new("投资方", ColKind::Text),
            Column::new("招商组", ColKind::Text),
            Column::new("包干领导", ColKind::Text),
            Column::new("阶段", ColKind::Text),
            Column::new("协议投资额（万元）", ColKind::Money),
            Column::new("外资（万美元）", ColKind::Money),
            Column::new("来源地", ColKind::Text),
            Column::new("首次接洽", ColKind::Date),
            Column::new("签约日期", ColKind::Date),
            Column::new("落地日期", ColKind::Date),
            Column::new("落地项目", ColKind::Text),
        ],
    )
    .with_title("招商引资项目签约落地表");
    let od = |d: Option<chrono::NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
    for l in leads {
        t.push(vec![
            Cell::Text(l.name.clone()),
            Cell::Text(l.investor.clone()),
            Cell::Text(l.team_name.clone()),
            Cell::Text(l.leader_name.clone().unwrap_or_default()),
            Cell::Text(l.stage.label_zh().into()),
            Cell::Money(l.signed_amount),
            l.foreign_usd_cents
                .map(|c| Cell::Money(Money::from_yuan(c / 100)))
                .unwrap_or(Cell::Empty),
            Cell::Text(l.source_region.clone()),
            Cell::Date(l.first_contact_on),
            od(l.signed_on),
            od(l.landed_on),
            Cell::Text(l.project_name.clone().unwrap_or_default()),
        ]);
    }
    let funnel_table = |sheet: &str, who: &str, rows: &[zhantu_domain::leads::FunnelRow]| {
        let mut f = Table::new(
            sheet,
            vec![
                Column::new(who, ColKind::Text),
                Column::new("线索数", ColKind::Int),
                Column::new("洽谈", ColKind::Int),
                Column::new("签约", ColKind::Int),
                Column::new("落地", ColKind::Int),
                Column::new("终止", ColKind::Int),
                Column::new("签约额（万元）", ColKind::Money),
                Column::new("签约率", ColKind::Pct),
                Column::new("落地率", ColKind::Pct),
            ],
        );
        for r in rows.iter().chain(std::iter::once(&funnel.total)) {
            f.push(vec![
                Cell::Text(r.group.clone()),
                Cell::Int(r.total as i64),
                Cell::Int(r.talks as i64),
                Cell::Int(r.signed as i64),
                Cell::Int(r.landed as i64),
                Cell::Int(r.dropped as i64),
                Cell::Money(r.signed_amount),
                r.signing_rate.map(Cell::Pct).unwrap_or(Cell::Empty),
                r.landing_rate.map(Cell::Pct).unwrap_or(Cell::Empty),
            ]);
        }
        f
    };
    vec![
        t,
        funnel_table("按招商组", "招商组", &funnel.by_team),
        funnel_table("按包干领导", "包干领导", &funnel.by_leader),
    ]
}

async fn export_leads(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<LeadsQuery>) -> Result<Response, ApiError> {
    let leads = st.store.list_leads(&q.filter(&a.actor)?).await?;
    let funnel = st.store.lead_funnel(lead_scope(&a.actor)).await?;
    crate::download::xlsx("招商引资线索.xlsx", &leads_tables(&leads, &funnel))
}

// ------------------------------------------------------------------ batches

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

fn year_of(q: &YearQuery) -> Result<Option<i32>, ApiError> {
    match non_empty(&q.year) {
        None => Ok(None),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .map(Some)
            .ok_or_else(|| ApiError::bad_request("invalid_parameter", format!("年份“{s}”无效"))),
    }
}

async fn list_batches(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<BatchOverview>, ApiError> {
    Ok(Json(st.store.list_batches(year_of(&q)?).await?))
}

async fn get_batch(
    State(st): State<AppState>,
    _a: Auth,
    IdPath(id): IdPath,
) -> Result<Json<zhantu_store::batches::BatchDetail>, ApiError> {
    Ok(Json(st.store.batch(id).await?))
}

#[derive(Deserialize)]
pub(crate) struct BatchBody {
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
    let gate_nodes = match &b.gate_nodes {
        Value::Null => Vec::new(),
        Value::String(s) => parse_gate_nodes(s),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => return Err(ApiError::bad_request("invalid_field", "准入节点应为文字或文字列表")),
    };
    if b.name.trim().is_empty() || b.name.chars().count() > 200 {
        return Err(ApiError::bad_request("invalid_field", "批次名称不能为空，且不超过200个字"));
    }
    Ok(NewBatch {
        name: b.name.clone(),
        level: batch_level(&b.level)?,
        held_on: parse_date(&b.held_on)?,
        gate_nodes,
    })
}

pub(crate) async fn do_create_batch(st: &AppState, a: &Auth, b: &BatchBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.create_batch(&new_batch(b)?, &a.audit()).await?)
}

async fn create_batch(State(st): State<AppState>, a: Auth, Json(b): Json<BatchBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = do_create_batch(&st, &a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

async fn update_batch(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<BatchBody>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Verify)?;
    let version = b
        .version
        .ok_or_else(|| ApiError::bad_request("invalid_field", "缺少版本号 version"))?;
    let v = st.store.update_batch(id, version, &new_batch(&b)?, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "version": v })))
}

#[derive(Deserialize)]
pub(crate) struct ProjectBody {
    pub project_id: i64,
}

pub(crate) async fn do_add_batch_project(st: &AppState, a: &Auth, id: i64, project_id: i64) -> Result<(), ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.add_to_batch(id, project_id, &a.audit()).await?)
}

async fn add_batch_project(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<ProjectBody>,
) -> Result<Json<Value>, ApiError> {
    do_add_batch_project(&st, &a, id, b.project_id).await?;
    Ok(Json(json!({ "batch_id": id, "project_id": b.project_id })))
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

/// The batches with their aggregates, the years, and every member (for the reports, too).
pub fn batches_tables(o: &BatchOverview, members: &[(String, zhantu_store::batches::BatchMember)]) -> Vec<Table> {
    let mut t = Table::new(
        "集中开工批次",
        vec![
            Column::new("批次", ColKind::Text),
            Column::new("级别", ColKind::Text),
            Column::new("开工日期", ColKind::Date),
            Column::new("准入节点", ColKind::Text),
            Column::new("项目数", ColKind::Int),
            Column::new("总投资（万元）", ColKind::Money),
            Column::new("年度计划投资（万元）", ColKind::Money),
        ],
    )
    .with_title("重大项目集中开工情况");
    for b in &o.batches {
        t.push(vec![
            Cell::Text(b.name.clone()),
            Cell::Text(b.level.label_zh().into()),
            Cell::Date(b.held_on),
            Cell::Text(b.gate_nodes.join("、")),
            Cell::Int(b.aggregate.projects as i64),
            Cell::Money(b.aggregate.total_investment_wan.0),
            Cell::Money(b.aggregate.annual_investment_wan.0),
        ]);
    }
    let mut y = Table::new(
        "按年汇总",
        vec![
            Column::new("年份", ColKind::Int),
            Column::new("批次数", ColKind::Int),
            Column::new("项目数", ColKind::Int),
            Column::new("总投资（万元）", ColKind::Money),
            Column::new("年度计划投资（万元）", ColKind::Money),
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
        "批次项目",
        vec![
            Column::new("批次", ColKind::Text),
            Column::new("项目名称", ColKind::Text),
            Column::new("责任单位", ColKind::Text),
            Column::new("总投资（万元）", ColKind::Money),
            Column::new("年度计划投资（万元）", ColKind::Money),
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
    vec![t, y, m]
}

async fn export_batches(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Response, ApiError> {
    let o = st.store.list_batches(year_of(&q)?).await?;
    let mut members = Vec::new();
    for b in &o.batches {
        for m in st.store.batch(b.id).await?.members {
            members.push((b.name.clone(), m));
        }
    }
    crate::download::xlsx("集中开工批次.xlsx", &batches_tables(&o, &members))
}

// ------------------------------------------------------------------ campaigns

async fn list_campaigns(State(st): State<AppState>, _a: Auth) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": st.store.list_campaigns().await? })))
}

async fn get_campaign(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<CampaignDetail>, ApiError> {
    Ok(Json(st.store.campaign(id).await?))
}

#[derive(Deserialize)]
pub(crate) struct CampaignBody {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub unit_ids: Vec<i64>,
    #[serde(default)]
    pub node_ids: Vec<i64>,
    /// Target every open node of these names (text `政策处理、土地摘牌` or a list) planned in the window.
    #[serde(default)]
    pub node_names: Value,
}

pub(crate) async fn do_create_campaign(st: &AppState, a: &Auth, b: &CampaignBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    let node_names = match &b.node_names {
        Value::Null => Vec::new(),
        Value::String(s) if s.trim().is_empty() => Vec::new(),
        Value::String(s) => parse_gate_nodes(s),
        Value::Array(items) => items
            .iter()
            .filter_map(|v| v.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        _ => return Err(ApiError::bad_request("invalid_field", "攻坚节点名称应为文字或文字列表")),
    };
    let n = NewCampaign {
        name: b.name.chars().take(200).collect(),
        starts_on: parse_date(&b.starts_on)?,
        ends_on: parse_date(&b.ends_on)?,
        description: b.description.chars().take(4000).collect(),
        unit_ids: b.unit_ids.clone(),
        node_ids: b.node_ids.clone(),
        node_names,
    };
    Ok(st.store.create_campaign(&n, &a.audit()).await?)
}

async fn create_campaign(State(st): State<AppState>, a: Auth, Json(b): Json<CampaignBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = do_create_campaign(&st, &a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

#[derive(Deserialize)]
struct NodesBody {
    node_ids: Vec<i64>,
}

async fn add_campaign_targets(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<NodesBody>,
) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Verify)?;
    let added = st.store.add_campaign_targets(id, &b.node_ids, &a.audit()).await?;
    Ok(Json(json!({ "added": added })))
}

#[derive(Deserialize)]
struct CloseBody {
    version: i64,
    #[serde(default)]
    note: String,
}

pub(crate) async fn do_close_campaign(st: &AppState, a: &Auth, id: i64, version: i64, note: &str) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st
        .store
        .close_campaign(id, version, &note.chars().take(8000).collect::<String>(), &a.audit())
        .await?)
}

async fn close_campaign(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<CloseBody>,
) -> Result<Json<Value>, ApiError> {
    let v = do_close_campaign(&st, &a, id, b.version, &b.note).await?;
    Ok(Json(
        json!({ "id": id, "status": "closed", "version": v, "report": st.store.campaign(id).await?.report }),
    ))
}

/// The campaigns list (for the reports, too).
pub fn campaigns_table(items: &[CampaignSummary]) -> Table {
    let mut t = Table::new(
        "攻坚行动",
        vec![
            Column::new("攻坚行动", ColKind::Text),
            Column::new("开始", ColKind::Date),
            Column::new("结束", ColKind::Date),
            Column::new("状态", ColKind::Text),
            Column::new("攻坚节点", ColKind::Int),
            Column::new("已销号", ColKind::Int),
            Column::new("按期销号", ColKind::Int),
            Column::new("逾期未销号", ColKind::Int),
            Column::new("销号率", ColKind::Pct),
        ],
    );
    for c in items {
        t.push(vec![
            Cell::Text(c.name.clone()),
            Cell::Date(c.starts_on),
            Cell::Date(c.ends_on),
            Cell::Text(if c.status == "closed" { "已总结" } else { "进行中" }.into()),
            Cell::Int(c.completion.target_nodes as i64),
            Cell::Int(c.completion.closed_nodes as i64),
            Cell::Int(c.completion.closed_in_time as i64),
            Cell::Int(c.completion.overdue as i64),
            c.completion.rate_pct.map(Cell::Pct).unwrap_or(Cell::Empty),
        ]);
    }
    t
}

/// A campaign's leaderboard and its targets (for the reports, too).
pub fn leaderboard_tables(c: &CampaignDetail) -> Vec<Table> {
    let mut t = Table::new(
        "擂台榜",
        vec![
            Column::new("排名", ColKind::Int),
            Column::new("单位", ColKind::Text),
            Column::new("攻坚节点", ColKind::Int),
            Column::new("按期销号", ColKind::Int),
            Column::new("逾期销号", ColKind::Int),
            Column::new("逾期未销号", ColKind::Int),
            Column::new("未到期", ColKind::Int),
            Column::new("按期销号率", ColKind::Pct),
        ],
    )
    .with_title(format!("{}擂台榜", c.campaign.name));
    for r in &c.leaderboard {
        t.push(vec![
            if r.rank == 0 { Cell::Empty } else { Cell::Int(r.rank as i64) },
            Cell::Text(r.unit_name.clone()),
            Cell::Int(r.targets as i64),
            Cell::Int(r.closed_on_time as i64),
            Cell::Int(r.closed_late as i64),
            Cell::Int(r.open_overdue as i64),
            Cell::Int(r.open as i64),
            r.on_time_rate.map(Cell::Pct).unwrap_or(Cell::Empty),
        ]);
    }
    let mut n = Table::new(
        "攻坚节点",
        vec![
            Column::new("项目", ColKind::Text),
            Column::new("节点", ColKind::Text),
            Column::new("责任单位", ColKind::Text),
            Column::new("计划完成", ColKind::Date),
            Column::new("状态", ColKind::Text),
            Column::new("实际完成", ColKind::Date),
        ],
    );
    for x in &c.targets {
        n.push(vec![
            Cell::Text(x.project_name.clone()),
            Cell::Text(x.node_name.clone()),
            Cell::Text(x.unit_name.clone()),
            Cell::Date(x.planned_on),
            Cell::Text(
                zhantu_domain::model::NodeStatus::from_code(&x.status)
                    .map(|s| s.label_zh())
                    .unwrap_or("")
                    .into(),
            ),
            x.actual_on.map(Cell::Date).unwrap_or(Cell::Empty),
        ]);
    }
    vec![t, n]
}

async fn export_campaigns(State(st): State<AppState>, _a: Auth) -> Result<Response, ApiError> {
    crate::download::xlsx("攻坚行动.xlsx", &[campaigns_table(&st.store.list_campaigns().await?)])
}

async fn export_leaderboard(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Response, ApiError> {
    let c = st.store.campaign(id).await?;
    crate::download::xlsx("攻坚擂台榜.xlsx", &leaderboard_tables(&c))
}

// ------------------------------------------------------------------ supervision

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

#[derive(Deserialize, Default)]
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

#[derive(Deserialize)]
pub(crate) struct RoundBody {
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

async fn create_round(State(st): State<AppState>, a: Auth, Json(b): Json<RoundBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = do_create_round(&st, &a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))))
}

pub(crate) async fn do_create_round(st: &AppState, a: &Auth, b: &RoundBody) -> Result<i64, ApiError> {
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
    let held_on = match opt_date_field(&b.held_on)? {
        Some(d) => d,
        None => st.store.as_of().await?,
    };
    let n = NewRound {
        name: b.name.chars().take(200).collect(),
        leader_id,
        held_on,
        summary: b.summary.chars().take(4000).collect(),
        project_ids,
    };
    Ok(st.store.create_round(&n, &a.audit()).await?)
}

#[derive(Deserialize)]
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

#[derive(Deserialize)]
pub(crate) struct FindingBody {
    pub project_id: i64,
    pub finding: String,
    /// With a deadline, the finding becomes a follow-up problem (督办) for the unit.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub unit_id: Option<i64>,
}

pub(crate) async fn do_record_finding(
    st: &AppState,
    a: &Auth,
    id: i64,
    b: &FindingBody,
) -> Result<zhantu_store::supervision::RoundTarget, ApiError> {
    a.actor.may(Action::Comment)?;
    let follow = opt_date_field(&b.deadline)?.map(|deadline| FollowUp {
        deadline,
        unit_id: b.unit_id,
    });
    let finding: String = b.finding.chars().take(4000).collect();
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

#[derive(Deserialize)]
struct RoundCloseBody {
    version: i64,
    #[serde(default)]
    report: String,
}

pub(crate) async fn do_close_round(st: &AppState, a: &Auth, id: i64, version: i64, report: &str) -> Result<i64, ApiError> {
    a.actor.may(Action::Comment)?;
    Ok(st
        .store
        .close_round(id, version, &report.chars().take(20000).collect::<String>(), &a.audit())
        .await?)
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

/// The supervision rounds (for the reports, too).
pub fn rounds_table(items: &[RoundSummary]) -> Table {
    let mut t = Table::new(
        "督查",
        vec![
            Column::new("督查", ColKind::Text),
            Column::new("带队领导", ColKind::Text),
            Column::new("日期", ColKind::Date),
            Column::new("状态", ColKind::Text),
            Column::new("督查项目", ColKind::Int),
            Column::new("发现问题", ColKind::Int),
            Column::new("交办督办", ColKind::Int),
        ],
    )
    .with_title("重大项目督查情况");
    for r in items {
        t.push(vec![
            Cell::Text(r.name.clone()),
            Cell::Text(r.leader_name.clone()),
            Cell::Date(r.held_on),
            Cell::Text(if r.status == "closed" { "已通报" } else { "进行中" }.into()),
            Cell::Int(r.targets),
            Cell::Int(r.findings),
            Cell::Int(r.follow_ups),
        ]);
    }
    t
}

async fn export_rounds(State(st): State<AppState>, _a: Auth) -> Result<Response, ApiError> {
    crate::download::xlsx("督查.xlsx", &[rounds_table(&st.store.list_rounds().await?)])
}

// ------------------------------------------------------------------ the year at a glance

/// `GET /programs/summary?year=2019`: batches, campaigns, rounds, land and leads of a year
/// (the current year by default). Leads are counted district-wide: for district-wide readers.
async fn programmes_summary(
    State(st): State<AppState>,
    a: Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<zhantu_store::programmes::ProgrammesSummary>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区专项工作汇总"));
    }
    let year = match year_of(&q)? {
        Some(y) => y,
        None => chrono::Datelike::year(&st.store.as_of().await?),
    };
    Ok(Json(st.store.programmes_summary(year).await?))
}

// ------------------------------------------------------------------ land

async fn land(State(st): State<AppState>, _a: Auth) -> Result<Json<LandLedger>, ApiError> {
    Ok(Json(st.store.land_ledger().await?))
}

#[derive(Deserialize, Default)]
struct WarnQuery {
    days: Option<String>,
}

async fn land_warnings(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<WarnQuery>) -> Result<Json<Value>, ApiError> {
    let days = opt_id(&q.days, "天数")?
        .unwrap_or(zhantu_store::land::LAND_WARNING_DAYS)
        .clamp(0, 3650);
    Ok(Json(json!({ "days": days, "items": st.store.land_warnings(days).await? })))
}

#[derive(Deserialize)]
pub(crate) struct LandBody {
    #[serde(default)]
    pub entry_on: Option<String>,
    pub area: Value,
    #[serde(default)]
    pub project_id: Option<i64>,
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub note: String,
}

async fn land_entry(st: &AppState, b: &LandBody) -> Result<NewLandEntry, ApiError> {
    Ok(NewLandEntry {
        entry_on: match opt_date_field(&b.entry_on)? {
            Some(d) => d,
            None => st.store.as_of().await?,
        },
        area: area_value(&b.area)?,
        project_id: b.project_id,
        document: b.document.chars().take(300).collect(),
        note: b.note.chars().take(1000).collect(),
    })
}

pub(crate) async fn do_grant_land(st: &AppState, a: &Auth, b: &LandBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.grant_land(&land_entry(st, b).await?, &a.audit()).await?)
}

async fn grant_land(State(st): State<AppState>, a: Auth, Json(b): Json<LandBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = do_grant_land(&st, &a, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "balance": st.store.land_ledger().await?.balance })),
    ))
}

pub(crate) async fn do_allocate_land(st: &AppState, a: &Auth, b: &LandBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.allocate_land(&land_entry(st, b).await?, &a.audit()).await?)
}

async fn allocate_land(State(st): State<AppState>, a: Auth, Json(b): Json<LandBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let id = do_allocate_land(&st, &a, &b).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": id, "balance": st.store.land_ledger().await?.balance })),
    ))
}

/// The land ledger, its years and its warnings (for the reports, too).
pub fn land_tables(l: &LandLedger) -> Vec<Table> {
    let mut t = Table::new(
        "用地指标台账",
        vec![
            Column::new("日期", ColKind::Date),
            Column::new("类型", ColKind::Text),
            Column::new("面积（亩）", ColKind::Area),
            Column::new("项目", ColKind::Text),
            Column::new("文号/依据", ColKind::Text),
            Column::new("备注", ColKind::Text),
        ],
    )
    .with_title(format!(
        "用地指标台账（下达{}，已分配{}，余额{}）",
        l.balance.granted, l.balance.allocated, l.balance.balance
    ));
    for e in &l.entries {
        t.push(vec![
            Cell::Date(e.entry_on),
            Cell::Text(e.kind.label_zh().into()),
            Cell::Area(e.area),
            Cell::Text(e.project_name.clone().unwrap_or_default()),
            Cell::Text(e.document.clone()),
            Cell::Text(e.note.clone()),
        ]);
    }
    let mut y = Table::new(
        "按年汇总",
        vec![
            Column::new("年份", ColKind::Int),
            Column::new("下达（亩）", ColKind::Area),
            Column::new("分配（亩）", ColKind::Area),
            Column::new("收回（亩）", ColKind::Area),
            Column::new("年末余额（亩）", ColKind::Area),
        ],
    );
    for r in &l.years {
        y.push(vec![
            Cell::Int(r.year as i64),
            Cell::Area(r.granted),
            Cell::Area(r.allocated),
            Cell::Area(r.released),
            Cell::Area(r.closing_balance),
        ]);
    }
    let mut w = Table::new(
        "用地预警",
        vec![
            Column::new("项目", ColKind::Text),
            Column::new("节点", ColKind::Text),
            Column::new("计划完成", ColKind::Date),
            Column::new("剩余天数", ColKind::Int),
            Column::new("需用地（亩）", ColKind::Area),
            Column::new("已分配（亩）", ColKind::Area),
            Column::new("缺口（亩）", ColKind::Area),
        ],
    );
    for x in &l.warnings {
        w.push(vec![
            Cell::Text(x.need.project_name.clone()),
            Cell::Text(x.need.node_name.clone()),
            Cell::Date(x.need.planned_on),
            Cell::Int(x.days_left),
            Cell::Area(x.need.land_area),
            Cell::Area(x.need.allocated),
            Cell::Area(x.shortfall),
        ]);
    }
    vec![t, y, w]
}

async fn export_land(State(st): State<AppState>, _a: Auth) -> Result<Response, ApiError> {
    crate::download::xlsx("用地指标台账.xlsx", &land_tables(&st.store.land_ledger().await?))
}
