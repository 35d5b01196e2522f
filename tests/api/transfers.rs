//! Issue 17, attack 2: one secretary moved a unit's voting right to an invented id with a
//! free-text deed reference ("随便写"), issued that id a code and voted; a second transfer
//! merged two members and heads dropped by one; nobody confirmed and nobody was told.
//!
//! Now a transfer needs a deed's number, waits for a second staff member's confirmation before
//! anything changes (the seller may still vote meanwhile, and then keeps the vote), the seller
//! is told by e-mail at both steps, and an existing owner's id is refused as the new owner
//! unless the request says explicitly that this owner bought the unit.

use gongjue_store::outbox::{OutboxEmail, OutboxFilter};
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, Session, TestApp, TestDb, spawn_app};

/// P5 (the seller of 2-1-102) and P4 have e-mail addresses.
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,
,1,1,102,1,100.00,P2,乙,,
,1,1,201,2,120.00,P1,甲,,
,2,1,101,1,80.00,P4,丁,,p4@lakeside.example.org
,2,1,102,1,80.00,P5,戊,,p5@lakeside.example.org
";

const SELLER: &str = "p5@lakeside.example.org";
const DEED: &str = "沪(2026)浦字第012345号";

struct Setup {
    app: TestApp,
    estate: String,
    /// Records transfers.
    first: Session,
    /// A second secretary of the estate: confirms them.
    second: Session,
    auditor: Session,
    /// A secretary of another estate.
    stranger: Session,
    assembly: Assembly,
    motion: String,
    codes: std::collections::BTreeMap<String, String>,
}

async fn setup(db: TestDb) -> Setup {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let first = app.staff("sec-one", Role::Secretary, &estate).await;
    let second = app.staff("sec-two", Role::Secretary, &estate).await;
    let auditor = app.staff("auditor-t", Role::Auditor, &estate).await;
    let other = app.estate("小区乙");
    let stranger = app.staff("sec-other", Role::Secretary, &other).await;
    first
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = first.create_assembly(&estate, true).await;
    let motion = first
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    first.announce(&assembly).await;
    first.open(&assembly).await;
    let codes = first.issue_codes(&assembly, None).await;
    Setup {
        app,
        estate,
        first,
        second,
        auditor,
        stranger,
        assembly,
        motion,
        codes,
    }
}

impl Setup {
    fn transfers(&self) -> String {
        format!("/api/v1/assemblies/{}/transfers", self.assembly.id)
    }

    async fn record(&self, body: Value) -> crate::helpers::Reply {
        self.first.post(&self.transfers(), body).await
    }

    /// The transfer notices queued for `address` (the invitations left out).
    fn mails_to(&self, address: &str) -> Vec<OutboxEmail> {
        self.app
            .store
            .outbox(&OutboxFilter {
                assembly_id: Some(self.assembly.id.clone()),
                ..OutboxFilter::default()
            })
            .expect("outbox")
            .into_iter()
            .filter(|m| m.recipient == address && m.kind.starts_with("transfer"))
            .collect()
    }

