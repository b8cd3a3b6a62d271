//! Results after operation (亩均效益、达产, issue #20 item 3): a project's promise at signing and
//! its reported years, per 亩; 投产转化率 by unit and by attraction team; the projects below
//! promise, with an `.xlsx` of that list.
//!
//! JSON (under `/api/v1`): `GET/PUT /projects/{id}/results` (the promise and the years, replaced
//! together), `GET /results?year=` (the figures), `GET /results/below-promise.xlsx?year=&lang=`.
//! Pages: `/results` and `/projects/{id}/results` (with the form for the project's editors).
//! Reading follows the project's read access and the reader's unit scope; writing is the
//! project's `Action::Edit`.

use crate::access::{check_project, edit, read, scope};
use crate::auth::Auth;
use crate::download::stamped_xlsx;
use crate::error::{ApiError, FormError};
use crate::extract::{ApiQuery, IdPath};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, stage_label, t};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use zhantu_domain::access::Action;
use zhantu_domain::figures::Wan;
use zhantu_domain::results::{
    BENCHMARK_OUTPUT_PER_MU, BENCHMARK_TAX_PER_MU, Conversion, Indicator, PromiseText, ReportedYear, ResultsInput, Shortfall,
    SignedProject, UnitPerMu, YearResult, YearText, below_promise, conversion_by_team, conversion_by_unit, conversion_total,
    first_full_production_year, per_mu, per_mu_by_unit, reached_full_production,
};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_domain::{LandArea, Money};
use zhantu_store::results::{ProjectResults, ResultsRow};

pub const MECHANISM: Mechanism = Mechanism {
    name: "results",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/projects/{id}/results", get(project_json).put(save))
        .route("/results", get(figures_json))
        .route("/results/below-promise.xlsx", get(below_promise_xlsx))
}

fn pages() -> Routes {
    Routes::new()
        .route("/projects/{id}/results", get(project_page).post(save_form))
        .route("/results", get(figures_page))
}

// ------------------------------------------------------------------ one project

/// The promise at signing, as sent: amounts in 万元 unless they say 元 or 亿元.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct PromiseBody {
    /// Annual output value promised at full production (年产值), e.g. `"25000"` (万元).
    pub output: String,
    /// Annual tax promised (年税收), e.g. `"1500"` (万元).
    pub tax: String,
    /// Jobs promised (就业人数).
    pub jobs: i64,
    /// Annual energy use allowed, tonnes of standard coal (年综合能耗, tce).
    pub energy_tce: i64,
    /// The year 达产 is promised.
    pub full_production_year: i64,
    /// 投资强度 per 亩 (万元/亩), when the agreement names one.
    pub investment_per_mu: Option<String>,
}

/// One year's reported results.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct YearBody {
    pub year: i64,
    /// Output value of the year (万元 unless it says 元/亿元).
    pub output: String,
    /// Tax paid in the year (万元 unless it says 元/亿元).
    pub tax: String,
    pub jobs: i64,
    pub energy_tce: i64,
}

/// `PUT /projects/{id}/results`: the promise (absent or null: none) and every reported year,
/// replacing what was there.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct ResultsBody {
    /// The promise's version as read (0 when there was none); absent: no check.
    pub version: Option<i64>,
    pub promise: Option<PromiseBody>,
    #[serde(default)]
    pub years: Vec<YearBody>,
}

/// Strings of one year, so the JSON and the form share the domain's parser.
struct YearStrings([String; 5]);

impl YearStrings {
    fn text(&self) -> YearText<'_> {
        let [year, output, tax, jobs, energy_tce] = &self.0;
        YearText {
            year,
            output,
            tax,
            jobs,
            energy_tce,
        }
    }
}

struct PromiseStrings([String; 6]);

