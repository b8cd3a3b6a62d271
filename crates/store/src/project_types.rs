//! 项目类型 with its 节点模板 and approval clocks, kept by hand: the list, one type whole, a new
//! type, and a type saved whole (its steps and clocks replaced). The rules are the domain's
//! (`ProjectTypeSpec::checked`); every write is one transaction with its audit entry, refused
//! on a stale version. A template is only the plan of projects still to be planned: saving
//! one changes no existing node.

use crate::audit::AuditCtx;
use crate::row::{i64_, opt_text, read_all, text};
use crate::writes::{Tx, commit_audited, corrupt};
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use zhantu_domain::model::DayKind;
use zhantu_domain::project_types::{ProjectTypeSpec, TemplateStep, TypeClock};

/// A project type in the list.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTypeSummary {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub version: i64,
    pub steps: i64,
    pub clocks: i64,
    /// Projects of the type.
    pub projects: i64,
}

/// A project type whole: its template steps in order and its approval clocks.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectTypeRecord {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub version: i64,
    pub steps: Vec<TemplateStep>,
    pub clocks: Vec<TypeClock>,
    /// Clocks configured for every type (no type of their own): shown, not edited here.
    pub shared_clocks: Vec<TypeClock>,
    pub projects: i64,
}

impl ProjectTypeRecord {
    pub fn spec(&self) -> ProjectTypeSpec {
        ProjectTypeSpec {
            name: self.name.clone(),
            name_en: self.name_en.clone(),
            steps: self.steps.clone(),
            clocks: self.clocks.clone(),
        }
    }
}

/// The steps of a type's template in order. A step's stored `depends_on` is the seqs it waits
/// for (`1,3`, or empty for none); NULL, as every template before they were kept, is the step
/// just before it.
pub(crate) async fn template_steps(conn: &mut AnyConnection, code: &str) -> Result<Vec<TemplateStep>, StoreError> {
    let rows = sqlx::query(
        "SELECT seq, name, offset_days, owner_hint, depends_on, parallel FROM node_templates WHERE project_type = $1 ORDER BY seq",
    )
    .bind(code)
    .fetch_all(&mut *conn)
    .await?;
    let mut out: Vec<TemplateStep> = Vec::with_capacity(rows.len());
    for r in &rows {
        let depends_on = match opt_text(r, "depends_on")? {
            None => out.last().map(|s| vec![s.seq]).unwrap_or_default(),
            Some(list) => list
                .split(',')
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().parse::<i32>().map_err(|_| corrupt("node_templates.depends_on", &list)))
                .collect::<Result<_, _>>()?,
        };
        out.push(TemplateStep {
            seq: i64_(r, "seq")? as i32,
            name: text(r, "name")?,
            offset_days: i64_(r, "offset_days")? as i32,
            depends_on,
            owner_hint: text(r, "owner_hint")?,
            parallel: i64_(r, "parallel")? != 0,
        });
    }
    Ok(out)
}

/// The active clocks of a type (`Some(code)`) or of every type (`None`).
async fn clocks_of(conn: &mut AnyConnection, code: Option<&str>) -> Result<Vec<TypeClock>, StoreError> {
    let sql = match code {
        Some(_) => {
            "SELECT name, start_node, stop_node, limit_days, day_kind FROM approval_clocks WHERE project_type = $1 AND active = 1 ORDER BY id"
        }
        None => {
            "SELECT name, start_node, stop_node, limit_days, day_kind FROM approval_clocks WHERE project_type IS NULL AND active = 1 ORDER BY id"
        }
    };
    let mut q = sqlx::query(sql);
    if let Some(c) = code {
        q = q.bind(c);
    }
    read_all(q, &mut *conn, |r| {
        let kind = text(r, "day_kind")?;
        Ok(TypeClock {
            name: text(r, "name")?,
            start_node: text(r, "start_node")?,
            stop_node: text(r, "stop_node")?,
            limit_days: i64_(r, "limit_days")?.max(0) as u32,
            day_kind: DayKind::from_code(&kind).ok_or_else(|| corrupt("approval_clocks.day_kind", &kind))?,
        })
    })
    .await
}

async fn type_in(conn: &mut AnyConnection, code: &str) -> Result<ProjectTypeRecord, StoreError> {
    let row = sqlx::query(
        "SELECT t.code, t.name, t.name_en, t.version, (SELECT COUNT(*) FROM projects p WHERE p.project_type = t.code) AS projects \
         FROM project_types t WHERE t.code = $1",
    )
    .bind(code)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    Ok(ProjectTypeRecord {
        code: text(&row, "code")?,
        name: text(&row, "name")?,
        name_en: text(&row, "name_en")?,
        version: i64_(&row, "version")?,
        steps: template_steps(conn, code).await?,
        clocks: clocks_of(conn, Some(code)).await?,
        shared_clocks: clocks_of(conn, None).await?,
        projects: i64_(&row, "projects")?,
    })
}

fn snapshot(t: &ProjectTypeRecord) -> serde_json::Value {
    json!({ "code": t.code, "name": t.name, "name_en": t.name_en, "version": t.version, "steps": t.steps, "clocks": t.clocks })
}

/// Refuses a Chinese name another type has: people type a type by its name.
async fn check_name_free(tx: &mut Tx, name: &str, code: &str) -> Result<(), StoreError> {
    let other: Option<String> = sqlx::query_scalar("SELECT code FROM project_types WHERE name = $1 AND code <> $2")
        .bind(name)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?;
    match other {
        Some(other) => Err(StoreError::rule(
            "duplicate_project_type_name",
            format!("项目类型“{other}”已叫“{name}”：类型名称须唯一"),
        )),
        None => Ok(()),
    }
}

