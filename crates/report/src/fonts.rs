//! The fonts the PDF is set in, read once from a fonts folder (not embedded: together they are
//! tens of megabytes, see `fonts/README.md`), and the check of a report's characters against
//! them. The folder is the first of: `ZHANTU_FONTS`, `fonts/` beside the executable, and this
//! crate's `fonts/` in the source tree (so `cargo run` and the tests need nothing installed).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use zhantu_domain::cadence::{MissingGlyph, Report, missing_glyphs};

/// The environment variable that names the fonts folder.
pub const FONTS_ENV: &str = "ZHANTU_FONTS";

/// The fonts as typst uses them, or why there are none.
pub(crate) struct Loaded {
    pub book: FontBook,
    pub fonts: Vec<Font>,
    pub dir: Result<PathBuf, String>,
}

/// Where the fonts are looked for, in order.
fn candidates() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os(FONTS_ENV).filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    if let Some(exe_dir) = std::env::current_exe().ok().and_then(|e| e.parent().map(Path::to_path_buf)) {
        dirs.push(exe_dir.join("fonts"));
    }
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts"));
    dirs
}

/// The font files of a folder (`.otf`, `.ttf`, `.ttc`), in name order.
fn font_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "otf" | "ttf" | "ttc"))
        })
        .collect();
    paths.sort();
    paths
}

/// The folder the fonts will be read from, without reading them (for a server's start-up
/// message), or where it looked.
pub fn find_fonts_dir() -> Result<PathBuf, String> {
    let tried = candidates();
    tried.iter().find(|d| !font_files(d).is_empty()).cloned().ok_or_else(|| {
        let tried = tried.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join("、");
        format!("找不到报告字体（已查找：{tried}）；请把发布包中的 fonts 文件夹放在程序旁，或用环境变量 {FONTS_ENV} 指定其路径")
    })
}

/// Every font of a folder, in file name order.
fn read_dir(dir: &Path) -> Vec<Font> {
    font_files(dir)
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flat_map(|b| Font::iter(Bytes::new(b)).collect::<Vec<_>>())
        .collect()
}

pub(crate) fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let tried = candidates();
        for dir in &tried {
            let fonts = read_dir(dir);
            if !fonts.is_empty() {
                return Loaded {
                    book: FontBook::from_fonts(&fonts),
                    fonts,
                    dir: Ok(dir.clone()),
                };
            }
        }
        Loaded {
            book: FontBook::new(),
            fonts: Vec::new(),
            dir: Err(find_fonts_dir().err().unwrap_or_else(|| "报告字体无法读取".to_string())),
        }
    })
}

/// The folder the fonts were read from, or why none was found.
pub fn fonts_dir() -> Result<&'static Path, String> {
    loaded().dir.as_deref().map_err(Clone::clone)
}

/// Whether some shipped font draws this character (typst falls back across all of them).
pub fn has_glyph(c: char) -> bool {
    loaded().fonts.iter().any(|f| f.info().coverage.contains(c as u32))
}

/// The characters of the report that no shipped font draws, each with where it stands.
pub fn pdf_missing_glyphs(report: &Report) -> Vec<MissingGlyph> {
    missing_glyphs(report, has_glyph)
}
