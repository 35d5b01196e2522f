//! The JSON request body extractor. Unlike `web::Json`, it names the offending field by its
//! path (`votes[1].item`) when a value has the wrong type, not only for unknown or missing fields.

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::app::BodyLimits;
use crate::error::{ApiError, payload_error};
use crate::i18n::Msg;
use crate::usecases::UseCaseError;

/// A JSON body of type `T`; a body over the JSON limit is refused (413) before it is parsed.
#[derive(Debug)]
pub struct Body<T>(pub T);

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Body<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Body<T>, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = req
            .app_data::<web::Data<BodyLimits>>()
            .map_or(64 * 1024, |l| l.json_bytes);
        let declared = refuse_declared_oversize(req, limit, "JSON");
        let content_type = req.content_type().to_ascii_lowercase();
        let is_json = content_type == "application/json" || content_type.ends_with("+json");
        let mut payload = payload.take();
        Box::pin(async move {
            declared?;
            if !is_json {
                return Err(ApiError::Body {
                    msg: Msg::MalformedBody,
                    detail: "Content-Type must be application/json".into(),
                });
            }
            let mut bytes = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(payload_error)?;
                if bytes.len() + chunk.len() > limit {
                    return Err(too_large(limit, "JSON"));
                }
                bytes.extend_from_slice(&chunk);
            }
            parse(&bytes).map(Body)
        })
    }
}

/// A body whose `Content-Length` is over `limit` is refused (413) before a byte of it is read,
/// so a client cannot make the server wait for, or buffer, a body it will refuse anyway.
/// A body without a length (chunked) is counted as it arrives and refused at the limit.
pub fn refuse_declared_oversize(
    req: &HttpRequest,
    limit: usize,
    what: &str,
) -> Result<(), ApiError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(length) if length > limit as u64 => Err(too_large(limit, what)),
        _ => Ok(()),
    }
}

/// The 413 naming the limit (in bytes and KiB) that the body is over.
pub fn too_large(limit: usize, what: &str) -> ApiError {
    ApiError::Body {
        msg: Msg::BodyTooLarge,
        detail: format!(
            "the {what} body limit is {limit} bytes ({} KiB)",
            limit / 1024
        ),
    }
}

/// Syntax errors are the client's malformed body (400); a body that parses but does not fit the
/// route's shape is 422 naming the field.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some((field, c)) = refused_path(bytes) {
        return Err(ApiError::from(UseCaseError::invalid(
            &field,
            gongjue_domain::text::refusal(c),
        )));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if !inner.is_data() {
            return ApiError::Body {
                msg: Msg::MalformedBody,
                detail: inner.to_string(),
            };
        }
        let detail = inner.to_string();
        let msg = if detail.starts_with("unknown field") {
            Msg::UnknownField
        } else {
            Msg::InvalidValue
        };
        ApiError::from(UseCaseError::Invalid {
            msg,
            field: field_path(&path, &detail),
            detail,
        })
    })?;
    deserializer.end().map_err(|e| ApiError::Body {
        msg: Msg::MalformedBody,
        detail: e.to_string(),
    })?;
    Ok(value)
}

/// The path of the first string or member name holding a character no text may hold (NUL, a
/// bidirectional control: `gongjue_domain::text`), and that character. PostgreSQL keeps no NUL
/// in text (it would answer a database error) and SQLite would keep it; a bidirectional control
/// would show a title or name other than it is. Refused here, alike on both, naming the field.
fn refused_path(bytes: &[u8]) -> Option<(String, char)> {
    // Such a character comes escaped (`\u0000`) or as is: most bodies are spared a second parse.
    let escaped = bytes.windows(2).any(|w| w == b"\\u");
    let plain = std::str::from_utf8(bytes)
        .ok()
        .and_then(gongjue_domain::text::refused_char)
        .is_some();
    if !escaped && !plain {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    first_refused(&value, "")
}

fn first_refused(value: &serde_json::Value, path: &str) -> Option<(String, char)> {
    use gongjue_domain::text::refused_char;
    use serde_json::Value;
    let named = |path: &str| {
        if path.is_empty() {
            "(body)".to_owned()
        } else {
            path.to_owned()
        }
    };
    match value {
        Value::String(text) => refused_char(text).map(|c| (named(path), c)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| first_refused(item, &format!("{path}[{i}]"))),
        Value::Object(members) => members.iter().find_map(|(name, member)| {
            let here = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            match refused_char(name) {
                Some(c) => Some((here, c)),
                None => first_refused(member, &here),
            }
        }),
        _ => None,
    }
}

/// The path of the offending value. serde reports unknown and missing fields at their parent
/// and names them in backquotes, so those are appended to the parent's path.
fn field_path(path: &str, detail: &str) -> String {
    let parent = if path == "." { "" } else { path };
    let named = (detail.starts_with("unknown field") || detail.starts_with("missing field"))
        .then(|| detail.split('`').nth(1))
        .flatten();
    match (parent, named) {
        ("", Some(name)) => name.to_owned(),
        ("", None) => "(body)".to_owned(),
        (parent, Some(name)) if !parent.ends_with(name) => format!("{parent}.{name}"),
        (parent, _) => parent.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Vote {
        item: String,
        choice: String,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sheet {
        votes: Vec<Vote>,
    }

    fn field(json: &str) -> (String, String) {
        match parse::<Sheet>(json.as_bytes()) {
            Err(ApiError::UseCase(UseCaseError::Invalid { field, msg, .. })) => {
                (field, format!("{msg:?}"))
            }
            other => panic!("expected a field error, got {other:?}"),
        }
    }

    #[test]
    fn names_the_offending_field_by_its_path() {
        assert_eq!(
            field(r#"{"votes": [{"item": "a", "choice": "yes"}, {"item": 7, "choice": "no"}]}"#).0,
            "votes[1].item"
        );
        assert_eq!(field(r#"{"votes": [{"item": "a"}]}"#).0, "votes[0].choice");
        assert_eq!(
            field(r#"{"votes": [{"item": "a", "choice": "yes", "colour": 1}]}"#),
            ("votes[0].colour".into(), "UnknownField".into())
        );
        assert_eq!(field(r#"{"votes": 1}"#).0, "votes");
        assert_eq!(field(r#"{}"#).0, "votes");
    }

    #[test]
    fn a_nul_anywhere_is_refused_naming_its_field() {
        assert_eq!(field(r#"{"votes": [{"item": "a", "choice": "yes"}, {"item": "b", "choice": "y\u0000es"}]}"#).0, "votes[1].choice");
        assert_eq!(
            field(r#"{"votes": [{"item": "a", "choice": "yes", "x\u0000": 1}]}"#).0,
            "votes[0].x\0"
        );
        // A bidirectional control, escaped or as is.
        assert_eq!(
            field(r#"{"votes": [{"item": "a\u202e", "choice": "yes"}]}"#).0,
            "votes[0].item"
        );
        assert_eq!(
            field("{\"votes\": [{\"item\": \"a\", \"choice\": \"ye\u{2066}s\"}]}").0,
            "votes[0].choice"
        );
        // An escaped backslash followed by "u0000" is six characters of text, not a NUL.
        assert!(parse::<Sheet>(br#"{"votes": [{"item": "\\u0000", "choice": "yes"}]}"#).is_ok());
    }

    #[test]
    fn syntax_is_a_malformed_body() {
        for bad in ["", "{", r#"{"votes": []} trailing"#, r#"{"votes": ["#] {
            assert!(
                matches!(
                    parse::<Sheet>(bad.as_bytes()),
                    Err(ApiError::Body {
                        msg: Msg::MalformedBody,
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
    }
}
