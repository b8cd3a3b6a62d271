//! What a load writes last: confidence ratings, the support ledger, results after operation,
//! then (after the row count a load reports, which stays as it was before these mechanisms)
//! field work, statistics entry and node dependencies.

use super::Loader;
use crate::StoreError;
use zhantu_domain::dataset::Dataset;

/// Returns the rows written up to the count a load reports.
pub(super) async fn write_outcomes(load: &mut Loader<'_>, ds: &Dataset) -> Result<usize, StoreError> {
    load.table(
        "confidence_ratings",
        &["project_id", "month", "level", "reason", "rated_by", "rated_at"],
        ds.confidence.iter().map(|c| {
            vec![
                c.project_id.into(),
                (&c.month).into(),
                c.level.code().into(),
                (&c.reason).into(),
                (&c.rated_by).into(),
                format!("{}T01:00:00.000Z", c.rated_on).into(),
            ]
        }),
    )
    .await?;
    load.table(
        "support_ledger",
        &[
            "kind",
            "policy",
            "year",
            "unit_id",
            "firms",
            "amount",
            "granted_on",
            "document",
            "created_by",
        ],
        ds.support.iter().map(|l| {
            vec![
                l.kind.code().into(),
                (&l.policy).into(),
                (chrono::Datelike::year(&l.granted_on) as i64).into(),
                l.unit_id.into(),
                l.firms.into(),
                l.amount.yuan().into(),
                l.granted_on.into(),
                (&l.document).into(),
                "demo".into(),
            ]
        }),
    )
    .await?;
    load.table(
        "results_promises",
        &[
            "project_id",
            "output",
            "tax",
            "jobs",
            "energy_tce",
            "full_production_year",
            "investment_per_mu",
            "updated_by",
            "updated_at",
        ],
        ds.results.iter().map(|r| {
            let p = &r.promise;
            vec![
                r.project_id.into(),
                p.output.yuan().into(),
                p.tax.yuan().into(),
                p.jobs.into(),
                p.energy_tce.into(),
                (p.full_production_year as i64).into(),
                p.investment_per_mu.map(|m| m.yuan()).into(),
                "system:demo".into(),
                "2019-12-31T00:00:00.000Z".into(),
            ]
        }),
    )
    .await?;
    load.table(
        "results_years",
        &["project_id", "year", "output", "tax", "jobs", "energy_tce"],
        ds.results.iter().flat_map(|r| {
            r.years.iter().map(move |y| {
                vec![
                    r.project_id.into(),
                    (y.year as i64).into(),
                    y.output.yuan().into(),
                    y.tax.yuan().into(),
                    y.jobs.into(),
                    y.energy_tce.into(),
                ]
            })
        }),
    )
    .await?;
    let rows = load.written;
    // 一线办公: after the count of rows too, which the figures of a load report as before.
    load.table(
        "field_work_entries",
        &[
            "person_id",
            "work_date",
            "part",
            "project_id",
            "place",
            "matters",
            "recorded_by",
            "recorded_at",
        ],
        ds.field_work.iter().map(|f| {
            vec![
                f.person_id.into(),
                f.date.into(),
                f.part.code().into(),
                f.project_id.into(),
                (&f.place).into(),
                (&f.matters).into(),
                "demo".into(),
                format!("{}T10:00:00.000Z", f.date).into(),
            ]
        }),
    )
    .await?;
    load.table(
        "field_work_rules",
        &["person_id", "kind", "per_week", "share_num", "share_den", "set_by", "set_at"],
        ds.field_work_rules.iter().map(|(person, rule)| {
            let (kind, per_week, num, den) = crate::field_work::rule_columns(*rule);
            vec![
                (*person).into(),
                kind.into(),
                per_week.into(),
                num.into(),
                den.into(),
                "demo".into(),
                "2019-09-01T01:00:00.000Z".into(),
            ]
        }),
    )
    .await?;
    // Statistics codes and the bureau's counted investment: after the count of rows, which
    // the figures of a load report as they were before the mechanism.
    for s in &ds.statistics {
        if let Some(code) = &s.code {
            sqlx::query("UPDATE projects SET statistics_code = $1 WHERE id = $2")
                .bind(code)
                .bind(s.project_id)
                .execute(&mut *load.conn)
                .await?;
        }
    }
    load.table(
        "statistics_counted",
        &["project_id", "year", "month", "cumulative"],
        ds.statistics.iter().flat_map(|s| {
            s.counted
                .iter()
                .map(move |(y, m, c)| vec![s.project_id.into(), (*y).into(), (*m).into(), c.yuan().into()])
        }),
    )
    .await?;

    load.table(
        "node_dependencies",
        &["node_id", "depends_on_id", "lag_days"],
        ds.dependencies
            .iter()
            .map(|l| vec![l.node_id.into(), l.depends_on_id.into(), l.lag_days.into()]),
    )
    .await?;
    Ok(rows)
}
