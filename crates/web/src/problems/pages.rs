//! The pages of the problem list: the list with figures by unit and a form to raise a problem
//! (`/problems`), the monthly three lists (`/problems/lists`) and one problem with its history
//! and the steps the reader may take (`/problems/{id}`). Forms do their work with the JSON
//! API's functions.

use super::api::{ProblemQuery, RaiseBody, StatsQuery, StepBody, do_raise, do_step, load_problem, monthly, unit_stats};
use crate::page::problem_table::{badges, problem_rows, state_label};
use crate::page::select::{PROBLEM_CATEGORIES as CATEGORIES, options, unit_choices, val};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::esc;
use crate::page::i18n::tf;
use crate::page::{Ctx, Flash, PageError, back, csrf_field, layout_legacy, pct, query_string};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zhantu_domain::service::{self as svc, LoopState, Source, Step};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/problems", get(problems_page).post(raise_form))
        .route("/problems/lists", get(lists_page))
        .route("/problems/{id}", get(problem_page))
        .route("/problems/{id}/act", post(act_form))
}

async fn problems_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ProblemQuery>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let today = st.store.as_of().await?;
    let mut filter = q.filter(&cx.auth.actor, 100).map_err(cx.err())?;
    filter.limit = filter.limit.min(500);
    let page = st.store.list_problems(&filter, today).await?;
    let (year, stats) = unit_stats(&st, &cx.auth, &None).await.map_err(cx.err())?;
    let units = unit_choices(&st).await?;
    let states: Vec<(String, String)> = std::iter::once(("open".to_string(), t("service.state.open").to_string()))
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
    ];
    let fq = query_string(&pairs);
    let mut pager = String::new();
    if filter.offset + filter.limit < page.total {
        let next = (filter.offset + filter.limit).to_string();
        let mut with = pairs.to_vec();
        with.push(("offset", &next));
        pager = format!(
            r#"<a rel="next" href="/problems{}">{}</a>"#,
            esc(&query_string(&with)),
            t("service.next_page")
        );
    }
    let stat_rows: String = stats
        .iter()
        .map(|s| {
            let name = if s.unit.id == 0 { t("service.stats.total").to_string() } else { s.unit.name.clone() };
            format!(
                r#"<tr{cls}><th scope="row">{link}</th><td class="num">{raised}</td><td class="num">{closed}</td><td class="num">{open}</td><td class="num">{overdue}</td><td class="num">{rate}</td><td class="num">{days}</td></tr>"#,
                cls = if s.unit.id == 0 { r#" class="strong""# } else { "" },
                link = if s.unit.id == 0 {
                    esc(&name)
                } else {
                    format!(r#"<a href="/problems?unit={}">{}</a>"#, s.unit.id, esc(&name))
                },
                raised = s.stats.raised,
                closed = s.stats.closed,
                open = s.stats.open,
                overdue = s.stats.overdue,
                rate = pct(s.stats.rate_pct),
                days = s.stats.mean_days_to_close.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            )
        })
        .collect();
    let body = format!(
        r#"<div class="page-head"><div><h1>{h}</h1><p class="sub" id="problems-total">{total}</p></div><p class="links"><a href="/problems/lists">{to_lists}</a> · <a href="/api/v1/problems.xlsx{fq}">{export}</a> · <a href="/enterprises">{to_ent}</a></p></div>
<form class="filters" method="get" action="/problems" role="search"><div class="f"><label for="p-q">{l_q}</label><input id="p-q" name="q" type="search" value="{v_q}"></div>
<div class="f"><label for="p-unit">{l_unit}</label><select id="p-unit" name="unit">{o_unit}</select></div>
<div class="f"><label for="p-status">{l_status}</label><select id="p-status" name="status">{o_status}</select></div>
<div class="f"><label for="p-source">{l_source}</label><select id="p-source" name="source">{o_source}</select></div>
<div class="f check"><label><input type="checkbox" name="overdue" value="1"{overdue_checked}> {l_overdue}</label></div>
<div class="f actions"><button type="submit">{apply}</button><a href="/problems">{reset}</a></div></form>
{table}<nav class="pager">{pager}</nav>{raise}
<section class="panel" aria-labelledby="stats-h"><h2 id="stats-h">{h_stats}</h2><div class="table-wrap"><table class="problem-stats"><thead><tr><th scope="col">{c_unit}</th><th scope="col">{c_raised}</th><th scope="col">{c_closed}</th><th scope="col">{c_open}</th><th scope="col">{c_overdue}</th><th scope="col">{c_rate}</th><th scope="col">{c_days}</th></tr></thead><tbody>{stat_rows}</tbody></table></div></section>"#,
        h = t("service.problems.title"),
        total = esc(&tf(
            cx.lang,
            "service.problems.total",
            &[("n", &page.total.to_string()), ("date", &today.to_string())]
        )),
        to_lists = t("service.lists.title"),
        fq = esc(&fq),
        export = t("service.export_xlsx"),
        to_ent = t("service.enterprises.title"),
        l_q = t("service.filter.text"),
        v_q = esc(val(&q.q)),
        l_unit = t("service.col.unit"),
        o_unit = options(&units, val(&q.unit), Some(t("service.filter.any"))),
        l_status = t("service.col.state"),
        o_status = options(&states, val(&q.status), Some(t("service.filter.any"))),
        l_source = t("service.col.source"),
        o_source = options(&sources, val(&q.source), Some(t("service.filter.any"))),
        overdue_checked = if filter.overdue { " checked" } else { "" },
        l_overdue = t("service.filter.overdue"),
        apply = t("service.filter.apply"),
        reset = t("service.filter.reset"),
        table = problem_rows(&cx, &page.items),
        raise = raise_section(&cx, &units, val(&q.project)),
        h_stats = esc(&tf(cx.lang, "service.stats.title", &[("year", &year.to_string())])),
        c_unit = t("service.col.unit"),
        c_raised = t("service.stats.raised"),
        c_closed = t("service.stats.closed"),
        c_open = t("service.stats.open"),
        c_overdue = t("service.stats.overdue"),
        c_rate = t("service.stats.rate"),
        c_days = t("service.stats.days"),
    );
    Ok(layout_legacy(&cx, t("service.problems.title"), &body, &[]))
}

/// The form to raise a problem (from a project or node by number, or on its own), for those
/// who may raise one for their unit.
fn raise_section(cx: &Ctx, units: &[(String, String)], project: &str) -> String {
    if svc::may_raise(&cx.auth.actor, &[cx.auth.user.unit_id]).is_err() {
        return String::new();
    }
    let t = |k: &str| cx.t(k);
    let cats: Vec<(String, String)> = CATEGORIES.iter().map(|c| (c.to_string(), c.to_string())).collect();
    format!(
        r#"<section class="panel" id="raise" aria-labelledby="raise-h"><h2 id="raise-h">{h}</h2>
<form method="post" action="/problems" class="service-form">{csrf}
<div class="f"><label for="r-cat">{l_cat}</label><select id="r-cat" name="category">{o_cat}</select></div>
<div class="f wide"><label for="r-desc">{l_desc}</label><textarea id="r-desc" name="description" rows="2" required maxlength="2000"></textarea></div>
<div class="f"><label for="r-unit">{l_unit}</label><select id="r-unit" name="unit_id">{o_unit}</select></div>
<div class="f"><label for="r-deadline">{l_deadline}</label><input id="r-deadline" name="deadline" type="date"></div>
<div class="f"><label for="r-project">{l_project}</label><input id="r-project" name="project_id" inputmode="numeric" size="6" value="{project}"></div>
<div class="f"><label for="r-node">{l_node}</label><input id="r-node" name="node_id" inputmode="numeric" size="6"></div>
<div class="f check"><label><input type="checkbox" name="blocks_node" value="1"> {l_blocks}</label></div>
<div class="f actions"><button type="submit">{save}</button></div></form></section>"#,
        h = t("service.raise.title"),
        csrf = csrf_field(&cx.auth),
        l_cat = t("service.col.category"),
        o_cat = options(&cats, "", None),
        l_desc = t("service.col.description"),
        l_unit = t("service.col.unit"),
        o_unit = options(units, &cx.auth.user.unit_id.to_string(), None),
        l_deadline = t("service.col.deadline"),
        l_project = t("service.raise.project_id"),
        project = esc(project),
        l_node = t("service.raise.node_id"),
        l_blocks = t("service.raise.blocks"),
        save = t("service.save"),
    )
}

#[derive(Deserialize)]
struct RaiseForm {
    category: String,
    description: String,
    unit_id: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    node_id: String,
    blocks_node: Option<String>,
}

async fn raise_form(State(st): State<AppState>, a: Auth, Form(f): Form<RaiseForm>) -> Response {
    let r = async {
        let num = |s: &str, what: &str| -> Result<Option<i64>, ApiError> {
            match s.trim() {
                "" => Ok(None),
                s => s
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| ApiError::bad_request("invalid_field", format!("{what}无效：应为数字编号"))),
            }
        };
        let body = RaiseBody {
            category: f.category.clone(),
            description: f.description.clone(),
            unit_id: num(&f.unit_id, "责任单位")?.ok_or_else(|| ApiError::bad_request("invalid_field", "请选择责任单位"))?,
            deadline: Some(f.deadline.clone()),
            project_id: num(&f.project_id, "项目编号")?,
            node_id: num(&f.node_id, "节点编号")?,
            report_id: None,
            blocks_node: f.blocks_node.is_some(),
            external_id: None,
        };
        do_raise(&st, &a, body).await
    }
    .await;
    match r {
        Ok(p) => Redirect::to(&format!("/problems/{}?ok=service.flash.raised", p.item.id)).into_response(),
        Err(e) => back("/problems", Err(e)),
    }
}

