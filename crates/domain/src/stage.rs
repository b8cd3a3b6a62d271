//! The life of a project: 谋划 → 储备 → 签约 → 前期 → 开工/落地 → 在建 → 竣工 → 投产, or 终止.

use crate::labelled::code_labels;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 谋划: an idea being worked up.
    Planning,
    /// 储备: in the reserve pool.
    Reserve,
    /// 签约: investment agreement signed.
    Signed,
    /// 前期: pre-construction approvals under way.
    Preparation,
    /// 开工/落地: construction started — the project has "landed".
    Started,
    /// 在建: under construction.
    Construction,
    /// 竣工: completed and accepted.
    Completed,
    /// 投产: in operation.
    Operating,
    /// 终止: withdrawn from the pool (退库) or stopped.
    Terminated,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Planning,
        Stage::Reserve,
        Stage::Signed,
        Stage::Preparation,
        Stage::Started,
        Stage::Construction,
        Stage::Completed,
        Stage::Operating,
        Stage::Terminated,
    ];

    /// Accepts the code or the Chinese name (as spreadsheets write it).
    pub fn parse(input: &str) -> Result<Stage, crate::ParseError> {
        let s = crate::error::normalize_input(input);
        Stage::from_code_or_label(&s)
            .or_else(|| (s == "开工" || s == "落地").then_some(Stage::Started))
            .ok_or_else(|| {
                crate::ParseError::new(
                    "invalid_stage",
                    "项目阶段",
                    input,
                    "应为谋划、储备、签约、前期、开工/落地、在建、竣工、投产或终止",
                )
            })
    }

    /// Has the project reached 开工/落地 (or gone beyond it)?
    pub fn has_landed(self) -> bool {
        matches!(self, Stage::Started | Stage::Construction | Stage::Completed | Stage::Operating)
    }

    /// A project moves forward, possibly skipping stages (a signed project may start at
    /// once), or is terminated; it never moves back, and a terminated project can only
    /// return to the reserve pool.
    pub fn can_move_to(self, next: Stage) -> bool {
        match (self, next) {
            (a, b) if a == b => false,
            (Stage::Terminated, Stage::Reserve) => true,
            (Stage::Terminated, _) => false,
            (_, Stage::Terminated) => true,
            (a, b) => b > a,
        }
    }
}

code_labels!(Stage {
    Planning = "planning", "谋划", "Planning";
    Reserve = "reserve", "储备", "Reserve";
    Signed = "signed", "签约", "Signed";
    Preparation = "preparation", "前期", "Pre-construction";
    Started = "started", "开工/落地", "Started";
    Construction = "construction", "在建", "Under construction";
    Completed = "completed", "竣工", "Completed";
    Operating = "operating", "投产", "In operation";
    Terminated = "terminated", "终止", "Terminated";
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_chinese_parses() {
        for s in Stage::ALL {
            assert_eq!(Stage::from_code(s.code()), Some(s));
            assert_eq!(Stage::parse(s.label_zh()).unwrap(), s);
        }
        assert_eq!(Stage::parse("落地").unwrap(), Stage::Started);
        assert!(Stage::parse("完工了").is_err());
    }

    #[test]
    fn moves() {
        assert!(Stage::Signed.can_move_to(Stage::Started));
        assert!(!Stage::Construction.can_move_to(Stage::Preparation));
        assert!(Stage::Preparation.can_move_to(Stage::Terminated));
        assert!(Stage::Terminated.can_move_to(Stage::Reserve));
        assert!(!Stage::Terminated.can_move_to(Stage::Started));
        assert!(Stage::Operating.has_landed() && !Stage::Preparation.has_landed());
    }
}
