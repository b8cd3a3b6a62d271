//! Reading an OC4IDS project package back into projects (导入): each project's facts as the
//! export writes them (and as other publishers write the same fields), or every reason it
//! cannot be read. All or nothing: the store writes none unless every project reads.
//!
//! What the export derives (sector, type, milestone status, the overall period's end) is not
//! read back: it follows again from what is read. The phases' start days become the stage
//! history, `status` the stage: identification 谋划, preparation 前期, implementation 开工,
//! completion 竣工, maintenance 投产, cancelled 终止.

use super::{INDUSTRY_SCHEME, TYPE_SCHEME};
use crate::codes::ProjectCode;
use crate::money::Money;
use crate::stage::Stage;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::Value;

/// The project type of a project that names none of ours: most infrastructure a public body
/// publishes is government-invested.
pub const DEFAULT_TYPE: &str = "government";

/// One milestone read as a node of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedNode {
    pub name: String,
    pub planned_on: NaiveDate,
    /// Met (销号), and on which day when the package says.
    pub met: bool,
    pub met_on: Option<NaiveDate>,
}

/// One project read from a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedProject {
    /// Its id in the package (kept as the project's external id).
    pub oc4ids_id: String,
    pub code: Option<ProjectCode>,
    pub name: String,
    pub description: String,
    pub stage: Stage,
    pub project_type: String,
    pub industry_code: Option<String>,
    /// The public authority's name: the responsible unit, found by name.
    pub unit_name: String,
    pub investor: String,
    pub total_investment: Money,
    /// The street or town by name (`address.locality`), found among the district's.
    pub locality: Option<String>,
    pub location: String,
    pub lat_e6: Option<i64>,
    pub lng_e6: Option<i64>,
    pub planned_year: i32,
    pub planned_start_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    /// The stage history, oldest first; its last entry is `stage`.
    pub stage_moves: Vec<(Stage, NaiveDate)>,
    pub nodes: Vec<ImportedNode>,
}

/// A project of the package that cannot be read: its place, its id, and every reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectRefusal {
    /// Its position in `projects` (from 1).
    pub number: usize,
    pub id: String,
    pub reasons: Vec<String>,
}

/// A day from the standard's date-time, as a day in China (`2019-03-05T00:00:00+08:00`), or
/// a plain day (`2019-03-05`).
pub fn read_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        let china = chrono::FixedOffset::east_opt(8 * 3600)?;
        return Some(t.with_timezone(&china).date_naive());
    }
    s.get(..10).and_then(|d| d.parse().ok())
}

/// The stage a `status` names, or why it names none we keep.
fn stage_of(status: Option<&str>) -> Result<Stage, String> {
    match status {
        None | Some("identification") => Ok(Stage::Planning),
        Some("preparation") => Ok(Stage::Preparation),
        Some("implementation") => Ok(Stage::Started),
        Some("completion") => Ok(Stage::Completed),
        Some("maintenance") => Ok(Stage::Operating),
        Some("cancelled") => Ok(Stage::Terminated),
        Some(s @ ("decommissioning" | "decommissioned")) => Err(format!("状态“{s}”（报废拆除）的项目不在本系统管理范围")),
        Some(other) => Err(format!("状态“{other}”不在projectStatus代码表中")),
    }
}

fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn day_at(v: &Value, object: &str, key: &str) -> Result<Option<NaiveDate>, String> {
    match v.get(object).and_then(|o| o.get(key)) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => read_day(s).map(Some).ok_or_else(|| format!("{object}.{key}“{s}”不是日期")),
        Some(other) => Err(format!("{object}.{key} 应为日期：{other}")),
    }
}

/// Degrees as microdegrees, rounded to the sixth decimal.
fn micro(v: &Value) -> Option<i64> {
    let d = v.as_f64()?;
    (d.is_finite() && d.abs() <= 180.0).then(|| (d * 1_000_000.0).round() as i64)
}

fn organisations_with<'a>(p: &'a Value, role: &str) -> impl Iterator<Item = &'a Value> {
    p.get("parties").and_then(Value::as_array).into_iter().flatten().filter(move |o| {
        o.get("roles")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|x| x.as_str() == Some(role)))
    })
}

