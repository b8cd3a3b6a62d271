//! The projects' pages: the registry (项目库, `/projects`) with its filters, order and pager in
//! the URL, and one project whole (`/projects/{id}`): facts, nodes on a timeline, approval
//! clocks, schedule changes, investment by month, stage history, progress reports, problems
//! and the audit history.

use crate::AppState;
use crate::extract::IdPath;
use crate::page::filters::{ListQuery, filter_form, val};
use crate::page::i18n::tf;
use crate::page::{Ctx, PageError, check_read, esc, layout_legacy, light_badge, long_date, money, opt_date, query_string, stage_label};
use axum::extract::{Query, State};
use axum::response::Html;
use serde_json::json;
use zhantu_domain::Stage;
use zhantu_store::{AuditFilter, ProjectSort};

pub(super) async fn registry(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let filter = q.filter(&cx)?;
    let sort = q.sort();
    let page = st.store.list_projects_sorted(&filter, sort).await?;
    let choices = st.store.filter_choices().await?;
    let lang = cx.lang;
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };

    let sorts: String = ProjectSort::ALL
        .iter()
        .map(|s| {
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                s.code(),
                if *s == sort { " selected" } else { "" },
                t(&format!("sort.{}", s.code()))
            )
        })
        .collect();
    let extra = format!(
        r#"<div class="f"><label for="f-sort">{}</label><select id="f-sort" name="sort">{sorts}</select></div>"#,
        t("filter.sort")
    );
    let form = filter_form(&cx, "/projects", &q, &choices, &extra);

    let rows: String = page
        .items
        .iter()
        .map(|p| {
            format!(
                r#"<tr><td>{light}</td><th scope="row"><a href="/projects/{id}">{name}</a><small>{code}</small></th><td>{unit}</td><td>{leader}</td><td>{stage}</td><td class="num">{inv}</td><td>{start}</td><td class="cats">{cats}</td><td>{div}</td></tr>"#,
                light = light_badge(lang, p.light, p.light_reason.as_deref()),
                id = p.id,
                name = esc(&p.name),
                code = esc(p.code.as_deref().unwrap_or("")),
                unit = esc(&p.unit.name),
                leader = esc(p.leader.as_ref().map(|l| l.name.as_str()).unwrap_or("—")),
                stage = stage_label(lang, p.stage),
                inv = money(lang, p.total_investment_wan.0, false),
                start = crate::page::opt_date(p.started_on.or(p.planned_start_on)),
                cats = p.categories.iter().map(|c| esc(c)).collect::<Vec<_>>().join("、"),
                div = esc(p.division_name.unwrap_or("—")),
            )
        })
        .collect();
    let mut keep = q.pairs();
    let sort_code = sort.code();
    if sort != ProjectSort::Id {
        keep.push(("sort", sort_code));
    }
    let limit = val(&q.limit);
    if !limit.is_empty() {
        keep.push(("limit", limit));
    }
    let mut pager = String::new();
    if filter.after.is_some() {
        pager.push_str(&format!(
            r#"<a href="/projects{}">{}</a>"#,
            esc(&query_string(&keep)),
            t("registry.first_page")
        ));
    }
    if let Some(next) = page.next_cursor {
        let mut with = keep.clone();
        let n = next.to_string();
        with.push(("after", &n));
        pager.push_str(&format!(
            r#"<a rel="next" href="/projects{}">{}</a>"#,
            esc(&query_string(&with)),
            t("registry.next_page")
        ));
    }
    let filters_only = query_string(&q.pairs());
    let body = format!(
        r#"<div class="page-head"><div><h1>{h}</h1><p class="sub" id="registry-total">{total}</p></div><p class="links"><a href="/battle-map{fq}">{to_map}</a> · <a href="/map{fq}">{to_geo}</a> · <a href="/api/v1/projects{fq}">JSON</a> · <a href="/api/v1/export/projects.xlsx{fq}" download>{to_xlsx}</a></p></div>
{form}
<div class="table-wrap"><table class="registry"><caption class="sr-only">{h}</caption><thead><tr><th scope="col">{c_light}</th><th scope="col">{c_name}</th><th scope="col">{c_unit}</th><th scope="col">{c_leader}</th><th scope="col">{c_stage}</th><th scope="col">{c_inv}</th><th scope="col">{c_start}</th><th scope="col">{c_cat}</th><th scope="col">{c_div}</th></tr></thead><tbody>{rows}</tbody></table></div>
{empty}<nav class="pager" aria-label="{pages}">{pager}</nav>"#,
        h = t("registry.title"),
        total = tf(lang, "registry.total", &[("n", &page.total.to_string())]),
        fq = esc(&filters_only),
        to_map = t("registry.to_battle_map"),
        to_geo = t("registry.to_map"),
        to_xlsx = t("excel.export_link"),
        c_light = t("common.light"),
        c_name = t("common.project"),
        c_unit = t("common.unit"),
        c_leader = t("common.leader"),
        c_stage = t("common.stage"),
        c_inv = t("common.total_investment"),
        c_start = t("registry.start"),
        c_cat = t("common.category"),
        c_div = t("common.division"),
        empty = if page.items.is_empty() {
            format!(r#"<p class="empty">{}</p>"#, t("registry.empty"))
        } else {
            String::new()
        },
        pages = t("registry.pages"),
    );
    Ok(layout_legacy(&cx, t("registry.title"), &body, &[]))
}

