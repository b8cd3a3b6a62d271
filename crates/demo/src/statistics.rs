//! The demo's statistics entry (入库) and the bureau's counted investment (列统): most started
//! projects are in with a code; a few started this autumn at 500万元 or more are late (out of
//! statistics, one already given its code); the bureau counts each month what a project in
//! statistics reported up to the month before (the 月报 lag), a few projects a little less.
//! Derived from the projects alone, with no random draws, so nothing else of the demo moves.

use chrono::{Datelike, NaiveDate};
use zhantu_domain::dataset::{ProjectBundle, StatisticsRow};
use zhantu_domain::money::Money;
use zhantu_domain::statistics::DEFAULT_MIN_TOTAL;

/// How many started projects are left late.
const LATE: usize = 3;

fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).expect("a month")
}

pub(crate) fn rows(projects: &mut [ProjectBundle], district: &str, as_of: NaiveDate) -> Vec<StatisticsRow> {
    let year = as_of.year();
    // Late by weeks, not yet by the default rule's two months: the demo's lights (its 60
    // reds under the old clock option, 34 by default) stay what the light tests pin.
    let late_from = as_of - chrono::Duration::days(55);
    let late_to = as_of - chrono::Duration::days(20);
    let mut late = 0;
    let mut out = Vec::new();
    for (i, b) in projects.iter_mut().enumerate() {
        let p = &mut b.project;
        let Some(started) = p.started_on else { continue };
        let code = format!("{}-{}-{:05}", &district[..6.min(district.len())], started.year(), p.id);
        if late < LATE
            && (late_from..=late_to).contains(&started)
            && p.total_investment >= DEFAULT_MIN_TOTAL
            && p.in_statistics_on.is_some()
        {
            p.in_statistics_on = None;
            late += 1;
            // The first late one has its code from the bureau already; the others have none.
            if late == 1 {
                out.push(StatisticsRow {
                    project_id: p.id,
                    code: Some(code),
                    counted: Vec::new(),
                });
            }
            continue;
        }
        let Some(entered) = p.in_statistics_on else { continue };
        let mut counted = Vec::new();
        let mut reported_before = 0i64;
        for month in 1..=as_of.month() {
            if month_end(year, month) >= entered {
                let short = if i % 9 == 4 { reported_before / 50 } else { 0 };
                counted.push((year, month, Money::from_yuan(reported_before - short)));
            }
            reported_before += b
                .monthly_investment
                .iter()
                .filter(|(y, m, _)| *y == year && *m == month)
                .map(|(_, _, a)| a.yuan())
                .sum::<i64>();
        }
        out.push(StatisticsRow {
            project_id: p.id,
            code: Some(code),
            counted,
        });
    }
    out
}
