//! Statistics entry (入库/纳统) and reconciliation with the statistics bureau (issue #20 item 4).
//!
//! A project enters the statistics bureau's database (入库, "开工并纳统入库") once it is
//! started and its planned total investment reaches the threshold (固定资产投资统计起点,
//! 500万元 by default); from then on the bureau counts its investment (列统投资). Two figures:
//!
//! **Readiness** (入库准备): each project not in statistics that is started or at the threshold,
//! with what it lacks (未开工 / 未达起点 / 无统计代码 / 未报完成投资), the days since its start
//! and, for the projects due (at the threshold and started), the Yinchuan 入库 light (PRACTICE
//! §3.1 L1, the same months as the rule engine's statistics-entry check): green within one
//! month of the start, yellow more than one month after it, red more than two months after.
//!
//! **Reconciliation** (列统对账), per unit and month: the projects' own reported investment of
//! the year to the month against what the bureau counted (累计列统投资) and, where the bureau
//! gives it for the unit's division, the official FAI series. The gap — reported minus counted —
//! is explained in parts that add up to it exactly:
//! - *not in statistics*: what projects at the threshold but not in by the month's end
//!   reported (the bureau counts none of it);
//! - *under threshold*: what projects below the threshold and not in reported;
//! - *timing*: for projects in statistics, what they reported but the bureau has not counted
//!   yet, up to the month's own report (reported this month, counted next month);
//! - *unexplained*: the rest (negative when the bureau counted more than was reported).
//!
//! Money is exact integer 元 throughout.

use crate::error::{FieldErrors, RuleError};
use crate::labelled::code_enum;
use crate::lights::Light;
use crate::money::Money;
use chrono::{Months, NaiveDate};
use serde::Serialize;

/// The threshold by default: 500万元 planned total investment (the statistics bureau's
/// 固定资产投资项目统计起点).
pub const DEFAULT_MIN_TOTAL: Money = Money::from_wan(500);
/// Not in statistics more than this many months after the start: yellow (Yinchuan L1).
pub const YELLOW_AFTER_MONTHS: u32 = 1;
/// … more than this many: red.
pub const RED_AFTER_MONTHS: u32 = 2;

/// When a project is due to enter statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Threshold {
    /// The least planned total investment.
    pub min_total: Money,
    /// Must the project have started (开工)?
    pub requires_start: bool,
}

impl Default for Threshold {
    fn default() -> Threshold {
        Threshold {
            min_total: DEFAULT_MIN_TOTAL,
            requires_start: true,
        }
    }
}

code_enum!(
    /// What keeps a project from statistics entry, or what its entry still needs.
    Lack {
        NotStarted = "not_started", "未开工", "Not started";
        BelowThreshold = "below_threshold", "总投资未达起点", "Below the threshold";
        NoCode = "no_code", "无统计代码", "No statistics code";
        NoReportedInvestment = "no_reported_investment", "未报完成投资", "No investment reported";
    }
);

/// A project's facts as readiness takes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub project_id: i64,
    pub unit_id: i64,
    pub total_investment: Money,
    pub started_on: Option<NaiveDate>,
    pub in_statistics_on: Option<NaiveDate>,
    /// 统计代码, when the bureau has given one.
    pub statistics_code: Option<String>,
    /// The investment the project reported, all months up to the date asked.
    pub reported: Money,
}

/// A project not in statistics, with what it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Readiness {
    pub project_id: i64,
    pub unit_id: i64,
    /// At the threshold and (when required) started: it should be in statistics.
    pub due: bool,
    pub lacks: Vec<Lack>,
    /// Days from the start to the date asked (none before the start).
    pub days_since_start: Option<i64>,
    /// The Yinchuan 入库 light of a due, started project.
    pub light: Option<Light>,
}

/// Whether `c` is in statistics on `as_of`.
pub fn in_statistics(c: &Candidate, as_of: NaiveDate) -> bool {
    c.in_statistics_on.is_some_and(|on| on <= as_of)
}

