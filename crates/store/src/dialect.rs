//! Everything that differs between SQLite and PostgreSQL, in one place.

use crate::doc_kind::DocKind;
use crate::error::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }

    /// Rows per multi-row INSERT in bulk loads: both engines cap bound parameters (SQLite at
    /// 32,766, PostgreSQL at 65,535).
    pub fn max_params(self) -> usize {
        match self {
            Engine::Sqlite => 32_000,
            Engine::Postgres => 60_000,
        }
    }

    /// The placeholder of the `n`th (1-based) parameter in a bulk statement. SQLite resolves
    /// named parameters (`$n`) by a linear search, which makes a statement with thousands of
    /// them quadratic to prepare; plain `?` is positional and costs nothing.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Engine::Sqlite => "?".into(),
            Engine::Postgres => format!("${n}"),
        }
    }

    /// Makes the current transaction read one consistent snapshot. SQLite's read transactions
    /// in WAL mode already do.
    pub fn snapshot_sql(self) -> Option<&'static str> {
        match self {
            Engine::Sqlite => None,
            Engine::Postgres => Some("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"),
        }
    }

    /// The column that identifies a search document (`rowid` of the FTS5 table).
    pub fn fts_id_column(self) -> &'static str {
        match self {
            Engine::Sqlite => "rowid",
            Engine::Postgres => "doc_id",
        }
    }

    /// A condition on `search_fts` matching documents that hold every term (terms are letters
    /// and digits only: `zhantu_domain::search` makes them so), bound as `$1`.
    pub fn fts_match(self, terms: &[String]) -> (&'static str, String) {
        match self {
            Engine::Sqlite => (
                "search_fts MATCH $1",
                terms.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>().join(" AND "),
            ),
            Engine::Postgres => ("tsv @@ to_tsquery('simple', $1)", terms.join(" & ")),
        }
    }

    /// Selects the ids of the documents of `kind` matching the condition of `fts_match`.
    /// SQLite reads the kind from the document id itself (`rowid % 4`), so it never opens the
    /// FTS content rows: a common term in 100,000 names stays fast. PostgreSQL filters on the
    /// `kind` column, whose statistics let the planner walk the primary key in id order when
    /// a term is common and stop at the page's end (an expression on the id has none).
    pub fn fts_ids_sql(self, kind: DocKind, cond: &str) -> String {
        match self {
            Engine::Sqlite => format!("SELECT rowid / 4 FROM search_fts WHERE {cond} AND rowid % 4 = {}", kind.number()),
            Engine::Postgres => format!("SELECT doc_id / 4 FROM search_fts WHERE {cond} AND kind = '{}'", kind.code()),
        }
    }

    /// A condition: the document of `kind` whose id is `id_expr` matches the condition of
    /// `fts_match`. FTS5 answers a MATCH once per statement, so SQLite selects the matching
    /// ids and tests membership. PostgreSQL gets a correlated test by primary key, which it
    /// can run either way: walk the rows in the page's order and check each one's document,
    /// stopping at the page's end (a common term), or join the index's matches (a rare one).
    pub fn fts_filter_sql(self, kind: DocKind, id_expr: &str, cond: &str) -> String {
        match self {
            Engine::Sqlite => format!("{id_expr} IN ({})", self.fts_ids_sql(kind, cond)),
            Engine::Postgres => format!(
                "EXISTS (SELECT 1 FROM search_fts WHERE doc_id = {id_expr} * 4 + {} AND {cond})",
                kind.number()
            ),
        }
    }

    /// Joins `expr` over a group into one text, rows separated by U+001E, in `order`.
    pub fn packed_agg(self, expr: &str, order: &str) -> String {
        match self {
            Engine::Sqlite => format!("group_concat({expr}, '\u{1e}' ORDER BY {order})"),
            Engine::Postgres => format!("string_agg({expr}, '\u{1e}' ORDER BY {order})"),
        }
    }

    /// Refreshes the planner's statistics after a bulk write. PostgreSQL's planner chooses
    /// between walking an index in order and joining a full-text index's matches by them, and
    /// autovacuum would gather them only a minute or more later. SQLite's queries are written
    /// and measured for its built-in estimates, so it gathers none.
    pub fn analyze_sql(self) -> Option<&'static str> {
        match self {
            Engine::Sqlite => None,
            Engine::Postgres => Some("ANALYZE"),
        }
    }

    /// After rows were inserted with explicit ids, PostgreSQL's identity sequences must be
    /// moved past them; SQLite needs nothing.
    pub fn reset_id_sequence_sql(self, table: &str) -> Option<String> {
        match self {
            Engine::Sqlite => None,
            Engine::Postgres => Some(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )),
        }
    }
}

/// Accepts `postgres://…`, `postgresql://…`, `sqlite://path`, `sqlite:path` or a bare path,
/// and returns the engine with a URL sqlx understands.
pub fn normalize_url(url: &str) -> Result<(Engine, String), StoreError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(StoreError::BadUrl(url.into()));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((Engine::Postgres, url.to_string()));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let rest = rest.strip_prefix("//").unwrap_or(rest);
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let query = if query.is_empty() {
            "mode=rwc".to_string()
        } else {
            query.to_string()
        };
        return Ok((Engine::Sqlite, format!("sqlite://{path}?{query}")));
    }
    if url.contains("://") {
        return Err(StoreError::BadUrl(url.into()));
    }
    Ok((Engine::Sqlite, format!("sqlite://{url}?mode=rwc")))
}

/// The file path inside a normalized SQLite URL.
pub fn sqlite_path(url: &str) -> String {
    let rest = url.strip_prefix("sqlite://").unwrap_or(url);
    rest.split('?').next().unwrap_or(rest).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            normalize_url("data/z.db").unwrap(),
            (Engine::Sqlite, "sqlite://data/z.db?mode=rwc".into())
        );
        assert_eq!(normalize_url("sqlite:///tmp/z.db").unwrap().1, "sqlite:///tmp/z.db?mode=rwc");
        assert_eq!(normalize_url("postgres://u@localhost/z").unwrap().0, Engine::Postgres);
        assert!(normalize_url("mysql://x").is_err());
        assert_eq!(sqlite_path("sqlite:///tmp/z.db?mode=rwc"), "/tmp/z.db");
    }
}
