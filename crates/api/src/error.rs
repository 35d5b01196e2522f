//! The API's one error type, and the one place where errors become HTTP responses.
//!
//! Every store error is placed by an exhaustive `match`: a new variant in the store must be
//! given a status here deliberately. Texts come from the catalogue in `i18n.rs`, in the
//! language of the request (the `edge` middleware re-renders with it).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use gongjue_store::StoreError;
use serde_json::{Value, json};

use crate::i18n::{self, Lang, Msg};
use crate::usecases::UseCaseError;

/// An error of a request: one the HTTP edge finds itself (no or a broken token, an unreadable
/// body, no such route), or the refusal of a use case.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no credentials")]
    Unauthenticated,
    #[error("invalid or expired token")]
    BadToken,
    /// The body could not be read as the route's JSON (400), or is too large (413).
    #[error("unreadable body: {detail}")]
    Body { msg: Msg, detail: String },
    #[error("no such route")]
    NoRoute,
    #[error(transparent)]
    UseCase(#[from] UseCaseError),
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::UseCase(UseCaseError::Store(e))
    }
}

impl ApiError {
    /// The status, the message and what else the client should see.
    fn parts(&self) -> (StatusCode, Msg, Option<&str>, Option<String>) {
        match self {
            ApiError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, Msg::Unauthenticated, None, None)
            }
            ApiError::BadToken => (StatusCode::UNAUTHORIZED, Msg::BadToken, None, None),
            ApiError::Body { msg, detail } => {
                let status = if *msg == Msg::BodyTooLarge {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::BAD_REQUEST
                };
                (status, *msg, None, Some(detail.clone()))
            }
            ApiError::NoRoute => (StatusCode::NOT_FOUND, Msg::NoRoute, None, None),
            ApiError::UseCase(e) => use_case_parts(e),
        }
    }

    /// The JSON body `{"error": {"code", "message", "field"?, "detail"?, "issues"?}}`.
    pub fn render(&self, lang: Lang) -> HttpResponse {
        let (status, body) = self.body(lang);
        let mut response = HttpResponse::build(status).json(body);
        retry_later(status, response.headers_mut());
        self.retry_after(response.headers_mut());
        response
    }

    /// The `Retry-After` of an error that says when to come back (a rate limit).
    pub fn retry_after(&self, headers: &mut actix_web::http::header::HeaderMap) {
        if let ApiError::UseCase(UseCaseError::TooFrequent { retry_after }) = self {
            headers.insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(*retry_after),
            );
        }
    }

    pub fn body(&self, lang: Lang) -> (StatusCode, Value) {
        let (status, msg, field, detail) = self.parts();
        let mut error = json!({ "code": msg.code(), "message": msg.text(lang) });
        if let Value::Object(map) = &mut error {
            if let Some(field) = field {
                map.insert("field".into(), Value::from(field));
            }
            if let Some(detail) = detail {
                map.insert("detail".into(), Value::from(detail));
            }
            if let ApiError::UseCase(UseCaseError::Store(StoreError::RosterInvalid(issues))) = self
            {
                let issues: Vec<Value> = issues
                    .iter()
                    .map(|i| json!({ "line": i.line, "column": i.column, "message": i18n::roster_issue(&i.kind, lang) }))
                    .collect();
                map.insert("issues".into(), Value::from(issues));
            }
        }
        (status, json!({ "error": error }))
    }
}