async fn lists_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<StatsQuery>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let l = monthly(&st, &cx.auth, &q.month).await.map_err(cx.err())?;
    let month = format!("{}-{:02}", l.year, l.month);
    let sections: String = l
        .lists
        .iter()
        .map(|(kind, items)| {
            format!(
                r#"<section class="panel" id="list-{code}"><h2>{name} <small>{n}</small></h2>{rows}</section>"#,
                code = kind.code(),
                name = cx.t(&format!("service.list.{}", kind.code())),
                n = esc(&tf(cx.lang, "service.lists.count", &[("n", &items.len().to_string())])),
                rows = problem_rows(&cx, items),
            )
        })
        .collect();
    let body = format!(
        r#"<p class="crumbs"><a href="/problems">{back}</a></p><div class="page-head"><div><h1>{h}</h1><p class="sub">{month}</p></div>
<form class="chooser" method="get" action="/problems/lists"><label for="l-month">{l_month}</label><input id="l-month" name="month" type="month" value="{month}"><button type="submit">{apply}</button></form>
<p class="links"><a href="/api/v1/problems/lists.xlsx?month={month}">{export}</a></p></div>{sections}"#,
        back = t("service.problems.title"),
        h = t("service.lists.title"),
        l_month = t("service.lists.month"),
        apply = t("service.filter.apply"),
        export = t("service.export_xlsx"),
    );
    Ok(layout_legacy(&cx, t("service.lists.title"), &body, &[]))
}

