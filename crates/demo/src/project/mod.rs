//! Projects: a small description of a project's fate ([`ProjectSpec`]) and the builder
//! that turns it into a full [`ProjectBundle`] — nodes from the type's template with
//! planned and actual dates, the stage history those dates imply, annual plans, the
//! year's monthly investment, monthly progress reports and the warning lights. Both the
//! scenario and the synthetic generator describe projects this way; only the builder
//! makes dates, so a project's stage, start date and nodes always agree.
//!
//! `draw.rs` draws a spec's identity (name, owner, amounts, street) from the district's
//! books; `build.rs` turns a spec into its dated bundle.

mod build;
mod draw;

pub(crate) use build::Builder;
pub(crate) use draw::{draft, land_for, random_total_wan};

use crate::district::Kind;
use chrono::NaiveDate;
use zhantu_domain::{LandArea, Money};

/// The year whose months carry investment and reports (the demo district's year).
pub(crate) const YEAR: i32 = 2019;

/// When the project reaches 开工.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StartFate {
    /// When its plan and luck say, if that is on or before the as-of date.
    Auto,
    /// On this date (the scenario's batches and category targets).
    On(NaiveDate),
    /// Not by the as-of date: the 开工 node stays open.
    NotYet,
}

/// A node that sticks open, so the project shows a light.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stall {
    None,
    /// A node due within a week or a few days late stays open.
    Yellow,
    /// A node more than two weeks overdue stays open.
    Red,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PinActual {
    Open,
    On(NaiveDate),
}

/// A fixed date of one named node (the article's named projects).
#[derive(Debug, Clone)]
pub(crate) struct Pin {
    pub step: &'static str,
    pub planned: Option<NaiveDate>,
    pub actual: PinActual,
}

#[derive(Debug, Clone)]
pub(crate) struct ProjectSpec {
    pub name: String,
    pub kind: Kind,
    pub unit_id: i64,
    pub leader_id: i64,
    pub industry: &'static str,
    /// Index into the district's streets.
    pub street: usize,
    pub location: String,
    pub land: Option<LandArea>,
    pub total: Money,
    pub investor: String,
    pub foreign_usd_cents: Option<i64>,
    pub planned_year: i32,
    /// Planned 开工 date; the other nodes are planned around it.
    pub planned_start: NaiveDate,
    /// Percentage applied to the durations of the construction steps.
    pub pace: i64,
    pub start: StartFate,
    pub stall: Stall,
    /// Withdrawn from the pool (退库).
    pub terminated: bool,
    /// The year's planned investment, when the scenario fixes it.
    pub plan_year: Option<Money>,
    pub pins: Vec<Pin>,
    pub categories: Vec<(i64, i32)>,
    pub description: String,
    /// The attraction team that brought the project in.
    pub team: Option<i64>,
    pub source_region: &'static str,
}

impl ProjectSpec {
    pub fn tag(&mut self, category_id: i64, year: i32) {
        if !self.categories.contains(&(category_id, year)) {
            self.categories.push((category_id, year));
        }
    }
}

/// How an industrial project is named and which industries it may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Any,
    /// 千亿产业培育工程: one of the district's big manufacturing chains.
    Trillion,
    /// 产业数字化: a digital retrofit of an existing plant.
    Digital,
}
