//! Delivery confidence ratings (`confidence_ratings`): a project's rating of a month, given with
//! the project's light at that moment (so a disagreement stays what it was), its history, and
//! the month's ratings by unit for the disagreement figures (`zhantu_domain::confidence`).

use crate::Store;
use crate::audit::AuditCtx;
use crate::error::StoreError;
use crate::projects::ProjectListItem;
use crate::row::{SqlBuf, i64_, opt_text, text};
use crate::writes::{commit_audited, now};
use serde::Serialize;
use serde_json::json;
use sqlx::any::AnyRow;
use zhantu_domain::confidence::{Confidence, Disagreement, RatedProject, RatingInput, disagreement};
use zhantu_domain::lights::Light;

/// One month's rating of a project.
#[derive(Debug, Clone, Serialize)]
pub struct Rating {
    pub id: i64,
    pub project_id: i64,
    /// `YYYY-MM`.
    pub month: String,
    pub level: Confidence,
    pub reason: String,
    /// The project's light when the rating was given (none before its first lights run).
    pub light: Option<Light>,
    /// How the rating disagrees with that light, if it does.
    pub disagreement: Option<Disagreement>,
    pub rated_by: String,
    pub rated_at: String,
    pub version: i64,
}

const SELECT: &str = "SELECT id, project_id, month, level, reason, light, rated_by, rated_at, version FROM confidence_ratings";

fn light_of(code: Option<String>) -> Option<Light> {
    code.and_then(|c| Light::from_code(&c))
}

fn rating(row: &AnyRow) -> Result<Rating, StoreError> {
    let level_code = text(row, "level")?;
    let level = Confidence::from_code(&level_code).ok_or_else(|| StoreError::Corrupt(format!("履约信心评级“{level_code}”无效")))?;
    let light = light_of(opt_text(row, "light")?);
    Ok(Rating {
        id: i64_(row, "id")?,
        project_id: i64_(row, "project_id")?,
        month: text(row, "month")?,
        level,
        reason: text(row, "reason")?,
        light,
        disagreement: light.and_then(|l| disagreement(l, level)),
        rated_by: text(row, "rated_by")?,
        rated_at: text(row, "rated_at")?,
        version: i64_(row, "version")?,
    })
}

fn snapshot(r: &Rating) -> serde_json::Value {
    json!({ "project_id": r.project_id, "month": r.month, "level": r.level.code(), "reason": r.reason,
            "light": r.light.map(Light::code), "version": r.version })
}

/// A project's latest rating, as lists show it beside the light.
#[derive(Debug, Clone, Serialize)]
pub struct LatestRating {
    pub month: String,
    pub level: Confidence,
    pub disagreement: Option<Disagreement>,
}

impl Store {
    /// Each listed project's latest rating (one query for the page).
    pub(crate) async fn attach_confidence(&self, items: &mut [ProjectListItem]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let mut q = SqlBuf::new("SELECT project_id, month, level, light FROM confidence_ratings WHERE project_id IN ");
        q.in_list(items.iter().map(|it| it.id)).push(" ORDER BY project_id, month DESC");
        let mut latest: std::collections::BTreeMap<i64, LatestRating> = std::collections::BTreeMap::new();
        for r in q.query().fetch_all(&self.pool).await? {
            let project_id = i64_(&r, "project_id")?;
            if latest.contains_key(&project_id) {
                continue;
            }
            let Some(level) = Confidence::from_code(&text(&r, "level")?) else {
                continue;
            };
            let light = light_of(opt_text(&r, "light")?);
            latest.insert(
                project_id,
                LatestRating {
                    month: text(&r, "month")?,
                    level,
                    disagreement: light.and_then(|l| disagreement(l, level)),
                },
            );
        }
        for it in items.iter_mut() {
            it.confidence = latest.remove(&it.id);
        }
        Ok(())
    }

