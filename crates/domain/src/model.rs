//! The records of a district's investment-project work. The store persists these; the web
//! and reports show them. Ids are database ids (`i64`). Names in code are English; the
//! Chinese term is in each doc comment.

use crate::codes::{CreditCode, DivisionCode, ProjectCode};
use crate::labelled::code_enum;
use crate::lights::Light;
use crate::money::{LandArea, Money};
use crate::stage::Stage;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum!(
    /// 单位类型.
    UnitKind {
        District = "district", "区", "District";
        Street = "street", "街道", "Street";
        Town = "town", "镇", "Town";
        Department = "department", "部门", "Department";
        StateEnterprise = "soe", "国企", "State enterprise";
        AttractionTeam = "attraction_team", "招商组", "Attraction team";
        Zone = "zone", "园区", "Zone";
    }
);

code_enum!(
    /// 节点状态: open → reported (单位报完成) → closed (销号); or sent back to open.
    NodeStatus {
        Open = "open", "未完成", "Open";
        Reported = "reported", "待核验", "Reported";
        Closed = "closed", "已销号", "Closed";
    }
);

code_enum!(
    /// 问题状态: the loop 提出 → 交办 → 办结 → 回访 → 销号.
    ProblemStatus {
        Raised = "raised", "已提出", "Raised";
        Assigned = "assigned", "已交办", "Assigned";
        Resolved = "resolved", "已办结", "Resolved";
        Closed = "closed", "已销号", "Closed";
    }
);

code_enum!(
    /// 招商阶段: 洽谈 → 签约 → 落地.
    LeadStage {
        Talks = "talks", "洽谈", "In talks";
        Signed = "signed", "签约", "Signed";
        Landed = "landed", "落地", "Landed";
        Dropped = "dropped", "终止", "Dropped";
    }
);

code_enum!(
    /// 集中开工 level.
    BatchLevel {
        Province = "province", "省级", "Province";
        City = "city", "市级", "City";
        District = "district", "区级", "District";
    }
);

code_enum!(
    /// 用地指标台账 entry kind.
    LandEntryKind {
        Grant = "grant", "上级下达", "Grant";
        Allocation = "allocation", "分配项目", "Allocation";
        Release = "release", "收回", "Release";
    }
);

code_enum!(
    /// Whether a clock or rule counts calendar days or working days (工作日).
    DayKind {
        Calendar = "calendar", "自然日", "Calendar days";
        Working = "working", "工作日", "Working days";
    }
);

code_enum!(
    /// 进展填报 period.
    ReportPeriod {
        Week = "week", "周报", "Weekly";
        Month = "month", "月报", "Monthly";
    }
);

/// 单位 / 责任单位: a node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub kind: UnitKind,
    pub division_code: Option<DivisionCode>,
}

/// 人员; a leader (领导) owns projects and leads supervision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub title: String,
    pub unit_id: i64,
    pub is_leader: bool,
}

/// 项目类别 / 层级: a tag such as 省"152"项目, with a landing target per year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// 项目.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    pub id: i64,
    pub code: Option<ProjectCode>,
    pub name: String,
    pub unit_id: i64,
    pub leader_id: Option<i64>,
    /// GB/T 4754-2017 code.
    pub industry_code: Option<String>,
    /// Key of a project type (with its node template): industrial, government, …
    pub project_type: String,
    pub stage: Stage,
    /// Street or town (9-digit division code).
    pub division_code: Option<DivisionCode>,
    pub location: String,
    pub land_area: Option<LandArea>,
    pub total_investment: Money,
    pub investor: String,
    pub foreign_investment: bool,
    /// Foreign investment in US cents, where foreign.
    pub foreign_investment_usd_cents: Option<i64>,
    /// Year the project was planned (谋划) into the pool.
    pub planned_year: i32,
    pub planned_start_on: Option<NaiveDate>,
    /// Date it reached 开工/落地.
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    /// Date it entered the statistics library (入库/入统).
    pub in_statistics_on: Option<NaiveDate>,
    pub description: String,
    pub version: i64,
}

/// 节点: one dated milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub id: i64,
    pub project_id: i64,
    pub seq: i32,
    pub name: String,
    pub planned_on: NaiveDate,
    /// The approved baseline: stays when the plan moves.
    pub baseline_on: NaiveDate,
    pub forecast_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub responsible_unit_id: i64,
    pub responsible_person_id: Option<i64>,
    pub status: NodeStatus,
    pub light: Option<Light>,
    pub light_reason: Option<String>,
    pub version: i64,
}

/// 企业.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enterprise {
    pub id: i64,
    pub credit_code: CreditCode,
    pub name: String,
    pub industry_code: Option<String>,
    pub division_code: Option<DivisionCode>,
    /// Cultivation lists: 瞪羚企业, 雄鹰培育, 专精特新 …
    pub tags: Vec<String>,
}
