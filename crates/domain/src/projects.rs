//! A project entered by hand (新建项目): what a person types into the form or a JSON body,
//! parsed with the parsers the imports use, every field's refusal reported at once; and a
//! project's year (its categories and annual plan for that year).

use crate::codes::{DivisionCode, ProjectCode};
use crate::date::{Year, parse_date};
use crate::error::{FieldErrors, ParseError, RuleError, normalize_input};
use crate::money::{LandArea, Money, MoneyUnit};
use crate::stage::{Stage, StageDates};
use chrono::NaiveDate;
use serde::Deserialize;

/// What a person typed to create a project, field by field, as text (a form posts text; the
/// JSON API's numbers arrive as their text). Every field may be empty; [`ProjectForm::parse`]
/// says which must not be.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub name: String,
    /// 责任单位.
    pub unit_id: String,
    /// 包干领导: a district leader (a person).
    pub leader_id: String,
    /// The type's code or its Chinese name (`industrial` or `工业项目`).
    pub project_type: String,
    /// The stage it is in now (code or Chinese name) …
    pub stage: String,
    /// … since this date (the first entry of its stage history).
    pub stage_on: String,
    /// 总投资, 万元 unless the text names its unit.
    pub total_investment: String,
    /// 谋划年度.
    pub planned_year: String,
    pub planned_start_on: String,
    /// GB/T 4754 class.
    pub industry_code: String,
    /// The street's or town's division code.
    pub division_code: String,
    pub location: String,
    /// 用地面积, 亩.
    pub land_area: String,
    pub investor: String,
    /// 是否外资: 是/否.
    pub foreign: String,
    pub description: String,
    /// 投资项目统一代码, once registered.
    pub code: String,
    /// The number of the district's own list.
    pub external_id: String,
    /// The first template node's date (default: the stage's date).
    pub nodes_from: String,
}

/// A project to create, every value parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    pub name: String,
    pub unit_id: i64,
    pub leader_id: Option<i64>,
    /// As typed: the store finds the type by code or Chinese name.
    pub project_type: String,
    pub stage: Stage,
    pub stage_on: NaiveDate,
    pub total_investment: Money,
    pub planned_year: Year,
    pub planned_start_on: Option<NaiveDate>,
    pub industry_code: Option<String>,
    pub division: Option<DivisionCode>,
    pub location: String,
    pub land_area: Option<LandArea>,
    pub investor: String,
    pub foreign: bool,
    pub description: String,
    pub code: Option<ProjectCode>,
    pub external_id: Option<String>,
    pub nodes_from: NaiveDate,
}

impl NewProject {
    /// The 开工 and 竣工 dates its first stage sets.
    pub fn dates(&self) -> StageDates {
        StageDates::default().after_move(self.stage, self.stage_on)
    }
}

/// 是/否 as people write it (`是`, `否`, `yes`, `1`, `√`…); empty is 否.
pub fn parse_yes_no(input: &str) -> Result<bool, ParseError> {
    match normalize_input(input).to_lowercase().as_str() {
        "是" | "y" | "yes" | "true" | "1" | "√" => Ok(true),
        "否" | "n" | "no" | "false" | "0" | "" => Ok(false),
        _ => Err(ParseError::new("invalid_yes_no", "是否", input, "应为“是”或“否”")),
    }
}

/// A record's number (a unit, a person…): a positive whole number.
pub fn parse_record_id(input: &str, what: &'static str) -> Result<i64, ParseError> {
    normalize_input(input)
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ParseError::new("invalid_id", what, input, "应为记录编号（正整数）"))
}

/// The longest text of each kind of field.
pub const NAME_MAX: usize = 200;
pub const TEXT_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 4000;
const EXTERNAL_ID_MAX: usize = 60;

/// A text field of a project (`what` names it in Chinese): trimmed, not longer than `max`,
/// not empty when `required`.
pub fn project_text(input: &str, what: &str, max: usize, required: bool) -> Result<String, RuleError> {
    let s = input.trim().replace('\u{3000}', " ").trim().to_string();
    if required && s.is_empty() {
        return Err(RuleError::new("field_required", format!("请填写{what}")));
    }
    if s.chars().count() > max {
        return Err(RuleError::new("text_too_long", format!("{what}不能超过{max}个字")));
    }
    Ok(s)
}

/// 总投资: money (万元 unless the text names its unit), not negative.
pub fn parse_total_investment(input: &str) -> Result<Money, ParseError> {
    let m = Money::parse(input, MoneyUnit::Wan)?;
    if m.yuan() < 0 {
        return Err(ParseError::new("invalid_money", "总投资", input, "不能为负数"));
    }
    Ok(m)
}

