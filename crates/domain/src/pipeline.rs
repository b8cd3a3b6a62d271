//! The programmes around the projects (pure rules and figures): investment attraction
//! (招商引资) leads and their funnel, groundbreaking batches (集中开工) and their readiness
//! gates, campaigns (攻坚行动/擂台赛) and their leaderboard, supervision rounds (督查) and
//! the targets they suggest, and the land quota (用地指标) with its balance and warnings.

use crate::figures::{BatchAggregate, Pct1, batch_aggregate, sum_batches};
use crate::model::{LandEntryKind, LeadStage};
use crate::money::{LandArea, Money};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A refused pipeline rule, with its reason in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RuleError(pub String);

fn refuse<T>(msg: impl Into<String>) -> Result<T, RuleError> {
    Err(RuleError(msg.into()))
}

// ------------------------------------------------------------------ leads

/// Checks a lead's stage change. Forward one step at a time (洽谈 → 签约 → 落地); 落地 needs a
/// linked project; going back, dropping (终止) or reopening a dropped lead needs a reason; a
/// landed lead cannot be dropped (its project is withdrawn through the project instead).
pub fn check_lead_move(from: LeadStage, to: LeadStage, has_project: bool, reason: &str) -> Result<(), RuleError> {
    use LeadStage::*;
    let reason_given = !reason.trim().is_empty();
    if from == to {
        return refuse(format!("线索已处于“{}”阶段", to.label_zh()));
    }
    match (from, to) {
        (Talks, Signed) => Ok(()),
        (Signed, Landed) if has_project => Ok(()),
        (Signed, Landed) => refuse("落地须关联一个项目（选择已有项目或由线索新建项目）"),
        (Talks, Landed) => refuse("不能跳过签约直接落地：请先登记签约"),
        (Landed, Dropped) => refuse("已落地的线索不能终止；如项目退库，请在项目中办理"),
        (Dropped, Landed) => refuse("终止的线索须先恢复为洽谈或签约，不能直接落地"),
        (_, Dropped) | (Dropped, _) | (Signed, Talks) | (Landed, Signed | Talks) if reason_given => Ok(()),
        (_, Dropped) => refuse("终止线索须说明理由"),
        _ => refuse(format!("从“{}”退回“{}”须说明理由", from.label_zh(), to.label_zh())),
    }
}

/// One lead as the funnel counts it: the group (a team or a leader), its stage and amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFact {
    pub group: String,
    pub stage: LeadStage,
    pub signed_amount: Money,
}

/// A funnel row: leads per stage for one group, with its rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FunnelRow {
    pub group: String,
    pub total: u32,
    pub talks: u32,
    pub signed: u32,
    pub landed: u32,
    pub dropped: u32,
    /// Agreement amount of the signed and landed leads.
    pub signed_amount: Money,
    /// 签约率: (签约 + 落地) ÷ all leads.
    pub signing_rate: Option<Pct1>,
    /// 落地率: 落地 ÷ (签约 + 落地) — of the leads that signed, how many landed.
    pub landing_rate: Option<Pct1>,
}

fn funnel_row(group: String, facts: &[&LeadFact]) -> FunnelRow {
    let count = |s: LeadStage| facts.iter().filter(|f| f.stage == s).count() as u32;
    let (talks, signed, landed, dropped) = (
        count(LeadStage::Talks),
        count(LeadStage::Signed),
        count(LeadStage::Landed),
        count(LeadStage::Dropped),
    );
    let total = facts.len() as u32;
    FunnelRow {
        group,
        total,
        talks,
        signed,
        landed,
        dropped,
        signed_amount: Money::from_yuan(
            facts
                .iter()
                .filter(|f| matches!(f.stage, LeadStage::Signed | LeadStage::Landed))
                .map(|f| f.signed_amount.yuan())
                .sum(),
        ),
        signing_rate: Pct1::ratio((signed + landed) as i128, total as i128),
        landing_rate: Pct1::ratio(landed as i128, (signed + landed) as i128),
    }
}

/// The whole funnel (group "合计") over all leads.
pub fn funnel_total(facts: &[LeadFact]) -> FunnelRow {
    funnel_row("合计".into(), &facts.iter().collect::<Vec<_>>())
}