/// The Yinchuan 入库 light of a project started on `started` and not in statistics on `as_of`:
/// red more than two months after the start, yellow more than one, green before.
pub fn entry_light(started: NaiveDate, as_of: NaiveDate) -> Light {
    let after = |m: u32| started.checked_add_months(Months::new(m)).unwrap_or(NaiveDate::MAX);
    if as_of > after(RED_AFTER_MONTHS) {
        Light::Red
    } else if as_of > after(YELLOW_AFTER_MONTHS) {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// A project's readiness on `as_of`; none when it is in statistics, or neither started nor
/// at the threshold (nothing to chase yet).
pub fn readiness(c: &Candidate, t: &Threshold, as_of: NaiveDate) -> Option<Readiness> {
    if in_statistics(c, as_of) {
        return None;
    }
    let started = c.started_on.filter(|s| *s <= as_of);
    let at_threshold = c.total_investment >= t.min_total;
    if started.is_none() && !at_threshold {
        return None;
    }
    let mut lacks = Vec::new();
    if started.is_none() {
        lacks.push(Lack::NotStarted);
    }
    if !at_threshold {
        lacks.push(Lack::BelowThreshold);
    }
    if c.statistics_code.as_deref().is_none_or(|s| s.trim().is_empty()) {
        lacks.push(Lack::NoCode);
    }
    if c.reported <= Money::ZERO {
        lacks.push(Lack::NoReportedInvestment);
    }
    let due = at_threshold && (started.is_some() || !t.requires_start);
    Some(Readiness {
        project_id: c.project_id,
        unit_id: c.unit_id,
        due,
        lacks,
        days_since_start: started.map(|s| (as_of - s).num_days()),
        light: match (due, started) {
            (true, Some(s)) => Some(entry_light(s, as_of)),
            _ => None,
        },
    })
}

/// The readiness of every candidate that has one, in the candidates' order.
pub fn readiness_list(candidates: &[Candidate], t: &Threshold, as_of: NaiveDate) -> Vec<Readiness> {
    candidates.iter().filter_map(|c| readiness(c, t, as_of)).collect()
}

/// The counts a readiness page shows, each the length of a filtered list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReadinessCounts {
    pub listed: usize,
    pub due: usize,
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    pub not_started: usize,
    pub below_threshold: usize,
    pub no_code: usize,
    pub no_reported_investment: usize,
}

pub fn readiness_counts(list: &[Readiness]) -> ReadinessCounts {
    let mut n = ReadinessCounts {
        listed: list.len(),
        ..Default::default()
    };
    for r in list {
        n.due += r.due as usize;
        match r.light {
            Some(Light::Green) => n.green += 1,
            Some(Light::Yellow) => n.yellow += 1,
            Some(Light::Red) => n.red += 1,
            None => {}
        }
        for l in &r.lacks {
            match l {
                Lack::NotStarted => n.not_started += 1,
                Lack::BelowThreshold => n.below_threshold += 1,
                Lack::NoCode => n.no_code += 1,
                Lack::NoReportedInvestment => n.no_reported_investment += 1,
            }
        }
    }
    n
}

/// A readiness filter as the page and the API take it: every given condition must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadinessFilter {
    pub due: Option<bool>,
    pub light: Option<Light>,
    pub lack: Option<Lack>,
    pub unit_id: Option<i64>,
}

impl ReadinessFilter {
    pub fn keeps(&self, r: &Readiness) -> bool {
        self.due.is_none_or(|d| r.due == d)
            && self.light.is_none_or(|l| r.light == Some(l))
            && self.lack.is_none_or(|l| r.lacks.contains(&l))
            && self.unit_id.is_none_or(|u| r.unit_id == u)
    }
}

/// The longest statistics code, in characters.
pub const MAX_CODE_CHARS: usize = 30;

/// A statistics code (统计代码) as typed: 1 to 30 letters, digits or `-`, kept in capitals (the
/// entry form and the counted-investment import share it).
pub fn parse_statistics_code(code: &str) -> Result<String, crate::RuleError> {
    let code = code.trim();
    if code.is_empty() || code.chars().count() > MAX_CODE_CHARS || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(crate::RuleError::new(
            "statistics_code_invalid",
            format!("统计代码“{code}”无效：应为1到30位字母、数字或连字符"),
        ));
    }
    Ok(code.to_ascii_uppercase())
}

/// A project's statistics entry as it is recorded, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryInput {
    /// 统计代码: letters, digits and `-`, at most 30.
    pub code: String,
    /// 入库日期.
    pub on: NaiveDate,
}

