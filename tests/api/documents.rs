//! Documents of an item (issue 19): staff upload PDF or images before the announcement; each is
//! kept with its SHA-256 (audit log, export claims, notice); owners read it on the form and
//! anyone through the notice's QR code once announced; nothing changes after the announcement;
//! anything else (HTML dressed as a PDF, an empty file, no name) is refused naming the field.

use gongjue_store::users::Role;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, Session, TestDb, spawn_app};
use crate::setup_mistakes::refused_naming;
use crate::web_pages::{owner_browser, staff_browser};

pub const PLAN_PNG: &[u8] = include_bytes!("../fixtures/lift-plan.png");
pub const QUOTE_PDF: &[u8] = include_bytes!("../fixtures/lift-quote.pdf");

/// Uploads `bytes` as a document of `item` named `name`.
pub async fn upload(
    staff: &Session,
    item: &str,
    name: &str,
    bytes: &[u8],
) -> crate::helpers::Reply {
    let response = staff
        .http
        .post(format!("{}/api/v1/items/{item}/documents", staff.base))
        .query(&[("name", name)])
        .bearer_auth(&staff.token)
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    crate::helpers::Reply {
        status: response.status().as_u16(),
        body: response.json().await.unwrap_or(Value::Null),
    }
}

/// GET `path` without credentials: status, content type, bytes.
async fn fetch(base: &str, path: &str) -> (u16, String, Vec<u8>) {
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = response.status().as_u16();
    let kind = crate::helpers::content_type(&response);
    (status, kind, response.bytes().await.unwrap().to_vec())
}

fn hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

async fn documents_are_fixed_hashed_and_readable(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-docs", Role::Secretary, &estate).await;
    let auditor = app.staff("aud-docs", Role::Auditor, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "更新3号楼电梯", "matter": 6 }),
        )
        .await;

    // Refusals name what to fix.
    refused_naming(
        upload(
            &sec,
            &motion,
            "报价单",
            b"<html><script>alert(1)</script></html>",
        )
        .await,
        "file",
        "document_type",
        "HTML is not a document",
    );
    refused_naming(
        upload(&sec, &motion, "报价单", b"").await,
        "file",
        "invalid_value",
        "an empty file",
    );
    refused_naming(
        upload(&sec, &motion, "  ", QUOTE_PDF).await,
        "name",
        "invalid_value",
        "a document without a name",
    );
    upload(&auditor, &motion, "报价单", QUOTE_PDF)
        .await
        .refused(403, "read_only_role");

    let quote = upload(&sec, &motion, "电梯更新报价单", QUOTE_PDF)
        .await
        .expect(201);
    assert_eq!(
        (&quote["content_type"], &quote["sha256"], &quote["size"]),
        (
            &json!("application/pdf"),
            &json!(hex(QUOTE_PDF)),
            &json!(QUOTE_PDF.len())
        )
    );
    let plan = upload(&sec, &motion, "井道平面图", PLAN_PNG)
        .await
        .expect(201);
    let mistake = upload(&sec, &motion, "旧版报价单", QUOTE_PDF)
        .await
        .expect(201);
    sec.call(
        reqwest::Method::DELETE,
        &format!("/api/v1/documents/{}", mistake["id"].as_str().unwrap()),
        None,
    )
    .await
    .expect(204);
    let plan_path = plan["url"].as_str().unwrap().to_owned();
    // Before the announcement only the estate's staff read it.
    assert_eq!(fetch(&app.base, &plan_path).await.0, 404);
    let audit = sec
        .get(&format!("/api/v1/estates/{estate}/audit"))
        .await
        .expect(200);
    let added: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "document.added")
        .collect();
    assert_eq!(added.len(), 3, "{audit}");
    assert!(
        added
            .iter()
            .any(|e| e["detail"]["sha256"] == hex(PLAN_PNG).as_str()),
        "{audit}"
    );
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "document.removed"),
        "{audit}"
    );

    sec.announce(&assembly).await;
    // Fixed once announced.
    upload(&sec, &motion, "补充说明", PLAN_PNG)
        .await
        .refused(409, "documents_fixed");
    sec.call(
        reqwest::Method::DELETE,
        &format!("/api/v1/documents/{}", plan["id"].as_str().unwrap()),
        None,
    )
    .await
    .refused(409, "documents_fixed");
    // Public now, as the notice that points to it; served as what it is, never as HTML.
    let (status, kind, bytes) = fetch(&app.base, &plan_path).await;
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    assert_eq!(hex(&bytes), hex(PLAN_PNG));
    let response = reqwest::get(format!("{}{plan_path}", app.base))
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");

    // The printed notice lists both with their hashes and QR codes.
    let mut office = staff_browser(&app, "sec-docs").await;
    let notice = office
        .get(&format!("/staff/assemblies/{}/notice", assembly.id))
        .await;
    assert!(
        notice.html.contains(&hex(QUOTE_PDF))
            && notice.html.contains(&hex(PLAN_PNG))
            && notice.html.contains("电梯更新报价单")
            && !notice.html.contains("旧版报价单")
            && notice.html.matches("<svg").count() >= 2,
        "{}",
        notice.html
    );

    // Owners find them on the form.
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let owner = app.owner(&assembly, &codes["P1"]).await;
    let listed = owner
        .get(&format!("/api/v1/items/{motion}/documents"))
        .await
        .expect(200);
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let mut phone = owner_browser(&app, &codes["P1"]).await;
    let step = phone.get("/ballot/step").await;
    assert!(
        step.html.contains(&format!("href=\"{plan_path}\""))
            && step.html.contains("井道平面图（PNG"),
        "{}",
        step.html
    );

    // The export names them by hash in its signed claims.
    owner
        .vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    sec.close_early(&assembly).await;
    sec.publish_final(&assembly).await;
    let claims = sec.export_claims(&motion).await;
    let named: Vec<&str> = claims["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["sha256"].as_str().unwrap())
        .collect();
    assert_eq!(named, [hex(QUOTE_PDF), hex(PLAN_PNG)], "{claims}");
}

e2e!(documents_are_fixed_hashed_and_readable);
