//! The web pages: server-rendered HTML (askama templates under `templates/web/`) for owners
//! (vote with a code, review, receipt, record) and for staff. Mounted outside `/api/v1` and
//! kept out of the OpenAPI document. Every page works without JavaScript.
//!
//! Sessions are the API's own tokens, carried in HttpOnly cookies; every form carries a CSRF
//! token bound to the browser's session id; every text comes from the one catalogue.

pub mod notices;
pub mod owner;
pub mod page;
pub mod paper;
pub mod print;
pub mod proxies;
pub mod publication;
pub mod results;
pub mod roster;
pub mod setup;
pub mod staff;
pub mod words;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use crate::error::ApiError;
use crate::i18n::Msg;

pub use page::{Ctx, Page};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(owner::home))
        .route("/lang/{lang}", web::get().to(page::switch_language))
        .route("/static/site.css", web::get().to(page::stylesheet))
        .route("/vote", web::get().to(owner::code_form))
        .route("/vote", web::post().to(owner::code_sign_in))
        .route("/v/{code}", web::get().to(owner::link_sign_in))
        .route("/ballot", web::get().to(owner::sheet))
        .route("/ballot/step", web::get().to(owner::first_step))
        .route("/ballot/step", web::post().to(owner::step))
        .route("/ballot/submit", web::post().to(owner::submit))
        .route("/ballot/done", web::get().to(owner::done))
        .route("/ballot/publication", web::get().to(publication::owner_record))
        .route("/ballot/objections", web::post().to(publication::file_objection))
        .route("/ballot/roll", web::get().to(publication::owner_roll))
        .route("/sign-out", web::post().to(owner::sign_out))
        .route("/staff/login", web::get().to(staff::login_form))
        .route("/staff/login", web::post().to(staff::login))
        .route("/staff/sign-out", web::post().to(staff::sign_out))
        .route("/staff", web::get().to(staff::assemblies))
        .route("/staff/roster", web::get().to(roster::form))
        .route("/staff/roster", web::post().to(roster::upload))
        .route("/staff/assemblies/new", web::get().to(setup::new_form))
        .route("/staff/assemblies", web::post().to(setup::create))
        .route("/staff/assemblies/{id}", web::get().to(staff::dashboard))
        .route("/staff/assemblies/{id}/setup", web::get().to(setup::setup))
        .route("/staff/assemblies/{id}/items", web::post().to(setup::add_item))
        .route("/staff/assemblies/{id}/state", web::post().to(setup::change_state))
        .route("/staff/assemblies/{id}/results", web::get().to(results::results))
        .route("/staff/assemblies/{id}/publish", web::post().to(publication::publish))
        .route("/staff/assemblies/{id}/announcement.html", web::get().to(publication::announcement_page))
        .route("/staff/assemblies/{id}/announcement.csv", web::get().to(publication::announcement_csv))
        .route("/staff/objections/{id}/resolve", web::post().to(publication::resolve))
        .route("/staff/items/{id}/export.json", web::get().to(publication::export_bundle))
        .route("/staff/items/{id}/export.json.jws", web::get().to(publication::export_signature))
        .route("/staff/assemblies/{id}/print", web::get().to(print::menu))
        .route("/staff/assemblies/{id}/proxies", web::get().to(proxies::list))
        .route("/staff/assemblies/{id}/proxies", web::post().to(proxies::record))
        .route("/staff/assemblies/{id}/notice", web::get().to(print::notice))
        .route("/staff/assemblies/{id}/sheets", web::post().to(print::sheets))
        .route("/staff/assemblies/{id}/paper", web::get().to(paper::form))
        .route("/staff/assemblies/{id}/paper", web::post().to(paper::enter))
        .route("/staff/assemblies/{id}/confirm", web::get().to(paper::queue))
        .route("/staff/assemblies/{id}/confirm/{version}", web::post().to(paper::confirm))
        .route("/staff/assemblies/{id}/notices", web::get().to(notices::notices))
        .route("/staff/assemblies/{id}/notices/remind", web::post().to(notices::remind))
        .route("/staff/assemblies/{id}/notices/results", web::post().to(notices::publish_results))
        .route("/staff/outbox", web::get().to(notices::outbox));
}

/// Whether a path belongs to the web pages (the JSON API keeps its JSON errors).
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/healthz" || path.starts_with("/.well-known/"))
}

/// Errors of the pages become pages: a clear message in the reader's language with a way back;
/// an expired or missing session goes back to the sign-in page instead.
pub async fn html_errors(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_page(req.path()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let staff_area = req.path().starts_with("/staff");
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(error) = response.response().error().and_then(|e| e.as_error::<ApiError>()) else { return Ok(response) };
    let lang = page::lang_of(response.request());
    let page = match error {
        ApiError::Unauthenticated | ApiError::BadToken => {
            let to = if staff_area { "/staff/login" } else { "/vote" };
            HttpResponse::SeeOther().insert_header(("location", to)).finish()
        }
        ApiError::NoRoute => page::error_page(lang, actix_web::http::StatusCode::NOT_FOUND, Msg::NoRoute.text(lang), None),
        other => {
            let (status, body) = other.body(lang);
            let message = body.pointer("/error/message").and_then(|m| m.as_str()).unwrap_or_default().to_owned();
            let detail = body.pointer("/error/detail").and_then(|d| d.as_str()).map(str::to_owned);
            page::error_page(lang, status, &message, detail.as_deref())
        }
    };
    let (req, _) = response.into_parts();
    Ok(ServiceResponse::new(req, page))
}
