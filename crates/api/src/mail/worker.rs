//! The outbox worker, a task of `gongjue serve`: it claims due messages with a lease, hands
//! each to the transport, and records the outcome right away.
//!
//! Delivery is at least once. A message is marked sent immediately after the relay's OK; if
//! the process dies in between (or the database cannot be reached to record it), the lease
//! expires and the message is sent again, under the same Message-ID. That window is one
//! database commit long; nothing else sends a message twice: a claim is an atomic conditional
//! update of the lease, so two workers (even on several servers sharing one PostgreSQL) never
//! hold the same message at the same time.
//!
//! Failures: a transient one (relay down, 4xx) is retried after `retry_first`, doubled each
//! time up to `retry_max`; a permanent one (5xx, an address the relay refuses) is given up at
//! once; a message still failing `give_up_after` after it was queued is given up. Given-up
//! messages stay in the outbox as `failed` with their last error, for the secretary.

use std::time::Duration;

use chrono::{DateTime, Utc};
use gongjue_store::outbox::OutboxEmail;
use gongjue_store::{Store, StoreError, timestamp};
use lettre::message::Mailbox;

use crate::config::ConfigError;
use crate::mail::settings::{MailSettings, Timing};
use crate::mail::transport::{self, Failure, Transport};

#[derive(Debug, Clone)]
pub struct Worker {
    store: Store,
    transport: Transport,
    from: Mailbox,
    timing: Timing,
}

/// Runs store work off the async threads.
async fn blocking<T: Send + 'static>(
    store: &Store,
    f: impl FnOnce(&Store) -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || f(&store))
        .await
        .map_err(|e| StoreError::Unavailable(format!("outbox task: {e}")))?
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// The wait before attempt `attempts + 1`: `first`, doubled per earlier failure, at most `max`.
pub fn backoff(timing: &Timing, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1))
        .unwrap_or(0)
        .min(20);
    timing
        .retry_first
        .saturating_mul(1u32 << doublings)
        .min(timing.retry_max)
}

/// `error` with the recipient's address (as given, or its bare `local@domain` part, in any
/// case) replaced by `<recipient>`.
fn without_address(error: &str, recipient: &str) -> String {
    let bare = recipient
        .rsplit_once('<')
        .map_or(recipient, |(_, rest)| rest.trim_end_matches('>'))
        .trim();
    let mut text = error.to_owned();
    for needle in [recipient.trim(), bare] {
        if needle.is_empty() {
            continue;
        }
        let lower = text.to_lowercase();
        let needle = needle.to_lowercase();
        // Lower-casing keeps byte offsets only for ASCII; otherwise replace exact matches.
        if lower.len() == text.len() {
            while let Some(at) = text.to_lowercase().find(&needle) {
                text.replace_range(at..at + needle.len(), "<recipient>");
            }
        } else {
            text = text.replace(&needle, "<recipient>");
        }
    }
    text
}

impl Worker {
    pub fn new(store: Store, settings: &MailSettings) -> Result<Worker, ConfigError> {
        Ok(Worker {
            store,
            transport: Transport::new(&settings.transport)?,
            from: settings.from.clone(),
            timing: settings.timing,
        })
    }

