//! The units' project-planning contest (一把手项目谋划擂台赛, `zhantu_domain::planning`): what each
//! unit planned into the reserve pool in a year, read from the projects themselves (a project's
//! unit and its 谋划 year), so the contest's total is the cockpit's 年度谋划项目.

use crate::row::{i64_, text};
use crate::{Store, StoreError};
use std::collections::BTreeMap;
use zhantu_domain::Money;
use zhantu_domain::model::UnitKind;
use zhantu_domain::planning::{MAJOR, Planned};

impl Store {
    /// Every unit (of `scope` when given) with what it planned in `year`, in the units' order;
    /// active units that planned nothing are included with zeros.
    pub async fn planned_by_unit(&self, year: i32, scope: Option<&[i64]>) -> Result<Vec<(String, Planned)>, StoreError> {
        let mut counts: BTreeMap<i64, (u32, Money, u32)> = BTreeMap::new();
        for r in sqlx::query("SELECT unit_id, total_investment FROM projects WHERE planned_year = $1")
            .bind(year as i64)
            .fetch_all(&self.pool)
            .await?
        {
            let amount = Money::from_yuan(i64_(&r, "total_investment")?);
            let c = counts.entry(i64_(&r, "unit_id")?).or_default();
            c.0 += 1;
            c.1 = c.1 + amount;
            if amount >= MAJOR {
                c.2 += 1;
            }
        }
        let mut out = Vec::new();
        for r in sqlx::query("SELECT id, name, kind, active FROM units ORDER BY sort_order, id")
            .fetch_all(&self.pool)
            .await?
        {
            let id = i64_(&r, "id")?;
            if scope.is_some_and(|s| !s.contains(&id)) {
                continue;
            }
            let kind_code = text(&r, "kind")?;
            let kind = UnitKind::from_code(&kind_code).ok_or_else(|| StoreError::Corrupt(format!("单位类型“{kind_code}”无效")))?;
            let (projects, investment, major) = counts.get(&id).copied().unwrap_or_default();
            // A unit closed down that planned nothing this year is not in the contest.
            if projects == 0 && i64_(&r, "active")? == 0 {
                continue;
            }
            out.push((
                text(&r, "name")?,
                Planned {
                    unit_id: id,
                    kind,
                    projects,
                    investment,
                    major,
                },
            ));
        }
        Ok(out)
    }
}
