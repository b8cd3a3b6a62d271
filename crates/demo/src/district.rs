//! The district both generators share: 椒江区's organisation tree and people, the project
//! categories, the project types with their node templates (data, not code), and the
//! approval clocks.

use crate::names;
use crate::rng::Rng;
use chrono::NaiveDate;
use zhantu_domain::DivisionCode;
use zhantu_domain::dataset::{ApprovalClockRow, CategoryRow, NodeTemplateRow, ProjectTypeRow};
use zhantu_domain::model::{Category, DayKind, Person, Unit, UnitKind};
use zhantu_domain::reference::{self, JIAOJIANG_MAP};

pub(crate) const DISTRICT_NAME: &str = "椒江区";
pub(crate) const DISTRICT_DIVISION: &str = "331002";
pub(crate) const PROVINCE_DIVISION: &str = "330000";

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid calendar date")
}

pub(crate) fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d + chrono::Duration::days(days)
}

/// The date the demo district lives at.
pub(crate) fn as_of() -> NaiveDate {
    ymd(2019, 12, 31)
}

/// What a node template step means for the project's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// 签约: the investment agreement.
    Sign,
    /// The first approval (赋码备案, 项目建议书批复, 工可批复): registration.
    Register,
    Approval,
    /// 开工: the project lands.
    Start,
    Build,
    /// 竣工验收.
    Complete,
    /// 投产 / 开业运营 / 交付使用.
    Operate,
}

/// Who usually owns a step (the template's `owner_hint`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Owner {
    /// The attraction team that signed the project (or the investment-promotion centre).
    Team,
    /// A department, by its key in [`DEPARTMENTS`].
    Department(&'static str),
    /// The street or town where the project is.
    Street,
    /// The project's own responsible unit.
    ProjectUnit,
}

impl Owner {
    fn hint(self) -> String {
        match self {
            Owner::Team => "team".into(),
            Owner::Department(key) => format!("department:{key}"),
            Owner::Street => "street".into(),
            Owner::ProjectUnit => "owner".into(),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Step {
    pub name: &'static str,
    /// Days after the previous step in a first plan.
    pub offset_days: i32,
    pub owner: Owner,
    pub role: Role,
}

const fn step(name: &'static str, offset_days: i32, owner: Owner, role: Role) -> Step {
    Step {
        name,
        offset_days,
        owner,
        role,
    }
}

use Owner::{Department as Dept, ProjectUnit, Street as StreetOwner, Team};
use Role::*;

/// PRACTICE.md §2.2: an enterprise (industrial) project; 赋码备案 → 施工许可 planned
/// within the 60 days of the "最多90天" reform.
const INDUSTRIAL: [Step; 10] = [
    step("签约", 0, Team, Sign),
    step("赋码备案", 30, Dept("发改"), Register),
    step("用地预审", 10, Dept("自然资源"), Approval),
    step("土地摘牌", 20, Dept("自然资源"), Approval),
    step("规划许可", 12, Dept("自然资源"), Approval),
    step("施工许可", 15, Dept("住建"), Approval),
    step("开工", 12, ProjectUnit, Start),
    step("主体结顶", 240, ProjectUnit, Build),
    step("竣工验收", 150, Dept("住建"), Complete),
    step("投产", 60, Dept("经信"), Operate),
];

/// A commercial, tourism or private-service project.
const COMMERCIAL: [Step; 10] = [
    step("签约", 0, Team, Sign),
    step("赋码备案", 25, Dept("发改"), Register),
    step("土地摘牌", 20, Dept("自然资源"), Approval),
    step("方案审查", 15, Dept("自然资源"), Approval),
    step("规划许可", 10, Dept("自然资源"), Approval),
    step("施工许可", 12, Dept("住建"), Approval),
    step("开工", 10, ProjectUnit, Start),
    step("主体结顶", 300, ProjectUnit, Build),
    step("竣工验收", 180, Dept("住建"), Complete),
    step("开业运营", 90, Dept("商务"), Operate),
];

/// PRACTICE.md §2.3: a government-invested building project (schools and hospitals use it
/// too, as `social`).
const GOVERNMENT: [Step; 10] = [
    step("项目建议书批复", 0, Dept("发改"), Register),
    step("可研批复", 35, Dept("发改"), Approval),
    step("初步设计及概算批复", 30, Dept("发改"), Approval),
    step("施工图审查", 20, Dept("住建"), Approval),
    step("施工招标", 25, ProjectUnit, Approval),
    step("施工许可", 10, Dept("住建"), Approval),
    step("开工", 10, ProjectUnit, Start),
    step("主体完工", 360, ProjectUnit, Build),
    step("竣工验收", 90, Dept("住建"), Complete),
    step("交付使用", 30, ProjectUnit, Operate),
];

/// A transport project (roads, bridges): land and 政策处理 before tendering.
const INFRASTRUCTURE: [Step; 10] = [
    step("工可批复", 0, Dept("发改"), Register),
    step("初步设计批复", 45, Dept("交通"), Approval),
    step("用地报批", 50, Dept("自然资源"), Approval),
    step("政策处理", 60, StreetOwner, Approval),
    step("施工招标", 30, ProjectUnit, Approval),
    step("施工许可", 15, Dept("交通"), Approval),
    step("开工", 10, ProjectUnit, Start),
    step("路基完成", 240, ProjectUnit, Build),
    step("路面完成", 150, ProjectUnit, Build),
    step("竣工验收", 60, Dept("交通"), Complete),
];

/// A project type (its key is stored on the project) and its node template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Industrial,
    Commercial,
    Government,
    Social,
    Infrastructure,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Industrial,
        Kind::Commercial,
        Kind::Government,
        Kind::Social,
        Kind::Infrastructure,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Industrial => "industrial",
            Kind::Commercial => "commercial",
            Kind::Government => "government",
            Kind::Social => "social",
            Kind::Infrastructure => "infrastructure",
        }
    }

