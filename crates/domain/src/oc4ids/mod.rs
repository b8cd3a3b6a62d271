//! OC4IDS (Open Contracting for Infrastructure Data Standard, 0.9.5): our projects as an
//! OC4IDS project package, the shape other systems (and the standard's validator) read.
//! Stages, types, industries and nodes map to the standard's codelists here, as plain
//! functions of plain values; the store gathers the facts and the web sends the package.
//!
//! Rules kept throughout: amounts are the integer 元 of [`Money`] written as JSON integers
//! (never through a float); dates are days in China (`T00:00:00+08:00`); nothing empty is
//! written (no `""`, `[]`, `{}` or `null`: [`prune`] removes them), and every party a project
//! names is in its `parties`.

pub mod import;

use crate::error::ParseError;
use crate::model::NodeStatus;
use crate::money::Money;
use crate::stage::Stage;
use chrono::NaiveDate;
use serde_json::{Map, Value, json};

/// The version of the standard the package follows, as its `version` field writes it.
pub const VERSION: &str = "0.9";

/// The settings key of the district's registered project-identifier prefix.
pub const PREFIX_SETTING: &str = "oc4ids_prefix";

/// The prefix used until a district registers its own with the Open Contracting Partnership
/// (`oc4ids-` and six lower-case letters or digits). It marks the ids as zhantu's own.
pub const DEFAULT_PREFIX: &str = "oc4ids-zhantu";

/// A project-identifier prefix as the standard registers them: `oc4ids-` and six lower-case
/// letters or digits (`oc4ids-bu3kcz`). Upper case is read as lower case.
pub fn parse_prefix(input: &str) -> Result<String, ParseError> {
    let s = crate::error::normalize_input(input).to_ascii_lowercase();
    let ok = s
        .strip_prefix("oc4ids-")
        .is_some_and(|rest| rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    if ok {
        Ok(s)
    } else {
        Err(ParseError::new(
            "invalid_oc4ids_prefix",
            "OC4IDS项目编号前缀",
            input,
            "应为“oc4ids-”加6位小写字母或数字（向开放合同伙伴组织登记所得），如 oc4ids-bu3kcz",
        ))
    }
}

/// One node of a project's plan, as a milestone needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeFacts {
    pub id: i64,
    pub name: String,
    pub planned_on: NaiveDate,
    pub actual_on: Option<NaiveDate>,
    pub status: NodeStatus,
}

/// What the package says of one project, as the store reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectFacts {
    pub id: i64,
    /// 全国投资项目在线审批监管平台项目代码, when it has one.
    pub code: Option<String>,
    /// The id it came with from another system (an import's), when it has one.
    pub external_id: Option<String>,
    pub name: String,
    pub description: String,
    pub stage: Stage,
    /// Our project type's code (`industrial`, `government`…) and its name.
    pub project_type: String,
    pub project_type_name: String,
    /// GB/T 4754-2017 class or prefix.
    pub industry_code: Option<String>,
    /// The street or town (its division code and name).
    pub division_code: Option<String>,
    pub division_name: Option<String>,
    /// Where it is, as typed (an address, a plot).
    pub location: String,
    /// The map position in microdegrees, exact as stored.
    pub lat_e6: Option<i64>,
    pub lng_e6: Option<i64>,
    /// 总投资.
    pub total_investment: Money,
    /// 投资主体 (the enterprise or investor), as typed.
    pub investor: String,
    /// The responsible unit (责任单位).
    pub unit_id: i64,
    pub unit_name: String,
    pub planned_start_on: Option<NaiveDate>,
    pub started_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    /// When the record last changed (RFC 3339), when known.
    pub updated_at: Option<String>,
    /// The stage history, oldest first: each stage reached and the day.
    pub stage_moves: Vec<(Stage, NaiveDate)>,
    pub nodes: Vec<NodeFacts>,
}

/// The district around the projects: its name (the package's publisher and every location's
/// region) and its prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    pub name: String,
    pub prefix: String,
}

