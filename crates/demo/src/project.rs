//! Projects: a small description of a project's fate ([`ProjectSpec`]) and the builder
//! that turns it into a full [`ProjectBundle`] — nodes from the type's template with
//! planned and actual dates, the stage history those dates imply, annual plans, the
//! year's monthly investment, monthly progress reports and the warning lights. Both the
//! scenario and the synthetic generator describe projects this way; only the builder
//! makes dates, so a project's stage, start date and nodes always agree.

use crate::district::{District, Kind, Owner, Role, add_days, ymd};
use crate::names::{self, Manufacture, NameBook};
use crate::rng::Rng;
use chrono::{Datelike, NaiveDate};
use zhantu_domain::dataset::{ProjectBundle, ReportRow, StageChangeRow};
use zhantu_domain::lights::{self, LightRules, LitReason};
use zhantu_domain::model::{Node, NodeStatus, Project, ReportPeriod};
use zhantu_domain::{LandArea, Money, ProjectCode, Stage};

/// The year whose months carry investment and reports (the demo district's year).
pub(crate) const YEAR: i32 = 2019;

/// When the project reaches 开工.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StartFate {
    /// When its plan and luck say, if that is on or before the as-of date.
    Auto,
    /// On this date (the scenario's batches and category targets).
    On(NaiveDate),
    /// Not by the as-of date: the 开工 node stays open.
    NotYet,
}

/// A node that sticks open, so the project shows a light.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stall {
    None,
    /// A node due within a week or a few days late stays open.
    Yellow,
    /// A node more than two weeks overdue stays open.
    Red,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PinActual {
    Open,
    On(NaiveDate),
}

/// A fixed date of one named node (the article's named projects).
#[derive(Debug, Clone)]
pub(crate) struct Pin {
    pub step: &'static str,
    pub planned: Option<NaiveDate>,
    pub actual: PinActual,
}

#[derive(Debug, Clone)]
pub(crate) struct ProjectSpec {
    pub name: String,
    pub kind: Kind,
    pub unit_id: i64,
    pub leader_id: i64,
    pub industry: &'static str,
    /// Index into the district's streets.
    pub street: usize,
    pub location: String,
    pub land: Option<LandArea>,
    pub total: Money,
    pub investor: String,
    pub foreign_usd_cents: Option<i64>,
    pub planned_year: i32,
    /// Planned 开工 date; the other nodes are planned around it.
    pub planned_start: NaiveDate,
    /// Percentage applied to the durations of the construction steps.
    pub pace: i64,
    pub start: StartFate,
    pub stall: Stall,
    /// Withdrawn from the pool (退库).
    pub terminated: bool,
    /// The year's planned investment, when the scenario fixes it.
    pub plan_year: Option<Money>,
    pub pins: Vec<Pin>,
    pub categories: Vec<(i64, i32)>,
    pub description: String,
    /// The attraction team that brought the project in.
    pub team: Option<i64>,
    pub source_region: &'static str,
}

impl ProjectSpec {
    pub fn tag(&mut self, category_id: i64, year: i32) {
        if !self.categories.contains(&(category_id, year)) {
            self.categories.push((category_id, year));
        }
    }
}

/// How an industrial project is named and which industries it may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Any,
    /// 千亿产业培育工程: one of the district's big manufacturing chains.
    Trillion,
    /// 产业数字化: a digital retrofit of an existing plant.
    Digital,
}

const SOURCE_REGIONS: &[&str] = &[
    "上海",
    "杭州",
    "宁波",
    "深圳",
    "北京",
    "江苏苏州",
    "广东广州",
    "台州本地",
    "温州",
    "香港",
    "台湾",
    "日本",
    "德国",
];

/// 万元 amounts drawn from tiers: (weight, low, high).
fn draw_wan(rng: &mut Rng, tiers: &[(u32, i64, i64)]) -> i64 {
    let w: Vec<u32> = tiers.iter().map(|t| t.0).collect();
    let (_, lo, hi) = tiers[rng.weighted(&w)];
    let v = rng.range(lo, hi);
    if v >= 10_000 { v / 100 * 100 } else { v / 10 * 10 }
}

pub(crate) fn random_total_wan(rng: &mut Rng, kind: Kind) -> i64 {
    match kind {
        Kind::Industrial => draw_wan(
            rng,
            &[
                (55, 5_000, 20_000),
                (30, 20_000, 50_000),
                (12, 50_000, 120_000),
                (3, 120_000, 300_000),
            ],
        ),
        Kind::Commercial => draw_wan(rng, &[(40, 10_000, 50_000), (40, 50_000, 150_000), (20, 150_000, 300_000)]),
        Kind::Government => draw_wan(rng, &[(50, 3_000, 20_000), (35, 20_000, 60_000), (15, 60_000, 150_000)]),
        Kind::Social => draw_wan(rng, &[(50, 8_000, 30_000), (40, 30_000, 80_000), (10, 80_000, 150_000)]),
        Kind::Infrastructure => draw_wan(rng, &[(40, 10_000, 50_000), (40, 50_000, 150_000), (20, 150_000, 400_000)]),
    }
}

