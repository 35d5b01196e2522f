//! The web pages: server-rendered HTML (askama templates under `templates/web/`) for owners
//! (vote with a code, review, receipt, record) and for staff. Mounted outside `/api/v1` and
//! kept out of the OpenAPI document. Every page works without JavaScript.
//!
//! Sessions are the API's own tokens, carried in HttpOnly cookies; every form carries a CSRF
//! token bound to the browser's session id; every text comes from the one catalogue.

pub mod candidates;
pub mod codes;
pub mod dashboard;
pub mod documents;
pub mod figures;
pub mod log;
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
pub mod sms;
pub mod staff;
pub mod upload;
pub mod volunteers;
pub mod words;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};

use crate::error::ApiError;
use crate::i18n::Msg;

pub use page::{Ctx, Page};

/// Declares the pages once: `configure` mounts them and `ROUTES` lists them, so that the
/// access matrix of the pages (tests/api/web_matrix.rs) fails for a page it has no row for.
macro_rules! pages {
    ($($method:ident $path:literal => $handler:path),* $(,)?) => {
        /// Every page: (method, path pattern), in the order they are mounted.
        pub const ROUTES: &[(&str, &str)] = &[$((pages!(@upper $method), $path)),*];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::$method().to($handler));)*
        }
    };
    (@upper get) => { "GET" };
    (@upper post) => { "POST" };
}

pages! {
    get  "/" => owner::home,
    get  "/lang/{lang}" => page::switch_language,
    get  "/static/site.css" => page::stylesheet,
    get  "/favicon.svg" => page::favicon,
    get  "/favicon.ico" => page::favicon,
    get  "/vote" => owner::code_form,
    post "/vote" => owner::code_sign_in,
    get  "/v/{code}" => owner::link,
    post "/v/{code}" => owner::link_sign_in,
    get  "/ballot" => owner::sheet,
    get  "/ballot/step" => owner::first_step,
    post "/ballot/step" => owner::step,
    post "/ballot/submit" => owner::submit,
    get  "/ballot/done" => owner::done,
    get  "/ballot/publication" => publication::owner_record,
    post "/ballot/objections" => publication::file_objection,
    get  "/ballot/roll" => publication::owner_roll,
    get  "/ballot/notices" => sms::notices,
    post "/ballot/notices/channels" => sms::set_channels,
    get  "/s/{assembly}" => sms::form,
    post "/s/{assembly}" => sms::send,
    post "/s/{assembly}/code" => sms::verify,
    post "/sign-out" => owner::sign_out,
    get  "/staff/login" => staff::login_form,
    post "/staff/login" => staff::login,
    post "/staff/sign-out" => staff::sign_out,
    get  "/staff" => staff::assemblies,
    post "/staff/estate/contact-phone" => staff::set_contact_phone,
    post "/staff/estate/follow-majority" => staff::set_follow_majority,
    post "/staff/estate/candidate-declarations" => staff::set_candidate_declarations,
    post "/staff/estate/sms" => staff::set_sms,
    post "/staff/assemblies/{id}/extend" => dashboard::extend,
    post "/staff/items/{id}/documents" => documents::add,
    post "/staff/items/{id}/candidates" => candidates::register,
    get  "/volunteer" => volunteers::home,
    post "/volunteer/assemblies/{id}/visits" => volunteers::visit,
    get  "/volunteer/assemblies/{id}/doors" => volunteers::door_list,
    get  "/staff/volunteers" => volunteers::staff_list,
    post "/staff/volunteers" => volunteers::create,
    post "/staff/candidates/{id}/review" => candidates::review,
    post "/staff/items/{id}/next-round" => results::next_round,
    post "/staff/documents/{id}/remove" => documents::remove,
    get  "/documents/{id}" => documents::content,
    get  "/staff/roster" => roster::form,
    post "/staff/roster" => roster::upload,
    get  "/staff/assemblies/new" => setup::new_form,
    post "/staff/assemblies" => setup::create,
    get  "/staff/assemblies/{id}" => dashboard::dashboard,
    get  "/staff/assemblies/{id}/not-voted" => dashboard::not_voted_page,
    get  "/staff/assemblies/{id}/not-voted.csv" => dashboard::not_voted_csv,
    get  "/staff/assemblies/{id}/setup" => setup::setup,
    post "/staff/assemblies/{id}/items" => setup::add_item,
    post "/staff/assemblies/{id}/state" => setup::change_state,
    get  "/staff/assemblies/{id}/results" => results::results,
    post "/staff/assemblies/{id}/publish" => publication::publish,
    get  "/staff/assemblies/{id}/announcement.html" => publication::announcement_page,
    get  "/staff/assemblies/{id}/announcement.csv" => publication::announcement_csv,
    post "/staff/objections/{id}/resolve" => publication::resolve,
    get  "/staff/items/{id}/export.json" => publication::export_bundle,
    get  "/staff/items/{id}/export.json.jws" => publication::export_signature,
    get  "/staff/assemblies/{id}/print" => print::menu,
    get  "/staff/assemblies/{id}/proxies" => proxies::list,
    post "/staff/assemblies/{id}/proxies" => proxies::record,
    get  "/staff/assemblies/{id}/notice" => notices::notice,
    post "/staff/assemblies/{id}/sheets" => print::sheets,
    get  "/staff/assemblies/{id}/codes" => codes::list,
    post "/staff/assemblies/{id}/code-reissues" => codes::request,
    post "/staff/assemblies/{id}/code-reissues/{reissue}/confirm" => codes::confirm,
    get  "/staff/assemblies/{id}/paper" => paper::form,
    post "/staff/assemblies/{id}/paper" => paper::enter,
    get  "/staff/assemblies/{id}/confirm" => paper::queue,
    post "/staff/assemblies/{id}/confirm" => paper::confirm_sheet,
    post "/staff/assemblies/{id}/confirm/{version}" => paper::confirm,
    get  "/staff/assemblies/{id}/notices" => notices::notices,
    post "/staff/assemblies/{id}/notices/remind" => notices::remind,
    post "/staff/assemblies/{id}/notices/results" => notices::publish_results,
    get  "/staff/outbox" => notices::outbox,
    get  "/log/{estate}" => log::page,
}

