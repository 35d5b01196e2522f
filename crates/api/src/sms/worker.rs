//! The SMS worker, a task of `gongjue serve` beside the e-mail worker: it claims the outbox's
//! due SMS (`channel = 'sms'`) with a lease, hands each to the provider (or writes its file),
//! and records the outcome with the provider's message id, which the receipts name. Same
//! semantics as the e-mail worker (`mail::worker`): at least once, never two workers on one
//! message, transient failures retried with back-off until given up, permanent ones at once.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use gongjue_store::outbox::OutboxEmail;
use gongjue_store::{Store, StoreError, timestamp};

use crate::config::ConfigError;
use crate::mail::settings::Timing;
use crate::mail::transport::Failure;
use crate::mail::worker::after_failure;
use crate::sms::settings::{SmsSettings, SmsTransportSettings};
use crate::sms::tencent::TencentSettings;
use crate::sms::{Accepted, OutgoingSms};

#[derive(Debug, Clone)]
pub enum SmsTransport {
    /// `<uuid>-<kind>.sms` files (number, then the text) in a directory, for development.
    File(PathBuf),
    Tencent(TencentSettings),
}

impl SmsTransport {
    pub fn new(settings: &SmsSettings) -> Result<SmsTransport, ConfigError> {
        match &settings.transport {
            SmsTransportSettings::File { dir } => {
                // Owner-only: sign-in codes are in these files.
                gongjue_store::files::create_private_dir(dir).map_err(|e| ConfigError::Mail {
                    setting: "sms.dir".into(),
                    reason: format!("{}: {e}", dir.display()),
                })?;
                Ok(SmsTransport::File(dir.clone()))
            }
            SmsTransportSettings::Tencent(t) => Ok(SmsTransport::Tencent(t.clone())),
        }
    }

    /// Sends one SMS (blocking: run it off the async threads).
    pub fn send(&self, sms: &OutgoingSms) -> Result<Accepted, Failure> {
        match self {
            SmsTransport::Tencent(tencent) => tencent.send(sms),
            SmsTransport::File(dir) => write_sms(dir, sms)
                .map(|()| Accepted { provider_id: None })
                .map_err(|e| Failure::Transient(format!("writing the SMS file: {e}"))),
        }
    }
}

/// Writes `<uuid>-<kind>.sms`, owner-only, whole or not at all (as the `.eml` files).
fn write_sms(dir: &Path, sms: &OutgoingSms) -> std::io::Result<()> {
    let kind: String = sms
        .template
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let name = format!("{}-{kind}.sms", uuid::Uuid::now_v7());
    let partial = dir.join(format!(".{name}.partial"));
    let written = gongjue_store::files::private_new_file()
        .open(&partial)
        .and_then(|mut file| {
            writeln!(file, "To: {}", sms.phone)?;
            writeln!(file, "Kind: {}", sms.template)?;
            writeln!(file)?;
            writeln!(file, "{}", sms.text)?;
            file.sync_all()
        });
    let renamed = written.and_then(|()| std::fs::rename(&partial, dir.join(&name)));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    renamed
}

/// The SMS an outbox row holds.
fn outgoing(row: &OutboxEmail) -> Result<OutgoingSms, Failure> {
    let params: Vec<String> = row
        .sms_params
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| Failure::Permanent(format!("the stored parameters: {e}")))?
        .unwrap_or_default();
    Ok(OutgoingSms {
        id: row.id.clone(),
        phone: row.recipient.clone(),
        template: row.kind.clone(),
        params,
        text: row.body_text.clone(),
    })
}

#[derive(Debug, Clone)]
pub struct SmsWorker {
    store: Store,
    transport: SmsTransport,
    timing: Timing,
}

impl SmsWorker {
    pub fn new(
        store: Store,
        settings: &SmsSettings,
        timing: Timing,
    ) -> Result<SmsWorker, ConfigError> {
        Ok(SmsWorker {
            store,
            transport: SmsTransport::new(settings)?,
            timing,
        })
    }

