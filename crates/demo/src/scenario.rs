//! The demo district: 椒江区 as of 2019-12-31, modelled on the seed article
//! (SCENARIO-2019.md). Every figure of the article is a consequence of the records made
//! here — which projects started when, which categories they are on, what each batch
//! member costs — never a stored number; the store computes the figures from them.

use crate::activity::{self, NamedEnterprise, TAG_EAGLE, TAG_GAZELLE, TAG_LITTLE_GIANT, TAG_MANAGEMENT};
use crate::assemble::{Extras, assemble, build_projects};
use crate::district::{District, Kind, LeaderRole, add_days, ymd};
use crate::names::{self, NameBook};
use crate::project::{Flavour, Pin, PinActual, ProjectSpec, Stall, StartFate, YEAR, draft, land_for};
use crate::rng::{Rng, stream};
use chrono::Datelike;
use zhantu_domain::Money;
use zhantu_domain::dataset::Dataset;

/// Projects planned (谋划) in the year.
const PLANNED_IN_YEAR: usize = 188;
/// The batches' totals, in 万元: 363.5亿 in all, 94.1亿 of it planned for the year.
const BATCH_TOTAL_WAN: i64 = 3_635_000;
const BATCH_ANNUAL_WAN: i64 = 941_000;
/// Members per batch (38 in all) and the share of a member's total planned for the year
/// (‰, lower the later in the year it starts).
const BATCH_SIZES: [usize; 5] = [8, 9, 7, 8, 6];
const BATCH_YEAR_SHARE: [(i64, i64); 5] = [(250, 450), (250, 420), (180, 330), (100, 220), (50, 120)];

const NAMED_ENTERPRISES: &[NamedEnterprise] = &[
    NamedEnterprise {
        name: "杰克科技股份有限公司",
        industry: "3553",
        street: "下陈街道",
        tags: &["规上工业企业", "高新技术企业", TAG_EAGLE],
    },
    NamedEnterprise {
        name: "浙江海正药业股份有限公司",
        industry: "2710",
        street: "海门街道",
        tags: &["规上工业企业", "高新技术企业", TAG_EAGLE],
    },
    NamedEnterprise {
        name: "台州泰田机械有限公司",
        industry: "3553",
        street: "洪家街道",
        tags: &["规上工业企业", TAG_LITTLE_GIANT, TAG_MANAGEMENT],
    },
    NamedEnterprise {
        name: "浙江星星冷链集成股份有限公司",
        industry: "3464",
        street: "洪家街道",
        tags: &["规上工业企业", "高新技术企业"],
    },
    NamedEnterprise {
        name: "浙江海正博锐生物制药有限公司",
        industry: "2761",
        street: "海门街道",
        tags: &["高新技术企业"],
    },
    NamedEnterprise {
        name: "浙江晶特光学科技有限公司",
        industry: "3976",
        street: "下陈街道",
        tags: &[],
    },
    NamedEnterprise {
        name: "浙江力鑫真空泵业有限公司",
        industry: "3441",
        street: "三甲街道",
        tags: &["规上工业企业"],
    },
];

/// Cultivation lists of 2019 (the named holders count towards each).
const TAG_QUOTAS: [(&str, usize); 4] = [(TAG_GAZELLE, 8), (TAG_EAGLE, 5), (TAG_LITTLE_GIANT, 6), (TAG_MANAGEMENT, 5)];

/// How much earlier than its actual start a project was planned to start.
fn planned_ahead(rng: &mut Rng) -> i64 {
    if rng.percent(70) { 0 } else { rng.range(3, 35) }
}

fn stall(rng: &mut Rng, red: u64, yellow: u64) -> Stall {
    let r = rng.below(100);
    if r < red {
        Stall::Red
    } else if r < red + yellow {
        Stall::Yellow
    } else {
        Stall::None
    }
}

