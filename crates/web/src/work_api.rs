//! The rest of the weekly work through the API: the administrator's rule set (versioned),
//! pausing and resuming projects, progress reports, and closing a month.

use crate::AppState;
use crate::access::check_project;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;
use zhantu_domain::model::ReportPeriod;
use zhantu_domain::rules::RuleSet;
use zhantu_domain::{Money, MoneyUnit, parse_date};
use zhantu_store::{NewReport, StoreError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/rules", get(rules).put(save_rules))
        .route("/projects/{id}/pause", post(pause))
        .route("/projects/{id}/resume", post(resume))
        .route("/projects/{id}/reports", post(submit_report))
        .route("/periods/{year}/{month}/lock", post(lock_month))
        .route("/lights/board", get(board))
        .route("/reporting/timeliness", get(timeliness))
        .route("/calendar/{year}", get(calendar_year).put(set_calendar_year))
        .route("/reporting/timeliness.xlsx", get(timeliness_xlsx))
        .route("/notifications", get(notifications))
        .route("/settings/webhook", get(webhook).put(set_webhook))
        .route("/notifications/{id}/read", post(mark_read))
}

async fn rules(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看亮灯规则"));
    }
    Ok(Json(
        json!({ "current": st.store.rule_set().await?, "versions": st.store.rule_set_versions().await? }),
    ))
}

/// `PUT /rules`: the whole rule set as JSON, with `version` one above the current.
async fn save_rules(State(st): State<AppState>, a: Auth, body: String) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    let set = RuleSet::from_json(&body).map_err(|e| ApiError::bad_request("invalid_rules", e.to_string()))?;
    let saved = st.store.save_rule_set(&set, &a.audit()).await?;
    Ok(Json(json!({ "saved": saved, "note": "新规则已生效，全部项目已按新规则重新亮灯" })))
}

#[derive(Deserialize)]
struct PauseBody {
    version: i64,
    #[serde(default)]
    reason: String,
}

fn verify(_unit_id: i64) -> Action {
    Action::Verify
}

async fn pause(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<PauseBody>) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, verify).await?;
    let v = st.store.set_paused(id, b.version, true, &b.reason, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "paused": true, "version": v })))
}

async fn resume(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<PauseBody>) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, verify).await?;
    let v = st.store.set_paused(id, b.version, false, &b.reason, &a.audit()).await?;
    Ok(Json(json!({ "id": id, "paused": false, "version": v })))
}

#[derive(Deserialize)]
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

async fn submit_report(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<ReportBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    check_project(&st, &a.actor, id, crate::access::edit).await?;
    let period = ReportPeriod::from_code(b.period_kind.trim())
        .ok_or_else(|| ApiError::bad_request("invalid_period", "填报周期应为 week（周报）或 month（月报）"))?;
    let investment = match (&b.investment, period) {
        (None | Some(Value::Null), _) => Money::ZERO,
        (Some(_), ReportPeriod::Week) => return Err(ApiError::bad_request("invalid_field", "完成投资按月填报，周报不填投资")),
        (Some(Value::Number(n)), _) => Money::parse(&n.to_string(), MoneyUnit::Wan)?,
        (Some(Value::String(s)), _) => Money::parse(s, MoneyUnit::Wan)?,
        _ => return Err(ApiError::bad_request("invalid_money", "完成投资应为数字（万元）或带单位的文字")),
    };
    let report = NewReport {
        period,
        period_start: parse_date(&b.period_start)?,
        body: b.body.chars().take(4000).collect(),
        investment,
        problems: report_problems(&b.problems)?,
    };
    let rid = st.store.submit_report(id, &report, &a.audit()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "report_id": rid }))))
}

async fn lock_month(State(st): State<AppState>, a: Auth, Path((year, month)): Path<(String, String)>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Verify)?;
    let (year, month) = zhantu_domain::date::parse_month(&format!("{year}-{month}"))?;
    let n = st.store.lock_month(year, month, &a.audit()).await?;
    Ok(Json(json!({ "year": year, "month": month, "locked_rows": n })))
}

