//! `gongjue witness`: a witness of an estate's transparency log, run by someone other than the
//! server's operator (the residents' committee, the street office) with its own key and its own
//! files. Each round it fetches the newest checkpoint, checks that it extends the last one it
//! cosigned, and cosigns it; if it does not, it files a signed dissent (which stops the final
//! publication) and keeps both checkpoints and the proof as evidence.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;

use crate::tlog::note::{self, NoteSigner};
use crate::tlog::proof::{ConsistencyProof, verify_consistency};
use crate::usecases::log::DISSENT_FORMAT;

#[derive(Debug, Args)]
pub struct WitnessArgs {
    /// The Gongjue server, e.g. https://gongjue.example
    #[arg(long)]
    pub server: String,
    /// The estate whose log this witness checks.
    #[arg(long)]
    pub estate: String,
    /// This witness's key name, e.g. jwh.xujiahui.example/witness (no spaces or '+').
    #[arg(long)]
    pub name: String,
    /// This witness's private key (PKCS#8 PEM); created on the first run if missing.
    #[arg(long)]
    pub key: PathBuf,
    /// Where this witness keeps what it cosigned and any evidence.
    #[arg(long)]
    pub state: PathBuf,
    /// The log's verifier key (from the estate's notice board). Without it, the keys the server
    /// serves on the first run are kept and trusted from then on.
    #[arg(long)]
    pub log_key: Option<String>,
    /// Check again every so many seconds; without it, one round.
    #[arg(long)]
    pub every: Option<u64>,
    /// Print this witness's verifier key (creating the key if missing) and stop: the estate's
    /// secretary registers it (`POST /api/v1/estates/{id}/log/witnesses`).
    #[arg(long)]
    pub show_key: bool,
}

/// What one round found.
#[derive(Debug, PartialEq, Eq)]
pub enum Round {
    Cosigned { size: u64 },
    Dissented { size: u64, reason: String },
}

const MAX_BYTES: u64 = 4 * 1024 * 1024;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .build()
        .new_agent()
}

fn get(url: &str) -> Result<String, String> {
    let response = agent().get(url).call().map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    let mut bytes = Vec::new();
    response
        .into_body()
        .into_reader()
        .take(MAX_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{url}: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| format!("{url}: {e}"))?;
    if !status.is_success() {
        return Err(format!("{url}: {status}: {text}"));
    }
    Ok(text)
}

