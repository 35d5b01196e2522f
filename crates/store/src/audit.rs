//! The append-only audit log, one hash chain per estate (plus a `system` chain).
//!
//! `entry_hash = sha256(prev_hash || canonical entry bytes)`, hex-encoded; the first entry's
//! `prev_hash` is 64 zeros. Altering, deleting or inserting a row breaks the chain from there on,
//! and [`Store::verify_audit_chain`] names the first broken link.

use diesel::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::{AnyConnection, now};
use crate::schema::{audit_chains, audit_log};
use crate::{Store, StoreError};

/// The chain of events that belong to no estate (e.g. a failed login with an unknown name).
pub const SYSTEM_CHAIN: &str = "system";
/// `prev_hash` of the first entry of every chain.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened, by whom, to what. `detail` is free-form JSON.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    /// An estate id, or [`SYSTEM_CHAIN`].
    pub chain: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub chain: String,
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    /// JSON text, hashed exactly as stored.
    pub detail: String,
    pub prev_hash: String,
    pub entry_hash: String,
}

/// The outcome of walking a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainVerification {
    pub chain: String,
    /// Entries checked before the first broken link (all of them if none is broken).
    pub verified_entries: i64,
    pub head_hash: String,
    pub first_broken: Option<BrokenLink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    /// The sequence number where the chain stops holding.
    pub seq: i64,
    pub reason: String,
}

impl AuditEntry {
    /// The bytes that are hashed: a JSON array with a format tag, so no field can bleed into the
    /// next. They are also the entry's leaf in the estate's transparency log (`transparency`).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let fields = serde_json::json!([
            "gongjue-audit/1",
            self.chain,
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.subject,
            self.detail
        ]);
        fields.to_string().into_bytes()
    }

    /// The hash this entry must carry, given its `prev_hash` and content.
    pub fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(self.canonical_bytes());
        format!("{:x}", hasher.finalize())
    }
}

/// Lower-case hex SHA-256, as stored in the chain and in receipts.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Takes the chain's write lock for the rest of the transaction, creating the chain if new.
///
/// SQLite: the caller's `BEGIN IMMEDIATE` already holds the only write lock.
/// PostgreSQL: a transaction-scoped advisory lock keyed by the chain, taken before the head is
/// read, so two writers never both extend the same head (and a new chain is created only once).
/// Actions that record what happened to notices (a worker's sends, a provider's receipts):
/// they change no ballot, count or export, so a final publication whose bundles were built
/// before such entries need not build them again. Without this, receipts trickling in from
/// the SMS provider could keep an estate's final publication retrying until it gave up.
pub const EXPORT_NEUTRAL: &[&str] = &["notices.sent", "notices.delivery"];

/// Whether the chain has an entry after `seq` whose action is not one of `neutral`.
pub(crate) fn moved_beyond(
    conn: &mut AnyConnection,
    chain: &str,
    seq: i64,
    neutral: &[&str],
) -> Result<bool, StoreError> {
    let moved: i64 = audit_log::table
        .filter(audit_log::chain.eq(chain))
        .filter(audit_log::seq.gt(seq))
        .filter(audit_log::action.ne_all(neutral))
        .count()
        .get_result(conn)?;
    Ok(moved > 0)
}