impl EntryInput {
    /// The code and the date, both checked at once.
    pub fn parse(code: &str, on: &str) -> Result<EntryInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = match parse_statistics_code(code) {
            Ok(c) => c,
            Err(e) => {
                errors.push("code", e.code, e.message);
                String::new()
            }
        };
        let on = errors.take("on", crate::date::parse_date(on));
        errors.or(|| EntryInput {
            code,
            on: on.unwrap_or_default(),
        })
    }

    /// A project enters statistics on or after its start (开工并纳统入库), when the threshold
    /// asks for the start.
    pub fn check(&self, started_on: Option<NaiveDate>, t: &Threshold) -> Result<(), RuleError> {
        if !t.requires_start {
            return Ok(());
        }
        match started_on {
            None => Err(RuleError::new("statistics_not_started", "项目尚未开工，不能入库：应开工后纳统入库")),
            Some(s) if self.on < s => Err(RuleError::new(
                "statistics_before_start",
                format!("入库日期“{}”早于开工日期“{}”", self.on, s),
            )),
            Some(_) => Ok(()),
        }
    }
}

/// A project's month as reconciliation takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectMonth {
    pub project_id: i64,
    pub unit_id: i64,
    pub total_investment: Money,
    /// In statistics by the month's last day.
    pub in_statistics: bool,
    /// Reported investment of the year, months 1 to M.
    pub reported_ytd: Money,
    /// Reported investment of month M alone.
    pub reported_month: Money,
    /// 累计列统投资: what the bureau counted of the year to month M (none: nothing counted).
    pub counted_ytd: Option<Money>,
}

/// The parts of a gap (reported − counted); they add up to it exactly.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GapParts {
    pub not_in_statistics: Money,
    pub under_threshold: Money,
    pub timing: Money,
    pub unexplained: Money,
}

impl GapParts {
    pub fn sum(&self) -> Money {
        self.not_in_statistics + self.under_threshold + self.timing + self.unexplained
    }
    fn add(&mut self, o: &GapParts) {
        self.not_in_statistics = self.not_in_statistics + o.not_in_statistics;
        self.under_threshold = self.under_threshold + o.under_threshold;
        self.timing = self.timing + o.timing;
        self.unexplained = self.unexplained + o.unexplained;
    }
}

/// One project's gap, explained.
pub fn project_gap(p: &ProjectMonth, t: &Threshold) -> GapParts {
    let counted = p.counted_ytd.unwrap_or(Money::ZERO);
    let mut g = GapParts::default();
    if p.in_statistics {
        let diff = p.reported_ytd - counted;
        g.timing = diff.clamp(Money::ZERO, p.reported_month.max(Money::ZERO));
        g.unexplained = diff - g.timing;
    } else {
        if p.total_investment < t.min_total {
            g.under_threshold = p.reported_ytd;
        } else {
            g.not_in_statistics = p.reported_ytd;
        }
        // The bureau counts nothing of a project outside statistics: anything it did count
        // is a difference nobody can explain from here.
        g.unexplained = Money::ZERO - counted;
    }
    g
}

/// A unit's reconciliation of a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitReconciliation {
    pub unit_id: i64,
    pub projects: usize,
    /// Of them, in statistics by the month's end.
    pub in_statistics: usize,
    /// Reported, year to month.
    pub reported: Money,
    /// Counted by the bureau (列统), year to month.
    pub counted: Money,
    /// reported − counted.
    pub gap: Money,
    pub parts: GapParts,
    /// The official FAI series of the unit's division, year to month, where the bureau gives it.
    pub official: Option<Money>,
    /// official − counted: the investment the bureau counts outside the projects on the map.
    pub outside_the_map: Option<Money>,
}

impl UnitReconciliation {
    fn new(unit_id: i64) -> UnitReconciliation {
        UnitReconciliation {
            unit_id,
            projects: 0,
            in_statistics: 0,
            reported: Money::ZERO,
            counted: Money::ZERO,
            gap: Money::ZERO,
            parts: GapParts::default(),
            official: None,
            outside_the_map: None,
        }
    }
    fn with_official(mut self, official: Option<Money>) -> UnitReconciliation {
        self.official = official;
        self.outside_the_map = official.map(|o| o - self.counted);
        self
    }
}

