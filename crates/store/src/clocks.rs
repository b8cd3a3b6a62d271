//! Approval clocks per project: the spans a clock does not count (业主自主时间, 暂停),
//! recorded, closed and deleted with the audit entry and the project's new lights in the same
//! transaction, and each applicable clock read on the as-of date.

use crate::audit::{AuditCtx, append};
use crate::row::{found, i64_, opt_date, opt_text, read_all, text};
use crate::writes::now;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::AnyConnection;
use std::collections::HashMap;
use zhantu_domain::clocks::{ApprovalClock, ClockReading, ExcludedSpan, NodeDate, ProjectSpan, SPAN_REASON_MAX_CHARS, read_clock_now};
use zhantu_domain::lights::Light;
use zhantu_domain::model::{DayKind, NodeStatus};
use zhantu_domain::rules::{Check, Context, late_closed_overrun};

/// One recorded span of a project.
#[derive(Debug, Clone, Serialize)]
pub struct ClockExclusion {
    pub id: i64,
    pub project_id: i64,
    /// The clock it stops; `None`: every clock of the project.
    pub clock_name: Option<String>,
    pub from: NaiveDate,
    /// `None`: still open (runs to the as-of date).
    pub until: Option<NaiveDate>,
    pub reason: String,
    pub created_by: String,
    pub created_at: String,
    pub version: i64,
}

impl ClockExclusion {
    fn project_span(&self) -> ProjectSpan {
        ProjectSpan {
            clock_name: self.clock_name.clone(),
            span: ExcludedSpan {
                from: self.from,
                until: self.until,
                reason: self.reason.clone(),
            },
        }
    }
}

/// A span to record.
#[derive(Debug, Clone)]
pub struct NewExclusion {
    pub clock_name: Option<String>,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub reason: String,
}

/// One clock of a project, read on the as-of date.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectClock {
    pub name: String,
    pub start_node: String,
    pub stop_node: String,
    pub limit_days: u32,
    pub day_kind: DayKind,
    pub started_on: Option<NaiveDate>,
    pub stopped_on: Option<NaiveDate>,
    /// As the approval-clock rule lights it (`None`: not started, or the rule is off); a
    /// clock that closed late is green once the rule makes it history.
    pub light: Option<Light>,
    /// Days over the limit of a clock that closed late (超时N天办结): its mark, whatever the
    /// light.
    pub closed_late_by: Option<i64>,
    pub reading: ClockReading,
    /// The spans that stop this clock.
    pub exclusions: Vec<ClockExclusion>,
}

/// A project's clocks and all its recorded spans.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectClocks {
    pub project_id: i64,
    pub as_of: NaiveDate,
    pub clocks: Vec<ProjectClock>,
    pub exclusions: Vec<ClockExclusion>,
}

/// The reason a pause's span carries, so resuming finds it again.
const PAUSE_PREFIX: &str = "暂停：";

const COLUMNS: &str = "id, project_id, clock_name, from_on, until_on, reason, created_by, created_at, version";

fn exclusion(r: &sqlx::any::AnyRow) -> Result<ClockExclusion, StoreError> {
    let from = text(r, "from_on")?;
    Ok(ClockExclusion {
        id: i64_(r, "id")?,
        project_id: i64_(r, "project_id")?,
        clock_name: opt_text(r, "clock_name")?,
        from: from
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("clock_exclusions.from_on = {from}")))?,
        until: opt_date(r, "until_on")?,
        reason: text(r, "reason")?,
        created_by: text(r, "created_by")?,
        created_at: text(r, "created_at")?,
        version: i64_(r, "version")?,
    })
}

