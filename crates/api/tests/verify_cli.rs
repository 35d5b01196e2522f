//! `gongjue verify` as an auditor runs it on files: exit 0 when all matches, 1 naming the mismatch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::process::Command;

use gongjue_api::export::{jws, keys};
use serde_json::{Value, json};

#[test]
fn verify_accepts_a_signed_export_and_names_each_tampering() {
    let dir = std::env::temp_dir().join(format!("gongjue-verify-cli-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let mut doc = json!({"format": "gongjue-tally/1", "kind": "motion", "title": "t", "rule": "ordinary",
        "electorate": [{"unit": "1", "area": "100.00", "voter": "a"}, {"unit": "2", "area": "100.00", "voter": "b"}, {"unit": "3", "area": "100.00", "voter": "c"}],
        "ballots": [{"voter": "a", "choice": "yes"}, {"voter": "b", "choice": "yes"}, {"voter": "c", "choice": "no"}]});
    let tally = gongjue_domain::bundle::read(&serde_json::to_vec(&doc).unwrap()).unwrap();
    doc["result"] = serde_json::to_value(tally.result()).unwrap();
    let key = keys::generate().unwrap();
    let stored = gongjue_store::keys::SigningKey {
        id: "k".into(),
        estate_id: "e".into(),
        kid: key.kid.clone(),
        private_wrapped: String::new(),
        public_pem: key.public_pem.clone(),
        created_at: String::new(),
        retired_at: None,
    };
    fs::write(
        dir.join("jwks.json"),
        keys::jwks(&[stored]).unwrap().to_string(),
    )
    .unwrap();
    let write = |name: &str, doc: &Value| {
        let bytes = serde_json::to_vec_pretty(doc).unwrap();
        let claims = jws::Claims {
            iss: "gongjue:estate:e".into(),
            iat: 0,
            bundle_sha256: jws::sha256_hex(&bytes),
            item: "i".into(),
            assembly: "a".into(),
            estate: "e".into(),
            outcome: doc["result"]["outcome"].as_str().map(str::to_owned),
            audit_seq_at_close: 1,
            audit_head_at_close: "0".repeat(64),
            // As the service signs a trial estate's export: its title marked, the claim set.
            trial: doc["title"]
                .as_str()
                .is_some_and(|t| t.starts_with("[试用/TRIAL] ")),
            log_checkpoint: None,
            log_proofs: None,
            log_witnesses: Vec::new(),
            documents: Vec::new(),
            previous_round: None,
        };
        fs::write(dir.join(name), &bytes).unwrap();
        fs::write(
            dir.join(format!("{name}.jws")),
            jws::sign(&claims, &key.private_pem, &key.kid).unwrap(),
        )
        .unwrap();
        dir.join(name)
    };
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_gongjue"))
            .arg("verify")
            .arg(file)
            .output()
            .unwrap()
    };

    let good = write("good.json", &doc);
    let out = run(&good);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("recount: ok"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("TRIAL"));

    // A trial estate's export is a valid bundle too, and verify says first that it is a trial.
    let mut trial = doc.clone();
    trial["title"] = json!("[试用/TRIAL] t");
    let out = Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .arg("verify")
        .arg(write("trial.json", &trial))
        .env("LANG", "en_US.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("TRIAL: TRIAL/试用: a practice run") && stdout.contains("recount: ok"),
        "{stdout}"
    );

    let mut figure = doc.clone();
    figure["result"]["participation"]["area"] = json!("299.00");
    let out = run(&write("figure.json", &figure));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("result.participation.area"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut ballot = doc.clone();
    ballot["ballots"][2]["choice"] = json!("yes");
    let out = run(&write("ballot.json", &ballot));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("result.choices.yes"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut area = doc.clone();
    area["electorate"][0]["area"] = json!("101.00");
    let out = run(&write("area.json", &area));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("result.totals.area"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // One byte of the signature.
    let signature = dir.join("good.json.jws");
    let token = fs::read_to_string(&signature).unwrap();
    let mut flipped = token.clone().into_bytes();
    let at = flipped.len() - 3;
    flipped[at] = if flipped[at] == b'A' { b'B' } else { b'A' };
    fs::write(&signature, &flipped).unwrap();
    let out = run(&good);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("MISMATCH signature"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::write(&signature, &token).unwrap();

    // The keys from a URL, as served at /.well-known/jwks.json.
    let jwks = fs::read(dir.join("jwks.json")).unwrap();
    let url = serve_once(jwks);
    let out = Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .arg("verify")
        .arg(&good)
        .args(["--jwks", &url])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("keys: {url}")));
    let unreachable = Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .arg("verify")
        .arg(&good)
        .args(["--jwks", "http://127.0.0.1:9/jwks.json"])
        .output()
        .unwrap();
    assert_eq!(
        unreachable.status.code(),
        Some(2),
        "a JWKS that cannot be fetched is an input error"
    );

    let mut bytes = fs::read(&good).unwrap();
    bytes.push(b' ');
    fs::write(&good, bytes).unwrap();
    let out = run(&good);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("digest"));
}

