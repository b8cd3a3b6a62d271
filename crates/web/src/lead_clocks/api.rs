//! The JSON routes of the attraction clocks and the clock list's workbook.

use crate::AppState;
use crate::auth::Auth;
use crate::error::{ApiError, OrNotFound};
use crate::extract::{ApiQuery, IdPath, created, non_empty, opt_id};
use crate::fields::{clip, opt_date, opt_year};
use crate::page::{Lang, t};
use crate::routes::{Routes, get, post};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor};
use zhantu_domain::lead_clocks::{Assessment, FunnelStep, LeadClockLimits, LeadClockState, Milestone, reached};
use zhantu_domain::lights::Light;
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::lead_clocks::{LeadChainFunnel, LeadClockItem, LeadProgressReport};

pub fn router() -> Routes {
    Routes::new()
        .route("/leads/clocks", get(list_clocks))
        .route("/leads/clocks/export.xlsx", get(export_clocks))
        .route("/leads/clock-settings", get(get_limits).put(put_limits))
        .route("/leads/{id}/clocks", get(lead_clocks))
        .route("/leads/{id}/respond", post(respond))
        .route("/leads/{id}/assess", post(assess))
        .route("/leads/{id}/feedback", post(feedback))
        .route("/leads/{id}/progress", post(progress))
}

/// The teams a reader sees: all for district-wide roles, else the teams in scope.
pub(crate) fn scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

/// One lead's clocks, after the reader's right on its team (`write`: to record on it).
pub(crate) async fn lead_for(st: &AppState, actor: &Actor, id: i64, write: bool) -> Result<LeadClockItem, ApiError> {
    let it = st.store.lead_clock_item(id).await.or_not_found(format!("招商线索 {id} 不存在"))?;
    let unit_id = it.team_unit_id;
    actor.may(if write {
        Action::Edit { unit_id }
    } else {
        Action::Read { unit_id }
    })?;
    Ok(it)
}

fn light_of(s: &str) -> Result<Light, ApiError> {
    let s = s.trim();
    Light::from_code(s)
        .or_else(|| {
            [Light::Green, Light::Yellow, Light::Red]
                .into_iter()
                .find(|l| l.label_zh() == s || l.label_zh().trim_end_matches('灯') == s)
        })
        .ok_or_else(|| ApiError::bad_request("invalid_light", format!("灯色“{s}”无效：应为 green、yellow 或 red（绿、黄、红）")))
}

fn step_of(s: &str) -> Result<FunnelStep, ApiError> {
    FunnelStep::from_code_or_label(s.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_funnel_step",
            format!("漏斗环节“{s}”无效：应为 talks、signed、landed、started、operating 或 full_output"),
        )
    })
}

/// `GET /leads/clock-settings`: the clocks' limits (read by everyone signed in).
async fn get_limits(State(st): State<AppState>, _a: Auth) -> Result<Json<LeadClockLimits>, ApiError> {
    Ok(Json(st.store.lead_clock_limits().await?))
}

/// The limits as sent; a limit absent stays as it is.
#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct LimitsBody {
    /// 响应: working days from receipt.
    pub respond_working_days: Option<i64>,
    /// 研判: working days from receipt.
    pub assess_working_days: Option<i64>,
    /// 研判 of a major lead: working days from receipt.
    pub assess_major_working_days: Option<i64>,
    /// 反馈: working days from the 研判.
    pub feedback_working_days: Option<i64>,
    /// 进展报告: calendar days between reports.
    pub progress_calendar_days: Option<i64>,
    /// 重大线索 from this amount, in 万元 (`"10000"`).
    pub major_from: Option<String>,
}

/// Sets the limits (administrators), checked in the domain, audited.
pub(crate) async fn set_limits(st: &AppState, a: &Auth, b: &LimitsBody) -> Result<LeadClockLimits, ApiError> {
    a.actor.may(Action::Administer)?;
    let now = st.store.lead_clock_limits().await?;
    let limits = LeadClockLimits {
        respond_working_days: b.respond_working_days.unwrap_or(now.respond_working_days),
        assess_working_days: b.assess_working_days.unwrap_or(now.assess_working_days),
        assess_major_working_days: b.assess_major_working_days.unwrap_or(now.assess_major_working_days),
        feedback_working_days: b.feedback_working_days.unwrap_or(now.feedback_working_days),
        progress_calendar_days: b.progress_calendar_days.unwrap_or(now.progress_calendar_days),
        major_from: match b.major_from.as_deref() {
            Some(m) => LeadClockLimits::parse_major_amount(m)?,
            None => now.major_from,
        },
    }
    .checked()?;
    Ok(st.store.set_lead_clock_limits(&limits, &a.audit()).await?)
}

/// `PUT /leads/clock-settings` (administrators): `{"assess_working_days": 5}`; the others as
/// they are.
async fn put_limits(State(st): State<AppState>, a: Auth, Json(b): Json<LimitsBody>) -> Result<Json<LeadClockLimits>, ApiError> {
    Ok(Json(set_limits(&st, &a, &b).await?))
}

