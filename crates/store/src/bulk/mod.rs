//! Loading a whole district (the demo, a generated province, later an import) in one
//! transaction, with multi-row INSERTs sized to each engine's parameter limit.

use crate::row::Val;
use crate::{Engine, Store, StoreError};
use sqlx::AnyConnection;
use zhantu_domain::dataset::Dataset;

mod enterprises;
mod outcomes;
mod programmes;
mod projects;
mod reference;

use enterprises::write_enterprises;
use outcomes::write_outcomes;
use programmes::write_programmes;
use projects::write_projects;
use reference::write_reference;

/// How many rows a load wrote.
#[derive(Debug, Default, Clone)]
pub struct LoadStats {
    pub projects: usize,
    pub nodes: usize,
    pub rows: usize,
}

/// How big a district's data is, for a benchmark's report.
#[derive(Debug, Default, Clone)]
pub struct DataSize {
    pub projects: i64,
    pub nodes: i64,
    pub progress_reports: i64,
    pub problems: i64,
    /// Distinct six-digit (county) prefixes of the projects' division codes.
    pub districts: i64,
    /// The database's size on disk, where the engine tells it.
    pub bytes: Option<i64>,
}

/// Inserts rows into `table` in multi-row statements (for copies between databases).
pub(crate) async fn insert_values(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    cols: &[&str],
    rows: Vec<Vec<Val>>,
) -> Result<usize, StoreError> {
    insert_rows(conn, engine, table, cols, rows).await
}

async fn insert_rows(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    cols: &[&str],
    rows: impl IntoIterator<Item = Vec<Val>>,
) -> Result<usize, StoreError> {
    let per_stmt = (engine.max_params() / cols.len()).clamp(1, 1000);
    let mut batch: Vec<Vec<Val>> = Vec::with_capacity(per_stmt);
    let mut written = 0;
    for row in rows {
        debug_assert_eq!(row.len(), cols.len(), "{table}");
        batch.push(row);
        if batch.len() == per_stmt {
            written += flush(conn, engine, table, cols, &mut batch).await?;
        }
    }
    if !batch.is_empty() {
        written += flush(conn, engine, table, cols, &mut batch).await?;
    }
    Ok(written)
}

/// Writes the tables of a data set one after another, counting the rows.
struct Loader<'c> {
    conn: &'c mut AnyConnection,
    engine: Engine,
    written: usize,
}

/// The rows of one table, their iterator's type erased: a future holding the iterators of
/// nested closures is not provably `Send` to rustc inside a web handler's future
/// (rust-lang/rust#102211), and a new district's setup runs in one.
type Rows<'a> = Box<dyn Iterator<Item = Vec<Val>> + Send + 'a>;

impl<'c> Loader<'c> {
    fn table<'s, I>(&'s mut self, table: &'s str, cols: &'s [&'s str], rows: I) -> impl Future<Output = Result<(), StoreError>> + Send + 's
    where
        I: IntoIterator<Item = Vec<Val>>,
        I::IntoIter: Send + 's,
        'c: 's,
    {
        let rows: Rows<'s> = Box::new(rows.into_iter());
        async move {
            self.written += insert_rows(self.conn, self.engine, table, cols, rows).await?;
            Ok(())
        }
    }
}

async fn flush(
    conn: &mut AnyConnection,
    engine: Engine,
    table: &str,
    cols: &[&str],
    batch: &mut Vec<Vec<Val>>,
) -> Result<usize, StoreError> {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
    let mut n = 0;
    for (i, _) in batch.iter().enumerate() {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&engine.placeholder(n));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for row in batch.drain(..) {
        for v in row {
            q = match v {
                Val::I(i) => q.bind(i),
                Val::T(t) => q.bind(t),
                Val::NullI => q.bind(None::<i64>),
                Val::NullT => q.bind(None::<String>),
            };
        }
    }
    Ok(q.execute(&mut *conn).await?.rows_affected() as usize)
}

impl Store {
    /// Creates the PostgreSQL database a URL names when the server says it does not exist
    /// (through the server's `postgres` database, so the role needs CREATEDB). True when it
    /// created one; a SQLite file is created by [`Store::open`] itself.
    pub async fn create_database_if_missing(url: &str) -> Result<bool, StoreError> {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let (engine, url) = crate::dialect::normalize_url(url)?;
        if engine != Engine::Postgres {
            return Ok(false);
        }
        let missing = match AnyConnection::connect(&url).await {
            Ok(conn) => {
                let _ = conn.close().await;
                return Ok(false);
            }
            Err(sqlx::Error::Database(e)) => e.code().as_deref() == Some("3D000"),
            Err(e) => return Err(StoreError::Connect(e.to_string())),
        };
        if !missing {
            return Ok(false);
        }
        let (base, rest) = url.rsplit_once('/').ok_or_else(|| StoreError::BadUrl(url.clone()))?;
        let (name, query) = rest.split_once('?').unwrap_or((rest, ""));
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(StoreError::BadUrl(url.clone()));
        }
        let admin = if query.is_empty() {
            format!("{base}/postgres")
        } else {
            format!("{base}/postgres?{query}")
        };
        let mut conn = AnyConnection::connect(&admin)
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await?;
        let _ = conn.close().await;
        Ok(true)
    }