fn set_total(spec: &mut ProjectSpec, rng: &mut Rng, wan: i64) {
    spec.total = Money::from_wan(wan);
    spec.land = land_for(rng, spec.kind, wan);
}

fn total_wan(spec: &ProjectSpec) -> i64 {
    spec.total.yuan() / 10_000
}

/// Each item repeated its number of times, in order: the mix of a set of projects.
fn repeated<T: Copy>(counts: &[(T, usize)]) -> Vec<T> {
    counts.iter().flat_map(|&(item, n)| std::iter::repeat_n(item, n)).collect()
}

/// Largest-remainder apportionment of `total` units by `weights`.
fn apportion(total: i64, weights: &[i64]) -> Vec<i64> {
    let wsum: i128 = weights.iter().map(|w| *w as i128).sum();
    let mut out: Vec<i64> = weights.iter().map(|w| (total as i128 * *w as i128 / wsum) as i64).collect();
    let mut order: Vec<(i128, usize)> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| (total as i128 * *w as i128 % wsum, i))
        .collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let short = total - out.iter().sum::<i64>();
    for (_, i) in order.iter().take(short as usize) {
        out[*i] += 1;
    }
    out
}

/// One of the article's named projects.
struct Named {
    kind: Kind,
    name: &'static str,
    industry: &'static str,
    street: &'static str,
    total_wan: i64,
    investor: &'static str,
    description: &'static str,
    leader: LeaderRole,
}

impl Named {
    fn spec(&self, d: &District, rng: &mut Rng, book: &mut NameBook) -> ProjectSpec {
        let mut s = draft(d, rng, self.kind, Flavour::Any, book);
        s.name = book.claim(self.name.to_string());
        s.industry = self.industry;
        s.street = d.street_index(self.street);
        s.location = names::location(rng, self.street);
        s.investor = self.investor.into();
        s.description = self.description.into();
        s.leader_id = d.leader(self.leader);
        if self.kind.is_business() {
            s.unit_id = d.streets[s.street].unit_id;
        }
        set_total(&mut s, rng, self.total_wan);
        s
    }
}

