//! Notices by e-mail, end to end: the real server, the outbox worker and a real SMTP server on
//! loopback. Each event queues its notices; the worker delivers them; a relay that is down,
//! a worker killed between send and mark, and a relay that never comes back are survived.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::time::Duration;

use chrono::Utc;
use gongjue_api::mail::settings::{MailArgs, MailFile};
use gongjue_store::outbox::{NewEmail, OutboxFilter, SCRUBBED_BODY};
use gongjue_store::timestamp;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{TestApp, TestDb, spawn_app};
use crate::smtp::{eventually, fast, free_port, smtp_settings, start_smtp, start_worker};

/// P1 (two units) and P2 read Chinese, P4 prefers English, P5 has no address (paper round).
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@lakeside.example.org
,1,1,102,1,100.00,P2,乙,,p2@lakeside.example.org
,1,1,201,2,120.00,P1,甲,,
,2,1,101,1,80.00,P4,Dana,,p4@lakeside.example.org
,2,1,102,1,80.00,P5,戊,,
";

const P1: &str = "p1@lakeside.example.org";
const P2: &str = "p2@lakeside.example.org";
const P4: &str = "p4@lakeside.example.org";

fn outbox(app: &TestApp, assembly: &str) -> Vec<gongjue_store::outbox::OutboxEmail> {
    app.store
        .outbox(&OutboxFilter {
            assembly_id: Some(assembly.into()),
            ..OutboxFilter::default()
        })
        .expect("outbox")
}