/// projectStatus: the stage a project is in. 谋划 and 储备 identify it, 签约 and 前期 prepare
/// it, 开工 and 在建 implement it, 竣工 completes it, 投产 is its operation (maintenance), and
/// 终止 cancels it.
pub fn project_status(stage: Stage) -> &'static str {
    match stage {
        Stage::Planning | Stage::Reserve => "identification",
        Stage::Signed | Stage::Preparation => "preparation",
        Stage::Started | Stage::Construction => "implementation",
        Stage::Completed => "completion",
        Stage::Operating => "maintenance",
        Stage::Terminated => "cancelled",
    }
}

/// projectType: our types say who invests, not what is built, so the name and description
/// decide: 改造/提升/修缮 rehabilitate, 扩建/扩能 expand, 拆除 decommissions; anything else is
/// new construction (as most of a district's major projects are).
pub fn project_type(name: &str, description: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w) || description.contains(w));
    if has(&["拆除"]) {
        "decommissioning"
    } else if has(&["扩建", "扩能", "扩容"]) {
        "expansion"
    } else if has(&["改造", "提升", "修缮", "维修", "整治"]) {
        "rehabilitation"
    } else {
        "construction"
    }
}

/// projectSector (an open codelist, a subsector with its parent): from the GB/T 4754
/// division of the industry where it says one, else from our project type and the name.
pub fn project_sectors(industry_code: Option<&str>, project_type: &str, name: &str) -> Vec<&'static str> {
    let division = industry_code
        .filter(|c| c.len() >= 2 && c.bytes().take(2).all(|b| b.is_ascii_digit()))
        .and_then(|c| c[..2].parse::<u8>().ok());
    let by_industry: Option<&'static str> = division.and_then(|d| match d {
        6..=12 => Some("naturalResources"),
        13..=43 => Some("economy"),
        44 | 45 => Some("energy"),
        46 => Some("waterAndWaste"),
        53 => Some("transport.rail"),
        54 => Some("transport.road"),
        55 => Some("transport.water"),
        56 => Some("transport.air"),
        57..=60 => Some("transport"),
        63..=65 => Some("communications"),
        76 => Some("naturalResources.floodProtection"),
        77 => Some("naturalResources"),
        83 => Some("education"),
        84 => Some("health"),
        86..=89 => Some("cultureSportsAndRecreation"),
        90..=97 => Some("governance"),
        51 | 52 | 61 | 62 | 66..=75 | 80..=82 => Some("economy"),
        _ => None,
    });
    let sector = by_industry.unwrap_or_else(|| {
        let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
        match project_type {
            "infrastructure" if has(&["路", "桥", "隧道"]) => "transport.road",
            "infrastructure" => "transport",
            _ if has(&["学校", "中学", "小学", "幼儿园", "学院"]) => "education",
            _ if has(&["医院", "卫生", "康养"]) => "health",
            _ if has(&["体育", "文化", "公园", "旅游"]) => "cultureSportsAndRecreation",
            _ if has(&["安置房", "保障房", "人才房", "公租房"]) => "socialHousing",
            "government" | "social" => "governance",
            _ => "economy",
        }
    });
    match sector.split_once('.') {
        Some((parent, _)) => vec![parent, sector],
        None => vec![sector],
    }
}

/// milestoneType (open codelist) of a node, by what its name says it is.
pub fn milestone_type(name: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["招标", "采购"]) {
        "procurement"
    } else if has(&["签约", "协议"]) {
        "contractClose"
    } else if has(&["资金", "融资", "拨付"]) {
        "financing"
    } else if has(&["批复", "许可", "备案", "审查", "预审", "报批", "核准", "审批", "摘牌", "立项"]) {
        "approval"
    } else if has(&["政策处理", "征迁", "拆迁", "勘察", "可研"]) {
        "preProcurement"
    } else {
        "delivery"
    }
}

