//! The OpenAPI document's shared pieces, in one place so that every route (new ones too) uses
//! the same: the two security schemes, the error responses with their codes, the headers every
//! response carries, and the schemas of JSON the domain crate writes (it has no utoipa).
//!
//! Route annotations name a scheme as `security(("staff" = []))`, `security(("owner" = []))`
//! or both; a route without `security` is public and gets `security: []` here. A route lists
//! in `responses` the statuses particular to it (409 above all); [`finish`] replaces every
//! error response by the shared component of its status, or by the route's own entry in
//! [`ROUTE_ERRORS`] (description and `x-error-codes`), and adds the statuses every route of
//! its kind can answer (see [`common_statuses`]). A unit test fails when a route declares an
//! error status that neither covers.
//!
//! The schemas written by hand here mirror serde output of the domain crate (results, rules,
//! scopes, choices); the end-to-end tests validate every JSON response against the served
//! document (tests/api/helpers.rs), so a drift fails there.

use serde_json::{Value, json};
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{
    Content, HeaderBuilder, OpenApi, Ref, RefOr, Required, Response, ResponseBuilder,
};

use crate::schema_refs::schema_of;

/// Security scheme of staff tokens (`POST /api/v1/sessions`).
pub const STAFF: &str = "staff";
/// Security scheme of owners' tokens (`POST /api/v1/owner-sessions`, with a voting code).
pub const OWNER: &str = "owner";

/// The error statuses shared by every route, as response components: (status, component,
/// description, codes). Codes are `error.code` values a client can match on.
const COMMON_ERRORS: &[(&str, &str, &str, &[&str])] = &[
    (
        "400",
        "BadRequest",
        "The request could not be read: malformed JSON, a wrong content type",
        &["malformed_body"],
    ),
    (
        "401",
        "Unauthorized",
        "No token, or an invalid, expired or revoked one",
        &["unauthenticated", "bad_token"],
    ),
    (
        "403",
        "Forbidden",
        "The caller's role, estate or assembly does not allow this",
        &[
            "forbidden",
            "other_estate",
            "staff_only",
            "owners_only",
            "read_only_role",
            "not_in_electorate",
            "no_proxy_for_item",
        ],
    ),
    (
        "404",
        "NotFound",
        "No such record (or not visible to the caller)",
        &["not_found", "no_route"],
    ),
    (
        "413",
        "PayloadTooLarge",
        "The body is larger than the server accepts; `detail` names the limit",
        &["body_too_large"],
    ),
    (
        "422",
        "UnprocessableEntity",
        "A value of the request is invalid; `field` names it",
        &[
            "invalid_value",
            "unknown_field",
            "invalid_choice",
            "receipt_outside_window",
            "estate_needed",
        ],
    ),
    (
        "429",
        "TooManyRequests",
        "Too many failed attempts from this address (or on this assembly); try later",
        &["too_many_attempts", "too_frequent"],
    ),
    (
        "503",
        "ServiceUnavailable",
        "The database is busy or unreachable; nothing was changed, retry after `Retry-After` seconds",
        &["unavailable"],
    ),
    (
        "507",
        "InsufficientStorage",
        "The server's storage is full; nothing was changed, retry after `Retry-After` seconds",
        &["storage_full"],
    ),
];

