//! The pages of the problem list: the list with figures by unit and a form to raise a problem
//! (`/problems`), the monthly three lists (`/problems/lists`) and one problem with its history
//! and the steps the reader may take (`/problems/{id}`). Forms do their work with the JSON
//! API's functions.

use super::api::{ProblemQuery, RaiseBody, StatsQuery, StepBody, do_raise, do_step, load_problem, monthly, unit_stats};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::fields::form_opt_number;
use crate::page::problem_table::{badges, problem_table, source_label, state_label};
use crate::page::select::{category_options, choice_options, unit_choices, val};
use crate::page::{Ctx, Flash, Markup, PageError, back, csrf_field, layout, next_page, query_string, tf, to_created};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::problems as svc;
use zhantu_domain::problems::LoopState;
use zhantu_domain::problems::Source;
use zhantu_domain::problems::Step;
use zhantu_store::problems::ProblemItem;
use zhantu_store::problems::UnitStatsRow;

pub fn router() -> Routes {
    Routes::new()
        .route("/problems", get(problems_page).post(raise_form))
        .route("/problems/lists", get(lists_page))
        .route("/problems/{id}", get(problem_page))
        .route("/problems/{id}/act", post(act_form))
}

/// The choices of the form raising a problem, for those who may raise one for their unit.
struct RaiseChoices {
    csrf: Markup,
    categories: Markup,
    units: Markup,
    /// The project it comes from (its name), when the list was opened from one.
    project: String,
    /// The node it comes from (its name), when opened from one.
    node: String,
}

#[derive(Template)]
#[template(path = "problems/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    total: String,
    /// The number of problems the list counts (for the cockpit's link test).
    total_n: i64,
    filter_query: String,
    q: &'a str,
    unit_options: Markup,
    state_options: Markup,
    source_options: Markup,
    overdue: bool,
    table: Markup,
    next_page: Option<String>,
    raise: Option<RaiseChoices>,
    stats_title: String,
    /// The summary row's label: the district's total, or the reader's own units'.
    total_label: &'static str,
    stats: &'a [UnitStatsRow],
}

async fn problems_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ProblemQuery>) -> Result<Html<String>, PageError> {
    let today = st.store.as_of().await?;
    let mut filter = q.filter(&cx.auth.actor, 100).map_err(cx.err())?;
    filter.limit = filter.limit.min(500);
    let page = st.store.list_problems(&filter, today).await?;
    let (year, stats) = unit_stats(&st, &cx.auth, &None).await.map_err(cx.err())?;
    let units = unit_choices(&st).await?;
    let states: Vec<(String, String)> = std::iter::once(("open".to_string(), cx.t("service.state.open").to_string()))
        .chain(
            [
                LoopState::Raised,
                LoopState::Assigned,
                LoopState::Resolved,
                LoopState::Satisfied,
                LoopState::Closed,
            ]
            .iter()
            .map(|s| (s.code().to_string(), state_label(&cx, *s).to_string())),
        )
        .collect();
    let sources: Vec<(String, String)> = Source::ALL
        .iter()
        .map(|s| (s.code().to_string(), cx.t(&format!("service.source.{}", s.code())).to_string()))
        .collect();
    let pairs = [
        ("q", val(&q.q)),
        ("unit", val(&q.unit)),
        ("status", val(&q.status)),
        ("source", val(&q.source)),
        ("overdue", val(&q.overdue)),
        ("project", val(&q.project)),
        ("enterprise", val(&q.enterprise)),
        ("level", val(&q.level)),
        ("raised_from", val(&q.raised_from)),
        ("raised_to", val(&q.raised_to)),
    ];
    let next_page = next_page("/problems", &pairs, filter.offset, filter.limit, page.total);
    let prefill = raise_prefill(&st, &cx, &q).await?;
    // Who may raise: an editor of their own unit (the form offers it first).
    let raise = svc::may_raise(&cx.auth.actor, &[cx.auth.user.unit_id])
        .is_ok()
        .then(|| RaiseChoices {
            csrf: csrf_field(&cx.auth),
            categories: category_options(cx.lang, None),
            units: choice_options(&units, &cx.auth.user.unit_id.to_string(), None),
            project: prefill.0.clone(),
            node: prefill.1.clone(),
        });
    let any = Some(cx.t("service.filter.any"));
    let body = Markup::of(&ListPage {
        cx: &cx,
        total_n: page.total,
        // The count says what it counts: problems raised in a period, or all of them.
        total: match (filter.raised_from, filter.raised_to) {
            (None, None) => tf(
                cx.lang,
                "service.problems.total",
                &[("n", &page.total.to_string()), ("date", &today.to_string())],
            ),
            (from, to) => tf(
                cx.lang,
                "service.problems.total_raised",
                &[
                    ("n", &page.total.to_string()),
                    ("from", &from.map(|d| d.to_string()).unwrap_or_else(|| "—".into())),
                    ("to", &to.map(|d| d.to_string()).unwrap_or_else(|| "—".into())),
                ],
            ),
        },
        filter_query: query_string(&pairs),
        q: val(&q.q),
        unit_options: choice_options(&units, val(&q.unit), any),
        state_options: choice_options(&states, val(&q.status), any),
        source_options: choice_options(&sources, val(&q.source), any),
        overdue: filter.overdue,
        table: problem_table(&cx, &page.items),
        next_page,
        raise,
        stats_title: tf(cx.lang, "service.stats.title", &[("year", &year.to_string())]),
        total_label: cx.t(if cx.auth.actor.reads_all() {
            "service.stats.total"
        } else {
            "service.stats.total_unit"
        }),
        stats: &stats,
    });
    Ok(layout(&cx, cx.t("service.problems.title"), body, &["/assets/app.js"]))
}