/// milestoneCode (open codelist) of the nodes that are one of its moments: the first approval,
/// the start and the end of construction, entry into service.
pub fn milestone_code(name: &str) -> Option<&'static str> {
    let has = |words: &[&str]| words.iter().any(|w| name.contains(w));
    if has(&["赋码备案", "项目建议书", "工可批复", "立项"]) {
        Some("projectApproval")
    } else if name == "开工" || name.ends_with("开工") {
        Some("commencement")
    } else if has(&["竣工"]) {
        Some("completion")
    } else if has(&["投产", "开业运营", "交付使用", "通车"]) {
        Some("commissioning")
    } else {
        None
    }
}

/// milestoneStatus of a node on `as_of`: closed out (销号) is met; otherwise not met once its
/// planned day is past, scheduled until then. A node reported but not yet verified is not met
/// yet: the coordinating bureau has not accepted it.
pub fn milestone_status(status: NodeStatus, planned_on: NaiveDate, as_of: NaiveDate) -> &'static str {
    match status {
        NodeStatus::Closed => "met",
        _ if planned_on < as_of => "notMet",
        _ => "scheduled",
    }
}

/// A day as the standard's date-time: midnight in China.
pub fn date_time(d: NaiveDate) -> String {
    format!("{d}T00:00:00+08:00")
}

fn opt_date_time(d: Option<NaiveDate>) -> Value {
    d.map(date_time).map(Value::String).unwrap_or(Value::Null)
}

/// A period from its start and end (`null`, pruned, when it has neither).
fn period(start: Option<NaiveDate>, end: Option<NaiveDate>) -> Value {
    json!({ "startDate": opt_date_time(start), "endDate": opt_date_time(end) })
}

/// An amount in 元 with its currency: an integer, exact.
pub fn value_cny(m: Money) -> Value {
    json!({ "amount": m.yuan(), "currency": "CNY" })
}

