//! Issue 17, attack 9, tried again with the real binary: private signing keys are never in
//! plaintext in the database or a backup (old plaintext rows are wrapped at start, a wrong
//! secret file is named with what to do, keys follow a new secret with `gongjue keys rewrap`),
//! the service's files are owner-only, invitations leave no code behind, and a staff token
//! issued before a password reset is refused after it.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../store/tests/store/harness.rs"]
mod harness;
#[allow(dead_code)]
mod live;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use diesel::prelude::*;
use gongjue_api::export::keys;
use gongjue_api::export::wrap::{KeyWrap, is_wrapped};
use gongjue_api::i18n::{Lang, Msg};
use gongjue_store::Store;
use gongjue_store::keys::SigningKey;
use gongjue_store::outbox::{OutboxFilter, SCRUBBED_BODY};
use harness::TestDb;
use live::{Server, gongjue};
use reqwest::Method;

const S1: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const S2: &str = "2222222222222222222222222222222222222222222222222222222222222222";

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn write_secret(path: &Path, secret: &str) {
    std::fs::write(path, secret).unwrap();
    chmod(path, 0o600);
}

/// Every form in which a private Ed25519 key could be written (see tests/api/keys_files.rs).
fn private_forms(pem: &str) -> Vec<Vec<u8>> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD.decode(&body).unwrap();
    assert!(der.len() >= 48 && der[14..16] == [0x04, 0x20]);
    let seed = der[16..48].to_vec();
    let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
    vec![
        pem.as_bytes().to_vec(),
        body.into_bytes(),
        der,
        seed.clone(),
        hex.into_bytes(),
        STANDARD.encode(&seed).into_bytes(),
        URL_SAFE_NO_PAD.encode(&seed).into_bytes(),
    ]
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A key as an earlier version stored it: the private PEM in clear. Returns (kid, PEM).
fn plaintext_key(db: &TestDb, estate: &str) -> (String, String) {
    let key = keys::generate().unwrap();
    diesel::sql_query(format!(
        "INSERT INTO signing_keys (id, estate_id, kid, private_wrapped, public_pem, created_at) \
         VALUES ('{}', '{estate}', '{}', '{}', '{}', '2026-01-01T00:00:00.000000Z')",
        uuid::Uuid::now_v7(),
        key.kid,
        key.private_pem,
        key.public_pem
    ))
    .execute(&mut db.raw())
    .unwrap();
    (key.kid, key.private_pem)
}

fn stored_keys(db: &TestDb, estate: &str) -> Vec<SigningKey> {
    db.store.signing_keys(estate).unwrap()
}

/// `gongjue serve` on the test's database with `secret`, until it listens; its log.
fn serve_once(dir: &Path, db: &TestDb, secret: &Path) -> String {
    let secret = secret.display().to_string();
    let mail = dir.join("outbox").display().to_string();
    let server = Server::start(
        dir,
        &[
            "--database-url",
            &db.url,
            "--secret-file",
            &secret,
            "--mail-dir",
            &mail,
        ],
        &[("LANG", "en_US.UTF-8"), ("LC_ALL", "en_US.UTF-8")],
    );
    server.stop()
}

/// `gongjue serve` that must refuse to start: its output.
fn serve_refused(dir: &Path, db: &TestDb, secret: &Path) -> Output {
    let mut child = gongjue(dir)
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", &db.url])
        .arg("--secret-file")
        .arg(secret)
        .arg("--mail-dir")
        .arg(dir.join("outbox"))
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "en_US.UTF-8")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..600 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    child.wait_with_output().unwrap()
}