    fn name_zh(self) -> &'static str {
        match self {
            Kind::Industrial => "工业项目",
            Kind::Commercial => "商贸文旅项目",
            Kind::Government => "政府投资项目",
            Kind::Social => "社会事业项目",
            Kind::Infrastructure => "交通基础设施项目",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Kind::Industrial => "Industrial project",
            Kind::Commercial => "Commerce and tourism project",
            Kind::Government => "Government-invested project",
            Kind::Social => "Social-sector project (schools, hospitals)",
            Kind::Infrastructure => "Transport infrastructure project",
        }
    }

    pub fn steps(self) -> &'static [Step] {
        match self {
            Kind::Industrial => &INDUSTRIAL,
            Kind::Commercial => &COMMERCIAL,
            Kind::Government | Kind::Social => &GOVERNMENT,
            Kind::Infrastructure => &INFRASTRUCTURE,
        }
    }

    /// Index of the 开工 step.
    pub fn start_index(self) -> usize {
        self.steps()
            .iter()
            .position(|s| s.role == Role::Start)
            .expect("every template has 开工")
    }

    /// Is it an industrial or service "产业项目" (as opposed to public works)?
    pub fn is_business(self) -> bool {
        matches!(self, Kind::Industrial | Kind::Commercial)
    }
}

/// Departments: (key used by templates and generators, name users read).
const DEPARTMENTS: &[(&str, &str)] = &[
    ("两抓办", "区“两抓”办"),
    ("发改", "区发改局"),
    ("经信", "区经信局"),
    ("自然资源", "市自然资源和规划局椒江分局"),
    ("住建", "区住建局"),
    ("交通", "区交通运输局"),
    ("商务", "区商务局"),
    ("财政", "区财政局"),
    ("统计", "区统计局"),
    ("教育", "区教育局"),
    ("卫健", "区卫健局"),
    ("文旅", "区文广旅体局"),
    ("投促", "区投资促进中心"),
    ("生态环境", "市生态环境局椒江分局"),
    ("人社", "区人力社保局"),
    ("金融", "区金融工作中心"),
];

/// State enterprises: (key, short name, registered name).
const SOES: &[(&str, &str, &str)] = &[
    ("城投", "区城投集团", "台州市椒江区城市发展投资集团有限公司"),
    ("交投", "区交投集团", "台州市椒江区交通投资集团有限公司"),
    ("旅游", "区旅游集团", "台州市椒江区旅游发展集团有限公司"),
    ("水务", "区水务集团", "台州市椒江区水务集团有限公司"),
];

/// The district's leaders: the four leading bodies (区委、人大、政府、政协).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LeaderRole {
    Secretary,
    Mayor,
    DeputySecretary,
    Executive,
    Industry,
    Urban,
    Social,
    Commerce,
    NpcChair,
    NpcVice,
    CppccChair,
    CppccVice,
}

