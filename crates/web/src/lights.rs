//! Lights (亮灯): the list of lit projects with every reason behind each light (`/lights`,
//! red by default; the cockpit's light counts open it), its JSON twin
//! `/api/v1/lights/list`, and the lights rolled up for the whole district
//! (`/api/v1/lights/board`). The project page's light history is drawn by
//! `panels::lights` (templates/lights/history.html).

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::page::filters::ListQuery;
use crate::page::{Ctx, Lang, Markup, PageError, layout, light_badge, light_label, query_string, stage_label};
use crate::query::ProjectsQuery;
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use serde_json::{Value, json};
use zhantu_domain::lights::Light;
use zhantu_store::{LitProject, ProjectFilter};

pub const MECHANISM: Mechanism = Mechanism {
    name: "lights",
    pages,
    api,
};

fn pages() -> Routes {
    Routes::new().route("/lights", get(list_page))
}

fn api() -> Routes {
    Routes::new().route("/lights/board", get(board)).route("/lights/list", get(list))
}

/// Lights rolled up node → project → unit (with the units below) → leader, for readers who
/// see the whole district.
async fn board(State(st): State<AppState>, a: Auth) -> Result<Json<zhantu_store::LightBoard>, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看全区亮灯汇总"));
    }
    Ok(Json(st.store.light_board().await?))
}

/// Red unless the query names another light: the list answers "which projects are red, and
/// why".
fn lit(mut f: ProjectFilter) -> ProjectFilter {
    f.light = Some(f.light.unwrap_or(Light::Red));
    f
}

/// `GET /lights/list?light=red&unit=…`: the lit projects the reader may see (the registry's
/// filters), each with its reasons in Chinese and English.
async fn list(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<ProjectsQuery>) -> Result<Json<Value>, ApiError> {
    let mut filter = lit(q.to_filter()?);
    if !a.actor.reads_all() {
        filter.within_units = Some(a.actor.unit_scope.clone());
    }
    let items = st.store.lit_projects(&filter).await?;
    Ok(Json(json!({ "light": filter.light, "total": items.len(), "items": items })))
}

struct Row<'a> {
    p: &'a LitProject,
    light: Markup,
    stage: &'static str,
    reasons: &'a [String],
}

#[derive(Template)]
#[template(path = "lights/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    title: String,
    total: String,
    total_n: usize,
    /// The filters' query string, for the registry and JSON links.
    filters: String,
    /// (href, label, current) of each light's list.
    tabs: Vec<(String, &'static str, bool)>,
    rows: Vec<Row<'a>>,
}

/// The reasons in the reader's language (Chinese where no English was kept).
fn reasons(lang: Lang, p: &LitProject) -> &[String] {
    match lang {
        Lang::En if !p.reasons_en.is_empty() => &p.reasons_en,
        _ => &p.reasons,
    }
}

async fn list_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let filter = lit(q.filter(&cx)?);
    let light = filter.light.unwrap_or(Light::Red);
    let items = st.store.lit_projects(&filter).await?;
    let lang = cx.lang;
    let mut pairs = q.pairs();
    pairs.retain(|(k, _)| *k != "light");
    let tabs = [Light::Red, Light::Yellow, Light::Green]
        .into_iter()
        .map(|l| {
            let mut with = pairs.clone();
            with.push(("light", l.code()));
            (format!("/lights{}", query_string(&with)), light_label(lang, l), l == light)
        })
        .collect();
    pairs.push(("light", light.code()));
    let rows = items
        .iter()
        .map(|p| Row {
            p,
            light: light_badge(lang, Some(p.light), None),
            stage: stage_label(lang, p.stage),
            reasons: reasons(lang, p),
        })
        .collect();
    // A past month's list says which month its lights are of.
    let title = match filter.light_month {
        None => cx.tf("lights.list_title", &[("light", light_label(lang, light))]),
        Some(m) => cx.tf(
            "lights.list_title_month",
            &[("light", light_label(lang, light)), ("month", &m.format("%Y-%m").to_string())],
        ),
    };
    let body = Markup::of(&ListPage {
        cx: &cx,
        total: cx.tf("lights.total", &[("n", &items.len().to_string())]),
        total_n: items.len(),
        title: title.clone(),
        filters: query_string(&pairs),
        tabs,
        rows,
    });
    Ok(layout(&cx, &title, body, &[]))
}
