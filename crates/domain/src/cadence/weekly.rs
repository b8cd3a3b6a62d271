//! 周例会简报: the weekly meeting brief (new reds, nodes due, problems to coordinate).

use super::{DocCell, DocTable, Header, Lang, Report, ReportKind, ReportPeriod, Section, day_month_en, key, numbered_rows, report};
use chrono::NaiveDate;

/// A project with a red light.
#[derive(Debug, Clone)]
pub struct RedProject {
    pub project: String,
    pub unit: String,
    pub leader: String,
    /// The reasons behind the light, worst first.
    pub reasons: Vec<String>,
    /// The same in English, where they were kept (lights computed before English reasons
    /// were kept have none: the English report then shows the Chinese one, as data).
    pub reasons_en: Vec<String>,
    /// Turned red this week (a node fell overdue in the week).
    pub new_this_week: bool,
}

/// A node of the week's agenda.
#[derive(Debug, Clone)]
pub struct NodeDue {
    pub project: String,
    pub node: String,
    pub unit: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    /// `closed`, `reported` (awaiting verification) or `open`.
    pub status: String,
}

/// An open problem to coordinate.
#[derive(Debug, Clone)]
pub struct OpenProblem {
    pub category: String,
    pub description: String,
    pub project: String,
    pub unit: String,
    pub raised_on: NaiveDate,
    pub deadline: NaiveDate,
    pub escalation_level: i64,
}

#[derive(Debug, Clone)]
pub struct WeeklyInputs {
    pub reds: Vec<RedProject>,
    /// Nodes planned in the week.
    pub due_this_week: Vec<NodeDue>,
    /// Nodes planned in the next seven days.
    pub due_next_week: Vec<NodeDue>,
    pub open_problems: Vec<OpenProblem>,
    pub problems_raised_in_week: u32,
    pub problems_closed_in_week: u32,
    pub progress_reports_in_week: u32,
    /// Supervision rounds, batches and campaigns of the week: (date, what, name).
    pub events: Vec<(NaiveDate, WeekEvent, String)>,
    /// Attraction clocks overdue at the week's end, and the leads that have any
    /// (`lead_clocks::overdue_counts`).
    pub overdue_lead_clocks: (usize, usize),
    /// The leaders' field work of the week (一线办公, `field_work::week_summary`).
    pub field_work: crate::field_work::WeekSummary,
}

/// What happened on a day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekEvent {
    Supervision,
    Batch,
    CampaignStart,
    CampaignEnd,
}

impl WeekEvent {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            WeekEvent::Supervision => lang.pick("督查", "Supervision"),
            WeekEvent::Batch => lang.pick("集中开工", "Batch start"),
            WeekEvent::CampaignStart => lang.pick("攻坚行动启动", "Campaign starts"),
            WeekEvent::CampaignEnd => lang.pick("攻坚行动截止", "Campaign ends"),
        }
    }
}

fn node_status(lang: Lang, s: &str) -> &'static str {
    match s {
        "closed" => lang.pick("已销号", "Closed"),
        "reported" => lang.pick("待核验", "Awaiting verification"),
        _ => lang.pick("未完成", "Open"),
    }
}

