//! The pages of issue 20: the sign-in by SMS code (`/s/{assembly}`, the link every SMS
//! carries), and the owner's own page of the notices sent to them with their choice of channel
//! (`/ballot/notices`). The rules are the use cases' (`usecases::sms`).

use actix_web::cookie::{SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::blocking::{db, run};
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;
use crate::usecases::sms::{self, ChannelsRequest, SmsCodeRequest, SmsSignInRequest};
use crate::web::owner::{local_time, owner_of};
use crate::web::page::{Ctx, Form, OWNER_COOKIE, Page, field};

#[derive(Template)]
#[template(path = "web/sms_sign_in.html")]
struct SignInPage {
    p: Page,
    assembly: String,
    title: String,
    phone: String,
    /// The code was asked for: the page asks for it.
    sent: bool,
    error: Option<String>,
}

async fn sign_in_page(
    ctx: &Ctx,
    status: StatusCode,
    assembly: String,
    phone: String,
    sent: bool,
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let id = assembly.clone();
    let title = db(ctx.state()?, move |store| Ok(store.assembly(&id)?.title)).await?;
    ctx.html(
        status,
        &SignInPage {
            p: ctx.page(Msg::WebSmsSignIn.text(ctx.lang)),
            assembly,
            title,
            phone,
            sent,
            error,
        },
    )
}

/// The words and status of a refusal shown on the sign-in page, or the error for the error page.
fn refusal(ctx: &Ctx, error: ApiError) -> Result<(StatusCode, String), ApiError> {
    let lang = ctx.lang;
    match error {
        ApiError::UseCase(UseCaseError::BadCode) => Ok((
            StatusCode::UNAUTHORIZED,
            Msg::WebSmsBadCode.text(lang).to_owned(),
        )),
        ApiError::UseCase(UseCaseError::TooManyAttempts | UseCaseError::TooFrequent { .. }) => {
            let window = ctx.state()?.attempt_window.0.as_secs().max(1);
            Ok((
                StatusCode::TOO_MANY_REQUESTS,
                Msg::WebTooManyAttemptsWait
                    .text_with(lang, &[("minutes", window.div_ceil(60).into())]),
            ))
        }
        ApiError::UseCase(UseCaseError::Invalid { detail, .. }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{} ({detail})", Msg::WebSmsPhoneLabel.text(lang)),
        )),
        ApiError::UseCase(UseCaseError::Rule(msg)) => {
            Ok((StatusCode::CONFLICT, msg.text(lang).to_owned()))
        }
        other => Err(other),
    }
}

/// `GET /s/{assembly}`: the number form.
pub async fn form(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    sign_in_page(
        &ctx,
        StatusCode::OK,
        path.into_inner(),
        String::new(),
        false,
        None,
    )
    .await
}

/// `POST /s/{assembly}`: sends the code (if the number is on the roster) and asks for it.
pub async fn send(ctx: Ctx, path: web::Path<String>, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let assembly = path.into_inner();
    let phone = field(&form, "phone").unwrap_or_default().trim().to_owned();
    let state = ctx.state()?;
    let ip = state.trusted_proxies.client_of(&ctx.req);
    let request = SmsCodeRequest {
        assembly_id: assembly.clone(),
        phone: phone.clone(),
    };
    match run(state, move |app| {
        sms::request_sign_in_code(app, &ip, request)
    })
    .await
    {
        Ok(_) => sign_in_page(&ctx, StatusCode::OK, assembly, phone, true, None).await,
        Err(error) => {
            let (status, text) = refusal(&ctx, error)?;
            sign_in_page(&ctx, status, assembly, phone, false, Some(text)).await
        }
    }
}

