//! Tests of the rule engine: each rule and threshold form, a project's verdict, the board, and
//! the store's records as facts. Its properties (agreement with the older `lights` functions,
//! "lights never get better when only time passes") and the benchmark of the daily recompute
//! are in `engine_properties.rs`.

use super::*;
use crate::calendar::WorkCalendar;
use crate::clocks::{ClockFacts, ExcludedSpan};
use crate::lights::Light;
use crate::model::NodeStatus;
use crate::money::Money;
use chrono::NaiveDate;

pub(super) use crate::date::d;

pub(super) fn ctx(as_of: NaiveDate) -> Context<'static> {
    Context {
        as_of,
        calendar: WorkCalendar::shipped(),
    }
}

pub(super) fn node(name: &str, planned_on: NaiveDate, status: NodeStatus) -> NodeFacts {
    NodeFacts {
        id: 1,
        name: name.into(),
        planned_on,
        actual_on: (status != NodeStatus::Open).then_some(planned_on),
        status,
    }
}

pub(super) fn project() -> ProjectFacts {
    ProjectFacts {
        id: 1,
        unit_id: 10,
        leader_id: Some(100),
        stage: Stage::Preparation,
        planned_start_on: None,
        started_on: None,
        in_statistics_on: None,
        investment: None,
        reporting: None,
        nodes: vec![],
        clocks: vec![],
    }
}

/// A rule set holding just this rule.
fn only(check: Check) -> RuleSet {
    RuleSet {
        version: 1,
        name: String::new(),
        rules: vec![Rule {
            id: "r".into(),
            enabled: true,
            stages: vec![],
            source: String::new(),
            check,
        }],
    }
}

fn default_rule(id: &str) -> RuleSet {
    let mut s = RuleSet::default();
    s.rules.retain(|r| r.id == id);
    s
}

/// The sentences of a project's verdict for one dimension.
fn sentences(v: &ProjectVerdict, dim: Dimension) -> Vec<&str> {
    v.reasons
        .iter()
        .filter(|r| r.dimension == dim)
        .map(|r| r.sentence.as_str())
        .collect()
}

fn one_node(rules: &RuleSet, n: &NodeFacts, as_of: NaiveDate) -> (Light, String) {
    let v = evaluate_node(rules, Stage::Preparation, n, &ctx(as_of));
    (v.light, v.reasons[0].sentence.clone())
}

// ---- 节点 ----

#[test]
fn node_overdue_and_due_soon_in_calendar_days() {
    let rules = default_rule("node_due");
    let asof = d(2019, 12, 31);
    let n = |planned| node("施工许可", planned, NodeStatus::Open);
    assert_eq!(
        one_node(&rules, &n(d(2019, 12, 8)), asof),
        (Light::Red, "红灯：施工许可逾期23天".into())
    );
    assert_eq!(
        one_node(&rules, &n(d(2019, 12, 17)), asof),
        (Light::Yellow, "黄灯：施工许可逾期14天".into())
    );
    assert_eq!(one_node(&rules, &n(d(2019, 12, 16)), asof).0, Light::Red, "15 days late is red");
    assert_eq!(one_node(&rules, &n(asof), asof), (Light::Yellow, "黄灯：施工许可今日到期".into()));
    assert_eq!(
        one_node(&rules, &n(d(2020, 1, 7)), asof),
        (Light::Yellow, "黄灯：施工许可7天内到期".into())
    );
    assert_eq!(
        one_node(&rules, &n(d(2020, 1, 8)), asof),
        (Light::Green, "绿灯：施工许可按计划推进（2020年1月8日到期）".into())
    );
}

#[test]
fn closed_and_reported_nodes() {
    let rules = default_rule("node_due");
    let asof = d(2019, 12, 31);
    let closed = node("施工许可", d(2019, 6, 1), NodeStatus::Closed);
    assert_eq!(
        one_node(&rules, &closed, asof),
        (Light::Green, "绿灯：施工许可已于2019年6月1日完成并销号".into())
    );
    // Reported but not verified: still judged on its date until the coordinator closes it.
    let reported = node("施工许可", d(2019, 6, 1), NodeStatus::Reported);
    assert_eq!(
        one_node(&rules, &reported, asof),
        (Light::Red, "红灯：施工许可逾期213天（已报完成，待核验）".into())
    );
    let mut lenient = rules.clone();
    if let Check::NodeDue(nd) = &mut lenient.rules[0].check {
        nd.reported_counts_as_done = true;
    }
    assert_eq!(
        one_node(&lenient, &reported, asof),
        (Light::Green, "绿灯：施工许可已报完成，待核验".into())
    );
}