/// The names of the project and node the list was opened from (`?project=&node=` from the
/// project page or a node), for the form's pickers: only what the reader may see.
async fn raise_prefill(st: &AppState, cx: &Ctx, q: &ProblemQuery) -> Result<(String, String), PageError> {
    let id = |v: &Option<String>| v.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
    let Some(pid) = id(&q.project) else {
        return Ok(Default::default());
    };
    if crate::access::check_project(st, &cx.auth.actor, pid, crate::access::read)
        .await
        .is_err()
    {
        return Ok(Default::default());
    }
    let project = st.store.project_detail(pid).await.map_err(cx.err())?;
    let node = id(&q.node)
        .and_then(|nid| project.nodes.iter().find(|n| n.id == nid))
        .map(|n| n.name.clone())
        .unwrap_or_default();
    Ok((project.summary.name.clone(), node))
}

/// The project and node a form names by name (the pickers send names, never ids): the one
/// project of that name the actor may see, and its node of that name.
async fn resolve_names(st: &AppState, a: &Auth, project: &str, node: &str) -> Result<(Option<i64>, Option<i64>), ApiError> {
    let (project, node) = (project.trim(), node.trim());
    if project.is_empty() {
        if !node.is_empty() {
            return Err(ApiError::bad_request("node_without_project", "选择节点前请先选择项目"));
        }
        return Ok((None, None));
    }
    let scope = (!a.actor.reads_all()).then_some(a.actor.unit_scope.as_slice());
    let pid = match st.store.projects_named(project, scope).await?.as_slice() {
        [id] => *id,
        [] => {
            return Err(ApiError::bad_request(
                "project_name_unknown",
                format!("没有名为“{project}”的项目（或不在您的单位范围内），请从列表中选择"),
            ));
        }
        _ => {
            return Err(ApiError::bad_request(
                "project_name_ambiguous",
                format!("有多个名为“{project}”的项目，请从该项目的页面提出问题"),
            ));
        }
    };
    if node.is_empty() {
        return Ok((Some(pid), None));
    }
    match st.store.nodes_named(pid, node).await?.first() {
        Some(nid) => Ok((Some(pid), Some(*nid))),
        None => Err(ApiError::bad_request(
            "node_name_unknown",
            format!("项目“{project}”没有名为“{node}”的节点，请从列表中选择"),
        )),
    }
}

#[derive(Deserialize)]
struct RaiseForm {
    category: String,
    description: String,
    unit_id: String,
    #[serde(default)]
    deadline: String,
    /// The project's name (the picker's).
    #[serde(default)]
    project: String,
    /// The node's name, within the project.
    #[serde(default)]
    node: String,
    blocks_node: Option<String>,
}

async fn raise_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, Form(f): Form<RaiseForm>) -> Response {
    let r = async {
        let (project_id, node_id) = resolve_names(&st, &a, &f.project, &f.node).await?;
        let body = RaiseBody {
            category: f.category.clone(),
            description: f.description.clone(),
            unit_id: form_opt_number(&f.unit_id, "责任单位无效：应为数字编号")?
                .ok_or_else(|| ApiError::bad_request("invalid_field", "请选择责任单位"))?,
            deadline: Some(f.deadline.clone()),
            project_id,
            node_id,
            report_id: None,
            blocks_node: f.blocks_node.is_some(),
            external_id: None,
        };
        Ok(do_raise(&st, &a, body).await?.item.id)
    }
    .await;
    to_created(lang, "/problems", r, "service.flash.raised")
}

