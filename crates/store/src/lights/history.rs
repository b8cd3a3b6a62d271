//! Each project's light per week and per month (亮灯历史): the row of the current periods is
//! written by every lights run (so re-running a day changes nothing, and the last run of a
//! period is what it keeps), with 转绿 when the previous period was red and this one is
//! green; a year's past periods are computed by running the rules as of each period's end
//! over the facts as they stood then. Also the list of lit projects with their reasons.

use super::RunInputs;
use crate::bulk::insert_values;
use crate::projects::ProjectFilter;
use crate::row::{SqlBuf, Val, i64_, opt_text, read_all, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::Stage;
use zhantu_domain::lights::{Light, period_ends, period_of, recovered};
use zhantu_domain::model::ReportPeriod;
use zhantu_domain::rules::{Context, ProjectFacts, ProjectVerdict, evaluate_all, late_closed_overrun};

/// One period's light of a project.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    pub period_kind: ReportPeriod,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The day the light was computed at (the period's end, or the data date for the
    /// current period).
    pub as_of: NaiveDate,
    pub light: Light,
    /// 转绿: red in the previous period, green in this one.
    pub recovered: bool,
    /// Approval clocks that had closed over their limit by then (超时办结).
    pub late_clocks: i64,
    /// The sentence that explained the light.
    pub reason: Option<String>,
    /// The same in English (`None` for rows written before it was kept: 0025).
    pub reason_en: Option<String>,
}

/// A project's light history, oldest first.
#[derive(Debug, Clone, Serialize)]
pub struct LightHistory {
    pub project_id: i64,
    pub weeks: Vec<Snapshot>,
    pub months: Vec<Snapshot>,
}

/// A lit project with every reason behind its light, in Chinese and in English.
#[derive(Debug, Clone, Serialize)]
pub struct LitProject {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub leader: Option<String>,
    pub stage: Stage,
    pub light: Light,
    /// Every red and yellow reason, worst first (`红灯：施工许可逾期23天`); for a green
    /// project, the one that explains it.
    pub reasons: Vec<String>,
    /// The same in English (empty for lights computed before they were kept).
    pub reasons_en: Vec<String>,
}

const SNAPSHOT_COLS: [&str; 11] = [
    "project_id",
    "period_kind",
    "period_start",
    "period_end",
    "as_of",
    "light",
    "recovered",
    "late_clocks",
    "reason",
    "rule_version",
    "reason_en",
];

fn date(r: &sqlx::any::AnyRow, col: &str) -> Result<NaiveDate, StoreError> {
    let s = text(r, col)?;
    s.parse().map_err(|_| StoreError::Corrupt(format!("light_snapshots.{col} = {s}")))
}

fn snapshot(r: &sqlx::any::AnyRow) -> Result<Snapshot, StoreError> {
    let kind = text(r, "period_kind")?;
    let light = text(r, "light")?;
    Ok(Snapshot {
        period_kind: ReportPeriod::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("period_kind = {kind}")))?,
        period_start: date(r, "period_start")?,
        period_end: date(r, "period_end")?,
        as_of: date(r, "as_of")?,
        light: Light::from_code(&light).ok_or_else(|| StoreError::Corrupt(format!("light = {light}")))?,
        recovered: i64_(r, "recovered")? != 0,
        late_clocks: i64_(r, "late_clocks")?,
        reason: opt_text(r, "reason")?,
        reason_en: opt_text(r, "reason_en")?,
    })
}

/// Only the red and yellow sentences of a stored list (the green ones explain nothing on a
/// list of lit projects).
fn lit_sentences(json: Option<String>, lit: impl Fn(&str) -> bool) -> Vec<String> {
    json.and_then(|j| serde_json::from_str::<Vec<String>>(&j).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|s| lit(s))
        .collect()
}

