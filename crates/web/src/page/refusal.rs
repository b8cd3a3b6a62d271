//! A refusal said in the reader's language. The store's, the domain's and the API's messages
//! are Chinese; each carries a stable code (`RuleError.code`, `ParseError.code`,
//! `FieldError.code`, `ApiError.code`), and each code a form can produce has its English
//! sentence, `refused.code.<code>` (`i18n/refusals.en.json`; the test below finds every code
//! in the sources and fails on one without). Where the Chinese message quotes a value (“…”:
//! what the reader typed, a record's name), the sentence's `{0}`, `{1}`… take those values in
//! order; they are data, so a page marks their Chinese as such ([`super::data_text`]).
//! Imports no mechanism.

use super::{Lang, i18n};
use crate::error::ApiError;
use zhantu_domain::FieldError;
use zhantu_domain::lang::is_cjk;

/// The values a Chinese message quotes (“…”), in order.
fn quoted(message: &str) -> Vec<&str> {
    message
        .split('“')
        .skip(1)
        .filter_map(|part| part.split_once('”').map(|(q, _)| q))
        .collect()
}

/// `template` with `{0}`, `{1}`… filled from `args`; a placeholder with no value is left out
/// with its quotes (“{0}”), so the sentence still reads.
fn fill(template: &str, args: &[&str]) -> String {
    let mut s = template.to_string();
    for i in 0..10 {
        let p = format!("{{{i}}}");
        if !s.contains(&p) {
            continue;
        }
        match args.get(i) {
            Some(v) => s = s.replace(&p, v),
            None => {
                s = s.replace(&format!(" “{p}”"), "").replace(&format!("“{p}”"), "").replace(&p, "");
            }
        }
    }
    s
}

/// The English (or Chinese) sentence of a refusal's `code`, its values taken from `message`;
/// `None` when the code has none.
pub fn code_sentence(lang: Lang, code: &str, message: &str) -> Option<String> {
    i18n::lookup(lang, &format!("refused.code.{code}")).map(|t| fill(t, &quoted(message)))
}

/// One refused field in the reader's language: in Chinese its own message; in English the
/// sentence of its code (its Chinese message when the code has none, which the test forbids).
pub fn field_text(lang: Lang, f: &FieldError) -> String {
    match lang {
        Lang::Zh => f.message.clone(),
        Lang::En => code_sentence(lang, f.code, &f.message).unwrap_or_else(|| f.message.clone()),
    }
}

/// One refused field in the reader's language, in English after the field's name in words
/// (`refused.field.<field>`) where it is a known form field: the Chinese message names it.
pub fn named_field_text(lang: Lang, f: &FieldError) -> String {
    match (lang, i18n::lookup(lang, &format!("refused.field.{}", f.field))) {
        (Lang::En, Some(label)) => format!("{label}{}{}", i18n::t(lang, "common.colon"), field_text(lang, f)),
        _ => field_text(lang, f),
    }
}

