//! Results after operation (亩均效益、达产, issue #20 item 3): what an investor promised at
//! signing (the 投资建设协议 of a 标准地 plot binds 投资强度, 年亩均税收, 亩均产值 and energy use,
//! checked at 对标验收 / 达产复核 — PRACTICE.md §2.2) against what the project reported each
//! year once it operates, per 亩 of its land.
//!
//! The definitions (written into the README's "Figures beyond the glossary"):
//! - **Per 亩** (亩均产值, 亩均税收): a year's amount × 100 ÷ the land in hundredths of a 亩,
//!   whole 元 rounded half away from zero; none without land.
//! - **达产** in a year: that year's output value ≥ the promised annual output value **and** its
//!   tax ≥ the promised annual tax (the two money indicators the agreement binds and 对标验收
//!   checks; jobs and energy are reported as shortfalls but do not decide 达产).
//! - **Below promise** in a year: a project whose promised 达产 year has come (≤ the year) and
//!   whose reported year falls short in any indicator: output, tax or jobs below the promise, or
//!   energy use above it (the agreement caps energy). Each shortfall says by how much.
//! - **投产转化率** as of a year Y: of the signed projects due by Y — projects with a recorded
//!   promise whose promised 达产 year ≤ Y, whatever their stage (a signed project that never
//!   operates has not converted) — the share that reached 达产 in some year ≤ Y. By unit: the
//!   project's unit. By attraction team: the team (招商组) of the signed lead linked to the
//!   project; projects without a lead count for their unit only.

use crate::error::{FieldErrors, normalize_input};
use crate::figures::Pct1;
use crate::money::{LandArea, Money, MoneyUnit};
use serde::Serialize;

/// Shaoxing's 2018 标准地 thresholds (PRACTICE.md §2.2): 亩产税收 ≥ 30万元 …
pub const BENCHMARK_TAX_PER_MU: Money = Money::from_wan(30);
/// … and 亩均产值 ≥ 500万元.
pub const BENCHMARK_OUTPUT_PER_MU: Money = Money::from_wan(500);

/// The most jobs or tonnes of standard coal one value may say (a sanity bound, not a rule).
pub const MAX_COUNT: i64 = 100_000_000;

/// What the investor promised at signing (投资建设协议), per year once at full production.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promise {
    /// 年产值 (元).
    pub output: Money,
    /// 年税收 (元).
    pub tax: Money,
    /// 就业人数.
    pub jobs: i64,
    /// 年综合能耗 (吨标准煤, tce).
    pub energy_tce: i64,
    /// The year 达产 is promised (承诺达产年份).
    pub full_production_year: i32,
    /// 投资强度 (元/亩), when the agreement names one.
    pub investment_per_mu: Option<Money>,
}

/// One year's reported results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearResult {
    pub year: i32,
    pub output: Money,
    pub tax: Money,
    pub jobs: i64,
    pub energy_tce: i64,
}

/// Integer division rounding half away from zero.
fn div_round(n: i128, d: i128) -> i128 {
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    if n >= 0 { (2 * n + d) / (2 * d) } else { -((-2 * n + d) / (2 * d)) }
}

/// 亩均: `amount` per 亩 of `land` (amount × 100 ÷ centi-亩), whole 元 rounded half away from
/// zero; `None` when the land is unknown or zero.
pub fn per_mu(amount: Money, land: Option<LandArea>) -> Option<Money> {
    let centi = land?.centi_mu();
    if centi <= 0 {
        return None;
    }
    let v = div_round(amount.yuan() as i128 * 100, centi as i128);
    Some(Money::from_yuan(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64))
}

/// 达产 in a year: output and tax both at or above the promise.
pub fn reached_full_production(promise: &Promise, year: &YearResult) -> bool {
    year.output >= promise.output && year.tax >= promise.tax
}

/// The first year (in `years`, any order) that reached 达产.
pub fn first_full_production_year(promise: &Promise, years: &[YearResult]) -> Option<i32> {
    years.iter().filter(|y| reached_full_production(promise, y)).map(|y| y.year).min()
}

