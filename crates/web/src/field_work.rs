//! 一线办公 (the leaders' field-work log, issue #20 item 6): the district leaders' half-days on
//! site, tallied per leader and week against the rule each is held to
//! (`zhantu_domain::field_work`).
//!
//! JSON (under `/api/v1`): `GET /field-work` (entries; filters `leader`, `project`, `week`,
//! `from`, `to`; a unit's staff read the entries on their units' projects), `POST /field-work`
//! (record), `DELETE /field-work/{id}`, `GET /field-work/weeks?from=&to=` (the tally and the
//! compliance rates: the district-wide readers), `PUT /field-work/rules/{person_id}` (the
//! leader's rule: administrators and coordinators, who keep the people register) and
//! `GET /field-work/weeks.xlsx`. Page: `/field-work` (tally, entries, the form).
//!
//! Who records (`Action::RecordFieldWork`): coordinators and administrators for any leader; a
//! district leader's account for the leader it names (the account's display name is the
//! leader's name in the register); a unit's editor for an entry on a project of their units.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, IdPath, created};
use crate::fields::opt_date;
use crate::page::i18n::{t, tf};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, layout};
use crate::routes::{Routes, delete, get, post, put};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{Days, NaiveDate};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_domain::access::{Action, Actor, Role};
use zhantu_domain::field_work::{
    Compliance, DayPart, EntryInput, FieldWorkRule, WeekTally, compliance, compliance_by_leader, week_start, weekly_tallies,
};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_store::field_work::{FieldWorkEntry, FieldWorkFilter, LeaderRule};

pub const MECHANISM: Mechanism = Mechanism {
    name: "field_work",
    pages,
    api,
};

fn api() -> Routes {
    Routes::new()
        .route("/field-work", get(list_json).post(record_json))
        .route("/field-work/{id}", delete(delete_json))
        .route("/field-work/weeks", get(weeks_json))
        .route("/field-work/weeks.xlsx", get(weeks_xlsx))
        .route("/field-work/rules/{person_id}", put(rule_json))
}

fn pages() -> Routes {
    Routes::new()
        .route("/field-work", get(page).post(record_form))
        .route("/field-work/rules", post(rule_form))
}

/// Which entries to list.
#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct EntriesQuery {
    /// A leader (person id).
    pub leader: Option<String>,
    /// A project id.
    pub project: Option<String>,
    /// Any date of a week (Monday to Sunday): that week's entries.
    pub week: Option<String>,
    /// From this date on.
    pub from: Option<String>,
    /// Up to this date.
    pub to: Option<String>,
}

/// The period of the tally.
#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct WeeksQuery {
    /// The first week (any date in it); eight weeks before `to` by default.
    pub from: Option<String>,
    /// The last week (any date in it); the data date by default.
    pub to: Option<String>,
}

/// A field-work entry as sent.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct EntryBody {
    /// The leader (a district leader of the people register).
    pub leader_id: i64,
    /// The date on site, not after today.
    pub date: String,
    /// `am` (上午), `pm` (下午) or `full` (全天).
    pub part: String,
    /// The project visited, if any.
    #[serde(default)]
    pub project_id: Option<i64>,
    /// The place (a street, a works), when not only the project.
    #[serde(default)]
    pub place: String,
    /// 现场办理事项: required.
    pub matters: String,
    /// The problems solved on site.
    #[serde(default)]
    pub problems_solved: String,
    /// A problem of the register the visit solved or took up.
    #[serde(default)]
    pub problem_id: Option<i64>,
}

/// A leader's rule as set.
#[derive(schemars::JsonSchema, Deserialize)]
pub struct RuleBody {
    /// `times` (主要领导: at least N times a week) or `share` (责任/分管领导: at least a share of
    /// the week's working time).
    pub kind: String,
    /// N for `times` (1–7; 2 by default).
    #[serde(default)]
    pub per_week: Option<i64>,
    /// The share for `share`, as a fraction (`1/3` by default).
    #[serde(default)]
    pub share: Option<String>,
}

fn scope(actor: &Actor) -> Option<Vec<i64>> {
    (!actor.reads_all()).then(|| actor.unit_scope.clone())
}

fn opt_i64(v: &Option<String>, what: &'static str) -> Result<Option<i64>, ApiError> {
    crate::extract::opt_id(v, what)
}