/// Land for a project of this size (industrial plots are sold by investment intensity).
pub(crate) fn land_for(rng: &mut Rng, kind: Kind, total_wan: i64) -> Option<LandArea> {
    let per_mu = match kind {
        Kind::Industrial => rng.range(450, 900),
        Kind::Commercial => rng.range(900, 2_000),
        _ => return None,
    };
    let centi = (total_wan * 100 / per_mu).clamp(800, 26_000);
    Some(LandArea::from_centi_mu(centi / 10 * 10))
}

fn street_weights(d: &District, kind: Kind) -> Vec<u32> {
    if d.streets.len() != 9 {
        // Another county of a generated province: its streets and towns alike.
        return vec![10; d.streets.len()];
    }
    // Streets in code order: 海门 白云 葭沚 洪家 三甲 下陈 前所 章安 大陈镇.
    let w: [u32; 9] = match kind {
        Kind::Industrial => [6, 6, 10, 16, 14, 16, 14, 12, 1],
        Kind::Commercial => [16, 16, 14, 8, 8, 8, 6, 8, 8],
        Kind::Government | Kind::Social => [14, 14, 12, 12, 10, 12, 10, 10, 3],
        Kind::Infrastructure => [10, 10, 12, 14, 12, 12, 12, 12, 4],
    };
    w.to_vec()
}