/// The clock list's filters.
#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct ClocksQuery {
    /// A team (unit id).
    pub team: Option<String>,
    /// green / yellow / red.
    pub light: Option<String>,
    /// The leads received in this year.
    pub year: Option<String>,
    /// The leads that reached this funnel step (talks, signed, landed, started, operating,
    /// full_output), as the funnel counts them.
    pub reached: Option<String>,
}

/// The leads a list shows: the reader's scope, then the filters.
pub(crate) async fn filtered(st: &AppState, actor: &Actor, q: &ClocksQuery) -> Result<Vec<LeadClockItem>, ApiError> {
    let team = opt_id(&q.team, "招商组")?;
    let light = non_empty(&q.light).map(light_of).transpose()?;
    let year = opt_year(&q.year)?;
    let step = non_empty(&q.reached).map(step_of).transpose()?;
    let items = st.store.lead_clock_items(scope(actor).as_deref(), None).await?;
    let projects: Vec<i64> = items.iter().filter_map(|i| i.project_id).collect();
    let full = if step == Some(FunnelStep::FullOutput) {
        st.store.lead_projects_full_output(&projects).await?
    } else {
        Default::default()
    };
    Ok(items
        .into_iter()
        .filter(|i| team.is_none_or(|t| i.team_unit_id == t))
        .filter(|i| light.is_none_or(|l| i.clocks.light == l))
        .filter(|i| year.is_none_or(|y| chrono::Datelike::year(&i.received_on) == y))
        .filter(|i| {
            step.is_none_or(|s| {
                let f = i.funnel_fact(i.project_id.and_then(|p| full.get(&p).copied().flatten()));
                reached(&f, s) == Some(true)
            })
        })
        .collect())
}

async fn list_clocks(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ClocksQuery>) -> Result<Json<Value>, ApiError> {
    let items = filtered(&st, &a.actor, &q).await?;
    let count = |l: Light| items.iter().filter(|i| i.clocks.light == l).count();
    let limits = st.store.lead_clock_limits().await?;
    Ok(Json(json!({
        "as_of": st.store.as_of().await?,
        "limits": limits,
        "total": items.len(),
        "lights": { "green": count(Light::Green), "yellow": count(Light::Yellow), "red": count(Light::Red) },
        "items": items,
    })))
}

async fn lead_clocks(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Json<Value>, ApiError> {
    let it = lead_for(&st, &a.actor, id, false).await?;
    let reports = st.store.lead_progress_reports(id).await?;
    Ok(Json(json!({ "lead": it, "progress_reports": reports })))
}

/// 响应: when the lead was responded to (today when absent), and when it was received if that
/// was not the first contact.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct RespondBody {
    /// The lead's version.
    pub version: i64,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub received_on: Option<String>,
}

/// 研判: its date and conclusion (pursue / watch / decline, or 重点跟进 / 保持联系 / 不予跟进).
#[derive(schemars::JsonSchema, Deserialize)]
pub struct AssessBody {
    pub version: i64,
    #[serde(default)]
    pub on: Option<String>,
    pub conclusion: String,
    #[serde(default)]
    pub note: String,
}

/// 反馈: its date and what was fed back.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct FeedbackBody {
    pub version: i64,
    #[serde(default)]
    pub on: Option<String>,
    #[serde(default)]
    pub note: String,
}

/// 进展报告: its date (today when absent) and text.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct ProgressBody {
    #[serde(default)]
    pub on: Option<String>,
    pub text: String,
}

async fn day(st: &AppState, on: &Option<String>) -> Result<chrono::NaiveDate, ApiError> {
    Ok(match opt_date(on)? {
        Some(d) => d,
        None => st.store.as_of().await?,
    })
}

pub(crate) async fn do_milestone(st: &AppState, a: &Auth, id: i64, version: i64, m: Milestone) -> Result<LeadClockItem, ApiError> {
    lead_for(st, &a.actor, id, true).await?;
    Ok(st.store.record_lead_milestone(id, version, &m, &a.audit()).await?)
}

pub(crate) async fn respond_milestone(st: &AppState, b: &RespondBody) -> Result<Milestone, ApiError> {
    Ok(Milestone::Respond {
        on: day(st, &b.on).await?,
        received_on: opt_date(&b.received_on)?,
    })
}

pub(crate) async fn assess_milestone(st: &AppState, b: &AssessBody) -> Result<Milestone, ApiError> {
    let s = b.conclusion.trim();
    let conclusion = Assessment::from_code_or_label(s).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_assessment",
            format!("研判结论“{s}”无效：应为 pursue（重点跟进）、watch（保持联系）或 decline（不予跟进）"),
        )
    })?;
    Ok(Milestone::Assess {
        on: day(st, &b.on).await?,
        conclusion,
        note: clip(&b.note, 1000),
    })
}

