//! One assembly from the roster to the results, as issue 4 describes it: the lakeside estate,
//! an ordinary motion, a special motion for building 3, a 3-seat election; owners voting on the
//! web, a paper ballot entered and confirmed, proxies; then every result compared with an
//! independent recount of the same ballots by the domain crate's bundle reader.

use std::collections::BTreeMap;

use gongjue_store::users::Role;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::e2e;
use crate::helpers::{LAKESIDE, TestDb, spawn_app};

/// A unit of the fixture, read by the test itself (not by the service's roster parser).
struct FixtureUnit {
    unit: String,
    building: String,
    stairwell: String,
    zone: String,
    area: String,
    voter: String,
}

fn fixture_units() -> Vec<FixtureUnit> {
    let text = std::str::from_utf8(LAKESIDE).expect("the fixture is UTF-8");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let cell = |i: usize| cells.get(i).copied().unwrap_or_default().to_owned();
            FixtureUnit {
                unit: format!("{}-{}-{}", cell(1), cell(2), cell(3)),
                zone: cell(0),
                building: cell(1),
                stairwell: cell(2),
                area: cell(5),
                voter: cell(6),
            }
        })
        .collect()
}

/// The recount: a `gongjue-tally/1` bundle written from the fixture and the ballots the test
/// itself cast, read and counted by the domain crate, as `gongjue tally` would.
fn recount(
    kind: &str,
    rule: &str,
    extra: Value,
    building: Option<&str>,
    ballots: &BTreeMap<String, Value>,
) -> Value {
    let electorate: Vec<Value> = fixture_units()
        .into_iter()
        .filter(|u| building.is_none_or(|b| u.building == b))
        .map(|u| json!({ "unit": u.unit, "building": u.building, "stairwell": u.stairwell, "zone": u.zone, "area": u.area, "voter": u.voter }))
        .collect();
    let ballots: Vec<Value> = ballots
        .iter()
        .map(|(voter, choice)| json!({ "voter": voter, "choice": choice }))
        .collect();
    let mut bundle = json!({ "format": "gongjue-tally/1", "kind": kind, "title": "recount", "rule": rule, "electorate": electorate, "ballots": ballots });
    if let (Value::Object(doc), Value::Object(fields)) = (&mut bundle, extra) {
        doc.extend(fields);
    }
    let tally = gongjue_domain::bundle::read(&serde_json::to_vec(&bundle).expect("bundle bytes"))
        .expect("the recount bundle reads");
    serde_json::to_value(tally.result()).expect("result JSON")
}

const CANDIDATES: [&str; 5] = ["王*明", "李*华", "张*伟", "刘*芳", "陈*静"];

fn web_choices(i: usize) -> (Value, Value, Value) {
    let ordinary = ["yes", "yes", "yes", "no", "abstain"][i % 5];
    let special = ["yes", "yes", "yes", "yes", "no"][i % 5];
    let c = |k: usize| CANDIDATES.get(k).copied().unwrap_or_default();
    let election = match i % 6 {
        0 => json!([c(0), c(1), c(2)]),
        1 => json!([c(0), c(1)]),
        2 => json!([c(1), c(3)]),
        3 => json!("abstain"),
        4 => json!([c(0), c(2), c(4)]),
        _ => json!([c(4)]),
    };
    (json!(ordinary), json!(special), election)
}