/// Error responses particular to one operation (by operation id, the handler's name):
/// (operation, status, description, codes). Every 409 a route declares must be listed.
pub const ROUTE_ERRORS: &[(&str, &str, &str, &[&str])] = &[
    (
        "request_sms_code",
        "409",
        "Voting is not open, or the estate does not send SMS",
        &["sms_sign_in_only_while_open", "sms_not_offered"],
    ),
    (
        "sms_sign_in",
        "409",
        "Voting is not open",
        &["sms_sign_in_only_while_open"],
    ),
    (
        "sms_sign_in",
        "401",
        "Wrong, expired or spent code",
        &["bad_code"],
    ),
    (
        "add_witness",
        "409",
        "A witness of that name is already registered",
        &["conflict"],
    ),
    (
        "cosign",
        "403",
        "The note carries no signature of a witness registered for the estate",
        &["not_a_witness"],
    ),
    (
        "cosign",
        "409",
        "The log never made a checkpoint of that size and root",
        &["checkpoint_unknown"],
    ),
    (
        "dissent",
        "403",
        "The note carries no signature of a witness registered for the estate",
        &["not_a_witness"],
    ),
    (
        "login",
        "403",
        "The user holds no role, or none in the estate asked for",
        &["forbidden", "other_estate"],
    ),
    (
        "login",
        "401",
        "Wrong login or password",
        &["bad_credentials"],
    ),
    (
        "owner_login",
        "401",
        "Unknown or revoked voting code",
        &["bad_code"],
    ),
    (
        "import_roster",
        "422",
        "The roster has errors: every one is in `issues` with its line; nothing was stored",
        &["roster_invalid", "invalid_value"],
    ),
    (
        "add_item",
        "409",
        "The assembly is no longer a draft",
        &["items_only_in_draft", "conflict"],
    ),
    (
        "refresh",
        "401",
        "No token, an invalid, expired or ended one, or a sign-in too old to refresh",
        &["unauthenticated", "bad_token", "session_too_old"],
    ),
    (
        "update_item",
        "409",
        "The assembly is no longer a draft; `detail` names its state",
        &["items_fixed"],
    ),
    (
        "delete_item",
        "409",
        "The assembly is no longer a draft (`detail` names its state), or a proxy names the item",
        &["items_fixed", "item_named_by_proxy"],
    ),
    (
        "extend_voting",
        "409",
        "Voting is not open (`detail` names the state), or it was closed or extended meanwhile",
        &["extend_only_while_open", "extension_not_later"],
    ),
    (
        "extend_voting",
        "422",
        "No reason, or the new closing time is not later than the current one and now, or past the estate's limit",
        &["invalid_value", "extension_not_later", "extension_too_long"],
    ),
    (
        "next_round",
        "409",
        "Not a consultation, its voting not closed (`detail` names the state), a next round already set up, or the assembly no longer a draft",
        &[
            "rounds_of_consultations",
            "round_after_closing",
            "round_exists",
            "items_only_in_draft",
        ],
    ),
    (
        "add_document",
        "409",
        "The assembly was announced: its documents are fixed (`detail` names its state)",
        &["documents_fixed"],
    ),
    (
        "add_document",
        "422",
        "No name, an empty or too large file, or not a PDF or an image",
        &["invalid_value", "document_type"],
    ),
    (
        "remove_document",
        "409",
        "The assembly was announced: its documents are fixed (`detail` names its state)",
        &["documents_fixed"],
    ),
    (
        "round",
        "409",
        "The assembly is not open for voting (`detail` names its state)",
        &["round_only_while_open"],
    ),
    (
        "record_visit",
        "409",
        "The assembly is not open for voting (`detail` names its state)",
        &["round_only_while_open"],
    ),
    (
        "register_candidate",
        "409",
        "Not an election, or the assembly was announced: the register is fixed (`detail` names its state)",
        &["candidates_of_elections", "candidates_fixed"],
    ),
    (
        "review_candidate",
        "409",
        "The registrant reviewing their own entry, or the assembly announced (`detail` names its state)",
        &[
            "candidate_review_same_person",
            "candidates_fixed",
            "candidates_of_elections",
        ],
    ),
    (
        "list_candidates",
        "409",
        "Not an election",
        &["candidates_of_elections"],
    ),
    (
        "announce",
        "422",
        "An election's candidate not registered or not found eligible (`field` names it), or an item that cannot be counted",
        &[
            "candidate_not_reviewed",
            "follow_not_in_rules",
            "setup_cannot_count",
            "invalid_value",
        ],
    ),
    (
        "set_follow_majority",
        "422",
        "Enabled without the clause of the rules of procedure that provides for it",
        &["invalid_value"],
    ),
    (
        "cancel",
        "409",
        "The assembly is closed or cancelled already; `detail` names its state",
        &["cancel_not_allowed"],
    ),
    (
        "announce",
        "409",
        "`opens_at` is nearer than the notice period, the assembly has no items, or it is not a draft",
        &["notice_too_short", "no_items_to_announce", "conflict"],
    ),
    (
        "open",
        "409",
        "Before `opens_at`, or the assembly is not announced",
        &["voting_not_open", "conflict"],
    ),
    (
        "close",
        "409",
        "Before `closes_at` without a reason, or the assembly is not open",
        &["closing_early", "conflict"],
    ),
    (
        "issue_codes",
        "409",
        "The assembly is closed or cancelled, or a member named had a code already (a new one is a re-issue)",
        &["voting_closed", "code_already_issued"],
    ),
    (
        "request_reissue",
        "409",
        "The assembly is closed or cancelled, the member has no code to re-issue, or a re-issue of theirs is pending",
        &["voting_closed", "no_code_to_reissue", "reissue_pending"],
    ),
    (
        "confirm_reissue",
        "409",
        "The person who asked cannot confirm it, it is confirmed already, or the assembly is closed or cancelled",
        &["reissue_same_person", "reissue_confirmed", "voting_closed"],
    ),
    (
        "record_proxy",
        "409",
        "The assembly is closed or cancelled, or the proxy is already recorded",
        &["voting_closed", "conflict"],
    ),
    (
        "transfer",
        "409",
        "Voting is not open, or the old owner has voted already",
        &["conflict", "seller_voted", "voting_closed"],
    ),
    (
        "transfer",
        "422",
        "A value is invalid (`field` names it): an unclear deed reference, an unknown unit, or a new owner's id that is already an owner of the assembly without `buyer_is_member`",
        &[
            "invalid_value",
            "unknown_field",
            "deed_ref_unclear",
            "transfer_merges_members",
        ],
    ),
    (
        "confirm_transfer",
        "409",
        "The person who recorded it cannot confirm it, it is confirmed already, the seller has voted meanwhile, the unit moved by another transfer, or voting is not open",
        &[
            "transfer_same_person",
            "transfer_not_pending",
            "seller_voted",
            "transfer_unit_moved",
            "voting_closed",
        ],
    ),
    (
        "cast",
        "409",
        "Voting is not open, or the ballot cannot be replaced",
        &[
            "voting_not_open",
            "voting_closed",
            "confirmed_ballot",
            "own_ballot_supersedes",
            "ballot_not_changeable",
            "conflict",
        ],
    ),
    (
        "enter_paper",
        "409",
        "Voting is not open (outside a correction during the objection period that answers an open objection of the member on the item), the ballot cannot be replaced, or the paper was received before the member's current ballot was cast",
        &[
            "voting_not_open",
            "voting_closed",
            "confirmed_ballot",
            "own_ballot_supersedes",
            "ballot_not_changeable",
            "paper_older_than_ballot",
            "correction_needs_objection",
            "conflict",
        ],
    ),
    (
        "confirm_paper",
        "409",
        "The person who entered it cannot confirm it, the count is closed (a correction after closing must still answer an open objection), a newer ballot of the member replaced it, or it is confirmed already",
        &[
            "same_person_confirms",
            "volunteer_creator_confirms",
            "voting_closed",
            "correction_needs_objection",
            "paper_ballot_superseded",
            "conflict",
        ],
    ),
    (
        "confirm_paper_sheet",
        "409",
        "The person who entered one of them cannot confirm it, the count is closed (a correction after closing must still answer an open objection), a newer ballot of the member replaced one, or one is confirmed already: none is confirmed",
        &[
            "same_person_confirms",
            "volunteer_creator_confirms",
            "voting_closed",
            "correction_needs_objection",
            "paper_ballot_superseded",
            "conflict",
        ],
    ),
    (
        "result",
        "409",
        "Voting has not closed yet",
        &["result_before_closing"],
    ),
    (
        "bundle",
        "409",
        "Voting has not closed, or the result is not final yet (or the server cannot read the estate's signing key)",
        &[
            "result_before_closing",
            "objection_period_running",
            "signing_key_unreadable",
        ],
    ),
    (
        "signature",
        "409",
        "Voting has not closed, or the result is not final yet (or the server cannot read the estate's signing key)",
        &[
            "result_before_closing",
            "objection_period_running",
            "signing_key_unreadable",
        ],
    ),
    (
        "get_publication",
        "409",
        "Nothing published yet: voting has not closed",
        &["not_closed_yet"],
    ),
    (
        "my_record",
        "409",
        "Nothing published yet: voting has not closed",
        &["not_closed_yet"],
    ),
    (
        "objections",
        "409",
        "Nothing published yet: voting has not closed",
        &["not_closed_yet"],
    ),
    (
        "announcement_csv",
        "409",
        "Nothing published yet: voting has not closed",
        &["not_closed_yet"],
    ),
    (
        "announcement_html",
        "409",
        "Nothing published yet: voting has not closed",
        &["not_closed_yet"],
    ),
    (
        "file_objection",
        "409",
        "Voting has not closed, the objection period is over, or the result is final",
        &["not_closed_yet", "objection_period_over", "already_final"],
    ),
    (
        "resolve_objection",
        "409",
        "Already resolved, the result is final, or a correction names no ballot",
        &[
            "objection_resolved",
            "already_final",
            "correction_needs_ballot",
            "conflict",
        ],
    ),
    (
        "publish_final",
        "409",
        "Not closed, the objection period runs, an objection is open, already final, the server cannot read the estate's signing key, a record disagrees with the audit log, or a witness of the log dissents",
        &[
            "not_closed_yet",
            "objection_period_running",
            "objections_unresolved",
            "already_final",
            "conflict",
            "signing_key_unreadable",
            "audit_disagrees",
            "witness_dissents",
        ],
    ),
    (
        "preview",
        "409",
        "The result notice exists only after closing",
        &["result_before_closing"],
    ),
    (
        "remind",
        "409",
        "Reminders are sent only while voting is open",
        &["reminders_only_while_open"],
    ),
    (
        "publish_results",
        "409",
        "Voting has not closed yet",
        &["result_before_closing"],
    ),
];

