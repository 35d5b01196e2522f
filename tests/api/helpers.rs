//! `spawn_app()` and a small client with named steps, so that tests read as scenarios.

use std::collections::{BTreeMap, HashMap};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use gongjue_api::app::{self, BodyLimits};
use gongjue_api::auth::client_addr::TrustedProxies;
use gongjue_api::auth::password;
use gongjue_api::state::{AppState, Limits};
use gongjue_store::Store;
use gongjue_store::estates::NewEstate;
use gongjue_store::users::Role;
use serde_json::{Value, json};

// The store's test harness, reused as it is: a temp SQLite file per test, or a PostgreSQL
// database created per test and dropped with it.
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../crates/store/tests/store/harness.rs"]
pub mod harness;

pub use harness::TestDb;

pub const LAKESIDE: &[u8] = include_bytes!("../../../shared/fixtures/lakeside.csv");

/// Five units in two buildings; P1 holds two units.
pub const SMALL_ROSTER: &str =
    "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,
,1,1,102,1,100.00,P2,乙,,
,1,1,201,2,120.00,P1,甲,,
,2,1,101,1,80.00,P4,丁,,
,2,1,102,1,80.00,P5,戊,,
";

/// Owner A holds units in buildings 1 and 2 (150.00 m²): one head of four, 300.00 m² in all, so
/// 2/3 is exactly 200.00 m² and 3 heads (2/3 of 4 is 2.67); the building rows count five owners.
/// D's name would be a spreadsheet formula (issue 21: the dashboard and its not-voted list).
pub const TWO_BUILDINGS_ROSTER: &str =
    "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,A,甲,13900000001,a@example.com
,1,1,102,1,50.00,B,乙,13900000002,
,2,1,101,1,50.00,A,甲,13900000001,
,2,1,102,1,49.99,C,丙,,
,2,1,201,2,50.01,D,=SUM(A1),,
";

pub const CODE_FAILURES_PER_IP: u32 = 8;
pub const LOGIN_FAILURES_PER_IP: u32 = 10;

/// Generates `NAME::sqlite` and `NAME::postgres` tests running `async fn NAME(TestDb)`.
#[macro_export]
macro_rules! e2e {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::sqlite()).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(db) = $crate::helpers::postgres() {
                        super::$name(db).await;
                    }
                }
            }
        )*
    };
}

pub fn sqlite() -> TestDb {
    harness::sqlite()
}

pub fn postgres() -> Option<TestDb> {
    harness::postgres()
}

pub struct TestApp {
    pub base: String,
    pub http: reqwest::Client,
    pub store: Store,
    _db: TestDb,
}

/// The server secret of every test server (tests that forge tokens derive its keys).
pub const SECRET: &[u8] = b"e2e test secret, not for production use";

/// Body limits of every test server.
pub const BODY_LIMITS: BodyLimits = BodyLimits {
    json_bytes: 64 * 1024,
    upload_bytes: 4 * 1024 * 1024,
};

/// The real server on 127.0.0.1:0 over the given database.
pub async fn spawn_app(db: TestDb) -> TestApp {
    let store = db.store.clone();
    spawn_app_on(db, store)
}

/// The real server over `db` with its state changed by `adjust` (e.g. SMS settings).
pub fn spawn_app_with(db: TestDb, adjust: impl FnOnce(AppState) -> AppState) -> TestApp {
    let store = db.store.clone();
    let base = serve_store_with(store.clone(), TrustedProxies::default(), adjust);
    TestApp {
        base,
        http: reqwest::Client::new(),
        store,
        _db: db,
    }
}

/// The real server over `store`, a store opened on `db` with other settings (e.g. short waits).
pub fn spawn_app_on(db: TestDb, store: Store) -> TestApp {
    let base = serve_store(store.clone(), TrustedProxies::default());
    TestApp {
        base,
        http: reqwest::Client::new(),
        store,
        _db: db,
    }
}

/// Per-assembly limit of failed code attempts of every test server.
pub const CODE_FAILURES_PER_ASSEMBLY: u32 = 50;

