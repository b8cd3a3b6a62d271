//! Importing campaigns (攻坚擂台赛): a campaign is known by its name and first day; its rows
//! are its whole list of target nodes (a node named by its project and sequence number or
//! name), and the units named on any of its rows are the units taking part. A campaign with a
//! closing summary is over.

use super::export::{date_cell, project_key, text_cell};
use super::refs::Refs;
use super::{Outcome, Tally, by_name_and_day, groups, sync_list, upsert};
use crate::row::{Val, i64_, opt_i64, opt_text, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use zhantu_domain::imports::{CampaignRow, ImportKind, NodeKey, RowError, export_columns};
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("name", false),
    ("starts_on", false),
    ("ends_on", false),
    ("description", false),
    ("status", false),
    ("closing_note", false),
];

pub(super) async fn import_campaigns(
    c: &mut AnyConnection,
    rows: &[CampaignRow],
    refs: &Refs,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let existing = by_name_and_day(c, "campaigns", COLS, "starts_on").await?;
    let mut nodes: HashMap<(i64, NodeKey), i64> = HashMap::new();
    for r in sqlx::query("SELECT id, project_id, seq, name FROM nodes ORDER BY id DESC")
        .fetch_all(&mut *c)
        .await?
    {
        let (id, pid) = (i64_(&r, "id")?, i64_(&r, "project_id")?);
        nodes.insert((pid, NodeKey::Seq(i64_(&r, "seq")?)), id);
        nodes.insert((pid, NodeKey::Name(text(&r, "name")?)), id);
    }
    let mut done = 0;
    for group in groups(rows, |r| (r.name.clone(), r.starts_on)) {
        let head = group[0];
        let mut targets = Vec::new();
        for r in &group {
            let node = match &r.node {
                None => None,
                // An unknown project was reported by `Refs::check`.
                Some((p, key)) => match refs.project(p).map(|pid| nodes.get(&(pid, key.clone()))) {
                    Some(Some(id)) => Some(*id),
                    Some(None) => {
                        let (column, value) = match key {
                            NodeKey::Seq(s) => ("节点序号", s.to_string()),
                            NodeKey::Name(n) => ("节点名称", n.clone()),
                        };
                        t.errors.push(RowError::new(r.line, column, value, "该项目没有这个节点"));
                        None
                    }
                    None => None,
                },
            };
            targets.push(node);
        }
        let units: Option<BTreeSet<i64>> = group.iter().flat_map(|r| &r.units).map(|u| refs.unit(u)).collect();
        let (Some(units), true) = (units, group.iter().zip(&targets).all(|(r, n)| r.node.is_none() || n.is_some())) else {
            continue;
        };
        let status = if head.closing_note.is_empty() { "open" } else { "closed" };
        let v: Vec<Val> = vec![
            (&head.name).into(),
            head.starts_on.into(),
            head.ends_on.into(),
            (&head.description).into(),
            status.into(),
            (&head.closing_note).into(),
        ];
        let (id, campaign) = upsert(
            c,
            "campaigns",
            COLS,
            existing.get(&(head.name.clone(), head.starts_on.to_string())),
            &v,
            true,
        )
        .await?;
        let (units_added, units_removed) = sync_list(c, "campaign_units", ("campaign_id", id), None, "unit_id", &units, &[]).await?;
        let wanted: BTreeSet<i64> = targets.iter().flatten().copied().collect();
        let (added, removed) = sync_list(c, "campaign_nodes", ("campaign_id", id), None, "node_id", &wanted, &[]).await?;
        t.removed += units_removed + removed;
        let units_changed = if units_added.is_empty() {
            Outcome::Unchanged
        } else {
            Outcome::Changed
        };
        for (i, (r, node)) in group.iter().zip(&targets).enumerate() {
            let this = match node {
                Some(n) if added.contains(n) => Outcome::Created,
                _ => Outcome::Unchanged,
            };
            t.group_row(
                &mut done,
                rows.len(),
                (i, campaign.and(units_changed)),
                this,
                format!("{} {}", r.name, r.line),
            );
        }
    }
    Ok(())
}

impl Store {
    /// Every campaign with its target nodes, one row each, its units on every row.
    pub async fn export_campaigns(&self) -> Result<Table, StoreError> {
        let mut units: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT cu.campaign_id, u.name FROM campaign_units cu JOIN units u ON u.id = cu.unit_id ORDER BY u.sort_order, u.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            units.entry(i64_(&r, "campaign_id")?).or_default().push(text(&r, "name")?);
        }
        let mut t = Table::new(ImportKind::Campaigns.label_zh(), export_columns(ImportKind::Campaigns));
        for r in sqlx::query(
            "SELECT c.id, c.name, c.starts_on, c.ends_on, c.description, c.closing_note, c.status, p.id AS pid, p.code, p.external_id AS pext, \
             n.seq, n.name AS node_name FROM campaigns c LEFT JOIN campaign_nodes cn ON cn.campaign_id = c.id \
             LEFT JOIN nodes n ON n.id = cn.node_id LEFT JOIN projects p ON p.id = n.project_id ORDER BY c.id, p.id, n.seq, n.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let (code, pext) = project_key(&r)?;
            // A campaign closed without a summary still reads back closed.
            let mut closing = text(&r, "closing_note")?;
            if closing.is_empty() && text(&r, "status")? == "closed" {
                closing = "已结束".into();
            }
            t.push(vec![
                text(&r, "name")?.into(),
                date_cell(Some(text(&r, "starts_on")?)),
                date_cell(Some(text(&r, "ends_on")?)),
                text_cell(text(&r, "description")?),
                units.get(&i64_(&r, "id")?).map(|u| u.join("、")).into(),
                text_cell(closing),
                code.into(),
                pext.into(),
                opt_i64(&r, "seq")?.into(),
                opt_text(&r, "node_name")?.into(),
            ]);
        }
        Ok(t)
    }
}
