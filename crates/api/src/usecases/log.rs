//! The transparency log's workflows (issue 18): signed checkpoints made at each stage of an
//! assembly and daily while voting, the proofs owners and witnesses download, and the
//! witnesses' cosignatures and dissents. Checkpoints, keys and proofs are public: they exist to
//! leave the server.

use chrono::{Duration, Utc};
use gongjue_store::transparency::{Checkpoint, Witness, WitnessReport, stamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::export;
use crate::i18n::Msg;
use crate::state::AppState;
use crate::tlog::LogError;
use crate::tlog::note::{self, NoteSigner};
use crate::tlog::proof::{
    CONSISTENCY_FORMAT, ConsistencyProof, INCLUSION_FORMAT, InclusionProof, encode,
};
use crate::tlog::tree::Tree;
use crate::usecases::{Caller, UseCaseError};

/// The actor checkpoints are made by when no person asked for one.
const SYSTEM: &str = "system:log";
/// A witness report says one of these.
pub const COSIGNED: &str = "cosigned";
pub const DISSENT: &str = "dissent";
/// The first line of a witness's signed dissent note.
pub const DISSENT_FORMAT: &str = "gongjue-dissent/1";

impl From<LogError> for UseCaseError {
    fn from(error: LogError) -> UseCaseError {
        UseCaseError::invalid("log", error.to_string())
    }
}

/// One checkpoint as the history lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckpointOut {
    pub size: i64,
    /// Base64 of the root hash, as in the note.
    pub root_hash: String,
    /// The first 16 hex digits of the root, for comparing by eye.
    pub short_root: String,
    /// Why it was made: `setup` (before announcing: the items and rules owners are told of),
    /// `announced`, `opened`, `daily`, `closed` (the preliminary result), `before-final`,
    /// `final`, `requested` (for a proof).
    pub reason: String,
    pub created_at: String,
    /// The signed note, with the cosignatures of the witnesses that cosigned it.
    pub note: String,
    pub cosigned_by: Vec<String>,
    pub dissented_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WitnessOut {
    pub name: String,
    pub vkey: String,
    pub added_at: String,
}

/// The log of an estate: its name, the keys that verify it, its checkpoints and witnesses.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LogOverview {
    pub origin: String,
    /// Note verifier keys of the log (active and retired).
    pub verifier_keys: Vec<String>,
    pub size: i64,
    pub checkpoints: Vec<CheckpointOut>,
    pub witnesses: Vec<WitnessOut>,
}

fn estate_exists(app: &AppState, estate: &str) -> Result<(), UseCaseError> {
    app.store.estate(estate)?;
    Ok(())
}

/// The log's verifier keys: every signing key the estate ever had, as note verifier keys.
pub fn verifier_keys(app: &AppState, estate: &str) -> Result<Vec<String>, UseCaseError> {
    let origin = note::origin(estate);
    Ok(app
        .store
        .signing_keys(estate)?
        .iter()
        .map(|k| note::verifier_key_of_pem(&origin, &k.public_pem))
        .collect::<Result<Vec<_>, _>>()?)
}

/// The log's verifier keys as published: an unknown estate is not found.
pub fn published_keys(app: &AppState, estate: &str) -> Result<Vec<String>, UseCaseError> {
    estate_exists(app, estate)?;
    verifier_keys(app, estate)
}

/// Signs a checkpoint of the estate's log as it is now, unless the newest one already covers
/// every entry (then that one is returned). `reason` says which stage asked.
pub fn checkpoint_now(
    app: &AppState,
    estate: &str,
    reason: &str,
) -> Result<Checkpoint, UseCaseError> {
    let store = &app.store;
    // The key first: a new estate's first key is itself a log entry.
    let key = export::keys::active(store, &app.key_wrap, estate, SYSTEM)?;
    let size = store.log_size(estate)?;
    if let Some(latest) = store.latest_checkpoint(estate)?
        && latest.size == size
    {
        return Ok(latest);
    }
    // Everything below reads the server's own log and key: a failure is a fault of ours (500),
    // never a refusal of the caller's request.
    let internal = |e: LogError| UseCaseError::Internal(format!("checkpoint of {estate}: {e}"));
    let leaves = store.log_leaf_hashes(estate, Some(size))?;
    let tree = Tree::build(&leaves).map_err(internal)?;
    let root = tree.root().map_err(internal)?;
    let origin = note::origin(estate);
    let signer = NoteSigner::from_pem(&origin, &key.private_pem).map_err(internal)?;
    let size_u = u64::try_from(size).map_err(|_| internal(LogError::TooLarge))?;
    let note = note::sign_checkpoint(&origin, size_u, root, &signer).map_err(internal)?;
    use base64::Engine;
    Ok(store.save_checkpoint(Checkpoint {
        chain: estate.to_owned(),
        size,
        root_hash: base64::engine::general_purpose::STANDARD.encode(root.0),
        note,
        reason: reason.to_owned(),
        created_at: stamp(),
    })?)
}