impl PromiseStrings {
    fn text(&self) -> PromiseText<'_> {
        let [output, tax, jobs, energy_tce, full_production_year, investment_per_mu] = &self.0;
        PromiseText {
            output,
            tax,
            jobs,
            energy_tce,
            full_production_year,
            investment_per_mu,
        }
    }
}

fn parse_strings(promise: Option<&PromiseStrings>, years: &[YearStrings]) -> Result<ResultsInput, zhantu_domain::FieldErrors> {
    let p = promise.map(PromiseStrings::text);
    let y: Vec<YearText> = years.iter().map(YearStrings::text).collect();
    ResultsInput::parse(p.as_ref(), &y)
}

async fn do_save(st: &AppState, a: &Auth, id: i64, version: Option<i64>, input: &ResultsInput) -> Result<ProjectResults, ApiError> {
    check_project(st, &a.actor, id, edit).await?;
    Ok(st.store.save_results(id, version, input, &a.audit()).await?)
}

async fn save(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<ResultsBody>) -> Result<Json<Value>, FormError> {
    check_project(&st, &a.actor, id, edit).await?;
    let promise = b.promise.map(|p| {
        PromiseStrings([
            p.output,
            p.tax,
            p.jobs.to_string(),
            p.energy_tce.to_string(),
            p.full_production_year.to_string(),
            p.investment_per_mu.unwrap_or_default(),
        ])
    });
    let years: Vec<YearStrings> = b
        .years
        .into_iter()
        .map(|y| YearStrings([y.year.to_string(), y.output, y.tax, y.jobs.to_string(), y.energy_tce.to_string()]))
        .collect();
    let input = parse_strings(promise.as_ref(), &years)?;
    let saved = do_save(&st, &a, id, b.version, &input).await?;
    Ok(Json(project_value(&saved)))
}

async fn project_json(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    check_project(&st, &a.actor, id, read).await?;
    Ok(Json(project_value(&st.store.project_results(id).await?)))
}

/// A shortfall: money in 万元, jobs in people, energy in tce (`unit` says which).
fn shortfall_value(s: &Shortfall) -> Value {
    let v = |n: i64| match s.indicator {
        Indicator::Output | Indicator::Tax => json!(Wan(Money::from_yuan(n))),
        Indicator::Jobs | Indicator::Energy => json!(n),
    };
    let unit = match s.indicator {
        Indicator::Output | Indicator::Tax => "wan",
        Indicator::Jobs => "people",
        Indicator::Energy => "tce",
    };
    json!({ "indicator": s.indicator.code(), "unit": unit, "promised": v(s.promised), "actual": v(s.actual),
            "gap": v(s.gap), "gap_pct": s.gap_pct })
}

fn wan(m: Option<Money>) -> Option<Wan> {
    m.map(Wan)
}

/// A year with its figures: per 亩, 达产, shortfalls (money in 万元).
fn year_value(r: &ProjectResults, y: &YearResult) -> Value {
    let (full, short) = match &r.promise {
        Some(p) => (Some(reached_full_production(p, y)), below_promise(p, y)),
        None => (None, Vec::new()),
    };
    json!({
        "year": y.year, "output_wan": Wan(y.output), "tax_wan": Wan(y.tax), "jobs": y.jobs, "energy_tce": y.energy_tce,
        "output_per_mu_wan": wan(per_mu(y.output, r.land)), "tax_per_mu_wan": wan(per_mu(y.tax, r.land)),
        "full_production": full,
        "shortfalls": short.iter().map(shortfall_value).collect::<Vec<_>>(),
    })
}

