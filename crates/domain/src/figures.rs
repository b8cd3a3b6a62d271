//! The figures of GLOSSARY.md, as pure functions over plain values. The store gathers the
//! inputs; reports, the API and the dashboard all call these, so a figure is computed in
//! exactly one place.

use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use std::fmt;

/// A percentage with one decimal, held exactly as tenths of a percent (`331` = 33.1 %).
/// Rounded half away from zero, as the statistics bureau publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pct1(pub i64);

impl Pct1 {
    pub const fn from_tenths(t: i64) -> Pct1 {
        Pct1(t)
    }
    pub const fn whole(p: i64) -> Pct1 {
        Pct1(p * 10)
    }
    pub fn tenths(self) -> i64 {
        self.0
    }
    /// `numerator ÷ denominator` as a percentage; `None` when there is nothing to divide by.
    pub fn ratio(numerator: i128, denominator: i128) -> Option<Pct1> {
        if denominator == 0 {
            return None;
        }
        Some(Pct1(div_round(numerator * 1000, denominator) as i64))
    }
}

/// Integer division rounding half away from zero.
fn div_round(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    if n >= 0 { (2 * n + d) / (2 * d) } else { -((-2 * n + d) / (2 * d)) }
}

impl fmt::Display for Pct1 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{}", self.0.unsigned_abs() / 10, self.0.unsigned_abs() % 10)
    }
}

/// Serialised as a JSON number with exactly one decimal (`80.0`), never through a float.
impl Serialize for Pct1 {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.to_string())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// Money serialised as an exact JSON number of 万元 (`3635000`, `12.3456`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Wan(pub Money);

impl Serialize for Wan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serde_json::value::RawValue::from_string(self.0.wan_exact())
            .map_err(serde::ser::Error::custom)?
            .serialize(s)
    }
}

/// A closed date range: the period a figure is reported for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn year(year: i32) -> Period {
        Period {
            start: NaiveDate::from_ymd_opt(year, 1, 1).expect("valid year"),
            end: NaiveDate::from_ymd_opt(year, 12, 31).expect("valid year"),
        }
    }
    /// The year up to the end of `month`.
    pub fn year_to_month(year: i32, month: u32) -> Period {
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .expect("valid month");
        Period {
            start: NaiveDate::from_ymd_opt(year, 1, 1).expect("valid"),
            end: next.pred_opt().expect("valid"),
        }
    }
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }
    /// The same period cut off at `as_of` (a report run mid-period counts only what is past).
    pub fn until(self, as_of: NaiveDate) -> Period {
        Period {
            start: self.start,
            end: self.end.min(as_of),
        }
    }
}

/// 落地率 of one category: projects that reached 开工/落地 in the year ÷ projects targeted
/// (谋划盯引) for the year, against the category's target rate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Landing {
    pub targeted: u32,
    pub landed: u32,
    pub rate_pct: Option<Pct1>,
    pub target_pct: Option<Pct1>,
    /// Has the rate reached the target? `None` without a target.
    pub target_met: Option<bool>,
}

/// `landed_on` holds, for each project targeted in `year`, the date it reached 开工/落地.
pub fn landing_rate(year: i32, landed_on: &[Option<NaiveDate>], target: Option<Pct1>) -> Landing {
    let targeted = landed_on.len() as u32;
    let landed = landed_on.iter().filter(|d| d.is_some_and(|d| d.year() == year)).count() as u32;
    let rate = Pct1::ratio(landed as i128, targeted as i128);
    Landing {
        targeted,
        landed,
        rate_pct: rate,
        target_pct: target,
        target_met: target.zip(rate).map(|(t, r)| r >= t),
    }
}

/// 开工率: projects started ÷ projects planned to start in the period. Each item is
/// (planned start, actual start).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StartRate {
    pub planned: u32,
    pub started: u32,
    pub rate_pct: Option<Pct1>,
}

pub fn start_rate(period: Period, starts: &[(NaiveDate, Option<NaiveDate>)]) -> StartRate {
    let due: Vec<_> = starts.iter().filter(|(planned, _)| period.contains(*planned)).collect();
    let started = due.iter().filter(|(_, actual)| actual.is_some_and(|a| a <= period.end)).count() as u32;
    StartRate {
        planned: due.len() as u32,
        started,
        rate_pct: Pct1::ratio(started as i128, due.len() as i128),
    }
}

