//! The JSON API of 三服务 and the problem list (nested under `/api/v1`): the enterprise
//! register, visits (a finding becomes a problem in the same request), problems and their loop
//! (交办 → 办结 → 回访 → 销号, 批示), figures by unit, the monthly three lists, and the Excel
//! exports of each list.

use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath, non_empty, opt_id};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::figures::Period;
use zhantu_domain::problems::{self as svc, Event, Source, Step};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_domain::{CreditCode, parse_date};
use zhantu_store::StoreError;
use zhantu_store::enterprises::{EnterpriseChange, EnterpriseFilter, EnterpriseItem, NewEnterprise, NewVisit, VisitFilter, VisitItem};
use zhantu_store::problems::{MonthlyLists, NewProblem, ProblemDetail, ProblemFilter, ProblemItem, StepInput, UnitStatsRow};

/// The state-changing routes of this module (full paths), for the access tests.
pub const WRITE_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/enterprises"),
    ("PATCH", "/api/v1/enterprises/{id}"),
    ("POST", "/api/v1/visits"),
    ("POST", "/api/v1/visits/{id}/problems"),
    ("POST", "/api/v1/problems"),
    ("POST", "/api/v1/problems/{id}/assign"),
    ("POST", "/api/v1/problems/{id}/resolve"),
    ("POST", "/api/v1/problems/{id}/callback"),
    ("POST", "/api/v1/problems/{id}/close"),
    ("POST", "/api/v1/problems/{id}/comment"),
    ("POST", "/enterprises/{id}/visits"),
    ("POST", "/problems/{id}/act"),
    ("POST", "/problems"),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list_enterprises).post(create_enterprise))
        .route("/enterprises.xlsx", get(export_enterprises))
        .route("/enterprises/{id}", get(enterprise).patch(update_enterprise))
        .route("/visits", get(list_visits).post(create_visit))
        .route("/visits.xlsx", get(export_visits))
        .route("/visits/{id}/problems", post(visit_problem))
        .route("/problems", get(list_problems).post(raise_problem))
        .route("/problems.xlsx", get(export_problems))
        .route("/problems/stats", get(stats))
        .route("/problems/lists", get(lists))
        .route("/problems/lists.xlsx", get(export_lists))
        .route("/problems/{id}", get(problem))
        .route("/problems/{id}/assign", post(assign))
        .route("/problems/{id}/resolve", post(resolve))
        .route("/problems/{id}/callback", post(callback))
        .route("/problems/{id}/close", post(close))
        .route("/problems/{id}/comment", post(comment))
}

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_field", msg)
}

fn not_now(e: zhantu_domain::RuleError) -> ApiError {
    ApiError::bad_request("invalid_parameter", e.message)
}

/// The units whose records a unit-scoped reader sees; `None`: everything.
pub fn scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

fn limit(v: &Option<String>, default: i64) -> Result<i64, ApiError> {
    match non_empty(v) {
        None => Ok(default),
        Some(s) => match s.parse::<i64>() {
            Ok(n) if (1..=5000).contains(&n) => Ok(n),
            _ => Err(ApiError::bad_request(
                "invalid_parameter",
                format!("每页条数“{s}”无效：应为1到5000之间的整数"),
            )),
        },
    }
}

fn offset(v: &Option<String>) -> Result<i64, ApiError> {
    Ok(opt_id(v, "起始位置")?.unwrap_or(0).max(0))
}

fn opt_date(v: &Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    Ok(non_empty(v).map(parse_date).transpose()?)
}

fn industry(code: Option<&str>) -> Result<Option<String>, ApiError> {
    match code.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if zhantu_domain::reference::industry(s).is_some() => Ok(Some(s.to_string())),
        Some(s) => Err(ApiError::bad_request(
            "invalid_industry",
            format!("行业代码“{s}”不在《国民经济行业分类》(GB/T 4754-2017)中"),
        )),
    }
}

// ---------------------------------------------------------------- enterprises

