//! `/todo`: 我的待办, the page a signed-in user lands on. Sections by role, each with its
//! count and its items (grouped by unit where the section says so), each item a link to the
//! place where it is done; the cockpit and the inbox one click away.

use crate::AppState;
use crate::page::{Ctx, Lang, Markup, PageError, data_text, layout};
use crate::routes::{Routes, get};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use zhantu_domain::todo::{Item, SectionKind};

pub fn router() -> Routes {
    Routes::new().route("/todo", get(page))
}

struct ItemView<'a> {
    item: &'a Item,
    /// The unit heading to show before the item (the first of its group).
    heading: Option<&'a str>,
    /// "in 2 working days", "3 working days overdue"…; empty where the date is no deadline.
    when: String,
    /// The item's note in the page's language: in English what people wrote (and a reason
    /// kept only in Chinese) is data, marked as such.
    note: Markup,
}

struct SectionView<'a> {
    code: &'static str,
    label: &'static str,
    count: usize,
    items: Vec<ItemView<'a>>,
}

#[derive(Template)]
#[template(path = "todo/page.html")]
struct TodoPage<'a> {
    cx: &'a Ctx,
    as_of: String,
    /// "12 items", in the page's language.
    summary: String,
    /// The inbox's link text, with its unread count.
    inbox: String,
    sections: Vec<SectionView<'a>>,
}

/// How far the item's date is, in working days, in the page's language.
fn when(cx: &Ctx, kind: SectionKind, item: &Item) -> String {
    // A close-out's date is when the work was done, a light has none: no deadline to count to.
    let Some(days) = item.working_days.filter(|_| kind != SectionKind::CloseOuts) else {
        return String::new();
    };
    let n = days.abs().to_string();
    match days {
        0 => cx.t("todo.today").to_string(),
        d if d > 0 => cx.tf("todo.in_days", &[("n", &n)]),
        _ => cx.tf("todo.days_late", &[("n", &n)]),
    }
}

async fn page(State(st): State<AppState>, cx: Ctx) -> Result<Html<String>, PageError> {
    let reader = cx.auth.todo_reader();
    let todo = st.store.todo(&reader).await.map_err(cx.err())?;
    let unread = st.store.waiting(&reader).await.map_err(cx.err())?.unread;
    let sections = todo
        .sections
        .iter()
        .map(|s| {
            let mut last: Option<&str> = None;
            let items = s
                .items
                .iter()
                .map(|item| {
                    let group = item.group.as_deref();
                    let heading = group.filter(|g| last != Some(*g));
                    last = group;
                    ItemView {
                        item,
                        heading,
                        when: when(&cx, s.kind, item),
                        note: match cx.lang {
                            Lang::Zh => data_text(cx.lang.into(), &item.note),
                            Lang::En => data_text(cx.lang.into(), &item.note_en),
                        },
                    }
                })
                .collect();
            SectionView {
                code: s.kind.code(),
                label: match cx.lang {
                    Lang::Zh => s.kind.label_zh(),
                    Lang::En => s.kind.label_en(),
                },
                count: s.count,
                items,
            }
        })
        .collect();
    let body = Markup::of(&TodoPage {
        cx: &cx,
        as_of: cx.long_date(todo.as_of),
        summary: cx.tf("todo.total", &[("n", &todo.total.to_string())]),
        inbox: if unread > 0 {
            cx.tf("todo.inbox_unread", &[("n", &unread.to_string())])
        } else {
            cx.t("todo.inbox").to_string()
        },
        sections,
    });
    Ok(layout(&cx, cx.t("todo.title"), body, &[]))
}