fn keys_cli(dir: &Path, db: &TestDb, args: &[&str], secret: &Path) -> Output {
    gongjue(dir)
        .arg("keys")
        .args(args)
        .args(["--database-url", &db.url, "--lang", "en"])
        .arg("--secret-file")
        .arg(secret)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn unreadable(kid: &str, estate: &str, secret: &Path) -> String {
    Msg::CliKeyUnreadable.text_with(
        Lang::En,
        &[
            ("kid", kid.into()),
            ("estate", estate.into()),
            ("secret", (&secret.display().to_string()).into()),
        ],
    )
}

fn last_system_entry(db: &TestDb) -> (String, String) {
    let (seq, _) = db.store.audit_head("system").unwrap();
    let entry = db
        .store
        .audit_entries("system", seq - 1, 1)
        .unwrap()
        .remove(0);
    (entry.action, entry.detail)
}

/// Plaintext keys of an earlier version are wrapped at the next start, once; a wrong secret
/// file stops the server naming the key and what to do; `keys rewrap` moves every key to a
/// new secret; `keys rotate --replace-unreadable` retires a key whose secret is lost.
fn keys_follow_the_secret_file(db: &TestDb) {
    let dir = harness::temp_dir();
    let (f1, f2, f3) = (
        dir.join("secret-1.key"),
        dir.join("secret-2.key"),
        dir.join("secret-3.key"),
    );
    write_secret(&f1, S1);
    write_secret(&f2, S2);
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap().id;
    let (kid, pem) = plaintext_key(db, &estate);

    // Next start: wrapped under the secret file, in the database as in the log.
    let log = serve_once(&dir, db, &f1);
    assert!(log.contains("now wrapped") && log.contains(&kid), "{log}");
    let first = stored_keys(db, &estate);
    assert!(is_wrapped(&first[0].private_wrapped));
    assert!(!first[0].private_wrapped.contains("PRIVATE KEY"));
    let w1 = KeyWrap::from_secret(S1.as_bytes());
    assert_eq!(
        w1.unwrap(&kid, &first[0].private_wrapped).unwrap().as_str(),
        pem
    );
    let (action, detail) = last_system_entry(db);
    assert_eq!(action, "signing_keys.wrapped");
    assert!(
        detail.contains(&kid) && !detail.contains("PRIVATE"),
        "{detail}"
    );
    // Once: a second start changes nothing.
    let log = serve_once(&dir, db, &f1);
    assert!(!log.contains("now wrapped"), "{log}");
    assert_eq!(
        stored_keys(db, &estate)[0].private_wrapped,
        first[0].private_wrapped
    );

    // A rotation wraps the new key too.
    let out = keys_cli(&dir, db, &["rotate", "--estate", &estate], &f1);
    assert!(out.status.success(), "{}", text(&out));
    let two = stored_keys(db, &estate);
    assert_eq!(two.len(), 2);
    assert!(two.iter().all(|k| w1.private_pem(k).is_ok()));

    // The secret file is replaced: every key re-encrypted under the new one (created 0600).
    let out = keys_cli(
        &dir,
        db,
        &["rewrap", "--old-secret-file", f1.to_str().unwrap()],
        &f3,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains(
            &Msg::CliKeysRewrapped
                .text_with(Lang::En, &[("n", 2u32.into()), ("already", 0u32.into())])
        ),
        "{}",
        text(&out)
    );
    assert_eq!(mode(&f3), 0o600);
    let s3 = std::fs::read_to_string(&f3).unwrap();
    let w3 = KeyWrap::from_secret(s3.trim().as_bytes());
    let moved = stored_keys(db, &estate);
    assert!(
        moved
            .iter()
            .all(|k| w3.private_pem(k).is_ok() && w1.private_pem(k).is_err())
    );
    assert_eq!(last_system_entry(db).0, "signing_keys.rewrapped");
    // Again: nothing left to do.
    let out = keys_cli(
        &dir,
        db,
        &["rewrap", "--old-secret-file", f1.to_str().unwrap()],
        &f3,
    );
    assert!(
        text(&out).contains(
            &Msg::CliKeysRewrapped
                .text_with(Lang::En, &[("n", 0u32.into()), ("already", 2u32.into())])
        ),
        "{}",
        text(&out)
    );
    serve_once(&dir, db, &f3);
    let active = moved.iter().find(|k| k.retired_at.is_none()).unwrap();

    // The old secret file no longer opens them: the server does not start, and says why.
    for wrong in [&f1, &f2] {
        let out = serve_refused(&dir, db, wrong);
        assert!(!out.status.success(), "{}", text(&out));
        let said = text(&out);
        assert!(
            said.contains(&unreadable(&active.kid, &estate, wrong)),
            "{said}"
        );
        assert!(!said.contains("panicked"), "{said}");
    }
    assert_eq!(stored_keys(db, &estate), moved, "nothing changed");

    // A lost secret: a rotation is refused the same way unless told to replace the key.
    let out = keys_cli(&dir, db, &["rotate", "--estate", &estate], &f2);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains(&unreadable(&active.kid, &estate, &f2)));
    let out = keys_cli(
        &dir,
        db,
        &["rotate", "--estate", &estate, "--replace-unreadable"],
        &f2,
    );
    assert!(out.status.success(), "{}", text(&out));
    let log = serve_once(&dir, db, &f2);
    assert!(
        log.contains("retired signing key cannot be unwrapped") && log.contains(&active.kid),
        "{log}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn keys_follow_the_secret_file_on_sqlite() {
    keys_follow_the_secret_file(&harness::sqlite());
}

#[test]
fn keys_follow_the_secret_file_on_postgres() {
    if let Some(db) = harness::postgres() {
        keys_follow_the_secret_file(&db);
    }
}

fn backup(dir: &Path, db: &TestDb, dest: &Path, secret: &Path) -> Output {
    gongjue(dir)
        .arg("backup")
        .arg(dest)
        .args(["--database-url", &db.url, "--lang", "en"])
        .arg("--secret-file")
        .arg(secret)
        .output()
        .unwrap()
}

/// `gongjue backup` copies only wrapped keys: plaintext rows of an earlier version are wrapped
/// first, or, without the secret file, nothing is copied. The copy is owner-only and is
/// restored with the secret file it was made under.
#[test]
fn a_backup_holds_no_plaintext_key() {
    let db = harness::sqlite();
    let dir = harness::temp_dir();
    let f1 = dir.join("secret.key");
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap().id;
    let (kid, pem) = plaintext_key(&db, &estate);

    let dest = dir.join("backup-1.db");
    let out = backup(&dir, &db, &dest, &f1);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains(
            &Msg::CliBackupPlaintextKeys
                .text_with(Lang::En, &[("secret", (&f1.display().to_string()).into())])
        ),
        "{}",
        text(&out)
    );
    assert!(!dest.exists(), "nothing copied");

    write_secret(&f1, S1);
    let out = backup(&dir, &db, &dest, &f1);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(mode(&dest), 0o600, "the copy is owner-only");
    let bytes = std::fs::read(&dest).unwrap();
    assert!(!contains(&bytes, b"PRIVATE KEY"));
    for form in private_forms(&pem) {
        assert!(!contains(&bytes, &form), "a private form in the backup");
    }
    // The live database's row is wrapped too, and the copy restores with its secret file.
    assert!(is_wrapped(&stored_keys(&db, &estate)[0].private_wrapped));
    let restored = Store::open(&format!("sqlite://{}", dest.display())).unwrap();
    let copy = restored.signing_keys(&estate).unwrap();
    assert_eq!(
        KeyWrap::from_secret(S1.as_bytes())
            .unwrap(&kid, &copy[0].private_wrapped)
            .unwrap()
            .as_str(),
        pem
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// `.eml` files named as the file transport names them, written `age` ago, mode 0644.
fn old_eml(dir: &Path, kind: &str, age: Duration) -> PathBuf {
    let path = dir.join(format!("{}-{kind}.eml", uuid::Uuid::now_v7()));
    std::fs::write(&path, format!("Subject: {kind}\r\n\r\nold")).unwrap();
    chmod(&path, 0o644);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(SystemTime::now() - age)
        .unwrap();
    path
}

const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@example.org
,1,1,102,1,100.00,P2,乙,,p2@example.org
,1,1,201,2,120.00,P3,丙,,
";

/// A data folder as an earlier version left it (0755 folders, 0644 files), then the real
/// server: every file and folder is owner-only afterwards, the process's umask is 077,
/// invitations leave no code in the database and old invitation files are deleted, backups are
/// 0600, and a password reset ends the staff token issued before it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_owner_only_and_codes_do_not_linger() {
    let dir = live::temp_dir("modes");
    let data = dir.join("data");
    let outbox = data.join("outbox");
    std::fs::create_dir_all(&outbox).unwrap();
    let estate = live::bootstrap(&dir, &[]);
    let db_file = data.join("gongjue.db");
    assert_eq!(mode(&db_file), 0o600, "created owner-only");
    let secret = data.join("secret.key");
    std::fs::write(&secret, S1).unwrap();
    let old_invitation = old_eml(&outbox, "invitation", Duration::from_secs(48 * 3600));
    let old_announcement = old_eml(&outbox, "announcement", Duration::from_secs(48 * 3600));
    for (path, wide) in [
        (&data, 0o755),
        (&outbox, 0o755),
        (&db_file, 0o644),
        (&secret, 0o644),
    ] {
        chmod(path, wide);
    }

    let server = Server::start(&dir, &[], &[]);
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.pid())).unwrap();
    assert!(
        status.lines().any(|l| l == "Umask:\t0077"),
        "the server's umask: {status}"
    );
    // What an earlier version left open is narrowed, and the log says so.
    let log = server.log();
    for narrowed in [
        "path=./data/gongjue.db was=0644 now=0600",
        "path=./data/secret.key was=0644 now=0600",
        "path=./data was=0755 now=0700",
        "path=./data/outbox/ was=0755 now=0700",
    ] {
        assert!(
            log.lines()
                .any(|l| l.contains("access narrowed to the owner") && l.contains(narrowed)),
            "{narrowed}: {log}"
        );
    }

    let token = server.sign_in().await;
    let (assembly, _, _) = server.open_assembly(&token, &estate, ROSTER, false).await;
    // Two invitations handed to the file transport: their bodies leave the database.
    let store = Store::open(&format!("sqlite://{}", db_file.display())).unwrap();
    let filter = OutboxFilter {
        assembly_id: Some(assembly.clone()),
        ..OutboxFilter::default()
    };
    let mut invitations = Vec::new();
    for _ in 0..300 {
        invitations = store
            .outbox(&filter)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "invitation")
            .collect();
        if invitations.len() == 2 && invitations.iter().all(|e| e.status == "sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(invitations.len(), 2);
    for email in &invitations {
        assert_eq!(email.status, "sent");
        assert_eq!(
            (email.body_text.as_str(), email.body_html.as_deref()),
            (SCRUBBED_BODY, None),
            "the code is gone from the database"
        );
        assert!(!email.subject.is_empty() && email.recipient.contains("@example.org"));
    }

    let backup_file = data.join("backup.db");
    let out = gongjue(&dir)
        .arg("backup")
        .arg(&backup_file)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));

    // Every file and folder is the owner's alone.
    let files: Vec<PathBuf> = std::fs::read_dir(&outbox)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let new_invitations = files
        .iter()
        .filter(|p| p.to_string_lossy().ends_with("-invitation.eml"))
        .count();
    assert_eq!(new_invitations, 2, "{files:?}");
    let wal = data.join("gongjue.db-wal");
    let shm = data.join("gongjue.db-shm");
    assert!(wal.exists() && shm.exists());
    for dir_path in [&data, &outbox] {
        assert_eq!(mode(dir_path), 0o700, "{}", dir_path.display());
    }
    for file in [&db_file, &wal, &shm, &secret, &backup_file]
        .into_iter()
        .chain(files.iter())
    {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    // The invitation file past the pickup period is gone; other old files stay (retention).
    assert!(!old_invitation.exists());
    assert!(old_announcement.exists());
    let (seq, _) = store.audit_head("system").unwrap();
    let erased = store
        .audit_entries("system", 0, seq)
        .unwrap()
        .into_iter()
        .rfind(|e| e.action == "mail_files.erased")
        .expect("the deletion is audited");
    assert!(erased.detail.contains("pickup"), "{}", erased.detail);

    // A staff token issued before a password reset is refused after it.
    let units = format!("/estates/{estate}/units");
    let (status, _, _) = server.call(Method::GET, &units, Some(&token), None).await;
    assert_eq!(status, 200);
    let out = gongjue(&dir)
        .args(["admin", "reset-password", "--login", "wang"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let (status, body, _) = server.call(Method::GET, &units, Some(&token), None).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("bad_token"))
    );
    server.stop();
    let _ = std::fs::remove_dir_all(dir);
}
