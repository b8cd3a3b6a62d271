//! Warning-light rules (亮灯规则) as data: a versioned [`RuleSet`] the administrator edits as
//! JSON, evaluated by pure functions ([`eval`]) over plain facts the store gathers, rolled up
//! node → project → unit → leader ([`rollup`]).
//!
//! Field names say how a threshold compares: `*_after_*` is strictly more than the number
//! (`red_after_days_overdue: 14` → red from the 15th day late), `*_from_*` is at least the
//! number (`yellow_from_missed: 1` → yellow from the first missed report).
//!
//! The default set ([`RuleSet::default`]) follows the published rule sets collected in
//! PRACTICE.md §3; each rule's `source` says where its numbers come from.

pub mod eval;
pub mod rollup;

pub use eval::*;
pub use rollup::*;

use crate::figures::Pct1;
use crate::lights::LightRules;
use crate::model::{DayKind, ReportPeriod};
use crate::stage::Stage;
use serde::{Deserialize, Deserializer, Serialize};

/// A complete, versioned set of rules. Stored as JSON; every edit makes a new version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSet {
    /// Increases with every saved edit; lights record the version they were computed with.
    pub version: u32,
    /// e.g. `椒江区亮灯规则（2019版）`.
    #[serde(default)]
    pub name: String,
    pub rules: Vec<Rule>,
}

/// One rule: a check with its thresholds, and where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Stable key, unique in the set, e.g. `node_due`.
    pub id: String,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// The stages it applies to; empty: every stage but 终止 (a terminated project is never lit).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<Stage>,
    /// Where the thresholds come from (出处), shown to the administrator.
    #[serde(default)]
    pub source: String,
    #[serde(flatten)]
    pub check: Check,
}

fn enabled_by_default() -> bool {
    true
}

/// The dimensions a project is watched on (PRACTICE.md §0.2: lights are computed on several
/// independent dimensions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// 节点: an open node overdue, or due soon.
    NodeDue(NodeDue),
    /// 开工: a project not started after its planned start month.
    StartDelay(StartDelay),
    /// 投资: year-to-date investment behind 序时进度 (time progress).
    InvestmentPace(InvestmentPace),
    /// 填报: progress reports missing for consecutive periods.
    ReportMissing(ReportMissing),
    /// 入库: started but not in the statistics library (入库/入统).
    StatisticsEntry(StatisticsEntry),
    /// 审批时限: an approval clock near or past its limit.
    ApprovalClock(ApprovalClockCheck),
}

/// Node due dates. Open node: red when overdue by more than `red_after_days_overdue`, yellow
/// when overdue less, due today or due within `due_soon_days`; green otherwise. In working
/// days, a node planned on a holiday is due on the next working day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeDue {
    pub day_kind: DayKind,
    pub due_soon_days: u32,
    pub red_after_days_overdue: u32,
    /// Only nodes with these names; empty: every node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// Does a node reported done but not yet verified (待核验) count as done? Default: no — the
    /// light turns green when the coordinator closes the node (销号).
    #[serde(default)]
    pub reported_counts_as_done: bool,
}

/// Start against plan, in whole calendar months after the planned start month. Yellow when
/// more than `yellow_after_months` months late (0: from the month after the planned one;
/// −1: already in the planned month), red when more than `red_after_months`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartDelay {
    pub yellow_after_months: i32,
    pub red_after_months: i32,
}

/// Investment completion against 序时进度 (months ÷ 12), in one of the forms districts use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvestmentPace {
    /// Only projects whose annual plan is at least this many 万元 (Sanya: 1000); 0: all
    /// projects with an annual plan.
    #[serde(default)]
    pub min_annual_plan_wan: i64,
    pub form: PaceForm,
}

