//! The project page's approval clocks panel (审批时限), owned by the `clocks` mechanism
//! (templates/clocks/): each clock of the project read on the data date, its spans not
//! counted, and for the coordinators the forms to record, end and delete spans (through the
//! JSON API).

use crate::page::{Ctx, Markup, light_badge};
use askama::Template;
use chrono::NaiveDate;
use zhantu_domain::clocks::ClockState;
use zhantu_domain::model::DayKind;
use zhantu_store::{ClockExclusion, ProjectClock, ProjectClocks};

struct ClockRow<'a> {
    clock: &'a ProjectClock,
    unit: &'static str,
    light: Markup,
    state: &'static str,
    /// `超时3个工作日办结`: the mark of a clock that closed late, whatever its light.
    late: Option<String>,
}

#[derive(Template)]
#[template(path = "clocks/panel.html")]
struct ClocksPanel<'a> {
    cx: &'a Ctx,
    project_id: i64,
    as_of: NaiveDate,
    may_edit: bool,
    rows: Vec<ClockRow<'a>>,
    spans: &'a [ClockExclusion],
    max_reason: usize,
}

fn unit(cx: &Ctx, kind: DayKind) -> &'static str {
    cx.t(match kind {
        DayKind::Calendar => "clocks.unit.calendar",
        DayKind::Working => "clocks.unit.working",
    })
}

pub fn panel(cx: &Ctx, project_id: i64, clocks: &ProjectClocks, may_edit: bool) -> Markup {
    let rows = clocks
        .clocks
        .iter()
        .map(|c| ClockRow {
            clock: c,
            unit: unit(cx, c.day_kind),
            late: c
                .closed_late_by
                .map(|n| cx.tf("clocks.closed_late", &[("n", &n.to_string()), ("unit", unit(cx, c.day_kind))])),
            light: light_badge(cx.lang, c.light, None),
            state: cx.t(match c.reading.state {
                ClockState::NotStarted => "clocks.state.not_started",
                ClockState::Running => "clocks.state.running",
                ClockState::Paused => "clocks.state.paused",
                ClockState::Stopped => "clocks.state.stopped",
            }),
        })
        .collect();
    Markup::of(&ClocksPanel {
        cx,
        project_id,
        as_of: clocks.as_of,
        may_edit,
        rows,
        spans: &clocks.exclusions,
        max_reason: zhantu_domain::clocks::SPAN_REASON_MAX_CHARS,
    })
}
