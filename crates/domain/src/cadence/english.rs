//! The reports in English: built from the same inputs as the Chinese ones, they contain no
//! Chinese outside the data values (names, free text), and their key figures have the same
//! keys and values, so issues compare across languages.

use super::*;
use crate::date::d;
use crate::figures::{BatchInput, CampaignInput, CategoryInput, FaiInput, YearInputs, year_figures};
use crate::lang::cjk_outside;
use crate::money::LandArea;

/// Every text a reader sees of a report, in every rendering (page, PDF, .docx, .xlsx).
fn all_text(r: &Report) -> Vec<String> {
    let mut out = vec![
        r.title.clone(),
        r.doc_number(),
        r.period_label.clone(),
        r.office.clone(),
        r.date_line(),
        r.omitted_note(3),
        r.file_name("pdf"),
    ];
    out.extend(r.summary.iter().cloned());
    for k in &r.key_figures {
        out.push(k.label.clone());
        out.push(k.value.clone());
    }
    for s in &r.sections {
        out.push(s.heading.clone());
        out.extend(s.paragraphs.iter().cloned());
        for c in &s.charts {
            out.push(c.title.clone());
            out.push(c.unit.clone());
            out.extend(c.labels.iter().cloned());
            out.extend(c.series.iter().map(|s| s.name.clone()));
            out.extend(c.reference.iter().map(|r| r.0.clone()));
        }
    }
    for t in r.tables() {
        out.push(t.sheet.clone());
        out.extend(t.title.clone());
        out.extend(t.columns.iter().map(|c| c.header.clone()));
        for row in &t.rows {
            out.extend(row.iter().map(|c| format!("{c:?}")));
        }
    }
    out
}

/// Asserts the English report is English outside `data`, and keeps the Chinese one's figures.
fn check(zh: &Report, en: &Report, data: &[&str]) {
    assert_eq!(zh.lang, Lang::Zh);
    assert_eq!(en.lang, Lang::En);
    for text in all_text(en) {
        let left = cjk_outside(&text, data);
        assert!(left.is_empty(), "Chinese {left:?} outside data in {text:?}");
    }
    let figures = |r: &Report| r.key_figures.iter().map(|k| (k.key.clone(), k.value.clone())).collect::<Vec<_>>();
    assert_eq!(figures(zh), figures(en), "same keys and values in both languages");
    assert_eq!(zh.sections.len(), en.sections.len());
    for (a, b) in zh.tables().iter().zip(en.tables()) {
        assert_eq!(a.rows.len(), b.rows.len());
        assert_eq!(a.columns.len(), b.columns.len());
    }
    // The Chinese report's JSON is as before there was an English one (no `lang`), and an
    // English one survives the round trip through the frozen JSON.
    assert!(!serde_json::to_string(zh).unwrap().contains("\"lang\""));
    let back: Report = serde_json::from_str(&serde_json::to_string(en).unwrap()).unwrap();
    assert_eq!(&back, en);
}

const HEADER_DATA: [&str; 2] = ["椒江区", "椒江区重大项目建设工作领导小组办公室"];

