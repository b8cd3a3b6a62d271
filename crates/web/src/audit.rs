//! The audit log: `/api/v1/audit`, its CSV export `/api/v1/audit/export.csv`, and the `/audit`
//! page, for readers of the whole district.

use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::{ApiQuery, non_empty, opt_id};
use crate::page::esc;
use crate::page::{Ctx, i18n};
use crate::{AppState, Mechanism};
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};
use zhantu_store::AuditFilter;

pub const MECHANISM: Mechanism = Mechanism {
    name: "audit",
    pages,
    api,
    write_routes: &[],
};

fn pages() -> Router<AppState> {
    Router::new().route("/audit", get(audit_page))
}

fn api() -> Router<AppState> {
    Router::new()
        .route("/audit", get(audit))
        .route("/audit/export.csv", get(audit_csv))
}

#[derive(Deserialize, Default)]
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

async fn audit_page(State(st): State<AppState>, cx: Ctx, Query(q): Query<AuditQuery>) -> Result<Html<String>, ApiError> {
    let t = |k: &str| i18n::t(cx.lang, k);
    let f = audit_filter(&cx.auth, &q).await?;
    let entries = st.store.audit_entries(&f).await?;
    let rows: String = entries
        .iter()
        .map(|e| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} {}</td><td><code>{}</code></td><td><code>{}</code></td></tr>",
                e.id,
                esc(&e.at.replace('T', " ")[..19.min(e.at.len())]),
                esc(&e.actor),
                esc(&e.address),
                esc(&e.action),
                esc(&e.entity),
                e.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                esc(&e.before.as_ref().map(|v| v.to_string()).unwrap_or_default()),
                esc(&e.after.as_ref().map(|v| v.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let v = |o: &Option<String>| esc(o.as_deref().unwrap_or(""));
    let export = format!(
        "/api/v1/audit/export.csv?entity={}&entity_id={}&actor={}",
        crate::guard::urlencode(q.entity.as_deref().unwrap_or("")),
        crate::guard::urlencode(q.entity_id.as_deref().unwrap_or("")),
        crate::guard::urlencode(q.actor.as_deref().unwrap_or(""))
    );
    let more = if entries.len() as u32 == f.limit {
        entries
            .last()
            .map(|e| {
                format!(
                    r#"<p><a href="/audit?entity={}&amp;entity_id={}&amp;actor={}&amp;before={}">更早的记录</a></p>"#,
                    v(&q.entity),
                    v(&q.entity_id),
                    v(&q.actor),
                    e.id
                )
            })
            .unwrap_or_default()
    } else {
        String::new()
    };
    let body = format!(
        r#"<form method="get" action="/audit" class="inline">
<label for="ae">对象</label><select id="ae" name="entity"><option value="">全部</option>{entities}</select>
<label for="aid">编号</label><input id="aid" name="entity_id" value="{eid}" size="8">
<label for="aa">操作人</label><input id="aa" name="actor" value="{actor}" size="12">
<button type="submit">筛选</button> <a href="{export}">导出CSV</a></form>
<table class="audit"><thead><tr><th>#</th><th>时间（UTC）</th><th>操作人</th><th>地址</th><th>操作</th><th>对象</th><th>修改前</th><th>修改后</th></tr></thead><tbody>{rows}</tbody></table>{more}"#,
        entities = [("project", "项目"), ("node", "节点"), ("user", "用户"), ("api_token", "API令牌")]
            .iter()
            .map(|(c, n)| format!(
                r#"<option value="{c}"{}>{n}</option>"#,
                if q.entity.as_deref() == Some(c) { " selected" } else { "" }
            ))
            .collect::<String>(),
        eid = v(&q.entity_id),
        actor = v(&q.actor),
        export = esc(&export),
    );
    let title = t("nav.audit");
    Ok(crate::page::layout_legacy(
        &cx,
        title,
        &format!(r#"<div class="admin"><h1>{}</h1>{body}</div>"#, esc(title)),
        &[],
    ))
}