fn project_value(r: &ProjectResults) -> Value {
    let promise = r.promise.as_ref().map(|p| {
        json!({
            "output_wan": Wan(p.output), "tax_wan": Wan(p.tax), "jobs": p.jobs, "energy_tce": p.energy_tce,
            "full_production_year": p.full_production_year, "investment_per_mu_wan": wan(p.investment_per_mu),
            "output_per_mu_wan": wan(per_mu(p.output, r.land)), "tax_per_mu_wan": wan(per_mu(p.tax, r.land)),
        })
    });
    json!({
        "project_id": r.project_id,
        "land_mu": r.land.map(|l| l.mu_exact()),
        "promise": promise,
        "version": r.version,
        "updated_by": r.updated_by,
        "updated_at": r.updated_at,
        "reached_full_production_in": r.promise.as_ref().and_then(|p| first_full_production_year(p, &r.years)),
        "years": r.years.iter().map(|y| year_value(r, y)).collect::<Vec<_>>(),
    })
}

// ------------------------------------------------------------------ the figures

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct YearQuery {
    /// The year (`2019`); the as-of date's year when absent.
    pub year: Option<String>,
    /// The sheet's language (`zh`, `en`) for the export; else the reader's choice.
    pub lang: Option<String>,
}

/// One project below its promise in the year.
struct Below {
    row: ResultsRow,
    year: YearResult,
    shortfalls: Vec<Shortfall>,
}

/// The year's figures in the reader's scope.
struct Figures {
    year: i32,
    total: Conversion,
    by_unit: Vec<(String, Option<UnitPerMu>, Option<Conversion>)>,
    by_team: Vec<(String, Conversion)>,
    below: Vec<Below>,
    units: BTreeMap<i64, String>,
}

async fn year_of(st: &AppState, q: &YearQuery) -> Result<i32, ApiError> {
    Ok(match crate::fields::opt_year(&q.year)? {
        Some(y) => y,
        None => chrono::Datelike::year(&st.store.as_of().await?),
    })
}

async fn figures(st: &AppState, actor: &zhantu_domain::access::Actor, year: i32) -> Result<Figures, ApiError> {
    let rows = st.store.results_rows(scope(actor).as_deref()).await?;
    let units: BTreeMap<i64, String> = st.store.units(true).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let signed: Vec<SignedProject> = rows
        .iter()
        .filter_map(|r| {
            let p = r.promise.as_ref()?;
            Some(SignedProject {
                unit_id: r.unit_id,
                team_unit_id: r.team_unit_id,
                full_production_year: p.full_production_year,
                reached_in: first_full_production_year(p, &r.years),
            })
        })
        .collect();
    let reported: Vec<ReportedYear> = rows
        .iter()
        .filter_map(|r| {
            let y = r.years.iter().find(|y| y.year == year)?;
            Some(ReportedYear {
                unit_id: r.unit_id,
                land: r.land,
                output: y.output,
                tax: y.tax,
            })
        })
        .collect();
    let per_mu = per_mu_by_unit(&reported);
    let conv = conversion_by_unit(&signed, year);
    let mut unit_ids: Vec<i64> = per_mu.iter().map(|u| u.unit_id).chain(conv.iter().map(|c| c.group_id)).collect();
    unit_ids.sort();
    unit_ids.dedup();
    let name = |id: i64| units.get(&id).cloned().unwrap_or_default();
    let by_unit = unit_ids
        .into_iter()
        .map(|id| {
            (
                name(id),
                per_mu.iter().find(|u| u.unit_id == id).cloned(),
                conv.iter().find(|c| c.group_id == id).cloned(),
            )
        })
        .collect();
    let by_team = conversion_by_team(&signed, year)
        .into_iter()
        .map(|c| (name(c.group_id), c))
        .collect();
    let below = rows
        .into_iter()
        .filter_map(|row| {
            let p = row.promise.as_ref()?;
            let y = row.years.iter().find(|y| y.year == year)?.clone();
            let shortfalls = below_promise(p, &y);
            (!shortfalls.is_empty()).then_some(Below { row, year: y, shortfalls })
        })
        .collect();
    Ok(Figures {
        year,
        total: conversion_total(&signed, year),
        by_unit,
        by_team,
        below,
        units,
    })
}

