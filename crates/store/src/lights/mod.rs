//! Keeping lights current. The domain's rule engine (`zhantu_domain::rules`) decides the
//! colours and their reasons; this module gathers each project's facts, runs it, and writes
//! back only what changed (through a temporary table, so a full recompute of a province is a
//! few statements, not a million).

use crate::bulk::insert_values;
use crate::row::{Val, i64_, opt_date, opt_i64, opt_text, text};
use crate::{Store, StoreError};

mod history;
use chrono::{Datelike, NaiveDate};
pub use history::{LightHistory, LitProject, Snapshot};
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::ops::Range;
use std::time::{Duration, Instant};
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::clocks::ApprovalClock;
use zhantu_domain::critical_path::name_late_predecessors;
use zhantu_domain::lights::Light;
use zhantu_domain::lights::period_of;
use zhantu_domain::model::{NodeStatus, ReportPeriod};
use zhantu_domain::rules::{
    Context, InvestmentFacts, NodeFacts, ProjectFacts, ProjectVerdict, ReportingFacts, RuleSet, evaluate_all_parallel,
};
use zhantu_domain::webhooks::Event;
use zhantu_domain::{Money, Stage};

/// What a lights run did.
#[derive(Debug, Clone, Serialize)]
pub struct LightsRun {
    pub as_of: NaiveDate,
    pub rule_version: u32,
    pub projects: usize,
    pub nodes: usize,
    /// Projects and nodes whose light or reason changed.
    pub changed: usize,
    pub red: usize,
    pub yellow: usize,
    pub green: usize,
    pub elapsed_ms: u128,
    /// Projects that turned red in this run.
    #[serde(skip)]
    pub new_reds: Vec<crate::notify::NewRed>,
    /// Projects whose light moved from one colour to another in this run (not a first light):
    /// the `light.changed` events, gathered only when a webhook listens to them.
    #[serde(skip)]
    pub light_changes: Vec<serde_json::Value>,
    #[serde(skip)]
    gather_changes: bool,
}

/// The current light of a project, to compare with the new one.
type Current = (Option<String>, Option<String>);

/// A node's light, its reason and the reason in English, as stored and as newly computed.
type NodeLight = (Option<String>, Option<String>, Option<String>);

/// A project's stored light and node pack (`None`: voided by a node change).
struct ProjectNow {
    light: Current,
    /// The reasons in English as stored (JSON).
    reasons_en: Option<String>,
    /// The nodes as they are now: the stored pack, or packed afresh where it was voided.
    pack: String,
    /// Was the pack stored (else it must be written)?
    stored: bool,
}

/// Projects per chunk of a full run (about 60 MB of rows and facts at a time).
pub(crate) const CHUNK: i64 = 10_000;

/// What every chunk of a run shares.
struct RunInputs {
    rules: RuleSet,
    calendar: WorkCalendar,
    clocks: Vec<ApprovalClock>,
    spans: HashMap<i64, Vec<(Option<String>, zhantu_domain::clocks::ExcludedSpan)>>,
}

struct Loaded {
    facts: Vec<ProjectFacts>,
    project_now: HashMap<i64, ProjectNow>,
}

/// A node in a pack: these fields, separated by U+001F; nodes (in `seq, id` order) by U+001E.
/// The light and its reasons come last (the run compares them from the end of each record).
const NODE_PACK_FIELDS: &str = "CAST(id AS TEXT) || '\u{1f}' || name || '\u{1f}' || planned_on || '\u{1f}' || COALESCE(actual_on, '') \
     || '\u{1f}' || status || '\u{1f}' || COALESCE(light, '') || '\u{1f}' || COALESCE(light_reason, '') \
     || '\u{1f}' || COALESCE(light_reason_en, '')";

