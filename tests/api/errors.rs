//! Bad requests get 4xx with a stable code, a message in the caller's language and the field;
//! never a 5xx. The OpenAPI document lists every route.

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{TestDb, small_open_assembly, spawn_app};

async fn bad_requests_are_4xx_in_the_callers_language(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    let url = format!("{}/api/v1/estates/{estate}/assemblies", app.base);
    let send = |body: &'static str, lang: &'static str| {
        app.http
            .post(&url)
            .bearer_auth(&secretary.token)
            .header("content-type", "application/json")
            .header("accept-language", lang)
            .body(body)
            .send()
    };
    let reply = |r: reqwest::Response| async move {
        (
            r.status().as_u16(),
            r.json::<serde_json::Value>().await.unwrap_or_default(),
        )
    };

    let (status, body) = reply(send("{\"title\": ", "zh-CN").await.expect("send")).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("malformed_body"))
    );
    assert_eq!(body["error"]["message"], "请求内容格式不正确。");
    let (status, body) = reply(
        send(
            "{\"title\": \"x\", \"colour\": 1, \"opens_at\": \"\", \"closes_at\": \"\"}",
            "en",
        )
        .await
        .expect("send"),
    )
    .await;
    assert_eq!(
        (
            status,
            body["error"]["code"].as_str(),
            body["error"]["field"].as_str()
        ),
        (422, Some("unknown_field"), Some("colour"))
    );
    assert_eq!(
        body["error"]["message"],
        "The request has a field that is not known."
    );
    let (status, body) = reply(
        send(
            "{\"title\": 7, \"opens_at\": \"\", \"closes_at\": \"\"}",
            "en",
        )
        .await
        .expect("send"),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_value"))
    );
    let (status, body) = reply(send("{\"title\": \"x\", \"opens_at\": \"tomorrow\", \"closes_at\": \"2030-01-01T00:00:00Z\"}", "en").await.expect("send")).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("opens_at"))
    );

    let huge = format!("{{\"title\": \"{}\"}}", "x".repeat(100 * 1024));
    let response = app
        .http
        .post(&url)
        .bearer_auth(&secretary.token)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 413);

    let roster = secretary.import_roster(&estate, b"zone,building,stairwell,unit,floor,area_m2,owner_id\n,1,1,101,1,-5,P1\n,1,1,101,1,80,P2\n").await;
    let body = roster.refused(422, "roster_invalid");
    let lines: Vec<u64> = body["error"]["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .filter_map(|i| i["line"].as_u64())
        .collect();
    assert_eq!(lines, vec![2, 3], "{body}");

    // A file longer than the most rows a roster may have is refused at its first row too many,
    // without reading the rest (a whole district's export, say), and nothing is stored.
    let limit = gongjue_store::roster::MAX_ROSTER_ROWS;
    let mut long = String::from("building,room,area,owner_id\n");
    for n in 0..limit {
        long.push_str(&format!("{},{},80,P{n}\n", n / 1000, n % 1000 + 1));
    }
    let roster = secretary.import_roster(&estate, long.as_bytes()).await;
    let body = roster.refused(422, "roster_invalid");
    let issue = &body["error"]["issues"][0];
    assert_eq!(issue["line"].as_u64(), Some(limit as u64 + 1), "{body}");
    assert!(
        issue["message"]
            .as_str()
            .is_some_and(|m| m.contains("200") && m.contains("行")),
        "{body}"
    );
    let versions = secretary
        .get(&format!("/api/v1/estates/{estate}/roster-versions"))
        .await
        .expect(200);
    assert_eq!(versions.as_array().map(Vec::len), Some(0), "{versions}");

    let unknown = secretary
        .get("/api/v1/assemblies/01234567-no-such-assembly")
        .await;
    unknown.refused(404, "not_found");
    app.anonymous()
        .get("/api/v1/no/such/route")
        .await
        .refused(404, "no_route");
    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("send");
    assert!(health.headers().contains_key("x-request-id"));
}

async fn the_openapi_document_lists_every_route(db: TestDb) {
    let app = spawn_app(db).await;
    let doc = app.anonymous().get("/api/openapi.json").await.expect(200);
    assert!(
        doc["openapi"]
            .as_str()
            .unwrap_or_default()
            .starts_with("3.")
    );
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
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} missing from the OpenAPI document"
        );
    }
    for scheme in ["staff", "owner"] {
        assert!(doc["components"]["securitySchemes"][scheme].is_object());
    }
    // Public routes say so, so that generated clients send no token there.
    assert_eq!(
        doc["paths"]["/api/v1/sessions"]["post"]["security"],
        json!([])
    );
    assert_eq!(
        doc["paths"]["/api/v1/assemblies/{id}/ballot"]["put"]["security"],
        json!([{ "owner": [] }])
    );
}