#[test]
fn the_weekly_brief_in_english() {
    let w = ReportPeriod::parse(ReportKind::Weekly, "2019-W50").unwrap();
    let h = tests::header();
    let inputs = WeeklyInputs {
        reds: vec![RedProject {
            project: "新项目".into(),
            unit: "海门街道".into(),
            leader: "张三".into(),
            reasons: vec!["红灯：施工许可逾期".into()],
            reasons_en: vec!["Red: construction permit overdue".into()],
            new_this_week: true,
        }],
        due_this_week: vec![NodeDue {
            project: "甲".into(),
            node: "施工许可".into(),
            unit: "区住建局".into(),
            planned_on: d(2019, 12, 10),
            actual_on: Some(d(2019, 12, 9)),
            status: "closed".into(),
        }],
        due_next_week: vec![NodeDue {
            project: "甲".into(),
            node: "主体结顶".into(),
            unit: "区住建局".into(),
            planned_on: d(2019, 12, 18),
            actual_on: None,
            status: "open".into(),
        }],
        open_problems: vec![OpenProblem {
            category: "用地".into(),
            description: "用地指标未落实".into(),
            project: "甲".into(),
            unit: "海门街道".into(),
            raised_on: d(2019, 11, 1),
            deadline: d(2019, 12, 1),
            escalation_level: 1,
        }],
        problems_raised_in_week: 2,
        problems_closed_in_week: 1,
        progress_reports_in_week: 3,
        events: vec![(d(2019, 12, 12), WeekEvent::Supervision, "第三批".into())],
        overdue_lead_clocks: (3, 2),
        field_work: Default::default(),
    };
    let zh = weekly(Lang::Zh, w, &h, &inputs);
    let en = weekly(Lang::En, w, &h, &inputs);
    let mut data = HEADER_DATA.to_vec();
    data.extend([
        "新项目",
        "海门街道",
        "张三",
        "红灯：施工许可逾期",
        "甲",
        "施工许可",
        "主体结顶",
        "区住建局",
        "用地",
        "用地指标未落实",
        "第三批",
    ]);
    check(&zh, &en, &data);
    assert_eq!(en.period_label, "Week 50, 2019 (9–15 Dec)");
    assert_eq!(en.sections[3].paragraphs[0], "12 Dec: Supervision: 第三批.");
    assert_eq!(zh.sections[3].paragraphs[0], "12月12日：督查：第三批。");
    assert_eq!(en.sections[0].tables[0].rows[0][5], DocCell::Text("New".into()));
    // The headline reason in English where the light kept one; the Chinese in Chinese.
    assert_eq!(
        en.sections[0].tables[0].rows[0][4],
        DocCell::Text("Red: construction permit overdue".into())
    );
    assert_eq!(zh.sections[0].tables[0].rows[0][4], DocCell::Text("红灯：施工许可逾期".into()));
    assert!(en.summary[0].contains("1 of them new this week"), "{}", en.summary[0]);
    assert_eq!(
        en.doc_number(),
        "椒江区 Major Projects Leading Group Office · 2019 (draft, not issued)"
    );
}

fn year_inputs() -> YearInputs {
    let money = Money::from_wan;
    YearInputs {
        year: 2019,
        as_of: d(2019, 12, 31),
        fai: Some(FaiInput {
            month: 11,
            this_year: money(1_100_000),
            last_year: money(1_000_000),
            province: Some((money(50_000_000), money(48_000_000))),
        }),
        categories: vec![CategoryInput {
            code: "industry".into(),
            name: "先进制造业".into(),
            tracks_landing: true,
            target: Some(Pct1(800)),
            landed_on: vec![Some(d(2019, 5, 1)), None],
        }],
        batches: vec![BatchInput {
            id: 1,
            name: "第四季度集中开工".into(),
            level: "city".into(),
            held_on: d(2019, 10, 8),
            members: vec![(money(50_000), money(10_000))],
        }],
        campaigns: vec![CampaignInput {
            id: 1,
            name: "百日攻坚".into(),
            starts_on: d(2019, 9, 1),
            ends_on: d(2019, 12, 10),
            closed_on: vec![Some(d(2019, 11, 1)), None],
        }],
        nodes: vec![(d(2019, 6, 1), Some(d(2019, 5, 30))), (d(2019, 9, 1), None)],
        problems: vec![(d(2019, 3, 1), Some(d(2019, 3, 11))), (d(2019, 8, 1), None)],
        enterprise_visits: 12,
        supervision_rounds: 3,
        projects_planned: 5,
        investment_planned: money(200_000),
        investment_completed: money(150_000),
        stages: vec![("construction".into(), 4)],
        lights: vec![("red".into(), 1)],
        land_granted: LandArea::from_mu(500),
        land_allocated: LandArea::from_mu(320),
    }
}

