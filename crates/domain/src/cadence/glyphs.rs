//! Characters a report's fonts cannot draw (缺字): found before rendering, never dropped
//! silently. The renderer says which characters its fonts cover; this module walks every text
//! of the report, names each missing character with where it stands, writes the substitution
//! note the document carries, and refuses to issue such a report unless confirmed.

use super::Report;
use crate::error::RuleError;
use serde::Serialize;

/// What a document prints in place of a character it has no glyph for: 〓 (U+3013, 缺字符),
/// the compositor's customary mark for a missing character.
pub const SUBSTITUTE: char = '〓';

/// The stable code of the refusal to issue a report with missing glyphs unconfirmed.
pub const MISSING_GLYPHS: &str = "missing_glyphs";

/// At most this many places are named for one character.
const PLACES_NAMED: usize = 3;

/// A character no font of the document has, and where it stands in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MissingGlyph {
    pub ch: char,
    /// `U+E000`.
    pub code_point: String,
    /// Where it stands, in Chinese (`表「新亮红灯项目」第2行`), the first few.
    pub places: Vec<String>,
    /// The same places in English (`row 2 of table “New red projects”`).
    pub places_en: Vec<String>,
    /// How many places in all.
    pub count: usize,
}

impl MissingGlyph {
    /// `“X”（U+XXXX，见表「…」第2行等3处）`.
    pub fn describe_zh(&self) -> String {
        format!("“{}”（{}，{}）", self.ch, self.code_point, self.places_zh())
    }
    /// `“X” (U+XXXX, at row 2 of table “…”, 3 places in all)`.
    pub fn describe_en(&self) -> String {
        let more = if self.count > self.places_en.len() {
            format!(", {} places in all", self.count)
        } else {
            String::new()
        };
        format!("“{}” ({}, at {}{more})", self.ch, self.code_point, self.places_en.join("; "))
    }
    /// In `lang`.
    pub fn describe(&self, lang: crate::lang::Lang) -> String {
        match lang {
            crate::lang::Lang::Zh => self.describe_zh(),
            crate::lang::Lang::En => self.describe_en(),
        }
    }
    /// `见表「…」第2行等3处`.
    fn places_zh(&self) -> String {
        let more = if self.count > self.places.len() {
            format!("等{}处", self.count)
        } else {
            String::new()
        };
        format!("见{}{more}", self.places.join("、"))
    }
}

/// Characters that are not drawn with a glyph of their own: spaces, controls and variation
/// selectors (they modify the character before them).
fn drawn(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || ('\u{FE00}'..='\u{FE0F}').contains(&c)
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
        || c == '\u{200D}')
}

/// Where a text of the report stands, in Chinese and in English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub zh: String,
    pub en: String,
}

fn place(zh: String, en: String) -> Place {
    Place { zh, en }
}

/// Every text of the report with where it stands, in reading order.
pub fn texts(r: &Report) -> Vec<(Place, String)> {
    let at = |zh: &str, en: &str| place(zh.into(), en.into());
    let mut out: Vec<(Place, String)> = vec![
        (at("标题", "the title"), r.title.clone()),
        (at("文号", "the document number"), r.doc_number()),
        (at("报告期", "the period"), r.period_label.clone()),
    ];
    for (i, p) in r.summary.iter().enumerate() {
        out.push((
            place(format!("导语第{}段", i + 1), format!("paragraph {} of the summary", i + 1)),
            p.clone(),
        ));
    }
    for s in &r.sections {
        let h = &s.heading;
        out.push((place(format!("「{h}」标题"), format!("the heading “{h}”")), h.clone()));
        for (i, p) in s.paragraphs.iter().enumerate() {
            out.push((
                place(format!("「{h}」第{}段", i + 1), format!("paragraph {} under “{h}”", i + 1)),
                p.clone(),
            ));
        }
        for c in &s.charts {
            let at = place(format!("图「{}」", c.title), format!("chart “{}”", c.title));
            out.push((at.clone(), format!("{}{}", c.title, c.unit)));
            out.extend(c.labels.iter().map(|l| (at.clone(), l.clone())));
            out.extend(c.series.iter().map(|x| (at.clone(), x.name.clone())));
            out.extend(c.reference.iter().map(|(n, _)| (at.clone(), n.clone())));
        }
        for t in &s.tables {
            let c = &t.caption;
            out.push((place(format!("表「{c}」"), format!("table “{c}”")), c.clone()));
            out.push((
                place(format!("表「{c}」表头"), format!("the header of table “{c}”")),
                t.columns.concat(),
            ));
            for (i, row) in t.rows.iter().enumerate() {
                let text: String = row.iter().map(|c| c.display()).collect();
                out.push((
                    place(format!("表「{c}」第{}行", i + 1), format!("row {} of table “{c}”", i + 1)),
                    text,
                ));
            }
        }
    }
    out.push((at("落款", "the signature"), r.office.clone()));
    out
}

