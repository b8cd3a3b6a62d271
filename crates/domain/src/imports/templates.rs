//! The downloadable template of each kind, its drop-down choices and the export's columns.

use super::ImportKind;
use super::fields::FieldType;
use crate::date::parse_date;
use crate::model::{BatchLevel, LandEntryKind, NodeStatus, ProblemStatus, ReportPeriod, UnitKind};
use crate::money::{LandArea, Money, MoneyUnit};
use crate::stage::Stage;
use crate::table::{Cell, Column, Table};

/// The empty sheet of a kind with its headers (required ones marked in the title row) and one
/// example row: the downloadable template.
pub fn template(kind: ImportKind) -> Table {
    let fields = kind.fields();
    let columns = fields.iter().map(|f| Column::new(f.header, f.ty.col_kind())).collect();
    let required: Vec<&str> = fields.iter().filter(|f| f.required).map(|f| f.header).collect();
    let mut t = Table::new(kind.label_zh(), columns).with_title(format!(
        "{}导入模板（第三行为示例，可删除；必填：{}）",
        kind.label_zh(),
        required.join("、")
    ));
    let example = fields
        .iter()
        .map(|f| {
            if f.example.is_empty() {
                return Cell::Empty;
            }
            match f.ty {
                FieldType::Money => Money::parse(f.example, MoneyUnit::Wan).map(Cell::Money).unwrap_or(Cell::Empty),
                FieldType::Date => parse_date(f.example).map(Cell::Date).unwrap_or(Cell::Empty),
                FieldType::Int => f.example.parse::<i64>().map(Cell::Int).unwrap_or(Cell::Empty),
                FieldType::Area => LandArea::parse(f.example).map(Cell::Area).unwrap_or(Cell::Empty),
                _ => Cell::Text(f.example.to_string()),
            }
        })
        .collect();
    t.push(example);
    t
}

/// The fixed choices of a column, for the template's drop-down lists.
pub fn choices(ty: FieldType) -> Option<Vec<String>> {
    let v: Vec<String> = match ty {
        FieldType::Stage => Stage::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::Bool => vec!["是".into(), "否".into()],
        FieldType::NodeStatus => NodeStatus::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::ProblemStatus => ProblemStatus::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::UnitKind => UnitKind::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::BatchLevel => BatchLevel::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::LandKind => LandEntryKind::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        FieldType::ReportPeriod => ReportPeriod::ALL.iter().map(|s| s.label_zh().to_string()).collect(),
        _ => return None,
    };
    Some(v)
}

/// The columns an export of this kind writes: the template's, so an export imports again.
pub fn export_columns(kind: ImportKind) -> Vec<Column> {
    kind.fields().iter().map(|f| Column::new(f.header, f.ty.col_kind())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::{Raw, RawSheet, parse_sheet};

    #[test]
    fn every_template_example_row_parses() {
        for kind in ImportKind::ALL {
            let t = template(kind);
            let mut rows = vec![vec![Raw::Text(t.title.clone().unwrap())]];
            rows.push(t.columns.iter().map(|c| Raw::Text(c.header.clone())).collect());
            rows.push(
                kind.fields()
                    .iter()
                    .map(|f| {
                        if f.example.is_empty() {
                            Raw::Empty
                        } else {
                            Raw::Text(f.example.into())
                        }
                    })
                    .collect(),
            );
            let p = parse_sheet(
                kind,
                &RawSheet {
                    name: t.sheet.clone(),
                    first_row: 0,
                    rows,
                },
            )
            .unwrap();
            assert!(p.errors.is_empty(), "{kind:?}: {:?}", p.errors);
            assert_eq!(p.rows.len(), 1);
        }
    }
}