/// Reads a pack into the rule engine's node facts, noting each node's current light in
/// `now` if given.
fn unpack_nodes(pack: &str, mut now: Option<&mut HashMap<i64, NodeLight>>) -> Result<Vec<NodeFacts>, StoreError> {
    let mut list = Vec::new();
    if pack.is_empty() {
        return Ok(list);
    }
    for row in pack.split('\u{1e}') {
        let f: Vec<&str> = row.split('\u{1f}').collect();
        let [id, name, planned, actual, status, light, reason, reason_en] = f[..] else {
            return Err(StoreError::Corrupt(format!("node row: {row}")));
        };
        let id: i64 = id.parse().map_err(|_| StoreError::Corrupt(format!("node id {id}")))?;
        let date = |s: &str| {
            s.parse::<NaiveDate>()
                .map_err(|_| StoreError::Corrupt(format!("node {id} date {s}")))
        };
        list.push(NodeFacts {
            id,
            name: name.to_string(),
            planned_on: date(planned)?,
            actual_on: if actual.is_empty() { None } else { Some(date(actual)?) },
            status: NodeStatus::from_code(status).ok_or_else(|| StoreError::Corrupt(format!("node status = {status}")))?,
        });
        if let Some(now) = now.as_deref_mut() {
            let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
            now.insert(id, (some(light), some(reason), some(reason_en)));
        }
    }
    Ok(list)
}

/// (planned, actual once closed) of each node of a pack: what the figures need.
pub(crate) fn pack_dates(pack: &str) -> Result<Vec<(NaiveDate, Option<NaiveDate>)>, StoreError> {
    Ok(unpack_nodes(pack, None)?
        .into_iter()
        .map(|n| (n.planned_on, if n.status == NodeStatus::Closed { n.actual_on } else { None }))
        .collect())
}

/// The pack of these nodes with these lights, exactly as `NODE_PACK_FIELDS` would build it.
fn pack_nodes<'a>(nodes: impl Iterator<Item = (&'a NodeFacts, &'a NodeLight)>) -> String {
    let mut out = String::new();
    for (i, (n, (light, reason, reason_en))) in nodes.enumerate() {
        if i > 0 {
            out.push('\u{1e}');
        }
        let actual = n.actual_on.map(|d| d.to_string()).unwrap_or_default();
        let fields = [
            &n.id.to_string(),
            n.name.as_str(),
            &n.planned_on.to_string(),
            &actual,
            n.status.code(),
            light.as_deref().unwrap_or(""),
            reason.as_deref().unwrap_or(""),
            reason_en.as_deref().unwrap_or(""),
        ];
        out.push_str(&fields.join("\u{1f}"));
    }
    out
}

/// The last month whose figures are closed on `as_of`: the month itself on its last day,
/// else the month before (0 in January: nothing closed yet).
fn closed_month(as_of: NaiveDate) -> u32 {
    let last_day = as_of.succ_opt().is_none_or(|d| d.month() != as_of.month());
    if last_day { as_of.month() } else { as_of.month() - 1 }
}

/// Rows for `write_lights`: (id, light, reason, reasons, pack, reasons in English); a node's
/// row has its one reason in English in the last.
type LightRows = Vec<Vec<Val>>;

