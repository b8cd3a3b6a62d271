//! Chinese names: people, firms, places, and the subjects projects are about. Invented
//! but plausible for 椒江区; nothing here is a real person.

use crate::rng::Rng;
use std::collections::{HashMap, HashSet};

const SURNAMES: &[&str] = &[
    "王", "陈", "林", "张", "李", "黄", "周", "吴", "徐", "郑", "金", "杨", "叶", "应", "蒋", "潘", "许", "赵", "朱", "何", "梁", "罗",
    "卢", "洪", "陶", "方", "管", "章", "牟", "冯", "阮", "柯", "颜", "江", "屈", "戴", "夏", "莫", "谢", "缪",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "佳", "俊", "鹏", "婷",
    "颖", "斌", "浩", "琳", "辉", "健", "宇", "欣", "露", "波", "晨", "瑶", "凯", "峰", "建华", "海燕", "立群", "晓东", "文斌", "志刚",
    "国庆", "丽君", "建平", "卫国", "晓峰", "雪梅", "海波", "秀芬", "伟军", "亚萍", "剑锋", "慧敏", "一帆", "子涵", "振宇", "思远", "春燕",
    "永强", "红霞", "建军", "玲玲", "鑫", "璐", "昊", "乐", "航", "倩", "蕾",
];

/// Characters firms build their brand names from.
const BRAND_CHARS: &[&str] = &[
    "华", "瑞", "鑫", "恒", "泰", "宏", "远", "嘉", "博", "联", "创", "盛", "达", "和", "安", "力", "卓", "越", "新", "天", "信", "德",
    "佳", "万", "宇", "明", "科", "凯", "美", "利", "丰", "永", "捷", "晟", "昊", "源", "骏", "腾", "铭", "沃", "锦", "诺", "峰", "弘",
    "顺", "通", "图", "迈", "瀚", "亿", "澳", "星", "海", "隆", "众", "赛", "特", "威", "康", "驰",
];

pub(crate) const PLACES: &[&str] = &[
    "三山",
    "岩头",
    "枫南",
    "星明",
    "栅浦",
    "山东",
    "下洋",
    "后所",
    "殿前",
    "东山",
    "西山",
    "洪三",
    "东方",
    "海虹",
    "月湖",
    "滨海",
    "金岸",
    "江城",
    "文化",
    "凤凰山",
    "太和",
    "一江山",
    "椒北",
    "章安",
    "前所",
    "三甲",
    "下陈",
    "葭沚",
    "白云",
    "洪家",
    "解放塘",
    "三才",
    "北洋",
    "杨司",
    "机场",
    "五洲",
    "青龙",
    "松浦",
];

pub(crate) const ROADS: &[&str] = &[
    "东海大道",
    "开发大道",
    "海虹大道",
    "疏港大道",
    "市府大道",
    "椒江大道",
    "东环大道",
    "中山东路",
    "解放南路",
    "枫南路",
    "机场路",
    "康平路",
    "洪三路",
    "三甲东路",
    "滨海大道",
    "青年路",
    "工人路",
    "永安路",
    "葭沚路",
    "聚洋路",
    "白云山南路",
    "学院路",
    "经中路",
    "纬五路",
    "海丰路",
    "北环路",
    "椒北大道",
    "章安路",
];

pub(crate) const RIVERS: &[&str] = &[
    "葭沚泾",
    "三才泾",
    "洪三泾",
    "东山河",
    "中心河",
    "前所河",
    "章安河",
    "十一塘河",
    "心海河",
    "栅浦河",
    "岩头河",
    "海门河",
];

const DIRECTIONS: &[&str] = &["东", "南", "西", "北"];

pub(crate) fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

/// A two-character brand such as 瑞恒.
pub(crate) fn brand(rng: &mut Rng) -> String {
    let a = rng.below(BRAND_CHARS.len() as u64) as usize;
    let mut b = rng.below(BRAND_CHARS.len() as u64 - 1) as usize;
    if b >= a {
        b += 1;
    }
    format!("{}{}", BRAND_CHARS[a], BRAND_CHARS[b])
}

/// A site description: `洪家街道开发大道以东、洪三路以北` (on the islands of 大陈镇:
/// `大陈镇上大陈岛东南片区`).
pub(crate) fn location(rng: &mut Rng, street: &str) -> String {
    if street.ends_with('镇') {
        let island = rng.pick(&["上大陈岛", "下大陈岛"]);
        let area = rng.pick(&["东南片区", "西北片区", "港湾片区", "中心片区", "浪通门片区"]);
        return format!("{street}{island}{area}");
    }
    let a = rng.pick(ROADS);
    let mut b = rng.pick(ROADS);
    if a == b {
        b = &ROADS[(ROADS.iter().position(|r| r == a).unwrap_or(0) + 1) % ROADS.len()];
    }
    let d1 = rng.below(4) as usize;
    let d2 = (d1 + 1 + 2 * rng.below(2) as usize) % 4;
    format!("{street}{a}以{}、{b}以{}", DIRECTIONS[d1], DIRECTIONS[d2])
}

