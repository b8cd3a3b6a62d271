//! Hostile and mutated spreadsheets against the reader, with every allocation capped: a file
//! that makes the reader ask for more memory than the cap aborts this test binary, which is
//! how the three 2 KB files that once took the server down were found.
//!
//! `fuzz_*` run for `ZHANTU_FUZZ_SECONDS` seconds each (default 10; `scripts/fuzz-imports.sh`
//! runs them for an hour) and print how many inputs they tried.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Cursor, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use zhantu_domain::table::{Cell, ColKind, Column, Table};
use zhantu_office::{OfficeError, read_sheets};

/// No single allocation over 512 MiB, and no more than 2 GiB live at once.
struct Capped;
static LIVE: AtomicUsize = AtomicUsize::new(0);
const ONE: usize = 512 << 20;
const ALL: usize = 2 << 30;

unsafe impl GlobalAlloc for Capped {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if l.size() > ONE || LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size() > ALL {
            eprintln!("allocation of {} bytes refused ({} live)", l.size(), LIVE.load(Ordering::Relaxed));
            return std::ptr::null_mut();
        }
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        if new > ONE || (new > l.size() && LIVE.load(Ordering::Relaxed) + (new - l.size()) > ALL) {
            eprintln!("reallocation to {new} bytes refused");
            return std::ptr::null_mut();
        }
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new > l.size() {
                LIVE.fetch_add(new - l.size(), Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static ALLOC: Capped = Capped;

/// A real workbook as the app writes it: a title row, a header row and a few rows.
fn workbook() -> Vec<u8> {
    let mut t = Table::new(
        "项目",
        vec![
            Column::new("项目名称", ColKind::Text),
            Column::new("总投资（万元）", ColKind::Text),
            Column::new("计划开工", ColKind::Date),
        ],
    )
    .with_title("重大项目");
    for i in 0..5 {
        t.push(vec![
            Cell::from(format!("项目{i}")),
            Cell::from(format!("{}", 1000 + i)),
            Cell::from(chrono::NaiveDate::from_ymd_opt(2019, 3, 1 + i).unwrap()),
        ]);
    }
    zhantu_office::write_xlsx(&[t]).unwrap()
}

/// The parts of a ZIP, unpacked.
fn parts(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().unwrap().to_string(), v)
        })
        .collect()
}

