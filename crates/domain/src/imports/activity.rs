//! The district's programmes by import, recorded as they happened: 三服务 visits, groundbreaking
//! batches (集中开工) with their members, campaigns (攻坚擂台赛) with their target nodes and
//! units, supervision rounds (督查) with the projects they visited, and the land quota ledger
//! (用地指标台账).
//!
//! A batch, a campaign or a round takes one row per member (project, node); its own columns
//! repeat on each row and must agree (`groups.rs`), and its rows in a file are its whole list:
//! members the file does not name are taken off. A batch imported this way records its members
//! as given: today's readiness gate judges admissions made in the app, not history.

use super::fields::{Field, FieldType as T, PROJECT_CODE, PROJECT_EXTERNAL_ID, RefKind as R, f};
use super::rows::{Keyed, ProjectKey, RowIn};
use crate::batches::parse_gate_nodes;
use crate::campaigns::check_campaign;
use crate::codes::CreditCode;
use crate::enterprises::check_visit_findings;
use crate::model::{BatchLevel, LandEntryKind};
use crate::money::LandArea;
use crate::supervision::check_round_name;
use chrono::NaiveDate;

pub const VISIT_FIELDS: &[Field] = &[
    f(
        "enterprise",
        "统一社会信用代码",
        &["信用代码", "企业信用代码"],
        T::CreditCode,
        true,
        "9133100206527844XJ",
    )
    .refers(R::Enterprise),
    f("visited_on", "走访日期", &["日期", "走访时间"], T::Date, true, "2019-05-08"),
    f("unit", "走访单位", &["单位"], T::Text, true, "海门街道").refers(R::Unit),
    f("visitor", "走访人", &["走访人员"], T::Text, false, ""),
    f(
        "findings",
        "走访发现",
        &["走访情况", "企业诉求", "情况"],
        T::Text,
        true,
        "企业经营正常，反映用工紧张",
    ),
];

pub const BATCH_FIELDS: &[Field] = &[
    f(
        "name",
        "批次名称",
        &["批次", "集中开工批次"],
        T::Text,
        true,
        "椒江区2019年第二季度重大项目集中开工",
    ),
    f("level", "级别", &["批次级别"], T::BatchLevel, true, "区级"),
    f("held_on", "集中开工日期", &["举办日期", "日期"], T::Date, true, "2019-06-18"),
    f("gate_nodes", "准入节点", &["准入条件"], T::Text, false, "施工许可"),
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
];

pub const CAMPAIGN_FIELDS: &[Field] = &[
    f(
        "name",
        "活动名称",
        &["擂台赛名称", "攻坚行动", "名称"],
        T::Text,
        true,
        "“奋战60天、突破60难”项目攻坚擂台赛",
    ),
    f("starts_on", "开始日期", &["开始"], T::Date, true, "2019-06-01"),
    f("ends_on", "结束日期", &["结束"], T::Date, true, "2019-07-30"),
    f("description", "活动说明", &["说明"], T::Text, false, ""),
    f("units", "参赛单位", &["参与单位", "单位"], T::List, false, "海门街道、区发改局").refers(R::Unit),
    f("closing_note", "结束总结", &["总结", "结束说明"], T::Text, false, ""),
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("node_seq", "节点序号", &["序号"], T::Int, false, "1"),
    f("node_name", "节点名称", &["攻坚节点", "节点"], T::Text, false, "完成项目备案"),
];

pub const SUPERVISION_FIELDS: &[Field] = &[
    f(
        "name",
        "督查名称",
        &["督查轮次", "轮次", "名称"],
        T::Text,
        true,
        "2019年第一批区委书记督查重点建设项目",
    ),
    f("leader", "带队领导", &["督查领导", "领导"], T::Text, true, "叶海峰").refers(R::Person),
    f("held_on", "督查日期", &["日期"], T::Date, true, "2019-02-27"),
    f("summary", "督查概况", &["概况", "说明"], T::Text, false, ""),
    f("report", "督查报告", &["报告"], T::Text, false, ""),
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("finding", "督查发现", &["发现问题", "问题"], T::Text, false, "用地报批进度滞后"),
];

