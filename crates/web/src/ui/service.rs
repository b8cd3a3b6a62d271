//! The pages of 三服务 and the problem list: the enterprise register (`/enterprises`), one
//! enterprise with its visits and a form to record a visit whose finding becomes a problem
//! (`/enterprises/{id}`), the problem list with figures by unit (`/problems`), the monthly
//! three lists (`/problems/lists`) and one problem with its history and the steps the reader
//! may take (`/problems/{id}`). Forms post back with the CSRF field; the work is done by the
//! same functions as the JSON API.

use crate::page::i18n::tf;
use super::{Ctx, PageError, layout_legacy, pct, query_string};
use crate::AppState;
use crate::auth::{Auth, Via};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::esc;
use crate::service_api::{
    EnterpriseQuery, FindingBody, ProblemQuery, RaiseBody, StatsQuery, StepBody, VisitBody, do_raise, do_record_visit, do_step,
    load_problem, monthly, scope, unit_stats,
};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_domain::problems::{self as svc, LoopState, Source, Step};
use zhantu_store::enterprises::VisitFilter;
use zhantu_store::problems::{ProblemFilter, ProblemItem};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(enterprises_page))
        .route("/enterprises/{id}", get(enterprise_page))
        .route("/enterprises/{id}/visits", post(visit_form))
        .route("/problems", get(problems_page).post(raise_form))
        .route("/problems/lists", get(lists_page))
        .route("/problems/{id}", get(problem_page))
        .route("/problems/{id}/act", post(act_form))
}

fn pe(cx: &Ctx) -> impl Fn(ApiError) -> PageError + '_ {
    move |e| PageError(e, cx.lang)
}

fn hidden_csrf(a: &Auth) -> String {
    let token = match &a.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    };
    format!(r#"<input type="hidden" name="csrf_token" value="{}">"#, esc(token))
}

#[derive(Deserialize, Default)]
struct Flash {
    ok: Option<String>,
    error: Option<String>,
}

