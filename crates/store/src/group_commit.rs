//! Group commit of ballot casts: concurrent casts share one durable commit.
//!
//! A ballot is acknowledged only after its commit, and a durable commit costs one fsync (SQLite
//! WAL with `synchronous=FULL`) or one WAL flush (PostgreSQL), which is most of a cast's time.
//! So casts that arrive while a commit is under way wait in a queue; when it ends, one of the
//! waiting threads becomes the leader, takes the whole queue, and stores it in one transaction:
//! each request (a ballot sheet) inside its own savepoint, so a refused ballot rolls back alone
//! and its batch-mates are still stored; then one commit, then every request gets its answer.
//! No thread is started: the callers' own threads take turns leading, so nothing runs idle and
//! nothing is left behind at shutdown. Under no load a batch is one request: no delay is added.
//!
//! The audit chain stays one chain: the batch appends its entries in order in one transaction
//! that holds the chain's lock (see `audit.rs`), exactly as separate transactions would.

use std::sync::mpsc;
use std::sync::{Mutex, PoisonError};

use diesel::Connection;

use crate::ballots::{CastBallot, CastOutcome, SheetNotices};
use crate::{Store, StoreError};

type Reply = Result<Vec<CastOutcome>, StoreError>;

/// What a waiting request is told: its answer, or that it leads the next batch.
enum Turn {
    Done(Reply),
    Lead,
}

/// One request waiting for a commit: a whole ballot sheet of one estate.
struct Pending {
    estate_id: String,
    casts: Vec<CastBallot>,
    /// Mail caused by the sheet, queued in its savepoint (e.g. a proxy's ballot told to the member).
    notices: SheetNotices,
    turn: mpsc::Sender<Turn>,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Pending>,
    /// A leader is storing a batch now (or has been named and is about to).
    leading: bool,
}

#[derive(Default)]
pub(crate) struct GroupCommit {
    queue: Mutex<Queue>,
}

impl std::fmt::Debug for GroupCommit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

/// Whether an error concerns one request only (its savepoint was rolled back, the transaction
/// goes on) or the database itself (the whole batch is rolled back and every request fails).
fn is_request_error(error: &StoreError) -> bool {
    match error {
        StoreError::NotFound(_)
        | StoreError::Conflict(_)
        | StoreError::Invalid(_)
        | StoreError::RosterInvalid(_)
        | StoreError::Corrupt(_) => true,
        StoreError::Unavailable(_)
        | StoreError::StorageFull(_)
        | StoreError::Migration(_)
        | StoreError::Database(_) => false,
    }
}

/// The batch's failure, told to each of its requests: nothing of theirs was stored, so a retry
/// is safe (503; 507 when the disk is full, so that the operator is told the real cause).
fn batch_failed(error: &StoreError) -> StoreError {
    let detail = format!("the commit of a group of ballots failed, nothing was stored: {error}");
    match error {
        StoreError::StorageFull(_) => StoreError::StorageFull(detail),
        _ => StoreError::Unavailable(detail),
    }
}