#[test]
fn the_monthly_analysis_in_english() {
    let m = ReportPeriod::parse(ReportKind::Monthly, "2019-12").unwrap();
    let h = tests::header();
    let group = |name: &str, planned: i64, completed: i64| GroupInvestment {
        name: name.into(),
        projects: 2,
        planned: Money::from_wan(planned),
        completed: Money::from_wan(completed),
    };
    let funnel = |name: &str| crate::leads::FunnelRow {
        group: name.into(),
        total: 4,
        talks: 2,
        signed: 1,
        landed: 1,
        dropped: 0,
        signed_amount: Money::from_wan(30_000),
        signing_rate: Some(Pct1(500)),
        landing_rate: Some(Pct1(500)),
    };
    let inputs = MonthlyInputs {
        year: year_figures(&year_inputs()),
        by_unit: vec![group("海门街道", 100_000, 90_000), group("白云街道", 100_000, 60_000)],
        by_category: vec![group("先进制造业", 200_000, 150_000)],
        monthly_completed: (0..12).map(|_| Money::from_wan(12_500)).collect(),
        starts_planned: 4,
        starts_done: 3,
        attraction: funnel("全部"),
        attraction_by_team: vec![funnel("招商一组")],
        confidence: vec![(
            "海门街道".into(),
            crate::confidence::UnitDisagreement {
                unit_id: 1,
                rated: 3,
                optimistic: 1,
                pessimistic: 0,
                disagreement_pct: Some(Pct1(333)),
            },
        )],
        statistics: Some(crate::statistics::month_summary(&[], &[], None)),
        results: crate::results::ResultsSummary::sample(),
        field_work: None,
    };
    let zh = monthly(Lang::Zh, m, &h, &inputs);
    let en = monthly(Lang::En, m, &h, &inputs);
    let mut data = HEADER_DATA.to_vec();
    data.extend([
        "海门街道",
        "白云街道",
        "先进制造业",
        "第四季度集中开工",
        "百日攻坚",
        "全部",
        "招商一组",
    ]);
    check(&zh, &en, &data);
    assert_eq!(en.period_label, "December 2019");
    // The Chinese text is as it was.
    assert!(
        zh.summary[0].starts_with("1—12月，全区重大项目累计完成投资15.00亿元"),
        "{}",
        zh.summary[0]
    );
    assert!(
        en.summary[0].starts_with("In January–December, the district's major projects completed 150,000.00 (10k CNY)"),
        "{}",
        en.summary[0]
    );
    assert!(
        en.sections[1].paragraphs[0].starts_with("Units behind time progress (")
            && en.sections[1].paragraphs[0].contains("白云街道 (60.0%)"),
        "{}",
        en.sections[1].paragraphs[0]
    );
    assert_eq!(en.sections[0].charts[0].labels[0], "Jan");
    assert!(
        en.key_figures
            .iter()
            .any(|k| k.key == "landing:industry" && k.label == "Landing rate: 先进制造业")
    );
}

