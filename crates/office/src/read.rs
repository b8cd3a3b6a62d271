//! `.xlsx` and `.csv` to raw sheets, with a clear Chinese error for files that cannot be read:
//! not a spreadsheet, cut short, encrypted, an old `.xls`, or without the sheet asked for.

use crate::OfficeError;
use calamine::{DataRef, Reader, Xlsx};
use std::io::Cursor;
use zhantu_domain::imports::{Raw, RawSheet};

/// What a file looks like from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Xlsx,
    Csv,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Decides how to read `bytes` (named `file_name`, which may be empty): by content first.
pub fn detect(bytes: &[u8], file_name: &str) -> Result<FileFormat, OfficeError> {
    if bytes.is_empty() {
        return Err(OfficeError::Empty);
    }
    if bytes.starts_with(CFB_MAGIC) {
        // Excel wraps a password-protected .xlsx in an OLE compound file with an
        // "EncryptionInfo" stream; any other OLE file here is a legacy .xls.
        let marker: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(OfficeError::Encrypted);
        }
        return Err(OfficeError::LegacyXls);
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(b"PK") {
        return Ok(FileFormat::Xlsx);
    }
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        return Err(OfficeError::Corrupt("文件不是有效的 .xlsx（ZIP）格式".into()));
    }
    // Text: a CSV. Binary garbage (NUL bytes early on) is refused.
    if bytes.iter().take(4096).any(|b| *b == 0) {
        return Err(OfficeError::Corrupt("文件既不是 .xlsx 也不是 .csv 文本".into()));
    }
    Ok(FileFormat::Csv)
}

/// Reads every sheet of a workbook, or the one sheet of a CSV file.
pub fn read_sheets(bytes: &[u8], file_name: &str) -> Result<Vec<RawSheet>, OfficeError> {
    match detect(bytes, file_name)? {
        FileFormat::Xlsx => read_xlsx(bytes),
        FileFormat::Csv => Ok(vec![read_csv(bytes, file_name)?]),
    }
}

/// The sheet named `wanted`, or the first sheet; an error lists the sheets there are.
pub fn pick_sheet(mut sheets: Vec<RawSheet>, wanted: Option<&str>) -> Result<RawSheet, OfficeError> {
    match wanted.map(str::trim).filter(|w| !w.is_empty()) {
        None => {
            if sheets.is_empty() {
                return Err(OfficeError::Corrupt("工作簿中没有工作表".into()));
            }
            Ok(sheets.swap_remove(0))
        }
        Some(w) => match sheets.iter().position(|s| s.name == w) {
            Some(i) => Ok(sheets.swap_remove(i)),
            None => Err(OfficeError::NoSuchSheet {
                wanted: w.to_string(),
                found: sheets.into_iter().map(|s| s.name).collect(),
            }),
        },
    }
}

fn zip_error(e: impl std::fmt::Display) -> OfficeError {
    let s = e.to_string();
    if s.contains("EOCD") || s.contains("end of central directory") || s.contains("eof") || s.contains("EOF") || s.contains("truncat") {
        OfficeError::Truncated
    } else {
        OfficeError::Corrupt(s)
    }
}

/// The most rows a sheet may have: Excel's own limit.
pub const MAX_ROWS: u32 = 1_048_576;
/// The most columns a sheet may have: Excel's own limit (XFD).
pub const MAX_COLUMNS: u32 = 16_384;
/// The most a workbook may unpack to, all its parts together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// The most parts (files in the ZIP) a workbook may have.
const MAX_PARTS: usize = 10_000;
/// The smallest a shared string can take in `sharedStrings.xml` (`<si/>`).
const MIN_SHARED_STRING_BYTES: u64 = 5;

