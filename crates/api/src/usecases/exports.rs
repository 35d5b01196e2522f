//! Signed exports of closed items (staff of the estate), every estate's public keys, and the
//! check of an estate's audit chain and ballots.

use gongjue_store::Store;
use gongjue_store::exports::Export;
use serde_json::{Value, json};

use crate::export;
use crate::state::AppState;
use crate::usecases::{Caller, UseCaseError};

/// The stored export of item `item_id` (built and signed on first download after a result made
/// final before exports were stored with it), for staff of its estate.
pub fn stored(app: &AppState, caller: Caller, item_id: &str) -> Result<Export, UseCaseError> {
    let staff = caller.staff()?;
    let store = &app.store;
    let item = store.item(item_id)?;
    let assembly = store.assembly(&item.assembly_id)?;
    staff.reads(&assembly.estate_id)?;
    export::export_of(store, &app.code_key, &app.key_wrap, item_id, &staff.actor())
}

/// Every estate's public keys, active and retired, as a JWKS: anyone may check a signature.
pub fn public_keys(store: &Store) -> Result<Value, UseCaseError> {
    export::keys::jwks(&store.all_signing_keys()?)
}

/// Walks the estate's audit chain and checks every ballot against its receipt, for staff of
/// the estate: `{"estate", "ok", "chain", "ballots"}`, `ok` when nothing is broken.
pub fn verify_audit(store: &Store, caller: Caller, estate: &str) -> Result<Value, UseCaseError> {
    let staff = caller.staff()?;
    staff.reads(estate)?;
    let chain = store.verify_audit_chain(estate)?;
    let ballots = store.verify_ballots(estate)?;
    let records = store.verify_records(estate)?;
    let ok = chain.first_broken.is_none() && ballots.is_empty() && records.is_empty();
    Ok(
        json!({ "estate": estate, "ok": ok, "chain": chain, "ballots": ballots, "records": records }),
    )
}
