//! Issue 17, attack 1 ("a secretary votes as any owner"): voting codes.
//!
//! - A code that goes to the owner's own address is never shown to staff: not by
//!   `POST /assemblies/{id}/codes`, not on the printed sheets.
//! - A code shown to staff (an owner without an address, whose code is printed) is audited per
//!   member (`code.printed`) and shown to the owner on their own ballot page.
//! - A member who had a code gets a new one only when one staff member asks and a different one
//!   confirms; until then nothing changes. The new code goes to the owner's address with a
//!   notice that it replaces the old one; only an owner without an address gets it on paper,
//!   shown once to the person who confirmed.

use std::collections::BTreeMap;

use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, Session, TestApp, TestDb, mailed_code, spawn_app};
use crate::web_pages::{owner_browser, staff_browser};

/// P1 (two units) and P4 have e-mail addresses; P2 and P5 do not.
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@example.org
,1,1,102,1,100.00,P2,乙,,
,1,1,201,2,120.00,P1,甲,,p1@example.org
,2,1,101,1,80.00,P4,丁,,p4@example.org
,2,1,102,1,80.00,P5,戊,,
";

struct Setup {
    app: TestApp,
    estate: String,
    /// `codes-sec` and `codes-sec2`, two secretaries of the estate.
    sec: Session,
    sec2: Session,
    assembly: Assembly,
    motion: String,
}

/// An open assembly of one motion; no code issued yet.
async fn setup(db: TestDb) -> Setup {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("codes-sec", Role::Secretary, &estate).await;
    let sec2 = app.staff("codes-sec2", Role::Secretary, &estate).await;
    sec.import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    Setup {
        app,
        estate,
        sec,
        sec2,
        assembly,
        motion,
    }
}

impl Setup {
    async fn user_id(&self, staff: &Session) -> String {
        let me = staff.get("/api/v1/sessions/current").await.expect(200);
        me["user_id"].as_str().expect("a user id").to_owned()
    }

    /// The estate's audit entries with this action, read from the database (the record the
    /// chain keeps, whoever may read it through the API at this stage).
    fn audited(&self, action: &str) -> Vec<(String, Value)> {
        self.app
            .store
            .audit_entries(&self.estate, 0, 100_000)
            .expect("the audit log")
            .into_iter()
            .filter(|e| e.action == action)
            .map(|e| {
                (
                    e.actor,
                    serde_json::from_str(&e.detail).expect("JSON detail"),
                )
            })
            .collect()
    }

    /// How many invitations were queued for `voter`.
    fn invitations(&self, voter: &str) -> Vec<gongjue_store::outbox::OutboxEmail> {
        let filter = gongjue_store::outbox::OutboxFilter {
            assembly_id: Some(self.assembly.id.clone()),
            ..Default::default()
        };
        self.app
            .store
            .outbox(&filter)
            .expect("the outbox")
            .into_iter()
            .filter(|m| m.kind == "invitation" && m.voter.as_deref() == Some(voter))
            .collect()
    }

    async fn signs_in(&self, code: &str) -> bool {
        self.app
            .anonymous()
            .post(
                "/api/v1/owner-sessions",
                json!({ "code": code, "assembly_id": self.assembly.id }),
            )
            .await
            .status
            == 200
    }

    /// The events of the owner's own code history, from their ballot sheet.
    async fn history(&self, owner: &Session) -> Vec<String> {
        let sheet = owner
            .get(&format!("/api/v1/assemblies/{}/ballot", self.assembly.id))
            .await
            .expect(200);
        sheet["code_history"]
            .as_array()
            .expect("the code history")
            .iter()
            .map(|e| e["event"].as_str().unwrap_or_default().to_owned())
            .collect()
    }
}