/// The three incompatible forms of PRACTICE.md §0.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PaceForm {
    /// (a) Percentage points below 序时: completion rate − time progress. Yellow when at least
    /// `yellow_from_points` below, red when more than `red_above_points` below (Yinchuan: 10, 30).
    PointsBelow {
        #[serde(deserialize_with = "pct1")]
        yellow_from_points: Pct1,
        #[serde(deserialize_with = "pct1")]
        red_above_points: Pct1,
    },
    /// (b) A fraction of the 序时 amount (annual plan × months ÷ 12): the shortfall ÷ that
    /// amount. Yellow when the shortfall is more than `yellow_above_pct` (0: any shortfall),
    /// red when more than `red_above_pct` (Sanya: 0, 50).
    ShortfallOfTarget {
        #[serde(deserialize_with = "pct1")]
        yellow_above_pct: Pct1,
        #[serde(deserialize_with = "pct1")]
        red_above_pct: Pct1,
    },
    /// (c) Share of the annual plan completed, judged at fixed months (Jinhua, end of May:
    /// green ≥ 42 %, red < 25 %). The latest checkpoint not after the data's month applies;
    /// before the first checkpoint the dimension is not judged.
    ShareOfPlan { checkpoints: Vec<ShareCheckpoint> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareCheckpoint {
    /// The month whose end the shares are judged at (5 = 1–5月).
    pub month: u32,
    #[serde(deserialize_with = "pct1")]
    pub green_from_pct: Pct1,
    #[serde(deserialize_with = "pct1")]
    pub red_below_pct: Pct1,
}

/// Missing progress reports (进展填报). A period's report is due `grace_days` after the
/// period ends; every period since the last report whose deadline has passed is missed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMissing {
    pub period: ReportPeriod,
    pub grace_days: u32,
    pub grace_day_kind: DayKind,
    pub yellow_from_missed: u32,
    pub red_from_missed: u32,
}

/// Started but not in the statistics library (入库): yellow more than `yellow_after_months`
/// after the start date, red more than `red_after_months` after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsEntry {
    pub yellow_after_months: u32,
    pub red_after_months: u32,
}

/// Approval clocks: red once past the limit; yellow while running with at most
/// `yellow_when_remaining_at_most` days left (in the clock's own day kind). A clock that
/// closed over its limit (超时办结) is red only as long as `late_closed` says; after that it
/// is the project's history: a green reason that keeps the mark (`超时3个工作日办结`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalClockCheck {
    pub yellow_when_remaining_at_most: u32,
    /// Absent in rule sets saved before the option existed: the default, current risk.
    #[serde(default)]
    pub late_closed: LateClosed,
}

/// How long a clock that closed over its limit keeps the project red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "red", rename_all = "snake_case")]
pub enum LateClosed {
    /// While the project has not started (开工): once it is built, the late approval can no
    /// longer be made good, so it is no longer a risk to chase.
    #[default]
    UntilStart,
    /// For `days` calendar days after the clock closed (a period to explain the delay).
    ForDays { days: u32 },
    /// For good, whatever the project does since (the behaviour before this option).
    Always,
}

/// Reads a percentage with at most one decimal (`12.5`) into tenths, exactly.
fn pct1<'de, D: Deserializer<'de>>(d: D) -> Result<Pct1, D::Error> {
    let v = f64::deserialize(d)?;
    let tenths = (v * 10.0).round();
    if !v.is_finite() || (v * 10.0 - tenths).abs() > 1e-6 || tenths.abs() > 1e9 {
        return Err(serde::de::Error::custom(format!("百分比“{v}”无效：最多一位小数")));
    }
    Ok(Pct1::from_tenths(tenths as i64))
}

/// A rule set that cannot be used; the message is for the administrator.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("亮灯规则不是有效的JSON：{0}")]
    Json(String),
    #[error("亮灯规则版本号应大于0")]
    Version,
    #[error("规则编号“{0}”为空或重复")]
    Id(String),
    #[error("规则“{rule}”：{reason}")]
    Invalid { rule: String, reason: String },
}

