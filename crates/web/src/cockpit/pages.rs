//! `/`: the cockpit (驾驶舱) of a year, up to a chosen month: the headline figures, charts and
//! the ranking of units. Every count links to the registry list it counts.

use crate::AppState;
use crate::page::i18n::tf;
use crate::page::{Ctx, PageError, esc, layout_legacy, light_label, long_date, money, pct, qv, stage_label};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;
use serde_json::json;
use zhantu_domain::Stage;
use zhantu_domain::figures::Pct1;
use zhantu_domain::lights::Light;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(page))
}

#[derive(Deserialize, Default)]
struct CockpitQuery {
    year: Option<String>,
    month: Option<String>,
}

/// A chart: the server writes the whole ECharts option; `app.js` draws it.
fn chart(id: &str, label: &str, option: serde_json::Value) -> String {
    let class = if id == "chart-investment" { "chart chart-small" } else { "chart" };
    format!(
        r#"<div class="{class}" id="{id}" role="img" aria-label="{}" data-chart="{}"></div>"#,
        esc(label),
        esc(&option.to_string())
    )
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
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(as_of.year());
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
    let years: String = ((as_of.year() - 3)..=(as_of.year() + 1))
        .map(|y| format!(r#"<option value="{y}"{}>{y}</option>"#, if y == year { " selected" } else { "" }))
        .collect();
    let months: String = std::iter::once(format!(r#"<option value="">{}</option>"#, t("cockpit.whole_year")))
        .chain((1..=12).map(|m| {
            format!(
                r#"<option value="{m}"{}>{}</option>"#,
                if Some(m) == month { " selected" } else { "" },
                tf(lang, "cockpit.month_n", &[("m", &m.to_string())])
            )
        }))
        .collect();
    let chooser = format!(
        r#"<form class="chooser" method="get" action="/"><label for="year">{}</label><select id="year" name="year">{years}</select><label for="month">{}</label><select id="month" name="month">{months}</select><button type="submit">{}</button></form>"#,
        t("cockpit.year"),
        t("cockpit.month"),
        t("common.show")
    );

    // Headline cards.
    let light_n = |l: Light| f.lights.iter().find(|x| x.light == l.code()).map(|x| x.projects).unwrap_or(0);
    let inv = &f.investment;
    let b = &f.batches.total;
    let card = |label: &str, value: String, href: Option<String>, note: String, class: &str| {
        let v = match href {
            Some(h) => format!(r#"<a href="{}">{value}</a>"#, esc(&h)),
            None => value,
        };
        format!(r#"<div class="card {class}"><div class="k">{label}</div><div class="v">{v}</div><div class="n">{note}</div></div>"#)
    };
    let mut cards = String::new();
    cards.push_str(&card(
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
    cards.push_str(&card(
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
        cards.push_str(&card(
            light_label(lang, l),
            light_n(l).to_string(),
            Some(format!("/projects?light={}", l.code())),
            t("cockpit.projects_active").to_string(),
            &format!("light-card light-card-{}", l.code()),
        ));
    }
    cards.push_str(&card(
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
    cards.push_str(&card(
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
    cards.push_str(&card(
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
    cards.push_str(&card(
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
    let mut landing_rows = String::new();
    for l in &f.landing {
        let href = format!("/projects?category={}", qv(&l.code));
        let met = match l.landing.target_met {
            Some(true) => format!(r#"<span class="ok">{}</span>"#, t("cockpit.met")),
            Some(false) => format!(r#"<span class="bad">{}</span>"#, t("cockpit.not_met")),
            None => "—".into(),
        };
        landing_rows.push_str(&format!(
            r#"<tr><th scope="row"><a href="{href}">{}</a></th><td><a href="{href}">{}</a></td><td><a href="{href}&amp;stage=started">{}</a></td><td class="strong">{}</td><td>{}</td><td>{met}</td></tr>"#,
            esc(&l.category),
            l.landing.targeted,
            l.landing.landed,
            pct(l.landing.rate_pct),
            pct(l.landing.target_pct),
        ));
    }
    let landing_chart = chart(
        "chart-landing",
        t("cockpit.landing"),
        json!({
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [t("cockpit.rate"), t("cockpit.target")]},
            "grid": {"left": 10, "right": 10, "bottom": 10, "top": 40},
            "xAxis": {"type": "category", "data": f.landing.iter().map(|l| &l.category).collect::<Vec<_>>(), "axisLabel": {"interval": 0, "rotate": 30}},
            "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
            "series": [
                {"name": t("cockpit.rate"), "type": "bar", "data": f.landing.iter().map(|l| json!({"value": pct_num(l.landing.rate_pct), "link": format!("/projects?category={}", qv(&l.code))})).collect::<Vec<_>>(), "itemStyle": {"color": "#c0392b"}, "label": {"show": true, "position": "top", "formatter": "{c}%"}},
                {"name": t("cockpit.target"), "type": "line", "data": f.landing.iter().map(|l| pct_num(l.landing.target_pct)).collect::<Vec<_>>(), "itemStyle": {"color": "#34495e"}, "lineStyle": {"type": "dashed"}}
            ]
        }),
    );

    // Stages and lights.
    let stage_n = |s: Stage| f.stages.iter().find(|x| x.stage == s.code()).map(|x| x.projects).unwrap_or(0);
    let stage_list: String = Stage::ALL
        .iter()
        .map(|s| {
            format!(
                r#"<li><a href="/projects?stage={}"><span>{}</span><b>{}</b></a></li>"#,
                s.code(),
                stage_label(lang, *s),
                stage_n(*s)
            )
        })
        .collect();
    let stage_chart = chart(
        "chart-stages",
        t("cockpit.stages"),
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 10, "bottom": 10, "top": 20},
            "xAxis": {"type": "category", "data": Stage::ALL.iter().map(|s| stage_label(lang, *s)).collect::<Vec<_>>(), "axisLabel": {"interval": 0, "rotate": 30}},
            "yAxis": {"type": "value"},
            "series": [{"type": "bar", "data": Stage::ALL.iter().map(|s| json!({"value": stage_n(*s), "link": format!("/projects?stage={}", s.code())})).collect::<Vec<_>>(), "itemStyle": {"color": "#2c6e9b"}, "label": {"show": true, "position": "top"}}]
        }),
    );
    let light_data: Vec<serde_json::Value> = [Light::Red, Light::Yellow, Light::Green]
        .iter()
        .map(|l| {
            json!({
                "name": light_label(lang, *l), "value": light_n(*l),
                "itemStyle": {"color": match l { Light::Red => "#c0392b", Light::Yellow => "#d4a017", Light::Green => "#2e8b57" }},
                "link": format!("/projects?light={}", l.code())
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
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 40, "bottom": 20, "top": 10},
            "xAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "data": [t("cockpit.time_progress"), t("cockpit.investment_rate")]},
            "series": [{"type": "bar", "data": [
                {"value": pct_num(Some(inv.time_progress_pct)), "itemStyle": {"color": "#7b8794"}},
                {"value": pct_num(inv.rate_pct), "itemStyle": {"color": "#c0392b"}}
            ], "label": {"show": true, "position": "right", "formatter": "{c}%"}}]
        }),
    );

    // Batches and campaigns.
    let batch_rows: String = f
        .batches
        .items
        .iter()
        .map(|b| {
            format!(
                "<tr><th scope=\"row\">{}</th><td class=\"nowrap\">{}</td><td class=\"num\"><a href=\"/projects?batch={}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&b.name),
                b.held_on,
                b.id,
                b.aggregate.projects,
                money(lang, b.aggregate.total_investment_wan.0, true),
                money(lang, b.aggregate.annual_investment_wan.0, true)
            )
        })
        .collect();
    let campaigns: String = f
        .campaigns
        .iter()
        .map(|c| {
            format!(
                "<li><a href=\"/projects?campaign={}\"><b>{}</b></a> {}～{}：{}</li>",
                c.id,
                esc(&c.name),
                c.starts_on,
                c.ends_on,
                tf(
                    lang,
                    "cockpit.campaign_note",
                    &[
                        ("n", &c.completion.target_nodes.to_string()),
                        ("closed", &c.completion.closed_nodes.to_string()),
                        ("rate", &pct(c.completion.rate_pct)),
                    ]
                )
            )
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
    let rank_rows: String = ranks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let u = r.unit.id;
            format!(
                r#"<tr><td>{}</td><th scope="row"><a href="/projects?unit={u}">{}</a></th><td><a href="/projects?unit={u}">{}</a></td><td><a href="/projects?unit={u}&amp;light=red">{}</a></td><td><a href="/projects?unit={u}&amp;light=yellow">{}</a></td><td><a href="/projects?unit={u}&amp;light=green">{}</a></td><td class="num">{}</td><td class="num">{}</td><td class="strong">{}</td></tr>"#,
                i + 1,
                esc(&r.unit.name),
                r.projects,
                r.red,
                r.yellow,
                r.green,
                money(lang, r.planned, false),
                money(lang, r.completed, false),
                pct(rate(r)),
            )
        })
        .collect();
    let top: Vec<_> = ranks.iter().filter(|r| rate(r).is_some()).take(12).collect();
    let rank_chart = chart(
        "chart-units",
        t("cockpit.ranking"),
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 50, "bottom": 20, "top": 10},
            "xAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "inverse": true, "data": top.iter().map(|r| &r.unit.name).collect::<Vec<_>>()},
            "series": [{"type": "bar", "data": top.iter().map(|r| json!({"value": pct_num(rate(r)), "link": format!("/projects?unit={}", r.unit.id)})).collect::<Vec<_>>(), "itemStyle": {"color": "#2c6e9b"}, "label": {"show": true, "position": "right", "formatter": "{c}%"}}]
        }),
    );
    let period = match month {
        Some(m) => tf(lang, "cockpit.period_month", &[("y", &year.to_string()), ("m", &m.to_string())]),
        None => tf(lang, "cockpit.period_year", &[("y", &year.to_string())]),
    };
    let scope_note = if scope.is_some() {
        format!(r#"<p class="hint">{}</p>"#, t("cockpit.scope_note"))
    } else {
        String::new()
    };
    let title = tf(lang, "cockpit.title", &[("d", &esc(&district))]);
    let body = format!(
        r#"<div class="page-head"><div><h1>{title}</h1><p class="sub">{period} · {as_of_label} {as_of}</p></div>{chooser}</div>
<section class="cards" aria-label="{headline}">{cards}</section>
<div class="grid2">
<section class="panel"><h2>{landing_h}</h2>{landing_chart}
<div class="table-wrap"><table><thead><tr><th scope="col">{c_cat}</th><th scope="col">{c_targeted}</th><th scope="col">{c_landed}</th><th scope="col">{c_rate}</th><th scope="col">{c_target}</th><th scope="col">{c_met}</th></tr></thead><tbody>{landing_rows}</tbody></table></div></section>
<section class="panel"><h2>{inv_h}</h2>{invest_chart}<p>{inv_note}</p>
<h2>{lights_h}</h2>{light_chart}</section>
<section class="panel"><h2>{stages_h}</h2>{stage_chart}<ul class="stage-list">{stage_list}</ul></section>
<section class="panel"><h2>{batches_h}</h2><p>{batches_sum}</p><div class="table-wrap"><table><thead><tr><th scope="col">{c_batch}</th><th scope="col">{c_date}</th><th scope="col">{c_projects}</th><th scope="col">{c_total}</th><th scope="col">{c_annual}</th></tr></thead><tbody>{batch_rows}</tbody></table></div>
<h2>{campaigns_h}</h2><ul class="plain">{campaigns}</ul></section>
</div>
<section class="panel"><h2>{rank_h}</h2>{scope_note}{rank_chart}<div class="table-wrap"><table class="rank"><thead><tr><th scope="col">#</th><th scope="col">{c_unit}</th><th scope="col">{c_projects}</th><th scope="col">{red}</th><th scope="col">{yellow}</th><th scope="col">{green}</th><th scope="col">{c_planned}</th><th scope="col">{c_done}</th><th scope="col">{c_rate2}</th></tr></thead><tbody>{rank_rows}</tbody></table></div></section>"#,
        as_of_label = t("cockpit.as_of"),
        as_of = long_date(lang, f.as_of),
        headline = t("cockpit.headline"),
        landing_h = t("cockpit.landing"),
        c_cat = t("cockpit.category"),
        c_targeted = t("cockpit.targeted"),
        c_landed = t("cockpit.landed"),
        c_rate = t("cockpit.rate"),
        c_target = t("cockpit.target"),
        c_met = t("cockpit.met_col"),
        inv_h = t("cockpit.investment"),
        inv_note = tf(
            lang,
            "cockpit.investment_vs",
            &[
                ("rate", &pct(inv.rate_pct)),
                ("tp", &pct(Some(inv.time_progress_pct))),
                (
                    "pts",
                    &inv.points_vs_time_progress.map(|p| p.to_string()).unwrap_or_else(|| "—".into())
                ),
            ]
        ),
        lights_h = t("cockpit.lights"),
        stages_h = t("cockpit.stages"),
        batches_h = t("cockpit.batches"),
        batches_sum = tf(
            lang,
            "cockpit.batches_sum",
            &[
                ("count", &f.batches.count.to_string()),
                ("n", &b.projects.to_string()),
                ("total", &money(lang, b.total_investment_wan.0, true)),
                ("annual", &money(lang, b.annual_investment_wan.0, true)),
            ]
        ),
        c_batch = t("cockpit.batch"),
        c_date = t("common.date"),
        c_projects = t("common.projects"),
        c_total = t("common.total_investment"),
        c_annual = t("cockpit.annual_investment"),
        campaigns_h = t("cockpit.campaigns"),
        rank_h = t("cockpit.ranking"),
        c_unit = t("common.unit"),
        red = light_label(lang, Light::Red),
        yellow = light_label(lang, Light::Yellow),
        green = light_label(lang, Light::Green),
        c_planned = t("cockpit.unit_planned"),
        c_done = t("cockpit.unit_done"),
        c_rate2 = t("cockpit.unit_rate"),
    );
    Ok(layout_legacy(
        &cx,
        &format!("{} {}", cx.t("nav.cockpit"), year),
        &body,
        &["/assets/vendor/echarts.min.js", "/assets/app.js"],
    ))
}
