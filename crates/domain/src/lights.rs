//! Warning lights (红黄绿灯). Thresholds are data (`LightRules`, stored as JSON and edited by
//! the administrator); this module only applies them. Every light carries its reason.
//!
//! These are the node and start dimensions with fixed thresholds. The full engine — every
//! dimension, rule sets as versioned data, working days, roll-ups — is `crate::rules`;
//! `RuleSet::from(&LightRules)` gives the same lights as the functions here.

use crate::model::ReportPeriod;
use crate::stage::Stage;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Light {
    Green,
    Yellow,
    Red,
}

impl Light {
    pub const ALL: &'static [Light] = &[Light::Green, Light::Yellow, Light::Red];
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }
    pub fn from_code(s: &str) -> Option<Light> {
        match s {
            "green" => Some(Light::Green),
            "yellow" => Some(Light::Yellow),
            "red" => Some(Light::Red),
            _ => None,
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Light::Green => "绿灯",
            Light::Yellow => "黄灯",
            Light::Red => "红灯",
        }
    }
}

/// A light with the sentence that explains it, e.g. `红灯：施工许可逾期23天`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LitReason {
    pub light: Light,
    pub reason: String,
}

/// The thresholds. Defaults follow the practice gathered in PRACTICE.md §3 (node delay:
/// yellow up to 7 days late, red from 15; start: yellow after the planned month, red after
/// three months).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LightRules {
    /// An open node due within this many days is yellow.
    pub node_due_soon_days: i64,
    /// An open node overdue by more than this many days is red (less: yellow).
    pub node_red_after_days_overdue: i64,
    /// A project not started this many whole months after its planned start month is red;
    /// any month after the planned one is yellow.
    pub start_red_after_months: i32,
}

impl Default for LightRules {
    fn default() -> Self {
        LightRules {
            node_due_soon_days: 7,
            node_red_after_days_overdue: 14,
            start_red_after_months: 3,
        }
    }
}

/// The light of one node as of a date. Closed nodes have no light.
pub fn node_light(rules: &LightRules, name: &str, planned_on: NaiveDate, done: bool, as_of: NaiveDate) -> Option<LitReason> {
    if done {
        return None;
    }
    let days_late = (as_of - planned_on).num_days();
    Some(if days_late > rules.node_red_after_days_overdue {
        LitReason {
            light: Light::Red,
            reason: format!("{name}逾期{days_late}天"),
        }
    } else if days_late > 0 {
        LitReason {
            light: Light::Yellow,
            reason: format!("{name}逾期{days_late}天"),
        }
    } else if days_late == 0 {
        LitReason {
            light: Light::Yellow,
            reason: format!("{name}今日到期"),
        }
    } else if -days_late <= rules.node_due_soon_days {
        LitReason {
            light: Light::Yellow,
            reason: format!("{name}{}天内到期", -days_late),
        }
    } else {
        LitReason {
            light: Light::Green,
            reason: format!("{name}按计划推进"),
        }
    })
}

fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32
}

/// The start dimension: a project planned to start in a month that has passed and not yet
/// started.
pub fn start_light(rules: &LightRules, stage: Stage, planned_start: Option<NaiveDate>, as_of: NaiveDate) -> Option<LitReason> {
    let planned = planned_start?;
    if stage.has_landed() || stage == Stage::Terminated {
        return None;
    }
    let months = months_between(planned, as_of);
    if months > rules.start_red_after_months {
        Some(LitReason {
            light: Light::Red,
            reason: format!("计划{}年{}月开工，已滞后{}个月", planned.year(), planned.month(), months),
        })
    } else if months > 0 {
        Some(LitReason {
            light: Light::Yellow,
            reason: format!("计划{}年{}月开工，尚未开工", planned.year(), planned.month()),
        })
    } else {
        None
    }
}

/// A project's light: the worst of its dimensions; the first reason of the worst colour
/// explains it. A project with nothing to watch is green.
pub fn worst(lights: impl IntoIterator<Item = LitReason>) -> LitReason {
    lights
        .into_iter()
        .fold(None::<LitReason>, |acc, l| match acc {
            Some(a) if a.light >= l.light => Some(a),
            _ => Some(l),
        })
        .unwrap_or(LitReason {
            light: Light::Green,
            reason: "按计划推进".into(),
        })
}

// ---- history: a project's light per week and per month ----

