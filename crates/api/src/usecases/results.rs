//! Counting: live turnout while voting is open (participation only, choices stay secret), and
//! results once voting has closed.

use gongjue_domain::tally::Tally;
use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item};

use crate::count::{self, ItemTurnout};
use crate::i18n::Msg;
use crate::usecases::{Caller, StaffCaller, UseCaseError};

/// Turnout of every item whose electorate is frozen, overall and by building and zone.
pub fn turnout(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<Vec<ItemTurnout>, UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    staff.reads(&assembly.estate_id)?;
    store
        .items(assembly_id)?
        .iter()
        .filter(|i| i.electorate_frozen_at.is_some())
        .map(|item| count::turnout_of(store, item))
        .collect()
}

/// Results exist only once voting has closed: before, a count would reveal running results.
fn check_closed(assembly: &Assembly) -> Result<(), UseCaseError> {
    if AssemblyState::parse(&assembly.state)? != AssemblyState::Closed {
        return Err(UseCaseError::Rule(Msg::ResultBeforeClosing));
    }
    Ok(())
}

/// The tally of one item, exactly as `gongjue tally` counts the same ballots: for staff of its
/// estate, or an owner signed in for its assembly, once voting has closed.
pub fn item_tally(store: &Store, caller: &Caller, item_id: &str) -> Result<Tally, UseCaseError> {
    let item = store.item(item_id)?;
    let assembly = store.assembly(&item.assembly_id)?;
    match caller {
        Caller::Staff(staff) => staff.reads(&assembly.estate_id)?,
        // Owners see the results of their own assembly, once published at closing.
        Caller::Owner(owner) => {
            owner.of_assembly(&assembly.id)?;
            if !store.code_is_active(&owner.code)? {
                return Err(UseCaseError::BadSession);
            }
        }
    }
    check_closed(&assembly)?;
    count::tally_of(store, &item)
}

/// Every counted item of a closed assembly with its tally, for staff of its estate.
pub fn assembly_tallies(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<(Assembly, Vec<(Item, Tally)>), UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    staff.reads(&assembly.estate_id)?;
    check_closed(&assembly)?;
    let mut tallies = Vec::new();
    for item in store
        .items(assembly_id)?
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
    {
        let tally = count::tally_of(store, &item)?;
        tallies.push((item, tally));
    }
    Ok((assembly, tallies))
}
