//! Spreadsheet imports and exports. An import is applied in one transaction, all or nothing:
//! rows are matched to existing records (projects by code or external id, nodes by project and
//! external id or name, monthly investment by project and month, FAI by division and month,
//! enterprises by credit code, problems by external id), references (units, leaders, project
//! types) are resolved by name, and every bad row is collected. A dry run — or any bad row —
//! rolls the transaction back, so nothing is written; a real import appends one audit entry
//! with its counts. Exports write the same columns the importer reads, so an export imports
//! again unchanged.

use crate::audit::{AuditCtx, append, lock};
use crate::bulk::insert_values;
use crate::row::{SqlBuf, Val, i64_, opt_i64, opt_text, text};
use crate::{ProjectFilter, Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use zhantu_domain::imports::{ImportKind, Parsed, ProjectKey, RowError, Rows, export_columns};
use zhantu_domain::model::{NodeStatus, ProblemStatus};
use zhantu_domain::table::{Cell, Table};
use zhantu_domain::{LandArea, Money, Stage};

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

/// Keys of what was created and changed, for the audit entry (the first few hundred).
#[derive(Default)]
struct Tally {
    created: Vec<String>,
    changed: Vec<String>,
    unchanged: usize,
}

const AUDIT_KEYS: usize = 500;

impl Tally {
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

const PROJECT_COLS: &[(&str, bool)] = &[
    ("code", false),
    ("external_id", false),
    ("name", false),
    ("unit_id", true),
    ("leader_id", true),
    ("industry_code", false),
    ("project_type", false),
    ("stage", false),
    ("division_code", false),
    ("location", false),
    ("land_area_centi_mu", true),
    ("total_investment", true),
    ("investor", false),
    ("foreign_investment", true),
    ("planned_year", true),
    ("planned_start_on", false),
    ("started_on", false),
    ("completed_on", false),
    ("in_statistics_on", false),
    ("description", false),
];

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
        let mut tx = self.pool.begin().await?;
        lock(&mut tx).await?;
        let mut errors = p.errors.clone();
        let mut t = Tally::default();
        let total = p.rows.len();
        progress(0, total);
        let c: &mut AnyConnection = &mut tx;
        match &p.rows {
            Rows::Projects(rows) => self.import_projects(c, rows, &mut errors, &mut t, progress).await?,
            Rows::Nodes(rows) => import_nodes(c, rows, &mut errors, &mut t, progress).await?,
            Rows::Investment(rows) => import_investment(c, self.engine, rows, &mut errors, &mut t, progress).await?,
            Rows::Fai(rows) => import_fai(c, self.engine, rows, &mut errors, &mut t, progress).await?,
            Rows::Enterprises(rows) => import_enterprises(c, rows, &mut errors, &mut t, progress).await?,
            Rows::Problems(rows) => import_problems(c, rows, &mut errors, &mut t, progress).await?,
        }
        progress(total, total);
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

    async fn import_projects(
        &self,
        c: &mut AnyConnection,
        rows: &[zhantu_domain::imports::ProjectRow],
        errors: &mut Vec<RowError>,
        t: &mut Tally,
        progress: Progress<'_>,
    ) -> Result<(), StoreError> {
        let refs = refs(c).await?;
        let sel: Vec<&str> = PROJECT_COLS.iter().map(|(c, _)| *c).collect();
        let mut existing: HashMap<i64, Vec<Val>> = HashMap::new();
        let (mut by_code, mut by_external) = (HashMap::new(), HashMap::new());
        for r in sqlx::query(&format!("SELECT id, {} FROM projects", sel.join(", ")))
            .fetch_all(&mut *c)
            .await?
        {
            let id = i64_(&r, "id")?;
            let mut v = vals(&r, PROJECT_COLS)?;
            let code = opt_text(&r, "code")?;
            let ext = effective_external(id, &code, opt_text(&r, "external_id")?);
            if let Some(e) = &ext {
                by_external.insert(e.clone(), id);
                v[1] = Val::T(e.clone());
            }
            if let Some(code) = code {
                by_code.insert(code, id);
            }
            existing.insert(id, v);
        }
        let now = now();
        let mut inserts: Vec<Vec<Val>> = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if i % 1000 == 0 {
                progress(i, rows.len());
            }
            let mut bad = |col: &str, value: &str, reason: &str| errors.push(RowError::new(r.line, col, value, reason));
            let unit = refs.units.get(&r.unit).copied();
            if unit.is_none() {
                bad("责任单位", &r.unit, "系统中没有这个单位");
            }
            let leader = match &r.leader {
                Some(l) => match refs.people.get(l) {
                    Some(id) => Some(*id),
                    None => {
                        bad("联系领导", l, "系统中没有这个人员");
                        continue;
                    }
                },
                None => None,
            };
            let Some(ptype) = refs.types.get(&r.project_type).cloned() else {
                bad("项目类型", &r.project_type, "系统中没有这个项目类型");
                continue;
            };
            let Some(unit) = unit else { continue };
            let key = r
                .code
                .as_ref()
                .map(|c| c.as_str().to_string())
                .or_else(|| r.external_id.clone())
                .unwrap_or_else(|| format!("第{}行", r.line));
            let v: Vec<Val> = vec![
                r.code.as_ref().map(|c| c.as_str()).into(),
                r.external_id.clone().into(),
                (&r.name).into(),
                unit.into(),
                leader.into(),
                r.industry_code.clone().into(),
                ptype.into(),
                r.stage.code().into(),
                r.division.as_ref().map(|d| d.as_str()).into(),
                (&r.location).into(),
                r.land_area.map(|a| a.centi_mu()).into(),
                r.total_investment.yuan().into(),
                (&r.investor).into(),
                r.foreign.into(),
                r.planned_year.into(),
                r.planned_start_on.into(),
                r.started_on.into(),
                r.completed_on.into(),
                r.in_statistics_on.into(),
                (&r.description).into(),
            ];
            let found = r
                .code
                .as_ref()
                .and_then(|c| by_code.get(c.as_str()))
                .or_else(|| r.external_id.as_ref().and_then(|e| by_external.get(e)))
                .copied();
            match found {
                Some(id) => {
                    let old = &existing[&id];
                    // An export writes no external id for a coded project: keep what is there.
                    let mut v = v;
                    if r.external_id.is_none() {
                        v[1] = old[1].clone();
                    }
                    if dbg(old) == dbg(&v) {
                        t.unchanged += 1;
                        continue;
                    }
                    if let (Val::T(a), Val::T(b)) = (&old[7], &v[7])
                        && a != b
                    {
                        sqlx::query("INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, $2, $3, $4, '导入', 'import')")
                            .bind(id)
                            .bind(a.as_str())
                            .bind(b.as_str())
                            .bind(crate::today_in_china().to_string())
                            .execute(&mut *c)
                            .await?;
                    }
                    update_by_id(c, "projects", PROJECT_COLS, &v, ", version = version + 1", id).await?;
                    sqlx::query("UPDATE projects SET updated_at = $1 WHERE id = $2")
                        .bind(&now)
                        .bind(id)
                        .execute(&mut *c)
                        .await?;
                    t.changed(key);
                }
                None => {
                    let mut v = v;
                    v.push(now.clone().into());
                    v.push(now.clone().into());
                    inserts.push(v);
                    t.created(key);
                }
            }
        }
        if !errors.is_empty() {
            return Ok(());
        }
        let mut cols: Vec<&str> = sel.clone();
        cols.push("created_at");
        cols.push("updated_at");
        insert_values(c, self.engine, "projects", &cols, inserts)
            .await
            .map_err(|e| match e {
                StoreError::Database(d) if d.to_string().contains("UNIQUE") || d.to_string().contains("unique") => {
                    StoreError::Invalid("项目代码或外部编号与系统中已有项目重复".into())
                }
                other => other,
            })?;
        Ok(())
    }

    /// Every project matching `f` (any number), with the columns the project import reads.
    pub async fn export_projects(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let sel: Vec<String> = PROJECT_COLS.iter().map(|(c, _)| format!("p.{c}")).collect();
        let mut q = SqlBuf::new(&format!(
            "SELECT p.id, {}, u.name AS unit_name, pe.name AS leader_name FROM projects p JOIN units u ON u.id = p.unit_id LEFT JOIN people pe ON pe.id = p.leader_id",
            sel.join(", ")
        ));
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut t = Table::new("项目", export_columns(ImportKind::Projects));
        for r in &rows {
            let id = i64_(r, "id")?;
            let code = opt_text(r, "code")?;
            let ext = if code.is_some() {
                opt_text(r, "external_id")?
            } else {
                effective_external(id, &code, opt_text(r, "external_id")?)
            };
            let stage = Stage::from_code(&text(r, "stage")?).map(|s| s.label_zh()).unwrap_or("");
            t.push(vec![
                code.into(),
                ext.into(),
                text(r, "name")?.into(),
                text(r, "unit_name")?.into(),
                opt_text(r, "leader_name")?.into(),
                text(r, "project_type")?.into(),
                stage.into(),
                opt_text(r, "industry_code")?.into(),
                opt_text(r, "division_code")?.into(),
                text_cell(text(r, "location")?),
                opt_i64(r, "land_area_centi_mu")?.map(LandArea::from_centi_mu).into(),
                Money::from_yuan(i64_(r, "total_investment")?).into(),
                text_cell(text(r, "investor")?),
                if i64_(r, "foreign_investment")? != 0 { "是" } else { "否" }.into(),
                i64_(r, "planned_year")?.into(),
                date_cell(opt_text(r, "planned_start_on")?),
                date_cell(opt_text(r, "started_on")?),
                date_cell(opt_text(r, "completed_on")?),
                date_cell(opt_text(r, "in_statistics_on")?),
                text_cell(text(r, "description")?),
            ]);
        }
        Ok(t)
    }

    /// The nodes of every project matching `f`.
    pub async fn export_nodes(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT n.seq, n.name, n.external_id, n.planned_on, n.forecast_on, n.actual_on, n.status, p.id AS pid, p.code, p.external_id AS pext, u.name AS unit_name \
             FROM nodes n JOIN projects p ON p.id = n.project_id JOIN units u ON u.id = n.responsible_unit_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, n.seq, n.id");
        let mut t = Table::new("节点", export_columns(ImportKind::Nodes));
        for r in &q.query().fetch_all(&self.pool).await? {
            let code = opt_text(r, "code")?;
            let pext = if code.is_some() {
                None
            } else {
                effective_external(i64_(r, "pid")?, &code, opt_text(r, "pext")?)
            };
            let status = NodeStatus::from_code(&text(r, "status")?).map(|s| s.label_zh()).unwrap_or("");
            t.push(vec![
                code.into(),
                pext.into(),
                opt_text(r, "external_id")?.into(),
                i64_(r, "seq")?.into(),
                text(r, "name")?.into(),
                date_cell(opt_text(r, "planned_on")?),
                date_cell(opt_text(r, "forecast_on")?),
                date_cell(opt_text(r, "actual_on")?),
                text(r, "unit_name")?.into(),
                status.into(),
            ]);
        }
        Ok(t)
    }

    /// Monthly completed investment of every project matching `f`.
    pub async fn export_investment(&self, f: &ProjectFilter) -> Result<Table, StoreError> {
        let mut q = SqlBuf::new(
            "SELECT m.year, m.month, m.amount, p.id AS pid, p.code, p.external_id AS pext FROM monthly_investment m JOIN projects p ON p.id = m.project_id",
        );
        self.project_where(f, &mut q).await?;
        q.push(" ORDER BY p.id, m.year, m.month");
        let mut t = Table::new("月度投资", export_columns(ImportKind::Investment));
        for r in &q.query().fetch_all(&self.pool).await? {
            let code = opt_text(r, "code")?;
            let pext = if code.is_some() {
                None
            } else {
                effective_external(i64_(r, "pid")?, &code, opt_text(r, "pext")?)
            };
            t.push(vec![
                code.into(),
                pext.into(),
                format!("{}-{:02}", i64_(r, "year")?, i64_(r, "month")?).into(),
                Money::from_yuan(i64_(r, "amount")?).into(),
            ]);
        }
        Ok(t)
    }

    /// The statistics bureau's cumulative figures.
    pub async fn export_fai(&self) -> Result<Table, StoreError> {
        let mut t = Table::new("固定资产投资", export_columns(ImportKind::Fai));
        for r in sqlx::query("SELECT division_code, year, month, cumulative FROM fai_monthly ORDER BY division_code, year, month")
            .fetch_all(&self.pool)
            .await?
        {
            t.push(vec![
                text(&r, "division_code")?.into(),
                format!("{}-{:02}", i64_(&r, "year")?, i64_(&r, "month")?).into(),
                Money::from_yuan(i64_(&r, "cumulative")?).into(),
            ]);
        }
        Ok(t)
    }

    pub async fn export_enterprises(&self) -> Result<Table, StoreError> {
        let mut tags: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for r in sqlx::query("SELECT enterprise_id, tag FROM enterprise_tags ORDER BY tag")
            .fetch_all(&self.pool)
            .await?
        {
            tags.entry(i64_(&r, "enterprise_id")?).or_default().push(text(&r, "tag")?);
        }
        let mut t = Table::new("企业", export_columns(ImportKind::Enterprises));
        for r in sqlx::query("SELECT id, credit_code, name, industry_code, division_code FROM enterprises ORDER BY id")
            .fetch_all(&self.pool)
            .await?
        {
            let id = i64_(&r, "id")?;
            t.push(vec![
                text(&r, "credit_code")?.into(),
                text(&r, "name")?.into(),
                opt_text(&r, "industry_code")?.into(),
                opt_text(&r, "division_code")?.into(),
                text_cell(tags.get(&id).map(|v| v.join("、")).unwrap_or_default()),
            ]);
        }
        Ok(t)
    }

    /// Problems; one without an external id is exported as `WT<id>` (and matched so on import).
    pub async fn export_problems(&self) -> Result<Table, StoreError> {
        let mut t = Table::new("问题", export_columns(ImportKind::Problems));
        for r in sqlx::query(
            "SELECT q.id, q.external_id, p.id AS pid, p.code, p.external_id AS pext, q.category, q.description, u.name AS unit_name, q.raised_on, q.deadline, q.status, q.resolved_on, q.closed_on \
             FROM problems q JOIN units u ON u.id = q.unit_id LEFT JOIN projects p ON p.id = q.project_id ORDER BY q.id",
        )
        .fetch_all(&self.pool)
        .await?
        {
            let status = ProblemStatus::from_code(&text(&r, "status")?).map(|s| s.label_zh()).unwrap_or("");
            let code = opt_text(&r, "code")?;
            t.push(vec![
                opt_text(&r, "external_id")?.unwrap_or_else(|| format!("WT{}", i64_(&r, "id").unwrap_or(0))).into(),
                code.clone().into(),
                match (opt_i64(&r, "pid")?, &code) {
                    (Some(pid), None) => effective_external(pid, &code, opt_text(&r, "pext")?),
                    _ => None,
                }
                .into(),
                text(&r, "category")?.into(),
                text(&r, "description")?.into(),
                text(&r, "unit_name")?.into(),
                date_cell(opt_text(&r, "raised_on")?),
                date_cell(opt_text(&r, "deadline")?),
                status.into(),
                date_cell(opt_text(&r, "resolved_on")?),
                date_cell(opt_text(&r, "closed_on")?),
            ]);
        }
        Ok(t)
    }

    /// Names of the active units, for the templates' drop-down lists.
    pub async fn import_unit_names(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT name FROM units WHERE active = 1 ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| text(r, "name")).collect()
    }

    /// Codes of the project types, for the template's drop-down list.
    pub async fn project_type_codes(&self) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query("SELECT code FROM project_types ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| text(r, "code")).collect()
    }
}

