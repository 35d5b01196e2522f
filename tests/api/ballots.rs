//! Issue 17, ballots: every recorded ballot is told to its owner with its receipt; a
//! correction after closing must answer the member's own open objection; of two versions of a
//! ballot the later one wins; staff see who voted and how, never what, while voting is open;
//! a receipt tells nothing about the choice to anyone without the owner's copy. All from the
//! outside, over HTTP, on SQLite and PostgreSQL.

use std::collections::BTreeMap;

use chrono::{SecondsFormat, Utc};
use gongjue_store::outbox::{OutboxEmail, OutboxFilter};
use gongjue_store::users::Role;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::e2e;
use crate::helpers::{Assembly, Reply, Session, TestApp, TestDb, spawn_app};

/// P1 (two units) and P2 read Chinese, P4 prefers English, P5 has no address (paper round).
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@lakeside.example.org
,1,1,102,1,100.00,P2,乙,,p2@lakeside.example.org
,1,1,201,2,120.00,P1,甲,,
,2,1,101,1,80.00,P4,Dana,,p4@lakeside.example.org
,2,1,102,1,80.00,P5,戊,,
";

struct Open {
    app: TestApp,
    estate: String,
    sec: Session,
    /// A second secretary: the four eyes of a paper ballot.
    sec2: Session,
    assembly: Assembly,
    motion: String,
    codes: BTreeMap<String, String>,
}

/// The roster above, an open assembly with one motion, codes for all.
async fn open(db: TestDb, changeable: bool, objection_days: u32) -> Open {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let sec = app.staff("sec-ballots", Role::Secretary, &estate).await;
    let sec2 = app.staff("sec-ballots-2", Role::Secretary, &estate).await;
    sec.import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    app.store
        .set_notice_language(&estate, Some("P4"), "en")
        .expect("language");
    let assembly = sec
        .create_assembly_with(
            &estate,
            changeable,
            json!({ "objection_days": objection_days }),
        )
        .await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    Open {
        app,
        estate,
        sec,
        sec2,
        assembly,
        motion,
        codes,
    }
}

/// The assembly's ballot notices to `voter`, oldest first.
fn notices_to(app: &TestApp, assembly: &Assembly, voter: &str) -> Vec<OutboxEmail> {
    app.store
        .outbox(&OutboxFilter {
            assembly_id: Some(assembly.id.clone()),
            ..OutboxFilter::default()
        })
        .expect("outbox")
        .into_iter()
        .filter(|e| e.kind == "ballot_recorded" && e.voter.as_deref() == Some(voter))
        .collect()
}

/// A receipt as the owner's pages and notices show it: `9F3A-21C0-7B44`.
fn short(receipt: &Value) -> String {
    let r = receipt.as_str().expect("a receipt").to_uppercase();
    format!("{}-{}-{}", &r[0..4], &r[4..8], &r[8..12])
}

/// `PUT /assemblies/{id}/ballot` with an `Idempotency-Key`, as a client that retries does.
async fn vote_with_key(owner: &Session, assembly: &Assembly, key: &str, votes: Value) -> Reply {
    let response = owner
        .http
        .put(format!(
            "{}/api/v1/assemblies/{}/ballot",
            owner.base, assembly.id
        ))
        .bearer_auth(&owner.token)
        .header("idempotency-key", key)
        .json(&json!({ "votes": votes }))
        .send()
        .await
        .expect("sending a ballot");
    let status = response.status().as_u16();
    Reply {
        status,
        body: response.json().await.unwrap_or(Value::Null),
    }
}

fn paper_body(
    item: &str,
    voter: &str,
    choice: &str,
    received: &str,
    reason: Option<&str>,
) -> Value {
    let mut body =
        json!({ "item": item, "voter": voter, "choice": choice, "received_at": received });
    if let Some(reason) = reason {
        body["correction_reason"] = json!(reason);
    }
    body
}

fn millis(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

async fn confirm(staff: &Session, paper: &Value) -> Reply {
    staff
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper["id"].as_str().expect("a paper ballot id")
            ),
            json!({}),
        )
        .await
}

/// The counted ballot of `voter` on `item`: (choice, channel).
fn counted(app: &TestApp, item: &str, voter: &str) -> Option<(Value, String)> {
    app.store
        .counted_ballots(item)
        .expect("counted ballots")
        .into_iter()
        .find(|b| b.voter == voter)
        .map(|b| (b.choice, b.channel))
}

