//! The attraction clocks' pages: a lead's clocks with their forms and its progress reports, the
//! clock list (with the light filter; the funnel's numbers open it) and the funnel by team. The
//! forms call the same functions as the JSON API.

use super::api::{self, AssessBody, ClocksQuery, FeedbackBody, ProgressBody, RespondBody, state_name};
use crate::AppState;
use crate::extract::IdPath;
use crate::fields::{form_version, opt_year};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout, qv};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::lead_clocks::{Assessment, FunnelStep, LeadClock, LeadClockKind};
use zhantu_domain::lights::Light;
use zhantu_domain::model::{DayKind, LeadStage};
use zhantu_store::lead_clocks::{LeadClockItem, LeadProgressReport};

fn stage_name(lang: Lang, s: LeadStage) -> &'static str {
    match lang {
        Lang::Zh => s.label_zh(),
        Lang::En => s.label_en(),
    }
}

/// A lead's light as the list and the lead page show it: the word, and the reasons in the
/// page's language.
struct LightCell {
    code: &'static str,
    label: &'static str,
    reasons: String,
}

fn light_cell(cx: &Ctx, it: &LeadClockItem) -> LightCell {
    let reasons = match cx.lang {
        Lang::Zh => it.clocks.reasons_zh.join("；"),
        Lang::En => it.clocks.reasons_en.join("; "),
    };
    LightCell {
        code: it.clocks.light.code(),
        label: cx.light(it.clocks.light),
        reasons,
    }
}

/// One clock's row.
struct ClockRow {
    kind: &'static str,
    limit: String,
    starts: String,
    due: String,
    done: String,
    state_code: &'static str,
    state: &'static str,
    late: String,
}

fn clock_row(cx: &Ctx, c: &LeadClock) -> ClockRow {
    let od = crate::page::opt_date;
    let days = |n: i64| match (cx.lang, c.day_kind) {
        (Lang::Zh, DayKind::Working) => format!("{n}个工作日"),
        (Lang::Zh, DayKind::Calendar) => format!("{n}天"),
        (Lang::En, DayKind::Working) => format!("{n} working day{}", if n == 1 { "" } else { "s" }),
        (Lang::En, DayKind::Calendar) => format!("{n} day{}", if n == 1 { "" } else { "s" }),
    };
    ClockRow {
        kind: cx.t(&format!("lead_clocks.kind.{}", c.kind.code())),
        limit: if c.kind == LeadClockKind::Progress {
            format!("{} {}", cx.t("lead_clocks.every"), days(c.limit))
        } else {
            days(c.limit)
        },
        starts: od(c.starts_on),
        due: od(c.due_on),
        done: od(c.done_on),
        state_code: c.state.code(),
        state: state_name(cx.lang, c.state),
        late: if c.days_late > 0 { days(c.days_late) } else { String::new() },
    }
}

#[derive(Template)]
#[template(path = "lead_clocks/lead.html")]
struct LeadPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    flash: Markup,
    it: &'a LeadClockItem,
    stage: &'static str,
    light: LightCell,
    rows: Vec<ClockRow>,
    assessment: String,
    conclusions: Vec<(&'static str, &'static str)>,
    reports: Vec<LeadProgressReport>,
    may_edit: bool,
    today: String,
    token: &'a str,
}

pub(super) async fn lead_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let it = api::lead_for(&st, &cx.auth.actor, id, false).await.map_err(cx.err())?;
    let reports = st.store.lead_progress_reports(id).await?;
    let name = |a: Assessment| match cx.lang {
        Lang::Zh => a.label_zh(),
        Lang::En => a.label_en(),
    };
    let body = Markup::of(&LeadPage {
        cx: &cx,
        title: &it.name,
        flash: f.show(&cx, &["lead_clocks.flash_"]),
        it: &it,
        stage: stage_name(cx.lang, it.stage),
        light: light_cell(&cx, &it),
        rows: it.clocks.clocks.iter().map(|c| clock_row(&cx, c)).collect(),
        assessment: it.assessment.map(name).unwrap_or("—").to_string(),
        conclusions: Assessment::ALL.iter().map(|a| (a.code(), name(*a))).collect(),
        reports,
        may_edit: cx.auth.actor.may(Action::Edit { unit_id: it.team_unit_id }).is_ok(),
        today: st.store.as_of().await?.to_string(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &it.name, body, &[]))
}