/// A GB/T 4754-2017 class, division, group or section code.
pub fn parse_industry(input: &str) -> Result<String, ParseError> {
    let code = normalize_input(input);
    if crate::reference::industry(&code).is_none() {
        return Err(ParseError::new(
            "invalid_industry",
            "行业代码",
            input,
            "不在《国民经济行业分类》(GB/T 4754-2017)中",
        ));
    }
    Ok(code)
}

/// `input` trimmed, or `None` when empty.
fn given(input: &str) -> Option<String> {
    Some(normalize_input(input)).filter(|s| !s.is_empty())
}

impl ProjectForm {
    /// The unit it names, when it reads as a record number.
    pub fn unit(&self) -> Option<i64> {
        parse_record_id(&self.unit_id, "责任单位").ok()
    }

    /// The leader it names, when it reads as a record number.
    pub fn leader(&self) -> Option<i64> {
        parse_record_id(&self.leader_id, "包干领导").ok()
    }

    /// Parses every field; `as_of` is the data day (a stage cannot be entered after it). Every
    /// refused field is reported, each under its own name.
    pub fn parse(&self, as_of: NaiveDate) -> Result<NewProject, FieldErrors> {
        let mut e = FieldErrors::default();
        let text = |e: &mut FieldErrors, field: &'static str, what: &str, input: &str, max: usize, required: bool| {
            project_text(input, what, max, required).unwrap_or_else(|r| {
                e.push(field, r.code, r.message);
                String::new()
            })
        };
        let name = text(&mut e, "name", "项目名称", &self.name, NAME_MAX, true);
        let unit_id = match given(&self.unit_id) {
            None => {
                e.push("unit_id", "field_required", "请选择责任单位");
                None
            }
            Some(s) => e.take("unit_id", parse_record_id(&s, "责任单位")),
        };
        let leader_id = given(&self.leader_id).and_then(|s| e.take("leader_id", parse_record_id(&s, "包干领导")));
        let project_type = text(&mut e, "project_type", "项目类型", &self.project_type, TEXT_MAX, true);
        let stage = match given(&self.stage) {
            None => {
                e.push("stage", "field_required", "请选择项目阶段");
                None
            }
            Some(s) => e.take("stage", Stage::parse(&s)),
        };
        if stage == Some(Stage::Terminated) {
            e.push("stage", "project_new_terminated", "新建项目不能处于终止阶段");
        }
        let stage_on = match given(&self.stage_on) {
            None => {
                e.push("stage_on", "field_required", "请填写进入当前阶段的日期");
                None
            }
            Some(s) => e.take("stage_on", parse_date(&s)),
        };
        if let Some(on) = stage_on.filter(|on| *on > as_of) {
            e.push("stage_on", "stage_date_future", format!("阶段日期 {on} 晚于数据日 {as_of}"));
        }
        let total_investment = match given(&self.total_investment) {
            None => {
                e.push("total_investment", "field_required", "请填写总投资（万元）");
                None
            }
            Some(s) => e.take("total_investment", parse_total_investment(&s)),
        };
        let planned_year = match given(&self.planned_year) {
            None => {
                e.push("planned_year", "field_required", "请填写谋划年度");
                None
            }
            Some(s) => e.take("planned_year", Year::parse(&s)),
        };
        let planned_start_on = given(&self.planned_start_on).and_then(|s| e.take("planned_start_on", parse_date(&s)));
        let industry_code = given(&self.industry_code).and_then(|c| e.take("industry_code", parse_industry(&c)));
        let division = given(&self.division_code).and_then(|s| e.take("division_code", DivisionCode::parse(&s)));
        let location = text(&mut e, "location", "建设地点", &self.location, TEXT_MAX, false);
        let land_area = given(&self.land_area).and_then(|s| e.take("land_area", LandArea::parse(&s)));
        let investor = text(&mut e, "investor", "投资主体", &self.investor, TEXT_MAX, false);
        let foreign = e.take("foreign", parse_yes_no(&self.foreign)).unwrap_or(false);
        let description = text(&mut e, "description", "建设内容", &self.description, DESCRIPTION_MAX, false);
        let code = given(&self.code).and_then(|s| e.take("code", ProjectCode::parse(&s)));
        let external_id = text(&mut e, "external_id", "外部编号", &self.external_id, EXTERNAL_ID_MAX, false);
        let nodes_from = given(&self.nodes_from).and_then(|s| e.take("nodes_from", parse_date(&s)));
        match (unit_id, stage, stage_on, total_investment, planned_year) {
            (Some(unit_id), Some(stage), Some(stage_on), Some(total_investment), Some(planned_year)) if e.is_empty() => Ok(NewProject {
                name,
                unit_id,
                leader_id,
                project_type,
                stage,
                stage_on,
                total_investment,
                planned_year,
                planned_start_on,
                industry_code: industry_code.filter(|c| !c.is_empty()),
                division,
                location,
                land_area,
                investor,
                foreign,
                description,
                code,
                external_id: Some(external_id).filter(|x| !x.is_empty()),
                nodes_from: nodes_from.unwrap_or(stage_on),
            }),
            _ => Err(e),
        }
    }
}