#[test]
fn node_due_in_working_days_follows_the_holiday_calendar() {
    let rules = only(Check::NodeDue(NodeDue {
        day_kind: DayKind::Working,
        due_soon_days: 3,
        red_after_days_overdue: 5,
        nodes: vec!["施工许可".into()],
        reported_counts_as_done: false,
    }));
    let n = |planned| node("施工许可", planned, NodeStatus::Open);
    // Due Monday 2019-09-30; 10-01..10-07 are off: on 10-08 it is one working day late.
    assert_eq!(
        one_node(&rules, &n(d(2019, 9, 30)), d(2019, 10, 8)).1,
        "黄灯：施工许可逾期1个工作日"
    );
    assert_eq!(
        one_node(&rules, &n(d(2019, 9, 30)), d(2019, 10, 5)).1,
        "黄灯：施工许可已于2019年9月30日到期"
    );
    // Planned on a holiday: due on the next working day (10-08).
    assert_eq!(
        one_node(&rules, &n(d(2019, 10, 3)), d(2019, 10, 7)).1,
        "黄灯：施工许可1个工作日内到期"
    );
    assert_eq!(one_node(&rules, &n(d(2019, 10, 3)), d(2019, 10, 8)).1, "黄灯：施工许可今日到期");
    // Four working days ahead is beyond "soon" (3): green, with the shifted due date.
    assert_eq!(
        one_node(&rules, &n(d(2019, 10, 3)), d(2019, 9, 26)).1,
        "绿灯：施工许可按计划推进（2019年10月8日到期）",
        "9-27, 9-29 (Sun) and 9-30 are worked, then 10-08"
    );
    assert_eq!(
        one_node(&rules, &n(d(2019, 10, 3)), d(2019, 9, 27)).1,
        "黄灯：施工许可3个工作日内到期",
        "9-29 (Sun), 9-30, then 10-08"
    );
    // 6 working days late (10-08..10-11, the make-up Saturday 10-12, 10-14): red (more than 5).
    assert_eq!(
        one_node(&rules, &n(d(2019, 9, 30)), d(2019, 10, 14)),
        (Light::Red, "红灯：施工许可逾期6个工作日".into())
    );
    // A node the rule does not watch is green and says so.
    assert_eq!(
        one_node(&rules, &node("主体结顶", d(2019, 1, 1), NodeStatus::Open), d(2019, 10, 14)).1,
        "绿灯：主体结顶不在亮灯范围内"
    );
}

// ---- 开工 ----

#[test]
fn start_later_than_planned() {
    let rules = default_rule("start_delay");
    let mut p = project();
    p.planned_start_on = Some(d(2019, 11, 15));
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 11, 30)));
    assert_eq!(sentences(&v, Dimension::Start), ["绿灯：计划2019年11月开工"]);
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 12, 1)));
    assert_eq!(sentences(&v, Dimension::Start), ["黄灯：计划2019年11月开工，尚未开工"]);
    let v = evaluate_project(&rules, &p, &ctx(d(2020, 2, 29)));
    assert_eq!(v.light, Some(Light::Yellow), "3 months late is still yellow");
    let v = evaluate_project(&rules, &p, &ctx(d(2020, 3, 1)));
    assert_eq!(sentences(&v, Dimension::Start), ["红灯：计划2019年11月开工，已滞后4个月"]);
    // Started (by date or by stage): the dimension is not judged.
    p.started_on = Some(d(2020, 1, 10));
    assert!(sentences(&evaluate_project(&rules, &p, &ctx(d(2020, 3, 1))), Dimension::Start).is_empty());
    p.started_on = None;
    p.stage = Stage::Construction;
    assert!(sentences(&evaluate_project(&rules, &p, &ctx(d(2020, 3, 1))), Dimension::Start).is_empty());
    // Yinchuan's yellow already in the planned month: yellow_after_months = −1.
    let strict = only(Check::StartDelay(StartDelay {
        yellow_after_months: -1,
        red_after_months: 2,
    }));
    p.stage = Stage::Preparation;
    assert_eq!(evaluate_project(&strict, &p, &ctx(d(2019, 11, 20))).light, Some(Light::Yellow));
}

