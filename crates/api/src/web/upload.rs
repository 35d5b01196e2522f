//! A `multipart/form-data` form as the pages send files (the roster, documents): every field
//! read within the upload limit, the CSRF token checked before anything is done with them.

use actix_multipart::Multipart;
use futures_util::StreamExt;

use crate::error::ApiError;
use crate::i18n::Msg;
use crate::web::page::{CSRF_FIELD, Ctx};

/// One field: its name, the file's name if it is a file, and its bytes.
pub struct Part {
    pub name: String,
    pub filename: Option<String>,
    pub bytes: Vec<u8>,
}

/// The fields of a form whose CSRF token was checked.
pub struct Upload {
    pub parts: Vec<Part>,
}

impl Upload {
    /// Reads every field (each at most `limit` bytes), then checks the form's CSRF token.
    pub async fn read(ctx: &Ctx, mut payload: Multipart, limit: usize) -> Result<Upload, ApiError> {
        let mut parts = Vec::new();
        while let Some(field) = payload.next().await {
            let mut field = field.map_err(|e| ApiError::Body {
                msg: Msg::MalformedBody,
                detail: e.to_string(),
            })?;
            let name = field.name().unwrap_or_default().to_owned();
            let filename = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .map(str::to_owned);
            let bytes = field
                .bytes(limit)
                .await
                .map_err(|_| ApiError::Body {
                    msg: Msg::BodyTooLarge,
                    detail: format!("the limit is {limit} bytes"),
                })?
                .map_err(|e| ApiError::Body {
                    msg: Msg::MalformedBody,
                    detail: e.to_string(),
                })?;
            parts.push(Part {
                name,
                filename,
                bytes: bytes.to_vec(),
            });
        }
        let upload = Upload { parts };
        ctx.check_csrf(&[(CSRF_FIELD.to_owned(), upload.text(CSRF_FIELD))])?;
        Ok(upload)
    }

    /// The first field called `name`.
    pub fn part(&self, name: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.name == name)
    }

    /// A text field's value ("" when absent).
    pub fn text(&self, name: &str) -> String {
        self.part(name)
            .map(|p| String::from_utf8_lossy(&p.bytes).into_owned())
            .unwrap_or_default()
    }
}
