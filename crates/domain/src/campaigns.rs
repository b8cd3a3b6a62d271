//! Campaigns (攻坚行动/擂台赛): the leaderboard of the units and the closing report (pure
//! figures).

use crate::error::{RuleError, checked_text, refuse, require_text};
use crate::figures::Pct1;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// A campaign's target node, attributed to its responsible unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignTarget {
    pub unit_id: i64,
    pub unit_name: String,
    /// The date it was closed (销号), `None` while open.
    pub closed_on: Option<NaiveDate>,
}

/// One unit on the leaderboard (擂台榜).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeaderboardRow {
    pub rank: u32,
    pub unit_id: i64,
    pub unit_name: String,
    pub targets: u32,
    /// Closed on or before the campaign's end.
    pub closed_on_time: u32,
    /// Closed after the campaign's end.
    pub closed_late: u32,
    /// Open, and the campaign has ended (as of the day).
    pub open_overdue: u32,
    /// Open, the campaign still running.
    pub open: u32,
    /// 按期销号率: closed on time ÷ targets.
    pub on_time_rate: Option<Pct1>,
}

/// The leaderboard of a campaign ending `ends_on`, as of `as_of`. Every participating unit
/// has a row, even without targets. Ranking rule: the higher on-time rate first; then fewer
/// overdue targets; then more targets closed; then more targets; then the unit's name.
/// Units equal on the first four share a rank; units without targets come last, unranked
/// (rank 0).
pub fn leaderboard(ends_on: NaiveDate, as_of: NaiveDate, units: &[(i64, String)], targets: &[CampaignTarget]) -> Vec<LeaderboardRow> {
    let mut rows: BTreeMap<i64, LeaderboardRow> = BTreeMap::new();
    let blank = |id: i64, name: &str| LeaderboardRow {
        rank: 0,
        unit_id: id,
        unit_name: name.to_string(),
        targets: 0,
        closed_on_time: 0,
        closed_late: 0,
        open_overdue: 0,
        open: 0,
        on_time_rate: None,
    };
    for (id, name) in units {
        rows.entry(*id).or_insert_with(|| blank(*id, name));
    }
    for t in targets {
        let r = rows.entry(t.unit_id).or_insert_with(|| blank(t.unit_id, &t.unit_name));
        r.targets += 1;
        match t.closed_on {
            Some(d) if d <= ends_on => r.closed_on_time += 1,
            Some(_) => r.closed_late += 1,
            None if as_of > ends_on => r.open_overdue += 1,
            None => r.open += 1,
        }
    }
    let mut rows: Vec<LeaderboardRow> = rows
        .into_values()
        .map(|mut r| {
            r.on_time_rate = Pct1::ratio(r.closed_on_time as i128, r.targets as i128);
            r
        })
        .collect();
    let key = |r: &LeaderboardRow| {
        (
            std::cmp::Reverse(r.on_time_rate.map(|p| p.tenths()).unwrap_or(-1)),
            r.open_overdue,
            std::cmp::Reverse(r.closed_on_time + r.closed_late),
            std::cmp::Reverse(r.targets),
        )
    };
    rows.sort_by(|a, b| {
        (a.targets == 0)
            .cmp(&(b.targets == 0))
            .then(key(a).cmp(&key(b)))
            .then(a.unit_name.cmp(&b.unit_name))
    });
    let mut rank = 0;
    for i in 0..rows.len() {
        if rows[i].targets == 0 {
            break;
        }
        rank = if i > 0 && key(&rows[i]) == key(&rows[i - 1]) {
            rank
        } else {
            i as u32 + 1
        };
        rows[i].rank = rank;
    }
    rows
}

/// The closing report of a campaign (攻坚总结): totals, the leaderboard and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignReport {
    pub targets: u32,
    pub closed_on_time: u32,
    pub closed_late: u32,
    pub still_open: u32,
    pub on_time_rate: Option<Pct1>,
    /// The top of the board (rank 1), for the commendation.
    pub best_units: Vec<String>,
    /// Units with targets still open after the end, for the notice.
    pub lagging_units: Vec<String>,
    /// The report's opening paragraph, in Chinese.
    pub summary: String,
}

