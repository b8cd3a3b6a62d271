//! 一线办公 (`field_work_entries`, `field_work_rules`): a leader's half-days on site recorded and
//! deleted with their audit entries, the rule each leader is held to, the entries listed with
//! filters, and what the weekly tally takes. The figures are the domain's
//! (`zhantu_domain::field_work`).

use crate::audit::AuditCtx;
use crate::row::{SqlBuf, date, i64_, opt_i64, opt_text, text};
use crate::writes::{commit_audited, must_read, now};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::field_work::{DayPart, EntryInput, FieldWorkRule, Visit, check_not_recorded};

/// One recorded half-day (or day) on site.
#[derive(Debug, Clone, Serialize)]
pub struct FieldWorkEntry {
    pub id: i64,
    /// The leader (a person of the register).
    pub person_id: i64,
    pub leader: String,
    pub date: NaiveDate,
    /// `am`, `pm` or `full`, as the API takes it.
    #[serde(serialize_with = "part_code")]
    pub part: DayPart,
    pub project_id: Option<i64>,
    pub project: Option<String>,
    /// The project's unit: the scope a unit's staff read the entry in.
    pub unit_id: Option<i64>,
    pub place: String,
    pub matters: String,
    pub problems_solved: String,
    pub problem_id: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub version: i64,
}

/// Which entries to list.
#[derive(Debug, Clone, Default)]
pub struct FieldWorkFilter {
    pub leader: Option<i64>,
    pub project: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only entries on projects of these units (a unit's staff); none: all entries.
    pub scope: Option<Vec<i64>>,
}

/// A district leader with the rule they are held to.
#[derive(Debug, Clone, Serialize)]
pub struct LeaderRule {
    pub person_id: i64,
    pub name: String,
    pub title: String,
    pub rule: FieldWorkRule,
    /// Set by an administrator (otherwise the default rule).
    pub assigned: bool,
}

fn part_code<S: serde::Serializer>(p: &DayPart, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.code())
}

const SELECT: &str = "SELECT f.id, f.person_id, pe.name AS leader, f.work_date, f.part, f.project_id, p.name AS project, \
     p.unit_id, f.place, f.matters, f.problems_solved, f.problem_id, f.recorded_by, f.recorded_at, f.version \
     FROM field_work_entries f JOIN people pe ON pe.id = f.person_id LEFT JOIN projects p ON p.id = f.project_id";

fn part(r: &AnyRow) -> Result<DayPart, StoreError> {
    let code = text(r, "part")?;
    DayPart::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("一线办公时段“{code}”无效")))
}

/// The entry `id`, read inside a write's transaction or from the pool.
async fn entry_by_id<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(db: E, id: i64) -> Result<FieldWorkEntry, StoreError> {
    let row = sqlx::query(&format!("{SELECT} WHERE f.id = $1"))
        .bind(id)
        .fetch_optional(db)
        .await?
        .ok_or(StoreError::NotFound)?;
    entry(&row)
}

fn entry(r: &AnyRow) -> Result<FieldWorkEntry, StoreError> {
    Ok(FieldWorkEntry {
        id: i64_(r, "id")?,
        person_id: i64_(r, "person_id")?,
        leader: text(r, "leader")?,
        date: date(r, "work_date")?,
        part: part(r)?,
        project_id: opt_i64(r, "project_id")?,
        project: opt_text(r, "project")?,
        unit_id: opt_i64(r, "unit_id")?,
        place: text(r, "place")?,
        matters: text(r, "matters")?,
        problems_solved: text(r, "problems_solved")?,
        problem_id: opt_i64(r, "problem_id")?,
        recorded_by: text(r, "recorded_by")?,
        recorded_at: text(r, "recorded_at")?,
        version: i64_(r, "version")?,
    })
}

fn snapshot(e: &FieldWorkEntry) -> serde_json::Value {
    json!({ "person_id": e.person_id, "date": e.date, "part": e.part.code(), "project_id": e.project_id,
            "place": e.place, "matters": e.matters, "problems_solved": e.problems_solved,
            "problem_id": e.problem_id, "version": e.version })
}

