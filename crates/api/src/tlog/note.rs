//! Checkpoints as C2SP signed notes: the estate's log signs with its Ed25519 export key, and each
//! witness adds its own Ed25519 signature line to the same note (a cosignature). The formats
//! and signatures are `tlog_tiles::checkpoint` and `signed_note`'s.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, DecodePublicKey};
use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};
use signed_note::{Note, Signature, StandardVerifier, Verifier, VerifierList};
use tlog_tiles::checkpoint::Checkpoint;
use tlog_tiles::tlog::Hash;

use crate::tlog::LogError;

/// The log's name in its checkpoints and the name of its key: one log per estate.
pub fn origin(estate: &str) -> String {
    format!("gongjue/estate/{estate}")
}

/// An Ed25519 key that signs notes under a name (the estate's origin, or a witness's name).
pub struct NoteSigner {
    name: String,
    key: SigningKey,
    id: u32,
}

impl NoteSigner {
    pub fn new(name: &str, key: SigningKey) -> Result<NoteSigner, LogError> {
        if !signed_note::is_key_name_valid(name) {
            return Err(LogError::BadName(name.to_owned()));
        }
        let id = signed_note::key_id(name, &encoded_public(&key.verifying_key()));
        Ok(NoteSigner {
            name: name.to_owned(),
            key,
            id,
        })
    }

    /// From a PKCS#8 PEM private key (the estate's export key, a witness's key file).
    pub fn from_pem(name: &str, pem: &str) -> Result<NoteSigner, LogError> {
        let key = SigningKey::from_pkcs8_pem(pem).map_err(|e| LogError::BadKey(e.to_string()))?;
        NoteSigner::new(name, key)
    }

    /// The verifier key others need to check this signer's signatures (`name+id+key`).
    pub fn verifier_key(&self) -> String {
        signed_note::new_ed25519_verifier_key(&self.name, &self.key.verifying_key())
    }
}

impl signed_note::Signer for NoteSigner {
    fn name(&self) -> &str {
        &self.name
    }
    fn key_id(&self) -> u32 {
        self.id
    }
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, ed25519_dalek::SignatureError> {
        Ok(self.key.sign(msg).to_bytes().to_vec())
    }
}

fn encoded_public(key: &VerifyingKey) -> Vec<u8> {
    [&[1u8][..], key.as_bytes()].concat()
}

/// The verifier key of a stored public PEM under `name`.
pub fn verifier_key_of_pem(name: &str, public_pem: &str) -> Result<String, LogError> {
    let key = VerifyingKey::from_public_key_pem(public_pem)
        .map_err(|e| LogError::BadKey(e.to_string()))?;
    Ok(signed_note::new_ed25519_verifier_key(name, &key))
}

/// A checkpoint's text (origin, size, base64 root), signed by `signer`.
pub fn sign_checkpoint(
    origin: &str,
    size: u64,
    root: Hash,
    signer: &NoteSigner,
) -> Result<String, LogError> {
    let checkpoint =
        Checkpoint::new(origin, size, root, "").map_err(|_| LogError::Malformed("checkpoint"))?;
    let mut note = Note::new(&checkpoint.to_bytes(), &[])?;
    note.add_sigs(&[signer])?;
    text(&note)
}

/// Any text (a witness's dissent) signed as a note by `signer`.
pub fn sign_text(text: &str, signer: &NoteSigner) -> Result<String, LogError> {
    let mut note = Note::new(text.as_bytes(), &[])?;
    note.add_sigs(&[signer])?;
    self::text(&note)
}

fn text(note: &Note) -> Result<String, LogError> {
    String::from_utf8(note.to_bytes()).map_err(|_| LogError::Malformed("note"))
}

/// A checkpoint read from a signed note, with the names of the keys whose signatures held.
#[derive(Debug)]
pub struct Verified {
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Names of the signers among `vkeys` whose signatures verified.
    pub signed_by: Vec<String>,
}