/// Compares a chunk's verdicts with the lights and packs stored, counts them into `run`,
/// and returns the node rows and the project rows to write.
fn diff_lights(loaded: &Loaded, verdicts: &[ProjectVerdict], run: &mut LightsRun) -> Result<(LightRows, LightRows), StoreError> {
    let mut node_rows = Vec::new();
    let mut project_rows = Vec::new();
    for (v, p) in verdicts.iter().zip(&loaded.facts) {
        run.projects += 1;
        debug_assert_eq!(v.project_id, p.id);
        let reasons: Vec<&str> = v.reasons.iter().map(|r| r.sentence.as_str()).collect();
        let light = v.light.map(|l| l.code().to_string());
        let headline = v
            .headline()
            .map(|r| r.sentence.clone())
            .or_else(|| v.light.map(|l| format!("{}：按计划推进", l.label_zh())));
        match v.light {
            Some(Light::Red) => run.red += 1,
            Some(Light::Yellow) => run.yellow += 1,
            Some(Light::Green) => run.green += 1,
            None => {}
        }
        let reasons_json = serde_json::to_string(&reasons).ok();
        let reasons_en: Vec<&str> = v.reasons.iter().map(|r| r.en.as_str()).collect();
        let reasons_en = serde_json::to_string(&reasons_en).ok();
        let now = loaded.project_now.get(&p.id);
        let was_red = now.is_some_and(|n| n.light.0.as_deref() == Some("red"));
        if run.gather_changes
            && let Some(was) = now.and_then(|n| n.light.0.as_deref())
            && light.as_deref().is_some_and(|l| l != was)
        {
            let headline_en = v.headline().map(|r| r.en.clone());
            run.light_changes.push(serde_json::json!({
                "project_id": p.id, "from": was, "to": light, "as_of": run.as_of.to_string(),
                "reason": headline, "reason_en": headline_en,
            }));
        }
        if v.light == Some(Light::Red) && !was_red {
            run.new_reds.push(crate::notify::NewRed {
                project_id: p.id,
                unit_id: p.unit_id,
                name: String::new(),
                reason: headline.clone().unwrap_or_default(),
            });
        }
        let mut node_lights: HashMap<i64, NodeLight> = HashMap::with_capacity(p.nodes.len());
        for n in &v.nodes {
            let first = n.reasons.first();
            node_lights.insert(
                n.node_id,
                (
                    Some(n.light.code().to_string()),
                    first.map(|r| r.detail().to_string()),
                    first.map(|r| r.detail_en().to_string()),
                ),
            );
        }
        let mut new_lights = Vec::with_capacity(p.nodes.len());
        for n in &p.nodes {
            run.nodes += 1;
            // A closed node has done its part: it shows no light.
            new_lights.push(match node_lights.remove(&n.id) {
                Some(l) if n.status != NodeStatus::Closed => l,
                _ => (None, None, None),
            });
        }
        let current = now.map_or("", |n| n.pack.as_str());
        // The facts came from the current pack, node for node: where every node's light
        // and reasons read the same there, nothing of the nodes changed.
        let same = {
            let mut records = current.split('\u{1e}').filter(|r| !r.is_empty());
            new_lights.iter().all(|(light, reason, reason_en)| {
                records.next().is_some_and(|rec| {
                    let mut f = rec.rsplitn(4, '\u{1f}');
                    let (was_en, was_reason, was_light) = (f.next().unwrap_or(""), f.next().unwrap_or(""), f.next().unwrap_or(""));
                    was_light == light.as_deref().unwrap_or("")
                        && was_reason == reason.as_deref().unwrap_or("")
                        && was_en == reason_en.as_deref().unwrap_or("")
                })
            }) && records.next().is_none()
        };
        let pack = if same {
            None
        } else {
            let mut was = HashMap::new();
            unpack_nodes(current, Some(&mut was))?;
            for (n, new) in p.nodes.iter().zip(&new_lights) {
                if was.get(&n.id) != Some(new) {
                    node_rows.push(vec![
                        Val::I(n.id),
                        new.0.clone().into(),
                        new.1.clone().into(),
                        Val::NullT,
                        Val::NullT,
                        new.2.clone().into(),
                    ]);
                }
            }
            Some(pack_nodes(p.nodes.iter().zip(&new_lights)))
        };
        let light_changed =
            now.map(|n| &n.light) != Some(&(light.clone(), reasons_json.clone())) || now.map(|n| &n.reasons_en) != Some(&reasons_en);
        let stored = now.is_some_and(|n| n.stored);
        if light_changed || pack.is_some() || !stored {
            let pack = pack.unwrap_or_else(|| current.to_string());
            project_rows.push(vec![
                Val::I(p.id),
                light.into(),
                headline.into(),
                reasons_json.into(),
                pack.into(),
                reasons_en.into(),
            ]);
        }
    }
    Ok((node_rows, project_rows))
}

