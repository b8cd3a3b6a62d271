//! Everything around the projects, shared by both generators: enterprises and the
//! 三服务 visits, the problem list, investment-attraction leads, groundbreaking batches,
//! campaigns, supervision rounds, the land ledger and the official FAI series.

use crate::district::{District, LeaderRole, add_days, ymd};
use crate::names;
use crate::project::{ProjectSpec, YEAR};
use crate::rng::Rng;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeSet;
use zhantu_domain::dataset::{
    BatchRow, CampaignRow, ConfidenceRow, FaiRow, LandEntryRow, LeadRow, ProblemRow, ProjectBundle, SupervisionRoundRow, SupportLineRow,
    VisitRow,
};
use zhantu_domain::figures::{Pct1, fai_growth};
use zhantu_domain::model::{BatchLevel, Enterprise, LandEntryKind, LeadStage, NodeStatus, ProblemStatus};
use zhantu_domain::{CreditCode, LandArea, Money, Stage};

fn md(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

// ---------------------------------------------------------------- enterprises

/// An enterprise the scenario names (the article's firms), with its cultivation tags.
pub(crate) struct NamedEnterprise {
    pub name: &'static str,
    pub industry: &'static str,
    pub street: &'static str,
    pub tags: &'static [&'static str],
}

pub(crate) const TAG_GAZELLE: &str = "2019年市瞪羚企业";
pub(crate) const TAG_EAGLE: &str = "2019年省雄鹰培育企业（推荐）";
pub(crate) const TAG_LITTLE_GIANT: &str = "2019年专精特新“小巨人”（申报）";
pub(crate) const TAG_MANAGEMENT: &str = "2019年管理创新标杆企业";
const TAG_ABOVE_SCALE: &str = "规上工业企业";
const TAG_HIGH_TECH: &str = "高新技术企业";

const SERVICES: &[(&str, &str)] = &[
    ("5211", "商贸"),
    ("7222", "商业管理"),
    ("6110", "酒店管理"),
    ("6513", "信息科技"),
    ("7224", "供应链管理"),
    ("5930", "冷链物流"),
];

const CREDIT_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn credit_code(rng: &mut Rng, used: &mut BTreeSet<String>, registry: &str, established: bool) -> CreditCode {
    loop {
        let org: String = if established || rng.percent(55) {
            // Older firms: the nine-character organisation code of the 1990s–2000s.
            let mut s: String = (0..8).map(|_| (b'0' + rng.below(10) as u8) as char).collect();
            s.push(if rng.percent(10) {
                'X'
            } else {
                (b'0' + rng.below(10) as u8) as char
            });
            s
        } else {
            // Registered since 2015: MA + area + random.
            let mut s = String::from("MA2");
            s.extend((0..6).map(|_| CREDIT_CHARS[rng.below(CREDIT_CHARS.len() as u64) as usize] as char));
            s
        };
        let first17 = format!("91{registry}{org}");
        let check = CreditCode::check_char(&first17).expect("generated from the code's alphabet");
        let code = format!("{first17}{check}");
        if used.insert(code.clone()) {
            return CreditCode::parse(&code).expect("a code with its own check character is valid");
        }
    }
}

