//! A batch of ballot sheets stored with a few set-based statements instead of about sixteen
//! per ballot: on PostgreSQL each statement is a round trip to another process, and the batch
//! holds its estates' chain locks meanwhile, so round trips per batch bound the intake.
//!
//! Under the chains' locks, the batch reads once what every sheet's checks need (the versions
//! of its idempotency keys, its items and assemblies, the memberships and current ballots of
//! its voters), checks each sheet in Rust in order, as separate transactions would have seen
//! the data (a sheet sees what the sheets before it stored), then writes the accepted sheets
//! with multi-row inserts, and queues the notices of all of them with one. A refused sheet changes nothing and gets its own error; the checks
//! and messages are those of `ballots::store_cast`, which stays the reference path (and the
//! fallback should a write here fail on a constraint the checks did not foresee).

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::StoreError;
use crate::audit::ChainHeads;
use crate::ballots::SheetNotices;
use crate::ballots::{
    BallotVersion, CastBallot, CastOutcome, Channel, CurrentBallot, cast_audit_entry,
    check_correction, check_proxy, check_replacement, new_version, request_digest,
};
use crate::db::{AnyConnection, insert_rows};
use crate::outbox;
use crate::schema::{assemblies, ballot_versions, ballots, electorate_units, items};

/// One request of the batch: the estate its sheet was submitted for, its casts and its notices.
pub(crate) type Sheet<'a> = (&'a str, &'a [CastBallot], &'a SheetNotices);

/// One sheet's answer: its outcomes, or why it was refused.
type Answer = Result<Vec<CastOutcome>, StoreError>;

/// Keys per `IN (…)` list, well below both backends' limits on bound parameters.
const READ_CHUNK: usize = 500;

struct ItemState {
    assembly_id: String,
    state: String,
}

struct AssemblyState {
    estate_id: String,
    ballots_changeable: bool,
}

/// What the batch read, updated in memory as sheets are accepted.
struct Known {
    items: HashMap<String, ItemState>,
    assemblies: HashMap<String, AssemblyState>,
    by_key: HashMap<String, BallotVersion>,
    members: HashSet<(String, String)>,
    current: HashMap<(String, String), CurrentBallot>,
    /// `(item, voter)` pairs whose current ballot row exists in the database (update, not insert).
    stored: HashSet<(String, String)>,
    /// Assembly → its result is preliminary (objections may still correct it); read when needed.
    objection_stage: HashMap<String, bool>,
}

fn chunked<T>(values: &[T]) -> std::slice::Chunks<'_, T> {
    values.chunks(READ_CHUNK)
}

fn sorted_unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let mut values: Vec<String> = values.collect();
    values.sort_unstable();
    values.dedup();
    values
}

