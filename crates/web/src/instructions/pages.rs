//! The pages of 批示 and 督办单: the list (`/instructions`, filtered by state, kind, unit and
//! overdue; a unit's staff see their own), one item with its history and forms
//! (`/instructions/{id}`), and the forms: issuing one (posted from the project page) and the
//! steps. Forms do their work with the JSON API's functions.

use super::api::{IssueBody, ListQuery, StepBody, do_issue, do_step, load};
use crate::AppState;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::fields::form_opt_number;
use crate::page::select::{choice_options, unit_choices, val};
use crate::page::{Ctx, Flash, Markup, PageError, back, layout, next_page, tf};
use crate::panels;
use crate::routes::{Routes, get, post};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::{Html, Response};
use serde::Deserialize;
use zhantu_domain::instructions::{Kind, State as ItemState, Step};
use zhantu_store::instructions::InstructionItem;

pub fn router() -> Routes {
    Routes::new()
        .route("/instructions", get(list_page).post(issue_form))
        .route("/instructions/{id}", get(item_page))
        .route("/instructions/{id}/act", post(act_form))
}

/// One item of the list.
struct Row<'a> {
    i: &'a InstructionItem,
    kind: &'static str,
    state: &'static str,
    overdue: Option<String>,
    level: Option<String>,
}

#[derive(Template)]
#[template(path = "instructions/list.html")]
struct ListPage<'a> {
    cx: &'a Ctx,
    total: String,
    state_options: Markup,
    kind_options: Markup,
    unit_options: Markup,
    overdue: bool,
    rows: Vec<Row<'a>>,
    next_page: Option<String>,
}

async fn list_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let today = st.store.as_of().await?;
    let mut filter = q.filter(&cx.auth.actor, 100).map_err(cx.err())?;
    filter.limit = filter.limit.min(500);
    let page = st.store.list_instructions(&filter, today).await?;
    let any = Some(cx.t("instructions.filter.any"));
    let states: Vec<(String, String)> = std::iter::once(("open".to_string(), cx.t("instructions.filter.open").to_string()))
        .chain(
            ItemState::ALL
                .iter()
                .map(|s| (s.code().to_string(), cx.t(&format!("instructions.state.{}", s.code())).to_string())),
        )
        .collect();
    let kinds: Vec<(String, String)> = Kind::ALL
        .iter()
        .map(|k| (k.code().to_string(), cx.t(&format!("instructions.kind.{}", k.code())).to_string()))
        .collect();
    let actor = &cx.auth.actor;
    let units: Vec<(String, String)> = unit_choices(&st)
        .await?
        .into_iter()
        .filter(|(id, _)| actor.reads_all() || id.parse().is_ok_and(|id| actor.in_scope(id)))
        .collect();
    let pairs = [
        ("state", val(&q.state)),
        ("kind", val(&q.kind)),
        ("unit", val(&q.unit)),
        ("overdue", val(&q.overdue)),
        ("project", val(&q.project)),
    ];
    let next_page = next_page("/instructions", &pairs, filter.offset, filter.limit, page.total);
    let rows = page
        .items
        .iter()
        .map(|i| Row {
            i,
            kind: cx.t(&format!("instructions.kind.{}", i.kind.code())),
            state: cx.t(&format!("instructions.state.{}", i.state.code())),
            overdue: i
                .overdue
                .then(|| tf(cx.lang, "instructions.overdue", &[("n", &i.overdue_days.to_string())])),
            level: (i.escalation_level > 0).then(|| tf(cx.lang, "instructions.level", &[("n", &i.escalation_level.to_string())])),
        })
        .collect();
    let body = Markup::of(&ListPage {
        cx: &cx,
        total: tf(
            cx.lang,
            "instructions.list.total",
            &[("n", &page.total.to_string()), ("date", &today.to_string())],
        ),
        state_options: choice_options(&states, val(&q.state), any),
        kind_options: choice_options(&kinds, val(&q.kind), any),
        unit_options: choice_options(&units, val(&q.unit), any),
        overdue: filter.overdue,
        rows,
        next_page,
    });
    Ok(layout(&cx, cx.t("instructions.title"), body, &[]))
}

#[derive(Template)]
#[template(path = "instructions/item.html")]
struct ItemPage<'a> {
    cx: &'a Ctx,
    project: (i64, &'a str),
    flash: Markup,
    card: Markup,
}

async fn item_page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath, Query(f): Query<Flash>) -> Result<Html<String>, PageError> {
    let d = load(&st, &cx.auth, id).await.map_err(cx.err())?;
    let title = format!("{} #{id}", cx.t(&format!("instructions.kind.{}", d.item.kind.code())));
    let body = Markup::of(&ItemPage {
        cx: &cx,
        project: (d.item.project.id, &d.item.project.name),
        flash: f.show(&cx, &["instructions.flash."]),
        card: panels::instructions::card(&cx, &d),
    });
    Ok(layout(&cx, &title, body, &[]))
}

#[derive(Deserialize)]
struct IssueForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    project_id: String,
    #[serde(default)]
    node_id: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    deadline: String,
}

/// Issues from the project page's form: on to the new item, or back to the project with why.
async fn issue_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, Form(f): Form<IssueForm>) -> Response {
    let project: Option<i64> = f.project_id.trim().parse().ok();
    let r = async {
        let body = IssueBody {
            kind: f.kind.clone(),
            project_id: project.ok_or_else(|| ApiError::bad_request("invalid_field", "缺少项目"))?,
            node_id: form_opt_number(&f.node_id, "节点无效")?,
            unit_id: None,
            text: f.text.clone(),
            deadline: Some(f.deadline.clone()),
        };
        Ok(do_issue(&st, &a, body).await?.item.id)
    }
    .await;
    match r {
        Ok(id) => back(lang, &format!("/instructions/{id}"), Ok("instructions.flash.issued")),
        Err(e) => back(
            lang,
            &project.map(|p| format!("/projects/{p}")).unwrap_or_else(|| "/instructions".into()),
            Err(e),
        ),
    }
}

#[derive(Deserialize)]
struct ActForm {
    #[serde(default)]
    step: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    deadline: String,
}

async fn act_form(lang: crate::page::Lang, State(st): State<AppState>, a: Auth, IdPath(id): IdPath, Form(f): Form<ActForm>) -> Response {
    let to = format!("/instructions/{id}");
    let r = async {
        let step = Step::from_code(f.step.trim()).ok_or_else(|| ApiError::bad_request("invalid_field", "未知的办理步骤"))?;
        let body = StepBody {
            version: form_opt_number(&f.version, "版本号无效")?,
            note: f.note.clone(),
            deadline: Some(f.deadline.clone()),
        };
        do_step(&st, &a, id, step, &body).await
    }
    .await;
    back(lang, &to, r.map(|_| "instructions.flash.step_saved"))
}
