//! 惠企政策兑现台账 (the enterprise-support ledger, issue #20 item 6): the lines of a year with the
//! figures by kind and policy (`zhantu_domain::support`).
//!
//! JSON (under `/api/v1`): `GET /support?year=` (lines and figures, in the reader's scope),
//! `POST /support` (a line for a unit: its editors, coordinators, administrators — the unit is
//! checked like every id a write names) and `GET /support.xlsx?year=`. Page: `/support`, linked
//! from the enterprises' page.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, created};
use crate::fields::opt_year;
use crate::page::i18n::{t, tf};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, money};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::support::{SupportInput, SupportKind, SupportSum, summary};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::support::SupportRow;

pub const MECHANISM: Mechanism = Mechanism {
    name: "support",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/support", get(ledger_json).post(add_json))
        .route("/support.xlsx", get(ledger_xlsx))
}

fn pages() -> Routes {
    Routes::new().route("/support", get(ledger_page).post(add_form))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct YearQuery {
    /// The year of grant; the data date's year by default.
    pub year: Option<String>,
}

/// A ledger line as sent.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct SupportBody {
    /// `refund` (资金返还与奖补) or `reduction` (减负降本).
    pub kind: String,
    /// The policy, e.g. 社保费返还.
    pub policy: String,
    /// The unit that carried it out.
    pub unit_id: i64,
    /// How many enterprises (0 when not counted by firm).
    #[serde(default)]
    pub firms: i64,
    /// The amount, in 万元 unless it says its unit (`1.38亿元`).
    pub amount: String,
    /// The date of grant.
    pub granted_on: String,
    #[serde(default)]
    pub document: String,
    #[serde(default)]
    pub note: String,
}

fn scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

async fn year_of(st: &AppState, q: &YearQuery) -> Result<i32, ApiError> {
    Ok(match opt_year(&q.year)? {
        Some(y) => y,
        None => chrono::Datelike::year(&st.store.as_of().await?),
    })
}

async fn do_add(st: &AppState, a: &Auth, b: &SupportBody) -> Result<SupportRow, ApiError> {
    a.actor.may(Action::Edit { unit_id: b.unit_id })?;
    let input = SupportInput::parse(&b.kind, &b.policy, b.firms, &b.amount, &b.granted_on, &b.document, &b.note)?;
    Ok(st.store.add_support(b.unit_id, &input, &a.audit()).await?)
}

async fn add_json(State(st): State<AppState>, a: Auth, Json(b): Json<SupportBody>) -> Result<Response, ApiError> {
    Ok(created(json!(do_add(&st, &a, &b).await?)).into_response())
}

async fn ledger_json(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<Value>, ApiError> {
    let year = year_of(&st, &q).await?;
    let lines = st.store.support_lines(year, scope(&a.actor).as_deref()).await?;
    let sums = summary(&lines.iter().map(SupportRow::line).collect::<Vec<_>>());
    Ok(Json(json!({ "year": year, "summary": sums, "lines": lines })))
}

fn kind_name(lang: Lang, k: SupportKind) -> &'static str {
    match lang {
        Lang::Zh => k.label_zh(),
        Lang::En => k.label_en(),
    }
}

async fn ledger_xlsx(State(st): State<AppState>, a: Auth, lang: Lang, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Response, ApiError> {
    let year = year_of(&st, &q).await?;
    let lines = st.store.support_lines(year, scope(&a.actor).as_deref()).await?;
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("support.col.{key}")), kind);
    let title = tf(lang, "support.title_year", &[("y", &year.to_string())]);
    let mut sums = Table::new(
        t(lang, "support.sheet_summary"),
        vec![
            col("kind", ColKind::Text),
            col("policy", ColKind::Text),
            col("lines", ColKind::Int),
            col("firms", ColKind::Int),
            col("amount", ColKind::Money),
        ],
    )
    .with_title(title.clone());
    for s in summary(&lines.iter().map(SupportRow::line).collect::<Vec<_>>()) {
        sums.push(vec![
            kind_name(lang, s.kind).into(),
            if s.policy.is_empty() {
                t(lang, "support.kind_total").into()
            } else {
                s.policy.clone().into()
            },
            Cell::Int(s.lines as i64),
            Cell::Int(s.firms),
            s.amount.into(),
        ]);
    }
    let mut detail = Table::new(
        t(lang, "support.sheet_lines"),
        vec![
            col("granted_on", ColKind::Date),
            col("kind", ColKind::Text),
            col("policy", ColKind::Text),
            col("unit", ColKind::Text),
            col("firms", ColKind::Int),
            col("amount", ColKind::Money),
            col("document", ColKind::Text),
            col("note", ColKind::Text),
        ],
    );
    for l in &lines {
        detail.push(vec![
            l.granted_on.into(),
            kind_name(lang, l.kind).into(),
            l.policy.clone().into(),
            l.unit.clone().into(),
            Cell::Int(l.firms),
            l.amount.into(),
            l.document.clone().into(),
            l.note.clone().into(),
        ]);
    }
    crate::download::stamped_xlsx(&st.store, lang, &format!("{title}.xlsx"), vec![sums, detail]).await
}