/// Successful bodies that are not a derived type: (operation, content type, schema).
fn success_bodies() -> Vec<(&'static str, &'static str, Value)> {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    vec![
        ("healthz", "application/json", r("Health")),
        ("jwks", "application/json", r("Jwks")),
        ("audit_verify", "application/json", r("AuditReport")),
        ("result", "application/json", r("TallyResult")),
        ("bundle", "application/json", r("TallyBundle")),
        (
            "signature",
            "application/jose",
            json!({
                "type": "string",
                "pattern": "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$",
                "description": "Compact JWS (alg EdDSA, `kid` in the header) over the bundle's SHA-256"
            }),
        ),
        (
            "announcement_csv",
            "text/csv",
            json!({ "type": "string", "description": "UTF-8 with a BOM" }),
        ),
        (
            "announcement_html",
            "text/html",
            json!({ "type": "string" }),
        ),
    ]
}

/// The error statuses every operation of its kind can answer, whatever its annotation says:
/// the edge maps errors to HTTP once (`error.rs`), so these do not depend on the route.
fn common_statuses(op: &Operation, writes: bool, has_path_param: bool) -> Vec<&'static str> {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = op.request_body.is_some();
    let mut statuses = vec!["400", "422", "503"];
    if secured {
        statuses.extend(["401", "403"]);
    }
    if has_path_param {
        statuses.push("404");
    }
    if has_body {
        statuses.push("413");
    }
    if writes {
        statuses.push("507");
    }
    statuses
}

fn header(description: &str, format: Option<&str>) -> utoipa::openapi::header::Header {
    let schema = match format {
        Some(format) => json!({ "type": "string", "format": format }),
        None => json!({ "type": "string" }),
    };
    HeaderBuilder::new()
        .description(Some(description))
        .schema(schema_of(schema))
        .build()
}

fn request_id_header() -> utoipa::openapi::header::Header {
    header(
        "The request's id, also in the server's log lines; a client's own `x-request-id` (letters, digits, dashes, at most 64) is kept",
        None,
    )
}

