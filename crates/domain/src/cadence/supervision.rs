//! 两月督查清单: the bimonthly supervision list (lagging projects with causes and owners).

use super::{DocTable, Header, Lang, Report, ReportKind, ReportPeriod, Section, day_month_en, key, numbered_rows, report};
use crate::figures::investment_completion;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone)]
pub struct LaggingProject {
    pub project: String,
    pub unit: String,
    pub leader: String,
    pub light: Option<String>,
    pub reasons: Vec<String>,
    pub planned: Money,
    pub completed: Money,
    /// What the period's supervision rounds found on site.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct SupervisionRoundInput {
    pub name: String,
    pub leader: String,
    pub held_on: NaiveDate,
    pub targets: u32,
    pub summary: String,
}

#[derive(Debug, Clone)]
pub struct SupervisionInputs {
    /// Active projects with a red light or investment behind 序时进度.
    pub lagging: Vec<LaggingProject>,
    /// Active projects considered.
    pub active_projects: u32,
    pub rounds: Vec<SupervisionRoundInput>,
}

/// A project belongs on the supervision list when its light is red or its year's investment
/// is behind 序时进度 at `month`'s end.
pub fn is_lagging(light: Option<&str>, planned: Money, completed: Money, month: u32) -> bool {
    light == Some("red")
        || investment_completion(completed, planned, month)
            .points_vs_time_progress
            .is_some_and(|p| p.0 < 0)
}

