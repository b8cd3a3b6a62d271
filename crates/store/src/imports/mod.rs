//! Spreadsheet imports and exports. An import is applied in one transaction, all or nothing:
//! rows are matched to existing records (projects by code or external id, nodes by project and
//! external id or name, monthly investment by project and month, FAI by division and month,
//! enterprises by credit code, problems by external id), references (units, leaders, project
//! types) are resolved by name, and every bad row is collected. A dry run — or any bad row —
//! rolls the transaction back, so nothing is written; a real import appends one audit entry
//! with its counts. Exports write the same columns the importer reads, so an export imports
//! again unchanged.
//!
//! This module applies an import; every value a file names is checked first (`refs.rs`),
//! then each kind's rows are matched and written in its own file (`projects.rs`, `nodes.rs`,
//! `investment.rs` with FAI, `enterprises.rs`, `problems.rs`; `export.rs` writes their
//! columns back out). The kinds that carry the rest of a district's record keep their import
//! and their export together: `units.rs`, `people.rs`, `categories.rs`, `project_years.rs`,
//! `stage_history.rs`, `reports.rs`, `visits.rs`, `batches.rs`, `campaigns.rs`,
//! `supervision.rs`, `land.rs`, `results.rs` (results after operation), `statistics.rs` (counted
//! investment). Where a kind's rows are a record's whole list (a category's
//! targets, a project's stage history, a batch's members), the file replaces the list of each
//! record it names and leaves the others alone; what it takes off is counted as `removed`.

mod batches;
mod campaigns;
mod categories;
mod enterprises;
mod export;
mod investment;
mod land;
mod nodes;
mod people;
mod problems;
mod project_years;
mod projects;
mod refs;
mod reports;
mod results;
mod stage_history;
mod statistics;
mod supervision;
mod units;
mod visits;

use crate::audit::{AuditCtx, append};
use crate::row::{Val, i64_, opt_i64, opt_text, text};
use crate::{Store, StoreError};
use enterprises::import_enterprises;
use investment::{import_fai, import_investment};
use nodes::import_nodes;
use refs::Refs;
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::{BTreeSet, HashMap, HashSet};
use zhantu_domain::imports::{ImportKind, Parsed, RowError, Rows};

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize, Default)]
pub struct ImportOutcome {
    pub kind: String,
    pub dry_run: bool,
    /// True when the changes were committed.
    pub written: bool,
    pub rows: usize,
    pub created: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Entries of a record's list that the file no longer names (a batch's members, a
    /// project's stage history…), taken off.
    pub removed: usize,
    /// Every bad row; when not empty nothing was written.
    pub errors: Vec<RowError>,
    /// Things to know about a committed import (in Chinese).
    pub warnings: Vec<String>,
}

/// A short pause before retrying.
async fn tokio_sleep(attempt: u32) {
    tokio::time::sleep(std::time::Duration::from_millis(100 * attempt as u64)).await;
}

/// Reports progress: rows done, rows in all.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Send + Sync);

/// The running record of an import: the keys of what was created and changed (for the audit
/// entry, the first few hundred), the bad rows, and where to report progress.
struct Tally<'a> {
    created: Vec<String>,
    changed: Vec<String>,
    unchanged: usize,
    removed: usize,
    errors: Vec<RowError>,
    progress: Progress<'a>,
}

/// What importing one row did to its record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Changed,
    Unchanged,
}

impl Outcome {
    /// The outcome of a row that wrote a record and an entry of its list: the more of the two.
    fn and(self, other: Outcome) -> Outcome {
        use Outcome::*;
        match (self, other) {
            (Created, _) | (_, Created) => Created,
            (Changed, _) | (_, Changed) => Changed,
            _ => Unchanged,
        }
    }
}

const AUDIT_KEYS: usize = 500;