pub fn campaign_report(name: &str, starts_on: NaiveDate, ends_on: NaiveDate, board: &[LeaderboardRow]) -> CampaignReport {
    let sum = |f: fn(&LeaderboardRow) -> u32| board.iter().map(f).sum::<u32>();
    let targets = sum(|r| r.targets);
    let closed_on_time = sum(|r| r.closed_on_time);
    let closed_late = sum(|r| r.closed_late);
    let still_open = sum(|r| r.open + r.open_overdue);
    let on_time_rate = Pct1::ratio(closed_on_time as i128, targets as i128);
    let best_units: Vec<String> = board.iter().filter(|r| r.rank == 1).map(|r| r.unit_name.clone()).collect();
    let lagging_units: Vec<String> = board.iter().filter(|r| r.open_overdue > 0).map(|r| r.unit_name.clone()).collect();
    let mut summary = format!(
        "{name}（{starts_on}至{ends_on}）共梳理攻坚节点{targets}个，按期销号{closed_on_time}个，逾期销号{closed_late}个，尚未销号{still_open}个，按期销号率{}。",
        on_time_rate.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
    );
    if !best_units.is_empty() {
        summary.push_str(&format!("{}位列擂台榜首。", best_units.join("、")));
    }
    if !lagging_units.is_empty() {
        summary.push_str(&format!("{}仍有逾期未销号节点，须限期销号。", lagging_units.join("、")));
    }
    CampaignReport {
        targets,
        closed_on_time,
        closed_late,
        still_open,
        on_time_rate,
        best_units,
        lagging_units,
        summary,
    }
}

/// A new campaign: a name, and an end not before its start.
pub fn check_campaign(name: &str, starts_on: NaiveDate, ends_on: NaiveDate) -> Result<(), RuleError> {
    require_text(name, "campaign_name_empty", "攻坚行动名称不能为空")?;
    if ends_on < starts_on {
        return refuse("campaign_ends_before_start", "结束日期不能早于开始日期");
    }
    Ok(())
}

/// A quantitative target of a campaign besides its nodes (量化指标), e.g. 房屋政策处理 2,200 间 or
/// 打通断头路 11 条, parsed: a name, the measure's unit word, a target above zero and what has
/// been achieved so far (zero or more; it may pass the target: "2200余间").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureInput {
    pub name: String,
    /// 间, 条, 户, 亩…
    pub unit: String,
    pub target: i64,
    pub achieved: i64,
}

/// The largest target or achievement one measure takes.
pub const MEASURE_MAX: i64 = 1_000_000_000;

impl MeasureInput {
    /// Every field checked at once.
    pub fn parse(name: &str, unit: &str, target: i64, achieved: i64) -> Result<MeasureInput, crate::error::FieldErrors> {
        let mut errors = crate::error::FieldErrors::default();
        let name = match checked_text(
            name,
            100,
            Some(("measure_name_empty", "量化指标名称不能为空")),
            ("measure_name_long", "量化指标名称不能超过100个字"),
        ) {
            Ok(n) => n,
            Err(e) => {
                errors.push("name", e.code, e.message);
                String::new()
            }
        };
        let unit = match checked_text(unit, 10, None, ("measure_unit_long", "计量单位不能超过10个字")) {
            Ok(u) => u,
            Err(e) => {
                errors.push("unit", e.code, e.message);
                String::new()
            }
        };
        if !(1..=MEASURE_MAX).contains(&target) {
            errors.push(
                "target",
                "measure_target_invalid",
                format!("目标值“{target}”无效：应为1到{MEASURE_MAX}之间的整数"),
            );
        }
        if let Err(e) = check_achieved(achieved) {
            errors.push("achieved", e.code, e.message);
        }
        errors.or(|| MeasureInput {
            name,
            unit,
            target,
            achieved,
        })
    }
}

/// What has been achieved of a measure: zero or more, at most [`MEASURE_MAX`].
pub fn check_achieved(achieved: i64) -> Result<(), RuleError> {
    if !(0..=MEASURE_MAX).contains(&achieved) {
        return refuse(
            "measure_achieved_invalid",
            format!("完成值“{achieved}”无效：应为0到{MEASURE_MAX}之间的整数"),
        );
    }
    Ok(())
}

