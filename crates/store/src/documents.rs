//! Documents of an item (issue 19): plans, quotes, budgets, drawings, as PDF or images. Staff add
//! and remove them while the assembly is a draft; once it is announced they are fixed (a new
//! version would be a new document, and the sheet is fixed too). Each is kept with its SHA-256,
//! written to the audit log when it is added, so that the log, the export and the printed notice
//! name exactly the bytes owners read.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::{draft_only, load_item};
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::{item_documents, items};
use crate::{Store, StoreError};

/// A document without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = item_documents)]
pub struct Document {
    pub id: String,
    pub item_id: String,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: String,
}

#[derive(Insertable)]
#[diesel(table_name = item_documents)]
struct NewRow<'a> {
    id: &'a str,
    item_id: &'a str,
    name: &'a str,
    content_type: &'a str,
    size: i64,
    sha256: &'a str,
    bytes: &'a [u8],
    uploaded_by: &'a str,
    uploaded_at: &'a str,
}

impl Store {
    /// Adds a document to an item of a draft assembly, audited with its hash. The caller has
    /// checked the name and the content type.
    pub fn add_document(
        &self,
        item_id: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
        actor: &str,
    ) -> Result<Document, StoreError> {
        let before = self.item(item_id)?;
        let estate_id = self.assembly(&before.assembly_id)?.estate_id;
        let size = i64::try_from(bytes.len())
            .map_err(|_| StoreError::Invalid("the document is too large".into()))?;
        let sha256 = audit::sha256_hex(bytes);
        let (id, at) = (new_id(), now());
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let item = load_item(conn, item_id)?;
            draft_only(conn, &item.assembly_id, "given documents")?;
            diesel::insert_into(item_documents::table)
                .values(&NewRow {
                    id: &id,
                    item_id,
                    name,
                    content_type,
                    size,
                    sha256: &sha256,
                    bytes,
                    uploaded_by: actor,
                    uploaded_at: &at,
                })
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "document.added".into(),
                    subject: id.clone(),
                    detail: serde_json::json!({
                        "item": item_id,
                        "name": name,
                        "content_type": content_type,
                        "size": size,
                        "sha256": sha256,
                    }),
                },
            )?;
            Ok(())
        })?;
        self.document(&id)
    }

    /// Removes a document of an item of a draft assembly, audited.
    pub fn remove_document(&self, id: &str, actor: &str) -> Result<(), StoreError> {
        let document = self.document(id)?;
        let item = self.item(&document.item_id)?;
        let estate_id = self.assembly(&item.assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            draft_only(conn, &item.assembly_id, "given documents")?;
            // A candidate whose photo it was keeps their entry, without the photo.
            diesel::update(
                crate::schema::candidates::table
                    .filter(crate::schema::candidates::photo_document.eq(id)),
            )
            .set(crate::schema::candidates::photo_document.eq(None::<String>))
            .execute(conn)?;
            diesel::delete(item_documents::table.find(id)).execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "document.removed".into(),
                    subject: id.to_owned(),
                    detail: serde_json::json!({
                        "item": document.item_id,
                        "name": document.name,
                        "sha256": document.sha256,
                    }),
                },
            )?;
            Ok(())
        })
    }

    pub fn document(&self, id: &str) -> Result<Document, StoreError> {
        let mut conn = self.conn()?;
        item_documents::table
            .find(id)
            .select(Document::as_select())
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("document {id}")))
    }

    /// A document's bytes.
    pub fn document_bytes(&self, id: &str) -> Result<Vec<u8>, StoreError> {
        let mut conn = self.conn()?;
        item_documents::table
            .find(id)
            .select(item_documents::bytes)
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("document {id}")))
    }

    /// An item's documents, oldest first.
    pub fn documents(&self, item_id: &str) -> Result<Vec<Document>, StoreError> {
        let mut conn = self.conn()?;
        Ok(item_documents::table
            .filter(item_documents::item_id.eq(item_id))
            .order((item_documents::uploaded_at.asc(), item_documents::id.asc()))
            .select(Document::as_select())
            .load(&mut *conn)?)
    }

    /// The documents of every item of an assembly, in sheet order then upload order.
    pub fn assembly_documents(&self, assembly_id: &str) -> Result<Vec<Document>, StoreError> {
        let mut conn = self.conn()?;
        Ok(item_documents::table
            .inner_join(items::table)
            .filter(items::assembly_id.eq(assembly_id))
            .order((
                items::position.asc(),
                item_documents::uploaded_at.asc(),
                item_documents::id.asc(),
            ))
            .select(Document::as_select())
            .load(&mut *conn)?)
    }
}