async fn figures_json(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<Value>, ApiError> {
    let year = year_of(&st, &q).await?;
    let f = figures(&st, &a.actor, year).await?;
    let by_unit: Vec<Value> = f
        .by_unit
        .iter()
        .map(|(name, pm, c)| {
            json!({
                "unit": name,
                "unit_id": pm.as_ref().map(|u| u.unit_id).or(c.as_ref().map(|c| c.group_id)),
                "projects_reported": pm.as_ref().map(|u| u.projects).unwrap_or(0),
                "land_mu": pm.as_ref().map(|u| u.land.mu_exact()),
                "output_wan": pm.as_ref().map(|u| Wan(u.output)), "tax_wan": pm.as_ref().map(|u| Wan(u.tax)),
                "output_per_mu_wan": wan(pm.as_ref().and_then(|u| u.output_per_mu)),
                "tax_per_mu_wan": wan(pm.as_ref().and_then(|u| u.tax_per_mu)),
                "due": c.as_ref().map(|c| c.due).unwrap_or(0),
                "reached": c.as_ref().map(|c| c.reached).unwrap_or(0),
                "conversion_rate": c.as_ref().and_then(|c| c.rate),
            })
        })
        .collect();
    let by_team: Vec<Value> = f
        .by_team
        .iter()
        .map(|(name, c)| json!({ "team": name, "team_unit_id": c.group_id, "due": c.due, "reached": c.reached, "conversion_rate": c.rate }))
        .collect();
    let below: Vec<Value> = f
        .below
        .iter()
        .map(|b| {
            json!({
                "project_id": b.row.project_id, "code": b.row.code, "name": b.row.name,
                "unit": f.units.get(&b.row.unit_id), "stage": b.row.stage,
                "year": b.year.year,
                "output_per_mu_wan": wan(per_mu(b.year.output, b.row.land)), "tax_per_mu_wan": wan(per_mu(b.year.tax, b.row.land)),
                "shortfalls": b.shortfalls.iter().map(shortfall_value).collect::<Vec<_>>(),
            })
        })
        .collect();
    Ok(Json(json!({
        "year": f.year,
        "benchmarks": { "output_per_mu_wan": Wan(BENCHMARK_OUTPUT_PER_MU), "tax_per_mu_wan": Wan(BENCHMARK_TAX_PER_MU) },
        "conversion": { "due": f.total.due, "reached": f.total.reached, "rate": f.total.rate },
        "by_unit": by_unit,
        "by_team": by_team,
        "below_promise_count": below.len(),
        "below_promise": below,
    })))
}

fn indicator_name(lang: Lang, i: Indicator) -> &'static str {
    match lang {
        Lang::Zh => i.label_zh(),
        Lang::En => i.label_en(),
    }
}

/// An indicator's amount as a sheet cell: money in 万元, counts as they are.
fn amount_cell(i: Indicator, v: i64) -> Cell {
    match i {
        Indicator::Output | Indicator::Tax => Cell::Money(Money::from_yuan(v)),
        Indicator::Jobs | Indicator::Energy => Cell::Int(v),
    }
}