fn text_cell(s: String) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
}

fn date_cell(s: Option<String>) -> Cell {
    s.and_then(|s| chrono::NaiveDate::from_str(&s).ok()).into()
}

async fn import_nodes(
    c: &mut AnyConnection,
    rows: &[zhantu_domain::imports::NodeRow],
    errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    const COLS: &[(&str, bool)] = &[
        ("seq", true),
        ("name", false),
        ("external_id", false),
        ("planned_on", false),
        ("forecast_on", false),
        ("actual_on", false),
        ("responsible_unit_id", true),
        ("status", false),
    ];
    let refs = refs(c).await?;
    let projects = ProjectIndex::load(c).await?;
    let mut existing: HashMap<i64, Vec<Val>> = HashMap::new();
    let mut by_ext: HashMap<(i64, String), i64> = HashMap::new();
    let mut by_name: HashMap<(i64, String), i64> = HashMap::new();
    let mut max_seq: HashMap<i64, i64> = HashMap::new();
    for r in sqlx::query(
        "SELECT id, project_id, seq, name, external_id, planned_on, forecast_on, actual_on, responsible_unit_id, status FROM nodes",
    )
    .fetch_all(&mut *c)
    .await?
    {
        let (id, pid) = (i64_(&r, "id")?, i64_(&r, "project_id")?);
        if let Some(e) = opt_text(&r, "external_id")? {
            by_ext.insert((pid, e), id);
        }
        by_name.entry((pid, text(&r, "name")?)).or_insert(id);
        let seq = i64_(&r, "seq")?;
        let m = max_seq.entry(pid).or_insert(0);
        *m = (*m).max(seq);
        existing.insert(id, vals(&r, COLS)?);
    }
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let Some(pid) = projects.find(&r.project) else {
            errors.push(RowError::new(r.line, "项目代码", r.project.describe(), "系统中没有这个项目"));
            continue;
        };
        let Some(unit) = refs.units.get(&r.unit).copied() else {
            errors.push(RowError::new(r.line, "责任单位", &r.unit, "系统中没有这个单位"));
            continue;
        };
        let found = r
            .external_id
            .as_ref()
            .and_then(|e| by_ext.get(&(pid, e.clone())))
            .or_else(|| by_name.get(&(pid, r.name.clone())))
            .copied();
        let status = r.status.unwrap_or(if r.actual_on.is_some() {
            NodeStatus::Closed
        } else {
            NodeStatus::Open
        });
        let key = format!("{}/{}", r.project.describe(), r.name);
        match found {
            Some(id) => {
                let old = &existing[&id];
                let seq = r.seq.map(Val::I).unwrap_or_else(|| old[0].clone());
                let ext = r.external_id.clone().map(Val::T).unwrap_or_else(|| old[2].clone());
                let v: Vec<Val> = vec![
                    seq,
                    (&r.name).into(),
                    ext,
                    r.planned_on.into(),
                    r.forecast_on.into(),
                    r.actual_on.into(),
                    unit.into(),
                    status.code().into(),
                ];
                if dbg(old) == dbg(&v) {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "nodes", COLS, &v, ", version = version + 1", id).await?;
                t.changed(key);
            }
            None => {
                let m = max_seq.entry(pid).or_insert(0);
                let seq = r.seq.unwrap_or(*m + 1);
                *m = (*m).max(seq);
                let new_id: i64 = sqlx::query_scalar(
                    "INSERT INTO nodes (project_id, seq, name, external_id, planned_on, baseline_on, forecast_on, actual_on, responsible_unit_id, status) \
                     VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8, $9) RETURNING id",
                )
                .bind(pid)
                .bind(seq)
                .bind(&r.name)
                .bind(r.external_id.as_deref())
                .bind(r.planned_on.to_string())
                .bind(r.forecast_on.map(|d| d.to_string()))
                .bind(r.actual_on.map(|d| d.to_string()))
                .bind(unit)
                .bind(status.code())
                .fetch_one(&mut *c)
                .await?;
                by_name.insert((pid, r.name.clone()), new_id);
                t.created(key);
            }
        }
    }
    Ok(())
}

