//! 三服务 (serving enterprises): what an enterprise's record and a visit must hold. The store
//! checks them before it writes; the problem loop a visit's findings start is `problems.rs`.

use crate::error::{RuleError, refuse};

/// An enterprise's name: 1 to 100 characters once trimmed.
pub fn check_enterprise_name(name: &str) -> Result<(), RuleError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return refuse("enterprise_name_length", "企业名称应为1到100个字");
    }
    Ok(())
}

/// The tags of an enterprise (培育名单), trimmed, blanks dropped, each once, in the order given;
/// a tag is at most 20 characters.
pub fn clean_tags(tags: &[String]) -> Result<Vec<String>, RuleError> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > 20 {
            return refuse("enterprise_tag_too_long", format!("培育名单标签“{t}”过长：不能超过20个字"));
        }
        if !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    Ok(out)
}

/// What a visit found (企业经营情况、诉求): 1 to 4,000 characters once trimmed.
pub fn check_visit_findings(findings: &str) -> Result<(), RuleError> {
    let findings = findings.trim();
    if findings.is_empty() {
        return refuse("visit_findings_empty", "请填写走访发现（企业经营情况、诉求）");
    }
    if findings.chars().count() > 4000 {
        return refuse("visit_findings_too_long", "走访发现不能超过4000个字");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_tags_and_findings_are_refused_with_their_codes() {
        assert!(check_enterprise_name(" 台州某某机械有限公司 ").is_ok());
        assert_eq!(check_enterprise_name("  ").unwrap_err().code, "enterprise_name_length");
        assert_eq!(check_enterprise_name(&"企".repeat(101)).unwrap_err().code, "enterprise_name_length");
        let tags = clean_tags(&[" 专精特新 ".into(), "".into(), "专精特新".into(), "瞪羚企业".into()]).unwrap();
        assert_eq!(tags, vec!["专精特新", "瞪羚企业"]);
        let e = clean_tags(&["标".repeat(21)]).unwrap_err();
        assert_eq!(e.code, "enterprise_tag_too_long");
        assert!(e.message.contains("不能超过20个字"), "{e}");
        assert_eq!(check_visit_findings(" ").unwrap_err().code, "visit_findings_empty");
        assert_eq!(
            check_visit_findings(&"字".repeat(4001)).unwrap_err().code,
            "visit_findings_too_long"
        );
        assert!(check_visit_findings("企业反映用地指标紧张").is_ok());
    }
}
