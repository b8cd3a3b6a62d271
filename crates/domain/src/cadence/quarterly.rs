//! 季度督评: the quarterly evaluation (unit scores from the published weights, and the ranking).

use super::{
    Chart, DocCell, DocTable, Header, Lang, Report, ReportError, ReportKind, ReportPeriod, Section, Series, join_list, key, report,
};
use crate::figures::{Pct1, investment_completion, node_on_time, problem_resolution};
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The published weights of the quarterly evaluation, in points out of 100. Defaults follow
/// PRACTICE.md §4.5: the 2020 city key-project score sheet gives 计划完成 40 and 项目开工 25 of
/// 100 with 管理服务 15, and the NDRC incentive weighs starts and execution 60 %; here
/// investment completion 30, node on-time rate 25, landing rate 20, problem resolution 15,
/// reporting timeliness 10. When a monthly progress report is due is not a weight: it is the
/// grace of the rule set's 填报 rule (`deadlines::ReportingDeadlines`), so the lights, the
/// late-submission list and the evaluation agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationWeights {
    pub on_time: u32,
    pub investment: u32,
    pub landing: u32,
    pub problems: u32,
    pub timeliness: u32,
}

impl Default for EvaluationWeights {
    fn default() -> Self {
        EvaluationWeights {
            on_time: 25,
            investment: 30,
            landing: 20,
            problems: 15,
            timeliness: 10,
        }
    }
}

impl EvaluationWeights {
    pub fn validate(&self) -> Result<(), ReportError> {
        let sum = self.on_time + self.investment + self.landing + self.problems + self.timeliness;
        if sum != 100 {
            return Err(ReportError::Weights(sum));
        }
        Ok(())
    }
    fn pairs(&self) -> [(u32, &'static str); 5] {
        self.pairs_in(Lang::Zh)
    }
    fn pairs_in(&self, lang: Lang) -> [(u32, &'static str); 5] {
        let n = MEASURES.map(|m| lang.pick(m.0, m.1));
        [
            (self.on_time, n[0]),
            (self.investment, n[1]),
            (self.landing, n[2]),
            (self.problems, n[3]),
            (self.timeliness, n[4]),
        ]
    }
}

/// The five measures' names, in the weights' order.
const MEASURES: [(&str, &str); 5] = [
    ("节点按时完成率", "Nodes on time"),
    ("投资完成度", "Investment completion"),
    ("项目落地率", "Landing rate"),
    ("问题解决率", "Problem resolution"),
    ("填报及时率", "Reporting on time"),
];

impl EvaluationWeights {}

/// One unit's raw measures for the quarter.
#[derive(Debug, Clone)]
pub struct UnitMeasures {
    pub unit: String,
    /// (planned date, actual completion) of the unit's nodes.
    pub nodes: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub planned: Money,
    pub completed: Money,
    pub landing_targeted: u32,
    pub landing_landed: u32,
    /// (raised, closed) of the unit's problems.
    pub problems: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub reports_expected: u32,
    pub reports_on_time: u32,
}

/// One unit's row of the evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitScore {
    pub unit: String,
    /// The five normalised measures (0–100, tenths), in the weights' order; `None` = not
    /// applicable (its weight is shared out over the others).
    pub measures: [Option<i64>; 5],
    /// Score out of 100, tenths.
    pub score: i64,
    pub rank: u32,
}

/// Scores every unit: each measure is a rate capped at 100 % (investment as completion ÷
/// 序时进度), the score the weighted mean of the applicable measures; ranks share ties
/// (1, 2, 2, 4).
pub fn score_units(period: ReportPeriod, w: &EvaluationWeights, units: &[UnitMeasures]) -> Vec<UnitScore> {
    let (start, end) = period.bounds();
    let ytd = crate::figures::Period {
        start: NaiveDate::from_ymd_opt(end.year(), 1, 1).expect("valid"),
        end,
    };
    let quarter = crate::figures::Period { start, end };
    let cap = |p: Option<Pct1>| p.map(|p| p.0.clamp(0, 1000));
    let mut out: Vec<UnitScore> = units
        .iter()
        .map(|u| {
            let on_time = node_on_time(quarter, &u.nodes).rate_pct;
            let inv = investment_completion(u.completed, u.planned, end.month());
            let inv_norm = inv.rate_pct.and_then(|r| Pct1::ratio(r.0 as i128, inv.time_progress_pct.0 as i128));
            let landing = Pct1::ratio(u.landing_landed as i128, u.landing_targeted as i128);
            let problems = problem_resolution(ytd, &u.problems).rate_pct;
            let timely = Pct1::ratio(u.reports_on_time as i128, u.reports_expected as i128);
            let measures = [cap(on_time), cap(inv_norm), cap(landing), cap(problems), cap(timely)];
            let (mut num, mut den) = (0i128, 0i128);
            for (m, (weight, _)) in measures.iter().zip(w.pairs()) {
                if let Some(m) = m {
                    num += *m as i128 * weight as i128;
                    den += weight as i128;
                }
            }
            let score = if den == 0 {
                0
            } else {
                Pct1::ratio(num, den * 1000).map(|p| p.0).unwrap_or(0)
            };
            UnitScore {
                unit: u.unit.clone(),
                measures,
                score,
                rank: 0,
            }
        })
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.unit.cmp(&b.unit)));
    for i in 0..out.len() {
        out[i].rank = if i > 0 && out[i].score == out[i - 1].score {
            out[i - 1].rank
        } else {
            i as u32 + 1
        };
    }
    out
}

