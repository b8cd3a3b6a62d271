//! A project's year: the categories (district lists, 项目类别) it is on that year and its
//! annual planned investment (年度计划投资). The figures' roll-ups see the change through the
//! change log the tables' triggers fill (migration 0013).

use crate::audit::{AuditCtx, append};
use crate::row::{i64_, read_all};
use crate::writes::Tx;
use crate::{Store, StoreError};
use serde_json::{Value, json};
use zhantu_domain::projects::ProjectYear;

/// The project's categories and plan for `year`, for the audit entry.
async fn year_of(tx: &mut Tx, id: i64, year: i64) -> Result<Value, StoreError> {
    let categories = read_all(
        sqlx::query("SELECT category_id FROM project_categories WHERE project_id = $1 AND year = $2 ORDER BY category_id")
            .bind(id)
            .bind(year),
        &mut **tx,
        |r| i64_(r, "category_id"),
    )
    .await?;
    let planned: Option<i64> = sqlx::query_scalar("SELECT planned_investment FROM annual_plans WHERE project_id = $1 AND year = $2")
        .bind(id)
        .bind(year)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(json!({ "year": year, "category_ids": categories, "planned_investment_yuan": planned }))
}

impl Store {
    /// Sets a project's categories and/or annual plan for one year at the project's
    /// `version`; what `y` leaves `None` stays. The project's new version.
    pub async fn set_project_year(&self, id: i64, version: i64, y: &ProjectYear, ctx: &AuditCtx) -> Result<i64, StoreError> {
        let mut tx = self.begin_versioned("projects", "project", id, version).await?;
        let year = y.year.get() as i64;
        let before = year_of(&mut tx, id, year).await?;
        if let Some(ids) = &y.category_ids {
            for c in ids {
                crate::writes::must_read::<i64>(
                    &mut tx,
                    "SELECT id FROM categories WHERE id = $1",
                    *c,
                    "category_missing",
                    "项目类别",
                )
                .await?;
            }
            sqlx::query("DELETE FROM project_categories WHERE project_id = $1 AND year = $2")
                .bind(id)
                .bind(year)
                .execute(&mut *tx)
                .await?;
            for c in ids {
                sqlx::query("INSERT INTO project_categories (project_id, category_id, year) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(c)
                    .bind(year)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        if let Some(plan) = y.planned_investment {
            sqlx::query("DELETE FROM annual_plans WHERE project_id = $1 AND year = $2")
                .bind(id)
                .bind(year)
                .execute(&mut *tx)
                .await?;
            if let Some(m) = plan {
                sqlx::query("INSERT INTO annual_plans (project_id, year, planned_investment) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(year)
                    .bind(m.yuan())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        sqlx::query("UPDATE projects SET version = version + 1, updated_at = $1 WHERE id = $2")
            .bind(crate::writes::now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut after = year_of(&mut tx, id, year).await?;
        after["version"] = json!(version + 1);
        append(&mut tx, ctx, "project.year", "project", Some(id), Some(&before), Some(&after)).await?;
        tx.commit().await?;
        Ok(version + 1)
    }
}