#[derive(Debug, Deserialize, Default, Clone)]
pub struct EnterpriseQuery {
    /// 统一社会信用代码: exactly this enterprise (checked like any other code).
    pub credit_code: Option<String>,
    pub tag: Option<String>,
    pub industry: Option<String>,
    pub q: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

impl EnterpriseQuery {
    pub fn filter(&self, default_limit: i64) -> Result<EnterpriseFilter, ApiError> {
        Ok(EnterpriseFilter {
            tag: non_empty(&self.tag).map(str::to_string),
            industry: non_empty(&self.industry).map(str::to_string),
            q: non_empty(&self.q).map(str::to_string),
            limit: limit(&self.limit, default_limit)?,
            offset: offset(&self.offset)?,
        })
    }
}

async fn list_enterprises(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<EnterpriseQuery>) -> Result<Json<Value>, ApiError> {
    if let Some(code) = non_empty(&q.credit_code) {
        let code = CreditCode::parse(code)?;
        let items: Vec<EnterpriseItem> = st.store.enterprise_by_credit_code(&code).await?.into_iter().collect();
        return Ok(Json(json!({ "total": items.len(), "items": items })));
    }
    let page = st.store.list_enterprises(&q.filter(50)?).await?;
    Ok(Json(
        json!({ "total": page.total, "items": page.items, "tags": tags_json(&st).await? }),
    ))
}

async fn tags_json(st: &AppState) -> Result<Value, ApiError> {
    Ok(json!(
        st.store
            .enterprise_tags()
            .await?
            .into_iter()
            .map(|(t, n)| json!({ "tag": t, "enterprises": n }))
            .collect::<Vec<_>>()
    ))
}

async fn load_enterprise(st: &AppState, id: i64) -> Result<EnterpriseItem, ApiError> {
    match st.store.enterprise(id).await {
        Err(StoreError::NotFound) => Err(ApiError::not_found(format!("企业 {id} 不存在"))),
        other => Ok(other?),
    }
}

async fn enterprise(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let e = load_enterprise(&st, id).await?;
    let today = st.store.as_of().await?;
    let visits = st
        .store
        .list_visits(&VisitFilter {
            enterprise_id: Some(id),
            within_units: scope(&a.actor),
            limit: 500,
            ..Default::default()
        })
        .await?;
    let problems = st
        .store
        .list_problems(
            &ProblemFilter {
                enterprise_id: Some(id),
                within_units: scope(&a.actor),
                limit: 500,
                ..Default::default()
            },
            today,
        )
        .await?;
    Ok(Json(json!({ "enterprise": e, "visits": visits.items, "problems": problems.items })))
}

#[derive(Deserialize)]
struct NewEnterpriseBody {
    credit_code: String,
    name: String,
    industry_code: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

async fn create_enterprise(
    State(st): State<AppState>,
    a: Auth,
    Json(b): Json<NewEnterpriseBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    svc::may_edit_register(&a.actor)?;
    let credit_code = CreditCode::parse(&b.credit_code)?;
    let e = NewEnterprise {
        credit_code,
        name: b.name,
        industry_code: industry(b.industry_code.as_deref())?,
        division_code: None,
        tags: b.tags,
    };
    let e = st.store.create_enterprise(&e, &a.audit()).await?;
    Ok((StatusCode::CREATED, Json(json!({ "enterprise": e }))))
}

async fn update_enterprise(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(v): Json<Value>) -> Result<Json<Value>, ApiError> {
    load_enterprise(&st, id).await?;
    svc::may_edit_register(&a.actor)?;
    let version = v["version"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号）"))?;
    let name = match v.get("name") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(invalid("企业名称应为文字")),
    };
    let industry_code = match v.get("industry_code") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(industry(Some(s))?),
        Some(_) => return Err(invalid("行业代码应为文字")),
    };
    let tags = match v.get("tags") {
        None => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|t| t.as_str().map(str::to_string).ok_or_else(|| invalid("培育名单标签应为文字")))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(invalid("培育名单标签应为文字列表，如 [\"专精特新\"]")),
    };
    let change = EnterpriseChange { name, industry_code, tags };
    Ok(Json(
        json!({ "enterprise": st.store.update_enterprise(id, version, &change, &a.audit()).await? }),
    ))
}

async fn export_enterprises(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<EnterpriseQuery>) -> Result<Response, ApiError> {
    let page = st.store.list_enterprises(&q.filter(5000)?).await?;
    crate::download::xlsx("企业名录.xlsx", &[enterprise_table(&page.items)])
}

pub fn enterprise_table(items: &[EnterpriseItem]) -> Table {
    let mut t = Table::new(
        "企业名录",
        vec![
            Column::new("统一社会信用代码", ColKind::Text),
            Column::new("企业名称", ColKind::Text),
            Column::new("行业代码", ColKind::Text),
            Column::new("培育名单", ColKind::Text),
            Column::new("走访次数", ColKind::Int),
            Column::new("问题数", ColKind::Int),
            Column::new("未销号问题", ColKind::Int),
        ],
    );
    for e in items {
        t.push(vec![
            e.credit_code.clone().into(),
            e.name.clone().into(),
            e.industry_code.clone().into(),
            e.tags.join("、").into(),
            e.visits.into(),
            e.problems.into(),
            e.open_problems.into(),
        ]);
    }
    t
}