pub(crate) fn build(seed: u64) -> Dataset {
    let d = District::new(seed);
    let mut rng = Rng::derive(seed, stream::SPEC, 0);
    let mut book = NameBook::default();
    let cat = |code: &str| d.category(code);
    let mut specs: Vec<ProjectSpec> = Vec::new();
    let mut batch_members: Vec<Vec<i64>> = vec![Vec::new(); 5];
    let next_id = |specs: &Vec<ProjectSpec>| specs.len() as i64 + 1;

    // ---- Continuing projects, planned 2016–2018 and started before the year.
    let continuing = repeated(&[
        (Kind::Industrial, 10),
        (Kind::Commercial, 4),
        (Kind::Government, 7),
        (Kind::Social, 3),
        (Kind::Infrastructure, 6),
    ]);
    let first_continuing = specs.len();
    for (i, kind) in continuing.iter().enumerate() {
        let mut s = draft(&d, &mut rng, *kind, Flavour::Any, &mut book);
        let (year, start) = match i {
            // The two earlier 省重大产业项目 (the article: four in three years).
            0 => (2017, add_days(ymd(2017, 8, 10), rng.range(0, 30))),
            1 => (2018, add_days(ymd(2018, 5, 8), rng.range(0, 30))),
            _ => {
                let year = [2016, 2017, 2018][rng.weighted(&[25, 35, 40])];
                (year, add_days(ymd(year, 3, 1), rng.range(60, 480)).min(ymd(2018, 12, 15)))
            }
        };
        if i < 2 {
            let wan = rng.range(600, 1_200) * 100;
            set_total(&mut s, &mut rng, wan);
            s.tag(cat("prov_major_industry"), year);
        }
        s.planned_year = year;
        s.start = StartFate::On(start);
        s.planned_start = add_days(start, -planned_ahead(&mut rng));
        s.pace = rng.range(80, 170);
        s.stall = stall(&mut rng, 15, 20);
        specs.push(s);
    }
    let continuing_range = first_continuing..specs.len();

    // 华东师大台州附属中学: started end of 2017, structure finished late (a target of the
    // secretary's June supervision), 竣工验收 due early next year — "进入扫尾阶段".
    let mut school = Named {
        kind: Kind::Social,
        name: "华东师大台州附属中学项目",
        industry: "8334",
        street: "洪家街道",
        total_wan: 85_000,
        investor: "椒江区人民政府",
        description: "与华东师范大学合作办学，建设教学楼、实验楼、图书馆、体育馆及学生宿舍，规划办学规模60个班。",
        leader: LeaderRole::Social,
    }
    .spec(&d, &mut rng, &mut book);
    school.unit_id = d.dept("教育");
    school.planned_year = 2017;
    school.start = StartFate::On(ymd(2017, 12, 18));
    school.planned_start = ymd(2017, 12, 10);
    school.pins = vec![
        Pin {
            step: "主体完工",
            planned: Some(ymd(2019, 5, 31)),
            actual: PinActual::On(ymd(2019, 7, 10)),
        },
        Pin {
            step: "竣工验收",
            planned: Some(ymd(2020, 2, 28)),
            actual: PinActual::Open,
        },
    ];
    school.tag(cat("ppp"), YEAR);
    let school_id = next_id(&specs);
    specs.push(school);

    // 城西金融大厦: land sold (摘牌) in the year, start next spring.
    let mut tower = Named {
        kind: Kind::Commercial,
        name: "城西金融大厦项目",
        industry: "7211",
        street: "白云街道",
        total_wan: 180_000,
        investor: "台州城西金融大厦开发有限公司",
        description: "建设集金融机构总部、商务办公和配套商业于一体的城市综合体，培育泛金融、总部经济等城市型产业。",
        leader: LeaderRole::Executive,
    }
    .spec(&d, &mut rng, &mut book);
    tower.planned_year = 2018;
    tower.start = StartFate::NotYet;
    tower.planned_start = ymd(2020, 4, 15);
    tower.pins = vec![Pin {
        step: "土地摘牌",
        planned: Some(ymd(2019, 9, 5)),
        actual: PinActual::On(ymd(2019, 9, 12)),
    }];
    specs.push(tower);

    // ---- The year's groundbreaking batches: the article's signed projects and others.
    // (batch, project, planned year, categories of the year, foreign USD cents, origin)
    type NamedMember = (usize, Named, i32, Vec<&'static str>, Option<i64>, &'static str);
    let named_batch: Vec<NamedMember> = vec![
        (
            1,
            Named {
                kind: Kind::Industrial,
                name: "海正博锐生物制药项目",
                industry: "2761",
                street: "海门街道",
                total_wan: 250_000,
                investor: "浙江海正博锐生物制药有限公司",
                description: "合资建设生物药产业化基地，建设抗体药物原液及制剂生产线，台州单笔最大外资项目。",
                leader: LeaderRole::Secretary,
            },
            2018,
            vec!["prov152", "prov_major_industry", "trillion", "foreign"],
            Some(15_000_000_000),
            "香港",
        ),
        (
            2,
            Named {
                kind: Kind::Commercial,
                name: "心海文旅综合体项目",
                industry: "9030",
                street: "海门街道",
                total_wan: 200_000,
                investor: "台州心海文旅发展有限公司",
                description: "沿江建设文化旅游综合体，含文化演艺中心、主题街区和精品酒店。",
                leader: LeaderRole::Commerce,
            },
            YEAR,
            vec!["prov152"],
            None,
            "上海",
        ),
        (
            2,
            Named {
                kind: Kind::Industrial,
                name: "星星冷链智能工厂项目",
                industry: "3464",
                street: "洪家街道",
                total_wan: 100_000,
                investor: "浙江星星冷链集成股份有限公司",
                description: "建设商用冷链设备智能工厂，引入自动化钣金、发泡和总装生产线。",
                leader: LeaderRole::Industry,
            },
            YEAR,
            vec!["prov152", "prov_major_industry"],
            None,
            "台州本地",
        ),
        (
            2,
            Named {
                kind: Kind::Industrial,
                name: "晶特光学AR元器件项目",
                industry: "3976",
                street: "下陈街道",
                total_wan: 52_000,
                investor: "浙江晶特光学科技有限公司",
                description: "建设AR光学元器件及光波导模组生产线。",
                leader: LeaderRole::Industry,
            },
            YEAR,
            vec!["mayor"],
            None,
            "深圳",
        ),
        (
            3,
            Named {
                kind: Kind::Commercial,
                name: "葭沚水城商业文化街区项目",
                industry: "7222",
                street: "葭沚街道",
                total_wan: 300_000,
                investor: "台州葭沚水城文化旅游发展有限公司",
                description: "依托葭沚老街和水系，建设集商业、文化、旅游于一体的水城街区。",
                leader: LeaderRole::Mayor,
            },
            2018,
            vec!["prov152"],
            None,
            "杭州",
        ),
        (
            3,
            Named {
                kind: Kind::Commercial,
                name: "上海沪仁医院项目",
                industry: "8411",
                street: "白云街道",
                total_wan: 150_000,
                investor: "上海沪仁医疗投资管理有限公司",
                description: "建设三级综合医院，设置床位800张，配套医技楼和康复中心。",
                leader: LeaderRole::Social,
            },
            YEAR,
            vec!["mayor"],
            None,
            "上海",
        ),
        (
            4,
            Named {
                kind: Kind::Commercial,
                name: "绿心生态养生园项目",
                industry: "8053",
                street: "章安街道",
                total_wan: 120_000,
                investor: "浙江绿心生态健康产业有限公司",
                description: "建设生态康养园区，含养生中心、康养公寓和生态农业体验区。",
                leader: LeaderRole::NpcChair,
            },
            YEAR,
            vec!["mayor"],
            None,
            "杭州",
        ),
        (
            4,
            Named {
                kind: Kind::Industrial,
                name: "智能远程无人零售终端设备智能工厂项目",
                industry: "3594",
                street: "前所街道",
                total_wan: 55_000,
                investor: "台州智能远程零售设备有限公司",
                description: "建设无人零售终端设备智能工厂，配套远程运维和数据平台。",
                leader: LeaderRole::CppccChair,
            },
            YEAR,
            vec!["mayor", "digital"],
            None,
            "深圳",
        ),
    ];
    // (spec index, batch, is it one of the article's)
    let mut batch_slots: Vec<(usize, usize, bool)> = Vec::new();
    let mut named_total = 0;
    for (batch, named, year, tags, usd, region) in named_batch {
        let mut s = named.spec(&d, &mut rng, &mut book);
        s.planned_year = year;
        for t in tags {
            s.tag(cat(t), YEAR);
        }
        s.foreign_usd_cents = usd;
        s.source_region = region;
        named_total += named.total_wan;
        batch_slots.push((specs.len(), batch, true));
        specs.push(s);
    }
    // The other members: kinds and flavours, shuffled into the batches' free places.
    let mut roles = repeated(&[
        ((Kind::Industrial, Flavour::Trillion, "trillion"), 7),
        ((Kind::Industrial, Flavour::Digital, "digital"), 4),
        ((Kind::Industrial, Flavour::Any, "mayor"), 1),
        ((Kind::Industrial, Flavour::Any, ""), 2),
        ((Kind::Commercial, Flavour::Any, ""), 3),
        ((Kind::Government, Flavour::Any, ""), 5),
        ((Kind::Social, Flavour::Any, ""), 3),
        ((Kind::Infrastructure, Flavour::Any, ""), 5),
    ]);
    rng.shuffle(&mut roles);
    let mut free: Vec<usize> = Vec::new();
    for (b, size) in BATCH_SIZES.iter().enumerate() {
        let taken = batch_slots.iter().filter(|s| s.1 == b).count();
        free.extend(std::iter::repeat_n(b, size - taken));
    }
    assert_eq!(free.len(), roles.len(), "every free batch place has a project");
    let mut ppp_from_batches = 0;
    for ((kind, flavour, tag), batch) in roles.into_iter().zip(free) {
        let mut s = draft(&d, &mut rng, kind, flavour, &mut book);
        s.planned_year = if batch < 2 || rng.percent(50) { 2018 } else { YEAR };
        if !tag.is_empty() {
            s.tag(cat(tag), YEAR);
        }
        if matches!(kind, Kind::Government | Kind::Infrastructure) && ppp_from_batches < 2 {
            s.tag(cat("ppp"), YEAR);
            ppp_from_batches += 1;
        }
        batch_slots.push((specs.len(), batch, false));
        specs.push(s);
    }
    batch_slots.sort();
    // Totals: the named ones as given, the others sized by their drafts to make 363.5亿.
    let generated: Vec<usize> = batch_slots.iter().filter(|s| !s.2).map(|s| s.0).collect();
    let weights: Vec<i64> = generated.iter().map(|&i| total_wan(&specs[i])).collect();
    let units = apportion((BATCH_TOTAL_WAN - named_total) / 100, &weights);
    for (&i, u) in generated.iter().zip(units) {
        set_total(&mut specs[i], &mut rng, u * 100);
    }
    // The year's plans: a share of each total by how early it starts, scaled to 94.1亿.
    let year_weights: Vec<i64> = batch_slots
        .iter()
        .map(|&(i, b, _)| {
            let (lo, hi) = BATCH_YEAR_SHARE[b];
            total_wan(&specs[i]) * rng.range(lo, hi) / 1000
        })
        .collect();
    let year_units = apportion(BATCH_ANNUAL_WAN / 100, &year_weights);
    for (&(i, b, _), u) in batch_slots.iter().zip(year_units) {
        let s = &mut specs[i];
        assert!(u * 100 <= total_wan(s), "a member's plan for the year fits its total");
        s.plan_year = Some(Money::from_wan(u * 100));
        let held = activity::batch_date(b);
        let start = if rng.percent(80) { held } else { add_days(held, rng.range(1, 4)) };
        s.start = StartFate::On(start);
        s.planned_start = add_days(held, -planned_ahead(&mut rng));
        s.stall = stall(&mut rng, 10, 20);
        batch_members[b].push(i as i64 + 1);
    }

    // ---- Other projects started in the year, outside the batches.
    let mut li_xin = Named {
        kind: Kind::Industrial,
        name: "力鑫真空泵业年产5万台真空泵项目",
        industry: "3441",
        street: "三甲街道",
        total_wan: 26_000,
        investor: "浙江力鑫真空泵业有限公司",
        description: "建设智能真空泵生产线及研发中心，达产后年产真空泵5万台。",
        leader: LeaderRole::Industry,
    }
    .spec(&d, &mut rng, &mut book);
    li_xin.planned_year = YEAR;
    li_xin.tag(cat("trillion"), YEAR);
    li_xin.source_region = "江苏苏州";
    let mut outside: Vec<ProjectSpec> = vec![li_xin];
    let roles = repeated(&[
        ((Kind::Industrial, Flavour::Trillion, "trillion"), 5),
        ((Kind::Industrial, Flavour::Digital, "digital"), 5),
        ((Kind::Industrial, Flavour::Any, "mayor"), 1),
        ((Kind::Industrial, Flavour::Any, "foreign"), 1),
        ((Kind::Industrial, Flavour::Any, ""), 5),
        ((Kind::Commercial, Flavour::Any, ""), 3),
        ((Kind::Government, Flavour::Any, ""), 4),
        ((Kind::Social, Flavour::Any, ""), 2),
        ((Kind::Infrastructure, Flavour::Any, ""), 3),
    ]);
    for (kind, flavour, tag) in roles {
        let mut s = draft(&d, &mut rng, kind, flavour, &mut book);
        if !tag.is_empty() {
            s.tag(cat(tag), YEAR);
        }
        if tag == "foreign" {
            s.foreign_usd_cents = Some(3_000_000_000);
            s.source_region = "台湾";
        }
        outside.push(s);
    }
    for mut s in outside {
        let start = loop {
            let day = add_days(ymd(YEAR, 1, 8), rng.range(0, 346));
            if (0..5).all(|b| (day - activity::batch_date(b)).num_days().abs() > 3) {
                break day;
            }
        };
        if s.name.starts_with("力鑫") {
            s.start = StartFate::On(ymd(YEAR, 8, 16));
            s.planned_start = ymd(YEAR, 8, 10);
        } else {
            s.start = StartFate::On(start);
            s.planned_start = add_days(start, -planned_ahead(&mut rng));
            s.planned_year = if start < ymd(YEAR, 5, 1) || rng.percent(50) { 2018 } else { YEAR };
        }
        s.stall = stall(&mut rng, 10, 20);
        specs.push(s);
    }

    // ---- On the year's lists but not started: the fifth 省"152" project (its 开工 is
    // overdue) and six 市县长 projects.
    let mut laggard = draft(&d, &mut rng, Kind::Industrial, Flavour::Trillion, &mut book);
    laggard.planned_year = 2018;
    let wan = rng.range(900, 1_500) * 100;
    set_total(&mut laggard, &mut rng, wan);
    laggard.planned_start = add_days(ymd(YEAR, 10, 20), rng.range(0, 10));
    laggard.start = StartFate::NotYet;
    laggard.tag(cat("prov152"), YEAR);
    laggard.description.push_str("因征迁政策处理尚未完成，开工时间推迟。");
    laggard.leader_id = d.leader(LeaderRole::Mayor);
    specs.push(laggard);
    for i in 0..6 {
        let kind = if i < 4 { Kind::Industrial } else { Kind::Commercial };
        let mut s = draft(&d, &mut rng, kind, Flavour::Any, &mut book);
        s.planned_year = if i < 2 { 2018 } else { YEAR };
        s.start = StartFate::NotYet;
        (s.planned_start, s.stall) = match i {
            0..=2 => (add_days(ymd(YEAR, 8, 15), rng.range(0, 75)), Stall::Red),
            3 | 4 => (add_days(ymd(YEAR, 12, 5), rng.range(0, 17)), Stall::None),
            _ => (add_days(ymd(YEAR + 1, 1, 3), rng.range(0, 3)), Stall::None),
        };
        s.tag(cat("mayor"), YEAR);
        specs.push(s);
    }

    // ---- The rest of the year's 188 planned projects: the reserve pool for next years.
    let planned_so_far = specs.iter().filter(|s| s.planned_year == YEAR).count();
    let pool = PLANNED_IN_YEAR
        .checked_sub(planned_so_far)
        .expect("room in the 188 planned projects");
    let mut terminated = 0;
    for _ in 0..pool {
        let kind = Kind::ALL[rng.weighted(&[45, 15, 15, 10, 15])];
        let flavour = if kind == Kind::Industrial && rng.percent(15) {
            Flavour::Digital
        } else {
            Flavour::Any
        };
        let mut s = draft(&d, &mut rng, kind, flavour, &mut book);
        s.planned_year = YEAR;
        s.start = StartFate::NotYet;
        match rng.below(100) {
            0..=9 => {
                // Planned to start in the year, slipped.
                s.planned_start = add_days(ymd(YEAR, 7, 1), rng.range(0, 140));
                s.stall = if rng.percent(50) { Stall::Red } else { Stall::None };
            }
            10..=89 => {
                s.planned_start = add_days(ymd(YEAR + 1, 2, 1), rng.range(0, 500));
                s.stall = if rng.percent(20) { Stall::Yellow } else { Stall::None };
            }
            _ => s.planned_start = add_days(ymd(YEAR + 1, 7, 1), rng.range(180, 540)),
        }
        if terminated < 4 && s.planned_start > ymd(YEAR + 1, 3, 1) && rng.percent(20) {
            s.terminated = true;
            terminated += 1;
        }
        specs.push(s);
    }

    // ---- Categories of the continuing projects and the 5亿元以上 list.
    tag_continuing(&d, &mut rng, &mut specs[continuing_range]);
    for s in specs.iter_mut() {
        if s.kind.is_business() && total_wan(s) >= 50_000 && !s.terminated {
            let year = match s.start {
                StartFate::On(date) => date.year(),
                _ => s.planned_start.year(),
            };
            if year <= YEAR + 1 {
                s.tag(d.category("over_500m"), year);
            }
        }
    }

    let projects = build_projects(&d, seed, &specs);
    let prov_major: Vec<i64> = projects
        .iter()
        .filter(|b| b.categories.iter().any(|c| c.0 == d.category("prov_major_industry")))
        .map(|b| b.project.id)
        .collect();
    let mut extra = Rng::derive(seed, stream::ACTIVITY, 0);
    let extras = Extras {
        kind: "scenario_2019",
        enterprises: 420 + extra.range(0, 30) as usize,
        named_enterprises: NAMED_ENTERPRISES,
        tag_quotas: TAG_QUOTAS.to_vec(),
        visits: 2_100 + extra.range(10, 95) as usize,
        visit_problems: 530 + extra.range(0, 25) as usize,
        open_visit_problems: 12 + extra.range(0, 8) as usize,
        node_problems: 40,
        problems_total: None,
        leads_signed_since: ymd(2017, 1, 1),
        talks: 24,
        dropped: 6,
        batch_members,
        must_supervise: vec![(2, school_id)],
        land_prefer: prov_major,
        land_share_permille: 880,
        fai_last_december_wan: 2_400_000 + extra.range(0, 40) * 5_000,
        fai_growth_tenths: 331,
    };
    assemble(d, seed, &specs, projects, extras)
}

