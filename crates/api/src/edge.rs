//! What every request passes through: a request id and a tracing span, errors re-rendered in
//! the caller's language, and a panic in a handler turned into a 500 instead of a dropped
//! connection (the worker lives on). Every response, errors included, gets the security
//! headers of `security_headers`.

use std::panic::AssertUnwindSafe;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::http::header::{ACCEPT_LANGUAGE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest};
use futures_util::FutureExt;
use tracing::Instrument;

use crate::app::BodyLimits;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::security_headers;
use crate::usecases::UseCaseError;

pub const REQUEST_ID: &str = "x-request-id";

/// The caller's language for the API: the first language of `Accept-Language` that we speak,
/// Chinese by default (`Lang::from_accept_language`). Pages choose theirs from `?lang=` and a
/// cookie instead (`web::page::lang_of`).
pub fn lang_of(req: &HttpRequest) -> Lang {
    let header = req
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    Lang::from_accept_language(header)
}

/// The caller's language as an extractor (`lang: Lang` in a handler's arguments): `lang_of`.
impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Lang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(Ok(lang_of(req)))
    }
}

/// The first character of the percent-decoded address that no text may hold, if any. Bytes
/// that do not decode to UTF-8 are left to the routes (they refuse them as any bad value).
fn refused_in_address(address: &str) -> Option<char> {
    let bytes = address.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            _ => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    gongjue_domain::text::refused_char(&String::from_utf8_lossy(&decoded))
}

pub async fn edge(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // A client's own id is kept if it looks like one (for tracing across services).
    let request_id = req
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    let lang = lang_of(req.request());
    let span = tracing::info_span!("request", id = %request_id, method = %req.method(), path = %loggable_path(req.path()));
    let started = std::time::Instant::now();
    // A NUL in the address (`%00`) would reach the database as part of an id or a query
    // value, a bidirectional control (`%E2%80%AE`) would show it other than it is: refused here
    // for every route, as in a body.
    if let Some(c) = req
        .uri()
        .path_and_query()
        .and_then(|pq| refused_in_address(pq.as_str()))
    {
        let (status, body) = ApiError::from(UseCaseError::invalid(
            "(address)",
            gongjue_domain::text::refusal(c),
        ))
        .body(lang);
        span.in_scope(|| {
            tracing::info!(
                status = status.as_u16(),
                "request refused: a refused character in the address"
            )
        });
        return Err(Localized(status, body, request_id).into());
    }
    let outcome = AssertUnwindSafe(next.call(req))
        .catch_unwind()
        .instrument(span.clone())
        .await;
    // The request is moved into the handler; without it no ServiceResponse can be built, so
    // failures are returned as errors and actix renders them (in the caller's language).
    let mut response = match outcome {
        Ok(Ok(res)) => res.map_into_boxed_body(),
        Ok(Err(error)) => {
            return match error.as_error::<ApiError>() {
                Some(api_error) => {
                    let (status, body) = api_error.body(lang);
                    Err(Localized(status, body, request_id).into())
                }
                None => Err(Hardened(error).into()),
            };
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned());
            span.in_scope(|| {
                tracing::error!(panic = what.as_deref().unwrap_or("?"), "handler panicked")
            });
            let (status, body) =
                ApiError::from(UseCaseError::Internal("handler panicked".into())).body(lang);
            return Err(Localized(status, body, request_id).into());
        }
    };
    // Errors are rendered before the language is known; render them again in the caller's.
    if let Some(api_error) = response
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    {
        let rendered = api_error.render(lang);
        let (req, _) = response.into_parts();
        response = ServiceResponse::new(req, rendered);
    } else if let Some(PayloadError::Overflow) = response
        .response()
        .error()
        .and_then(|e| e.as_error::<PayloadError>())
    {
        // A raw body (`web::Bytes`) over the limit of `web::PayloadConfig`: the same 413 as a JSON body's.
        let limit = response
            .request()
            .app_data::<actix_web::web::Data<BodyLimits>>()
            .map_or(0, |l| l.json_bytes);
        let rendered = crate::body::too_large(limit, "request").render(lang);
        let (req, _) = response.into_parts();
        response = ServiceResponse::new(req, rendered);
    }
    span.in_scope(|| {
        tracing::info!(
            status = response.status().as_u16(),
            ms = started.elapsed().as_millis() as u64,
            "done"
        )
    });
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID), value);
    }
    security_headers::apply(response.headers_mut());
    Ok(response)
}

/// The path as logged: the voting link `/v/{code}` carries a voting code, which is a secret
/// (the server itself keeps only its keyed hash), so the code is left out. Query strings are
/// never logged (`path()` has none).
fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/v/") {
        Some(_) => std::borrow::Cow::Borrowed("/v/{code}"),
        None => std::borrow::Cow::Borrowed(path),
    }
}