impl RuleSet {
    /// Parses and validates the administrator's JSON.
    pub fn from_json(json: &str) -> Result<RuleSet, RuleError> {
        let set: RuleSet = serde_json::from_str(json).map_err(|e| RuleError::Json(e.to_string()))?;
        set.validate()?;
        Ok(set)
    }

    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a rule set always serialises")
    }

    /// Checks what serde cannot: thresholds in order, ids unique.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.version == 0 {
            return Err(RuleError::Version);
        }
        let mut ids = std::collections::HashSet::new();
        for r in &self.rules {
            if r.id.trim().is_empty() || !ids.insert(r.id.as_str()) {
                return Err(RuleError::Id(r.id.clone()));
            }
            let bad = |reason: &str| {
                Err(RuleError::Invalid {
                    rule: r.id.clone(),
                    reason: reason.to_string(),
                })
            };
            match &r.check {
                Check::NodeDue(_) | Check::ApprovalClock(_) => {}
                Check::StartDelay(s) => {
                    if s.yellow_after_months < -1 {
                        return bad("黄灯月数最小为-1（计划开工当月）");
                    }
                    if s.red_after_months < s.yellow_after_months {
                        return bad("红灯月数不能小于黄灯月数");
                    }
                }
                Check::InvestmentPace(p) => {
                    if p.min_annual_plan_wan < 0 {
                        return bad("年度计划投资下限不能为负");
                    }
                    match &p.form {
                        PaceForm::PointsBelow {
                            yellow_from_points,
                            red_above_points,
                        } => {
                            if yellow_from_points.tenths() < 0 || red_above_points < yellow_from_points {
                                return bad("应满足 0 ≤ 黄灯百分点 ≤ 红灯百分点");
                            }
                        }
                        PaceForm::ShortfallOfTarget {
                            yellow_above_pct,
                            red_above_pct,
                        } => {
                            if yellow_above_pct.tenths() < 0 || red_above_pct < yellow_above_pct || red_above_pct.tenths() > 1000 {
                                return bad("应满足 0 ≤ 黄灯比例 ≤ 红灯比例 ≤ 100");
                            }
                        }
                        PaceForm::ShareOfPlan { checkpoints } => {
                            if checkpoints.is_empty() {
                                return bad("至少需要一个考核时点");
                            }
                            for (i, c) in checkpoints.iter().enumerate() {
                                if !(1..=12).contains(&c.month) || (i > 0 && checkpoints[i - 1].month >= c.month) {
                                    return bad("考核月份应在1至12之间且按时间先后排列");
                                }
                                if c.red_below_pct > c.green_from_pct || c.red_below_pct.tenths() < 0 {
                                    return bad("应满足 0 ≤ 红灯线 ≤ 绿灯线");
                                }
                            }
                        }
                    }
                }
                Check::ReportMissing(m) => {
                    if m.yellow_from_missed == 0 || m.red_from_missed < m.yellow_from_missed {
                        return bad("应满足 1 ≤ 黄灯期数 ≤ 红灯期数");
                    }
                }
                Check::StatisticsEntry(s) => {
                    if s.red_after_months < s.yellow_after_months {
                        return bad("红灯月数不能小于黄灯月数");
                    }
                }
            }
        }
        Ok(())
    }

    /// The rules that are switched on.
    pub fn enabled(&self) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(|r| r.enabled)
    }
}

impl Rule {
    fn new(id: &str, stages: Vec<Stage>, source: &str, check: Check) -> Rule {
        Rule {
            id: id.into(),
            enabled: true,
            stages,
            source: source.into(),
            check,
        }
    }

    /// Does the rule watch a project in this stage?
    pub fn applies_to(&self, stage: Stage) -> bool {
        stage != Stage::Terminated && (self.stages.is_empty() || self.stages.contains(&stage))
    }
}