pub const LAND_FIELDS: &[Field] = &[
    f(
        "entry_on",
        "日期",
        &["台账日期", "下达日期", "分配日期"],
        T::Date,
        true,
        "2019-03-15",
    ),
    f("kind", "类型", &["台账类型", "指标类型"], T::LandKind, true, "分配项目"),
    f("area", "面积（亩）", &["面积", "指标面积"], T::Area, true, "85.5"),
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("document", "依据文件", &["文件", "文号"], T::Text, false, "用地指标安排"),
    f("note", "备注", &["说明"], T::Text, false, ""),
];

/// 三服务走访 row: matched by enterprise, day, unit and visitor. A visitor not in the people
/// register is kept by name.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitRow {
    pub line: u32,
    pub enterprise: CreditCode,
    pub visited_on: NaiveDate,
    pub unit: String,
    pub visitor: String,
    pub findings: String,
}

/// 集中开工 row: a batch (known by its name and day) and one member, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    pub line: u32,
    pub name: String,
    pub level: BatchLevel,
    pub held_on: NaiveDate,
    pub gate_nodes: Vec<String>,
    pub project: Option<ProjectKey>,
}

/// How a campaign row names its target node: by its sequence number, else its name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeKey {
    Seq(i64),
    Name(String),
}

/// 攻坚擂台赛 row: a campaign (known by its name and first day) and one target node, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRow {
    pub line: u32,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub description: String,
    /// The units taking part (the union over the campaign's rows).
    pub units: Vec<String>,
    /// Its closing summary: a campaign with one is over.
    pub closing_note: String,
    pub node: Option<(ProjectKey, NodeKey)>,
}

/// 督查 row: a round (known by its name and day) and one project it visited, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct SupervisionRow {
    pub line: u32,
    pub name: String,
    pub leader: String,
    pub held_on: NaiveDate,
    pub summary: String,
    /// The round's report: a round with one is closed.
    pub report: String,
    pub target: Option<(ProjectKey, String)>,
}

/// 用地指标台账 row: matched by day, kind, project and document.
#[derive(Debug, Clone, PartialEq)]
pub struct LandRow {
    pub line: u32,
    pub entry_on: NaiveDate,
    pub kind: LandEntryKind,
    pub area: LandArea,
    pub project: Option<ProjectKey>,
    pub document: String,
    pub note: String,
}

pub(super) fn visit_row(r: &mut RowIn) -> Option<VisitRow> {
    let findings = r.text_or_empty("findings");
    if let Err(e) = check_visit_findings(&findings) {
        r.err("findings", findings.chars().take(20).collect::<String>(), e.message);
    }
    let row = VisitRow {
        line: r.line,
        enterprise: r.ccode("enterprise")?,
        visited_on: r.date("visited_on")?,
        unit: r.text_or_empty("unit"),
        visitor: r.text_or_empty("visitor"),
        findings,
    };
    r.finish(row)
}

pub(super) fn batch_row(r: &mut RowIn) -> Option<BatchRow> {
    let row = BatchRow {
        line: r.line,
        name: r.text_or_empty("name"),
        level: r.batch_level("level")?,
        held_on: r.date("held_on")?,
        gate_nodes: parse_gate_nodes(&r.text_or_empty("gate_nodes")),
        project: r.project_opt(),
    };
    r.finish(row)
}

