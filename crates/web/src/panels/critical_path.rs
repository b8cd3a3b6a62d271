//! The project page's critical-path panel (the `critical_path` mechanism, templates/critical_path/):
//! each node's predecessors with their lags, its forecast (pushed by late predecessors), latest
//! finish, total float in working days, and a mark on the critical path's nodes; a link to set
//! a node's predecessors where the reader may edit the plan.

use crate::page::{Ctx, Markup};
use askama::Template;
use zhantu_store::critical_path::ProjectSchedule;

struct Row {
    id: i64,
    seq: i64,
    name: String,
    predecessors: String,
    planned: String,
    forecast: String,
    pushed: bool,
    late: String,
    float: String,
    critical: bool,
}

#[derive(Template)]
#[template(path = "critical_path/panel.html")]
struct Panel<'a> {
    cx: &'a Ctx,
    rows: Vec<Row>,
    target: String,
    forecast_end: String,
    path: String,
    edit: bool,
}

/// The panel of `s`; `edit`: links to the predecessor forms.
pub fn panel(cx: &Ctx, s: &ProjectSchedule, edit: bool) -> Markup {
    let name = |id: i64| s.nodes.iter().find(|n| n.id == id).map(|n| n.name.as_str()).unwrap_or("");
    let rows = s
        .nodes
        .iter()
        .map(|n| Row {
            id: n.id,
            seq: n.seq,
            name: n.name.clone(),
            predecessors: n
                .predecessors
                .iter()
                .map(|p| {
                    if p.lag_days > 0 {
                        format!("{} +{}", p.name, p.lag_days)
                    } else {
                        p.name.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join("、"),
            planned: n.planned_on.to_string(),
            forecast: n.forecast_on.to_string(),
            pushed: n.pushed_by.is_some(),
            late: n.late_on.to_string(),
            float: n.float_days.map(|f| f.to_string()).unwrap_or_else(|| "—".into()),
            critical: n.critical,
        })
        .collect();
    Markup::of(&Panel {
        cx,
        rows,
        target: s.target_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        forecast_end: s.forecast_end_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
        path: s.critical_path.iter().map(|id| name(*id)).collect::<Vec<_>>().join(" → "),
        edit,
    })
}
