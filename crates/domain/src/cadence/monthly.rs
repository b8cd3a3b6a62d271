//! 月度分析: the monthly analysis (investment against plan and 序时进度, landing rates, FAI
//! growth, by unit and category, the programmes).

use super::{
    Chart, DocCell, DocTable, Header, Report, ReportKind, ReportPeriod, Section, Series, key, pct_text, report, vs_time_progress, wan2,
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
}

fn group_completion(g: &GroupInvestment, month: u32) -> InvestmentCompletion {
    investment_completion(g.completed, g.planned, month)
}

pub fn monthly(period: ReportPeriod, h: &Header, i: &MonthlyInputs) -> Report {
    let mut r = report(ReportKind::Monthly, period, h);
    let month = period.number;
    headline(&mut r, i, month);
    r.sections.push(investment_section(i, month));
    for (heading, sheet, first, caption, groups) in [
        ("二、分责任单位推进情况", "分单位", "责任单位", "分责任单位投资完成情况", &i.by_unit),
        ("三、分类别推进情况", "分类别", "项目类别", "分类别投资完成情况", &i.by_category),
    ] {
        r.sections
            .push(group_section(heading, sheet, first, caption, groups, &i.year.investment, month));
    }
    r.sections.push(landing_section(&i.year));
    r.sections.push(fai_section(&i.year, h));
    r.sections.push(actions_section(&i.year));
    let b = &i.year.batches;
    r.key_figures.push(key("batches", "集中开工批次", b.count.to_string()));
    r.key_figures
        .push(key("batch_projects", "集中开工项目（个）", b.total.projects.to_string()));
    r.sections.push(attraction_and_land_section(i));
    r
}

/// The opening paragraphs and the key figures a later issue is compared on.
fn headline(r: &mut Report, i: &MonthlyInputs, month: u32) {
    let y = &i.year;
    let inv = &y.investment;
    let start_rate = Pct1::ratio(i.starts_done as i128, i.starts_planned as i128);
    r.summary.push(format!(
        "1—{}月，全区重大项目累计完成投资{}，占年度投资计划{}的{}，{}。本年度计划开工项目{}个，实际已开工{}个，开工率{}。",
        month,
        inv.completed_wan.0.display_auto(),
        inv.planned_wan.0.display_auto(),
        pct_text(inv.rate_pct),
        vs_time_progress(inv.points_vs_time_progress),
        i.starts_planned,
        i.starts_done,
        pct_text(start_rate),
    ));
    if let (Some(g), Some(m)) = (y.fai_growth_pct, y.fai_month) {
        let prov = match (y.fai_province_growth_pct, y.fai_points_vs_province) {
            (Some(p), Some(d)) if d.0 >= 0 => format!("，高于全省平均增速（{}%）{}个百分点", p, d),
            (Some(p), Some(d)) => format!("，低于全省平均增速（{}%）{}个百分点", p, Pct1(-d.0)),
            _ => String::new(),
        };
        r.summary
            .push(format!("据统计部门快报，1—{}月全区固定资产投资同比增长{}%{}。", m, g, prov));
    }
    r.key_figures = vec![
        key("completed", "累计完成投资（万元）", wan2(inv.completed_wan.0)),
        key("planned", "年度计划投资（万元）", wan2(inv.planned_wan.0)),
        key("completion_rate", "年度投资完成率", pct_text(inv.rate_pct)),
        key("time_progress", "序时进度", format!("{}%", inv.time_progress_pct)),
        key("start_rate", "开工率", pct_text(start_rate)),
        key("fai_growth", "固定资产投资增速", pct_text(y.fai_growth_pct)),
        key("fai_province", "全省平均增速", pct_text(y.fai_province_growth_pct)),
    ];
    for l in y.landing.iter() {
        r.key_figures.push(key(
            &format!("landing:{}", l.code),
            &format!("{}落地率", l.category),
            pct_text(l.landing.rate_pct),
        ));
    }
    r.key_figures
        .push(key("node_on_time", "节点按时完成率", pct_text(y.node_on_time_rate_pct)));
    r.key_figures
        .push(key("problem_resolution", "问题解决率", pct_text(y.problems.rate_pct)));
}

