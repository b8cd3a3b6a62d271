//! Statistics entry (入库) readiness and reconciliation (issue #20 item 4).
//!
//! JSON (under `/api/v1`): `GET /statistics/readiness?year=&month=` (the projects not in
//! statistics with what each lacks, filters `due`, `light`, `lack`, `unit`), `POST
//! /projects/{id}/statistics` (enter a project: code and date; editors of its unit,
//! coordinators), `POST /statistics/counted` (the bureau's counted investment of a project and
//! month; the coordinators' data desk, `Action::Import`), `GET
//! /statistics/reconciliation?year=&month=` (by unit, the gap explained), and both as `.xlsx`
//! (`/statistics/readiness.xlsx`, `/statistics/reconciliation.xlsx`). Pages: `/statistics`
//! and `/statistics/reconciliation`. A unit's staff see only their unit's projects and rows.

mod api;
mod pages;

use crate::AppState;
use crate::Mechanism;
use crate::error::ApiError;
use crate::page::{Lang, t};
use crate::routes::{Routes, get, post};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
use std::collections::HashMap;
use zhantu_domain::access::Actor;
use zhantu_domain::lights::Light;
use zhantu_domain::money::Money;
use zhantu_domain::statistics::{
    Lack, Readiness, ReadinessCounts, ReadinessFilter, Threshold, UnitReconciliation, readiness_counts, readiness_list, reconcile,
    reconcile_total,
};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::statistics::{ProjectLabel, month_end};

pub const MECHANISM: Mechanism = Mechanism {
    name: "statistics",
    pages,
    api: api::router,
};

fn pages() -> Routes {
    Routes::new()
        .route("/statistics", get(pages::readiness_page))
        .route("/statistics/reconciliation", get(pages::reconciliation_page))
        .route("/projects/{id}/statistics", post(pages::enter_form))
}

/// The month asked and the filters of the readiness list, as the API and the page take them
/// (every field text, so an empty form field means "any").
#[derive(schemars::JsonSchema, Deserialize, Default, Clone)]
pub struct StatisticsQuery {
    /// The year; the district's current one when absent.
    pub year: Option<String>,
    /// The month, 1–12; the district's current one when absent.
    pub month: Option<String>,
    /// `1`: only the projects due (at the threshold and started); `0`: only those not due.
    pub due: Option<String>,
    /// `green`, `yellow`, `red`: the 入库 light.
    pub light: Option<String>,
    /// `not_started`, `below_threshold`, `no_code`, `no_reported_investment`.
    pub lack: Option<String>,
    /// A unit's id: only its projects.
    pub unit: Option<String>,
    /// `zh-CN` or `en` (the exports).
    pub lang: Option<String>,
}

fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The month asked and the date the figures are computed on: the month's last day, or the
/// district's date when that is earlier.
pub struct Period {
    pub year: i32,
    pub month: u32,
    pub as_of: NaiveDate,
}

impl StatisticsQuery {
    async fn period(&self, st: &AppState) -> Result<Period, ApiError> {
        let today = st.store.as_of().await?;
        let year = match given(&self.year) {
            Some(y) => zhantu_domain::date::Year::parse(y)?.get(),
            None => today.year(),
        };
        let month = match given(&self.month) {
            Some(m) => m
                .parse::<u32>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| ApiError::bad_request("invalid_month", format!("月份“{m}”无效：应为1到12")))?,
            None => today.month(),
        };
        let end = month_end(year, month).ok_or_else(|| ApiError::bad_request("invalid_month", "月份无效"))?;
        Ok(Period {
            year,
            month,
            as_of: end.min(today),
        })
    }

    fn filter(&self) -> Result<ReadinessFilter, ApiError> {
        let bad = |what: &str, v: &str| ApiError::bad_request("invalid_filter", format!("筛选条件{what}“{v}”无效"));
        Ok(ReadinessFilter {
            due: match given(&self.due) {
                None => None,
                Some("1" | "true") => Some(true),
                Some("0" | "false") => Some(false),
                Some(v) => return Err(bad("due", v)),
            },
            light: given(&self.light)
                .map(|v| Light::from_code(v).ok_or_else(|| bad("light", v)))
                .transpose()?,
            lack: given(&self.lack)
                .map(|v| Lack::from_code(v).ok_or_else(|| bad("lack", v)))
                .transpose()?,
            unit_id: given(&self.unit)
                .map(|v| v.parse::<i64>().map_err(|_| bad("unit", v)))
                .transpose()?,
        })
    }
}

