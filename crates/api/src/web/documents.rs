//! Documents on the pages (issue 19): read at `/documents/{id}` (public once announced, as the
//! notice whose QR code points there), listed under each item for owners and on the notice, and
//! added or removed on the setup page while the assembly is a draft.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};

use crate::app::BodyLimits;
use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::usecases::UseCaseError;
use crate::usecases::documents::{self, DocumentOut};
use crate::web::page::{Ctx, Form};
use crate::web::staff::staff_of;
use crate::web::upload::Upload;

/// A document as a page lists it.
pub struct DocLine {
    pub id: String,
    /// "电梯更新报价单（PDF，1.2 MiB）".
    pub words: String,
    pub url: String,
    pub sha256: String,
}

impl DocLine {
    pub fn of(document: &DocumentOut, lang: Lang) -> DocLine {
        let kind = match document.content_type.as_str() {
            "application/pdf" => "PDF",
            "image/png" => "PNG",
            "image/jpeg" => "JPEG",
            _ => "WebP",
        };
        let size = bytesize::ByteSize::b(u64::try_from(document.size).unwrap_or(0)).to_string();
        DocLine {
            id: document.id.clone(),
            words: Msg::WebDocumentLine.text_with(
                lang,
                &[
                    ("name", document.name.as_str().into()),
                    ("kind", kind.into()),
                    ("size", size.as_str().into()),
                ],
            ),
            url: document.url.clone(),
            sha256: document.sha256.clone(),
        }
    }
}

/// `GET /documents/{id}`: the document itself, for anyone once its assembly is announced; the
/// estate's staff (signed in) before.
pub async fn content(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await.ok();
    let id = path.into_inner();
    let (document, bytes) = db(ctx.state()?, move |store| {
        documents::content(store, staff.as_ref(), &id)
    })
    .await?;
    Ok(crate::downloads::document_response(&document, bytes))
}

/// `POST /staff/items/{id}/documents`: a `name` and a `file`. A refusal is shown on the setup
/// page, naming what to fix.
pub async fn add(
    ctx: Ctx,
    path: web::Path<String>,
    limits: web::Data<BodyLimits>,
    payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let upload = Upload::read(&ctx, payload, limits.upload_bytes).await?;
    let item = path.into_inner();
    let name = upload.text("name");
    let bytes = upload
        .part("file")
        .map(|p| p.bytes.clone())
        .unwrap_or_default();
    let assembly = {
        let item = item.clone();
        let staff = staff.clone();
        db(ctx.state()?, move |store| {
            Ok(crate::usecases::setup::readable_item(
                store,
                &crate::usecases::Caller::Staff(staff),
                &item,
            )?
            .0
            .id)
        })
        .await?
    };
    let added = db(ctx.state()?, move |store| {
        documents::add(store, &staff, &item, &name, &bytes)
    })
    .await;
    match added {
        Ok(_) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{assembly}/setup#documents"))
            .finish()),
        Err(ApiError::UseCase(UseCaseError::Invalid { msg, field, .. })) => {
            let label = if field == "name" {
                Msg::WebDocumentName
            } else {
                Msg::WebDocumentFile
            };
            crate::web::setup::refused_form(&ctx, assembly, label, msg).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /staff/documents/{id}/remove`, while the assembly is a draft.
pub async fn remove(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let assembly = db(ctx.state()?, move |store| {
        let document = store.document(&id)?;
        let assembly = store.item(&document.item_id)?.assembly_id;
        documents::remove(store, &staff, &id)?;
        Ok(assembly)
    })
    .await?;
    Ok(ctx
        .redirect(&format!("/staff/assemblies/{assembly}/setup#documents"))
        .finish())
}
