//! 逐级上报 (区 → 市 → 省): `/api/v1/uplink/{period}` is the package this district sends up
//! for a month (JSON, or `package.xlsx`), `POST /api/v1/uplink/received` takes a district's
//! package at the city (or province), `GET /api/v1/uplink/received?period=` sums what has
//! arrived and names the districts still missing; `/uplink` shows both. The domain builds,
//! digests, validates and sums packages (`zhantu_domain::uplink`); the store reads the rows and
//! keeps the packages received (`zhantu_store::uplink`).

mod api;
mod pages;

use crate::error::ApiError;
use crate::{AppState, Mechanism};
use serde::Serialize;
use zhantu_domain::uplink::{Expected, Package, Totals, expected_below, missing, parse_period, sum};
use zhantu_store::uplink::Received;

pub const MECHANISM: Mechanism = Mechanism {
    name: "uplink",
    pages: pages::router,
    api: api::router,
};

/// A period as the routes take it: `YYYY-MM`.
fn period(s: &str) -> Result<(i32, u32), ApiError> {
    parse_period(s.trim())
        .ok_or_else(|| ApiError::bad_request("uplink_period_invalid", format!("上报期间“{s}”无效：应为 YYYY-MM，如 2019-06")))
}

/// This district's package for `period` (checked by the caller).
async fn build(st: &AppState, period_text: &str) -> Result<Package, ApiError> {
    let (year, month) = period(period_text)?;
    let settings = st.store.district_settings().await?;
    let division = settings
        .district_division
        .filter(|d| !d.trim().is_empty())
        .ok_or_else(|| ApiError::conflict("uplink_division_unset", "尚未设置本区的行政区划代码：请先在区县设置中填写"))?;
    let name = settings.district_name.unwrap_or_default();
    let projects = st.store.uplink_projects(year, month).await?;
    Ok(Package::build(&division, &name, &format!("{year:04}-{month:02}"), projects))
}

/// What the receiver holds for a period: each district's receipt and totals, their sum, and
/// the divisions directly below this zhantu's own that have not reported.
#[derive(Debug, Serialize)]
struct ReceivedView {
    period: String,
    /// This zhantu's own division code (the receiver's); none when not set.
    receiver: Option<String>,
    districts: Vec<Received>,
    sum: Totals,
    expected: Vec<Expected>,
    missing: Vec<Expected>,
}

async fn received_view(st: &AppState, period_text: &str) -> Result<ReceivedView, ApiError> {
    let (year, month) = period(period_text)?;
    let period = format!("{year:04}-{month:02}");
    let districts = st.store.uplinks_received(&period).await?;
    let receiver = st
        .store
        .district_settings()
        .await?
        .district_division
        .filter(|d| !d.trim().is_empty());
    let expected = receiver.as_deref().map(expected_below).unwrap_or_default();
    let reported: Vec<&str> = districts.iter().map(|d| d.receipt.division.as_str()).collect();
    Ok(ReceivedView {
        missing: missing(&expected, &reported),
        sum: sum(districts.iter().map(|d| &d.totals)),
        period,
        receiver,
        districts,
        expected,
    })
}

/// The period shown when none is asked for: the data date's month.
async fn default_period(st: &AppState) -> Result<String, ApiError> {
    let d = st.store.as_of().await?;
    Ok(d.format("%Y-%m").to_string())
}
