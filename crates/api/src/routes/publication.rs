//! Two-stage publication of a closed assembly (询异公示): the preliminary result and per-unit
//! roll for the estate's owners, owners' objections, their resolution by staff, the final
//! publication that freezes and signs the exports, and the announcement (公告) as CSV and HTML.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use gongjue_store::assemblies::Assembly;
use gongjue_store::ballots::Channel;
use gongjue_store::publications::{Objection, Publication, Resolution};
use gongjue_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::ratelimit;
use crate::auth::{Caller, OwnerCaller, StaffCaller};
use crate::body::Body;
use crate::error::ApiError;
use crate::export;
use crate::export::bundle::public_roll;
use crate::i18n::{Lang, Msg};
use crate::publication::announcement::Announcement;
use crate::publication::roll::{self, OwnRecord, PublishedItem};
use crate::routes::assemblies::staff_assembly;
use crate::routes::ballots::owner_session;
use crate::state::{AppState, db};
use crate::timetable;
use gongjue_store::publications::MAX_OBJECTIONS_PER_ITEM;

/// The longest objection text kept (about two pages).
const MAX_OBJECTION_CHARS: usize = 2000;

/// Objections one member may file within the attempt window (15 minutes by default), all items
/// together: enough to object to every item of a sheet in one sitting, not a flood. More are
/// answered 429 with `Retry-After`.
pub const OBJECTIONS_PER_WINDOW: u32 = 10;

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationOut {
    #[schema(format = Uuid)]
    pub assembly: String,
    pub title: String,
    #[schema(schema_with = crate::routes::openapi::refs::stage)]
    pub stage: String,
    #[schema(format = DateTime)]
    pub preliminary_at: String,
    #[schema(format = DateTime)]
    pub objections_until: String,
    #[schema(format = DateTime)]
    pub final_at: Option<String>,
    /// Whether the roll shows each unit's choice and the owner's masked name.
    pub public_roll: bool,
    pub items: Vec<PublishedItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub assembly: String,
    #[schema(format = Uuid)]
    pub item: String,
    /// The owner (voting member) who filed it.
    pub voter: String,
    pub text: String,
    #[schema(format = DateTime)]
    pub filed_at: String,
    #[schema(schema_with = crate::routes::openapi::refs::objection_status)]
    pub status: String,
    pub reason: Option<String>,
    #[schema(format = DateTime)]
    pub resolved_at: Option<String>,
    /// For a correction: the confirmed paper ballot that corrected the record.
    #[schema(format = Uuid)]
    pub ballot: Option<String>,
}

impl From<Objection> for ObjectionOut {
    fn from(o: Objection) -> Self {
        ObjectionOut {
            id: o.id,
            assembly: o.assembly_id,
            item: o.item_id,
            voter: o.voter,
            text: o.body,
            filed_at: o.filed_at,
            status: o.status,
            reason: o.reason,
            resolved_at: o.resolved_at,
            ballot: o.ballot_version_id,
        }
    }
}

/// The assembly and its publication, for staff of its estate or an owner signed in for it.
pub(crate) async fn readable(
    state: &web::Data<AppState>,
    caller: Caller,
    assembly_id: String,
) -> Result<(Assembly, Publication), ApiError> {
    if let Caller::Owner(_) = &caller {
        owner_session(state, caller.clone(), &assembly_id).await?;
    }
    db(state, move |store| {
        let assembly = store.assembly(&assembly_id)?;
        if let Caller::Staff(staff) = &caller {
            staff.reads(&assembly.estate_id)?;
        }
        let publication = store
            .publication(&assembly.id)?
            .ok_or(ApiError::Rule(Msg::NotClosedYet))?;
        Ok((assembly, publication))
    })
    .await
}

/// Which part of each item's roll the publication shows (`roll_limit`, `roll_offset`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicationQuery {
    /// At most this many units of each item's roll, 1 to 10000 (default 5000); each item says
    /// `roll_total`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 10000)]
    #[serde(default)]
    pub roll_limit: Option<String>,
    /// Skip this many units of each item's roll first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub roll_offset: Option<String>,
}

