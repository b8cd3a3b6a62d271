//! `/`: the cockpit (驾驶舱) of a year, up to a chosen month: the headline figures, charts and
//! the ranking of units. Every count links to the registry list it counts.

use crate::AppState;
use crate::page::i18n::tf;
use crate::page::select::{SelectOption, options};
use crate::page::{Ctx, Markup, PageError, layout, light_label, long_date, money, pct, qv, stage_label};
use crate::routes::{Routes, get};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::Stage;
use zhantu_domain::figures::Pct1;
use zhantu_domain::lights::Light;

pub fn router() -> Routes {
    Routes::new().route("/", get(page))
}

#[derive(Deserialize, Default)]
struct CockpitQuery {
    year: Option<String>,
    month: Option<String>,
}

#[derive(Template)]
#[template(path = "cockpit/chart.html")]
struct ChartDiv<'a> {
    class: &'a str,
    id: &'a str,
    label: &'a str,
    /// The ECharts option as JSON (escaped by the template like any attribute).
    option: String,
}

/// A chart: the server writes the whole ECharts option; `app.js` draws it.
fn chart(id: &str, label: &str, option: serde_json::Value) -> Markup {
    let class = if id == "chart-investment" { "chart chart-small" } else { "chart" };
    Markup::of(&ChartDiv {
        class,
        id,
        label,
        option: option.to_string(),
    })
}

/// The option of a chart on two axes, one tooltip per axis category, inside the grid's
/// margins (left, right, bottom, top).
fn axis_option(grid: [u32; 4], x_axis: Value, y_axis: Value, series: Value) -> Value {
    let [left, right, bottom, top] = grid;
    json!({
        "tooltip": {"trigger": "axis"},
        "grid": {"left": left, "right": right, "bottom": bottom, "top": top},
        "xAxis": x_axis,
        "yAxis": y_axis,
        "series": series
    })
}

fn pct_num(p: Option<Pct1>) -> serde_json::Value {
    match p {
        Some(p) => json!(p.tenths() as f64 / 10.0),
        None => serde_json::Value::Null,
    }
}

