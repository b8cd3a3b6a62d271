//! 月度分析: the monthly analysis (investment against plan and 序时进度, landing rates, FAI
//! growth, by unit and category, the programmes).

use super::{
    Chart, DocCell, DocTable, Header, Lang, Report, ReportKind, ReportPeriod, Section, Series, join_list, key, money_text, month_abbr,
    pct_text, report, vs_time_progress, wan2,
};
use crate::figures::{CategoryLanding, InvestmentCompletion, NodeOnTime, Pct1, ProblemResolution, YearFigures, investment_completion};
use crate::money::Money;

mod investment;
mod landing;
mod programmes;

use investment::{group_sections, investment_section};
use landing::{fai_section, landing_section, statistics_paragraph};
use programmes::{actions_section, attraction_and_land_section, confidence_section};

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

pub fn monthly(lang: Lang, period: ReportPeriod, h: &Header, i: &MonthlyInputs) -> Report {
    let mut r = report(lang, ReportKind::Monthly, period, h);
    let month = period.number;
    headline(lang, &mut r, i, month);
    r.sections.push(investment_section(lang, i, month));
    r.sections.extend(group_sections(lang, i, month));
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
                "本月区领导一线办公计入{}个领导周，达标{}个，达标率{rate}（每位领导按其一线办公规则计：每周次数或工作时间占比）。\
                 未达标的领导周见“领导一线办公”页面。",
                c.weeks_counted, c.weeks_met
            ),
            Lang::En => format!(
                "This month's leaders' field work: {} leader-weeks counted, {} met their rule, a compliance rate of {rate} (each leader \
                 against the leader's own rule: times a week or a share of working time). The weeks not met are on the field-work page.",
                c.weeks_counted, c.weeks_met
            ),
        });
        r.sections.push(s);
    }
    r
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