/// Reads a signed checkpoint and checks its signatures against `vkeys` (verifier keys). At
/// least one must hold; a signature of a known key that does not hold is refused.
pub fn verify_checkpoint(note: &str, vkeys: &[String]) -> Result<Verified, LogError> {
    let note = Note::from_bytes(note.as_bytes())?;
    let verifiers = vkeys
        .iter()
        .map(|k| {
            StandardVerifier::new(k)
                .map(|v| Box::new(v) as Box<dyn Verifier>)
                .map_err(|e| LogError::BadKey(format!("{k}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (verified, _unknown) = note.verify(&VerifierList::new(verifiers))?;
    let checkpoint =
        Checkpoint::from_bytes(note.text()).map_err(|_| LogError::Malformed("checkpoint"))?;
    Ok(Verified {
        origin: checkpoint.origin().to_owned(),
        size: checkpoint.size(),
        root: *checkpoint.hash(),
        signed_by: verified.iter().map(|s| s.name().to_owned()).collect(),
    })
}

/// Whether the note (a checkpoint or any other signed text) carries a valid signature of the
/// key `vkey`; a signature of that key that does not hold is an error.
pub fn signed_by(note: &str, vkey: &str) -> Result<bool, LogError> {
    let note = Note::from_bytes(note.as_bytes())?;
    let verifier =
        StandardVerifier::new(vkey).map_err(|e| LogError::BadKey(format!("{vkey}: {e}")))?;
    match note.verify(&VerifierList::new(vec![Box::new(verifier)])) {
        Ok(_) => Ok(true),
        Err(signed_note::NoteError::UnverifiedNote) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The note with `signer`'s signature added (a witness's cosignature), as text.
pub fn cosign(note: &str, signer: &NoteSigner) -> Result<String, LogError> {
    let mut note = Note::from_bytes(note.as_bytes())?;
    note.add_sigs(&[signer])?;
    text(&note)
}

/// The signature lines of a note whose signer is `name` (to store a witness's line alone).
pub fn signature_lines_of(note: &str, name: &str) -> Result<Vec<String>, LogError> {
    // Parsed first, so that only a well-formed note's lines are read; signatures follow the
    // text's last blank line (c2sp.org/signed-note).
    Note::from_bytes(note.as_bytes())?;
    let (_, signatures) = note
        .rsplit_once("\n\n")
        .ok_or(LogError::Malformed("note"))?;
    signatures
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| Signature::from_bytes(l.as_bytes()).map_err(LogError::from))
        .filter(|s| s.as_ref().map_or(true, |s| s.name() == name))
        .map(|s| s.map(|s| String::from_utf8_lossy(&s.to_bytes()).trim_end().to_owned()))
        .collect()
}

/// The short form of a root people compare by eye: the first 16 hex digits, in groups of four.
pub fn short_root(root_b64: &str) -> String {
    let hex: String = STANDARD
        .decode(root_b64)
        .unwrap_or_default()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    hex.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use tlog_tiles::tlog::record_hash;

    fn signer(name: &str, seed: u8) -> NoteSigner {
        NoteSigner::new(name, SigningKey::from_bytes(&[seed; 32])).unwrap()
    }

    #[test]
    fn a_checkpoint_verifies_under_its_key_and_a_cosignature_under_the_witnesses() {
        let log = signer("gongjue/estate/e1", 1);
        let witness = signer("jwh.example/witness", 2);
        let note = sign_checkpoint("gongjue/estate/e1", 7, record_hash(b"x"), &log).unwrap();
        assert!(note.starts_with("gongjue/estate/e1\n7\n"), "{note}");
        let read = verify_checkpoint(&note, &[log.verifier_key()]).unwrap();
        assert_eq!((read.size, read.root), (7, record_hash(b"x")));
        let cosigned = cosign(&note, &witness).unwrap();
        let both =
            verify_checkpoint(&cosigned, &[log.verifier_key(), witness.verifier_key()]).unwrap();
        assert_eq!(both.signed_by.len(), 2);
        assert_eq!(
            signature_lines_of(&cosigned, "jwh.example/witness")
                .unwrap()
                .len(),
            1
        );
        // Another key's note, or a changed size, is refused.
        assert!(
            verify_checkpoint(&note, &[signer("gongjue/estate/e1", 3).verifier_key()]).is_err()
        );
        let forged = note.replacen("\n7\n", "\n8\n", 1);
        assert!(verify_checkpoint(&forged, &[log.verifier_key()]).is_err());
    }

    #[test]
    fn the_short_root_is_four_groups_of_four() {
        assert_eq!(
            short_root(&STANDARD.encode([0xab; 32])),
            "abab abab abab abab"
        );
    }
}
