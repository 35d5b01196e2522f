//! Owner-only files at start (issue 17). What the service writes is created `0600` (folders
//! `0700`) where it is written (`gongjue_store::files`); this module narrows what an earlier
//! version left wider, once, when `gongjue serve` starts: the database's files, the secret
//! file, the file transport's `.eml` files, gongjue's own folders (`./data/`, `./data/outbox/`,
//! the configured mail folder). Another folder the operator chose (say `/srv`) is not changed,
//! only reported, since other programs may need it.

use std::path::{Component, Path, PathBuf};

use gongjue_store::files::{DIR_MODE, FILE_MODE, Tightened, tighten};

use crate::config;
use crate::mail::settings::DEFAULT_MAIL_DIR;

/// What [`secure_at_start`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files and folders narrowed to owner-only.
    pub tightened: Vec<Tightened>,
    /// Folders holding the service's files that others may read, left as they are (mode).
    pub open_dirs: Vec<(PathBuf, u32)>,
}

/// `path` without `.` components, to compare with a default (`./data` is `data`).
fn normal(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

/// The default data folder (`./data`) and mail folder (`./data/outbox`): the service's own.
fn is_default_dir(dir: &Path) -> bool {
    let dir = normal(dir);
    let db_dir = config::sqlite_path(config::DEFAULT_DATABASE_URL)
        .and_then(|p| p.parent().map(normal))
        .unwrap_or_default();
    dir == db_dir || dir == normal(Path::new(DEFAULT_MAIL_DIR))
}

/// The mode bits of `path`, if it is a folder.
fn dir_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::symlink_metadata(path).ok()?;
        meta.is_dir().then(|| meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Narrows the service's files to `0600` and its own folders to `0700` (see the module's
/// comment); `mail_dir` is the file transport's folder, if it is used.
pub fn secure_at_start(
    database_url: &str,
    secret_file: &Path,
    mail_dir: Option<&Path>,
) -> std::io::Result<Report> {
    let mut report = Report {
        tightened: config::prepare_sqlite_dir(database_url)?,
        ..Report::default()
    };
    report.tightened.extend(tighten(secret_file, FILE_MODE)?);
    if let Some(dir) = mail_dir
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".eml") || name.ends_with(".partial") {
                report.tightened.extend(tighten(&path, FILE_MODE)?);
            }
        }
    }
    let parent = |p: &Path| {
        p.parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_owned)
    };
    let mut dirs: Vec<(PathBuf, bool)> = Vec::new();
    if let Some(db) = config::sqlite_path(database_url)
        .as_deref()
        .and_then(parent)
    {
        let own = is_default_dir(&db);
        dirs.push((db, own));
    }
    if let Some(dir) = parent(secret_file) {
        let own = is_default_dir(&dir);
        dirs.push((dir, own));
    }
    if let Some(dir) = mail_dir {
        // The mail folder holds nothing but the service's messages.
        dirs.push((dir.to_owned(), true));
    }
    let mut seen = Vec::new();
    for (dir, own) in dirs {
        let key = normal(&dir);
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let Some(mode) = dir_mode(&dir) else { continue };
        if mode & !DIR_MODE == 0 {
            continue;
        }
        // Never a shared folder such as /tmp (sticky bit), the root or the working folder.
        let shared =
            mode & 0o1000 != 0 || normal(&dir).as_os_str().is_empty() || dir == Path::new("/");
        if own && !shared {
            report.tightened.extend(tighten(&dir, DIR_MODE)?);
        } else {
            report.open_dirs.push((dir, mode));
        }
    }
    Ok(report)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_recognised() {
        assert!(is_default_dir(Path::new("./data")));
        assert!(is_default_dir(Path::new("data/")));
        assert!(is_default_dir(Path::new("./data/outbox/")));
        assert!(!is_default_dir(Path::new("/srv")));
        assert!(!is_default_dir(Path::new("/var/lib/data")));
    }
}