/// The status of each refusal of a use case, its message, and what else the client should see.
fn use_case_parts(e: &UseCaseError) -> (StatusCode, Msg, Option<&str>, Option<String>) {
    match e {
        UseCaseError::BadCredentials => (StatusCode::UNAUTHORIZED, Msg::BadCredentials, None, None),
        UseCaseError::BadCode => (StatusCode::UNAUTHORIZED, Msg::BadCode, Some("code"), None),
        UseCaseError::BadSession => (StatusCode::UNAUTHORIZED, Msg::BadToken, None, None),
        UseCaseError::SessionTooOld => (StatusCode::UNAUTHORIZED, Msg::SessionTooOld, None, None),
        UseCaseError::TooManyAttempts => (
            StatusCode::TOO_MANY_REQUESTS,
            Msg::TooManyAttempts,
            None,
            None,
        ),
        UseCaseError::TooFrequent { .. } => {
            (StatusCode::TOO_MANY_REQUESTS, Msg::TooFrequent, None, None)
        }
        UseCaseError::Forbidden(msg) => (StatusCode::FORBIDDEN, *msg, None, None),
        UseCaseError::Invalid { msg, field, detail } => (
            StatusCode::UNPROCESSABLE_ENTITY,
            *msg,
            Some(field),
            Some(detail.clone()),
        ),
        UseCaseError::Rule(msg) => (StatusCode::CONFLICT, *msg, None, None),
        UseCaseError::RuleInState { msg, state } => (
            StatusCode::CONFLICT,
            *msg,
            None,
            Some(format!("assembly is {state}")),
        ),
        UseCaseError::Store(e) => match e {
            StoreError::RosterInvalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Msg::RosterInvalid,
                None,
                None,
            ),
            StoreError::NotFound(what) => (
                StatusCode::NOT_FOUND,
                Msg::NotFound,
                None,
                Some(format!("{what} not found")),
            ),
            StoreError::Conflict(why) => {
                (StatusCode::CONFLICT, Msg::Conflict, None, Some(why.clone()))
            }
            StoreError::Invalid(why) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Msg::InvalidValue,
                None,
                Some(why.clone()),
            ),
            StoreError::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                Msg::Unavailable,
                None,
                None,
            ),
            StoreError::StorageFull(_) => (
                StatusCode::INSUFFICIENT_STORAGE,
                Msg::StorageFull,
                None,
                None,
            ),
            StoreError::Corrupt(_) | StoreError::Migration(_) | StoreError::Database(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, Msg::Internal, None, None)
            }
        },
        UseCaseError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, Msg::Internal, None, None),
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().0
    }

    fn error_response(&self) -> HttpResponse {
        if self.status_code().is_server_error() {
            tracing::error!(error = %self, "request failed");
        } else {
            tracing::info!(error = %self, "request refused");
        }
        self.render(Lang::ZhCn)
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        UseCaseError::Internal(format!("blocking task failed: {e}")).into()
    }
}

/// Seconds a client is asked to wait before retrying when the database is busy or unreachable.
pub const RETRY_AFTER_SECONDS: u32 = 5;

/// Seconds a client is asked to wait when the server's storage is full (an operator must act).
pub const RETRY_AFTER_FULL_SECONDS: u32 = 60;

/// A 503 (or a 507, storage full) tells the client when to retry (`Retry-After`), so that the
/// voting form and scripts retry instead of giving up: the request had no effect and may be
/// sent again as it is.
pub fn retry_later(status: StatusCode, headers: &mut actix_web::http::header::HeaderMap) {
    if status == StatusCode::INSUFFICIENT_STORAGE
        && !headers.contains_key(actix_web::http::header::RETRY_AFTER)
    {
        headers.insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(RETRY_AFTER_FULL_SECONDS),
        );
    }
    if status == StatusCode::SERVICE_UNAVAILABLE
        && !headers.contains_key(actix_web::http::header::RETRY_AFTER)
    {
        headers.insert(
            actix_web::http::header::RETRY_AFTER,
            actix_web::http::header::HeaderValue::from(RETRY_AFTER_SECONDS),
        );
    }
}

pub fn payload_error(err: actix_web::error::PayloadError) -> ApiError {
    match err {
        actix_web::error::PayloadError::Overflow => ApiError::Body {
            msg: Msg::BodyTooLarge,
            detail: err.to_string(),
        },
        other => ApiError::Body {
            msg: Msg::MalformedBody,
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_their_status() {
        let cases = [
            (StoreError::NotFound("x".into()), 404),
            (StoreError::Conflict("x".into()), 409),
            (StoreError::Invalid("x".into()), 422),
            (StoreError::Unavailable("x".into()), 503),
            (StoreError::StorageFull("x".into()), 507),
            (StoreError::Corrupt("x".into()), 500),
            (StoreError::RosterInvalid(vec![]), 422),
        ];
        for (error, status) in cases {
            assert_eq!(ApiError::from(error).status_code().as_u16(), status);
        }
    }
}
