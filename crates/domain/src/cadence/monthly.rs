//! 月度分析: the monthly analysis (investment against plan and 序时进度, landing rates, FAI
//! growth, by unit and category, the programmes).

use super::{
    Chart, DocCell, DocTable, Header, Lang, Report, ReportKind, ReportPeriod, Section, Series, join_list, key, money_text, month_abbr,
    pct_text, report, vs_time_progress, wan2,
};
use crate::figures::{CategoryLanding, InvestmentCompletion, NodeOnTime, Pct1, ProblemResolution, YearFigures, investment_completion};
use crate::money::Money;

/// Investment of a group of projects (a unit, a category): the year's plan and the year to date.
#[derive(Debug, Clone)]
pub struct GroupInvestment {
    pub name: String,
    pub projects: u32,
    pub planned: Money,
    pub completed: Money,
}

#[derive(Debug, Clone)]
pub struct MonthlyInputs {
    /// The headline figures of the year as of the month's end.
    pub year: YearFigures,
    pub by_unit: Vec<GroupInvestment>,
    pub by_category: Vec<GroupInvestment>,
    /// Investment completed in each month 1..=M (the whole district).
    pub monthly_completed: Vec<Money>,
    /// (planned, actual) starts of projects planned to start in the year.
    pub starts_planned: u32,
    pub starts_done: u32,
    /// 招商引资: the whole funnel and each attraction team's (as of the report date).
    pub attraction: crate::leads::FunnelRow,
    pub attraction_by_team: Vec<crate::leads::FunnelRow>,
    /// The month's delivery-confidence ratings against their lights, by unit (unit name and
    /// figures), in the units' order.
    pub confidence: Vec<(String, crate::confidence::UnitDisagreement)>,
    /// Statistics entry and the reconciliation with the bureau (none: not computed).
    pub statistics: Option<crate::statistics::MonthSummary>,
    /// 投产效益: 投产转化率 and the projects below their promise in the report's year (none
    /// recorded: the paragraph is left out).
    pub results: crate::results::ResultsSummary,
    /// 领导一线办公: the leader-weeks of the month (weeks starting in it) met and counted.
    pub field_work: Option<crate::field_work::Compliance>,
}

fn group_completion(g: &GroupInvestment, month: u32) -> InvestmentCompletion {
    investment_completion(g.completed, g.planned, month)
}

/// The words of a group section (by unit, by category) in one language.
struct GroupWords {
    heading: &'static str,
    sheet: &'static str,
    /// The first column, and what a group is called in the paragraph.
    first: &'static str,
    caption: &'static str,
    chart: &'static str,
    /// English: the groups behind time progress, as a paragraph opens on them.
    behind: &'static str,
}

