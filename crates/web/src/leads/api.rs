//! The JSON routes of the investment-attraction leads (nested under `/api/v1`): list, funnel,
//! one lead, create, edit, move along the stages, and the workbook export.
//!
//! Leads are read by the district-wide roles, and by unit roles for the teams in their scope;
//! they are written with `Action::Edit` on the lead's team unit: coordinators everywhere,
//! unit editors for the leads of their own unit and the units below (a street's own 招商
//! work), viewers and leaders never.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created, non_empty, opt_id};
use crate::fields::{clip, opt_date};
use crate::page::{Lang, t};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::model::LeadStage;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_domain::{Money, MoneyUnit};
use zhantu_store::leads::LandingProject;
use zhantu_store::leads::Lead;
use zhantu_store::leads::LeadChange;
use zhantu_store::leads::LeadFilter;
use zhantu_store::leads::LeadFunnel;
use zhantu_store::leads::LeadMove;
use zhantu_store::leads::NewLead;

pub fn router() -> Routes {
    Routes::new()
        .route("/leads", get(list_leads).post(create_lead))
        .route("/leads/funnel", get(funnel))
        .route("/leads/export.xlsx", get(export_leads))
        .route("/leads/{id}", get(get_lead).patch(update_lead))
        .route("/leads/{id}/stage", post(move_lead))
}

// ------------------------------------------------------------------ parsing helpers

