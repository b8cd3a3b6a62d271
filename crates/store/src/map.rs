//! The map (地图): projects counted by street or town, with their lights and investment.

use crate::row::{LIGHT_SUMS, SqlBuf, i64_, opt_i64, opt_text, read_all};
use crate::{ProjectFilter, Store, StoreError};
use zhantu_domain::Money;

/// Projects of a street or town (by division code; `None` for projects without one).
#[derive(Debug, Clone)]
pub struct DivisionCount {
    pub code: Option<String>,
    pub projects: i64,
    pub red: i64,
    pub yellow: i64,
    pub green: i64,
    pub investment: Money,
}

impl Store {
    /// Projects (not terminated) of the filter by street/town.
    pub async fn division_counts(&self, f: &ProjectFilter) -> Result<Vec<DivisionCount>, StoreError> {
        let mut q = SqlBuf::new(&format!(
            "SELECT p.division_code, COUNT(*) AS n, {LIGHT_SUMS}, CAST(SUM(p.total_investment) AS BIGINT) AS inv FROM projects p"
        ));
        self.project_where(f, &mut q).await?;
        q.push(" AND p.stage <> 'terminated' GROUP BY p.division_code");
        read_all(q.query(), &self.pool, |r| {
            Ok(DivisionCount {
                code: opt_text(r, "division_code")?,
                projects: i64_(r, "n")?,
                red: i64_(r, "red")?,
                yellow: i64_(r, "yellow")?,
                green: i64_(r, "green")?,
                investment: Money::from_yuan(opt_i64(r, "inv")?.unwrap_or(0)),
            })
        })
        .await
    }
}
