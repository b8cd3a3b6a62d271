//! 月度分析, sections 四 and 五: landing rates by category against targets, and FAI growth with
//! statistics entry.

use super::*;

/// 四、落地率: the landing rate of the tracked categories against their targets.
pub(super) fn landing_section(lang: Lang, y: &YearFigures) -> Section {
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
pub(super) fn fai_section(lang: Lang, y: &YearFigures, h: &Header) -> Section {
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
pub(super) fn statistics_paragraph(lang: Lang, s: &crate::statistics::MonthSummary, month: u32) -> String {
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
