//! Issue 17, attack 9 (keys): the estates' private signing keys are never in plaintext in the
//! database, and a key the server's secret cannot unwrap is refused by name, never a 500. The
//! real binary's start-up (wrapping old rows, a wrong secret file), backups and file modes are
//! tested in `crates/api/tests/keys_files.rs`.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use diesel::prelude::*;
use gongjue_api::export::keys;
use gongjue_api::export::wrap::KeyWrap;
use gongjue_store::Backend;
use serde_json::json;

use crate::e2e;
use crate::helpers::{SECRET, Small, TestDb, small_open_assembly};

/// Every form in which a private Ed25519 key could be written: the PEM, its base64 body, the
/// DER, the 32-byte seed raw, hex, base64 and base64url (a JWK's `d`).
fn private_forms(pem: &str) -> Vec<Vec<u8>> {
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = STANDARD.decode(&body).unwrap();
    // PKCS#8 of an Ed25519 key: a 16-byte header ending in OCTET STRING (04 20), then the
    // 32-byte seed (then, in version 2, the public key).
    assert!(
        der.len() >= 48 && der[14..16] == [0x04, 0x20],
        "an Ed25519 PKCS#8 key"
    );
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

/// Everything the database holds, as bytes: the SQLite file and its WAL, or every row of every
/// table of PostgreSQL as text.
fn database_bytes(small: &Small, url: &str) -> Vec<u8> {
    match small.app.store.backend() {
        Backend::Sqlite => {
            let path = url.strip_prefix("sqlite://").unwrap();
            let mut bytes = std::fs::read(path).unwrap();
            bytes.extend(std::fs::read(format!("{path}-wal")).unwrap_or_default());
            bytes
        }
        Backend::Postgres => {
            #[derive(QueryableByName)]
            struct Name {
                #[diesel(sql_type = diesel::sql_types::Text)]
                table_name: String,
            }
            #[derive(QueryableByName)]
            struct Row {
                #[diesel(sql_type = diesel::sql_types::Text)]
                row: String,
            }
            let mut conn = small.app.store.connection().unwrap();
            let tables: Vec<Name> = diesel::sql_query(
                "SELECT table_name::text AS table_name FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .load(&mut *conn)
            .unwrap();
            let mut bytes = Vec::new();
            for table in tables {
                let rows: Vec<Row> = diesel::sql_query(format!(
                    "SELECT t::text AS row FROM \"{}\" t",
                    table.table_name
                ))
                .load(&mut *conn)
                .unwrap();
                for row in rows {
                    bytes.extend(row.row.into_bytes());
                    bytes.push(b'\n');
                }
            }
            bytes
        }
    }
}

async fn publish_final(small: &Small) -> crate::helpers::Reply {
    small
        .secretary
        .call(
            reqwest::Method::POST,
            &format!("/api/v1/assemblies/{}/publication/final", small.assembly.id),
            Some(&json!({})),
        )
        .await
}

async fn no_private_key_in_the_database(db: TestDb) {
    let url = db.url.clone();
    let small = small_open_assembly(db, false).await;
    let owner = small.app.owner(&small.assembly, &small.codes["P1"]).await;
    owner
        .vote(&small.assembly, &[(small.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    small.secretary.close_early(&small.assembly).await;
    // The final publication makes the estate's first key and signs with it.
    publish_final(&small).await.expect(200);
    let wrap = KeyWrap::from_secret(SECRET);
    keys::rotate(&small.app.store, &wrap, &small.estate, "e2e").unwrap();
    let stored = small.app.store.signing_keys(&small.estate).unwrap();
    assert_eq!(stored.len(), 2, "the first key, retired, and the new one");
    let bytes = database_bytes(&small, &url);
    assert!(!contains(&bytes, b"PRIVATE KEY"), "no PEM anywhere");
    for key in &stored {
        assert!(
            key.private_wrapped
                .starts_with(gongjue_store::keys::WRAP_PREFIX)
        );
        let pem = wrap.private_pem(key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"));
        for (i, form) in private_forms(&pem).iter().enumerate() {
            assert!(
                !contains(&bytes, form),
                "key {}: private form {i} found in the database",
                key.kid
            );
        }
        // Unwrapped only under the server's secret, and only in its own row.
        assert!(
            KeyWrap::from_secret(b"another secret, not the server's one")
                .private_pem(key)
                .is_err()
        );
        assert!(wrap.unwrap("ed25519-other", &key.private_wrapped).is_err());
    }
    // The published keys are public halves only (no `d`).
    let jwks = small
        .app
        .anonymous()
        .get("/.well-known/jwks.json")
        .await
        .expect(200);
    assert!(
        jwks["keys"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("d").is_none())
    );
}

async fn an_unreadable_key_is_refused_by_name_not_a_500(db: TestDb) {
    let small = small_open_assembly(db, false).await;
    small.secretary.close_early(&small.assembly).await;
    // The estate's active key was wrapped under another secret (the database was moved to a
    // server with another secret file while it ran, say).
    let other = KeyWrap::from_secret(b"the secret of another server, 32+ chars");
    keys::rotate(&small.app.store, &other, &small.estate, "e2e").unwrap();
    let refused = publish_final(&small).await;
    let body = refused.refused(409, "signing_key_unreadable");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("签名密钥")),
        "{body}"
    );
    assert!(
        !small
            .app
            .store
            .publication(&small.assembly.id)
            .unwrap()
            .is_some_and(|p| p.is_final()),
        "nothing published"
    );
    // The operator retires the key (`gongjue keys rotate --replace-unreadable`): it works again.
    keys::rotate(
        &small.app.store,
        &KeyWrap::from_secret(SECRET),
        &small.estate,
        "e2e",
    )
    .unwrap();
    let published = publish_final(&small).await.expect(200);
    assert_eq!(published["exports"][0]["item"], small.motion.as_str());
}

e2e!(
    no_private_key_in_the_database,
    an_unreadable_key_is_refused_by_name_not_a_500,
);
