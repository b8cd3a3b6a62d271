//! Reading one cell as its column's type, through the parsers the forms and the API use.

use super::fields::FieldType;
use super::{ImportKind, Raw, number_text};
use crate::codes::{CreditCode, DivisionCode, ProjectCode};
use crate::date::{date_from_excel_serial, parse_date, parse_month};
use crate::error::normalize_input;
use crate::model::{BatchLevel, LandEntryKind, NodeStatus, ProblemStatus, ReportPeriod, UnitKind};
use crate::money::{LandArea, Money, MoneyUnit};
use crate::stage::Stage;
use chrono::NaiveDate;

/// A typed cell value.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Value {
    Text(String),
    Money(Money),
    Date(NaiveDate),
    Int(i64),
    Month(i32, u32),
    Bool(bool),
    Area(LandArea),
    Stage(Stage),
    ProjectCode(ProjectCode),
    CreditCode(CreditCode),
    Division(DivisionCode),
    NodeStatus(NodeStatus),
    ProblemStatus(ProblemStatus),
    UnitKind(UnitKind),
    BatchLevel(BatchLevel),
    LandKind(LandEntryKind),
    ReportPeriod(ReportPeriod),
    /// Tenths of a percent.
    Percent(i64),
    List(Vec<String>),
}

/// One of an enum's Chinese labels (or codes), else the reason listing them all.
fn labelled<T: Copy>(norm: &str, all: &[T], from: fn(&str) -> Option<T>, label: fn(T) -> &'static str) -> Result<T, String> {
    from(norm).ok_or_else(|| {
        let labels: Vec<&str> = all.iter().map(|v| label(*v)).collect();
        format!("应为{}", labels.join("、"))
    })
}

pub(super) fn parse_cell(ty: FieldType, raw: &Raw, unit: MoneyUnit) -> Result<Value, String> {
    let text = raw.as_text();
    let norm = normalize_input(&text);
    let reason = |e: crate::ParseError| e.reason;
    Ok(match ty {
        FieldType::Text => Value::Text(text.trim().replace('\u{3000}', " ").trim().to_string()),
        FieldType::Money => Value::Money(Money::parse(&text, unit).map_err(reason)?),
        FieldType::Date => Value::Date(match raw {
            Raw::Date(f) | Raw::Number(f) => {
                if f.fract() != 0.0 && matches!(raw, Raw::Number(_)) {
                    return Err("不是有效的日期".into());
                }
                date_from_excel_serial(f.floor() as i64).map_err(reason)?
            }
            _ if norm.chars().all(|c| c.is_ascii_digit()) && (1..=6).contains(&norm.len()) => {
                // A serial pasted as text ("43555").
                date_from_excel_serial(norm.parse().map_err(|_| "不是有效的日期".to_string())?).map_err(reason)?
            }
            _ => parse_date(norm.split([' ', 'T']).next().unwrap_or("")).map_err(reason)?,
        }),
        FieldType::Int => {
            let v: f64 = match raw {
                Raw::Number(f) => *f,
                _ => norm.parse().map_err(|_| "应为整数".to_string())?,
            };
            if v.fract() != 0.0 || v.abs() > 9e15 {
                return Err("应为整数".into());
            }
            Value::Int(v as i64)
        }
        FieldType::Month => match raw {
            Raw::Date(f) => {
                use chrono::Datelike;
                let d = date_from_excel_serial(f.floor() as i64).map_err(reason)?;
                Value::Month(d.year(), d.month())
            }
            _ => {
                let (y, m) = parse_month(&norm)
                    .or_else(|e| {
                        // A whole date (2019-03-01) names its month too.
                        use chrono::Datelike;
                        parse_date(&norm).map(|d| (d.year(), d.month())).map_err(|_| e)
                    })
                    .map_err(reason)?;
                Value::Month(y, m)
            }
        },
        FieldType::Bool => Value::Bool(crate::projects::parse_yes_no(&norm).map_err(reason)?),
        FieldType::Area => Value::Area(LandArea::parse(&text).map_err(reason)?),
        FieldType::Stage => Value::Stage(Stage::parse(&text).map_err(reason)?),
        FieldType::ProjectCode => Value::ProjectCode(ProjectCode::parse(&text).map_err(reason)?),
        FieldType::CreditCode => Value::CreditCode(CreditCode::parse(&text).map_err(reason)?),
        FieldType::Division => Value::Division(DivisionCode::parse(&text).map_err(reason)?),
        FieldType::NodeStatus => {
            Value::NodeStatus(NodeStatus::from_code_or_label(&norm).ok_or_else(|| "应为未完成、待核验或已销号".to_string())?)
        }
        FieldType::ProblemStatus => {
            Value::ProblemStatus(ProblemStatus::from_code_or_label(&norm).ok_or_else(|| "应为已提出、已交办、已办结或已销号".to_string())?)
        }
        FieldType::UnitKind => Value::UnitKind(crate::units::unit_kind(&text).map_err(reason)?),
        FieldType::BatchLevel => Value::BatchLevel(labelled(
            &norm,
            BatchLevel::ALL,
            BatchLevel::from_code_or_label,
            BatchLevel::label_zh,
        )?),
        FieldType::LandKind => Value::LandKind(labelled(
            &norm,
            LandEntryKind::ALL,
            LandEntryKind::from_code_or_label,
            LandEntryKind::label_zh,
        )?),
        FieldType::ReportPeriod => Value::ReportPeriod(labelled(
            &norm,
            ReportPeriod::ALL,
            ReportPeriod::from_code_or_label,
            ReportPeriod::label_zh,
        )?),
        FieldType::Percent => {
            let target = match raw {
                // A cell formatted as a percentage holds the fraction (0.855 for 85.5%).
                Raw::Number(f) if f.abs() <= 1.0 && *f != 0.0 && norm.contains('.') => number_text(f * 100.0),
                _ => text,
            };
            Value::Percent(crate::categories::landing_target(&target).map_err(reason)?.0)
        }
        FieldType::List => Value::List(super::split_tags(&text)),
    })
}