/// `count` enterprises: the named ones first, then invented firms; `tag_quotas` puts each
/// tag on exactly that many enterprises (named holders count towards it).
pub(crate) fn enterprises(
    d: &District,
    seed: u64,
    count: usize,
    named: &[NamedEnterprise],
    tag_quotas: &[(&'static str, usize)],
) -> Vec<Enterprise> {
    let mut rng = Rng::derive(seed, crate::rng::stream::ENTERPRISE, 0);
    let mut used_codes = BTreeSet::new();
    let mut used_names = BTreeSet::new();
    let mut out: Vec<Enterprise> = Vec::with_capacity(count.max(named.len()));
    for e in named {
        let registry = if e.name.contains("股份") { "331000" } else { d.code };
        used_names.insert(e.name.to_string());
        let street = d.street_index(e.street);
        out.push(Enterprise {
            id: out.len() as i64 + 1,
            credit_code: credit_code(&mut rng, &mut used_codes, registry, true),
            name: e.name.into(),
            industry_code: Some(e.industry.into()),
            division_code: Some(d.street_code(street).clone()),
            tags: e.tags.iter().map(|t| t.to_string()).collect(),
        });
    }
    while out.len() < count {
        let street = rng.below(d.streets.len() as u64) as usize;
        let brand = names::brand(&mut rng);
        let (industry, name, mut tags) = if rng.percent(75) {
            let m = *rng.pick(names::MANUFACTURES);
            let mut tags = Vec::new();
            if rng.percent(60) {
                tags.push(TAG_ABOVE_SCALE.to_string());
            }
            if rng.percent(20) {
                tags.push(TAG_HIGH_TECH.to_string());
            }
            (m.industry, names::firm(&mut rng, &brand, m.trade), tags)
        } else {
            let (ind, trade) = *rng.pick(SERVICES);
            (
                ind,
                format!("{}{brand}{trade}有限公司", rng.pick(&["台州", "台州市椒江", "浙江"])),
                Vec::new(),
            )
        };
        if !used_names.insert(name.clone()) {
            continue;
        }
        tags.sort();
        out.push(Enterprise {
            id: out.len() as i64 + 1,
            credit_code: credit_code(&mut rng, &mut used_codes, d.code, false),
            name,
            industry_code: Some(industry.into()),
            division_code: Some(d.street_code(street).clone()),
            tags,
        });
    }
    // Cultivation lists go to manufacturers that are not on them yet.
    for (tag, quota) in tag_quotas {
        let have = out.iter().filter(|e| e.tags.iter().any(|t| t == tag)).count();
        let mut candidates: Vec<usize> = (named.len()..out.len())
            .filter(|&i| out[i].industry_code.as_deref().is_some_and(|c| names::manufacture(c).is_some()))
            .filter(|&i| !out[i].tags.iter().any(|t| t.starts_with("2019年")))
            .collect();
        rng.shuffle(&mut candidates);
        for i in candidates.into_iter().take(quota.saturating_sub(have)) {
            out[i].tags.push(tag.to_string());
            if !out[i].tags.iter().any(|t| t == TAG_ABOVE_SCALE) {
                out[i].tags.push(TAG_ABOVE_SCALE.to_string());
            }
        }
    }
    out
}

// ---------------------------------------------------------------- visits and problems

/// A working day of the year (no weekends, no Spring Festival or National Day week).
fn working_day(rng: &mut Rng, year: i32, last: NaiveDate) -> NaiveDate {
    loop {
        let d = add_days(ymd(year, 1, 2), rng.range(0, 362)).min(last);
        let festival = (d >= ymd(year, 2, 4) && d <= ymd(year, 2, 10)) || (d >= ymd(year, 10, 1) && d <= ymd(year, 10, 7));
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !festival {
            return d;
        }
    }
}

/// Categories of the problem list (PRACTICE.md §5.1), with the department that usually
/// handles each (`None`: the enterprise's street) and phrasing for an enterprise's issue.
const PROBLEM_KINDS: &[(&str, Option<&str>, u32)] = &[
    ("用地", Some("自然资源"), 14),
    ("资金", Some("金融"), 16),
    ("审批", Some("发改"), 14),
    ("政策处理", None, 10),
    ("水电气", Some("经信"), 14),
    ("人才/用工", Some("人社"), 18),
    ("规划", Some("自然资源"), 5),
    ("环保能耗", Some("生态环境"), 9),
];

fn visit_problem_text(rng: &mut Rng, category: &str) -> String {
    match category {
        "用地" => format!("企业扩产需新增工业用地约{}亩，申请协调用地指标", rng.range(5, 60)),
        "资金" => format!("技改项目资金缺口约{}万元，希望对接银行信贷和政策性担保", rng.range(3, 60) * 100),
        "审批" => format!(
            "{}办理进度较慢，请求协调加快审批",
            rng.pick(&["厂房扩建规划许可", "环评批复", "消防验收", "不动产权证", "施工许可"])
        ),
        "政策处理" => format!("厂区周边{}户房屋政策处理未完成，影响二期用地交付", rng.range(2, 30)),
        "水电气" => format!("新厂区用电增容{}千伏安申请尚未落实，天然气管道未接入", rng.range(4, 40) * 100),
        "人才/用工" => format!("熟练技工缺口约{}人，希望协助招聘并落实人才公寓", rng.range(10, 150)),
        "规划" => "厂区容积率调整涉及规划修改，请求协调".to_string(),
        _ => format!("新增产能所需能耗指标约{}吨标煤，申请统筹解决", rng.range(2, 40) * 100),
    }
}

const VISIT_SITUATIONS: &[&str] = &[
    "企业生产经营总体平稳，订单较上年有所增长",
    "企业订单饱满，正在筹划扩大产能",
    "企业受原材料价格上涨影响，利润有所下降",
    "企业正在推进智能化技术改造",
    "企业出口订单保持稳定，新产品研发进展顺利",
    "企业用工基本稳定，正在申报高新技术企业",
];

const VISIT_POLICIES: &[&str] = &[
    "宣传减税降费政策",
    "宣讲社保费返还政策",
    "宣传技改补助政策",
    "介绍“最多跑一次”改革举措",
    "对接金融机构融资服务",
];

/// `count` visits in the demo year by cadres of the streets and economic departments
/// (now and then a district leader), in date order.
pub(crate) fn visits(d: &District, seed: u64, enterprises: &[Enterprise], count: usize, as_of: NaiveDate) -> Vec<VisitRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::VISIT, 0);
    let units = d.visiting_units();
    let leaders: Vec<i64> = d.leader_ids().collect();
    let mut rows: Vec<(NaiveDate, i64, i64, i64, String)> = Vec::with_capacity(count);
    for _ in 0..count {
        let e = &enterprises[rng.below(enterprises.len() as u64) as usize];
        let date = working_day(&mut rng, YEAR, as_of);
        let (visitor, unit) = if rng.percent(8) {
            (*rng.pick(&leaders), d.root())
        } else {
            let u = *rng.pick(&units);
            (d.staff_of(u, rng.next_u64()).expect("visiting units have staff"), u)
        };
        let short = e.name.trim_end_matches("有限公司").trim_end_matches("股份").to_string();
        let findings = format!("走访{short}：{}；{}。", rng.pick(VISIT_SITUATIONS), rng.pick(VISIT_POLICIES));
        rows.push((date, e.id, visitor, unit, findings));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    rows.into_iter()
        .enumerate()
        .map(|(i, (visited_on, enterprise_id, visitor_id, unit_id, findings))| VisitRow {
            id: i as i64 + 1,
            enterprise_id,
            visited_on,
            visitor_id,
            unit_id,
            findings,
        })
        .collect()
}

/// Problems raised on `count` of the visits (the visit's findings are extended to say
/// so); all are closed out except the `open` most recent ones.
pub(crate) fn visit_problems(
    d: &District,
    seed: u64,
    visits: &mut [VisitRow],
    enterprises: &[Enterprise],
    count: usize,
    open: usize,
    as_of: NaiveDate,
) -> Vec<ProblemRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::PROBLEM, 0);
    let mut chosen: Vec<usize> = (0..visits.len()).collect();
    rng.shuffle(&mut chosen);
    chosen.truncate(count.min(visits.len()));
    chosen.sort();
    let weights: Vec<u32> = PROBLEM_KINDS.iter().map(|k| k.2).collect();
    let n = chosen.len();
    let mut out = Vec::with_capacity(n);
    for (pos, &vi) in chosen.iter().enumerate() {
        let v = &mut visits[vi];
        let (category, dept, _) = PROBLEM_KINDS[rng.weighted(&weights)];
        let description = visit_problem_text(&mut rng, category);
        let e = &enterprises[v.enterprise_id as usize - 1];
        let unit_id = match dept {
            Some(key) => d.dept(key),
            None => {
                let code = e.division_code.as_ref().map(|c| c.as_str()).unwrap_or("");
                d.streets.iter().find(|s| s.code == code).map(|s| s.unit_id).unwrap_or(v.unit_id)
            }
        };
        v.findings
            .push_str(&format!("企业反映：{description}，已列入问题清单交办{}。", d.unit(unit_id).name));
        let raised = v.visited_on;
        let deadline = add_days(
            raised,
            if category == "政策处理" || category == "用地" {
                60
            } else {
                30
            },
        );
        let is_open = pos + open >= n;
        let (status, resolved_on, closed_on, satisfaction) = if is_open {
            match rng.below(3) {
                0 => (ProblemStatus::Raised, None, None, None),
                1 => (ProblemStatus::Assigned, None, None, None),
                _ => (ProblemStatus::Resolved, Some(raised.max(add_days(as_of, -2))), None, None),
            }
        } else {
            let resolved = add_days(raised, rng.range(2, 30)).min(as_of);
            let closed = add_days(resolved, rng.range(0, 7)).min(as_of);
            (
                ProblemStatus::Closed,
                Some(resolved),
                Some(closed),
                Some(*rng.pick(&[5, 5, 5, 4, 4, 3])),
            )
        };
        out.push(ProblemRow {
            id: 0,
            project_id: None,
            node_id: None,
            visit_id: Some(v.id),
            enterprise_id: Some(e.id),
            category: category.into(),
            description,
            unit_id,
            raised_on: raised,
            deadline,
            status,
            resolved_on,
            closed_on,
            satisfaction,
        });
    }
    out
}

