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

    /// The first threshold of `floor` that this rule does not contain, or contain a stricter
    /// one of, in the same list: `("approval", area >= 3/4 of participating)`. `None` when this
    /// rule asks at least what `floor` asks, threshold by threshold (tally-bundle.md, `matter`).
    pub fn first_shortfall(&self, floor: &Rule) -> Option<(&'static str, Threshold)> {
        let lists = [
            ("participation", &self.participation, &floor.participation),
            ("approval", &self.approval, &floor.approval),
        ];
        lists.into_iter().find_map(|(name, own, required)| {
            required
                .iter()
                .find(|r| !own.iter().any(|t| t.at_least_as_strict_as(r)))
                .map(|r| (name, *r))
        })
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

    /// Checks that `rule` holds this matter's statutory thresholds or stricter ones ("a floor,
    /// not a ceiling"); the error names the first statutory threshold missing.
    pub fn check_floor(self, rule: &Rule) -> Result<(), String> {
        match rule.first_shortfall(&self.statutory_rule()) {
            None => Ok(()),
            Some((list, threshold)) => Err(format!(
                "matter {} of Civil Code art. 278 needs the {} rule: its {list} list must hold {threshold} or a stricter threshold",
                self.number(),
                if self.is_special() {
                    "special"
                } else {
                    "ordinary"
                },
            )),
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

    fn custom(
        participation: &[(Measure, Comparison, (u64, u64), Base)],
        approval: &[(Measure, Comparison, (u64, u64), Base)],
    ) -> Rule {
        let list = |l: &[(Measure, Comparison, (u64, u64), Base)]| {
            l.iter()
                .map(|&(m, c, (p, q), b)| {
                    Threshold::new(m, c, Fraction::new(p, q).unwrap_or(Fraction::HALF), b)
                })
                .collect()
        };
        Rule {
            participation: list(participation),
            approval: list(approval),
        }
    }

    use Base::{Participating as Part, Total};
    use Comparison::{AtLeast as Ge, MoreThan as Gt};
    use Measure::{Area as Ar, Heads, Units};

    #[test]
    fn the_statutory_rules_meet_their_floors_and_special_meets_ordinary() {
        for matter in Matter::ALL {
            assert_eq!(matter.check_floor(&matter.statutory_rule()), Ok(()));
            assert_eq!(
                matter.check_floor(&Rule::special()),
                Ok(()),
                "special is stricter"
            );
        }
        for n in [6, 7, 8] {
            let matter = Matter::from_number(n).unwrap_or(Matter::Rebuilding);
            let error = matter.check_floor(&Rule::ordinary());
            assert!(
                error.as_ref().is_err_and(
                    |e| e.contains("approval") && e.contains("area >= 3/4 of participating")
                ),
                "{error:?}"
            );
        }
    }

    #[test]
    fn a_floor_threshold_is_met_by_an_equal_fraction_by_value_or_a_greater_one() {
        let quorum = [(Ar, Ge, (4, 6), Total), (Heads, Ge, (6, 9), Total)];
        // "4/6" and "6/9" equal "2/3"; "2/4" equals "1/2" but `>` is required.
        let equal = custom(
            &quorum,
            &[(Ar, Gt, (2, 4), Part), (Heads, Gt, (1, 2), Part)],
        );
        assert_eq!(Matter::PropertyManager.check_floor(&equal), Ok(()));
        let at_least_half = custom(
            &quorum,
            &[(Ar, Ge, (1, 2), Part), (Heads, Gt, (1, 2), Part)],
        );
        assert!(
            Matter::PropertyManager.check_floor(&at_least_half).is_err(),
            ">= 1/2 is weaker than > 1/2"
        );
        // `>` at an equal fraction is stricter than `>=`; a greater fraction with `>=` is stricter than `>`.
        let stricter = custom(
            &[(Ar, Gt, (2, 3), Total), (Heads, Ge, (3, 4), Total)],
            &[(Ar, Ge, (51, 100), Part), (Heads, Gt, (3, 4), Part)],
        );
        assert_eq!(Matter::PropertyManager.check_floor(&stricter), Ok(()));
        assert!(
            Matter::Rebuilding.check_floor(&stricter).is_err(),
            "area >= 51/100 is not 3/4"
        );
        let special_equal = custom(
            &quorum,
            &[
                (Ar, Ge, (6, 8), Part),
                (Heads, Gt, (3, 4), Part),
                (Units, Ge, (1, 1), Part),
            ],
        );
        assert_eq!(Matter::Rebuilding.check_floor(&special_equal), Ok(()));
    }

    #[test]
    fn a_floor_threshold_needs_the_same_measure_the_same_base_and_the_same_list() {
        let ordinary_approval = [(Ar, Gt, (1, 2), Part), (Heads, Gt, (1, 2), Part)];
        let quorum = [(Ar, Ge, (2, 3), Total), (Heads, Ge, (2, 3), Total)];
        // Units are households, not heads.
        let units = custom(
            &[(Ar, Ge, (2, 3), Total), (Units, Ge, (1, 1), Total)],
            &ordinary_approval,
        );
        assert!(
            Matter::RulesOfProcedure
                .check_floor(&units)
                .is_err_and(|e| e.contains("participation") && e.contains("heads >= 2/3 of total"))
        );
        // 3/4 of the participating area is not 2/3 of the total area.
        let base = custom(
            &[(Ar, Ge, (3, 4), Part), (Heads, Ge, (2, 3), Total)],
            &ordinary_approval,
        );
        assert!(Matter::RulesOfProcedure.check_floor(&base).is_err());
        // The quorum's thresholds in the approval list do not count for participation.
        let swapped = custom(
            &[],
            &[
                quorum[0],
                quorum[1],
                ordinary_approval[0],
                ordinary_approval[1],
            ],
        );
        assert!(Matter::RulesOfProcedure.check_floor(&swapped).is_err());
        let empty = custom(&[], &[]);
        assert!(Matter::OtherMajorMatter.check_floor(&empty).is_err());
        assert_eq!(
            Matter::OtherMajorMatter.check_floor(&custom(&quorum, &ordinary_approval)),
            Ok(())
        );
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