impl Default for RuleSet {
    /// The default rules, one per dimension, with the thresholds of published practice
    /// (PRACTICE.md §3; the numbers are theirs, the choice among them is ours):
    ///
    /// - 节点 — due within 7 days or late up to 14 days: yellow; late 15 days or more: red
    ///   (the node-delay bands of §3.2, yellow ≤ 7 / orange 7–15 / red ≥ 15, with orange
    ///   folded into yellow; the same as the existing `LightRules` default). Calendar days.
    /// - 开工 — yellow after the planned month; red more than 3 months late (银川 2025, L1:
    ///   "连续3个月" due and not started is red).
    /// - 投资 — percentage points below 序时: yellow 10–30 pp, red > 30 pp (银川 2025, L1).
    /// - 填报 — monthly reports due 5 working days after the month (广西, §4.3: "月度结束后5
    ///   个工作日内"); one missed: yellow, two running: red (三亚 2022, L2: "连续两个月" red).
    /// - 入库 — started and not in statistics: yellow after 1 month, red after 2 (银川 2025, L1).
    /// - 审批时限 — red once past the limit (浙江 "最多90天", §2.1); yellow with 10 days or less
    ///   left (our choice: no published threshold was found). A clock that closed late stays
    ///   red until the project starts (开工); then it is history (our choice: a red light
    ///   should be something someone can still act on).
    fn default() -> Self {
        let active = vec![Stage::Signed, Stage::Preparation, Stage::Started, Stage::Construction];
        RuleSet {
            version: 1,
            name: "默认亮灯规则".into(),
            rules: vec![
                Rule::new(
                    "node_due",
                    vec![],
                    "节点延误：7天内到期或逾期14天以内黄灯，逾期15天及以上红灯（企业标准：黄≤7天、橙7–15天、红≥15天，橙并入黄）",
                    Check::NodeDue(NodeDue {
                        day_kind: DayKind::Calendar,
                        due_soon_days: 7,
                        red_after_days_overdue: 14,
                        nodes: vec![],
                        reported_counts_as_done: false,
                    }),
                ),
                Rule::new(
                    "start_delay",
                    vec![],
                    "银川市2025年红黄绿灯：应开工未开工黄灯，连续3个月未开工红灯",
                    Check::StartDelay(StartDelay {
                        yellow_after_months: 0,
                        red_after_months: 3,
                    }),
                ),
                Rule::new(
                    "investment_pace",
                    vec![],
                    "银川市2025年红黄绿灯：低于序时进度10–30个百分点（含）黄灯，超过30个百分点红灯",
                    Check::InvestmentPace(InvestmentPace {
                        min_annual_plan_wan: 0,
                        form: PaceForm::PointsBelow {
                            yellow_from_points: Pct1::whole(10),
                            red_above_points: Pct1::whole(30),
                        },
                    }),
                ),
                Rule::new(
                    "report_missing",
                    active,
                    "月报于月度结束后5个工作日内报送（广西）；漏报1期黄灯，连续2期红灯（三亚市2022年亮牌督办）",
                    Check::ReportMissing(ReportMissing {
                        period: ReportPeriod::Month,
                        grace_days: 5,
                        grace_day_kind: DayKind::Working,
                        yellow_from_missed: 1,
                        red_from_missed: 2,
                    }),
                ),
                Rule::new(
                    "statistics_entry",
                    vec![],
                    "银川市2025年红黄绿灯：开工1个月未入库黄灯，超过2个月未入库红灯",
                    Check::StatisticsEntry(StatisticsEntry {
                        yellow_after_months: 1,
                        red_after_months: 2,
                    }),
                ),
                Rule::new(
                    "approval_clock",
                    vec![],
                    "审批时限（浙江“最多90天”等）：超过时限红灯；剩余10天以内黄灯（自定）；超时办结的，项目开工前红灯，开工后记为历史（自定）",
                    Check::ApprovalClock(ApprovalClockCheck {
                        yellow_when_remaining_at_most: 10,
                        late_closed: LateClosed::UntilStart,
                    }),
                ),
            ],
        }
    }
}

impl From<&LightRules> for RuleSet {
    /// The older, fixed thresholds (`lights::LightRules`) as a rule set: node due dates in
    /// calendar days and the start dimension, nothing else.
    fn from(old: &LightRules) -> Self {
        RuleSet {
            version: 1,
            name: "节点与开工亮灯规则".into(),
            rules: vec![
                Rule::new(
                    "node_due",
                    vec![],
                    "",
                    Check::NodeDue(NodeDue {
                        day_kind: DayKind::Calendar,
                        due_soon_days: old.node_due_soon_days.max(0) as u32,
                        red_after_days_overdue: old.node_red_after_days_overdue.max(0) as u32,
                        nodes: vec![],
                        reported_counts_as_done: false,
                    }),
                ),
                Rule::new(
                    "start_delay",
                    vec![],
                    "",
                    Check::StartDelay(StartDelay {
                        yellow_after_months: 0,
                        red_after_months: old.start_red_after_months,
                    }),
                ),
            ],
        }
    }
}

/// Example rule sets for the other published threshold forms, for the administrator to
/// start from (PRACTICE.md §3.1).
pub mod examples {
    use super::*;

    /// 三亚 2022 (L2): below the 序时 amount by ≤ 50 % yellow, > 50 % red; projects with an
    /// annual plan of at least 1,000万元.
    pub fn sanya_investment() -> Rule {
        Rule::new(
            "investment_pace",
            vec![],
            "三亚市2022年红黄绿亮牌督办：低于序时进度50%以内黄牌，超过50%红牌；年度计划投资1000万元以上项目",
            Check::InvestmentPace(InvestmentPace {
                min_annual_plan_wan: 1000,
                form: PaceForm::ShortfallOfTarget {
                    yellow_above_pct: Pct1::whole(0),
                    red_above_pct: Pct1::whole(50),
                },
            }),
        )
    }

