//! The audit log: `/api/v1/audit`, its CSV export `/api/v1/audit/export.csv`, and the `/audit`
//! page, for readers of the whole district.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, non_empty, opt_id};
use crate::page::{Ctx, Markup, audit, layout};
use crate::routes::{Routes, get};
use crate::{AppState, Mechanism};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_store::AuditFilter;

pub const MECHANISM: Mechanism = Mechanism { name: "audit", pages, api };

fn pages() -> Routes {
    Routes::new().route("/audit", get(audit_page))
}

fn api() -> Routes {
    Routes::new().route("/audit", get(audit)).route("/audit/export.csv", get(audit_csv))
}

#[derive(schemars::JsonSchema, Deserialize, Default)]
pub struct AuditQuery {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub before: Option<String>,
    pub limit: Option<String>,
}

pub async fn audit_filter(a: &Auth, q: &AuditQuery) -> Result<AuditFilter, ApiError> {
    if !a.actor.reads_all() {
        return Err(ApiError::forbidden("无权查看审计日志"));
    }
    Ok(AuditFilter {
        entity: non_empty(&q.entity).map(str::to_string),
        entity_id: opt_id(&q.entity_id, "记录编号")?,
        actor: non_empty(&q.actor).map(str::to_string),
        before_id: opt_id(&q.before, "分页游标")?,
        limit: opt_id(&q.limit, "条数")?.unwrap_or(100).clamp(1, 10_000) as u32,
    })
}

async fn audit(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Json<Value>, ApiError> {
    let f = audit_filter(&a, &q).await?;
    let items = st.store.audit_entries(&f).await?;
    let next = if items.len() as u32 == f.limit {
        items.last().map(|e| e.id)
    } else {
        None
    };
    Ok(Json(json!({ "items": items, "next_before": next })))
}

fn csv_cell(s: &str) -> String {
    // Quote always; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

async fn audit_csv(State(st): State<AppState>, a: Auth, ApiQuery(q): ApiQuery<AuditQuery>) -> Result<Response, ApiError> {
    let mut f = audit_filter(&a, &q).await?;
    if q.limit.is_none() {
        f.limit = 10_000;
    }
    let mut out = String::from("\u{feff}编号,时间,操作人,地址,操作,对象,对象编号,修改前,修改后\r\n");
    for e in st.store.audit_entries(&f).await? {
        let cells = [
            e.id.to_string(),
            e.at,
            e.actor,
            e.address,
            e.action,
            e.entity,
            e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            e.before.map(|v| v.to_string()).unwrap_or_default(),
            e.after.map(|v| v.to_string()).unwrap_or_default(),
        ];
        out.push_str(&cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        out,
    )
        .into_response())
}

/// One line of the log, as the page shows it: times in the district's zone, the action and
/// the record in words, the stored JSON as the fields that changed.
struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    address: String,
    /// The action's code (`node.verify`), kept in an attribute for tools and tests.
    code: String,
    action: String,
    entity: String,
    entity_id: String,
    changes: Markup,
}

#[derive(Template)]
#[template(path = "audit/page.html")]
struct AuditPage<'a> {
    cx: &'a Ctx,
    title: &'a str,
    /// (code, name, selected) of each kind of record the filter offers.
    entities: Vec<(&'static str, String, bool)>,
    entity: &'a str,
    entity_id: &'a str,
    actor: &'a str,
    export: String,
    rows: Vec<AuditRow>,
    /// The cursor of the next, older page, when this one is full.
    older: Option<i64>,
}

async fn audit_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<AuditQuery>) -> Result<Html<String>, ApiError> {
    let f = audit_filter(&cx.auth, &q).await?;
    let entries = st.store.audit_entries(&f).await?;
    let older = if entries.len() as u32 == f.limit {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    let lang = cx.lang;
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            id: e.id,
            at: cx.time(&e.at),
            entity_id: e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
            changes: audit::changes_markup(lang, e.before.as_ref(), e.after.as_ref()),
            actor: audit::actor_label(lang, &e.actor),
            address: e.address,
            action: audit::action_label(lang, &e.action),
            code: e.action,
            entity: audit::entity_label(lang, &e.entity),
        })
        .collect();
    let v = |o: &Option<String>| o.as_deref().unwrap_or("").to_string();
    let export = format!(
        "/api/v1/audit/export.csv?entity={}&entity_id={}&actor={}",
        crate::guard::urlencode(&v(&q.entity)),
        crate::guard::urlencode(&v(&q.entity_id)),
        crate::guard::urlencode(&v(&q.actor))
    );
    let title = cx.t("nav.audit");
    let body = Markup::of(&AuditPage {
        cx: &cx,
        title,
        entities: [
            "project",
            "node",
            "problem",
            "user",
            "api_token",
            "unit",
            "person",
            "project_type",
            "category",
            "settings",
        ]
        .into_iter()
        .map(|c| (c, audit::entity_label(lang, c), q.entity.as_deref() == Some(c)))
        .collect(),
        entity: q.entity.as_deref().unwrap_or(""),
        entity_id: q.entity_id.as_deref().unwrap_or(""),
        actor: q.actor.as_deref().unwrap_or(""),
        export,
        rows,
        older,
    });
    Ok(layout(&cx, title, body, &[]))
}
