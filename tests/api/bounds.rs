//! Every number a user sends is bounded and refused with 422 naming the field (issue 15,
//! item 5), in JSON bodies, page forms and query strings, and the OpenAPI document declares
//! the bounds. `notice_days` of 4294967295 used to be stored, then panicked at announcing.

use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, TestDb, spawn_app};
use crate::setup_mistakes::{estate_with, refused_naming, staff_form};

fn assembly_request(extra: Value) -> Value {
    let opens = chrono::Utc::now() + chrono::Duration::days(20);
    let closes = opens + chrono::Duration::days(5);
    let mut request = json!({
        "title": "2026年第一次业主大会会议",
        "opens_at": opens.to_rfc3339(),
        "closes_at": closes.to_rfc3339(),
    });
    request
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    request
}

async fn numbers_out_of_range_are_refused_naming_the_field(db: TestDb) {
    let app = spawn_app(db).await;
    let (estate, secretary) = estate_with(&app, "sec-bounds", SMALL_ROSTER).await;
    let create = format!("/api/v1/estates/{estate}/assemblies");
    for (extra, field, code) in [
        (
            json!({ "notice_days": 4_294_967_295_u64 }),
            "notice_days",
            "out_of_range",
        ),
        (json!({ "notice_days": 366 }), "notice_days", "out_of_range"),
        (
            json!({ "notice_days": 4_294_967_296_u64 }),
            "notice_days",
            "invalid_value",
        ),
        (json!({ "notice_days": -1 }), "notice_days", "invalid_value"),
        (
            json!({ "objection_days": 61 }),
            "objection_days",
            "out_of_range",
        ),
        (
            json!({ "objection_days": 4_294_967_295_u64 }),
            "objection_days",
            "out_of_range",
        ),
    ] {
        let what = extra.to_string();
        let reply = secretary.post(&create, assembly_request(extra)).await;
        refused_naming(reply, field, code, &what);
    }
    // The bounds themselves are accepted, and announcing with a year's notice answers.
    let year = secretary
        .post(
            &create,
            assembly_request(json!({ "notice_days": 365, "objection_days": 60 })),
        )
        .await
        .expect(201);
    let id = year["id"].as_str().unwrap();
    secretary
        .post(
            &format!("/api/v1/assemblies/{id}/items"),
            json!({ "kind": "motion", "title": "续聘", "matter": 4 }),
        )
        .await
        .expect(201);
    secretary
        .post(&format!("/api/v1/assemblies/{id}/announce"), json!({}))
        .await
        .refused(409, "notice_too_short");

    // The page form goes through the same checks and answers a page naming the field.
    let (status, html) = staff_form(
        &app,
        &secretary,
        "/staff/assemblies/new",
        "/staff/assemblies",
        &[
            ("title", "业主大会"),
            ("opens_at", "2030-01-10T09:00"),
            ("closes_at", "2030-01-20T18:00"),
            ("notice_days", "4294967295"),
            ("objection_days", "7"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("notice_days"), "{html}");

    // Query strings: the audit log's page.
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("after=-1", "after"),
    ] {
        let reply = secretary
            .get(&format!("/api/v1/estates/{estate}/audit?{query}"))
            .await;
        refused_naming(reply, field, "out_of_range", query);
    }
    secretary
        .get(&format!(
            "/api/v1/estates/{estate}/audit?after=0&limit=1000"
        ))
        .await
        .expect(200);
}

/// The OpenAPI document declares the bounds the service enforces.
async fn the_openapi_document_declares_the_bounds(db: TestDb) {
    let app = spawn_app(db).await;
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    let schemas = &doc["components"]["schemas"];
    let assembly = &schemas["NewAssemblyRequest"]["properties"];
    assert_eq!(assembly["notice_days"]["maximum"], json!(365), "{assembly}");
    assert_eq!(assembly["notice_days"]["minimum"], json!(0), "{assembly}");
    assert_eq!(
        assembly["objection_days"]["maximum"],
        json!(60),
        "{assembly}"
    );
    let matter = &schemas["MotionRequest"]["properties"]["matter"];
    assert_eq!(
        (&matter["minimum"], &matter["maximum"]),
        (&json!(1), &json!(9)),
        "{matter}"
    );
    let seats = &schemas["ElectionRequest"]["properties"]["seats"];
    assert_eq!(
        (&seats["minimum"], &seats["maximum"]),
        (&json!(1), &json!(1000)),
        "{seats}"
    );
    let question = &schemas["Question"]["properties"]["max_choices"];
    assert_eq!(
        (&question["minimum"], &question["maximum"]),
        (&json!(1), &json!(1000)),
        "{question}"
    );
    let audit = doc["paths"]["/api/v1/estates/{id}/audit"]["get"]["parameters"].to_string();
    assert!(audit.contains(r#""maximum":1000"#), "{audit}");
}

e2e!(
    numbers_out_of_range_are_refused_naming_the_field,
    the_openapi_document_declares_the_bounds,
);