/// The below-promise list as a sheet: one row per shortfall (money in 万元, jobs in people,
/// energy in tce), in the reader's language.
fn below_table(lang: Lang, f: &Figures) -> Table {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, key), kind);
    let mut table = Table::new(
        t(lang, "results.export.sheet"),
        vec![
            col("results.export.code", ColKind::Text),
            col("results.export.name", ColKind::Text),
            col("results.export.unit", ColKind::Text),
            col("results.export.stage", ColKind::Text),
            col("results.export.year", ColKind::Int),
            col("results.export.indicator", ColKind::Text),
            col("results.export.promised", ColKind::Text),
            col("results.export.actual", ColKind::Text),
            col("results.export.gap", ColKind::Text),
            col("results.export.gap_pct", ColKind::Pct),
        ],
    );
    let text = |i: Indicator, v: i64| match amount_cell(i, v) {
        Cell::Money(m) => Cell::Text(m.wan_exact()),
        c => c,
    };
    for b in &f.below {
        for s in &b.shortfalls {
            table.push(vec![
                Cell::Text(b.row.code.clone().unwrap_or_default()),
                Cell::Text(b.row.name.clone()),
                Cell::Text(f.units.get(&b.row.unit_id).cloned().unwrap_or_default()),
                Cell::Text(stage_label(lang, b.row.stage).into()),
                Cell::Int(b.year.year as i64),
                Cell::Text(format!(
                    "{} ({})",
                    indicator_name(lang, s.indicator),
                    t(lang, unit_key(s.indicator))
                )),
                text(s.indicator, s.promised),
                text(s.indicator, s.actual),
                text(s.indicator, s.gap),
                s.gap_pct.map(Cell::Pct).unwrap_or(Cell::Empty),
            ]);
        }
    }
    table
}

/// The unit an indicator's numbers are in.
fn unit_key(i: Indicator) -> &'static str {
    match i {
        Indicator::Output | Indicator::Tax => "results.unit.wan",
        Indicator::Jobs => "results.unit.people",
        Indicator::Energy => "results.unit.tce",
    }
}

