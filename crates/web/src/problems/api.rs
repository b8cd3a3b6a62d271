//! The JSON API of the problem list (nested under `/api/v1`): problems and their loop
//! (交办 → 办结 → 回访 → 销号, 批示), figures by unit, the monthly three lists, and the Excel
//! exports of each list.

use crate::AppState;
use crate::access::scope;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created, non_empty, opt_date, opt_id, page_limit as limit, page_offset as offset};
use crate::page::{Lang, t, tf};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::figures::Period;
use zhantu_domain::parse_date;
use zhantu_domain::problems as svc;
use zhantu_domain::problems::Event;
use zhantu_domain::problems::Source;
use zhantu_domain::problems::Step;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::problems::MonthlyLists;
use zhantu_store::problems::NewProblem;
use zhantu_store::problems::ProblemDetail;
use zhantu_store::problems::ProblemFilter;
use zhantu_store::problems::ProblemItem;
use zhantu_store::problems::StepInput;
use zhantu_store::problems::UnitStatsRow;

pub fn router() -> Routes {
    Routes::new()
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

/// A refusal of the problem loop's rules, with the rule's own code.
fn not_now(e: zhantu_domain::RuleError) -> ApiError {
    ApiError::bad_request(e.code, e.message)
}

#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
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
    /// Raised on or after this day (`2019-01-01`).
    pub raised_from: Option<String>,
    /// Raised on or before this day.
    pub raised_to: Option<String>,
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
            raised_from: opt_date(&self.raised_from)?,
            raised_to: opt_date(&self.raised_to)?,
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
    let p = st.store.problem(id, today).await.or_not_found(format!("问题 {id} 不存在"))?;
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

#[derive(schemars::JsonSchema, Debug, Deserialize, Clone)]
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

async fn raise_problem(State(st): State<AppState>, a: Auth, Json(b): Json<RaiseBody>) -> Result<Created, ApiError> {
    let p = do_raise(&st, &a, b).await?;
    Ok(created(json!({ "problem": p })))
}

/// The body of a step; each step reads the fields it needs.
#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
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

async fn export_problems(
    State(st): State<AppState>,
    a: Auth,
    lang: Lang,
    ApiQuery(q): ApiQuery<ProblemQuery>,
) -> Result<Response, ApiError> {
    let today = st.store.as_of().await?;
    let page = st.store.list_problems(&q.filter(&a.actor, 5000)?, today).await?;
    let name = t(lang, "exports.problems.sheet");
    let table = problem_table(lang, name, &page.items);
    crate::download::stamped_xlsx(&st.store, lang, &format!("{name}.xlsx"), vec![table]).await
}

/// 问题清单交办表 columns (PRACTICE.md §1.3), in `lang`: categories, sources, states and
/// headers in the reader's language, descriptions and names as typed.
pub fn problem_table(lang: Lang, sheet: &str, items: &[ProblemItem]) -> Table {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.problems.{key}")), kind);
    let mut list = Table::new(
        sheet,
        vec![
            col("id", ColKind::Int),
            col("category", ColKind::Text),
            col("description", ColKind::Text),
            col("source", ColKind::Text),
            col("about", ColKind::Text),
            col("unit", ColKind::Text),
            col("raised_on", ColKind::Date),
            col("deadline", ColKind::Date),
            col("state", ColKind::Text),
            col("overdue_days", ColKind::Int),
            col("escalation", ColKind::Int),
            col("resolved_on", ColKind::Date),
            col("closed_on", ColKind::Date),
            col("satisfaction", ColKind::Int),
        ],
    );
    for p in items {
        let about = p
            .project
            .as_ref()
            .or(p.enterprise.as_ref())
            .map(|r| r.name.clone())
            .unwrap_or_default();
        let (category, source, state) = match lang {
            Lang::Zh => (p.category.clone(), p.source.label_zh(), p.state.label_zh()),
            Lang::En => (
                crate::page::select::problem_category(lang, &p.category),
                t(lang, &format!("service.source.{}", p.source.code())),
                t(lang, &format!("service.state.{}", p.state.code())),
            ),
        };
        list.push(vec![
            p.id.into(),
            category.into(),
            p.description.clone().into(),
            source.into(),
            about.into(),
            p.unit.name.clone().into(),
            p.raised_on.into(),
            p.deadline.into(),
            state.into(),
            if p.overdue { Cell::Int(p.overdue_days) } else { Cell::Empty },
            p.escalation_level.into(),
            p.resolved_on.into(),
            p.closed_on.into(),
            p.satisfaction.into(),
        ]);
    }
    list
}

#[derive(schemars::JsonSchema, Debug, Deserialize, Default)]
pub struct StatsQuery {
    pub year: Option<String>,
    pub month: Option<String>,
}

/// `?year=2019` (default: the data's year).
pub async fn unit_stats(st: &AppState, a: &Auth, year: &Option<String>) -> Result<(i32, Vec<UnitStatsRow>), ApiError> {
    let today = st.store.as_of().await?;
    let year = match non_empty(year) {
        None => today.year(),
        Some(s) => zhantu_domain::Year::parse(s)?.get(),
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

async fn export_lists(State(st): State<AppState>, a: Auth, lang: Lang, ApiQuery(q): ApiQuery<StatsQuery>) -> Result<Response, ApiError> {
    let l = monthly(&st, &a, &q.month).await?;
    let (y, m) = (l.year.to_string(), l.month.to_string());
    let tables: Vec<Table> = l
        .lists
        .iter()
        .map(|(kind, items)| {
            let name = match lang {
                Lang::Zh => kind.label_zh(),
                Lang::En => t(lang, &format!("service.list.{}", kind.code())),
            };
            problem_table(lang, name, items).with_title(tf(lang, "exports.problems.list_title", &[("y", &y), ("m", &m), ("list", name)]))
        })
        .collect();
    let file = tf(lang, "exports.problems.lists_file", &[("y", &y), ("m", &m)]);
    crate::download::stamped_xlsx(&st.store, lang, &format!("{file}.xlsx"), tables).await
}