impl Store {
    /// The facts of the projects whose ids are in `ids`.
    async fn load_facts(&self, conn: &mut AnyConnection, ids: Range<i64>, as_of: NaiveDate, run: &RunInputs) -> Result<Loaded, StoreError> {
        let within = |col: &str| format!("{col} >= {} AND {col} < {}", ids.start, ids.end);
        let year = as_of.year();
        let month = closed_month(as_of);
        // Each project's nodes come packed into one text: the one the last run stored in
        // `projects.node_pack`, or, where a node changed since (the triggers of 0012 voided
        // it), packed afresh from `nodes`. A full run reads a hundred thousand texts, not a
        // million node rows.
        let mut facts = Vec::new();
        let mut project_now = HashMap::new();
        let projects = sqlx::query(&format!(
            // The year's plan, its investment to the closed month and the newest reports
            // ride along as subqueries, each answered from an index (0012): one row per
            // project crosses the driver, not four.
            "SELECT p.id, p.unit_id, p.leader_id, p.stage, p.project_type, p.planned_year, p.planned_start_on, p.started_on, \
             p.in_statistics_on, p.light, p.light_reasons, p.light_reasons_en, p.node_pack, \
             (SELECT planned_investment FROM annual_plans ap WHERE ap.project_id = p.id AND ap.year = {year}) AS plan, \
             (SELECT CAST(SUM(amount) AS BIGINT) FROM monthly_investment mi WHERE mi.year = {year} AND mi.project_id = p.id AND mi.month <= {month}) AS ytd, \
             (SELECT MAX(period_end) FROM progress_reports r WHERE r.project_id = p.id AND r.period_kind = 'week') AS last_week, \
             (SELECT MAX(period_end) FROM progress_reports r WHERE r.project_id = p.id AND r.period_kind = 'month') AS last_month \
             FROM projects p WHERE {} ORDER BY p.id",
            within("p.id")
        ))
        .fetch_all(&mut *conn)
        .await?;
        let mut repacked: HashMap<i64, String> = HashMap::new();
        let packed = self.engine.packed_agg(NODE_PACK_FIELDS, "seq, id");
        for r in sqlx::query(&format!(
            "SELECT project_id, {packed} AS packed FROM nodes \
             WHERE project_id IN (SELECT id FROM projects WHERE node_pack IS NULL AND {}) GROUP BY project_id",
            within("id")
        ))
        .fetch_all(&mut *conn)
        .await?
        {
            repacked.insert(i64_(&r, "project_id")?, text(&r, "packed")?);
        }
        for r in &projects {
            let id = i64_(r, "id")?;
            let stored = opt_text(r, "node_pack")?;
            let pack = match &stored {
                Some(p) => p.clone(),
                None => repacked.remove(&id).unwrap_or_default(),
            };
            let node_facts = unpack_nodes(&pack, None)?;
            let stage_code = text(r, "stage")?;
            let stage = Stage::from_code(&stage_code).ok_or_else(|| StoreError::Corrupt(format!("stage = {stage_code}")))?;
            let project_type = text(r, "project_type")?;
            let clocks = run
                .clocks
                .iter()
                .filter(|c| c.applies_to(&project_type))
                .map(|c| c.facts(&node_facts, crate::clocks::spans_for(&run.spans, id, &c.name)))
                .collect();
            let planned_year = i64_(r, "planned_year")? as i32;
            let ytd = opt_i64(r, "ytd")?;
            let required_from = NaiveDate::from_ymd_opt(planned_year.max(year), 1, 1).unwrap_or(as_of);
            facts.push(ProjectFacts {
                id,
                unit_id: i64_(r, "unit_id")?,
                leader_id: opt_i64(r, "leader_id")?,
                stage,
                planned_start_on: opt_date(r, "planned_start_on")?,
                started_on: opt_date(r, "started_on")?,
                in_statistics_on: opt_date(r, "in_statistics_on")?,
                investment: opt_i64(r, "plan")?.filter(|p| *p > 0 && month > 0).map(|p| InvestmentFacts {
                    year,
                    through_month: month,
                    completed_ytd: Money::from_yuan(ytd.unwrap_or(0)),
                    annual_plan: Money::from_yuan(p),
                }),
                reporting: (required_from <= as_of).then_some(ReportingFacts {
                    required_from,
                    last_weekly_through: opt_date(r, "last_week")?,
                    last_monthly_through: opt_date(r, "last_month")?,
                }),
                nodes: node_facts,
                clocks,
            });
            project_now.insert(
                id,
                ProjectNow {
                    light: (opt_text(r, "light")?, opt_text(r, "light_reasons")?),
                    reasons_en: opt_text(r, "light_reasons_en")?,
                    pack,
                    stored: stored.is_some(),
                },
            );
        }
        Ok(Loaded { facts, project_now })
    }

