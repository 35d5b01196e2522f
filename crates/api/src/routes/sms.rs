//! SMS (issue 20): the estate's setting and budget, the owner's channel, sign-in by SMS code,
//! the provider's delivery receipts and the delivery records. The rules are the use cases'
//! (`crate::usecases::sms`).

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};

use crate::auth::Caller;
use crate::blocking::{db, run};
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::sessions::SessionResponse;
use crate::usecases::sms::{
    self, ChannelsRequest, SmsCodeRequest, SmsCodeSent, SmsSettingsRequest, SmsSignInRequest,
};

/// Whether the estate sends notices by SMS too, and its SMS budget; audited. Secretaries and
/// admins.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), request_body = SmsSettingsRequest, security(("staff" = [])),
    responses((status = 200, body = SmsSettingsRequest), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/estates/{id}/sms")]
pub async fn set_estate_sms(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<SmsSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let estate = path.into_inner();
    let body = body.into_inner();
    let out = db(&state, move |store| {
        sms::set_estate_sms(store, &staff, &estate, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The signed-in owner's choice of channel for notices (`email`, `sms`, `both`); audited.
/// Only the owner sets it.
#[utoipa::path(tag = "notices", request_body = ChannelsRequest, security(("owner" = [])),
    responses((status = 200, body = ChannelsRequest), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/notice-channels/mine")]
pub async fn set_own_channels(
    caller: Caller,
    state: web::Data<AppState>,
    body: Body<ChannelsRequest>,
) -> Result<HttpResponse, ApiError> {
    let owner = caller.owner()?;
    let body = body.into_inner();
    let out = db(&state, move |store| {
        sms::set_own_channels(store, &owner, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The notices sent to the signed-in owner in their assembly: which, by which channel, when
/// sent and when delivered (`delivery` null: no receipt, unknown).
#[utoipa::path(tag = "notices", security(("owner" = [])),
    responses((status = 200, body = Vec<DeliverySchema>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/deliveries/mine")]
pub async fn own_deliveries(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let owner = caller.owner()?;
    let out = db(&state, move |store| sms::own_deliveries(store, &owner)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// One member's delivery record in an assembly. Staff and auditors of the estate.
#[utoipa::path(tag = "notices", params(("id" = String, Path, description = "assembly id"), ("voter" = String, Path, description = "the member's owner id")), security(("staff" = [])),
    responses((status = 200, body = Vec<DeliverySchema>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/deliveries/{voter}")]
pub async fn member_deliveries(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, voter) = path.into_inner();
    let out = db(&state, move |store| {
        sms::member_deliveries(store, &staff, &id, &voter)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Asks for a one-time sign-in code by SMS. The answer is the same whether or not the number
/// is on the roster; requests are limited per number, per address and per estate.
#[utoipa::path(tag = "sessions", request_body = SmsCodeRequest, responses(
    (status = 202, body = SmsCodeSent),
    (status = 409, body = crate::routes::ErrorBody),
    (status = 429, body = crate::routes::ErrorBody, description = "Too many codes asked for this number, from this address or in this estate"),
))]
#[post("/owner-sessions/sms-codes")]
pub async fn request_sms_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Body<SmsCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = state.trusted_proxies.client_of(&req);
    let request = body.into_inner();
    let out = run(&state, move |app| {
        sms::request_sign_in_code(app, &ip, request)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(out))
}

/// Owner sign-in with the code of the SMS: the same session as with the printed code.
#[utoipa::path(tag = "sessions", request_body = SmsSignInRequest, responses(
    (status = 200, body = SessionResponse),
    (status = 401, body = crate::routes::ErrorBody, description = "Wrong, expired or spent code"),
    (status = 409, body = crate::routes::ErrorBody),
    (status = 429, body = crate::routes::ErrorBody, description = "Too many wrong codes from this address or for this number"),
))]
#[post("/owner-sessions/sms")]
pub async fn sms_sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Body<SmsSignInRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = state.trusted_proxies.client_of(&req);
    let request = body.into_inner();
    let out = run(&state, move |app| sms::sms_sign_in(app, &ip, request)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The SMS provider's delivery receipts (Tencent Cloud's status callback, a JSON array), at
/// the secret URL given to the provider. Answers as the provider expects.
#[utoipa::path(tag = "notices", params(("token" = String, Path, description = "the secret receipts token of the configuration")),
    request_body(content = serde_json::Value, description = "Tencent Cloud's status report array"),
    responses((status = 200, body = serde_json::Value), (status = 404, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/sms/receipts/{token}")]
pub async fn receipts(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let token = path.into_inner();
    let recorded = run(&state, move |app| sms::record_receipts(app, &token, &body)).await?;
    Ok(HttpResponse::Ok()
        .json(serde_json::json!({ "result": 0, "errmsg": "OK", "recorded": recorded })))
}

/// A notice in a delivery record, as `gongjue_store::sms::Delivery` serializes (the responses
/// are checked against it in the end-to-end tests).
#[derive(utoipa::ToSchema)]
#[schema(as = Delivery)]
#[allow(dead_code)]
pub struct DeliverySchema {
    id: String,
    /// `announcement`, `invitation`, `reminder`, `ballot_recorded`, `result`, …
    kind: String,
    /// `email` or `sms`.
    channel: String,
    /// `pending`, `sent`, `failed` (given up).
    status: String,
    queued_at: String,
    sent_at: Option<String>,
    /// `delivered`, `failed`, or null (no receipt: unknown).
    delivery: Option<String>,
    delivered_at: Option<String>,
}
