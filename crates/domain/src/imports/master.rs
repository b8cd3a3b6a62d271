//! The district's master data by import: units (单位), people (人员) and categories (项目类别)
//! with their landing targets per year.

use super::fields::{Field, FieldType as T, RefKind as R, f};
use super::rows::{Keyed, RowIn};
use crate::categories::{category_code, category_name};
use crate::codes::DivisionCode;
use crate::model::UnitKind;
use crate::people::{person_name, person_title, phone};
use crate::units::{unit_code, unit_name};

pub const UNIT_FIELDS: &[Field] = &[
    f("name", "单位名称", &["单位", "名称"], T::Text, true, "区发改局").defines(R::Unit),
    f("code", "单位代码", &["机构代码", "单位编码"], T::Text, false, ""),
    f(
        "parent",
        "上级单位",
        &["上级", "所属单位", "上级单位名称"],
        T::Text,
        false,
        "椒江区人民政府",
    )
    .refers(R::Unit),
    f("kind", "单位类型", &["类型", "单位类别"], T::UnitKind, true, "部门"),
    f("division", "行政区划代码", &["区划代码", "街道代码"], T::Division, false, ""),
    f("sort_order", "排序", &["显示顺序", "排列顺序"], T::Int, false, "11"),
];

pub const PERSON_FIELDS: &[Field] = &[
    f("name", "姓名", &["人员", "名字", "人员姓名"], T::Text, true, "叶海峰"),
    f("title", "职务", &["职位"], T::Text, false, "区委书记"),
    f("unit", "所在单位", &["单位", "工作单位"], T::Text, true, "椒江区人民政府").refers(R::Unit),
    f("is_leader", "是否领导", &["包干领导", "区领导", "领导"], T::Bool, false, "是"),
    f("phone", "联系电话", &["电话", "手机", "手机号码"], T::Text, false, ""),
];

pub const CATEGORY_FIELDS: &[Field] = &[
    f("code", "类别代码", &["代码", "编码"], T::Text, true, "mayor"),
    f("name", "类别名称", &["名称", "类别", "项目类别"], T::Text, true, "市县长项目"),
    f("tracks_landing", "统计落地率", &["是否统计落地率"], T::Bool, false, "是"),
    f("sort_order", "排序", &["显示顺序"], T::Int, false, "2"),
    f("year", "目标年度", &["年度", "年份"], T::Int, false, "2019"),
    f("target", "落地率目标（%）", &["落地率目标", "目标"], T::Percent, false, "30"),
];

/// 单位 row: matched by name; its parent may be a unit of the same sheet, above or below it.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    pub line: u32,
    pub name: String,
    /// Its own code (机构代码 or the district's numbering), if any.
    pub code: Option<String>,
    pub parent: Option<String>,
    pub kind: UnitKind,
    pub division: Option<DivisionCode>,
    pub sort_order: Option<i64>,
}

/// 人员 row: matched by name and unit.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub line: u32,
    pub name: String,
    pub title: String,
    pub unit: String,
    pub is_leader: bool,
    pub phone: String,
}

/// 项目类别 row: a category, and its landing target of one year (a category without targets
/// has one row without a year). Rows of one code must agree on the category.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    pub line: u32,
    pub code: String,
    pub name: String,
    pub tracks_landing: bool,
    pub sort_order: Option<i64>,
    pub year: Option<i32>,
    /// The landing target in tenths of a percent.
    pub target_tenths: Option<i64>,
}

pub(super) fn unit_row(r: &mut RowIn) -> Option<UnitRow> {
    let name = r.checked("name", unit_name);
    let code = match unit_code(&r.text_or_empty("code")) {
        Ok(c) => c,
        Err(e) => {
            r.err("code", e.value, e.reason);
            None
        }
    };
    let parent = r.text("parent");
    if parent.as_deref() == Some(name.as_str()) {
        r.err("parent", name.clone(), "上级单位不能是本单位");
    }
    let row = UnitRow {
        line: r.line,
        name,
        code,
        parent,
        kind: r.unit_kind("kind")?,
        division: r.division("division"),
        sort_order: r.int("sort_order"),
    };
    r.finish(row)
}

pub(super) fn person_row(r: &mut RowIn) -> Option<PersonRow> {
    let phone = match phone(&r.text_or_empty("phone")) {
        Ok(p) => p,
        Err(e) => {
            r.err("phone", e.value, e.reason);
            String::new()
        }
    };
    let row = PersonRow {
        line: r.line,
        name: r.checked("name", person_name),
        title: r.checked("title", person_title),
        unit: r.text_or_empty("unit"),
        is_leader: r.flag("is_leader"),
        phone,
    };
    r.finish(row)
}

pub(super) fn category_row(r: &mut RowIn) -> Option<CategoryRow> {
    let year = r.year("year");
    let target = r.percent("target");
    let code = match category_code(&r.text_or_empty("code")) {
        Ok(c) => c,
        Err(e) => {
            r.err("code", e.value, e.reason);
            String::new()
        }
    };
    if target.is_some() && year.is_none() {
        r.err("year", "", "填写落地率目标时须填写目标年度");
    }
    let row = CategoryRow {
        line: r.line,
        code,
        name: r.checked("name", category_name),
        tracks_landing: r.flag("tracks_landing"),
        sort_order: r.int("sort_order"),
        year,
        target_tenths: target,
    };
    r.finish(row)
}

impl Keyed for UnitRow {
    const KEY_FIELD: &'static str = "name";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(self.name.clone())
    }
}

impl Keyed for PersonRow {
    const KEY_FIELD: &'static str = "name";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!("{}（{}）", self.name, self.unit))
    }
}

impl Keyed for CategoryRow {
    const KEY_FIELD: &'static str = "year";
    fn line(&self) -> u32 {
        self.line
    }
    fn key(&self) -> Option<String> {
        Some(format!("{} {}", self.code, self.year.map(|y| y.to_string()).unwrap_or_default()))
    }
}
