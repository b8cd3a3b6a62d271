//! One project whole: its facts, nodes, stage changes, progress reports, investment by month
//! and year, and problems.

use super::{LIST_COLUMNS, LIST_FROM, ProjectListItem, list_item};
use crate::choices::NamedRef;
use crate::row::{SqlBuf, date, i64_, named, opt_date, opt_i64, opt_named, opt_text, rows_for, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use zhantu_domain::Money;
use zhantu_domain::figures::Wan;
use zhantu_domain::lights::Light;

#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    pub id: i64,
    pub seq: i64,
    pub name: String,
    pub planned_on: NaiveDate,
    pub baseline_on: NaiveDate,
    pub forecast_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub responsible_unit: NamedRef,
    pub responsible_person: Option<NamedRef>,
    pub status: String,
    pub light: Option<Light>,
    pub light_reason: Option<String>,
    /// The reason in English (`None` until the first lights run after 0025).
    pub light_reason_en: Option<String>,
    pub version: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageChangeView {
    pub from: Option<String>,
    pub to: String,
    pub on: NaiveDate,
    /// The reason (or what made it: 新建项目, 导入, 暂停…).
    pub note: String,
    pub actor: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub id: i64,
    pub period_kind: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub body: String,
    pub investment_wan: Wan,
    pub submitted_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthAmount {
    pub year: i64,
    pub month: i64,
    pub amount_wan: Wan,
}

/// A category (district list, 项目类别) the project is on in a year.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryYear {
    pub year: i64,
    pub category: NamedRef,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearAmount {
    pub year: i64,
    pub planned_wan: Wan,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProblemView {
    pub id: i64,
    pub category: String,
    pub description: String,
    pub unit: NamedRef,
    pub raised_on: NaiveDate,
    pub deadline: NaiveDate,
    pub status: String,
    pub closed_on: Option<NaiveDate>,
    /// The node this problem holds up until it is closed out.
    pub blocking_node_id: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectDetail {
    #[serde(flatten)]
    pub summary: ProjectListItem,
    pub location: String,
    pub land_area_mu: Option<String>,
    pub investor: String,
    pub foreign_investment: bool,
    pub foreign_investment_usd: Option<String>,
    pub completed_on: Option<NaiveDate>,
    pub in_statistics_on: Option<NaiveDate>,
    pub description: String,
    /// The plan: a draft, or its baseline approved (by whom, when).
    pub baseline: zhantu_domain::nodes::Baseline,
    pub baseline_approved_by: Option<String>,
    pub baseline_approved_at: Option<String>,
    /// Every reason behind the light, worst first (Chinese sentences).
    pub light_reasons: Vec<String>,
    /// The same reasons in English (names kept as they are), as the lights job wrote them.
    pub light_reasons_en: Vec<String>,
    pub nodes: Vec<NodeView>,
    pub annual_plans: Vec<YearAmount>,
    /// The categories it is on, year by year.
    pub category_years: Vec<CategoryYear>,
    pub monthly_investment: Vec<MonthAmount>,
    pub stage_history: Vec<StageChangeView>,
    pub reports: Vec<ReportView>,
    pub problems: Vec<ProblemView>,
}

impl Store {
    /// One project with its nodes, plans, investment, stage history, reports and problems.
    pub async fn project_detail(&self, id: i64) -> Result<ProjectDetail, StoreError> {
        let mut q = SqlBuf::new(LIST_COLUMNS);
        q.push(", p.location, p.land_area_centi_mu, p.investor, p.foreign_investment, p.foreign_usd_cents, p.completed_on, p.in_statistics_on, p.description, p.light_reasons, p.light_reasons_en, p.baseline, p.baseline_approved_by, p.baseline_approved_at");
        q.push(LIST_FROM).push(" WHERE p.id = ").arg(id);
        let row = q.query().fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        let mut summary = vec![list_item(&row)?];
        self.attach_categories(&mut summary).await?;
        self.attach_confidence(&mut summary).await?;
        let summary = summary.remove(0);

        let nodes = rows_for(
            &self.pool,
            "SELECT n.*, u.name AS unit_name, pe.name AS person_name FROM nodes n JOIN units u ON u.id = n.responsible_unit_id \
             LEFT JOIN people pe ON pe.id = n.responsible_person_id WHERE n.project_id = $1 ORDER BY n.seq, n.id",
            id,
            |r| {
                Ok(NodeView {
                    id: i64_(r, "id")?,
                    seq: i64_(r, "seq")?,
                    name: text(r, "name")?,
                    planned_on: date(r, "planned_on")?,
                    baseline_on: date(r, "baseline_on")?,
                    forecast_on: opt_date(r, "forecast_on")?,
                    actual_on: opt_date(r, "actual_on")?,
                    responsible_unit: named(r, "responsible_unit_id", "unit_name")?,
                    responsible_person: opt_named(r, "responsible_person_id", "person_name")?,
                    status: text(r, "status")?,
                    light: opt_text(r, "light")?.as_deref().and_then(Light::from_code),
                    light_reason: opt_text(r, "light_reason")?,
                    light_reason_en: opt_text(r, "light_reason_en")?,
                    version: i64_(r, "version")?,
                })
            },
        )
        .await?;

        let annual_plans = rows_for(
            &self.pool,
            "SELECT year, planned_investment FROM annual_plans WHERE project_id = $1 ORDER BY year",
            id,
            |r| {
                Ok(YearAmount {
                    year: i64_(r, "year")?,
                    planned_wan: Wan(Money::from_yuan(i64_(r, "planned_investment")?)),
                })
            },
        )
        .await?;
        let category_years = rows_for(
            &self.pool,
            "SELECT pc.year, c.id, c.name FROM project_categories pc JOIN categories c ON c.id = pc.category_id \
             WHERE pc.project_id = $1 ORDER BY pc.year, c.sort_order, c.id",
            id,
            |r| {
                Ok(CategoryYear {
                    year: i64_(r, "year")?,
                    category: named(r, "id", "name")?,
                })
            },
        )
        .await?;
        let monthly_investment = rows_for(
            &self.pool,
            "SELECT year, month, amount FROM monthly_investment WHERE project_id = $1 ORDER BY year, month",
            id,
            |r| {
                Ok(MonthAmount {
                    year: i64_(r, "year")?,
                    month: i64_(r, "month")?,
                    amount_wan: Wan(Money::from_yuan(i64_(r, "amount")?)),
                })
            },
        )
        .await?;
        let stage_history = rows_for(&self.pool, super::stages::HISTORY, id, super::stages::stage_change).await?;
        let reports = rows_for(&self.pool, "SELECT id, period_kind, period_start, period_end, body, investment, submitted_on FROM progress_reports WHERE project_id = $1 ORDER BY period_start DESC", id, |r| {
            Ok(ReportView {
                id: i64_(r, "id")?,
                period_kind: text(r, "period_kind")?,
                period_start: date(r, "period_start")?,
                period_end: date(r, "period_end")?,
                body: text(r, "body")?,
                investment_wan: Wan(Money::from_yuan(i64_(r, "investment")?)),
                submitted_on: date(r, "submitted_on")?,
            })
        }).await?;
        let problems = rows_for(&self.pool, "SELECT pr.id, pr.category, pr.description, pr.unit_id, u.name AS unit_name, pr.raised_on, pr.deadline, pr.status, pr.closed_on, \
             pr.blocking_node_id FROM problems pr JOIN units u ON u.id = pr.unit_id WHERE pr.project_id = $1 ORDER BY pr.raised_on DESC", id, |r| {
            Ok(ProblemView {
                id: i64_(r, "id")?,
                category: text(r, "category")?,
                description: text(r, "description")?,
                unit: named(r, "unit_id", "unit_name")?,
                raised_on: date(r, "raised_on")?,
                deadline: date(r, "deadline")?,
                status: text(r, "status")?,
                closed_on: opt_date(r, "closed_on")?,
                blocking_node_id: opt_i64(r, "blocking_node_id")?,
            })
        }).await?;

        Ok(ProjectDetail {
            summary,
            location: text(&row, "location")?,
            land_area_mu: opt_i64(&row, "land_area_centi_mu")?.map(|a| zhantu_domain::LandArea::from_centi_mu(a).mu_exact()),
            investor: text(&row, "investor")?,
            foreign_investment: i64_(&row, "foreign_investment")? != 0,
            foreign_investment_usd: opt_i64(&row, "foreign_usd_cents")?.map(|c| format!("{}.{:02}", c / 100, c % 100)),
            completed_on: opt_date(&row, "completed_on")?,
            in_statistics_on: opt_date(&row, "in_statistics_on")?,
            description: text(&row, "description")?,
            baseline: crate::nodes::baseline(&row)?,
            baseline_approved_by: opt_text(&row, "baseline_approved_by")?,
            baseline_approved_at: opt_text(&row, "baseline_approved_at")?,
            light_reasons: opt_text(&row, "light_reasons")?
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
            light_reasons_en: opt_text(&row, "light_reasons_en")?
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
            nodes,
            annual_plans,
            category_years,
            monthly_investment,
            stage_history,
            reports,
            problems,
        })
    }
}
