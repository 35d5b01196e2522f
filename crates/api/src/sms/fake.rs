//! A local fake of Tencent Cloud's SMS API (`SendSms` 2021-01-11), for end-to-end tests and
//! development: point [`super::tencent::TencentSettings::endpoint`] at [`FakeProvider::url`].
//!
//! It answers as Tencent does (HTTP 200 both ways, `Response.Error` for a refused request,
//! `Response.SendStatusSet` per number) and checks what Tencent checks first:
//!
//! - `X-TC-Action` must be `SendSms` (else `InvalidAction`) and `X-TC-Version` `2021-01-11`
//!   (else `NoSuchVersion`); `X-TC-Timestamp` within five minutes of now (else
//!   `AuthFailure.SignatureExpire`); `X-TC-Region` present (else `MissingParameter`).
//! - The `Authorization` header's SecretId (else `AuthFailure.SecretIdNotFound`) and its
//!   TC3-HMAC-SHA256 signature over the raw body, `Host`, `Content-Type` and timestamp,
//!   computed with [`super::tencent::authorization`] (else `AuthFailure.SignatureFailure`).
//!
//! Each number is then answered by its last four digits:
//!
//! | Number ends in | Answer |
//! |---|---|
//! | `0000` | `InvalidParameterValue.IncorrectPhoneNumber` (its message quotes the number) |
//! | `1111` | `LimitExceeded.PhoneNumberThirtySecondLimit` for the first two requests naming it, then accepted |
//! | `3333` | accepted, but its receipt reports `FAIL` (`MK:0001`, 用户手机号停机) |
//! | anything else | accepted, its receipt reports `SUCCESS` (`DELIVRD`) |
//!
//! [`FakeProvider::run_out_of_balance`] makes every number answer
//! `FailedOperation.InsufficientBalanceInSmsPackage` until [`FakeProvider::top_up`].
//!
//! An accepted number gets a unique `SerialNo` and is recorded ([`FakeProvider::messages`]).
//! If a callback URL is given, a moment later the fake POSTs that message's receipt there in
//! Tencent's callback format (a JSON array; `user_receive_time` in Beijing time). The delay
//! stands for the network's: the sender has recorded the `SerialNo` before its receipt comes.
//! Callback failures are recorded ([`FakeProvider::callback_failures`]), never fatal.

use std::net::TcpListener;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use serde_json::{Value, json};

use super::tencent::{ACTION, SERVICE, VERSION, authorization};

/// How long after accepting a message its receipt is posted.
const CALLBACK_DELAY: Duration = Duration::from_millis(200);
/// How far `X-TC-Timestamp` may be from now, as Tencent allows.
const MAX_CLOCK_SKEW_SECS: i64 = 300;
/// Tencent's message for a signature that does not verify.
const SIGNATURE_FAILURE: &str =
    "The provided credentials could not be validated. Please check your signature is correct.";

/// One message the fake accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeMessage {
    pub serial_no: String,
    pub phone: String,
    pub template_id: String,
    pub params: Vec<String>,
    pub session_context: String,
}

#[derive(Default)]
struct State {
    attempts: usize,
    messages: Vec<FakeMessage>,
    /// Requests naming each number, for the `1111` behaviour.
    tries: std::collections::HashMap<String, usize>,
    out_of_balance: bool,
    receipts_sent: usize,
    callback_failures: Vec<String>,
}

struct Inner {
    secret_id: String,
    secret_key: String,
    callback: Option<String>,
    state: Mutex<State>,
}

