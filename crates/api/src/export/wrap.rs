//! Private signing keys at rest (issue 17): the database holds each estate's private key only
//! wrapped, so neither the database nor a backup of it (`gongjue backup`, `pg_dump`) can sign.
//!
//! - **Key**: the wrapping key is derived from the server's secret file (an HMAC-SHA-256 of the
//!   label `gongjue/signing-key-wrap` under the secret, as `AppState::new` derives its other
//!   keys), so it lives outside the database, with the file the operator already keeps apart.
//! - **Cipher**: XChaCha20-Poly1305 (RustCrypto `chacha20poly1305`), a fresh random 24-byte
//!   nonce per wrap, the key's `kid` as associated data: a wrapped key moved to another row
//!   (another kid) does not unwrap.
//! - **Format**: [`WRAP_PREFIX`] then base64 of nonce ‖ ciphertext ‖ tag.
//!
//! Rows of earlier versions (plaintext PEM) are wrapped at the next start ([`secure_stored`]);
//! a key wrapped under another secret is reported by its kid, with what to do.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use gongjue_store::Store;
use gongjue_store::keys::{Rewrap, SigningKey};
use zeroize::Zeroizing;

pub use gongjue_store::keys::{WRAP_PREFIX, is_wrapped};

const LABEL: &[u8] = b"gongjue/signing-key-wrap";
const NONCE_LEN: usize = 24;

/// The key that wraps the private signing keys, derived from the server secret.
#[derive(Clone)]
pub struct KeyWrap {
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for KeyWrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyWrap(..)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WrapError {
    /// The key is not wrapped under this secret: another secret file, or a damaged row.
    #[error(
        "signing key {kid} cannot be unwrapped with this secret file (it was wrapped under another one, or the row is damaged)"
    )]
    WrongSecret { kid: String },
    #[error("no randomness for a nonce: {0}")]
    Random(String),
}

impl KeyWrap {
    /// The wrapping key of the server secret `secret` (the secret file's contents).
    pub fn from_secret(secret: &[u8]) -> KeyWrap {
        use hmac::Mac;
        let mut key = Zeroizing::new([0u8; 32]);
        if let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) {
            mac.update(LABEL);
            key.copy_from_slice(&mac.finalize().into_bytes());
        }
        KeyWrap { key }
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&(*self.key).into())
    }

    /// `private_pem` wrapped for the row of `kid`.
    pub fn wrap(&self, kid: &str, private_pem: &str) -> Result<String, WrapError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|e| WrapError::Random(e.to_string()))?;
        let sealed = self
            .cipher()
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: private_pem.as_bytes(),
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| WrapError::Random("encryption failed".into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{WRAP_PREFIX}{}", STANDARD.encode(bytes)))
    }

    /// The private PEM of the row of `kid` holding `stored` (wiped from memory when dropped).
    pub fn unwrap(&self, kid: &str, stored: &str) -> Result<Zeroizing<String>, WrapError> {
        let wrong = || WrapError::WrongSecret {
            kid: kid.to_owned(),
        };
        let bytes = stored
            .strip_prefix(WRAP_PREFIX)
            .and_then(|b64| STANDARD.decode(b64).ok())
            .ok_or_else(wrong)?;
        if bytes.len() <= NONCE_LEN {
            return Err(wrong());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| wrong())?;
        let plain = self
            .cipher()
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: sealed,
                    aad: kid.as_bytes(),
                },
            )
            .map_err(|_| wrong())?;
        String::from_utf8(plain)
            .map(Zeroizing::new)
            .map_err(|_| wrong())
    }

    /// The private PEM of a stored key: unwrapped, or as it is for a plaintext row of an
    /// earlier version not wrapped yet.
    pub fn private_pem(&self, key: &SigningKey) -> Result<Zeroizing<String>, WrapError> {
        if is_wrapped(&key.private_wrapped) {
            self.unwrap(&key.kid, &key.private_wrapped)
        } else {
            Ok(Zeroizing::new(key.private_wrapped.clone()))
        }
    }
}

/// A stored key that this secret cannot unwrap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub kid: String,
    pub estate: String,
    /// Active keys sign exports; a retired one is only published (its public half).
    pub active: bool,
}

/// What [`secure_stored`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Secured {
    /// Plaintext keys of an earlier version, now wrapped.
    pub wrapped: Vec<String>,
    /// Retired keys that this secret cannot unwrap (harmless: they no longer sign).
    pub unreadable_retired: Vec<Unreadable>,
}

