//! Keeping lights current: the domain decides the colours (`zhantu_domain::lights`), this
//! module feeds it a project's facts and stores the result.

use crate::row::{date, i64_, opt_date, text};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::AnyConnection;
use zhantu_domain::Stage;
use zhantu_domain::lights::{LightRules, LitReason, node_light, start_light, worst};

impl Store {
    /// The administrator's current rule set (the newest version), or the defaults.
    pub async fn light_rules(&self) -> Result<LightRules, StoreError> {
        let json: Option<String> = sqlx::query_scalar("SELECT rules_json FROM light_rule_sets ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
    }

    /// Recomputes one project's node lights and its own light inside the caller's transaction.
    pub(crate) async fn refresh_project_lights(
        &self,
        conn: &mut AnyConnection,
        project_id: i64,
        rules: &LightRules,
        as_of: NaiveDate,
    ) -> Result<(), StoreError> {
        let p = sqlx::query("SELECT stage, planned_start_on FROM projects WHERE id = $1")
            .bind(project_id)
            .fetch_one(&mut *conn)
            .await?;
        let stage_code = text(&p, "stage")?;
        let stage = Stage::from_code(&stage_code).ok_or_else(|| StoreError::Corrupt(format!("stage = {stage_code}")))?;
        let nodes = sqlx::query("SELECT id, name, planned_on, status FROM nodes WHERE project_id = $1 ORDER BY seq")
            .bind(project_id)
            .fetch_all(&mut *conn)
            .await?;
        let active = !matches!(stage, Stage::Terminated | Stage::Operating);
        let mut lit: Vec<LitReason> = Vec::new();
        for n in &nodes {
            let light = if active {
                node_light(
                    rules,
                    &text(n, "name")?,
                    date(n, "planned_on")?,
                    text(n, "status")? == "closed",
                    as_of,
                )
            } else {
                None
            };
            sqlx::query("UPDATE nodes SET light = $1, light_reason = $2 WHERE id = $3")
                .bind(light.as_ref().map(|l| l.light.code()))
                .bind(light.as_ref().map(|l| l.reason.clone()))
                .bind(i64_(n, "id")?)
                .execute(&mut *conn)
                .await?;
            lit.extend(light);
        }
        lit.extend(start_light(rules, stage, opt_date(&p, "planned_start_on")?, as_of));
        let project = if active { Some(worst(lit)) } else { None };
        sqlx::query("UPDATE projects SET light = $1, light_reason = $2 WHERE id = $3")
            .bind(project.as_ref().map(|l| l.light.code()))
            .bind(project.as_ref().map(|l| format!("{}：{}", l.light.label_zh(), l.reason)))
            .bind(project_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }
}
