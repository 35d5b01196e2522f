//! Ed25519 signing keys per estate. Generating keys and signing is the API's job; the store
//! keeps them, one active key per estate, and every retired key so old exports still verify.

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
    pub private_pem: String,
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

impl Store {
    /// Makes a new key the estate's active key, retiring the previous one, in one transaction.
    pub fn rotate_signing_key(
        &self,
        estate_id: &str,
        kid: &str,
        private_pem: &str,
        public_pem: &str,
        actor: &str,
    ) -> Result<SigningKey, StoreError> {
        let at = now();
        let key = SigningKey {
            id: new_id(),
            estate_id: estate_id.to_owned(),
            kid: kid.to_owned(),
            private_pem: private_pem.to_owned(),
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
    /// Every key of every estate, oldest first: the service's whole JWKS.
    pub fn all_signing_keys(&self) -> Result<Vec<SigningKey>, StoreError> {
        let mut conn = self.conn()?;
        Ok(signing_keys::table
            .order(signing_keys::id.asc())
            .select(SigningKey::as_select())
            .load(&mut *conn)?)
    }
}
