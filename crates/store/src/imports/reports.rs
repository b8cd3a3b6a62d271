//! Importing progress reports (进展填报): matched by project, period and the period's first
//! day. An imported report is the record of one filed then; it does not touch the month's
//! investment (the monthly investment import does).

use super::export::{date_cell, project_key};
use super::refs::Refs;
use super::{Tally, keyed, upsert};
use crate::audit::AuditCtx;
use crate::row::{SqlBuf, Val, i64_, text};
use crate::{ProjectFilter, Store, StoreError};
use sqlx::AnyConnection;
use zhantu_domain::Money;
use zhantu_domain::imports::{ImportKind, ReportRow, export_columns};
use zhantu_domain::model::ReportPeriod;
use zhantu_domain::table::Table;

const COLS: &[(&str, bool)] = &[
    ("project_id", true),
    ("period_kind", false),
    ("period_start", false),
    ("period_end", false),
    ("submitted_on", false),
    ("investment", true),
    ("body", false),
];

pub(super) async fn import_reports(
    c: &mut AnyConnection,
    rows: &[ReportRow],
    refs: &Refs,
    ctx: &AuditCtx,
    t: &mut Tally<'_>,
) -> Result<(), StoreError> {
    let existing = keyed(
        c,
        "SELECT id, project_id, period_kind, period_start, period_end, submitted_on, investment, body FROM progress_reports",
        COLS,
        |r| Ok((i64_(r, "project_id")?, text(r, "period_kind")?, text(r, "period_start")?)),
    )
    .await?;
    for (i, r) in rows.iter().enumerate() {
        t.at_row(i, rows.len());
        // An unknown project was reported by `Refs::check`.
        let Some(pid) = refs.project(&r.project) else { continue };
        let v: Vec<Val> = vec![
            pid.into(),
            r.period.code().into(),
            r.period_start.into(),
            r.period_end.into(),
            r.submitted_on.into(),
            r.investment.yuan().into(),
            (&r.body).into(),
        ];
        let before = existing.get(&(pid, r.period.code().to_string(), r.period_start.to_string()));
        let (id, outcome) = upsert(c, "progress_reports", COLS, before, &v, true).await?;
        if before.is_none() {
            sqlx::query("UPDATE progress_reports SET submitted_by = $1 WHERE id = $2")
                .bind(&ctx.actor)
                .bind(id)
                .execute(&mut *c)
                .await?;
        }
        t.row(
            outcome,
            format!("{} {} {}", r.project.describe(), r.period.label_zh(), r.period_start),
        );
    }
    Ok(())
}

impl Store {
    /// The progress reports of every project matching `f`.
    pub async fn export_reports(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT p.id AS pid, p.code, p.external_id AS pext, r.period_kind, r.period_start, r.submitted_on, r.investment, r.body \
             FROM progress_reports r JOIN projects p ON p.id = r.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, r.period_kind, r.period_start");
        let mut t = Table::new(ImportKind::Reports.label_zh(), export_columns(ImportKind::Reports));
        for r in &q.query().fetch_all(&self.pool).await? {
            let (code, pext) = project_key(r)?;
            let period = text(r, "period_kind")?;
            t.push(vec![
                code.into(),
                pext.into(),
                ReportPeriod::from_code(&period)
                    .map_or(period.clone(), |p| p.label_zh().to_string())
                    .into(),
                date_cell(Some(text(r, "period_start")?)),
                date_cell(Some(text(r, "submitted_on")?)),
                Money::from_yuan(i64_(r, "investment")?).into(),
                text(r, "body")?.into(),
            ]);
        }
        Ok(t)
    }
}
