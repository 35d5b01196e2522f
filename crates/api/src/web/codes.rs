//! Re-issuing voting codes (补发投票码): one staff member asks for a new code for an owner who
//! lost theirs, a different one confirms it from the queue, as paper ballots are confirmed.
//! Until then nothing changes. On confirmation the new code goes to the owner's e-mail
//! address (never shown here) or, for an owner without one, is shown once on a printable
//! sheet to the person who confirmed. Both steps are the JSON API's use cases
//! (`usecases::codes`), with the same checks.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::blocking::{db, run};
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;
use crate::usecases::codes::{
    CodeReissueRequest, confirm_reissue, pending_reissues, request_reissue,
};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page, field};
use crate::web::print::{SheetsPage, sheet_for, site};
use crate::web::staff::{staff_of, staff_writing};

struct Row {
    id: String,
    member: String,
    reason: String,
    asked_at: String,
    /// Asked by the signed-in staff member: they cannot confirm it.
    mine: bool,
}

#[derive(Template)]
#[template(path = "web/codes.html")]
struct CodesPage {
    p: Page,
    id: String,
    title: String,
    rows: Vec<Row>,
    notice: Option<&'static str>,
    error: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct Done {
    requested: Option<String>,
    emailed: Option<String>,
}

async fn page(
    ctx: &Ctx,
    id: String,
    notice: Option<&'static str>,
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let (title, rows) = db(ctx.state()?, {
        let id = id.clone();
        move |store| {
            let assembly = store.assembly(&id)?;
            staff.reads(&assembly.estate_id)?;
            let contacts = store.owner_contacts(&assembly.estate_id)?;
            let rows = pending_reissues(store, &staff, &id)?
                .into_iter()
                .map(|r| {
                    let name = contacts
                        .get(&r.voter)
                        .and_then(|c| c.name.clone())
                        .unwrap_or_default();
                    Row {
                        member: format!("{} {name} ({})", r.units.join("、"), r.voter),
                        reason: r.reason,
                        asked_at: local_time(&r.requested_at),
                        mine: r.requested_by == staff.user,
                        id: r.id,
                    }
                })
                .collect();
            Ok((assembly.title, rows))
        }
    })
    .await?;
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    ctx.html(
        status,
        &CodesPage {
            p: ctx.page(Msg::WebCodesTitle.text(ctx.lang)),
            id,
            title,
            rows,
            notice,
            error,
        },
    )
}

/// `GET /staff/assemblies/{id}/codes`: the request form and the re-issues waiting for a
/// second person.
pub async fn list(
    ctx: Ctx,
    path: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, ApiError> {
    let Done { requested, emailed } = query.into_inner();
    let notice = if emailed.is_some() {
        Some(Msg::WebCodesEmailed.text(ctx.lang))
    } else {
        requested.map(|_| Msg::WebCodesRequested.text(ctx.lang))
    };
    page(&ctx, path.into_inner(), notice, None).await
}

/// Asks for a re-issue: `member` is an owner id or a unit number; `reason` is required.
pub async fn request(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
    let member = field(&form, "member").unwrap_or_default().trim().to_owned();
    let reason = field(&form, "reason").unwrap_or_default().to_owned();
    let asked = {
        let id = id.clone();
        db(ctx.state()?, move |store| {
            let by_voter = CodeReissueRequest {
                voter: Some(member.clone()),
                unit: None,
                reason: reason.clone(),
            };
            match request_reissue(store, &staff, &id, by_voter) {
                // Not an owner id: the unit's member.
                Err(UseCaseError::Invalid { field, .. }) if field == "voter" => {
                    let by_unit = CodeReissueRequest {
                        voter: None,
                        unit: Some(member),
                        reason,
                    };
                    request_reissue(store, &staff, &id, by_unit)
                }
                other => other,
            }
        })
        .await
    };
    match asked {
        Ok(_) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}/codes?requested=1"))
            .finish()),
        Err(ApiError::UseCase(UseCaseError::Invalid { msg, field, detail })) => {
            let error = format!("{} ({field}: {detail})", msg.text(ctx.lang));
            page(&ctx, id, None, Some(error)).await
        }
        Err(other) => Err(other),
    }
}

/// Confirms a re-issue someone else asked for (the shared function refuses one's own). A code
/// e-mailed to the owner is not shown; a paper code is shown this once, on its sheet.
pub async fn confirm(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let (assembly, reissue) = path.into_inner();
    let staff = staff_writing(&ctx, &assembly).await?;
    let estate = staff.estate.clone();
    let confirmed = run(ctx.state()?, move |app| {
        confirm_reissue(app, &staff, &reissue)
    })
    .await?;
    let Some(code) = confirmed.code else {
        return Ok(ctx
            .redirect(&format!("/staff/assemblies/{assembly}/codes?emailed=1"))
            .finish());
    };
    let contacts = db(
        ctx.state()?,
        move |store| Ok(store.owner_contacts(&estate)?),
    )
    .await?;
    let sheet = sheet_for(
        &site(&ctx),
        &contacts,
        &confirmed.voter,
        &confirmed.units,
        Some(code),
    )?;
    SheetsPage::render(
        &ctx,
        confirmed.assembly_id,
        vec![sheet],
        Some(Msg::WebCodesPrintNow.text(ctx.lang)),
    )
    .await
}