/// A refusal as one message in the reader's language: in Chinese the message itself; in
/// English each refused field named in words (`refused.field.<field>`) with its code's
/// sentence, or the message when it is English already, or the sentence of its code, or of
/// its status.
pub fn refusal_message(lang: Lang, e: &ApiError) -> String {
    if lang == Lang::Zh {
        return e.message.clone();
    }
    if !e.fields.is_empty() {
        // Each sentence ends with its full stop: one after the other.
        return e.fields.0.iter().map(|f| named_field_text(lang, f)).collect::<Vec<_>>().join(" ");
    }
    // A message already in English (a page's own, a report's refusal said in English).
    if !e.message.is_empty() && !e.message.chars().any(is_cjk) {
        return e.message.clone();
    }
    if let Some(s) = code_sentence(lang, e.code, &e.message) {
        return s;
    }
    i18n::lookup(lang, &format!("refused.status.{}", e.status.as_u16()))
        .unwrap_or(i18n::t(lang, "refused.other"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;
    use zhantu_domain::FieldErrors;

    #[test]
    fn values_are_taken_from_the_quotes() {
        assert_eq!(quoted("已有启用的单位叫“海门街道”：单位名称须唯一"), vec!["海门街道"]);
        assert_eq!(fill("Unit “{0}” and “{1}”.", &["a"]), "Unit “a” and.");
        assert_eq!(fill("Date “{0}” is not valid.", &[]), "Date is not valid.");
        let e = ApiError::bad_request(
            "duplicate_unit_name",
            "已有启用的单位叫“海门街道”：单位名称须唯一（导入按名称查找单位）",
        );
        assert_eq!(
            refusal_message(Lang::En, &e),
            "An active unit is already called “海门街道”: unit names must be unique (imports find units by name)."
        );
        assert_eq!(refusal_message(Lang::Zh, &e), e.message);
    }

    #[test]
    fn fields_are_named_in_words() {
        let mut f = FieldErrors::default();
        f.push("unit_id", "field_required", "请选择责任单位");
        f.push("stage_on", "invalid_date", "日期“2019-13-45”无效：不是有效日期");
        let e: ApiError = f.into();
        assert_eq!(
            refusal_message(Lang::En, &e),
            "Responsible unit: This must be filled in. Date of the stage: Date “2019-13-45” is not valid: write it as 2019-12-31."
        );
        assert!(refusal_message(Lang::Zh, &e).contains("请选择责任单位"));
    }

    /// Rust sources of a crate of the workspace, outside their test modules.
    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for p in entries.flatten().map(|e| e.path()) {
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                let text = match text.find("#[cfg(test)]") {
                    Some(i) => text[..i].to_string(),
                    None => text,
                };
                out.push((p.display().to_string(), text));
            }
        }
    }

    fn is_code(s: &str) -> bool {
        s.starts_with(|c: char| c.is_ascii_lowercase()) && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    /// The text of the call whose arguments start at `s` (just after its `(`), to its `)`.
    fn call_args(s: &str) -> &str {
        let (mut depth, mut in_str, mut escaped) = (1, false, false);
        for (i, c) in s.char_indices() {
            if in_str {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return &s[..i];
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The string literals of a piece of source.
    fn literals(s: &str) -> Vec<&str> {
        s.split('"').skip(1).step_by(2).collect()
    }

    /// Every refusal code of the domain, the store and the web crate, as the sources write
    /// them: the first argument of `refuse`, `RuleError::new`, `ParseError::new`,
    /// `StoreError::rule`, `ApiError::bad_request` and the like (or a `const` named there);
    /// any code among the arguments of `require_text`, `checked_text`, `record_key` and
    /// `must_read`; the code of `FieldErrors::push(field, code, …)`; a `SpanError`'s codes.
    fn refusal_codes() -> BTreeMap<String, String> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for krate in ["../domain/src", "../store/src", "src"] {
            sources(&root.join(krate), &mut files);
        }
        let mut consts = BTreeMap::new();
        for (_, text) in &files {
            for part in text.split("const ").skip(1) {
                if let Some((name, rest)) = part.split_once(": &str = \"")
                    && let Some((value, _)) = rest.split_once("\";")
                    && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                    && is_code(value)
                {
                    consts.insert(name.to_string(), value.to_string());
                }
            }
        }
        let first = [
            "refuse(",
            "RuleError::new(",
            "ParseError::new(",
            "bad_request(",
            "unprocessable(",
            "conflict(",
            "StoreError::rule(",
            "with_code(",
        ];
        let any = ["require_text(", "checked_text(", "record_key(", "must_read("];
        let mut codes = BTreeMap::new();
        for (path, text) in &files {
            for name in first.iter().chain(&any) {
                for (at, _) in text.match_indices(name) {
                    let before = text[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                        continue;
                    }
                    let args = call_args(&text[at + name.len()..]);
                    if first.contains(name) {
                        let head = args.trim_start();
                        let code = match head.strip_prefix('"') {
                            Some(rest) => rest.split('"').next().map(str::to_string),
                            None => consts.get(head.split(',').next().unwrap_or("").trim()).cloned(),
                        };
                        if let Some(code) = code.filter(|c| is_code(c)) {
                            codes.insert(code, path.clone());
                        }
                    } else {
                        for l in literals(args).into_iter().filter(|l| is_code(l)) {
                            codes.insert(l.to_string(), path.clone());
                        }
                    }
                }
            }
            for (at, _) in text.match_indices(".push(") {
                let lits = literals(call_args(&text[at + 6..]));
                let args = call_args(&text[at + 6..]).trim_start();
                if args.starts_with('"') && lits.len() >= 3 && is_code(lits[0]) && is_code(lits[1]) {
                    codes.insert(lits[1].to_string(), path.clone());
                }
            }
            for line in text.lines().filter(|l| l.contains("Error::") && l.contains("=> \"")) {
                if let Some(code) = line.split("=> \"").nth(1).and_then(|r| r.split('"').next())
                    && is_code(code)
                {
                    codes.insert(code.to_string(), path.clone());
                }
            }
        }
        codes
    }

    /// Every code a refusal can carry has its English sentence, and the English has no CJK
    /// outside the values it quotes.
    #[test]
    fn every_refusal_code_has_an_english_sentence() {
        let codes = refusal_codes();
        assert!(codes.len() > 150, "the scan found only {} codes: {codes:?}", codes.len());
        for expected in [
            "lead_name_empty",
            "invalid_date",
            "land_quota_exceeded",
            "duplicate_unit_name",
            "field_required",
            "span_overlaps",
            "missing_glyphs",
        ] {
            assert!(codes.contains_key(expected), "the scan missed {expected}");
        }
        let missing: BTreeSet<String> = codes
            .iter()
            .filter(|(c, _)| i18n::lookup(Lang::En, &format!("refused.code.{c}")).is_none())
            .map(|(c, p)| format!("{c} ({p})"))
            .collect();
        assert!(
            missing.is_empty(),
            "refusal codes without refused.code.<code> in English: {missing:?}"
        );
        for c in codes.keys() {
            let s = i18n::t(Lang::En, &format!("refused.code.{c}"));
            assert!(!s.chars().any(is_cjk), "refused.code.{c} is not English: {s}");
        }
    }
}