/// The funnel per group, most landed first (then the higher landing rate, then the name).
pub fn funnel_by_group(facts: &[LeadFact]) -> Vec<FunnelRow> {
    let mut groups: BTreeMap<&str, Vec<&LeadFact>> = BTreeMap::new();
    for f in facts {
        groups.entry(f.group.as_str()).or_default().push(f);
    }
    let mut rows: Vec<FunnelRow> = groups.into_iter().map(|(g, fs)| funnel_row(g.to_string(), &fs)).collect();
    rows.sort_by(|a, b| {
        b.landed
            .cmp(&a.landed)
            .then(b.landing_rate.map(|p| p.tenths()).cmp(&a.landing_rate.map(|p| p.tenths())))
            .then(a.group.cmp(&b.group))
    });
    rows
}

// ------------------------------------------------------------------ batches

/// The nodes a project must have closed before it may join a batch, unless the batch names others.
pub const DEFAULT_GATE_NODES: &[&str] = &["施工许可"];

/// Gate node names from text (`施工许可、土地摘牌`, commas or 顿号); empty text is the default.
pub fn parse_gate_nodes(s: &str) -> Vec<String> {
    let names: Vec<String> = s
        .split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect();
    if names.is_empty() {
        DEFAULT_GATE_NODES.iter().map(|s| s.to_string()).collect()
    } else {
        names
    }
}

/// The readiness gate (准入条件) of a batch: every gate node must be closed (销号) on the
/// project. `nodes` are the project's (name, closed?) pairs; a gate node the project lacks
/// counts as not closed. The error names every gate still open.
pub fn check_batch_gate(project: &str, gates: &[String], nodes: &[(String, bool)]) -> Result<(), RuleError> {
    let open: Vec<&str> = gates
        .iter()
        .filter(|g| !nodes.iter().any(|(n, closed)| n == *g && *closed))
        .map(String::as_str)
        .collect();
    if open.is_empty() {
        Ok(())
    } else {
        refuse(format!(
            "项目“{project}”尚未完成准入节点销号（{}），不能列入本批集中开工",
            open.join("、")
        ))
    }
}

/// A year's batches: how many, and their projects, total and annual investment added up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchYear {
    pub year: i32,
    pub batches: u32,
    pub aggregate: BatchAggregate,
}

/// Each item is a batch's date and members (total investment, the batch year's planned
/// investment); the result is one row per year, oldest first.
pub fn batches_per_year(batches: &[(NaiveDate, Vec<(Money, Money)>)]) -> Vec<BatchYear> {
    let mut years: BTreeMap<i32, Vec<BatchAggregate>> = BTreeMap::new();
    for (on, members) in batches {
        years.entry(on.year()).or_default().push(batch_aggregate(members));
    }
    years
        .into_iter()
        .map(|(year, aggs)| BatchYear {
            year,
            batches: aggs.len() as u32,
            aggregate: sum_batches(&aggs),
        })
        .collect()
}

// ------------------------------------------------------------------ campaigns

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

// ------------------------------------------------------------------ supervision

/// A red project that a supervision round could visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedCandidate {
    pub project_id: i64,
    pub project_name: String,
    pub unit_name: String,
    /// The reasons behind its red light (worst first).
    pub reasons: Vec<String>,
    /// Days its most overdue open node is late (0 when none is past due).
    pub days_overdue: i64,
    /// Already visited by a round this year.
    pub visited_this_year: bool,
}

/// The targets a new round should visit, best first: projects not yet visited this year
/// first; then the more reasons behind the red light (severity); then the older the worst
/// overdue node (age); then the project id. At most `limit`.
pub fn suggest_targets(mut candidates: Vec<RedCandidate>, limit: usize) -> Vec<RedCandidate> {
    candidates.sort_by(|a, b| {
        a.visited_this_year
            .cmp(&b.visited_this_year)
            .then(b.reasons.len().cmp(&a.reasons.len()))
            .then(b.days_overdue.cmp(&a.days_overdue))
            .then(a.project_id.cmp(&b.project_id))
    });
    candidates.truncate(limit);
    candidates
}