impl Tally<'_> {
    /// Reports progress every thousand rows.
    fn at_row(&self, i: usize, total: usize) {
        if i % 1000 == 0 {
            (self.progress)(i, total);
        }
    }
    fn created(&mut self, key: String) {
        self.created.push(key);
    }
    fn changed(&mut self, key: String) {
        self.changed.push(key);
    }
    /// Counts row `i` of a group of rows that write one record and its list by what its list
    /// entry did (`entry`); the first row also by what the record itself did (`head`). `done`
    /// counts the rows of the file, for the progress.
    fn group_row(&mut self, done: &mut usize, total: usize, (i, head): (usize, Outcome), entry: Outcome, key: String) {
        self.at_row(*done, total);
        *done += 1;
        self.row(if i == 0 { head.and(entry) } else { entry }, key);
    }
    /// Counts one row by what it did.
    fn row(&mut self, outcome: Outcome, key: String) {
        match outcome {
            Outcome::Created => self.created(key),
            Outcome::Changed => self.changed(key),
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// `INSERT INTO table (cols…) VALUES (…) RETURNING id`.
async fn insert_returning(conn: &mut AnyConnection, table: &str, cols: &[(&str, bool)], vals: &[Val]) -> Result<i64, StoreError> {
    let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
    let ph: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    let sql = format!("INSERT INTO {table} ({}) VALUES ({}) RETURNING id", names.join(", "), ph.join(", "));
    Ok(bind_all(sqlx::query_scalar(&sql), vals).fetch_one(&mut *conn).await?)
}

/// Writes one keyed record: inserted when new, updated (its version raised where it has one)
/// when its columns differ, else left alone. Returns its id and what was done.
async fn upsert(
    conn: &mut AnyConnection,
    table: &str,
    cols: &[(&str, bool)],
    existing: Option<&(i64, Vec<Val>)>,
    vals: &[Val],
    versioned: bool,
) -> Result<(i64, Outcome), StoreError> {
    match existing {
        Some((id, old)) if dbg(old) == dbg(vals) => Ok((*id, Outcome::Unchanged)),
        Some((id, _)) => {
            let extra = if versioned { ", version = version + 1" } else { "" };
            update_by_id(conn, table, cols, vals, extra, *id).await?;
            Ok((*id, Outcome::Changed))
        }
        None => Ok((insert_returning(conn, table, cols, vals).await?, Outcome::Created)),
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339()
}

fn dbg(v: &[Val]) -> String {
    format!("{v:?}")
}

/// Reads columns as `Val`s of their declared kind (`true` = integer).
fn vals(row: &AnyRow, cols: &[(&str, bool)]) -> Result<Vec<Val>, StoreError> {
    cols.iter()
        .map(|(c, is_int)| {
            Ok(if *is_int {
                opt_i64(row, c)?.map(Val::I).unwrap_or(Val::NullI)
            } else {
                opt_text(row, c)?.map(Val::T).unwrap_or(Val::NullT)
            })
        })
        .collect()
}

/// Binds values in order, to a query or a scalar query.
fn bind_all<'q, Q: BindVals<'q>>(mut q: Q, vals: &'q [Val]) -> Q {
    for v in vals {
        q = match v {
            Val::I(i) => q.bind(*i),
            Val::T(t) => q.bind(t.as_str()),
            Val::NullI => q.bind(None::<i64>),
            Val::NullT => q.bind(None::<String>),
        };
    }
    q
}

/// The queries values bind to.
trait BindVals<'q>: Sized {
    fn bind<T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>>(self, v: T) -> Self;
}

impl<'q> BindVals<'q> for sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    fn bind<T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>>(self, v: T) -> Self {
        sqlx::query::Query::bind(self, v)
    }
}

impl<'q, O> BindVals<'q> for sqlx::query::QueryScalar<'q, sqlx::Any, O, sqlx::any::AnyArguments<'q>> {
    fn bind<T: 'q + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>>(self, v: T) -> Self {
        sqlx::query::QueryScalar::bind(self, v)
    }
}

/// `UPDATE table SET a = $1, b = $2 … <extra> WHERE id = $n`.
async fn update_by_id(
    conn: &mut AnyConnection,
    table: &str,
    cols: &[(&str, bool)],
    vals: &[Val],
    extra: &str,
    id: i64,
) -> Result<(), StoreError> {
    let sets: Vec<String> = cols.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect();
    let sql = format!("UPDATE {table} SET {}{extra} WHERE id = ${}", sets.join(", "), cols.len() + 1);
    bind_all(sqlx::query(&sql), vals).bind(id).execute(&mut *conn).await?;
    Ok(())
}

