//! Staff pages: sign in (the API's own sign-in) and the estate's assemblies. The dashboard of
//! an assembly is `web::dashboard`.

use actix_web::HttpResponse;
use actix_web::cookie::{SameSite, time};
use actix_web::http::StatusCode;
use askama::Template;

use crate::auth::StaffCaller;
use crate::auth::caller::{caller_of_session, caller_of_token};
use crate::blocking::db;
use crate::blocking::run;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;
use crate::usecases::estates::{self, ContactPhoneRequest, FollowMajorityRequest};
use crate::usecases::sessions::{self, LoginRequest};
use crate::usecases::setup::staff_assembly;
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page, STAFF_COOKIE, field};

/// The staff user of this browser's session, while the session is current
/// (`auth::revocation`).
pub async fn staff_of(ctx: &Ctx) -> Result<StaffCaller, ApiError> {
    let token = ctx
        .req
        .cookie(STAFF_COOKIE)
        .ok_or(ApiError::Unauthenticated)?;
    Ok(caller_of_session(ctx.state()?, token.value())
        .await?
        .staff()?)
}

/// The staff user of this session, allowed to change assembly `id` (a secretary or admin of its
/// estate). Every page that changes an assembly asks this first, before it reads the form or
/// applies any rule about the assembly's state, so that an auditor or another estate's staff
/// is refused (403) without learning anything about the assembly (such as "not closed yet").
pub async fn staff_writing(ctx: &Ctx, id: &str) -> Result<StaffCaller, ApiError> {
    let staff = staff_of(ctx).await?;
    let id = id.to_owned();
    db(ctx.state()?, move |store| {
        staff_assembly(store, &staff, &id, true)?;
        Ok(staff)
    })
    .await
}

#[derive(Template)]
#[template(path = "web/staff_login.html")]
struct LoginPage {
    p: Page,
    error: Option<&'static str>,
    login: String,
    /// The user holds roles in several estates: ask which.
    need_estate: bool,
}

pub async fn login_form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    ctx.ok(&LoginPage {
        p: ctx.page(Msg::WebStaffSignIn.text(ctx.lang)),
        error: None,
        login: String::new(),
        need_estate: false,
    })
}

pub async fn login(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let login = field(&form, "login").unwrap_or_default().trim().to_owned();
    let password = field(&form, "password").unwrap_or_default().to_owned();
    let estate_id = field(&form, "estate_id")
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    let request = LoginRequest {
        login: login.clone(),
        password,
        estate_id,
    };
    let ip = ctx.state()?.trusted_proxies.client_of(&ctx.req);
    match run(ctx.state()?, move |app| {
        sessions::staff_sign_in(app, &ip, request)
    })
    .await
    {
        Ok(session) => {
            // A building volunteer has only their round.
            let mut builder = ctx.redirect(if session.role == "volunteer" {
                "/volunteer"
            } else {
                "/staff"
            });
            let age =
                time::Duration::seconds(i64::try_from(session.expires_in).unwrap_or(i64::MAX));
            builder.cookie(ctx.cookie(STAFF_COOKIE, session.token, SameSite::Strict, Some(age)));
            Ok(builder.finish())
        }
        Err(ApiError::UseCase(
            error @ (UseCaseError::BadCredentials
            | UseCaseError::TooManyAttempts
            | UseCaseError::Forbidden(_)
            | UseCaseError::Invalid { .. }),
        )) => {
            let (status, msg) = match error {
                UseCaseError::TooManyAttempts => {
                    (StatusCode::TOO_MANY_REQUESTS, Msg::TooManyAttempts)
                }
                UseCaseError::BadCredentials => (StatusCode::UNAUTHORIZED, Msg::BadCredentials),
                UseCaseError::Invalid { msg, .. } => (StatusCode::UNPROCESSABLE_ENTITY, msg),
                UseCaseError::Forbidden(msg) => (StatusCode::FORBIDDEN, msg),
                _ => (StatusCode::UNAUTHORIZED, Msg::BadCredentials),
            };
            let need_estate = msg == Msg::EstateChoiceNeeded || msg == Msg::OtherEstate;
            ctx.html(
                status,
                &LoginPage {
                    p: ctx.page(Msg::WebStaffSignIn.text(ctx.lang)),
                    error: Some(msg.text(ctx.lang)),
                    login,
                    need_estate,
                },
            )
        }
        Err(other) => Err(other),
    }
}