/// Serves `body` once as an HTTP response on a free local port; returns its URL.
fn serve_once(body: Vec<u8>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/.well-known/jwks.json",
        listener.local_addr().unwrap()
    );
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut line = String::new();
        while reader.read_line(&mut line).unwrap() > 2 {
            line.clear();
        }
        let mut stream = stream;
        write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).unwrap();
        stream.write_all(&body).unwrap();
    });
    url
}

/// Every example bundle of `docs/examples` that counts, exported with its result and signed,
/// verifies; a bundle with `matter` and 从众 ballots names a changed `follow_joined`, and a
/// `matter` whose statutory rule the bundle's rule does not meet fails the recount at `rule`.
#[test]
fn verify_recounts_matter_and_follow_bundles() {
    let dir = std::env::temp_dir().join(format!("gongjue-verify-follow-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let key = keys::generate().unwrap();
    let stored = gongjue_store::keys::SigningKey {
        id: "k".into(),
        estate_id: "e".into(),
        kid: key.kid.clone(),
        private_wrapped: String::new(),
        public_pem: key.public_pem.clone(),
        created_at: String::new(),
        retired_at: None,
    };
    fs::write(
        dir.join("jwks.json"),
        keys::jwks(&[stored]).unwrap().to_string(),
    )
    .unwrap();
    let write = |name: &str, doc: &Value| {
        let bytes = serde_json::to_vec_pretty(doc).unwrap();
        let claims = jws::Claims {
            iss: "gongjue:estate:e".into(),
            iat: 0,
            bundle_sha256: jws::sha256_hex(&bytes),
            item: "i".into(),
            assembly: "a".into(),
            estate: "e".into(),
            outcome: doc["result"]["outcome"].as_str().map(str::to_owned),
            audit_seq_at_close: 1,
            audit_head_at_close: "0".repeat(64),
            trial: false,
            log_checkpoint: None,
            log_proofs: None,
            log_witnesses: Vec::new(),
            documents: Vec::new(),
            previous_round: None,
        };
        fs::write(dir.join(name), &bytes).unwrap();
        fs::write(
            dir.join(format!("{name}.jws")),
            jws::sign(&claims, &key.private_pem, &key.kid).unwrap(),
        )
        .unwrap();
        dir.join(name)
    };
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_gongjue"))
            .arg("verify")
            .arg(file)
            .output()
            .unwrap()
    };
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples");
    let mut verified = 0;
    for entry in fs::read_dir(&examples).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else {
            continue;
        };
        let expected: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        if expected["exit"] != 0 {
            continue;
        }
        let mut doc: Value =
            serde_json::from_slice(&fs::read(examples.join(format!("{stem}.json"))).unwrap())
                .unwrap();
        doc["result"] = expected["result"].clone();
        let out = run(&write(&format!("{stem}.json"), &doc));
        assert!(
            out.status.success(),
            "{stem}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        verified += 1;
    }
    assert!(verified >= 13, "{verified} examples verified");

    let base: Value = serde_json::from_slice(
        &fs::read(examples.join("11-follow-joins-the-majority.json")).unwrap(),
    )
    .unwrap();
    let expected: Value = serde_json::from_slice(
        &fs::read(examples.join("11-follow-joins-the-majority.expected.json")).unwrap(),
    )
    .unwrap();
    let mut doc = base.clone();
    doc["result"] = expected["result"].clone();
    doc["result"]["follow_joined"] = json!("no");
    let out = run(&write("joined.json", &doc));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("MISMATCH result.follow_joined:"),
        "{stderr}"
    );

    let mut doc = base.clone();
    doc["result"] = expected["result"].clone();
    doc["result"]["choices"]
        .as_object_mut()
        .unwrap()
        .remove("follow");
    let out = run(&write("no-follow.json", &doc));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("result.choices.follow"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut doc = base;
    doc["result"] = expected["result"].clone();
    doc["matter"] = json!(8);
    let out = run(&write("matter.json", &doc));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("MISMATCH bundle: rule: "), "{stderr}");
    fs::remove_dir_all(&dir).unwrap();
}