fn flash(cx: &Ctx, f: &Flash) -> String {
    match (&f.ok, &f.error) {
        (_, Some(e)) => format!(r#"<p class="error" role="alert">{}</p>"#, esc(e)),
        // `ok` carries a translation key, never text from the URL.
        (Some(k), _) if k.starts_with("service.") => format!(r#"<p class="ok" role="status">{}</p>"#, esc(cx.t(k))),
        _ => String::new(),
    }
}

/// After a form: back to the page with a message; a refusal other than bad input (no right, a
/// stale version) answers with its own status and a page saying why.
fn back(to: &str, result: Result<&str, ApiError>) -> Response {
    let q = match result {
        Ok(k) => format!("ok={}", crate::guard::urlencode(k)),
        Err(e) if e.status == StatusCode::BAD_REQUEST => format!("error={}", crate::guard::urlencode(&e.message)),
        Err(e) => {
            let page = format!(
                r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>操作未完成 · 战图</title><link rel="stylesheet" href="/assets/app.css"></head><body><main><h1>操作未完成</h1><p class="error" role="alert">{}</p><p><a href="{}">返回</a></p></main></body></html>"#,
                esc(&e.message),
                esc(to)
            );
            return (e.status, Html(page)).into_response();
        }
    };
    Redirect::to(&format!("{to}?{q}")).into_response()
}

fn val(o: &Option<String>) -> &str {
    o.as_deref().map(str::trim).unwrap_or("")
}

fn options(choices: &[(String, String)], selected: &str, any: Option<&str>) -> String {
    any.map(|a| format!(r#"<option value="">{a}</option>"#))
        .into_iter()
        .chain(choices.iter().map(|(v, label)| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                esc(v),
                if v == selected { " selected" } else { "" },
                esc(label)
            )
        }))
        .collect()
}

async fn unit_choices(st: &AppState) -> Result<Vec<(String, String)>, PageError> {
    Ok(st
        .store
        .filter_choices()
        .await?
        .units
        .iter()
        .map(|u| (u.id.to_string(), format!("{}{}", "　".repeat(u.depth as usize), u.name)))
        .collect())
}

fn state_label(cx: &Ctx, s: LoopState) -> &'static str {
    cx.t(&format!("service.state.{}", s.code()))
}

/// The state, with overdue and escalation badges (words, not colour alone).
fn badges(cx: &Ctx, p: &ProblemItem) -> String {
    let mut s = format!(
        r#"<span class="pstate pstate-{}">{}</span>"#,
        p.state.code(),
        state_label(cx, p.state)
    );
    if p.overdue {
        s.push_str(&format!(
            r#" <span class="pbadge overdue">{}</span>"#,
            esc(&tf(cx.lang, "service.overdue_days", &[("n", &p.overdue_days.to_string())]))
        ));
    }
    if p.escalation_level > 0 {
        s.push_str(&format!(
            r#" <span class="pbadge level">{}</span>"#,
            esc(&tf(cx.lang, "service.level_n", &[("n", &p.escalation_level.to_string())]))
        ));
    }
    s
}

fn problem_rows(cx: &Ctx, items: &[ProblemItem]) -> String {
    let t = |k: &str| cx.t(k);
    if items.is_empty() {
        return format!(r#"<p class="empty">{}</p>"#, t("service.no_problems"));
    }
    let rows: String = items
        .iter()
        .map(|p| {
            let about = p
                .project
                .as_ref()
                .map(|r| format!(r#"<a href="/projects/{}">{}</a>"#, r.id, esc(&r.name)))
                .or_else(|| p.enterprise.as_ref().map(|r| format!(r#"<a href="/enterprises/{}">{}</a>"#, r.id, esc(&r.name))))
                .unwrap_or_else(|| "—".into());
            format!(
                r#"<tr><td class="num"><a href="/problems/{id}">#{id}</a></td><td>{cat}</td><th scope="row"><a href="/problems/{id}">{desc}</a></th><td>{src}</td><td>{about}</td><td>{unit}</td><td>{raised}</td><td>{deadline}</td><td>{state}</td></tr>"#,
                id = p.id,
                cat = esc(&p.category),
                desc = esc(&p.description.chars().take(60).collect::<String>()),
                src = cx.t(&format!("service.source.{}", p.source.code())),
                unit = esc(&p.unit.name),
                raised = p.raised_on,
                deadline = p.deadline,
                state = badges(cx, p),
            )
        })
        .collect();
    format!(
        r#"<div class="table-wrap"><table class="problems"><thead><tr><th scope="col">{c_id}</th><th scope="col">{c_cat}</th><th scope="col">{c_desc}</th><th scope="col">{c_src}</th><th scope="col">{c_about}</th><th scope="col">{c_unit}</th><th scope="col">{c_raised}</th><th scope="col">{c_deadline}</th><th scope="col">{c_state}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
        c_id = t("service.col.id"),
        c_cat = t("service.col.category"),
        c_desc = t("service.col.description"),
        c_src = t("service.col.source"),
        c_about = t("service.col.about"),
        c_unit = t("service.col.unit"),
        c_raised = t("service.col.raised"),
        c_deadline = t("service.col.deadline"),
        c_state = t("service.col.state"),
    )
}

// ---------------------------------------------------------------- enterprises

#[derive(Deserialize, Default)]
struct EnterprisesPageQuery {
    #[serde(flatten)]
    q: EnterpriseQuery,
}

async fn enterprises_page(State(st): State<AppState>, cx: Ctx, Query(pq): Query<EnterprisesPageQuery>) -> Result<Html<String>, PageError> {
    let q = pq.q;
    let t = |k: &str| cx.t(k);
    let mut filter = q.filter(100).map_err(pe(&cx))?;
    filter.limit = filter.limit.min(500);
    let page = st.store.list_enterprises(&filter).await?;
    let tags: Vec<(String, String)> = st
        .store
        .enterprise_tags()
        .await?
        .into_iter()
        .map(|(tag, n)| (tag.clone(), format!("{tag}（{n}）")))
        .collect();
    let pairs = [("q", val(&q.q)), ("tag", val(&q.tag)), ("industry", val(&q.industry))];
    let fq = query_string(&pairs);
    let rows: String = page
        .items
        .iter()
        .map(|e| {
            format!(
                r#"<tr><th scope="row"><a href="/enterprises/{id}">{name}</a></th><td><code>{code}</code></td><td>{ind}</td><td>{tags}</td><td class="num">{visits}</td><td class="num">{problems}</td><td class="num">{open}</td></tr>"#,
                id = e.id,
                name = esc(&e.name),
                code = esc(&e.credit_code),
                ind = esc(e.industry_code.as_deref().unwrap_or("—")),
                tags = e
                    .tags
                    .iter()
                    .map(|t| format!(r#"<span class="etag">{}</span>"#, esc(t)))
                    .collect::<String>(),
                visits = e.visits,
                problems = e.problems,
                open = e.open_problems,
            )
        })
        .collect();
    let mut pager = String::new();
    if filter.offset + filter.limit < page.total {
        let next = (filter.offset + filter.limit).to_string();
        let mut with = pairs.to_vec();
        with.push(("offset", &next));
        pager = format!(
            r#"<a rel="next" href="/enterprises{}">{}</a>"#,
            esc(&query_string(&with)),
            t("service.next_page")
        );
    }
    let body = format!(
        r#"<div class="page-head"><div><h1>{h}</h1><p class="sub">{total}</p></div><p class="links"><a href="/api/v1/enterprises.xlsx{fq}">{export}</a> · <a href="/api/v1/visits.xlsx">{export_visits}</a> · <a href="/problems">{to_problems}</a></p></div>
<form class="filters" method="get" action="/enterprises" role="search"><div class="f"><label for="e-q">{l_q}</label><input id="e-q" name="q" type="search" value="{v_q}"></div>
<div class="f"><label for="e-tag">{l_tag}</label><select id="e-tag" name="tag">{o_tag}</select></div>
<div class="f"><label for="e-ind">{l_ind}</label><input id="e-ind" name="industry" value="{v_ind}" size="6"></div>
<div class="f actions"><button type="submit">{apply}</button><a href="/enterprises">{reset}</a></div></form>
<div class="table-wrap"><table class="enterprises"><thead><tr><th scope="col">{c_name}</th><th scope="col">{c_code}</th><th scope="col">{c_ind}</th><th scope="col">{c_tags}</th><th scope="col">{c_visits}</th><th scope="col">{c_problems}</th><th scope="col">{c_open}</th></tr></thead><tbody>{rows}</tbody></table></div>
<nav class="pager">{pager}</nav>"#,
        h = t("service.enterprises.title"),
        total = esc(&tf(cx.lang, "service.enterprises.total", &[("n", &page.total.to_string())])),
        fq = esc(&fq),
        export = t("service.export_xlsx"),
        export_visits = t("service.export_visits"),
        to_problems = t("service.problems.title"),
        l_q = t("service.filter.text"),
        v_q = esc(val(&q.q)),
        l_tag = t("service.filter.tag"),
        o_tag = options(&tags, val(&q.tag), Some(t("service.filter.any"))),
        l_ind = t("service.filter.industry"),
        v_ind = esc(val(&q.industry)),
        apply = t("service.filter.apply"),
        reset = t("service.filter.reset"),
        c_name = t("service.col.enterprise"),
        c_code = t("service.col.credit_code"),
        c_ind = t("service.col.industry"),
        c_tags = t("service.col.tags"),
        c_visits = t("service.col.visits"),
        c_problems = t("service.col.problems"),
        c_open = t("service.col.open_problems"),
    );
    Ok(layout_legacy(&cx, t("service.enterprises.title"), &body, &[]))
}

/// Problem categories offered on the visit form (PRACTICE.md §5.1).
const CATEGORIES: &[&str] = &[
    "用地",
    "资金",
    "审批",
    "政策处理",
    "水电气",
    "人才/用工",
    "规划",
    "环保能耗",
    "施工条件",
    "其他",
];

async fn enterprise_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let e = match st.store.enterprise(id).await {
        Err(zhantu_store::StoreError::NotFound) => {
            return Err(PageError(
                ApiError::not_found(format!("{} {id}", t("service.no_enterprise"))),
                cx.lang,
            ));
        }
        other => other?,
    };
    let today = st.store.as_of().await?;
    let visits = st
        .store
        .list_visits(&VisitFilter {
            enterprise_id: Some(id),
            within_units: scope(&cx.auth.actor),
            limit: 200,
            ..Default::default()
        })
        .await?;
    let problems = st
        .store
        .list_problems(
            &ProblemFilter {
                enterprise_id: Some(id),
                within_units: scope(&cx.auth.actor),
                limit: 200,
                ..Default::default()
            },
            today,
        )
        .await?;
    let visit_rows: String = visits
        .items
        .iter()
        .map(|v| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                v.visited_on,
                esc(&v.visitor),
                esc(&v.unit.name),
                esc(&v.findings),
                v.problems
            )
        })
        .collect();
    let visits_html = if visits.items.is_empty() {
        format!(r#"<p class="empty">{}</p>"#, t("service.no_visits"))
    } else {
        format!(
            r#"<div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{visit_rows}</tbody></table></div>"#,
            t("service.col.visited_on"),
            t("service.col.visitor"),
            t("service.col.visit_unit"),
            t("service.col.findings"),
            t("service.col.problems"),
        )
    };
    let form = if cx
        .auth
        .actor
        .may(Action::Edit {
            unit_id: cx.auth.user.unit_id,
        })
        .is_ok()
    {
        let units = unit_choices(&st).await?;
        let cats: Vec<(String, String)> = CATEGORIES.iter().map(|c| (c.to_string(), c.to_string())).collect();
        format!(
            r#"<section class="panel" aria-labelledby="visit-h"><h2 id="visit-h">{h}</h2>
<form method="post" action="/enterprises/{id}/visits" class="service-form">{csrf}
<div class="f"><label for="v-date">{l_date}</label><input id="v-date" name="visited_on" type="date" value="{today}" required></div>
<div class="f"><label for="v-who">{l_who}</label><input id="v-who" name="visitor_name" value="{who}" maxlength="40"></div>
<div class="f wide"><label for="v-findings">{l_findings}</label><textarea id="v-findings" name="findings" rows="3" required maxlength="4000"></textarea></div>
<fieldset><legend>{l_problem}</legend><p class="hint">{hint}</p>
<div class="f"><label for="v-cat">{l_cat}</label><select id="v-cat" name="category">{o_cat}</select></div>
<div class="f wide"><label for="v-desc">{l_desc}</label><textarea id="v-desc" name="description" rows="2" maxlength="2000"></textarea></div>
<div class="f"><label for="v-unit">{l_unit}</label><select id="v-unit" name="unit_id">{o_unit}</select></div>
<div class="f"><label for="v-deadline">{l_deadline}</label><input id="v-deadline" name="deadline" type="date"></div></fieldset>
<div class="f actions"><button type="submit">{save}</button></div></form></section>"#,
            h = t("service.visit.record"),
            csrf = hidden_csrf(&cx.auth),
            l_date = t("service.col.visited_on"),
            l_who = t("service.col.visitor"),
            who = esc(&cx.auth.user.display_name),
            l_findings = t("service.col.findings"),
            l_problem = t("service.visit.finding_problem"),
            hint = t("service.visit.finding_hint"),
            l_cat = t("service.col.category"),
            o_cat = options(&cats, "", Some(t("service.visit.no_problem"))),
            l_desc = t("service.col.description"),
            l_unit = t("service.col.unit"),
            o_unit = options(&units, &cx.auth.user.unit_id.to_string(), None),
            l_deadline = t("service.col.deadline"),
            save = t("service.save"),
        )
    } else {
        String::new()
    };
    let body = format!(
        r#"<p class="crumbs"><a href="/enterprises">{back}</a></p><h1>{name}</h1>{flash}
<dl class="facts"><div><dt>{l_code}</dt><dd><code>{code}</code></dd></div><div><dt>{l_ind}</dt><dd>{ind}</dd></div><div><dt>{l_tags}</dt><dd>{tags}</dd></div><div><dt>{l_visits}</dt><dd>{nv}</dd></div><div><dt>{l_problems}</dt><dd>{np}</dd></div></dl>
{form}<section class="panel"><h2>{h_visits}</h2>{visits_html}</section><section class="panel"><h2>{h_problems}</h2>{problems_html}</section>"#,
        back = t("service.enterprises.title"),
        name = esc(&e.name),
        flash = flash(&cx, &f),
        l_code = t("service.col.credit_code"),
        code = esc(&e.credit_code),
        l_ind = t("service.col.industry"),
        ind = esc(e.industry_code.as_deref().unwrap_or("—")),
        l_tags = t("service.col.tags"),
        tags = if e.tags.is_empty() {
            "—".to_string()
        } else {
            esc(&e.tags.join("、"))
        },
        l_visits = t("service.col.visits"),
        nv = e.visits,
        l_problems = t("service.col.problems"),
        np = e.problems,
        h_visits = t("service.visits.title"),
        h_problems = t("service.problems.title"),
        problems_html = problem_rows(&cx, &problems.items),
    );
    Ok(layout_legacy(&cx, &e.name, &body, &[]))
}

#[derive(Deserialize)]
struct VisitForm {
    visited_on: String,
    #[serde(default)]
    visitor_name: String,
    findings: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    deadline: String,
}

async fn visit_form(State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<VisitForm>) -> Response {
    let to = format!("/enterprises/{id}");
    let r = async {
        let mut problems = Vec::new();
        if !f.category.trim().is_empty() || !f.description.trim().is_empty() {
            let unit_id = f
                .unit_id
                .trim()
                .parse::<i64>()
                .map_err(|_| ApiError::bad_request("invalid_field", "请选择问题的责任单位"))?;
            problems.push(FindingBody {
                category: f.category.clone(),
                description: f.description.clone(),
                unit_id,
                deadline: Some(f.deadline.clone()),
            });
        }
        let body = VisitBody {
            enterprise_id: id,
            visited_on: f.visited_on.clone(),
            visitor_id: None,
            visitor_name: f.visitor_name.clone(),
            unit_id: None,
            findings: f.findings.clone(),
            problems,
        };
        do_record_visit(&st, &a, &body).await
    }
    .await;
    back(
        &to,
        r.map(|(_, p)| {
            if p.is_empty() {
                "service.flash.visit_saved"
            } else {
                "service.flash.visit_problem_saved"
            }
        }),
    )
}

// ---------------------------------------------------------------- problems

async fn problems_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ProblemQuery>) -> Result<Html<String>, PageError> {
    let t = |k: &str| cx.t(k);
    let today = st.store.as_of().await?;
    let mut filter = q.filter(&cx.auth.actor, 100).map_err(pe(&cx))?;
    filter.limit = filter.limit.min(500);
    let page = st.store.list_problems(&filter, today).await?;
    let (year, stats) = unit_stats(&st, &cx.auth, &None).await.map_err(pe(&cx))?;
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
        csrf = hidden_csrf(&cx.auth),
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
    let l = monthly(&st, &cx.auth, &q.month).await.map_err(pe(&cx))?;
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
    let p = load_problem(&st, &cx.auth, id).await.map_err(pe(&cx))?;
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
    let csrf = hidden_csrf(&cx.auth);
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
        flash = flash(&cx, &f),
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
