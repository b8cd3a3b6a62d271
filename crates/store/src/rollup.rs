//! The figures' roll-ups, kept in memory and current.
//!
//! The year's figures need every node planned in the year, every problem raised in it and a
//! handful of per-project facts: a million rows at province scale, seconds to read, for a
//! page the cockpit shows on every visit. So each server process keeps those facts in
//! memory, one compact record per project and problem (a few tens of MB for a province),
//! built once and then brought up to date before each use from the `changes` log, which
//! triggers on every table the figures read fill in (migration 0013). Several processes on
//! one database each follow the log, so a change through one is in the next figures of all.
//!
//! Only the log's newest rows are read on each use (one indexed query when nothing changed).
//! PostgreSQL may commit a change after a later one, so there the log is re-read from a few
//! seconds back and rows already applied are skipped. A log row naming nothing (a unit moved
//! to another division), a log pruned past this process's position, or too many changes at
//! once rebuild everything. `Store::rollup_matches_rebuild` checks the incremental state
//! against a fresh build; the tests call it after writes of every kind.

use crate::dialect::Engine;
use crate::row::{i64_, opt_date, opt_text, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::AnyPool;
use sqlx::any::AnyRow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

/// More changes than this at once: rebuilding is cheaper than reloading one by one.
const REBUILD_ABOVE: usize = 20_000;
/// How far back the PostgreSQL log is re-read for changes committed out of order.
const LOOKBACK: Duration = Duration::from_secs(10);
/// Ids per `IN (…)` list when reloading.
const CHUNK: usize = 500;
/// Projects per read when building.
const BUILD_RANGE: i64 = 10_000;

/// Which projects to (re)load.
#[derive(Clone, Copy)]
enum Scope<'a> {
    Range(i64, i64),
    Ids(&'a [i64]),
}

/// What the figures need of one project.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ProjectRoll {
    /// The project's division code, else its unit's (a street's or the district's), else
    /// the database's district.
    pub division: Option<String>,
    /// The responsible unit (a unit reader's figures count their units' projects).
    pub unit_id: i64,
    pub stage: String,
    pub light: Option<String>,
    pub started_on: Option<NaiveDate>,
    pub planned_year: i32,
    /// (year, category id)
    pub categories: Vec<(i32, i64)>,
    /// (year, planned investment in 元)
    pub plans: Vec<(i32, i64)>,
    /// (year, month, amount in 元)
    pub investment: Vec<(i32, u32, i64)>,
    /// (planned, actual once closed) of every node
    pub nodes: Vec<(NaiveDate, Option<NaiveDate>)>,
}

/// What the figures need of one problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProblemRoll {
    /// Its unit's division code, else the database's district.
    pub division: Option<String>,
    pub unit_id: i64,
    pub raised_on: NaiveDate,
    pub closed_on: Option<NaiveDate>,
}