pub fn monthly(lang: Lang, period: ReportPeriod, h: &Header, i: &MonthlyInputs) -> Report {
    let mut r = report(lang, ReportKind::Monthly, period, h);
    let month = period.number;
    headline(lang, &mut r, i, month);
    r.sections.push(investment_section(lang, i, month));
    let words = match lang {
        Lang::Zh => [
            GroupWords {
                heading: "二、分责任单位推进情况",
                sheet: "分单位",
                first: "责任单位",
                caption: "分责任单位投资完成情况",
                chart: "单位年度投资完成率",
                behind: "",
            },
            GroupWords {
                heading: "三、分类别推进情况",
                sheet: "分类别",
                first: "项目类别",
                caption: "分类别投资完成情况",
                chart: "类别年度投资完成率",
                behind: "",
            },
        ],
        Lang::En => [
            GroupWords {
                heading: "2. By responsible unit",
                sheet: "By unit",
                first: "Responsible unit",
                caption: "Investment completed by responsible unit",
                chart: "Annual investment completion by unit",
                behind: "Units behind time progress",
            },
            GroupWords {
                heading: "3. By category",
                sheet: "By category",
                first: "Category",
                caption: "Investment completed by category",
                chart: "Annual investment completion by category",
                behind: "Categories behind time progress",
            },
        ],
    };
    for (w, groups) in words.iter().zip([&i.by_unit, &i.by_category]) {
        r.sections.push(group_section(lang, w, groups, &i.year.investment, month));
    }
    r.sections.push(landing_section(lang, &i.year));
    let mut fai = fai_section(lang, &i.year, h);
    if let Some(st) = &i.statistics {
        fai.paragraphs.push(statistics_paragraph(lang, st, month));
    }
    r.sections.push(fai);
    r.sections.push(actions_section(lang, &i.year));
    let b = &i.year.batches;
    r.key_figures
        .push(key("batches", lang.pick("集中开工批次", "Batch starts"), b.count.to_string()));
    r.key_figures.push(key(
        "batch_projects",
        lang.pick("集中开工项目（个）", "Projects in batch starts"),
        b.total.projects.to_string(),
    ));
    r.sections.push(attraction_and_land_section(lang, i));
    r.sections.push(confidence_section(lang, i));
    if let Some(c) = i.field_work.as_ref().filter(|c| c.weeks_counted > 0) {
        let mut s = Section::new(lang.pick("九、领导一线办公", "9. Leaders' field work"));
        let rate = pct_text(c.rate);
        s.paragraphs.push(match lang {
            Lang::Zh => format!(
                "本月区领导一线办公计入{}个领导周，达标{}个，达标率{rate}（主要领导每周至少两次，责任区和分管联系领导每周至少三分之一工作时间）。\
                 未达标的领导周见“领导一线办公”页面。",
                c.weeks_counted, c.weeks_met
            ),
            Lang::En => format!(
                "This month's leaders' field work: {} leader-weeks counted, {} met their rule, a compliance rate of {rate} (principal leaders \
                 on site at least twice a week, responsible leaders a third of working time). The weeks not met are on the field-work page.",
                c.weeks_counted, c.weeks_met
            ),
        });
        r.sections.push(s);
    }
    r
}

/// 履约信心: the month's ratings beside the lights, and where they disagree, by unit.
fn confidence_section(lang: Lang, i: &MonthlyInputs) -> Section {
    let mut s = Section::new(lang.pick("八、履约信心评级", "8. Delivery confidence"));
    let (mut rated, mut optimistic, mut pessimistic) = (0, 0, 0);
    for (_, u) in &i.confidence {
        rated += u.rated;
        optimistic += u.optimistic;
        pessimistic += u.pessimistic;
    }
    if rated == 0 {
        s.paragraphs.push(
            lang.pick(
                "本月尚无责任领导的履约信心评级。",
                "No responsible leader rated delivery confidence this month.",
            )
            .to_string(),
        );
        return s;
    }
    let rate = pct_text(Pct1::ratio((optimistic + pessimistic) as i128, rated as i128));
    s.paragraphs.push(match lang {
        Lang::Zh => format!(
            "本月责任领导对{rated}个项目作出履约信心评级，其中{}个与规则亮灯相差两级及以上（不一致率{rate}）：评级比灯乐观{optimistic}个，\
             比灯悲观{pessimistic}个。乐观者须核实节点逾期的原因是否已消除，悲观者须说明规则未反映的风险。",
            optimistic + pessimistic
        ),
        Lang::En => format!(
            "Responsible leaders rated the delivery confidence of {rated} projects this month; {} are two or more steps from their rule-computed \
             light (a disagreement rate of {rate}): {optimistic} rated better than their light, {pessimistic} worse. The optimistic ones must show \
             that the causes of their overdue nodes are gone; the pessimistic ones must name the risk the rules do not see.",
            optimistic + pessimistic
        ),
    });
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "履约信心",
            "履约信心评级与亮灯不一致情况（分单位）",
            &["责任单位", "已评项目", "偏乐观", "偏悲观", "不一致率"],
        ),
        Lang::En => DocTable::new(
            "Confidence",
            "Delivery-confidence ratings disagreeing with the light, by unit",
            &["Responsible unit", "Rated", "Optimistic", "Pessimistic", "Disagreement"],
        ),
    };
    for (name, u) in &i.confidence {
        t.row(vec![
            name.clone().into(),
            (u.rated as u32).into(),
            (u.optimistic as u32).into(),
            (u.pessimistic as u32).into(),
            pct_text(u.disagreement_pct).into(),
        ]);
    }
    s.tables.push(t);
    s
}

