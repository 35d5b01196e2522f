//! The roster page: upload the owner roster (CSV or XLSX) and read the import report, every
//! error with its line and column. The import is the use case the JSON route calls
//! (`crate::usecases::roster`); a roster with errors stores nothing.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use gongjue_store::StoreError;

use crate::app::BodyLimits;
use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;
use crate::usecases::roster::{
    self, ImportReportOut, IssueGroup, Note, issue_groups, issue_notes, limited,
};
use crate::web::dashboard::{grouped, grouped_area};
use crate::web::page::{Ctx, Page};
use crate::web::staff::staff_of;
use crate::web::upload::Upload;

#[derive(Template)]
#[template(path = "web/roster.html")]
struct RosterPage {
    p: Page,
    units: i64,
    version: i64,
    counts: Option<Counts>,
    report: Option<ImportReportOut>,
    /// The report's changes since the previous version, each list limited ("and N more").
    changes: Vec<(String, usize, String)>,
    /// Skipped lines and warnings of an import, or the errors of a refused file, by kind.
    groups: Vec<IssueGroup>,
    errors: Vec<Note>,
    error: Option<String>,
}

/// The current roster in figures, as the page shows them.
struct Counts {
    units: String,
    members: String,
    developer_units: String,
    with_email: String,
    with_phone: String,
    total_area: String,
    no_email: Option<String>,
}

/// How many unit numbers a change list names before "and N more".
const UNITS_SHOWN: usize = 30;

async fn current(ctx: &Ctx) -> Result<(i64, i64, Option<Counts>), ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let counts = db(ctx.state()?, move |store| {
        roster::roster_counts(store, &staff)
    })
    .await?;
    let summary = counts.as_ref().map_or((0, 0), |c| {
        (c.version, i64::try_from(c.units).unwrap_or(i64::MAX))
    });
    let counts = counts.map(|c| Counts {
        units: grouped(c.units),
        members: grouped(c.members),
        developer_units: grouped(c.developer_units),
        with_email: grouped(c.members_with_email),
        with_phone: grouped(c.members_with_phone),
        total_area: grouped_area(c.total_area.cents()),
        no_email: (c.members > c.members_with_email).then(|| {
            Msg::WebRosterNoEmail.text_with(
                lang,
                &[("n", (&grouped(c.members - c.members_with_email)).into())],
            )
        }),
    });
    Ok((summary.0, summary.1, counts))
}

pub async fn form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let (version, units, counts) = current(&ctx).await?;
    ctx.ok(&RosterPage {
        p: ctx.page(Msg::WebRosterTitle.text(ctx.lang)),
        units,
        version,
        counts,
        report: None,
        changes: vec![],
        groups: vec![],
        errors: vec![],
        error: None,
    })
}

/// The upload: a `csrf` field and a `file` field, within the upload limit.
pub async fn upload(
    ctx: Ctx,
    limits: web::Data<BodyLimits>,
    payload: Multipart,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let upload = Upload::read(&ctx, payload, limits.upload_bytes).await?;
    let file = upload.part("file").map(|p| {
        (
            p.filename.clone().unwrap_or_else(|| "roster".to_owned()),
            p.bytes.clone(),
        )
    });
    let lang = ctx.lang;
    let page = |report: Option<ImportReportOut>, groups, errors, error| async {
        let (version, units, counts) = current(&ctx).await?;
        let changes = report.as_ref().map_or_else(Vec::new, |r| {
            let changed: Vec<String> = r.changed.iter().map(|c| c.unit.clone()).collect();
            [
                (Msg::WebAdded, &r.added),
                (Msg::WebRemoved, &r.removed),
                (Msg::WebChanged, &changed),
            ]
            .into_iter()
            .filter(|(_, list)| !list.is_empty())
            .map(|(msg, list)| {
                (
                    msg.text(lang).to_owned(),
                    list.len(),
                    limited(list, UNITS_SHOWN, lang),
                )
            })
            .collect()
        });
        Ok::<_, ApiError>(RosterPage {
            p: ctx.page(Msg::WebRosterTitle.text(lang)),
            units,
            version,
            counts,
            report,
            changes,
            groups,
            errors,
            error,
        })
    };
    let Some((filename, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        let page = page(
            None,
            vec![],
            vec![],
            Some(Msg::WebNoFile.text(lang).to_owned()),
        )
        .await?;
        return ctx.html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let outcome = db(
        ctx.state()?,
        move |store| match roster::import_roster_grouped(
            store,
            &staff,
            &staff.estate,
            &filename,
            &bytes,
            lang,
        ) {
            Ok(report) => Ok(Ok(report)),
            Err(UseCaseError::Store(StoreError::RosterInvalid(issues))) => Ok(Err(issues)),
            Err(other) => Err(other),
        },
    )
    .await?;
    match outcome {
        Ok((report, groups)) => {
            let page = page(Some(report), groups, vec![], None).await?;
            ctx.ok(&page)
        }
        Err(issues) => {
            let errors = issue_notes(&issues, lang);
            let groups = issue_groups(&issues, lang);
            let page = page(
                None,
                groups,
                errors,
                Some(Msg::RosterInvalid.text(lang).to_owned()),
            )
            .await?;
            ctx.html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}