/// Whether `a` may record (or delete) an entry of `leader_id` on `project_id`.
async fn may_record(st: &AppState, a: &Auth, leader_id: i64, project_id: Option<i64>) -> Result<(), ApiError> {
    let project_unit_id = match project_id {
        Some(p) => match st.store.project_unit(p).await {
            Ok(u) => Some(u),
            Err(zhantu_store::StoreError::NotFound) => return Err(ApiError::not_found(format!("项目 {p} 不存在"))),
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let own = a.actor.role == Role::Leader && st.store.leader_named(&a.user.display_name).await? == Some(leader_id);
    Ok(a.actor.may(Action::RecordFieldWork { project_unit_id, own })?)
}

async fn do_record(st: &AppState, a: &Auth, b: &EntryBody) -> Result<FieldWorkEntry, ApiError> {
    may_record(st, a, b.leader_id, b.project_id).await?;
    let today = st.store.as_of().await?;
    let input = EntryInput::parse(&b.date, &b.part, &b.place, &b.matters, &b.problems_solved, today)?;
    Ok(st
        .store
        .record_field_work(b.leader_id, b.project_id, b.problem_id, &input, &a.audit())
        .await?)
}

async fn record_json(State(st): State<AppState>, a: Auth, Json(b): Json<EntryBody>) -> Result<Response, ApiError> {
    Ok(created(json!(do_record(&st, &a, &b).await?)).into_response())
}

async fn delete_json(State(st): State<AppState>, a: Auth, IdPath(id): IdPath) -> Result<Response, ApiError> {
    let e = match st.store.field_work_entry(id).await {
        Ok(e) => e,
        Err(zhantu_store::StoreError::NotFound) => return Err(ApiError::not_found("一线办公记录不存在")),
        Err(e) => return Err(e.into()),
    };
    may_record(&st, &a, e.person_id, e.project_id).await?;
    st.store.delete_field_work(id, &a.audit()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn filter_of(q: &EntriesQuery, actor: &Actor) -> Result<FieldWorkFilter, ApiError> {
    let mut from = opt_date(&q.from)?;
    let mut to = opt_date(&q.to)?;
    if let Some(w) = opt_date(&q.week)? {
        let monday = week_start(w);
        from = Some(from.map_or(monday, |f| f.max(monday)));
        let sunday = monday + Days::new(6);
        to = Some(to.map_or(sunday, |t| t.min(sunday)));
    }
    Ok(FieldWorkFilter {
        leader: opt_i64(&q.leader, "领导")?,
        project: opt_i64(&q.project, "项目")?,
        from,
        to,
        scope: scope(actor),
    })
}

async fn list_json(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<EntriesQuery>) -> Result<Json<Value>, ApiError> {
    let items = st.store.field_work_entries(&filter_of(&q, &a.actor)?).await?;
    Ok(Json(json!({ "total": items.len(), "items": items })))
}

/// The tally of a period: the leaders with their rules, each leader's weeks, the rates.
struct Tally {
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
    leaders: Vec<LeaderRule>,
    weeks: Vec<NaiveDate>,
    tallies: Vec<WeekTally>,
    by_leader: Vec<Compliance>,
    all: Compliance,
}

impl Tally {
    fn of(&self, leader: i64, week: NaiveDate) -> Option<&WeekTally> {
        self.tallies.iter().find(|t| t.leader_id == leader && t.week == week)
    }
}

/// The longest period a tally covers.
const MAX_WEEKS: i64 = 60;

async fn tally(st: &AppState, actor: &Actor, q: &WeeksQuery) -> Result<Tally, ApiError> {
    if !actor.reads_all() {
        return Err(ApiError::forbidden(
            "无权查看：一线办公汇总是全区区领导的情况，只有系统管理员、发改局统筹人员和区领导可以查看",
        ));
    }
    let today = st.store.as_of().await?;
    let to = week_start(opt_date(&q.to)?.unwrap_or(today));
    let from = week_start(opt_date(&q.from)?.unwrap_or(to - Days::new(7 * 7)));
    if from > to || (to - from).num_days() / 7 >= MAX_WEEKS {
        return Err(ApiError::bad_request(
            "field_work_period_invalid",
            format!("汇总期间无效：开始周不能晚于结束周，且不超过{MAX_WEEKS}周"),
        ));
    }
    let leaders = st.store.field_work_leaders().await?;
    let cal = st.store.calendar().await?;
    let visits = st.store.field_work_visits(from, to + Days::new(6)).await?;
    let rules: Vec<(i64, FieldWorkRule)> = leaders.iter().map(|l| (l.person_id, l.rule)).collect();
    let tallies = weekly_tallies(&cal, &rules, &visits, from, to, today);
    let mut weeks = Vec::new();
    let mut w = from;
    while w <= to {
        weeks.push(w);
        w = w + Days::new(7);
    }
    Ok(Tally {
        from,
        to,
        today,
        by_leader: compliance_by_leader(&tallies),
        all: compliance(&tallies, None),
        leaders,
        weeks,
        tallies,
    })
}

async fn weeks_json(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<WeeksQuery>) -> Result<Json<Value>, ApiError> {
    let t = tally(&st, &a.actor, &q).await?;
    let leaders: Vec<Value> = t
        .leaders
        .iter()
        .map(|l| {
            let weeks: Vec<&WeekTally> = t.tallies.iter().filter(|w| w.leader_id == l.person_id).collect();
            let c = t.by_leader.iter().find(|c| c.leader_id == Some(l.person_id));
            json!({ "person_id": l.person_id, "name": l.name, "title": l.title, "rule": l.rule,
                    "rule_assigned": l.assigned, "weeks": weeks, "compliance": c })
        })
        .collect();
    Ok(Json(
        json!({ "from": t.from, "to": t.to, "today": t.today, "leaders": leaders, "compliance": t.all }),
    ))
}

async fn rule_json(
    State(st): State<AppState>,
    a: Auth,
    IdPath(person_id): IdPath,
    Json(b): Json<RuleBody>,
) -> Result<Json<Value>, ApiError> {
    a.actor.may(Action::ManageMasterData)?;
    let rule = FieldWorkRule::parse(&b.kind, b.per_week, b.share.as_deref())?;
    Ok(Json(json!(st.store.set_field_work_rule(person_id, rule, &a.audit()).await?)))
}

fn rule_name(lang: Lang, r: FieldWorkRule) -> String {
    match lang {
        Lang::Zh => r.label_zh(),
        Lang::En => r.label_en(),
    }
}

fn part_name(lang: Lang, p: DayPart) -> &'static str {
    match lang {
        Lang::Zh => p.label_zh(),
        Lang::En => p.label_en(),
    }
}

fn met_name(lang: Lang, met: Option<bool>) -> &'static str {
    t(
        lang,
        match met {
            Some(true) => "field_work.met",
            Some(false) => "field_work.not_met",
            None => "field_work.no_working_day",
        },
    )
}

async fn weeks_xlsx(State(st): State<AppState>, a: Auth, lang: Lang, ApiQuery(q): ApiQuery<WeeksQuery>) -> Result<Response, ApiError> {
    let tl = tally(&st, &a.actor, &q).await?;
    let col = |key: &str, kind: ColKind| Column::new(t(lang, &format!("field_work.col.{key}")), kind);
    let title = tf(
        lang,
        "field_work.title_period",
        &[("from", &tl.from.to_string()), ("to", &(tl.to + Days::new(6)).to_string())],
    );
    let mut weeks = Table::new(
        t(lang, "field_work.sheet_weeks"),
        vec![
            col("leader", ColKind::Text),
            col("title", ColKind::Text),
            col("rule", ColKind::Text),
            col("week", ColKind::Date),
            col("times", ColKind::Int),
            col("half_days", ColKind::Int),
            col("working_half_days", ColKind::Int),
            col("required", ColKind::Int),
            col("met", ColKind::Text),
        ],
    )
    .with_title(title.clone());
    for l in &tl.leaders {
        for w in tl.tallies.iter().filter(|w| w.leader_id == l.person_id) {
            weeks.push(vec![
                l.name.clone().into(),
                l.title.clone().into(),
                rule_name(lang, l.rule).into(),
                w.week.into(),
                Cell::Int(w.times),
                Cell::Int(w.half_days),
                Cell::Int(w.working_half_days),
                Cell::Int(w.required),
                met_name(lang, w.met).into(),
            ]);
        }
    }
    let mut rates = Table::new(
        t(lang, "field_work.sheet_compliance"),
        vec![
            col("leader", ColKind::Text),
            col("rule", ColKind::Text),
            col("weeks_counted", ColKind::Int),
            col("weeks_met", ColKind::Int),
            col("rate", ColKind::Pct),
        ],
    );
    for l in &tl.leaders {
        if let Some(c) = tl.by_leader.iter().find(|c| c.leader_id == Some(l.person_id)) {
            rates.push(vec![
                l.name.clone().into(),
                rule_name(lang, l.rule).into(),
                Cell::Int(c.weeks_counted),
                Cell::Int(c.weeks_met),
                c.rate.into(),
            ]);
        }
    }
    rates.push(vec![
        t(lang, "field_work.all_leaders").into(),
        Cell::Empty,
        Cell::Int(tl.all.weeks_counted),
        Cell::Int(tl.all.weeks_met),
        tl.all.rate.into(),
    ]);
    let entries = st
        .store
        .field_work_entries(&FieldWorkFilter {
            from: Some(tl.from),
            to: Some(tl.to + Days::new(6)),
            ..Default::default()
        })
        .await?;
    let mut detail = Table::new(
        t(lang, "field_work.sheet_entries"),
        vec![
            col("date", ColKind::Date),
            col("part", ColKind::Text),
            col("leader", ColKind::Text),
            col("project", ColKind::Text),
            col("place", ColKind::Text),
            col("matters", ColKind::Text),
            col("problems_solved", ColKind::Text),
        ],
    );
    for e in &entries {
        detail.push(vec![
            e.date.into(),
            part_name(lang, e.part).into(),
            e.leader.clone().into(),
            e.project.clone().unwrap_or_default().into(),
            e.place.clone().into(),
            e.matters.clone().into(),
            e.problems_solved.clone().into(),
        ]);
    }
    crate::download::stamped_xlsx(&st.store, lang, &format!("{title}.xlsx"), vec![weeks, rates, detail]).await
}

// ------------------------------------------------------------------ the page

struct Square {
    text: String,
    /// `met`, `missed`, `open` (the week is not over) or `none` (no working day).
    class: &'static str,
}

struct LeaderRow {
    name: String,
    title: String,
    rule: String,
    squares: Vec<Square>,
    rate: String,
}

struct EntryRow {
    id: i64,
    date: String,
    part: &'static str,
    leader: String,
    project_id: Option<i64>,
    project: String,
    place: String,
    matters: String,
    problems_solved: String,
}

#[derive(Template)]
#[template(path = "field_work/page.html")]
struct Page<'a> {
    cx: &'a Ctx,
    title: String,
    flash: Markup,
    /// None for a unit's staff, who read entries only.
    weeks: Option<Vec<String>>,
    rows: Vec<LeaderRow>,
    all_rate: String,
    entries: Vec<EntryRow>,
    /// The leaders the reader may record for (id, name); empty hides the form.
    leaders: Vec<(i64, String)>,
    parts: Vec<(&'static str, &'static str)>,
    /// Every leader with their rule, for the rule form (administrators and coordinators).
    rule_leaders: Vec<(i64, String, String)>,
    today: String,
    token: &'a str,
}

async fn page(State(st): State<AppState>, cx: Ctx, Query(q): Query<WeeksQuery>, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let lang = cx.lang;
    let today = st.store.as_of().await?;
    let all_leaders = st.store.field_work_leaders().await?;
    let (weeks, rows, all_rate, from, to) = if cx.auth.actor.reads_all() {
        let tl = tally(&st, &cx.auth.actor, &q).await.map_err(cx.err())?;
        let rows = tl
            .leaders
            .iter()
            .map(|l| LeaderRow {
                name: l.name.clone(),
                title: l.title.clone(),
                rule: rule_name(lang, l.rule),
                squares: tl
                    .weeks
                    .iter()
                    .map(|w| match tl.of(l.person_id, *w) {
                        Some(x) => Square {
                            text: match x.rule {
                                FieldWorkRule::Times { .. } => format!("{}/{}", x.times, x.required),
                                FieldWorkRule::Share { .. } => format!("{}/{}", x.half_days, x.working_half_days),
                            },
                            class: match (x.met, x.complete) {
                                (None, _) => "none",
                                (Some(true), _) => "met",
                                (Some(false), true) => "missed",
                                (Some(false), false) => "open",
                            },
                        },
                        None => Square {
                            text: "—".into(),
                            class: "none",
                        },
                    })
                    .collect(),
                rate: pct(tl.by_leader.iter().find(|c| c.leader_id == Some(l.person_id))),
            })
            .collect();
        let weeks = tl.weeks.iter().map(|w| w.format("%m-%d").to_string()).collect();
        (Some(weeks), rows, pct(Some(&tl.all)), tl.from, tl.to + Days::new(6))
    } else {
        let to = week_start(today) + Days::new(6);
        (None, Vec::new(), String::new(), to - Days::new(8 * 7 - 1), to)
    };
    let entries = st
        .store
        .field_work_entries(&FieldWorkFilter {
            from: Some(from),
            to: Some(to),
            scope: cx.scope(),
            ..Default::default()
        })
        .await?
        .into_iter()
        .map(|e| EntryRow {
            id: e.id,
            date: e.date.to_string(),
            part: part_name(lang, e.part),
            leader: e.leader,
            project_id: e.project_id,
            project: e.project.unwrap_or_default(),
            place: e.place,
            matters: e.matters,
            problems_solved: e.problems_solved,
        })
        .collect();
    let a = &cx.auth.actor;
    let leaders = match a.role {
        Role::Admin | Role::Coordinator | Role::UnitEditor => all_leaders.iter().map(|l| (l.person_id, l.name.clone())).collect(),
        Role::Leader => all_leaders
            .iter()
            .filter(|l| l.name == cx.auth.user.display_name)
            .map(|l| (l.person_id, l.name.clone()))
            .collect(),
        Role::Viewer => Vec::new(),
    };
    let title = t(lang, "field_work.title").to_string();
    let body = Markup::of(&Page {
        cx: &cx,
        title: title.clone(),
        flash: f.show(&cx, &["field_work.flash_"]),
        weeks,
        rows,
        all_rate,
        entries,
        leaders,
        parts: DayPart::ALL.iter().map(|p| (p.code(), part_name(lang, *p))).collect(),
        rule_leaders: if a.may(Action::ManageMasterData).is_ok() {
            all_leaders
                .iter()
                .map(|l| (l.person_id, l.name.clone(), rule_name(lang, l.rule)))
                .collect()
        } else {
            Vec::new()
        },
        today: today.to_string(),
        token: cx.csrf(),
    });
    Ok(layout(&cx, &title, body, &[]))
}

fn pct(c: Option<&Compliance>) -> String {
    match c {
        Some(Compliance {
            rate: Some(r),
            weeks_met,
            weeks_counted,
            ..
        }) => format!("{r}% ({weeks_met}/{weeks_counted})"),
        _ => "—".into(),
    }
}

#[derive(Deserialize)]
struct EntryForm {
    leader_id: String,
    date: String,
    part: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    matters: String,
    #[serde(default)]
    problems_solved: String,
}

async fn record_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<EntryForm>) -> Response {
    let r = async {
        let id = |what: &'static str, v: &str| crate::extract::opt_id(&Some(v.to_string()), what);
        let leader_id = id("领导", &f.leader_id)?.ok_or_else(|| ApiError::bad_request("invalid_parameter", "请选择领导"))?;
        let b = EntryBody {
            leader_id,
            date: f.date.clone(),
            part: f.part.clone(),
            project_id: id("项目", &f.project_id)?,
            place: f.place.clone(),
            matters: f.matters.clone(),
            problems_solved: f.problems_solved.clone(),
            problem_id: None,
        };
        do_record(&st, &cx.auth, &b).await
    }
    .await;
    back(cx.lang, "/field-work", r.map(|_| "field_work.flash_recorded"))
}

#[derive(Deserialize)]
struct RuleForm {
    person_id: String,
    kind: String,
    #[serde(default)]
    per_week: String,
    #[serde(default)]
    share: String,
}

async fn rule_form(State(st): State<AppState>, cx: Ctx, Form(f): Form<RuleForm>) -> Response {
    let r = async {
        cx.auth.actor.may(Action::ManageMasterData)?;
        let person = crate::extract::opt_id(&Some(f.person_id.clone()), "领导")?
            .ok_or_else(|| ApiError::bad_request("invalid_parameter", "请选择领导"))?;
        let per_week = crate::extract::opt_id(&Some(f.per_week.clone()), "每周次数")?;
        let rule = FieldWorkRule::parse(&f.kind, per_week, Some(f.share.as_str()))?;
        Ok::<_, ApiError>(st.store.set_field_work_rule(person, rule, &cx.auth.audit()).await?)
    }
    .await;
    back(cx.lang, "/field-work", r.map(|_| "field_work.flash_rule"))
}