/// `POST /codes` never shows a code it e-mailed; asking again for a member who has a code is
/// refused, and nothing changes: no second code, no second invitation.
async fn a_code_emailed_to_its_owner_is_never_shown_to_staff(db: TestDb) {
    let s = setup(db).await;
    let codes_url = format!("/api/v1/assemblies/{}/codes", s.assembly.id);
    let issued = s.sec.post(&codes_url, json!({})).await.expect(201);
    let by_voter: BTreeMap<String, Value> = issued
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["voter"].as_str().unwrap().to_owned(), c.clone()))
        .collect();
    assert_eq!(by_voter.len(), 4, "{issued}");
    let mut mailed = BTreeMap::new();
    for voter in ["P1", "P4"] {
        assert_eq!(by_voter[voter]["emailed"], true);
        assert!(by_voter[voter]["code"].is_null(), "{issued}");
        let code = mailed_code(&s.app.store, &s.assembly.id, voter).expect("an invitation");
        assert!(!issued.to_string().contains(&code));
        assert!(s.signs_in(&code).await, "the mailed code works");
        mailed.insert(voter, code);
    }
    for voter in ["P2", "P5"] {
        assert_eq!(by_voter[voter]["emailed"], false);
        let code = by_voter[voter]["code"].as_str().expect("a printed code");
        assert!(s.signs_in(code).await);
    }

    // A second run issues nothing: everybody has a code.
    let again = s.sec.post(&codes_url, json!({})).await.expect(201);
    assert_eq!(again, json!([]));
    // Naming a member who has a code is a re-issue, which one secretary cannot do alone.
    for staff in [&s.sec, &s.sec2] {
        staff
            .post(&codes_url, json!({ "voters": ["P1"] }))
            .await
            .refused(409, "code_already_issued");
        staff
            .post(&codes_url, json!({ "voters": ["P5", "P4"] }))
            .await
            .refused(409, "code_already_issued");
    }
    assert_eq!(s.invitations("P1").len(), 1, "no second invitation");
    for (voter, code) in &mailed {
        assert!(s.signs_in(code).await, "{voter}'s code still works");
    }

    // The printed sheets show no code that was e-mailed (and none at all now).
    let mut browser = staff_browser(&s.app, "codes-sec").await;
    let menu = browser
        .get(&format!("/staff/assemblies/{}/print", s.assembly.id))
        .await;
    let sheets = browser
        .post(
            &format!("/staff/assemblies/{}/sheets", s.assembly.id),
            &[("csrf".into(), menu.hidden("csrf").unwrap())],
        )
        .await;
    assert_eq!(sheets.status, 200);
    for code in mailed.values() {
        assert!(!sheets.html.contains(code.as_str()));
    }
    assert_eq!(sheets.html.matches("<svg").count(), 0);

    // Only the two paper codes were shown to staff: one `code.printed` each, naming the member
    // and the secretary who saw it.
    let sec_id = s.user_id(&s.sec).await;
    let printed = s.audited("code.printed");
    let mut members: Vec<&str> = printed
        .iter()
        .map(|(_, d)| d["voter"].as_str().unwrap())
        .collect();
    members.sort_unstable();
    assert_eq!(members, ["P2", "P5"]);
    assert!(
        printed
            .iter()
            .all(|(actor, d)| *actor == sec_id && d["shown_to"] == sec_id.as_str())
    );
}

