//! Issue 15 item 6, "Finding things again": the lists a client comes back to, whoami,
//! sign-out and refresh (the token really stops working), editing the sheet of a draft,
//! cancelling, and pages of long lists.

use chrono::Utc;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, Session, TestDb, small_open_assembly, spawn_app};
use crate::security::{forge, token_key};

/// A GET with the status, the JSON body and the paging headers.
async fn get_page(who: &Session, path: &str) -> (u16, Value, Option<i64>, Option<i64>) {
    let response = who
        .http
        .get(format!("{}{path}", who.base))
        .bearer_auth(&who.token)
        .send()
        .await
        .expect("sending");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<i64>().ok())
    };
    let (total, next) = (header("x-total-count"), header("x-next-offset"));
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, total, next)
}

fn ids(list: &Value, field: &str) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|v| v[field].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn a_client_finds_its_estates_assemblies_items_and_records(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let sec = &s.secretary;
    let second = s.app.staff("sec-two", Role::Secretary, &s.estate).await;
    let auditor = s.app.staff("aud", Role::Auditor, &s.estate).await;

    // The caller's estates, with the roles held.
    let estates = sec.get("/api/v1/estates").await.expect(200);
    assert_eq!(ids(&estates, "estate_id"), vec![s.estate.clone()]);
    assert_eq!(estates[0]["name"], "小区甲");
    assert_eq!(estates[0]["roles"], json!(["secretary"]));

    // The estate's assemblies, newest first, a draft among them.
    let draft = sec.create_assembly(&s.estate, true).await;
    let list = auditor
        .get(&format!("/api/v1/estates/{}/assemblies", s.estate))
        .await
        .expect(200);
    assert_eq!(
        ids(&list, "id"),
        vec![draft.id.clone(), s.assembly.id.clone()]
    );
    assert_eq!(list[0]["state"], "draft");
    assert_eq!(list[1]["state"], "open");
    assert_eq!(list[1]["items"], 1);

    // Items of an assembly and one item, for staff and for the assembly's owner.
    let owner = s.app.owner(&s.assembly, &s.codes["P4"]).await;
    for who in [sec, &owner] {
        let items = who
            .get(&format!("/api/v1/assemblies/{}/items", s.assembly.id))
            .await
            .expect(200);
        assert_eq!(ids(&items, "id"), vec![s.motion.clone()]);
        let item = who
            .get(&format!("/api/v1/items/{}", s.motion))
            .await
            .expect(200);
        assert_eq!(item["title"], "续聘物业服务企业");
        assert_eq!(item["position"], 1);
    }
    // The owner's token is for its assembly only.
    owner
        .get(&format!("/api/v1/assemblies/{}/items", draft.id))
        .await
        .refused(403, "forbidden");
    sec.get("/api/v1/items/no-such-item")
        .await
        .refused(404, "not_found");

    // Roster versions, oldest first.
    sec.import_roster(&s.estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let versions = auditor
        .get(&format!("/api/v1/estates/{}/roster-versions", s.estate))
        .await
        .expect(200);
    let numbers: Vec<i64> = versions
        .as_array()
        .expect("list")
        .iter()
        .map(|v| v["version"].as_i64().unwrap_or_default())
        .collect();
    assert_eq!(numbers, vec![1, 2]);
    assert_eq!(versions[0]["units"], 5);
    assert_eq!(versions[0]["total_area"], "480.00");
    assert_eq!(versions[1]["source_name"], "roster.csv");

    // Proxies and transfers as recorded.
    let proxies_path = format!("/api/v1/assemblies/{}/proxies", s.assembly.id);
    assert_eq!(sec.get(&proxies_path).await.expect(200), json!([]));
    let proxy = sec
        .post(
            &proxies_path,
            json!({ "member": "P2", "holder": "P1", "document_ref": "委托书 L-1" }),
        )
        .await
        .expect(201);
    let proxies = auditor.get(&proxies_path).await.expect(200);
    assert_eq!(
        ids(&proxies, "id"),
        vec![proxy["id"].as_str().unwrap().to_owned()]
    );
    assert_eq!(proxies[0]["holder"], "P1");
    let transfers_path = format!("/api/v1/assemblies/{}/transfers", s.assembly.id);
    sec.post(
        &transfers_path,
        json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": "不动产权证书 L-2" }),
    )
    .await
    .expect(201);
    let transfers = auditor.get(&transfers_path).await.expect(200);
    assert_eq!(transfers.as_array().map(Vec::len), Some(1));
    assert_eq!(transfers[0]["from_voter"], "P5");
    assert_eq!(transfers[0]["to_voter"], "P9");

    // Paper ballots waiting for a second person: listed until confirmed.
    let pending_path = format!("/api/v1/assemblies/{}/paper-ballots", s.assembly.id);
    assert_eq!(sec.get(&pending_path).await.expect(200), json!([]));
    let paper = sec
        .enter_paper(&s.assembly, &s.motion, "P4", json!("yes"))
        .await
        .expect(201);
    let pending = second.get(&pending_path).await.expect(200);
    assert_eq!(
        ids(&pending, "id"),
        vec![paper["id"].as_str().unwrap().to_owned()]
    );
    assert_eq!(pending[0]["voter"], "P4");
    assert_eq!(pending[0]["choice"], "yes");
    second
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(sec.get(&pending_path).await.expect(200), json!([]));
}

/// The claims of a real token, to forge a variant signed the server's way.
fn claims_of(token: &str) -> Value {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .expect("base64"),
    )
    .expect("JSON")
}