// ---------------------------------------------------------------- visits

#[derive(Debug, Deserialize, Default, Clone)]
pub struct VisitQuery {
    pub enterprise: Option<String>,
    pub unit: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

impl VisitQuery {
    pub fn filter(&self, actor: &Actor, default_limit: i64) -> Result<VisitFilter, ApiError> {
        Ok(VisitFilter {
            enterprise_id: opt_id(&self.enterprise, "企业")?,
            unit_id: opt_id(&self.unit, "单位")?,
            within_units: scope(actor),
            from: opt_date(&self.from)?,
            to: opt_date(&self.to)?,
            limit: limit(&self.limit, default_limit)?,
            offset: offset(&self.offset)?,
        })
    }
}

async fn list_visits(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<VisitQuery>) -> Result<Json<Value>, ApiError> {
    let page = st.store.list_visits(&q.filter(&a.actor, 50)?).await?;
    Ok(Json(json!({ "total": page.total, "items": page.items })))
}

/// A finding to turn into a problem.
#[derive(Debug, Deserialize, Clone)]
pub struct FindingBody {
    pub category: String,
    pub description: String,
    pub unit_id: i64,
    pub deadline: Option<String>,
}

#[derive(Debug, Deserialize, Clone)]
pub struct VisitBody {
    pub enterprise_id: i64,
    pub visited_on: String,
    pub visitor_id: Option<i64>,
    #[serde(default)]
    pub visitor_name: String,
    /// The visiting unit (default: the user's own).
    pub unit_id: Option<i64>,
    pub findings: String,
    #[serde(default)]
    pub problems: Vec<FindingBody>,
}

fn finding(f: &FindingBody) -> Result<NewProblem, ApiError> {
    Ok(NewProblem {
        category: f.category.clone(),
        description: f.description.clone(),
        unit_id: f.unit_id,
        deadline: non_empty(&f.deadline).map(parse_date).transpose()?,
        ..Default::default()
    })
}

/// Records a visit and its findings as problems (the API and the page's form).
pub async fn do_record_visit(st: &AppState, a: &Auth, b: &VisitBody) -> Result<(VisitItem, Vec<i64>), ApiError> {
    load_enterprise(st, b.enterprise_id).await?;
    let unit_id = b.unit_id.unwrap_or(a.user.unit_id);
    a.actor.may(Action::Edit { unit_id })?;
    let visited_on = parse_date(&b.visited_on)?;
    if visited_on > st.store.as_of().await? {
        return Err(ApiError::bad_request("future_date", "走访日期不能晚于今天"));
    }
    let v = NewVisit {
        enterprise_id: b.enterprise_id,
        visited_on,
        visitor_id: b.visitor_id,
        visitor_name: if b.visitor_name.trim().is_empty() && b.visitor_id.is_none() {
            a.user.display_name.clone()
        } else {
            b.visitor_name.chars().take(40).collect()
        },
        unit_id,
        findings: b.findings.clone(),
        problems: b.problems.iter().map(finding).collect::<Result<_, _>>()?,
    };
    Ok(st.store.record_visit(&v, &a.audit()).await?)
}

async fn create_visit(State(st): State<AppState>, a: Auth, Json(b): Json<VisitBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (visit, problems) = do_record_visit(&st, &a, &b).await?;
    Ok((StatusCode::CREATED, Json(json!({ "visit": visit, "problem_ids": problems }))))
}

async fn load_visit(st: &AppState, id: i64) -> Result<VisitItem, ApiError> {
    match st.store.visit(id).await {
        Err(StoreError::NotFound) => Err(ApiError::not_found(format!("走访记录 {id} 不存在"))),
        other => Ok(other?),
    }
}

/// `POST /visits/{id}/problems`: one finding of a recorded visit becomes a problem.
async fn visit_problem(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<FindingBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let v = load_visit(&st, id).await?;
    a.actor.may(Action::Edit { unit_id: v.unit.id })?;
    let mut p = finding(&b)?;
    p.visit_id = Some(v.id);
    p.enterprise_id = Some(v.enterprise.id);
    p.raised_on = Some(st.store.as_of().await?.max(v.visited_on));
    let pid = st.store.raise_problem(&p, &a.audit()).await?;
    let today = st.store.as_of().await?;
    Ok((StatusCode::CREATED, Json(json!({ "problem": st.store.problem(pid, today).await? }))))
}

async fn export_visits(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<VisitQuery>) -> Result<Response, ApiError> {
    let page = st.store.list_visits(&q.filter(&a.actor, 5000)?).await?;
    crate::download::xlsx("企业走访记录.xlsx", &[visit_table(&page.items)])
}

pub fn visit_table(items: &[VisitItem]) -> Table {
    let mut t = Table::new(
        "走访记录",
        vec![
            Column::new("走访日期", ColKind::Date),
            Column::new("企业名称", ColKind::Text),
            Column::new("走访人", ColKind::Text),
            Column::new("走访单位", ColKind::Text),
            Column::new("走访发现", ColKind::Text),
            Column::new("形成问题数", ColKind::Int),
        ],
    );
    for v in items {
        t.push(vec![
            v.visited_on.into(),
            v.enterprise.name.clone().into(),
            v.visitor.clone().into(),
            v.unit.name.clone().into(),
            v.findings.clone().into(),
            v.problems.into(),
        ]);
    }
    t
}

// ---------------------------------------------------------------- problems

#[derive(Debug, Deserialize, Default, Clone)]
pub struct ProblemQuery {
    pub unit: Option<String>,
    pub status: Option<String>,
    pub overdue: Option<String>,
    pub source: Option<String>,
    pub project: Option<String>,
    pub node: Option<String>,
    pub enterprise: Option<String>,
    pub level: Option<String>,
    pub q: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

impl ProblemQuery {
    pub fn filter(&self, actor: &Actor, default_limit: i64) -> Result<ProblemFilter, ApiError> {
        let state = match non_empty(&self.status) {
            None => None,
            Some(s @ ("open" | "raised" | "assigned" | "resolved" | "satisfied" | "closed")) => Some(s.to_string()),
            Some(s) => {
                return Err(ApiError::bad_request(
                    "invalid_parameter",
                    format!("问题状态“{s}”无效：应为 open、raised、assigned、resolved、satisfied 或 closed"),
                ));
            }
        };
        let source = match non_empty(&self.source) {
            None => None,
            Some(s) => Some(Source::from_code(s).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_parameter",
                    format!("问题来源“{s}”无效：应为 visit、project、node、report 或 other"),
                )
            })?),
        };
        Ok(ProblemFilter {
            unit_id: opt_id(&self.unit, "单位")?,
            within_units: scope(actor),
            state,
            overdue: matches!(non_empty(&self.overdue), Some("1" | "true" | "on" | "yes")),
            source,
            project_id: opt_id(&self.project, "项目")?,
            node_id: opt_id(&self.node, "节点")?,
            enterprise_id: opt_id(&self.enterprise, "企业")?,
            visit_id: None,
            min_level: opt_id(&self.level, "督办级别")?,
            q: non_empty(&self.q).map(str::to_string),
            limit: limit(&self.limit, default_limit)?,
            offset: offset(&self.offset)?,
        })
    }
}