async fn import_investment(
    c: &mut AnyConnection,
    engine: crate::Engine,
    rows: &[zhantu_domain::imports::InvestmentRow],
    errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    let projects = ProjectIndex::load(c).await?;
    let locked = locked_months(c).await?;
    let mut existing: HashMap<(i64, i64, i64), i64> = HashMap::new();
    for r in sqlx::query("SELECT project_id, year, month, amount FROM monthly_investment")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(
            (i64_(&r, "project_id")?, i64_(&r, "year")?, i64_(&r, "month")?),
            i64_(&r, "amount")?,
        );
    }
    let mut inserts = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let month = format!("{}-{:02}", r.year, r.month);
        if locked.contains(&(r.year as i64, r.month as i64)) {
            errors.push(RowError::new(r.line, "月份", &month, "该月已锁定，不能再修改"));
            continue;
        }
        let Some(pid) = projects.find(&r.project) else {
            errors.push(RowError::new(r.line, "项目代码", r.project.describe(), "系统中没有这个项目"));
            continue;
        };
        let key = format!("{}/{month}", r.project.describe());
        match existing.get(&(pid, r.year as i64, r.month as i64)) {
            Some(a) if *a == r.amount.yuan() => t.unchanged += 1,
            Some(_) => {
                sqlx::query("UPDATE monthly_investment SET amount = $1 WHERE project_id = $2 AND year = $3 AND month = $4")
                    .bind(r.amount.yuan())
                    .bind(pid)
                    .bind(r.year as i64)
                    .bind(r.month as i64)
                    .execute(&mut *c)
                    .await?;
                t.changed(key);
            }
            None => {
                inserts.push(vec![pid.into(), r.year.into(), r.month.into(), r.amount.yuan().into()]);
                t.created(key);
            }
        }
    }
    if errors.is_empty() {
        insert_values(c, engine, "monthly_investment", &["project_id", "year", "month", "amount"], inserts).await?;
    }
    Ok(())
}

