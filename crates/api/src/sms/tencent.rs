//! Tencent Cloud SMS: the `SendSms` call (API 3.0, version 2021-01-11), its signing, how its
//! answers are classified, and its delivery-status callback.
//!
//! # What is sent
//!
//! One SMS is one `POST` of a JSON body to the endpoint (by default
//! `https://sms.tencentcloudapi.com`):
//!
//! ```json
//! {"PhoneNumberSet": ["+8613900000001"], "SmsSdkAppId": "1400000000", "SignName": "…",
//!  "TemplateId": "123456", "TemplateParamSet": ["…", "…"], "SessionContext": "<outbox id>"}
//! ```
//!
//! The template id is looked up by the notice's kind in [`TencentSettings::templates`]: providers
//! in mainland China only send registered templates, so a kind without an id cannot be sent at
//! all. `SessionContext` carries the outbox row's id so the provider's records name it too.
//!
//! # Signing
//!
//! TC3-HMAC-SHA256 as Tencent documents it ("Signature v3"): the canonical request is
//! `POST`, `/`, an empty query, the signed headers `content-type:application/json;
//! charset=utf-8` and `host:<endpoint's host>`, and the SHA-256 of the body; the string to sign
//! names the timestamp and the scope `<UTC date>/sms/tc3_request`; the key is derived from
//! `"TC3" + SecretKey` through the date, the service and `tc3_request`. The action, version,
//! timestamp and region travel as `X-TC-Action: SendSms`, `X-TC-Version: 2021-01-11`,
//! `X-TC-Timestamp` and `X-TC-Region`. See [`authorization`].
//!
//! # Classification of answers
//!
//! Tencent answers HTTP 200 both ways: a request-level failure as `Response.Error.Code`, a
//! per-number result as `Response.SendStatusSet[0].Code` (`Ok` = accepted; its `SerialNo` is the
//! provider's id that receipts name). Codes are Tencent's documented SendSms and common error
//! codes (<https://cloud.tencent.com/document/api/382/59177>,
//! <https://cloud.tencent.com/document/api/382/38780>).
//!
//! | Code | Failure | Why |
//! |---|---|---|
//! | `LimitExceeded.*`, `RequestLimitExceeded*` | transient | throttling: later it passes |
//! | `InternalError.*` | transient | the provider's own trouble |
//! | `FailedOperation.InsufficientBalanceInSmsPackage` | transient | the operator tops up |
//! | `AuthFailure.*`, `UnauthorizedOperation.*` | transient | a configuration or account mistake the operator fixes; retried until the outbox gives up |
//! | network errors, time-outs, HTTP 5xx, unreadable answers | transient | nothing was decided |
//! | `InvalidParameterValue.IncorrectPhoneNumber` | permanent | the number is wrong |
//! | `FailedOperation.PhoneNumberInBlacklist` | permanent | the owner opted out (or the operator blocks the number) |
//! | `FailedOperation.TemplateIncorrectOrUnapproved`, `FailedOperation.SignatureIncorrectOrUnapproved` | permanent | the same request is refused again |
//! | `FailedOperation.ContainSensitiveWord` | permanent | the same text is refused again |
//! | `UnsupportedOperation.*`, other `InvalidParameter*`, `MissingParameter*` | permanent | the same request is refused again |
//! | a template without a configured id | permanent | no request can be made |
//! | any other code | transient | unknown: retried rather than dropped silently |
//!
//! The failure's text is `"<Code>: <Message>"`; a phone number the provider quotes is replaced
//! by `<recipient>`, so logs and the outbox keep no number.
//!
//! # Delivery-status callback (状态报告回调)
//!
//! Tencent POSTs a JSON array of receipts to a URL configured in its console
//! (<https://cloud.tencent.com/document/product/382/5807>); the service receives it at a URL
//! with a secret token and reads it with [`parse_receipts`]:
//!
//! ```json
//! [{"user_receive_time": "2015-10-17 08:03:04", "nationcode": "86", "mobile": "13xxxxxxxxx",
//!   "report_status": "SUCCESS", "errmsg": "DELIVRD", "description": "用户短信送达成功",
//!   "sid": "xxxxxxx"}]
//! ```
//!
//! `sid` is the `SerialNo` of the send; `user_receive_time` is Beijing time (UTC+8).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::{Accepted, OutgoingSms, Receipt};
use crate::mail::transport::Failure;