/// The characters of the report that `covered` says no font draws, in order of first use.
pub fn missing_glyphs(r: &Report, covered: impl Fn(char) -> bool) -> Vec<MissingGlyph> {
    let mut found: Vec<MissingGlyph> = Vec::new();
    for (place, text) in texts(r) {
        for c in text.chars().filter(|c| drawn(*c) && !covered(*c)) {
            let i = match found.iter().position(|m| m.ch == c) {
                Some(i) => i,
                None => {
                    found.push(MissingGlyph {
                        ch: c,
                        code_point: format!("U+{:04X}", c as u32),
                        places: Vec::new(),
                        places_en: Vec::new(),
                        count: 0,
                    });
                    found.len() - 1
                }
            };
            let m = &mut found[i];
            m.count += 1;
            if m.places.len() < PLACES_NAMED && !m.places.contains(&place.zh) {
                m.places.push(place.zh.clone());
                m.places_en.push(place.en.clone());
            }
        }
    }
    found
}

/// The text with each character that has no glyph replaced by [`SUBSTITUTE`].
pub fn substitute(text: &str, missing: &[MissingGlyph]) -> String {
    text.chars()
        .map(|c| if missing.iter().any(|m| m.ch == c) { SUBSTITUTE } else { c })
        .collect()
}

/// The note a document carries when it substituted characters (none when it did not): the
/// characters by code point, as the document cannot draw them.
pub fn substitution_note(missing: &[MissingGlyph]) -> Option<String> {
    (!missing.is_empty()).then(|| {
        format!(
            "注：本文件所用字体缺少下列字符的字形，文中以“{SUBSTITUTE}”代替：{}。",
            missing
                .iter()
                .map(|m| format!("{}（{}）", m.code_point, m.places_zh()))
                .collect::<Vec<_>>()
                .join("；")
        )
    })
}

/// Issuing a report that would print substitutes needs the issuer's confirmation.
pub fn check_issue(missing: &[MissingGlyph], confirmed: bool) -> Result<(), RuleError> {
    if missing.is_empty() || confirmed {
        return Ok(());
    }
    Err(RuleError::new(
        MISSING_GLYPHS,
        format!(
            "报告中有{}个字符在正式文件（PDF）的字体中没有字形，将以“{SUBSTITUTE}”代替：{}。确认仍要签发请再次提交（confirm_missing_glyphs）",
            missing.len(),
            missing.iter().map(MissingGlyph::describe_zh).collect::<Vec<_>>().join("；")
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Money;
    use crate::cadence::{Header, LaggingProject, ReportKind, ReportPeriod, SupervisionInputs, supervision};

    fn sample_with_project(project: &str) -> Report {
        let h = Header {
            district: "椒江区".into(),
            office: "椒江区重大项目建设工作领导小组办公室".into(),
            as_of: chrono::NaiveDate::from_ymd_opt(2019, 12, 31).unwrap(),
        };
        let lag = LaggingProject {
            project: project.into(),
            unit: "海门街道".into(),
            leader: "王区长".into(),
            light: Some("red".into()),
            reasons: vec![],
            planned: Money::from_wan(100),
            completed: Money::from_wan(10),
            findings: vec![],
        };
        let inputs = SupervisionInputs {
            lagging: vec![lag],
            active_projects: 1,
            rounds: vec![],
        };
        supervision(
            crate::lang::Lang::Zh,
            ReportPeriod::parse(ReportKind::Supervision, "2019-B6").unwrap(),
            &h,
            &inputs,
        )
    }

    #[test]
    fn a_character_no_font_has_is_named_with_its_places() {
        let r = sample_with_project("浙江\u{E000}鑫项目");
        let missing = missing_glyphs(&r, |c| c != '\u{E000}');
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].code_point, "U+E000");
        assert!(missing[0].places[0].contains("第1行"), "{:?}", missing[0].places);
        // The same places in English, for an English reader of the warning.
        assert_eq!(missing[0].places_en.len(), missing[0].places.len());
        assert!(
            missing[0].places_en[0].starts_with("row 1 of table “"),
            "{:?}",
            missing[0].places_en
        );
        let en = missing[0].describe(crate::lang::Lang::En);
        assert!(
            en.starts_with("“\u{E000}” (U+E000, at row 1 of table “") && !en.contains('第'),
            "{en}"
        );
        assert!(substitution_note(&missing).unwrap().contains("U+E000"));
        assert_eq!(substitute("浙江\u{E000}鑫", &missing), "浙江〓鑫");
        let refused = check_issue(&missing, false).unwrap_err();
        assert_eq!(refused.code, MISSING_GLYPHS);
        assert!(refused.message.contains("U+E000"), "{}", refused.message);
        assert!(check_issue(&missing, true).is_ok());
        assert!(check_issue(&[], false).is_ok());
    }

    #[test]
    fn spaces_and_variation_selectors_need_no_glyph() {
        let r = sample_with_project("葛\u{E0100} 项目");
        assert!(missing_glyphs(&r, |c| !c.is_whitespace() && c < '\u{E0100}').is_empty());
    }
}