fn post(url: &str, note: &str) -> Result<(), String> {
    let body = serde_json::json!({ "note": note }).to_string();
    let response = agent()
        .post(url)
        .header("Content-Type", "application/json")
        .send(body.as_bytes())
        .map_err(|e| format!("{url}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        let text = response.into_body().read_to_string().unwrap_or_default();
        return Err(format!("{url}: {status}: {text}"));
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The witness's key: read, or made and saved owner-only on the first run.
pub fn signer(name: &str, key: &Path) -> Result<NoteSigner, String> {
    if !key.exists() {
        let new = crate::export::keys::generate().map_err(|e| e.to_string())?;
        write(key, &new.private_pem)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(key, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| format!("{}: {e}", key.display()))?;
        }
    }
    let pem = std::fs::read_to_string(key).map_err(|e| format!("{}: {e}", key.display()))?;
    NoteSigner::from_pem(name, &pem).map_err(|e| format!("{}: {e}", key.display()))
}

/// The log's verifier keys this witness trusts: given, kept, or (first run) fetched and kept.
fn log_keys(args: &WitnessArgs, api: &str) -> Result<Vec<String>, String> {
    let kept = args.state.join("log-keys.txt");
    let text = match (&args.log_key, kept.exists()) {
        (Some(key), _) => {
            write(&kept, &format!("{key}\n"))?;
            format!("{key}\n")
        }
        (None, true) => {
            std::fs::read_to_string(&kept).map_err(|e| format!("{}: {e}", kept.display()))?
        }
        (None, false) => {
            let fetched = get(&format!("{api}/log/keys"))?;
            eprintln!(
                "trusting the log's keys as served now (kept in {}):\n{fetched}",
                kept.display()
            );
            write(&kept, &fetched)?;
            fetched
        }
    };
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// One round: fetch, check against the last cosigned checkpoint, cosign or dissent.
pub fn round(args: &WitnessArgs) -> Result<Round, String> {
    let api = format!(
        "{}/api/v1/estates/{}",
        args.server.trim_end_matches('/'),
        args.estate
    );
    let signer = signer(&args.name, &args.key)?;
    let keys = log_keys(args, &api)?;
    let latest = get(&format!("{api}/log/checkpoint"))?;
    let new = note::verify_checkpoint(&latest, &keys)
        .map_err(|e| format!("the newest checkpoint: {e}"))?;
    if new.origin != note::origin(&args.estate) {
        return Err(format!(
            "the checkpoint is of {}, not of this estate",
            new.origin
        ));
    }
    let last_path = args.state.join("last-cosigned.txt");
    if last_path.exists() {
        let last = std::fs::read_to_string(&last_path)
            .map_err(|e| format!("{}: {e}", last_path.display()))?;
        let old = note::verify_checkpoint(&last, &keys)
            .map_err(|e| format!("{}: {e}", last_path.display()))?;
        let proof = if new.size >= old.size {
            let text = get(&format!(
                "{api}/log/consistency?old={}&new={}",
                old.size, new.size
            ))?;
            serde_json::from_str::<ConsistencyProof>(&text)
                .map_err(|e| format!("consistency proof: {e}"))?
        } else {
            ConsistencyProof {
                format: crate::tlog::proof::CONSISTENCY_FORMAT.into(),
                origin: new.origin.clone(),
                old_size: old.size,
                new_size: new.size,
                proof: Vec::new(),
            }
        };
        if let Err(error) = verify_consistency(&last, &latest, &proof, &keys) {
            return dissent(
                args,
                &api,
                &signer,
                &last,
                &latest,
                &proof,
                new.size,
                &error.to_string(),
            );
        }
    }
    let cosigned = note::cosign(&latest, &signer).map_err(|e| e.to_string())?;
    post(&format!("{api}/log/cosignatures"), &cosigned)?;
    write(&last_path, &latest)?;
    write(
        &args.state.join(format!("checkpoints/{}.txt", new.size)),
        &latest,
    )?;
    Ok(Round::Cosigned { size: new.size })
}

#[allow(clippy::too_many_arguments)]
fn dissent(
    args: &WitnessArgs,
    api: &str,
    signer: &NoteSigner,
    old: &str,
    new: &str,
    proof: &ConsistencyProof,
    size: u64,
    reason: &str,
) -> Result<Round, String> {
    let evidence = args.state.join(format!("dissent-{size}"));
    write(&evidence.join("kept.txt"), old)?;
    write(&evidence.join("served.txt"), new)?;
    write(
        &evidence.join("consistency.json"),
        &serde_json::to_string_pretty(proof).map_err(|e| e.to_string())?,
    )?;
    let text = format!(
        "{DISSENT_FORMAT}\n{}\n{size}\n{}\n",
        note::origin(&args.estate),
        reason.replace('\n', " ")
    );
    let signed = note::sign_text(&text, signer).map_err(|e| e.to_string())?;
    write(&evidence.join("dissent.txt"), &signed)?;
    post(&format!("{api}/log/dissents"), &signed)?;
    Ok(Round::Dissented {
        size,
        reason: reason.to_owned(),
    })
}

pub fn run(args: WitnessArgs) -> ExitCode {
    if args.show_key {
        return match signer(&args.name, &args.key) {
            Ok(signer) => {
                println!("{}", signer.verifier_key());
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::from(2)
            }
        };
    }
    loop {
        match round(&args) {
            Ok(Round::Cosigned { size }) => {
                println!("cosigned the checkpoint of {size} entries");
            }
            Ok(Round::Dissented { size, reason }) => {
                eprintln!(
                    "DISSENT: the checkpoint of {size} entries does not extend the one this witness cosigned: {reason}; evidence in {}",
                    args.state.display()
                );
                return ExitCode::from(1);
            }
            Err(error) => {
                eprintln!("{error}");
                if args.every.is_none() {
                    return ExitCode::from(2);
                }
            }
        }
        match args.every {
            Some(seconds) => std::thread::sleep(Duration::from_secs(seconds.max(1))),
            None => return ExitCode::SUCCESS,
        }
    }
}
