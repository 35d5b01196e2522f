//! The signature of an export: a compact JWS (a JWT, alg EdDSA, `kid` in the header) whose
//! claims carry the SHA-256 of the bundle's exact bytes. Any JWT library and `sha256sum`
//! check it; `gongjue verify` does both and recounts.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the service signs about one export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// Who issued it: `gongjue:estate:{estate id}`.
    pub iss: String,
    /// Seconds since the epoch, when the export was signed.
    pub iat: i64,
    /// Hex SHA-256 of the exact bytes of `NAME.json`.
    pub bundle_sha256: String,
    /// The decision (item) id, its assembly and estate.
    pub item: String,
    pub assembly: String,
    pub estate: String,
    /// The result's `outcome`; consultations have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The estate audit chain's head when the count was closed for good, i.e. the assembly's
    /// `publication.final` entry (after the objection period and its corrections): its
    /// sequence number and hash. A later rewrite of the log up to that point no longer ends at
    /// this hash.
    pub audit_seq_at_close: i64,
    pub audit_head_at_close: String,
    /// A trial estate's export (its bundle's title says so too); absent for a real one.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub trial: bool,
    /// The estate log's signed checkpoint (a C2SP signed note) made just before the final
    /// publication: it includes every ballot's `ballot.cast` entry (issue 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_checkpoint: Option<String>,
    /// Where each ballot's inclusion proof in the log is served, `{receipt}` to be replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_proofs: Option<String>,
    /// The witnesses that cosigned the newest witnessed checkpoint before the publication.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_witnesses: Vec<String>,
    /// The item's documents owners read (plans, quotes), each by name and SHA-256 (issue 19).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<DocumentClaim>,
    /// A later round of a consultation: the round it follows and that round's export hash
    /// (null if that round's result was never made final).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_round: Option<PreviousRoundClaim>,
}

/// The round an exported consultation follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviousRoundClaim {
    pub item: String,
    pub round: i64,
    pub bundle_sha256: Option<String>,
}

/// A document of the exported item, as the signature names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentClaim {
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, thiserror::Error)]
pub enum JwsError {
    #[error("the signature header cannot be read: {0}")]
    Header(String),
    #[error("the signature header has no kid")]
    NoKid,
    #[error("the signature uses alg {0:?}, not EdDSA")]
    Algorithm(Algorithm),
    #[error("the key {0} is not in the key set")]
    UnknownKid(String),
    #[error("the public key {kid} is unusable: {detail}")]
    BadKey { kid: String, detail: String },
    #[error("the key {kid} belongs to {key_issuer}, but the export claims issuer {claimed}")]
    WrongIssuer {
        kid: String,
        key_issuer: String,
        claimed: String,
    },
    #[error("the export claims issuer {iss} for estate {estate}")]
    IssuerEstate { iss: String, estate: String },
    #[error("the signature does not verify with key {kid}: {detail}")]
    Signature { kid: String, detail: String },
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Signs the claims with a PKCS#8 PEM private key, naming it by `kid`.
pub fn sign(claims: &Claims, private_pem: &str, kid: &str) -> Result<String, String> {
    use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
    // jsonwebtoken's own PEM reader needs its `use_pem` feature; ed25519-dalek reads the PEM
    // and hands it the PKCS#8 DER it signs with.
    let private =
        ed25519_dalek::SigningKey::from_pkcs8_pem(private_pem).map_err(|e| e.to_string())?;
    let der = private.to_pkcs8_der().map_err(|e| e.to_string())?;
    let key = EncodingKey::from_ed_der(der.as_bytes());
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &key).map_err(|e| e.to_string())
}

/// The `kid` a token names, after checking it claims EdDSA.
pub fn kid_of(token: &str) -> Result<String, JwsError> {
    let header =
        jsonwebtoken::decode_header(token.trim()).map_err(|e| JwsError::Header(e.to_string()))?;
    if header.alg != Algorithm::EdDSA {
        return Err(JwsError::Algorithm(header.alg));
    }
    header.kid.ok_or(JwsError::NoKid)
}

/// Checks the signature with the JWKS's key of that `kid` (`x`, base64url) and returns the
/// claims. Exports do not expire: no `exp` is required or checked.
pub fn verify(token: &str, jwks: &serde_json::Value) -> Result<(String, Claims), JwsError> {
    let kid = kid_of(token)?;
    let jwk = jwks
        .get("keys")
        .and_then(|k| k.as_array())
        .and_then(|keys| {
            keys.iter()
                .find(|k| k.get("kid").and_then(|v| v.as_str()) == Some(kid.as_str()))
        })
        .ok_or_else(|| JwsError::UnknownKid(kid.clone()))?;
    let bad_key = |detail: String| JwsError::BadKey {
        kid: kid.clone(),
        detail,
    };
    if jwk.get("kty").and_then(|v| v.as_str()) != Some("OKP")
        || jwk.get("crv").and_then(|v| v.as_str()) != Some("Ed25519")
    {
        return Err(bad_key("not an OKP Ed25519 key".into()));
    }
    let x = jwk
        .get("x")
        .and_then(|v| v.as_str())
        .ok_or_else(|| bad_key("no x".into()))?;
    let key = DecodingKey::from_ed_components(x).map_err(|e| bad_key(e.to_string()))?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    let data = jsonwebtoken::decode::<Claims>(token.trim(), &key, &validation).map_err(|e| {
        JwsError::Signature {
            kid: kid.clone(),
            detail: e.to_string(),
        }
    })?;
    let claims = data.claims;
    // A valid signature by another estate's key proves nothing about this estate's result.
    let key_issuer = jwk.get("iss").and_then(|v| v.as_str()).unwrap_or_default();
    if key_issuer != claims.iss {
        return Err(JwsError::WrongIssuer {
            kid,
            key_issuer: key_issuer.to_owned(),
            claimed: claims.iss,
        });
    }
    if claims.iss != crate::export::issuer(&claims.estate) {
        return Err(JwsError::IssuerEstate {
            iss: claims.iss,
            estate: claims.estate,
        });
    }
    Ok((kid, claims))
}