// ---- 投资 vs 序时 ----

fn with_investment(month: u32, ytd_wan: i64, plan_wan: i64) -> ProjectFacts {
    let mut p = project();
    p.investment = Some(InvestmentFacts {
        year: 2019,
        through_month: month,
        completed_ytd: Money::from_wan(ytd_wan),
        annual_plan: Money::from_wan(plan_wan),
    });
    p
}

fn pace(rules: &RuleSet, month: u32, ytd_wan: i64, plan_wan: i64) -> (Option<Light>, String) {
    let v = evaluate_project(rules, &with_investment(month, ytd_wan, plan_wan), &ctx(d(2019, 12, 31)));
    let s = sentences(&v, Dimension::Investment);
    (
        v.reasons.iter().find(|r| r.dimension == Dimension::Investment).map(|r| r.light),
        s.join("|"),
    )
}

#[test]
fn investment_points_below_time_progress_yinchuan() {
    let rules = default_rule("investment_pace");
    // 1–10月: 序时 83.3 %.
    assert_eq!(
        pace(&rules, 10, 708, 1000),
        (
            Some(Light::Yellow),
            "黄灯：投资完成率低于序时进度12.5个百分点（1-10月完成年度计划的70.8%，序时进度83.3%）".into()
        )
    );
    assert_eq!(
        pace(&rules, 10, 733, 1000).0,
        Some(Light::Yellow),
        "10.0 points below: yellow (inclusive)"
    );
    assert_eq!(pace(&rules, 10, 734, 1000).0, Some(Light::Green), "9.9 points below: green");
    assert_eq!(
        pace(&rules, 10, 533, 1000).0,
        Some(Light::Yellow),
        "30.0 points below: yellow (inclusive)"
    );
    assert_eq!(pace(&rules, 10, 532, 1000).0, Some(Light::Red), "30.1 points below: red");
    assert_eq!(
        pace(&rules, 3, 309, 1000),
        (
            Some(Light::Green),
            "绿灯：投资完成率达到序时进度（1-3月完成年度计划的30.9%，序时进度25.0%）".into()
        )
    );
    // No annual plan: not judged.
    assert_eq!(pace(&rules, 10, 5, 0).0, None);
}

#[test]
fn investment_shortfall_of_the_time_target_sanya() {
    let rules = RuleSet {
        rules: vec![examples::sanya_investment()],
        ..RuleSet::default()
    };
    // Plan 1,200万, 1–4月: the 序时 amount is 400万.
    assert_eq!(
        pace(&rules, 4, 400, 1200),
        (Some(Light::Green), "绿灯：1-4月完成投资400.00万元，达到序时目标400.00万元".into())
    );
    assert_eq!(
        pace(&rules, 4, 200, 1200),
        (
            Some(Light::Yellow),
            "黄灯：1-4月完成投资低于序时目标50.0%（完成200.00万元，序时目标400.00万元）".into()
        )
    );
    assert_eq!(pace(&rules, 4, 399, 1200).0, Some(Light::Yellow));
    assert_eq!(pace(&rules, 4, 199, 1200).0, Some(Light::Red), "50.3 % below: red");
    // Sanya watches only projects with at least 1,000万 planned for the year.
    assert_eq!(pace(&rules, 4, 0, 900).0, None);
}