/// A checkpoint at a stage of an assembly, made after the stage's transaction. The stage has
/// happened whatever this says; a failure is logged (the next checkpoint covers it) rather
/// than reported as the stage's failure.
pub fn checkpoint_after(app: &AppState, estate: &str, reason: &str) {
    if let Err(error) = checkpoint_now(app, estate, reason) {
        tracing::error!(%estate, reason, %error, "could not make the log's checkpoint");
    }
}

/// A checkpoint for every estate with an assembly open for voting whose newest checkpoint is
/// older than a day (the server's hourly round).
pub fn daily_round(app: &AppState) -> Result<usize, UseCaseError> {
    let mut made = 0;
    for estate in app.store.estates_voting()? {
        let due = match app.store.latest_checkpoint(&estate)? {
            None => true,
            Some(c) => crate::timetable::stored(&c.created_at)
                .map(|at| Utc::now() - at >= Duration::hours(24))
                .unwrap_or(true),
        };
        if due {
            checkpoint_now(app, &estate, "daily")?;
            made += 1;
        }
    }
    Ok(made)
}

/// Runs [`daily_round`] every `every`, for as long as the server runs.
pub async fn daily(app: AppState, every: std::time::Duration) {
    loop {
        let state = app.clone();
        match tokio::task::spawn_blocking(move || daily_round(&state)).await {
            Ok(Ok(0)) => {}
            Ok(Ok(made)) => tracing::info!(made, "daily checkpoints of the transparency log"),
            Ok(Err(error)) => tracing::error!(%error, "daily checkpoints failed"),
            Err(error) => tracing::error!(%error, "daily checkpoints panicked"),
        }
        tokio::time::sleep(every).await;
    }
}

/// The checkpoint note with every cosignature a witness gave it appended.
fn with_cosignatures(c: &Checkpoint, reports: &[WitnessReport]) -> String {
    let lines: Vec<&str> = reports
        .iter()
        .filter(|r| r.size == c.size && r.verdict == COSIGNED)
        .map(|r| r.signature.as_str())
        .collect();
    if lines.is_empty() {
        return c.note.clone();
    }
    format!("{}{}\n", c.note, lines.join("\n"))
}

fn checkpoint_out(c: &Checkpoint, reports: &[WitnessReport]) -> CheckpointOut {
    let by = |verdict: &str| {
        reports
            .iter()
            .filter(|r| r.size == c.size && r.verdict == verdict)
            .map(|r| r.witness.clone())
            .collect()
    };
    CheckpointOut {
        size: c.size,
        root_hash: c.root_hash.clone(),
        short_root: note::short_root(&c.root_hash),
        reason: c.reason.clone(),
        created_at: c.created_at.clone(),
        note: with_cosignatures(c, reports),
        cosigned_by: by(COSIGNED),
        dissented_by: by(DISSENT),
    }
}

/// The estate's log: name, keys, every checkpoint (oldest first) and the witnesses.
pub fn overview(app: &AppState, estate: &str) -> Result<LogOverview, UseCaseError> {
    estate_exists(app, estate)?;
    let reports = app.store.witness_reports(estate)?;
    Ok(LogOverview {
        origin: note::origin(estate),
        verifier_keys: verifier_keys(app, estate)?,
        size: app.store.log_size(estate)?,
        checkpoints: app
            .store
            .checkpoints(estate)?
            .iter()
            .map(|c| checkpoint_out(c, &reports))
            .collect(),
        witnesses: app
            .store
            .witnesses(estate)?
            .into_iter()
            .map(|w| WitnessOut {
                name: w.name,
                vkey: w.vkey,
                added_at: w.added_at,
            })
            .collect(),
    })
}

/// The newest checkpoint (with its cosignatures), made now if the estate has none yet.
pub fn latest(app: &AppState, estate: &str) -> Result<CheckpointOut, UseCaseError> {
    estate_exists(app, estate)?;
    let checkpoint = match app.store.latest_checkpoint(estate)? {
        Some(c) => c,
        None => checkpoint_now(app, estate, "requested")?,
    };
    Ok(checkpoint_out(
        &checkpoint,
        &app.store.witness_reports(estate)?,
    ))
}

