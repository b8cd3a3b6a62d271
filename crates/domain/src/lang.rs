//! The language a generated text is written in (the reports of the cadence, a supervision
//! round's summary). The web's page language converts into it; data values (names, free text)
//! are never translated, only the sentences around them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Chinese: the official document, and the default.
    #[default]
    Zh,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Zh, Lang::En];

    pub fn is_zh(&self) -> bool {
        *self == Lang::Zh
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
    /// One of two fixed texts.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Whether a character is CJK (ideographs, their punctuation and full-width forms): what an
/// English text may contain only inside data values.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// The CJK characters of `text` left once every data value in `data` is taken out (longest
/// first), for the tests that an English text is English outside its data.
pub fn cjk_outside(text: &str, data: &[&str]) -> String {
    let mut data: Vec<&str> = data.iter().copied().filter(|d| !d.is_empty()).collect();
    data.sort_by_key(|d| std::cmp::Reverse(d.chars().count()));
    let mut rest = text.to_string();
    for d in data {
        rest = rest.replace(d, " ");
    }
    rest.chars().filter(|c| is_cjk(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_outside_data() {
        assert_eq!(cjk_outside("Project 甲 is late（3 days）", &["甲"]), "（）");
        assert_eq!(cjk_outside("Week 50, 2019 (9–15 Dec)", &[]), "");
        assert!(is_cjk('𠮷') && is_cjk('，') && !is_cjk('–') && !is_cjk('·'));
    }
}