/// The opening paragraphs and the key figures a later issue is compared on.
fn headline(lang: Lang, r: &mut Report, i: &MonthlyInputs, month: u32) {
    let y = &i.year;
    let inv = &y.investment;
    let start_rate = Pct1::ratio(i.starts_done as i128, i.starts_planned as i128);
    r.summary.push(if lang == Lang::En {
        format!(
            "In {}, the district's major projects completed {} of investment, {} of the annual plan of {}, {}. Of the {} projects planned \
             to start this year, {} have started, a start rate of {}.",
            months_to(month),
            money_text(lang, inv.completed_wan.0),
            pct_text(inv.rate_pct),
            money_text(lang, inv.planned_wan.0),
            vs_time_progress(lang, inv.points_vs_time_progress),
            i.starts_planned,
            i.starts_done,
            pct_text(start_rate),
        )
    } else {
        format!(
            "1—{}月，全区重大项目累计完成投资{}，占年度投资计划{}的{}，{}。本年度计划开工项目{}个，实际已开工{}个，开工率{}。",
            month,
            inv.completed_wan.0.display_auto(),
            inv.planned_wan.0.display_auto(),
            pct_text(inv.rate_pct),
            vs_time_progress(lang, inv.points_vs_time_progress),
            i.starts_planned,
            i.starts_done,
            pct_text(start_rate),
        )
    });
    if let (Some(g), Some(m)) = (y.fai_growth_pct, y.fai_month) {
        let prov = match (lang, y.fai_province_growth_pct, y.fai_points_vs_province) {
            (Lang::Zh, Some(p), Some(d)) if d.0 >= 0 => format!("，高于全省平均增速（{}%）{}个百分点", p, d),
            (Lang::Zh, Some(p), Some(d)) => format!("，低于全省平均增速（{}%）{}个百分点", p, Pct1(-d.0)),
            (Lang::En, Some(p), Some(d)) if d.0 >= 0 => {
                format!(", {} percentage points above the province's average growth ({}%)", d, p)
            }
            (Lang::En, Some(p), Some(d)) => format!(", {} percentage points below the province's average growth ({}%)", Pct1(-d.0), p),
            _ => String::new(),
        };
        r.summary.push(match lang {
            Lang::Zh => format!("据统计部门快报，1—{}月全区固定资产投资同比增长{}%{}。", m, g, prov),
            Lang::En => format!(
                "By the statistics office's flash figures, the district's fixed-asset investment in {} grew {}% year on year{}.",
                months_to(m),
                g,
                prov
            ),
        });
    }
    r.key_figures = vec![
        key(
            "completed",
            lang.pick("累计完成投资（万元）", "Investment completed (10k CNY)"),
            wan2(inv.completed_wan.0),
        ),
        key(
            "planned",
            lang.pick("年度计划投资（万元）", "Annual planned investment (10k CNY)"),
            wan2(inv.planned_wan.0),
        ),
        key(
            "completion_rate",
            lang.pick("年度投资完成率", "Annual investment completion"),
            pct_text(inv.rate_pct),
        ),
        key(
            "time_progress",
            lang.pick("序时进度", "Time progress"),
            format!("{}%", inv.time_progress_pct),
        ),
        key("start_rate", lang.pick("开工率", "Start rate"), pct_text(start_rate)),
        key(
            "fai_growth",
            lang.pick("固定资产投资增速", "Fixed-asset investment growth"),
            pct_text(y.fai_growth_pct),
        ),
        key(
            "fai_province",
            lang.pick("全省平均增速", "Province's average growth"),
            pct_text(y.fai_province_growth_pct),
        ),
    ];
    for l in y.landing.iter() {
        r.key_figures.push(key(
            &format!("landing:{}", l.code),
            &match lang {
                Lang::Zh => format!("{}落地率", l.category),
                Lang::En => format!("Landing rate: {}", l.category),
            },
            pct_text(l.landing.rate_pct),
        ));
    }
    r.key_figures.push(key(
        "node_on_time",
        lang.pick("节点按时完成率", "Nodes on time"),
        pct_text(y.node_on_time_rate_pct),
    ));
    r.key_figures.push(key(
        "problem_resolution",
        lang.pick("问题解决率", "Problem resolution"),
        pct_text(y.problems.rate_pct),
    ));
}

/// `January–March` (or `January`): the months of the year to `m`.
fn months_to(m: u32) -> String {
    if m <= 1 {
        super::month_name(1).to_string()
    } else {
        format!("January–{}", super::month_name(m))
    }
}