/// Microdegrees as decimal degrees for GeoJSON. The number is written from the decimal text
/// of the integer (`121.443210`), so it reads back as the same microdegrees.
fn degrees(e6: i64) -> Value {
    let sign = if e6 < 0 { "-" } else { "" };
    let a = e6.unsigned_abs();
    let text = format!("{sign}{}.{:06}", a / 1_000_000, a % 1_000_000);
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// The project's id in the package: the OC4IDS id it was imported with (it is its
/// publisher's), else the prefix and the national project code where it has one, else the
/// prefix and our own id.
pub fn project_id(prefix: &str, p: &ProjectFacts) -> String {
    if let Some(id) = p.external_id.as_deref().filter(|x| x.starts_with("oc4ids-")) {
        return id.to_string();
    }
    match p.code.as_deref().filter(|c| !c.trim().is_empty()) {
        Some(code) => format!("{prefix}-{code}"),
        None => format!("{prefix}-{}", p.id),
    }
}

/// The first day the project was in any of `stages`, from its stage history.
fn first_day_in(p: &ProjectFacts, stages: &[Stage]) -> Option<NaiveDate> {
    p.stage_moves.iter().find(|(s, _)| stages.contains(s)).map(|(_, d)| *d)
}

/// One project in OC4IDS, pruned of every empty value.
pub fn project(district: &District, p: &ProjectFacts, as_of: NaiveDate) -> Value {
    let unit_party = format!("unit-{}", p.unit_id);
    let investor = p.investor.trim();
    let mut parties = vec![json!({
        "id": unit_party,
        "name": p.unit_name,
        "roles": ["publicAuthority", "administrativeEntity"],
        "address": { "region": district.name, "countryName": "中国" },
    })];
    if !investor.is_empty() && investor != p.unit_name {
        parties.push(json!({ "id": "investor-1", "name": investor, "roles": ["funder"] }));
    }

    // The stage history dates the phases: identification from its first record, preparation
    // from 签约/前期, implementation from 开工 (the project's own start day first), completion
    // from 竣工.
    let identified = p.stage_moves.first().map(|(_, d)| *d);
    let prepared = first_day_in(p, &[Stage::Signed, Stage::Preparation]);
    let started = p.started_on.or_else(|| first_day_in(p, &[Stage::Started, Stage::Construction]));
    let completed = p.completed_on.or_else(|| first_day_in(p, &[Stage::Completed, Stage::Operating]));
    let later = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
        (Some(a), Some(b)) if b >= a => Some(b),
        (None, b) => b,
        _ => None,
    };
    let identification = period(identified, later(identified, prepared.or(started)));
    let preparation = match prepared {
        Some(_) => period(prepared, later(prepared, started)),
        None => Value::Null,
    };
    let implementation = match started {
        Some(_) => period(started, later(started, completed)),
        None => Value::Null,
    };
    // The planned span: the planned start (else the actual one) to the last node's planned day.
    let planned_end = p.nodes.iter().map(|n| n.planned_on).max();
    let planned_start = p.planned_start_on.or(started);

    let place = [Some(district.name.as_str()), p.division_name.as_deref(), Some(p.location.trim())]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let geometry = match (p.lat_e6, p.lng_e6) {
        (Some(lat), Some(lng)) => json!({ "type": "Point", "coordinates": [degrees(lng), degrees(lat)] }),
        _ => Value::Null,
    };
    let location = json!({
        "id": "1",
        "description": place,
        "geometry": geometry,
        "address": {
            "streetAddress": p.location.trim(),
            "locality": p.division_name,
            "region": district.name,
            "countryName": "中国",
        },
    });

    let milestones: Vec<Value> = p
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let status = milestone_status(n.status, n.planned_on, as_of);
            let met_on = if status == "met" { opt_date_time(n.actual_on) } else { Value::Null };
            // Numbered in the plan's order: the same package from another database of the
            // same projects has the same ids.
            json!({
                "id": (i + 1).to_string(),
                "title": n.name,
                "type": milestone_type(&n.name),
                "code": milestone_code(&n.name),
                "dueDate": date_time(n.planned_on),
                "dateMet": met_on,
                "status": status,
            })
        })
        .collect();

    let completion = match (p.stage.has_completed(), completed) {
        (true, Some(end)) => json!({
            "endDate": date_time(end),
            "finalValue": value_cny(p.total_investment),
            "finalValueDetails": "登记的项目总投资",
        }),
        _ => Value::Null,
    };
    let updated = p
        .updated_at
        .as_deref()
        .filter(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok())
        .map(|t| Value::String(t.to_string()))
        .unwrap_or(Value::Null);

    let mut v = json!({
        "id": project_id(&district.prefix, p),
        "updated": updated,
        "language": "zh",
        "identifiers": p.code.as_deref().map(|c| json!([{ "id": c, "scheme": CODE_SCHEME }])),
        "title": p.name,
        "description": p.description.trim(),
        "status": project_status(p.stage),
        "type": project_type(&p.name, &p.description),
        "sector": project_sectors(p.industry_code.as_deref(), &p.project_type, &p.name),
        "additionalClassifications": classifications(p),
        "publicAuthority": { "id": unit_party, "name": p.unit_name },
        "parties": parties,
        "budget": { "amount": value_cny(p.total_investment) },
        "period": period(planned_start, later(planned_start, planned_end)),
        "identificationPeriod": identification,
        "preparationPeriod": preparation,
        "implementationPeriod": implementation,
        "completionPeriod": completed.map(|d| period(Some(d), None)),
        "locations": [location],
        "milestones": milestones,
        "completion": completion,
    });
    prune(&mut v);
    v
}

/// The classifications the codelists do not carry: our project type, and the industry (GB/T
/// 4754-2017) with its name from the shipped table.
fn classifications(p: &ProjectFacts) -> Vec<Value> {
    let mut out = vec![json!({ "scheme": TYPE_SCHEME, "id": p.project_type, "description": p.project_type_name })];
    if let Some(code) = p.industry_code.as_deref().filter(|c| !c.trim().is_empty()) {
        let name = crate::reference::industry(code).map(|r| r.name);
        out.push(json!({ "scheme": INDUSTRY_SCHEME, "id": code, "description": name }));
    }
    out
}

