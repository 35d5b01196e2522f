//! What every page shares: the reader's language, the browser's session id and its CSRF token,
//! session cookies with the right attributes, the layout's texts, the error page.

use actix_web::cookie::{Cookie, SameSite, time};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use hmac::Mac;

use crate::auth::Caller;
use crate::auth::caller::caller_of_token;
use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::usecases::UseCaseError;

/// The browser's session id: the CSRF tokens of its forms are bound to it.
pub const SID_COOKIE: &str = "gj_sid";
pub const LANG_COOKIE: &str = "gj_lang";
pub const OWNER_COOKIE: &str = "gj_owner";
pub const STAFF_COOKIE: &str = "gj_staff";
/// Larger text (长辈模式) on every page: `big`, else normal; set by `?size=` (issue 21).
pub const SIZE_COOKIE: &str = "gj_size";
/// The hidden field of every form.
pub const CSRF_FIELD: &str = "csrf";

/// The page language: `?lang=` on this request, else the cookie the switch link set, else
/// Chinese (owners of Chinese estates; the browser's own language is not a reliable guide on a
/// phone handed over by a neighbour).
pub fn lang_of(req: &HttpRequest) -> Lang {
    let query =
        web::Query::<std::collections::HashMap<String, String>>::from_query(req.query_string())
            .ok();
    let asked = query
        .as_ref()
        .and_then(|q| q.get("lang").cloned())
        .or_else(|| req.cookie(LANG_COOKIE).map(|c| c.value().to_owned()));
    match asked.as_deref() {
        Some("en") => Lang::En,
        _ => Lang::ZhCn,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn csrf_token(key: &[u8], sid: &str) -> String {
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(sid.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The request as a page sees it. A browser without a session id gets one with its first page.
pub struct Ctx {
    pub req: HttpRequest,
    pub lang: Lang,
    sid: String,
    new_sid: bool,
    lang_from_query: bool,
    pub csrf: String,
    /// The signed-in estate is a trial estate: every page says so.
    pub trial: bool,
    /// Larger text: `?size=big` on this request, else the cookie the switch set.
    pub big: bool,
    size_from_query: bool,
    /// The signed-in estate's contact phone: the help line of every owner page.
    pub contact_phone: Option<String>,
    /// The staff session is a building volunteer's: the staff menu is their round only.
    pub volunteer: bool,
}

impl FromRequest for Ctx {
    type Error = ApiError;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Ctx, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ctx = Ctx::of(req);
        Box::pin(async move {
            let mut ctx = ctx?;
            (ctx.trial, ctx.contact_phone, ctx.volunteer) = ctx.signed_in_estate().await?;
            Ok(ctx)
        })
    }
}

impl Ctx {
    fn of(req: &HttpRequest) -> Result<Ctx, ApiError> {
        let state = req
            .app_data::<web::Data<AppState>>()
            .ok_or_else(|| UseCaseError::Internal("no app state".into()))?;
        let existing = req
            .cookie(SID_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|v| v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()));
        let (sid, new_sid) = match existing {
            Some(sid) => (sid, false),
            None => {
                let mut bytes = [0_u8; 16];
                getrandom::fill(&mut bytes)
                    .map_err(|e| UseCaseError::Internal(format!("no randomness: {e}")))?;
                (hex(&bytes), true)
            }
        };
        let lang_from_query = req
            .query_string()
            .split('&')
            .any(|p| p.starts_with("lang="));
        let size_asked = req
            .query_string()
            .split('&')
            .find_map(|p| p.strip_prefix("size="))
            .map(str::to_owned);
        let big = match size_asked.as_deref() {
            Some(size) => size == "big",
            None => req.cookie(SIZE_COOKIE).is_some_and(|c| c.value() == "big"),
        };
        Ok(Ctx {
            lang: lang_of(req),
            csrf: csrf_token(&state.csrf_key, &sid),
            sid,
            new_sid,
            lang_from_query,
            req: req.clone(),
            trial: false,
            big,
            size_from_query: size_asked.is_some(),
            contact_phone: None,
            volunteer: false,
        })
    }

    /// Whether the estate of this browser's session (staff pages: the staff session; the
    /// others: the owner's) is a trial estate, and its contact phone. No valid session: no
    /// estate, no banner, no phone.
    async fn signed_in_estate(&self) -> Result<(bool, Option<String>, bool), ApiError> {
        let path = self.req.path();
        let cookie = if path.starts_with("/staff") || path.starts_with("/volunteer") {
            STAFF_COOKIE
        } else {
            OWNER_COOKIE
        };
        let Some(token) = self.req.cookie(cookie) else {
            return Ok((false, None, false));
        };
        let (estate, volunteer) = match caller_of_token(self.state()?, token.value()) {
            Ok(Caller::Staff(staff)) => (
                staff.estate,
                staff.role == gongjue_store::users::Role::Volunteer,
            ),
            Ok(Caller::Owner(owner)) => (owner.estate, false),
            Err(_) => return Ok((false, None, false)),
        };
        db(self.state()?, move |store| match store.estate(&estate) {
            Ok(estate) => Ok((estate.trial, estate.contact_phone, volunteer)),
            Err(gongjue_store::StoreError::NotFound(_)) => Ok((false, None, false)),
            Err(e) => Err(e.into()),
        })
        .await
    }

    pub fn state(&self) -> Result<&web::Data<AppState>, ApiError> {
        self.req
            .app_data::<web::Data<AppState>>()
            .ok_or_else(|| ApiError::from(UseCaseError::Internal("no app state".into())))
    }

    /// A form's token must be this browser's: 403 otherwise (a page of another site, or a
    /// page older than the session).
    pub fn check_csrf(&self, form: &[(String, String)]) -> Result<(), ApiError> {
        let sent = field(form, CSRF_FIELD).unwrap_or_default();
        let state = self.state()?;
        let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(&state.csrf_key) else {
            return Err(ApiError::from(UseCaseError::Internal("csrf key".into())));
        };
        mac.update(self.sid.as_bytes());
        let bytes: Option<Vec<u8>> = (0..sent.len() / 2)
            .map(|i| {
                sent.get(i * 2..i * 2 + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        match bytes {
            Some(bytes)
                if !self.new_sid && sent.len() == 64 && mac.verify_slice(&bytes).is_ok() =>
            {
                Ok(())
            }
            // No session id came back: the browser keeps no cookie. Say so rather than "page
            // expired", which would send the owner round the same loop.
            _ if self.new_sid => Err(ApiError::from(UseCaseError::Forbidden(Msg::WebNoCookies))),
            _ => Err(ApiError::from(UseCaseError::Forbidden(Msg::WebCsrf))),
        }
    }

    pub fn page(&self, title: impl Into<String>) -> Page {
        Page {
            lang: self.lang,
            csrf: self.csrf.clone(),
            title: title.into(),
            path: self.req.path().to_owned(),
            trial: self.trial,
            whose: Vec::new(),
            big: self.big,
            contact_phone: self.contact_phone.clone(),
            volunteer: self.volunteer,
        }
    }

    /// Cookies only over TLS when the request came over TLS (directly or through a proxy
    /// that says so).
    fn secure(&self) -> bool {
        self.req.connection_info().scheme() == "https"
    }

    pub fn cookie(
        &self,
        name: &'static str,
        value: String,
        same_site: SameSite,
        max_age: Option<time::Duration>,
    ) -> Cookie<'static> {
        let mut cookie = Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .same_site(same_site)
            .secure(self.secure())
            .finish();
        if let Some(age) = max_age {
            cookie.set_max_age(age);
        }
        cookie
    }

    pub fn removal(&self, name: &'static str) -> Cookie<'static> {
        let mut cookie = self.cookie(name, String::new(), SameSite::Lax, None);
        cookie.make_removal();
        cookie
    }

    /// The response of a page, with the session id and the chosen language remembered.
    pub fn finish(
        &self,
        mut builder: actix_web::HttpResponseBuilder,
    ) -> actix_web::HttpResponseBuilder {
        if self.new_sid {
            builder.cookie(self.cookie(SID_COOKIE, self.sid.clone(), SameSite::Lax, None));
        }
        if self.size_from_query {
            let value = if self.big { "big" } else { "normal" };
            builder.cookie(self.cookie(
                SIZE_COOKIE,
                value.into(),
                SameSite::Lax,
                Some(time::Duration::days(365)),
            ));
        }
        if self.lang_from_query {
            let value = if self.lang == Lang::En { "en" } else { "zh-CN" };
            builder.cookie(self.cookie(
                LANG_COOKIE,
                value.into(),
                SameSite::Lax,
                Some(time::Duration::days(365)),
            ));
        }
        builder
    }

    pub fn html(&self, status: StatusCode, page: &impl Template) -> Result<HttpResponse, ApiError> {
        let body = page
            .render()
            .map_err(|e| UseCaseError::Internal(format!("rendering a page: {e}")))?;
        let cache = if status == StatusCode::OK && holds_no_secret(self.req.path()) {
            // Revalidated on every visit, but kept for Back/Forward: `no-store` would keep the
            // page out of the browser's back/forward cache, and these pages show nothing of
            // anyone's (their CSRF token is bound to this browser's own session id).
            "private, no-cache"
        } else {
            "no-store"
        };
        Ok(self
            .finish(HttpResponse::build(status))
            .content_type("text/html; charset=utf-8")
            .insert_header(("cache-control", cache))
            .body(body))
    }

    pub fn ok(&self, page: &impl Template) -> Result<HttpResponse, ApiError> {
        self.html(StatusCode::OK, page)
    }

    /// 303 to a page of ours (never to another site).
    pub fn redirect(&self, to: &str) -> actix_web::HttpResponseBuilder {
        let mut builder = self.finish(HttpResponse::SeeOther());
        builder.insert_header(("location", local(to)));
        builder
    }
}

/// The pages that show nothing of any owner, ballot or code whoever asks: the home page, the
/// empty code form and the staff sign-in form. Every other page is `no-store`, so that the
/// browser of a shared phone keeps no sheet, receipt or voting link after the owner leaves.
fn holds_no_secret(path: &str) -> bool {
    matches!(path, "/" | "/vote" | "/staff/login")
}

/// Only paths of this site are followed; anything else goes to `/`. The target is resolved by a
/// URL parser against a placeholder origin and kept only if the origin is unchanged, so
/// `//host`, `/\host`, `https://…` and `/<TAB>/host` (browsers drop tabs and line breaks, which
/// turns it into `//host`) all leave the site and are refused. Control characters are refused
/// before parsing (a CR or LF would also split the header), and what is kept is the parser's
/// percent-encoded path, query and fragment, always a valid header value.
fn local(to: &str) -> String {
    const HOME: &str = "/";
    let suspicious =
        |c: char| c.is_control() || c == '\\' || gongjue_domain::text::is_bidi_control(c);
    if !to.starts_with('/') || to.starts_with("//") || to.chars().any(suspicious) {
        return HOME.into();
    }
    let Ok(base) = url::Url::parse("http://gongjue.invalid/") else {
        return HOME.into();
    };
    match base.join(to) {
        Ok(target) if target.origin() == base.origin() => {
            target[url::Position::BeforePath..].to_owned()
        }
        _ => HOME.into(),
    }
}

/// A page's form fields (`application/x-www-form-urlencoded`), in order. A NUL or a
/// bidirectional control in a name or a value is refused naming the field, as in a JSON body
/// (`crate::body`): PostgreSQL keeps no NUL in text and SQLite would keep it, and a bidirectional
/// control would show a title or name other than it is.
#[derive(Debug)]
pub struct Form(Vec<(String, String)>);

impl std::ops::Deref for Form {
    type Target = [(String, String)];
    fn deref(&self) -> &[(String, String)] {
        &self.0
    }
}

impl FromRequest for Form {
    type Error = actix_web::Error;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Form, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let fields = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            let fields = fields.await?.into_inner();
            use gongjue_domain::text::{refusal, refused_char};
            if let Some((name, c)) = fields.iter().find_map(|(name, value)| {
                refused_char(name)
                    .or_else(|| refused_char(value))
                    .map(|c| (name, c))
            }) {
                return Err(ApiError::from(UseCaseError::invalid(name, refusal(c))).into());
            }
            Ok(Form(fields))
        })
    }
}

/// A form field's first value.
pub fn field<'a>(form: &'a [(String, String)], name: &str) -> Option<&'a str> {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// What the layout shows on every page.
pub struct Page {
    pub lang: Lang,
    pub csrf: String,
    pub title: String,
    pub path: String,
    /// A trial estate's page: the layout shows the 试用/TRIAL banner.
    pub trial: bool,
    /// An owner's ballot pages: whose ballot it is, under the header on every such page ("this
    /// ballot votes for units …"), so that nobody votes on a ballot they take for their own.
    pub whose: Vec<String>,
    /// Larger text (长辈模式).
    pub big: bool,
    /// The estate's contact phone for the help line, once the estate is known.
    pub contact_phone: Option<String>,
    /// A building volunteer's page: the staff menu leads back to their round only.
    pub volunteer: bool,
}

impl Page {
    pub fn t(&self, msg: Msg) -> &'static str {
        msg.text(self.lang)
    }

    pub fn html_lang(&self) -> &'static str {
        match self.lang {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The switch link to the other language, back to this page.
    pub fn other_lang(&self) -> (&'static str, String) {
        let (label, code) = match self.lang {
            Lang::ZhCn => ("English", "en"),
            Lang::En => ("中文", "zh-CN"),
        };
        (label, format!("/lang/{code}?back={}", self.path))
    }

    /// The larger-text switch: its label and the link to this page in the other size.
    pub fn size_switch(&self) -> (&'static str, String) {
        if self.big {
            (
                self.t(Msg::WebTextNormal),
                format!("{}?size=normal", self.path),
            )
        } else {
            (self.t(Msg::WebTextBig), format!("{}?size=big", self.path))
        }
    }

    /// The help line under every page: the estate's phone once known.
    pub fn help_line(&self) -> String {
        match &self.contact_phone {
            Some(phone) => Msg::WebHelpPhone.text_with(self.lang, &[("phone", phone.into())]),
            None => self.t(Msg::WebHelpNoPhone).to_owned(),
        }
    }
}

#[derive(serde::Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /lang/{en|zh-CN}?back=/path`: remembers the language and goes back.
pub async fn switch_language(
    ctx: Ctx,
    path: web::Path<String>,
    query: web::Query<Back>,
) -> Result<HttpResponse, ApiError> {
    let value = if path.as_str() == "en" { "en" } else { "zh-CN" };
    let back = query.into_inner().back.unwrap_or_else(|| "/".into());
    let mut builder = ctx.redirect(&back);
    builder.cookie(ctx.cookie(
        LANG_COOKIE,
        value.into(),
        SameSite::Lax,
        Some(time::Duration::days(365)),
    ));
    Ok(builder.finish())
}

/// The site's icon, for the browser's tab and bookmarks (`/favicon.ico` too: browsers ask for
/// it on every page that names none, and a 404 each time fills the log).
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("cache-control", "public, max-age=86400"))
        .body(include_str!("../../templates/web/favicon.svg"))
}

