//! The administrator's rule sets of the lights (versioned): the one in force, saving a new
//! version (which recomputes every light) and the list of versions.

use crate::audit::{AuditCtx, append};
use crate::row::{i64_, read_all, text};
use crate::writes::now;
use crate::{Store, StoreError};
use serde::Serialize;
use serde_json::json;
use sqlx::AnyConnection;
use zhantu_domain::lights::LightRules;
use zhantu_domain::rules::RuleSet;

#[derive(Debug, Clone, Serialize)]
pub struct RuleSetVersion {
    pub id: i64,
    pub version: u32,
    pub created_at: String,
    pub created_by: String,
}

impl Store {
    /// The administrator's newest rule set; an older thresholds-only record is converted;
    /// without any, the defaults.
    pub async fn rule_set(&self) -> Result<RuleSet, StoreError> {
        let mut c = self.pool.acquire().await?;
        rule_set_on(&mut c).await
    }
    /// Saves a new version of the rule set (its version must be the next one) and recomputes
    /// every light with it, in one transaction: the stored lights are never those of another
    /// rule set than the stored one, even when the process dies half-way.
    pub async fn save_rule_set(&self, rules: &RuleSet, ctx: &AuditCtx) -> Result<RuleSetVersion, StoreError> {
        let mut tx = self.begin_locked().await?;
        let current = rule_set_on(&mut tx).await?;
        if rules.version != current.version + 1 {
            return Err(StoreError::Conflict {
                by: "其他管理员".into(),
                at: format!("第{}版（请基于最新版修改，新版本号应为{}）", current.version, current.version + 1),
            });
        }
        let json = serde_json::to_string(rules).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO light_rule_sets (rules_json, created_at, created_by) VALUES ($1, $2, $3) RETURNING id")
                .bind(&json)
                .bind(now())
                .bind(&ctx.actor)
                .fetch_one(&mut *tx)
                .await?;
        append(
            &mut tx,
            ctx,
            "rules.save",
            "rule_set",
            Some(id),
            Some(&json!({ "version": current.version })),
            Some(&serde_json::to_value(rules).unwrap_or_default()),
        )
        .await?;
        let run = self.lights_run_in(&mut tx, "rules").await?;
        tx.commit().await?;
        self.announce_lights_run(run).await?;
        Ok(RuleSetVersion {
            id,
            version: rules.version,
            created_at: now(),
            created_by: ctx.actor.clone(),
        })
    }

    pub async fn rule_set_versions(&self) -> Result<Vec<RuleSetVersion>, StoreError> {
        read_all(
            sqlx::query("SELECT id, rules_json, created_at, created_by FROM light_rule_sets ORDER BY id DESC"),
            &self.pool,
            |r| {
                let version = serde_json::from_str::<serde_json::Value>(&text(r, "rules_json")?)
                    .ok()
                    .and_then(|v| v["version"].as_u64())
                    .unwrap_or(1) as u32;
                Ok(RuleSetVersion {
                    id: i64_(r, "id")?,
                    version,
                    created_at: text(r, "created_at")?,
                    created_by: text(r, "created_by")?,
                })
            },
        )
        .await
    }
}

/// The newest rule set as `conn` sees it (inside a transaction: with its own writes).
pub(crate) async fn rule_set_on(conn: &mut AnyConnection) -> Result<RuleSet, StoreError> {
    let json: Option<String> = sqlx::query_scalar("SELECT rules_json FROM light_rule_sets ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match json {
        None => RuleSet::default(),
        Some(j) => match RuleSet::from_json(&j) {
            Ok(r) => r,
            Err(_) => serde_json::from_str::<LightRules>(&j)
                .map(|l| RuleSet::from(&l))
                .unwrap_or_default(),
        },
    })
}