struct SumRow {
    total: bool,
    kind: &'static str,
    policy: String,
    lines: u32,
    firms: i64,
    amount: String,
}

struct LineRow {
    granted_on: String,
    kind: &'static str,
    policy: String,
    unit: String,
    firms: i64,
    amount: String,
    document: String,
}

#[derive(Template)]
#[template(path = "support/ledger.html")]
struct LedgerPage<'a> {
    cx: &'a Ctx,
    title: String,
    flash: Markup,
    year: i32,
    years: Vec<i32>,
    sums: Vec<SumRow>,
    lines: Vec<LineRow>,
    /// The units the reader may enter lines for (id, name); empty hides the form.
    units: Vec<(i64, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    token: &'a str,
}

async fn ledger_page(
    State(st): State<AppState>,
    cx: Ctx,
    Query(q): Query<YearQuery>,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let year = year_of(&st, &q).await.map_err(cx.err())?;
    let data_year = chrono::Datelike::year(&st.store.as_of().await?);
    let lines = st.store.support_lines(year, cx.scope().as_deref()).await?;
    let lang = cx.lang;
    let sums = summary(&lines.iter().map(SupportRow::line).collect::<Vec<_>>())
        .into_iter()
        .map(|s: SupportSum| SumRow {
            total: s.policy.is_empty(),
            kind: kind_name(lang, s.kind),
            policy: s.policy,
            lines: s.lines,
            firms: s.firms,
            amount: money(lang, s.amount, true),
        })
        .collect();
    let rows = lines
        .iter()
        .map(|l| LineRow {
            granted_on: l.granted_on.to_string(),
            kind: kind_name(lang, l.kind),
            policy: l.policy.clone(),
            unit: l.unit.clone(),
            firms: l.firms,
            amount: money(lang, l.amount, false),
            document: l.document.clone(),
        })
        .collect();
    let units = st
        .store
        .filter_choices()
        .await?
        .units
        .into_iter()
        .filter(|u| cx.auth.actor.may(Action::Edit { unit_id: u.id }).is_ok())
        .map(|u| (u.id, u.name))
        .collect();
    let title = tf(lang, "support.title_year", &[("y", &year.to_string())]);
    let body = Markup::of(&LedgerPage {
        cx: &cx,
        title: title.clone(),
        flash: f.show(&cx, &["support.flash_"]),
        year,
        years: ((data_year - 3)..=(data_year + 1)).collect(),
        sums,
        lines: rows,
        units,
        kinds: SupportKind::ALL.iter().map(|k| (k.code(), kind_name(lang, *k))).collect(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

#[derive(Deserialize)]
struct SupportForm {
    kind: String,
    policy: String,
    unit_id: String,
    #[serde(default)]
    firms: String,
    amount: String,
    granted_on: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    note: String,
}

async fn add_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<SupportForm>) -> Response {
    let r = async {
        let int = |what: &str, v: &str| -> Result<i64, ApiError> {
            let v = v.trim().replace([',', '，'], "");
            if v.is_empty() {
                return Ok(0);
            }
            v.parse::<i64>()
                .map_err(|_| ApiError::bad_request("invalid_parameter", format!("{what}“{v}”无效：应为整数")))
        };
        let b = SupportBody {
            kind: f.kind.clone(),
            policy: f.policy.clone(),
            unit_id: int("单位", &f.unit_id)?,
            firms: int("企业数", &f.firms)?,
            amount: f.amount.clone(),
            granted_on: f.granted_on.clone(),
            document: f.document.clone(),
            note: f.note.clone(),
        };
        do_add(&st, &cx.auth, &b).await
    }
    .await;
    let year = r.as_ref().map(|l| l.year).unwrap_or(0);
    let to = if year > 0 {
        format!("/support?year={year}")
    } else {
        "/support".into()
    };
    back(cx.lang, &to, r.map(|_| "support.flash_added"))
}