/// The period of `kind` holding `day`: a week runs Monday to Sunday, a month from its 1st.
pub fn period_of(kind: ReportPeriod, day: NaiveDate) -> (NaiveDate, NaiveDate) {
    match kind {
        ReportPeriod::Week => {
            let start = day - chrono::Duration::days(day.weekday().num_days_from_monday() as i64);
            (start, start + chrono::Duration::days(6))
        }
        ReportPeriod::Month => {
            let start = day.with_day(1).unwrap_or(day);
            let end = start
                .checked_add_months(chrono::Months::new(1))
                .and_then(|d| d.pred_opt())
                .unwrap_or(day);
            (start, end)
        }
    }
}

/// 转绿: red in the previous period, green in this one.
pub fn recovered(previous: Option<Light>, now: Light) -> bool {
    previous == Some(Light::Red) && now == Light::Green
}

/// The days in `from..to` on which a week or a month ends, in order, each with the kinds of
/// period that end on it: the dates a year's light history is computed at.
pub fn period_ends(from: NaiveDate, to: NaiveDate) -> Vec<(NaiveDate, Vec<ReportPeriod>)> {
    let mut out = Vec::new();
    let mut day = from;
    while day < to {
        let kinds: Vec<ReportPeriod> = ReportPeriod::ALL.iter().copied().filter(|k| period_of(*k, day).1 == day).collect();
        if !kinds.is_empty() {
            out.push((day, kinds));
        }
        day = match day.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn node_lights_follow_the_thresholds() {
        let r = LightRules::default();
        let asof = d(2019, 12, 31);
        let red = node_light(&r, "施工许可", d(2019, 12, 8), false, asof).unwrap();
        assert_eq!(red.light, Light::Red);
        assert_eq!(red.reason, "施工许可逾期23天");
        assert_eq!(node_light(&r, "开工", d(2019, 12, 25), false, asof).unwrap().light, Light::Yellow);
        assert_eq!(node_light(&r, "开工", asof, false, asof).unwrap().reason, "开工今日到期");
        assert_eq!(node_light(&r, "开工", d(2020, 1, 5), false, asof).unwrap().light, Light::Yellow);
        assert_eq!(node_light(&r, "开工", d(2020, 3, 5), false, asof).unwrap().light, Light::Green);
        assert_eq!(node_light(&r, "开工", d(2019, 1, 5), true, asof), None);
    }

    #[test]
    fn start_lights() {
        let r = LightRules::default();
        assert_eq!(
            start_light(&r, Stage::Preparation, Some(d(2019, 11, 15)), d(2019, 12, 31))
                .unwrap()
                .light,
            Light::Yellow
        );
        assert_eq!(
            start_light(&r, Stage::Preparation, Some(d(2019, 6, 15)), d(2019, 12, 31))
                .unwrap()
                .light,
            Light::Red
        );
        assert_eq!(start_light(&r, Stage::Preparation, Some(d(2019, 12, 15)), d(2019, 12, 31)), None);
        assert_eq!(start_light(&r, Stage::Construction, Some(d(2019, 1, 15)), d(2019, 12, 31)), None);
    }

    #[test]
    fn periods_and_recovery() {
        use ReportPeriod::{Month, Week};
        assert_eq!(period_of(Week, d(2019, 12, 31)), (d(2019, 12, 30), d(2020, 1, 5)));
        assert_eq!(period_of(Week, d(2019, 12, 30)), (d(2019, 12, 30), d(2020, 1, 5)));
        assert_eq!(period_of(Month, d(2019, 2, 14)), (d(2019, 2, 1), d(2019, 2, 28)));
        let ends = period_ends(d(2019, 1, 1), d(2019, 12, 31));
        assert_eq!(ends.iter().filter(|(_, k)| k.contains(&Month)).count(), 11, "Jan–Nov");
        assert_eq!(ends.iter().filter(|(_, k)| k.contains(&Week)).count(), 52);
        assert_eq!(ends[0], (d(2019, 1, 6), vec![Week]));
        assert!(ends.contains(&(d(2019, 3, 31), vec![Week, Month])), "a Sunday that ends a month");
        assert!(recovered(Some(Light::Red), Light::Green));
        assert!(!recovered(Some(Light::Yellow), Light::Green));
        assert!(!recovered(Some(Light::Red), Light::Yellow));
        assert!(!recovered(None, Light::Green));
    }

    #[test]
    fn worst_wins() {
        let w = worst([
            LitReason {
                light: Light::Yellow,
                reason: "a".into(),
            },
            LitReason {
                light: Light::Red,
                reason: "b".into(),
            },
            LitReason {
                light: Light::Red,
                reason: "c".into(),
            },
        ]);
        assert_eq!((w.light, w.reason.as_str()), (Light::Red, "b"));
        assert_eq!(worst([]).light, Light::Green);
    }
}
