//! The columns of each kind of import: header, the names people give it, how its cells are
//! read, whether it is required, and the template's example.

use crate::table::ColKind;

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Text,
    /// Money; the unit comes from the header (`（元）`, `（万元）`, `（亿元）`), else 万元.
    Money,
    Date,
    Int,
    /// A month, `2019-03` or `2019年3月` (a date cell counts as its month).
    Month,
    /// 是/否.
    Bool,
    Area,
    Stage,
    ProjectCode,
    CreditCode,
    Division,
    NodeStatus,
    ProblemStatus,
    /// 单位类型 (its Chinese label or code).
    UnitKind,
    /// 集中开工级别.
    BatchLevel,
    /// 用地指标台账 entry kind.
    LandKind,
    /// 周报 / 月报.
    ReportPeriod,
    /// A percentage with one decimal (`85`, `85.5`, `85.5%`), kept in tenths.
    Percent,
    /// Several names in one cell, separated by 、 , ， ; or ；.
    List,
}

impl FieldType {
    pub(super) fn col_kind(self) -> ColKind {
        match self {
            FieldType::Money => ColKind::Money,
            FieldType::Date => ColKind::Date,
            FieldType::Int => ColKind::Int,
            FieldType::Area => ColKind::Area,
            _ => ColKind::Text,
        }
    }
}

/// What a column's value names in the district's records: the importer checks every such
/// value of every row (a bad row's too) before it writes, and the template's drop-down lists
/// the district's own values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefKind {
    /// A unit by name.
    Unit,
    /// A person by name (a leader first where two share a name).
    Person,
    /// A project type by its Chinese name or its code.
    ProjectType,
    /// A category (项目类别) by name or code.
    Category,
    /// A project by its code.
    ProjectCode,
    /// A project by its external id (or `ZT<id>`).
    ProjectExternal,
    /// An enterprise by its credit code.
    Enterprise,
}

/// One column of an import.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    /// The header the template and the export write.
    pub header: &'static str,
    /// Other names people give the column (compared without units, spaces and brackets).
    pub aliases: &'static [&'static str],
    pub ty: FieldType,
    pub required: bool,
    /// The template's example value.
    pub example: &'static str,
    /// What the value names, if it names a record.
    pub refers: Option<RefKind>,
    /// What the rows of this kind define under this column's value (a units sheet defines
    /// the units its other rows may name as parent).
    pub defines: Option<RefKind>,
}

impl Field {
    /// The column names a record of `kind`.
    pub(super) const fn refers(self, kind: RefKind) -> Field {
        Field {
            refers: Some(kind),
            ..self
        }
    }
    /// The column's values are records of `kind` the sheet itself defines.
    pub(super) const fn defines(self, kind: RefKind) -> Field {
        Field {
            defines: Some(kind),
            ..self
        }
    }
}

pub(super) const fn f(
    key: &'static str,
    header: &'static str,
    aliases: &'static [&'static str],
    ty: FieldType,
    required: bool,
    example: &'static str,
) -> Field {
    Field {
        key,
        header,
        aliases,
        ty,
        required,
        example,
        refers: None,
        defines: None,
    }
}

use FieldType as T;
use RefKind as R;

/// The columns by which a row names its project: its code, else its external id.
pub(super) const PROJECT_CODE: Field = f(
    "project_code",
    "项目代码",
    &["项目编码", "项目编号"],
    T::ProjectCode,
    false,
    "2019-331002-34-03-012345",
)
.refers(R::ProjectCode);
pub(super) const PROJECT_EXTERNAL_ID: Field = f("project_external_id", "项目外部编号", &[], T::Text, false, "").refers(R::ProjectExternal);

/// The month of a figure (月度投资, 固定资产投资).
const MONTH: Field = f("month", "月份", &["年月", "统计月份"], T::Month, true, "2019-03");

pub const PROJECT_FIELDS: &[Field] = &[
    f(
        "code",
        "项目代码",
        &["项目编码", "项目编号", "赋码", "备案代码"],
        T::ProjectCode,
        false,
        "2019-331002-34-03-012345",
    ),
    f(
        "external_id",
        "外部编号",
        &["外部ID", "外部id", "原系统编号"],
        T::Text,
        false,
        "XM-0001",
    ),
    f("name", "项目名称", &["名称", "项目"], T::Text, true, "台州湾新区科创园"),
    f("unit", "责任单位", &["牵头单位", "主体单位", "单位"], T::Text, true, "海门街道").refers(R::Unit),
    f("leader", "联系领导", &["分管领导", "领导", "挂联领导"], T::Text, false, "").refers(R::Person),
    f("project_type", "项目类型", &["类型"], T::Text, true, "工业项目").refers(R::ProjectType),
    f("stage", "项目阶段", &["阶段", "项目状态"], T::Stage, true, "前期"),
    f("industry_code", "行业代码", &["国民经济行业代码", "行业"], T::Text, false, "3411"),
    f(
        "division",
        "所在街道代码",
        &["街道代码", "行政区划代码", "区划代码", "所在街道"],
        T::Division,
        false,
        "331002001",
    ),
    f("location", "建设地点", &["地点", "项目地址"], T::Text, false, "海门街道东海大道"),
    f("land_area", "用地面积（亩）", &["用地面积", "用地"], T::Area, false, "85.5"),
    f(
        "total_investment",
        "总投资（万元）",
        &["总投资", "计划总投资", "投资总额"],
        T::Money,
        true,
        "125000",
    ),
    f(
        "investor",
        "投资主体",
        &["业主单位", "建设单位", "投资方"],
        T::Text,
        false,
        "台州某某科技有限公司",
    ),
    f("foreign", "是否外资", &["外资项目", "外资"], T::Bool, false, "否"),
    f("planned_year", "谋划年度", &["谋划年份", "年度"], T::Int, true, "2019"),
    f(
        "planned_start_on",
        "计划开工日期",
        &["计划开工", "计划开工时间"],
        T::Date,
        false,
        "2019-06-30",
    ),
    f(
        "started_on",
        "实际开工日期",
        &["开工日期", "实际开工", "落地日期"],
        T::Date,
        false,
        "",
    ),
    f("completed_on", "竣工日期", &["竣工", "实际竣工日期"], T::Date, false, ""),
    f("in_statistics_on", "入统日期", &["入库日期", "入统时间"], T::Date, false, ""),
    f(
        "description",
        "建设内容",
        &["项目简介", "简介", "主要建设内容"],
        T::Text,
        false,
        "新建厂房及配套设施",
    ),
];

