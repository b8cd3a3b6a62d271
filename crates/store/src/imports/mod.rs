//! Spreadsheet imports and exports. An import is applied in one transaction, all or nothing:
//! rows are matched to existing records (projects by code or external id, nodes by project and
//! external id or name, monthly investment by project and month, FAI by division and month,
//! enterprises by credit code, problems by external id), references (units, leaders, project
//! types) are resolved by name, and every bad row is collected. A dry run — or any bad row —
//! rolls the transaction back, so nothing is written; a real import appends one audit entry
//! with its counts. Exports write the same columns the importer reads, so an export imports
//! again unchanged.
//!
//! This module applies an import; each kind's rows are matched and written in its own file
//! (`projects.rs`, `nodes.rs`, `investment.rs` with FAI, `enterprises.rs`, `problems.rs`), and
//! `export.rs` writes the same columns back out.

mod enterprises;
mod export;
mod investment;
mod nodes;
mod problems;
mod projects;

use crate::audit::{AuditCtx, append};
use crate::row::{Val, i64_, opt_i64, opt_text, text};
use crate::{Store, StoreError};
use enterprises::import_enterprises;
use investment::{import_fai, import_investment};
use nodes::import_nodes;
use problems::import_problems;
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::{HashMap, HashSet};
use zhantu_domain::imports::{ImportKind, Parsed, ProjectKey, RowError, Rows};

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
    errors: Vec<RowError>,
    progress: Progress<'a>,
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

fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    vals: &'q [Val],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
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

/// Names → ids of units and people, and project types by code or name.
struct Refs {
    units: HashMap<String, i64>,
    people: HashMap<String, i64>,
    types: HashMap<String, String>,
}

async fn refs(conn: &mut AnyConnection) -> Result<Refs, StoreError> {
    let mut units = HashMap::new();
    for r in sqlx::query("SELECT id, name FROM units WHERE active = 1 ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
    {
        units.entry(text(&r, "name")?).or_insert(i64_(&r, "id")?);
    }
    let mut people = HashMap::new();
    for r in sqlx::query("SELECT id, name FROM people WHERE active = 1 ORDER BY id")
        .fetch_all(&mut *conn)
        .await?
    {
        people.entry(text(&r, "name")?).or_insert(i64_(&r, "id")?);
    }
    let mut types = HashMap::new();
    for r in sqlx::query("SELECT code, name FROM project_types").fetch_all(&mut *conn).await? {
        let code = text(&r, "code")?;
        types.insert(text(&r, "name")?, code.clone());
        types.insert(code.clone(), code);
    }
    Ok(Refs { units, people, types })
}

/// Projects by code and by (effective) external id.
struct ProjectIndex {
    by_code: HashMap<String, i64>,
    by_external: HashMap<String, i64>,
}

impl ProjectIndex {
    async fn load(conn: &mut AnyConnection) -> Result<ProjectIndex, StoreError> {
        let mut ix = ProjectIndex {
            by_code: HashMap::new(),
            by_external: HashMap::new(),
        };
        for r in sqlx::query("SELECT id, code, external_id FROM projects")
            .fetch_all(&mut *conn)
            .await?
        {
            let id = i64_(&r, "id")?;
            let code = opt_text(&r, "code")?;
            if let Some(e) = effective_external(id, &code, opt_text(&r, "external_id")?) {
                ix.by_external.insert(e, id);
            }
            if let Some(c) = code {
                ix.by_code.insert(c, id);
            }
        }
        Ok(ix)
    }
    fn find(&self, key: &ProjectKey) -> Option<i64> {
        match key {
            ProjectKey::Code(c) => self.by_code.get(c.as_str()).copied(),
            ProjectKey::External(e) => self.by_external.get(e).copied(),
        }
    }
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
        let mut tx = self.begin_locked().await?;
        let mut t = Tally {
            created: Vec::new(),
            changed: Vec::new(),
            unchanged: 0,
            errors: p.errors.clone(),
            progress,
        };
        let total = p.rows.len();
        progress(0, total);
        let c: &mut AnyConnection = &mut tx;
        match &p.rows {
            Rows::Projects(rows) => self.import_projects(c, rows, &mut t).await?,
            Rows::Nodes(rows) => import_nodes(c, rows, &mut t).await?,
            Rows::Investment(rows) => import_investment(c, self.engine, rows, &mut t).await?,
            Rows::Fai(rows) => import_fai(c, self.engine, rows, &mut t).await?,
            Rows::Enterprises(rows) => import_enterprises(c, rows, &mut t).await?,
            Rows::Problems(rows) => import_problems(c, rows, &mut t).await?,
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
                "created": out.created, "changed": out.changed, "unchanged": out.unchanged,
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
        let lights = matches!(p.kind, ImportKind::Projects | ImportKind::Nodes);
        if out.created + out.changed > 0 {
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