/// One more server (same secret and limits) over `store`, believing `X-Forwarded-For` from
/// `proxies`; returns its base URL. Several of them over one database stand for a scale-out.
pub fn serve_store(store: Store, proxies: TrustedProxies) -> String {
    serve_store_with(store, proxies, |state| state)
}

/// [`serve_store`] with the state changed by `adjust`.
pub fn serve_store_with(
    store: Store,
    proxies: TrustedProxies,
    adjust: impl FnOnce(AppState) -> AppState,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding a free port");
    let port = listener.local_addr().expect("local address").port();
    let limits = Limits {
        code_failures_per_ip: CODE_FAILURES_PER_IP,
        code_failures_per_assembly: CODE_FAILURES_PER_ASSEMBLY,
        login_failures_per_ip: LOGIN_FAILURES_PER_IP,
    };
    let state = AppState::new(
        store,
        SECRET,
        Duration::from_secs(1800),
        limits,
        Duration::from_secs(900),
    )
    .with_trusted_proxies(proxies);
    let state = adjust(state);
    let server = app::serve(listener, state, BODY_LIMITS, 2, Duration::from_secs(5))
        .expect("starting the server");
    tokio::spawn(server);
    format!("http://127.0.0.1:{port}")
}

/// A response: status and JSON body (`Null` when the body is not JSON).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Value,
}

impl Reply {
    /// The body, after checking the status (with the body in the failure message).
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }

    /// Checks an error reply's status and code.
    #[track_caller]
    pub fn refused(self, status: u16, code: &str) -> Value {
        assert_eq!(
            (self.status, self.body["error"]["code"].as_str()),
            (status, Some(code)),
            "body: {}",
            self.body
        );
        self.body
    }
}

/// A signed-in client (staff or owner), or an anonymous one (`token` empty).
#[derive(Clone)]
pub struct Session {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
    /// The test's database: the outbox stands for the owners' mailboxes, where an e-mailed
    /// code is found (as its owner would read it; the API never shows it to staff).
    pub store: Store,
}

/// The code in the newest invitation e-mailed to `voter` for `assembly` (first issue or a
/// re-issue), read from the outbox as the owner reads their mailbox.
pub fn mailed_code(store: &Store, assembly: &str, voter: &str) -> Option<String> {
    let filter = gongjue_store::outbox::OutboxFilter {
        assembly_id: Some(assembly.to_owned()),
        ..Default::default()
    };
    let mails = store.outbox(&filter).expect("reading the outbox");
    mails
        .iter()
        .filter(|m| m.kind == "invitation" && m.voter.as_deref() == Some(voter))
        .max_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)))
        .and_then(|m| code_in(&m.body_text))
}

/// The voting code of the `/v/{code}` link in a message's text.
pub fn code_in(text: &str) -> Option<String> {
    let (_, rest) = text.split_once("/v/")?;
    let code: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!code.is_empty()).then_some(code)
}

