//! Progress reports (进度填报): a unit files its project's weekly or monthly report (with the
//! month's investment and the problems met), a coordinator closes a month against later
//! changes, and the reporting timeliness (报送及时率) as JSON and as a workbook. The report
//! form of the project page is drawn by `panels::reports` (templates/reports/).

use crate::access::check_project;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{Created, IdPath, created};
use crate::fields::clip;
use crate::routes::{Routes, get, post};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::model::ReportPeriod;
use zhantu_domain::{Money, MoneyUnit, parse_date};
use zhantu_store::NewReport;

pub const MECHANISM: Mechanism = Mechanism {
    name: "reports",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/projects/{id}/reports", post(submit_report))
        .route("/periods/{year}/{month}/lock", post(lock_month))
        .route("/reporting/timeliness", get(timeliness))
        .route("/reporting/timeliness.xlsx", get(timeliness_xlsx))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct ReportBody {
    /// `week` or `month`.
    period_kind: String,
    period_start: String,
    body: String,
    /// 本月完成投资: a number of 万元 or text with its unit; monthly reports only.
    #[serde(default)]
    investment: Option<Value>,
    /// 遇到的问题: `[{"category": "用地", "description": "…"}]`, or text with one `类别：描述`
    /// per line; each becomes a problem of the project's unit.
    #[serde(default)]
    problems: Option<Value>,
}

fn report_problems(v: &Option<Value>) -> Result<Vec<(String, String)>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(zhantu_domain::problems::parse_problem_lines(s)),
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| match (p["category"].as_str(), p["description"].as_str()) {
                (Some(c), Some(d)) => Ok((c.to_string(), d.to_string())),
                _ => Err(ApiError::bad_request(
                    "invalid_problems",
                    "问题应写作 {\"category\": \"用地\", \"description\": \"…\"}",
                )),
            })
            .collect(),
        _ => Err(ApiError::bad_request(
            "invalid_problems",
            "problems 应为列表，或每行一条“类别：描述”的文字",
        )),
    }
}

async fn submit_report(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<ReportBody>) -> Result<Created, ApiError> {
    check_project(&st, &a.actor, id, crate::access::edit).await?;
    let period = ReportPeriod::from_code(b.period_kind.trim())
        .ok_or_else(|| ApiError::bad_request("invalid_period", "填报周期应为 week（周报）或 month（月报）"))?;
    let investment = match (&b.investment, period) {
        // An empty field is no figure (a form sends its investment box even for a week).
        (None | Some(Value::Null), _) => Money::ZERO,
        (Some(Value::String(s)), _) if s.trim().is_empty() => Money::ZERO,
        (Some(_), ReportPeriod::Week) => return Err(ApiError::bad_request("invalid_field", "完成投资按月填报，周报不填投资")),
        (Some(Value::Number(n)), _) => Money::parse(&n.to_string(), MoneyUnit::Wan)?,
        (Some(Value::String(s)), _) => Money::parse(s, MoneyUnit::Wan)?,
        _ => return Err(ApiError::bad_request("invalid_money", "完成投资应为数字（万元）或带单位的文字")),
    };
    let report = NewReport {
        period,
        period_start: parse_date(&b.period_start)?,
        body: clip(&b.body, 4000),
        investment,
        problems: report_problems(&b.problems)?,
    };
    let rid = st.store.submit_report(id, &report, &a.audit()).await?;
    Ok(created(json!({ "report_id": rid })))
}

async fn lock_month(State(st): State<AppState>, a: Auth, Path((year, month)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Verify)?;
    let (year, month) = zhantu_domain::date::parse_month(&format!("{year}-{month}"))?;
    let n = st.store.lock_month(year, month, &a.audit()).await?;
    Ok(Json(json!({ "year": year, "month": month, "locked_rows": n })))
}

#[derive(Deserialize, Default)]
struct TimelinessQuery {
    kind: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// The late-submission list: `?kind=month|week&from=2019-01-01&to=2019-12-31` (default: monthly
/// reports of the data year up to its as-of date). Unit staff see their own units only.
async fn load_timeliness(st: &AppState, a: &Auth, q: &TimelinessQuery) -> Result<zhantu_store::ReportingTimeliness, ApiError> {
    let kind = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        None => ReportPeriod::Month,
        Some(k) => ReportPeriod::from_code(k)
            .ok_or_else(|| ApiError::bad_request("invalid_kind", format!("报告周期“{k}”无效：应为 week 或 month")))?,
    };
    let as_of = st.store.as_of().await?;
    let day = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(parse_date).transpose();
    let to = day(&q.to)?.unwrap_or(as_of);
    let from = day(&q.from)?.unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to));
    if from > to {
        return Err(ApiError::bad_request("invalid_span", "起始日期晚于截止日期"));
    }
    let mut t = st.store.reporting_timeliness(kind, from, to).await?;
    if !a.actor.reads_all() {
        t.units.retain(|u| a.actor.in_scope(u.record.unit_id));
    }
    Ok(t)
}

async fn timeliness(
    State(st): State<AppState>,
    a: Auth,
    axum::extract::Query(q): axum::extract::Query<TimelinessQuery>,
) -> Result<Json<zhantu_store::ReportingTimeliness>, ApiError> {
    Ok(Json(load_timeliness(&st, &a, &q).await?))
}

async fn timeliness_xlsx(
    State(st): State<AppState>,
    a: Auth,
    axum::extract::Query(q): axum::extract::Query<TimelinessQuery>,
) -> Result<axum::response::Response, ApiError> {
    use zhantu_domain::table::{Cell, ColKind, Column, Table};
    let t = load_timeliness(&st, &a, &q).await?;
    let what = t.period_kind.label_zh();
    let mut table = Table::new(
        "报送及时率",
        vec![
            Column::new("单位", ColKind::Text),
            Column::new("应报", ColKind::Int),
            Column::new("按时", ColKind::Int),
            Column::new("迟报", ColKind::Int),
            Column::new("漏报", ColKind::Int),
            Column::new("未到期", ColKind::Int),
            Column::new("按时报送率", ColKind::Pct),
        ],
    )
    .with_title(format!("{}至{}{}报送情况（截止要求：{}）", t.from, t.to, what, t.deadline));
    for u in &t.units {
        let r = &u.record;
        table.push(vec![
            Cell::from(u.unit_name.as_str()),
            Cell::Int(r.expected as i64),
            Cell::Int(r.on_time as i64),
            Cell::Int(r.late as i64),
            Cell::Int(r.missing as i64),
            Cell::Int(r.pending as i64),
            Cell::from(r.on_time_rate),
        ]);
    }
    crate::download::xlsx(&format!("{what}报送及时率_{}_{}.xlsx", t.from, t.to), &[table])
}
