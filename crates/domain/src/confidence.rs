//! Delivery confidence (履约信心评级), as the UK's Government Major Projects Portfolio gives it
//! (the Infrastructure and Projects Authority's Delivery Confidence Assessment, five levels until
//! 2023): each month the project's responsible leader rates how likely delivery on time and on
//! budget is, with a written reason. The rating stands beside the rule-computed light, and where
//! the two are far apart that is itself worth a look: a leader sure of a project whose nodes are
//! overdue (optimistic), or worried about one the rules see on track (a risk the rules cannot see).
//!
//! The levels, in the IPA's words (Annual Report on Major Projects):
//! - 绿 Green: successful delivery appears highly likely; no major outstanding issues.
//! - 绿黄 Amber/Green: successful delivery appears probable; constant attention needed.
//! - 黄 Amber: delivery appears feasible but significant issues exist; resolvable now.
//! - 黄红 Amber/Red: successful delivery is in doubt; major risks in key areas; urgent action.
//! - 红 Red: successful delivery appears unachievable; issues not manageable at this stage.
//!
//! **Disagreement** (zhantu's rule, written into the README's glossary of figures): the light
//! stands on the same five steps — green on step 0, yellow on step 2, red on step 4 — and a rating
//! two or more steps away from its light disagrees with it: *optimistic* when the rating is the
//! better of the two, *pessimistic* when it is the worse.

use crate::date::parse_month;
use crate::error::{FieldErrors, checked_text};
use crate::figures::Pct1;
use crate::labelled::code_enum;
use crate::lights::Light;

code_enum!(
    /// A delivery-confidence level, from the best to the worst.
    Confidence {
        Green = "green", "绿", "Green";
        AmberGreen = "amber_green", "绿黄", "Amber/Green";
        Amber = "amber", "黄", "Amber";
        AmberRed = "amber_red", "黄红", "Amber/Red";
        Red = "red", "红", "Red";
    }
);

impl Confidence {
    /// Its step on the five-step scale: 0 (green) … 4 (red).
    pub fn step(self) -> i32 {
        match self {
            Confidence::Green => 0,
            Confidence::AmberGreen => 1,
            Confidence::Amber => 2,
            Confidence::AmberRed => 3,
            Confidence::Red => 4,
        }
    }
}

/// A light's step on the same scale.
fn light_step(light: Light) -> i32 {
    match light {
        Light::Green => 0,
        Light::Yellow => 2,
        Light::Red => 4,
    }
}

/// How a rating disagrees with its project's light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Disagreement {
    /// The leader is surer than the rules (e.g. 绿 on a red light).
    Optimistic,
    /// The leader is more worried than the rules (e.g. 黄红 on a green light).
    Pessimistic,
}

impl Disagreement {
    pub fn code(self) -> &'static str {
        match self {
            Disagreement::Optimistic => "optimistic",
            Disagreement::Pessimistic => "pessimistic",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Disagreement::Optimistic => "评级比灯乐观",
            Disagreement::Pessimistic => "评级比灯悲观",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Disagreement::Optimistic => "rated better than its light",
            Disagreement::Pessimistic => "rated worse than its light",
        }
    }
}

/// Whether (and how) a rating disagrees with the light: two or more steps apart.
pub fn disagreement(light: Light, rating: Confidence) -> Option<Disagreement> {
    let gap = rating.step() - light_step(light);
    if gap <= -2 {
        Some(Disagreement::Optimistic)
    } else if gap >= 2 {
        Some(Disagreement::Pessimistic)
    } else {
        None
    }
}

/// Which disagreement a registry filter asks for: either direction, or one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisagreeFilter {
    Any,
    Only(Disagreement),
}

impl DisagreeFilter {
    /// `1`/`any`, `optimistic` or `pessimistic`.
    pub fn from_code(s: &str) -> Option<DisagreeFilter> {
        match s {
            "1" | "any" | "true" => Some(DisagreeFilter::Any),
            "optimistic" => Some(DisagreeFilter::Only(Disagreement::Optimistic)),
            "pessimistic" => Some(DisagreeFilter::Only(Disagreement::Pessimistic)),
            _ => None,
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            DisagreeFilter::Any => "1",
            DisagreeFilter::Only(d) => d.code(),
        }
    }
    /// Every (light, level) pair this filter selects, from [`disagreement`] itself, so a query
    /// can select them without restating the rule.
    pub fn pairs(self) -> Vec<(Light, Confidence)> {
        let mut out = Vec::new();
        for &light in Light::ALL {
            for &level in Confidence::ALL {
                match (self, disagreement(light, level)) {
                    (DisagreeFilter::Any, Some(_)) => out.push((light, level)),
                    (DisagreeFilter::Only(want), Some(d)) if d == want => out.push((light, level)),
                    _ => {}
                }
            }
        }
        out
    }
}