pub async fn sign_out(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    // The cookie's token stops working too, not only this browser's copy of it.
    if let Some(token) = ctx.req.cookie(STAFF_COOKIE)
        && let Ok(caller) = caller_of_token(ctx.state()?, token.value())
    {
        db(ctx.state()?, move |store| {
            sessions::sign_out(store, &caller, false)
        })
        .await?;
    }
    let mut builder = ctx.redirect("/staff/login");
    builder.cookie(ctx.removal(STAFF_COOKIE));
    Ok(builder.finish())
}

struct AssemblyRow {
    id: String,
    title: String,
    state: &'static str,
    opens_at: String,
    closes_at: String,
}

pub(crate) fn state_word(state: &str, lang: crate::i18n::Lang) -> &'static str {
    match state {
        "draft" => Msg::WebStateDraft.text(lang),
        "announced" => Msg::WebStateAnnounced.text(lang),
        "open" => Msg::WebStateOpen.text(lang),
        "closed" => Msg::WebStateClosed.text(lang),
        _ => Msg::WebStateCancelled.text(lang),
    }
}

#[derive(Template)]
#[template(path = "web/staff_assemblies.html")]
struct AssembliesPage {
    p: Page,
    estate: String,
    role: &'static str,
    rows: Vec<AssemblyRow>,
    /// The estate's contact phone as stored, or as typed when it was refused.
    contact_phone: String,
    /// Why the typed phone was refused.
    phone_error: Option<&'static str>,
    /// Secretaries and admins set the phone; an auditor only reads it.
    may_edit: bool,
    /// The 从众 setting as stored, in words.
    follow_state: String,
    /// The 从众 setting as stored, or as sent when it was refused.
    follow: FollowForm,
    /// The declarations asked of candidates, one per line.
    declarations: String,
    /// The estate's SMS notices and budget (issue 20).
    sms_on: bool,
    sms_per_owner: i64,
    sms_per_day: i64,
}

/// The form of the 从众 setting: whether the rules of procedure provide for it, the clause, and
/// why what was sent was refused.
#[derive(Default)]
struct FollowForm {
    on: bool,
    basis: String,
    error: Option<String>,
}

pub async fn assemblies(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    // A building volunteer's home is their round.
    if staff_of(&ctx)
        .await
        .is_ok_and(|s| s.role == gongjue_store::users::Role::Volunteer)
    {
        return Ok(ctx.redirect("/volunteer").finish());
    }
    assemblies_page(&ctx, StatusCode::OK, None, None, None).await
}

/// The estate's assemblies and its contact phone; `typed` and `phone_error` re-show a refused
/// phone with the reason, keeping what was typed.
async fn assemblies_page(
    ctx: &Ctx,
    status: StatusCode,
    typed: Option<String>,
    phone_error: Option<&'static str>,
    follow_sent: Option<FollowForm>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let estate_id = staff.estate.clone();
    let (estate, list) = db(ctx.state()?, move |store| {
        Ok((
            store.estate(&estate_id)?,
            store.estate_assemblies(&estate_id)?,
        ))
    })
    .await?;
    let declarations = crate::usecases::candidates::declarations_of(&estate)?.join("\n");
    let rows = list
        .into_iter()
        .map(|a| AssemblyRow {
            state: state_word(&a.state, ctx.lang),
            opens_at: local_time(&a.opens_at),
            closes_at: local_time(&a.closes_at),
            id: a.id,
            title: a.title,
        })
        .collect();
    ctx.html(
        status,
        &AssembliesPage {
            p: ctx.page(Msg::WebAssemblies.text(ctx.lang)),
            estate: estate.name,
            role: staff.role.as_str(),
            rows,
            contact_phone: typed.or(estate.contact_phone).unwrap_or_default(),
            phone_error,
            may_edit: staff.writes(&staff.estate).is_ok(),
            follow_state: match &estate.follow_majority_basis {
                Some(basis) if estate.follow_majority => {
                    Msg::WebFollowOn.text_with(ctx.lang, &[("basis", basis.as_str().into())])
                }
                _ => Msg::WebFollowOff.text(ctx.lang).to_owned(),
            },
            declarations,
            sms_on: estate.sms_notices,
            sms_per_owner: estate.sms_per_owner,
            sms_per_day: estate.sms_per_day,
            follow: follow_sent.unwrap_or(FollowForm {
                on: estate.follow_majority,
                basis: estate.follow_majority_basis.unwrap_or_default(),
                error: None,
            }),
        },
    )
}