/// The response check of every helper call (`helpers::conforms`) refuses what the document
/// does not allow: a body breaking its schema, an undeclared status, an undeclared content type.
async fn responses_are_checked_against_the_document(db: TestDb) {
    let app = spawn_app(db).await;
    // A first call fetches the document; a conforming answer passes.
    app.anonymous().get("/healthz").await.expect(200);
    let check = |status: u16, content_type: &'static str, body: &'static str| {
        let base = app.base.clone();
        tokio::spawn(async move {
            crate::helpers::conforms(&base, "get", "/healthz", status, content_type, body).await
        })
    };
    assert!(
        check(200, "application/json", r#"{"status":"ok"}"#)
            .await
            .is_ok()
    );
    for (status, content_type, body) in [
        (200, "application/json", r#"{"status":"fine"}"#),
        (200, "application/json", r#"{}"#),
        (201, "application/json", r#"{"status":"ok"}"#),
        (200, "text/plain", "ok"),
    ] {
        let outcome = check(status, content_type, body).await;
        assert!(
            outcome.is_err_and(|e| e.is_panic()),
            "{status} {content_type} {body} passed the check"
        );
    }
}

/// An admin creates an estate through the API and becomes its admin.
async fn an_admin_creates_an_estate(db: TestDb) {
    let app = spawn_app(db).await;
    let first = app.estate("小区甲");
    let admin = app.staff("admin", Role::Admin, &first).await;
    let created = admin
        .post("/api/v1/estates", json!({ "name": "小区乙" }))
        .await
        .expect(201);
    assert_eq!(created["name"], "小区乙");
    let secretary = app.staff("sec", Role::Secretary, &first).await;
    secretary
        .post("/api/v1/estates", json!({ "name": "小区丙" }))
        .await
        .refused(403, "forbidden");
    admin
        .post("/api/v1/estates", json!({ "name": "  " }))
        .await
        .refused(422, "invalid_value");
}

/// A NUL (U+0000) in any text a client sends is refused naming where it is, on both backends
/// (PostgreSQL keeps no NUL in text: it used to answer these with a database error, a 500), and
/// nothing of the request is stored. Found by schemathesis run on PostgreSQL.
async fn a_nul_in_any_text_is_refused_naming_where(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let assembly = &s.assembly.id;
    let field = |reply: crate::helpers::Reply| {
        reply.refused(422, "invalid_value")["error"]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let proxy =
        json!({ "member": "P2", "holder": "P1", "items": [], "document_ref": "委托书\u{0}" });
    assert_eq!(
        field(
            s.secretary
                .post(&format!("/api/v1/assemblies/{assembly}/proxies"), proxy)
                .await
        ),
        "document_ref"
    );
    assert!(
        s.app
            .store
            .assembly_proxies(assembly)
            .expect("proxies")
            .is_empty(),
        "nothing stored"
    );
    let transfer = json!({ "unit": "1-1-101", "to_voter": "P\u{0}9", "deed_ref": "沪(2026)第1号" });
    assert_eq!(
        field(
            s.secretary
                .post(
                    &format!("/api/v1/assemblies/{assembly}/transfers"),
                    transfer
                )
                .await
        ),
        "to_voter"
    );
    let votes = json!({ "votes": [{ "item": s.motion, "choice": "yes\u{0}" }] });
    let owner = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    assert_eq!(
        field(
            owner
                .put(&format!("/api/v1/assemblies/{assembly}/ballot"), votes)
                .await
        ),
        "votes[0].choice"
    );
    // In the address: an id in the path, a query value.
    assert_eq!(
        field(s.secretary.get("/api/v1/assemblies/%00").await),
        "(address)"
    );
    assert_eq!(
        field(
            s.secretary
                .get(&format!(
                    "/api/v1/assemblies/{assembly}/notices/preview?kind=result&member=P%001"
                ))
                .await
        ),
        "(address)"
    );
    // In a page's form: refused before the form is read further (no CSRF token needed to see it).
    let page = s
        .app
        .http
        .post(format!("{}/staff/login", s.app.base))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("login=wang%00&password=x")
        .send()
        .await
        .expect("send");
    assert_eq!(page.status().as_u16(), 422);
    // In a roster cell: the roster's own report names the line and the column.
    let roster = s
        .secretary
        .import_roster(
            &s.estate,
            "building,room,area,owner_id,owner_name\n1,101,100.00,P1,甲\0\n".as_bytes(),
        )
        .await;
    let issues = roster.refused(422, "roster_invalid")["error"]["issues"].clone();
    assert_eq!(
        (issues[0]["line"].as_u64(), issues[0]["column"].as_str()),
        (Some(2), Some("owner_name")),
        "{issues}"
    );
    // Nothing refused above was stored: the item still counts, with no ballot.
    let turnout = s
        .secretary
        .get(&format!("/api/v1/assemblies/{assembly}/turnout"))
        .await
        .expect(200);
    assert_eq!(turnout[0]["participation"]["heads"], 0, "{turnout}");
}

e2e!(
    bad_requests_are_4xx_in_the_callers_language,
    the_openapi_document_lists_every_route,
    an_admin_creates_an_estate,
    a_nul_in_any_text_is_refused_naming_where,
    responses_are_checked_against_the_document
);