/// Does a division code fall under a filter (a code prefix: 33 the province, 3310 a city,
/// 331002 a district)? No filter: everything.
pub(crate) fn in_division(code: Option<&str>, filter: Option<&str>) -> bool {
    match filter {
        None => true,
        Some(f) => code.is_some_and(|c| c.starts_with(f)),
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Rolled {
    pub projects: HashMap<i64, ProjectRoll>,
    pub problems: HashMap<i64, ProblemRoll>,
}

/// The roll-ups and where in the change log they stand.
#[derive(Debug)]
pub(crate) struct Rollup {
    pub data: Rolled,
    /// The newest log row applied.
    watermark: i64,
    /// The newest log row when the roll-ups were built: a "reload everything" row up to
    /// here is in them already.
    built_at: i64,
    /// (when, watermark then): to re-read the log from `LOOKBACK` ago on PostgreSQL.
    history: VecDeque<(Instant, i64)>,
    /// Log rows above the lookback point already applied.
    applied: HashSet<i64>,
    refreshed: Instant,
    /// Results computed from the roll-ups as they stand (a year's figures per division),
    /// dropped with the first change applied.
    memo: HashMap<String, std::sync::Arc<dyn std::any::Any + Send + Sync>>,
}

/// A whole-number id list for `IN (…)` (ids are integers: nothing to escape).
fn id_list(ids: &[i64]) -> String {
    ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
}

impl Rolled {
    /// Loads the projects in `scope` and their nodes, categories, plans and investment. A
    /// project of a list of ids no longer in the database is removed.
    async fn load_projects(&mut self, pool: &AnyPool, engine: Engine, scope: Scope<'_>) -> Result<(), StoreError> {
        let (where_p, where_c) = match scope {
            Scope::Range(lo, hi) => (
                format!(" WHERE p.id BETWEEN {lo} AND {hi}"),
                format!(" WHERE project_id BETWEEN {lo} AND {hi}"),
            ),
            Scope::Ids(ids) => (
                format!(" WHERE p.id IN ({})", id_list(ids)),
                format!(" WHERE project_id IN ({})", id_list(ids)),
            ),
        };
        if let Scope::Ids(ids) = scope {
            for id in ids {
                self.projects.remove(id);
            }
        }
        for r in sqlx::query(&format!(
            "SELECT p.id, COALESCE(p.division_code, u.division_code, (SELECT value FROM settings WHERE key = 'district_division')) AS division, p.unit_id, p.stage, p.light, p.started_on, p.planned_year, p.node_pack \
             FROM projects p JOIN units u ON u.id = p.unit_id{where_p}"
        ))
        .fetch_all(pool)
        .await?
        {
            let mut roll = ProjectRoll {
                division: opt_text(&r, "division")?,
                unit_id: i64_(&r, "unit_id")?,
                stage: text(&r, "stage")?,
                light: opt_text(&r, "light")?,
                started_on: opt_date(&r, "started_on")?,
                planned_year: i64_(&r, "planned_year")? as i32,
                ..ProjectRoll::default()
            };
            // The lights job's node pack, where current, spares reading the node rows.
            if let Some(pack) = opt_text(&r, "node_pack")? {
                roll.nodes = crate::lights::pack_dates(&pack)?;
            }
            self.projects.insert(i64_(&r, "id")?, roll);
        }
        let unpacked = format!("{where_c} AND project_id IN (SELECT id FROM projects WHERE node_pack IS NULL)");
        let packed = engine.packed_agg(
            "planned_on || '\u{1f}' || CASE WHEN status = 'closed' THEN COALESCE(actual_on, '') ELSE '' END",
            "seq, id",
        );
        let nodes = format!("SELECT project_id, {packed} AS packed FROM nodes{unpacked} GROUP BY project_id");
        self.per_project(pool, &nodes, |p, r| {
            p.nodes = parse_dates(&text(r, "packed")?)?;
            Ok(())
        })
        .await?;
        let categories =
            format!("SELECT project_id, category_id, year FROM project_categories{where_c} ORDER BY project_id, year, category_id");
        self.per_project(pool, &categories, |p, r| {
            p.categories.push((i64_(r, "year")? as i32, i64_(r, "category_id")?));
            Ok(())
        })
        .await?;
        let plans = format!("SELECT project_id, year, planned_investment FROM annual_plans{where_c} ORDER BY project_id, year");
        self.per_project(pool, &plans, |p, r| {
            p.plans.push((i64_(r, "year")? as i32, i64_(r, "planned_investment")?));
            Ok(())
        })
        .await?;
        let investment =
            format!("SELECT project_id, year, month, amount FROM monthly_investment{where_c} ORDER BY project_id, year, month");
        self.per_project(pool, &investment, |p, r| {
            p.investment
                .push((i64_(r, "year")? as i32, i64_(r, "month")? as u32, i64_(r, "amount")?));
            Ok(())
        })
        .await
    }

    /// Hands each row of `sql` to the roll-up of its project (`project_id`), skipping projects
    /// not loaded.
    async fn per_project(
        &mut self,
        pool: &AnyPool,
        sql: &str,
        mut add: impl FnMut(&mut ProjectRoll, &AnyRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        for r in sqlx::query(sql).fetch_all(pool).await? {
            if let Some(p) = self.projects.get_mut(&i64_(&r, "project_id")?) {
                add(p, &r)?;
            }
        }
        Ok(())
    }

    async fn load_problems(&mut self, pool: &AnyPool, ids: Option<&[i64]>) -> Result<(), StoreError> {
        let filter = match ids {
            None => {
                self.problems.clear();
                String::new()
            }
            Some(ids) => {
                for id in ids {
                    self.problems.remove(id);
                }
                format!(" WHERE p.id IN ({})", id_list(ids))
            }
        };
        for r in sqlx::query(&format!(
            "SELECT p.id, COALESCE(u.division_code, (SELECT value FROM settings WHERE key = 'district_division')) AS division_code, p.unit_id, p.raised_on, p.closed_on FROM problems p JOIN units u ON u.id = p.unit_id{filter}"
        ))
        .fetch_all(pool)
        .await?
        {
            let raised_on = opt_date(&r, "raised_on")?.ok_or_else(|| StoreError::Corrupt("problems.raised_on".into()))?;
            self.problems.insert(
                i64_(&r, "id")?,
                ProblemRoll {
                    division: opt_text(&r, "division_code")?,
                    unit_id: i64_(&r, "unit_id")?,
                    raised_on,
                    closed_on: opt_date(&r, "closed_on")?,
                },
            );
        }
        Ok(())
    }

    async fn build(pool: &AnyPool, engine: Engine) -> Result<Rolled, StoreError> {
        // By ranges of ids, so that no more than a range's rows are held at once.
        let mut r = Rolled::default();
        let last: i64 = sqlx::query_scalar("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM projects")
            .fetch_one(pool)
            .await?;
        let mut lo = 1;
        while lo <= last {
            r.load_projects(pool, engine, Scope::Range(lo, lo + BUILD_RANGE - 1)).await?;
            lo += BUILD_RANGE;
        }
        r.load_problems(pool, None).await?;
        Ok(r)
    }
}

/// `planned␟actual` pairs separated by ␞, as packed above.
fn parse_dates(packed: &str) -> Result<Vec<(NaiveDate, Option<NaiveDate>)>, StoreError> {
    let date = |s: &str| s.parse::<NaiveDate>().map_err(|_| StoreError::Corrupt(format!("node date {s}")));
    packed
        .split('\u{1e}')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (planned, actual) = pair.split_once('\u{1f}').unwrap_or((pair, ""));
            Ok((date(planned)?, if actual.is_empty() { None } else { Some(date(actual)?) }))
        })
        .collect()
}

/// The log's bounds: (oldest row, newest row), 0 when empty.
async fn log_bounds(pool: &AnyPool) -> Result<(i64, i64), StoreError> {
    // Two subqueries: SQLite answers a lone MIN or MAX from the key's ends, but scans the
    // whole log (a million rows: 80 ms on every figures call) for both in one SELECT.
    let r = sqlx::query(
        "SELECT CAST(COALESCE((SELECT MIN(seq) FROM changes), 0) AS BIGINT) AS lo, \
         CAST(COALESCE((SELECT MAX(seq) FROM changes), 0) AS BIGINT) AS hi",
    )
    .fetch_one(pool)
    .await?;
    Ok((i64_(&r, "lo")?, i64_(&r, "hi")?))
}

impl Rollup {
    async fn build(pool: &AnyPool, engine: Engine) -> Result<Rollup, StoreError> {
        // The position first: a change landing while we read is then read again, harmlessly.
        let (_, watermark) = log_bounds(pool).await?;
        let data = Rolled::build(pool, engine).await?;
        let now = Instant::now();
        Ok(Rollup {
            data,
            watermark,
            built_at: watermark,
            history: VecDeque::from([(now, watermark)]),
            applied: HashSet::new(),
            refreshed: now,
            memo: HashMap::new(),
        })
    }

    /// Applies the log's rows since the last call. `Ok(false)`: a rebuild is needed.
    async fn catch_up(&mut self, pool: &AnyPool, engine: Engine) -> Result<bool, StoreError> {
        let (lo, hi) = log_bounds(pool).await?;
        if lo > self.watermark + 1 || self.refreshed.elapsed() > Duration::from_secs(12 * 3600) {
            return Ok(false); // pruned past us, or idle long enough that it may have been
        }
        let now = Instant::now();
        // SQLite commits one writer at a time, in log order: the watermark is exact.
        // PostgreSQL may commit a lower seq after a higher one: re-read from a while back.
        let from = match engine {
            Engine::Sqlite => self.watermark,
            Engine::Postgres => {
                while self.history.len() > 1 && self.history[1].0 + LOOKBACK <= now {
                    self.history.pop_front();
                }
                let back = self.history.front().map_or(self.watermark, |h| h.1);
                // Right after a build nothing earlier is known to be settled: look back a little.
                if self.history.len() == 1 && self.history[0].0 + LOOKBACK > now {
                    back.saturating_sub(1000).max(0)
                } else {
                    back
                }
            }
        };
        if hi <= from {
            return Ok(true);
        }
        let rows = sqlx::query("SELECT seq, project_id, problem_id FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2")
            .bind(from)
            .bind((REBUILD_ABOVE + 1) as i64)
            .fetch_all(pool)
            .await?;
        if rows.len() > REBUILD_ABOVE {
            return Ok(false);
        }
        let (mut projects, mut problems) = (Vec::new(), Vec::new());
        let mut seen = Vec::new();
        for r in &rows {
            let seq = i64_(r, "seq")?;
            if seq <= self.watermark && self.applied.contains(&seq) {
                continue;
            }
            seen.push(seq);
            match (crate::row::opt_i64(r, "project_id")?, crate::row::opt_i64(r, "problem_id")?) {
                (Some(p), _) => projects.push(p),
                (None, Some(q)) => problems.push(q),
                (None, None) if seq <= self.built_at => {}
                (None, None) => return Ok(false),
            }
        }
        if !projects.is_empty() || !problems.is_empty() {
            self.memo.clear();
        }
        projects.sort_unstable();
        projects.dedup();
        problems.sort_unstable();
        problems.dedup();
        for chunk in projects.chunks(CHUNK) {
            self.data.load_projects(pool, engine, Scope::Ids(chunk)).await?;
        }
        for chunk in problems.chunks(CHUNK) {
            self.data.load_problems(pool, Some(chunk)).await?;
        }
        let newest = seen.iter().copied().max().unwrap_or(self.watermark);
        self.watermark = self.watermark.max(newest);
        if engine == Engine::Postgres {
            self.applied.extend(seen);
            let floor = self.history.front().map_or(0, |h| h.1).saturating_sub(1000);
            self.applied.retain(|s| *s > floor);
            self.history.push_back((now, self.watermark));
        }
        self.refreshed = now;
        Ok(true)
    }
}

impl Store {
    /// Runs `f` over the roll-ups brought up to date.
    /// `f` over the up-to-date roll-ups, remembered under `key` until the next change: the
    /// cockpit's figures are read far more often than a project changes.
    pub(crate) async fn with_rollup_memo<T: Clone + Send + Sync + 'static>(
        &self,
        key: String,
        f: impl FnOnce(&Rolled) -> T,
    ) -> Result<T, StoreError> {
        let mut guard = self.rollup_up_to_date().await?;
        let r = guard.as_mut().expect("built by rollup_up_to_date");
        if let Some(hit) = r.memo.get(&key).and_then(|v| v.downcast_ref::<T>()) {
            return Ok(hit.clone());
        }
        let value = f(&r.data);
        r.memo.insert(key, std::sync::Arc::new(value.clone()));
        Ok(value)
    }

    /// The roll-ups, locked, caught up with the change log, or built if they cannot be.
    async fn rollup_up_to_date(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Rollup>>, StoreError> {
        let mut guard = self.rollup.lock().await;
        let fresh = match guard.as_mut() {
            Some(r) => r.catch_up(&self.pool, self.engine).await?,
            None => false,
        };
        if !fresh {
            let started = Instant::now();
            *guard = Some(Rollup::build(&self.pool, self.engine).await?);
            tracing::info!(ms = started.elapsed().as_millis() as u64, "figures roll-ups built");
        }
        Ok(guard)
    }

    /// Builds the roll-ups now (the server calls this at start, so the first visitor of
    /// the cockpit does not wait).
    pub async fn warm_rollup(&self) -> Result<(), StoreError> {
        self.rollup_up_to_date().await.map(|_| ())
    }

    /// Do the incrementally kept roll-ups equal a fresh build? `false` also when they were
    /// never built or could not catch up. (For tests: they call it after writes of every kind.)
    pub async fn rollup_matches_rebuild(&self) -> Result<bool, StoreError> {
        let mut guard = self.rollup.lock().await;
        if let Some(r) = guard.as_mut()
            && !r.catch_up(&self.pool, self.engine).await?
        {
            *guard = None;
        }
        let fresh = Rolled::build(&self.pool, self.engine).await?;
        let Some(kept) = guard.as_ref() else { return Ok(false) };
        for (id, p) in &fresh.projects {
            if kept.data.projects.get(id) != Some(p) {
                tracing::warn!(
                    "roll-up of project {id} differs: kept {:?}, rebuilt {p:?}",
                    kept.data.projects.get(id)
                );
            }
        }
        for (id, p) in &fresh.problems {
            if kept.data.problems.get(id) != Some(p) {
                tracing::warn!(
                    "roll-up of problem {id} differs: kept {:?}, rebuilt {p:?}",
                    kept.data.problems.get(id)
                );
            }
        }
        Ok(kept.data == fresh)
    }

    /// Drops log rows far behind the newest (the daily job calls it). A process whose
    /// position was dropped rebuilds on its next use.
    pub(crate) async fn prune_changes(&self, conn: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM changes WHERE seq < (SELECT MAX(seq) FROM changes) - 1000000")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