#[test]
fn investment_share_of_annual_plan_at_a_fixed_date_jinhua() {
    let rules = RuleSet {
        rules: vec![examples::jinhua_investment()],
        ..RuleSet::default()
    };
    assert_eq!(pace(&rules, 4, 0, 1000).0, None, "before the end-of-May checkpoint: not judged");
    assert_eq!(
        pace(&rules, 5, 420, 1000),
        (
            Some(Light::Green),
            "绿灯：1-5月完成年度计划投资的42.0%，达到42.0%（5月底考核线）".into()
        )
    );
    assert_eq!(
        pace(&rules, 5, 419, 1000),
        (
            Some(Light::Yellow),
            "黄灯：1-5月完成年度计划投资的41.9%，未达到42.0%（5月底考核线）".into()
        )
    );
    assert_eq!(pace(&rules, 5, 250, 1000).0, Some(Light::Yellow), "25 % is not below 25 %");
    assert_eq!(
        pace(&rules, 5, 249, 1000),
        (
            Some(Light::Red),
            "红灯：1-5月完成年度计划投资的24.9%，低于25.0%（5月底考核线）".into()
        )
    );
    // Later months use the latest checkpoint not after them.
    assert_eq!(pace(&rules, 7, 249, 1000).0, Some(Light::Red));
}

// ---- 填报 ----

fn reporting(required_from: NaiveDate, monthly: Option<NaiveDate>, weekly: Option<NaiveDate>) -> ProjectFacts {
    let mut p = project();
    p.reporting = Some(ReportingFacts {
        required_from,
        last_weekly_through: weekly,
        last_monthly_through: monthly,
    });
    p
}

#[test]
fn missing_monthly_reports() {
    let rules = default_rule("report_missing");
    let p = reporting(d(2019, 1, 1), Some(d(2019, 9, 30)), None);
    // October's report is due 5 working days after 10-31: 11-01, 04, 05, 06, 07.
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 11, 7)));
    assert_eq!(sentences(&v, Dimension::Report), ["绿灯：月报按期报送（已报至2019年9月30日）"]);
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 11, 8)));
    assert_eq!(
        sentences(&v, Dimension::Report),
        ["黄灯：自2019年10月起连续1期未按期报送月报（已报至2019年9月30日）"]
    );
    // November's is due 12-06: on 12-09 two are missing.
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 12, 9)));
    assert_eq!(v.light, Some(Light::Red));
    assert_eq!(
        sentences(&v, Dimension::Report),
        ["红灯：自2019年10月起连续2期未按期报送月报（已报至2019年9月30日）"]
    );
    // A project that never reported counts from the month it entered the list.
    let p = reporting(d(2019, 11, 20), None, None);
    assert_eq!(
        sentences(&evaluate_project(&rules, &p, &ctx(d(2019, 11, 30))), Dimension::Report),
        ["绿灯：月报尚未到报送期限"]
    );
    assert_eq!(
        sentences(&evaluate_project(&rules, &p, &ctx(d(2019, 12, 9))), Dimension::Report),
        ["黄灯：自2019年11月起连续1期未按期报送月报（从未报送）"]
    );
    // Not judged for stages that do not report (default: 签约 to 在建).
    let mut done = reporting(d(2019, 1, 1), None, None);
    done.stage = Stage::Operating;
    assert!(sentences(&evaluate_project(&rules, &done, &ctx(d(2019, 12, 9))), Dimension::Report).is_empty());
}

#[test]
fn missing_weekly_reports() {
    let rules = only(Check::ReportMissing(ReportMissing {
        period: ReportPeriod::Week,
        grace_days: 1,
        grace_day_kind: DayKind::Calendar,
        yellow_from_missed: 1,
        red_from_missed: 3,
    }));
    // Last report covers the week ending Sunday 2019-11-10; each week is due the Monday after.
    let p = reporting(d(2019, 1, 1), None, Some(d(2019, 11, 10)));
    assert_eq!(evaluate_project(&rules, &p, &ctx(d(2019, 11, 18))).light, Some(Light::Green));
    assert_eq!(
        sentences(&evaluate_project(&rules, &p, &ctx(d(2019, 11, 19))), Dimension::Report),
        ["黄灯：自2019年11月11日当周起连续1期未按期报送周报（已报至2019年11月10日）"]
    );
    assert_eq!(evaluate_project(&rules, &p, &ctx(d(2019, 12, 3))).light, Some(Light::Red));
}

// ---- 入库 ----

