//! Candidates on the pages (issue 19): the register and its review on the setup page, and each
//! candidate's statement (with units, nomination and photo) where owners decide: the step and
//! sheet pages and the notice. The rules are `usecases::candidates`'.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::usecases::UseCaseError;
use crate::usecases::candidates::{self, CandidateOut, RegisterCandidate, ReviewCandidate};
use crate::web::page::{Ctx, Form, field};
use crate::web::staff::staff_of;

/// A candidate as owners read them.
pub struct CandidateView {
    pub name: String,
    /// "房屋：3-1-101 · 推荐方式：10 名业主联名推荐".
    pub about: String,
    pub statement: String,
    pub photo_url: Option<String>,
    pub photo_alt: String,
}

impl CandidateView {
    pub fn of(c: &CandidateOut, lang: Lang) -> CandidateView {
        let units = c.units.join(Msg::ListSeparator.text(lang));
        CandidateView {
            about: format!(
                "{} · {}",
                Msg::WebCandidateUnits.text_with(lang, &[("units", units.as_str().into())]),
                Msg::WebCandidateNominated
                    .text_with(lang, &[("by", c.nominated_by.as_str().into())])
            ),
            photo_alt: Msg::WebCandidatePhoto.text_with(lang, &[("name", c.name.as_str().into())]),
            name: c.name.clone(),
            statement: c.statement.clone(),
            photo_url: c.photo_url.clone(),
        }
    }
}

/// The entries of an election's listed candidates, in the listed order (owners see only these).
pub fn listed_views(
    definition: &serde_json::Value,
    item: &str,
    entries: &[CandidateOut],
    lang: Lang,
) -> Vec<CandidateView> {
    definition
        .get("candidates")
        .and_then(serde_json::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(serde_json::Value::as_str)
                .filter_map(|name| entries.iter().find(|c| c.item == item && c.name == name))
                .map(|c| CandidateView::of(c, lang))
                .collect()
        })
        .unwrap_or_default()
}

/// A listed candidate on the setup page: their entry and review, if any.
pub struct RegisterRow {
    pub name: String,
    pub entry: Option<CandidateView>,
    /// The entry's id, for the review form.
    pub id: Option<String>,
    /// "无违法搭建：是；…".
    pub declarations: String,
    /// Registered, awaiting review, found eligible, or not (with the reason).
    pub status: String,
    pub eligible: bool,
}

/// An election's register on the setup page.
pub struct RegisterView {
    pub rows: Vec<RegisterRow>,
    /// The estate's declarations, one checkbox each on the form.
    pub declarations: Vec<String>,
    /// The item's image documents (id, name), for the photo.
    pub photos: Vec<(String, String)>,
}

impl RegisterView {
    pub fn of(
        definition: &serde_json::Value,
        item: &str,
        entries: &[CandidateOut],
        declarations: Vec<String>,
        photos: Vec<(String, String)>,
        lang: Lang,
    ) -> RegisterView {
        let listed: Vec<&str> = definition
            .get("candidates")
            .and_then(serde_json::Value::as_array)
            .map(|n| n.iter().filter_map(serde_json::Value::as_str).collect())
            .unwrap_or_default();
        let rows = listed
            .iter()
            .map(|name| {
                let entry = entries.iter().find(|c| c.item == item && c.name == *name);
                let status = match entry.map(|c| (c.review.as_deref(), &c.review_reason)) {
                    None => Msg::WebCandidateMissing.text(lang).to_owned(),
                    Some((None, _)) => Msg::WebCandidateAwaiting.text(lang).to_owned(),
                    Some((Some("eligible"), _)) => Msg::WebCandidateEligible.text(lang).to_owned(),
                    Some((Some(_), reason)) => Msg::WebCandidateRejected.text_with(
                        lang,
                        &[("reason", reason.as_deref().unwrap_or_default().into())],
                    ),
                };
                RegisterRow {
                    name: (*name).to_owned(),
                    id: entry.map(|c| c.id.clone()),
                    declarations: entry
                        .map(|c| {
                            // In the estate's order, as the form asks them.
                            let mut answers: Vec<_> = c.declarations.iter().collect();
                            answers.sort_by_key(|d| {
                                declarations
                                    .iter()
                                    .position(|x| *x == d.declaration)
                                    .unwrap_or(usize::MAX)
                            });
                            answers
                                .into_iter()
                                .map(|d| {
                                    format!(
                                        "{}：{}",
                                        d.declaration,
                                        if d.answer {
                                            Msg::WebCandidateYes.text(lang)
                                        } else {
                                            Msg::WebCandidateNo.text(lang)
                                        }
                                    )
                                })
                                .collect::<Vec<_>>()
                                .join("；")
                        })
                        .unwrap_or_default(),
                    eligible: entry.is_some_and(|c| c.review.as_deref() == Some("eligible")),
                    entry: entry.map(|c| CandidateView::of(c, lang)),
                    status,
                }
            })
            .collect();
        RegisterView {
            rows,
            declarations,
            photos,
        }
    }
}