/// A rule as its columns `(kind, per_week, share_num, share_den)`: both kinds' columns are
/// filled, the other kind's with its default, so changing the kind keeps a valid row.
pub(crate) fn rule_columns(rule: FieldWorkRule) -> (&'static str, i64, i64, i64) {
    match rule {
        FieldWorkRule::Times { per_week } => (rule.code(), per_week, 1, 3),
        FieldWorkRule::Share { num, den } => (rule.code(), 2, num, den),
    }
}

fn rule_of(r: &AnyRow) -> Result<FieldWorkRule, StoreError> {
    Ok(match text(r, "kind")?.as_str() {
        "times" => FieldWorkRule::Times {
            per_week: i64_(r, "per_week")?,
        },
        "share" => FieldWorkRule::Share {
            num: i64_(r, "share_num")?,
            den: i64_(r, "share_den")?,
        },
        other => return Err(StoreError::Corrupt(format!("一线办公规则“{other}”无效"))),
    })
}

/// Refuses a person who is not a serving district leader: only they have a field-work log and
/// a rule (and only they are tallied).
async fn must_be_serving_leader(tx: &mut sqlx::Transaction<'_, sqlx::Any>, person_id: i64) -> Result<(), StoreError> {
    let leader: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE id = $1 AND is_leader = 1 AND active = 1")
        .bind(person_id)
        .fetch_optional(&mut **tx)
        .await?;
    match leader {
        Some(_) => Ok(()),
        None => Err(StoreError::rule(
            "field_work_not_leader",
            format!("人员 {person_id} 不是在任的区领导，不能登记一线办公或设置规则"),
        )),
    }
}

impl Store {
    /// The entries `filter` selects, the latest date first.
    pub async fn field_work_entries(&self, filter: &FieldWorkFilter) -> Result<Vec<FieldWorkEntry>, StoreError> {
        let mut q = SqlBuf::new(&format!("{SELECT} WHERE 1 = 1"));
        q.push_some(" AND f.person_id = ", filter.leader)
            .push_some(" AND f.project_id = ", filter.project)
            .push_some(" AND f.work_date >= ", filter.from.map(|d| d.to_string()))
            .push_some(" AND f.work_date <= ", filter.to.map(|d| d.to_string()));
        if let Some(units) = &filter.scope {
            q.push(" AND p.unit_id IN ").in_list(units.iter().copied());
        }
        q.push(" ORDER BY f.work_date DESC, f.part, pe.name, f.id");
        q.query().fetch_all(&self.pool).await?.iter().map(entry).collect()
    }

    /// One entry.
    pub async fn field_work_entry(&self, id: i64) -> Result<FieldWorkEntry, StoreError> {
        entry_by_id(&self.pool, id).await
    }