async fn list_problems(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ProblemQuery>) -> Result<Json<Value>, ApiError> {
    let today = st.store.as_of().await?;
    let page = st.store.list_problems(&q.filter(&a.actor, 50)?, today).await?;
    Ok(Json(json!({ "total": page.total, "as_of": today, "items": page.items })))
}

pub async fn load_problem(st: &AppState, a: &Auth, id: i64) -> Result<ProblemDetail, ApiError> {
    let today = st.store.as_of().await?;
    let p = match st.store.problem(id, today).await {
        Err(StoreError::NotFound) => return Err(ApiError::not_found(format!("问题 {id} 不存在"))),
        other => other?,
    };
    a.actor.may(Action::Read { unit_id: p.item.unit.id })?;
    Ok(p)
}

async fn problem(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let p = load_problem(&st, &a, id).await?;
    let steps: Vec<&str> = svc::available_steps(&a.actor, p.item.state, p.item.unit.id)
        .into_iter()
        .map(Step::code)
        .collect();
    Ok(Json(json!({ "problem": p, "allowed_steps": steps })))
}

#[derive(Debug, Deserialize, Clone)]
pub struct RaiseBody {
    pub category: String,
    pub description: String,
    pub unit_id: i64,
    pub deadline: Option<String>,
    pub project_id: Option<i64>,
    pub node_id: Option<i64>,
    pub report_id: Option<i64>,
    #[serde(default)]
    pub blocks_node: bool,
    pub external_id: Option<String>,
}