#[derive(Debug, Clone)]
pub struct QuarterlyInputs {
    pub weights: EvaluationWeights,
    /// The published version of the weights.
    pub weights_version: u32,
    /// The monthly report deadline in words, e.g. `期末后5个工作日内`.
    pub report_deadline: String,
    /// The same in English, e.g. `within 5 working days after the period ends`.
    pub report_deadline_en: String,
    pub units: Vec<UnitMeasures>,
    /// Results after operation and statistics entry at the quarter's end (none: the section
    /// is left out).
    pub outcomes: Option<QuarterOutcomes>,
}

/// What the quarterly evaluation says of results after operation (`crate::results`) and of
/// statistics entry (`crate::statistics`), as of the quarter's year and end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterOutcomes {
    /// 投产转化率 as of the year and the projects below their promise in it.
    pub results: crate::results::ResultsSummary,
    /// 亩均税收 of the year: Σ tax ÷ Σ land of the projects with land that reported it.
    pub tax_per_mu: Option<Money>,
    /// Started projects at the threshold not yet in statistics (入库) at the quarter's end.
    pub not_in_statistics: usize,
    /// Of those, started more than two months before (red).
    pub not_in_statistics_red: usize,
}

#[cfg(test)]
impl QuarterOutcomes {
    /// The outcomes the report tests state: 3 of 4 reached, 2 below promise, 32万元 a 亩, 5 not
    /// in statistics (1 red).
    pub(crate) fn sample() -> QuarterOutcomes {
        QuarterOutcomes {
            results: crate::results::ResultsSummary::sample(),
            tax_per_mu: Some(Money::from_wan(32)),
            not_in_statistics: 5,
            not_in_statistics_red: 1,
        }
    }
}

