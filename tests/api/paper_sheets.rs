//! Issue 21, paper: each owner is shown, mailed and printed only the items they may vote on; a
//! member's printed sheet fits one A4 page; a paper sheet is confirmed in one action; entering
//! paper for a member who voted online warns first.

use std::process::Command;

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{TestDb, spawn_app};
use crate::web_pages::staff_browser;

e2e!(each_owner_is_shown_only_the_items_in_their_scope);

/// Buildings 1 and 3; 甲 (P1) holds three units in building 1 and one in building 3, 乙 (P2)
/// one in building 1, 丙 (P3) one in building 3. Nobody has an e-mail address but 乙.
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,89.50,P1,欧阳建华,,
,1,1,102,1,120.25,P1,欧阳建华,,
,1,2,301,3,76.00,P1,欧阳建华,,
,1,2,302,3,99.00,P2,李秀英,,li@example.com
,3,1,101,1,110.00,P1,欧阳建华,,
,3,1,102,1,105.00,P3,张伟,,
";

const BUILDING_3: &str = "3号楼外立面及屋顶防水改造工程";

async fn each_owner_is_shown_only_the_items_in_their_scope(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-paper", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    secretary.add_item(&assembly, json!({ "kind": "motion", "title": "续聘物业服务企业（上海某某物业管理有限公司）三年", "body": "续聘三年，服务费不变。", "matter": 4 })).await;
    let election = secretary
        .add_item(&assembly, json!({ "kind": "election", "title": "选举第三届业主委员会委员", "seats": 5, "candidates": ["王建国", "李秀兰", "赵志强", "陈美玲", "刘德胜", "周晓燕", "孙立新"] }))
        .await;
    secretary
        .add_item(&assembly, json!({ "kind": "consultation", "title": "地面停车位安排征询", "questions": [
            { "id": "您支持哪种停车方案？", "options": ["甲方案：划线停车", "乙方案：机械车位", "维持现状"] },
            { "id": "您希望增加哪些设施？", "options": ["充电桩", "非机动车棚", "快递柜", "健身器材"], "max_choices": 2 }
        ] }))
        .await;
    secretary
        .add_item(&assembly, json!({ "kind": "motion", "title": BUILDING_3, "matter": 7, "scope": { "kind": "buildings", "buildings": ["3"] } }))
        .await;
    secretary.approve_candidates(&election).await;
    secretary.announce(&assembly).await;

    // The e-mails: 乙's invitation and reminder list the three estate items, not building 3's.
    for (kind, member, shows) in [
        ("invitation", "P2", false),
        ("invitation", "P3", true),
        ("invitation", "P1", true),
        ("reminder", "P2", false),
        ("reminder", "P3", true),
    ] {
        let preview = secretary
            .get(&format!(
                "/api/v1/assemblies/{}/notices/preview?kind={kind}&member={member}",
                assembly.id
            ))
            .await
            .expect(200);
        let text = preview["text"].as_str().unwrap();
        assert_eq!(text.contains(BUILDING_3), shows, "{member}: {text}");
        assert_eq!(
            preview["html"].as_str().unwrap().contains(BUILDING_3),
            shows,
            "{member}"
        );
        assert!(text.contains("选举第三届业主委员会委员"), "{text}");
    }
    // The announcement queued for 乙 (the only address) lists no building-3 item either.
    let queued = app
        .store
        .outbox(&gongjue_store::outbox::OutboxFilter {
            estate_id: Some(estate.clone()),
            assembly_id: Some(assembly.id.clone()),
            status: None,
        })
        .unwrap();
    assert!(!queued.is_empty());
    assert!(queued.iter().all(|m| !m.body_text.contains(BUILDING_3)));

    // The printed sheets: one per member, each with their own items only.
    let mut browser = staff_browser(&app, "sec-paper").await;
    let menu = browser
        .get(&format!("/staff/assemblies/{}/print", assembly.id))
        .await;
    let csrf = menu.hidden("csrf").unwrap();
    let printed = browser
        .post(
            &format!("/staff/assemblies/{}/sheets", assembly.id),
            &[("csrf".into(), csrf)],
        )
        .await;
    assert_eq!(printed.status, 200, "{}", printed.html);
    let sheets: Vec<&str> = printed
        .html
        .split("<article class=\"sheet\"")
        .skip(1)
        .collect();
    assert_eq!(sheets.len(), 3, "one sheet per member");
    let sheet_of = |name: &str| {
        *sheets
            .iter()
            .find(|s| s.contains(name))
            .unwrap_or_else(|| panic!("no sheet for {name}"))
    };
    let (p1, p2, p3) = (sheet_of("欧阳建华"), sheet_of("李秀英"), sheet_of("张伟"));
    assert!(p1.contains(BUILDING_3) && p3.contains(BUILDING_3));
    assert!(!p2.contains(BUILDING_3), "{p2}");
    assert!(p2.contains("选举第三届业主委员会委员") && p3.contains("选举第三届业主委员会委员"));
    // 甲's sheet: units with their areas and the total, the building-3 item counted for
    // 3-1-101 only, the code and QR, the marking rules, where and by when, the signature.
    for words in [
        "1-1-101（89.50 m²）",
        "3-1-101（110.00 m²）",
        "合计 395.75 m²",
        "本项只按 3-1-101 计",
        "<svg",
        "填写方法",
        "物业服务中心投票箱",
        "业主签名：",
        "孙立新",
        "充电桩",
        "最多可选 2 项",
    ] {
        assert!(p1.contains(words), "{words} missing: {p1}");
    }
    // 乙's code went by e-mail: their sheet has no code, and says so.
    assert!(!p2.contains("<svg") && p2.contains("投票码已发送到您的电子邮箱"));
    assert_eq!(
        printed.html.matches("<h1").count(),
        1,
        "one h1 for the page"
    );

    one_a4_page_per_member(&app.base, &printed.html, sheets.len());
}

/// Prints the sheets as the secretary's browser does (headless Chromium, A4) and counts the
/// PDF's pages: exactly one per member. Skipped without Chromium unless
/// `GONGJUE_REQUIRE_BROWSER` is set.
fn one_a4_page_per_member(base: &str, html: &str, members: usize) {
    let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    let pdfinfo = Command::new("pdfinfo").arg("-v").output().is_ok();
    let (Some(chromium), true) = (chromium, pdfinfo) else {
        assert!(
            std::env::var_os("GONGJUE_REQUIRE_BROWSER").is_none(),
            "chromium and pdfinfo (poppler-utils) are required"
        );
        eprintln!("skipped: no chromium to print with, or no pdfinfo to count pages");
        return;
    };
    let dir = std::env::temp_dir().join(format!("gongjue-sheets-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("sheets.html");
    let pdf = dir.join("sheets.pdf");
    std::fs::write(
        &page,
        html.replace("href=\"/static/", &format!("href=\"{base}/static/")),
    )
    .unwrap();
    let status = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .status()
        .unwrap();
    assert!(status.success(), "chromium failed");
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).to_string();
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count: {info}"));
    if let Some(keep) = std::env::var_os("GONGJUE_SCREENSHOTS") {
        let _ = std::fs::create_dir_all(&keep);
        let _ = std::fs::copy(&pdf, std::path::Path::new(&keep).join("paper-sheets.pdf"));
        let _ = std::fs::copy(&page, std::path::Path::new(&keep).join("paper-sheets.html"));
    }
    assert!(info.contains("(A4)"), "A4: {info}");
    assert_eq!(pages, members, "one A4 page per member: {info}");
    let _ = std::fs::remove_dir_all(&dir);
}