/// One of the monthly three lists.
struct MonthList {
    code: &'static str,
    name: &'static str,
    count: String,
    table: Markup,
}

#[derive(Template)]
#[template(path = "problems/lists.html")]
struct ListsPage<'a> {
    cx: &'a Ctx,
    month: String,
    lists: Vec<MonthList>,
}

async fn lists_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<StatsQuery>) -> Result<Html<String>, PageError> {
    let l = monthly(&st, &cx.auth, &q.month).await.map_err(cx.err())?;
    let lists = l
        .lists
        .iter()
        .map(|(kind, items)| MonthList {
            code: kind.code(),
            name: cx.t(&format!("service.list.{}", kind.code())),
            count: tf(cx.lang, "service.lists.count", &[("n", &items.len().to_string())]),
            table: problem_table(&cx, items),
        })
        .collect();
    let body = Markup::of(&ListsPage {
        cx: &cx,
        month: format!("{}-{:02}", l.year, l.month),
        lists,
    });
    Ok(layout(&cx, cx.t("service.lists.title"), body, &[]))
}

/// A step the reader may take, as a form.
struct StepForm {
    code: &'static str,
    title: &'static str,
}

/// An entry of a problem's history.
struct EventLine<'a> {
    at: String,
    kind: &'static str,
    actor: &'a str,
    unit: Option<&'a str>,
    deadline: Option<chrono::NaiveDate>,
    note: &'a str,
}

#[derive(Template)]
#[template(path = "problems/detail.html")]
struct DetailPage<'a> {
    cx: &'a Ctx,
    p: &'a ProblemItem,
    /// The description's first 50 characters.
    description: String,
    flash: Markup,
    badges: Markup,
    source: &'a str,
    resolution: Option<&'a str>,
    escalation: &'static str,
    csrf: Markup,
    steps: Vec<StepForm>,
    /// The units to assign to, when assigning is one of the steps.
    assign_units: Markup,
    events: Vec<EventLine<'a>>,
}

async fn problem_page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let p = load_problem(&st, &cx.auth, id).await.map_err(cx.err())?;
    let item = &p.item;
    let steps = svc::available_steps(&cx.auth.actor, item.state, item.unit.id);
    let assign_units = if steps.contains(&Step::Assign) {
        choice_options(&unit_choices(&st).await?, &item.unit.id.to_string(), None)
    } else {
        Markup::default()
    };
    let events = p
        .events
        .iter()
        .map(|e| EventLine {
            at: cx.time(&e.at),
            kind: cx.t(&format!("service.event.{}", e.kind)),
            actor: &e.actor,
            unit: e.unit.as_ref().map(|u| u.name.as_str()),
            deadline: e.deadline,
            note: &e.note,
        })
        .collect();
    let body = Markup::of(&DetailPage {
        cx: &cx,
        p: item,
        description: item.description.chars().take(50).collect(),
        flash: f.show(&cx, &["service.flash."]),
        badges: badges(&cx, item),
        source: source_label(&cx, item),
        resolution: p.resolution.as_deref(),
        escalation: cx.t(&format!("service.level.{}", p.item.escalation_level.clamp(0, 3))),
        csrf: csrf_field(&cx.auth),
        steps: steps
            .iter()
            .map(|s| StepForm {
                code: s.code(),
                title: cx.t(&format!("service.step.{}", s.code())),
            })
            .collect(),
        assign_units,
        events,
    });
    Ok(layout(&cx, &format!("#{id}"), body, &[]))
}

#[derive(Deserialize)]
struct ActForm {
    step: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    satisfied: String,
    #[serde(default)]
    satisfaction: String,
}

async fn act_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<ActForm>) -> Response {
    let to = format!("/problems/{id}");
    let r = async {
        let step = Step::from_code(f.step.trim()).ok_or_else(|| ApiError::bad_request("invalid_field", "未知的办理步骤"))?;
        let body = StepBody {
            version: form_opt_number(&f.version, "版本号无效")?,
            unit_id: form_opt_number(&f.unit_id, "单位无效")?,
            deadline: Some(f.deadline.clone()),
            note: f.note.clone(),
            resolution: String::new(),
            text: String::new(),
            satisfied: match f.satisfied.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            satisfaction: form_opt_number(&f.satisfaction, "满意度无效")?,
        };
        do_step(&st, &a, id, step, &body).await
    }
    .await;
    back(lang, &to, r.map(|_| "service.flash.step_saved"))
}
