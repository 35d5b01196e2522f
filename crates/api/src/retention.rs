//! Retention of owners' contact data (issue 9): the setting, and what enforces it besides the
//! roster import (which erases the contacts of superseded roster versions itself).
//!
//! `contact_retention_days` (default 365; 0 keeps contacts until the next roster) is applied
//! by a task of `gongjue serve` once an hour and by `gongjue admin purge-contacts`:
//! - per estate, `gongjue_store::privacy`: the current roster's contacts and the handled
//!   outbox messages' recipients and bodies, once the estate has not needed them for that long;
//! - the `.eml` copies of the file transport, once they are that old (a file cannot be traced
//!   to an estate, so `--estate` leaves them alone).
//!
//! Each erasure is audited with counts only: per estate in its chain, the files in `system`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use gongjue_store::Store;
use gongjue_store::audit::{NewAuditEntry, SYSTEM_CHAIN};
use gongjue_store::privacy::ContactPurge;
use serde::Deserialize;

use crate::usecases::UseCaseError;

pub const DEFAULT_CONTACT_RETENTION_DAYS: u32 = 365;

/// How often `gongjue serve` applies the rule.
pub const EVERY: Duration = Duration::from_secs(3600);

/// The TOML `[privacy]` section.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyFile {
    pub contact_retention_days: Option<u32>,
}

/// What one application of the rule erased (or, in a dry run, would erase).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub estates: Vec<ContactPurge>,
    pub mail_files: usize,
}

/// What the rule applies to, besides the database.
#[derive(Debug, Clone)]
pub struct Scope<'a> {
    pub days: u32,
    /// The file transport's directory, if notices are written as `.eml` files.
    pub mail_dir: Option<&'a Path>,
    /// Only this estate (its mail files are then left alone).
    pub estate: Option<&'a str>,
    pub dry_run: bool,
    pub actor: &'a str,
}

/// The `.eml` files in `dir` last written before `cutoff`.
fn old_mail_files(dir: &Path, cutoff: DateTime<Utc>) -> Result<Vec<PathBuf>, UseCaseError> {
    let io = |e: std::io::Error| {
        UseCaseError::Internal(format!("mail directory {}: {e}", dir.display()))
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // Nothing was ever written.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let mut old = Vec::new();
    for entry in entries {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "eml") {
            continue;
        }
        let modified: DateTime<Utc> = entry
            .metadata()
            .and_then(|m| m.modified())
            .map_err(io)?
            .into();
        if modified < cutoff {
            old.push(path);
        }
    }
    Ok(old)
}

/// Applies the rule as of `now`.
pub fn apply(
    store: &Store,
    scope: &Scope<'_>,
    now: DateTime<Utc>,
) -> Result<Outcome, UseCaseError> {
    if scope.days == 0 {
        return Ok(Outcome::default());
    }
    let estates =
        store.purge_contacts(scope.days, now, scope.estate, scope.dry_run, scope.actor)?;
    let mut mail_files = 0;
    if let (Some(dir), None) = (scope.mail_dir, scope.estate) {
        let cutoff = chrono::Duration::try_days(i64::from(scope.days))
            .and_then(|d| now.checked_sub_signed(d))
            .ok_or_else(|| {
                UseCaseError::invalid("contact_retention_days", "too many days for a date")
            })?;
        let files = old_mail_files(dir, cutoff)?;
        mail_files = files.len();
        if !scope.dry_run && !files.is_empty() {
            for file in &files {
                std::fs::remove_file(file)
                    .map_err(|e| UseCaseError::Internal(format!("{}: {e}", file.display())))?;
            }
            store.append_audit(NewAuditEntry {
                chain: SYSTEM_CHAIN.into(),
                actor: scope.actor.to_owned(),
                action: "mail_files.erased".into(),
                subject: "outbox".into(),
                detail: serde_json::json!({ "reason": "retention", "retention_days": scope.days, "files": files.len() }),
            })?;
        }
    }
    Ok(Outcome {
        estates,
        mail_files,
    })
}

/// How often `gongjue serve` looks for invitation files past their pickup period.
pub const PICKUP_EVERY: Duration = Duration::from_secs(600);