async fn an_assembly_notifies_owners_from_announcement_to_results(db: TestDb) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding");
    let port = listener.local_addr().expect("address").port();
    let inbox = start_smtp(listener);
    let app = spawn_app(db).await;
    start_worker(&app.store, &smtp_settings(port));
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-mail", Role::Secretary, &estate).await;
    let second = app.staff("sec-mail-2", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    app.store
        .set_notice_language(&estate, Some("P4"), "en")
        .expect("language");
    let assembly = secretary.create_assembly(&estate, true).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;

    // Announcing: one announcement per owner with an address, in their language.
    secretary.announce(&assembly).await;
    let arrived = inbox
        .until("three announcements", |all| all.len() >= 3)
        .await;
    let mut recipients: Vec<&str> = arrived
        .iter()
        .flat_map(|m| m.to.iter().map(String::as_str))
        .collect();
    recipients.sort_unstable();
    assert_eq!(recipients, [P1, P2, P4]);
    let to_p1 = inbox.to(P1).pop().expect("P1's announcement");
    assert_eq!(
        to_p1.subject(),
        // The tests' estates are trial estates (they open voting at once): every subject says so.
        "[试用/TRIAL] 【湖畔花园】2026年第一次业主大会会议：业主大会会议公告"
    );
    assert!(
        to_p1.text().contains("续聘物业服务企业") && to_p1.text().contains("投票截止"),
        "{}",
        to_p1.text()
    );
    assert!(to_p1.header("From").contains("notice@lakeside.example.org"));
    let to_p4 = inbox.to(P4).pop().expect("P4's announcement");
    assert_eq!(
        to_p4.subject(),
        "[TRIAL/试用] Notice of the owners' assembly: 2026年第一次业主大会会议 (湖畔花园)"
    );
    assert!(
        to_p4.text().contains("Dear Dana,")
            && to_p4.html().contains("<li>续聘物业服务企业 (motion)</li>"),
        "{}",
        to_p4.html()
    );
    let paper = secretary
        .get(&format!("/api/v1/assemblies/{}/paper-round", assembly.id))
        .await
        .expect(200);
    assert_eq!(
        paper,
        json!([{ "owner_id": "P5", "name": "戊", "units": ["2-1-102"] }])
    );

    // Issuing codes: one invitation each, with the owner's own link and code; P5 on paper.
    secretary.open(&assembly).await;
    let issued = secretary
        .post(
            &format!("/api/v1/assemblies/{}/codes", assembly.id),
            json!({}),
        )
        .await
        .expect(201);
    let code_of = |voter: &str| {
        issued
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["voter"] == voter)
            .unwrap()
            .clone()
    };
    assert_eq!(code_of("P5")["emailed"], false);
    assert!(
        code_of("P5")["code"].is_string(),
        "P5's code must be printed"
    );
    // A code that goes to the owner's own address is never shown to the staff.
    for voter in ["P1", "P2", "P4"] {
        assert_eq!(code_of(voter)["emailed"], true);
        assert!(code_of(voter)["code"].is_null(), "{}", code_of(voter));
    }
    inbox.until("three invitations", |all| all.len() >= 6).await;
    let mut mailed: BTreeMap<&str, String> = BTreeMap::new();
    for (voter, address) in [("P1", P1), ("P2", P2), ("P4", P4)] {
        let invitation = inbox
            .to(address)
            .into_iter()
            .find(|m| m.text().contains("/v/"))
            .unwrap_or_else(|| panic!("{voter}'s invitation"));
        let code = crate::helpers::code_in(&invitation.text()).expect("a code in the link");
        let link = format!("http://127.0.0.1:8080/v/{code}");
        assert!(
            invitation.text().contains(&link)
                && invitation.html().contains(&format!("href=\"{link}\"")),
            "{}",
            invitation.html()
        );
        mailed.insert(voter, code);
    }
    // Each invitation holds its owner's own code, and nobody else's.
    let codes: BTreeSet<&String> = mailed.values().collect();
    assert_eq!(codes.len(), 3, "three different codes: {mailed:?}");
    // Once sent, no code stays readable in the outbox.
    let sent_invitations: Vec<_> = eventually("invitations marked sent", || {
        let rows: Vec<_> = outbox(&app, &assembly.id)
            .into_iter()
            .filter(|e| e.kind == "invitation")
            .collect();
        rows.iter().all(|e| e.status == "sent").then_some(rows)
    })
    .await;
    assert!(
        sent_invitations
            .iter()
            .all(|e| e.body_text == SCRUBBED_BODY && e.body_html.is_none())
    );

    // P1 votes; the reminder round reaches P2 and P4 only, and P5 is listed for paper.
    let p1 = app.owner(&assembly, &mailed["P1"]).await;
    let cast = p1
        .vote(&assembly, &[(&motion, json!("yes"))])
        .await
        .expect(200);
    // P1's own web ballot is told to P1, with its receipt (someone else may have used the code).
    let told = inbox
        .until("P1's ballot notice", |all| all.len() >= 7)
        .await;
    let told = told
        .iter()
        .find(|m| m.to == [P1] && m.subject().contains("已为您登记选票"))
        .expect("P1's notice");
    let receipt = cast[0]["receipt"].as_str().unwrap().to_uppercase();
    assert_eq!(told.to, [P1]);
    assert!(
        told.subject().contains("已为您登记选票")
            && told.text().contains("网上投票")
            && told.text().contains(&format!(
                "回执号 {}-{}-{}",
                &receipt[0..4],
                &receipt[4..8],
                &receipt[8..12]
            )),
        "{}",
        told.text()
    );
    let round = secretary
        .post(
            &format!("/api/v1/assemblies/{}/reminders", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        (round["queued"].as_u64(), round["emailed"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(
        round["paper_round"],
        json!([{ "owner_id": "P5", "name": "戊", "units": ["2-1-102"] }])
    );
    let again = secretary
        .post(
            &format!("/api/v1/assemblies/{}/reminders", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(
        again["queued"], 0,
        "the same day's round queues nothing twice"
    );
    inbox.until("two reminders", |all| all.len() >= 9).await;
    let reminded: Vec<String> = inbox
        .all()
        .iter()
        .filter(|m| m.subject().contains("投票提醒") || m.subject().contains("Reminder"))
        .flat_map(|m| m.to.clone())
        .collect();
    assert_eq!(reminded.len(), 2);
    assert!(
        reminded.contains(&P2.to_owned()) && reminded.contains(&P4.to_owned()),
        "{reminded:?}"
    );

    // A confirmed paper ballot for P2 warns P2.
    let paper_ballot = secretary
        .enter_paper(&assembly, &motion, "P2", json!("no"))
        .await
        .expect(201);
    assert!(
        outbox(&app, &assembly.id)
            .iter()
            .all(|e| e.kind != "ballot_recorded" || e.voter.as_deref() != Some("P2")),
        "not before it is confirmed"
    );
    second
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper_ballot["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    let warning = inbox
        .until("the paper ballot's confirmation", |all| all.len() >= 10)
        .await
        .pop()
        .expect("a message");
    assert_eq!(warning.to, [P2]);
    assert!(
        warning.subject().contains("已为您登记选票")
            && warning.text().contains("纸质选票")
            && warning.text().contains("续聘物业服务企业"),
        "{}",
        warning.text()
    );

    // Results: not before closing; after it, each member with an address gets the outcome.
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/results/publish", assembly.id),
            json!({}),
        )
        .await
        .refused(409, "result_before_closing");
    secretary.close_early(&assembly).await;
    let published = secretary
        .post(
            &format!("/api/v1/assemblies/{}/results/publish", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(published["queued"], 3);
    let all = inbox.until("three results", |all| all.len() >= 13).await;
    let results: Vec<_> = all
        .iter()
        .filter(|m| m.subject().contains("表决结果公告") || m.subject().contains("Results"))
        .collect();
    assert_eq!(results.len(), 3);
    let english = results.iter().find(|m| m.to == [P4]).expect("P4's result");
    // P1 and P2 took part: 2 of 4 heads is below two thirds, so the motion has no quorum.
    assert!(
        english
            .text()
            .contains("1. 续聘物业服务企业 (motion): the quorum was not reached"),
        "{}",
        english.text()
    );
    let chinese = results.iter().find(|m| m.to == [P1]).expect("P1's result");
    assert!(
        chinese.text().contains("参与表决未达法定比例，不成立")
            && chinese.text().contains("参与表决：2/4 人"),
        "{}",
        chinese.text()
    );
    assert!(
        english.text().contains("took part: 2 of 4 owners"),
        "{}",
        english.text()
    );

    // The outbox route: everything sent, nothing failed, no bodies.
    eventually("every message marked sent", || {
        outbox(&app, &assembly.id)
            .iter()
            .all(|e| e.status == "sent")
            .then_some(())
    })
    .await;
    let listed = secretary
        .get(&format!(
            "/api/v1/estates/{estate}/outbox?assembly={}",
            assembly.id
        ))
        .await
        .expect(200);
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 13);
    assert!(
        listed
            .iter()
            .all(|e| e["status"] == "sent" && e["attempts"] == 1 && e.get("body_text").is_none()),
        "{listed:?}"
    );
    assert_eq!(
        secretary
            .get(&format!("/api/v1/estates/{estate}/outbox?status=failed"))
            .await
            .expect(200),
        json!([])
    );
    secretary
        .get(&format!("/api/v1/estates/{estate}/outbox?status=lost"))
        .await
        .refused(422, "invalid_value");
    // Another estate's secretary sees none of it.
    let other = app.estate("别的小区");
    let outsider = app.staff("sec-other", Role::Secretary, &other).await;
    outsider
        .get(&format!("/api/v1/estates/{estate}/outbox"))
        .await
        .refused(403, "other_estate");
    outsider
        .post(
            &format!("/api/v1/assemblies/{}/reminders", assembly.id),
            json!({}),
        )
        .await
        .refused(403, "other_estate");
}

async fn a_proxy_ballot_warns_the_member(db: TestDb) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding");
    let port = listener.local_addr().expect("address").port();
    let inbox = start_smtp(listener);
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-proxy", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    app.store
        .set_notice_language(&estate, Some("P4"), "en")
        .expect("language");
    let assembly = secretary.create_assembly(&estate, true).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/proxies", assembly.id),
            json!({ "member": "P4", "holder": "P1", "document_ref": "委托书-001" }),
        )
        .await
        .expect(201);
    let holder = app.owner(&assembly, &codes["P1"]).await;
    holder
        .vote_for(&assembly, "P4", &motion, json!("yes"))
        .await
        .expect(200);
    // The worker starts late: everything queued so far waited in the outbox.
    start_worker(&app.store, &smtp_settings(port));
    let all = inbox
        .until("announcements, invitations and the proxy warning", |all| {
            all.len() >= 7
        })
        .await;
    let warnings: Vec<_> = all
        .iter()
        .filter(|m| {
            m.subject()
                .starts_with("[TRIAL/试用] A ballot was recorded for you")
        })
        .collect();
    assert_eq!(
        warnings.len(),
        1,
        "{:?}",
        all.iter().map(|m| m.subject()).collect::<Vec<_>>()
    );
    assert_eq!(warnings[0].to, [P4]);
    assert!(
        warnings[0].text().contains("a ballot cast by your proxy"),
        "{}",
        warnings[0].text()
    );
}

fn notice(estate: &str, key: &str, recipient: &str) -> NewEmail {
    NewEmail {
        estate_id: Some(estate.into()),
        dedupe_key: key.into(),
        recipient: recipient.into(),
        subject: "业主大会会议公告".into(),
        body_text: "请于12月27日前投票。".into(),
        body_html: Some("<p>请于12月27日前投票。</p>".into()),
        kind: "announcement".into(),
        ..NewEmail::default()
    }
}

async fn mail_waits_for_a_relay_that_is_down(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let port = free_port();
    start_worker(&app.store, &smtp_settings(port));
    let (queued, _) = app
        .store
        .enqueue_email(notice(&estate, "down:1", P1))
        .expect("queued");
    // Nothing listens: the message stays pending, with its attempts and the error recorded.
    let waiting = eventually("two failed attempts", || {
        app.store.email(&queued.id).ok().filter(|e| e.attempts >= 2)
    })
    .await;
    assert_eq!(waiting.status, "pending");
    assert!(
        waiting.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "{waiting:?}"
    );
    // The relay comes up on that port: the message arrives, once, and is marked sent.
    let inbox =
        start_smtp(TcpListener::bind(("127.0.0.1", port)).expect("the relay's port is free again"));
    let arrived = inbox
        .until("the waiting message", |all| !all.is_empty())
        .await;
    assert_eq!(arrived[0].to, [P1]);
    assert_eq!(arrived[0].subject(), "业主大会会议公告");
    let sent = eventually("marked sent", || {
        app.store
            .email(&queued.id)
            .ok()
            .filter(|e| e.status == "sent")
    })
    .await;
    assert!(sent.last_error.is_none() && sent.sent_at.is_some());
    tokio::time::sleep(Duration::from_millis(300)).await; // several more polls of the worker
    assert_eq!(inbox.all().len(), 1, "a sent message is not sent again");
}

async fn a_worker_killed_before_marking_leaves_the_mail_to_its_lease(db: TestDb) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding");
    let port = listener.local_addr().expect("address").port();
    let inbox = start_smtp(listener);
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let (queued, _) = app
        .store
        .enqueue_email(notice(&estate, "killed:1", P2))
        .expect("queued");
    // A worker claims the message and dies before marking it: its lease holds the message.
    let lease_until = Utc::now() + chrono::Duration::seconds(2);
    let claimed = app
        .store
        .claim_due_emails(&timestamp(lease_until), 10)
        .expect("claim");
    assert_eq!(claimed.len(), 1);
    drop(claimed);
    let _worker = start_worker(&app.store, &smtp_settings(port));
    let arrived = inbox
        .until("the message after its lease", |all| !all.is_empty())
        .await;
    assert!(
        Utc::now() >= lease_until,
        "not taken from its first worker while the lease held"
    );
    assert_eq!(arrived[0].to, [P2]);
    assert!(
        arrived[0].header("Message-ID").contains(&queued.id),
        "the Message-ID names the outbox row: a second send is the same message"
    );
    let sent = eventually("marked sent", || {
        app.store
            .email(&queued.id)
            .ok()
            .filter(|e| e.status == "sent")
    })
    .await;
    assert_eq!(sent.attempts, 2);
}

async fn mail_is_given_up_and_shown_as_failed(db: TestDb) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding");
    let live = listener.local_addr().expect("address").port();
    let _inbox = start_smtp(listener);
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-failed", Role::Secretary, &estate).await;
    // A relay that never comes back, with a give-up age of a second.
    let mut settings = smtp_settings(free_port());
    settings.timing.give_up_after = Duration::from_secs(1);
    // A short lease: aborting this worker can leave a claim it started on the blocking pool
    // (which an abort does not stop) holding the next message; it must come due again soon.
    settings.timing.lease = Duration::from_secs(2);
    let dead_relay = start_worker(&app.store, &settings);
    let (lost, _) = app
        .store
        .enqueue_email(notice(&estate, "lost:1", P1))
        .expect("queued");
    let failed = eventually("given up", || {
        app.store
            .email(&lost.id)
            .ok()
            .filter(|e| e.status == "failed")
    })
    .await;
    assert!(failed.attempts >= 2, "retried before giving up: {failed:?}");
    let listed = secretary
        .get(&format!("/api/v1/estates/{estate}/outbox?status=failed"))
        .await
        .expect(200);
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], Value::from(lost.id.clone()));
    assert!(
        listed[0]["last_error"]
            .as_str()
            .is_some_and(|e| e.starts_with("gave up after")),
        "{listed}"
    );
    // A relay that refuses the address (550) is not retried.
    dead_relay.abort();
    let _ = dead_relay.await;
    start_worker(&app.store, &smtp_settings(live));
    let (refused, _) = app
        .store
        .enqueue_email(notice(&estate, "refused:1", "nobody@refused.example.org"))
        .expect("queued");
    let refused = eventually("refused", || {
        app.store
            .email(&refused.id)
            .ok()
            .filter(|e| e.status == "failed")
    })
    .await;
    // One delivery attempt; a second claim only if the aborted worker's last claim took the
    // message first and let its lease run out (it never reached the relay).
    assert!(refused.attempts <= 2, "{refused:?}");
    assert!(
        refused
            .last_error
            .as_deref()
            .is_some_and(|e| e.starts_with("refused permanently")),
        "{refused:?}"
    );
}