/// Raises a problem (the API and the page's form).
pub async fn do_raise(st: &AppState, a: &Auth, b: RaiseBody) -> Result<ProblemDetail, ApiError> {
    // Who may raise: an editor of the unit it is for, or of the project or node it comes from.
    let mut units = vec![b.unit_id];
    if let Some(pid) = b.project_id
        && let Ok(d) = st.store.project_detail(pid).await
    {
        units.push(d.summary.unit.id);
    }
    if let Some(nid) = b.node_id
        && let Ok(n) = st.store.node_state(nid).await
    {
        units.extend([n.project_unit_id, n.responsible_unit_id]);
    }
    svc::may_raise(&a.actor, &units)?;
    let today = st.store.as_of().await?;
    let p = NewProblem {
        category: b.category,
        description: b.description,
        unit_id: b.unit_id,
        deadline: non_empty(&b.deadline).map(parse_date).transpose()?,
        raised_on: Some(today),
        project_id: b.project_id,
        node_id: b.node_id,
        report_id: b.report_id,
        visit_id: None,
        enterprise_id: None,
        blocks_node: b.blocks_node,
        external_id: b
            .external_id
            .map(|s| s.trim().chars().take(60).collect())
            .filter(|s: &String| !s.is_empty()),
    };
    let id = st.store.raise_problem(&p, &a.audit()).await?;
    Ok(st.store.problem(id, today).await?)
}

async fn raise_problem(State(st): State<AppState>, a: Auth, Json(b): Json<RaiseBody>) -> Result<(StatusCode, Json<Value>), ApiError> {
    let p = do_raise(&st, &a, b).await?;
    Ok((StatusCode::CREATED, Json(json!({ "problem": p }))))
}

/// The body of a step; each step reads the fields it needs.
#[derive(Debug, Deserialize, Default, Clone)]
pub struct StepBody {
    pub version: Option<i64>,
    pub unit_id: Option<i64>,
    pub deadline: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub text: String,
    pub satisfied: Option<bool>,
    pub satisfaction: Option<i64>,
}

/// One step of the loop (the API and the page's forms): access by role and unit, then the
/// store's version check and the loop's rule.
pub async fn do_step(st: &AppState, a: &Auth, id: i64, step: Step, b: &StepBody) -> Result<ProblemDetail, ApiError> {
    let p = load_problem(st, a, id).await?;
    svc::may_step(&a.actor, step, p.item.unit.id)?;
    let version = match step {
        Step::Comment => p.item.version,
        _ => b
            .version
            .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号）"))?,
    };
    let event = match step {
        Step::Assign => Event::Assign,
        Step::Resolve => Event::Resolve,
        Step::Callback => Event::Callback {
            satisfied: b
                .satisfied
                .ok_or_else(|| ApiError::bad_request("missing_field", "请选择回访结果：满意（satisfied: true）或不满意"))?,
        },
        Step::Close => Event::Close,
        Step::Comment => Event::Comment,
    };
    let text = match step {
        Step::Resolve if !b.resolution.trim().is_empty() => b.resolution.clone(),
        Step::Comment if !b.text.trim().is_empty() => b.text.clone(),
        _ => b.note.clone(),
    };
    let input = StepInput {
        version,
        unit_id: b.unit_id,
        deadline: non_empty(&b.deadline).map(parse_date).transpose()?,
        text,
        satisfaction: b.satisfaction.map(svc::parse_satisfaction).transpose().map_err(not_now)?,
    };
    let today = st.store.as_of().await?;
    Ok(st.store.problem_step(id, event, &input, today, &a.audit()).await?)
}

async fn step(st: AppState, a: Auth, id: i64, step: Step, b: StepBody) -> Result<Json<Value>, ApiError> {
    let p = do_step(&st, &a, id, step, &b).await?;
    Ok(Json(json!({ "problem": p })))
}

async fn assign(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Assign, b).await
}
async fn resolve(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Resolve, b).await
}
async fn callback(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Callback, b).await
}
async fn close(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Close, b).await
}
async fn comment(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<StepBody>) -> Result<Json<Value>, ApiError> {
    step(st, a, id, Step::Comment, b).await
}

