//! 默认配置: what every district starts with, whichever it is — the project types with their
//! node templates, the project categories, the approval clocks (审批时限) — as `zhantu init`
//! and the first-run page write them, and as the demo district builds on them. Data, not
//! code: a district edits all of it afterwards. The light rules' defaults are
//! [`crate::rules::RuleSet::default`] (with [`crate::lights::LightRules::default`]'s node
//! thresholds). What belongs to one district only (its units, people, yearly landing targets)
//! is not here.

use crate::dataset::{ApprovalClockRow, CategoryRow, NodeTemplateRow, ProjectTypeRow};
use crate::model::{Category, DayKind, UnitKind};

/// What a step of a node template means for the project's stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOwner {
    /// The attraction team that signed the project (or the investment-promotion centre).
    Team,
    /// A department, by its short key (`发改`, `自然资源`, `住建`…).
    Department(&'static str),
    /// The street or town where the project is.
    Street,
    /// The project's own responsible unit.
    ProjectUnit,
}

impl StepOwner {
    /// The hint as stored with the template (`team`, `department:自然资源`, `street`, `owner`).
    pub fn hint(self) -> String {
        match self {
            StepOwner::Team => "team".into(),
            StepOwner::Department(key) => format!("department:{key}"),
            StepOwner::Street => "street".into(),
            StepOwner::ProjectUnit => "owner".into(),
        }
    }
}

/// One step of a default node template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemplateStep {
    pub name: &'static str,
    /// Days after the previous step in a first plan.
    pub offset_days: i32,
    pub owner: StepOwner,
    pub kind: StepKind,
}

const fn step(name: &'static str, offset_days: i32, owner: StepOwner, kind: StepKind) -> TemplateStep {
    TemplateStep {
        name,
        offset_days,
        owner,
        kind,
    }
}

use StepKind::*;
use StepOwner::{Department as Dept, ProjectUnit, Street, Team};