/// Chinese ordinal for small numbers: 一 … 十二.
pub(crate) fn ordinal(n: usize) -> &'static str {
    const N: [&str; 13] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];
    N.get(n).copied().unwrap_or("若干")
}

/// Keeps names unique: a repeated name becomes `…（二期）`, `…（三期）`, and so on.
/// Only asks "is it taken?", never iterates, so hash maps keep the output deterministic.
#[derive(Debug, Default)]
pub(crate) struct NameBook {
    used: HashSet<String>,
    /// The next phase number to try for a repeated name.
    next_phase: HashMap<String, usize>,
}

impl NameBook {
    pub fn claim(&mut self, name: String) -> String {
        if !self.used.contains(&name) {
            self.used.insert(name.clone());
            return name;
        }
        let (stem, tail) = match name.strip_suffix("项目") {
            Some(s) => (s, "项目"),
            None => match name.strip_suffix("工程") {
                Some(s) => (s, "工程"),
                None => (name.as_str(), ""),
            },
        };
        let phase = self.next_phase.entry(name.clone()).or_insert(2);
        loop {
            let candidate = if *phase <= 12 {
                format!("{stem}（{}期）{tail}", ordinal(*phase))
            } else {
                format!("{stem}（{}）{tail}", *phase)
            };
            *phase += 1;
            if !self.used.contains(&candidate) {
                self.used.insert(candidate.clone());
                return candidate;
            }
        }
    }
}

/// An industry a manufacturing project or firm can be in (GB/T 4754-2017 class).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Manufacture {
    pub industry: &'static str,
    /// What the plant makes, for project names.
    pub product: &'static str,
    /// The word firms in this trade put in their names.
    pub trade: &'static str,
    /// Unit of annual capacity: `吨`, `万台`, …
    pub capacity_unit: &'static str,
}

const fn m(industry: &'static str, product: &'static str, trade: &'static str, capacity_unit: &'static str) -> Manufacture {
    Manufacture {
        industry,
        product,
        trade,
        capacity_unit,
    }
}

/// Taizhou's manufacturing: pharmaceuticals, sewing machines, pumps and motors, car parts,
/// smart toilets, moulds and plastics, electronics.
pub(crate) const MANUFACTURES: &[Manufacture] = &[
    m("3553", "智能缝制设备", "缝制设备", "万台"),
    m("3670", "新能源汽车零部件", "汽车部件", "万套"),
    m("3855", "智能马桶", "洁具", "万台"),
    m("2710", "高端原料药", "药业", "吨"),
    m("2720", "化学药品制剂", "制药", "吨"),
    m("2761", "生物药", "生物医药", "吨"),
    m("3441", "智能水泵", "泵业", "万台"),
    m("3443", "工业阀门", "阀门", "万台"),
    m("3813", "微特电机", "电机", "万台"),
    m("3525", "精密模具", "模塑", "套"),
    m("2929", "改性塑料制品", "塑业", "吨"),
    m("3976", "光电子器件", "光电", "万件"),
    m("3983", "智能传感器", "传感科技", "万件"),
    m("3589", "高端医疗器械", "医疗器械", "万件"),
    m("3491", "工业机器人", "智能装备", "台"),
    m("4040", "光学镜头", "光学", "万件"),
    m("3464", "商用制冷设备", "制冷设备", "万台"),
    m("3484", "精密机械零部件", "机械", "万件"),
];

/// Industries of the district's 千亿产业 (pharma, sewing machines, pumps and motors, car
/// parts, smart toilets, moulds): the ones a 千亿产业培育工程 project belongs to.
pub(crate) fn is_trillion_industry(industry: &str) -> bool {
    matches!(
        industry,
        "3553" | "3670" | "3855" | "2710" | "2720" | "2761" | "3441" | "3443" | "3813" | "3525"
    )
}

pub(crate) fn manufacture(industry: &str) -> Option<&'static Manufacture> {
    MANUFACTURES.iter().find(|m| m.industry == industry)
}

/// A firm's full name: `台州瑞恒泵业有限公司`.
pub(crate) fn firm(rng: &mut Rng, brand: &str, trade: &str) -> String {
    let prefix = *rng.pick(&["浙江", "台州", "台州市椒江", "浙江", "台州"]);
    let suffix = *rng.pick(&["有限公司", "有限公司", "股份有限公司", "科技有限公司"]);
    format!("{prefix}{brand}{trade}{suffix}")
}