async fn export_problems(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ProblemQuery>) -> Result<Response, ApiError> {
    let today = st.store.as_of().await?;
    let page = st.store.list_problems(&q.filter(&a.actor, 5000)?, today).await?;
    crate::download::xlsx("问题清单.xlsx", &[problem_table("问题清单", &page.items)])
}

/// 问题清单交办表 columns (PRACTICE.md §1.3).
pub fn problem_table(sheet: &str, items: &[ProblemItem]) -> Table {
    let mut t = Table::new(
        sheet,
        vec![
            Column::new("编号", ColKind::Int),
            Column::new("问题类别", ColKind::Text),
            Column::new("问题描述", ColKind::Text),
            Column::new("来源", ColKind::Text),
            Column::new("项目/企业", ColKind::Text),
            Column::new("责任单位", ColKind::Text),
            Column::new("提出时间", ColKind::Date),
            Column::new("办理时限", ColKind::Date),
            Column::new("状态", ColKind::Text),
            Column::new("逾期工作日", ColKind::Int),
            Column::new("督办级别", ColKind::Int),
            Column::new("办结时间", ColKind::Date),
            Column::new("销号时间", ColKind::Date),
            Column::new("满意度", ColKind::Int),
        ],
    );
    for p in items {
        let about = p
            .project
            .as_ref()
            .or(p.enterprise.as_ref())
            .map(|r| r.name.clone())
            .unwrap_or_default();
        t.push(vec![
            p.id.into(),
            p.category.clone().into(),
            p.description.clone().into(),
            p.source.label_zh().into(),
            about.into(),
            p.unit.name.clone().into(),
            p.raised_on.into(),
            p.deadline.into(),
            p.state.label_zh().into(),
            if p.overdue { Cell::Int(p.overdue_days) } else { Cell::Empty },
            p.escalation_level.into(),
            p.resolved_on.into(),
            p.closed_on.into(),
            p.satisfaction.into(),
        ]);
    }
    t
}

#[derive(Debug, Deserialize, Default)]
pub struct StatsQuery {
    pub year: Option<String>,
    pub month: Option<String>,
}

/// `?year=2019` (default: the data's year).
pub async fn unit_stats(st: &AppState, a: &Auth, year: &Option<String>) -> Result<(i32, Vec<UnitStatsRow>), ApiError> {
    let today = st.store.as_of().await?;
    let year = match non_empty(year) {
        None => today.year(),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| ApiError::bad_request("invalid_parameter", format!("年份“{s}”无效")))?,
    };
    let scope = scope(&a.actor);
    let rows = st.store.problem_stats(Period::year(year), today, scope.as_deref()).await?;
    Ok((year, rows))
}

async fn stats(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<StatsQuery>) -> Result<Json<Value>, ApiError> {
    let (year, rows) = unit_stats(&st, &a, &q.year).await?;
    let scope = scope(&a.actor);
    let visits = st.store.visits_by_unit(Period::year(year), scope.as_deref()).await?;
    Ok(Json(json!({ "year": year, "units": rows, "visits_by_unit": visits })))
}

/// `?month=2019-12` (default: the data's month).
pub async fn monthly(st: &AppState, a: &Auth, month: &Option<String>) -> Result<MonthlyLists, ApiError> {
    let today = st.store.as_of().await?;
    let (y, m) = match non_empty(month) {
        None => svc::month_of(today),
        Some(s) => svc::parse_month(s).map_err(not_now)?,
    };
    let scope = scope(&a.actor);
    Ok(st.store.monthly_lists(y, m, scope.as_deref(), today).await?)
}

async fn lists(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<StatsQuery>) -> Result<Json<Value>, ApiError> {
    let l = monthly(&st, &a, &q.month).await?;
    let lists: Vec<Value> = l
        .lists
        .iter()
        .map(|(kind, items)| json!({ "list": kind.code(), "name": kind.label_zh(), "count": items.len(), "items": items }))
        .collect();
    Ok(Json(json!({ "month": format!("{}-{:02}", l.year, l.month), "lists": lists })))
}

async fn export_lists(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<StatsQuery>) -> Result<Response, ApiError> {
    let l = monthly(&st, &a, &q.month).await?;
    let tables: Vec<Table> = l
        .lists
        .iter()
        .map(|(kind, items)| problem_table(kind.label_zh(), items).with_title(format!("{}年{}月{}", l.year, l.month, kind.label_zh())))
        .collect();
    crate::download::xlsx(&format!("{}年{}月三张问题清单.xlsx", l.year, l.month), &tables)
}