fn node_problem_category(node: &str, rng: &mut Rng) -> (&'static str, &'static str) {
    match node {
        "政策处理" => ("政策处理", "房屋征迁补偿存在争议"),
        "用地预审" | "土地摘牌" | "用地报批" => ("用地", "用地指标未落实、土地报批进度慢"),
        "开工" => {
            if rng.percent(50) {
                ("资金", "项目资本金未及时到位")
            } else {
                ("施工条件", "土方消纳场地未落实")
            }
        }
        "主体结顶" | "主体完工" | "路基完成" | "路面完成" => ("施工条件", "连续阴雨天气及管线迁改影响施工"),
        "竣工验收" | "投产" | "开业运营" | "交付使用" => ("水电气", "供电、燃气等公用事业接入未完成"),
        _ => ("审批", "前期审批材料反复修改、审批周期较长"),
    }
}

/// Problems raised on lagging nodes (done more than two weeks late, or still open past
/// their date): at most `limit`, chosen at random (a fifth of them on nodes still open),
/// closed when the node was done.
pub(crate) fn node_problems(seed: u64, projects: &[ProjectBundle], d: &District, limit: usize, as_of: NaiveDate) -> Vec<ProblemRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::PROBLEM, 1);
    // Mostly problems already solved (the node was done late), a few still open.
    // (project index, node index)
    let mut solved: Vec<(usize, usize)> = Vec::new();
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (pi, b) in projects.iter().enumerate() {
        if b.project.stage == Stage::Terminated {
            continue;
        }
        for (ni, n) in b.nodes.iter().enumerate() {
            let late = match n.actual_on {
                Some(a) => (a - n.planned_on).num_days(),
                None => (as_of - n.planned_on).num_days(),
            };
            if late > 14 && n.planned_on >= ymd(YEAR - 1, 1, 1) {
                if n.actual_on.is_some() {
                    solved.push((pi, ni))
                } else {
                    open.push((pi, ni))
                }
            }
        }
    }
    rng.shuffle(&mut solved);
    rng.shuffle(&mut open);
    solved.truncate(limit - limit / 5);
    open.truncate(limit / 5);
    let mut lagging = solved;
    lagging.extend(open);
    lagging.sort();
    lagging
        .into_iter()
        .map(|(pi, ni)| {
            let b = &projects[pi];
            let n = &b.nodes[ni];
            let (category, cause) = node_problem_category(&n.name, &mut rng);
            let raised = add_days(n.planned_on, rng.range(3, 10)).min(as_of);
            let (status, resolved_on, closed_on, satisfaction) = match n.actual_on {
                Some(a) if a >= raised => {
                    let closed = add_days(a, rng.range(0, 5)).min(as_of);
                    (ProblemStatus::Closed, Some(a), Some(closed), Some(*rng.pick(&[5, 4, 4])))
                }
                Some(_) => (ProblemStatus::Closed, Some(raised), Some(raised), Some(4)),
                None => (ProblemStatus::Assigned, None, None, None),
            };
            ProblemRow {
                id: 0,
                project_id: Some(b.project.id),
                node_id: Some(n.id),
                visit_id: None,
                enterprise_id: None,
                category: category.into(),
                description: format!(
                    "{}：{}节点计划{}完成，因{cause}，进度滞后，请{}协调解决。",
                    b.project.name,
                    n.name,
                    md(n.planned_on),
                    d.unit(n.responsible_unit_id).name
                ),
                unit_id: n.responsible_unit_id,
                raised_on: raised,
                deadline: add_days(raised, 30),
                status,
                resolved_on,
                closed_on,
                satisfaction,
            }
        })
        .collect()
}

// ---------------------------------------------------------------- leads

