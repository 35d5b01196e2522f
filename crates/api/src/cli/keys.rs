//! `gongjue keys list|rotate|export --estate ID`, `gongjue keys rewrap --old-secret-file F`:
//! the estates' signing keys, from the command line (an operator rotates a key without the
//! API, e.g. after a suspected leak, and re-encrypts every private key after changing the
//! secret file; see docs/operations.md).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;

use crate::cli::database::{DatabaseArgs, say_secured, unreadable_text};
use crate::config;
use crate::export::keys;
use crate::export::wrap::{self, KeyWrap, SecureError};
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
        /// Also when the estate's active key cannot be unwrapped with the secret file (that
        /// secret is lost): the key is retired all the same; exports it signed still verify.
        #[arg(long)]
        replace_unreadable: bool,
    },
    /// After the secret file was replaced: re-encrypts every estate's private signing key,
    /// wrapped under the old secret, under the new one (--secret-file, created if missing), in
    /// one transaction. Running it again changes nothing.
    Rewrap {
        #[command(flatten)]
        db: DatabaseArgs,
        /// The secret file the keys are wrapped under now.
        #[arg(long, value_name = "FILE")]
        old_secret_file: PathBuf,
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
        KeysCommand::Rotate {
            db,
            estate,
            replace_unreadable,
        } => {
            let lang = db.lang();
            let (store, wrap) =
                db.open_with_secret(ACTOR, replace_unreadable.then_some(estate.as_str()))?;
            store
                .estate(&estate)
                .map_err(|e| format!("{}: {estate} ({e})", Msg::CliNoEstate.text(lang)))?;
            let key = keys::rotate(&store, &wrap, &estate, ACTOR).map_err(|e| e.to_string())?;
            println!("{}", Msg::CliKeyRotated.text(lang));
            println!("{}", key.kid);
        }
        KeysCommand::Rewrap {
            db,
            old_secret_file,
        } => {
            let lang = db.lang();
            let store = db.open()?;
            let old = config::load_secret(&old_secret_file).map_err(|e| e.to_string())?;
            let new_path = db.secret_path()?;
            let new = config::load_or_create_secret(&new_path).map_err(|e| e.to_string())?;
            if old == new {
                return Err(format!(
                    "{} and {} hold the same secret: nothing to re-encrypt",
                    old_secret_file.display(),
                    new_path.display()
                ));
            }
            let done = wrap::rewrap_all(
                &store,
                &KeyWrap::from_secret(&old),
                &KeyWrap::from_secret(&new),
                ACTOR,
            )
            .map_err(|e| match e {
                SecureError::Unreadable(key) => unreadable_text(&key, &old_secret_file, lang),
                other => other.to_string(),
            })?;
            say_secured(
                &wrap::Secured {
                    wrapped: Vec::new(),
                    unreadable_retired: done.unreadable_retired.clone(),
                },
                lang,
            );
            println!(
                "{}",
                Msg::CliKeysRewrapped.text_with(
                    lang,
                    &[
                        ("n", done.rewrapped.len().into()),
                        ("already", done.already.len().into()),
                    ],
                )
            );
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
