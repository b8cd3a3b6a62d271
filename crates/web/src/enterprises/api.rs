//! The JSON API of the enterprise register and its visits (三服务): `/api/v1/enterprises`,
//! `/api/v1/visits` (a finding becomes a problem in the same request; a finding of a recorded
//! visit later through `/api/v1/visits/{id}/problems`), and their Excel exports.

use crate::AppState;
use crate::access::scope;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, Created, IdPath, created, non_empty, opt_date, opt_id, page_limit as limit, page_offset as offset};
use crate::fields::clip;
use crate::page::{Lang, t};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::problems as svc;
use zhantu_domain::table::{ColKind, Column, Table};
use zhantu_domain::{CreditCode, parse_date};
use zhantu_store::enterprises::EnterpriseChange;
use zhantu_store::enterprises::EnterpriseFilter;
use zhantu_store::enterprises::EnterpriseItem;
use zhantu_store::enterprises::NewEnterprise;
use zhantu_store::enterprises::NewVisit;
use zhantu_store::enterprises::VisitFilter;
use zhantu_store::enterprises::VisitItem;
use zhantu_store::enterprises::VisitPage;
use zhantu_store::problems::NewProblem;
use zhantu_store::problems::ProblemFilter;
use zhantu_store::problems::ProblemPage;

pub fn router() -> Routes {
    Routes::new()
        .route("/enterprises", get(list_enterprises).post(create_enterprise))
        .route("/enterprises.xlsx", get(export_enterprises))
        .route("/enterprises/{id}", get(enterprise).patch(update_enterprise))
        .route("/visits", get(list_visits).post(create_visit))
        .route("/visits.xlsx", get(export_visits))
        .route("/visits/{id}/problems", post(visit_problem))
}

fn invalid(msg: impl Into<String>) -> ApiError {
    ApiError::bad_request("invalid_field", msg)
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

#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
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
    st.store.enterprise(id).await.or_not_found(format!("企业 {id} 不存在"))
}

/// An enterprise's visits and problems (the first `limit` of each) that the reader may see.
pub(super) async fn visits_and_problems(st: &AppState, actor: &Actor, id: i64, limit: i64) -> Result<(VisitPage, ProblemPage), ApiError> {
    let visits = st
        .store
        .list_visits(&VisitFilter {
            enterprise_id: Some(id),
            within_units: scope(actor),
            limit,
            ..Default::default()
        })
        .await?;
    let filter = ProblemFilter {
        enterprise_id: Some(id),
        within_units: scope(actor),
        limit,
        ..Default::default()
    };
    let problems = st.store.list_problems(&filter, st.store.as_of().await?).await?;
    Ok((visits, problems))
}

async fn enterprise(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let e = load_enterprise(&st, id).await?;
    let (visits, problems) = visits_and_problems(&st, &a.actor, id, 500).await?;
    Ok(Json(json!({ "enterprise": e, "visits": visits.items, "problems": problems.items })))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct NewEnterpriseBody {
    credit_code: String,
    name: String,
    industry_code: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
}

async fn create_enterprise(State(st): State<AppState>, a: Auth, Json(b): Json<NewEnterpriseBody>) -> Result<Created, ApiError> {
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
    Ok(created(json!({ "enterprise": e })))
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

async fn export_enterprises(
    State(st): State<AppState>,
    _a: Auth,
    lang: Lang,
    ApiQuery(q): ApiQuery<EnterpriseQuery>,
) -> Result<Response, ApiError> {
    let page = st.store.list_enterprises(&q.filter(5000)?).await?;
    let file = format!("{}.xlsx", t(lang, "exports.enterprises.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![enterprise_table(lang, &page.items)]).await
}

/// The enterprise register in `lang`: headers in the reader's language, names and the
/// cultivation tags as typed.
pub fn enterprise_table(lang: Lang, items: &[EnterpriseItem]) -> Table {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.enterprises.{key}")), kind);
    let mut list = Table::new(
        t(lang, "exports.enterprises.sheet"),
        vec![
            col("credit_code", ColKind::Text),
            col("name", ColKind::Text),
            col("industry", ColKind::Text),
            col("tags", ColKind::Text),
            col("visits", ColKind::Int),
            col("problems", ColKind::Int),
            col("open_problems", ColKind::Int),
        ],
    );
    for e in items {
        list.push(vec![
            e.credit_code.clone().into(),
            e.name.clone().into(),
            e.industry_code.clone().into(),
            e.tags.join(t(lang, "exports.list_sep")).into(),
            e.visits.into(),
            e.problems.into(),
            e.open_problems.into(),
        ]);
    }
    list
}

// ---------------------------------------------------------------- visits

#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
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
#[derive(schemars::JsonSchema, Debug, Deserialize, Clone)]
pub struct FindingBody {
    pub category: String,
    pub description: String,
    pub unit_id: i64,
    pub deadline: Option<String>,
}

#[derive(schemars::JsonSchema, Debug, Deserialize, Clone)]
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
            clip(&b.visitor_name, 40)
        },
        unit_id,
        findings: b.findings.clone(),
        problems: b.problems.iter().map(finding).collect::<Result<_, _>>()?,
    };
    Ok(st.store.record_visit(&v, &a.audit()).await?)
}

async fn create_visit(State(st): State<AppState>, a: Auth, Json(b): Json<VisitBody>) -> Result<Created, ApiError> {
    let (visit, problems) = do_record_visit(&st, &a, &b).await?;
    Ok(created(json!({ "visit": visit, "problem_ids": problems })))
}

async fn load_visit(st: &AppState, id: i64) -> Result<VisitItem, ApiError> {
    st.store.visit(id).await.or_not_found(format!("走访记录 {id} 不存在"))
}

/// `POST /visits/{id}/problems`: one finding of a recorded visit becomes a problem.
async fn visit_problem(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<FindingBody>) -> Result<Created, ApiError> {
    let v = load_visit(&st, id).await?;
    a.actor.may(Action::Edit { unit_id: v.unit.id })?;
    let mut p = finding(&b)?;
    p.visit_id = Some(v.id);
    p.enterprise_id = Some(v.enterprise.id);
    p.raised_on = Some(st.store.as_of().await?.max(v.visited_on));
    let pid = st.store.raise_problem(&p, &a.audit()).await?;
    let today = st.store.as_of().await?;
    Ok(created(json!({ "problem": st.store.problem(pid, today).await? })))
}

async fn export_visits(State(st): State<AppState>, a: Auth, lang: Lang, ApiQuery(q): ApiQuery<VisitQuery>) -> Result<Response, ApiError> {
    let page = st.store.list_visits(&q.filter(&a.actor, 5000)?).await?;
    let file = format!("{}.xlsx", t(lang, "exports.visits.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![visit_table(lang, &page.items)]).await
}

/// The visits in `lang`: headers in the reader's language, names and findings as typed.
pub fn visit_table(lang: Lang, items: &[VisitItem]) -> Table {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("exports.visits.{key}")), kind);
    let mut list = Table::new(
        t(lang, "exports.visits.sheet"),
        vec![
            col("visited_on", ColKind::Date),
            col("enterprise", ColKind::Text),
            col("visitor", ColKind::Text),
            col("unit", ColKind::Text),
            col("findings", ColKind::Text),
            col("problems", ColKind::Int),
        ],
    );
    for v in items {
        list.push(vec![
            v.visited_on.into(),
            v.enterprise.name.clone().into(),
            v.visitor.clone().into(),
            v.unit.name.clone().into(),
            v.findings.clone().into(),
            v.problems.into(),
        ]);
    }
    list
}