/// The id a project without code or external id goes by in exports and imports: `ZT<id>`.
fn effective_external(id: i64, code: &Option<String>, external: Option<String>) -> Option<String> {
    external.or_else(|| code.is_none().then(|| format!("ZT{id}")))
}

/// Reads `sql` (selecting `id` and `cols`) into key → (id, the values of `cols`).
async fn keyed<K: std::hash::Hash + Eq>(
    conn: &mut AnyConnection,
    sql: &str,
    cols: &[(&str, bool)],
    key: impl Fn(&AnyRow) -> Result<K, StoreError>,
) -> Result<HashMap<K, (i64, Vec<Val>)>, StoreError> {
    let mut out = HashMap::new();
    for r in sqlx::query(sql).fetch_all(&mut *conn).await? {
        out.insert(key(&r)?, (i64_(&r, "id")?, vals(&r, cols)?));
    }
    Ok(out)
}

/// A list hanging off a record (`table`'s rows whose `parent` column is `parent_id`, one per
/// `child`): made exactly `wanted`. New entries are inserted with `extra` columns set; those
/// not wanted are deleted. Returns the children added and how many were deleted.
async fn sync_list(
    conn: &mut AnyConnection,
    table: &str,
    parent: (&str, i64),
    scope: Option<(&str, i64)>,
    child: &str,
    wanted: &BTreeSet<i64>,
    extra: &[(&str, i64)],
) -> Result<(BTreeSet<i64>, usize), StoreError> {
    let scope_sql = scope.map(|(c, _)| format!(" AND {c} = $2")).unwrap_or_default();
    let select = format!("SELECT {child} FROM {table} WHERE {} = $1{scope_sql}", parent.0);
    let mut q = sqlx::query_scalar::<_, i64>(&select).bind(parent.1);
    if let Some((_, v)) = scope {
        q = q.bind(v);
    }
    let have: BTreeSet<i64> = q.fetch_all(&mut *conn).await?.into_iter().collect();
    let mut cols = vec![parent.0, child];
    cols.extend(scope.map(|(c, _)| c));
    cols.extend(extra.iter().map(|(c, _)| *c));
    let ph: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
    let insert = format!("INSERT INTO {table} ({}) VALUES ({})", cols.join(", "), ph.join(", "));
    let added: BTreeSet<i64> = wanted.difference(&have).copied().collect();
    for id in &added {
        let mut q = sqlx::query(&insert).bind(parent.1).bind(*id);
        if let Some((_, v)) = scope {
            q = q.bind(v);
        }
        for (_, v) in extra {
            q = q.bind(*v);
        }
        q.execute(&mut *conn).await?;
    }
    let gone: Vec<i64> = have.difference(wanted).copied().collect();
    let delete = format!(
        "DELETE FROM {table} WHERE {} = $1 AND {child} = $2{}",
        parent.0,
        scope.map(|(c, _)| format!(" AND {c} = $3")).unwrap_or_default()
    );
    for id in &gone {
        let mut q = sqlx::query(&delete).bind(parent.1).bind(*id);
        if let Some((_, v)) = scope {
            q = q.bind(v);
        }
        q.execute(&mut *conn).await?;
    }
    Ok((added, gone.len()))
}

/// The records of `table` imported as groups of rows and known by their name and a day (batches,
/// supervision rounds, campaigns): the stored ones by (name, `day` column), with their `cols`.
async fn by_name_and_day(
    conn: &mut AnyConnection,
    table: &str,
    cols: &[(&str, bool)],
    day: &str,
) -> Result<HashMap<(String, String), (i64, Vec<Val>)>, StoreError> {
    let names: Vec<&str> = cols.iter().map(|(c, _)| *c).collect();
    let sql = format!("SELECT id, {} FROM {table} ORDER BY id DESC", names.join(", "));
    keyed(conn, &sql, cols, |r| Ok((text(r, "name")?, text(r, day)?))).await
}