/// `POST /s/{assembly}/code`: signs in with the code and opens the sheet.
pub async fn verify(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let assembly = path.into_inner();
    let phone = field(&form, "phone").unwrap_or_default().trim().to_owned();
    let state = ctx.state()?;
    let ip = state.trusted_proxies.client_of(&ctx.req);
    let request = SmsSignInRequest {
        assembly_id: assembly.clone(),
        phone: phone.clone(),
        code: field(&form, "code").unwrap_or_default().to_owned(),
    };
    match run(state, move |app| sms::sms_sign_in(app, &ip, request)).await {
        Ok(session) => {
            let mut builder = ctx.redirect("/ballot");
            let age =
                time::Duration::seconds(i64::try_from(session.expires_in).unwrap_or(i64::MAX));
            builder.cookie(ctx.cookie(OWNER_COOKIE, session.token, SameSite::Lax, Some(age)));
            Ok(builder.finish())
        }
        Err(error) => {
            let (status, text) = refusal(&ctx, error)?;
            sign_in_page(&ctx, status, assembly, phone, true, Some(text)).await
        }
    }
}

struct ChannelChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

struct DeliveryRow {
    kind: String,
    channel: &'static str,
    sent: String,
    delivery: String,
}

#[derive(Template)]
#[template(path = "web/owner_notices.html")]
struct NoticesPage {
    p: Page,
    choices: Vec<ChannelChoice>,
    rows: Vec<DeliveryRow>,
    saved: Option<&'static str>,
}

/// The kind of a notice in the owner's words.
fn kind_words(kind: &str) -> Msg {
    match kind {
        "announcement" => Msg::MailAnnouncement,
        "invitation" => Msg::MailInvitation,
        "reminder" => Msg::MailReminder,
        "result" => Msg::MailResult,
        "ballot_recorded" => Msg::MailBallotRecorded,
        "cancellation" => Msg::MailCancellation,
        "extension" => Msg::MailExtension,
        _ => Msg::WebSmsOtherNotice,
    }
}

/// `GET /ballot/notices`: what was sent to the signed-in owner, and their choice of channel.
pub async fn notices(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    notices_page(&ctx, None).await
}

async fn notices_page(ctx: &Ctx, saved: Option<&'static str>) -> Result<HttpResponse, ApiError> {
    let owner = owner_of(ctx).await?;
    let lang = ctx.lang;
    let (rows, chosen) = db(ctx.state()?, move |store| {
        Ok((
            sms::own_deliveries(store, &owner)?,
            store.notice_channels(&owner.estate, &owner.voter)?,
        ))
    })
    .await?;
    let chosen = chosen.unwrap_or_else(|| "both".into());
    let choices = [
        ("both", Msg::WebSmsBoth),
        ("sms", Msg::WebSmsOnlySms),
        ("email", Msg::WebSmsOnlyEmail),
    ]
    .into_iter()
    .map(|(value, msg)| ChannelChoice {
        value,
        label: msg.text(lang),
        selected: chosen == value,
    })
    .collect();
    let rows = rows
        .into_iter()
        .map(|d| DeliveryRow {
            kind: kind_words(&d.kind).text(lang).to_owned(),
            channel: if d.channel == "sms" {
                Msg::WebSmsChannelSms.text(lang)
            } else {
                Msg::WebSmsChannelEmail.text(lang)
            },
            sent: match (&d.sent_at, d.status.as_str()) {
                (Some(at), _) => local_time(at),
                (None, "failed") => Msg::WebSmsNotSent.text(lang).to_owned(),
                (None, _) => Msg::WebSmsWaiting.text(lang).to_owned(),
            },
            delivery: match (d.delivery.as_deref(), &d.delivered_at) {
                (Some("delivered"), Some(at)) => {
                    format!("{} {}", Msg::WebSmsDelivered.text(lang), local_time(at))
                }
                (Some("failed"), _) => Msg::WebSmsUndelivered.text(lang).to_owned(),
                _ => Msg::WebSmsUnknown.text(lang).to_owned(),
            },
        })
        .collect();
    ctx.ok(&NoticesPage {
        p: ctx.page(Msg::WebSmsRecordTitle.text(lang)),
        choices,
        rows,
        saved,
    })
}

/// `POST /ballot/notices/channels`: the owner's choice of channel.
pub async fn set_channels(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let owner = owner_of(&ctx).await?;
    let request = ChannelsRequest {
        channels: field(&form, "channels").unwrap_or_default().to_owned(),
    };
    db(ctx.state()?, move |store| {
        sms::set_own_channels(store, &owner, request)
    })
    .await?;
    notices_page(&ctx, Some(Msg::WebSmsChannelsSaved.text(ctx.lang))).await
}
