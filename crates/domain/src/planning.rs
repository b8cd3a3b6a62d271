//! 一把手项目谋划擂台赛 (the units' project-planning contest): the seed article's "区、街道(镇)、部门三级
//! 联动，共谋划重大项目188个" — every unit's count of projects planned (谋划) into the reserve pool in the
//! year, ranked against the units of its own tier: the streets and towns against each other, the
//! departments (with the state enterprises, zones and attraction teams) against each other; the
//! district's own projects are counted, not ranked.
//!
//! **Rank** (written into the README's glossary of figures): within a tier, by projects planned,
//! then by their estimated total investment, both descending; units equal on both share a place and
//! the next place is skipped (1, 2, 2, 4). A unit that planned nothing is listed last, unranked.

use crate::labelled::code_enum;
use crate::model::UnitKind;
use crate::money::Money;

code_enum!(
    /// The contest's tiers (三级联动).
    Tier {
        District = "district", "区级", "District";
        Towns = "towns", "街道（镇）", "Streets and towns";
        Departments = "departments", "部门", "Departments";
    }
);

impl Tier {
    /// The tier a unit competes in.
    pub fn of(kind: UnitKind) -> Tier {
        match kind {
            UnitKind::District => Tier::District,
            UnitKind::Street | UnitKind::Town => Tier::Towns,
            UnitKind::Department | UnitKind::StateEnterprise | UnitKind::AttractionTeam | UnitKind::Zone => Tier::Departments,
        }
    }
}

/// What one unit planned in the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub unit_id: i64,
    pub kind: UnitKind,
    pub projects: u32,
    /// The planned projects' estimated total investment.
    pub investment: Money,
    /// Of them, projects of 5亿元 or more (重大项目 in the seed's sense of 5亿元以上).
    pub major: u32,
}

/// A unit's line of the contest.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContestRow {
    pub unit_id: i64,
    pub tier: Tier,
    pub projects: u32,
    pub investment: Money,
    pub major: u32,
    /// The place within its tier; `None` for the district's own line and units that planned nothing.
    pub rank: Option<u32>,
}

/// Projects of this size or more are counted as major.
pub const MAJOR: Money = Money::from_wan(50_000);

/// The contest: the units of each tier in rank order (ties share a place), district first, then
/// streets and towns, then departments; units that planned nothing last in their tier.
pub fn contest(planned: &[Planned]) -> Vec<ContestRow> {
    let mut out = Vec::new();
    for tier in Tier::ALL {
        let mut rows: Vec<&Planned> = planned.iter().filter(|p| Tier::of(p.kind) == *tier).collect();
        rows.sort_by(|a, b| {
            (b.projects, b.investment)
                .cmp(&(a.projects, a.investment))
                .then(a.unit_id.cmp(&b.unit_id))
        });
        let mut place = 0;
        let mut last: Option<(u32, Money)> = None;
        for (i, p) in rows.iter().enumerate() {
            let rank = if *tier == Tier::District || p.projects == 0 {
                None
            } else {
                if last != Some((p.projects, p.investment)) {
                    place = i as u32 + 1;
                    last = Some((p.projects, p.investment));
                }
                Some(place)
            };
            out.push(ContestRow {
                unit_id: p.unit_id,
                tier: *tier,
                projects: p.projects,
                investment: p.investment,
                major: p.major,
                rank,
            });
        }
    }
    out
}

/// The contest's totals: projects planned and their investment, over every unit.
pub fn totals(rows: &[ContestRow]) -> (u32, Money) {
    rows.iter().fold((0, Money::ZERO), |(n, m), r| (n + r.projects, m + r.investment))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(unit_id: i64, kind: UnitKind, projects: u32, wan: i64) -> Planned {
        Planned {
            unit_id,
            kind,
            projects,
            investment: Money::from_wan(wan),
            major: 0,
        }
    }

    #[test]
    fn units_rank_within_their_tier_by_count_then_investment_and_ties_share_a_place() {
        let rows = contest(&[
            p(1, UnitKind::District, 9, 900_000),
            p(2, UnitKind::Street, 12, 100_000),
            p(3, UnitKind::Town, 12, 300_000),
            p(4, UnitKind::Street, 7, 50_000),
            p(5, UnitKind::Street, 7, 50_000),
            p(6, UnitKind::Street, 3, 10_000),
            p(7, UnitKind::Department, 5, 1_000),
            p(8, UnitKind::StateEnterprise, 0, 0),
            p(9, UnitKind::AttractionTeam, 6, 1_000),
        ]);
        let seen: Vec<(i64, Tier, Option<u32>)> = rows.iter().map(|r| (r.unit_id, r.tier, r.rank)).collect();
        assert_eq!(
            seen,
            [
                (1, Tier::District, None),
                // 12 projects each: the larger investment first.
                (3, Tier::Towns, Some(1)),
                (2, Tier::Towns, Some(2)),
                // Equal on both: one place shared, the next skipped.
                (4, Tier::Towns, Some(3)),
                (5, Tier::Towns, Some(3)),
                (6, Tier::Towns, Some(5)),
                (9, Tier::Departments, Some(1)),
                (7, Tier::Departments, Some(2)),
                // Planned nothing: listed, unranked.
                (8, Tier::Departments, None),
            ]
        );
        assert_eq!(totals(&rows), (61, Money::from_wan(1_412_000)));
        assert!(contest(&[]).is_empty());
    }

    #[test]
    fn every_kind_of_unit_has_a_tier() {
        for kind in UnitKind::ALL {
            let tier = Tier::of(*kind);
            assert_eq!(tier == Tier::District, *kind == UnitKind::District);
        }
        assert_eq!(MAJOR, Money::from_yuan(500_000_000));
    }
}