async fn the_file_transport_writes_readable_eml_files(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let dir =
        std::env::temp_dir().join(format!("gongjue-outbox-{}", uuid::Uuid::now_v7().simple()));
    let args = MailArgs {
        mail_dir: Some(dir.clone()),
        ..MailArgs::default()
    };
    start_worker(
        &app.store,
        &fast(args.resolve(MailFile::default(), None).expect("settings")),
    );
    let (queued, _) = app
        .store
        .enqueue_email(notice(&estate, "file:1", P4))
        .expect("queued");
    eventually("marked sent", || {
        app.store
            .email(&queued.id)
            .ok()
            .filter(|e| e.status == "sent")
    })
    .await;
    let files: Vec<_> = std::fs::read_dir(&dir)
        .expect("the outbox directory")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    let eml: Vec<_> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(eml.len(), 1, "{files:?}");
    let raw = std::fs::read(eml[0]).expect("reading the .eml");
    let parsed = mailparse::parse_mail(&raw).expect("a parsable message");
    assert_eq!(
        parsed
            .headers
            .iter()
            .find(|h| h.get_key() == "Subject")
            .map(|h| h.get_value())
            .as_deref(),
        Some("业主大会会议公告")
    );
    assert!(
        parsed
            .headers
            .iter()
            .any(|h| h.get_key() == "To" && h.get_value().contains(P4))
    );
    let text = parsed
        .subparts
        .iter()
        .find(|p| p.ctype.mimetype == "text/plain")
        .and_then(|p| p.get_body().ok())
        .unwrap_or_default();
    assert_eq!(text.trim_end(), "请于12月27日前投票。");
    let _ = std::fs::remove_dir_all(dir);
}

