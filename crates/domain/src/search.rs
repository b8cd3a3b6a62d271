//! Chinese full-text search terms. Chinese has no spaces, so text is indexed by overlapping
//! character bigrams (the CJK analysers of mature search engines do the same): any query of
//! two or more characters matches wherever its bigrams all occur, and no dictionary can miss
//! a new place or company name. Latin letters and digits are indexed as lower-case words.
//! Both engines index the same terms (SQLite FTS5, PostgreSQL `tsvector`).

use crate::error::normalize_input;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// A run of text of one script.
enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let text = normalize_input(text).to_lowercase();
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            cjk.push(c);
        } else if c.is_ascii_alphanumeric() {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    if !cjk.is_empty() {
        out.push(Run::Cjk(cjk));
    }
    out
}

/// The terms a document is indexed under, space-separated, each made only of letters and
/// digits (safe inside both engines' query syntax).
pub fn index_terms(text: &str) -> String {
    let mut terms: Vec<String> = Vec::new();
    for run in runs(text) {
        match run {
            Run::Word(w) => terms.push(w),
            Run::Cjk(cs) if cs.len() == 1 => terms.push(cs[0].to_string()),
            Run::Cjk(cs) => terms.extend(cs.windows(2).map(|w| w.iter().collect::<String>())),
        }
    }
    terms.join(" ")
}

/// What a query searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Every one of these terms must occur.
    Terms(Vec<String>),
    /// Nothing searchable (empty, or punctuation only).
    Empty,
}

/// Turns what a user typed into index terms. A single Chinese character is searched as
/// itself (it is indexed when it stands alone; inside longer runs only bigrams exist, so the
/// caller may prefer a substring scan for one-character queries).
pub fn query_terms(q: &str) -> Query {
    let mut terms: Vec<String> = index_terms(q).split(' ').filter(|t| !t.is_empty()).map(str::to_string).collect();
    terms.sort();
    terms.dedup();
    if terms.is_empty() { Query::Empty } else { Query::Terms(terms) }
}

/// True when the query is one lone Chinese character (bigrams cannot find it).
pub fn is_single_cjk(q: &str) -> bool {
    let t = normalize_input(q);
    let mut cs = t.chars().filter(|c| !c.is_whitespace());
    matches!((cs.next(), cs.next()), (Some(c), None) if is_cjk(c))
}

/// Splits `text` into (segment, is_hit) for highlighting: each maximal piece of the query
/// (a Chinese run or a word) found in the text, case-insensitively, is a hit.
pub fn highlight(text: &str, q: &str) -> Vec<(String, bool)> {
    let needles: Vec<String> = runs(q)
        .into_iter()
        .map(|r| match r {
            Run::Cjk(cs) => cs.into_iter().collect(),
            Run::Word(w) => w,
        })
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let lower: Vec<char> = normalize_input(text).to_lowercase().chars().collect();
    // Full-width normalisation keeps lengths except for trimmed ends; fall back to no highlight.
    if lower.len() != chars.len() || needles.is_empty() {
        return vec![(text.to_string(), false)];
    }
    let mut hit = vec![false; chars.len()];
    for n in &needles {
        let n: Vec<char> = n.chars().collect();
        if n.is_empty() || n.len() > lower.len() {
            continue;
        }
        for i in 0..=lower.len() - n.len() {
            if lower[i..i + n.len()] == n[..] {
                hit[i..i + n.len()].iter_mut().for_each(|h| *h = true);
            }
        }
    }
    let mut out: Vec<(String, bool)> = Vec::new();
    for (c, h) in chars.into_iter().zip(hit) {
        match out.last_mut() {
            Some((s, last)) if *last == h => s.push(c),
            _ => out.push((c.to_string(), h)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bigrams_and_words() {
        assert_eq!(index_terms("星星冷链智能工厂"), "星星 星冷 冷链 链智 智能 能工 工厂");
        assert_eq!(index_terms("晶特光学AR元器件（二期）"), "晶特 特光 光学 ar 元器 器件 二期");
        assert_eq!(index_terms("2019-331002-04-01-123456"), "2019 331002 04 01 123456");
        assert_eq!(query_terms("工厂"), Query::Terms(vec!["工厂".into()]));
        assert_eq!(query_terms("智能 工厂"), Query::Terms(vec!["工厂".into(), "智能".into()]));
        assert_eq!(query_terms("  ，。"), Query::Empty);
        assert!(is_single_cjk(" 厂 ") && !is_single_cjk("工厂") && !is_single_cjk("a"));
    }

    #[test]
    fn every_query_of_a_documents_substring_is_covered_by_its_terms() {
        let doc = "葭沚水城商业文化街区";
        let indexed: Vec<&str> = index_terms(doc).leak().split(' ').collect();
        let chars: Vec<char> = doc.chars().collect();
        for len in 2..=chars.len() {
            for start in 0..=chars.len() - len {
                let q: String = chars[start..start + len].iter().collect();
                let Query::Terms(terms) = query_terms(&q) else { panic!() };
                assert!(terms.iter().all(|t| indexed.contains(&t.as_str())), "{q}");
            }
        }
    }

    #[test]
    fn highlights() {
        let h = highlight("星星冷链智能工厂", "工厂");
        assert_eq!(h, vec![("星星冷链智能".to_string(), false), ("工厂".to_string(), true)]);
        let h = highlight("晶特光学AR元器件", "ar");
        assert!(h.contains(&("AR".to_string(), true)));
        assert_eq!(highlight("abc", ""), vec![("abc".to_string(), false)]);
    }
}
