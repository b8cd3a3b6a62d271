//! The programmes hub (专项工作): the `/programs` page, a year's batches, campaigns,
//! supervision and land at a glance with links to each, and its JSON twin
//! `/api/v1/programs/summary`.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::fields::opt_year;
use crate::page::programmes::{area, card, page, subnav};
use crate::page::{Ctx, PageError, esc, money};
use crate::{AppState, Mechanism};
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub const MECHANISM: Mechanism = Mechanism {
    name: "programmes",
    pages,
    api,
    write_routes: &[],
};

fn pages() -> Router<AppState> {
    Router::new().route("/programs", get(programs))
}

fn api() -> Router<AppState> {
    Router::new().route("/programs/summary", get(programmes_summary))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

/// `GET /programs/summary?year=2019`: batches, campaigns, rounds, land and leads of a year
/// (the current year by default). Leads are counted district-wide: for district-wide readers.
async fn programmes_summary(
    State(st): State<AppState>,
    a: Auth,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<zhantu_store::pipeline::ProgrammesSummary>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区专项工作汇总"));
    }
    let year = match opt_year(&q.year)? {
        Some(y) => y,
        None => chrono::Datelike::year(&st.store.as_of().await?),
    };
    Ok(Json(st.store.programmes_summary(year).await?))
}


async fn programs(State(st): State<AppState>, cx: Ctx) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let lang = cx.lang;
    let year = chrono::Datelike::year(&st.store.as_of().await?);
    let sum = st.store.programmes_summary(year).await?;
    let (nb, agg) = sum.batches.as_ref().map(|b| (b.batches, b.aggregate.clone())).unwrap_or_default();
    let cards = [
        card(
            &format!("{year} {}", t("pipeline.batches")),
            &format!(r#"<a href="/batches">{nb}</a>"#),
            &format!(
                "{} {} · {} {} · {} {}",
                agg.projects,
                t("pipeline.projects_unit"),
                t("pipeline.total_investment"),
                money(lang, agg.total_investment_wan.0, true),
                t("pipeline.annual_investment"),
                money(lang, agg.annual_investment_wan.0, true)
            ),
        ),
        card(
            &format!("{year} {}", t("pipeline.campaigns")),
            &format!(r#"<a href="/campaigns">{}</a>"#, sum.campaigns.len()),
            &sum.campaigns
                .iter()
                .map(|c| format!("{}：{}/{}", esc(&c.name), c.completion.closed_nodes, c.completion.target_nodes))
                .collect::<Vec<_>>()
                .join("<br>"),
        ),
        card(
            &format!("{year} {}", t("pipeline.supervision")),
            &format!(r#"<a href="/supervision">{}</a>"#, sum.rounds),
            &format!(
                "{} {} · {} {} · {} {}",
                t("pipeline.targets"),
                sum.round_targets,
                t("pipeline.findings"),
                sum.findings,
                t("pipeline.follow_ups"),
                sum.follow_ups
            ),
        ),
        card(
            t("pipeline.land_granted"),
            &format!(r#"<a href="/land">{}</a>"#, area(lang, sum.land.granted)),
            &format!(
                "{} {} · {} {}",
                t("pipeline.land_balance"),
                area(lang, sum.land.balance),
                t("pipeline.warnings"),
                sum.land_warnings
            ),
        ),
        card(t("pipeline.ppp"), &sum.ppp_projects.to_string(), t("pipeline.ppp_note")),
    ]
    .concat();
    let body = format!(
        r#"{}<div class="cards" id="programs">{cards}</div><p class="hint">{}</p>"#,
        subnav(&cx),
        t("pipeline.programs_hint")
    );
    let links = r#"<a href="/api/v1/programs/summary">JSON</a>"#;
    Ok(page(
        &cx,
        t("pipeline.programs"),
        if cx.auth.actor.reads_all() { links } else { "" },
        &body,
    ))
}