async fn a_notice_can_be_previewed_in_either_language(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-preview", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    let base = format!("/api/v1/assemblies/{}/notices/preview", assembly.id);
    let zh = secretary
        .get(&format!("{base}?kind=invitation&member=P2"))
        .await
        .expect(200);
    assert_eq!(
        (zh["language"].as_str(), zh["recipient"].as_str()),
        (Some("zh-CN"), Some(P2))
    );
    assert!(
        zh["subject"].as_str().unwrap().contains("投票码")
            && zh["text"].as_str().unwrap().contains("/v/ABCD-EFGH-JKMN")
    );
    // The estate's default language, then one owner's own preference over it.
    let language = format!("/api/v1/estates/{estate}/notice-language");
    secretary
        .put(&language, json!({ "language": "en" }))
        .await
        .expect(204);
    secretary
        .put(&language, json!({ "owner_id": "P1", "language": "zh-CN" }))
        .await
        .expect(204);
    secretary
        .put(&language, json!({ "owner_id": "P9", "language": "en" }))
        .await
        .refused(422, "invalid_value");
    secretary
        .put(&language, json!({ "language": "fr" }))
        .await
        .refused(422, "invalid_value");
    let p2 = secretary
        .get(&format!("{base}?kind=announcement&member=P2"))
        .await
        .expect(200);
    let p1 = secretary
        .get(&format!("{base}?kind=announcement&member=P1"))
        .await
        .expect(200);
    assert_eq!(
        (p2["language"].as_str(), p1["language"].as_str()),
        (Some("en"), Some("zh-CN"))
    );
    assert!(
        p2["subject"]
            .as_str()
            .unwrap()
            .starts_with("[TRIAL/试用] Notice of the owners' assembly")
    );
    let en = secretary
        .get(&format!("{base}?kind=announcement&member=P5&lang=en"))
        .await
        .expect(200);
    assert_eq!(en["recipient"], Value::Null, "P5 has no address");
    assert!(en["html"].as_str().unwrap().contains("Agenda"), "{en}");
    secretary
        .get(&format!("{base}?kind=result&member=P1"))
        .await
        .refused(409, "result_before_closing");
    secretary
        .get(&format!("{base}?kind=invitation&member=P9"))
        .await
        .refused(422, "invalid_value");
    secretary
        .get(&format!("{base}?kind=telegram&member=P1"))
        .await
        .refused(422, "invalid_value");
    assert!(
        outbox(&app, &assembly.id).is_empty(),
        "a preview queues nothing"
    );
}

