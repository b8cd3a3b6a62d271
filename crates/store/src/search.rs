//! Keeping the full-text index current and querying it. Terms come from
//! `zhantu_domain::search`; the SQL that differs between FTS5 and `tsvector` is in `dialect.rs`.

use crate::bulk::insert_values;
use crate::doc_kind::DocKind;
use crate::row::{Val, i64_, opt_text, read_all, text};
use crate::{Store, StoreError};
use serde::Serialize;
use sqlx::AnyConnection;
use zhantu_domain::search::{Query, index_terms, query_terms};

fn doc_id(kind: DocKind, id: i64) -> i64 {
    id * 4 + kind.number()
}

/// The sources of each kind's text, as (SQL selecting `id` and `t`, kind).
const SOURCES: [(&str, DocKind); 3] = [
    (
        "SELECT id, name || ' ' || COALESCE(code, '') || ' ' || investor || ' ' || location || ' ' || description AS t FROM projects",
        DocKind::Project,
    ),
    ("SELECT id, name || ' ' || credit_code AS t FROM enterprises", DocKind::Enterprise),
    ("SELECT id, category || ' ' || description AS t FROM problems", DocKind::Problem),
];

impl Store {
    /// Rebuilds the whole index (after a bulk load or a copy).
    pub async fn reindex_search(&self) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM search_fts").execute(&mut *tx).await?;
        let mut n = 0;
        for (sql, kind) in SOURCES {
            let rows = sqlx::query(sql).fetch_all(&mut *tx).await?;
            let docs = rows
                .iter()
                .map(|r| {
                    let id = i64_(r, "id")?;
                    let terms = index_terms(&opt_text(r, "t")?.unwrap_or_default());
                    Ok(vec![
                        Val::I(doc_id(kind, id)),
                        Val::T(terms),
                        Val::T(kind.code().into()),
                        Val::I(id),
                    ])
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            n += docs.len() as u64;
            insert_values(
                &mut tx,
                self.engine,
                "search_fts",
                &[self.engine.fts_id_column(), "tokens", "kind", "ref_id"],
                docs,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(n)
    }

    /// Re-indexes one project inside the caller's transaction.
    pub(crate) async fn reindex_project(&self, conn: &mut AnyConnection, id: i64) -> Result<(), StoreError> {
        self.reindex_doc(conn, DocKind::Project, id).await
    }

    /// Re-indexes one document (project, enterprise or problem) inside the caller's transaction.
    pub(crate) async fn reindex_doc(&self, conn: &mut AnyConnection, kind: DocKind, id: i64) -> Result<(), StoreError> {
        let (sql, kind) = SOURCES.into_iter().find(|s| s.1 == kind).expect("every kind has a source");
        let row = sqlx::query(&format!("{sql} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        sqlx::query(&format!("DELETE FROM search_fts WHERE {} = $1", self.engine.fts_id_column()))
            .bind(doc_id(kind, id))
            .execute(&mut *conn)
            .await?;
        if let Some(r) = row {
            let terms = index_terms(&text(&r, "t")?);
            insert_values(
                conn,
                self.engine,
                "search_fts",
                &[self.engine.fts_id_column(), "tokens", "kind", "ref_id"],
                vec![vec![
                    Val::I(doc_id(kind, id)),
                    Val::T(terms),
                    Val::T(kind.code().into()),
                    Val::I(id),
                ]],
            )
            .await?;
        }
        Ok(())
    }
}

impl crate::row::SqlBuf {
    /// Appends the full-text query selecting the ids of the documents of `kind` that match
    /// every term, its match text bound as the next placeholder.
    pub(crate) fn push_fts_ids(&mut self, engine: crate::Engine, kind: DocKind, terms: &[String]) -> &mut Self {
        let cond = self.bind_fts_match(engine, terms);
        self.push(&engine.fts_ids_sql(kind, &cond))
    }

    /// Appends the condition that the document of `kind` whose id is `id_expr` matches every
    /// term, its match text bound as the next placeholder.
    pub(crate) fn push_fts_filter(&mut self, engine: crate::Engine, kind: DocKind, id_expr: &str, terms: &[String]) -> &mut Self {
        let cond = self.bind_fts_match(engine, terms);
        self.push(&engine.fts_filter_sql(kind, id_expr, &cond))
    }

    fn bind_fts_match(&mut self, engine: crate::Engine, terms: &[String]) -> String {
        let (cond, arg) = engine.fts_match(terms);
        self.args.push(Val::T(arg));
        cond.replace("$1", &format!("${}", self.args.len()))
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: DocKind,
    pub id: i64,
    pub title: String,
    /// The owning unit (projects and problems), for access checks.
    pub unit_id: Option<i64>,
}

impl Store {
    /// Documents of `kind` matching `q` that the reader may see (`scope`: its units, or
    /// `None` for readers who see all). A one-character query scans titles instead.
    pub async fn search(&self, kind: DocKind, q: &str, scope: Option<&[i64]>, limit: i64) -> Result<Vec<SearchHit>, StoreError> {
        let (title_sql, unit_col) = match kind {
            DocKind::Project => ("SELECT id, name AS title, unit_id FROM projects", "unit_id"),
            DocKind::Enterprise => ("SELECT id, name AS title, NULL AS unit_id FROM enterprises", ""),
            DocKind::Problem => ("SELECT id, description AS title, unit_id FROM problems", "unit_id"),
        };
        let mut sql = crate::row::SqlBuf::new(title_sql);
        if zhantu_domain::search::is_single_cjk(q) {
            let col = if kind == DocKind::Problem { "description" } else { "name" };
            sql.push(&format!(" WHERE {col} LIKE ")).arg(format!("%{}%", q.trim()));
        } else {
            let Query::Terms(terms) = query_terms(q) else {
                return Ok(Vec::new());
            };
            // The matching ids stay in the database: a common term's thousands of them are
            // not read out and sent back as a list.
            // A reader who sees everything gets the first `limit` matches straight from the
            // index; a scoped one, the first 5,000, filtered by scope below.
            let inner = match (scope, unit_col.is_empty()) {
                (Some(_), false) => " LIMIT 5000)".to_string(),
                _ => format!(" ORDER BY {} LIMIT {})", self.engine.fts_id_column(), limit.clamp(1, 500)),
            };
            sql.push(" WHERE id IN (");
            sql.push_fts_ids(self.engine, kind, &terms);
            sql.push(&inner);
        }
        if let (Some(scope), false) = (scope, unit_col.is_empty()) {
            sql.push(&format!(" AND {unit_col} IN ")).in_list(scope.iter().copied());
        }
        sql.push(" ORDER BY id LIMIT ").arg(limit.clamp(1, 500));
        read_all(sql.query(), &self.pool, |r| {
            Ok(SearchHit {
                kind,
                id: i64_(r, "id")?,
                title: text(r, "title")?,
                unit_id: crate::row::opt_i64(r, "unit_id")?,
            })
        })
        .await
    }
}

/// A node as a picker offers it: by name, with what tells two apart (no id: people pick by
/// name and the form sends the name).
#[derive(Debug, Clone, Serialize)]
pub struct NodeChoice {
    pub name: String,
    pub planned_on: String,
    pub status: String,
}

impl Store {
    /// The projects called exactly `name` that the reader may see (`scope` as in
    /// [`Store::search`]): what a picker's typed or chosen name means.
    pub async fn projects_named(&self, name: &str, scope: Option<&[i64]>) -> Result<Vec<i64>, StoreError> {
        let mut sql = crate::row::SqlBuf::new("SELECT id FROM projects WHERE name = ");
        sql.arg(name.trim());
        if let Some(scope) = scope {
            sql.push(" AND unit_id IN ").in_list(scope.iter().copied());
        }
        sql.push(" ORDER BY id LIMIT 10");
        read_all(sql.query(), &self.pool, |r| i64_(r, "id")).await
    }

    /// The nodes of project `project_id` called exactly `name`.
    pub async fn nodes_named(&self, project_id: i64, name: &str) -> Result<Vec<i64>, StoreError> {
        let mut sql = crate::row::SqlBuf::new("SELECT id FROM nodes WHERE project_id = ");
        sql.arg(project_id).push(" AND name = ").arg(name.trim()).push(" ORDER BY seq");
        read_all(sql.query(), &self.pool, |r| i64_(r, "id")).await
    }

    /// A project's nodes in plan order, as a picker offers them.
    pub async fn node_choices(&self, project_id: i64) -> Result<Vec<NodeChoice>, StoreError> {
        let mut sql = crate::row::SqlBuf::new("SELECT name, planned_on, status FROM nodes WHERE project_id = ");
        sql.arg(project_id).push(" ORDER BY seq");
        read_all(sql.query(), &self.pool, |r| {
            Ok(NodeChoice {
                name: text(r, "name")?,
                planned_on: text(r, "planned_on")?,
                status: text(r, "status")?,
            })
        })
        .await
    }
}