    /// 金华 2020 (L3): at the end of May, ≥ 42 % of the annual plan green (蓝榜), 25–42 %
    /// yellow, < 25 % red.
    pub fn jinhua_investment() -> Rule {
        Rule::new(
            "investment_pace",
            vec![],
            "金华市2020年交通项目：5月底完成年度计划42%以上蓝榜，25%–42%黄榜，25%以下红榜",
            Check::InvestmentPace(InvestmentPace {
                min_annual_plan_wan: 0,
                form: PaceForm::ShareOfPlan {
                    checkpoints: vec![ShareCheckpoint {
                        month: 5,
                        green_from_pct: Pct1::whole(42),
                        red_below_pct: Pct1::whole(25),
                    }],
                },
            }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_set_is_valid_and_round_trips_through_json() {
        let set = RuleSet::default();
        set.validate().unwrap();
        let json = set.to_json_pretty();
        assert!(json.contains("\"kind\": \"investment_pace\""), "{json}");
        assert!(json.contains("\"yellow_from_points\": 10.0"), "{json}");
        assert_eq!(RuleSet::from_json(&json).unwrap(), set);
        for rule in [examples::sanya_investment(), examples::jinhua_investment()] {
            let mut s = RuleSet::default();
            s.rules.retain(|r| r.id != "investment_pace");
            s.rules.push(rule);
            s.validate().unwrap();
            assert_eq!(RuleSet::from_json(&s.to_json_pretty()).unwrap(), s);
        }
    }

    #[test]
    fn an_administrator_writes_a_rule_by_hand() {
        let json = r#"{
            "version": 3,
            "name": "椒江区亮灯规则",
            "rules": [
                {"id": "key_nodes", "kind": "node_due", "day_kind": "working", "due_soon_days": 3,
                 "red_after_days_overdue": 5, "nodes": ["施工许可", "开工"]},
                {"id": "pace", "kind": "investment_pace",
                 "form": {"type": "points_below", "yellow_from_points": 7.5, "red_above_points": 20}},
                {"id": "off", "kind": "statistics_entry", "enabled": false,
                 "yellow_after_months": 1, "red_after_months": 2}
            ]
        }"#;
        let set = RuleSet::from_json(json).unwrap();
        assert_eq!(set.version, 3);
        assert_eq!(set.enabled().count(), 2);
        match &set.rules[1].check {
            Check::InvestmentPace(InvestmentPace {
                form: PaceForm::PointsBelow { yellow_from_points, .. },
                ..
            }) => assert_eq!(*yellow_from_points, Pct1::from_tenths(75)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn invalid_sets_are_refused_in_chinese() {
        let e = RuleSet::from_json("{").unwrap_err();
        assert!(e.to_string().starts_with("亮灯规则不是有效的JSON"), "{e}");
        let e = RuleSet::from_json(
            r#"{"version":1,"rules":[{"id":"p","kind":"investment_pace","form":{"type":"points_below","yellow_from_points":30,"red_above_points":10}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "规则“p”：应满足 0 ≤ 黄灯百分点 ≤ 红灯百分点");
        let e = RuleSet::from_json(
            r#"{"version":1,"rules":[{"id":"p","kind":"investment_pace","form":{"type":"points_below","yellow_from_points":1.25,"red_above_points":10}}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("最多一位小数"), "{e}");
        let mut s = RuleSet::default();
        s.rules.push(s.rules[0].clone());
        assert_eq!(s.validate(), Err(RuleError::Id("node_due".into())));
        let s = RuleSet {
            version: 0,
            ..RuleSet::default()
        };
        assert_eq!(s.validate(), Err(RuleError::Version));
        let mut s = RuleSet {
            rules: vec![examples::jinhua_investment()],
            ..RuleSet::default()
        };
        if let Check::InvestmentPace(p) = &mut s.rules[0].check {
            p.form = PaceForm::ShareOfPlan {
                checkpoints: vec![
                    ShareCheckpoint {
                        month: 6,
                        green_from_pct: Pct1::whole(50),
                        red_below_pct: Pct1::whole(30),
                    },
                    ShareCheckpoint {
                        month: 5,
                        green_from_pct: Pct1::whole(42),
                        red_below_pct: Pct1::whole(25),
                    },
                ],
            };
        }
        assert!(s.validate().unwrap_err().to_string().contains("按时间先后"));
    }

    #[test]
    fn the_old_light_rules_become_a_rule_set() {
        let s = RuleSet::from(&LightRules::default());
        s.validate().unwrap();
        assert_eq!(s.rules.len(), 2);
    }
}

#[cfg(test)]
mod engine_properties;
#[cfg(test)]
mod engine_tests;
