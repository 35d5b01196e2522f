//! File downloads that both the JSON API (`routes`) and the pages (`web`) answer: an item's
//! signed bundle and its signature, the announcement as CSV or as a printable page, and an
//! item's documents. Part of
//! the HTTP edge, outside both adapters so that neither borrows from the other; what is
//! downloaded comes from the use cases (`crate::usecases::{exports, publication}`).

use actix_web::body::SizedStream;
use actix_web::http::header::{
    CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ContentDisposition,
    DispositionParam, DispositionType,
};
use actix_web::{HttpResponse, web};
use gongjue_store::Store;
use gongjue_store::documents::Document;
use gongjue_store::exports::Export;

use crate::error::ApiError;
use crate::publication::announcement::Announcement;
use crate::usecases::UseCaseError;

/// The bundle `NAME.json`, byte for byte the file the signature covers, sent a stored part at
/// a time: a 30 MB bundle is never whole in the server's memory (issue 22).
pub fn bundle_download(store: Store, e: Export) -> HttpResponse {
    let size = u64::try_from(e.bundle_bytes).unwrap_or(0);
    let item = e.item_id;
    let parts = futures_util::stream::try_unfold(0i32, move |seq| {
        let (store, item) = (store.clone(), item.clone());
        async move {
            let part = web::block(move || store.export_part(&item, seq))
                .await
                .map_err(std::io::Error::other)?
                .map_err(std::io::Error::other)?;
            Ok::<_, std::io::Error>(part.map(|text| (web::Bytes::from(text), seq + 1)))
        }
    });
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/json"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", e.name),
        ))
        .body(SizedStream::new(size, parts))
}

/// The compact JWS `NAME.json.jws` over the bundle's SHA-256.
pub fn signature_download(e: Export) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/jose"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.jws\"", e.name),
        ))
        .body(e.jws)
}

/// The announcement of assembly `id` as a CSV download (UTF-8 with a BOM, for spreadsheet
/// programs).
pub fn announcement_csv_download(a: &Announcement, id: &str) -> Result<HttpResponse, ApiError> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(a.csv().map_err(|e| UseCaseError::Internal(e.to_string()))?);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"announcement-{id}.csv\""),
        ))
        .body(bytes))
}

/// The announcement as a printable A4 page.
pub fn announcement_html_page(a: &Announcement) -> Result<HttpResponse, ApiError> {
    let html = a
        .html()
        .map_err(|e| UseCaseError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(html))
}

/// The response carrying a document: its recognised type, shown in the browser (inline) under
/// its name, with a policy that runs nothing in it.
pub fn document_response(document: &Document, bytes: Vec<u8>) -> HttpResponse {
    let extension = match document.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        "image/jpeg" => "jpg",
        _ => "webp",
    };
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, document.content_type.clone()))
        .insert_header((
            CONTENT_DISPOSITION,
            ContentDisposition {
                disposition: DispositionType::Inline,
                parameters: vec![DispositionParam::FilenameExt(
                    actix_web::http::header::ExtendedValue {
                        charset: actix_web::http::header::Charset::Ext("UTF-8".into()),
                        language_tag: None,
                        value: format!("{}.{extension}", document.name).into_bytes(),
                    },
                )],
            },
        ))
        .insert_header((
            CONTENT_SECURITY_POLICY,
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'",
        ))
        .body(bytes)
}