pub(super) async fn project(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath) -> Result<Html<String>, PageError> {
    check_read(&st, &cx, id).await?;
    let p = st.store.project_detail(id).await.map_err(|e| PageError(e.into(), cx.lang))?;
    let as_of = st.store.as_of().await?;
    let audit = st
        .store
        .audit_entries(&AuditFilter {
            entity: Some("project".into()),
            entity_id: Some(id),
            limit: 200,
            ..Default::default()
        })
        .await?;
    let lang = cx.lang;
    let t = |k: &str| -> &'static str { crate::page::i18n::t(cx.lang, k) };
    let s = &p.summary;
    let industry = s
        .industry_code
        .as_deref()
        .map(|c| match zhantu_domain::reference::industry(c) {
            Some(r) => format!("{c} {}", r.name),
            None => c.to_string(),
        })
        .unwrap_or_else(|| "—".into());
    let fact = |k: &str, v: String| format!("<div><dt>{}</dt><dd>{v}</dd></div>", t(k));
    let mut facts = String::new();
    facts.push_str(&fact("project.code", esc(s.code.as_deref().unwrap_or("—"))));
    facts.push_str(&fact(
        "common.unit",
        format!(r#"<a href="/projects?unit={}">{}</a>"#, s.unit.id, esc(&s.unit.name)),
    ));
    facts.push_str(&fact(
        "common.leader",
        s.leader
            .as_ref()
            .map(|l| format!(r#"<a href="/projects?leader={}">{}</a>"#, l.id, esc(&l.name)))
            .unwrap_or_else(|| "—".into()),
    ));
    facts.push_str(&fact("common.stage", stage_label(lang, s.stage).to_string()));
    let types = st.store.project_types().await?;
    let type_name = types
        .iter()
        .find(|(c, _, _)| *c == s.project_type)
        .map(|(_, zh, en)| if lang == crate::page::Lang::Zh { zh.as_str() } else { en.as_str() })
        .unwrap_or(&s.project_type);
    facts.push_str(&fact("project.type", esc(type_name)));
    facts.push_str(&fact("project.industry", esc(&industry)));
    facts.push_str(&fact("common.total_investment", money(lang, s.total_investment_wan.0, false)));
    facts.push_str(&fact("common.division", esc(s.division_name.unwrap_or("—"))));
    facts.push_str(&fact("project.location", esc(&p.location)));
    facts.push_str(&fact(
        "project.land",
        p.land_area_mu
            .as_deref()
            .map(|a| format!("{} {}", esc(a), t("project.mu")))
            .unwrap_or_else(|| "—".into()),
    ));
    facts.push_str(&fact("project.investor", esc(&p.investor)));
    facts.push_str(&fact(
        "project.foreign",
        if p.foreign_investment {
            format!(
                "{}{}",
                t("common.yes"),
                p.foreign_investment_usd
                    .as_deref()
                    .map(|u| format!(" (USD {})", esc(u)))
                    .unwrap_or_default()
            )
        } else {
            t("common.no").to_string()
        },
    ));
    facts.push_str(&fact("project.planned_year", s.planned_year.to_string()));
    facts.push_str(&fact("project.planned_start", opt_date(s.planned_start_on)));
    facts.push_str(&fact("project.started", opt_date(s.started_on)));
    facts.push_str(&fact("project.completed", opt_date(p.completed_on)));
    facts.push_str(&fact("project.in_statistics", opt_date(p.in_statistics_on)));
    facts.push_str(&fact(
        "common.category",
        if s.categories.is_empty() {
            "—".into()
        } else {
            s.categories.iter().map(|c| esc(c)).collect::<Vec<_>>().join("、")
        },
    ));

    let powers = crate::panels::nodes::Powers {
        edit: cx
            .auth
            .actor
            .may(zhantu_domain::access::Action::Edit { unit_id: s.unit.id })
            .is_ok(),
        verify: cx.auth.actor.may(zhantu_domain::access::Action::Verify).is_ok(),
    };
    let mut pending: std::collections::HashMap<i64, Vec<_>> = std::collections::HashMap::new();
    for c in st.store.pending_date_changes(id).await? {
        pending.entry(c.node_id).or_default().push(c);
    }
    let node_rows: String = p
        .nodes
        .iter()
        .map(|n| {
            format!(
                "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"actions\">{}</td></tr>",
                n.seq,
                {
                    // Open problems that hold the node up (问题清单), linked.
                    let blocking: String = p
                        .problems
                        .iter()
                        .filter(|pr| pr.blocking_node_id == Some(n.id) && pr.status != "closed")
                        .map(|pr| format!(r#" <a class="pbadge blocking" href="/problems/{}">{} #{}</a>"#, pr.id, t("service.project.blocking"), pr.id))
                        .collect();
                    format!("{}{blocking}", esc(&n.name))
                },
                n.planned_on,
                n.baseline_on,
                opt_date(n.forecast_on),
                opt_date(n.actual_on),
                esc(&n.responsible_unit.name),
                esc(n.responsible_person.as_ref().map(|x| x.name.as_str()).unwrap_or("—")),
                esc(t(&format!("status.{}", n.status))),
                light_badge(lang, n.light, n.light_reason.as_deref()),
                crate::panels::nodes::node_actions(&cx, n, &powers, pending.get(&n.id).map(Vec::as_slice).unwrap_or(&[]), as_of),
            )
        })
        .collect();
    let clocks = crate::panels::clocks::clocks_panel(
        &cx,
        id,
        &st.store.project_clocks(id).await?,
        cx.auth.actor.may(zhantu_domain::access::Action::ExcludeClockTime).is_ok(),
    );
    let (baseline, versions) = st.store.schedule_versions(id).await?;
    let schedule = crate::panels::nodes::schedule_panel(&cx, &baseline, &versions);
    let report_form = if powers.edit {
        crate::panels::reports::report_form(&cx, id, as_of)
    } else {
        String::new()
    };
    let stage_name = |code: &str| {
        Stage::from_code(code)
            .map(|s| stage_label(lang, s).to_string())
            .unwrap_or_else(|| esc(code))
    };
    let stage_rows: String = p
        .stage_history
        .iter()
        .map(|c| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                c.on,
                c.from.as_deref().map(stage_name).unwrap_or_else(|| "—".into()),
                stage_name(&c.to),
                esc(&c.note)
            )
        })
        .collect();
    let plans: String = p
        .annual_plans
        .iter()
        .map(|a| format!("<li>{}：{}</li>", a.year, money(lang, a.planned_wan.0, false)))
        .collect();
    let inv_rows: String = p
        .monthly_investment
        .iter()
        .map(|m| {
            format!(
                "<tr><td>{}-{:02}</td><td class=\"num\">{}</td></tr>",
                m.year,
                m.month,
                money(lang, m.amount_wan.0, false)
            )
        })
        .collect();
    let inv_chart = if p.monthly_investment.is_empty() {
        String::new()
    } else {
        let option = json!({
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 10, "bottom": 10, "top": 36},
            "xAxis": {"type": "category", "data": p.monthly_investment.iter().map(|m| format!("{}-{:02}", m.year, m.month)).collect::<Vec<_>>()},
            "yAxis": {"type": "value", "name": t("project.wan")},
            "series": [{"type": "bar", "itemStyle": {"color": "#2c6e9b"}, "data": p.monthly_investment.iter().map(|m| m.amount_wan.0.yuan() as f64 / 10_000.0).collect::<Vec<_>>()}]
        });
        format!(
            r#"<div class="chart chart-small" id="chart-project-investment" role="img" aria-label="{}" data-chart="{}"></div>"#,
            esc(t("project.investment")),
            esc(&option.to_string())
        )
    };
    let reports: String = p
        .reports
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{}～{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                r.period_start,
                r.period_end,
                esc(t(&format!("period.{}", r.period_kind))),
                esc(&r.body),
                money(lang, r.investment_wan.0, false),
                r.submitted_on
            )
        })
        .collect();
    let problems: String = p
        .problems
        .iter()
        .map(|r| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&r.category),
                format!(r#"<a href="/problems/{}">{}</a>"#, r.id, esc(&r.description)),
                esc(&r.unit.name),
                r.raised_on,
                r.deadline,
                esc(t(&format!("status.{}", r.status))),
                opt_date(r.closed_on)
            )
        })
        .collect();
    let audit_rows: String = audit
        .iter()
        .map(|e| {
            let change = |v: &Option<serde_json::Value>| v.as_ref().map(|v| esc(&v.to_string())).unwrap_or_else(|| "—".into());
            format!(
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td><code class="json">{}</code></td><td><code class="json">{}</code></td></tr>"#,
                esc(&e.at),
                esc(&e.actor),
                esc(&e.action),
                change(&e.before),
                change(&e.after)
            )
        })
        .collect();
    let table = |head: &[&str], rows: &str| {
        if rows.is_empty() {
            format!(r#"<p class="empty">{}</p>"#, t("common.none"))
        } else {
            let th: String = head.iter().map(|h| format!(r#"<th scope="col">{}</th>"#, t(h))).collect();
            format!(r#"<div class="table-wrap"><table><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table></div>"#)
        }
    };
    let body = format!(
        r#"<p class="crumbs"><a href="/projects">{registry}</a> ›</p>
<div class="page-head"><div><h1>{name}</h1><p class="sub">{light} {reason}</p></div><p class="links"><a href="/battle-map?q={qname}">{on_map}</a> · <a href="/api/v1/projects/{id}">JSON</a></p></div>
<section class="panel"><h2>{facts_h}</h2><dl class="facts">{facts}</dl>{desc}</section>
<section class="panel"><h2>{nodes_h}</h2>{timeline}{nodes}</section>
<section class="panel" id="clocks"><h2>{clocks_h}</h2>{clocks}</section>
<section class="panel"><h2>{schedule_h}</h2>{schedule}</section>
<div class="grid2"><section class="panel"><h2>{inv_h}</h2><ul class="plain">{plans}</ul>{inv_chart}{inv_table}</section>
<section class="panel"><h2>{stages_h}</h2>{stages}</section></div>
<section class="panel"><h2>{reports_h}</h2>{report_form}{reports}</section>
<section class="panel"><h2>{problems_h}</h2>{problems}</section>
<section class="panel"><h2>{audit_h}</h2>{audit}</section>
<p class="hint">{as_of_label} {as_of}</p>"#,
        registry = t("registry.title"),
        name = esc(&s.name),
        light = light_badge(lang, s.light, s.light_reason.as_deref()),
        reason = esc(s.light_reason.as_deref().unwrap_or("")),
        qname = esc(&crate::page::qv(&s.name)),
        on_map = t("project.on_battle_map"),
        id = id,
        facts_h = t("project.facts"),
        desc = if p.description.is_empty() {
            String::new()
        } else {
            format!("<p>{}</p>", esc(&p.description))
        },
        nodes_h = t("project.nodes"),
        schedule_h = t("work.schedule"),
        clocks_h = t("clocks.title"),
        timeline = crate::panels::nodes::timeline(&p, as_of, &cx),
        nodes = table(
            &[
                "project.seq",
                "project.node",
                "project.planned",
                "project.baseline",
                "project.forecast",
                "project.actual",
                "common.unit",
                "project.person",
                "project.status",
                "common.light",
                "work.actions"
            ],
            &node_rows
        ),
        inv_h = t("project.investment"),
        inv_table = table(&["project.month", "project.amount"], &inv_rows),
        stages_h = t("project.stage_history"),
        stages = table(&["common.date", "project.from", "project.to", "project.note"], &stage_rows),
        reports_h = t("project.reports"),
        reports = table(
            &[
                "project.period",
                "project.kind",
                "project.report",
                "project.amount",
                "project.submitted"
            ],
            &reports
        ),
        problems_h = t("project.problems"),
        problems = table(
            &[
                "common.category",
                "project.problem",
                "common.unit",
                "project.raised",
                "project.deadline",
                "project.status",
                "project.closed"
            ],
            &problems
        ),
        audit_h = t("project.audit"),
        audit = table(
            &["project.at", "project.actor", "project.action", "project.before", "project.after"],
            &audit_rows
        ),
        as_of_label = t("cockpit.as_of"),
        as_of = long_date(lang, as_of),
    );
    Ok(layout_legacy(&cx, &s.name, &body, &["/assets/vendor/echarts.min.js", "/assets/app.js"]))
}
