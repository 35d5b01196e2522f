//! The exported bundle: the item's `gongjue-tally/1` bundle as the service counts it
//! (`count::BundleSource`), owners replaced by pseudonyms, and the `result` the domain counts
//! from exactly these bytes' content.

use gongjue_domain::tally::Tally;
use gongjue_store::assemblies::{Assembly, Item};
use gongjue_store::{Store, StoreError};
use hmac::Mac;
use serde_json::Value;

use crate::count;
use crate::usecases::UseCaseError;

/// `NAME.json`, written to an unnamed temporary file (30 MB at a mega-estate: the final
/// publication builds every item's before storing them together, issue 22), and the outcome it
/// reports (none for a consultation).
pub struct Built {
    pub(super) file: std::fs::File,
    pub outcome: Option<String>,
    /// A trial estate's bundle (its title marked 试用/TRIAL; the signature claims it too).
    pub trial: bool,
    /// The item's documents owners read, named by hash in the signature's claims.
    pub documents: Vec<crate::export::jws::DocumentClaim>,
    /// A later round of a consultation: the previous round and its export's hash.
    pub previous_round: Option<crate::export::jws::PreviousRoundClaim>,
}

/// Whether the assembly's rules make the vote roll public (owner ids in the export).
/// Set as `"public_roll": true` in the assembly's options; pseudonyms otherwise.
pub fn public_roll(assembly: &Assembly) -> bool {
    serde_json::from_str::<Value>(&assembly.options)
        .ok()
        .and_then(|o| o.get("public_roll").and_then(Value::as_bool))
        .unwrap_or(false)
}

/// Replaces owner ids by an estate's pseudonyms: `V` and 16 hex digits of an HMAC-SHA-256
/// of the owner id. Keyed per estate, so the same owner has the same pseudonym in every
/// export of the estate (an owner told theirs can find their ballots) and unrelated ones
/// across estates; without the key nobody can test a guessed owner id against it.
pub struct Pseudonyms {
    key: Vec<u8>,
}

impl Pseudonyms {
    /// `service_key` is a secret of the service; the estate id makes the key per estate.
    pub fn for_estate(service_key: &[u8], estate: &str) -> Pseudonyms {
        let key = hmac::Hmac::<sha2::Sha256>::new_from_slice(service_key)
            .map(|mut mac| {
                mac.update(b"gongjue/voter-pseudonym/");
                mac.update(estate.as_bytes());
                mac.finalize().into_bytes().to_vec()
            })
            .unwrap_or_default();
        Pseudonyms { key }
    }

    pub fn of(&self, owner: &str) -> String {
        let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&self.key) else {
            return String::new();
        };
        mac.update(owner.as_bytes());
        let hex = format!("{:x}", mac.finalize().into_bytes());
        format!("V{}", hex.get(..16).unwrap_or(&hex))
    }
}

/// The export bundle of a closed item, pretty-printed with a final newline.
pub fn build(
    store: &Store,
    item: &Item,
    pseudonyms: Option<&Pseudonyms>,
    trial: bool,
) -> Result<Built, UseCaseError> {
    let mut source = count::BundleSource::load(store, item)?;
    if trial {
        source.mark_trial();
    }
    if let Some(pseudonyms) = pseudonyms {
        source.rename_voters(|owner| pseudonyms.of(owner));
    }
    // Count what is exported (pseudonyms included), exactly as `gongjue verify` will recount it.
    let tally = source.count()?;
    let result =
        serde_json::to_value(tally.result()).map_err(|e| UseCaseError::Internal(e.to_string()))?;
    let outcome = result
        .get("outcome")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let file = write_file(&source, &tally, &result)?;
    drop((source, tally));
    let documents = store
        .documents(&item.id)?
        .into_iter()
        .map(|d| crate::export::jws::DocumentClaim {
            name: d.name,
            content_type: d.content_type,
            size: d.size,
            sha256: d.sha256,
        })
        .collect();
    let previous_round = match store.round_of(&item.id)? {
        Some(link) => Some(crate::export::jws::PreviousRoundClaim {
            bundle_sha256: store
                .export(&link.previous_item_id)?
                .map(|e| e.bundle_sha256),
            item: link.previous_item_id,
            round: i64::from(link.round) - 1,
        }),
        None => None,
    };
    Ok(Built {
        file,
        outcome,
        trial,
        documents,
        previous_round,
    })
}

/// The pretty-printed bundle with a final newline, in a temporary file that is gone once
/// closed.
fn write_file(
    source: &count::BundleSource,
    tally: &Tally,
    result: &Value,
) -> Result<std::fs::File, UseCaseError> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(tempfile::tempfile().map_err(unavailable)?);
    source.write_counted(&mut out, tally, result)?;
    out.write_all(b"\n").map_err(unavailable)?;
    out.into_inner().map_err(|e| unavailable(e.into_error()))
}

impl Built {
    /// The bundle's SHA-256 (hex) and size, read through its file once to be signed; the file
    /// is left at its start, for the store to read a part at a time (never whole in memory).
    pub fn digest(&mut self) -> Result<(String, u64), UseCaseError> {
        use sha2::{Digest, Sha256};
        use std::io::{Seek, SeekFrom};
        self.file.seek(SeekFrom::Start(0)).map_err(unavailable)?;
        let mut hasher = Sha256::new();
        let size = std::io::copy(&mut self.file, &mut hasher).map_err(unavailable)?;
        self.file.seek(SeekFrom::Start(0)).map_err(unavailable)?;
        Ok((format!("{:x}", hasher.finalize()), size))
    }
}

/// The export's temporary file could not be written or read (a full disk): the service is
/// unavailable for this, not broken.
fn unavailable(e: std::io::Error) -> UseCaseError {
    UseCaseError::Store(StoreError::Unavailable(format!("export file: {e}")))
}