async fn import_fai(
    c: &mut AnyConnection,
    engine: crate::Engine,
    rows: &[zhantu_domain::imports::FaiRow],
    errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    let locked = locked_months(c).await?;
    let mut existing: HashMap<(String, i64, i64), i64> = HashMap::new();
    for r in sqlx::query("SELECT division_code, year, month, cumulative FROM fai_monthly")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(
            (text(&r, "division_code")?, i64_(&r, "year")?, i64_(&r, "month")?),
            i64_(&r, "cumulative")?,
        );
    }
    let mut inserts = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let month = format!("{}-{:02}", r.year, r.month);
        if locked.contains(&(r.year as i64, r.month as i64)) {
            errors.push(RowError::new(r.line, "月份", &month, "该月已锁定，不能再修改"));
            continue;
        }
        let key = format!("{}/{month}", r.division.as_str());
        match existing.get(&(r.division.as_str().to_string(), r.year as i64, r.month as i64)) {
            Some(a) if *a == r.cumulative.yuan() => t.unchanged += 1,
            Some(_) => {
                sqlx::query("UPDATE fai_monthly SET cumulative = $1 WHERE division_code = $2 AND year = $3 AND month = $4")
                    .bind(r.cumulative.yuan())
                    .bind(r.division.as_str())
                    .bind(r.year as i64)
                    .bind(r.month as i64)
                    .execute(&mut *c)
                    .await?;
                t.changed(key);
            }
            None => {
                inserts.push(vec![
                    r.division.as_str().into(),
                    r.year.into(),
                    r.month.into(),
                    r.cumulative.yuan().into(),
                ]);
                t.created(key);
            }
        }
    }
    if errors.is_empty() {
        insert_values(c, engine, "fai_monthly", &["division_code", "year", "month", "cumulative"], inserts).await?;
    }
    Ok(())
}