#[test]
fn started_but_not_in_statistics_yinchuan() {
    let rules = default_rule("statistics_entry");
    let mut p = project();
    p.stage = Stage::Started;
    p.started_on = Some(d(2019, 9, 15));
    let at = |p: &ProjectFacts, as_of| evaluate_project(&rules, p, &ctx(as_of));
    assert_eq!(
        sentences(&at(&p, d(2019, 10, 15)), Dimension::Statistics),
        ["绿灯：2019年9月15日开工，尚未入库"]
    );
    assert_eq!(
        sentences(&at(&p, d(2019, 10, 16)), Dimension::Statistics),
        ["黄灯：开工已超过1个月仍未入库（2019年9月15日开工）"]
    );
    assert_eq!(at(&p, d(2019, 11, 15)).light, Some(Light::Yellow));
    assert_eq!(
        sentences(&at(&p, d(2019, 11, 16)), Dimension::Statistics),
        ["红灯：开工已超过2个月仍未入库（2019年9月15日开工）"]
    );
    p.in_statistics_on = Some(d(2019, 12, 1));
    assert_eq!(
        sentences(&at(&p, d(2020, 1, 1)), Dimension::Statistics),
        ["绿灯：已于2019年12月1日入库"]
    );
    // Not started: not judged.
    let q = project();
    assert!(sentences(&evaluate_project(&rules, &q, &ctx(d(2020, 1, 1))), Dimension::Statistics).is_empty());
}

// ---- 审批时限 ----

fn with_clock(kind: DayKind, stopped: Option<NaiveDate>, excluded: Vec<ExcludedSpan>) -> ProjectFacts {
    let mut p = project();
    p.clocks = vec![ClockFacts {
        name: "一般企业投资项目审批最多90天".into(),
        limit_days: 90,
        day_kind: kind,
        started_on: Some(d(2019, 3, 1)),
        stopped_on: stopped,
        excluded,
    }];
    p
}

#[test]
fn approval_clock_past_its_limit() {
    let rules = default_rule("approval_clock");
    let p = with_clock(DayKind::Calendar, None, vec![]);
    let at = |p: &ProjectFacts, as_of| sentences(&evaluate_project(&rules, p, &ctx(as_of)), Dimension::ApprovalClock).join("|");
    assert_eq!(at(&p, d(2019, 2, 1)), "", "not started yet");
    assert_eq!(
        at(&p, d(2019, 4, 30)),
        "绿灯：一般企业投资项目审批最多90天剩余30天（时限90天，已用60天）"
    );
    assert_eq!(
        at(&p, d(2019, 5, 20)),
        "黄灯：一般企业投资项目审批最多90天剩余10天（时限90天，已用80天）"
    );
    assert_eq!(
        at(&p, d(2019, 6, 4)),
        "红灯：一般企业投资项目审批最多90天已超时5天（时限90天，已用95天）"
    );
    let done = with_clock(DayKind::Calendar, Some(d(2019, 5, 25)), vec![]);
    assert_eq!(
        at(&done, d(2019, 12, 31)),
        "绿灯：一般企业投资项目审批最多90天用时85天，在时限90天内办结"
    );
    let late = with_clock(DayKind::Calendar, Some(d(2019, 6, 9)), vec![]);
    assert_eq!(
        at(&late, d(2019, 12, 31)),
        "红灯：一般企业投资项目审批最多90天超时10天办结（时限90天，用时100天）"
    );
    // The owner's own time does not count, and while it runs the clock is paused.
    let owner = with_clock(
        DayKind::Calendar,
        None,
        vec![ExcludedSpan {
            from: d(2019, 5, 1),
            until: None,
            reason: "业主自主准备时间".into(),
        }],
    );
    assert_eq!(
        at(&owner, d(2019, 6, 30)),
        "绿灯：一般企业投资项目审批最多90天剩余30天（时限90天，已用60天，暂停计时中）"
    );
    // Working days: 90 working days from 2019-03-01 run out later than 90 calendar days.
    let w = with_clock(DayKind::Working, None, vec![]);
    assert!(
        at(&w, d(2019, 6, 4)).starts_with("绿灯：一般企业投资项目审批最多90天剩余"),
        "{}",
        at(&w, d(2019, 6, 4))
    );
}

