//! `gongjue verify NAME.json [--jws FILE] [--jwks FILE_OR_URL]`: the auditor's offline check of
//! an export. The public keys come from a file (safest: a copy taken when the result was
//! announced, or from the estate's notice board) or, for convenience, from a URL such as
//! `https://HOST/.well-known/jwks.json`; everything else is local.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use crate::export::check;
use crate::i18n::{Lang, Msg};

const INPUT_ERROR: u8 = 2;
/// A JWKS is a few hundred bytes per key; anything far larger is not one.
const MAX_JWKS_BYTES: u64 = 1024 * 1024;

/// Downloads a JWKS over http or https (certificates checked against the Mozilla roots).
fn fetch(url: &str) -> Result<Vec<u8>, String> {
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .new_agent();
    let response = agent
        .get(url)
        .call()
        .map_err(|e| format!("{url}: cannot download: {e}"))?;
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(MAX_JWKS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{url}: cannot download: {e}"))?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > MAX_JWKS_BYTES {
        return Err(format!(
            "{url}: larger than {MAX_JWKS_BYTES} bytes, not a JWKS"
        ));
    }
    Ok(bytes)
}

fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

pub fn run(file: &Path, jws: Option<PathBuf>, jwks: Option<String>) -> ExitCode {
    let jws = jws.unwrap_or_else(|| PathBuf::from(format!("{}.jws", file.display())));
    let jwks = jwks.unwrap_or_else(|| file.with_file_name("jwks.json").display().to_string());
    let read =
        |p: &Path| std::fs::read(p).map_err(|e| format!("{}: cannot read: {e}", p.display()));
    let inputs = (|| -> Result<_, String> {
        let bundle = read(file)?;
        let token =
            String::from_utf8(read(&jws)?).map_err(|e| format!("{}: {e}", jws.display()))?;
        let keys = if is_url(&jwks) {
            fetch(&jwks)?
        } else {
            read(Path::new(&jwks))?
        };
        let set = serde_json::from_slice(&keys).map_err(|e| format!("{jwks}: not a JWKS: {e}"))?;
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
            if checked.trial {
                // First, before anything that could read as a real result.
                println!("TRIAL: {}", Msg::TrialBanner.text(Lang::for_cli(None)));
            }
            println!("keys: {jwks}");
            println!(
                "signature: ok (EdDSA, kid {}, issuer {})",
                checked.kid, checked.claims.iss
            );
            println!("digest: ok (sha256 {})", checked.claims.bundle_sha256);
            println!("recount: ok ({} figures match)", checked.figures);
            println!(
                "item {}: outcome {}",
                checked.claims.item,
                checked.claims.outcome.as_deref().unwrap_or("none")
            );
            println!(
                "audit head when the result became final: entry {} {}",
                checked.claims.audit_seq_at_close, checked.claims.audit_head_at_close
            );
            ExitCode::SUCCESS
        }
        Err(mismatch) => {
            eprintln!("MISMATCH {mismatch}");
            ExitCode::FAILURE
        }
    }
}
