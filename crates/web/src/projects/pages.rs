//! The projects' pages: the registry (项目库, `/projects`) with its filters, order and pager in
//! the URL, and one project whole (`/projects/{id}`): facts, nodes on a timeline, approval
//! clocks, schedule changes, investment by month, stage history, progress reports, problems
//! and the audit history.

use crate::AppState;
use crate::extract::IdPath;
use crate::page::filters::{ListQuery, filter_form, val};
use crate::page::i18n::tf;
use crate::page::select::{SelectOption, options};
use crate::page::{Ctx, Flash, Lang, Markup, PageError, check_read, layout, light_badge, money, opt_date, query_string, qv, stage_label};
use crate::panels;
use crate::panels::nodes::{PlanChoices, Powers};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use zhantu_domain::Stage;
use zhantu_domain::access::Action;
use zhantu_store::{AuditFilter, ProjectListItem, ProjectSort};

#[derive(Template)]
#[template(path = "projects/sort.html")]
struct SortSelect<'a> {
    cx: &'a Ctx,
    options: Vec<SelectOption>,
}

/// One project of the registry's table.
struct RegistryRow {
    light: Markup,
    id: i64,
    name: String,
    code: String,
    unit: String,
    leader: String,
    stage: &'static str,
    investment: String,
    start: String,
    categories: String,
    division: &'static str,
    /// The latest delivery-confidence rating (level code, its name, the month, and the
    /// disagreement with its light in words, empty when they agree).
    confidence: Option<(&'static str, &'static str, String, &'static str)>,
}

#[derive(Template)]
#[template(path = "projects/registry.html")]
struct Registry<'a> {
    cx: &'a Ctx,
    total: String,
    total_n: i64,
    /// What the filters outside the form select ("2019年类别名单", "开工 2019-01-01 至 …").
    notes: Vec<String>,
    /// The filters' query string (without order and paging), for the links to other views.
    filters: String,
    /// The filters, order and language, for the Excel export of what the page lists.
    export: String,
    form: Markup,
    rows: Vec<RegistryRow>,
    first_page: Option<String>,
    next_page: Option<String>,
    /// The reader may create projects (新建项目).
    may_create: bool,
}