/// The print page issues the codes of members who have none: a member with an address gets a
/// sheet without a code; each code printed is audited and shown to its owner.
async fn printing_shows_only_paper_codes_audited_and_shown_to_the_owner(db: TestDb) {
    let s = setup(db).await;
    let mut browser = staff_browser(&s.app, "codes-sec").await;
    let menu = browser
        .get(&format!("/staff/assemblies/{}/print", s.assembly.id))
        .await;
    let sheets = browser
        .post(
            &format!("/staff/assemblies/{}/sheets", s.assembly.id),
            &[("csrf".into(), menu.hidden("csrf").unwrap())],
        )
        .await;
    assert_eq!(sheets.status, 200);
    assert_eq!(sheets.html.matches("<article class=\"sheet\"").count(), 4);
    assert_eq!(sheets.html.matches("<svg").count(), 2, "P2 and P5 only");
    assert_eq!(sheets.html.matches("投票码已发送到您的电子邮箱").count(), 2);
    for voter in ["P1", "P4"] {
        let code = mailed_code(&s.app.store, &s.assembly.id, voter).expect("an invitation");
        assert!(!sheets.html.contains(&code), "{voter}'s code was printed");
    }
    let printed: Vec<String> = sheets
        .html
        .split("<strong class=\"code\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(printed.len(), 2);

    // Audited per member.
    let sec_id = s.user_id(&s.sec).await;
    let entries = s.audited("code.printed");
    assert_eq!(entries.len(), 2);
    for (actor, detail) in &entries {
        assert_eq!(actor, &sec_id);
        assert_eq!(detail["assembly"], s.assembly.id.as_str());
        assert!(["P2", "P5"].contains(&detail["voter"].as_str().unwrap()));
    }

    // The owner of a printed code sees that it was printed (JSON and page); an e-mailed
    // owner sees that theirs was e-mailed.
    for code in &printed {
        let owner = s.app.owner(&s.assembly, code).await;
        assert_eq!(s.history(&owner).await, ["printed"]);
        let mut page = owner_browser(&s.app, code).await;
        let ballot = page.get("/ballot").await;
        assert!(
            ballot.html.contains("由工作人员打印在纸质表决票上"),
            "{}",
            ballot.html
        );
    }
    let p1 = s
        .app
        .owner(
            &s.assembly,
            &mailed_code(&s.app.store, &s.assembly.id, "P1").unwrap(),
        )
        .await;
    assert_eq!(s.history(&p1).await, ["emailed"]);
}

/// One secretary's re-issue changes nothing; the same secretary cannot confirm it; a second
/// one does, and only then the old code and its sessions end and the owner gets the new code
/// by e-mail (never shown to staff), with the notice.
async fn a_reissue_changes_nothing_until_a_second_staff_member_confirms(db: TestDb) {
    let s = setup(db).await;
    let reissues_url = format!("/api/v1/assemblies/{}/code-reissues", s.assembly.id);
    // Nothing to re-issue before a code was issued.
    s.sec
        .post(
            &reissues_url,
            json!({ "voter": "P1", "reason": "表决票遗失" }),
        )
        .await
        .refused(409, "no_code_to_reissue");
    let codes = s.sec.issue_codes(&s.assembly, None).await;
    let old = codes["P1"].clone();
    let p1 = s.app.owner(&s.assembly, &old).await;
    let sheet_url = format!("/api/v1/assemblies/{}/ballot", s.assembly.id);

    s.sec
        .post(&reissues_url, json!({ "voter": "P1", "reason": "  " }))
        .await
        .refused(422, "invalid_value");
    s.sec
        .post(
            &reissues_url,
            json!({ "voter": "P9", "reason": "表决票遗失" }),
        )
        .await
        .refused(422, "invalid_value");
    let asked = s
        .sec
        .post(
            &reissues_url,
            json!({ "voter": "P1", "reason": "业主称未收到邮件" }),
        )
        .await
        .expect(201);
    let reissue = asked["id"].as_str().unwrap().to_owned();
    assert!(asked["confirmed_by"].is_null() && asked["code"].is_null());
    assert_eq!(asked["units"], json!(["1-1-101", "1-1-201"]));
    // Nothing changed: the code and its session work, no new invitation.
    p1.get(&sheet_url).await.expect(200);
    assert!(s.signs_in(&old).await);
    assert_eq!(s.invitations("P1").len(), 1);
    // Pending, for every staff role to see; one request per member at a time.
    let auditor = s.app.staff("codes-aud", Role::Auditor, &s.estate).await;
    for staff in [&s.sec, &s.sec2, &auditor] {
        let pending = staff.get(&reissues_url).await.expect(200);
        assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
        assert_eq!(pending[0]["id"], reissue.as_str());
    }
    s.sec2
        .post(
            &reissues_url,
            json!({ "voter": "P1", "reason": "再次申请" }),
        )
        .await
        .refused(409, "reissue_pending");
    auditor
        .confirm_reissue(&reissue)
        .await
        .refused(403, "read_only_role");

    // The secretary who asked cannot confirm.
    s.sec
        .confirm_reissue(&reissue)
        .await
        .refused(409, "reissue_same_person");
    p1.get(&sheet_url).await.expect(200);
    assert!(s.signs_in(&old).await);
    assert_eq!(s.invitations("P1").len(), 1);
    // The owner can see a re-issue was asked for.
    assert_eq!(s.history(&p1).await, ["emailed", "reissue_requested"]);

    // A second secretary confirms: the new code goes to P1's address only.
    let confirmed = s.sec2.confirm_reissue(&reissue).await.expect(200);
    assert_eq!(confirmed["emailed"], true);
    assert!(confirmed["code"].is_null(), "{confirmed}");
    assert_eq!(confirmed["confirmed_by"], s.user_id(&s.sec2).await.as_str());
    p1.get(&sheet_url).await.refused(401, "bad_token");
    assert!(!s.signs_in(&old).await, "the old code stopped working");
    let letters = s.invitations("P1");
    assert_eq!(letters.len(), 2);
    let letter = letters.iter().max_by_key(|m| m.created_at.clone()).unwrap();
    assert_eq!(letter.recipient, "p1@example.org");
    assert!(
        letter.subject.contains("您的投票码已补发"),
        "{}",
        letter.subject
    );
    assert!(
        letter.body_text.contains("业主称未收到邮件") && letter.body_text.contains("作废"),
        "{}",
        letter.body_text
    );
    let new = mailed_code(&s.app.store, &s.assembly.id, "P1").unwrap();
    assert_ne!(new, old);
    assert!(!confirmed.to_string().contains(&new));
    let renewed = s.app.owner(&s.assembly, &new).await;
    renewed
        .vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    assert_eq!(
        s.history(&renewed).await,
        [
            "emailed",
            "reissue_requested",
            "revoked",
            "reissued",
            "emailed"
        ]
    );
    s.sec2
        .confirm_reissue(&reissue)
        .await
        .refused(409, "reissue_confirmed");
    assert_eq!(s.sec.get(&reissues_url).await.expect(200), json!([]));

    // Audited: who asked, who confirmed.
    let (sec_id, sec2_id) = (s.user_id(&s.sec).await, s.user_id(&s.sec2).await);
    let requested = s.audited("code.reissue_requested");
    assert_eq!(requested.len(), 1);
    assert_eq!(requested[0].0, sec_id);
    assert_eq!(requested[0].1["voter"], "P1");
    let confirmed_entries = s.audited("code.reissue_confirmed");
    assert_eq!(confirmed_entries.len(), 1);
    assert_eq!(confirmed_entries[0].0, sec2_id);
    assert_eq!(confirmed_entries[0].1["requested_by"], sec_id.as_str());

    // An owner without an address (asked for by unit): the new code is shown once, to the
    // secretary who confirms, to print; audited as printed.
    let asked = s
        .sec2
        .post(
            &reissues_url,
            json!({ "unit": "2-1-102", "reason": "表决票遗失" }),
        )
        .await
        .expect(201);
    assert_eq!(asked["voter"], "P5");
    let paper = s
        .sec
        .confirm_reissue(asked["id"].as_str().unwrap())
        .await
        .expect(200);
    assert_eq!(paper["emailed"], false);
    let p5 = paper["code"].as_str().expect("the paper code").to_owned();
    assert!(!s.signs_in(&codes["P5"]).await);
    assert!(s.signs_in(&p5).await);
    let printed: Vec<String> = s
        .audited("code.printed")
        .iter()
        .filter(|(_, d)| d["voter"] == "P5")
        .map(|(_, d)| d["shown_to"].as_str().unwrap().to_owned())
        .collect();
    // Printed twice, each time to the secretary who issued it: the first issue and the
    // re-issue this secretary confirmed.
    assert_eq!(printed, [sec_id.clone(), sec_id.clone()]);

    // Once voting closed, nothing is re-issued.
    s.sec.close_early(&s.assembly).await;
    s.sec
        .post(
            &reissues_url,
            json!({ "voter": "P4", "reason": "表决票遗失" }),
        )
        .await
        .refused(409, "voting_closed");
}

/// The staff pages: one secretary asks, sees no button to confirm their own request (and is
/// refused if they send it); a second confirms. A paper code is shown on a printable sheet
/// once; an e-mailed code is not shown.
async fn the_reissue_pages_need_a_second_secretary(db: TestDb) {
    let s = setup(db).await;
    let codes = s.sec.issue_codes(&s.assembly, None).await;
    let page_url = format!("/staff/assemblies/{}/codes", s.assembly.id);
    let mut first = staff_browser(&s.app, "codes-sec").await;
    let mut second = staff_browser(&s.app, "codes-sec2").await;

    let form = first.get(&page_url).await;
    assert_eq!(form.status, 200);
    let csrf = form.hidden("csrf").unwrap();
    let asked = first
        .post(
            &format!("/staff/assemblies/{}/code-reissues", s.assembly.id),
            &[
                ("csrf".into(), csrf.clone()),
                ("member".into(), "2-1-102".into()),
                ("reason".into(), "表决票遗失".into()),
            ],
        )
        .await;
    assert_eq!(asked.status, 303, "{}", asked.html);
    let mine = first.get(&format!("{page_url}?requested=1")).await;
    assert!(mine.html.contains("申请已提交"));
    assert!(
        mine.html
            .contains("补发投票码须由申请人以外的另一名工作人员确认")
    );
    assert!(
        !mine.html.contains("/confirm\""),
        "no confirm button for the asker"
    );
    let pending = s
        .sec
        .get(&format!(
            "/api/v1/assemblies/{}/code-reissues",
            s.assembly.id
        ))
        .await
        .expect(200);
    let id = pending[0]["id"].as_str().unwrap().to_owned();
    let confirm_url = format!(
        "/staff/assemblies/{}/code-reissues/{id}/confirm",
        s.assembly.id
    );
    let refused = first
        .post(&confirm_url, &[("csrf".into(), csrf.clone())])
        .await;
    assert_eq!(refused.status, 409);
    assert!(s.signs_in(&codes["P5"]).await, "nothing changed");

    let queue = second.get(&page_url).await;
    assert!(queue.html.contains(&confirm_url), "{}", queue.html);
    let sheet = second
        .post(
            &confirm_url,
            &[("csrf".into(), queue.hidden("csrf").unwrap())],
        )
        .await;
    assert_eq!(sheet.status, 200, "{}", sheet.html);
    assert!(sheet.html.contains("这是补发的投票码"));
    assert_eq!(sheet.html.matches("<svg").count(), 1);
    let code = sheet
        .html
        .split("<strong class=\"code\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert!(s.signs_in(&code).await);
    assert!(!s.signs_in(&codes["P5"]).await);

    // An owner with an address: confirmed without the code appearing anywhere on the pages.
    let asked = first
        .post(
            &format!("/staff/assemblies/{}/code-reissues", s.assembly.id),
            &[
                ("csrf".into(), csrf),
                ("member".into(), "P4".into()),
                ("reason".into(), "业主称邮件被误删".into()),
            ],
        )
        .await;
    assert_eq!(asked.status, 303);
    let queue = second.get(&page_url).await;
    let pending = s
        .sec
        .get(&format!(
            "/api/v1/assemblies/{}/code-reissues",
            s.assembly.id
        ))
        .await
        .expect(200);
    let id = pending[0]["id"].as_str().unwrap().to_owned();
    let done = second
        .post(
            &format!(
                "/staff/assemblies/{}/code-reissues/{id}/confirm",
                s.assembly.id
            ),
            &[("csrf".into(), queue.hidden("csrf").unwrap())],
        )
        .await;
    assert_eq!(done.status, 303);
    let after = second.get(done.location.as_deref().unwrap()).await;
    assert!(after.html.contains("新投票码已发送到业主的电子邮箱"));
    let new = mailed_code(&s.app.store, &s.assembly.id, "P4").unwrap();
    assert_ne!(new, codes["P4"]);
    assert!(!done.html.contains(&new) && !after.html.contains(&new));
    assert!(s.signs_in(&new).await);
    // The owner sees it on their own page.
    let mut owner = owner_browser(&s.app, &new).await;
    let ballot = owner.get("/ballot").await;
    assert!(
        ballot.html.contains("另一名工作人员确认补发"),
        "{}",
        ballot.html
    );
}

/// An invitation the relay gave up on never reached the owner: a confirmed re-issue then hands
/// the new code over on paper (shown to the confirming secretary, audited as printed), while
/// an owner whose invitation went out still gets theirs only by e-mail.
async fn a_reissue_after_a_given_up_invitation_goes_on_paper(db: TestDb) {
    let s = setup(db).await;
    let codes = s.sec.issue_codes(&s.assembly, None).await;
    let letter = s.invitations("P4").pop().expect("P4's invitation");
    s.app
        .store
        .mark_email_failed(&letter.id, "550 no such mailbox", None)
        .expect("giving the invitation up");
    let asked = s
        .sec
        .request_reissue(&s.assembly, "P4", "邮件无法送达")
        .await;
    let paper = s.sec2.confirm_reissue(&asked).await.expect(200);
    assert_eq!(paper["emailed"], false);
    let code = paper["code"].as_str().expect("the paper code");
    assert!(s.signs_in(code).await);
    assert!(!s.signs_in(&codes["P4"]).await);
    assert_eq!(
        s.invitations("P4").len(),
        1,
        "no new letter to a dead address"
    );
    let sec2_id = s.user_id(&s.sec2).await;
    assert!(
        s.audited("code.printed")
            .iter()
            .any(|(_, d)| d["voter"] == "P4" && d["shown_to"] == sec2_id.as_str())
    );
    // P1's invitation was not given up: their new code goes by e-mail only.
    let asked = s.sec.request_reissue(&s.assembly, "P1", "表决票遗失").await;
    let mailed = s.sec2.confirm_reissue(&asked).await.expect(200);
    assert_eq!(mailed["emailed"], true);
    assert!(mailed["code"].is_null());
}

e2e!(
    a_code_emailed_to_its_owner_is_never_shown_to_staff,
    a_reissue_after_a_given_up_invitation_goes_on_paper,
    printing_shows_only_paper_codes_audited_and_shown_to_the_owner,
    a_reissue_changes_nothing_until_a_second_staff_member_confirms,
    the_reissue_pages_need_a_second_secretary,
);
