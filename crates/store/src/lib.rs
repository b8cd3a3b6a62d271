//! The store: every read and write of zhantu's database.
//!
//! One `Store` serves both engines through sqlx's `Any` driver, chosen by the URL
//! (`sqlite://…` or a bare file path, `postgres://…`). Queries are written once in the SQL
//! both engines share (`$1` placeholders, dates as ISO text, money as integers, sums cast to
//! BIGINT); what differs between the dialects lives in `dialect.rs` and in the per-engine
//! `migrations/` folders.

mod accounts;
mod audit;
pub mod batches;
mod battle;
mod bulk;
pub mod cadence;
mod calendar;
pub mod campaigns;
pub mod categories;
mod choices;
mod clocks;
pub mod confidence;
mod copy;
pub mod critical_path;
mod dialect;
mod doc_kind;
pub mod enterprises;
mod error;
mod escalation;
pub mod field_work;
mod figures;
pub mod imports;
pub mod instructions;
pub mod land;
pub mod lead_clocks;
pub mod leads;
mod lights;
mod map;
mod nodes;
mod notify;
pub mod oc4ids;
mod overdue;
pub mod people;
pub mod planning;
pub mod problems;
pub mod programmes;
pub mod project_types;
mod projects;
mod refs;
mod reports;
pub mod results;
mod rollup;
mod row;
mod rules;
mod schedule;
mod search;
pub mod settings;
mod setup;
pub mod statistics;
pub mod supervision;
pub mod support;
pub mod todo;
pub mod units;
pub mod uplink;
pub mod webhooks;
mod writes;

pub use accounts::{ApiTokenInfo, NewUser, SessionUser, User, UserChange};
pub use audit::{AuditCtx, AuditEntry, AuditFilter, BrokenChain};
pub use battle::{MapNode, MapRow};
pub use bulk::{DataSize, LoadStats};
pub use calendar::{CalendarDay, CalendarYear};
pub use choices::{FilterChoices, Named, NamedRef, UnitChoice};
pub use clocks::{ClockExclusion, NewExclusion, ProjectClock, ProjectClocks};
pub use copy::{TABLES, TableSum};
pub use dialect::Engine;
pub use doc_kind::DocKind;
pub use error::StoreError;
pub use figures::{PeriodFigures, UnitRank, period_end};
pub use lights::{BoardRow, LightBoard, LightHistory, LightsRun, LitProject, Snapshot};
pub use map::DivisionCount;
pub use nodes::{DATE_CHANGE_REASONS, DateChange, EvidenceFile, EvidenceInfo, NewNode, NodeChange, NodeState};
pub use notify::{NewRed, Notification};
pub use overdue::{DueNodes, OverdueNode, OverduePage};
pub use projects::ProjectChange;
pub use projects::ProjectSort;
pub use projects::{NodeView, ProjectDetail, ProjectFilter, ProjectListItem, ProjectPage, StageChangeView};
pub use reports::{NewReport, ReportingTimeliness, UnitReporting, period_bounds};
pub use rules::RuleSetVersion;
pub use search::{NodeChoice, SearchHit};
pub use setup::SetupReport;
pub use todo::{RemindersRun, TodoReader, Waiting};

use chrono::NaiveDate;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;

#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    engine: Engine,
    /// The figures' in-memory roll-ups (`rollup.rs`), shared by the clones of a store.
    rollup: std::sync::Arc<tokio::sync::Mutex<Option<rollup::Rollup>>>,
    /// Projects per chunk of a full lights run (`lights.rs`).
    lights_chunk: i64,
    /// Seen to hold a district (`setup.rs`): once set up, a database stays so, and the
    /// clones of a store stop asking.
    set_up: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Each user's count of things to do (`todo.rs`), until something changes.
    waiting: todo::WaitingCache,
}

/// How to open a database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the database file if it does not exist (SQLite), then migrate.
    CreateOrMigrate,
    /// The database must already exist; migrate it to this version.
    ExistingOnly,
}