/// Writes the type's steps and clocks, replacing what it had.
async fn write_template(tx: &mut Tx, code: &str, spec: &ProjectTypeSpec) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM node_templates WHERE project_type = $1")
        .bind(code)
        .execute(&mut **tx)
        .await?;
    for s in &spec.steps {
        let depends_on: Vec<String> = s.depends_on.iter().map(|d| d.to_string()).collect();
        sqlx::query(
            "INSERT INTO node_templates (project_type, seq, name, offset_days, owner_hint, depends_on, parallel) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(code)
        .bind(s.seq as i64)
        .bind(&s.name)
        .bind(s.offset_days as i64)
        .bind(&s.owner_hint)
        .bind(depends_on.join(","))
        .bind(s.parallel as i64)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM approval_clocks WHERE project_type = $1")
        .bind(code)
        .execute(&mut **tx)
        .await?;
    for c in &spec.clocks {
        sqlx::query(
            "INSERT INTO approval_clocks (name, project_type, start_node, stop_node, limit_days, day_kind) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&c.name)
        .bind(code)
        .bind(&c.start_node)
        .bind(&c.stop_node)
        .bind(c.limit_days as i64)
        .bind(c.day_kind.code())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Ends a write of a type: its template written from `spec`, the type read back and audited
/// from `before` (none for a new type) as `action`, committed.
async fn commit_type(
    mut tx: Tx,
    ctx: &AuditCtx,
    action: &str,
    code: &str,
    spec: &ProjectTypeSpec,
    before: Option<&ProjectTypeRecord>,
) -> Result<ProjectTypeRecord, StoreError> {
    write_template(&mut tx, code, spec).await?;
    let after = type_in(&mut tx, code).await?;
    commit_audited(
        tx,
        ctx,
        (action, "project_type", None),
        before.map(snapshot).as_ref(),
        Some(&snapshot(&after)),
    )
    .await?;
    Ok(after)
}

/// The conflict of a stale write to a type: names who saved it last (its audit entries carry
/// the code, not a numeric id).
async fn stale_type(store: &Store, tx: Tx, code: &str) -> Result<StoreError, StoreError> {
    drop(tx);
    let last = sqlx::query("SELECT actor, at FROM audit_log WHERE entity = 'project_type' AND after_json LIKE $1 ORDER BY id DESC LIMIT 1")
        .bind(format!("%\"code\":{}%", json!(code)))
        .fetch_optional(&store.pool)
        .await?;
    crate::writes::conflict_by(last)
}

impl Store {
    /// The project types by code, with their counts of steps, clocks and projects.
    pub async fn list_project_types(&self) -> Result<Vec<ProjectTypeSummary>, StoreError> {
        read_all(
            sqlx::query(
                "SELECT t.code, t.name, t.name_en, t.version, \
                 (SELECT COUNT(*) FROM node_templates n WHERE n.project_type = t.code) AS steps, \
                 (SELECT COUNT(*) FROM approval_clocks c WHERE c.project_type = t.code AND c.active = 1) AS clocks, \
                 (SELECT COUNT(*) FROM projects p WHERE p.project_type = t.code) AS projects \
                 FROM project_types t ORDER BY t.code",
            ),
            &self.pool,
            |r| {
                Ok(ProjectTypeSummary {
                    code: text(r, "code")?,
                    name: text(r, "name")?,
                    name_en: text(r, "name_en")?,
                    version: i64_(r, "version")?,
                    steps: i64_(r, "steps")?,
                    clocks: i64_(r, "clocks")?,
                    projects: i64_(r, "projects")?,
                })
            },
        )
        .await
    }

    pub async fn project_type(&self, code: &str) -> Result<ProjectTypeRecord, StoreError> {
        type_in(&mut *self.pool.acquire().await?, code).await
    }

    /// A new type with its template (`spec` checked by the domain).
    pub async fn create_project_type(&self, code: &str, spec: &ProjectTypeSpec, ctx: &AuditCtx) -> Result<ProjectTypeRecord, StoreError> {
        let mut tx = self.begin_locked().await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT code FROM project_types WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::rule("duplicate_project_type", format!("项目类型代码“{code}”已存在")));
        }
        check_name_free(&mut tx, &spec.name, code).await?;
        sqlx::query("INSERT INTO project_types (code, name, name_en) VALUES ($1, $2, $3)")
            .bind(code)
            .bind(&spec.name)
            .bind(&spec.name_en)
            .execute(&mut *tx)
            .await?;
        commit_type(tx, ctx, "project_type.create", code, spec, None).await
    }

    /// Saves a type whole: its names, its template steps and its clocks (`spec` checked by
    /// the domain). Existing projects keep their nodes.
    pub async fn update_project_type(
        &self,
        code: &str,
        version: i64,
        spec: &ProjectTypeSpec,
        ctx: &AuditCtx,
    ) -> Result<ProjectTypeRecord, StoreError> {
        let mut tx = self.begin_locked().await?;
        let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM project_types WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *tx)
            .await?;
        match stored {
            None => return Err(StoreError::NotFound),
            Some(v) if v != version => return Err(stale_type(self, tx, code).await?),
            Some(_) => {}
        }
        let before = type_in(&mut tx, code).await?;
        check_name_free(&mut tx, &spec.name, code).await?;
        sqlx::query("UPDATE project_types SET name = $1, name_en = $2, version = version + 1 WHERE code = $3")
            .bind(&spec.name)
            .bind(&spec.name_en)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        commit_type(tx, ctx, "project_type.update", code, spec, Some(&before)).await
    }
}