/// The spans that stop `clock` of `project`, from what `Store::clock_exclusions` loaded.
pub(crate) fn spans_for(all: &HashMap<i64, Vec<(Option<String>, ExcludedSpan)>>, project: i64, clock: &str) -> Vec<ExcludedSpan> {
    all.get(&project)
        .map(|v| {
            v.iter()
                .filter(|(c, _)| c.as_deref().is_none_or(|c| c == clock))
                .map(|(_, s)| s.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// A node as far as a clock needs it.
struct NodeDone {
    name: String,
    done_on: Option<NaiveDate>,
}

impl NodeDate for NodeDone {
    fn node_name(&self) -> &str {
        &self.name
    }
    fn done_on(&self) -> Option<NaiveDate> {
        self.done_on
    }
}

/// The approval clocks in force: those that apply to `project_type`, or all of them.
pub(crate) async fn active_clocks(conn: &mut AnyConnection, project_type: Option<&str>) -> Result<Vec<ApprovalClock>, StoreError> {
    let rows = sqlx::query(
        "SELECT name, project_type, start_node, stop_node, limit_days, day_kind FROM approval_clocks WHERE active = 1 ORDER BY id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let c = ApprovalClock {
            name: text(r, "name")?,
            project_type: opt_text(r, "project_type")?,
            start_node: text(r, "start_node")?,
            stop_node: text(r, "stop_node")?,
            limit_days: i64_(r, "limit_days")?.max(0) as u32,
            day_kind: DayKind::from_code(&text(r, "day_kind")?).unwrap_or(DayKind::Calendar),
        };
        if project_type.is_none_or(|t| c.applies_to(t)) {
            out.push(c);
        }
    }
    Ok(out)
}

async fn project_exclusions(conn: &mut AnyConnection, project_id: i64) -> Result<Vec<ClockExclusion>, StoreError> {
    read_all(
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM clock_exclusions WHERE project_id = $1 ORDER BY from_on, id"
        ))
        .bind(project_id),
        &mut *conn,
        exclusion,
    )
    .await
}

async fn exclusion_by_id(conn: &mut AnyConnection, id: i64) -> Result<ClockExclusion, StoreError> {
    let row = found(
        sqlx::query(&format!("SELECT {COLUMNS} FROM clock_exclusions WHERE id = $1")).bind(id),
        &mut *conn,
    )
    .await?;
    exclusion(&row)
}

async fn insert(conn: &mut AnyConnection, project_id: i64, span: &ProjectSpan, ctx: &AuditCtx) -> Result<ClockExclusion, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO clock_exclusions (project_id, clock_name, from_on, until_on, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(project_id)
    .bind(span.clock_name.clone())
    .bind(span.span.from.to_string())
    .bind(span.span.until.map(|d| d.to_string()))
    .bind(&span.span.reason)
    .bind(&ctx.actor)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    exclusion_by_id(conn, id).await
}

fn snapshot(e: &ClockExclusion) -> serde_json::Value {
    serde_json::to_value(e).unwrap_or_default()
}

impl Store {
    /// Every project's spans (or one project's) with the clock each stops, for the lights job.
    pub(crate) async fn clock_exclusions(
        &self,
        conn: &mut AnyConnection,
        only: Option<i64>,
    ) -> Result<HashMap<i64, Vec<(Option<String>, ExcludedSpan)>>, StoreError> {
        let filter = only.map(|id| format!(" WHERE project_id = {id}")).unwrap_or_default();
        let mut out: HashMap<i64, Vec<(Option<String>, ExcludedSpan)>> = HashMap::new();
        for r in sqlx::query(&format!(
            "SELECT {COLUMNS} FROM clock_exclusions{filter} ORDER BY project_id, from_on, id"
        ))
        .fetch_all(&mut *conn)
        .await?
        {
            let e = exclusion(&r)?;
            let s = e.project_span();
            out.entry(e.project_id).or_default().push((s.clock_name, s.span));
        }
        Ok(out)
    }

    /// The project a span belongs to (for access checks before a write).
    pub async fn clock_exclusion(&self, id: i64) -> Result<ClockExclusion, StoreError> {
        let mut conn = self.pool.acquire().await?;
        exclusion_by_id(&mut conn, id).await
    }

    /// Each clock that applies to the project, read on the as-of date with the working
    /// calendar, with its spans; and every span recorded for the project.
    pub async fn project_clocks(&self, project_id: i64) -> Result<ProjectClocks, StoreError> {
        let as_of = self.as_of().await?;
        let calendar = self.calendar().await?;
        let rules = self.rule_set().await?;
        let mut conn = self.pool.acquire().await?;
        let row = found(
            sqlx::query("SELECT project_type, stage, started_on FROM projects WHERE id = $1").bind(project_id),
            &mut *conn,
        )
        .await?;
        let stage = zhantu_domain::Stage::from_code(&text(&row, "stage")?);
        let started = opt_date(&row, "started_on")?.is_some() || stage.is_some_and(|s| s.has_landed());
        let clocks = active_clocks(&mut conn, Some(&text(&row, "project_type")?)).await?;
        let mut nodes = Vec::new();
        for r in sqlx::query("SELECT name, status, actual_on FROM nodes WHERE project_id = $1")
            .bind(project_id)
            .fetch_all(&mut *conn)
            .await?
        {
            let open = text(&r, "status")? == NodeStatus::Open.code();
            nodes.push(NodeDone {
                name: text(&r, "name")?,
                done_on: if open { None } else { opt_date(&r, "actual_on")? },
            });
        }
        let exclusions = project_exclusions(&mut conn, project_id).await?;
        // The light as the lights job gives it: the enabled approval-clock rule for this stage.
        let check = rules
            .enabled()
            .filter(|r| stage.is_some_and(|s| s != zhantu_domain::Stage::Terminated && r.applies_to(s)))
            .find_map(|r| match &r.check {
                Check::ApprovalClock(c) => Some(c.clone()),
                _ => None,
            });
        let clocks = clocks
            .into_iter()
            .map(|c| {
                let mine: Vec<ClockExclusion> = exclusions
                    .iter()
                    .filter(|e| e.clock_name.as_deref().is_none_or(|n| n == c.name))
                    .cloned()
                    .collect();
                let facts = c.facts(&nodes, mine.iter().map(|e| e.project_span().span).collect());
                let reading = read_clock_now(&facts, as_of, &calendar);
                let ctx = Context {
                    as_of,
                    calendar: &calendar,
                };
                ProjectClock {
                    light: check
                        .as_ref()
                        .and_then(|k| k.clock_light(&reading, facts.stopped_on, started, as_of)),
                    closed_late_by: late_closed_overrun(&facts, &ctx),
                    name: c.name,
                    start_node: c.start_node,
                    stop_node: c.stop_node,
                    limit_days: c.limit_days,
                    day_kind: c.day_kind,
                    started_on: facts.started_on,
                    stopped_on: facts.stopped_on,
                    reading,
                    exclusions: mine,
                }
            })
            .collect();
        Ok(ProjectClocks {
            project_id,
            as_of,
            clocks,
            exclusions,
        })
    }

    /// Records a span: checked against the project's other spans inside the transaction,
    /// audited, the project's lights recomputed.
    pub async fn add_clock_exclusion(&self, project_id: i64, new: &NewExclusion, ctx: &AuditCtx) -> Result<ClockExclusion, StoreError> {
        let as_of = self.as_of().await?;
        let mut tx = self.begin_locked().await?;
        let project_type: String = sqlx::query_scalar("SELECT project_type FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let clock = new.clock_name.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if let Some(name) = clock {
            if !active_clocks(&mut tx, Some(&project_type)).await?.iter().any(|c| c.name == name) {
                return Err(StoreError::rule("clock_unknown", format!("该项目没有名为“{name}”的审批时限")));
            }
        }
        let existing: Vec<ProjectSpan> = project_exclusions(&mut tx, project_id)
            .await?
            .iter()
            .map(ClockExclusion::project_span)
            .collect();
        let span = ProjectSpan::parse(clock, new.from, new.until, &new.reason, &existing, as_of)?;
        let added = insert(&mut tx, project_id, &span, ctx).await?;
        append(
            &mut tx,
            ctx,
            "clock_exclusion.add",
            "project",
            Some(project_id),
            None,
            Some(&snapshot(&added)),
        )
        .await?;
        self.refresh_project_lights(&mut tx, project_id).await?;
        tx.commit().await?;
        Ok(added)
    }

    /// Closes an open span on `until`, if it is still at `version`.
    pub async fn close_clock_exclusion(
        &self,
        id: i64,
        version: i64,
        until: NaiveDate,
        ctx: &AuditCtx,
    ) -> Result<ClockExclusion, StoreError> {
        let as_of = self.as_of().await?;
        let mut tx = self.begin_locked().await?;
        let before = exclusion_by_id(&mut tx, id).await?;
        if before.version != version {
            drop(tx);
            return Err(self.exclusion_conflict(&before).await?);
        }
        let closed = before.project_span().close(until, as_of)?;
        sqlx::query("UPDATE clock_exclusions SET until_on = $1, version = version + 1 WHERE id = $2 AND version = $3")
            .bind(closed.span.until.map(|d| d.to_string()))
            .bind(id)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        let after = exclusion_by_id(&mut tx, id).await?;
        append(
            &mut tx,
            ctx,
            "clock_exclusion.close",
            "project",
            Some(before.project_id),
            Some(&snapshot(&before)),
            Some(&snapshot(&after)),
        )
        .await?;
        self.refresh_project_lights(&mut tx, before.project_id).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a span (recorded in error); with `version`, only if it is still at it.
    pub async fn delete_clock_exclusion(&self, id: i64, version: Option<i64>, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let before = exclusion_by_id(&mut tx, id).await?;
        if version.is_some_and(|v| v != before.version) {
            drop(tx);
            return Err(self.exclusion_conflict(&before).await?);
        }
        sqlx::query("DELETE FROM clock_exclusions WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            ctx,
            "clock_exclusion.delete",
            "project",
            Some(before.project_id),
            Some(&snapshot(&before)),
            None,
        )
        .await?;
        self.refresh_project_lights(&mut tx, before.project_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The conflict for a stale span: who touched it last, from the project's audit trail
    /// (spans are audited on their project, where the project's history shows them).
    async fn exclusion_conflict(&self, e: &ClockExclusion) -> Result<StoreError, StoreError> {
        let entries = self
            .audit_entries(&crate::AuditFilter {
                entity: Some("project".into()),
                entity_id: Some(e.project_id),
                limit: 500,
                ..Default::default()
            })
            .await?;
        let last = entries.into_iter().find(|a| {
            a.action.starts_with("clock_exclusion.")
                && [&a.after, &a.before]
                    .iter()
                    .any(|v| v.as_ref().is_some_and(|v| v["id"].as_i64() == Some(e.id)))
        });
        Ok(match last {
            Some(a) => StoreError::Conflict {
                by: a.actor,
                at: crate::beijing_time(&a.at),
            },
            None => StoreError::Conflict {
                by: "他人".into(),
                at: "刚才".into(),
            },
        })
    }

    /// Pausing a project opens a span of every clock from the as-of date, inside the pause's
    /// transaction. It is not refused for overlapping an owner's span: a pause must always be
    /// possible, and a reading counts overlapping days once.
    pub(crate) async fn open_pause_span(
        &self,
        conn: &mut AnyConnection,
        project_id: i64,
        reason: &str,
        as_of: NaiveDate,
        ctx: &AuditCtx,
    ) -> Result<ClockExclusion, StoreError> {
        let reason: String = format!("{PAUSE_PREFIX}{}", reason.trim())
            .chars()
            .take(SPAN_REASON_MAX_CHARS)
            .collect();
        let span = ProjectSpan::parse(None, as_of, None, &reason, &[], as_of)?;
        insert(conn, project_id, &span, ctx).await
    }

    /// Resuming closes the pause's open span on the as-of date (the day it was opened at the
    /// earliest). `None` when the pause predates spans.
    pub(crate) async fn close_pause_span(
        &self,
        conn: &mut AnyConnection,
        project_id: i64,
        as_of: NaiveDate,
    ) -> Result<Option<ClockExclusion>, StoreError> {
        let open = project_exclusions(conn, project_id)
            .await?
            .into_iter()
            .filter(|e| e.clock_name.is_none() && e.until.is_none() && e.reason.starts_with(PAUSE_PREFIX))
            .next_back();
        let Some(open) = open else {
            return Ok(None);
        };
        sqlx::query("UPDATE clock_exclusions SET until_on = $1, version = version + 1 WHERE id = $2")
            .bind(as_of.max(open.from).to_string())
            .bind(open.id)
            .execute(&mut *conn)
            .await?;
        exclusion_by_id(conn, open.id).await.map(Some)
    }
}