fn retry_after_header() -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .description(Some(
            "Seconds to wait before sending the same request again",
        ))
        .schema(schema_of(json!({ "type": "integer", "minimum": 0 })))
        .build()
}

fn error_response(description: &str, codes: &[&str], retry: bool) -> Response {
    let listed = codes
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut response = ResponseBuilder::new()
        .description(format!("{description}. Codes: {listed}."))
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("ErrorBody"))),
        )
        .header("x-request-id", request_id_header());
    if retry {
        response = response.header("Retry-After", retry_after_header());
    }
    let mut response = response.build();
    let mut extensions = utoipa::openapi::extensions::Extensions::default();
    extensions.insert("x-error-codes".into(), json!(codes));
    response.extensions = Some(extensions);
    response
}

/// Completes the document once the app has collected every route: shared components, the
/// security of public routes, error responses, headers, path ids and request bodies.
pub fn finish(openapi: &mut OpenApi) {
    openapi.info.title = "Gongjue API".into();
    openapi.info.description = Some(
        "Gongjue (共决): owners' assemblies (业主大会) of residential estates in China. Rosters, \
         assemblies, voting codes, ballots, results counted as PRC Civil Code art. 278 requires, \
         two-stage publication and signed exports. Errors are `{\"error\": {\"code\", \"message\", \
         \"field\"?, \"detail\"?, \"issues\"?}}`; each error response lists its codes in \
         `x-error-codes`. Messages follow `Accept-Language` (zh-CN by default, or en)."
            .into(),
    );
    openapi.servers = Some(vec![
        ServerBuilder::new()
            .url("/")
            .description(Some("The server that serves this document"))
            .build(),
    ]);
    let components = openapi.components.get_or_insert_with(Default::default);
    components.security_schemes.clear();
    for (name, description) in [
        (
            STAFF,
            "A staff token from `POST /api/v1/sessions` (secretary, auditor, admin; one estate)",
        ),
        (
            OWNER,
            "An owner's token from `POST /api/v1/owner-sessions` (a voting code; one assembly)",
        ),
    ] {
        components.add_security_scheme(
            name,
            SecurityScheme::Http(
                Http::builder()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(description))
                    .build(),
            ),
        );
    }
    for (name, schema) in schemas() {
        components.schemas.insert(name.into(), schema_of(schema));
    }
    for (status, name, description, codes) in COMMON_ERRORS {
        let retry = matches!(*status, "503" | "507");
        components.responses.insert(
            (*name).into(),
            RefOr::T(error_response(description, codes, retry)),
        );
    }
    for (path, item) in openapi.paths.paths.iter_mut() {
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
                finish_operation(path, op, writes, path_params);
            }
        }
    }
}

fn finish_operation(path: &str, op: &mut Operation, writes: bool, path_params_on_item: bool) {
    if op.security.is_none() {
        // Public: said explicitly, so that a generated client sends no token.
        op.security = Some(Vec::new());
    }
    let id = op.operation_id.clone().unwrap_or_default();
    let mut has_path_param = path_params_on_item;
    for param in op.parameters.iter_mut().flatten() {
        if param.parameter_in == ParameterIn::Path {
            has_path_param = true;
            // Every id in a path is a UUID (estates, assemblies, items, ballots, objections).
            if param.name == "id" {
                param.schema = Some(schema_of(json!({ "type": "string", "format": "uuid" })));
            }
        }
    }
    op.parameters.get_or_insert_with(Vec::new).push(
        ParameterBuilder::new()
            .name("Accept-Language")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Language of error messages and documents: zh-CN (default) or en",
            ))
            .schema(Some(schema_of(
                json!({ "type": "string", "examples": ["zh-CN", "en"] }),
            )))
            .build(),
    );
    fix_request_body(path, op);
    if let Some((_, content_type, schema)) = success_bodies().into_iter().find(|(o, ..)| *o == id)
        && let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200")
    {
        ok.content.clear();
        ok.content
            .insert(content_type.into(), Content::new(Some(schema_of(schema))));
    }
    // A document's bytes, in whichever of its types it is (a derive writes them as text).
    if id == "document_content"
        && let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200")
    {
        for content in ok.content.values_mut() {
            content.schema = Some(schema_of(json!({ "type": "string", "format": "binary" })));
        }
    }
    let mut statuses: Vec<String> = op
        .responses
        .responses
        .keys()
        .filter(|s| s.starts_with('4') || s.starts_with('5'))
        .cloned()
        .collect();
    for status in common_statuses(op, writes, has_path_param) {
        if !statuses.iter().any(|s| s == status) {
            statuses.push(status.into());
        }
    }
    statuses.sort();
    statuses.dedup();
    for status in statuses {
        let response = match ROUTE_ERRORS
            .iter()
            .find(|(o, s, _, _)| *o == id && *s == status)
        {
            Some((_, _, description, codes)) => RefOr::T(error_response(description, codes, false)),
            None => match COMMON_ERRORS.iter().find(|(s, ..)| *s == status) {
                Some((_, name, ..)) => {
                    RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
                }
                // Left as declared: the unit test below names the route and status.
                None => continue,
            },
        };
        op.responses.responses.insert(status, response);
    }
    for response in op.responses.responses.values_mut() {
        if let RefOr::T(response) = response {
            response
                .headers
                .insert("x-request-id".into(), request_id_header());
        }
    }
}