/// 达产 as the attraction funnel's last step counts it, as of `by_year`: a project that
/// operates and reached its promise (output and tax) in a reported year up to `by_year` has; a
/// project not operating has not (results are reported once it operates); an operating project
/// without a recorded promise is not known (there is nothing to measure it against).
pub fn funnel_full_output(operating: bool, promise: Option<&Promise>, years: &[YearResult], by_year: i32) -> Option<bool> {
    if !operating {
        return Some(false);
    }
    let promise = promise?;
    Some(first_full_production_year(promise, years).is_some_and(|y| y <= by_year))
}

/// An indicator of the promise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    Output,
    Tax,
    Jobs,
    Energy,
}

impl Indicator {
    pub const ALL: [Indicator; 4] = [Indicator::Output, Indicator::Tax, Indicator::Jobs, Indicator::Energy];
    pub fn code(self) -> &'static str {
        match self {
            Indicator::Output => "output",
            Indicator::Tax => "tax",
            Indicator::Jobs => "jobs",
            Indicator::Energy => "energy",
        }
    }
    pub fn label_zh(self) -> &'static str {
        match self {
            Indicator::Output => "产值",
            Indicator::Tax => "税收",
            Indicator::Jobs => "就业",
            Indicator::Energy => "能耗",
        }
    }
    pub fn label_en(self) -> &'static str {
        match self {
            Indicator::Output => "output value",
            Indicator::Tax => "tax",
            Indicator::Jobs => "jobs",
            Indicator::Energy => "energy use",
        }
    }
}

/// One indicator short of its promise: money in 元, jobs in people, energy in tce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    pub indicator: Indicator,
    pub promised: i64,
    pub actual: i64,
    /// How far on the wrong side: promised − actual (energy: actual − promised), > 0.
    pub gap: i64,
    /// gap ÷ promised, one decimal; none when nothing was promised.
    pub gap_pct: Option<Pct1>,
}

/// The indicators of `year` that fall short of `promise`: output, tax and jobs below it,
/// energy use above it.
pub fn shortfalls(promise: &Promise, year: &YearResult) -> Vec<Shortfall> {
    let pairs = [
        (Indicator::Output, promise.output.yuan(), year.output.yuan()),
        (Indicator::Tax, promise.tax.yuan(), year.tax.yuan()),
        (Indicator::Jobs, promise.jobs, year.jobs),
        (Indicator::Energy, promise.energy_tce, year.energy_tce),
    ];
    pairs
        .into_iter()
        .filter_map(|(indicator, promised, actual)| {
            let gap = if indicator == Indicator::Energy {
                actual.saturating_sub(promised)
            } else {
                promised.saturating_sub(actual)
            };
            (gap > 0).then(|| Shortfall {
                indicator,
                promised,
                actual,
                gap,
                gap_pct: Pct1::ratio(gap as i128, promised as i128),
            })
        })
        .collect()
}

/// Below promise in `year`: the promised 达产 year has come and some indicator falls short.
pub fn below_promise(promise: &Promise, year: &YearResult) -> Vec<Shortfall> {
    if promise.full_production_year > year.year {
        return Vec::new();
    }
    shortfalls(promise, year)
}

// ------------------------------------------------------------------ parsing

fn parse_money(errors: &mut FieldErrors, field: &'static str, input: &str) -> Option<Money> {
    let m = errors.take(field, Money::parse(input, MoneyUnit::Wan))?;
    if m.yuan() < 0 {
        errors.push(field, "results_amount_negative", format!("“{}”不能为负数", input.trim()));
        return None;
    }
    Some(m)
}

fn parse_count(errors: &mut FieldErrors, field: &'static str, what: &str, input: &str) -> Option<i64> {
    let s = normalize_input(input);
    match s.trim().parse::<i64>() {
        Ok(n) if (0..=MAX_COUNT).contains(&n) => Some(n),
        _ => {
            errors.push(
                field,
                "results_count_invalid",
                format!("{what}“{}”无效：应为0到1亿之间的整数", input.trim()),
            );
            None
        }
    }
}

