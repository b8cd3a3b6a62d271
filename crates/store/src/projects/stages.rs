//! A project's stage with its date and reason (阶段变更): each move is appended to its stage
//! history, and the dates the figures read (开工 `started_on`, 竣工 `completed_on`) follow it.
//! The rules are the domain's (`zhantu_domain::stage`).

use super::detail::StageChangeView;
use crate::audit::{AuditCtx, append};
use crate::row::{date, found, i64_, opt_date, opt_text, rows_for, text};
use crate::writes::now;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use serde_json::json;
use zhantu_domain::Stage;
use zhantu_domain::stage::{StageDates, check_stage_move};

/// The stage history, oldest first; pauses and resumes are in it too (from and to the same
/// stage).
pub(crate) const HISTORY: &str =
    "SELECT from_stage, to_stage, changed_on, note, actor FROM stage_changes WHERE project_id = $1 ORDER BY changed_on, id";

pub(crate) fn stage_change(r: &sqlx::any::AnyRow) -> Result<StageChangeView, StoreError> {
    Ok(StageChangeView {
        from: opt_text(r, "from_stage")?,
        to: text(r, "to_stage")?,
        on: date(r, "changed_on")?,
        note: text(r, "note")?,
        actor: text(r, "actor")?,
    })
}

impl Store {
    /// A project's stage history, oldest first.
    pub async fn stage_history(&self, project_id: i64) -> Result<Vec<StageChangeView>, StoreError> {
        self.project_unit(project_id).await?;
        rows_for(&self.pool, HISTORY, project_id, stage_change).await
    }

    /// Moves a project at `version` to stage `to` on `on` with `reason` (needed to move back
    /// or to terminate): not after the data day, not before the previous move. The project's
    /// new version.
    pub async fn move_stage(
        &self,
        id: i64,
        version: i64,
        to: Stage,
        on: NaiveDate,
        reason: &str,
        ctx: &AuditCtx,
    ) -> Result<i64, StoreError> {
        let as_of = self.as_of().await?;
        let mut tx = self.begin_locked().await?;
        let r = found(
            sqlx::query("SELECT stage, started_on, completed_on, version FROM projects WHERE id = $1").bind(id),
            &mut *tx,
        )
        .await?;
        if i64_(&r, "version")? != version {
            return Err(self.stale(tx, "project", id).await?);
        }
        let code = text(&r, "stage")?;
        let from = Stage::from_code(&code).ok_or_else(|| crate::writes::corrupt("projects.stage", &code))?;
        let before = StageDates {
            started_on: opt_date(&r, "started_on")?,
            completed_on: opt_date(&r, "completed_on")?,
        };
        // Pauses and resumes are in the history too, on the day they happened: a stage move
        // is judged against the previous move of the stage only.
        let previous: Option<String> = sqlx::query_scalar(
            "SELECT MAX(changed_on) FROM stage_changes WHERE project_id = $1 AND (from_stage IS NULL OR from_stage <> to_stage)",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        let previous = previous.and_then(|p| p.parse::<NaiveDate>().ok());
        check_stage_move(from, to, on, previous, as_of, reason)?;
        let after = before.after_move(to, on);
        let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        sqlx::query(
            "UPDATE projects SET stage = $1, started_on = $2, completed_on = $3, version = version + 1, updated_at = $4 WHERE id = $5",
        )
        .bind(to.code())
        .bind(day(after.started_on))
        .bind(day(after.completed_on))
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO stage_changes (project_id, from_stage, to_stage, changed_on, note, actor) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(on.to_string())
        .bind(reason.trim())
        .bind(&ctx.actor)
        .execute(&mut *tx)
        .await?;
        self.refresh_project_lights(&mut tx, id).await?;
        append(
            &mut tx,
            ctx,
            "project.stage",
            "project",
            Some(id),
            Some(
                &json!({ "stage": from.code(), "started_on": before.started_on, "completed_on": before.completed_on, "version": version }),
            ),
            Some(&json!({
                "stage": to.code(), "on": on, "reason": reason.trim(), "started_on": after.started_on,
                "completed_on": after.completed_on, "version": version + 1,
            })),
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}