/// The typed values of one row, by field; `None` where the cell is empty.
pub(super) struct Cells {
    pub(super) values: Vec<Option<Value>>,
}

impl Cells {
    fn get(&self, kind: ImportKind, key: &str) -> Option<&Value> {
        let i = kind.fields().iter().position(|f| f.key == key).expect("known field");
        self.values[i].as_ref()
    }
}

macro_rules! getter {
    ($name:ident, $variant:ident, $t:ty) => {
        pub(super) fn $name(c: &Cells, k: ImportKind, key: &str) -> Option<$t> {
            match c.get(k, key) {
                Some(Value::$variant(v)) => Some(v.clone()),
                _ => None,
            }
        }
    };
}
getter!(text, Text, String);
getter!(money, Money, Money);
getter!(date, Date, NaiveDate);
getter!(int, Int, i64);
getter!(area, Area, LandArea);
getter!(stage, Stage, Stage);
getter!(pcode, ProjectCode, ProjectCode);
getter!(ccode, CreditCode, CreditCode);
getter!(division, Division, DivisionCode);
getter!(node_status, NodeStatus, NodeStatus);
getter!(problem_status, ProblemStatus, ProblemStatus);
getter!(unit_kind, UnitKind, UnitKind);
getter!(batch_level, BatchLevel, BatchLevel);
getter!(land_kind, LandKind, LandEntryKind);
getter!(report_period, ReportPeriod, ReportPeriod);
getter!(percent, Percent, i64);
getter!(list, List, Vec<String>);
pub(super) fn month(c: &Cells, k: ImportKind, key: &str) -> Option<(i32, u32)> {
    match c.get(k, key) {
        Some(Value::Month(y, m)) => Some((*y, *m)),
        _ => None,
    }
}
pub(super) fn flag(c: &Cells, k: ImportKind, key: &str) -> bool {
    matches!(c.get(k, key), Some(Value::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::fields::FieldType as T;
    use crate::imports::{RawSheet, Rows, parse_sheet};
    use proptest::prelude::*;
    #[test]
    fn excel_cells_dates_and_numbers() {
        let s = RawSheet {
            name: "节点".into(),
            first_row: 4,
            rows: vec![
                ["项目代码", "节点名称", "计划完成日期", "责任单位"]
                    .map(|h| Raw::Text(h.into()))
                    .to_vec(),
                vec![
                    Raw::Text("2019-331002-34-03-012345".into()),
                    Raw::Text("开工".into()),
                    Raw::Date(43555.0),
                    Raw::Text("区发改局".into()),
                ],
            ],
        };
        let p = parse_sheet(ImportKind::Nodes, &s).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let Rows::Nodes(rows) = p.rows else { panic!() };
        assert_eq!(rows[0].line, 6);
        assert_eq!(rows[0].planned_on, NaiveDate::from_ymd_opt(2019, 3, 31).unwrap());
    }

    #[test]
    fn percentages_keep_one_decimal() {
        let pct = |raw: Raw| parse_cell(FieldType::Percent, &raw, MoneyUnit::Wan);
        assert_eq!(pct(Raw::Text("85".into())), Ok(Value::Percent(850)));
        assert_eq!(pct(Raw::Text("52.5%".into())), Ok(Value::Percent(525)));
        assert_eq!(pct(Raw::Number(30.0)), Ok(Value::Percent(300)));
        assert_eq!(pct(Raw::Number(0.855)), Ok(Value::Percent(855)), "a cell formatted as a percentage");
        assert!(pct(Raw::Text("85.55".into())).is_err());
        assert!(pct(Raw::Text("很高".into())).is_err());
    }

    proptest! {
        /// Any amount in 元 written as an Excel number in 万元 (as the export writes it) reads
        /// back exactly.
        #[test]
        fn money_survives_the_float_cell(yuan in -999_999_999_999i64..999_999_999_999i64) {
            let raw = Raw::Number(yuan as f64 / 10_000.0);
            prop_assert_eq!(parse_cell(FieldType::Money, &raw, MoneyUnit::Wan), Ok(Value::Money(Money::from_yuan(yuan))));
        }

        /// Any date survives both as a date cell and as text.
        #[test]
        fn dates_survive_cells_and_text(days in 0i64..55_000) {
            let d = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let serial = (d - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64;
            prop_assert_eq!(parse_cell(FieldType::Date, &Raw::Date(serial), MoneyUnit::Wan), Ok(Value::Date(d)));
            prop_assert_eq!(parse_cell(FieldType::Date, &Raw::Text(d.to_string()), MoneyUnit::Wan), Ok(Value::Date(d)));
            prop_assert_eq!(parse_cell(FieldType::Date, &Raw::Text(d.format("%Y年%m月%d日").to_string()), MoneyUnit::Wan), Ok(Value::Date(d)));
        }

        /// Whatever a cell holds, parsing never panics, and text fields keep what was written.
        #[test]
        fn arbitrary_cells_never_panic(s in "\\PC{0,40}", f in proptest::num::f64::ANY) {
            for ty in [T::Text, T::Money, T::Date, T::Int, T::Month, T::Bool, T::Area, T::Stage, T::ProjectCode, T::CreditCode, T::Division, T::NodeStatus, T::ProblemStatus, T::UnitKind, T::BatchLevel, T::LandKind, T::ReportPeriod, T::Percent, T::List] {
                let _ = parse_cell(ty, &Raw::Text(s.clone()), MoneyUnit::Wan);
                let _ = parse_cell(ty, &Raw::Number(f), MoneyUnit::Yuan);
                let _ = parse_cell(ty, &Raw::Date(f), MoneyUnit::Yi);
            }
            if let Ok(Value::Text(t)) = parse_cell(T::Text, &Raw::Text(s.clone()), MoneyUnit::Wan) {
                prop_assert_eq!(t, s.trim().replace('\u{3000}', " ").trim().to_string());
            }
        }
    }
}