/// Tencent Cloud's SMS endpoint (the region travels in `X-TC-Region`).
pub const DEFAULT_ENDPOINT: &str = "https://sms.tencentcloudapi.com";
/// The one content type sent and signed.
pub const CONTENT_TYPE: &str = "application/json; charset=utf-8";
pub const ACTION: &str = "SendSms";
pub const VERSION: &str = "2021-01-11";
/// The service name in the credential scope.
pub const SERVICE: &str = "sms";
/// An answer is a few hundred bytes; anything far larger is not one.
const MAX_ANSWER_BYTES: u64 = 1024 * 1024;
/// What replaces a quoted phone number in failure texts.
const REDACTED: &str = "<recipient>";

/// A secret that `Debug` does not print.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// How to reach Tencent Cloud SMS.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct TencentSettings {
    /// Base URL, by default [`DEFAULT_ENDPOINT`]; the fake's URL in tests.
    pub endpoint: String,
    /// E.g. `ap-guangzhou`.
    pub region: String,
    pub secret_id: String,
    pub secret_key: Secret,
    /// The SMS application's id (`SmsSdkAppId`).
    pub sdk_app_id: String,
    /// The approved signature (`SignName`).
    pub sign_name: String,
    /// Template name (the notice's kind) → Tencent's `TemplateId`.
    pub templates: BTreeMap<String, String>,
    /// For the whole request (connect, send, answer).
    pub timeout: Duration,
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> Vec<u8> {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(message);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length: this arm is unreachable.
        Err(_) => Vec::new(),
    }
}

/// The canonical request of a JSON `POST /` with `content-type` and `host` signed (step 1).
fn canonical_request(host: &str, content_type: &str, payload: &[u8]) -> String {
    format!(
        "POST\n/\n\ncontent-type:{}\nhost:{}\n\ncontent-type;host\n{}",
        content_type.trim().to_lowercase(),
        host.trim().to_lowercase(),
        sha256_hex(payload)
    )
}

