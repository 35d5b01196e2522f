//! The e-mail outbox: notices are queued in the database (in the transaction that decides to
//! send them) and a sender works through it, so a crash neither loses nor doubles a notice.
//!
//! Delivery is at least once: a sender leases a row (`claim_due_emails`), hands the message to
//! the relay, then marks it sent. A sender that dies between the relay's acceptance and
//! `mark_email_sent` leaves the lease to expire and the message is sent again; that window is
//! one SMTP round trip plus one small commit, and nothing else can cause a second send.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{AnyConnection, new_id, now};
use crate::schema::outbox;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = outbox)]
pub struct OutboxEmail {
    pub id: String,
    pub estate_id: Option<String>,
    /// One e-mail per key, however often it is queued (e.g. `notice:<assembly>:<voter>`).
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    /// `pending`, `sent` or `failed` (given up).
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: String,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
    /// What the notice is: `announcement`, `invitation`, `reminder`, `result`, `ballot_recorded`.
    pub kind: String,
    pub assembly_id: Option<String>,
    /// The owner it is addressed to, when it is personal.
    pub voter: Option<String>,
    /// `email`, or `sms`: then `recipient` is a number (E.164), `subject` the template's name
    /// and `sms_params` its parameters (a JSON array of strings).
    pub channel: String,
    pub sms_params: Option<String>,
    /// The provider's id of the message, once it accepted it (SMS).
    pub provider_id: Option<String>,
    /// The provider's receipt: `delivered` or `failed`; `None` while none came (unknown).
    pub delivery: Option<String>,
    pub delivered_at: Option<String>,
    pub delivery_detail: Option<String>,
}

/// The kind of the SMS that carries a one-time sign-in code (not a notice: kept out of the
/// outbox lists and the delivery records).
pub const SIGN_IN_CODE: &str = "sign_in_code";

/// The channels of the outbox.
pub const EMAIL: &str = "email";
pub const SMS: &str = "sms";

#[derive(Debug, Clone, Default)]
pub struct NewEmail {
    pub estate_id: Option<String>,
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: Option<String>,
    pub kind: String,
    pub assembly_id: Option<String>,
    pub voter: Option<String>,
    /// An SMS: the template's parameters (then `recipient` is the number, `subject` the
    /// template's name, `body_text` the whole text); `None` for an e-mail.
    pub sms: Option<Vec<String>>,
}

fn by_key(conn: &mut AnyConnection, key: &str) -> Result<Option<OutboxEmail>, StoreError> {
    Ok(outbox::table
        .filter(outbox::dedupe_key.eq(key))
        .select(OutboxEmail::as_select())
        .first(conn)
        .optional()?)
}

/// Queues `new` on the caller's connection, inside the caller's transaction, so the e-mail
/// exists if and only if the event that causes it commits. An already queued key is kept as it
/// is (`false`): re-running an event does not send its notices twice.
pub(crate) fn enqueue(
    conn: &mut AnyConnection,
    new: &NewEmail,
) -> Result<(OutboxEmail, bool), StoreError> {
    if let Some(existing) = by_key(conn, &new.dedupe_key)? {
        return Ok((existing, false));
    }
    let email = new_row(new, now());
    diesel::insert_into(outbox::table)
        .values(&email)
        .execute(conn)?;
    Ok((email, true))
}

/// The row that queues `new`, created `at`.
fn new_row(new: &NewEmail, at: String) -> OutboxEmail {
    OutboxEmail {
        id: new_id(),
        estate_id: new.estate_id.clone(),
        dedupe_key: new.dedupe_key.clone(),
        recipient: new.recipient.clone(),
        subject: new.subject.clone(),
        body_text: new.body_text.clone(),
        body_html: new.body_html.clone(),
        status: "pending".into(),
        attempts: 0,
        next_attempt_at: at.clone(),
        last_error: None,
        created_at: at,
        sent_at: None,
        kind: new.kind.clone(),
        assembly_id: new.assembly_id.clone(),
        voter: new.voter.clone(),
        channel: if new.sms.is_some() { SMS } else { EMAIL }.into(),
        sms_params: new
            .sms
            .as_ref()
            .map(|p| serde_json::Value::from(p.clone()).to_string()),
        provider_id: None,
        delivery: None,
        delivered_at: None,
        delivery_detail: None,
    }
}

/// Queues several e-mails with a few statements: one look-up of the dedupe keys already queued
/// and multi-row inserts of the others (a key given twice is queued once, the first time), so
/// the result is what `enqueue` one after another would make. Returns how many were queued.
pub(crate) fn enqueue_many(
    conn: &mut AnyConnection,
    mails: &[&NewEmail],
) -> Result<usize, StoreError> {
    let mut queued = 0;
    for chunk in mails.chunks(crate::db::INSERT_CHUNK) {
        let keys: Vec<&str> = chunk.iter().map(|m| m.dedupe_key.as_str()).collect();
        let mut seen: std::collections::HashSet<String> = outbox::table
            .filter(outbox::dedupe_key.eq_any(&keys))
            .select(outbox::dedupe_key)
            .load::<String>(conn)?
            .into_iter()
            .collect();
        let at = now();
        let rows: Vec<OutboxEmail> = chunk
            .iter()
            .filter(|m| seen.insert(m.dedupe_key.clone()))
            .map(|m| new_row(m, at.clone()))
            .collect();
        queued += rows.len();
        crate::db::insert_rows(conn, &rows, |conn, rows| match conn {
            AnyConnection::Pg(c) => diesel::insert_into(outbox::table).values(rows).execute(c),
            AnyConnection::Sqlite(c) => diesel::insert_into(outbox::table).values(rows).execute(c),
        })?;
    }
    Ok(queued)
}

