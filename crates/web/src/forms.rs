//! Turning submitted JSON into domain changes with the domain's parsers: one place decides
//! what each field accepts, and every refusal names the field in Chinese. Imports no mechanism.

use crate::error::ApiError;
use serde::de::DeserializeOwned;
use serde_json::Value;
use zhantu_domain::projects::{DESCRIPTION_MAX, NAME_MAX, TEXT_MAX, parse_industry, parse_total_investment, project_text};
use zhantu_domain::{Money, parse_date};
use zhantu_store::ProjectChange;

fn text_field(v: &Value, key: &str, what: &str, max: usize, required: bool) -> Result<Option<String>, ApiError> {
    match v.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => project_text(s, what, max, required)
            .map(Some)
            .map_err(|e| ApiError::bad_request(e.code, e.message)),
        Some(_) => Err(ApiError::bad_request("invalid_field", format!("{what}应为文字"))),
    }
}

/// Money as text with its unit (`"1234.5万元"`) or a number of 万元 (`1234.5`).
fn money_field(v: &Value, key: &str) -> Result<Option<Money>, ApiError> {
    match v.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(parse_total_investment(s)?)),
        Some(Value::Number(n)) => Ok(Some(parse_total_investment(&n.to_string())?)),
        Some(_) => Err(ApiError::bad_request("invalid_money", "金额应为数字（万元）或带单位的文字")),
    }
}

fn date_field(v: &Value, key: &str) -> Result<Option<Option<chrono::NaiveDate>>, ApiError> {
    match v.get(key) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(parse_date(s)?))),
        Some(_) => Err(ApiError::bad_request("invalid_date", "日期应为文字，如 2019-12-31")),
    }
}

/// A JSON object read as the texts a form posts (a number as its digits, true/false as 是/否,
/// null as empty), for the domain's form parsers (`ProjectForm`…), so the JSON API and the
/// page's form share one parser and its field errors.
pub fn form_texts<T: DeserializeOwned>(v: &Value) -> Result<T, ApiError> {
    let Value::Object(fields) = v else {
        return Err(ApiError::bad_request("invalid_body", "请求内容应为 JSON 对象"));
    };
    let mut texts = serde_json::Map::new();
    for (k, v) in fields {
        let t = match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
            _ => return Err(ApiError::bad_request("invalid_field", format!("字段 {k} 应为文字或数字"))),
        };
        texts.insert(k.clone(), Value::String(t));
    }
    serde_json::from_value(Value::Object(texts)).map_err(|e| ApiError::bad_request("invalid_body", format!("请求内容无效：{e}")))
}

/// A record's version from a JSON body (`version`), which every edit must carry.
pub fn version_of(v: &Value) -> Result<i64, ApiError> {
    v["version"]
        .as_i64()
        .ok_or_else(|| ApiError::bad_request("missing_version", "缺少 version（记录版本号），请先读取记录再修改"))
}

/// Node names sent as a list of texts, or as one text that `text` splits (`政策处理、土地摘牌`);
/// absent, none. `refusal` says what the field should be.
pub fn node_names(v: &Value, text: impl Fn(&str) -> Vec<String>, refusal: &str) -> Result<Vec<String>, ApiError> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) => Ok(text(s)),
        Value::Array(items) => Ok(items
            .iter()
            .filter_map(|v| v.as_str())
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()),
        _ => Err(ApiError::bad_request("invalid_field", refusal)),
    }
}

pub fn project_change(v: &Value) -> Result<ProjectChange, ApiError> {
    let industry_code = match v.get("industry_code") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(s)) => Some(Some(parse_industry(s)?)),
        Some(_) => return Err(ApiError::bad_request("invalid_industry", "行业代码应为文字")),
    };
    let leader_id = match v.get("leader_id") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::Number(n)) => Some(Some(
            n.as_i64().ok_or_else(|| ApiError::bad_request("invalid_field", "领导编号无效"))?,
        )),
        Some(_) => return Err(ApiError::bad_request("invalid_field", "领导编号应为数字")),
    };
    Ok(ProjectChange {
        name: text_field(v, "name", "项目名称", NAME_MAX, true)?,
        total_investment: money_field(v, "total_investment")?,
        planned_start_on: date_field(v, "planned_start_on")?,
        location: text_field(v, "location", "建设地点", TEXT_MAX, false)?,
        investor: text_field(v, "investor", "投资主体", TEXT_MAX, false)?,
        description: text_field(v, "description", "建设内容", DESCRIPTION_MAX, false)?,
        leader_id,
        industry_code,
        position: match v.get("position") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(zhantu_domain::exif::GeoPoint::parse(s)?),
            Some(_) => return Err(ApiError::bad_request("invalid_position", "位置应为文字，如 28.68,121.44")),
        },
    })
}
