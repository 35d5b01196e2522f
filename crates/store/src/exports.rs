//! Signed exports of closed items, kept as first issued: the signature covers the SHA-256 of
//! exact bytes, so every later download must be those bytes, whatever a newer build of the
//! serialiser would write. Building and signing the export is the API's job.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::schema::exports;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = exports)]
pub struct Export {
    pub item_id: String,
    pub estate_id: String,
    /// The file name, `NAME.json`, without directory.
    pub name: String,
    /// The bundle, UTF-8 JSON, exactly as served.
    pub bundle: String,
    pub bundle_sha256: String,
    /// The compact JWS over the bundle's digest.
    pub jws: String,
    pub kid: String,
    pub created_at: String,
}

/// An export as told once stored: its bundle is not kept in memory (30 MB at a mega-estate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredExport {
    pub item_id: String,
    pub name: String,
    pub bundle_sha256: String,
    pub kid: String,
}

impl From<&Export> for StoredExport {
    fn from(export: &Export) -> StoredExport {
        StoredExport {
            item_id: export.item_id.clone(),
            name: export.name.clone(),
            bundle_sha256: export.bundle_sha256.clone(),
            kid: export.kid.clone(),
        }
    }
}

fn find(conn: &mut crate::AnyConnection, item_id: &str) -> Result<Option<Export>, StoreError> {
    Ok(exports::table
        .find(item_id)
        .select(Export::as_select())
        .first(conn)
        .optional()?)
}

impl Store {
    /// The stored export of an item, if it was exported before.
    pub fn export(&self, item_id: &str) -> Result<Option<Export>, StoreError> {
        self.read(|conn| find(conn, item_id))
    }

    /// Keeps an export and records it in the estate's audit chain. If another request stored
    /// one first, that one is returned and this one dropped: an item has one export, ever.
    pub fn save_export(&self, export: Export, actor: &str) -> Result<Export, StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, &export.estate_id)?;
            keep(conn, export, actor)
        })
    }
}

/// Stores an export with its audit entry inside the caller's transaction (the estate's chain
/// locked), unless the item has one already: that one is returned.
pub(crate) fn keep(
    conn: &mut crate::AnyConnection,
    export: Export,
    actor: &str,
) -> Result<Export, StoreError> {
    if let Some(existing) = find(conn, &export.item_id)? {
        return Ok(existing);
    }
    diesel::insert_into(exports::table)
        .values(&export)
        .execute(conn)?;
    audit::append(
        conn,
        NewAuditEntry {
            chain: export.estate_id.clone(),
            actor: actor.to_owned(),
            action: "item.exported".into(),
            subject: export.item_id.clone(),
            detail: serde_json::json!({ "name": export.name, "bundle_sha256": export.bundle_sha256, "kid": export.kid }),
        },
    )?;
    Ok(export)
}