impl Inner {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panicking test thread must not hide the record from the others.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The running fake; clones share its state.
#[derive(Clone)]
pub struct FakeProvider {
    url: String,
    inner: Arc<Inner>,
    handle: ServerHandle,
}

impl std::fmt::Debug for FakeProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeProvider")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl FakeProvider {
    /// Starts the fake on `127.0.0.1` (a free port) on the current tokio runtime, accepting
    /// requests signed with `secret_id` / `secret_key`, and posting receipts to `callback`.
    pub async fn start(
        secret_id: &str,
        secret_key: &str,
        callback: Option<String>,
    ) -> std::io::Result<FakeProvider> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}", listener.local_addr()?);
        let inner = Arc::new(Inner {
            secret_id: secret_id.to_owned(),
            secret_key: secret_key.to_owned(),
            callback,
            state: Mutex::new(State::default()),
        });
        let data = web::Data::from(inner.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(handle))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)?
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Ok(FakeProvider { url, inner, handle })
    }

    /// The base URL, to use as the endpoint.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The messages accepted so far, in order.
    pub fn messages(&self) -> Vec<FakeMessage> {
        self.inner.lock().messages.clone()
    }

    /// Every request received, whatever its answer.
    pub fn attempts(&self) -> usize {
        self.inner.lock().attempts
    }

    /// From now on every number answers `FailedOperation.InsufficientBalanceInSmsPackage`.
    pub fn run_out_of_balance(&self) {
        self.inner.lock().out_of_balance = true;
    }

    /// Ends [`FakeProvider::run_out_of_balance`].
    pub fn top_up(&self) {
        self.inner.lock().out_of_balance = false;
    }

    /// Receipts the callback URL took (answered 2xx).
    pub fn receipts_sent(&self) -> usize {
        self.inner.lock().receipts_sent
    }

    /// Why receipts could not be posted.
    pub fn callback_failures(&self) -> Vec<String> {
        self.inner.lock().callback_failures.clone()
    }

    /// Stops the server (waiting for requests in progress).
    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> &'a str {
    req.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

fn error(code: &str, message: &str) -> Value {
    json!({"Response": {
        "Error": {"Code": code, "Message": message},
        "RequestId": uuid::Uuid::now_v7().to_string(),
    }})
}