fn classification<'a>(p: &'a Value, scheme: &str) -> Option<&'a str> {
    p.get("additionalClassifications")
        .and_then(Value::as_array)?
        .iter()
        .find(|c| c.get("scheme").and_then(Value::as_str) == Some(scheme))
        .and_then(|c| text(c, "id"))
}

/// One project, or every reason it cannot be read. `fallback_day` dates the stage of a
/// project whose package gives no day at all (the package's own date).
pub fn read_project(p: &Value, fallback_day: NaiveDate) -> Result<ImportedProject, Vec<String>> {
    let mut why = Vec::new();
    let oc4ids_id = text(p, "id").unwrap_or_default().to_string();
    if oc4ids_id.is_empty() {
        why.push("缺少项目编号（id）".to_string());
    }
    let name = text(p, "title").unwrap_or_default().to_string();
    if name.is_empty() {
        why.push("缺少项目名称（title）".to_string());
    }
    let code = match p
        .get("identifiers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|i| i.get("scheme").and_then(Value::as_str) == Some(super::CODE_SCHEME))
        .and_then(|i| text(i, "id"))
    {
        None => None,
        Some(c) => match ProjectCode::parse(c) {
            Ok(c) => Some(c),
            Err(e) => {
                why.push(e.to_string());
                None
            }
        },
    };
    let stage = stage_of(text(p, "status")).unwrap_or_else(|e| {
        why.push(e);
        Stage::Planning
    });
    let unit_name = p
        .get("publicAuthority")
        .and_then(|a| text(a, "name"))
        .or_else(|| organisations_with(p, "publicAuthority").find_map(|o| text(o, "name")))
        .unwrap_or_default()
        .to_string();
    if unit_name.is_empty() {
        why.push("缺少责任单位（publicAuthority 或角色为 publicAuthority 的参与方）".to_string());
    }
    let investor = organisations_with(p, "funder")
        .find_map(|o| text(o, "name"))
        .unwrap_or_default()
        .to_string();
    let amount = p.get("budget").and_then(|b| b.get("amount"));
    let total_investment = match amount.map(|a| (a.get("amount"), text(a, "currency"))) {
        None | Some((None, _)) => {
            why.push("缺少预算金额（budget.amount.amount）".to_string());
            Money::from_yuan(0)
        }
        Some((_, Some(c))) if c != "CNY" => {
            why.push(format!("预算币种为 {c}：只接受人民币（CNY）"));
            Money::from_yuan(0)
        }
        Some((Some(n), _)) => match n.as_i64().filter(|n| *n >= 0) {
            Some(yuan) => Money::from_yuan(yuan),
            None => {
                why.push(format!("预算金额 {n} 无效：应为不小于0的整数元"));
                Money::from_yuan(0)
            }
        },
    };

    let location = p.get("locations").and_then(Value::as_array).and_then(|l| l.first());
    let address = location.and_then(|l| l.get("address"));
    let street = address.and_then(|a| text(a, "streetAddress")).unwrap_or_default().to_string();
    let locality = address.and_then(|a| text(a, "locality")).map(str::to_string);
    let (mut lat_e6, mut lng_e6) = (None, None);
    // A point is the project's place on the map; a line or an area is not a place on our map,
    // and the address stands for it.
    let geometry = location.and_then(|l| l.get("geometry"));
    let point = geometry
        .filter(|g| text(g, "type") == Some("Point"))
        .and_then(|g| g.get("coordinates"))
        .and_then(Value::as_array);
    if let Some([lng, lat, ..]) = point.map(Vec::as_slice) {
        match (micro(lat), micro(lng)) {
            (Some(a), Some(o)) if a.abs() <= 90_000_000 => (lat_e6, lng_e6) = (Some(a), Some(o)),
            _ => why.push(format!("坐标 [{lng}, {lat}] 无效")),
        }
    }

    let mut dates = |object: &str, key: &str| {
        day_at(p, object, key).unwrap_or_else(|e| {
            why.push(e);
            None
        })
    };
    let identified = dates("identificationPeriod", "startDate");
    let prepared = dates("preparationPeriod", "startDate");
    let started = dates("implementationPeriod", "startDate");
    let implemented_until = dates("implementationPeriod", "endDate");
    let completion_starts = dates("completionPeriod", "startDate");
    let completion_ends = dates("completion", "endDate");
    let planned_start_on = dates("period", "startDate");
    // 竣工: the actual completion date (`completion.endDate`) where the package gives it, else
    // the day the completion phase began.
    let completed = completion_ends
        .or(completion_starts)
        .or_else(|| stage.has_completed().then_some(implemented_until).flatten());

    // The history: each phase the project reached, on its start day.
    let mut moves: Vec<(Stage, NaiveDate)> = Vec::new();
    for (s, d) in [
        (Stage::Planning, identified),
        (Stage::Preparation, prepared),
        (Stage::Started, started),
        (Stage::Completed, completed),
    ] {
        if let Some(d) = d.filter(|_| s <= stage || stage == Stage::Terminated) {
            moves.push((s, d));
        }
    }
    let last_day = moves.last().map(|(_, d)| *d);
    if moves.last().map(|(s, _)| *s) != Some(stage) {
        moves.push((stage, last_day.unwrap_or(fallback_day)));
    }
    let planned_year = moves
        .first()
        .map(|(_, d)| *d)
        .or(planned_start_on)
        .map(|d| chrono::Datelike::year(&d))
        .unwrap_or_else(|| chrono::Datelike::year(&fallback_day));

    let mut nodes = Vec::new();
    for (i, m) in p.get("milestones").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let title = text(m, "title");
        let due = text(m, "dueDate").and_then(read_day);
        let met_on = text(m, "dateMet").and_then(read_day);
        match (title, due) {
            (Some(t), Some(due)) => {
                let met = m.get("status").and_then(Value::as_str) == Some("met");
                nodes.push(ImportedNode {
                    name: t.to_string(),
                    planned_on: due,
                    met,
                    met_on: met_on.filter(|_| met),
                })
            }
            _ => why.push(format!("第{}个里程碑缺少名称（title）或计划日期（dueDate）", i + 1)),
        }
    }

    if !why.is_empty() {
        return Err(why);
    }
    Ok(ImportedProject {
        oc4ids_id,
        code,
        name,
        description: text(p, "description").unwrap_or_default().to_string(),
        stage,
        project_type: classification(p, TYPE_SCHEME).unwrap_or(DEFAULT_TYPE).to_string(),
        industry_code: classification(p, INDUSTRY_SCHEME).map(str::to_string),
        unit_name,
        investor,
        total_investment,
        locality,
        location: street,
        lat_e6,
        lng_e6,
        planned_year,
        planned_start_on,
        started_on: started.filter(|_| stage.has_landed() || stage == Stage::Terminated),
        completed_on: completed.filter(|_| stage.has_completed() || stage == Stage::Terminated),
        stage_moves: moves,
        nodes,
    })
}