impl GroupCommit {
    /// Queues the request and returns once it is committed (or refused). Each waiting thread
    /// sleeps on its own channel and is woken once: with its answer, or to lead a batch.
    pub(crate) fn submit(
        &self,
        store: &Store,
        estate_id: String,
        casts: Vec<CastBallot>,
        notices: SheetNotices,
    ) -> Reply {
        let (turn, told) = mpsc::channel();
        {
            let mut queue = self.lock();
            queue.waiting.push(Pending {
                estate_id,
                casts,
                notices,
                turn,
            });
            if queue.leading {
                drop(queue);
                match told.recv() {
                    Ok(Turn::Done(reply)) => return reply,
                    Ok(Turn::Lead) => {}
                    Err(_) => {
                        return Err(StoreError::Unavailable(
                            "the ballot's group commit ended without an answer".into(),
                        ));
                    }
                }
            } else {
                queue.leading = true;
            }
        }
        // This thread leads: it stores everything queued so far (its own request included) in
        // one transaction, then names the first request queued meanwhile as the next leader.
        let batch = std::mem::take(&mut self.lock().waiting);
        store_batch(store, batch);
        self.hand_over();
        match told.try_recv() {
            Ok(Turn::Done(reply)) => reply,
            _ => Err(StoreError::Unavailable(
                "the ballot's group commit ended without an answer".into(),
            )),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wakes the first waiting request to lead the next batch, or ends leading if none waits.
    fn hand_over(&self) {
        let mut queue = self.lock();
        while let Some(first) = queue.waiting.first() {
            if first.turn.send(Turn::Lead).is_ok() {
                return; // `leading` stays set: the named thread takes over
            }
            queue.waiting.remove(0); // its thread is gone; nobody waits for this answer
        }
        queue.leading = false;
    }
}

/// Stores a batch in one transaction and answers each request after the commit.
fn store_batch(store: &Store, batch: Vec<Pending>) {
    let sheets: Vec<(&str, &[CastBallot], &SheetNotices)> = batch
        .iter()
        .map(|p| (p.estate_id.as_str(), p.casts.as_slice(), &p.notices))
        .collect();
    match write_batch(store, &sheets) {
        Ok(answers) => {
            for (pending, answer) in batch.iter().zip(answers) {
                let _ = pending.turn.send(Turn::Done(answer));
            }
        }
        Err(error) => {
            for pending in &batch {
                let _ = pending.turn.send(Turn::Done(Err(batch_failed(&error))));
            }
        }
    }
}

/// Stores ballot sheets `(estate, casts, notices)` in one transaction, each in its own savepoint, and
/// returns each sheet's answer in the order given. `Err`: the batch failed as a whole (the
/// database, not a ballot) and nothing was stored.
pub(crate) fn write_batch(
    store: &Store,
    sheets: &[(&str, &[CastBallot], &SheetNotices)],
) -> Result<Vec<Reply>, StoreError> {
    // PostgreSQL: take the estates' chain locks in one order, so that two servers' leaders
    // cannot deadlock on each other's estates.
    let mut order: Vec<usize> = (0..sheets.len()).collect();
    order.sort_by_key(|&i| sheets.get(i).map(|s| s.0));
    store
        .write(|conn| {
            // Set-based first (a few statements for the whole batch), in a savepoint: should one of
            // its writes fail on a constraint the checks did not foresee, the batch is stored again
            // the reference way, one sheet per savepoint, so that the failing sheet is refused alone.
            match conn.transaction(|conn| {
                crate::ballot_batch::store(conn, sheets, &order, is_request_error)
            }) {
                Ok(answers) => Ok(answers),
                Err(error) if is_request_error(&error) => sheet_by_sheet(conn, sheets, &order),
                Err(error) => Err(error),
            }
        })
        .map(|answers| {
            answers
                .into_iter()
                .map(|a| a.unwrap_or_else(|| Err(StoreError::Invalid("empty ballot sheet".into()))))
                .collect()
        })
}

/// The reference path: each sheet checked and stored statement by statement in its own savepoint.
fn sheet_by_sheet(
    conn: &mut crate::db::AnyConnection,
    sheets: &[(&str, &[CastBallot], &SheetNotices)],
    order: &[usize],
) -> Result<Vec<Option<Reply>>, StoreError> {
    let mut answers: Vec<Option<Reply>> = sheets.iter().map(|_| None).collect();
    for &i in order {
        let Some(&(estate_id, casts, notices)) = sheets.get(i) else {
            continue;
        };
        // A savepoint per sheet: a refused ballot rolls back alone.
        let answer =
            conn.transaction(|conn| crate::ballots::store_sheet(conn, estate_id, casts, notices));
        match answer {
            Err(error) if !is_request_error(&error) => return Err(error),
            answer => {
                if let Some(slot) = answers.get_mut(i) {
                    *slot = Some(answer);
                }
            }
        }
    }
    Ok(answers)
}
