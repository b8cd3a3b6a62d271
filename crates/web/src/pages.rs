//! The pages: sign-in, and a plain Chinese overview of the year's headline figures. The full
//! cockpit, registry and battle map come with the web issue.

use crate::AppState;
use crate::auth::{self, Auth, Via};
use crate::error::ApiError;
use crate::guard::PRE_SESSION_CSRF_COOKIE;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Datelike;
use serde::Deserialize;

const APP_CSS: &str = include_str!("../assets/app.css");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(overview))
        .route("/login", get(login_page).post(login_form))
        .route("/logout", post(logout_form))
        .route(
            "/assets/app.css",
            get(|| async {
                (
                    [
                        (header::CONTENT_TYPE, "text/css; charset=utf-8"),
                        (header::CACHE_CONTROL, "public, max-age=3600"),
                    ],
                    APP_CSS,
                )
            }),
        )
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{} · 战图</title><link rel="stylesheet" href="/assets/app.css"></head><body>{body}</body></html>"#,
        esc(title)
    )
}

fn pct(p: Option<zhantu_domain::figures::Pct1>) -> String {
    p.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())
}

/// Only same-site relative paths may be redirected to after sign-in.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n,
        _ => "/",
    }
}

#[derive(Deserialize)]
struct LoginQuery {
    next: Option<String>,
    error: Option<String>,
}

async fn login_page(State(st): State<AppState>, Query(q): Query<LoginQuery>) -> Result<Response, ApiError> {
    let pre = auth::random_token();
    let demo = st.store.setting("demo_seed").await?.is_some();
    let error = q
        .error
        .as_deref()
        .map(|e| format!(r#"<p class="error" role="alert">{}</p>"#, esc(e)))
        .unwrap_or_default();
    let hint = if demo {
        r#"<p class="hint">演示账户：admin、fgj（发改局）、haimen（海门街道）、lingdao（区领导）、chakan（查看），密码均为 <code>Zhantu2019</code>。</p>"#
    } else {
        ""
    };
    let body = format!(
        r#"<main class="login"><h1>战图 · 重大项目挂图作战</h1>{error}
<form method="post" action="/login">
<input type="hidden" name="csrf_token" value="{pre}"><input type="hidden" name="next" value="{next}">
<label for="username">用户名</label><input id="username" name="username" autocomplete="username" required autofocus>
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button></form>{hint}</main>"#,
        next = esc(safe_next(q.next.as_deref())),
    );
    let mut resp = Html(page("登录", &body)).into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        format!("{PRE_SESSION_CSRF_COOKIE}={pre}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600")
            .parse()
            .map_err(ApiError::internal)?,
    );
    Ok(resp)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login_form(State(st): State<AppState>, parts: axum::http::request::Parts, Form(f): Form<LoginForm>) -> Result<Response, ApiError> {
    let address = auth::client_address(&parts);
    let ua = parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    let next = safe_next(f.next.as_deref()).to_string();
    match crate::accounts::sign_in(&st, f.username.trim(), &f.password, &address, ua).await {
        Ok((_, raw, _)) => {
            let mut resp = Redirect::to(&next).into_response();
            resp.headers_mut().insert(
                header::SET_COOKIE,
                auth::session_cookie(&raw, crate::accounts::cookies_secure())
                    .parse()
                    .map_err(ApiError::internal)?,
            );
            Ok(resp)
        }
        Err(e) if e.status != StatusCode::INTERNAL_SERVER_ERROR => Ok(Redirect::to(&format!(
            "/login?error={}&next={}",
            crate::guard::urlencode(&e.message),
            crate::guard::urlencode(&next)
        ))
        .into_response()),
        Err(e) => Err(e),
    }
}

async fn logout_form(State(st): State<AppState>, a: Auth) -> Result<Response, ApiError> {
    if let Via::Session { id_hash, .. } = &a.via {
        st.store.delete_session(id_hash).await?;
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        auth::clear_session_cookie().parse().map_err(ApiError::internal)?,
    );
    Ok(resp)
}

fn user_bar(a: &Auth) -> String {
    let csrf = match &a.via {
        Via::Session { csrf, .. } => csrf.as_str(),
        Via::Token => "",
    };
    format!(
        r#"<header class="bar"><span>{}（{}，{}）</span><form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{}"><button type="submit">退出</button></form></header>"#,
        esc(&a.user.display_name),
        esc(a.user.role.label_zh()),
        esc(&a.user.unit_name),
        esc(csrf)
    )
}

async fn overview(State(st): State<AppState>, a: Auth) -> Result<Html<String>, ApiError> {
    let as_of = st.store.as_of().await?;
    let district = st.store.setting("district_name").await?.unwrap_or_else(|| "本区".into());
    let f = st.store.year_figures(as_of.year()).await?;
    let mut rows = String::new();
    for l in &f.landing {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.category),
            l.landing.targeted,
            l.landing.landed,
            pct(l.landing.rate_pct),
            pct(l.landing.target_pct)
        ));
    }
    let b = &f.batches.total;
    let campaigns: String = f
        .campaigns
        .iter()
        .map(|c| {
            format!(
                "<li>{}：目标节点{}个，已销号{}个</li>",
                esc(&c.name),
                c.completion.target_nodes,
                c.completion.closed_nodes
            )
        })
        .collect();
    let body = format!(
        r#"{bar}<main><h1>{district}重大项目挂图作战 · {year}年</h1>
<p>数据截至 {as_of}</p>
<p>固定资产投资增速 <span class="big">{fai}</span>（全省 {prov}）</p>
<h2>分类落地率</h2>
<table><thead><tr><th>类别</th><th>盯引数</th><th>落地数</th><th>落地率</th><th>目标</th></tr></thead><tbody>{rows}</tbody></table>
<h2>集中开工</h2><p>{count}批 {projects}个项目，总投资 {total}，年度投资 {annual}</p>
<h2>攻坚行动</h2><ul>{campaigns}</ul>
<p>节点按时完成率 {ontime}；问题 {raised} 个，已销号 {closed} 个；走访企业 {visits} 家次；督查 {rounds} 批次。</p>
<p>接口：<a href="/api/v1/figures?year={year}">/api/v1/figures?year={year}</a> · <a href="/api/v1/projects">/api/v1/projects</a></p></main>"#,
        bar = user_bar(&a),
        district = esc(&district),
        year = f.year,
        as_of = f.as_of,
        fai = pct(f.fai_growth_pct),
        prov = pct(f.fai_province_growth_pct),
        count = f.batches.count,
        projects = b.projects,
        total = b.total_investment_wan.0.display_yi(),
        annual = b.annual_investment_wan.0.display_yi(),
        ontime = pct(f.node_on_time_rate_pct),
        raised = f.problems.raised,
        closed = f.problems.closed,
        visits = f.enterprise_visits,
        rounds = f.supervision_rounds,
    );
    Ok(Html(page(&format!("{district}重大项目"), &body)))
}
