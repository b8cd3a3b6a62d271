//! Roll-ups (汇总亮灯): node → project → unit → leader. The worst light wins; the count per
//! colour is kept, so a unit with one red and forty greens reads differently from one with
//! forty reds.

use super::eval::{ProjectFacts, ProjectVerdict};
use crate::lights::Light;
use serde::Serialize;
use std::collections::BTreeMap;

/// How many of each colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct LightCounts {
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
}

impl LightCounts {
    pub fn add(&mut self, light: Light) {
        match light {
            Light::Green => self.green += 1,
            Light::Yellow => self.yellow += 1,
            Light::Red => self.red += 1,
        }
    }
    pub fn merge(&mut self, other: &LightCounts) {
        self.green += other.green;
        self.yellow += other.yellow;
        self.red += other.red;
    }
    pub fn total(&self) -> u32 {
        self.green + self.yellow + self.red
    }
    /// The worst colour present; `None` when empty.
    pub fn worst(&self) -> Option<Light> {
        if self.red > 0 {
            Some(Light::Red)
        } else if self.yellow > 0 {
            Some(Light::Yellow)
        } else if self.green > 0 {
            Some(Light::Green)
        } else {
            None
        }
    }
}

/// A group's light (the worst of its members) and its counts. `light` is `None` for a group
/// with nothing lit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Rollup {
    pub light: Option<Light>,
    pub counts: LightCounts,
}

impl Rollup {
    pub fn add(&mut self, light: Light) {
        self.counts.add(light);
        self.light = self.counts.worst();
    }
    pub fn merge(&mut self, other: &Rollup) {
        self.counts.merge(&other.counts);
        self.light = self.counts.worst();
    }
}

/// Rolls up lights; unlit members (`None`) are skipped.
pub fn roll_up(lights: impl IntoIterator<Item = Option<Light>>) -> Rollup {
    let mut r = Rollup::default();
    for l in lights.into_iter().flatten() {
        r.add(l);
    }
    r
}

/// Rolls up lights per key (a unit, a leader, a category …).
pub fn roll_up_by<K: Ord>(items: impl IntoIterator<Item = (K, Option<Light>)>) -> BTreeMap<K, Rollup> {
    let mut out: BTreeMap<K, Rollup> = BTreeMap::new();
    for (k, l) in items {
        let entry = out.entry(k).or_default();
        if let Some(l) = l {
            entry.add(l);
        }
    }
    out
}

/// Adds each unit's roll-up into all its ancestors, so a street shows its own projects and
/// those of the units below it. `parent_of` gives a unit's parent; a cycle is cut after 64
/// levels.
pub fn roll_up_unit_tree(direct: &BTreeMap<i64, Rollup>, parent_of: impl Fn(i64) -> Option<i64>) -> BTreeMap<i64, Rollup> {
    let mut out = direct.clone();
    for (unit, r) in direct {
        let mut at = parent_of(*unit);
        let mut depth = 0;
        while let Some(p) = at {
            if p == *unit || depth >= 64 {
                break;
            }
            out.entry(p).or_default().merge(r);
            at = parent_of(p);
            depth += 1;
        }
    }
    out
}

/// The battle map's summary: the district, each unit, each leader (projects), and all nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Board {
    /// Every watched project.
    pub district: Rollup,
    /// Projects per responsible unit (direct, see `roll_up_unit_tree` for the tree).
    pub by_unit: BTreeMap<i64, Rollup>,
    /// Projects per responsible leader.
    pub by_leader: BTreeMap<i64, Rollup>,
    /// Every node of every watched project.
    pub nodes: Rollup,
}

/// Builds the board from the facts and their verdicts (same order, as `evaluate_all`
/// returns them).
pub fn board(projects: &[ProjectFacts], verdicts: &[ProjectVerdict]) -> Board {
    let mut b = Board::default();
    for (p, v) in projects.iter().zip(verdicts) {
        debug_assert_eq!(p.id, v.project_id, "verdicts in the order of the facts");
        let unit = b.by_unit.entry(p.unit_id).or_default();
        if let Some(l) = v.light {
            unit.add(l);
            b.district.add(l);
            if let Some(leader) = p.leader_id {
                b.by_leader.entry(leader).or_default().add(l);
            }
            b.nodes.counts.merge(&v.node_counts);
        } else if let Some(leader) = p.leader_id {
            b.by_leader.entry(leader).or_default();
        }
    }
    b.nodes.light = b.nodes.counts.worst();
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_wins_and_counts_are_kept() {
        let r = roll_up([Some(Light::Green), Some(Light::Red), None, Some(Light::Yellow), Some(Light::Red)]);
        assert_eq!(r.light, Some(Light::Red));
        assert_eq!(
            r.counts,
            LightCounts {
                green: 1,
                yellow: 1,
                red: 2
            }
        );
        assert_eq!(roll_up([None]).light, None);
        let by = roll_up_by([
            (7, Some(Light::Green)),
            (8, Some(Light::Yellow)),
            (7, Some(Light::Yellow)),
            (9, None),
        ]);
        assert_eq!(by[&7].light, Some(Light::Yellow));
        assert_eq!(by[&7].counts.total(), 2);
        assert_eq!(by[&9].light, None);
    }

    #[test]
    fn units_roll_up_into_their_parents() {
        // 1 = district, 2 = a street under it, 3 = a community under the street.
        let parent = |u: i64| match u {
            2 => Some(1),
            3 => Some(2),
            _ => None,
        };
        let direct = roll_up_by([(2, Some(Light::Green)), (3, Some(Light::Red)), (1, Some(Light::Green))]);
        let tree = roll_up_unit_tree(&direct, parent);
        assert_eq!(tree[&3].light, Some(Light::Red));
        assert_eq!(tree[&2].light, Some(Light::Red));
        assert_eq!(tree[&2].counts.total(), 2);
        assert_eq!(tree[&1].counts.total(), 3);
        // A cycle does not hang.
        let cyc = roll_up_unit_tree(&direct, |u| Some(if u == 1 { 2 } else { 1 }));
        assert!(cyc[&1].counts.total() >= 2);
    }
}