fn scope(actor: &Actor) -> Option<Vec<i64>> {
    crate::access::scope(actor)
}

/// The readiness of a period: the threshold, the counts of the whole (scoped) list, and the
/// rows the filter keeps with their projects.
pub struct ReadinessView {
    pub period: Period,
    pub threshold: Threshold,
    pub counts: ReadinessCounts,
    pub rows: Vec<(Readiness, ProjectLabel)>,
}

async fn readiness_view(st: &AppState, actor: &Actor, q: &StatisticsQuery) -> Result<ReadinessView, ApiError> {
    let period = q.period(st).await?;
    let filter = q.filter()?;
    let threshold = st.store.statistics_threshold().await?;
    let candidates = st.store.statistics_candidates(period.as_of, scope(actor).as_deref()).await?;
    let facts: Vec<_> = candidates.iter().map(|(c, _)| c.clone()).collect();
    let mut labels: HashMap<i64, ProjectLabel> = candidates.into_iter().map(|(c, l)| (c.project_id, l)).collect();
    let list = readiness_list(&facts, &threshold, period.as_of);
    let counts = readiness_counts(&list);
    let rows = list
        .into_iter()
        .filter(|r| filter.keeps(r))
        .filter_map(|r| labels.remove(&r.project_id).map(|l| (r, l)))
        .collect();
    Ok(ReadinessView {
        period,
        threshold,
        counts,
        rows,
    })
}

/// A unit's line of the reconciliation with its name and division.
pub struct UnitLine {
    pub name: String,
    pub division_code: Option<String>,
    pub figures: UnitReconciliation,
}

pub struct ReconciliationView {
    pub period: Period,
    pub threshold: Threshold,
    pub units: Vec<UnitLine>,
    /// The district's line; the official series is the district's own (for readers of the
    /// whole district only: a unit's staff see their units' sum without it).
    pub total: UnitReconciliation,
    /// Each project's part, for the unit's detail.
    pub projects: Vec<(
        zhantu_domain::statistics::ProjectMonth,
        zhantu_domain::statistics::GapParts,
        ProjectLabel,
    )>,
}

async fn reconciliation_view(st: &AppState, actor: &Actor, q: &StatisticsQuery) -> Result<ReconciliationView, ApiError> {
    let period = q.period(st).await?;
    let filter = q.filter()?;
    let threshold = st.store.statistics_threshold().await?;
    let months = st
        .store
        .statistics_months(period.year, period.month, scope(actor).as_deref())
        .await?;
    let official = st.store.statistics_official(period.year, period.month).await?;
    let units = st.store.units(true).await?;
    let division_of: HashMap<i64, Option<String>> = units.iter().map(|u| (u.id, u.division_code.clone())).collect();
    let facts: Vec<_> = months.iter().map(|(m, _)| m.clone()).collect();
    let by_unit = reconcile(&facts, &threshold, |unit_id| {
        division_of.get(&unit_id).cloned().flatten().and_then(|d| official.get(&d).copied())
    });
    let district_official = match scope(actor) {
        None => match st.store.setting("district_division").await? {
            Some(d) => official.get(&d).copied(),
            None => None,
        },
        Some(_) => None,
    };
    let total = reconcile_total(&by_unit, district_official);
    let lines = by_unit
        .into_iter()
        .filter(|u| filter.unit_id.is_none_or(|id| id == u.unit_id))
        .map(|f| {
            let unit = units.iter().find(|u| u.id == f.unit_id);
            UnitLine {
                name: unit.map(|u| u.name.clone()).unwrap_or_default(),
                division_code: unit.and_then(|u| u.division_code.clone()),
                figures: f,
            }
        })
        .collect();
    let projects = months
        .into_iter()
        .filter(|(m, _)| filter.unit_id.is_none_or(|id| id == m.unit_id))
        .map(|(m, l)| {
            let g = zhantu_domain::statistics::project_gap(&m, &threshold);
            (m, g, l)
        })
        .collect();
    Ok(ReconciliationView {
        period,
        threshold,
        units: lines,
        total,
        projects,
    })
}

