//! The pages' strings, in `i18n/zh-CN.json` (the default) and `i18n/en.json`, plus one pair of
//! files per mechanism (`i18n/<mechanism>.zh-CN.json`, `i18n/<mechanism>.en.json`): flat objects
//! of key → text, compiled into the binary, merged and parsed once. `build.rs` finds the files,
//! so a new mechanism's strings need no registering. A key defined twice is a bug the tests
//! catch. `{name}` marks a placeholder.

use std::collections::HashMap;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/i18n_files.rs"));

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    pub fn html_code(self) -> &'static str {
        self.code()
    }
    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "zh" | "zh-CN" | "zh-cn" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The language of the domain's generated texts (the reports, a round's summary).
impl From<Lang> for zhantu_domain::lang::Lang {
    fn from(l: Lang) -> Self {
        match l {
            Lang::Zh => zhantu_domain::lang::Lang::Zh,
            Lang::En => zhantu_domain::lang::Lang::En,
        }
    }
}

fn parse(src: &str, name: &str) -> HashMap<String, String> {
    serde_json::from_str(src).unwrap_or_else(|e| panic!("i18n file {name} is not a flat JSON object of strings: {e}"))
}

/// All files of one language merged; panics on a key defined in two files.
fn merged(lang: Lang) -> HashMap<String, String> {
    let mut all = HashMap::new();
    for (area, zh, en) in FILES {
        let (src, name) = match lang {
            Lang::Zh => (*zh, format!("{area}.zh-CN")),
            Lang::En => (*en, format!("{area}.en")),
        };
        for (k, v) in parse(src, &name) {
            if all.insert(k.clone(), v).is_some() {
                panic!("i18n key {k} is defined twice ({name})");
            }
        }
    }
    all
}

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static ZH: OnceLock<HashMap<String, String>> = OnceLock::new();
    static ENG: OnceLock<HashMap<String, String>> = OnceLock::new();
    match lang {
        Lang::Zh => ZH.get_or_init(|| merged(Lang::Zh)),
        Lang::En => ENG.get_or_init(|| merged(Lang::En)),
    }
}

/// The text of `key`; the key itself when missing (the tests make sure none is).
pub fn t(lang: Lang, key: &str) -> &'static str {
    match table(lang).get(key) {
        Some(s) => s.as_str(),
        None => {
            tracing::warn!(key, lang = lang.code(), "missing translation");
            Box::leak(key.to_string().into_boxed_str())
        }
    }
}

/// The text of `key` when there is one (for keys made from data, such as an audit action's
/// code, which fall back to the code itself).
pub fn lookup(lang: Lang, key: &str) -> Option<&'static str> {
    table(lang).get(key).map(String::as_str)
}

/// `t` with `{name}` placeholders filled in (values are inserted as given: escape them first
/// when the result goes into HTML).
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key).to_string();
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(lang: Lang) -> BTreeSet<&'static str> {
        table(lang).keys().map(String::as_str).collect()
    }

    #[test]
    fn both_languages_have_every_key() {
        let (zh, en) = (keys(Lang::Zh), keys(Lang::En));
        let only_zh: Vec<_> = zh.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&zh).collect();
        assert!(only_zh.is_empty(), "missing in en.json: {only_zh:?}");
        assert!(only_en.is_empty(), "missing in zh-CN.json: {only_en:?}");
        for lang in [Lang::Zh, Lang::En] {
            for (k, v) in table(lang) {
                assert!(!v.trim().is_empty(), "{k} is empty in {}", lang.code());
            }
        }
    }

    /// Every key the page code uses (`t("…")`, `tf(…, "…"`, `cx.t("…")`) exists.
    #[test]
    fn every_key_used_in_the_code_exists() {
        let zh = keys(Lang::Zh);
        let mut missing = BTreeSet::new();
        for (_, src) in SOURCES {
            for pat in ["t(\"", "t(lang, \"", "t(other, \"", "tf(cx.lang, \"", "tf(lang, \"", "t('", "tf('"] {
                for part in src.split(pat).skip(1) {
                    if let Some(key) = part.split(['"', '\'']).next() {
                        if key.contains('.') && !key.contains(' ') && !zh.contains(key) {
                            missing.insert(key.to_string());
                        }
                    }
                }
            }
        }
        assert!(missing.is_empty(), "keys used but not translated: {missing:?}");
    }

    #[test]
    fn placeholders_are_filled() {
        assert!(tf(Lang::Zh, "registry.total", &[("n", "5")]).contains('5'));
        assert_eq!(Lang::from_code("en"), Some(Lang::En));
        assert_eq!(Lang::Zh.other(), Lang::En);
    }
}
