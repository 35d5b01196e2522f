//! The JSON API under `/api/v1`, one module per concept, and its OpenAPI document.

pub mod assemblies;
pub mod ballots;
pub mod candidates;
pub mod codes;
pub mod documents;
pub mod estates;
pub mod exports;
pub mod listing;
pub mod log;
pub mod notices;
pub mod openapi;
pub mod publication;
pub mod results;
pub mod sessions;
pub mod sms;
pub mod volunteers;

use actix_web::{HttpResponse, get};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

/// The error body of every 4xx and 5xx response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable, e.g. `voting_closed`.
    pub code: String,
    /// For people, in the language of `Accept-Language` (zh-CN by default, or en).
    pub message: String,
    /// The offending field of the request, when there is one.
    pub field: Option<String>,
    /// Technical detail (English), when it helps.
    pub detail: Option<String>,
    /// A refused roster (`roster_invalid`): every error with its line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issues: Option<Vec<crate::usecases::roster::Note>>,
}

#[derive(OpenApi)]
#[openapi(
    // Title, description, servers and security schemes are set by `openapi::finish`.
    info(title = "Gongjue API"),
    // Referenced only from the hand-written schemas of `openapi.rs`, so listed here.
    components(schemas(
        ErrorBody,
        ErrorDetail,
        crate::items::AdditionalRule,
        crate::items::ThresholdRequest,
        crate::items::QuestionRequest,
        crate::items::StairwellRequest,
        crate::usecases::lifecycle::CloseRequest,
        crate::usecases::codes::IssueCodesRequest,
    )),
    tags(
        (name = "sessions", description = "Sign in: staff with a password, owners with a voting code"),
        (name = "estates", description = "Estates, rosters, units, audit log"),
        (name = "assemblies", description = "Assemblies, items, timetable, codes, proxies, transfers"),
        (name = "ballots", description = "Owners' ballots and paper ballots"),
        (name = "documents", description = "Documents of an item (PDF, images): added while the assembly is a draft, fixed once announced, public with the notice"),
        (name = "results", description = "Live turnout and results"),
        (name = "publication", description = "Preliminary and final publication, objections, announcement"),
        (name = "notices", description = "Notices by e-mail: previews, reminders, results, the paper round, the outbox"),
        (name = "log", description = "The estate's transparency log: signed checkpoints, inclusion and consistency proofs, witnesses (public but for naming a witness)"),
    )
)]
pub struct ApiDoc;

/// Liveness and database reachability.
#[utoipa::path(tag = "results", responses((status = 200, description = "The service and its database answer")))]
#[get("/healthz")]
pub async fn healthz(
    state: actix_web::web::Data<crate::state::AppState>,
) -> Result<HttpResponse, crate::error::ApiError> {
    crate::blocking::db(&state, |store| Ok(store.estates().map(|_| ())?)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ok" })))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(sessions::login)
        .service(sessions::owner_login)
        .service(sessions::whoami)
        .service(sessions::sign_out)
        .service(sessions::refresh)
        .service(estates::create_estate)
        .service(estates::set_contact_phone)
        .service(estates::set_follow_majority)
        .service(estates::import_roster)
        .service(estates::units)
        .service(estates::audit)
        .service(assemblies::create_assembly)
        .service(assemblies::get_assembly)
        .service(assemblies::add_item)
        .service(assemblies::list_items)
        .service(assemblies::get_item)
        .service(assemblies::update_item)
        .service(assemblies::delete_item)
        .service(assemblies::cancel)
        .service(assemblies::extend_voting)
        .service(assemblies::list_extensions)
        .service(assemblies::next_round)
        .service(assemblies::list_rounds)
        .service(volunteers::create_volunteer)
        .service(volunteers::list_volunteers)
        .service(volunteers::round)
        .service(volunteers::record_visit)
        .service(candidates::register_candidate)
        .service(candidates::list_candidates)
        .service(candidates::review_candidate)
        .service(candidates::set_candidate_declarations)
        .service(documents::add_document)
        .service(documents::list_documents)
        .service(documents::remove_document)
        .service(documents::document_content)
        .service(listing::my_estates)
        .service(listing::estate_assemblies)
        .service(listing::roster_versions)
        .service(listing::proxies)
        .service(listing::transfers)
        .service(listing::pending_paper_ballots)
        .service(assemblies::announce)
        .service(assemblies::open)
        .service(assemblies::close)
        .service(assemblies::issue_codes)
        .service(codes::request_reissue)
        .service(codes::pending_reissues)
        .service(codes::confirm_reissue)
        .service(assemblies::record_proxy)
        .service(assemblies::transfer)
        .service(assemblies::confirm_transfer)
        .service(ballots::my_ballot)
        .service(ballots::cast)
        .service(ballots::enter_paper)
        .service(ballots::confirm_paper)
        .service(ballots::confirm_paper_sheet)
        .service(results::turnout)
        .service(results::result)
        .service(exports::bundle)
        .service(exports::signature)
        .service(exports::audit_verify)
        .service(publication::get_publication)
        .service(publication::my_record)
        .service(publication::file_objection)
        .service(publication::objections)
        .service(publication::resolve_objection)
        .service(publication::publish_final)
        .service(publication::announcement_csv)
        .service(publication::announcement_html)
        .service(notices::preview)
        .service(notices::remind)
        .service(notices::publish_results)
        .service(notices::paper_round)
        .service(notices::outbox)
        .service(notices::set_notice_language)
        .service(sms::set_estate_sms)
        .service(sms::set_own_channels)
        .service(sms::own_deliveries)
        .service(sms::member_deliveries)
        .service(sms::request_sms_code)
        .service(sms::sms_sign_in)
        .service(sms::receipts)
        .service(log::overview)
        .service(log::checkpoint)
        .service(log::keys)
        .service(log::consistency)
        .service(log::receipt_proof)
        .service(log::add_witness)
        .service(log::cosign)
        .service(log::dissent);
}