/// A milestone form: its date, and what each carries.
#[derive(Deserialize)]
pub(super) struct MilestoneForm {
    version: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    received_on: String,
    #[serde(default)]
    conclusion: String,
    #[serde(default)]
    note: String,
}

fn some(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

pub(super) async fn respond_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<MilestoneForm>) -> Response {
    let r = async {
        let b = RespondBody {
            version: form_version(&f.version)?,
            on: some(&f.on),
            received_on: some(&f.received_on),
        };
        let m = api::respond_milestone(&st, &b).await?;
        api::do_milestone(&st, &cx.auth, id, b.version, m).await
    }
    .await;
    back(cx.lang, &format!("/attraction/leads/{id}"), r.map(|_| "lead_clocks.flash_recorded"))
}

pub(super) async fn assess_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<MilestoneForm>) -> Response {
    let r = async {
        let b = AssessBody {
            version: form_version(&f.version)?,
            on: some(&f.on),
            conclusion: f.conclusion.clone(),
            note: f.note.clone(),
        };
        let m = api::assess_milestone(&st, &b).await?;
        api::do_milestone(&st, &cx.auth, id, b.version, m).await
    }
    .await;
    back(cx.lang, &format!("/attraction/leads/{id}"), r.map(|_| "lead_clocks.flash_recorded"))
}

pub(super) async fn feedback_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<MilestoneForm>) -> Response {
    let r = async {
        let b = FeedbackBody {
            version: form_version(&f.version)?,
            on: some(&f.on),
            note: f.note.clone(),
        };
        let m = api::feedback_milestone(&st, &b).await?;
        api::do_milestone(&st, &cx.auth, id, b.version, m).await
    }
    .await;
    back(cx.lang, &format!("/attraction/leads/{id}"), r.map(|_| "lead_clocks.flash_recorded"))
}

#[derive(Deserialize)]
pub(super) struct ProgressForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    text: String,
}

pub(super) async fn progress_form(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Form(f): Form<ProgressForm>) -> Response {
    let b = ProgressBody {
        on: some(&f.on),
        text: f.text.clone(),
    };
    let r = api::do_progress(&st, &cx.auth, id, &b).await;
    back(cx.lang, &format!("/attraction/leads/{id}"), r.map(|_| "lead_clocks.flash_progress"))
}

/// A row of the clock list.
struct ListRow<'a> {
    it: &'a LeadClockItem,
    stage: &'static str,
    light: LightCell,
    /// The next due date of a running or overdue clock.
    next_due: String,
}

#[derive(Template)]
#[template(path = "lead_clocks/clocks.html")]
struct ClocksPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    rows: Vec<ListRow<'a>>,
    counts: Vec<(&'static str, &'static str, usize)>,
    light_q: String,
    /// The query string as given (for the export link), without `lang`.
    query: String,
    filter_note: String,
    flash: Markup,
    /// The clocks' limits, and whether the reader may change them (administrators).
    limits: zhantu_domain::lead_clocks::LeadClockLimits,
    /// The major-lead amount in 万元.
    major_wan: String,
    may_set_limits: bool,
    token: &'a str,
}