/// A measure's completion: achieved ÷ target, one decimal (may pass 100%).
pub fn measure_rate(achieved: i64, target: i64) -> Option<Pct1> {
    Pct1::ratio(achieved as i128, target as i128)
}

/// The sentence the closing report gives the measures: `房屋政策处理2213间（目标2200间，完成100.6%）`,
/// joined by `；`.
pub fn measures_sentence(measures: &[(String, String, i64, i64)]) -> String {
    measures
        .iter()
        .map(|(name, unit, target, achieved)| {
            let rate = measure_rate(*achieved, *target)
                .map(|p| format!("{p}%"))
                .unwrap_or_else(|| "—".into());
            format!("{name}{achieved}{unit}（目标{target}{unit}，完成{rate}）")
        })
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn leaderboard_ranks_on_time_rate_then_overdue() {
        let end = d(2019, 7, 30);
        let t = |u: i64, c: Option<NaiveDate>| CampaignTarget {
            unit_id: u,
            unit_name: format!("单位{u}"),
            closed_on: c,
        };
        let units = vec![
            (1, "单位1".to_string()),
            (2, "单位2".to_string()),
            (3, "单位3".to_string()),
            (4, "单位4".to_string()),
        ];
        let targets = vec![
            t(1, Some(d(2019, 7, 1))),
            t(1, None),
            t(2, Some(d(2019, 6, 5))),
            t(2, Some(d(2019, 8, 5))),
            t(3, Some(d(2019, 7, 30))),
        ];
        let board = leaderboard(end, d(2019, 8, 10), &units, &targets);
        assert_eq!(board[0].unit_id, 3);
        assert_eq!(board[0].rank, 1);
        // 1 and 2 both 50 %: unit 2 has nothing overdue.
        assert_eq!((board[1].unit_id, board[1].closed_late), (2, 1));
        assert_eq!((board[2].unit_id, board[2].open_overdue), (1, 1));
        assert_eq!((board[3].unit_id, board[3].rank, board[3].targets), (4, 0, 0));
        let during = leaderboard(end, d(2019, 7, 1), &units, &targets);
        assert_eq!(
            during.iter().map(|r| r.open_overdue).sum::<u32>(),
            0,
            "nothing overdue while it runs"
        );
        let report = campaign_report("擂台赛", d(2019, 6, 1), end, &board);
        assert_eq!(
            (report.targets, report.closed_on_time, report.closed_late, report.still_open),
            (5, 3, 1, 1)
        );
        assert_eq!(report.best_units, vec!["单位3"]);
        assert_eq!(report.lagging_units, vec!["单位1"]);
        assert!(report.summary.contains("按期销号率60.0%"), "{}", report.summary);
    }

    #[test]
    fn a_measure_needs_a_name_a_target_above_zero_and_an_achievement_not_below_zero() {
        let m = MeasureInput::parse(" 房屋政策处理 ", "间", 2200, 2213).unwrap();
        assert_eq!(
            (m.name.as_str(), m.unit.as_str(), m.target, m.achieved),
            ("房屋政策处理", "间", 2200, 2213)
        );
        let e = MeasureInput::parse(" ", "间间间间间间间间间间间", 0, -1).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "measure_name_empty",
                "measure_unit_long",
                "measure_target_invalid",
                "measure_achieved_invalid"
            ]
        );
        assert!(check_achieved(MEASURE_MAX + 1).is_err() && check_achieved(0).is_ok());
        assert_eq!(measure_rate(2213, 2200), Some(Pct1(1006)));
        assert_eq!(measure_rate(11, 11), Some(Pct1(1000)));
        assert_eq!(
            measures_sentence(&[
                ("房屋政策处理".into(), "间".into(), 2200, 2213),
                ("打通断头路".into(), "条".into(), 11, 11)
            ]),
            "房屋政策处理2213间（目标2200间，完成100.6%）；打通断头路11条（目标11条，完成100.0%）"
        );
    }
}