/// 一、投资完成: the year's investment month by month against 序时进度.
fn investment_section(lang: Lang, i: &MonthlyInputs, month: u32) -> Section {
    let inv = &i.year.investment;
    let mut s = Section::new(lang.pick("一、投资完成情况", "1. Investment completed"));
    s.paragraphs.push(if lang == Lang::En {
        format!(
            "Annual planned investment {}; completed in {}: {}, a completion rate of {} against a time progress of {}%, {}.",
            money_text(lang, inv.planned_wan.0),
            months_to(month),
            money_text(lang, inv.completed_wan.0),
            pct_text(inv.rate_pct),
            inv.time_progress_pct,
            vs_time_progress(lang, inv.points_vs_time_progress)
        )
    } else {
        format!(
            "年度计划投资{}，1—{}月累计完成{}，完成率{}，序时进度{}%，{}。",
            inv.planned_wan.0.display_auto(),
            month,
            inv.completed_wan.0.display_auto(),
            pct_text(inv.rate_pct),
            inv.time_progress_pct,
            vs_time_progress(lang, inv.points_vs_time_progress)
        )
    });
    let mut cum = Money::ZERO;
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "逐月投资",
            "逐月完成投资",
            &["月份", "当月完成（万元）", "累计完成（万元）", "累计完成率"],
        ),
        Lang::En => DocTable::new(
            "By month",
            "Investment completed month by month",
            &["Month", "In the month (10k CNY)", "Cumulative (10k CNY)", "Cumulative completion"],
        ),
    };
    let month_label = |m: usize| match lang {
        Lang::Zh => format!("{m}月"),
        Lang::En => month_abbr(m as u32).to_string(),
    };
    let mut cum_series = Vec::new();
    for (n, m) in i.monthly_completed.iter().enumerate() {
        cum = cum + *m;
        let rate = Pct1::ratio(cum.yuan() as i128, inv.planned_wan.0.yuan() as i128);
        cum_series.push(rate.map(|p| p.0).unwrap_or(0));
        t.row(vec![month_label(n + 1).into(), (*m).into(), cum.into(), rate.into()]);
    }
    s.charts.push(Chart {
        title: lang
            .pick("累计投资完成率与序时进度", "Cumulative investment completion and time progress")
            .into(),
        unit: "%".into(),
        labels: (1..=i.monthly_completed.len()).map(month_label).collect(),
        series: vec![
            Series {
                name: lang.pick("累计完成率", "Cumulative completion").into(),
                values: cum_series,
            },
            Series {
                name: lang.pick("序时进度", "Time progress").into(),
                values: (1..=i.monthly_completed.len() as u32)
                    .map(|m| crate::figures::time_progress(m).0)
                    .collect(),
            },
        ],
        reference: None,
    });
    s.tables.push(t);
    s
}

