//! The project page's node panels, owned by the `nodes` mechanism (templates/nodes/): the
//! nodes as a timeline and a table, the forms of the plan (add a node, edit, move, remove it;
//! approve the baseline), the forms of the weekly work on each node (report done with
//! evidence, verify or send back, ask to move a planned date, decide such a request) and the
//! schedule's versions. Each form posts to the JSON API through app.js (`form[data-api]`),
//! so the page and the API share one set of rules and one audit trail; the answer's Chinese
//! message is shown in the form when the API refuses.

use crate::page::select::{SelectOption, options};
use crate::page::{Ctx, Markup, light_with_reason, opt_date};
use askama::Template;
use chrono::NaiveDate;
use std::collections::HashMap;
use zhantu_domain::nodes::Baseline;
use zhantu_domain::schedule::{BaselineNode, ChangeKind, ScheduleVersion};
use zhantu_store::{DATE_CHANGE_REASONS, DateChange, NodeView, ProjectDetail};

/// What the signed-in user may do on this project.
pub struct Powers {
    /// Report nodes done, ask for date changes, file progress reports, shape the plan.
    pub edit: bool,
    /// Verify close-outs, decide date changes, approve the baseline.
    pub verify: bool,
}

/// What the plan's forms offer: the units a node may be given to, as (id, name).
pub struct PlanChoices<'a> {
    pub units: &'a [(String, String)],
}

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

struct Tick {
    x: String,
    label: Option<String>,
}

struct TimelineRow {
    tip: String,
    name: String,
    y: String,
    text_y: String,
    top: String,
    planned_x: String,
    color: &'static str,
    /// Done: the actual date's position.
    actual_x: Option<String>,
    /// Not done and late: the data date's position.
    late_x: Option<String>,
}

/// The nodes as a small Gantt (SVG): a row per node, planned ◇, actual ●, the delay between
/// them, and the data date as a line. Scales with the page (viewBox). The coordinates are
/// computed here; the template writes them and escapes every text.
#[derive(Template)]
#[template(path = "nodes/timeline.html")]
struct Timeline<'a> {
    cx: &'a Ctx,
    width: String,
    height: String,
    ticks: Vec<Tick>,
    rows: Vec<TimelineRow>,
    today_x: String,
    today_label_x: String,
    today_label_y: String,
}

fn timeline(p: &ProjectDetail, as_of: NaiveDate, cx: &Ctx) -> Markup {
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
    // Month ticks along the top (every month, labels every quarter when crowded).
    let mut ticks = Vec::new();
    let mut d = NaiveDate::from_ymd_opt(chrono::Datelike::year(&min), chrono::Datelike::month(&min), 1).unwrap_or(min);
    let months = (span / 30.0) as i32;
    let step = if months > 18 { 3 } else { 1 };
    let mut i = 0;
    while d <= max {
        let xx = x(d);
        if xx >= left {
            ticks.push(Tick {
                x: format!("{xx:.1}"),
                label: (i % step == 0).then(|| d.format("%Y-%m").to_string()),
            });
        }
        i += 1;
        d = d.checked_add_months(chrono::Months::new(1)).unwrap_or(max + chrono::Days::new(1));
    }
    let rows = p
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let y = 30.0 + i as f64 * row;
            TimelineRow {
                tip: format!(
                    "{} · {} {} · {} {}{}",
                    n.name,
                    cx.t("project.planned"),
                    n.planned_on,
                    cx.t("project.actual"),
                    opt_date(n.actual_on),
                    // The node's reason in the reader's language (its names as recorded).
                    crate::page::reason_text(cx.lang, n.light_reason.as_deref(), n.light_reason_en.as_deref())
                        .filter(|_| n.light.is_some())
                        .map(|r| format!(" · {r}"))
                        .unwrap_or_default()
                ),
                name: n.name.clone(),
                y: format!("{y:.1}"),
                text_y: format!("{:.1}", y + 4.0),
                top: format!("{:.1}", y - 6.0),
                planned_x: format!("{:.1}", x(n.planned_on)),
                color: light_color(n.light, n.actual_on.is_some()),
                actual_x: n.actual_on.map(|a| format!("{:.1}", x(a))),
                late_x: (n.actual_on.is_none() && as_of > n.planned_on).then(|| format!("{:.1}", x(as_of))),
            }
        })
        .collect();
    let tx = x(as_of);
    Markup::of(&Timeline {
        cx,
        width: (left + width + 10.0).to_string(),
        height: h.to_string(),
        ticks,
        rows,
        today_x: format!("{tx:.1}"),
        today_label_x: format!("{:.1}", tx - 3.0),
        today_label_y: format!("{:.1}", h - 2.0),
    })
}

/// A pending date change with its reason's name.
struct Pending<'a> {
    change: &'a DateChange,
    reason: &'a str,
}