/// 序时进度: the share of the year elapsed at the end of `month` (months ÷ 12).
pub fn time_progress(month: u32) -> Pct1 {
    Pct1::ratio(month as i128, 12).expect("non-zero")
}

/// 年度投资完成率 against 序时进度.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InvestmentCompletion {
    pub planned_wan: Wan,
    pub completed_wan: Wan,
    pub rate_pct: Option<Pct1>,
    pub time_progress_pct: Pct1,
    /// 超(+)/低于(−)序时进度, in percentage points: rate − time progress.
    pub points_vs_time_progress: Option<Pct1>,
}

pub fn investment_completion(completed_ytd: Money, planned_year: Money, month: u32) -> InvestmentCompletion {
    // Before the year begins there is nothing to complete against.
    let rate = if month == 0 {
        None
    } else {
        Pct1::ratio(completed_ytd.yuan() as i128, planned_year.yuan() as i128)
    };
    let tp = time_progress(month);
    InvestmentCompletion {
        planned_wan: Wan(planned_year),
        completed_wan: Wan(completed_ytd),
        rate_pct: rate,
        time_progress_pct: tp,
        points_vs_time_progress: rate.map(|r| Pct1(r.0 - tp.0)),
    }
}

/// 固定资产投资增速: (cumulative FAI this year to month M − same period last year) ÷ same
/// period last year.
pub fn fai_growth(this_year_cumulative: Money, last_year_cumulative: Money) -> Option<Pct1> {
    Pct1::ratio(
        this_year_cumulative.yuan() as i128 - last_year_cumulative.yuan() as i128,
        last_year_cumulative.yuan() as i128,
    )
}

/// 节点按时完成率: nodes completed on or before their planned date ÷ nodes whose planned
/// date has passed (within the period, as of its end).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeOnTime {
    pub due: u32,
    pub on_time: u32,
    pub late_done: u32,
    pub overdue_open: u32,
    pub rate_pct: Option<Pct1>,
}

/// Each item is (planned date, actual completion date).
pub fn node_on_time(period: Period, nodes: &[(NaiveDate, Option<NaiveDate>)]) -> NodeOnTime {
    let mut r = NodeOnTime {
        due: 0,
        on_time: 0,
        late_done: 0,
        overdue_open: 0,
        rate_pct: None,
    };
    for (planned, actual) in nodes {
        if !period.contains(*planned) {
            continue;
        }
        r.due += 1;
        match actual {
            Some(a) if a <= planned => r.on_time += 1,
            Some(a) if *a <= period.end => r.late_done += 1,
            _ => r.overdue_open += 1,
        }
    }
    r.rate_pct = Pct1::ratio(r.on_time as i128, r.due as i128);
    r
}

/// 问题解决率 and mean days to close, for problems raised in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProblemResolution {
    pub raised: u32,
    pub closed: u32,
    pub open: u32,
    pub rate_pct: Option<Pct1>,
    /// Mean calendar days from raising to close-out, one decimal.
    pub mean_days_to_close: Option<Pct1>,
}

/// Each item is (raised on, closed on).
pub fn problem_resolution(period: Period, problems: &[(NaiveDate, Option<NaiveDate>)]) -> ProblemResolution {
    let mut raised = 0u32;
    let mut closed = 0u32;
    let mut days_total: i64 = 0;
    for (r, c) in problems {
        if !period.contains(*r) {
            continue;
        }
        raised += 1;
        if let Some(c) = c.filter(|c| *c <= period.end) {
            closed += 1;
            days_total += (c - *r).num_days();
        }
    }
    ProblemResolution {
        raised,
        closed,
        open: raised - closed,
        rate_pct: Pct1::ratio(closed as i128, raised as i128),
        // Tenths of a day: 10 × total ÷ count, as a Pct1-shaped one-decimal number.
        mean_days_to_close: if closed == 0 {
            None
        } else {
            Some(Pct1(div_round(days_total as i128 * 10, closed as i128) as i64))
        },
    }
}

/// A groundbreaking batch (集中开工): number of projects, total and annual investment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct BatchAggregate {
    pub projects: u32,
    pub total_investment_wan: Wan,
    pub annual_investment_wan: Wan,
}