/// Every project of a package, or every project that cannot be read with its reasons (and
/// ids that appear twice). A package without projects is refused as a whole.
pub fn read_package(package: &Value, fallback_day: NaiveDate) -> Result<Vec<ImportedProject>, Vec<ProjectRefusal>> {
    let Some(projects) = package.get("projects").and_then(Value::as_array).filter(|p| !p.is_empty()) else {
        return Err(vec![ProjectRefusal {
            number: 0,
            id: String::new(),
            reasons: vec!["不是OC4IDS项目包：缺少项目列表（projects）".to_string()],
        }]);
    };
    let day = text(package, "publishedDate").and_then(read_day).unwrap_or(fallback_day);
    let mut read = Vec::new();
    let mut refused = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, p) in projects.iter().enumerate() {
        let id = text(p, "id").unwrap_or_default().to_string();
        let mut result = read_project(p, day);
        if !id.is_empty() && !seen.insert(id.clone()) {
            let twice = format!("项目编号 {id} 在包中出现不止一次");
            match &mut result {
                Err(why) => why.push(twice),
                Ok(_) => result = Err(vec![twice]),
            }
        }
        match result {
            Ok(p) => read.push(p),
            Err(reasons) => refused.push(ProjectRefusal {
                number: i + 1,
                id,
                reasons,
            }),
        }
    }
    if refused.is_empty() { Ok(read) } else { Err(refused) }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{district, facts};
    use super::*;
    use serde_json::json;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn what_the_export_writes_reads_back() {
        let as_of = day("2019-12-31");
        let original = facts();
        let v = super::super::project(&district(), &original, as_of);
        let p = read_project(&v, as_of).unwrap();
        assert_eq!(p.code.as_ref().map(|c| c.as_str()), original.code.as_deref());
        assert_eq!((p.stage, p.total_investment), (Stage::Completed, original.total_investment));
        assert_eq!((p.lat_e6, p.lng_e6), (original.lat_e6, original.lng_e6));
        assert_eq!((p.project_type.as_str(), p.industry_code.as_deref()), ("industrial", Some("3441")));
        assert_eq!((p.unit_name.as_str(), p.investor.as_str()), ("海门街道", "台州瑞恒泵业有限公司"));
        assert_eq!(p.locality.as_deref(), Some("海门街道"));
        assert_eq!((p.started_on, p.completed_on), (original.started_on, original.completed_on));
        assert_eq!(
            p.stage_moves,
            [
                (Stage::Planning, day("2018-11-01")),
                (Stage::Preparation, day("2019-01-10")),
                (Stage::Started, day("2019-03-05")),
                (Stage::Completed, day("2019-11-30")),
            ]
        );
        assert_eq!(p.nodes.len(), 3);
        assert_eq!((p.nodes[0].met, p.nodes[0].met_on), (true, Some(day("2019-01-28"))));
        assert_eq!((p.nodes[1].met, p.nodes[1].met_on), (false, None));
        // What it reads exports as the same project.
        let again = ProjectFacts {
            id: original.id,
            stage_moves: p.stage_moves.clone(),
            ..original.clone()
        };
        assert_eq!(super::super::project(&district(), &again, as_of), v);
    }

    use super::super::ProjectFacts;

    #[test]
    fn every_reason_of_every_bad_project() {
        let package = json!({"projects": [
            {"id": "a", "title": "好项目", "publicAuthority": {"name": "发改局"}, "budget": {"amount": {"amount": 100, "currency": "CNY"}}},
            {"id": "b", "status": "decommissioned", "budget": {"amount": {"amount": 1.5, "currency": "CNY"}}},
            {"id": "c", "title": "美元项目", "publicAuthority": {"name": "发改局"}, "budget": {"amount": {"amount": 100, "currency": "USD"}},
             "milestones": [{"id": "1"}], "implementationPeriod": {"startDate": "soon"}},
            {"id": "a", "title": "重号", "publicAuthority": {"name": "发改局"}, "budget": {"amount": {"amount": 1}}},
        ]});
        let refused = read_package(&package, day("2019-12-31")).unwrap_err();
        let numbers: Vec<usize> = refused.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [2, 3, 4]);
        assert_eq!(refused[0].reasons.len(), 4, "{:?}", refused[0].reasons);
        assert_eq!(refused[1].reasons.len(), 3, "{:?}", refused[1].reasons);
        assert!(refused[2].reasons[0].contains("不止一次"));
        assert!(read_package(&json!({"projects": []}), day("2019-12-31")).is_err());
        // The good one alone reads, with the defaults.
        let p = read_package(&json!({"projects": [package["projects"][0]]}), day("2019-12-31")).unwrap();
        assert_eq!((p[0].stage, p[0].project_type.as_str()), (Stage::Planning, DEFAULT_TYPE));
        assert_eq!(p[0].stage_moves, [(Stage::Planning, day("2019-12-31"))]);
    }

    #[test]
    fn days_in_china() {
        assert_eq!(read_day("2019-03-04T20:00:00Z"), Some(day("2019-03-05")));
        assert_eq!(read_day("2019-03-05T00:00:00+08:00"), Some(day("2019-03-05")));
        assert_eq!(read_day("2019-03-05"), Some(day("2019-03-05")));
        assert_eq!(read_day("soon"), None);
    }
}