/// The request-level checks; `Err` is the error answer.
fn check(inner: &Inner, req: &HttpRequest, body: &[u8]) -> Result<(), Value> {
    let action = header(req, "X-TC-Action");
    if action != ACTION {
        return Err(error(
            "InvalidAction",
            &format!("The action `{action}` does not exist."),
        ));
    }
    let version = header(req, "X-TC-Version");
    if version != VERSION {
        return Err(error(
            "NoSuchVersion",
            &format!("The version `{version}` of `{ACTION}` does not exist."),
        ));
    }
    let Ok(timestamp) = header(req, "X-TC-Timestamp").parse::<i64>() else {
        return Err(error(
            "MissingParameter",
            "The request is missing a valid X-TC-Timestamp.",
        ));
    };
    if (chrono::Utc::now().timestamp() - timestamp).abs() > MAX_CLOCK_SKEW_SECS {
        return Err(error(
            "AuthFailure.SignatureExpire",
            "Signature expired. Timestamp is too far from the server time.",
        ));
    }
    if header(req, "X-TC-Region").is_empty() {
        return Err(error(
            "MissingParameter",
            "The request is missing a required parameter `Region`.",
        ));
    }
    let given = header(req, "Authorization");
    let secret_id = given
        .split_once("Credential=")
        .and_then(|(_, rest)| rest.split_once('/'))
        .map(|(id, _)| id)
        .unwrap_or_default();
    if secret_id != inner.secret_id {
        return Err(error(
            "AuthFailure.SecretIdNotFound",
            "The SecretId is not found, please ensure that your SecretId is correct.",
        ));
    }
    let expected = authorization(
        &inner.secret_id,
        &inner.secret_key,
        SERVICE,
        header(req, "Host"),
        header(req, "Content-Type"),
        body,
        timestamp,
    );
    if given != expected {
        return Err(error("AuthFailure.SignatureFailure", SIGNATURE_FAILURE));
    }
    Ok(())
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// `+86…` → (`86`, national number); others are given whole.
fn nation_and_mobile(phone: &str) -> (&str, &str) {
    match phone.strip_prefix("+86") {
        Some(national) => ("86", national),
        None => ("", phone.trim_start_matches('+')),
    }
}

/// A receipt in Tencent's callback format for an accepted message.
fn receipt(message: &FakeMessage) -> Value {
    let (nationcode, mobile) = nation_and_mobile(&message.phone);
    let (status, errmsg, description) = if message.phone.ends_with("3333") {
        ("FAIL", "MK:0001", "用户手机号停机")
    } else {
        ("SUCCESS", "DELIVRD", "用户短信送达成功")
    };
    // Beijing time has no daylight saving: UTC + 8 h.
    let beijing = chrono::Utc::now().naive_utc() + chrono::TimeDelta::hours(8);
    json!({
        "user_receive_time": beijing.format("%Y-%m-%d %H:%M:%S").to_string(),
        "nationcode": nationcode,
        "mobile": mobile,
        "report_status": status,
        "errmsg": errmsg,
        "description": description,
        "sid": message.serial_no,
    })
}

/// Answers one request: the JSON answer and the receipts to post.
fn answer(inner: &Inner, req: &HttpRequest, body: &[u8]) -> (Value, Vec<Value>) {
    inner.lock().attempts += 1;
    if let Err(refused) = check(inner, req, body) {
        return (refused, vec![]);
    }
    let Ok(request) = serde_json::from_slice::<Value>(body) else {
        return (
            error("FailedOperation.JsonParseFail", "The body is not JSON."),
            vec![],
        );
    };
    let phones = strings(request.get("PhoneNumberSet"));
    if phones.is_empty() {
        return (
            error(
                "MissingParameter.EmptyPhoneNumberSet",
                "The PhoneNumberSet is empty.",
            ),
            vec![],
        );
    }
    let field = |name: &str| {
        request
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let (template_id, session_context) = (field("TemplateId"), field("SessionContext"));
    let params = strings(request.get("TemplateParamSet"));
    let mut state = inner.lock();
    let mut set = Vec::new();
    let mut receipts = Vec::new();
    for phone in phones {
        let tries = state.tries.entry(phone.clone()).or_insert(0);
        *tries += 1;
        let tries = *tries;
        let refusal = if state.out_of_balance {
            Some((
                "FailedOperation.InsufficientBalanceInSmsPackage",
                "insufficient balance in SMS package".to_owned(),
            ))
        } else if phone.ends_with("0000") {
            Some((
                "InvalidParameterValue.IncorrectPhoneNumber",
                format!("incorrect phone number: {phone}"),
            ))
        } else if phone.ends_with("1111") && tries <= 2 {
            Some((
                "LimitExceeded.PhoneNumberThirtySecondLimit",
                "the number of SMS messages sent from a single mobile number within 30 \
                 seconds exceeds the upper limit"
                    .to_owned(),
            ))
        } else {
            None
        };
        let iso_code = if phone.starts_with("+86") { "CN" } else { "" };
        match refusal {
            Some((code, message)) => set.push(json!({
                "SerialNo": "", "PhoneNumber": phone, "Fee": 0,
                "SessionContext": session_context, "Code": code, "Message": message,
                "IsoCode": iso_code,
            })),
            None => {
                // Digits like Tencent's serial numbers; v7 is unique within the process.
                let serial_no = format!("2433:{}", uuid::Uuid::now_v7().as_u128());
                set.push(json!({
                    "SerialNo": serial_no, "PhoneNumber": phone, "Fee": 1,
                    "SessionContext": session_context, "Code": "Ok",
                    "Message": "send success", "IsoCode": iso_code,
                }));
                let message = FakeMessage {
                    serial_no,
                    phone,
                    template_id: template_id.clone(),
                    params: params.clone(),
                    session_context: session_context.clone(),
                };
                receipts.push(receipt(&message));
                state.messages.push(message);
            }
        }
    }
    let reply = json!({"Response": {
        "SendStatusSet": set,
        "RequestId": uuid::Uuid::now_v7().to_string(),
    }});
    (reply, receipts)
}

/// Posts one receipt (blocking); the outcome goes to the record.
fn post_receipt(inner: &Inner, url: &str, receipt: &Value) {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        // The callback is local: an environment's proxy must not take it elsewhere.
        .proxy(None)
        .build()
        .new_agent();
    let body = Value::Array(vec![receipt.clone()]).to_string();
    let outcome = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.as_bytes());
    let mut state = inner.lock();
    match outcome {
        Ok(response) if response.status().is_success() => state.receipts_sent += 1,
        Ok(response) => state
            .callback_failures
            .push(format!("{url}: HTTP {}", response.status())),
        Err(e) => state.callback_failures.push(format!("{url}: {e}")),
    }
}

async fn handle(req: HttpRequest, body: web::Bytes, inner: web::Data<Inner>) -> HttpResponse {
    let (reply, receipts) = answer(&inner, &req, &body);
    if let Some(url) = inner.callback.clone()
        && !receipts.is_empty()
    {
        let inner = inner.into_inner();
        // Detached: the answer must not wait for the callback.
        drop(tokio::task::spawn_blocking(move || {
            std::thread::sleep(CALLBACK_DELAY);
            for receipt in &receipts {
                post_receipt(&inner, &url, receipt);
            }
        }));
    }
    HttpResponse::Ok()
        .content_type("application/json")
        .body(reply.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::transport::Failure;
    use crate::sms::tencent::{Secret, TencentSettings, parse_receipts};
    use crate::sms::{Accepted, OutgoingSms, Receipt};
    use std::collections::BTreeMap;

    const ID: &str = "AKIDfake";
    const KEY: &str = "fake-secret-key";

    fn settings(fake: &FakeProvider, key: &str) -> TencentSettings {
        TencentSettings {
            endpoint: fake.url(),
            region: "ap-guangzhou".to_owned(),
            secret_id: ID.to_owned(),
            secret_key: Secret(key.to_owned()),
            sdk_app_id: "1400000000".to_owned(),
            sign_name: "公决".to_owned(),
            templates: BTreeMap::from([("reminder".to_owned(), "1001".to_owned())]),
            timeout: Duration::from_secs(10),
        }
    }

    fn sms(phone: &str) -> OutgoingSms {
        OutgoingSms {
            id: format!("row-{phone}"),
            phone: phone.to_owned(),
            template: "reminder".to_owned(),
            params: vec!["Assembly".to_owned(), "2026-05-01".to_owned()],
            text: "…".to_owned(),
        }
    }

    async fn send(settings: &TencentSettings, phone: &str) -> Result<Accepted, Failure> {
        let (settings, sms) = (settings.clone(), sms(phone));
        tokio::task::spawn_blocking(move || settings.send(&sms))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn an_accepted_message_is_recorded() {
        let fake = FakeProvider::start(ID, KEY, None).await.unwrap();
        let accepted = send(&settings(&fake, KEY), "+8613900000001").await.unwrap();
        let messages = fake.messages();
        assert_eq!(messages.len(), 1);
        assert_eq!(
            accepted.provider_id.as_deref(),
            Some(messages[0].serial_no.as_str())
        );
        assert_eq!(
            messages[0],
            FakeMessage {
                serial_no: messages[0].serial_no.clone(),
                phone: "+8613900000001".to_owned(),
                template_id: "1001".to_owned(),
                params: vec!["Assembly".to_owned(), "2026-05-01".to_owned()],
                session_context: "row-+8613900000001".to_owned(),
            }
        );
        let again = send(&settings(&fake, KEY), "+8613900000002").await.unwrap();
        assert_ne!(again.provider_id, accepted.provider_id);
        assert_eq!(fake.attempts(), 2);
    }

    #[tokio::test]
    async fn a_wrong_key_is_a_transient_signature_failure() {
        let fake = FakeProvider::start(ID, KEY, None).await.unwrap();
        let result = send(&settings(&fake, "not-the-key"), "+8613900000001").await;
        assert!(
            matches!(&result, Err(Failure::Transient(t)) if t.starts_with("AuthFailure.SignatureFailure")),
            "{result:?}"
        );
        assert!(fake.messages().is_empty());
        assert_eq!(fake.attempts(), 1);
    }

    #[tokio::test]
    async fn an_incorrect_number_is_permanent_and_not_quoted() {
        let fake = FakeProvider::start(ID, KEY, None).await.unwrap();
        let result = send(&settings(&fake, KEY), "+8613900000000").await;
        let Err(Failure::Permanent(text)) = result else {
            panic!("{result:?}");
        };
        assert!(text.starts_with("InvalidParameterValue.IncorrectPhoneNumber: "));
        assert!(!text.contains("13900000000"), "{text}");
        assert!(text.contains("<recipient>"), "{text}");
    }

    #[tokio::test]
    async fn throttling_is_transient_twice_then_accepted() {
        let fake = FakeProvider::start(ID, KEY, None).await.unwrap();
        let settings = settings(&fake, KEY);
        for _ in 0..2 {
            let result = send(&settings, "+8613900001111").await;
            assert!(
                matches!(&result, Err(Failure::Transient(t))
                    if t.starts_with("LimitExceeded.PhoneNumberThirtySecondLimit: ")),
                "{result:?}"
            );
        }
        send(&settings, "+8613900001111").await.unwrap();
        assert_eq!(fake.messages().len(), 1);
        assert_eq!(fake.attempts(), 3);
    }

    #[tokio::test]
    async fn an_empty_balance_is_transient_until_topped_up() {
        let fake = FakeProvider::start(ID, KEY, None).await.unwrap();
        let settings = settings(&fake, KEY);
        fake.run_out_of_balance();
        for _ in 0..2 {
            let result = send(&settings, "+8613900000001").await;
            assert_eq!(
                result,
                Err(Failure::Transient(
                    "FailedOperation.InsufficientBalanceInSmsPackage: insufficient balance in \
                     SMS package"
                        .to_owned()
                ))
            );
        }
        fake.top_up();
        send(&settings, "+8613900000001").await.unwrap();
        assert_eq!(fake.messages().len(), 1);
    }

    /// A receiver of callbacks: the bodies it was posted.
    async fn receiver() -> (String, Arc<Mutex<Vec<web::Bytes>>>) {
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = bodies.clone();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/sms/receipts", listener.local_addr().unwrap());
        let server = HttpServer::new(move || {
            let kept = kept.clone();
            App::new().default_service(web::to(move |body: web::Bytes| {
                kept.lock().unwrap().push(body);
                async { HttpResponse::Ok().body(r#"{"result":0,"errmsg":"OK"}"#) }
            }))
        })
        .workers(1)
        .disable_signals()
        .listen(listener)
        .unwrap()
        .run();
        tokio::spawn(server);
        (url, bodies)
    }

    #[tokio::test]
    async fn receipts_are_posted_in_tencents_format() {
        let (url, bodies) = receiver().await;
        let fake = FakeProvider::start(ID, KEY, Some(url)).await.unwrap();
        let settings = settings(&fake, KEY);
        let ok = send(&settings, "+8613900000001").await.unwrap();
        let failed = send(&settings, "+8613900003333").await.unwrap();
        for _ in 0..100 {
            if fake.receipts_sent() == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(fake.receipts_sent(), 2, "{:?}", fake.callback_failures());
        let mut receipts: Vec<Receipt> = bodies
            .lock()
            .unwrap()
            .iter()
            .flat_map(|body| parse_receipts(body).unwrap())
            .collect();
        receipts.sort_by_key(|r| r.delivered);
        assert_eq!(receipts.len(), 2);
        assert_eq!(Some(&receipts[0].provider_id), failed.provider_id.as_ref());
        assert!(!receipts[0].delivered);
        assert_eq!(receipts[0].detail, "MK:0001 用户手机号停机");
        assert_eq!(Some(&receipts[1].provider_id), ok.provider_id.as_ref());
        assert!(receipts[1].delivered);
        assert_eq!(receipts[1].detail, "DELIVRD 用户短信送达成功");
        // Beijing time went back to UTC: within a minute of now.
        let at = chrono::DateTime::parse_from_rfc3339(receipts[1].at.as_deref().unwrap()).unwrap();
        assert!(
            (chrono::Utc::now() - at.to_utc()).num_seconds().abs() < 60,
            "{at}"
        );
    }

    #[tokio::test]
    async fn a_dead_callback_is_recorded_not_fatal() {
        // A port nothing listens on.
        let closed = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/", closed.local_addr().unwrap());
        drop(closed);
        let fake = FakeProvider::start(ID, KEY, Some(url)).await.unwrap();
        send(&settings(&fake, KEY), "+8613900000001").await.unwrap();
        for _ in 0..100 {
            if !fake.callback_failures().is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(fake.callback_failures().len(), 1);
        assert_eq!(fake.receipts_sent(), 0);
        // Still serving.
        send(&settings(&fake, KEY), "+8613900000002").await.unwrap();
        fake.stop().await;
    }
}
