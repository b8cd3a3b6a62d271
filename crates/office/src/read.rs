//! `.xlsx` and `.csv` to raw sheets, with a clear Chinese error for files that cannot be read:
//! not a spreadsheet, cut short, encrypted, an old `.xls`, or without the sheet asked for.

use crate::OfficeError;
use calamine::{Data, Reader, Xlsx};
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

pub fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, OfficeError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsxError::Zip(z) => zip_error(z),
        other => OfficeError::Corrupt(other.to_string()),
    })?;
    let names = book.sheet_names();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| match e {
            calamine::XlsxError::Zip(z) => zip_error(z),
            other => OfficeError::Corrupt(format!("工作表“{name}”无法读取：{other}")),
        })?;
        let (first_row, first_col) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .map(|r| {
                let mut cells: Vec<Raw> = Vec::with_capacity(first_col as usize + r.len());
                cells.extend((0..first_col).map(|_| Raw::Empty));
                cells.extend(r.iter().map(raw));
                cells
            })
            .collect();
        out.push(RawSheet { name, first_row, rows });
    }
    Ok(out)
}

fn raw(d: &Data) -> Raw {
    match d {
        Data::Empty => Raw::Empty,
        Data::String(s) => Raw::Text(s.clone()),
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(dt) => Raw::Date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Raw::Text(s.clone()),
        Data::Error(e) => Raw::Text(format!("#{e:?}")),
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
