//! The district both generators share: 椒江区's organisation tree and people, and its
//! landing targets. The project types with their node templates, the categories and the
//! approval clocks are every district's defaults (`zhantu_domain::defaults`).

use crate::names;
use crate::rng::Rng;
use chrono::NaiveDate;
use zhantu_domain::DivisionCode;
use zhantu_domain::dataset::CategoryRow;
use zhantu_domain::defaults::{self, DefaultProjectType, TemplateStep};
use zhantu_domain::model::{Person, Unit, UnitKind};
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

    /// The type as every district starts with it (its names and node template).
    fn default_type(self) -> &'static DefaultProjectType {
        defaults::project_type(self.key()).expect("every demo kind is a default project type")
    }

    pub fn steps(self) -> &'static [TemplateStep] {
        self.default_type().steps
    }

    /// Index of the 开工 step.
    pub fn start_index(self) -> usize {
        self.default_type().start_index()
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

/// The demo district's 2019 landing targets of the default categories (tenths of a percent).
const TARGETS_2019: &[(&str, i64)] = &[("prov152", 500), ("mayor", 300)];

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
        let streets: Vec<_> = reference::streets_and_towns(r.code).into_iter().map(|t| (t.code, t.name)).collect();
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
            .map(|&(code, name)| StreetRef {
                unit_id: add_unit(Some(root), name.into(), defaults::township_kind(name), Some(code)),
                code,
                name,
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
        let mut categories = defaults::categories();
        for c in &mut categories {
            if let Some((_, target)) = TARGETS_2019.iter().find(|t| t.0 == c.category.code) {
                c.targets.push((2019, *target));
            }
        }
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
