//! Trial estates (试用) and the estate's minimum notice (rules.md §6): a trial estate runs the
//! whole cycle in minutes and marks everything it produces 试用/TRIAL; a real one refuses a
//! notice shorter than its rules require for binding items.

use chrono::{SecondsFormat, Utc};
use gongjue_api::export::check::check;
use gongjue_store::assemblies::{ItemKind, NewAssembly, NewItem};
use gongjue_store::electorate::Scope;
use gongjue_store::outbox::OutboxFilter;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, Session, TestApp, TestDb, spawn_app};

const BANNER_ZH: &str = "试用/TRIAL：这是试用小区的演练";

/// Every owner has an address, so that every notice is an e-mail to look at.
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@trial.example.org
,1,1,102,1,100.00,P2,乙,,p2@trial.example.org
,2,1,101,1,80.00,P4,丁,,p4@trial.example.org
";

fn rfc(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A page (HTML) of the site, with the session of `session` in the cookie `cookie`.
async fn page(app: &TestApp, path: &str, cookie: &str, session: &Session) -> (u16, String) {
    let response = app
        .http
        .get(format!("{}{path}", app.base))
        .header("cookie", format!("{cookie}={}", session.token))
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.text().await.unwrap_or_default(),
    )
}

async fn raw(session: &Session, path: &str) -> (u16, Vec<u8>) {
    let response = session
        .http
        .get(format!("{}{path}", session.base))
        .bearer_auth(&session.token)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

/// An admin of a first estate, who creates the others over HTTP.
async fn admin(app: &TestApp) -> Session {
    let first = app.estate("管理处");
    app.staff("admin", Role::Admin, &first).await
}

async fn a_trial_estate_runs_to_final_publication_and_says_so_everywhere(db: TestDb) {
    let app = spawn_app(db).await;
    let admin = admin(&app).await;
    let estate = admin
        .post(
            "/api/v1/estates",
            json!({ "name": "试用花园", "trial": true }),
        )
        .await
        .expect(201);
    assert_eq!(
        (&estate["trial"], &estate["min_notice_days"]),
        (&json!(true), &json!(15))
    );
    let estate = estate["id"].as_str().unwrap().to_owned();
    let created = app.store.audit_entries(&estate, 0, 1).unwrap();
    assert_eq!(created[0].action, "estate.created");
    assert!(
        created[0].detail.contains("\"trial\":true"),
        "{}",
        created[0].detail
    );

    let sec = app.staff("sec-trial", Role::Secretary, &estate).await;
    let li = app.staff("li-trial", Role::Secretary, &estate).await;
    sec.import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    // No notice at all: voting opens a moment after the announcement.
    let opens = Utc::now() + chrono::Duration::milliseconds(1500);
    let created = sec
        .post(
            &format!("/api/v1/estates/{estate}/assemblies"),
            json!({ "title": "试运行大会", "opens_at": rfc(opens),
                    "closes_at": rfc(Utc::now() + chrono::Duration::hours(1)),
                    "notice_days": 0, "objection_minutes": 0 }),
        )
        .await
        .expect(201);
    let assembly = crate::helpers::Assembly {
        id: created["id"].as_str().unwrap().to_owned(),
        opens,
    };
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
        let owner = app.owner(&assembly, &codes[voter]).await;
        owner
            .vote(&assembly, &[(motion.as_str(), json!("yes"))])
            .await
            .expect(200);
    }
    let paper = sec
        .enter_paper(&assembly, &motion, "P2", json!("no"))
        .await
        .expect(201);
    li.post(
        &format!(
            "/api/v1/paper-ballots/{}/confirm",
            paper["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await
    .expect(200);

    // Pages, owners' and staff's, while voting runs.
    let owner = app.owner(&assembly, &codes["P1"]).await;
    for path in ["/ballot"] {
        let (status, html) = page(&app, path, "gj_owner", &owner).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(BANNER_ZH), "{path}: {html}");
    }
    for path in ["", "/notice", "/print", "/paper", "/proxies", "/notices"] {
        let path = format!("/staff/assemblies/{}{path}", assembly.id);
        let (status, html) = page(&app, &path, "gj_staff", &sec).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(BANNER_ZH), "{path}: {html}");
    }

    sec.close_early(&assembly).await;
    sec.post(
        &format!("/api/v1/assemblies/{}/publication/final", assembly.id),
        json!({}),
    )
    .await
    .expect(200);
    let (status, html) = page(&app, "/ballot/publication", "gj_owner", &owner).await;
    assert_eq!(status, 200);
    assert!(html.contains(BANNER_ZH), "{html}");
    let results = format!("/staff/assemblies/{}/results", assembly.id);
    assert!(
        page(&app, &results, "gj_staff", &sec)
            .await
            .1
            .contains(BANNER_ZH)
    );

    // The announcement: the banner first, in HTML and in the CSV's first row.
    let (_, csv) = raw(
        &sec,
        &format!("/api/v1/assemblies/{}/announcement.csv", assembly.id),
    )
    .await;
    let csv = String::from_utf8(csv).unwrap();
    let first = csv.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert!(first.starts_with(BANNER_ZH), "{csv}");
    let (_, html) = raw(
        &sec,
        &format!("/api/v1/assemblies/{}/announcement.html", assembly.id),
    )
    .await;
    assert!(String::from_utf8(html).unwrap().contains(BANNER_ZH));

    // The export: still a bundle every recount accepts, its title and its claims marked.
    let path = format!("/api/v1/items/{motion}/export");
    let (status, bundle) = raw(&sec, &path).await;
    assert_eq!(status, 200);
    let (_, jws) = raw(&sec, &format!("{path}.jws")).await;
    let jwks = app
        .anonymous()
        .get("/.well-known/jwks.json")
        .await
        .expect(200);
    let checked = check(&bundle, &String::from_utf8(jws).unwrap(), &jwks).unwrap();
    assert!(checked.trial && checked.claims.trial);
    assert_eq!(checked.claims.outcome.as_deref(), Some("passed"));
    let doc: Value = serde_json::from_slice(&bundle).unwrap();
    assert_eq!(doc["title"], "[试用/TRIAL] 续聘物业服务企业");
    let recount = gongjue_domain::bundle::read(&bundle).unwrap();
    assert_eq!(
        serde_json::to_value(recount.result()).unwrap(),
        doc["result"]
    );

    // Every e-mail: announcement, invitations, the paper ballot's warning.
    let mails = app
        .store
        .outbox(&OutboxFilter {
            assembly_id: Some(assembly.id.clone()),
            ..OutboxFilter::default()
        })
        .unwrap();
    assert!(
        mails.len() >= 7,
        "announcements, invitations, a warning: {}",
        mails.len()
    );
    for mail in &mails {
        assert!(
            mail.subject.starts_with("[试用/TRIAL] "),
            "{}",
            mail.subject
        );
        assert!(mail.body_text.starts_with(BANNER_ZH), "{}", mail.body_text);
        assert!(
            mail.body_html
                .as_deref()
                .unwrap_or_default()
                .contains(BANNER_ZH),
            "{:?}",
            mail.body_html
        );
    }
}

async fn a_trial_objection_period_runs_in_minutes(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("试用花园");
    let sec = app.staff("sec-minutes", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec
        .create_assembly_with(&estate, true, json!({ "objection_minutes": 3 }))
        .await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let owner = app.owner(&assembly, &codes["P1"]).await;
    owner
        .vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    sec.close_early(&assembly).await;
    let publication = sec
        .get(&format!("/api/v1/assemblies/{}/publication", assembly.id))
        .await
        .expect(200);
    let at =
        |k: &str| chrono::DateTime::parse_from_rfc3339(publication[k].as_str().unwrap()).unwrap();
    assert_eq!(
        at("objections_until") - at("preliminary_at"),
        chrono::Duration::minutes(3)
    );
    owner
        .post(
            &format!("/api/v1/assemblies/{}/objections", assembly.id),
            json!({ "item": motion, "text": "请核对" }),
        )
        .await
        .expect(201);
    sec.post(
        &format!("/api/v1/assemblies/{}/publication/final", assembly.id),
        json!({}),
    )
    .await
    .refused(409, "objection_period_running");
}

/// Creates an assembly of `estate` opening in 30 days, with `extra` fields.
async fn assembly_request(sec: &Session, estate: &str, extra: Value) -> crate::helpers::Reply {
    let mut body = json!({ "title": "大会", "opens_at": rfc(Utc::now() + chrono::Duration::days(30)),
                           "closes_at": rfc(Utc::now() + chrono::Duration::days(40)) });
    if let (Some(map), Value::Object(extra)) = (body.as_object_mut(), extra) {
        map.extend(extra);
    }
    sec.post(&format!("/api/v1/estates/{estate}/assemblies"), body)
        .await
}

async fn a_real_estate_needs_its_minimum_notice_for_binding_items(db: TestDb) {
    let app = spawn_app(db).await;
    let admin = admin(&app).await;
    for (body, field) in [
        (
            json!({ "name": "x", "min_notice_days": 0 }),
            "min_notice_days",
        ),
        (
            json!({ "name": "x", "min_notice_days": 366 }),
            "min_notice_days",
        ),
        (json!({ "name": " " }), "name"),
    ] {
        let refused = admin
            .post("/api/v1/estates", body)
            .await
            .refused(422, "invalid_value");
        assert_eq!(refused["error"]["field"], field);
    }
    let estate = admin
        .post(
            "/api/v1/estates",
            json!({ "name": "湖畔花园", "min_notice_days": 20 }),
        )
        .await
        .expect(201);
    assert_eq!(
        (&estate["trial"], &estate["min_notice_days"]),
        (&json!(false), &json!(20))
    );
    let estate = estate["id"].as_str().unwrap().to_owned();
    let sec = app.staff("sec-real", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let create = |extra: Value| assembly_request(&sec, &estate, extra);
    let items = |id: &Value| format!("/api/v1/assemblies/{}/items", id.as_str().unwrap());
    let motion = json!({ "kind": "motion", "title": "续聘", "matter": 4 });

    // The default is the estate's minimum, and a binding item is welcome then.
    let default = create(json!({})).await.expect(201);
    assert_eq!(default["notice_days"], 20);
    sec.post(&items(&default["id"]), motion.clone())
        .await
        .expect(201);

    // Shorter: a consultation alone may be, a motion or an election may not.
    let short = create(json!({ "notice_days": 19 })).await.expect(201);
    let consultation = json!({ "kind": "consultation", "title": "停车", "questions": [{ "id": "q1", "options": ["a", "b"] }] });
    sec.post(&items(&short["id"]), consultation)
        .await
        .expect(201);
    for item in [
        motion.clone(),
        json!({ "kind": "election", "title": "选举", "seats": 1, "candidates": ["甲"] }),
    ] {
        let refused = sec
            .post(&items(&short["id"]), item)
            .await
            .refused(422, "notice_below_minimum");
        assert_eq!(refused["error"]["field"], "notice_days");
    }
    let zero = create(json!({ "notice_days": 0 })).await.expect(201);
    sec.post(&items(&zero["id"]), motion.clone())
        .await
        .refused(422, "notice_below_minimum");

    // Periods in minutes are a trial estate's; numbers no period can hold are refused.
    let refused = create(json!({ "objection_minutes": 5 }))
        .await
        .refused(422, "trial_only");
    assert_eq!(refused["error"]["field"], "objection_minutes");
    let refused = create(json!({ "notice_days": 4_294_967_295_u64 }))
        .await
        .refused(422, "out_of_range");
    assert_eq!(refused["error"]["field"], "notice_days");

    // An assembly set up before the minimum applied (written straight to the store) cannot be
    // announced with a binding item either.
    let legacy = app
        .store
        .create_assembly(
            NewAssembly {
                estate_id: estate.clone(),
                title: "旧会议".into(),
                opens_at: gongjue_store::timestamp(Utc::now() + chrono::Duration::days(1)),
                closes_at: gongjue_store::timestamp(Utc::now() + chrono::Duration::days(2)),
                ballots_changeable: true,
                options: json!({ "notice_days": 0 }),
            },
            "e2e",
        )
        .unwrap();
    app.store
        .add_item(
            &legacy.id,
            NewItem {
                kind: ItemKind::Motion,
                title: "续聘".into(),
                body: String::new(),
                matter: Some(4),
                rule: json!("ordinary"),
                scope: Scope::Estate,
                definition: json!({}),
            },
            "e2e",
        )
        .unwrap();
    let refused = sec
        .post(
            &format!("/api/v1/assemblies/{}/announce", legacy.id),
            json!({}),
        )
        .await
        .refused(422, "notice_below_minimum");
    assert_eq!(refused["error"]["field"], "notice_days");

    // And a real estate's pages carry no trial banner.
    let dashboard = format!("/staff/assemblies/{}", default["id"].as_str().unwrap());
    let (status, html) = page(&app, &dashboard, "gj_staff", &sec).await;
    assert_eq!(status, 200);
    assert!(!html.contains(BANNER_ZH), "{html}");
}

e2e!(
    a_trial_estate_runs_to_final_publication_and_says_so_everywhere,
    a_trial_objection_period_runs_in_minutes,
    a_real_estate_needs_its_minimum_notice_for_binding_items,
);
