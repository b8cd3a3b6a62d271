//! The JSON routes of the campaigns (攻坚行动, nested under `/api/v1`): the list, one campaign
//! with its leaderboard (擂台榜), create, add target nodes, close with the report, and the
//! workbook exports. Every signed-in user reads them; coordinators manage them
//! (`Action::Verify`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Created, IdPath, created};
use crate::fields::clip;
use crate::forms::node_names;
use crate::page::{Lang, t, tf};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::batches::parse_gate_nodes;
use zhantu_domain::parse_date;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::campaigns::CampaignDetail;
use zhantu_store::campaigns::CampaignSummary;
use zhantu_store::campaigns::NewCampaign;

pub fn router() -> Routes {
    Routes::new()
        .route("/campaigns", get(list_campaigns).post(create_campaign))
        .route("/campaigns/export.xlsx", get(export_campaigns))
        .route("/campaigns/{id}", get(get_campaign))
        .route("/campaigns/{id}/leaderboard.xlsx", get(export_leaderboard))
        .route("/campaigns/{id}/targets", post(add_campaign_targets))
        .route("/campaigns/{id}/close", post(close_campaign))
        .route("/campaigns/{id}/measures", get(list_measures).post(add_measure))
        .route("/campaign-measures/{id}/progress", post(measure_progress))
}

/// A quantitative target as sent (量化指标).
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct MeasureBody {
    /// E.g. 房屋政策处理.
    pub name: String,
    /// The measure's unit word: 间, 条, 户…
    #[serde(default)]
    pub unit: String,
    /// Above zero.
    pub target: i64,
    /// Achieved so far (0 by default).
    #[serde(default)]
    pub achieved: i64,
}

/// What has been achieved of a measure, on the version read.
#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct ProgressBody {
    pub achieved: i64,
    pub version: i64,
}

pub(super) async fn do_add_measure(
    st: &AppState,
    a: &Auth,
    id: i64,
    b: &MeasureBody,
) -> Result<zhantu_store::campaigns::Measure, ApiError> {
    a.actor.may(Action::Verify)?;
    let m = zhantu_domain::campaigns::MeasureInput::parse(&b.name, &b.unit, b.target, b.achieved)?;
    Ok(st.store.add_campaign_measure(id, &m, &a.audit()).await?)
}

pub(super) async fn do_measure_progress(
    st: &AppState,
    a: &Auth,
    id: i64,
    b: &ProgressBody,
) -> Result<zhantu_store::campaigns::Measure, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.update_campaign_measure(id, b.achieved, b.version, &a.audit()).await?)
}

async fn list_measures(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    st.store.campaign(id).await?;
    Ok(Json(json!({ "items": st.store.campaign_measures(id).await? })))
}

async fn add_measure(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<MeasureBody>,
) -> Result<Created<Value>, ApiError> {
    let m = do_add_measure(&st, &a, id, &b).await?;
    Ok(created(json!(m)))
}

async fn measure_progress(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<ProgressBody>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!(do_measure_progress(&st, &a, id, &b).await?)))
}

async fn list_campaigns(State(st): State<AppState>, _a: Auth) -> Result<Json<Value>, ApiError> {
    Ok(Json(json!({ "items": st.store.list_campaigns().await? })))
}

