//! `/`: the cockpit (驾驶舱) of a year, up to a chosen month: the headline figures, charts and
//! the ranking of units. Every count links to the list it counts (the registry's, or the
//! batches', nodes', problems', supervision rounds' and enterprise visits' of the period).

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
    /// One row per item: the chart's height follows (0: the stylesheet's height).
    rows: usize,
    /// The ECharts option as JSON (escaped by the template like any attribute).
    option: String,
}

/// A chart: the server writes the whole ECharts option; `app.js` draws it.
fn chart(id: &str, label: &str, rows: usize, option: serde_json::Value) -> Markup {
    let class = if id == "chart-investment" { "chart chart-small" } else { "chart" };
    Markup::of(&ChartDiv {
        class,
        id,
        label,
        rows,
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

/// The change of a unit's place since the last period (双亮牌): ↑2, ↓1, or — (same, or no
/// place then).
fn rank_change(now: usize, before: Option<usize>) -> (String, &'static str) {
    match before {
        Some(b) if b > now => (format!("↑{}", b - now), "up"),
        Some(b) if b < now => (format!("↓{}", now - b), "down"),
        Some(_) => ("—".into(), "same"),
        None => ("—".into(), "none"),
    }
}

/// Units ordered by investment completion, then fewest red lights, then name; each unit's
/// place (from 1).
fn rank_order(ranks: &mut [zhantu_store::UnitRank]) {
    let rate = |r: &zhantu_store::UnitRank| Pct1::ratio(r.completed.yuan() as i128, r.planned.yuan() as i128);
    ranks.sort_by(|a, b| {
        rate(b)
            .unwrap_or(Pct1(-1))
            .cmp(&rate(a).unwrap_or(Pct1(-1)))
            .then(a.red.cmp(&b.red))
            .then(a.unit.name.cmp(&b.unit.name))
    });
}

async fn page(State(st): State<AppState>, cx: Ctx, Query(q): Query<CockpitQuery>) -> Result<Html<String>, PageError> {
    let data_day = st.store.as_of().await?;
    let year = q
        .year
        .as_deref()
        .and_then(|y| zhantu_domain::Year::parse(y.trim()).ok())
        .map_or(data_day.year(), zhantu_domain::Year::get);
    let month = q
        .month
        .as_deref()
        .and_then(|m| m.trim().parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m));
    let scope = cx.scope();
    // Every count is of the reader's projects (a unit's staff: their units'), in the period.
    let pf = st.store.period_figures(year, month, scope.as_deref()).await?;
    let f = &pf.figures;
    let started = f.period_started;
    let district = st
        .store
        .setting("district_name")
        .await?
        .unwrap_or_else(|| cx.t("cockpit.district").into());
    let lang = cx.lang;
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };
    // The period's first and last day, for the links to the lists it counts.
    let from = format!("{year}-01-01");
    let to = f.as_of.to_string();
    let light_month = pf.light_month.map(|m| m.format("%Y-%m").to_string());
    let light_q = |l: Light| match &light_month {
        Some(m) => format!("light={}&light_month={m}", l.code()),
        None => format!("light={}", l.code()),
    };
    let rank_month = if !started {
        0
    } else {
        month.unwrap_or(if f.as_of.year() > year { 12 } else { f.as_of.month() })
    };
    let mut ranks = st.store.unit_ranking(year, rank_month, scope.as_deref(), pf.light_month).await?;
    rank_order(&mut ranks);
    // The last period's places: the month before, its lights from the light history.
    let before: std::collections::HashMap<i64, usize> = if rank_month > 1 {
        let prev = chrono::NaiveDate::from_ymd_opt(year, rank_month - 1, 1);
        let mut prev_ranks = st.store.unit_ranking(year, rank_month - 1, scope.as_deref(), prev).await?;
        rank_order(&mut prev_ranks);
        prev_ranks.iter().enumerate().map(|(i, r)| (r.unit.id, i + 1)).collect()
    } else {
        Default::default()
    };

    // The chooser: a plain GET form.
    let years: Vec<SelectOption> = ((data_day.year() - 3)..=(data_day.year() + 1))
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
    let period = match month {
        Some(m) => tf(lang, "cockpit.period_month", &[("y", &year.to_string()), ("m", &m.to_string())]),
        None => tf(lang, "cockpit.period_year", &[("y", &year.to_string())]),
    };
    let dash = || "—".to_string();

    // Headline cards.
    let light_n = |l: Light| f.lights.iter().find(|x| x.light == l.code()).map(|x| x.projects).unwrap_or(0);
    let inv = &f.investment;
    let b = &f.batches.total;
    let mut cards = Vec::new();
    let fai_note = match (f.fai_month, f.fai_points_vs_province) {
        (None, _) => t("cockpit.fai_none").to_string(),
        (Some(m), None) => tf(lang, "cockpit.fai_note_district", &[("m", &m.to_string())]),
        (Some(m), Some(p)) => tf(
            lang,
            if p.0 < 0 { "cockpit.fai_note_below" } else { "cockpit.fai_note" },
            &[
                ("prov", &pct(f.fai_province_growth_pct)),
                ("pts", &Pct1(p.0.abs()).to_string()),
                ("m", &m.to_string()),
            ],
        ),
    };
    cards.push(Card::new(t("cockpit.fai_growth"), pct(f.fai_growth_pct), fai_note, "accent"));
    let tp = if started { pct(Some(inv.time_progress_pct)) } else { dash() };
    let mut c = Card::new(
        t("cockpit.investment_rate"),
        pct(inv.rate_pct),
        tf(
            lang,
            "cockpit.investment_note",
            &[
                ("done", &money(lang, inv.completed_wan.0, true)),
                ("plan", &money(lang, inv.planned_wan.0, true)),
                ("tp", &tp),
            ],
        ),
        "",
    );
    c.href = Some("/projects?sort=investment".into());
    cards.push(c);
    for l in [Light::Red, Light::Yellow, Light::Green] {
        let note = match &light_month {
            _ if !pf.lights_known => t("cockpit.lights_none").to_string(),
            Some(m) => tf(lang, "cockpit.lights_month", &[("m", m)]),
            None => t("cockpit.projects_active").to_string(),
        };
        let mut c = Card::new(
            light_label(lang, l),
            if pf.lights_known { light_n(l).to_string() } else { dash() },
            note,
            &format!("light-card light-card-{}", l.code()),
        );
        if pf.lights_known {
            // The list of the projects counted, each with the reasons of its light.
            c.href = Some(format!("/lights?{}", light_q(l)));
            c.count = true;
        }
        cards.push(c);
    }
    // A period not begun has no batches, nodes or problems of its own: "—", not 0.
    let count_or_dash = |n: u32| if started { n.to_string() } else { dash() };
    let mut c = Card::new(
        t("cockpit.batches"),
        count_or_dash(f.batches.count),
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
    );
    if started {
        c.href = Some(format!("/batches?from={from}&to={to}"));
        c.count = true;
    }
    cards.push(c);
    let due_href = format!("/nodes?due_from={from}&due_to={to}");
    let late_href = format!("{due_href}&late=1");
    let mut c = Card::new(t("cockpit.node_on_time"), pct(f.node_on_time_rate_pct), period.clone(), "");
    if started {
        c.href = Some(late_href.clone());
        c.links = vec![
            NoteLink::new(t("cockpit.nodes_due"), f.node_on_time.due, due_href),
            NoteLink::new(t("cockpit.nodes_late"), f.node_on_time.overdue_open, late_href),
        ];
    }
    cards.push(c);
    let mut c = Card::new(
        t("cockpit.problems"),
        count_or_dash(f.problems.raised),
        tf(
            lang,
            "cockpit.problems_note",
            &[
                ("period", &period),
                ("closed", &f.problems.closed.to_string()),
                ("rate", &pct(f.problems.rate_pct)),
            ],
        ),
        "",
    );
    if started {
        c.href = Some(format!("/problems?raised_from={from}&raised_to={to}"));
        c.count = true;
    }
    cards.push(c);
    let mut c = Card::new(t("cockpit.planned"), f.projects_planned.to_string(), String::new(), "");
    // The visits are the reader's units' (the district's for district-wide readers), as the
    // list they open shows them.
    let visits_note = if scope.is_some() {
        "cockpit.visits_note_scoped"
    } else {
        "cockpit.visits_note"
    };
    c.links = vec![
        NoteLink::around(
            t(visits_note),
            f.enterprise_visits,
            format!("/enterprises/visits?from={from}&to={to}"),
        ),
        NoteLink::new(
            t("cockpit.rounds"),
            f.supervision_rounds,
            format!("/supervision?from={from}&to={to}"),
        ),
    ];
    c.href = Some(format!("/projects?planned_year={year}"));
    c.count = true;
    cards.push(c);
    // Delivery confidence beside the light: the projects whose latest rating disagrees with
    // their light (the registry's `disagree` filter counts the same), each way linked.
    let rated = zhantu_domain::confidence::disagreement_total(&st.store.latest_confidence(scope.as_deref()).await?);
    let mut c = Card::new(
        t("cockpit.confidence"),
        if rated.rated == 0 {
            dash()
        } else {
            (rated.optimistic + rated.pessimistic).to_string()
        },
        if rated.rated == 0 {
            t("cockpit.confidence_none").to_string()
        } else {
            tf(
                lang,
                "cockpit.confidence_note",
                &[("rated", &rated.rated.to_string()), ("pct", &pct(rated.disagreement_pct))],
            )
        },
        "confidence-card",
    );
    if rated.rated > 0 {
        c.href = Some("/projects?disagree=1".into());
        c.count = true;
        c.links = vec![
            NoteLink::new(
                t("cockpit.confidence_optimistic"),
                rated.optimistic as u32,
                "/projects?disagree=optimistic".into(),
            ),
            NoteLink::new(
                t("cockpit.confidence_pessimistic"),
                rated.pessimistic as u32,
                "/projects?disagree=pessimistic".into(),
            ),
        ];
    }
    cards.push(c);

    // Landing by category: on the category's list of the year; landed in the year by the
    // period's end.
    let landing_href = |code: &str| format!("/projects?category={}&year={year}", qv(code));
    let landing: Vec<LandingRow> = f
        .landing
        .iter()
        .map(|l| LandingRow {
            href: landing_href(&l.code),
            landed_href: format!("{}&started_from={from}&started_to={to}", landing_href(&l.code)),
            category: crate::page::category_name(lang, &l.code, &l.category),
            targeted: l.landing.targeted,
            landed: l.landing.landed,
            rate: if started { pct(l.landing.rate_pct) } else { dash() },
            target: pct(l.landing.target_pct),
            met: l.landing.target_met.filter(|_| started).map(|met| {
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
        json!({"type": "category", "data": f.landing.iter().map(|l| crate::page::category_name(lang, &l.code, &l.category)).collect::<Vec<_>>(), "axisLabel": {"interval": 0, "rotate": 30}}),
        json!({"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}}),
        json!([
            {"name": t("cockpit.rate"), "type": "bar", "data": f.landing.iter().map(|l| json!({"value": if started { pct_num(l.landing.rate_pct) } else { Value::Null }, "link": landing_href(&l.code)})).collect::<Vec<_>>(), "itemStyle": {"color": "#c0392b"}, "label": {"show": true, "position": "top", "formatter": "{c}%"}},
            // A target is a mark on its own category's bar, not a line from one category to the next.
            {"name": t("cockpit.target"), "type": "scatter", "symbol": "rect", "symbolSize": [36, 4], "z": 3, "data": f.landing.iter().map(|l| pct_num(l.landing.target_pct)).collect::<Vec<_>>(), "itemStyle": {"color": "#34495e"}}
        ]),
    );
    landing_option["legend"] = json!({"data": [t("cockpit.rate"), t("cockpit.target")]});
    let landing_chart = chart("chart-landing", t("cockpit.landing"), 0, landing_option);

    // Stages (as they stand on the data day) and lights.
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
        0,
        axis_option(
            [10, 10, 10, 20],
            json!({"type": "category", "data": Stage::ALL.iter().map(|s| stage_label(lang, *s)).collect::<Vec<_>>(), "axisLabel": {"interval": 0, "rotate": 30}}),
            json!({"type": "value"}),
            json!([{"type": "bar", "data": Stage::ALL.iter().map(|s| json!({"value": stage_n(*s), "link": format!("/projects?stage={}", s.code())})).collect::<Vec<_>>(), "itemStyle": {"color": "#2c6e9b"}, "label": {"show": true, "position": "top"}}]),
        ),
    );
    let light_data: Vec<serde_json::Value> = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .filter(|_| pf.lights_known)
        .map(|l| {
            json!({
                "name": light_label(lang, *l), "value": light_n(*l),
                "itemStyle": {"color": match l { Light::Red => "#c0392b", Light::Yellow => "#d4a017", Light::Green => "#2e8b57" }},
                "link": format!("/lights?{}", light_q(*l))
            })
        })
        .collect();
    let light_chart = chart(
        "chart-lights",
        t("cockpit.lights"),
        0,
        json!({
            "tooltip": {"trigger": "item"},
            "series": [{"type": "pie", "radius": ["45%", "72%"], "label": {"formatter": "{b}\n{c}"},
                "data": light_data}]
        }),
    );
    let invest_chart = chart(
        "chart-investment",
        t("cockpit.investment"),
        0,
        axis_option(
            [10, 40, 20, 10],
            json!({"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}}),
            json!({"type": "category", "data": [t("cockpit.time_progress"), t("cockpit.investment_rate")]}),
            json!([{"type": "bar", "data": [
                {"value": if started { pct_num(Some(inv.time_progress_pct)) } else { Value::Null }, "itemStyle": {"color": "#7b8794"}},
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
            targets: c.completion.target_nodes,
            note: tf(
                lang,
                "cockpit.campaign_note",
                &[
                    ("closed", &c.completion.closed_nodes.to_string()),
                    ("rate", &pct(c.completion.rate_pct)),
                ],
            ),
        })
        .collect();

    // Ranking of units by investment completion, then by fewest red lights: every unit, with
    // its place and the change of place since the month before.
    let rate = |r: &zhantu_store::UnitRank| Pct1::ratio(r.completed.yuan() as i128, r.planned.yuan() as i128);
    let unit_q = |id: i64| format!("/projects?unit={id}&unit_exact=1&active=1");
    let rank_rows: Vec<RankRow> = ranks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let (change, change_class) = rank_change(i + 1, before.get(&r.unit.id).copied());
            RankRow {
                place: i + 1,
                change,
                change_class,
                href: unit_q(r.unit.id),
                light_hrefs: [Light::Red, Light::Yellow, Light::Green].map(|l| format!("{}&{}", unit_q(r.unit.id), light_q(l))),
                name: &r.unit.name,
                projects: r.projects,
                red: r.red,
                yellow: r.yellow,
                green: r.green,
                planned: money(lang, r.planned, false),
                completed: money(lang, r.completed, false),
                rate: if started { pct(rate(r)) } else { dash() },
            }
        })
        .collect();
    let rank_chart = chart(
        "chart-units",
        t("cockpit.ranking"),
        rank_rows.len(),
        axis_option(
            [10, 50, 20, 10],
            json!({"type": "value", "axisLabel": {"formatter": "{value}%"}}),
            json!({"type": "category", "inverse": true, "axisLabel": {"interval": 0}, "data": rank_rows.iter().map(|r| format!("{}. {} {}", r.place, r.name, r.change)).collect::<Vec<_>>()}),
            json!([{"type": "bar", "data": ranks.iter().map(|r| json!({"value": if started { pct_num(rate(r)) } else { Value::Null }, "link": unit_q(r.unit.id)})).collect::<Vec<_>>(), "itemStyle": {"color": "#2c6e9b"}, "label": {"show": true, "position": "right", "formatter": "{c}%"}}]),
        ),
    );
    let pts = match inv.points_vs_time_progress.filter(|_| started) {
        None => t("cockpit.investment_vs_none").to_string(),
        Some(p) => tf(
            lang,
            if p.0 < 0 {
                "cockpit.investment_below"
            } else {
                "cockpit.investment_above"
            },
            &[("pts", &Pct1(p.0.abs()).to_string())],
        ),
    };
    let body = Markup::of(&CockpitPage {
        cx: &cx,
        title: crate::page::names_marked(&tf(lang, "cockpit.title", &[("d", &district)])),
        period: period.clone(),
        as_of: long_date(lang, f.as_of),
        stages_as_of: tf(lang, "cockpit.stages_as_of", &[("d", &long_date(lang, data_day))]),
        years: options(&years),
        months: options(&months),
        cards,
        landing_chart,
        landing,
        invest_chart,
        inv_note: tf(
            lang,
            "cockpit.investment_vs",
            &[("rate", &pct(inv.rate_pct)), ("tp", &tp), ("pts", &pts)],
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
        rank_note: if rank_month > 1 {
            tf(lang, "cockpit.rank_change_note", &[("m", &(rank_month - 1).to_string())])
        } else {
            String::new()
        },
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
    /// The district's name in it is data (marked, as names in English sentences are).
    title: Markup,
    /// The year, or the year up to a month.
    period: String,
    as_of: String,
    /// "现状截至数据日": what the stage counts are of.
    stages_as_of: String,
    years: Markup,
    months: Markup,
    cards: Vec<Card>,
    landing_chart: Markup,
    landing: Vec<LandingRow>,
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
    /// What the change of place compares with.
    rank_note: String,
    ranks: Vec<RankRow<'a>>,
}

/// A headline figure, linked to the list it counts when there is one.
struct Card {
    label: &'static str,
    value: String,
    href: Option<String>,
    /// The value is a count of the linked list's rows (`data-count` for the link test).
    count: bool,
    note: String,
    /// Counts in the note, each linked to its list.
    links: Vec<NoteLink>,
    class: String,
}

impl Card {
    fn new(label: &'static str, value: String, note: String, class: &str) -> Card {
        Card {
            label,
            value,
            href: None,
            count: false,
            note,
            links: Vec::new(),
            class: class.to_string(),
        }
    }
}

/// A count in a card's note, linked to the list it counts, with the words around it.
struct NoteLink {
    before: String,
    n: u32,
    href: String,
    after: String,
}

impl NoteLink {
    /// `label N`.
    fn new(label: &'static str, n: u32, href: String) -> NoteLink {
        NoteLink {
            before: format!("{label} "),
            n,
            href,
            after: String::new(),
        }
    }

    /// A sentence with the count in it, where its `{n}` stands: `全区走访企业 {n} 家次`.
    fn around(text: &'static str, n: u32, href: String) -> NoteLink {
        let (before, after) = text.split_once("{n}").unwrap_or((text, ""));
        NoteLink {
            before: before.to_string(),
            n,
            href,
            after: after.to_string(),
        }
    }
}

/// The landing rate of a category (落地率).
struct LandingRow {
    href: String,
    landed_href: String,
    category: String,
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
    /// Its target nodes (the reader's), linked to their list.
    targets: u32,
    note: String,
}

struct RankRow<'a> {
    place: usize,
    /// ↑2, ↓1 or —, and its class.
    change: String,
    change_class: &'static str,
    href: String,
    /// The unit's red, yellow and green lists.
    light_hrefs: [String; 3],
    name: &'a str,
    projects: i64,
    red: i64,
    yellow: i64,
    green: i64,
    planned: String,
    completed: String,
    rate: String,
}