async fn import_enterprises(
    c: &mut AnyConnection,
    rows: &[zhantu_domain::imports::EnterpriseRow],
    _errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    const COLS: &[(&str, bool)] = &[("name", false), ("industry_code", false), ("division_code", false)];
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT enterprise_id, tag FROM enterprise_tags ORDER BY tag")
        .fetch_all(&mut *c)
        .await?
    {
        tags.entry(i64_(&r, "enterprise_id")?).or_default().push(text(&r, "tag")?);
    }
    let mut existing: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    for r in sqlx::query("SELECT id, credit_code, name, industry_code, division_code FROM enterprises")
        .fetch_all(&mut *c)
        .await?
    {
        existing.insert(text(&r, "credit_code")?, (i64_(&r, "id")?, vals(&r, COLS)?));
    }
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let v: Vec<Val> = vec![
            (&r.name).into(),
            r.industry_code.clone().into(),
            r.division.as_ref().map(|d| d.as_str()).into(),
        ];
        let key = r.credit_code.as_str().to_string();
        let id = match existing.get(&key) {
            Some((id, old)) => {
                let mut old_tags = tags.get(id).cloned().unwrap_or_default();
                old_tags.sort();
                if dbg(old) == dbg(&v) && old_tags == r.tags {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "enterprises", COLS, &v, ", version = version + 1", *id).await?;
                sqlx::query("DELETE FROM enterprise_tags WHERE enterprise_id = $1")
                    .bind(*id)
                    .execute(&mut *c)
                    .await?;
                t.changed(key);
                *id
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO enterprises (credit_code, name, industry_code, division_code) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(r.credit_code.as_str())
                .bind(&r.name)
                .bind(r.industry_code.as_deref())
                .bind(r.division.as_ref().map(|d| d.as_str()))
                .fetch_one(&mut *c)
                .await?;
                t.created(key);
                id
            }
        };
        for tag in &r.tags {
            sqlx::query("INSERT INTO enterprise_tags (enterprise_id, tag) VALUES ($1, $2)")
                .bind(id)
                .bind(tag)
                .execute(&mut *c)
                .await?;
        }
    }
    Ok(())
}

