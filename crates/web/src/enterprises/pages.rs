//! The pages of the enterprise register (三服务): the register (`/enterprises`), and one
//! enterprise with its visits, its problems and a form to record a visit whose finding becomes
//! a problem (`/enterprises/{id}`). The form does its work with the JSON API's function.

use super::api::{EnterpriseQuery, FindingBody, VisitBody, do_record_visit};
use crate::page::problem_table::problem_rows;
use crate::page::select::{PROBLEM_CATEGORIES as CATEGORIES, options, unit_choices, val};
use crate::AppState;
use crate::access::scope;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::page::esc;
use crate::page::i18n::tf;
use crate::page::{Ctx, Flash, PageError, back, csrf_field, layout_legacy, query_string};
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_store::service::{ProblemFilter, VisitFilter};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(enterprises_page))
        .route("/enterprises/{id}", get(enterprise_page))
        .route("/enterprises/{id}/visits", post(visit_form))
}

#[derive(Deserialize, Default)]
struct EnterprisesPageQuery {
    #[serde(flatten)]
    q: EnterpriseQuery,
}

async fn enterprises_page(State(st): State<AppState>, cx: Ctx, Query(pq): Query<EnterprisesPageQuery>) -> Result<Html<String>, PageError> {
    let q = pq.q;
    let t = |k: &str| cx.t(k);
    let mut filter = q.filter(100).map_err(cx.err())?;
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
            csrf = csrf_field(&cx.auth),
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
        flash = f.show(&cx, &["service."]),
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
