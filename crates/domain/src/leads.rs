//! Investment attraction (招商引资): a lead's stage changes and the funnel of leads (pure
//! rules and figures).

use crate::error::{RuleError, refuse, require_text};
use crate::figures::Pct1;
use crate::model::LeadStage;
use crate::money::Money;
use serde::Serialize;
use std::collections::BTreeMap;

/// Checks a lead's stage change. Forward one step at a time (洽谈 → 签约 → 落地); 落地 needs a
/// linked project; going back, dropping (终止) or reopening a dropped lead needs a reason; a
/// landed lead cannot be dropped (its project is withdrawn through the project instead).
pub fn check_lead_move(from: LeadStage, to: LeadStage, has_project: bool, reason: &str) -> Result<(), RuleError> {
    use LeadStage::*;
    let reason_given = !reason.trim().is_empty();
    if from == to {
        return refuse("lead_stage_unchanged", format!("线索已处于“{}”阶段", to.label_zh()));
    }
    match (from, to) {
        (Talks, Signed) => Ok(()),
        (Signed, Landed) if has_project => Ok(()),
        (Signed, Landed) => refuse("lead_landing_needs_project", "落地须关联一个项目（选择已有项目或由线索新建项目）"),
        (Talks, Landed) => refuse("lead_signing_skipped", "不能跳过签约直接落地：请先登记签约"),
        (Landed, Dropped) => refuse("lead_landed_cannot_drop", "已落地的线索不能终止；如项目退库，请在项目中办理"),
        (Dropped, Landed) => refuse("lead_dropped_cannot_land", "终止的线索须先恢复为洽谈或签约，不能直接落地"),
        (_, Dropped) | (Dropped, _) | (Signed, Talks) | (Landed, Signed | Talks) if reason_given => Ok(()),
        (_, Dropped) => refuse("lead_drop_reason_missing", "终止线索须说明理由"),
        _ => refuse(
            "lead_back_reason_missing",
            format!("从“{}”退回“{}”须说明理由", from.label_zh(), to.label_zh()),
        ),
    }
}

/// One lead as the funnel counts it: the group (a team or a leader), its stage and amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadFact {
    pub group: String,
    pub stage: LeadStage,
    pub signed_amount: Money,
}

/// A funnel row: leads per stage for one group, with its rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct FunnelRow {
    pub group: String,
    pub total: u32,
    pub talks: u32,
    pub signed: u32,
    pub landed: u32,
    pub dropped: u32,
    /// Agreement amount of the signed and landed leads.
    pub signed_amount: Money,
    /// 签约率: (签约 + 落地) ÷ all leads.
    pub signing_rate: Option<Pct1>,
    /// 落地率: 落地 ÷ (签约 + 落地) — of the leads that signed, how many landed.
    pub landing_rate: Option<Pct1>,
}

fn funnel_row(group: String, facts: &[&LeadFact]) -> FunnelRow {
    let count = |s: LeadStage| facts.iter().filter(|f| f.stage == s).count() as u32;
    let (talks, signed, landed, dropped) = (
        count(LeadStage::Talks),
        count(LeadStage::Signed),
        count(LeadStage::Landed),
        count(LeadStage::Dropped),
    );
    let total = facts.len() as u32;
    FunnelRow {
        group,
        total,
        talks,
        signed,
        landed,
        dropped,
        signed_amount: Money::from_yuan(
            facts
                .iter()
                .filter(|f| matches!(f.stage, LeadStage::Signed | LeadStage::Landed))
                .map(|f| f.signed_amount.yuan())
                .sum(),
        ),
        signing_rate: Pct1::ratio((signed + landed) as i128, total as i128),
        landing_rate: Pct1::ratio(landed as i128, (signed + landed) as i128),
    }
}

/// The whole funnel (group "合计") over all leads.
pub fn funnel_total(facts: &[LeadFact]) -> FunnelRow {
    funnel_row("合计".into(), &facts.iter().collect::<Vec<_>>())
}