impl Store {
    /// Writes the rows of these periods for the projects of `facts` (ids ascending, as a
    /// chunk is loaded) with their verdicts computed at `ctx.as_of`; 转绿 against each
    /// project's row of the period before. A row already there is replaced.
    pub(super) async fn write_snapshots(
        &self,
        conn: &mut AnyConnection,
        facts: &[ProjectFacts],
        verdicts: &[ProjectVerdict],
        ctx: &Context<'_>,
        rule_version: u32,
        periods: &[(ReportPeriod, (NaiveDate, NaiveDate))],
    ) -> Result<(), StoreError> {
        let (Some(first), Some(last)) = (facts.first(), facts.last()) else {
            return Ok(());
        };
        let late: Vec<i64> = facts
            .iter()
            .map(|p| p.clocks.iter().filter(|c| late_closed_overrun(c, ctx).is_some()).count() as i64)
            .collect();
        let mut rows = Vec::with_capacity(facts.len() * periods.len());
        let mut unlit = Vec::new();
        for (kind, (start, end)) in periods {
            let before = period_of(*kind, start.pred_opt().unwrap_or(*start)).0;
            let previous: HashMap<i64, String> = read_all(
                sqlx::query(
                    "SELECT project_id, light FROM light_snapshots WHERE period_kind = $1 AND period_start = $2 \
                     AND project_id >= $3 AND project_id <= $4",
                )
                .bind(kind.code())
                .bind(before.to_string())
                .bind(first.id)
                .bind(last.id),
                &mut *conn,
                |r| Ok((i64_(r, "project_id")?, text(r, "light")?)),
            )
            .await?
            .into_iter()
            .collect();
            for ((p, v), late) in facts.iter().zip(verdicts).zip(&late) {
                let Some(light) = v.light else {
                    // Terminated: no light, so no row for this period.
                    unlit.push((p.id, *kind, *start));
                    continue;
                };
                let was = previous.get(&p.id).and_then(|l| Light::from_code(l));
                rows.push(vec![
                    Val::I(p.id),
                    kind.code().into(),
                    (*start).into(),
                    (*end).into(),
                    ctx.as_of.into(),
                    light.code().into(),
                    recovered(was, light).into(),
                    Val::I(*late),
                    v.headline().map(|r| r.sentence.clone()).into(),
                    rule_version.into(),
                    v.headline().map(|r| r.en.clone()).into(),
                ]);
            }
        }
        for (id, kind, start) in unlit {
            sqlx::query("DELETE FROM light_snapshots WHERE project_id = $1 AND period_kind = $2 AND period_start = $3")
                .bind(id)
                .bind(kind.code())
                .bind(start.to_string())
                .execute(&mut *conn)
                .await?;
        }
        if rows.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "CREATE TEMPORARY TABLE snapshot_updates (project_id BIGINT, period_kind TEXT, period_start TEXT, period_end TEXT, \
             as_of TEXT, light TEXT, recovered BIGINT, late_clocks BIGINT, reason TEXT, rule_version BIGINT, reason_en TEXT)",
        )
        .execute(&mut *conn)
        .await?;
        insert_values(conn, self.engine, "snapshot_updates", &SNAPSHOT_COLS, rows).await?;
        let cols = SNAPSHOT_COLS.join(", ");
        let set: Vec<String> = SNAPSHOT_COLS[3..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
        // `WHERE true`: SQLite would otherwise read `ON` as a join's.
        sqlx::query(&format!(
            "INSERT INTO light_snapshots ({cols}) SELECT {cols} FROM snapshot_updates WHERE true \
             ON CONFLICT (project_id, period_kind, period_start) DO UPDATE SET {}",
            set.join(", ")
        ))
        .execute(&mut *conn)
        .await?;
        sqlx::query("DROP TABLE snapshot_updates").execute(&mut *conn).await?;
        Ok(())
    }