/// Whether a path belongs to the web pages (the JSON API keeps its JSON errors).
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/") || path == "/healthz" || path.starts_with("/.well-known/"))
}

/// Errors of the pages become pages: a clear message in the reader's language with a way back;
/// an expired or missing session goes back to the sign-in page instead.
pub async fn html_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_page(req.path()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let staff_area = req.path().starts_with("/staff") || req.path().starts_with("/volunteer");
    let back = page::staff_back(req.method(), req.path());
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(error) = response
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    else {
        return Ok(response);
    };
    let lang = page::lang_of(response.request());
    let page = match error {
        ApiError::Unauthenticated
        | ApiError::BadToken
        | ApiError::UseCase(crate::usecases::UseCaseError::BadSession) => {
            // An owner whose session cookie no longer works is told it expired.
            let had_session = response.request().cookie(page::OWNER_COOKIE).is_some();
            let to = match (staff_area, had_session) {
                (true, _) => "/staff/login",
                (false, true) => "/vote?expired=1",
                (false, false) => "/vote",
            };
            HttpResponse::SeeOther()
                .insert_header(("location", to))
                .finish()
        }
        ApiError::NoRoute => page::error_page(
            lang,
            actix_web::http::StatusCode::NOT_FOUND,
            Msg::NoRoute.text(lang),
            None,
            back.as_deref(),
        ),
        other => {
            let (status, body) = other.body(lang);
            let message = body
                .pointer("/error/message")
                .and_then(|m| m.as_str())
                .unwrap_or_default()
                .to_owned();
            let detail = body
                .pointer("/error/detail")
                .and_then(|d| d.as_str())
                .map(str::to_owned);
            let mut page =
                page::error_page(lang, status, &message, detail.as_deref(), back.as_deref());
            // A busy database or a full disk: the page says "try again later", the header when.
            crate::error::retry_later(status, page.headers_mut());
            other.retry_after(page.headers_mut());
            page
        }
    };
    let (req, _) = response.into_parts();
    Ok(ServiceResponse::new(req, page))
}
