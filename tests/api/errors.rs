//! Bad requests get 4xx with a stable code, a message in the caller's language and the field;
//! never a 5xx. The OpenAPI document lists every route.

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{TestDb, spawn_app};

async fn bad_requests_are_4xx_in_the_callers_language(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    let url = format!("{}/api/v1/estates/{estate}/assemblies", app.base);
    let send = |body: &'static str, lang: &'static str| {
        app.http.post(&url).bearer_auth(&secretary.token).header("content-type", "application/json").header("accept-language", lang).body(body).send()
    };
    let reply = |r: reqwest::Response| async move { (r.status().as_u16(), r.json::<serde_json::Value>().await.unwrap_or_default()) };

    let (status, body) = reply(send("{\"title\": ", "zh-CN").await.expect("send")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (400, Some("malformed_body")));
    assert_eq!(body["error"]["message"], "请求内容格式不正确。");
    let (status, body) = reply(send("{\"title\": \"x\", \"colour\": 1, \"opens_at\": \"\", \"closes_at\": \"\"}", "en").await.expect("send")).await;
    assert_eq!((status, body["error"]["code"].as_str(), body["error"]["field"].as_str()), (422, Some("unknown_field"), Some("colour")));
    assert_eq!(body["error"]["message"], "The request has a field that is not known.");
    let (status, body) = reply(send("{\"title\": 7, \"opens_at\": \"\", \"closes_at\": \"\"}", "en").await.expect("send")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("invalid_value")));
    let (status, body) = reply(send("{\"title\": \"x\", \"opens_at\": \"tomorrow\", \"closes_at\": \"2030-01-01T00:00:00Z\"}", "en").await.expect("send")).await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("opens_at")));

    let huge = format!("{{\"title\": \"{}\"}}", "x".repeat(100 * 1024));
    let response = app.http.post(&url).bearer_auth(&secretary.token).header("content-type", "application/json").body(huge).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 413);

    let roster = secretary.import_roster(&estate, b"zone,building,stairwell,unit,floor,area_m2,owner_id\n,1,1,101,1,-5,P1\n,1,1,101,1,80,P2\n").await;
    let body = roster.refused(422, "roster_invalid");
    let lines: Vec<u64> = body["error"]["issues"].as_array().expect("issues").iter().filter_map(|i| i["line"].as_u64()).collect();
    assert_eq!(lines, vec![2, 3], "{body}");

    let unknown = secretary.get("/api/v1/assemblies/01234567-no-such-assembly").await;
    unknown.refused(404, "not_found");
    app.anonymous().get("/api/v1/no/such/route").await.refused(404, "no_route");
    let health = app.http.get(format!("{}/healthz", app.base)).send().await.expect("send");
    assert!(health.headers().contains_key("x-request-id"));
}

async fn the_openapi_document_lists_every_route(db: TestDb) {
    let app = spawn_app(db).await;
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    assert!(doc["openapi"].as_str().unwrap_or_default().starts_with("3."));
    let paths = doc["paths"].as_object().expect("paths");
    for (path, method) in [
        ("/api/v1/sessions", "post"),
        ("/api/v1/estates", "post"),
        ("/api/v1/estates/{id}/roster", "put"),
        ("/api/v1/estates/{id}/units", "get"),
        ("/api/v1/estates/{id}/assemblies", "post"),
        ("/api/v1/assemblies/{id}/items", "post"),
        ("/api/v1/assemblies/{id}/announce", "post"),
        ("/api/v1/assemblies/{id}/open", "post"),
        ("/api/v1/assemblies/{id}/close", "post"),
        ("/api/v1/assemblies/{id}/codes", "post"),
        ("/api/v1/owner-sessions", "post"),
        ("/api/v1/assemblies/{id}/ballot", "get"),
        ("/api/v1/assemblies/{id}/ballot", "put"),
        ("/api/v1/assemblies/{id}/paper-ballots", "post"),
        ("/api/v1/paper-ballots/{id}/confirm", "post"),
        ("/api/v1/assemblies/{id}/proxies", "post"),
        ("/api/v1/assemblies/{id}/turnout", "get"),
        ("/api/v1/items/{id}/result", "get"),
        ("/api/v1/estates/{id}/audit", "get"),
        ("/healthz", "get"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing from the OpenAPI document");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

/// An admin creates an estate through the API and becomes its admin.
async fn an_admin_creates_an_estate(db: TestDb) {
    let app = spawn_app(db).await;
    let first = app.estate("小区甲");
    let admin = app.staff("admin", Role::Admin, &first).await;
    let created = admin.post("/api/v1/estates", json!({ "name": "小区乙" })).await.expect(201);
    assert_eq!(created["name"], "小区乙");
    let secretary = app.staff("sec", Role::Secretary, &first).await;
    secretary.post("/api/v1/estates", json!({ "name": "小区丙" })).await.refused(403, "forbidden");
    admin.post("/api/v1/estates", json!({ "name": "  " })).await.refused(422, "invalid_value");
}

e2e!(bad_requests_are_4xx_in_the_callers_language, the_openapi_document_lists_every_route, an_admin_creates_an_estate);