fn read_known(conn: &mut AnyConnection, sheets: &[Sheet<'_>]) -> Result<Known, StoreError> {
    let casts = || sheets.iter().flat_map(|sheet| sheet.1.iter());
    let item_ids = sorted_unique(casts().map(|c| c.item_id.clone()));
    let voters = sorted_unique(casts().map(|c| c.voter.clone()));
    let keys = sorted_unique(casts().map(|c| c.idempotency_key.clone()));

    let item_rows: Vec<(String, String, String)> = items::table
        .filter(items::id.eq_any(&item_ids))
        .select((items::id, items::assembly_id, items::state))
        .load(conn)?;
    let assembly_ids = sorted_unique(item_rows.iter().map(|r| r.1.clone()));
    let assembly_rows: Vec<(String, String, bool)> = assemblies::table
        .filter(assemblies::id.eq_any(&assembly_ids))
        .select((
            assemblies::id,
            assemblies::estate_id,
            assemblies::ballots_changeable,
        ))
        .load(conn)?;
    let mut by_key = HashMap::new();
    for chunk in chunked(&keys) {
        let found: Vec<BallotVersion> = ballot_versions::table
            .filter(ballot_versions::idempotency_key.eq_any(chunk))
            .select(BallotVersion::as_select())
            .load(conn)?;
        by_key.extend(found.into_iter().map(|v| (v.idempotency_key.clone(), v)));
    }
    let mut members = HashSet::new();
    let mut current = HashMap::new();
    for chunk in chunked(&voters) {
        let found: Vec<(String, String)> = electorate_units::table
            .filter(electorate_units::item_id.eq_any(&item_ids))
            .filter(electorate_units::voter.eq_any(chunk))
            .select((electorate_units::item_id, electorate_units::voter))
            .load(conn)?;
        members.extend(found);
        let found: Vec<CurrentBallot> = ballots::table
            .filter(ballots::item_id.eq_any(&item_ids))
            .filter(ballots::voter.eq_any(chunk))
            .select(CurrentBallot::as_select())
            .load(conn)?;
        current.extend(
            found
                .into_iter()
                .map(|b| ((b.item_id.clone(), b.voter.clone()), b)),
        );
    }
    Ok(Known {
        items: item_rows
            .into_iter()
            .map(|(id, assembly_id, state)| (id, ItemState { assembly_id, state }))
            .collect(),
        assemblies: assembly_rows
            .into_iter()
            .map(|(id, estate_id, ballots_changeable)| {
                (
                    id,
                    AssemblyState {
                        estate_id,
                        ballots_changeable,
                    },
                )
            })
            .collect(),
        by_key,
        members,
        stored: current.keys().cloned().collect(),
        current,
        objection_stage: HashMap::new(),
    })
}

impl Known {
    fn in_objection_stage(
        &mut self,
        conn: &mut AnyConnection,
        assembly_id: &str,
    ) -> Result<bool, StoreError> {
        if let Some(&stage) = self.objection_stage.get(assembly_id) {
            return Ok(stage);
        }
        let stage = crate::publications::find(conn, assembly_id)?.is_some_and(|p| !p.is_final());
        self.objection_stage.insert(assembly_id.to_owned(), stage);
        Ok(stage)
    }
}

/// The checks of `ballots::store_sheet` and `ballots::store_cast` for one cast, against what
/// the batch read plus the versions the sheet itself staged before it.
fn check_cast(
    conn: &mut AnyConnection,
    known: &mut Known,
    estate_id: &str,
    cast: &CastBallot,
    staged: &[BallotVersion],
) -> Result<CastOutcome, StoreError> {
    let item = known
        .items
        .get(&cast.item_id)
        .ok_or_else(|| StoreError::NotFound(format!("item {}", cast.item_id)))?;
    let assembly = known
        .assemblies
        .get(&item.assembly_id)
        .ok_or_else(|| StoreError::NotFound(format!("assembly {}", item.assembly_id)))?;
    if assembly.estate_id != estate_id {
        return Err(StoreError::Invalid(
            "one ballot sheet belongs to one estate".into(),
        ));
    }
    let digest = request_digest(cast);
    let earlier = staged
        .iter()
        .find(|v| v.idempotency_key == cast.idempotency_key)
        .or_else(|| known.by_key.get(&cast.idempotency_key));
    if let Some(version) = earlier {
        if version.request_sha256 != digest {
            return Err(StoreError::Conflict(
                "idempotency key already used for a different ballot".into(),
            ));
        }
        return Ok(CastOutcome {
            version: version.clone(),
            replayed: true,
        });
    }
    let (assembly_id, state, changeable) = (
        item.assembly_id.clone(),
        item.state.clone(),
        assembly.ballots_changeable,
    );
    // After closing, only paper ballots during the objection period: corrections of the record.
    let correcting = state == "closed"
        && cast.channel == Channel::Paper
        && known.in_objection_stage(conn, &assembly_id)?;
    if state != "open" && !correcting {
        return Err(StoreError::Conflict(format!(
            "item {} is {state}, not open for voting",
            cast.item_id
        )));
    }
    if !known
        .members
        .contains(&(cast.item_id.clone(), cast.voter.clone()))
    {
        return Err(StoreError::NotFound(format!(
            "voter {} in the electorate of item {}",
            cast.voter, cast.item_id
        )));
    }
    if correcting {
        check_correction(conn, &cast.item_id, &cast.voter, None)?;
    }
    if let Some(proxy_id) = &cast.proxy_id {
        check_proxy(conn, proxy_id, &cast.item_id, &assembly_id, &cast.voter)?;
    }
    let staged_previous = staged
        .iter()
        .rev()
        .find(|v| v.item_id == cast.item_id && v.voter == cast.voter)
        .map(CurrentBallot::from);
    let previous = staged_previous.as_ref().or_else(|| {
        known
            .current
            .get(&(cast.item_id.clone(), cast.voter.clone()))
    });
    if let Some(previous) = previous {
        check_replacement(cast, previous, || Ok(changeable))?;
    }
    let version = new_version(cast, &cast.item_id, previous, digest)?;
    Ok(CastOutcome {
        version,
        replayed: false,
    })
}

/// Checks one sheet whole; returns its outcomes, the new ones last in `staged` order.
fn check_sheet(
    conn: &mut AnyConnection,
    known: &mut Known,
    estate_id: &str,
    casts: &[CastBallot],
) -> Result<Vec<CastOutcome>, StoreError> {
    let mut staged: Vec<BallotVersion> = Vec::new();
    let mut outcomes = Vec::with_capacity(casts.len());
    for cast in casts {
        let outcome = check_cast(conn, known, estate_id, cast, &staged)?;
        if !outcome.replayed {
            staged.push(outcome.version.clone());
        }
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// Stores the sheets `order` names, in that order, in the caller's transaction. Returns each
/// sheet's answer (by its index in `sheets`); `Err` if a statement failed, and then the caller
/// rolls back what this wrote.
pub(crate) fn store(
    conn: &mut AnyConnection,
    sheets: &[Sheet<'_>],
    order: &[usize],
    is_request_error: fn(&StoreError) -> bool,
) -> Result<Vec<Option<Answer>>, StoreError> {
    let estates: Vec<&str> = sheets.iter().map(|s| s.0).collect();
    let mut chains = ChainHeads::lock(conn, &estates)?;
    let mut known = read_known(conn, sheets)?;
    let mut answers: Vec<Option<Answer>> = sheets.iter().map(|_| None).collect();
    let mut versions: Vec<BallotVersion> = Vec::new();
    let mut changed: Vec<(String, String)> = Vec::new();
    let mut mails = Vec::new();
    for &i in order {
        let Some(&(estate_id, casts, notices)) = sheets.get(i) else {
            continue;
        };
        let mut answer = check_sheet(conn, &mut known, estate_id, casts);
        if let Err(error) = answer {
            if !is_request_error(&error) {
                return Err(error); // the database, not the sheet
            }
            answer = Err(error);
        }
        // The notices are composed from the outcomes (each ballot's receipt) and queued with
        // the batch's other notices at the end; a sheet whose notice cannot be composed is
        // refused alone.
        let composed = match &answer {
            Ok(outcomes) if !notices.is_empty() => notices.compose(outcomes),
            _ => Ok(Vec::new()),
        };
        match composed {
            Ok(composed) => mails.extend(composed),
            Err(error) => {
                if !is_request_error(&error) {
                    return Err(error);
                }
                answer = Err(error);
            }
        }
        if let Ok(outcomes) = &answer {
            for (outcome, cast) in outcomes.iter().zip(casts).filter(|(o, _)| !o.replayed) {
                let version = &outcome.version;
                chains.chain(cast_audit_entry(estate_id, &cast.actor, version))?;
                let key = (version.item_id.clone(), version.voter.clone());
                known
                    .current
                    .insert(key.clone(), CurrentBallot::from(version));
                known
                    .by_key
                    .insert(version.idempotency_key.clone(), version.clone());
                changed.push(key);
                versions.push(version.clone());
            }
        }
        if let Some(slot) = answers.get_mut(i) {
            *slot = Some(answer);
        }
    }
    insert_rows(conn, &versions, |conn, rows| match conn {
        AnyConnection::Pg(c) => diesel::insert_into(ballot_versions::table)
            .values(rows)
            .execute(c),
        AnyConnection::Sqlite(c) => diesel::insert_into(ballot_versions::table)
            .values(rows)
            .execute(c),
    })?;
    changed.sort_unstable();
    changed.dedup();
    let mut inserted: Vec<CurrentBallot> = Vec::new();
    for key in changed {
        let Some(row) = known.current.remove(&key) else {
            continue;
        };
        if known.stored.contains(&key) {
            diesel::update(ballots::table.find((&row.item_id, &row.voter)))
                .set(&row)
                .execute(conn)?;
        } else {
            inserted.push(row);
        }
    }
    insert_rows(conn, &inserted, |conn, rows| match conn {
        AnyConnection::Pg(c) => diesel::insert_into(ballots::table).values(rows).execute(c),
        AnyConnection::Sqlite(c) => diesel::insert_into(ballots::table).values(rows).execute(c),
    })?;
    // One look-up of the keys already queued and one multi-row insert: a notice queued already
    // (a retried request) is not queued again.
    outbox::enqueue_many(conn, &mails.iter().collect::<Vec<_>>())?;
    chains.store(conn)?;
    Ok(answers)
}
