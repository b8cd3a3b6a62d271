//! The pages of the enterprise register (三服务): the register (`/enterprises`), and one
//! enterprise with its visits, its problems and a form to record a visit whose finding becomes
//! a problem (`/enterprises/{id}`), and the visits of a period in the reader's units
//! (`/enterprises/visits?from=&to=`, which the cockpit's visit count opens). The form does its
//! work with the JSON API's function.

use super::api::{EnterpriseQuery, FindingBody, VisitBody, VisitQuery, do_record_visit, visits_and_problems};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::fields::form_number;
use crate::page::problem_table::problem_table;
use crate::page::select::{category_options, choice_options, unit_choices, val};
use crate::page::{Ctx, Flash, Markup, PageError, back, csrf_field, layout, next_page, query_string, tf};
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::access::Action;
use zhantu_store::enterprises::EnterpriseItem;
use zhantu_store::enterprises::VisitItem;

pub fn router() -> Routes {
    Routes::new()
        .route("/enterprises", get(enterprises_page))
        .route("/enterprises/visits", get(visits_page))
        .route("/enterprises/{id}", get(enterprise_page))
        .route("/enterprises/{id}/visits", post(visit_form))
}

#[derive(Deserialize, Default)]
struct EnterprisesPageQuery {
    #[serde(flatten)]
    q: EnterpriseQuery,
}

#[derive(Template)]
#[template(path = "enterprises/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    total: String,
    filter_query: String,
    q: &'a str,
    industry: &'a str,
    tag_options: Markup,
    items: &'a [EnterpriseItem],
    next_page: Option<String>,
}

async fn enterprises_page(State(st): State<AppState>, cx: Ctx, Query(pq): Query<EnterprisesPageQuery>) -> Result<Html<String>, PageError> {
    let q = pq.q;
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
    let next_page = next_page("/enterprises", &pairs, filter.offset, filter.limit, page.total);
    let body = Markup::of(&ListPage {
        cx: &cx,
        total: tf(cx.lang, "service.enterprises.total", &[("n", &page.total.to_string())]),
        filter_query: query_string(&pairs),
        q: val(&q.q),
        industry: val(&q.industry),
        tag_options: choice_options(&tags, val(&q.tag), Some(cx.t("service.filter.any"))),
        items: &page.items,
        next_page,
    });
    Ok(layout(&cx, cx.t("service.enterprises.title"), body, &[]))
}

#[derive(Template)]
#[template(path = "enterprises/visits.html")]
struct VisitsPage<'a> {
    cx: &'a Ctx,
    /// What the list counts: the period's visits, or all of them.
    total: String,
    total_n: i64,
    /// The reader sees their units' visits only.
    scoped: bool,
    export_query: String,
    items: &'a [VisitItem],
    next_page: Option<String>,
}

/// `/enterprises/visits?from=2019-01-01&to=2019-06-30`: the visits made in a period (all when
/// none is given), newest first, by the reader's units (everyone's for district-wide readers):
/// the list the cockpit's count of visits opens, stating its total.
async fn visits_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<VisitQuery>) -> Result<Html<String>, PageError> {
    let mut filter = q.filter(&cx.auth.actor, 100).map_err(cx.err())?;
    filter.limit = filter.limit.min(500);
    let page = st.store.list_visits(&filter).await?;
    let n = page.total.to_string();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "…".into());
    let total = match (filter.from, filter.to) {
        (None, None) => tf(cx.lang, "service.visits.total_all", &[("n", &n)]),
        (from, to) => tf(
            cx.lang,
            "service.visits.total_period",
            &[("from", &day(from)), ("to", &day(to)), ("n", &n)],
        ),
    };
    let pairs = [
        ("from", val(&q.from)),
        ("to", val(&q.to)),
        ("unit", val(&q.unit)),
        ("enterprise", val(&q.enterprise)),
    ];
    let next_page = next_page("/enterprises/visits", &pairs, filter.offset, filter.limit, page.total);
    let mut export = pairs.to_vec();
    export.push(("lang", cx.lang.code()));
    let body = Markup::of(&VisitsPage {
        cx: &cx,
        total,
        total_n: page.total,
        scoped: cx.scope().is_some(),
        export_query: query_string(&export),
        items: &page.items,
        next_page,
    });
    Ok(layout(&cx, cx.t("service.visits.list_title"), body, &[]))
}

/// The choices of the form recording a visit, for those who may record one.
struct VisitFormChoices {
    csrf: Markup,
    today: chrono::NaiveDate,
    categories: Markup,
    units: Markup,
}

#[derive(Template)]
#[template(path = "enterprises/detail.html")]
struct DetailPage<'a> {
    cx: &'a Ctx,
    e: &'a EnterpriseItem,
    flash: Markup,
    visit_form: Option<VisitFormChoices>,
    visits: &'a [VisitItem],
    problems: Markup,
}

async fn enterprise_page(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(f): Query<Flash>,
) -> Result<Html<String>, PageError> {
    let e = match st.store.enterprise(id).await {
        Err(zhantu_store::StoreError::NotFound) => {
            return Err(PageError(
                ApiError::not_found(format!("{} {id}", cx.t("service.no_enterprise"))),
                cx.lang,
            ));
        }
        other => other?,
    };
    let (visits, problems) = visits_and_problems(&st, &cx.auth.actor, id, 200).await?;
    let today = st.store.as_of().await?;
    let visit_form = if cx
        .auth
        .actor
        .may(Action::Edit {
            unit_id: cx.auth.user.unit_id,
        })
        .is_ok()
    {
        let units = unit_choices(&st).await?;
        Some(VisitFormChoices {
            csrf: csrf_field(&cx.auth),
            today,
            categories: category_options(cx.lang, Some(cx.t("service.visit.no_problem"))),
            units: choice_options(&units, &cx.auth.user.unit_id.to_string(), None),
        })
    } else {
        None
    };
    let body = Markup::of(&DetailPage {
        cx: &cx,
        e: &e,
        flash: f.show(&cx, &["service.flash."]),
        visit_form,
        visits: &visits.items,
        problems: problem_table(&cx, &problems.items),
    });
    Ok(layout(&cx, &e.name, body, &[]))
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

async fn visit_form(
    lang: crate::page::Lang,
    State(st): State<AppState>,
    a: Auth,
    IdPath(id): IdPath,
    Form(f): Form<VisitForm>,
) -> Response {
    let to = format!("/enterprises/{id}");
    let r = async {
        let mut problems = Vec::new();
        if !f.category.trim().is_empty() || !f.description.trim().is_empty() {
            problems.push(FindingBody {
                category: f.category.clone(),
                description: f.description.clone(),
                unit_id: form_number(&f.unit_id, "请选择问题的责任单位")?,
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
        lang,
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