/// What replaces the body of an invitation once it left (or was given up): the body held the
/// owner's voting code in clear, which must not stay in the database (only its hash does).
/// Recipient, subject, status and times stay, for the record of what was sent to whom.
pub const SCRUBBED_BODY: &str = "(removed once handled: this invitation held a voting code)";

/// The kinds of message whose body holds a voting code in clear: erased from the outbox once
/// handed to the transport or given up, and their `.eml` files (file transport) deleted after
/// the pickup period. A new kind of message that carries a code must be added here.
pub const CODE_KINDS: &[&str] = &["invitation", "sign_in_code"];

/// Whether a message of `kind` holds a voting code (see [`CODE_KINDS`]).
pub fn holds_code(kind: &str) -> bool {
    CODE_KINDS.contains(&kind)
}

fn by_id(conn: &mut AnyConnection, id: &str) -> Result<OutboxEmail, StoreError> {
    outbox::table
        .find(id)
        .select(OutboxEmail::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("e-mail {id}")))
}

fn scrub_code(conn: &mut AnyConnection, id: &str) -> Result<(), StoreError> {
    diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::kind.eq_any(CODE_KINDS)),
    )
    .set((
        outbox::body_text.eq(SCRUBBED_BODY),
        outbox::body_html.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Notices that a write queues, produced while it stores them, a chunk at a time: a round to
/// every owner of a large estate is never held whole (issue 22: an announcement to 57,000
/// owners, rendered first, took 230 MB). A failure to produce one rolls the write back.
pub trait NoticeSource {
    /// The next notices to queue, a few hundred at most; empty once there are none left.
    fn next_chunk(&mut self) -> Result<Vec<NewEmail>, StoreError>;
}

/// Notices already composed (a few: one event's).
impl NoticeSource for &[NewEmail] {
    fn next_chunk(&mut self) -> Result<Vec<NewEmail>, StoreError> {
        let (chunk, rest) = self.split_at(self.len().min(crate::db::INSERT_CHUNK));
        *self = rest;
        Ok(chunk.to_vec())
    }
}

/// Queues everything `source` produces on the caller's connection; returns how many were new.
pub(crate) fn enqueue_from(
    conn: &mut AnyConnection,
    source: &mut dyn NoticeSource,
) -> Result<usize, StoreError> {
    let mut queued = 0;
    loop {
        let chunk = source.next_chunk()?;
        if chunk.is_empty() {
            return Ok(queued);
        }
        queued += enqueue_many(conn, &chunk.iter().collect::<Vec<_>>())?;
    }
}

/// Queues several e-mails on the caller's connection; returns how many were new.
pub(crate) fn enqueue_all(
    conn: &mut AnyConnection,
    mails: &[NewEmail],
) -> Result<usize, StoreError> {
    let mut queued = 0;
    for mail in mails {
        if enqueue(conn, mail)?.1 {
            queued += 1;
        }
    }
    Ok(queued)
}

/// Which part of the outbox to list.
#[derive(Debug, Clone, Default)]
pub struct OutboxFilter {
    pub estate_id: Option<String>,
    pub assembly_id: Option<String>,
    pub status: Option<String>,
}

impl Store {
    /// Queues an e-mail; if its dedupe key is already queued, returns that one (`false`).
    pub fn enqueue_email(&self, new: NewEmail) -> Result<(OutboxEmail, bool), StoreError> {
        let stored = self.write(|conn| enqueue(conn, &new));
        match stored {
            // Two PostgreSQL writers raced on the same key: the other one queued it.
            Err(StoreError::Conflict(_)) => {
                let mut conn = self.conn()?;
                let existing = by_key(&mut conn, &new.dedupe_key)?
                    .ok_or_else(|| StoreError::NotFound("e-mail".into()))?;
                Ok((existing, false))
            }
            other => other,
        }
    }

    /// Records an event that is nothing but notices (a reminder round, the publication of a
    /// result): queues what `notices` produces, then appends the audit entry `event` makes of
    /// the drained source and how many were new (`None`: no entry), in one transaction on the
    /// estate's `chain`. Returns how many e-mails and SMS were newly queued.
    pub fn record_notices<S: NoticeSource>(
        &self,
        chain: &str,
        notices: &mut S,
        event: impl FnOnce(&S, usize) -> Option<NewAuditEntry>,
    ) -> Result<usize, StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, chain)?;
            let queued = enqueue_from(conn, notices)?;
            if let Some(mut event) = event(notices, queued) {
                if let serde_json::Value::Object(detail) = &mut event.detail {
                    detail.insert("queued".into(), serde_json::Value::from(queued));
                }
                audit::append(conn, event)?;
            }
            Ok(queued)
        })
    }

    /// Takes up to `limit` due e-mails for sending: each is leased until `lease_until` (a
    /// sender that dies leaves it to be retried then) and its attempt is counted. Two senders
    /// never claim the same e-mail: the lease is taken by a conditional update.
    pub fn claim_due_emails(
        &self,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<OutboxEmail>, StoreError> {
        self.claim_due(EMAIL, lease_until, limit)
    }

    /// [`Store::claim_due_emails`] of one channel's messages (`email` or `sms`): each
    /// channel's worker claims its own.
    pub fn claim_due(
        &self,
        channel: &str,
        lease_until: &str,
        limit: i64,
    ) -> Result<Vec<OutboxEmail>, StoreError> {
        let at = now();
        self.write(|conn| {
            let due: Vec<OutboxEmail> = outbox::table
                .filter(outbox::status.eq("pending"))
                .filter(outbox::channel.eq(channel))
                .filter(outbox::next_attempt_at.le(&at))
                .order(outbox::next_attempt_at.asc())
                .limit(limit)
                .select(OutboxEmail::as_select())
                .load(conn)?;
            let mut claimed = Vec::with_capacity(due.len());
            for mut email in due {
                let taken = diesel::update(
                    outbox::table
                        .find(&email.id)
                        .filter(outbox::status.eq("pending"))
                        .filter(outbox::next_attempt_at.eq(&email.next_attempt_at)),
                )
                .set((
                    outbox::next_attempt_at.eq(lease_until),
                    outbox::attempts.eq(email.attempts + 1),
                ))
                .execute(conn)?;
                if taken == 1 {
                    email.next_attempt_at = lease_until.to_owned();
                    email.attempts += 1;
                    claimed.push(email);
                }
            }
            Ok(claimed)
        })
    }

    /// Marks an e-mail sent (the relay accepted it). Called right after the relay's OK: the
    /// time between the two is the only window in which a crash can cause a second send.
    pub fn mark_email_sent(&self, id: &str) -> Result<(), StoreError> {
        self.mark_sent(id, None)
    }

    /// [`Store::mark_email_sent`] with the provider's id of the message, which its delivery
    /// receipts will name.
    pub fn mark_sent(&self, id: &str, provider_id: Option<&str>) -> Result<(), StoreError> {
        let at = now();
        self.write(|conn| {
            let n = diesel::update(outbox::table.find(id))
                .set((
                    outbox::status.eq("sent"),
                    outbox::sent_at.eq(&at),
                    outbox::last_error.eq(None::<String>),
                    outbox::provider_id.eq(provider_id),
                ))
                .execute(conn)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("e-mail {id}")));
            }
            scrub_code(conn, id)
        })
    }

    /// Records a failed attempt: retried at `retry_at`, or given up (`failed`) if `None`.
    /// An e-mail already sent stays sent (a late report of a worker whose lease had expired).
    pub fn mark_email_failed(
        &self,
        id: &str,
        error: &str,
        retry_at: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            let pending = outbox::table.find(id).filter(outbox::status.eq("pending"));
            let n = match retry_at {
                Some(retry_at) => diesel::update(pending)
                    .set((
                        outbox::last_error.eq(error),
                        outbox::next_attempt_at.eq(retry_at),
                    ))
                    .execute(conn)?,
                None => diesel::update(pending)
                    .set((outbox::last_error.eq(error), outbox::status.eq("failed")))
                    .execute(conn)?,
            };
            if n == 0 {
                // Unknown, or no longer pending: only the first is an error.
                self::by_id(conn, id)?;
                return Ok(());
            }
            if retry_at.is_none() {
                scrub_code(conn, id)
            } else {
                Ok(())
            }
        })
    }

    pub fn email(&self, id: &str) -> Result<OutboxEmail, StoreError> {
        let mut conn = self.conn()?;
        by_id(&mut conn, id)
    }

    /// The outbox, oldest first, narrowed by `filter`.
    pub fn outbox(&self, filter: &OutboxFilter) -> Result<Vec<OutboxEmail>, StoreError> {
        let mut conn = self.conn()?;
        let mut query = outbox::table
            .filter(outbox::kind.ne(SIGN_IN_CODE))
            .select(OutboxEmail::as_select())
            .order((outbox::created_at.asc(), outbox::id.asc()))
            .into_boxed();
        if let Some(estate) = &filter.estate_id {
            query = query.filter(outbox::estate_id.eq(estate.clone()));
        }
        if let Some(assembly) = &filter.assembly_id {
            query = query.filter(outbox::assembly_id.eq(assembly.clone()));
        }
        if let Some(status) = &filter.status {
            query = query.filter(outbox::status.eq(status.clone()));
        }
        Ok(query.load(&mut *conn)?)
    }
}
