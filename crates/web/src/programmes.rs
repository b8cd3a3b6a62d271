//! The programmes hub (专项工作): the `/programs` page, a year's batches, campaigns,
//! supervision and land at a glance with links to each, and its JSON twin
//! `/api/v1/programs/summary`.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::fields::opt_year;
use crate::page::programmes::{area, nav};
use crate::page::{Ctx, Markup, PageError, layout};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use serde::Deserialize;
use zhantu_domain::LandArea;
use zhantu_domain::figures::BatchAggregate;
use zhantu_store::programmes::ProgrammesSummary;

pub const MECHANISM: Mechanism = Mechanism {
    name: "programmes",
    pages,
    api,
};

fn pages() -> Routes {
    Routes::new().route("/programs", get(programs))
}

fn api() -> Routes {
    Routes::new().route("/programs/summary", get(programmes_summary))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

/// `GET /programs/summary?year=2019`: batches, campaigns, rounds, land and leads of a year
/// (the current year by default). Leads are counted district-wide: for district-wide readers.
async fn programmes_summary(
    State(st): State<AppState>,
    a: Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<zhantu_store::programmes::ProgrammesSummary>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区专项工作汇总"));
    }
    let year = match opt_year(&q.year)? {
        Some(y) => y,
        None => chrono::Datelike::year(&st.store.as_of().await?),
    };
    Ok(Json(st.store.programmes_summary(year).await?))
}

#[derive(Template)]
#[template(path = "programmes/hub.html")]
struct HubPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    json_link: bool,
    year: i32,
    batches: u32,
    agg: BatchAggregate,
    sum: ProgrammesSummary,
}

impl HubPage<'_> {
    fn area(&self, a: LandArea) -> String {
        area(self.cx.lang, a)
    }
}

async fn programs(State(st): State<AppState>, cx: Ctx) -> Result<Html<String>, PageError> {
    let title = cx.t("pipeline.programs");
    let year = chrono::Datelike::year(&st.store.as_of().await?);
    let sum = st.store.programmes_summary(year).await?;
    let (batches, agg) = sum.batches.as_ref().map(|b| (b.batches, b.aggregate.clone())).unwrap_or_default();
    let body = Markup::of(&HubPage {
        cx: &cx,
        title,
        nav: nav(&cx),
        json_link: cx.is_admin(),
        year,
        batches,
        agg,
        sum,
    });
    Ok(layout(&cx, title, body, &[]))
}