async fn problem_page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let p = load_problem(&st, &cx.auth, id).await.map_err(cx.err())?;
    let item = &p.item;
    let link = |r: &Option<zhantu_store::NamedRef>, base: &str| {
        r.as_ref()
            .map(|r| format!(r#"<a href="{base}/{}">{}</a>"#, r.id, esc(&r.name)))
            .unwrap_or_else(|| "—".into())
    };
    let fact = |k: &str, v: String| format!("<div><dt>{}</dt><dd>{v}</dd></div>", t(k));
    let facts = [
        fact("service.col.state", badges(&cx, item)),
        fact("service.col.category", esc(&item.category)),
        fact(
            "service.col.source",
            cx.t(&format!("service.source.{}", item.source.code())).to_string(),
        ),
        fact("service.col.unit", esc(&item.unit.name)),
        fact("service.col.raised", item.raised_on.to_string()),
        fact("service.col.deadline", item.deadline.to_string()),
        fact("service.col.project", link(&item.project, "/projects")),
        fact("service.col.node", esc(item.node.as_ref().map(|n| n.name.as_str()).unwrap_or("—"))),
        fact("service.col.enterprise", link(&item.enterprise, "/enterprises")),
        fact(
            "service.col.blocking",
            if item.blocking_node_id.is_some() {
                t("service.yes")
            } else {
                t("service.no")
            }
            .to_string(),
        ),
        fact("service.col.resolution", esc(p.resolution.as_deref().unwrap_or("—"))),
        fact(
            "service.col.satisfaction",
            item.satisfaction.map(|s| format!("{s}/5")).unwrap_or_else(|| "—".into()),
        ),
        fact("service.col.level", esc(p.escalation_label)),
    ]
    .concat();
    let timeline: String = p
        .events
        .iter()
        .map(|e| {
            let mut extra = String::new();
            if let Some(u) = &e.unit {
                extra.push_str(&format!(" → {}", esc(&u.name)));
            }
            if let Some(d) = e.deadline {
                extra.push_str(&format!(" · {} {d}", t("service.col.deadline")));
            }
            format!(
                r#"<li><time>{at}</time> <strong>{kind}</strong> <span class="who">{actor}</span>{extra}{note}</li>"#,
                at = esc(&zhantu_store::beijing_time(&e.at)),
                kind = cx.t(&format!("service.event.{}", e.kind)),
                actor = esc(&e.actor),
                note = if e.note.is_empty() {
                    String::new()
                } else {
                    format!("<p>{}</p>", esc(&e.note))
                },
            )
        })
        .collect();
    // Problems loaded from a spreadsheet or the demo carry dates but no history entries.
    let timeline = if p.events.is_empty() {
        let mut s = format!(
            "<li><time>{}</time> <strong>{}</strong></li>",
            item.raised_on,
            t("service.event.raise")
        );
        if let Some(d) = item.resolved_on {
            s.push_str(&format!(
                "<li><time>{d}</time> <strong>{}</strong></li>",
                t("service.event.resolve")
            ));
        }
        if let Some(d) = item.closed_on {
            s.push_str(&format!("<li><time>{d}</time> <strong>{}</strong></li>", t("service.event.close")));
        }
        s
    } else {
        timeline
    };
    let steps = svc::available_steps(&cx.auth.actor, item.state, item.unit.id);
    let csrf = csrf_field(&cx.auth);
    let mut forms = String::new();
    let head = |step: Step| {
        format!(
            r#"<form method="post" action="/problems/{id}/act" class="service-form step-{code}"><h3>{title}</h3>{csrf}<input type="hidden" name="step" value="{code}"><input type="hidden" name="version" value="{v}">"#,
            code = step.code(),
            title = cx.t(&format!("service.step.{}", step.code())),
            v = item.version,
        )
    };
    let submit = format!(
        r#"<div class="f actions"><button type="submit">{}</button></div></form>"#,
        t("service.save")
    );
    for s in &steps {
        forms.push_str(&head(*s));
        match s {
            Step::Assign => {
                let units = unit_choices(&st).await?;
                forms.push_str(&format!(
                    r#"<div class="f"><label for="a-unit">{}</label><select id="a-unit" name="unit_id">{}</select></div><div class="f"><label for="a-deadline">{}</label><input id="a-deadline" name="deadline" type="date" value="{}"></div><div class="f wide"><label for="a-note">{}</label><textarea id="a-note" name="note" rows="2"></textarea></div>"#,
                    t("service.col.unit"),
                    options(&units, &item.unit.id.to_string(), None),
                    t("service.col.deadline"),
                    item.deadline,
                    t("service.col.note"),
                ));
            }
            Step::Resolve => forms.push_str(&format!(
                r#"<div class="f wide"><label for="r-text">{}</label><textarea id="r-text" name="note" rows="3" required></textarea></div>"#,
                t("service.col.resolution")
            )),
            Step::Callback => forms.push_str(&format!(
                r#"<fieldset><legend>{}</legend><label><input type="radio" name="satisfied" value="true" checked> {}</label> <label><input type="radio" name="satisfied" value="false"> {}</label></fieldset><div class="f"><label for="c-score">{}</label><select id="c-score" name="satisfaction"><option value="5">5</option><option value="4">4</option><option value="3">3</option><option value="2">2</option><option value="1">1</option></select></div><div class="f"><label for="c-deadline">{}</label><input id="c-deadline" name="deadline" type="date"></div><div class="f wide"><label for="c-note">{}</label><textarea id="c-note" name="note" rows="2"></textarea></div>"#,
                t("service.callback.result"),
                t("service.callback.satisfied"),
                t("service.callback.unsatisfied"),
                t("service.col.satisfaction"),
                t("service.callback.new_deadline"),
                t("service.col.note"),
            )),
            Step::Close | Step::Comment => forms.push_str(&format!(
                r#"<div class="f wide"><label for="n-{code}">{}</label><textarea id="n-{code}" name="note" rows="2"{req}></textarea></div>"#,
                t("service.col.note"),
                code = s.code(),
                req = if *s == Step::Comment { " required" } else { "" },
            )),
        }
        forms.push_str(&submit);
    }
    if forms.is_empty() {
        forms = format!(r#"<p class="empty">{}</p>"#, t("service.no_actions"));
    }
    let body = format!(
        r#"<p class="crumbs"><a href="/problems">{back}</a></p><h1>#{id} {desc}</h1>{flash}<dl class="facts">{facts}</dl>
<div class="grid2"><section class="panel"><h2>{h_actions}</h2>{forms}</section><section class="panel"><h2>{h_history}</h2><ol class="timeline">{timeline}</ol></section></div>"#,
        back = t("service.problems.title"),
        desc = esc(&item.description.chars().take(50).collect::<String>()),
        flash = f.show(&cx, &["service."]),
        h_actions = t("service.actions"),
        h_history = t("service.history"),
    );
    Ok(layout_legacy(&cx, &format!("#{id}"), &body, &[]))
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

async fn act_form(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<ActForm>) -> Response {
    let to = format!("/problems/{id}");
    let r = async {
        let step = Step::from_code(f.step.trim()).ok_or_else(|| ApiError::bad_request("invalid_field", "未知的办理步骤"))?;
        let num = |s: &str, what: &str| -> Result<Option<i64>, ApiError> {
            match s.trim() {
                "" => Ok(None),
                s => s
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| ApiError::bad_request("invalid_field", format!("{what}无效"))),
            }
        };
        let body = StepBody {
            version: num(&f.version, "版本号")?,
            unit_id: num(&f.unit_id, "单位")?,
            deadline: Some(f.deadline.clone()),
            note: f.note.clone(),
            resolution: String::new(),
            text: String::new(),
            satisfied: match f.satisfied.trim() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            satisfaction: num(&f.satisfaction, "满意度")?,
        };
        do_step(&st, &a, id, step, &body).await
    }
    .await;
    back(&to, r.map(|_| "service.flash.step_saved"))
}