#[derive(Debug, thiserror::Error)]
pub enum SecureError {
    /// An active key that this secret cannot unwrap: the process must not start with it.
    #[error("signing key {} of estate {} cannot be unwrapped with this secret file", .0.kid, .0.estate)]
    Unreadable(Unreadable),
    #[error(transparent)]
    Wrap(#[from] WrapError),
    #[error(transparent)]
    Store(#[from] gongjue_store::StoreError),
}

/// At start (`gongjue serve`, and every command given the secret file): checks that every
/// wrapped key unwraps with this secret, then wraps the plaintext rows of earlier versions, all
/// in one transaction (audited as `signing_keys.wrapped`; a second run finds nothing to do).
/// An active key that does not unwrap stops it before anything is written, unless it is the
/// key of the estate `tolerate` (which the caller is about to retire).
pub fn secure_stored(
    store: &Store,
    wrap: &KeyWrap,
    actor: &str,
    tolerate: Option<&str>,
) -> Result<Secured, SecureError> {
    // Two servers starting at once on one PostgreSQL: the second finds the rows changed
    // (a conflict, nothing written) and looks again.
    let mut tries = 0;
    loop {
        match secure_once(store, wrap, actor, tolerate) {
            Err(SecureError::Store(gongjue_store::StoreError::Conflict(_))) if tries < 3 => {
                tries += 1;
            }
            other => return other,
        }
    }
}

fn secure_once(
    store: &Store,
    wrap: &KeyWrap,
    actor: &str,
    tolerate: Option<&str>,
) -> Result<Secured, SecureError> {
    let keys = store.all_signing_keys()?;
    let mut secured = Secured::default();
    for key in keys.iter().filter(|k| is_wrapped(&k.private_wrapped)) {
        if wrap.unwrap(&key.kid, &key.private_wrapped).is_err() {
            let unreadable = Unreadable {
                kid: key.kid.clone(),
                estate: key.estate_id.clone(),
                active: key.retired_at.is_none(),
            };
            if unreadable.active && tolerate != Some(unreadable.estate.as_str()) {
                return Err(SecureError::Unreadable(unreadable));
            }
            if !unreadable.active {
                secured.unreadable_retired.push(unreadable);
            }
        }
    }
    let changes = keys
        .iter()
        .filter(|k| !is_wrapped(&k.private_wrapped))
        .map(|k| {
            Ok(Rewrap {
                kid: k.kid.clone(),
                from: k.private_wrapped.clone(),
                to: wrap.wrap(&k.kid, &k.private_wrapped)?,
            })
        })
        .collect::<Result<Vec<_>, WrapError>>()?;
    if !changes.is_empty() {
        store.rewrap_signing_keys(&changes, "signing_keys.wrapped", actor)?;
        secured.wrapped = changes.into_iter().map(|c| c.kid).collect();
    }
    Ok(secured)
}

/// What [`rewrap_all`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rewrapped {
    /// Keys now wrapped under the new secret.
    pub rewrapped: Vec<String>,
    /// Keys already wrapped under the new secret (a second run).
    pub already: Vec<String>,
    /// Retired keys neither secret unwraps, left as they are.
    pub unreadable_retired: Vec<Unreadable>,
}

/// `gongjue keys rewrap`: every key wrapped under `old` (or plaintext) wrapped again under
/// `new`, in one transaction (audited as `signing_keys.rewrapped`). A key already under `new`
/// is left alone, so the command may be run again; an active key neither secret unwraps stops
/// it before anything is written.
pub fn rewrap_all(
    store: &Store,
    old: &KeyWrap,
    new: &KeyWrap,
    actor: &str,
) -> Result<Rewrapped, SecureError> {
    let mut done = Rewrapped::default();
    let mut changes = Vec::new();
    for key in store.all_signing_keys()? {
        let pem = if is_wrapped(&key.private_wrapped) {
            if new.unwrap(&key.kid, &key.private_wrapped).is_ok() {
                done.already.push(key.kid);
                continue;
            }
            match old.unwrap(&key.kid, &key.private_wrapped) {
                Ok(pem) => pem,
                Err(_) => {
                    let unreadable = Unreadable {
                        kid: key.kid.clone(),
                        estate: key.estate_id.clone(),
                        active: key.retired_at.is_none(),
                    };
                    if unreadable.active {
                        return Err(SecureError::Unreadable(unreadable));
                    }
                    done.unreadable_retired.push(unreadable);
                    continue;
                }
            }
        } else {
            Zeroizing::new(key.private_wrapped.clone())
        };
        changes.push(Rewrap {
            to: new.wrap(&key.kid, &pem)?,
            from: key.private_wrapped,
            kid: key.kid,
        });
    }
    store.rewrap_signing_keys(&changes, "signing_keys.rewrapped", actor)?;
    done.rewrapped = changes.into_iter().map(|c| c.kid).collect();
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIGJ5dGVzIG9mIGEgdGVzdCBrZXkgbm90IGZvciB1c2U=\n-----END PRIVATE KEY-----\n";

    #[test]
    fn a_wrapped_key_unwraps_only_with_its_secret_and_its_kid() {
        let wrap = KeyWrap::from_secret(b"0123456789abcdef0123456789abcdef");
        let wrapped = wrap.wrap("ed25519-aa", PEM).unwrap();
        assert!(is_wrapped(&wrapped) && !wrapped.contains("PRIVATE KEY"));
        assert_eq!(wrap.unwrap("ed25519-aa", &wrapped).unwrap().as_str(), PEM);
        assert_ne!(
            wrap.wrap("ed25519-aa", PEM).unwrap(),
            wrapped,
            "a fresh nonce per wrap"
        );
        let other = KeyWrap::from_secret(b"fedcba9876543210fedcba9876543210");
        assert_eq!(
            other.unwrap("ed25519-aa", &wrapped),
            Err(WrapError::WrongSecret {
                kid: "ed25519-aa".into()
            })
        );
        assert!(
            wrap.unwrap("ed25519-bb", &wrapped).is_err(),
            "moved to another kid's row, it does not unwrap"
        );
        let mut flipped = wrapped.clone().into_bytes();
        let last = flipped.len() - 3;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        assert!(
            wrap.unwrap("ed25519-aa", &String::from_utf8(flipped).unwrap())
                .is_err(),
            "a changed byte does not unwrap"
        );
        assert!(
            wrap.unwrap("ed25519-aa", PEM).is_err(),
            "plaintext is not wrapped"
        );
        assert_eq!(format!("{wrap:?}"), "KeyWrap(..)");
    }
}
