//! The working calendar (放假 and 调休上班 days): the one in force, and a year of it as the
//! administrator edits it.

use crate::audit::{AuditCtx, append};
use crate::row::{read_all, text};
use crate::{Store, StoreError};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::json;
use zhantu_domain::calendar::WorkCalendar;

/// One year of the working calendar as the administrator edits it.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarYear {
    pub year: i32,
    /// A fingerprint of the year's rows: a change must name the one it was made from.
    pub revision: String,
    /// The years the stored calendar covers.
    pub covers: Option<(i32, i32)>,
    pub working_days: i64,
    pub days: Vec<CalendarDay>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// `off` (放假) or `work` (调休上班).
    pub kind: String,
    pub name: String,
}

fn calendar_revision(days: &[CalendarDay]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for d in days {
        h.update(format!("{}|{}|{}\n", d.day, d.kind, d.name));
    }
    h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
}

impl Store {
    /// The working calendar: the official data as loaded into `holidays` (the administrator
    /// may update it), else the shipped one.
    pub async fn calendar(&self) -> Result<WorkCalendar, StoreError> {
        let rows = sqlx::query("SELECT day, kind, name FROM holidays ORDER BY day")
            .fetch_all(&self.pool)
            .await?;
        if rows.is_empty() {
            return Ok(WorkCalendar::shipped().clone());
        }
        let mut csv = String::from("date,kind,name\n");
        for r in &rows {
            csv.push_str(&format!("{},{},{}\n", text(r, "day")?, text(r, "kind")?, text(r, "name")?));
        }
        WorkCalendar::parse_csv(&csv).map_err(|e| StoreError::Corrupt(format!("holidays: {e}")))
    }

    async fn calendar_rows(&self, conn: &mut sqlx::AnyConnection, year: i32) -> Result<Vec<CalendarDay>, StoreError> {
        read_all(
            sqlx::query("SELECT day, kind, name FROM holidays WHERE day >= $1 AND day <= $2 ORDER BY day")
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{year:04}-12-31")),
            &mut *conn,
            |r| {
                let day = text(r, "day")?;
                Ok(CalendarDay {
                    day: day.parse().map_err(|_| StoreError::Corrupt(format!("holidays.day = {day}")))?,
                    kind: text(r, "kind")?,
                    name: text(r, "name")?,
                })
            },
        )
        .await
    }

    /// The holidays and make-up working days of `year`, with the count of working days.
    pub async fn calendar_year(&self, year: i32) -> Result<CalendarYear, StoreError> {
        let mut conn = self.pool.acquire().await?;
        let days = self.calendar_rows(&mut conn, year).await?;
        let cal = self.calendar().await?;
        let (first, last) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
        let working_days = match (first, last) {
            (Some(f), Some(l)) => cal.working_days_between(f.pred_opt().unwrap_or(f), l),
            _ => 0,
        };
        Ok(CalendarYear {
            year,
            revision: calendar_revision(&days),
            covers: cal.coverage(),
            working_days,
            days,
        })
    }

    /// Replaces `year`'s holidays and make-up working days (a new State Council notice, a
    /// correction), checked as a whole calendar first; audited; the lights are recomputed after.
    /// `revision` must be the one the administrator read (else 409).
    pub async fn set_calendar_year(
        &self,
        year: i32,
        revision: &str,
        days: &[CalendarDay],
        ctx: &AuditCtx,
    ) -> Result<CalendarYear, StoreError> {
        use zhantu_domain::calendar::{DayType, WorkCalendar};
        let mut rows = Vec::new();
        for d in days {
            if d.day.year() != year {
                return Err(StoreError::rule("calendar_day_outside_year", format!("{} 不属于 {year} 年", d.day)));
            }
            let kind = DayType::from_code(&d.kind).ok_or_else(|| {
                StoreError::rule(
                    "calendar_day_kind_invalid",
                    format!("{}：类型“{}”无效，应为 off（放假）或 work（调休上班）", d.day, d.kind),
                )
            })?;
            if d.name.trim().is_empty() {
                return Err(StoreError::rule("calendar_day_name_missing", format!("{}：缺少节日名称", d.day)));
            }
            rows.push(CalendarDay {
                day: d.day,
                kind: kind.code().to_string(),
                name: d.name.trim().to_string(),
            });
        }
        rows.sort_by_key(|d| d.day);
        let mut tx = self.begin_locked().await?;
        let before = self.calendar_rows(&mut tx, year).await?;
        if calendar_revision(&before) != revision {
            return Err(self.stale(tx, "calendar", year as i64).await?);
        }
        // The whole calendar, other years as stored plus this one, must still be valid.
        let others = sqlx::query("SELECT day, kind, name FROM holidays WHERE day < $1 OR day > $2")
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{year:04}-12-31"))
            .fetch_all(&mut *tx)
            .await?;
        let mut all = Vec::new();
        for r in &others {
            let day = text(r, "day")?;
            let kind = text(r, "kind")?;
            all.push((
                day.parse().map_err(|_| StoreError::Corrupt(format!("holidays.day = {day}")))?,
                DayType::from_code(&kind).ok_or_else(|| StoreError::Corrupt(format!("holidays.kind = {kind}")))?,
                text(r, "name")?,
            ));
        }
        for d in &rows {
            all.push((d.day, DayType::from_code(&d.kind).expect("checked"), d.name.clone()));
        }
        if !all.is_empty() {
            WorkCalendar::from_rows(all).map_err(|e| StoreError::rule("calendar_invalid", e.to_string()))?;
        }
        sqlx::query("DELETE FROM holidays WHERE day >= $1 AND day <= $2")
            .bind(format!("{year:04}-01-01"))
            .bind(format!("{year:04}-12-31"))
            .execute(&mut *tx)
            .await?;
        for d in &rows {
            sqlx::query("INSERT INTO holidays (day, kind, name) VALUES ($1, $2, $3)")
                .bind(d.day.to_string())
                .bind(&d.kind)
                .bind(&d.name)
                .execute(&mut *tx)
                .await?;
        }
        append(
            &mut tx,
            ctx,
            "calendar.set_year",
            "calendar",
            Some(year as i64),
            Some(&json!({ "days": before })),
            Some(&json!({ "days": rows })),
        )
        .await?;
        tx.commit().await?;
        self.recompute_lights("calendar").await?;
        self.calendar_year(year).await
    }
}