/// 一、投资完成: the year's investment month by month against 序时进度.
fn investment_section(i: &MonthlyInputs, month: u32) -> Section {
    let inv = &i.year.investment;
    let mut s = Section::new("一、投资完成情况");
    s.paragraphs.push(format!(
        "年度计划投资{}，1—{}月累计完成{}，完成率{}，序时进度{}%，{}。",
        inv.planned_wan.0.display_auto(),
        month,
        inv.completed_wan.0.display_auto(),
        pct_text(inv.rate_pct),
        inv.time_progress_pct,
        vs_time_progress(inv.points_vs_time_progress)
    ));
    let mut cum = Money::ZERO;
    let mut t = DocTable::new(
        "逐月投资",
        "逐月完成投资",
        &["月份", "当月完成（万元）", "累计完成（万元）", "累计完成率"],
    );
    let mut cum_series = Vec::new();
    for (n, m) in i.monthly_completed.iter().enumerate() {
        cum = cum + *m;
        let rate = Pct1::ratio(cum.yuan() as i128, inv.planned_wan.0.yuan() as i128);
        cum_series.push(rate.map(|p| p.0).unwrap_or(0));
        t.row(vec![format!("{}月", n + 1).into(), (*m).into(), cum.into(), rate.into()]);
    }
    s.charts.push(Chart {
        title: "累计投资完成率与序时进度".into(),
        unit: "%".into(),
        labels: (1..=i.monthly_completed.len()).map(|m| format!("{m}月")).collect(),
        series: vec![
            Series {
                name: "累计完成率".into(),
                values: cum_series,
            },
            Series {
                name: "序时进度".into(),
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
fn group_section(
    heading: &str,
    sheet: &str,
    first: &str,
    caption: &str,
    groups: &[GroupInvestment],
    inv: &InvestmentCompletion,
    month: u32,
) -> Section {
    let mut s = Section::new(heading);
    let total_rate = inv.rate_pct;
    let mut behind: Vec<String> = Vec::new();
    let mut t = DocTable::new(
        sheet,
        caption,
        &[
            first,
            "项目数",
            "年度计划（万元）",
            "累计完成（万元）",
            "完成率",
            "与序时进度比（百分点）",
            "与全区比（百分点）",
        ],
    );
    let mut chart = Chart {
        title: format!("{}年度投资完成率", sheet.trim_start_matches('分')),
        unit: "%".into(),
        labels: Vec::new(),
        series: vec![Series {
            name: "完成率".into(),
            values: Vec::new(),
        }],
        reference: Some(("序时进度".into(), inv.time_progress_pct.0)),
    };
    for g in groups.iter() {
        let c = group_completion(g, month);
        let vs_all = c.rate_pct.zip(total_rate).map(|(a, b)| Pct1(a.0 - b.0));
        if c.points_vs_time_progress.is_some_and(|p| p.0 < 0) {
            behind.push(format!("{}（{}）", g.name, pct_text(c.rate_pct)));
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
    s.paragraphs.push(if behind.is_empty() {
        format!("各{}年度投资完成率均达到序时进度。", first)
    } else {
        format!("低于序时进度的{}{}个：{}。", first, behind.len(), behind.join("、"))
    });
    if !chart.labels.is_empty() {
        s.charts.push(chart);
    }
    s.tables.push(t);
    s
}

/// 四、落地率: the landing rate of the tracked categories against their targets.
fn landing_section(y: &YearFigures) -> Section {
    let mut s = Section::new("四、重点类别项目落地情况");
    let tracked: Vec<&CategoryLanding> = y.landing.iter().collect();
    let sentences: Vec<String> = tracked
        .iter()
        .map(|l| {
            let met = match l.landing.target_met {
                Some(true) => "，达到目标",
                Some(false) => "，未达目标",
                None => "",
            };
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
    s.paragraphs.push(if sentences.is_empty() {
        "本年度无盯引落地类别。".into()
    } else {
        format!("{}。", sentences.join("；"))
    });
    let mut t = DocTable::new(
        "落地率",
        "重点类别项目落地率",
        &["类别", "谋划盯引（个）", "已落地（个）", "落地率", "目标落地率", "是否达标"],
    );
    for l in &tracked {
        t.row(vec![
            l.category.clone().into(),
            l.landing.targeted.into(),
            l.landing.landed.into(),
            l.landing.rate_pct.into(),
            l.landing.target_pct.into(),
            match l.landing.target_met {
                Some(true) => "达标",
                Some(false) => "未达标",
                None => "—",
            }
            .into(),
        ]);
    }
    s.charts.push(Chart {
        title: "重点类别落地率".into(),
        unit: "%".into(),
        labels: tracked.iter().map(|l| l.category.clone()).collect(),
        series: vec![
            Series {
                name: "落地率".into(),
                values: tracked.iter().map(|l| l.landing.rate_pct.map(|p| p.0).unwrap_or(0)).collect(),
            },
            Series {
                name: "目标".into(),
                values: tracked.iter().map(|l| l.landing.target_pct.map(|p| p.0).unwrap_or(0)).collect(),
            },
        ],
        reference: None,
    });
    s.tables.push(t);
    s
}

/// 五、固定资产投资: FAI growth against the province's.
fn fai_section(y: &YearFigures, h: &Header) -> Section {
    let mut s = Section::new("五、固定资产投资增长");
    s.paragraphs.push(match (y.fai_growth_pct, y.fai_month) {
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
        _ => "统计部门本期固定资产投资数据尚未发布。".into(),
    });
    if let (Some(g), Some(p)) = (y.fai_growth_pct, y.fai_province_growth_pct) {
        s.charts.push(Chart {
            title: "固定资产投资增速".into(),
            unit: "%".into(),
            labels: vec![format!("{}全区", h.district), "全省平均".into()],
            series: vec![Series {
                name: "同比增速".into(),
                values: vec![g.0, p.0],
            }],
            reference: None,
        });
    }
    s
}

/// 六、节点、问题、集中开工、攻坚行动.
fn actions_section(y: &YearFigures) -> Section {
    let mut s = Section::new("六、节点推进、问题解决与专项行动");
    let n: &NodeOnTime = &y.node_on_time;
    let p: &ProblemResolution = &y.problems;
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
    let b = &y.batches;
    s.paragraphs.push(format!(
        "集中开工：年内组织集中开工{}批次，开工项目{}个，总投资{}，年度计划投资{}。",
        b.count,
        b.total.projects,
        b.total.total_investment_wan.0.display_auto(),
        b.total.annual_investment_wan.0.display_auto()
    ));
    let mut t = DocTable::new(
        "集中开工",
        "集中开工批次",
        &["批次", "层级", "日期", "项目数", "总投资（万元）", "年度计划投资（万元）"],
    );
    for it in &b.items {
        t.row(vec![
            it.name.clone().into(),
            level_zh(&it.level).into(),
            it.held_on.into(),
            it.aggregate.projects.into(),
            it.aggregate.total_investment_wan.0.into(),
            it.aggregate.annual_investment_wan.0.into(),
        ]);
    }
    s.tables.push(t);
    if !y.campaigns.is_empty() {
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
        let mut t = DocTable::new(
            "攻坚行动",
            "攻坚行动进展",
            &["行动", "起始日期", "截止日期", "目标节点", "已销号", "按期销号", "完成率"],
        );
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
fn attraction_and_land_section(i: &MonthlyInputs) -> Section {
    let y = &i.year;
    let mut s = Section::new("七、招商引资与用地保障");
    let a = &i.attraction;
    s.paragraphs.push(format!(
        "招商引资：在谈、签约、落地项目共{}个，其中洽谈{}个、签约{}个、落地{}个，签约金额{}，签约率{}，签约项目落地率{}。",
        a.total,
        a.talks,
        a.signed,
        a.landed,
        a.signed_amount.display_auto(),
        pct_text(a.signing_rate),
        pct_text(a.landing_rate)
    ));
    let mut t = DocTable::new(
        "招商引资",
        "招商团队推进情况",
        &["招商团队", "项目数", "洽谈", "签约", "落地", "签约金额（万元）", "落地率"],
    );
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
    s.paragraphs.push(format!(
        "用地指标：年内上级下达{}亩，已分配至项目{}亩，结余{}亩。",
        q.granted_mu, q.allocated_mu, q.balance_mu
    ));
    s
}

fn level_zh(level: &str) -> &str {
    match level {
        "province" => "省级",
        "city" => "市级",
        "district" => "区级",
        other => other,
    }
}
