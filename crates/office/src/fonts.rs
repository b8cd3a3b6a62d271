//! The fonts the .xlsx and .docx files name. They are not embedded: Excel, Word and WPS draw
//! them with the reader's fonts, so the file names, for each character, a font that a standard
//! Chinese Windows has and that covers it (see `crates/report/fonts/README.md`):
//! 宋体 (SimSun, since Vista the GB 18030-2000 repertoire: Unified Ideographs to U+9FA5,
//! Extension A and the symbols), 黑体 (SimHei, GBK only) and SimSun-ExtB (Extension B and the
//! Compatibility Supplement). 仿宋 (FangSong_GB2312 / FangSong) covers only GB2312 / GBK, so it
//! would lose 䶮 and 𠮷: official text is declared in 宋体.

/// 宋体: body text, table cells.
pub const SONG: &str = "宋体";
/// 黑体: headings.
pub const HEI: &str = "黑体";
/// SimSun-ExtB: Extension B (U+20000–U+2A6DF) and the CJK Compatibility Supplement.
pub const SONG_EXT_B: &str = "SimSun-ExtB";

/// The font a file should name for `c` in text set in `base` (宋体 or 黑体), or `None` when no
/// font of a standard Chinese Windows is known to have it (the reader's own fallback decides,
/// and the export's check names the character).
pub fn declared_font(c: char, base: &'static str) -> Option<&'static str> {
    match c as u32 {
        // Extension A: SimSun has it, SimHei does not.
        0x3400..=0x4DB5 => Some(SONG),
        0x4DB6..=0x4DBF => None,
        // Unified Ideographs after Unicode 3.0, not in SimSun.
        0x9FA6..=0x9FFF => None,
        0x20000..=0x2A6DF | 0x2F800..=0x2FA1F => Some(SONG_EXT_B),
        // Extensions C and later, and anything else outside the BMP.
        0x10000.. => None,
        _ => Some(base),
    }
}

/// The text cut into runs of one declared font each (`None`: no known font).
pub fn font_runs(text: &str, base: &'static str) -> Vec<(Option<&'static str>, String)> {
    let mut runs: Vec<(Option<&'static str>, String)> = Vec::new();
    for c in text.chars() {
        let font = if c.is_whitespace() {
            runs.last().map_or(Some(base), |r| r.0)
        } else {
            declared_font(c, base)
        };
        match runs.last_mut() {
            Some((f, s)) if *f == font => s.push(c),
            _ => runs.push((font, c.to_string())),
        }
    }
    runs
}

/// Whether the text needs more than its base font.
pub fn needs_other_fonts(text: &str, base: &'static str) -> bool {
    text.chars().any(|c| declared_font(c, base) != Some(base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_extension_b_get_simsun_extb_and_the_rest_stays_in_the_base_font() {
        let runs = font_runs("𠮷野家𡈼项目", HEI);
        assert_eq!(
            runs,
            vec![
                (Some(SONG_EXT_B), "𠮷".to_string()),
                (Some(HEI), "野家".to_string()),
                (Some(SONG_EXT_B), "𡈼".to_string()),
                (Some(HEI), "项目".to_string()),
            ]
        );
        assert_eq!(declared_font('䶮', HEI), Some(SONG), "SimHei has no Extension A");
        assert_eq!(declared_font('犇', SONG), Some(SONG));
        assert_eq!(declared_font('\u{2A700}', SONG), None, "Extension C: no standard font");
        assert!(!needs_other_fonts("浙江犇鑫堃喆镕项目", SONG));
    }
}