const LEADERS: &[(LeaderRole, &str, &str)] = &[
    (LeaderRole::Secretary, "叶海峰", "区委书记"),
    (LeaderRole::Mayor, "陈立新", "区委副书记、区长"),
    (LeaderRole::DeputySecretary, "王晓燕", "区委副书记"),
    (LeaderRole::Executive, "周志强", "区委常委、常务副区长"),
    (LeaderRole::Industry, "李明辉", "区委常委、副区长"),
    (LeaderRole::Urban, "张卫东", "副区长"),
    (LeaderRole::Social, "徐丽萍", "副区长"),
    (LeaderRole::Commerce, "潘国伟", "副区长"),
    (LeaderRole::NpcChair, "郑宏图", "区人大常委会主任"),
    (LeaderRole::NpcVice, "黄志远", "区人大常委会副主任"),
    (LeaderRole::CppccChair, "应建平", "区政协主席"),
    (LeaderRole::CppccVice, "梁晓东", "区政协副主席"),
];

/// Project categories: (code, name, tracks landing, 2019 target in tenths of a percent).
const CATEGORIES: &[(&str, &str, bool, Option<i64>)] = &[
    ("prov152", "省\"152\"项目", true, Some(500)),
    ("mayor", "市县长项目", true, Some(300)),
    ("prov_major_industry", "省重大产业项目", false, None),
    ("over_500m", "5亿元以上产业项目", true, None),
    ("trillion", "千亿产业培育工程", true, None),
    ("digital", "产业数字化项目", true, None),
    ("ppp", "PPP项目（入国家库）", false, None),
    ("foreign", "外资项目", false, None),
];

/// A county-level district of the reference data that a generated province spreads its
/// projects over: its code, name, prefecture and streets/towns (code order).
#[derive(Debug, Clone)]
pub(crate) struct County {
    pub code: &'static str,
    pub name: &'static str,
    pub prefecture: &'static str,
    pub streets: Vec<(&'static str, &'static str)>,
}

impl County {
    /// 椒江区 with the streets of its schematic map, as the demo district has them.
    pub fn jiaojiang() -> County {
        let mut map: Vec<_> = JIAOJIANG_MAP.to_vec();
        map.sort_by_key(|c| c.code);
        County {
            code: DISTRICT_DIVISION,
            name: DISTRICT_NAME,
            prefecture: "台州市",
            streets: map.iter().map(|c| (c.code, c.name)).collect(),
        }
    }

    /// A county of Zhejiang by its six-digit code, with its streets and towns in code order;
    /// `None` when the code is not a county of the shipped list or has fewer than three.
    pub fn of_code(code: &str) -> Option<County> {
        let r = reference::divisions().find(|r| r.level == "county" && r.code == code)?;
        let prefecture = reference::divisions()
            .find(|p| p.level == "prefecture" && p.code == r.parent)
            .map(|p| p.name)
            .unwrap_or("");
        let mut streets: Vec<_> = reference::townships()
            .filter(|t| t.parent == r.code && t.level == "township")
            .map(|t| (t.code, t.name))
            .collect();
        streets.sort();
        (streets.len() >= 3).then_some(County {
            code: r.code,
            name: r.name,
            prefecture,
            streets,
        })
    }