fn publication_out(
    store: &Store,
    assembly: &Assembly,
    p: Publication,
    window: gongjue_store::listing::Window,
) -> Result<PublicationOut, ApiError> {
    let mut items = roll::published_items(store, assembly)?;
    let (offset, limit) = (
        usize::try_from(window.offset).unwrap_or(usize::MAX),
        usize::try_from(window.limit).unwrap_or(usize::MAX),
    );
    for item in &mut items {
        item.roll = std::mem::take(&mut item.roll)
            .into_iter()
            .skip(offset)
            .take(limit)
            .collect();
    }
    Ok(PublicationOut {
        items,
        public_roll: public_roll(assembly),
        assembly: assembly.id.clone(),
        title: assembly.title.clone(),
        stage: p.stage,
        preliminary_at: p.preliminary_at,
        objections_until: p.objections_until,
        final_at: p.final_at,
    })
}

/// The published result and per-unit roll (receipts; choices and masked names only with a
/// public roll). Preliminary during the objection period, then final. Each item's roll comes a
/// page at a time (`roll_limit`, `roll_offset`; `roll_total` says how many units in all).
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id"), PublicationQuery), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = PublicationOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/publication")]
pub async fn get_publication(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PublicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = crate::paging::window(
        query.roll_limit.as_deref(),
        query.roll_offset.as_deref(),
        crate::paging::ROLL,
        ("roll_limit", "roll_offset"),
    )?;
    let (assembly, p) = readable(&state, caller, path.into_inner()).await?;
    let out = db(&state, move |store| {
        publication_out(store, &assembly, p, window)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// What was recorded for the signed-in owner's units, choice and receipt included.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("owner" = [])),
    responses((status = 200, body = Vec<OwnRecord>), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/publication/mine")]
pub async fn my_record(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let voter = caller.clone().owner()?.voter;
    let (assembly, _) = readable(&state, caller, path.into_inner()).await?;
    let out = db(&state, move |store| {
        roll::own_record(store, &assembly, &voter)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionRequest {
    /// The item the objection is about.
    #[schema(format = Uuid)]
    pub item: String,
    /// What the owner says was recorded wrongly, in their words.
    #[schema(min_length = 1, max_length = 2000)]
    pub text: String,
}

/// Files an objection for the signed-in owner (JSON route and web page alike): a text that
/// says something, during the objection period, about an item the owner votes on.
pub(crate) async fn file_objection_for(
    state: &web::Data<AppState>,
    owner: OwnerCaller,
    assembly: Assembly,
    publication: Publication,
    item: String,
    text: String,
) -> Result<ObjectionOut, ApiError> {
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(ApiError::invalid("text", "say what is wrong"));
    }
    if text.chars().count() > MAX_OBJECTION_CHARS {
        return Err(ApiError::invalid(
            "text",
            format!("at most {MAX_OBJECTION_CHARS} characters"),
        ));
    }
    if publication.is_final() {
        return Err(ApiError::Rule(Msg::AlreadyFinal));
    }
    if Utc::now() >= timetable::stored(&publication.objections_until)? {
        return Err(ApiError::Rule(Msg::ObjectionPeriodOver));
    }
    // Counted before anything else is looked up, so a flood costs one write per request.
    ratelimit::count_write(
        state,
        format!("objections:{}:{}", assembly.id, owner.voter),
        OBJECTIONS_PER_WINDOW,
    )
    .await?;
    db(state, move |store| {
        match store.item(&item) {
            Ok(found) if found.assembly_id == assembly.id => {}
            Ok(_) | Err(gongjue_store::StoreError::NotFound(_)) => {
                return Err(ApiError::invalid(
                    "item",
                    format!("no item {item} in this assembly"),
                ));
            }
            Err(other) => return Err(other.into()),
        }
        if !store.in_electorate(&item, &owner.voter)? {
            return Err(ApiError::Forbidden(Msg::NotInElectorate));
        }
        // The store enforces both again under the estate's lock; these give the clear message.
        let earlier: Vec<_> = store
            .objections(&assembly.id, Some(&owner.voter))?
            .into_iter()
            .filter(|o| o.item_id == item)
            .collect();
        if earlier.iter().any(|o| o.status == "open") {
            return Err(ApiError::Rule(Msg::ObjectionStillOpen));
        }
        if earlier.len() >= MAX_OBJECTIONS_PER_ITEM {
            return Err(ApiError::Rule(Msg::ObjectionsPerItemUsedUp));
        }
        Ok(ObjectionOut::from(store.file_objection(
            &assembly.id,
            &item,
            &owner.voter,
            &text,
            &owner.actor(),
        )?))
    })
    .await
}

/// Files an objection (owner, during the objection period) about an item they vote on.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), request_body = ObjectionRequest, security(("owner" = [])),
    responses((status = 201, body = ObjectionOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody),
        (status = 422, body = crate::routes::ErrorBody), (status = 429, description = "too many objections in a short time; see Retry-After", body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/objections")]
pub async fn file_objection(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ObjectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let owner = caller.clone().owner()?;
    let (assembly, publication) = readable(&state, caller, path.into_inner()).await?;
    let body = body.into_inner();
    let out =
        file_objection_for(&state, owner, assembly, publication, body.item, body.text).await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ObjectionsQuery {
    /// At most this many objections, 1 to 1000 (default 500); see `X-Total-Count`, `X-Next-Offset`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    #[serde(default)]
    pub limit: Option<String>,
    /// Skip this many objections first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub offset: Option<String>,
}

/// Objections of the assembly in filing order: all of them for staff, their own for an owner;
/// one page at a time.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id"), ObjectionsQuery), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = Vec<ObjectionOut>, headers(
            ("X-Total-Count" = i64, description = "Objections in all (an owner's own)"),
            ("X-Next-Offset" = i64, description = "The `offset` of the next page; absent on the last page"))),
        (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "Nothing published yet: voting has not closed"),
        (status = 422, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/objections")]
pub async fn objections(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ObjectionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = crate::paging::window(
        query.limit.as_deref(),
        query.offset.as_deref(),
        crate::paging::OBJECTIONS,
        ("limit", "offset"),
    )?;
    let voter = match &caller {
        Caller::Owner(owner) => Some(owner.voter.clone()),
        Caller::Staff(_) => None,
    };
    let (assembly, _) = readable(&state, caller, path.into_inner()).await?;
    let page = db(&state, move |store| {
        Ok(store.objections_page(&assembly.id, voter.as_deref(), window)?)
    })
    .await?;
    let mut response = HttpResponse::Ok();
    crate::paging::headers(&mut response, window, page.rows.len(), page.total);
    let out: Vec<ObjectionOut> = page.rows.into_iter().map(ObjectionOut::from).collect();
    Ok(response.json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `rejected` (the record stands) or `corrected`.
    #[schema(schema_with = crate::routes::openapi::refs::resolution)]
    pub resolution: String,
    /// Why; shown to the owner and kept in the audit log.
    pub reason: String,
    /// For `corrected`: the paper ballot, entered with a `correction_reason` after the objection
    /// was filed and confirmed by a second staff user, that corrects the record.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub ballot: Option<String>,
}

/// Resolves an objection with a reason (JSON route and web page alike): rejected, or
/// corrected by a confirmed paper ballot of the item entered after the objection was filed.
pub(crate) fn resolve_in(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    body: ResolveRequest,
) -> Result<ObjectionOut, ApiError> {
    // Authorisation before anything about the request or the objection's state is said.
    let objection = store.objection(id)?;
    let assembly = store.assembly(&objection.assembly_id)?;
    staff.writes(&assembly.estate_id)?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(ApiError::invalid("reason", "a resolution needs a reason"));
    }
    if store
        .publication(&assembly.id)?
        .is_some_and(|p| p.is_final())
    {
        return Err(ApiError::Rule(Msg::AlreadyFinal));
    }
    if objection.status != "open" {
        return Err(ApiError::Rule(Msg::ObjectionAlreadyResolved));
    }
    let resolution = match (body.resolution.as_str(), body.ballot) {
        ("rejected", None) => Resolution::Rejected,
        ("rejected", Some(_)) => {
            return Err(ApiError::invalid(
                "ballot",
                "only a correction names a ballot",
            ));
        }
        ("corrected", None) => return Err(ApiError::Rule(Msg::CorrectionNeedsBallot)),
        ("corrected", Some(version_id)) => {
            let (version, _) = match store.ballot_version(&version_id) {
                Ok(found) => found,
                Err(gongjue_store::StoreError::NotFound(_)) => {
                    return Err(ApiError::invalid(
                        "ballot",
                        format!("no ballot {version_id}"),
                    ));
                }
                Err(other) => return Err(other.into()),
            };
            let fits = version.item_id == objection.item_id
                && version.voter == objection.voter
                && version.channel == Channel::Paper.as_str()
                && version.confirmed_at.is_some()
                && version.recorded_at >= objection.filed_at;
            if !fits {
                return Err(ApiError::invalid(
                    "ballot",
                    "not a confirmed paper correction of this member's ballot on this item entered after the objection",
                ));
            }
            Resolution::Corrected {
                ballot_version_id: version_id,
            }
        }
        (other, _) => {
            return Err(ApiError::invalid(
                "resolution",
                format!("{other:?}: rejected or corrected"),
            ));
        }
    };
    Ok(ObjectionOut::from(store.resolve_objection(
        id,
        &resolution,
        &reason,
        &staff.user,
        &staff.actor(),
    )?))
}

/// Resolves an objection (secretary or admin) with a reason. A correction goes through the
/// paper-ballot correction path first (enter with a reason, confirm by another person); the
/// count then includes it.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "objection id")), request_body = ResolveRequest, security(("staff" = [])),
    responses((status = 200, body = ObjectionOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody),
        (status = 422, body = crate::routes::ErrorBody)))]
#[post("/objections/{id}/resolve")]
pub async fn resolve_objection(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ResolveRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let staff = caller.staff()?;
    let out = db(&state, move |store| {
        resolve_in(store, &staff, &id, body.into_inner())
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedExport {
    #[schema(format = Uuid)]
    pub item: String,
    pub name: String,
    pub bundle_sha256: String,
    pub kid: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FinalOut {
    pub publication: PublicationOut,
    /// One signed export per item, frozen now.
    pub exports: Vec<SignedExport>,
}

/// Publishes the final result and signs every item's export (JSON route and web page alike):
/// refused while the objection period runs or an objection is open.
pub(crate) async fn publish_final_of(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    assembly: Assembly,
    publication: Publication,
) -> Result<FinalOut, ApiError> {
    staff.writes(&assembly.estate_id)?;
    if publication.is_final() {
        return Err(ApiError::Rule(Msg::AlreadyFinal));
    }
    if Utc::now() < timetable::stored(&publication.objections_until)? {
        return Err(ApiError::Rule(Msg::ObjectionPeriodRunning));
    }
    let key = state.code_key.clone();
    db(state, move |store| {
        if store
            .objections(&assembly.id, None)?
            .iter()
            .any(|o| o.status == "open")
        {
            return Err(ApiError::Rule(Msg::ObjectionsUnresolved));
        }
        let actor = staff.actor();
        // A new estate's first key is stored before the publication's transaction (that one
        // only signs), so that the key is there whichever way it ends.
        let signing_key = export::keys::active(store, &assembly.estate_id, &actor)?;
        let pseudonyms = export::pseudonyms_of(&key, &assembly);
        let trial = store.estate(&assembly.estate_id)?.trial;
        for _ in 0..FINAL_ATTEMPTS {
            // Every export is built before the stage changes, and stored with it: the result
            // is final only together with all of them (issue 15: never "final, 6 of 8").
            let (seq, _) = store.audit_head(&assembly.estate_id)?;
            let mut built = Vec::new();
            for item in store
                .items(&assembly.id)?
                .into_iter()
                .filter(|i| i.electorate_frozen_at.is_some())
            {
                let bundle = export::bundle::build(store, &item, pseudonyms.as_ref(), trial)?;
                built.push((item, bundle));
            }
            let refused = std::cell::RefCell::new(None);
            let published = store.publish_final_with_exports(
                &assembly.id,
                &staff.user,
                &actor,
                Some(seq),
                |closing| {
                    built
                        .into_iter()
                        .map(|(item, bundle)| {
                            export::sign(&item, &assembly, bundle, closing, &signing_key)
                        })
                        .collect::<Result<Vec<_>, ApiError>>()
                        .map_err(|error| {
                            let text = error.to_string();
                            *refused.borrow_mut() = Some(error);
                            StoreError::Invalid(text)
                        })
                },
            );
            if let Some(error) = refused.into_inner() {
                return Err(error); // nothing stored: the transaction rolled back
            }
            let Some((publication, stored)) = published? else {
                continue; // the estate changed while the bundles were built: build again
            };
            let exports = stored
                .into_iter()
                .map(|e| SignedExport {
                    item: e.item_id,
                    name: e.name,
                    bundle_sha256: e.bundle_sha256,
                    kid: e.kid,
                })
                .collect();
            return Ok(FinalOut {
                publication: publication_out(
                    store,
                    &assembly,
                    publication,
                    gongjue_store::listing::Window {
                        limit: crate::paging::ROLL.default,
                        offset: 0,
                    },
                )?,
                exports,
            });
        }
        Err(ApiError::Store(StoreError::Unavailable(
            "the estate kept changing while the exports were built".into(),
        )))
    })
    .await
}

/// How often the final publication builds the exports again when the estate changed meanwhile
/// (e.g. a failed sign-in was audited) before answering "busy, retry".
const FINAL_ATTEMPTS: usize = 3;

/// Publishes the final result (secretary or admin): only after the objection period and with
/// every objection resolved. The count is then frozen and every item's export signed.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = FinalOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/publication/final")]
pub async fn publish_final(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    // Authorization first: an auditor or another estate's secretary is refused before any rule
    // (not closed yet, objection period running) tells them about the assembly's state.
    let (staff, _) = staff_assembly(&state, caller.clone(), id.clone(), true).await?;
    let (assembly, publication) = readable(&state, caller, id).await?;
    let out = publish_final_of(&state, staff, assembly, publication).await?;
    Ok(HttpResponse::Ok().json(out))
}

pub(crate) async fn announcement(
    caller: Caller,
    state: &web::Data<AppState>,
    id: String,
    lang: Lang,
) -> Result<Announcement, ApiError> {
    let (assembly, p) = readable(state, caller, id).await?;
    db(state, move |store| {
        let items = roll::published_items(store, &assembly)?;
        let until = (!p.is_final()).then(|| p.objections_until.clone());
        let mut announcement = Announcement::new(
            assembly.title.clone(),
            &p.stage,
            until,
            public_roll(&assembly),
            &items,
            lang,
        );
        announcement.trial = store.estate(&assembly.estate_id)?.trial;
        Ok(announcement)
    })
    .await
}

/// The announcement (公告) as CSV (UTF-8 with BOM, for spreadsheet programs): per item the
/// outcome and figures, then the roll; in the language of `Accept-Language`.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, description = "The announcement as CSV"), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/announcement.csv")]
pub async fn announcement_csv(
    caller: Caller,
    lang: Lang,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let a = announcement(caller, &state, id.clone(), lang).await?;
    announcement_csv_download(&a, &id)
}

/// The announcement as a CSV download (the JSON route and the results page).
pub(crate) fn announcement_csv_download(
    a: &Announcement,
    id: &str,
) -> Result<HttpResponse, ApiError> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(a.csv().map_err(|e| ApiError::Internal(e.to_string()))?);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"announcement-{id}.csv\""),
        ))
        .body(bytes))
}

/// The announcement (公告) as a printable A4 HTML page.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, description = "The announcement as an HTML page (prints on A4)"), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/announcement.html")]
pub async fn announcement_html(
    caller: Caller,
    lang: Lang,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let a = announcement(caller, &state, path.into_inner(), lang).await?;
    announcement_html_page(&a)
}

/// The announcement as a page (the JSON route and the results page).
pub(crate) fn announcement_html_page(a: &Announcement) -> Result<HttpResponse, ApiError> {
    let html = a.html().map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "text/html; charset=utf-8"))
        .body(html))
}