pub(crate) async fn feedback_milestone(st: &AppState, b: &FeedbackBody) -> Result<Milestone, ApiError> {
    Ok(Milestone::Feedback {
        on: day(st, &b.on).await?,
        note: clip(&b.note, 1000),
    })
}

async fn respond(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<RespondBody>,
) -> Result<Json<LeadClockItem>, ApiError> {
    let m = respond_milestone(&st, &b).await?;
    Ok(Json(do_milestone(&st, &a, id, b.version, m).await?))
}

async fn assess(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<AssessBody>,
) -> Result<Json<LeadClockItem>, ApiError> {
    let m = assess_milestone(&st, &b).await?;
    Ok(Json(do_milestone(&st, &a, id, b.version, m).await?))
}

async fn feedback(
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Json(b): Json<FeedbackBody>,
) -> Result<Json<LeadClockItem>, ApiError> {
    let m = feedback_milestone(&st, &b).await?;
    Ok(Json(do_milestone(&st, &a, id, b.version, m).await?))
}

pub(crate) async fn do_progress(st: &AppState, a: &Auth, id: i64, b: &ProgressBody) -> Result<LeadProgressReport, ApiError> {
    lead_for(st, &a.actor, id, true).await?;
    let on = day(st, &b.on).await?;
    Ok(st.store.add_lead_progress(id, on, &clip(&b.text, 2000), &a.audit()).await?)
}

async fn progress(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Json(b): Json<ProgressBody>) -> Result<Response, ApiError> {
    Ok(created(do_progress(&st, &a, id, &b).await?).into_response())
}

/// The funnel to 投产 of `year` in the reader's scope: the `chain` of `GET /leads/funnel`.
pub async fn chain_funnel(st: &AppState, actor: &Actor, year: Option<i32>) -> Result<LeadChainFunnel, ApiError> {
    Ok(st.store.lead_chain_funnel(scope(actor).as_deref(), year).await?)
}

/// A clock's state in the reader's language.
pub(crate) fn state_name(lang: Lang, s: LeadClockState) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

/// The clock list as a workbook in `lang`: one row per lead, each clock's due date, done date
/// and state, the light and its reasons.
pub fn clock_tables(lang: Lang, items: &[LeadClockItem]) -> Vec<Table> {
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("lead_clocks.x.{key}")), kind);
    let mut cols = vec![
        col("lead", ColKind::Text),
        col("team", ColKind::Text),
        col("received", ColKind::Date),
        col("major", ColKind::Text),
        col("light", ColKind::Text),
    ];
    for k in ["respond", "assess", "feedback", "progress"] {
        cols.push(Column::new(
            format!("{} · {}", t(lang, &format!("lead_clocks.kind.{k}")), t(lang, "lead_clocks.due")),
            ColKind::Date,
        ));
        cols.push(Column::new(
            format!("{} · {}", t(lang, &format!("lead_clocks.kind.{k}")), t(lang, "lead_clocks.done")),
            ColKind::Date,
        ));
        cols.push(Column::new(
            format!("{} · {}", t(lang, &format!("lead_clocks.kind.{k}")), t(lang, "lead_clocks.state")),
            ColKind::Text,
        ));
    }
    cols.push(col("reasons", ColKind::Text));
    let mut table = Table::new(t(lang, "lead_clocks.x.sheet"), cols).with_title(t(lang, "lead_clocks.x.title"));
    let od = |d: Option<chrono::NaiveDate>| d.map(Cell::Date).unwrap_or(Cell::Empty);
    for i in items {
        let mut row = vec![
            Cell::Text(i.name.clone()),
            Cell::Text(i.team_name.clone()),
            Cell::Date(i.received_on),
            Cell::Text(if i.clocks.major {
                t(lang, "lead_clocks.major").into()
            } else {
                String::new()
            }),
            Cell::Text(t(lang, &format!("lead_clocks.light.{}", i.clocks.light.code())).into()),
        ];
        for c in &i.clocks.clocks {
            row.push(od(c.due_on));
            row.push(od(c.done_on));
            row.push(Cell::Text(state_name(lang, c.state).into()));
        }
        let reasons = match lang {
            Lang::Zh => &i.clocks.reasons_zh,
            Lang::En => &i.clocks.reasons_en,
        };
        row.push(Cell::Text(reasons.join(if lang == Lang::Zh { "；" } else { "; " })));
        table.push(row);
    }
    vec![table]
}

async fn export_clocks(State(st): State<AppState>, a: Auth, lang: Lang, ApiQuery(q): ApiQuery<ClocksQuery>) -> Result<Response, ApiError> {
    let items = filtered(&st, &a.actor, &q).await?;
    let file = format!("{}.xlsx", t(lang, "lead_clocks.x.file"));
    crate::download::stamped_xlsx(&st.store, lang, &file, clock_tables(lang, &items)).await
}
