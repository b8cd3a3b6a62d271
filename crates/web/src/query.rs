//! The registry's filter as a query string, shared by the JSON API, the pages and the
//! exports. A leaf: it imports no mechanism.

use crate::error::ApiError;
use crate::extract::{non_empty, opt_date, opt_id};
use chrono::NaiveDate;
use serde::Deserialize;
use zhantu_domain::Stage;
use zhantu_domain::confidence::{Confidence, DisagreeFilter};
use zhantu_domain::lights::Light;
use zhantu_store::ProjectFilter;

#[derive(schemars::JsonSchema, Debug, Deserialize, Default, Clone)]
pub struct ProjectsQuery {
    pub unit: Option<String>,
    pub category: Option<String>,
    pub stage: Option<String>,
    pub leader: Option<String>,
    pub light: Option<String>,
    pub industry: Option<String>,
    pub division: Option<String>,
    pub batch: Option<String>,
    pub campaign: Option<String>,
    /// With `category`: on its list of this year.
    pub year: Option<String>,
    pub planned_year: Option<String>,
    pub started_from: Option<String>,
    pub started_to: Option<String>,
    /// `2019-06`: with `light`, the light of that month in the light history.
    pub light_month: Option<String>,
    /// The latest delivery-confidence rating's level: `green`, `amber_green`, `amber`,
    /// `amber_red` or `red`.
    pub confidence: Option<String>,
    /// `1`: the latest rating disagrees with its light; `optimistic` or `pessimistic`: that way.
    pub disagree: Option<String>,
    /// `1`: not terminated.
    pub active: Option<String>,
    /// `1`: the unit alone, not the units below it.
    pub unit_exact: Option<String>,
    pub q: Option<String>,
    pub after: Option<String>,
    pub limit: Option<String>,
}

impl ProjectsQuery {
    /// Turns the raw query into a filter, with a Chinese error for each bad value.
    pub fn to_filter(&self) -> Result<ProjectFilter, ApiError> {
        let stage = non_empty(&self.stage).map(Stage::parse).transpose()?;
        let light = match non_empty(&self.light) {
            None => None,
            Some(s) => Some(
                Light::from_code(s)
                    .ok_or_else(|| ApiError::bad_request("invalid_light", format!("亮灯状态“{s}”无效：应为 red、yellow 或 green")))?,
            ),
        };
        let confidence = match non_empty(&self.confidence) {
            None => None,
            Some(s) => Some(Confidence::from_code_or_label(s).ok_or_else(|| {
                ApiError::bad_request("confidence_level_unknown", format!("评级“{s}”无效：应为 绿、绿黄、黄、黄红 或 红"))
            })?),
        };
        let disagree = match non_empty(&self.disagree) {
            None => None,
            Some(s) => Some(DisagreeFilter::from_code(s).ok_or_else(|| {
                ApiError::bad_request(
                    "invalid_parameter",
                    format!("不一致筛选“{s}”无效：应为 1、optimistic 或 pessimistic"),
                )
            })?),
        };
        let limit = match non_empty(&self.limit) {
            None => 50,
            Some(s) => match s.parse::<u32>() {
                Ok(n) if (1..=500).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_request(
                        "invalid_parameter",
                        format!("每页条数“{s}”无效：应为1到500之间的整数"),
                    ));
                }
            },
        };
        Ok(ProjectFilter {
            unit: opt_id(&self.unit, "单位")?,
            category: non_empty(&self.category).map(str::to_string),
            stage,
            leader: opt_id(&self.leader, "领导")?,
            light,
            industry: non_empty(&self.industry).map(str::to_string),
            division: non_empty(&self.division).map(str::to_string),
            text: non_empty(&self.q).map(str::to_string),
            after: opt_id(&self.after, "分页游标")?,
            within_units: None,
            batch: opt_id(&self.batch, "集中开工批次")?,
            campaign: opt_id(&self.campaign, "攻坚行动")?,
            year: opt_year(&self.year)?,
            planned_year: opt_year(&self.planned_year)?,
            started_from: opt_date(&self.started_from)?,
            started_to: opt_date(&self.started_to)?,
            light_month: opt_month(&self.light_month)?,
            confidence,
            disagree,
            active: flag(&self.active),
            unit_exact: flag(&self.unit_exact),
            limit,
        })
    }
}

fn opt_year(v: &Option<String>) -> Result<Option<i32>, ApiError> {
    Ok(non_empty(v).map(zhantu_domain::Year::parse).transpose()?.map(|y| y.get()))
}

/// `2019-06`: the month's first day.
fn opt_month(v: &Option<String>) -> Result<Option<NaiveDate>, ApiError> {
    match non_empty(v) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ApiError::bad_request("invalid_parameter", format!("月份“{s}”无效：应为“年-月”，如 2019-06"))),
    }
}

fn flag(v: &Option<String>) -> bool {
    matches!(non_empty(v), Some("1" | "true" | "yes" | "on"))
}
