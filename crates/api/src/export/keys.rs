//! The estates' Ed25519 signing keys: generated here (the store only keeps them), one active
//! per estate, and published with every retired one as a JWKS so that old exports still verify.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::{SigningKey as Ed25519Key, VerifyingKey};
use gongjue_store::Store;
use gongjue_store::keys::SigningKey;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use zeroize::Zeroizing;

use crate::export::wrap::KeyWrap;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;

/// A fresh key pair as PEM (PKCS#8 private, SPKI public) and its `kid`.
pub struct NewKey {
    pub kid: String,
    pub private_pem: String,
    pub public_pem: String,
}

/// A new key from the operating system's randomness. The `kid` is derived from the public key
/// (hex of its SHA-256, shortened), so it is unique across estates without coordination and
/// anyone can check that a published key and its `kid` belong together.
pub fn generate() -> Result<NewKey, UseCaseError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed)
        .map_err(|e| UseCaseError::Internal(format!("no randomness: {e}")))?;
    let key = Ed25519Key::from_bytes(&seed);
    let private_pem = key
        .to_pkcs8_pem(LineEnding::LF)
        .map_err(|e| UseCaseError::Internal(format!("encoding a key: {e}")))?;
    let public_pem = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .map_err(|e| UseCaseError::Internal(format!("encoding a key: {e}")))?;
    Ok(NewKey {
        kid: kid_of(&key.verifying_key()),
        private_pem: private_pem.to_string(),
        public_pem,
    })
}

fn kid_of(public: &VerifyingKey) -> String {
    let digest = format!("{:x}", Sha256::digest(public.as_bytes()));
    format!("ed25519-{}", digest.get(..16).unwrap_or(&digest))
}

/// Retires the estate's active key (if any) and makes a new one active, stored wrapped under
/// `wrap` (see `export::wrap`).
pub fn rotate(
    store: &Store,
    wrap: &KeyWrap,
    estate: &str,
    actor: &str,
) -> Result<SigningKey, UseCaseError> {
    let key = generate()?;
    let wrapped = wrap
        .wrap(&key.kid, &key.private_pem)
        .map_err(|e| UseCaseError::Internal(e.to_string()))?;
    Ok(store.rotate_signing_key(estate, &key.kid, &wrapped, &key.public_pem, actor)?)
}

/// A key ready to sign: its `kid` and private PEM, unwrapped in memory only (wiped on drop).
pub struct ReadyKey {
    pub kid: String,
    pub private_pem: Zeroizing<String>,
}

impl std::fmt::Debug for ReadyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadyKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The stored `key` unwrapped. A key this secret cannot unwrap (the database was moved under
/// another secret file while the server runs, say) is refused with `signing_key_unreadable`,
/// never a 500; the log names the key and what the operator must do.
pub fn ready(wrap: &KeyWrap, key: &SigningKey) -> Result<ReadyKey, UseCaseError> {
    match wrap.private_pem(key) {
        Ok(private_pem) => Ok(ReadyKey {
            kid: key.kid.clone(),
            private_pem,
        }),
        Err(e) => {
            tracing::error!(kid = %key.kid, estate = %key.estate_id, error = %e, "cannot sign: start the server with the secret file the database's keys were wrapped under, or retire the key with `gongjue keys rotate --estate ESTATE --replace-unreadable`");
            Err(UseCaseError::Rule(Msg::SigningKeyUnreadable))
        }
    }
}

/// The estate's active key, generated on first use, ready to sign.
pub fn active(
    store: &Store,
    wrap: &KeyWrap,
    estate: &str,
    actor: &str,
) -> Result<ReadyKey, UseCaseError> {
    let key = match store.active_signing_key(estate)? {
        Some(key) => key,
        None => rotate(store, wrap, estate, actor)?,
    };
    ready(wrap, &key)
}

/// One public key as a JWK (RFC 8037: `kty` OKP, `crv` Ed25519, `x` the raw key, base64url).
pub fn jwk(key: &SigningKey) -> Result<Value, UseCaseError> {
    let public = VerifyingKey::from_public_key_pem(&key.public_pem).map_err(|e| {
        UseCaseError::Internal(format!(
            "stored public key {} does not decode: {e}",
            key.kid
        ))
    })?;
    Ok(json!({
        "kty": "OKP",
        "crv": "Ed25519",
        "alg": "EdDSA",
        "use": "sig",
        "kid": key.kid,
        "x": URL_SAFE_NO_PAD.encode(public.as_bytes()),
        // The estate whose key this is (a private JWK member, RFC 7517 §4): one JWKS serves
        // every estate, so a verifier must check the key belongs to the export's issuer.
        "iss": crate::export::issuer(&key.estate_id),
    }))
}

/// A JWKS (`{"keys": [...]}`) of the given keys, active and retired alike.
pub fn jwks(keys: &[SigningKey]) -> Result<Value, UseCaseError> {
    let keys = keys.iter().map(jwk).collect::<Result<Vec<_>, _>>()?;
    Ok(json!({ "keys": keys }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_signs_what_its_public_half_verifies() {
        use ed25519_dalek::pkcs8::DecodePrivateKey;
        use ed25519_dalek::{Signer, Verifier};
        let new = generate().unwrap();
        let private = Ed25519Key::from_pkcs8_pem(&new.private_pem).unwrap();
        let public = VerifyingKey::from_public_key_pem(&new.public_pem).unwrap();
        let signature = private.sign(b"bundle");
        assert!(public.verify(b"bundle", &signature).is_ok());
        assert!(public.verify(b"bundlf", &signature).is_err());
        assert_eq!(new.kid, kid_of(&public));
        assert_ne!(generate().unwrap().kid, new.kid, "two keys, two kids");
    }
}