    /// Records a half-day (or day) on site of the leader `person_id`, refused when the person
    /// is not an active district leader, the project or problem does not exist, or the leader
    /// has recorded that half-day already.
    pub async fn record_field_work(
        &self,
        person_id: i64,
        project_id: Option<i64>,
        problem_id: Option<i64>,
        input: &EntryInput,
        ctx: &AuditCtx,
    ) -> Result<FieldWorkEntry, StoreError> {
        let mut tx = self.begin_locked().await?;
        must_be_serving_leader(&mut tx, person_id).await?;
        if let Some(id) = project_id {
            must_read::<i64>(&mut tx, "SELECT id FROM projects WHERE id = $1", id, "project_missing", "项目").await?;
        }
        if let Some(id) = problem_id {
            must_read::<i64>(&mut tx, "SELECT id FROM problems WHERE id = $1", id, "problem_missing", "问题").await?;
        }
        let parts: Vec<String> = sqlx::query_scalar("SELECT part FROM field_work_entries WHERE person_id = $1 AND work_date = $2")
            .bind(person_id)
            .bind(input.date.to_string())
            .fetch_all(&mut *tx)
            .await?;
        let recorded: Vec<DayPart> = parts.iter().filter_map(|p| DayPart::from_code(p)).collect();
        check_not_recorded(&recorded, input.part)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO field_work_entries (person_id, work_date, part, project_id, place, matters, problems_solved, problem_id, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(person_id)
        .bind(input.date.to_string())
        .bind(input.part.code())
        .bind(project_id)
        .bind(&input.place)
        .bind(&input.matters)
        .bind(&input.problems_solved)
        .bind(problem_id)
        .bind(&ctx.actor)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let after = entry_by_id(&mut *tx, id).await?;
        commit_audited(
            tx,
            ctx,
            ("field_work.record", "field_work", Some(id)),
            None,
            Some(&snapshot(&after)),
        )
        .await?;
        Ok(after)
    }

    /// Deletes an entry recorded by mistake (the audit log keeps what it said).
    pub async fn delete_field_work(&self, id: i64, ctx: &AuditCtx) -> Result<(), StoreError> {
        let mut tx = self.begin_locked().await?;
        let before = entry_by_id(&mut *tx, id).await?;
        sqlx::query("DELETE FROM field_work_entries WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        commit_audited(
            tx,
            ctx,
            ("field_work.delete", "field_work", Some(id)),
            Some(&snapshot(&before)),
            None,
        )
        .await
    }

    /// Holds the leader `person_id` to `rule`.
    pub async fn set_field_work_rule(&self, person_id: i64, rule: FieldWorkRule, ctx: &AuditCtx) -> Result<LeaderRule, StoreError> {
        let mut tx = self.begin_locked().await?;
        must_be_serving_leader(&mut tx, person_id).await?;
        let before = match sqlx::query("SELECT * FROM field_work_rules WHERE person_id = $1")
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?
        {
            Some(r) => Some(rule_of(&r)?),
            None => None,
        };
        let (kind, per_week, num, den) = rule_columns(rule);
        if before.is_some() {
            sqlx::query(
                "UPDATE field_work_rules SET kind = $1, per_week = $2, share_num = $3, share_den = $4, set_by = $5, set_at = $6, \
                 version = version + 1 WHERE person_id = $7",
            )
            .bind(kind)
            .bind(per_week)
            .bind(num)
            .bind(den)
            .bind(&ctx.actor)
            .bind(now())
            .bind(person_id)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO field_work_rules (person_id, kind, per_week, share_num, share_den, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(person_id)
            .bind(kind)
            .bind(per_week)
            .bind(num)
            .bind(den)
            .bind(&ctx.actor)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        }
        commit_audited(
            tx,
            ctx,
            ("field_work.rule", "person", Some(person_id)),
            before.map(|r| json!(r)).as_ref(),
            Some(&json!(rule)),
        )
        .await?;
        let all = self.field_work_leaders().await?;
        all.into_iter().find(|l| l.person_id == person_id).ok_or(StoreError::NotFound)
    }

    /// The active district leaders, in the register's order, with their rules.
    pub async fn field_work_leaders(&self) -> Result<Vec<LeaderRule>, StoreError> {
        let rows = sqlx::query(
            "SELECT pe.id, pe.name, pe.title, r.kind, r.per_week, r.share_num, r.share_den FROM people pe \
             LEFT JOIN field_work_rules r ON r.person_id = pe.id WHERE pe.is_leader = 1 AND pe.active = 1 ORDER BY pe.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let assigned = opt_text(r, "kind")?.is_some();
                Ok(LeaderRule {
                    person_id: i64_(r, "id")?,
                    name: text(r, "name")?,
                    title: text(r, "title")?,
                    rule: if assigned { rule_of(r)? } else { FieldWorkRule::default() },
                    assigned,
                })
            })
            .collect()
    }

    /// The active district leader named `name` (how a leader's account finds its own person).
    pub async fn leader_named(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT id FROM people WHERE name = $1 AND is_leader = 1 AND active = 1 ORDER BY id")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Every entry from `from` to `to` as the tally takes it (all leaders, all units).
    pub async fn field_work_visits(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Visit>, StoreError> {
        let rows = sqlx::query("SELECT person_id, work_date, part FROM field_work_entries WHERE work_date >= $1 AND work_date <= $2")
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Visit {
                    leader_id: i64_(r, "person_id")?,
                    date: date(r, "work_date")?,
                    part: part(r)?,
                })
            })
            .collect()
    }
}
