//! Moving a whole district between databases (SQLite ⇄ PostgreSQL, or a file to a backup
//! file), verified by row counts and checksums computed the same way on both sides.

use crate::bulk::insert_values;
use crate::row::Val;
use crate::{Store, StoreError};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Column, Row, TypeInfo, ValueRef};

/// Every table of the schema in an order that satisfies foreign keys, with the columns that
/// order its rows. Tables ordered by a generated `id` have their identity sequence moved past
/// the copied rows (`sessions.id` is a hash, not generated). `_sqlx_migrations` is not copied:
/// each side migrates itself.
pub const TABLES: &[(&str, &str)] = &[
    ("settings", "key"),
    ("units", "id"),
    ("people", "id"),
    ("categories", "id"),
    ("category_targets", "category_id, year"),
    ("project_types", "code"),
    ("node_templates", "id"),
    ("projects", "id"),
    ("project_categories", "project_id, category_id, year"),
    ("annual_plans", "project_id, year"),
    ("monthly_investment", "project_id, year, month"),
    ("stage_changes", "id"),
    ("nodes", "id"),
    ("node_dependencies", "node_id, depends_on_id"),
    ("node_date_changes", "id"),
    ("node_plan_changes", "id"),
    ("evidence", "id"),
    ("progress_reports", "id"),
    ("fai_monthly", "division_code, year, month"),
    ("enterprises", "id"),
    ("enterprise_tags", "enterprise_id, tag"),
    ("enterprise_visits", "id"),
    ("problems", "id"),
    ("problem_events", "id"),
    ("attraction_leads", "id"),
    ("batches", "id"),
    ("batch_projects", "batch_id, project_id"),
    ("campaigns", "id"),
    ("campaign_nodes", "campaign_id, node_id"),
    ("campaign_units", "campaign_id, unit_id"),
    ("campaign_measures", "id"),
    ("support_ledger", "id"),
    ("supervision_rounds", "id"),
    ("supervision_targets", "round_id, project_id"),
    ("approval_clocks", "id"),
    ("clock_exclusions", "id"),
    ("land_ledger", "id"),
    ("light_rule_sets", "id"),
    ("holidays", "day"),
    ("audit_log", "id"),
    ("users", "id"),
    ("sessions", "id"),
    ("api_tokens", "id"),
    ("login_attempts", "id"),
    ("audit_head", "id"),
    ("job_runs", "job, run_on"),
    ("reminders_sent", "user_id, subject"),
    ("evaluation_weights", "id"),
    ("issued_reports", "id"),
    ("instructions", "id"),
    ("instruction_events", "id"),
    ("webhook_subscriptions", "id"),
    ("webhook_outbox", "id"),
    ("webhook_attempts", "id"),
    ("confidence_ratings", "id"),
    ("uplink_received", "division, period"),
    ("statistics_counted", "project_id, year, month"),
    ("lead_milestones", "lead_id"),
    ("lead_progress_reports", "id"),
    ("lead_clock_settings", "key"),
    ("results_promises", "project_id"),
    ("results_years", "project_id, year"),
    ("field_work_entries", "id"),
    ("field_work_rules", "person_id"),
];