/// Attraction leads: one per signed business project (落地 once it started, 签约 before),
/// plus `talks` leads still in negotiation and `dropped` ones.
pub(crate) fn leads(
    d: &District,
    seed: u64,
    projects: &[ProjectBundle],
    specs: &[ProjectSpec],
    signed_since: NaiveDate,
    talks: usize,
    dropped: usize,
) -> Vec<LeadRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::LEAD, 0);
    let leaders: Vec<i64> = d.leader_ids().collect();
    let mut out: Vec<LeadRow> = Vec::new();
    for (b, spec) in projects.iter().zip(specs) {
        let Some(team) = spec.team else { continue };
        let Some(signed_on) = b.nodes.iter().find(|n| n.name == "签约").and_then(|n| n.actual_on) else {
            continue;
        };
        if signed_on < signed_since || b.project.stage == Stage::Terminated {
            continue;
        }
        let landed_on = b.project.started_on;
        out.push(LeadRow {
            id: out.len() as i64 + 1,
            name: b.project.name.trim_end_matches("项目").to_string(),
            investor: b.project.investor.clone(),
            team_unit_id: team,
            leader_id: Some(*rng.pick(&leaders)),
            stage: if landed_on.is_some() {
                LeadStage::Landed
            } else {
                LeadStage::Signed
            },
            signed_amount: b.project.total_investment,
            foreign_usd_cents: b.project.foreign_investment_usd_cents,
            source_region: spec.source_region.into(),
            first_contact_on: add_days(signed_on, -rng.range(60, 400)),
            signed_on: Some(signed_on),
            landed_on,
            project_id: Some(b.project.id),
            clocks: Default::default(),
        });
    }
    for i in 0..talks + dropped {
        let m = *rng.pick(names::MANUFACTURES);
        let brand = names::brand(&mut rng);
        let first = add_days(ymd(YEAR, 1, 8), rng.range(0, 330));
        let amount = crate::project::random_total_wan(&mut rng, crate::district::Kind::Industrial);
        out.push(LeadRow {
            id: out.len() as i64 + 1,
            name: format!("{brand}{}{}产业化", m.trade, m.product),
            investor: names::firm(&mut rng, &brand, m.trade),
            team_unit_id: *rng.pick(&d.teams),
            leader_id: rng.percent(60).then(|| *rng.pick(&leaders)),
            stage: if i < talks { LeadStage::Talks } else { LeadStage::Dropped },
            signed_amount: Money::from_wan(amount),
            foreign_usd_cents: None,
            source_region: (*rng.pick(&["上海", "深圳", "杭州", "江苏南京", "北京", "广东东莞", "台湾"])).into(),
            first_contact_on: first,
            signed_on: None,
            landed_on: None,
            project_id: None,
            clocks: Default::default(),
        });
    }
    out
}

/// What the teams report on a lead in talks, in turn.
const LEAD_PROGRESS: [&str; 6] = [
    "与投资方召开洽谈会，对接项目方案",
    "陪同投资方实地踏勘拟选地块",
    "投资方内部决策中，保持每周联系",
    "对接投资协议条款，梳理要素需求",
    "报送项目可行性研究材料，征求部门意见",
    "协调用地、能耗指标，准备签约",
];

/// The attraction clocks' record of each lead (`lead_clocks`), from its own dates so the
/// other figures do not move: most leads responded to, assessed and fed back on time; every
/// 11th lead responded late, every 13th assessed late, every 17th fed back late; the open
/// leads report progress about every 12 days up to the data date, but every 9th (counting
/// from the 4th) has not reported for three weeks, so its progress clock is overdue (red).
pub(crate) fn lead_clocks(leads: &mut [LeadRow], as_of: NaiveDate) {
    use zhantu_domain::lead_clocks::{Assessment, LeadClockLimits};
    let cal = zhantu_domain::calendar::WorkCalendar::shipped();
    let limits = LeadClockLimits::default();
    let known = |d: NaiveDate| (d <= as_of).then_some(d);
    for l in leads.iter_mut() {
        let received = l.first_contact_on;
        let n = l.id;
        let responded = cal.add_working_days(received, if n % 11 == 0 { 2 } else { 1 });
        let assess_days = if limits.is_major(l.signed_amount) {
            limits.assess_major_working_days
        } else {
            limits.assess_working_days
        };
        let assessed = cal.add_working_days(received, if n % 13 == 0 { assess_days + 2 } else { 2 });
        let fed_back = cal.add_working_days(assessed, if n % 17 == 0 { limits.feedback_working_days + 3 } else { 4 });
        let conclusion = match l.stage {
            LeadStage::Dropped => Assessment::Decline,
            LeadStage::Talks if n % 3 == 0 => Assessment::Watch,
            _ => Assessment::Pursue,
        };
        let mut c = zhantu_domain::dataset::LeadClockRow {
            responded_on: known(responded),
            assessed_on: known(assessed),
            assessment: known(assessed).map(|_| conclusion),
            feedback_on: known(fed_back).filter(|_| known(assessed).is_some()),
            progress: Vec::new(),
        };
        // The open leads' reports, the latest first going back: about every 12 days, at most 8.
        if matches!(l.stage, LeadStage::Talks | LeadStage::Signed) {
            let mut on = add_days(as_of, -(if n % 9 == 4 { 21 } else { n % 10 }));
            let mut k = 0;
            while on > received && k < 8 {
                let text = LEAD_PROGRESS[(n as usize + k) % LEAD_PROGRESS.len()];
                c.progress.push((on, text.to_string(), "招商专员".to_string()));
                on = add_days(on, -12);
                k += 1;
            }
            c.progress.reverse();
        }
        l.clocks = c;
    }
}

// ---------------------------------------------------------------- batches, campaigns, supervision

/// The year's groundbreaking ceremonies (集中开工).
pub(crate) const BATCHES: [(&str, BatchLevel, (u32, u32)); 5] = [
    ("台州市2019年第一批重大项目集中开工（椒江分会场）", BatchLevel::City, (2, 19)),
    ("2019年第一批省重大项目集中开工（椒江分会场）", BatchLevel::Province, (3, 28)),
    ("椒江区2019年第二季度重大项目集中开工", BatchLevel::District, (6, 18)),
    ("2019年第二批省重大项目集中开工（椒江分会场）", BatchLevel::Province, (9, 26)),
    ("椒江区2019年第四季度重大项目集中开工", BatchLevel::District, (11, 28)),
];

pub(crate) fn batch_date(i: usize) -> NaiveDate {
    let (m, d) = BATCHES[i].2;
    ymd(YEAR, m, d)
}

/// Batch rows from the members of each of [`BATCHES`]; a batch nobody joined is left out.
pub(crate) fn batch_rows(members: Vec<Vec<i64>>) -> Vec<BatchRow> {
    let mut out: Vec<BatchRow> = Vec::new();
    for (i, mut project_ids) in members.into_iter().enumerate() {
        if project_ids.is_empty() {
            continue;
        }
        project_ids.sort();
        out.push(BatchRow {
            id: out.len() as i64 + 1,
            name: BATCHES[i].0.into(),
            level: BATCHES[i].1,
            held_on: batch_date(i),
            project_ids,
        });
    }
    out
}

