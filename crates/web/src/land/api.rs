//! The JSON routes of the land quota ledger (用地指标, nested under `/api/v1`): the ledger
//! with its years and warnings, the warnings alone, grants from above and allocations to
//! projects, and the workbook export. Every signed-in user reads it; coordinators write it
//! (`Action::Verify`).

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, Created, created, opt_id};
use crate::fields::{clip, opt_date};
use crate::page::{Lang, t, tf};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::LandArea;
use zhantu_domain::access::Action;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::land::LandLedger;
use zhantu_store::land::NewLandEntry;

pub fn router() -> Routes {
    Routes::new()
        .route("/land", get(land))
        .route("/land/warnings", get(land_warnings))
        .route("/land/export.xlsx", get(export_land))
        .route("/land/grants", post(grant_land))
        .route("/land/allocations", post(allocate_land))
}

/// Land as a number of 亩 or text (`12.5亩`).
pub(super) fn area_value(v: &Value) -> Result<LandArea, ApiError> {
    match v {
        Value::Number(n) => Ok(LandArea::parse(&n.to_string())?),
        Value::String(s) => Ok(LandArea::parse(s)?),
        _ => Err(ApiError::bad_request("invalid_land_area", "用地面积应为数字（亩）")),
    }
}

async fn land(State(st): State<AppState>, _a: Auth) -> Result<Json<LandLedger>, ApiError> {
    Ok(Json(st.store.land_ledger().await?))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct WarnQuery {
    days: Option<String>,
}

async fn land_warnings(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<WarnQuery>) -> Result<Json<Value>, ApiError> {
    let days = opt_id(&q.days, "天数")?
        .unwrap_or(zhantu_store::land::LAND_WARNING_DAYS)
        .clamp(0, 3650);
    Ok(Json(json!({ "days": days, "items": st.store.land_warnings(days).await? })))
}

#[derive(schemars::JsonSchema, Deserialize)]
pub(super) struct LandBody {
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
        entry_on: match opt_date(&b.entry_on)? {
            Some(d) => d,
            None => st.store.as_of().await?,
        },
        area: area_value(&b.area)?,
        project_id: b.project_id,
        document: clip(&b.document, 300),
        note: clip(&b.note, 1000),
    })
}

pub(super) async fn do_grant_land(st: &AppState, a: &Auth, b: &LandBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.grant_land(&land_entry(st, b).await?, &a.audit()).await?)
}

/// The answer to a grant or an allocation: the new entry's id and the balance after it.
async fn entry_created(st: &AppState, id: i64) -> Result<Created, ApiError> {
    Ok(created(json!({ "id": id, "balance": st.store.land_ledger().await?.balance })))
}

async fn grant_land(State(st): State<AppState>, a: Auth, Json(b): Json<LandBody>) -> Result<Created, ApiError> {
    let id = do_grant_land(&st, &a, &b).await?;
    entry_created(&st, id).await
}

pub(super) async fn do_allocate_land(st: &AppState, a: &Auth, b: &LandBody) -> Result<i64, ApiError> {
    a.actor.may(Action::Verify)?;
    Ok(st.store.allocate_land(&land_entry(st, b).await?, &a.audit()).await?)
}

async fn allocate_land(State(st): State<AppState>, a: Auth, Json(b): Json<LandBody>) -> Result<Created, ApiError> {
    let id = do_allocate_land(&st, &a, &b).await?;
    entry_created(&st, id).await
}

/// The land ledger, its years and its warnings in `lang` (for the reports, too): areas in the
/// reader's unit, entry kinds and headers in the reader's language, names as typed.
pub fn land_tables(lang: Lang, l: &LandLedger) -> Vec<Table> {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.land.{key}")), kind);
    let area = |a| crate::page::programmes::area(lang, a);
    let mut ledger = Table::new(
        t(lang, "exports.land.sheet"),
        vec![
            col("date", ColKind::Date),
            col("kind", ColKind::Text),
            col("area", ColKind::Area),
            col("project", ColKind::Text),
            col("document", ColKind::Text),
            col("note", ColKind::Text),
        ],
    )
    .with_title(tf(
        lang,
        "exports.land.title",
        &[
            ("granted", &area(l.balance.granted)),
            ("allocated", &area(l.balance.allocated)),
            ("balance", &area(l.balance.balance)),
        ],
    ));
    for e in &l.entries {
        ledger.push(vec![
            Cell::Date(e.entry_on),
            Cell::Text(
                match lang {
                    Lang::Zh => e.kind.label_zh(),
                    Lang::En => e.kind.label_en(),
                }
                .into(),
            ),
            Cell::Area(e.area),
            Cell::Text(e.project_name.clone().unwrap_or_default()),
            Cell::Text(e.document.clone()),
            Cell::Text(e.note.clone()),
        ]);
    }
    let mut y = Table::new(
        t(lang, "exports.land.years"),
        vec![
            col("year", ColKind::Int),
            col("granted", ColKind::Area),
            col("allocated", ColKind::Area),
            col("released", ColKind::Area),
            col("closing", ColKind::Area),
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
        t(lang, "exports.land.warnings"),
        vec![
            col("project", ColKind::Text),
            col("node", ColKind::Text),
            col("planned_on", ColKind::Date),
            col("days_left", ColKind::Int),
            col("needed", ColKind::Area),
            col("allocated", ColKind::Area),
            col("shortfall", ColKind::Area),
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
    vec![ledger, y, w]
}

async fn export_land(State(st): State<AppState>, _a: Auth, lang: Lang) -> Result<Response, ApiError> {
    let file = format!("{}.xlsx", t(lang, "exports.land.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, land_tables(lang, &st.store.land_ledger().await?)).await
}