// --- 1. every recorded ballot is told to its owner, with its receipt -------------------------

async fn every_recorded_ballot_is_told_to_its_owner_with_its_receipt(db: TestDb) {
    let s = open(db, true, 0).await;
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;

    // The owner's own web ballot: someone else may have used the code, so the owner is told.
    let votes = json!([{ "item": s.motion, "choice": "yes" }]);
    let cast = vote_with_key(&p1, &s.assembly, "sheet-1", votes.clone())
        .await
        .expect(200);
    let told = notices_to(&s.app, &s.assembly, "P1");
    assert_eq!(told.len(), 1, "one notice of the web ballot");
    let notice = &told[0];
    assert_eq!(notice.recipient, "p1@lakeside.example.org");
    let receipt = short(&cast[0]["receipt"]);
    for body in [&notice.body_text, notice.body_html.as_ref().unwrap()] {
        assert!(
            body.contains(&receipt)
                && body.contains("网上投票")
                && body.contains("续聘物业服务企业"),
            "the notice names the channel, the item and the receipt {receipt}: {body}"
        );
    }
    assert!(
        notice.body_text.contains("有人使用了您的投票码")
            && notice.body_text.contains("投票截止前，您可以亲自重新投票"),
        "while voting is open, the owner may still vote again: {}",
        notice.body_text
    );
    assert!(
        !notice.body_text.contains("\"yes\"") && !notice.body_text.contains("同意"),
        "the notice does not carry the choice (staff can list the outbox): {}",
        notice.body_text
    );

    // A client's retry of the same request stores nothing and tells nothing twice.
    let again = vote_with_key(&p1, &s.assembly, "sheet-1", votes)
        .await
        .expect(200);
    assert_eq!(again[0]["replayed"], true);
    assert_eq!(again[0]["receipt"], cast[0]["receipt"]);
    assert_eq!(notices_to(&s.app, &s.assembly, "P1").len(), 1);

    // A changed ballot is a new ballot: a new notice with the new receipt.
    let changed = vote_with_key(
        &p1,
        &s.assembly,
        "sheet-2",
        json!([{ "item": s.motion, "choice": "no" }]),
    )
    .await
    .expect(200);
    let told = notices_to(&s.app, &s.assembly, "P1");
    assert_eq!(told.len(), 2);
    assert!(told[1].body_text.contains(&short(&changed[0]["receipt"])));

    // A proxy's ballot: the member is told, in their language, with the receipt.
    s.sec
        .post(
            &format!("/api/v1/assemblies/{}/proxies", s.assembly.id),
            json!({ "member": "P4", "holder": "P1", "document_ref": "委托书-001" }),
        )
        .await
        .expect(201);
    let by_proxy = p1
        .vote_for(&s.assembly, "P4", &s.motion, json!("yes"))
        .await
        .expect(200);
    let told = notices_to(&s.app, &s.assembly, "P4");
    assert_eq!(told.len(), 1);
    assert!(
        told[0].body_text.contains("a ballot cast by your proxy")
            && told[0].body_text.contains(&short(&by_proxy[0]["receipt"]))
            && told[0]
                .body_text
                .contains("your own ballot replaces the proxy's"),
        "{}",
        told[0].body_text
    );

    // A paper ballot: told once confirmed by the second person, with its receipt.
    let received = millis(Utc::now());
    let paper = s
        .sec
        .post(
            &format!("/api/v1/assemblies/{}/paper-ballots", s.assembly.id),
            paper_body(&s.motion, "P2", "no", &received, None),
        )
        .await
        .expect(201);
    assert!(
        notices_to(&s.app, &s.assembly, "P2").is_empty(),
        "not before it counts"
    );
    confirm(&s.sec2, &paper).await.expect(200);
    let told = notices_to(&s.app, &s.assembly, "P2");
    assert_eq!(told.len(), 1);
    assert!(
        told[0].body_text.contains("纸质选票")
            && told[0].body_text.contains(&short(&paper["receipt"]))
            && told[0]
                .body_text
                .contains("已确认的纸质选票只能由业主委员会核对原件后更正"),
        "{}",
        told[0].body_text
    );
    assert!(
        !told[0].body_text.contains("您仍可亲自投票"),
        "a confirmed paper ballot cannot be replaced by the owner's own vote: {}",
        told[0].body_text
    );

    // Through the web form too: the owner's page casts through the same use case.
    let p5_outbox_before = notices_to(&s.app, &s.assembly, "P5").len();
    let p5 = s.app.owner(&s.assembly, &s.codes["P5"]).await;
    p5.vote(&s.assembly, &[(s.motion.as_str(), json!("abstain"))])
        .await
        .expect(200);
    assert_eq!(
        notices_to(&s.app, &s.assembly, "P5").len(),
        p5_outbox_before,
        "an owner without an address is served by the paper round, not by mail"
    );
}