/// 三、投产效益与纳统入库: 投产转化率, the projects below promise, 亩均税收 and the projects not yet
/// in statistics.
fn outcomes_section(lang: Lang, o: &QuarterOutcomes) -> Section {
    let r = &o.results;
    let rate = super::pct_text(r.rate);
    let tax = o.tax_per_mu.map(|m| super::money_text(lang, m)).unwrap_or_else(|| "—".into());
    let mut s = Section::new(lang.pick("三、投产效益与纳统入库", "3. Results after operation and statistics entry"));
    s.paragraphs.push(match lang {
        Lang::Zh => format!(
            "投产效益：承诺{}年及以前达产的签约项目{}个，已达产{}个，投产转化率{}；{}年效益低于承诺的项目{}个；已报送{}年效益的项目亩均税收{}。             纳统入库：开工且达到入库起点的项目中尚有{}个未入库，其中开工超过2个月的{}个。",
            r.year, r.due, r.reached, rate, r.year, r.below_promise, r.year, tax, o.not_in_statistics, o.not_in_statistics_red
        ),
        Lang::En => format!(
            "Results after operation: of {} signed projects promised to reach full output by {}, {} have, a conversion rate of {}; {} projects              fell below their promise in {}; the projects that reported {} paid {} of tax per mu. Statistics entry: {} started projects at the              threshold are not yet in statistics ({} of them more than two months after their start).",
            r.due, r.year, r.reached, rate, r.below_promise, r.year, r.year, tax, o.not_in_statistics, o.not_in_statistics_red
        ),
    });
    let mut t = match lang {
        Lang::Zh => DocTable::new("投产效益与入库", "投产效益与纳统入库", &["指标", "数值"]),
        Lang::En => DocTable::new(
            "Results and entry",
            "Results after operation and statistics entry",
            &["Measure", "Value"],
        ),
    };
    let rows: [(&str, &str, DocCell); 6] = [
        ("到期签约项目（个）", "Signed projects due", (r.due as i64).into()),
        ("已达产项目（个）", "Reached full output", (r.reached as i64).into()),
        ("投产转化率", "Conversion rate", r.rate.into()),
        ("低于承诺项目（个）", "Below promise", (r.below_promise as i64).into()),
        ("亩均税收", "Tax per mu", DocCell::Text(tax.clone())),
        (
            "应入库未入库项目（个）",
            "Not yet in statistics",
            (o.not_in_statistics as i64).into(),
        ),
    ];
    for (zh, en, v) in rows {
        t.row(vec![lang.pick(zh, en).into(), v]);
    }
    s.tables.push(t);
    s
}

