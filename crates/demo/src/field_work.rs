//! The demo's 一线办公: the district's leaders on site through the 双60 campaign weeks of autumn
//! 2019 and on to the data date (every complete week from 2 September), at the projects they lead. The principal leaders (区委书记,
//! 区长) are held to "at least twice a week", the others to "a third of the week's working time",
//! as the seed article (line 19) sets. Most weeks meet the rule; a few, on a fixed pattern, fall
//! one visit short, so the page has red cells to show. Deterministic: no random stream is drawn,
//! so nothing else of the demo moves.

use crate::district::{District, LeaderRole, ymd};
use chrono::{Days, NaiveDate};
use zhantu_domain::calendar::WorkCalendar;
use zhantu_domain::dataset::{FieldWorkRow, ProjectBundle};
use zhantu_domain::field_work::{DayPart, FieldWorkRule, week_start};

const MATTERS: &[&str] = &[
    "现场察看施工进度，协调解决施工用地和临时用电问题",
    "召开项目推进现场会，明确征迁交地时间节点",
    "督办节点销号，协调规划、住建部门并联审批",
    "走访项目业主，了解融资和用工困难并交办相关部门",
    "检查安全生产和文明施工，部署下阶段攻坚任务",
    "协调政策处理，推动管线迁改与道路封闭方案落地",
];

/// The entries and the rules (by person id) of the demo's leaders up to `as_of`.
pub(crate) fn entries(d: &District, projects: &[ProjectBundle], as_of: NaiveDate) -> (Vec<FieldWorkRow>, Vec<(i64, FieldWorkRule)>) {
    let cal = WorkCalendar::shipped();
    let principal = [d.leader(LeaderRole::Secretary), d.leader(LeaderRole::Mayor)];
    let leaders: Vec<i64> = d.leader_ids().collect();
    let rules: Vec<(i64, FieldWorkRule)> = leaders
        .iter()
        .map(|id| {
            let rule = if principal.contains(id) {
                FieldWorkRule::TIMES_DEFAULT
            } else {
                FieldWorkRule::SHARE_DEFAULT
            };
            (*id, rule)
        })
        .collect();
    let mut out = Vec::new();
    let last = as_of;
    for (li, (leader, rule)) in rules.iter().enumerate() {
        let theirs: Vec<i64> = projects
            .iter()
            .filter(|b| b.project.leader_id == Some(*leader))
            .map(|b| b.project.id)
            .collect();
        let mut monday = week_start(ymd(2019, 9, 2));
        let mut wi = 0usize;
        while monday + Days::new(6) <= last {
            let days: Vec<NaiveDate> = (0..7).map(|i| monday + Days::new(i)).filter(|x| cal.is_working_day(*x)).collect();
            // One week in seven (a different one for each leader) falls one visit short.
            let short = (li * 3 + wi) % 7 == 4;
            let slots: Vec<(usize, DayPart)> = match rule {
                FieldWorkRule::Times { .. } if short => vec![(1, DayPart::Morning)],
                FieldWorkRule::Times { .. } => vec![(1, DayPart::Morning), (3, DayPart::Afternoon)],
                FieldWorkRule::Share { .. } if short => vec![(0, DayPart::FullDay), (2, DayPart::Morning)],
                FieldWorkRule::Share { .. } => vec![(0, DayPart::FullDay), (2, DayPart::Morning), (4, DayPart::Afternoon)],
            };
            let mut used = Vec::new();
            for (k, (slot, part)) in slots.into_iter().enumerate() {
                let Some(&date) = days.get(slot.min(days.len().saturating_sub(1))) else {
                    continue;
                };
                if used.contains(&date) {
                    continue;
                }
                used.push(date);
                let n = li + wi * 3 + k;
                let project_id = (!theirs.is_empty()).then(|| theirs[n % theirs.len()]);
                out.push(FieldWorkRow {
                    person_id: *leader,
                    date,
                    part,
                    project_id,
                    place: if project_id.is_some() {
                        String::new()
                    } else {
                        "联系街道（镇）".into()
                    },
                    matters: MATTERS[n % MATTERS.len()].into(),
                });
            }
            monday = monday + Days::new(7);
            wi += 1;
        }
    }
    (out, rules)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhantu_domain::field_work::{Visit, compliance, weekly_tallies};

    #[test]
    fn most_weeks_meet_the_seeds_rules_and_a_few_do_not() {
        let ds = crate::scenario_2019(2019);
        let as_of = ymd(2019, 12, 31);
        let visits: Vec<Visit> = ds
            .field_work
            .iter()
            .map(|f| Visit {
                leader_id: f.person_id,
                date: f.date,
                part: f.part,
            })
            .collect();
        let t = weekly_tallies(
            WorkCalendar::shipped(),
            &ds.field_work_rules,
            &visits,
            ymd(2019, 9, 2),
            ymd(2019, 12, 23),
            as_of,
        );
        let all = compliance(&t, None);
        assert!(all.weeks_counted > 100, "{all:?}");
        let missed = all.weeks_counted - all.weeks_met;
        assert!(missed > 0 && missed * 5 < all.weeks_counted, "a few weeks missed: {all:?}");
        assert_eq!(
            ds.field_work_rules.iter().filter(|r| r.1 == FieldWorkRule::TIMES_DEFAULT).count(),
            2
        );
    }
}
