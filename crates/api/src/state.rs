//! What every handler shares: the store, the keys, the limits.

use std::time::Duration;

use gongjue_store::Store;

use crate::auth::client_addr::TrustedProxies;
use crate::auth::jwt::JwtKeys;
use crate::auth::ratelimit::AttemptWindow;
use crate::export::wrap::KeyWrap;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub code_failures_per_ip: u32,
    pub code_failures_per_assembly: u32,
    pub login_failures_per_ip: u32,
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub jwt: JwtKeys,
    /// Key of the voting codes' HMAC; losing it invalidates every issued code.
    pub code_key: Vec<u8>,
    pub limits: Limits,
    /// The window of the attempt limits (whose counts live in the database).
    pub attempt_window: AttemptWindow,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: TrustedProxies,
    /// Key of the web forms' CSRF tokens (an HMAC of the browser's session id).
    pub csrf_key: Vec<u8>,
    /// Key that wraps the estates' private signing keys in the database (`export::wrap`).
    pub key_wrap: KeyWrap,
    /// Where owners reach the service, for links in notices (no trailing `/`).
    pub public_url: String,
    /// Sign-in by SMS code and the receipts' token (issue 20).
    pub sms: crate::sms::settings::SmsSettings,
}

impl AppState {
    pub fn new(
        store: Store,
        secret: &[u8],
        token_ttl: Duration,
        limits: Limits,
        attempt_window: Duration,
    ) -> AppState {
        // Two keys from one secret, so a token key can never be used as a code key or back.
        let derive = |label: &[u8]| {
            use hmac::Mac;
            let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret) else {
                return Vec::new();
            };
            mac.update(label);
            mac.finalize().into_bytes().to_vec()
        };
        AppState {
            store,
            jwt: JwtKeys::new(&derive(b"gongjue/jwt"), token_ttl),
            code_key: derive(b"gongjue/voting-codes"),
            limits,
            attempt_window: AttemptWindow(attempt_window),
            trusted_proxies: TrustedProxies::default(),
            csrf_key: derive(b"gongjue/csrf"),
            key_wrap: KeyWrap::from_secret(secret),
            public_url: crate::mail::settings::DEFAULT_PUBLIC_URL.into(),
            sms: crate::sms::settings::SmsSettings::default(),
        }
    }

    /// Believes `X-Forwarded-For` from these reverse proxies (see `auth::client_addr`).
    pub fn with_trusted_proxies(mut self, proxies: TrustedProxies) -> AppState {
        self.trusted_proxies = proxies;
        self
    }

    /// Sets the public address used in the links of notices.
    pub fn with_public_url(mut self, url: &str) -> AppState {
        self.public_url = url.trim_end_matches('/').to_owned();
        self
    }

    pub fn with_sms(mut self, sms: crate::sms::settings::SmsSettings) -> AppState {
        self.sms = sms;
        self
    }
}