async fn signing_out_and_refreshing_end_the_old_token(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let estate_path = format!("/api/v1/estates/{}/units", s.estate);

    // whoami, staff and owner.
    let me = s
        .secretary
        .get("/api/v1/sessions/current")
        .await
        .expect(200);
    assert_eq!(me["kind"], "staff");
    assert_eq!(me["role"], "secretary");
    assert_eq!(me["login"], "sec-small");
    assert_eq!(me["estate_id"], json!(s.estate));
    assert_eq!(me["estate_name"], "小区甲");
    assert_eq!(me["estates"][0]["roles"], json!(["secretary"]));
    let owner = s.app.owner(&s.assembly, &s.codes["P4"]).await;
    let me = owner.get("/api/v1/sessions/current").await.expect(200);
    assert_eq!(
        (&me["kind"], &me["role"], &me["voter"], &me["assembly_id"]),
        (
            &json!("owner"),
            &json!("owner"),
            &json!("P4"),
            &json!(s.assembly.id)
        )
    );
    s.app
        .anonymous()
        .get("/api/v1/sessions/current")
        .await
        .refused(401, "unauthenticated");

    // A refresh gives a new token that works; the one sent stops working.
    let old = s.secretary.clone();
    let refreshed = old
        .post("/api/v1/sessions/current/refresh", json!({}))
        .await
        .expect(200);
    assert_eq!(refreshed["role"], "secretary");
    assert_eq!(refreshed["expires_in"], 1800);
    let new = Session {
        token: refreshed["token"].as_str().expect("token").to_owned(),
        ..old.clone()
    };
    new.get(&estate_path).await.expect(200);
    old.get(&estate_path).await.refused(401, "bad_token");
    // The refreshed session keeps the time of its sign-in.
    assert_eq!(
        claims_of(&new.token)["auth_time"],
        claims_of(&old.token)["auth_time"]
    );

    // Signing out ends this session only: another sign-in of the same user still works.
    let other_device = {
        let body = s
            .app
            .anonymous()
            .post(
                "/api/v1/sessions",
                json!({ "login": "sec-small", "password": "sec-small-password-long-enough" }),
            )
            .await
            .expect(200);
        Session {
            token: body["token"].as_str().expect("token").to_owned(),
            ..s.app.anonymous()
        }
    };
    let deleted = new
        .call(reqwest::Method::DELETE, "/api/v1/sessions/current", None)
        .await;
    assert_eq!(deleted.status, 204);
    new.get(&estate_path).await.refused(401, "bad_token");
    new.post("/api/v1/sessions/current/refresh", json!({}))
        .await
        .refused(401, "bad_token");
    other_device.get(&estate_path).await.expect(200);

    // Everywhere: every token of the user stops working, a new sign-in works again.
    let third = s.app.staff("sec-third", Role::Secretary, &s.estate).await;
    let third_again = {
        let body = s
            .app
            .anonymous()
            .post(
                "/api/v1/sessions",
                json!({ "login": "sec-third", "password": "sec-third-password-long-enough" }),
            )
            .await
            .expect(200);
        Session {
            token: body["token"].as_str().expect("token").to_owned(),
            ..s.app.anonymous()
        }
    };
    let everywhere = third
        .call(
            reqwest::Method::DELETE,
            "/api/v1/sessions/current?everywhere=true",
            None,
        )
        .await;
    assert_eq!(everywhere.status, 204);
    third.get(&estate_path).await.refused(401, "bad_token");
    third_again
        .get(&estate_path)
        .await
        .refused(401, "bad_token");
    let audit = other_device
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    assert!(
        audit
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "session.signed_out"),
        "signing out is audited: {audit}"
    );

    // Owners sign out too; owners cannot end staff-style "everywhere".
    owner
        .call(
            reqwest::Method::DELETE,
            "/api/v1/sessions/current?everywhere=true",
            None,
        )
        .await
        .refused(403, "staff_only");
    let out = owner
        .call(reqwest::Method::DELETE, "/api/v1/sessions/current", None)
        .await;
    assert_eq!(out.status, 204);
    owner
        .get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .refused(401, "bad_token");

    // A session older than the longest session is not refreshed: sign in again.
    let mut claims = claims_of(&other_device.token);
    let long_ago = Utc::now().timestamp() - 13 * 3600;
    claims["auth_time"] = json!(long_ago);
    let stale = Session {
        token: forge("HS256", &claims, &token_key()),
        ..other_device.clone()
    };
    stale.get(&estate_path).await.expect(200);
    stale
        .post("/api/v1/sessions/current/refresh", json!({}))
        .await
        .refused(401, "session_too_old");
}