/// Request bodies a derive cannot say: the roster's bytes, and the JSON bodies that may be
/// left out (sent empty, they mean the defaults).
fn fix_request_body(path: &str, op: &mut Operation) {
    let Some(body) = op.request_body.as_mut() else {
        return;
    };
    if path.ends_with("/roster") || path.ends_with("/documents") {
        body.content.clear();
        body.content.insert(
            "application/octet-stream".into(),
            Content::new(Some(schema_of(
                json!({ "type": "string", "format": "binary", "contentMediaType": "application/octet-stream" }),
            ))),
        );
        body.description = Some(
            "The roster file's bytes as exported by the property company: CSV (UTF-8, UTF-16 or \
             GBK, with the header `zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email`) \
             or XLSX. The format is recognised from the bytes; any content type is accepted."
                .into(),
        );
        body.required = Some(Required::True);
        return;
    }
    let optional = match op.operation_id.as_deref() {
        Some("close") => Some("CloseRequest"),
        Some("issue_codes") => Some("IssueCodesRequest"),
        _ => None,
    };
    if let Some(name) = optional {
        body.content.clear();
        body.content.insert(
            "application/json".into(),
            Content::new(Some(Ref::from_schema_name(name))),
        );
        body.required = Some(Required::False);
    }
}

/// `schema_with` helpers: a field whose Rust type is `serde_json::Value` or a plain `String`
/// named by the schema it really has.
pub use crate::schema_refs as refs;

fn weight_props() -> Value {
    json!({
        "area": { "type": "string", "pattern": "^[0-9]+\\.[0-9]{2}$", "description": "m², exactly two decimals" },
        "heads": { "type": "integer", "minimum": 0, "description": "owners (one head per owner)" },
        "units": { "type": "integer", "minimum": 0 }
    })
}

fn with_weight(mut extra: Value) -> Value {
    if let (Some(props), Value::Object(weight)) = (extra.as_object_mut(), weight_props()) {
        props.extend(weight);
    }
    extra
}

fn string_enum(values: &[&str], description: &str) -> Value {
    json!({ "type": "string", "enum": values, "description": description })
}

fn kind_tag(kind: &str) -> Value {
    json!({ "type": "string", "enum": [kind] })
}