/// The UTC date of a Unix timestamp, as the credential scope names it.
fn utc_date(timestamp: i64) -> String {
    chrono::DateTime::from_timestamp(timestamp, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// The string to sign (step 2).
fn string_to_sign(service: &str, canonical_request: &str, timestamp: i64) -> String {
    format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{}/{service}/tc3_request\n{}",
        utc_date(timestamp),
        sha256_hex(canonical_request.as_bytes())
    )
}

/// The full `Authorization` header value of a TC3-HMAC-SHA256-signed JSON `POST /` to `host`
/// (signed headers `content-type;host`) at the Unix time `timestamp`, which must also travel
/// as `X-TC-Timestamp`.
pub fn authorization(
    secret_id: &str,
    secret_key: &str,
    service: &str,
    host: &str,
    content_type: &str,
    payload: &[u8],
    timestamp: i64,
) -> String {
    let date = utc_date(timestamp);
    let to_sign = string_to_sign(
        service,
        &canonical_request(host, content_type, payload),
        timestamp,
    );
    let secret_date = hmac_sha256(format!("TC3{secret_key}").as_bytes(), date.as_bytes());
    let secret_service = hmac_sha256(&secret_date, service.as_bytes());
    let secret_signing = hmac_sha256(&secret_service, b"tc3_request");
    let signature = hex(&hmac_sha256(&secret_signing, to_sign.as_bytes()));
    format!(
        "TC3-HMAC-SHA256 Credential={secret_id}/{date}/{service}/tc3_request, \
         SignedHeaders=content-type;host, Signature={signature}"
    )
}

/// Whether a provider's code is worth retrying (see the module's table).
fn is_permanent(code: &str) -> bool {
    const PERMANENT: [&str; 4] = [
        "FailedOperation.PhoneNumberInBlacklist",
        "FailedOperation.TemplateIncorrectOrUnapproved",
        "FailedOperation.SignatureIncorrectOrUnapproved",
        "FailedOperation.ContainSensitiveWord",
    ];
    PERMANENT.contains(&code)
        || code.starts_with("InvalidParameter")
        || code.starts_with("MissingParameter")
        || code.starts_with("UnsupportedOperation")
}

/// `text` with every quotation of `phone` (E.164 with or without `+`, or its national number:
/// a run of at least 7 digits that ends the number's digits) replaced by `<recipient>`.
fn redact(text: &str, phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let bare = run.trim_start_matches('+');
        if bare.len() >= 7 && digits.ends_with(bare) {
            out.push_str(REDACTED);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() || (c == '+' && run.is_empty()) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The failure for a provider's error `code` and `message`.
fn failure(code: &str, message: &str, phone: &str) -> Failure {
    let text = redact(&format!("{code}: {message}"), phone);
    if is_permanent(code) {
        Failure::Permanent(text)
    } else {
        Failure::Transient(text)
    }
}

fn text<'a>(value: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(serde_json::Value::as_str)
}

/// Reads a `SendSms` answer (HTTP `status`, raw `body`) for one number.
fn read_answer(status: u16, body: &[u8], phone: &str) -> Result<Accepted, Failure> {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let response = json.as_ref().and_then(|j| j.get("Response"));
    if let Some(error) = response.and_then(|r| r.get("Error")) {
        let code = text(error, "Code").unwrap_or("(no code)");
        let message = text(error, "Message").unwrap_or_default();
        if status >= 500 {
            return Err(Failure::Transient(redact(
                &format!("HTTP {status}: {code}: {message}"),
                phone,
            )));
        }
        return Err(failure(code, message, phone));
    }
    if status >= 500 {
        return Err(Failure::Transient(format!(
            "HTTP {status} from the provider"
        )));
    }
    let Some(entry) = response
        .and_then(|r| r.get("SendStatusSet"))
        .and_then(serde_json::Value::as_array)
        .and_then(|set| set.first())
    else {
        // Nothing was decided that we can read: retried, so nothing is dropped silently.
        return Err(Failure::Transient(format!(
            "HTTP {status}: an answer without a send status"
        )));
    };
    match text(entry, "Code") {
        Some("Ok") => Ok(Accepted {
            provider_id: text(entry, "SerialNo")
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        }),
        Some(code) => Err(failure(
            code,
            text(entry, "Message").unwrap_or_default(),
            phone,
        )),
        None => Err(Failure::Transient(format!(
            "HTTP {status}: a send status without a code"
        ))),
    }
}

/// The `Host` of an endpoint URL: its host, with the port if not the scheme's default.
fn endpoint_host(endpoint: &str) -> Result<String, String> {
    let url = url::Url::parse(endpoint).map_err(|e| format!("endpoint {endpoint:?}: {e}"))?;
    let host = url
        .host_str()
        .ok_or_else(|| format!("endpoint {endpoint:?}: no host"))?;
    Ok(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    })
}

impl TencentSettings {
    /// Sends one SMS and blocks until Tencent answers (the caller runs it in `spawn_blocking`).
    pub fn send(&self, sms: &OutgoingSms) -> Result<Accepted, Failure> {
        let Some(template_id) = self
            .templates
            .get(&sms.template)
            .filter(|id| !id.is_empty())
        else {
            return Err(Failure::Permanent(format!(
                "no template id configured for `{}`",
                sms.template
            )));
        };
        // A bad endpoint is a configuration mistake the operator fixes, like `AuthFailure`.
        let host = endpoint_host(&self.endpoint).map_err(Failure::Transient)?;
        let body = serde_json::json!({
            "PhoneNumberSet": [sms.phone],
            "SmsSdkAppId": self.sdk_app_id,
            "SignName": self.sign_name,
            "TemplateId": template_id,
            "TemplateParamSet": sms.params,
            "SessionContext": sms.id,
        })
        .to_string();
        let timestamp = chrono::Utc::now().timestamp();
        let auth = authorization(
            &self.secret_id,
            &self.secret_key.0,
            SERVICE,
            &host,
            CONTENT_TYPE,
            body.as_bytes(),
            timestamp,
        );
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            // Tencent's errors come with HTTP 200; a 5xx is read here, not turned into an error.
            .http_status_as_error(false)
            .build()
            .new_agent();
        let response = agent
            .post(&self.endpoint)
            .header("Authorization", &auth)
            .header("Content-Type", CONTENT_TYPE)
            // Set, not left to the client, so what is sent is what was signed.
            .header("Host", &host)
            .header("X-TC-Action", ACTION)
            .header("X-TC-Version", VERSION)
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Region", &self.region)
            .send(body.as_bytes())
            .map_err(|e| Failure::Transient(redact(&format!("network: {e}"), &sms.phone)))?;
        let status = response.status().as_u16();
        let answer = response
            .into_body()
            .with_config()
            .limit(MAX_ANSWER_BYTES)
            .read_to_vec()
            .map_err(|e| Failure::Transient(format!("reading the answer (HTTP {status}): {e}")))?;
        read_answer(status, &answer, &sms.phone)
    }
}

/// Beijing time (UTC+8, no daylight saving) `YYYY-MM-DD hh:mm:ss` as a stored UTC timestamp.
fn beijing_to_utc(local: &str) -> Option<String> {
    let naive = chrono::NaiveDateTime::parse_from_str(local.trim(), "%Y-%m-%d %H:%M:%S").ok()?;
    let utc = naive.checked_sub_signed(chrono::TimeDelta::hours(8))?;
    Some(gongjue_store::timestamp(utc.and_utc()))
}

/// Reads Tencent's delivery-status callback: a JSON array of receipts. `report_status`
/// `SUCCESS` is delivered (anything else is not); `user_receive_time` (Beijing time) becomes a
/// stored UTC timestamp (`None` if missing or unreadable); `detail` is `"{errmsg}
/// {description}"`. Other fields (the number among them) are ignored. An entry without `sid`
/// or `report_status` is an error naming its index.
pub fn parse_receipts(body: &[u8]) -> Result<Vec<Receipt>, String> {
    let json: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let entries = json
        .as_array()
        .ok_or_else(|| "expected a JSON array of receipts".to_owned())?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let sid = text(entry, "sid")
                .filter(|s| !s.is_empty())
                .ok_or_else(|| format!("receipt {i}: no `sid`"))?;
            let status = text(entry, "report_status")
                .ok_or_else(|| format!("receipt {i}: no `report_status`"))?;
            let detail = format!(
                "{} {}",
                text(entry, "errmsg").unwrap_or_default(),
                text(entry, "description").unwrap_or_default()
            );
            Ok(Receipt {
                provider_id: sid.to_owned(),
                delivered: status == "SUCCESS",
                at: text(entry, "user_receive_time").and_then(beijing_to_utc),
                detail: detail.trim().to_owned(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tencent's worked example of signature v3 (CVM `DescribeInstances`, ap-guangzhou,
    // X-TC-Timestamp 1551113065, body below with the `\u` escapes as literal text):
    // "签名方法 v3", https://cloud.tencent.com/document/api/213/30654, the same page in every
    // product's API docs (e.g. https://intl.cloud.tencent.com/zh/document/api/1021/34193).
    const DOC_PAYLOAD: &str =
        r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
    const DOC_HOST: &str = "cvm.tencentcloudapi.com";
    const DOC_TIMESTAMP: i64 = 1551113065;

    #[test]
    fn the_canonical_request_and_string_to_sign_are_the_published_ones() {
        let canonical = canonical_request(DOC_HOST, CONTENT_TYPE, DOC_PAYLOAD.as_bytes());
        assert_eq!(
            canonical,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\n\
             host:cvm.tencentcloudapi.com\n\ncontent-type;host\n\
             35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            string_to_sign("cvm", &canonical, DOC_TIMESTAMP),
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n\
             5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
    }

    #[test]
    fn the_authorization_is_the_published_one() {
        // The Chinese page's example keys (masked with asterisks, used as they are printed).
        assert_eq!(
            authorization(
                "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******",
                "Gu5t9xGARNpq86cd98joQYCN3*******",
                "cvm",
                DOC_HOST,
                CONTENT_TYPE,
                DOC_PAYLOAD.as_bytes(),
                DOC_TIMESTAMP,
            ),
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/\
             tc3_request, SignedHeaders=content-type;host, \
             Signature=2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c"
        );
        // The current English page's example (SecretKey `Gu5t9xGARNpq86cd98joQYCN3EXAMPLE`).
        assert!(
            authorization(
                "AKID**********************0123456789EXAMPLE",
                "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
                "cvm",
                DOC_HOST,
                CONTENT_TYPE,
                DOC_PAYLOAD.as_bytes(),
                DOC_TIMESTAMP,
            )
            .ends_with(
                "Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
            )
        );
    }

    #[test]
    fn the_scope_date_is_utc() {
        // 2019-02-26 00:44:25 in Beijing is still the 25th in UTC (the documented pitfall).
        assert_eq!(utc_date(DOC_TIMESTAMP), "2019-02-25");
    }

    #[test]
    fn codes_are_classified_as_the_table_says() {
        for code in [
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            "RequestLimitExceeded",
            "InternalError.Timeout",
            "FailedOperation.InsufficientBalanceInSmsPackage",
            "AuthFailure.SignatureFailure",
            "UnauthorizedOperation.SmsSdkAppIdVerifyFail",
            "SomethingNew.NeverSeen",
        ] {
            assert!(!is_permanent(code), "{code}");
        }
        for code in [
            "InvalidParameterValue.IncorrectPhoneNumber",
            "InvalidParameterValue.TemplateParameterFormatError",
            "FailedOperation.PhoneNumberInBlacklist",
            "FailedOperation.TemplateIncorrectOrUnapproved",
            "FailedOperation.SignatureIncorrectOrUnapproved",
            "UnsupportedOperation.UnsupportedRegion",
            "MissingParameter.EmptyPhoneNumberSet",
        ] {
            assert!(is_permanent(code), "{code}");
        }
    }

    #[test]
    fn answers_are_read() {
        let ok = br#"{"Response":{"SendStatusSet":[{"SerialNo":"5000:1045710669157053657849499619",
            "PhoneNumber":"+8613900000001","Fee":1,"SessionContext":"x","Code":"Ok",
            "Message":"send success","IsoCode":"CN"}],"RequestId":"a0aabda6"}}"#;
        assert_eq!(
            read_answer(200, ok, "+8613900000001"),
            Ok(Accepted {
                provider_id: Some("5000:1045710669157053657849499619".to_owned())
            })
        );
        let error = br#"{"Response":{"Error":{"Code":"AuthFailure.SignatureFailure",
            "Message":"The provided credentials could not be validated."},"RequestId":"r"}}"#;
        assert!(matches!(
            read_answer(200, error, "+8613900000001"),
            Err(Failure::Transient(t)) if t.starts_with("AuthFailure.SignatureFailure: ")
        ));
        assert!(matches!(
            read_answer(502, b"<html>bad gateway</html>", "+8613900000001"),
            Err(Failure::Transient(_))
        ));
        assert!(matches!(
            read_answer(200, b"{}", "+8613900000001"),
            Err(Failure::Transient(_))
        ));
    }

    #[test]
    fn quoted_numbers_are_redacted() {
        let phone = "+8613900000001";
        let answer = br#"{"Response":{"SendStatusSet":[{"SerialNo":"","Code":
            "FailedOperation.PhoneNumberInBlacklist","Message":
            "+8613900000001 (13900000001, 8613900000001) is blacklisted; see doc 20230101"}],
            "RequestId":"r"}}"#;
        let result = read_answer(200, answer, phone);
        let Err(Failure::Permanent(text)) = result else {
            panic!("{result:?}");
        };
        assert!(!text.contains("13900000001"), "{text}");
        assert!(
            text.starts_with("FailedOperation.PhoneNumberInBlacklist: <recipient> (<recipient>")
        );
        // Other numbers are kept.
        assert!(text.ends_with("see doc 20230101"), "{text}");
    }

    #[test]
    fn a_kind_without_a_template_id_is_permanent() {
        let settings = TencentSettings {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            region: "ap-guangzhou".to_owned(),
            secret_id: "id".to_owned(),
            secret_key: Secret("key".to_owned()),
            sdk_app_id: "1400000000".to_owned(),
            sign_name: "Sign".to_owned(),
            templates: BTreeMap::new(),
            timeout: Duration::from_secs(5),
        };
        let sms = OutgoingSms {
            id: "row".to_owned(),
            phone: "+8613900000001".to_owned(),
            template: "reminder".to_owned(),
            params: vec![],
            text: "…".to_owned(),
        };
        assert_eq!(
            settings.send(&sms),
            Err(Failure::Permanent(
                "no template id configured for `reminder`".to_owned()
            ))
        );
        assert!(!format!("{settings:?}").contains("\"key\""));
        assert!(format!("{settings:?}").contains("Secret(***)"));
    }

    #[test]
    fn the_documented_receipt_sample_is_read_in_utc() {
        // The sample of https://cloud.tencent.com/document/product/382/5807 (短信下发状态通知),
        // plus a failure and an unknown field.
        let body = r#"[
            {"user_receive_time": "2015-10-17 08:03:04", "nationcode": "86",
             "mobile": "13xxxxxxxxx", "report_status": "SUCCESS", "errmsg": "DELIVRD",
             "description": "用户短信送达成功", "sid": "xxxxxxx"},
            {"user_receive_time": "2015-10-17 03:00:00", "nationcode": "86",
             "mobile": "13xxxxxxxxx", "report_status": "FAIL", "errmsg": "MK:0001",
             "description": "用户手机号停机", "sid": "yyyyyyy", "pull_type": 1}
        ]"#;
        assert_eq!(
            parse_receipts(body.as_bytes()),
            Ok(vec![
                Receipt {
                    provider_id: "xxxxxxx".to_owned(),
                    delivered: true,
                    at: Some("2015-10-17T00:03:04.000000Z".to_owned()),
                    detail: "DELIVRD 用户短信送达成功".to_owned(),
                },
                Receipt {
                    provider_id: "yyyyyyy".to_owned(),
                    delivered: false,
                    // Across midnight: the 17th in Beijing is the 16th in UTC.
                    at: Some("2015-10-16T19:00:00.000000Z".to_owned()),
                    detail: "MK:0001 用户手机号停机".to_owned(),
                },
            ])
        );
    }

    #[test]
    fn bad_receipts_are_refused() {
        let no_sid = br#"[{"report_status":"SUCCESS","sid":"a"},{"report_status":"FAIL"}]"#;
        assert_eq!(
            parse_receipts(no_sid),
            Err("receipt 1: no `sid`".to_owned())
        );
        assert!(parse_receipts(br#"{"sid":"a"}"#).is_err());
        assert!(parse_receipts(b"not json").is_err());
        let odd_time = br#"[{"report_status":"SUCCESS","sid":"a","user_receive_time":"soon"}]"#;
        assert_eq!(
            parse_receipts(odd_time).map(|r| r.into_iter().map(|r| r.at).collect::<Vec<_>>()),
            Ok(vec![None])
        );
    }
}
