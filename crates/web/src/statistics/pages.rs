//! The pages: `/statistics` (the readiness list, its counts each a link to what it counts, the
//! entry form on the rows the reader may edit) and `/statistics/reconciliation` (by unit, the
//! gap explained, a unit's projects below).

use super::api::{EntryBody, do_enter};
use super::{StatisticsQuery, lack_label, readiness_view, reconciliation_view};
use crate::AppState;
use crate::auth::Auth;
use crate::extract::IdPath;
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, light_badge};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::money::Money;
use zhantu_domain::statistics::{Lack, UnitReconciliation};

/// One count and the list it opens.
struct CountLink {
    id: String,
    label: &'static str,
    n: usize,
    href: String,
}

struct ReadinessRow {
    id: i64,
    code: String,
    name: String,
    unit: String,
    total: String,
    started_on: String,
    days: String,
    statistics_code: String,
    due: bool,
    light: Markup,
    lacks: String,
    may_enter: bool,
}

#[derive(Template)]
#[template(path = "statistics/readiness.html")]
struct ReadinessPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    flash: Markup,
    year: i32,
    month: u32,
    as_of: String,
    threshold: String,
    counts: Vec<CountLink>,
    rows: Vec<ReadinessRow>,
    filtered: bool,
    export: String,
    token: &'a str,
}

fn period_q(year: i32, month: u32) -> String {
    format!("year={year}&month={month}")
}

