//! Drawing a project's identity for a spec: its name, owner, investor, street, amounts and
//! land, from the district's books and the name lists.

use crate::district::{District, Kind, ymd};
use crate::names::{self, Manufacture, NameBook};
use crate::rng::Rng;
use zhantu_domain::{LandArea, Money};

use super::*;

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