async fn a_malformed_address_is_refused_on_import_naming_its_line(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-import", Role::Secretary, &estate).await;
    let roster = ROSTER
        .replace("p2@lakeside.example.org", "p2@lakeside")
        .replace("p4@lakeside.example.org", "Dana <p4@lakeside.example.org>");
    let refused = secretary
        .import_roster(&estate, roster.as_bytes())
        .await
        .refused(422, "roster_invalid");
    let lines: Vec<u64> = refused["error"]["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["line"].as_u64())
        .collect();
    assert_eq!(lines, [3, 5], "{refused}");
}

async fn a_scheduled_round_reminds_once(db: TestDb) {
    use diesel::RunQueryDsl;
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-schedule", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    app.owner(&assembly, &codes["P2"])
        .await
        .vote(&assembly, &[(&motion, json!("no"))])
        .await
        .expect(200);
    let hours = [1];
    // Voting closes in two hours: the one-hour round is not due yet.
    let closes = |at: chrono::DateTime<Utc>| {
        let mut conn = app.store.connection().expect("connection");
        diesel::sql_query(format!(
            "UPDATE assemblies SET closes_at = '{}' WHERE id = '{}'",
            timestamp(at),
            assembly.id
        ))
        .execute(&mut *conn)
        .expect("moving the close");
        diesel::sql_query(format!(
            "UPDATE items SET electorate_frozen_at = '{}' WHERE assembly_id = '{}'",
            timestamp(Utc::now() - chrono::Duration::hours(3)),
            assembly.id
        ))
        .execute(&mut *conn)
        .expect("moving the opening");
    };
    closes(Utc::now() + chrono::Duration::hours(2));
    let run = |app: &TestApp| {
        gongjue_api::mail::schedule::run_once(&app.store, "https://vote.example.org", &hours)
            .expect("a scheduled look")
    };
    assert_eq!(run(&app), 0);
    // Half an hour before closing it is: P1 and P4 (not P2, who voted) are reminded, once.
    closes(Utc::now() + chrono::Duration::minutes(30));
    assert_eq!(run(&app), 2);
    assert_eq!(run(&app), 0, "a round is sent once");
    let reminded: Vec<String> = outbox(&app, &assembly.id)
        .into_iter()
        .filter(|e| e.kind == "reminder")
        .filter_map(|e| e.voter)
        .collect();
    assert_eq!(reminded, ["P1", "P4"]);
    let rounds = secretary
        .get(&format!(
            "/api/v1/estates/{estate}/audit?after=0&limit=1000"
        ))
        .await
        .expect(200);
    let audited = rounds
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "notices.reminder")
        .count();
    assert_eq!(audited, 1, "one audited round, not one per look");
}

e2e!(
    a_scheduled_round_reminds_once,
    an_assembly_notifies_owners_from_announcement_to_results,
    a_proxy_ballot_warns_the_member,
    mail_waits_for_a_relay_that_is_down,
    a_worker_killed_before_marking_leaves_the_mail_to_its_lease,
    mail_is_given_up_and_shown_as_failed,
    the_file_transport_writes_readable_eml_files,
    a_notice_can_be_previewed_in_either_language,
    a_malformed_address_is_refused_on_import_naming_its_line,
);
