//! Rows that together describe one record (a category's years, a batch's members, a
//! campaign's nodes, a round's projects) repeat the record's own columns: they must agree,
//! or which row is right would be a guess.

use super::headers::{HeaderMap, header_of};
use super::rows::Rows;
use super::{ImportKind, RowError};
use std::collections::HashMap;

/// A column of the record that every row of its group must repeat the same.
type Attr<'a, T> = (&'static str, &'a dyn Fn(&T) -> String);

/// Every row whose record's columns differ from the group's first row is an error.
fn agree<T>(
    kind: ImportKind,
    h: &HeaderMap,
    rows: &[T],
    line: impl Fn(&T) -> u32,
    group: impl Fn(&T) -> String,
    attrs: &[Attr<T>],
    errors: &mut Vec<RowError>,
) {
    let mut first: HashMap<String, &T> = HashMap::new();
    for r in rows {
        let Some(f) = first.get(&group(r)) else {
            first.insert(group(r), r);
            continue;
        };
        for (key, value) in attrs {
            let (mine, theirs) = (value(r), value(f));
            if mine != theirs {
                errors.push(RowError::new(
                    line(r),
                    header_of(h, kind, key),
                    mine,
                    format!("与第{}行的同一{}不一致（“{theirs}”）", line(f), group_name(kind)),
                ));
            }
        }
    }
}

fn group_name(kind: ImportKind) -> &'static str {
    match kind {
        ImportKind::Categories => "类别",
        ImportKind::Batches => "批次",
        ImportKind::Campaigns => "活动",
        _ => "督查",
    }
}

/// The consistency of the group kinds' rows (the others have nothing to check).
pub(super) fn consistent(kind: ImportKind, rows: &Rows, h: &HeaderMap, errors: &mut Vec<RowError>) {
    match rows {
        Rows::Categories(v) => agree(
            kind,
            h,
            v,
            |r| r.line,
            |r| r.code.clone(),
            &[
                ("name", &|r| r.name.clone()),
                ("tracks_landing", &|r| if r.tracks_landing { "是" } else { "否" }.into()),
                ("sort_order", &|r| r.sort_order.map(|s| s.to_string()).unwrap_or_default()),
            ],
            errors,
        ),
        Rows::Batches(v) => agree(
            kind,
            h,
            v,
            |r| r.line,
            |r| format!("{} {}", r.name, r.held_on),
            &[
                ("level", &|r| r.level.label_zh().into()),
                ("gate_nodes", &|r| r.gate_nodes.join("、")),
            ],
            errors,
        ),
        Rows::Campaigns(v) => agree(
            kind,
            h,
            v,
            |r| r.line,
            |r| format!("{} {}", r.name, r.starts_on),
            &[
                ("ends_on", &|r| r.ends_on.to_string()),
                ("description", &|r| r.description.clone()),
                ("closing_note", &|r| r.closing_note.clone()),
            ],
            errors,
        ),
        Rows::Supervision(v) => agree(
            kind,
            h,
            v,
            |r| r.line,
            |r| format!("{} {}", r.name, r.held_on),
            &[
                ("leader", &|r| r.leader.clone()),
                ("summary", &|r| r.summary.clone()),
                ("report", &|r| r.report.clone()),
            ],
            errors,
        ),
        _ => {}
    }
}