async fn a_whole_assembly(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("secretary-wang", Role::Secretary, &estate).await;
    let second = app.staff("secretary-li", Role::Secretary, &estate).await;
    let auditor = app.staff("auditor-zhao", Role::Auditor, &estate).await;

    let report = secretary.import_roster(&estate, LAKESIDE).await.expect(200);
    assert_eq!(report["units"], 784);

    let assembly = secretary.create_assembly(&estate, true).await;
    let ordinary = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    let special = secretary
        .add_item(&assembly, json!({ "kind": "motion", "title": "3号楼外立面改建", "matter": 7, "scope": { "kind": "buildings", "buildings": ["3"] } }))
        .await;
    let election =
        secretary.add_item(&assembly, json!({ "kind": "election", "title": "选举第二届业主委员会", "seats": 3, "candidates": CANDIDATES })).await;
    secretary.approve_candidates(&election).await;
    secretary.announce(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    assert_eq!(codes.len(), 761, "one code per voting member");
    secretary.open(&assembly).await;

    let units = fixture_units();
    let in_building_3: std::collections::BTreeSet<String> = units
        .iter()
        .filter(|u| u.building == "3")
        .map(|u| u.voter.clone())
        .collect();
    let members: Vec<String> = codes.keys().cloned().collect();
    let member = |i: usize| members.get(i).cloned().expect("enough members");
    // What the test expects to count: voter → choice, per item.
    let mut expected: BTreeMap<&str, BTreeMap<String, Value>> = BTreeMap::new();

    // Owners vote on the web, in parallel, on every item whose electorate includes them.
    let mut tasks = JoinSet::new();
    let voting: Vec<(usize, String)> = members
        .iter()
        .cloned()
        .enumerate()
        .skip(7)
        .filter(|(i, _)| i % 4 != 3)
        .collect();
    for chunk in voting.chunks(voting.len().div_ceil(8)) {
        let chunk = chunk.to_vec();
        let anonymous = app.anonymous();
        let (codes, assembly, in_b3) = (codes.clone(), assembly.clone(), in_building_3.clone());
        let items = (ordinary.clone(), special.clone(), election.clone());
        tasks.spawn(async move {
            for (i, voter) in chunk {
                let code = codes.get(&voter).expect("a code");
                let body = anonymous
                    .post(
                        "/api/v1/owner-sessions",
                        json!({ "code": code, "assembly_id": assembly.id }),
                    )
                    .await
                    .expect(200);
                let owner = crate::helpers::Session {
                    token: body["token"].as_str().unwrap_or_default().to_owned(),
                    ..anonymous.clone()
                };
                let (o, s, e) = web_choices(i);
                let mut votes = vec![(items.0.as_str(), o), (items.2.as_str(), e)];
                if in_b3.contains(&voter) {
                    votes.push((items.1.as_str(), s));
                }
                owner.vote(&assembly, &votes).await.expect(200);
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("a voting task");
    }
    for (i, voter) in &voting {
        let (o, s, e) = web_choices(*i);
        expected
            .entry("ordinary")
            .or_default()
            .insert(voter.clone(), o);
        expected
            .entry("election")
            .or_default()
            .insert(voter.clone(), e);
        if in_building_3.contains(voter) {
            expected
                .entry("special")
                .or_default()
                .insert(voter.clone(), s);
        }
    }

    // An owner's sheet lists exactly the items whose electorate includes them.
    let outside = voting
        .iter()
        .map(|(_, v)| v)
        .find(|v| !in_building_3.contains(*v))
        .expect("an owner outside building 3");
    let owner = app
        .owner(&assembly, codes.get(outside).expect("code"))
        .await;
    let sheet = owner
        .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
        .await
        .expect(200);
    let listed: Vec<&str> = sheet["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["item"]["id"].as_str())
        .collect();
    assert_eq!(listed, vec![ordinary.as_str(), election.as_str()]);
    assert_eq!(sheet["entries"][0]["current"]["channel"], "web");

    // A member changes their mind: the last ballot counts.
    let changer = member(6);
    let owner = app.owner(&assembly, &codes[&changer]).await;
    owner
        .vote(&assembly, &[(ordinary.as_str(), json!("yes"))])
        .await
        .expect(200);
    let changed = owner
        .vote(&assembly, &[(ordinary.as_str(), json!("no"))])
        .await
        .expect(200);
    assert_eq!(changed[0]["seq"], 2);
    expected
        .entry("ordinary")
        .or_default()
        .insert(changer, json!("no"));

    // A paper ballot, entered by one secretary and confirmed by another; and one never confirmed.
    let paper_member = member(0);
    let paper = secretary
        .enter_paper(&assembly, &ordinary, &paper_member, json!("yes"))
        .await
        .expect(201);
    assert_eq!(paper["confirmed"], false);
    let paper_id = paper["id"].as_str().expect("paper ballot id");
    secretary
        .post(
            &format!("/api/v1/paper-ballots/{paper_id}/confirm"),
            json!({}),
        )
        .await
        .refused(409, "same_person_confirms");
    let confirmed = second
        .post(
            &format!("/api/v1/paper-ballots/{paper_id}/confirm"),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(confirmed["confirmed"], true);
    expected
        .entry("ordinary")
        .or_default()
        .insert(paper_member, json!("yes"));
    let spoilt = secretary
        .enter_paper(&assembly, &election, &member(1), json!("invalid"))
        .await
        .expect(201);
    assert_eq!(
        spoilt["confirmed"], false,
        "left unconfirmed: it must not count"
    );

    // A proxy votes for a member on every item.
    let (authorizing, holder) = (member(2), member(3));
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/proxies", assembly.id),
            json!({ "member": authorizing, "holder": holder, "document_ref": "委托书 2026-017" }),
        )
        .await
        .expect(201);
    let proxy = app.owner(&assembly, &codes[&holder]).await;
    let sheet = proxy
        .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
        .await
        .expect(200);
    assert!(
        sheet["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["on_behalf"] == true && e["voter"] == authorizing.as_str())
    );
    proxy
        .vote_for(&assembly, &authorizing, &ordinary, json!("abstain"))
        .await
        .expect(200);
    proxy
        .vote_for(&assembly, &authorizing, &election, json!([CANDIDATES[3]]))
        .await
        .expect(200);
    expected
        .entry("ordinary")
        .or_default()
        .insert(authorizing.clone(), json!("abstain"));
    expected
        .entry("election")
        .or_default()
        .insert(authorizing, json!([CANDIDATES[3]]));

    // A member votes after their proxy did: their own ballot supersedes it, for good.
    let (member_4, holder_5) = (member(4), member(5));
    secretary
        .post(&format!("/api/v1/assemblies/{}/proxies", assembly.id), json!({ "member": member_4, "holder": holder_5, "items": [ordinary], "document_ref": "委托书 2026-018" }))
        .await
        .expect(201);
    let proxy = app.owner(&assembly, &codes[&holder_5]).await;
    proxy
        .vote_for(&assembly, &member_4, &ordinary, json!("no"))
        .await
        .expect(200);
    proxy
        .vote_for(&assembly, &member_4, &election, json!("abstain"))
        .await
        .refused(403, "no_proxy");
    app.owner(&assembly, &codes[&member_4])
        .await
        .vote(&assembly, &[(ordinary.as_str(), json!("yes"))])
        .await
        .expect(200);
    proxy
        .vote_for(&assembly, &member_4, &ordinary, json!("no"))
        .await
        .refused(409, "own_ballot_supersedes");
    expected
        .entry("ordinary")
        .or_default()
        .insert(member_4, json!("yes"));

    // Live turnout counts the ballots that count now, by building; no choices are shown.
    let turnout = auditor
        .get(&format!("/api/v1/assemblies/{}/turnout", assembly.id))
        .await
        .expect(200);
    let first = &turnout[0];
    assert_eq!(first["item"], ordinary.as_str());
    assert_eq!(first["participation"]["heads"], expected["ordinary"].len());
    assert!(first.get("choices").is_none());
    let by_building: u64 = first["by_building"]
        .as_object()
        .expect("buildings")
        .values()
        .map(|g| g["totals"]["units"].as_u64().unwrap_or(0))
        .sum();
    assert_eq!(by_building, 784);
    auditor
        .get(&format!("/api/v1/items/{ordinary}/result"))
        .await
        .refused(409, "result_before_closing");

    secretary.close_early(&assembly).await;
    app.owner(&assembly, &codes[&member(8)])
        .await
        .vote(&assembly, &[(ordinary.as_str(), json!("yes"))])
        .await
        .refused(409, "voting_closed");

    // Every result is the independent recount of the same ballots.
    let result = auditor
        .get(&format!("/api/v1/items/{ordinary}/result"))
        .await
        .expect(200);
    assert_eq!(
        result,
        recount("motion", "ordinary", json!({}), None, &expected["ordinary"])
    );
    assert_eq!(result["outcome"], "passed", "{result}");
    let result = auditor
        .get(&format!("/api/v1/items/{special}/result"))
        .await
        .expect(200);
    assert_eq!(
        result,
        recount(
            "motion",
            "special",
            json!({}),
            Some("3"),
            &expected["special"]
        )
    );
    assert_eq!(result["totals"]["units"], 56);
    let result = auditor
        .get(&format!("/api/v1/items/{election}/result"))
        .await
        .expect(200);
    assert_eq!(
        result,
        recount(
            "election",
            "ordinary",
            json!({ "seats": 3, "candidates": CANDIDATES }),
            None,
            &expected["election"]
        )
    );
    assert_eq!(result["outcome"], "valid", "{result}");

    // Owners see the results of their assembly too.
    let owner = app.owner(&assembly, &codes[&member(9)]).await;
    assert_eq!(
        owner
            .get(&format!("/api/v1/items/{election}/result"))
            .await
            .expect(200),
        result
    );

    // The audit log holds every step, the failed ones included.
    let mut entries: Vec<Value> = Vec::new();
    loop {
        let page = auditor
            .get(&format!(
                "/api/v1/estates/{estate}/audit?after={}",
                entries.len()
            ))
            .await
            .expect(200);
        let page = page.as_array().cloned().unwrap_or_default();
        if page.is_empty() {
            break;
        }
        entries.extend(page);
    }
    assert!(
        entries.iter().enumerate().all(|(i, e)| e["seq"] == i + 1),
        "the chain has no gaps"
    );
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    for action in [
        "assembly.announced",
        "code.issued",
        "assembly.open",
        "ballot.cast",
        "ballot.confirmed",
        "proxy.recorded",
        "assembly.closed_early",
        "assembly.closed",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from the audit log"
        );
    }
}

e2e!(a_whole_assembly);

/// A consultation (征询) scoped to one building: answers checked against the questions, counted
/// as the domain counts a bundle of the same answers.
async fn a_consultation_is_counted_like_its_bundle(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, crate::helpers::SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    let question = json!({ "id": "brand", "options": ["甲品牌", "乙品牌", "丙品牌"], "max_choices": 2,
        "decide": [{ "measure": "units", "op": ">=", "fraction": "4/5", "of": "total" }] });
    let item = secretary
        .add_item(&assembly, json!({ "kind": "consultation", "title": "1号楼电梯品牌征询", "scope": { "kind": "buildings", "buildings": ["1"] }, "questions": [question] }))
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    assert_eq!(
        codes.len(),
        2,
        "building 1 has two members once open: P1 (two units) and P2"
    );
    let p1 = app.owner(&assembly, &codes["P1"]).await;
    p1.vote(
        &assembly,
        &[(
            item.as_str(),
            json!({ "brand": ["甲品牌", "乙品牌", "丙品牌"] }),
        )],
    )
    .await
    .refused(422, "invalid_choice");
    p1.vote(&assembly, &[(item.as_str(), json!({ "colour": ["red"] }))])
        .await
        .refused(422, "invalid_choice");
    p1.vote(
        &assembly,
        &[(item.as_str(), json!({ "brand": ["甲品牌", "乙品牌"] }))],
    )
    .await
    .expect(200);
    let p2 = app.owner(&assembly, &codes["P2"]).await;
    p2.vote(
        &assembly,
        &[(item.as_str(), json!({ "brand": ["甲品牌"] }))],
    )
    .await
    .expect(200);
    secretary.close_early(&assembly).await;
    let result = secretary
        .get(&format!("/api/v1/items/{item}/result"))
        .await
        .expect(200);

    let bundle = json!({
        "format": "gongjue-tally/1", "kind": "consultation", "title": "recount",
        "questions": [{ "id": "brand", "options": ["甲品牌", "乙品牌", "丙品牌"], "max_choices": 2,
            "decide": [{ "measure": "units", "op": ">=", "fraction": "4/5", "of": "total" }] }],
        "electorate": [
            { "unit": "1-1-101", "building": "1", "stairwell": "1", "zone": "", "area": "100.00", "voter": "P1" },
            { "unit": "1-1-102", "building": "1", "stairwell": "1", "zone": "", "area": "100.00", "voter": "P2" },
            { "unit": "1-1-201", "building": "1", "stairwell": "1", "zone": "", "area": "120.00", "voter": "P1" },
        ],
        "ballots": [
            { "voter": "P1", "answers": { "brand": ["甲品牌", "乙品牌"] } },
            { "voter": "P2", "answers": { "brand": ["甲品牌"] } },
        ],
    });
    let recount = gongjue_domain::bundle::read(&serde_json::to_vec(&bundle).expect("bytes"))
        .expect("bundle")
        .result();
    assert_eq!(result, serde_json::to_value(recount).expect("json"));
    assert_eq!(
        result["questions"][0]["options"][0]["adopted"], true,
        "all three units chose 甲品牌: {result}"
    );
    assert_eq!(result["questions"][0]["options"][1]["adopted"], false);
}

e2e!(a_consultation_is_counted_like_its_bundle);