/// A value kept per record and year in `table` (the record in column `owner`, then `year` and
/// `column`): a category's landing targets, a project's annual plans. All of them, by (record,
/// year).
async fn yearly_values(conn: &mut AnyConnection, table: &str, owner: &str, column: &str) -> Result<HashMap<(i64, i64), i64>, StoreError> {
    let mut out = HashMap::new();
    for r in sqlx::query(&format!("SELECT {owner}, year, {column} FROM {table}"))
        .fetch_all(&mut *conn)
        .await?
    {
        out.insert((i64_(&r, owner)?, i64_(&r, "year")?), i64_(&r, column)?);
    }
    Ok(out)
}

/// Makes a record's value of `year` (see `yearly_values`) `value`, given what it was (`old`):
/// updated, inserted, or deleted when `None`. Returns what was done.
async fn set_yearly(
    conn: &mut AnyConnection,
    (table, owner, column): (&str, &str, &str),
    (id, year): (i64, i64),
    old: Option<i64>,
    value: Option<i64>,
) -> Result<Outcome, StoreError> {
    match (old, value) {
        _ if old == value => return Ok(Outcome::Unchanged),
        (Some(_), Some(v)) => {
            sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE {owner} = $2 AND year = $3"))
                .bind(v)
                .bind(id)
                .bind(year)
                .execute(&mut *conn)
                .await?
        }
        (None, Some(v)) => {
            sqlx::query(&format!("INSERT INTO {table} ({owner}, year, {column}) VALUES ($1, $2, $3)"))
                .bind(id)
                .bind(year)
                .bind(v)
                .execute(&mut *conn)
                .await?
        }
        (_, None) => {
            sqlx::query(&format!("DELETE FROM {table} WHERE {owner} = $1 AND year = $2"))
                .bind(id)
                .bind(year)
                .execute(&mut *conn)
                .await?
        }
    };
    Ok(if old.is_none() { Outcome::Created } else { Outcome::Changed })
}

/// Rows grouped by the record they describe (known by `key`), the groups in file order.
fn groups<T, K: std::hash::Hash + Eq + Clone>(rows: &[T], key: impl Fn(&T) -> K) -> Vec<Vec<&T>> {
    let mut at: HashMap<K, usize> = HashMap::new();
    let mut out: Vec<Vec<&T>> = Vec::new();
    for r in rows {
        let i = *at.entry(key(r)).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[i].push(r);
    }
    out
}

async fn locked_months(conn: &mut AnyConnection) -> Result<HashSet<(i64, i64)>, StoreError> {
    let mut out = HashSet::new();
    for r in sqlx::query("SELECT DISTINCT year, month FROM monthly_investment WHERE locked = 1")
        .fetch_all(&mut *conn)
        .await?
    {
        out.insert((i64_(&r, "year")?, i64_(&r, "month")?));
    }
    Ok(out)
}