/// Lights rolled up node → project → unit (with the units below) → leader, for readers who
/// see the whole district.
async fn board(State(st): State<AppState>, a: Auth) -> Result<Json<zhantu_store::LightBoard>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区亮灯汇总"));
    }
    Ok(Json(st.store.light_board().await?))
}

#[derive(Deserialize)]
struct InboxQuery {
    unread: Option<String>,
}

/// The signed-in user's inbox (`?unread=1` for unread only), newest first.
async fn notifications(
    State(st): State<AppState>,
    a: Auth,
    crate::extract::ApiQuery(q): crate::extract::ApiQuery<InboxQuery>,
) -> Result<Json<Value>, ApiError> {
    let unread = q.unread.as_deref().is_some_and(|v| v == "1" || v == "true");
    Ok(Json(json!({ "items": st.store.notifications(a.user.id, unread).await? })))
}

async fn mark_read(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<StatusCode, ApiError> {
    match st.store.mark_read(a.user.id, id).await {
        Err(StoreError::NotFound) => Err(ApiError::not_found("通知不存在")),
        other => other.map(|_| StatusCode::NO_CONTENT).map_err(Into::into),
    }
}

async fn webhook(State(st): State<AppState>, a: Auth) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    Ok(Json(
        json!({ "url": st.store.setting("webhook_url").await?, "kind": st.store.setting("webhook_kind").await?.unwrap_or_else(|| "wecom".into()) }),
    ))
}

#[derive(Deserialize)]
struct WebhookBody {
    /// The group robot's URL; empty to stop pushing.
    url: String,
    /// `wecom` (企业微信) or `dingtalk` (钉钉).
    kind: String,
}

async fn set_webhook(State(st): State<AppState>, a: Auth, Json(b): Json<WebhookBody>) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    let url = b.url.trim();
    if !url.is_empty() && !(url.starts_with("https://") || url.starts_with("http://")) {
        return Err(ApiError::bad_request("invalid_url", "机器人地址应以 https:// 开头"));
    }
    if !matches!(b.kind.as_str(), "wecom" | "dingtalk") {
        return Err(ApiError::bad_request(
            "invalid_kind",
            "机器人类型应为 wecom（企业微信）或 dingtalk（钉钉）",
        ));
    }
    st.store.set_setting("webhook_url", url, &a.audit()).await?;
    st.store.set_setting("webhook_kind", &b.kind, &a.audit()).await?;
    Ok(Json(json!({ "url": url, "kind": b.kind })))
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

fn calendar_year_param(year: &str) -> Result<i32, ApiError> {
    year.parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .ok_or_else(|| ApiError::bad_request("invalid_year", format!("年份“{year}”无效")))
}

/// `GET /calendar/{year}`: the year's holidays (off) and make-up working days (work).
async fn calendar_year(
    State(st): State<AppState>,
    _a: Auth,
    Path(year): Path<String>,
) -> Result<Json<zhantu_store::CalendarYear>, ApiError> {
    Ok(Json(st.store.calendar_year(calendar_year_param(&year)?).await?))
}

#[derive(Deserialize)]
struct CalendarBody {
    revision: String,
    days: Vec<zhantu_store::CalendarDay>,
}

/// `PUT /calendar/{year}` (administrators): `{"revision": "…", "days": [{"day": "2027-01-01",
/// "kind": "off", "name": "元旦"}, …]}` replaces the year; every light is recomputed.
async fn set_calendar_year(State(st): State<AppState>, a: Auth, Path(year): Path<String>, body: String) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    let year = calendar_year_param(&year)?;
    let b: CalendarBody = serde_json::from_str(&body).map_err(|e| {
        ApiError::bad_request(
            "invalid_body",
            format!("请求内容无效：{e}（应为 revision 和 days 列表，日期写作 2027-01-01）"),
        )
    })?;
    let saved = st.store.set_calendar_year(year, &b.revision, &b.days, &a.audit()).await?;
    Ok(Json(json!({ "saved": saved, "note": "节假日已更新，全部项目已重新亮灯" })))
}
