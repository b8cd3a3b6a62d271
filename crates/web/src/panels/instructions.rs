//! The 批示 and 督办单 of a project, owned by the `instructions` mechanism
//! (`templates/instructions/on_project.html`): each item as a card with its text, its parties,
//! its history (the replies among it) and the forms of the steps the reader may take; and, for
//! those who may issue, the form issuing a new one. The project page shows every item of the
//! project, the item's own page (`/instructions/{id}`) one.

use crate::AppState;
use crate::page::{Ctx, Markup, PageError, csrf_field, tf};
use askama::Template;
use chrono::NaiveDate;
use zhantu_domain::instructions::{Kind, State, Step, available_steps, default_deadline, may_issue};
use zhantu_domain::lights::Light;
use zhantu_store::ProjectDetail;
use zhantu_store::instructions::InstructionDetail;

/// An entry of an item's history.
struct EventLine<'a> {
    at: String,
    kind: &'static str,
    actor: &'a str,
    deadline: Option<NaiveDate>,
    note: &'a str,
    reply: bool,
}

/// A step's form.
struct StepForm {
    code: &'static str,
    title: &'static str,
}

struct Card<'a> {
    id: i64,
    kind: &'static str,
    order: bool,
    state: &'static str,
    closed: bool,
    overdue: Option<String>,
    level: Option<String>,
    text: &'a str,
    project: (i64, &'a str),
    node: Option<&'a str>,
    unit: &'a str,
    issuer: &'a str,
    issued_on: NaiveDate,
    deadline: NaiveDate,
    version: i64,
    events: Vec<EventLine<'a>>,
    steps: Vec<StepForm>,
}

/// The form issuing a 批示 or 督办单 on the project.
struct IssueForm {
    project_id: i64,
    /// The project's red nodes (a 督办单 may name one), as (id, name).
    red_nodes: Vec<(i64, String)>,
    project_red: bool,
    deadline: NaiveDate,
    today: NaiveDate,
}

#[derive(Template)]
#[template(path = "instructions/on_project.html")]
struct OnProject<'a> {
    cx: &'a Ctx,
    csrf: Markup,
    cards: Vec<Card<'a>>,
    issue: Option<IssueForm>,
    /// Show the project on each card (the item's own page).
    with_project: bool,
}

fn cards<'a>(cx: &Ctx, items: &'a [InstructionDetail]) -> Vec<Card<'a>> {
    let actor = &cx.auth.actor;
    items
        .iter()
        .map(|d| {
            let i = &d.item;
            Card {
                id: i.id,
                kind: cx.t(&format!("instructions.kind.{}", i.kind.code())),
                order: i.kind == Kind::Order,
                state: cx.t(&format!("instructions.state.{}", i.state.code())),
                closed: i.state == State::Closed,
                overdue: i
                    .overdue
                    .then(|| tf(cx.lang, "instructions.overdue", &[("n", &i.overdue_days.to_string())])),
                level: (i.escalation_level > 0).then(|| tf(cx.lang, "instructions.level", &[("n", &i.escalation_level.to_string())])),
                text: &i.text,
                project: (i.project.id, &i.project.name),
                node: i.node.as_ref().map(|n| n.name.as_str()),
                unit: &i.unit.name,
                issuer: &i.issued_by.name,
                issued_on: i.issued_on,
                deadline: i.deadline,
                version: i.version,
                events: d
                    .events
                    .iter()
                    .map(|e| EventLine {
                        at: cx.time(&e.at),
                        kind: cx.t(&format!("instructions.event.{}", e.kind)),
                        actor: &e.actor,
                        deadline: e.deadline,
                        note: if e.kind == "issue" { "" } else { &e.note },
                        reply: e.kind == "reply",
                    })
                    .collect(),
                steps: available_steps(actor, i.state, &i.parties())
                    .into_iter()
                    .map(|s: Step| StepForm {
                        code: s.code(),
                        title: cx.t(&format!("instructions.step.{}", s.code())),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The 批示 and 督办单 of project `p` on `today`, with the issuing form for those who may issue.
pub async fn panel(st: &AppState, cx: &Ctx, p: &ProjectDetail, today: NaiveDate) -> Result<Markup, PageError> {
    let items = st.store.project_instructions(p.summary.id, today).await?;
    let calendar = st.store.calendar().await?;
    let issue = may_issue(&cx.auth.actor, Kind::Directive).is_ok().then(|| IssueForm {
        project_id: p.summary.id,
        red_nodes: p
            .nodes
            .iter()
            .filter(|n| n.light == Some(Light::Red))
            .map(|n| (n.id, n.name.clone()))
            .collect(),
        project_red: p.summary.light == Some(Light::Red),
        deadline: default_deadline(&calendar, today),
        today,
    });
    Ok(Markup::of(&OnProject {
        cx,
        csrf: csrf_field(&cx.auth),
        cards: cards(cx, &items),
        issue,
        with_project: false,
    }))
}

/// One item as a card with its forms (the item's own page).
pub fn card(cx: &Ctx, item: &InstructionDetail) -> Markup {
    Markup::of(&OnProject {
        cx,
        csrf: csrf_field(&cx.auth),
        cards: cards(cx, std::slice::from_ref(item)),
        issue: None,
        with_project: true,
    })
}