/// The default set's clock rule with another late-closed option.
fn clock_rule(late: LateClosed) -> RuleSet {
    let mut rules = default_rule("approval_clock");
    if let Check::ApprovalClock(c) = &mut rules.rules[0].check {
        c.late_closed = late;
    }
    rules
}

#[test]
fn a_clock_that_closed_late_is_history_once_the_project_has_started() {
    let late = |stage: Stage, started: Option<NaiveDate>| {
        let mut p = with_clock(DayKind::Calendar, Some(d(2019, 6, 9)), vec![]);
        p.stage = stage;
        p.started_on = started;
        p
    };
    let built = late(Stage::Construction, Some(d(2019, 7, 1)));
    let before = late(Stage::Preparation, None);
    let asof = d(2019, 12, 31);
    let verdict = |rules: &RuleSet, p: &ProjectFacts| evaluate_project(rules, p, &ctx(asof));

    // The default: red before 开工, history after, with its mark kept.
    let default = default_rule("approval_clock");
    let v = verdict(&default, &built);
    assert_eq!(v.light, Some(Light::Green));
    assert_eq!(
        sentences(&v, Dimension::ApprovalClock),
        ["绿灯：一般企业投资项目审批最多90天超时10天办结（时限90天，用时100天；项目已开工，记为历史）"]
    );
    let clock = v.reasons.iter().find(|r| r.dimension == Dimension::ApprovalClock).unwrap();
    assert_eq!(
        clock.en,
        "Green: 一般企业投资项目审批最多90天 closed 10 days late (limit 90 days, took 100; the project has started: kept as history)"
    );
    assert_eq!(verdict(&default, &before).light, Some(Light::Red));
    assert_eq!(late_closed_overrun(&built.clocks[0], &ctx(asof)), Some(10), "the mark stays");

    // The old behaviour, selectable: red for good.
    let always = clock_rule(LateClosed::Always);
    assert_eq!(verdict(&always, &built).light, Some(Light::Red));
    assert_eq!(
        sentences(&verdict(&always, &built), Dimension::ApprovalClock),
        ["红灯：一般企业投资项目审批最多90天超时10天办结（时限90天，用时100天）"]
    );

    // For N days after closing, whatever the stage.
    let month = clock_rule(LateClosed::ForDays { days: 30 });
    let at = |p: &ProjectFacts, on| evaluate_project(&month, p, &ctx(on)).light;
    assert_eq!(at(&built, d(2019, 7, 9)), Some(Light::Red));
    assert_eq!(at(&built, d(2019, 7, 10)), Some(Light::Green));
    assert!(
        sentences(&verdict(&month, &built), Dimension::ApprovalClock)[0].contains("办结已超过30天，记为历史"),
        "{:?}",
        verdict(&month, &built).reasons
    );

    // A clock still running over its limit stays red on a started project: it is current.
    let running = late(Stage::Construction, Some(d(2019, 7, 1)));
    let mut running = running;
    running.clocks[0].stopped_on = None;
    assert_eq!(verdict(&default, &running).light, Some(Light::Red));
    assert_eq!(late_closed_overrun(&running.clocks[0], &ctx(asof)), None);

    // The clock's own light follows the option too.
    let check = |rules: &RuleSet| match &rules.rules[0].check {
        Check::ApprovalClock(c) => c.clone(),
        _ => unreachable!(),
    };
    let r = crate::clocks::read_clock_now(&built.clocks[0], asof, WorkCalendar::shipped());
    assert_eq!(check(&default).clock_light(&r, Some(d(2019, 6, 9)), true, asof), Some(Light::Green));
    assert_eq!(check(&default).clock_light(&r, Some(d(2019, 6, 9)), false, asof), Some(Light::Red));
    assert_eq!(check(&always).clock_light(&r, Some(d(2019, 6, 9)), true, asof), Some(Light::Red));
}

