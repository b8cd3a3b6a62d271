//! The projects of a load: their categories, plans, monthly investment, stages, nodes and
//! progress reports, and the FAI series they are read against.

use super::Loader;
use crate::StoreError;
use zhantu_domain::dataset::Dataset;

/// Returns how many projects and nodes it wrote.
pub(super) async fn write_projects(load: &mut Loader<'_>, ds: &Dataset, now: &str) -> Result<(usize, usize), StoreError> {
    let projects = ds.projects.len();
    load.table(
        "projects",
        &[
            "id",
            "code",
            "name",
            "unit_id",
            "leader_id",
            "industry_code",
            "project_type",
            "stage",
            "division_code",
            "location",
            "land_area_centi_mu",
            "total_investment",
            "investor",
            "foreign_investment",
            "foreign_usd_cents",
            "planned_year",
            "planned_start_on",
            "started_on",
            "completed_on",
            "in_statistics_on",
            "description",
            "light",
            "light_reason",
            "created_at",
            "updated_at",
            "version",
        ],
        ds.projects.iter().map(|b| {
            let p = &b.project;
            vec![
                p.id.into(),
                p.code.as_ref().map(|c| c.as_str()).into(),
                (&p.name).into(),
                p.unit_id.into(),
                p.leader_id.into(),
                p.industry_code.clone().into(),
                (&p.project_type).into(),
                p.stage.code().into(),
                p.division_code.as_ref().map(|d| d.as_str()).into(),
                (&p.location).into(),
                p.land_area.map(|a| a.centi_mu()).into(),
                p.total_investment.yuan().into(),
                (&p.investor).into(),
                p.foreign_investment.into(),
                p.foreign_investment_usd_cents.into(),
                p.planned_year.into(),
                p.planned_start_on.into(),
                p.started_on.into(),
                p.completed_on.into(),
                p.in_statistics_on.into(),
                (&p.description).into(),
                b.light.as_ref().map(|l| l.0.code()).into(),
                b.light.as_ref().map(|l| l.1.clone()).into(),
                now.into(),
                now.into(),
                p.version.into(),
            ]
        }),
    )
    .await?;
    load.table(
        "project_categories",
        &["project_id", "category_id", "year"],
        ds.projects.iter().flat_map(|b| {
            b.categories
                .iter()
                .map(move |(cat, y)| vec![b.project.id.into(), (*cat).into(), (*y).into()])
        }),
    )
    .await?;
    load.table(
        "annual_plans",
        &["project_id", "year", "planned_investment"],
        ds.projects.iter().flat_map(|b| {
            b.annual_plans
                .iter()
                .map(move |(y, m)| vec![b.project.id.into(), (*y).into(), m.yuan().into()])
        }),
    )
    .await?;
    load.table(
        "monthly_investment",
        &["project_id", "year", "month", "amount"],
        ds.projects.iter().flat_map(|b| {
            b.monthly_investment
                .iter()
                .map(move |(y, m, a)| vec![b.project.id.into(), (*y).into(), (*m).into(), a.yuan().into()])
        }),
    )
    .await?;
    load.table(
        "stage_changes",
        &["project_id", "from_stage", "to_stage", "changed_on", "note"],
        ds.projects.iter().flat_map(|b| {
            b.stage_changes.iter().map(move |s| {
                vec![
                    b.project.id.into(),
                    s.from.map(|f| f.code()).into(),
                    s.to.code().into(),
                    s.on.into(),
                    (&s.note).into(),
                ]
            })
        }),
    )
    .await?;
    let nodes: usize = ds.projects.iter().map(|b| b.nodes.len()).sum();
    load.table(
        "nodes",
        &[
            "id",
            "project_id",
            "seq",
            "name",
            "planned_on",
            "baseline_on",
            "forecast_on",
            "actual_on",
            "responsible_unit_id",
            "responsible_person_id",
            "status",
            "light",
            "light_reason",
            "version",
        ],
        ds.projects.iter().flat_map(|b| {
            b.nodes.iter().map(|n| {
                vec![
                    n.id.into(),
                    n.project_id.into(),
                    n.seq.into(),
                    (&n.name).into(),
                    n.planned_on.into(),
                    n.baseline_on.into(),
                    n.forecast_on.into(),
                    n.actual_on.into(),
                    n.responsible_unit_id.into(),
                    n.responsible_person_id.into(),
                    n.status.code().into(),
                    n.light.map(|l| l.code()).into(),
                    n.light_reason.clone().into(),
                    n.version.into(),
                ]
            })
        }),
    )
    .await?;
    load.table(
        "progress_reports",
        &[
            "id",
            "project_id",
            "period_kind",
            "period_start",
            "period_end",
            "body",
            "investment",
            "submitted_on",
        ],
        ds.projects.iter().flat_map(|b| {
            b.reports.iter().map(move |r| {
                vec![
                    r.id.into(),
                    b.project.id.into(),
                    r.period.code().into(),
                    r.period_start.into(),
                    r.period_end.into(),
                    (&r.body).into(),
                    r.investment.yuan().into(),
                    r.submitted_on.into(),
                ]
            })
        }),
    )
    .await?;
    load.table(
        "fai_monthly",
        &["division_code", "year", "month", "cumulative"],
        ds.fai
            .iter()
            .map(|f| vec![(&f.division_code).into(), f.year.into(), f.month.into(), f.cumulative.yuan().into()]),
    )
    .await?;
    Ok((projects, nodes))
}