pub fn quarterly(lang: Lang, period: ReportPeriod, h: &Header, i: &QuarterlyInputs) -> Report {
    let mut r = report(lang, ReportKind::Quarterly, period, h);
    let en = lang == Lang::En;
    let scores = score_units(period, &i.weights, &i.units);
    let w = &i.weights;
    let scored = |s: &UnitScore| match lang {
        Lang::Zh => format!("{}（{}分）", s.unit, Pct1(s.score)),
        Lang::En => format!("{} ({} points)", s.unit, Pct1(s.score)),
    };
    let top: Vec<String> = scores.iter().filter(|s| s.rank <= 3).map(scored).collect();
    let bottom: Vec<String> = scores.iter().rev().take(2).map(scored).collect();
    r.summary.push(if en {
        format!(
            "With version {} of the evaluation weights (nodes on time {} points, investment completion {}, landing rate {}, problem resolution {}, \
             reporting on time {}), the progress of major projects of {} responsible units in {} was evaluated. At the top: {}; at the bottom: {}.",
            i.weights_version,
            w.on_time,
            w.investment,
            w.landing,
            w.problems,
            w.timeliness,
            scores.len(),
            r.period_label,
            if top.is_empty() { "—".into() } else { join_list(lang, &top) },
            if bottom.is_empty() { "—".into() } else { join_list(lang, &bottom) },
        )
    } else {
        format!(
        "按第{}版考核权重（节点按时完成率{}分、投资完成度{}分、项目落地率{}分、问题解决率{}分、填报及时率{}分），对{}个责任单位{}重大项目推进情况进行督评。\
         排名前列的是：{}；排名靠后的是：{}。",
        i.weights_version,
        w.on_time,
        w.investment,
        w.landing,
        w.problems,
        w.timeliness,
        scores.len(),
        r.period_label,
        if top.is_empty() { "—".into() } else { top.join("、") },
        if bottom.is_empty() { "—".into() } else { bottom.join("、") },
    )
    });
    r.key_figures = vec![
        key("units", lang.pick("参评单位（个）", "Units evaluated"), scores.len().to_string()),
        key(
            "weights_version",
            lang.pick("权重版本", "Weights version"),
            i.weights_version.to_string(),
        ),
    ];
    for s in &scores {
        r.key_figures.push(key(
            &format!("score:{}", s.unit),
            &match lang {
                Lang::Zh => format!("{}得分（第{}名）", s.unit, s.rank),
                Lang::En => format!("{}: score (rank {})", s.unit, s.rank),
            },
            Pct1(s.score).to_string(),
        ));
    }

    let mut s = Section::new(lang.pick("一、考核办法", "1. Method"));
    s.paragraphs.push(if en {
        format!(
            "Each of the five measures is scaled to 100: nodes on time is the share of the quarter's due nodes closed on time; investment \
             completion is the annual investment completion rate divided by time progress (at most 100%); landing rate is the share of the \
             year's targeted projects that have landed; problem resolution is the share of the year's problems closed; reporting on time is \
             the share of monthly progress reports submitted on time ({}). A unit with nothing to measure on one measure has that weight \
             shared out over the others in proportion. Equal scores share a rank.",
            i.report_deadline_en
        )
    } else {
        format!(
        "五项指标均折算为百分制：节点按时完成率为本季度到期节点中按时销号的比例；投资完成度为年度投资完成率除以序时进度（最高100%）；\
         项目落地率为本年度盯引项目中已落地的比例；问题解决率为年内提出问题的销号比例；填报及时率为按时（{}）提交的项目月度进展填报比例。\
         单位无某项考核对象的，该项权重按比例分摊至其余各项。得分相同的并列同一名次。",
        i.report_deadline
    )
    });
    let mut t = match lang {
        Lang::Zh => DocTable::new("考核权重", "考核指标与权重", &["指标", "权重（分）"]),
        Lang::En => DocTable::new("Weights", "Measures and weights", &["Measure", "Weight (points)"]),
    };
    for (weight, name) in w.pairs_in(lang) {
        t.row(vec![name.into(), weight.into()]);
    }
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new(lang.pick("二、督评结果", "2. Results"));
    let m = MEASURES.map(|m| lang.pick(m.0, m.1));
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "督评排名",
            "责任单位督评得分及排名",
            &[
                "名次",
                "责任单位",
                "节点按时完成率",
                "投资完成度",
                "项目落地率",
                "问题解决率",
                "填报及时率",
                "综合得分",
            ],
        ),
        Lang::En => DocTable::new(
            "Ranking",
            "Scores and ranking of the responsible units",
            &["Rank", "Responsible unit", m[0], m[1], m[2], m[3], m[4], "Score"],
        ),
    };
    for sc in &scores {
        let mut row: Vec<DocCell> = vec![sc.rank.into(), sc.unit.clone().into()];
        row.extend(sc.measures.iter().map(|m| DocCell::from(m.map(Pct1))));
        row.push(DocCell::Tenths(sc.score));
        t.row(row);
    }
    s.charts.push(Chart {
        title: lang.pick("责任单位综合得分", "Scores of the responsible units").into(),
        unit: lang.pick("分", "points").into(),
        labels: scores.iter().map(|s| s.unit.clone()).collect(),
        series: vec![Series {
            name: lang.pick("综合得分", "Score").into(),
            values: scores.iter().map(|s| s.score).collect(),
        }],
        reference: None,
    });
    s.tables.push(t);
    r.sections.push(s);
    if let Some(o) = &i.outcomes {
        r.sections.push(outcomes_section(lang, o));
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn weights_must_sum_to_100() {
        assert!(EvaluationWeights::default().validate().is_ok());
        let w = EvaluationWeights {
            on_time: 50,
            ..Default::default()
        };
        let e = w.validate().unwrap_err();
        assert!(e.to_string().contains("之和应为100，现为125"), "{e}");
    }

    fn unit(name: &str, on_time: u32, due: u32, done_pct: i64) -> UnitMeasures {
        let nodes = (0..due)
            .map(|i| (d(2019, 11, 1), if i < on_time { Some(d(2019, 10, 30)) } else { None }))
            .collect();
        UnitMeasures {
            unit: name.into(),
            nodes,
            planned: Money::from_wan(100),
            completed: Money::from_wan(done_pct),
            landing_targeted: 0,
            landing_landed: 0,
            problems: vec![(d(2019, 3, 1), Some(d(2019, 3, 5))), (d(2019, 4, 1), None)],
            reports_expected: 4,
            reports_on_time: 3,
        }
    }

    #[test]
    fn scores_are_weighted_and_ties_share_a_rank() {
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        let w = EvaluationWeights::default();
        let units = [
            unit("甲", 4, 4, 100),
            unit("乙", 2, 4, 120),
            unit("丙", 4, 4, 100),
            unit("丁", 0, 0, 50),
        ];
        let s = score_units(q, &w, &units);
        // 甲: on-time 100, investment 100, landing n/a, problems 50, timeliness 75;
        // weights without landing: 25+30+15+10 = 80 → (2500+3000+750+750)/80 = 87.5.
        let jia = s.iter().find(|x| x.unit == "甲").unwrap();
        assert_eq!(jia.measures, [Some(1000), Some(1000), None, Some(500), Some(750)]);
        assert_eq!(jia.score, 875);
        // 乙: on-time 50, investment 120 % capped at 100 → (1250+3000+750+750)/80 = 71.9.
        assert_eq!(s.iter().find(|x| x.unit == "乙").unwrap().score, 719);
        // 丁: no nodes due: on-time n/a; investment 50 → (1500+750+750)/55 = 54.5.
        assert_eq!(s.iter().find(|x| x.unit == "丁").unwrap().score, 545);
        let ranks: Vec<(String, u32)> = s.iter().map(|x| (x.unit.clone(), x.rank)).collect();
        assert_eq!(
            ranks,
            vec![("丙".into(), 1), ("甲".into(), 1), ("乙".into(), 3), ("丁".into(), 4)],
            "equal scores share a rank, the next rank skips"
        );
    }

    #[test]
    fn the_quarterly_report_states_weights_and_ranking() {
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        let h = crate::cadence::tests::header();
        let r = quarterly(
            Lang::Zh,
            q,
            &h,
            &QuarterlyInputs {
                weights: EvaluationWeights::default(),
                weights_version: 2,
                report_deadline: "期末后5个工作日内".into(),
                report_deadline_en: "within 5 working days after the period ends".into(),
                units: vec![unit("甲", 4, 4, 100), unit("乙", 2, 4, 120)],
                outcomes: None,
            },
        );
        assert_eq!(r.title, "椒江区重大项目季度督评通报");
        assert!(r.summary[0].contains("第2版考核权重"), "{}", r.summary[0]);
        let table = &r.sections[1].tables[0];
        assert_eq!(table.rows[0][1], DocCell::Text("甲".into()));
        assert_eq!(table.rows[0][7], DocCell::Tenths(875));
        // The model survives the round trip through the frozen JSON.
        let back: Report = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        assert_eq!(back, r);
        assert_eq!(r.tables().len(), 3);
    }

    #[test]
    fn the_quarterly_report_gains_a_section_on_results_and_statistics_entry() {
        let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
        let h = crate::cadence::tests::header();
        let inputs = QuarterlyInputs {
            weights: EvaluationWeights::default(),
            weights_version: 2,
            report_deadline: "期末后5个工作日内".into(),
            report_deadline_en: "within 5 working days after the period ends".into(),
            units: vec![unit("甲", 4, 4, 100)],
            outcomes: Some(QuarterOutcomes::sample()),
        };
        let r = quarterly(Lang::Zh, q, &h, &inputs);
        let s = &r.sections[2];
        assert_eq!(s.heading, "三、投产效益与纳统入库");
        assert!(
            s.paragraphs[0].contains("已达产3个，投产转化率75.0%") && s.paragraphs[0].contains("尚有5个未入库"),
            "{}",
            s.paragraphs[0]
        );
        assert_eq!(s.tables[0].rows[2][1], DocCell::from(Some(Pct1(750))));
        assert_eq!(r.tables().len(), 4);
        // The first two sections and their figures are as before.
        let before = quarterly(
            Lang::Zh,
            q,
            &h,
            &QuarterlyInputs {
                outcomes: None,
                ..inputs.clone()
            },
        );
        assert_eq!(&r.sections[..2], &before.sections[..], "the evaluation itself is unchanged");
        assert_eq!(r.key_figures, before.key_figures);
    }
}