async fn import_problems(
    c: &mut AnyConnection,
    rows: &[zhantu_domain::imports::ProblemRow],
    errors: &mut Vec<RowError>,
    t: &mut Tally,
    progress: Progress<'_>,
) -> Result<(), StoreError> {
    const COLS: &[(&str, bool)] = &[
        ("external_id", false),
        ("project_id", true),
        ("category", false),
        ("description", false),
        ("unit_id", true),
        ("raised_on", false),
        ("deadline", false),
        ("status", false),
        ("resolved_on", false),
        ("closed_on", false),
    ];
    let refs = refs(c).await?;
    let projects = ProjectIndex::load(c).await?;
    let mut existing: HashMap<String, (i64, Vec<Val>)> = HashMap::new();
    for r in sqlx::query("SELECT id, external_id, project_id, category, description, unit_id, raised_on, deadline, status, resolved_on, closed_on FROM problems")
        .fetch_all(&mut *c)
        .await?
    {
        let id = i64_(&r, "id")?;
        let mut v = vals(&r, COLS)?;
        let ext = opt_text(&r, "external_id")?.unwrap_or_else(|| format!("WT{id}"));
        v[0] = Val::T(ext.clone());
        existing.insert(ext, (id, v));
    }
    for (i, r) in rows.iter().enumerate() {
        if i % 1000 == 0 {
            progress(i, rows.len());
        }
        let project = match &r.project {
            Some(key) => match projects.find(key) {
                Some(id) => Some(id),
                None => {
                    errors.push(RowError::new(r.line, "项目代码", key.describe(), "系统中没有这个项目"));
                    continue;
                }
            },
            None => None,
        };
        let Some(unit) = refs.units.get(&r.unit).copied() else {
            errors.push(RowError::new(r.line, "责任单位", &r.unit, "系统中没有这个单位"));
            continue;
        };
        let v: Vec<Val> = vec![
            (&r.external_id).into(),
            project.into(),
            (&r.category).into(),
            (&r.description).into(),
            unit.into(),
            r.raised_on.into(),
            r.deadline.into(),
            r.status.code().into(),
            r.resolved_on.into(),
            r.closed_on.into(),
        ];
        match existing.get(&r.external_id) {
            Some((id, old)) => {
                if dbg(old) == dbg(&v) {
                    t.unchanged += 1;
                    continue;
                }
                update_by_id(c, "problems", COLS, &v, ", version = version + 1", *id).await?;
                t.changed(r.external_id.clone());
            }
            None => {
                let cols: Vec<&str> = COLS.iter().map(|(c, _)| *c).collect();
                let ph: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
                bind_all(
                    sqlx::query(&format!("INSERT INTO problems ({}) VALUES ({})", cols.join(", "), ph.join(", "))),
                    &v,
                )
                .execute(&mut *c)
                .await?;
                t.created(r.external_id.clone());
            }
        }
    }
    Ok(())
}