    /// The ranges of project ids a run goes through: one project, or all in chunks of
    /// `lights_chunk`.
    async fn chunks(&self, conn: &mut AnyConnection, only: Option<i64>) -> Result<Vec<Range<i64>>, StoreError> {
        Ok(match only {
            Some(id) => std::iter::once(id..id + 1).collect(),
            None => {
                // Two subqueries, each answered from the key's end (both in one SELECT, SQLite
                // would scan the table).
                let row = sqlx::query("SELECT (SELECT MIN(id) FROM projects) AS lo, (SELECT MAX(id) FROM projects) AS hi")
                    .fetch_one(&mut *conn)
                    .await?;
                match (opt_i64(&row, "lo")?, opt_i64(&row, "hi")?) {
                    (Some(lo), Some(hi)) => (lo..=hi)
                        .step_by(self.lights_chunk as usize)
                        .map(|from| from..(from + self.lights_chunk).min(hi + 1))
                        .collect(),
                    _ => Vec::new(),
                }
            }
        })
    }

    /// Runs the rules over all projects (or one) inside the caller's transaction and writes
    /// what changed. A full run goes through the projects in chunks of ids (`CHUNK`), each
    /// read, evaluated and written before the next, so its memory stays that of one chunk.
    async fn apply_lights(&self, conn: &mut AnyConnection, only: Option<i64>, as_of: NaiveDate) -> Result<LightsRun, StoreError> {
        let started = Instant::now();
        let inputs = RunInputs {
            rules: crate::rules::rule_set_on(conn).await?,
            calendar: self.calendar().await?,
            clocks: crate::clocks::active_clocks(conn, None).await?,
            spans: self.clock_exclusions(conn, only).await?,
        };
        let chunks = self.chunks(conn, only).await?;
        let ctx = Context {
            as_of,
            calendar: &inputs.calendar,
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut run = LightsRun {
            as_of,
            rule_version: inputs.rules.version,
            projects: 0,
            nodes: 0,
            changed: 0,
            red: 0,
            yellow: 0,
            green: 0,
            elapsed_ms: 0,
            new_reds: Vec::new(),
            light_changes: Vec::new(),
            gather_changes: crate::webhooks::listened(conn, Event::LightChanged).await?,
        };
        let (mut load, mut evaluate, mut write) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
        for ids in chunks {
            let at = Instant::now();
            let loaded = self.load_facts(conn, ids.clone(), as_of, &inputs).await?;
            let late = crate::critical_path::late_predecessors(conn, ids, as_of).await?;
            let loaded_at = Instant::now();
            let mut verdicts = evaluate_all_parallel(&inputs.rules, &loaded.facts, &ctx, threads);
            // A red or yellow node says which predecessor is overdue (critical_path, 0029).
            for v in verdicts.iter_mut() {
                name_late_predecessors(v, &late);
            }
            let evaluated_at = Instant::now();
            let (node_rows, project_rows) = diff_lights(&loaded, &verdicts, &mut run)?;
            run.changed += node_rows.len() + project_rows.len();
            // Every project whose node lights changed gets its new pack in the same
            // transaction: this is the only writer of node lights, which is why a light
            // alone does not void a pack (0016's trigger; other node columns do).
            self.write_lights(conn, "nodes", "light_reason", &[("light_reason_en", "reasons_en")], node_rows)
                .await?;
            self.write_lights(
                conn,
                "projects",
                "light_reason",
                &[
                    ("light_reasons", "reasons"),
                    ("node_pack", "pack"),
                    ("light_reasons_en", "reasons_en"),
                ],
                project_rows,
            )
            .await?;
            // This period's row of each project's light history, in the same transaction.
            let periods = [ReportPeriod::Week, ReportPeriod::Month].map(|k| (k, period_of(k, as_of)));
            self.write_snapshots(conn, &loaded.facts, &verdicts, &ctx, inputs.rules.version, &periods)
                .await?;
            // The light changes go out to the subscribers in the same transaction.
            if !run.light_changes.is_empty() {
                let at = crate::writes::now();
                for change in run.light_changes.drain(..) {
                    crate::webhooks::enqueue(conn, Event::LightChanged, &change, &at).await?;
                }
            }
            load += loaded_at - at;
            evaluate += evaluated_at - loaded_at;
            write += evaluated_at.elapsed();
        }
        if only.is_none() {
            tracing::info!(
                load_ms = load.as_millis() as u64,
                evaluate_ms = evaluate.as_millis() as u64,
                write_ms = write.as_millis() as u64,
                "lights recomputed"
            );
        }
        run.elapsed_ms = started.elapsed().as_millis();
        Ok(run)
    }

    async fn write_lights(
        &self,
        conn: &mut AnyConnection,
        table: &str,
        reason_col: &str,
        extra_cols: &[(&str, &str)],
        rows: LightRows,
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "CREATE TEMPORARY TABLE light_updates (id BIGINT PRIMARY KEY, light TEXT, reason TEXT, reasons TEXT, pack TEXT, reasons_en TEXT)",
        )
            .execute(&mut *conn)
            .await?;
        insert_values(
            conn,
            self.engine,
            "light_updates",
            &["id", "light", "reason", "reasons", "pack", "reasons_en"],
            rows,
        )
        .await?;
        // (column, the temporary table's column it is set from).
        let extra: String = extra_cols.iter().map(|(c, from)| format!(", {c} = light_updates.{from}")).collect();
        sqlx::query(&format!(
            "UPDATE {table} SET light = light_updates.light, {reason_col} = light_updates.reason{extra} FROM light_updates WHERE {table}.id = light_updates.id"
        ))
        .execute(&mut *conn)
        .await?;
        sqlx::query("DROP TABLE light_updates").execute(&mut *conn).await?;
        Ok(())
    }