fn parse_year(errors: &mut FieldErrors, field: &'static str, input: &str) -> Option<i32> {
    let s = normalize_input(input);
    errors.take(field, crate::date::Year::parse(s.trim())).map(|y| y.get())
}

/// A promise as typed: amounts in 万元 unless they say 元/亿元, counts as whole numbers.
#[derive(Debug, Clone, Default)]
pub struct PromiseText<'a> {
    pub output: &'a str,
    pub tax: &'a str,
    pub jobs: &'a str,
    pub energy_tce: &'a str,
    pub full_production_year: &'a str,
    /// Empty: none.
    pub investment_per_mu: &'a str,
}

/// A year's results as typed.
#[derive(Debug, Clone, Default)]
pub struct YearText<'a> {
    pub year: &'a str,
    pub output: &'a str,
    pub tax: &'a str,
    pub jobs: &'a str,
    pub energy_tce: &'a str,
}

/// A project's promise and yearly results, parsed: every field checked at once, years unique.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsInput {
    pub promise: Option<Promise>,
    /// By year, earliest first.
    pub years: Vec<YearResult>,
}

impl ResultsInput {
    pub fn parse(promise: Option<&PromiseText>, years: &[YearText]) -> Result<ResultsInput, FieldErrors> {
        let mut e = FieldErrors::default();
        let promise = promise.and_then(|p| {
            let output = parse_money(&mut e, "promise.output", p.output);
            let tax = parse_money(&mut e, "promise.tax", p.tax);
            let jobs = parse_count(&mut e, "promise.jobs", "承诺就业人数", p.jobs);
            let energy = parse_count(&mut e, "promise.energy_tce", "承诺年综合能耗", p.energy_tce);
            let year = parse_year(&mut e, "promise.full_production_year", p.full_production_year);
            let intensity = if p.investment_per_mu.trim().is_empty() {
                Some(None)
            } else {
                parse_money(&mut e, "promise.investment_per_mu", p.investment_per_mu).map(Some)
            };
            Some(Promise {
                output: output?,
                tax: tax?,
                jobs: jobs?,
                energy_tce: energy?,
                full_production_year: year?,
                investment_per_mu: intensity?,
            })
        });
        let mut out: Vec<YearResult> = Vec::new();
        for y in years {
            let year = parse_year(&mut e, "years.year", y.year);
            let output = parse_money(&mut e, "years.output", y.output);
            let tax = parse_money(&mut e, "years.tax", y.tax);
            let jobs = parse_count(&mut e, "years.jobs", "就业人数", y.jobs);
            let energy = parse_count(&mut e, "years.energy_tce", "年综合能耗", y.energy_tce);
            if let Some(year) = year
                && out.iter().any(|r| r.year == year)
            {
                e.push("years.year", "results_year_duplicate", format!("{year}年的效益填了两次"));
                continue;
            }
            if let (Some(year), Some(output), Some(tax), Some(jobs), Some(energy_tce)) = (year, output, tax, jobs, energy) {
                out.push(YearResult {
                    year,
                    output,
                    tax,
                    jobs,
                    energy_tce,
                });
            }
        }
        out.sort_by_key(|y| y.year);
        e.or(|| ResultsInput { promise, years: out })
    }
}

// ------------------------------------------------------------------ figures

/// One signed project as the conversion figure counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedProject {
    pub unit_id: i64,
    /// The attraction team of its signed lead, if one links to it.
    pub team_unit_id: Option<i64>,
    pub full_production_year: i32,
    /// The first year it reached 达产, if it has.
    pub reached_in: Option<i32>,
}

/// 投产转化率 of one group (a unit or a team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conversion {
    pub group_id: i64,
    /// Signed projects due by the year (promised 达产 year ≤ it).
    pub due: usize,
    /// Of those, reached 达产 by the year.
    pub reached: usize,
    /// reached ÷ due, one decimal.
    pub rate: Option<Pct1>,
}