pub(crate) fn lock_chain(conn: &mut AnyConnection, chain: &str) -> Result<(), StoreError> {
    advisory_lock(conn, chain)?;
    let exists = audit_chains::table
        .find(chain)
        .count()
        .get_result::<i64>(conn)?
        > 0;
    if !exists {
        diesel::insert_into(audit_chains::table)
            .values((
                audit_chains::chain.eq(chain),
                audit_chains::last_seq.eq(0_i64),
                audit_chains::head_hash.eq(GENESIS_HASH),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// PostgreSQL: the chain's transaction-scoped advisory lock (see [`lock_chain`]); SQLite: nothing.
fn advisory_lock(conn: &mut AnyConnection, chain: &str) -> Result<(), StoreError> {
    if let AnyConnection::Pg(pg) = conn {
        let digest = Sha256::digest(format!("gongjue-audit-chain:{chain}").as_bytes());
        let mut key = [0u8; 8];
        key.copy_from_slice(digest.get(..8).unwrap_or(&[0; 8]));
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(i64::from_be_bytes(key))
            .execute(pg)?;
    }
    Ok(())
}

/// The heads of several chains, locked for the rest of the transaction, so that a batch of
/// writes appends many entries with a few statements: the entries are chained in memory
/// ([`ChainHeads::chain`]), then stored with one multi-row insert and one head update per chain
/// ([`ChainHeads::store`]). The chain is exactly what one `append` after another would make.
#[derive(Debug, Default)]
pub(crate) struct ChainHeads {
    heads: std::collections::HashMap<String, (i64, String)>,
    entries: Vec<AuditEntry>,
}

impl ChainHeads {
    /// Locks the chains (in one order, so that two writers cannot deadlock), creates the new
    /// ones, and reads their heads.
    pub(crate) fn lock(
        conn: &mut AnyConnection,
        chains: &[&str],
    ) -> Result<ChainHeads, StoreError> {
        let mut chains: Vec<&str> = chains.to_vec();
        chains.sort_unstable();
        chains.dedup();
        for chain in &chains {
            advisory_lock(conn, chain)?;
        }
        let found: Vec<(String, i64, String)> = audit_chains::table
            .filter(audit_chains::chain.eq_any(&chains))
            .select((
                audit_chains::chain,
                audit_chains::last_seq,
                audit_chains::head_hash,
            ))
            .load(conn)?;
        let mut heads: std::collections::HashMap<String, (i64, String)> = found
            .into_iter()
            .map(|(chain, seq, hash)| (chain, (seq, hash)))
            .collect();
        for chain in chains {
            if !heads.contains_key(chain) {
                diesel::insert_into(audit_chains::table)
                    .values((
                        audit_chains::chain.eq(chain),
                        audit_chains::last_seq.eq(0_i64),
                        audit_chains::head_hash.eq(GENESIS_HASH),
                    ))
                    .execute(conn)?;
                heads.insert(chain.to_owned(), (0, GENESIS_HASH.to_owned()));
            }
        }
        Ok(ChainHeads {
            heads,
            entries: Vec::new(),
        })
    }

    /// Chains an entry after the chain's head (in memory; stored by [`ChainHeads::store`]).
    pub(crate) fn chain(&mut self, entry: NewAuditEntry) -> Result<(), StoreError> {
        let Some((last_seq, head_hash)) = self.heads.get_mut(&entry.chain) else {
            return Err(StoreError::Invalid(format!(
                "audit chain {} is not locked by this batch",
                entry.chain
            )));
        };
        let mut row = AuditEntry {
            chain: entry.chain,
            seq: *last_seq + 1,
            at: now(),
            actor: entry.actor,
            action: entry.action,
            subject: entry.subject,
            detail: entry.detail.to_string(),
            prev_hash: std::mem::take(head_hash),
            entry_hash: String::new(),
        };
        row.entry_hash = row.compute_hash();
        *last_seq = row.seq;
        head_hash.clone_from(&row.entry_hash);
        self.entries.push(row);
        Ok(())
    }

    /// Stores the chained entries and moves each touched chain's head.
    pub(crate) fn store(mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        self.flush(conn)
    }

    /// [`ChainHeads::store`] keeping the heads for more entries: a long batch stores its entries
    /// chunk by chunk instead of holding them all.
    pub(crate) fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        if self.entries.is_empty() {
            return Ok(());
        }
        crate::db::insert_rows(conn, &self.entries, |conn, rows| match conn {
            AnyConnection::Pg(c) => diesel::insert_into(audit_log::table)
                .values(rows)
                .execute(c),
            AnyConnection::Sqlite(c) => diesel::insert_into(audit_log::table)
                .values(rows)
                .execute(c),
        })?;
        let mut touched: Vec<&str> = self.entries.iter().map(|e| e.chain.as_str()).collect();
        touched.sort_unstable();
        touched.dedup();
        for chain in touched {
            if let Some((seq, hash)) = self.heads.get(chain) {
                diesel::update(audit_chains::table.find(chain))
                    .set((
                        audit_chains::last_seq.eq(*seq),
                        audit_chains::head_hash.eq(hash),
                    ))
                    .execute(conn)?;
            }
        }
        self.entries.clear();
        Ok(())
    }
}

/// Appends one entry inside the caller's write transaction (which must have called `lock_chain`
/// for this chain, or this takes the lock now).
pub(crate) fn append(
    conn: &mut AnyConnection,
    entry: NewAuditEntry,
) -> Result<AuditEntry, StoreError> {
    lock_chain(conn, &entry.chain)?;
    let (last_seq, head_hash): (i64, String) = audit_chains::table
        .find(&entry.chain)
        .select((audit_chains::last_seq, audit_chains::head_hash))
        .first(conn)?;
    let mut row = AuditEntry {
        chain: entry.chain,
        seq: last_seq + 1,
        at: now(),
        actor: entry.actor,
        action: entry.action,
        subject: entry.subject,
        detail: entry.detail.to_string(),
        prev_hash: head_hash,
        entry_hash: String::new(),
    };
    row.entry_hash = row.compute_hash();
    diesel::insert_into(audit_log::table)
        .values(&row)
        .execute(conn)?;
    diesel::update(audit_chains::table.find(&row.chain))
        .set((
            audit_chains::last_seq.eq(row.seq),
            audit_chains::head_hash.eq(&row.entry_hash),
        ))
        .execute(conn)?;
    Ok(row)
}

const VERIFY_PAGE: i64 = 1000;

pub(crate) fn head(conn: &mut AnyConnection, chain: &str) -> Result<(i64, String), StoreError> {
    let head = audit_chains::table
        .find(chain)
        .select((audit_chains::last_seq, audit_chains::head_hash))
        .first(conn)
        .optional()?;
    Ok(head.unwrap_or((0, GENESIS_HASH.to_owned())))
}

fn entries(
    conn: &mut AnyConnection,
    chain: &str,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<AuditEntry>, StoreError> {
    Ok(audit_log::table
        .filter(audit_log::chain.eq(chain))
        .filter(audit_log::seq.gt(after_seq))
        .order(audit_log::seq.asc())
        .limit(limit)
        .select(AuditEntry::as_select())
        .load(conn)?)
}

/// Walks the chain inside one snapshot (see `Store::verify_audit_chain`).
fn verify(conn: &mut AnyConnection, chain: &str) -> Result<ChainVerification, StoreError> {
    let (head_seq, head_hash) = head(conn, chain)?;
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut expected_seq = 1_i64;
    let broken = |seq: i64, reason: String, prev: String| ChainVerification {
        chain: chain.to_owned(),
        verified_entries: seq - 1,
        head_hash: prev,
        first_broken: Some(BrokenLink { seq, reason }),
    };
    loop {
        let page = entries(conn, chain, expected_seq - 1, VERIFY_PAGE)?;
        let page_len = page.len();
        for entry in page {
            if entry.seq != expected_seq {
                let reason = format!("expected entry {expected_seq}, found entry {}", entry.seq);
                return Ok(broken(expected_seq, reason, expected_prev));
            }
            if entry.prev_hash != expected_prev {
                return Ok(broken(
                    entry.seq,
                    "prev_hash is not the previous entry's hash".into(),
                    expected_prev,
                ));
            }
            if entry.compute_hash() != entry.entry_hash {
                return Ok(broken(
                    entry.seq,
                    "entry content does not match its hash".into(),
                    expected_prev,
                ));
            }
            expected_prev = entry.entry_hash;
            expected_seq += 1;
        }
        if i64::try_from(page_len).unwrap_or(i64::MAX) < VERIFY_PAGE {
            break;
        }
    }
    let verified = expected_seq - 1;
    // Rows the paging cannot reach (seq 0 or below) are insertions too.
    let total: i64 = audit_log::table
        .filter(audit_log::chain.eq(chain))
        .count()
        .get_result(conn)?;
    if total != verified {
        let reason = format!(
            "{} entries outside the sequence 1..={verified}",
            total - verified
        );
        return Ok(broken(verified + 1, reason, expected_prev));
    }
    if head_seq != verified || head_hash != expected_prev {
        let reason = format!("chain head says entry {head_seq}, the log ends at entry {verified}");
        return Ok(ChainVerification {
            chain: chain.to_owned(),
            verified_entries: verified,
            head_hash: expected_prev,
            first_broken: Some(BrokenLink {
                seq: verified.max(head_seq),
                reason,
            }),
        });
    }
    Ok(ChainVerification {
        chain: chain.to_owned(),
        verified_entries: verified,
        head_hash: expected_prev,
        first_broken: None,
    })
}

impl Store {
    /// Appends an entry on its own (e.g. a failed login); state changes append theirs inside
    /// their own transaction instead.
    pub fn append_audit(&self, entry: NewAuditEntry) -> Result<AuditEntry, StoreError> {
        self.write(|conn| append(conn, entry))
    }

    /// The chain's length and head hash (e.g. to sign into an export at closing).
    pub fn audit_head(&self, chain: &str) -> Result<(i64, String), StoreError> {
        let mut conn = self.conn()?;
        head(&mut conn, chain)
    }

    /// Entries of a chain in order, `limit` at a time after `after_seq`.
    pub fn audit_entries(
        &self,
        chain: &str,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut conn = self.conn()?;
        entries(&mut conn, chain, after_seq, limit)
    }

    /// The latest entry of a chain with this action about this subject (e.g. why an assembly
    /// closed early, for the owners' pages), if any.
    pub fn last_audit_entry_of(
        &self,
        chain: &str,
        subject: &str,
        action: &str,
    ) -> Result<Option<AuditEntry>, StoreError> {
        let mut pooled = self.conn()?;
        let conn: &mut AnyConnection = &mut pooled;
        Ok(audit_log::table
            .filter(audit_log::chain.eq(chain))
            .filter(audit_log::subject.eq(subject))
            .filter(audit_log::action.eq(action))
            .order(audit_log::seq.desc())
            .select(AuditEntry::as_select())
            .first(conn)
            .optional()?)
    }

    /// Walks the whole chain in one snapshot and reports the first broken link: a missing or
    /// extra sequence number, a `prev_hash` that is not the previous entry's hash, an entry whose
    /// content no longer matches its hash, or a head that does not match the last entry.
    pub fn verify_audit_chain(&self, chain: &str) -> Result<ChainVerification, StoreError> {
        self.read(|conn| verify(conn, chain))
    }
}