pub fn lack_label(lang: Lang, l: Lack) -> &'static str {
    match lang {
        Lang::Zh => l.label_zh(),
        Lang::En => l.label_en(),
    }
}

fn col(lang: Lang, key: &str, kind: ColKind) -> Column {
    Column::new(t(lang, &format!("statistics.col.{key}")), kind)
}

/// The readiness list as a sheet, in the reader's language.
pub fn readiness_table(lang: Lang, v: &ReadinessView) -> Table {
    let mut table = Table::new(
        t(lang, "statistics.readiness.sheet"),
        vec![
            col(lang, "project_code", ColKind::Text),
            col(lang, "project", ColKind::Text),
            col(lang, "unit", ColKind::Text),
            col(lang, "total", ColKind::Money),
            col(lang, "started_on", ColKind::Date),
            col(lang, "days_since_start", ColKind::Int),
            col(lang, "statistics_code", ColKind::Text),
            col(lang, "due", ColKind::Text),
            col(lang, "light", ColKind::Text),
            col(lang, "lacks", ColKind::Text),
        ],
    )
    .with_title(crate::page::tf(
        lang,
        "statistics.readiness.sheet_title",
        &[("year", &v.period.year.to_string()), ("month", &v.period.month.to_string())],
    ));
    let sep = if lang == Lang::Zh { "、" } else { ", " };
    for (r, l) in &v.rows {
        table.push(vec![
            Cell::from(l.code.clone()),
            Cell::Text(l.name.clone()),
            Cell::Text(l.unit_name.clone()),
            Cell::Money(l.total_investment),
            Cell::from(l.started_on),
            Cell::from(r.days_since_start),
            Cell::from(l.statistics_code.clone()),
            Cell::Text(t(lang, if r.due { "statistics.yes" } else { "statistics.no" }).into()),
            Cell::from(r.light.map(|x| crate::page::light_label(lang, x))),
            Cell::Text(r.lacks.iter().map(|x| lack_label(lang, *x)).collect::<Vec<_>>().join(sep)),
        ]);
    }
    table
}

fn money_cell(m: Option<Money>) -> Cell {
    m.map(Cell::Money).unwrap_or(Cell::Empty)
}

/// The reconciliation by unit as a sheet, the district's line last.
pub fn reconciliation_table(lang: Lang, v: &ReconciliationView) -> Table {
    let mut table = Table::new(
        t(lang, "statistics.reconciliation.sheet"),
        vec![
            col(lang, "unit", ColKind::Text),
            col(lang, "projects", ColKind::Int),
            col(lang, "in_statistics", ColKind::Int),
            col(lang, "reported", ColKind::Money),
            col(lang, "counted", ColKind::Money),
            col(lang, "gap", ColKind::Money),
            col(lang, "not_in_statistics", ColKind::Money),
            col(lang, "under_threshold", ColKind::Money),
            col(lang, "timing", ColKind::Money),
            col(lang, "unexplained", ColKind::Money),
            col(lang, "official", ColKind::Money),
            col(lang, "outside_the_map", ColKind::Money),
        ],
    )
    .with_title(crate::page::tf(
        lang,
        "statistics.reconciliation.sheet_title",
        &[("year", &v.period.year.to_string()), ("month", &v.period.month.to_string())],
    ));
    let row = |name: String, u: &UnitReconciliation| {
        vec![
            Cell::Text(name),
            Cell::Int(u.projects as i64),
            Cell::Int(u.in_statistics as i64),
            Cell::Money(u.reported),
            Cell::Money(u.counted),
            Cell::Money(u.gap),
            Cell::Money(u.parts.not_in_statistics),
            Cell::Money(u.parts.under_threshold),
            Cell::Money(u.parts.timing),
            Cell::Money(u.parts.unexplained),
            money_cell(u.official),
            money_cell(u.outside_the_map),
        ]
    };
    for u in &v.units {
        table.push(row(u.name.clone(), &u.figures));
    }
    table.push(row(t(lang, "statistics.total").into(), &v.total));
    table
}
