//! The JSON routes and the two `.xlsx` exports of statistics entry and reconciliation.

use super::{
    ReadinessView, ReconciliationView, StatisticsQuery, lack_label, readiness_table, readiness_view, reconciliation_table,
    reconciliation_view,
};
use crate::AppState;
use crate::access::{check_project, edit};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath};
use crate::page::{Lang, t};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::money::Money;
use zhantu_domain::statistics::{EntryInput, UnitReconciliation};
use zhantu_store::statistics::{Counted, Entry};

pub fn router() -> Routes {
    Routes::new()
        .route("/statistics/readiness", get(readiness))
        .route("/statistics/readiness.xlsx", get(readiness_xlsx))
        .route("/statistics/reconciliation", get(reconciliation))
        .route("/statistics/reconciliation.xlsx", get(reconciliation_xlsx))
        .route("/statistics/counted", post(counted))
        .route("/projects/{id}/statistics", post(enter))
}

/// A project's statistics entry (入库) as sent.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct EntryBody {
    /// 统计代码: letters, digits and `-`, at most 30.
    pub code: String,
    /// 入库日期, `YYYY-MM-DD` (or `2019年5月6日`); on or after the start.
    pub on: String,
    /// The project's version, to refuse a stale write (optional).
    pub version: Option<i64>,
}

pub(super) async fn do_enter(st: &AppState, a: &Auth, id: i64, b: &EntryBody) -> Result<Entry, ApiError> {
    check_project(st, &a.actor, id, edit).await?;
    let input = EntryInput::parse(&b.code, &b.on)?;
    Ok(st.store.enter_statistics(id, &input, b.version, &a.audit()).await?)
}

async fn enter(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<EntryBody>) -> Result<Json<Entry>, ApiError> {
    Ok(Json(do_enter(&st, &a, id, &b).await?))
}

/// The bureau's counted investment of a project, year to month (累计列统投资), as sent.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct CountedBody {
    pub project_id: i64,
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// Cumulative, year to month, in 元 (a whole number).
    pub cumulative: i64,
}

async fn counted(State(st): State<AppState>, a: Auth, Json(b): Json<CountedBody>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Import)?;
    if !(1..=12).contains(&b.month) || !(1900..=2200).contains(&b.year) {
        return Err(ApiError::bad_request("invalid_month", format!("月份“{}-{}”无效", b.year, b.month)));
    }
    if b.cumulative.unsigned_abs() > Money::MAX.yuan().unsigned_abs() {
        return Err(ApiError::bad_request("invalid_money", "金额超出上限"));
    }
    let c = Counted {
        project_id: b.project_id,
        year: b.year,
        month: b.month,
        cumulative: Money::from_yuan(b.cumulative),
    };
    st.store.set_statistics_counted(&c, &a.audit()).await?;
    Ok(Json(json!(c)))
}

fn readiness_json(v: &ReadinessView) -> Value {
    let items: Vec<Value> = v
        .rows
        .iter()
        .map(|(r, l)| {
            json!({
                "project_id": l.id, "code": l.code, "name": l.name,
                "unit": {"id": l.unit_id, "name": l.unit_name}, "stage": l.stage,
                "total_investment": l.total_investment, "started_on": l.started_on,
                "statistics_code": l.statistics_code, "due": r.due,
                "lacks": r.lacks.iter().map(|x| x.code()).collect::<Vec<_>>(),
                "lack_labels": r.lacks.iter().map(|x| lack_label(Lang::Zh, *x)).collect::<Vec<_>>(),
                "days_since_start": r.days_since_start, "light": r.light,
            })
        })
        .collect();
    json!({
        "year": v.period.year, "month": v.period.month, "as_of": v.period.as_of,
        "threshold": v.threshold, "counts": v.counts, "total": items.len(), "items": items,
    })
}

async fn readiness(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<StatisticsQuery>) -> Result<Json<Value>, ApiError> {
    Ok(Json(readiness_json(&readiness_view(&st, &a.actor, &q).await?)))
}

fn unit_json(u: &UnitReconciliation) -> Value {
    json!({
        "projects": u.projects, "in_statistics": u.in_statistics, "reported": u.reported,
        "counted": u.counted, "gap": u.gap, "parts": u.parts, "official": u.official,
        "outside_the_map": u.outside_the_map,
    })
}

fn reconciliation_json(v: &ReconciliationView) -> Value {
    let units: Vec<Value> = v
        .units
        .iter()
        .map(|u| {
            let mut j = unit_json(&u.figures);
            j["unit_id"] = json!(u.figures.unit_id);
            j["unit"] = json!(u.name);
            j["division_code"] = json!(u.division_code);
            j
        })
        .collect();
    let projects: Vec<Value> = v
        .projects
        .iter()
        .map(|(m, g, l)| {
            json!({
                "project_id": l.id, "code": l.code, "name": l.name, "unit_id": l.unit_id,
                "in_statistics": m.in_statistics, "total_investment": m.total_investment,
                "reported": m.reported_ytd, "reported_month": m.reported_month, "counted": m.counted_ytd,
                "parts": g,
            })
        })
        .collect();
    json!({
        "year": v.period.year, "month": v.period.month, "threshold": v.threshold,
        "units": units, "total": unit_json(&v.total), "projects": projects,
    })
}

async fn reconciliation(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<StatisticsQuery>) -> Result<Json<Value>, ApiError> {
    Ok(Json(reconciliation_json(&reconciliation_view(&st, &a.actor, &q).await?)))
}

async fn readiness_xlsx(
    State(st): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<StatisticsQuery>,
) -> Result<Response, ApiError> {
    let lang = crate::page::anonymous_lang(q.lang.as_deref(), &headers);
    let v = readiness_view(&st, &a.actor, &q).await?;
    let file = format!("{}.xlsx", t(lang, "statistics.readiness.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![readiness_table(lang, &v)]).await
}

async fn reconciliation_xlsx(
    State(st): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<StatisticsQuery>,
) -> Result<Response, ApiError> {
    let lang = crate::page::anonymous_lang(q.lang.as_deref(), &headers);
    let v = reconciliation_view(&st, &a.actor, &q).await?;
    let file = format!("{}.xlsx", t(lang, "statistics.reconciliation.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![reconciliation_table(lang, &v)]).await
}