    async fn audit(&self) -> Vec<Value> {
        self.first
            .get(&format!("/api/v1/estates/{}/audit?limit=500", self.estate))
            .await
            .expect(200)
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Whether the owner's sheet offers them the motion (they hold a unit of its electorate).
    async fn votes_on_motion(&self, voter: &str) -> bool {
        let owner = self.app.owner(&self.assembly, &self.codes[voter]).await;
        let sheet = owner
            .get(&format!("/api/v1/assemblies/{}/ballot", self.assembly.id))
            .await
            .expect(200);
        sheet["entries"]
            .as_array()
            .is_some_and(|e| e.iter().any(|e| e["item"]["id"] == self.motion.as_str()))
    }

    /// The turnout of every item (totals of area and heads included).
    async fn heads(&self) -> Value {
        self.first
            .get(&format!("/api/v1/assemblies/{}/turnout", self.assembly.id))
            .await
            .expect(200)
    }
}

/// The attack as described, tried again: an invented buyer with a free-text reference is
/// refused; with a deed's number the transfer waits, changes nothing, and the new id gets no
/// code, until a second secretary confirms it; the seller is told at both steps.
async fn a_transfer_takes_effect_only_once_a_second_staff_member_confirms_it(db: TestDb) {
    let s = setup(db).await;
    for meaningless in ["随便写", "   ", "无", "000000", "xxxxxxxx", "合同见附件"] {
        let refused = s
            .record(json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": meaningless }))
            .await;
        assert_eq!(refused.status, 422, "{meaningless:?}: {}", refused.body);
        assert_eq!(
            refused.body["error"]["field"], "deed_ref",
            "{meaningless:?}"
        );
    }
    let refused = s
        .record(json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": "随便写" }))
        .await
        .refused(422, "deed_ref_unclear");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("编号")
    );
    assert!(
        s.mails_to(SELLER).is_empty(),
        "nothing recorded, nobody told"
    );

    let pending = s
        .record(json!({ "unit": "2-1-102", "to_voter": " P9 ", "deed_ref": format!("  {DEED} ") }))
        .await
        .expect(201);
    assert_eq!(pending["state"], "pending");
    assert_eq!(pending["from_voter"], "P5");
    assert_eq!(pending["to_voter"], "P9");
    assert_eq!(pending["deed_ref"], DEED, "stored trimmed");
    assert!(pending["confirmed_by"].is_null());
    let id = pending["id"].as_str().unwrap().to_owned();

    // Pending: nothing changed. The seller still votes for the unit, the new id is nobody yet.
    assert!(s.votes_on_motion("P5").await);
    s.first
        .post(
            &format!("/api/v1/assemblies/{}/codes", s.assembly.id),
            json!({ "voters": ["P9"] }),
        )
        .await
        .refused(422, "invalid_value");
    let listed = s.auditor.get(&s.transfers()).await.expect(200);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["state"], "pending");

    // The seller is told through their own address, before anything takes effect.
    let told = s.mails_to(SELLER);
    assert_eq!(told.len(), 1, "one notice so far");
    assert_eq!(told[0].kind, "transfer_pending");
    assert_eq!(told[0].voter.as_deref(), Some("P5"));
    assert!(
        told[0].body_text.contains("2-1-102")
            && told[0].body_text.contains(DEED)
            && told[0].body_text.contains("第二名工作人员确认"),
        "{}",
        told[0].body_text
    );

    // Not by who recorded it, not by an auditor, not by another estate's secretary.
    let confirm = format!("/api/v1/transfers/{id}/confirm");
    s.first
        .post(&confirm, json!({}))
        .await
        .refused(409, "transfer_same_person");
    assert_eq!(s.auditor.post(&confirm, json!({})).await.status, 403);
    let foreign = s.stranger.post(&confirm, json!({})).await;
    assert!(matches!(foreign.status, 403 | 404), "{}", foreign.body);
    assert!(s.votes_on_motion("P5").await, "still the seller's");

    // The second secretary confirms: now the unit votes with its new owner.
    let confirmed = s.second.post(&confirm, json!({})).await.expect(200);
    assert_eq!(confirmed["state"], "confirmed");
    assert!(confirmed["confirmed_by"].is_string());
    assert_ne!(confirmed["confirmed_by"], confirmed["recorded_by"]);
    assert!(!s.votes_on_motion("P5").await, "the seller no longer votes");
    let p5 = s.app.owner(&s.assembly, &s.codes["P5"]).await;
    p5.vote(&s.assembly, &[(s.motion.as_str(), json!("no"))])
        .await
        .refused(403, "not_in_electorate");
    let codes = s.first.issue_codes(&s.assembly, Some(vec!["P9"])).await;
    let p9 = s.app.owner(&s.assembly, &codes["P9"]).await;
    p9.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    s.second
        .post(&confirm, json!({}))
        .await
        .refused(409, "transfer_not_pending");

    let told = s.mails_to(SELLER);
    assert_eq!(
        told.iter().map(|m| m.kind.as_str()).collect::<Vec<_>>(),
        ["transfer_pending", "transfer_confirmed"]
    );
    assert!(
        told[1].body_text.contains("已由第二名工作人员确认"),
        "{}",
        told[1].body_text
    );

    // Both steps are in the audit log, each under the staff member who took it.
    let audit = s.audit().await;
    let recorded = audit
        .iter()
        .find(|e| e["action"] == "transfer.recorded")
        .expect("the recording is audited");
    let moved = audit
        .iter()
        .find(|e| e["action"] == "electorate.transferred")
        .expect("the confirmation is audited");
    assert_eq!(recorded["subject"], id.as_str());
    assert_eq!(moved["subject"], id.as_str());
    assert_eq!(recorded["detail"]["deed_ref"], DEED);
    assert_ne!(recorded["actor"], moved["actor"]);
    assert_eq!(moved["detail"]["recorded_by"], confirmed["recorded_by"]);
    let listed = s.first.get(&s.transfers()).await.expect(200);
    assert_eq!(listed[0]["state"], "confirmed");
    assert_eq!(listed[0]["confirmed_by"], confirmed["confirmed_by"]);
}

/// A seller who votes while the transfer waits keeps the unit's vote: the confirmation is
/// refused, as a transfer always was once the old owner had voted.
async fn a_seller_who_votes_before_the_confirmation_keeps_the_vote(db: TestDb) {
    let s = setup(db).await;
    let pending = s
        .record(json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": DEED }))
        .await
        .expect(201);
    let p5 = s.app.owner(&s.assembly, &s.codes["P5"]).await;
    p5.vote(&s.assembly, &[(s.motion.as_str(), json!("no"))])
        .await
        .expect(200);
    s.second
        .post(
            &format!(
                "/api/v1/transfers/{}/confirm",
                pending["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .refused(409, "seller_voted");
    assert!(s.votes_on_motion("P5").await);
    let listed = s.first.get(&s.transfers()).await.expect(200);
    assert_eq!(listed[0]["state"], "pending", "never took effect");
    assert_eq!(
        s.mails_to(SELLER)
            .iter()
            .filter(|m| m.kind == "transfer_confirmed")
            .count(),
        0
    );
    // Recording another one now is refused at once.
    s.record(json!({ "unit": "2-1-102", "to_voter": "P8", "deed_ref": "沪(2026)浦字第012346号" }))
        .await
        .refused(409, "seller_voted");
    assert!(
        s.audit()
            .await
            .iter()
            .all(|e| e["action"] != "electorate.transferred")
    );
}

/// "A second transfer merged two members, and heads dropped by one": a transfer to an id that
/// is already an owner of the assembly is refused unless the request says that this owner
/// bought the unit; said so, it still waits for a second staff member, who sees it flagged.
async fn a_transfer_does_not_merge_two_members_unless_said_so(db: TestDb) {
    let s = setup(db).await;
    let before = s.heads().await;
    for existing in ["P4", "P1"] {
        let refused = s
            .record(json!({ "unit": "2-1-102", "to_voter": existing, "deed_ref": DEED }))
            .await
            .refused(422, "transfer_merges_members");
        assert_eq!(refused["error"]["field"], "to_voter");
    }
    // Said to be an owner of the assembly, but unknown to it: a typo, refused too.
    let typo = s
        .record(json!({ "unit": "2-1-102", "to_voter": "P44", "deed_ref": DEED, "buyer_is_member": true }))
        .await
        .refused(422, "invalid_value");
    assert_eq!(typo["error"]["field"], "to_voter");
    assert!(
        s.first
            .get(&s.transfers())
            .await
            .expect(200)
            .as_array()
            .is_some_and(Vec::is_empty)
    );
    assert_eq!(s.heads().await, before, "nothing merged");
    assert!(s.mails_to(SELLER).is_empty());

    // P4 really bought it: said explicitly, recorded pending, flagged for whoever confirms.
    let merge = s
        .record(json!({ "unit": "2-1-102", "to_voter": "P4", "deed_ref": DEED, "buyer_is_member": true }))
        .await
        .expect(201);
    assert_eq!(merge["buyer_is_member"], true);
    assert_eq!(merge["state"], "pending");
    assert_eq!(
        s.heads().await,
        before,
        "not before a second person confirms"
    );
    let listed = s.second.get(&s.transfers()).await.expect(200);
    assert_eq!(listed[0]["buyer_is_member"], true);
    assert_eq!(s.mails_to(SELLER).len(), 1, "the seller is told");
}

e2e!(
    a_transfer_takes_effect_only_once_a_second_staff_member_confirms_it,
    a_seller_who_votes_before_the_confirmation_keeps_the_vote,
    a_transfer_does_not_merge_two_members_unless_said_so,
);