    /// Gives `project_id` its rating of `input.month`, with the project's light as it is now;
    /// a second rating of the same month replaces the first (both stay in the audit log).
    pub async fn rate_confidence(&self, project_id: i64, input: &RatingInput, ctx: &AuditCtx) -> Result<Rating, StoreError> {
        let mut tx = self.begin_locked().await?;
        let light: Option<String> = sqlx::query_scalar("SELECT light FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = match sqlx::query(&format!("{SELECT} WHERE project_id = $1 AND month = $2"))
            .bind(project_id)
            .bind(&input.month)
            .fetch_optional(&mut *tx)
            .await?
        {
            Some(row) => Some(rating(&row)?),
            None => None,
        };
        let id = match &before {
            Some(b) => {
                sqlx::query(
                    "UPDATE confidence_ratings SET level = $1, reason = $2, light = $3, rated_by = $4, rated_at = $5, version = version + 1 WHERE id = $6",
                )
                .bind(input.level.code())
                .bind(&input.reason)
                .bind(&light)
                .bind(&ctx.actor)
                .bind(now())
                .bind(b.id)
                .execute(&mut *tx)
                .await?;
                b.id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO confidence_ratings (project_id, month, level, reason, light, rated_by, rated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(project_id)
                .bind(&input.month)
                .bind(input.level.code())
                .bind(&input.reason)
                .bind(&light)
                .bind(&ctx.actor)
                .bind(now())
                .fetch_one(&mut *tx)
                .await?
            }
        };
        let after = rating(&sqlx::query(&format!("{SELECT} WHERE id = $1")).bind(id).fetch_one(&mut *tx).await?)?;
        commit_audited(
            tx,
            ctx,
            ("confidence.rate", "project", Some(project_id)),
            before.as_ref().map(snapshot).as_ref(),
            Some(&snapshot(&after)),
        )
        .await?;
        Ok(after)
    }

    /// A project's ratings, the latest month first.
    pub async fn confidence_ratings(&self, project_id: i64) -> Result<Vec<Rating>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT} WHERE project_id = $1 ORDER BY month DESC"))
            .bind(project_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(rating).collect()
    }

    /// The ratings of `month` with their projects' units, for the disagreement figures; only
    /// the projects of `scope` (unit ids) when given. Ratings given before the project's first
    /// light have nothing to disagree with and are left out.
    pub async fn confidence_of_month(&self, month: &str, scope: Option<&[i64]>) -> Result<Vec<RatedProject>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.unit_id, r.light, r.level FROM confidence_ratings r JOIN projects p ON p.id = r.project_id \
             WHERE r.month = $1 AND r.light IS NOT NULL ORDER BY p.unit_id, r.project_id",
        )
        .bind(month)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let unit_id = i64_(row, "unit_id")?;
            if scope.is_some_and(|s| !s.contains(&unit_id)) {
                continue;
            }
            let (Some(light), Some(level)) = (light_of(opt_text(row, "light")?), Confidence::from_code(&text(row, "level")?)) else {
                continue;
            };
            out.push(RatedProject { unit_id, light, level });
        }
        Ok(out)
    }

    /// Each project's latest rating with its unit (the registry's "latest", so a count of these
    /// that disagree is the total of `/projects?disagree=1`); only the projects of `scope`
    /// when given; ratings without a light left out, as above.
    pub async fn latest_confidence(&self, scope: Option<&[i64]>) -> Result<Vec<RatedProject>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.unit_id, r.light, r.level FROM confidence_ratings r JOIN projects p ON p.id = r.project_id \
             WHERE r.light IS NOT NULL AND r.month = (SELECT MAX(c2.month) FROM confidence_ratings c2 WHERE c2.project_id = r.project_id) \
             ORDER BY p.unit_id, r.project_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for row in &rows {
            let unit_id = i64_(row, "unit_id")?;
            if scope.is_some_and(|s| !s.contains(&unit_id)) {
                continue;
            }
            let (Some(light), Some(level)) = (light_of(opt_text(row, "light")?), Confidence::from_code(&text(row, "level")?)) else {
                continue;
            };
            out.push(RatedProject { unit_id, light, level });
        }
        Ok(out)
    }
}