pub(crate) const CAMPAIGN_60: &str = "“奋战60天、突破60难”项目攻坚擂台赛";

fn campaign_priority(node: &str) -> u8 {
    match node {
        "政策处理" | "土地摘牌" | "用地报批" => 0,
        "用地预审" | "施工许可" | "开工" => 1,
        "规划许可" | "方案审查" | "初步设计批复" | "初步设计及概算批复" | "施工招标" => 2,
        "主体结顶" | "主体完工" | "路基完成" => 3,
        _ => 4,
    }
}

/// The two campaigns of the year: "奋战60天、突破60难" over up to 60 hard nodes closed
/// during it, and "决战90天" over the transport projects' nodes due during it.
pub(crate) fn campaigns(d: &District, seed: u64, projects: &[ProjectBundle]) -> Vec<CampaignRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::ACTIVITY, 1);
    let (s60, e60) = (ymd(YEAR, 6, 1), ymd(YEAR, 7, 30));
    let mut candidates: Vec<(u8, i64)> = projects
        .iter()
        .flat_map(|b| b.nodes.iter())
        .filter(|n| n.status == NodeStatus::Closed && n.actual_on.is_some_and(|a| a >= s60 && a <= e60))
        .map(|n| (campaign_priority(&n.name), n.id))
        .collect();
    rng.shuffle(&mut candidates);
    candidates.sort_by_key(|c| c.0);
    let mut node_ids: Vec<i64> = candidates.iter().take(60).map(|c| c.1).collect();
    node_ids.sort();
    let mut units: Vec<i64> = d.streets.iter().map(|s| s.unit_id).collect();
    for key in ["两抓办", "发改", "经信", "自然资源", "住建", "交通", "投促"] {
        units.push(d.dept(key));
    }
    units.push(d.soe("城投"));
    units.push(d.soe("交投"));
    let mut out = vec![CampaignRow {
        id: 1,
        name: CAMPAIGN_60.into(),
        starts_on: s60,
        ends_on: e60,
        description: "按照项目清单化、任务节点化、攻坚团队化的要求，梳理攻坚项目节点清单，组建攻坚小组；各街道（镇）、相关牵头单位细化责任、倒排倒逼，区级领导分线认领、一线办公。".into(),
        closing_note: Some(format!(
            "{}个攻坚节点全部按期销号，2200余间房屋政策处理“清零”，11条“断头路”打通。",
            node_ids.len()
        )),
        node_ids,
        unit_ids: units,
        // The seed article: "2200余间房屋政策处理“清零”,11条“断头路”打通".
        measures: vec![
            ("房屋政策处理".into(), "间".into(), 2200, 2216),
            ("打通断头路".into(), "条".into(), 11, 11),
        ],
    }];

    let (s90, e90) = (ymd(YEAR, 8, 1), ymd(YEAR, 10, 29));
    let mut transport: Vec<i64> = projects
        .iter()
        .filter(|b| b.project.project_type == "infrastructure" && b.project.stage != Stage::Terminated)
        .flat_map(|b| b.nodes.iter())
        .filter(|n| n.planned_on >= s90 && n.planned_on <= e90)
        .map(|n| n.id)
        .collect();
    rng.shuffle(&mut transport);
    transport.truncate(40);
    transport.sort();
    if !transport.is_empty() {
        let mut units: Vec<i64> = vec![d.dept("交通"), d.soe("交投"), d.dept("自然资源")];
        units.extend(d.streets.iter().map(|s| s.unit_id));
        out.push(CampaignRow {
            id: 2,
            name: "“决战90天，通堵点、破难点”重大交通项目集中攻坚行动".into(),
            starts_on: s90,
            ends_on: e90,
            description: "聚焦重大交通项目的政策处理、用地报批和施工推进，打通断头路、破解堵点难点。".into(),
            closing_note: Some("行动期满，攻坚节点清单已逐项对账。".into()),
            node_ids: transport,
            unit_ids: units,
            measures: Vec::new(),
        });
    }
    out
}

