//! Extending a vote that falls short (issue 19): only while voting is open, with a reason, within
//! the estate's limit from the original closing time; every member is told by e-mail (or in the
//! paper round), the owners' pages, the notice and the dashboard show it, ballots already cast
//! stand, and the extension is audited.

use chrono::{Duration, SecondsFormat, Utc};
use gongjue_store::outbox::OutboxFilter;
use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{TWO_BUILDINGS_ROSTER, TestDb, spawn_app};
use crate::setup_mistakes::refused_naming;
use crate::web_pages::{owner_browser, staff_browser};

fn rfc3339(at: chrono::DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `2026-12-09 17:30` in Beijing time, as the pages and e-mails write it.
fn beijing(at: chrono::DateTime<Utc>) -> String {
    (at + Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

async fn voting_is_extended_while_open_and_every_owner_is_told(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-extend", Role::Secretary, &estate).await;
    let auditor = app.staff("aud-extend", Role::Auditor, &estate).await;
    sec.import_roster(&estate, TWO_BUILDINGS_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    let path = format!("/api/v1/assemblies/{}/extensions", assembly.id);
    let later = Utc::now() + Duration::days(2);
    // Not before voting opens.
    sec.announce(&assembly).await;
    sec.post(
        &path,
        json!({ "closes_at": rfc3339(later), "reason": "参与不足" }),
    )
    .await
    .refused(409, "extend_only_while_open");
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let a = app.owner(&assembly, &codes["A"]).await;
    a.vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let original = sec.get(&path).await.expect(200)["closes_at"]
        .as_str()
        .unwrap()
        .to_owned();
    let original_at = chrono::DateTime::parse_from_rfc3339(&original)
        .unwrap()
        .with_timezone(&Utc);

    auditor
        .post(
            &path,
            json!({ "closes_at": rfc3339(later), "reason": "参与不足" }),
        )
        .await
        .refused(403, "read_only_role");
    refused_naming(
        sec.post(
            &path,
            json!({ "closes_at": rfc3339(later), "reason": "  " }),
        )
        .await,
        "reason",
        "invalid_value",
        "an extension without a reason",
    );
    refused_naming(
        sec.post(
            &path,
            json!({ "closes_at": rfc3339(original_at - Duration::minutes(5)), "reason": "参与不足" }),
        )
        .await,
        "closes_at",
        "extension_not_later",
        "an extension to an earlier time",
    );
    refused_naming(
        sec.post(
            &path,
            json!({ "closes_at": rfc3339(original_at + Duration::days(91)), "reason": "参与不足" }),
        )
        .await,
        "closes_at",
        "extension_too_long",
        "an extension past the estate's 90 days",
    );

    let reason = "参与表决的业主人数未达到三分之二，依议事规则第十五条延长投票时间";
    let out = sec
        .post(
            &path,
            json!({ "closes_at": rfc3339(later), "reason": reason }),
        )
        .await
        .expect(201);
    // A has an address; B, C and D are told on paper.
    assert_eq!(out["queued"], 1, "{out}");
    assert_eq!(out["paper_round"].as_array().unwrap().len(), 3, "{out}");
    assert_eq!(out["original_closes_at"], original.as_str(), "{out}");
    let mails = app
        .store
        .outbox(&OutboxFilter {
            assembly_id: Some(assembly.id.clone()),
            ..Default::default()
        })
        .unwrap();
    let told: Vec<_> = mails.iter().filter(|m| m.kind == "extension").collect();
    assert_eq!(told.len(), 1);
    for mail in told {
        assert!(
            mail.body_text.contains(&beijing(later))
                && mail.body_text.contains(&beijing(original_at))
                && mail.body_text.contains(reason)
                && mail.body_text.contains("您的票继续有效"),
            "{}",
            mail.body_text
        );
    }
    let audit = sec
        .get(&format!("/api/v1/estates/{estate}/audit"))
        .await
        .expect(200);
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "assembly.extended"
                && e["detail"]["reason"] == reason
                && e["detail"]["from"] == original.as_str()),
        "{audit}"
    );

    // The owner reads it on their page and through the API; their ballot stands.
    let closing = a.get(&path).await.expect(200);
    assert_eq!(closing["original_closes_at"], original.as_str());
    assert_eq!(closing["extensions"].as_array().unwrap().len(), 1);
    let mut phone = owner_browser(&app, &codes["A"]).await;
    let sheet = phone.get("/ballot").await;
    assert!(
        sheet.html.contains("投票时间已延长") && sheet.html.contains(&beijing(later)),
        "{}",
        sheet.html
    );
    let mut office = staff_browser(&app, "sec-extend").await;
    let notice = office
        .get(&format!("/staff/assemblies/{}/notice", assembly.id))
        .await;
    assert!(notice.html.contains(reason), "{}", notice.html);
    let board = office
        .get(&format!("/staff/assemblies/{}", assembly.id))
        .await;
    assert!(
        board
            .html
            .contains(&format!("原定截止时间：{}", beijing(original_at)))
            && board.html.contains("延长投票时间并通知全体业主"),
        "{}",
        board.html
    );
    // The page form refuses a time that is not later, keeping what was typed.
    let csrf = board.hidden("csrf").unwrap();
    let typed = (original_at + Duration::hours(8))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let refused = office
        .post(
            &format!("/staff/assemblies/{}/extend", assembly.id),
            &[
                ("csrf".into(), csrf),
                ("closes_at".into(), typed.clone()),
                ("reason".into(), "再延".into()),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.html.contains("新的截止时间必须晚于当前截止时间") && refused.html.contains(&typed),
        "{}",
        refused.html
    );

    // After closing, never.
    sec.close_early(&assembly).await;
    sec.post(
        &path,
        json!({ "closes_at": rfc3339(later + Duration::days(1)), "reason": "再延" }),
    )
    .await
    .refused(409, "extend_only_while_open");
    let result = sec
        .get(&format!("/api/v1/items/{motion}/result"))
        .await
        .expect(200);
    assert_eq!(
        result["choices"]["yes"]["heads"], 1,
        "A's ballot stands: {result}"
    );
}

e2e!(voting_is_extended_while_open_and_every_owner_is_told);