/// 二、分单位 / 三、分类别: each group's completion against 序时进度 and the district's.
fn group_section(lang: Lang, w: &GroupWords, groups: &[GroupInvestment], inv: &InvestmentCompletion, month: u32) -> Section {
    let mut s = Section::new(w.heading);
    let total_rate = inv.rate_pct;
    let mut behind: Vec<String> = Vec::new();
    let mut t = DocTable::new(
        w.sheet,
        w.caption,
        &match lang {
            Lang::Zh => [
                w.first,
                "项目数",
                "年度计划（万元）",
                "累计完成（万元）",
                "完成率",
                "与序时进度比（百分点）",
                "与全区比（百分点）",
            ],
            Lang::En => [
                w.first,
                "Projects",
                "Annual plan (10k CNY)",
                "Completed (10k CNY)",
                "Completion",
                "Vs time progress (points)",
                "Vs district (points)",
            ],
        },
    );
    let mut chart = Chart {
        title: w.chart.into(),
        unit: "%".into(),
        labels: Vec::new(),
        series: vec![Series {
            name: lang.pick("完成率", "Completion").into(),
            values: Vec::new(),
        }],
        reference: Some((lang.pick("序时进度", "Time progress").into(), inv.time_progress_pct.0)),
    };
    for g in groups.iter() {
        let c = group_completion(g, month);
        let vs_all = c.rate_pct.zip(total_rate).map(|(a, b)| Pct1(a.0 - b.0));
        if c.points_vs_time_progress.is_some_and(|p| p.0 < 0) {
            behind.push(match lang {
                Lang::Zh => format!("{}（{}）", g.name, pct_text(c.rate_pct)),
                Lang::En => format!("{} ({})", g.name, pct_text(c.rate_pct)),
            });
        }
        if let Some(rate) = c.rate_pct {
            chart.labels.push(g.name.clone());
            chart.series[0].values.push(rate.0);
        }
        t.row(vec![
            g.name.clone().into(),
            g.projects.into(),
            g.planned.into(),
            g.completed.into(),
            c.rate_pct.into(),
            c.points_vs_time_progress.map(|p| DocCell::Tenths(p.0)).into(),
            vs_all.map(|p| DocCell::Tenths(p.0)).into(),
        ]);
    }
    s.paragraphs.push(match (lang, behind.is_empty()) {
        (Lang::Zh, true) => format!("各{}年度投资完成率均达到序时进度。", w.first),
        (Lang::Zh, false) => format!("低于序时进度的{}{}个：{}。", w.first, behind.len(), behind.join("、")),
        (Lang::En, true) => format!(
            "Every {}'s annual investment completion is at or ahead of time progress.",
            w.first.to_lowercase()
        ),
        (Lang::En, false) => format!("{} ({}): {}.", w.behind, behind.len(), join_list(lang, &behind)),
    });
    if !chart.labels.is_empty() {
        s.charts.push(chart);
    }
    s.tables.push(t);
    s
}

/// 四、落地率: the landing rate of the tracked categories against their targets.
fn landing_section(lang: Lang, y: &YearFigures) -> Section {
    let mut s = Section::new(lang.pick("四、重点类别项目落地情况", "4. Landing of the key categories"));
    let tracked: Vec<&CategoryLanding> = y.landing.iter().collect();
    let sentences: Vec<String> = tracked
        .iter()
        .map(|l| {
            let met = match l.landing.target_met {
                Some(true) => lang.pick("，达到目标", ", target met"),
                Some(false) => lang.pick("，未达目标", ", target not met"),
                None => "",
            };
            if lang == Lang::En {
                return format!(
                    "{}: {} targeted, {} landed, a landing rate of {} (target {}){}",
                    l.category,
                    l.landing.targeted,
                    l.landing.landed,
                    pct_text(l.landing.rate_pct),
                    pct_text(l.landing.target_pct),
                    met
                );
            }
            format!(
                "{}谋划盯引{}个、已落地{}个，落地率{}（目标{}）{}",
                l.category,
                l.landing.targeted,
                l.landing.landed,
                pct_text(l.landing.rate_pct),
                pct_text(l.landing.target_pct),
                met
            )
        })
        .collect();
    s.paragraphs.push(match (lang, sentences.is_empty()) {
        (Lang::Zh, true) => "本年度无盯引落地类别。".into(),
        (Lang::Zh, false) => format!("{}。", sentences.join("；")),
        (Lang::En, true) => "No category is tracked for landing this year.".into(),
        (Lang::En, false) => format!("{}.", sentences.join("; ")),
    });
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "落地率",
            "重点类别项目落地率",
            &["类别", "谋划盯引（个）", "已落地（个）", "落地率", "目标落地率", "是否达标"],
        ),
        Lang::En => DocTable::new(
            "Landing",
            "Landing rate of the key categories",
            &["Category", "Targeted", "Landed", "Landing rate", "Target", "Target met"],
        ),
    };
    for l in &tracked {
        t.row(vec![
            l.category.clone().into(),
            l.landing.targeted.into(),
            l.landing.landed.into(),
            l.landing.rate_pct.into(),
            l.landing.target_pct.into(),
            match l.landing.target_met {
                Some(true) => lang.pick("达标", "Met"),
                Some(false) => lang.pick("未达标", "Not met"),
                None => "—",
            }
            .into(),
        ]);
    }
    s.charts.push(Chart {
        title: lang.pick("重点类别落地率", "Landing rate of the key categories").into(),
        unit: "%".into(),
        labels: tracked.iter().map(|l| l.category.clone()).collect(),
        series: vec![
            Series {
                name: lang.pick("落地率", "Landing rate").into(),
                values: tracked.iter().map(|l| l.landing.rate_pct.map(|p| p.0).unwrap_or(0)).collect(),
            },
            Series {
                name: lang.pick("目标", "Target").into(),
                values: tracked.iter().map(|l| l.landing.target_pct.map(|p| p.0).unwrap_or(0)).collect(),
            },
        ],
        reference: None,
    });
    s.tables.push(t);
    s
}