#[test]
fn rule_sets_saved_before_the_option_read_as_the_default() {
    let old = r#"{"version":1,"rules":[{"id":"c","kind":"approval_clock","yellow_when_remaining_at_most":10}]}"#;
    let set = RuleSet::from_json(old).unwrap();
    assert!(matches!(&set.rules[0].check, Check::ApprovalClock(c) if c.late_closed == LateClosed::UntilStart));
    let chosen = r#"{"version":2,"rules":[{"id":"c","kind":"approval_clock","yellow_when_remaining_at_most":10,"late_closed":{"red":"for_days","days":30}}]}"#;
    let set = RuleSet::from_json(chosen).unwrap();
    assert!(matches!(&set.rules[0].check, Check::ApprovalClock(c) if c.late_closed == LateClosed::ForDays { days: 30 }));
    assert_eq!(RuleSet::from_json(&set.to_json_pretty()).unwrap(), set);
}

#[test]
fn facts_rewind_to_a_past_date() {
    let mut p = with_clock(DayKind::Calendar, Some(d(2019, 6, 9)), vec![]);
    p.stage = Stage::Construction;
    p.started_on = Some(d(2019, 7, 1));
    p.in_statistics_on = Some(d(2019, 8, 1));
    p.nodes = vec![node("施工许可", d(2019, 5, 1), NodeStatus::Closed)];
    let then = p.as_known_on(d(2019, 4, 30));
    assert_eq!(
        (then.stage, then.started_on, then.in_statistics_on),
        (Stage::Preparation, None, None)
    );
    assert_eq!(then.nodes[0].status, NodeStatus::Open);
    assert_eq!(then.clocks[0].stopped_on, None);
    // In April the clock was running and the node not yet late; by the end of June the
    // clock had closed late before the start: red; at the end of the year: history.
    let rules = RuleSet::default();
    let on = |day: NaiveDate| evaluate_project(&rules, &p.as_known_on(day), &ctx(day)).light;
    assert_eq!(on(d(2019, 6, 30)), Some(Light::Red));
    assert_eq!(on(d(2019, 12, 31)), Some(Light::Green));
    assert_eq!(p.as_known_on(d(2019, 12, 31)), p, "nothing to undo after the last event");
}

// ---- 项目 ----

#[test]
fn a_project_explains_every_light_worst_first() {
    let rules = RuleSet::default();
    let mut p = project();
    p.planned_start_on = Some(d(2019, 11, 1));
    p.nodes = vec![
        NodeFacts {
            id: 11,
            ..node("赋码备案", d(2019, 3, 1), NodeStatus::Closed)
        },
        NodeFacts {
            id: 12,
            ..node("施工许可", d(2019, 12, 8), NodeStatus::Open)
        },
        NodeFacts {
            id: 13,
            ..node("开工", d(2020, 3, 1), NodeStatus::Open)
        },
    ];
    p.investment = Some(InvestmentFacts {
        year: 2019,
        through_month: 11,
        completed_ytd: Money::from_wan(800),
        annual_plan: Money::from_wan(1000),
    });
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 12, 31)));
    assert_eq!(v.light, Some(Light::Red));
    let all: Vec<&str> = v.reasons.iter().map(|r| r.sentence.as_str()).collect();
    assert_eq!(
        all,
        [
            "红灯：施工许可逾期23天",
            "黄灯：计划2019年11月开工，尚未开工",
            "黄灯：投资完成率低于序时进度11.7个百分点（1-11月完成年度计划的80.0%，序时进度91.7%）",
        ]
    );
    assert_eq!(v.headline().unwrap().detail(), "施工许可逾期23天");
    assert_eq!(v.headline().unwrap().detail_en(), "施工许可 overdue by 23 days");
    assert_eq!(v.headline().unwrap().to_lit_reason().reason, "施工许可逾期23天");
    assert_eq!(
        v.node_counts,
        LightCounts {
            green: 2,
            yellow: 0,
            red: 1
        }
    );
    assert_eq!(v.nodes[1].node_id, 12);
    // Nothing wrong: green, and it says so first.
    let mut calm = project();
    calm.nodes = vec![node("开工", d(2020, 3, 1), NodeStatus::Open)];
    let v = evaluate_project(&rules, &calm, &ctx(d(2019, 12, 31)));
    assert_eq!(v.light, Some(Light::Green));
    assert_eq!(v.reasons[0].sentence, "绿灯：按计划推进");
    // Terminated: not lit at all.
    p.stage = Stage::Terminated;
    let v = evaluate_project(&rules, &p, &ctx(d(2019, 12, 31)));
    assert_eq!((v.light, v.reasons.len()), (None, 0));
    // A disabled rule says nothing.
    let mut off = RuleSet::default();
    off.rules.iter_mut().for_each(|r| r.enabled = false);
    p.stage = Stage::Preparation;
    let v = evaluate_project(&off, &p, &ctx(d(2019, 12, 31)));
    assert_eq!(v.light, Some(Light::Green));
}

