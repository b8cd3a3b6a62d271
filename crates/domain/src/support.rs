//! 惠企政策兑现台账 (the enterprise-support ledger): what the district paid back or spared its
//! enterprises under each policy — e.g. the seed article's "落实返还2053家工业企业2018年实缴社保费约
//! 1.38亿元" (a refund) and "全年减轻企业负担28亿元以上" (burden reductions) — entered as lines of a
//! year: the policy, the unit that carried it out, how many enterprises and how much, when, and the
//! document it rests on.
//!
//! **The year's figures** (README's glossary of figures): per kind and per policy, the enterprises
//! (the sum of the lines' counts: a firm served twice under one policy is counted once only if it
//! was entered once) and the amount (the exact sum); a kind's total is the sum of its policies.

use crate::error::FieldErrors;
use crate::labelled::code_enum;
use crate::money::{Money, MoneyUnit};
use chrono::NaiveDate;

code_enum!(
    /// What a line records.
    SupportKind {
        Refund = "refund", "资金返还与奖补", "Refunds and grants";
        Reduction = "reduction", "减负降本", "Burden reductions";
    }
);

/// A ledger line as entered, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportInput {
    pub kind: SupportKind,
    /// The policy: 社保费返还, 减税降费, 降低用电成本…
    pub policy: String,
    pub year: i32,
    pub firms: i64,
    pub amount: Money,
    pub granted_on: NaiveDate,
    pub document: String,
    pub note: String,
}

/// The most enterprises one line may count.
pub const MAX_FIRMS: i64 = 1_000_000;

impl SupportInput {
    /// Every field checked at once; the amount in 万元 as people write it (`13800`, `1.38亿元`).
    pub fn parse(
        kind: &str,
        policy: &str,
        firms: i64,
        amount: &str,
        granted_on: &str,
        document: &str,
        note: &str,
    ) -> Result<SupportInput, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kind = match SupportKind::from_code_or_label(kind.trim()) {
            Some(k) => k,
            None => {
                errors.push(
                    "kind",
                    "support_kind_unknown",
                    format!("类别“{}”无效：应为 refund 或 reduction", kind.trim()),
                );
                SupportKind::Refund
            }
        };
        let policy = errors.text(
            "policy",
            policy,
            100,
            Some(("support_policy_empty", "请写明政策名称")),
            ("support_policy_long", "政策名称不能超过100个字"),
        );
        let document = errors.text(
            "document",
            document,
            200,
            None,
            ("support_document_long", "依据文件不能超过200个字"),
        );
        let note = errors.text("note", note, 1000, None, ("support_note_long", "备注不能超过1000个字"));
        if !(0..=MAX_FIRMS).contains(&firms) {
            errors.push(
                "firms",
                "support_firms_invalid",
                format!("企业数“{firms}”无效：应为0到{MAX_FIRMS}之间的整数"),
            );
        }
        let amount = match Money::parse(amount, MoneyUnit::Wan) {
            Ok(m) if m > Money::ZERO => m,
            Ok(_) => {
                errors.push("amount", "support_amount_invalid", "金额应大于0");
                Money::ZERO
            }
            Err(e) => {
                errors.push("amount", "support_amount_invalid", e.reason);
                Money::ZERO
            }
        };
        let granted_on = errors.take("granted_on", crate::parse_date(granted_on));
        errors.or(|| {
            let granted_on = granted_on.unwrap_or_default();
            SupportInput {
                kind,
                policy,
                year: chrono::Datelike::year(&granted_on),
                firms,
                amount,
                granted_on,
                document,
                note,
            }
        })
    }
}

/// One line as the figures take it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportLine {
    pub kind: SupportKind,
    pub policy: String,
    pub firms: i64,
    pub amount: Money,
}

/// A policy's (or a kind's) sums.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SupportSum {
    pub kind: SupportKind,
    /// The policy; empty on a kind's total.
    pub policy: String,
    pub lines: u32,
    pub firms: i64,
    pub amount: Money,
}

/// The year's figures: each kind's total, then its policies in the order first entered.
pub fn summary(lines: &[SupportLine]) -> Vec<SupportSum> {
    let mut out = Vec::new();
    for kind in SupportKind::ALL {
        let of_kind: Vec<&SupportLine> = lines.iter().filter(|l| l.kind == *kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        let mut policies: Vec<SupportSum> = Vec::new();
        for l in &of_kind {
            let i = match policies.iter().position(|p| p.policy == l.policy) {
                Some(i) => i,
                None => {
                    policies.push(SupportSum {
                        kind: *kind,
                        policy: l.policy.clone(),
                        lines: 0,
                        firms: 0,
                        amount: Money::ZERO,
                    });
                    policies.len() - 1
                }
            };
            let p = &mut policies[i];
            p.lines += 1;
            p.firms += l.firms;
            p.amount = p.amount + l.amount;
        }
        out.push(SupportSum {
            kind: *kind,
            policy: String::new(),
            lines: policies.iter().map(|p| p.lines).sum(),
            firms: policies.iter().map(|p| p.firms).sum(),
            amount: policies.iter().map(|p| p.amount).sum(),
        });
        out.extend(policies);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_parsed_whole_and_every_bad_field_is_named() {
        let l = SupportInput::parse("refund", " 社保费返还 ", 612, "4,100.5", "2019-09-20", "椒政办发〔2019〕12号", "").unwrap();
        assert_eq!(
            (l.kind, l.policy.as_str(), l.firms, l.year),
            (SupportKind::Refund, "社保费返还", 612, 2019)
        );
        assert_eq!(l.amount, Money::from_yuan(41_005_000));
        assert_eq!(
            SupportInput::parse("减负降本", "减税降费", 0, "1.2亿元", "2019-12-31", "", "")
                .unwrap()
                .amount,
            Money::from_wan(12_000)
        );
        let e = SupportInput::parse("gift", " ", -1, "0", "2019-02-30", "", "").unwrap_err();
        let codes: Vec<&str> = e.0.iter().map(|f| f.code).collect();
        assert_eq!(
            codes,
            [
                "support_kind_unknown",
                "support_policy_empty",
                "support_firms_invalid",
                "support_amount_invalid",
                "invalid_date"
            ]
        );
    }

    #[test]
    fn the_summary_sums_each_policy_and_each_kind_exactly() {
        let l = |kind, policy: &str, firms, yuan| SupportLine {
            kind,
            policy: policy.into(),
            firms,
            amount: Money::from_yuan(yuan),
        };
        let s = summary(&[
            l(SupportKind::Reduction, "减税降费", 0, 1_500_000_000),
            l(SupportKind::Refund, "社保费返还", 1200, 80_000_001),
            l(SupportKind::Refund, "社保费返还", 853, 58_000_000),
            l(SupportKind::Reduction, "降低用电成本", 0, 300_000_000),
        ]);
        let got: Vec<(SupportKind, &str, u32, i64, i64)> = s
            .iter()
            .map(|x| (x.kind, x.policy.as_str(), x.lines, x.firms, x.amount.yuan()))
            .collect();
        assert_eq!(
            got,
            [
                (SupportKind::Refund, "", 2, 2053, 138_000_001),
                (SupportKind::Refund, "社保费返还", 2, 2053, 138_000_001),
                (SupportKind::Reduction, "", 2, 0, 1_800_000_000),
                (SupportKind::Reduction, "减税降费", 1, 0, 1_500_000_000),
                (SupportKind::Reduction, "降低用电成本", 1, 0, 300_000_000),
            ]
        );
        assert!(summary(&[]).is_empty());
    }
}
