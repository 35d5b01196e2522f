//! Owner-only files (issue 17): what the service writes to disk — the SQLite database and its
//! `-wal`/`-shm`/`-journal`, backups, the secret, the outbox's `.eml` files — is created `0600`,
//! and the folders it creates `0700`, whatever the process's umask. A file found wider is
//! narrowed ([`tighten`]); the caller says so in its log.
//!
//! SQLite creates the `-wal` and `-shm` files itself, with the database file's own mode (and
//! the umask), so a database file created here `0600` gets owner-only companions; the
//! `gongjue` binary also sets its umask to `077` at start (`crates/api/src/main.rs`).

use std::io;
use std::path::{Path, PathBuf};

/// Mode of every file the service creates.
pub const FILE_MODE: u32 = 0o600;
/// Mode of every folder the service creates.
pub const DIR_MODE: u32 = 0o700;

/// A file or folder whose mode was narrowed, and the mode it had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tightened {
    pub path: PathBuf,
    pub was: u32,
    pub now: u32,
}

impl std::fmt::Display for Tightened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} was {:04o}, now {:04o}",
            self.path.display(),
            self.was,
            self.now
        )
    }
}

/// Creates `dir` and any missing parents with mode `0700` (existing ones are left as they are).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Options that create a new file `0600` (and fail if it exists).
pub fn private_new_file() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    options
}

/// Creates an empty file `0600` unless it exists; `true` if it was created.
pub fn create_private_file(path: &Path) -> io::Result<bool> {
    match private_new_file().open(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Narrows `path` to `mode` if it grants anything `mode` does not (e.g. a database file made
/// `0644` by an earlier version); a missing path is left alone. Symbolic links are not
/// followed: a link is reported as it is, never changed.
pub fn tighten(path: &Path, mode: u32) -> io::Result<Option<Tightened>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = match std::fs::symlink_metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        if meta.file_type().is_symlink() {
            return Ok(None);
        }
        let was = meta.permissions().mode() & 0o7777;
        if was & !mode == 0 {
            return Ok(None);
        }
        let now = was & mode;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(now))?;
        Ok(Some(Tightened {
            path: path.to_owned(),
            was,
            now,
        }))
    }
    #[cfg(not(unix))]
    {
        let _ = (path, mode);
        Ok(None)
    }
}

/// The database file and the files SQLite keeps beside it.
pub fn sqlite_files(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_owned()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
    }
    files
}

/// Before SQLite opens `db`: its folder created `0700` if missing, the file created empty
/// `0600` if missing (an empty file is an empty database to SQLite, which then gives its
/// `-wal` and `-shm` the same mode), and existing files narrowed to `0600`. Returns what was
/// narrowed. `:memory:` and other special names are left to SQLite.
pub fn secure_sqlite(db: &Path) -> io::Result<Vec<Tightened>> {
    if db.as_os_str().is_empty() || db.to_string_lossy().starts_with(':') {
        return Ok(Vec::new());
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    create_private_file(db)?;
    let mut tightened = Vec::new();
    for file in sqlite_files(db) {
        tightened.extend(tighten(&file, FILE_MODE)?);
    }
    Ok(tightened)
}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn created_private_and_wider_files_narrowed() {
        let dir = std::env::temp_dir().join(format!("gongjue-files-{}", uuid::Uuid::now_v7()));
        let db = dir.join("data").join("gongjue.db");
        assert!(
            secure_sqlite(&db).unwrap().is_empty(),
            "new: nothing to narrow"
        );
        assert_eq!(mode(&dir.join("data")), 0o700);
        assert_eq!(mode(&db), 0o600);
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
        let wal = dir.join("data").join("gongjue.db-wal");
        std::fs::write(&wal, b"").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o664)).unwrap();
        let fixed = secure_sqlite(&db).unwrap();
        assert_eq!(
            fixed
                .iter()
                .map(|t| (t.path.clone(), t.was, t.now))
                .collect::<Vec<_>>(),
            [(db.clone(), 0o644, 0o600), (wal.clone(), 0o664, 0o600)]
        );
        assert_eq!((mode(&db), mode(&wal)), (0o600, 0o600));
        // Narrower than asked stays as it is.
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
        assert_eq!(tighten(&db, FILE_MODE).unwrap(), None);
        assert_eq!(mode(&db), 0o400);
        let _ = std::fs::remove_dir_all(dir);
    }
}
