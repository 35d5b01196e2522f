//! The ballots of one decision: at most one per voting member (rules.md §2).
//!
//! Which of a member's ballots is the final one (the last electronic one, the member's own over
//! their proxy's, a confirmed paper one) is settled before counting; the box holds the result.

use crate::electorate::{Electorate, MemberId};
use crate::error::DomainError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotBox<C> {
    /// Indexed by member: `None` for members who did not return a ballot.
    choices: Vec<Option<C>>,
    returned: usize,
}

impl<C> BallotBox<C> {
    pub fn new(electorate: &Electorate) -> BallotBox<C> {
        BallotBox {
            choices: std::iter::repeat_with(|| None)
                .take(electorate.members().len())
                .collect(),
            returned: 0,
        }
    }

    /// Puts a member's final ballot in the box; a member has one ballot only.
    pub fn cast(
        &mut self,
        electorate: &Electorate,
        voter: &str,
        choice: C,
    ) -> Result<MemberId, DomainError> {
        let member = electorate
            .member_by_voter(voter)
            .ok_or_else(|| DomainError::UnknownVoter(voter.to_owned()))?;
        match self.choices.get_mut(member.index()) {
            Some(slot @ None) => {
                *slot = Some(choice);
                self.returned += 1;
                Ok(member)
            }
            Some(Some(_)) => Err(DomainError::SecondBallot(voter.to_owned())),
            None => Err(DomainError::UnknownVoter(voter.to_owned())),
        }
    }

    /// The ballot of a member, if they returned one.
    pub fn get(&self, member: MemberId) -> Option<&C> {
        self.choices.get(member.index()).and_then(Option::as_ref)
    }

    /// Ballots returned, with their members.
    pub fn iter(&self) -> impl Iterator<Item = (MemberId, &C)> {
        self.choices
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_ref().map(|c| (MemberId::from_index(i), c)))
    }

    pub fn returned(&self) -> usize {
        self.returned
    }
}
