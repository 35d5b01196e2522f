//! Issue 20: notices by SMS through the outbox and a (fake) Tencent Cloud SMS provider, with
//! delivery receipts, the estate's budget, and sign-in by a one-time SMS code.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use gongjue_api::mail::settings::Timing;
use gongjue_api::sms::fake::{FakeMessage, FakeProvider};
use gongjue_api::sms::settings::{SignInLimits, SmsSettings, SmsTransportSettings};
use gongjue_api::sms::tencent::{Secret, TencentSettings};
use gongjue_api::sms::worker::SmsWorker;
use gongjue_store::Store;
use gongjue_store::outbox::OutboxFilter;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, Session, TestApp, TestDb, spawn_app_with};

const SECRET_ID: &str = "AKIDgongjuee2etest";
const SECRET_KEY: &str = "e2e-secret-key-not-for-production";
const RECEIPT_TOKEN: &str = "receipts-token-0123456789";

/// A: SMS and e-mail; B: throttled twice by the provider, no e-mail; C: a number the provider
/// refuses, and e-mail; D: accepted but never delivered; E: nothing (paper); F: a landline
/// (no SMS) and e-mail.
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,A,甲,13900000001,a@example.com
,1,1,102,1,100.00,B,乙,139-0000-1111,
,1,1,201,2,100.00,C,丙,13900000000,c@example.com
,2,1,101,1,100.00,D,丁,+86 139 0000 3333,
,2,1,102,1,100.00,E,戊,,
,2,1,201,2,100.00,F,己,021-62188888,f@example.com
";

/// The phones of the roster in E.164, by owner.
fn phones() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("A", "+8613900000001"),
        ("B", "+8613900001111"),
        ("C", "+8613900000000"),
        ("D", "+8613900003333"),
    ])
}

fn sms_settings(endpoint: String) -> SmsSettings {
    let templates = gongjue_api::sms::text::KINDS
        .iter()
        .map(|k| ((*k).to_owned(), format!("T-{k}")))
        .collect();
    SmsSettings {
        transport: SmsTransportSettings::Tencent(TencentSettings {
            endpoint,
            region: "ap-guangzhou".into(),
            secret_id: SECRET_ID.into(),
            secret_key: Secret(SECRET_KEY.into()),
            sdk_app_id: "1400000000".into(),
            sign_name: "湖畔花园业委会".into(),
            templates,
            timeout: Duration::from_secs(5),
        }),
        sign_in: SignInLimits {
            per_address: 100,
            ..SignInLimits::default()
        },
        receipt_token: Some(Secret(RECEIPT_TOKEN.into())),
    }
}

fn fast() -> Timing {
    Timing {
        poll: Duration::from_millis(50),
        lease: Duration::from_secs(1),
        retry_first: Duration::from_millis(50),
        retry_max: Duration::from_millis(200),
        ..Timing::default()
    }
}

struct Setup {
    app: TestApp,
    estate: String,
    secretary: Session,
    fake: FakeProvider,
    worker: SmsWorker,
}

/// The app with SMS receipts, the fake provider posting receipts to it, a worker sending
/// through the fake, and an estate with the roster and SMS turned on with `budget`.
async fn setup(db: TestDb, budget: (i64, i64)) -> Setup {
    // The state's SMS settings name the endpoint only for the worker; start the app first so
    // that the fake knows where to post receipts.
    let app = spawn_app_with(db, |state| state.with_sms(sms_settings(String::new())));
    let fake = FakeProvider::start(
        SECRET_ID,
        SECRET_KEY,
        Some(format!("{}/api/v1/sms/receipts/{RECEIPT_TOKEN}", app.base)),
    )
    .await
    .expect("starting the fake provider");
    let worker = SmsWorker::new(app.store.clone(), &sms_settings(fake.url()), fast())
        .expect("the sms worker");
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-sms", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let settings = secretary
        .put(
            &format!("/api/v1/estates/{estate}/sms"),
            json!({ "on": true, "per_owner": budget.0, "per_day": budget.1 }),
        )
        .await
        .expect(200);
    assert_eq!(settings["on"], true);
    Setup {
        app,
        estate,
        secretary,
        fake,
        worker,
    }
}

