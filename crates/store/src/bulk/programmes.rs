//! The programmes of a load: attraction leads with their clocks, groundbreaking batches,
//! campaigns with their measures, supervision rounds, approval clocks and the land ledger.

use super::Loader;
use crate::StoreError;
use zhantu_domain::dataset::Dataset;

pub(super) async fn write_programmes(load: &mut Loader<'_>, ds: &Dataset) -> Result<(), StoreError> {
    load.table(
        "attraction_leads",
        &[
            "id",
            "name",
            "investor",
            "team_unit_id",
            "leader_id",
            "stage",
            "signed_amount",
            "foreign_usd_cents",
            "source_region",
            "first_contact_on",
            "signed_on",
            "landed_on",
            "project_id",
        ],
        ds.leads.iter().map(|l| {
            vec![
                l.id.into(),
                (&l.name).into(),
                (&l.investor).into(),
                l.team_unit_id.into(),
                l.leader_id.into(),
                l.stage.code().into(),
                l.signed_amount.yuan().into(),
                l.foreign_usd_cents.into(),
                (&l.source_region).into(),
                l.first_contact_on.into(),
                l.signed_on.into(),
                l.landed_on.into(),
                l.project_id.into(),
            ]
        }),
    )
    .await?;
    load.table(
        "lead_milestones",
        &["lead_id", "responded_on", "assessed_on", "assessment", "feedback_on"],
        ds.leads
            .iter()
            .filter(|l| l.clocks.responded_on.is_some() || l.clocks.assessed_on.is_some())
            .map(|l| {
                vec![
                    l.id.into(),
                    l.clocks.responded_on.into(),
                    l.clocks.assessed_on.into(),
                    l.clocks.assessment.map(|a| a.code()).into(),
                    l.clocks.feedback_on.into(),
                ]
            }),
    )
    .await?;
    load.table(
        "lead_progress_reports",
        &["lead_id", "reported_on", "body", "author", "created_at"],
        ds.leads.iter().flat_map(|l| {
            l.clocks.progress.iter().map(|(on, body, author)| {
                vec![
                    l.id.into(),
                    (*on).into(),
                    body.into(),
                    author.into(),
                    format!("{on}T09:00:00.000Z").into(),
                ]
            })
        }),
    )
    .await?;
    load.table(
        "batches",
        &["id", "name", "level", "held_on"],
        ds.batches
            .iter()
            .map(|b| vec![b.id.into(), (&b.name).into(), b.level.code().into(), b.held_on.into()]),
    )
    .await?;
    load.table(
        "batch_projects",
        &["batch_id", "project_id"],
        ds.batches
            .iter()
            .flat_map(|b| b.project_ids.iter().map(move |p| vec![b.id.into(), (*p).into()])),
    )
    .await?;
    load.table(
        "campaigns",
        &["id", "name", "starts_on", "ends_on", "description", "status", "closing_note"],
        ds.campaigns.iter().map(|k| {
            vec![
                k.id.into(),
                (&k.name).into(),
                k.starts_on.into(),
                k.ends_on.into(),
                (&k.description).into(),
                if k.closing_note.is_some() { "closed" } else { "open" }.into(),
                k.closing_note.as_deref().unwrap_or("").into(),
            ]
        }),
    )
    .await?;
    load.table(
        "campaign_nodes",
        &["campaign_id", "node_id"],
        ds.campaigns
            .iter()
            .flat_map(|k| k.node_ids.iter().map(move |n| vec![k.id.into(), (*n).into()])),
    )
    .await?;
    load.table(
        "campaign_units",
        &["campaign_id", "unit_id"],
        ds.campaigns
            .iter()
            .flat_map(|k| k.unit_ids.iter().map(move |u| vec![k.id.into(), (*u).into()])),
    )
    .await?;
    load.table(
        "campaign_measures",
        &[
            "campaign_id",
            "seq",
            "name",
            "unit",
            "target",
            "achieved",
            "updated_by",
            "updated_at",
        ],
        ds.campaigns.iter().flat_map(|k| {
            let updated = format!("{}T01:00:00.000Z", k.ends_on);
            k.measures.iter().enumerate().map(move |(i, (name, unit, target, achieved))| {
                vec![
                    k.id.into(),
                    (i as i64 + 1).into(),
                    name.into(),
                    unit.into(),
                    (*target).into(),
                    (*achieved).into(),
                    "demo".into(),
                    updated.clone().into(),
                ]
            })
        }),
    )
    .await?;
    load.table(
        "supervision_rounds",
        &["id", "name", "leader_id", "held_on", "summary", "status", "report"],
        ds.supervision_rounds.iter().map(|r| {
            vec![
                r.id.into(),
                (&r.name).into(),
                r.leader_id.into(),
                r.held_on.into(),
                (&r.summary).into(),
                if r.report.is_some() { "closed" } else { "open" }.into(),
                r.report.as_deref().unwrap_or("").into(),
            ]
        }),
    )
    .await?;
    load.table(
        "supervision_targets",
        &["round_id", "project_id", "finding"],
        ds.supervision_rounds
            .iter()
            .flat_map(|r| r.targets.iter().map(move |(p, f)| vec![r.id.into(), (*p).into(), f.into()])),
    )
    .await?;
    load.table(
        "approval_clocks",
        &["id", "name", "project_type", "start_node", "stop_node", "limit_days", "day_kind"],
        ds.approval_clocks.iter().map(|a| {
            vec![
                a.id.into(),
                (&a.name).into(),
                a.project_type.clone().into(),
                (&a.start_node).into(),
                (&a.stop_node).into(),
                a.limit_days.into(),
                a.day_kind.code().into(),
            ]
        }),
    )
    .await?;
    load.table(
        "land_ledger",
        &["id", "entry_on", "kind", "area_centi_mu", "project_id", "document", "note"],
        ds.land_ledger.iter().map(|l| {
            vec![
                l.id.into(),
                l.entry_on.into(),
                l.kind.code().into(),
                l.area.centi_mu().into(),
                l.project_id.into(),
                (&l.document).into(),
                (&l.note).into(),
            ]
        }),
    )
    .await?;
    Ok(())
}