/// Rows and checksum of one table.
/// Columns that are caches of other rows (the lights job's node packs): not copied (the
/// target's triggers void them anyway, and its next lights run rebuilds them) nor summed.
const CACHES: &[&str] = &["node_pack"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSum {
    pub table: &'static str,
    pub rows: u64,
    /// Order-independent digest of the rows (hex).
    pub sha256: String,
}

/// A column's value, read without knowing the engine: our schema holds only integers and text.
fn value(row: &AnyRow, i: usize) -> Result<Val, StoreError> {
    let raw = row.try_get_raw(i)?;
    if raw.is_null() {
        let ty = row.column(i).type_info().name().to_ascii_uppercase();
        return Ok(if ty.contains("INT") { Val::NullI } else { Val::NullT });
    }
    if let Ok(v) = row.try_get::<i64, _>(i) {
        return Ok(Val::I(v));
    }
    Ok(Val::T(row.try_get::<String, _>(i)?))
}

const CHUNK: i64 = 5_000;

impl Store {
    /// Row count and SHA-256 of every table, over its rows in key order, from one snapshot.
    pub async fn checksums(&self) -> Result<Vec<TableSum>, StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some(sql) = self.engine.snapshot_sql() {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        let sums = checksums_in(&mut tx).await?;
        tx.commit().await?;
        Ok(sums)
    }

    /// Copies every row of `self` into `target`, which must hold no district yet, in one
    /// transaction on the target, reading one consistent snapshot of the source (so it works
    /// while the source is being served). Returns the checksums, equal on both sides.
    pub async fn copy_to(&self, target: &Store) -> Result<Vec<TableSum>, StoreError> {
        if !target.is_empty().await? {
            return Err(StoreError::rule(
                "copy_target_not_empty",
                "目标数据库已有数据：请指定一个新的空数据库",
            ));
        }
        let mut src = self.pool.begin().await?;
        if let Some(sql) = self.engine.snapshot_sql() {
            sqlx::query(sql).execute(&mut *src).await?;
        }
        let mut tx = target.pool.begin().await?;
        // The target's migrations seeded these; the source's rows replace them.
        for t in ["audit_head", "holidays", "evaluation_weights", "lead_clock_settings"] {
            sqlx::query(&format!("DELETE FROM {t}")).execute(&mut *tx).await?;
        }
        for (table, order) in TABLES {
            let mut offset = 0i64;
            loop {
                let batch = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order} LIMIT {CHUNK} OFFSET {offset}"))
                    .fetch_all(&mut *src)
                    .await?;
                if let Some(first) = batch.first() {
                    let kept: Vec<(usize, String)> = first
                        .columns()
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| !CACHES.contains(&c.name()))
                        .map(|(i, c)| (i, c.name().to_string()))
                        .collect();
                    let cols: Vec<&str> = kept.iter().map(|(_, c)| c.as_str()).collect();
                    let rows = batch
                        .iter()
                        .map(|r| kept.iter().map(|(i, _)| value(r, *i)).collect::<Result<Vec<_>, _>>())
                        .collect::<Result<Vec<_>, _>>()?;
                    insert_values(&mut tx, target.engine, table, &cols, rows).await?;
                }
                if (batch.len() as i64) < CHUNK {
                    break;
                }
                offset += CHUNK;
            }
            if order == &"id" && *table != "sessions" {
                if let Some(sql) = target.engine.reset_id_sequence_sql(table) {
                    sqlx::query(&sql).execute(&mut *tx).await?;
                }
            }
        }
        let source = checksums_in(&mut src).await?;
        let copied = checksums_in(&mut tx).await?;
        for (s, c) in source.iter().zip(&copied) {
            if s != c {
                return Err(StoreError::rule(
                    "copy_check_failed",
                    format!(
                        "复制校验失败：表 {} 源 {} 行、目标 {} 行，校验和{}；目标库未写入任何数据",
                        s.table,
                        s.rows,
                        c.rows,
                        if s.sha256 == c.sha256 { "一致" } else { "不一致" }
                    ),
                ));
            }
        }
        tx.commit().await?;
        src.commit().await?;
        target.reindex_search().await?;
        target.refresh_statistics().await?;
        Ok(source)
    }
}

/// Per table: the row count and a multiset hash (the wrapping sum of each row's SHA-256),
/// so the result does not depend on the order an engine sorts text keys in.
async fn checksums_in(conn: &mut AnyConnection) -> Result<Vec<TableSum>, StoreError> {
    let mut out = Vec::new();
    for (table, order) in TABLES {
        let mut sum: u128 = 0;
        let mut rows = 0u64;
        let mut offset = 0i64;
        loop {
            let batch = sqlx::query(&format!("SELECT * FROM {table} ORDER BY {order} LIMIT {CHUNK} OFFSET {offset}"))
                .fetch_all(&mut *conn)
                .await?;
            for r in &batch {
                let mut h = Sha256::new();
                for (i, col) in r.columns().iter().enumerate() {
                    if CACHES.contains(&col.name()) {
                        continue;
                    }
                    let cell = match value(r, i)? {
                        Val::I(v) => format!("i{v}"),
                        Val::T(t) => format!("t{}:{t}", t.len()),
                        Val::NullI | Val::NullT => "n".to_string(),
                    };
                    h.update(cell.as_bytes());
                    h.update([0x1f]);
                }
                let digest = h.finalize();
                let mut first = [0u8; 16];
                first.copy_from_slice(&digest[..16]);
                sum = sum.wrapping_add(u128::from_be_bytes(first));
                rows += 1;
            }
            if (batch.len() as i64) < CHUNK {
                break;
            }
            offset += CHUNK;
        }
        out.push(TableSum {
            table,
            rows,
            sha256: format!("{sum:032x}"),
        });
    }
    Ok(out)
}