    /// Recomputes one project's lights inside the caller's transaction.
    pub(crate) async fn refresh_project_lights(&self, conn: &mut AnyConnection, project_id: i64) -> Result<(), StoreError> {
        let as_of = self.as_of().await?;
        self.apply_lights(conn, Some(project_id), as_of).await.map(|_| ())
    }

    /// The lights job: every project, one transaction, recorded in `light_runs`. It takes the
    /// writer's lock first: every run writes (this period's history rows), and on SQLite a
    /// transaction that read before a concurrent writer committed could not write after it.
    pub async fn recompute_lights(&self, trigger: &str) -> Result<LightsRun, StoreError> {
        let mut tx = self.begin_locked().await?;
        let run = self.lights_run_in(&mut tx, trigger).await?;
        tx.commit().await?;
        self.announce_lights_run(run).await
    }

    /// A full run inside the caller's transaction, recorded in `light_runs`.
    pub(crate) async fn lights_run_in(&self, conn: &mut AnyConnection, trigger: &str) -> Result<(LightsRun, bool), StoreError> {
        let as_of = self.as_of().await?;
        let run = self.apply_lights(conn, None, as_of).await?;
        sqlx::query(
            "INSERT INTO light_runs (run_at, as_of, rule_version, projects, nodes, changed, red, yellow, green, elapsed_ms, trigger_kind) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(chrono::Utc::now().to_rfc3339())
        .bind(as_of.to_string())
        .bind(run.rule_version as i64)
        .bind(run.projects as i64)
        .bind(run.nodes as i64)
        .bind(run.changed as i64)
        .bind(run.red as i64)
        .bind(run.yellow as i64)
        .bind(run.green as i64)
        .bind(run.elapsed_ms as i64)
        .bind(trigger)
        .execute(&mut *conn)
        .await?;
        // The daily (or on-demand) run also keeps the figures' change log short.
        let announce = trigger != "load";
        if announce {
            self.prune_changes(conn).await?;
        }
        Ok((run, announce))
    }

    /// After a committed run: its new reds named and sent to the inbox and the robot.
    pub(crate) async fn announce_lights_run(&self, (mut run, announce): (LightsRun, bool)) -> Result<LightsRun, StoreError> {
        if announce {
            for r in run.new_reds.iter_mut() {
                r.name = sqlx::query_scalar("SELECT name FROM projects WHERE id = $1")
                    .bind(r.project_id)
                    .fetch_one(&self.pool)
                    .await?;
            }
            self.notify_lights(&run, &run.new_reds).await?;
        }
        Ok(run)
    }
}

/// One row of the light board: a unit or a leader with its roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
    pub id: i64,
    pub name: String,
    pub light: Option<Light>,
    pub red: u32,
    pub yellow: u32,
    pub green: u32,
    /// Approval clocks of its projects that closed over their limit (超时办结): the unit's
    /// approval timeliness, counted whatever the light rules make of them.
    pub late_clocks: i64,
}