/// The `scheme` of the national project code (全国投资项目在线审批监管平台), by its register's name.
pub const CODE_SCHEME: &str = "全国投资项目在线审批监管平台";
/// The `scheme` of the classification by our project type.
pub const TYPE_SCHEME: &str = "zhantu-project-type";
/// The `scheme` of the classification by industry.
pub const INDUSTRY_SCHEME: &str = "GB/T 4754-2017";

/// The package around the projects: its `uri`, when it was published (RFC 3339), and the
/// district as publisher.
pub fn package(uri: &str, published: &str, district: &District, projects: Vec<Value>) -> Value {
    let mut v = json!({
        "uri": uri,
        "publishedDate": published,
        "version": VERSION,
        "publisher": { "name": district.name },
        "projects": projects,
    });
    prune(&mut v);
    v
}

/// Removes every `null`, blank string, `[]` and `{}` from the value, deepest first (an object
/// left empty by its pruning goes too). Text that is kept is kept as recorded.
pub fn prune(v: &mut Value) {
    fn empty(v: &Value) -> bool {
        match v {
            Value::Null => true,
            Value::String(s) => s.trim().is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::Object(o) => o.is_empty(),
            _ => false,
        }
    }
    match v {
        Value::Object(o) => {
            let mut kept = Map::new();
            for (k, mut val) in std::mem::take(o) {
                prune(&mut val);
                if !empty(&val) {
                    kept.insert(k, val);
                }
            }
            *o = kept;
        }
        Value::Array(a) => {
            for val in a.iter_mut() {
                prune(val);
            }
            a.retain(|val| !empty(val));
        }
        _ => {}
    }
}