async fn items_change_only_while_the_assembly_is_a_draft(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-items", Role::Secretary, &estate).await;
    let auditor = app.staff("aud-items", Role::Auditor, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec
        .create_assembly_with(
            &estate,
            true,
            json!({ "objection_days": 3, "public_roll": true }),
        )
        .await;
    // The assembly echoes its objection period and roll.
    let out = sec
        .get(&format!("/api/v1/assemblies/{}", assembly.id))
        .await
        .expect(200);
    assert_eq!(
        (&out["objection_days"], &out["public_roll"]),
        (&json!(3), &json!(true))
    );

    // Nothing to vote on: not announced.
    sec.post(
        &format!("/api/v1/assemblies/{}/announce", assembly.id),
        json!({}),
    )
    .await
    .refused(409, "no_items_to_announce");

    let mut items = Vec::new();
    for (title, matter) in [("甲", 4), ("乙", 5), ("丙", 6)] {
        items.push(
            sec.add_item(
                &assembly,
                json!({ "kind": "motion", "title": title, "matter": matter }),
            )
            .await,
        );
    }
    let changed = sec
        .put(
            &format!("/api/v1/items/{}", items[1]),
            json!({ "kind": "election", "title": "选举业主委员会委员", "seats": 1, "candidates": ["王一", "李二"] }),
        )
        .await
        .expect(200);
    assert_eq!(
        (&changed["id"], &changed["kind"], &changed["position"]),
        (&json!(items[1]), &json!("election"), &json!(2))
    );
    // An invalid item is refused as when adding one.
    sec.put(
        &format!("/api/v1/items/{}", items[1]),
        json!({ "kind": "motion", "title": " ", "matter": 4 }),
    )
    .await
    .refused(422, "invalid_value");
    auditor
        .put(
            &format!("/api/v1/items/{}", items[1]),
            json!({ "kind": "motion", "title": "x", "matter": 4 }),
        )
        .await
        .refused(403, "read_only_role");
    let deleted = sec
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/items/{}", items[0]),
            None,
        )
        .await;
    assert_eq!(deleted.status, 204);
    let sheet = sec
        .get(&format!("/api/v1/assemblies/{}/items", assembly.id))
        .await
        .expect(200);
    assert_eq!(ids(&sheet, "id"), vec![items[1].clone(), items[2].clone()]);
    let positions: Vec<i64> = sheet
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["position"].as_i64().unwrap_or_default())
        .collect();
    assert_eq!(positions, vec![1, 2], "the sheet stays numbered 1, 2…");
    sec.get(&format!("/api/v1/items/{}", items[0]))
        .await
        .refused(404, "not_found");
    let audit = sec
        .get(&format!("/api/v1/estates/{estate}/audit"))
        .await
        .expect(200);
    let actions: Vec<&str> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.contains(&"item.changed") && actions.contains(&"item.deleted"));

    // A proxy naming an item keeps it on the sheet.
    sec.post(
        &format!("/api/v1/assemblies/{}/proxies", assembly.id),
        json!({ "member": "P2", "holder": "P1", "items": [items[2]], "document_ref": "委托书 I-1" }),
    )
    .await
    .expect(201);
    let named = sec
        .call(
            reqwest::Method::DELETE,
            &format!("/api/v1/items/{}", items[2]),
            None,
        )
        .await;
    named.refused(409, "item_named_by_proxy");

    // Announced: the sheet is fixed, and the refusal names the state.
    sec.approve_candidates(&items[1]).await;
    sec.announce(&assembly).await;
    let refused = sec
        .put(
            &format!("/api/v1/items/{}", items[1]),
            json!({ "kind": "motion", "title": "x", "matter": 4 }),
        )
        .await
        .refused(409, "items_fixed");
    assert_eq!(refused["error"]["detail"], "assembly is announced");
    sec.call(
        reqwest::Method::DELETE,
        &format!("/api/v1/items/{}", items[1]),
        None,
    )
    .await
    .refused(409, "items_fixed");
}

