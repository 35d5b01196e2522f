//! What the transparency log keeps (issue 18): each estate's audit chain read as the leaves of
//! an RFC 6962 Merkle tree, the signed checkpoints of that tree, the witnesses an estate named
//! and what each of them reported. The tree's arithmetic and the signatures live in the API
//! crate (`tlog`); the store only holds rows and hands out leaves.

use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{AuditEntry, NewAuditEntry, append};
use crate::db::{AnyConnection, now};
use crate::schema::{audit_log, log_checkpoints, log_witness_reports, log_witnesses};
use crate::{Store, StoreError};

/// Leaves read per query while hashing a whole tree (bounded memory for long chains).
const PAGE: i64 = 5_000;

/// A signed checkpoint as stored.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = log_checkpoints)]
pub struct Checkpoint {
    pub chain: String,
    pub size: i64,
    pub root_hash: String,
    pub note: String,
    pub reason: String,
    pub created_at: String,
}

/// A witness an estate relies on.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = log_witnesses)]
pub struct Witness {
    pub chain: String,
    pub name: String,
    pub vkey: String,
    pub added_by: String,
    pub added_at: String,
}

/// What a witness said about one checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = log_witness_reports)]
pub struct WitnessReport {
    pub chain: String,
    pub witness: String,
    pub size: i64,
    /// `cosigned` or `dissent`.
    pub verdict: String,
    pub signature: String,
    pub reason: Option<String>,
    pub received_at: String,
}

/// RFC 6962 leaf hash of an audit entry: SHA-256(0x00 || canonical bytes).
pub fn leaf_hash(entry: &AuditEntry) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update([0u8]);
    hasher.update(entry.canonical_bytes());
    hasher.finalize().into()
}

impl Store {
    /// The leaf hashes of the chain's first `size` entries (all of them if `None`), read in one
    /// snapshot. Refuses a chain whose sequence numbers have a gap: its tree would not be the
    /// one any earlier checkpoint signed.
    pub fn log_leaf_hashes(
        &self,
        chain: &str,
        size: Option<i64>,
    ) -> Result<Vec<[u8; 32]>, StoreError> {
        self.read(|conn| {
            let mut hashes = Vec::new();
            let mut after = 0_i64;
            loop {
                let want = match size {
                    Some(size) => PAGE.min(size - after),
                    None => PAGE,
                };
                if want <= 0 {
                    break;
                }
                let page: Vec<AuditEntry> = audit_log::table
                    .filter(audit_log::chain.eq(chain))
                    .filter(audit_log::seq.gt(after))
                    .order(audit_log::seq.asc())
                    .limit(want)
                    .select(AuditEntry::as_select())
                    .load(conn)?;
                let Some(last) = page.last() else { break };
                let last_seq = last.seq;
                for entry in &page {
                    after += 1;
                    if entry.seq != after {
                        return Err(StoreError::Corrupt(format!(
                            "audit chain {chain}: entry {after} is missing (found {})",
                            entry.seq
                        )));
                    }
                    hashes.push(leaf_hash(entry));
                }
                after = last_seq;
                if i64::try_from(page.len()).unwrap_or(i64::MAX) < want {
                    break;
                }
            }
            if let Some(size) = size
                && i64::try_from(hashes.len()).unwrap_or(i64::MAX) != size
            {
                return Err(StoreError::NotFound(format!(
                    "the log of {chain} has {} entries, not {size}",
                    hashes.len()
                )));
            }
            Ok(hashes)
        })
    }