/// Who builds a public work: a state enterprise, which is also its investor, or a unit
/// building for the government.
enum PublicOwner {
    Soe(&'static str),
    Unit(i64),
}

impl PublicOwner {
    /// The responsible unit and the investor.
    fn unit_and_investor(self, d: &District) -> (i64, String) {
        match self {
            PublicOwner::Soe(key) => (d.soe(key), d.soe_full_name(key).to_string()),
            PublicOwner::Unit(unit) => (unit, d.government.clone()),
        }
    }
}

/// A project of the given kind with invented but plausible particulars; the caller sets
/// its timing (`planned_year`, `planned_start`, `start`, …) and categories.
pub(crate) fn draft(d: &District, rng: &mut Rng, kind: Kind, flavour: Flavour, book: &mut NameBook) -> ProjectSpec {
    let street = rng.weighted(&street_weights(d, kind));
    let street_name = d.streets[street].name;
    let street_unit = d.streets[street].unit_id;
    let brand = names::brand(rng);
    let place = *rng.pick(names::PLACES);
    let road = *rng.pick(names::ROADS);
    let river = *rng.pick(names::RIVERS);
    // A name pattern with its {place}, {brand}, {road}, {river} and {street} drawn above.
    let fill = |pattern: &str| {
        pattern
            .replace("{place}", place)
            .replace("{brand}", &brand)
            .replace("{road}", road)
            .replace("{river}", river)
            .replace("{street}", street_name)
    };
    let mut total = random_total_wan(rng, kind);
    let mut team = None;
    let mut source_region = "";
    let (name, industry, unit_id, investor, description): (String, &'static str, i64, String, String);
    match kind {
        Kind::Industrial => {
            let pool: Vec<&Manufacture> = names::MANUFACTURES
                .iter()
                .filter(|m| flavour != Flavour::Trillion || names::is_trillion_industry(m.industry))
                .collect();
            let m = *rng.pick(&pool);
            let firm_short = format!("{brand}{}", m.trade);
            name = match flavour {
                Flavour::Digital => match rng.below(3) {
                    0 => format!("{firm_short}{}智能化技术改造项目", m.product),
                    1 => format!("{firm_short}数字化车间建设项目"),
                    _ => format!("{firm_short}“未来工厂”数字化改造项目"),
                },
                _ => match rng.below(4) {
                    0 => {
                        let q = if m.capacity_unit == "吨" {
                            rng.range(5, 80) * 50
                        } else {
                            rng.range(2, 60) * 5
                        };
                        format!("{firm_short}年产{q}{}{}项目", m.capacity_unit, m.product)
                    }
                    1 => format!("{firm_short}{}智能制造基地项目", m.product),
                    2 => format!("{firm_short}{}扩产项目", m.product),
                    _ => format!("{firm_short}新厂区建设项目"),
                },
            };
            industry = m.industry;
            unit_id = match rng.below(10) {
                0..=6 => street_unit,
                7 | 8 => d.dept("经信"),
                _ => d.dept("投促"),
            };
            investor = names::firm(rng, &brand, m.trade);
            let output = (total * rng.range(12, 25) / 10 / 10_000).max(1);
            description = if flavour == Flavour::Digital {
                format!(
                    "对现有{}生产线实施数字化、智能化改造，建设工业互联网平台和智能仓储系统。",
                    m.product
                )
            } else {
                format!("新建{}生产线及配套用房，达产后预计年产值约{output}亿元。", m.product)
            };
            team = Some(*rng.pick(&d.teams));
            source_region = *rng.pick(SOURCE_REGIONS);
        }
        Kind::Commercial => {
            const SUBJECTS: &[(&str, &str, &str)] = &[
                ("7222", "{place}{brand}广场项目", "商业综合体、写字楼及地下停车场"),
                ("7222", "{brand}商业综合体项目", "购物中心、精品酒店及商业街"),
                ("6110", "{brand}国际酒店项目", "五星级标准酒店及会议中心"),
                ("7869", "{place}文旅小镇项目", "文化旅游街区、民宿及配套设施"),
                ("9030", "大陈岛{place}海洋旅游项目", "海岛度假酒店、游客中心及海洋休闲设施"),
                ("7211", "{brand}总部大楼项目", "企业总部办公楼及配套商业"),
                ("8053", "{place}康养综合体项目", "康养中心、养生公寓及配套用房"),
                ("5211", "{place}商贸中心项目", "商贸市场、仓储物流及配套用房"),
            ];
            let (ind, pattern, content) = *rng.pick(SUBJECTS);
            // The island project belongs to 大陈镇; a county without it builds on land.
            let dachen = d.find_street("大陈镇");
            let island = pattern.starts_with("大陈岛") && dachen.is_some();
            let street = if island { dachen.unwrap_or(street) } else { street };
            let pattern = if dachen.is_none() {
                pattern.trim_start_matches("大陈岛")
            } else {
                pattern
            };
            name = fill(pattern);
            industry = ind;
            unit_id = match rng.below(20) {
                _ if island => d.soe("旅游"),
                0..=9 => d.streets[street].unit_id,
                10..=14 => d.dept("商务"),
                15..=17 => d.dept("文旅"),
                _ => d.dept("投促"),
            };
            let trade = *rng.pick(&["置业", "文旅发展", "商业管理", "酒店管理", "健康产业"]);
            investor = format!("{}{brand}{trade}有限公司", rng.pick(&["浙江", "台州", "上海", "台州市椒江"]));
            description = format!("建设{content}。");
            team = Some(*rng.pick(&d.teams));
            source_region = *rng.pick(SOURCE_REGIONS);
            let spec = finish(
                d,
                rng,
                kind,
                name,
                industry,
                street,
                unit_id,
                total,
                investor,
                description,
                team,
                source_region,
                book,
            );
            return spec;
        }
        Kind::Government => {
            const SUBJECTS: &[(&str, &str, &str)] = &[
                ("4710", "{place}安置小区工程", "安置住宅及配套公建"),
                ("7850", "{place}公园提升改造工程", "公园景观、绿道及配套设施提升"),
                ("4620", "{place}污水处理厂提标改造工程", "污水处理提标改造及配套管网"),
                ("7810", "{place}片区市政配套工程", "片区道路、管线及市政配套"),
                ("4822", "{river}综合整治工程", "河道清淤、护岸及两岸景观"),
                ("4790", "{street}社区服务中心工程", "社区综合服务用房"),
                ("7850", "{river}滨水绿道工程", "滨水绿道及景观节点"),
            ];
            let (ind, pattern, content) = *rng.pick(SUBJECTS);
            name = fill(pattern);
            industry = ind;
            let water = matches!(ind, "4620" | "4822");
            let owner = match rng.below(20) {
                _ if water => PublicOwner::Soe("水务"),
                0..=7 => PublicOwner::Soe("城投"),
                8..=11 => PublicOwner::Unit(d.dept("住建")),
                _ => PublicOwner::Unit(street_unit),
            };
            (unit_id, investor) = owner.unit_and_investor(d);
            description = format!("建设{content}，政府投资。");
        }
        Kind::Social => {
            const SUBJECTS: &[(&str, &str, &str, &str)] = &[
                (
                    "8334",
                    "椒江区{place}高级中学新建工程",
                    "教育",
                    "高中部教学楼、实验楼、体育馆及宿舍",
                ),
                ("8331", "{place}中学新建工程", "教育", "初中部教学综合楼及运动场"),
                ("8321", "{place}小学扩建工程", "教育", "教学楼扩建及操场改造"),
                ("8421", "{street}社区卫生服务中心迁建工程", "卫健", "社区卫生服务中心业务用房"),
                ("8411", "区人民医院{place}院区医疗综合楼工程", "卫健", "门急诊、医技及住院综合楼"),
                ("8514", "{place}居家养老服务中心工程", "卫健", "居家养老服务用房"),
                ("8831", "{place}文化中心工程", "文旅", "图书馆、文化馆及剧场"),
            ];
            let (ind, pattern, dept, content) = *rng.pick(SUBJECTS);
            name = fill(pattern).replace("椒江区", d.name);
            industry = ind;
            let owner = if rng.percent(30) {
                PublicOwner::Soe("城投")
            } else {
                PublicOwner::Unit(d.dept(dept))
            };
            (unit_id, investor) = owner.unit_and_investor(d);
            description = format!("建设{content}。");
        }
        Kind::Infrastructure => {
            const SUBJECTS: &[(&str, &str, &str)] = &[
                ("4813", "{road}（{place}段）改建工程", "道路拓宽改建及管线迁改"),
                ("4812", "{road}快速化改造工程", "主线高架、辅道及互通立交"),
                ("4819", "{river}大桥工程", "跨河桥梁及接线道路"),
                ("4823", "{place}港区码头工程", "泊位、堆场及疏港道路"),
                ("4813", "{road}断头路打通工程", "打通断头路并完善交叉口"),
                ("4813", "{place}片区路网工程", "片区路网及配套排水管网"),
            ];
            let (ind, pattern, content) = *rng.pick(SUBJECTS);
            name = fill(pattern);
            industry = ind;
            let owner = match rng.below(10) {
                0..=4 => PublicOwner::Soe("交投"),
                5..=7 => PublicOwner::Unit(d.dept("交通")),
                _ => PublicOwner::Soe("城投"),
            };
            (unit_id, investor) = owner.unit_and_investor(d);
            description = format!("建设{content}。");
            total = total.max(8_000);
        }
    }
    finish(
        d,
        rng,
        kind,
        name,
        industry,
        street,
        unit_id,
        total,
        investor,
        description,
        team,
        source_region,
        book,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    d: &District,
    rng: &mut Rng,
    kind: Kind,
    name: String,
    industry: &'static str,
    street: usize,
    unit_id: i64,
    total_wan: i64,
    investor: String,
    description: String,
    team: Option<i64>,
    source_region: &'static str,
    book: &mut NameBook,
) -> ProjectSpec {
    let location = names::location(rng, d.streets[street].name);
    let land = land_for(rng, kind, total_wan);
    let size_pace = if total_wan > 100_000 { 25 } else { 0 };
    ProjectSpec {
        name: book.claim(name),
        kind,
        unit_id,
        leader_id: d.leader_for(kind, rng),
        industry,
        street,
        location,
        land,
        total: Money::from_wan(total_wan),
        investor,
        foreign_usd_cents: None,
        planned_year: YEAR,
        planned_start: ymd(YEAR + 1, 6, 30),
        pace: rng.range(80, 150) + size_pace,
        start: StartFate::NotYet,
        stall: Stall::None,
        terminated: false,
        plan_year: None,
        pins: Vec::new(),
        categories: Vec::new(),
        description,
        team,
        source_region,
    }
}

/// Days a done node finishes after (positive) or before its plan.
fn slip(rng: &mut Rng) -> i64 {
    match rng.below(100) {
        0..=54 => -rng.range(1, 12),
        55..=85 => 0,
        86..=93 => rng.range(1, 10),
        _ => rng.range(15, 45),
    }
}

/// Days 开工 happens after its plan, when left to chance.
fn start_slip(rng: &mut Rng) -> i64 {
    match rng.below(100) {
        0..=59 => rng.range(-5, 0),
        60..=84 => rng.range(1, 30),
        _ => rng.range(31, 150),
    }
}

fn month_start(y: i32, m: u32) -> NaiveDate {
    ymd(y, m, 1)
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    if m == 12 { ymd(y, 12, 31) } else { add_days(ymd(y, m + 1, 1), -1) }
}

fn md(d: NaiveDate) -> String {
    format!("{}月{}日", d.month(), d.day())
}

/// Builds bundles, handing out node and report ids.
pub(crate) struct Builder<'a> {
    pub district: &'a District,
    pub as_of: NaiveDate,
    pub rules: LightRules,
    pub next_node_id: i64,
    pub next_report_id: i64,
}

impl<'a> Builder<'a> {
    pub fn new(district: &'a District, as_of: NaiveDate) -> Builder<'a> {
        Builder {
            district,
            as_of,
            rules: LightRules::default(),
            next_node_id: 1,
            next_report_id: 1,
        }
    }

    fn entry_date(&self, spec: &ProjectSpec, rng: &mut Rng) -> NaiveDate {
        let lo = ymd(spec.planned_year, 1, 4);
        let mut hi = ymd(spec.planned_year, 12, 20)
            .min(add_days(spec.planned_start, -150))
            .min(add_days(self.as_of, -7));
        if let StartFate::On(d) = spec.start {
            hi = hi.min(add_days(d, -100));
        }
        for pin in &spec.pins {
            if let PinActual::On(d) = pin.actual {
                hi = hi.min(add_days(d, -60));
            }
        }
        if hi <= lo {
            lo
        } else {
            add_days(lo, rng.range(0, (hi - lo).num_days()))
        }
    }

    pub fn build(&mut self, spec: &ProjectSpec, id: i64, rng: &mut Rng) -> ProjectBundle {
        let d = self.district;
        let as_of = self.as_of;
        let steps = spec.kind.steps();
        let n = steps.len();
        let k = spec.kind.start_index();
        let pin = |i: usize| spec.pins.iter().find(|p| p.step == steps[i].name);
        let entry = self.entry_date(spec, rng);

        // Plan: 开工 on the planned start, approvals before it (squeezed when the project
        // entered the pool late), construction after it at the project's pace.
        let mut planned = vec![spec.planned_start; n];
        let pre_span: i64 = steps[1..=k].iter().map(|s| s.offset_days as i64).sum();
        let room = (spec.planned_start - entry).num_days() - 3;
        for i in (0..k).rev() {
            let off = steps[i + 1].offset_days as i64;
            let off = if room < pre_span {
                (off * room.max(0) / pre_span.max(1)).max(1)
            } else {
                off
            };
            planned[i] = add_days(planned[i + 1], -off);
            if let Some(p) = pin(i).and_then(|p| p.planned) {
                planned[i] = p;
            }
        }
        for i in k + 1..n {
            planned[i] = add_days(planned[i - 1], steps[i].offset_days as i64 * spec.pace / 100);
            if let Some(p) = pin(i).and_then(|p| p.planned) {
                planned[i] = p;
            }
        }

        // Fixed facts: the start date, pinned dates; earlier nodes must finish before them.
        let mut fixed: Vec<Option<NaiveDate>> = vec![None; n];
        let mut forced_open = vec![false; n];
        match spec.start {
            StartFate::On(date) => fixed[k] = Some(date),
            StartFate::NotYet => forced_open[k] = true,
            StartFate::Auto => {}
        }
        for (i, s) in steps.iter().enumerate() {
            if let Some(p) = spec.pins.iter().find(|p| p.step == s.name) {
                match p.actual {
                    PinActual::On(date) => fixed[i] = Some(date),
                    PinActual::Open => forced_open[i] = true,
                }
            }
        }
        let mut upper: Vec<Option<NaiveDate>> = vec![None; n];
        let mut next_fixed: Option<(usize, NaiveDate)> = None;
        for i in (0..n).rev() {
            if let Some((j, date)) = next_fixed {
                upper[i] = Some(add_days(date, -2 * (j - i) as i64));
            }
            if let Some(date) = fixed[i] {
                next_fixed = Some((i, date));
            }
        }
        let last_fixed = fixed.iter().rposition(|f| f.is_some());

        // A stalled node stays open so the project shows a light: for red, the latest node
        // that fell due two weeks to four months ago; for yellow, the next node (due within
        // three months), its plan brought into the week around the as-of date.
        let may_stall = |i: usize| {
            let allowed = match spec.start {
                StartFate::On(_) => i > k,
                StartFate::NotYet => i <= k,
                StartFate::Auto => true,
            };
            allowed && last_fixed.is_none_or(|j| i > j) && !forced_open[i]
        };
        let stall_at = match spec.stall {
            Stall::None => None,
            Stall::Red => {
                let (lo, hi) = (add_days(as_of, -120), add_days(as_of, -15));
                (0..n).rev().find(|&i| may_stall(i) && lo <= planned[i] && planned[i] <= hi)
            }
            Stall::Yellow => {
                let (lo, hi) = (add_days(as_of, -12), add_days(as_of, 6));
                let next = (0..n).find(|&i| may_stall(i) && planned[i] >= lo && planned[i] <= add_days(as_of, 90));
                if let Some(i) = next
                    && planned[i] > hi
                {
                    // Not on the as-of day itself: due soon or a few days late.
                    let offset = if rng.percent(50) { rng.range(-10, -1) } else { rng.range(1, 6) };
                    planned[i] = add_days(as_of, offset).max(if i > 0 { planned[i - 1] } else { lo });
                }
                next
            }
        };
        let mut actual: Vec<Option<NaiveDate>> = vec![None; n];
        let mut prev = entry;
        for i in 0..n {
            if stall_at == Some(i) || forced_open[i] {
                break;
            }
            let a = match fixed[i] {
                Some(date) => date,
                None => {
                    let s = if i == k { start_slip(rng) } else { slip(rng) };
                    let mut a = add_days(planned[i], s);
                    if let Some(u) = upper[i] {
                        a = a.min(u);
                    }
                    a.max(prev)
                }
            };
            if a > as_of {
                break;
            }
            actual[i] = Some(a);
            prev = a;
        }
        let terminated_on = spec.terminated.then(|| {
            add_days(prev.max(entry), rng.range(40, 200))
                .min(add_days(as_of, -3))
                .max(add_days(entry, 1))
        });

        // The stage history the dates imply.
        let mut events: Vec<(Stage, NaiveDate, String)> = vec![(Stage::Planning, entry, "纳入重大项目谋划清单".into())];
        let first_done = actual.iter().flatten().next().copied();
        let mut reserve_on = add_days(entry, rng.range(15, 60));
        if let Some(f) = first_done {
            reserve_on = reserve_on.min(f);
        }
        if let Some(t) = terminated_on {
            reserve_on = reserve_on.min(t);
        }
        if reserve_on <= as_of {
            events.push((Stage::Reserve, reserve_on, "列入区重大项目储备库".into()));
        }
        let mut preparing = false;
        let mut started_at = None;
        for (i, s) in steps.iter().enumerate() {
            let Some(a) = actual[i] else { continue };
            match s.role {
                Role::Sign => events.push((Stage::Signed, a, "签订投资协议".into())),
                Role::Register | Role::Approval if i < k && !preparing => {
                    preparing = true;
                    events.push((Stage::Preparation, a, format!("进入前期：完成{}", s.name)));
                }
                Role::Start => {
                    events.push((Stage::Started, a, "开工建设".into()));
                    started_at = Some(events.len());
                }
                Role::Complete => events.push((Stage::Completed, a, "竣工验收".into())),
                Role::Operate => events.push((Stage::Operating, a, s.name.to_string())),
                _ => {}
            }
        }
        if let Some(pos) = started_at {
            let start = events[pos - 1].1;
            let limit = events.get(pos).map(|e| e.1).unwrap_or(as_of);
            let c = add_days(start, rng.range(20, 40));
            if c < limit || (c == limit && pos == events.len()) {
                events.insert(pos, (Stage::Construction, c, "转入在建".into()));
            }
        }
        if let Some(t) = terminated_on {
            let reason = *rng.pick(&["投资方投资意愿消退", "项目选址调整", "资金未落实", "规划调整"]);
            events.push((
                Stage::Terminated,
                t.max(events.last().map(|e| e.1).unwrap_or(entry)),
                format!("退库：{reason}"),
            ));
        }
        let mut stage_changes = Vec::with_capacity(events.len());
        let mut from = None;
        for (to, on, note) in events {
            stage_changes.push(StageChangeRow { from, to, on, note });
            from = Some(to);
        }
        let stage = from.expect("at least the entry");

        let role_index = |role: Role| steps.iter().position(|s| s.role == role);
        let started_on = actual[k];
        let complete_i = role_index(Role::Complete).expect("every template has 竣工验收");
        let completed_on = actual[complete_i];
        let code = role_index(Role::Register)
            .and_then(|i| actual[i])
            .and_then(|reg| project_code(d.code, spec, id, reg));

        // Nodes with their owners and lights.
        let mut nodes = Vec::with_capacity(n);
        let mut lits: Vec<LitReason> = Vec::new();
        for i in 0..n {
            let unit = match steps[i].owner {
                Owner::Team => spec.team.unwrap_or_else(|| d.dept("投促")),
                Owner::Department(key) => d.dept(key),
                Owner::Street => d.streets[spec.street].unit_id,
                Owner::ProjectUnit => spec.unit_id,
            };
            let done = actual[i].is_some();
            let lit = if done || spec.terminated {
                None
            } else {
                lights::node_light(&self.rules, steps[i].name, planned[i], false, as_of)
            };
            let forecast_on = (!done && !spec.terminated && planned[i] < as_of).then(|| add_days(as_of, rng.range(10, 60)));
            nodes.push(Node {
                id: self.next_node_id,
                project_id: id,
                seq: i as i32 + 1,
                name: steps[i].name.to_string(),
                planned_on: planned[i],
                baseline_on: planned[i],
                forecast_on,
                actual_on: actual[i],
                responsible_unit_id: unit,
                responsible_person_id: d.staff_of(unit, id as u64 + i as u64),
                status: if done { NodeStatus::Closed } else { NodeStatus::Open },
                light: lit.as_ref().map(|l| l.light),
                light_reason: lit.as_ref().map(|l| l.reason.clone()),
                version: 1,
            });
            self.next_node_id += 1;
            if let Some(l) = lit {
                lits.push(l);
            }
        }
        let light = (!spec.terminated).then(|| {
            if let Some(l) = lights::start_light(&self.rules, stage, Some(planned[k]), as_of) {
                lits.push(l);
            }
            let w = lights::worst(lits);
            (w.light, w.reason)
        });

        // Money: plans over the construction years, the year's monthly investment.
        let annual_plans = if spec.terminated {
            Vec::new()
        } else {
            let from = started_on.unwrap_or(planned[k]);
            let to = match (started_on, completed_on) {
                (_, Some(c)) => c,
                (Some(_), None) => planned[complete_i].max(add_days(as_of, 120)),
                (None, None) => planned[complete_i],
            };
            annual_plans(spec, from, to, rng)
        };
        let plan_this_year = annual_plans.iter().find(|p| p.0 == YEAR).map(|p| p.1);
        let monthly_investment = match (started_on, plan_this_year) {
            (Some(start), Some(plan)) => monthly_investment(spec, start, completed_on, plan, as_of, rng),
            _ => Vec::new(),
        };

        let project = Project {
            id,
            code,
            name: spec.name.clone(),
            unit_id: spec.unit_id,
            leader_id: Some(spec.leader_id),
            industry_code: Some(spec.industry.to_string()),
            project_type: spec.kind.key().to_string(),
            stage,
            division_code: Some(d.street_code(spec.street).clone()),
            location: spec.location.clone(),
            land_area: spec.land,
            total_investment: spec.total,
            investor: spec.investor.clone(),
            foreign_investment: spec.foreign_usd_cents.is_some(),
            foreign_investment_usd_cents: spec.foreign_usd_cents,
            planned_year: spec.planned_year,
            planned_start_on: Some(planned[k]),
            started_on,
            completed_on,
            in_statistics_on: started_on.map(|s| add_days(s, rng.range(0, 20)).min(as_of)),
            description: spec.description.clone(),
            version: 1,
        };
        let mut bundle = ProjectBundle {
            project,
            categories: spec.categories.clone(),
            annual_plans,
            monthly_investment,
            stage_changes,
            nodes,
            reports: Vec::new(),
            light,
        };
        bundle.reports = self.reports(&bundle, rng);
        bundle
    }

    /// 月报: one per month the project was being worked on (signed, in approvals, under
    /// construction, or completed that month), with the month's investment.
    fn reports(&mut self, b: &ProjectBundle, rng: &mut Rng) -> Vec<ReportRow> {
        let mut out = Vec::new();
        for m in 1..=12u32 {
            let (ms, me) = (month_start(YEAR, m), month_end(YEAR, m));
            if ms > self.as_of {
                break;
            }
            let stage_at = |date: NaiveDate| b.stage_changes.iter().take_while(|c| c.on <= date).last().map(|c| c.to);
            let Some(stage) = stage_at(me) else { continue };
            let changed_this_month = b.stage_changes.iter().any(|c| c.on >= ms && c.on <= me);
            let active = match stage {
                Stage::Signed | Stage::Preparation | Stage::Started | Stage::Construction => true,
                Stage::Completed | Stage::Operating => changed_this_month,
                Stage::Planning | Stage::Reserve | Stage::Terminated => false,
            };
            if !active {
                continue;
            }
            let investment = b.monthly_investment.iter().find(|x| x.1 == m).map(|x| x.2).unwrap_or(Money::ZERO);
            let mut body = format!("{m}月进展：");
            let done: Vec<&str> = b
                .nodes
                .iter()
                .filter(|x| x.actual_on.is_some_and(|a| a >= ms && a <= me))
                .map(|x| x.name.as_str())
                .collect();
            if !done.is_empty() {
                body.push_str(&format!("完成{}节点。", done.join("、")));
            }
            if let Some(next) = b.nodes.iter().find(|x| x.actual_on.is_none_or(|a| a > me)) {
                let late = (me - next.planned_on).num_days();
                let verb = if b.project.started_on.is_some_and(|s| s <= me) {
                    "施工有序推进，下一节点"
                } else {
                    "正在办理"
                };
                if late > 0 {
                    body.push_str(&format!(
                        "{verb}{}（计划{}完成，已滞后{}天），正在协调推进。",
                        next.name,
                        md(next.planned_on),
                        late
                    ));
                } else {
                    body.push_str(&format!("{verb}{}，计划{}完成。", next.name, md(next.planned_on)));
                }
            } else if stage == Stage::Completed || stage == Stage::Operating {
                body.push_str("项目已全部完成。");
            }
            if investment > Money::ZERO {
                body.push_str(&format!("本月完成投资{}。", investment.display_wan()));
            }
            out.push(ReportRow {
                id: self.next_report_id,
                period: ReportPeriod::Month,
                period_start: ms,
                period_end: me,
                body,
                investment,
                submitted_on: ymd(YEAR, m, 24 + rng.range(0, 3) as u32).min(self.as_of),
            });
            self.next_report_id += 1;
        }
        out
    }
}

/// 投资项目统一代码 (pre-2020 shape): year of registration, the district, the industry's
/// two-digit division, 01 审批 / 03 备案, a serial unique per project id.
fn project_code(district: &str, spec: &ProjectSpec, id: i64, registered: NaiveDate) -> Option<ProjectCode> {
    if !(1..1_000_000).contains(&id) {
        return None;
    }
    let kind_code = if spec.kind.is_business() { "03" } else { "01" };
    let serial = (id * 7_919 + 104_729) % 1_000_000;
    let s = format!("{}-{district}-{}-{kind_code}-{serial:06}", registered.year(), &spec.industry[..2]);
    Some(ProjectCode::parse(&s).expect("generated project codes have the national shape"))
}

/// Plans for each year of the construction period (up to the year after the demo
/// year), in whole 万元, summing to less than the total.
fn annual_plans(spec: &ProjectSpec, from: NaiveDate, to: NaiveDate, rng: &mut Rng) -> Vec<(i32, Money)> {
    let total_wan = spec.total.yuan() / 10_000;
    let last_year = to.year().min(YEAR + 1);
    let mut plans: Vec<(i32, i64)> = Vec::new();
    if from.year() <= last_year {
        let weights: Vec<(i32, i64)> = (from.year()..=last_year)
            .map(|y| {
                let (ys, ye) = (ymd(y, 1, 1).max(from), ymd(y, 12, 31).min(to.max(from)));
                let days = (ye - ys).num_days().max(0) + 30;
                // The first year is a ramp-up: half the pace of a full year.
                (y, if y == from.year() { days / 2 } else { days })
            })
            .collect();
        let span: i64 = weights.iter().map(|w| w.1).sum::<i64>() + (to.year() - last_year).max(0) as i64 * 365;
        let budget = total_wan * rng.range(850, 950) / 1000;
        for (y, w) in weights {
            plans.push((y, (budget * w / span).max(1)));
        }
    }
    if let Some(fixed) = spec.plan_year {
        let fixed_wan = fixed.yuan() / 10_000;
        match plans.iter_mut().find(|p| p.0 == YEAR) {
            Some(p) => p.1 = fixed_wan,
            None => plans.push((YEAR, fixed_wan)),
        }
        let others: i64 = plans.iter().filter(|p| p.0 != YEAR).map(|p| p.1).sum();
        let room = total_wan - fixed_wan;
        if others > room {
            for p in plans.iter_mut().filter(|p| p.0 != YEAR) {
                p.1 = p.1 * room.max(0) / others.max(1);
            }
        }
        plans.retain(|p| p.1 > 0);
        plans.sort();
    }
    plans.into_iter().map(|(y, w)| (y, Money::from_wan(w))).collect()
}

/// The demo year's monthly investment: close to the plan (below it for lagging
/// projects), never exactly the plan, spread over the months the project was building.
fn monthly_investment(
    spec: &ProjectSpec,
    start: NaiveDate,
    completed: Option<NaiveDate>,
    plan: Money,
    as_of: NaiveDate,
    rng: &mut Rng,
) -> Vec<(i32, u32, Money)> {
    let months: Vec<u32> = (1..=12u32)
        .filter(|&m| {
            let (ms, me) = (month_start(YEAR, m), month_end(YEAR, m));
            ms <= as_of && start <= me && completed.is_none_or(|c| c >= ms)
        })
        .collect();
    if months.is_empty() {
        return Vec::new();
    }
    let permille = match spec.stall {
        Stall::Red => rng.range(650, 900),
        Stall::Yellow => rng.range(850, 1_000),
        Stall::None => rng.range(930, 1_120),
    };
    // In hundredths of a 万元 (100 元).
    let plan_c = plan.yuan() / 100;
    let mut target = (plan_c * permille / 1000).max(months.len() as i64);
    if target == plan_c {
        target -= 1;
    }
    let weights: Vec<i64> = months.iter().map(|&m| 100 + 6 * m as i64 + rng.range(0, 50)).collect();
    let wsum: i64 = weights.iter().sum();
    let mut out = Vec::with_capacity(months.len());
    let mut given = 0;
    for (i, (&m, &w)) in months.iter().zip(&weights).enumerate() {
        let amount = if i + 1 == months.len() {
            target - given
        } else {
            (target * w / wsum).max(1)
        };
        given += amount;
        out.push((YEAR, m, Money::from_yuan(amount * 100)));
    }
    out
}
