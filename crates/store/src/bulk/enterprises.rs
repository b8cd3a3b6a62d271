//! The enterprises of a load, their visits (三服务) and the problems raised.

use super::Loader;
use crate::StoreError;
use zhantu_domain::dataset::Dataset;

pub(super) async fn write_enterprises(load: &mut Loader<'_>, ds: &Dataset) -> Result<(), StoreError> {
    load.table(
        "enterprises",
        &["id", "credit_code", "name", "industry_code", "division_code"],
        ds.enterprises.iter().map(|e| {
            vec![
                e.id.into(),
                e.credit_code.as_str().into(),
                (&e.name).into(),
                e.industry_code.clone().into(),
                e.division_code.as_ref().map(|d| d.as_str()).into(),
            ]
        }),
    )
    .await?;
    load.table(
        "enterprise_tags",
        &["enterprise_id", "tag"],
        ds.enterprises
            .iter()
            .flat_map(|e| e.tags.iter().map(move |t| vec![e.id.into(), t.into()])),
    )
    .await?;
    load.table(
        "enterprise_visits",
        &["id", "enterprise_id", "visited_on", "visitor_id", "unit_id", "findings"],
        ds.visits.iter().map(|v| {
            vec![
                v.id.into(),
                v.enterprise_id.into(),
                v.visited_on.into(),
                v.visitor_id.into(),
                v.unit_id.into(),
                (&v.findings).into(),
            ]
        }),
    )
    .await?;
    load.table(
        "problems",
        &[
            "id",
            "project_id",
            "node_id",
            "visit_id",
            "enterprise_id",
            "category",
            "description",
            "unit_id",
            "raised_on",
            "deadline",
            "status",
            "resolved_on",
            "closed_on",
            "satisfaction",
        ],
        ds.problems.iter().map(|p| {
            vec![
                p.id.into(),
                p.project_id.into(),
                p.node_id.into(),
                p.visit_id.into(),
                p.enterprise_id.into(),
                (&p.category).into(),
                (&p.description).into(),
                p.unit_id.into(),
                p.raised_on.into(),
                p.deadline.into(),
                p.status.code().into(),
                p.resolved_on.into(),
                p.closed_on.into(),
                p.satisfaction.into(),
            ]
        }),
    )
    .await?;
    Ok(())
}