pub(super) async fn readiness_page(
    State(st): State<AppState>,
    cx: Ctx,
    Query(q): Query<StatisticsQuery>,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let v = readiness_view(&st, &cx.auth.actor, &q).await.map_err(cx.err())?;
    let (year, month) = (v.period.year, v.period.month);
    let base = format!("/statistics?{}", period_q(year, month));
    let link = |id: &str, key: &str, n: usize, extra: &str| CountLink {
        id: format!("count-{id}"),
        label: cx.t(key),
        n,
        href: if extra.is_empty() {
            base.clone()
        } else {
            format!("{base}&{extra}")
        },
    };
    let c = &v.counts;
    let mut counts = vec![
        link("listed", "statistics.count.listed", c.listed, ""),
        link("due", "statistics.count.due", c.due, "due=1"),
        link("red", "statistics.count.red", c.red, "light=red"),
        link("yellow", "statistics.count.yellow", c.yellow, "light=yellow"),
        link("green", "statistics.count.green", c.green, "light=green"),
    ];
    for (l, n) in [
        (Lack::NoCode, c.no_code),
        (Lack::NoReportedInvestment, c.no_reported_investment),
        (Lack::NotStarted, c.not_started),
        (Lack::BelowThreshold, c.below_threshold),
    ] {
        counts.push(CountLink {
            id: format!("count-{}", l.code()),
            label: lack_label(cx.lang, l),
            n,
            href: format!("{base}&lack={}", l.code()),
        });
    }
    let sep = if cx.lang == Lang::Zh { "、" } else { ", " };
    let mut rows = Vec::new();
    for (r, l) in &v.rows {
        rows.push(ReadinessRow {
            id: l.id,
            code: l.code.clone().unwrap_or_default(),
            name: l.name.clone(),
            unit: l.unit_name.clone(),
            total: cx.money(l.total_investment),
            started_on: l.started_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            days: r.days_since_start.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            statistics_code: l.statistics_code.clone().unwrap_or_default(),
            due: r.due,
            light: light_badge(cx.lang, r.light, None),
            lacks: r.lacks.iter().map(|x| lack_label(cx.lang, *x)).collect::<Vec<_>>().join(sep),
            may_enter: l.started_on.is_some() && cx.auth.actor.may(Action::Edit { unit_id: l.unit_id }).is_ok(),
        });
    }
    let filtered = [&q.due, &q.light, &q.lack, &q.unit]
        .iter()
        .any(|f| f.as_deref().is_some_and(|s| !s.trim().is_empty()));
    let title = cx.t("statistics.readiness.title");
    let body = Markup::of(&ReadinessPage {
        cx: &cx,
        title,
        flash: flash.show(&cx, &["statistics.flash_"]),
        year,
        month,
        as_of: v.period.as_of.to_string(),
        threshold: cx.tf(
            "statistics.threshold",
            &[
                ("min", &cx.money(v.threshold.min_total)),
                (
                    "start",
                    cx.t(if v.threshold.requires_start {
                        "statistics.threshold_started"
                    } else {
                        "statistics.threshold_any"
                    }),
                ),
            ],
        ),
        counts,
        rows,
        filtered,
        export: format!("{}&lang={}", period_q(year, month), cx.lang.code()),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

#[derive(Deserialize)]
pub(super) struct EnterForm {
    code: String,
    on: String,
    back: Option<String>,
}

pub(super) async fn enter_form(lang: Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<EnterForm>) -> Response {
    let body = EntryBody {
        code: f.code,
        on: f.on,
        version: None,
    };
    // Back to the list the form was sent from (only a path of this page).
    let to = f
        .back
        .filter(|b| b.starts_with("/statistics") && !b.contains("//"))
        .map(|b| b.split('?').next().unwrap_or("/statistics").to_string())
        .unwrap_or_else(|| "/statistics".into());
    let done = do_enter(&st, &a, id, &body).await.map(|_| "statistics.flash_entered");
    back(lang, &to, done)
}

struct UnitRow {
    unit_id: i64,
    name: String,
    division: String,
    cells: Vec<String>,
}

struct ProjectRow {
    id: i64,
    name: String,
    in_statistics: bool,
    cells: Vec<String>,
}

#[derive(Template)]
#[template(path = "statistics/reconciliation.html")]
struct ReconciliationPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    year: i32,
    month: u32,
    units: Vec<UnitRow>,
    total: Vec<String>,
    total_gap_explained: String,
    unit: Option<String>,
    projects: Vec<ProjectRow>,
    export: String,
}

fn opt_money(cx: &Ctx, m: Option<Money>) -> String {
    m.map(|m| cx.money(m)).unwrap_or_else(|| "—".into())
}

fn figure_cells(cx: &Ctx, u: &UnitReconciliation) -> Vec<String> {
    vec![
        u.projects.to_string(),
        u.in_statistics.to_string(),
        cx.money(u.reported),
        cx.money(u.counted),
        cx.money(u.gap),
        cx.money(u.parts.not_in_statistics),
        cx.money(u.parts.under_threshold),
        cx.money(u.parts.timing),
        cx.money(u.parts.unexplained),
        opt_money(cx, u.official),
        opt_money(cx, u.outside_the_map),
    ]
}

pub(super) async fn reconciliation_page(
    State(st): State<AppState>,
    cx: Ctx,
    Query(q): Query<StatisticsQuery>,
) -> Result<Html<String>, PageError> {
    let v = reconciliation_view(&st, &cx.auth.actor, &q).await.map_err(cx.err())?;
    let units: Vec<UnitRow> = v
        .units
        .iter()
        .map(|u| UnitRow {
            unit_id: u.figures.unit_id,
            name: u.name.clone(),
            division: u.division_code.clone().unwrap_or_default(),
            cells: figure_cells(&cx, &u.figures),
        })
        .collect();
    let t = &v.total;
    let total_gap_explained = cx.tf(
        "statistics.gap_explained",
        &[
            ("gap", &cx.money(t.gap)),
            ("not_in", &cx.money(t.parts.not_in_statistics)),
            ("under", &cx.money(t.parts.under_threshold)),
            ("timing", &cx.money(t.parts.timing)),
            ("rest", &cx.money(t.parts.unexplained)),
        ],
    );
    let unit = q.unit.as_deref().and_then(|u| u.trim().parse::<i64>().ok()).map(|id| {
        v.units
            .iter()
            .find(|u| u.figures.unit_id == id)
            .map(|u| u.name.clone())
            .unwrap_or_default()
    });
    let projects = if unit.is_some() {
        v.projects
            .iter()
            .map(|(m, g, l)| ProjectRow {
                id: l.id,
                name: l.name.clone(),
                in_statistics: m.in_statistics,
                cells: vec![
                    cx.money(m.total_investment),
                    cx.money(m.reported_ytd),
                    cx.money(m.reported_month),
                    opt_money(&cx, m.counted_ytd),
                    cx.money(g.not_in_statistics),
                    cx.money(g.under_threshold),
                    cx.money(g.timing),
                    cx.money(g.unexplained),
                ],
            })
            .collect()
    } else {
        Vec::new()
    };
    let title = cx.t("statistics.reconciliation.title");
    let body = Markup::of(&ReconciliationPage {
        cx: &cx,
        title,
        year: v.period.year,
        month: v.period.month,
        total: figure_cells(&cx, &v.total),
        units,
        total_gap_explained,
        unit,
        projects,
        export: format!("year={}&month={}&lang={}", v.period.year, v.period.month, cx.lang.code()),
    });
    Ok(layout(&cx, title, body, &[]))
}

/// A column's header on a page: without the unit the sheet's header names (each cell there
/// carries its own: 万元 in Chinese, million yuan in English).
fn head(cx: &Ctx, key: &str) -> String {
    let h = cx.t(&format!("statistics.col.{key}"));
    h.trim_end_matches("（万元）").trim_end_matches(" (10k yuan)").to_string()
}

impl ReadinessPage<'_> {
    fn h(&self, key: &str) -> String {
        head(self.cx, key)
    }
}

impl ReconciliationPage<'_> {
    fn h(&self, key: &str) -> String {
        head(self.cx, key)
    }
}