pub fn supervision(lang: Lang, period: ReportPeriod, h: &Header, i: &SupervisionInputs) -> Report {
    let mut r = report(lang, ReportKind::Supervision, period, h);
    let en = lang == Lang::En;
    let month = period.bounds().1.month();
    let tp = crate::figures::time_progress(month);
    let reds = i.lagging.iter().filter(|l| l.light.as_deref() == Some("red")).count();
    let slow = i
        .lagging
        .iter()
        .filter(|l| {
            investment_completion(l.completed, l.planned, month)
                .points_vs_time_progress
                .is_some_and(|p| p.0 < 0)
        })
        .count();
    r.summary.push(if en {
        format!(
            "{}: of the district's {} major projects under construction or in preparation, {} lagging projects are on the supervision list: \
             {} with a red light and {} with annual investment behind time progress ({}%). {} supervision rounds were held in the period. \
             The responsible units and the leaders in charge are asked to clear the list item by item.",
            r.period_label,
            i.active_projects,
            i.lagging.len(),
            reds,
            slow,
            tp,
            i.rounds.len()
        )
    } else {
        format!(
        "{}，全区{}个在建及前期重大项目中，列入督查清单的滞后项目{}个：亮红灯{}个，年度投资低于序时进度（{}%）{}个。\
         本期开展督查{}轮。请各责任单位和包干领导对照清单逐项销号。",
        r.period_label,
        i.active_projects,
        i.lagging.len(),
        reds,
        tp,
        slow,
        i.rounds.len()
    )
    });
    r.key_figures = vec![
        key(
            "lagging",
            lang.pick("滞后项目（个）", "Lagging projects"),
            i.lagging.len().to_string(),
        ),
        key("red", lang.pick("亮红灯（个）", "Red lights"), reds.to_string()),
        key("slow", lang.pick("低于序时进度（个）", "Behind time progress"), slow.to_string()),
        key("rounds", lang.pick("督查轮次", "Supervision rounds"), i.rounds.len().to_string()),
    ];

    let mut s = Section::new(lang.pick("一、督查开展情况", "1. Supervision rounds held"));
    if i.rounds.is_empty() {
        s.paragraphs
            .push(lang.pick("本期未开展督查。", "No supervision round was held in the period.").into());
    }
    for rd in &i.rounds {
        if en {
            let summary = if rd.summary.is_empty() {
                String::new()
            } else {
                format!(" {}", rd.summary)
            };
            s.paragraphs.push(format!(
                "{}: {} led \"{}\", visiting {} projects.{summary}",
                day_month_en(rd.held_on),
                rd.leader,
                rd.name,
                rd.targets,
            ));
            continue;
        }
        s.paragraphs.push(format!(
            "{}，{}带队开展“{}”，督查项目{}个。{}",
            rd.held_on.format("%-m月%-d日"),
            rd.leader,
            rd.name,
            rd.targets,
            rd.summary
        ));
    }
    r.sections.push(s);

    let mut s = Section::new(lang.pick("二、滞后项目清单", "2. Lagging projects"));
    s.paragraphs.push(
        lang.pick(
            "以下项目亮红灯或年度投资完成率低于序时进度，列明滞后原因、责任单位和包干领导，逐项督办。",
            "The projects below have a red light or annual investment completion behind time progress; with the causes, the responsible \
             unit and the leader in charge, each is followed up item by item.",
        )
        .into(),
    );
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "滞后项目",
            "滞后项目督查清单",
            &[
                "序号",
                "项目名称",
                "责任单位",
                "包干领导",
                "亮灯",
                "年度计划（万元）",
                "完成率",
                "滞后原因",
                "督查发现",
            ],
        ),
        Lang::En => DocTable::new(
            "Lagging projects",
            "Supervision list of lagging projects",
            &[
                "No.",
                "Project",
                "Responsible unit",
                "Leader in charge",
                "Light",
                "Annual plan (10k CNY)",
                "Completion",
                "Causes",
                "Findings",
            ],
        ),
    };
    numbered_rows(&mut t, &i.lagging, |l| {
        let c = investment_completion(l.completed, l.planned, month);
        vec![
            l.project.clone().into(),
            l.unit.clone().into(),
            l.leader.clone().into(),
            match l.light.as_deref() {
                Some("red") => lang.pick("红", "Red"),
                Some("yellow") => lang.pick("黄", "Yellow"),
                Some("green") => lang.pick("绿", "Green"),
                _ => "—",
            }
            .into(),
            l.planned.into(),
            c.rate_pct.into(),
            l.reasons
                .iter()
                .filter(|r| !r.starts_with("绿灯"))
                .take(2)
                .cloned()
                .collect::<Vec<_>>()
                .join(lang.pick("；", "; "))
                .into(),
            l.findings.join(lang.pick("；", "; ")).into(),
        ]
    });
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new(lang.pick("三、下步工作要求", "3. Next steps"));
    s.paragraphs.push(
        lang.pick(
            "各责任单位要对照清单逐项分析原因、明确措施和时限，包干领导牵头协调解决要素保障和审批难题；\
         区重大项目办将在下一轮督查中逐项复核，未按期整改的纳入季度督评扣分。",
            "Each responsible unit is to analyse the causes item by item against the list and set out measures and deadlines; the leaders \
             in charge lead the coordination of resources and approvals. The district's major projects office will check every item at \
             the next round, and what is not put right in time counts against the unit in the quarterly evaluation.",
        )
        .into(),
    );
    r.sections.push(s);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cadence::compare;

    #[test]
    fn compare_marks_changed_figures() {
        let h = crate::cadence::tests::header();
        let p = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
        let lag = |n: &str| LaggingProject {
            project: n.into(),
            unit: "海门街道".into(),
            leader: "张三".into(),
            light: Some("red".into()),
            reasons: vec!["节点逾期".into()],
            planned: Money::from_wan(100),
            completed: Money::from_wan(10),
            findings: vec![],
        };
        let a = supervision(
            Lang::Zh,
            p,
            &h,
            &SupervisionInputs {
                lagging: vec![lag("甲"), lag("乙")],
                active_projects: 10,
                rounds: vec![],
            },
        );
        let b = supervision(
            Lang::Zh,
            p,
            &h,
            &SupervisionInputs {
                lagging: vec![lag("甲")],
                active_projects: 10,
                rounds: vec![],
            },
        );
        let c = compare(&b, Some(&a));
        let lagging = c.iter().find(|x| x.key == "lagging").unwrap();
        assert_eq!(
            (lagging.current.as_deref(), lagging.previous.as_deref(), lagging.changed),
            (Some("1"), Some("2"), true)
        );
        assert!(!c.iter().find(|x| x.key == "rounds").unwrap().changed);
        assert!(compare(&b, None).iter().all(|x| x.changed && x.previous.is_none()));
        assert!(a.summary[0].contains("滞后项目2个"), "{}", a.summary[0]);
    }
}
