//! `gongjue backup DEST`: a consistent copy of the live SQLite database, taken while the service
//! runs (see `gongjue_store::backup`). On PostgreSQL it refuses and points to `pg_dump`.
//! Exit 0 on success, 1 when refused, 2 when the copy failed.
//!
//! The copy is created owner-only (0600) and holds the private signing keys only wrapped: keys
//! an earlier version stored in plaintext are wrapped first (with the secret file, as `serve`
//! does at start); without the secret file such a database is not copied.

use std::path::Path;
use std::process::ExitCode;

use gongjue_store::{Backend, Store, StoreError};

use crate::cli::database::{DatabaseArgs, say_secured, unreadable_text};
use crate::config;
use crate::export::wrap::{self, KeyWrap, SecureError, is_wrapped};
use crate::i18n::Msg;

pub fn run(dest: &Path, db: &DatabaseArgs) -> ExitCode {
    let lang = db.lang();
    let store = match db.open() {
        Ok(store) => store,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    if store.backend() == Backend::Postgres {
        eprintln!("{}", Msg::CliBackupPostgres.text(lang));
        return ExitCode::from(1);
    }
    match wrap_plaintext_keys(&store, db) {
        Ok(()) => {}
        Err((code, text)) => {
            eprintln!("{text}");
            return ExitCode::from(code);
        }
    }
    match store.backup_to(dest) {
        Ok(()) => {
            println!("{} {}", Msg::CliBackupDone.text(lang), dest.display());
            println!("{}", Msg::CliBackupSecret.text(lang));
            ExitCode::SUCCESS
        }
        Err(StoreError::Conflict(_)) => {
            eprintln!("{} {}", Msg::CliBackupExists.text(lang), dest.display());
            ExitCode::from(1)
        }
        Err(StoreError::StorageFull(detail)) => {
            eprintln!(
                "{} {} ({detail})",
                Msg::CliBackupNoSpace.text(lang),
                dest.display()
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(2)
        }
    }
}

/// Keys an earlier version stored in plaintext are wrapped before the copy is taken, so that
/// the backup holds none. Needs the secret file only when there are such keys.
fn wrap_plaintext_keys(store: &Store, db: &DatabaseArgs) -> Result<(), (u8, String)> {
    let lang = db.lang();
    let keys = store.all_signing_keys().map_err(|e| (2, e.to_string()))?;
    if keys.iter().all(|k| is_wrapped(&k.private_wrapped)) {
        return Ok(());
    }
    let path = db.secret_path().map_err(|e| (2, e))?;
    if !path.exists() {
        return Err((
            1,
            Msg::CliBackupPlaintextKeys
                .text_with(lang, &[("secret", (&path.display().to_string()).into())]),
        ));
    }
    let secret = config::load_secret(&path).map_err(|e| (2, e.to_string()))?;
    match wrap::secure_stored(store, &KeyWrap::from_secret(&secret), "cli:backup", None) {
        Ok(secured) => {
            say_secured(&secured, lang);
            Ok(())
        }
        Err(SecureError::Unreadable(key)) => Err((1, unreadable_text(&key, &path, lang))),
        Err(e) => Err((2, e.to_string())),
    }
}
