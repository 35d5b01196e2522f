//! Decision rules: Civil Code art. 278, and the stricter thresholds an estate may add.
//!
//! | rule       | matters      | participation (of totals)        | approval (of participation)       |
//! |------------|--------------|----------------------------------|-----------------------------------|
//! | `ordinary` | 1-5, 9       | area >= 2/3 AND heads >= 2/3     | yes area > 1/2 AND yes heads > 1/2 |
//! | `special`  | 6-8          | area >= 2/3 AND heads >= 2/3     | yes area >= 3/4 AND yes heads >= 3/4 |
//!
//! "以上" includes the boundary, "过半数" does not (art. 1259).

use crate::error::DomainError;
use crate::fraction::{Comparison, Fraction};
use crate::threshold::{Base, Threshold};
use crate::weight::{Measure, Weight};

/// A rule: the thresholds that participation must meet (quorum) and those approval must meet.
/// Every threshold of a list must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub participation: Vec<Threshold>,
    pub approval: Vec<Threshold>,
}

const fn both(comparison: Comparison, fraction: Fraction, of: Base) -> [Threshold; 2] {
    [
        Threshold::new(Measure::Area, comparison, fraction, of),
        Threshold::new(Measure::Heads, comparison, fraction, of),
    ]
}

/// Art. 278 para. 2: owners holding at least 2/3 of the area and at least 2/3 of the heads take part.
const STATUTORY_QUORUM: [Threshold; 2] =
    both(Comparison::AtLeast, Fraction::TWO_THIRDS, Base::Total);
/// Matters 1-5 and 9: more than half of the participating area and heads agree.
const ORDINARY_APPROVAL: [Threshold; 2] =
    both(Comparison::MoreThan, Fraction::HALF, Base::Participating);
/// Matters 6-8: at least 3/4 of the participating area and heads agree.
const SPECIAL_APPROVAL: [Threshold; 2] = both(
    Comparison::AtLeast,
    Fraction::THREE_QUARTERS,
    Base::Participating,
);

impl Rule {
    pub fn ordinary() -> Rule {
        Rule {
            participation: STATUTORY_QUORUM.to_vec(),
            approval: ORDINARY_APPROVAL.to_vec(),
        }
    }

    pub fn special() -> Rule {
        Rule {
            participation: STATUTORY_QUORUM.to_vec(),
            approval: SPECIAL_APPROVAL.to_vec(),
        }
    }

    /// Whether the participating members meet the quorum.
    pub fn participation_met(&self, participating: &Weight, total: &Weight) -> bool {
        crate::threshold::all_hold(&self.participation, participating, participating, total)
    }

    /// Whether the approving members (or a candidate's supporters) meet the approval thresholds.
    pub fn approval_met(&self, approving: &Weight, participating: &Weight, total: &Weight) -> bool {
        crate::threshold::all_hold(&self.approval, approving, participating, total)
    }

    /// This rule with `additional` thresholds required as well. The result is never easier to
    /// meet than `self`: thresholds are only ever added, every one of them must hold.
    pub fn and(mut self, additional: &Rule) -> Rule {
        self.participation
            .extend_from_slice(&additional.participation);
        self.approval.extend_from_slice(&additional.approval);
        self
    }
}

/// The nine matters of Civil Code art. 278 para. 1 decided by the owners jointly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Matter {
    /// 1 制定和修改业主大会议事规则
    RulesOfProcedure,
    /// 2 制定和修改管理规约
    ManagementStatute,
    /// 3 选举业主委员会或者更换业主委员会成员
    OwnersCommittee,
    /// 4 选聘和解聘物业服务企业或者其他管理人
    PropertyManager,
    /// 5 使用建筑物及其附属设施的维修资金
    UseMaintenanceFund,
    /// 6 筹集建筑物及其附属设施的维修资金
    RaiseMaintenanceFund,
    /// 7 改建、重建建筑物及其附属设施
    Rebuilding,
    /// 8 改变共有部分的用途或者利用共有部分从事经营活动
    CommonPartsUse,
    /// 9 有关共有和共同管理权利的其他重大事项
    OtherMajorMatter,
}

impl Matter {
    pub const ALL: [Matter; 9] = [
        Matter::RulesOfProcedure,
        Matter::ManagementStatute,
        Matter::OwnersCommittee,
        Matter::PropertyManager,
        Matter::UseMaintenanceFund,
        Matter::RaiseMaintenanceFund,
        Matter::Rebuilding,
        Matter::CommonPartsUse,
        Matter::OtherMajorMatter,
    ];

    /// The matter by its number in art. 278 (1-9).
    pub fn from_number(number: u8) -> Result<Matter, DomainError> {
        usize::from(number)
            .checked_sub(1)
            .and_then(|i| Matter::ALL.get(i).copied())
            .ok_or(DomainError::UnknownMatter(number))
    }

