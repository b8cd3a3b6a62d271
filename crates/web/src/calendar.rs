//! The working calendar (节假日与调休, `/api/v1/calendar/{year}`): read by everyone signed in,
//! replaced year by year by administrators; every light is recomputed on saving.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::Action;

pub const MECHANISM: Mechanism = Mechanism {
    name: "calendar",
    pages: Mechanism::none,
    api,
};

fn api() -> Routes {
    Routes::new().route("/calendar/{year}", get(calendar_year).put(set_calendar_year).body::<CalendarBody>())
}

fn calendar_year_param(year: &str) -> Result<i32, ApiError> {
    Ok(zhantu_domain::Year::parse(year)?.get())
}

/// `GET /calendar/{year}`: the year's holidays (off) and make-up working days (work).
async fn calendar_year(
    State(st): State<AppState>,
    _a: Auth,
    Path(year): Path<String>,
) -> Result<Json<zhantu_store::CalendarYear>, ApiError> {
    Ok(Json(st.store.calendar_year(calendar_year_param(&year)?).await?))
}

#[derive(schemars::JsonSchema, Deserialize)]
struct CalendarBody {
    revision: String,
    days: Vec<zhantu_store::CalendarDay>,
}

/// `PUT /calendar/{year}` (administrators): `{"revision": "…", "days": [{"day": "2027-01-01",
/// "kind": "off", "name": "元旦"}, …]}` replaces the year; every light is recomputed.
async fn set_calendar_year(State(st): State<AppState>, a: Auth, Path(year): Path<String>, body: String) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::Administer)?;
    let year = calendar_year_param(&year)?;
    let b: CalendarBody = serde_json::from_str(&body).map_err(|e| {
        ApiError::bad_request(
            "invalid_body",
            format!("请求内容无效：{e}（应为 revision 和 days 列表，日期写作 2027-01-01）"),
        )
    })?;
    let saved = st.store.set_calendar_year(year, &b.revision, &b.days, &a.audit()).await?;
    Ok(Json(json!({ "saved": saved, "note": "节假日已更新，全部项目已重新亮灯" })))
}