/// Issue 17: the file transport's `.eml` files that hold a voting code (invitations), written
/// more than `pickup` before `now`, are deleted: the file transport is the hand-over to
/// whoever picks the files up (a developer, a test, a relay script), and a code must not lie
/// in a folder for months. The database's copy of the body went when the file was written.
/// Audited (a count) as `mail_files.erased` in the `system` chain. Returns how many went.
pub fn erase_picked_up_codes(
    store: &Store,
    dir: &Path,
    pickup: Duration,
    now: DateTime<Utc>,
    actor: &str,
) -> Result<usize, UseCaseError> {
    let cutoff = chrono::Duration::from_std(pickup)
        .ok()
        .and_then(|d| now.checked_sub_signed(d))
        .ok_or_else(|| UseCaseError::invalid("mail_pickup_hours", "too many hours for a date"))?;
    let files: Vec<PathBuf> = old_mail_files(dir, cutoff)?
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| crate::mail::transport::eml_holds_code(&n.to_string_lossy()))
        })
        .collect();
    if files.is_empty() {
        return Ok(0);
    }
    for file in &files {
        match std::fs::remove_file(file) {
            Ok(()) => {}
            // Picked up (moved away) meanwhile: that is what the folder is for.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(UseCaseError::Internal(format!("{}: {e}", file.display()))),
        }
    }
    store.append_audit(NewAuditEntry {
        chain: SYSTEM_CHAIN.into(),
        actor: actor.to_owned(),
        action: "mail_files.erased".into(),
        subject: "outbox".into(),
        detail: serde_json::json!({ "reason": "voting codes past the pickup period", "pickup_hours": pickup.as_secs() / 3600, "files": files.len() }),
    })?;
    Ok(files.len())
}

/// The task of `gongjue serve` with the file transport: applies [`erase_picked_up_codes`]
/// every `every`, until the task is dropped.
pub async fn run_pickup(store: Store, dir: PathBuf, pickup: Duration, every: Duration) {
    loop {
        let (s, d) = (store.clone(), dir.clone());
        let erase = move || erase_picked_up_codes(&s, &d, pickup, Utc::now(), "system");
        match tokio::task::spawn_blocking(erase).await {
            Ok(Ok(0)) => {}
            Ok(Ok(n)) => {
                tracing::info!(files = n, "invitation files past the pickup period deleted")
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "deleting invitation files failed; retrying"),
            Err(e) => tracing::warn!(error = %e, "invitation file task failed"),
        }
        tokio::time::sleep(every).await;
    }
}

/// The task of `gongjue serve`: applies the rule every `every`, until the task is dropped.
pub async fn run(store: Store, days: u32, mail_dir: Option<PathBuf>, every: Duration) {
    if days == 0 {
        return;
    }
    loop {
        let (s, dir) = (store.clone(), mail_dir.clone());
        let scope = move || {
            apply(
                &s,
                &Scope {
                    days,
                    mail_dir: dir.as_deref(),
                    estate: None,
                    dry_run: false,
                    actor: "system",
                },
                Utc::now(),
            )
        };
        match tokio::task::spawn_blocking(scope).await {
            Ok(Ok(outcome)) => {
                for estate in &outcome.estates {
                    tracing::info!(estate = %estate.estate_id, contacts = estate.contacts, messages = estate.messages, "contact data erased (retention)");
                }
                if outcome.mail_files > 0 {
                    tracing::info!(files = outcome.mail_files, "mail files erased (retention)");
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, "contact data retention failed; retrying"),
            Err(e) => tracing::warn!(error = %e, "contact data retention task failed"),
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_eml_files_older_than_the_cutoff_are_due() {
        let dir = std::env::temp_dir().join(format!(
            "gongjue-retention-{}",
            uuid::Uuid::now_v7().simple()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        for name in ["a.eml", "b.eml", "notes.txt"] {
            std::fs::write(dir.join(name), "x").unwrap();
        }
        let old = std::time::SystemTime::now() - Duration::from_secs(10 * 86_400);
        std::fs::File::options()
            .write(true)
            .open(dir.join("a.eml"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        std::fs::File::options()
            .write(true)
            .open(dir.join("notes.txt"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let due = old_mail_files(&dir, Utc::now() - chrono::Duration::days(5)).unwrap();
        assert_eq!(due, [dir.join("a.eml")]);
        assert!(
            old_mail_files(&dir.join("missing"), Utc::now())
                .unwrap()
                .is_empty(),
            "no directory: nothing to erase"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