/// Owners with an address (P1, P2) and one without (P5): the cancellation reaches each.
const MAIL_ROSTER: &str =
    "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@lakeside.example.org
,1,1,102,1,100.00,P2,乙,,p2@lakeside.example.org
,2,1,102,1,80.00,P5,戊,,
";

async fn cancelling_tells_the_owners_who_heard_of_it(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let sec = app.staff("sec-cancel", Role::Secretary, &estate).await;
    let auditor = app.staff("aud-cancel", Role::Auditor, &estate).await;
    sec.import_roster(&estate, MAIL_ROSTER.as_bytes())
        .await
        .expect(200);
    let motion = json!({ "kind": "motion", "title": "续聘物业", "matter": 4 });

    // A draft nobody heard of: cancelled without a reason, nobody told.
    let quiet = sec.create_assembly(&estate, true).await;
    let out = sec
        .post(
            &format!("/api/v1/assemblies/{}/cancel", quiet.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(out["assembly"]["state"], "cancelled");
    assert_eq!(
        (&out["queued"], &out["paper_round"]),
        (&json!(0), &json!([]))
    );
    sec.post(
        &format!("/api/v1/assemblies/{}/cancel", quiet.id),
        json!({}),
    )
    .await
    .refused(409, "cancel_not_allowed");

    // Announced: owners were told, so they are told again, with the reason.
    let announced = sec.create_assembly(&estate, true).await;
    sec.add_item(&announced, motion.clone()).await;
    sec.announce(&announced).await;
    let cancel_path = format!("/api/v1/assemblies/{}/cancel", announced.id);
    auditor
        .post(&cancel_path, json!({ "reason": "x" }))
        .await
        .refused(403, "read_only_role");
    let no_reason = sec
        .post(&cancel_path, json!({}))
        .await
        .refused(422, "invalid_value");
    assert_eq!(no_reason["error"]["field"], "reason");
    let out = sec
        .post(&cancel_path, json!({ "reason": "开会时间与春节冲突" }))
        .await
        .expect(200);
    assert_eq!(out["queued"], 2);
    assert_eq!(ids(&out["paper_round"], "owner_id"), vec!["P5".to_owned()]);
    let mails = app
        .store
        .outbox(&gongjue_store::outbox::OutboxFilter {
            assembly_id: Some(announced.id.clone()),
            ..Default::default()
        })
        .expect("outbox");
    let cancellations: Vec<_> = mails.iter().filter(|m| m.kind == "cancellation").collect();
    assert_eq!(cancellations.len(), 2);
    assert!(
        cancellations
            .iter()
            .all(|m| m.body_text.contains("开会时间与春节冲突"))
    );

    // Open: cancelling stops the vote.
    let open = sec.create_assembly(&estate, true).await;
    sec.add_item(&open, motion.clone()).await;
    sec.announce(&open).await;
    sec.open(&open).await;
    let codes = sec.issue_codes(&open, None).await;
    let voter = app.owner(&open, &codes["P1"]).await;
    sec.post(
        &format!("/api/v1/assemblies/{}/cancel", open.id),
        json!({ "reason": "名册有误" }),
    )
    .await
    .expect(200);
    let item = sec
        .get(&format!("/api/v1/assemblies/{}/items", open.id))
        .await
        .expect(200)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    voter
        .vote(&open, &[(item.as_str(), json!("yes"))])
        .await
        .refused(409, "voting_closed");

    // Closed (its result published): never cancelled.
    let closed = sec.create_assembly(&estate, true).await;
    sec.add_item(&closed, motion).await;
    sec.announce(&closed).await;
    sec.open(&closed).await;
    sec.close_early(&closed).await;
    let refused = sec
        .post(
            &format!("/api/v1/assemblies/{}/cancel", closed.id),
            json!({ "reason": "太晚了" }),
        )
        .await
        .refused(409, "cancel_not_allowed");
    assert_eq!(refused["error"]["detail"], "assembly is closed");
}

async fn long_lists_come_in_bounded_pages(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let sec = &s.secretary;
    let units = format!("/api/v1/estates/{}/units", s.estate);
    // The default page holds the whole small roster, as before.
    let (status, all, total, next) = get_page(sec, &units).await;
    assert_eq!((status, total, next), (200, Some(5), None));
    let all = ids(&all, "unit");
    assert_eq!(all.len(), 5);
    // Pages in unit order, the next offset until the last page.
    let (_, first, total, next) = get_page(sec, &format!("{units}?limit=2")).await;
    assert_eq!(
        (ids(&first, "unit"), total, next),
        (all[..2].to_vec(), Some(5), Some(2))
    );
    let (_, middle, _, next) = get_page(sec, &format!("{units}?limit=2&offset=2")).await;
    assert_eq!((ids(&middle, "unit"), next), (all[2..4].to_vec(), Some(4)));
    let (_, last, _, next) = get_page(sec, &format!("{units}?limit=2&offset=4")).await;
    assert_eq!((ids(&last, "unit"), next), (all[4..].to_vec(), None));
    let (_, beyond, _, next) = get_page(sec, &format!("{units}?offset=99")).await;
    assert_eq!((beyond, next), (json!([]), None));
    // Bad values name their parameter.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=10001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
    ] {
        let body = sec
            .get(&format!("{units}?{query}"))
            .await
            .refused(422, "invalid_value");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
    let outbox = format!("/api/v1/estates/{}/outbox", s.estate);
    let body = sec
        .get(&format!("{outbox}?limit=1001"))
        .await
        .refused(422, "invalid_value");
    assert_eq!(body["error"]["field"], "limit");
    let (status, _, total, _) = get_page(sec, &format!("{outbox}?limit=1")).await;
    assert_eq!((status, total), (200, Some(0)));

    // Objections and the roll of a closed assembly.
    for voter in ["P1", "P2"] {
        let owner = s.app.owner(&s.assembly, &s.codes[voter]).await;
        owner
            .vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
            .await
            .expect(200);
    }
    let published = sec
        .create_assembly_with(&s.estate, true, json!({ "objection_days": 3 }))
        .await;
    let motion = sec
        .add_item(
            &published,
            json!({ "kind": "motion", "title": "增设充电桩", "matter": 4 }),
        )
        .await;
    sec.announce(&published).await;
    sec.open(&published).await;
    sec.close_early(&published).await;
    for voter in ["P1", "P2", "P4"] {
        s.app
            .store
            .file_objection(&published.id, &motion, voter, "记录有误", "e2e")
            .expect("objection");
    }
    let objections = format!("/api/v1/assemblies/{}/objections", published.id);
    let (_, page, total, next) = get_page(sec, &format!("{objections}?limit=2")).await;
    assert_eq!(
        (page.as_array().map(Vec::len), total, next),
        (Some(2), Some(3), Some(2))
    );
    let (_, rest, _, next) = get_page(sec, &format!("{objections}?offset=2")).await;
    assert_eq!((ids(&rest, "voter"), next), (vec!["P4".to_owned()], None));
    let body = sec
        .get(&format!("{objections}?offset=x"))
        .await
        .refused(422, "invalid_value");
    assert_eq!(body["error"]["field"], "offset");

    let publication = format!("/api/v1/assemblies/{}/publication", published.id);
    let whole = sec.get(&publication).await.expect(200);
    let roll_total = whole["items"][0]["roll_total"]
        .as_u64()
        .expect("roll_total");
    assert_eq!(whole["items"][0]["roll"].as_array().map(Vec::len), Some(5));
    assert_eq!(roll_total, 5);
    let page = sec
        .get(&format!("{publication}?roll_limit=2&roll_offset=3"))
        .await
        .expect(200);
    let units_of = |v: &Value| ids(&v["items"][0]["roll"], "unit");
    assert_eq!(units_of(&page), units_of(&whole)[3..5].to_vec());
    assert_eq!(page["items"][0]["roll_total"], 5);
    let body = sec
        .get(&format!("{publication}?roll_limit=0"))
        .await
        .refused(422, "invalid_value");
    assert_eq!(body["error"]["field"], "roll_limit");
}

e2e!(
    a_client_finds_its_estates_assemblies_items_and_records,
    signing_out_and_refreshing_end_the_old_token,
    items_change_only_while_the_assembly_is_a_draft,
    cancelling_tells_the_owners_who_heard_of_it,
    long_lists_come_in_bounded_pages,
);