    pub fn number(self) -> u8 {
        match self {
            Matter::RulesOfProcedure => 1,
            Matter::ManagementStatute => 2,
            Matter::OwnersCommittee => 3,
            Matter::PropertyManager => 4,
            Matter::UseMaintenanceFund => 5,
            Matter::RaiseMaintenanceFund => 6,
            Matter::Rebuilding => 7,
            Matter::CommonPartsUse => 8,
            Matter::OtherMajorMatter => 9,
        }
    }

    /// Whether art. 278 asks 3/4 approval (matters 6-8) rather than a simple majority.
    pub fn is_special(self) -> bool {
        matches!(
            self,
            Matter::RaiseMaintenanceFund | Matter::Rebuilding | Matter::CommonPartsUse
        )
    }

    /// The statutory rule of this matter.
    pub fn statutory_rule(self) -> Rule {
        if self.is_special() {
            Rule::special()
        } else {
            Rule::ordinary()
        }
    }

    /// The rule a binding decision on this matter is counted with: the statutory floor AND any
    /// thresholds the estate's rules of procedure add ("a floor, not a ceiling", rules.md §3).
    pub fn binding_rule(self, estate_additions: &Rule) -> Rule {
        self.statutory_rule().and(estate_additions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::area::Area;

    fn weight(area_cents: u64, heads: u64) -> Weight {
        Weight {
            area: Area::from_cents(area_cents),
            heads,
            units: heads,
        }
    }

    #[test]
    fn matters_six_to_eight_are_special() {
        let special: Vec<u8> = Matter::ALL
            .iter()
            .filter(|m| m.is_special())
            .map(|m| m.number())
            .collect();
        assert_eq!(special, vec![6, 7, 8]);
        for n in 1..=9 {
            assert_eq!(Matter::from_number(n).map(Matter::number), Ok(n));
        }
        assert_eq!(Matter::from_number(0), Err(DomainError::UnknownMatter(0)));
        assert_eq!(Matter::from_number(10), Err(DomainError::UnknownMatter(10)));
    }

    #[test]
    fn quorum_boundary_is_exactly_two_thirds_of_area_and_heads() {
        let total = weight(30_000, 6);
        let rule = Rule::ordinary();
        assert!(rule.participation_met(&weight(20_000, 4), &total));
        assert!(
            !rule.participation_met(&weight(19_999, 4), &total),
            "one cent short of 2/3 of the area"
        );
        assert!(
            !rule.participation_met(&weight(30_000, 3), &total),
            "one head short of 2/3 of heads"
        );
    }

    #[test]
    fn ordinary_approval_needs_more_than_half() {
        let total = weight(60_000, 6);
        let participating = weight(40_000, 4);
        let rule = Rule::ordinary();
        assert!(
            !rule.approval_met(&weight(20_000, 3), &participating, &total),
            "exactly half the area"
        );
        assert!(
            rule.approval_met(&weight(20_001, 3), &participating, &total),
            "one cent above half"
        );
        assert!(
            !rule.approval_met(&weight(30_000, 2), &participating, &total),
            "exactly half the heads"
        );
    }

    #[test]
    fn special_approval_includes_three_quarters() {
        let total = weight(80_000, 8);
        let participating = weight(80_000, 8);
        let rule = Rule::special();
        assert!(rule.approval_met(&weight(60_000, 6), &participating, &total));
        assert!(
            !rule.approval_met(&weight(59_999, 6), &participating, &total),
            "one cent below 3/4"
        );
        assert!(!rule.approval_met(&weight(60_000, 5), &participating, &total));
        assert!(rule.approval_met(&weight(60_001, 6), &participating, &total));
    }

    #[test]
    fn estate_additions_never_weaken_the_statutory_rule() {
        // A "looser" estate threshold (1/3 of units) is added, not substituted: the statute still binds.
        let looser = Rule {
            participation: vec![Threshold::new(
                Measure::Units,
                Comparison::AtLeast,
                Fraction::HALF,
                Base::Total,
            )],
            approval: vec![Threshold::new(
                Measure::Units,
                Comparison::AtLeast,
                Fraction::HALF,
                Base::Participating,
            )],
        };
        let rule = Matter::PropertyManager.binding_rule(&looser);
        let total = weight(60_000, 6);
        // Half the units take part: enough for the estate's threshold, not for art. 278.
        assert!(!rule.participation_met(&weight(30_000, 3), &total));
        // A stricter estate rule (4/5 of heads) bites on top of the statute.
        let stricter = Rule {
            participation: vec![],
            approval: vec![Threshold::new(
                Measure::Heads,
                Comparison::AtLeast,
                Fraction::new(4, 5).unwrap_or(Fraction::HALF),
                Base::Participating,
            )],
        };
        let rule = Matter::PropertyManager.binding_rule(&stricter);
        let participating = weight(50_000, 5);
        assert!(
            !rule.approval_met(&weight(40_000, 3), &participating, &total),
            "3 of 5 is a majority but not 4/5"
        );
        assert!(rule.approval_met(&weight(40_000, 4), &participating, &total));
    }
}