/// 五、固定资产投资: FAI growth against the province's.
fn fai_section(lang: Lang, y: &YearFigures, h: &Header) -> Section {
    let mut s = Section::new(lang.pick("五、固定资产投资增长", "5. Fixed-asset investment growth"));
    s.paragraphs.push(match (y.fai_growth_pct, y.fai_month) {
        (Some(g), Some(m)) if lang == Lang::En => format!(
            "The district's fixed-asset investment in {} totalled {}, {}% more than a year before; the province's average growth was {}, \
             the district {}.",
            months_to(m),
            y.fai_cumulative_wan.map(|w| money_text(lang, w.0)).unwrap_or_else(|| "—".into()),
            g,
            pct_text(y.fai_province_growth_pct),
            match y.fai_points_vs_province {
                Some(d) if d.0 >= 0 => format!("{} percentage points above it", d),
                Some(d) => format!("{} percentage points below it", Pct1(-d.0)),
                None => "without a comparison".into(),
            }
        ),
        (Some(g), Some(m)) => format!(
            "1—{}月全区固定资产投资累计{}，同比增长{}%；全省平均增长{}，全区{}。",
            m,
            y.fai_cumulative_wan.map(|w| w.0.display_auto()).unwrap_or_else(|| "—".into()),
            g,
            pct_text(y.fai_province_growth_pct),
            match y.fai_points_vs_province {
                Some(d) if d.0 >= 0 => format!("高于全省{}个百分点", d),
                Some(d) => format!("低于全省{}个百分点", Pct1(-d.0)),
                None => "暂无全省对比".into(),
            }
        ),
        _ => lang
            .pick(
                "统计部门本期固定资产投资数据尚未发布。",
                "The statistics office has not yet published this period's fixed-asset investment.",
            )
            .into(),
    });
    if let (Some(g), Some(p)) = (y.fai_growth_pct, y.fai_province_growth_pct) {
        s.charts.push(Chart {
            title: lang.pick("固定资产投资增速", "Fixed-asset investment growth").into(),
            unit: "%".into(),
            labels: match lang {
                Lang::Zh => vec![format!("{}全区", h.district), "全省平均".into()],
                Lang::En => vec![h.district.clone(), "Province average".into()],
            },
            series: vec![Series {
                name: lang.pick("同比增速", "Year-on-year growth").into(),
                values: vec![g.0, p.0],
            }],
            reference: None,
        });
    }
    s
}

/// The paragraph on statistics entry (入库) and the reconciliation of reported against counted
/// investment, after the FAI's.
fn statistics_paragraph(lang: Lang, s: &crate::statistics::MonthSummary, month: u32) -> String {
    let r = &s.reconciliation;
    let m = |x: Money| super::money_text(lang, x);
    match lang {
        Lang::Zh => format!(
            "纳统入库：开工且达到入库起点的项目中尚有{}个未入库（其中开工超过2个月的{}个）。1—{}月项目报送完成投资{}，统计部门累计列统投资{}，差额{}，其中未入库项目{}、未达起点项目{}、时间差（本月报送、下月列统）{}、未解释{}。",
            s.due_not_in,
            s.red,
            month,
            m(r.reported),
            m(r.counted),
            m(r.gap),
            m(r.parts.not_in_statistics),
            m(r.parts.under_threshold),
            m(r.parts.timing),
            m(r.parts.unexplained)
        ),
        Lang::En => format!(
            "Statistics entry: {} started projects at the threshold are not yet in statistics ({} of them more than two months after their start). \
             In {} the projects reported {} of investment and the statistics office counted {}: a gap of {}, of which {} from projects not in \
             statistics, {} from projects below the threshold, {} timing (reported this month, counted next month) and {} unexplained.",
            s.due_not_in,
            s.red,
            months_to(month),
            m(r.reported),
            m(r.counted),
            m(r.gap),
            m(r.parts.not_in_statistics),
            m(r.parts.under_threshold),
            m(r.parts.timing),
            m(r.parts.unexplained)
        ),
    }
}

