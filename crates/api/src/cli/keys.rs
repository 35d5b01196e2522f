//! `gongjue keys list|rotate|export --estate ID`: the estates' signing keys, from the command
//! line (an operator rotates a key without the API, e.g. after a suspected leak).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::cli::database::DatabaseArgs;
use crate::export::keys;
use crate::i18n::Msg;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Every key of the estate, oldest first: kid, created, active or retired (when).
    List {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        estate: String,
    },
    /// Makes a new active key; the previous one is retired but stays published.
    Rotate {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        estate: String,
    },
    /// The estate's public keys, active and retired, as a JWKS (for auditors' `gongjue verify --jwks`).
    Export {
        #[command(flatten)]
        db: DatabaseArgs,
        #[arg(long)]
        estate: String,
        /// Write the JWKS to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

const ACTOR: &str = "cli:keys";

fn execute(command: KeysCommand) -> Result<(), String> {
    match command {
        KeysCommand::List { db, estate } => {
            let lang = db.lang();
            let store = db.open()?;
            store
                .estate(&estate)
                .map_err(|e| format!("{}: {estate} ({e})", Msg::CliNoEstate.text(lang)))?;
            let all = store.signing_keys(&estate).map_err(|e| e.to_string())?;
            if all.is_empty() {
                println!("{}", Msg::CliNoKeys.text(lang));
            }
            for key in all {
                match key.retired_at {
                    None => println!(
                        "{}\t{}\t{}",
                        key.kid,
                        key.created_at,
                        Msg::CliKeyActive.text(lang)
                    ),
                    Some(at) => println!(
                        "{}\t{}\t{} {at}",
                        key.kid,
                        key.created_at,
                        Msg::CliKeyRetired.text(lang)
                    ),
                }
            }
        }
        KeysCommand::Rotate { db, estate } => {
            let lang = db.lang();
            let store = db.open()?;
            store
                .estate(&estate)
                .map_err(|e| format!("{}: {estate} ({e})", Msg::CliNoEstate.text(lang)))?;
            let key = keys::rotate(&store, &estate, ACTOR).map_err(|e| e.to_string())?;
            println!("{}", Msg::CliKeyRotated.text(lang));
            println!("{}", key.kid);
        }
        KeysCommand::Export { db, estate, out } => {
            let lang = db.lang();
            let store = db.open()?;
            store
                .estate(&estate)
                .map_err(|e| format!("{}: {estate} ({e})", Msg::CliNoEstate.text(lang)))?;
            let set = keys::jwks(&store.signing_keys(&estate).map_err(|e| e.to_string())?)
                .map_err(|e| e.to_string())?;
            let text = serde_json::to_string_pretty(&set).map_err(|e| e.to_string())?;
            match out {
                Some(path) => std::fs::write(&path, format!("{text}\n"))
                    .map_err(|e| format!("{}: {e}", path.display()))?,
                None => println!("{text}"),
            }
        }
    }
    Ok(())
}

pub fn run(command: KeysCommand) -> ExitCode {
    match execute(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gongjue keys: {e}");
            ExitCode::from(2)
        }
    }
}
