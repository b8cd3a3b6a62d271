//! Finding the header row among title rows, matching header variants and units to fields,
//! and guessing the kind of a sheet from its headers.

use super::fields::Field;
use super::{ImportKind, Raw, RawSheet, SheetError};
use crate::error::normalize_input;
use crate::money::MoneyUnit;

/// Rows a header may be preceded by (title rows, notes).
const HEADER_SEARCH_ROWS: usize = 10;

/// A header cell reduced for comparison: half-width, no white space, no brackets or units.
fn header_key(s: &str) -> (String, Option<MoneyUnit>) {
    let s: String = normalize_input(s).chars().filter(|c| !c.is_whitespace() && *c != '*').collect();
    let unit = if s.contains("亿元") {
        Some(MoneyUnit::Yi)
    } else if s.contains("万元") {
        Some(MoneyUnit::Wan)
    } else if s.contains('元') && (s.contains('(') || s.contains('[') || s.contains('（') || s.ends_with("元")) {
        Some(MoneyUnit::Yuan)
    } else {
        None
    };
    // Drop a bracketed suffix: "总投资(万元)" → "总投资", "用地面积(亩)" → "用地面积".
    let base = match s.find(['(', '[', '（', '【']) {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s,
    };
    let base = base
        .trim_end_matches("万元")
        .trim_end_matches("亿元")
        .trim_end_matches("/元")
        .trim_end_matches("/亩")
        .to_string();
    (base, unit)
}

fn field_matches(field: &Field, key: &str) -> bool {
    header_key(field.header).0 == key || field.aliases.iter().any(|a| header_key(a).0 == key)
}

/// Where each field is in the sheet, and the unit its header gives money in.
#[derive(Debug, Clone)]
pub struct HeaderMap {
    /// 0-based index of the header row in `RawSheet::rows`.
    pub header_index: usize,
    /// Per field of the kind: the column index and the header as written.
    pub columns: Vec<ColumnMatch>,
}

/// Per field: the column index, the header as written, the money unit it names.
type ColumnMatch = Option<(usize, String, MoneyUnit)>;

fn match_row(kind: ImportKind, row: &[Raw]) -> Result<Vec<ColumnMatch>, SheetError> {
    let fields = kind.fields();
    let mut out: Vec<ColumnMatch> = vec![None; fields.len()];
    for (c, cell) in row.iter().enumerate() {
        let text = cell.as_text();
        let (key, unit) = header_key(&text);
        if key.is_empty() {
            continue;
        }
        // Exact header first, then aliases: "外部编号" is its own column in 节点 (节点外部编号's alias).
        let found = fields
            .iter()
            .position(|f| header_key(f.header).0 == key)
            .or_else(|| fields.iter().position(|f| field_matches(f, &key)));
        if let Some(i) = found {
            if out[i].is_some() {
                return Err(SheetError::DuplicateColumn(text.trim().to_string()));
            }
            out[i] = Some((c, text.trim().to_string(), unit.unwrap_or(MoneyUnit::Wan)));
        }
    }
    Ok(out)
}

/// Finds the header row (skipping title rows, merged or not) and maps each field to a column.
pub fn match_headers(kind: ImportKind, sheet: &RawSheet) -> Result<HeaderMap, SheetError> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in sheet.rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let n = match_row(kind, row).map(|m| m.iter().filter(|c| c.is_some()).count()).unwrap_or(0);
        if n >= 2 && best.is_none_or(|(_, b)| n > b) {
            best = Some((i, n));
        }
    }
    let (header_index, _) = best.ok_or(SheetError::NoHeader(HEADER_SEARCH_ROWS))?;
    let columns = match_row(kind, &sheet.rows[header_index])?;
    let missing: Vec<String> = kind
        .fields()
        .iter()
        .zip(&columns)
        .filter(|(f, c)| f.required && c.is_none())
        .map(|(f, _)| f.header.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(SheetError::MissingColumns(missing));
    }
    Ok(HeaderMap { header_index, columns })
}

/// The kind whose headers a sheet matches best (for `zhantu import FILE` without `--kind`):
/// every required column present, most columns recognised; ties go to the sheet's name.
pub fn guess_kind(sheet: &RawSheet) -> Option<ImportKind> {
    let mut best: Option<(ImportKind, usize)> = None;
    for kind in ImportKind::ALL {
        if let Ok(h) = match_headers(kind, sheet) {
            let n = h.columns.iter().filter(|c| c.is_some()).count();
            let named = sheet.name.contains(kind.label_zh());
            let score = n * 2 + named as usize;
            if best.is_none_or(|(_, b)| score > b) {
                best = Some((kind, score));
            }
        }
    }
    best.map(|(k, _)| k)
}

/// The column header a field has in this sheet (as written), for error messages.
pub(super) fn header_of(h: &HeaderMap, kind: ImportKind, key: &str) -> String {
    let i = kind.fields().iter().position(|f| f.key == key).expect("known field");
    h.columns[i]
        .as_ref()
        .map(|c| c.1.clone())
        .unwrap_or_else(|| kind.fields()[i].header.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::imports::tests::sheet;
    use crate::imports::{Rows, parse_sheet, template};
    use crate::money::Money;
    #[test]
    fn headers_match_variants_and_units() {
        let s = sheet(vec![
            vec!["椒江区重大项目表", "", ""],
            vec!["名称", "总投资(元)", "单位", "类型", "阶段", "年度"],
            vec!["科创园", "1,250,000", "海门街道", "industrial", "前期", "2019"],
        ]);
        let p = parse_sheet(ImportKind::Projects, &s).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let Rows::Projects(rows) = p.rows else { panic!() };
        assert_eq!(rows[0].total_investment, Money::from_yuan(1_250_000));
        assert_eq!(rows[0].line, 3);
        assert_eq!(header_key("总投资（万元）"), ("总投资".into(), Some(MoneyUnit::Wan)));
        assert_eq!(header_key("ＣＯＤＥ 总投资"), ("CODE总投资".into(), None));
    }

    #[test]
    fn missing_required_columns_are_named() {
        let s = sheet(vec![vec!["项目名称", "责任单位"], vec!["甲", "乙"]]);
        assert_eq!(
            parse_sheet(ImportKind::Projects, &s).unwrap_err(),
            SheetError::MissingColumns(vec![
                "项目类型".into(),
                "项目阶段".into(),
                "总投资（万元）".into(),
                "谋划年度".into()
            ])
        );
        assert_eq!(
            parse_sheet(ImportKind::Fai, &sheet(vec![vec!["甲"]])).unwrap_err(),
            SheetError::NoHeader(10)
        );
    }

    #[test]
    fn kind_is_guessed_from_headers() {
        let s = sheet(vec![vec!["统一社会信用代码", "企业名称"]]);
        assert_eq!(guess_kind(&s), Some(ImportKind::Enterprises));
        let s = sheet(vec![vec!["项目代码", "月份", "完成投资（万元）"]]);
        assert_eq!(guess_kind(&s), Some(ImportKind::Investment));
        for kind in ImportKind::ALL {
            let t = template(kind);
            let header: Vec<&str> = t.columns.iter().map(|c| c.header.as_str()).collect();
            assert_eq!(guess_kind(&sheet(vec![header])), Some(kind), "{kind:?}");
        }
    }
}
