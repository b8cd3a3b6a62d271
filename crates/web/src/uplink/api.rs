//! The JSON routes of reporting up (nested under `/api/v1`): the district's package for a
//! month as JSON and as a workbook (`Action::ReadUplink`: the district-wide view), receiving a
//! district's package and what has been received for a period (`Action::ReceiveUplink`,
//! `Action::ReadUplink`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, FormError};
use crate::extract::ApiQuery;
use crate::page::{Lang, t};
use crate::routes::{Routes, get};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_domain::uplink::Package;
use zhantu_store::uplink::Receipt;

pub fn router() -> Routes {
    Routes::new()
        .route(
            "/uplink/received",
            get(received).post(receive).body_limit(crate::guard::MAX_UPLINK_BYTES),
        )
        .route("/uplink/{period}", get(package))
        .route("/uplink/{period}/package.xlsx", get(workbook))
}

/// `GET /uplink/{period}`: the package, the same bytes for the same data.
async fn package(State(st): State<AppState>, a: Auth, Path(period): Path<String>) -> Result<Json<Package>, ApiError> {
    a.actor.may(Action::ReadUplink)?;
    Ok(Json(super::build(&st, &period).await?))
}

/// The package as sheets with Chinese headers: 上报包 (what it is, its totals and digest),
/// 项目, 节点. Money in 元, exact.
pub(super) fn tables(p: &Package) -> Vec<Table> {
    let zh = |k: &str| t(Lang::Zh, k);
    let mut head = Table::new(
        zh("uplink.sheet.package"),
        vec![
            Column::new(zh("uplink.item"), ColKind::Text),
            Column::new(zh("uplink.value"), ColKind::Text),
        ],
    );
    let tot = &p.totals;
    for (k, v) in [
        ("uplink.format", p.format.clone()),
        ("uplink.division", p.division.clone()),
        ("uplink.district", p.district_name.clone()),
        ("uplink.period", p.period.clone()),
        ("uplink.projects", tot.projects.to_string()),
        ("uplink.total_investment", tot.total_investment.to_string()),
        ("uplink.year_plan", tot.year_plan.to_string()),
        ("uplink.investment_month", tot.investment_month.to_string()),
        ("uplink.investment_ytd", tot.investment_ytd.to_string()),
        ("uplink.red", tot.lights.red.to_string()),
        ("uplink.yellow", tot.lights.yellow.to_string()),
        ("uplink.green", tot.lights.green.to_string()),
        ("uplink.no_light", tot.lights.none.to_string()),
        ("uplink.digest", p.digest.clone()),
    ] {
        head.push(vec![Cell::Text(zh(k).into()), Cell::Text(v)]);
    }
    let col = |k: &str, kind| Column::new(zh(k), kind);
    let mut projects = Table::new(
        zh("uplink.sheet.projects"),
        vec![
            col("uplink.code", ColKind::Text),
            col("uplink.name", ColKind::Text),
            col("uplink.unit", ColKind::Text),
            col("uplink.stage", ColKind::Text),
            col("uplink.light", ColKind::Text),
            col("uplink.light_source", ColKind::Text),
            col("uplink.total_investment_yuan", ColKind::Int),
            col("uplink.year_plan_yuan", ColKind::Int),
            col("uplink.investment_month_yuan", ColKind::Int),
            col("uplink.investment_ytd_yuan", ColKind::Int),
        ],
    );
    let mut nodes = Table::new(
        zh("uplink.sheet.nodes"),
        vec![
            col("uplink.code", ColKind::Text),
            col("uplink.node", ColKind::Text),
            col("uplink.planned_on", ColKind::Text),
            col("uplink.actual_on", ColKind::Text),
            col("uplink.status", ColKind::Text),
        ],
    );
    for pr in &p.projects {
        let stage = zhantu_domain::Stage::from_code(&pr.stage)
            .map(|s| s.label_zh().to_string())
            .unwrap_or_else(|| pr.stage.clone());
        let light = match pr.light.as_deref() {
            Some("red") => zh("uplink.red"),
            Some("yellow") => zh("uplink.yellow"),
            Some("green") => zh("uplink.green"),
            _ => zh("uplink.no_light"),
        };
        projects.push(vec![
            Cell::Text(pr.code.clone()),
            Cell::Text(pr.name.clone()),
            Cell::Text(pr.unit.clone()),
            Cell::Text(stage),
            Cell::Text(light.into()),
            Cell::Text(zh(&format!("uplink.light_source.{}", pr.light_source)).into()),
            Cell::Int(pr.total_investment),
            Cell::Int(pr.year_plan),
            Cell::Int(pr.investment_month),
            Cell::Int(pr.investment_ytd),
        ]);
        for n in &pr.nodes {
            let status = zhantu_domain::model::NodeStatus::from_code(&n.status)
                .map(|s| s.label_zh().to_string())
                .unwrap_or_else(|| n.status.clone());
            nodes.push(vec![
                Cell::Text(pr.code.clone()),
                Cell::Text(n.name.clone()),
                Cell::Text(n.planned_on.clone()),
                n.actual_on.clone().map(Cell::Text).unwrap_or(Cell::Empty),
                Cell::Text(status),
            ]);
        }
    }
    vec![head, projects, nodes]
}

/// `GET /uplink/{period}/package.xlsx`: the same package as a workbook.
async fn workbook(State(st): State<AppState>, a: Auth, Path(period): Path<String>) -> Result<Response, ApiError> {
    a.actor.may(Action::ReadUplink)?;
    let p = super::build(&st, &period).await?;
    let name = format!("{}{}{}.xlsx", p.district_name, p.period, t(Lang::Zh, "uplink.file"));
    crate::download::xlsx(&name, &tables(&p))
}

/// `POST /uplink/received`: a district's package, validated (every bad part named, 400
/// `invalid_fields`), then kept: 201 `accepted` the first time, 200 `revised` for a new digest,
/// 200 `unchanged` with the receipt already given for the same package again.
async fn receive(State(st): State<AppState>, a: Auth, Json(p): Json<Package>) -> Result<(StatusCode, Json<Receipt>), FormError> {
    a.actor.may(Action::ReceiveUplink)?;
    p.validate()?;
    let r = st.store.receive_uplink(&p, &a.audit()).await?;
    let status = if r.status == "accepted" {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(r)))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub(super) struct PeriodQuery {
    /// `YYYY-MM`; else the data date's month.
    pub period: Option<String>,
}

/// `GET /uplink/received?period=YYYY-MM`.
async fn received(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<PeriodQuery>) -> Result<Json<serde_json::Value>, ApiError> {
    a.actor.may(Action::ReadUplink)?;
    let period = match q.period.filter(|p| !p.trim().is_empty()) {
        Some(p) => p,
        None => super::default_period(&st).await?,
    };
    let v = super::received_view(&st, &period).await?;
    Ok(Json(serde_json::to_value(&v).map_err(ApiError::internal)?))
}
