//! A neutral table: what every list, figure table and report section is before it becomes a
//! spreadsheet, a page or a PDF. Cells keep their type (money stays exact), so each writer
//! chooses the format: the `.xlsx` writer in `crates/office` shows money as 万元 with two
//! decimals, dates as dates, percentages with one decimal.

use crate::figures::Pct1;
use crate::money::{LandArea, Money};
use chrono::NaiveDate;

/// What a column holds; decides the number format and the width.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColKind {
    Text,
    /// Whole numbers (counts, ids).
    Int,
    /// Money, written in 万元 with two decimals (the header should say 万元).
    Money,
    Date,
    /// A percentage with one decimal, e.g. 80.0 %.
    Pct,
    /// Land in 亩 with two decimals.
    Area,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Money(Money),
    Date(NaiveDate),
    Pct(Pct1),
    Area(LandArea),
}

/// `From` each listed type for a cell enum (`Cell` here, a report's `DocCell`), one line a
/// type: `Type => |value| the cell;`, and from an `Option` of any of them, `None` being `Empty`.
macro_rules! cell_from {
    ($cell:ident { $($t:ty => |$v:ident| $e:expr;)+ }) => {
        $(impl From<$t> for $cell {
            fn from($v: $t) -> $cell {
                $e
            }
        })+
        impl<T: Into<$cell>> From<Option<T>> for $cell {
            fn from(v: Option<T>) -> $cell {
                v.map(Into::into).unwrap_or($cell::Empty)
            }
        }
    };
}
pub(crate) use cell_from;

cell_from!(Cell {
    &str => |s| Cell::Text(s.to_string());
    String => |s| Cell::Text(s);
    i64 => |v| Cell::Int(v);
    Money => |v| Cell::Money(v);
    NaiveDate => |v| Cell::Date(v);
    Pct1 => |v| Cell::Pct(v);
    LandArea => |v| Cell::Area(v);
});

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: ColKind,
}

impl Column {
    pub fn new(header: impl Into<String>, kind: ColKind) -> Column {
        Column {
            header: header.into(),
            kind,
        }
    }
}

/// One sheet: a name (at most 31 characters, no `[]:*?/\`), an optional title row above the
/// header, the columns and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: String,
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(sheet: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            sheet: sheet.into(),
            title: None,
            columns,
            rows: Vec::new(),
        }
    }
    pub fn with_title(mut self, title: impl Into<String>) -> Table {
        self.title = Some(title.into());
        self
    }
    /// Adds a row; panics in debug builds when its length differs from the columns'.
    pub fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row length of sheet {}", self.sheet);
        self.rows.push(row);
    }
}

/// Display width of a text in a fixed-width grid: CJK and full-width characters count 2.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(display_width("项目abc"), 7);
        assert_eq!(display_width("（万元）"), 8);
    }
}