/// The longest reason, in characters.
pub const MAX_REASON_CHARS: usize = 500;

/// A month's rating as a leader gives it, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingInput {
    /// `YYYY-MM`.
    pub month: String,
    pub level: Confidence,
    pub reason: String,
}

impl RatingInput {
    /// Every field checked at once: the month (`2019-06`, `2019年6月`), the level (code or Chinese
    /// label) and a reason, which is required: a rating without one tells nobody anything.
    pub fn parse(month: &str, level: &str, reason: &str) -> Result<RatingInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let month = errors.take("month", parse_month(month)).map(|(y, m)| format!("{y:04}-{m:02}"));
        let typed = level.trim();
        let level = Confidence::from_code_or_label(typed);
        if level.is_none() {
            errors.push(
                "level",
                "confidence_level_unknown",
                format!("评级“{typed}”无效：应为 绿、绿黄、黄、黄红 或 红"),
            );
        }
        let reason = checked_text(
            reason,
            MAX_REASON_CHARS,
            Some(("confidence_reason_empty", "请写明评级理由")),
            ("confidence_reason_long", "评级理由不能超过500个字"),
        );
        let reason = match reason {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push("reason", e.code, e.message);
                None
            }
        };
        errors.or(|| RatingInput {
            month: month.unwrap_or_default(),
            level: level.unwrap_or(Confidence::Amber),
            reason: reason.unwrap_or_default(),
        })
    }
}

/// One project's rating of a month, with its light then, as the figures take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatedProject {
    pub unit_id: i64,
    pub light: Light,
    pub level: Confidence,
}

/// How often a unit's ratings disagree with their lights.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitDisagreement {
    pub unit_id: i64,
    /// Projects rated.
    pub rated: usize,
    pub optimistic: usize,
    pub pessimistic: usize,
    /// (optimistic + pessimistic) ÷ rated, one decimal.
    pub disagreement_pct: Option<Pct1>,
}

/// The disagreement figures by unit, in the order units first appear in `rated`.
pub fn disagreement_by_unit(rated: &[RatedProject]) -> Vec<UnitDisagreement> {
    let mut out: Vec<UnitDisagreement> = Vec::new();
    for r in rated {
        let i = match out.iter().position(|u| u.unit_id == r.unit_id) {
            Some(i) => i,
            None => {
                out.push(UnitDisagreement {
                    unit_id: r.unit_id,
                    rated: 0,
                    optimistic: 0,
                    pessimistic: 0,
                    disagreement_pct: None,
                });
                out.len() - 1
            }
        };
        let u = &mut out[i];
        u.rated += 1;
        match disagreement(r.light, r.level) {
            Some(Disagreement::Optimistic) => u.optimistic += 1,
            Some(Disagreement::Pessimistic) => u.pessimistic += 1,
            None => {}
        }
    }
    for u in &mut out {
        u.disagreement_pct = Pct1::ratio((u.optimistic + u.pessimistic) as i128, u.rated as i128);
    }
    out
}