/// The actions cell of one node's row.
#[derive(Template)]
#[template(path = "nodes/actions.html")]
struct Actions<'a> {
    cx: &'a Ctx,
    n: &'a NodeView,
    project_id: i64,
    as_of: NaiveDate,
    report: bool,
    verify: bool,
    date_change: bool,
    decide: bool,
    reasons: Vec<(&'static str, &'static str)>,
    pending: Vec<Pending<'a>>,
    /// The plan's forms for this node, when the user may shape the plan.
    plan: Option<Markup>,
}

/// The plan's forms of one node: edit (its planned date while the plan is a draft), move up
/// or down (the whole order, the project's version), remove.
#[derive(Template)]
#[template(path = "nodes/plan_node.html")]
struct PlanNode<'a> {
    cx: &'a Ctx,
    n: &'a NodeView,
    draft: bool,
    project_id: i64,
    project_version: i64,
    units: Markup,
    /// (the order of every node with this one a place earlier or later, the button's key).
    moves: Vec<(String, &'static str)>,
    removable: bool,
}

#[allow(clippy::too_many_arguments)]
fn node_actions(
    cx: &Ctx,
    n: &NodeView,
    project_id: i64,
    powers: &Powers,
    pending: &[DateChange],
    as_of: NaiveDate,
    plan: Option<Markup>,
    draft: bool,
) -> Markup {
    let reasons = DATE_CHANGE_REASONS
        .iter()
        .map(|(code, zh)| (*code, date_reason_label(cx, code).unwrap_or(zh)))
        .collect();
    let pending = pending
        .iter()
        .map(|c| Pending {
            change: c,
            reason: date_reason_label(cx, &c.reason_code).unwrap_or(c.reason_code.as_str()),
        })
        .collect();
    Markup::of(&Actions {
        cx,
        n,
        project_id,
        as_of,
        report: powers.edit && n.status == "open",
        verify: powers.verify && n.status == "reported",
        date_change: powers.edit && n.status != "closed" && !draft,
        decide: powers.verify,
        reasons,
        pending,
        plan,
    })
}

/// The order of `ids` with places `i` and `j` swapped, as the form sends it (`3,1,2`).
fn swapped(ids: &[i64], i: usize, j: usize) -> String {
    let mut o = ids.to_vec();
    o.swap(i, j);
    o.iter().map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

/// The units a node may be given to, after a first option (`first`, the empty value).
fn unit_options(first: SelectOption, units: &[(String, String)]) -> Markup {
    let all: Vec<SelectOption> = std::iter::once(first)
        .chain(SelectOption::list(units.iter().cloned(), ""))
        .collect();
    options(&all)
}

struct NodeRow<'a> {
    node: &'a NodeView,
    /// Open problems that hold the node up (问题清单), linked.
    blocking: Vec<i64>,
    person: &'a str,
    status: &'static str,
    light: Markup,
    actions: Markup,
}

#[derive(Template)]
#[template(path = "nodes/panel.html")]
struct NodesPanel<'a> {
    cx: &'a Ctx,
    project_id: i64,
    project_version: i64,
    draft: bool,
    approved_by: String,
    timeline: Markup,
    rows: Vec<NodeRow<'a>>,
    /// Add a node, when the user may shape the plan.
    add: bool,
    /// Approve the draft as the baseline, for a coordinator.
    approve: bool,
    units: Markup,
    /// (node id, name) to place a new node after.
    after: Vec<(i64, &'a str)>,
    as_of: NaiveDate,
}