/// Lights rolled up: the district, each unit (with the units below it), each leader.
#[derive(Debug, Clone, Serialize)]
pub struct LightBoard {
    pub district: BoardRow,
    pub units: Vec<BoardRow>,
    pub leaders: Vec<BoardRow>,
}

impl Store {
    /// Rolls the stored project lights up to units (through the unit tree) and leaders.
    pub async fn light_board(&self) -> Result<LightBoard, StoreError> {
        use zhantu_domain::rules::{roll_up, roll_up_by, roll_up_unit_tree};
        let rows = sqlx::query("SELECT unit_id, leader_id, light FROM projects WHERE stage <> 'terminated'")
            .fetch_all(&self.pool)
            .await?;
        let mut by_unit = Vec::new();
        let mut by_leader = Vec::new();
        for r in &rows {
            let light = opt_text(r, "light")?.as_deref().and_then(Light::from_code);
            by_unit.push((i64_(r, "unit_id")?, light));
            if let Some(l) = opt_i64(r, "leader_id")? {
                by_leader.push((l, light));
            }
        }
        let district = roll_up(by_unit.iter().map(|(_, l)| *l));
        let units = sqlx::query("SELECT id, parent_id, name FROM units ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?;
        let mut parent = HashMap::new();
        let mut names = Vec::new();
        for u in &units {
            let id = i64_(u, "id")?;
            if let Some(p) = opt_i64(u, "parent_id")? {
                parent.insert(id, p);
            }
            names.push((id, text(u, "name")?));
        }
        let tree = roll_up_unit_tree(&roll_up_by(by_unit), |u| parent.get(&u).copied());
        // Late clocks from this month's row of each project's history, added up the tree.
        let month_start = period_of(ReportPeriod::Month, self.as_of().await?).0;
        let mut late: HashMap<i64, i64> = HashMap::new();
        let mut late_by_leader: HashMap<i64, i64> = HashMap::new();
        let mut district_late = 0;
        for r in sqlx::query(
            "SELECT p.unit_id, p.leader_id, s.late_clocks FROM light_snapshots s JOIN projects p ON p.id = s.project_id \
             WHERE s.period_kind = 'month' AND s.period_start = $1 AND s.late_clocks > 0",
        )
        .bind(month_start.to_string())
        .fetch_all(&self.pool)
        .await?
        {
            let n = i64_(&r, "late_clocks")?;
            district_late += n;
            if let Some(l) = opt_i64(&r, "leader_id")? {
                *late_by_leader.entry(l).or_default() += n;
            }
            let mut at = Some(i64_(&r, "unit_id")?);
            let mut depth = 0;
            while let Some(u) = at.filter(|_| depth < 64) {
                *late.entry(u).or_default() += n;
                at = parent.get(&u).copied();
                depth += 1;
            }
        }

        let leaders = sqlx::query("SELECT id, name FROM people WHERE is_leader = 1 ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        let leader_rollups = roll_up_by(by_leader);
        let row = |id: i64, name: String, r: Option<&zhantu_domain::rules::Rollup>, late_clocks: i64| {
            let r = r.copied().unwrap_or_default();
            BoardRow {
                id,
                name,
                light: r.light,
                red: r.counts.red,
                yellow: r.counts.yellow,
                green: r.counts.green,
                late_clocks,
            }
        };
        let root = names.first().cloned().unwrap_or((0, String::new()));
        Ok(LightBoard {
            district: row(root.0, root.1, Some(&district), district_late),
            units: names
                .into_iter()
                .filter(|(id, _)| tree.contains_key(id))
                .map(|(id, name)| {
                    let n = late.get(&id).copied().unwrap_or(0);
                    row(id, name, tree.get(&id), n)
                })
                .collect(),
            leaders: leaders
                .iter()
                .map(|l| {
                    let id = i64_(l, "id")?;
                    let n = late_by_leader.get(&id).copied().unwrap_or(0);
                    Ok(row(id, text(l, "name")?, leader_rollups.get(&id), n))
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }
}