/// The six supervision rounds ("两月督查"): the party secretary on key projects, the
/// vice-mayors in charge on lagging ones. Targets are projects with a node more than a
/// week overdue on the day (then slightly overdue, then at risk), those not yet visited
/// in the year first.
pub(crate) fn supervision_rounds(
    d: &District,
    seed: u64,
    projects: &[ProjectBundle],
    key_year: i32,
    must_include: &[(usize, i64)],
) -> Vec<SupervisionRoundRow> {
    const ROUNDS: [((u32, u32), &str, LeaderRole); 6] = [
        ((2, 27), "2019年第一批区委书记督查重点建设项目", LeaderRole::Secretary),
        ((4, 24), "2019年第一批分管区长督查滞后项目", LeaderRole::Executive),
        ((6, 26), "2019年第二批区委书记督查重点建设项目", LeaderRole::Secretary),
        ((8, 28), "2019年第二批分管区长督查滞后项目", LeaderRole::Urban),
        ((10, 30), "2019年第三批区委书记督查重点建设项目", LeaderRole::Secretary),
        ((12, 18), "2019年第三批分管区长督查滞后项目", LeaderRole::Industry),
    ];
    let mut rng = Rng::derive(seed, crate::rng::stream::ACTIVITY, 2);
    let mut out: Vec<SupervisionRoundRow> = Vec::new();
    for (ri, ((m, day), name, role)) in ROUNDS.iter().enumerate() {
        let held_on = ymd(YEAR, *m, *day);
        let secretary = *role == LeaderRole::Secretary;
        // (key project?, days late, project index, node index); days late may be
        // negative: a node about to fall due, visited when nothing is late enough.
        let mut lagging: Vec<(bool, i64, usize, usize)> = Vec::new();
        for (pi, b) in projects.iter().enumerate() {
            if b.project.stage == Stage::Terminated {
                continue;
            }
            let worst = b
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.actual_on.is_none_or(|a| a > held_on))
                .map(|(ni, n)| ((held_on - n.planned_on).num_days(), ni))
                .filter(|(late, _)| *late > -20)
                .max_by_key(|x| (x.0, std::cmp::Reverse(x.1)));
            if let Some((late, ni)) = worst {
                let key = b.categories.iter().any(|c| c.1 == key_year) || b.project.total_investment >= Money::from_wan(50_000);
                lagging.push((key, late, pi, ni));
            }
        }
        // More than a week late first, then slightly late, then about to fall due; key
        // projects first for the secretary; projects not yet visited this year first.
        let tier = |late: i64| {
            if late > 7 {
                0
            } else if late > 0 {
                1
            } else {
                2
            }
        };
        let seen: BTreeSet<i64> = out.iter().flat_map(|r| r.targets.iter().map(|t| t.0)).collect();
        let visited = |pi: usize| seen.contains(&projects[pi].project.id);
        lagging.sort_by(|a, b| {
            let ka = secretary && a.0;
            let kb = secretary && b.0;
            tier(a.1)
                .cmp(&tier(b.1))
                .then(visited(a.2).cmp(&visited(b.2)))
                .then(kb.cmp(&ka))
                .then(b.1.cmp(&a.1))
                .then(a.2.cmp(&b.2))
        });
        let take = rng.range(4, 6) as usize;
        let mut picked: Vec<(i64, usize, usize)> = Vec::new();
        for (r, pid) in must_include {
            if *r == ri
                && let Some(x) = lagging.iter().find(|x| projects[x.2].project.id == *pid)
            {
                picked.push((x.1, x.2, x.3));
            }
        }
        for x in &lagging {
            if picked.len() >= take {
                break;
            }
            if !picked.iter().any(|p| p.1 == x.2) {
                picked.push((x.1, x.2, x.3));
            }
        }
        let targets: Vec<(i64, String)> = picked
            .iter()
            .map(|(late, pi, ni)| {
                let b = &projects[*pi];
                let n = &b.nodes[*ni];
                let unit = &d.unit(n.responsible_unit_id).name;
                let deadline = add_days(held_on.max(n.planned_on), rng.range(15, 45));
                let finding = if *late > 0 {
                    format!(
                        "{}原计划{}完成，督查时已滞后{late}天。要求{unit}倒排工期、挂图作战，于{}前完成销号。",
                        n.name,
                        md(n.planned_on),
                        md(deadline)
                    )
                } else {
                    format!(
                        "{}计划{}完成，督查时进度偏慢、存在滞后风险。要求{unit}加快推进，确保按期销号。",
                        n.name,
                        md(n.planned_on)
                    )
                };
                (b.project.id, finding)
            })
            .collect();
        let leader_id = d.leader(*role);
        let leader = &d.people[leader_id as usize - 1];
        let what = if secretary { "重点建设项目" } else { "滞后项目" };
        out.push(SupervisionRoundRow {
            id: ri as i64 + 1,
            name: (*name).into(),
            leader_id,
            held_on,
            summary: format!(
                "{}{}带队实地督查{}，现场协调项目推进中的难点问题，明确责任单位和销号时限。",
                leader.title, leader.name, what
            ),
            report: Some(format!("本轮督查{}个项目，发现问题已交办责任单位限期整改销号。", targets.len())),
            targets,
        });
    }
    out
}

// ---------------------------------------------------------------- land and FAI

/// The province's land grants (亩) and allocations to projects from them: industrial and
/// commercial plots sold in the grant years, in date order, while the balance lasts (at
/// most `share_permille` of the grants is allocated).
pub(crate) fn land_ledger(
    seed: u64,
    projects: &[ProjectBundle],
    grants: &[(NaiveDate, i64)],
    prefer: &[i64],
    share_permille: i64,
) -> Vec<LandEntryRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::ACTIVITY, 3);
    let mut out: Vec<LandEntryRow> = grants
        .iter()
        .map(|(on, mu)| LandEntryRow {
            id: 0,
            entry_on: *on,
            kind: LandEntryKind::Grant,
            area: LandArea::from_mu(*mu),
            project_id: None,
            document: format!("省重大产业项目奖励新增建设用地计划指标（{}年度）", on.year()),
            note: "省里下达新增建设用地计划指标".into(),
        })
        .collect();
    let granted: i64 = grants.iter().map(|g| g.1 * 100).sum();
    let cap = granted * share_permille / 1000;
    let first = grants.iter().map(|g| g.0).min().unwrap_or(ymd(YEAR, 1, 1));
    let last_year = grants.iter().map(|g| g.0.year()).max().unwrap_or(YEAR);
    let mut sold: Vec<(bool, NaiveDate, usize)> = projects
        .iter()
        .enumerate()
        .filter_map(|(i, b)| {
            let land = b.project.land_area?;
            let sale = b.nodes.iter().find(|n| n.name == "土地摘牌")?.actual_on?;
            (land.centi_mu() > 0 && sale >= first && sale.year() <= last_year).then_some((!prefer.contains(&b.project.id), sale, i))
        })
        .collect();
    sold.sort();
    let mut allocated = 0;
    for (_, sale, i) in sold {
        let b = &projects[i];
        let area = b.project.land_area.expect("filtered").centi_mu();
        if allocated + area > cap {
            continue;
        }
        allocated += area;
        out.push(LandEntryRow {
            id: 0,
            entry_on: add_days(sale, -rng.range(5, 20)).max(first),
            kind: LandEntryKind::Allocation,
            area: LandArea::from_centi_mu(area),
            project_id: Some(b.project.id),
            document: format!("{}用地指标安排", b.project.name.trim_end_matches("项目")),
            note: "使用省奖励新增建设用地计划指标".into(),
        });
    }
    out.sort_by_key(|e| (e.entry_on, e.kind != LandEntryKind::Grant));
    for (i, e) in out.iter_mut().enumerate() {
        e.id = i as i64 + 1;
    }
    out
}

