//! Signed exports of closed items (spec: tally-bundle.md, "Signed export"): the bundle
//! (`bundle.rs`), its signature (`jws.rs`), the estates' keys (`keys.rs`), and the offline
//! check that `gongjue verify` runs (`check.rs`).
//!
//! An item is exported once, when its assembly's result is published as final (or on first
//! download after that), and the bytes are stored: every later download is the same file, so
//! its digest and signature stay valid. The signed audit head is the `publication.final` entry,
//! which follows every correction made during the objection period.

pub mod bundle;
pub mod check;
pub mod jws;
pub mod keys;
pub mod wrap;

use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item};
use gongjue_store::audit::AuditEntry;
use gongjue_store::exports::{Export, NewExport};

use crate::i18n::Msg;
use crate::usecases::UseCaseError;

/// The `iss` of an estate's exports.
pub fn issuer(estate: &str) -> String {
    format!("gongjue:estate:{estate}")
}

/// The export of a closed item: the stored one, or a new one built, signed and stored now.
/// The caller has checked that the requester may read the item's estate.
pub fn export_of(
    store: &Store,
    service_key: &[u8],
    wrap: &wrap::KeyWrap,
    item_id: &str,
    actor: &str,
) -> Result<Export, UseCaseError> {
    let item = store.item(item_id)?;
    let assembly = store.assembly(&item.assembly_id)?;
    if AssemblyState::parse(&assembly.state)? != AssemblyState::Closed {
        return Err(UseCaseError::Rule(Msg::ResultBeforeClosing));
    }
    if let Some(export) = store.export(item_id)? {
        return Ok(export);
    }
    // Signed once the result is final: objections may still correct a preliminary count.
    if !store
        .publication(&assembly.id)?
        .is_some_and(|p| p.is_final())
    {
        return Err(UseCaseError::Rule(Msg::ObjectionPeriodRunning));
    }
    let estate = assembly.estate_id.clone();
    let closing = store
        .final_publication_entry(&estate, &assembly.id)?
        .ok_or_else(|| {
            UseCaseError::Internal(format!(
                "final assembly {} has no publication.final audit entry",
                assembly.id
            ))
        })?;
    // Only for a result made final before exports were stored with it (older versions); a
    // final publication now stores every export in its own transaction.
    let trial = store.estate(&estate)?.trial;
    let pseudonyms = pseudonyms_of(service_key, &assembly);
    let built = bundle::build(store, &item, pseudonyms.as_ref(), trial)?;
    let key = keys::active(store, wrap, &estate, actor)?;
    let log = LogClaims {
        checkpoint: store.latest_checkpoint(&estate)?.map(|c| c.note),
        witnesses: Vec::new(),
    };
    let export = sign(&item, &assembly, built, &closing, &key, &log)?;
    Ok(store.save_export(export, actor)?)
}

/// The pseudonyms of the assembly's exports, unless its roll is public.
pub fn pseudonyms_of(service_key: &[u8], assembly: &Assembly) -> Option<bundle::Pseudonyms> {
    (!bundle::public_roll(assembly))
        .then(|| bundle::Pseudonyms::for_estate(service_key, &assembly.estate_id))
}

/// What an export says of the estate's transparency log.
#[derive(Debug, Clone, Default)]
pub struct LogClaims {
    /// The signed checkpoint that includes every ballot.
    pub checkpoint: Option<String>,
    pub witnesses: Vec<String>,
}

/// The export of a built bundle, signed with `key`; its claims name `closing`, the
/// `publication.final` audit entry, and the log's checkpoint. No I/O: it runs inside the final
/// publication's transaction.
pub fn sign(
    item: &Item,
    assembly: &Assembly,
    mut built: bundle::Built,
    closing: &AuditEntry,
    key: &keys::ReadyKey,
    log: &LogClaims,
) -> Result<NewExport, UseCaseError> {
    let estate = assembly.estate_id.clone();
    let (digest, size) = built.digest()?;
    let claims = jws::Claims {
        iss: issuer(&estate),
        iat: chrono::Utc::now().timestamp(),
        bundle_sha256: digest.clone(),
        item: item.id.clone(),
        assembly: assembly.id.clone(),
        estate: estate.clone(),
        outcome: built.outcome,
        audit_seq_at_close: closing.seq,
        audit_head_at_close: closing.entry_hash.clone(),
        trial: built.trial,
        log_checkpoint: log.checkpoint.clone(),
        log_proofs: log
            .checkpoint
            .as_ref()
            .map(|_| format!("/api/v1/estates/{estate}/log/receipts/{{receipt}}/proof")),
        log_witnesses: log.witnesses.clone(),
        documents: built.documents,
        previous_round: built.previous_round,
    };
    let token = jws::sign(&claims, &key.private_pem, &key.kid)
        .map_err(|e| UseCaseError::Internal(format!("signing with {}: {e}", key.kid)))?;
    Ok(NewExport {
        export: Export {
            item_id: item.id.clone(),
            estate_id: estate,
            name: format!("gongjue-{}.json", item.id),
            bundle_sha256: digest,
            jws: token,
            kid: key.kid.clone(),
            created_at: gongjue_store::timestamp(chrono::Utc::now()),
            bundle_bytes: i64::try_from(size).unwrap_or(i64::MAX),
        },
        bundle: Box::new(std::io::BufReader::new(built.file)),
    })
}