impl Setup {
    /// An assembly of one motion (更换电梯), announced; returns it and the motion.
    async fn announced(&self) -> (Assembly, String) {
        let assembly = self.secretary.create_assembly(&self.estate, true).await;
        let motion = self
            .secretary
            .add_item(
                &assembly,
                json!({ "kind": "motion", "title": "更换电梯", "matter": 4 }),
            )
            .await;
        self.secretary.announce(&assembly).await;
        (assembly, motion)
    }

    /// [`Setup::announced`], opened, with codes issued (owner id to code).
    async fn opened(&self) -> (Assembly, String, BTreeMap<String, String>) {
        let (assembly, motion) = self.announced().await;
        self.secretary.open(&assembly).await;
        let codes = self.secretary.issue_codes(&assembly, None).await;
        (assembly, motion, codes)
    }
}

fn pending_sms(store: &Store) -> usize {
    store
        .outbox(&OutboxFilter {
            status: Some("pending".into()),
            ..OutboxFilter::default()
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|m| m.channel == "sms")
        .count()
}

/// Rounds of the worker until no SMS is pending (retries come due within the fast timing).
async fn drain(setup: &Setup) {
    for _ in 0..200 {
        setup
            .worker
            .round()
            .await
            .expect("a round of the sms worker");
        if pending_sms(&setup.app.store) == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("SMS still pending after 10 s");
}

/// The accepted messages of template `kind` to `phone`.
fn sent(messages: &[FakeMessage], kind: &str, phone: &str) -> usize {
    messages
        .iter()
        .filter(|m| m.template_id == format!("T-{kind}") && m.phone == phone)
        .count()
}

async fn sms_reach_every_owner_once_across_a_crash_and_provider_errors(db: TestDb) {
    let s = setup(db, (10, 1000)).await;
    let secretary = &s.secretary;
    let (assembly, motion) = s.announced().await;

    // A worker claims two announcements and dies before sending them; the provider is out of
    // balance for the next worker's first tries.
    let lease = gongjue_store::timestamp(Utc::now() + chrono::Duration::milliseconds(800));
    let lost = s
        .app
        .store
        .claim_due("sms", &lease, 2)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(lost.len(), 2, "four announcements by SMS: A, B, C and D");
    s.fake.run_out_of_balance();
    s.worker.round().await.expect("a round");
    assert!(
        s.fake.messages().is_empty(),
        "nothing goes out without balance"
    );
    s.fake.top_up();
    drain(&s).await;

    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    let a = s.app.owner(&assembly, &codes["A"]).await;
    a.vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let round = secretary
        .post(
            &format!("/api/v1/assemblies/{}/reminders", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(round["texted"], 3, "B, C and D have not voted: {round}");
    assert_eq!(round["sms_held_back"], 0);
    secretary.close_early(&assembly).await;
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/results/publish", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    drain(&s).await;

    let messages = s.fake.messages();
    let phones = phones();
    for (owner, kinds) in [
        (
            "A",
            &["announcement", "invitation", "ballot_recorded", "result"][..],
        ),
        (
            "B",
            &["announcement", "invitation", "reminder", "result"][..],
        ),
        (
            "D",
            &["announcement", "invitation", "reminder", "result"][..],
        ),
    ] {
        for kind in kinds {
            assert_eq!(
                sent(&messages, kind, phones[owner]),
                1,
                "{owner} receives one {kind} SMS: {messages:#?}"
            );
        }
    }
    assert_eq!(sent(&messages, "reminder", phones["A"]), 0, "A has voted");
    assert!(
        messages.iter().all(|m| m.phone != phones["C"]),
        "the provider refuses C's number"
    );
    assert_eq!(
        messages.len(),
        12,
        "nothing else, nothing twice: {messages:#?}"
    );
    // An SMS never carries a voting code; its link is the sign-in by number.
    for m in &messages {
        assert!(
            codes
                .values()
                .all(|code| m.params.iter().all(|p| !p.contains(code.as_str()))),
            "{m:?}"
        );
    }
    // The test servers' public address is the default one.
    let link = format!(
        "{}/s/{}",
        gongjue_api::mail::settings::DEFAULT_PUBLIC_URL,
        assembly.id
    );
    assert!(
        messages
            .iter()
            .filter(|m| m.template_id == "T-invitation")
            .all(|m| m.params.contains(&link)),
        "{messages:#?}"
    );

    // Receipts come back; the outbox shows delivered, failed and unknown.
    for _ in 0..100 {
        if s.fake.receipts_sent() >= messages.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        s.fake.receipts_sent(),
        messages.len(),
        "{:?}",
        s.fake.callback_failures()
    );
    let outbox = secretary
        .get(&format!("/api/v1/estates/{}/outbox?limit=200", s.estate))
        .await
        .expect(200);
    let rows = outbox.as_array().expect("outbox items");
    let of = |member: &str, channel: &str| -> Vec<&Value> {
        rows.iter()
            .filter(|r| r["member"] == member && r["channel"] == channel)
            .collect()
    };
    assert!(
        of("A", "sms").iter().all(|r| r["delivery"] == "delivered"),
        "{rows:#?}"
    );
    assert!(of("B", "sms").iter().all(|r| r["delivery"] == "delivered"));
    assert!(of("D", "sms").iter().all(|r| r["delivery"] == "failed"));
    assert!(of("C", "sms").iter().all(|r| {
        r["status"] == "failed"
            && r["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("IncorrectPhoneNumber") && !e.contains("13900000000"))
    }));
    assert!(
        of("A", "email").iter().all(|r| r["delivery"].is_null()),
        "e-mail has no receipt"
    );
    assert!(of("E", "sms").is_empty() && of("F", "sms").is_empty());

    // A's own record: every notice, by channel, with its delivery.
    let record = a.get("/api/v1/deliveries/mine").await.expect(200);
    let record = record.as_array().expect("a list");
    let sms_kinds: Vec<&str> = record
        .iter()
        .filter(|d| d["channel"] == "sms")
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert_eq!(
        sms_kinds,
        ["announcement", "invitation", "ballot_recorded", "result"]
    );
    assert!(
        record
            .iter()
            .filter(|d| d["channel"] == "sms")
            .all(|d| d["delivery"] == "delivered" && d["delivered_at"].is_string())
    );
    let by_staff = secretary
        .get(&format!("/api/v1/assemblies/{}/deliveries/A", assembly.id))
        .await
        .expect(200);
    assert_eq!(by_staff.as_array().map(Vec::len), Some(record.len()));
    // Each message sent, and each receipt, is in the estate's log.
    let (actions, audit) = secretary.audit_actions(&s.estate).await;
    assert_eq!(
        actions.iter().filter(|a| *a == "notices.delivery").count(),
        messages.len()
    );
    let sent_sms: Vec<Value> = audit
        .as_array()
        .expect("audit entries")
        .iter()
        .filter(|e| e["action"] == "notices.sent")
        .flat_map(|e| {
            e["detail"]["messages"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|m| m["channel"] == "sms")
        .collect();
    assert_eq!(sent_sms.len(), messages.len(), "{sent_sms:#?}");
    assert!(
        messages.iter().all(|m| sent_sms
            .iter()
            .any(|e| e["provider_id"] == m.serial_no.as_str())),
        "every accepted SMS is in the log with the provider's id"
    );
    // A forged receipt (wrong token) is refused and changes nothing.
    let forged = s
        .app
        .http
        .post(format!("{}/api/v1/sms/receipts/guessed-token-000000", s.app.base))
        .json(&json!([{ "sid": messages[0].serial_no, "report_status": "FAIL", "mobile": "13900000001", "user_receive_time": "2026-12-07 10:00:00", "errmsg": "x", "description": "x" }]))
        .send()
        .await
        .expect("posting");
    assert_eq!(forged.status().as_u16(), 404);
}

/// The estate's budget: one SMS per owner and assembly; the next notices go by e-mail (or on
/// paper), and the round says how many were held back.
async fn the_budget_holds_sms_back_and_says_so(db: TestDb) {
    let s = setup(db, (1, 1000)).await;
    let secretary = &s.secretary;
    let (assembly, _, codes) = s.opened().await;
    assert!(
        codes.contains_key("B"),
        "B's invitation could not go by SMS: printed"
    );
    let round = secretary
        .post(
            &format!("/api/v1/assemblies/{}/reminders", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(round["texted"], 0, "{round}");
    assert_eq!(round["sms_held_back"], 4, "A, B, C and D: {round}");
    let paper: Vec<&str> = round["paper_round"]
        .as_array()
        .expect("paper round")
        .iter()
        .filter_map(|p| p["owner_id"].as_str())
        .collect();
    assert_eq!(paper, ["B", "D", "E"], "no e-mail and no SMS left: paper");
    drain(&s).await;
    let messages = s.fake.messages();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.template_id == "T-announcement")
            .count(),
        3,
        "the announcements (C's refused by the provider): {messages:#?}"
    );
    assert_eq!(
        messages.len(),
        3,
        "nothing beyond the budget: {messages:#?}"
    );
}

/// An owner who chose SMS gets a round by SMS only, and asking for the round again when the
/// budget is used up (by that very round) sends nothing by e-mail either.
async fn a_repeated_round_does_not_fall_back_to_e_mail(db: TestDb) {
    let s = setup(db, (3, 1000)).await;
    let secretary = &s.secretary;
    let (assembly, _, codes) = s.opened().await;
    let a = s.app.owner(&assembly, &codes["A"]).await;
    let chosen = a
        .put("/api/v1/notice-channels/mine", json!({ "channels": "sms" }))
        .await
        .expect(200);
    assert_eq!(chosen["channels"], "sms");
    a.put(
        "/api/v1/notice-channels/mine",
        json!({ "channels": "pigeon" }),
    )
    .await
    .refused(422, "invalid_value");
    let remind = || async {
        secretary
            .post(
                &format!("/api/v1/assemblies/{}/reminders", assembly.id),
                json!({}),
            )
            .await
            .expect(200)
    };
    let first = remind().await;
    assert_eq!(first["texted"], 4, "{first}");
    let again = remind().await;
    assert_eq!(again["queued"], 0, "nothing new: {again}");
    assert_eq!(again["sms_held_back"], 0, "{again}");
    let reminders_to_a: Vec<String> = s
        .app
        .store
        .outbox(&OutboxFilter {
            assembly_id: Some(assembly.id.clone()),
            ..OutboxFilter::default()
        })
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|m| m.kind == "reminder" && m.voter.as_deref() == Some("A"))
        .map(|m| m.channel)
        .collect();
    assert_eq!(reminders_to_a, ["sms"], "A chose SMS: no reminder e-mail");
    let (actions, _) = secretary.audit_actions(&s.estate).await;
    assert!(actions.iter().any(|a| a == "notices.channels"));
}

/// Sign-in by SMS code: only a roster number gets a code, the answer never says which, a code
/// opens the owner's sheet once, wrong codes spend it, and requests are limited per number.
async fn an_owner_signs_in_with_an_sms_code_and_votes(db: TestDb) {
    let s = setup(db, (10, 1000)).await;
    let secretary = &s.secretary;
    let (assembly, motion, _) = s.opened().await;
    drain(&s).await;
    let anonymous = s.app.anonymous();
    let ask = |phone: &str| {
        let body = json!({ "assembly_id": assembly.id, "phone": phone });
        let anonymous = anonymous.clone();
        async move {
            anonymous
                .post("/api/v1/owner-sessions/sms-codes", body)
                .await
        }
    };
    let codes_sent = |fake: &FakeProvider| -> Vec<FakeMessage> {
        fake.messages()
            .into_iter()
            .filter(|m| m.template_id == "T-sign_in_code")
            .collect()
    };

    // A number not on the roster: the same answer, and no SMS.
    let unknown = ask("13912345678").await.expect(202);
    let known = ask("+86 139 0000 0001").await.expect(202);
    assert_eq!(
        unknown, known,
        "the answer never tells who is on the roster"
    );
    drain(&s).await;
    let sent = codes_sent(&s.fake);
    assert_eq!(sent.len(), 1, "{sent:#?}");
    assert_eq!(sent[0].phone, "+8613900000001");
    let code = sent[0].params[0].clone();
    assert_eq!(code.len(), 6);
    assert!(code.chars().all(|c| c.is_ascii_digit()));

    // A wrong code is refused; the right one opens A's session, which votes.
    let sign_in = |code: String| {
        let body = json!({ "assembly_id": assembly.id, "phone": "13900000001", "code": code });
        let anonymous = anonymous.clone();
        async move { anonymous.post("/api/v1/owner-sessions/sms", body).await }
    };
    let wrong = if code == "000000" { "111111" } else { "000000" };
    sign_in(wrong.into()).await.refused(401, "bad_code");
    let session = sign_in(code.clone()).await.expect(200);
    assert_eq!(session["voter"], "A");
    let owner = Session {
        token: session["token"].as_str().expect("token").to_owned(),
        ..anonymous.clone()
    };
    owner
        .vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    sign_in(code).await.refused(401, "bad_code");

    // Five wrong codes spend D's code: the right one no longer works.
    ask("13900003333").await.expect(202);
    drain(&s).await;
    let d_code = codes_sent(&s.fake)
        .into_iter()
        .find(|m| m.phone == "+8613900003333")
        .expect("D's code")
        .params[0]
        .clone();
    let d_sign_in = |code: String| {
        let body = json!({ "assembly_id": assembly.id, "phone": "13900003333", "code": code });
        let anonymous = anonymous.clone();
        async move { anonymous.post("/api/v1/owner-sessions/sms", body).await }
    };
    for _ in 0..5 {
        let wrong = if d_code == "123456" {
            "654321"
        } else {
            "123456"
        };
        d_sign_in(wrong.into()).await.refused(401, "bad_code");
    }
    d_sign_in(d_code).await.refused(401, "bad_code");

    // Flooding one number: three codes per window, then 429 (for unknown numbers alike).
    ask("13900003333").await.expect(202);
    ask("13900003333").await.expect(202);
    ask("13900003333").await.refused(429, "too_frequent");
    ask("13912345678").await.expect(202);
    ask("13912345678").await.expect(202);
    ask("13912345678").await.refused(429, "too_frequent");
    // Not a mobile number: the field is named.
    let bad = ask("021-62188888").await.refused(422, "invalid_value");
    assert_eq!(bad["error"]["field"], "phone", "{bad}");

    let (actions, _) = secretary.audit_actions(&s.estate).await;
    assert!(actions.iter().any(|a| a == "sessions.sms_sign_in"));
    assert!(
        actions
            .iter()
            .filter(|a| *a == "sessions.sms_code_sent")
            .count()
            >= 2
    );
}

e2e!(
    sms_reach_every_owner_once_across_a_crash_and_provider_errors,
    the_budget_holds_sms_back_and_says_so,
    a_repeated_round_does_not_fall_back_to_e_mail,
    an_owner_signs_in_with_an_sms_code_and_votes,
);