/// Monthly cumulative FAI of a division for the year before and the demo year: December
/// of the year before is `last_december_wan`; the year's December grows by
/// `growth_tenths` (tenths of a percent, as published) on it.
pub(crate) fn fai_rows(seed: u64, salt: u64, division: &str, last_december_wan: i64, growth_tenths: i64) -> Vec<FaiRow> {
    let mut rng = Rng::derive(seed, crate::rng::stream::FAI, salt);
    // The exact December that rounds to the published growth.
    let mut this_december = last_december_wan * (1000 + growth_tenths) / 1000;
    let target = Some(Pct1::from_tenths(growth_tenths));
    let last = Money::from_wan(last_december_wan);
    for _ in 0..8 {
        let candidate = this_december + rng.range(-(last_december_wan / 40_000), last_december_wan / 40_000);
        if fai_growth(Money::from_wan(candidate), last) == target {
            this_december = candidate;
            break;
        }
    }
    assert_eq!(
        fai_growth(Money::from_wan(this_december), last),
        target,
        "FAI December must give the published growth"
    );
    const SHARE: [i64; 12] = [55, 118, 205, 290, 378, 482, 560, 645, 740, 828, 912, 1000];
    let mut out = Vec::with_capacity(24);
    for (year, december) in [(YEAR - 1, last_december_wan), (YEAR, this_december)] {
        let mut prev = 0;
        for (i, share) in SHARE.iter().enumerate() {
            let month = i as u32 + 1;
            let value = if month == 12 {
                december
            } else {
                (december * (share + rng.range(-8, 8)) / 1000).max(prev + 1)
            };
            prev = value;
            out.push(FaiRow {
                division_code: division.into(),
                year,
                month,
                cumulative: Money::from_wan(value),
            });
        }
    }
    out
}

// ---------------------------------------------------------------- delivery confidence

/// The responsible leaders' delivery-confidence ratings of the last three months, for every
/// lit project with a leader. Most agree with the project's light; about one in ten leaders
/// is surer than the rules (a red project rated 黄 or better), and a few see a risk the rules
/// do not (a green project rated 黄 or worse).
pub(crate) fn confidence(d: &District, seed: u64, projects: &[ProjectBundle], as_of: NaiveDate) -> Vec<ConfidenceRow> {
    use zhantu_domain::confidence::Confidence::{self, *};
    use zhantu_domain::lights::Light;
    let mut rng = Rng::derive(seed, crate::rng::stream::CONFIDENCE, 0);
    let mut out = Vec::new();
    for b in projects {
        let (Some(leader), Some((light, _))) = (b.project.leader_id, &b.light) else {
            continue;
        };
        let Some(who) = d.people.iter().find(|p| p.id == leader) else {
            continue;
        };
        let open = b
            .nodes
            .iter()
            .find(|n| n.actual_on.is_none())
            .map(|n| n.name.as_str())
            .unwrap_or("后续节点");
        for back in (0..3u32).rev() {
            let m = as_of.month0() as i32 - back as i32;
            let (year, month) = if m < 0 {
                (as_of.year() - 1, (m + 13) as u32)
            } else {
                (as_of.year(), m as u32 + 1)
            };
            let level: Confidence = match light {
                Light::Red if rng.percent(12) => *rng.pick(&[Amber, AmberGreen]),
                Light::Red => *rng.pick(&[AmberRed, AmberRed, Red]),
                Light::Yellow if rng.percent(5) => *rng.pick(&[Green, Red]),
                Light::Yellow => *rng.pick(&[AmberGreen, Amber, Amber, AmberRed]),
                Light::Green if rng.percent(6) => Amber,
                Light::Green => *rng.pick(&[Green, Green, AmberGreen]),
            };
            let reason = match level {
                Green => format!("各节点按计划推进，要素保障到位，{open}可按期完成"),
                AmberGreen => format!("总体可控，{open}需持续跟进"),
                Amber => format!("{open}存在困难，已提请协调，本月可望解决"),
                AmberRed => format!("{open}滞后，需区级层面协调要素保障"),
                Red => format!("{open}难以按期完成，建议调整年度计划"),
            };
            let next = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
            let last = NaiveDate::from_ymd_opt(next.0, next.1, 1)
                .and_then(|d| d.pred_opt())
                .unwrap_or(as_of);
            out.push(ConfidenceRow {
                project_id: b.project.id,
                month: format!("{year:04}-{month:02}"),
                level,
                reason,
                rated_by: who.name.clone(),
                rated_on: last.min(as_of),
            });
        }
    }
    out
}

// ---------------------------------------------------------------- enterprise support

/// The seed's refund: 2,053 industrial firms paid back about 1.38亿元 of their 2018
/// social-insurance contributions.
pub(crate) const REFUND_FIRMS: i64 = 2053;
pub(crate) const REFUND_YUAN: i64 = 137_962_480;

/// The year's burden reductions by policy (元): 28.1亿元 in all, the seed's "28亿元以上".
const REDUCTIONS: &[(&str, &str, i64)] = &[
    ("减税降费（增值税改革、小微企业普惠性减税）", "财政", 1_864_000_000),
    ("降低社会保险费率", "人社", 391_500_000),
    ("降低用电用气成本", "经信", 228_700_000),
    ("降低融资成本（转贷、贴息）", "金融", 152_300_000),
    ("降低物流成本", "交通", 93_600_000),
    ("涉企收费清理与房租减免", "发改", 79_900_000),
];

/// The enterprise-support ledger of the year: the social-insurance refund paid through each
/// street and town (firms and amounts adding up to the seed's), and the burden reductions by
/// policy through the department that carried each out.
pub(crate) fn support(d: &District, seed: u64) -> Vec<SupportLineRow> {
    use zhantu_domain::support::SupportKind;
    let mut rng = Rng::derive(seed, crate::rng::stream::ACTIVITY, 9);
    let streets: Vec<i64> = d.streets.iter().map(|s| s.unit_id).collect();
    let mut out = Vec::new();
    if !streets.is_empty() {
        let weights: Vec<i64> = streets.iter().map(|_| 5 + rng.below(20) as i64).collect();
        let total: i64 = weights.iter().sum();
        let (mut firms_left, mut yuan_left) = (REFUND_FIRMS, REFUND_YUAN);
        for (i, (unit, w)) in streets.iter().zip(&weights).enumerate() {
            let last = i + 1 == streets.len();
            let firms = if last { firms_left } else { REFUND_FIRMS * w / total };
            let yuan = if last { yuan_left } else { REFUND_YUAN * w / total / 100 * 100 };
            firms_left -= firms;
            yuan_left -= yuan;
            out.push(SupportLineRow {
                kind: SupportKind::Refund,
                policy: "社保费返还（2018年实缴）".into(),
                unit_id: *unit,
                firms,
                amount: Money::from_yuan(yuan),
                granted_on: ymd(YEAR, 9, 10 + (i as u32 % 15)),
                document: "台州市稳企业稳就业社保费返还政策".into(),
            });
        }
    }
    for (i, (policy, dept, yuan)) in REDUCTIONS.iter().enumerate() {
        out.push(SupportLineRow {
            kind: SupportKind::Reduction,
            policy: (*policy).into(),
            unit_id: d.dept(dept),
            firms: 0,
            amount: Money::from_yuan(*yuan),
            granted_on: ymd(YEAR, 12, 20 + i as u32),
            document: "年度减负降本政策落实情况统计".into(),
        });
    }
    out
}

