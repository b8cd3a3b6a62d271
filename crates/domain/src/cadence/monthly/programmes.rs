//! 月度分析, sections 六 to 八: the actions (nodes, problems, batches, campaigns, supervision),
//! attraction and land, and delivery confidence beside the lights.

use super::*;

/// 六、节点、问题、集中开工、攻坚行动.
pub(super) fn actions_section(lang: Lang, y: &YearFigures) -> Section {
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
pub(super) fn attraction_and_land_section(lang: Lang, i: &MonthlyInputs) -> Section {
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

/// 履约信心: the month's ratings beside the lights, and where they disagree, by unit.
pub(super) fn confidence_section(lang: Lang, i: &MonthlyInputs) -> Section {
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

pub(super) fn level<'a>(lang: Lang, level: &'a str) -> &'a str {
    match level {
        "province" => lang.pick("省级", "Province"),
        "city" => lang.pick("市级", "City"),
        "district" => lang.pick("区级", "District"),
        other => other,
    }
}