fn pack(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        w.start_file(
            name.as_str(),
            zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
        )
        .unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// The workbook with one part's XML rewritten by `f`; the part is added when absent.
fn with_part(name: &str, f: impl Fn(&str) -> String) -> Vec<u8> {
    let mut ps = parts(&workbook());
    match ps.iter_mut().find(|(n, _)| n == name) {
        Some(p) => p.1 = f(&String::from_utf8_lossy(&p.1)).into_bytes(),
        None => ps.push((name.to_string(), f("").into_bytes())),
    }
    pack(&ps)
}

fn sheet_with(cells: &str, dimension: &str) -> Vec<u8> {
    with_part("xl/worksheets/sheet1.xml", |x| {
        let start = x.find("<sheetData").unwrap();
        let end = x
            .find("</sheetData>")
            .map(|e| e + "</sheetData>".len())
            .unwrap_or_else(|| x.find("/>").unwrap() + 2);
        let x = format!("{}<sheetData>{cells}</sheetData>{}", &x[..start], &x[end..]);
        match x.find("<dimension ref=\"") {
            Some(d) => {
                let close = x[d + 16..].find('"').unwrap() + d + 16;
                format!("{}{dimension}{}", &x[..d + 16], &x[close..])
            }
            None => x,
        }
    })
}

#[test]
fn a_lone_far_cell_costs_a_row_not_a_rectangle() {
    let file = sheet_with(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>乙</t></is></c></row>"#,
        "A1:XFD1048576",
    );
    assert!(file.len() < 8192, "a small file: {} bytes", file.len());
    let sheets = read_sheets(&file, "x.xlsx").expect("within Excel's limits");
    let s = &sheets[0];
    assert_eq!(s.rows.len(), 1_048_576);
    assert_eq!(s.rows[0].len(), 1);
    assert_eq!(s.rows[1_048_575].len(), 16_384);
}

#[test]
fn a_shared_string_count_the_file_cannot_hold_is_refused() {
    let file = with_part("xl/sharedStrings.xml", |_| {
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000000"><si><t>甲</t></si></sst>"#.to_string()
    });
    assert!(file.len() < 8192);
    let e = read_sheets(&file, "x.xlsx").unwrap_err();
    assert!(matches!(e, OfficeError::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("1000000000000"), "{e}");
}

#[test]
fn a_cell_past_the_last_row_is_refused_with_its_row() {
    let file = sheet_with(
        r#"<row r="4000000000"><c r="A4000000000" t="inlineStr"><is><t>甲</t></is></c></row>"#,
        "A1:A4000000000",
    );
    let e = read_sheets(&file, "x.xlsx").unwrap_err();
    assert!(matches!(e, OfficeError::TooLarge(_) | OfficeError::Corrupt(_)), "{e}");
    if let OfficeError::TooLarge(m) = &e {
        assert!(m.contains("4000000000"), "{m}");
    }
}

#[test]
fn a_zip_that_unpacks_past_the_limit_is_refused() {
    // 300 MB of one byte deflates to about 300 KB.
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    w.start_file(
        "xl/worksheets/sheet1.xml",
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..300 {
        w.write_all(&chunk).unwrap();
    }
    let file = w.finish().unwrap().into_inner();
    let e = read_sheets(&file, "x.xlsx").unwrap_err();
    assert!(matches!(e, OfficeError::TooLarge(_)), "{e}");
}

/// A small deterministic generator (xorshift), so a failing input can be found again from
/// the seed printed with it.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Mutates XML text the way a hostile or broken file would: numbers made huge, ranges cut or
/// repeated, declarations and far cells inserted, bytes flipped.
fn mutate_xml(x: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut v = x.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(v.len() + 1);
        match rng.below(7) {
            0 => {
                // A digit run becomes a huge number.
                if let Some(start) = (at..v.len()).find(|&i| v[i].is_ascii_digit()) {
                    let end = (start..v.len()).find(|&i| !v[i].is_ascii_digit()).unwrap_or(v.len());
                    let big = [
                        "4294967295",
                        "4000000000",
                        "1048577",
                        "18446744073709551616",
                        "99999999999999",
                        "0",
                        "16385",
                    ][rng.below(7)];
                    v.splice(start..end, big.bytes());
                }
            }
            1 => {
                let end = (at + rng.below(64)).min(v.len());
                v.drain(at..end);
            }
            2 => {
                let end = (at + rng.below(256)).min(v.len());
                let piece: Vec<u8> = v[at..end].to_vec();
                for _ in 0..rng.below(50) {
                    v.splice(at..at, piece.iter().copied());
                }
            }
            3 => {
                let tags = [
                    r#"<row r="4000000000"><c r="XFD4000000000" t="s"><v>99999999</v></c></row>"#,
                    r#"<c r="XFE1"><v>1</v></c>"#,
                    r#"<dimension ref="A1:XFD1048576"/>"#,
                    r#"<sst uniqueCount="99999999999" count="99999999999">"#,
                    r#"<c r="A1" t="s"><v>4294967295</v></c>"#,
                    r#"<mergeCell ref="A1:XFD1048576"/>"#,
                    "<row r=\"1\" spans=\"1:16384\">",
                ];
                v.splice(at..at, tags[rng.below(tags.len())].bytes());
            }
            4 => {
                if !v.is_empty() {
                    let i = rng.below(v.len());
                    v[i] ^= 1 << rng.below(8);
                }
            }
            5 => v.truncate(at),
            _ => {
                let end = (at + rng.below(16)).min(v.len());
                v.splice(at..end, std::iter::repeat_n(b'9', rng.below(40)));
            }
        }
    }
    v
}

fn budget() -> Duration {
    Duration::from_secs(std::env::var("ZHANTU_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(10))
}

/// Mutated workbooks: the XML of a real one changed part by part and packed again, and the
/// packed bytes themselves changed. Every answer is a sheet or an error, never a crash.
#[test]
fn fuzz_xlsx() {
    let base = parts(&workbook());
    let packed = workbook();
    let seed = std::env::var("ZHANTU_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x9e37_79b9_7f4a_7c15u64);
    let mut rng = Rng(seed);
    let (start, budget) = (Instant::now(), budget());
    let (mut tried, mut read, mut refused) = (0u64, 0u64, 0u64);
    // The reader catches calamine's panics on malformed files; their messages are noise here.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    while start.elapsed() < budget {
        let case_seed = rng.next() | 1;
        let mut r = Rng(case_seed);
        let file = if r.below(5) == 0 {
            mutate_xml(&packed, &mut r)
        } else {
            let mut ps = base.clone();
            for _ in 0..1 + r.below(2) {
                let i = r.below(ps.len());
                ps[i].1 = mutate_xml(&ps[i].1, &mut r);
            }
            pack(&ps)
        };
        let outcome = std::panic::catch_unwind(|| read_sheets(&file, "x.xlsx"));
        match outcome {
            Ok(Ok(_)) => read += 1,
            Ok(Err(_)) => refused += 1,
            Err(_) => panic!("the reader panicked on case {case_seed}"),
        }
        tried += 1;
    }
    std::panic::set_hook(hook);
    println!(
        "fuzz_xlsx: {tried} workbooks in {:.0?} ({read} read, {refused} refused), 0 crashes",
        start.elapsed()
    );
    assert!(tried > 0);
}

/// Random and mutated CSV text in UTF-8, GBK and UTF-16.
#[test]
fn fuzz_csv() {
    let base = "标题\n项目名称,总投资（万元）,计划开工\n甲,\"1,000\",2019-03-01\n乙;2;x\n"
        .as_bytes()
        .to_vec();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (start, budget) = (Instant::now(), budget());
    let mut tried = 0u64;
    while start.elapsed() < budget {
        let case_seed = rng.next() | 1;
        let mut r = Rng(case_seed);
        let mut file = mutate_xml(&base, &mut r);
        if r.below(4) == 0 {
            file = (0..r.below(4096)).map(|_| r.next() as u8).collect();
        }
        if std::panic::catch_unwind(|| read_sheets(&file, "x.csv")).is_err() {
            panic!("the reader panicked on CSV case {case_seed}");
        }
        tried += 1;
    }
    println!("fuzz_csv: {tried} files in {:.0?}, 0 crashes", start.elapsed());
    assert!(tried > 0);
}