// ---------------------------------------------------------------- results after operation

/// Promises at signing and results after operation (亩均效益、达产): every industrial or
/// commercial project at 投产 promised 达产 the year after it was completed and reports its
/// years from then to 2019, about seven in ten at or above the promise; the projects of signed
/// leads still being built carry their promise (达产 three years after signing) with no results
/// yet. Promises near the 标准地 benchmarks: 亩均税收 25–40万元, 亩均产值 350–600万元.
/// Drawn from a stream of its own, so no other record moves.
pub(crate) fn results(seed: u64, projects: &[ProjectBundle], leads: &[LeadRow]) -> Vec<zhantu_domain::dataset::ResultsRow> {
    use zhantu_domain::results::{Promise, YearResult};
    const RESULTS_STREAM: u64 = 101;
    let scale = |m: Money, pct: i64| Money::from_yuan(m.yuan() * pct / 100);
    let mut out = Vec::new();
    for b in projects {
        let p = &b.project;
        if !matches!(p.project_type.as_str(), "industrial" | "commercial") || p.stage == Stage::Terminated {
            continue;
        }
        let signed = leads
            .iter()
            .find(|l| l.project_id == Some(p.id) && matches!(l.stage, LeadStage::Signed | LeadStage::Landed));
        let operating = p.stage == Stage::Operating;
        if !operating && signed.is_none() {
            continue;
        }
        let mut rng = Rng::derive(seed, RESULTS_STREAM, p.id as u64);
        // Land in 亩 (a plot of about 1亩 per 400万元 of investment where none is recorded).
        let mu = match p.land_area {
            Some(a) if a.centi_mu() >= 100 => a.centi_mu() / 100,
            _ => (p.total_investment.yuan() / 4_000_000).clamp(10, 500),
        };
        let output = Money::from_wan(mu * rng.range(350, 600));
        let tax = Money::from_wan(mu * rng.range(25, 40));
        let full_production_year = if operating {
            p.completed_on.map(|d| chrono::Datelike::year(&d) + 1).unwrap_or(YEAR).min(YEAR)
        } else {
            signed
                .and_then(|l| l.signed_on)
                .map(|d| chrono::Datelike::year(&d) + 3)
                .unwrap_or(YEAR + 2)
        };
        let promise = Promise {
            output,
            tax,
            jobs: mu * rng.range(15, 30) / 10,
            energy_tce: output.yuan() / 10_000 * rng.range(3, 8) / 100,
            full_production_year,
            investment_per_mu: p
                .land_area
                .filter(|a| a.centi_mu() > 0)
                .map(|a| Money::from_yuan(p.total_investment.yuan() * 100 / a.centi_mu())),
        };
        let mut years = Vec::new();
        if operating {
            let meets = rng.percent(70);
            for year in full_production_year.max(YEAR - 1)..=YEAR {
                // The year before the last runs a little behind.
                let ramp = if year < YEAR { 10 } else { 0 };
                let (out_pct, tax_pct) = if meets {
                    (rng.range(100, 125) - ramp, rng.range(100, 130) - ramp)
                } else {
                    (rng.range(75, 98) - ramp, rng.range(70, 105) - ramp)
                };
                years.push(YearResult {
                    year,
                    output: scale(promise.output, out_pct),
                    tax: scale(promise.tax, tax_pct),
                    jobs: promise.jobs * rng.range(85, 115) / 100,
                    energy_tce: promise.energy_tce * rng.range(80, 110) / 100,
                });
            }
        }
        out.push(zhantu_domain::dataset::ResultsRow {
            project_id: p.id,
            promise,
            years,
        });
    }
    out
}

/// A few dependencies with lags, so the demo's critical path shows them (前置节点 + 间隔): in
/// the first three projects (by id) whose plan has a node done followed by two open nodes
/// still ahead of `as_of`, the first open node waits 5 working days after the node done, and
/// the next 10 after it. No predecessor named is open and overdue, so no light or reason
/// changes (a reason names only an overdue predecessor): the scenario's figures stay.
pub fn dependencies(projects: &[ProjectBundle], as_of: NaiveDate) -> Vec<zhantu_domain::critical_path::Link> {
    use zhantu_domain::critical_path::Link;
    let mut out = Vec::new();
    let mut ordered: Vec<&ProjectBundle> = projects.iter().collect();
    ordered.sort_by_key(|b| b.project.id);
    for b in ordered {
        let mut nodes: Vec<_> = b.nodes.iter().collect();
        nodes.sort_by_key(|n| (n.seq, n.id));
        let found = nodes.windows(3).find(|w| {
            w[0].actual_on.is_some()
                && matches!(w[0].status, NodeStatus::Closed)
                && [w[1], w[2]]
                    .iter()
                    .all(|n| n.actual_on.is_none() && n.status == NodeStatus::Open && n.planned_on > as_of)
        });
        if let Some(w) = found {
            out.push(Link {
                node_id: w[1].id,
                depends_on_id: w[0].id,
                lag_days: 5,
            });
            out.push(Link {
                node_id: w[2].id,
                depends_on_id: w[1].id,
                lag_days: 10,
            });
            if out.len() >= 6 {
                break;
            }
        }
    }
    out
}