/// Every empty value in `v` (`null`, a blank string, `[]`, `{}`), by its JSON path: what a
/// package must not hold.
pub fn empty_values(v: &Value) -> Vec<String> {
    fn walk(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Null => out.push(path.to_string()),
            Value::String(s) if s.trim().is_empty() => out.push(path.to_string()),
            Value::Array(a) if a.is_empty() => out.push(path.to_string()),
            Value::Object(o) if o.is_empty() => out.push(path.to_string()),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| walk(x, &format!("{path}/{i}"), out)),
            Value::Object(o) => o.iter().for_each(|(k, x)| walk(x, &format!("{path}/{k}"), out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    pub(super) fn district() -> District {
        District {
            name: "椒江区".into(),
            prefix: "oc4ids-zhantu".into(),
        }
    }

    pub(super) fn facts() -> ProjectFacts {
        ProjectFacts {
            id: 7,
            code: Some("2019-331002-34-03-012345".into()),
            external_id: Some("XM-7".into()),
            name: "年产10万台智能泵扩建项目".into(),
            description: String::new(),
            stage: Stage::Completed,
            project_type: "industrial".into(),
            project_type_name: "工业项目".into(),
            industry_code: Some("3441".into()),
            division_code: Some("331002001".into()),
            division_name: Some("海门街道".into()),
            location: "  ".into(),
            lat_e6: Some(28_683_512),
            lng_e6: Some(121_440_007),
            total_investment: Money::from_yuan(123_456_789_012),
            investor: "台州瑞恒泵业有限公司".into(),
            unit_id: 3,
            unit_name: "海门街道".into(),
            planned_start_on: Some(day("2019-03-01")),
            started_on: Some(day("2019-03-05")),
            completed_on: Some(day("2019-11-30")),
            updated_at: Some("2019-12-01T02:00:00Z".into()),
            stage_moves: vec![
                (Stage::Planning, day("2018-11-01")),
                (Stage::Signed, day("2019-01-10")),
                (Stage::Started, day("2019-03-05")),
                (Stage::Completed, day("2019-11-30")),
            ],
            nodes: vec![
                NodeFacts {
                    id: 70,
                    name: "赋码备案".into(),
                    planned_on: day("2019-02-01"),
                    actual_on: Some(day("2019-01-28")),
                    status: NodeStatus::Closed,
                },
                NodeFacts {
                    id: 71,
                    name: "竣工验收".into(),
                    planned_on: day("2019-12-20"),
                    actual_on: None,
                    status: NodeStatus::Reported,
                },
                NodeFacts {
                    id: 72,
                    name: "投产".into(),
                    planned_on: day("2020-02-01"),
                    actual_on: None,
                    status: NodeStatus::Open,
                },
            ],
        }
    }

    #[test]
    fn a_completed_project_in_full() {
        let v = project(&district(), &facts(), day("2019-12-31"));
        assert_eq!(v["id"], "oc4ids-zhantu-2019-331002-34-03-012345");
        assert_eq!(v["status"], "completion");
        assert_eq!(v["type"], "expansion");
        assert_eq!(v["sector"], json!(["economy"]));
        assert_eq!(v["additionalClassifications"][0]["id"], "industrial");
        assert_eq!(v["additionalClassifications"][1]["scheme"], "GB/T 4754-2017");
        assert_eq!(v["additionalClassifications"][1]["id"], "3441");
        // The amount is the integer number of 元, exactly.
        assert_eq!(v["budget"]["amount"], json!({"amount": 123_456_789_012_i64, "currency": "CNY"}));
        assert_eq!(serde_json::to_string(&v["budget"]["amount"]["amount"]).unwrap(), "123456789012");
        assert_eq!(v["implementationPeriod"]["startDate"], "2019-03-05T00:00:00+08:00");
        assert_eq!(v["implementationPeriod"]["endDate"], "2019-11-30T00:00:00+08:00");
        assert_eq!(v["identificationPeriod"]["endDate"], "2019-01-10T00:00:00+08:00");
        assert_eq!(v["preparationPeriod"]["endDate"], "2019-03-05T00:00:00+08:00");
        assert_eq!(v["period"]["endDate"], "2020-02-01T00:00:00+08:00");
        assert_eq!(v["completion"]["endDate"], "2019-11-30T00:00:00+08:00");
        assert_eq!(v["completion"]["finalValue"]["amount"], 123_456_789_012_i64);
        // Coordinates are [longitude, latitude], written from the microdegrees' decimal text.
        let coords = serde_json::to_string(&v["locations"][0]["geometry"]["coordinates"]).unwrap();
        assert_eq!(coords, "[121.440007,28.683512]");
        assert_eq!(v["locations"][0]["description"], "椒江区 海门街道");
        assert!(
            v["locations"][0]["address"].get("streetAddress").is_none(),
            "a blank place is left out"
        );
        // The milestones: met with its day, reported but not verified and past due, ahead.
        let m = v["milestones"].as_array().unwrap();
        assert_eq!(
            (&m[0]["status"], &m[0]["dateMet"], &m[0]["type"], &m[0]["code"]),
            (
                &json!("met"),
                &json!("2019-01-28T00:00:00+08:00"),
                &json!("approval"),
                &json!("projectApproval")
            )
        );
        assert_eq!((&m[1]["status"], m[1].get("dateMet")), (&json!("notMet"), None));
        assert_eq!((&m[2]["status"], &m[2]["code"]), (&json!("scheduled"), &json!("commissioning")));
        assert!(v.get("description").is_none(), "no empty description");
        assert_eq!(empty_values(&v), Vec::<String>::new());
    }

    #[test]
    fn every_party_named_is_a_party() {
        let v = project(&district(), &facts(), day("2019-12-31"));
        let ids: Vec<&str> = v["parties"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["unit-3", "investor-1"]);
        assert_eq!(v["publicAuthority"]["id"], "unit-3");
        assert_eq!(v["parties"][1]["roles"], json!(["funder"]));
        // Without an investor there is only the unit.
        let mut p = facts();
        p.investor = " ".into();
        let v = project(&district(), &p, day("2019-12-31"));
        assert_eq!(v["parties"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn an_idea_without_a_code_dates_or_nodes() {
        let p = ProjectFacts {
            code: None,
            stage: Stage::Planning,
            started_on: None,
            completed_on: None,
            planned_start_on: None,
            lat_e6: None,
            lng_e6: None,
            stage_moves: vec![],
            nodes: vec![],
            updated_at: Some("not a time".into()),
            ..facts()
        };
        let v = project(&district(), &p, day("2019-12-31"));
        assert_eq!(v["id"], "oc4ids-zhantu-7");
        // An imported project keeps its publisher's id.
        let imported = ProjectFacts {
            external_id: Some("oc4ids-bu3kcz-77".into()),
            ..p
        };
        assert_eq!(project(&district(), &imported, day("2019-12-31"))["id"], "oc4ids-bu3kcz-77");
        assert_eq!(v["status"], "identification");
        for absent in [
            "identifiers",
            "period",
            "implementationPeriod",
            "completion",
            "milestones",
            "updated",
        ] {
            assert!(v.get(absent).is_none(), "{absent}: {v}");
        }
        assert!(v["locations"][0].get("geometry").is_none());
        assert_eq!(empty_values(&v), Vec::<String>::new());
    }

    #[test]
    fn stages_and_types_map_to_the_closed_codelists() {
        let statuses = [
            "identification",
            "preparation",
            "implementation",
            "completion",
            "maintenance",
            "cancelled",
        ];
        for s in Stage::ALL {
            assert!(statuses.contains(&project_status(s)), "{s:?}");
        }
        assert_eq!(project_status(Stage::Terminated), "cancelled");
        assert_eq!(project_type("老旧小区改造", ""), "rehabilitation");
        assert_eq!(project_type("厂房拆除", ""), "decommissioning");
        assert_eq!(project_type("新建学校", "占地50亩"), "construction");
    }

    #[test]
    fn sectors_with_their_parents() {
        assert_eq!(project_sectors(Some("5411"), "industrial", ""), ["transport", "transport.road"]);
        assert_eq!(project_sectors(Some("8310"), "social", ""), ["education"]);
        assert_eq!(project_sectors(None, "infrastructure", "疏港大道"), ["transport"]);
        assert_eq!(project_sectors(None, "infrastructure", "椒江二桥"), ["transport", "transport.road"]);
        assert_eq!(project_sectors(None, "social", "区人民医院迁建"), ["health"]);
        assert_eq!(project_sectors(None, "commercial", "万达广场"), ["economy"]);
    }

    #[test]
    fn negative_and_small_degrees() {
        assert_eq!(serde_json::to_string(&degrees(-1_500_000)).unwrap(), "-1.5");
        assert_eq!(degrees(-5).as_f64(), Some(-0.000005));
        assert_eq!(serde_json::to_string(&degrees(121_000_000)).unwrap(), "121.0");
    }

    #[test]
    fn prefixes_as_registered() {
        assert_eq!(parse_prefix(" OC4IDS-BU3KCZ ").unwrap(), "oc4ids-bu3kcz");
        assert_eq!(parse_prefix(DEFAULT_PREFIX).unwrap(), DEFAULT_PREFIX);
        for bad in ["", "oc4ids-", "oc4ids-abc", "ocds-bu3kcz", "oc4ids-bu3kc!", "oc4ids-bu3kcz1"] {
            assert_eq!(parse_prefix(bad).unwrap_err().code, "invalid_oc4ids_prefix", "{bad}");
        }
    }

    #[test]
    fn the_package_and_its_pruning() {
        let v = package(
            "http://x/api/v1/export/oc4ids.json",
            "2019-12-31T08:00:00+08:00",
            &district(),
            vec![json!({"id": "a", "x": [], "y": {"z": ""}})],
        );
        assert_eq!(v["version"], "0.9");
        assert_eq!(v["publisher"], json!({"name": "椒江区"}));
        assert_eq!(v["projects"], json!([{"id": "a"}]));
    }
}