// ------------------------------------------------------------------ land

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
        return refuse("分配面积须大于0亩");
    }
    if area > balance {
        return refuse(format!("用地指标余额不足：余额{balance}，拟分配{area}"));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn lead_stages_move_forward_one_step() {
        use LeadStage::*;
        assert!(check_lead_move(Talks, Signed, false, "").is_ok());
        assert!(check_lead_move(Signed, Landed, true, "").is_ok());
        assert!(check_lead_move(Signed, Landed, false, "").unwrap_err().0.contains("关联"));
        assert!(check_lead_move(Talks, Landed, true, "").unwrap_err().0.contains("跳过签约"));
        assert!(check_lead_move(Signed, Talks, false, "").unwrap_err().0.contains("理由"));
        assert!(check_lead_move(Signed, Talks, false, "投资方重新评估").is_ok());
        assert!(check_lead_move(Talks, Dropped, false, " ").is_err());
        assert!(check_lead_move(Talks, Dropped, false, "投资方放弃").is_ok());
        assert!(check_lead_move(Landed, Dropped, true, "x").is_err());
        assert!(check_lead_move(Dropped, Landed, true, "恢复").is_err());
        assert!(check_lead_move(Dropped, Signed, false, "重新签约").is_ok());
        assert!(check_lead_move(Signed, Signed, false, "").is_err());
    }

    #[test]
    fn funnel_counts_and_rates() {
        let f = |g: &str, s: LeadStage, wan: i64| LeadFact {
            group: g.into(),
            stage: s,
            signed_amount: Money::from_wan(wan),
        };
        let facts = vec![
            f("一组", LeadStage::Landed, 100),
            f("一组", LeadStage::Signed, 50),
            f("一组", LeadStage::Talks, 70),
            f("二组", LeadStage::Landed, 10),
            f("二组", LeadStage::Dropped, 5),
        ];
        let total = funnel_total(&facts);
        assert_eq!(
            (total.total, total.talks, total.signed, total.landed, total.dropped),
            (5, 1, 1, 2, 1)
        );
        assert_eq!(total.signed_amount, Money::from_wan(160));
        assert_eq!(total.landing_rate, Some(Pct1::from_tenths(667)));
        let by = funnel_by_group(&facts);
        assert_eq!(by[0].group, "二组", "equal landed count: the higher landing rate first");
        assert_eq!(by[0].landing_rate, Some(Pct1::from_tenths(1000)));
        assert_eq!(by[1].signing_rate, Some(Pct1::from_tenths(667)));
    }

    #[test]
    fn batch_gates_name_every_open_node() {
        let gates = parse_gate_nodes("施工许可、土地摘牌");
        assert_eq!(gates, vec!["施工许可", "土地摘牌"]);
        assert_eq!(parse_gate_nodes(" "), vec!["施工许可"]);
        let nodes = vec![("施工许可".to_string(), false), ("土地摘牌".to_string(), true)];
        let e = check_batch_gate("甲", &gates, &nodes).unwrap_err();
        assert!(e.0.contains("施工许可") && !e.0.contains("土地摘牌"), "{e}");
        assert!(check_batch_gate("甲", &gates, &[("施工许可".into(), true), ("土地摘牌".into(), true)]).is_ok());
        assert!(
            check_batch_gate("乙", &["竣工验收".into()], &nodes)
                .unwrap_err()
                .0
                .contains("竣工验收"),
            "a missing node is not closed"
        );
    }

    #[test]
    fn batches_add_up_per_year() {
        let m = |w: i64| Money::from_wan(w);
        let years = batches_per_year(&[
            (d(2019, 2, 19), vec![(m(100), m(40)), (m(50), m(10))]),
            (d(2019, 6, 18), vec![(m(30), m(30))]),
            (d(2020, 3, 1), vec![(m(7), m(7))]),
        ]);
        assert_eq!(years.len(), 2);
        assert_eq!((years[0].year, years[0].batches, years[0].aggregate.projects), (2019, 2, 3));
        assert_eq!(years[0].aggregate.total_investment_wan.0, m(180));
        assert_eq!(years[0].aggregate.annual_investment_wan.0, m(80));
        assert_eq!(years[1].aggregate.projects, 1);
    }

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
    fn suggestions_prefer_unvisited_severe_and_old() {
        let c = |id: i64, reasons: usize, days: i64, visited: bool| RedCandidate {
            project_id: id,
            project_name: format!("项目{id}"),
            unit_name: String::new(),
            reasons: vec!["x".into(); reasons],
            days_overdue: days,
            visited_this_year: visited,
        };
        let s = suggest_targets(
            vec![c(1, 3, 90, true), c(2, 1, 10, false), c(3, 2, 5, false), c(4, 2, 50, false)],
            3,
        );
        assert_eq!(s.iter().map(|x| x.project_id).collect::<Vec<_>>(), vec![4, 3, 2]);
    }

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
                .0
                .contains("余额不足")
        );
        assert!(check_allocation(b.balance, LandArea::from_mu(0)).is_err());
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