/// The nodes panel: the plan's state and forms, the timeline and the table of nodes with
/// their forms. `pending` holds the project's date changes awaiting a decision.
pub fn panel(cx: &Ctx, p: &ProjectDetail, powers: &Powers, choices: &PlanChoices, pending: &[DateChange], as_of: NaiveDate) -> Markup {
    let mut by_node: HashMap<i64, Vec<DateChange>> = HashMap::new();
    for c in pending {
        by_node.entry(c.node_id).or_default().push(c.clone());
    }
    let draft = p.baseline == Baseline::Draft;
    let version = p.summary.version;
    let ids: Vec<i64> = p.nodes.iter().map(|n| n.id).collect();
    let rows = p
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let plan = powers.edit.then(|| {
                Markup::of(&PlanNode {
                    cx,
                    n,
                    draft,
                    project_id: p.summary.id,
                    project_version: version,
                    units: unit_options(
                        SelectOption::quoting("", cx.tf("plan.keep_unit", &[("unit", &n.responsible_unit.name)]), true),
                        choices.units,
                    ),
                    moves: [
                        (i > 0).then(|| (swapped(&ids, i, i - 1), "plan.up")),
                        (i + 1 < ids.len()).then(|| (swapped(&ids, i, i + 1), "plan.down")),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    removable: n.status == "open",
                })
            });
            NodeRow {
                node: n,
                blocking: p
                    .problems
                    .iter()
                    .filter(|pr| pr.blocking_node_id == Some(n.id) && pr.status != "closed")
                    .map(|pr| pr.id)
                    .collect(),
                person: n.responsible_person.as_ref().map(|x| x.name.as_str()).unwrap_or("—"),
                status: cx.t(&format!("status.{}", n.status)),
                light: light_with_reason(cx.lang, n.light, n.light_reason.as_deref(), n.light_reason_en.as_deref()),
                actions: node_actions(
                    cx,
                    n,
                    p.summary.id,
                    powers,
                    by_node.get(&n.id).map(Vec::as_slice).unwrap_or(&[]),
                    as_of,
                    plan,
                    draft,
                ),
            }
        })
        .collect();
    Markup::of(&NodesPanel {
        cx,
        project_id: p.summary.id,
        project_version: version,
        draft,
        approved_by: match (&p.baseline_approved_by, &p.baseline_approved_at) {
            (Some(by), Some(at)) => format!("{by} {}", cx.time(at)),
            _ => String::new(),
        },
        timeline: timeline(p, as_of, cx),
        rows,
        add: powers.edit,
        approve: powers.verify && draft && !p.nodes.is_empty(),
        units: unit_options(SelectOption::new("", cx.t("plan.project_unit"), true), choices.units),
        after: p.nodes.iter().map(|n| (n.id, n.name.as_str())).collect(),
        as_of,
    })
}

struct ChangeRow<'a> {
    version: usize,
    /// What the version did: moved a date, added a node, removed one.
    kind: &'static str,
    node: &'a str,
    from: String,
    to: String,
    days: String,
    /// A date change's kind of reason in the reader's words (`None`: the reason is free text).
    reason_kind: Option<&'static str>,
    /// The reason's text as typed (a date change's details), data.
    reason: &'a str,
    requested_by: &'a str,
    approved: String,
}

/// A date change's kind of reason (`land`) in the reader's words; `None` for an unknown code.
fn date_reason_label(cx: &Ctx, code: &str) -> Option<&'static str> {
    crate::page::i18n::lookup(cx.lang, &format!("work.date_reason.{code}"))
}

struct Moved<'a> {
    name: &'a str,
    from: NaiveDate,
    to: NaiveDate,
    /// Signed: +3, -2.
    days: String,
}

/// The schedule's versions (baseline, then each approved change) and what moved since the
/// baseline, node by node.
#[derive(Template)]
#[template(path = "nodes/schedule.html")]
struct Schedule<'a> {
    cx: &'a Ctx,
    unchanged: bool,
    changes: Vec<ChangeRow<'a>>,
    moved: Vec<Moved<'a>>,
}

pub fn schedule_panel(cx: &Ctx, nodes: &[BaselineNode], all: &[ScheduleVersion]) -> Markup {
    if all.len() <= 1 {
        return Markup::of(&Schedule {
            cx,
            unchanged: true,
            changes: Vec::new(),
            moved: Vec::new(),
        });
    }
    let names: HashMap<i64, &str> = nodes.iter().map(|n| (n.node_id, n.name.as_str())).collect();
    let changes = all
        .iter()
        .filter_map(|v| v.change.as_ref().map(|c| (v.version, c)))
        .map(|(version, c)| ChangeRow {
            version,
            kind: cx.t(match c.kind {
                ChangeKind::Date => "plan.kind_date",
                ChangeKind::Added => "plan.kind_added",
                ChangeKind::Removed => "plan.kind_removed",
            }),
            node: names.get(&c.node_id).copied().unwrap_or(""),
            from: opt_date(c.from),
            to: opt_date(c.to),
            days: c.days().map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
            reason_kind: c.reason_code.as_deref().and_then(|code| date_reason_label(cx, code)),
            reason: match c.reason_code.as_deref().and_then(|code| date_reason_label(cx, code)) {
                Some(_) => c.reason_text.as_deref().unwrap_or(""),
                None => &c.reason,
            },
            requested_by: &c.requested_by,
            approved: format!("{} {}", c.approved_by, cx.time(&c.approved_at)),
        })
        .collect();
    let shifts = zhantu_domain::schedule::compare(nodes, all, 0, all.len() - 1).unwrap_or_default();
    let moved = shifts
        .iter()
        .filter(|s| s.days != 0)
        .map(|s| Moved {
            name: &s.name,
            from: s.from,
            to: s.to,
            days: format!("{:+}", s.days),
        })
        .collect();
    Markup::of(&Schedule {
        cx,
        unchanged: false,
        changes,
        moved,
    })
}
