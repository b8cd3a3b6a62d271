//! Reference data shipped inside the binary (see `data/SOURCES.md`): division codes of
//! Zhejiang, GB/T 4754-2017 industries, the official holiday calendar, and the schematic map
//! layout of 椒江区.

/// One row of a `code,name,level,parent_code` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeRow {
    pub code: &'static str,
    pub name: &'static str,
    pub level: &'static str,
    pub parent: &'static str,
}

pub const DIVISIONS_CSV: &str = include_str!("../../../data/zhejiang-divisions.csv");
pub const TOWNSHIPS_CSV: &str = include_str!("../../../data/zhejiang-townships.csv");
pub const INDUSTRIES_CSV: &str = include_str!("../../../data/gbt4754-2017.csv");
pub const HOLIDAYS_CSV: &str = include_str!("../../../data/cn-holidays.csv");

fn rows(csv: &'static str) -> impl Iterator<Item = CodeRow> {
    csv.lines().skip(1).filter(|l| !l.trim().is_empty()).filter_map(|l| {
        let mut f = l.split(',');
        Some(CodeRow {
            code: f.next()?,
            name: f.next()?,
            level: f.next()?,
            parent: f.next().unwrap_or(""),
        })
    })
}

/// Counties, prefectures and the province.
pub fn divisions() -> impl Iterator<Item = CodeRow> {
    rows(DIVISIONS_CSV)
}

/// Streets, towns and townships (9-digit codes).
pub fn townships() -> impl Iterator<Item = CodeRow> {
    rows(TOWNSHIPS_CSV)
}

/// The streets, towns and townships (级别 `township`, not the farms and zones filed beside
/// them) of a county by its six-digit code, in code order.
pub fn streets_and_towns(county: &str) -> Vec<CodeRow> {
    let mut rows: Vec<CodeRow> = townships().filter(|t| t.parent == county && t.level == "township").collect();
    rows.sort_by_key(|t| t.code);
    rows
}

pub fn division_name(code: &str) -> Option<&'static str> {
    divisions().chain(townships()).find(|r| r.code == code).map(|r| r.name)
}

/// GB/T 4754-2017 sections, divisions, groups and classes.
pub fn industries() -> impl Iterator<Item = CodeRow> {
    rows(INDUSTRIES_CSV)
}

pub fn industry(code: &str) -> Option<CodeRow> {
    industries().find(|r| r.code == code)
}

/// One official day of the calendar: a holiday off (`off`) or a make-up working day (`work`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HolidayRow {
    pub date: &'static str,
    pub kind: &'static str,
    pub name: &'static str,
}

pub fn holidays() -> impl Iterator<Item = HolidayRow> {
    HOLIDAYS_CSV.lines().skip(1).filter_map(|l| {
        let mut f = l.split(',');
        Some(HolidayRow {
            date: f.next()?,
            kind: f.next()?,
            name: f.next()?,
        })
    })
}

/// A cell of the schematic map of 椒江区 (MAP-LAYOUT.md): column and row on a small grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapCell {
    pub code: &'static str,
    pub name: &'static str,
    pub col: u8,
    pub row: u8,
}

pub const JIAOJIANG_MAP: [MapCell; 9] = [
    MapCell {
        code: "331002007",
        name: "前所街道",
        col: 1,
        row: 0,
    },
    MapCell {
        code: "331002008",
        name: "章安街道",
        col: 2,
        row: 0,
    },
    MapCell {
        code: "331002003",
        name: "葭沚街道",
        col: 0,
        row: 1,
    },
    MapCell {
        code: "331002002",
        name: "白云街道",
        col: 1,
        row: 1,
    },
    MapCell {
        code: "331002001",
        name: "海门街道",
        col: 2,
        row: 1,
    },
    MapCell {
        code: "331002004",
        name: "洪家街道",
        col: 0,
        row: 2,
    },
    MapCell {
        code: "331002006",
        name: "下陈街道",
        col: 1,
        row: 2,
    },
    MapCell {
        code: "331002005",
        name: "三甲街道",
        col: 2,
        row: 2,
    },
    MapCell {
        code: "331002101",
        name: "大陈镇",
        col: 4,
        row: 1,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_data_is_readable() {
        assert_eq!(division_name("331002"), Some("椒江区"));
        assert_eq!(division_name("331002101"), Some("大陈镇"));
        assert_eq!(industry("C").map(|r| r.name), Some("制造业"));
        assert!(holidays().any(|h| h.date == "2019-10-01" && h.kind == "off"));
        for cell in JIAOJIANG_MAP {
            assert_eq!(division_name(cell.code), Some(cell.name), "map cell {}", cell.code);
        }
    }
}
