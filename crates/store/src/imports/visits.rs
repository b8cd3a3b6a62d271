//! Importing 三服务 visits: matched by enterprise, day, visiting unit and visitor. A visitor
//! is a person of the register (one of the visiting unit's first) or, if not in it, kept by
//! name.

use super::export::date_cell;
use super::refs::Refs;
use super::{Tally, keyed, upsert};
use crate::audit::AuditCtx;
use crate::row::{Val, i64_, text};
use crate::{Store, StoreError};
use sqlx::AnyConnection;
use zhantu_domain::imports::{ImportKind, VisitRow, export_columns};
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("enterprise_id", true),
    ("visited_on", false),
    ("unit_id", true),
    ("visitor_id", true),
    ("visitor_name", false),
    ("findings", false),
];

/// The visitor as the sheet names them: the person's name, else the name kept.
const VISITOR: &str = "COALESCE(pe.name, v.visitor_name)";

pub(super) async fn import_visits(
    c: &mut AnyConnection,
    rows: &[VisitRow],
    refs: &Refs,
    ctx: &AuditCtx,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let existing = keyed(
        c,
        &format!(
            "SELECT v.id, v.enterprise_id, v.visited_on, v.unit_id, v.visitor_id, v.visitor_name, v.findings, {VISITOR} AS visitor \
             FROM enterprise_visits v LEFT JOIN people pe ON pe.id = v.visitor_id ORDER BY v.id DESC"
        ),
        COLS,
        |r| {
            Ok((
                i64_(r, "enterprise_id")?,
                text(r, "visited_on")?,
                i64_(r, "unit_id")?,
                text(r, "visitor")?,
            ))
        },
    )
    .await?;
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // Unknown enterprises and units were reported by `Refs::check`.
        let (Some(enterprise), Some(unit)) = (refs.enterprise(r.enterprise.as_str()), refs.unit(&r.unit)) else {
            continue;
        };
        let visitor = (!r.visitor.is_empty()).then(|| refs.person_in(&r.visitor, unit)).flatten();
        let v: Vec<Val> = vec![
            enterprise.into(),
            r.visited_on.into(),
            unit.into(),
            visitor.into(),
            if visitor.is_some() { "" } else { r.visitor.as_str() }.into(),
            (&r.findings).into(),
        ];
        let before = existing.get(&(enterprise, r.visited_on.to_string(), unit, r.visitor.clone()));
        let (id, outcome) = upsert(c, "enterprise_visits", COLS, before, &v, false).await?;
        if before.is_none() {
            sqlx::query("UPDATE enterprise_visits SET recorded_by = $1 WHERE id = $2")
                .bind(&ctx.actor)
                .bind(id)
                .execute(&mut *c)
                .await?;
        }
        t.row(outcome, format!("{} {}", r.enterprise.as_str(), r.visited_on));
    }
    Ok(())
}

impl Store {
    /// Every 三服务 visit, oldest recorded first.
    pub async fn export_visits(&self) -> Result<Table, StoreError> {
        let mut t = Table::new(ImportKind::Visits.label_zh(), export_columns(ImportKind::Visits));
        for r in sqlx::query(&format!(
            "SELECT e.credit_code, v.visited_on, u.name AS unit_name, {VISITOR} AS visitor, v.findings FROM enterprise_visits v \
             JOIN enterprises e ON e.id = v.enterprise_id JOIN units u ON u.id = v.unit_id LEFT JOIN people pe ON pe.id = v.visitor_id ORDER BY v.id"
        ))
        .fetch_all(&self.pool)
        .await?
        {
            t.push(vec![
                text(&r, "credit_code")?.into(),
                date_cell(Some(text(&r, "visited_on")?)),
                text(&r, "unit_name")?.into(),
                super::export::text_cell(text(&r, "visitor")?),
                text(&r, "findings")?.into(),
            ]);
        }
        Ok(t)
    }
}