/// An error already rendered in the caller's language; actix sends it as it is.
#[derive(Debug)]
struct Localized(StatusCode, serde_json::Value, String);

impl std::fmt::Display for Localized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.1)
    }
}

impl actix_web::ResponseError for Localized {
    fn status_code(&self) -> StatusCode {
        self.0
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        let mut response = actix_web::HttpResponse::build(self.0)
            .insert_header((REQUEST_ID, self.2.as_str()))
            .json(&self.1);
        crate::error::retry_later(self.0, response.headers_mut());
        security_headers::apply(response.headers_mut());
        response
    }
}

/// An error of actix itself (not an `ApiError`), sent as actix renders it, with the security headers.
#[derive(Debug)]
struct Hardened(actix_web::Error);

impl std::fmt::Display for Hardened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl actix_web::ResponseError for Hardened {
    fn status_code(&self) -> StatusCode {
        self.0.as_response_error().status_code()
    }

    fn error_response(&self) -> actix_web::HttpResponse {
        let mut response = self.0.error_response();
        security_headers::apply(response.headers_mut());
        response
    }
}

#[cfg(test)]
mod address_tests {
    #[test]
    fn refused_characters_are_found_percent_encoded() {
        use super::refused_in_address;
        assert_eq!(refused_in_address("/api/v1/assemblies/%00"), Some('\0'));
        assert_eq!(
            refused_in_address("/x?member=P%E2%80%AE1"),
            Some('\u{202E}')
        );
        assert_eq!(refused_in_address("/x?member=%e2%81%a6"), Some('\u{2066}'));
        assert_eq!(refused_in_address("/x?q=%E6%B9%96%2"), None);
        assert_eq!(refused_in_address("/v/ABCD-EFGH?lang=en"), None);
    }
}

#[cfg(test)]
mod tests {
    use actix_web::body::to_bytes;
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    use crate::error::ApiError;

    #[test]
    async fn voting_codes_in_links_are_not_logged() {
        assert_eq!(super::loggable_path("/v/KTKY-683T-A7E6"), "/v/{code}");
        assert_eq!(super::loggable_path("/v/"), "/v/{code}");
        assert_eq!(
            super::loggable_path("/api/v1/assemblies/a1/ballot"),
            "/api/v1/assemblies/a1/ballot"
        );
        assert_eq!(super::loggable_path("/vote"), "/vote");
    }

    async fn boom() -> HttpResponse {
        panic!("boom")
    }

    async fn refused() -> Result<HttpResponse, ApiError> {
        Err(crate::usecases::UseCaseError::BadCode.into())
    }

    #[actix_web::test]
    async fn a_panic_is_a_500_in_the_callers_language_and_the_app_lives_on() {
        let app = test::init_service(
            App::new()
                .wrap(from_fn(super::edge))
                .route("/boom", web::get().to(boom))
                .route("/refused", web::get().to(refused))
                .route(
                    "/ok",
                    web::get().to(|| async { HttpResponse::Ok().finish() }),
                ),
        )
        .await;
        let request = test::TestRequest::get()
            .uri("/boom")
            .insert_header(("accept-language", "en"))
            .to_request();
        let Err(error) = test::try_call_service(&app, request).await else {
            panic!("the panic must become an error response")
        };
        let response = error.error_response();
        assert_eq!(response.status().as_u16(), 500);
        assert!(response.headers().contains_key(super::REQUEST_ID));
        let body: serde_json::Value =
            serde_json::from_slice(&to_bytes(response.into_body()).await.unwrap()).unwrap();
        assert_eq!(body["error"]["code"], "internal");
        assert_eq!(
            body["error"]["message"],
            "Internal error; it has been logged."
        );

        // A handler's error comes back as a response carrying the error; it is re-rendered.
        let request = test::TestRequest::get().uri("/refused").to_request();
        let body: serde_json::Value = test::call_and_read_body_json(&app, request).await;
        assert_eq!(
            body["error"]["message"], "投票码不正确或已作废。",
            "Chinese by default"
        );
        let request = test::TestRequest::get()
            .uri("/refused")
            .insert_header(("accept-language", "en-GB"))
            .to_request();
        let body: serde_json::Value = test::call_and_read_body_json(&app, request).await;
        assert_eq!(
            body["error"]["message"],
            "This voting code is wrong or has been revoked."
        );

        let response =
            test::call_service(&app, test::TestRequest::get().uri("/ok").to_request()).await;
        assert_eq!(response.status().as_u16(), 200);
        assert!(response.headers().contains_key(super::REQUEST_ID));
    }
}