/// The newest checkpoint to show owners beside a notice or in an e-mail, if there is one.
pub fn shown(app: &AppState, estate: &str) -> Option<CheckpointOut> {
    let checkpoint = app.store.latest_checkpoint(estate).ok()??;
    let reports = app.store.witness_reports(estate).unwrap_or_default();
    Some(checkpoint_out(&checkpoint, &reports))
}

/// The proof that the checkpoint of `new` entries extends the one of `old`.
pub fn consistency(
    app: &AppState,
    estate: &str,
    old: i64,
    new: i64,
) -> Result<ConsistencyProof, UseCaseError> {
    estate_exists(app, estate)?;
    let size = app.store.log_size(estate)?;
    if old < 0 || old > new {
        return Err(UseCaseError::invalid(
            "old",
            format!("must be from 0 to new ({new})"),
        ));
    }
    if new > size {
        return Err(UseCaseError::invalid(
            "new",
            format!("the log has {size} entries"),
        ));
    }
    let tree = Tree::build(&app.store.log_leaf_hashes(estate, Some(new))?)?;
    let old_u = u64::try_from(old).map_err(|_| LogError::TooLarge)?;
    let proof = if old == 0 || old == new {
        Vec::new()
    } else {
        encode(&tree.consistency(old_u)?)
    };
    Ok(ConsistencyProof {
        format: CONSISTENCY_FORMAT.into(),
        origin: note::origin(estate),
        old_size: old_u,
        new_size: tree.size(),
        proof,
    })
}

