//! The error answers every operation can give, added to the OpenAPI document in one place.
//!
//! The edge maps errors to HTTP once (`error.rs`), so some answers do not depend on the route:
//! an unreadable body or query (400), no or a bad token (401), a role or estate refusal (403),
//! an unknown id in the path (404), a body over the limit (413), a value breaking a rule (422),
//! the database busy or down (503, with `Retry-After`) and the storage full (507, writes only).
//! Listing them per route by hand would drift; schemathesis (`.ci/schemathesis.sh`) checks that
//! every status a route answers is documented. A route's own entry for a status is kept.

use utoipa::Modify;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{Content, HeaderBuilder, OpenApi, Ref, ResponseBuilder};

pub struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let path_params = item
                .parameters
                .as_ref()
                .is_some_and(|p| p.iter().any(|p| p.parameter_in == ParameterIn::Path));
            for (op, writes) in [
                (&mut item.get, false),
                (&mut item.put, true),
                (&mut item.post, true),
                (&mut item.delete, true),
                (&mut item.patch, true),
            ] {
                if let Some(op) = op.as_mut() {
                    add_common(op, writes, path_params);
                }
            }
        }
    }
}

fn add_common(op: &mut Operation, writes: bool, path_params_on_item: bool) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_path_param = path_params_on_item
        || op
            .parameters
            .as_ref()
            .is_some_and(|p| p.iter().any(|p| p.parameter_in == ParameterIn::Path));
    let has_body = op.request_body.is_some();
    let wanted: [(&str, bool, &str); 8] = [
        (
            "400",
            true,
            "The request could not be read: malformed JSON, a wrong content type, an unreadable query",
        ),
        ("401", secured, "No, an invalid or an expired token"),
        (
            "403",
            secured,
            "The caller's role or estate does not allow this",
        ),
        (
            "404",
            has_path_param,
            "No such record (or not visible to the caller)",
        ),
        (
            "413",
            has_body,
            "The body is larger than the server accepts",
        ),
        (
            "422",
            true,
            "A value of the request is invalid; `field` names it",
        ),
        (
            "503",
            true,
            "The database is busy or unreachable; nothing was changed, retry after `Retry-After` seconds",
        ),
        (
            "507",
            writes,
            "The server's storage is full; nothing was changed, retry later",
        ),
    ];
    for (status, applies, description) in wanted {
        if !applies || op.responses.responses.contains_key(status) {
            continue;
        }
        let mut response = ResponseBuilder::new().description(description).content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        );
        if status == "503" {
            response = response.header(
                "Retry-After",
                HeaderBuilder::new()
                    .description(Some("seconds to wait before retrying"))
                    .build(),
            );
        }
        op.responses
            .responses
            .insert(status.to_owned(), response.build().into());
    }
}