// --- 2. corrections after closing answer the member's own open objection -------------------

async fn a_correction_after_closing_must_answer_the_members_open_objection(db: TestDb) {
    let s = open(db, true, 7).await;
    let owners: BTreeMap<&str, Session> = {
        let mut owners = BTreeMap::new();
        for voter in ["P1", "P2", "P4"] {
            owners.insert(voter, s.app.owner(&s.assembly, &s.codes[voter]).await);
        }
        owners
    };
    owners["P1"]
        .vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let received = millis(s.assembly.opens + chrono::Duration::milliseconds(1));
    s.sec.close_early(&s.assembly).await;
    let paper = format!("/api/v1/assemblies/{}/paper-ballots", s.assembly.id);
    let objections = format!("/api/v1/assemblies/{}/objections", s.assembly.id);
    let publication = format!("/api/v1/assemblies/{}/publication", s.assembly.id);
    let yes_heads = |p: &Value| p["items"][0]["result"]["choices"]["yes"]["heads"].clone();
    let before = s.sec.get(&publication).await.expect(200);

    // Attack 3: two staff add a "correction" for an owner who never voted and never objected.
    s.sec
        .post(
            &paper,
            paper_body(&s.motion, "P2", "yes", &received, Some("补录")),
        )
        .await
        .refused(409, "correction_needs_objection");
    // An objection of another member does not open the door either.
    owners["P4"]
        .post(
            &objections,
            json!({ "item": s.motion, "text": "my ballot is missing" }),
        )
        .await
        .expect(201);
    s.sec
        .post(
            &paper,
            paper_body(&s.motion, "P2", "yes", &received, Some("补录")),
        )
        .await
        .refused(409, "correction_needs_objection");
    s.sec
        .post(
            &paper,
            paper_body(&s.motion, "P5", "yes", &received, Some("补录")),
        )
        .await
        .refused(409, "correction_needs_objection");
    assert_eq!(counted(&s.app, &s.motion, "P2"), None);
    assert_eq!(counted(&s.app, &s.motion, "P5"), None);

    // P2 objects: now a correction answering it is accepted, and counts once confirmed.
    owners["P2"]
        .post(
            &objections,
            json!({ "item": s.motion, "text": "我投的纸质票漏录了" }),
        )
        .await
        .expect(201);
    let correction = s
        .sec
        .post(
            &paper,
            paper_body(
                &s.motion,
                "P2",
                "yes",
                &received,
                Some("异议：投票箱第3号选票漏录"),
            ),
        )
        .await
        .expect(201);
    confirm(&s.sec2, &correction).await.expect(200);
    assert_eq!(
        counted(&s.app, &s.motion, "P2"),
        Some((json!("yes"), "paper".into()))
    );
    let after = s.sec.get(&publication).await.expect(200);
    assert_eq!(
        yes_heads(&after),
        json!(yes_heads(&before).as_u64().unwrap() + 1)
    );

    // Attack 8: the owner is told in the words of the objection period, never "you can still
    // vote yourself before the deadline".
    let until = s
        .app
        .store
        .publication(&s.assembly.id)
        .unwrap()
        .unwrap()
        .objections_until;
    let until_local = chrono::DateTime::parse_from_rfc3339(&until)
        .unwrap()
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let told = notices_to(&s.app, &s.assembly, "P2");
    assert_eq!(told.len(), 1);
    for body in [&told[0].body_text, told[0].body_html.as_ref().unwrap()] {
        assert!(
            body.contains("异议期")
                && body.contains(&until_local)
                && body.contains("请在")
                && body.contains(&short(&correction["receipt"])),
            "{body}"
        );
        for wrong in [
            "投票截止前",
            "仍可亲自投票",
            "重新投票",
            "以您本人的选票为准",
        ] {
            assert!(!body.contains(wrong), "{wrong:?} after closing: {body}");
        }
    }
    // The same in English (P4 reads English): P4's objection is answered by a correction.
    let p4_correction = s
        .sec
        .post(
            &paper,
            paper_body(
                &s.motion,
                "P4",
                "no",
                &received,
                Some("objection: ballot 7 was missed"),
            ),
        )
        .await
        .expect(201);
    confirm(&s.sec2, &p4_correction).await.expect(200);
    let told = notices_to(&s.app, &s.assembly, "P4");
    assert_eq!(told.len(), 1);
    let body = &told[0].body_text;
    assert!(
        body.contains("during the objection period")
            && body.contains(&format!("file an objection before {until_local}")),
        "{body}"
    );
    for wrong in [
        "still vote",
        "vote again",
        "until voting closes",
        "replaces the proxy",
    ] {
        assert!(!body.contains(wrong), "{wrong:?} after closing: {body}");
    }

    // Confirming re-checks: P1's objection is rejected before the second person confirms the
    // correction that was entered for it, so the confirmation is refused and nothing changes.
    let p1_objection = owners["P1"]
        .post(
            &objections,
            json!({ "item": s.motion, "text": "我投的是反对" }),
        )
        .await
        .expect(201);
    let p1_correction = s
        .sec
        .post(
            &paper,
            paper_body(&s.motion, "P1", "no", &received, Some("异议：核对")),
        )
        .await;
    // P1's web ballot was cast after the paper's receipt time: the later ballot stands.
    p1_correction.refused(409, "paper_older_than_ballot");
    let late_received = millis(
        chrono::DateTime::parse_from_rfc3339(
            &s.app
                .store
                .current_ballot(&s.motion, "P1")
                .unwrap()
                .unwrap()
                .cast_at,
        )
        .unwrap()
        .with_timezone(&Utc)
            + chrono::Duration::milliseconds(1),
    );
    let p1_correction = s
        .sec
        .post(
            &paper,
            paper_body(&s.motion, "P1", "no", &late_received, Some("异议：核对")),
        )
        .await
        .expect(201);
    s.sec
        .post(
            &format!(
                "/api/v1/objections/{}/resolve",
                p1_objection["id"].as_str().unwrap()
            ),
            json!({ "resolution": "rejected", "reason": "与网上投票记录一致" }),
        )
        .await
        .expect(200);
    confirm(&s.sec2, &p1_correction)
        .await
        .refused(409, "correction_needs_objection");
    assert_eq!(
        counted(&s.app, &s.motion, "P1"),
        Some((json!("yes"), "web".into()))
    );
    assert!(
        notices_to(&s.app, &s.assembly, "P1")
            .iter()
            .all(|n| !n.body_text.contains("异议期"))
    );
    // The result notice speaks of the preliminary result and the objection deadline, and of
    // when voting actually closed (early, here), not of the scheduled closing time.
    s.sec
        .post(
            &format!("/api/v1/assemblies/{}/results/publish", s.assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    let result = s
        .app
        .store
        .outbox(&OutboxFilter {
            assembly_id: Some(s.assembly.id.clone()),
            ..OutboxFilter::default()
        })
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "result" && e.voter.as_deref() == Some("P2"))
        .expect("P2's result notice");
    let closed_local = chrono::DateTime::parse_from_rfc3339(
        &s.app
            .store
            .publication(&s.assembly.id)
            .unwrap()
            .unwrap()
            .preliminary_at,
    )
    .unwrap()
    .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
    .format("%Y-%m-%d %H:%M")
    .to_string();
    assert!(
        result.body_text.contains("本结果为初步结果")
            && result.body_text.contains(&until_local)
            && result.body_text.contains(&format!("已于 {closed_local}")),
        "{}",
        result.body_text
    );
    // Everything above is in the audit chain, which still verifies.
    let verified = s
        .sec
        .get(&format!("/api/v1/estates/{}/audit/verify", s.estate))
        .await
        .expect(200);
    assert_eq!(verified["ok"], true, "{verified}");
}

// --- 3. the later ballot wins ----------------------------------------------------------------

async fn a_paper_ballot_received_before_a_newer_ballot_never_replaces_it(db: TestDb) {
    let s = open(db, true, 0).await;
    let paper = format!("/api/v1/assemblies/{}/paper-ballots", s.assembly.id);
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    let early = millis(s.assembly.opens + chrono::Duration::milliseconds(1));
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);

    // Attack 4: a paper ballot received before P1's web ballot, entered afterwards.
    s.sec
        .post(&paper, paper_body(&s.motion, "P1", "no", &early, None))
        .await
        .refused(409, "paper_older_than_ballot");
    assert_eq!(
        counted(&s.app, &s.motion, "P1"),
        Some((json!("yes"), "web".into())),
        "never counted silently"
    );
    let history = s.app.store.ballot_history(&s.motion, "P1").unwrap();
    assert_eq!(history.len(), 1, "nothing stored");
    // Received after the web ballot, a paper ballot is the later one and may replace it.
    let later = s
        .sec
        .post(
            &paper,
            paper_body(&s.motion, "P1", "no", &millis(Utc::now()), None),
        )
        .await
        .expect(201);
    confirm(&s.sec2, &later).await.expect(200);
    assert_eq!(
        counted(&s.app, &s.motion, "P1"),
        Some((json!("no"), "paper".into()))
    );

    // A web ballot that arrives between the paper's entry and its confirmation wins: the
    // confirmation is refused, and the web ballot counts.
    let p2_paper = s
        .sec
        .post(
            &paper,
            paper_body(&s.motion, "P2", "no", &millis(Utc::now()), None),
        )
        .await
        .expect(201);
    let p2 = s.app.owner(&s.assembly, &s.codes["P2"]).await;
    p2.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    confirm(&s.sec2, &p2_paper)
        .await
        .refused(409, "paper_ballot_superseded");
    assert_eq!(
        counted(&s.app, &s.motion, "P2"),
        Some((json!("yes"), "web".into()))
    );
    assert!(
        s.sec
            .get(&format!(
                "/api/v1/assemblies/{}/paper-ballots",
                s.assembly.id
            ))
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .is_empty(),
        "the superseded paper is history, not waiting"
    );
    // P2 was told of the web ballot only, never of the refused paper.
    let told = notices_to(&s.app, &s.assembly, "P2");
    assert_eq!(told.len(), 1);
    assert!(told[0].body_text.contains("网上投票"));
}