/// Earlier years' lists for the continuing projects: 省"152" and 市县长 projects of the
/// year they started, the PPP projects in the national library, one foreign project.
fn tag_continuing(d: &District, rng: &mut Rng, specs: &mut [ProjectSpec]) {
    let start_year = |s: &ProjectSpec| match s.start {
        StartFate::On(date) => date.year(),
        _ => s.planned_start.year(),
    };
    let mut order: Vec<usize> = (2..specs.len()).collect();
    rng.shuffle(&mut order);
    let (mut prov, mut mayor) = (0, 0);
    for &i in &order {
        let s = &mut specs[i];
        let y = start_year(s);
        if y == 2018 && s.kind.is_business() && prov < 3 {
            s.tag(d.category("prov152"), y);
            prov += 1;
        } else if y >= 2017 && mayor < 6 {
            s.tag(d.category("mayor"), y);
            mayor += 1;
        }
    }
    let mut public: Vec<usize> = (0..specs.len()).filter(|&i| !specs[i].kind.is_business()).collect();
    public.sort_by_key(|&i| (std::cmp::Reverse(total_wan(&specs[i])), i));
    for &i in public.iter().take(6) {
        specs[i].tag(d.category("ppp"), YEAR);
    }
    if let Some(i) = (2..specs.len()).find(|&i| specs[i].kind == Kind::Industrial) {
        let y = start_year(&specs[i]);
        specs[i].foreign_usd_cents = Some(2_000_000_000);
        specs[i].source_region = "日本";
        specs[i].tag(d.category("foreign"), y);
    }
}
