//! Signed exports of closed items, kept as first issued: the signature covers the SHA-256 of
//! exact bytes, so every later download must be those bytes, whatever a newer build of the
//! serialiser would write. Building and signing the export is the API's job.
//!
//! The bundle is kept in parts of [`PART_BYTES`] (`export_parts`): storing it reads its file a
//! part at a time and a download sends it a part at a time, so a 30 MB bundle is never whole
//! in the server's memory, nor bound as one parameter (issue 22).

use std::io::Read;

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::schema::{export_parts, exports};
use crate::{Store, StoreError};

/// The most bytes of a bundle one stored part holds (a part ends on a character boundary).
pub const PART_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = exports)]
pub struct Export {
    pub item_id: String,
    pub estate_id: String,
    /// The file name, `NAME.json`, without directory.
    pub name: String,
    pub bundle_sha256: String,
    /// The compact JWS over the bundle's digest.
    pub jws: String,
    pub kid: String,
    pub created_at: String,
    /// The bundle's size in bytes; the bundle itself is in `export_parts`.
    pub bundle_bytes: i64,
}

/// An export to store, with its bundle (UTF-8 JSON, exactly as it will be served) to be read
/// a part at a time, e.g. from the temporary file it was written to.
pub struct NewExport {
    pub export: Export,
    pub bundle: Box<dyn Read + Send>,
}

impl std::fmt::Debug for NewExport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewExport")
            .field("export", &self.export)
            .finish_non_exhaustive()
    }
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

    /// Part `seq` (from 0) of an item's stored bundle; `None` past its last. Each part is read
    /// on its own (no transaction held while a download is sent): a stored export never
    /// changes.
    pub fn export_part(&self, item_id: &str, seq: i32) -> Result<Option<String>, StoreError> {
        let mut conn = self.conn()?;
        Ok(export_parts::table
            .find((item_id, seq))
            .select(export_parts::part)
            .first(&mut *conn)
            .optional()?)
    }

    /// Keeps an export and records it in the estate's audit chain. If another request stored
    /// one first, that one is returned and this one dropped: an item has one export, ever.
    pub fn save_export(&self, export: NewExport, actor: &str) -> Result<Export, StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, &export.export.estate_id)?;
            keep(conn, export, actor)
        })
    }
}

/// Stores an export with its audit entry inside the caller's transaction (the estate's chain
/// locked), unless the item has one already: that one is returned.
pub(crate) fn keep(
    conn: &mut crate::AnyConnection,
    new: NewExport,
    actor: &str,
) -> Result<Export, StoreError> {
    let NewExport { export, bundle } = new;
    if let Some(existing) = find(conn, &export.item_id)? {
        return Ok(existing);
    }
    diesel::insert_into(exports::table)
        .values(&export)
        .execute(conn)?;
    let stored = store_parts(conn, &export.item_id, bundle)?;
    if stored != export.bundle_bytes {
        return Err(StoreError::Invalid(format!(
            "the bundle of {} has {stored} bytes, not the {} its export names",
            export.item_id, export.bundle_bytes
        )));
    }
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

/// Stores the bundle read from `bundle` as parts of at most [`PART_BYTES`], each ending on a
/// character boundary; returns how many bytes it stored. Refuses text that is not UTF-8.
fn store_parts(
    conn: &mut crate::AnyConnection,
    item_id: &str,
    mut bundle: Box<dyn Read + Send>,
) -> Result<i64, StoreError> {
    let unreadable = |e: std::io::Error| {
        StoreError::Unavailable(format!("reading the bundle of {item_id} to store it: {e}"))
    };
    let mut buffer = Vec::with_capacity(PART_BYTES);
    let (mut seq, mut stored, mut ended) = (0i32, 0i64, false);
    while !ended {
        // Fill the buffer (after what the last part carried over) or reach the end.
        let want = PART_BYTES - buffer.len();
        let read = (&mut bundle)
            .take(want as u64)
            .read_to_end(&mut buffer)
            .map_err(unreadable)?;
        ended = read < want;
        if buffer.is_empty() {
            break;
        }
        let not_utf8 = |valid_up_to: usize| {
            StoreError::Invalid(format!(
                "the bundle of {item_id} is not UTF-8 at byte {}",
                stored + valid_up_to as i64
            ))
        };
        let part = match std::str::from_utf8(&buffer) {
            Ok(text) => text,
            // A character cut at the part's end goes on in the next part.
            Err(e) if e.error_len().is_none() && !ended => {
                let valid = buffer.get(..e.valid_up_to()).unwrap_or_default();
                std::str::from_utf8(valid).map_err(|e| not_utf8(e.valid_up_to()))?
            }
            Err(e) => return Err(not_utf8(e.valid_up_to())),
        };
        let whole = part.len();
        diesel::insert_into(export_parts::table)
            .values((
                export_parts::item_id.eq(item_id),
                export_parts::seq.eq(seq),
                export_parts::part.eq(part),
            ))
            .execute(conn)?;
        stored += whole as i64;
        seq += 1;
        buffer.drain(..whole);
    }
    Ok(stored)
}
