//! Issue 9, data protection: owners' names, phone numbers and e-mail addresses never appear in
//! the signed export or the announcement (names only masked, and only where the estate chose a
//! public roll); contact data goes at the next roster and after its retention period, and the
//! tally, the export and the announcement do not change when it does.

use chrono::{Duration, Utc};
use gongjue_api::retention::{self, Scope};
use gongjue_store::outbox::OutboxFilter;
use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{Assembly, Session, TestApp, TestDb, spawn_app};

const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,欧阳明华,13911110001,ouyang.minghua@example.com
,1,1,102,1,100.00,P2,司马青云,13911110002,
,1,1,201,2,120.00,P1,欧阳明华,13911110001,
,2,1,101,1,80.00,P4,诸葛长风,13911110004,zhuge.changfeng@example.com
,2,1,102,1,80.00,P5,上官晓月,13911110005,shangguan@example.com
";

/// Full names, phones and addresses of the roster.
fn contact_data() -> Vec<&'static str> {
    let mut all: Vec<&str> = ROSTER
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').skip(7))
        .filter(|c| !c.is_empty())
        .collect();
    all.sort_unstable();
    all.dedup();
    all
}

async fn text(s: &Session, path: &str) -> String {
    let r = s
        .http
        .get(format!("{}{path}", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.unwrap()
}

/// A closed assembly of one motion, voted by P1 and P4, its result final.
async fn finished(
    app: &TestApp,
    sec: &Session,
    estate: &str,
    public_roll: bool,
) -> (Assembly, String) {
    let assembly = sec
        .create_assembly_with(
            estate,
            true,
            json!({ "objection_days": 0, "public_roll": public_roll }),
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
    for voter in ["P1", "P4"] {
        app.owner(&assembly, &codes[voter])
            .await
            .vote(&assembly, &[(motion.as_str(), json!("yes"))])
            .await
            .expect(200);
    }
    sec.close_early(&assembly).await;
    sec.post(
        &format!("/api/v1/assemblies/{}/publication/final", assembly.id),
        json!({}),
    )
    .await
    .expect(200);
    (assembly, motion)
}

/// What an assembly publishes: export, signature, announcement (CSV, HTML), publication.
async fn published(sec: &Session, assembly: &Assembly, motion: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for path in [
        format!("/api/v1/items/{motion}/export"),
        format!("/api/v1/items/{motion}/export.jws"),
        format!("/api/v1/assemblies/{}/announcement.csv", assembly.id),
        format!("/api/v1/assemblies/{}/announcement.html", assembly.id),
        format!("/api/v1/assemblies/{}/publication", assembly.id),
    ] {
        let body = text(sec, &path).await;
        out.push((path, body));
    }
    out
}

async fn contact_data_stays_out_of_what_is_published_and_goes_when_due(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-privacy", Role::Secretary, &estate).await;
    sec.import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let (private, private_motion) = finished(&app, &sec, &estate, false).await;
    let (public, public_motion) = finished(&app, &sec, &estate, true).await;

    let before_private = published(&sec, &private, &private_motion).await;
    let before_public = published(&sec, &public, &public_motion).await;
    for (path, body) in before_private.iter().chain(&before_public) {
        for secret in contact_data() {
            assert!(!body.contains(secret), "{path} shows {secret}");
        }
    }
    // Masked names only where the estate chose a public roll.
    let masked = ["欧**华", "诸**风"];
    assert!(
        before_private
            .iter()
            .all(|(_, body)| masked.iter().all(|m| !body.contains(m))),
        "no names without a public roll"
    );
    let roll = before_public
        .iter()
        .find(|(p, _)| p.ends_with("announcement.html"))
        .unwrap();
    assert!(
        masked.iter().all(|m| roll.1.contains(m)),
        "the public roll masks names: {}",
        roll.1
    );

    // The announcements queued notices to the owners with an address; say the worker sent them.
    let queued = app
        .store
        .outbox(&OutboxFilter {
            estate_id: Some(estate.clone()),
            ..OutboxFilter::default()
        })
        .unwrap();
    assert!(
        queued.iter().any(|m| m.recipient.contains("example.com")),
        "notices went to the roster's addresses"
    );
    for m in &queued {
        app.store.mark_email_sent(&m.id).unwrap();
    }

    // A new roster without unit 2-1-102: its owner's contact data goes at once.
    let old_units = app.store.current_units(&estate).unwrap();
    let next: String = ROSTER
        .lines()
        .filter(|l| !l.contains(",2,1,102,"))
        .map(|l| format!("{l}\n"))
        .collect();
    sec.import_roster(&estate, next.as_bytes())
        .await
        .expect(200);
    assert!(
        old_units
            .iter()
            .all(|u| app.store.unit_contact(&u.id).unwrap().is_none()),
        "the superseded roster keeps no contact data"
    );
    assert_eq!(
        app.store.owner_contacts(&estate).unwrap().get("P5"),
        None,
        "P5 is no longer an owner on the roster"
    );

    // Within the period: kept; after it: erased, outbox included, audited with counts.
    let scope = Scope {
        days: 365,
        mail_dir: None,
        estate: None,
        dry_run: false,
        actor: "system",
    };
    assert!(
        retention::apply(&app.store, &scope, Utc::now() + Duration::days(364))
            .unwrap()
            .estates
            .is_empty()
    );
    assert!(
        app.store.owner_contacts(&estate).unwrap()["P1"]
            .email
            .is_some()
    );
    let outcome = retention::apply(&app.store, &scope, Utc::now() + Duration::days(366)).unwrap();
    assert_eq!(
        outcome
            .estates
            .iter()
            .map(|e| (e.contacts, e.messages))
            .collect::<Vec<_>>(),
        [(4, queued.len())]
    );
    assert!(
        app.store
            .owner_contacts(&estate)
            .unwrap()
            .values()
            .all(|c| c.name.is_none() && c.email.is_none())
    );
    let outbox = app
        .store
        .outbox(&OutboxFilter {
            estate_id: Some(estate.clone()),
            ..OutboxFilter::default()
        })
        .unwrap();
    for m in &outbox {
        for secret in contact_data() {
            assert!(
                !m.recipient.contains(secret) && !m.body_text.contains(secret),
                "message {} still holds {secret}",
                m.id
            );
        }
    }
    let audit = sec
        .get(&format!("/api/v1/estates/{estate}/audit"))
        .await
        .expect(200);
    let text_of_audit = audit.to_string();
    assert!(text_of_audit.contains("contacts.erased"), "{text_of_audit}");
    assert!(
        contact_data().iter().all(|s| !text_of_audit.contains(s)),
        "the audit log holds counts, not the data"
    );

    // The tally needs none of it: the export and the announcement are byte for byte the same
    // (but for the HTML's time of printing).
    let without_print_time = |all: Vec<(String, String)>| -> Vec<(String, String)> {
        all.into_iter()
            .map(|(p, body)| {
                (
                    p,
                    body.lines()
                        .filter(|l| !l.contains("class=\"footer\""))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
            })
            .collect()
    };
    assert_eq!(
        without_print_time(published(&sec, &private, &private_motion).await),
        without_print_time(before_private)
    );
    let result = sec
        .get(&format!("/api/v1/items/{private_motion}/result"))
        .await
        .expect(200);
    assert_eq!(result["choices"]["yes"]["heads"], 2, "{result}");
}

e2e!(contact_data_stays_out_of_what_is_published_and_goes_when_due);