/// The disagreement figures of all `rated` together (unit id 0).
pub fn disagreement_total(rated: &[RatedProject]) -> UnitDisagreement {
    let all: Vec<RatedProject> = rated.iter().map(|r| RatedProject { unit_id: 0, ..r.clone() }).collect();
    disagreement_by_unit(&all).pop().unwrap_or(UnitDisagreement {
        unit_id: 0,
        rated: 0,
        optimistic: 0,
        pessimistic: 0,
        disagreement_pct: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_two_steps_from_their_light_disagree() {
        use Confidence::*;
        // Red light (step 4): 绿, 绿黄 and 黄 are optimistic; 黄红 and 红 agree.
        assert_eq!(disagreement(Light::Red, Green), Some(Disagreement::Optimistic));
        assert_eq!(disagreement(Light::Red, AmberGreen), Some(Disagreement::Optimistic));
        assert_eq!(disagreement(Light::Red, Amber), Some(Disagreement::Optimistic));
        assert_eq!(disagreement(Light::Red, AmberRed), None);
        assert_eq!(disagreement(Light::Red, Red), None);
        // Yellow light: only the ends disagree.
        assert_eq!(disagreement(Light::Yellow, Green), Some(Disagreement::Optimistic));
        assert_eq!(disagreement(Light::Yellow, AmberGreen), None);
        assert_eq!(disagreement(Light::Yellow, AmberRed), None);
        assert_eq!(disagreement(Light::Yellow, Red), Some(Disagreement::Pessimistic));
        // Green light: 黄 and worse are pessimistic.
        assert_eq!(disagreement(Light::Green, AmberGreen), None);
        assert_eq!(disagreement(Light::Green, Amber), Some(Disagreement::Pessimistic));
        assert_eq!(disagreement(Light::Green, Red), Some(Disagreement::Pessimistic));
    }

    #[test]
    fn the_filter_pairs_are_exactly_the_disagreeing_ones() {
        use Confidence::*;
        let any = DisagreeFilter::Any.pairs();
        // Red: 3 optimistic; yellow: 1 each way; green: 3 pessimistic.
        assert_eq!(any.len(), 8);
        assert!(any.contains(&(Light::Red, Amber)) && !any.contains(&(Light::Red, AmberRed)));
        let opt = DisagreeFilter::from_code("optimistic").unwrap().pairs();
        assert_eq!(
            opt,
            [
                (Light::Yellow, Green),
                (Light::Red, Green),
                (Light::Red, AmberGreen),
                (Light::Red, Amber)
            ]
        );
        assert!(opt.iter().all(|&(l, c)| disagreement(l, c) == Some(Disagreement::Optimistic)));
        assert_eq!(DisagreeFilter::from_code("pessimistic").unwrap().pairs().len(), 4);
        assert_eq!(DisagreeFilter::from_code("x"), None);
    }

    #[test]
    fn a_rating_needs_a_month_a_known_level_and_a_reason() {
        let r = RatingInput::parse("2019年6月", "绿黄", "  土地已摘牌，施工许可本月可办  ").unwrap();
        assert_eq!(r.month, "2019-06");
        assert_eq!(r.level, Confidence::AmberGreen);
        assert_eq!(r.reason, "土地已摘牌，施工许可本月可办");
        assert_eq!(RatingInput::parse("2019-06", "amber_red", "x").unwrap().level, Confidence::AmberRed);
        let e = RatingInput::parse("2019-13", "橙", " ").unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["invalid_month", "confidence_level_unknown", "confidence_reason_empty"]);
        let long = "字".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(
            RatingInput::parse("2019-06", "红", &long).unwrap_err().0[0].code,
            "confidence_reason_long"
        );
    }

    #[test]
    fn disagreement_by_unit_counts_each_direction_against_the_rated() {
        let r = |unit_id, light, level| RatedProject { unit_id, light, level };
        let rated = [
            r(7, Light::Red, Confidence::Green),      // optimistic
            r(7, Light::Red, Confidence::Red),        // agrees
            r(7, Light::Green, Confidence::AmberRed), // pessimistic
            r(3, Light::Yellow, Confidence::Amber),   // agrees
        ];
        let by = disagreement_by_unit(&rated);
        assert_eq!(by.len(), 2);
        assert_eq!((by[0].unit_id, by[0].rated, by[0].optimistic, by[0].pessimistic), (7, 3, 1, 1));
        assert_eq!(by[0].disagreement_pct, Some(Pct1(667)));
        assert_eq!((by[1].unit_id, by[1].rated, by[1].disagreement_pct), (3, 1, Some(Pct1(0))));
        assert!(disagreement_by_unit(&[]).is_empty());
        let all = disagreement_total(&rated);
        assert_eq!((all.rated, all.optimistic, all.pessimistic), (4, 1, 1));
        assert_eq!(all.disagreement_pct, Some(Pct1(500)));
        assert_eq!((disagreement_total(&[]).rated, disagreement_total(&[]).disagreement_pct), (0, None));
    }
}
