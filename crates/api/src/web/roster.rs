//! The roster page: upload the owner roster (CSV or XLSX) and read the import report, every
//! error with its line and column. The import is the use case the JSON route calls
//! (`crate::usecases::roster`); a roster with errors stores nothing.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use futures_util::StreamExt;
use gongjue_store::StoreError;

use crate::app::BodyLimits;
use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;
use crate::usecases::roster::{self, ImportReportOut, Note, RosterSummary, issue_notes};
use crate::web::page::{CSRF_FIELD, Ctx, Page};
use crate::web::staff::staff_of;

#[derive(Template)]
#[template(path = "web/roster.html")]
struct RosterPage {
    p: Page,
    units: i64,
    version: i64,
    report: Option<ImportReportOut>,
    errors: Vec<Note>,
    error: Option<String>,
}

async fn current(ctx: &Ctx) -> Result<(i64, i64), ApiError> {
    let staff = staff_of(ctx).await?;
    let RosterSummary { version, units } = db(ctx.state()?, move |store| {
        roster::current_roster(store, &staff)
    })
    .await?;
    Ok((version, units))
}

pub async fn form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let (version, units) = current(&ctx).await?;
    ctx.ok(&RosterPage {
        p: ctx.page(Msg::WebRosterTitle.text(ctx.lang)),
        units,
        version,
        report: None,
        errors: vec![],
        error: None,
    })
}

/// The upload: a `csrf` field and a `file` field, within the upload limit.
pub async fn upload(
    ctx: Ctx,
    limits: web::Data<BodyLimits>,
    mut payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let mut csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| ApiError::Body {
            msg: Msg::MalformedBody,
            detail: e.to_string(),
        })?;
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes(limits.upload_bytes)
            .await
            .map_err(|_| ApiError::Body {
                msg: Msg::BodyTooLarge,
                detail: format!("the limit is {} bytes", limits.upload_bytes),
            })?
            .map_err(|e| ApiError::Body {
                msg: Msg::MalformedBody,
                detail: e.to_string(),
            })?;
        match name.as_str() {
            CSRF_FIELD => csrf = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => {
                let filename = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .unwrap_or("roster")
                    .to_owned();
                file = Some((filename, bytes.to_vec()));
            }
            _ => {}
        }
    }
    ctx.check_csrf(&[(CSRF_FIELD.to_owned(), csrf)])?;
    let lang = ctx.lang;
    let page = |report, errors, error| async {
        let (version, units) = current(&ctx).await?;
        Ok::<_, ApiError>(RosterPage {
            p: ctx.page(Msg::WebRosterTitle.text(lang)),
            units,
            version,
            report,
            errors,
            error,
        })
    };
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let page = page(None, vec![], Some(Msg::WebNoFile.text(lang).to_owned())).await?;
        return ctx.html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let outcome = db(ctx.state()?, move |store| {
        match roster::import_roster(store, &staff, &staff.estate, &filename, &bytes, lang) {
            Ok(report) => Ok(Ok(report)),
            Err(UseCaseError::Store(StoreError::RosterInvalid(issues))) => Ok(Err(issues)),
            Err(other) => Err(other),
        }
    })
    .await?;
    match outcome {
        Ok(report) => {
            let page = page(Some(report), vec![], None).await?;
            ctx.ok(&page)
        }
        Err(issues) => {
            let errors = issue_notes(&issues, lang);
            let page = page(None, errors, Some(Msg::RosterInvalid.text(lang).to_owned())).await?;
            ctx.html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