pub(super) fn campaign_row(r: &mut RowIn) -> Option<CampaignRow> {
    let name = r.text_or_empty("name");
    let (starts_on, ends_on) = (r.date("starts_on")?, r.date("ends_on")?);
    if let Err(e) = check_campaign(&name, starts_on, ends_on) {
        r.err("ends_on", ends_on.to_string(), e.message);
    }
    let node = match (r.project_opt(), r.int("node_seq"), r.text("node_name")) {
        (None, None, None) => None,
        (Some(p), Some(seq), _) => Some((p, NodeKey::Seq(seq))),
        (Some(p), None, Some(n)) => Some((p, NodeKey::Name(n))),
        (Some(_), None, None) => {
            r.err("node_name", "", "须填写节点序号或节点名称");
            None
        }
        (None, _, _) => {
            r.err("project_code", "", "须填写节点所属项目的项目代码或项目外部编号");
            None
        }
    };
    let row = CampaignRow {
        line: r.line,
        name,
        starts_on,
        ends_on,
        description: r.text_or_empty("description"),
        units: r.list("units").unwrap_or_default(),
        closing_note: r.text_or_empty("closing_note"),
        node,
    };
    r.finish(row)
}

pub(super) fn supervision_row(r: &mut RowIn) -> Option<SupervisionRow> {
    let name = r.text_or_empty("name");
    if let Err(e) = check_round_name(&name) {
        r.err("name", "", e.message);
    }
    let project = r.project_opt();
    let finding = r.text_or_empty("finding");
    if project.is_none() && !finding.is_empty() {
        r.err("project_code", "", "填写督查发现时须填写所督查项目的项目代码或项目外部编号");
    }
    let row = SupervisionRow {
        line: r.line,
        name,
        leader: r.text_or_empty("leader"),
        held_on: r.date("held_on")?,
        summary: r.text_or_empty("summary"),
        report: r.text_or_empty("report"),
        target: project.map(|p| (p, finding)),
    };
    r.finish(row)
}

pub(super) fn land_row(r: &mut RowIn) -> Option<LandRow> {
    let kind = r.land_kind("kind")?;
    let project = r.project_opt();
    if kind == LandEntryKind::Allocation && project.is_none() {
        r.err("project_code", "", "分配指标须填写项目代码或项目外部编号");
    }
    let area = r.area("area")?;
    if area.centi_mu() <= 0 {
        r.err("area", area.mu_exact(), "面积须大于0亩");
    }
    let row = LandRow {
        line: r.line,
        entry_on: r.date("entry_on")?,
        kind,
        area,
        project,
        document: r.text_or_empty("document"),
        note: r.text_or_empty("note"),
    };
    r.finish(row)
}

impl Keyed for VisitRow {
    const KEY_FIELD: &'static str = "visited_on";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!(
            "{} {} {} {}",
            self.enterprise.as_str(),
            self.visited_on,
            self.unit,
            self.visitor
        ))
    }
}

impl Keyed for BatchRow {
    const KEY_FIELD: &'static str = "project_code";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        let member = self.project.as_ref().map(ProjectKey::describe).unwrap_or_default();
        Some(format!("{} {} {member}", self.name, self.held_on))
    }
}

impl Keyed for CampaignRow {
    const KEY_FIELD: &'static str = "node_name";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        let node = match &self.node {
            Some((p, NodeKey::Seq(s))) => format!("{} #{s}", p.describe()),
            Some((p, NodeKey::Name(n))) => format!("{} {n}", p.describe()),
            None => String::new(),
        };
        Some(format!("{} {} {node}", self.name, self.starts_on))
    }
}

impl Keyed for SupervisionRow {
    const KEY_FIELD: &'static str = "project_code";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        let target = self.target.as_ref().map(|(p, _)| p.describe()).unwrap_or_default();
        Some(format!("{} {} {target}", self.name, self.held_on))
    }
}

impl Keyed for LandRow {
    const KEY_FIELD: &'static str = "document";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        let project = self.project.as_ref().map(ProjectKey::describe).unwrap_or_default();
        Some(format!("{} {} {project} {}", self.entry_on, self.kind.label_zh(), self.document))
    }
}