/// Reconciliation by unit, in the order units first appear in `months`, each with its official
/// series from `official` (by unit id).
pub fn reconcile(months: &[ProjectMonth], t: &Threshold, official: impl Fn(i64) -> Option<Money>) -> Vec<UnitReconciliation> {
    let mut out: Vec<UnitReconciliation> = Vec::new();
    for p in months {
        let i = match out.iter().position(|u| u.unit_id == p.unit_id) {
            Some(i) => i,
            None => {
                out.push(UnitReconciliation::new(p.unit_id));
                out.len() - 1
            }
        };
        let u = &mut out[i];
        u.projects += 1;
        u.in_statistics += p.in_statistics as usize;
        u.reported = u.reported + p.reported_ytd;
        u.counted = u.counted + p.counted_ytd.unwrap_or(Money::ZERO);
        u.parts.add(&project_gap(p, t));
    }
    out.into_iter()
        .map(|mut u| {
            u.gap = u.reported - u.counted;
            let o = official(u.unit_id);
            u.with_official(o)
        })
        .collect()
}

/// The district's line: the units summed, with the district's own official series.
pub fn reconcile_total(units: &[UnitReconciliation], official: Option<Money>) -> UnitReconciliation {
    let mut t = UnitReconciliation::new(0);
    for u in units {
        t.projects += u.projects;
        t.in_statistics += u.in_statistics;
        t.reported = t.reported + u.reported;
        t.counted = t.counted + u.counted;
        t.parts.add(&u.parts);
    }
    t.gap = t.reported - t.counted;
    t.with_official(official)
}

/// What the monthly analysis says of statistics: the projects due but not in (and of them the
/// red), and the district's reconciliation of the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSummary {
    pub due_not_in: usize,
    pub red: usize,
    pub reconciliation: UnitReconciliation,
}