pub(super) async fn registry(State(st): State<AppState>, cx: Ctx, Query(q): Query<ListQuery>) -> Result<Html<String>, PageError> {
    let filter = q.filter(&cx)?;
    let sort = q.sort();
    let page = st.store.list_projects_sorted(&filter, sort).await?;
    let choices = st.store.filter_choices().await?;
    let lang = cx.lang;
    let sorts = ProjectSort::ALL
        .iter()
        .map(|s| (s.code().to_string(), cx.t(&format!("sort.{}", s.code())).to_string()));
    let extra = Markup::of(&SortSelect {
        cx: &cx,
        options: SelectOption::list(sorts, sort.code()),
    });
    let form = filter_form(&cx, "/projects", &q, &choices, extra);
    let rows = page
        .items
        .iter()
        .map(|p| RegistryRow {
            light: crate::page::light_with_reason(lang, p.light, p.light_reason.as_deref(), p.light_reason_en.as_deref()),
            id: p.id,
            name: p.name.clone(),
            code: p.code.clone().unwrap_or_default(),
            unit: p.unit.name.clone(),
            leader: p.leader.as_ref().map(|l| l.name.clone()).unwrap_or_else(|| "—".into()),
            stage: stage_label(lang, p.stage),
            investment: money(lang, p.total_investment_wan.0, false),
            start: opt_date(p.started_on.or(p.planned_start_on)),
            categories: p.categories.join("、"),
            division: p.division_name.unwrap_or("—"),
            confidence: p.confidence.as_ref().map(|c| {
                (
                    c.level.code(),
                    if lang == Lang::Zh { c.level.label_zh() } else { c.level.label_en() },
                    c.month.clone(),
                    c.disagreement
                        .map_or("", |d| if lang == Lang::Zh { d.label_zh() } else { d.label_en() }),
                )
            }),
        })
        .collect();
    let mut keep = q.pairs();
    let sort_code = sort.code();
    if sort != ProjectSort::Id {
        keep.push(("sort", sort_code));
    }
    let limit = val(&q.filter.limit);
    if !limit.is_empty() {
        keep.push(("limit", limit));
    }
    let mut export = q.pairs();
    export.push(("sort", sort_code));
    export.push(("lang", lang.code()));
    let next = page.next_cursor.map(|n| n.to_string());
    let next_page = next.as_deref().map(|n| {
        let mut with = keep.clone();
        with.push(("after", n));
        query_string(&with)
    });
    let mut notes = Vec::new();
    if let Some(y) = filter.year {
        notes.push(tf(lang, "registry.note.year", &[("y", &y.to_string())]));
    }
    if let Some(y) = filter.planned_year {
        notes.push(tf(lang, "registry.note.planned_year", &[("y", &y.to_string())]));
    }
    if filter.started_from.is_some() || filter.started_to.is_some() {
        let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
        notes.push(tf(
            lang,
            "registry.note.started",
            &[("from", &d(filter.started_from)), ("to", &d(filter.started_to))],
        ));
    }
    if let (Some(m), Some(_)) = (filter.light_month, filter.light) {
        notes.push(tf(lang, "registry.note.light_month", &[("m", &m.format("%Y-%m").to_string())]));
    }
    if let Some(d) = filter.disagree {
        notes.push(cx.t(&format!("registry.note.disagree.{}", d.code())).to_string());
    }
    if filter.active {
        notes.push(cx.t("registry.note.active").to_string());
    }
    if filter.unit_exact {
        notes.push(cx.t("registry.note.unit_exact").to_string());
    }
    let body = Markup::of(&Registry {
        cx: &cx,
        total: tf(lang, "registry.total", &[("n", &page.total.to_string())]),
        total_n: page.total,
        notes,
        filters: query_string(&q.pairs()),
        export: query_string(&export),
        form,
        rows,
        first_page: filter.after.is_some().then(|| query_string(&keep)),
        next_page,
        may_create: cx.auth.actor.may_edit_some_unit().is_ok(),
    });
    Ok(layout(&cx, cx.t("registry.title"), body, &[]))
}

/// One fact of the project, linked to the registry filtered by it when `href` is set.
struct Fact {
    key: &'static str,
    text: String,
    href: Option<String>,
    /// The text is data (a name, a place, free text), shown as it is in every language.
    data: bool,
}

fn fact(key: &'static str, text: impl Into<String>) -> Fact {
    Fact {
        key,
        text: text.into(),
        href: None,
        data: false,
    }
}

/// A fact whose text is data.
fn data_fact(key: &'static str, text: impl Into<String>) -> Fact {
    Fact {
        data: true,
        ..fact(key, text)
    }
}

struct StageRow<'a> {
    on: NaiveDate,
    from: String,
    to: String,
    note: &'a str,
    actor: &'a str,
}

/// The form moving the project's stage (with its date and reason).
struct StageForm {
    stages: Markup,
}

/// One year of the project: its categories and annual plan.
struct YearRow {
    year: i64,
    categories: String,
    planned: String,
}

/// The form setting a year's categories (coordinators) and plan.
struct YearForm {
    year: i32,
    /// (id, name, on the list that year) when the user may set categories.
    categories: Option<Vec<(i64, String, bool)>>,
    /// The year's plan in 万元, as it would be typed.
    planned: String,
    /// Other years the form can be opened for.
    others: Vec<i32>,
}

struct AuditRow {
    at: String,
    actor: String,
    /// The action's code (`node.verify`), kept in an attribute for tools and tests.
    code: String,
    action: String,
    changes: Markup,
}