#[test]
fn the_supervision_list_in_english() {
    let p = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
    let h = tests::header();
    let inputs = SupervisionInputs {
        lagging: vec![
            LaggingProject {
                project: "甲".into(),
                unit: "海门街道".into(),
                leader: "张三".into(),
                light: Some("red".into()),
                reasons: vec!["节点逾期".into(), "投资滞后".into()],
                planned: Money::from_wan(100),
                completed: Money::from_wan(10),
                findings: vec!["现场未开工".into()],
            },
            LaggingProject {
                project: "乙".into(),
                unit: "白云街道".into(),
                leader: String::new(),
                light: Some("yellow".into()),
                reasons: vec![],
                planned: Money::from_wan(100),
                completed: Money::from_wan(50),
                findings: vec![],
            },
        ],
        active_projects: 10,
        rounds: vec![SupervisionRoundInput {
            name: "第三批督查".into(),
            leader: "王区长".into(),
            held_on: d(2019, 11, 20),
            targets: 2,
            summary: "重点督查红灯项目".into(),
        }],
    };
    let zh = supervision(Lang::Zh, p, &h, &inputs);
    let en = supervision(Lang::En, p, &h, &inputs);
    let mut data = HEADER_DATA.to_vec();
    data.extend([
        "甲",
        "乙",
        "海门街道",
        "白云街道",
        "张三",
        "节点逾期",
        "投资滞后",
        "现场未开工",
        "第三批督查",
        "王区长",
        "重点督查红灯项目",
    ]);
    check(&zh, &en, &data);
    assert_eq!(en.period_label, "Nov–Dec 2019");
    assert_eq!(
        en.sections[0].paragraphs[0],
        "20 Nov: 王区长 led \"第三批督查\", visiting 2 projects. 重点督查红灯项目"
    );
    assert_eq!(
        zh.sections[0].paragraphs[0],
        "11月20日，王区长带队开展“第三批督查”，督查项目2个。重点督查红灯项目"
    );
}

#[test]
fn the_quarterly_evaluation_in_english() {
    let q = ReportPeriod::parse(ReportKind::Quarterly, "2019-Q4").unwrap();
    let h = tests::header();
    let unit = |name: &str, done: i64| UnitMeasures {
        unit: name.into(),
        nodes: vec![(d(2019, 11, 1), Some(d(2019, 10, 30))), (d(2019, 11, 1), None)],
        planned: Money::from_wan(100),
        completed: Money::from_wan(done),
        landing_targeted: 2,
        landing_landed: 1,
        problems: vec![(d(2019, 3, 1), Some(d(2019, 3, 5)))],
        reports_expected: 4,
        reports_on_time: 3,
    };
    let inputs = QuarterlyInputs {
        weights: EvaluationWeights::default(),
        weights_version: 2,
        report_deadline: "期末后5个工作日内".into(),
        report_deadline_en: "within 5 working days after the period ends".into(),
        units: vec![unit("甲", 100), unit("乙", 60), unit("丙", 80)],
        outcomes: Some(super::quarterly::QuarterOutcomes::sample()),
    };
    let zh = quarterly(Lang::Zh, q, &h, &inputs);
    let en = quarterly(Lang::En, q, &h, &inputs);
    let mut data = HEADER_DATA.to_vec();
    data.extend(["甲", "乙", "丙"]);
    check(&zh, &en, &data);
    assert_eq!(en.period_label, "Q4 2019");
    assert!(en.summary[0].contains("version 2 of the evaluation weights"), "{}", en.summary[0]);
    assert!(en.sections[0].paragraphs[0].contains("within 5 working days after the period ends"));
    assert_eq!(en.sections[1].charts[0].unit, "points");
    assert_eq!(en.file_name("pdf"), "quarterly-evaluation-2019-Q4.pdf");
    assert_eq!(en.sections[2].heading, "3. Results after operation and statistics entry");
    assert!(
        en.sections[2].paragraphs[0].contains("a conversion rate of 75.0%"),
        "{}",
        en.sections[2].paragraphs[0]
    );
}

#[test]
fn an_issued_english_report_names_its_issue_in_english() {
    let p = ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap();
    let inputs = SupervisionInputs {
        lagging: vec![],
        active_projects: 0,
        rounds: vec![],
    };
    let mut en = supervision(Lang::En, p, &tests::header(), &inputs);
    en.issue_no = Some(3);
    en.audit_head = Some((42, "abcdef0123456789".into()));
    assert_eq!(
        en.doc_number(),
        "椒江区 Major Projects Leading Group Office · 2019 No. 3 · audit chain entry 42 abcdef012345"
    );
    assert_eq!(en.date_line(), "31 December 2019");
    assert_eq!(en.omitted_note(5), "(5 more rows in the Excel workbook)");
}