pub(super) async fn clocks_page(
    State(st): State<AppState>,
    cx: Ctx,
    Query(q): Query<ClocksQuery>,
    Query(flash): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let items = api::filtered(&st, &cx.auth.actor, &q).await.map_err(cx.err())?;
    let counts = [Light::Red, Light::Yellow, Light::Green]
        .into_iter()
        .map(|l| (l.code(), cx.light(l), items.iter().filter(|i| i.clocks.light == l).count()))
        .collect();
    let rows = items
        .iter()
        .map(|it| ListRow {
            it,
            stage: stage_name(cx.lang, it.stage),
            light: light_cell(&cx, it),
            next_due: it
                .clocks
                .clocks
                .iter()
                .filter(|c| {
                    matches!(
                        c.state,
                        zhantu_domain::lead_clocks::LeadClockState::Running | zhantu_domain::lead_clocks::LeadClockState::Overdue
                    )
                })
                .filter_map(|c| c.due_on)
                .min()
                .map(|d| d.to_string())
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    let mut parts = Vec::new();
    for (k, v) in [("team", &q.team), ("light", &q.light), ("year", &q.year), ("reached", &q.reached)] {
        if let Some(v) = v.as_deref().filter(|v| !v.trim().is_empty()) {
            parts.push(format!("{k}={}", qv(v)));
        }
    }
    let mut note = Vec::new();
    if let Some(y) = q.year.as_deref().filter(|v| !v.trim().is_empty()) {
        note.push(format!("{} {y}", cx.t("lead_clocks.year")));
    }
    if let Some(s) = q.reached.as_deref().and_then(|s| FunnelStep::from_code_or_label(s.trim())) {
        note.push(format!(
            "{} {}",
            cx.t("lead_clocks.reached"),
            cx.t(&format!("lead_clocks.step.{}", s.code()))
        ));
    }
    let limits = st.store.lead_clock_limits().await?;
    let title = cx.t("lead_clocks.list_title");
    let body = Markup::of(&ClocksPage {
        cx: &cx,
        title,
        rows,
        counts,
        light_q: q.light.clone().unwrap_or_default(),
        query: parts.join("&"),
        filter_note: note.join(" · "),
        flash: flash.show(&cx, &["lead_clocks.flash_"]),
        major_wan: limits.major_from.wan_exact(),
        limits,
        may_set_limits: cx.auth.actor.may(Action::Administer).is_ok(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, title, body, &[]))
}

/// One funnel cell: the count (a link to the leads it counts) and the rate from the step before.
struct FunnelCell {
    count: Option<u32>,
    rate: String,
    href: String,
}

struct FunnelLine {
    team: Option<String>,
    cells: Vec<FunnelCell>,
}

#[derive(Template)]
#[template(path = "lead_clocks/funnel.html")]
struct FunnelPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    year: String,
    steps: Vec<&'static str>,
    lines: Vec<FunnelLine>,
}

#[derive(Deserialize, Default)]
pub(super) struct YearQuery {
    year: Option<String>,
}

pub(super) async fn funnel_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<YearQuery>) -> Result<Html<String>, PageError> {
    let year = opt_year(&q.year).map_err(cx.err())?;
    let funnel = api::chain_funnel(&st, &cx.auth.actor, year).await.map_err(cx.err())?;
    let line = |row: &zhantu_domain::lead_clocks::ChainRow| FunnelLine {
        team: row.team_id.map(|_| row.team.clone()),
        cells: row
            .steps
            .iter()
            .map(|s| {
                let mut href = format!("/attraction/clocks?reached={}", s.step.code());
                if let Some(t) = row.team_id {
                    href.push_str(&format!("&team={t}"));
                }
                if let Some(y) = year {
                    href.push_str(&format!("&year={y}"));
                }
                FunnelCell {
                    count: s.count,
                    rate: s.rate.map(|p| format!("{p}%")).unwrap_or_default(),
                    href,
                }
            })
            .collect(),
    };
    let mut lines: Vec<FunnelLine> = funnel.by_team.iter().map(line).collect();
    lines.push(line(&funnel.total));
    let title = cx.t("lead_clocks.funnel_title");
    let body = Markup::of(&FunnelPage {
        cx: &cx,
        title,
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        steps: FunnelStep::ALL
            .iter()
            .map(|s| cx.t(&format!("lead_clocks.step.{}", s.code())))
            .collect(),
        lines,
    });
    Ok(layout(&cx, title, body, &[]))
}

/// The limits form of `/attraction/clocks`: numbers as typed; the amount in 万元.
#[derive(Deserialize)]
pub(super) struct LimitsForm {
    respond_working_days: String,
    assess_working_days: String,
    assess_major_working_days: String,
    feedback_working_days: String,
    progress_calendar_days: String,
    major_from: String,
}

pub(super) async fn limits_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<LimitsForm>) -> Response {
    let r = async {
        // A number that is not one is out of range: the domain's refusal names the limit.
        let n = |v: &str| Some(v.trim().parse::<i64>().unwrap_or(0));
        let b = api::LimitsBody {
            respond_working_days: n(&f.respond_working_days),
            assess_working_days: n(&f.assess_working_days),
            assess_major_working_days: n(&f.assess_major_working_days),
            feedback_working_days: n(&f.feedback_working_days),
            progress_calendar_days: n(&f.progress_calendar_days),
            major_from: Some(f.major_from.clone()),
        };
        api::set_limits(&st, &cx.auth, &b).await
    }
    .await;
    back(cx.lang, "/attraction/clocks", r.map(|_| "lead_clocks.flash_limits_saved"))
}