/// `POST /staff/estate/contact-phone`: the number owners call for help, shown on every owner
/// page and on the notice. A number that cannot be dialled is refused on the same page, with
/// what was typed kept.
pub async fn set_contact_phone(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let typed = field(&form, "contact_phone").unwrap_or_default().to_owned();
    let request = ContactPhoneRequest {
        contact_phone: Some(typed.clone()),
    };
    let estate_id = staff.estate.clone();
    let saved = db(ctx.state()?, move |store| {
        estates::set_contact_phone(store, &staff, &estate_id, request)
    })
    .await;
    match saved {
        Ok(_) => Ok(ctx.redirect("/staff#contact").finish()),
        Err(ApiError::UseCase(UseCaseError::Invalid { .. })) => {
            let reason = Msg::WebContactPhoneInvalid.text(ctx.lang);
            assemblies_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(typed),
                Some(reason),
                None,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /staff/estate/follow-majority`: whether the rules of procedure provide for 从众, and
/// the clause that does. Without a clause the setting is refused on the same page.
pub async fn set_follow_majority(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let sent = FollowForm {
        on: field(&form, "follow_majority").is_some(),
        basis: field(&form, "basis").unwrap_or_default().to_owned(),
        error: None,
    };
    let request = FollowMajorityRequest {
        follow_majority: sent.on,
        basis: Some(sent.basis.clone()),
    };
    let estate_id = staff.estate.clone();
    let saved = db(ctx.state()?, move |store| {
        estates::set_follow_majority(store, &staff, &estate_id, request)
    })
    .await;
    match saved {
        Ok(_) => Ok(ctx.redirect("/staff#follow").finish()),
        Err(ApiError::UseCase(UseCaseError::Invalid { msg, .. })) => {
            let refused = FollowForm {
                error: Some(msg.text(ctx.lang).to_owned()),
                ..sent
            };
            assemblies_page(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                None,
                Some(refused),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /staff/estate/candidate-declarations`: the declarations candidates answer, one per line
/// (`declarations`), audited.
pub async fn set_candidate_declarations(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let request = crate::usecases::candidates::DeclarationsRequest {
        declarations: field(&form, "declarations")
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    let estate_id = staff.estate.clone();
    db(ctx.state()?, move |store| {
        crate::usecases::candidates::set_declarations(store, &staff, &estate_id, request)
    })
    .await?;
    Ok(ctx.redirect("/staff#declarations").finish())
}

/// `POST /staff/estate/sms`: whether notices go by SMS too, and the estate's SMS budget
/// (`per_owner`, `per_day`); audited. A refused value shows the error page with the field.
pub async fn set_sms(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let number = |name: &str| {
        field(&form, name)
            .unwrap_or_default()
            .trim()
            .parse::<i64>()
            .map_err(|_| UseCaseError::invalid(name, "a whole number"))
    };
    let request = crate::usecases::sms::SmsSettingsRequest {
        on: field(&form, "sms_on").is_some(),
        per_owner: number("per_owner")?,
        per_day: number("per_day")?,
    };
    let estate_id = staff.estate.clone();
    db(ctx.state()?, move |store| {
        crate::usecases::sms::set_estate_sms(store, &staff, &estate_id, request)
    })
    .await?;
    Ok(ctx.redirect("/staff#sms").finish())
}
