//! `/projects/{id}`: one project whole: facts, nodes on a timeline (planned against actual,
//! with lights), stage history, investment by month, reports, problems and the audit history.

use super::{Ctx, PageError, check_read, layout_legacy, light_badge, long_date, money, opt_date, stage_label};
use crate::AppState;
use crate::extract::IdPath;
use crate::page::esc;
use axum::extract::State;
use axum::response::Html;
use chrono::NaiveDate;
use serde_json::json;
use zhantu_domain::Stage;
use zhantu_store::{AuditFilter, ProjectClocks, ProjectDetail};

fn light_color(l: Option<zhantu_domain::lights::Light>, done: bool) -> &'static str {
    use zhantu_domain::lights::Light::*;
    match (l, done) {
        (Some(Red), _) => "#c0392b",
        (Some(Yellow), _) => "#b8860b",
        (_, true) => "#2e8b57",
        (Some(Green), false) => "#2e8b57",
        (None, false) => "#7b8794",
    }
}

/// The nodes as a small Gantt: a row per node, planned ◇, actual ●, the delay between them,
/// and the data date as a line. Scales with the page (viewBox).
fn timeline(p: &ProjectDetail, as_of: NaiveDate, cx: &Ctx) -> String {
    if p.nodes.is_empty() {
        return format!(r#"<p class="empty">{}</p>"#, cx.t("project.no_nodes"));
    }
    let dates: Vec<NaiveDate> = p
        .nodes
        .iter()
        .flat_map(|n| [Some(n.planned_on), n.actual_on, Some(n.baseline_on)])
        .flatten()
        .chain([as_of])
        .collect();
    let (min, max) = (*dates.iter().min().unwrap_or(&as_of), *dates.iter().max().unwrap_or(&as_of));
    let span = ((max - min).num_days().max(30) + 30) as f64;
    let (left, width, row) = (190.0, 700.0, 26.0);
    let x = |d: NaiveDate| left + ((d - min).num_days() as f64 + 15.0) / span * width;
    let h = p.nodes.len() as f64 * row + 30.0;
    let mut s = format!(
        r#"<svg class="timeline" viewBox="0 0 {} {h}" role="img" aria-labelledby="tl-title"><title id="tl-title">{}</title>"#,
        left + width + 10.0,
        esc(cx.t("project.timeline"))
    );
    // Month ticks along the top (every month, labels every quarter when crowded).
    let mut d = NaiveDate::from_ymd_opt(chrono::Datelike::year(&min), chrono::Datelike::month(&min), 1).unwrap_or(min);
    let months = (span / 30.0) as i32;
    let step = if months > 18 { 3 } else { 1 };
    let mut i = 0;
    while d <= max {
        let xx = x(d);
        if xx >= left {
            s.push_str(&format!(r##"<line x1="{xx:.1}" x2="{xx:.1}" y1="16" y2="{h}" stroke="#e4e7eb"/>"##));
            if i % step == 0 {
                s.push_str(&format!(
                    r##"<text x="{xx:.1}" y="12" font-size="10" fill="#52606d">{}</text>"##,
                    d.format("%Y-%m")
                ));
            }
        }
        i += 1;
        d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(max + chrono::Days::new(1));
    }
    for (i, n) in p.nodes.iter().enumerate() {
        let y = 30.0 + i as f64 * row;
        let done = n.actual_on.is_some();
        let color = light_color(n.light, done);
        let tip = format!(
            "{} · {} {} · {} {}{}",
            n.name,
            cx.t("project.planned"),
            n.planned_on,
            cx.t("project.actual"),
            opt_date(n.actual_on),
            n.light_reason.as_deref().map(|r| format!(" · {r}")).unwrap_or_default()
        );
        s.push_str(&format!(
            r##"<g><title>{}</title><text x="4" y="{:.1}" font-size="12" fill="#1f2933">{}</text>"##,
            esc(&tip),
            y + 4.0,
            esc(&n.name)
        ));
        let px = x(n.planned_on);
        if let Some(a) = n.actual_on {
            let ax = x(a);
            s.push_str(&format!(
                r##"<line x1="{px:.1}" x2="{ax:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{color}" stroke-width="3" opacity="0.5"/><circle cx="{ax:.1}" cy="{y:.1}" r="6" fill="{color}"/>"##
            ));
        } else if as_of > n.planned_on {
            let ax = x(as_of);
            s.push_str(&format!(
                r##"<line x1="{px:.1}" x2="{ax:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{color}" stroke-width="3" stroke-dasharray="4 3"/>"##
            ));
        }
        s.push_str(&format!(
            r##"<path d="M{px:.1} {:.1} l6 6 l-6 6 l-6 -6 z" fill="#fff" stroke="{color}" stroke-width="2"/></g>"##,
            y - 6.0
        ));
    }
    let tx = x(as_of);
    s.push_str(&format!(
        r##"<line x1="{tx:.1}" x2="{tx:.1}" y1="16" y2="{h}" stroke="#c0392b" stroke-dasharray="3 3"/><text x="{:.1}" y="{:.1}" font-size="10" fill="#c0392b" text-anchor="end">{}</text></svg>"##,
        tx - 3.0,
        h - 2.0,
        esc(cx.t("battle.today"))
    ));
    s.push_str(&format!(
        r#"<p class="legend"><span class="sym-planned">◇</span> {} <span class="sym-actual">●</span> {} <span class="sym-today">┆</span> {}</p>"#,
        cx.t("project.planned"),
        cx.t("project.actual"),
        cx.t("battle.today")
    ));
    s
}

/// 审批时限: each clock of the project read on the data date, its spans not counted, and for
/// the coordinators the forms to record, end and delete spans (through the JSON API).
fn clocks_panel(cx: &Ctx, id: i64, clocks: &ProjectClocks, may_edit: bool) -> String {
    use zhantu_domain::clocks::ClockState;
    use zhantu_domain::model::DayKind;
    let t = |k: &str| cx.t(k);
    let unit = |k: DayKind| {
        t(match k {
            DayKind::Calendar => "clocks.unit.calendar",
            DayKind::Working => "clocks.unit.working",
        })
    };
    let state = |s: ClockState| {
        t(match s {
            ClockState::NotStarted => "clocks.state.not_started",
            ClockState::Running => "clocks.state.running",
            ClockState::Paused => "clocks.state.paused",
            ClockState::Stopped => "clocks.state.stopped",
        })
    };
    let mut out = String::new();
    if clocks.clocks.is_empty() {
        out.push_str(&format!(r#"<p class="empty">{}</p>"#, t("clocks.none")));
    } else {
        let rows: String = clocks
            .clocks
            .iter()
            .map(|c| {
                let r = &c.reading;
                let u = unit(c.day_kind);
                format!(
                    r#"<tr><th scope="row">{}</th><td>{} → {}</td><td class="num">{} {u}</td><td class="num">{}</td><td class="num">{}</td><td class="num">{}</td><td>{}</td><td>{} {}</td></tr>"#,
                    esc(&c.name),
                    esc(&c.start_node),
                    esc(&c.stop_node),
                    c.limit_days,
                    r.elapsed,
                    r.excluded,
                    r.remaining,
                    opt_date(r.due_on),
                    light_badge(cx.lang, c.light, None),
                    state(r.state),
                )
            })
            .collect();
        let th: String = [
            "clocks.clock",
            "clocks.nodes",
            "clocks.limit",
            "clocks.elapsed",
            "clocks.excluded",
            "clocks.remaining",
            "clocks.due",
            "clocks.state",
        ]
        .iter()
        .map(|h| format!(r#"<th scope="col">{}</th>"#, t(h)))
        .collect();
        out.push_str(&format!(
            r#"<div class="table-wrap"><table class="clocks"><thead><tr>{th}</tr></thead><tbody>{rows}</tbody></table></div>"#
        ));
    }
    out.push_str(&format!("<h3>{}</h3>", t("clocks.exclusions")));
    let api_form = |api: String, method: &str, inner: String, submit: &str| {
        format!(
            r#"<form class="api-form inline" data-api="{}" data-method="{method}" data-enctype="json" method="post">{inner}<p class="form-error" role="alert" hidden></p><button type="submit">{submit}</button></form>"#,
            esc(&api)
        )
    };
    let spans: String = clocks
        .exclusions
        .iter()
        .map(|e| {
            let version = format!(r#"<input type="hidden" name="version" value="{}" data-type="number">"#, e.version);
            let actions = if may_edit {
                let close = if e.until.is_none() {
                    api_form(
                        format!("/api/v1/clock-exclusions/{}/close", e.id),
                        "POST",
                        format!(
                            r#"{version}<label class="sr" for="until{sid}">{l}</label><input id="until{sid}" name="until" type="date" value="{as_of}" required>"#,
                            sid = e.id,
                            l = t("clocks.until"),
                            as_of = clocks.as_of
                        ),
                        t("clocks.close"),
                    )
                } else {
                    String::new()
                };
                let delete = api_form(format!("/api/v1/clock-exclusions/{}", e.id), "DELETE", version.clone(), t("clocks.delete"));
                format!("{close}{delete}")
            } else {
                "—".into()
            };
            format!(
                r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class="actions">{actions}</td></tr>"#,
                esc(e.clock_name.as_deref().unwrap_or(t("clocks.all_clocks"))),
                e.from,
                e.until.map(|d| d.to_string()).unwrap_or_else(|| t("clocks.open").to_string()),
                esc(&e.reason),
                esc(&e.created_by),
            )
        })
        .collect();
    if spans.is_empty() {
        out.push_str(&format!(r#"<p class="empty">{}</p>"#, t("common.none")));
    } else {
        let th: String = [
            "clocks.clock",
            "clocks.from",
            "clocks.until",
            "clocks.reason",
            "clocks.by",
            "work.actions",
        ]
        .iter()
        .map(|h| format!(r#"<th scope="col">{}</th>"#, t(h)))
        .collect();
        out.push_str(&format!(
            r#"<div class="table-wrap"><table class="clock-spans"><thead><tr>{th}</tr></thead><tbody>{spans}</tbody></table></div>"#
        ));
    }
    if may_edit && !clocks.clocks.is_empty() {
        let options: String = std::iter::once(format!(r#"<option value="">{}</option>"#, t("clocks.all_clocks")))
            .chain(
                clocks
                    .clocks
                    .iter()
                    .map(|c| format!(r#"<option value="{n}">{n}</option>"#, n = esc(&c.name))),
            )
            .collect();
        let inner = format!(
            r#"<label for="span-clock">{}</label><select id="span-clock" name="clock_name">{options}</select><label for="span-from">{}</label><input id="span-from" name="from" type="date" required max="{as_of}"><label for="span-until">{}</label><input id="span-until" name="until" type="date" max="{as_of}" title="{}"><label for="span-reason">{}</label><input id="span-reason" name="reason" required maxlength="{max}" placeholder="{}">"#,
            t("clocks.clock"),
            t("clocks.from"),
            t("clocks.until"),
            t("clocks.until_hint"),
            t("clocks.reason"),
            t("clocks.reason_hint"),
            as_of = clocks.as_of,
            max = zhantu_domain::clocks::SPAN_REASON_MAX_CHARS,
        );
        out.push_str(&format!(
            r#"<details><summary>{}</summary><form class="api-form stack" data-api="/api/v1/projects/{id}/clock-exclusions" data-enctype="json" method="post">{inner}<p class="form-error" role="alert" hidden></p><button type="submit">{}</button></form></details>"#,
            t("clocks.add"),
            t("clocks.submit")
        ));
    }
    out
}

pub async fn page(State(st): State<AppState>, cx: Ctx, IdPath(id): IdPath) -> Result<Html<String>, PageError> {
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
        .map(|(_, zh, en)| if lang == super::Lang::Zh { zh.as_str() } else { en.as_str() })
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

    let powers = super::actions::Powers {
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
                super::actions::node_actions(&cx, n, &powers, pending.get(&n.id).map(Vec::as_slice).unwrap_or(&[]), as_of),
            )
        })
        .collect();
    let clocks = clocks_panel(
        &cx,
        id,
        &st.store.project_clocks(id).await?,
        cx.auth.actor.may(zhantu_domain::access::Action::ExcludeClockTime).is_ok(),
    );
    let (baseline, versions) = st.store.schedule_versions(id).await?;
    let schedule = super::actions::schedule_panel(&cx, &baseline, &versions);
    let report_form = if powers.edit {
        super::actions::report_form(&cx, id, as_of)
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
        qname = esc(&super::qv(&s.name)),
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
        timeline = timeline(&p, as_of, &cx),
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
