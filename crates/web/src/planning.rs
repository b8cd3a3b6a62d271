//! The units' project-planning contest (一把手项目谋划擂台赛, issue #20 item 6): each unit's projects
//! planned into the reserve pool in a year, ranked within its tier (streets and towns; departments),
//! as `zhantu_domain::planning` defines it.
//!
//! JSON (under `/api/v1`): `GET /planning/contest?year=` and `GET /planning/contest.xlsx?year=`.
//! Page: `/planning?year=`. The contest is published to every unit, as the campaigns' 擂台榜 are;
//! its counts open the registry only for the reader's own units (a unit's staff read no other
//! unit's projects).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::fields::opt_year;
use crate::page::i18n::{t, tf};
use crate::page::programmes::nav;
use crate::page::{Ctx, Lang, Markup, PageError, layout, money};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::planning::{ContestRow, Tier, contest, totals};
use zhantu_domain::table::{Cell, ColKind, Column, Table};

pub const MECHANISM: Mechanism = Mechanism {
    name: "planning",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/planning/contest", get(contest_json))
        .route("/planning/contest.xlsx", get(contest_xlsx))
}

fn pages() -> Routes {
    Routes::new().route("/planning", get(contest_page))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct YearQuery {
    /// The year projects were planned in (谋划年度); the data date's year by default.
    pub year: Option<String>,
}

async fn year_of(st: &AppState, q: &YearQuery) -> Result<i32, ApiError> {
    Ok(match opt_year(&q.year)? {
        Some(y) => y,
        None => chrono::Datelike::year(&st.store.as_of().await?),
    })
}

/// The contest of `year`, each line with its unit's name.
async fn rows(st: &AppState, year: i32) -> Result<Vec<(String, ContestRow)>, ApiError> {
    let planned = st.store.planned_by_unit(year, None).await?;
    let ranked = contest(&planned.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>());
    Ok(ranked
        .into_iter()
        .map(|r| {
            let name = planned
                .iter()
                .find(|(_, p)| p.unit_id == r.unit_id)
                .map(|(n, _)| n.clone())
                .unwrap_or_default();
            (name, r)
        })
        .collect())
}

/// `GET /planning/contest?year=2019`.
async fn contest_json(State(st): State<AppState>, _a: Auth, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<Value>, ApiError> {
    let year = year_of(&st, &q).await?;
    let rows = rows(&st, year).await?;
    let all: Vec<ContestRow> = rows.iter().map(|(_, r)| r.clone()).collect();
    let (projects, investment) = totals(&all);
    let units: Vec<Value> = rows
        .iter()
        .map(|(name, r)| {
            json!({ "unit_id": r.unit_id, "unit": name, "tier": r.tier.code(), "projects": r.projects,
                    "investment": r.investment, "major": r.major, "rank": r.rank })
        })
        .collect();
    Ok(Json(
        json!({ "year": year, "projects": projects, "investment": investment, "units": units }),
    ))
}

fn tier_name(lang: Lang, tier: Tier) -> &'static str {
    match lang {
        Lang::Zh => tier.label_zh(),
        Lang::En => tier.label_en(),
    }
}

/// `GET /planning/contest.xlsx?year=2019`: the contest as a sheet, in the reader's language.
async fn contest_xlsx(State(st): State<AppState>, _a: Auth, lang: Lang, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Response, ApiError> {
    let year = year_of(&st, &q).await?;
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("planning.col.{key}")), kind);
    let mut table = Table::new(
        t(lang, "planning.sheet"),
        vec![
            col("tier", ColKind::Text),
            col("rank", ColKind::Int),
            col("unit", ColKind::Text),
            col("projects", ColKind::Int),
            col("investment", ColKind::Money),
            col("major", ColKind::Int),
        ],
    )
    .with_title(tf(lang, "planning.title_year", &[("y", &year.to_string())]));
    for (name, r) in rows(&st, year).await? {
        table.push(vec![
            tier_name(lang, r.tier).into(),
            r.rank.map_or(Cell::Empty, |n| Cell::Int(n as i64)),
            name.into(),
            Cell::Int(r.projects as i64),
            r.investment.into(),
            Cell::Int(r.major as i64),
        ]);
    }
    let file = format!("{}.xlsx", tf(lang, "planning.title_year", &[("y", &year.to_string())]));
    crate::download::stamped_xlsx(&st.store, lang, &file, vec![table]).await
}

struct Line {
    rank: String,
    unit: String,
    projects: u32,
    /// The registry of the unit's projects planned in the year, for the reader's own units.
    href: Option<String>,
    investment: String,
    major: u32,
}

struct TierBlock {
    name: &'static str,
    lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "planning/contest.html")]
struct ContestPage<'a> {
    cx: &'a Ctx,
    title: String,
    nav: Markup,
    year: i32,
    years: Vec<i32>,
    total: u32,
    /// The district's total opens the registry for district-wide readers only.
    total_href: Option<String>,
    investment: String,
    tiers: Vec<TierBlock>,
}

async fn contest_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<YearQuery>) -> Result<Html<String>, PageError> {
    let year = year_of(&st, &q).await.map_err(cx.err())?;
    let data_year = chrono::Datelike::year(&st.store.as_of().await?);
    let rows = rows(&st, year).await.map_err(cx.err())?;
    let scope = cx.scope();
    let all: Vec<ContestRow> = rows.iter().map(|(_, r)| r.clone()).collect();
    let (total, investment) = totals(&all);
    let mut tiers: Vec<TierBlock> = Vec::new();
    for (name, r) in rows {
        let mine = scope.as_ref().is_none_or(|s| s.contains(&r.unit_id));
        let line = Line {
            rank: r.rank.map_or_else(|| "—".into(), |n| n.to_string()),
            unit: name,
            projects: r.projects,
            href: mine.then(|| format!("/projects?planned_year={year}&unit={}&unit_exact=1", r.unit_id)),
            investment: money(cx.lang, r.investment, false),
            major: r.major,
        };
        let tier = tier_name(cx.lang, r.tier);
        match tiers.last_mut() {
            Some(b) if b.name == tier => b.lines.push(line),
            _ => tiers.push(TierBlock {
                name: tier,
                lines: vec![line],
            }),
        }
    }
    let title = tf(cx.lang, "planning.title_year", &[("y", &year.to_string())]);
    let body = Markup::of(&ContestPage {
        cx: &cx,
        title: title.clone(),
        nav: nav(&cx),
        year,
        years: ((data_year - 3)..=(data_year + 1)).collect(),
        total,
        total_href: scope.is_none().then(|| format!("/projects?planned_year={year}")),
        investment: money(cx.lang, investment, true),
        tiers,
    });
    Ok(layout(&cx, &title, body, &[]))
}
