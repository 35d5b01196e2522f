//! Headers every response carries, errors included, so that a browser showing a page of the
//! service (the owners' voting form, an announcement) gives it the least power possible.
//!
//! - `Content-Security-Policy`: everything from our own origin only, no plugins, no inline
//!   scripts; inline `<style>` is allowed because the printable announcement carries its styles
//!   in the page (so it prints as one file). `frame-ancestors 'none'` with `X-Frame-Options: DENY`
//!   (for older browsers): no other site may frame the voting form (clickjacking).
//! - `Referrer-Policy: no-referrer`: the voting link carries the owner's code; a link followed
//!   from a page must never send it to another site.
//! - `X-Content-Type-Options: nosniff`: an uploaded roster or a JSON body is never run as a script.
//! - `Cache-Control: no-store` unless the handler chose otherwise: ballots, receipts and tokens
//!   must not be kept by a shared proxy or the browser of a shared phone.

use actix_web::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, HeaderMap, HeaderValue, REFERRER_POLICY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};

pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Adds the headers; a value a handler set itself (e.g. its own `Cache-Control`) is kept.
pub fn apply(headers: &mut HeaderMap) {
    let set = |headers: &mut HeaderMap, name, value: &'static str| {
        if !headers.contains_key(&name) {
            headers.insert(name, HeaderValue::from_static(value));
        }
    };
    set(headers, CONTENT_SECURITY_POLICY, CSP);
    set(headers, X_FRAME_OPTIONS, "DENY");
    set(headers, X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, REFERRER_POLICY, "no-referrer");
    set(headers, CACHE_CONTROL, "no-store");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handlers_own_cache_control_is_kept() {
        let mut headers = HeaderMap::new();
        headers.insert(
            CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=60"),
        );
        apply(&mut headers);
        assert_eq!(headers.get(CACHE_CONTROL).unwrap(), "public, max-age=60");
        assert_eq!(headers.get(X_FRAME_OPTIONS).unwrap(), "DENY");
        assert!(
            headers
                .get(CONTENT_SECURITY_POLICY)
                .unwrap()
                .to_str()
                .unwrap()
                .contains("frame-ancestors 'none'")
        );
    }
}
