//! 两月督查清单: the bimonthly supervision list (lagging projects with causes and owners).

use super::{DocTable, Header, Report, ReportKind, ReportPeriod, Section, key, numbered_rows, report};
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

pub fn supervision(period: ReportPeriod, h: &Header, i: &SupervisionInputs) -> Report {
    let mut r = report(ReportKind::Supervision, period, h);
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
    r.summary.push(format!(
        "{}，全区{}个在建及前期重大项目中，列入督查清单的滞后项目{}个：亮红灯{}个，年度投资低于序时进度（{}%）{}个。\
         本期开展督查{}轮。请各责任单位和包干领导对照清单逐项销号。",
        r.period_label,
        i.active_projects,
        i.lagging.len(),
        reds,
        tp,
        slow,
        i.rounds.len()
    ));
    r.key_figures = vec![
        key("lagging", "滞后项目（个）", i.lagging.len().to_string()),
        key("red", "亮红灯（个）", reds.to_string()),
        key("slow", "低于序时进度（个）", slow.to_string()),
        key("rounds", "督查轮次", i.rounds.len().to_string()),
    ];

    let mut s = Section::new("一、督查开展情况");
    if i.rounds.is_empty() {
        s.paragraphs.push("本期未开展督查。".into());
    }
    for rd in &i.rounds {
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

    let mut s = Section::new("二、滞后项目清单");
    s.paragraphs
        .push("以下项目亮红灯或年度投资完成率低于序时进度，列明滞后原因、责任单位和包干领导，逐项督办。".into());
    let mut t = DocTable::new(
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
    );
    numbered_rows(&mut t, &i.lagging, |l| {
        let c = investment_completion(l.completed, l.planned, month);
        vec![
            l.project.clone().into(),
            l.unit.clone().into(),
            l.leader.clone().into(),
            match l.light.as_deref() {
                Some("red") => "红",
                Some("yellow") => "黄",
                Some("green") => "绿",
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
                .join("；")
                .into(),
            l.findings.join("；").into(),
        ]
    });
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new("三、下步工作要求");
    s.paragraphs.push(
        "各责任单位要对照清单逐项分析原因、明确措施和时限，包干领导牵头协调解决要素保障和审批难题；\
         区重大项目办将在下一轮督查中逐项复核，未按期整改的纳入季度督评扣分。"
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
            p,
            &h,
            &SupervisionInputs {
                lagging: vec![lag("甲"), lag("乙")],
                active_projects: 10,
                rounds: vec![],
            },
        );
        let b = supervision(
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
