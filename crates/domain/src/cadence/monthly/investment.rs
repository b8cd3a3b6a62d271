//! 月度分析, sections 一 to 三: investment against plan and 序时进度, in all and by unit and by
//! category.

use super::*;

fn group_completion(g: &GroupInvestment, month: u32) -> InvestmentCompletion {
    investment_completion(g.completed, g.planned, month)
}

/// 二、三: the sections by responsible unit and by category.
pub(super) fn group_sections(lang: Lang, i: &MonthlyInputs, month: u32) -> Vec<Section> {
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
    words
        .iter()
        .zip([&i.by_unit, &i.by_category])
        .map(|(w, groups)| group_section(lang, w, groups, &i.year.investment, month))
        .collect()
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

/// 一、投资完成: the year's investment month by month against 序时进度.
pub(super) fn investment_section(lang: Lang, i: &MonthlyInputs, month: u32) -> Section {
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