    /// The `ballot.cast` entry that records the ballot version with this receipt, if any.
    /// `receipt` must be a receipt's form (64 lower-case hex digits), checked here because it
    /// is matched inside the entry's JSON detail.
    pub fn log_entry_of_receipt(
        &self,
        chain: &str,
        receipt: &str,
    ) -> Result<Option<AuditEntry>, StoreError> {
        if receipt.len() != 64
            || !receipt
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Ok(None);
        }
        let pattern = format!("%\"receipt\":\"{receipt}\"%");
        self.read(|conn| {
            Ok(audit_log::table
                .filter(audit_log::chain.eq(chain))
                .filter(audit_log::action.eq("ballot.cast"))
                .filter(audit_log::detail.like(pattern))
                .order(audit_log::seq.asc())
                .select(AuditEntry::as_select())
                .first(conn)
                .optional()?)
        })
    }

    /// Stores a checkpoint; one of the same size already stored is kept (and returned), as the
    /// tree of a size never changes.
    pub fn save_checkpoint(&self, checkpoint: Checkpoint) -> Result<Checkpoint, StoreError> {
        self.write(|conn| {
            let existing = log_checkpoints::table
                .find((&checkpoint.chain, checkpoint.size))
                .select(Checkpoint::as_select())
                .first(conn)
                .optional()?;
            if let Some(existing) = existing {
                return Ok(existing);
            }
            diesel::insert_into(log_checkpoints::table)
                .values(&checkpoint)
                .execute(conn)?;
            Ok(checkpoint)
        })
    }

    /// The chain's checkpoints, oldest first.
    pub fn checkpoints(&self, chain: &str) -> Result<Vec<Checkpoint>, StoreError> {
        self.read(|conn| {
            Ok(log_checkpoints::table
                .filter(log_checkpoints::chain.eq(chain))
                .order(log_checkpoints::size.asc())
                .select(Checkpoint::as_select())
                .load(conn)?)
        })
    }

    /// The chain's newest checkpoint, if any.
    pub fn latest_checkpoint(&self, chain: &str) -> Result<Option<Checkpoint>, StoreError> {
        self.read(|conn| latest(conn, chain))
    }

    /// Estates with an assembly open for voting (their logs get a checkpoint daily).
    pub fn estates_voting(&self) -> Result<Vec<String>, StoreError> {
        use crate::schema::assemblies;
        self.read(|conn| {
            Ok(assemblies::table
                .filter(assemblies::state.eq("open"))
                .select(assemblies::estate_id)
                .distinct()
                .load(conn)?)
        })
    }

    /// The chain's number of entries now.
    pub fn log_size(&self, chain: &str) -> Result<i64, StoreError> {
        Ok(self.audit_head(chain)?.0)
    }

    /// Names a witness for the estate (audited, so the list itself is in the log).
    pub fn add_witness(&self, witness: Witness) -> Result<Witness, StoreError> {
        self.write(|conn| {
            crate::audit::lock_chain(conn, &witness.chain)?;
            let exists = log_witnesses::table
                .find((&witness.chain, &witness.name))
                .count()
                .get_result::<i64>(conn)?
                > 0;
            if exists {
                return Err(StoreError::Conflict(format!(
                    "a witness named {} is already registered",
                    witness.name
                )));
            }
            diesel::insert_into(log_witnesses::table)
                .values(&witness)
                .execute(conn)?;
            append(
                conn,
                NewAuditEntry {
                    chain: witness.chain.clone(),
                    actor: witness.added_by.clone(),
                    action: "witness.added".into(),
                    subject: witness.name.clone(),
                    detail: serde_json::json!({ "vkey": witness.vkey }),
                },
            )?;
            Ok(witness)
        })
    }

    /// The estate's witnesses.
    pub fn witnesses(&self, chain: &str) -> Result<Vec<Witness>, StoreError> {
        self.read(|conn| {
            Ok(log_witnesses::table
                .filter(log_witnesses::chain.eq(chain))
                .order(log_witnesses::name.asc())
                .select(Witness::as_select())
                .load(conn)?)
        })
    }

    /// Stores a witness's report on a checkpoint; a second report on the same checkpoint
    /// replaces nothing (the first stands) unless it is a dissent, which always wins.
    pub fn save_witness_report(&self, report: WitnessReport) -> Result<WitnessReport, StoreError> {
        self.write(|conn| {
            let existing = log_witness_reports::table
                .find((&report.chain, &report.witness, report.size))
                .select(WitnessReport::as_select())
                .first(conn)
                .optional()?;
            match existing {
                Some(existing) if existing.verdict == "dissent" || report.verdict != "dissent" => {
                    return Ok(existing);
                }
                Some(_) => {
                    diesel::delete(log_witness_reports::table.find((
                        &report.chain,
                        &report.witness,
                        report.size,
                    )))
                    .execute(conn)?;
                }
                None => {}
            }
            diesel::insert_into(log_witness_reports::table)
                .values(&report)
                .execute(conn)?;
            Ok(report)
        })
    }

    /// Every report of the estate's witnesses, oldest checkpoint first.
    pub fn witness_reports(&self, chain: &str) -> Result<Vec<WitnessReport>, StoreError> {
        self.read(|conn| {
            Ok(log_witness_reports::table
                .filter(log_witness_reports::chain.eq(chain))
                .order((
                    log_witness_reports::size.asc(),
                    log_witness_reports::witness.asc(),
                ))
                .select(WitnessReport::as_select())
                .load(conn)?)
        })
    }
}

pub(crate) fn latest(
    conn: &mut AnyConnection,
    chain: &str,
) -> Result<Option<Checkpoint>, StoreError> {
    Ok(log_checkpoints::table
        .filter(log_checkpoints::chain.eq(chain))
        .order(log_checkpoints::size.desc())
        .select(Checkpoint::as_select())
        .first(conn)
        .optional()?)
}

/// The time a row is stored with, for callers building rows here.
pub fn stamp() -> String {
    now()
}