    /// Works through the outbox until the task is dropped (at shutdown); a message in flight
    /// then is sent again after its lease, as after a crash.
    pub async fn run(self) {
        tracing::info!(transport = ?self.transport, "mail worker started");
        loop {
            match self.round().await {
                // A full batch: more may be due at once.
                Ok(n) if i64::try_from(n).unwrap_or(0) >= self.timing.batch => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "mail worker cannot read the outbox; retrying")
                }
            }
            tokio::time::sleep(self.timing.poll).await;
        }
    }

    /// One round: claims up to a batch of due messages and delivers them. Returns how many
    /// were claimed.
    pub async fn round(&self) -> Result<usize, StoreError> {
        let lease_until = timestamp(Utc::now() + chrono_duration(self.timing.lease));
        let batch = self.timing.batch;
        let claimed = blocking(&self.store, move |store| {
            store.claim_due_emails(&lease_until, batch)
        })
        .await?;
        let n = claimed.len();
        let mut sent = Vec::with_capacity(n);
        for email in claimed {
            if let Some(email) = self.deliver(email).await {
                sent.push(email);
            }
        }
        if !sent.is_empty() {
            // The messages are sent whether or not this entry is written: a failure is logged.
            if let Err(e) = blocking(&self.store, move |store| store.audit_sent(&sent)).await {
                tracing::error!(error = %e, "cannot record the sent messages in the audit log");
            }
        }
        Ok(n)
    }

    /// Sends one message and records the outcome; the message if it was sent and recorded.
    async fn deliver(&self, email: OutboxEmail) -> Option<OutboxEmail> {
        let outcome = match transport::message(&email, &self.from) {
            Ok(message) => self.transport.send(message, &email.kind).await,
            Err(failure) => Err(failure),
        };
        let id = email.id.clone();
        let result = match outcome {
            Ok(()) => self.mark_sent(&id).await.map(|()| true),
            Err(failure) => {
                let (error, retry_at) = after_failure(&self.timing, &email, failure, Utc::now());
                // Relays often quote the address they refuse; the log must not hold it.
                let logged = without_address(&error, &email.recipient);
                match &retry_at {
                    Some(at) => {
                        tracing::info!(email = %id, kind = %email.kind, attempts = email.attempts, retry_at = %at, error = %logged, "mail not sent; will retry")
                    }
                    None => {
                        tracing::warn!(email = %id, kind = %email.kind, attempts = email.attempts, error = %logged, "mail given up")
                    }
                }
                blocking(&self.store, move |store| {
                    store.mark_email_failed(&id, &error, retry_at.as_deref())
                })
                .await
                .map(|()| false)
            }
        };
        match result {
            Ok(true) => Some(email),
            Ok(false) => None,
            Err(e) => {
                // The lease will expire and the message come due again.
                tracing::error!(email = %email.id, error = %e, "cannot record the outcome of a mail");
                None
            }
        }
    }

    /// Records a sent message; a brief database hiccup is retried at once, because until
    /// it is recorded the message may be sent a second time.
    async fn mark_sent(&self, id: &str) -> Result<(), StoreError> {
        let mut tries = 0;
        loop {
            let id = id.to_owned();
            match blocking(&self.store, move |store| store.mark_email_sent(&id)).await {
                Err(StoreError::Unavailable(_)) if tries < 5 => {
                    tries += 1;
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                other => return other,
            }
        }
    }
}

/// The error to store after a failed attempt at `email`, and when to retry (`None`: give up):
/// a permanent failure at once, a transient one once `give_up_after` has passed since it was
/// queued, else after the back-off. Shared by the e-mail and SMS workers.
pub fn after_failure(
    timing: &Timing,
    email: &OutboxEmail,
    failure: Failure,
    now: DateTime<Utc>,
) -> (String, Option<String>) {
    let queued = DateTime::parse_from_rfc3339(&email.created_at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now);
    let deadline = queued + chrono_duration(timing.give_up_after);
    match failure {
        Failure::Permanent(error) => (format!("refused permanently: {error}"), None),
        Failure::Transient(error) if now >= deadline => (
            format!(
                "gave up after {} attempts over {} hours: {error}",
                email.attempts,
                timing.give_up_after.as_secs() / 3600
            ),
            None,
        ),
        // The last try is at the deadline itself, not beyond it.
        Failure::Transient(error) => (
            error,
            Some(timestamp(
                (now + chrono_duration(backoff(timing, email.attempts))).min(deadline),
            )),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_logged_error_names_no_address() {
        let error = "permanent error (550): 5.1.1 <Ouyang@Example.com>: Recipient address rejected";
        assert_eq!(
            without_address(error, "ouyang@example.com"),
            "permanent error (550): 5.1.1 <<recipient>>: Recipient address rejected"
        );
        assert_eq!(
            without_address(error, "欧阳 <ouyang@example.com>"),
            "permanent error (550): 5.1.1 <<recipient>>: Recipient address rejected"
        );
        assert_eq!(
            without_address("connection refused", "a@b.c"),
            "connection refused"
        );
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let timing = Timing {
            retry_first: Duration::from_secs(60),
            retry_max: Duration::from_secs(600),
            ..Timing::default()
        };
        let waits: Vec<u64> = (1..=6).map(|a| backoff(&timing, a).as_secs()).collect();
        assert_eq!(waits, [60, 120, 240, 480, 600, 600]);
        assert_eq!(
            backoff(&timing, 1000).as_secs(),
            600,
            "no overflow for a message retried for days"
        );
    }
}