    /// Works through the outbox's SMS until the task is dropped.
    pub async fn run(self) {
        tracing::info!(transport = ?self.transport, "sms worker started");
        loop {
            match self.round().await {
                Ok(n) if i64::try_from(n).unwrap_or(0) >= self.timing.batch => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sms worker cannot read the outbox; retrying"),
            }
            tokio::time::sleep(self.timing.poll).await;
        }
    }

    /// One round: claims up to a batch of due SMS and sends them. Returns how many.
    pub async fn round(&self) -> Result<usize, StoreError> {
        let lease = chrono::Duration::from_std(self.timing.lease).unwrap_or(chrono::Duration::MAX);
        let lease_until = timestamp(Utc::now() + lease);
        let batch = self.timing.batch;
        let store = self.store.clone();
        let claimed = tokio::task::spawn_blocking(move || {
            store.claim_due(gongjue_store::outbox::SMS, &lease_until, batch)
        })
        .await
        .map_err(|e| StoreError::Unavailable(format!("sms task: {e}")))??;
        let n = claimed.len();
        let mut sent = Vec::with_capacity(n);
        for row in claimed {
            if let Some(row) = self.deliver(row).await {
                sent.push(row);
            }
        }
        if !sent.is_empty() {
            let store = self.store.clone();
            let audited = tokio::task::spawn_blocking(move || store.audit_sent(&sent))
                .await
                .unwrap_or_else(|e| Err(StoreError::Unavailable(e.to_string())));
            if let Err(e) = audited {
                tracing::error!(error = %e, "cannot record the sent SMS in the audit log");
            }
        }
        Ok(n)
    }

    /// Sends one SMS and records the outcome; the row (with the provider's id) if it was sent
    /// and recorded.
    async fn deliver(&self, row: OutboxEmail) -> Option<OutboxEmail> {
        let transport = self.transport.clone();
        let sms = outgoing(&row);
        let outcome = match sms {
            Ok(sms) => tokio::task::spawn_blocking(move || transport.send(&sms))
                .await
                .unwrap_or_else(|e| Err(Failure::Transient(format!("sms task: {e}")))),
            Err(failure) => Err(failure),
        };
        let store = self.store.clone();
        let id = row.id.clone();
        let mut provider_id = None;
        let result = match outcome {
            Ok(accepted) => {
                provider_id = accepted.provider_id.clone();
                let mut tries = 0;
                loop {
                    let (store, id, provider) =
                        (store.clone(), id.clone(), accepted.provider_id.clone());
                    let marked = tokio::task::spawn_blocking(move || {
                        store.mark_sent(&id, provider.as_deref())
                    })
                    .await
                    .unwrap_or_else(|e| Err(StoreError::Unavailable(e.to_string())));
                    match marked {
                        Err(StoreError::Unavailable(_)) if tries < 5 => {
                            tries += 1;
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                        other => break other.map(|()| true),
                    }
                }
            }
            Err(failure) => {
                let (error, retry_at) = after_failure(&self.timing, &row, failure, Utc::now());
                // The number never goes to the log.
                let logged = error.replace(&row.recipient, "<recipient>");
                match &retry_at {
                    Some(at) => {
                        tracing::info!(sms = %id, kind = %row.kind, attempts = row.attempts, retry_at = %at, error = %logged, "sms not sent; will retry")
                    }
                    None => {
                        tracing::warn!(sms = %id, kind = %row.kind, attempts = row.attempts, error = %logged, "sms given up")
                    }
                }
                tokio::task::spawn_blocking(move || {
                    store.mark_email_failed(&id, &logged, retry_at.as_deref())
                })
                .await
                .unwrap_or_else(|e| Err(StoreError::Unavailable(e.to_string())))
                .map(|()| false)
            }
        };
        match result {
            Ok(true) => Some(OutboxEmail { provider_id, ..row }),
            Ok(false) => None,
            Err(e) => {
                tracing::error!(sms = %row.id, error = %e, "cannot record the outcome of an sms");
                None
            }
        }
    }
}
