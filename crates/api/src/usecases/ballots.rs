//! Rules every ballot obeys, whoever enters it: when ballots are taken, when a current ballot
//! may be replaced, and how one request's ballots are told apart from a retry.

use chrono::Utc;
use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item};
use gongjue_store::ballots::{Channel, CurrentBallot};

use crate::i18n::Msg;
use crate::timetable;
use crate::usecases::UseCaseError;

/// Ballots are taken only while the assembly is open (state) and inside its window (time).
pub(crate) fn check_voting_open(assembly: &Assembly) -> Result<(), UseCaseError> {
    match AssemblyState::parse(&assembly.state)? {
        AssemblyState::Open => {}
        AssemblyState::Draft | AssemblyState::Announced => {
            return Err(UseCaseError::Rule(Msg::VotingNotYetOpen));
        }
        AssemblyState::Closed | AssemblyState::Cancelled => {
            return Err(UseCaseError::Rule(Msg::VotingClosed));
        }
    }
    timetable::check_casting(
        Utc::now(),
        timetable::stored(&assembly.opens_at)?,
        timetable::stored(&assembly.closes_at)?,
    )
}

/// The rules about replacing a member's current ballot, before the store is asked.
pub(crate) fn check_replacing(
    assembly: &Assembly,
    current: Option<&CurrentBallot>,
    channel: Channel,
    correction: bool,
) -> Result<(), UseCaseError> {
    let Some(current) = current else {
        return Ok(());
    };
    if current.channel == Channel::Paper.as_str()
        && current.confirmed_at.is_some()
        && !(channel == Channel::Paper && correction)
    {
        return Err(UseCaseError::Rule(Msg::ConfirmedBallot));
    }
    let current_by_proxy = current.channel == Channel::Proxy.as_str();
    if channel == Channel::Proxy && !current_by_proxy {
        return Err(UseCaseError::Rule(Msg::OwnBallotSupersedes));
    }
    // The member's own ballot supersedes their proxy's even where ballots cannot be changed.
    let own_over_proxy = channel != Channel::Proxy && current_by_proxy;
    if !own_over_proxy && !assembly.ballots_changeable {
        return Err(UseCaseError::Rule(Msg::BallotNotChangeable));
    }
    Ok(())
}

/// An item named in a request body: it must be on this assembly's sheet (422 otherwise).
pub(crate) fn item_of(
    store: &Store,
    item_id: &str,
    assembly_id: &str,
) -> Result<Item, UseCaseError> {
    match store.item(item_id) {
        Ok(item) if item.assembly_id == assembly_id => Ok(item),
        Ok(_) | Err(gongjue_store::StoreError::NotFound(_)) => Err(UseCaseError::invalid(
            "item",
            format!("no item {item_id} in this assembly"),
        )),
        Err(other) => Err(other.into()),
    }
}

/// Whether the assembly's result is published as preliminary (objections may still correct it).
pub(crate) fn in_objection_stage(store: &Store, assembly_id: &str) -> Result<bool, UseCaseError> {
    Ok(store
        .publication(assembly_id)?
        .is_some_and(|p| !p.is_final()))
}

/// The store's idempotency key of one ballot of a request: one request may hold several.
pub(crate) fn cast_key(request_key: &str, item: &str, voter: &str) -> String {
    format!("{request_key}:{item}:{voter}")
}

/// Whether the member's current ballot was stored by this very request (a client's retry):
/// the store then answers with what it stored, and the rules about replacing do not apply.
pub(crate) fn is_retry(
    store: &Store,
    current: Option<&CurrentBallot>,
    key: &str,
) -> Result<bool, UseCaseError> {
    let Some(current) = current else {
        return Ok(false);
    };
    Ok(store.ballot_version(&current.version_id)?.0.idempotency_key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assembly(state: &str, changeable: bool, opens: i64, closes: i64) -> Assembly {
        let at = |hours: i64| gongjue_store::timestamp(Utc::now() + chrono::Duration::hours(hours));
        Assembly {
            id: "a".into(),
            estate_id: "e".into(),
            title: "t".into(),
            state: state.into(),
            announced_at: None,
            opens_at: at(opens),
            closes_at: at(closes),
            ballots_changeable: changeable,
            options: "{}".into(),
            created_at: at(-100),
        }
    }

    fn current(channel: Channel, confirmed: bool) -> CurrentBallot {
        CurrentBallot {
            item_id: "i".into(),
            voter: "v".into(),
            version_id: "x".into(),
            seq: 1,
            channel: channel.as_str().into(),
            choice: "\"yes\"".into(),
            cast_at: String::new(),
            proxy_id: None,
            entered_by: None,
            confirmed_by: None,
            confirmed_at: confirmed.then(String::new),
        }
    }

    fn refusal(result: Result<(), UseCaseError>) -> Option<Msg> {
        match result {
            Ok(()) => None,
            Err(UseCaseError::Rule(msg)) => Some(msg),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn ballots_are_taken_only_while_open_and_inside_the_window() {
        assert_eq!(
            refusal(check_voting_open(&assembly("open", true, -1, 1))),
            None
        );
        assert_eq!(
            refusal(check_voting_open(&assembly("announced", true, -1, 1))),
            Some(Msg::VotingNotYetOpen)
        );
        assert_eq!(
            refusal(check_voting_open(&assembly("closed", true, -2, -1))),
            Some(Msg::VotingClosed)
        );
        // Still marked open, but its closing time has passed: no ballot is taken.
        assert!(check_voting_open(&assembly("open", true, -2, -1)).is_err());
    }

    #[test]
    fn who_may_replace_a_current_ballot() {
        let open = assembly("open", true, -1, 1);
        let fixed = assembly("open", false, -1, 1);
        // A first ballot is always welcome.
        assert_eq!(
            refusal(check_replacing(&fixed, None, Channel::Web, false)),
            None
        );
        // A confirmed paper ballot stands, unless a correction replaces it on paper.
        let paper = current(Channel::Paper, true);
        assert_eq!(
            refusal(check_replacing(&open, Some(&paper), Channel::Web, false)),
            Some(Msg::ConfirmedBallot)
        );
        assert_eq!(
            refusal(check_replacing(&open, Some(&paper), Channel::Paper, true)),
            None
        );
        // A proxy never replaces the member's own ballot.
        let own = current(Channel::Web, false);
        assert_eq!(
            refusal(check_replacing(&open, Some(&own), Channel::Proxy, false)),
            Some(Msg::OwnBallotSupersedes)
        );
        // The member's own ballot supersedes their proxy's, even where ballots are fixed.
        let by_proxy = current(Channel::Proxy, false);
        assert_eq!(
            refusal(check_replacing(
                &fixed,
                Some(&by_proxy),
                Channel::Web,
                false
            )),
            None
        );
        // Otherwise a ballot is changed only where the assembly allows it.
        assert_eq!(
            refusal(check_replacing(&fixed, Some(&own), Channel::Web, false)),
            Some(Msg::BallotNotChangeable)
        );
        assert_eq!(
            refusal(check_replacing(&open, Some(&own), Channel::Web, false)),
            None
        );
    }
}