/// The summary of a month from its readiness list and its reconciliation by unit.
pub fn month_summary(list: &[Readiness], units: &[UnitReconciliation], official: Option<Money>) -> MonthSummary {
    let n = readiness_counts(list);
    MonthSummary {
        due_not_in: n.due,
        red: n.red,
        reconciliation: reconcile_total(units, official),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn wan(w: i64) -> Money {
        Money::from_wan(w)
    }
    fn cand(total_wan: i64, started: Option<&str>, code: Option<&str>, reported_wan: i64) -> Candidate {
        Candidate {
            project_id: 1,
            unit_id: 7,
            total_investment: wan(total_wan),
            started_on: started.map(d),
            in_statistics_on: None,
            statistics_code: code.map(str::to_string),
            reported: wan(reported_wan),
        }
    }

    #[test]
    fn the_yinchuan_light_turns_yellow_after_one_month_and_red_after_two() {
        let s = d("2019-03-15");
        assert_eq!(entry_light(s, d("2019-04-15")), Light::Green, "one month to the day: not yet more");
        assert_eq!(entry_light(s, d("2019-04-16")), Light::Yellow);
        assert_eq!(entry_light(s, d("2019-05-15")), Light::Yellow);
        assert_eq!(entry_light(s, d("2019-05-16")), Light::Red);
        // Month ends: 31 January plus one month is the last day of February.
        assert_eq!(entry_light(d("2019-01-31"), d("2019-02-28")), Light::Green);
        assert_eq!(entry_light(d("2019-01-31"), d("2019-03-01")), Light::Yellow);
    }

    #[test]
    fn a_started_project_at_the_threshold_and_not_in_is_due_with_what_it_lacks() {
        let t = Threshold::default();
        let as_of = d("2019-06-30");
        let r = readiness(&cand(500, Some("2019-04-01"), None, 0), &t, as_of).unwrap();
        assert!(r.due);
        assert_eq!(r.lacks, [Lack::NoCode, Lack::NoReportedInvestment]);
        assert_eq!(r.days_since_start, Some(90));
        assert_eq!(r.light, Some(Light::Red));
        // With a code and reported investment it lacks nothing but the entry itself.
        let r = readiness(&cand(800, Some("2019-06-10"), Some("X1"), 120), &t, as_of).unwrap();
        assert!(r.due && r.lacks.is_empty());
        assert_eq!(r.light, Some(Light::Green));
        // 499.9999万元: below the threshold, listed (it started) but not due and unlit.
        let mut c = cand(0, Some("2019-01-01"), Some("X2"), 10);
        c.total_investment = Money::from_yuan(4_999_999);
        let r = readiness(&c, &t, as_of).unwrap();
        assert!(!r.due);
        assert_eq!((r.lacks.as_slice(), r.light), ([Lack::BelowThreshold].as_slice(), None));
        // At the threshold, not started (or starting after the date asked): listed, not due.
        let r = readiness(&cand(600, Some("2019-07-01"), None, 0), &t, as_of).unwrap();
        assert!(!r.due);
        assert_eq!(r.lacks, [Lack::NotStarted, Lack::NoCode, Lack::NoReportedInvestment]);
        assert_eq!((r.days_since_start, r.light), (None, None));
        // Unless the threshold does not ask for the start.
        let loose = Threshold {
            requires_start: false,
            ..t
        };
        assert!(readiness(&cand(600, None, None, 0), &loose, as_of).unwrap().due);
        // Neither started nor at the threshold: nothing to chase.
        assert_eq!(readiness(&cand(100, None, None, 0), &t, as_of), None);
    }

    #[test]
    fn a_project_in_statistics_by_the_date_is_not_listed() {
        let t = Threshold::default();
        let mut c = cand(900, Some("2019-02-01"), Some("X"), 50);
        c.in_statistics_on = Some(d("2019-03-01"));
        assert_eq!(readiness(&c, &t, d("2019-03-01")), None);
        // Before its entry date it was still out, and late.
        assert_eq!(readiness(&c, &t, d("2019-02-28")).unwrap().light, Some(Light::Green));
        c.in_statistics_on = Some(d("2019-05-01"));
        assert_eq!(readiness(&c, &t, d("2019-04-02")).unwrap().light, Some(Light::Red));
    }

    #[test]
    fn counts_are_the_lengths_of_the_filtered_lists() {
        let t = Threshold::default();
        let as_of = d("2019-06-30");
        let mut cs = vec![
            cand(500, Some("2019-04-01"), None, 0),      // due, red, no code, nothing reported
            cand(800, Some("2019-06-10"), Some("A"), 5), // due, green
            cand(300, Some("2019-01-01"), Some("B"), 9), // below
            cand(600, None, None, 0),                    // not started
        ];
        for (i, c) in cs.iter_mut().enumerate() {
            c.project_id = i as i64 + 1;
        }
        cs[1].unit_id = 9;
        let list = readiness_list(&cs, &t, as_of);
        let n = readiness_counts(&list);
        assert_eq!((n.listed, n.due, n.green, n.yellow, n.red), (4, 2, 1, 0, 1));
        assert_eq!(
            (n.not_started, n.below_threshold, n.no_code, n.no_reported_investment),
            (1, 1, 2, 2)
        );
        let count = |f: ReadinessFilter| list.iter().filter(|r| f.keeps(r)).count();
        assert_eq!(
            count(ReadinessFilter {
                due: Some(true),
                ..Default::default()
            }),
            n.due
        );
        assert_eq!(
            count(ReadinessFilter {
                light: Some(Light::Red),
                ..Default::default()
            }),
            n.red
        );
        assert_eq!(
            count(ReadinessFilter {
                lack: Some(Lack::NoCode),
                ..Default::default()
            }),
            n.no_code
        );
        assert_eq!(
            count(ReadinessFilter {
                unit_id: Some(9),
                ..Default::default()
            }),
            1
        );
    }

    #[test]
    fn an_entry_needs_a_code_a_date_and_a_start_before_it() {
        let e = EntryInput::parse(" 6402-2019-0012 ", "2019年5月6日").unwrap();
        assert_eq!((e.code.as_str(), e.on), ("6402-2019-0012", d("2019-05-06")));
        let t = Threshold::default();
        assert!(e.check(Some(d("2019-05-06")), &t).is_ok());
        assert_eq!(e.check(Some(d("2019-05-07")), &t).unwrap_err().code, "statistics_before_start");
        assert_eq!(e.check(None, &t).unwrap_err().code, "statistics_not_started");
        let loose = Threshold {
            requires_start: false,
            ..t
        };
        assert!(e.check(None, &loose).is_ok());
        let bad = EntryInput::parse("统计 1", "2019-02-30").unwrap_err();
        let codes: Vec<&str> = bad.0.iter().map(|f| f.code).collect();
        assert_eq!(codes, ["statistics_code_invalid", "invalid_date"]);
        assert!(EntryInput::parse(&"1".repeat(MAX_CODE_CHARS + 1), "2019-01-01").is_err());
    }

    fn pm(unit_id: i64, total_wan: i64, in_statistics: bool, ytd: i64, month: i64, counted: Option<i64>) -> ProjectMonth {
        ProjectMonth {
            project_id: 0,
            unit_id,
            total_investment: wan(total_wan),
            in_statistics,
            reported_ytd: Money::from_yuan(ytd),
            reported_month: Money::from_yuan(month),
            counted_ytd: counted.map(Money::from_yuan),
        }
    }

    #[test]
    fn a_projects_gap_is_explained_in_parts_that_add_up_exactly() {
        let t = Threshold::default();
        // In statistics: counted up to last month; this month's 30 counted next month.
        let g = project_gap(&pm(1, 900, true, 100, 30, Some(70)), &t);
        assert_eq!((g.timing, g.unexplained), (Money::from_yuan(30), Money::ZERO));
        // Counted 50 less than reported, 30 of it this month: 20 unexplained.
        let g = project_gap(&pm(1, 900, true, 100, 30, Some(50)), &t);
        assert_eq!((g.timing, g.unexplained), (Money::from_yuan(30), Money::from_yuan(20)));
        // Counted more than reported: negative unexplained, no timing.
        let g = project_gap(&pm(1, 900, true, 100, 30, Some(110)), &t);
        assert_eq!((g.timing, g.unexplained), (Money::ZERO, Money::from_yuan(-10)));
        // Nothing counted yet.
        let g = project_gap(&pm(1, 900, true, 100, 30, None), &t);
        assert_eq!((g.timing, g.unexplained), (Money::from_yuan(30), Money::from_yuan(70)));
        // Not in statistics: all of it, under the threshold or not in.
        assert_eq!(
            project_gap(&pm(1, 900, false, 40, 5, None), &t).not_in_statistics,
            Money::from_yuan(40)
        );
        assert_eq!(
            project_gap(&pm(1, 499, false, 40, 5, None), &t).under_threshold,
            Money::from_yuan(40)
        );
        let g = project_gap(&pm(1, 499, false, 40, 5, Some(3)), &t);
        assert_eq!((g.under_threshold, g.unexplained), (Money::from_yuan(40), Money::from_yuan(-3)));
        for p in [
            pm(1, 900, true, 100, 30, Some(50)),
            pm(1, 900, true, 100, 30, Some(110)),
            pm(1, 499, false, 40, 5, Some(3)),
            pm(1, 499, true, 40, 5, Some(3)),
        ] {
            let counted = p.counted_ytd.unwrap_or(Money::ZERO);
            assert_eq!(project_gap(&p, &t).sum(), p.reported_ytd - counted, "{p:?}");
        }
    }

    #[test]
    fn reconciliation_sums_by_unit_and_the_district_line_sums_the_units() {
        let t = Threshold::default();
        let months = [
            pm(7, 900, true, 100, 30, Some(70)),
            pm(7, 800, false, 40, 10, None),
            pm(3, 200, false, 15, 15, None),
            pm(7, 600, true, 60, 0, Some(50)),
        ];
        let by = reconcile(&months, &t, |u| (u == 7).then_some(Money::from_yuan(500)));
        assert_eq!(by.len(), 2);
        let u = &by[0];
        assert_eq!((u.unit_id, u.projects, u.in_statistics), (7, 3, 2));
        assert_eq!(
            (u.reported, u.counted, u.gap),
            (Money::from_yuan(200), Money::from_yuan(120), Money::from_yuan(80))
        );
        assert_eq!(
            u.parts,
            GapParts {
                not_in_statistics: Money::from_yuan(40),
                under_threshold: Money::ZERO,
                timing: Money::from_yuan(30),
                unexplained: Money::from_yuan(10),
            }
        );
        assert_eq!(u.parts.sum(), u.gap);
        assert_eq!(
            (u.official, u.outside_the_map),
            (Some(Money::from_yuan(500)), Some(Money::from_yuan(380)))
        );
        assert_eq!(
            (by[1].unit_id, by[1].parts.under_threshold, by[1].official),
            (3, Money::from_yuan(15), None)
        );
        let total = reconcile_total(&by, Some(Money::from_yuan(1_000)));
        assert_eq!(
            (total.projects, total.reported, total.counted),
            (4, Money::from_yuan(215), Money::from_yuan(120))
        );
        assert_eq!(total.parts.sum(), total.gap);
        assert_eq!(total.outside_the_map, Some(Money::from_yuan(880)));
        assert!(reconcile(&[], &t, |_| None).is_empty());
        let list = readiness_list(
            &[cand(500, Some("2019-04-01"), None, 0), cand(300, Some("2019-01-01"), None, 0)],
            &t,
            d("2019-06-30"),
        );
        let s = month_summary(&list, &by, None);
        assert_eq!((s.due_not_in, s.red, s.reconciliation.gap), (1, 1, total.gap));
    }
}