/// Where the setup page shows a refused form's field.
fn label(field: &str) -> Msg {
    match field.split(['[', '.']).next().unwrap_or_default() {
        "name" => Msg::WebCandidateName,
        "units" => Msg::WebCandidateUnitsField,
        "statement" => Msg::WebCandidateStatement,
        "nominated_by" => Msg::WebCandidateNominatedField,
        "photo_document" => Msg::WebCandidatePhotoField,
        "reason" => Msg::WebCandidateReviewReason,
        _ => Msg::WebCandidateDeclarations,
    }
}

/// The assembly of an item, and the item (for the redirect back to its register).
async fn assembly_of(ctx: &Ctx, item: String) -> Result<(String, String), ApiError> {
    db(ctx.state()?, move |store| {
        Ok((store.item(&item)?.assembly_id, item))
    })
    .await
}

/// The setup page's answer to a candidate form: back to the register, or the page again naming
/// what to fix.
async fn answer(
    ctx: &Ctx,
    (assembly, item): (String, String),
    outcome: Result<CandidateOut, ApiError>,
) -> Result<HttpResponse, ApiError> {
    match outcome {
        Ok(_) => Ok(ctx
            .redirect(&format!(
                "/staff/assemblies/{assembly}/setup#candidates-{item}"
            ))
            .finish()),
        Err(ApiError::UseCase(UseCaseError::Invalid { msg, field, .. })) => {
            crate::web::setup::refused_form(ctx, assembly, label(&field), msg).await
        }
        Err(ApiError::UseCase(UseCaseError::Rule(msg) | UseCaseError::RuleInState { msg, .. })) => {
            crate::web::setup::refused_form(ctx, assembly, Msg::WebCandidateHeading, msg).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /staff/items/{id}/candidates`: `name`, `units` (comma-separated), `statement`,
/// `nominated_by`, `photo_document` (optional) and one `declaration` per declaration ticked.
pub async fn register(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let item = path.into_inner();
    let assembly = assembly_of(&ctx, item.clone()).await?;
    let ticked: Vec<&str> = form
        .iter()
        .filter(|(k, _)| k == "declaration")
        .map(|(_, v)| v.as_str())
        .collect();
    let estate = staff.estate.clone();
    let asked = db(ctx.state()?, move |store| {
        candidates::declarations_of(&store.estate(&estate)?)
    })
    .await?;
    // Every declaration is answered: ticked is "yes", left empty is "no".
    let declarations: BTreeMap<String, bool> = asked
        .into_iter()
        .map(|d| {
            let yes = ticked.contains(&d.as_str());
            (d, yes)
        })
        .collect();
    let request = RegisterCandidate {
        name: field(&form, "name").unwrap_or_default().to_owned(),
        units: field(&form, "units")
            .unwrap_or_default()
            .split([',', '，', '、', ' '])
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        statement: field(&form, "statement").unwrap_or_default().to_owned(),
        photo_document: field(&form, "photo_document")
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
        nominated_by: field(&form, "nominated_by").unwrap_or_default().to_owned(),
        declarations,
    };
    let outcome = db(ctx.state()?, move |store| {
        candidates::register(store, &staff, &item, request)
    })
    .await;
    answer(&ctx, assembly, outcome).await
}

/// `POST /staff/candidates/{id}/review`: `eligible` (`yes` or `no`) and a `reason`.
pub async fn review(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let candidate = id.clone();
    let item = db(ctx.state()?, move |store| {
        Ok(store.candidate(&candidate)?.item_id)
    })
    .await?;
    let assembly = assembly_of(&ctx, item).await?;
    let request = ReviewCandidate {
        eligible: field(&form, "eligible") == Some("yes"),
        reason: field(&form, "reason").map(str::to_owned),
    };
    let outcome = db(ctx.state()?, move |store| {
        candidates::review(store, &staff, &id, request)
    })
    .await;
    answer(&ctx, assembly, outcome).await
}
