//! The files an owner, an auditor or a witness keeps and checks offline: an inclusion proof (this
//! log entry, e.g. the one recording a ballot's receipt, is in that signed checkpoint) and a
//! consistency proof (that later checkpoint extends this earlier one). `docs/transparency-log.md`
//! specifies both; `.ci/verify_log.py` checks them independently.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use tlog_tiles::tlog::{Hash, record_hash};
use utoipa::ToSchema;

use crate::tlog::LogError;
use crate::tlog::note::{Verified, verify_checkpoint};
use crate::tlog::tree::{check_consistency, check_inclusion};

pub const INCLUSION_FORMAT: &str = "gongjue-inclusion/1";
pub const CONSISTENCY_FORMAT: &str = "gongjue-consistency/1";

/// "This entry is leaf `leaf_index` of the tree the checkpoint signs."
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct InclusionProof {
    /// `gongjue-inclusion/1`.
    pub format: String,
    /// The signed checkpoint (C2SP signed note), as served.
    pub checkpoint: String,
    /// 0-based: the entry with `seq` = `leaf_index` + 1.
    pub leaf_index: u64,
    /// The leaf itself: the audit entry's canonical JSON
    /// (`["gongjue-audit/1", chain, seq, at, actor, action, subject, detail]`).
    pub entry: String,
    /// The audit path, leaf to root, base64 (RFC 6962 §2.1.1).
    pub proof: Vec<String>,
}

/// "The tree of `new_size` extends the tree of `old_size`."
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ConsistencyProof {
    /// `gongjue-consistency/1`.
    pub format: String,
    pub origin: String,
    pub old_size: u64,
    pub new_size: u64,
    /// RFC 6962 §2.1.2, base64.
    pub proof: Vec<String>,
}

pub fn encode(hashes: &[Hash]) -> Vec<String> {
    hashes.iter().map(|h| STANDARD.encode(h.0)).collect()
}

fn decode(hashes: &[String]) -> Result<Vec<Hash>, LogError> {
    hashes
        .iter()
        .map(|h| {
            STANDARD
                .decode(h)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .map(Hash)
                .ok_or(LogError::Malformed("proof hash"))
        })
        .collect()
}

/// What a checked inclusion proof established.
#[derive(Debug)]
pub struct Included {
    pub checkpoint: Verified,
    pub action: String,
    pub seq: u64,
}

/// Checks an inclusion proof: the checkpoint's signature under `vkeys`, the entry's place in
/// its tree and, when given, that the entry records `receipt`.
pub fn verify_inclusion(
    file: &InclusionProof,
    vkeys: &[String],
    receipt: Option<&str>,
) -> Result<Included, LogError> {
    if file.format != INCLUSION_FORMAT {
        return Err(LogError::Malformed("inclusion proof format"));
    }
    let checkpoint = verify_checkpoint(&file.checkpoint, vkeys)?;
    let entry: serde_json::Value =
        serde_json::from_str(&file.entry).map_err(|_| LogError::Malformed("entry"))?;
    let field = |i: usize| entry.get(i).cloned().unwrap_or_default();
    let seq = field(2).as_u64().ok_or(LogError::Malformed("entry"))?;
    if seq != file.leaf_index + 1 {
        return Err(LogError::Mismatch(format!(
            "the entry is number {seq}, not leaf {} + 1",
            file.leaf_index
        )));
    }
    if format!("gongjue/estate/{}", field(1).as_str().unwrap_or_default()) != checkpoint.origin {
        return Err(LogError::Mismatch(
            "the entry belongs to another estate's log".into(),
        ));
    }
    check_inclusion(
        &decode(&file.proof)?,
        checkpoint.size,
        checkpoint.root,
        file.leaf_index,
        record_hash(file.entry.as_bytes()),
    )?;
    if let Some(receipt) = receipt {
        let detail: serde_json::Value =
            serde_json::from_str(field(7).as_str().unwrap_or_default()).unwrap_or_default();
        if detail.get("receipt").and_then(|r| r.as_str()) != Some(receipt) {
            return Err(LogError::Mismatch(
                "the entry does not record this receipt".into(),
            ));
        }
    }
    Ok(Included {
        checkpoint,
        action: field(5).as_str().unwrap_or_default().to_owned(),
        seq,
    })
}

/// Checks that the checkpoint `new` extends the checkpoint `old` (both signed under `vkeys`).
pub fn verify_consistency(
    old: &str,
    new: &str,
    file: &ConsistencyProof,
    vkeys: &[String],
) -> Result<(Verified, Verified), LogError> {
    if file.format != CONSISTENCY_FORMAT {
        return Err(LogError::Malformed("consistency proof format"));
    }
    let old = verify_checkpoint(old, vkeys)?;
    let new = verify_checkpoint(new, vkeys)?;
    if old.origin != new.origin {
        return Err(LogError::Mismatch(format!(
            "the checkpoints are of two logs: {} and {}",
            old.origin, new.origin
        )));
    }
    if (file.old_size, file.new_size) != (old.size, new.size) {
        return Err(LogError::Mismatch(format!(
            "the proof is from {} to {}, the checkpoints are {} and {}",
            file.old_size, file.new_size, old.size, new.size
        )));
    }
    if old.size > new.size {
        return Err(LogError::Mismatch(
            "the later checkpoint is smaller than the earlier one: the log shrank".into(),
        ));
    }
    if old.size == 0 {
        return Ok((old, new));
    }
    check_consistency(
        &decode(&file.proof)?,
        new.size,
        new.root,
        old.size,
        old.root,
    )?;
    Ok((old, new))
}