/// The inclusion proof of the ballot whose receipt this is, in the newest checkpoint (one is
/// made if the ballot came after it).
pub fn receipt_proof(
    app: &AppState,
    estate: &str,
    receipt: &str,
) -> Result<InclusionProof, UseCaseError> {
    estate_exists(app, estate)?;
    let Some(entry) = app.store.log_entry_of_receipt(estate, receipt)? else {
        return Err(UseCaseError::Store(gongjue_store::StoreError::NotFound(
            "no ballot has this receipt".into(),
        )));
    };
    let checkpoint = match app.store.latest_checkpoint(estate)? {
        Some(c) if c.size >= entry.seq => c,
        _ => checkpoint_now(app, estate, "requested")?,
    };
    let tree = Tree::build(&app.store.log_leaf_hashes(estate, Some(checkpoint.size))?)?;
    let index = u64::try_from(entry.seq - 1).map_err(|_| LogError::TooLarge)?;
    let reports = app.store.witness_reports(estate)?;
    Ok(InclusionProof {
        format: INCLUSION_FORMAT.into(),
        checkpoint: with_cosignatures(&checkpoint, &reports),
        leaf_index: index,
        entry: String::from_utf8_lossy(&entry.canonical_bytes()).into_owned(),
        proof: encode(&tree.inclusion(index)?),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWitness {
    /// The witness's key name, e.g. `jwh.xujiahui.example/witness` (no spaces or `+`).
    pub name: String,
    /// Its note verifier key, `name+keyid+base64`, as `gongjue witness` prints it.
    pub vkey: String,
}

/// Names a witness of the estate's log (its secretary or administrator). Audited: the list of
/// witnesses is itself in the log.
pub fn add_witness(
    app: &AppState,
    caller: Caller,
    estate: &str,
    new: NewWitness,
) -> Result<WitnessOut, UseCaseError> {
    let staff = caller.staff()?;
    staff.writes(estate)?;
    let verifier = signed_note::StandardVerifier::new(&new.vkey)
        .map_err(|e| UseCaseError::invalid("vkey", e.to_string()))?;
    if signed_note::Verifier::name(&verifier) != new.name {
        return Err(UseCaseError::invalid(
            "vkey",
            format!(
                "the key is named {}, not {}",
                signed_note::Verifier::name(&verifier),
                new.name
            ),
        ));
    }
    if new.name == note::origin(estate) {
        return Err(UseCaseError::invalid(
            "name",
            "a witness cannot bear the log's own name",
        ));
    }
    let stored = app.store.add_witness(Witness {
        chain: estate.to_owned(),
        name: new.name,
        vkey: new.vkey,
        added_by: staff.actor(),
        added_at: stamp(),
    })?;
    Ok(WitnessOut {
        name: stored.name,
        vkey: stored.vkey,
        added_at: stored.added_at,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WitnessNote {
    /// The checkpoint note with the witness's signature added (a cosignature), or the
    /// witness's signed dissent note.
    pub note: String,
}

/// Which registered witness signed this note, with its verifier key.
fn signing_witness(app: &AppState, estate: &str, text: &str) -> Result<Witness, UseCaseError> {
    for witness in app.store.witnesses(estate)? {
        if note::signed_by(text, &witness.vkey)? {
            return Ok(witness);
        }
    }
    Err(UseCaseError::Forbidden(Msg::NotAWitness))
}

/// Stores a witness's cosignature of one of the estate's checkpoints. The note must carry the
/// log's own signature and a registered witness's, over a checkpoint this log made.
pub fn cosign(
    app: &AppState,
    estate: &str,
    body: WitnessNote,
) -> Result<CheckpointOut, UseCaseError> {
    estate_exists(app, estate)?;
    let witness = signing_witness(app, estate, &body.note)?;
    let read = note::verify_checkpoint(&body.note, &verifier_keys(app, estate)?)?;
    let stored = app
        .store
        .checkpoints(estate)?
        .into_iter()
        .find(|c| u64::try_from(c.size).ok() == Some(read.size))
        .ok_or(UseCaseError::Rule(Msg::CheckpointUnknown))?;
    if !same_root(&stored.root_hash, &read.root.0) {
        return Err(UseCaseError::Rule(Msg::CheckpointUnknown));
    }
    let line = note::signature_lines_of(&body.note, &witness.name)?
        .into_iter()
        .next()
        .ok_or(UseCaseError::Forbidden(Msg::NotAWitness))?;
    app.store.save_witness_report(WitnessReport {
        chain: estate.to_owned(),
        witness: witness.name,
        size: stored.size,
        verdict: COSIGNED.into(),
        signature: line,
        reason: None,
        received_at: stamp(),
    })?;
    Ok(checkpoint_out(&stored, &app.store.witness_reports(estate)?))
}

fn same_root(stored_b64: &str, root: &[u8; 32]) -> bool {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(stored_b64)
        .is_ok_and(|b| b == root)
}

/// Stores a witness's dissent: its signed note naming the checkpoint it refused and why. Any
/// dissent stops the final publication until the estate's log is explained.
pub fn dissent(app: &AppState, estate: &str, body: WitnessNote) -> Result<(), UseCaseError> {
    estate_exists(app, estate)?;
    let witness = signing_witness(app, estate, &body.note)?;
    let text = body.note.split("\n\n").next().unwrap_or_default();
    let mut lines = text.lines();
    if lines.next() != Some(DISSENT_FORMAT) || lines.next() != Some(note::origin(estate).as_str()) {
        return Err(UseCaseError::invalid(
            "note",
            format!("a dissent starts with {DISSENT_FORMAT} and the log's origin"),
        ));
    }
    let size: i64 = lines
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| UseCaseError::invalid("note", "the third line is the refused size"))?;
    let reason = lines.collect::<Vec<_>>().join(" ");
    app.store.save_witness_report(WitnessReport {
        chain: estate.to_owned(),
        witness: witness.name,
        size,
        verdict: DISSENT.into(),
        signature: body.note,
        reason: Some(reason),
        received_at: stamp(),
    })?;
    Ok(())
}

/// Before the final publication: refused if any witness dissented. Otherwise a checkpoint of
/// everything so far, and the newest checkpoint any witness cosigned with the witnesses that
/// cosigned it (named by the publication: a checkpoint made this instant is not cosigned yet).
pub fn final_checkpoint(app: &AppState, estate: &str) -> Result<FinalWitnessing, UseCaseError> {
    let reports = app.store.witness_reports(estate)?;
    if let Some(dissent) = reports.iter().find(|r| r.verdict == DISSENT) {
        tracing::warn!(%estate, witness = %dissent.witness, size = dissent.size, "a witness dissents: the final publication is refused");
        return Err(UseCaseError::Rule(Msg::WitnessDissents));
    }
    let checkpoint = checkpoint_now(app, estate, "before-final")?;
    let witnessed_size = reports
        .iter()
        .filter(|r| r.verdict == COSIGNED)
        .map(|r| r.size)
        .max();
    let witnesses = reports
        .iter()
        .filter(|r| r.verdict == COSIGNED && Some(r.size) == witnessed_size)
        .map(|r| r.witness.clone())
        .collect();
    Ok(FinalWitnessing {
        checkpoint,
        witnessed_size,
        witnesses,
    })
}

/// What the final publication says of the log.
#[derive(Debug, Clone)]
pub struct FinalWitnessing {
    /// The checkpoint of every entry before the final publication.
    pub checkpoint: Checkpoint,
    /// The size of the newest cosigned checkpoint, if any witness cosigned one.
    pub witnessed_size: Option<i64>,
    pub witnesses: Vec<String>,
}