    /// Counts of the main tables and the size on disk.
    pub async fn data_size(&self) -> Result<DataSize, StoreError> {
        let count = |sql: &'static str| async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&self.pool).await };
        let bytes = match self.engine {
            Engine::Sqlite => "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()",
            Engine::Postgres => "SELECT pg_database_size(current_database())",
        };
        Ok(DataSize {
            projects: count("SELECT COUNT(*) FROM projects").await?,
            nodes: count("SELECT COUNT(*) FROM nodes").await?,
            progress_reports: count("SELECT COUNT(*) FROM progress_reports").await?,
            problems: count("SELECT COUNT(*) FROM problems").await?,
            districts: count("SELECT COUNT(DISTINCT SUBSTR(division_code, 1, 6)) FROM projects").await?,
            bytes: count(bytes).await.ok(),
        })
    }

    /// Writes a whole data set into an empty database, all or nothing.
    pub async fn load_dataset(&self, ds: &Dataset) -> Result<LoadStats, StoreError> {
        let mut tx = self.pool.begin().await?;
        let stats = self.write_dataset(&mut tx, ds).await?;
        tx.commit().await?;
        self.reindex_search().await?;
        self.recompute_lights("load").await?;
        self.refresh_statistics().await?;
        Ok(stats)
    }

    /// Writes every table of a data set inside the caller's transaction, with the district's
    /// default light rules and the shipped holidays, and moves the id sequences past the ids
    /// written. `load_dataset` and a new district's setup (`init_district`) share it.
    pub(crate) async fn write_dataset(&self, conn: &mut AnyConnection, ds: &Dataset) -> Result<LoadStats, StoreError> {
        let now = chrono::Utc::now().to_rfc3339();
        let mut load = Loader {
            conn: &mut *conn,
            engine: self.engine,
            written: 0,
        };

        write_reference(&mut load, ds, &now).await?;
        let (projects, nodes) = write_projects(&mut load, ds, &now).await?;
        write_enterprises(&mut load, ds).await?;
        write_programmes(&mut load, ds).await?;
        let rows = write_outcomes(&mut load, ds).await?;

        for table in [
            "units",
            "people",
            "categories",
            "node_templates",
            "projects",
            "stage_changes",
            "nodes",
            "progress_reports",
            "enterprises",
            "enterprise_visits",
            "problems",
            "attraction_leads",
            "batches",
            "campaigns",
            "supervision_rounds",
            "approval_clocks",
            "land_ledger",
            "light_rule_sets",
        ] {
            if let Some(sql) = self.engine.reset_id_sequence_sql(table) {
                sqlx::query(&sql).execute(&mut *conn).await?;
            }
        }
        // The change log of a load into an empty database is every row just written: one
        // "reload everything" row says the same.
        sqlx::query("DELETE FROM changes").execute(&mut *conn).await?;
        sqlx::query("INSERT INTO changes (project_id) VALUES (NULL)")
            .execute(&mut *conn)
            .await?;
        Ok(LoadStats { projects, nodes, rows })
    }
}
