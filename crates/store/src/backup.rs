//! `gongjue backup`: a consistent copy of a live SQLite database.
//!
//! `VACUUM INTO` reads the database in one read transaction, so the copy is the state of one
//! moment (every ballot committed before it began, none half-written), while writers go on
//! (WAL mode). It is written under a temporary name, synced, then renamed, so a file with the
//! requested name is always a whole backup. PostgreSQL has its own tools (`pg_dump`).

use std::path::Path;

use diesel::RunQueryDsl;
use diesel::sql_types::Text;

use crate::db::AnyConnection;
use crate::{Backend, Store, StoreError};

impl Store {
    /// Copies the database to `dest` (which must not exist yet). SQLite only.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        if self.backend() == Backend::Postgres {
            return Err(StoreError::Invalid(
                "an online copy of a PostgreSQL database is made with pg_dump".into(),
            ));
        }
        if dest.exists() {
            return Err(StoreError::Conflict(format!(
                "{} already exists",
                dest.display()
            )));
        }
        let partial = dest.with_extension("partial");
        let _ = std::fs::remove_file(&partial);
        let io = |what: &str, e: std::io::Error| {
            let _ = std::fs::remove_file(&partial);
            StoreError::from_io(&format!("{what} {}", partial.display()), &e)
        };
        let target = partial
            .to_str()
            .ok_or_else(|| {
                StoreError::Invalid(format!("{} is not a UTF-8 path", partial.display()))
            })?
            .to_owned();
        // Created empty and owner-only first (VACUUM INTO fills an empty file): the copy holds
        // everything the database does, and is never readable by others, not even for a moment.
        crate::files::private_new_file()
            .open(&partial)
            .map_err(|e| io("creating", e))?;
        {
            let mut pooled = self.conn()?;
            let conn: &mut AnyConnection = &mut pooled;
            let copied = diesel::sql_query("VACUUM INTO ?")
                .bind::<Text, _>(&target)
                .execute(conn);
            if let Err(e) = copied {
                let _ = std::fs::remove_file(&partial);
                return Err(e.into());
            }
        }
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(|e| io("syncing", e))?;
        std::fs::rename(&partial, dest).map_err(|e| io("renaming", e))?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The rename itself survives a power cut only once the directory is synced.
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }
}