#[derive(Template)]
#[template(path = "projects/project.html")]
struct ProjectPage<'a> {
    cx: &'a Ctx,
    s: &'a ProjectListItem,
    light: Markup,
    name_query: String,
    facts: Vec<Fact>,
    description: &'a str,
    nodes: Markup,
    clocks: Markup,
    light_history: Markup,
    schedule: Markup,
    flash: Markup,
    /// Each year with categories or a plan.
    years: Vec<YearRow>,
    year_form: Option<YearForm>,
    /// The page was opened for a year: its form is open.
    year_chosen: bool,
    stage_form: Option<StageForm>,
    /// The project's position as its form shows it, when the reader may set it.
    position_form: Option<String>,
    /// The monthly investment chart's ECharts option, as JSON.
    chart: Option<String>,
    /// ("2019-06", amount) of each month.
    months: Vec<(String, String)>,
    stages: Vec<StageRow<'a>>,
    reports: Markup,
    problems: Markup,
    /// 批示 and 督办单 (the `instructions` mechanism's panel).
    instructions: Markup,
    audit: Vec<AuditRow>,
    as_of: NaiveDate,
    /// The light's reason on an English page.
    reason_en: Option<Markup>,
    /// The latest delivery-confidence rating beside the light (the `confidence` mechanism).
    confidence: Option<ConfidenceNote>,
    /// Forecasts pushed by predecessors, floats and the critical path (`critical_path`).
    critical_path: Markup,
    /// The leaders' field work at the project (`field_work`).
    field_work: Markup,
}

/// The latest rating as the page's head shows it.
struct ConfidenceNote {
    level_code: &'static str,
    level: &'static str,
    month: String,
    /// Non-empty when it disagrees with the light it was given against.
    flag: &'static str,
}

/// The project page's query: a form's message, and the year its year form sets.
#[derive(serde::Deserialize, Default)]
pub(super) struct ProjectQuery {
    ok: Option<String>,
    error: Option<String>,
    year: Option<String>,
}