// --- 4. secrecy while voting is open ---------------------------------------------------------

/// A staff member's browser session on the pages: cookies and the CSRF token kept by hand.
struct StaffPages {
    app_base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

impl StaffPages {
    async fn sign_in(app: &TestApp, login: &str) -> StaffPages {
        let mut pages = StaffPages {
            app_base: app.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        };
        let form = pages.get("/staff/login").await.1;
        let csrf = form
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("the sign-in form's CSRF token")
            .to_owned();
        let body = format!(
            "login={login}&password={login}-password-long-enough&csrf={}",
            csrf.replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D")
        );
        let response = pages
            .http
            .post(format!("{}/staff/login", pages.app_base))
            .header("cookie", pages.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        pages.keep(&response);
        assert_eq!(response.status().as_u16(), 303, "signed in");
        pages
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &reqwest::Response) {
        for cookie in response.headers().get_all("set-cookie") {
            let cookie = cookie.to_str().unwrap();
            let pair = cookie.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    async fn get(&mut self, path: &str) -> (u16, String) {
        let response = self
            .http
            .get(format!("{}{path}", self.app_base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep(&response);
        (
            response.status().as_u16(),
            response.text().await.unwrap_or_default(),
        )
    }
}

/// A page without what changes from one rendering to the next whatever the ballots say: the
/// entry form's fresh idempotency key and default receipt time.
fn steady(html: &str) -> String {
    let mut out = String::new();
    for line in html.lines() {
        // The dashboard's time of its figures changes with the clock, not with a ballot.
        if line.contains("name=\"key\"")
            || line.contains("name=\"received_at\"")
            || line.contains("id=\"figures-at\"")
        {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

async fn read_pages(browser: &mut StaffPages, pages: &[String]) -> Vec<(String, u16, String)> {
    let mut seen = Vec::new();
    for page in pages {
        let (status, html) = browser.get(page).await;
        seen.push((page.clone(), status, steady(&html)));
    }
    seen
}

async fn read_routes(staff: &Session, routes: &[String]) -> Vec<(String, u16, Value)> {
    let mut seen = Vec::new();
    for route in routes {
        let reply = staff.get(route).await;
        seen.push((route.clone(), reply.status, reply.body));
    }
    seen
}

async fn staff_see_who_voted_and_how_never_what_while_voting_is_open(db: TestDb) {
    let s = open(db, true, 0).await;
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let id = &s.assembly.id;
    let pages = [
        format!("/staff/assemblies/{id}/paper?unit=1-1-101"),
        format!("/staff/assemblies/{id}"),
        format!("/staff/assemblies/{id}/confirm"),
        format!("/staff/assemblies/{id}/proxies"),
        format!("/staff/assemblies/{id}/notices"),
        format!("/staff/assemblies/{id}/setup"),
        format!("/staff/assemblies/{id}/results"),
        format!("/staff/assemblies/{id}/print"),
        "/staff".to_owned(),
    ];
    let routes = [
        format!("/api/v1/assemblies/{id}"),
        format!("/api/v1/assemblies/{id}/items"),
        format!("/api/v1/items/{}", s.motion),
        format!("/api/v1/items/{}/result", s.motion),
        format!("/api/v1/assemblies/{id}/turnout"),
        format!("/api/v1/assemblies/{id}/paper-round"),
        format!("/api/v1/assemblies/{id}/paper-ballots"),
        format!("/api/v1/assemblies/{id}/proxies"),
        format!("/api/v1/assemblies/{id}/transfers"),
        format!("/api/v1/assemblies/{id}/publication"),
        format!("/api/v1/estates/{}/units", s.estate),
        format!("/api/v1/estates/{}/assemblies", s.estate),
        format!("/api/v1/items/{}/export", s.motion),
    ];
    // The staff of the estate who read: a secretary and an auditor.
    let auditor = s.app.staff("aud-ballots", Role::Auditor, &s.estate).await;
    let mut secretary_pages = StaffPages::sign_in(&s.app, "sec-ballots").await;
    // The paper-entry page says that P1 voted online, not what (attack 5).
    let (_, entry) = secretary_pages
        .get(&format!("/staff/assemblies/{id}/paper?unit=1-1-101"))
        .await;
    assert!(entry.contains("网上投票"), "{entry}");
    assert!(!entry.contains("同意 · 网上投票"), "{entry}");
    let pages_yes = read_pages(&mut secretary_pages, &pages).await;
    let routes_yes = read_routes(&s.sec, &routes).await;
    let auditor_yes = read_routes(&auditor, &routes).await;

    // P1 changes the vote to "no": nothing a staff member reads may change with it.
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("no"))])
        .await
        .expect(200);
    let pages_no = read_pages(&mut secretary_pages, &pages).await;
    let routes_no = read_routes(&s.sec, &routes).await;
    let auditor_no = read_routes(&auditor, &routes).await;
    for (yes, no) in pages_yes.iter().zip(&pages_no) {
        assert_eq!(yes, no, "page {} shows something of the choice", yes.0);
    }
    for (yes, no) in routes_yes
        .iter()
        .zip(&routes_no)
        .chain(auditor_yes.iter().zip(&auditor_no))
    {
        assert_eq!(yes, no, "route {} shows something of the choice", yes.0);
    }
    // The audit log and the outbox grow with every ballot: they name who voted and how, and
    // carry no choice (the receipts are the subject of the next test).
    for reader in [&s.sec, &auditor] {
        for route in [
            format!("/api/v1/estates/{}/audit", s.estate),
            format!("/api/v1/estates/{}/outbox", s.estate),
        ] {
            let text = reader.get(&route).await.expect(200).to_string();
            assert!(
                !text.contains("\"choice\"")
                    && !text.contains("\\\"no\\\"")
                    && !text.contains("\\\"yes\\\""),
                "{route}: {text}"
            );
        }
    }
    let (_, outbox_page) = secretary_pages.get("/staff/outbox").await;
    assert!(!outbox_page.contains("同意") && !outbox_page.contains("反对"));
}

// --- 5. receipts reveal nothing without the owner's copy -------------------------------------

/// The receipt formula before issue 17: a hash of the recorded fields only.
fn old_receipt(v: &gongjue_store::ballots::BallotVersion, choice: &str) -> String {
    let canonical = json!([
        "gongjue-ballot/1",
        v.id,
        v.item_id,
        v.voter,
        v.seq,
        v.channel,
        choice,
        v.cast_at,
        v.proxy_id
    ]);
    hex(&Sha256::digest(canonical.to_string().as_bytes()))
}

fn new_receipt(v: &gongjue_store::ballots::BallotVersion, choice: &str, secret: &str) -> String {
    let canonical = json!([
        "gongjue-ballot/2",
        v.id,
        v.item_id,
        v.voter,
        v.seq,
        v.channel,
        choice,
        v.cast_at,
        v.proxy_id,
        secret
    ]);
    hex(&Sha256::digest(canonical.to_string().as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn a_receipt_cannot_be_reversed_to_the_choice(db: TestDb) {
    let s = open(db, true, 0).await;
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    let p2 = s.app.owner(&s.assembly, &s.codes["P2"]).await;
    let cast = p1
        .vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    p2.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let owners_copy = cast[0]["receipt"].as_str().unwrap().to_owned();

    // What an auditor reads while voting is open: the ballot.cast entry with its receipt.
    let auditor = s.app.staff("aud-receipts", Role::Auditor, &s.estate).await;
    let audit = auditor
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    let entries: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "ballot.cast")
        .collect();
    assert_eq!(entries.len(), 2);
    let p1_entry = entries
        .iter()
        .find(|e| e["detail"]["voter"] == "P1")
        .expect("P1's entry");
    assert_eq!(
        p1_entry["detail"]["receipt"], owners_copy,
        "the log carries the owner's receipt, so a changed ballot row is still found"
    );

    // Attack 7: the auditor hashes every possible choice with every other field of the ballot
    // (granted even more than the log shows: the stored row itself, all but its secret).
    let versions = s.app.store.ballot_versions(&s.motion).unwrap();
    let v = versions.iter().find(|v| v.voter == "P1").unwrap();
    let choices = ["yes", "no", "abstain", "invalid"].map(|c| json!(c).to_string());
    for choice in &choices {
        assert_ne!(old_receipt(v, choice), owners_copy, "old formula, {choice}");
        for guess in ["", "0", &"0".repeat(32)] {
            assert_ne!(
                new_receipt(v, choice, guess),
                owners_copy,
                "{choice}, {guess:?}"
            );
        }
    }
    // Two owners who chose the same get unrelated receipts.
    let entry_receipts: Vec<&str> = entries
        .iter()
        .map(|e| e["detail"]["receipt"].as_str().unwrap())
        .collect();
    assert_ne!(entry_receipts[0], entry_receipts[1]);
    // The control: with the version's secret, the stored choice gives the owner's receipt, so
    // the test hashes the right fields and the secret alone is what hides the choice.
    let secret = v.receipt_secret.clone().expect("a secret");
    assert_eq!(secret.len(), 32);
    assert!(secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(new_receipt(v, &v.choice, &secret), owners_copy);
    assert_ne!(
        versions[0].receipt_secret, versions[1].receipt_secret,
        "one secret per version"
    );
    // The secret is shown by no route: not the owner's sheet, not the staff's reads.
    let sheet = p1
        .get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .expect(200);
    assert_eq!(sheet["entries"][0]["current"]["receipt"], owners_copy);
    for text in [sheet.to_string(), audit.to_string()] {
        assert!(!text.contains(&secret));
    }
    // The owner's notice carries the receipt; the audit chain and ballots still verify.
    assert!(
        notices_to(&s.app, &s.assembly, "P1")[0]
            .body_text
            .contains(&short(&cast[0]["receipt"]))
    );
    let verified = auditor
        .get(&format!("/api/v1/estates/{}/audit/verify", s.estate))
        .await
        .expect(200);
    assert_eq!(verified["ok"], true, "{verified}");

    // After closing, the published list carries the same receipt for the owner to find.
    s.sec.close_early(&s.assembly).await;
    let published = p1
        .get(&format!("/api/v1/assemblies/{}/publication", s.assembly.id))
        .await
        .expect(200);
    assert!(published.to_string().contains(&owners_copy));
}

e2e!(
    every_recorded_ballot_is_told_to_its_owner_with_its_receipt,
    a_correction_after_closing_must_answer_the_members_open_objection,
    a_paper_ballot_received_before_a_newer_ballot_never_replaces_it,
    staff_see_who_voted_and_how_never_what_while_voting_is_open,
    a_receipt_cannot_be_reversed_to_the_choice,
);
