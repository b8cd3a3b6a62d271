//! The land quota (用地指标): the ledger's balance, its years, the refusal of an allocation
//! beyond the balance and the warnings for land-needing nodes (pure rules and figures).

use crate::error::{RuleError, refuse};
use crate::model::LandEntryKind;
use crate::money::LandArea;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Node names that consume land quota: the plot must be covered by an allocation before them.
pub const LAND_NODES: &[&str] = &["土地摘牌", "土地出让", "供地", "用地报批"];

/// Does a node with this name need land quota?
pub fn needs_land(node_name: &str) -> bool {
    LAND_NODES.contains(&node_name)
}

/// One ledger entry as the balance sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LandEntry {
    pub entry_on: NaiveDate,
    pub kind: LandEntryKind,
    pub area: LandArea,
}

/// Grants, allocations, releases and the balance (指标余额 = 下达 − 分配 + 收回).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct LandBalance {
    pub granted: LandArea,
    pub allocated: LandArea,
    pub released: LandArea,
    pub balance: LandArea,
}

/// The balance over all entries.
pub fn land_balance(entries: &[LandEntry]) -> LandBalance {
    let sum = |k: LandEntryKind| LandArea::from_centi_mu(entries.iter().filter(|e| e.kind == k).map(|e| e.area.centi_mu()).sum());
    let (granted, allocated, released) = (
        sum(LandEntryKind::Grant),
        sum(LandEntryKind::Allocation),
        sum(LandEntryKind::Release),
    );
    LandBalance {
        granted,
        allocated,
        released,
        balance: LandArea::from_centi_mu(granted.centi_mu() - allocated.centi_mu() + released.centi_mu()),
    }
}

/// A year's movements, and the balance carried at its end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LandYear {
    pub year: i32,
    pub granted: LandArea,
    pub allocated: LandArea,
    pub released: LandArea,
    /// The balance at the end of the year, all earlier years included.
    pub closing_balance: LandArea,
}

pub fn land_by_year(entries: &[LandEntry]) -> Vec<LandYear> {
    let mut years: BTreeMap<i32, Vec<LandEntry>> = BTreeMap::new();
    for e in entries {
        years.entry(e.entry_on.year()).or_default().push(e.clone());
    }
    let mut carried = 0;
    years
        .into_iter()
        .map(|(year, es)| {
            let b = land_balance(&es);
            carried += b.balance.centi_mu();
            LandYear {
                year,
                granted: b.granted,
                allocated: b.allocated,
                released: b.released,
                closing_balance: LandArea::from_centi_mu(carried),
            }
        })
        .collect()
}

/// Refuses an allocation larger than the balance, or not positive.
pub fn check_allocation(balance: LandArea, area: LandArea) -> Result<(), RuleError> {
    if area.centi_mu() <= 0 {
        return refuse("land_area_not_positive", "分配面积须大于0亩");
    }
    if area > balance {
        return refuse("land_quota_exceeded", format!("用地指标余额不足：余额{balance}，拟分配{area}"));
    }
    Ok(())
}

/// An open land-needing node of a project, with the land the project needs and has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LandNeed {
    pub project_id: i64,
    pub project_name: String,
    pub node_id: i64,
    pub node_name: String,
    pub planned_on: NaiveDate,
    pub land_area: LandArea,
    pub allocated: LandArea,
}

/// A warning: a land-needing node due soon (or overdue) whose project's land is not covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LandWarning {
    #[serde(flatten)]
    pub need: LandNeed,
    /// Days until the node is due; negative when overdue.
    pub days_left: i64,
    pub shortfall: LandArea,
    pub message: String,
}

/// The warnings among `needs` as of a day: due within `within_days` or overdue, and the
/// allocations not covering the project's land area. Most urgent first.
pub fn land_warnings(needs: &[LandNeed], as_of: NaiveDate, within_days: i64) -> Vec<LandWarning> {
    let mut out: Vec<LandWarning> = needs
        .iter()
        .filter(|n| n.allocated < n.land_area)
        .filter_map(|n| {
            let days_left = (n.planned_on - as_of).num_days();
            (days_left <= within_days).then(|| {
                let shortfall = LandArea::from_centi_mu(n.land_area.centi_mu() - n.allocated.centi_mu());
                let when = if days_left < 0 {
                    format!("已逾期{}天", -days_left)
                } else {
                    format!("还有{days_left}天到期")
                };
                LandWarning {
                    need: n.clone(),
                    days_left,
                    shortfall,
                    message: format!(
                        "“{}”的节点“{}”计划{}完成（{when}），需用地{}，已分配指标{}，缺口{shortfall}",
                        n.project_name, n.node_name, n.planned_on, n.land_area, n.allocated
                    ),
                }
            })
        })
        .collect();
    out.sort_by(|a, b| a.days_left.cmp(&b.days_left).then(a.need.project_id.cmp(&b.need.project_id)));
    out
}

/// A grant of quota from above: a positive area.
pub fn check_grant(area: LandArea) -> Result<(), RuleError> {
    if area.centi_mu() <= 0 {
        return refuse("land_grant_not_positive", "下达面积须大于0亩");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn land_balance_and_refusal() {
        let e = |m: u32, kind, mu| LandEntry {
            entry_on: d(2019, m, 1),
            kind,
            area: LandArea::from_mu(mu),
        };
        let entries = vec![
            e(1, LandEntryKind::Grant, 300),
            e(3, LandEntryKind::Allocation, 100),
            e(5, LandEntryKind::Release, 20),
        ];
        let b = land_balance(&entries);
        assert_eq!(b.balance, LandArea::from_mu(220));
        assert!(check_allocation(b.balance, LandArea::from_mu(220)).is_ok());
        assert!(
            check_allocation(b.balance, LandArea::from_centi_mu(22001))
                .unwrap_err()
                .message
                .contains("余额不足")
        );
        assert_eq!(
            check_allocation(b.balance, LandArea::from_centi_mu(22001)).unwrap_err().code,
            "land_quota_exceeded"
        );
        assert_eq!(
            check_allocation(b.balance, LandArea::from_mu(0)).unwrap_err().code,
            "land_area_not_positive"
        );
        let mut more = entries.clone();
        more.push(LandEntry {
            entry_on: d(2020, 2, 1),
            kind: LandEntryKind::Grant,
            area: LandArea::from_mu(185),
        });
        let years = land_by_year(&more);
        assert_eq!(years[1].closing_balance, LandArea::from_mu(405));
    }

    #[test]
    fn land_warnings_for_uncovered_nodes_due_soon() {
        let need = |id: i64, due: NaiveDate, area: i64, got: i64| LandNeed {
            project_id: id,
            project_name: format!("项目{id}"),
            node_id: id * 10,
            node_name: "土地摘牌".into(),
            planned_on: due,
            land_area: LandArea::from_mu(area),
            allocated: LandArea::from_mu(got),
        };
        let as_of = d(2019, 12, 1);
        let w = land_warnings(
            &[
                need(1, d(2019, 12, 20), 50, 0),
                need(2, d(2019, 11, 1), 30, 10),
                need(3, d(2019, 12, 10), 40, 40),
                need(4, d(2020, 6, 1), 40, 0),
            ],
            as_of,
            30,
        );
        assert_eq!(w.iter().map(|x| x.need.project_id).collect::<Vec<_>>(), vec![2, 1]);
        assert_eq!(w[0].shortfall, LandArea::from_mu(20));
        assert!(w[0].message.contains("已逾期30天"), "{}", w[0].message);
        assert!(needs_land("土地摘牌") && !needs_land("施工许可"));
    }
}