pub(super) async fn project(
    State(st): State<AppState>,
    cx: Ctx,
    IdPath(id): IdPath,
    Query(q): Query<ProjectQuery>,
) -> Result<Html<String>, PageError> {
    check_read(&st, &cx, id).await?;
    let p = st.store.project_detail(id).await.map_err(cx.err())?;
    let as_of = st.store.as_of().await?;
    let confidence = st.store.confidence_ratings(id).await?.into_iter().next().map(|r| ConfidenceNote {
        level_code: r.level.code(),
        level: if cx.lang == Lang::Zh {
            r.level.label_zh()
        } else {
            r.level.label_en()
        },
        month: r.month,
        flag: r
            .disagreement
            .map_or("", |d| if cx.lang == Lang::Zh { d.label_zh() } else { d.label_en() }),
    });
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
    let s = &p.summary;
    let industry = s
        .industry_code
        .as_deref()
        .map(|c| match zhantu_domain::reference::industry(c) {
            Some(r) => format!("{c} {}", r.name),
            None => c.to_string(),
        })
        .unwrap_or_else(|| "—".into());
    let types = st.store.project_types().await?;
    let type_name = types
        .iter()
        .find(|(c, _, _)| *c == s.project_type)
        .map(|(_, zh, en)| if lang == Lang::Zh { zh.as_str() } else { en.as_str() })
        .unwrap_or(&s.project_type);
    let mut facts = vec![
        fact("project.code", s.code.as_deref().unwrap_or("—")),
        Fact {
            key: "common.unit",
            text: s.unit.name.clone(),
            href: Some(format!("/projects?unit={}", s.unit.id)),
            data: true,
        },
        match &s.leader {
            Some(l) => Fact {
                key: "common.leader",
                text: l.name.clone(),
                href: Some(format!("/projects?leader={}", l.id)),
                data: true,
            },
            None => fact("common.leader", "—"),
        },
        fact("common.stage", stage_label(lang, s.stage)),
        fact("project.type", type_name),
        data_fact("project.industry", industry),
        fact("common.total_investment", money(lang, s.total_investment_wan.0, false)),
        data_fact("common.division", s.division_name.unwrap_or("—")),
        data_fact("project.location", p.location.as_str()),
        fact(
            "project.land",
            p.land_area_mu
                .as_deref()
                .map(|a| format!("{a} {}", cx.t("project.mu")))
                .unwrap_or_else(|| "—".into()),
        ),
        data_fact("project.investor", p.investor.as_str()),
        fact(
            "project.foreign",
            if p.foreign_investment {
                format!(
                    "{}{}",
                    cx.t("common.yes"),
                    p.foreign_investment_usd
                        .as_deref()
                        .map(|u| format!(" (USD {u})"))
                        .unwrap_or_default()
                )
            } else {
                cx.t("common.no").to_string()
            },
        ),
        fact("project.planned_year", s.planned_year.to_string()),
        fact("project.planned_start", opt_date(s.planned_start_on)),
        fact("project.started", opt_date(s.started_on)),
        fact("project.completed", opt_date(p.completed_on)),
        fact("project.in_statistics", opt_date(p.in_statistics_on)),
        data_fact(
            "common.category",
            if s.categories.is_empty() {
                "—".into()
            } else {
                s.categories.join("、")
            },
        ),
    ];

    // Where the project is ("lat, lng"): close-out photos taken far from it are flagged.
    let position = st.store.project_position(id).await?.map(|p| format!("{:.6}, {:.6}", p.lat, p.lng));
    facts.push(fact("project.position", position.as_deref().unwrap_or("—")));

    let powers = Powers {
        edit: cx.auth.actor.may(Action::Edit { unit_id: s.unit.id }).is_ok(),
        verify: cx.auth.actor.may(Action::Verify).is_ok(),
    };
    let pending = st.store.pending_date_changes(id).await?;
    let actor = &cx.auth.actor;
    let units: Vec<(String, String)> = st
        .store
        .filter_choices()
        .await?
        .units
        .into_iter()
        .filter(|u| actor.reads_all() || actor.in_scope(u.id))
        .map(|u| (u.id.to_string(), format!("{}{}", "　".repeat(u.depth as usize), u.name)))
        .collect();
    let nodes = panels::nodes::panel(&cx, &p, &powers, &PlanChoices { units: &units }, &pending, as_of);
    let clocks = panels::clocks::panel(
        &cx,
        id,
        &st.store.project_clocks(id).await?,
        cx.auth.actor.may(Action::ExcludeClockTime).is_ok(),
    );
    let light_history = panels::lights::history(&cx, &st.store.light_history(id).await?);
    let (baseline, versions) = st.store.schedule_versions(id).await?;
    let schedule = panels::nodes::schedule_panel(&cx, &baseline, &versions);
    // A dependency cycle written around the checks (an old import) leaves the panel out, not the page.
    let critical_path = match st.store.project_schedule(id).await {
        Ok(s) => panels::critical_path::panel(&cx, &s, powers.edit),
        Err(zhantu_store::StoreError::Rule(_)) => Markup::default(),
        Err(e) => return Err(e.into()),
    };
    let reports = panels::reports::panel(&cx, &p, powers.edit, as_of);
    let field_work = panels::field_work::panel(
        &cx,
        &st.store
            .field_work_entries(&zhantu_store::field_work::FieldWorkFilter {
                project: Some(id),
                ..Default::default()
            })
            .await?,
    );
    let problems = panels::problems::panel(&cx, &p);
    let instructions = panels::instructions::panel(&st, &cx, &p, as_of).await?;
    let stage_name = |code: &str| {
        Stage::from_code(code)
            .map(|s| stage_label(lang, s).to_string())
            .unwrap_or_else(|| code.to_string())
    };
    let stages = p
        .stage_history
        .iter()
        .map(|c| StageRow {
            on: c.on,
            from: c.from.as_deref().map(stage_name).unwrap_or_else(|| "—".into()),
            to: stage_name(&c.to),
            note: &c.note,
            actor: &c.actor,
        })
        .collect();
    let stage_form = powers.edit.then(|| {
        let choices: Vec<SelectOption> = Stage::ALL
            .iter()
            .filter(|x| **x != s.stage)
            .map(|x| SelectOption::new(x.code(), stage_label(lang, *x), false))
            .collect();
        StageForm { stages: options(&choices) }
    });
    let mut year_set: std::collections::BTreeSet<i64> = p.annual_plans.iter().map(|a| a.year).collect();
    year_set.extend(p.category_years.iter().map(|c| c.year));
    let years = year_set
        .iter()
        .map(|y| YearRow {
            year: *y,
            categories: p
                .category_years
                .iter()
                .filter(|c| c.year == *y)
                .map(|c| c.category.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            planned: p
                .annual_plans
                .iter()
                .find(|a| a.year == *y)
                .map(|a| money(lang, a.planned_wan.0, false))
                .unwrap_or_else(|| "—".into()),
        })
        .collect();
    // The year form sets one year (the data day's unless the page names another), its
    // categories ticked as they are that year, so saving never copies one year onto another.
    let year = q
        .year
        .as_deref()
        .and_then(|y| zhantu_domain::Year::parse(y.trim()).ok())
        .map(|y| y.get())
        .unwrap_or(as_of.year());
    let year_form = if powers.edit {
        let categories = if actor.may(Action::SetCategories).is_ok() {
            Some(
                st.store
                    .category_choices()
                    .await?
                    .into_iter()
                    .map(|c| {
                        let on = p.category_years.iter().any(|m| m.year == year as i64 && m.category.id == c.id);
                        (c.id, c.name, on)
                    })
                    .collect(),
            )
        } else {
            None
        };
        let planned = p
            .annual_plans
            .iter()
            .find(|a| a.year == year as i64)
            .map(|a| a.planned_wan.0.wan_exact())
            .unwrap_or_default();
        let mut others: std::collections::BTreeSet<i32> = year_set.iter().map(|y| *y as i32).collect();
        others.extend([as_of.year(), as_of.year() + 1]);
        others.remove(&year);
        Some(YearForm {
            year,
            categories,
            planned,
            others: others.into_iter().collect(),
        })
    } else {
        None
    };
    let month = |y: i64, m: i64| format!("{y}-{m:02}");
    let chart = (!p.monthly_investment.is_empty()).then(|| {
        json!({
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 10, "right": 10, "bottom": 10, "top": 36},
            "xAxis": {"type": "category", "data": p.monthly_investment.iter().map(|m| month(m.year, m.month)).collect::<Vec<_>>()},
            "yAxis": {"type": "value", "name": cx.t("project.wan")},
            "series": [{"type": "bar", "itemStyle": {"color": "#2c6e9b"}, "data": p.monthly_investment.iter().map(|m| m.amount_wan.0.yuan() as f64 / 10_000.0).collect::<Vec<_>>()}]
        })
        .to_string()
    });
    let audit = audit
        .iter()
        .map(|e| AuditRow {
            at: cx.time(&e.at),
            actor: crate::page::audit::actor_label(lang, &e.actor),
            action: crate::page::audit::action_label(lang, &e.action),
            code: e.action.clone(),
            changes: crate::page::audit::changes_markup(lang, e.before.as_ref(), e.after.as_ref()),
        })
        .collect();
    let body = Markup::of(&ProjectPage {
        cx: &cx,
        s,
        light: light_badge(lang, s.light, s.light_reason.as_deref()),
        confidence,
        critical_path,
        field_work,
        // In English, the reason as the lights job wrote it in English (names marked as data).
        reason_en: (lang == Lang::En).then(|| p.light_reasons_en.first().map(|r| crate::page::names_marked(r)).unwrap_or_default()),
        name_query: qv(&s.name),
        facts,
        description: &p.description,
        nodes,
        clocks,
        light_history,
        schedule,
        flash: Flash {
            ok: q.ok.clone(),
            error: q.error.clone(),
        }
        .show(&cx, &["projects.flash_"]),
        years,
        year_chosen: q.year.is_some(),
        year_form,
        stage_form,
        position_form: powers.edit.then(|| position.clone().unwrap_or_default()),
        chart,
        months: p
            .monthly_investment
            .iter()
            .map(|m| (month(m.year, m.month), money(lang, m.amount_wan.0, false)))
            .collect(),
        stages,
        reports,
        problems,
        instructions,
        audit,
        as_of,
    });
    Ok(layout(&cx, &s.name, body, &["/assets/vendor/echarts.min.js", "/assets/app.js"]))
}
