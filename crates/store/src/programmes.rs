//! The programmes at a glance (leads, batches, campaigns, supervision rounds, the land quota):
//! the choices their forms offer and one year's summary for the hub page and the reports.

use crate::campaigns::CampaignSummary;
use crate::choices::Named;
use crate::row::{i64_, text};
use crate::supervision::RoundSummary;
use crate::{Store, StoreError};
use chrono::Datelike;
use serde::Serialize;
use sqlx::any::AnyRow;
use zhantu_domain::batches::BatchYear;
use zhantu_domain::land::{LandBalance, LandYear};
use zhantu_domain::leads::FunnelRow;

impl Store {
    /// The attraction teams (招商组) and the district leaders, for forms.
    pub async fn programme_choices(&self) -> Result<(Vec<Named>, Vec<Named>), StoreError> {
        let named = |rows: Vec<AnyRow>| -> Result<Vec<Named>, StoreError> {
            rows.iter()
                .map(|r| {
                    Ok(Named {
                        id: i64_(r, "id")?,
                        name: text(r, "name")?,
                    })
                })
                .collect()
        };
        let teams = sqlx::query("SELECT id, name FROM units WHERE kind = 'attraction_team' AND active = 1 ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?;
        let leaders = sqlx::query("SELECT id, name FROM people WHERE is_leader = 1 AND active = 1 ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok((named(teams)?, named(leaders)?))
    }
}

impl Store {
    /// How many projects carry a category in a year (e.g. `ppp`: PPP项目入国家库).
    pub async fn category_project_count(&self, code: &str, year: i32) -> Result<i64, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(DISTINCT pc.project_id) FROM project_categories pc JOIN categories c ON c.id = pc.category_id WHERE c.code = $1 AND pc.year = $2",
        )
        .bind(code)
        .bind(year as i64)
        .fetch_one(&self.pool)
        .await?)
    }
}

/// One year of the programmes at a glance: what the hub page and the reports show.
#[derive(Debug, Clone, Serialize)]
pub struct ProgrammesSummary {
    pub year: i32,
    /// The year's groundbreaking batches added up (`None` without batches).
    pub batches: Option<BatchYear>,
    /// The campaigns that started in the year.
    pub campaigns: Vec<CampaignSummary>,
    pub rounds: i64,
    pub round_targets: i64,
    pub findings: i64,
    pub follow_ups: i64,
    /// The ledger's balance (all years) and the year's movements.
    pub land: LandBalance,
    pub land_year: Option<LandYear>,
    pub land_warnings: usize,
    /// The funnel of all leads.
    pub leads: FunnelRow,
    /// PPP projects in the national library (category `ppp`) in the year.
    pub ppp_projects: i64,
}

impl Store {
    pub async fn programmes_summary(&self, year: i32) -> Result<ProgrammesSummary, StoreError> {
        let batches = self.list_batches(Some(year)).await?.years.into_iter().find(|y| y.year == year);
        let campaigns: Vec<CampaignSummary> = self
            .list_campaigns()
            .await?
            .into_iter()
            .filter(|c| c.starts_on.year() == year)
            .collect();
        let rounds: Vec<RoundSummary> = self.list_rounds().await?.into_iter().filter(|r| r.held_on.year() == year).collect();
        let land = self.land_ledger().await?;
        Ok(ProgrammesSummary {
            year,
            batches,
            campaigns,
            rounds: rounds.len() as i64,
            round_targets: rounds.iter().map(|r| r.targets).sum(),
            findings: rounds.iter().map(|r| r.findings).sum(),
            follow_ups: rounds.iter().map(|r| r.follow_ups).sum(),
            land: land.balance,
            land_year: land.years.into_iter().find(|y| y.year == year),
            land_warnings: land.warnings.len(),
            leads: self.lead_funnel(None).await?.total,
            ppp_projects: self.category_project_count("ppp", year).await?,
        })
    }
}