fn conversion_by(signed: &[SignedProject], year: i32, group: impl Fn(&SignedProject) -> Option<i64>) -> Vec<Conversion> {
    let mut out: Vec<Conversion> = Vec::new();
    for s in signed.iter().filter(|s| s.full_production_year <= year) {
        let Some(g) = group(s) else { continue };
        let i = match out.iter().position(|c| c.group_id == g) {
            Some(i) => i,
            None => {
                out.push(Conversion {
                    group_id: g,
                    due: 0,
                    reached: 0,
                    rate: None,
                });
                out.len() - 1
            }
        };
        out[i].due += 1;
        if s.reached_in.is_some_and(|r| r <= year) {
            out[i].reached += 1;
        }
    }
    for c in &mut out {
        c.rate = Pct1::ratio(c.reached as i128, c.due as i128);
    }
    out
}

/// 投产转化率 as of `year` by the project's unit, in the order units first appear.
pub fn conversion_by_unit(signed: &[SignedProject], year: i32) -> Vec<Conversion> {
    conversion_by(signed, year, |s| Some(s.unit_id))
}

/// 投产转化率 as of `year` by attraction team; projects without a lead are left out.
pub fn conversion_by_team(signed: &[SignedProject], year: i32) -> Vec<Conversion> {
    conversion_by(signed, year, |s| s.team_unit_id)
}

/// 投产转化率 as of `year` over all of `signed`: (reached, due, rate).
pub fn conversion_total(signed: &[SignedProject], year: i32) -> Conversion {
    let mut all = conversion_by(signed, year, |_| Some(0));
    all.pop().unwrap_or(Conversion {
        group_id: 0,
        due: 0,
        reached: 0,
        rate: None,
    })
}

/// One project's reported year, as the per-亩 figures by unit take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedYear {
    pub unit_id: i64,
    pub land: Option<LandArea>,
    pub output: Money,
    pub tax: Money,
}

/// 亩均效益 of a unit in a year: the sums over its projects that reported and have land.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitPerMu {
    pub unit_id: i64,
    /// Projects with results and land.
    pub projects: usize,
    pub land: LandArea,
    pub output: Money,
    pub tax: Money,
    /// Σ output ÷ Σ 亩.
    pub output_per_mu: Option<Money>,
    /// Σ tax ÷ Σ 亩.
    pub tax_per_mu: Option<Money>,
}

/// The per-亩 figures by unit (Σ amount ÷ Σ land, so a big plot weighs as much as its land),
/// in the order units first appear; projects without land are left out.
pub fn per_mu_by_unit(reported: &[ReportedYear]) -> Vec<UnitPerMu> {
    let mut out: Vec<UnitPerMu> = Vec::new();
    for r in reported {
        let Some(land) = r.land.filter(|l| l.centi_mu() > 0) else {
            continue;
        };
        let i = match out.iter().position(|u| u.unit_id == r.unit_id) {
            Some(i) => i,
            None => {
                out.push(UnitPerMu {
                    unit_id: r.unit_id,
                    projects: 0,
                    land: LandArea::default(),
                    output: Money::ZERO,
                    tax: Money::ZERO,
                    output_per_mu: None,
                    tax_per_mu: None,
                });
                out.len() - 1
            }
        };
        let u = &mut out[i];
        u.projects += 1;
        u.land = [u.land, land].into_iter().sum();
        u.output = [u.output, r.output].into_iter().sum();
        u.tax = [u.tax, r.tax].into_iter().sum();
    }
    for u in &mut out {
        u.output_per_mu = per_mu(u.output, Some(u.land));
        u.tax_per_mu = per_mu(u.tax, Some(u.land));
    }
    out
}

/// What a report says of results after operation as of a year: 投产转化率 over every signed
/// project due by the year and how many projects fell below their promise in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultsSummary {
    pub year: i32,
    pub due: usize,
    pub reached: usize,
    pub rate: Option<Pct1>,
    pub below_promise: usize,
}