pub fn weekly(lang: Lang, period: ReportPeriod, h: &Header, i: &WeeklyInputs) -> Report {
    let mut r = report(lang, ReportKind::Weekly, period, h);
    let en = lang == Lang::En;
    let (_, end) = period.bounds();
    let new_reds = i.reds.iter().filter(|x| x.new_this_week).count();
    let closed = i.due_this_week.iter().filter(|n| n.status == "closed").count();
    let overdue_problems = i.open_problems.iter().filter(|p| p.deadline < end).count();
    r.summary.push(if en {
        format!(
            "In {}, {} major projects of the district had a red light, {} of them new this week; {} nodes were planned this week, \
             {} closed, and {} fall due next week; {} problems await coordination ({} overdue), {} were raised and {} closed this week; \
             {} progress reports were received this week.",
            r.period_label,
            i.reds.len(),
            new_reds,
            i.due_this_week.len(),
            closed,
            i.due_next_week.len(),
            i.open_problems.len(),
            overdue_problems,
            i.problems_raised_in_week,
            i.problems_closed_in_week,
            i.progress_reports_in_week
        )
    } else {
        format!(
            "本周（{}）全区重大项目亮红灯{}个，其中本周新增{}个；本周计划节点{}个，已销号{}个，下周到期节点{}个；\
         待协调问题{}个（其中超期{}个），本周新提出问题{}个、销号{}个；本周收到项目进展填报{}份。",
            r.period_label,
            i.reds.len(),
            new_reds,
            i.due_this_week.len(),
            closed,
            i.due_next_week.len(),
            i.open_problems.len(),
            overdue_problems,
            i.problems_raised_in_week,
            i.problems_closed_in_week,
            i.progress_reports_in_week
        )
    });
    r.key_figures = vec![
        key("reds", lang.pick("红灯项目（个）", "Red projects"), i.reds.len().to_string()),
        key(
            "new_reds",
            lang.pick("本周新增红灯（个）", "New reds this week"),
            new_reds.to_string(),
        ),
        key(
            "nodes_due",
            lang.pick("本周计划节点（个）", "Nodes planned this week"),
            i.due_this_week.len().to_string(),
        ),
        key(
            "nodes_closed",
            lang.pick("本周已销号节点（个）", "Nodes closed this week"),
            closed.to_string(),
        ),
        key(
            "nodes_next",
            lang.pick("下周到期节点（个）", "Nodes due next week"),
            i.due_next_week.len().to_string(),
        ),
        key(
            "open_problems",
            lang.pick("待协调问题（个）", "Problems awaiting coordination"),
            i.open_problems.len().to_string(),
        ),
        key(
            "overdue_problems",
            lang.pick("超期未解决问题（个）", "Overdue open problems"),
            overdue_problems.to_string(),
        ),
    ];

    let mut s = Section::new(lang.pick("一、红灯项目", "1. Red projects"));
    let mut reds: Vec<&RedProject> = i.reds.iter().collect();
    reds.sort_by_key(|x| !x.new_this_week);
    if reds.is_empty() {
        s.paragraphs
            .push(lang.pick("本周无亮红灯项目。", "No project has a red light this week.").into());
    } else if en {
        s.paragraphs.push(format!(
            "{} projects have a red light, {} of them new this week (marked \"New\"); the responsible units and the leaders in charge \
             are asked to set out, project by project, how each obstacle will be removed and by when.",
            reds.len(),
            new_reds
        ));
    } else {
        s.paragraphs.push(format!(
            "亮红灯项目{}个，其中本周新增{}个（标“新增”），请责任单位和包干领导逐项明确破难措施和完成时限。",
            reds.len(),
            new_reds
        ));
    }
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "红灯项目",
            "红灯项目清单",
            &["序号", "项目名称", "责任单位", "包干领导", "亮灯原因", "状态"],
        ),
        Lang::En => DocTable::new(
            "Red projects",
            "Projects with a red light",
            &["No.", "Project", "Responsible unit", "Leader in charge", "Reason", "Status"],
        ),
    };
    numbered_rows(&mut t, reds, |x| {
        vec![
            x.project.clone().into(),
            x.unit.clone().into(),
            x.leader.clone().into(),
            match lang {
                Lang::En => x.reasons_en.first().or(x.reasons.first()),
                Lang::Zh => x.reasons.first(),
            }
            .cloned()
            .unwrap_or_default()
            .into(),
            if x.new_this_week {
                lang.pick("新增", "New")
            } else {
                lang.pick("持续", "Continuing")
            }
            .into(),
        ]
    });
    s.tables.push(t);
    r.sections.push(s);

    let mut s = Section::new(lang.pick("二、节点推进", "2. Nodes"));
    let reported = i.due_this_week.iter().filter(|n| n.status == "reported").count();
    let open = i
        .due_this_week
        .iter()
        .filter(|n| n.status != "closed" && n.status != "reported")
        .count();
    s.paragraphs.push(if en {
        format!(
            "{} nodes were planned to be completed this week: {} closed, {} awaiting verification, {} open; {} nodes fall due next week \
             (from {}): the responsible units are asked to prepare the supporting evidence in advance.",
            i.due_this_week.len(),
            closed,
            reported,
            open,
            i.due_next_week.len(),
            day_month_en(end + chrono::Duration::days(1)),
        )
    } else {
        format!(
            "本周计划完成节点{}个，已销号{}个、待核验{}个、未完成{}个；下周（{}起）到期节点{}个，请责任单位提前准备佐证材料。",
            i.due_this_week.len(),
            closed,
            reported,
            open,
            (end + chrono::Duration::days(1)).format("%-m月%-d日"),
            i.due_next_week.len()
        )
    });
    for (sheet, caption, list) in [
        (
            lang.pick("本周节点", "Nodes this week"),
            lang.pick("本周计划节点", "Nodes planned this week"),
            &i.due_this_week,
        ),
        (
            lang.pick("下周节点", "Nodes next week"),
            lang.pick("下周到期节点", "Nodes due next week"),
            &i.due_next_week,
        ),
    ] {
        let columns: [&str; 7] = lang.pick(
            ["序号", "项目名称", "节点", "责任单位", "计划日期", "完成日期", "状态"],
            ["No.", "Project", "Node", "Responsible unit", "Planned", "Completed", "Status"],
        );
        let mut t = DocTable::new(sheet, caption, &columns);
        numbered_rows(&mut t, list, |x| {
            vec![
                x.project.clone().into(),
                x.node.clone().into(),
                x.unit.clone().into(),
                x.planned_on.into(),
                x.actual_on.into(),
                node_status(lang, &x.status).into(),
            ]
        });
        s.tables.push(t);
    }
    r.sections.push(s);

    let mut s = Section::new(lang.pick("三、需协调解决的问题", "3. Problems to coordinate"));
    s.paragraphs.push(if en {
        format!(
            "{} problems on the problem list are not yet closed: {} past their deadline and {} escalated. Problems move through the list's \
             loop of raised, assigned, resolved and closed; the overdue ones are put to this meeting for coordination.",
            i.open_problems.len(),
            overdue_problems,
            i.open_problems.iter().filter(|p| p.escalation_level > 0).count()
        )
    } else {
        format!(
        "问题清单中尚未销号的问题{}个，其中已过办结时限{}个、已提级协调{}个。按问题清单“提出—交办—办结—销号”闭环推进，超期问题提请本次例会协调。",
        i.open_problems.len(),
        overdue_problems,
        i.open_problems.iter().filter(|p| p.escalation_level > 0).count()
    )
    });
    let (lead_clocks, leads) = i.overdue_lead_clocks;
    if leads > 0 {
        s.paragraphs.push(if en {
            format!(
                "{lead_clocks} attraction clocks (response, assessment, feedback, progress report) are overdue on {leads} leads: the \
                 attraction teams are asked to catch up this week."
            )
        } else {
            format!("招商线索时限逾期{lead_clocks}项（涉及线索{leads}条，含响应、研判、反馈、进展报告），请各招商组本周内补办。")
        });
    }
    let fw = &i.field_work;
    if fw.times > 0 {
        s.paragraphs.push(if en {
            format!(
                "Leaders' field work: {} leaders worked on site {} times this week; {} of {} met their rule.",
                fw.leaders_on_site, fw.times, fw.met, fw.leaders
            )
        } else {
            format!(
                "领导一线办公：本周{}位领导一线办公{}次，达标{}位（共{}位）。",
                fw.leaders_on_site, fw.times, fw.met, fw.leaders
            )
        });
    }
    let mut probs: Vec<&OpenProblem> = i.open_problems.iter().collect();
    probs.sort_by(|a, b| b.escalation_level.cmp(&a.escalation_level).then(a.deadline.cmp(&b.deadline)));
    let mut t = match lang {
        Lang::Zh => DocTable::new(
            "待协调问题",
            "待协调问题清单",
            &[
                "序号",
                "类别",
                "问题描述",
                "所属项目",
                "责任单位",
                "提出日期",
                "办结时限",
                "超期天数",
            ],
        ),
        Lang::En => DocTable::new(
            "Open problems",
            "Problems awaiting coordination",
            &[
                "No.",
                "Category",
                "Problem",
                "Project",
                "Responsible unit",
                "Raised",
                "Deadline",
                "Days overdue",
            ],
        ),
    };
    numbered_rows(&mut t, probs, |p| {
        let late = (end - p.deadline).num_days();
        vec![
            p.category.clone().into(),
            p.description.clone().into(),
            p.project.clone().into(),
            p.unit.clone().into(),
            p.raised_on.into(),
            p.deadline.into(),
            if late > 0 { DocCell::Int(late) } else { DocCell::Empty },
        ]
    });
    s.tables.push(t);
    r.sections.push(s);

    if !i.events.is_empty() {
        let mut s = Section::new(lang.pick("四、本周重要活动", "4. Events of the week"));
        for (d, what, name) in &i.events {
            s.paragraphs.push(match lang {
                Lang::Zh => format!("{}：{}：{}。", d.format("%-m月%-d日"), what.label(lang), name),
                Lang::En => format!("{}: {}: {}.", day_month_en(*d), what.label(lang), name),
            });
        }
        r.sections.push(s);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::date::d;

    #[test]
    fn the_weekly_brief_puts_new_reds_first_and_counts_overdue_problems() {
        let w = ReportPeriod::parse(ReportKind::Weekly, "2019-W50").unwrap();
        let h = crate::cadence::tests::header();
        let red = |name: &str, new: bool| RedProject {
            project: name.into(),
            unit: "海门街道".into(),
            leader: "张三".into(),
            reasons: vec!["红灯：施工许可逾期".into()],
            reasons_en: vec!["Red: construction permit overdue".into()],
            new_this_week: new,
        };
        let problem = |deadline: NaiveDate, level: i64| OpenProblem {
            category: "用地".into(),
            description: "用地指标未落实".into(),
            project: "甲".into(),
            unit: "海门街道".into(),
            raised_on: d(2019, 11, 1),
            deadline,
            escalation_level: level,
        };
        let r = weekly(
            Lang::Zh,
            w,
            &h,
            &WeeklyInputs {
                reds: vec![red("老项目", false), red("新项目", true)],
                due_this_week: vec![NodeDue {
                    project: "甲".into(),
                    node: "施工许可".into(),
                    unit: "区住建局".into(),
                    planned_on: d(2019, 12, 10),
                    actual_on: Some(d(2019, 12, 9)),
                    status: "closed".into(),
                }],
                due_next_week: vec![],
                open_problems: vec![problem(d(2019, 12, 20), 0), problem(d(2019, 12, 1), 1)],
                problems_raised_in_week: 2,
                problems_closed_in_week: 1,
                progress_reports_in_week: 3,
                events: vec![(d(2019, 12, 12), WeekEvent::Supervision, "第三批".into())],
                overdue_lead_clocks: (3, 2),
                field_work: Default::default(),
            },
        );
        assert!(r.summary[0].contains("亮红灯2个，其中本周新增1个"), "{}", r.summary[0]);
        assert!(r.summary[0].contains("待协调问题2个（其中超期1个）"), "{}", r.summary[0]);
        let reds = &r.sections[0].tables[0];
        assert_eq!(reds.rows[0][1], DocCell::Text("新项目".into()));
        assert_eq!(reds.rows[0][5], DocCell::Text("新增".into()));
        // The escalated, overdue problem comes first, with its days overdue at the week's end.
        let probs = &r.sections[2].tables[0];
        assert_eq!(probs.rows[0][6], DocCell::Date(d(2019, 12, 1)));
        assert_eq!(probs.rows[0][7], DocCell::Int(14));
        assert_eq!(probs.rows[1][7], DocCell::Empty);
        assert_eq!(r.sections[3].paragraphs[0], "12月12日：督查：第三批。");
        // The attraction clocks' line, with the problems to coordinate.
        assert_eq!(
            r.sections[2].paragraphs[1],
            "招商线索时限逾期3项（涉及线索2条，含响应、研判、反馈、进展报告），请各招商组本周内补办。"
        );
    }
}