impl Store {
    /// Opens (and migrates) the database named by `url`: a PostgreSQL URL, a `sqlite:` URL or a
    /// plain file path.
    pub async fn open(url: &str, mode: OpenMode) -> Result<Store, StoreError> {
        install_default_drivers();
        let (engine, url) = dialect::normalize_url(url)?;
        if engine == Engine::Sqlite {
            let path = dialect::sqlite_path(&url);
            let exists = path == ":memory:" || std::path::Path::new(&path).exists();
            if !exists && mode == OpenMode::ExistingOnly {
                return Err(StoreError::Missing(path));
            }
            if exists && path != ":memory:" {
                check_sqlite_header(&path)?;
            }
            if let Some(parent) = std::path::Path::new(&path).parent() {
                if !parent.as_os_str().is_empty() && !parent.exists() {
                    std::fs::create_dir_all(parent).map_err(|e| StoreError::Io(format!("{}: {e}", parent.display())))?;
                }
            }
        }
        let max = if engine == Engine::Sqlite { 8 } else { 16 };
        let pool = AnyPoolOptions::new()
            .max_connections(max)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // WAL lets readers run beside the writer; FULL sync keeps every
                        // acknowledged commit across a crash; waits instead of "database is locked".
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| StoreError::Connect(e.to_string()))?;
        let store = Store {
            pool,
            engine,
            rollup: Default::default(),
            lights_chunk: lights::CHUNK,
            set_up: Default::default(),
            waiting: Default::default(),
        };
        store.migrate().await?;
        // A database from before the search index (or whose index was dropped) gets one now.
        let indexed: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM search_fts").fetch_one(&store.pool).await?;
        if indexed == 0 && !store.is_empty().await? {
            tracing::info!("building the full-text index");
            store.reindex_search().await?;
        }
        Ok(store)
    }

    /// This store with full lights runs going through `projects` ids at a time: for tests of
    /// the chunk boundaries (the default is `lights::CHUNK`).
    #[doc(hidden)]
    pub fn with_lights_chunk(mut self, projects: i64) -> Self {
        self.lights_chunk = projects.max(1);
        self
    }

    /// Refreshes the planner's statistics after a bulk write (see `Engine::analyze_sql`).
    pub(crate) async fn refresh_statistics(&self) -> Result<(), StoreError> {
        if let Some(sql) = self.engine.analyze_sql() {
            sqlx::query(sql).execute(&self.pool).await?;
        }
        Ok(())
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.engine {
            Engine::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        let newest = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        migrator.run(&self.pool).await.map_err(|e| match e {
            sqlx::migrate::MigrateError::VersionMissing(v) => StoreError::NewerDatabase {
                found: v,
                supported: newest,
            },
            other => StoreError::Migrate(other.to_string()),
        })
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// True while the database holds no district yet.
    pub async fn is_empty(&self) -> Result<bool, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units").fetch_one(&self.pool).await?;
        Ok(n == 0)
    }

    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The date the figures are computed as of: the `as_of` setting (the demo district lives
    /// on 2019-12-31), else today in China.
    pub async fn as_of(&self) -> Result<NaiveDate, StoreError> {
        match self.setting("as_of").await? {
            Some(s) => NaiveDate::from_str(&s).map_err(|_| StoreError::Corrupt(format!("settings.as_of = {s}"))),
            None => Ok(today_in_china()),
        }
    }
}

impl Store {
    /// The error for a write based on a stale version: names who changed the record last and
    /// when, from the audit log.
    pub async fn conflict(&self, entity: &str, id: i64) -> Result<StoreError, StoreError> {
        let last = self
            .audit_entries(&AuditFilter {
                entity: Some(entity.into()),
                entity_id: Some(id),
                limit: 1,
                ..Default::default()
            })
            .await?;
        Ok(match last.into_iter().next() {
            Some(e) => StoreError::Conflict {
                by: e.actor,
                at: beijing_time(&e.at),
            },
            None => StoreError::Conflict {
                by: "他人".into(),
                at: "刚才".into(),
            },
        })
    }
}

/// Refuses a file that is not a SQLite database before the pool tries (and retries) it.
fn check_sqlite_header(path: &str) -> Result<(), StoreError> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| StoreError::Io(format!("{path}: {e}")))?;
    let n = f.read(&mut head).map_err(|e| StoreError::Io(format!("{path}: {e}")))?;
    if n == 0 || &head[..n] == b"SQLite format 3\0" {
        return Ok(());
    }
    Err(StoreError::NotADatabase(path.to_string()))
}

/// An RFC 3339 timestamp as a clerk reads it: Beijing time to the minute (`2019-12-30 09:05`).
pub fn beijing_time(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(8))
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// Today's date in China (UTC+8), whatever the server's time zone.
pub fn today_in_china() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

#[cfg(test)]
mod tests {
    #[test]
    fn timestamps_read_in_beijing_time() {
        assert_eq!(super::beijing_time("2019-12-30T01:05:09.123Z"), "2019-12-30 09:05");
        assert_eq!(super::beijing_time("not a time"), "not a time");
    }
}