async fn get_campaign(State(st): State<AppState>, _a: Auth, IdPath(id): IdPath) -> Result<Json<CampaignDetail>, ApiError> {
    Ok(Json(st.store.campaign(id).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct CampaignBody {
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

pub(super) async fn do_create_campaign(st: &AppState, a: &Auth, b: &CampaignBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    // Blank text names no node (where a batch's gate would fall back to its default).
    let in_text = |s: &str| if s.trim().is_empty() { Vec::new() } else { parse_gate_nodes(s) };
    let node_names = node_names(&b.node_names, in_text, "攻坚节点名称应为文字或文字列表")?;
    let n = NewCampaign {
        name: clip(&b.name, 200),
        starts_on: parse_date(&b.starts_on)?,
        ends_on: parse_date(&b.ends_on)?,
        description: clip(&b.description, 4000),
        unit_ids: b.unit_ids.clone(),
        node_ids: b.node_ids.clone(),
        node_names,
    };
    Ok(st.store.create_campaign(&n, &a.audit()).await?)
}

async fn create_campaign(State(st): State<AppState>, a: Auth, Json(b): Json<CampaignBody>) -> Result<Created, ApiError> {
    let id = do_create_campaign(&st, &a, &b).await?;
    Ok(created(json!({ "id": id })))
}

#[derive(schemars::JsonSchema, Deserialize)]
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

#[derive(schemars::JsonSchema, Deserialize)]
struct CloseBody {
    version: i64,
    #[serde(default)]
    note: String,
}

pub(super) async fn do_close_campaign(st: &AppState, a: &Auth, id: i64, version: i64, note: &str) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.close_campaign(id, version, &clip(note, 8000), &a.audit()).await?)
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

/// The campaigns list in `lang` (for the reports, too): states and headers in the reader's
/// language, names as typed.
pub fn campaigns_table(lang: Lang, items: &[CampaignSummary]) -> Table {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.campaigns.{key}")), kind);
    let mut list = Table::new(
        t(lang, "exports.campaigns.sheet"),
        vec![
            col("campaign", ColKind::Text),
            col("starts_on", ColKind::Date),
            col("ends_on", ColKind::Date),
            col("status", ColKind::Text),
            col("target_nodes", ColKind::Int),
            col("closed_nodes", ColKind::Int),
            col("closed_in_time", ColKind::Int),
            col("overdue", ColKind::Int),
            col("close_rate", ColKind::Pct),
        ],
    );
    for c in items {
        list.push(vec![
            Cell::Text(c.name.clone()),
            Cell::Date(c.starts_on),
            Cell::Date(c.ends_on),
            Cell::Text(
                t(
                    lang,
                    if c.status == "closed" {
                        "exports.campaigns.status_closed"
                    } else {
                        "exports.campaigns.status_open"
                    },
                )
                .into(),
            ),
            Cell::Int(c.completion.target_nodes as i64),
            Cell::Int(c.completion.closed_nodes as i64),
            Cell::Int(c.completion.closed_in_time as i64),
            Cell::Int(c.completion.overdue as i64),
            c.completion.rate_pct.into(),
        ]);
    }
    list
}

/// A campaign's leaderboard and its targets in `lang` (for the reports, too): node states and
/// headers in the reader's language, names as typed.
pub fn leaderboard_tables(lang: Lang, c: &CampaignDetail) -> Vec<Table> {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.campaigns.{key}")), kind);
    let mut board = Table::new(
        t(lang, "exports.campaigns.leaderboard"),
        vec![
            col("rank", ColKind::Int),
            col("unit", ColKind::Text),
            col("target_nodes", ColKind::Int),
            col("closed_on_time", ColKind::Int),
            col("closed_late", ColKind::Int),
            col("open_overdue", ColKind::Int),
            col("open", ColKind::Int),
            col("on_time_rate", ColKind::Pct),
        ],
    )
    .with_title(tf(lang, "exports.campaigns.leaderboard_title", &[("name", &c.campaign.name)]));
    for r in &c.leaderboard {
        board.push(vec![
            if r.rank == 0 { Cell::Empty } else { Cell::Int(r.rank as i64) },
            Cell::Text(r.unit_name.clone()),
            Cell::Int(r.targets as i64),
            Cell::Int(r.closed_on_time as i64),
            Cell::Int(r.closed_late as i64),
            Cell::Int(r.open_overdue as i64),
            Cell::Int(r.open as i64),
            r.on_time_rate.into(),
        ]);
    }
    let mut n = Table::new(
        t(lang, "exports.campaigns.targets"),
        vec![
            col("project", ColKind::Text),
            col("node", ColKind::Text),
            col("target_unit", ColKind::Text),
            col("planned_on", ColKind::Date),
            col("status", ColKind::Text),
            col("actual_on", ColKind::Date),
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
                    .map(|s| match lang {
                        Lang::Zh => s.label_zh(),
                        Lang::En => s.label_en(),
                    })
                    .unwrap_or("")
                    .into(),
            ),
            x.actual_on.map(Cell::Date).unwrap_or(Cell::Empty),
        ]);
    }
    vec![board, n]
}

async fn export_campaigns(State(st): State<AppState>, _a: Auth, lang: Lang) -> Result<Response, ApiError> {
    let file = format!("{}.xlsx", t(lang, "exports.campaigns.file"));
    let table = campaigns_table(lang, &st.store.list_campaigns().await?);
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![table]).await
}

async fn export_leaderboard(State(st): State<AppState>, _a: Auth, lang: Lang, IdPath(id): IdPath) -> Result<Response, ApiError> {
    let c = st.store.campaign(id).await?;
    let file = format!("{}.xlsx", t(lang, "exports.campaigns.leaderboard_file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, leaderboard_tables(lang, &c)).await
}