    /// `k` counties of Zhejiang, the same ones for every seed: 椒江区 first (the demo
    /// district, whose map the app draws), then others spread evenly over the province's
    /// code list (so over its prefectures). Counties with fewer than three streets and
    /// towns are skipped. `None` when the province has fewer than `k` such counties.
    pub fn province(k: usize) -> Option<Vec<County>> {
        let mut others: Vec<County> = reference::divisions()
            .filter(|r| r.level == "county" && r.code != DISTRICT_DIVISION)
            .filter_map(|r| County::of_code(r.code))
            .collect();
        others.sort_by_key(|c| c.code);
        if k == 0 || k > others.len() + 1 {
            return None;
        }
        let mut out = vec![County::jiaojiang()];
        let step = others.len() / k.max(2).saturating_sub(1).max(1);
        out.extend((0..k - 1).map(|j| others[(j * step).min(others.len() - 1)].clone()));
        Some(out)
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct StreetRef {
    pub unit_id: i64,
    pub code: &'static str,
    pub name: &'static str,
}

/// The district's organisation and reference rows, with lookups for the generators.
#[derive(Debug)]
pub(crate) struct District {
    /// The county's division code and name (椒江区, 331002 for the demo).
    pub code: &'static str,
    pub name: &'static str,
    /// The government, as an investor of public works (椒江区人民政府).
    pub government: String,
    pub units: Vec<Unit>,
    pub people: Vec<Person>,
    pub streets: Vec<StreetRef>,
    pub teams: Vec<i64>,
    pub categories: Vec<CategoryRow>,
    departments: Vec<(&'static str, i64)>,
    soes: Vec<(&'static str, i64, String)>,
    /// Staff of each unit, indexed by unit id.
    staff: Vec<Vec<i64>>,
    leaders: Vec<(LeaderRole, i64)>,
    /// Every unit's division code as a parsed value, indexed by street position.
    street_codes: Vec<DivisionCode>,
}

impl District {
    /// The demo district 椒江区 as the scenario and a one-district `generate` have it.
    pub fn new(seed: u64) -> District {
        District::build(seed, 0, &County::jiaojiang(), false)
    }

    /// The `index`-th district of a generated province: the same organisation, its units
    /// named after the county and carrying its division code, so that roll-ups by unit or
    /// by the six-digit prefix stay within one district.
    pub fn of_province(seed: u64, index: usize, county: &County) -> District {
        District::build(seed, index, county, true)
    }

    fn build(seed: u64, index: usize, county: &County, in_province: bool) -> District {
        let mut rng = Rng::derive(seed, crate::rng::stream::DISTRICT, index as u64);
        // In a province every unit is named after its county ("临海市发改局") and carries
        // the county's code; the lone demo district keeps its own short names ("区发改局").
        let level = county.name.chars().last().unwrap_or('区');
        let short = county.name.strip_suffix(level).unwrap_or(county.name);
        let own = |name: &str| -> String {
            if !in_province {
                return name.to_string();
            }
            match name.strip_prefix('区') {
                Some(rest) => format!("{}{rest}", county.name),
                None => name.replace("椒江", short),
            }
        };
        let county_code = in_province.then_some(county.code);
        let mut units: Vec<Unit> = Vec::new();
        let mut add_unit = |parent: Option<i64>, name: String, kind: UnitKind, code: Option<&str>| -> i64 {
            let id = units.len() as i64 + 1;
            units.push(Unit {
                id,
                parent_id: parent,
                name,
                kind,
                division_code: code.map(|c| DivisionCode::parse(c).expect("reference division codes are valid")),
            });
            id
        };
        let government = format!("{}人民政府", county.name);
        let root = add_unit(None, government.clone(), UnitKind::District, Some(county.code));
        let streets: Vec<StreetRef> = county
            .streets
            .iter()
            .map(|&(code, name)| {
                let kind = if name.ends_with('镇') || name.ends_with('乡') {
                    UnitKind::Town
                } else {
                    UnitKind::Street
                };
                StreetRef {
                    unit_id: add_unit(Some(root), name.into(), kind, Some(code)),
                    code,
                    name,
                }
            })
            .collect();
        let departments: Vec<(&str, i64)> = DEPARTMENTS
            .iter()
            .map(|(key, name)| (*key, add_unit(Some(root), own(name), UnitKind::Department, county_code)))
            .collect();
        let soes: Vec<(&str, i64, String)> = SOES
            .iter()
            .map(|(key, name, full)| {
                let full = if in_province {
                    full.replace("台州市椒江区", &format!("{}{}", county.prefecture, county.name))
                } else {
                    full.to_string()
                };
                (*key, add_unit(Some(root), own(name), UnitKind::StateEnterprise, county_code), full)
            })
            .collect();
        let promotion = departments.iter().find(|d| d.0 == "投促").expect("投促").1;
        let teams: Vec<i64> = (1..=9)
            .map(|i| {
                let name = format!("第{}招商组", names::ordinal(i));
                let name = if in_province { format!("{short}{name}") } else { name };
                add_unit(Some(promotion), name, UnitKind::AttractionTeam, county_code)
            })
            .collect();

        let mut people: Vec<Person> = Vec::new();
        let mut staff: Vec<Vec<i64>> = vec![Vec::new(); units.len() + 1];
        let mut leaders = Vec::new();
        for (role, name, title) in LEADERS {
            let id = people.len() as i64 + 1;
            // The demo's leaders lead the first district; the others get invented names and
            // their county's titles (县委书记, 市长, …).
            let (name, title) = if index == 0 {
                ((*name).to_string(), (*title).to_string())
            } else {
                (names::person(&mut rng), title.replace('区', &level.to_string()))
            };
            people.push(Person {
                id,
                name,
                title,
                unit_id: root,
                is_leader: true,
            });
            leaders.push((*role, id));
        }
        for unit in &units {
            let titles: &[&str] = match unit.kind {
                UnitKind::District => &["区府办主任", "区府办项目科科长"],
                UnitKind::Street => &["街道办事处主任", "街道办事处副主任", "街道项目办主任"],
                UnitKind::Town => &["镇长", "副镇长", "镇项目办主任"],
                UnitKind::Department => &["局长", "副局长", "项目科科长"],
                UnitKind::StateEnterprise => &["董事长", "总经理", "工程部经理"],
                UnitKind::AttractionTeam => &["组长", "副组长", "组员"],
                UnitKind::Zone => &["主任", "副主任"],
            };
            for title in titles {
                let title = match (unit.kind, *title) {
                    (UnitKind::Department, "局长") if !unit.name.ends_with('局') => "主任",
                    (UnitKind::Department, "副局长") if !unit.name.ends_with('局') => "副主任",
                    (_, t) => t,
                };
                let title = if in_province {
                    title.replace('区', &level.to_string())
                } else {
                    title.to_string()
                };
                let id = people.len() as i64 + 1;
                people.push(Person {
                    id,
                    name: names::person(&mut rng),
                    title,
                    unit_id: unit.id,
                    is_leader: false,
                });
                staff[unit.id as usize].push(id);
            }
        }
        let categories = CATEGORIES
            .iter()
            .enumerate()
            .map(|(i, (code, name, tracks, target))| CategoryRow {
                category: Category {
                    id: i as i64 + 1,
                    code: (*code).into(),
                    name: (*name).into(),
                },
                tracks_landing: *tracks,
                targets: target.map(|t| vec![(2019, t)]).unwrap_or_default(),
            })
            .collect();
        let street_codes = streets.iter().map(|s| DivisionCode::parse(s.code).expect("valid")).collect();
        District {
            code: county.code,
            name: county.name,
            government,
            units,
            people,
            streets,
            teams,
            categories,
            departments,
            soes,
            staff,
            leaders,
            street_codes,
        }
    }

    pub fn root(&self) -> i64 {
        1
    }

    pub fn dept(&self, key: &str) -> i64 {
        self.departments
            .iter()
            .find(|d| d.0 == key)
            .unwrap_or_else(|| panic!("no department {key}"))
            .1
    }

    pub fn soe(&self, key: &str) -> i64 {
        self.soe_entry(key).1
    }

    pub fn soe_full_name(&self, key: &str) -> &str {
        &self.soe_entry(key).2
    }

    /// (key, unit id, full name) of the state enterprise known by `key`.
    fn soe_entry(&self, key: &str) -> &(&'static str, i64, String) {
        self.soes
            .iter()
            .find(|d| d.0 == key)
            .unwrap_or_else(|| panic!("no state enterprise {key}"))
    }

    /// The street or town of that name, if the district has one.
    pub fn find_street(&self, name: &str) -> Option<usize> {
        self.streets.iter().position(|s| s.name == name)
    }

    pub fn street_index(&self, name: &str) -> usize {
        self.streets
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_else(|| panic!("no street {name}"))
    }

    pub fn street_code(&self, index: usize) -> &DivisionCode {
        &self.street_codes[index]
    }

    pub fn leader(&self, role: LeaderRole) -> i64 {
        self.leaders.iter().find(|l| l.0 == role).expect("every role has a leader").1
    }

    pub fn leader_ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.leaders.iter().map(|l| l.1)
    }

    /// A staff member of the unit (the unit's first contact when `pick` is 0).
    pub fn staff_of(&self, unit_id: i64, pick: u64) -> Option<i64> {
        let s = self.staff.get(unit_id as usize)?;
        if s.is_empty() {
            None
        } else {
            Some(s[(pick % s.len() as u64) as usize])
        }
    }

    pub fn unit(&self, id: i64) -> &Unit {
        &self.units[id as usize - 1]
    }

    pub fn category(&self, code: &str) -> i64 {
        self.categories
            .iter()
            .find(|c| c.category.code == code)
            .unwrap_or_else(|| panic!("no category {code}"))
            .category
            .id
    }

    /// The leader who 领衔包干 a project of this kind: usually the vice-mayor in charge,
    /// sometimes another member of the four leading bodies.
    pub fn leader_for(&self, kind: Kind, rng: &mut Rng) -> i64 {
        use LeaderRole::*;
        let in_charge = match kind {
            Kind::Industrial => [Industry, Industry, Commerce],
            Kind::Commercial => [Commerce, Commerce, Executive],
            Kind::Government => [Executive, Urban, Urban],
            Kind::Social => [Social, Social, Executive],
            Kind::Infrastructure => [Urban, Urban, Executive],
        };
        let role = if rng.percent(75) {
            *rng.pick(&in_charge)
        } else {
            *rng.pick(&[DeputySecretary, NpcChair, NpcVice, CppccChair, CppccVice, Mayor])
        };
        self.leader(role)
    }

    /// Units visiting enterprises (三服务): streets, the economic departments.
    pub fn visiting_units(&self) -> Vec<i64> {
        let mut v: Vec<i64> = self.streets.iter().map(|s| s.unit_id).collect();
        for key in ["经信", "商务", "发改", "投促", "人社", "金融"] {
            v.push(self.dept(key));
        }
        v
    }

    pub fn project_types(&self) -> Vec<ProjectTypeRow> {
        Kind::ALL
            .iter()
            .map(|k| ProjectTypeRow {
                code: k.key().into(),
                name: k.name_zh().into(),
                name_en: k.name_en().into(),
            })
            .collect()
    }

    pub fn node_templates(&self) -> Vec<NodeTemplateRow> {
        Kind::ALL
            .iter()
            .flat_map(|k| {
                k.steps().iter().enumerate().map(move |(i, s)| NodeTemplateRow {
                    project_type: k.key().into(),
                    seq: i as i32 + 1,
                    name: s.name.into(),
                    offset_days: s.offset_days,
                    owner_hint: s.owner.hint(),
                })
            })
            .collect()
    }

    /// 审批时限 (PRACTICE.md §2.1): the "最多90天" reform's 60-day approval part for
    /// enterprise projects, 90 working days for government ones, 100 days before start on
    /// 标准地.
    pub fn approval_clocks(&self) -> Vec<ApprovalClockRow> {
        let rows: [(&str, Kind, &str, &str, i32, DayKind); 5] = [
            (
                "一般企业投资项目审批最多90天（赋码至施工许可60天）",
                Kind::Industrial,
                "赋码备案",
                "施工许可",
                60,
                DayKind::Calendar,
            ),
            (
                "一般企业投资项目审批最多90天（商贸文旅，赋码至施工许可60天）",
                Kind::Commercial,
                "赋码备案",
                "施工许可",
                60,
                DayKind::Calendar,
            ),
            (
                "政府投资项目审批最多90个工作日",
                Kind::Government,
                "项目建议书批复",
                "施工许可",
                90,
                DayKind::Working,
            ),
            (
                "政府投资项目审批最多90个工作日（社会事业）",
                Kind::Social,
                "项目建议书批复",
                "施工许可",
                90,
                DayKind::Working,
            ),
            (
                "标准地项目开工前审批最多100天",
                Kind::Industrial,
                "土地摘牌",
                "开工",
                100,
                DayKind::Calendar,
            ),
        ];
        rows.iter()
            .enumerate()
            .map(|(i, (name, kind, start, stop, limit, day_kind))| ApprovalClockRow {
                id: i as i64 + 1,
                name: (*name).into(),
                project_type: Some(kind.key().into()),
                start_node: (*start).into(),
                stop_node: (*stop).into(),
                limit_days: *limit,
                day_kind: *day_kind,
            })
            .collect()
    }

    pub fn settings(&self, seed: u64, kind: &str) -> Vec<(String, String)> {
        [
            ("district_name", self.name.to_string()),
            ("district_division", self.code.to_string()),
            ("province_division", PROVINCE_DIVISION.to_string()),
            ("as_of", as_of().to_string()),
            ("demo_seed", seed.to_string()),
            ("demo_kind", kind.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
    }
}