    /// Computes the light history of the data date's year: for every week and month that
    /// ended before the data date, the rules in force run as of the period's end over each
    /// project's facts as they stood then (`ProjectFacts::as_known_on`); then the current
    /// periods, as the daily run writes them. Re-running it rewrites the same rows. Returns
    /// the number of past period ends computed.
    pub async fn backfill_light_history(&self) -> Result<usize, StoreError> {
        let as_of = self.as_of().await?;
        let year_start = NaiveDate::from_ymd_opt(chrono::Datelike::year(&as_of), 1, 1).unwrap_or(as_of);
        let mut tx = self.begin_locked().await?;
        let inputs = RunInputs {
            rules: crate::rules::rule_set_on(&mut tx).await?,
            calendar: self.calendar().await?,
            clocks: crate::clocks::active_clocks(&mut tx, None).await?,
            spans: self.clock_exclusions(&mut tx, None).await?,
        };
        let chunks = self.chunks(&mut tx, None).await?;
        let ends = period_ends(year_start, as_of);
        for (day, kinds) in &ends {
            let ctx = Context {
                as_of: *day,
                calendar: &inputs.calendar,
            };
            let periods: Vec<_> = kinds.iter().map(|k| (*k, period_of(*k, *day))).collect();
            for ids in &chunks {
                let loaded = self.load_facts(&mut tx, ids.clone(), *day, &inputs).await?;
                let facts: Vec<ProjectFacts> = loaded.facts.iter().map(|p| p.as_known_on(*day)).collect();
                let verdicts = evaluate_all(&inputs.rules, &facts, &ctx);
                self.write_snapshots(&mut tx, &facts, &verdicts, &ctx, inputs.rules.version, &periods)
                    .await?;
            }
        }
        // The current periods last: their 转绿 compares with the periods just written.
        self.apply_lights(&mut tx, None, as_of).await?;
        // Ratings loaded without the light they were given against (a data set's) take their
        // month's light from the history just written.
        sqlx::query(
            "UPDATE confidence_ratings SET light = (SELECT ls.light FROM light_snapshots ls WHERE ls.project_id = confidence_ratings.project_id \
             AND ls.period_kind = 'month' AND ls.period_start = confidence_ratings.month || '-01') WHERE light IS NULL",
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(ends.len())
    }

    /// A project's light per week and per month, oldest first.
    pub async fn light_history(&self, project_id: i64) -> Result<LightHistory, StoreError> {
        let all = read_all(
            sqlx::query(&format!(
                "SELECT {} FROM light_snapshots WHERE project_id = $1 ORDER BY period_start",
                SNAPSHOT_COLS.join(", ")
            ))
            .bind(project_id),
            &self.pool,
            snapshot,
        )
        .await?;
        let (weeks, months) = all.into_iter().partition(|s| s.period_kind == ReportPeriod::Week);
        Ok(LightHistory { project_id, weeks, months })
    }

    /// The projects of `light` among those `f` selects (the registry's filter: the same
    /// projects as `/projects?light=…`), by unit, each with its red and yellow reasons.
    pub async fn lit_projects(&self, f: &ProjectFilter) -> Result<Vec<LitProject>, StoreError> {
        let mut q = SqlBuf::new("SELECT p.id, p.name, u.name AS unit_name, pe.name AS leader_name, p.stage, ");
        match (f.light_month, f.light) {
            // A past month's list: the light and the headline reason it had then.
            (Some(month), Some(_)) => {
                q.push(
                    "ls.light, CAST(NULL AS TEXT) AS light_reasons, CAST(NULL AS TEXT) AS light_reasons_en, ls.reason AS month_reason, \
                     ls.reason_en AS month_reason_en",
                );
                q.push(crate::projects::LIST_FROM);
                q.push(" JOIN light_snapshots ls ON ls.project_id = p.id AND ls.period_kind = 'month' AND ls.period_start = ")
                    .arg(month.to_string());
                self.project_where(f, &mut q).await?;
            }
            _ => {
                q.push(
                    "p.light, p.light_reasons, p.light_reasons_en, CAST(NULL AS TEXT) AS month_reason, CAST(NULL AS TEXT) AS month_reason_en",
                );
                q.push(crate::projects::LIST_FROM);
                self.project_where(f, &mut q).await?;
                q.push(" AND p.light IS NOT NULL AND p.stage <> 'terminated'");
            }
        }
        q.push(" ORDER BY u.sort_order, u.id, p.id");
        let rows = q.query().fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let stage = text(r, "stage")?;
            let light = text(r, "light")?;
            let light = Light::from_code(&light).ok_or_else(|| StoreError::Corrupt(format!("light = {light}")))?;
            let lit_zh = |s: &str| s.starts_with("红灯") || s.starts_with("黄灯");
            let lit_en = |s: &str| s.starts_with("Red") || s.starts_with("Yellow");
            let (reasons, reasons_en) = if let Some(reason) = opt_text(r, "month_reason")? {
                (vec![reason], opt_text(r, "month_reason_en")?.into_iter().collect())
            } else if light == Light::Green {
                // A green project: its first reason says why (按计划推进, or a 转绿 mark).
                let all = |j| lit_sentences(j, |_| true).into_iter().take(1).collect();
                (all(opt_text(r, "light_reasons")?), all(opt_text(r, "light_reasons_en")?))
            } else {
                (
                    lit_sentences(opt_text(r, "light_reasons")?, lit_zh),
                    lit_sentences(opt_text(r, "light_reasons_en")?, lit_en),
                )
            };
            out.push(LitProject {
                id: i64_(r, "id")?,
                name: text(r, "name")?,
                unit: text(r, "unit_name")?,
                leader: opt_text(r, "leader_name")?,
                stage: Stage::from_code(&stage).ok_or_else(|| StoreError::Corrupt(format!("stage = {stage}")))?,
                light,
                reasons,
                reasons_en,
            });
        }
        Ok(out)
    }
}
