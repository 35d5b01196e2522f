//! `gongjue verify NAME.json [--jws FILE] [--jwks FILE]`: the auditor's offline check of an
//! export. Files only (download the JWKS from `/.well-known/jwks.json` first): no network
//! access, so the check cannot be steered by the server it checks.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::export::check;

const INPUT_ERROR: u8 = 2;

pub fn run(file: &Path, jws: Option<PathBuf>, jwks: Option<PathBuf>) -> ExitCode {
    let jws = jws.unwrap_or_else(|| PathBuf::from(format!("{}.jws", file.display())));
    let jwks = jwks.unwrap_or_else(|| file.with_file_name("jwks.json"));
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()));
    let inputs = (|| -> Result<_, String> {
        let bundle = read(file)?;
        let token = String::from_utf8(read(&jws)?).map_err(|e| format!("{}: {e}", jws.display()))?;
        let set = serde_json::from_slice(&read(&jwks)?).map_err(|e| format!("{}: not a JWKS: {e}", jwks.display()))?;
        Ok((bundle, token, set))
    })();
    let (bundle, token, set) = match inputs {
        Ok(inputs) => inputs,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(INPUT_ERROR);
        }
    };
    match check::check(&bundle, &token, &set) {
        Ok(checked) => {
            println!("signature: ok (EdDSA, kid {}, issuer {})", checked.kid, checked.claims.iss);
            println!("digest: ok (sha256 {})", checked.claims.bundle_sha256);
            println!("recount: ok ({} figures match)", checked.figures);
            println!("item {}: outcome {}", checked.claims.item, checked.claims.outcome.as_deref().unwrap_or("none"));
            println!("audit head at closing: entry {} {}", checked.claims.audit_seq_at_close, checked.claims.audit_head_at_close);
            ExitCode::SUCCESS
        }
        Err(mismatch) => {
            eprintln!("MISMATCH {mismatch}");
            ExitCode::FAILURE
        }
    }
}