/// Money as a number of 万元 or text with its unit.
fn money_value(v: &Value, what: &str) -> Result<Money, ApiError> {
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

fn lead_stage(s: &str) -> Result<LeadStage, ApiError> {
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

/// The leads a reader sees: all for district-wide roles, else the teams in scope.
pub(super) fn lead_scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

async fn lead_for(st: &AppState, actor: &Actor, id: i64, write: bool) -> Result<Lead, ApiError> {
    let l = st.store.lead(id).await.or_not_found(format!("招商线索 {id} 不存在"))?;
    let unit_id = l.team_unit_id;
    actor.may(if write {
        Action::Edit { unit_id }
    } else {
        Action::Read { unit_id }
    })?;
    Ok(l)
}

// ------------------------------------------------------------------ leads

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub(super) struct LeadsQuery {
    pub stage: Option<String>,
    pub team: Option<String>,
    pub leader: Option<String>,
}

impl LeadsQuery {
    pub(super) fn filter(&self, actor: &Actor) -> Result<LeadFilter, ApiError> {
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

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub(super) struct FunnelQuery {
    /// The leads received in this year, for the `chain` to 投产 (all years when absent).
    pub year: Option<String>,
}

/// The funnel by stage, team and leader, and its `chain` 洽谈 → 签约 → 落地 → 开工 → 投产 (→ 达产)
/// by team for the leads received in `year` (the attraction clocks' figures).
async fn funnel(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<FunnelQuery>) -> Result<Json<Value>, ApiError> {
    let year = crate::fields::opt_year(&q.year)?;
    let scope = lead_scope(&a.actor);
    let mut v = json!(st.store.lead_funnel(scope.clone()).await?);
    let chain = st.store.lead_chain_funnel(scope.as_deref(), year).await?;
    v["chain"] = json!({ "year": year, "total": chain.total, "by_team": chain.by_team });
    Ok(Json(v))
}

async fn get_lead(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Lead>, ApiError> {
    Ok(Json(lead_for(&st, &a.actor, id, false).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct NewLeadBody {
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

pub(super) async fn do_create_lead(st: &AppState, a: &Auth, b: &NewLeadBody) -> Result<Lead, ApiError> {
    a.actor.may(Action::Edit { unit_id: b.team_unit_id })?;
    if b.name.trim().is_empty() || b.name.chars().count() > 200 {
        return Err(ApiError::bad_request("lead_name_length", "线索名称不能为空，且不超过200个字"));
    }
    let first = match opt_date(&b.first_contact_on)? {
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
        source_region: clip(&b.source_region, 100),
        first_contact_on: first,
        note: clip(&b.note, 2000),
    };
    Ok(st.store.create_lead(&n, &a.audit()).await?)
}

async fn create_lead(State(st): State<AppState>, a: Auth, Json(b): Json<NewLeadBody>) -> Result<Created<Lead>, ApiError> {
    Ok(created(do_create_lead(&st, &a, &b).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
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

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct StageBody {
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

pub(super) async fn do_move_lead(st: &AppState, a: &Auth, id: i64, b: &StageBody) -> Result<Lead, ApiError> {
    lead_for(st, &a.actor, id, true).await?;
    let on = match opt_date(&b.on)? {
        Some(d) => d,
        None => st.store.as_of().await?,
    };
    let mv = LeadMove {
        to: lead_stage(&b.to)?,
        on,
        reason: clip(&b.reason, 500),
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

/// The leads list and the funnels as a workbook in `lang` (for the reports, too): names as
/// typed, stages and headers in the reader's language.
pub fn leads_tables(lang: Lang, leads: &[Lead], funnel: &LeadFunnel) -> Vec<Table> {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.leads.{key}")), kind);
    let mut list = Table::new(
        t(lang, "exports.leads.sheet"),
        vec![
            col("name", ColKind::Text),
            col("investor", ColKind::Text),
            col("team", ColKind::Text),
            col("leader", ColKind::Text),
            col("stage", ColKind::Text),
            col("signed_amount", ColKind::Money),
            col("foreign", ColKind::Money),
            col("source_region", ColKind::Text),
            col("first_contact", ColKind::Date),
            col("signed_on", ColKind::Date),
            col("landed_on", ColKind::Date),
            col("project", ColKind::Text),
        ],
    )
    .with_title(t(lang, "exports.leads.title"));
    let od = |d: Option<chrono::NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
    for l in leads {
        list.push(vec![
            Cell::Text(l.name.clone()),
            Cell::Text(l.investor.clone()),
            Cell::Text(l.team_name.clone()),
            Cell::Text(l.leader_name.clone().unwrap_or_default()),
            Cell::Text(
                match lang {
                    Lang::Zh => l.stage.label_zh(),
                    Lang::En => l.stage.label_en(),
                }
                .into(),
            ),
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
                col("funnel_total", ColKind::Int),
                col("funnel_talks", ColKind::Int),
                col("funnel_signed", ColKind::Int),
                col("funnel_landed", ColKind::Int),
                col("funnel_dropped", ColKind::Int),
                col("funnel_amount", ColKind::Money),
                col("funnel_signing_rate", ColKind::Pct),
                col("funnel_landing_rate", ColKind::Pct),
            ],
        );
        let total = std::iter::once((true, &funnel.total));
        for (is_total, r) in rows.iter().map(|r| (false, r)).chain(total) {
            f.push(vec![
                // The whole funnel's row is named in the reader's language; a group is a name.
                Cell::Text(if is_total {
                    t(lang, "exports.leads.funnel_all").into()
                } else {
                    r.group.clone()
                }),
                Cell::Int(r.total as i64),
                Cell::Int(r.talks as i64),
                Cell::Int(r.signed as i64),
                Cell::Int(r.landed as i64),
                Cell::Int(r.dropped as i64),
                Cell::Money(r.signed_amount),
                r.signing_rate.into(),
                r.landing_rate.into(),
            ]);
        }
        f
    };
    vec![
        list,
        funnel_table(t(lang, "exports.leads.by_team"), t(lang, "exports.leads.team"), &funnel.by_team),
        funnel_table(
            t(lang, "exports.leads.by_leader"),
            t(lang, "exports.leads.leader"),
            &funnel.by_leader,
        ),
    ]
}

async fn export_leads(State(st): State<AppState>, a: Auth, lang: Lang, ApiQuery(q): ApiQuery<LeadsQuery>) -> Result<Response, ApiError> {
    let leads = st.store.list_leads(&q.filter(&a.actor)?).await?;
    let funnel = st.store.lead_funnel(lead_scope(&a.actor)).await?;
    let file = format!("{}.xlsx", t(lang, "exports.leads.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, leads_tables(lang, &leads, &funnel)).await
}