impl Session {
    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<&Value>) -> Reply {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.base));
        if !self.token.is_empty() {
            request = request.bearer_auth(&self.token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("sending a request");
        let status = response.status().as_u16();
        let content_type = content_type(&response);
        let text = response.text().await.unwrap_or_default();
        conforms(
            &self.base,
            method_name(&method),
            path,
            status,
            &content_type,
            &text,
        )
        .await;
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.call(reqwest::Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(reqwest::Method::POST, path, Some(&body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.call(reqwest::Method::PUT, path, Some(&body)).await
    }

    pub async fn import_roster(&self, estate: &str, csv: &[u8]) -> Reply {
        let response = self
            .http
            .put(format!(
                "{}/api/v1/estates/{estate}/roster?name=roster.csv",
                self.base
            ))
            .bearer_auth(&self.token)
            // The content type the OpenAPI document declares (any is accepted).
            .header("content-type", "application/octet-stream")
            .body(csv.to_vec())
            .send()
            .await
            .expect("sending the roster");
        let status = response.status().as_u16();
        let content_type = content_type(&response);
        let text = response.text().await.unwrap_or_default();
        let path = format!("/api/v1/estates/{estate}/roster?name=roster.csv");
        conforms(&self.base, "put", &path, status, &content_type, &text).await;
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        }
    }

    /// A draft assembly whose voting opens in a moment (no notice period), closing in an hour.
    /// No objection period either, so that the result can be published as final at once.
    pub async fn create_assembly(&self, estate: &str, changeable: bool) -> Assembly {
        self.create_assembly_with(estate, changeable, json!({ "objection_days": 0 }))
            .await
    }

    /// As `create_assembly`, with further fields of the request (e.g. `public_roll`).
    pub async fn create_assembly_with(
        &self,
        estate: &str,
        changeable: bool,
        extra: Value,
    ) -> Assembly {
        let opens = Utc::now() + chrono::Duration::milliseconds(1200);
        let closes = Utc::now() + chrono::Duration::hours(1);
        let mut request = json!({
            "title": "2026年第一次业主大会会议",
            "opens_at": opens.to_rfc3339_opts(SecondsFormat::Millis, true),
            "closes_at": closes.to_rfc3339_opts(SecondsFormat::Millis, true),
            "ballots_changeable": changeable,
            "notice_days": 0,
        });
        if let (Some(fields), Value::Object(extra)) = (request.as_object_mut(), extra) {
            fields.extend(extra);
        }
        let body = self
            .post(&format!("/api/v1/estates/{estate}/assemblies"), request)
            .await
            .expect(201);
        Assembly {
            id: body["id"].as_str().expect("assembly id").to_owned(),
            opens,
        }
    }

    pub async fn add_item(&self, assembly: &Assembly, item: Value) -> String {
        let body = self
            .post(&format!("/api/v1/assemblies/{}/items", assembly.id), item)
            .await
            .expect(201);
        body["id"].as_str().expect("item id").to_owned()
    }

    /// The estate's audit log as its entries' actions, oldest first, and the entries.
    pub async fn audit_actions(&self, estate: &str) -> (Vec<String>, Value) {
        let audit = self
            .get(&format!("/api/v1/estates/{estate}/audit"))
            .await
            .expect(200);
        let actions = audit
            .as_array()
            .expect("audit entries")
            .iter()
            .filter_map(|e| e["action"].as_str().map(str::to_owned))
            .collect();
        (actions, audit)
    }

    /// Registers every candidate an election lists (each on the estate's first unit, answering
    /// every declaration), then has a second secretary find each eligible: what announcing an
    /// election requires (`tests/api/candidates.rs` shows the refusals).
    pub async fn approve_candidates(&self, item: &str) {
        let register = self
            .get(&format!("/api/v1/items/{item}/candidates"))
            .await
            .expect(200);
        let estate = {
            let item = self.store.item(item).expect("the election");
            self.store
                .assembly(&item.assembly_id)
                .expect("its assembly")
                .estate_id
        };
        let unit = self.store.current_units(&estate).expect("the roster")[0]
            .unit_number
            .clone();
        let declarations: serde_json::Map<String, Value> = register["declarations"]
            .as_array()
            .expect("declarations")
            .iter()
            .map(|d| {
                (
                    d.as_str().expect("a declaration").to_owned(),
                    Value::Bool(true),
                )
            })
            .collect();
        let reviewer = sign_in_staff(
            self,
            &format!("reviewer-{}", uuid::Uuid::now_v7().simple()),
            Role::Secretary,
            &estate,
        )
        .await;
        for name in register["listed"].as_array().expect("listed names") {
            let entry = self
                .post(
                    &format!("/api/v1/items/{item}/candidates"),
                    json!({ "name": name, "units": [unit], "statement": format!("{}愿为业主服务。", name.as_str().unwrap_or_default()),
                        "nominated_by": "业主联名推荐", "declarations": declarations }),
                )
                .await
                .expect(201);
            reviewer
                .post(
                    &format!(
                        "/api/v1/candidates/{}/review",
                        entry["id"].as_str().expect("id")
                    ),
                    json!({ "eligible": true }),
                )
                .await
                .expect(200);
        }
    }

    pub async fn announce(&self, assembly: &Assembly) {
        self.post(
            &format!("/api/v1/assemblies/{}/announce", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    }

    /// Waits for the opening time, then opens voting.
    pub async fn open(&self, assembly: &Assembly) {
        let wait = (assembly.opens - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait + Duration::from_millis(50)).await;
        self.post(
            &format!("/api/v1/assemblies/{}/open", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    }

    /// Publishes the closed assembly's result as final (its objection period over or none).
    pub async fn publish_final(&self, assembly: &Assembly) {
        self.post(
            &format!("/api/v1/assemblies/{}/publication/final", assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    }

    /// The claims of an item's signed export (the JWS payload, decoded, not verified).
    pub async fn export_claims(&self, item: &str) -> Value {
        use base64::Engine as _;
        let response = self
            .http
            .get(format!("{}/api/v1/items/{item}/export.jws", self.base))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("the export's signature");
        assert_eq!(
            response.status().as_u16(),
            200,
            "item {item}: no signed export"
        );
        let token = response.text().await.expect("the signature");
        let payload = token.split('.').nth(1).expect("a compact JWS");
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .expect("base64url claims"),
        )
        .expect("JSON claims")
    }

    pub async fn close_early(&self, assembly: &Assembly) {
        self.post(
            &format!("/api/v1/assemblies/{}/close", assembly.id),
            json!({ "reason": "e2e: every ballot is in" }),
        )
        .await
        .expect(200);
    }

    /// Issues codes to every voting member who has none yet (or to `voters`): owner id →
    /// code. The API answers only the codes that must be printed (owners without an e-mail
    /// address); an e-mailed code is read from the owner's invitation in the outbox.
    pub async fn issue_codes(
        &self,
        assembly: &Assembly,
        voters: Option<Vec<&str>>,
    ) -> BTreeMap<String, String> {
        let body = match voters {
            Some(v) => json!({ "voters": v }),
            None => json!({}),
        };
        let issued = self
            .post(&format!("/api/v1/assemblies/{}/codes", assembly.id), body)
            .await
            .expect(201);
        issued
            .as_array()
            .expect("a list of codes")
            .iter()
            .map(|c| {
                let voter = c["voter"].as_str().unwrap_or_default().to_owned();
                let code = match c["code"].as_str() {
                    Some(code) => {
                        assert_eq!(c["emailed"], false, "an e-mailed code was shown: {c}");
                        code.to_owned()
                    }
                    None => {
                        assert_eq!(c["emailed"], true, "a code neither shown nor e-mailed: {c}");
                        mailed_code(&self.store, &assembly.id, &voter)
                            .expect("the invitation with the code")
                    }
                };
                (voter, code)
            })
            .collect()
    }

    /// Asks for a re-issue of `voter`'s code (201): the re-issue's id.
    pub async fn request_reissue(&self, assembly: &Assembly, voter: &str, reason: &str) -> String {
        let asked = self
            .post(
                &format!("/api/v1/assemblies/{}/code-reissues", assembly.id),
                json!({ "voter": voter, "reason": reason }),
            )
            .await
            .expect(201);
        asked["id"].as_str().expect("the re-issue's id").to_owned()
    }

    /// Confirms a re-issue (as a staff member other than the one who asked).
    pub async fn confirm_reissue(&self, reissue: &str) -> Reply {
        self.post(
            &format!("/api/v1/code-reissues/{reissue}/confirm"),
            json!({}),
        )
        .await
    }

    pub async fn enter_paper(
        &self,
        assembly: &Assembly,
        item: &str,
        voter: &str,
        choice: Value,
    ) -> Reply {
        let received = Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true);
        self.post(
            &format!("/api/v1/assemblies/{}/paper-ballots", assembly.id),
            json!({ "item": item, "voter": voter, "choice": choice, "received_at": received, "scan_ref": "箱1-001" }),
        )
        .await
    }

    /// Casts this owner's votes: `(item, choice)`.
    pub async fn vote(&self, assembly: &Assembly, votes: &[(&str, Value)]) -> Reply {
        let votes: Vec<Value> = votes
            .iter()
            .map(|(item, choice)| json!({ "item": item, "choice": choice }))
            .collect();
        self.put(
            &format!("/api/v1/assemblies/{}/ballot", assembly.id),
            json!({ "votes": votes }),
        )
        .await
    }

    pub async fn vote_for(
        &self,
        assembly: &Assembly,
        member: &str,
        item: &str,
        choice: Value,
    ) -> Reply {
        self.put(
            &format!("/api/v1/assemblies/{}/ballot", assembly.id),
            json!({ "votes": [{ "item": item, "choice": choice, "on_behalf_of": member }] }),
        )
        .await
    }
}

#[derive(Debug, Clone)]
pub struct Assembly {
    pub id: String,
    pub opens: chrono::DateTime<Utc>,
}

impl TestApp {
    pub fn anonymous(&self) -> Session {
        Session {
            base: self.base.clone(),
            http: self.http.clone(),
            token: String::new(),
            store: self.store.clone(),
        }
    }

    /// A trial estate, created as `gongjue admin create-estate --trial` does: the tests'
    /// assemblies open a moment after announcing, which only a trial estate allows.
    pub fn estate(&self, name: &str) -> String {
        self.store
            .create_estate_with(&NewEstate::trial(name), "e2e")
            .expect("creating an estate")
            .id
    }

    /// A staff user with a role in an estate, created as `gongjue admin create-user` does,
    /// then signed in over HTTP.
    pub async fn staff(&self, login: &str, role: Role, estate: &str) -> Session {
        sign_in_staff(&self.anonymous(), login, role, estate).await
    }

    /// An owner signed in with their voting code.
    pub async fn owner(&self, assembly: &Assembly, code: &str) -> Session {
        let body = self
            .anonymous()
            .post(
                "/api/v1/owner-sessions",
                json!({ "code": code, "assembly_id": assembly.id }),
            )
            .await
            .expect(200);
        Session {
            token: body["token"].as_str().expect("token").to_owned(),
            ..self.anonymous()
        }
    }
}

/// A small estate with an open assembly of one ordinary motion (matter 4) and codes for all.
pub struct Small {
    pub app: TestApp,
    pub estate: String,
    pub secretary: Session,
    pub assembly: Assembly,
    pub motion: String,
    pub codes: BTreeMap<String, String>,
}

/// A staff user created as `gongjue admin create-user` does, signed in over HTTP on the
/// server `any` talks to.
pub async fn sign_in_staff(any: &Session, login: &str, role: Role, estate: &str) -> Session {
    let password = format!("{login}-password-long-enough");
    let hash = password::hash(&password).expect("hashing");
    let user = any
        .store
        .create_user(login, login, &hash)
        .expect("creating a user");
    any.store
        .grant_role(&user.id, estate, role, "e2e")
        .expect("granting a role");
    let anonymous = Session {
        token: String::new(),
        ..any.clone()
    };
    let body = anonymous
        .post(
            "/api/v1/sessions",
            json!({ "login": login, "password": password }),
        )
        .await
        .expect(200);
    Session {
        token: body["token"].as_str().expect("token").to_owned(),
        ..anonymous
    }
}

pub async fn small_open_assembly(db: TestDb, changeable: bool) -> Small {
    small_open_assembly_on(spawn_app(db).await, changeable).await
}

pub async fn small_open_assembly_on(app: TestApp, changeable: bool) -> Small {
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec-small", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, changeable).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    Small {
        app,
        estate,
        secretary,
        assembly,
        motion,
        codes,
    }
}

/// The small estate, one assembly with a motion, a 2-seat election and a consultation; P2 gave
/// P1 a proxy for the whole assembly.
pub struct WebSetup {
    pub app: TestApp,
    pub secretary: Session,
    pub assembly: Assembly,
    /// Motion, election, consultation.
    pub items: Vec<String>,
    pub codes: BTreeMap<String, String>,
}

pub async fn web_assembly(db: TestDb) -> WebSetup {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec-web", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    let motion = secretary.add_item(&assembly, json!({ "kind": "motion", "title": "续聘物业服务企业", "body": "续聘三年。", "matter": 4 })).await;
    let election = secretary
        .add_item(&assembly, json!({ "kind": "election", "title": "选举业主委员会委员", "seats": 2, "candidates": ["王一", "李二", "赵三"] }))
        .await;
    secretary.approve_candidates(&election).await;
    let consultation = secretary
        .add_item(&assembly, json!({ "kind": "consultation", "title": "停车位安排", "questions": [{ "id": "方案", "options": ["甲方案", "乙方案"] }] }))
        .await;
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/proxies", assembly.id),
            json!({ "member": "P2", "holder": "P1", "document_ref": "委托书 2026-007" }),
        )
        .await
        .expect(201);
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    WebSetup {
        app,
        secretary,
        assembly,
        items: vec![motion, election, consultation],
        codes,
    }
}

/// The served OpenAPI document, fetched once per test binary, and the validators of its
/// response schemas, compiled on first use.
struct Contract {
    doc: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

static CONTRACT: tokio::sync::OnceCell<Contract> = tokio::sync::OnceCell::const_new();

pub fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}

pub fn method_name(method: &reqwest::Method) -> &'static str {
    match *method {
        reqwest::Method::GET => "get",
        reqwest::Method::PUT => "put",
        reqwest::Method::POST => "post",
        reqwest::Method::DELETE => "delete",
        reqwest::Method::PATCH => "patch",
        _ => "other",
    }
}

/// The document's path template matching a request path (query left out), literal segments
/// preferred over `{param}` ones; none for paths it does not describe (pages, unknown routes).
fn template_of<'d>(doc: &'d Value, path: &str) -> Option<&'d str> {
    let path = path.split('?').next().unwrap_or(path);
    let segments: Vec<&str> = path.split('/').collect();
    doc["paths"]
        .as_object()?
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            let fits = parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(t, s)| {
                    t == s || (t.starts_with('{') && t.ends_with('}') && !s.is_empty())
                });
            fits.then(|| {
                let params = parts.iter().filter(|t| t.starts_with('{')).count();
                (params, template.as_str())
            })
        })
        .min()
        .map(|(_, template)| template)
}