async fn page(State(st): State<AppState>, cx: Ctx, Query(q): Query<CockpitQuery>) -> Result<Html<String>, PageError> {
    let as_of = st.store.as_of().await?;
    let year = q
        .year
        .as_deref()
        .and_then(|y| zhantu_domain::Year::parse(y.trim()).ok())
        .map_or(as_of.year(), zhantu_domain::Year::get);
    let month = q
        .month
        .as_deref()
        .and_then(|m| m.trim().parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m));
    let f = st.store.year_figures_until(year, month).await?;
    let district = st
        .store
        .setting("district_name")
        .await?
        .unwrap_or_else(|| cx.t("cockpit.district").into());
    let lang = cx.lang;
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };
    let rank_month = month.unwrap_or(if f.as_of.year() > year { 12 } else { f.as_of.month() });
    let scope = cx.scope();
    let mut ranks = st.store.unit_ranking(year, rank_month, scope.as_deref()).await?;

    // The chooser: a plain GET form.
    let years: Vec<SelectOption> = ((as_of.year() - 3)..=(as_of.year() + 1))
        .map(|y| SelectOption::new(y.to_string(), y.to_string(), y == year))
        .collect();
    let months: Vec<SelectOption> = std::iter::once(SelectOption::new("", t("cockpit.whole_year"), false))
        .chain((1..=12).map(|m| {
            SelectOption::new(
                m.to_string(),
                tf(lang, "cockpit.month_n", &[("m", &m.to_string())]),
                Some(m) == month,
            )
        }))
        .collect();

    // Headline cards.
    let light_n = |l: Light| f.lights.iter().find(|x| x.light == l.code()).map(|x| x.projects).unwrap_or(0);
    let inv = &f.investment;
    let b = &f.batches.total;
    let card = |label: &'static str, value: String, href: Option<String>, note: String, class: &str| Card {
        label,
        value,
        href,
        note,
        class: class.to_string(),
    };
    let mut cards = Vec::new();
    cards.push(card(
        t("cockpit.fai_growth"),
        pct(f.fai_growth_pct),
        None,
        tf(
            lang,
            "cockpit.fai_note",
            &[
                ("prov", &pct(f.fai_province_growth_pct)),
                (
                    "pts",
                    &f.fai_points_vs_province.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
                ),
                ("m", &f.fai_month.map(|m| m.to_string()).unwrap_or_else(|| "—".into())),
            ],
        ),
        "accent",
    ));
    cards.push(card(
        t("cockpit.investment_rate"),
        pct(inv.rate_pct),
        Some("/projects?sort=investment".into()),
        tf(
            lang,
            "cockpit.investment_note",
            &[
                ("done", &money(lang, inv.completed_wan.0, true)),
                ("plan", &money(lang, inv.planned_wan.0, true)),
                ("tp", &pct(Some(inv.time_progress_pct))),
            ],
        ),
        "",
    ));
    for l in [Light::Red, Light::Yellow, Light::Green] {
        cards.push(card(
            light_label(lang, l),
            light_n(l).to_string(),
            // The list of the projects counted, each with the reasons of its light.
            Some(format!("/lights?light={}", l.code())),
            t("cockpit.projects_active").to_string(),
            &format!("light-card light-card-{}", l.code()),
        ));
    }
    cards.push(card(
        t("cockpit.batches"),
        f.batches.count.to_string(),
        None,
        tf(
            lang,
            "cockpit.batches_note",
            &[
                ("n", &b.projects.to_string()),
                ("total", &money(lang, b.total_investment_wan.0, true)),
                ("annual", &money(lang, b.annual_investment_wan.0, true)),
            ],
        ),
        "",
    ));
    cards.push(card(
        t("cockpit.node_on_time"),
        pct(f.node_on_time_rate_pct),
        Some("/battle-map".into()),
        tf(
            lang,
            "cockpit.node_note",
            &[
                ("due", &f.node_on_time.due.to_string()),
                ("late", &f.node_on_time.overdue_open.to_string()),
            ],
        ),
        "",
    ));
    cards.push(card(
        t("cockpit.problems"),
        f.problems.raised.to_string(),
        None,
        tf(
            lang,
            "cockpit.problems_note",
            &[("closed", &f.problems.closed.to_string()), ("rate", &pct(f.problems.rate_pct))],
        ),
        "",
    ));
    cards.push(card(
        t("cockpit.planned"),
        f.projects_planned.to_string(),
        Some("/projects".into()),
        tf(
            lang,
            "cockpit.visits_note",
            &[
                ("visits", &f.enterprise_visits.to_string()),
                ("rounds", &f.supervision_rounds.to_string()),
            ],
        ),
        "",
    ));

    // Landing by category.
    let landing: Vec<LandingRow> = f
        .landing
        .iter()
        .map(|l| LandingRow {
            href: format!("/projects?category={}", qv(&l.code)),
            category: &l.category,
            targeted: l.landing.targeted,
            landed: l.landing.landed,
            rate: pct(l.landing.rate_pct),
            target: pct(l.landing.target_pct),
            met: l.landing.target_met.map(|met| {
                if met {
                    ("ok", t("cockpit.met"))
                } else {
                    ("bad", t("cockpit.not_met"))
                }
            }),
        })
        .collect();
    let mut landing_option = axis_option(
        [10, 10, 10, 40],
        json!({"type": "category", "data": f.landing.iter().map(|l| &l.category).collect::<Vec<_>>(), "axisLabel": {"interval": 0, "rotate": 30}}),
        json!({"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}}),
        json!([
            {"name": t("cockpit.rate"), "type": "bar", "data": f.landing.iter().map(|l| json!({"value": pct_num(l.landing.rate_pct), "link": format!("/projects?category={}", qv(&l.code))})).collect::<Vec<_>>(), "itemStyle": {"color": "#c0392b"}, "label": {"show": true, "position": "top", "formatter": "{c}%"}},
            {"name": t("cockpit.target"), "type": "line", "data": f.landing.iter().map(|l| pct_num(l.landing.target_pct)).collect::<Vec<_>>(), "itemStyle": {"color": "#34495e"}, "lineStyle": {"type": "dashed"}}
        ]),
    );
    landing_option["legend"] = json!({"data": [t("cockpit.rate"), t("cockpit.target")]});
    let landing_chart = chart("chart-landing", t("cockpit.landing"), landing_option);

    // Stages and lights.
    let stage_n = |s: Stage| f.stages.iter().find(|x| x.stage == s.code()).map(|x| x.projects).unwrap_or(0);
    let stages: Vec<StageCount> = Stage::ALL
        .iter()
        .map(|s| StageCount {
            code: s.code(),
            label: stage_label(lang, *s),
            n: stage_n(*s),
        })
        .collect();
    let stage_chart = chart(
        "chart-stages",
        t("cockpit.stages"),
        axis_option(
            [10, 10, 10, 20],
            json!({"type": "category", "data": Stage::ALL.iter().map(|s| stage_label(lang, *s)).collect::<Vec<_>>(), "axisLabel": {"interval": 0, "rotate": 30}}),
            json!({"type": "value"}),
            json!([{"type": "bar", "data": Stage::ALL.iter().map(|s| json!({"value": stage_n(*s), "link": format!("/projects?stage={}", s.code())})).collect::<Vec<_>>(), "itemStyle": {"color": "#2c6e9b"}, "label": {"show": true, "position": "top"}}]),
        ),
    );
    let light_data: Vec<serde_json::Value> = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .map(|l| {
            json!({
                "name": light_label(lang, *l), "value": light_n(*l),
                "itemStyle": {"color": match l { Light::Red => "#c0392b", Light::Yellow => "#d4a017", Light::Green => "#2e8b57" }},
                "link": format!("/lights?light={}", l.code())
            })
        })
        .collect();
    let light_chart = chart(
        "chart-lights",
        t("cockpit.lights"),
        json!({
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["45%", "72%"], "label": {"formatter": "{b}\n{c}"},
                "data": light_data}]
        }),
    );
    let invest_chart = chart(
        "chart-investment",
        t("cockpit.investment"),
        axis_option(
            [10, 40, 20, 10],
            json!({"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}}),
            json!({"type": "category", "data": [t("cockpit.time_progress"), t("cockpit.investment_rate")]}),
            json!([{"type": "bar", "data": [
                {"value": pct_num(Some(inv.time_progress_pct)), "itemStyle": {"color": "#7b8794"}},
                {"value": pct_num(inv.rate_pct), "itemStyle": {"color": "#c0392b"}}
            ], "label": {"show": true, "position": "right", "formatter": "{c}%"}}]),
        ),
    );

    // Batches and campaigns.
    let batches: Vec<BatchRow> = f
        .batches
        .items
        .iter()
        .map(|b| BatchRow {
            name: &b.name,
            held_on: b.held_on.to_string(),
            id: b.id,
            projects: b.aggregate.projects,
            total: money(lang, b.aggregate.total_investment_wan.0, true),
            annual: money(lang, b.aggregate.annual_investment_wan.0, true),
        })
        .collect();
    let campaigns: Vec<CampaignRow> = f
        .campaigns
        .iter()
        .map(|c| CampaignRow {
            id: c.id,
            name: &c.name,
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            note: tf(
                lang,
                "cockpit.campaign_note",
                &[
                    ("n", &c.completion.target_nodes.to_string()),
                    ("closed", &c.completion.closed_nodes.to_string()),
                    ("rate", &pct(c.completion.rate_pct)),
                ],
            ),
        })
        .collect();

    // Ranking of units by investment completion, then by fewest red lights.
    let rate = |r: &zhantu_store::UnitRank| Pct1::ratio(r.completed.yuan() as i128, r.planned.yuan() as i128);
    ranks.sort_by(|a, b| {
        rate(b)
            .unwrap_or(Pct1(-1))
            .cmp(&rate(a).unwrap_or(Pct1(-1)))
            .then(a.red.cmp(&b.red))
            .then(a.unit.name.cmp(&b.unit.name))
    });
    let rank_rows: Vec<RankRow> = ranks
        .iter()
        .enumerate()
        .map(|(i, r)| RankRow {
            place: i + 1,
            unit: r.unit.id,
            name: &r.unit.name,
            projects: r.projects,
            red: r.red,
            yellow: r.yellow,
            green: r.green,
            planned: money(lang, r.planned, false),
            completed: money(lang, r.completed, false),
            rate: pct(rate(r)),
        })
        .collect();
    let top: Vec<_> = ranks.iter().filter(|r| rate(r).is_some()).take(12).collect();
    let rank_chart = chart(
        "chart-units",
        t("cockpit.ranking"),
        axis_option(
            [10, 50, 20, 10],
            json!({"type": "value", "axisLabel": {"formatter": "{value}%"}}),
            json!({"type": "category", "inverse": true, "data": top.iter().map(|r| &r.unit.name).collect::<Vec<_>>()}),
            json!([{"type": "bar", "data": top.iter().map(|r| json!({"value": pct_num(rate(r)), "link": format!("/projects?unit={}", r.unit.id)})).collect::<Vec<_>>(), "itemStyle": {"color": "#2c6e9b"}, "label": {"show": true, "position": "right", "formatter": "{c}%"}}]),
        ),
    );
    let period = match month {
        Some(m) => tf(lang, "cockpit.period_month", &[("y", &year.to_string()), ("m", &m.to_string())]),
        None => tf(lang, "cockpit.period_year", &[("y", &year.to_string())]),
    };
    let body = Markup::of(&CockpitPage {
        cx: &cx,
        title: tf(lang, "cockpit.title", &[("d", &district)]),
        period,
        as_of: long_date(lang, f.as_of),
        years: options(&years),
        months: options(&months),
        cards,
        landing_chart,
        landing,
        invest_chart,
        inv_note: tf(
            lang,
            "cockpit.investment_vs",
            &[
                ("rate", &pct(inv.rate_pct)),
                ("tp", &pct(Some(inv.time_progress_pct))),
                (
                    "pts",
                    &inv.points_vs_time_progress.map(|p| p.to_string()).unwrap_or_else(|| "—".into()),
                ),
            ],
        ),
        light_chart,
        stage_chart,
        stages,
        batches_sum: tf(
            lang,
            "cockpit.batches_sum",
            &[
                ("count", &f.batches.count.to_string()),
                ("n", &b.projects.to_string()),
                ("total", &money(lang, b.total_investment_wan.0, true)),
                ("annual", &money(lang, b.annual_investment_wan.0, true)),
            ],
        ),
        batches,
        campaigns,
        scoped: scope.is_some(),
        rank_chart,
        ranks: rank_rows,
    });
    Ok(layout(
        &cx,
        &format!("{} {}", cx.t("nav.cockpit"), year),
        body,
        &["/assets/vendor/echarts.min.js", "/assets/app.js"],
    ))
}

#[derive(Template)]
#[template(path = "cockpit/page.html")]
struct CockpitPage<'a> {
    cx: &'a Ctx,
    title: String,
    /// The year, or the year up to a month.
    period: String,
    as_of: String,
    years: Markup,
    months: Markup,
    cards: Vec<Card>,
    landing_chart: Markup,
    landing: Vec<LandingRow<'a>>,
    invest_chart: Markup,
    inv_note: String,
    light_chart: Markup,
    stage_chart: Markup,
    stages: Vec<StageCount>,
    batches_sum: String,
    batches: Vec<BatchRow<'a>>,
    campaigns: Vec<CampaignRow<'a>>,
    /// The reader sees only their units' projects.
    scoped: bool,
    rank_chart: Markup,
    ranks: Vec<RankRow<'a>>,
}

/// A headline figure, linked to the list it counts when there is one.
struct Card {
    label: &'static str,
    value: String,
    href: Option<String>,
    note: String,
    class: String,
}

/// The landing rate of a category (落地率).
struct LandingRow<'a> {
    href: String,
    category: &'a str,
    targeted: u32,
    landed: u32,
    rate: String,
    target: String,
    /// (class, label) of "met" or "not met"; none without a target.
    met: Option<(&'static str, &'static str)>,
}

struct StageCount {
    code: &'static str,
    label: &'static str,
    n: u32,
}

struct BatchRow<'a> {
    name: &'a str,
    held_on: String,
    id: i64,
    projects: u32,
    total: String,
    annual: String,
}

struct CampaignRow<'a> {
    id: i64,
    name: &'a str,
    starts_on: String,
    ends_on: String,
    note: String,
}

struct RankRow<'a> {
    place: usize,
    unit: i64,
    name: &'a str,
    projects: i64,
    red: i64,
    yellow: i64,
    green: i64,
    planned: String,
    completed: String,
    rate: String,
}