/// The hand-written component schemas: (name, JSON Schema 2020-12 as OpenAPI 3.1 takes it).
fn schemas() -> Vec<(&'static str, Value)> {
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let array_of = |name: &str| json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let mut out = vec![
        (
            "AssemblyState",
            string_enum(
                &["draft", "announced", "open", "closed", "cancelled"],
                "An assembly's state",
            ),
        ),
        (
            "ItemState",
            string_enum(
                &["draft", "open", "closed"],
                "An item's state: open once its electorate is frozen",
            ),
        ),
        (
            "ItemKind",
            string_enum(
                &["motion", "election", "consultation"],
                "What an item decides",
            ),
        ),
        (
            "Role",
            string_enum(
                &["secretary", "auditor", "admin", "volunteer", "owner"],
                "The role a token carries",
            ),
        ),
        (
            "Channel",
            string_enum(&["web", "proxy", "paper"], "How a ballot was cast"),
        ),
        (
            "PublicationStage",
            string_enum(
                &["preliminary", "final"],
                "Preliminary during the objection period, then final",
            ),
        ),
        (
            "ObjectionStatus",
            string_enum(&["open", "rejected", "corrected"], "An objection's status"),
        ),
        (
            "Resolution",
            string_enum(&["rejected", "corrected"], "How an objection is resolved"),
        ),
        (
            "TransferState",
            string_enum(
                &["pending", "confirmed"],
                "A transfer of a unit's vote: pending (waiting for a second staff member; nothing changed yet) or confirmed (in effect)",
            ),
        ),
        (
            "OutboxStatus",
            string_enum(
                &["pending", "sent", "failed"],
                "An e-mail's status in the outbox",
            ),
        ),
        (
            "Language",
            string_enum(&["zh-CN", "en"], "A notice language"),
        ),
        (
            "ChangedField",
            string_enum(
                &["area", "owner_id", "zone", "floor"],
                "A unit's field that changed between roster versions",
            ),
        ),
        (
            "Measure",
            string_enum(&["area", "heads", "units"], "What a threshold measures"),
        ),
        (
            "Comparison",
            string_enum(
                &[">=", ">"],
                "`>=` (以上, boundary included) or `>` (过半数, boundary excluded)",
            ),
        ),
        (
            "Base",
            string_enum(
                &["total", "participating"],
                "What a threshold's fraction is of",
            ),
        ),
        (
            "ConcurrentGroup",
            string_enum(
                &["zone", "building"],
                "The groups inside which a motion must also pass",
            ),
        ),
        (
            "StatutoryRule",
            string_enum(
                &["ordinary", "special"],
                "The statutory rules of art. 278 by name: ordinary (more than half) or special (3/4)",
            ),
        ),
        (
            "Health",
            json!({
                "type": "object", "required": ["status"],
                "properties": { "status": { "type": "string", "enum": ["ok"] } }
            }),
        ),
        (
            "Weight",
            json!({
                "type": "object", "required": ["area", "heads", "units"],
                "description": "Area, heads (owners) and units of a set of members",
                "properties": weight_props()
            }),
        ),
        (
            "Participation",
            json!({
                "type": "object", "required": ["area", "heads", "units", "met"],
                "description": "Who returned a ballot, and whether that meets the quorum",
                "properties": with_weight(json!({ "met": { "type": "boolean" } }))
            }),
        ),
        (
            "Met",
            json!({
                "type": "object", "required": ["met"],
                "properties": { "met": { "type": "boolean" } }
            }),
        ),
        (
            "MotionChoices",
            json!({
                "type": "object", "required": ["yes", "no", "abstain", "invalid"],
                "properties": { "yes": r("Weight"), "no": r("Weight"), "abstain": r("Weight"), "invalid": r("Weight"), "follow": r("Weight") }
            }),
        ),
        (
            "MotionResult",
            json!({
                "type": "object",
                "required": ["outcome", "totals", "participation", "choices", "approval"],
                "properties": {
                    "outcome": string_enum(&["passed", "rejected", "no_quorum"], "The motion's outcome"),
                    "totals": r("Weight"),
                    "participation": r("Participation"),
                    "choices": r("MotionChoices"),
                    "approval": r("Met"),
                    "follow_joined": string_enum(&["yes", "no"], "With 从众 (`follow_majority`): the side the `follow` ballots joined"),
                    "groups": {
                        "type": "object",
                        "description": "With concurrent majorities: by `zone` or `building`, each group's own result",
                        "additionalProperties": { "type": "object", "additionalProperties": r("MotionResult") }
                    }
                }
            }),
        ),
        (
            "CandidateResult",
            json!({
                "type": "object", "required": ["id", "area", "heads", "units", "qualified", "elected"],
                "properties": with_weight(json!({
                    "id": { "type": "string", "description": "The candidate as listed" },
                    "qualified": { "type": "boolean" },
                    "elected": { "type": "boolean" }
                }))
            }),
        ),
        (
            "ElectionResult",
            json!({
                "type": "object",
                "required": ["outcome", "totals", "participation", "candidates", "elected", "tie", "unfilled"],
                "properties": {
                    "outcome": string_enum(&["valid", "no_quorum"], "The election's outcome"),
                    "totals": r("Weight"),
                    "participation": r("Participation"),
                    "candidates": array_of("CandidateResult"),
                    "elected": strings.clone(),
                    "tie": strings.clone(),
                    "unfilled": { "type": "integer", "minimum": 0 }
                }
            }),
        ),
        (
            "OptionResult",
            json!({
                "type": "object", "required": ["id", "area", "heads", "units"],
                "properties": with_weight(json!({
                    "id": { "type": "string" },
                    "adopted": { "type": "boolean", "description": "Only when the question has a decision rule" }
                }))
            }),
        ),
        (
            "QuestionResult",
            json!({
                "type": "object", "required": ["id", "respondents", "options"],
                "properties": { "id": { "type": "string" }, "respondents": r("Weight"), "options": array_of("OptionResult") }
            }),
        ),
        (
            "ConsultationResult",
            json!({
                "type": "object", "required": ["totals", "participation", "questions"],
                "properties": { "totals": r("Weight"), "participation": r("Participation"), "questions": array_of("QuestionResult") }
            }),
        ),
        (
            "TallyResult",
            json!({
                "description": "An item's result as `gongjue tally` prints it (format gongjue-tally/1): a motion's has `choices`, an election's `candidates`, a consultation's `questions`",
                "oneOf": [r("MotionResult"), r("ElectionResult"), r("ConsultationResult")]
            }),
        ),
        (
            "RuleThresholds",
            json!({
                "type": "object", "required": ["participation", "approval"],
                "description": "A rule spelled out: every threshold must hold",
                "properties": { "participation": array_of("Threshold"), "approval": array_of("Threshold") }
            }),
        ),
        (
            "Rule",
            json!({
                "description": "The rule an item is counted with: a statutory rule by name, or thresholds",
                "oneOf": [r("StatutoryRule"), r("RuleThresholds")]
            }),
        ),
        (
            "EstateScope",
            json!({
                "type": "object", "required": ["kind"], "additionalProperties": false,
                "properties": { "kind": kind_tag("estate") }
            }),
        ),
        (
            "ZonesScope",
            json!({
                "type": "object", "required": ["kind", "zones"], "additionalProperties": false,
                "properties": { "kind": kind_tag("zones"), "zones": { "type": "array", "items": { "type": "string" }, "minItems": 1 } }
            }),
        ),
        (
            "BuildingsScope",
            json!({
                "type": "object", "required": ["kind", "buildings"], "additionalProperties": false,
                "properties": { "kind": kind_tag("buildings"), "buildings": { "type": "array", "items": { "type": "string" }, "minItems": 1 } }
            }),
        ),
        (
            "StairwellsScope",
            json!({
                "type": "object", "required": ["kind", "stairwells"], "additionalProperties": false,
                "properties": { "kind": kind_tag("stairwells"), "stairwells": { "type": "array", "items": r("Stairwell"), "minItems": 1 } }
            }),
        ),
        (
            "Scope",
            json!({
                "description": "Which units an item concerns (default: the whole estate)",
                "oneOf": [r("EstateScope"), r("ZonesScope"), r("BuildingsScope"), r("StairwellsScope")],
                "discriminator": { "propertyName": "kind", "mapping": {
                    "estate": "#/components/schemas/EstateScope",
                    "zones": "#/components/schemas/ZonesScope",
                    "buildings": "#/components/schemas/BuildingsScope",
                    "stairwells": "#/components/schemas/StairwellsScope"
                } }
            }),
        ),
        (
            "MotionDefinition",
            json!({
                "type": "object", "additionalProperties": false,
                "properties": {
                    "concurrent": r("ConcurrentGroup"),
                    "invalid_counts_as_participation": { "type": "boolean" },
                    "follow_majority": { "type": "boolean", "description": "The motion offers 从众 (`follow`); present only when true" }
                }
            }),
        ),
        (
            "ElectionDefinition",
            json!({
                "type": "object", "required": ["seats", "candidates"],
                "properties": { "seats": { "type": "integer", "minimum": 1 }, "candidates": strings.clone() }
            }),
        ),
        (
            "ConsultationDefinition",
            json!({
                "type": "object", "required": ["questions"],
                "properties": { "questions": array_of("Question"), "quorum": array_of("Threshold") }
            }),
        ),
        (
            "ItemDefinition",
            json!({
                "description": "As in the tally bundle: a motion's options, an election's seats and candidates, a consultation's questions",
                "oneOf": [r("MotionDefinition"), r("ElectionDefinition"), r("ConsultationDefinition")]
            }),
        ),
        (
            "MotionChoice",
            string_enum(
                &["yes", "no", "abstain", "invalid", "follow"],
                "A motion's choice; an election's `abstain`; `invalid` (a spoilt paper ballot, 废票) only on paper; `follow` (从众) only on a motion with `follow_majority`",
            ),
        ),
        (
            "ElectionMarks",
            json!({
                "type": "array", "items": { "type": "string" },
                "description": "An election's marked candidates, at most `seats`, each once"
            }),
        ),
        (
            "ConsultationAnswers",
            json!({
                "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } },
                "description": "A consultation's answers: question id → chosen options; questions may be left out"
            }),
        ),
        (
            "Choice",
            json!({
                "description": "A ballot's choice, in the tally bundle's format: a motion's word (or an election's `abstain`), an election's marks, a consultation's answers",
                "oneOf": [r("MotionChoice"), r("ElectionMarks"), r("ConsultationAnswers")]
            }),
        ),
        (
            "MotionRequest",
            json!({
                "type": "object", "required": ["kind", "title", "matter"], "additionalProperties": false,
                "properties": {
                    "kind": kind_tag("motion"),
                    "title": { "type": "string", "minLength": 1 },
                    "body": { "type": "string", "default": "" },
                    "matter": { "type": "integer", "minimum": 1, "maximum": 9, "description": "The matter of Civil Code art. 278 (1-9); 6-8 are counted with the special (3/4) rule, the others with the ordinary one" },
                    "scope": r("Scope"),
                    "additional_rule": { "oneOf": [r("AdditionalRule"), { "type": "null" }] },
                    "concurrent": { "oneOf": [r("ConcurrentGroup"), { "type": "null" }] },
                    "invalid_counts_as_participation": { "type": ["boolean", "null"] },
                    "follow_majority": { "type": "boolean", "default": false, "description": "Offer 从众 (`follow`) as a fourth choice: the owner takes part and joins the side the other participating owners decide. Only where the estate's rules of procedure provide for it (`PUT /estates/{id}/follow-majority`; 422 `follow_not_in_rules` otherwise)" }
                }
            }),
        ),
        (
            "ElectionRequest",
            json!({
                "type": "object", "required": ["kind", "title", "seats", "candidates"], "additionalProperties": false,
                "properties": {
                    "kind": kind_tag("election"),
                    "title": { "type": "string", "minLength": 1 },
                    "body": { "type": "string", "default": "" },
                    "seats": { "type": "integer", "minimum": 1, "maximum": 1000 },
                    "candidates": { "type": "array", "items": { "type": "string", "minLength": 1 }, "minItems": 1 },
                    "scope": r("Scope"),
                    "additional_rule": { "oneOf": [r("AdditionalRule"), { "type": "null" }] }
                }
            }),
        ),
        (
            "ConsultationRequest",
            json!({
                "type": "object", "required": ["kind", "title", "questions"], "additionalProperties": false,
                "properties": {
                    "kind": kind_tag("consultation"),
                    "title": { "type": "string", "minLength": 1 },
                    "body": { "type": "string", "default": "" },
                    "scope": r("Scope"),
                    "questions": { "type": "array", "items": r("Question"), "minItems": 1 },
                    "quorum": { "oneOf": [array_of("Threshold"), { "type": "null" }] }
                }
            }),
        ),
        (
            "NewItemRequest",
            json!({
                "description": "A new item: a motion on one of the nine matters of Civil Code art. 278, an election of the owners' committee, or a non-binding consultation",
                "oneOf": [r("MotionRequest"), r("ElectionRequest"), r("ConsultationRequest")],
                "discriminator": { "propertyName": "kind", "mapping": {
                    "motion": "#/components/schemas/MotionRequest",
                    "election": "#/components/schemas/ElectionRequest",
                    "consultation": "#/components/schemas/ConsultationRequest"
                } }
            }),
        ),
        (
            "Jwk",
            json!({
                "type": "object", "required": ["kty", "crv", "alg", "use", "kid", "x", "iss"],
                "properties": {
                    "kty": { "type": "string", "enum": ["OKP"] },
                    "crv": { "type": "string", "enum": ["Ed25519"] },
                    "alg": { "type": "string", "enum": ["EdDSA"] },
                    "use": { "type": "string", "enum": ["sig"] },
                    "kid": { "type": "string" },
                    "x": { "type": "string", "description": "The public key, base64url" },
                    "iss": { "type": "string", "description": "The estate whose key this is; must equal the export's `iss`" }
                }
            }),
        ),
        (
            "Jwks",
            json!({
                "type": "object", "required": ["keys"],
                "properties": { "keys": array_of("Jwk") }
            }),
        ),
        (
            "BrokenLink",
            json!({
                "type": "object", "required": ["seq", "reason"],
                "properties": { "seq": { "type": "integer" }, "reason": { "type": "string" } }
            }),
        ),
        (
            "ChainVerification",
            json!({
                "type": "object", "required": ["chain", "verified_entries", "head_hash", "first_broken"],
                "properties": {
                    "chain": { "type": "string" },
                    "verified_entries": { "type": "integer", "minimum": 0 },
                    "head_hash": { "type": "string" },
                    "first_broken": { "oneOf": [r("BrokenLink"), { "type": "null" }] }
                }
            }),
        ),
        (
            "BallotMismatch",
            json!({
                "type": "object", "required": ["ballot", "problem"],
                "properties": { "ballot": { "type": "string" }, "problem": { "type": "string" } }
            }),
        ),
        (
            "RecordMismatch",
            json!({
                "type": "object", "required": ["subject", "problem"],
                "properties": { "subject": { "type": "string" }, "problem": { "type": "string" } }
            }),
        ),
        (
            "AuditReport",
            json!({
                "type": "object", "required": ["estate", "ok", "chain", "ballots", "records"],
                "properties": {
                    "estate": { "type": "string", "format": "uuid" },
                    "ok": { "type": "boolean", "description": "The chain holds, every ballot matches its audit entry, and every item (rule, matter, scope), frozen electorate, proxy and transfer matches the log" },
                    "chain": r("ChainVerification"),
                    "ballots": array_of("BallotMismatch"),
                    "records": array_of("RecordMismatch")
                }
            }),
        ),
        (
            "TallyBundle",
            json!({
                "type": "object", "required": ["format", "kind", "title", "electorate", "ballots", "result"],
                "description": "An item's bundle, format gongjue-tally/1 (`../shared/spec/tally-bundle.md`); a motion's or an election's `rule` and the item's definition (seats, candidates, questions…) are members too",
                "additionalProperties": true,
                "properties": {
                    "format": { "type": "string", "enum": ["gongjue-tally/1"] },
                    "kind": r("ItemKind"),
                    "title": { "type": "string" },
                    "rule": r("Rule"),
                    "electorate": { "type": "array", "items": { "type": "object", "required": ["unit", "area", "voter"],
                        "properties": { "unit": { "type": "string" }, "building": { "type": "string" }, "stairwell": { "type": "string" },
                            "zone": { "type": "string" }, "area": { "type": "string" }, "voter": { "type": "string" } } } },
                    "ballots": { "type": "array", "items": { "type": "object", "required": ["voter"], "properties": { "voter": { "type": "string" } } } },
                    "result": r("TallyResult")
                }
            }),
        ),
    ];
    out.sort_by_key(|(name, _)| *name);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every hand-written schema reads as a utoipa schema (a typo would become a placeholder).
    #[test]
    fn the_hand_written_schemas_are_schemas() {
        let bodies = success_bodies()
            .into_iter()
            .map(|(name, _, schema)| (name, schema));
        for (name, schema) in schemas().into_iter().chain(bodies) {
            let read: Result<RefOr<utoipa::openapi::Schema>, _> = serde_json::from_value(schema);
            assert!(read.is_ok(), "{name}: {:?}", read.err());
        }
    }

    /// Every error status a route declares has a description and its codes; every 409 is one
    /// of [`ROUTE_ERRORS`].
    #[test]
    fn every_error_response_lists_its_codes() {
        let document = crate::app::openapi_document();
        let value = serde_json::to_value(&document).unwrap();
        let responses = &value["components"]["responses"];
        for (path, item) in value["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if method == "parameters" {
                    continue;
                }
                for (status, response) in op["responses"].as_object().unwrap() {
                    if !(status.starts_with('4') || status.starts_with('5')) {
                        continue;
                    }
                    let response = match response["$ref"].as_str() {
                        Some(r) => &responses[r.trim_start_matches("#/components/responses/")],
                        None => response,
                    };
                    let codes = response["x-error-codes"].as_array();
                    assert!(
                        codes.is_some_and(|c| !c.is_empty()),
                        "{method} {path} {status}: no x-error-codes"
                    );
                    assert!(
                        response["description"]
                            .as_str()
                            .is_some_and(|d| d.len() > 10),
                        "{method} {path} {status}: no description"
                    );
                }
            }
        }
    }

    /// Each route's entries of [`ROUTE_ERRORS`] name a real operation (a renamed handler
    /// would silently lose its codes).
    #[test]
    fn route_errors_name_real_operations() {
        let value = serde_json::to_value(crate::app::openapi_document()).unwrap();
        let ids: Vec<&str> = value["paths"]
            .as_object()
            .unwrap()
            .values()
            .flat_map(|item| item.as_object().unwrap().values())
            .filter_map(|op| op["operationId"].as_str())
            .collect();
        for (op, status, ..) in ROUTE_ERRORS {
            assert!(ids.contains(op), "{op} ({status}) is no operation");
        }
    }
}