/// A project's year as a person sets it: the categories (district lists) it is on that year
/// and its planned investment (年度计划投资). `None` leaves that part as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectYear {
    pub year: Year,
    pub category_ids: Option<Vec<i64>>,
    /// `Some(None)` removes the year's plan.
    pub planned_investment: Option<Option<Money>>,
}

impl ProjectYear {
    /// Checks what is set: a plan is not negative, a category is named once.
    pub fn parse(year: &str, category_ids: Option<Vec<i64>>, planned: Option<Option<&str>>) -> Result<ProjectYear, FieldErrors> {
        let mut e = FieldErrors::default();
        let year = e.take("year", Year::parse(&normalize_input(year)));
        let planned_investment = planned.map(|p| {
            p.and_then(given).and_then(|s| {
                let m = e.take("planned_investment", Money::parse(&s, MoneyUnit::Wan))?;
                if m.yuan() < 0 {
                    e.push("planned_investment", "invalid_money", "年度计划投资不能为负数");
                }
                Some(m)
            })
        });
        if let Some(ids) = &category_ids {
            let mut seen = std::collections::BTreeSet::new();
            if ids.iter().any(|id| !seen.insert(*id)) {
                e.push("category_ids", "category_repeated", "同一项目类别列了两次");
            }
        }
        match year {
            Some(year) if e.is_empty() => Ok(ProjectYear {
                year,
                category_ids,
                planned_investment,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn form() -> ProjectForm {
        ProjectForm {
            name: "台州湾新材料产业园".into(),
            unit_id: "3".into(),
            leader_id: "".into(),
            project_type: "工业项目".into(),
            stage: "谋划".into(),
            stage_on: "2019-11-15".into(),
            total_investment: "125000.5".into(),
            planned_year: "2020".into(),
            foreign: "否".into(),
            ..ProjectForm::default()
        }
    }

    #[test]
    fn a_good_form_parses_with_its_defaults() {
        let p = form().parse(d(2020, 12, 31)).unwrap();
        assert_eq!((p.unit_id, p.stage, p.planned_year.get()), (3, Stage::Planning, 2020));
        assert_eq!(p.total_investment, Money::parse("125000.5万元", MoneyUnit::Wan).unwrap());
        assert_eq!(p.nodes_from, d(2019, 11, 15), "the nodes start on the stage's date");
        assert_eq!(p.dates(), StageDates::default());
        let started = ProjectForm {
            stage: "开工".into(),
            ..form()
        };
        assert_eq!(started.parse(d(2020, 12, 31)).unwrap().dates().started_on, Some(d(2019, 11, 15)));
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let bad = ProjectForm {
            name: " ".into(),
            unit_id: "海门".into(),
            stage: "终止".into(),
            stage_on: "2021-01-01".into(),
            total_investment: "-5".into(),
            planned_year: "20".into(),
            industry_code: "9999".into(),
            foreign: "也许".into(),
            code: "123".into(),
            ..form()
        };
        let e = bad.parse(d(2020, 12, 31)).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
        for f in [
            "name",
            "unit_id",
            "stage",
            "stage_on",
            "total_investment",
            "planned_year",
            "industry_code",
            "foreign",
            "code",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert_eq!(e.of("stage").unwrap().code, "project_new_terminated");
        assert_eq!(e.of("stage_on").unwrap().code, "stage_date_future");
        assert!(e.summary().contains("项目名称"), "{e}");
        let empty = ProjectForm::default().parse(d(2020, 1, 1)).unwrap_err();
        assert!(empty.0.iter().all(|f| f.code == "field_required"), "{empty:?}");
        assert_eq!(empty.0.len(), 7, "{empty:?}");
    }

    #[test]
    fn a_year_sets_categories_and_a_plan() {
        let y = ProjectYear::parse("2020", Some(vec![1, 2]), Some(Some("1200"))).unwrap();
        assert_eq!(y.planned_investment, Some(Some(Money::from_wan(1200))));
        let cleared = ProjectYear::parse("2020", None, Some(None)).unwrap();
        assert_eq!((cleared.category_ids, cleared.planned_investment), (None, Some(None)));
        let e = ProjectYear::parse("1800", Some(vec![1, 1]), Some(Some("-1"))).unwrap_err();
        assert_eq!(e.0.len(), 3, "{e:?}");
    }

    #[test]
    fn yes_no_as_people_write_it() {
        assert!(parse_yes_no("是").unwrap() && parse_yes_no("√").unwrap());
        assert!(!parse_yes_no("").unwrap() && !parse_yes_no("否").unwrap());
        assert_eq!(parse_yes_no("maybe").unwrap_err().code, "invalid_yes_no");
    }
}
