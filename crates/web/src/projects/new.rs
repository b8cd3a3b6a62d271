//! 新建项目 (`/projects/new`): the form of a project entered by hand, for those who may edit
//! some unit's projects: drop-downs of the units in their scope, the district's leaders, the
//! project types by name and the stages. It posts to the same function as
//! `POST /api/v1/projects`; a refused form comes back with what was typed and every field's
//! reason beside it; a made project opens its page.

use super::api::do_create_project;
use crate::AppState;
use crate::error::FormError;
use crate::page::select::{SelectOption, options};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, back, data_text, layout, refusal, stage_label};
use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::Datelike;
use zhantu_domain::access::Action;
use zhantu_domain::projects::ProjectForm;
use zhantu_domain::{FieldErrors, Stage};

/// One field of the form: a text-like input, a text area, or a drop-down (`options`).
struct Input<'a> {
    name: &'static str,
    label: &'static str,
    /// The input's type (`text`, `date`…), or `textarea`.
    kind: &'static str,
    value: &'a str,
    required: bool,
    max: usize,
    options: Option<Markup>,
    wide: bool,
    /// The field's refusal in the reader's language.
    error: Option<Markup>,
}

#[derive(Template)]
#[template(path = "projects/new.html")]
struct NewPage<'a> {
    cx: &'a Ctx,
    flash: Markup,
    errors: &'a FieldErrors,
    /// Each refused field (its name) with its refusal in the reader's language.
    refused: Vec<(&'static str, Markup)>,
    inputs: Vec<Input<'a>>,
}

/// The form, filled with `f`, with `errors` beside their fields.
async fn render<'a>(
    st: &AppState,
    cx: &'a Ctx,
    f: &'a ProjectForm,
    errors: &'a FieldErrors,
    flash: Markup,
) -> Result<Html<String>, PageError> {
    cx.auth.actor.may_edit_some_unit().map_err(cx.err())?;
    let choices = st.store.filter_choices().await?;
    let actor = &cx.auth.actor;
    let blank = |label: &str| SelectOption::new("", label, false);
    let units: Vec<SelectOption> = std::iter::once(blank(cx.t("new_project.choose")))
        .chain(
            choices
                .units
                .iter()
                .filter(|u| actor.may(Action::Edit { unit_id: u.id }).is_ok())
                .map(|u| {
                    let id = u.id.to_string();
                    let selected = id == f.unit_id.trim();
                    SelectOption::new(id, format!("{}{}", "　".repeat(u.depth as usize), u.name), selected)
                }),
        )
        .collect();
    let leaders: Vec<SelectOption> = std::iter::once(blank(cx.t("new_project.no_leader")))
        .chain(choices.leaders.iter().map(|l| {
            let id = l.id.to_string();
            let selected = id == f.leader_id.trim();
            SelectOption::new(id, l.name.as_str(), selected)
        }))
        .collect();
    let types: Vec<SelectOption> = std::iter::once(blank(cx.t("new_project.choose")))
        .chain(st.store.project_types().await?.into_iter().map(|(code, zh, en)| {
            let selected = f.project_type.trim() == code || f.project_type.trim() == zh;
            SelectOption::new(code, if cx.lang == Lang::Zh { zh } else { en }, selected)
        }))
        .collect();
    let stage = Stage::parse(&f.stage).ok();
    let stages: Vec<SelectOption> = Stage::ALL
        .iter()
        .filter(|s| **s != Stage::Terminated)
        .map(|s| SelectOption::new(s.code(), stage_label(cx.lang, *s), stage == Some(*s)))
        .collect();
    let foreign_yes = zhantu_domain::projects::parse_yes_no(&f.foreign).unwrap_or(false);
    let foreign = vec![
        SelectOption::new("否", cx.t("common.no"), !foreign_yes),
        SelectOption::new("是", cx.t("common.yes"), foreign_yes),
    ];
    // Chinese: the refusal's own words; English: its code's sentence, the values it quotes
    // marked as data.
    let said = |e: &zhantu_domain::FieldError| data_text(cx.lang.into(), &refusal::field_text(cx.lang, e));
    let input = |name: &'static str, kind: &'static str, value: &'a str, required: bool, max: usize| Input {
        name,
        label: cx.t(&format!("new_project.{name}")),
        kind,
        value,
        required,
        max,
        options: None,
        wide: false,
        error: errors.of(name).map(&said),
    };
    let select = |name: &'static str, o: &[SelectOption], required: bool| Input {
        options: Some(options(o)),
        ..input(name, "select", "", required, 0)
    };
    let inputs = vec![
        Input {
            wide: true,
            ..input("name", "text", &f.name, true, 200)
        },
        select("unit_id", &units, true),
        select("leader_id", &leaders, false),
        select("project_type", &types, true),
        select("stage", &stages, true),
        input("stage_on", "date", &f.stage_on, true, 10),
        input("total_investment", "text", &f.total_investment, true, 30),
        input("planned_year", "number", &f.planned_year, true, 4),
        input("planned_start_on", "date", &f.planned_start_on, false, 10),
        input("nodes_from", "date", &f.nodes_from, false, 10),
        input("industry_code", "text", &f.industry_code, false, 10),
        input("division_code", "text", &f.division_code, false, 12),
        Input {
            wide: true,
            ..input("location", "text", &f.location, false, 200)
        },
        input("land_area", "text", &f.land_area, false, 20),
        input("investor", "text", &f.investor, false, 200),
        select("foreign", &foreign, false),
        input("code", "text", &f.code, false, 40),
        input("external_id", "text", &f.external_id, false, 60),
        Input {
            wide: true,
            ..input("description", "textarea", &f.description, false, 4000)
        },
    ];
    let refused = errors
        .0
        .iter()
        .map(|e| (e.field, data_text(cx.lang.into(), &refusal::named_field_text(cx.lang, e))))
        .collect();
    let body = Markup::of(&NewPage {
        cx,
        flash,
        errors,
        refused,
        inputs,
    });
    Ok(layout(cx, cx.t("new_project.title"), body, &[]))
}

/// `GET /projects/new`: the empty form, its dates the data day's.
pub(super) async fn page(State(st): State<AppState>, cx: Ctx, Query(flash): Query<Flash>) -> Result<Html<String>, PageError> {
    let as_of = st.store.as_of().await?;
    let f = ProjectForm {
        stage: Stage::Planning.code().into(),
        stage_on: as_of.to_string(),
        planned_year: as_of.year().to_string(),
        foreign: "否".into(),
        ..ProjectForm::default()
    };
    let flash = flash.show(&cx, &["projects.flash_"]);
    render(&st, &cx, &f, &FieldErrors::default(), flash).await
}

/// `POST /projects/new`: makes the project and opens its page, or shows the form again with
/// every refused field.
pub(super) async fn form(State(st): State<AppState>, cx: Ctx, Form(f): Form<ProjectForm>) -> Response {
    match do_create_project(&st, &cx.auth, &f).await {
        Ok(id) => back(cx.lang, &format!("/projects/{id}"), Ok("projects.flash_created")),
        Err(FormError::Fields(errors)) => match render(&st, &cx, &f, &errors, Markup::default()).await {
            Ok(page) => (StatusCode::BAD_REQUEST, page).into_response(),
            Err(e) => e.into_response(),
        },
        Err(FormError::Api(e)) => back(cx.lang, "/projects/new", Err(e)),
    }
}