async fn below_promise_xlsx(
    State(st): State<AppState>,
    a: Auth,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Response, ApiError> {
    let lang = crate::page::anonymous_lang(q.lang.as_deref(), &headers);
    let year = year_of(&st, &q).await?;
    let f = figures(&st, &a.actor, year).await?;
    let file = crate::page::tf(lang, "results.export.file", &[("year", &year.to_string())]);
    stamped_xlsx(&st.store, lang, &format!("{file}.xlsx"), vec![below_table(lang, &f)]).await
}

// ------------------------------------------------------------------ pages

fn area(lang: Lang, land: Option<LandArea>) -> String {
    match land {
        Some(a) => crate::page::programmes::area(lang, a),
        None => "—".into(),
    }
}

fn money_per_mu(cx: &Ctx, m: Option<Money>) -> String {
    match m {
        Some(m) => format!("{}{}", cx.money(m), cx.t("results.per_mu")),
        None => "—".into(),
    }
}

fn shortfall_words(cx: &Ctx, s: &Shortfall) -> String {
    let amount = |v: i64| match s.indicator {
        Indicator::Output | Indicator::Tax => cx.money(Money::from_yuan(v)),
        Indicator::Jobs => format!("{v} {}", cx.t("results.unit.people")),
        Indicator::Energy => format!("{v} {}", cx.t("results.unit.tce")),
    };
    let pct = s.gap_pct.map(|p| format!(" ({p}%)")).unwrap_or_default();
    cx.tf(
        match s.indicator {
            Indicator::Energy => "results.short_over",
            _ => "results.short_under",
        },
        &[
            ("indicator", indicator_name(cx.lang, s.indicator)),
            ("gap", &format!("{}{pct}", amount(s.gap))),
            ("promised", &amount(s.promised)),
        ],
    )
}

struct YearRow {
    year: i32,
    output: String,
    tax: String,
    jobs: i64,
    energy: i64,
    output_per_mu: String,
    tax_per_mu: String,
    full: bool,
    shortfalls: Vec<String>,
    /// The raw values for the form.
    raw: [String; 5],
}

#[derive(Template)]
#[template(path = "results/project.html")]
struct ProjectPage<'a> {
    cx: &'a Ctx,
    title: String,
    id: i64,
    name: String,
    flash: Markup,
    land: String,
    promise: Vec<(&'static str, String)>,
    reached_in: Option<i32>,
    rows: Vec<YearRow>,
    may_edit: bool,
    version: i64,
    /// The promise's raw values for the form.
    p: [String; 6],
    next_year: i32,
    token: &'a str,
}

async fn project_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    check_project(&st, &cx.auth.actor, id, read).await.map_err(cx.err())?;
    let r = st.store.project_results(id).await.map_err(cx.err())?;
    let may_edit = cx.auth.actor.may(Action::Edit { unit_id: r.unit_id }).is_ok();
    let promise = match &r.promise {
        Some(p) => vec![
            ("results.output", cx.money(p.output)),
            ("results.tax", cx.money(p.tax)),
            ("results.output_per_mu", money_per_mu(&cx, per_mu(p.output, r.land))),
            ("results.tax_per_mu", money_per_mu(&cx, per_mu(p.tax, r.land))),
            ("results.jobs", p.jobs.to_string()),
            ("results.energy", format!("{} {}", p.energy_tce, cx.t("results.unit.tce"))),
            ("results.full_production_year", p.full_production_year.to_string()),
            ("results.investment_per_mu", money_per_mu(&cx, p.investment_per_mu)),
        ],
        None => Vec::new(),
    };
    let rows = r
        .years
        .iter()
        .map(|y| YearRow {
            year: y.year,
            output: cx.money(y.output),
            tax: cx.money(y.tax),
            jobs: y.jobs,
            energy: y.energy_tce,
            output_per_mu: money_per_mu(&cx, per_mu(y.output, r.land)),
            tax_per_mu: money_per_mu(&cx, per_mu(y.tax, r.land)),
            full: r.promise.as_ref().is_some_and(|p| reached_full_production(p, y)),
            shortfalls: r
                .promise
                .as_ref()
                .map(|p| below_promise(p, y).iter().map(|s| shortfall_words(&cx, s)).collect())
                .unwrap_or_default(),
            raw: [
                y.year.to_string(),
                y.output.wan_exact(),
                y.tax.wan_exact(),
                y.jobs.to_string(),
                y.energy_tce.to_string(),
            ],
        })
        .collect::<Vec<_>>();
    let p = match &r.promise {
        Some(p) => [
            p.output.wan_exact(),
            p.tax.wan_exact(),
            p.jobs.to_string(),
            p.energy_tce.to_string(),
            p.full_production_year.to_string(),
            p.investment_per_mu.map(|m| m.wan_exact()).unwrap_or_default(),
        ],
        None => Default::default(),
    };
    let as_of = st.store.as_of().await.map_err(cx.err())?;
    let next_year = r.years.last().map(|y| y.year + 1).unwrap_or(chrono::Datelike::year(&as_of));
    let title = format!("{} · {}", cx.t("results.project_title"), r.name);
    let body = Markup::of(&ProjectPage {
        cx: &cx,
        title: cx.t("results.project_title").to_string(),
        id,
        name: r.name.clone(),
        flash: flash.show(&cx, &["results.flash_"]),
        land: area(cx.lang, r.land),
        reached_in: r.promise.as_ref().and_then(|p| first_full_production_year(p, &r.years)),
        promise,
        rows,
        may_edit,
        version: r.version,
        p,
        next_year,
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

/// The form: the promise's fields (all empty: no promise) and rows `y{n}_year`, `y{n}_output`…
/// (a row with an empty year is left out, so clearing its year removes it).
async fn save_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<Vec<(String, String)>>) -> Response {
    let get = |k: &str| {
        f.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let pf = ["output", "tax", "jobs", "energy_tce", "full_production_year", "investment_per_mu"].map(|k| get(&format!("p_{k}")));
    let promise = (!pf.iter().all(String::is_empty)).then_some(PromiseStrings(pf));
    let mut rows: Vec<usize> = f
        .iter()
        .filter_map(|(n, _)| n.strip_prefix('y')?.strip_suffix("_year")?.parse().ok())
        .collect();
    rows.sort();
    rows.dedup();
    let years: Vec<YearStrings> = rows
        .into_iter()
        .filter(|n| !get(&format!("y{n}_year")).is_empty())
        .map(|n| YearStrings(["year", "output", "tax", "jobs", "energy_tce"].map(|k| get(&format!("y{n}_{k}")))))
        .collect();
    let version = get("version").parse::<i64>().ok();
    let done = async {
        check_project(&st, &a.actor, id, edit).await?;
        let input = parse_strings(promise.as_ref(), &years)?;
        do_save(&st, &a, id, version, &input).await
    }
    .await
    .map(|_| "results.flash_saved");
    back(lang, &format!("/projects/{id}/results"), done)
}

struct UnitRow {
    unit: String,
    reported: usize,
    land: String,
    output_per_mu: String,
    tax_per_mu: String,
    tax_below_benchmark: bool,
    due: usize,
    reached: usize,
    rate: String,
}

struct TeamRow {
    team: String,
    due: usize,
    reached: usize,
    rate: String,
}

struct BelowRow {
    id: i64,
    name: String,
    unit: String,
    stage: &'static str,
    tax_per_mu: String,
    shortfalls: Vec<String>,
}

#[derive(Template)]
#[template(path = "results/figures.html")]
struct FiguresPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    year: i32,
    rate: String,
    due: usize,
    reached: usize,
    benchmark: String,
    units: Vec<UnitRow>,
    teams: Vec<TeamRow>,
    below: Vec<BelowRow>,
}

async fn figures_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<YearQuery>) -> Result<Html<String>, PageError> {
    let year = year_of(&st, &q).await.map_err(cx.err())?;
    let f = figures(&st, &cx.auth.actor, year).await.map_err(cx.err())?;
    let units = f
        .by_unit
        .iter()
        .map(|(unit, pm, c)| UnitRow {
            unit: unit.clone(),
            reported: pm.as_ref().map(|u| u.projects).unwrap_or(0),
            land: area(cx.lang, pm.as_ref().map(|u| u.land)),
            output_per_mu: money_per_mu(&cx, pm.as_ref().and_then(|u| u.output_per_mu)),
            tax_per_mu: money_per_mu(&cx, pm.as_ref().and_then(|u| u.tax_per_mu)),
            tax_below_benchmark: pm.as_ref().and_then(|u| u.tax_per_mu).is_some_and(|m| m < BENCHMARK_TAX_PER_MU),
            due: c.as_ref().map(|c| c.due).unwrap_or(0),
            reached: c.as_ref().map(|c| c.reached).unwrap_or(0),
            rate: crate::page::pct(c.as_ref().and_then(|c| c.rate)),
        })
        .collect();
    let teams = f
        .by_team
        .iter()
        .map(|(team, c)| TeamRow {
            team: team.clone(),
            due: c.due,
            reached: c.reached,
            rate: crate::page::pct(c.rate),
        })
        .collect();
    let below = f
        .below
        .iter()
        .map(|b| BelowRow {
            id: b.row.project_id,
            name: b.row.name.clone(),
            unit: f.units.get(&b.row.unit_id).cloned().unwrap_or_default(),
            stage: stage_label(cx.lang, b.row.stage),
            tax_per_mu: money_per_mu(&cx, per_mu(b.year.tax, b.row.land)),
            shortfalls: b.shortfalls.iter().map(|s| shortfall_words(&cx, s)).collect(),
        })
        .collect();
    let benchmark = cx.tf(
        "results.benchmark",
        &[
            ("tax", &money_per_mu(&cx, Some(BENCHMARK_TAX_PER_MU))),
            ("output", &money_per_mu(&cx, Some(BENCHMARK_OUTPUT_PER_MU))),
        ],
    );
    let title = cx.t("results.title");
    let body = Markup::of(&FiguresPage {
        cx: &cx,
        title,
        year,
        rate: crate::page::pct(f.total.rate),
        due: f.total.due,
        reached: f.total.reached,
        benchmark,
        units,
        teams,
        below,
    });
    Ok(layout(&cx, title, body, &[]))
}