impl Store {
    /// Applies a parsed import in one transaction: all or nothing. With `dry_run`, or when any
    /// row is bad, the transaction is rolled back and the outcome lists what would have been
    /// created and changed, and every bad row.
    pub async fn apply_import(
        &self,
        p: &Parsed,
        dry_run: bool,
        ctx: &AuditCtx,
        progress: Progress<'_>,
    ) -> Result<ImportOutcome, StoreError> {
        // Read before the write lock: a problem without a deadline gets the default limit.
        let calendar = if p.kind == ImportKind::Problems {
            self.calendar().await?
        } else {
            zhantu_domain::calendar::WorkCalendar::shipped().clone()
        };
        let mut tx = self.begin_locked().await?;
        let mut t = Tally {
            created: Vec::new(),
            changed: Vec::new(),
            unchanged: 0,
            removed: 0,
            errors: p.errors.clone(),
            progress,
        };
        let total = p.rows.len();
        progress(0, total);
        let c: &mut AnyConnection = &mut tx;
        let refs = Refs::load(c, p).await?;
        refs.check(p, &mut t.errors);
        let r = &refs;
        match &p.rows {
            Rows::Units(rows) => units::import_units(c, rows, &mut t).await?,
            Rows::People(rows) => people::import_people(c, rows, r, &mut t).await?,
            Rows::Categories(rows) => categories::import_categories(c, rows, &mut t).await?,
            Rows::Projects(rows) => self.import_projects(c, rows, r, &mut t).await?,
            Rows::ProjectYears(rows) => project_years::import_project_years(c, rows, r, &mut t).await?,
            Rows::StageHistory(rows) => stage_history::import_stage_history(c, rows, r, &mut t).await?,
            Rows::Nodes(rows) => import_nodes(c, rows, r, &mut t).await?,
            Rows::Investment(rows) => import_investment(c, self.engine, rows, r, &mut t).await?,
            Rows::Reports(rows) => reports::import_reports(c, rows, r, ctx, &mut t).await?,
            Rows::Fai(rows) => import_fai(c, self.engine, rows, &mut t).await?,
            Rows::Enterprises(rows) => import_enterprises(c, rows, &mut t).await?,
            Rows::Visits(rows) => visits::import_visits(c, rows, r, ctx, &mut t).await?,
            Rows::Problems(rows) => problems::import_problems(c, &calendar, rows, r, &mut t).await?,
            Rows::Batches(rows) => batches::import_batches(c, rows, r, &mut t).await?,
            Rows::Campaigns(rows) => campaigns::import_campaigns(c, rows, r, &mut t).await?,
            Rows::Supervision(rows) => supervision::import_supervision(c, rows, r, &mut t).await?,
            Rows::Land(rows) => land::import_land(c, rows, r, &mut t).await?,
            Rows::Results(rows) => results::import_results(c, rows, r, &mut t).await?,
            Rows::StatisticsCounted(rows) => statistics::import_counted(c, rows, r, &mut t).await?,
        }
        progress(total, total);
        let mut errors = std::mem::take(&mut t.errors);
        errors.sort_by_key(|e| e.row);
        let mut out = ImportOutcome {
            kind: p.kind.code().into(),
            dry_run,
            written: false,
            rows: p.data_rows,
            created: t.created.len(),
            changed: t.changed.len(),
            unchanged: t.unchanged,
            removed: t.removed,
            errors,
            warnings: Vec::new(),
        };
        if dry_run || !out.errors.is_empty() {
            tx.rollback().await?;
            return Ok(out);
        }
        let keys = |v: &[String]| v.iter().take(AUDIT_KEYS).cloned().collect::<Vec<_>>();
        append(
            &mut tx,
            ctx,
            &format!("import.{}", p.kind.code()),
            "import",
            None,
            None,
            Some(&json!({
                "kind": p.kind.code(), "sheet": p.sheet, "rows": out.rows,
                "created": out.created, "changed": out.changed, "unchanged": out.unchanged, "removed": out.removed,
                "created_keys": keys(&t.created), "changed_keys": keys(&t.changed),
            })),
        )
        .await?;
        tx.commit().await?;
        out.written = true;
        // The import is committed; the search index and the lights follow in their own
        // transactions. A reader's concurrent write can make SQLite refuse one (busy
        // snapshot): try again, and never report the committed import as failed.
        let search = matches!(
            p.kind,
            ImportKind::Projects | ImportKind::Nodes | ImportKind::Enterprises | ImportKind::Problems
        );
        // What a light looks at: the project, its nodes, the year's plan and investment, its
        // reports (and the approval clocks, which are not imported).
        let lights = matches!(
            p.kind,
            ImportKind::Projects | ImportKind::Nodes | ImportKind::ProjectYears | ImportKind::Investment | ImportKind::Reports
        );
        if out.created + out.changed + out.removed > 0 {
            for attempt in 1..=5 {
                let r = async {
                    if search {
                        self.reindex_search().await?;
                    }
                    if lights {
                        self.recompute_lights("import").await?;
                    }
                    Ok::<(), StoreError>(())
                }
                .await;
                match r {
                    Ok(()) => break,
                    Err(e) if attempt < 5 => {
                        tracing::warn!(error = %e, attempt, "refreshing search and lights after an import");
                        tokio_sleep(attempt).await;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "search index and lights not refreshed after an import");
                        out.warnings
                            .push("导入已完成，但搜索索引和亮灯未能刷新，将在下次每日任务时更新".into());
                    }
                }
            }
        }
        Ok(out)
    }
}