/// Checks a response against the operation's declared responses: the status must be declared,
/// the content type among the declared ones, and a JSON body valid against its schema (with
/// formats). Requests to paths or methods the document does not describe are not checked.
pub async fn conforms(
    base: &str,
    method: &str,
    path: &str,
    status: u16,
    content_type: &str,
    text: &str,
) {
    let contract = CONTRACT
        .get_or_init(|| async {
            let doc: Value = reqwest::get(format!("{base}/api/openapi.json"))
                .await
                .expect("fetching the OpenAPI document")
                .json()
                .await
                .expect("the OpenAPI document is JSON");
            Contract {
                doc,
                validators: Mutex::new(HashMap::new()),
            }
        })
        .await;
    let doc = &contract.doc;
    let Some(template) = template_of(doc, path) else {
        return;
    };
    let operation = &doc["paths"][template][method];
    if operation.is_null() {
        return;
    }
    let what = format!(
        "{} {path} ({template}) answered {status}",
        method.to_uppercase()
    );
    let mut response = &operation["responses"][status.to_string()];
    assert!(
        !response.is_null(),
        "{what}, a status the OpenAPI document does not declare; body: {text}"
    );
    if let Some(reference) = response["$ref"].as_str() {
        response = &doc["components"]["responses"]
            [reference.trim_start_matches("#/components/responses/")];
    }
    let media = content_type.split(';').next().unwrap_or("").trim();
    if text.is_empty() && media.is_empty() {
        return;
    }
    let content = &response["content"][media];
    assert!(
        !content.is_null(),
        "{what} with content type {content_type:?}, which the document does not declare for it"
    );
    if media != "application/json" {
        return;
    }
    let key = format!("{method} {template} {status}");
    let validator = {
        let mut validators = contract.validators.lock().expect("validators");
        validators
            .entry(key)
            .or_insert_with(|| {
                // The schema with the document's components beside it, so `#/components/...`
                // references resolve from it.
                let mut schema = content["schema"].clone();
                if let Value::Object(map) = &mut schema {
                    map.insert("components".into(), doc["components"].clone());
                }
                let built = jsonschema::options()
                    .with_draft(jsonschema::Draft::Draft202012)
                    .should_validate_formats(true)
                    .build(&schema);
                Arc::new(built.unwrap_or_else(|e| panic!("the schema of {what}: {e}")))
            })
            .clone()
    };
    let body: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{what}: the body is not JSON ({e}): {text}"));
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: the body breaks the OpenAPI document's schema:\n  {}\nbody: {}",
        errors.join("\n  "),
        text.chars().take(2000).collect::<String>()
    );
}
