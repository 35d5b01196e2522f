//! Ed25519 signing keys per estate. Generating keys and signing is the API's job; the store
//! keeps them, one active key per estate, and every retired key so old exports still verify.
//!
//! The private half is stored wrapped (encrypted and authenticated under a key derived from the
//! server's secret file, which is not in the database; see `gongjue_api::export::wrap`): the
//! store refuses to write a private key that is not, so neither the database nor a backup of it
//! holds one in plaintext. Rows of earlier versions hold a PEM until they are wrapped in place
//! ([`Store::rewrap_signing_keys`]).

use diesel::prelude::*;

use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::signing_keys;
use crate::{Store, StoreError};

#[derive(Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub struct SigningKey {
    pub id: String,
    pub estate_id: String,
    /// The JWS `kid`, unique across estates.
    pub kid: String,
    /// The private key, wrapped: [`WRAP_PREFIX`] then base64 of nonce and ciphertext. (A row
    /// of a version before issue 17 holds a PEM until it is wrapped.)
    pub private_wrapped: String,
    pub public_pem: String,
    pub created_at: String,
    pub retired_at: Option<String>,
}

impl std::fmt::Debug for SigningKey {
    /// Never prints the private key (logs end up in places keys must not).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("estate_id", &self.estate_id)
            .field("kid", &self.kid)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

/// How a wrapped private key begins (version 1: XChaCha20-Poly1305, the `kid` as associated
/// data). Anything else in `private_wrapped` is a plaintext key of an earlier version.
pub const WRAP_PREFIX: &str = "gongjue-wrapped-v1:";

/// Whether a stored private key is wrapped (not plaintext).
pub fn is_wrapped(stored: &str) -> bool {
    stored.starts_with(WRAP_PREFIX)
}

fn must_be_wrapped(kid: &str, stored: &str) -> Result<(), StoreError> {
    if is_wrapped(stored) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "the private half of signing key {kid} must be wrapped before it is stored"
        )))
    }
}

/// One key's private half re-written: `from` (what the row holds now) becomes `to`.
#[derive(Clone, PartialEq, Eq)]
pub struct Rewrap {
    pub kid: String,
    pub from: String,
    pub to: String,
}

impl std::fmt::Debug for Rewrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rewrap")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Makes a new key the estate's active key, retiring the previous one, in one transaction.
    /// `private_wrapped` must be wrapped ([`is_wrapped`]).
    pub fn rotate_signing_key(
        &self,
        estate_id: &str,
        kid: &str,
        private_wrapped: &str,
        public_pem: &str,
        actor: &str,
    ) -> Result<SigningKey, StoreError> {
        must_be_wrapped(kid, private_wrapped)?;
        let at = now();
        let key = SigningKey {
            id: new_id(),
            estate_id: estate_id.to_owned(),
            kid: kid.to_owned(),
            private_wrapped: private_wrapped.to_owned(),
            public_pem: public_pem.to_owned(),
            created_at: at.clone(),
            retired_at: None,
        };
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            let retired: Vec<String> = signing_keys::table
                .filter(signing_keys::estate_id.eq(estate_id))
                .filter(signing_keys::retired_at.is_null())
                .select(signing_keys::kid)
                .load(conn)?;
            diesel::update(
                signing_keys::table
                    .filter(signing_keys::estate_id.eq(estate_id))
                    .filter(signing_keys::retired_at.is_null()),
            )
            .set(signing_keys::retired_at.eq(&at))
            .execute(conn)?;
            diesel::insert_into(signing_keys::table)
                .values(&key)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: actor.to_owned(),
                    action: "key.rotated".into(),
                    subject: key.kid.clone(),
                    detail: serde_json::json!({ "retired": retired, "public_pem": key.public_pem }),
                },
            )?;
            Ok(())
        })?;
        Ok(key)
    }

    pub fn active_signing_key(&self, estate_id: &str) -> Result<Option<SigningKey>, StoreError> {
        let mut conn = self.conn()?;
        Ok(signing_keys::table
            .filter(signing_keys::estate_id.eq(estate_id))
            .filter(signing_keys::retired_at.is_null())
            .select(SigningKey::as_select())
            .first(&mut *conn)
            .optional()?)
    }

    /// Every key of the estate, active and retired, oldest first (for the JWKS).
    pub fn signing_keys(&self, estate_id: &str) -> Result<Vec<SigningKey>, StoreError> {
        let mut conn = self.conn()?;
        Ok(signing_keys::table
            .filter(signing_keys::estate_id.eq(estate_id))
            .order(signing_keys::id.asc())
            .select(SigningKey::as_select())
            .load(&mut *conn)?)
    }
}

impl Store {
    /// Re-writes the private halves of several keys in one transaction: plaintext rows of an
    /// earlier version wrapped, or every key re-wrapped under a new secret. Each row changes
    /// only if it still holds `from` (else nothing changes: `Conflict`, as when two processes
    /// wrap at once; running again finds the work done). Every `to` must be wrapped. The
    /// change is audited in the `system` chain as `action` with the kids (never key material).
    pub fn rewrap_signing_keys(
        &self,
        changes: &[Rewrap],
        action: &str,
        actor: &str,
    ) -> Result<usize, StoreError> {
        if changes.is_empty() {
            return Ok(0);
        }
        for change in changes {
            must_be_wrapped(&change.kid, &change.to)?;
        }
        self.write(|conn| {
            audit::lock_chain(conn, audit::SYSTEM_CHAIN)?;
            for change in changes {
                let n = diesel::update(
                    signing_keys::table
                        .filter(signing_keys::kid.eq(&change.kid))
                        .filter(signing_keys::private_wrapped.eq(&change.from)),
                )
                .set(signing_keys::private_wrapped.eq(&change.to))
                .execute(conn)?;
                if n != 1 {
                    return Err(StoreError::Conflict(format!(
                        "signing key {} changed meanwhile; nothing was re-written",
                        change.kid
                    )));
                }
            }
            let kids: Vec<&str> = changes.iter().map(|c| c.kid.as_str()).collect();
            audit::append(
                conn,
                NewAuditEntry {
                    chain: audit::SYSTEM_CHAIN.into(),
                    actor: actor.to_owned(),
                    action: action.to_owned(),
                    subject: "signing_keys".into(),
                    detail: serde_json::json!({ "kids": kids }),
                },
            )?;
            Ok(changes.len())
        })
    }

    /// Every key of every estate, oldest first: the service's whole JWKS.
    pub fn all_signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        let mut conn = self.conn()?;
        Ok(signing_keys::table
            .order(signing_keys::id.asc())
            .select(SigningKey::as_select())
            .load(&mut *conn)?)
    }
}