/// Each item is one project of the batch: (total investment, the batch year's planned
/// investment).
pub fn batch_aggregate(members: &[(Money, Money)]) -> BatchAggregate {
    BatchAggregate {
        projects: members.len() as u32,
        total_investment_wan: Wan(members.iter().map(|m| m.0).sum()),
        annual_investment_wan: Wan(members.iter().map(|m| m.1).sum()),
    }
}

/// Adds batch aggregates (for a year's total).
pub fn sum_batches(batches: &[BatchAggregate]) -> BatchAggregate {
    BatchAggregate {
        projects: batches.iter().map(|b| b.projects).sum(),
        total_investment_wan: Wan(batches.iter().map(|b| b.total_investment_wan.0).sum()),
        annual_investment_wan: Wan(batches.iter().map(|b| b.annual_investment_wan.0).sum()),
    }
}

/// A campaign's progress over its target nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignCompletion {
    pub target_nodes: u32,
    pub closed_nodes: u32,
    /// Closed on or before the campaign's end.
    pub closed_in_time: u32,
    /// Still open after the campaign's end (as of `as_of`).
    pub overdue: u32,
    pub rate_pct: Option<Pct1>,
}

/// Each item is a target node's close-out date (`None` while open).
pub fn campaign_completion(ends_on: NaiveDate, as_of: NaiveDate, closed_on: &[Option<NaiveDate>]) -> CampaignCompletion {
    let closed = closed_on.iter().filter(|c| c.is_some()).count() as u32;
    let in_time = closed_on.iter().filter(|c| c.is_some_and(|c| c <= ends_on)).count() as u32;
    let overdue = if as_of > ends_on {
        closed_on.iter().filter(|c| c.is_none()).count() as u32
    } else {
        0
    };
    CampaignCompletion {
        target_nodes: closed_on.len() as u32,
        closed_nodes: closed,
        closed_in_time: in_time,
        overdue,
        rate_pct: Pct1::ratio(closed as i128, closed_on.len() as i128),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn pct_rounding_and_text() {
        assert_eq!(Pct1::ratio(4, 5).unwrap().to_string(), "80.0");
        assert_eq!(Pct1::ratio(1, 3).unwrap().to_string(), "33.3");
        assert_eq!(Pct1::ratio(2, 3).unwrap().to_string(), "66.7");
        assert_eq!(Pct1::ratio(-1, 3).unwrap().to_string(), "-33.3");
        assert_eq!(Pct1::ratio(1, 2000).unwrap().to_string(), "0.1", "0.05 rounds away from zero");
        assert_eq!(Pct1::ratio(1, 0), None);
        assert_eq!(serde_json::to_string(&Pct1::whole(50)).unwrap(), "50.0");
        assert_eq!(serde_json::to_string(&Wan(Money::from_yuan(12_345))).unwrap(), "1.2345");
    }

    #[test]
    fn landing_of_the_seed_article() {
        // 5 provincial "152" projects targeted, 4 started in 2019, one slipped to 2020.
        let landed = [
            Some(d(2019, 3, 1)),
            Some(d(2019, 6, 1)),
            Some(d(2019, 9, 1)),
            Some(d(2019, 11, 30)),
            Some(d(2020, 2, 1)),
        ];
        let l = landing_rate(2019, &landed, Some(Pct1::whole(50)));
        assert_eq!((l.targeted, l.landed), (5, 4));
        assert_eq!(l.rate_pct, Some(Pct1::whole(80)));
        assert_eq!(l.target_met, Some(true));
        // 12 mayor projects, 6 landed: 50 % against a 30 % target.
        let mut landed = vec![None; 6];
        landed.extend(vec![Some(d(2019, 5, 5)); 6]);
        let l = landing_rate(2019, &landed, Some(Pct1::whole(30)));
        assert_eq!(l.rate_pct, Some(Pct1::whole(50)));
        assert_eq!(landing_rate(2019, &[], None).rate_pct, None);
    }

    #[test]
    fn fai_growth_is_relative_to_last_year() {
        assert_eq!(fai_growth(Money::from_wan(1_996_500), Money::from_wan(1_500_000)), Some(Pct1(331)));
        assert_eq!(fai_growth(Money::from_wan(90), Money::from_wan(100)), Some(Pct1(-100)));
        assert_eq!(fai_growth(Money::from_wan(90), Money::ZERO), None);
    }

    #[test]
    fn time_progress_matches_published_reports() {
        // Jiangmen 1–3月: 30.90 %, "超过时间进度5.90个百分点" → 25.0.
        assert_eq!(time_progress(3), Pct1(250));
        assert_eq!(time_progress(7), Pct1(583));
        let c = investment_completion(Money::from_wan(972), Money::from_wan(1000), 10);
        assert_eq!(c.rate_pct, Some(Pct1(972)));
        assert_eq!(c.points_vs_time_progress, Some(Pct1(972 - 833)));
    }

    #[test]
    fn a_year_to_come_has_no_rate_and_no_gap() {
        let c = investment_completion(Money::ZERO, Money::from_wan(1000), 0);
        assert_eq!((c.rate_pct, c.time_progress_pct, c.points_vs_time_progress), (None, Pct1(0), None));
        let f = year_figures(&YearInputs {
            year: 2020,
            as_of: d(2019, 12, 31),
            fai: None,
            categories: Vec::new(),
            batches: Vec::new(),
            campaigns: Vec::new(),
            nodes: Vec::new(),
            problems: Vec::new(),
            enterprise_visits: 0,
            supervision_rounds: 0,
            projects_planned: 3,
            investment_planned: Money::from_wan(1000),
            investment_completed: Money::ZERO,
            stages: Vec::new(),
            lights: Vec::new(),
            land_granted: crate::money::LandArea::from_centi_mu(0),
            land_allocated: crate::money::LandArea::from_centi_mu(0),
        });
        assert!(!f.period_started);
        assert_eq!(f.investment.points_vs_time_progress, None, "never −100 points for a year to come");
        assert_eq!(f.investment.time_progress_pct, Pct1(0));
    }

    #[test]
    fn start_rate_counts_only_planned_in_period() {
        let p = Period::year_to_month(2019, 6);
        let starts = [
            (d(2019, 3, 1), Some(d(2019, 3, 20))),
            (d(2019, 5, 1), Some(d(2019, 7, 1))),
            (d(2019, 6, 30), None),
            (d(2019, 9, 1), Some(d(2019, 2, 1))),
        ];
        let r = start_rate(p, &starts);
        assert_eq!((r.planned, r.started), (3, 1));
        assert_eq!(r.rate_pct, Some(Pct1(333)));
    }

    #[test]
    fn node_on_time_rate() {
        let p = Period::year(2019).until(d(2019, 6, 30));
        let nodes = [
            (d(2019, 1, 10), Some(d(2019, 1, 10))), // on the day: on time
            (d(2019, 2, 10), Some(d(2019, 2, 1))),  // early
            (d(2019, 3, 10), Some(d(2019, 4, 1))),  // late
            (d(2019, 4, 10), None),                 // overdue, open
            (d(2019, 8, 10), None),                 // not yet due
        ];
        let r = node_on_time(p, &nodes);
        assert_eq!((r.due, r.on_time, r.late_done, r.overdue_open), (4, 2, 1, 1));
        assert_eq!(r.rate_pct, Some(Pct1(500)));
    }

    #[test]
    fn problem_resolution_rate_and_days() {
        let p = Period::year(2019);
        let probs = [
            (d(2019, 1, 1), Some(d(2019, 1, 11))),
            (d(2019, 2, 1), Some(d(2019, 2, 6))),
            (d(2019, 3, 1), None),
            (d(2018, 12, 1), Some(d(2019, 1, 2))),
        ];
        let r = problem_resolution(p, &probs);
        assert_eq!((r.raised, r.closed, r.open), (3, 2, 1));
        assert_eq!(r.rate_pct, Some(Pct1(667)));
        assert_eq!(r.mean_days_to_close, Some(Pct1(75)));
    }

    #[test]
    fn batches_add_up() {
        let b = batch_aggregate(&[
            (Money::from_wan(100_000), Money::from_wan(20_000)),
            (Money::from_wan(35_000), Money::from_wan(5_000)),
        ]);
        assert_eq!(b.projects, 2);
        assert_eq!(b.total_investment_wan, Wan(Money::from_wan(135_000)));
        let total = sum_batches(&[b.clone(), b]);
        assert_eq!(total.projects, 4);
        assert_eq!(total.annual_investment_wan, Wan(Money::from_wan(50_000)));
    }

    #[test]
    fn campaign_completion_counts() {
        let end = d(2019, 8, 31);
        let c = campaign_completion(end, d(2019, 12, 31), &[Some(d(2019, 8, 1)), Some(d(2019, 9, 5)), None]);
        assert_eq!((c.target_nodes, c.closed_nodes, c.closed_in_time, c.overdue), (3, 2, 1, 1));
        let c = campaign_completion(end, d(2019, 8, 1), &[None]);
        assert_eq!(c.overdue, 0, "not overdue before the campaign ends");
    }
}

/// Everything the year's headline figures are computed from, gathered by the store.
#[derive(Debug, Clone)]
pub struct YearInputs {
    pub year: i32,
    /// The date the figures are "as of": the end of the year, or today within it.
    pub as_of: NaiveDate,
    /// Latest month with official FAI figures in the year, with this and last year's
    /// cumulative totals for the district and for the province.
    pub fai: Option<FaiInput>,
    pub categories: Vec<CategoryInput>,
    pub batches: Vec<BatchInput>,
    pub campaigns: Vec<CampaignInput>,
    /// (planned, actual) of every node planned in the year.
    pub nodes: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// (raised, closed) of every problem raised in the year.
    pub problems: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub enterprise_visits: u32,
    pub supervision_rounds: u32,
    /// Projects planned (谋划) into the pool in the year.
    pub projects_planned: u32,
    pub investment_planned: Money,
    pub investment_completed: Money,
    /// (stage code, count) of all projects.
    pub stages: Vec<(String, u32)>,
    /// (light code, count) of active projects.
    pub lights: Vec<(String, u32)>,
    pub land_granted: crate::money::LandArea,
    pub land_allocated: crate::money::LandArea,
}

#[derive(Debug, Clone)]
pub struct FaiInput {
    pub month: u32,
    pub this_year: Money,
    pub last_year: Money,
    pub province: Option<(Money, Money)>,
}

#[derive(Debug, Clone)]
pub struct CategoryInput {
    pub code: String,
    pub name: String,
    pub tracks_landing: bool,
    pub target: Option<Pct1>,
    /// For each project on the category's list for the year, when it landed.
    pub landed_on: Vec<Option<NaiveDate>>,
}

#[derive(Debug, Clone)]
pub struct BatchInput {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub held_on: NaiveDate,
    /// (total investment, the year's planned investment) per project.
    pub members: Vec<(Money, Money)>,
}

#[derive(Debug, Clone)]
pub struct CampaignInput {
    pub id: i64,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub closed_on: Vec<Option<NaiveDate>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearFigures {
    pub year: i32,
    pub as_of: NaiveDate,
    /// Has the period begun by `as_of`? A year still to come has no figures of its own:
    /// no completion rate, no time progress, nothing landed (the cockpit shows "—").
    pub period_started: bool,
    pub fai_month: Option<u32>,
    /// 固定资产投资增速 of the district, year to `fai_month`.
    pub fai_growth_pct: Option<Pct1>,
    pub fai_province_growth_pct: Option<Pct1>,
    /// District growth minus the province's, in percentage points.
    pub fai_points_vs_province: Option<Pct1>,
    pub fai_cumulative_wan: Option<Wan>,
    pub landing: Vec<CategoryLanding>,
    pub categories: Vec<CategoryCount>,
    pub batches: BatchesFigure,
    pub campaigns: Vec<CampaignFigure>,
    pub node_on_time: NodeOnTime,
    pub node_on_time_rate_pct: Option<Pct1>,
    pub problems: ProblemResolution,
    pub enterprise_visits: u32,
    pub supervision_rounds: u32,
    pub projects_planned: u32,
    pub investment: InvestmentCompletion,
    pub stages: Vec<StageCount>,
    pub lights: Vec<LightCount>,
    pub land_quota: LandQuota,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryLanding {
    pub code: String,
    pub category: String,
    #[serde(flatten)]
    pub landing: Landing,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub code: String,
    pub category: String,
    pub projects: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchesFigure {
    pub count: u32,
    #[serde(flatten)]
    pub total: BatchAggregate,
    pub items: Vec<BatchFigure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchFigure {
    pub id: i64,
    pub name: String,
    pub level: String,
    pub held_on: NaiveDate,
    #[serde(flatten)]
    pub aggregate: BatchAggregate,
}

#[derive(Debug, Clone, Serialize)]
pub struct CampaignFigure {
    pub id: i64,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[serde(flatten)]
    pub completion: CampaignCompletion,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageCount {
    pub stage: String,
    pub projects: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct LightCount {
    pub light: String,
    pub projects: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct LandQuota {
    pub granted_mu: String,
    pub allocated_mu: String,
    pub balance_mu: String,
}

/// The year's headline figures (the dashboard, the figures API and the monthly analysis).
pub fn year_figures(input: &YearInputs) -> YearFigures {
    let period = Period::year(input.year).until(input.as_of);
    let district_growth = input.fai.as_ref().and_then(|f| fai_growth(f.this_year, f.last_year));
    let province_growth = input.fai.as_ref().and_then(|f| f.province).and_then(|(t, l)| fai_growth(t, l));
    let batch_items: Vec<BatchFigure> = input
        .batches
        .iter()
        .map(|b| BatchFigure {
            id: b.id,
            name: b.name.clone(),
            level: b.level.clone(),
            held_on: b.held_on,
            aggregate: batch_aggregate(&b.members),
        })
        .collect();
    let totals: Vec<BatchAggregate> = batch_items.iter().map(|b| b.aggregate.clone()).collect();
    let node_on_time = node_on_time(period, &input.nodes);
    let period_started = input.as_of.year() >= input.year;
    // Months elapsed: all twelve of a past year, none of a year to come.
    let month = match input.as_of.year().cmp(&input.year) {
        std::cmp::Ordering::Greater => 12,
        std::cmp::Ordering::Equal => input.as_of.month(),
        std::cmp::Ordering::Less => 0,
    };
    YearFigures {
        year: input.year,
        as_of: input.as_of,
        period_started,
        fai_month: input.fai.as_ref().map(|f| f.month),
        fai_growth_pct: district_growth,
        fai_province_growth_pct: province_growth,
        fai_points_vs_province: district_growth.zip(province_growth).map(|(a, b)| Pct1(a.0 - b.0)),
        fai_cumulative_wan: input.fai.as_ref().map(|f| Wan(f.this_year)),
        landing: input
            .categories
            .iter()
            .filter(|c| c.tracks_landing)
            .map(|c| CategoryLanding {
                code: c.code.clone(),
                category: c.name.clone(),
                landing: landing_rate(input.year, &c.landed_on, c.target),
            })
            .collect(),
        categories: input
            .categories
            .iter()
            .map(|c| CategoryCount {
                code: c.code.clone(),
                category: c.name.clone(),
                projects: c.landed_on.len() as u32,
            })
            .collect(),
        batches: BatchesFigure {
            count: batch_items.len() as u32,
            total: sum_batches(&totals),
            items: batch_items,
        },
        campaigns: input
            .campaigns
            .iter()
            .map(|c| CampaignFigure {
                id: c.id,
                name: c.name.clone(),
                starts_on: c.starts_on,
                ends_on: c.ends_on,
                completion: campaign_completion(c.ends_on, input.as_of, &c.closed_on),
            })
            .collect(),
        node_on_time_rate_pct: node_on_time.rate_pct,
        node_on_time,
        problems: problem_resolution(period, &input.problems),
        enterprise_visits: input.enterprise_visits,
        supervision_rounds: input.supervision_rounds,
        projects_planned: input.projects_planned,
        investment: investment_completion(input.investment_completed, input.investment_planned, month),
        stages: input
            .stages
            .iter()
            .map(|(s, n)| StageCount {
                stage: s.clone(),
                projects: *n,
            })
            .collect(),
        lights: input
            .lights
            .iter()
            .map(|(l, n)| LightCount {
                light: l.clone(),
                projects: *n,
            })
            .collect(),
        land_quota: LandQuota {
            granted_mu: input.land_granted.mu_exact(),
            allocated_mu: input.land_allocated.mu_exact(),
            balance_mu: crate::money::LandArea::from_centi_mu(input.land_granted.centi_mu() - input.land_allocated.centi_mu()).mu_exact(),
        },
    }
}