/// 六、节点、问题、集中开工、攻坚行动.
fn actions_section(lang: Lang, y: &YearFigures) -> Section {
    let mut s = Section::new(lang.pick("六、节点推进、问题解决与专项行动", "6. Nodes, problems and special actions"));
    let n: &NodeOnTime = &y.node_on_time;
    let p: &ProblemResolution = &y.problems;
    let b = &y.batches;
    if lang == Lang::En {
        s.paragraphs.push(format!(
            "Nodes: {} nodes fell due this year: {} completed on time, {} completed late, {} overdue and open; {} on time.",
            n.due,
            n.on_time,
            n.late_done,
            n.overdue_open,
            pct_text(n.rate_pct)
        ));
        s.paragraphs.push(format!(
            "Problem list: {} problems raised this year, {} closed, a resolution rate of {}, {} days to resolve on average; {} enterprise visits, \
             {} supervision rounds.",
            p.raised,
            p.closed,
            pct_text(p.rate_pct),
            p.mean_days_to_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            y.enterprise_visits,
            y.supervision_rounds
        ));
        s.paragraphs.push(format!(
            "Batch starts: {} batches this year, {} projects started, total investment {}, annual planned investment {}.",
            b.count,
            b.total.projects,
            money_text(lang, b.total.total_investment_wan.0),
            money_text(lang, b.total.annual_investment_wan.0)
        ));
    } else {
        s.paragraphs.push(format!(
            "节点：年内到期节点{}个，按时完成{}个、逾期完成{}个、逾期未完成{}个，节点按时完成率{}。",
            n.due,
            n.on_time,
            n.late_done,
            n.overdue_open,
            pct_text(n.rate_pct)
        ));
        s.paragraphs.push(format!(
            "问题清单：年内提出问题{}个，已销号{}个，问题解决率{}，平均办结{}天；走访企业{}家次，开展督查{}轮。",
            p.raised,
            p.closed,
            pct_text(p.rate_pct),
            p.mean_days_to_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            y.enterprise_visits,
            y.supervision_rounds
        ));
        s.paragraphs.push(format!(
            "集中开工：年内组织集中开工{}批次，开工项目{}个，总投资{}，年度计划投资{}。",
            b.count,
            b.total.projects,
            b.total.total_investment_wan.0.display_auto(),
            b.total.annual_investment_wan.0.display_auto()
        ));
    }
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "集中开工",
            "集中开工批次",
            &["批次", "层级", "日期", "项目数", "总投资（万元）", "年度计划投资（万元）"],
        ),
        Lang::En => DocTable::new(
            "Batch starts",
            "Batch starts",
            &[
                "Batch",
                "Level",
                "Date",
                "Projects",
                "Total investment (10k CNY)",
                "Annual planned investment (10k CNY)",
            ],
        ),
    };
    for it in &b.items {
        t.row(vec![
            it.name.clone().into(),
            level(lang, &it.level).into(),
            it.held_on.into(),
            it.aggregate.projects.into(),
            it.aggregate.total_investment_wan.0.into(),
            it.aggregate.annual_investment_wan.0.into(),
        ]);
    }
    s.tables.push(t);
    if !y.campaigns.is_empty() && lang == Lang::En {
        s.paragraphs.push(format!(
            "Campaigns: {}.",
            y.campaigns
                .iter()
                .map(|c| format!(
                    "\"{}\": {} target nodes, {} closed, {} complete",
                    c.name,
                    c.completion.target_nodes,
                    c.completion.closed_nodes,
                    pct_text(c.completion.rate_pct)
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    } else if !y.campaigns.is_empty() {
        s.paragraphs.push(format!(
            "攻坚行动：{}。",
            y.campaigns
                .iter()
                .map(|c| format!(
                    "“{}”目标节点{}个、已销号{}个，完成率{}",
                    c.name,
                    c.completion.target_nodes,
                    c.completion.closed_nodes,
                    pct_text(c.completion.rate_pct)
                ))
                .collect::<Vec<_>>()
                .join("；")
        ));
    }
    if !y.campaigns.is_empty() {
        let mut t = match lang {
            Lang::Zh => DocTable::new(
                "攻坚行动",
                "攻坚行动进展",
                &["行动", "起始日期", "截止日期", "目标节点", "已销号", "按期销号", "完成率"],
            ),
            Lang::En => DocTable::new(
                "Campaigns",
                "Progress of the campaigns",
                &[
                    "Campaign",
                    "Starts",
                    "Ends",
                    "Target nodes",
                    "Closed",
                    "Closed in time",
                    "Completion",
                ],
            ),
        };
        for c in &y.campaigns {
            t.row(vec![
                c.name.clone().into(),
                c.starts_on.into(),
                c.ends_on.into(),
                c.completion.target_nodes.into(),
                c.completion.closed_nodes.into(),
                c.completion.closed_in_time.into(),
                c.completion.rate_pct.into(),
            ]);
        }
        s.tables.push(t);
    }
    s
}

/// 七、招商引资与用地保障.
fn attraction_and_land_section(lang: Lang, i: &MonthlyInputs) -> Section {
    let y = &i.year;
    let mut s = Section::new(lang.pick("七、招商引资与用地保障", "7. Investment attraction and land"));
    let a = &i.attraction;
    s.paragraphs.push(if lang == Lang::En {
        format!(
            "Investment attraction: {} projects in talks, signed or landed: {} in talks, {} signed, {} landed; {} signed, a signing rate of {} \
             and a landing rate of signed projects of {}.",
            a.total,
            a.talks,
            a.signed,
            a.landed,
            money_text(lang, a.signed_amount),
            pct_text(a.signing_rate),
            pct_text(a.landing_rate)
        )
    } else {
        format!(
        "招商引资：在谈、签约、落地项目共{}个，其中洽谈{}个、签约{}个、落地{}个，签约金额{}，签约率{}，签约项目落地率{}。",
        a.total,
        a.talks,
        a.signed,
        a.landed,
        a.signed_amount.display_auto(),
        pct_text(a.signing_rate),
        pct_text(a.landing_rate)
    )
    });
    let r = &i.results;
    if r.due > 0 || r.below_promise > 0 {
        s.paragraphs.push(match lang {
            Lang::Zh => format!(
                "投产效益：承诺达产年份已到的签约项目{}个，已达产{}个，投产转化率{}；{}年效益低于签约承诺的项目{}个。",
                r.due,
                r.reached,
                pct_text(r.rate),
                r.year,
                r.below_promise
            ),
            Lang::En => format!(
                "Results after operation: of {} signed projects due to be at full production, {} are, a conversion rate of {}; \
                 {} projects fell below their promise in {}.",
                r.due,
                r.reached,
                pct_text(r.rate),
                r.below_promise,
                r.year
            ),
        });
    }
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "招商引资",
            "招商团队推进情况",
            &["招商团队", "项目数", "洽谈", "签约", "落地", "签约金额（万元）", "落地率"],
        ),
        Lang::En => DocTable::new(
            "Attraction",
            "Progress of the attraction teams",
            &[
                "Attraction team",
                "Projects",
                "In talks",
                "Signed",
                "Landed",
                "Signed amount (10k CNY)",
                "Landing rate",
            ],
        ),
    };
    for row in &i.attraction_by_team {
        t.row(vec![
            row.group.clone().into(),
            row.total.into(),
            row.talks.into(),
            row.signed.into(),
            row.landed.into(),
            row.signed_amount.into(),
            pct_text(row.landing_rate).into(),
        ]);
    }
    s.tables.push(t);
    let q = &y.land_quota;
    s.paragraphs.push(match lang {
        Lang::Zh => format!(
            "用地指标：年内上级下达{}亩，已分配至项目{}亩，结余{}亩。",
            q.granted_mu, q.allocated_mu, q.balance_mu
        ),
        Lang::En => format!(
            "Land quota: {} mu granted this year, {} mu allocated to projects, {} mu left.",
            q.granted_mu, q.allocated_mu, q.balance_mu
        ),
    });
    s
}

fn level<'a>(lang: Lang, level: &'a str) -> &'a str {
    match level {
        "province" => lang.pick("省级", "Province"),
        "city" => lang.pick("市级", "City"),
        "district" => lang.pick("区级", "District"),
        other => other,
    }
}
