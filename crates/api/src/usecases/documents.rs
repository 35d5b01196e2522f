//! Documents of an item (issue 19): the plans, quotes, budgets and drawings owners need in front
//! of them. Staff add them while the assembly is a draft; announcing fixes them with the sheet.
//! Only PDF and images are kept, recognised by their bytes (never by the name or the declared
//! type), at most `MAX_DOCUMENT_BYTES` each; each is served with its own type, never as HTML.
//! Once the assembly is announced a document is as public as the notice that points to it (by
//! a QR code); before, only the estate's staff read it.

use gongjue_store::Store;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::documents::Document;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::usecases::setup::readable_item;
use crate::usecases::{Caller, StaffCaller, UseCaseError};

/// The largest document kept: a scanned drawing or a quote of several pages fits.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// The types kept, as recognised from the bytes.
const ALLOWED_TYPES: [&str; 4] = ["application/pdf", "image/png", "image/jpeg", "image/webp"];

/// Longest document name.
const MAX_NAME_CHARS: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub item: String,
    pub name: String,
    /// `application/pdf`, `image/png`, `image/jpeg` or `image/webp`, from the bytes.
    pub content_type: String,
    pub size: i64,
    /// Lower-case hex SHA-256 of the bytes, as the audit log, the export and the notice give it.
    pub sha256: String,
    #[schema(format = DateTime)]
    pub uploaded_at: String,
    /// Where owners read it (the notice's QR code points here).
    pub url: String,
}

impl From<Document> for DocumentOut {
    fn from(d: Document) -> Self {
        DocumentOut {
            url: document_path(&d.id),
            id: d.id,
            item: d.item_id,
            name: d.name,
            content_type: d.content_type,
            size: d.size,
            sha256: d.sha256,
            uploaded_at: d.uploaded_at,
        }
    }
}

/// The page address of a document (the site's, not the API's: a phone opens it from a QR code).
pub fn document_path(id: &str) -> String {
    format!("/documents/{id}")
}

fn check_name(name: &str) -> Result<String, UseCaseError> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0
        || length > MAX_NAME_CHARS
        || name
            .chars()
            .any(|c| c.is_control() || c == '/' || c == '\\')
    {
        return Err(UseCaseError::invalid(
            "name",
            format!("a document needs a name of 1 to {MAX_NAME_CHARS} characters, without / or \\"),
        ));
    }
    Ok(name.to_owned())
}

/// The type of `bytes` if it is one kept; else refused naming `file`.
fn check_type(bytes: &[u8]) -> Result<&'static str, UseCaseError> {
    if bytes.is_empty() {
        return Err(UseCaseError::invalid("file", "the file is empty"));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(UseCaseError::invalid(
            "file",
            format!(
                "{} bytes: a document may have at most {MAX_DOCUMENT_BYTES} bytes (10 MiB)",
                bytes.len()
            ),
        ));
    }
    infer::get(bytes)
        .map(|kind| kind.mime_type())
        .and_then(|mime| ALLOWED_TYPES.iter().copied().find(|t| *t == mime))
        .ok_or_else(|| UseCaseError::Invalid {
            msg: Msg::DocumentType,
            field: "file".into(),
            detail: "a PDF, PNG, JPEG or WebP file (recognised from its content)".into(),
        })
}

/// The item of a change to its documents, for staff who write its estate, while its assembly is
/// a draft (`documents_fixed` naming the state otherwise).
fn draft_item(store: &Store, staff: &StaffCaller, item_id: &str) -> Result<(), UseCaseError> {
    let (assembly, _) = readable_item(store, &Caller::Staff(staff.clone()), item_id)?;
    staff.writes(&assembly.estate_id)?;
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(UseCaseError::RuleInState {
            msg: Msg::DocumentsFixed,
            state: assembly.state,
        });
    }
    Ok(())
}

/// The store's refusal when the assembly was announced meanwhile.
fn fixed(error: gongjue_store::StoreError) -> UseCaseError {
    match error {
        gongjue_store::StoreError::Conflict(why) if why.starts_with("assembly is ") => {
            UseCaseError::Rule(Msg::DocumentsFixed)
        }
        other => other.into(),
    }
}

/// Adds a document to an item of a draft assembly (secretaries and admins), audited.
pub fn add(
    store: &Store,
    staff: &StaffCaller,
    item_id: &str,
    name: &str,
    bytes: &[u8],
) -> Result<DocumentOut, UseCaseError> {
    draft_item(store, staff, item_id)?;
    let name = check_name(name)?;
    let content_type = check_type(bytes)?;
    Ok(store
        .add_document(item_id, &name, content_type, bytes, &staff.actor())
        .map_err(fixed)?
        .into())
}

/// Removes a document while the assembly is a draft, audited.
pub fn remove(store: &Store, staff: &StaffCaller, id: &str) -> Result<(), UseCaseError> {
    let document = store.document(id)?;
    draft_item(store, staff, &document.item_id)?;
    store.remove_document(id, &staff.actor()).map_err(fixed)
}

/// An item's documents (staff of the estate, owners of the assembly).
pub fn list(
    store: &Store,
    caller: &Caller,
    item_id: &str,
) -> Result<Vec<DocumentOut>, UseCaseError> {
    readable_item(store, caller, item_id)?;
    Ok(store
        .documents(item_id)?
        .into_iter()
        .map(DocumentOut::from)
        .collect())
}

/// A document and its bytes: anyone's once the assembly is announced (the notice is public),
/// only the estate's staff before. Unknown and not-yet-public documents are both "not found".
pub fn content(
    store: &Store,
    staff: Option<&StaffCaller>,
    id: &str,
) -> Result<(Document, Vec<u8>), UseCaseError> {
    let document = store.document(id)?;
    let item = store.item(&document.item_id)?;
    let assembly = store.assembly(&item.assembly_id)?;
    let public = assembly.state != AssemblyState::Draft.as_str();
    if !public && staff.is_none_or(|s| s.reads(&assembly.estate_id).is_err()) {
        return Err(gongjue_store::StoreError::NotFound(format!("document {id}")).into());
    }
    let bytes = store.document_bytes(id)?;
    Ok((document, bytes))
}