/// The one stylesheet, served from here (no CDN, no external asset).
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(("cache-control", "public, max-age=3600"))
        .body(include_str!("../../templates/web/site.css"))
}

#[derive(Template)]
#[template(path = "web/error.html")]
pub(crate) struct ErrorPage<'a> {
    pub(crate) p: Page,
    pub(crate) message: &'a str,
    pub(crate) detail: Option<&'a str>,
    /// Where the page leads (its link and words); `None`: home.
    pub(crate) link: Option<(String, &'a str)>,
}

pub fn error_page(
    lang: Lang,
    status: StatusCode,
    message: &str,
    detail: Option<&str>,
    back: Option<&str>,
) -> HttpResponse {
    let page = ErrorPage {
        p: Page {
            lang,
            csrf: String::new(),
            title: Msg::WebErrorTitle.text(lang).into(),
            path: "/".into(),
            trial: false,
            whose: Vec::new(),
            big: false,
            contact_phone: None,
            volunteer: false,
        },
        message,
        detail,
        link: back.map(|b| (b.to_owned(), Msg::WebErrorBack.text(lang))),
    };
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

/// The staff page a failed staff request came from, to link back to from the error page.
/// Browsers send no `Referer` here (`Referrer-Policy: no-referrer`), so it is read from the
/// request itself: a form's page for a form's POST (closing → the setup page, a paper ballot →
/// the paper page), the assembly's dashboard for its other pages, the staff home otherwise.
/// Always a path of this site under `/staff`; never the failed page itself.
pub fn staff_back(method: &actix_web::http::Method, path: &str) -> Option<String> {
    let rest = path.strip_prefix("/staff")?;
    let parts: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let post = *method == actix_web::http::Method::POST;
    let plain = |id: &str| {
        !id.is_empty()
            && id.len() <= 64
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    };
    let back = match parts.as_slice() {
        ["assemblies", "new"] => "/staff".to_owned(),
        ["assemblies"] if post => "/staff/assemblies/new".to_owned(),
        ["assemblies", id, tail @ ..] if plain(id) => {
            let base = format!("/staff/assemblies/{id}");
            match (post, tail) {
                (_, []) => "/staff".to_owned(),
                (true, ["items" | "state"]) => format!("{base}/setup"),
                (true, ["publish"]) => format!("{base}/results"),
                (true, ["paper"]) => format!("{base}/paper"),
                (true, ["confirm", ..]) => format!("{base}/confirm"),
                (true, ["proxies"]) => format!("{base}/proxies"),
                (true, ["sheets"]) => format!("{base}/print"),
                (true, ["code-reissues", ..]) => format!("{base}/codes"),
                (true, ["notices", ..]) => format!("{base}/notices"),
                _ => base,
            }
        }
        ["roster"] if post => "/staff/roster".to_owned(),
        ["login"] | ["sign-out"] | [] => return None,
        _ => "/staff".to_owned(),
    };
    (back != path).then_some(back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_of_a_staff_page_leads_back_to_the_page_it_came_from() {
        use actix_web::http::Method;
        let back = |m: &Method, p: &str| staff_back(m, p);
        assert_eq!(
            back(&Method::POST, "/staff/assemblies/abc-1/state").as_deref(),
            Some("/staff/assemblies/abc-1/setup")
        );
        assert_eq!(
            back(&Method::GET, "/staff/assemblies/abc-1/results").as_deref(),
            Some("/staff/assemblies/abc-1")
        );
        assert_eq!(
            back(&Method::POST, "/staff/assemblies/abc-1/confirm/v9").as_deref(),
            Some("/staff/assemblies/abc-1/confirm")
        );
        assert_eq!(
            back(&Method::POST, "/staff/assemblies").as_deref(),
            Some("/staff/assemblies/new")
        );
        assert_eq!(back(&Method::GET, "/staff").as_deref(), None);
        assert_eq!(back(&Method::GET, "/ballot"), None);
        // Nothing but a path of this site, whatever the request's path holds.
        for odd in [
            "/staff//evil.example/x",
            "/staff/assemblies/evil.example/state",
            "/staff/assemblies/%2F%2Fevil/state",
        ] {
            let to = back(&Method::POST, odd).unwrap_or_default();
            assert!(
                to.starts_with("/staff") && !to.starts_with("//"),
                "{odd}: {to}"
            );
            assert!(!to.contains("evil"), "{odd}: {to}");
        }
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local("/ballot"), "/ballot");
        assert_eq!(
            local("/staff/assemblies/x?lang=en"),
            "/staff/assemblies/x?lang=en"
        );
        assert_eq!(local("/a b"), "/a%20b");
        assert_eq!(
            local("/x/results?resolved=1#objections"),
            "/x/results?resolved=1#objections"
        );
        for hostile in [
            "//evil.example/x",
            "https://evil.example/",
            "/\\evil",
            "/\t/evil.example/",
            "/\r\nSet-Cookie: x=1",
            "/\n/evil.example",
            "/\u{202e}lave",
            "evil.example",
            "",
            "javascript:alert(1)",
        ] {
            assert_eq!(local(hostile), "/", "{hostile:?}");
        }
    }

    #[test]
    fn a_token_is_bound_to_its_session_id() {
        assert_eq!(csrf_token(b"k", "a"), csrf_token(b"k", "a"));
        assert_ne!(csrf_token(b"k", "a"), csrf_token(b"k", "b"));
        assert_ne!(csrf_token(b"k", "a"), csrf_token(b"other", "a"));
        assert_eq!(csrf_token(b"k", "a").len(), 64);
    }
}