pub const NODE_FIELDS: &[Field] = &[
    PROJECT_CODE,
    PROJECT_EXTERNAL_ID,
    f("external_id", "节点外部编号", &["外部编号"], T::Text, false, ""),
    f("seq", "序号", &["节点序号"], T::Int, false, "1"),
    f("name", "节点名称", &["节点", "名称"], T::Text, true, "完成项目备案"),
    f(
        "planned_on",
        "计划完成日期",
        &["计划日期", "计划完成时间", "计划完成"],
        T::Date,
        true,
        "2019-03-31",
    ),
    f("forecast_on", "预计完成日期", &["预计日期"], T::Date, false, ""),
    f("actual_on", "实际完成日期", &["实际日期", "完成日期"], T::Date, false, ""),
    f("unit", "责任单位", &["牵头单位", "单位"], T::Text, false, "区发改局").refers(R::Unit),
    f("status", "节点状态", &["状态"], T::NodeStatus, false, "未完成"),
];

pub const INVESTMENT_FIELDS: &[Field] = &[
    PROJECT_CODE,
    f("project_external_id", "项目外部编号", &["外部编号"], T::Text, false, "").refers(R::ProjectExternal),
    MONTH,
    f(
        "amount",
        "完成投资（万元）",
        &["完成投资", "当月完成投资", "月度投资"],
        T::Money,
        true,
        "1200",
    ),
];

pub const FAI_FIELDS: &[Field] = &[
    f(
        "division",
        "行政区划代码",
        &["区划代码", "街道代码"],
        T::Division,
        true,
        "331002001",
    ),
    MONTH,
    f(
        "cumulative",
        "累计完成投资（万元）",
        &["累计完成投资", "1至本月累计", "累计完成", "固定资产投资"],
        T::Money,
        true,
        "35600",
    ),
];

pub const ENTERPRISE_FIELDS: &[Field] = &[
    f(
        "credit_code",
        "统一社会信用代码",
        &["信用代码", "社会信用代码"],
        T::CreditCode,
        true,
        "9133100206527844XJ",
    ),
    f("name", "企业名称", &["名称", "企业"], T::Text, true, "台州某某科技有限公司"),
    f("industry_code", "行业代码", &["行业"], T::Text, false, "3411"),
    f(
        "division",
        "所在街道代码",
        &["行政区划代码", "区划代码", "街道代码"],
        T::Division,
        false,
        "331002001",
    ),
    f("tags", "培育标签", &["标签", "企业标签"], T::Text, false, "专精特新、瞪羚企业"),
];

pub const PROBLEM_FIELDS: &[Field] = &[
    f("external_id", "外部编号", &["问题编号", "编号"], T::Text, false, "WT-2019-001"),
    f("project_code", "项目代码", &["项目编码", "项目编号"], T::ProjectCode, false, "").refers(R::ProjectCode),
    PROJECT_EXTERNAL_ID,
    f(
        "enterprise",
        "企业信用代码",
        &["企业统一社会信用代码", "统一社会信用代码"],
        T::CreditCode,
        false,
        "",
    )
    .refers(R::Enterprise),
    f("category", "问题类别", &["类别", "问题类型"], T::Text, true, "要素保障"),
    f(
        "description",
        "问题描述",
        &["问题", "描述", "问题内容"],
        T::Text,
        true,
        "用地指标尚未落实",
    ),
    f("unit", "责任单位", &["交办单位", "承办单位", "单位"], T::Text, true, "区发改局").refers(R::Unit),
    f("raised_on", "提出日期", &["提出时间", "发现日期"], T::Date, true, "2019-05-10"),
    f("deadline", "办结时限", &["办结期限", "时限"], T::Date, false, "2019-06-10"),
    f("status", "办理状态", &["状态"], T::ProblemStatus, false, "已交办"),
    f("resolved_on", "办结日期", &["办结时间"], T::Date, false, ""),
    f("closed_on", "销号日期", &["销号时间"], T::Date, false, ""),
];