#[test]
fn the_board_rolls_projects_up_to_units_and_leaders() {
    let rules = RuleSet::default();
    let mk = |id, unit, leader, planned: NaiveDate, stage| ProjectFacts {
        id,
        unit_id: unit,
        leader_id: leader,
        stage,
        nodes: vec![node("开工", planned, NodeStatus::Open)],
        ..project()
    };
    let asof = d(2019, 12, 31);
    let ps = vec![
        mk(1, 10, Some(100), d(2019, 11, 1), Stage::Preparation),  // red
        mk(2, 10, Some(101), d(2020, 6, 1), Stage::Preparation),   // green
        mk(3, 11, Some(101), d(2019, 12, 28), Stage::Preparation), // yellow
        mk(4, 11, None, d(2019, 1, 1), Stage::Terminated),         // not lit
    ];
    let vs = evaluate_all(&rules, &ps, &ctx(asof));
    assert_eq!(vs, evaluate_all_parallel(&rules, &ps, &ctx(asof), 2));
    let b = board(&ps, &vs);
    assert_eq!(b.district.light, Some(Light::Red));
    assert_eq!(
        b.district.counts,
        LightCounts {
            green: 1,
            yellow: 1,
            red: 1
        }
    );
    assert_eq!(b.by_unit[&10].light, Some(Light::Red));
    assert_eq!(b.by_unit[&11].light, Some(Light::Yellow));
    assert_eq!(b.by_unit[&11].counts.total(), 1);
    assert_eq!(b.by_leader[&101].light, Some(Light::Yellow));
    assert_eq!(b.by_leader[&100].light, Some(Light::Red));
    assert_eq!(b.nodes.counts.total(), 3);
}

#[test]
fn store_records_convert_to_facts() {
    let n = crate::model::Node {
        id: 7,
        project_id: 1,
        seq: 6,
        name: "施工许可".into(),
        planned_on: d(2019, 12, 8),
        baseline_on: d(2019, 11, 30),
        forecast_on: None,
        actual_on: None,
        responsible_unit_id: 3,
        responsible_person_id: None,
        status: NodeStatus::Open,
        light: None,
        light_reason: None,
        version: 1,
    };
    let f = NodeFacts::from(&n);
    assert_eq!((f.id, f.planned_on, f.status), (7, d(2019, 12, 8), NodeStatus::Open));
    let row = crate::dataset::ApprovalClockRow {
        id: 1,
        name: "政府投资项目审批最多90个工作日".into(),
        project_type: Some("government".into()),
        start_node: "项目建议书批复".into(),
        stop_node: "施工许可".into(),
        limit_days: 90,
        day_kind: DayKind::Working,
    };
    let clock = crate::clocks::ApprovalClock::from(&row);
    let closed = crate::model::Node {
        name: "项目建议书批复".into(),
        status: NodeStatus::Closed,
        actual_on: Some(d(2019, 3, 1)),
        ..n.clone()
    };
    let facts = clock.facts(&[closed, n], vec![]);
    assert_eq!(
        (facts.started_on, facts.stopped_on, facts.limit_days),
        (Some(d(2019, 3, 1)), None, 90)
    );
    assert_eq!(ctx(d(2019, 12, 31)).calendar_note(), None);
    assert_eq!(
        ctx(d(2027, 3, 1)).calendar_note().unwrap(),
        "2027年无节假日安排数据（现有2018—2026年），按周末双休计算工作日"
    );
}
