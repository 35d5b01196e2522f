//! `gongjue backup DEST`: a consistent copy of the live SQLite database, taken while the service
//! runs (see `gongjue_store::backup`). On PostgreSQL it refuses and points to `pg_dump`.
//! Exit 0 on success, 1 when refused, 2 when the copy failed.

use std::path::Path;
use std::process::ExitCode;

use gongjue_store::{Backend, StoreError};

use crate::cli::database::DatabaseArgs;
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
