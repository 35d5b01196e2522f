//! Issue 9: every route of the JSON API × every role, asserting who gets through the door.
//!
//! The routes come from the OpenAPI document at run time, and the table below must list exactly
//! its (method, path) pairs: a new route without a row fails this test until someone decides
//! who may call it. "Allowed" means the request was not refused for who sent it (anything but
//! 401, 403 and 404; a 409 or 422 from a rule still means the door was open). "Refused" means
//! 401 for the anonymous caller and 403 or 404 for a signed-in caller of the wrong kind or
//! estate.

use std::collections::BTreeSet;

use chrono::{SecondsFormat, Utc};
use gongjue_store::users::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, SMALL_ROSTER, Session, TestApp, TestDb, spawn_app, spawn_app_with};

/// The SMS receipts' token of the matrix's server.
const RECEIPT_TOKEN: &str = "matrix-receipts-token-0123";

/// The roles of the matrix, in the order of the table's columns.
const ROLES: [&str; 10] = [
    "anonymous",
    "owner",
    "other-estate owner",
    "proxy holder",
    "secretary",
    "second secretary",
    "auditor",
    "other-estate secretary",
    "admin",
    "volunteer",
];

/// Who may call what. Columns, in order:
///
/// | col | role                                                             |
/// |-----|------------------------------------------------------------------|
/// | ano | anonymous (no token)                                             |
/// | own | owner of estate A, signed in with their code for assembly A (P4) |
/// | oth | owner of estate B, signed in for B's assembly                    |
/// | prx | owner of estate A holding another member's proxy (P1 for P2)     |
/// | sec | secretary of estate A (entered the paper ballot at setup)        |
/// | se2 | a second secretary of estate A                                   |
/// | aud | auditor of estate A                                              |
/// | osc | secretary of estate B                                            |
/// | adm | admin of estate A (passes wherever a secretary does; creates estates) |
/// | vol | building volunteer of estate A for building 2 (their round, visits, paper at the door) |
///
/// `Y` allowed, `-` refused. The rows run top to bottom and, within a row, left to right, so
/// that requests that change things (closing the assembly last of all) come after those that
/// need the earlier state.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, &str)] = &[
    //                                                          ano own oth prx sec se2 aud osc adm vol
    ("GET",  "/healthz",                                        "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/.well-known/jwks.json",                          "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/sessions",                                "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/owner-sessions",                          "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    // Sign-in by SMS code is for anyone (a number that is not a mobile one is refused as such);
    // receipts need the configured token (the provider's: whoever holds it may report).
    ("POST", "/api/v1/owner-sessions/sms-codes",                "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/owner-sessions/sms",                      "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/sms/receipts/{token}",                    "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    // Only the owner chooses their channel and reads their own delivery record.
    ("PUT",  "/api/v1/notice-channels/mine",                    "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/api/v1/deliveries/mine",                         "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/api/v1/assemblies/{id}/deliveries/{voter}",      "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/sessions/current",                        "-   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/estates",                                 "-   -   -   -   -   -   -   -   Y   -"),
    ("GET",  "/api/v1/estates",                                 "-   -   -   -   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/api/v1/estates/{id}/assemblies",                 "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/estates/{id}/roster-versions",            "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/estates/{id}/units",                      "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/estates/{id}/audit",                      "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/estates/{id}/audit/verify",               "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/estates/{id}/outbox",                     "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("PUT",  "/api/v1/estates/{id}/notice-language",            "-   -   -   -   Y   Y   -   -   Y   -"),
    ("PUT",  "/api/v1/estates/{id}/contact-phone",              "-   -   -   -   Y   Y   -   -   Y   -"),
    ("PUT",  "/api/v1/estates/{id}/follow-majority",            "-   -   -   -   Y   Y   -   -   Y   -"),
    ("PUT",  "/api/v1/estates/{id}/sms",                        "-   -   -   -   Y   Y   -   -   Y   -"),
    // The transparency log is public: checkpoints and proofs exist to leave the server, and a
    // witness proves who it is by its signature (a body `{}` is refused as invalid, not as a
    // caller). Only the estate's secretary or admin names a witness.
    ("GET",  "/api/v1/estates/{id}/log",                        "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/api/v1/estates/{id}/log/checkpoint",             "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/api/v1/estates/{id}/log/keys",                   "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/api/v1/estates/{id}/log/consistency",            "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/api/v1/estates/{id}/log/receipts/{receipt}/proof", "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/estates/{id}/log/witnesses",              "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/estates/{id}/log/cosignatures",           "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/api/v1/estates/{id}/log/dissents",               "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("PUT",  "/api/v1/estates/{id}/roster",                     "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/estates/{id}/assemblies",                 "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}",                         "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/items",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/items",                   "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/items/{id}",                              "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("PUT",  "/api/v1/items/{id}",                              "-   -   -   -   Y   Y   -   -   Y   -"),
    ("DELETE", "/api/v1/items/{id}",                            "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/announce",                "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/open",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/codes",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/code-reissues",           "-   -   -   -   Y   Y   Y   -   Y   -"),
    // The secretary asked for it (409 reissue_same_person), the second secretary confirms it,
    // the admin finds it confirmed (409): every staff writer passes the door.
    ("POST", "/api/v1/code-reissues/{id}/confirm",              "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/code-reissues",           "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/proxies",                 "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/transfers",               "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/proxies",                 "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/transfers",               "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/ballot",                  "-   Y   -   Y   -   -   -   -   -   -"),
    ("PUT",  "/api/v1/assemblies/{id}/ballot",                  "-   Y   -   Y   -   -   -   -   -   -"),
    ("POST", "/api/v1/paper-ballots/{id}/confirm",              "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/paper-sheets/confirm",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/paper-ballots",           "-   -   -   -   Y   Y   -   -   Y   Y"),
    ("GET",  "/api/v1/assemblies/{id}/paper-ballots",           "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/turnout",                 "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/extensions",              "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/extensions",              "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/items/{id}/next-round",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/items/{id}/rounds",                       "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/estates/{id}/volunteers",                 "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/estates/{id}/volunteers",                 "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/round",                   "-   -   -   -   -   -   -   -   -   Y"),
    ("POST", "/api/v1/assemblies/{id}/visits",                  "-   -   -   -   -   -   -   -   -   Y"),
    ("POST", "/api/v1/items/{id}/candidates",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/items/{id}/candidates",                   "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/candidates/{id}/review",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    ("PUT",  "/api/v1/estates/{id}/candidate-declarations",     "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/items/{id}/documents",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/items/{id}/documents",                    "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    // Public once announced, as the notice whose QR code points to it.
    ("GET",  "/api/v1/documents/{id}",                          "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("DELETE", "/api/v1/documents/{id}",                        "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/items/{id}/result",                       "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/items/{id}/export",                       "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/items/{id}/export.jws",                   "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/publication",             "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/publication/mine",        "-   Y   -   Y   -   -   -   -   -   -"),
    ("POST", "/api/v1/assemblies/{id}/objections",              "-   Y   -   Y   -   -   -   -   -   -"),
    ("GET",  "/api/v1/assemblies/{id}/objections",              "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/objections/{id}/resolve",                 "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/publication/final",       "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/announcement.csv",        "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/announcement.html",       "-   Y   -   Y   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/notices/preview",         "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/api/v1/assemblies/{id}/paper-round",             "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/reminders",               "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/results/publish",         "-   -   -   -   Y   Y   -   -   Y   -"),
    // Recorded by the secretary at setup: they are refused by the rule (409), the second
    // secretary confirms it, the admin then finds it confirmed (409); the door is what counts.
    ("POST", "/api/v1/transfers/{id}/confirm",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/api/v1/assemblies/{id}/close",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    // Closed by now: cancelling is refused by its rule (409), the door is what is tested.
    ("POST", "/api/v1/assemblies/{id}/cancel",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    // A refresh ends the token it was sent with: each role goes on with the new one.
    ("POST", "/api/v1/sessions/current/refresh",                "-   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    // Last of all: signing out ends each role's session.
    ("DELETE", "/api/v1/sessions/current",                      "-   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
];

/// Estate A with an open assembly, estate B likewise, and the sessions of every role.
struct Fixture {
    app: TestApp,
    estate: String,
    assembly: Assembly,
    motion: String,
    /// A PDF of the motion, uploaded before the announcement.
    document: String,
    /// A candidate of an election of the closed assembly, reviewed (so fixed).
    candidate: String,
    paper_ballot: String,
    objection: String,
    /// A pending transfer (P2's unit 1-1-102) recorded by the secretary of estate A.
    transfer: String,
    /// A re-issue of P5's code asked for by the secretary, waiting for a second person.
    reissue: String,
    /// A staff account nobody is signed in as, for the password sign-in row.
    login: (String, String),
    /// P2's code for assembly A (P2 is no role here, so signing in as P2 disturbs nobody).
    code: String,
    sessions: Vec<Session>,
}

async fn open_estate(
    app: &TestApp,
    name: &str,
    secretary: &str,
) -> (String, Session, Assembly, String) {
    let estate = app.estate(name);
    let sec = app.staff(secretary, Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    (estate, sec, assembly, motion)
}

async fn fixture(db: TestDb) -> Fixture {
    let app = spawn_app_with(db, |state| {
        state.with_sms(gongjue_api::sms::settings::SmsSettings {
            receipt_token: Some(gongjue_api::sms::tencent::Secret(RECEIPT_TOKEN.into())),
            ..Default::default()
        })
    });
    let (estate, sec, assembly, motion) = open_estate(&app, "小区甲", "matrix-sec").await;
    sec.post(
        &format!("/api/v1/assemblies/{}/proxies", assembly.id),
        json!({ "member": "P2", "holder": "P1", "document_ref": "委托书 M-1" }),
    )
    .await
    .expect(201);
    // A second assembly of estate A, closed with an objection period, holds the objection that
    // the resolve row acts on.
    let closed = sec
        .create_assembly_with(&estate, true, json!({ "objection_days": 3 }))
        .await;
    let closed_motion = sec
        .add_item(
            &closed,
            json!({ "kind": "motion", "title": "增设充电桩", "matter": 4 }),
        )
        .await;
    // An election of that assembly, its candidate reviewed (the review row acts on it, fixed).
    let election = sec
        .add_item(
            &closed,
            json!({ "kind": "election", "title": "增补委员", "seats": 1, "candidates": ["王一"] }),
        )
        .await;
    sec.approve_candidates(&election).await;
    let candidate = app.store.candidates(&election).expect("the register")[0]
        .id
        .clone();
    let (estate_b, sec_b, assembly_b, _) = open_estate(&app, "小区乙", "matrix-sec-b").await;
    // A document of the motion, public once announced (the rows act on it while voting is open).
    let document = crate::documents::upload(&sec, &motion, "报价单", crate::documents::QUOTE_PDF)
        .await
        .expect(201)["id"]
        .as_str()
        .expect("document id")
        .to_owned();
    for (s, a) in [(&sec, &assembly), (&sec, &closed), (&sec_b, &assembly_b)] {
        s.announce(a).await;
    }
    for (s, a) in [(&sec, &assembly), (&sec, &closed), (&sec_b, &assembly_b)] {
        s.open(a).await;
    }
    sec.close_early(&closed).await;
    let objection = app
        .store
        .file_objection(
            &closed.id,
            &closed_motion,
            "P4",
            "我的选票记录有误",
            "voter:P4",
        )
        .expect("filing an objection")
        .id;

    let codes = sec.issue_codes(&assembly, None).await;
    let codes_b = sec_b.issue_codes(&assembly_b, None).await;
    let paper = sec
        .enter_paper(&assembly, &motion, "P5", json!("yes"))
        .await
        .expect(201);
    let reissue = sec.request_reissue(&assembly, "P5", "表决票遗失").await;

    let transfer = sec
        .post(
            &format!("/api/v1/assemblies/{}/transfers", assembly.id),
            json!({ "unit": "1-1-102", "to_voter": "P8", "deed_ref": "不动产权证书 M-7" }),
        )
        .await
        .expect(201);

    let owner = app.owner(&assembly, &codes["P4"]).await;
    let other_owner = app.owner(&assembly_b, &codes_b["P4"]).await;
    let proxy = app.owner(&assembly, &codes["P1"]).await;
    let second = app.staff("matrix-sec2", Role::Secretary, &estate).await;
    let auditor = app.staff("matrix-auditor", Role::Auditor, &estate).await;
    let admin = app.staff("matrix-admin", Role::Admin, &estate).await;
    // A building volunteer of estate A for building 2, created by the secretary.
    let volunteer = sessions_sec_volunteer(&app, &estate).await;
    // The account of the password row: created like the others, its session unused.
    app.staff("matrix-login", Role::Auditor, &estate_b).await;
    let sessions = vec![
        app.anonymous(),
        owner,
        other_owner,
        proxy,
        sec,
        second,
        auditor,
        sec_b,
        admin,
        volunteer,
    ];
    Fixture {
        estate,
        motion,
        document,
        candidate,
        paper_ballot: paper["id"].as_str().expect("paper ballot id").to_owned(),
        objection,
        transfer: transfer["id"].as_str().expect("transfer id").to_owned(),
        reissue,
        login: (
            "matrix-login".into(),
            "matrix-login-password-long-enough".into(),
        ),
        code: codes["P2"].clone(),
        sessions,
        assembly,
        app,
    }
}

/// A volunteer for building 2 of `estate`, created over the API by a secretary of it, signed in.
async fn sessions_sec_volunteer(app: &TestApp, estate: &str) -> Session {
    let sec = app.staff("matrix-vol-maker", Role::Secretary, estate).await;
    let created = sec
        .post(
            &format!("/api/v1/estates/{estate}/volunteers"),
            json!({ "login": "matrix-volunteer", "display_name": "二号楼楼组长", "buildings": ["2"] }),
        )
        .await
        .expect(201);
    let token = app
        .anonymous()
        .post(
            "/api/v1/sessions",
            json!({ "login": "matrix-volunteer", "password": created["password"] }),
        )
        .await
        .expect(200)["token"]
        .as_str()
        .expect("token")
        .to_owned();
    Session {
        token,
        ..app.anonymous()
    }
}

/// The body a request of the row sends.
enum Payload {
    None,
    Json(Value),
    Csv(&'static str),
}

impl Fixture {
    /// The concrete URL of a documented path: `{id}` names estate A, its open assembly, its
    /// motion, the paper ballot, or the objection, after the segment before it.
    fn url(&self, path: &str) -> String {
        let id = if path.starts_with("/api/v1/estates/") {
            &self.estate
        } else if path.starts_with("/api/v1/assemblies/") {
            &self.assembly.id
        } else if path.starts_with("/api/v1/items/") {
            &self.motion
        } else if path.starts_with("/api/v1/paper-ballots/") {
            &self.paper_ballot
        } else if path.starts_with("/api/v1/objections/") {
            &self.objection
        } else if path.starts_with("/api/v1/transfers/") {
            &self.transfer
        } else if path.starts_with("/api/v1/code-reissues/") {
            &self.reissue
        } else if path.starts_with("/api/v1/documents/") {
            &self.document
        } else if path.starts_with("/api/v1/candidates/") {
            &self.candidate
        } else {
            ""
        };
        let query = match path {
            "/api/v1/estates/{id}/roster" => "?name=roster.csv",
            "/api/v1/assemblies/{id}/notices/preview" => "?kind=invitation&member=P4",
            "/api/v1/estates/{id}/log/consistency" => "?old=1&new=2",
            // The upload's name; the list ignores it.
            "/api/v1/items/{id}/documents" => "?name=quote",
            _ => "",
        };
        // A ballot's receipt: the paper ballot entered at setup.
        let receipt = self
            .app
            .store
            .ballot_versions(&self.motion)
            .ok()
            .and_then(|v| v.first().map(|v| v.receipt()))
            .unwrap_or_default();
        format!(
            "{}{}{query}",
            self.app.base,
            path.replace("{id}", id)
                .replace("{receipt}", &receipt)
                .replace("{voter}", "P4")
                .replace("{token}", RECEIPT_TOKEN)
        )
    }

    /// A minimal request body that would pass for a right caller.
    fn payload(&self, method: &str, path: &str) -> Payload {
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let later = |hours| {
            (Utc::now() + chrono::Duration::hours(hours))
                .to_rfc3339_opts(SecondsFormat::Millis, true)
        };
        let body = match (method, path) {
            ("POST", "/api/v1/sessions") => {
                json!({ "login": self.login.0, "password": self.login.1 })
            }
            ("POST", "/api/v1/owner-sessions") => {
                json!({ "code": self.code, "assembly_id": self.assembly.id })
            }
            ("POST", "/api/v1/estates") => json!({ "name": "小区丙" }),
            ("PUT", "/api/v1/estates/{id}/roster") => return Payload::Csv(SMALL_ROSTER),
            ("PUT", "/api/v1/estates/{id}/notice-language") => json!({ "language": "zh-CN" }),
            ("PUT", "/api/v1/estates/{id}/sms") => {
                json!({ "on": false, "per_owner": 6, "per_day": 3000 })
            }
            ("POST", "/api/v1/owner-sessions/sms-codes") => {
                json!({ "assembly_id": self.assembly.id, "phone": "not a number" })
            }
            ("POST", "/api/v1/owner-sessions/sms") => {
                json!({ "assembly_id": self.assembly.id, "phone": "not a number", "code": "123456" })
            }
            ("POST", "/api/v1/sms/receipts/{token}") => json!([]),
            ("PUT", "/api/v1/notice-channels/mine") => json!({ "channels": "both" }),
            ("PUT", "/api/v1/estates/{id}/contact-phone") => {
                json!({ "contact_phone": "0571-8888 6666" })
            }
            ("POST", "/api/v1/estates/{id}/volunteers") => {
                json!({ "login": "matrix-vol-2", "display_name": "楼组长", "buildings": ["1"] })
            }
            ("POST", "/api/v1/assemblies/{id}/visits") => {
                json!({ "voter": "P5", "outcome": "not_home" })
            }
            ("PUT", "/api/v1/estates/{id}/candidate-declarations") => {
                json!({ "declarations": ["无违法搭建"] })
            }
            ("POST", "/api/v1/candidates/{id}/review") => json!({ "eligible": true }),
            ("POST", "/api/v1/items/{id}/candidates") => {
                json!({ "name": "王一", "units": ["1-1-101"], "statement": "矩阵", "nominated_by": "自荐", "declarations": {} })
            }
            ("PUT", "/api/v1/estates/{id}/follow-majority") => {
                json!({ "follow_majority": true, "basis": "议事规则第十二条" })
            }
            ("POST", "/api/v1/estates/{id}/assemblies") => {
                json!({ "title": "临时会议", "opens_at": later(24), "closes_at": later(48), "ballots_changeable": true, "notice_days": 0 })
            }
            ("POST", "/api/v1/assemblies/{id}/items") => {
                json!({ "kind": "motion", "title": "维修资金使用", "matter": 5 })
            }
            ("POST", "/api/v1/assemblies/{id}/codes") => json!({ "voters": ["P5"] }),
            ("POST", "/api/v1/assemblies/{id}/code-reissues") => {
                json!({ "voter": "P5", "reason": "matrix: lost sheet" })
            }
            ("POST", "/api/v1/assemblies/{id}/proxies") => {
                json!({ "member": "P5", "holder": "P2", "document_ref": "委托书 M-2" })
            }
            ("POST", "/api/v1/assemblies/{id}/transfers") => {
                json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": "不动产权证书 M-3" })
            }
            ("PUT", "/api/v1/assemblies/{id}/ballot") => {
                json!({ "votes": [{ "item": self.motion, "choice": "yes" }] })
            }
            ("POST", "/api/v1/assemblies/{id}/paper-ballots") => {
                json!({ "item": self.motion, "voter": "P5", "choice": "no", "received_at": now, "scan_ref": "箱1-002" })
            }
            ("POST", "/api/v1/assemblies/{id}/objections") => {
                json!({ "item": self.motion, "text": "我的选票记录有误" })
            }
            ("POST", "/api/v1/paper-sheets/confirm") => {
                json!({ "ballots": [self.paper_ballot] })
            }
            ("POST", "/api/v1/objections/{id}/resolve") => {
                json!({ "resolution": "rejected", "reason": "经核对，记录无误" })
            }
            ("POST", "/api/v1/items/{id}/documents") => return Payload::Csv("%PDF-1.4 not really"),
            ("POST", "/api/v1/items/{id}/next-round") => json!({ "assembly": self.assembly.id }),
            ("POST", "/api/v1/assemblies/{id}/extensions") => {
                json!({ "closes_at": later(30), "reason": "matrix: participation below 2/3" })
            }
            ("POST", "/api/v1/assemblies/{id}/close") => {
                json!({ "reason": "matrix: every row has run" })
            }
            ("POST", "/api/v1/assemblies/{id}/cancel") => {
                json!({ "reason": "matrix: cancelled after closing" })
            }
            ("PUT", "/api/v1/items/{id}") => {
                json!({ "kind": "motion", "title": "续聘物业服务企业（修订）", "matter": 4 })
            }
            ("POST", "/api/v1/estates/{id}/log/witnesses") => {
                let key = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
                    .join(format!("matrix-witness-{}.pem", self.estate));
                let name = "jwh.example/witness";
                let vkey = gongjue_api::cli::witness::signer(name, &key)
                    .expect("a witness key")
                    .verifier_key();
                json!({ "name": name, "vkey": vkey })
            }
            ("POST", _) => json!({}),
            _ => return Payload::None,
        };
        Payload::Json(body)
    }

    async fn send(&self, who: &Session, method: &str, path: &str) -> (u16, String) {
        let method = Method::from_bytes(method.as_bytes()).expect("an HTTP method");
        let mut request = who.http.request(method.clone(), self.url(path));
        if !who.token.is_empty() {
            request = request.bearer_auth(&who.token);
        }
        request = match self.payload(method.as_str(), path) {
            Payload::None => request,
            Payload::Json(body) => request.json(&body),
            Payload::Csv(csv) => request.header("content-type", "text/csv").body(csv),
        };
        let response = request.send().await.expect("sending a request");
        let status = response.status().as_u16();
        let content_type = crate::helpers::content_type(&response);
        let text = response.text().await.unwrap_or_default();
        crate::helpers::conforms(
            &who.base,
            crate::helpers::method_name(&method),
            path,
            status,
            &content_type,
            &text,
        )
        .await;
        (status, text)
    }
}

/// The (method, path) pairs of the OpenAPI document.
async fn documented_routes(app: &TestApp) -> BTreeSet<(String, String)> {
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    let paths = doc["paths"].as_object().expect("paths");
    let mut routes = BTreeSet::new();
    for (path, operations) in paths {
        for method in ["get", "put", "post", "delete", "patch", "head", "options"] {
            if operations.get(method).is_some() {
                routes.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes
}

/// The table lists every documented route once, and nothing else.
async fn the_matrix_covers_every_documented_route(db: TestDb) {
    let app = spawn_app(db).await;
    let documented = documented_routes(&app).await;
    let listed: Vec<(String, String)> = MATRIX
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let table: BTreeSet<(String, String)> = listed.iter().cloned().collect();
    assert_eq!(
        table.len(),
        listed.len(),
        "a route is listed twice in the matrix"
    );
    let missing: Vec<_> = documented.difference(&table).collect();
    let extra: Vec<_> = table.difference(&documented).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes without a row in the access matrix: {missing:?}; rows for routes not in the OpenAPI document: {extra:?}"
    );
    for (method, path, cells) in MATRIX {
        assert_eq!(
            cells.split_whitespace().count(),
            ROLES.len(),
            "{method} {path}: one cell per role"
        );
    }
}

/// Every route, every role: the allowed set is exactly the table's.
async fn every_route_admits_exactly_the_roles_of_the_table(db: TestDb) {
    let mut f = fixture(db).await;
    let mut wrong = Vec::new();
    for (method, path, cells) in MATRIX {
        for (index, (role, cell)) in ROLES.iter().zip(cells.split_whitespace()).enumerate() {
            let who = f.sessions[index].clone();
            let (status, text) = f.send(&who, method, path).await;
            if *path == "/api/v1/sessions/current/refresh" && status == 200 {
                let refreshed: Value = serde_json::from_str(&text).unwrap_or_default();
                f.sessions[index].token = refreshed["token"].as_str().unwrap_or_default().into();
            }
            let body: String = text.chars().take(160).collect();
            // Shown with `--nocapture`: what each door answered.
            println!("{status} {method} {path} as {role}");
            let allowed = cell == "Y";
            let ok = if allowed {
                !matches!(status, 401 | 403 | 404) && status < 500
            } else if who.token.is_empty() {
                status == 401
            } else {
                matches!(status, 403 | 404)
            };
            if !ok {
                let expected = if allowed { "allowed" } else { "refused" };
                wrong.push(format!(
                    "{method} {path} as {role}: expected {expected}, got {status} {body}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cells of the access matrix differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

e2e!(
    the_matrix_covers_every_documented_route,
    every_route_admits_exactly_the_roles_of_the_table
);