/// Looks inside the ZIP before calamine reads it: calamine sizes its buffers from what the file
/// declares (the shared-string count, a sheet's dimension), so a 2 KB file claiming a trillion
/// strings or a cell at row four billion would take the server down. Here the declarations are
/// held against what the file can really hold, and the unpacked size against a limit.
fn check_workbook(bytes: &[u8]) -> Result<(), OfficeError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_error)?;
    if zip.len() > MAX_PARTS {
        return Err(OfficeError::TooLarge(format!("工作簿有{}个部件，超过{MAX_PARTS}个", zip.len())));
    }
    let mut unpacked: u64 = 0;
    // Every part that could be a shared-string table (calamine finds it through the
    // workbook's relationships, so its folder is not fixed).
    let mut strings: Vec<(usize, u64)> = Vec::new();
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(zip_error)?;
        unpacked = unpacked.saturating_add(entry.size());
        let name = entry.name().map_err(zip_error)?;
        if name.to_ascii_lowercase().ends_with("sharedstrings.xml") {
            strings.push((i, entry.size()));
        }
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(OfficeError::TooLarge(format!(
            "工作簿解压后有{}MB，超过{}MB",
            unpacked / (1024 * 1024),
            MAX_UNPACKED_BYTES / (1024 * 1024)
        )));
    }
    for (i, size) in strings {
        let mut head = Vec::with_capacity(4096);
        let entry = zip.by_index(i).map_err(zip_error)?;
        std::io::Read::read_to_end(&mut std::io::Read::take(entry, 4096), &mut head)
            .map_err(|e| OfficeError::Corrupt(format!("共享字符串表无法读取：{e}")))?;
        let most = size / MIN_SHARED_STRING_BYTES + 1;
        for attr in ["uniqueCount", "count"] {
            if let Some(n) = declared_number(&head, attr) {
                if n > most {
                    return Err(OfficeError::TooLarge(format!(
                        "共享字符串表声明了{n}个字符串（{attr}），而它只有{size}字节，最多放得下{most}个"
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The number in `attr="…"` of the first `<sst …>` element; `Some(u64::MAX)` when it does not
/// fit in 64 bits (which no real file declares).
fn declared_number(xml: &[u8], attr: &str) -> Option<u64> {
    let text = String::from_utf8_lossy(xml);
    let sst = text.find("<sst")?;
    let tag = &text[sst..text[sst..].find('>').map(|e| sst + e).unwrap_or(text.len())];
    let at = tag.match_indices(attr).find(|(i, _)| {
        let before = tag[..*i].chars().last();
        before.is_some_and(|c| c.is_whitespace()) && tag[i + attr.len()..].trim_start().starts_with('=')
    })?;
    let rest = tag[at.0 + attr.len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..rest[1..].find(quote).map(|e| e + 1).unwrap_or(rest.len())];
    let digits = value.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<u64>().unwrap_or(u64::MAX))
}

pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, OfficeError> {
    check_workbook(bytes)?;
    // calamine can panic on malformed input (an arithmetic overflow on a cell reference of
    // twenty digits, found by the fuzz test): such a file is corrupt, not a crash.
    std::panic::catch_unwind(|| read_checked_xlsx(bytes))
        .unwrap_or_else(|_| Err(OfficeError::Corrupt("工作簿的内容不符合 .xlsx 格式".into())))
}

fn read_checked_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, OfficeError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Zip(z) => zip_error(z),
        other => OfficeError::Corrupt(other.to_string()),
    })?;
    let names = book.sheet_names();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let corrupt = |e: calamine::XlsxError| match e {
            calamine::XlsxError::Zip(z) => zip_error(z),
            other => OfficeError::Corrupt(format!("工作表“{name}”无法读取：{other}")),
        };
        // Cell by cell, never the sheet's declared dimension: what is allocated follows the
        // cells that are really there, and each cell's position is checked first.
        let mut reader = book.worksheet_cells_reader(&name).map_err(corrupt)?;
        let mut cells: Vec<(u32, u32, Raw)> = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(corrupt)? {
            let (row, col) = cell.get_position();
            let value = raw_ref(cell.get_value());
            if value == Raw::Empty {
                continue;
            }
            if row >= MAX_ROWS {
                return Err(OfficeError::TooLarge(format!(
                    "工作表“{name}”在第{}行有内容，超过 Excel 的最大行数{MAX_ROWS}",
                    u64::from(row) + 1
                )));
            }
            if col >= MAX_COLUMNS {
                return Err(OfficeError::TooLarge(format!(
                    "工作表“{name}”在第{}列有内容，超过 Excel 的最大列数{MAX_COLUMNS}",
                    u64::from(col) + 1
                )));
            }
            cells.push((row, col, value));
        }
        drop(reader);
        out.push(sheet_of_cells(name, cells));
    }
    Ok(out)
}

/// Rows from the cells that have a value, from the first such row on; a row is as long as its
/// last value, so a lone far cell costs one row, not a rectangle.
fn sheet_of_cells(name: String, mut cells: Vec<(u32, u32, Raw)>) -> RawSheet {
    cells.sort_by_key(|(r, c, _)| (*r, *c));
    let first_row = cells.first().map(|(r, _, _)| *r).unwrap_or(0);
    let last_row = cells.last().map(|(r, _, _)| *r).unwrap_or(0);
    let mut rows: Vec<Vec<Raw>> = if cells.is_empty() {
        Vec::new()
    } else {
        vec![Vec::new(); (last_row - first_row) as usize + 1]
    };
    for (r, c, v) in cells {
        let row = &mut rows[(r - first_row) as usize];
        if row.len() <= c as usize {
            row.resize(c as usize + 1, Raw::Empty);
        }
        row[c as usize] = v;
    }
    RawSheet { name, first_row, rows }
}

fn raw_ref(d: &DataRef<'_>) -> Raw {
    match d {
        DataRef::Empty => Raw::Empty,
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Text(s.clone()),
        DataRef::SharedString(s) => Raw::Text(s.to_string()),
        DataRef::Int(i) => Raw::Number(*i as f64),
        DataRef::Float(f) => Raw::Number(*f),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(dt) => Raw::Date(dt.as_f64()),
        DataRef::Error(e) => Raw::Text(format!("#{e:?}")),
    }
}

/// Text in UTF-8 (with or without BOM), or GB18030/GBK as Excel saves "CSV" on Chinese Windows.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE.decode(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

pub fn read_csv(bytes: &[u8], file_name: &str) -> Result<RawSheet, OfficeError> {
    let text = decode_text(bytes);
    // Excel writes semicolons or tabs in some locales: take the separator the busiest of the
    // first lines uses most (title rows have none); commas win ties.
    let delimiter = text
        .lines()
        .take(10)
        .flat_map(|line| {
            [b',', b'\t', b';']
                .into_iter()
                .enumerate()
                .map(move |(rank, d)| (line.bytes().filter(|b| *b == d).count(), 3 - rank, d))
        })
        .max()
        .filter(|(n, _, _)| *n > 0)
        .map(|(_, _, d)| d)
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| OfficeError::Corrupt(format!("CSV 无法解析：{e}")))?;
        rows.push(
            rec.iter()
                .map(|c| if c.is_empty() { Raw::Empty } else { Raw::Text(c.to_string()) })
                .collect(),
        );
    }
    let stem = std::path::Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("CSV");
    Ok(RawSheet {
        name: stem.to_string(),
        first_row: 0,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhantu_domain::table::{Cell, ColKind, Column, Table};

    fn book() -> Vec<u8> {
        let mut t = Table::new(
            "项目",
            vec![Column::new("项目名称", ColKind::Text), Column::new("日期", ColKind::Date)],
        )
        .with_title("标题");
        t.push(vec![
            Cell::from("甲"),
            Cell::from(chrono::NaiveDate::from_ymd_opt(2019, 3, 31).unwrap()),
        ]);
        crate::write_xlsx(&[t]).unwrap()
    }

    #[test]
    fn reads_back_a_written_workbook() {
        let sheets = read_sheets(&book(), "x.xlsx").unwrap();
        assert_eq!(sheets[0].name, "项目");
        assert_eq!(sheets[0].rows[1], vec![Raw::Text("项目名称".into()), Raw::Text("日期".into())]);
        assert_eq!(sheets[0].rows[2], vec![Raw::Text("甲".into()), Raw::Date(43555.0)]);
    }

    #[test]
    fn bad_files_say_why() {
        let b = book();
        assert_eq!(read_sheets(&b[..b.len() / 2], "x.xlsx").unwrap_err(), OfficeError::Truncated);
        assert!(matches!(
            read_sheets(b"PK\x03\x04garbage", "x.xlsx").unwrap_err(),
            OfficeError::Truncated | OfficeError::Corrupt(_)
        ));
        assert!(matches!(read_sheets(b"hello", "x.xlsx").unwrap_err(), OfficeError::Corrupt(_)));
        assert_eq!(read_sheets(b"", "x.csv").unwrap_err(), OfficeError::Empty);
        let mut ole = CFB_MAGIC.to_vec();
        ole.extend("EncryptionInfo".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(read_sheets(&ole, "x.xlsx").unwrap_err(), OfficeError::Encrypted);
        assert_eq!(read_sheets(CFB_MAGIC, "x.xls").unwrap_err(), OfficeError::LegacyXls);
        let e = pick_sheet(read_sheets(&b, "x.xlsx").unwrap(), Some("节点")).unwrap_err();
        assert_eq!(e.to_string(), "找不到工作表“节点”，文件中的工作表有：项目");
    }

    #[test]
    fn csv_separator_is_found_below_a_title_row() {
        let s = read_csv("标题\n名称;金额\n甲;1\n".as_bytes(), "x.csv").unwrap();
        assert_eq!(s.rows[1], vec![Raw::Text("名称".into()), Raw::Text("金额".into())]);
        let s = read_csv("标题\n名称,金额\n".as_bytes(), "x.csv").unwrap();
        assert_eq!(s.rows[1].len(), 2);
    }

    #[test]
    fn csv_in_any_usual_encoding() {
        let utf8 = "项目名称,总投资\n甲,1\n";
        let bom = [&[0xEF, 0xBB, 0xBF][..], utf8.as_bytes()].concat();
        let gbk = encoding_rs::GBK.encode(utf8).0.into_owned();
        for bytes in [utf8.as_bytes().to_vec(), bom, gbk] {
            let s = read_sheets(&bytes, "项目.csv").unwrap().remove(0);
            assert_eq!(s.rows[0][0], Raw::Text("项目名称".into()));
            assert_eq!(s.rows[1][0], Raw::Text("甲".into()));
            assert_eq!(s.name, "项目");
        }
    }
}