#[cfg(test)]
impl ResultsSummary {
    /// The summary the report tests state: 2019, 3 of 4 reached (75.0%), 2 below promise.
    pub(crate) fn sample() -> ResultsSummary {
        ResultsSummary {
            year: 2019,
            due: 4,
            reached: 3,
            rate: Some(Pct1(750)),
            below_promise: 2,
        }
    }
}

/// The summary of `year` over every project's promise and reported years.
pub fn summary(year: i32, projects: &[(&Promise, &[YearResult])]) -> ResultsSummary {
    let signed: Vec<SignedProject> = projects
        .iter()
        .map(|(p, years)| SignedProject {
            unit_id: 0,
            team_unit_id: None,
            full_production_year: p.full_production_year,
            reached_in: first_full_production_year(p, years),
        })
        .collect();
    let total = conversion_total(&signed, year);
    let below_promise = projects
        .iter()
        .filter(|(p, years)| years.iter().any(|y| y.year == year && !below_promise(p, y).is_empty()))
        .count();
    ResultsSummary {
        year,
        due: total.due,
        reached: total.reached,
        rate: total.rate,
        below_promise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn promise(output_wan: i64, tax_wan: i64, jobs: i64, energy: i64, year: i32) -> Promise {
        Promise {
            output: Money::from_wan(output_wan),
            tax: Money::from_wan(tax_wan),
            jobs,
            energy_tce: energy,
            full_production_year: year,
            investment_per_mu: None,
        }
    }

    fn result(year: i32, output_wan: i64, tax_wan: i64, jobs: i64, energy: i64) -> YearResult {
        YearResult {
            year,
            output: Money::from_wan(output_wan),
            tax: Money::from_wan(tax_wan),
            jobs,
            energy_tce: energy,
        }
    }

    #[test]
    fn the_funnels_full_output_needs_operation_a_promise_and_a_year_at_it() {
        let p = promise(1000, 100, 50, 200, 2019);
        let years = [result(2018, 900, 120, 50, 200), result(2019, 1000, 100, 50, 200)];
        // Reached in 2019: known from 2019 on, not before.
        assert_eq!(funnel_full_output(true, Some(&p), &years, 2019), Some(true));
        assert_eq!(funnel_full_output(true, Some(&p), &years, 2018), Some(false));
        // Not operating: not reached, whatever was reported.
        assert_eq!(funnel_full_output(false, Some(&p), &years, 2019), Some(false));
        assert_eq!(funnel_full_output(false, None, &[], 2019), Some(false));
        // Operating without a promise: not known.
        assert_eq!(funnel_full_output(true, None, &years, 2019), None);
        assert_eq!(funnel_full_output(true, Some(&p), &[], 2019), Some(false));
    }

    #[test]
    fn per_mu_is_amount_times_hundred_over_centi_mu_rounded_half_away_from_zero() {
        // 1500万元 of tax on 50亩: 30万元/亩.
        assert_eq!(
            per_mu(Money::from_wan(1500), Some(LandArea::from_mu(50))),
            Some(Money::from_wan(30))
        );
        // 100元 on 0.03亩 (3 centi-亩): 3333.33… → 3333元.
        assert_eq!(
            per_mu(Money::from_yuan(100), Some(LandArea::from_centi_mu(3))),
            Some(Money::from_yuan(3333))
        );
        // 1元 on 2亩: 0.5 → 1 (half away from zero).
        assert_eq!(per_mu(Money::from_yuan(1), Some(LandArea::from_mu(2))), Some(Money::from_yuan(1)));
        assert_eq!(per_mu(Money::from_yuan(1), Some(LandArea::from_mu(3))), Some(Money::ZERO));
        assert_eq!(per_mu(Money::from_wan(1), None), None);
        assert_eq!(per_mu(Money::from_wan(1), Some(LandArea::from_mu(0))), None);
        // The largest amount over the smallest plot does not overflow.
        assert!(per_mu(Money::MAX, Some(LandArea::from_centi_mu(1))).is_some());
    }

    #[test]
    fn full_production_needs_output_and_tax_both_at_the_promise() {
        let p = promise(25_000, 1_500, 200, 3_000, 2019);
        assert!(reached_full_production(&p, &result(2019, 25_000, 1_500, 10, 9_999)));
        assert!(!reached_full_production(&p, &result(2019, 30_000, 1_499, 300, 100)));
        assert!(!reached_full_production(&p, &result(2019, 24_999, 2_000, 300, 100)));
        let years = [
            result(2020, 26_000, 1_600, 0, 0),
            result(2018, 10_000, 500, 0, 0),
            result(2019, 25_000, 1_500, 0, 0),
        ];
        assert_eq!(first_full_production_year(&p, &years), Some(2019));
        assert_eq!(first_full_production_year(&p, &years[1..2]), None);
    }

    #[test]
    fn shortfalls_say_which_indicator_and_by_how_much_energy_above_the_cap() {
        let p = promise(25_000, 1_500, 200, 3_000, 2019);
        let s = shortfalls(&p, &result(2019, 20_000, 1_500, 150, 3_600));
        let codes: Vec<&str> = s.iter().map(|x| x.indicator.code()).collect();
        assert_eq!(codes, ["output", "jobs", "energy"]);
        assert_eq!((s[0].gap, s[0].gap_pct), (50_000_000, Some(Pct1(200))));
        assert_eq!(
            (s[1].promised, s[1].actual, s[1].gap, s[1].gap_pct),
            (200, 150, 50, Some(Pct1(250)))
        );
        assert_eq!((s[2].gap, s[2].gap_pct), (600, Some(Pct1(200))));
        assert!(shortfalls(&p, &result(2019, 25_000, 1_500, 200, 3_000)).is_empty());
        // Nothing promised, something missing: a gap without a percentage.
        let zero_jobs = promise(1, 1, 0, 0, 2019);
        assert!(shortfalls(&zero_jobs, &result(2019, 1, 1, 0, 0)).is_empty());
        // Before the promised 达产 year a year is not below promise.
        assert!(below_promise(&promise(25_000, 1_500, 200, 3_000, 2020), &result(2019, 1, 1, 1, 1)).is_empty());
        assert_eq!(below_promise(&p, &result(2019, 1, 1, 200, 1)).len(), 2);
    }

    #[test]
    fn results_are_parsed_every_field_at_once_with_typed_codes() {
        let p = PromiseText {
            output: "2.5亿",
            tax: "1500",
            jobs: "２００",
            energy_tce: "3000",
            full_production_year: "2019",
            investment_per_mu: "400万元",
        };
        let y = [
            YearText {
                year: "2020",
                output: "26000",
                tax: "1600万元",
                jobs: "210",
                energy_tce: "2900",
            },
            YearText {
                year: "2019",
                output: "25000",
                tax: "1500",
                jobs: "200",
                energy_tce: "3000",
            },
        ];
        let r = ResultsInput::parse(Some(&p), &y).unwrap();
        let promise = r.promise.unwrap();
        assert_eq!(promise.output, Money::from_wan(25_000));
        assert_eq!((promise.jobs, promise.investment_per_mu), (200, Some(Money::from_wan(400))));
        assert_eq!(r.years.iter().map(|y| y.year).collect::<Vec<_>>(), [2019, 2020]);
        let bad_p = PromiseText {
            output: "-1",
            tax: "x",
            jobs: "1.5",
            energy_tce: "",
            full_production_year: "19",
            investment_per_mu: "",
        };
        let bad_y = [
            YearText {
                year: "2019",
                output: "1",
                tax: "1",
                jobs: "1",
                energy_tce: "1",
            },
            YearText {
                year: "2019",
                output: "1",
                tax: "1",
                jobs: "1",
                energy_tce: "1",
            },
        ];
        let e = ResultsInput::parse(Some(&bad_p), &bad_y).unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "results_amount_negative",
                "invalid_money",
                "results_count_invalid",
                "results_count_invalid",
                "invalid_year",
                "results_year_duplicate"
            ]
        );
        // No promise, no years: clears both.
        assert_eq!(
            ResultsInput::parse(None, &[]).unwrap(),
            ResultsInput {
                promise: None,
                years: vec![]
            }
        );
    }

    #[test]
    fn conversion_counts_reached_over_due_by_unit_and_by_team() {
        let s = |unit_id, team_unit_id, full_production_year, reached_in| SignedProject {
            unit_id,
            team_unit_id,
            full_production_year,
            reached_in,
        };
        let signed = [
            s(1, Some(10), 2019, Some(2019)), // due, reached
            s(1, Some(10), 2018, None),       // due, not reached
            s(1, Some(11), 2020, Some(2019)), // not due in 2019 (reached early: still not counted)
            s(2, None, 2019, Some(2020)),     // due, reached only after 2019
            s(2, Some(11), 2017, Some(2018)), // due, reached
        ];
        let u = conversion_by_unit(&signed, 2019);
        assert_eq!((u[0].group_id, u[0].due, u[0].reached, u[0].rate), (1, 2, 1, Some(Pct1(500))));
        assert_eq!((u[1].group_id, u[1].due, u[1].reached, u[1].rate), (2, 2, 1, Some(Pct1(500))));
        let t = conversion_by_team(&signed, 2019);
        assert_eq!(t.len(), 2);
        assert_eq!((t[0].group_id, t[0].due, t[0].reached), (10, 2, 1));
        assert_eq!((t[1].group_id, t[1].due, t[1].reached, t[1].rate), (11, 1, 1, Some(Pct1(1000))));
        let all = conversion_total(&signed, 2019);
        assert_eq!((all.due, all.reached, all.rate), (4, 2, Some(Pct1(500))));
        assert_eq!(conversion_total(&signed, 2016).rate, None);
        // In 2020 the third and fourth count too.
        assert_eq!(conversion_total(&signed, 2020).reached, 4);
    }

    #[test]
    fn the_summary_counts_conversion_and_projects_below_promise_in_the_year() {
        let p = promise(100, 10, 10, 10, 2019);
        let later = promise(100, 10, 10, 10, 2021);
        let met = [result(2019, 100, 10, 10, 10)];
        let short = [result(2018, 200, 20, 10, 10), result(2019, 90, 10, 10, 10)];
        let s = summary(2019, &[(&p, &met), (&p, &short), (&later, &short)]);
        // Due: the first two (2019 ≤ 2019); the second reached 达产 in 2018. Below in 2019: the
        // second only (the third is not due).
        assert_eq!((s.due, s.reached, s.rate, s.below_promise), (2, 2, Some(Pct1(1000)), 1));
        assert_eq!(
            summary(2019, &[]),
            ResultsSummary {
                year: 2019,
                ..Default::default()
            }
        );
    }

    #[test]
    fn per_mu_by_unit_divides_sums_by_land_and_skips_projects_without_land() {
        let r = |unit_id, mu: Option<i64>, output_wan, tax_wan| ReportedYear {
            unit_id,
            land: mu.map(LandArea::from_mu),
            output: Money::from_wan(output_wan),
            tax: Money::from_wan(tax_wan),
        };
        let by = per_mu_by_unit(&[
            r(1, Some(50), 25_000, 1_500),
            r(1, Some(150), 55_000, 4_500),
            r(1, None, 9_999, 999),
            r(2, Some(0), 1, 1),
        ]);
        assert_eq!(by.len(), 1);
        assert_eq!(
            (by[0].projects, by[0].land, by[0].output),
            (2, LandArea::from_mu(200), Money::from_wan(80_000))
        );
        assert_eq!(by[0].output_per_mu, Some(Money::from_wan(400)));
        assert_eq!(by[0].tax_per_mu, Some(Money::from_wan(30)));
        assert!(by[0].tax_per_mu >= Some(BENCHMARK_TAX_PER_MU) && by[0].output_per_mu < Some(BENCHMARK_OUTPUT_PER_MU));
    }
}
