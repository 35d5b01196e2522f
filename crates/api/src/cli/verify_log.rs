//! `gongjue verify inclusion|consistency`: an owner's or an auditor's offline check of the
//! transparency log's proofs, from files they saved (docs/transparency-log.md). The log's keys
//! come from a file: a copy taken from the notice board or `GET /api/v1/estates/{id}/log/keys`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::tlog::proof::{ConsistencyProof, InclusionProof, verify_consistency, verify_inclusion};

#[derive(Debug, Subcommand)]
pub enum VerifyLog {
    /// This entry (e.g. the ballot with this receipt) is in that signed checkpoint.
    Inclusion {
        /// The inclusion proof file (`GET .../log/receipts/{receipt}/proof`).
        #[arg(long)]
        proof: PathBuf,
        /// The receipt the entry must record (64 hex digits), as on the owner's receipt.
        #[arg(long)]
        receipt: Option<String>,
        /// The log's verifier keys, one per line (and any witness's, to see its cosignature).
        #[arg(long)]
        keys: PathBuf,
    },
    /// The later checkpoint extends the earlier one: nothing recorded before was rewritten.
    Consistency {
        /// The checkpoint kept earlier (a signed note).
        #[arg(long)]
        old: PathBuf,
        /// The later checkpoint.
        #[arg(long)]
        new: PathBuf,
        /// The consistency proof file (`GET .../log/consistency?old=M&new=N`).
        #[arg(long)]
        proof: PathBuf,
        #[arg(long)]
        keys: PathBuf,
    },
}

const INPUT_ERROR: u8 = 2;
const REFUSED: u8 = 1;

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read: {e}", path.display()))
}

fn keys(path: &Path) -> Result<Vec<String>, String> {
    Ok(read(path)?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
}

fn json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(command: VerifyLog) -> ExitCode {
    let checked: Result<Result<String, crate::tlog::LogError>, String> = match command {
        VerifyLog::Inclusion {
            proof,
            receipt,
            keys: key_file,
        } => (|| {
            let file: InclusionProof = json(&proof)?;
            let keys = keys(&key_file)?;
            Ok(verify_inclusion(&file, &keys, receipt.as_deref()).map(|ok| {
                format!(
                    "included: entry {} ({}) is in the checkpoint of {} entries of {}, signed by {}",
                    ok.seq,
                    ok.action,
                    ok.checkpoint.size,
                    ok.checkpoint.origin,
                    ok.checkpoint.signed_by.join(", ")
                )
            }))
        })(),
        VerifyLog::Consistency {
            old,
            new,
            proof,
            keys: key_file,
        } => (|| {
            let file: ConsistencyProof = json(&proof)?;
            let keys = keys(&key_file)?;
            Ok(
                verify_consistency(&read(&old)?, &read(&new)?, &file, &keys).map(|(o, n)| {
                    format!(
                        "consistent: the checkpoint of {} entries extends the one of {} entries of {}",
                        n.size, o.size, n.origin
                    )
                }),
            )
        })(),
    };
    match checked {
        Ok(Ok(line)) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Ok(Err(refused)) => {
            eprintln!("REFUSED: {refused}");
            ExitCode::from(REFUSED)
        }
        Err(input) => {
            eprintln!("{input}");
            ExitCode::from(INPUT_ERROR)
        }
    }
}