/// The funnel per group, most landed first (then the higher landing rate, then the name).
pub fn funnel_by_group(facts: &[LeadFact]) -> Vec<FunnelRow> {
    let mut groups: BTreeMap<&str, Vec<&LeadFact>> = BTreeMap::new();
    for f in facts {
        groups.entry(f.group.as_str()).or_default().push(f);
    }
    let mut rows: Vec<FunnelRow> = groups.into_iter().map(|(g, fs)| funnel_row(g.to_string(), &fs)).collect();
    rows.sort_by(|a, b| {
        b.landed
            .cmp(&a.landed)
            .then(b.landing_rate.map(|p| p.tenths()).cmp(&a.landing_rate.map(|p| p.tenths())))
            .then(a.group.cmp(&b.group))
    });
    rows
}

/// A lead's name: not empty (the store keeps it trimmed).
pub fn check_lead_name(name: &str) -> Result<(), RuleError> {
    require_text(name, "lead_name_empty", "线索名称不能为空")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_stages_move_forward_one_step() {
        use LeadStage::*;
        assert!(check_lead_move(Talks, Signed, false, "").is_ok());
        assert!(check_lead_move(Signed, Landed, true, "").is_ok());
        assert!(check_lead_move(Signed, Landed, false, "").unwrap_err().message.contains("关联"));
        assert!(check_lead_move(Talks, Landed, true, "").unwrap_err().message.contains("跳过签约"));
        assert!(check_lead_move(Signed, Talks, false, "").unwrap_err().message.contains("理由"));
        assert!(check_lead_move(Signed, Talks, false, "投资方重新评估").is_ok());
        assert!(check_lead_move(Talks, Dropped, false, " ").is_err());
        assert!(check_lead_move(Talks, Dropped, false, "投资方放弃").is_ok());
        assert!(check_lead_move(Landed, Dropped, true, "x").is_err());
        assert!(check_lead_move(Dropped, Landed, true, "恢复").is_err());
        assert!(check_lead_move(Dropped, Signed, false, "重新签约").is_ok());
        assert!(check_lead_move(Signed, Signed, false, "").is_err());
        // Every refusal has its own code.
        let code = |from, to, project, reason| check_lead_move(from, to, project, reason).unwrap_err().code;
        assert_eq!(code(Signed, Signed, false, ""), "lead_stage_unchanged");
        assert_eq!(code(Signed, Landed, false, ""), "lead_landing_needs_project");
        assert_eq!(code(Talks, Landed, true, ""), "lead_signing_skipped");
        assert_eq!(code(Landed, Dropped, true, "x"), "lead_landed_cannot_drop");
        assert_eq!(code(Dropped, Landed, true, "恢复"), "lead_dropped_cannot_land");
        assert_eq!(code(Talks, Dropped, false, " "), "lead_drop_reason_missing");
        assert_eq!(code(Signed, Talks, false, ""), "lead_back_reason_missing");
    }

    #[test]
    fn funnel_counts_and_rates() {
        let f = |g: &str, s: LeadStage, wan: i64| LeadFact {
            group: g.into(),
            stage: s,
            signed_amount: Money::from_wan(wan),
        };
        let facts = vec![
            f("一组", LeadStage::Landed, 100),
            f("一组", LeadStage::Signed, 50),
            f("一组", LeadStage::Talks, 70),
            f("二组", LeadStage::Landed, 10),
            f("二组", LeadStage::Dropped, 5),
        ];
        let total = funnel_total(&facts);
        assert_eq!(
            (total.total, total.talks, total.signed, total.landed, total.dropped),
            (5, 1, 1, 2, 1)
        );
        assert_eq!(total.signed_amount, Money::from_wan(160));
        assert_eq!(total.landing_rate, Some(Pct1::from_tenths(667)));
        let by = funnel_by_group(&facts);
        assert_eq!(by[0].group, "二组", "equal landed count: the higher landing rate first");
        assert_eq!(by[0].landing_rate, Some(Pct1::from_tenths(1000)));
        assert_eq!(by[1].signing_rate, Some(Pct1::from_tenths(667)));
    }
}