/// An enterprise (industrial) project; 赋码备案 → 施工许可 planned within the 60 days of the
/// "最多90天" reform.
const INDUSTRIAL: [TemplateStep; 10] = [
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
const COMMERCIAL: [TemplateStep; 10] = [
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

/// A government-invested building project (schools and hospitals use it too, as `social`).
const GOVERNMENT: [TemplateStep; 10] = [
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
const INFRASTRUCTURE: [TemplateStep; 10] = [
    step("工可批复", 0, Dept("发改"), Register),
    step("初步设计批复", 45, Dept("交通"), Approval),
    step("用地报批", 50, Dept("自然资源"), Approval),
    step("政策处理", 60, Street, Approval),
    step("施工招标", 30, ProjectUnit, Approval),
    step("施工许可", 15, Dept("交通"), Approval),
    step("开工", 10, ProjectUnit, Start),
    step("路基完成", 240, ProjectUnit, Build),
    step("路面完成", 150, ProjectUnit, Build),
    step("竣工验收", 60, Dept("交通"), Complete),
];

/// A default project type: its code (stored on the project), names and node template.
#[derive(Debug, Clone, Copy)]
pub struct DefaultProjectType {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    pub steps: &'static [TemplateStep],
}

impl DefaultProjectType {
    /// Index of the 开工 step.
    pub fn start_index(&self) -> usize {
        self.steps
            .iter()
            .position(|s| s.kind == StepKind::Start)
            .expect("every default template has 开工")
    }
}

pub const PROJECT_TYPES: [DefaultProjectType; 5] = [
    DefaultProjectType {
        code: "industrial",
        name: "工业项目",
        name_en: "Industrial project",
        steps: &INDUSTRIAL,
    },
    DefaultProjectType {
        code: "commercial",
        name: "商贸文旅项目",
        name_en: "Commerce and tourism project",
        steps: &COMMERCIAL,
    },
    DefaultProjectType {
        code: "government",
        name: "政府投资项目",
        name_en: "Government-invested project",
        steps: &GOVERNMENT,
    },
    DefaultProjectType {
        code: "social",
        name: "社会事业项目",
        name_en: "Social-sector project (schools, hospitals)",
        steps: &GOVERNMENT,
    },
    DefaultProjectType {
        code: "infrastructure",
        name: "交通基础设施项目",
        name_en: "Transport infrastructure project",
        steps: &INFRASTRUCTURE,
    },
];

/// The default project type of that code.
pub fn project_type(code: &str) -> Option<&'static DefaultProjectType> {
    PROJECT_TYPES.iter().find(|t| t.code == code)
}

/// The project types as rows to store.
pub fn project_types() -> Vec<ProjectTypeRow> {
    PROJECT_TYPES
        .iter()
        .map(|t| ProjectTypeRow {
            code: t.code.into(),
            name: t.name.into(),
            name_en: t.name_en.into(),
        })
        .collect()
}

/// Every type's node template as rows to store (steps numbered from 1).
/// The default steps run in parallel (并联) with the main line (主线) under the reform of
/// construction project approval (工程建设项目审批制度改革): the land pre-review beside the
/// feasibility approval, the design scheme review beside the planning permit, the land
/// clearance (政策处理) beside the design and tendering.
pub const PARALLEL_STEPS: [&str; 3] = ["用地预审", "方案审查", "政策处理"];

pub fn node_templates() -> Vec<NodeTemplateRow> {
    PROJECT_TYPES
        .iter()
        .flat_map(|t| {
            t.steps.iter().enumerate().map(move |(i, s)| NodeTemplateRow {
                project_type: t.code.into(),
                seq: i as i32 + 1,
                name: s.name.into(),
                offset_days: s.offset_days,
                owner_hint: s.owner.hint(),
                parallel: PARALLEL_STEPS.contains(&s.name),
            })
        })
        .collect()
}

/// A default project category (项目类别): its code, name, and whether 落地率 is reported for it.
#[derive(Debug, Clone, Copy)]
pub struct DefaultCategory {
    pub code: &'static str,
    pub name: &'static str,
    pub tracks_landing: bool,
}

const fn category(code: &'static str, name: &'static str, tracks_landing: bool) -> DefaultCategory {
    DefaultCategory {
        code,
        name,
        tracks_landing,
    }
}

/// In display order.
pub const CATEGORIES: [DefaultCategory; 8] = [
    category("prov152", "省\"152\"项目", true),
    category("mayor", "市县长项目", true),
    category("prov_major_industry", "省重大产业项目", false),
    category("over_500m", "5亿元以上产业项目", true),
    category("trillion", "千亿产业培育工程", true),
    category("digital", "产业数字化项目", true),
    category("ppp", "PPP项目（入国家库）", false),
    category("foreign", "外资项目", false),
];

/// The categories as rows to store: ids from 1 in display order, no targets yet (a
/// district sets its own per year).
pub fn categories() -> Vec<CategoryRow> {
    CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| CategoryRow {
            category: Category {
                id: i as i64 + 1,
                code: c.code.into(),
                name: c.name.into(),
            },
            tracks_landing: c.tracks_landing,
            targets: Vec::new(),
        })
        .collect()
}

/// 审批时限: the "最多90天" reform's 60-day approval part for enterprise projects, 90 working
/// days for government ones, 100 days before start on 标准地. Ids from 1.
pub fn approval_clocks() -> Vec<ApprovalClockRow> {
    let rows: [(&str, &str, &str, &str, i32, DayKind); 5] = [
        (
            "一般企业投资项目审批最多90天（赋码至施工许可60天）",
            "industrial",
            "赋码备案",
            "施工许可",
            60,
            DayKind::Calendar,
        ),
        (
            "一般企业投资项目审批最多90天（商贸文旅，赋码至施工许可60天）",
            "commercial",
            "赋码备案",
            "施工许可",
            60,
            DayKind::Calendar,
        ),
        (
            "政府投资项目审批最多90个工作日",
            "government",
            "项目建议书批复",
            "施工许可",
            90,
            DayKind::Working,
        ),
        (
            "政府投资项目审批最多90个工作日（社会事业）",
            "social",
            "项目建议书批复",
            "施工许可",
            90,
            DayKind::Working,
        ),
        (
            "标准地项目开工前审批最多100天",
            "industrial",
            "土地摘牌",
            "开工",
            100,
            DayKind::Calendar,
        ),
    ];
    rows.iter()
        .enumerate()
        .map(|(i, (name, project_type, start, stop, limit, day_kind))| ApprovalClockRow {
            id: i as i64 + 1,
            name: (*name).into(),
            project_type: Some((*project_type).into()),
            start_node: (*start).into(),
            stop_node: (*stop).into(),
            limit_days: *limit,
            day_kind: *day_kind,
        })
        .collect()
}

/// The kind of unit a street, town or township is, by its official name: 镇 and 乡 are towns,
/// the rest (街道) streets.
pub fn township_kind(name: &str) -> UnitKind {
    if name.ends_with('镇') || name.ends_with('乡') {
        UnitKind::Town
    } else {
        UnitKind::Street
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_whole_and_clocks_name_their_steps() {
        for t in PROJECT_TYPES {
            assert!(t.steps[t.start_index()].name == "开工", "{}", t.code);
            assert_eq!(t.steps.iter().filter(|s| s.kind == StepKind::Register).count(), 1, "{}", t.code);
        }
        let templates = node_templates();
        assert_eq!(templates.len(), 50);
        for c in approval_clocks() {
            let ty = c.project_type.as_deref().unwrap();
            for node in [&c.start_node, &c.stop_node] {
                assert!(
                    templates.iter().any(|s| s.project_type == ty && &s.name == node),
                    "clock {} names {node}, a step {ty} does not have",
                    c.name
                );
            }
        }
        let codes: std::collections::BTreeSet<_> = CATEGORIES.iter().map(|c| c.code).collect();
        assert_eq!(codes.len(), CATEGORIES.len(), "category codes are unique");
        assert!(categories().iter().all(|c| c.targets.is_empty()), "no district's targets");
        assert_eq!(township_kind("大陈镇"), UnitKind::Town);
        assert_eq!(township_kind("海门街道"), UnitKind::Street);
    }
}
