//! `/uplink`: for a chosen month, this district's package (its totals and digest, the JSON
//! and the workbook to send up) and, at a city or province, the packages received with their
//! sum and the districts still missing.

use super::api::PeriodQuery;
use crate::AppState;
use crate::page::{Ctx, Markup, PageError, admin, layout};
use crate::routes::{Routes, get};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use zhantu_domain::Money;
use zhantu_domain::access::Action;
use zhantu_domain::uplink::{Expected, Totals};

pub fn router() -> Routes {
    Routes::new().route("/uplink", get(page))
}

/// One line of totals as the page shows them, the money already written out.
struct Line {
    division: String,
    name: String,
    projects: i64,
    total_investment: String,
    investment_month: String,
    investment_ytd: String,
    red: i64,
    yellow: i64,
    green: i64,
    none: i64,
    received_at: String,
    status: &'static str,
    digest: String,
}

fn line(cx: &Ctx, division: &str, name: &str, t: &Totals) -> Line {
    let money = |y: i64| cx.money(Money::from_yuan(y));
    Line {
        division: division.to_string(),
        name: name.to_string(),
        projects: t.projects,
        total_investment: money(t.total_investment),
        investment_month: money(t.investment_month),
        investment_ytd: money(t.investment_ytd),
        red: t.lights.red,
        yellow: t.lights.yellow,
        green: t.lights.green,
        none: t.lights.none,
        received_at: String::new(),
        status: "",
        digest: String::new(),
    }
}

#[derive(Template)]
#[template(path = "uplink/page.html")]
struct Page<'a> {
    cx: &'a Ctx,
    title: &'a str,
    nav: Markup,
    flash: Markup,
    period: String,
    /// This district's package's totals, its digest in full; none when its division code is
    /// not set (`unset` says why).
    own: Option<Line>,
    unset: Option<String>,
    /// This zhantu's own division, when set: the receiver of the districts below.
    receiver: Option<String>,
    districts: Vec<Line>,
    sum: Line,
    missing: Vec<Expected>,
}

async fn page(State(st): State<AppState>, cx: Ctx, Query(q): Query<PeriodQuery>) -> Result<Html<String>, PageError> {
    cx.auth.actor.may(Action::ReadUplink).map_err(cx.err())?;
    let period = match q.period.filter(|p| !p.trim().is_empty()) {
        Some(p) => p,
        None => super::default_period(&st).await.map_err(cx.err())?,
    };
    let received = super::received_view(&st, &period).await.map_err(cx.err())?;
    let (own, unset) = match super::build(&st, &received.period).await {
        Ok(p) => (Some(p), None),
        Err(e) if e.code == "uplink_division_unset" => (None, Some(e.message)),
        Err(e) => return Err(cx.err()(e)),
    };
    let own = own.map(|p| Line {
        digest: p.digest.clone(),
        ..line(&cx, &p.division, &p.district_name, &p.totals)
    });
    let districts = received
        .districts
        .iter()
        .map(|d| {
            let r = &d.receipt;
            Line {
                received_at: cx.time(&r.received_at),
                status: cx.t(if r.status == "revised" {
                    "uplink.status.revised"
                } else {
                    "uplink.status.accepted"
                }),
                digest: r.digest.chars().take(12).collect(),
                ..line(&cx, &r.division, &r.district_name, &d.totals)
            }
        })
        .collect();
    let title = cx.t("nav.uplink");
    let body = Markup::of(&Page {
        cx: &cx,
        title,
        nav: admin::nav(&cx),
        flash: Markup::default(),
        sum: line(&cx, "", cx.t("uplink.sum"), &received.sum),
        period: received.period,
        own,
        unset,
        receiver: received.receiver,
        districts,
        missing: received.missing,
    });
    Ok(layout(&cx, title, body, &[]))
}
