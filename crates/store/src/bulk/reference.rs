//! The district's reference data of a load: settings, the default light rules, the shipped
//! holidays, units, people, categories and their targets, project types and node templates.

use super::Loader;
use crate::StoreError;
use zhantu_domain::dataset::Dataset;

pub(super) async fn write_reference(load: &mut Loader<'_>, ds: &Dataset, now: &str) -> Result<(), StoreError> {
    load.table(
        "settings",
        &["key", "value"],
        ds.settings.iter().map(|(k, v)| vec![k.into(), v.into()]),
    )
    .await?;
    // The district starts with the full default rule set; the dataset's node thresholds
    // carry over into it.
    let mut rule_set = zhantu_domain::rules::RuleSet::default();
    let from_dataset = zhantu_domain::rules::RuleSet::from(&ds.light_rules);
    for r in from_dataset.rules {
        if let Some(slot) = rule_set.rules.iter_mut().find(|d| d.id == r.id) {
            *slot = r;
        }
    }
    let rules = serde_json::to_string(&rule_set).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    load.table(
        "light_rule_sets",
        &["id", "rules_json", "created_at", "created_by"],
        [vec![1i64.into(), rules.into(), now.into(), "system".into()]],
    )
    .await?;
    load.table(
        "holidays",
        &["day", "kind", "name"],
        zhantu_domain::reference::holidays().map(|h| vec![h.date.into(), h.kind.into(), h.name.into()]),
    )
    .await?;
    load.table(
        "units",
        &["id", "parent_id", "name", "kind", "division_code", "sort_order"],
        ds.units.iter().enumerate().map(|(i, u)| {
            vec![
                u.id.into(),
                u.parent_id.into(),
                (&u.name).into(),
                u.kind.code().into(),
                u.division_code.as_ref().map(|d| d.as_str()).into(),
                (i as i64).into(),
            ]
        }),
    )
    .await?;
    load.table(
        "people",
        &["id", "name", "title", "unit_id", "is_leader"],
        ds.people.iter().map(|p| {
            vec![
                p.id.into(),
                (&p.name).into(),
                (&p.title).into(),
                p.unit_id.into(),
                p.is_leader.into(),
            ]
        }),
    )
    .await?;
    load.table(
        "categories",
        &["id", "code", "name", "tracks_landing", "sort_order"],
        ds.categories.iter().enumerate().map(|(i, cr)| {
            vec![
                cr.category.id.into(),
                (&cr.category.code).into(),
                (&cr.category.name).into(),
                cr.tracks_landing.into(),
                (i as i64).into(),
            ]
        }),
    )
    .await?;
    load.table(
        "category_targets",
        &["category_id", "year", "target_tenths"],
        ds.categories.iter().flat_map(|cr| {
            cr.targets
                .iter()
                .map(move |(y, t)| vec![cr.category.id.into(), (*y).into(), (*t).into()])
        }),
    )
    .await?;
    load.table(
        "project_types",
        &["code", "name", "name_en"],
        ds.project_types
            .iter()
            .map(|t| vec![(&t.code).into(), (&t.name).into(), (&t.name_en).into()]),
    )
    .await?;
    load.table(
        "node_templates",
        &["project_type", "seq", "name", "offset_days", "owner_hint", "parallel"],
        ds.node_templates.iter().map(|t| {
            vec![
                (&t.project_type).into(),
                t.seq.into(),
                (&t.name).into(),
                t.offset_days.into(),
                (&t.owner_hint).into(),
                (t.parallel as i64).into(),
            ]
        }),
    )
    .await?;
    Ok(())
}
